"""The ``dlnsmooth`` command line: argument parsing and printing only.

Commands::

    dlnsmooth verify [NAME ...] [--json] [--list]
    dlnsmooth check EXPR --vars a,b (--rho R | --every-rho) [--curve 'a=t,b=1/t'] [--time S]
          (without --curve: search the curve families for a refuting curve)
    dlnsmooth dln --widths 1,1,1,1,1 --loss logistic [--data FILE_OR_INLINE | --random-data N --seed S] [--search]
    dlnsmooth univariate EXPR [--var x] [--rho R] [--derivative] [--json]
          (exact decision for f : R → R; exit 0 decided, 1 undecided, 2 bad input)
    dlnsmooth audit EXPR --vars a,b (--L0 A --L1 B | --rho R --C0 A --C1 B) [--time S] [--seed S] [--json]
          (look for a point violating claimed constants; exit 0 none found, 1 violated, 2 bad input)

Exit status: 0 on success (``verify``: every claim verified), 1 when a
``verify`` claim fails or is undecided, 2 on bad input (with a one-line
message naming the problem; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from proofs import CLAIMS, load

from . import __version__
from .audit import audit
from .budget import DEFAULT_LIMIT_BUDGET
from .certificate import certify_curve
from .curves import Curve
from .errors import DlnsmoothError, ParseError, ShapeError
from .networks.data import Dataset
from .networks.deep_linear import DeepLinearObjective, check_widths
from .networks.losses import LOSSES, get_loss
from .networks.theorem_g import certify_theorem_g
from .objective import Objective
from .parsing import declare_variables
from .plots import plot_certificate
from .precision import MAX_DPS
from .results import document
from .search import FAMILIES, SearchOptions, search_refuting_curve
from .univariate import UNIVARIATE_LIMIT_BUDGET, decide_univariate

__all__ = ["main", "build_parser"]


def _add_numeric_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("evidence")
    group.add_argument("--decades", type=int, default=30, metavar="K",
                       help="numeric table at t = 10^1 … 10^K (default 30)")
    group.add_argument("--digits", type=int, default=15, help="confirmed significant digits per value (default 15)")
    group.add_argument("--limit-budget", type=float, default=DEFAULT_LIMIT_BUDGET, metavar="SECONDS",
                       help=f"time budget of each symbolic limit (default {DEFAULT_LIMIT_BUDGET:g} s)")
    group.add_argument("--max-dps", type=int, default=MAX_DPS, metavar="DIGITS",
                       help=f"cap of the adaptive working precision (default {MAX_DPS})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the report")
    parser.add_argument("--latex", action="store_true", help="also print the key expressions in LaTeX")
    parser.add_argument("--plot", metavar="FILE.png",
                        help="save a log-log plot of ‖∇f‖, ‖∇²f‖_F and the ratio along the curve (needs matplotlib)")


def _add_search_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("curve search (used when no curve is given, or with --search)")
    group.add_argument("--time", type=float, default=60.0, metavar="SECONDS",
                       help="time budget of the whole search, certificates included (default 60)")
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
    )
    parser.add_argument("--version", action="version", version=f"dlnsmooth {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    verify = sub.add_parser("verify", help="run the registered claim checks (Propositions, Theorem G)")
    verify.add_argument("names", nargs="*", metavar="NAME", help="claims to check (default: all)")
    verify.add_argument("--list", action="store_true", help="list the registered claims and exit")
    verify.add_argument("--json", action="store_true", help="print JSON instead of the reports")

    check = sub.add_parser("check", help="certificate for an expression along a curve")
    check.add_argument("expression", metavar="EXPR", help="f as a safe expression, e.g. 'log(1+exp(-a*b))'")
    check.add_argument("--vars", required=True, help="the variables of f, in order, e.g. a,b")
    which = check.add_mutually_exclusive_group(required=True)
    which.add_argument("--rho", help="the exponent ρ ≥ 0 (decimal or fraction, e.g. 0.5 or 2/3)")
    which.add_argument("--every-rho", action="store_true", help="refute every ρ ≥ 0 at once (needs ‖∇f‖ bounded)")
    check.add_argument("--curve", help="the curve, one expression in the parameter per variable: 'a=t, b=1/t' "
                                       "(without it the curve families are searched)")
    check.add_argument("--param", default="t", help="name of the curve parameter (default t)")
    _add_numeric_options(check)
    _add_search_options(check)

    dln = sub.add_parser("dln", help="Theorem G certificate for a deep linear network")
    dln.add_argument("--widths", default="1,1,1,1,1",
                     help="n0,n1,…,nL: input dimension, hidden widths, 1 (default 1,1,1,1,1)")
    dln.add_argument("--loss", default="logistic", help=f"one of {', '.join(LOSSES)} (default logistic)")
    data = dln.add_mutually_exclusive_group()
    data.add_argument("--data", metavar="FILE_OR_INLINE",
                      help="a .json/.csv file, or inline pairs such as '[(1, 1), (-2, -1)]'")
    data.add_argument("--random-data", type=int, metavar="N", help="draw N observations reproducibly")
    dln.add_argument("--seed", type=int, default=0, help="seed for --random-data (default 0)")
    dln.add_argument("--search", action="store_true",
                     help="find the refuting curve by the automatic search instead of Theorem G's curve")
    _add_numeric_options(dln)
    _add_search_options(dln)
    _add_univariate_parser(sub)
    _add_audit_parser(sub)
    return parser


def _print_json(document: dict) -> None:
    """Print a versioned JSON document (:func:`dlnsmooth.results.document`)."""
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _numeric_options(args) -> dict:
    if args.decades < 3:
        raise ParseError(f"--decades must be at least 3, got {args.decades}")
    if args.digits < 1:
        raise ParseError(f"--digits must be at least 1, got {args.digits}")
    if not args.limit_budget > 0:
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
                         denominator=args.denominator, time_budget=args.time, certify=args.certify,
                         seed=args.search_seed, decades=numeric["decades"], digits=numeric["digits"],
                         limit_budget=numeric["limit_budget"])


def _emit(result, args, extra: dict | None = None) -> None:
    """Print a certificate or a search result (report, or JSON with ``extra`` merged in)."""
    if args.json:
        payload = result.to_document()
        if extra:
            payload.update(extra)
        _print_json(payload)
        return
    print(result.report())
    certificate = getattr(result, "certificate", result)  # a search result carries its certificate
    if args.plot:
        shown = certificate or next((c.certificate for c in result.certified if c.certificate), None)
        _plot(shown, args)
    if args.latex and certificate is not None:
        print("\nLaTeX:")
        for key, value in certificate.latex().items():
            print(f"  {key}: {value}")


def _plot(certificate, args) -> None:
    if certificate is None:
        print("Plot: no certified curve to plot")
        return
    plot_certificate(certificate, args.plot)
    print(f"Plot: {args.plot} (log-log: ‖∇f‖ Euclidean, ‖∇²f‖_F Frobenius, the ratio; "
          f"against {certificate.curve.parameter.name})")


def _cmd_check(args) -> int:
    variables = declare_variables(args.vars)
    objective = Objective.from_string(args.expression, [v.name for v in variables])
    if not args.curve:
        result = search_refuting_curve(objective, rho=None if args.every_rho else args.rho,
                                       every_rho=args.every_rho, options=_search_options(args),
                                       progress=False if args.json else None)
        _emit(result, args)
        return 0
    curve = Curve.parse(args.curve, objective.variables, args.param)
    certificate = certify_curve(objective, curve, rho=None if args.every_rho else args.rho,
                                every_rho=args.every_rho, **_numeric_options(args))
    _emit(certificate, args)
    return 0


def _parse_widths(text: str) -> tuple[int, ...]:
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise ShapeError(f"--widths must be comma-separated positive integers such as 1,1,1,1,1; got {text!r}") from None
    return check_widths(values)


def _cmd_dln(args) -> int:
    widths = _parse_widths(args.widths)
    loss = get_loss(args.loss)
    if args.data is not None:
        data = Dataset.resolve(args.data)
    elif args.random_data is not None:
        data = Dataset.random(args.random_data, widths[0], args.seed, loss.labels)
    else:
        data = Dataset.from_pairs([([1] * widths[0], 1)], source="default (x = 1, y = 1)")
    objective = DeepLinearObjective(widths, data, loss)
    extra = {"network": {"widths": list(widths), "depth": objective.depth, "weights": objective.n,
                         "loss": loss.name, "data": data.to_json()}}
    if not args.json:
        print(f"Network: widths {'-'.join(map(str, widths))}, {objective.n} weights, {loss.name} loss; "
              f"data: {data.describe()} [{data.source}]")
    if args.search:
        result = search_refuting_curve(objective, every_rho=True, options=_search_options(args),
                                       progress=False if args.json else None)
        _emit(result, args, extra)
        return 0
    certificate = certify_theorem_g(objective, **_numeric_options(args))
    _emit(certificate, args, extra)
    return 0


def _cmd_verify(args) -> int:
    if args.list:
        for name, module in CLAIMS.items():
            print(f"{name:<12} {load(name).TITLE}  ({module})")
        return 0
    names = args.names or list(CLAIMS)
    modules = [load(name) for name in names]  # unknown names fail before any work starts
    reports = []
    start = time.perf_counter()
    for module in modules:
        report = module.verify(progress=False if args.json else None)
        reports.append(report)
        if not args.json:
            print(report.report())
            print()
    total = time.perf_counter() - start
    ok = all(r.ok for r in reports)
    verdicts = {r.verdict for r in reports}
    overall = "holds" if ok else ("refuted" if "refuted" in verdicts else "undecided")
    if args.json:
        _print_json(document("verify", {
            "verdict": overall, "ok": ok, "seconds": round(total, 3), "claims": [r.to_json() for r in reports],
            "summary": [{"claim": r.name, "verdict": r.verdict, "evidence": r.evidence_kind,
                         "seconds": round(r.seconds, 3)} for r in reports]}))
    else:
        print("Summary")
        print(f"  {'claim':<10} {'verdict':<10} {'time':>7}  evidence")
        for r in reports:
            print(f"  {r.name:<10} {r.verdict:<10} {r.seconds:>6.1f}s  {r.evidence_kind}")
        print(f"  {len(reports)} claim(s), {sum(r.ok for r in reports)} hold, total {total:.1f} s")
    return 0 if ok else 1


def _add_univariate_parser(sub) -> None:
    uni = sub.add_parser("univariate", help="decide exactly for which ρ f′ of f : R → R is ρ-order Lipschitz")
    uni.add_argument("expression", metavar="EXPR", help="f (or f′ with --derivative) as a safe expression in one variable")
    uni.add_argument("--var", default="x", help="the variable (default x)")
    uni.add_argument("--rho", help="also decide this ρ ≥ 0: holds (proof route, constants) or refuted (certificate)")
    uni.add_argument("--derivative", action="store_true",
                     help="EXPR is f′ itself (f = ∫₀ˣ f′; e.g. 'sin(x**2)', which has no elementary primitive)")
    uni.add_argument("--limit-budget", type=float, default=UNIVARIATE_LIMIT_BUDGET, metavar="SECONDS",
                     help=f"time budget of each symbolic limit (default {UNIVARIATE_LIMIT_BUDGET:g} s)")
    uni.add_argument("--decades", type=int, default=30, metavar="K",
                     help="numeric tables at x = ±10^1 … ±10^K (default 30)")
    uni.add_argument("--radius", default="4", metavar="R",
                     help="the compact interval [−R, R] bounded by branch and bound in balls (default 4)")
    uni.add_argument("--json", action="store_true", help="print JSON instead of the report")


def _cmd_univariate(args) -> int:
    decision = decide_univariate(args.expression, variable=args.var, rho=args.rho, derivative=args.derivative,
                                 limit_budget=args.limit_budget, decades=args.decades, radius=args.radius,
                                 progress=False if args.json else None)
    if args.json:
        _print_json(decision.to_document())
    else:
        print(decision.report())
    return 0 if decision.decided else 1


def _add_audit_parser(sub) -> None:
    audit = sub.add_parser(
        "audit", help="look for a point where claimed constants fail: ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ",
        description="Audit claimed constants of ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ (spectral norm of the Hessian, "
                    "Euclidean norm of the gradient, 0^0 = 1; (L0, L1)-smoothness is ρ = 1): stationary points, "
                    "points on the search curves and local maxima of the ratio are examined, and a violation is "
                    "reported only when ball arithmetic confirms it at an exact point.",
        epilog="Exit status: 0 when the audit ran and found no violation (verdict 'not refuted', which is not a "
               "proof that the claim holds); 1 when it found a violation confirmed in ball arithmetic (verdict "
               "'refuted'), so that scripts and CI can test a claim like 'dlnsmooth verify'; 2 on bad input.")
    audit.add_argument("expression", metavar="EXPR", help="f as a safe expression, e.g. 'log(1+exp(-a*b))'")
    audit.add_argument("--vars", required=True, help="the variables of f, in order, e.g. a,b")
    audit.add_argument("--L0", help="claimed L0 of ‖∇²f‖₂ ≤ L0 + L1‖∇f‖ (with --L1)")
    audit.add_argument("--L1", help="claimed L1 (with --L0)")
    audit.add_argument("--rho", help="the exponent ρ ≥ 0 of ‖∇²f‖₂ ≤ C0 + C1‖∇f‖^ρ (with --C0, --C1)")
    audit.add_argument("--C0", help="claimed C0 ≥ 0 (decimal or fraction)")
    audit.add_argument("--C1", help="claimed C1 ≥ 0 (decimal or fraction)")
    audit.add_argument("--time", type=float, default=60.0, metavar="SECONDS",
                       help="time budget of the whole audit (default 60)")
    audit.add_argument("--seed", type=int, default=0, help="seed of the random starts (default 0)")
    audit.add_argument("--json", action="store_true", help="print JSON instead of the report")


def _cmd_audit(args) -> int:
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
    result = audit(objective, **constants, time_budget=args.time, seed=args.seed,
                   progress=False if args.json else None)
    if args.json:
        _print_json(result.to_document())
    else:
        print(result.report())
    return 1 if result.verdict == "refuted" else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    handlers = {"verify": _cmd_verify, "check": _cmd_check, "dln": _cmd_dln, "univariate": _cmd_univariate,
                "audit": _cmd_audit}
    try:
        return handlers[args.command](args)
    except (DlnsmoothError, ValueError) as exc:
        print(f"dlnsmooth {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (head, less) went away: nothing more to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
