"""Non-smooth objectives and (sub)gradient methods as exact dynamics (seed 003, SPEC §4.2).

* :mod:`~dlnsmooth.dynamics.objectives` — the losses with the subgradient chosen at kinks;
* :mod:`~dlnsmooth.dynamics.methods` — NDGM, minibatch SGD, heavy-ball momentum, RMSProp as maps of states;
* :mod:`~dlnsmooth.dynamics.trajectory` — the iteration driver (exact rationals or balls) and proved cycles;
* :mod:`~dlnsmooth.dynamics.shadow` — shadowed ball runs: exact centres and a proved radius, for long runs on data;
* :mod:`~dlnsmooth.dynamics.data` — exact regression data (files, seeded random draws);
* :mod:`~dlnsmooth.dynamics.command` — the ``dlnsmooth dynamics`` command.

The seed's propositions: :mod:`~dlnsmooth.dynamics.toy_lasso` and :mod:`~dlnsmooth.dynamics.rmsprop_analysis`
(closed forms and proofs for λ‖β‖₁), :mod:`~dlnsmooth.dynamics.stability` (Prop 5.1's envelope),
:mod:`~dlnsmooth.dynamics.capture` (Prop 3.1), :mod:`~dlnsmooth.dynamics.lasso_general` (§B.2),
:mod:`~dlnsmooth.dynamics.figures` (the seed's Figures 1 and 4).
"""

from __future__ import annotations

from .data import RegressionData
from .methods import Method, MethodState, Momentum, RMSProp, StochasticSubgradient, Subgradient
from .objectives import (
    ExactVector,
    GeneralLasso,
    HuberRegression,
    NonsmoothObjective,
    ParameterError,
    ReluLasso,
    ToyLasso,
    UndecidedKink,
)
from .trajectory import Cycle, Trajectory, iterate

__all__ = [
    "RegressionData",
    "Method",
    "MethodState",
    "Subgradient",
    "StochasticSubgradient",
    "Momentum",
    "RMSProp",
    "ExactVector",
    "NonsmoothObjective",
    "ToyLasso",
    "GeneralLasso",
    "ReluLasso",
    "HuberRegression",
    "UndecidedKink",
    "ParameterError",
    "Cycle",
    "Trajectory",
    "iterate",
]
