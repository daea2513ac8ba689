"""The sweep table: each write committed, done keys, results in the spec's case order, reopened intact."""

from __future__ import annotations

import sqlite3

import pytest

from dlnsmooth.sweeps.case import CaseResult
from dlnsmooth.sweeps.spec import SweepSpec
from dlnsmooth.sweeps.store import COLUMNS, ResultStore, StoreError

SPEC = SweepSpec.from_dict({"grid": {"depths": [3], "widths": [2], "activations": ["tanh", "identity", "sin"],
                                     "bias": [False], "losses": ["logistic"], "data": [{"random": 4, "seed": 1}]},
                            "search": {"time": 5}})


def _result(case, verdict="refuted", critical="inf") -> CaseResult:
    return CaseResult.for_case(case, verdict=verdict, critical_exponent=critical,
                               every_rho_refuted=critical == "inf", curve="W1 = 0, W2 = t·ones" if critical else None,
                               evidence_kinds=["symbolic-limit", "numeric-table"], reason="a reason", seconds=1.5)


def test_write_read_and_done_keys(tmp_path):
    cases = SPEC.cases()
    with ResultStore(tmp_path / "out") as store:
        store.save_spec(SPEC)
        assert store.done_keys() == set() and len(store) == 0
        store.write(_result(cases[2], "not refuted", "1/2"))
        store.write(_result(cases[0]))
        assert store.done_keys() == {cases[0].key, cases[2].key}
    # reopened (another process would see the same): the rows are there, in the spec's order
    with ResultStore(tmp_path / "out") as store:
        results = store.results()
        assert [r.key for r in results] == [cases[0].key, cases[2].key]
        assert results[1].verdict == "not refuted" and results[1].critical_exponent == "1/2"
        assert results[0].every_rho_refuted is True and results[0].bias is False
        assert results[0].widths == [1, 2, 2, 1] and results[0].data == {"random": 4, "seed": 1, "input_dim": 1}
        assert results[0].evidence_kinds == ["symbolic-limit", "numeric-table"]
        expected = {**_result(cases[0]).to_json(), "finished_at": results[0].finished_at}
        assert results[0].to_json() == expected
        table = store.table()
        assert list(table[0]) == list(COLUMNS) and table[1]["critical_exponent"] == "1/2"
        assert (tmp_path / "out" / "spec.toml").exists() and store.spec() == SPEC


def test_a_rewrite_replaces_the_row(tmp_path):
    case = SPEC.cases()[1]
    with ResultStore(tmp_path) as store:
        store.write(CaseResult.undecided(case, "exceeded its budget"))
        store.write(_result(case))
        assert len(store) == 1 and store.results()[0].verdict == "refuted"


def test_each_write_is_committed_at_once(tmp_path):
    with ResultStore(tmp_path) as store:
        store.write(_result(SPEC.cases()[0]))
        other = sqlite3.connect(tmp_path / "results.sqlite")  # a reader that is not the writer
        assert other.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1
        other.close()


def test_a_bad_directory_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        ResultStore(tmp_path / "file")
    foreign = sqlite3.connect(tmp_path / "results.sqlite")
    foreign.execute("CREATE TABLE results (key TEXT)")
    foreign.commit()
    foreign.close()
    with pytest.raises(StoreError, match="not a dlnsmooth sweep table"):
        ResultStore(tmp_path)
