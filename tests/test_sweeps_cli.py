"""``dlnsmooth sweep``: one-line errors (exit 2), the summary of a finished sweep (nothing computed), its exit
statuses (0 complete, 4 some case undecided) and its JSON document. No cluster is started here (the runner's
tests start one)."""

from __future__ import annotations

import argparse
import json
import sys

import pytest

from dlnsmooth import cli
from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.sweeps import command
from dlnsmooth.sweeps.case import CaseResult
from dlnsmooth.sweeps.spec import SweepSpec
from dlnsmooth.sweeps.store import ResultStore

SPEC_TEXT = """\
[grid]
depths = [3]
widths = [2]
activations = ["tanh", "identity"]
bias = [false]
losses = ["logistic"]
data = [{ random = 4, seed = 1 }]
[search]
time = 30
"""

#: whether ``dlnsmooth.cli`` registers the command yet (the lead wires it up)
REGISTERED = "\n    sweep " in cli.build_parser().format_help()


def _main(argv: list[str]) -> int:
    """``dlnsmooth sweep …`` through the CLI once it registers the command; until then through the same
    parser and error handling (bad input → one line on stderr, exit 2)."""
    if REGISTERED:
        return cli.main(argv)
    parser = argparse.ArgumentParser(prog="dlnsmooth")
    command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        return command.run(args)
    except DlnsmoothError as exc:
        print(f"dlnsmooth sweep: error: {exc}", file=sys.stderr)
        return 2


def _finished(tmp_path, undecided: bool = False):
    """A spec file and its table, every case already in it."""
    spec_file = tmp_path / "small.toml"
    spec_file.write_text(SPEC_TEXT)
    spec = SweepSpec.from_text(SPEC_TEXT)
    out = command.default_out(spec_file)
    with ResultStore(out) as store:
        store.save_spec(spec)
        for i, case in enumerate(spec.cases()):
            if undecided and i == 1:
                store.write(CaseResult.undecided(case, "exceeded its budget (30 s + 17.5 s grace)", 47.5))
            else:
                store.write(CaseResult.for_case(case, verdict="refuted", critical_exponent="inf",
                                                every_rho_refuted=True, curve="W1 = 0, W2 = 0, W3 = t·ones",
                                                evidence_kinds=["symbolic-limit"], reason="refutes every ρ",
                                                seconds=1.0))
    return spec_file, out


def test_a_finished_sweep_computes_nothing_and_exits_0(tmp_path, capsys):
    spec_file, out = _finished(tmp_path)
    assert out == tmp_path / "small-sweep"
    assert _main(["sweep", str(spec_file)]) == 0
    printed = capsys.readouterr().out
    assert f"nothing to compute: all 2 cases are in {out}" in printed
    assert "computed now 0, already done 2" in printed and "refuted 2" in printed


def test_an_undecided_case_exits_4_and_is_listed_with_its_reason(tmp_path, capsys):
    spec_file, out = _finished(tmp_path, undecided=True)
    assert _main(["sweep", str(spec_file), "--out", str(out)]) == 4
    printed = capsys.readouterr().out
    assert "undecided (1):" in printed and "identity, no bias" in printed and "exceeded its budget" in printed


def test_the_json_document(tmp_path, capsys):
    spec_file, _ = _finished(tmp_path, undecided=True)
    assert _main(["sweep", str(spec_file), "--json"]) == 4
    document = json.loads(capsys.readouterr().out)
    assert document["schema"].startswith("dlnsmooth.sweep/") and document["dlnsmooth_version"]
    assert (document["total"], document["computed"], document["already_done"], document["remaining"]) == (2, 0, 2, 0)
    assert document["complete"] is False and document["verdicts"]["undecided"] == 1
    assert document["undecided"][0]["reason"].startswith("exceeded its budget")
    assert document["throughput"] is None and document["spec"] == str(spec_file)
    assert [c["activation"] for c in document["cases"]] == ["tanh", "identity"]
    assert document["cases"][0]["critical_exponent"] == "inf" and document["cases"][0]["widths"] == [1, 2, 2, 1]


@pytest.mark.parametrize("extra, words", [
    (["--scheduler", "threads"], "unknown scheduler 'threads'"),
    (["--workers", "0"], "from 1 to 256"),
    (["--time", "-1"], "--time must be a positive number"),
])
def test_bad_options_are_one_line(tmp_path, capsys, extra, words):
    spec_file, _ = _finished(tmp_path)
    assert _main(["sweep", str(spec_file), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("dlnsmooth sweep: error:") and words in err and "\n" not in err


@pytest.mark.parametrize("text, words", [
    (None, "no sweep spec at"),
    ("[grid\n", "not valid TOML"),
    (SPEC_TEXT.replace('"identity"', '"relu"'), "unknown activation 'relu'"),
    (SPEC_TEXT.replace("depths", "depht"), "unknown [grid] key 'depht'"),
])
def test_bad_specs_are_one_line(tmp_path, capsys, text, words):
    spec_file = tmp_path / "spec.toml"
    if text is not None:
        spec_file.write_text(text)
    assert _main(["sweep", str(spec_file)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("dlnsmooth sweep: error:") and words in err and "\n" not in err


def test_an_out_that_is_a_file_is_one_line(tmp_path, capsys):
    spec_file, _ = _finished(tmp_path)
    (tmp_path / "taken").write_text("")
    assert _main(["sweep", str(spec_file), "--out", str(tmp_path / "taken")]) == 2
    assert "not a directory" in capsys.readouterr().err
