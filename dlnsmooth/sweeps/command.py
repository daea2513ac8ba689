"""The ``dlnsmooth sweep`` command: run a sweep spec on Dask into a resumable table.

Usage::

    dlnsmooth sweep SPEC.toml [--scheduler local|processes|tcp://HOST:PORT] [--workers N] [--out DIR]
        [--limit N] [--time S] [--json]

``--scheduler local`` (default) and ``processes`` start a local Dask cluster of ``--workers``
single-threaded worker processes (default 2); ``tcp://HOST:PORT`` uses an existing Dask
scheduler unchanged. ``--out`` (default: ``<spec stem>-sweep`` next to the spec) holds
``results.sqlite`` and ``spec.toml``; each case's result is committed as it finishes, so an
interrupted sweep resumes where it stopped and a finished one computes nothing. ``--limit N``
computes at most N cases now; ``--time S`` stops the sweep after S seconds of wall time (the cases
not finished stay for the next run). Per-case budgets come from the spec (``[search] time``).

Exit status: 0 when every case of the spec is in the table and none is undecided (whatever the
verdicts: refuted, not refuted, holds); 4 when some case is undecided (crash, overrun, search budget) or
not yet computed (``--limit``, ``--time``); 2 bad input (a one-line error: unreadable or invalid spec,
unknown scheduler, unreachable scheduler, bad ``--out``).

JSON (``json_kind = "sweep"``): ``spec``, ``out``, ``scheduler``, ``workers``, ``total``, ``computed``,
``already_done``, ``remaining``, ``complete``, ``verdicts`` (counts of holds, refuted, not refuted,
undecided over the spec's cases in the table), ``every_rho_refuted`` (how many), ``undecided`` (list of
``label``, ``reason``), ``wall_seconds``, ``throughput`` (cases computed per minute, null when none), and
``cases`` (the table, one object per case: :class:`dlnsmooth.sweeps.case.CaseResult`'s fields).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from ..errors import ParseError
from ..results import EXIT_HOLDS, EXIT_UNDECIDED
from .case import CaseResult
from .runner import DEFAULT_WORKERS, SweepSummary, run_sweep
from .spec import SweepSpec

__all__ = ["add_parser", "configure_parser", "run", "default_out", "sweep_exit_status", "EXIT_STATUS_TEXT"]

EXIT_STATUS_TEXT = ("Exit status: 0 every case is in the table and none is undecided (whatever the verdicts), "
                    "2 bad input (one-line error), 4 some case undecided or not yet computed.")


def add_parser(subparsers) -> None:
    """Register ``sweep`` on the CLI's sub-command parsers (``subparsers.add_parser``)."""
    parser = subparsers.add_parser(
        "sweep", help="search a grid of networks for their critical exponents, on Dask, resumably",
        description="Run the search (and certificate) of every network of a sweep spec (TOML: [grid] depths, "
                    "widths, activations, bias, losses, data; [search] time, …) on a Dask cluster; each result "
                    "is committed to DIR/results.sqlite as it finishes, so an interrupted sweep resumes.",
        epilog=EXIT_STATUS_TEXT)
    configure_parser(parser)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``sweep``."""
    parser.add_argument("spec", metavar="SPEC.toml", help="the sweep spec (TOML)")
    parser.add_argument("--scheduler", default="local", metavar="local|processes|tcp://HOST:PORT",
                        help="a local Dask cluster (default) or the address of an existing scheduler")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help=f"worker processes of the local cluster (default {DEFAULT_WORKERS})")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="the results directory (default: <spec stem>-sweep next to the spec)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="compute at most N cases now")
    parser.add_argument("--time", type=float, default=None, metavar="S",
                        help="stop after S seconds of wall time (unfinished cases stay for the next run)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")


def default_out(spec_path: str | Path) -> Path:
    """``<spec stem>-sweep`` in the spec's directory."""
    path = Path(spec_path)
    return path.with_name(f"{path.stem}-sweep")


def sweep_exit_status(summary: SweepSummary) -> int:
    """0 when the sweep is complete with no undecided case, else 4 (module docstring)."""
    return EXIT_HOLDS if summary.complete else EXIT_UNDECIDED


def run(args) -> int:
    """Run ``dlnsmooth sweep`` for parsed ``args``; print the report or JSON; the exit status."""
    if args.time is not None and (not args.time > 0 or math.isinf(args.time)):
        raise ParseError(f"--time must be a positive number of seconds, got {args.time:g}")
    spec = SweepSpec.from_toml(args.spec)
    out = Path(args.out) if args.out is not None else default_out(args.spec)
    echo = None if args.json else _echo
    if not args.json:
        print(f"Sweep {args.spec}: {spec.size} cases, {spec.search.time:g} s each at most → {out}", flush=True)
    summary = run_sweep(spec, out, scheduler=args.scheduler, workers=args.workers,
                        progress=False if args.json else None, limit=args.limit, time_budget=args.time,
                        on_result=echo)
    if args.json:
        payload = summary.to_document()
        payload = {**payload, "spec": str(args.spec), "cases": [r.to_json() for r in summary.results]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(summary.report())
    return sweep_exit_status(summary)


def _echo(result: CaseResult, done: int, todo: int) -> str:
    """The line printed as a case finishes."""
    rho = {"inf": "∞", None: "none certified"}.get(result.critical_exponent, result.critical_exponent)
    return (f"[{done}/{todo}] {result.label}: {result.verdict}, ρ* {rho} ({result.seconds:.1f} s)"
            + (f" — {result.reason}" if result.verdict == "undecided" else ""))
