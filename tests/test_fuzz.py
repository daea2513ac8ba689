"""Fuzz the command line: random expression strings, ρ values and network widths through
``dlnsmooth.cli.main`` end in a verdict or a one-line error — never a traceback, an uncaught
exception or an undocumented exit status.

The inputs are drawn from a fixed seed (the run is deterministic); :data:`INPUTS_TRIED` is how
many command lines one run tries. Every command gets a small ``--time`` (2–5 s) and small tables,
and a watchdog turns an input still running 10 s after the largest budget into a reported failure
instead of a hang.
"""

from __future__ import annotations

import contextlib
import io
import random
import signal
import time
from collections import Counter

import pytest

from dlnsmooth.cli import main
from dlnsmooth.results import EXIT_STATUSES

SEED = 14

#: Expressions that broke (or could break) the package: towers, huge powers, huge and tiny
#: numbers, unknown names, unsafe syntax, leading minus signs, deep nesting, unicode.
NASTY_EXPRESSIONS = [
    "x**x**x**x**x**x**x**x",
    "x**(10**100)",
    "exp(exp(exp(exp(x))))",
    "10**10**10*x",
    "1e99999*x",
    "1e-99999*x**2",
    "2**exp(exp(20))*x",
    "-x**4",
    "-x**2+y",
    "--x",
    "-(-(-x))",
    "-",
    "",
    " ",
    "x**",
    "(((((x)))))",
    "(" * 200 + "x" + ")" * 200,
    "sin(" * 12 + "x" + ")" * 12,
    "-" * 300 + "x",
    "x" + "+x" * 2000,
    "foo(x)",
    "x + z",
    "__import__('os').system('true')",
    "lambda: 0",
    "x.real",
    "[x, y]",
    "x if y else 1",
    "abs(x)",
    "sqrt(x)",
    "log(x)",
    "1/x",
    "x**(7/3)",
    "x**-1",
    "0**x",
    "0*x",
    "x**0.5",
    "exp(1000*x)",
    "cos(exp(x))",
    "log(1+exp(-x*y))",
    "tanh(x)*y",
    "x²",
    "√x",
    "ℯ**x",
    "x\u200b+y",
    "\x00x",
    "x\ny",
    "𝑥+y",
    "pi*x**E",
    "x**y",
    "nan*x",
    "oo*x",
    "zoo",
    "I*x",
    "1j*x",
    "x % 2",
    "x // 2",
    "x @ y",
    "x == y",
    "'x'",
    "b'x'",
]

#: ρ values: negative, NaN, infinities, huge and tiny, fractions, garbage.
RHOS = ["1", "0", "2/3", "0.6", "1/2", "2", "-1", "-1/2", "-0", "nan", "NaN", "inf", "-inf", "oo", "1e400",
        "-1e400", "1e-400", "1000000", "1000001", "10**6", "1/0", "3/7", "0.999999999999999999999", "abc", "",
        "1,5", "½", "1e6", "2/3/4", "sqrt(2)", "--1", "1_000"]

#: Network widths: zero, negative, huge, malformed.
WIDTHS = ["1,1,1,1", "1,1,1", "0,1,1,1", "-1,1,1,1", "1,-1,1,1", "1,1,1,2", "1,1,1,0", "1000,1000,1000,1",
          "1,99999999999999999999,1", "1,,1,1", "a,b", "", ",", "1.5,1,1,1", "1e3,1,1,1", "1, 1, 1, 1",
          "2,2,2,1", "1;1;1;1", "１,1,1,1", "1" + ",1" * 40000, "300,300,300,1", "-", "--1"]

#: ``net`` arguments: activations, losses and curves, valid and not (unknown names, unsafe forms, missing blocks).
NET_ACTIVATIONS = ["tanh", "sigmoid", "softplus", "sin", "gelu", "identity", "quadratic", "relu", "", "TANH", "σ"]
DYNAMICS_METHODS = ["subgradient", "sgd", "momentum", "rmsprop", "adam", ""]
NET_LOSSES = ["squared", "l2", "logistic", "exponential", "cross-entropy", "hinge", ""]
NET_CURVES = ["theorem-g", "W1=0, W2=0, W3=t", "W1=0, b1=0, W2=0, b2=1, W3=t, b3=0", "W1=t", "W9=t", "", "W1=",
              "W1=0, W2=0, W3=t, W3_1_1=-t**2", "W1=0, W2=0, W3=exp(exp(t))", "W1=0, W2=0, W3=log(-t)",
              "W1=__import__('os'), W2=t, W3=t", "W1_1_1=t", "b1=t, b1=t", "W1=0;W2=0;W3=t"]
NET_DATA = ["[(1, 1)]", "[(1, [1, 0])]", "[([1, 2], 1)]", "[(1, nan)]", "[(1, [0.5, 0.5])]", "[]", "x", "[(1, 2, 3)]",
            "missing.csv"]

_ATOMS = ["x", "y", "1", "2", "0", "1/2", "10**40", "1e-30", "pi", "E", "t", "z", "3.5", "10**10**3"]
_UNARY = ["sin", "cos", "exp", "log", "tanh", "sqrt", "atan", "erf", "foo", "abs", "-", "+"]
_BINARY = ["+", "-", "*", "/", "**"]
_GARBAGE = "xy()+-*/.,=_'\"[]{}<>!@#$%^&|~`;:? \t0123456789eé√πλ∞→\u200b"


def _random_expression(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(_ATOMS)
    roll = rng.random()
    if roll < 0.35:
        op = rng.choice(_UNARY)
        inner = _random_expression(rng, depth - 1)
        return f"{op}{inner}" if op in "+-" else f"{op}({inner})"
    if roll < 0.9:
        return f"({_random_expression(rng, depth - 1)}){rng.choice(_BINARY)}({_random_expression(rng, depth - 1)})"
    return "".join(rng.choice(_GARBAGE) for _ in range(rng.randint(1, 12)))


def _cases() -> list[list[str]]:
    rng = random.Random(SEED)
    expressions = NASTY_EXPRESSIONS + [_random_expression(rng, rng.randint(1, 5)) for _ in range(64)]
    cases: list[list[str]] = []
    for expression in expressions:  # along a curve: the cheapest full computation
        cases.append(["check", expression, "--vars", "x,y", "--rho", rng.choice(RHOS), "--curve", "x=t, y=1/t",
                      "--decades", "3", "--time", "3", "--limit-budget", "2"])
    for rho in RHOS:
        cases.append(["check", "x**4", "--vars", "x", "--rho", rho, "--curve", "x=t", "--decades", "3", "--time", "3"])
        cases.append(["audit", "x**2", "--vars", "x", "--rho", rho, "--C0", "2", "--C1", "0", "--time", "2"])
    for expression in rng.sample(expressions, 16):  # the univariate decision
        cases.append(["univariate", expression, "--rho", rng.choice(RHOS[:6]), "--decades", "3", "--time", "3",
                      "--limit-budget", "1"])
    for expression in rng.sample(expressions, 8):  # no curve: the decision or the search
        cases.append(["check", expression, "--vars", "x,y", "--rho", "1", "--decades", "3", "--time", "2",
                      "--limit-budget", "1", "--certify", "1"])
    for widths in WIDTHS:
        cases.append(["dln", "--widths", widths, "--decades", "3", "--time", "5"])
    for extra in (["--time", "0"], ["--time", "-1"], ["--time", "nan"], ["--time", "1e400"], ["--time", "x"],
                  ["--decades", "-5"], ["--decades", "100000"], ["--digits", "0"], ["--max-dps", "3"],
                  ["--limit-budget", "0"], ["--exponents", "5:1"], ["--denominator", "99"], ["--curve", "x=-t"],
                  ["--curve", "x=sqrt(1-t)"], ["--curve", "x=log(-t)"], ["--curve", "x=exp(exp(exp(t)))"],
                  ["--param", "x"], ["--curve", "x="], ["--vars", "x,x"]):
        cases.append(["check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t", "--decades", "3", "--time", "3",
                      *extra])
    for widths in ("2,2,2,1", "1,1,1,1,1", "0,1,1,1", "1000,1000,1000,1"):  # the network search
        cases.append(["dln", "--widths", widths, "--search", "--decades", "3", "--time", "3", "--certify", "1"])
    for widths in rng.sample(WIDTHS, 5) + ["1,2,2,1", "1,2,2,3"]:  # feed-forward networks
        cases.append(["net", "--widths", widths, "--activation", rng.choice(NET_ACTIVATIONS),
                      "--loss", rng.choice(NET_LOSSES), *rng.choice([[], ["--no-bias"]]), "--decades", "3",
                      "--time", "5"])
    for activation in NET_ACTIVATIONS[:7]:  # every activation through a full certificate
        widths, loss = rng.choice([("1,2,2,1", "logistic"), ("2,2,2,2", "squared"), ("1,2,2,3", "cross-entropy")])
        cases.append(["net", "--widths", widths, "--activation", activation, "--loss", loss,
                      *rng.choice([[], ["--no-bias"]]), "--random-data", "3", "--decades", "3", "--time", "3"])
    for curve in NET_CURVES:
        cases.append(["net", "--widths", "1,2,2,1", "--curve", curve, *rng.choice([["--rho", rng.choice(RHOS)], []]),
                      "--decades", "3", "--time", "3"])
    for data in NET_DATA:
        cases.append(["net", "--widths", "1,2,2,2", "--loss", rng.choice(NET_LOSSES[:5]), "--data", data,
                      "--decades", "3", "--time", "4"])
    for widths in ("1,2,2,1", "0,1,1"):  # the network search
        cases.append(["net", "--widths", widths, "--search", "--decades", "3", "--time", "3", "--certify", "1"])
    for expression in ("sin(x**2)", "exp(-x**2)", "-x**3", "x*y", "log(x)", "1/(1+x**2)"):  # f′ given
        cases.append(["univariate", expression, "--derivative", "--rho", "1", "--decades", "3", "--time", "3"])
    for beta0, alpha, lam in (("0.5053,0.5053", "0.01", "1"), ("-0.3,0.2,1e-3", "1/7", "2"), ("1e400", "0.1", "1"),
                              ("0.5", "0", "1"), ("0.5", "-1", "1"), ("0.5", "0.1", "-1"), ("nan", "0.1", "1"),
                              ("", "0.1", "1"), ("0.5,,1", "0.1", "1"), ("1/0", "0.1", "1")):  # subgradient dynamics
        cases.append(["dynamics", "lasso", "--beta0", beta0, "--alpha", alpha, "--lambda", lam,
                      "--method", rng.choice(DYNAMICS_METHODS), "--steps", rng.choice(["1", "50", "2000"]), "--time", "3"])
    for argv in (["dynamics", "lasso", "--beta0", "0.5", "--alpha", "0.1", "--lambda", "1", "--steps", "0"],
                 ["dynamics", "lasso", "--beta0", "0.5", "--alpha", "0.1", "--lambda", "1", "--steps", "10**12"],
                 ["dynamics", "huber", "--random-data", "4,3", "--seed", "1", "--alpha", "0.1", "--beta0", "1,2"],
                 ["dynamics", "huber", "--random-data", "0,3", "--seed", "1", "--alpha", "0.1"],
                 ["dynamics", "huber", "--random-data", "5,3", "--seed", "1", "--alpha", "10", "--steps", "300",
                  "--time", "3"],
                 ["dynamics", "lasso-general", "--random-data", "4,6", "--seed", "2", "--alpha", "0.05", "--lambda", "1",
                  "--steps", "300", "--time", "3"],
                 ["dynamics", "lasso-general", "--data", "/nonexistent", "--alpha", "0.1", "--lambda", "1"],
                 ["dynamics", "nope", "--alpha", "0.1"]):
        cases.append(argv)
    for loss in rng.sample(expressions, 6) + ["softplus", "huber:delta=0", "absolute-power:a=1", "cross-entropy:n=1",
                                              "u**4-u**2", "abs(u)", "nope-loss"]:  # norm-power conditions
        cases.append(["bregman", loss, "--var", "u", rng.choice(["--convex", "--smooth"]), rng.choice(RHOS),
                      "--time", "3"])
    for argv in (["bregman", "--table", "softplus"], ["bregman", "softplus"], ["bregman", "u**2", "--exponents",
                                                                               "--var", "1u"],
                 ["sweep", "/nonexistent.toml"], ["sweep", "/nonexistent.toml", "--workers", "0"],
                 ["sweep", "/nonexistent.toml", "--scheduler", "ftp://x"], ["sweep-report", "/nonexistent"],
                 ["sweep-report", "/", "--plot", "/nonexistent/dir/x.png"]):
        cases.append(argv)
    for argv in (["verify", "prop99"], ["verify", "--time", "0"], ["verify", "-x"], ["verify", "--list", "--time", "-1"],
                 ["univariate", "x**4", "--var", "-x"], ["univariate", "x**4", "--radius", "-1e400"],
                 ["audit", "-x**2", "--vars", "x", "--L0", "-1", "--L1", "1e400", "--time", "2"],
                 ["audit", "x**2", "--vars", "x", "--L0", "1", "--time", "2"],
                 ["check", "sin(" * 60 + "x" + ")" * 60, "--vars", "x,y", "--rho", "1", "--curve", "x=t, y=1/t",
                  "--decades", "3", "--time", "3", "--limit-budget", "2"]):
        cases.append(argv)
    return cases


CASES = _cases()
#: How many command lines one run of the fuzz test tries (quoted in the closing note of issue 14).
INPUTS_TRIED = len(CASES)
#: Largest --time of the fuzz (5 s) plus the grace of issue 14 (10 s): an input still running then
#: has overrun its budget.
WATCHDOG_SECONDS = 15


class _Overrun(BaseException):
    """Raised by the watchdog; not an Exception, so the command line's own handlers let it through."""


def _alarm(signum, frame):
    raise _Overrun


def _run(argv: list[str]) -> tuple[int | None, str, float]:
    """(exit status, stderr, seconds) of one command line; None as the status of a crash."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(WATCHDOG_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's own usage errors (exit 2) and --help
                code = exc.code if isinstance(exc.code, int) else 2
    except _Overrun:
        code, err = None, io.StringIO(f"still running after {WATCHDOG_SECONDS} s")
    except Exception as exc:  # noqa: BLE001 - an uncaught exception is what the fuzz looks for
        code, err = None, io.StringIO(f"uncaught {type(exc).__name__}: {exc}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return code, err.getvalue(), time.perf_counter() - start


@pytest.mark.slow
def test_no_input_crashes_the_command_line():
    failures, durations, statuses = [], [], Counter()
    start = time.perf_counter()
    for argv in CASES:
        code, err, seconds = _run(argv)
        durations.append((seconds, argv))
        statuses[code] += 1
        if code not in EXIT_STATUSES or "Traceback" in err:  # a status of None is an overrun or a crash
            failures.append(f"{[a[:60] for a in argv]} -> status {code} in {seconds:.1f} s: {err.strip()[:300]}")
    total = time.perf_counter() - start
    print(f"fuzz: {len(CASES)} command lines tried in {total:.1f} s, {len(failures)} failure(s); exit statuses "
          f"{dict(sorted(statuses.items(), key=str))}; slowest:")
    for seconds, argv in sorted(durations, key=lambda pair: pair[0], reverse=True)[:5]:
        print(f"  {seconds:5.1f} s  {[a[:40] for a in argv]}")
    assert not failures, f"{len(failures)} of {len(CASES)} inputs failed:\n" + "\n".join(failures)


def test_the_fuzz_inputs_are_deterministic_and_cover_every_command():
    assert _cases() == CASES
    assert {argv[0] for argv in CASES} == {"check", "univariate", "audit", "dln", "net", "verify", "dynamics",
                                           "bregman", "sweep", "sweep-report"}
    assert INPUTS_TRIED >= 250
