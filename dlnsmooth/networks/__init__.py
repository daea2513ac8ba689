"""Network objectives: feed-forward networks (deep linear networks as the special case), their
activations, losses, parameter layout and data."""

from .activations import ACTIVATIONS, Activation, get_activation
from .architecture import Architecture
from .data import Dataset
from .deep_linear import DeepLinearObjective, deep_linear, prop7_curve, prop7_objective
from .feedforward import FeedforwardObjective, feedforward
from .losses import LOSSES, OUTPUT_LOSSES, Loss, OutputLoss, get_loss, get_output_loss
from .theorem_g import certify_theorem_g, theorem_g_curve, theorem_g_premise

__all__ = [
    "Dataset",
    "Architecture",
    "Activation",
    "ACTIVATIONS",
    "get_activation",
    "FeedforwardObjective",
    "feedforward",
    "DeepLinearObjective",
    "deep_linear",
    "prop7_objective",
    "prop7_curve",
    "Loss",
    "LOSSES",
    "get_loss",
    "OutputLoss",
    "OUTPUT_LOSSES",
    "get_output_loss",
    "certify_theorem_g",
    "theorem_g_curve",
    "theorem_g_premise",
]
