"""Sweeps: the critical-exponent landscape over a grid of networks, on Dask, resumable.

A sweep spec (:class:`~dlnsmooth.sweeps.spec.SweepSpec`, TOML) names a grid of depths, widths,
activations, biases, losses and data generators, and the search each case runs; its cases
(:class:`~dlnsmooth.sweeps.case.Case`, with stable keys) run on a Dask cluster
(:func:`~dlnsmooth.sweeps.runner.run_sweep`: a local cluster by default, or an existing
scheduler), each in a worker under its own time budget
(:func:`~dlnsmooth.sweeps.case.run_case`), and every result
(:class:`~dlnsmooth.sweeps.case.CaseResult`) is committed to a SQLite table
(:class:`~dlnsmooth.sweeps.store.ResultStore`) as it finishes, so a killed sweep resumes.
"""

from __future__ import annotations

from .case import Case, CaseResult, DataSpec, SearchSettings, run_case
from .runner import SchedulerError, SweepSummary, run_sweep
from .spec import SpecError, SweepSpec
from .store import ResultStore, StoreError

__all__ = ["Case", "CaseResult", "DataSpec", "SearchSettings", "run_case", "SweepSpec", "SpecError",
           "ResultStore", "StoreError", "run_sweep", "SweepSummary", "SchedulerError"]
