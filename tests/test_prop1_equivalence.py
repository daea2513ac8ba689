"""proofs/prop1_equivalence.py: the computed evidence of Proposition 1, and mutants of the claim.

The proof runs once per session (``evidence``); the tests compare what it computed with what the
mathematics says: equality of ‖ΔD‖/‖Δx‖ and the integrated factor where the inequality is tight,
req_order ≤ req_int at every pair (an upper bound), Darboux sums monotone in m, and the same answer for
the same D written in a needlessly complicated way. Every mutant is a deliberately broken version of the
claim (a constant below the one required, a Darboux bound with the lower sum, swapped conditions) run
through the same functions; each must come out refuted.
"""

import json
import subprocess
import sys
from dataclasses import replace

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.conditions import RhoIntegrated, RhoOrder
from dlnsmooth.numbers import ball_to_mpf
from dlnsmooth.objective import Objective
from proofs import prop1_equivalence as p1
from proofs.library import nonnegative_on_orthant, random_pairs

R = sp.Rational


@pytest.fixture(scope="session")
def evidence():
    return p1.compute()


@pytest.fixture(scope="session")
def report(evidence):
    return p1.render(evidence)


@pytest.fixture(scope="module")
def cubic():
    return Objective.from_string("x**4/4", "x")


def _family(evidence, label_start):
    return next(f for f in evidence.families if f.family.label.startswith(label_start))


def test_every_step_and_every_family_holds(evidence, report):
    assert report.verdict == "holds", report.report()
    assert all(passed is True for _, passed, _ in evidence.steps) and len(evidence.steps) == 6
    assert [f.family for f in evidence.families] == list(p1.FAMILIES)
    for family in evidence.families:
        assert family.requirements_ok and family.forward is True and family.integrated is True, family.family.label
        assert all(family.backward)
    assert [case.ok for case in evidence.suprema] == [True, True]


def test_the_x3_family_is_tight(evidence):
    # f″ = 3|f′|^(2/3): the integrated inequality is an equality, so req_int = C1 = 3 at every pair
    family = _family(evidence, "∇(x⁴/4) = x³")
    assert len(family.pairs) == p1.FAMILIES[0].count
    for pair in family.pairs:
        assert abs(pair.quotient - pair.integrated_factor) <= mp.mpf("1e-15") * pair.quotient
        assert abs(pair.requirement.req_int - 3) < 1e-15
        assert pair.darboux.passed is True


def test_req_order_is_below_req_int_and_the_factors_are_ordered(evidence):
    for family in evidence.families:
        for pair in family.pairs:
            r = pair.requirement
            assert r.req_order <= r.req_int * (1 + mp.mpf("1e-15")), (family.family.label, pair.pair)
            if not pair.skipped:
                assert pair.quotient <= pair.integrated_factor * (1 + mp.mpf("1e-15"))
                assert pair.integrated_factor <= pair.order_factor


def test_the_r4_loss_gets_finite_constants_on_its_segments(evidence):
    family = _family(evidence, "∇ log(1 + exp(−x1x2x3x4))")
    assert family.pairs[0].pair == p1.TABLE_PAIR
    assert all(not p.skipped and p.C0 == 0 and 0 < p.C1 < 100 for p in family.pairs)


def test_darboux_sums_are_monotone_and_close_in_on_the_integral(evidence):
    table = evidence.table_pair.darboux
    assert [row.m for row in table.rows] == [2**k for k in range(p1.TABLE_LEVELS + 1)]
    upper = [float(ball_to_mpf(row.upper)) for row in table.rows]
    lower = [float(ball_to_mpf(row.lower)) for row in table.rows]
    integral = float(table.integral)
    assert all(a >= b for a, b in zip(upper, upper[1:])) and all(a <= b for a, b in zip(lower, lower[1:]))
    assert lower[-1] < integral < upper[-1] and upper[-1] - integral < 2e-3
    gaps = [(u - integral) * row.m for u, row in zip(upper, table.rows)]
    assert 1.0 < gaps[-1] < 1.2  # U_m − ∫ = O(1/m)
    assert all(row.pieces_ok is True for row in table.rows)
    assert p1.darboux_table(table)[0].split()[0] == "m" and len(p1.darboux_table(table)) == len(table.rows) + 2


def test_req_order_approaches_req_int_on_shrinking_pairs(evidence):
    for case in evidence.suprema:
        gaps = [row.req_int - row.req_order for row in case.rows]
        assert all(g >= 0 for g in gaps) and all(a > b for a, b in zip(gaps, gaps[1:]))
        assert gaps[-1] < 1e-3 * case.rows[-1].req_int


def test_the_report_renders_and_serialises(report):
    payload = json.loads(report.to_json_text())
    assert payload["name"] == "prop1" and payload["verdict"] == "holds"
    assert len(payload["checks"]) >= 20 and all(c["verdict"] == "holds" for c in payload["checks"])
    assert any(heading.startswith("Darboux sums for the R⁴ loss") for heading, _ in report.sections)


def test_the_same_field_written_differently_gives_the_same_evidence(cubic):
    # (x² + 1)²/4 − x²/2 − 1/4 = x⁴/4: a different expression (and ball program) for the same D
    twisted = Objective.from_string("(x**2 + 1)**2/4 - x**2/2 - 1/4", "x")
    plain = p1.darboux_evidence(cubic, ["-0.5"], ["1.5"], R(2, 3), 0, 3, levels=6)
    other = p1.darboux_evidence(twisted, ["-0.5"], ["1.5"], R(2, 3), 0, 3, levels=6)
    assert plain.passed is True and other.passed is True
    assert plain.quotient.overlaps(other.quotient)
    assert abs(plain.integral - other.integral) < 1e-15
    pairs = [(("0.5",), ("1.5",)), (("-1",), ("0.25",))]
    a = p1.compare_requirements(cubic, pairs, R(2, 3))[1]
    b = p1.compare_requirements(twisted, pairs, R(2, 3))[1]
    assert all(abs(x.req_order - y.req_order) < 1e-15 and abs(x.req_int - y.req_int) < 1e-15 for x, y in zip(a, b))


def test_darboux_evidence_passes_for_the_true_constants(cubic):
    evidence = p1.darboux_evidence(cubic, ["-0.5"], ["1.5"], R(2, 3), 0, 3, levels=6)
    assert evidence.passed is True, evidence.summary()
    # x³ with (0, 3): ‖ΔD‖/‖Δx‖ = ∫ (the integrated inequality is an equality)
    assert abs(float(ball_to_mpf(evidence.quotient)) - float(evidence.integral)) < 1e-15


def test_pairs_are_reproducible():
    assert random_pairs(2, 3, (-1.0, 1.0), 7) == random_pairs(2, 3, (-1.0, 1.0), 7)


# -- mutants

@pytest.mark.slow
def test_mutant_darboux_bound_with_the_lower_sum_fails(cubic):
    evidence = p1.darboux_evidence(cubic, ["-0.5"], ["1.5"], R(2, 3), 0, 3, levels=6, sums="lower")
    assert evidence.passed is False
    assert any("T_m ≤ L_m fails" in f for f in evidence.failures)


@pytest.mark.slow
def test_mutant_constant_smaller_than_required_fails(cubic):
    evidence = p1.darboux_evidence(cubic, ["0.5"], ["1.5"], R(2, 3), 0, R(29, 10), levels=8)
    assert evidence.passed is False
    assert any("ρ-order on each" in f for f in evidence.failures)  # the hypothesis fails on short pieces
    assert not RhoIntegrated(R(2, 3), 0, R(29, 10)).check(cubic, ["0.5"], ["1.5"], 20).holds


@pytest.mark.slow
def test_mutant_family_with_a_too_small_constant_is_refuted():
    family = replace(p1.FAMILIES[0], C1=R(29, 10), count=2)
    evidence = p1.compute(families=[family], levels=6, table_levels=6)
    (result,) = evidence.families
    assert result.forward is False and result.integrated is False
    report = p1.render(evidence)
    assert report.verdict == "refuted"
    assert sum(c.verdict == "refuted" for c in report.checks) == 2


@pytest.mark.slow
def test_mutant_swapped_conditions_fail(cubic):
    pairs = [(("0.5",), ("1.5",)), (("-1",), ("0.25",))]
    ok, rows = p1.compare_requirements(cubic, pairs, R(2, 3))
    assert ok and all(r.req_int > r.req_order for r in rows)
    swapped, _ = p1.compare_requirements(cubic, pairs, R(2, 3), order=RhoIntegrated, integrated=RhoOrder)
    assert swapped is False


def test_mutant_symbolic_steps_fail():
    # the x³ family with C1 = 2.9 < 3: the integrated inequality is false for every pair
    steps = {name: passed for name, passed, _ in p1.cubic_family(R(29, 10))}
    assert steps["x³ family: ρ-integrated with (0, 29/10) at every pair, sharp"] is False
    a, d = sp.symbols("a d", nonnegative=True)
    assert nonnegative_on_orthant(a * d + d**2, (a, d)) is True
    assert nonnegative_on_orthant(-(a * d) - d**2, (a, d)) is False
    assert nonnegative_on_orthant(a**2 - a * d, (a, d)) is None  # indefinite: not proved


@pytest.mark.slow
def test_the_script_runs_with_json():
    result = subprocess.run([sys.executable, "-m", "proofs.prop1_equivalence", "--json"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["name"] == "prop1" and payload["verdict"] == "holds"
