"""Shared test set-up: precision hygiene and Hypothesis profiles.

* Every test must leave the global precisions of mpmath and python-flint
  untouched (the package only uses local ``mp.workdps`` and
  ``working_precision`` contexts); an autouse fixture asserts it.
* Hypothesis profiles: ``ci`` (derandomized, bounded; selected automatically
  when ``CI=true``), ``dev`` (default locally) and ``thorough`` (long local
  runs: ``HYPOTHESIS_PROFILE=thorough pytest``).
"""

from __future__ import annotations

import os

import flint
import mpmath as mp
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, max_examples=25, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_default = "ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


@pytest.fixture(autouse=True)
def _global_precision_unchanged():
    before = (mp.mp.dps, mp.mp.prec, flint.ctx.prec)
    yield
    after = (mp.mp.dps, mp.mp.prec, flint.ctx.prec)
    mp.mp.dps = 15  # restore for the next test even if this one leaked
    flint.ctx.prec = before[2]
    assert after == before, f"the global precision (mpmath dps, prec; flint prec) changed from {before} to {after}"
