"""Seed 003's 2-D example (SPEC §4.2): the larger LASSO penalty ends NDGM with the larger ‖β‖₁.

Problem
    NDGM on L3(β) = λ‖β‖₁ from β0 = [0.5053, 0.5053] with α = 0.01 (seed §4, below Prop 4.1). The seed states:
    λ = 1 → the iterates oscillate between [0.0053, 0.0053] and [−0.0047, −0.0047]; λ = 100 → between
    [0.5053, 0.5053] and [−0.4947, −0.4947]; so at "convergence" ‖β‖₁ ≤ 0.0106 for λ = 1 but ≥ 0.9894 for λ = 100.
    Reducing the step to α = 0.001 after apparent convergence: λ = 1 → {[0.0003, 0.0003], [−0.0007, −0.0007]},
    λ = 100 → {[0.0053, 0.0053], [−0.0947, −0.0947]}.
Method
    Exact runs of the engine (ToyLasso + Subgradient, rational arithmetic) until the cycle is proved (an exact repeat
    of the state); each proved cycle is compared exactly with the seed's values (typed here from the seed as the
    claim's statement) and with the closed forms of Prop 4.1 (:func:`dlnsmooth.dynamics.toy_lasso.toy_lasso_cycle`).
    The seed does not say from which cycle state it continued with α = 0.001: both are run; they give the same cycle
    (the old αλ is a multiple of the new one, so both states have the same remainder mod the new αλ).
    Negative control: typed-in wrong cycles (the λ = 1 cycle claimed for λ = 100, and [0.0047, 0.0047] for 0.0053)
    must not match the computed cycles.
Guarantee
    Exact: every number is a rational and every cycle an exact repeat of the state.
References
    Seed 003 §4 (the example after Prop 4.1, eq. (9)); SPEC §4.2.
Example
    ``python -m proofs.kumar_example [--json]`` or ``dlnsmooth verify kumar-example``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from dlnsmooth.dynamics.toy_lasso import ndgm_run, toy_lasso_cycle
from dlnsmooth.numbers import decimal_text
from dlnsmooth.report import ClaimReport

from ._runner import run_main

__all__ = ["NAME", "TITLE", "BETA0", "ALPHA", "SMALL_ALPHA", "SEED_CYCLES", "SEED_FOLLOW_UP", "WRONG_CYCLES",
           "Run", "ExampleResult", "run_to_cycle", "same_cycle", "compute", "render", "verify", "main"]

NAME = "kumar-example"
TITLE = "Seed 003's 2-D example: NDGM on λ‖β‖₁ from [0.5053, 0.5053] — λ = 100 ends with the larger ‖β‖₁"

F = Fraction
BETA0 = (F("0.5053"), F("0.5053"))
ALPHA = F("0.01")
SMALL_ALPHA = F("0.001")


def _pair(a: str, b: str) -> frozenset[tuple[Fraction, ...]]:
    return frozenset({(F(a), F(a)), (F(b), F(b))})


#: the cycles the seed states for α = 0.01 (λ → the two states)
SEED_CYCLES = {F(1): _pair("0.0053", "-0.0047"), F(100): _pair("0.5053", "-0.4947")}
#: the cycles the seed states after reducing α to 0.001
SEED_FOLLOW_UP = {F(1): _pair("0.0003", "-0.0007"), F(100): _pair("0.0053", "-0.0947")}
#: the seed's bounds on ‖β‖₁ at "convergence": at most 0.0106 (λ = 1), at least 0.9894 (λ = 100)
SEED_L1_BOUNDS = (F("0.0106"), F("0.9894"))
#: negative control: (label, λ, α, start, wrong cycle) that must NOT match the computed cycle
WRONG_CYCLES = (
    ("the λ = 1 cycle claimed for λ = 100", F(100), ALPHA, BETA0, SEED_CYCLES[F(1)]),
    ("[0.0047, 0.0047] instead of [0.0053, 0.0053] for λ = 1", F(1), ALPHA, BETA0, _pair("0.0047", "-0.0047")),
)


@dataclass(frozen=True)
class Run:
    """One exact run to its proved cycle, with the closed form's cycle for comparison."""

    lam: Fraction
    alpha: Fraction
    beta0: tuple[Fraction, ...]
    stopped: str
    enters_at: int | None
    states: tuple[tuple[Fraction, ...], ...]
    closed_states: tuple[tuple[Fraction, ...], ...]
    closed_enters_at: int

    @property
    def cycle(self) -> frozenset[tuple[Fraction, ...]]:
        return frozenset(self.states)

    @property
    def proved(self) -> bool:
        return self.stopped == "cycle" and len(self.states) == 2

    @property
    def matches_closed_form(self) -> bool:
        return self.states == self.closed_states and self.enters_at == self.closed_enters_at

    @property
    def norms1(self) -> tuple[Fraction, ...]:
        return tuple(sum((abs(v) for v in s), Fraction(0)) for s in self.states)

    def text(self) -> str:
        states = ", ".join("[" + ", ".join(decimal_text(v) for v in s) + "]" for s in self.states)
        return (f"β0 = [{', '.join(decimal_text(v) for v in self.beta0)}], α = {decimal_text(self.alpha)}, "
                f"λ = {decimal_text(self.lam)}: cycle {{{states}}} entered at step {self.enters_at} "
                f"({self.stopped}), ‖β‖₁ on it {', '.join(decimal_text(n) for n in self.norms1)}")


def run_to_cycle(beta0: Sequence[Fraction], alpha: Fraction, lam: Fraction) -> Run:
    """The engine's exact run from ``beta0`` to its proved cycle, next to the closed form."""
    observed = ndgm_run(beta0, alpha, lam, steps=4 * int(max(abs(b) for b in beta0) / (alpha * lam)) + 10)
    cycle = observed.cycle
    closed = toy_lasso_cycle(beta0, alpha, lam)
    states = tuple(tuple(s) for s in cycle.states) if cycle is not None else ()
    return Run(lam, alpha, tuple(beta0), observed.trajectory.stopped, None if cycle is None else cycle.enters_at,
               states, closed.states, closed.enters_at)


def same_cycle(run: Run, expected: frozenset[tuple[Fraction, ...]]) -> bool:
    """The run proved a cycle whose set of states is exactly ``expected``."""
    return run.proved and run.cycle == expected


@dataclass(frozen=True)
class ExampleResult:
    """The two runs at α = 0.01, the follow-up runs at α = 0.001 from each cycle state, the control runs."""

    runs: dict[Fraction, Run]
    follow_ups: dict[Fraction, tuple[Run, ...]]
    controls: tuple[tuple[str, Run, frozenset], ...]
    seconds: float


def compute() -> ExampleResult:
    """Every run of the example."""
    start = time.perf_counter()
    runs = {lam: run_to_cycle(BETA0, ALPHA, lam) for lam in SEED_CYCLES}
    follow = {lam: tuple(run_to_cycle(state, SMALL_ALPHA, lam) for state in runs[lam].states) for lam in SEED_CYCLES}
    controls = tuple((label, run_to_cycle(b, a, lam), wrong) for label, lam, a, b, wrong in WRONG_CYCLES)
    return ExampleResult(runs, follow, controls, time.perf_counter() - start)


def _claim() -> ClaimReport:
    return ClaimReport(
        name=NAME, title=TITLE,
        claim="NDGM on λ‖β‖₁ from β0 = [0.5053, 0.5053], α = 0.01 ends in {[0.0053, 0.0053], [−0.0047, −0.0047]} for "
              "λ = 1 and in {[0.5053, 0.5053], [−0.4947, −0.4947]} for λ = 100 (‖β‖₁ ≤ 0.0106 vs ≥ 0.9894); with α "
              "reduced to 0.001 afterwards, {[0.0003, 0.0003], [−0.0007, −0.0007]} and {[0.0053, 0.0053], "
              "[−0.0947, −0.0947]}",
        statement="the proved cycles of the exact iteration equal the seed's pairs of states exactly",
        method="exact engine runs (rational arithmetic) to a proved cycle, compared with the seed's values and the "
               "closed forms of Prop 4.1; negative control: wrong typed cycles must not match",
        evidence_kind="instances checked exactly (rational arithmetic, proved cycles)")


def render(result: ExampleResult) -> ClaimReport:
    """The claim report of a computed :class:`ExampleResult`."""
    report = _claim()
    lines = [run.text() for run in result.runs.values()]
    for lam, run in result.runs.items():
        report.add_check(f"λ = {lam}, α = 0.01: the proved cycle is the seed's", same_cycle(run, SEED_CYCLES[lam]),
                         run.text())
        report.add_check(f"λ = {lam}, α = 0.01: engine cycle = closed form (γ_k, N0, states)", run.matches_closed_form,
                         f"N0 = {run.enters_at} (closed form {run.closed_enters_at})")
    small, large = result.runs[F(1)], result.runs[F(100)]
    at_most, at_least = SEED_L1_BOUNDS
    paradox = (small.proved and large.proved and max(small.norms1) <= at_most and min(large.norms1) >= at_least
               and min(large.norms1) > max(small.norms1))
    report.add_check("‖β‖₁ on the cycle: at most 0.0106 for λ = 1, at least 0.9894 for λ = 100 (the larger penalty "
                     "ends larger)", paradox,
                     f"λ = 1: max {decimal_text(max(small.norms1, default=0))}; λ = 100: min "
                     f"{decimal_text(min(large.norms1, default=0))}")
    for lam, runs in result.follow_ups.items():
        lines.extend(f"continued with α = 0.001 from {run.text()}" for run in runs)
        report.add_check(f"λ = {lam}: α reduced to 0.001 from either cycle state gives the seed's cycle",
                         len(runs) == 2 and all(same_cycle(r, SEED_FOLLOW_UP[lam]) and r.matches_closed_form
                                                for r in runs),
                         "; ".join(f"from [{', '.join(decimal_text(v) for v in r.beta0)}]: "
                                   f"{'seed cycle' if same_cycle(r, SEED_FOLLOW_UP[lam]) else 'DIFFERENT'}"
                                   for r in runs))
    report.sections.append(("Exact runs", lines))
    for label, run, wrong in result.controls:
        report.add_check(f"negative control: {label} does not match", run.proved and not same_cycle(run, wrong),
                         f"computed {run.text()}")
    report.seconds = result.seconds
    return report


def verify(*, progress: bool | None = False) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute())


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
