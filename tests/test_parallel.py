"""Threads for independent array tasks (:mod:`dlnsmooth.parallel`).

* Results come back in the order of the items, whatever order the tasks end in; a task's
  exception is raised to the caller.
* BLAS runs on one thread inside the tasks and gets its threads back afterwards.
* A task that starts tasks runs them serially (no pool inside a pool).
* ``DLNSMOOTH_THREADS`` sets the count; anything but a positive integer is a clear error.
"""

from __future__ import annotations

import threading
import time

import pytest
from threadpoolctl import threadpool_info

from dlnsmooth.errors import ThreadCountError
from dlnsmooth.parallel import THREADS_VARIABLE, thread_count, thread_map


def _blas_threads() -> list[int]:
    return [entry["num_threads"] for entry in threadpool_info() if entry["user_api"] == "blas"]


def test_results_keep_the_order_of_the_items():
    def slow_first(i):
        time.sleep(0.02 * (5 - i))
        return i * i, threading.get_ident()

    out = thread_map(slow_first, range(5), threads=2)
    assert [value for value, _ in out] == [0, 1, 4, 9, 16]
    assert len({ident for _, ident in out}) == 2  # both threads took tasks


def test_an_exception_in_a_task_reaches_the_caller():
    def task(i):
        if i == 2:
            raise ArithmeticError("task 2")
        return i

    with pytest.raises(ArithmeticError, match="task 2"):
        thread_map(task, range(4), threads=2)


def test_blas_runs_on_one_thread_inside_tasks_only():
    before = _blas_threads()
    inside = thread_map(lambda _: _blas_threads(), range(2), threads=2)
    assert inside == [[1] * len(before)] * 2
    assert _blas_threads() == before


def test_tasks_inside_a_task_run_serially():
    outer = threading.get_ident()

    def inner(_):
        return threading.get_ident()

    def task(_):
        return thread_map(inner, range(3), threads=2), threading.get_ident()

    for idents, task_ident in thread_map(task, range(2), threads=2):
        assert task_ident != outer and idents == [task_ident] * 3


def test_one_thread_runs_in_the_caller(monkeypatch):
    monkeypatch.setenv(THREADS_VARIABLE, "1")
    assert thread_count() == 1
    assert thread_map(lambda _: threading.get_ident(), range(3)) == [threading.get_ident()] * 3


@pytest.mark.parametrize("text", ["0", "-2", "two", "1.5"])
def test_a_bad_thread_count_is_named(monkeypatch, text):
    monkeypatch.setenv(THREADS_VARIABLE, text)
    with pytest.raises(ThreadCountError, match=f"{THREADS_VARIABLE}={text!r}"):
        thread_map(abs, [1, 2])
    with pytest.raises(ThreadCountError, match="threads=0"):
        thread_map(abs, [1, 2], threads=0)


def test_the_default_is_the_cores_this_process_may_use(monkeypatch):
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    assert thread_count() >= 1
