"""dlnsmooth.conditions: the condition catalogue of SPEC §1 on hand-computed instances.

Precision conventions of this file. Conditions are evaluated at ``DPS = 40``
digits (the segment routines add 10 guard digits). A pair value is a norm of a
difference, a segment maximum (exact at an end point, accurate to ~dps digits
at a smooth interior maximum) or a tanh-sinh integral (converged to the
working precision), combined by a few roundings; so values are required to
match their closed forms to ``DPS − 5`` significant digits (``DIGITS``).
Exception: quantities evaluated *at the worst point* of a segment (the θ where
a difference is maximal) inherit the θ error 10^-(dps//2) of golden-section
search, so they are required to ``DPS//2 − 3`` digits. Reference values are
computed at DPS + 30 digits.
"""

from __future__ import annotations

import inspect
from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp
from flint import arb

from dlnsmooth.conditions import (
    CATALOGUE,
    Check,
    EllSmooth,
    GloballyLipschitz,
    HessianGrowth,
    HphiConvex,
    HPhiSmooth,
    L0L1Smooth,
    LevelSetLipschitz,
    LocallyLipschitz,
    PairCondition,
    PointwiseCondition,
    RhoIntegrated,
    RhoOrder,
    growth_ratio,
)
from dlnsmooth.errors import InvalidRhoError, ParseError, PrecisionError, ShapeError
from dlnsmooth.numbers import power
from dlnsmooth.objective import Objective, VectorField
from dlnsmooth.precision import working_precision
from dlnsmooth.segment import Segment

DPS = 40
DIGITS = DPS - 5
AT_WORST = DPS // 2 - 3

# objectives shared by the tests (their derivatives are compiled once)
X4 = Objective.from_string("x**4", "x")  # D = 4x³, ∇² = 12x²
SQ = Objective.from_string("x**2", "x")  # D = 2x, globally Lipschitz with C = 2
EXP = Objective.from_string("exp(x)", "x")  # D = ∇² = eˣ
LOGCOSH = Objective.from_string("log(cosh(x))", "x")  # D = tanh x, |D′| = sech² x ≤ 1
NEGCOS = Objective.from_string("-cos(x)", "x")  # D = sin x
QUAD2 = Objective.from_string("x**2 + 3*x*y + y**2", "x,y")  # ∇² = [[2,3],[3,2]]: ‖·‖₂ = 5, ‖·‖_F = √26
RANK1 = Objective.from_string("(3*x + 4*y)**2/2", "x,y")  # D = (3x+4y)(3,4): Lipschitz constant exactly 25
EXP34 = Objective.from_string("exp(3*x + 4*y)", "x,y")  # ∇² = e^u (3,4)(3,4)ᵀ, ‖∇f‖ = 5e^u
BALL2 = Objective.from_string("x**2 + y**2", "x,y")
MULTI = Objective.from_string("x**4 + x*y + exp(y)", "x,y")


def close(value, exact, digits=DIGITS):
    """``value`` agrees with ``exact`` to ``digits`` significant digits (an absolute
    10^-digits for targets below 1). ``exact`` is a number, an mpf, or a callable that is
    evaluated at high precision (use a callable for irrational closed forms)."""
    assert value is not None
    with mp.workdps(DPS + 30):
        target = exact() if callable(exact) else mp.mpf(exact)
        return abs(value - target) <= mp.mpf(10) ** (-digits) * max(abs(target), 1)


# --- the catalogue ---------------------------------------------------------------------


def test_catalogue_has_all_ten_conditions_with_their_inequalities():
    expected = {GloballyLipschitz, LevelSetLipschitz, LocallyLipschitz, RhoOrder, RhoIntegrated,
                HessianGrowth, L0L1Smooth, EllSmooth, HphiConvex, HPhiSmooth}
    assert set(CATALOGUE.values()) == expected
    assert len(CATALOGUE) == 10
    for name, cls in CATALOGUE.items():
        assert isinstance(name, str) and name
        assert isinstance(cls.inequality, str) and cls.inequality.strip(), name
        assert "≤" in cls.inequality, name
        doc = inspect.getdoc(cls)
        assert doc and "≤" in doc, name


def test_pair_and_pointwise_kinds():
    for cls in (GloballyLipschitz, LevelSetLipschitz, LocallyLipschitz, RhoOrder, RhoIntegrated):
        assert issubclass(cls, PairCondition)
    for cls in (HessianGrowth, L0L1Smooth, EllSmooth):
        assert issubclass(cls, PointwiseCondition)


# --- power and the a^0 = 1 convention ---------------------------------------------------


def test_power_convention_zero_to_the_zero_is_one():
    with mp.workdps(DPS):
        assert power(mp.mpf(0), sp.Integer(0)) == 1
        assert power(mp.mpf(7), sp.Integer(0)) == 1
        assert power(mp.mpf(0), sp.Rational(1, 2)) == 0
        assert power(mp.mpf(4), sp.Rational(1, 2)) == 2
        p = power(mp.mpf(32), sp.Rational(2, 3))
    assert close(p, lambda: mp.mpf(2) ** (mp.mpf(10) / 3))


# --- Globally Lipschitz -----------------------------------------------------------------


def test_globally_lipschitz_x4_pair_hand_values():
    # D = 4x³: D(1) = 4, D(2) = 32, ‖ΔD‖/‖Δx‖ = 28 exactly
    ok = GloballyLipschitz(28).check(X4, [1], [2], DPS)
    assert ok.holds and ok.lhs == 28 and ok.rhs == 28 and ok.dps == DPS
    bad = GloballyLipschitz(27).check(X4, [2], [1], DPS)
    assert bad.status == "violated" and not bad.holds
    assert bad.lhs == 28 and bad.rhs == 27
    assert GloballyLipschitz("27.9").check(X4, [1], [2], DPS).status == "violated"
    assert GloballyLipschitz().required(X4, [1], [2], DPS) == 28
    assert GloballyLipschitz().quotient(X4, [1], [2], DPS) == 28
    # pair (1, 3): (108 − 4)/2 = 52
    assert GloballyLipschitz().required(X4, [1], [3], DPS) == 52


def test_check_reports_its_allowance_and_a_readable_repr():
    c = GloballyLipschitz(27).check(X4, [1], [2], DPS)
    # the reported allowance is 10^(5−dps)·max(|lhs|, |rhs|, ‖D(x1)‖, ‖D(x2)‖): the difference
    # ΔD inherits the rounding of D(2) = 32, the largest magnitude involved
    with mp.workdps(DPS + 30):
        assert abs(c.allowance / (mp.mpf(10) ** (5 - DPS) * 32) - 1) < mp.mpf(10) ** -(DPS - 5)
    assert "violated" in repr(c) and "GloballyLipschitz" in repr(c)
    assert "holds" in repr(GloballyLipschitz(28).check(X4, [1], [2], DPS))
    assert isinstance(c, Check)


RANK1_PAIRS = [  # Δx ∥ (3, 4): the quotient of D = (3x+4y)(3,4) is exactly 25
    ([Fraction(1, 3), Fraction(2, 7)], [Fraction(1, 3) + Fraction(3, 11), Fraction(2, 7) + Fraction(4, 11)]),
    ([0, 0], [3, 4]),
    (["-0.1", "2.5"], ["2.9", "6.5"]),
    ([Fraction(-5, 7), 1], [Fraction(-5, 7) + Fraction(3, 1000), 1 + Fraction(4, 1000)]),
]
SQ_PAIRS = [([Fraction(1, 3)], [Fraction(1, 7)]), (["0.1"], ["0.7"]), ([-5], ["1e-9"]),
            ([Fraction(-2, 3)], ["0.9"]), ([-100], [3])]
EXP_PAIRS = [([0], [1]), ([-3], [2]), ([2], [-3]), ([Fraction(1, 3)], [Fraction(1, 2)]), ([-40], [25]),
             (["0.5"], ["1.75"])]


@pytest.mark.parametrize("x1, x2", RANK1_PAIRS)
def test_globally_lipschitz_linear_field_with_its_exact_constant(x1, x2):
    # D = (3x+4y)(3,4) is linear with ‖∇²‖₂ = 25; along Δx ∥ (3, 4) the check is an equality.
    # (Its status is covered by test_pair_equality_cases_are_not_reported_violated.)
    check = GloballyLipschitz(25).check(RANK1, x1, x2, DPS)
    assert close(check.lhs, lambda: check.rhs)
    assert close(GloballyLipschitz().required(RANK1, x1, x2, DPS), 25)
    # a constant smaller by a relative 10^-5 is clearly violated
    assert GloballyLipschitz(25 - Fraction(25, 10**5)).check(RANK1, x1, x2, DPS).status == "violated"
    assert GloballyLipschitz(26).check(RANK1, x1, x2, DPS).holds


@pytest.mark.parametrize("x1, x2", SQ_PAIRS)
def test_globally_lipschitz_x2_exact_constant(x1, x2):
    check = GloballyLipschitz(2).check(SQ, x1, x2, DPS)
    assert close(check.lhs, lambda: check.rhs)
    assert close(GloballyLipschitz().required(SQ, x1, x2, DPS), 2)


def _equality_checks():
    """Pair checks that hold with equality in exact arithmetic."""
    for x1, x2 in RANK1_PAIRS:
        yield "GloballyLipschitz(25) on (3x+4y)²/2", GloballyLipschitz(25).check(RANK1, x1, x2, DPS)
    for x1, x2 in SQ_PAIRS:
        yield "GloballyLipschitz(2) on x²", GloballyLipschitz(2).check(SQ, x1, x2, DPS)
        for rho in (0, "1/2", 1, "5/2"):
            yield f"RhoOrder({rho}, 2, 0) on x² (Prop 2(a))", RhoOrder(rho, 2, 0).check(SQ, x1, x2, DPS)
    for x1, x2 in EXP_PAIRS:
        yield "RhoIntegrated(1, 0, 1) on exp", RhoIntegrated(1, 0, 1).check(EXP, x1, x2, DPS)


def test_pair_equality_cases_are_not_reported_violated():
    wrong = [(name, c) for name, c in _equality_checks() if not c.holds]
    assert not wrong, wrong


def test_pair_violation_below_double_precision_is_reported():
    # lhs = ‖D(3,4) − D(0,0)‖ = 125 exactly, rhs = (25 − 10^-20)·5 = 125 − 5·10^-20;
    # the excess 5·10^-20 is far above the allowance 10^(5−40)·125 ≈ 10^-33
    check = GloballyLipschitz(25 - Fraction(1, 10**20)).check(RANK1, [0, 0], [3, 4], DPS)
    assert check.lhs == 125
    assert check.status == "violated"


def test_pointwise_equalities_are_judged_at_the_requested_precision():
    # the pointwise checks judge inside mp.workdps(dps): an equality holds, and a violation
    # by a relative 10^-20 (f = eˣ with C1 = 1 − 10^-20) is caught at dps = 40
    assert HessianGrowth(1, 0, 1).check_point(EXP, [Fraction(1, 3)], DPS).holds
    assert HessianGrowth(1, 0, 1 - Fraction(1, 10**20)).check_point(EXP, [Fraction(1, 3)], DPS).status == "violated"


def test_globally_lipschitz_other_directions_are_below_the_constant():
    # Δx ⟂ (3, 4): D does not change at all
    assert GloballyLipschitz().required(RANK1, [0, 0], [4, -3], DPS) == 0
    # Δx = (1, 0): ‖ΔD‖ = 3·‖(3,4)‖ = 15
    assert close(GloballyLipschitz().required(RANK1, [0, 0], [1, 0], DPS), 15)


def test_degenerate_pair():
    assert GloballyLipschitz(0).check(X4, [2], [2], DPS).holds
    assert GloballyLipschitz().required(X4, [2], [2], DPS) == 0


def test_required_of_a_very_short_pair_at_high_precision():
    x2 = "1." + "0" * 39 + "1"  # 1 + 10^-40, exact decimal input
    check = GloballyLipschitz(0).check(SQ, ["1"], [x2], 60)
    assert check.status == "violated"  # lhs = 2·10^-40 > 0 = rhs: correct
    assert close(GloballyLipschitz().required(SQ, ["1"], [x2], 60), 2)  # the pair is not degenerate


def test_violation_at_a_short_pair_is_not_hidden_by_the_allowance():
    # D = 2x, pair (0, 10^-48) at 50 digits: lhs = 2·10^-48 (exact to 50 digits), rhs = 1·10^-48.
    check = GloballyLipschitz(1).check(SQ, [0], ["1e-48"], 50)
    assert close(GloballyLipschitz().required(SQ, [0], ["1e-48"], 50), 2)  # required() knows C must be 2
    assert check.status == "violated"


# --- Level-set Lipschitz ----------------------------------------------------------------


def test_level_set_lipschitz_inside_and_outside():
    cond = LevelSetLipschitz(level=16, L=28)  # {x⁴ ≤ 16} = [−2, 2]
    inside = cond.check(X4, [1], [2], DPS)  # f(2) = 16 = c: on the boundary, applicable
    assert inside.holds and inside.lhs == 28 and inside.rhs == 28
    violated = LevelSetLipschitz(16, 27).check(X4, [1], [2], DPS)
    assert violated.status == "violated" and violated.rhs == 27
    assert LevelSetLipschitz(16).required(X4, [1], [2], DPS) == 28
    assert LevelSetLipschitz(16).required(X4, [-2], [2], DPS) == 16  # (32 + 32)/4

    outside = cond.check(X4, [1], [3], DPS)  # f(3) = 81 > 16
    assert outside.status == "not applicable" and not outside.holds
    assert outside.lhs is None and outside.rhs is None
    assert "sublevel" in outside.detail
    assert "not applicable" in repr(outside)
    assert cond.required(X4, [1], [3], DPS) is None
    assert cond.required(X4, [-3], [0], DPS) is None  # the first point leaves the set


def test_level_set_lipschitz_accepts_negative_and_rational_levels():
    # {exp(x) ≤ 1/2} = (−∞, −log 2]; level c may be any real number
    cond = LevelSetLipschitz("1/2", 1)
    assert cond.check(EXP, [-5], [-1], DPS).holds
    assert cond.check(EXP, [-5], [0], DPS).status == "not applicable"
    assert LevelSetLipschitz(-1, 1).check(SQ, [0], [1], DPS).status == "not applicable"


def test_level_set_lipschitz_needs_an_objective():
    with pytest.raises(TypeError, match="Objective"):
        LevelSetLipschitz(1, 1).check(X4.gradient_field, [0], [1], DPS)


def test_level_set_boundary_point_given_exactly_is_inside():
    # x = 1/3 and c = 1/9 are exact rationals with f(x) = c; the sublevel set is {f ≤ c}
    check = LevelSetLipschitz(Fraction(1, 9), 2).check(SQ, [0], [Fraction(1, 3)], 40)
    assert check.status != "not applicable"


# --- Locally Lipschitz ------------------------------------------------------------------


def test_locally_lipschitz_ball_at_origin():
    cond = LocallyLipschitz(radius=2, L=28)
    assert cond.check(X4, [1], [2], DPS).holds  # ‖2‖ = r: on the sphere, applicable
    assert LocallyLipschitz(2, 27).check(X4, [1], [-2], DPS).status == "holds"  # (4+32)/3 = 12
    assert LocallyLipschitz(2, 11).check(X4, [1], [-2], DPS).status == "violated"
    assert LocallyLipschitz(2).required(X4, [1], [-2], DPS) == 12
    out = cond.check(X4, [1], [3], DPS)
    assert out.status == "not applicable" and out.lhs is None
    assert "outside the ball" in out.detail
    assert cond.required(X4, [1], [3], DPS) is None


def test_locally_lipschitz_with_a_centre():
    cond = LocallyLipschitz(radius=1, L=1201, center=[10])
    # D(10.5) − D(9.5) = 4(1157.625 − 857.375) = 1201, Δx = 1
    c = cond.check(X4, ["9.5"], ["10.5"], DPS)
    assert c.holds and c.lhs == 1201 and c.rhs == 1201
    assert LocallyLipschitz(1, 1200, center=["10"]).check(X4, ["9.5"], ["10.5"], DPS).status == "violated"
    assert cond.required(X4, ["9.5"], ["10.5"], DPS) == 1201
    assert cond.check(X4, [1], [2], DPS).status == "not applicable"
    # 2-D centre, works for a plain VectorField D as well
    D = VectorField.from_strings(["x*y", "y"], "x,y")
    ball = LocallyLipschitz(1, 6, center=[3, 4])
    inner = ball.check(D, [3, 4], ["3.3", "4.4"], DPS)  # ‖(0.3, 0.4)‖ = 1/2 < 1
    # ΔD = (3.3·4.4 − 12, 0.4) = (2.52, 0.4): ‖ΔD‖ = √6.5104 ≈ 2.5515; rhs = 6·(1/2) = 3
    assert inner.holds and close(inner.lhs, lambda: mp.sqrt(mp.mpf("6.5104")))
    assert close(inner.rhs, 3)
    assert close(ball.required(D, [3, 4], ["3.3", "4.4"], DPS), lambda: 2 * mp.sqrt(mp.mpf("6.5104")))
    assert LocallyLipschitz(1, 5, center=[3, 4]).check(D, [3, 4], ["3.3", "4.4"], DPS).status == "violated"
    assert ball.check(D, [3, 4], [0, 0], DPS).status == "not applicable"


def test_locally_lipschitz_bad_centre_is_a_shape_error():
    cond = LocallyLipschitz(1, 1, center=[0, 0])
    with pytest.raises(ShapeError, match="centre"):
        cond.check(X4, [0], ["0.5"], DPS)
    with pytest.raises(ShapeError, match="centre"):
        cond.required(X4, [0], ["0.5"], DPS)
    with pytest.raises(ParseError):
        LocallyLipschitz(1, 1, center=["a"])


def test_locally_lipschitz_empty_centre_is_a_shape_error():
    with pytest.raises(ShapeError):
        LocallyLipschitz(1, 1, center=[]).check(X4, [0], ["0.5"], DPS)


def test_locally_lipschitz_boundary_point_given_exactly_is_inside():
    check = LocallyLipschitz(Fraction(1, 3), 10).check(BALL2, [0, 0], [Fraction(5, 39), Fraction(12, 39)], 30)
    assert check.status != "not applicable"
    # also with decimal input: ‖(3.6, 4.8) − (3, 4)‖ = ‖(0.6, 0.8)‖ = 1 = r
    D = VectorField.from_strings(["x*y", "y"], "x,y")
    assert LocallyLipschitz(1, 5, center=[3, 4]).check(D, [3, 4], ["3.6", "4.8"], DPS).status != "not applicable"


# --- ρ-order and ρ-integrated: x⁴ on the pair (1, 2) ------------------------------------


def test_rho_order_x4_hand_values():
    # ‖ΔD‖ = 28, ‖Δx‖ = 1, max_θ |D|^(2/3) = 32^(2/3) (|D| increases on [1, 2])
    max_term = lambda: mp.mpf(32) ** (mp.mpf(2) / 3)  # noqa: E731
    ok = RhoOrder("2/3", 0, 12).check(X4, [1], [2], DPS)
    assert ok.holds and ok.lhs == 28
    assert close(ok.rhs, lambda: 12 * max_term())
    bad = RhoOrder(sp.Rational(2, 3), 0, 1).check(X4, [2], [1], DPS)
    assert bad.status == "violated" and close(bad.rhs, max_term)
    with_c0 = RhoOrder("2/3", 3, 2).check(X4, [1], [2], DPS)
    assert close(with_c0.rhs, lambda: 3 + 2 * max_term())
    assert close(RhoOrder("2/3", 0).required(X4, [1], [2], DPS), lambda: 28 / max_term())
    assert close(RhoOrder("2/3", 4).required(X4, [1], [2], DPS), lambda: 24 / max_term())


def test_rho_integrated_x4_hand_values():
    # ∫₀¹ (4(1+θ)³)^(2/3) dθ = 4^(2/3) ∫₀¹ (1+θ)² dθ = 4^(2/3) · 7/3
    integral = lambda: mp.mpf(4) ** (mp.mpf(2) / 3) * 7 / 3  # noqa: E731
    one = RhoIntegrated("2/3", 0, 1).check(X4, [1], [2], DPS)
    assert one.status == "violated" and one.lhs == 28 and close(one.rhs, integral)
    assert RhoIntegrated("2/3", 0, 4).check(X4, [1], [2], DPS).status == "violated"  # 4·5.88 = 23.5 < 28
    five = RhoIntegrated("2/3", 0, 5).check(X4, [1], [2], DPS)  # 5·5.88 = 29.4 ≥ 28
    assert five.holds and close(five.rhs, lambda: 5 * integral())
    assert close(RhoIntegrated("2/3", 1, 1).check(X4, [1], [2], DPS).rhs, lambda: 1 + integral())
    # req_int = 28 / (4^(2/3)·7/3) = 3·4^(1/3), the Hessian-growth constant of x⁴ for ρ = 2/3
    req = RhoIntegrated("2/3").required(X4, [1], [2], DPS)
    assert close(req, lambda: 3 * mp.cbrt(4))


def test_rho_pair_through_a_zero_of_d():
    # pair (−2, 1): D goes from −32 to 4 through 0; quotient 36/3 = 12.
    # max_θ |D|^(2/3) = 32^(2/3) at θ = 0; ∫₀¹ |4(3θ−2)³|^(2/3) dθ = 4^(2/3)·(1/3)∫_{−2}^{1} u² du = 4^(2/3)
    order = RhoOrder("2/3", 0, 1).check(X4, [-2], [1], DPS)
    assert order.lhs == 36 and close(order.rhs, lambda: 3 * mp.mpf(32) ** (mp.mpf(2) / 3))
    integ = RhoIntegrated("2/3", 0, 1).check(X4, [-2], [1], DPS)
    assert close(integ.rhs, lambda: 3 * mp.cbrt(16))
    assert close(RhoIntegrated("2/3").required(X4, [-2], [1], DPS), lambda: 12 / mp.cbrt(16))


def test_rho_pair_with_an_interior_maximum():
    # D = sin x on the pair (0, 3): quotient sin(3)/3; max_θ sin²(3θ) = 1 at θ = π/6 (off the grid);
    # ∫₀¹ sin²(3θ) dθ = 1/2 − sin(6)/12
    q = lambda: mp.sin(3) / 3  # noqa: E731
    assert close(RhoOrder(2).required(NEGCOS, [0], [3], DPS), q)
    assert close(RhoOrder(2, 0, 1).check(NEGCOS, [0], [3], DPS).rhs, 3)
    assert close(RhoOrder("1/2").required(NEGCOS, [0], [3], DPS), q)
    assert close(RhoIntegrated(2).required(NEGCOS, [0], [3], DPS), lambda: q() / (mp.mpf(1) / 2 - mp.sin(6) / 12))


@pytest.mark.parametrize("x1, x2", EXP_PAIRS)
def test_exp_is_rho_integrated_with_equality(x1, x2):
    # D = eˣ, ρ = 1, (C0, C1) = (0, 1): ∫₀¹ e^{x_θ} dθ · |Δx| = |e^{x2} − e^{x1}|, equality at every pair
    # (the status is covered by test_pair_equality_cases_are_not_reported_violated)
    check = RhoIntegrated(1, 0, 1).check(EXP, x1, x2, DPS)
    assert close(check.lhs, lambda: check.rhs)
    assert close(RhoIntegrated(1).required(EXP, x1, x2, DPS), 1)
    # ρ-order with the same constants holds (max ≥ integral), with the closed-form requirement
    # req_order = (1 − e^{−|Δx|}) / |Δx|
    order = RhoOrder(1, 0, 1).check(EXP, x1, x2, DPS)
    assert order.holds and order.rhs > check.rhs
    with mp.workdps(DPS + 30):
        lo, hi = sorted(mp.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in (x1[0], x2[0]))
        expected = (1 - mp.exp(lo - hi)) / (hi - lo)
    assert close(RhoOrder(1).required(EXP, x1, x2, DPS), lambda: expected)


def test_required_precision_is_honoured():
    # at 60 digits req_int of x⁴ on (1, 2) equals 3·4^(1/3) to 55 digits
    req = RhoIntegrated("2/3").required(X4, [1], [2], 60)
    with mp.workdps(100):
        assert abs(req - 3 * mp.cbrt(4)) < mp.mpf(10) ** -55
    req_order = RhoOrder("2/3").required(X4, [1], [2], 60)
    with mp.workdps(100):
        assert abs(req_order - 28 / mp.mpf(32) ** (mp.mpf(2) / 3)) < mp.mpf(10) ** -55


# --- req_int ≥ req_order (SPEC §1) ------------------------------------------------------

REQ_CASES = [
    (X4, [1], [2], "2/3", 0),
    (X4, [-2], [1], "2/3", 0),
    (X4, [Fraction(-1, 2)], [3], 1, 0),
    (X4, [1], [3], 2, 5),
    (EXP, [0], [1], 1, 0),
    (EXP, [-3], [2], "1/2", 0),
    (EXP, [-3], [2], 1, "0.1"),
    (NEGCOS, [0], [3], 2, 0),
    (LOGCOSH, [-3], [5], 3, 0),
    (MULTI, [0, 0], [1, -1], 1, 0),
    (MULTI, ["0.5", -2], [-1, "1.5"], "2/3", "1/2"),  # quotient ≈ 0.79
    (QUAD2, [1, -2], [-3, 4], "1/2", 0),
]


@pytest.mark.parametrize("f, x1, x2, rho, C0", REQ_CASES)
def test_req_int_is_at_least_req_order(f, x1, x2, rho, C0):
    req_order = RhoOrder(rho, C0).required(f, x1, x2, DPS)
    req_int = RhoIntegrated(rho, C0).required(f, x1, x2, DPS)
    assert req_order > 0  # every case has quotient > C0, so the comparison is not trivial
    # ‖D‖ is not constant on any of these segments, so the integral is strictly below the max
    # and req_int > req_order by far more than the rounding level 10^(5−DPS)
    with mp.workdps(DPS + 30):
        assert req_int > req_order * (1 + mp.mpf(10) ** (5 - DPS))
    # Prop 1 direction (⇐) per pair: with the same constants, the integrated rhs ≤ the order rhs
    C1 = 2
    rhs_int = RhoIntegrated(rho, C0, C1).check(f, x1, x2, DPS).rhs
    rhs_order = RhoOrder(rho, C0, C1).check(f, x1, x2, DPS).rhs
    assert rhs_int < rhs_order


# --- required constant 0 / ∞ -----------------------------------------------------------


@pytest.mark.parametrize("cls", [RhoOrder, RhoIntegrated])
def test_required_is_zero_when_quotient_at_most_c0(cls):
    assert cls("2/3", 30).required(X4, [1], [2], DPS) == 0  # quotient 28 < 30
    assert cls("2/3", 28).required(X4, [1], [2], DPS) == 0  # quotient 28 = C0 exactly
    assert cls("2/3", 28, 0).check(X4, [1], [2], DPS).holds
    # D vanishing on the whole segment: ΔD = 0, so the quotient 0 ≤ C0 and nothing is required
    D = VectorField.from_strings(["y**2", "x*y"], "x,y")
    assert cls(1, 0).required(D, [0, 0], [5, 0], DPS) == 0


@pytest.mark.parametrize("cls", [RhoOrder, RhoIntegrated])
def test_required_is_infinite_when_d_vanishes_and_quotient_exceeds_c0(cls):
    # For a real pair this cannot happen (D vanishing on the segment forces ΔD = 0), so the
    # rule is exercised on required_from_quotient directly with a zero field.
    zero = VectorField.from_strings(["0"], "x")
    seg = Segment([0], [1])
    with mp.workdps(DPS):
        assert cls("1/2", 1).required_from_quotient(mp.mpf(2), zero, seg, DPS) == mp.inf
        assert cls(3, 0).required_from_quotient(mp.mpf("1e-10"), zero, seg, DPS) == mp.inf
        # ρ = 0: ‖D‖^0 = 1 even where D = 0, so the requirement is finite: (2 − 1)/1
        assert cls(0, 1).required_from_quotient(mp.mpf(2), zero, seg, DPS) == 1


def test_pointwise_required_is_infinite_at_a_critical_point_with_large_hessian():
    # x² at x = 0: ‖∇²f‖ = 2 > C0 = 1 while ∇f = 0
    assert HessianGrowth("1/2", 1).required_point(SQ, [0], DPS) == mp.inf
    assert HessianGrowth("1/2", 1).required(SQ, [-1], [1], DPS) == mp.inf  # θ = 1/2 hits x = 0
    # with ρ = 0 the convention 0^0 = 1 makes it finite: (2 − 1)/1
    assert HessianGrowth(0, 1).required_point(SQ, [0], DPS) == 1
    assert HessianGrowth(0, 1).required(SQ, [-1], [1], DPS) == 1


# --- ρ = 0 (Prop 2(b)) ------------------------------------------------------------------


@pytest.mark.parametrize("x1, x2", [([1], [2]), ([-1], [1]), ([0], ["0.3"]), ([-3], [Fraction(5, 2)])])
@pytest.mark.parametrize("C0, C1", [(0, 4), (3, 5), (20, 8), ("1/2", 0)])
def test_rho_zero_is_global_lipschitz_with_c0_plus_c1(x1, x2, C0, C1):
    total = Fraction(C0) + Fraction(C1)
    glob = GloballyLipschitz(total).check(X4, x1, x2, DPS)
    for cls in (RhoOrder, RhoIntegrated):
        c = cls(0, C0, C1).check(X4, x1, x2, DPS)
        assert c.status == glob.status
        assert c.lhs == glob.lhs
        # rhs = (C0 + C1)·‖Δx‖: the ‖D‖^0 term is 1 even where D = 0 (pair (−1, 1) crosses x = 0)
        assert close(c.rhs, lambda: glob.rhs)
        quotient = GloballyLipschitz().required(X4, x1, x2, DPS)
        with mp.workdps(DPS):
            expected = max(quotient - mp.mpf(Fraction(C0).numerator) / Fraction(C0).denominator, 0)
        assert close(cls(0, C0).required(X4, x1, x2, DPS), expected)


def test_rho_zero_hand_values():
    assert RhoOrder(0, 3, 5).check(X4, [1], [2], DPS).rhs == 8
    assert RhoOrder(0, 3, 5).check(X4, [1], [2], DPS).status == "violated"
    eq = RhoOrder(0, 20, 8).check(X4, [1], [2], DPS)
    assert eq.holds and eq.rhs == 28
    # pair (−1, 1): ΔD = 8, Δx = 2; (C0, C1) = (1, 3): rhs = 4·2 = 8 = lhs
    cross = RhoOrder(0, 1, 3).check(X4, [-1], [1], DPS)
    assert cross.holds and cross.lhs == 8 and cross.rhs == 8
    assert RhoOrder(0).required(X4, [-1], [1], DPS) == 4


# --- Prop 2(a): globally Lipschitz ⇒ ρ-order with (C, 0) --------------------------------

PROP2_PAIRS = [([-3], [5]), ([0], ["0.1"]), (["-0.001"], ["0.001"]), ([2], [7]), ([Fraction(-1, 3)], [4])]


@pytest.mark.parametrize("rho", [0, "1/3", 1, 3])
@pytest.mark.parametrize("x1, x2", PROP2_PAIRS)
def test_prop2a_log_cosh(rho, x1, x2):
    # D = tanh: |D′| = sech² ≤ 1, so C = 1
    glob = GloballyLipschitz(1).check(LOGCOSH, x1, x2, DPS)
    assert glob.holds
    for cls in (RhoOrder, RhoIntegrated):
        c = cls(rho, 1, 0).check(LOGCOSH, x1, x2, DPS)
        assert c.holds
        assert close(c.rhs, lambda: glob.rhs)  # with C1 = 0 the rhs is C‖Δx‖ whatever ρ is


@pytest.mark.parametrize("rho", [0, "1/2", 1, "5/2"])
def test_prop2a_square_with_its_exact_constant(rho):
    # D = 2x: the quotient is exactly 2 on every pair, so (2, 0) holds with equality
    # (the status of these equalities is covered by test_pair_equality_cases_are_not_reported_violated)
    for x1, x2 in SQ_PAIRS:
        c = RhoOrder(rho, 2, 0).check(SQ, x1, x2, DPS)
        assert close(c.lhs, c.rhs)
        assert close(c.rhs, GloballyLipschitz(2).check(SQ, x1, x2, DPS).rhs)
        assert RhoOrder(rho, "1.9999", 0).check(SQ, x1, x2, DPS).status == "violated"


# --- Prop 3(a): ρ1-order with (C0, C1) ⇒ ρ2-order with (C0 + C1, C1) --------------------


@pytest.mark.parametrize("x1, x2", [([Fraction(-1, 2)], [Fraction(1, 3)]), ([1], [2]), ([-3], [10]), ([0], ["0.01"])])
def test_prop3a_x4(x1, x2):
    # x⁴ is 2/3-order with (0, 5): 12x² ≤ 5·(4|x|³)^(2/3) since 5 ≥ 3·4^(1/3) ≈ 4.76 (Prop 6)
    base = RhoOrder("2/3", 0, 5).check(X4, x1, x2, DPS)
    assert base.holds
    for rho2 in ["2/3", 1, 2, "7/2"]:
        c = RhoOrder(rho2, 5, 5).check(X4, x1, x2, DPS)
        assert c.holds
        # per pair: max a^ρ1 ≤ max(1 + a^ρ2), so the new rhs dominates the old one
        with mp.workdps(DPS + 30):
            assert c.rhs >= base.rhs * (1 - mp.mpf(10) ** (5 - DPS))


@pytest.mark.parametrize("x1, x2", [([0], [1]), ([-4], [3]), (["2.5"], [6])])
def test_prop3a_exp(x1, x2):
    assert RhoOrder(1, 0, 1).check(EXP, x1, x2, DPS).holds
    for rho2 in [1, "3/2", 4]:
        assert RhoOrder(rho2, 1, 1).check(EXP, x1, x2, DPS).holds


# --- pointwise conditions: hand values --------------------------------------------------


def test_hessian_growth_x4_at_three():
    # x = 3: ‖∇²f‖ = 12·9 = 108, ‖∇f‖ = 4·27 = 108
    eq = HessianGrowth(1, 0, 1).check_point(X4, [3], DPS)
    assert eq.holds and eq.lhs == 108 and eq.rhs == 108
    assert "spectral" in eq.detail  # the norm of the definitions is the default
    two_thirds = HessianGrowth("2/3", 0, 1).check_point(X4, [3], DPS)
    assert two_thirds.status == "violated"
    assert close(two_thirds.rhs, lambda: mp.mpf(108) ** (mp.mpf(2) / 3))
    assert close(HessianGrowth("2/3").required_point(X4, [3], DPS), lambda: mp.cbrt(108))
    assert close(HessianGrowth(1, 8).required_point(X4, [3], DPS), lambda: mp.mpf(100) / 108)
    # Prop 4's witness for ρ = 2: 12x² ≤ 12 + (3/4)(4|x|³)² = 12 + 12x⁶
    assert HessianGrowth(2, 12, "3/4").check_point(X4, [3], DPS).holds


def test_l0l1_smooth_is_hessian_growth_with_rho_one():
    cond = L0L1Smooth(0, 1)
    assert cond.rho == 1 and cond.L0 == 0 and cond.L1 == 1
    assert L0L1Smooth("1/2", "0.3").L1 == sp.Rational(3, 10)
    eq = cond.check_point(X4, [3], DPS)
    assert eq.holds and eq.lhs == 108 and eq.rhs == 108
    bad = L0L1Smooth(0, "0.99").check_point(X4, [3], DPS)
    assert bad.status == "violated" and close(bad.rhs, lambda: mp.mpf("106.92"))
    assert close(L0L1Smooth(8).required_point(X4, [3], DPS), lambda: mp.mpf(25) / 27)
    for x in ([-2], ["0.7"], [5]):
        a, b = L0L1Smooth(1, 2).check_point(X4, x, DPS), HessianGrowth(1, 1, 2).check_point(X4, x, DPS)
        assert (a.lhs, a.rhs, a.status) == (b.lhs, b.rhs, b.status)


def test_spectral_versus_frobenius_norm_option():
    # ∇² = [[2,3],[3,2]]: ‖·‖₂ = 5, ‖·‖_F = √26
    spec = HessianGrowth(0, 5, 0).check_point(QUAD2, [0, 0], DPS)
    assert spec.holds and close(spec.lhs, 5) and "spectral" in spec.detail
    fro = HessianGrowth(0, 5, 0, norm="frobenius").check_point(QUAD2, [0, 0], DPS)
    assert fro.status == "violated" and close(fro.lhs, lambda: mp.sqrt(26)) and "frobenius" in fro.detail
    # at (1, 1): ∇f = (5, 5), ‖∇f‖ = 5√2; required C1 (ρ = 1, C0 = 0) = ‖∇²‖/(5√2)
    assert close(HessianGrowth(1).required_point(QUAD2, [1, 1], DPS), lambda: 1 / mp.sqrt(2))
    assert close(HessianGrowth(1, norm="frobenius").required_point(QUAD2, [1, 1], DPS), lambda: mp.sqrt(13) / 5)


@pytest.mark.parametrize("x", [[-100], [0], ["0.3"], [Fraction(1, 3)], [10], [700], [5000], ["1e5"]])
def test_exp_hessian_growth_equality_is_not_violated(x):
    # f = eˣ: ‖∇²f‖ = eˣ = ‖∇f‖, so HessianGrowth(1, 0, 1) holds with equality everywhere
    c = HessianGrowth(rho=1, C0=0, C1=1).check_point(EXP, x, DPS)
    assert c.holds
    assert close(c.lhs, lambda: c.rhs) and c.lhs > 0
    assert close(L0L1Smooth(0, 1).required_point(EXP, x, DPS), 1)


@pytest.mark.parametrize("x", [[0, 0], [100, 100], [-50, 7], [1000, -3], [Fraction(1, 3), "-0.25"]])
@pytest.mark.parametrize("norm", ["spectral", "frobenius"])
def test_rank_one_exponential_equality_in_both_norms(x, norm):
    # f = exp(3x + 4y): ∇² = e^u vvᵀ with v = (3, 4), so ‖∇²‖₂ = ‖∇²‖_F = 25e^u = 5·‖∇f‖
    c = HessianGrowth(1, 0, 5, norm=norm).check_point(EXP34, x, DPS)
    assert c.holds and close(c.lhs, lambda: c.rhs)
    assert close(HessianGrowth(1, norm=norm).required_point(EXP34, x, DPS), 5)


def test_exp_hessian_growth_holds_on_a_long_segment():
    c = HessianGrowth(1, 0, 1).check(EXP, [-5], [50], DPS)
    assert c.holds and close(c.lhs, lambda: c.rhs)
    assert close(HessianGrowth(1).required(EXP, [-5], [50], DPS), 1)


# --- pointwise conditions on a segment --------------------------------------------------


def test_check_over_a_segment_finds_the_worst_point():
    # x⁴ with ρ = 1, (0, 1): ‖∇²f‖ − ‖∇f‖ = 12x² − 4x³ is largest at x = 2 (θ = 2/3 on [0, 3]),
    # where ‖∇²f‖ = 48 and ‖∇f‖ = 32
    c = L0L1Smooth(0, 1).check(X4, [0], [3], DPS)
    assert c.status == "violated"
    assert close(c.lhs, 48, AT_WORST) and close(c.rhs, 32, AT_WORST)
    assert "0.66666667" in c.detail and "spectral" in c.detail
    # the equality point x = 3 (θ = 1) is *not* the worst point
    assert HessianGrowth(1, 0, 1).check_point(X4, [3], DPS).holds


def test_required_over_a_segment_is_the_maximum_of_pointwise_requirements():
    # ρ = 1, C0 = 0: required_at = 12x²/(4|x|³) = 3/|x|, largest at the end nearest 0
    assert close(HessianGrowth(1).required(X4, [1], [3], DPS), 3)
    assert close(HessianGrowth(1).required(X4, [-2], ["-0.5"], DPS), 6)
    # C0 = 16: (12x² − 16)/(4x³) has derivative ∝ 12 − 3x², an interior maximum 1 at x = 2
    req = HessianGrowth(1, 16).required(X4, [1], [4], DPS)
    assert close(req, 1)
    with mp.workdps(DPS + 30):
        slack = mp.mpf(10) ** (5 - DPS)
        for x in ([1], ["1.5"], [Fraction(7, 3)], [3], [4]):
            assert HessianGrowth(1, 16).required_point(X4, x, DPS) <= req * (1 + slack)
    # Prop 4's witness for ρ = 2 with C0 = 12: (12u − 12)/(16u³), u = x², peaks at u = 3/2 with 1/9 ≤ 3/4
    assert close(HessianGrowth(2, 12).required(X4, [0], [5], DPS), lambda: mp.mpf(1) / 9)
    assert HessianGrowth(2, 12, "3/4").check(X4, [-5], [5], DPS).holds
    assert HessianGrowth(2, 12, "1/10").check(X4, [0], [5], DPS).status == "violated"


def test_ell_smooth_hand_values():
    # x⁴ at x = 1: ‖∇²f‖ = 12, ‖∇f‖ = 4
    sq = EllSmooth("a**2").check_point(X4, [1], DPS)
    assert sq.holds and sq.lhs == 12 and sq.rhs == 16
    lin = EllSmooth("a").check_point(X4, [1], DPS)
    assert lin.status == "violated" and lin.rhs == 4
    assert close(EllSmooth("a").required_point(X4, [1], DPS), 3)
    assert close(EllSmooth("a**2").required_point(X4, [1], DPS), lambda: mp.mpf(3) / 4)
    t = sp.Symbol("t")
    assert EllSmooth(2 + t**2).check_point(X4, [1], DPS).rhs == 18
    assert EllSmooth(sp.Integer(12)).check_point(X4, [1], DPS).holds  # constant ℓ
    assert EllSmooth("a").required_point(X4, [0], DPS) == 0  # ‖∇²f(0)‖ = 0
    assert EllSmooth("1 + a**2", norm="frobenius").norm.value == "frobenius"


def test_ell_smooth_on_a_segment():
    # ℓ(a) = 1 + a²: 12x² − 1 − 16x⁶ peaks at x = 2^(−1/2): ‖∇²f‖ = 6, ℓ(‖∇f‖) = 1 + (√2)² = 3
    c = EllSmooth("1 + a**2").check(X4, [0], [3], DPS)
    assert c.status == "violated"
    assert close(c.lhs, 6, AT_WORST) and close(c.rhs, 3, AT_WORST)
    # required: 12x²/(1 + 16x⁶) peaks at x⁶ = 1/32 with value 2^(4/3)
    assert close(EllSmooth("1 + a**2").required(X4, [0], [3], DPS), lambda: mp.mpf(2) ** (mp.mpf(4) / 3))


def test_pointwise_violation_at_small_magnitudes_is_reported():
    # x⁴ at x = 10^-20, ρ = 1, (C0, C1) = (0, 1): ‖∇²f‖ = 1.2·10^-39, ‖∇f‖ = 4·10^-60;
    # required_point says C1 would have to be 3·10^20
    assert close(HessianGrowth(1).required_point(X4, ["1e-20"], 30), lambda: mp.mpf("3e20"), 30 - 5)
    assert HessianGrowth(1, 0, 1).check_point(X4, ["1e-20"], 30).status == "violated"


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: GloballyLipschitz(-1),
        lambda: LevelSetLipschitz(1, L="-0.5"),
        lambda: LocallyLipschitz(-1),
        lambda: LocallyLipschitz(1, L=-2),
        lambda: RhoOrder(1, -1, 0),
        lambda: RhoOrder(1, 0, "-1/2"),
        lambda: RhoIntegrated(1, 0, -3),
        lambda: HessianGrowth(1, -2),
        lambda: L0L1Smooth(0, -1),
    ],
)
def test_negative_constants_are_rejected(make):
    with pytest.raises(ValueError, match="negative"):
        make()


@pytest.mark.parametrize("rho", [-1, "-1/3", -0.5, float("nan"), "nan", "inf", float("inf"), "abc", None, True])
@pytest.mark.parametrize("cls", [RhoOrder, RhoIntegrated, HessianGrowth])
def test_invalid_rho_is_rejected(cls, rho):
    with pytest.raises(InvalidRhoError):
        cls(rho, 0, 1)


def test_invalid_rho_error_is_a_value_error():
    with pytest.raises(ValueError):
        RhoOrder(-1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: GloballyLipschitz("abc"),
        lambda: GloballyLipschitz("sqrt(-2)"),
        lambda: RhoOrder(1, "x", 0),
        lambda: RhoOrder(1, 0, "2*pi + t"),
        lambda: RhoIntegrated(1, "1/0"),
        lambda: HessianGrowth(1, 0, "one"),
        lambda: L0L1Smooth("nan"),
        lambda: LevelSetLipschitz("c"),
        lambda: LocallyLipschitz("r"),
        lambda: GloballyLipschitz(True),
        lambda: GloballyLipschitz(float("inf")),
    ],
)
def test_non_number_constants_are_parse_errors(make):
    with pytest.raises(ParseError):
        make()


def test_irrational_constants_are_exact_real_numbers():
    assert GloballyLipschitz("sqrt(2)").C == sp.sqrt(2)
    assert RhoOrder(1, 0, "2*pi").C1 == 2 * sp.pi
    assert HessianGrowth("2/3", "30/6**(4/5)", "log(2)").C0 == 30 / sp.Integer(6) ** sp.Rational(4, 5)
    assert L0L1Smooth(0, sp.sqrt(5)).L1 == sp.sqrt(5)
    with pytest.raises(ParseError, match="negative"):
        L0L1Smooth(0, "log(2) - 1")


def test_an_irrational_constant_is_tight_in_both_arithmetics():
    # exp(2x - y): ‖∇²f‖₂ = 5 e^u = √5 · ‖∇f‖, so (L0, L1) = (0, √5) holds with equality everywhere
    f = Objective.from_string("exp(2*x - y)", "x,y")
    tight, below = L0L1Smooth(0, "sqrt(5)"), L0L1Smooth(0, "sqrt(5) - 1/10**30")
    assert tight.check_point(f, [Fraction(1, 3), 2], DPS).holds
    assert below.check_point(f, [Fraction(1, 3), 2], DPS).status == "violated"
    with working_precision(60):
        assert tight.ball_sides(f, [Fraction(1, 3), 2]).verdict == "undecided"  # equality: never refuted
        assert below.ball_sides(f, [Fraction(1, 3), 2]).verdict == "refuted"
        assert L0L1Smooth(0, "sqrt(5) + 1/10**30").ball_sides(f, [Fraction(1, 3), 2]).verdict != "refuted"


def test_constants_are_read_exactly():
    assert GloballyLipschitz("0.1").C == sp.Rational(1, 10)
    assert GloballyLipschitz(0.1).C == sp.Rational(1, 10)  # a float through its shortest decimal form
    assert RhoOrder("2/3", Fraction(1, 3), "1e-3").C1 == sp.Rational(1, 1000)
    assert RhoOrder(0.7).rho == sp.Rational(7, 10)


def test_hessian_norm_option_must_be_a_matrix_norm():
    with pytest.raises(ValueError):
        HessianGrowth(1, 0, 1, norm="euclidean")
    with pytest.raises(ValueError, match="unknown norm"):
        L0L1Smooth(0, 1, norm="nuclear")


def test_ell_must_be_univariate_and_parse():
    x, y = sp.symbols("x y")
    with pytest.raises(ValueError, match="one variable"):
        EllSmooth(x * y)
    with pytest.raises(ParseError):
        EllSmooth("1 + b")


def test_point_shape_mismatch_is_a_shape_error():
    with pytest.raises(ShapeError):
        RhoOrder(1, 0, 1).check(QUAD2, [1], [1, 2], DPS)
    with pytest.raises(ShapeError):
        GloballyLipschitz(1).required(QUAD2, [1, 2, 3], [1, 2], DPS)
    with pytest.raises(ShapeError):
        RhoIntegrated(1).required(X4, [1, 2], [1, 2], DPS)
    with pytest.raises(ShapeError):
        HessianGrowth(1, 0, 1).check_point(X4, [1, 2], DPS)
    with pytest.raises(ShapeError):
        HessianGrowth(1).required_point(X4, "1", DPS)
    with pytest.raises(ShapeError):
        L0L1Smooth(0, 1).check(QUAD2, [0, 0], [1], DPS)
    with pytest.raises(ShapeError):
        EllSmooth("a").required(QUAD2, [0], [1], DPS)
    with pytest.raises(ShapeError):
        LevelSetLipschitz(1, 1).check(QUAD2, 5, [1, 2], DPS)


def test_pointwise_conditions_need_an_objective():
    D = X4.gradient_field
    for cond in (HessianGrowth(1, 0, 1), L0L1Smooth(0, 1), EllSmooth("a")):
        with pytest.raises(TypeError, match="Objective"):
            cond.check_point(D, [1], DPS)
        with pytest.raises(TypeError, match="Objective"):
            cond.check(D, [0], [1], DPS)
        with pytest.raises(TypeError, match="Objective"):
            cond.required_point(D, [1], DPS)
        with pytest.raises(TypeError, match="Objective"):
            cond.required(D, [0], [1], DPS)


def test_pair_conditions_need_a_field_or_objective():
    with pytest.raises(TypeError, match="VectorField"):
        RhoOrder(1, 0, 1).check(lambda x: x, [0], [1], DPS)
    with pytest.raises(TypeError):
        GloballyLipschitz(1).required("x**2", [0], [1], DPS)


def test_invalid_precision_is_rejected():
    with pytest.raises(PrecisionError):
        RhoOrder(1, 0, 1).check(X4, [0], [1], dps=3)
    with pytest.raises(PrecisionError):
        HessianGrowth(1, 0, 1).check_point(X4, [0], dps=2.5)


def test_a_vector_field_works_for_every_pair_condition():
    # D(x, y) = (x², y) on the pair (0,0)-(1,0): ΔD = (1, 0), Δx = 1, so the quotient is 1;
    # ‖D(x_θ)‖ = θ²: max 1, ∫ θ² = 1/3 (ρ = 1)
    D = VectorField.from_strings(["x**2", "y"], "x,y")
    assert close(GloballyLipschitz().required(D, [0, 0], [1, 0], DPS), 1)
    assert close(LocallyLipschitz(1).required(D, [0, 0], [1, 0], DPS), 1)
    assert close(RhoOrder(1).required(D, [0, 0], [1, 0], DPS), 1)
    assert close(RhoIntegrated(1).required(D, [0, 0], [1, 0], DPS), 3)
    assert close(RhoIntegrated(2, 0, 1).check(D, [0, 0], [1, 0], DPS).rhs, lambda: mp.mpf(1) / 5)


def test_growth_ratio_is_the_symbolic_ratio_with_zero_to_the_zero_one():
    g, h = sp.symbols("g h", positive=True)
    assert growth_ratio(g**2, h**2, 0, squared=True) == h**2 / 4  # r_0 = ‖∇²f‖/(1 + 1)
    assert sp.simplify(growth_ratio(g**2, h**2, 1, squared=True) - (h / (1 + g)) ** 2) == 0
    assert sp.simplify(growth_ratio(g**2, h**2, sp.Rational(2, 3)) - h / (1 + g ** sp.Rational(2, 3))) == 0
    assert growth_ratio(0, h**2, sp.Rational(1, 2)) == h  # ∇f ≡ 0: the right side is C0 = 1


def test_ell_smooth_ball_sides_do_not_trust_a_decreasing_ell():
    # ℓ(a) = 10 − a is decreasing: at ‖∇f‖ ∈ [0, 6] its values range over [4, 10]; a lower end taken
    # from ℓ(lower end of ‖∇f‖) = 10 would "prove" ‖∇²f‖ = 5 ≤ ℓ, which fails where ‖∇f‖ = 6
    sides = EllSmooth("10 - a").sides_from_norms(arb(3, 3), arb(5))
    assert sides.verdict == "undecided" and sides.rhs_lower <= 4
    assert EllSmooth("1 + a").sides_from_norms(arb(1), arb(1)).verdict == "holds"


def test_growth_ratio_keeps_huge_exponents_and_huge_expressions_unevaluated():
    """ρ = 10^400 would make SymPy compute 16^(ρ/2) in full; a tower's √ would run as_real_imag on every
    factor for minutes. Both stay as built, and are still the same ratio."""
    t = sp.Symbol("t", positive=True)
    huge = sp.Integer(10) ** 400
    ratio = growth_ratio(16 * t**6, 144 * t**4, huge)
    assert any(p.exp == huge / 2 and p.base == 16 * t**6 for p in ratio.atoms(sp.Pow))
    big = sum(t**k / (k + 1) for k in range(300))  # more nodes than growth_ratio evaluates
    ratio = growth_ratio(big, big, 1)
    value = mp.mpf(sp.Rational(big.subs(t, 2)).p) / sp.Rational(big.subs(t, 2)).q
    assert float(ratio.subs(t, 2).evalf(30)) == pytest.approx(float(mp.sqrt(value) / (1 + mp.sqrt(value))))
