"""Separable sums f = Σ g_i(x_i): detection, the decision at a ρ and for every ρ."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from dlnsmooth.audit import audit
from dlnsmooth.conditions import HessianGrowth
from dlnsmooth.objective import Objective
from dlnsmooth.separable import decide_separable, intersect_answer_sets, separable_split
from dlnsmooth.univariate import AnswerSet


def objective(text: str, names: str = "x,y") -> Objective:
    return Objective.from_string(text, names)


# -- detection ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, terms", [
    ("x**4 + y**4", {"x": "x**4", "y": "y**4"}),
    ("x**4 + 3*y**4 - y**2", {"x": "x**4", "y": "3*y**4 - y**2"}),
    ("(x + y)**2 - 2*x*y", {"x": "x**2", "y": "y**2"}),
    ("exp(x) + log(1 + y**2) + 5", {"x": "exp(x)", "y": "log(y**2 + 1)"}),
])
def test_separable_sums_are_split_exactly(text, terms):
    f = objective(text)
    split = separable_split(f)
    assert split is not None
    assert {x.name: sp.sstr(g) for x, g in split.terms} == terms
    assert sp.expand(sum(g for _, g in split.terms) + split.constant - f.expr) == 0


@pytest.mark.parametrize("text", ["x*y", "exp(x + y)", "exp(x)*exp(y)", "x**2 + y**2 + x*y", "x**4", "x**4 + 0*y",
                                  "log(1 + exp(-x*y))"])
def test_mixed_or_single_variable_functions_are_not_separable(text):
    assert separable_split(objective(text)) is None


def test_a_function_of_one_declared_variable_is_not_split():
    assert separable_split(Objective.from_string("x**4", "x")) is None


# -- answer sets --------------------------------------------------------------------------------------
def test_the_intersection_of_answer_sets_takes_the_largest_threshold():
    a = AnswerSet("at-least", sp.Rational(2, 3), True)
    b = AnswerSet("greater-than", sp.Integer(1), False)
    every = AnswerSet("every", sp.Integer(0), True)
    assert intersect_answer_sets([a, every]).text() == "ρ ≥ 2/3"
    assert intersect_answer_sets([a, b]).text() == "ρ > 1"
    assert intersect_answer_sets([every, every]).kind == "every"
    assert intersect_answer_sets([a, AnswerSet("never")]).kind == "never"
    assert intersect_answer_sets([a, AnswerSet("greater-than", sp.Rational(2, 3), False)]).text() == "ρ > 2/3"
    undecided = intersect_answer_sets([a, AnswerSet("undecided", fails_below=sp.Rational(1, 2))])
    assert undecided.kind == "undecided" and undecided.contains(sp.Rational(1, 3)) is False
    assert undecided.contains(sp.Integer(5)) is None


# -- the decision -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quartics_at_two_thirds():
    """x⁴ + 3y⁴ − y² at ρ = 2/3, decided once for the tests below."""
    return decide_separable(objective("x**4 + 3*y**4 - y**2"), "2/3", time_budget=60, progress=False)


@pytest.mark.parametrize("text", [
    "x**4 + 3*y**4 - y**2",
    pytest.param("x**4 + y**4", marks=pytest.mark.slow),
])
def test_two_quartic_terms_hold_at_two_thirds_with_the_larger_constants(text, quartics_at_two_thirds):
    decision = quartics_at_two_thirds
    if text != sp.sstr(decision.objective.expr):
        decision = decide_separable(objective(text), "2/3", time_budget=60, progress=False)
    assert decision.verdict == "holds"
    assert decision.constants is not None
    per_term = [t.proved_constants for t in decision.terms]
    assert all(c is not None for c in per_term)
    assert decision.constants == (max(c[0] for c in per_term), max(c[1] for c in per_term))
    assert decision.norm == "spectral"
    document = decision.to_json()
    assert document["verdict"] == "holds" and document["constants"]["norm"] == "spectral"
    assert "Constants (proved on all of Rⁿ, spectral norm)" in decision.report()


def test_the_constants_satisfy_the_inequality_at_sample_points(quartics_at_two_thirds):
    decision = quartics_at_two_thirds
    f = decision.objective
    condition = HessianGrowth("2/3", *decision.constants, norm="spectral")
    for point in [(0, 0), (1, -1), ("0.3", "0.2"), (10, "0.25"), (-1000, 7), (5, 10**6)]:
        assert not condition.ball_sides(f, [sp.Rational(v) for v in point]).refuted


@pytest.mark.slow
def test_the_audit_proves_the_printed_constants(quartics_at_two_thirds):
    decision = quartics_at_two_thirds
    f = decision.objective
    result = audit(f, rho="2/3", C0=decision.constants[0], C1=decision.constants[1], time_budget=20, progress=False)
    assert result.verdict == "holds"


@pytest.mark.parametrize("text", ["x**4 + y**4", "x**4 + 3*y**4 - y**2"])
def test_two_quartic_terms_are_refuted_at_0_6_on_the_full_function(text):
    f = objective(text)
    decision = decide_separable(f, "0.6", time_budget=60, progress=False)
    assert decision.verdict == "refuted"
    certificate = decision.certificate
    assert certificate is not None and certificate.verdict == "refuted"
    assert certificate.objective is f
    assert sp.Integer(0) in certificate.curve.coordinates  # the other coordinate is fixed
    assert decision.constants is None


@pytest.mark.slow
def test_mixed_terms_a_failing_exponential_refutes_and_a_bounded_term_holds():
    refuted = decide_separable(objective("x**4 + exp(y)"), "2/3", time_budget=60, progress=False)
    assert refuted.verdict == "refuted"
    assert refuted.certificate.curve.coordinates == (0, sp.Symbol("t", positive=True))
    holds = decide_separable(objective("x**4 + log(1 + exp(y))"), "2/3", time_budget=60, progress=False)
    assert holds.verdict == "holds" and holds.constants is not None


@pytest.mark.slow
def test_every_rho_is_the_intersection_certified_on_the_full_function():
    decision = decide_separable(objective("x**4 + exp(y)"), None, time_budget=60, progress=False)
    assert decision.verdict == "holds"
    assert decision.answer.text() == "ρ ≥ 1"
    assert decision.certificate.critical_exponent == 1
    assert decision.every_rho_verdict == "holds" and decision.every_rho_holds_for == "ρ ≥ 1"
    quartic = decide_separable(objective("x**4 + y**4"), None, time_budget=60, progress=False)
    assert quartic.answer.text() == "ρ ≥ 2/3" and quartic.verdict == "holds"


def test_a_term_outside_the_univariate_procedure_leaves_the_sum_undecided():
    decision = decide_separable(objective("x**4 + log(y)"), "1", time_budget=30, progress=False)
    assert decision.verdict == "undecided"
    assert "g_y" in decision.reason


def test_a_spent_budget_gives_undecided_quickly():
    start = time.perf_counter()
    decision = decide_separable(objective("x**4 + y**4"), "2/3", time_budget=0.5, progress=False)
    assert decision.verdict == "undecided"
    assert "time budget" in decision.reason
    assert time.perf_counter() - start < 5


def test_a_small_budget_is_kept():
    start = time.perf_counter()
    # g_x = x⁴ + eˣ is not 2/3-order (f″/f′^(2/3) ~ e^(x/3) at +∞): refuted if the budget allows, never holds
    decision = decide_separable(objective("x**4 + exp(x) + y**4"), "2/3", time_budget=3, progress=False)
    assert decision.verdict in ("refuted", "undecided")
    assert time.perf_counter() - start < 3 + 10


def test_a_non_separable_function_is_refused():
    with pytest.raises(ValueError):
        decide_separable(objective("x*y"), "1", progress=False)


@pytest.mark.slow
def test_a_term_that_is_never_rho_order_refutes_every_rho_on_the_full_function():
    # cos(x²): at the zeros √(πk) of f′ = −2x sin(x²), |f″| = 4πk → ∞ (a certified sequence)
    f = objective("cos(x**2) + y**2")
    decision = decide_separable(f, None, time_budget=40, progress=False)
    assert decision.verdict == "holds" and decision.answer.kind == "never"
    assert decision.every_rho_verdict == "refuted" and decision.every_rho_holds_for is None
    assert decision.certificate.verdict == "refuted" and decision.certificate.objective is f
    at_one = decide_separable(f, "1", time_budget=40, progress=False)
    assert at_one.verdict == "refuted" and at_one.certificate.verdict == "refuted"
