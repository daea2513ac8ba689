"""proofs/prop5_necessity.py: the computed values of Proposition 5's check, and its mutants.

The proof runs once per session (``computed``); tests compare what it computed with expected values —
tight (≈ within a stated tolerance), upper bounds, monotone in a parameter, metamorphic. Every mutant is a
deliberately broken claim (a constant too small, an exponent below the threshold, a wrong limit) computed by
the same functions and rendered by the same code; it must come out refuted, never verified.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.numbers import nonnegative_constant
from dlnsmooth.objective import Objective
from dlnsmooth.report import ClaimReport
from proofs import prop5_necessity as p5
from proofs.library import C1_X4, RHO_X4, add_hessian_bound_check, hessian_bound_at_points, quartic, radial_quartic

SMALL_C1 = sp.Rational(476, 100)  # < 3·2^(2/3) ≈ 4.7622


def _report() -> ClaimReport:
    return ClaimReport("mutant", "t", "c", "s", "m", "kind")


@pytest.fixture(scope="session")
def computed() -> p5.Prop5Result:
    return p5.compute()


@pytest.fixture(scope="session")
def report(computed) -> ClaimReport:
    return p5.render(computed)


def test_every_check_holds_and_verify_is_compute_then_render(report):
    assert report.verdict == "holds", report.report()
    assert len(report.checks) == 27 and all(c.verdict == "holds" for c in report.checks)  # 26 + the catalogue control
    payload = json.loads(report.to_json_text())
    assert payload["name"] == p5.NAME == "prop5" and payload["verdict"] == "holds"
    assert report.evidence_kind.startswith("identity verified symbolically")


def test_the_limit_step_is_an_identity_for_every_example(computed):
    methods = [(i.objective.expression_text(), i.method, i.holds) for i in computed.limit_identities]
    assert methods == [("x**4", "limit", True), ("(x**2 + y**2)**2", "limit", True),
                       ("log(1 + exp(-x1*x2*x3*x4))", "derivative", True)]
    c = computed.curve_limit
    assert c.limit == c.k**4 / 4 and sp.simplify(c.spectral - c.k**2 / 2) == 0


def test_quartic_constant_is_exact(computed):
    assert computed.quartic_residual == 0
    assert sp.simplify(C1_X4 - 3 * 2 ** sp.Rational(2, 3)) == 0


def test_tight_quartic_quotients_are_12_plus_12h_plus_4h2(computed):
    """q(h) = 12 + 12h + 4h² exactly for x⁴ at 1: every guaranteed digit agrees with the closed form."""
    table = computed.table("x⁴ at x = 1").table
    assert len(table.rows) == 12
    for row in table.rows:
        with mp.workdps(40):
            h = mp.mpf(10) ** (-row.exponent)
            assert abs(row.quotient.value - (12 + 12 * h + 4 * h**2)) < mp.mpf(10) ** (-row.quotient.digits + 2) * 13
    assert table.hv_norm.value == 12 and table.converges()[0] is True and table.premise_status()[0] is True


def test_errors_shrink_monotonically_with_h(computed):
    """Monotone in the parameter: |q(h) − limit| decreases as h = 10⁻ᵏ decreases, for every table."""
    for case in computed.tables:
        errors = [row.error.value for row in case.table.rows if row.error.digits > 0]
        assert all(abs(b) < abs(a) for a, b in zip(errors, errors[1:])), case.label


def test_exact_limits_are_enclosed(computed):
    assert set(computed.radial_eigenvalues) == {300, 100}
    assert [(lim.exact, lim.encloses, lim.digits >= 15) for lim in computed.limit_enclosures] == [
        (300, True, True), (100, True, True)]
    for case in computed.tables:
        if case.top_direction:
            assert case.table.spectral_status() is True, case.label


def test_hessian_bound_is_attained_for_the_quartic(computed):
    """Tight: ‖∇²f‖₂/(C1‖∇f‖^(2/3)) = 1 at every point with ∇f ≠ 0 (up to rounding at 50 digits)."""
    (_, x4), (_, r4) = computed.bounds
    assert x4.holds and r4.holds
    for bound in (x4, r4):
        ratio, _ = bound.largest_ratio
        with mp.workdps(60):
            assert abs(ratio - 1) < mp.mpf(10) ** -40
    with mp.workdps(60):
        for x, check in zip(x4.points, x4.checks):
            assert check.lhs <= check.rhs * (1 + mp.mpf(10) ** -40), x  # upper bound


def test_controls_refute_every_claimed_constant(computed):
    assert computed.control_limit.kind == "infinite"
    assert [(c.C0, c.C1) for c in computed.controls] == p5.CONTROL_CONSTANTS
    for c in computed.controls:
        assert c.refuted and c.point_check.lhs > c.point_check.rhs and c.pair_check.lhs > c.pair_check.rhs
    table = computed.r4_control
    assert table.grad_norm.proven_zero and table.hv_ball.contains(p5.R4_K**2 // 2)
    assert not computed.r4_pair.holds


def test_metamorphic_scaled_direction_and_expanded_expression_give_the_same_table():
    """The same problem written needlessly differently: v scaled by 2, f expanded — same quotients."""
    plain = p5.quotient_table(radial_quartic(), [3, 4], [3, 4], decades=5)
    expanded = Objective.from_string("x**4 + 2*x**2*y**2 + y**4", "x,y")
    other = p5.quotient_table(expanded, [3, 4], [6, 8], decades=5)
    with mp.workdps(30):
        assert abs(other.hv_norm.value - 300) < mp.mpf(10) ** -14 and abs(plain.hv_norm.value - 300) < mp.mpf(10) ** -14
    for a, b in zip(plain.rows, other.rows):
        with mp.workdps(30):
            assert abs(a.quotient.value - b.quotient.value) < mp.mpf(10) ** -14 * a.quotient.value


# -- mutants ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_mutant_x4_at_rho_half_fails_the_hessian_bound():
    """x⁴ is not ½-order: claimed constants are refuted by a computed point."""
    f = quartic()
    for C0, C1 in p5.CONTROL_CONSTANTS:
        bound = hessian_bound_at_points(f, sp.Rational(1, 2), C0, C1, [[sp.Integer(10) ** j] for j in range(15)])
        report = _report()
        outcome = add_hessian_bound_check(report, bound, "mutant")
        assert not bound.holds and outcome.verdict == "refuted" and report.verdict == "refuted"


@pytest.mark.slow
def test_mutant_true_constants_cannot_be_refuted(computed):
    """'Every claimed (C0, C1) is refuted' must fail for constants that are valid."""
    controls = (p5.control_refutation(quartic(), RHO_X4, 0, C1_X4, [1]),
                p5.control_refutation(quartic(), RHO_X4, 1, 5, [1]))
    assert not any(c.refuted for c in controls)
    report = p5.render(dataclasses.replace(computed, controls=controls))
    assert report.verdict == "refuted"
    assert [c.verdict for c in report.checks if "every claimed (C0, C1)" in c.name] == ["refuted"]


@pytest.mark.slow
def test_mutant_constant_too_small_breaks_the_premise_pairs():
    """C1 = 4.76 < 3·2^(2/3): the ρ-order inequality fails at the table's pairs near h → 0."""
    table = p5.quotient_table(quartic(), [1], [1], decades=8, rho=RHO_X4, C0=0, C1=SMALL_C1)
    assert table.premise_status()[0] is False
    assert not hessian_bound_at_points(quartic(), RHO_X4, 0, SMALL_C1, [[1]]).holds


@pytest.mark.slow
def test_mutant_wrong_limit_is_not_verified(computed):
    """A table compared with a limit off by one part in a million does not converge to it."""
    table = p5.quotient_table(radial_quartic(), [3, 4], [3, 4], decades=10,
                              claimed_limit=300 * (1 + sp.Rational(1, 10**6)))
    assert table.converges()[0] is False
    cases = tuple(dataclasses.replace(c, table=table) if c.label.startswith("(x² + y²)² at (3, 4), radial") else c
                  for c in computed.tables)
    report = p5.render(dataclasses.replace(computed, tables=cases))
    assert report.verdict == "refuted"


@pytest.mark.slow
def test_mutant_non_eigen_direction_is_not_the_spectral_norm():
    """The tangential direction's limit (100) is not ‖∇²f(3, 4)‖₂ (300)."""
    table = p5.quotient_table(radial_quartic(), [3, 4], [-4, 3], decades=4)
    assert table.spectral_status() is False
    assert p5.limit_enclosure(table, sp.Integer(300), "mutant").holds is False


@pytest.mark.slow
def test_runs_as_a_script_with_json():
    result = subprocess.run([sys.executable, "-m", "proofs.prop5_necessity", "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["name"] == "prop5" and payload["verdict"] == "holds"


def test_exact_constants_reject_negative_and_accept_irrational():
    assert nonnegative_constant(C1_X4, "C1") == 3 * 2 ** sp.Rational(2, 3)
    assert nonnegative_constant("0.5", "C0") == sp.Rational(1, 2)
    with pytest.raises(ValueError):
        nonnegative_constant(-1, "C0")
