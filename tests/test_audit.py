"""dlnsmooth.audit: claimed constants of ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ, audited.

True claims (each with its proof in a comment) must never come out ``violated`` — including
claims that hold with equality everywhere or at the stationary points, where rounding could
tip a floating-point comparison either way. False claims must come out ``violated`` with a
point at which the violation is confirmed in ball arithmetic and re-checked here
independently in mpmath. Mutants of the confirmation (midpoints instead of bounds, the
Frobenius norm instead of the spectral norm, 0^0 = 0) are shown to be caught.
"""

import json

import mpmath as mp
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import dlnsmooth.audit as audit_module
from dlnsmooth.audit import AuditResult, Claim, audit, confirm_violation, decimal_text, parse_constant
from dlnsmooth.cli import main
from dlnsmooth.errors import InvalidRhoError, ParseError, UnknownVariableError
from dlnsmooth.norms import spectral_norm, vector_norm
from dlnsmooth.objective import Objective

# 12 / 4^(2/3) = 4.76220315590459…: the best C1 for x⁴ with ρ = 2/3 and C0 = 0
X4_C1 = 12 / 4 ** (2 / 3)


def _objective(expression: str, variables: str) -> Objective:
    return Objective.from_string(expression, variables)


def _independent_sides(objective: Objective, point, claim: Claim, dps: int = 80) -> tuple[mp.mpf, mp.mpf]:
    """‖∇²f‖₂ and C0 + C1‖∇f‖^ρ at the exact point, in mpmath (the objective's own evaluators,
    not the audit's balls)."""
    with mp.workdps(dps):
        lhs = spectral_norm(objective.hess(list(point), dps))
        grad_norm = vector_norm(objective.grad(list(point), dps))
        power = mp.mpf(1) if claim.rho == 0 else grad_norm ** (mp.mpf(int(claim.rho.p)) / int(claim.rho.q))
        rhs = mp.mpf(int(claim.C0.p)) / int(claim.C0.q) + mp.mpf(int(claim.C1.p)) / int(claim.C1.q) * power
        return lhs, rhs


# ---------------------------------------------------------------------------------------
# true claims: never "refuted"
# ---------------------------------------------------------------------------------------
TRUE_CLAIMS = [
    # ∇f = e^u (3, 4), ∇²f = e^u (3, 4)ᵀ(3, 4) with u = 3x + 4y: ‖∇²f‖₂ = 25 e^u = 5‖∇f‖ — equality everywhere
    pytest.param("exp(3*x+4*y)", "x,y", {"L0": 0, "L1": 5}, True, id="exp(3x+4y)-L0=0-L1=5-equality"),
    # f″ = 4e^(−2x) = 2|f′| — equality everywhere (a < 0)
    pytest.param("exp(-2*x)", "x", {"L0": 0, "L1": 2}, True, id="exp(-2x)-L0=0-L1=2-equality"),
    # ∇f = (x³, y³), ∇²f = diag(3x², 3y²): ‖∇²f‖₂ = 3 max(x², y²) ≤ 3 (x⁶ + y⁶)^(1/3) = 3‖∇f‖^(2/3),
    # equality on the axes; in the Frobenius norm the claim would be false (3√2 x² > 3·2^(1/3) x² at x = y)
    pytest.param("(x**4+y**4)/4", "x,y", {"rho": "2/3", "C0": 0, "C1": 3}, True, id="quartic-2d-rho2/3-spectral"),
    # f″ = 2 = C0 — equality everywhere
    pytest.param("x**2", "x", {"rho": 0, "C0": 2, "C1": 0}, True, id="x^2-rho0-C0=2-equality"),
    # ρ = 0 and 0^0 = 1: the right side is C0 + C1 = 2 = f″ also at the stationary point x = 0
    pytest.param("x**2", "x", {"rho": 0, "C0": 1, "C1": 1}, True, id="x^2-rho0-C0=1-C1=1-zero^zero"),
    # |f″| = |cos x| ≤ 1, equality at the stationary points kπ
    pytest.param("cos(x)", "x", {"rho": 0, "C0": 1, "C1": 0}, True, id="cos-C0=1-equality-at-stationary"),
    # f″ = sech² x ≤ 1, equality at the stationary point 0
    pytest.param("log(cosh(x))", "x", {"rho": 0, "C0": 1, "C1": 0}, True, id="logcosh-C0=1"),
    # f = x⁴/4: f′ = x³, f″ = 3x² = 3|f′|^(2/3) — equality everywhere (ρ-order claim at the threshold 2/3)
    pytest.param("x**4/4", "x", {"rho": "2/3", "C0": 0, "C1": 3}, True, id="x^4/4-rho2/3-C1=3-equality"),
    # f = x⁴: f″ = 12x² = (12/4^(2/3)) |f′|^(2/3), and 4.7623 > 12/4^(2/3) = 4.76220…
    pytest.param("x**4", "x", {"rho": "2/3", "C0": 0, "C1": "4.7623"}, False, id="x^4-rho2/3-C1=4.7623"),
    # softplus: f′ = σ(x), f″ = σ(1 − σ) ≤ σ = f′ (ratio → 1 as x → −∞, never reached)
    pytest.param("log(1+exp(x))", "x", {"L0": 0, "L1": 1}, False, id="softplus-L0=0-L1=1"),
    # ∇²f = σ(1 − σ)·[[1, 1], [1, 1]] with σ = σ(x + y): ‖∇²f‖₂ = 2σ(1 − σ) ≤ 1/2, equality on x + y = 0
    pytest.param("log(1+exp(x+y))", "x,y", {"rho": 0, "C0": "1/2", "C1": 0}, True, id="softplus(x+y)-C0=1/2"),
    # ∇²f = diag(−cos x, −cos y): ‖∇²f‖₂ = max(|cos x|, |cos y|) ≤ 1, equality at the stationary points
    pytest.param("cos(x)+cos(y)", "x,y", {"L0": 1, "L1": 0}, True, id="cos+cos-L0=1-equality-at-stationary"),
    # ∇²f = σ(1 − σ)·J (J: 3×3 ones, ‖J‖₂ = 3) with σ = σ(x − y + z): ‖∇²f‖₂ = 3σ(1 − σ) ≤ 3/4
    pytest.param("log(1+exp(x-y+z))", "x,y,z", {"rho": "1/2", "C0": "3/4", "C1": 0}, True, id="softplus-3d-C0=3/4"),
]


@pytest.mark.parametrize(("expression", "variables", "constants", "equality"), TRUE_CLAIMS)
def test_true_claims_are_never_violated(expression, variables, constants, equality):
    result = audit(_objective(expression, variables), **constants, progress=False)
    assert result.verdict == "not refuted"
    assert result.point is None and result.confirmation is None
    searched = result.searched
    assert not searched["timed_out"] and result.seconds < 60
    # the search was not vacuous: every source ran
    assert searched["newton_starts"] > 0 and searched["curve_points"] > 0 and searched["local_starts"] > 0
    assert searched["local_evaluations"] > 0 and searched["refined"] > 0
    # the worst point seen is no worse than equality up to rounding
    assert result.largest_ratio is not None and result.largest_ratio <= 1 + mp.mpf(10) ** -25
    if equality:  # the audit did see the equality, and did not call it a violation
        assert searched["equality_points"] > 0
        assert result.largest_ratio >= 1 - mp.mpf(10) ** -25


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_equality_claim_is_never_violated_for_other_seeds(seed):
    result = audit(_objective("x**4/4", "x"), rho="2/3", C0=0, C1=3, seed=seed, progress=False)
    assert result.verdict == "not refuted" and result.searched["equality_points"] > 0


# ---------------------------------------------------------------------------------------
# false claims: always "refuted", confirmed
# ---------------------------------------------------------------------------------------
FALSE_CLAIMS = [
    # x⁴, ρ = 1/2: f″/|f′|^(1/2) = 6|x|^(1/2) → ∞; with C0 = C1 = 1000 violations only for |x| ≳ 2.8·10⁴
    pytest.param("x**4", "x", {"rho": "1/2", "C0": 1000, "C1": 1000}, id="x^4-rho1/2-far-out"),
    # f″ = f′ = eˣ > 0.99 eˣ everywhere
    pytest.param("exp(x)", "x", {"L0": 0, "L1": "0.99"}, id="exp-L1=0.99"),
    # eˣ with ρ = 1/2: eˣ/(10 + 10 e^(x/2)) → ∞
    pytest.param("exp(x)", "x", {"rho": "1/2", "C0": 10, "C1": 10}, id="exp-rho1/2"),
    # f″ = 2 > 1.99
    pytest.param("x**2", "x", {"rho": 0, "C0": "1.99", "C1": 0}, id="x^2-C0=1.99"),
    # x⁴/4: 3x² > 2.99|x|² for every x ≠ 0 (ρ-order claim just below the equality constant)
    pytest.param("x**4/4", "x", {"rho": "2/3", "C0": 0, "C1": "2.99"}, id="x^4/4-rho2/3-C1=2.99"),
    # x⁴, ρ = 2/3, C1 = 4.7622 < 12/4^(2/3): 12x² > 1 + 11.99999205x² only for |x| > 354 (relative margin < 10⁻⁶)
    pytest.param("x**4", "x", {"rho": "2/3", "C0": 1, "C1": "4.7622"}, id="x^4-rho2/3-C1=4.7622-far-out"),
    # softplus: σ(1 − σ) > 0.99σ iff σ < 0.01, i.e. only for x < −4.59
    pytest.param("log(1+exp(x))", "x", {"L0": 0, "L1": "0.99"}, id="softplus-L1=0.99"),
    # the R⁴ network (SPEC Prop 7): ∇f = 0 and ‖∇²f‖ ~ k²/2 along (0, 0, k, k)
    pytest.param("log(1+exp(-a*b*c*d))", "a,b,c,d", {"L0": 1, "L1": 1}, id="R4-network-L0=L1=1"),
    # x·y·z: ∇f = 0 on the axes, where ‖∇²f‖₂ = |x| (stationary points with a growing Hessian)
    pytest.param("x*y*z", "x,y,z", {"L0": 100, "L1": 100}, id="xyz-stationary-axes"),
]


def _assert_confirmed_violation(result: AuditResult) -> None:
    assert result.verdict == "refuted"
    assert result.point is not None and len(result.point) == result.objective.n
    confirmation = result.confirmation
    assert confirmation is not None and confirmation.confirmed
    assert confirmation.point == result.point
    assert confirmation.lhs_lower > confirmation.rhs_upper  # rigorous bounds, exact comparison
    lhs, rhs = _independent_sides(result.objective, result.point, result.claim)
    with mp.workdps(80):
        assert lhs > rhs  # the violation, recomputed independently of the balls
        assert confirmation.lhs_lower <= lhs * (1 + mp.mpf(10) ** -25)  # a lower bound indeed
        assert confirmation.rhs_upper >= rhs * (1 - mp.mpf(10) ** -25)  # an upper bound indeed
    low, high = confirmation.bound_texts()
    assert mp.mpf(low) > mp.mpf(high)
    assert result.lhs is not None and result.rhs is not None and result.lhs.digits >= 30


@pytest.mark.parametrize(("expression", "variables", "constants"), FALSE_CLAIMS)
def test_false_claims_are_violated_with_a_confirmed_point(expression, variables, constants):
    result = audit(_objective(expression, variables), **constants, progress=False)
    _assert_confirmed_violation(result)
    assert result.seconds < 60


@pytest.mark.parametrize("expression", ["cos(x)+cos(y)", "sin(x)+sin(y)"])
def test_a_false_claim_whose_only_violations_are_at_stationary_points(expression):
    # ‖∇²f‖₂ = max(|f_xx|, |f_yy|) ≤ 1, so a violation of ‖∇²f‖₂ ≤ 0.99 + 100‖∇f‖ needs
    # ‖∇f‖ < 10⁻⁴: only tiny neighbourhoods of the stationary points (kπ, lπ) — for sin, at
    # (π/2 + kπ, π/2 + lπ), irrational, so the audit must land within 10⁻⁴ of an irrational point
    f = _objective(expression, "x,y")
    result = audit(f, L0="0.99", L1=100, progress=False)
    _assert_confirmed_violation(result)
    with mp.workdps(50):
        assert f.grad_norm(list(result.point), 50) < mp.mpf(10) ** -4
    assert "stationary" in result.source


def test_a_violation_only_far_out_is_found_on_a_search_curve():
    result = audit(_objective("x**4", "x"), rho="1/2", C0=10**6, C1=10**6, progress=False)
    _assert_confirmed_violation(result)
    assert abs(result.point[0]) > 10**10  # 6|x|^(1/2) > 10⁶ needs |x| > 2.7·10¹⁰
    assert "curve" in result.source


# ---------------------------------------------------------------------------------------
# the confirmation, on its own: equality is never a violation; mutants are caught
# ---------------------------------------------------------------------------------------
EQUALITY_POINTS = [("1/3", "1/7"), ("0.1", "-0.2"), ("2/3", "-5/7"), ("1.5", "-0.25"), ("-3/11", "2/13"),
                   ("7", "-3"), ("0.01", "0.02"), ("-1/9", "1/17"), ("5/3", "-4/3"), ("1/6", "1/5"), ("0", "0")]
EXP = _objective("exp(3*x+4*y)", "x,y")
QUARTER_QUARTIC = _objective("x**4/4", "x")


@pytest.mark.parametrize("point", EQUALITY_POINTS)
def test_confirmation_never_confirms_an_equality(point):
    confirmation = confirm_violation(EXP, point, L0=0, L1=5)
    assert not confirmation.confirmed
    assert "equality up to rounding" in confirmation.reason
    assert confirmation.lhs_lower <= confirmation.rhs_upper


_COORDINATES = st.fractions(min_value=-40, max_value=40, max_denominator=10**6).map(lambda q: f"{q.numerator}/{q.denominator}")


@given(x=_COORDINATES, y=_COORDINATES)
def test_rounding_is_never_a_violation_at_random_points(x, y):
    # equality everywhere: ‖∇²f‖₂ = 25e^(3x+4y) = 5‖∇f‖, and 3x² = 3|x³|^(2/3)
    assert not confirm_violation(EXP, (x, y), L0=0, L1=5).confirmed
    assert not confirm_violation(QUARTER_QUARTIC, (x,), rho="2/3", C0=0, C1=3).confirmed


@pytest.mark.parametrize(
    ("expression", "variables", "constants", "point"),
    [
        ("x**2", "x", {"rho": 0, "C0": 2, "C1": 0}, ["1/3"]),          # 2 = 2 exactly
        ("x**4/4", "x", {"rho": "2/3", "C0": 0, "C1": 3}, ["5/7"]),     # 3x² = 3|x³|^(2/3)
        ("x**4/4", "x", {"rho": "2/3", "C0": 0, "C1": 3}, ["0"]),       # 0 = 0 at the stationary point
        ("cos(x)", "x", {"rho": 0, "C0": 1, "C1": 0}, ["0"]),           # |cos 0| = 1
        ("cos(x)+cos(y)", "x,y", {"L0": 1, "L1": 0}, ["0", "0"]),       # ‖diag(−1, −1)‖₂ = 1 (Frobenius: √2)
        ("exp(x)", "x", {"L0": 0, "L1": 1}, ["40"]),                    # e⁴⁰ = e⁴⁰
        ("x**2", "x", {"rho": 0, "C0": 1, "C1": 1}, ["0"]),             # 2 = 1 + 1·0^0
    ],
)
def test_confirmation_at_points_of_equality(expression, variables, constants, point):
    assert not confirm_violation(_objective(expression, variables), point, **constants).confirmed


def test_confirmation_checks_its_input():
    with pytest.raises(ValueError, match="2 coordinates; expected 1"):
        confirm_violation(_objective("x**2", "x"), ["1", "2"], L0=1, L1=1)
    with pytest.raises(ParseError, match="negative"):
        confirm_violation(_objective("x**2", "x"), ["1"], L0=-1, L1=1)
    # floats are read by their binary value: 0.1 is not 1/10, and the point says so
    confirmation = confirm_violation(_objective("x**2", "x"), [0.1], rho=0, C0="1.99", C1=0)
    assert confirmation.confirmed and confirmation.point == (sp.Rational(0.1),)


def test_confirmation_of_a_tiny_genuine_margin():
    # L1 = 5 − 10⁻¹⁰ is false everywhere, by a relative margin of 2·10⁻¹¹
    confirmation = confirm_violation(EXP, ("1/3", "1/7"), L0=0, L1="4.9999999999")
    assert confirmation.confirmed
    low, high = confirmation.bound_texts()
    assert mp.mpf(low) > mp.mpf(high)


def test_a_midpoint_comparison_mutant_would_confirm_equalities(monkeypatch):
    # the mutant compares the balls' midpoints (floating-point values) instead of their bounds
    def midpoints(ball):
        value = audit_module.ball_to_mpf(ball)
        return value, value

    monkeypatch.setattr(audit_module, "_endpoints", midpoints)
    mutant = [confirm_violation(EXP, p, L0=0, L1=5).confirmed for p in EQUALITY_POINTS]
    assert any(mutant)  # so test_confirmation_never_confirms_an_equality catches it


def test_a_frobenius_mutant_would_violate_a_true_claim(monkeypatch):
    # ‖∇²f‖_F = √2 at (0, 0) for cos x + cos y, while ‖∇²f‖₂ = 1 = L0: using the wrong norm
    # as the "lower bound" turns the true claim (L0, L1) = (1, 0) into a violation
    f = _objective("cos(x)+cos(y)", "x,y")
    real = audit_module._ball_sides

    def frobenius(objective, point, claim, dps):
        outcome = real(objective, point, claim, dps)
        if isinstance(outcome, str):
            return outcome
        with audit_module.working_precision(dps):
            return objective.ball_norms([audit_module.to_arb(v) for v in point])[1], outcome[1]

    assert not confirm_violation(f, ["0", "0"], L0=1, L1=0).confirmed
    monkeypatch.setattr(audit_module, "_ball_sides", frobenius)
    assert confirm_violation(f, ["0", "0"], L0=1, L1=0).confirmed
    # caught by test_confirmation_at_points_of_equality (cos x + cos y at (0, 0)); the audit itself
    # would still not report it, since its mpmath screening (spectral norm) sees equality there


def test_a_zero_to_the_zero_mutant_would_violate_a_true_claim(monkeypatch):
    # with 0^0 = 0 the right side of x² at x = 0 (ρ = 0, C0 = C1 = 1) would be 1 < 2 = f″
    f = _objective("x**2", "x")
    real = audit_module.power

    def zero_to_the_zero_is_zero(x, rho):
        return audit_module.arb(0) if x.is_zero() else real(x, rho)

    monkeypatch.setattr(audit_module, "power", zero_to_the_zero_is_zero)
    assert confirm_violation(f, ["0"], rho=0, C0=1, C1=1).confirmed


# ---------------------------------------------------------------------------------------
# output, determinism, budget, validation
# ---------------------------------------------------------------------------------------
def test_json_of_a_violation():
    f = _objective("cos(x)+cos(y)", "x,y")
    result = audit(f, L0="0.99", L1=100, progress=False)
    payload = json.loads(result.to_json_text())
    assert payload["verdict"] == "refuted" and payload["norm"] == "spectral"
    assert set(payload["point"]) == {"x", "y"}
    assert tuple(sp.Rational(payload["point"][name]) for name in ("x", "y")) == result.point  # exact decimals
    assert mp.mpf(payload["lhs"]) > mp.mpf(payload["rhs"])
    assert len(payload["lhs"].replace(".", "").lstrip("0")) >= 30
    confirmation = payload["confirmation"]
    assert confirmation["confirmed"] is True and confirmation["arithmetic"].startswith("ball")
    assert mp.mpf(confirmation["lhs_lower"]) > mp.mpf(confirmation["rhs_upper"])
    assert payload["claim"]["L0"] == "99/100" and payload["claim"]["rho"] == "1"
    assert {"largest_ratio", "where", "searched", "seed", "time_budget"} <= set(payload)
    assert "Verdict: REFUTED" in result.report() and "spectral" in result.report()


def test_json_and_report_of_no_violation():
    result = audit(_objective("log(1+exp(x))", "x"), L0=0, L1=1, progress=False)
    payload = result.to_json()
    assert payload["verdict"] == "not refuted"
    assert payload["point"] is None and payload["lhs"] is None and payload["rhs"] is None
    assert payload["confirmation"] is None
    assert float(payload["largest_ratio"]) <= 1
    assert set(payload["where"]["point"]) == {"x"} and payload["where"]["source"]
    report = result.report()
    assert "NOT REFUTED" in report and "no violation found" in report and "not a proof" in report and "Largest ratio" in report


def test_largest_ratio_is_infinite_when_the_right_side_vanishes():
    # C0 = 0, ρ > 0: at the stationary point x = 0 of cos the right side is 0 and ‖∇²f‖₂ = 1
    result = audit(_objective("cos(x)", "x"), rho="1/2", C0=0, C1=5, progress=False)
    _assert_confirmed_violation(result)
    assert result.largest_ratio == mp.inf and result.to_json()["largest_ratio"] == "inf"


def test_the_same_seed_gives_the_same_audit():
    f = _objective("log(1+exp(x+y))", "x,y")
    first = audit(f, rho=0, C0="1/2", C1=0, seed=7, progress=False).to_json()
    second = audit(f, rho=0, C0="1/2", C1=0, seed=7, progress=False).to_json()
    first.pop("seconds"), second.pop("seconds")
    assert first == second


def test_a_small_time_budget_stops_the_search_and_says_so():
    f = _objective("log(1+exp(a+b+c+d))", "a,b,c,d")
    result = audit(f, rho=0, C0=1, C1=0, time_budget=0.6, progress=False)
    assert result.verdict == "not refuted"
    assert result.searched["timed_out"] and any("time budget" in note for note in result.notes)
    assert result.seconds < 3
    assert "BUDGET SPENT" in result.report()


def test_progress_goes_to_stderr(capsys):
    audit(_objective("x**2", "x"), rho=0, C0=2, C1=0, progress=True, local_starts=2, curve_limit=2)
    out, err = capsys.readouterr()
    assert out == "" and "audit" in err


def test_points_outside_the_domain_are_skipped():
    # log x: f″ = −1/x², f′ = 1/x, so ‖∇²f‖ = ‖∇f‖²: (L0, L1) = (10, 10) fails near 0; x ≤ 0 is skipped
    result = audit(_objective("log(x)", "x"), L0=10, L1=10, progress=False)
    _assert_confirmed_violation(result)
    assert result.point[0] > 0


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(-1, "negative"), ("-0.5", "negative"), ("nan", "not a finite number"), (float("nan"), "not a finite number"),
     ("inf", "not a finite number"), ("abc", "unknown name 'abc'"), ("1/0", "division by zero"),
     (None, "missing")],
)
def test_bad_constants_are_refused_with_a_clear_message(value, fragment):
    with pytest.raises(ParseError, match=fragment):
        parse_constant(value, "C0")


def test_constants_are_exact():
    assert parse_constant("0.1", "C0") == sp.Rational(1, 10)
    assert parse_constant("2/3", "C1") == sp.Rational(2, 3)
    assert Claim.make(L0="0.99", L1=100) == Claim(sp.Integer(1), sp.Rational(99, 100), sp.Integer(100), True)


def test_api_validation():
    f = _objective("x**2", "x")
    for bad in (-1, float("nan"), "nan"):
        with pytest.raises(InvalidRhoError):
            audit(f, rho=bad, C0=1, C1=1)
    with pytest.raises(ParseError, match="not both"):
        audit(f, rho=1, C0=1, C1=1, L0=1, L1=1)
    with pytest.raises(ParseError, match="rho is missing"):
        audit(f, C0=1, C1=1)
    for budget in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ParseError, match="time budget"):
            audit(f, L0=1, L1=1, time_budget=budget)
    with pytest.raises(ParseError, match="seed"):
        audit(f, L0=1, L1=1, seed=-1)
    with pytest.raises(TypeError):
        audit("x**2", L0=1, L1=1)


@pytest.mark.parametrize(
    ("value", "text"),
    [(sp.Integer(0), "0"), (sp.Rational(1, 8), "0.125"), (sp.Rational(-7, 2), "-3.5"), (sp.Integer(1200), "1200"),
     (sp.Rational(1, 3), "1/3"), (sp.Rational(-35, 10**41), "-3.5e-40"), (sp.Integer(10) ** 30, "1e+30"),
     (sp.Rational(123, 10**6), "0.000123")],
)
def test_decimal_text_is_exact(value, text):
    assert decimal_text(value) == text
    if "/" not in text:
        assert sp.Rational(text) == value


# ---------------------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------------------
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_violated_exits_1_with_json(capsys):
    code, out, _ = run(capsys, "audit", "exp(x)", "--vars", "x", "--L0", "0", "--L1", "0.99", "--json")
    payload = json.loads(out)
    assert code == 1 and payload["verdict"] == "refuted"
    assert mp.mpf(payload["lhs"]) > mp.mpf(payload["rhs"]) and payload["point"]["x"]


def test_cli_no_violation_exits_0(capsys):
    code, out, _ = run(capsys, "audit", "x**4/4", "--vars", "x", "--rho", "2/3", "--C0", "0", "--C1", "3",
                       "--time", "30", "--seed", "2")
    assert code == 0
    assert "NOT REFUTED" in out and "spectral" in out and "seed 2" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--L0", "-1", "--L1", "1"], "L0 = -1 is negative"),
        (["--L0", "nan", "--L1", "1"], "not a finite number"),
        (["--L0", "1", "--L1", "abc"], "unknown name 'abc'"),
        (["--rho", "-1", "--C0", "1", "--C1", "1"], "negative"),
        (["--rho", "nan", "--C0", "1", "--C1", "1"], "not a finite number"),
        (["--rho", "1", "--C0", "1"], "--C1 missing"),
        (["--L0", "1"], "--L1 missing"),
        (["--L0", "1", "--L1", "1", "--rho", "1"], "not both"),
        ([], "no claimed constants"),
        (["--L0", "1", "--L1", "1", "--time", "0"], "time budget"),
    ],
)
def test_cli_bad_constants_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, "audit", "x**2", "--vars", "x", *argv)
    assert code == 2 and out == ""
    assert fragment in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_unknown_variable_exits_2(capsys):
    code, _, err = run(capsys, "audit", "x**2 + y", "--vars", "x", "--L0", "1", "--L1", "1")
    assert code == 2 and "unknown variable 'y'" in err
    with pytest.raises(UnknownVariableError):
        _objective("x**2 + y", "x")


def test_cli_help_documents_the_exit_status(capsys):
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    out, _ = capsys.readouterr()
    assert "Exit status" in out and "'refuted'" in out and "2 on bad input" in out
