"""Naive SymPy vs the structured engine on tanh networks with biases: the Hessian at 50 digits.

Naive SymPy is what a user would write first: the loss as one expression in all
P parameters (the network's forward pass with ``tanh`` and the squared loss,
:func:`benchmarks._common.sympy_feedforward_loss`), ``sympy.hessian``,
``lambdify`` to mpmath, one evaluation at a random exact point at 50 digits. It
runs in a child process with a wall-clock limit (60 s by default); a family of
growing sizes stops at its first timeout. The package builds the same network
with ``feedforward`` and evaluates the full P × P Hessian in ball arithmetic at
50 digits (:mod:`dlnsmooth.networks.ffengine`), construction included, after
one warm-up call (best of three runs: its times are milliseconds); every naive
entry must lie inside the package's ball, widened by the naive value's own
rounding at 50 digits.

The figure of merit is the ratio at the largest size naive SymPy finishes
within the limit (target ≥ 1000×).

    python -m benchmarks.nonlinear_sympy [--wall 60] [--smoke] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys

import mpmath as mp
import sympy as sp

from dlnsmooth.networks.architecture import parameter_count
from dlnsmooth.numbers import ball_to_mpf
from dlnsmooth.precision import working_precision

from ._common import (
    feedforward_network,
    fmt_ratio,
    fmt_time,
    print_table,
    run_killable,
    sympy_feedforward_loss,
    timed,
    write_json,
)

DPS = 50
#: digits of the naive 50-digit evaluation not trusted (its own rounding errors)
NAIVE_DIGITS = 5
ACTIVATION = "tanh"
LOSS = "squared"
#: (widths, N), in families of growing P
FAMILIES = [
    [((1, 2, 1), 20), ((1, 3, 1), 20), ((1, 2, 2, 1), 20), ((1, 2, 3, 1), 20), ((1, 3, 3, 1), 20),
     ((1, 4, 4, 1), 20), ((1, 4, 7, 1), 20)],
    [((1, 2, 1), 64), ((1, 3, 1), 64), ((1, 4, 1), 64), ((1, 2, 2, 1), 64), ((1, 3, 3, 1), 64)],
]
#: the package's time is the best of this many runs (milliseconds are noisy on a shared machine)
REPEATS = 3
SMOKE = [[((1, 1, 1), 2), ((1, 2, 1), 2)]]


def naive(widths: tuple[int, ...], n_obs: int) -> list[str]:
    """Hessian entries (50-digit strings) by sympy.hessian + lambdify, from scratch."""
    objective, point = feedforward_network(widths, ACTIVATION, n_obs, LOSS, bias=True)
    symbols = list(objective.variables)
    f = sympy_feedforward_loss(objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors, symbols)
    H = sp.hessian(f, symbols)
    compiled = sp.lambdify(symbols, H, modules="mpmath")
    with mp.workdps(DPS):
        values = compiled(*[mp.mpf(p.numerator) / p.denominator for p in point])
        return [mp.nstr(v, DPS + 5) for v in values]


def _child(widths, n_obs, queue) -> None:
    try:
        result, seconds = timed(naive, widths, n_obs)
        queue.put(("ok", result, seconds))
    except Exception as exc:  # reported, not hidden
        queue.put(("error", repr(exc), None))


def run_naive(widths, n_obs, wall: float) -> tuple[str, list[str] | None, float | None]:
    """(status, entries, seconds) of naive SymPy in a child process killed after ``wall`` seconds."""
    return run_killable(_child, (widths, n_obs), wall)  # type: ignore[return-value]


def package(widths, n_obs) -> tuple[list, float]:
    """The same Hessian from the engine (ball arithmetic, 50 digits), construction included; the best
    time of :data:`REPEATS` runs."""
    def work():
        objective, point = feedforward_network(widths, ACTIVATION, n_obs, LOSS, bias=True)
        with working_precision(DPS):
            return [e for row in objective.state(point).hessian() for e in row]

    runs = [timed(work) for _ in range(REPEATS)]
    return runs[0][0], min(seconds for _, seconds in runs)


def deviation(naive_entries: list[str], balls: list) -> tuple[float, bool]:
    """(max relative deviation, every naive value inside its ball widened by the naive evaluation's own
    rounding: mpmath at 50 digits carries errors of a few units of 10^−50 relative to the largest entry)."""
    with mp.workdps(DPS + 20):
        values = [mp.mpf(s) for s in naive_entries]
        mids = [ball_to_mpf(b) for b in balls]
        scale = max(abs(v) for v in values) or mp.mpf(1)
        worst = max(abs(a - b) for a, b in zip(values, mids)) / scale
        allowance = scale * mp.mpf(10) ** (NAIVE_DIGITS - DPS)
        inside = all(abs(v - m) <= ball_to_mpf(b.rad()) + allowance for v, m, b in zip(values, mids, balls))
    return float(worst), inside


def measure(widths, n_obs, wall: float) -> dict:
    P = parameter_count(widths, True)
    status, entries, t_naive = run_naive(widths, n_obs, wall)
    balls, t_pkg = package(widths, n_obs)
    worst, inside = deviation(entries, balls) if entries is not None else (None, None)
    return {"widths": list(widths), "N": n_obs, "P": P, "naive_status": status, "naive_seconds": t_naive,
            "package_seconds": t_pkg, "ratio": t_naive / t_pkg if t_naive is not None else None,
            "max_rel_deviation": worst, "naive_inside_balls": inside}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wall", type=float, default=60.0, help="seconds allowed to naive SymPy per size")
    parser.add_argument("--smoke", action="store_true", help="a tiny grid (seconds), used by the test suite")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    args = parser.parse_args()
    families = SMOKE if args.smoke else FAMILIES
    print(f"Hessian at one random point, {DPS} digits, {ACTIVATION} with biases, {LOSS} loss; naive SymPy limited "
          f"to {args.wall:.0f} s per size")
    package(*families[0][0])  # warm-up: the loss's evaluators, once per process
    records: list[dict] = []
    largest: dict[int, dict] = {}  # per N: the largest size naive SymPy finished
    for family in families:
        for widths, n_obs in family:
            record = measure(widths, n_obs, args.wall)
            records.append(record)
            best = largest.get(n_obs)
            if record["naive_status"] == "ok" and (best is None or record["P"] > best["P"]):
                largest[n_obs] = record
            if record["naive_status"] != "ok":
                break  # larger sizes of this family would not finish either
    rows = [("-".join(map(str, r["widths"])), r["N"], r["P"],
             fmt_time(r["naive_seconds"]) if r["naive_status"] == "ok" else r["naive_status"],
             fmt_time(r["package_seconds"]), fmt_ratio(r["ratio"]),
             "—" if r["max_rel_deviation"] is None else f"{r['max_rel_deviation']:.1e}",
             "—" if r["naive_inside_balls"] is None else str(r["naive_inside_balls"])) for r in records]
    print_table(("widths", "N", "P", "naive SymPy", "package (balls)", "ratio", "max rel dev", "inside balls"), rows)
    for n_obs, best in sorted(largest.items(), reverse=True):
        print(f"\nN = {n_obs}: largest size naive SymPy finished within {args.wall:.0f} s: P = {best['P']} "
              f"(widths {'-'.join(map(str, best['widths']))}): {fmt_time(best['naive_seconds'])} vs "
              f"{fmt_time(best['package_seconds'])} → {fmt_ratio(best['ratio'])} faster (target ≥ 1000×)")
    bad = [r for r in records if r["naive_inside_balls"] is False]
    errors = [r for r in records if r["naive_status"] == "error"]
    if bad:
        print("DISAGREEMENT: a naive SymPy value lies outside the package's ball", file=sys.stderr)
    if errors:
        print("ERROR: naive SymPy failed (not a timeout)", file=sys.stderr)
    write_json(args.json, {"benchmark": "nonlinear_sympy", "dps": DPS, "activation": ACTIVATION, "loss": LOSS,
                           "bias": True, "wall": args.wall, "rows": records, "largest_per_N": largest})
    return 1 if bad or errors else 0


if __name__ == "__main__":
    sys.exit(main())
