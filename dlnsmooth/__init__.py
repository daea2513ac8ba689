"""dlnsmooth — a symbolic-numeric checker for smoothness conditions of deep-learning losses.

Does ‖∇²f‖ ≤ C0 + C1‖∇f‖^ρ hold for a loss, and if not, why? The package
derives gradients and Hessians with SymPy, restricts them to divergent curves,
and decides with symbolic limits and confirmed arbitrary-precision tables
whether ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ (docs/mathematics.md: Propositions 1–7, Theorem G).

Main entry points: :class:`Objective`, :class:`Curve`, :func:`certify_curve`,
the condition catalogue in :mod:`dlnsmooth.conditions`, and
:func:`deep_linear` / :func:`certify_theorem_g` for deep linear networks,
:func:`feedforward` for networks with activations and biases (and :func:`from_torch` for
a PyTorch ``nn.Sequential``; torch is imported only when it is called),
:func:`search_refuting_curve` to find a refuting curve automatically,
:func:`dlnsmooth.audit.audit` to look for a point where claimed constants fail
(the function keeps its module's name, so it is imported from there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .audit import AuditResult
from .certificate import Certificate, certify_curve
from .conditions import (
    EllSmooth,
    GloballyLipschitz,
    HessianGrowth,
    L0L1Smooth,
    LevelSetLipschitz,
    LocallyLipschitz,
    RhoIntegrated,
    RhoOrder,
)
from .curves import Curve, Restriction
from .errors import DlnsmoothError
from .networks import Dataset, certify_theorem_g, deep_linear, prop7_curve, prop7_objective, theorem_g_curve
from .networks.feedforward import FeedforwardObjective, feedforward
from .norms import Norm
from .objective import Objective, VectorField
from .search import SearchOptions, SearchResult, search_refuting_curve
from .version import __version__

if TYPE_CHECKING:
    from .torch_bridge import TorchNetwork

__all__ = [
    "__version__",
    "Certificate",
    "certify_curve",
    "Curve",
    "Restriction",
    "Objective",
    "VectorField",
    "Norm",
    "DlnsmoothError",
    "GloballyLipschitz",
    "LevelSetLipschitz",
    "LocallyLipschitz",
    "L0L1Smooth",
    "RhoOrder",
    "RhoIntegrated",
    "HessianGrowth",
    "EllSmooth",
    "Dataset",
    "deep_linear",
    "prop7_objective",
    "prop7_curve",
    "theorem_g_curve",
    "certify_theorem_g",
    "search_refuting_curve",
    "SearchOptions",
    "SearchResult",
    "AuditResult",
    "feedforward",
    "FeedforwardObjective",
    "from_torch",
]


def from_torch(model: object, X: object, Y: object, loss: object) -> TorchNetwork:
    """The objective of a PyTorch ``nn.Sequential`` on the data (X, Y) and the model's parameters
    as an exact point: :func:`dlnsmooth.torch_bridge.from_torch` (needs ``pip install 'dlnsmooth[torch]'``).
    torch is imported here, on the first call, so that ``import dlnsmooth`` never needs it."""
    try:
        from .torch_bridge import from_torch as read_model
    except ModuleNotFoundError as exc:
        if exc.name != "torch":
            raise
        raise ImportError("dlnsmooth.from_torch needs torch: pip install 'dlnsmooth[torch]'") from None
    return read_model(model, X, Y, loss)
