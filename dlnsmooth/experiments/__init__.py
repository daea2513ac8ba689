"""Experiments of the seeds, reproduced and, where the package can, proved.

Each experiment is a module with ``run(*, plots=None, progress=None, **options)`` returning a
:class:`~dlnsmooth.results.Result` whose JSON kind is ``experiment`` (docs/json-schema.md);
``dlnsmooth experiment NAME [--plots DIR] [--json]`` runs it.

``cooper-line``
    seed 001 §3.1: the fixed line R through two tanh networks — the tubular samples and the
    seed's Figures 1–2, and curve certificates along R (:mod:`.cooper_line`);
``cooper-segments``
    seed 001 §3.2: the random radial segments of App. B, classified and compared with the
    seed's descriptions, with lower bounds on (L0, L1) from the sampled witnesses
    (:mod:`.cooper_segments`).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ..errors import DlnsmoothError
from ..results import Result
from . import cooper_line, cooper_segments

__all__ = ["EXPERIMENTS", "UnknownExperimentError", "run_experiment"]

#: experiment name → the module that runs it
EXPERIMENTS: dict[str, ModuleType] = {
    "cooper-line": cooper_line,
    "cooper-segments": cooper_segments,
}


class UnknownExperimentError(DlnsmoothError, KeyError):
    """``dlnsmooth experiment NAME`` with a NAME that is not registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def run_experiment(name: str, *, plots: str | Path | None = None, progress: bool | None = None) -> Result:
    """Run the experiment ``name`` (writing its figures into the directory ``plots`` when given)."""
    if name not in EXPERIMENTS:
        raise UnknownExperimentError(f"unknown experiment {name!r}; registered: {', '.join(EXPERIMENTS)}")
    return EXPERIMENTS[name].run(plots=plots, progress=progress)
