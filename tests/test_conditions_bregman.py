"""The Bregman conditions of the catalogue (seed 002, reconstructed; SPEC §4.3): HphiConvex and HPhiSmooth
on the squared loss (equality everywhere: never refuted), softplus (c_Φ = 1/8 holds, 1/9 refuted near 0),
the exponential loss, the minimiser form, pairs with g = h, cancellation for g ≈ h, the relations to the rest
of the catalogue, and clear errors on bad input."""

from __future__ import annotations

import inspect
import math
from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.conditions import (
    CATALOGUE,
    RECONSTRUCTION_NOTE,
    BregmanCondition,
    GloballyLipschitz,
    HphiConvex,
    HPhiSmooth,
    NotStationaryError,
    ball_divergence,
    bregman_divergence,
)
from dlnsmooth.errors import DlnsmoothError, InvalidRhoError, ParseError, ShapeError
from dlnsmooth.numbers import to_arb
from dlnsmooth.objective import Objective, VectorField
from dlnsmooth.precision import working_precision

F_ = Fraction
DPS = 30
SQUARED = Objective.from_string("u**2", "u")
SOFTPLUS = Objective.from_string("log(1 + exp(u))", "u")
EXPONENTIAL = Objective.from_string("exp(u)", "u")
LOGCOSH = Objective.from_string("log(cosh(u))", "u")
SEPARABLE = Objective.from_string("log(cosh(x)) + y**2", "x,y")
PAIRS = [([F_(3, 10)], [F_(-17, 10)]), ([F_(1, 3)], [F_(5, 7)]), ([F_(-4)], [F_(9, 2)]), ([F_(1, 10**6)], [F_(0)]),
         (["2.5"], ["-0.125"])]


class Judged:
    """A condition's ball sides at a pair, with the verdict and the catalogue's comparison taken at DPS digits."""

    def __init__(self, condition, F, g, h=None):
        with working_precision(DPS):
            self.sides = condition.ball_sides(F, g, h)
            self.verdict = self.sides.verdict
            self.within = self.sides.within(DPS)


_balls = Judged


# -- the catalogue ----------------------------------------------------------------------------

def test_registered_in_the_catalogue_with_inequality_and_the_reconstruction_caveat():
    assert CATALOGUE["bregman-convex"] is HphiConvex and CATALOGUE["bregman-smooth"] is HPhiSmooth
    for cls in (HphiConvex, HPhiSmooth):
        assert issubclass(cls, BregmanCondition)
        assert "≤" in cls.inequality and "d_F(g, h)" in cls.inequality
        doc = " ".join(inspect.getdoc(cls).split())
        assert "≤" in doc and "reconstruction of seed 002" in doc and "SPEC §4.3" in doc
    assert RECONSTRUCTION_NOTE == "definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3"


def test_exact_divergence_of_the_squared_loss_is_v_squared():
    for g, h in PAIRS:
        v = sp.Rational(str(g[0])) - sp.Rational(str(h[0]))
        assert bregman_divergence(SQUARED, g, h) == v**2
    assert bregman_divergence(Objective.from_string("x**2 + 3*x*y", "x,y"), [1, 2], [0, 1]) == 1 + 3 * 1 * 1


# -- squared loss: equality at every pair -----------------------------------------------------

@pytest.mark.parametrize("cls", [HphiConvex, HPhiSmooth])
def test_squared_loss_equality_case_holds_and_is_never_refuted(cls):
    condition = cls(2, 1)
    for g, h in PAIRS:
        assert condition.check(SQUARED, g, h, DPS).holds
        with mp.workdps(DPS):
            assert abs(condition.required(SQUARED, g, h, DPS) - 1) < mp.mpf(10) ** (5 - DPS)
        sides = _balls(condition, SQUARED, g, h)
        assert sides.verdict != "refuted" and sides.within is True
        with working_precision(DPS):
            assert condition.ball_ratio(SQUARED, g, h).contains(1)


def test_squared_loss_constants_beyond_one_are_refuted_both_ways():
    g, h = [F_(3, 10)], [F_(-17, 10)]
    assert not HphiConvex(2, "1.000001").check(SQUARED, g, h, DPS).holds
    assert not HPhiSmooth(2, "0.999999").check(SQUARED, g, h, DPS).holds
    assert _balls(HphiConvex(2, "1.000001"), SQUARED, g, h).verdict == "refuted"
    assert _balls(HPhiSmooth(2, "0.999999"), SQUARED, g, h).verdict == "refuted"
    # p ≠ 2: |v|^3 against v² fails for long pairs, |v| for short ones
    assert _balls(HPhiSmooth(3, 1), SQUARED, [F_(1, 10)], [0]).verdict == "refuted"
    assert _balls(HphiConvex(3, 1), SQUARED, [F_(10)], [0]).verdict == "refuted"


# -- softplus and the exponential loss --------------------------------------------------------

def test_softplus_smooth_with_one_eighth_and_refuted_with_one_ninth_near_zero():
    condition = HPhiSmooth(2, F_(1, 8))
    for g, h in PAIRS:
        assert _balls(condition, SOFTPLUS, g, h).verdict == "holds"
        assert condition.check(SOFTPLUS, g, h, DPS).holds
    near_zero = ([F_(1, 10)], [F_(0)])
    assert _balls(HPhiSmooth(2, F_(1, 9)), SOFTPLUS, *near_zero).verdict == "refuted"
    assert not HPhiSmooth(2, F_(1, 9)).check(SOFTPLUS, *near_zero, DPS).holds
    with mp.workdps(DPS):
        assert abs(HPhiSmooth(2).required(SOFTPLUS, [F_(1, 10**8)], [0], DPS) - mp.mpf(1) / 8) < mp.mpf(10) ** -15


def test_softplus_is_not_convex_with_a_power_far_left():
    far = ([F_(-29)], [F_(-30)])
    for p in (1, 2, 3):
        assert _balls(HphiConvex(p, F_(1, 1000)), SOFTPLUS, *far).verdict == "refuted"
    assert _balls(HphiConvex(2, 0), SOFTPLUS, *far).verdict == "holds"  # convex: d_F ≥ 0


def test_exponential_loss_refutes_smoothness_far_right_and_convexity_far_left():
    assert _balls(HPhiSmooth(2, 100), EXPONENTIAL, [20], [0]).verdict == "refuted"
    assert _balls(HPhiSmooth(3, 100), EXPONENTIAL, [40], [0]).verdict == "refuted"
    assert _balls(HphiConvex(2, F_(1, 100)), EXPONENTIAL, [-19], [-20]).verdict == "refuted"
    assert _balls(HPhiSmooth(2, F_(1, 2)), EXPONENTIAL, [-3], [-2]).verdict == "holds"


# -- precision: g = h and g ≈ h -----------------------------------------------------------------

def test_equal_points_are_trivially_satisfied_without_zero_over_zero():
    for condition in (HphiConvex(2, 5), HPhiSmooth(2, 0)):
        check = condition.check(SOFTPLUS, ["0.5"], [F_(1, 2)], DPS)
        assert check.holds and check.lhs == 0 and check.rhs == 0
        assert _balls(condition, SOFTPLUS, [F_(1, 2)], [F_(1, 2)]).verdict == "holds"
        assert condition.ratio(SOFTPLUS, [1], [1], DPS) is None
        with pytest.raises(ShapeError):
            with working_precision(DPS):
                condition.ball_ratio(SOFTPLUS, [1], [1])
    assert HPhiSmooth(2).required(SOFTPLUS, [1], [1]) == 0
    assert HphiConvex(2).required(SOFTPLUS, [1], [1]) == mp.inf


def test_short_pairs_keep_their_digits_in_mpmath_and_in_balls():
    g, h = [F_(1, 10**20) + 1], [F_(1)]
    with mp.workdps(60):
        sigma = mp.e / (1 + mp.e)
        target = sigma * (1 - sigma) / 2  # d_F/v² → F″(1)/2, error O(v) = 10⁻²⁰
    with mp.workdps(DPS):
        assert abs(HPhiSmooth(2).ratio(SOFTPLUS, g, h, DPS) - target) < mp.mpf(10) ** -19
    with working_precision(DPS):
        ball = HPhiSmooth(2).ball_ratio(SOFTPLUS, g, h)
        assert ball.rad() < 1e-15
        assert abs(ball - to_arb(target)) < 1e-19


def test_ball_divergence_and_mpmath_agree_with_the_exact_value():
    for F in (SOFTPLUS, LOGCOSH, EXPONENTIAL):
        for g, h in PAIRS:
            exact = bregman_divergence(F, g, h)
            with working_precision(DPS):
                ball = ball_divergence(F, g, h)
                assert ball.is_finite() and ball.rad() < 1e-20
                assert ball.overlaps(to_arb(exact))  # to_arb of a SymPy expression encloses it
            v = abs(sp.Rational(str(g[0])) - sp.Rational(str(h[0])))
            with mp.workdps(DPS):
                mpmath_value = HPhiSmooth(1).ratio(F, g, h, DPS) * mp.mpf(v.p) / v.q
                assert abs(mpmath_value - sp.N(exact, DPS + 10)) <= mp.mpf(10) ** (5 - DPS) * max(1, abs(mpmath_value))


def test_separable_sum_in_two_dimensions():
    g, h = [F_(1, 2), F_(3)], [F_(-1), F_(1, 4)]
    # ∇²F = diag(sech² x, 2) ⪯ 2I: d_F ≤ ‖v‖², and ≥ (sech²-part ≥ 0) + v_y²
    assert _balls(HPhiSmooth(2, 1), SEPARABLE, g, h).verdict == "holds"
    assert _balls(HPhiSmooth(2, F_(1, 2)), SEPARABLE, [0, 1], [0, 0]).verdict == "refuted"
    assert _balls(HphiConvex(2, F_(1, 100)), SEPARABLE, [30, 0], [29, 0]).verdict == "refuted"


# -- the minimiser form ------------------------------------------------------------------------

def test_minimiser_form_on_the_squared_loss_and_log_cosh():
    convex = HphiConvex(2, 1, relative_to=[0])
    assert convex.check(SQUARED, [3]).holds and convex.check(SQUARED, [3], [0]).holds
    with mp.workdps(DPS):
        assert abs(convex.required(SQUARED, ["-2.5"], dps=DPS) - 1) < mp.mpf(10) ** -25
    assert _balls(convex, SQUARED, [F_(7, 3)]).within is True
    assert _balls(HphiConvex(2, "1.001", relative_to=[0]), SQUARED, [F_(7, 3)]).verdict == "refuted"
    smooth = HPhiSmooth(2, F_(1, 2), relative_to=[0])
    assert _balls(smooth, LOGCOSH, [2]).verdict == "holds"
    assert _balls(HphiConvex(1, F_(1, 2), relative_to=[0]), LOGCOSH, [F_(1, 100)]).verdict == "refuted"
    shifted = Objective.from_string("(u - sqrt(2))**2", "u")
    assert HphiConvex(2, 1, relative_to=["sqrt(2)"]).check(shifted, [3], dps=DPS).holds
    with pytest.raises(ShapeError, match="compares g with u"):
        convex.check(SQUARED, [3], [1])


def test_minimiser_must_be_stationary():
    with pytest.raises(NotStationaryError, match="not a stationary point"):
        HphiConvex(2, 1, relative_to=[1]).check(SQUARED, [3])
    with pytest.raises(NotStationaryError):
        HPhiSmooth(2, 1, relative_to=["1.4142"]).ball_sides(Objective.from_string("(u - sqrt(2))**2", "u"), [3])
    with pytest.raises(NotStationaryError):
        HPhiSmooth(2, 1, relative_to=[0]).check(SOFTPLUS, [1])  # softplus has no minimiser
    assert issubclass(NotStationaryError, DlnsmoothError)


# -- relations to the rest of the catalogue ------------------------------------------------------

def test_relations_strong_convexity_and_lipschitz_gradient():
    strong = HphiConvex.strongly_convex("3/2")
    assert strong.p == 2 and strong.c == sp.Rational(3, 4) and strong.modulus == sp.Rational(3, 2)
    smooth = HPhiSmooth.from_gradient_lipschitz(F_(1, 4))
    assert smooth.q == 2 and smooth.c == sp.Rational(1, 8)
    lipschitz = smooth.gradient_lipschitz()
    assert isinstance(lipschitz, GloballyLipschitz) and lipschitz.C == sp.Rational(1, 4)
    with pytest.raises(ValueError):
        _ = HphiConvex(3, 1).modulus
    with pytest.raises(ValueError):
        HPhiSmooth(3, 1).gradient_lipschitz()
    with pytest.raises(ValueError):
        HPhiSmooth(2, 1, relative_to=[0]).gradient_lipschitz()


def test_nonconvex_counterexample_breaks_the_forward_direction():
    F = Objective.from_string("-u**2", "u")
    g, h = [F_(5, 4)], [F_(-1, 3)]
    assert bregman_divergence(F, g, h) == -(sp.Rational(5, 4) + sp.Rational(1, 3)) ** 2
    assert _balls(HPhiSmooth(2, 0), F, g, h).verdict == "holds"
    assert _balls(HphiConvex(2, 0), F, g, h).verdict == "refuted"
    with working_precision(DPS):
        assert HPhiSmooth(2, 0).gradient_lipschitz().ball_sides(F, g, h).verdict == "refuted"
    assert HPhiSmooth(2).required(F, g, h) == 0 and HphiConvex(2).required(F, g, h) < 0


# -- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0, -1, "-1/2", float("nan"), "nan", "inf", "abc", 10**7])
def test_bad_exponents_are_clear_errors(bad):
    for cls in (HphiConvex, HPhiSmooth):
        with pytest.raises(InvalidRhoError):
            cls(bad, 1)


def test_other_bad_inputs_are_clear_errors():
    with pytest.raises(ParseError, match="negative"):
        HPhiSmooth(2, -1)
    with pytest.raises(ShapeError, match="coordinates"):
        HphiConvex(2, 1).check(SQUARED, [1, 2], [0])
    with pytest.raises(ShapeError, match="coordinates"):
        HphiConvex(2, 1, relative_to=[0, 0]).check(SQUARED, [1])
    with pytest.raises(ShapeError, match="two points"):
        HphiConvex(2, 1).check(SQUARED, [1])
    with pytest.raises(ShapeError, match="sequence"):
        HphiConvex(2, 1, relative_to="0")
    with pytest.raises(TypeError, match="Objective"):
        HPhiSmooth(2, 1).check(VectorField.from_strings(["u"], "u"), [1], [0])
    assert math.isinf(float(HphiConvex(2).required(SQUARED, [1], [1])))
