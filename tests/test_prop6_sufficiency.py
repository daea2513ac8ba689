"""proofs/prop6_sufficiency.py: the computed values of Proposition 6's check and of the refutation recipe.

The proof runs once per session (``computed``); tests compare what it computed with expected values (tight,
upper bound, monotone in ρ, metamorphic). Mutants — constants too small, a wrong expected verdict — go
through the same functions and the same rendering and must come out refuted.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.objective import Objective
from dlnsmooth.report import ClaimReport
from proofs import prop6_sufficiency as p6
from proofs.library import C1_X4, RHO_X4, find_violation, hessian_bound_at_points, quartic, radial_quartic

SMALL_C1 = sp.Rational(476, 100)  # < 3·2^(2/3) ≈ 4.7622


@pytest.fixture(scope="session")
def computed() -> p6.Prop6Result:
    return p6.compute()


@pytest.fixture(scope="session")
def report(computed) -> ClaimReport:
    return p6.render(computed)


def test_every_check_holds(report):
    assert report.verdict == "holds", report.report()
    assert len(report.checks) == 32 and all(c.verdict == "holds" for c in report.checks)  # 31 + the catalogue control
    payload = json.loads(report.to_json_text())
    assert payload["name"] == p6.NAME == "prop6"
    assert [c["verdict"] for c in payload["certificates"]] == [v for _, _, v in p6.RECIPE]


def test_the_integral_identity(computed):
    symbolic = [i for i in computed.identities if i.ends is None]
    assert len(symbolic) == 5 and all(i.holds for i in symbolic)
    (concrete,) = [i for i in computed.identities if i.ends is not None]
    assert concrete.holds and concrete.ends == ((0, 0, 1, 2), (1, -1, 1, 2))
    q = computed.quadrature
    assert q.holds and q.gap <= q.allowed and q.scale > 0


def test_premises_are_exact_identities(computed):
    p = computed.premises
    assert p.quartic_gap == 0 and p.quartic_c1_cubed == 108
    assert p.radial_holds(radial_quartic())
    assert p.exp_gap == 0 and p.softplus_gap == 0 and p.softplus_first == 0
    assert all(bound.holds for _, bound in computed.premise_points)


def test_tight_equality_for_every_pair(computed):
    """x⁴ and eˣ: the ρ-integrated inequality holds with equality (RHS² − LHS² ≡ 0), so req_int = C1."""
    assert [(e.label, e.holds, e.gap) for e in computed.equalities] == [
        ("conclusion x⁴", True, 0), ("conclusion eˣ", True, 0)]
    x4_pairs, _, exp_pairs, _ = computed.numeric
    for pairs, C1 in ((x4_pairs, C1_X4), (exp_pairs, 1)):
        with mp.workdps(30):
            for row in pairs.rows:
                assert abs(row.required - mp.mpf(sp.N(C1, 40))) < mp.mpf(10) ** -10, row.pair


def test_exact_pairs_and_numeric_pairs_are_upper_bounds(computed):
    exact = computed.exact
    assert exact.rational and exact.holds
    assert all(lhs <= rhs for lhs, rhs in zip(exact.lhs_sq, exact.rhs_sq))
    assert max(exact.ratios) <= 1
    for pairs in computed.numeric:
        assert pairs.holds, pairs.label
        with mp.workdps(40):
            assert all(row.required <= mp.mpf(sp.N(pairs.C1, 40)) * (1 + mp.mpf(10) ** -20) for row in pairs.rows)


def test_small_constant_is_caught(computed):
    s = computed.small
    assert (s.C0, s.C1) == p6.SMALL_C and s.caught
    assert s.point_check.lhs > s.point_check.rhs and s.pair_check.lhs > s.pair_check.rhs


def test_recipe_verdicts_are_monotone_in_rho(computed):
    """For each f, the recipe refutes below the critical exponent and not at or above it."""
    verdicts = [(c.certificate.objective.expression_text(), c.certificate.rho, c.certificate.verdict)
                for c in computed.recipe]
    assert verdicts == [(expr, rho, expected) for expr, rho, expected in p6.RECIPE]
    for expr in ("x**4", "exp(x)"):
        rows = sorted((rho, v) for e, rho, v in verdicts if e == expr)
        refuted = [v == "refuted" for _, v in rows]
        assert refuted == sorted(refuted, reverse=True)
    assert computed.recipe[0].certificate.critical_exponent == sp.Rational(2, 3)


def test_metamorphic_expanded_quartic_gives_the_same_equality():
    """x⁴ written as (x²)² gives the same integral and the same equality."""
    plain = p6.equality_all_pairs(quartic(), RHO_X4, 0, C1_X4, "x⁴")
    other = p6.equality_all_pairs(Objective.from_string("(x**2)**2", "x"), RHO_X4, 0, C1_X4, "x⁴")
    assert plain.holds and other.holds and sp.simplify(plain.integral - other.integral) == 0


def test_integrated_check_handles_tiny_equality_pairs():
    """eˣ on [−100, −99]: equality, values ~1e-44; the relative quadrature keeps it 'holds'."""
    (row,) = p6.numeric_pairs(p6.exponential(), 1, 0, 1, [([-100], [-99])], "tiny").rows
    assert row.integrated.holds and row.order.holds
    with mp.workdps(30):
        assert abs(row.required - 1) < mp.mpf(10) ** -20


# -- mutants ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_mutant_hessian_constant_too_small_is_found_violated():
    f = quartic()
    assert not hessian_bound_at_points(f, RHO_X4, 0, SMALL_C1, [[2]]).holds
    x, check = find_violation(f, RHO_X4, 1, SMALL_C1, [1])   # with C0 = 1 only far out
    assert not check.holds and x[0] > 10
    assert not p6.numeric_pairs(f, RHO_X4, 0, SMALL_C1, [([1], [2])], "mutant").holds
    assert not hessian_bound_at_points(radial_quartic(), RHO_X4, 0, SMALL_C1, [[3, 4]]).holds


@pytest.mark.slow
def test_mutant_equality_and_exact_pairs_break_with_smaller_constants(computed):
    equality = p6.equality_all_pairs(quartic(), RHO_X4, 0, SMALL_C1, "mutant")
    assert equality.holds is False
    x, y = radial_quartic().variables
    exact = p6.rational_pairs(radial_quartic(), 11 * (x**2 + y**2), [((3, 4), (6, 8))], "mutant")
    assert exact.holds is False
    report = p6.render(dataclasses.replace(computed, equalities=(equality,), exact=exact))
    assert report.verdict == "refuted"
    assert sum(c.verdict == "refuted" for c in report.checks) == 2


@pytest.mark.slow
def test_mutant_recipe_must_not_refute_x4_at_0_7(computed):
    certificate = p6.run_recipe("x**4", sp.Rational(7, 10), decades=10)
    assert certificate.verdict == "not refuted"
    wrong = p6.RecipeCase(certificate, "refuted")
    assert wrong.passed is False
    report = p6.render(dataclasses.replace(computed, recipe=(wrong,) + computed.recipe[1:]))
    assert report.verdict == "refuted"
    below = p6.run_recipe("x**4", sp.Rational(65, 100), decades=10)  # just below the threshold 2/3
    assert below.verdict == "refuted"


@pytest.mark.slow
def test_mutant_small_constant_that_is_not_small_is_not_caught(computed):
    """Claiming the sharp constant is 'too small' fails: no violating point exists on the ray."""
    sharp = p6.small_constant(quartic(), RHO_X4, 0, C1_X4, [1])
    assert sharp.point is None and not sharp.caught
    assert p6.render(dataclasses.replace(computed, small=sharp)).verdict == "refuted"


@pytest.mark.slow
def test_runs_as_a_script_with_json():
    result = subprocess.run([sys.executable, "-m", "proofs.prop6_sufficiency", "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["name"] == "prop6" and payload["verdict"] == "holds"
