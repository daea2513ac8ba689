"""Seed 003, Prop B.3: heavy-ball momentum on λ‖β‖₁ jumps away from 0, while NDGM stays there (Table 1).

Problem
    Momentum in the seed's form (16) on L3(β) = λ‖β‖₁ (sign(0) = 0): β_{N+1} = β_N − α(1−η)·λ·sign(β_N) +
    η(β_N − β_{N−1}), β_{−1} = β_0. Claim: if β_N[k] = 0 and β_{N−1}[k] ≠ 0 then β_{N+1}[k] = −η·β_{N−1}[k] ≠ 0 (seed
    eq. (17)). Contrast (Table 1): under NDGM a coordinate that reaches 0 stays 0 forever.
Method
    The identity as a SymPy computation with η > 0 and β_{N−1} ≠ 0
    (:func:`dlnsmooth.dynamics.toy_lasso.prove_momentum_leaves_zero`). Then starts that hit 0 exactly are found by a
    small exact search (:func:`~dlnsmooth.dynamics.toy_lasso.momentum_zero_starts`: with β_{−1} = β_0 the iterates
    are β_0 − α(1−η)λ·P_N(η), so the candidates are α(1−η)λ·j/grid) and run through the engine's exact
    ``Momentum``: at each hit N, β_N[k] = 0, β_{N−1}[k] ≠ 0 and β_{N+1}[k] = −η·β_{N−1}[k] ≠ 0, exactly. The contrast:
    the engine's NDGM from multiples of αλ reaches 0 and its proved cycle holds 0 there (it stays forever).
    Negative control: η = 0 (momentum without memory is NDGM with step α): a coordinate that hits 0 stays 0, so
    "leaves 0" must fail.
Guarantee
    The identity holds for every α, λ, η > 0 and β_{N−1} ≠ 0; the runs are exact (rational arithmetic).
References
    Seed 003 App. B.3.2 (Prop B.3, eqs. (16)–(17)), Table 1; SPEC §4.2.
Example
    ``python -m proofs.kumar_b3 [--json]`` or ``dlnsmooth verify kumar-b3``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from dlnsmooth.dynamics.methods import Momentum
from dlnsmooth.dynamics.objectives import ToyLasso
from dlnsmooth.dynamics.toy_lasso import (
    ProofStep,
    momentum_zero_starts,
    ndgm_run,
    observe_run,
    proof_holds,
    prove_momentum_leaves_zero,
    step_length,
)
from dlnsmooth.numbers import decimal_text
from dlnsmooth.report import ClaimReport

from ._runner import run_main

__all__ = ["NAME", "TITLE", "ALPHA", "LAM", "ETAS", "SEARCH_STEPS", "NDGM_MULTIPLES", "Hit", "MomentumRun",
           "momentum_hits", "ndgm_stays", "B3Result", "compute", "render", "verify", "main"]

NAME = "kumar-b3"
TITLE = "Seed 003, Prop B.3: momentum on λ‖β‖₁ leaves 0 (β_{N+1} = −ηβ_{N−1}); NDGM stays at 0"

ALPHA = Fraction(1, 10)
LAM = Fraction(1)
#: momentum factors (η, search grid: a multiple of η's denominator)
ETAS = ((Fraction(1, 2), 8), (Fraction(9, 10), 10))
#: steps of the search and of the engine runs
SEARCH_STEPS = 12
#: NDGM contrast: starts j·αλ
NDGM_MULTIPLES = (1, 3, 7, -4)


@dataclass(frozen=True)
class Hit:
    """A coordinate of the engine run that is 0 at step N: β_{N−1}, β_N, β_{N+1} there (exact)."""

    b0: Fraction
    step: int
    before: Fraction
    at: Fraction
    after: Fraction

    def leaves_zero(self, eta: Fraction) -> bool:
        """β_N = 0, β_{N−1} ≠ 0, β_{N+1} = −η·β_{N−1} ≠ 0."""
        return self.at == 0 and self.before != 0 and self.after == -eta * self.before and self.after != 0


@dataclass(frozen=True)
class MomentumRun:
    """The hits of one η: the search's (b0, N) pairs and what the engine's exact run shows at those steps."""

    eta: Fraction
    searched: tuple[tuple[Fraction, int], ...]
    hits: tuple[Hit, ...]

    @property
    def leaves(self) -> bool:
        """Every hit found by the search is a hit of the engine and leaves 0; at least one hit."""
        return bool(self.hits) and all(h.leaves_zero(self.eta) for h in self.hits)


def momentum_hits(eta: Fraction, starts: Sequence[tuple[Fraction, int]], *, alpha: Fraction = ALPHA,
                  lam: Fraction = LAM) -> tuple[Hit, ...]:
    """Run the engine's exact ``Momentum(α, η)`` on ToyLasso(λ) from all starts at once (one coordinate each) and read
    β_{N−1}, β_N, β_{N+1} of each coordinate at its hit step N."""
    if not starts:
        return ()
    beta0 = [b for b, _ in starts]
    last = max(n for _, n in starts) + 1
    run = observe_run(ToyLasso(lam, len(beta0)), Momentum(alpha, eta), beta0, steps=last, detect_cycle=False)
    s = run.states
    return tuple(Hit(b, n, s[n - 1][k], s[n][k], s[n + 1][k]) for k, (b, n) in enumerate(starts))


def ndgm_stays(multiples: Sequence[int] = NDGM_MULTIPLES, *, alpha: Fraction = ALPHA,
               lam: Fraction = LAM) -> tuple[bool, str]:
    """NDGM from j·αλ: the engine's proved cycle holds 0 in every such coordinate (it reached 0 and stays)."""
    c = step_length(alpha, lam)
    run = ndgm_run([j * c for j in multiples], alpha, lam, steps=4 * max(abs(j) for j in multiples) + 10)
    cycle = run.cycle
    stays = cycle is not None and all(v == 0 for state in cycle.states for v in state)
    zeros = [run.first_zero(k) for k in range(len(multiples))]
    return (stays and zeros == [abs(j) for j in multiples],
            f"starts j·αλ, j = {list(multiples)}: first 0 at steps {zeros}; proved cycle "
            f"{'(0, …, 0) of period ' + str(cycle.period) if stays else 'not all 0'} from step "
            f"{None if cycle is None else cycle.enters_at}")


@dataclass(frozen=True)
class B3Result:
    """The identity, the momentum runs per η, the NDGM contrast, the η = 0 control."""

    proof: tuple[ProofStep, ...]
    runs: tuple[MomentumRun, ...]
    ndgm: tuple[bool, str]
    control: MomentumRun
    seconds: float


def compute() -> B3Result:
    """Search, engine runs, contrast and control."""
    start = time.perf_counter()
    runs = []
    for eta, grid in ETAS:
        searched = tuple(momentum_zero_starts(ALPHA, LAM, eta, steps=SEARCH_STEPS, grid=grid))
        runs.append(MomentumRun(eta, searched, momentum_hits(eta, searched)))
    zero = Fraction(0)
    control_starts = tuple(momentum_zero_starts(ALPHA, LAM, zero, steps=SEARCH_STEPS, grid=1))
    control = MomentumRun(zero, control_starts, momentum_hits(zero, control_starts))
    return B3Result(tuple(prove_momentum_leaves_zero()), tuple(runs), ndgm_stays(), control,
                    time.perf_counter() - start)


def _claim() -> ClaimReport:
    return ClaimReport(
        name=NAME, title=TITLE,
        claim="heavy-ball momentum (seed (16), β_{−1} = β_0) on λ‖β‖₁: if β_N[k] = 0 and β_{N−1}[k] ≠ 0 then "
              "β_{N+1}[k] = −η·β_{N−1}[k] ≠ 0; NDGM keeps a coordinate at 0 once it gets there",
        statement="β_{N+1} = 0 − α(1−η)λ·sign(0) + η(0 − β_{N−1}) = −ηβ_{N−1}",
        method="SymPy identity with sign assumptions; exact search for starts hitting 0 and exact engine runs of "
               "Momentum at the hits; NDGM contrast (proved cycle at 0); negative control η = 0",
        evidence_kind="identity verified symbolically; instances checked exactly (rational arithmetic)")


def _hit_text(h: Hit) -> str:
    return (f"b0 = {decimal_text(h.b0)}: β_{h.step - 1} = {decimal_text(h.before)}, β_{h.step} = {decimal_text(h.at)}, "
            f"β_{h.step + 1} = {decimal_text(h.after)}")


def render(result: B3Result) -> ClaimReport:
    """The claim report of a computed :class:`B3Result`."""
    report = _claim()
    report.sections.append(("Symbolic proof", [f"[{'ok' if s.holds else 'FAILED'}] ({s.kind}) {s.statement}: "
                                               f"{s.detail}" for s in result.proof]))
    report.add_check("identity β_{N+1} = −ηβ_{N−1} ≠ 0 (SymPy)", proof_holds(result.proof), f"{len(result.proof)} steps")
    for run in result.runs:
        steps = sorted({h.step for h in run.hits})
        report.sections.append((f"Momentum η = {run.eta}, α = {ALPHA}, λ = {LAM}: starts hitting 0 exactly "
                                f"({len(run.hits)} found, at steps {steps})", [_hit_text(h) for h in run.hits[:6]]))
        report.add_check(f"η = {run.eta}: every start found hits 0 in the engine's exact run and leaves it "
                         "(β_{N+1} = −ηβ_{N−1} ≠ 0)", run.leaves,
                         f"{sum(h.leaves_zero(run.eta) for h in run.hits)}/{len(run.hits)} hits leave 0, "
                         f"hit steps {steps}")
    report.add_check("contrast: NDGM from multiples of αλ reaches 0 and stays (proved cycle)", *result.ndgm)
    stays = [h for h in result.control.hits if h.at == 0 and h.after == 0]
    report.add_check("negative control: with η = 0 a coordinate that hits 0 stays 0 ('leaves 0' fails)",
                     bool(result.control.hits) and not result.control.leaves and len(stays) == len(result.control.hits),
                     f"{len(stays)}/{len(result.control.hits)} hits stay at 0")
    report.seconds = result.seconds
    return report


def verify(*, progress: bool | None = False) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute())


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
