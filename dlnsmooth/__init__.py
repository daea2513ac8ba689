"""dlnsmooth — a symbolic-numeric checker for smoothness conditions of deep-learning losses.

Does ‖∇²f‖ ≤ C0 + C1‖∇f‖^ρ hold for a loss, and if not, why? The package
derives gradients and Hessians with SymPy, restricts them to divergent curves,
and decides with symbolic limits and confirmed arbitrary-precision tables
whether ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ (docs/mathematics.md: Propositions 1–7, Theorem G).

Main entry points: :class:`Objective`, :class:`Curve`, :func:`certify_curve`,
the condition catalogue in :mod:`dlnsmooth.conditions`, and
:func:`deep_linear` / :func:`certify_theorem_g` for deep linear networks,
:func:`search_refuting_curve` to find a refuting curve automatically,
:func:`dlnsmooth.audit.audit` to look for a point where claimed constants fail
(the function keeps its module's name, so it is imported from there).
"""

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
from .norms import Norm
from .objective import Objective, VectorField
from .search import SearchOptions, SearchResult, search_refuting_curve
from .version import __version__

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
]
