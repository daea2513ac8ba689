"""Run a sweep on Dask, writing each case's result to the durable table as it finishes.

:func:`run_sweep` opens the table in ``out`` (:class:`dlnsmooth.sweeps.store.ResultStore`),
skips the cases already in it, submits the others to a Dask cluster — ``"local"`` (default) and
``"processes"`` start a :class:`distributed.LocalCluster` of ``workers`` single-threaded worker
processes on this machine (2 by default); ``"tcp://HOST:PORT"`` connects a
:class:`distributed.Client` to an existing scheduler, unchanged — and gathers them with
:func:`distributed.as_completed`, committing each result at once. A case that crashes, overruns
its budget (:func:`dlnsmooth.sweeps.case.run_case` enforces it) or loses its worker is recorded
``undecided`` with the reason, and the sweep goes on. Killed at any moment, the sweep resumes
where it stopped; a rerun of a finished sweep computes nothing.

Each case forks a budgeted child (:func:`dlnsmooth.budget.run_with_budget`), so the local
cluster's workers are started non-daemonic (``distributed.worker.daemon = False``); on an
existing cluster :func:`~dlnsmooth.sweeps.case.run_case` clears a worker's daemon flag itself.
The workers of an existing cluster must have this package installed (the same version: each
result records the ``dlnsmooth_version`` that computed it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dask
from distributed import Client, LocalCluster, as_completed

from ..errors import DlnsmoothError
from ..progress import print_line, progress_bar
from ..results import Result, Verdict
from .case import Case, CaseResult, run_case
from .spec import SweepSpec
from .store import ResultStore

__all__ = ["run_sweep", "SweepSummary", "SchedulerError", "DEFAULT_WORKERS", "SCHEDULERS"]

#: Worker processes of a local cluster when ``workers`` is not given.
DEFAULT_WORKERS = 2
#: The scheduler names besides ``tcp://HOST:PORT``.
SCHEDULERS = ("local", "processes")
#: Seconds to wait for an existing scheduler to answer.
CONNECT_TIMEOUT = 20
_QUIET_LOGGERS = ("distributed", "bokeh", "tornado", "asyncio")


class SchedulerError(DlnsmoothError, ValueError):
    """The scheduler named is not usable (unknown name, unreachable address, bad worker count)."""


#: What the verdict of a sweep is about (the cases' own verdicts are in the table).
CLAIM = "every case of the sweep is settled: computed, with a verdict other than undecided"


@dataclass
class SweepSummary(Result):
    """What a run of a sweep did and what the table now holds.

    ``computed``: cases computed by this run; ``already_done``: cases found in the table;
    ``remaining``: cases of the spec still not in the table (a ``limit``, or an interruption);
    ``verdicts``: counts over the spec's cases in the table; ``undecided``: ``[label, reason]`` of
    each undecided case; ``throughput``: cases computed per minute of wall time (None when nothing
    was computed)."""

    out: str
    scheduler: str
    workers: int | None
    total: int
    computed: int
    already_done: int
    remaining: int
    verdicts: dict[str, int]
    undecided: list[list[str]]
    every_rho_refuted: int
    wall_seconds: float
    results: list[CaseResult] = field(default_factory=list, repr=False)

    json_kind = "sweep"

    @property
    def throughput(self) -> float | None:
        """Cases per minute of this run."""
        return self.computed / self.wall_seconds * 60.0 if self.computed and self.wall_seconds > 0 else None

    @property
    def complete(self) -> bool:
        """Every case of the spec is in the table, none undecided."""
        return self.remaining == 0 and not self.undecided

    @property
    def nothing_to_compute(self) -> bool:
        return self.computed == 0 and self.remaining == 0

    @property
    def verdict(self) -> Verdict:
        """On :data:`CLAIM`: ``holds`` when every case of the spec is in the table and none is undecided
        (whatever the cases' own verdicts), else ``undecided``."""
        return "holds" if self.complete else "undecided"

    def report(self) -> str:
        lines = []
        if self.nothing_to_compute:
            lines.append(f"nothing to compute: all {self.total} cases are in {self.out}")
        rate = f"; {self.throughput:.2f} cases/minute" if self.throughput is not None else ""
        where = self.scheduler + (f", {self.workers} workers" if self.workers else "")
        lines.append(f"Sweep of {self.total} cases ({where}) → {self.out}")
        lines.append(f"  computed now {self.computed}, already done {self.already_done}, "
                     f"not yet computed {self.remaining}; wall time {self.wall_seconds:.1f} s{rate}")
        counts = ", ".join(f"{verdict} {count}" for verdict, count in self.verdicts.items() if count) or "none yet"
        lines.append(f"  verdicts: {counts}; every ρ refuted in {self.every_rho_refuted}")
        if self.undecided:
            lines.append(f"  undecided ({len(self.undecided)}):")
            lines += [f"    {label}: {reason}" for label, reason in self.undecided[:20]]
            if len(self.undecided) > 20:
                lines.append(f"    … and {len(self.undecided) - 20} more (dlnsmooth sweep-report)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "claim": CLAIM,
                "out": self.out, "scheduler": self.scheduler, "workers": self.workers, "total": self.total,
                "computed": self.computed, "already_done": self.already_done, "remaining": self.remaining,
                "complete": self.complete, "verdicts": dict(self.verdicts),
                "every_rho_refuted": self.every_rho_refuted,
                "undecided": [{"label": label, "reason": reason} for label, reason in self.undecided],
                "wall_seconds": round(self.wall_seconds, 3),
                "throughput": None if self.throughput is None else round(self.throughput, 3)}


def run_sweep(spec: SweepSpec, out: Path, *, scheduler: str = "local", workers: int | None = None,
              progress: bool | None = None, limit: int | None = None, time_budget: float | None = None,
              on_result: Callable[[CaseResult, int, int], str | None] | None = None) -> SweepSummary:
    """Compute the cases of ``spec`` not yet in the table in ``out`` (module docstring).

    ``limit``: compute at most this many cases now (the rest stays for a later run);
    ``time_budget``: seconds of wall time after which the cases not finished are cancelled (they
    stay for a later run);
    ``on_result(result, done, todo)`` is called after each result is committed; a text it returns is
    printed (on stdout, without breaking the progress bar)."""
    _check_scheduler(scheduler, workers)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise SchedulerError(f"limit must be a non-negative integer, got {limit!r}")
    if time_budget is not None and not 0 < time_budget < float("inf"):
        raise SchedulerError(f"the sweep's time budget must be a positive number of seconds, got {time_budget!r}")
    start = time.perf_counter()
    cases = spec.cases()
    with ResultStore(out) as store:
        store.save_spec(spec)
        done = store.done_keys()
        todo = [case for case in cases if case.key not in done]
        already = len(cases) - len(todo)
        if limit is not None:
            todo = todo[:limit]
        deadline = None if time_budget is None else start + time_budget
        computed = _compute(todo, store, scheduler, workers, progress, on_result, deadline) if todo else 0
        table = {r.key: r for r in store.results()}
    found = [table[case.key] for case in cases if case.key in table]
    verdicts = {v: sum(r.verdict == v for r in found) for v in ("holds", "refuted", "not refuted", "undecided")}
    local = not scheduler.startswith("tcp://")
    return SweepSummary(out=str(out), scheduler=scheduler, workers=(workers or DEFAULT_WORKERS) if local else workers,
                        total=len(cases), computed=computed, already_done=already, remaining=len(cases) - len(found),
                        verdicts=verdicts, undecided=[[r.label, r.reason] for r in found if r.verdict == "undecided"],
                        every_rho_refuted=sum(r.every_rho_refuted for r in found),
                        wall_seconds=time.perf_counter() - start, results=found)


def _check_scheduler(scheduler: str, workers: int | None) -> None:
    if not isinstance(scheduler, str) or (scheduler not in SCHEDULERS and not scheduler.startswith("tcp://")):
        raise SchedulerError(f"unknown scheduler {scheduler!r}; use {', '.join(SCHEDULERS)} or tcp://HOST:PORT")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 256):
        raise SchedulerError(f"the number of workers must be an integer from 1 to 256, got {workers!r}")
    if workers is not None and scheduler.startswith("tcp://"):
        raise SchedulerError("--workers applies to a local cluster; an existing scheduler (tcp://…) has its own")


def _compute(todo: list[Case], store: ResultStore, scheduler: str, workers: int | None, progress: bool | None,
             on_result: Callable[[CaseResult, int, int], str | None] | None, deadline: float | None) -> int:
    """Submit ``todo`` and commit each result as it arrives, until the ``deadline`` (a
    :func:`time.perf_counter` value) if any; returns how many were written."""
    by_key = {case.key: case for case in todo}
    written = 0
    bar = progress_bar(progress, "sweep", total=len(todo), unit="case")
    _quiet()
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster, client = _connect(scheduler, workers)
        try:
            futures = [client.submit(run_case, case, key=f"case-{case.key}", pure=False) for case in todo]
            try:
                left = None if deadline is None else max(0.1, deadline - time.perf_counter())
                for future in as_completed(futures, loop=client.loop, timeout=left):
                    written += _record(future, by_key, store, bar, on_result, written, len(todo))
            except TimeoutError:  # the sweep's wall-clock budget is spent: the rest stays for a later run
                client.cancel([f for f in futures if not f.done()])
        finally:
            if bar is not None:
                bar.close()
            client.close()
            if cluster is not None:
                cluster.close()
    return written


def _record(future, by_key: dict[str, Case], store: ResultStore, bar, on_result, written: int, todo: int) -> int:
    """Commit the result of a finished ``future`` (a failed task → undecided); returns 1."""
    case = by_key[future.key.removeprefix("case-")]
    try:
        result = future.result()
    except Exception as exc:  # the worker died (KilledWorker) or the task could not run
        result = CaseResult.undecided(case, f"the worker failed: {type(exc).__name__}: "
                                            f"{' '.join(str(exc).split())[:300]}")
    store.write(result)
    future.release()
    if bar is not None:
        bar.update(1)
    text = on_result(result, written + 1, todo) if on_result is not None else None
    if text:
        print_line(bar, text)
    return 1


def _connect(scheduler: str, workers: int | None) -> tuple[LocalCluster | None, Client]:
    if scheduler.startswith("tcp://"):
        try:
            return None, Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {' '.join(str(exc).split())}") \
                from None
    cluster = LocalCluster(n_workers=workers or DEFAULT_WORKERS, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.CRITICAL)
    try:
        return cluster, Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise


def _quiet() -> None:
    """Silence distributed's informational logging in this process (errors still show)."""
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
