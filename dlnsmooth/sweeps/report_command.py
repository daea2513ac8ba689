"""The ``dlnsmooth sweep-report`` command: the table and the landscape of a sweep directory.

Usage::

    dlnsmooth sweep-report DIR [--plot FILE] [--json]

DIR is a sweep's ``--out`` directory (``results.sqlite``, ``spec.toml``). The report prints every
finished case (architecture, verdict, certified critical exponent ρ*, time), one line per family
(depth × activation × bias: verdict counts, smallest and largest ρ*), and what the landscape shows:
the families where every case refutes every ρ, the best finite certified ρ* elsewhere, and the cases
where the search certified nothing (:mod:`dlnsmooth.sweeps.report`). ``--plot FILE`` draws the heat
maps (ρ* by depth × activation, with and without biases). It reads the table only: a sweep still
running, or interrupted, is reported as far as it got (the cases not run yet are counted).

The verdict is about the landscape's completeness (:data:`~dlnsmooth.sweeps.report.CLAIM`): ``holds`` when
every case of the sweep is in the table and none is undecided, else ``undecided`` (a partial landscape; the
cases' own verdicts are in the table). Exit status: 0 ``holds``, 4 ``undecided``, 2 bad input (a one-line
error: no such directory, no sweep table in it, the plot cannot be written).

JSON (``json_kind = "sweep-report"``): ``verdict``, ``claim``, ``directory``, ``planned`` (cases of the saved spec, null
without it), ``finished``, ``missing`` (keys of the spec's cases not in the table), ``verdicts``
(counts), ``cases`` (``key``, ``depth``, ``hidden``, ``activation``, ``bias``, ``loss``, ``data``,
``verdict``, ``critical_exponent`` — exact text, ``"inf"``, or null when nothing was certified —,
``every_rho_refuted``, ``curve``, ``evidence_kinds``, ``reason``, ``seconds``), ``families`` (``depth``,
``activation``, ``bias``, ``cases``, ``certified``, ``verdicts``, ``every_rho_refuted``, ``bound`` — the
smallest certified ρ* —, ``best``, ``best_finite``), ``refuted_everywhere`` (the families where every
case refutes every ρ), ``best_finite``, ``nothing_certified`` (keys), ``summary`` (the sentences of the
report), ``seconds`` (search time of the finished cases), and ``plot`` (the file written, or null).
"""

from __future__ import annotations

import argparse
import json

from ..plots import check_plot_target
from ..results import EXIT_STATUS_HELP, exit_status
from .report import plot_landscape, read_landscape

__all__ = ["add_parser", "configure_parser", "run", "EXIT_STATUS_TEXT"]

EXIT_STATUS_TEXT = EXIT_STATUS_HELP + " sweep-report: 0 the landscape is complete, 4 some case is missing or undecided."


def add_parser(subparsers) -> None:
    """Register ``sweep-report`` on the CLI's sub-command parsers (``subparsers.add_parser``)."""
    parser = subparsers.add_parser(
        "sweep-report", help="the table, the landscape and heat maps of a sweep directory",
        description="Read a sweep's results (DIR/results.sqlite): print every case, the families "
                    "(depth × activation × bias) and what the landscape shows — where every ρ is refuted, the best "
                    "certified critical exponent elsewhere, where the search certified nothing — and draw heat "
                    "maps of the certified critical exponent by depth × activation, with and without biases.",
        epilog=EXIT_STATUS_TEXT)
    configure_parser(parser)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``sweep-report``."""
    parser.add_argument("directory", metavar="DIR", help="a sweep's --out directory")
    parser.add_argument("--plot", metavar="FILE", default=None,
                        help="draw the heat maps into FILE (e.g. landscape.png; the suffix picks the format)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")


def run(args) -> int:
    """Run ``dlnsmooth sweep-report`` for parsed ``args``; print the report or JSON; the exit status."""
    target = check_plot_target(args.plot) if args.plot is not None else None
    landscape = read_landscape(args.directory)
    if target is not None:
        plot_landscape(landscape, target)
    if args.json:
        print(json.dumps({**landscape.to_document(), "plot": None if target is None else str(target)}, indent=2,
                         ensure_ascii=False))
        return exit_status(landscape.verdict)
    print(landscape.report())
    if target is not None:
        print(f"\nHeat maps written to {target}")
    return exit_status(landscape.verdict)
