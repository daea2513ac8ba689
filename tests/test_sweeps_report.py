"""``dlnsmooth.sweeps.report`` and ``sweep-report``: the table, the landscape summary and the heat maps of a
sweep directory, read from a store filled with hand-made results (no Dask, no search)."""

from __future__ import annotations

import argparse
import json

import pytest
import sympy as sp

from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.sweeps import CaseResult, ResultStore, SweepSpec, report_command
from dlnsmooth.sweeps.report import exponent_text, exponent_value, landscape_from_rows, plot_landscape, read_landscape

SPEC = """
[grid]
depths = [2, 3]
widths = [1]
activations = ["tanh", "sigmoid"]
bias = [true, false]
losses = ["logistic"]
data = [{ random = 4, seed = 1 }]
[search]
time = 5
"""

#: (depth, activation, bias) → (verdict, critical exponent); depth 2 sigmoid without biases is left out (not run).
FOUND = {
    (2, "tanh", True): ("not refuted", "2"),
    (2, "tanh", False): ("undecided", None),
    (2, "sigmoid", True): ("not refuted", "3/2"),
    (3, "tanh", True): ("refuted", "inf"),
    (3, "tanh", False): ("refuted", "inf"),
    (3, "sigmoid", True): ("not refuted", "1"),
    (3, "sigmoid", False): ("refuted", "inf"),
}


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sweep")
    spec = SweepSpec.from_text(SPEC)
    with ResultStore(directory) as store:
        store.save_spec(spec)
        for case in reversed(spec.cases()):  # written out of order: the report reads them in case order
            found = FOUND.get((case.depth, case.activation, case.bias))
            if found is None:
                continue
            verdict, exponent = found
            store.write(CaseResult.for_case(
                case, verdict=verdict, critical_exponent=exponent, every_rho_refuted=exponent == "inf",
                curve="W1 = 0, W2 = t" if verdict == "refuted" else None,
                evidence_kinds=["certificate"] if exponent else [],
                reason="budget ran out" if verdict == "undecided" else "searched", seconds=1.5))
    return directory


@pytest.fixture(scope="module")
def landscape(sweep_dir):
    return read_landscape(sweep_dir)


def test_rows_come_in_case_order_with_the_missing_case_counted(landscape):
    assert [(r.depth, r.activation, r.bias) for r in landscape.rows] == [
        (2, "tanh", True), (2, "tanh", False), (2, "sigmoid", True), (3, "tanh", True), (3, "tanh", False),
        (3, "sigmoid", True), (3, "sigmoid", False)]
    assert landscape.planned == 8 and len(landscape.missing) == 1
    assert landscape.rows[0].hidden == (1,)
    assert landscape.verdicts == {"refuted": 3, "not refuted": 3, "undecided": 1}


def test_summaries_are_computed_exactly(landscape):
    everywhere = [(f.depth, f.activation, f.bias) for f in landscape.refuted_everywhere]
    assert everywhere == [(3, "tanh", True), (3, "tanh", False), (3, "sigmoid", False)]
    assert landscape.best_finite == 2
    assert [r.exponent for r in landscape.finite] == [2, sp.Rational(3, 2), 1]
    assert [(r.depth, r.activation, r.bias) for r in landscape.nothing] == [(2, "tanh", False)]
    lines = landscape.summary_lines()
    assert lines[0].startswith("7 of 8 cases finished (3 refuted, 3 not refuted, 1 undecided)")
    assert any(line.startswith("Best finite certified critical exponent elsewhere: ρ* = 2 ") for line in lines)


def test_report_and_json(landscape):
    text = landscape.report()
    assert "depth 3 tanh without biases: 2" not in text  # one case per family here
    assert "depth 3 tanh without biases: 1 case(s) (1 refuted); ρ* from ∞ to ∞" in text
    document = landscape.to_document()
    assert document["schema"].startswith("dlnsmooth.sweep-report/")
    assert document["finished"] == 7 and document["best_finite"] == "2"
    assert document["verdict"] == "undecided"  # one case missing, one undecided: a partial landscape
    assert [c["critical_exponent"] for c in document["cases"]] == ["2", None, "3/2", "inf", "inf", "1", "inf"]
    family = next(f for f in document["families"] if (f["depth"], f["activation"]) == (2, "tanh") and f["bias"])
    assert family["bound"] == "2" and family["every_rho_refuted"] is False


def test_exponents_are_exact():
    assert exponent_value("inf") == sp.oo and exponent_value(None) is None
    assert exponent_value("sqrt(2)") == sp.sqrt(2)
    assert exponent_text(sp.oo) == "∞" and exponent_text(None) == "—"
    rows = [{"depth": 2, "widths": [1, 1, 1], "activation": "tanh", "bias": True, "loss": "squared", "data": {},
             "verdict": "not refuted", "critical_exponent": value} for value in ("sqrt(2)", "3/2", "7/5")]
    assert [r.exponent for r in landscape_from_rows(rows).finite] == [sp.Rational(3, 2), sp.sqrt(2),
                                                                      sp.Rational(7, 5)]


def test_heat_maps_are_drawn(landscape, tmp_path):
    path = tmp_path / "landscape.png"
    figure = plot_landscape(landscape, path)
    assert path.stat().st_size > 0
    panels = [ax for ax in figure.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["with biases", "without biases"]
    assert all(ax.get_xlabel() == "depth L (affine layers)" for ax in panels)
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["tanh", "sigmoid"]
    texts = [[t.get_text() for t in ax.texts] for ax in panels]
    assert texts == [["2", "3/2", "∞", "1"], ["?", "∞", "∞"]]  # the depth-2 sigmoid cell without biases: not run
    legend = figure.legends[0]
    assert "lower bounds on any workable ρ" in legend.get_title().get_text()
    assert [t.get_text() for t in legend.get_texts()][0] == "∞: every ρ refuted"


def _args(directory, **extra) -> argparse.Namespace:
    return argparse.Namespace(directory=str(directory), plot=extra.get("plot"), json=extra.get("json", False))


def test_command_prints_json_and_writes_the_plot(sweep_dir, tmp_path, capsys):
    plot = tmp_path / "heat.png"
    assert report_command.run(_args(sweep_dir, json=True, plot=str(plot))) == 4  # partial: undecided
    document = json.loads(capsys.readouterr().out)
    assert document["verdict"] == "undecided"
    assert document["plot"] == str(plot) and plot.is_file()
    assert document["planned"] == 8 and len(document["refuted_everywhere"]) == 3


def test_command_refuses_a_directory_without_a_sweep(tmp_path):
    with pytest.raises(DlnsmoothError, match="holds no sweep results"):
        report_command.run(_args(tmp_path))
    with pytest.raises(DlnsmoothError, match="no sweep directory"):
        report_command.run(_args(tmp_path / "absent"))
    assert not (tmp_path / "absent").exists()
