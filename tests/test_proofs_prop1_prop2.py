"""proofs/prop1_equivalence.py and proofs/prop2_global_lipschitz.py: reports, JSON, and mutants.

Every mutant is a deliberately broken version of a claim (a constant below the one required, a
Darboux bound with the lower sum, swapped conditions, a wrong combined constant for ρ = 0, ...),
run through the same checking functions the scripts use; each must come out failed or not
verified, never verified.
"""

import json
from dataclasses import replace

import pytest
import sympy as sp

from dlnsmooth.conditions import RhoIntegrated, RhoOrder
from dlnsmooth.objective import Objective
from proofs import prop1_equivalence as p1
from proofs import prop2_global_lipschitz as p2

R = sp.Rational


# ---------------------------------------------------------------------------------------------
# Proposition 1
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def prop1_report():
    return p1.verify()


@pytest.fixture(scope="module")
def cubic():
    return Objective.from_string("x**4/4", "x")


def test_prop1_is_verified_with_every_promised_check(prop1_report):
    assert prop1_report.verdict == "holds", prop1_report.report()
    names = [c.name for c in prop1_report.checks]
    assert all(c.verdict == "holds" for c in prop1_report.checks)
    for step in ("the integral is at most the max", "telescoping sum", "pieces of the segment are segments",
                 "upper Darboux sums → ∫", "ρ-integrated with (0, 3) at every pair, sharp"):
        assert any(step in n for n in names), step
    for family in p1.FAMILIES:
        assert any(n.startswith(family.label) and "(⇐) req_int ≥ req_order" in n for n in names), family.label
        assert any(n.startswith(family.label) and "(⇒) Darboux argument" in n for n in names), family.label
        assert any(n.startswith(family.label) and "ρ-integrated with the same constants" in n for n in names)
    assert sum("suprema coincide" in n for n in names) == 2
    assert "instances checked numerically" in prop1_report.evidence_kind
    assert "identity verified symbolically" in prop1_report.evidence_kind


def test_prop1_prints_the_darboux_table_for_one_pair(prop1_report):
    heading, lines = next(s for s in prop1_report.sections if s[0].startswith("Darboux sums for the R⁴ loss"))
    rows = [line.split() for line in lines[1:-1]]
    assert [int(r[0]) for r in rows] == [2**k for k in range(p1.TABLE_LEVELS + 1)]
    upper = [float(r[2]) for r in rows]
    lower = [float(r[3]) for r in rows]
    integral = float(lines[-1].split("∫₀¹ φ dθ = ")[1].split()[0])
    assert all(a >= b for a, b in zip(upper, upper[1:])) and all(a <= b for a, b in zip(lower, lower[1:]))
    assert lower[-1] < integral < upper[-1] and upper[-1] - integral < 2e-3  # U_m → ∫ like 1/m
    assert all(r[-1] == "ok" for r in rows)


def test_prop1_json_via_main(capsys):
    assert p1.main(["--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "prop1" and payload["verdict"] == "holds"
    assert payload["evidence_kind"].startswith("identity verified symbolically")
    assert len(payload["checks"]) >= 20 and all(c["verdict"] == "holds" for c in payload["checks"])


def test_prop1_darboux_evidence_passes_for_the_true_constants(cubic):
    evidence = p1.darboux_evidence(cubic, ["-0.5"], ["1.5"], R(2, 3), 0, 3, levels=6)
    assert evidence.passed is True, evidence.summary()
    # x³ with (0, 3): ‖ΔD‖/‖Δx‖ = ∫ (the integrated inequality is an equality) and U_m − ∫ ~ 1/m
    assert abs(float(p1.ball_to_mpf(evidence.quotient)) - float(evidence.integral)) < 1e-15


def test_mutant_darboux_bound_with_the_lower_sum_fails(cubic):
    evidence = p1.darboux_evidence(cubic, ["-0.5"], ["1.5"], R(2, 3), 0, 3, levels=6, sums="lower")
    assert evidence.passed is False
    assert any("T_m ≤ L_m fails" in f for f in evidence.failures)


def test_mutant_constant_smaller_than_required_fails(cubic):
    evidence = p1.darboux_evidence(cubic, ["0.5"], ["1.5"], R(2, 3), 0, R(29, 10), levels=8)
    assert evidence.passed is False
    assert any("ρ-order on each" in f for f in evidence.failures)  # the hypothesis fails on short pieces
    assert not RhoIntegrated(R(2, 3), 0, R(29, 10)).check(cubic, ["0.5"], ["1.5"], 20).holds


def test_mutant_family_with_a_too_small_constant_makes_the_report_fail():
    family = replace(p1.FAMILIES[0], C1=R(29, 10), count=2)
    report = p1.verify(families=[family], levels=6, table_levels=6)
    assert report.verdict == "refuted"
    failed = [c.name for c in report.checks if c.verdict == "refuted"]
    assert any("(⇒) Darboux argument" in n for n in failed)
    assert any("ρ-integrated with the same constants" in n for n in failed)


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
    assert p1.nonnegative_on_orthant(a * d + d**2, (a, d)) is True
    assert p1.nonnegative_on_orthant(-(a * d) - d**2, (a, d)) is False
    assert p1.nonnegative_on_orthant(a**2 - a * d, (a, d)) is None  # indefinite: not proved


def test_prop1_shrinking_pairs_and_random_pairs_are_reproducible(cubic):
    assert p1.random_pairs(2, 3, (-1.0, 1.0), 7) == p1.random_pairs(2, 3, (-1.0, 1.0), 7)
    ok, rows = p1.shrinking_pairs(cubic, ["1"], ["1"], R(2, 3), ("0.5", "0.0009765625"))
    assert ok and rows[-1][2] - rows[-1][1] < rows[0][2] - rows[0][1]


# ---------------------------------------------------------------------------------------------
# Proposition 2
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def prop2_report():
    return p2.verify()


@pytest.fixture(scope="module")
def cases():
    return dict(zip(("logcosh", "huber", "logistic"), p2.examples()))


def test_prop2_is_verified_with_every_promised_check(prop2_report):
    assert prop2_report.verdict == "holds", prop2_report.report()
    names = [c.name for c in prop2_report.checks]
    assert all(c.verdict == "holds" for c in prop2_report.checks)
    assert any("C + 0·max ‖D‖^ρ = C" in n for n in names)
    assert any("C0 + C1·a⁰ = C0 + C1" in n for n in names)
    for label, L in (("log cosh", "1"), ("pseudo-Huber", "1"), ("logistic regression", "3/4")):
        assert any(n.startswith(f"{label}: L = {L} = sup ‖∇²f‖₂") for n in names), label
    assert sum("(a) globally Lipschitz" in n for n in names) == 3
    assert sum("is sharp" in n for n in names) == 3
    assert sum("(b) ρ = 0 with (C0, C1) ≡ globally Lipschitz" in n for n in names) == 3
    text = prop2_report.report()
    assert "XᵀX = [[6, 3], [3, 6]], eigenvalues [3, 9], N = 3" in text
    assert "Verdict: VERIFIED" in text


def test_prop2_json_via_main(capsys):
    assert p2.main(["--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "prop2" and payload["verdict"] == "holds"
    assert all(c["verdict"] == "holds" for c in payload["checks"])


def test_mutant_constant_below_the_lipschitz_constant_is_refuted(cases):
    for key, C in (("logcosh", R(99, 100)), ("logistic", R(7, 10))):
        example = cases[key]
        pairs = p2.pairs_for(example, count=2)
        assert p2.part_a(example.objective, example.L, pairs, rhos=(0, 1), integrated_rho=None)[0] is True
        ok, rows = p2.part_a(example.objective, C, pairs, rhos=(0, 1), integrated_rho=None)
        assert ok is False
        assert any(not r.outcomes["global"] for r in rows) and any(not r.outcomes["order ρ=1"] for r in rows)


def test_mutant_rho_zero_with_too_small_sum_fails(cases):
    example = cases["logistic"]
    pairs = p2.pairs_for(example)
    L = example.L
    assert p2.rho_zero_claim(example.objective, L / 2, L / 2, pairs)[0] is True
    ok, detail = p2.rho_zero_claim(example.objective, L / 2, L / 2 - R(1, 1000), pairs)
    assert ok is False and "violated" in detail


def test_mutant_wrong_combined_constant_for_rho_zero_fails(cases):
    example = cases["logcosh"]
    pairs = p2.pairs_for(example)
    assert p2.rho_zero_equivalence(example.objective, R(1, 4), R(3, 4), pairs)[0] is True
    ok, _ = p2.rho_zero_equivalence(example.objective, R(1, 4), R(3, 4), pairs, combined=R(3, 4))  # max(C0, C1)
    assert ok is False


def test_mutant_wrong_exact_constants_fail(cases):
    logcosh, huber, logistic = cases["logcosh"], cases["huber"], cases["logistic"]
    assert p2.logcosh_constant(logcosh.objective, 1)[-1][1] is True
    assert p2.logcosh_constant(logcosh.objective, R(99, 100))[-1][1] is False  # below sup f″: does not work
    assert p2.logcosh_constant(logcosh.objective, 2)[-1][1] is False  # works, but is not the least constant
    assert p2.pseudo_huber_constant(huber.objective, R(1, 2))[-1][1] is False
    X, y = p2.LOGISTIC_X, p2.LOGISTIC_Y
    assert p2.logistic_constant(logistic.objective, X, y, R(3, 4))[-1][1] is True
    assert p2.logistic_constant(logistic.objective, X, y, R(27, 40))[-1][1] is False  # 0.9 · L
    assert p2.logistic_constant(logistic.objective, X, y, R(9, 4))[-1][1] is False  # λ_max/4 without 1/N


def test_mutant_sharpness_of_a_too_large_constant_is_not_verified(cases):
    example = cases["logcosh"]
    ok, detail = p2.sharpness(example.objective, R(101, 100), p2.short_pairs(example))
    assert ok is None and "not shown" in detail


def test_mutant_example_with_a_wrong_constant_fails_the_report(cases):
    wrong = replace(cases["huber"], L=R(9, 10))
    report = p2.verify(cases=[wrong])
    assert report.verdict == "refuted"
    failed = [c.name for c in report.checks if c.verdict == "refuted"]
    assert any("L = 9/10 = sup" in n for n in failed)
    assert any("(a) globally Lipschitz with L = 9/10" in n for n in failed)
