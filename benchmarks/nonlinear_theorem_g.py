"""Theorem G′ at scale: tanh networks with up to ~10⁴ weights certified along the refuting curve.

For each (activation, depth, width, N, n0, loss, bias) with random data, times
``certify_theorem_g`` end to end (network construction, the exact premise, the
exact restriction along Theorem G′'s curve, symbolic limits, a 30-row
ball-arithmetic table, rigorous spectral bounds) and reports the verdict, the
growth exponent of ‖∇²f‖_F against the theorem's, and how many table rows are
confirmed. Without biases every ρ is refuted (ρ* = ∞); with biases the curve
gives ρ* = 2 (every ρ < 2 refuted, the verdict for every ρ is ``not refuted``).
Target: a tanh network with P ≥ 10⁴ certified within 30 s.

Negative controls (the certificate must not say ``refuted`` from the theorem's
curve): the sigmoid activation (σ(0) = 1/2 ≠ 0, the outputs do not vanish on
the curve) and bias-free data with g = Σ_i ℓ′(0; y_i) x_i = 0 (the Hessian
vanishes on the curve).

    python -m benchmarks.nonlinear_theorem_g [--smoke] [--json FILE]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import sympy as sp

from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.feedforward import feedforward
from dlnsmooth.networks.losses import get_output_loss
from dlnsmooth.networks.theorem_g import certify_theorem_g

from ._common import arguments, cpu_seconds, fmt_time, print_table, timed, write_json


@dataclass(frozen=True)
class Case:
    """One network of the grid; ``control`` cases must not be refuted."""

    activation: str
    depth: int
    width: int
    n_obs: int
    n0: int
    loss: str = "squared"
    bias: bool = False
    data: str = "random"  # or "g=0": pairs (x, y), (x, −y) so that Σ_i ℓ′(0; y_i) x_i = 0
    control: bool = False
    #: the critical exponent Theorem G′ derives: ∞ without biases (every ρ refuted), 2 with biases
    #: and Σ_i ℓ′(0; y_i) ≠ 0 (every ρ < 2 refuted; the certificate for every ρ says "not refuted")
    critical: str = "oo"

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.n0,) + (self.width,) * (self.depth - 1) + (1,)


GRID = [
    Case("tanh", 4, 8, 16, 4),
    Case("tanh", 6, 16, 64, 8, "logistic"),
    Case("sin", 5, 12, 32, 8),
    Case("tanh", 8, 36, 64, 64),  # P = 10 116
    Case("tanh", 8, 36, 64, 64, "logistic"),
    Case("tanh", 5, 8, 16, 4, bias=True, critical="2"),
    Case("sigmoid", 4, 4, 8, 2, control=True),
    Case("tanh", 4, 8, 16, 4, data="g=0", control=True),
]
SMOKE = [
    Case("tanh", 3, 2, 4, 2),
    Case("tanh", 3, 2, 4, 2, bias=True, critical="2"),
    Case("sigmoid", 3, 2, 4, 2, control=True),
    Case("tanh", 3, 2, 4, 2, data="g=0", control=True),
]
DECADES = 30


def dataset(case: Case) -> Dataset:
    labels = get_output_loss(case.loss).labels
    data = Dataset.random(case.n_obs, case.n0, 0, labels)
    if case.data == "random":
        return data
    half = data.size // 2
    pairs = [(list(x), [y]) for x, y in zip(data.inputs[:half], data.targets[:half])]
    pairs += [(x, [-y[0]]) for x, y in pairs]
    return Dataset.from_pairs(pairs, source="pairs (x, y), (x, −y): g = 0")


def run(case: Case) -> dict:
    record = {"activation": case.activation, "depth": case.depth, "width": case.width, "N": case.n_obs,
              "n0": case.n0, "loss": case.loss, "bias": case.bias, "data": case.data, "control": case.control,
              "expected_critical": case.critical}

    def work():
        objective = feedforward(case.widths, case.activation, dataset(case), case.loss, bias=case.bias)
        return objective, certify_theorem_g(objective, decades=DECADES, progress=False)

    start_cpu = cpu_seconds()
    try:
        (objective, cert), seconds = timed(work)
    except DlnsmoothError as exc:  # a clear refusal is a valid answer for a control
        record.update({"P": None, "seconds": None, "verdict": f"refused: {exc}"})
        return record
    record["cpu_seconds"] = cpu_seconds() - start_cpu
    table = cert.find("numeric-table")[0]
    record.update({"P": objective.n, "seconds": seconds, "verdict": cert.verdict,
                   "hess_exponent": sp.sstr(cert.growth.hess_exponent),
                   "critical_exponent": None if cert.critical_exponent is None else sp.sstr(cert.critical_exponent),
                   "rows_confirmed": len(table.confirmed_rows()), "rows": len(table.rows),
                   "arithmetic": table.arithmetic, "max_dps": max((r.hess_norm.dps for r in table.rows), default=0),
                   "reason": getattr(cert, "reason", None)})
    return record


def failure(record: dict) -> str | None:
    """Why this record is wrong, or None."""
    if record["control"]:
        return "a negative control was refuted" if record["verdict"] == "refuted" else None
    if record.get("critical_exponent") != record["expected_critical"]:
        return f"expected ρ* = {record['expected_critical']}, got {record.get('critical_exponent')}"
    expected = "refuted" if record["expected_critical"] == "oo" else "not refuted"
    if record["verdict"] != expected:
        return f"expected {expected} (every ρ), got {record['verdict']}"
    if record["rows_confirmed"] != record["rows"]:
        return "unconfirmed table rows"
    return None


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    cases = SMOKE if args.smoke else GRID
    records = [run(case) for case in cases]
    rows = []
    for r in records:
        rows.append((r["activation"], r["depth"], r["width"], r["N"], r["n0"], r["loss"], "yes" if r["bias"] else "no",
                     r["data"] + (" (control)" if r["control"] else ""), r["P"] or "—", r["verdict"],
                     f"t^{r['hess_exponent']}" if "hess_exponent" in r else "—", r.get("critical_exponent") or "—",
                     f"{r['rows_confirmed']}/{r['rows']} ({r['arithmetic']})" if "rows" in r else "—",
                     r.get("max_dps", "—"), fmt_time(r["seconds"]), fmt_time(r.get("cpu_seconds"))))
    print_table(("σ", "depth", "width", "N", "n0", "loss", "bias", "data", "P", "verdict", "‖∇²f‖_F growth", "ρ*",
                 "table rows", "max dps", "time", "CPU time"), rows)
    big = [r for r in records if r["P"] and r["P"] >= 10_000 and r["activation"] == "tanh"]
    if big:
        worst = max(r["seconds"] for r in big)
        cpu = max(r["cpu_seconds"] for r in big)
        print(f"\ntanh, P ≥ 10⁴: slowest certificate {fmt_time(worst)} wall, {fmt_time(cpu)} CPU (target ≤ 30 s)")
    failures = [(r, why) for r in records if (why := failure(r))]
    for r, why in failures:
        print(f"FAILURE: {r['activation']} depth {r['depth']} width {r['width']} ({r['data']}): {why}", file=sys.stderr)
    write_json(args.json, {"benchmark": "nonlinear_theorem_g", "decades": DECADES, "rows": records,
                           "failures": [why for _, why in failures]})
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
