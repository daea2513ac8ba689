"""Norm-power convexity and smoothness of a loss (seed 002, reconstructed in SPEC §4.3).

**Definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3.** For a convex C¹ loss
F : R → R and its Bregman divergence d_F(g, h) = F(g) − F(h) − F′(h)(g − h):

* H(φ, c_φ)-convexity with φ(v) = |v|^p: d_F(g, h) ≥ c_φ |g − h|^p for all g, h;
* H(Φ, c_Φ)-smoothness with Φ(v) = |v|^q: d_F(g, h) ≤ c_Φ |g − h|^q for all g, h;
* the relative forms: the same with h = u*, a minimiser of F.

This package decides both for univariate losses: :class:`BregmanLoss` (the loss, its divergence,
its convexity check), :func:`decide_bregman` (the best constant, or a refuting pair sequence
:class:`PairSequence`), :func:`bregman_exponents` (the set of exponents).
"""

from __future__ import annotations

from .decide import BregmanDecision, Kind, decide_bregman
from .divergence import RECONSTRUCTION_NOTE, BregmanLoss, NotConvexError
from .exponents import ExponentSet, bregman_exponents
from .sequences import PairSequence, SequenceLimit, SequenceRow

__all__ = [
    "BregmanLoss",
    "NotConvexError",
    "BregmanDecision",
    "Kind",
    "RECONSTRUCTION_NOTE",
    "decide_bregman",
    "PairSequence",
    "SequenceLimit",
    "SequenceRow",
    "ExponentSet",
    "bregman_exponents",
]
