"""A PyTorch feed-forward network as a dlnsmooth objective: :func:`from_torch`.

``from_torch(model, X, Y, loss)`` reads an ``nn.Sequential`` of ``nn.Linear`` layers with
one supported activation between every two of them and none after the last:

==========================================  =====================
torch module                                dlnsmooth activation
==========================================  =====================
``nn.Tanh``                                 ``tanh``
``nn.Sigmoid``                              ``sigmoid``
``nn.Softplus(beta=1)``                     ``softplus``
``nn.GELU(approximate='none')``             ``gelu`` (erf form)
``nn.Identity``, or nothing between layers  ``identity``
==========================================  =====================

The biases are all present or all absent. torch's ``Softplus`` is linear above its ``threshold``
(a float64 shortcut); the package uses the exact ``log(1 + e^u)`` everywhere and says so in
:attr:`TorchNetwork.notes`. Any other module (``ReLU``, ``Conv1d``, ``Dropout``, a nested
``Sequential``, ...) is refused with a :class:`~dlnsmooth.errors.ShapeError` naming it and its
position.

The result holds the :class:`~dlnsmooth.networks.feedforward.FeedforwardObjective` of the
network on the data ``(X, Y)`` and the model's parameters as a point: every float (weights,
biases, inputs, labels) enters as the exact rational of its binary value
(:func:`dlnsmooth.numbers.to_rational`), in the architecture's flattening order
(:mod:`dlnsmooth.networks.architecture`: layer by layer, ``W{l}`` row by row — torch's
``weight[i, j]`` is ``W{l}_{i+1}_{j+1}`` — then ``b{l}``).

Losses: a name (``squared``, ``l2``, ``logistic``, ``exponential``, ``cross-entropy``), an
:class:`~dlnsmooth.networks.losses.OutputLoss`, or the torch loss modules
``nn.MSELoss(reduction='sum')`` (= ``l2``, Σ (u − y)²) and ``nn.CrossEntropyLoss(reduction='sum')``
(= ``cross-entropy``). The package's losses are sums over the observations, so
``reduction='mean'`` is refused rather than silently rescaled. For cross-entropy ``Y`` may hold
class indices (an integer tensor of shape ``(N,)``, read as one-hot labels) or probability rows
``(N, m)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp
import torch
from torch import nn

from .errors import DataError, ShapeError
from .networks.data import Dataset
from .networks.feedforward import FeedforwardObjective
from .networks.losses import OutputLoss, get_output_loss
from .numbers import to_rational
from .precision import check_dps, working_precision

__all__ = ["from_torch", "TorchNetwork", "SUPPORTED_MODULES"]

#: The torch modules :func:`from_torch` reads, in words (used in error messages).
SUPPORTED_MODULES = ("Linear", "Tanh", "Sigmoid", "Softplus(beta=1)", "GELU(approximate='none')", "Identity")

_SOFTPLUS_NOTE = ("torch's Softplus is linear above its threshold ({threshold:g}); the objective uses the exact "
                  "log(1 + e^u) everywhere (the two differ by less than e^-{threshold:g} there)")


@dataclass(frozen=True)
class TorchNetwork:
    """A torch model read by :func:`from_torch`: its objective on the data and its parameters as an exact point."""

    objective: FeedforwardObjective
    point: tuple[sp.Rational, ...]
    notes: tuple[str, ...] = ()

    def ball_norms(self, dps: int = 50) -> tuple:
        """(‖∇f‖, ‖∇²f‖_F) at the model's parameters, as balls at ``dps`` digits (the objective's
        :meth:`ball_norms`: no P × P matrix)."""
        check_dps(dps)
        with working_precision(dps):
            return self.objective.ball_norms(list(self.point))

    def ball_spectral_bounds(self, dps: int = 50, *, iterations: int = 100) -> tuple:
        """(lower, upper, bound): lower ≤ ‖∇²f‖₂ ≤ upper at the model's parameters, as balls at ``dps``
        digits (the objective's :meth:`ball_spectral_bounds`)."""
        check_dps(dps)
        with working_precision(dps):
            return self.objective.ball_spectral_bounds(list(self.point), iterations=iterations)

    def describe(self) -> str:
        return self.objective.describe()


def _activation_of(module: nn.Module, position: int) -> tuple[str, str | None]:
    """(dlnsmooth activation name, a note or None) of a supported activation module."""
    if isinstance(module, nn.Tanh):
        return "tanh", None
    if isinstance(module, nn.Sigmoid):
        return "sigmoid", None
    if isinstance(module, nn.Identity):
        return "identity", None
    if isinstance(module, nn.Softplus):
        if float(module.beta) != 1.0:
            raise ShapeError(f"Sequential[{position}] = {module} has beta = {module.beta:g}; only Softplus(beta=1) "
                             "= log(1 + e^u) is supported")
        return "softplus", _SOFTPLUS_NOTE.format(threshold=float(module.threshold))
    if isinstance(module, nn.GELU):
        if module.approximate != "none":
            raise ShapeError(f"Sequential[{position}] = {module} uses the {module.approximate!r} approximation; "
                             "only GELU(approximate='none') (the erf form) is supported")
        return "gelu", None
    raise _unsupported(module, position)


def _unsupported(module: nn.Module, position: int) -> ShapeError:
    why = ""
    if isinstance(module, (nn.ReLU, nn.LeakyReLU, nn.ReLU6, nn.Hardtanh, nn.Hardsigmoid, nn.Hardswish)):
        why = " (it is not twice differentiable)"
    text = " ".join(str(module).split())
    text = text if len(text) <= 80 else text[:77] + "…"
    return ShapeError(f"Sequential[{position}] = {text} ({type(module).__name__}) is not supported{why}; supported "
                      f"modules: {', '.join(SUPPORTED_MODULES)}")


@dataclass(frozen=True)
class _Layout:
    """The Linear layers with their positions in the Sequential, the one activation between them, notes."""

    linears: tuple[tuple[int, nn.Linear], ...]
    activation: str
    notes: tuple[str, ...]


def _read_layers(model: nn.Module) -> _Layout:
    """The Linear layers and the one activation between them; clear errors for anything else."""
    if not isinstance(model, nn.Sequential):
        raise ShapeError(f"expected an nn.Sequential of Linear layers and activations, got {type(model).__name__}")
    modules = list(model.children())
    if not modules:
        raise ShapeError("the nn.Sequential is empty: give at least one Linear layer")
    linears: list[tuple[int, nn.Linear]] = []
    gaps: list[tuple[str, int]] = []  # (activation, position) between two Linear layers
    pending: tuple[str, int, str] | None = None  # the activation module after the last Linear layer read
    notes: list[str] = []
    for position, module in enumerate(modules):
        if isinstance(module, nn.Linear):
            if pending is None and linears:
                gaps.append(("identity", position))
            elif pending is not None and not linears:
                raise ShapeError(f"Sequential[{pending[1]}] = {pending[2]} comes before the first Linear layer; the "
                                 "network must start with a Linear layer")
            elif pending is not None:
                gaps.append(pending[:2])
            linears.append((position, module))
            pending = None
            continue
        name, note = _activation_of(module, position)
        if pending is not None:
            raise ShapeError(f"Sequential[{pending[1]}] and Sequential[{position}] are two activations in a row "
                             f"({pending[2]}, {module}); put exactly one activation between two Linear layers")
        pending = (name, position, str(module))
        if note and note not in notes:
            notes.append(note)
    if pending is not None and pending[0] != "identity":
        raise ShapeError(f"Sequential[{pending[1]}] = {pending[2]} comes after the last Linear layer; the output layer "
                         "has no activation (a softmax belongs to the cross-entropy loss)")
    if not linears:
        raise ShapeError("the nn.Sequential has no Linear layer")
    kinds = sorted({gap[0] for gap in gaps})
    if len(kinds) > 1:
        where = ", ".join(f"{name} at Sequential[{position}]" for name, position in gaps)
        raise ShapeError(f"mixed activations ({where}); the package needs the same activation after every hidden "
                         "layer")
    return _Layout(tuple(linears), kinds[0] if kinds else "identity", tuple(notes))


def _widths_and_bias(linears: Sequence[tuple[int, nn.Linear]]) -> tuple[tuple[int, ...], bool]:
    widths = [linears[0][1].in_features]
    for position, layer in linears:
        if layer.in_features != widths[-1]:
            raise ShapeError(f"Sequential[{position}] = {layer} takes {layer.in_features} inputs but the previous "
                             f"Linear layer has {widths[-1]} outputs")
        widths.append(layer.out_features)
    without = [position for position, layer in linears if layer.bias is None]
    if without and len(without) < len(linears):
        where = ", ".join(f"Sequential[{position}]" for position in without)
        raise ShapeError(f"{where} {'has' if len(without) == 1 else 'have'} no bias but the other Linear layers do; "
                         "the biases must be all present or all absent")
    return tuple(widths), not without


def _floats(tensor: torch.Tensor, what: str) -> list:
    """A tensor's values as Python floats (float64 holds every float32/float16 value exactly)."""
    values = tensor.detach().to("cpu", torch.float64)
    if not bool(torch.isfinite(values).all()):
        raise DataError(f"{what} holds NaN or infinite values")
    return values.tolist()


def _rationals(values: list) -> list:
    return [_rationals(v) if isinstance(v, list) else to_rational(v) for v in values]


def _point(linears: Sequence[tuple[int, nn.Linear]], objective: FeedforwardObjective) -> tuple[sp.Rational, ...]:
    weights = [_rationals(_floats(layer.weight, f"the weight of Sequential[{p}]")) for p, layer in linears]
    biases = None
    if objective.bias:
        biases = [_rationals(_floats(layer.bias, f"the bias of Sequential[{p}]")) for p, layer in linears]
    return tuple(objective.to_flat(weights, biases))


def _loss_of(loss: object) -> OutputLoss:
    """The package's loss for a name, an OutputLoss or a supported torch loss module."""
    if isinstance(loss, nn.Module):
        reduction = getattr(loss, "reduction", None)
        if reduction != "sum":
            raise DataError(f"{type(loss).__name__}(reduction={reduction!r}): use reduction='sum'; the package's "
                            "losses are sums over the observations (a mean would rescale f)")
        if isinstance(loss, nn.MSELoss):
            return get_output_loss("l2")
        if isinstance(loss, nn.CrossEntropyLoss):
            if loss.weight is not None or float(loss.label_smoothing) != 0.0:
                raise DataError("CrossEntropyLoss with class weights or label smoothing is not supported")
            return get_output_loss("cross-entropy")
        raise DataError(f"the torch loss {type(loss).__name__} is not supported; give MSELoss(reduction='sum'), "
                        "CrossEntropyLoss(reduction='sum') or a loss name (squared, l2, logistic, exponential, "
                        "cross-entropy)")
    return get_output_loss(loss)


def _tensor(values: object, what: str) -> torch.Tensor:
    try:
        return torch.as_tensor(values)
    except (TypeError, ValueError, RuntimeError) as exc:
        raise DataError(f"{what} is not a tensor or an array of numbers ({exc})") from None


def _inputs(X: object, input_dim: int) -> list:
    x = _tensor(X, "X")
    if x.dim() == 1 and input_dim == 1:
        x = x.reshape(-1, 1)
    if x.dim() != 2 or x.shape[1] != input_dim:
        raise ShapeError(f"X has shape {tuple(x.shape)}; expected (N, {input_dim}) for a first layer of {input_dim} "
                         "inputs")
    return _rationals(_floats(x, "X"))


def _labels(Y: object, loss: OutputLoss, output_dim: int, count: int) -> list:
    y = _tensor(Y, "Y")
    if loss.labels == "distribution" and y.dim() == 1 and not torch.is_floating_point(y):
        if y.shape[0] and (int(y.min()) < 0 or int(y.max()) >= output_dim):
            raise DataError(f"Y holds class indices outside 0 … {output_dim - 1} (the model has {output_dim} outputs)")
        y = nn.functional.one_hot(y.long(), output_dim)
    if y.dim() == 1 and output_dim == 1:
        y = y.reshape(-1, 1)
    if y.dim() != 2 or y.shape[1] != output_dim:
        raise ShapeError(f"Y has shape {tuple(y.shape)}; expected (N, {output_dim}) for a model with {output_dim} "
                         "output(s)" + (" or class indices of shape (N,)" if loss.labels == "distribution" else ""))
    if y.shape[0] != count:
        raise ShapeError(f"X has {count} rows but Y has {y.shape[0]}")
    rows = _rationals(_floats(y, "Y"))
    return [row[0] for row in rows] if output_dim == 1 else rows


def from_torch(model: nn.Module, X: object, Y: object, loss: object) -> TorchNetwork:
    """The objective ``f(θ) = Σ_i ℓ(model_θ(x_i); y_i)`` of a torch network and its parameters θ (module docstring)."""
    layout = _read_layers(model)
    widths, bias = _widths_and_bias(layout.linears)
    output_loss = _loss_of(loss)
    inputs = _inputs(X, widths[0])
    labels = _labels(Y, output_loss, widths[-1], len(inputs))
    data = Dataset.from_pairs([(x, y) for x, y in zip(inputs, labels)], source="torch tensors")
    objective = FeedforwardObjective(widths, layout.activation, data, output_loss, bias=bias)
    return TorchNetwork(objective, _point(layout.linears, objective), layout.notes)

