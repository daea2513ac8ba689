"""dlnsmooth.bregman.lse: log-sum-exp (softmax cross-entropy of the logits) — recognised, convex for no p (d_F = 0
along 1, exactly), smooth exactly for q ∈ [1, 2] with best constants 1/4 (q = 2) and √2 (q = 1), approached along
computed sequences; the constants are never beaten at exact pairs in balls; the relative form needs a minimiser."""

from __future__ import annotations

import random

import pytest
import sympy as sp
from flint import arb

from dlnsmooth.bregman import lse
from dlnsmooth.bregman.losses import lookup_loss
from dlnsmooth.bregman.lse import (
    ONE_CONSTANT,
    SMOOTH_CONSTANT,
    decide_lse,
    hessian_identity,
    lse_exponents,
    recognise_log_sum_exp,
    smooth_upper_bound,
)
from dlnsmooth.bregman.separable import VectorPairSequence
from dlnsmooth.errors import InvalidRhoError
from dlnsmooth.numbers import to_arb
from dlnsmooth.objective import VectorField
from dlnsmooth.precision import working_precision

A, B, C = sp.symbols("a b c", real=True)


def _form(n: int = 3):
    instance = lookup_loss(f"softmax-cross-entropy:n={n}")
    return recognise_log_sum_exp(instance.expr, instance.variables)


@pytest.fixture(scope="module")
def decisions():
    form2, form3 = _form(2), _form(3)
    return {
        ("smooth", 2, 2): decide_lse(form2, kind="smooth", p=2),
        ("smooth", 2, 3): decide_lse(form3, kind="smooth", p=2),
        ("smooth", 1, 3): decide_lse(form3, kind="smooth", p=1),
        ("smooth", "3/2", 3): decide_lse(form3, kind="smooth", p="3/2"),
        ("smooth", 3, 3): decide_lse(form3, kind="smooth", p=3),
        ("smooth", "1/2", 3): decide_lse(form3, kind="smooth", p="1/2"),
        ("convex", 2, 3): decide_lse(form3, kind="convex", p=2),
    }


def test_recognition_reads_the_linear_part_and_refuses_other_forms():
    form = recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(B) + sp.exp(C)) - B + 2 * A / 3 + 5, (A, B, C))
    assert form is not None and form.linear == (sp.Rational(2, 3), -1, 0) and form.n == 3
    assert form.minimiser is None
    weighted = recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(B)) - A / 4 - 3 * B / 4, (A, B))
    assert weighted.minimiser == (sp.log(sp.Rational(1, 4)), sp.log(sp.Rational(3, 4)))
    assert recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(2 * B)), (A, B)) is None
    assert recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(B)) + A * B, (A, B)) is None
    assert recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(B)), (A, B, C)) is None
    assert recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(B)) + sp.log(2), (A, B)).linear == (0, 0)


def test_hessian_identity_is_verified():
    assert hessian_identity(_form(3)) is True


def test_smooth_at_two_is_one_quarter_approached(decisions):
    for n in (2, 3):
        d = decisions[("smooth", 2, n)]
        assert d.verdict == "holds" and d.constant == SMOOTH_CONSTANT and d.constant_bounds is None
        assert d.approach.confirmed and d.approach.limit.value == sp.Rational(1, 4)
        assert "approached, not attained" in d.attained
        rows = [sp.Rational(r.ratio) for r in d.approach.rows]
        assert all(r < sp.Rational(1, 4) for r in rows) and rows == sorted(rows)


def test_smooth_at_one_is_sqrt_two(decisions):
    d = decisions[("smooth", 1, 3)]
    assert d.verdict == "holds" and d.constant == ONE_CONSTANT == sp.sqrt(2)
    assert d.approach.confirmed


def test_between_one_and_two_the_constant_is_enclosed(decisions):
    d = decisions[("smooth", "3/2", 3)]
    low, high = d.constant_bounds
    assert d.verdict == "holds" and d.constant is None
    assert high == smooth_upper_bound(sp.Rational(3, 2)) == sp.Rational(1, 4) ** sp.Rational(1, 2) * sp.sqrt(2) ** (
        sp.Rational(1, 2))
    assert 0 < low < high and low > sp.Rational(3, 10)
    assert smooth_upper_bound(sp.Integer(2)) == SMOOTH_CONSTANT and smooth_upper_bound(sp.Integer(1)) == ONE_CONSTANT


def test_outside_one_two_smoothness_is_refuted_with_certificates(decisions):
    for q in (3, "1/2"):
        d = decisions[("smooth", q, 3)]
        assert d.verdict == "refuted" and d.certificate.confirmed and d.certificate.limit.kind == "infinite"


def test_convexity_is_refuted_exactly_along_the_ones_vector(decisions):
    d = decisions[("convex", 2, 3)]
    assert d.verdict == "refuted" and d.certificate.identically_zero
    assert d.certificate.g == (sp.Symbol("t", positive=True),) * 3
    assert all(r.ratio.startswith("0") for r in d.certificate.rows)


def test_no_exact_pair_beats_the_proved_constants():
    form = _form(3)
    g = sp.symbols("g1:4", real=True)
    h = sp.symbols("h1:4", real=True)
    base = VectorPairSequence(form.expr, form.variables, sp.Integer(2), g, h, sp.Symbol("t"), "", "value")
    ratio2 = VectorField([base.ratio], [*g, *h], smooth=False)
    base1 = VectorPairSequence(form.expr, form.variables, sp.Integer(1), g, h, sp.Symbol("t"), "", "value")
    ratio1 = VectorField([base1.ratio], [*g, *h], smooth=False)
    rng = random.Random(18)
    with working_precision(50):
        for _ in range(60):
            point = [sp.Rational(rng.randint(-400, 400), rng.choice([1, 4, 16])) for _ in range(6)]
            if point[:3] == point[3:]:
                continue
            balls = [to_arb(x) for x in point]
            assert ratio2.ball(balls)[0].upper() <= arb(1) / 4
            assert ratio1.ball(balls)[0].upper() <= to_arb(sp.sqrt(2))


def test_exponent_sets():
    form = _form(3)
    convex = lse_exponents(form, kind="convex")
    smooth = lse_exponents(form, kind="smooth")
    assert convex.empty
    assert (smooth.lower, smooth.upper, smooth.lower_closed, smooth.upper_closed) == (1, 2, True, True)


def test_relative_form_needs_a_minimiser():
    cross_entropy = _form(3)
    d = decide_lse(cross_entropy, kind="smooth", p=2, minimiser=True)
    assert d.verdict == "undecided" and "no minimiser" in d.route[0]
    assert lse_exponents(cross_entropy, kind="smooth", minimiser=True).undecided
    weighted = recognise_log_sum_exp(sp.log(sp.exp(A) + sp.exp(B)) - A / 4 - 3 * B / 4, (A, B))
    convex = decide_lse(weighted, kind="convex", p=2, minimiser=True)
    assert convex.verdict == "refuted" and convex.certificate.identically_zero
    smooth = decide_lse(weighted, kind="smooth", p=2, minimiser=True)
    assert smooth.verdict == "holds" and smooth.constant_bounds[1] == SMOOTH_CONSTANT


def test_bad_exponents_are_clear_errors():
    for bad in (0, -1, "nan"):
        with pytest.raises((InvalidRhoError, ValueError)):
            decide_lse(_form(2), kind="smooth", p=bad)


def test_a_sequence_does_not_certify_a_false_target(monkeypatch):
    form = _form(2)
    t = sp.Symbol("t", positive=True)
    sequence = VectorPairSequence(form.expr, form.variables, sp.Integer(2), (1 / t, -1 / t), (0, 0), t, "", "infinite")
    assert not sequence.certify(decades=2).confirmed  # the ratio → 1/4: smoothness at q = 2 is not refuted
    monkeypatch.setattr(lse, "SMOOTH_CONSTANT", sp.Rational(1, 5))  # a wrong constant: the approach limit disagrees
    d = decide_lse(form, kind="smooth", p=2)
    assert d.verdict == "undecided" and d.constant is None and d.constant_bounds is None
    assert "internal inconsistency" in d.notes[-1]
