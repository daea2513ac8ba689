"""dlnsmooth.bregman.separable: F = Σ F_i(u_i) — at p = 2 the best constants are exactly min_i / max_i of the terms',
tight along a coordinate; for other p the power-mean enclosures; a refuted term refutes F with its sequence lifted
(the same ratio, exactly); a variable F does not depend on refutes convexity; exponent sets intersect."""

from __future__ import annotations

import pytest
import sympy as sp

from dlnsmooth.bregman.exponents import ExponentSet
from dlnsmooth.bregman.separable import (
    decide_separable_bregman,
    intersect_exponent_sets,
    separable_exponents,
    separable_terms,
)

A, B = sp.symbols("a b", real=True)
SOFTPLUS_B = sp.log(1 + sp.exp(B))


def test_terms_are_split_exactly():
    terms = separable_terms(A**2 + SOFTPLUS_B + 7, (A, B))
    assert [(t.variable, t.expr) for t in terms] == [(A, A**2), (B, SOFTPLUS_B)]
    assert separable_terms(A**2 + A * B, (A, B)) is None
    assert [t.expr for t in separable_terms(A**2, (A, B))] == [A**2, 0]


def test_at_two_the_constants_are_the_terms_extremes():
    smooth = decide_separable_bregman(A**2 + 3 * B**2, (A, B), kind="smooth", p=2)
    convex = decide_separable_bregman(A**2 + 3 * B**2, (A, B), kind="convex", p=2)
    assert (smooth.verdict, smooth.constant, convex.verdict, convex.constant) == ("holds", 3, "holds", 1)
    assert smooth.attained.startswith("along b") and convex.attained.startswith("along a")
    mixed = decide_separable_bregman(A**2 + SOFTPLUS_B, (A, B), kind="smooth", p=2)
    assert mixed.constant == 1 and [t.constant for t in mixed.terms] == [1, sp.Rational(1, 8)]
    assert mixed.to_json()["terms"][1]["variable"] == "b"


def test_a_refuted_term_refutes_the_sum_with_the_same_ratio():
    d = decide_separable_bregman(A**2 + SOFTPLUS_B, (A, B), kind="convex", p=2)
    assert d.verdict == "refuted" and d.certificate.confirmed and d.certificate.limit.value == 0
    term = d.terms[-1].certificate
    t = d.certificate.parameter
    term_ratio = (SOFTPLUS_B.subs(B, term.g) - SOFTPLUS_B.subs(B, term.h)
                  - sp.diff(SOFTPLUS_B, B).subs(B, term.h) * (term.g - term.h)) / (term.g - term.h) ** 2
    assert d.certificate.g[0] == d.certificate.h[0] == 0
    assert sp.simplify(d.certificate.ratio - term_ratio.subs(term.g.free_symbols.pop(), t)) == 0
    exponential = decide_separable_bregman(A**2 + sp.exp(B), (A, B), kind="smooth", p=2)
    assert exponential.verdict == "refuted" and exponential.certificate.limit.kind == "infinite"


def test_an_absent_variable_refutes_convexity_only():
    convex = decide_separable_bregman(A**2, (A, B), kind="convex", p=2)
    assert convex.verdict == "refuted" and convex.certificate.identically_zero
    smooth = decide_separable_bregman(A**2, (A, B), kind="smooth", p=2)
    assert smooth.verdict == "holds" and smooth.constant == 1
    assert separable_exponents(A**2, (A, B), kind="convex").empty


def test_other_exponents_use_the_power_mean_factors():
    cube = decide_separable_bregman(sp.Abs(A) ** 3 + sp.Abs(B) ** 3, (A, B), kind="convex", p=3)
    low, high = cube.constant_bounds
    assert cube.verdict == "holds" and cube.constant is None
    assert sp.simplify(high - (2 - sp.sqrt(2))) == 0 and sp.simplify(low - (2 - sp.sqrt(2)) / sp.sqrt(2)) == 0
    smooth = decide_separable_bregman(SOFTPLUS_B + sp.log(1 + sp.exp(A)), (A, B), kind="smooth", p=sp.Rational(3, 2))
    assert smooth.verdict == "holds"
    low, high = smooth.constant_bounds
    term_low, term_high = smooth.terms[0].constant_bounds or (smooth.terms[0].constant,) * 2
    assert low == term_low and sp.simplify(high - term_high * sp.Integer(2) ** sp.Rational(1, 4)) == 0


def test_exponent_sets_intersect():
    def make(lower, upper, lower_closed=True, upper_closed=True):
        return ExponentSet(loss="F", kind="smooth", minimiser=False, lower=lower, upper=upper,
                           lower_closed=lower_closed, upper_closed=upper_closed)
    both = intersect_exponent_sets([make(1, 2), make(sp.Rational(3, 2), None)], loss="F", kind="smooth",
                                   minimiser=False)
    assert (both.lower, both.upper, both.lower_closed, both.upper_closed) == (sp.Rational(3, 2), 2, True, True)
    assert intersect_exponent_sets([make(1, 2), make(2, 3, lower_closed=False)], loss="F", kind="smooth",
                                   minimiser=False).empty
    sets = separable_exponents(A**2 + SOFTPLUS_B, (A, B), kind="smooth")
    assert (sets.lower, sets.upper) == (2, 2) and not sets.empty


def test_not_separable_is_an_error():
    with pytest.raises(ValueError, match="separable"):
        decide_separable_bregman(A * B, (A, B), kind="smooth", p=2)


def test_the_relative_form_anchors_the_other_coordinates_at_minimisers():
    d = decide_separable_bregman((A - 1) ** 2 + (B - 2) ** 4, (A, B), kind="convex", p=2, minimiser=True)
    assert d.verdict == "refuted" and d.certificate.confirmed
    assert d.certificate.g[0] == d.certificate.h[0] == 1 and d.certificate.h[1] == 2
