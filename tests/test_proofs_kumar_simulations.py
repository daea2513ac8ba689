"""The claims ``kumar-5.1``, ``kumar-3.1`` and ``kumar-lasso-general`` (proofs/kumar_5_1.py, kumar_3_1.py,
kumar_lasso_general.py): each verifies with every check computed, the controls come out the other way, broken
machinery (G halved, a step beyond 1/L, a comparison that always says "ordered") makes the claim fail, and the
seed's figures are drawn from the computed runs."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

import dlnsmooth.dynamics.capture as capture
import dlnsmooth.dynamics.stability as stability
from dlnsmooth.dynamics.figures import capture_figure, huber_figure, lasso_figure, simulation_figures, write_figure
from proofs import kumar_3_1, kumar_5_1, kumar_lasso_general

CLAIMS = {"5.1": kumar_5_1, "3.1": kumar_3_1, "lasso-general": kumar_lasso_general}


@pytest.fixture(scope="module")
def results():
    return {key: module.compute() for key, module in CLAIMS.items()}


@pytest.mark.parametrize("key", list(CLAIMS))
def test_each_claim_verifies_with_every_check_holding(results, key):
    report = CLAIMS[key].render(results[key])
    assert report.name == CLAIMS[key].NAME == f"kumar-{key}"
    assert report.verdict == "holds", report.report()
    assert all(check.verdict == "holds" for check in report.checks)
    assert sum("negative control" in c.name or "mutant" in c.name for c in report.checks) >= 2
    assert report.seconds < 30  # about 1 s alone: a guard against pathological slowness, not a benchmark
    json.dumps(report.to_json())


def test_stability_values(results):
    result = results["5.1"]
    assert result.star_solves and result.star_in_rowspace and result.spectrum.lower > 0
    (small, env_small, check_small), (large, env_large, check_large) = result.runs
    assert check_small.holds is True and check_large.holds is True
    assert env_small.R_sq == env_small.start_sq  # α = 0.1: the D term is below the start distance
    assert env_large.R_sq > env_large.start_sq and large.max_distance ** 2 > float(env_large.start_sq)
    assert small.steps[-1].loss_float < 1e-6 < large.steps[-1].loss_float  # α = 10 keeps oscillating
    assert [c.holds for c in result.halved] == [False, False]
    assert result.halved[1].one_step is False and result.halved[0].inside is True
    square, wells = result.controls
    assert square.refused and square.leaves_at == 2 and square.path[2] == 4
    assert wells.refused and wells.leaves_at is not None


def test_capture_values(results):
    result = results["3.1"]
    prop = result.case.property
    assert prop.not_captured and prop.escape_value > 1 and result.case.run.norms_inf[0] < 1
    assert result.reference_agrees and not result.smooth_property.escaped and result.smooth_property.monotone
    assert max(result.smooth.norms_inf) < 1 and result.smooth_alpha * result.smooth_L <= 1
    assert not result.control.not_captured


def test_lasso_values(results):
    result = results["lasso-general"]
    assert result.ordering is True and result.swapped is False and result.control_ordering is False
    assert result.large.norm1_lower > 20 > 5 > result.small.norm1_upper
    assert result.control_large.norm1_upper < result.control_small.norm1_lower


def test_mutant_halved_G_breaks_kumar_5_1(monkeypatch):
    original = stability.huber_subgradient_bound_sq
    monkeypatch.setattr(stability, "huber_subgradient_bound_sq", lambda spectrum, rows: original(spectrum, rows) / 4)
    report = kumar_5_1.verify(steps=30)
    assert report.verdict == "refuted"
    failed = {c.name for c in report.checks if c.verdict == "refuted"}
    assert {"α = 1/10: ‖∇L7(β_k)‖ ≤ G at every step", "α = 10: ‖∇L7(β_k)‖ ≤ G at every step",
            "α = 10: one-step inequality at every step"} <= failed


def test_mutant_step_beyond_one_over_L_breaks_kumar_3_1(monkeypatch):
    original = capture.smooth_step
    monkeypatch.setattr(kumar_3_1, "smooth_step",
                        lambda data, lam2: (original(data, lam2)[0], Fraction(3) / original(data, lam2)[0]))
    report = kumar_3_1.verify()
    assert report.verdict == "refuted"
    assert any(c.name == "smooth GD: captured by the theorem" and c.verdict == "refuted" for c in report.checks)


def test_mutant_comparison_always_ordered_breaks_kumar_lasso_general(monkeypatch):
    monkeypatch.setattr(kumar_lasso_general, "ordering_proved", lambda larger, smaller: True)
    report = kumar_lasso_general.verify(steps=40)
    assert report.verdict == "refuted"
    assert {c.name for c in report.checks if c.verdict == "refuted"} == {
        "negative control: large start reverses the ordering", "negative control: swapped runs are not reported as ordered"}


def test_figures_are_written(results, tmp_path):
    stab, cap, lasso = results["5.1"], results["3.1"], results["lasso-general"]
    paths = [write_figure(huber_figure([(run, env) for run, env, _ in stab.runs]), tmp_path, "figure4.png"),
             write_figure(capture_figure(cap.case, cap.smooth, cap.smooth_alpha), tmp_path, "figure1.png"),
             write_figure(lasso_figure([lasso.small, lasso.large]), tmp_path, "lasso.png")]
    for path in paths:
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_simulation_figures_from_fresh_runs():
    figures = simulation_figures()
    assert set(figures) == {"kumar-figure4-huber.png", "kumar-figure1-capture.png", "kumar-lasso-general.png"}
    assert all(len(fig.axes) >= 1 and all(ax.get_xlabel() for ax in fig.axes) for fig in figures.values())
