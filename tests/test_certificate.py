"""dlnsmooth.certificate and dlnsmooth.evidence: verdicts come from two kinds of evidence."""

import json
import time

import mpmath as mp
import pytest
import sympy as sp

import dlnsmooth.certificate as certificate_module
from dlnsmooth.certificate import certify_curve
from dlnsmooth.curves import Curve, Restriction
from dlnsmooth.errors import InvalidRhoError
from dlnsmooth.limits import LimitOutcome
from dlnsmooth.objective import Objective

QUARTIC = Objective.from_string("x**4", "x")
R4 = Objective.from_string("log(1 + exp(-x1*x2*x3*x4))", "x1,x2,x3,x4")


def _quartic(rho, **options):
    return certify_curve(QUARTIC, Curve.parse("x=t", QUARTIC.variables), rho=rho, progress=False, **options)


def test_quartic_is_refuted_below_two_thirds_along_x_equals_t():
    cert = _quartic("0.5")
    assert cert.verdict == "refuted"
    assert cert.rho == sp.Rational(1, 2)
    limit = cert.find("symbolic-limit")[0]
    assert limit.outcome.value == sp.oo
    table = cert.find("numeric-table")[0]
    assert len(table.rows) == 30 and table.all_confirmed
    assert cert.critical_exponent == sp.Rational(2, 3)


def test_quartic_is_not_refuted_above_two_thirds():
    cert = _quartic("0.7")
    assert cert.verdict == "not refuted"
    assert cert.find("symbolic-limit")[0].outcome.value == 0
    assert "not a proof" in cert.reason


def test_every_rho_certificate_for_the_r4_loss():
    curve = Curve.parse("x1=0, x2=0, x3=t, x4=t", R4.variables)
    cert = certify_curve(R4, curve, every_rho=True, progress=False)
    assert cert.verdict == "refuted"
    assert cert.critical_exponent == sp.oo
    identity = cert.find("symbolic-identity")[0]
    assert identity.holds and list(identity.lhs) == [0, 0, 0, 0]
    table = cert.find("numeric-table")[0]
    first, last = table.rows[0], table.rows[-1]
    assert first.texts(12)[0] == "0"  # exact zero, confirmed symbolically
    with mp.workdps(50):  # ‖∇²f‖_F = t²/√2 at t = 10 and 10^30
        assert abs(first.hess_norm.value - 100 / mp.sqrt(2)) < mp.mpf(10) ** -40
        assert abs(last.hess_norm.value / (mp.mpf(10) ** 60 / mp.sqrt(2)) - 1) < mp.mpf(10) ** -40


def test_every_rho_is_not_refuted_when_the_gradient_grows():
    cert = certify_curve(QUARTIC, Curve.parse("x=t", QUARTIC.variables), every_rho=True, progress=False)
    assert cert.verdict == "not refuted"
    assert "ρ* = 2/3" in cert.reason


def test_rho_and_every_rho_are_exclusive_and_validated():
    curve = Curve.parse("x=t", QUARTIC.variables)
    with pytest.raises(ValueError):
        certify_curve(QUARTIC, curve, rho=1, every_rho=True)
    with pytest.raises(ValueError):
        certify_curve(QUARTIC, curve)
    for bad in (-1, float("nan"), "nan", "inf"):
        with pytest.raises(InvalidRhoError):
            certify_curve(QUARTIC, curve, rho=bad)


def test_a_timed_out_limit_gives_undecided_never_refuted(monkeypatch):
    def gave_up(self, expression):
        return LimitOutcome(expression, self.parameter, None, "unknown", "timeout", 0.1, "gave up after 0.1 s")

    monkeypatch.setattr(Restriction, "limit", gave_up)
    cert = _quartic("0.5")
    assert cert.verdict == "undecided"
    assert "numerically the ratio grows" in cert.reason
    # G² = 16t⁶ and H² = 144t⁴ are polynomials: their exponents need no limit (exact degrees)
    assert cert.growth.source == "symbolic" and "degrees" in cert.growth.method
    assert cert.critical_exponent == sp.Rational(2, 3)
    # not polynomials along the curve: without limits the exponents are unavailable
    f = Objective.from_string("exp(x)", "x")
    cert = certify_curve(f, Curve.parse("x=t", f.variables), rho="1/2", decades=3, progress=False)
    assert cert.verdict == "undecided"
    assert cert.growth.source == "unavailable" and cert.critical_exponent is None


def _forge(monkeypatch, norms):
    """Replace both numeric paths (balls and two precisions) by forged norms (G(t), H(t))."""
    from flint import arb

    def two_precision(self, t, dps):
        with mp.workdps(dps):
            return tuple(mp.mpf(v) for v in norms(mp.mpf(t)))

    def balls(self, t):
        return tuple(arb(v) for v in norms(arb(t)))

    monkeypatch.setattr(Restriction, "norms", two_precision)
    monkeypatch.setattr(Restriction, "ball_norms", balls)


def test_symbolic_and_numeric_disagreement_gives_undecided(monkeypatch):
    # the symbolic side says ∞ (true) but the numbers are forged to shrink: no verdict
    _forge(monkeypatch, lambda t: (1, 1 / t))
    cert = _quartic("0.5")
    assert cert.verdict == "undecided"
    assert "disagree" in cert.reason


def test_finite_limit_with_a_table_not_approaching_it_is_undecided(monkeypatch):
    _forge(monkeypatch, lambda t: (t**3 * 4, t**3))
    cert = _quartic("0.7")
    assert cert.verdict == "undecided"


def test_extreme_points_use_enough_precision():
    # Along x = (1/3, 1/3, t, t) the network output u = t²/9 reaches 1e59: exp(-u) has
    # condition number |u|, so a fixed 50 digits would return garbage. Check a far row
    # against an independent evaluation at 400 digits.
    curve = Curve.parse("x1=1/3, x2=1/3, x3=t, x4=t", R4.variables)
    cert = certify_curve(R4, curve, rho=1, decades=30, progress=False)
    table = cert.find("numeric-table")[0]
    assert table.all_confirmed
    row = table.rows[-1]  # t = 1e30
    assert row.hess_norm.dps >= 110  # 50 + ~60 digits of |u|
    with mp.workdps(400):
        t = mp.mpf(10) ** 30
        x = [mp.mpf(1) / 3, mp.mpf(1) / 3, t, t]
        G = R4.grad_norm(x, 400)
        assert abs(row.grad_norm.value / G - 1) < mp.mpf(10) ** -15
        assert mp.nstr(G, 15) == mp.nstr(row.grad_norm.value, 15)
    assert cert.verdict == "not refuted"  # everything decays like exp(-t²/9)


def test_json_has_the_documented_fields():
    cert = _quartic("1/2", decades=5)
    payload = json.loads(cert.to_json_text())
    for key in ("verdict", "rho", "norm", "curve", "evidence", "critical_exponent"):
        assert key in payload
    assert payload["verdict"] == "refuted" and payload["rho"] == "1/2" and payload["norm"] == "frobenius"
    assert payload["curve"] == {"parameter": "t", "coordinates": {"x": "t"}}
    assert payload["critical_exponent"] == "2/3"
    kinds = [e["kind"] for e in payload["evidence"]]
    assert "symbolic-limit" in kinds and "numeric-table" in kinds and "growth-exponents" in kinds
    table = next(e for e in payload["evidence"] if e["kind"] == "numeric-table")
    row = table["rows"][2]  # t = 1e3: ‖∇f‖ = 4e9, ‖∇²f‖_F = 1.2e7
    assert row["t"] == "1e3" and row["confirmed"] is True
    # ball arithmetic (x**4 compiles to balls): one precision, digits guaranteed by the radius
    assert table["arithmetic"] == "ball" and row["rigorous"] is True
    assert row["dps"] >= 50 and row["dps_check"] == row["dps"]
    assert mp.mpf(row["grad_norm"]) == 4 * 10**9 and mp.mpf(row["hess_norm"]) == 12 * 10**6
    with mp.workdps(60):
        exact = mp.mpf(12 * 10**6) / (1 + mp.sqrt(4 * 10**9))
        shown = row["ratio"]
        digits = len(shown.replace(".", "").replace("-", "").split("e")[0].lstrip("0"))
        assert digits == 15  # only the confirmed digits
        assert abs(mp.mpf(shown) / exact - 1) < mp.mpf(10) ** -14


def test_report_and_latex_are_readable():
    cert = _quartic("1/2", decades=5)
    text = cert.report()
    for fragment in ("Claim:", "x = t", "ρ = 1/2", "Frobenius", "[symbolic-limit]", "[numeric-table]",
                     "critical exponent ρ* = 2/3", "Verdict: REFUTED"):
        assert fragment in text
    latex = cert.latex()
    assert latex["objective"] == "f(x) = x^{4}"
    assert latex["hess_norm_sq"].endswith("= 144 t^{4}")
    assert r"\lim_{t \to \infty}" in latex["limit"] and latex["limit"].endswith(r"\infty")


def test_progress_bar_is_optional(monkeypatch):
    seen = []
    real = certificate_module._progress

    def spy(enabled, label):
        seen.append(enabled)
        return real(enabled, label)

    monkeypatch.setattr(certificate_module, "_progress", spy)
    _quartic("1/2", decades=3)
    assert seen == [False]


def test_too_few_confirmed_rows_is_undecided():
    # ∂²/∂x² log cosh x = 1 - tanh(x)² cancels to 0 unless the precision exceeds ~0.87·t digits:
    # with a cap of 400 digits only t = 10 and 100 can be confirmed
    f = Objective.from_string("log(cosh(x))", "x")
    cert = certify_curve(f, Curve.parse("x=t", f.variables), rho=0, decades=6, max_dps=400, progress=False)
    table = cert.find("numeric-table")[0]
    assert len(table.confirmed_rows()) == 2
    assert cert.verdict == "undecided" and "only 2 of 6 table rows" in cert.reason
    assert table.rows[-1].texts(12)[1] is None and table.rows[-1].to_json(15)["digits"] == 0


def test_a_curve_leaving_the_domain_is_an_error():
    from dlnsmooth.errors import DomainError

    f = Objective.from_string("log(x)", "x")
    with pytest.raises(DomainError, match="leaves the domain"):
        certify_curve(f, Curve.parse("x=-t", f.variables), rho=1, progress=False)


def test_a_half_order_claim_for_x4_is_refuted():
    f = Objective.from_string("x**4", "x")
    certificate = certify_curve(f, Curve.parse("x=t", f.variables), rho="1/2", decades=8, progress=False)
    assert certificate.verdict == "refuted"  # so "∇(x⁴) is 1/2-order Lipschitz" is false
    assert certificate.critical_exponent == sp.Rational(2, 3)


# -- issue 14: budgets, undecided rows, the closed-form comparison, every-ρ verdicts ---------------
def test_closed_form_agrees_with_the_table_and_is_serialised():
    cert = _quartic("0.5", decades=6)
    check = cert.find("closed-form-check")[0]
    assert cert.closed_form_agrees is True and check.compared == 6 and not check.disagreements
    data = json.loads(json.dumps(cert.to_json()))
    assert data["closed_form_agrees"] is True and data["undecided_rows"] == 0 and data["budget_spent"] is None


def test_a_doubled_hessian_norm_makes_the_certificate_fail(monkeypatch):
    """Negative control: the objective's Hessian norm along the curve doubled (as a broken engine
    would) disagrees with the exact closed form, and the certificate certifies nothing."""
    honest = Objective.ball_norms

    def doubled(self, point):
        gradient, hessian = honest(self, point)
        return gradient, 2 * hessian

    monkeypatch.setattr(Objective, "ball_norms", doubled)
    cert = _quartic("0.5", decades=6)
    assert cert.verdict == "undecided" and cert.closed_form_agrees is False
    assert "disagrees with the exact closed form" in cert.reason and "‖∇²f‖_F" in cert.reason
    every = certify_curve(R4, Curve.parse("x1=0, x2=0, x3=t, x4=t", R4.variables), every_rho=True,
                          decades=6, progress=False)
    assert every.verdict == "undecided" and every.closed_form_agrees is False


@pytest.mark.slow
def test_a_tower_of_exponentials_gives_undecided_rows_not_a_traceback():
    tower = Objective.from_string("exp(exp(exp(exp(x))))", "x")
    start = time.perf_counter()
    cert = certify_curve(tower, Curve.parse("x=t", tower.variables), rho=1, time_budget=10, progress=False)
    assert time.perf_counter() - start < 20
    assert cert.verdict == "undecided" and cert.undecided_rows == 30
    table = cert.find("numeric-table")[0]
    assert all(row.undecided and "too large" in row.undecided for row in table.rows)
    assert json.loads(json.dumps(cert.to_json()))["evidence"][table_index(cert)]["undecided_rows"] == 30
    assert "undecided row" in cert.report()


def table_index(cert) -> int:
    return cert.evidence_kinds.index("numeric-table")


@pytest.mark.slow
def test_the_time_budget_cuts_a_long_table_and_the_verdict_says_what_was_left():
    start = time.perf_counter()
    cert = _quartic("0.5", decades=100_000, time_budget=4)
    assert time.perf_counter() - start < 10
    table = cert.find("numeric-table")[0]
    assert table.stopped and len(table.rows) < 100_000 and table.requested == 100_000
    assert cert.verdict == "undecided" and "time budget" in cert.reason and "not computed" in cert.reason
    assert cert.budget_spent and cert.to_json()["budget_spent"] == cert.budget_spent


def test_a_huge_rho_is_certified_without_expanding_astronomical_powers():
    cert = _quartic(10**6, decades=6, time_budget=30)
    assert cert.verdict == "not refuted"
    assert cert.closed_form_agrees is True


def test_time_budget_must_be_positive():
    with pytest.raises(ValueError, match="time budget"):
        _quartic("0.5", time_budget=0)


def test_a_decaying_hessian_is_not_called_identically_zero():
    f = Objective.from_string("log(1+exp(-(3*w1+4*w2)))", "w1,w2")
    cert = certify_curve(f, Curve.parse("w1=-t, w2=1/t", f.variables), rho=1, decades=4, progress=False)
    growth = cert.find("growth-exponents")[0]
    text = "\n".join(growth.lines())
    assert cert.growth.hess_exponent == -sp.oo and not cert.growth.hessian_vanishes
    assert "≡ 0" not in text and "decays faster than any power" in text


def test_every_rho_follows_the_growth_comparison_when_the_gradient_grows_only_logarithmically():
    """‖∇f‖ ~ 2 log t and ‖∇²f‖_F ~ 4t² along x = y = t: log‖∇²f‖/log‖∇f‖ → ∞, so the ratio
    diverges for every ρ and the every-ρ verdict is refuted (as ρ* = ∞ says)."""
    f = Objective.from_string("(x - y)**2*y**2 + x*log(1 + x**2)", "x,y")
    cert = certify_curve(f, Curve.parse("x=t, y=t", f.variables), every_rho=True, progress=False)
    assert cert.critical_exponent == sp.oo
    assert cert.verdict == "refuted" and "faster than every power" in cert.reason
    assert "ρ* = ∞" in cert.report()
    table = cert.find("numeric-table")[0]
    assert table.supports_faster_than_every_power()
