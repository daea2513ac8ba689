"""dlnsmooth.budget: a time budget that really stops a computation and reports what happened."""

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
