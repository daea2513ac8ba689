"""The ``dlnsmooth dynamics`` command: iterate a (sub)gradient method on a non-smooth loss and prove its cycle.

Usage::

    dlnsmooth dynamics lasso --beta0 0.5053,0.5053 --alpha 0.01 --lambda 1
        [--method subgradient|sgd|momentum|rmsprop] [--eta E] [--gamma G] [--eps E] [--batch B] [--sgd-seed S]
        [--steps K] [--dps D] [--time S] [--json] [--plot FILE]
    dlnsmooth dynamics huber|lasso-general (--data FILE | --random-data N,P --seed S) --alpha A
        [--lambda L] [--delta D] [--beta0 B1,…,BP | --random-start SEED] [...the same method options]

``lasso`` is the toy LASSO λ‖β‖₁ (seed (7)) in as many coordinates as ``--beta0`` has; ``huber`` the Huber
regression of seed (10) (δ = ``--delta``, default 1); ``lasso-general`` the general LASSO of seed (15).
Data files: :meth:`dlnsmooth.dynamics.data.RegressionData.from_file` (CSV with the response last, or JSON
``{"Z": …, "y": …}``); ``--random-data N,P --seed S``: :meth:`RegressionData.random` (2 decimals). Without
``--beta0`` the data problems start from ``--random-start SEED`` (uniform on [−1, 1], 2 decimals, from
``numpy.random.default_rng(SEED)``) or, without it, from β0 = 0.

The claim of the command is "the iteration is eventually periodic (an exact repeat of the state)". It
``holds`` when :func:`~dlnsmooth.dynamics.trajectory.iterate` proves a cycle (an exact repeat: exit 0); it is
``undecided`` otherwise — ball arithmetic (RMSProp, or exact numbers that grew too large), the step limit, the
time budget or an undecided kink — with the reason in ``notes`` (exit 4). Bad input exits 2 with one line.

Numbers in the output: an exact value whose decimal expansion terminates is printed exactly (``0.0053``,
``-0.0047``); any other exact value, and every ball, as its first :data:`DIGITS` significant digits followed by
``…`` (for a ball: its midpoint's digits, the ball's radius being below the last digit shown or the digits
being fewer); ``cycle.exact_states`` gives the exact values as ``p/q``.

JSON (``json_kind = "dynamics"``): ``problem`` {name, formula, dimension, parameters}, ``method`` {name,
recursion, parameters}, ``arithmetic``, ``steps``, ``stopped``, ``cycle`` (null or {states, exact_states,
enters_at, period, detected_at}), ``final``, ``final_l1``, ``final_loss``, ``verdict``, ``claim``, ``notes``,
``seconds``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
import numpy as np
from flint import arb

from ..errors import ParseError
from ..numbers import decimal_text
from ..plots import check_plot_target, new_figure
from ..precision import decimal_string, working_precision
from ..results import EXIT_STATUS_HELP, Result, exit_status
from .data import RegressionData, exact_fraction
from .methods import Method, Momentum, RMSProp, StochasticSubgradient, Subgradient
from .objectives import ExactVector, GeneralLasso, HuberRegression, NonsmoothObjective, ToyLasso
from .trajectory import MAX_STEPS, Trajectory, iterate

__all__ = ["add_parser", "run", "DynamicsResult", "decimal", "PROBLEMS", "METHODS", "CLAIM", "DIGITS"]

PROBLEMS = ("lasso", "huber", "lasso-general")
METHODS = ("subgradient", "sgd", "momentum", "rmsprop")
CLAIM = "the iteration is eventually periodic (an exact repeat of the state)"
#: Significant digits printed for a value that has no short exact decimal.
DIGITS = 20
#: Exact decimals longer than this are shortened to DIGITS digits and "…".
_LONGEST_EXACT = 40
#: Coordinates drawn in the plot, and shown per state in the text report.
_SHOWN = 6
DEFAULT_STEPS = 10_000
DEFAULT_TIME = 60.0
MAX_TIME = 86_400.0


def decimal(value: Fraction | arb) -> str:
    """The output form of a number (module docstring): exact terminating decimals in full, otherwise
    :data:`DIGITS` significant digits and ``…``."""
    if isinstance(value, arb):
        return _ball_decimal(value)
    value = Fraction(value)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        text = decimal_text(value)
        if len(text) <= _LONGEST_EXACT:
            return text
    with mp.workdps(DIGITS + 10):
        return decimal_string(mp.mpf(value.numerator) / value.denominator, DIGITS) + "…"


def _ball_decimal(value: arb) -> str:
    """A ball's correct leading digits and "…"; a ball too wide for one digit as ``[m +/- r]``."""
    if value.is_exact() and value.is_zero():
        return "0"
    if not value.is_finite() or value.rel_accuracy_bits() < 4:
        return value.str(5, radius=True)
    return value.str(DIGITS, radius=False) + "…"


@dataclass
class DynamicsResult(Result):
    """The outcome of ``dlnsmooth dynamics``: the trajectory and the verdict on :data:`CLAIM`."""

    problem: str
    trajectory: Trajectory
    notes: list[str] = field(default_factory=list)
    json_kind = "dynamics"

    @property
    def verdict(self) -> str:
        return "holds" if self.trajectory.cycle is not None else "undecided"

    def reasons(self) -> list[str]:
        run = self.trajectory
        notes = list(run.notes) + list(self.notes)
        if run.cycle is None:
            why = {"steps": f"no exact repeat within the {run.steps_done} steps computed",
                   "budget": "the time budget was spent before an exact repeat",
                   "kink": "a ball contained a kink of the subgradient: undecided at the precision cap",
                   "precision": "the balls lost accuracy at the precision cap",
                   "size": "the exact numbers grew beyond the size cap"}.get(run.stopped, run.stopped)
            if run.arithmetic == "ball":
                why += "; ball arithmetic cannot prove an exact repeat"
            notes.append(why)
        return notes

    def final_l1(self) -> Fraction | arb:
        run = self.trajectory
        if run.norms1:
            return run.norms1[-1]
        if run.arithmetic == "exact":
            return sum((abs(v) for v in run.final), Fraction(0))
        with working_precision(run.dps or 50):
            return sum((abs(v) for v in run.final), arb(0))

    def final_loss(self) -> Fraction | arb:
        run = self.trajectory
        if run.losses:
            return run.losses[-1]
        if run.arithmetic == "exact":
            return run.objective.value(run.final)
        with working_precision(run.dps or 50):
            return run.objective.ball_value(run.final)

    def to_json(self) -> dict:
        run = self.trajectory
        objective, method = run.objective, run.method
        cycle = None
        if run.cycle is not None:
            cycle = {"states": [[decimal(v) for v in state] for state in run.cycle.states],
                     "exact_states": [[str(v) for v in state] for state in run.cycle.states],
                     "enters_at": run.cycle.enters_at, "period": run.cycle.period,
                     "detected_at": run.cycle.detected_at}
        return {
            "problem": {"name": objective.name, "formula": objective.formula, "dimension": objective.dimension,
                        "parameters": {k: str(v) for k, v in objective.parameters().items()}},
            "method": {"name": method.name, "recursion": method.recursion,
                       "parameters": {k: str(v) for k, v in method.parameters().items()}},
            "arithmetic": run.arithmetic,
            "steps": run.steps_done,
            "stopped": run.stopped,
            "cycle": cycle,
            "final": [decimal(v) for v in run.final],
            "final_l1": decimal(self.final_l1()),
            "final_loss": decimal(self.final_loss()),
            "verdict": self.verdict,
            "claim": CLAIM,
            "notes": self.reasons(),
            "seconds": round(run.seconds, 3),
        }

    def report(self) -> str:
        run = self.trajectory
        objective, method = run.objective, run.method
        params = ", ".join(f"{k} = {v}" for k, v in method.parameters().items())
        lines = [f"dynamics {self.problem}: f(β) = {objective.formula} (P = {objective.dimension}; kink rule: "
                 f"{objective.kink_rule})",
                 f"method {method.name}: {method.recursion}; {params}",
                 f"arithmetic: {run.arithmetic}{'' if run.dps is None else f' ({run.dps} digits)'}; "
                 f"{run.steps_done} steps, stopped: {run.stopped}"]
        if run.cycle is not None:
            c = run.cycle
            lines.append(f"cycle (proved: the exact state at step {c.detected_at} equals the one at step "
                         f"{c.enters_at}): entered at N0 = {c.enters_at}, period {c.period}")
            lines.extend(f"  {_shown(state)}" for state in c.states[:_SHOWN])
            if c.period > _SHOWN:
                lines.append(f"  … ({c.period - _SHOWN} more states)")
        else:
            lines.append(f"final β = {_shown(run.final)}")
        lines.append(f"final ‖β‖₁ = {decimal(self.final_l1())}, final loss = {decimal(self.final_loss())}")
        lines.extend(f"note: {note}" for note in self.reasons())
        lines.append(f"verdict: {self.verdict} — {CLAIM} ({run.seconds:.2f} s)")
        return "\n".join(lines)


def _shown(values: Sequence) -> str:
    text = ", ".join(decimal(v) for v in values[:_SHOWN])
    return f"[{text}{', …' if len(values) > _SHOWN else ''}]"


# the parser ---------------------------------------------------------------------------------------------------

def add_parser(subparsers) -> None:
    """Register ``dynamics`` on the CLI's sub-command parsers (``subparsers.add_parser``)."""
    parser = subparsers.add_parser(
        "dynamics", help="iterate a (sub)gradient method on a non-smooth loss exactly and prove its cycle",
        description="Iterate NDGM, SGD, heavy-ball momentum or RMSProp on the toy LASSO (seed 003 (7)), the Huber "
                    "regression (10) or the general LASSO (15), in exact rational arithmetic when the update is "
                    "rational (balls otherwise), and prove an eventual cycle by an exact repeat of the state.",
        epilog=EXIT_STATUS_HELP + " 0: a cycle is proved; 4: no cycle proved (ball arithmetic, steps or --time).")
    configure_parser(parser)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``dynamics`` (shared by :func:`add_parser` and :func:`main`)."""
    parser.add_argument("problem", metavar="PROBLEM", help="lasso (toy λ‖β‖₁), huber or lasso-general")
    parser.add_argument("--beta0", metavar="B1,…,BP", help="the start, comma-separated exact numbers")
    parser.add_argument("--alpha", metavar="A", help="the constant step α > 0 (required)")
    parser.add_argument("--lambda", dest="lam", metavar="L", help="the penalty λ ≥ 0 (lasso, lasso-general)")
    parser.add_argument("--delta", default="1", metavar="D", help="Huber's δ > 0 (default 1)")
    data = parser.add_argument_group("data (huber, lasso-general)")
    data.add_argument("--data", metavar="FILE", help="CSV (response in the last column) or JSON {\"Z\", \"y\"}")
    data.add_argument("--random-data", metavar="N,P", help="N × P seeded uniform data on [−1, 1], 2 decimals")
    data.add_argument("--seed", default="0", metavar="S", help="seed of --random-data (default 0)")
    data.add_argument("--random-start", metavar="SEED", help="β0 uniform on [−1, 1] (2 decimals) from SEED")
    method = parser.add_argument_group("method")
    method.add_argument("--method", default="subgradient", help="subgradient (default), sgd, momentum or rmsprop")
    method.add_argument("--eta", default="0.9", metavar="E", help="momentum η ∈ [0, 1) (default 0.9)")
    method.add_argument("--gamma", default="0.99", metavar="G", help="RMSProp decay γ ∈ (0, 1) (default 0.99)")
    method.add_argument("--eps", default="1e-8", metavar="E", help="RMSProp jitter ε̄ ≥ 0 (default 1e-8)")
    method.add_argument("--batch", default="1", metavar="B", help="SGD minibatch rows (default 1)")
    method.add_argument("--sgd-seed", default="0", metavar="S", help="seed of the SGD minibatches (default 0)")
    parser.add_argument("--steps", default=str(DEFAULT_STEPS), metavar="K",
                        help=f"at most K steps (1…{MAX_STEPS}; default {DEFAULT_STEPS}; a proved cycle stops earlier)")
    parser.add_argument("--dps", default="50", metavar="D", help="digits of the ball arithmetic (default 50)")
    parser.add_argument("--time", default=DEFAULT_TIME, metavar="SECONDS",
                        help=f"wall-clock budget (default {DEFAULT_TIME:g} s); a run stopped by it is undecided")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")
    parser.add_argument("--plot", metavar="FILE.png", help="save β_k (first coordinates) and ‖β_k‖₁ against k")


def _integer(text: object, what: str, low: int, high: int) -> int:
    value = str(text).strip()
    try:
        number = int(value)
    except ValueError:
        raise ParseError(f"{what} must be an integer, got {value!r}") from None
    if not low <= number <= high:
        raise ParseError(f"{what} must be between {low} and {high}, got {number}")
    return number


def _seconds(text: object) -> float:
    value = str(text).strip()
    try:
        seconds = float(value)
    except ValueError:
        raise ParseError(f"--time must be a number of seconds, got {value!r}") from None
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIME:
        raise ParseError(f"--time must be a positive number of seconds up to {MAX_TIME:g}, got {value!r}")
    return seconds


def _numbers(text: str, what: str) -> list[Fraction]:
    cells = [cell.strip() for cell in str(text).split(",")]
    if not cells or any(not cell for cell in cells):
        raise ParseError(f"{what} must be comma-separated numbers, got {text!r}")
    return [exact_fraction(cell, f"{what}[{i + 1}]") for i, cell in enumerate(cells)]


def _required(value: object, option: str, problem: str) -> object:
    if value is None:
        raise ParseError(f"dynamics {problem} needs {option}")
    return value


def _method(args) -> Method:
    name = str(args.method).strip().lower()
    alpha = _required(args.alpha, "--alpha", args.problem)
    if name == "subgradient":
        return Subgradient(alpha)
    if name == "sgd":
        return StochasticSubgradient(alpha, batch=_integer(args.batch, "--batch", 1, 10 ** 7),
                                     seed=_integer(args.sgd_seed, "--sgd-seed", 0, 2 ** 63))
    if name == "momentum":
        return Momentum(alpha, args.eta)
    if name == "rmsprop":
        return RMSProp(alpha, args.gamma, args.eps)
    raise ParseError(f"unknown method {args.method!r}; one of: {', '.join(METHODS)}")


def _data(args) -> RegressionData:
    if (args.data is None) == (args.random_data is None):
        raise ParseError(f"dynamics {args.problem} needs exactly one of --data FILE and --random-data N,P")
    if args.data is not None:
        return RegressionData.from_file(args.data)
    sizes = [cell.strip() for cell in str(args.random_data).split(",")]
    if len(sizes) != 2:
        raise ParseError(f"--random-data must be N,P (two integers), got {args.random_data!r}")
    n, p = (_integer(v, "--random-data", 1, 10 ** 7) for v in sizes)
    return RegressionData.random(n, p, _integer(args.seed, "--seed", 0, 2 ** 63))


def _problem(args) -> tuple[NonsmoothObjective, list[Fraction], list[str]]:
    """The objective, β0 and notes for the requested problem."""
    problem = str(args.problem).strip()
    if problem not in PROBLEMS:
        raise ParseError(f"unknown problem {problem!r}; one of: {', '.join(PROBLEMS)}")
    if problem == "lasso":
        for option, value in (("--data", args.data), ("--random-data", args.random_data),
                              ("--random-start", args.random_start)):
            if value is not None:
                raise ParseError(f"dynamics lasso takes no {option} (the toy LASSO has no data)")
        beta0 = _numbers(_required(args.beta0, "--beta0", problem), "--beta0")
        return ToyLasso(_required(args.lam, "--lambda", problem), len(beta0)), beta0, []
    data = _data(args)
    if problem == "huber":
        if args.lam is not None:
            raise ParseError("dynamics huber takes no --lambda (the Huber loss (10) has no penalty)")
        objective: NonsmoothObjective = HuberRegression(data, delta=args.delta)
    else:
        objective = GeneralLasso(data, lam=_required(args.lam, "--lambda", problem))
    beta0, notes = _start(args, objective.dimension)
    return objective, beta0, notes


def _start(args, dimension: int) -> tuple[list[Fraction], list[str]]:
    if args.beta0 is not None and args.random_start is not None:
        raise ParseError("give either --beta0 or --random-start, not both")
    if args.beta0 is not None:
        return _numbers(args.beta0, "--beta0"), []
    if args.random_start is not None:
        seed = _integer(args.random_start, "--random-start", 0, 2 ** 63)
        draws = np.random.default_rng(seed).uniform(-1, 1, size=dimension)
        return [Fraction(int(round(float(v) * 100)), 100) for v in draws], [f"β0 drawn with --random-start {seed}"]
    return [Fraction(0)] * dimension, ["β0 = 0 (no --beta0 or --random-start)"]


def run(args) -> int:
    """Run ``dlnsmooth dynamics`` for parsed ``args``; print the report or JSON; the exit status."""
    steps = _integer(args.steps, "--steps", 1, MAX_STEPS)
    dps = _integer(args.dps, "--dps", 10, 10_000)
    seconds = _seconds(args.time)
    if args.plot is not None:
        check_plot_target(args.plot)
    objective, beta0, notes = _problem(args)
    method = _method(args)
    observed: dict[int, list[float]] = {}
    observe = _plot_observer(observed) if args.plot is not None else None
    trajectory = iterate(objective, method, beta0, steps=steps, dps=dps, time_budget=seconds, observe=observe,
                         progress=False if args.json else None)
    result = DynamicsResult(str(args.problem).strip(), trajectory, notes)
    if args.plot is not None:
        plot_trajectory(result, observed, args.plot)
    if args.json:
        print(result.to_json_text())
    else:
        print(result.report())
        if args.plot is not None:
            print(f"plot: {args.plot}")
    return exit_status(result.verdict)


def _float(value: Fraction | arb) -> float:
    if isinstance(value, arb):
        return float(value.mid())
    return float(value)


def _plot_observer(observed: dict[int, list[float]]):
    """Keep the first coordinates of β_k by step (a run repeated at higher precision overwrites them)."""
    def observe(k: int, state) -> None:
        beta = state.beta
        values = beta.to_fractions()[:_SHOWN] if isinstance(beta, ExactVector) else list(beta)[:_SHOWN]
        observed[k] = [_float(v) for v in values]
    return observe


def plot_trajectory(result: DynamicsResult, observed: dict[int, list[float]], path: str) -> None:
    """Save β_k[j] (first coordinates; ball midpoints) and ‖β_k‖₁ against k; the proved cycle's entry N0 marked."""
    run = result.trajectory
    figure = new_figure(figsize=(7.0, 5.6), dpi=100)
    top, bottom = figure.subplots(2, 1, sharex=True)
    steps = sorted(observed)
    for j in range(len(observed[steps[0]]) if steps else 0):
        top.plot(steps, [observed[k][j] for k in steps], linewidth=0.9, label=f"β_k[{j + 1}]")
    top.set_ylabel("β_k (first coordinates)")
    if run.norms1:
        bottom.plot(range(len(run.norms1)), [_float(v) for v in run.norms1], color="black", linewidth=0.9)
    bottom.set_ylabel("‖β_k‖₁")
    bottom.set_xlabel("step k")
    if run.cycle is not None:
        for ax in (top, bottom):
            ax.axvline(run.cycle.enters_at, color="tab:red", linestyle="--", linewidth=0.8,
                       label=f"cycle entered, N0 = {run.cycle.enters_at} (period {run.cycle.period})")
    top.legend(fontsize=7, loc="best")
    figure.suptitle(f"{run.method.name} on {run.objective.name} ({run.arithmetic} arithmetic)")
    figure.savefig(path)
