"""dlnsmooth.violation: a violation of a pointwise condition, confirmed in ball arithmetic.

Equalities — everywhere, at stationary points, with irrational constants such as √5 — are
never confirmed; genuine violations are, however small the margin, with bounds that bracket
the two sides recomputed independently in mpmath. Mutants of the machinery the confirmation
relies on (a midpoint comparison instead of the bounds, the Frobenius norm as the "lower
bound" of the spectral norm, 0^0 = 0) are shown to be caught.
"""

from __future__ import annotations

import mpmath as mp
import pytest
import sympy as sp
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

import dlnsmooth.conditions as conditions_module
import dlnsmooth.norms as norms_module
from dlnsmooth.conditions import BallSides, EllSmooth, HessianGrowth, L0L1Smooth
from dlnsmooth.errors import InvalidRhoError, ParseError, ShapeError
from dlnsmooth.norms import ball_frobenius_norm, spectral_norm, vector_norm
from dlnsmooth.objective import Objective
from dlnsmooth.violation import (
    Confirmation,
    claimed_condition,
    confirm_violation,
    directed_decimal,
    exact_point,
    side_names,
)


def _objective(expression: str, variables: str) -> Objective:
    return Objective.from_string(expression, variables)


def _exact(value: sp.Expr, dps: int) -> mp.mpf:
    with mp.workdps(dps):
        return mp.mpf(sp.Float(sp.N(value, dps + 10), dps + 10)._mpf_)


def _independent_sides(objective: Objective, point, condition: HessianGrowth, dps: int = 80) -> tuple[mp.mpf, mp.mpf]:
    """‖∇²f‖₂ and C0 + C1‖∇f‖^ρ at the exact point in mpmath, written out here (not the condition's
    bound, not the balls)."""
    with mp.workdps(dps):
        lhs = spectral_norm(objective.hess(list(point), dps))
        grad_norm = vector_norm(objective.grad(list(point), dps))
        rho = condition.rho
        power = mp.mpf(1) if rho == 0 else grad_norm ** (mp.mpf(int(rho.p)) / int(rho.q))
        return lhs, _exact(condition.C0, dps) + _exact(condition.C1, dps) * power


EXP = _objective("exp(3*x+4*y)", "x,y")                  # ‖∇²f‖₂ = 25e^u = 5‖∇f‖
EXP_SQRT5 = _objective("exp(2*x1 - x2)", "x1,x2")         # ‖∇²f‖₂ = 5e^u = √5‖∇f‖
QUARTER_QUARTIC = _objective("x**4/4", "x")               # f″ = 3x² = 3|f′|^(2/3)
QUARTIC = _objective("x**4", "x")                         # f″ = 12x² = 3·4^(1/3)|f′|^(2/3)


# ---------------------------------------------------------------------------------------
# the claim and the point
# ---------------------------------------------------------------------------------------
def test_the_claimed_condition_is_a_catalogue_condition_with_exact_constants():
    l0l1 = claimed_condition(L0="0.99", L1=100)
    assert isinstance(l0l1, L0L1Smooth) and l0l1.rho == 1
    assert l0l1.C0 == sp.Rational(99, 100) and l0l1.C1 == 100 and l0l1.norm.value == "spectral"
    growth = claimed_condition(rho="2/3", C0="30/6**(4/5)", C1="2*sqrt(3)")
    assert type(growth) is HessianGrowth and growth.rho == sp.Rational(2, 3)
    assert sp.simplify(growth.C0 - 30 / sp.Integer(6) ** sp.Rational(4, 5)) == 0
    assert growth.C1 == 2 * sp.sqrt(3) and not growth.C1.has(sp.Float)
    assert claimed_condition(L0="log(2)", L1="pi").C0 == sp.log(2)
    assert claimed_condition(L0="log(2)", L1="pi").C1 == sp.pi


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(-1, "negative"), ("-0.5", "negative"), ("1 - sqrt(2)", "negative"), ("nan", "not a finite number"),
     (float("nan"), "not a finite number"), ("inf", "not a finite number"), ("abc", "unknown name 'abc'"),
     ("1/0", "division by zero"), (None, "missing")],
)
def test_bad_constants_are_refused_with_a_clear_message(value, fragment):
    with pytest.raises(ParseError, match=fragment):
        claimed_condition(rho=1, C0=value, C1=1)


def test_the_claim_needs_one_set_of_constants():
    with pytest.raises(ParseError, match="not both"):
        claimed_condition(rho=1, C0=1, C1=1, L0=1, L1=1)
    with pytest.raises(ParseError, match="rho is missing"):
        claimed_condition(C0=1, C1=1)
    with pytest.raises(InvalidRhoError):
        claimed_condition(rho=-1, C0=1, C1=1)


def test_points_are_read_exactly():
    assert exact_point(["0.1", "-2/3"], 2) == (sp.Rational(1, 10), sp.Rational(-2, 3))
    assert exact_point([0.1], 1) == (sp.Rational(0.1),)  # a float by its binary value
    with pytest.raises(ShapeError, match="2 coordinates; expected 1"):
        exact_point(["1", "2"], 1)
    with pytest.raises(ShapeError):
        exact_point("1", 1)


def test_side_names_follow_the_condition():
    assert side_names(claimed_condition(L0=0, L1=1)) == ("‖∇²f(x)‖₂", "L0 + L1 ‖∇f(x)‖")
    assert side_names(claimed_condition(rho=0, C0=1, C1=0)) == ("‖∇²f(x)‖₂", "C0 + C1 ‖∇f(x)‖^ρ")


# ---------------------------------------------------------------------------------------
# equality is never a violation
# ---------------------------------------------------------------------------------------
EQUALITY_POINTS = [("1/3", "1/7"), ("0.1", "-0.2"), ("2/3", "-5/7"), ("1.5", "-0.25"), ("-3/11", "2/13"),
                   ("7", "-3"), ("0.01", "0.02"), ("-1/9", "1/17"), ("5/3", "-4/3"), ("1/6", "1/5"), ("0", "0")]


@pytest.mark.parametrize("point", EQUALITY_POINTS)
def test_confirmation_never_confirms_an_equality(point):
    confirmation = confirm_violation(EXP, point, L0=0, L1=5)
    assert not confirmation.confirmed
    assert "equality up to rounding" in confirmation.reason
    assert confirmation.lhs_lower <= confirmation.rhs_upper


@pytest.mark.parametrize("point", EQUALITY_POINTS)
def test_an_irrational_constant_that_is_tight_is_never_refuted(point):
    confirmation = confirm_violation(EXP_SQRT5, point, L0=0, L1="sqrt(5)")
    assert not confirmation.confirmed and "equality up to rounding" in confirmation.reason
    lhs, rhs = _independent_sides(EXP_SQRT5, confirmation.point, claimed_condition(L0=0, L1="sqrt(5)"))
    with mp.workdps(80):
        assert mp.almosteq(lhs, rhs, rel_eps=mp.mpf(10) ** -70)  # the equality itself, recomputed


@pytest.mark.parametrize(
    ("objective", "constants", "point"),
    [
        (EXP_SQRT5, {"L0": 0, "L1": "sqrt(5) - 10**-15"}, ("1/3", "-2/7")),          # irrational, just below √5
        (EXP_SQRT5, {"L0": 0, "L1": "2.2360679774997896964"}, ("0", "0")),          # √5 = 2.23606797749978969640917…
        (QUARTIC, {"rho": "2/3", "C0": 0, "C1": "3*4**(1/3) - 10**-12"}, ("5/7",)),  # just below the best C1
    ],
)
def test_an_irrational_constant_just_below_a_tight_one_is_refuted(objective, constants, point):
    confirmation = confirm_violation(objective, point, **constants)
    assert confirmation.confirmed
    lhs, rhs = _independent_sides(objective, confirmation.point, claimed_condition(**constants))
    with mp.workdps(80):
        assert lhs > rhs
        assert confirmation.lhs_lower <= lhs and confirmation.rhs_upper >= rhs
    low, high = confirmation.bound_texts()
    with mp.workdps(250):
        assert mp.mpf(low) > mp.mpf(high)


def test_the_tight_irrational_constant_of_the_quartic_is_never_refuted():
    for point in ("5/7", "-3", "1/1000", "0", "123456789"):
        assert not confirm_violation(QUARTIC, (point,), rho="2/3", C0=0, C1="3*4**(1/3)").confirmed


@pytest.mark.parametrize(
    ("expression", "variables", "constants", "point"),
    [
        ("exp(2*(x+y+z))", "x,y,z", {"L0": 0, "L1": "2*sqrt(3)"}, ("1/5", "-1/3", "1/7")),   # 12e^u = 2√3·2√3e^u
        ("exp(log(2)*x)", "x", {"L0": 0, "L1": "log(2)"}, ("3/2",)),                         # (2^x)″ = log 2·(2^x)′
        ("exp(pi*x)", "x", {"L0": 0, "L1": "pi"}, ("-1/3",)),                                # π²e^(πx) = π·πe^(πx)
    ],
)
def test_exact_constants_log2_pi_and_2sqrt3_at_equality(expression, variables, constants, point):
    objective = _objective(expression, variables)
    assert not confirm_violation(objective, point, **constants).confirmed
    key = "L1"
    smaller = {**constants, key: f"({constants[key]}) * (1 - 10**-20)"}
    assert confirm_violation(objective, point, **smaller).confirmed


_COORDINATES = st.fractions(min_value=-40, max_value=40, max_denominator=10**6).map(
    lambda q: f"{q.numerator}/{q.denominator}")


@given(x=_COORDINATES, y=_COORDINATES)
def test_rounding_is_never_a_violation_at_random_points(x, y):
    assert not confirm_violation(EXP, (x, y), L0=0, L1=5).confirmed
    assert not confirm_violation(EXP_SQRT5, (x, y), L0=0, L1="sqrt(5)").confirmed
    assert not confirm_violation(QUARTER_QUARTIC, (x,), rho="2/3", C0=0, C1=3).confirmed


EQUALITY_CASES = [
    pytest.param("x**2", "x", {"rho": 0, "C0": 2, "C1": 0}, ["1/3"], id="x^2-C0=2"),
    pytest.param("x**4/4", "x", {"rho": "2/3", "C0": 0, "C1": 3}, ["5/7"], id="x^4/4-C1=3"),
    pytest.param("x**4/4", "x", {"rho": "2/3", "C0": 0, "C1": 3}, ["0"], id="x^4/4-stationary"),
    pytest.param("cos(x)", "x", {"rho": 0, "C0": 1, "C1": 0}, ["0"], id="cos-at-0"),
    pytest.param("cos(x)+cos(y)", "x,y", {"L0": 1, "L1": 0}, ["0", "0"], id="cos+cos-spectral"),  # Frobenius: √2
    pytest.param("exp(x)", "x", {"L0": 0, "L1": 1}, ["40"], id="exp-at-40"),
    pytest.param("x**2", "x", {"rho": 0, "C0": 1, "C1": 1}, ["0"], id="x^2-zero^zero"),  # 2 = 1 + 1·0^0
]


@pytest.mark.parametrize(("expression", "variables", "constants", "point"), EQUALITY_CASES)
def test_confirmation_at_points_of_equality(expression, variables, constants, point):
    confirmation = confirm_violation(_objective(expression, variables), point, **constants)
    assert not confirmation.confirmed and "equality up to rounding" in confirmation.reason


# ---------------------------------------------------------------------------------------
# genuine violations, bounds, outcome
# ---------------------------------------------------------------------------------------
def test_confirmation_of_a_tiny_genuine_margin():
    # L1 = 5 − 10⁻¹⁰ is false everywhere, by a relative margin of 2·10⁻¹¹
    confirmation = confirm_violation(EXP, ("1/3", "1/7"), L0=0, L1="4.9999999999")
    assert confirmation.confirmed and confirmation.point == (sp.Rational(1, 3), sp.Rational(1, 7))
    with mp.workdps(60):
        lhs, rhs = _independent_sides(EXP, confirmation.point, claimed_condition(L0=0, L1="4.9999999999"), 60)
        assert confirmation.rhs_upper < confirmation.lhs_lower <= lhs
        assert mp.almosteq(confirmation.lhs_lower, lhs, rel_eps=mp.mpf(10) ** -20)
        assert mp.almosteq(confirmation.rhs_upper, rhs, rel_eps=mp.mpf(10) ** -20)
    low, high = confirmation.bound_texts()
    with mp.workdps(250):
        assert mp.mpf(low) > mp.mpf(high)
    assert confirmation.tried and confirmation.dps == confirmation.tried[-1]


def test_a_violation_at_a_stationary_point_with_a_vanishing_right_side():
    # cos at 0: ∇f = 0 exactly, ‖∇²f‖₂ = 1 > 0 = C0 + C1·0^(1/2)
    confirmation = confirm_violation(_objective("cos(x)", "x"), ["0"], rho="1/2", C0=0, C1=5)
    assert confirmation.confirmed and confirmation.rhs_upper == 0 and confirmation.lhs_lower == 1


def test_a_condition_object_can_be_given():
    f = _objective("cos(x)+cos(y)", "x,y")
    assert confirm_violation(f, ["0", "0"], condition=L0L1Smooth("0.99", 100)).confirmed
    assert not confirm_violation(f, ["0", "0"], condition=HessianGrowth(0, 1, 0)).confirmed
    # in the Frobenius norm the same claim fails: ‖diag(−1, −1)‖_F = √2 > 1
    assert confirm_violation(f, ["0", "0"], condition=HessianGrowth(0, 1, 0, norm="frobenius")).confirmed
    # any pointwise condition: with ℓ(a) = 1 + a², eˣ at 0 has f″ = 1 < 2 = ℓ(f′)
    assert not confirm_violation(_objective("exp(x)", "x"), ["0"], condition=EllSmooth("1 + a**2")).confirmed
    with pytest.raises(ParseError, match="not both"):
        confirm_violation(f, ["0", "0"], condition=L0L1Smooth(1, 1), L0=1, L1=1)
    with pytest.raises(TypeError, match="pointwise condition"):
        confirm_violation(f, ["0", "0"], condition=conditions_module.GloballyLipschitz(1))


def test_confirmation_checks_its_input():
    with pytest.raises(ValueError, match="2 coordinates; expected 1"):
        confirm_violation(_objective("x**2", "x"), ["1", "2"], L0=1, L1=1)
    with pytest.raises(ParseError, match="negative"):
        confirm_violation(_objective("x**2", "x"), ["1"], L0=-1, L1=1)
    with pytest.raises(TypeError, match="Objective"):
        confirm_violation("x**2", ["1"], L0=1, L1=1)
    # floats are read by their binary value: 0.1 is not 1/10, and the point says so
    confirmation = confirm_violation(_objective("x**2", "x"), [0.1], rho=0, C0="1.99", C1=0)
    assert confirmation.confirmed and confirmation.point == (sp.Rational(0.1),)


def test_what_cannot_be_confirmed_says_why():
    outside = confirm_violation(_objective("sqrt(x)", "x"), ["-1"], L0=0, L1=0, max_dps=200)
    assert not outside.confirmed and "not finite in ball arithmetic" in outside.reason
    assert "outside the domain" in outside.reason
    assert outside.lhs_lower is None and outside.bound_texts() is None and len(outside.tried) == 2
    capped = confirm_violation(_objective("exp(exp(x))", "x"), ["2000"], L0=0, L1=0, max_dps=100)
    assert not capped.confirmed and "beyond the cap of 100" in capped.reason and capped.tried == ()


def test_a_violation_is_confirmed_only_inside_the_domain_of_f():
    # log x + x⁴: f′ = 1/x + 4x³ and f″ = −1/x² + 12x² are finite at x = −1, where f is not defined
    f = _objective("log(x) + x**4", "x")
    outside = confirm_violation(f, ["-1"], rho=0, C0=0, C1=0)
    assert not outside.confirmed and "outside the domain of f" in outside.reason
    inside = confirm_violation(f, ["2"], rho=0, C0=0, C1=0)  # the same claim fails inside the domain
    assert inside.confirmed


def test_confirmation_json_names_the_bounds():
    payload = confirm_violation(EXP, ("1/3", "1/7"), L0=0, L1="4.9999999999").to_json()
    assert payload["confirmed"] is True and payload["arithmetic"].startswith("ball")
    with mp.workdps(250):
        assert mp.mpf(payload["lhs_lower"]) > mp.mpf(payload["rhs_upper"])
    assert "top eigenvector" in payload["lhs_lower_is"] and "L0 + L1" in payload["rhs_upper_is"]
    assert payload["precisions_tried"] and payload["dps"] == payload["precisions_tried"][-1]


@pytest.mark.parametrize("digits", [5, 12, 30])
@pytest.mark.parametrize("text", ["2.2360679774997896964091736687312762354", "1e-300", "7", "123456.7890123",
                                  "3e+5000"])
def test_directed_decimals_bracket_the_value(text, digits):
    with mp.workdps(60):
        value = mp.mpf(text) * (1 + mp.mpf(10) ** -45)
        down, up = directed_decimal(value, digits, down=True), directed_decimal(value, digits, down=False)
    with mp.workdps(200):
        assert mp.mpf(down) < value < mp.mpf(up)
    for text in (down, up):
        assert len(text.split("e")[0].replace(".", "").strip("0")) <= digits


def test_directed_decimals_of_exact_values_are_exact():
    assert directed_decimal(mp.mpf(0), 5, down=True) == "0"
    for down in (True, False):
        assert mp.mpf(directed_decimal(mp.mpf("0.125"), 5, down=down)) == mp.mpf("0.125")


def test_bound_texts_widen_until_the_separation_shows():
    with mp.workdps(80):
        low = mp.mpf(1) + mp.mpf(10) ** -40
        high = mp.mpf(1) + mp.mpf(10) ** -45
    confirmation = Confirmation((sp.Integer(0),), True, low, high, 80, (80,), "")
    lower, upper = confirmation.bound_texts()
    with mp.workdps(100):
        assert mp.mpf(lower) > mp.mpf(upper) and mp.mpf(lower) <= low and mp.mpf(upper) >= high


# ---------------------------------------------------------------------------------------
# mutants of the machinery are caught
# ---------------------------------------------------------------------------------------
def test_a_midpoint_comparison_mutant_would_confirm_equalities(monkeypatch):
    # the mutant compares the balls' midpoints (floating-point values) instead of their ends
    monkeypatch.setattr(BallSides, "refuted", property(lambda sides: bool(sides.lhs.mid() > sides.rhs.mid())))
    mutant = [confirm_violation(EXP, p, L0=0, L1=5).confirmed for p in EQUALITY_POINTS]
    assert any(mutant)  # so test_confirmation_never_confirms_an_equality catches it


def test_a_frobenius_mutant_would_violate_a_true_claim(monkeypatch):
    # ‖∇²f‖_F = √2 at (0, 0) for cos x + cos y, while ‖∇²f‖₂ = 1 = L0: the wrong norm as the
    # "lower bound" of the spectral norm turns the true claim (L0, L1) = (1, 0) into a violation
    f = _objective("cos(x)+cos(y)", "x,y")
    assert not confirm_violation(f, ["0", "0"], L0=1, L1=0).confirmed
    monkeypatch.setattr(norms_module, "ball_spectral_lower", ball_frobenius_norm)
    assert confirm_violation(f, ["0", "0"], L0=1, L1=0).confirmed
    # so test_confirmation_at_points_of_equality[cos+cos-spectral] catches it


def test_a_zero_to_the_zero_mutant_would_violate_a_true_claim(monkeypatch):
    # with 0^0 = 0 the right side of x² at x = 0 (ρ = 0, C0 = C1 = 1) would be 1 < 2 = f″
    f = _objective("x**2", "x")
    real = conditions_module.power
    assert not confirm_violation(f, ["0"], rho=0, C0=1, C1=1).confirmed

    def zero_to_the_zero_is_zero(x, rho):
        if isinstance(x, arb) and x.is_zero():
            return arb(0)
        return real(x, rho)

    monkeypatch.setattr(conditions_module, "power", zero_to_the_zero_is_zero)
    assert confirm_violation(f, ["0"], rho=0, C0=1, C1=1).confirmed
    # so test_confirmation_at_points_of_equality[x^2-zero^zero] catches it
