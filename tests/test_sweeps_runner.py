"""Sweeps on a real Dask LocalCluster (2 workers, started once for the module): a small sweep, a rerun
that computes nothing, an interrupted sweep (stopped after one case, or its client killed) resumed to
the table of an uninterrupted run, and failures recorded as ``undecided`` while the others complete."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import sqlite3
import subprocess
import sys
import time

import dask
import pytest
from distributed import LocalCluster

from dlnsmooth.sweeps import case as case_module
from dlnsmooth.sweeps.case import Case, DataSpec, SearchSettings, run_case
from dlnsmooth.sweeps.runner import SchedulerError, run_sweep
from dlnsmooth.sweeps.spec import SweepSpec
from dlnsmooth.sweeps.store import ResultStore

#: 4 cheap cases (depth 3, width 2: each refuted for every ρ in about half a second)
SPEC = SweepSpec.from_dict({"grid": {"depths": [3], "widths": [2], "activations": ["tanh", "identity"],
                                     "bias": [False, True], "losses": ["logistic"],
                                     "data": [{"random": 4, "seed": 1}]},
                            "search": {"time": 10}})


def _essence(results) -> list[tuple]:
    """What must not depend on interruptions: not timings, workers, nor which of several refuting curves a
    time-budgeted search met first."""
    return [(r.key, r.label, r.verdict, r.critical_exponent, r.every_rho_refuted, r.curve is not None)
            for r in results]


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of 2 single-threaded, non-daemonic worker processes."""
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        try:
            yield cluster.scheduler_address
        finally:
            cluster.close()


@pytest.fixture(scope="module")
def whole(scheduler, tmp_path_factory):
    """An uninterrupted run of SPEC: (its directory, its summary)."""
    out = tmp_path_factory.mktemp("whole")
    return out, run_sweep(SPEC, out, scheduler=scheduler, progress=False)


def test_a_small_sweep_runs_on_the_cluster(whole):
    out, summary = whole
    assert (summary.total, summary.computed, summary.already_done, summary.remaining) == (4, 4, 0, 0)
    assert summary.complete and summary.throughput > 0
    assert summary.verdicts["refuted"] == 4 and summary.every_rho_refuted == 4
    results = ResultStore(out).results()
    assert [r.key for r in results] == [c.key for c in SPEC.cases()]
    first = results[0]
    assert first.critical_exponent == "inf" and first.curve and "symbolic-limit" in first.evidence_kinds
    assert first.dlnsmooth_version and first.finished_at and first.worker and first.seconds > 0
    assert summary.to_document()["schema"].startswith("dlnsmooth.sweep/")


def test_a_rerun_of_a_finished_sweep_computes_nothing(whole, scheduler):
    out, _ = whole
    again = run_sweep(SPEC, out, scheduler=scheduler, progress=False)
    assert (again.computed, again.already_done) == (0, 4) and again.nothing_to_compute
    assert again.report().startswith(f"nothing to compute: all 4 cases are in {out}")


def test_a_sweep_stopped_after_one_case_resumes_to_the_same_table(whole, scheduler, tmp_path):
    first = run_sweep(SPEC, tmp_path, scheduler=scheduler, progress=False, limit=1)
    assert (first.computed, first.remaining) == (1, 3) and not first.complete
    rest = run_sweep(SPEC, tmp_path, scheduler=scheduler, progress=False)
    assert (rest.computed, rest.already_done) == (3, 1)
    assert _essence(ResultStore(tmp_path).results()) == _essence(ResultStore(whole[0]).results())


@pytest.mark.slow
def test_a_killed_sweep_resumes_to_the_same_table(whole, scheduler, tmp_path):
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(SPEC.to_toml())
    out = tmp_path / "out"
    code = ("import sys; from pathlib import Path; from dlnsmooth.sweeps import SweepSpec, run_sweep; "
            "run_sweep(SweepSpec.from_toml(sys.argv[1]), Path(sys.argv[2]), scheduler=sys.argv[3], progress=False)")
    process = subprocess.Popen([sys.executable, "-c", code, str(spec_file), str(out), scheduler])
    try:
        rows = 0
        deadline = time.monotonic() + 120
        while rows == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            if (out / "results.sqlite").exists():
                try:
                    connection = sqlite3.connect(out / "results.sqlite")
                    rows = connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
                    connection.close()
                except sqlite3.OperationalError:  # the table is being created
                    rows = 0
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    kept = len(ResultStore(out))
    assert 1 <= kept < 4, f"the kill came too late or too early ({kept} rows)"
    resumed = run_sweep(SPEC, out, scheduler=scheduler, progress=False)
    assert (resumed.computed, resumed.already_done) == (4 - kept, kept)
    assert _essence(ResultStore(out).results()) == _essence(ResultStore(whole[0]).results())


def test_a_crashing_case_is_recorded_undecided_and_the_others_complete(scheduler, tmp_path):
    broken = SweepSpec(architectures=((3, (2, 2)),), activations=("tanh", "no-such-activation"), bias=(False,),
                       losses=("logistic",), data=(DataSpec(4, 1),), search=SearchSettings(time=10))
    summary = run_sweep(broken, tmp_path, scheduler=scheduler, progress=False)
    good, bad = sorted(ResultStore(tmp_path).results(), key=lambda r: r.activation != "tanh")
    assert (good.verdict, bad.verdict) == ("refuted", "undecided"), good.reason
    assert "no-such-activation" in bad.reason and "\n" not in bad.reason
    assert summary.undecided == [[bad.label, bad.reason]] and not summary.complete


def test_an_overrun_is_killed_and_recorded_undecided_even_in_a_daemonic_worker(monkeypatch):
    monkeypatch.setattr(case_module, "grace", lambda seconds: 0.0)
    # a default Dask worker is daemonic (it may not fork): run_case lifts that to fork its budgeted child
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True)
    case = Case(depth=3, hidden=(2, 2), activation="tanh", bias=True, loss="logistic", data=DataSpec(4, 1),
                search=SearchSettings(time=0.05))
    start = time.perf_counter()
    result = run_case(case)
    assert result.verdict == "undecided" and result.reason.startswith("exceeded its budget")
    assert time.perf_counter() - start < 5


def test_bad_schedulers_are_refused_in_one_line(tmp_path):
    for scheduler, workers, words in [("threads", None, "unknown scheduler 'threads'"),
                                      ("local", 0, "from 1 to 256"),
                                      ("tcp://127.0.0.1:1", 2, "applies to a local cluster")]:
        with pytest.raises(SchedulerError, match=words):
            run_sweep(SPEC, tmp_path, scheduler=scheduler, workers=workers, progress=False)

