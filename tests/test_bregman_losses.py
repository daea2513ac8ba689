"""dlnsmooth.bregman.losses (the registry), dispatch (the route of a loss) and table (the common losses' table):
expressions and parameters exactly, clear errors for bad names, parameters and variables, the routes chosen, and
table entries that are the package's decisions."""

from __future__ import annotations

import json
import time

import pytest
import sympy as sp

from dlnsmooth.bregman.dispatch import UnsupportedLossError, decide_loss, loss_exponents, resolve_loss
from dlnsmooth.bregman.divergence import RECONSTRUCTION_NOTE, NotConvexError
from dlnsmooth.bregman.exponents import ExponentSet
from dlnsmooth.bregman.losses import ALIASES, LOSSES, get_loss, lookup_loss
from dlnsmooth.bregman.table import common_losses_table, exponent_set_text
from dlnsmooth.errors import DlnsmoothError, InvalidRhoError, ParseError, UnknownVariableError

U = sp.Symbol("u", real=True)


def test_registry_expressions_are_the_documented_ones():
    assert lookup_loss("squared").expr == U**2
    assert lookup_loss("absolute-power:a=3/2").expr == sp.Abs(U) ** sp.Rational(3, 2)
    assert lookup_loss("abs-power").parameters == {"a": 3}
    huber = lookup_loss("huber:delta=2").expr
    assert [huber.subs(U, x) for x in (1, -2, 3, -5)] == [sp.Rational(1, 2), 2, 4, 8]
    assert sp.simplify(lookup_loss("pseudo-huber:delta=2").expr - (4 * sp.sqrt(1 + U**2 / 4) - 4)) == 0
    assert lookup_loss("logistic").expr == sp.log(1 + sp.exp(U)) == lookup_loss("softplus").expr
    assert lookup_loss("exponential").expr == sp.exp(U) and lookup_loss("log-cosh").expr == sp.log(sp.cosh(U))
    ce = lookup_loss("cross-entropy:n=2,y=2")
    u1, u2 = ce.variables
    assert ce.expr == sp.log(sp.exp(u1) + sp.exp(u2)) - u2 and ce.label == "softmax-cross-entropy:n=2,y=2"
    assert set(ALIASES.values()) <= set(LOSSES) and get_loss("LOG-SUM-EXP").name == "softmax-cross-entropy"
    assert lookup_loss("u**2 + 1") is None
    assert lookup_loss("absolute-power").natural_exponent == 3 and lookup_loss("huber").natural_exponent is None


@pytest.mark.parametrize("text, message", [
    ("log-cos", "unknown loss 'log-cos'"),
    ("squared:x", "name=value"),
    ("absolute-power:a=1", "must be > 1"),
    ("huber:delta=0", "must be > 0"),
    ("huber:d=1", "no parameter 'd'"),
    ("cross-entropy:n=2,y=3", "at most n = 2"),
    ("cross-entropy:n=5/2", "integer"),
    ("huber:delta=1,delta=2", "twice"),
])
def test_bad_names_and_parameters_are_one_line_errors(text, message):
    with pytest.raises(ParseError, match=message):
        lookup_loss(text)


def test_routes_and_clear_errors():
    assert resolve_loss("softplus").route == "univariate"
    assert resolve_loss("exp(x)", "x").route == "univariate"
    assert resolve_loss("cross-entropy").route == "log-sum-exp"
    assert resolve_loss("log(exp(a) + exp(b)) - a", "a,b").route == "log-sum-exp"
    split = resolve_loss("a**2 + log(cosh(b)) + 3", "a,b")
    assert split.route == "separable" and [t.expr for t in split.terms] == [sp.Symbol("a", real=True) ** 2,
                                                                           sp.log(sp.cosh(sp.Symbol("b", real=True)))]
    with pytest.raises(UnsupportedLossError, match="not supported"):
        resolve_loss("a**2 + a*b + b**2", "a,b")
    with pytest.raises(UnknownVariableError):
        resolve_loss("x**2")
    with pytest.raises(ParseError, match="one variable"):
        resolve_loss("squared", "a,b")
    with pytest.raises(DlnsmoothError):
        resolve_loss("3")
    with pytest.raises(NotConvexError):
        decide_loss("u**4 - u**2", kind="convex", p=2)
    for bad in ("0", "-1", "nan"):
        with pytest.raises((InvalidRhoError, ParseError)):
            decide_loss("squared", kind="smooth", p=bad)
    with pytest.raises(ParseError, match="kind"):
        decide_loss("squared", kind="strong", p=2)


def test_exponent_set_text():
    def make(**fields):
        return ExponentSet(loss="F", kind="convex", minimiser=False, **fields)
    assert exponent_set_text(make(empty=True)) == "∅"
    assert exponent_set_text(make(lower=sp.Integer(2), upper=sp.Integer(2))) == "{2}"
    assert exponent_set_text(make(lower=sp.Integer(1), upper=sp.Integer(2), lower_closed=False)) == "(1, 2]"
    assert exponent_set_text(make(lower=sp.Integer(2))) == "[2, ∞)"
    assert exponent_set_text(make(undecided=["budget"])) == "undecided"


def test_the_table_holds_the_packages_decisions():
    table = common_losses_table(["squared", "softplus"], time_budget=60)
    squared, softplus = table.rows
    assert [exponent_set_text(squared.entries[k].exponents) for k in ("convex", "smooth")] == ["{2}", "{2}"]
    assert squared.entries["convex"].at_two.constant == 1 == squared.entries["smooth"].at_two.constant
    assert softplus.entries["smooth"].at_two.constant == sp.Rational(1, 8)
    assert softplus.entries["convex"].exponents.empty and softplus.entries["convex"].at_two.verdict == "refuted"
    assert table.verdict == "holds"
    assert "| softplus | log(1 + eᵘ) | ∅ | refuted |" in table.markdown()
    data = table.to_json()
    assert data["rows"][1]["smooth"]["at_2"]["constant"] == "1/8" and data["notes"] == [RECONSTRUCTION_NOTE]
    assert table.to_document()["schema"].startswith("dlnsmooth.bregman-table/")
    json.dumps(table.to_document())
    assert loss_exponents("squared", kind="smooth").lower == 2


def test_the_table_stops_within_its_budget_and_says_what_it_skipped():
    start = time.perf_counter()
    table = common_losses_table(["squared", "softplus", "exponential", "log-cosh"], time_budget=0.5)
    assert time.perf_counter() - start < 15
    assert table.skipped and table.verdict == "undecided"
    assert len(table.rows) + len(table.skipped) == 4
