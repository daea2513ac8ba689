"""dlnsmooth.audit: the search for a point where claimed constants of ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ fail.

True claims (each with its proof in a comment) must never come out ``refuted`` — including
claims that hold with equality everywhere or at the stationary points, where rounding could
tip a floating-point comparison either way, and claims whose constants are irrational (√5,
2√3, log 2, π). False claims must come out ``refuted`` with a point at which the violation is
confirmed in ball arithmetic (:mod:`dlnsmooth.violation`, tested in test_violation.py) and
re-checked here independently in mpmath. Each source of the search (stationary points,
search curves, local maximisation) is shown to find the violations only it can reach.
"""

from __future__ import annotations

import json

import mpmath as mp
import pytest
import sympy as sp

import dlnsmooth.audit as audit_module
from dlnsmooth.audit import AuditResult, audit
from dlnsmooth.cli import main
from dlnsmooth.conditions import HessianGrowth, L0L1Smooth
from dlnsmooth.errors import InvalidRhoError, ParseError, TooLargeError, UnknownVariableError
from dlnsmooth.norms import spectral_norm, vector_norm
from dlnsmooth.objective import Objective

# 12 / 4^(2/3) = 4.76220315590459…: the best C1 for x⁴ with ρ = 2/3 and C0 = 0
X4_C1 = 12 / 4 ** (2 / 3)


def _objective(expression: str, variables: str) -> Objective:
    return Objective.from_string(expression, variables)


def _exact(value: sp.Expr, dps: int) -> mp.mpf:
    with mp.workdps(dps):
        return mp.mpf(sp.Float(sp.N(value, dps + 10), dps + 10)._mpf_)


def _independent_sides(objective: Objective, point, condition: HessianGrowth, dps: int = 80) -> tuple[mp.mpf, mp.mpf]:
    """‖∇²f‖₂ and C0 + C1‖∇f‖^ρ at the exact point in mpmath, written out here (the objective's
    own evaluators; not the condition's bound, not the balls)."""
    with mp.workdps(dps):
        lhs = spectral_norm(objective.hess(list(point), dps))
        grad_norm = vector_norm(objective.grad(list(point), dps))
        rho = condition.rho
        power = mp.mpf(1) if rho == 0 else grad_norm ** (mp.mpf(int(rho.p)) / int(rho.q))
        return lhs, _exact(condition.C0, dps) + _exact(condition.C1, dps) * power


def _assert_confirmed_violation(result: AuditResult) -> None:
    assert result.verdict == "refuted"
    assert result.point is not None and len(result.point) == result.objective.n
    confirmation = result.confirmation
    assert confirmation is not None and confirmation.confirmed
    assert confirmation.point == result.point
    assert confirmation.lhs_lower > confirmation.rhs_upper  # rigorous bounds, exact comparison
    lhs, rhs = _independent_sides(result.objective, result.point, result.condition)
    with mp.workdps(80):
        assert lhs > rhs  # the violation, recomputed independently of the balls
        assert confirmation.lhs_lower <= lhs * (1 + mp.mpf(10) ** -25)  # a lower bound indeed
        assert confirmation.rhs_upper >= rhs * (1 - mp.mpf(10) ** -25)  # an upper bound indeed
    low, high = confirmation.bound_texts()
    with mp.workdps(250):
        assert mp.mpf(low) > mp.mpf(high)
    assert result.lhs is not None and result.rhs is not None and result.lhs.digits >= 30


def _unrefuted_verdict(result: AuditResult) -> str:
    """What a claim that is not refuted comes out as: ``holds`` exactly when the proof route proved it."""
    return "holds" if result.proof is not None and result.proof.verdict == "holds" else "not refuted"


def _assert_not_refuted(result: AuditResult, *, equality: bool) -> None:
    assert result.verdict == _unrefuted_verdict(result)
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


# ---------------------------------------------------------------------------------------
# expensive audits shared by several tests, run once per session
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def stationary_violation() -> AuditResult:
    """cos x + cos y with (L0, L1) = (0.99, 100): violated only next to the stationary points."""
    return audit(_objective("cos(x)+cos(y)", "x,y"), L0="0.99", L1=100, prove=False, progress=False)


@pytest.fixture(scope="session")
def softplus_no_violation() -> AuditResult:
    """softplus with (L0, L1) = (0, 1): true (f″ = σ(1 − σ) ≤ σ = f′)."""
    return audit(_objective("log(1+exp(x))", "x"), L0=0, L1=1, progress=False)


@pytest.fixture(scope="session")
def sqrt5_equality() -> AuditResult:
    """e^(2x1 − x2) with (L0, L1) = (0, √5): equality everywhere (‖∇²f‖₂ = 5e^u = √5‖∇f‖)."""
    return audit(_objective("exp(2*x1 - x2)", "x1,x2"), L0=0, L1="sqrt(5)", progress=False)


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
    # ∇²f = σ(1 − σ)·[[1, 1], [1, 1]] with σ = σ(x + y): ‖∇²f‖₂ = 2σ(1 − σ) ≤ 1/2, equality on x + y = 0
    pytest.param("log(1+exp(x+y))", "x,y", {"rho": 0, "C0": "1/2", "C1": 0}, True, id="softplus(x+y)-C0=1/2"),
    # ∇²f = diag(−cos x, −cos y): ‖∇²f‖₂ = max(|cos x|, |cos y|) ≤ 1, equality at the stationary points
    pytest.param("cos(x)+cos(y)", "x,y", {"L0": 1, "L1": 0}, True, id="cos+cos-L0=1-equality-at-stationary"),
    # ∇²f = σ(1 − σ)·J (J: 3×3 ones, ‖J‖₂ = 3) with σ = σ(x − y + z): ‖∇²f‖₂ = 3σ(1 − σ) ≤ 3/4
    pytest.param("log(1+exp(x-y+z))", "x,y,z", {"rho": "1/2", "C0": "3/4", "C1": 0}, True, id="softplus-3d-C0=3/4"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("expression", "variables", "constants", "equality"), TRUE_CLAIMS)
def test_true_claims_are_never_refuted(expression, variables, constants, equality):
    _assert_not_refuted(audit(_objective(expression, variables), **constants, progress=False), equality=equality)


def test_softplus_is_not_refuted(softplus_no_violation):
    _assert_not_refuted(softplus_no_violation, equality=False)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_equality_claim_is_never_refuted_for_other_seeds(seed):
    result = audit(_objective("x**4/4", "x"), rho="2/3", C0=0, C1=3, seed=seed, progress=False)
    assert result.verdict == _unrefuted_verdict(result) and result.searched["equality_points"] > 0


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


@pytest.mark.slow
@pytest.mark.parametrize(("expression", "variables", "constants"), FALSE_CLAIMS)
def test_false_claims_are_refuted_with_a_confirmed_point(expression, variables, constants):
    result = audit(_objective(expression, variables), **constants, progress=False)
    _assert_confirmed_violation(result)
    assert result.seconds < 60


def _assert_found_at_a_stationary_point(result: AuditResult) -> None:
    # ‖∇²f‖₂ = max(|f_xx|, |f_yy|) ≤ 1, so a violation of ‖∇²f‖₂ ≤ 0.99 + 100‖∇f‖ needs
    # ‖∇f‖ < 10⁻⁴: only tiny neighbourhoods of the stationary points
    _assert_confirmed_violation(result)
    with mp.workdps(50):
        assert result.objective.grad_norm(list(result.point), 50) < mp.mpf(10) ** -4
    assert "stationary" in result.source and result.searched["stopped_during"]


def test_a_violation_only_at_stationary_points_is_found(stationary_violation):
    _assert_found_at_a_stationary_point(stationary_violation)  # cos x + cos y: at (kπ, lπ)


@pytest.mark.slow
def test_a_violation_only_next_to_irrational_stationary_points_is_found():
    # sin x + sin y: stationary at (π/2 + kπ, π/2 + lπ), irrational, so the audit must land
    # within 10⁻⁴ of an irrational point
    _assert_found_at_a_stationary_point(audit(_objective("sin(x)+sin(y)", "x,y"), L0="0.99", L1=100, progress=False))


@pytest.mark.slow
def test_a_violation_only_far_out_is_found_on_a_search_curve():
    result = audit(_objective("x**4", "x"), rho="1/2", C0=10**6, C1=10**6, progress=False)
    _assert_confirmed_violation(result)
    assert abs(result.point[0]) > 10**10  # 6|x|^(1/2) > 10⁶ needs |x| > 2.7·10¹⁰
    assert "curve" in result.source


# ---------------------------------------------------------------------------------------
# exact irrational constants
# ---------------------------------------------------------------------------------------
def test_a_tight_irrational_constant_is_not_refuted(sqrt5_equality):
    _assert_not_refuted(sqrt5_equality, equality=True)
    assert isinstance(sqrt5_equality.condition, L0L1Smooth) and sqrt5_equality.condition.C1 == sp.sqrt(5)
    assert sqrt5_equality.to_json()["claim"]["L1"] == "sqrt(5)"


@pytest.mark.slow
def test_an_irrational_constant_just_below_a_tight_one_is_refuted():
    # √5 − 10⁻⁹ (irrational) fails everywhere, by a relative margin of 4.5·10⁻¹⁰
    result = audit(_objective("exp(2*x1 - x2)", "x1,x2"), L0=0, L1="sqrt(5) - 10**-9", progress=False)
    _assert_confirmed_violation(result)
    assert result.condition.C1 == sp.sqrt(5) - sp.Rational(1, 10**9)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("expression", "variables", "constants"),
    [
        pytest.param("exp(log(2)*x)", "x", {"L0": 0, "L1": "log(2)"}, id="log2"),    # (2^x)″ = log 2·(2^x)′
        pytest.param("exp(pi*x)", "x", {"L0": 0, "L1": "pi"}, id="pi"),              # π²e^(πx) = π·πe^(πx)
    ],
)
def test_exact_constants_at_equality_are_not_refuted(expression, variables, constants):
    result = audit(_objective(expression, variables), **constants, progress=False)
    assert result.verdict == _unrefuted_verdict(result) and result.searched["equality_points"] > 0
    assert result.largest_ratio <= 1 + mp.mpf(10) ** -25


# ---------------------------------------------------------------------------------------
# output, determinism, budget, validation
# ---------------------------------------------------------------------------------------
def test_json_of_a_violation(stationary_violation):
    result = stationary_violation
    payload = json.loads(result.to_json_text())
    assert payload["verdict"] == "refuted" and payload["norm"] == "spectral"
    assert set(payload["point"]) == {"x", "y"}
    assert tuple(sp.Rational(payload["point"][name]) for name in ("x", "y")) == result.point  # exact decimals
    with mp.workdps(250):
        assert mp.mpf(payload["lhs"]) > mp.mpf(payload["rhs"])
    assert len(payload["lhs"].replace(".", "").lstrip("0")) >= 30
    confirmation = payload["confirmation"]
    assert confirmation["confirmed"] is True and confirmation["arithmetic"].startswith("ball")
    with mp.workdps(250):
        assert mp.mpf(confirmation["lhs_lower"]) > mp.mpf(confirmation["rhs_upper"])
    claim = payload["claim"]
    assert claim["condition"] == "L0L1Smooth" and claim["L0"] == "99/100" and claim["L1"] == "100"
    assert claim["rho"] == "1" and claim["C0"] == "99/100" and claim["norm"] == "spectral"
    assert {"largest_ratio", "where", "searched", "seed", "time_budget"} <= set(payload)


def test_report_of_a_violation(stationary_violation):
    report = stationary_violation.report()
    assert "Verdict: REFUTED" in report and "spectral" in report and "Guaranteed (ball arithmetic" in report
    low, high = stationary_violation.confirmation.bound_texts()
    assert f"‖∇²f(x)‖₂ ≥ {low} > {high} ≥ L0 + L1 ‖∇f(x)‖" in report


def test_json_and_report_of_no_violation(softplus_no_violation):
    payload = softplus_no_violation.to_json()
    assert payload["verdict"] == "not refuted"
    assert payload["point"] is None and payload["lhs"] is None and payload["rhs"] is None
    assert payload["confirmation"] is None
    assert float(payload["largest_ratio"]) <= 1
    assert set(payload["where"]["point"]) == {"x"} and payload["where"]["source"]
    report = softplus_no_violation.report()
    assert "NOT REFUTED" in report and "not a proof" in report and "Largest ratio" in report and "estimate" in report


@pytest.mark.slow
def test_largest_ratio_is_infinite_when_the_right_side_vanishes():
    # C0 = 0, ρ > 0: at the stationary point x = 0 of cos the right side is 0 and ‖∇²f‖₂ = 1
    result = audit(_objective("cos(x)", "x"), rho="1/2", C0=0, C1=5, progress=False)
    _assert_confirmed_violation(result)
    assert result.largest_ratio == mp.inf and result.to_json()["largest_ratio"] == "inf"


@pytest.mark.slow
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


@pytest.mark.slow
def test_points_outside_the_domain_are_skipped():
    # log x: f″ = −1/x², f′ = 1/x, so ‖∇²f‖ = ‖∇f‖²: (L0, L1) = (10, 10) fails near 0; x ≤ 0 is skipped
    result = audit(_objective("log(x)", "x"), L0=10, L1=10, progress=False)
    _assert_confirmed_violation(result)
    assert result.point[0] > 0


def test_api_validation():
    f = _objective("x**2", "x")
    for bad in (-1, float("nan"), "nan"):
        with pytest.raises(InvalidRhoError):
            audit(f, rho=bad, C0=1, C1=1)
    with pytest.raises(ParseError, match="not both"):
        audit(f, rho=1, C0=1, C1=1, L0=1, L1=1)
    with pytest.raises(ParseError, match="rho is missing"):
        audit(f, C0=1, C1=1)
    with pytest.raises(ParseError, match="negative"):
        audit(f, L0="1 - sqrt(2)", L1=1)
    for budget in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ParseError, match="time budget"):
            audit(f, L0=1, L1=1, time_budget=budget)
    with pytest.raises(ParseError, match="seed"):
        audit(f, L0=1, L1=1, seed=-1)
    with pytest.raises(ParseError, match="local_starts"):
        audit(f, L0=1, L1=1, local_starts=-1)
    with pytest.raises(TypeError):
        audit("x**2", L0=1, L1=1)
    many = Objective.from_string("+".join(f"x{i}**2" for i in range(25)), ",".join(f"x{i}" for i in range(25)))
    with pytest.raises(TooLargeError, match="at most 24 variables"):
        audit(many, L0=1, L1=1)


# ---------------------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------------------
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_cli_refuted_exits_1_with_json(capsys):
    code, out, _ = run(capsys, "audit", "exp(x)", "--vars", "x", "--L0", "0", "--L1", "0.99", "--json")
    payload = json.loads(out)
    assert code == 1 and payload["verdict"] == "refuted"
    assert mp.mpf(payload["lhs"]) > mp.mpf(payload["rhs"]) and payload["point"]["x"]


@pytest.mark.slow
def test_cli_not_refuted_exits_3(capsys):
    code, out, _ = run(capsys, "audit", "x**4/4", "--vars", "x", "--rho", "2/3", "--C0", "0", "--C1", "3",
                       "--time", "30", "--seed", "2")
    assert code == 3  # not refuted (the tight claim is not proved)
    assert "NOT REFUTED" in out and "spectral" in out and "seed 2" in out


@pytest.mark.slow
def test_cli_a_tight_irrational_constant_is_not_refuted(capsys):
    code, out, err = run(capsys, "audit", "exp(2*x1 - x2)", "--vars", "x1,x2", "--L0", "0", "--L1", "sqrt(5)",
                         "--json")
    payload = json.loads(out)
    assert code == 3 and err == "" and payload["verdict"] == "not refuted"
    assert payload["claim"]["L1"] == "sqrt(5)" and payload["searched"]["equality_points"] > 0


@pytest.mark.slow
def test_cli_an_irrational_constant_just_below_is_refuted(capsys):
    code, out, _ = run(capsys, "audit", "exp(2*x1 - x2)", "--vars", "x1,x2", "--L0", "0", "--L1",
                       "sqrt(5) - 10**-9", "--json")
    payload = json.loads(out)
    assert code == 1 and payload["verdict"] == "refuted" and payload["confirmation"]["confirmed"] is True
    with mp.workdps(250):
        assert mp.mpf(payload["confirmation"]["lhs_lower"]) > mp.mpf(payload["confirmation"]["rhs_upper"])


@pytest.mark.slow
def test_cli_constants_are_exact(capsys):
    # ∇f = 2e^u (1, 1, 1), ∇²f = 4e^u J (‖J‖₂ = 3): ‖∇²f‖₂ = 12e^u = 2√3‖∇f‖ (C0 > 0 only adds slack)
    code, out, _ = run(capsys, "audit", "exp(2*(x+y+z))", "--vars", "x,y,z", "--rho", "1", "--C0", "30/6**(4/5)",
                       "--C1", "2*sqrt(3)", "--time", "30", "--json")
    payload = json.loads(out)
    assert code == 3 and payload["verdict"] == "not refuted" and payload["searched"]["equality_points"] > 0
    assert float(payload["largest_ratio"]) <= 1
    assert sp.simplify(sp.sympify(payload["claim"]["C0"]) - 30 / sp.Integer(6) ** sp.Rational(4, 5)) == 0
    assert sp.sympify(payload["claim"]["C1"]) == 2 * sp.sqrt(3)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--L0", "-1", "--L1", "1"], "L0 = -1 is negative"),
        (["--L0", "nan", "--L1", "1"], "not a finite number"),
        (["--L0", "1", "--L1", "abc"], "unknown name 'abc'"),
        (["--L0", "1", "--L1", "1 - sqrt(2)"], "is negative"),
        (["--rho", "-1", "--C0", "1", "--C1", "1"], "negative"),
        (["--rho", "nan", "--C0", "1", "--C1", "1"], "not a finite number"),
        (["--rho", "1", "--C0", "1"], "--C1 missing"),
        (["--L0", "1"], "--L1 missing"),
        (["--L0", "1", "--L1", "1", "--rho", "1"], "not both"),
        ([], "no claimed constants"),
        (["--L0", "1", "--L1", "1", "--time", "0"], "--time must be a positive"),
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
    assert "Exit status" in out and "1 refuted" in out and "2 bad input" in out and "3 not refuted" in out


# ---------------------------------------------------------------------------------------
# the proof route: "holds" for univariate and separable claims
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("expression", "variables"), [("x**4", "x"), ("x**4 + y**4", "x,y")])
def test_a_univariate_or_separable_claim_is_proved(expression, variables):
    result = audit(_objective(expression, variables), rho="2/3", C0="4.8", C1="4.8", time_budget=20, progress=False)
    assert result.verdict == "holds"
    assert result.proof is not None and result.proof.verdict == "holds"
    assert all(proof.verdict == "holds" for _, proof in result.proof.parts)
    assert len(result.proof.parts) == len(variables.split(","))
    assert result.point is None and result.confirmation is None
    assert result.searched["local_starts"] > 0  # the search ran as a cross-check
    assert "Verdict: HOLDS" in result.report() and result.to_json()["proof"]["verdict"] == "holds"


def test_the_proof_route_refutes_wrong_constants_through_a_confirmed_witness():
    # f′(√50) = 0 and f″(√50) = 400 > 210.1
    result = audit(_objective("x**4 - 100*x**2", "x"), rho="2/3", C0="210.1", C1="210.1", time_budget=20,
                   progress=False)
    _assert_confirmed_violation(result)
    assert result.proof.verdict == "undecided"


def test_the_proof_route_finds_the_stationary_violation_of_a_separable_sum_first():
    result = audit(_objective("cos(x)+cos(y)", "x,y"), L0="0.99", L1=100, time_budget=20, progress=False)
    _assert_confirmed_violation(result)
    assert result.source.startswith("a point where the proof route") and result.point == (0, 0)


def test_a_separable_term_that_fails_refutes_only_when_confirmed_on_f():
    # 3y⁴ needs C1 = 36/12^(2/3) ≈ 6.87 > 4.8; at x = 0 the violation carries over to f
    result = audit(_objective("x**4 + 3*y**4", "x,y"), rho="2/3", C0="4.8", C1="4.8", time_budget=20, progress=False)
    _assert_confirmed_violation(result)
    assert result.point[0] == 0


def test_no_proof_route_for_a_mixed_function():
    result = audit(_objective("x*y", "x,y"), rho=0, C0=1, C1=0, time_budget=5, progress=False)
    assert result.proof is None and result.verdict == "not refuted"


def test_a_proof_and_a_confirmed_violation_together_are_undecided(monkeypatch):
    # negative control of the combination: a proof route that lies must not give "holds"
    lying = audit_module.ClaimProof("holds", "a lying proof", [], "always proved")
    monkeypatch.setattr(audit_module, "prove_claim", lambda objective, condition, seconds: lying)
    result = audit(_objective("x**2", "x"), rho=0, C0="1.99", C1=0, time_budget=10, progress=False)
    assert result.verdict == "undecided" and result.confirmation.confirmed


# ---------------------------------------------------------------------------------------
# labels, exact comparison, the domain
# ---------------------------------------------------------------------------------------
def test_exact_values_are_compared_exactly():
    # f″ = 2·10⁴⁰ > 2·10⁴⁰ − 1 = C0: agreement to 40 digits is not equality
    result = audit(_objective("10**40*x**2", "x"), rho=0, C0="2*10**40-1", C1=0, time_budget=20, progress=False)
    _assert_confirmed_violation(result)
    assert result.point == (0,)
    tight = audit(_objective("10**40*x**2", "x"), rho=0, C0="2*10**40", C1=0, time_budget=10, progress=False)
    assert tight.verdict in ("holds", "not refuted")


def test_only_exact_zeros_of_the_gradient_are_called_stationary():
    # x⁴ − 100x²: ∇f = 0 at 0 (exact) and ±√50 (irrational: the rounded points have ‖∇f‖ ≠ 0);
    # the claim is true (|f″| ≤ 1000 + 1000|f′|), so the worst point seen is the rounded √50
    result = audit(_objective("x**4 - 100*x**2", "x"), rho=1, C0=1000, C1=1000, time_budget=30, progress=False)
    assert result.verdict in ("holds", "not refuted")
    assert result.searched["stationary_points"] >= 1 and result.searched["near_stationary_points"] >= 2
    assert result.where_source.startswith("near-stationary point (‖∇f‖ ≈") and "not 0" in result.where_source
    assert f"{result.searched['near_stationary_points']} near-stationary" in result.report()


def test_a_stationary_witness_is_labelled_by_what_was_shown(stationary_violation):
    # cos x + cos y: Newton's method from 0 lands on (0, 0), where ∇f = (−sin 0, −sin 0) = 0 exactly
    searched, source = stationary_violation.searched, stationary_violation.source
    assert source.startswith("stationary point (∇f = 0 exactly")
    assert stationary_violation.point == (0, 0) and searched["stationary_points"] >= 1
    assert f"{searched['stationary_points']} with ∇f = 0 exactly" in stationary_violation.report()


def test_points_outside_the_domain_of_f_are_never_violations():
    # log x + x⁴ is defined for x > 0; at x < 0 its derivatives are finite but f is not
    result = audit(_objective("log(x) + x**4", "x"), rho=0, C0=1000, C1=0, time_budget=10, progress=False)
    assert result.verdict == "refuted" and result.point[0] > 0
