"""Seed 003 Prop 5.1: NDGM on a convex loss with bounded subgradients never diverges — the Huber loss (10) at
α = 0.1 and α = 10 stays inside an explicit envelope, every iterate checked.

Problem
    L7(β) = (1/N) Σ_i l(y_i − z_iᵀβ), l(r) = r²/2 for |r| < 1, |r| − 1/2 otherwise (seed (10)), Z 50 × 200 and
    y 50 × 1 with entries U[−1, 1] rounded to 2 decimals (``RegressionData.random(50, 200, 2024)``), β_0 ~
    U[−1, 1] (2 decimals, seed 2025). NDGM β_{k+1} = β_k − α∇L7(β_k) (seed (2)) at α = 0.1 and α = 10.
    Claim: ‖β_k − β*‖ ≤ R for every k, R² = max(‖β_0 − β*‖², D² + α²G²) (SPEC §4.2; the induction is in
    :mod:`dlnsmooth.dynamics.stability`).
Method
    β* = β_0 + Zᵀ(ZZᵀ)⁻¹(y − Zβ_0) exactly (checked: Zβ* = y, β* − β_0 in the row space); the eigenvalues of ZZᵀ
    enclosed from its exact characteristic polynomial give G² = λ_max/N and D² = h(Nc)/λ_min, c = αG²/2
    (exact rationals). Each run (``HUBER_STEPS`` steps) is shadowed in ball arithmetic (exact centres and a
    proved radius); at every step ‖β_k − β*‖ ≤ R, the one-step inequality ‖β_{k+1} − β*‖² ≤ ‖β_k − β*‖² −
    2α(f(β_k) − f*) + α²G² and ‖∇L7(β_k)‖ ≤ G are decided on the enclosures.
    Negative controls that must come out the other way: (a) (L/2)β² (unbounded gradient): the envelope is
    refused, and GD at α = 3 > 2/L, computed exactly, leaves the envelope one would get by taking G = |f′(β_0)|;
    (b) min(|β − 1|, 1/2 + |β + 1|) (bounded subgradient, non-convex): refused, and its exact NDGM run leaves the
    would-be envelope; (c) G halved: the gradient bound (and at α = 10 the one-step inequality) must fail
    somewhere — the envelope itself stays satisfied, R being far from tight; (d) R² = ‖β_0 − β*‖² (the D term
    dropped): the α = 10 run must leave it (the distance to β* does grow at large steps).
Guarantee
    For these data and K steps: every iterate proved inside the envelope (ball arithmetic). The envelope holds
    for all k by the induction; the run corroborates it and exercises every bound it uses.
References
    Seed 003 §5 (Prop 5.1, eq. (10), Figure 4), App. D.1; SPEC §4.2.
Example
    ``python -m proofs.kumar_5_1 [--json]`` or ``dlnsmooth verify kumar-5.1``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from flint import fmpq, fmpq_mat

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.stability import (
    HUBER_SEED,
    HUBER_STEPS,
    Envelope,
    EnvelopeCheck,
    HuberRun,
    PremiseFails,
    ScaledSquare,
    SpectrumBounds,
    TwoWells,
    check_envelope,
    envelope,
    exact_descent_run,
    huber_envelope,
    huber_study,
)
from dlnsmooth.report import ClaimReport

from ._runner import run_main

__all__ = ["NAME", "TITLE", "Control", "StabilityResult", "compute", "render", "verify", "main",
           "square_control", "two_wells_control"]

NAME = "kumar-5.1"
TITLE = "Seed 003 Prop 5.1 — NDGM on the Huber loss (10) stays inside an explicit envelope at α = 0.1 and α = 10"


@dataclass
class Control:
    """A negative control: the premise refused (``refused``, its message) and the exact run leaving the would-be
    envelope (``leaves_at``: first k with (β_k − β*)² > R², None if it never does within the run)."""

    label: str
    refused: bool
    message: str
    would_be_R_sq: Fraction
    leaves_at: int | None
    path: list[Fraction]


@dataclass
class StabilityResult:
    data: RegressionData
    beta0: list[Fraction]
    beta_star: list[Fraction]
    star_solves: bool
    star_in_rowspace: bool
    spectrum: SpectrumBounds
    runs: list[tuple[HuberRun, Envelope, EnvelopeCheck]] = field(default_factory=list)
    halved: list[EnvelopeCheck] = field(default_factory=list)
    no_D: list[EnvelopeCheck] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    seconds: float = 0.0


class _Pretend:
    """The premise as a careless user would state it (for the would-be envelopes of the controls)."""

    convex = True

    def __init__(self, name: str, bound: Fraction) -> None:
        self.name, self.bound = name, bound

    def subgradient_bound(self) -> Fraction:
        return self.bound


def _leaves(path: Sequence[Fraction], star: Fraction, R_sq: Fraction) -> int | None:
    return next((k for k, b in enumerate(path) if (b - star) ** 2 > R_sq), None)


def _refusal(objective: object, alpha: Fraction) -> tuple[bool, str]:
    try:
        envelope(objective, alpha, Fraction(0), lambda level: Fraction(0))
    except PremiseFails as exc:
        return True, str(exc)
    return False, "an envelope was stated"


def square_control(L: Fraction = Fraction(1), alpha: Fraction = Fraction(3), beta0: Fraction = Fraction(1),
                   steps: int = 8) -> Control:
    """(a) f = (L/2)β², β* = 0: refused; with G := |f′(β_0)| = L|β_0| the sublevel set {f < αG²/2} has radius
    D² = αG²/L, and GD β_k = (1 − αL)^k β_0 (exact) leaves R² = max(β_0², D² + α²G²) when |1 − αL| > 1."""
    objective = ScaledSquare(L)
    refused, message = _refusal(objective, alpha)
    G = L * abs(beta0)
    would_be = envelope(_Pretend("(L/2)β² with G = |f′(β_0)|", G), alpha, beta0 ** 2, lambda level: 2 * level / L)
    path = exact_descent_run(objective, alpha, beta0, steps)
    return Control("(L/2)β², α = 3 > 2/L", refused, message, would_be.R_sq, _leaves(path, Fraction(0), would_be.R_sq),
                   path)


def two_wells_control(alpha: Fraction = Fraction(1, 10), beta0: Fraction = Fraction(-2, 3), steps: int = 12) -> Control:
    """(b) f = min(|β − 1|, 1/2 + |β + 1|), β* = 1, f* = 0, G = 1: refused (not convex); treated as convex, the
    sublevel set {f < c} (c ≤ 1/2) is (1 − c, 1 + c), D = c, and NDGM from the other well leaves
    R² = max((β_0 − 1)², c² + α²)."""
    objective = TwoWells()
    refused, message = _refusal(objective, alpha)
    would_be = envelope(_Pretend("two wells treated as convex", Fraction(1)), alpha, (beta0 - 1) ** 2,
                        lambda level: level ** 2)
    path = exact_descent_run(objective, alpha, beta0, steps)
    return Control("min(|β − 1|, 1/2 + |β + 1|), α = 1/10", refused, message, would_be.R_sq,
                   _leaves(path, Fraction(1), would_be.R_sq), path)


def _star_checks(data: RegressionData, beta0: Sequence[Fraction], star: Sequence[Fraction]) -> tuple[bool, bool]:
    """Zβ* = y (plain Fractions, independent of the solver) and rank [Zᵀ | β* − β_0] = N (β* − β_0 ∈ rowspace)."""
    solves = all(sum((z * b for z, b in zip(row, star)), Fraction(0)) == yi for row, yi in zip(data.Z, data.y))
    columns = [[row[j] for row in data.Z] + [star[j] - beta0[j]] for j in range(data.columns)]
    stacked = fmpq_mat([[fmpq(v.numerator, v.denominator) for v in row] for row in columns])
    return solves, stacked.rank() == data.rows


def compute(*, steps: int = HUBER_STEPS, progress: bool | None = False) -> StabilityResult:
    """Data, β*, spectrum, the two shadowed runs with their envelope checks, the mutants and the controls."""
    started = time.perf_counter()
    study = huber_study(steps=steps, progress=progress)
    data, beta0, star, spectrum = study.data, study.beta0, study.beta_star, study.spectrum
    solves, in_rowspace = _star_checks(data, beta0, star)
    result = StabilityResult(data, beta0, star, solves, in_rowspace, spectrum, runs=study.runs)
    for run, env, _ in study.runs:
        result.halved.append(check_envelope(run, huber_envelope(data, beta0, star, env.alpha, spectrum, G_sq=env.G_sq / 4)))
        no_D = Envelope(env.alpha, env.G_sq, env.level, env.start_sq, Fraction(0), env.start_sq)
        result.no_D.append(check_envelope(run, no_D))
    result.controls = [square_control(), two_wells_control()]
    result.seconds = time.perf_counter() - started
    return result


def _f(x: Fraction) -> str:
    return f"{float(x):.6g}"


def render(result: StabilityResult) -> ClaimReport:
    """The claim report of a computed :class:`StabilityResult`."""
    data, spectrum = result.data, result.spectrum
    report = ClaimReport(
        name=NAME, title=TITLE,
        claim="constant-step NDGM on a convex loss with subgradients bounded by G never diverges, for any α "
              "(seed 003 Prop 5.1); shown for the Huber loss (10) at α = 0.1 and α = 10",
        statement="‖β_k − β*‖² ≤ R² = max(‖β_0 − β*‖², D² + α²G²) for every k, D the radius of "
                  "{β ∈ β_0 + rowspace(Z) : f(β) − f* < αG²/2}",
        method="exact β* (fmpq solve), eigenvalue enclosures of ZZᵀ from its exact characteristic polynomial, "
               "exact G², D², R²; shadowed ball-arithmetic runs with every step's distance, one-step inequality "
               "and gradient bound decided; exact negative controls",
        evidence_kind="instances checked in ball arithmetic against an envelope proved by induction (exact bounds)")
    report.seconds = result.seconds
    report.sections.append(("Data", [
        f"Z {data.rows} × {data.columns}, y {data.rows} × 1 ~ U[−1, 1] (2 decimals), RegressionData.random(seed "
        f"{HUBER_SEED}); β_0 ~ U[−1, 1] (2 decimals, seed {HUBER_SEED + 1})",
        f"λ_min(ZZᵀ) ≥ {_f(spectrum.lower)}, λ_max(ZZᵀ) ≤ {_f(spectrum.upper)} (enclosed roots of the exact "
        "characteristic polynomial)",
        f"β* = β_0 + Zᵀ(ZZᵀ)⁻¹(y − Zβ_0): Zβ* = y exactly: {result.star_solves}; β* − β_0 in rowspace(Z): "
        f"{result.star_in_rowspace}; ‖β_0 − β*‖ = {float(result.runs[0][1].start_sq) ** 0.5:.6g}"]))
    lines = []
    for run, env, _ in result.runs:
        final = run.steps[-1]
        lines.append(f"α = {env.alpha}: G² = {_f(env.G_sq)}, c = αG²/2 = {_f(env.level)}, D = {float(env.D_sq) ** 0.5:.6g}, "
                     f"R = {float(env.R_sq) ** 0.5:.6g}; {len(run.steps) - 1} steps in {run.seconds:.2f} s, "
                     f"max ‖β_k − β*‖ ≤ {run.max_distance:.6g}, final loss ≈ {final.loss_float:.4g}, "
                     f"max radius {run.max_radius:.2g}")
    report.sections.append(("Runs (ball arithmetic, shadowed)", lines))
    report.add_check("β* is the minimiser on the affine set", result.star_solves and result.star_in_rowspace,
                     "Zβ* = y exactly (f* = 0) and β* − β_0 ∈ rowspace(Z)")
    report.add_check("premise: λ_min(ZZᵀ) > 0 proved", spectrum.lower > 0,
                     f"λ_min ≥ {_f(spectrum.lower)} (Z of full row rank: the sublevel set on the affine set is bounded)")
    for run, env, check in result.runs:
        where = f" (first failure: {check.first_failure[0]} at k = {check.first_failure[1]})" if check.first_failure else ""
        report.add_check(f"α = {env.alpha}: every iterate inside the envelope", check.inside,
                         f"‖β_k − β*‖ ≤ {run.max_distance:.6g} ≤ R = {float(env.R_sq) ** 0.5:.6g} "
                         f"for k ≤ {len(run.steps) - 1}{where}")
        report.add_check(f"α = {env.alpha}: one-step inequality at every step", check.one_step,
                         f"‖β_(k+1) − β*‖² ≤ ‖β_k − β*‖² − 2α f(β_k) + α²G² decided on the enclosures{where}")
        report.add_check(f"α = {env.alpha}: ‖∇L7(β_k)‖ ≤ G at every step", check.gradient_bounded,
                         f"G = √(λ_max/N) ≈ {float(env.G_sq) ** 0.5:.6g}{where}")
    for control in result.controls:
        leaves = control.leaves_at is not None
        report.add_check(f"negative control: {control.label}", control.refused and leaves,
                         f"refused: {control.message}; exact run leaves the would-be R = "
                         f"{float(control.would_be_R_sq) ** 0.5:.6g} at k = {control.leaves_at} "
                         f"(β_k = {control.path[control.leaves_at] if leaves else '—'})")
    fails = [c.holds is False for c in result.halved]
    report.add_check("mutant: G halved must fail", all(fails),
                     "; ".join(f"α = {c.envelope.alpha}: inside {c.inside}, one-step {c.one_step}, gradient ≤ G "
                               f"{c.gradient_bounded} (first failure {c.first_failure})" for c in result.halved)
                     + " — the envelope itself is not tight, so only the bounds it is built from can fail")
    large = result.no_D[-1]
    report.add_check("mutant: D dropped (R = ‖β_0 − β*‖) must fail at α = 10", large.inside is False,
                     f"first failure {large.first_failure}: the distance to β* grows at α = 10")
    return report


def verify(*, progress: bool | None = False, steps: int = HUBER_STEPS) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute(steps=steps, progress=progress))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
