"""The ``dlnsmooth bregman`` command: norm-power convexity and smoothness of a loss (SPEC §4.3, a reconstruction of
seed 002 — an abstract only).

Usage::

    dlnsmooth bregman LOSS [--var u | --vars u1,u2] (--convex P | --smooth Q | --exponents) [--minimiser]
        [--time S] [--json]
    dlnsmooth bregman --table [--time S] [--json]

LOSS is a registered loss (``squared``, ``absolute-power:a=3/2``, ``huber:delta=2``, ``pseudo-huber``, ``log-cosh``,
``softplus``/``logistic``, ``exponential``, ``softmax-cross-entropy:n=3,y=1``; :mod:`dlnsmooth.bregman.losses`) or an
expression in the variables (safe parser). ``--convex P`` decides d_F(g, h) ≥ c‖g − h‖^P for all g, h (H(φ, c)-
convexity), ``--smooth Q`` decides d_F(g, h) ≤ c‖g − h‖^Q (H(Φ, c)-smoothness); ``--minimiser`` the relative forms
(h = u*, a minimiser). ``--exponents`` computes both sets of exponents. ``--table`` prints the table of the
common losses (:mod:`dlnsmooth.bregman.table`).

Exit status: 0 holds (with the best constant, or a proved enclosure of it, and the proof route), 1 refuted (with a
certificate: pairs along which the ratio tends to 0 or ∞), 2 bad input (one line: unknown loss or variable,
non-convex F, exponent ≤ 0, …), 4 undecided. For ``--exponents`` and ``--table``: 0 when every set (every entry) is
decided, 4 otherwise.

JSON (``json_kind = "bregman"``): ``loss``, ``variables``, ``kind`` (``convex``, ``smooth``, or ``both`` with
``--exponents``), ``p`` (null with ``--exponents``), ``minimiser``, ``verdict``, ``method`` (``univariate``,
``separable``, ``log-sum-exp``), ``constant`` (exact string or null), ``constant_bounds`` (null or [low, high],
exact strings), ``attained``, ``route`` (list of strings), ``certificate`` (null or the pair sequence: its ``g``, ``h``,
limit and ball table), ``approach`` (vector losses: null or a sequence along which the ratio tends to the best
constant), ``terms`` (separable sums: the terms' decisions), ``exponents`` (only with ``--exponents``: ``convex`` and
``smooth``, each with ``text``, ``empty``, ``lower``, ``lower_closed``, ``upper``, ``upper_closed``, ``reasons``,
``undecided``), ``notes`` (the reconstruction caveat first), ``seconds``. The table: ``json_kind = "bregman-table"``
with ``verdict``, ``rows`` (``loss``, ``formula``, ``variables``, ``convex`` and ``smooth``: ``exponents``, ``at_2``,
``natural``), ``notes``, ``seconds``.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass, field

from ..errors import ParseError
from ..results import EXIT_STATUS_HELP, Result, exit_status
from .decide import BregmanDecision
from .dispatch import KINDS, ResolvedLoss, decide_loss, loss_exponents, resolve_loss
from .divergence import RECONSTRUCTION_NOTE
from .exponents import ExponentSet
from .losses import loss_names
from .separable import VectorDecision
from .table import DEFAULT_TABLE_BUDGET, common_losses_table, decision_json, exponent_set_json, exponent_set_text

__all__ = ["add_parser", "configure_parser", "run", "BregmanCommandResult", "DEFAULT_TIME", "MAX_TIME"]

DEFAULT_TIME = 60.0
MAX_TIME = 86_400.0


def add_parser(subparsers) -> None:
    """Register ``bregman`` on the CLI's sub-command parsers (``subparsers.add_parser``)."""
    parser = subparsers.add_parser(
        "bregman", help="norm-power convexity / smoothness of a loss: d_F(g, h) ≥ c‖g − h‖^p or ≤ c‖g − h‖^q",
        description="Decide H(φ, c)-convexity d_F(g, h) ≥ c‖g − h‖^p and H(Φ, c)-smoothness d_F(g, h) ≤ c‖g − h‖^q "
                    "of a convex C¹ loss F (d_F the Bregman divergence; definitions: a reconstruction of seed 002, an "
                    "abstract only, SPEC §4.3): the best constant with its proof route, or a refuting pair sequence.",
        epilog=EXIT_STATUS_HELP + " --exponents/--table: 0 when everything is decided, 4 otherwise.")
    configure_parser(parser)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``bregman``."""
    parser.add_argument("loss", metavar="LOSS", nargs="?",
                        help=f"a registered loss ({', '.join(loss_names())}; parameters as NAME:a=3/2) or an "
                             "expression in the variables")
    variables = parser.add_mutually_exclusive_group()
    variables.add_argument("--var", help="the variable of a univariate loss (default u)")
    variables.add_argument("--vars", help="the variables, comma-separated (e.g. u1,u2)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--convex", metavar="P", help="decide d_F(g, h) ≥ c‖g − h‖^P (exponent P > 0)")
    which.add_argument("--smooth", metavar="Q", help="decide d_F(g, h) ≤ c‖g − h‖^Q (exponent Q > 0)")
    which.add_argument("--exponents", action="store_true", help="the sets of exponents of both conditions")
    which.add_argument("--table", action="store_true", help="the table of the common losses (no LOSS)")
    parser.add_argument("--minimiser", action="store_true", help="the relative form: h = u*, a minimiser of F")
    parser.add_argument("--time", default=None, metavar="SECONDS",
                        help=f"wall-clock budget (default {DEFAULT_TIME:g} s; with --table, of the whole table, default "
                             f"{DEFAULT_TABLE_BUDGET:g} s)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")


def _seconds(text: object, default: float) -> float:
    if text is None:
        return default
    value = str(text).strip()
    try:
        seconds = float(value)
    except ValueError:
        raise ParseError(f"--time must be a number of seconds, got {value!r}") from None
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIME:
        raise ParseError(f"--time must be a positive number of seconds up to {MAX_TIME:g}, got {value!r}")
    return seconds


@dataclass
class BregmanCommandResult(Result):
    """What ``dlnsmooth bregman LOSS`` computed: one decision, or the two exponent sets."""

    json_kind = "bregman"
    loss: ResolvedLoss
    minimiser: bool
    decision: BregmanDecision | VectorDecision | None = None
    exponents: dict[str, ExponentSet] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        if self.decision is not None:
            return self.decision.verdict
        return "undecided" if any(s.undecided for s in self.exponents.values()) else "holds"

    def report(self) -> str:
        if self.decision is not None:
            body = self.decision.report()
        else:
            form = "relative form (h = u*)" if self.minimiser else "two-point form"
            body = "\n".join([f"{self.loss.label} (variables {', '.join(self.loss.variable_names)}; {form}):"] + [
                line for kind, s in self.exponents.items() for line in (
                    f"  {'H(φ)-convex' if kind == 'convex' else 'H(Φ)-smooth'} exactly for exponents in "
                    f"{exponent_set_text(s)}", *(f"    - {reason}" for reason in s.reasons),
                    *(f"    - undecided: {item}" for item in s.undecided))])
        lines = [body]
        if RECONSTRUCTION_NOTE not in body:
            lines.append(RECONSTRUCTION_NOTE)
        lines.append(f"({self.seconds:.1f} s; {self.loss.route} route)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        if self.decision is not None:
            data = decision_json(self.decision)
        else:
            notes = [RECONSTRUCTION_NOTE]
            data = {"loss": self.loss.label, "kind": "both", "p": None, "minimiser": self.minimiser,
                    "verdict": self.verdict, "method": self.loss.route, "constant": None, "constant_bounds": None,
                    "attained": "", "route": [], "certificate": None,
                    "exponents": {kind: exponent_set_json(s) for kind, s in self.exponents.items()}, "notes": notes}
        if RECONSTRUCTION_NOTE not in data["notes"]:
            data["notes"].insert(0, RECONSTRUCTION_NOTE)
        return {**data, "variables": self.loss.variable_names, "seconds": round(self.seconds, 3)}


def _variables(args) -> str | None:
    return args.vars if args.vars is not None else args.var


def run(args) -> int:
    """Run ``dlnsmooth bregman`` for parsed ``args``; print the report or JSON; the exit status."""
    seconds = _seconds(args.time, DEFAULT_TABLE_BUDGET if args.table else DEFAULT_TIME)
    if args.table:
        if args.loss is not None:
            raise ParseError("--table takes no LOSS (it tabulates the registered losses)")
        table = common_losses_table(time_budget=seconds)
        print(table.to_json_text() if args.json else table.report())
        return exit_status(table.verdict)
    if args.loss is None:
        raise ParseError("no LOSS given: a registered name (e.g. softplus) or an expression, or --table")
    if args.convex is None and args.smooth is None and not args.exponents:
        raise ParseError("say what to decide: --convex P, --smooth Q or --exponents")
    start = time.perf_counter()
    loss = resolve_loss(args.loss, _variables(args))
    result = BregmanCommandResult(loss, args.minimiser)
    if args.exponents:
        for kind in KINDS:
            left = max(1.0, seconds - (time.perf_counter() - start))
            result.exponents[kind] = loss_exponents(loss, kind=kind, minimiser=args.minimiser,
                                                    time_budget=left / (2 if kind == "convex" else 1))
    else:
        kind, p = ("convex", args.convex) if args.convex is not None else ("smooth", args.smooth)
        result.decision = decide_loss(loss, kind=kind, p=p, minimiser=args.minimiser, time_budget=seconds,
                                      progress=False if args.json else None)
    result.seconds = time.perf_counter() - start
    print(result.to_json_text() if args.json else result.report())
    return exit_status(result.verdict)
