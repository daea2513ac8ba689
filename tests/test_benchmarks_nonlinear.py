"""The nonlinear-network benchmarks: their baselines compute the same loss as the package, and each
benchmark runs end to end on a tiny grid (``--smoke``), printing its figures and writing its JSON.

``benchmarks`` is a directory of the repository, not of the installed package: the fixtures
import it from the repository root.
"""

from __future__ import annotations

import importlib
import json
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from dlnsmooth.networks.architecture import Architecture
from dlnsmooth.networks.engine import FLOAT64

ROOT = Path(__file__).resolve().parents[1]

def _benchmark(name: str):
    """The module ``benchmarks.<name>``, imported from the repository root."""
    added = str(ROOT) not in sys.path
    if added:
        sys.path.insert(0, str(ROOT))
    try:
        return importlib.import_module(f"benchmarks.{name}")
    finally:
        if added:
            sys.path.remove(str(ROOT))


@pytest.fixture(scope="module")
def common():
    return _benchmark("_common")


CASES = [("tanh", "squared", 2, True), ("gelu", "cross-entropy", 3, True), ("softplus", "logistic", 1, False),
         ("quadratic", "l2", 2, False), ("sin", "exponential", 1, True)]


@pytest.mark.parametrize("activation, loss, m, bias", CASES)
def test_sympy_baseline_is_the_package_loss(common, activation, loss, m, bias):
    objective, point = common.feedforward_network((2, 3, m), activation, 3, loss, bias=bias, seed=4)
    f = common.sympy_feedforward_loss(objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors, objective.variables)
    exact = {s: sp.Rational(p.numerator, p.denominator) for s, p in zip(objective.variables, point)}
    assert abs(float(f.xreplace(exact).evalf(30)) - float(objective.value(point, 30))) < 1e-12


@pytest.mark.parametrize("activation, loss, m, bias", CASES)
def test_torch_baseline_has_the_package_hessian(common, activation, loss, m, bias):
    torch = pytest.importorskip("torch")
    objective, point = common.feedforward_network((2, 3, m), activation, 3, loss, bias=bias, seed=5)
    f = common.torch_feedforward_loss(torch, objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors)
    theta = torch.tensor([float(p) for p in point], dtype=torch.float64)
    H_torch = torch.func.hessian(f)(theta).numpy()
    H = np.asarray(objective.state([float(p) for p in point], FLOAT64).hessian())
    assert np.abs(H_torch - H).max() <= 1e-12 * max(1.0, np.abs(H).max())


def test_torch_baseline_detects_a_misordered_parameter_vector(common):
    """Negative control: swapping two parameters changes torch's loss (the check above can fail)."""
    torch = pytest.importorskip("torch")
    objective, point = common.feedforward_network((2, 3, 1), "tanh", 3, "squared", seed=6)
    f = common.torch_feedforward_loss(torch, objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors)
    swapped = list(point)
    swapped[0], swapped[-1] = swapped[-1], swapped[0]
    value = float(objective.value(point, 30))
    assert abs(float(f(torch.tensor([float(p) for p in point], dtype=torch.float64))) - value) < 1e-12
    assert abs(float(f(torch.tensor([float(p) for p in swapped], dtype=torch.float64))) - value) > 1e-6


def test_random_points_are_exact_and_reproducible(common):
    architecture = Architecture((3, 2, 1), "tanh", True)
    point = common.random_point(architecture, 0)
    assert len(point) == architecture.size and all(isinstance(p, Fraction) for p in point)
    assert point == common.random_point(architecture, 0)


EXPECTED = {
    "nonlinear_scaling": ["certified/torch", "×", "where ‖∇²f‖_F's time goes", "M multiply-adds"],
    "nonlinear_theorem_g": ["refuted", "not refuted"],
    "nonlinear_sympy": ["×", "largest size naive SymPy finished"],
    "nonlinear_extreme": ["every printed digit correct"],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_benchmark_smoke_run(name, tmp_path, monkeypatch, capsys):
    out = tmp_path / "result.json"
    module = _benchmark(name)
    monkeypatch.setattr(sys, "argv", [name, "--smoke", "--json", str(out)])
    assert module.main() == 0
    printed = capsys.readouterr().out
    for phrase in EXPECTED[name]:
        assert phrase in printed
    payload = json.loads(out.read_text())
    assert payload["benchmark"] == name and payload["rows"]
