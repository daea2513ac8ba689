"""proofs/prop7_deep_linear.py: the computed values of Proposition 7's check, and its mutants.

The proof runs once per session (``computed``); tests compare the exact restrictions, the certificates'
verdicts and the L(r) table with expected values. Mutants — a claimed L(r) below a lower bound, an infinite
or decreasing table, a wrong structured Hessian, data with zero premise passed off as positive — must fail.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp
from flint import arb

from dlnsmooth.certificate import certify_curve
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, prop7_curve, prop7_objective
from dlnsmooth.precision import working_precision
from proofs import prop7_deep_linear as prop7
from proofs.library import expected_verdict


@pytest.fixture(scope="session")
def computed() -> prop7.Prop7Result:
    return prop7.compute()


@pytest.fixture(scope="session")
def local_rows():
    return prop7.compute_local_bounds(prop7_objective(1, 1, "logistic"), radii=(1, 2), box_budget=1500, samples=10)


def test_every_check_holds(computed):
    report = prop7.render(computed)
    assert report.verdict == "holds", report.report()
    assert len(report.checks) == 18 and all(c.verdict == "holds" for c in report.checks)  # 17 + the table check
    assert [c.verdict for c in report.certificates] == [case.certificate.verdict for case in computed.cases]
    assert "locally Lipschitz" in report.claim


def test_main_example_closed_forms(computed):
    main = computed.main
    k = main.parameter
    assert main.gradient_vanishes and main.gradient == (0, 0, 0, 0)
    assert main.mixed == -k**2 / 2                       # −y z k²/2 with z = y = 1
    assert main.hess_sq == k**4 / 2                      # ‖∇²f(x_k)‖_F = |z| k²/√2
    assert main.premise == sp.Rational(-1, 2)
    assert main.certificate.verdict == "refuted" and main.certificate.every_rho


def test_every_instance_matches_root_2_abs_lprime_z_k_squared(computed):
    expected = {(2, -1, "logistic"): 2, (sp.Rational(-3, 2), 1, "logistic"): sp.Rational(9, 8),
                (sp.Rational(1, 3), -1, "logistic"): sp.Rational(1, 18), (1, 1, "squared"): 2,
                (-2, sp.Rational(1, 2), "squared"): 2, (1, 1, "exponential"): 2, (3, -1, "exponential"): 18}
    for (z, y, loss), case in zip(prop7.INSTANCES, computed.instances):
        k = case.parameter
        assert case.hess_sq == expected[(z, y, loss)] * k**4, case.label
        assert case.closed_form_holds and case.gradient_vanishes and case.verdict_as_expected is True


def test_several_observations_and_the_negative_control(computed):
    assert computed.several.premise == -2 and computed.several.certificate.verdict == "refuted"
    assert computed.control.premise == 0 and computed.control.hess_sq == 0
    assert computed.control.certificate.verdict == "not refuted" and computed.control.verdict_as_expected is True
    verdicts = [case.certificate.verdict for case in computed.cases]
    assert verdicts.count("not refuted") == 1 and verdicts.count("refuted") == len(verdicts) - 1


def test_local_bounds_are_upper_bounds_and_monotone_in_r(computed):
    rows = computed.local_bounds
    assert [row.r for row in rows] == list(prop7.RADII)
    assert computed.structure.identity_holds
    assert computed.local_checks == prop7.LocalBoundChecks(True, True, True, ())
    for row in rows:
        assert math.isfinite(row.bound) and row.best_lower <= row.bound          # upper bound
        assert row.bound / float(row.probe) < 1.3                                # and not far off
        assert row.naive is None or row.naive >= row.bound                       # the naive enclosure is useless
    assert all(a.bound < b.bound for a, b in zip(rows, rows[1:]))               # monotone in r
    # tight for large r: L(8) is within 0.01 % of ‖∇²f‖₂ at the best chosen point
    assert rows[-1].bound / float(rows[-1].probe) < 1.0001


def test_metamorphic_same_network_from_one_pair_dataset():
    """Prop 7's objective built by hand from the dataset gives the same restriction and verdict."""
    by_hand = DeepLinearObjective((1, 1, 1, 1, 1), Dataset.from_pairs([(2, -1)]), "logistic", names="x")
    a = prop7.certify_case("by hand", by_hand, "refuted", decades=6)
    b = prop7.certify_case("library", prop7_objective(2, -1, "logistic"), "refuted", decades=6)
    assert a.hess_sq == b.hess_sq == 2 * a.parameter**4 and a.certificate.verdict == b.certificate.verdict


def test_l_of_r_is_above_dense_float_samples(local_rows):
    """Exploration in float64 (not evidence): ‖∇²f‖₂ at many random points stays below L(r)."""
    _, rows = local_rows

    def hess(x):
        p = np.prod(x)
        s = 1 / (1 + np.exp(p))
        g = np.array([np.prod(np.delete(x, i)) for i in range(4)])
        M = np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(4)] for i in range(4)])
        return s * (1 - s) * np.outer(g, g) - s * M

    rng = np.random.default_rng(0)
    for row in rows:
        points = rng.uniform(-row.r, row.r, size=(2000, 4))
        assert max(np.linalg.norm(hess(x), 2) for x in points) <= row.bound
        assert row.probe <= row.bound and row.sampled <= row.bound


def test_loss_table_encloses_the_loss_derivatives(local_rows):
    structure, _ = local_rows
    table = prop7.LossTable(structure, 20)
    with working_precision(30):
        d1, d2 = table.bounds(arb(0, 1 / 32))
        assert 0.5 <= d1 < 0.52 and 0.25 <= d2 < 0.2501  # pieces of width 1/16 around φ′(0) = −1/2, φ″(0) = 1/4
        far1, far2 = table.bounds(arb(15, 1))  # φ′, φ″ ~ e^(−s): tiny
        assert far1 < 1e-5 and far2 < 1e-5
        assert table.bounds(arb(0, 100)) == (math.inf, math.inf)  # outside the table: no bound
        assert table.bounds(arb(0, math.inf)) == (math.inf, math.inf)


# -- mutants ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_mutant_l_of_r_below_a_lower_bound_fails(local_rows, computed):
    _, rows = local_rows
    assert prop7.check_local_bounds(rows) == prop7.LocalBoundChecks(True, True, True, ())
    low = [dataclasses.replace(rows[0], bound=float(rows[0].sampled) / 2), rows[1]]
    assert prop7.check_local_bounds(low).above_lower_bounds is False
    # a bound below the chosen points' spectral norm (but above the random sample) fails too
    mid = dataclasses.replace(rows[0], bound=float((rows[0].sampled + rows[0].probe) / 2))
    assert rows[0].sampled < mid.bound < rows[0].probe
    checks = prop7.check_local_bounds([mid, rows[1]])
    assert checks.above_lower_bounds is False and checks.below == (1,)
    report = prop7.render(dataclasses.replace(computed, local_bounds=(mid, rows[1]), local_checks=checks))
    assert report.verdict == "refuted"


@pytest.mark.slow
def test_mutant_infinite_or_decreasing_l_of_r_fails(local_rows):
    _, rows = local_rows
    assert prop7.check_local_bounds([rows[0], dataclasses.replace(rows[1], bound=math.inf)]).finite is False
    assert prop7.check_local_bounds([dataclasses.replace(rows[0], bound=rows[1].bound * 2), rows[1]]).monotone is False
    empty = prop7.check_local_bounds([])
    assert not (empty.finite or empty.above_lower_bounds or empty.monotone)


@pytest.mark.slow
def test_mutant_wrong_structured_hessian_fails(local_rows):
    structure, _ = local_rows
    f = prop7_objective(1, 1, "logistic")
    assert structure.identity_holds
    assert prop7.structure_identity(f, structure.s, structure.phi1, structure.phi2)
    assert not prop7.structure_identity(f, structure.s, structure.phi1, 2 * structure.phi2)
    assert not prop7.structure_identity(f, structure.s, -structure.phi1, structure.phi2)


@pytest.mark.slow
def test_mutant_zero_premise_passed_off_as_positive_fails(computed):
    """The control data claimed as a positive instance: the curve does not refute, so the check fails."""
    network = DeepLinearObjective((1, 1, 1, 1, 1), Dataset.from_pairs(prop7.CONTROL), "logistic", names="x")
    wrong = prop7.certify_case("control claimed positive", network, "refuted", decades=8)
    assert wrong.certificate.verdict == "not refuted" and wrong.verdict_as_expected is False
    assert wrong.closed_form_holds  # the closed form itself is right: 0 = 2·0²·k⁴
    report = prop7.render(dataclasses.replace(computed, several=wrong))
    assert report.verdict == "refuted"


@pytest.mark.slow
def test_mutant_the_curve_of_zero_premise_data_is_not_a_refutation():
    # ℓ′(0; y) = −y/2: Σ ℓ′(0; y_i) z_i = −1/2 + 1 − 1/2 = 0 for the control data, so the curve proves nothing
    f = DeepLinearObjective((1, 1, 1, 1, 1), Dataset.from_pairs(prop7.CONTROL), "logistic", names="x")
    certificate = certify_curve(f, prop7_curve(f), every_rho=True, decades=8, progress=False)
    assert certificate.verdict == "not refuted"
    assert expected_verdict(certificate.verdict, "refuted") is False  # claimed as a positive instance, it fails
