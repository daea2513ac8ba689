"""Seed 003 §B.2: on the general LASSO (15), NDGM with the larger penalty λ = 10 ends with the LARGER ‖β‖₁
than with λ = 0.01 (same α, same start) — final norms enclosed in balls, the ordering proved.

Problem
    L4(β) = (1/N)‖y − Wβ‖² + λ‖β‖₁ (seed (15)), W 20 × 500 and y 20 × 1 with entries U[−1, 1] rounded to 2
    decimals (``RegressionData.random(20, 500, 15)``). NDGM with α = 0.01 from β_0 = 0 for ``LASSO_STEPS``
    steps, λ = 0.01 and λ = 10. The seed reports ‖β‖₁ = 1.62 and 25.4 (its α, steps and start are not stated).
Method
    Each run is shadowed in ball arithmetic (:mod:`dlnsmooth.dynamics.lasso_general`: exact centres, a proved
    2-norm radius, every sign decided on the enclosing ball, precision doubled when undecided); the final
    ‖β_K‖₁ is enclosed in [‖c_K‖₁ − √P e_K, ‖c_K‖₁ + √P e_K] and the ordering proved when the intervals separate.
    The λ = 10 value is compared with the toy-LASSO prediction Pαλ/2 (every coordinate cycling in (−αλ, αλ)).
    Negative controls that must come out the other way: from a large start β_0 ~ U[−1, 1] (‖β_0‖₁ ≈ P/2 ≫
    Pαλ/2) and 50 steps, the λ = 10 run shrinks to the band (‖β‖₁ ≈ 25) while the λ = 0.01 run barely moves
    (each step changes a coordinate by the data gradient plus αλ = 10⁻⁴), so the ordering must be proved
    REVERSED; and the comparison fed the two main runs swapped must not report the ordering.
Guarantee
    For these data, α, start and step count: the two final ℓ1 norms lie in the stated intervals (ball
    arithmetic) and are ordered as claimed. Nothing is claimed about other data or longer runs.
References
    Seed 003 App. B.2 (eq. (15)); SPEC §4.2.
Example
    ``python -m proofs.kumar_lasso_general [--json]`` or ``dlnsmooth verify kumar-lasso-general``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.lasso_general import (
    LASSO_ALPHA,
    LASSO_LAMBDAS,
    LASSO_SEED,
    LASSO_STEPS,
    LassoRun,
    large_start,
    lasso_data,
    lasso_study,
    ordering_proved,
)
from dlnsmooth.report import ClaimReport

from ._runner import run_main

__all__ = ["NAME", "TITLE", "CONTROL_STEPS", "SEED_NORMS", "LassoResult", "compute", "render", "verify", "main"]

NAME = "kumar-lasso-general"
TITLE = "Seed 003 §B.2 — general LASSO (15), W 20 × 500: λ = 10 ends with a larger ‖β‖₁ than λ = 0.01"

#: steps of the large-start control
CONTROL_STEPS = 50
#: the seed's reported final norms (λ = 0.01, λ = 10)
SEED_NORMS = (1.62, 25.4)


@dataclass
class LassoResult:
    data: RegressionData
    small: LassoRun
    large: LassoRun
    ordering: bool | None
    swapped: bool | None
    control_small: LassoRun
    control_large: LassoRun
    control_ordering: bool | None
    seconds: float


def compute(*, steps: int = LASSO_STEPS, progress: bool | None = False) -> LassoResult:
    """The two main runs from β_0 = 0, their ordering, the swapped comparison, and the large-start control."""
    started = time.perf_counter()
    data = lasso_data()
    small, large = lasso_study(steps=steps, progress=progress)
    control_small, control_large = lasso_study(start=large_start(data.columns), steps=CONTROL_STEPS, progress=progress)
    return LassoResult(data, small, large, ordering_proved(large, small), ordering_proved(small, large),
                       control_small, control_large, ordering_proved(control_large, control_small),
                       time.perf_counter() - started)


def _interval(run: LassoRun) -> str:
    return f"[{float(run.norm1_lower):.10g}, {float(run.norm1_upper):.10g}]"


def render(result: LassoResult) -> ClaimReport:
    """The claim report of a computed :class:`LassoResult`."""
    small, large = result.small, result.large
    report = ClaimReport(
        name=NAME, title=TITLE,
        claim="NDGM on the general LASSO (15) with the same α and start ends with a larger ‖β‖₁ for the larger "
              "penalty (seed 003 §B.2: 1.62 for λ = 0.01 vs 25.4 for λ = 10)",
        statement=f"W 20 × 500, α = {LASSO_ALPHA}, β_0 = 0, {small.steps} steps: ‖β_K‖₁(λ = 10) > ‖β_K‖₁(λ = 0.01)",
        method="shadowed ball-arithmetic NDGM (signs decided on proved enclosures), final ‖β‖₁ enclosed, ordering "
               "proved by separated intervals; a large-start control that must reverse the ordering",
        evidence_kind="instances checked in ball arithmetic (proved enclosures of the final norms)")
    report.seconds = result.seconds
    band = len(result.data.Z[0]) * LASSO_ALPHA * LASSO_LAMBDAS[1] / 2
    report.sections.append(("Runs", [
        f"W, y ~ U[−1, 1] (2 decimals), RegressionData.random(20, 500, {LASSO_SEED}); α = {LASSO_ALPHA}, β_0 = 0",
        f"λ = {small.lam}: ‖β_K‖₁ ∈ {_interval(small)} ({small.steps} steps at {small.dps} digits, {small.seconds:.2f} s; "
        f"seed: {SEED_NORMS[0]})",
        f"λ = {large.lam}: ‖β_K‖₁ ∈ {_interval(large)} ({large.steps} steps at {large.dps} digits, {large.seconds:.2f} s; "
        f"seed: {SEED_NORMS[1]}; toy-LASSO band Pαλ/2 = {float(band):g})",
        f"control from β_0 ~ U[−1, 1] (‖β_0‖₁ = {result.control_small.norms1[0]:.6g}), {CONTROL_STEPS} steps: "
        f"λ = {result.control_small.lam}: {_interval(result.control_small)}; λ = {result.control_large.lam}: "
        f"{_interval(result.control_large)}"]))
    decided = small.status == "done" and large.status == "done"
    report.add_check("both runs decided every sign", decided or None,
                     f"statuses {small.status}, {large.status} (digits {small.dps}, {large.dps})")
    report.add_check("ordering: ‖β‖₁(λ = 10) > ‖β‖₁(λ = 0.01)", result.ordering,
                     f"lower bound {float(large.norm1_lower):.10g} > upper bound {float(small.norm1_upper):.10g}")
    within = abs(large.norm1_mid - float(band)) <= float(band) / 5
    report.add_check("λ = 10 matches the toy-LASSO band Pαλ/2 within 20%", within,
                     f"{large.norm1_mid:.6g} vs {float(band):g} (seed {SEED_NORMS[1]})")
    report.add_check("negative control: large start reverses the ordering", result.control_ordering is False,
                     f"λ = 10: {_interval(result.control_large)} < λ = 0.01: {_interval(result.control_small)} "
                     f"(comparison says {result.control_ordering})")
    report.add_check("negative control: swapped runs are not reported as ordered", result.swapped is False,
                     f"ordering_proved(λ = 0.01 run, λ = 10 run) = {result.swapped}")
    return report


def verify(*, progress: bool | None = False, steps: int = LASSO_STEPS) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute(steps=steps, progress=progress))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
