"""The ``dlnsmooth`` command line: argument parsing and printing only.

Commands (every one takes ``--time SECONDS``, the wall-clock budget of the whole command)::

    dlnsmooth verify [NAME ...] [--details] [--json] [--list] [--time S]
    dlnsmooth check EXPR --vars a,b (--rho R | --every-rho) [--curve 'a=t,b=1/t'] [--time S]
          (without --curve: decide — the univariate procedure for one variable, the separable
          decision for a separable sum, else a search of the curve families for a refuting curve)
    dlnsmooth dln --widths 1,1,1,1,1 --loss logistic [--data FILE_OR_INLINE | --random-data N --seed S] [--search]
    dlnsmooth net --widths 1,4,7,1 --activation tanh [--no-bias] --loss squared [--data F | --random-data N --seed S]
          [--rho R | --every-rho] [--curve theorem-g|'W1=0, b1=0, W2=t, …' | --search]
    dlnsmooth univariate EXPR [--var x] [--rho R] [--derivative] [--json]
    dlnsmooth audit EXPR --vars a,b (--L0 A --L1 B | --rho R --C0 A --C1 B) [--time S] [--seed S] [--json]
    dlnsmooth experiment cooper-line|cooper-segments [--plots DIR] [--json]
    dlnsmooth dynamics lasso|huber|lasso-general [--beta0 B | --data F | --random-data N,P --seed S] --alpha A …
    dlnsmooth bregman LOSS [--var u | --vars u1,u2] (--convex P | --smooth Q | --exponents) [--minimiser] [--json]
    dlnsmooth bregman --table [--json]
    dlnsmooth sweep SPEC.toml [--scheduler local|processes|tcp://HOST:PORT] [--workers N] [--out DIR] [--json]
    dlnsmooth sweep-report DIR [--plot FILE] [--json]

Exit status, the same for every command (:mod:`dlnsmooth.results`): 0 holds, 1 refuted,
2 bad input (a one-line message naming the problem; never a traceback), 3 not refuted,
4 undecided. ``verify``: 0 when every claim holds, 1 when some claim is refuted, 4 otherwise
(a claim not finished within ``--time`` is stopped and counts as undecided).
A failure of the package itself (a bug) prints one line and exits 70 (``DLNSMOOTH_DEBUG=1``
shows its traceback).

An expression may begin with a minus sign (``dlnsmooth univariate '-x**4'``): a word that
begins with ``-`` but is none of the command's options is read as a value.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from proofs import CLAIMS, load

from . import __version__
from .audit import audit
from .bregman import command as bregman_command
from .budget import DEFAULT_LIMIT_BUDGET, run_with_budget
from .certificate import Certificate, certify_curve
from .curves import Curve, curve_parameter
from .decide import decide_check
from .dynamics import command as dynamics_command
from .errors import DlnsmoothError, ParseError, ShapeError, TooLargeError, UnknownVariableError
from .experiments import EXPERIMENTS, run_experiment
from .networks.activations import ACTIVATIONS
from .networks.architecture import Architecture
from .networks.data import Dataset
from .networks.deep_linear import WEIGHTS_PER_SECOND, DeepLinearObjective, check_network_budget, check_widths
from .networks.feedforward import FeedforwardObjective, default_dataset
from .networks.losses import LOSSES, OUTPUT_LOSSES, OutputLoss, get_loss, get_output_loss
from .networks.theorem_g import certify_theorem_g
from .objective import Objective
from .parsing import declare_variables, parse_expression, split_top_level
from .plots import check_plot_target, plot_certificate
from .precision import MAX_DPS
from .progress import print_line, progress_bar
from .results import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL_ERROR,
    EXIT_STATUS_HELP,
    VERIFY_EXIT_STATUS_HELP,
    document,
    exit_status,
    verify_exit_status,
)
from .search import FAMILIES, SearchOptions, search_refuting_curve
from .sweeps import command as sweep_command
from .sweeps import report_command as sweep_report_command
from .univariate import UNIVARIATE_LIMIT_BUDGET, decide_univariate

__all__ = ["main", "build_parser", "DEFAULT_TIME", "VERIFY_DEFAULT_TIME", "MAX_DECADES", "MAX_TIME"]

#: Default wall-clock budget of a command, in seconds.
DEFAULT_TIME = 60.0
#: Default budget of ``verify`` (every registered claim, one after the other).
VERIFY_DEFAULT_TIME = 300.0
#: Largest ``--time`` accepted (one day).
MAX_TIME = 86_400.0
#: Largest ``--decades``: the numeric tables reach t = 10^10000 at most.
MAX_DECADES = 10_000


def _add_time_option(parser: argparse.ArgumentParser, default: float, what: str) -> None:
    parser.add_argument("--time", default=default, metavar="SECONDS",
                        help=f"wall-clock budget of {what} (default {default:g} s); what is left undone when it "
                             "is spent is reported as undecided")


def _add_numeric_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("evidence")
    group.add_argument("--decades", type=int, default=30, metavar="K",
                       help=f"numeric table at t = 10^1 … 10^K (default 30, at most {MAX_DECADES})")
    group.add_argument("--digits", type=int, default=15, help="confirmed significant digits per value (default 15)")
    group.add_argument("--limit-budget", type=float, default=DEFAULT_LIMIT_BUDGET, metavar="SECONDS",
                       help=f"time budget of each symbolic limit (default {DEFAULT_LIMIT_BUDGET:g} s)")
    group.add_argument("--max-dps", type=int, default=MAX_DPS, metavar="DIGITS",
                       help=f"cap of the adaptive working precision (default {MAX_DPS})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")
    parser.add_argument("--latex", action="store_true", help="also print the key expressions in LaTeX")
    parser.add_argument("--plot", metavar="FILE.png",
                        help="save a log-log plot of ‖∇f‖, ‖∇²f‖_F and the ratio along the curve (needs matplotlib; "
                             "the path is checked before any work)")


def _add_search_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("curve search (used when no curve is given, or with --search)")
    group.add_argument("--families", default=",".join(FAMILIES),
                       help=f"curve families to search, comma-separated (default {','.join(FAMILIES)})")
    group.add_argument("--exponents", default="-2:2", metavar="LOW:HIGH",
                       help="range of the exponents a in c*t^a*(log t)^b (default -2:2)")
    group.add_argument("--denominator", type=int, default=2,
                       help="exponents a = p/q with q at most this (default 2)")
    group.add_argument("--certify", type=int, default=3, metavar="N",
                       help="certify at most the N best candidates (default 3)")
    group.add_argument("--search-seed", type=int, default=0, help="seed of the sampled candidates (default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlnsmooth",
        description="Check smoothness conditions (‖∇²f‖ ≤ C0 + C1‖∇f‖^ρ, ρ-order Lipschitz, …) of losses.",
        epilog=EXIT_STATUS_HELP + " " + VERIFY_EXIT_STATUS_HELP.replace("Exit status:", "verify:"),
    )
    parser.add_argument("--version", action="version", version=f"dlnsmooth {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_verify_parser(sub)
    _add_check_parser(sub)
    _add_dln_parser(sub)
    _add_net_parser(sub)
    _add_univariate_parser(sub)
    _add_audit_parser(sub)
    _add_experiment_parser(sub)
    dynamics_command.add_parser(sub)
    bregman_command.add_parser(sub)
    sweep_command.add_parser(sub)
    sweep_report_command.add_parser(sub)
    return parser


def _add_verify_parser(sub) -> None:
    verify = sub.add_parser("verify", help="run the registered claim checks (Propositions, Theorem G)",
                            epilog=VERIFY_EXIT_STATUS_HELP)
    verify.add_argument("names", nargs="*", metavar="NAME", help="claims to check (default: all)")
    verify.add_argument("--list", action="store_true", help="list the registered claims and exit")
    verify.add_argument("--details", action="store_true", help="print every claim's full report, not one line each")
    verify.add_argument("--json", action="store_true", help="print JSON instead of the reports")
    _add_time_option(verify, VERIFY_DEFAULT_TIME, "the whole run (a claim not finished when it is spent is stopped "
                                                  "and reported undecided)")


def _add_check_parser(sub) -> None:
    check = sub.add_parser("check", help="decide an expression, or certify it along a curve", epilog=EXIT_STATUS_HELP)
    check.add_argument("expression", metavar="EXPR", help="f as a safe expression, e.g. 'log(1+exp(-a*b))'")
    check.add_argument("--vars", required=True, help="the variables of f, in order, e.g. a,b")
    which = check.add_mutually_exclusive_group(required=True)
    which.add_argument("--rho", help="the exponent ρ (0 ≤ ρ ≤ 10^6; decimal or fraction, e.g. 0.5 or 2/3)")
    which.add_argument("--every-rho", action="store_true", help="refute every ρ ≥ 0 at once (needs ‖∇f‖ bounded)")
    check.add_argument("--curve", help="the curve, one expression in the parameter per variable: 'a=t, b=1/t' "
                                       "(without it: one variable or a separable sum is decided exactly, "
                                       "otherwise the curve families are searched)")
    check.add_argument("--param", default="t", help="name of the curve parameter (default t)")
    _add_time_option(check, DEFAULT_TIME, "the whole command (decision or search, certificates included)")
    _add_numeric_options(check)
    _add_search_options(check)


def _add_dln_parser(sub) -> None:
    dln = sub.add_parser("dln", help="Theorem G certificate for a deep linear network", epilog=EXIT_STATUS_HELP)
    dln.add_argument("--widths", default="1,1,1,1,1",
                     help="n0,n1,…,nL: input dimension, hidden widths, 1 (default 1,1,1,1,1); networks whose "
                          "estimated cost exceeds --time, or beyond 250000 weights, are refused at once")
    dln.add_argument("--loss", default="logistic", help=f"one of {', '.join(LOSSES)} (default logistic)")
    data = dln.add_mutually_exclusive_group()
    data.add_argument("--data", metavar="FILE_OR_INLINE",
                      help="a .json/.csv file, or inline pairs such as '[(1, 1), (-2, -1)]'")
    data.add_argument("--random-data", type=int, metavar="N", help="draw N observations reproducibly")
    dln.add_argument("--seed", type=int, default=0, help="seed for --random-data (default 0)")
    dln.add_argument("--search", action="store_true",
                     help="find the refuting curve by the automatic search instead of Theorem G's curve")
    _add_time_option(dln, DEFAULT_TIME, "the whole command")
    _add_numeric_options(dln)
    _add_search_options(dln)


def _add_net_parser(sub) -> None:
    net = sub.add_parser(
        "net", help="a feed-forward network with activations and biases: Theorem G′'s curve, a given curve, or "
                    "the curve search", epilog=EXIT_STATUS_HELP,
        description="f(θ) = Σ_i ℓ(u(x_i; θ); y_i) for the network z_l = W_l a_{l−1} + b_l, a_l = σ(z_l) after "
                    "every hidden layer, output u = z_L. Parameters are named W{l}_{i}_{j} and b{l}_{i} (1-based), "
                    "layer by layer, W_l row by row, then b_l.")
    net.add_argument("--widths", required=True,
                     help="n0,n1,…,nL: input dimension, hidden widths, output dimension m (e.g. 1,4,7,1); networks "
                          "whose estimated cost exceeds --time, or beyond 250000 parameters, are refused at once")
    net.add_argument("--activation", default="tanh",
                     help=f"σ after every hidden layer: one of {', '.join(ACTIVATIONS)} (default tanh)")
    net.add_argument("--no-bias", dest="bias", action="store_false", help="layers without biases (z_l = W_l a_{l−1})")
    net.add_argument("--loss", default="squared",
                     help=f"one of {', '.join(OUTPUT_LOSSES)} (default squared; logistic and exponential need one "
                          "output, cross-entropy at least two)")
    data = net.add_mutually_exclusive_group()
    data.add_argument("--data", metavar="FILE_OR_INLINE",
                      help="a .json/.csv file (in a CSV file the last m columns are the label), or inline pairs "
                           "such as '[([1, 0.5], [0, 1]), ([0, 2], [1, 0])]'")
    data.add_argument("--random-data", type=int, metavar="N",
                      help="draw N observations reproducibly, with labels suited to the loss (±1; real vectors; "
                           "one-hot classes for cross-entropy)")
    net.add_argument("--seed", type=int, default=0, help="seed for --random-data (default 0)")
    which = net.add_mutually_exclusive_group()
    which.add_argument("--rho", help="the exponent ρ (0 ≤ ρ ≤ 10^6; decimal or fraction)")
    which.add_argument("--every-rho", action="store_true", help="refute every ρ ≥ 0 at once (the default)")
    net.add_argument("--curve", metavar="CURVE",
                     help="'theorem-g' (the default: W1 = W2 = 0, W_l = t·E_l for l ≥ 3, biases 0), or forms per "
                          "block and entry, e.g. 'W1=0, b1=0, W2=t, b2=0, W2_1_1=2*t' (a block name gives all its "
                          "entries that form; an entry's own form overrides its block's)")
    net.add_argument("--param", default="t", help="name of the parameter of a curve given with --curve (default t)")
    net.add_argument("--search", action="store_true",
                     help="search the curve families over weight and bias blocks instead of certifying one curve")
    _add_time_option(net, DEFAULT_TIME, "the whole command")
    _add_numeric_options(net)
    _add_search_options(net)


def _print_json(document: dict) -> None:
    """Print a versioned JSON document (:func:`dlnsmooth.results.document`)."""
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _time_budget(args) -> float:
    """``--time`` as a positive finite number of seconds (at most :data:`MAX_TIME`)."""
    text = str(args.time).strip()
    try:
        seconds = float(text)
    except ValueError:
        raise ParseError(f"--time must be a number of seconds, got {text!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ParseError(f"--time must be a positive finite number of seconds, got {text!r}")
    if seconds > MAX_TIME:
        raise ParseError(f"--time {text} is beyond the limit of {MAX_TIME:g} s (one day)")
    return seconds


def _numeric_options(args) -> dict:
    if args.decades < 3:
        raise ParseError(f"--decades must be at least 3, got {args.decades}")
    if args.decades > MAX_DECADES:
        raise ParseError(f"--decades {args.decades} is beyond the limit of {MAX_DECADES} (t = 10^{MAX_DECADES})")
    if args.digits < 1:
        raise ParseError(f"--digits must be at least 1, got {args.digits}")
    if not args.limit_budget > 0 or not math.isfinite(args.limit_budget):
        raise ParseError(f"--limit-budget must be a positive number of seconds, got {args.limit_budget}")
    return {"decades": args.decades, "digits": args.digits, "limit_budget": args.limit_budget, "max_dps": args.max_dps,
            "progress": False if args.json else None}


def _search_options(args) -> SearchOptions:
    families = tuple(f.strip() for f in args.families.split(",") if f.strip())
    low, sep, high = args.exponents.partition(":")
    if not sep:
        raise ParseError(f"--exponents must look like LOW:HIGH (e.g. -2:2), got {args.exponents!r}")
    numeric = _numeric_options(args)
    return SearchOptions(families=families, exponent_range=(low.strip(), high.strip()),
                         denominator=args.denominator, time_budget=_time_budget(args), certify=args.certify,
                         seed=args.search_seed, decades=numeric["decades"], digits=numeric["digits"],
                         limit_budget=numeric["limit_budget"])


def _shown_certificate(result) -> Certificate | None:
    """The certificate a result carries (itself, its refuting curve's, or its first certified candidate's)."""
    if isinstance(result, Certificate):
        return result
    own = getattr(result, "certificate", None)
    if isinstance(own, Certificate):
        return own
    for candidate in getattr(result, "certified", None) or ():
        if isinstance(getattr(candidate, "certificate", None), Certificate):
            return candidate.certificate
    return None


def _emit(result, args, extra: dict | None = None) -> int:
    """Print a result (report, or JSON with ``extra`` merged in); its exit status."""
    if args.json:
        payload = result.to_document()
        if extra:
            payload.update(extra)
        _print_json(payload)
        return exit_status(result.verdict)
    print(result.report())
    certificate = _shown_certificate(result)
    if args.plot:
        _plot(certificate, args)
    if args.latex and certificate is not None:
        print("\nLaTeX:")
        for key, value in certificate.latex().items():
            print(f"  {key}: {value}")
    return exit_status(result.verdict)


def _plot(certificate: Certificate | None, args) -> None:
    if certificate is None:
        print("Plot: no certified curve to plot")
        return
    plot_certificate(certificate, args.plot)
    print(f"Plot: {args.plot} (log-log: ‖∇f‖ Euclidean, ‖∇²f‖_F Frobenius, the ratio; "
          f"against {certificate.curve.parameter.name})")


def _check_outputs(args) -> None:
    """Fail before any computation when the requested outputs cannot be written."""
    if getattr(args, "plot", None) is not None:
        check_plot_target(args.plot)


def _cmd_check(args) -> int:
    seconds = _time_budget(args)
    _check_outputs(args)
    variables = declare_variables(args.vars)
    objective = Objective.from_string(args.expression, [v.name for v in variables])
    rho = None if args.every_rho else args.rho
    progress = False if args.json else None
    if not args.curve:
        result = decide_check(objective, rho=rho, every_rho=args.every_rho, options=_search_options(args),
                              progress=progress)
        return _emit(result, args)
    curve = Curve.parse(args.curve, objective.variables, args.param)
    certificate = certify_curve(objective, curve, rho=rho, every_rho=args.every_rho, **_numeric_options(args),
                                time_budget=seconds)
    return _emit(certificate, args)


def _parse_widths(text: str) -> tuple[int, ...]:
    return check_widths(_width_list(text))


def _width_list(text: str) -> list[int]:
    """``--widths`` as a list of integers (their meaning is checked by the command)."""
    parts = text.split(",")
    if len(parts) > 10_000 or any(len(part.strip()) > 12 for part in parts):
        raise ShapeError(f"--widths is too large: at most 10000 layers of width below 10^12; got {text[:40]!r}…")
    try:
        values = [int(part) for part in parts]
    except ValueError:
        raise ShapeError(f"--widths must be comma-separated positive integers such as 1,1,1,1,1; "
                         f"got {text[:80]!r}") from None
    return values


def _dataset(args, widths: tuple[int, ...], loss) -> Dataset:
    if args.data is not None:
        return Dataset.resolve(args.data)
    if args.random_data is not None:
        return Dataset.random(args.random_data, widths[0], args.seed, loss.labels)
    return Dataset.from_pairs([([1] * widths[0], 1)], source="default (x = 1, y = 1)")


def _cmd_dln(args) -> int:
    seconds = _time_budget(args)
    _check_outputs(args)
    widths = _parse_widths(args.widths)
    check_network_budget(widths, seconds)
    loss = get_loss(args.loss)
    numeric = _numeric_options(args)
    options = _search_options(args) if args.search else None
    data = _dataset(args, widths, loss)
    objective = DeepLinearObjective(widths, data, loss)
    extra = {"network": {"widths": list(widths), "depth": objective.depth, "weights": objective.n,
                         "loss": loss.name, "data": data.to_json()}}
    if not args.json:
        print(f"Network: widths {'-'.join(map(str, widths))}, {objective.n} weights, {loss.name} loss; "
              f"data: {data.describe()} [{data.source}]", flush=True)
    if args.search:
        result = search_refuting_curve(objective, every_rho=True, options=options,
                                       progress=False if args.json else None)
        return _emit(result, args, extra)
    certificate = certify_theorem_g(objective, **numeric, time_budget=seconds)
    return _emit(certificate, args, extra)


#: Spellings of the default ``--curve`` of ``net``.
THEOREM_G_NAMES = ("theorem-g", "theoremg", "theorem-g'", "theorem-g′")
#: Parameter·observation products per second of a ``net`` certificate (its exact restriction and ball
#: table; measured 20 000–120 000 on one core of the reference machine, depending on biases and depth).
#: Only the refusal before any work uses it: a certificate that overruns is stopped at its budget.
NET_WORK_PER_SECOND = 50_000


def _net_estimated_seconds(parameters: int, observations: int) -> float:
    """Seconds a ``net`` certificate is expected to take, before any work is done."""
    return 1.0 + parameters / WEIGHTS_PER_SECOND + parameters * observations / NET_WORK_PER_SECOND


def _check_net_budget(architecture: Architecture, observations: int, seconds: float) -> None:
    estimate = _net_estimated_seconds(architecture.size, observations)
    if estimate > seconds:
        raise TooLargeError(f"a network of {architecture.size} parameters on {observations} observation(s) needs "
                            f"about {estimate:.0f} s, beyond the time budget of {seconds:g} s; raise --time or use "
                            "smaller widths or fewer observations")


def _net_loss(name: str, output_dim: int) -> OutputLoss:
    loss = get_output_loss(name)
    loss.check_outputs(output_dim)
    return loss


def _net_dataset(args, architecture: Architecture, loss: OutputLoss) -> Dataset:
    m = architecture.output_dim
    if args.data is not None:
        return Dataset.resolve(args.data, outputs=m)
    if args.random_data is not None:
        return Dataset.random(args.random_data, architecture.input_dim, args.seed, loss.labels, outputs=m)
    return default_dataset(architecture.input_dim, m, loss)


def _net_curve(objective: FeedforwardObjective, text: str, parameter: str) -> Curve:
    """A curve over the network's parameters: ``'W1=0, b1=0, W2=t, W2_1_1=2*t'``.

    A block name (``W{l}``, ``b{l}``) gives every entry of the block one form; an entry name
    (``W{l}_{i}_{j}``, ``b{l}_{i}``) one entry, overriding its block's form. Every parameter
    must get a form."""
    t = curve_parameter(parameter)
    architecture = objective.architecture
    blocks = {block.name: block for block in architecture.blocks}
    index = {symbol.name: i for i, symbol in enumerate(objective.variables)}
    if parameter in blocks or parameter in index:
        raise ParseError(f"the curve parameter {parameter!r} is also a parameter name of the network; rename it with "
                         "--param")
    if not text.strip():
        raise ParseError("empty curve; give 'theorem-g' or forms per block such as 'W1=0, W2=t'")
    block_forms: dict[str, object] = {}
    entry_forms: dict[str, object] = {}
    for part in split_top_level(text):
        if part.count("=") != 1:
            raise ParseError(f"curve entry {part.strip()!r} is not of the form name=expression")
        name, rhs = (piece.strip() for piece in part.split("="))
        name = unicodedata.normalize("NFKC", name)
        if name in blocks:
            forms = block_forms
        elif name in index:
            forms = entry_forms
        else:
            raise UnknownVariableError(f"the curve names {name!r}, which is neither a block nor a parameter of the "
                                       f"network; blocks: {', '.join(blocks)}; entries are named like "
                                       f"{_entry_examples(architecture)}")
        if name in forms:
            raise ParseError(f"the curve gives {name!r} twice")
        forms[name] = parse_expression(rhs, (t,), what=f"curve form of {name}")
    coordinates: list = [None] * architecture.size
    for name, form in block_forms.items():
        block = blocks[name]
        coordinates[block.offset:block.stop] = [form] * block.size
    for name, form in entry_forms.items():
        coordinates[index[name]] = form
    _check_assigned(architecture, coordinates)
    kinds = " and ".join(kind for kind, forms in (("blocks", block_forms), ("entries", entry_forms)) if forms)
    named = f"{kinds}: {', '.join(part.strip() for part in split_top_level(text))}"
    return Curve(objective.variables, coordinates, t, name=named if len(named) <= 200 else named[:197] + "…")


def _entry_examples(architecture: Architecture) -> str:
    names = [block.entry_names()[0] for block in architecture.blocks[:2]]
    return " and ".join(names)


def _check_assigned(architecture: Architecture, coordinates: list) -> None:
    missing = []
    for block in architecture.blocks:
        unset = [i for i in range(block.offset, block.stop) if coordinates[i] is None]
        if len(unset) == block.size:
            missing.append(block.name)
        elif unset:
            names = block.entry_names()
            missing.extend(names[i - block.offset] for i in unset[:3])
            if len(unset) > 3:
                missing.append(f"… ({len(unset)} entries of {block.name})")
    if missing:
        raise ParseError(f"the curve gives no form to {', '.join(missing)}; every block needs one, e.g. "
                         f"'{', '.join(f'{block.name}=0' for block in architecture.blocks[:2])}, …'")


def _net_summary(objective: FeedforwardObjective, data: Dataset) -> dict:
    architecture = objective.architecture
    return {"widths": list(architecture.widths), "depth": architecture.depth,
            "activation": architecture.activation.name, "bias": architecture.bias, "parameters": architecture.size,
            "loss": objective.loss.name, "data": data.to_json()}


def _cmd_net(args) -> int:
    seconds = _time_budget(args)
    _check_outputs(args)
    if args.search and args.curve is not None:
        raise ParseError("give either --curve or --search, not both")
    architecture = Architecture(tuple(_width_list(args.widths)), args.activation, bias=args.bias)
    loss = _net_loss(args.loss, architecture.output_dim)
    numeric = _numeric_options(args)
    options = _search_options(args) if args.search else None
    data = _net_dataset(args, architecture, loss)
    _check_net_budget(architecture, data.size, seconds)
    objective = FeedforwardObjective(architecture.widths, architecture.activation, data, loss, bias=architecture.bias)
    rho = None if args.every_rho or args.rho is None else args.rho
    theorem_g = not args.search and (args.curve is None or args.curve.strip().lower() in THEOREM_G_NAMES)
    curve = None if args.search or theorem_g else _net_curve(objective, args.curve, args.param)
    extra = {"network": _net_summary(objective, data)}
    if not args.json:
        print(f"Network: {architecture.describe()}, {loss.name} loss; data: {data.describe()} [{data.source}]",
              flush=True)
    if args.search:
        result = search_refuting_curve(objective, rho=rho, every_rho=rho is None, options=options,
                                       progress=numeric["progress"])
        return _emit(result, args, extra)
    if curve is None:
        return _emit(certify_theorem_g(objective, rho=rho, **numeric, time_budget=seconds), args, extra)
    certificate = certify_curve(objective, curve, rho=rho, every_rho=rho is None, **numeric, time_budget=seconds)
    return _emit(certificate, args, extra)


class _NotRun:
    """A claim ``verify`` did not finish because its budget was spent (not started, or stopped)."""

    verdict = "undecided"
    ok = False

    def __init__(self, name: str, seconds: float = 0.0):
        self.name = name
        self.seconds = seconds

    @property
    def evidence_kind(self) -> str:
        if self.seconds:
            return f"stopped after {self.seconds:.1f} s: the --time budget was spent"
        return "not started: the --time budget was spent"

    def report(self) -> str:
        return f"{self.name}: UNDECIDED — {self.evidence_kind}"


@dataclass(frozen=True)
class _FinishedClaim:
    """What ``verify`` prints of a claim's report (picklable, so it can come from a budgeted process)."""

    name: str
    verdict: str
    seconds: float
    evidence_kind: str
    text: str
    payload: dict

    @property
    def ok(self) -> bool:
        return self.verdict == "holds"

    def report(self) -> str:
        return self.text

    def to_json(self) -> dict:
        return self.payload


def _finished(verify: Callable, progress: bool | None) -> _FinishedClaim:
    report = verify(progress=progress)
    return _FinishedClaim(report.name, report.verdict, report.seconds, report.evidence_kind, report.report(),
                          report.to_json())


def _verify_claim(name: str, module, seconds: float, progress: bool | None):
    """The claim's report, computed within ``seconds``: through its own ``time_budget`` when its
    ``verify`` takes one, else in a budgeted process (:func:`dlnsmooth.budget.run_with_budget`) that
    is stopped when the budget is spent (:class:`_NotRun`)."""
    if "time_budget" in inspect.signature(module.verify).parameters:
        return module.verify(progress=progress, time_budget=seconds)
    outcome = run_with_budget(_finished, module.verify, progress, seconds=seconds)
    if outcome.status == "timeout":
        return _NotRun(name, outcome.seconds)
    if outcome.status == "error":
        raise RuntimeError(f"the check of claim {name} failed: {outcome.message}")
    return outcome.value


#: Width of the claim-name column of ``verify`` (the longest registered name).
_CLAIM_WIDTH = max(len(name) for name in CLAIMS)


def _summary_row(report) -> str:
    return f"  {report.name:<{_CLAIM_WIDTH}} {report.verdict:<10} {report.seconds:>6.1f}s  {report.evidence_kind}"


def _run_claims(modules: list, names: list[str], args, seconds: float) -> list:
    """Run the claims one after the other within ``seconds`` in all; a claim not finished then is :class:`_NotRun`.

    Without ``--details`` or ``--json`` a line per claim is printed as it finishes (under a progress
    bar on a terminal)."""
    start = time.perf_counter()
    one_line = not (args.details or args.json)
    bar = progress_bar(None, "verify", total=len(modules), unit="claim") if one_line else None
    reports = []
    try:
        for index, (name, module) in enumerate(zip(names, modules), 1):
            left = seconds - (time.perf_counter() - start)
            if bar is not None:
                bar.set_description(f"verify {name}")
            if left <= 0:
                report = _NotRun(name)
            else:
                report = _verify_claim(name, module, left, None if args.details else False)
            reports.append(report)
            if args.details:
                print(report.report())
                print()
            elif one_line:
                print_line(bar, f"[{index}/{len(modules)}] {report.name}: {report.verdict} ({report.seconds:.1f} s)")
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()
    return reports


def _cmd_verify(args) -> int:
    seconds = _time_budget(args)
    if args.list:
        for name, module in CLAIMS.items():
            print(f"{name:<{_CLAIM_WIDTH + 2}} {load(name).TITLE}  ({module})")
        return 0
    names = args.names or list(CLAIMS)
    modules = [load(name) for name in names]  # unknown names fail before any work starts
    start = time.perf_counter()
    reports = _run_claims(modules, names, args, seconds)
    total = time.perf_counter() - start
    status = verify_exit_status(r.verdict for r in reports)
    ok = status == 0
    overall = {0: "holds", 1: "refuted"}.get(status, "undecided")
    not_run = [r for r in reports if isinstance(r, _NotRun)]
    if args.json:
        _print_json(document("verify", {
            "verdict": overall, "ok": ok, "seconds": round(total, 3),
            "claims": [r.to_json() for r in reports if not isinstance(r, _NotRun)],
            "summary": [{"claim": r.name, "verdict": r.verdict, "evidence": r.evidence_kind,
                         "seconds": round(r.seconds, 3)} for r in reports]}))
        return status
    print("Summary")
    print(f"  {'claim':<{_CLAIM_WIDTH}} {'verdict':<10} {'time':>7}  evidence")
    for r in reports:
        print(_summary_row(r))
    print(f"  {len(reports)} claim(s), {sum(r.ok for r in reports)} hold, total {total:.1f} s")
    if not_run:
        print(f"  not finished within the budget of {seconds:g} s (undecided): {', '.join(r.name for r in not_run)}; "
              "raise --time to run them")
    if not args.details:
        print("  (dlnsmooth verify --details prints every claim's full report)")
    return status


def _add_univariate_parser(sub) -> None:
    uni = sub.add_parser("univariate", help="decide exactly for which ρ f′ of f : R → R is ρ-order Lipschitz",
                         epilog=EXIT_STATUS_HELP + " Without --rho the verdict is about the answer set: "
                                                   "holds when it is decided, undecided otherwise.")
    uni.add_argument("expression", metavar="EXPR", help="f (or f′ with --derivative) as a safe expression in one variable")
    uni.add_argument("--var", default="x", help="the variable (default x)")
    uni.add_argument("--rho", help="also decide this ρ (0 ≤ ρ ≤ 10^6): holds (proof route, constants) or refuted "
                                   "(certificate)")
    uni.add_argument("--derivative", action="store_true",
                     help="EXPR is f′ itself (f = ∫₀ˣ f′; e.g. 'sin(x**2)', which has no elementary primitive)")
    uni.add_argument("--limit-budget", type=float, default=UNIVARIATE_LIMIT_BUDGET, metavar="SECONDS",
                     help=f"time budget of each symbolic limit (default {UNIVARIATE_LIMIT_BUDGET:g} s)")
    uni.add_argument("--decades", type=int, default=30, metavar="K",
                     help=f"numeric tables at x = ±10^1 … ±10^K (default 30, at most {MAX_DECADES})")
    uni.add_argument("--radius", default="4", metavar="R",
                     help="the compact interval [−R, R] bounded by branch and bound in balls (default 4)")
    _add_time_option(uni, DEFAULT_TIME, "the whole decision")
    uni.add_argument("--json", action="store_true", help="print JSON instead of the report")


def _cmd_univariate(args) -> int:
    seconds = _time_budget(args)
    if args.decades > MAX_DECADES:
        raise ParseError(f"--decades {args.decades} is beyond the limit of {MAX_DECADES} (x = ±10^{MAX_DECADES})")
    if not args.limit_budget > 0 or not math.isfinite(args.limit_budget):
        raise ParseError(f"--limit-budget must be a positive number of seconds, got {args.limit_budget}")
    decision = decide_univariate(args.expression, variable=args.var, rho=args.rho, derivative=args.derivative,
                                 limit_budget=args.limit_budget, decades=args.decades, radius=args.radius,
                                 progress=False if args.json else None, time_budget=seconds)
    if args.json:
        _print_json(decision.to_document())
    else:
        print(decision.report())
    return exit_status(decision.verdict)


def _add_audit_parser(sub) -> None:
    audit = sub.add_parser(
        "audit", help="look for a point where claimed constants fail: ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ",
        description="Audit claimed constants of ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ (spectral norm of the Hessian, "
                    "Euclidean norm of the gradient, 0^0 = 1; (L0, L1)-smoothness is ρ = 1): stationary points, "
                    "points on the search curves and local maxima of the ratio are examined, and a violation is "
                    "reported only when ball arithmetic confirms it at an exact point.",
        epilog=EXIT_STATUS_HELP + " For an audit: 1 is a violation confirmed in ball arithmetic; 3 means no "
                                  "violation was found, which is not a proof that the claim holds.")
    audit.add_argument("expression", metavar="EXPR", help="f as a safe expression, e.g. 'log(1+exp(-a*b))'")
    audit.add_argument("--vars", required=True, help="the variables of f, in order, e.g. a,b")
    audit.add_argument("--L0", help="claimed L0 of ‖∇²f‖₂ ≤ L0 + L1‖∇f‖ (with --L1)")
    audit.add_argument("--L1", help="claimed L1 (with --L0)")
    audit.add_argument("--rho", help="the exponent ρ (0 ≤ ρ ≤ 10^6) of ‖∇²f‖₂ ≤ C0 + C1‖∇f‖^ρ (with --C0, --C1)")
    audit.add_argument("--C0", help="claimed C0 ≥ 0 (decimal or fraction)")
    audit.add_argument("--C1", help="claimed C1 ≥ 0 (decimal or fraction)")
    _add_time_option(audit, DEFAULT_TIME, "the whole audit")
    audit.add_argument("--seed", type=int, default=0, help="seed of the random starts (default 0)")
    audit.add_argument("--json", action="store_true", help="print JSON instead of the report")


def _cmd_audit(args) -> int:
    seconds = _time_budget(args)
    l0l1 = {"--L0": args.L0, "--L1": args.L1}
    general = {"--rho": args.rho, "--C0": args.C0, "--C1": args.C1}
    given_l0l1 = any(v is not None for v in l0l1.values())
    given_general = any(v is not None for v in general.values())
    if given_l0l1 and given_general:
        raise ParseError("give either --L0 and --L1, or --rho, --C0 and --C1 — not both")
    if not given_l0l1 and not given_general:
        raise ParseError("no claimed constants: give --L0 A --L1 B, or --rho R --C0 A --C1 B")
    options = l0l1 if given_l0l1 else general
    missing = [name for name, value in options.items() if value is None]
    if missing:
        raise ParseError(f"{' and '.join(missing)} missing: give all of {', '.join(options)}")
    variables = declare_variables(args.vars)
    objective = Objective.from_string(args.expression, [v.name for v in variables])
    constants = {name.lstrip("-"): value for name, value in options.items()}
    result = audit(objective, **constants, time_budget=seconds, seed=args.seed,
                   progress=False if args.json else None)
    if args.json:
        _print_json(result.to_document())
    else:
        print(result.report())
    return exit_status(result.verdict)


#: A word given a leading space by :func:`_values_not_options` so that argparse reads it as a value.
_VALUE_MARK = " "


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _values_not_options(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``argv`` with every word that begins with ``-`` but is none of the command's options (an
    expression such as ``-x**4``, a value such as ``-1/2``) marked as a value.

    Words beginning with ``--`` followed by a letter stay options (an unknown one is argparse's
    error), and so does everything after a bare ``--``."""
    commands = _subcommands(parser)
    position = next((i for i, word in enumerate(argv) if word in commands), None)
    if position is None:
        return list(argv)
    known = _option_strings(commands[argv[position]])
    out = list(argv[:position + 1])
    rest = argv[position + 1:]
    for i, word in enumerate(rest):
        if word == "--":
            out.extend(rest[i:])
            break
        option = word.split("=", 1)[0]
        looks_long = option.startswith("--") and option[2:3].isalpha()
        if word.startswith("-") and len(word) > 1 and option not in known and not looks_long:
            word = _VALUE_MARK + word
        out.append(word)
    return out


def _unmark(value: object) -> object:
    if isinstance(value, str) and value.startswith(_VALUE_MARK + "-"):
        return value[len(_VALUE_MARK):]
    if isinstance(value, list):
        return [_unmark(item) for item in value]
    return value


def _add_experiment_parser(sub) -> None:
    experiment = sub.add_parser(
        "experiment", help="reproduce a seed's experiment: " + ", ".join(EXPERIMENTS),
        description="Reproduce an experiment of a seed paper with its figures, and the certificates the package "
                    "can add. cooper-line: seed 001 §3.1, the fixed line R through a tanh 1-4-7-1 network (L2 "
                    "loss) and a 1-3-3-2 network (cross-entropy): tubular samples, the seed's Figures 1–2, and "
                    "curve certificates along R. cooper-segments: seed 001 §3.2, the radial segments of its "
                    "App. B, classified and compared with the seed's descriptions, with lower bounds on (L0, L1) "
                    "from the sampled witnesses.",
        epilog=EXIT_STATUS_HELP)
    experiment.add_argument("name", metavar="NAME", help="the experiment: " + ", ".join(EXPERIMENTS))
    experiment.add_argument("--plots", metavar="DIR", help="write the figures (PNG) into DIR (created if needed)")
    experiment.add_argument("--json", action="store_true", help="print JSON instead of the report")


def _cmd_experiment(args) -> int:
    if args.name not in EXPERIMENTS:
        raise ParseError(f"unknown experiment {args.name!r}; one of: {', '.join(EXPERIMENTS)}")
    if args.plots is not None and os.path.exists(args.plots) and not os.path.isdir(args.plots):
        raise ParseError(f"--plots {args.plots!r} exists and is not a directory")
    result = run_experiment(args.name, plots=args.plots, progress=False if args.json else None)
    if args.json:
        _print_json(result.to_document())
    else:
        print(result.report())
    return exit_status(result.verdict)


def _unmark_values(args: argparse.Namespace) -> None:
    for name, value in vars(args).items():
        setattr(args, name, _unmark(value))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(_values_not_options(words, parser))
    _unmark_values(args)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    handlers = {"verify": _cmd_verify, "check": _cmd_check, "dln": _cmd_dln, "net": _cmd_net,
                "univariate": _cmd_univariate, "audit": _cmd_audit, "experiment": _cmd_experiment,
                "dynamics": dynamics_command.run, "bregman": bregman_command.run,
                "sweep": sweep_command.run, "sweep-report": sweep_report_command.run}
    try:
        return handlers[args.command](args)
    except (DlnsmoothError, ValueError) as exc:
        print(f"dlnsmooth {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (head, less) went away: nothing more to say
        sys.stderr.close()
        return 0
    except (RecursionError, MemoryError) as exc:
        print(f"dlnsmooth {args.command}: error: the input is too large or too deeply nested "
              f"({type(exc).__name__})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: one line for the user; DLNSMOOTH_DEBUG=1 shows the traceback
        if os.environ.get("DLNSMOOTH_DEBUG"):
            raise
        print(f"dlnsmooth {args.command}: internal error (a bug, please report it; DLNSMOOTH_DEBUG=1 shows "
              f"where): {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 500 else text[:497] + "…"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
