"""Network objectives: deep linear networks and their losses."""

from .data import Dataset
from .deep_linear import DeepLinearObjective, deep_linear, prop7_curve, prop7_objective
from .losses import LOSSES, Loss, get_loss
from .theorem_g import certify_theorem_g, theorem_g_curve, theorem_g_premise

__all__ = [
    "Dataset",
    "DeepLinearObjective",
    "deep_linear",
    "prop7_objective",
    "prop7_curve",
    "Loss",
    "LOSSES",
    "get_loss",
    "certify_theorem_g",
    "theorem_g_curve",
    "theorem_g_premise",
]
