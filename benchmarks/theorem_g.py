"""Theorem G at scale: `dlnsmooth dln` certificates for networks with up to ~10⁴ weights.

For each (depth, width, N, n0) with random data, times ``certify_theorem_g`` end to
end (exact restriction along the Theorem G curve, symbolic limits, a 30-row
ball-arithmetic table, rigorous spectral bounds) and reports the verdict, the
Hessian growth exponent against Theorem G's L − 2, and whether every table
row is confirmed. Target: P ≥ 10⁴ certified within 30 s.

    python -m benchmarks.theorem_g [--smoke] [--json FILE]
"""

from __future__ import annotations

import sys

from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.theorem_g import certify_theorem_g

from ._common import arguments, fmt_time, print_table, timed, write_json

GRID = [(4, 8, 16, 4, "logistic"), (8, 16, 64, 4, "logistic"), (8, 36, 64, 64, "logistic"),
        (8, 36, 64, 64, "squared"), (10, 32, 64, 64, "logistic")]
SMOKE = [(3, 2, 4, 2, "logistic"), (4, 3, 4, 2, "squared")]


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    grid = SMOKE if args.smoke else GRID
    rows, records, failures = [], [], []
    for depth, width, n_obs, n0, loss in grid:
        widths = (n0,) + (width,) * (depth - 1) + (1,)
        labels = "real" if loss == "squared" else "sign"

        def run(widths=widths, n_obs=n_obs, n0=n0, labels=labels, loss=loss):
            objective = deep_linear(widths, Dataset.random(n_obs, n0, 0, labels), loss)
            return objective, certify_theorem_g(objective, decades=30, progress=False)

        (objective, cert), seconds = timed(run)
        table = cert.find("numeric-table")[0]
        exponent = cert.growth.hess_exponent
        record = {"depth": depth, "width": width, "N": n_obs, "n0": n0, "loss": loss, "P": objective.n,
                  "seconds": seconds, "verdict": cert.verdict, "hess_exponent": str(exponent),
                  "expected_exponent": depth - 2, "rows_confirmed": len(table.confirmed_rows()),
                  "rows": len(table.rows), "arithmetic": table.arithmetic,
                  "max_dps": max(r.hess_norm.dps for r in table.rows)}
        records.append(record)
        if cert.verdict != "refuted" or str(exponent) != str(depth - 2):
            failures.append(record)
        rows.append((depth, width, n_obs, n0, loss, objective.n, cert.verdict, f"t^{exponent} (L−2 = {depth - 2})",
                     f"{record['rows_confirmed']}/{record['rows']} ({table.arithmetic})", record["max_dps"],
                     fmt_time(seconds)))
    print_table(("depth", "width", "N", "n0", "loss", "P", "verdict", "‖∇²f‖_F growth", "table rows",
                 "max dps", "time"), rows)
    big = [r for r in records if r["P"] >= 10_000]
    if big:
        worst = max(r["seconds"] for r in big)
        print(f"\nP ≥ 10⁴: slowest certificate {fmt_time(worst)} (target ≤ 30 s)")
    write_json(args.json, {"benchmark": "theorem_g", "rows": records})
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
