"""dlnsmooth.from_torch: a torch nn.Sequential read as a FeedforwardObjective at the model's weights.

At the model's parameters the package's ball gradient and Hessian agree with torch's own autograd
(``torch.func.grad``/``torch.func.hessian`` of the same torch loss, float64 model); unsupported
layers, mixed activations and mean reductions are refused with one clear error naming them.
torch is part of the test extra: in CI (``CI=true``) a missing torch fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

if os.environ.get("CI"):
    import torch
else:
    torch = pytest.importorskip("torch")

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402
from flint import arb  # noqa: E402
from torch import nn  # noqa: E402

import dlnsmooth  # noqa: E402
from dlnsmooth.errors import DataError, ShapeError  # noqa: E402
from dlnsmooth.networks.engine import BALL  # noqa: E402
from dlnsmooth.precision import working_precision  # noqa: E402
from dlnsmooth.torch_bridge import TorchNetwork, from_torch  # noqa: E402

#: torch 2.13 warns about its own use of torch.jit.script inside torch.func; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")

README = Path(__file__).resolve().parent.parent / "README.md"
RELATIVE = 1e-10

ACTIVATION_MODULES = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU, "identity": nn.Identity}


def _model(widths, activation: str, bias: bool, seed: int) -> nn.Sequential:
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for l, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
        if l:
            layers.append(ACTIVATION_MODULES[activation]())
        layers.append(nn.Linear(n_in, n_out, bias=bias, dtype=torch.float64))
    return nn.Sequential(*layers)


def _torch_loss(loss: str, u: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if loss == "squared":
        return 0.5 * ((u - y) ** 2).sum()
    if loss == "l2":
        return nn.MSELoss(reduction="sum")(u, y)
    return nn.CrossEntropyLoss(reduction="sum")(u, y)


def _torch_reference(model: nn.Sequential, X, Y, loss: str):
    """(value, gradient, Hessian) of the torch loss in the flattening order W1, b1, W2, b2, …"""
    names, shapes, flat = [], [], []
    for name, parameter in model.named_parameters():  # Linear: weight then bias, layer by layer
        names.append(name)
        shapes.append(parameter.shape)
        flat.append(parameter.detach().reshape(-1))
    theta = torch.cat(flat)

    def f(vector):
        params, offset = {}, 0
        for name, shape in zip(names, shapes):
            size = int(np.prod(shape))
            params[name] = vector[offset:offset + size].reshape(shape)
            offset += size
        return _torch_loss(loss, torch.func.functional_call(model, params, (X,)), Y)

    return f(theta).item(), torch.func.grad(f)(theta).numpy(), torch.func.hessian(f)(theta).numpy()


def _package(network: TorchNetwork):
    with working_precision(40):
        state = network.objective.state(list(network.point), backend=BALL)
        value = state.value()
        gradient = state.gradient()
        hessian = state.hessian()
    mid = np.vectorize(lambda b: float(arb(b).mid()))
    return value, mid(np.array(gradient, dtype=object)), mid(np.array(hessian, dtype=object))


def _data(widths, loss: str, seed: int):
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(5, widths[0], dtype=torch.float64, generator=generator)
    m = widths[-1]
    if loss == "cross-entropy":
        Y = torch.randint(0, m, (5,), generator=generator)
    else:
        Y = torch.randn(5, m, dtype=torch.float64, generator=generator)
    return X, Y


CASES = [
    ("tanh", True, "squared", (2, 3, 3, 1)),
    ("tanh", False, "cross-entropy", (2, 3, 2, 3)),
    ("sigmoid", True, "l2", (2, 3, 2)),
    ("sigmoid", False, "squared", (1, 2, 2, 2)),
    ("gelu", True, "cross-entropy", (3, 2, 2)),
    ("gelu", False, "l2", (2, 2, 2, 1)),
    ("identity", True, "squared", (2, 2, 2, 1)),
    ("identity", False, "cross-entropy", (2, 2, 3)),
]


@pytest.mark.parametrize("activation,bias,loss,widths", CASES)
def test_the_package_agrees_with_torch_autograd_at_the_model_weights(activation, bias, loss, widths):
    model = _model(widths, activation, bias, seed=len(widths) + bias)
    X, Y = _data(widths, loss, seed=7)
    torch_loss = nn.MSELoss(reduction="sum") if loss == "l2" else loss
    network = from_torch(model, X, Y, torch_loss)
    assert network.objective.architecture.widths == widths
    assert network.objective.architecture.activation.name == activation
    assert network.objective.bias is bias
    value, gradient, hessian = _package(network)
    ref_value, ref_gradient, ref_hessian = _torch_reference(model, X, Y, loss)
    assert value.contains(arb(ref_value)) or abs(float(value.mid()) - ref_value) <= RELATIVE * max(1, abs(ref_value))
    assert np.linalg.norm(gradient - ref_gradient) <= RELATIVE * max(1.0, np.linalg.norm(ref_gradient))
    assert np.linalg.norm(hessian - ref_hessian) <= RELATIVE * max(1.0, np.linalg.norm(ref_hessian))


def test_the_point_holds_the_exact_binary_values_in_flattening_order():
    model = _model((2, 3, 1), "tanh", True, seed=3).float()  # float32 weights enter exactly too
    X, Y = _data((2, 3, 1), "squared", seed=1)
    network = from_torch(model, X.float(), Y, "squared")
    first, second = model[0], model[2]
    expected = ([sp.Rational(float(v)) for v in first.weight.detach().reshape(-1)]
                + [sp.Rational(float(v)) for v in first.bias.detach()]
                + [sp.Rational(float(v)) for v in second.weight.detach().reshape(-1)]
                + [sp.Rational(float(v)) for v in second.bias.detach()])
    assert list(network.point) == expected
    assert all(isinstance(v, sp.Rational) for v in network.point)
    names = [s.name for s in network.objective.variables]
    assert names[:7] == ["W1_1_1", "W1_1_2", "W1_2_1", "W1_2_2", "W1_3_1", "W1_3_2", "b1_1"]
    assert network.objective.data.inputs[0] == tuple(sp.Rational(float(v)) for v in X.float()[0])


def test_cross_entropy_takes_class_indices_or_probability_rows():
    model = _model((2, 2, 3), "tanh", True, seed=0)
    X = torch.tensor([[1.0, 2.0], [0.5, -1.0]], dtype=torch.float64)
    by_index = from_torch(model, X, torch.tensor([2, 0]), nn.CrossEntropyLoss(reduction="sum"))
    by_rows = from_torch(model, X, torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]), "cross-entropy")
    assert by_index.objective.data.label_vectors == by_rows.objective.data.label_vectors == ((0, 0, 1), (1, 0, 0))


def test_softplus_is_read_with_a_note_about_torchs_threshold():
    model = nn.Sequential(nn.Linear(1, 2, dtype=torch.float64), nn.Softplus(), nn.Linear(2, 1, dtype=torch.float64))
    network = from_torch(model, torch.ones(2, 1, dtype=torch.float64), torch.ones(2, 1, dtype=torch.float64), "l2")
    assert network.objective.architecture.activation.name == "softplus"
    assert any("threshold" in note for note in network.notes)


def test_linear_layers_without_activation_are_a_deep_linear_network():
    model = nn.Sequential(nn.Linear(2, 2, bias=False), nn.Linear(2, 1, bias=False))
    network = from_torch(model, [[1.0, 2.0]], [[1.0]], "squared")
    assert network.objective.architecture.activation.name == "identity"
    assert network.objective.bias is False


BAD_MODELS = {
    "relu": (lambda: nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)),
             r"Sequential\[1\] = ReLU\(\) \(ReLU\) is not supported \(it is not twice"),
    "conv": (lambda: nn.Sequential(nn.Conv1d(1, 1, 1), nn.Linear(1, 1)), r"Sequential\[0\] = Conv1d"),
    "mixed": (lambda: nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1)),
              r"mixed activations \(tanh at Sequential\[1\], sigmoid at Sequential\[3\]\)"),
    "after the output": (lambda: nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1), nn.Tanh()),
                         r"Sequential\[3\] = Tanh\(\) comes after the last Linear layer"),
    "two in a row": (lambda: nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Tanh(), nn.Linear(2, 1)),
                     r"Sequential\[1\] and Sequential\[2\] are two activations in a row"),
    "some biases": (lambda: nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1, bias=False)),
                    r"Sequential\[2\] has no bias but the other Linear layers do"),
    "gelu tanh": (lambda: nn.Sequential(nn.Linear(1, 2), nn.GELU(approximate="tanh"), nn.Linear(2, 1)),
                  r"'tanh' approximation"),
    "softplus beta": (lambda: nn.Sequential(nn.Linear(1, 2), nn.Softplus(beta=2), nn.Linear(2, 1)), r"beta = 2"),
    "nested": (lambda: nn.Sequential(nn.Sequential(nn.Linear(1, 1))), r"Sequential\[0\] = Sequential"),
    "not sequential": (lambda: nn.Linear(1, 1), r"expected an nn.Sequential"),
}


@pytest.mark.parametrize("case", sorted(BAD_MODELS))
def test_unsupported_models_get_one_clear_error_naming_the_layer(case):
    build, message = BAD_MODELS[case]
    with pytest.raises(ShapeError, match=message) as info:
        from_torch(build(), [[1.0]], [[1.0]], "squared")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("loss,X,Y,error,message", [
    (nn.MSELoss(), [[1.0]], [[1.0]], DataError, r"reduction='mean'.*use reduction='sum'"),
    (nn.L1Loss(reduction="sum"), [[1.0]], [[1.0]], DataError, r"L1Loss is not supported"),
    ("hinge", [[1.0]], [[1.0]], DataError, r"unknown loss"),
    ("squared", [[1.0, 2.0]], [[1.0]], ShapeError, r"X has shape \(1, 2\); expected \(N, 1\)"),
    ("squared", [[1.0], [2.0]], [[1.0]], ShapeError, r"X has 2 rows but Y has 1"),
    ("squared", [[float("nan")]], [[1.0]], DataError, r"X holds NaN"),
])
def test_bad_losses_and_data_are_refused(loss, X, Y, error, message):
    model = nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1))
    with pytest.raises(error, match=message):
        from_torch(model, X, Y, loss)


def test_the_package_entry_point_is_the_bridge():
    model = nn.Sequential(nn.Linear(1, 1, bias=False))
    network = dlnsmooth.from_torch(model, [[1.0]], [[2.0]], "squared")
    assert isinstance(network, TorchNetwork)


@pytest.mark.slow
def test_importing_dlnsmooth_does_not_import_torch_and_from_torch_says_what_it_needs():
    code = ("import sys, dlnsmooth; assert 'torch' not in sys.modules, 'torch imported'\n"
            "sys.modules['torch'] = None  # as if torch were not installed\n"
            "try:\n    dlnsmooth.from_torch(None, [[1.0]], [[1.0]], 'squared')\n"
            "except ImportError as exc:\n    print(exc)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "dlnsmooth.from_torch needs torch: pip install 'dlnsmooth[torch]'"


@pytest.mark.slow
def test_the_readme_from_torch_example_runs():
    section = README.read_text(encoding="utf-8").split("## Nonlinear networks", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block, "the Nonlinear networks section of README.md has no Python example"
    namespace: dict = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102 - the project's own README
    assert namespace["network"].objective.architecture.activation.name == "tanh"
    assert namespace["hess_norm"].str(20, radius=False) == "43.331536301339768906"  # the values the README states
    assert (namespace["low"].str(12, radius=False), namespace["high"].str(12, radius=False)) == ("17.2028601726",
                                                                                                 "43.3315363013")
    assert namespace["net"].from_flat(namespace["point"])[0] == namespace["weights"]
