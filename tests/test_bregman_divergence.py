"""BregmanLoss: pieces, exact and ball divergences, the ratio enclosure, the premises (C¹, convex)."""

from __future__ import annotations

import pytest
import sympy as sp
from flint import arb

from dlnsmooth.bregman import RECONSTRUCTION_NOTE, BregmanLoss, NotConvexError
from dlnsmooth.bregman import divergence as divergence_module
from dlnsmooth.errors import DlnsmoothError, NonDifferentiableError, UnknownVariableError
from dlnsmooth.numbers import to_arb
from dlnsmooth.precision import working_precision

u = sp.Symbol("u", real=True)
HUBER = sp.Piecewise((u**2 / 2, sp.Abs(u) <= 1), (sp.Abs(u) - sp.Rational(1, 2), True))
PAIRS = [(sp.Rational(g), sp.Rational(h)) for g in ("-3", "-1/2", "0", "1/3", "2") for h in ("-2", "-1", "0", "1/2", "1", "5/2")
         if g != h]


def test_module_states_the_reconstruction():
    assert "reconstruction of seed 002" in RECONSTRUCTION_NOTE
    assert "SPEC §4.3" in divergence_module.__doc__ and "reconstruction" in divergence_module.__doc__


def test_exact_divergence_of_softplus_and_squared():
    softplus = BregmanLoss.from_string("log(1 + exp(u))")
    assert sp.simplify(softplus.divergence(1, 0) - (sp.log(1 + sp.E) - sp.log(2) - sp.Rational(1, 2))) == 0
    squared = BregmanLoss.from_string("u**2")
    for g, h in PAIRS:
        assert squared.divergence(g, h) == (g - h) ** 2


def test_pieces_of_abs_power_and_huber():
    cube = BregmanLoss(sp.Abs(u) ** 3, u)
    assert [(p.lo, p.hi) for p in cube.pieces] == [(-sp.oo, 0), (0, sp.oo)]
    huber = BregmanLoss(HUBER, u, name="huber")
    assert [(p.lo, p.hi) for p in huber.pieces] == [(-sp.oo, -1), (-1, 1), (1, sp.oo)]
    # d_F on the linear pieces is 0; across pieces it is the exact Huber divergence
    assert huber.divergence(5, 2) == 0
    assert huber.divergence(3, -1) == 6
    assert huber.divergence(sp.Rational(1, 2), 0) == sp.Rational(1, 8)


@pytest.mark.parametrize("expr", [sp.log(1 + sp.exp(u)), sp.exp(u), sp.Abs(u) ** sp.Rational(3, 2), sp.Abs(u) ** 3, HUBER])
def test_ball_divergence_encloses_the_exact_value(expr):
    loss = BregmanLoss(expr, u)
    with working_precision(30):
        for g, h in PAIRS:
            exact = loss.divergence(g, h)
            ball = loss.ball_divergence(to_arb(g), to_arb(h))
            assert ball.is_finite() and ball.rad() < 1e-20
            assert ball.overlaps(to_arb(exact)), (g, h, exact, ball)


@pytest.mark.parametrize("expr, p", [(sp.Abs(u) ** 3, 3), (sp.Abs(u) ** sp.Rational(3, 2), sp.Rational(3, 2)),
                                     (sp.log(1 + sp.exp(u)), 2), (HUBER, 2)])
def test_ratio_range_encloses_the_ratio_over_boxes(expr, p):
    """Over boxes in v that reach down to 0 the mean-value form keeps the enclosure valid, and finite on the
    side the ratio stays bounded (above for p ≤ 2, below for p > 2, where R_p → ∞ as v → 0)."""
    loss = BregmanLoss(expr, u)
    p = sp.Rational(p)
    with working_precision(30):
        for h in (sp.Integer(1), sp.Rational(-1, 3), sp.Integer(2)):
            box = arb(0).union(arb("0.01"))
            low, high = loss.ratio_range(to_arb(h), box, p)
            assert high.is_finite() if p <= 2 else (low > 0 and not high.is_finite())
            for v in (sp.Rational(1, 1000), sp.Rational(1, 200), sp.Rational(1, 100)):
                exact = loss.divergence(h + v, h) / v**p
                value = to_arb(exact)
                assert low <= value.upper() and value.lower() <= high, (h, v, low, high, value)


def test_minimisers():
    assert BregmanLoss.from_string("log(1 + exp(u))").minimisers() == []
    assert BregmanLoss.from_string("(u - 1/2)**2").minimisers() == [sp.Rational(1, 2)]
    assert BregmanLoss(HUBER, u).minimisers() == [0]


def test_convexity_proved_for_common_losses():
    for text in ("log(1 + exp(u))", "log(cosh(u))", "sqrt(1 + u**2)", "exp(u)", "u**2"):
        loss = BregmanLoss.from_string(text)
        route = loss.check_convex()
        assert loss.convexity_proved(route), (text, route)


@pytest.mark.parametrize("text, witness", [("u**4 - u**2", "F″("), ("u**3", "F″(-"), ("sin(u)", "F″(")])
def test_non_convex_loss_is_a_clear_error_with_a_witness(text, witness):
    with pytest.raises(NotConvexError, match="not convex") as info:
        BregmanLoss.from_string(text).check_convex()
    assert witness in str(info.value)
    assert isinstance(info.value, DlnsmoothError) and "\n" not in str(info.value)


def test_non_differentiable_loss_is_refused():
    with pytest.raises(NonDifferentiableError, match="F′ jumps at u = 0"):
        BregmanLoss(sp.Abs(u), u)
    with pytest.raises(NonDifferentiableError, match="F jumps at u = 1"):
        BregmanLoss(sp.Piecewise((u**2, u <= 1), (u**2 + 1, True)), u)
    with pytest.raises(NonDifferentiableError):
        BregmanLoss.from_string("abs(u)**3")  # the string parser admits smooth functions only


def test_unknown_variable_is_a_clear_error():
    with pytest.raises(UnknownVariableError, match="unknown variable 'x'"):
        BregmanLoss.from_string("u**2 + x")
    with pytest.raises(UnknownVariableError, match="undeclared"):
        BregmanLoss(u**2 + sp.Symbol("y"), u)
