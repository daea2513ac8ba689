"""dlnsmooth.univariate: constants printed beside ``holds`` are proved on all of R (and audited here),
the API the ``check`` router uses (verdict, constants, every-ρ verdict), and the time budget.

Every constant the procedure prints is re-proved by :func:`dlnsmooth.bounds.prove_pointwise_bound`
and handed to :func:`dlnsmooth.audit.audit`, which must not refute it; a lying prover is caught by
that audit (negative control)."""

import time

import pytest
import sympy as sp

import dlnsmooth.bounds as bounds_module
from dlnsmooth.audit import audit
from dlnsmooth.bounds import prove_pointwise_bound
from dlnsmooth.conditions import HessianGrowth
from dlnsmooth.objective import Objective
from dlnsmooth.univariate import ProvedConstants, decide_univariate

R = sp.Rational

# (expression, ρ): the functions of the issue, plus those the univariate tests decide at a given ρ
PRINTED = [
    ("x**4", R(2, 3)), ("x**4", 1), ("x**4-100*x**2", R(2, 3)), ("x**2", 0), ("log(1+exp(x))", R(1, 2)),
    ("sqrt(1+x**2)", 0), ("x**3", R(1, 2)), ("exp(-x**2)", 0), ("cos(x)", 0),
    ("log(cosh(x))", 0), ("x**6", R(4, 5)), ("exp(x)", 1), ("exp(x)", 2), ("exp(x) + exp(-x)", 1),
    ("x**2 + sin(x)", 0), ("x**4 + sin(x)", 1), ("exp(x**2)", 2),
]


def _decide(expression, rho, **options):
    options.setdefault("decades", 8)
    options.setdefault("time_budget", 40)
    return decide_univariate(Objective.from_string(expression, ["x"]), rho=rho, progress=False, **options)


def _audit_constants(decision):
    """Every constant printed beside holds: proved again, and not refuted by the audit."""
    C0, C1 = decision.constants
    f = decision.objective
    proof = prove_pointwise_bound(f, decision.rho, C0, C1, time_budget=30)
    assert proof.verdict == "holds", proof.report()
    found = audit(f, rho=decision.rho, C0=C0, C1=C1, time_budget=6, progress=False)
    assert found.verdict != "refuted", found.report()


@pytest.mark.slow
@pytest.mark.parametrize("expression, rho", PRINTED)
def test_every_printed_constant_is_proved_and_survives_the_audit(expression, rho):
    decision = _decide(expression, rho)
    assert decision.verdict == "holds", decision.report()
    text = decision.report()
    if decision.constants is None:
        assert "explicit constants not computed" in text  # said, and no number offered as a constant
        assert "estimate" not in text.split("Verdict:")[-1]
        return
    assert isinstance(decision.constants, ProvedConstants) and decision.constants.certified
    assert "PROVED on all of R" in text
    _audit_constants(decision)


@pytest.mark.slow
def test_the_worst_point_outside_the_box_is_covered():
    """x⁴ − 100x² at ρ = 2/3: f′(√50) = 0 and f″(√50) = 400, so any valid C0 is ≥ 400 (an earlier
    version printed C0 = C1 = 210.1 from a bound on [−4, 4])."""
    decision = _decide("x**4-100*x**2", R(2, 3))
    C0, C1 = decision.constants
    assert C0 >= 400 and C0 == C1
    assert not HessianGrowth(R(2, 3), 399, 399).check_point(decision.objective, [sp.sqrt(50)], dps=50).holds


@pytest.mark.slow
def test_a_lying_prover_is_caught_by_the_audit(monkeypatch):
    """Negative control of the audit above: if every box were 'proved', x⁴ − 100x² would get the
    constants of [−4, 4] (≈ 200 < 400), and the audit refutes them."""
    monkeypatch.setattr(bounds_module._PointJudge, "box", lambda self, box: "holds")
    decision = _decide("x**4-100*x**2", R(2, 3))
    assert decision.constants is not None and decision.constants[0] < 400  # the lie went through
    C0, C1 = decision.constants
    monkeypatch.undo()  # the audit is the independent check (it may use the real prover itself)
    found = audit(decision.objective, rho=R(2, 3), C0=C0, C1=C1, time_budget=20, progress=False)
    assert found.verdict == "refuted"


# -- the API the check router uses --------------------------------------------------------------------
def test_quartic_at_two_thirds_holds_with_proved_exact_constants():
    decision = decide_univariate(Objective.from_string("x**4", ["x"]), rho="2/3", progress=False, decades=10)
    assert decision.verdict == "holds"
    C0, C1 = decision.constants
    assert isinstance(C0, sp.Rational) and C0 == C1 == R(4763, 1000)
    assert decision.constants.proof.verdict == "holds"
    data = decision.to_json()["constants"]
    assert data["C0"] == "4763/1000" and data["certified"] is True and data["proof"]["verdict"] == "holds"


def test_quartic_at_point_six_is_refuted_with_its_certificate():
    decision = decide_univariate(Objective.from_string("x**4", ["x"]), rho="0.6", progress=False, decades=10)
    assert decision.verdict == "refuted" and decision.constants is None
    assert decision.certificate.verdict == "refuted" and decision.certificate.rho == R(3, 5)


@pytest.mark.parametrize("expression, verdict, which", [
    ("x**4", "holds", "ρ ≥ 2/3"),
    ("x**2", "holds", "every ρ ≥ 0"),
    ("sin(x**2)", "refuted", None),                      # no ρ: certified along the zeros of f′
])
def test_every_rho_verdict(expression, verdict, which):
    decision = _decide(expression, None)
    assert decision.every_rho_verdict == verdict
    assert decision.every_rho_holds_for == which
    if verdict == "refuted":
        assert decision.answer.kind == "never" and decision.certificate.verdict == "refuted"


@pytest.mark.slow
def test_every_rho_verdict_is_undecided_when_the_set_is():
    decision = _decide("x**2*sin(x)", None)
    assert decision.answer.kind == "undecided" and decision.every_rho_verdict == "undecided"


# -- the time budget ---------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("expression, rho, allowed, kind", [
    ("exp(exp(x))", None, {"holds", "undecided"}, "greater-than"),  # the answer set is ρ > 1 (table along x = log t)
    ("exp(exp(x))", 1, {"refuted", "undecided"}, None),              # r_1 ~ e^x → ∞
    ("cos(exp(x))", None, {"holds", "undecided"}, "never"),          # |f″| = (kπ)² at the zeros x_k = log(kπ) of f′
    ("cos(exp(x))", 1, {"refuted", "undecided"}, None),
    ("sin(exp(x**2))", None, {"holds", "undecided"}, "never"),      # once hung in a 60-digit mpmath check
])
def test_hard_inputs_end_within_the_budget(expression, rho, allowed, kind):
    start = time.perf_counter()
    decision = decide_univariate(expression, rho=rho, progress=False, time_budget=10)
    elapsed = time.perf_counter() - start
    assert elapsed < 10 + 10, f"{elapsed:.1f} s"
    assert decision.verdict in allowed, decision.report()
    if rho is None and decision.verdict == "holds":
        assert decision.answer.kind == kind
        if kind == "greater-than":
            assert decision.answer.threshold == 1 and decision.every_rho_verdict == "holds"
        else:
            assert decision.every_rho_verdict == "refuted" and decision.certificate.verdict == "refuted"
    if decision.verdict == "refuted":
        assert decision.certificate.verdict == "refuted" and decision.certificate.rho == 1
    if decision.verdict == "undecided":
        assert decision.reason


def test_a_spent_budget_gives_undecided_and_says_so():
    start = time.perf_counter()
    decision = decide_univariate("x**4", rho="2/3", progress=False, time_budget=0.3, decades=10)
    assert time.perf_counter() - start < 0.3 + 10
    assert decision.verdict == "undecided" and decision.constants is None
    assert "time budget of 0.3 s ran out" in decision.reason


def test_the_time_budget_must_be_positive():
    with pytest.raises(ValueError, match="time_budget"):
        decide_univariate("x**2", rho=1, progress=False, time_budget=0)
