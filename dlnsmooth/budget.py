"""Run a computation under a wall-clock budget.

SymPy's ``limit`` (Gruntz) and ``simplify`` can run for a very long time on
innocent-looking inputs, and a Python thread cannot be interrupted. So the
computation runs in a forked child process that is killed when its budget is
spent; the caller gets a :class:`BudgetOutcome` saying ``ok``, ``timeout`` or
``error``. A timeout proves nothing, and callers report it as such.

The child returns its result by pickling it, so results must be picklable
(SymPy expressions are).

Budgets nest (a claim of ``dlnsmooth verify`` runs under a budget and its SymPy limits under
their own): the outermost child leads a new process group, the computations it starts under
budgets stay in that group, and a timeout of the outermost budget kills the whole group, so
no nested computation outlives it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["BudgetOutcome", "run_with_budget", "DEFAULT_LIMIT_BUDGET"]

#: Default time budget, in seconds, of one symbolic computation (a limit, a simplification).
DEFAULT_LIMIT_BUDGET = 20.0


@dataclass(frozen=True)
class BudgetOutcome:
    """What happened to a budgeted computation."""

    status: Literal["ok", "timeout", "error"]
    value: Any
    seconds: float
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


#: True in a process started by :func:`run_with_budget` (inherited by the processes it forks).
_inside_budget = False


def _child(connection, function: Callable[..., Any], args: tuple, lead_group: bool) -> None:
    global _inside_budget
    if lead_group:
        os.setpgid(0, 0)
    _inside_budget = True
    try:
        result = function(*args)
        connection.send(("ok", result, ""))
    except BaseException as exc:  # report every failure to the parent
        summary = f"{type(exc).__name__}: {exc}".strip()
        try:
            connection.send(("error", None, summary or traceback.format_exc(limit=1)))
        except Exception:
            pass
    finally:
        connection.close()


def run_with_budget(function: Callable[..., Any], *args: Any, seconds: float | None = DEFAULT_LIMIT_BUDGET) -> BudgetOutcome:
    """Call ``function(*args)`` in a forked process, killed after ``seconds``.

    ``seconds=None`` runs the call in this process without a budget (for
    debugging); exceptions are then also turned into ``error`` outcomes.
    """
    start = time.perf_counter()
    if seconds is None:
        try:
            return BudgetOutcome("ok", function(*args), time.perf_counter() - start)
        except Exception as exc:
            return BudgetOutcome("error", None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    if seconds <= 0:
        raise ValueError(f"a time budget must be positive, got {seconds}")
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    lead_group = not _inside_budget
    process = context.Process(target=_child, args=(sender, function, args, lead_group), daemon=False)
    process.start()
    sender.close()
    try:
        if receiver.poll(seconds):
            try:
                status, value, message = receiver.recv()
            except EOFError:
                status, value, message = "error", None, "the worker process ended without a result"
            return BudgetOutcome(status, value, time.perf_counter() - start, message)
        return BudgetOutcome("timeout", None, time.perf_counter() - start, f"gave up after {seconds:g} s")
    finally:
        receiver.close()
        if lead_group:
            _kill_group(process.pid)
        if process.is_alive():
            process.kill()
        process.join()


def _kill_group(pid: int) -> None:
    """Kill the process group ``pid`` leads (the budgeted child and whatever it started), if any."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
