"""Seed 003, Prop B.1: NDGM on λ‖β‖₁ reaches 0 in a coordinate iff β0[k] is an integer multiple of αλ.

Problem
    The toy LASSO L3(β) = λ‖β‖₁ (seed eq. (7)) under NDGM with a constant step α and sign(0) = 0 (seed eq. (11)):
    β_i[k] = β_{i−1}[k] − αλ·sign(β_{i−1}[k]). Claim: some β_i[k] = 0 iff β0[k]/(αλ) is an integer, and then first
    at step i = |β0[k]|/(αλ), after which it stays 0.
Method
    A symbolic proof (:func:`dlnsmooth.dynamics.toy_lasso.prove_zero_invariant`: β_i − β_0 ∈ αλ·Z, so a zero forces
    a multiple; a multiple M·αλ decreases by αλ while positive and 0 is a fixed point), and for random rational
    inputs (several α, λ; coordinates half multiples of αλ, half uniform rationals in [−1, 1]) an exact run of the
    engine (:func:`~dlnsmooth.dynamics.trajectory.iterate`, ToyLasso + Subgradient) observed at every step until it
    proves its eventual cycle: a coordinate "ever reaches 0" iff it is 0 at an observed step — the steps after the
    cycle repeat the observed ones. Each coordinate's observed answer and first zero step are compared with the
    exact decision :func:`~dlnsmooth.dynamics.toy_lasso.reaches_zero` / :func:`~dlnsmooth.dynamics.toy_lasso.zero_step`,
    in both directions (multiples and non-multiples each present). Negative control: the wrong rule "a multiple of
    2αλ" must disagree with the iteration on some coordinate (an odd multiple).
Guarantee
    The symbolic proof covers every α, λ > 0 and every start; the exact runs confirm the decision rule on the inputs
    drawn (no rounding anywhere). The probability-0 statement for uniform starts (the multiples are countable) is
    the seed's measure argument, not computed here.
References
    Seed 003 App. B.1 (Prop B.1, eqs. (11)–(12)); SPEC §4.2.
Example
    ``python -m proofs.kumar_b1 [--json]`` or ``dlnsmooth verify kumar-b1``.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from dlnsmooth.dynamics.toy_lasso import (
    ObservedRun,
    ProofStep,
    ndgm_run,
    proof_holds,
    prove_zero_invariant,
    random_starts,
    reaches_zero,
    step_length,
    zero_step,
)
from dlnsmooth.report import ClaimReport

from ._runner import run_main

__all__ = ["NAME", "TITLE", "CASES", "COORDINATES", "Case", "CaseOutcome", "B1Result", "draw_start",
           "check_case", "wrong_rule", "compute", "render", "verify", "main"]

NAME = "kumar-b1"
TITLE = "Seed 003, Prop B.1: NDGM on λ‖β‖₁ reaches 0 in a coordinate iff β0[k] is a multiple of αλ"

#: coordinates per random case
COORDINATES = 60


@dataclass(frozen=True)
class Case:
    """One random input: step α, penalty λ, the seed of the draw of β0."""

    alpha: Fraction
    lam: Fraction
    seed: int


CASES: tuple[Case, ...] = (
    Case(Fraction(1, 100), Fraction(1), 1),
    Case(Fraction(3, 200), Fraction(1, 2), 2),
    Case(Fraction(1, 40), Fraction(7, 5), 3),
    Case(Fraction(7, 300), Fraction(3), 4),
)


def draw_start(case: Case, coordinates: int = COORDINATES) -> list[Fraction]:
    """β0: half integer multiples j·αλ (|j| ≤ 1/(αλ), j = 0 included), half uniform rationals j/10⁴ in [−1, 1],
    shuffled (seeded by ``case.seed``)."""
    rng = random.Random(case.seed)
    c = step_length(case.alpha, case.lam)
    top = int(1 / c)
    multiples = [c * rng.randint(-top, top) for _ in range(coordinates // 2)]
    others = random_starts(rng, coordinates - len(multiples))
    start = multiples + others
    rng.shuffle(start)
    return start


@dataclass(frozen=True)
class CaseOutcome:
    """The comparison on one case: per coordinate (decided exactly, observed in the run)."""

    case: Case
    beta0: tuple[Fraction, ...]
    decided: tuple[bool, ...]
    decided_steps: tuple[int | None, ...]
    observed_steps: tuple[int | None, ...]
    stays_zero: tuple[bool, ...]
    stopped: str
    steps_done: int

    @property
    def observed(self) -> tuple[bool, ...]:
        return tuple(s is not None for s in self.observed_steps)

    @property
    def multiples(self) -> int:
        return sum(self.decided)

    @property
    def agree(self) -> bool:
        """Rule = iteration on every coordinate (the answer and the first zero step), the run ended on a proved
        cycle, and every coordinate that reached 0 is 0 in every cycle state."""
        return (self.stopped == "cycle" and self.decided == self.observed
                and self.decided_steps == self.observed_steps
                and all(z for z, d in zip(self.stays_zero, self.decided) if d))


def _cycle_zeros(run: ObservedRun) -> tuple[bool, ...]:
    cycle = run.cycle
    if cycle is None:
        return tuple(False for _ in run.states[0])
    return tuple(all(state[k] == 0 for state in cycle.states) for k in range(len(run.states[0])))


def check_case(case: Case, *, decide: Callable[[Fraction, Fraction, Fraction], bool] | None = None,
               coordinates: int = COORDINATES) -> CaseOutcome:
    """Run the engine on the case and compare every coordinate with ``decide`` (default: Prop B.1's rule,
    :func:`~dlnsmooth.dynamics.toy_lasso.reaches_zero`)."""
    decide = reaches_zero if decide is None else decide
    beta0 = draw_start(case, coordinates)
    steps = 4 * int(1 / step_length(case.alpha, case.lam)) + 10
    run = ndgm_run(beta0, case.alpha, case.lam, steps=steps)
    observed = tuple(run.first_zero(k) for k in range(len(beta0)))
    return CaseOutcome(case, tuple(beta0), tuple(bool(decide(b, case.alpha, case.lam)) for b in beta0),
                       tuple(zero_step(b, case.alpha, case.lam) for b in beta0), observed, _cycle_zeros(run),
                       run.trajectory.stopped, run.trajectory.steps_done)


def wrong_rule(b0: Fraction, alpha: Fraction, lam: Fraction) -> bool:
    """The deliberately wrong rule of the negative control: "b0 is an integer multiple of 2αλ"."""
    return (b0 / (2 * alpha * lam)).denominator == 1


@dataclass(frozen=True)
class B1Result:
    """The symbolic proof, the random cases, the negative control."""

    proof: tuple[ProofStep, ...]
    outcomes: tuple[CaseOutcome, ...]
    control: tuple[CaseOutcome, ...]
    seconds: float


def compute(*, cases: Sequence[Case] = CASES, coordinates: int = COORDINATES) -> B1Result:
    """The proof, each case checked against Prop B.1's rule and against the wrong rule."""
    start = time.perf_counter()
    outcomes = tuple(check_case(c, coordinates=coordinates) for c in cases)
    control = tuple(check_case(c, decide=wrong_rule, coordinates=coordinates) for c in cases)
    return B1Result(tuple(prove_zero_invariant()), outcomes, control, time.perf_counter() - start)


def _claim() -> ClaimReport:
    return ClaimReport(
        name=NAME, title=TITLE,
        claim="NDGM with a constant step α on L3(β) = λ‖β‖₁ (sign(0) = 0) drives a coordinate to 0 iff β0[k] is an "
              "integer multiple of αλ; it then reaches 0 at step |β0[k]|/(αλ) and stays there",
        statement="β_i[k] − β0[k] ∈ αλ·Z for every i; β0[k] = M·αλ ⇒ β_|M|[k] = 0 = β_i[k] for i ≥ |M|",
        method="symbolic proof (SymPy identities and sign facts) + exact engine runs on random rational inputs, "
               "every coordinate compared with the exact rule both ways; negative control: the rule 'multiple of 2αλ'",
        evidence_kind="identity verified symbolically; instances checked exactly (rational arithmetic, proved cycles)")


def render(result: B1Result) -> ClaimReport:
    """The claim report of a computed :class:`B1Result`."""
    report = _claim()
    report.sections.append(("Symbolic proof (c = αλ)", [f"[{'ok' if s.holds else 'FAILED'}] ({s.kind}) {s.statement}"
                                                       for s in result.proof]))
    report.add_check("symbolic proof: every identity and sign fact holds", proof_holds(result.proof),
                     f"{len(result.proof)} steps")
    lines = []
    for o in result.outcomes:
        lines.append(f"α = {o.case.alpha}, λ = {o.case.lam}: {len(o.beta0)} coordinates, {o.multiples} multiples of "
                     f"αλ, run stopped on '{o.stopped}' after {o.steps_done} steps; rule = iteration: {o.agree}")
        report.add_check(f"α = {o.case.alpha}, λ = {o.case.lam}: the exact rule matches the iteration on every "
                         "coordinate (answer, first zero step, stays 0)", o.agree,
                         f"{o.multiples} reach 0, {len(o.beta0) - o.multiples} never do; cycle proved at step "
                         f"{o.steps_done}")
    report.sections.append(("Exact runs (random rational inputs)", lines))
    both = sum(o.multiples for o in result.outcomes) > 0 and any(o.multiples < len(o.beta0) for o in result.outcomes)
    report.add_check("both directions exercised: coordinates that reach 0 and coordinates that never do", both,
                     f"{sum(o.multiples for o in result.outcomes)} multiples, "
                     f"{sum(len(o.beta0) - o.multiples for o in result.outcomes)} non-multiples")
    disagreements = sum(sum(d != s for d, s in zip(o.decided, o.observed)) for o in result.control)
    report.add_check("negative control: the wrong rule 'multiple of 2αλ' disagrees with the iteration",
                     disagreements > 0 and not any(o.agree for o in result.control),
                     f"{disagreements} coordinates where the wrong rule and the iteration differ")
    report.sections.append(("Not covered here", [
        "the probability-0 statement for uniform β0 (the multiples of αλ are countable): the seed's measure argument"]))
    report.seconds = result.seconds
    return report


def verify(*, progress: bool | None = False) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute())


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
