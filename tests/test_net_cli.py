"""``dlnsmooth net``: feed-forward networks from the command line.

Verdicts are read from the JSON the command prints (the computed certificate), exit statuses
match them, the first line of the report names the network, curves given per block equal the
curves given per entry, and every bad input ends in one line on standard error with status 2
before any long computation.
"""

from __future__ import annotations

import json

import pytest

from dlnsmooth.cli import main
from dlnsmooth.results import EXIT_BAD_INPUT, EXIT_REFUTED, exit_status

FAST = ["--decades", "3", "--time", "60"]


def _json(capsys, argv: list[str]) -> tuple[int, dict]:
    code = main(["net", *argv, *FAST, "--json"])
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert code == exit_status(payload["verdict"]), captured.err
    return code, payload


def test_theorem_g_prime_refutes_every_rho_for_a_bias_free_tanh_network(capsys):
    code, payload = _json(capsys, ["--widths", "1,2,2,1", "--activation", "tanh", "--no-bias"])
    assert code == EXIT_REFUTED and payload["verdict"] == "refuted"
    assert payload["every_rho"] is True and payload["critical_exponent"] == "inf"
    assert payload["network"] == {"widths": [1, 2, 2, 1], "depth": 3, "activation": "tanh", "bias": False,
                                  "parameters": 8, "loss": "squared",
                                  "data": {"source": "default (x = 1, y = 1)", "x": [["1"]], "y": ["1"]}}
    coordinates = payload["curve"]["coordinates"]
    assert [coordinates[k] for k in ("W1_1_1", "W1_2_1", "W2_1_1", "W3_1_2")] == ["0", "0", "0", "t"]


def test_the_human_report_starts_with_the_network(capsys):
    code = main(["net", "--widths", "2,2,2,1", "--activation", "sin", "--no-bias", "--loss", "logistic",
                 "--random-data", "3", "--seed", "1", *FAST])
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("Network: widths 2-2-2-1 (L = 3, 10 parameters), sin activation, without biases, "
                            "logistic loss; data: ")
    assert "[random (N=3, seed=1)]" in first
    assert code == EXIT_REFUTED and "Verdict: REFUTED" in out


def test_a_curve_given_per_block_is_the_curve_given_per_entry(capsys):
    by_block = _json(capsys, ["--widths", "1,2,2,1", "--no-bias", "--every-rho", "--curve", "W1=0, W2=0, W3=t"])[1]
    by_theorem = _json(capsys, ["--widths", "1,2,2,1", "--no-bias"])[1]
    assert by_block["curve"]["coordinates"] == by_theorem["curve"]["coordinates"]
    assert by_block["curve"]["name"] == "blocks: W1=0, W2=0, W3=t"
    assert by_block["verdict"] == by_theorem["verdict"] == "refuted"


def test_an_entry_form_overrides_its_block_form(capsys):
    payload = _json(capsys, ["--widths", "1,2,2,1", "--no-bias", "--rho", "1/2",
                             "--curve", "W1=0, W2=0, W3=t, W3_1_2=2*t"])[1]
    assert payload["curve"]["coordinates"]["W3_1_1"] == "t"
    assert payload["curve"]["coordinates"]["W3_1_2"] == "2*t"
    assert payload["rho"] == "1/2" and payload["every_rho"] is False
    assert payload["verdict"] == "refuted"


def test_a_given_rho_on_theorem_g_prime_s_curve_is_certified_for_that_rho(capsys):
    payload = _json(capsys, ["--widths", "1,2,2,1", "--no-bias", "--rho", "3"])[1]
    assert payload["rho"] == "3" and payload["every_rho"] is False and payload["verdict"] == "refuted"


def test_cross_entropy_draws_one_hot_labels(capsys):
    payload = _json(capsys, ["--widths", "2,2,2,3", "--no-bias", "--loss", "cross-entropy",
                             "--random-data", "4", "--seed", "2"])[1]
    labels = payload["network"]["data"]["y"]
    assert len(labels) == 4 and all(sorted(y) == ["0", "0", "1"] for y in labels)
    assert payload["network"]["loss"] == "cross-entropy"


BAD = {
    "unknown activation": (["--widths", "1,2,1", "--activation", "relu"], "unknown activation"),
    "unknown loss": (["--widths", "1,2,1", "--loss", "hinge"], "unknown loss"),
    "zero width": (["--widths", "1,0,1"], "positive integers"),
    "malformed widths": (["--widths", "1,a,1"], "comma-separated positive integers"),
    "one width": (["--widths", "3"], "define no layer"),
    "logistic with two outputs": (["--widths", "1,2,2", "--loss", "logistic"], "scalar output"),
    "cross-entropy with one output": (["--widths", "1,2,1", "--loss", "cross-entropy"], "at least 2 outputs"),
    "unknown block": (["--widths", "1,2,1", "--curve", "W1=0, W9=t"], "'W9', which is neither a block"),
    "bias with --no-bias": (["--widths", "1,2,1", "--no-bias", "--curve", "W1=0, W2=t, b1=t"], "'b1'"),
    "missing block": (["--widths", "1,2,1", "--curve", "W1=t"], "no form to b1, W2, b2"),
    "missing entries": (["--widths", "1,2,1", "--no-bias", "--curve", "W1=0, W2_1_1=t"], "no form to W2_1_2"),
    "twice": (["--widths", "1,2,1", "--no-bias", "--curve", "W1=0, W1=t, W2=t"], "gives 'W1' twice"),
    "unsafe curve": (["--widths", "1,2,1", "--no-bias", "--curve", "W1=__import__('os'), W2=t"], "curve"),
    "curve and search": (["--widths", "1,2,1", "--curve", "W1=t", "--search"], "not both"),
    "label dimension": (["--widths", "1,2,2", "--data", "[(1, 1)]"], "label"),
    "non-distribution label": (["--widths", "1,2,2", "--loss", "cross-entropy", "--data", "[(1, [2, -1])]"],
                               "probab"),
    "sign label": (["--widths", "1,2,1", "--loss", "logistic", "--data", "[(1, 0.5)]"], "{-1, +1}"),
    "input dimension": (["--widths", "2,2,1", "--data", "[(1, 1)]"], "dimension"),
    "no observations": (["--widths", "1,2,1", "--random-data", "0"], "positive integer"),
    "over budget": (["--widths", "300,300,300,1", "--time", "2"], "time budget"),
    "too many parameters": (["--widths", "1000,1000,1000,1"], "beyond the limit"),
    "bad time": (["--widths", "1,2,1", "--time", "-1"], "--time"),
    "parameter clash": (["--widths", "1,2,1", "--curve", "W1=0, b1=0, W2=0, b2=0", "--param", "W1"], "--param"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_and_status_two(capsys, case):
    argv, message = BAD[case]
    assert main(["net", *argv, "--decades", "3"]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    line = captured.err.strip()
    assert line.startswith("dlnsmooth net: error: ") and "\n" not in line, line
    assert message in line, line
    assert captured.out == ""


def test_a_bad_plot_path_is_refused_before_any_work(capsys, tmp_path):
    target = tmp_path / "missing" / "plot.png"
    assert main(["net", "--widths", "1,2,2,1", "--plot", str(target)]) == EXIT_BAD_INPUT
    assert "plot" in capsys.readouterr().err.lower()


@pytest.mark.slow
def test_the_search_runs_on_weight_and_bias_blocks_within_its_budget(capsys):
    code = main(["net", "--widths", "1,2,2,1", "--no-bias", "--search", "--decades", "3", "--time", "20",
                 "--certify", "1", "--json"])
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["schema"].startswith("dlnsmooth.search/")
    assert code == exit_status(payload["verdict"]), captured.err
    assert payload["network"]["parameters"] == 8
    assert payload["verdict"] in {"refuted", "not refuted", "undecided"}
    if payload["verdict"] == "refuted":
        assert payload["certificate"]["verdict"] == "refuted"


def test_identity_without_biases_prints_what_dln_prints(capsys):
    common = ["--widths", "2,3,3,1", "--loss", "logistic", "--random-data", "5", "--seed", "3"]
    network = _json(capsys, [*common, "--activation", "identity", "--no-bias"])[1]
    assert main(["dln", *common, *FAST, "--json"]) == EXIT_REFUTED
    linear = json.loads(capsys.readouterr().out)
    rows = [[e["rows"] for e in payload["evidence"] if e["kind"] == "numeric-table"][0] for payload in (network, linear)]
    assert [(r["grad_norm"], r["hess_norm"]) for r in rows[0]] == [(r["grad_norm"], r["hess_norm"]) for r in rows[1]]
    assert network["verdict"] == linear["verdict"] == "refuted"
    assert network["network"]["data"] == linear["network"]["data"]
