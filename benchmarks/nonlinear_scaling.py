"""Feed-forward (tanh, with biases) networks: rigorous ‖∇²f‖_F and ‖∇²f‖₂ ≥ … against torch.func.hessian.

For each (depth, width, N, n0): widths (n0, width × (depth − 1), 1), tanh after
every hidden layer, biases in every layer, squared loss Σ_i ½(u_i − y_i)², N
random observations and one random exact point. Timed, in one process and one
run each:

* float64 (numpy, the engine's FLOAT64 backend): ‖∇f‖² and ‖∇²f‖_F²;
* balls at 60 digits (rigorous; at least 50 guaranteed digits of ‖∇²f‖_F are
  required): the state (forward and backward passes), ‖∇²f‖_F (structured, no
  P × P matrix; from P = 200 on in multi-word fixed point with products on
  float64 BLAS, :mod:`dlnsmooth.networks.multiword`, the layer pairs' terms
  in threads on every core), one Hessian-vector product
  and the lower bound ‖∇²f‖₂ ≥ ‖∇²f δ‖/‖δ‖ (the Lanczos method on float64
  Hessian-vector products picks δ, the last product is in balls), and the full P × P Hessian where P ≤ 600; where
  P ≤ 2000, also ‖∇²f‖_F by the same formulas in python-flint ``arb_mat``
  (the route below P = 200), for comparison;
* ``torch.func.hessian`` of the same loss in float64 (the network written in
  PyTorch, :func:`benchmarks._common.torch_feedforward_loss`), when torch is
  installed and P ≤ 4100: the best of two calls (the first pays for tracing).

``certified/torch`` = (ball state + ‖∇²f‖_F + spectral lower bound, balls) /
(torch's float64 Hessian): at most 1 means the certified figures cost no more
than torch's unverified Hessian (target at P ≈ 1600, N = 64). A second table
measures the same at P ≈ 1600 for depths 2 to 7 (the headline is depth 7), and a
last line says where the headline's ‖∇²f‖_F time goes (:func:`breakdown`). Agreement: torch's
‖H‖_F must lie in the package's ball widened by float64 rounding (P·ε·‖H‖_F),
and torch's ‖H‖₂ (``eigvalsh``, untimed) must be at least the package's lower
bound up to the same allowance. Wall-clock seconds; CPU seconds of the process
are recorded in the JSON as well (the machine may be shared).

    python -m benchmarks.nonlinear_scaling [--smoke] [--json FILE]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from dlnsmooth.balls import guaranteed_digits
from dlnsmooth.networks.engine import FLOAT64
from dlnsmooth.networks.multiword import MULTIWORD
from dlnsmooth.numbers import ball_to_mpf
from dlnsmooth.parallel import THREADS_VARIABLE
from dlnsmooth.precision import working_precision

from ._common import (
    arguments,
    cpu_seconds,
    feedforward_network,
    fmt_ratio,
    fmt_time,
    print_table,
    timed,
    torch_feedforward_loss,
    torch_or_none,
    write_json,
)

#: working precision; the Frobenius norm must come out with at least DIGITS guaranteed digits
DPS = 60
DIGITS = 50
ACTIVATION = "tanh"
LOSS = "squared"
#: (depth, width, N, n0); the row at P ≈ 1600, N = 64 is the headline
GRID = [(3, 4, 16, 4), (4, 8, 64, 8), (5, 12, 64, 8), (7, 16, 64, 16), (8, 24, 64, 16), (9, 36, 64, 36)]
HEADLINE = (7, 16, 64, 16)
SMOKE = [(3, 2, 4, 2), (3, 3, 8, 2)]
#: networks of P ≈ 1600, N = 64 at other depths (the headline is depth 7)
ARCHITECTURES = [(2, 24, 64, 64), (3, 28, 64, 28), (5, 19, 64, 19)]
FULL_HESSIAN_MAX = 600
ARB_FORMULAS_MAX = 2000
TORCH_MAX = 4100
TORCH_RUNS = 2


def widths_of(config: tuple[int, int, int, int]) -> tuple[int, ...]:
    depth, width, _, n0 = config
    return (n0,) + (width,) * (depth - 1) + (1,)


def torch_side(objective, point, torch) -> dict:
    """torch.func.hessian of the same loss in float64: seconds of the first call and the best of
    :data:`TORCH_RUNS` calls (the warm time is the baseline), ‖H‖_F and ‖H‖₂ (untimed)."""
    f = torch_feedforward_loss(torch, objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors)
    theta = torch.tensor([float(p) for p in point], dtype=torch.float64)
    start_cpu = cpu_seconds()
    runs = [timed(lambda: torch.func.hessian(f)(theta)) for _ in range(TORCH_RUNS)]
    H = runs[0][0]
    return {"torch_hessian_first_s": runs[0][1], "torch_hessian_s": min(seconds for _, seconds in runs),
            "torch_hessian_cpu_s": (cpu_seconds() - start_cpu) / TORCH_RUNS,
            "torch_frobenius": float(torch.linalg.matrix_norm(H)),
            "torch_spectral": float(torch.linalg.eigvalsh(H).abs().max())}


def ball_side(objective, point) -> dict:
    """The package's certified figures in balls at DPS digits, timed piece by piece."""
    record: dict = {}
    start_cpu = cpu_seconds()
    with working_precision(DPS):
        state, record["ball_setup_s"] = timed(objective.state, point)
        frob_sq, record["ball_frob_s"] = timed(state.hess_frobenius_sq)
        bound, record["ball_spectral_s"] = timed(state.spectral_lower_bound, iterations=100)
        record["certified_cpu_s"] = cpu_seconds() - start_cpu
        _, record["ball_grad_s"] = timed(state.grad_norm_sq)
        _, record["ball_hvp_s"] = timed(state.hvp, [1] * objective.n)
        if objective.n <= FULL_HESSIAN_MAX:
            _, record["ball_full_hessian_s"] = timed(state.hessian)
        if objective.n <= ARB_FORMULAS_MAX:
            arb_state = objective.state(point)
            arb_frob, record["arb_frob_s"] = timed(arb_state._frobenius_sq_formulas)
            record["arb_frob_agrees"] = bool(arb_frob.overlaps(frob_sq))
        frob = frob_sq.sqrt()
        record["frobenius_ball"] = frob
        record["spectral_ball"] = bound.value
        record["frobenius"] = float(frob.mid())
        record["frobenius_digits_guaranteed"] = guaranteed_digits(frob)
        record["spectral_lower"] = float(bound.value.lower())
        record["spectral_iterations"] = bound.iterations
        record["spectral_converged"] = bound.converged
        record["spectral_method"] = bound.method
    record["certified_s"] = record["ball_setup_s"] + record["ball_frob_s"] + record["ball_spectral_s"]
    return record


#: the algebra's operations by kind (dlnsmooth.networks.ffengine): matrix products, elementwise work
PRODUCTS = ("mm", "gram")
ELEMENTWISE = ("had", "had_tiled", "outer_tiled", "scale_blocks", "outer_rows", "regroup", "per_sample", "wsum",
               "sumsq", "add")
CONVERSIONS = ("activation", "loss", "mat", "with_ones", "diag_blocks")


def breakdown(objective, point) -> dict:
    """Where ‖∇²f‖_F's time goes: the operations of the Gram formulas counted on the float64 state
    (multiply-adds of the matrix products, entries of the elementwise ones) and the seconds each kind
    takes in the multi-word state (balls at DPS digits), one call each, by wrapping the algebra. The
    multi-word call runs on one thread (``DLNSMOOTH_THREADS=1``), so that the kinds' seconds add up
    to its total; the certified timings above use every core."""
    counts = {"products": 0, "multiply_adds": 0, "elementwise_entries": 0}
    state64 = objective.state([float(p) for p in point], FLOAT64)
    _wrap(state64.algebra, lambda name, args, out: _count(counts, name, args, out))
    state64.hess_frobenius_sq()
    seconds = {"products": 0.0, "elementwise": 0.0, "conversions": 0.0}
    kinds = {**{n: "products" for n in PRODUCTS}, **{n: "elementwise" for n in ELEMENTWISE},
             **{n: "conversions" for n in CONVERSIONS}}
    threads = os.environ.get(THREADS_VARIABLE)
    os.environ[THREADS_VARIABLE] = "1"
    try:
        with working_precision(DPS):
            state = objective.state(point, MULTIWORD)
            clocks = _wrap(state.algebra, None, kinds)
            (_, total) = timed(state._frobenius_sq_formulas)
    finally:
        if threads is None:
            del os.environ[THREADS_VARIABLE]
        else:
            os.environ[THREADS_VARIABLE] = threads
    for name, spent in clocks.items():
        seconds[kinds[name]] += spent
    return {**counts, "multiword_seconds": {**seconds, "total": total}, "limbs": state.algebra.S}


def _wrap(algebra, counter, kinds=None) -> dict:
    """Wrap the algebra's operations: call ``counter(name, args, out)`` after each, or (with ``kinds``)
    accumulate the seconds of each; returns the seconds by name."""
    clocks: dict = {}
    for name in PRODUCTS + ELEMENTWISE + CONVERSIONS:
        method = getattr(algebra, name)

        def wrapped(*args, _method=method, _name=name):
            start = time.perf_counter()
            out = _method(*args)
            clocks[_name] = clocks.get(_name, 0.0) + time.perf_counter() - start
            if counter is not None:
                counter(_name, args, out)
            return out

        setattr(algebra, name, wrapped)
    return clocks


def _count(counts: dict, name: str, args, out) -> None:
    if name in PRODUCTS:  # A @ B, or AᵀA (counted in full: the float64 run forms all of it)
        A, B = args if name == "mm" else (args[0].T, args[0])
        counts["products"] += 1
        counts["multiply_adds"] += A.shape[0] * A.shape[1] * B.shape[1]
    elif name in ELEMENTWISE:
        counts["elementwise_entries"] += int(np.size(out)) if name not in ("wsum", "sumsq") else int(np.size(args[0]))


def agreement(record: dict) -> dict:
    """Does torch's float64 Hessian agree with the package's balls (within float64 rounding)?"""
    P = record["P"]
    allowance = 8 * P * np.finfo(np.float64).eps
    frob = record.pop("frobenius_ball")
    spectral = record.pop("spectral_ball")
    out = {"float64_frob_rel_err": abs(record["float64_frobenius"] - record["frobenius"]) / record["frobenius"]}
    out["float64_inside"] = _near(frob, record["float64_frobenius"], allowance)
    if "torch_frobenius" in record:
        out["torch_frob_rel_err"] = abs(record["torch_frobenius"] - record["frobenius"]) / record["frobenius"]
        out["torch_inside"] = _near(frob, record["torch_frobenius"], allowance)
        lower = float(spectral.lower())
        out["torch_spectral_above_bound"] = record["torch_spectral"] >= lower * (1 - allowance)
        out["spectral_bound_ratio"] = lower / record["torch_spectral"]
    return out


def _near(ball, value: float, allowance: float) -> bool:
    """``value`` lies in ``ball`` widened by the relative ``allowance``."""
    mid = ball_to_mpf(ball)
    return abs(value - float(mid)) <= float(ball.rad()) + allowance * abs(float(mid))


def measure(config: tuple[int, int, int, int], torch) -> dict:
    depth, width, n_obs, n0 = config
    objective, point = feedforward_network(widths_of(config), ACTIVATION, n_obs, LOSS, bias=True)
    record: dict = {"depth": depth, "width": width, "N": n_obs, "n0": n0, "P": objective.n}
    state64 = objective.state([float(p) for p in point], FLOAT64)
    (g64, h64), record["float64_s"] = timed(lambda: (state64.grad_norm_sq(), state64.hess_frobenius_sq()))
    record["float64_frobenius"] = float(np.sqrt(h64))
    record.update(ball_side(objective, point))
    if torch is not None and objective.n <= TORCH_MAX:
        record.update(torch_side(objective, point, torch))
        record["ratio_certified_vs_torch"] = record["certified_s"] / record["torch_hessian_s"]
    record["ratio_ball_vs_float64"] = record["ball_frob_s"] / record["float64_s"]
    record.update(agreement(record))
    return record


def report(records: list[dict], torch) -> list[str]:
    """Print the tables; return the disagreements (empty when every check passed)."""
    rows = []
    for r in records:
        rows.append((r["depth"], r["width"], r["N"], r["n0"], r["P"], fmt_time(r["float64_s"]),
                     fmt_time(r["ball_setup_s"]), fmt_time(r["ball_frob_s"]), fmt_time(r["ball_hvp_s"]),
                     f"{fmt_time(r['ball_spectral_s'])} ({r['spectral_iterations']} HVPs, {r['spectral_method']})",
                     fmt_time(r.get("ball_full_hessian_s")), fmt_time(r["certified_s"]),
                     fmt_time(r.get("torch_hessian_s")), fmt_ratio(r.get("ratio_certified_vs_torch"))))
    print_table(("depth", "width", "N", "n0", "P", "float64 ‖∇f‖,‖∇²f‖_F", "ball state", "ball ‖∇²f‖_F", "ball HVP",
                 "ball ‖∇²f‖₂ ≥", "ball full H", "certified (F + ₂)", "torch H (f64)", "certified/torch"), rows)
    print(f"\nfigures (balls at {DPS} digits; guaranteed digits in parentheses): " + "; ".join(
        f"P={r['P']}: ‖∇²f‖_F = {r['frobenius']:.12g} ({r['frobenius_digits_guaranteed']} digits), "
        f"‖∇²f‖₂ ≥ {r['spectral_lower']:.12g}" for r in records))
    print("agreement: float64 ‖∇²f‖_F rel. error vs balls: "
          + ", ".join(f"P={r['P']}: {r['float64_frob_rel_err']:.1e}" for r in records))
    timed_arb = [r for r in records if "arb_frob_s" in r]
    if timed_arb:
        print("‖∇²f‖_F by the arb_mat formulas (the route below P = 200), for comparison: " + ", ".join(
            f"P={r['P']}: {fmt_time(r['arb_frob_s'])}" for r in timed_arb))
    if torch is not None:
        compared = [r for r in records if "torch_frob_rel_err" in r]
        print("agreement: torch ‖∇²f‖_F rel. error vs balls: "
              + ", ".join(f"P={r['P']}: {r['torch_frob_rel_err']:.1e}" for r in compared))
        print("spectral lower bound / torch ‖H‖₂ (eigvalsh): "
              + ", ".join(f"P={r['P']}: {r['spectral_bound_ratio']:.12f}" for r in compared))
    return checks(records)


def checks(records: list[dict]) -> list[str]:
    """The disagreements among the records (empty when every check passed)."""
    bad = [f"P={r['P']}: float64 engine ‖∇²f‖_F outside the ball" for r in records if not r["float64_inside"]]
    bad += [f"P={r['P']}: only {r['frobenius_digits_guaranteed']} guaranteed digits of ‖∇²f‖_F (need {DIGITS})"
            for r in records if r["frobenius_digits_guaranteed"] < DIGITS]
    bad += [f"P={r['P']}: the arb_mat formulas' ‖∇²f‖_F² does not overlap the certified one" for r in records
            if r.get("arb_frob_agrees") is False]
    compared = [r for r in records if "torch_frob_rel_err" in r]
    bad += [f"P={r['P']}: torch ‖∇²f‖_F outside the ball" for r in compared if not r["torch_inside"]]
    bad += [f"P={r['P']}: torch ‖H‖₂ below the certified lower bound" for r in compared
            if not r["torch_spectral_above_bound"]]
    return bad


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    torch = torch_or_none()
    grid = SMOKE if args.smoke else GRID
    print(f"{ACTIVATION} network with biases, {LOSS} loss, one random point; balls at {DPS} digits; torch: "
          f"{'torch ' + torch.__version__ if torch else 'not installed (pip install torch==2.13.0)'}")
    measure(grid[0], torch)  # warm-up: the loss's evaluators and torch's kernels, once per process
    records = [measure(config, torch) for config in grid]
    bad = report(records, torch)
    others = [] if args.smoke else [measure(config, torch) for config in ARCHITECTURES]
    if others:
        by_depth = sorted(others + [r for r in records if (r["depth"], r["width"], r["N"], r["n0"]) == HEADLINE],
                          key=lambda r: r["depth"])
        print("\nP ≈ 1600, N = 64, by depth:")
        print_table(("depth", "widths", "P", "certified (F + ₂)", "torch H (f64)", "certified/torch"),
                    [(r["depth"], "-".join(map(str, widths_of((r["depth"], r["width"], r["N"], r["n0"])))), r["P"],
                      fmt_time(r["certified_s"]), fmt_time(r.get("torch_hessian_s")),
                      fmt_ratio(r.get("ratio_certified_vs_torch"))) for r in by_depth])
        bad += checks(others)
    headline = [r for r in records if (r["depth"], r["width"], r["N"], r["n0"]) == HEADLINE]
    target = grid[-1] if args.smoke else HEADLINE
    objective, point = feedforward_network(widths_of(target), ACTIVATION, target[2], LOSS, bias=True)
    where = breakdown(objective, point)
    t = where["multiword_seconds"]
    print(f"\nwhere ‖∇²f‖_F's time goes at P = {objective.n}: {where['products']} matrix products with "
          f"{where['multiply_adds'] / 1e6:.1f} M multiply-adds and {where['elementwise_entries'] / 1e6:.1f} M "
          f"elementwise entries (counted in float64); in multi-word fixed point ({where['limbs']} limbs, one thread): products "
          f"{fmt_time(t['products'])}, elementwise {fmt_time(t['elementwise'])}, activations, losses and "
          f"conversions {fmt_time(t['conversions'])}, of {fmt_time(t['total'])}")
    for r in headline:
        print(f"\nP = {r['P']}, N = {r['N']}: certified ‖∇²f‖_F ({r['frobenius_digits_guaranteed']} digits) + ‖∇²f‖₂ "
              f"lower bound {fmt_time(r['certified_s'])}"
              f" vs torch.func.hessian {fmt_time(r.get('torch_hessian_s'))}"
              f" → ratio {fmt_ratio(r.get('ratio_certified_vs_torch'))} (target ≤ 1.0)")
    for line in bad:
        print(f"DISAGREEMENT: {line}", file=sys.stderr)
    write_json(args.json, {"benchmark": "nonlinear_scaling", "dps": DPS, "digits": DIGITS, "activation": ACTIVATION, "loss": LOSS,
                           "bias": True, "torch": getattr(torch, "__version__", None), "rows": records,
                           "headline": headline, "architectures": others, "breakdown": where,
                           "disagreements": bad})
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
