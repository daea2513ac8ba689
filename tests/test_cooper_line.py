"""Seed 001's fixed line R: dlnsmooth/experiments/cooper_line.py (data, the line, the tubular samples, the fits,
the certificates, the figures and the experiment's result).

Expected values are derived by hand: on R every output is 0 when the rows of M sum to zero, so for the L2 loss
c̄ = −2Σ_s y_s and H̄ = 2N, for cross-entropy c̄ = Σ_s ((1/2, 1/2) − y_s) and H̄ = N(I/2 − 11ᵀ/4); the ratio
‖∇²L‖_F/‖∇L‖² then tends to k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖², which is N/(2(Σy)²) for L2 and N/(n₁ − n₂)² for
cross-entropy with n₁, n₂ points of each class (independent of M and c).
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.experiments import cooper_line as cl
from dlnsmooth.results import exit_status

R = sp.Rational


@pytest.fixture(scope="module")
def l2():
    return cl.l2_network()


@pytest.fixture(scope="module")
def ce():
    return cl.ce_network()


# -- data -----------------------------------------------------------------------------------------------------
def test_the_data_are_reproducible_two_decimal_draws_from_the_unit_interval():
    a, b = cl.l2_data(), cl.l2_data()
    assert a.inputs == b.inputs and a.targets == b.targets and a.size == 20
    assert cl.l2_data(seed=cl.DATA_SEED + 1).inputs != a.inputs
    values = [x[0] for x in a.inputs] + list(a.targets)
    assert all(-1 <= v <= 1 and (100 * v).is_integer for v in values)
    assert len(set(values)) > 30  # genuinely random, not a constant


def test_cross_entropy_labels_are_eight_of_class_one_then_two_of_class_two():
    data = cl.ce_data()
    assert data.size == 10
    assert [tuple(y) for y in data.label_vectors] == [(1, 0)] * 8 + [(0, 1)] * 2
    assert all(-1 <= x[0] <= 1 and (100 * x[0]).is_integer for x in data.inputs)


def test_residual_sum_zero_variants_centre_or_balance_the_labels():
    centred = cl.centred_labels(cl.l2_data())
    assert sum(centred.targets) == 0 and centred.inputs == cl.l2_data().inputs
    balanced = cl.balanced_labels(cl.ce_data())
    assert [tuple(y) for y in balanced.label_vectors] == [(1, 0)] * 5 + [(0, 1)] * 5
    with pytest.raises(DlnsmoothError, match="even"):
        cl.balanced_labels(cl.ce_data(size=9))


# -- the line -------------------------------------------------------------------------------------------------
def test_c_and_m_are_the_documented_ones_with_rows_summing_to_zero(l2, ce):
    assert cl.BIAS == 1 and l2.c == ce.c == 1
    assert l2.M == ((-6, 1, 1, 1, 1, 1, 1),) and ce.M == ((-2, 1, 1), (1, 1, -2))
    assert l2.row_sums == (0,) and ce.row_sums == (0, 0)
    assert cl.l2_network().with_matrix(cl.M_L2_ROW_SUMS).row_sums == (7,)


def test_the_curve_is_zero_weights_c_biases_and_t_times_m(l2):
    f = l2.objective()
    curve = cl.line_curve(f, l2.c, l2.M)
    t = curve.parameter
    by_name = dict(zip((v.name for v in f.variables), curve.coordinates))
    assert all(by_name[f"W1_{i}_1"] == 0 and by_name[f"b1_{i}"] == 1 for i in range(1, 5))
    assert all(by_name[f"W2_{i}_{j}"] == 0 for i in range(1, 8) for j in range(1, 5))
    assert all(by_name[f"b2_{i}"] == 1 for i in range(1, 8))
    assert [by_name[f"W3_1_{j}"] for j in range(1, 8)] == [-6 * t] + [t] * 6
    assert by_name["b3_1"] == 0


def test_a_matrix_of_the_wrong_shape_is_refused(l2):
    with pytest.raises(DlnsmoothError, match="must be 1 × 7"):
        cl.line_coordinates(l2.objective().architecture, 1, ((1, -1),), 5)


@pytest.mark.parametrize("key", ["l2", "ce"])
def test_the_outputs_are_zero_on_r_for_every_t_and_grow_when_rows_do_not_sum_to_zero(key, l2, ce):
    network = l2 if key == "l2" else ce
    f = network.objective()
    for t in (1, 10, 10**4):
        outputs = f.outputs(cl.line_point(f, network.c, network.M, t), dps=30)
        assert all(abs(u) < 1e-25 for sample in outputs for u in sample)
    other = network.with_matrix(cl.M_L2_ROW_SUMS if key == "l2" else cl.M_CE_ROW_SUMS)
    g = other.objective()
    for t in (1, 2, 10):  # u = t·tanh(1)·(row sum of M) for every observation
        outputs = g.outputs(cl.line_point(g, other.c, other.M, t), dps=30)
        expected = [float(t * sp.tanh(1) * r) for r in other.row_sums]
        assert all([float(u) for u in sample] == pytest.approx(expected, rel=1e-12) for sample in outputs)


# -- the tube -------------------------------------------------------------------------------------------------
def test_every_noisy_point_lies_within_its_width_of_the_line_and_is_reproducible(l2, ce):
    for network, scale in ((l2, 1), (ce, 20)):
        f = network.objective()
        points = list(cl.tube_points(network, (100, 400, 700)))
        again = list(cl.tube_points(network, (100, 400, 700)))
        assert [p[2] for p in points] == [p[2] for p in again]
        for t, epsilon, point, offset in points:
            assert epsilon == Fraction(scale, t * t)
            line = cl.line_point(f, network.c, network.M, t)
            deltas = [abs(x - y) for x, y in zip(point, line)]
            assert max(deltas) <= epsilon and max(deltas) > epsilon / 2  # uniform on [−ε, ε]: some draw is large
            assert 0.5 < offset <= 1
    exact = list(cl.tube_points(l2, (100,), noise=False))[0]
    assert exact[2] == cl.line_point(l2.objective(), l2.c, l2.M, 100)


def test_samples_carry_guaranteed_digits_and_agree_with_float64(l2):
    samples = cl.sample_tube(l2, t_values=(100, 700), progress=False)
    assert samples.count == 2 and samples.min_digits >= 15
    assert samples.epsilon == (1 / 100**2, 1 / 700**2)
    f = l2.objective()
    _, _, point, _ = next(cl.tube_points(l2, (100,)))
    gradient, hessian = f.float_derivatives([float(v) for v in point])
    assert samples.grad_norm[0] == pytest.approx(np.linalg.norm(gradient), rel=1e-9)
    assert samples.hess_norm[0] == pytest.approx(np.linalg.norm(hessian), rel=1e-9)


# -- fits -----------------------------------------------------------------------------------------------------
def test_the_quadratic_fit_recovers_known_coefficients():
    x = np.linspace(1e3, 1e4, 50)
    fit = cl.quadratic_fit(x, 5 - 2 * x + 3 * x**2)
    assert fit.coefficients == pytest.approx((5, -2, 3), rel=1e-6, abs=1e-3)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-12)
    power = cl.loglog_fit(x, 7 * x**2)
    assert power.slope == pytest.approx(2, abs=1e-12) and power.intercept == pytest.approx(np.log(7))


def test_the_curvature_statistic_separates_quadratic_from_linear_noisy_data():
    rng = np.random.default_rng(0)
    x = np.linspace(1, 10, 200)
    assert cl.curvature_t_statistic(x, 3 * x + rng.normal(0, 1, x.size)) < cl.CURVATURE_T
    assert cl.curvature_t_statistic(x, x**2 + rng.normal(0, 1, x.size)) > 10 * cl.CURVATURE_T


# -- the derivation and the certificates ------------------------------------------------------------------------
def test_the_derived_ratio_constant_matches_the_hand_formulas(l2, ce):
    total = sum(l2.data.targets)
    assert cl.leading_terms(l2).k == R(20) / (2 * total**2)
    assert cl.leading_terms(ce).k == R(10, 36)
    with pytest.raises(DlnsmoothError, match="rows sum to zero"):
        cl.leading_terms(l2.with_matrix(cl.M_L2_ROW_SUMS))


@pytest.mark.parametrize("key", ["l2", "ce"])
def test_r_refutes_rho_one_and_its_critical_exponent_is_two(key, l2, ce):
    network = l2 if key == "l2" else ce
    rho_one = cl.certify_line(network, rho=1, decades=4)
    assert rho_one.verdict == "refuted"
    every = cl.certify_line(network, decades=4)
    assert every.verdict == "not refuted" and every.critical_exponent == 2
    assert (every.growth.grad_exponent, every.growth.hess_exponent) == (1, 2)
    assert cl.certificate_summary(every)["critical_exponent"] == "2"
    t = every.curve.parameter
    grad_sq = every.find("symbolic-restriction")[0].expression
    leading = sp.Poly(sp.expand(grad_sq), t).LC()
    assert sp.simplify(leading - cl.leading_terms(network).g2) == 0


@pytest.mark.parametrize("key", ["l2", "ce"])
def test_residuals_summing_to_zero_make_r_refute_every_rho(key, l2, ce):
    network = l2 if key == "l2" else ce
    residual = network.with_data(cl.centred_labels(l2.data) if key == "l2" else cl.balanced_labels(ce.data))
    certificate = cl.certify_line(residual, decades=4)
    assert certificate.verdict == "refuted" and certificate.critical_exponent == sp.oo
    assert certificate.growth.gradient_vanishes and certificate.growth.hess_exponent == 2


def test_rows_not_summing_to_zero_give_critical_exponent_one_for_l2(l2):
    certificate = cl.certify_line(l2.with_matrix(cl.M_L2_ROW_SUMS), rho=1, decades=4)
    assert certificate.verdict == "not refuted" and certificate.critical_exponent == 1
    assert (certificate.growth.grad_exponent, certificate.growth.hess_exponent) == (2, 2)


# -- the experiment -------------------------------------------------------------------------------------------
def test_a_reduced_run_writes_both_figures_and_a_json_document(tmp_path):
    result = cl.run(plots=tmp_path / "figures", progress=False, t_step=60, decades=3, variants=False)
    assert result.verdict == "refuted" and exit_status(result.verdict) == exit_status("refuted")
    assert [r.network.key for r in result.networks] == ["l2", "ce"]
    assert len(result.plots) == 2
    for path in result.plots:
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    document = result.to_json()
    assert set(document) == {"experiment", "verdict", "claim", "results", "plots", "notes", "seconds"}
    assert document["experiment"] == "cooper-line" and document["plots"] == result.plots
    l2_json = document["results"]["networks"][0]
    assert l2_json["samples"]["count"] == 11 and l2_json["certificates"]["rho_one"]["verdict"] == "refuted"
    assert l2_json["certificates"]["every_rho"] is None  # variants off
    json.dumps(result.to_document())
    assert "Figure 1" in result.report() and any("reduced run" in note for note in result.notes)


def test_bad_options_give_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DlnsmoothError, match="cannot create the plot directory"):
        cl.run(plots=blocker / "figures")  # refused before any computation
    with pytest.raises(DlnsmoothError, match="t_step"):
        cl.run(t_step=0)
    with pytest.raises(DlnsmoothError, match="networks"):
        cl.run(networks=["mnist"])


@pytest.mark.slow
def test_the_full_run_refutes_rho_one_for_both_networks_and_matches_the_seeds_figures():
    result = cl.run(progress=False)
    assert result.verdict == "refuted"
    for network in result.networks:
        assert network.samples.count == 201 and network.samples.min_digits >= 15
        assert network.every_rho.critical_exponent == 2 and network.residual_sum_zero.critical_exponent == sp.oo
        assert all(figure.matches for figure in network.figures)
        assert network.exact_line.slope == pytest.approx(2, abs=0.01)
    l2, ce = result.network("l2"), result.network("ce")
    assert l2.row_sums.critical_exponent == 1
    assert ce.row_sums.critical_exponent == 2  # equal row sums: the softmax ignores the common shift
    assert dict((tuple(net.M), fit.slope) for net, fit in ce.alternative)[cl.M_CE_ROW_SUMS] == pytest.approx(1, abs=0.05)
    assert result.seconds < 60
