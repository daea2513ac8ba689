"""The ``dlnsmooth bregman`` command (dlnsmooth.bregman.command): exit statuses 0/1/4 from the decisions, the JSON
fields documented in the module docstring, exponent sets, the table, and bad input as exit 2 with one line."""

from __future__ import annotations

import argparse
import functools
import json
import sys

import pytest

from dlnsmooth import cli
from dlnsmooth.bregman import command
from dlnsmooth.bregman.divergence import RECONSTRUCTION_NOTE
from dlnsmooth.bregman.table import common_losses_table
from dlnsmooth.errors import DlnsmoothError

FIELDS = {"schema", "dlnsmooth_version", "loss", "variables", "kind", "p", "minimiser", "verdict", "method", "constant",
          "constant_bounds", "attained", "route", "certificate", "notes", "seconds"}


def _registered() -> bool:
    return "bregman" in cli._subcommands(cli.build_parser())


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """The command as ``dlnsmooth bregman …`` runs it (through the CLI once it registers the command)."""
    if _registered():
        status = cli.main(["bregman", *argv])
    else:
        parser = argparse.ArgumentParser(prog="dlnsmooth")
        command.add_parser(parser.add_subparsers(dest="command"))
        try:
            status = command.run(parser.parse_args(["bregman", *argv]))
        except (DlnsmoothError, ValueError) as exc:
            print(f"dlnsmooth bregman: error: {exc}", file=sys.stderr)
            status = 2
    out, err = capsys.readouterr()
    return status, out, err


def test_holds_with_the_best_constant_in_json(capsys):
    status, out, _ = run(["softplus", "--smooth", "2", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and FIELDS <= set(data)
    assert (data["verdict"], data["constant"], data["kind"], data["p"], data["variables"]) == (
        "holds", "1/8", "smooth", "2", ["u"])
    assert data["notes"][0] == RECONSTRUCTION_NOTE and data["schema"].startswith("dlnsmooth.bregman/")
    assert data["method"] == "univariate" and data["certificate"] is None and data["route"]


def test_refuted_with_a_certificate(capsys):
    status, out, _ = run(["exponential", "--smooth", "2", "--json"], capsys)
    data = json.loads(out)
    assert status == 1 and data["verdict"] == "refuted" and data["certificate"]["table"]
    status, out, _ = run(["log(exp(a) + exp(b))", "--vars", "a,b", "--convex", "2"], capsys)
    assert status == 1 and "d_F(g(t), h(t)) = 0 for every t" in out and RECONSTRUCTION_NOTE in out


def test_log_sum_exp_and_exponents(capsys):
    status, out, _ = run(["cross-entropy:n=2", "--smooth", "2", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["constant"] == "1/4" and data["method"] == "log-sum-exp"
    assert data["variables"] == ["u1", "u2"] and data["approach"]["confirmed"]
    status, out, _ = run(["squared", "--exponents", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["kind"] == "both" and data["p"] is None
    assert {k: v["text"] for k, v in data["exponents"].items()} == {"convex": "{2}", "smooth": "{2}"}


def test_table(capsys, monkeypatch):
    monkeypatch.setattr(command, "common_losses_table", functools.partial(common_losses_table, ["squared"]))
    status, out, _ = run(["--table", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["schema"].startswith("dlnsmooth.bregman-table/") and data["rows"][0]["loss"] == "squared"
    status, out, _ = run(["--table"], capsys)
    assert status == 0 and "| squared | u² | {2} | c = 1 | {2} | c = 1 | — |" in out


@pytest.mark.parametrize("argv, message", [
    (["u**4 - u**2", "--convex", "2"], "not convex"),
    (["squared", "--convex", "0"], "> 0"),
    (["squared", "--smooth", "-1"], "> 0"),
    (["x**2", "--smooth", "2"], "unknown variable"),
    (["log-cos", "--smooth", "2"], "unknown loss"),
    (["squared"], "--convex P, --smooth Q or --exponents"),
    (["squared", "--table"], "--table takes no LOSS"),
    (["a*b", "--vars", "a,b", "--smooth", "2"], "not supported"),
    (["squared", "--smooth", "2", "--time", "0"], "--time"),
])
def test_bad_input_is_exit_two_with_one_line(argv, message, capsys):
    status, out, err = run(argv, capsys)
    assert status == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
