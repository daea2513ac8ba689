"""Seed 003 Prop 3.1: NDGM is not captured — on the seed's L2 the loss decreases at every step while ‖β_k‖∞
leaves the unit ball, whereas GD on a smooth counterpart from the same start stays inside it.

Problem
    L2(β) = L1(β; Z, q, 0, 0.01) = ‖q − max(0, Zβ)‖² + 0.01‖β‖₁ (seed (3)), Z ~ U[−1, 1], q ~ U[−1, 0]
    (2 decimals; 20 × 50 instead of the seed's 20 × 500 to keep the exact run short), β_0 ~ U[−1/5, 1/5]
    (2 decimals, ‖β_0‖₂ < 1). Claim: NDGM with a constant α can have L2(β_{k+1}) ≤ L2(β_k) for every k of the
    run while ‖β_k‖∞ > 1 for some k — so the capture theorem (Bertsekas Prop 1.2.5, used by the seed with
    ε̄ = 1) does not extend to NDGM.
Method
    A seeded search (:func:`dlnsmooth.dynamics.capture.search_capture_case`: data seeds in order, α ∈ {1/100,
    1/50, 1/20, 1/10}, a float screening capped in time) proposes (seed, α); the run of ``CAPTURE_STEPS`` steps
    is then iterated EXACTLY (python-flint fmpq) and checked: every loss difference ≤ 0, ‖β_0‖∞ < 1, and the
    escaping coordinate |β_k[j]| > 1, all exact comparisons of rationals. The witness is re-checked here with a
    plain-Fraction loop written from the loss's definition (the subgradient with max′(0) = 0, sign(0) = 0).
    Next to it GD on f_s(β) = ‖max(0, Zβ)‖² + 0.01‖β‖² (C¹, convex, L-smooth with L ≤ 2λ_max(ZᵀZ) + 0.02, unique
    minimiser 0) with α_s = 1/⌈L⌉, run exactly from the same start: loss non-increasing and ‖β_k‖∞ < 1 at every
    step, and by the theorem (non-expansiveness) ‖β_k‖∞ ≤ ‖β_0‖₂ < 1 for every k.
    Negative controls that must NOT satisfy the property: the smooth GD run (captured), and NDGM from the same
    start with α = 1/1000.
Guarantee
    A witness verified in exact arithmetic (data, start, α and the whole run are exact rationals).
References
    Seed 003 §3 (Prop 3.1, Figure 1); Bertsekas (1999) Prop 1.2.5; SPEC §4.2.
Example
    ``python -m proofs.kumar_3_1 [--json]`` or ``dlnsmooth verify kumar-3.1``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from dlnsmooth.dynamics.capture import (
    CAPTURE_LAMBDA1,
    CAPTURE_LAMBDA2,
    CAPTURE_STEPS,
    CaptureCase,
    CaptureProperty,
    ExactRun,
    capture_property,
    exact_relu_lasso_run,
    exact_smooth_run,
    search_capture_case,
    smooth_step,
)
from dlnsmooth.report import ClaimReport

from ._runner import run_main

__all__ = ["NAME", "TITLE", "CONTROL_ALPHA", "CaptureResult", "reference_path", "compute", "render", "verify", "main"]

NAME = "kumar-3.1"
TITLE = "Seed 003 Prop 3.1 — NDGM decreases the loss yet leaves the unit ball; GD on a smooth counterpart is captured"

#: the small step of the NDGM control
CONTROL_ALPHA = Fraction(1, 1000)


@dataclass
class CaptureResult:
    case: CaptureCase
    reference_agrees: bool
    start_norm2_sq: Fraction
    smooth_L: Fraction
    smooth_alpha: Fraction
    smooth: ExactRun
    smooth_property: CaptureProperty
    control: CaptureProperty
    seconds: float


def reference_path(Z: Sequence[Sequence[Fraction]], q: Sequence[Fraction], lam1: Fraction, alpha: Fraction,
                   beta0: Sequence[Fraction], steps: int) -> tuple[list[Fraction], list[list[Fraction]]]:
    """The losses and iterates of NDGM on ‖q − max(0, Zβ)‖² + λ1‖β‖₁, written here from the definitions with
    plain Fractions (independent of the package's loop)."""
    beta, losses, path = list(beta0), [], [list(beta0)]
    for k in range(steps + 1):
        u = [sum((z * b for z, b in zip(row, beta)), Fraction(0)) for row in Z]
        losses.append(sum(((ui if ui > 0 else Fraction(0)) - qi) ** 2 for ui, qi in zip(u, q))
                      + lam1 * sum(abs(b) for b in beta))
        if k == steps:
            break
        weights = [2 * (ui - qi) if ui > 0 else Fraction(0) for ui, qi in zip(u, q)]
        beta = [b - alpha * (sum(Z[i][j] * weights[i] for i in range(len(Z))) + lam1 * ((b > 0) - (b < 0)))
                for j, b in enumerate(beta)]
        path.append(beta)
    return losses, path


def compute(*, progress: bool | None = False) -> CaptureResult:
    """Search and verify the witness, re-check it independently, run the smooth GD and the NDGM control."""
    started = time.perf_counter()
    case = search_capture_case()
    losses, path = reference_path(case.data.Z, case.data.y, CAPTURE_LAMBDA1, case.alpha, case.start, CAPTURE_STEPS)
    agrees = losses == case.run.losses and path[-1] == case.run.final
    L_bar, alpha_s = smooth_step(case.data, CAPTURE_LAMBDA2)
    smooth = exact_smooth_run(case.data, CAPTURE_LAMBDA2, alpha_s, case.start, CAPTURE_STEPS)
    control = capture_property(exact_relu_lasso_run(case.data, CAPTURE_LAMBDA1, CONTROL_ALPHA, case.start, CAPTURE_STEPS))
    return CaptureResult(case, agrees, sum((b * b for b in case.start), Fraction(0)), L_bar, alpha_s, smooth,
                         capture_property(smooth), control, time.perf_counter() - started)


def _describe(p: CaptureProperty) -> str:
    return (f"‖β_0‖∞ < 1: {p.start_inside}; loss non-increasing: {p.monotone}"
            f"{'' if p.first_increase is None else f' (first increase at k = {p.first_increase})'}; leaves the unit "
            f"ball: {p.escaped}")


def render(result: CaptureResult) -> ClaimReport:
    """The claim report of a computed :class:`CaptureResult`."""
    case, prop = result.case, result.case.property
    report = ClaimReport(
        name=NAME, title=TITLE,
        claim="NDGM on the seed's L2 = ‖q − max(0, Zβ)‖² + 0.01‖β‖₁ (q ≤ 0) can decrease the loss at every step while "
              "‖β_k‖∞ exceeds 1, although ‖β_0‖∞ < 1 — unlike GD on a C¹ loss (capture theorem)",
        statement=f"a data set, a start and α with L2(β_(k+1)) ≤ L2(β_k) for k < {CAPTURE_STEPS} and ‖β_k‖∞ > 1 at some k",
        method="seeded search (float screening, time-capped), exact fmpq verification, independent Fraction re-check; "
               "exact GD on a smooth counterpart with α ≤ 1/L; an NDGM control with a small step",
        evidence_kind="witness verified exactly")
    report.seconds = result.seconds
    escape = prop.escape_step
    report.sections.append(("Witness", [
        f"Z {case.data.rows} × {case.data.columns} ~ U[−1, 1], q ~ U[−1, 0] (2 decimals, RegressionData.random seed "
        f"{case.seed}); β_0 ~ U[−1/5, 1/5] (seed {case.seed + 1}), ‖β_0‖₂² = {float(result.start_norm2_sq):.6g}",
        f"α = {case.alpha}, λ1 = {CAPTURE_LAMBDA1}, {CAPTURE_STEPS} steps; search: {case.rejected} float candidates "
        f"rejected by the exact check, {case.search_seconds:.2f} s",
        f"losses L2(β_k), k = 0..5: {', '.join(f'{float(v):.6g}' for v in case.run.losses[:6])}; final "
        f"{float(case.run.losses[-1]):.6g}",
        f"‖β_k‖∞, k = 0..5: {', '.join(f'{float(v):.6g}' for v in case.run.norms_inf[:6])}",
        f"first escape: k = {escape}, coordinate j = {prop.escape_coordinate}, |β_k[j]| = {prop.escape_value}",
        f"smooth counterpart f_s = ‖max(0, Zβ)‖² + {CAPTURE_LAMBDA2}‖β‖²: L ≤ {result.smooth_L}, α_s = {result.smooth_alpha}; "
        f"max ‖β_k‖∞ = {float(max(result.smooth.norms_inf)):.6g}"]))
    report.add_check("exact: the start is inside the unit ball", prop.start_inside and result.start_norm2_sq < 1,
                     f"‖β_0‖∞ = {case.run.norms_inf[0]}, ‖β_0‖₂² = {float(result.start_norm2_sq):.6g} < 1")
    report.add_check("exact: the loss never increases", prop.monotone,
                     f"largest L2(β_(k+1)) − L2(β_k) = {float(prop.largest_increase):.6g} ≤ 0 over {CAPTURE_STEPS} steps")
    report.add_check("exact: ‖β_k‖∞ > 1 at some k", prop.escaped,
                     f"|β_{escape}[{prop.escape_coordinate}]| = {prop.escape_value} > 1")
    report.add_check("independent re-check (plain Fractions from the definition)", result.reference_agrees,
                     "every loss and the final iterate agree exactly with the fmpq run")
    sp = result.smooth_property
    report.add_check("smooth GD: loss non-increasing and ‖β_k‖∞ < 1 on the run (exact)",
                     sp.monotone and not sp.escaped, _describe(sp))
    shrinking = all(b <= a for a, b in zip(result.smooth.norms2_sq, result.smooth.norms2_sq[1:]))
    report.add_check("smooth GD: ‖β_k‖₂ non-increasing on the run (exact)", shrinking,
                     f"‖β_0‖₂² = {float(result.smooth.norms2_sq[0]):.6g} → ‖β_K‖₂² = "
                     f"{float(result.smooth.norms2_sq[-1]):.6g}, every step exactly")
    report.add_check("smooth GD: captured by the theorem", result.smooth_alpha * result.smooth_L <= 1
                     and result.start_norm2_sq < 1,
                     f"α_s·L̄ = {result.smooth_alpha * result.smooth_L} ≤ 1 ⇒ ‖β_k‖₂ non-increasing (co-coercivity) ⇒ "
                     f"‖β_k‖∞ ≤ ‖β_0‖₂ < 1 for every k")
    report.add_check("negative control: the smooth GD run does not have the property", not sp.not_captured,
                     _describe(sp))
    report.add_check(f"negative control: NDGM with α = {CONTROL_ALPHA} does not have the property",
                     not result.control.not_captured, _describe(result.control))
    return report


def verify(*, progress: bool | None = False) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute(progress=progress))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
