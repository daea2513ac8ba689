"""Independent array-heavy tasks run side by side on the machine's cores, in threads.

numpy releases the GIL inside its array loops and BLAS calls, so tasks made of large array
operations (the multi-word Gram formulas of :mod:`dlnsmooth.networks.ffengine`) run in parallel
in threads of one process, sharing their inputs without copies. While they do, BLAS's own thread
pool is held to one thread (threadpoolctl), so that the cores are not asked for twice.

The number of threads is the number of cores this process may run on, or the environment
variable ``DLNSMOOTH_THREADS`` (a positive integer; 1 runs every task in the calling thread).
Results come back in the order of the items, whatever order the tasks finish in, so a sum over
them is the same as in a serial run. A task started from inside another task runs serially.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from threadpoolctl import ThreadpoolController

from .errors import ThreadCountError

__all__ = ["THREADS_VARIABLE", "thread_count", "thread_map"]

#: the environment variable that sets the number of threads
THREADS_VARIABLE = "DLNSMOOTH_THREADS"

T = TypeVar("T")
R = TypeVar("R")

_inside = threading.local()


def thread_count() -> int:
    """The number of threads :func:`thread_map` uses: ``DLNSMOOTH_THREADS`` when set, else the
    cores this process may run on."""
    text = os.environ.get(THREADS_VARIABLE, "").strip()
    if text:
        try:
            count = int(text)
        except ValueError:
            count = 0
        if count < 1:
            raise ThreadCountError(f"{THREADS_VARIABLE}={text!r}: expected a positive integer (1 runs serially)")
        return count
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # platforms without affinity masks
        return os.cpu_count() or 1


@cache
def _controller() -> ThreadpoolController:
    """The process's native thread pools (BLAS), found once."""
    return ThreadpoolController()


def thread_map(function: Callable[[T], R], items: Iterable[T], threads: int | None = None) -> list[R]:
    """``[function(item) for item in items]``, the calls spread over ``threads`` threads (default
    :func:`thread_count`) with BLAS held to one thread meanwhile. Serial when there is one thread,
    at most one item, or when called from inside a task. An exception in a task is raised here
    (the tasks not yet started are then dropped)."""
    items = list(items)
    count = thread_count() if threads is None else threads
    if count < 1:
        raise ThreadCountError(f"threads={count}: expected a positive integer")
    count = min(count, len(items))
    if count <= 1 or getattr(_inside, "active", False):
        return [function(item) for item in items]

    def task(item: T) -> R:
        _inside.active = True
        try:
            return function(item)
        finally:
            _inside.active = False

    with _controller().limit(limits=1, user_api="blas"):
        pool = ThreadPoolExecutor(count)
        try:
            futures = [pool.submit(task, item) for item in items]
            return [future.result() for future in futures]
        finally:  # after a failure, the tasks not yet started are dropped
            pool.shutdown(wait=True, cancel_futures=True)
