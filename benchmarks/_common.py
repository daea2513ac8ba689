"""Shared pieces of the benchmarks: random networks, timing, tables, optional torch.

Feed-forward networks (:mod:`dlnsmooth.networks.feedforward`) are built here three
ways from one :class:`~dlnsmooth.networks.architecture.Architecture`: by the
package (:func:`feedforward_network`), as one naive SymPy expression
(:func:`sympy_feedforward_loss`) and as a PyTorch function of the flat parameter
vector (:func:`torch_feedforward_loss`), all in the package's flattening order.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
import sympy as sp

from dlnsmooth.networks.architecture import Architecture
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, deep_linear
from dlnsmooth.networks.feedforward import FeedforwardObjective, feedforward
from dlnsmooth.networks.losses import OutputLoss, get_output_loss


def parameters(widths: Sequence[int]) -> int:
    """P, the number of weights of a network with these widths."""
    return sum(widths[l] * widths[l - 1] for l in range(1, len(widths)))


def network(depth: int, width: int, n_obs: int, n0: int, *, loss: str = "logistic",
            seed: int = 0) -> tuple[DeepLinearObjective, list[Fraction]]:
    """A deep linear network (widths n0, width × (depth − 1), 1) with N random observations and a
    random point whose weights are exact two-decimal rationals scaled by 1/√fan-in."""
    widths = (n0,) + (width,) * (depth - 1) + (1,)
    labels = "real" if loss == "squared" else "sign"
    objective = deep_linear(widths, Dataset.random(n_obs, n0, seed, labels), loss)
    rng = np.random.default_rng(seed + 1)
    point: list[Fraction] = []
    for l in range(1, len(widths)):
        scale = int(np.ceil(np.sqrt(widths[l - 1])))
        point += [Fraction(int(round(v * 100)), 100 * scale) for v in rng.standard_normal(widths[l] * widths[l - 1])]
    return objective, point


def timed(fn: Callable, *args, **kwargs) -> tuple[object, float]:
    """(result, seconds) of one call."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def run_killable(child: Callable, args: tuple, wall: float) -> tuple[str, object, float | None]:
    """``child(*args, queue)`` in a forked process killed after ``wall`` seconds; the child puts one
    (status, result, seconds) on the queue. Returns ("timeout", None, None) when it was killed, else the
    child's triple with the result kept only when the status is "ok"."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(*args, queue))
    process.start()
    process.join(wall)
    if process.is_alive():
        process.kill()
        process.join()
        return "timeout", None, None
    status, result, seconds = queue.get()
    return status, (result if status == "ok" else None), seconds


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its waited-for children (symbolic steps run in
    child processes under a budget); on a shared machine, wall-clock times alone overstate the cost."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}×" if value >= 100 else f"{value:.2f}×"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def torch_or_none():
    """torch when installed (optional peer), else None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(max(1, torch.get_num_threads()))
    return torch


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="a tiny grid (seconds), used by the test suite")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    return parser.parse_args()


def write_json(path: str | None, payload: dict) -> None:
    if path:
        with open(path, "w") as handle:
            json.dump(payload, handle, indent=2, default=str)


# -- feed-forward networks, three ways ---------------------------------------------------------------
def random_point(architecture: Architecture, seed: int) -> list[Fraction]:
    """A random parameter vector of exact two-decimal rationals: weights N(0, 1)/⌈√fan-in⌉, biases
    N(0, 1)/10, in the architecture's flattening order."""
    rng = np.random.default_rng(seed)
    point: list[Fraction] = []
    for block in architecture.blocks:
        scale = int(np.ceil(np.sqrt(block.shape[1]))) if block.kind == "weight" else 10
        point += [Fraction(int(round(v * 100)), 100 * scale) for v in rng.standard_normal(block.size)]
    return point


def feedforward_network(widths: Sequence[int], activation: str = "tanh", n_obs: int = 16, loss: str = "squared", *,
                        bias: bool = True, seed: int = 0) -> tuple[FeedforwardObjective, list[Fraction]]:
    """A feed-forward network with N random observations (labels suited to the loss, ``seed``) and a
    random exact point (:func:`random_point`, seed + 1)."""
    output_loss = get_output_loss(loss)
    data = Dataset.random(n_obs, widths[0], seed, output_loss.labels, outputs=widths[-1])
    objective = feedforward(widths, activation, data, output_loss, bias=bias)
    return objective, random_point(objective.architecture, seed + 1)


def sympy_feedforward_loss(architecture: Architecture, loss: OutputLoss, inputs: Sequence[Sequence[object]],
                           targets: Sequence[Sequence[object]], symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """f(θ) = Σ_i ℓ(u(x_i; θ); y_i) as one SymPy expression in ``symbols`` (flattening order): what a
    user writes first, from the activation's formula and the loss's symbolic form."""
    weights, biases = architecture.split(list(symbols))
    sigma = architecture.activation
    total = sp.Integer(0)
    for x, y in zip(inputs, targets):
        a = [sp.sympify(v) for v in x]
        for l, W in enumerate(weights, 1):
            z = [sp.Add(*[w * v for w, v in zip(row, a)]) for row in W]
            if biases is not None:
                z = [zi + bi for zi, bi in zip(z, biases[l - 1])]
            a = [sigma(zi) for zi in z] if l < architecture.depth else z
        total += loss.symbolic(a, [sp.sympify(v) for v in y])
    return total


def _torch_activations(torch) -> dict[str, Callable]:
    return {
        "identity": lambda z: z,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softplus": lambda z: torch.logaddexp(z, torch.zeros_like(z)),
        "sin": torch.sin,
        "gelu": lambda z: torch.nn.functional.gelu(z, approximate="none"),
        "quadratic": lambda z: z * z + 1,
    }


def _torch_losses(torch) -> dict[str, Callable]:
    """ℓ summed over the samples, for outputs U (N × m) and labels Y (N × m)."""
    return {
        "squared": lambda U, Y: 0.5 * ((U - Y) ** 2).sum(),
        "l2": lambda U, Y: ((U - Y) ** 2).sum(),
        "logistic": lambda U, Y: torch.logaddexp(-Y * U, torch.zeros_like(U)).sum(),
        "exponential": lambda U, Y: torch.exp(-Y * U).sum(),
        "cross-entropy": lambda U, Y: -(Y * torch.log_softmax(U, dim=1)).sum(),
    }


def torch_feedforward_loss(torch, architecture: Architecture, loss: OutputLoss, inputs: Sequence[Sequence[object]],
                           targets: Sequence[Sequence[object]]) -> Callable:
    """θ (a float64 tensor in the flattening order) ↦ f(θ), written in PyTorch."""
    sigma = _torch_activations(torch)[architecture.activation.name]
    ell = _torch_losses(torch)[loss.name]
    X = torch.tensor([[float(v) for v in x] for x in inputs], dtype=torch.float64)
    Y = torch.tensor([[float(v) for v in y] for y in targets], dtype=torch.float64)
    blocks = architecture.blocks

    def f(theta):
        a = X
        for l in range(1, architecture.depth + 1):
            W = next(b for b in blocks if b.layer == l and b.kind == "weight")
            z = a @ theta[W.offset:W.stop].reshape(W.shape).T
            if architecture.bias:
                b = next(b for b in blocks if b.layer == l and b.kind == "bias")
                z = z + theta[b.offset:b.stop]
            a = sigma(z) if l < architecture.depth else z
        return ell(a, Y)

    return f
