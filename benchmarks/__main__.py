"""Run every benchmark in turn: ``python -m benchmarks [--smoke]``."""

from __future__ import annotations

import subprocess
import sys

NAMES = ["naive_sympy", "scaling", "extreme_points", "theorem_g",
         "nonlinear_sympy", "nonlinear_scaling", "nonlinear_extreme", "nonlinear_theorem_g"]


def main() -> int:
    status = 0
    for name in NAMES:
        print(f"\n=== benchmarks.{name} ===", flush=True)
        status |= subprocess.call([sys.executable, "-m", f"benchmarks.{name}", *sys.argv[1:]])
    return status


if __name__ == "__main__":
    sys.exit(main())
