"""dlnsmooth.univariate: the exact decision for f : R → R (SPEC §3) — answer sets, verdicts at a
given ρ with their evidence, explicit constants, mutants, bad input and the CLI.

The ball bounds are tested in test_bounds.py and the evidence types in test_evidence.py; here
they are seen through the decisions that use them."""

import inspect
import json

import mpmath as mp
import pytest
import sympy as sp

import dlnsmooth.univariate as univariate_module
from dlnsmooth.cli import main
from dlnsmooth.conditions import HessianGrowth
from dlnsmooth.curves import Restriction
from dlnsmooth.errors import DomainError, InvalidRhoError, NonDifferentiableError, ShapeError, UnknownVariableError
from dlnsmooth.limits import LimitOutcome, oscillating_factors
from dlnsmooth.objective import DerivativeObjective, Objective
from dlnsmooth.univariate import UNIVARIATE_LIMIT_BUDGET, decide_univariate

R = sp.Rational


def _fresh(expression, rho=None, **options):
    """The decision with numeric tables to x = ±10^10 (the default, 10^30, is exercised by the CLI
    and report tests). ``f′=...`` gives f by its derivative."""
    derivative = expression.startswith("f′=")
    text = expression[3:] if derivative else expression
    options.setdefault("decades", 10)
    options.setdefault("time_budget", 120)  # generous: the verdicts, not the budget, are tested here
    return decide_univariate(text, rho=rho, derivative=derivative, progress=False, **options)


@pytest.fixture(scope="session")
def decisions():
    """Decisions are deterministic and expensive: each (expression, ρ, decades) is decided once per
    test session and shared by the tests reading its parts (tests that monkeypatch the package call
    :func:`_fresh`)."""
    made = {}

    def decide(expression, rho=None, decades=10):
        key = (expression, None if rho is None else sp.Rational(str(rho)), decades)
        if key not in made:
            made[key] = _fresh(expression, key[1], decades=decades)
        return made[key]

    return decide


# -- answer sets ------------------------------------------------------------------------------------
# (expression, kind, threshold, ρ): with ρ = None the decision is asked for the set alone; otherwise the
# set is read off the decision at that ρ (the same analysis; those decisions are reused below)
@pytest.mark.parametrize(
    "expression, kind, threshold, rho",
    [
        ("x**2", "every", 0, None),                      # SPEC §3: globally Lipschitz
        ("log(cosh(x))", "every", 0, None),              # SPEC §3: globally Lipschitz
        ("x**4", "at-least", R(2, 3), None),             # SPEC §3: iff ρ ≥ 2/3
        ("x**6", "at-least", R(4, 5), None),             # x^(2k): (2k−2)/(2k−1)
        ("x**8", "at-least", R(6, 7), None),
        ("exp(x)", "at-least", 1, None),                 # SPEC §3: iff ρ ≥ 1
        ("log(1 + exp(x))", "every", 0, R(1, 2)),        # softplus: f″ bounded
        ("exp(x) + exp(-x)", "at-least", 1, 1),          # 2 cosh
        ("x**3", "at-least", R(1, 2), "0.49"),           # f′ = 3x², f″ = 6x
        ("sqrt(1 + x**2)", "every", 0, 0),
        # f′ = 2x e^(x²), f″ = (2 + 4x²) e^(x²): at ρ = 1, r ~ 2|x| → ∞, so ρ = 1 is excluded
        ("exp(x**2)", "greater-than", 1, None),
        ("x**4 + x**3", "at-least", R(2, 3), None),
        ("x**2 + sin(x)", "every", 0, 0),                # f″ = 2 − sin x oscillates: bounded by balls on R
        ("x**4/(1 + x**2)", "every", 0, None),
        ("f′=sin(x**2)", "never", None, None),           # SPEC §3: Fresnel-type, never
        ("sin(x**2)", "never", None, None),              # zeros of f′ at sqrt(kπ + π/2)
        ("x*sin(x)", "never", None, 1),                  # asymptotic zeros πk + π/2 of f′
        ("exp(x)*sin(x)", "never", None, 2),             # zeros πk + 3π/4 of f′, where |f″| = √2 e^x
    ],
)
def test_known_answer_sets(decisions, expression, kind, threshold, rho):
    decision = decisions(expression, rho)
    assert decision.answer.kind == kind, decision.report()
    assert decision.decided
    if threshold is not None:
        assert decision.answer.threshold == threshold
        assert isinstance(decision.answer.threshold, sp.Rational)  # exact, not a float
    if kind in ("at-least", "greater-than"):
        assert decision.answer.included is (kind == "at-least")
    never_sides = [s for s in decision.sides if s.status == "never"]
    if kind == "never":  # never claimed without a refuting certificate
        assert never_sides and all(s.refuting.verdict == "refuted" and s.refuting.every_rho for s in never_sides)
    else:
        assert not never_sides
    if rho is None:  # the claim "f′ is ρ-order exactly for ρ in the answer set" is proved
        assert decision.verdict == "holds" and "exactly for" in decision.claim
        if kind == "never":
            assert decision.certificate.verdict == "refuted" and decision.certificate.every_rho
        if kind in ("at-least", "greater-than"):
            assert decision.certificate.critical_exponent == threshold  # certified along x = ±t


def test_quartic_threshold_is_exactly_two_thirds_with_its_evidence(decisions):
    decision = decisions("x**4")
    assert decision.threshold == R(2, 3) and decision.answer.included is True
    assert decision.answer.text() == "ρ ≥ 2/3"
    for side in decision.sides:
        assert side.threshold == R(2, 3)
        assert side.threshold_limit.value == R(2, 3)
        # at ρ = 2/3 the ratio tends to 12/4^(2/3): r² → 144/4^(4/3) = 18·2^(1/3)
        assert sp.simplify(side.at_threshold.value - R(144) / 4 ** R(4, 3)) == 0
        assert all("agrees" in line for line in side.corroboration)


@pytest.mark.slow
def test_oscillating_cases_are_undecided_rather_than_never_without_a_certificate(decisions):
    # f = x² sin x: along the asymptotic zeros πk + π/2 of f′, |f′| ~ 2x and |f″| ~ x², so ρ < 2 is
    # certified to fail; the true zeros of f′ have no closed form here, so "never" is not claimed
    decision = decisions("x**2*sin(x)", 1)
    assert decision.answer.kind == "undecided"
    assert decision.answer.fails_below == 2
    assert "fails for every ρ < 2" in decision.answer.text()
    assert decision.answer.contains(sp.Integer(1)) is False and decision.answer.contains(sp.Integer(3)) is None
    assert decision.verdict == "refuted"
    assert decision.certificate.curve.parameter.is_integer  # the sequence refutes ρ = 1


# -- verdicts at a given ρ ------------------------------------------------------------------------------
HOLDS = [
    ("x**2", 0, True), ("log(cosh(x))", 0, True), ("x**4", R(2, 3), True), ("x**4", 1, True),
    ("x**6", R(4, 5), True), ("exp(x)", 1, True), ("exp(x)", 2, True), ("exp(x) + exp(-x)", 1, True),
    ("x**3", R(1, 2), True), ("sqrt(1 + x**2)", 0, True), ("log(1 + exp(x))", R(1, 2), True),
    ("x**2 + sin(x)", 0, True),
    # oscillating: no SymPy limit is used; the tails are bounded in balls (sin(1/u) ⊂ [−1, 1])
    ("x**4 + sin(x)", 1, True),
    # holds, but the tails of exp(x²) have no compactifying substitution: no constants are proved, none printed
    ("exp(x**2)", 2, False),
]
REFUTED = [
    ("x**4", R(1, 2)), ("x**4", "0.66"), ("x**4", R(2, 3) - R(1, 1000)), ("x**6", R(4, 5) - R(1, 100)),
    ("exp(x)", "0.9"), ("exp(x) + exp(-x)", "0.99"), ("x**3", "0.49"), ("exp(x**2)", 1),
    ("f′=sin(x**2)", 0), ("f′=sin(x**2)", 1), ("f′=sin(x**2)", 5), ("x*sin(x)", 1), ("x**2*sin(x)", 1),
    ("x**4 + sin(x)", R(1, 2)),
    # SymPy says lim r_2² = 0 along x = t here (Gruntz does not apply to oscillating functions), but
    # at the zeros πk + 3π/4 of f′ = e^x (sin x + cos x) r_2 = |f″| = √2 e^x → ∞
    ("exp(x)*sin(x)", 2),
]


@pytest.mark.parametrize("expression, rho, certified", HOLDS)
def test_true_claims_hold_with_their_proof_route(decisions, expression, rho, certified):
    decision = decisions(expression, rho)
    assert decision.verdict == "holds", decision.report()
    # (for oscillating f the answer set may stay undecided while this ρ is proved)
    assert decision.answer.contains(decision.rho) is (None if decision.answer.kind == "undecided" else True)
    assert decision.certificate is None  # nothing refuted
    assert len(decision.proof) >= 4 and "continuous on R" in decision.proof[0]
    bound = decision.bound
    assert bound is not None and mp.isfinite(bound.upper) and bound.lower <= bound.upper
    constants = decision.constants
    if not certified:
        assert constants is None and any("explicit constants not computed" in n for n in decision.notes)
        assert "explicit constants not computed" in decision.reason
        return
    assert constants.C0 == constants.C1 and constants.C0 > 0
    assert constants.certified is True and constants.proof.verdict == "holds"
    assert constants.check.ok and constants.check.points >= 20
    assert constants.check.largest_ratio <= mp.mpf(constants.C0.p) / constants.C0.q
    # the constants satisfy the Hessian-growth inequality far out, where the limits decide
    condition = HessianGrowth(decision.rho, constants.C0, constants.C1)
    f = decision.objective
    for x in ("-1000.5", "0.3", "7", "12345.678"):
        assert condition.check_point(f, [x], dps=80).holds


@pytest.mark.parametrize("expression, rho", REFUTED)
def test_false_claims_fail_with_a_refuting_certificate(decisions, expression, rho):
    decision = decisions(expression, rho)
    assert decision.verdict == "refuted", decision.report()
    certificate = decision.certificate
    assert certificate.verdict == "refuted" and certificate.rho == decision.rho and not certificate.every_rho
    assert "symbolic-limit" in certificate.evidence_kinds and "numeric-table" in certificate.evidence_kinds
    assert decision.constants is None and decision.bound is None


def test_fresnel_failure_is_certified_by_the_integer_sequence(decisions):
    decision = decisions("f′=sin(x**2)", 1)
    curve = decision.certificate.curve
    assert curve.parameter.is_integer and curve.parameter.is_positive
    assert sp.simplify(curve.coordinates[0] ** 2 - sp.pi * curve.parameter) == 0  # x_k = sqrt(kπ)
    assert decision.sides[0].sequences and decision.sides[0].sequences[0].kind == "exact"


def test_quartic_constants_are_certified_and_tight(decisions):
    decision = decisions("x**4", R(2, 3))
    sup = 12 / mp.power(4, mp.mpf(2) / 3)  # = lim r at ±∞, the supremum (not attained)
    C = mp.mpf(decision.constants.C0.p) / decision.constants.C0.q
    assert sup <= C <= sup * mp.mpf("1.001")
    assert decision.bound.rigorous_everywhere
    assert all(t.rigorous for t in decision.bound.tails)


@pytest.mark.slow
def test_every_undecided_verdict_is_honest(decisions):
    decision = decisions("x**2*sin(x)", 3)  # only ρ < 2 is known to fail
    assert decision.verdict == "undecided" and decision.certificate is None and decision.constants is None


def test_sympy_limits_of_oscillating_functions_are_not_evidence(decisions):
    t = sp.Symbol("t", positive=True)
    # the trap: SymPy returns 0 although 1/(1 + t(1 + sin t)) = 1 at every t = 3π/2 + 2πk
    assert sp.limit(1 / (1 + t * (1 + sp.sin(t))), t, sp.oo) == 0
    factors = oscillating_factors([sp.exp(t) * sp.sin(t), sp.sin(1 / t), sp.cos(t**2)], t, seconds=5)
    assert set(factors) == {sp.cos(t**2), sp.sin(t)}  # sin(1/t) → 0 does not oscillate
    decision = decisions("exp(x)*sin(x)", 2)
    plus = decision.sides[0]
    assert plus.oscillating and plus.ratio_limit is None  # the wrong limit 0 was not even used
    assert decision.verdict == "refuted"


# -- mutants ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_candidate_that_lies_low_is_refuted_by_the_proof(monkeypatch):
    """If the bound behind the candidate constants returned half of sup r_ρ, the proof on all of R
    refutes C0 = C1 = M at a witness, and the constants printed are raised until proved (≥ sup)."""
    real = univariate_module._candidate
    monkeypatch.setattr(univariate_module, "_candidate", lambda decision: real(decision) / 2)
    decision = _fresh("x**4", R(2, 3))
    sup = 12 / mp.power(4, mp.mpf(2) / 3)  # the true sup r_{2/3}, approached at ±∞
    C0, C1 = decision.constants
    assert mp.mpf(C0.p) / C0.q >= sup and decision.constants.proof.verdict == "holds"


@pytest.mark.slow
def test_a_lying_prover_is_caught_by_the_constants_check(monkeypatch):
    """If the proof said "holds" for anything, the low candidate (half of sup r_ρ) would be printed:
    the HessianGrowth check at the sample points refutes it and the constants are withdrawn."""
    real_candidate, real_prove = univariate_module._candidate, univariate_module.prove_pointwise_bound

    def lying(objective, rho, C0, C1, **options):
        proof = real_prove(objective, rho, C0, C1, **options)
        proof.verdict, proof.route = "holds", ["(a lie)"]
        return proof

    monkeypatch.setattr(univariate_module, "_candidate", lambda decision: real_candidate(decision) / 2)
    monkeypatch.setattr(univariate_module, "prove_pointwise_bound", lying)
    decision = _fresh("x**4", R(2, 3))
    assert decision.constants is None
    assert any("FAIL the HessianGrowth check" in note for note in decision.notes)


@pytest.mark.slow
def test_a_lying_symbolic_limit_never_produces_holds(monkeypatch):
    """If SymPy claimed a finite limit of r² for x⁴ at ρ = 1/2 (the truth is ∞), the numeric table
    disagrees and the verdict must not be 'holds'."""
    real = Restriction.limit

    def lying(self, expression):
        outcome = real(self, expression)
        if outcome.kind == "infinite" and expression.has(sp.Rational(1, 4)):  # (f′²)^(1/4): ρ = 1/2
            return LimitOutcome(expression, outcome.parameter, sp.Integer(5), "finite", "computed", 0.0)
        return outcome

    monkeypatch.setattr(Restriction, "limit", lying)
    decision = _fresh("x**4", R(1, 2))
    assert decision.verdict != "holds"


@pytest.mark.slow
def test_a_wrong_threshold_is_demoted_by_the_numeric_table(monkeypatch):
    real = Restriction.limit

    def wrong_threshold(self, expression):
        outcome = real(self, expression)
        if outcome.kind == "finite" and outcome.value == R(2, 3):
            return LimitOutcome(expression, outcome.parameter, R(1, 2), "finite", "computed", 0.0)
        return outcome

    monkeypatch.setattr(Restriction, "limit", wrong_threshold)
    decision = _fresh("x**4")
    assert decision.answer.kind == "undecided"  # the log-slope ratio 0.6667 contradicts 1/2
    assert any("DISAGREES" in line for side in decision.sides for line in side.corroboration)


@pytest.mark.slow
def test_without_sequences_the_fresnel_case_is_undecided_not_never(monkeypatch):
    monkeypatch.setattr(univariate_module, "critical_sequences", lambda *a, **k: [])
    decision = _fresh("f′=sin(x**2)", 1)
    assert decision.answer.kind == "undecided" and decision.verdict == "undecided"


# -- the objective given by its derivative ------------------------------------------------------------
def test_derivative_objective_has_exactly_the_given_gradient():
    f = DerivativeObjective.from_string("sin(x**2)", "x")
    x = f.variables[0]
    assert f.gradient[0] == sp.sin(x**2) and f.hessian[0, 0] == 2 * x * sp.cos(x**2)
    assert f.real_everywhere
    with mp.workdps(40):  # f(1) = ∫₀¹ sin(s²) ds = sqrt(π/2) S(sqrt(2/π)), S the Fresnel integral
        reference = mp.sqrt(mp.pi / 2) * mp.fresnels(mp.sqrt(2 / mp.pi))
        assert abs(f.value([1], dps=40) - reference) < mp.mpf(10) ** -35
    assert "∫₀^x sin(s**2) ds" in f.describe()


# -- output ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_report_and_json_of_a_holds_verdict(decisions):
    decision = decisions("x**4", R(2, 3), decades=30)
    text = decision.report()
    assert "Verdict: HOLDS" in text and "proof route" in text and "C0 = 4763/1000" in text
    data = json.loads(json.dumps(decision.to_json()))
    assert data["verdict"] == "holds" and data["rho"] == "2/3"
    assert data["answer"] == {"kind": "at-least", "text": "ρ ≥ 2/3", "threshold": "2/3", "threshold_included": True,
                              "fails_below": None, "reason": data["answer"]["reason"]}
    assert data["constants"]["certified"] is True and data["bound"]["rigorous_everywhere"] is True
    assert [s["side"] for s in data["sides"]] == ["+∞", "−∞"]


@pytest.mark.parametrize("expression, rho", [("f′=sin(x**2)", None), ("f′=sin(x**2)", 1), ("x**2*sin(x)", 3),
                                             ("exp(x**2)", 2), ("x**4 + sin(x)", 1), ("x**2", None)])
def test_every_decision_serialises_and_reports(decisions, expression, rho):
    decision = decisions(expression, rho)  # shared with the tests above
    data = json.loads(decision.to_json_text())
    assert data["verdict"] == decision.verdict and data["answer"]["kind"] == decision.answer.kind
    text = decision.report()
    assert text.splitlines()[0].startswith("Univariate decision:")
    assert text.splitlines()[-1].startswith(f"Verdict: {decision.verdict.upper()}")
    assert text.splitlines()[-2].startswith("Claim: ")


def test_the_default_limit_budget_is_the_public_constant():
    parameters = inspect.signature(decide_univariate).parameters
    assert parameters["limit_budget"].default == UNIVARIATE_LIMIT_BUDGET == 10.0
    assert parameters["decades"].default == 30 and parameters["radius"].default == 4


# -- bad input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: decide_univariate(Objective.from_string("x*y", "x,y")), ShapeError, "2 variables"),
        (lambda: decide_univariate("x*y"), UnknownVariableError, "y"),
        (lambda: decide_univariate("x**2", variable="x,y"), ShapeError, "one variable"),
        (lambda: decide_univariate("abs(x)"), NonDifferentiableError, "abs"),
        (lambda: decide_univariate("log(x)"), DomainError, "not on all of R"),
        (lambda: decide_univariate("1/x"), DomainError, "not on all of R"),
        (lambda: decide_univariate("1/x", derivative=True), DomainError, "not on all of R"),
        (lambda: decide_univariate("x**4", rho=-1), InvalidRhoError, "negative"),
        (lambda: decide_univariate("x**4", rho=float("nan")), InvalidRhoError, "NaN"),
        (lambda: decide_univariate("x**4", radius=0), ValueError, "radius"),
        (lambda: decide_univariate(42), TypeError, "expected an Objective"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -- command line ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_decides_and_prints_json(capsys):
    assert main(["univariate", "x**4", "--rho", "2/3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "holds" and data["answer"]["threshold"] == "2/3"
    assert main(["univariate", "sin(x**2)", "--derivative", "--decades", "10"]) == 0
    out = capsys.readouterr().out
    assert "no ρ ≥ 0 (never)" in out and "Verdict: HOLDS — the answer set is proved" in out


@pytest.mark.slow
def test_cli_bad_input_exits_2(capsys):
    assert main(["univariate", "log(x)"]) == 2
    assert "not on all of R" in capsys.readouterr().err
    assert main(["univariate", "x**4", "--rho", "-1"]) == 2
    assert main(["univariate", "x*y"]) == 2
