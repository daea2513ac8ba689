"""Shared pieces of the benchmarks: random networks, timing, tables, optional torch."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, deep_linear


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
