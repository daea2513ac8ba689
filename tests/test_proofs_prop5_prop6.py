"""proofs/prop5_necessity and proofs/prop6_sufficiency: reports, JSON, and mutants.

Every mutant is a deliberately broken version of a claim (a constant too small, an
exponent below the threshold, a wrong limit, a wrong expected verdict) run through the
same checking functions the scripts use; it must come out failed (or not refuted),
never verified.
"""

import json

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.numbers import nonnegative_constant
from dlnsmooth.report import ClaimReport
from proofs import prop5_necessity as p5
from proofs import prop6_sufficiency as p6


def _report() -> ClaimReport:
    return ClaimReport("mutant", "t", "c", "s", "m", "kind")


@pytest.fixture(scope="module")
def report5():
    return p5.verify()


@pytest.fixture(scope="module")
def report6():
    return p6.verify()


# -- Proposition 5 --------------------------------------------------------------------------------
def test_prop5_is_verified_with_the_promised_checks(report5):
    assert report5.verdict == "holds", report5.report()
    names = [c.name for c in report5.checks]
    assert any("lim_{h→0} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w" in n and "x**4" in n for n in names)
    assert any("symbolic k" in n for n in names)
    for label in ("x⁴ at x = 1", "(x² + y²)² at (3, 4), radial", "R⁴ loss at x = (1/2, −1, 3/4, 2)",
                  "R⁴ loss at x_k"):
        assert any(n.startswith(label) and "q(h) →" in n for n in names), label
        assert any(n.startswith(label) and "‖∇²f(x)‖₂" in n for n in names), label
    assert any("premise instances" in n for n in names)
    assert any(n.startswith("control x⁴, ρ = 1/2: every claimed") for n in names)
    text = report5.report()
    assert "Verdict: VERIFIED" in text and "spectral" in text
    assert "12.00000000001200000000" in text        # q(1e-12) for x⁴ at 1 = 12 + 12h + 4h²
    assert report5.evidence_kind.startswith("identity verified symbolically")


def test_prop5_table_converges_to_the_exact_limits():
    f = p5.quartic()
    table = p5.quotient_table(f, [1], [1], decades=8, rho=p5.RHO_X4, C0=0, C1=p5.C1_X4)
    ok, detail = table.converges()
    assert ok is True, detail
    assert table.premise_status()[0] is True
    # q(h) = 12 + 12h + 4h² exactly: the guaranteed digits agree with the closed form
    for row in table.rows:
        with mp.workdps(40):
            h = mp.mpf(10) ** (-row.exponent)
            assert abs(row.quotient.value - (12 + 12 * h + 4 * h**2)) < mp.mpf(10) ** (-row.quotient.digits + 2) * 13


def test_prop5_json_via_main(capsys):
    assert p5.main(["--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "prop5" and payload["verdict"] == "holds"
    assert all(c["verdict"] == "holds" for c in payload["checks"])


def test_prop5_mutant_x4_at_rho_half_fails_the_hessian_bound():
    """x⁴ is not ½-order: claimed constants are refuted by a computed point."""
    f = p5.quartic()
    for C0, C1 in [(0, 12), (1, 100), (10**6, 10**6)]:
        report = _report()
        points = [[sp.Integer(10) ** j] for j in range(0, 15)]
        outcome = p5.check_hessian_bound(report, f, sp.Rational(1, 2), C0, C1, points, "mutant")
        assert outcome.verdict == "refuted" and report.verdict == "refuted", outcome.detail
        assert p5.find_violation(f, sp.Rational(1, 2), C0, C1, [1]) is not None


def test_prop5_mutant_true_constants_cannot_be_refuted():
    """The control 'every claimed (C0, C1) is refuted' must fail for constants that are valid."""
    report = _report()
    outcome = p5.check_control_refuted(report, p5.quartic(), p5.RHO_X4, [(0, p5.C1_X4), (1, 5)], [1], "mutant")
    assert outcome.verdict == "refuted" and report.verdict != "verified"


def test_prop5_mutant_constant_too_small_breaks_the_premise_pairs():
    """C1 = 4.76 < 3·2^(2/3): the ρ-order inequality fails at the table's pairs near h → 0."""
    report = _report()
    table = p5.quotient_table(p5.quartic(), [1], [1], decades=8, rho=p5.RHO_X4, C0=0, C1=sp.Rational(476, 100))
    outcome = p5.check_premise_pairs(report, table, "mutant", (p5.RHO_X4, 0, sp.Rational(476, 100)))
    assert outcome.verdict == "refuted", outcome.detail
    # and the conclusion with that constant fails too
    assert p5.check_hessian_bound(_report(), p5.quartic(), p5.RHO_X4, 0, sp.Rational(476, 100),
                                  [[1]], "mutant").verdict == "refuted"


def test_prop5_mutant_wrong_limit_is_not_verified():
    """A table compared with a limit off by one part in a million does not converge to it."""
    f = p5.radial_quartic()
    report = _report()
    table = p5.quotient_table(f, [3, 4], [3, 4], decades=10, claimed_limit=300 * (1 + sp.Rational(1, 10**6)))
    outcome = p5.check_quotient_table(report, table, "mutant")
    assert outcome.verdict == "refuted", outcome.detail


def test_prop5_mutant_non_eigen_direction_is_not_the_spectral_norm():
    """The tangential direction's limit (100) is not ‖∇²f(3, 4)‖₂ (300)."""
    table = p5.quotient_table(p5.radial_quartic(), [3, 4], [-4, 3], decades=4)
    report = _report()
    assert p5.check_spectral(report, table, "mutant").verdict == "refuted"


def test_exact_constants_reject_negative_and_accept_irrational():
    assert nonnegative_constant(p5.C1_X4, "C1") == 3 * 2 ** sp.Rational(2, 3)
    assert nonnegative_constant("0.5", "C0") == sp.Rational(1, 2)
    with pytest.raises(ValueError):
        nonnegative_constant(-1, "C0")


# -- Proposition 6 --------------------------------------------------------------------------------
def test_prop6_is_verified_with_the_promised_checks(report6):
    assert report6.verdict == "holds", report6.report()
    names = [c.name for c in report6.checks]
    assert sum("for all x1, x2 (symbolic end points)" in n for n in names) == 5
    assert any("concrete end points, symbolic θ" in n for n in names)
    assert any(n.startswith("premise x⁴: f″ ≡ C1|f′|^(2/3)") for n in names)
    assert any(n.startswith("conclusion x⁴: |f′(x2) − f′(x1)|") for n in names)
    assert any("rational pairs, exactly" in n for n in names)
    verdicts = {(c.objective.expression_text(), str(c.rho)): c.verdict for c in report6.certificates}
    assert verdicts[("x**4", "1/2")] == "refuted"
    assert verdicts[("x**4", "7/10")] == "not refuted"
    assert verdicts[("exp(x)", "1/2")] == "refuted" and verdicts[("exp(x)", "99/100")] == "refuted"
    assert verdicts[("exp(x)", "1")] == "not refuted"
    text = report6.report()
    assert "Verdict: VERIFIED" in text and "critical exponent ρ* = 2/3" in text


def test_prop6_json_via_main(capsys):
    assert p6.main(["--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "prop6" and payload["verdict"] == "holds"
    assert [c["verdict"] for c in payload["certificates"]] == [v for _, _, v in p6.RECIPE]


def test_prop6_mutant_hessian_constant_too_small_is_found_violated():
    f = p6.quartic()
    small = sp.Rational(476, 100)                        # < 3·2^(2/3) ≈ 4.7622
    report = _report()
    assert p6.check_hessian_bound(report, f, p6.RHO_X4, 0, small, [[2]], "mutant").verdict == "refuted"
    found = p6.find_violation(f, p6.RHO_X4, 1, small, [1])   # with C0 = 1 only far out
    assert found is not None
    x, check = found
    assert not check.holds and x[0] > 10
    # the same constants fail the conclusion at a pair, and (x² + y²)² with C1 = 4.76 fails at a point
    assert p6.check_integrated_pairs(_report(), f, p6.RHO_X4, 0, small, [([1], [2])], "mutant").verdict == "refuted"
    assert p6.check_hessian_bound(_report(), p6.radial_quartic(), p6.RHO_X4, 0, small, [[3, 4]],
                                  "mutant").verdict == "refuted"


def test_prop6_mutant_equality_and_exact_pairs_break_with_smaller_constants():
    f = p6.quartic()
    assert p6.check_equality_all_pairs(_report(), f, p6.RHO_X4, 0, sp.Rational(476, 100), "mutant").verdict == "refuted"
    r4 = p6.radial_quartic()
    x, y = r4.variables
    outcome = p6.check_pairs_exact(_report(), r4, 11 * (x**2 + y**2), [((3, 4), (6, 8))], "mutant")
    assert outcome.verdict == "refuted", outcome.detail


def test_prop6_mutant_recipe_must_not_refute_x4_at_0_7():
    certificate = p6.run_recipe("x**4", sp.Rational(7, 10), decades=10)
    assert certificate.verdict == "not refuted"
    report = _report()
    assert p6.check_recipe(report, certificate, "refuted").verdict == "refuted"
    # and an exponent just below the threshold 2/3 is refuted
    below = p6.run_recipe("x**4", sp.Rational(65, 100), decades=10)
    assert below.verdict == "refuted"


def test_prop6_integrated_check_handles_tiny_equality_pairs():
    """eˣ on [−100, −99]: equality, values ~1e-44; the relative quadrature keeps it 'holds'."""
    (pair, integrated, order, req), = p6.pair_checks(p6.exponential(), 1, 0, 1, [([-100], [-99])])
    assert integrated.holds and order.holds
    with mp.workdps(30):
        assert abs(req - 1) < mp.mpf(10) ** -20
