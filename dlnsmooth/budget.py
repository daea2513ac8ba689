"""Run a computation under a wall-clock budget.

SymPy's ``limit`` (Gruntz) and ``simplify`` can run for a very long time on
innocent-looking inputs, and a Python thread cannot be interrupted. So the
computation runs in a forked child process that is killed when its budget is
spent; the caller gets a :class:`BudgetOutcome` saying ``ok``, ``timeout`` or
``error``. A timeout proves nothing, and callers report it as such.

The child returns its result by pickling it, so results must be picklable
(SymPy expressions are).
"""

from __future__ import annotations

import multiprocessing
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


def _child(connection, function: Callable[..., Any], args: tuple) -> None:
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
    process = context.Process(target=_child, args=(sender, function, args), daemon=True)
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
        if process.is_alive():
            process.kill()
        process.join()
