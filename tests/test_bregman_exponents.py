"""bregman_exponents: the set of exponents for which a loss is H(φ)-convex / H(Φ)-smooth."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from dlnsmooth.bregman import RECONSTRUCTION_NOTE, BregmanLoss, bregman_exponents
from dlnsmooth.errors import ParseError

u = sp.Symbol("u", real=True)
SOFTPLUS = "log(1 + exp(u))"
CUBE = BregmanLoss(sp.Abs(u) ** 3, u, name="|u|^3")
HUBER = BregmanLoss(sp.Piecewise((u**2 / 2, sp.Abs(u) <= 1), (sp.Abs(u) - sp.Rational(1, 2), True)), u, name="huber")

CASES = {
    "squared convex": ("u**2", "convex", False),
    "squared smooth": ("u**2", "smooth", False),
    "softplus convex": (SOFTPLUS, "convex", False),
    "softplus smooth": (SOFTPLUS, "smooth", False),
    "exp smooth": ("exp(u)", "smooth", False),
    "cube convex": (CUBE, "convex", False),
    "cube smooth": (CUBE, "smooth", False),
    "huber relative smooth": (HUBER, "smooth", True),
    "huber relative convex": (HUBER, "convex", True),
    "softplus relative": (SOFTPLUS, "smooth", True),
}


@pytest.fixture(scope="module")
def sets():
    return {name: bregman_exponents(loss, kind=kind, minimiser=m) for name, (loss, kind, m) in CASES.items()}


def test_squared_is_the_point_two_both_ways(sets):
    for name in ("squared convex", "squared smooth"):
        assert sets[name].as_set() == sp.FiniteSet(2) and sets[name].verdict == "holds"


def test_softplus_convex_for_no_exponent_with_a_certificate(sets):
    result = sets["softplus convex"]
    assert result.empty and result.as_set() == sp.EmptySet
    assert result.certificate is not None and result.certificate.refutes("convex")
    assert not (result.certificate.g - result.certificate.h).has(sp.Symbol("t", positive=True))


def test_softplus_smooth_exactly_for_one_to_two(sets):
    result = sets["softplus smooth"]
    assert result.as_set() == sp.Interval(1, 2) and result.verdict == "holds"
    assert result.contains("3/2") and not result.contains("5/2") and not result.contains("1/2")
    at_ends = {d.p: d for d in result.decisions}
    assert at_ends[2].constant == sp.Rational(1, 8) and at_ends[1].constant == 1


def test_exponential_smooth_for_no_exponent(sets):
    result = sets["exp smooth"]
    assert result.empty and result.certificate.limit.kind == "infinite"


def test_abs_cube_by_scaling(sets):
    assert sets["cube convex"].as_set() == sp.FiniteSet(3)
    assert sets["cube smooth"].empty


def test_relative_forms(sets):
    assert sets["huber relative smooth"].as_set() == sp.Interval(1, 2)
    assert sets["huber relative convex"].empty
    assert sets["softplus relative"].verdict == "undecided"
    assert any("no minimiser" in line for line in sets["softplus relative"].undecided)


def test_json_and_report(sets):
    document = json.loads(json.dumps(sets["softplus smooth"].to_document()))
    assert document["exponents"]["text"] == "[1, 2]" and RECONSTRUCTION_NOTE in document["notes"]
    assert document["exponents"]["lower"] == "1" and document["exponents"]["upper_closed"] is True
    assert "∅" in sets["softplus convex"].report()


def test_bad_kind():
    with pytest.raises(ParseError, match="kind"):
        bregman_exponents("u**2", kind="both")
