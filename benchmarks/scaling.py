"""Scaling of the structured engine with the number of weights P, against torch.func.hessian.

For each (depth, width, N, n0): one random point, logistic loss. Timed, in one
process and one run each:

* float64 (numpy): ‖∇f‖ and ‖∇²f‖_F by the Gram formulas;
* balls at 50 digits (python-flint arb, rigorous): ‖∇f‖, ‖∇²f‖_F, one
  Hessian-vector product, the lower bound ‖∇²f‖₂ ≥ ‖∇²f δ‖/‖δ‖ by power iteration,
  and the full P × P Hessian where P ≤ 2000;
* ``torch.func.hessian`` in float64 (when torch is installed and P ≤ 2000).

Ratios: ``ball/f64`` is the price of rigour (balls at 50 digits vs float64 for
‖∇²f‖_F); ``certified/torch`` is (rigorous ‖∇²f‖_F + spectral lower bound, balls,
50 digits) / (torch float64 Hessian): below 1 means the certified figures cost
less than torch's unverified Hessian.

    python -m benchmarks.scaling [--smoke] [--json FILE]
"""

from __future__ import annotations

import sys

import numpy as np

from dlnsmooth.networks.engine import FLOAT64
from dlnsmooth.numbers import ball_to_mpf, to_arb
from dlnsmooth.precision import working_precision

from ._common import arguments, fmt_ratio, fmt_time, network, parameters, print_table, timed, torch_or_none, write_json

DPS = 50
GRID = [(3, 4, 16, 4), (4, 16, 16, 8), (6, 16, 64, 16), (8, 16, 64, 4), (12, 16, 64, 4), (8, 24, 64, 16),
        (8, 36, 64, 64)]
SMOKE = [(3, 2, 4, 2), (4, 3, 8, 2)]
FULL_HESSIAN_MAX = 2000


def torch_hessian(objective, point, torch):
    """torch.func.hessian of the same loss in float64; returns (Frobenius norm, seconds)."""
    widths = objective.widths
    X = torch.tensor([[float(v) for v in x] for x in objective.data.inputs], dtype=torch.float64).T
    y = torch.tensor([float(v) for v in objective.data.targets], dtype=torch.float64)
    theta = torch.tensor([float(p) for p in point], dtype=torch.float64)
    shapes = [(widths[l], widths[l - 1]) for l in range(1, len(widths))]

    def loss(flat):
        out, k = X, 0
        for n, m in shapes:
            out = flat[k:k + n * m].reshape(n, m) @ out
            k += n * m
        return torch.nn.functional.softplus(-y * out[0]).sum()

    H, seconds = timed(lambda: torch.func.hessian(loss)(theta))
    return float(torch.linalg.matrix_norm(H)), seconds


def measure(config, torch) -> dict:
    depth, width, n_obs, n0 = config
    objective, point = network(depth, width, n_obs, n0)
    P = parameters(objective.widths)
    record = {"depth": depth, "width": width, "N": n_obs, "n0": n0, "P": P}
    state64 = objective.state([float(p) for p in point], FLOAT64)
    (g64, h64), record["float64_s"] = timed(lambda: (np.sqrt(state64.grad_norm_sq()),
                                                      np.sqrt(state64.hess_frobenius_sq())))
    with working_precision(DPS):
        state, record["ball_setup_s"] = timed(lambda: objective.state([to_arb(p) for p in point]))
        _, record["ball_grad_s"] = timed(state.grad_norm_sq)
        frob_sq, record["ball_frob_s"] = timed(state.hess_frobenius_sq)
        delta = [state.backend.matrix(np.ones((objective.widths[l], objective.widths[l - 1])).tolist())
                 for l in range(1, len(objective.widths))]
        _, record["ball_hvp_s"] = timed(state.hvp, delta)
        bound, record["ball_spectral_s"] = timed(state.spectral_lower_bound, iterations=100)
        record["spectral_iterations"] = bound.iterations
        record["spectral_lower"] = float(bound.value.mid())
        frob = frob_sq.sqrt()
        record["frobenius"] = float(frob.mid())
        record["frobenius_digits_guaranteed"] = _digits(frob)
        record["float64_frob_rel_err"] = abs(h64 - float(ball_to_mpf(frob))) / float(ball_to_mpf(frob))
        if P <= FULL_HESSIAN_MAX:
            _, record["ball_full_hessian_s"] = timed(state.hessian)
    certified = record["ball_setup_s"] + record["ball_frob_s"] + record["ball_spectral_s"]
    record["certified_s"] = certified
    record["ratio_ball_vs_float64"] = record["ball_frob_s"] / record["float64_s"]
    if torch is not None and P <= FULL_HESSIAN_MAX:
        norm, record["torch_hessian_s"] = torch_hessian(objective, point, torch)
        record["torch_frob_rel_err"] = abs(norm - record["frobenius"]) / record["frobenius"]
        record["ratio_certified_vs_torch"] = certified / record["torch_hessian_s"]
    return record


def _digits(ball) -> int:
    from dlnsmooth.balls import guaranteed_digits

    return guaranteed_digits(ball)


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    torch = torch_or_none()
    grid = SMOKE if args.smoke else GRID
    print(f"logistic loss, one random point; balls at {DPS} digits; torch: "
          f"{'torch ' + torch.__version__ if torch else 'not installed (pip install torch==2.13.0)'}")
    measure(grid[0], torch)  # warm-up: compiles the loss's ball programs and torch's kernels once
    records = [measure(config, torch) for config in grid]
    rows = []
    for r in records:
        rows.append((r["depth"], r["width"], r["N"], r["n0"], r["P"], fmt_time(r["float64_s"]),
                     fmt_time(r["ball_frob_s"]), fmt_ratio(r["ratio_ball_vs_float64"]), fmt_time(r["ball_hvp_s"]),
                     f"{fmt_time(r['ball_spectral_s'])} ({r['spectral_iterations']} it)",
                     fmt_time(r.get("ball_full_hessian_s")), fmt_time(r["certified_s"]),
                     fmt_time(r.get("torch_hessian_s")), fmt_ratio(r.get("ratio_certified_vs_torch"))))
    print_table(("depth", "width", "N", "n0", "P", "float64 ‖∇f‖,‖∇²f‖_F", "ball ‖∇²f‖_F", "ball/f64", "ball HVP",
                 "ball ‖∇²f‖₂ ≥", "ball full H", "certified (F + ₂)", "torch H (f64)", "certified/torch"), rows)
    print("\nagreement: float64 ‖∇²f‖_F rel. error vs balls: "
          + ", ".join(f"P={r['P']}: {r['float64_frob_rel_err']:.1e}" for r in records))
    if torch is not None:
        print("agreement: torch ‖∇²f‖_F rel. error vs balls: "
              + ", ".join(f"P={r['P']}: {r['torch_frob_rel_err']:.1e}" for r in records if "torch_frob_rel_err" in r))
    write_json(args.json, {"benchmark": "scaling", "dps": DPS, "torch": getattr(torch, "__version__", None),
                           "rows": records})
    return 0


if __name__ == "__main__":
    sys.exit(main())
