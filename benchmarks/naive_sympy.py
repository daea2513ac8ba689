"""Naive SymPy vs the structured engine: derive + compile + evaluate the Hessian at 50 digits.

Naive SymPy is what a user would write first: the loss as one expression in all
P weights, ``sympy.hessian``, ``lambdify`` to mpmath, one evaluation at a random
point at 50 digits. It runs in a child process with a wall-clock limit (60 s by
default); a family of sizes stops at its first timeout. The package builds the
same network with ``deep_linear`` and evaluates the full Hessian in ball
arithmetic at 50 digits (engine, :mod:`dlnsmooth.networks.engine`), after one
warm-up call that compiles the loss's ball programs; the two Hessians are
compared entry by entry (every naive value must lie in the package's ball).

    python -m benchmarks.naive_sympy [--wall 60] [--smoke] [--json FILE]
"""

from __future__ import annotations

import sys

import mpmath as mp
import sympy as sp

from dlnsmooth.numbers import ball_to_mpf, to_arb
from dlnsmooth.precision import working_precision

from ._common import fmt_ratio, fmt_time, network, parameters, print_table, run_killable, timed, write_json

DPS = 50
# (depth, width, N, n0), grouped in families of growing P
FAMILIES = [
    [(3, 1, 64, 1), (3, 1, 64, 2), (4, 1, 64, 2), (3, 2, 64, 1), (3, 2, 64, 2), (4, 2, 64, 1), (3, 3, 64, 1)],
    [(3, 2, 8, 2), (4, 2, 8, 2), (3, 3, 8, 2), (4, 3, 8, 2)],
]
SMOKE = [[(3, 1, 4, 1), (3, 1, 4, 2)]]


def naive(config: tuple[int, int, int, int]) -> list[str]:
    """Hessian entries (50-digit strings) by sympy.hessian + lambdify, from scratch."""
    depth, width, n_obs, n0 = config
    objective, point = network(depth, width, n_obs, n0)
    widths = objective.widths
    symbols = list(objective.variables)
    matrices, k = [], 0
    for l in range(1, len(widths)):
        n, m = widths[l], widths[l - 1]
        matrices.append(sp.Matrix(n, m, symbols[k:k + n * m]))
        k += n * m
    f = sp.Integer(0)
    for x, y in zip(objective.data.inputs, objective.data.targets):
        u = sp.Matrix(len(x), 1, list(x))
        for W in matrices:
            u = W * u
        f += sp.log(1 + sp.exp(-y * u[0]))
    H = sp.hessian(f, symbols)
    compiled = sp.lambdify(symbols, H, modules="mpmath")
    with mp.workdps(DPS):
        values = compiled(*[mp.mpf(p.numerator) / p.denominator for p in point])
        return [mp.nstr(v, DPS + 5) for v in values]


def _child(config, queue) -> None:
    try:
        result, seconds = timed(naive, config)
        queue.put(("ok", result, seconds))
    except Exception as exc:  # reported, not hidden
        queue.put(("error", repr(exc), None))


def run_naive(config, wall: float) -> tuple[str, list[str] | None, float | None]:
    """(status, entries, seconds) of naive SymPy in a child process killed after ``wall`` seconds."""
    return run_killable(_child, (config,), wall)  # type: ignore[return-value]


def package(config) -> tuple[list, float]:
    """The same Hessian from the engine (ball arithmetic, 50 digits), construction included."""
    def work():
        depth, width, n_obs, n0 = config
        objective, point = network(depth, width, n_obs, n0)
        with working_precision(DPS):
            state = objective.state([to_arb(p) for p in point])
            return state.hessian().entries()

    return timed(work)


def deviation(naive_entries: list[str], balls: list) -> tuple[float, bool]:
    """(max relative deviation, every naive value inside its ball)."""
    with mp.workdps(DPS + 20):
        values = [mp.mpf(s) for s in naive_entries]
        mids = [ball_to_mpf(b) for b in balls]
        scale = max(abs(v) for v in values) or mp.mpf(1)
        worst = max(abs(a - b) for a, b in zip(values, mids)) / scale
    inside = all(b.overlaps(to_arb(str(s))) for s, b in zip(naive_entries, balls))
    return float(worst), inside


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wall", type=float, default=60.0, help="seconds allowed to naive SymPy per size")
    parser.add_argument("--smoke", action="store_true", help="a tiny grid (seconds), used by the test suite")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    args = parser.parse_args()
    families = SMOKE if args.smoke else FAMILIES
    print(f"Hessian at one random point, 50 digits, logistic loss; naive SymPy limited to {args.wall:.0f} s per size")
    package(families[0][0])  # warm-up: compiles the loss's ball programs once per process
    rows, records = [], []
    largest: dict[int, dict] = {}  # per N: the largest size naive SymPy finished
    for family in families:
        for config in family:
            depth, width, n_obs, n0 = config
            P = parameters((n0,) + (width,) * (depth - 1) + (1,))
            status, entries, t_naive = run_naive(config, args.wall)
            balls, t_pkg = package(config)
            worst, inside = deviation(entries, balls) if entries is not None else (None, None)
            ratio = t_naive / t_pkg if t_naive is not None else None
            rows.append((depth, width, n_obs, n0, P, fmt_time(t_naive) if status == "ok" else status,
                         fmt_time(t_pkg), fmt_ratio(ratio),
                         "—" if worst is None else f"{worst:.1e}", "—" if inside is None else str(inside)))
            records.append({"depth": depth, "width": width, "N": n_obs, "n0": n0, "P": P, "naive_status": status,
                            "naive_seconds": t_naive, "package_seconds": t_pkg, "ratio": ratio,
                            "max_rel_deviation": worst, "naive_inside_balls": inside})
            best = largest.get(n_obs)
            if status == "ok" and (best is None or P > best["P"]):
                largest[n_obs] = records[-1]
            if status != "ok":
                break  # larger sizes of this family would not finish either
    print_table(("depth", "width", "N", "n0", "P", "naive SymPy", "package (balls)", "ratio", "max rel dev",
                 "inside balls"), rows)
    for n_obs, best in sorted(largest.items(), reverse=True):
        print(f"\nN = {n_obs}: largest size naive SymPy finished within {args.wall:.0f} s: P = {best['P']}: "
              f"{fmt_time(best['naive_seconds'])} vs {fmt_time(best['package_seconds'])}"
              f" → {fmt_ratio(best['ratio'])} faster (target ≥ 1000×)")
    bad = [r for r in records if r["naive_inside_balls"] is False]
    if bad:
        print("DISAGREEMENT: a naive SymPy value lies outside the package's ball", file=sys.stderr)
    write_json(args.json, {"benchmark": "naive_sympy", "dps": DPS, "wall": args.wall, "rows": records,
                           "largest_per_N": largest})
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
