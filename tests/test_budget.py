"""dlnsmooth.budget: a time budget that really stops a computation and reports what happened."""

import os
import time

import pytest
import sympy as sp

from dlnsmooth.budget import run_with_budget

t = sp.Symbol("t", positive=True)


def _sleep(seconds):
    time.sleep(seconds)
    return "slept"


def _boom():
    raise ZeroDivisionError("deliberate")


def test_budget_returns_the_value():
    outcome = run_with_budget(sp.expand, (t + 1) ** 3, seconds=10)
    assert outcome.ok and outcome.value == t**3 + 3 * t**2 + 3 * t + 1


def test_budget_kills_a_long_computation():
    start = time.perf_counter()
    outcome = run_with_budget(_sleep, 30, seconds=0.5)
    assert outcome.status == "timeout"
    assert outcome.value is None
    assert time.perf_counter() - start < 5  # killed, not waited for
    assert "0.5" in outcome.message


def test_budget_reports_errors_without_raising():
    outcome = run_with_budget(_boom, seconds=10)
    assert outcome.status == "error"
    assert "ZeroDivisionError" in outcome.message and "deliberate" in outcome.message


def test_budget_in_process_mode_and_bad_budget():
    assert run_with_budget(_sleep, 0, seconds=None).value == "slept"
    assert run_with_budget(_boom, seconds=None).status == "error"
    with pytest.raises(ValueError):
        run_with_budget(_sleep, 0, seconds=0)


def _inner_sleeper(path):
    """Under its own (long) budget, record the pid of the sleeping grandchild and sleep."""

    def sleep_and_record():
        with open(path, "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(60)

    return run_with_budget(sleep_and_record, seconds=120)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as handle:
            state = next(line for line in handle if line.startswith("State:"))
    except FileNotFoundError:
        return False
    return "zombie" not in state and "(Z)" not in state


def test_budgets_nest_and_the_outer_timeout_kills_every_nested_computation(tmp_path):
    path = tmp_path / "pid"
    start = time.perf_counter()
    outcome = run_with_budget(_inner_sleeper, str(path), seconds=1.5)
    assert outcome.status == "timeout" and time.perf_counter() - start < 5
    pid = int(path.read_text())
    deadline = time.perf_counter() + 5
    while _alive(pid) and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "the nested computation outlived the outer budget"


def test_a_nested_budget_returns_its_value():
    outcome = run_with_budget(run_with_budget, sp.expand, (t + 1) ** 2, seconds=20)
    assert outcome.ok and outcome.value.ok and outcome.value.value == t**2 + 2 * t + 1
