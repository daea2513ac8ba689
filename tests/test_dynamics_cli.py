"""``dlnsmooth dynamics``: the seed's example exactly (both penalties), the JSON document, the report, the
plot, undecided runs, and one-line errors on bad input (exit 2). In-process."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from dlnsmooth.cli import main
from dlnsmooth.dynamics.command import CLAIM, decimal
from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.objectives import HuberRegression

EXAMPLE = ["lasso", "--beta0", "0.5053,0.5053", "--alpha", "0.01"]


def _run(capsys, words: list[str]) -> tuple[int, str, str]:
    status = main(["dynamics", *words])
    out, err = capsys.readouterr()
    return status, out, err


def _json(capsys, words: list[str]) -> tuple[int, dict]:
    status, out, _ = _run(capsys, [*words, "--json"])
    return status, json.loads(out)


@pytest.mark.parametrize("lam, states, enters_at", [
    ("1", [["0.0053", "0.0053"], ["-0.0047", "-0.0047"]], 50),
    ("100", [["0.5053", "0.5053"], ["-0.4947", "-0.4947"]], 0),
])
def test_the_seed_example_cycle_exactly(capsys, lam, states, enters_at):
    status, document = _json(capsys, [*EXAMPLE, "--lambda", lam])
    assert status == 0 and document["verdict"] == "holds" and document["claim"] == CLAIM
    cycle = document["cycle"]
    assert cycle["states"] == states
    assert cycle["exact_states"] == [[str(Fraction(v)) for v in state] for state in states]
    assert (cycle["enters_at"], cycle["period"], cycle["detected_at"]) == (enters_at, 2, enters_at + 2)
    assert document["steps"] == enters_at + 2 and document["stopped"] == "cycle"
    assert document["arithmetic"] == "exact"
    assert document["final_l1"] == decimal(sum(abs(Fraction(v)) for v in document["final"]))
    assert document["final_loss"] == decimal(Fraction(lam) * Fraction(document["final_l1"]))


def test_json_document_has_exactly_the_documented_keys(capsys):
    _, document = _json(capsys, [*EXAMPLE, "--lambda", "1"])
    assert set(document) == {"schema", "dlnsmooth_version", "problem", "method", "arithmetic", "steps", "stopped",
                             "cycle", "final", "final_l1", "final_loss", "verdict", "claim", "notes", "seconds"}
    assert document["schema"].startswith("dlnsmooth.dynamics/")
    assert document["method"]["parameters"] == {"alpha": "1/100"}
    assert document["problem"]["name"] == "toy-lasso" and document["problem"]["parameters"] == {"lambda": "1"}


def test_text_report_names_the_cycle(capsys):
    status, out, _ = _run(capsys, [*EXAMPLE, "--lambda", "1"])
    assert status == 0
    assert "N0 = 50, period 2" in out and "[0.0053, 0.0053]" in out and "[-0.0047, -0.0047]" in out
    assert "final ‖β‖₁ = 0.0106" in out and "verdict: holds" in out


def test_decimal_strings():
    assert [decimal(Fraction(v)) for v in ("0.0053", "-0.0047", "0", "5")] == ["0.0053", "-0.0047", "0", "5"]
    assert decimal(Fraction(1, 3)) == "0.33333333333333333333…"
    assert decimal(Fraction(1, 2 ** 200)).endswith("…")


def test_rmsprop_is_undecided_in_balls(capsys):
    status, document = _json(capsys, [*EXAMPLE, "--lambda", "1", "--method", "rmsprop", "--steps", "60"])
    assert status == 4 and document["verdict"] == "undecided" and document["cycle"] is None
    assert document["arithmetic"] == "ball" and any("ball arithmetic" in n for n in document["notes"])
    assert all(v.endswith("…") for v in document["final"])


def test_step_limit_is_undecided(capsys):
    status, document = _json(capsys, [*EXAMPLE, "--lambda", "1", "--steps", "10"])
    assert status == 4 and document["steps"] == 10 and document["stopped"] == "steps"
    assert document["final"] == ["0.4053", "0.4053"]


def test_huber_with_a_large_step_ends_in_a_proved_two_cycle(capsys):
    """α = 10 clips every residual: the exact iteration repeats; the cycle is checked here with the loss."""
    words = ["huber", "--random-data", "5,3", "--seed", "1", "--alpha", "10", "--random-start", "2", "--steps", "200"]
    status, document = _json(capsys, words)
    assert status == 0 and document["problem"]["name"] == "huber" and document["problem"]["parameters"] == {"delta": "1"}
    cycle = document["cycle"]
    assert (cycle["enters_at"], cycle["period"]) == (3, 2)
    objective = HuberRegression(RegressionData.random(5, 3, 1))
    first, second = ([Fraction(v) for v in state] for state in cycle["exact_states"])
    assert [b - 10 * g for b, g in zip(first, objective.subgradient(first))] == second
    assert [b - 10 * g for b, g in zip(second, objective.subgradient(second))] == first


def test_momentum_on_the_general_lasso_without_repeat_is_undecided(capsys):
    status, document = _json(capsys, ["lasso-general", "--random-data", "4,3", "--seed", "2", "--alpha", "0.05",
                                      "--lambda", "0.1", "--beta0", "0.1,0.2,0.3", "--steps", "20",
                                      "--method", "momentum", "--eta", "0.5"])
    assert status == 4 and document["steps"] == 20 and document["stopped"] == "steps"
    assert document["problem"]["dimension"] == 3 and document["method"]["parameters"]["eta"] == "1/2"


def test_data_file_run_matches_the_closed_form(capsys, tmp_path):
    """Z = I, y = (1, −1), λ = 1, N = 2: g(β) = β on the orthant of β0 = (1/4, −1/4), so β_k = 0.9^k β0."""
    path = tmp_path / "data.csv"
    path.write_text("1, 0, 1\n0, 1, -1\n", encoding="utf-8")
    status, document = _json(capsys, ["lasso-general", "--data", str(path), "--alpha", "0.1", "--lambda", "1",
                                      "--beta0", "0.25,-0.25", "--steps", "100"])
    expected = Fraction(1, 4) * Fraction(9, 10) ** 100
    assert status == 4 and document["final"] == [decimal(expected), decimal(-expected)]


@pytest.mark.slow
def test_plot_is_written(capsys, tmp_path):
    target = tmp_path / "cycle.png"
    status, out, _ = _run(capsys, [*EXAMPLE, "--lambda", "1", "--plot", str(target)])
    assert status == 0 and target.stat().st_size > 1000


@pytest.mark.parametrize("words, message", [
    ([*EXAMPLE, "--lambda", "-1"], "λ must be ≥ 0"),
    (["lasso", "--beta0", "0.5", "--alpha", "0", "--lambda", "1"], "α must be > 0"),
    (["lasso", "--beta0", "0.5", "--alpha", "-0.01", "--lambda", "1"], "α must be > 0"),
    (["lasso", "--beta0", "0.5,nan", "--alpha", "0.01", "--lambda", "1"], "--beta0[2]"),
    (["lasso", "--beta0", "0.5", "--alpha", "nan", "--lambda", "1"], "α"),
    ([*EXAMPLE, "--lambda", "1", "--steps", "0"], "--steps"),
    ([*EXAMPLE, "--lambda", "1", "--steps", "1000000000000"], "--steps"),
    ([*EXAMPLE, "--lambda", "1", "--steps", "10**12"], "--steps"),
    ([*EXAMPLE, "--lambda", "1", "--method", "adam"], "unknown method"),
    ([*EXAMPLE, "--lambda", "1", "--method", "momentum", "--eta", "1"], "η"),
    ([*EXAMPLE, "--lambda", "1", "--method", "rmsprop", "--gamma", "1.5"], "γ"),
    ([*EXAMPLE, "--lambda", "1", "--time", "-3"], "--time"),
    (["lasso", "--alpha", "0.01", "--lambda", "1"], "--beta0"),
    (["ridge", "--alpha", "0.01"], "unknown problem"),
    (["huber", "--random-data", "5,3", "--alpha", "0.1", "--beta0", "1,2"], "coordinates"),
    (["huber", "--alpha", "0.1"], "--data"),
    (["huber", "--random-data", "5", "--alpha", "0.1"], "N,P"),
    (["lasso-general", "--random-data", "5,3", "--alpha", "0.1"], "--lambda"),
    (["lasso-general", "--data", "/nonexistent.csv", "--alpha", "0.1", "--lambda", "1"], "cannot read"),
    ([*EXAMPLE, "--lambda", "1", "--plot", "/nonexistent/dir/p.png"], "does not exist"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_input_exits_2_with_one_line(capsys, words, message):
    status, out, err = _run(capsys, words)
    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("dlnsmooth dynamics: error:")
