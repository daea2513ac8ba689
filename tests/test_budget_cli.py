"""Issue 14 §1 through the command line: each input that hung or crashed ends within its
``--time`` (here 10 s) plus a grace of 10 s, with an honest verdict or a clear one-line refusal.

Each case lists the verdicts that are correct for it (``undecided`` is always honest; a verdict
that contradicts the mathematics is never allowed) or the refusal it must print. The commands run
as subprocesses so that a hang is caught by the timeout rather than blocking the test run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from dlnsmooth.results import EXIT_BAD_INPUT, exit_status, verify_exit_status

BUDGET = 10
GRACE = 10

# (id, argv, allowed verdicts, or None with the fragment of the expected refusal)
CASES = [
    ("tower-along-t", ["check", "x**x**x**x**x**x**x**x", "--vars", "x", "--rho", "1", "--curve", "x=t"],
     {"refuted", "not refuted", "undecided"}, None),
    ("tower-univariate", ["univariate", "x**x**x**x**x**x**x**x", "--rho", "1"], {"undecided"},
     "is continuous only on"),
    ("huge-power-along-t", ["check", "x**(10**100)", "--vars", "x", "--rho", "1/2", "--curve", "x=t"],
     {"refuted", "undecided"}, None),
    ("exp-tower-along-t", ["check", "exp(exp(exp(exp(x))))", "--vars", "x", "--rho", "1", "--curve", "x=t"],
     {"refuted", "undecided"}, None),
    ("exp-exp-univariate", ["univariate", "exp(exp(x))"], {"holds", "undecided"}, None),
    ("cos-exp-univariate", ["univariate", "cos(exp(x))"], {"holds", "undecided"}, None),
    ("exp-tower-search", ["check", "exp(exp(exp(exp(x*y))))", "--vars", "x,y", "--rho", "1"],
     {"refuted", "not refuted", "undecided"}, None),
    ("exp-tower-audit", ["audit", "exp(exp(exp(exp(x))))", "--vars", "x", "--rho", "1", "--C0", "1", "--C1", "1"],
     {"refuted", "not refuted", "undecided"}, None),
    ("rho-1e400", ["check", "x**4", "--vars", "x", "--rho", "1e400", "--curve", "x=t"], None,
     "0 <= rho <= 10^6"),
    ("decades-10000", ["check", "x**4", "--vars", "x", "--rho", "1/2", "--curve", "x=t", "--decades", "10000"],
     {"refuted", "undecided"}, None),
    ("decades-10000-exp", ["check", "exp(exp(x))", "--vars", "x", "--rho", "1", "--curve", "x=t",
                           "--decades", "10000"], {"refuted", "undecided"}, None),
    ("two-million-weights", ["dln", "--widths", "1000,1000,1000,1"], None, "beyond the limit of 250000 weights"),
    ("two-million-weights-search", ["dln", "--widths", "1000,1000,1000,1", "--search"], None,
     "beyond the limit of 250000 weights"),
    ("unresolvable-rows", ["check", "exp(exp(exp(x)))", "--vars", "x", "--rho", "1", "--curve", "x=t",
                           "--max-dps", "200"], {"refuted", "undecided"}, None),
]


def _run(argv: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dlnsmooth", *argv, "--time", str(BUDGET), "--json"],
                            capture_output=True, text=True, timeout=5 * (BUDGET + GRACE))
    return result, time.perf_counter() - start


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "allowed", "refusal"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_every_section_1_input_ends_within_its_budget(argv, allowed, refusal):
    result, seconds = _run(argv)
    assert "Traceback" not in result.stderr, result.stderr
    assert seconds < BUDGET + GRACE, f"took {seconds:.1f} s"
    if result.returncode == EXIT_BAD_INPUT:
        assert refusal is not None and refusal in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        return
    assert allowed is not None, f"expected the refusal {refusal!r}, got status {result.returncode}: {result.stderr}"
    payload = json.loads(result.stdout)
    assert payload["verdict"] in allowed, payload["verdict"]
    assert result.returncode == exit_status(payload["verdict"])


@pytest.mark.slow
def test_verify_ends_within_its_budget():
    result, seconds = _run(["verify"])
    assert "Traceback" not in result.stderr, result.stderr
    payload = json.loads(result.stdout)
    assert seconds < BUDGET + GRACE, f"took {seconds:.1f} s"
    assert result.returncode == verify_exit_status(row["verdict"] for row in payload["summary"])
    for row in payload["summary"]:
        if row["evidence"].startswith("not started"):
            assert row["verdict"] == "undecided"
