"""proofs/theorem_g.py: the computed values of Theorem G's check over its grid of networks, and its mutants.

The grid runs once per session (``computed``); tests compare, per network, the premise g, the restricted
‖∇f‖², ‖∇²f‖_F², the growth exponent and the spectral gap with the closed form. Mutants — a wrong growth
exponent, g = 0 data passed off as a positive instance, a positive instance passed off as a control, a
grid missing a depth or a loss — must fail. (dlnsmooth/networks/theorem_g.py has tests/test_theorem_g.py.)
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.networks.theorem_g import theorem_g_curve
from proofs import theorem_g as tg


@pytest.fixture(scope="session")
def computed() -> tg.TheoremGResult:
    return tg.compute()


def test_every_check_holds(computed):
    report = tg.render(computed)
    assert report.name == tg.NAME == "theoremg"
    assert report.verdict == "holds", report.report()
    assert len(report.checks) == len(tg.GRID) + len(tg.CONTROLS) + 1
    assert all(c.verdict == "holds" for c in report.checks)
    assert report.evidence_kind.startswith("certificate")
    payload = json.loads(report.to_json_text())
    kinds = payload["certificates"][0]["evidence_kinds"]
    assert "spectral-bounds" in kinds and "numeric-table" in kinds and "symbolic-limit" in kinds


def test_each_network_matches_the_closed_form(computed):
    assert [o.instance for o in computed.positives] == tg.GRID
    for o in computed.positives:
        L = o.objective.depth
        assert o.passed is True, o.summary()
        assert o.certificate.verdict == "refuted"
        assert any(gi != 0 for gi in o.g) and sp.simplify(o.grad_sq) == 0
        assert sp.expand(o.hess_sq - o.expected_hess_sq) == 0
        assert o.symbolic_exponent == L - 2 == o.certificate.growth.hess_exponent
        assert abs(o.slope - (L - 2)) < tg.SLOPE_TOLERANCE
        assert o.spectral_difference < tg.SPECTRAL_TOLERANCE          # tight to 13 digits


def test_growth_exponent_is_monotone_in_depth(computed):
    by_depth = {}
    for o in computed.positives:
        by_depth.setdefault(o.objective.depth, set()).add(o.symbolic_exponent)
    assert sorted(by_depth) == list(range(3, 9))
    exponents = [by_depth[L].pop() for L in sorted(by_depth)]
    assert exponents == list(range(1, 7))


def test_negative_controls_are_not_refuted(computed):
    assert [o.instance for o in computed.controls] == tg.CONTROLS
    for o in computed.controls:
        assert o.passed is True and o.certificate.verdict == "not refuted"
        assert all(gi == 0 for gi in o.g) and sp.simplify(o.hess_sq) == 0


def test_the_grid_covers_what_the_theorem_spans(computed):
    c = computed.coverage
    assert c.complete and c.depths == frozenset(range(3, 9)) and c.widest == 8
    assert c.losses == {"logistic", "squared", "exponential"} and c.kinds == {"random", "hand-made"}
    assert {o.route.split()[0] for o in computed.positives} == {"exact", "symbolic"}


def test_closed_form_against_the_full_hessian():
    """The closed forms, checked independently of the certificate: SymPy's full Hessian at t = 3."""
    inst = tg.Instance("x", (2, 3, 2, 2, 1), "logistic", [([1, -2], 1), ([3, 1], 1)])
    f = inst.objective()
    curve = theorem_g_curve(f)
    t = curve.parameter
    H = f.hessian_at({v: c.subs(t, 3) for v, c in zip(f.variables, curve.coordinates)})
    g = tg.premise_vector(f)
    assert g == [-2, sp.Rational(1, 2)]
    frob_sq = sum(e**2 for e in H)
    assert frob_sq == tg.closed_form_hess_sq(f.widths, g, t).subs(t, 3)
    with mp.workdps(30):
        M = mp.matrix([[mp.mpf(sp.Rational(e).p) / sp.Rational(e).q for e in row] for row in H.tolist()])
        spectral = max(abs(e) for e in mp.eigsy(M)[0])
        assert abs(spectral - tg.closed_form_spectral(f.widths, g, 3, 30)) < mp.mpf("1e-25")
        assert abs(spectral - mp.sqrt(frob_sq) / mp.sqrt(2 * f.widths[1])) < mp.mpf("1e-25")
    assert tg.suffix_constant((2, 3, 2, 1)) == 1 and tg.suffix_constant((3, 2, 4, 5, 1)) == 5
    assert tg.suffix_constant((3, 2, 4, 5, 6, 1)) == 30


def test_metamorphic_duplicated_observation_doubles_g():
    """The same observation given twice doubles g and quadruples ‖∇²f‖_F² along the curve."""
    once = tg.check_positive(tg.certify(tg.Instance("1", (2, 3, 2, 1), "logistic", [([1, 2], 1)]), decades=6))
    twice = tg.check_positive(tg.certify(tg.Instance("2", (2, 3, 2, 1), "logistic", [([1, 2], 1)] * 2), decades=6))
    assert twice.g == [2 * gi for gi in once.g]
    assert sp.expand(twice.hess_sq - 4 * once.hess_sq) == 0 and once.passed and twice.passed


# -- mutants ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_mutant_exponent_l_minus_1_fails():
    inst = tg.GRID[2]  # L = 4
    assert tg.check_positive(tg.certify(inst)).passed is True
    mutant = tg.check_positive(tg.certify(inst), exponent=lambda L: L - 1)
    assert mutant.passed is False
    assert {"exponent = 3", "closed form", "‖∇²f‖₂ = ‖∇²f‖_F/√(2n1)"} <= set(mutant.failed_parts())
    report = tg.verify(instances=[inst], controls=[], exponent=lambda L: L - 1)
    assert report.verdict == "refuted" and report.checks[0].verdict == "refuted"


@pytest.mark.slow
def test_mutant_zero_premise_passed_off_as_positive_fails():
    inst = tg.CONTROLS[0]  # logistic, observations (x, 1) and (x, −1): g = 0
    outcome = tg.check_positive(tg.certify(inst))
    assert outcome.passed is False
    assert outcome.results["premise g ≠ 0"][0] is False and outcome.results["verdict refuted"][0] is False
    report = tg.verify(instances=[inst], controls=[])
    assert report.verdict == "refuted" and report.checks[0].verdict == "refuted"


@pytest.mark.slow
def test_mutant_positive_instance_passed_off_as_control_fails(computed):
    outcome = tg.check_control(tg.certify(tg.GRID[6]))
    assert outcome.passed is False and outcome.results["verdict not refuted (expected)"][0] is False
    report = tg.render(dataclasses.replace(computed, controls=(outcome,)))
    assert report.verdict == "refuted"


def test_coverage_mutant_fails():
    assert tg.coverage(tg.GRID).complete
    missing_depth = tg.coverage([i for i in tg.GRID if len(i.widths) - 1 != 8])
    assert not missing_depth.complete and 8 not in missing_depth.depths
    assert not tg.coverage([i for i in tg.GRID if i.loss != "exponential"]).complete


@pytest.mark.slow
def test_runs_as_a_script_with_json():
    result = subprocess.run([sys.executable, "-m", "proofs.theorem_g", "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["name"] == "theoremg" and payload["verdict"] == "holds"
