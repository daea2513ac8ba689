"""Seed 001 §3.2 reproduced: (‖∇L‖, ‖∇²L‖) along the seed's random radial segments.

The network is the seed's: widths (1, 4, 7, 1), tanh after each hidden layer, the L2 loss
``L = Σ_s (f(x_s) − y_s)²`` (seed Def. 6, no ½: the package's output loss ``"l2"``) on the 20
points of Appendix B (:mod:`dlnsmooth.experiments.cooper_data`, which also transcribes the
segments and says which are usable). For every usable segment S_i = [start_i, end_i]:

* **Samples.** 50 equidistributed points θ_k = start_i + (k/49)(end_i − start_i),
  k = 0 … 49 (both end points included), exact rationals. At each, in ball arithmetic
  (python-flint, ``dps`` digits): ‖∇L(θ_k)‖ (Euclidean), ‖∇²L(θ_k)‖_F (Frobenius, the seed's
  norm) and a rigorous lower bound of ‖∇²L(θ_k)‖₂ (the operator norm of the seed's
  Definition 1) — ‖∇²L δ‖/‖δ‖ with δ from power iteration.
* **Classification** of the sampled relation, g_k = ‖∇L‖ against h_k = ‖∇²L‖_F (ball
  midpoints; a description of samples, not a proof). With u = (g − min g)/range g and
  v = (h − min h)/range h (both in [0, 1]), s the least-squares slope of v on u and r the
  largest |residual| of that affine fit, in this order:

  1. ``roughly linear`` — s > 0 and r ≤ 0.1 (every point within 10 % of h's range of a line);
  2. ``U-shaped`` — the smallest h is at an interior g (u in [0.1, 0.9]) and the mean v of the
     points with u ≤ 0.1, and of those with u ≥ 0.9, each exceed the minimum by ≥ 0.25;
  3. ``superlinear`` — s > 0, the least-squares slope over the points with u ≥ 0.75 (at least
     three) is ≥ 1.25·s, and the point of largest g has v ≥ 0.75 (h grows faster at the
     largest gradients and ends near its top);
  4. ``other`` — everything else (decreasing, S-shaped, folded, …).

  A quadratic h = g² (g from 0) has r = 1/6 > 0.1, so it is never ``roughly linear``.
  The seed's words map to: p_1 (linear, then an upward-facing semicircle), p_2 (steeper and
  steeper), p_3 (quadratic), p_5 (grows quickly at the end) → superlinear; p_4 → U-shaped;
  p_6, p_7 (bounded by a linear function) → roughly linear.
* **Constants the samples require.** Each θ_k is a witness: any (L0, L1) with
  ‖∇²L‖ ≤ L0 + L1‖∇L‖ everywhere satisfies L0 + L1·g_k ≥ h_k. With ĝ_k the ball's upper
  end of ‖∇L(θ_k)‖ and ȟ_k the lower end of the Hessian norm, every valid pair lies in
  {(L0, L1) ≥ 0 : L0 + L1 ĝ_k ≥ ȟ_k ∀k}. Reported, exactly (and printed rounded down): the L1
  needed at L0 = 0 (max ȟ_k/ĝ_k), the L0 needed at L1 = 0 (max ȟ_k) and the lower-left
  boundary of that set (the frontier L0(L1) = max(0, max_k ȟ_k − L1 ĝ_k), piecewise linear,
  its corners from the upper convex hull of the witnesses and the origin) — lower bounds on
  the constants from witnesses, for the Frobenius norm and for the spectral norm.
* **Ordering.** The seed does not say how its 51 printed numbers map to (W_l, b_l). Two
  pieces of evidence are computed: the Kaiming scales (PyTorch's ``nn.Linear`` default draws
  weights and biases of layer l from U(±1/√fan_in), fan-in 1, 4, 7: every printed vector is
  a multiple of such a draw exactly when it is read in layer blocks of 8, 35, 8 numbers; the
  profile cannot tell W from b within a layer nor the orientation of W_2); and the shapes —
  every candidate reading (:data:`~dlnsmooth.experiments.cooper_data.ORDERINGS`) is
  classified (float64) on every usable segment, on the printed end points and on
  ``ordering_draws`` redraws of them (below), and scored by its matches of the seed's class.
  The most matches wins (ties: the package's order).
* **Robustness.** The end points are printed to two significant digits, and far from the
  origin (|θ| ≈ 40–100, tanh saturated) the curve depends on digits the print does not have.
  Each segment is re-classified (float64) with every end-point entry redrawn uniformly within
  its rounding (:func:`~dlnsmooth.experiments.cooper_data.half_unit`; ``perturbations``
  draws, seeded), and on the exactly radial reading θ = s·start_i, s ∈ [1, λ_i] (λ_i the
  middle of the factors consistent with the print,
  :func:`~dlnsmooth.experiments.cooper_data.radial_interval`).

Verdict: ``not refuted`` for the claim that L is (L0, L1)-smooth — samples on compact segments
cannot refute it (every C² function is (L0, 0)-smooth on a compact set); they bound the
constants from below. The refutation is along the seed's line R (``cooper-line``).

``to_json()["results"]`` (the experiment-specific part of the document):

* ``network`` (widths, activation, loss, parameters, observations), ``points_per_segment``,
  ``dps``, ``classification_rule`` (``text`` and the thresholds);
* ``ordering``: ``used``, ``description``, ``scores`` (agreements with the seed on the printed
  end points, per ordering), ``matches`` (over ``readings``: printed end points and redraws),
  ``table`` (ordering → segment → class), ``magnitude_evidence`` (per grouping, the median
  over the printed vectors of max/min of their Kaiming block scales);
* ``segments``: one object per seed segment 1 … 7 — ``index``, ``figure``, ``status``,
  ``reason``, ``printed_counts``, ``seed_says``, ``seed_class``, ``package_class`` and
  ``agree`` (null when unusable); for usable ones also ``seed_class_seen`` (the seed's class
  occurs on the printed end points, a redraw or the radial reading), ``features`` (the
  rule's numbers), ``robustness`` {``agreeing``, ``draws``, ``classes``}, ``radial_class``,
  ``ratio`` (λ), ``constants`` {``frobenius``, ``spectral``: ``l1_at_l0_zero``,
  ``l0_at_l1_zero``, ``frontier`` [[L1, L0], …], decimal strings rounded down, ``witnesses``,
  ``meaning``} and ``samples`` [{``s``, ``grad_norm``, ``hess_frobenius``,
  ``hess_spectral_lower``}] (floats: ball midpoints, the lower end for the spectral bound);
* ``summary``: ``segments``, ``usable``, ``agree``, ``seed_class_seen``, ``classes``,
  ``seed_summary`` (the seed's own count over its 15 segments);
* ``random_vectors``: per w_j, ``entries``, ``block_scales``, ``max_abs_cosine_with_starts``.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from statistics import median

import numpy as np
from flint import arb

from ..balls import nonnegative_sqrt
from ..errors import DlnsmoothError
from ..networks.engine import FLOAT64
from ..networks.feedforward import FeedforwardObjective, feedforward
from ..plots import new_figure, plot_directory
from ..precision import check_dps, working_precision
from ..progress import progress_bar
from ..results import Result, Verdict
from .cooper_data import (
    ORDERINGS,
    PACKAGE_ORDERING,
    SEED_SUMMARY,
    WIDTHS,
    PrintedVector,
    SeedSegment,
    dataset,
    random_vectors,
    segments,
    to_package_order,
)

__all__ = [
    "EXPERIMENT",
    "CLAIM",
    "CLASSES",
    "POINTS",
    "Classification",
    "classify_relation",
    "WitnessBounds",
    "witness_bounds",
    "ball_ends",
    "GROUPINGS",
    "SegmentSamples",
    "sample_segment",
    "OrderingStudy",
    "study_orderings",
    "block_scales",
    "Robustness",
    "SegmentOutcome",
    "CooperSegmentsResult",
    "seed_objective",
    "plot_segment",
    "plot_segments",
    "run",
]

EXPERIMENT = "cooper-segments"
CLAIM = ("the seed's (1, 4, 7, 1) tanh L2 loss is (L0, L1)-smooth: ‖∇²L‖ ≤ L0 + L1‖∇L‖ — asked of 50 samples on each "
         "of the seed's radial segments (samples on a compact set cannot refute it; they bound L0, L1 from below)")
#: The classes of :func:`classify_relation`.
CLASSES = ("roughly linear", "U-shaped", "superlinear", "other")
#: Points per segment (the seed's 50), both end points included.
POINTS = 50

#: Thresholds of the classification rule (module docstring), in units of the ranges of g and h.
LINEAR_RESIDUAL = 0.1
U_MARGIN = 0.1
U_RISE = 0.25
TOP_FROM = 0.75
SUPERLINEAR_RATIO = 1.25
TOP_LEVEL = 0.75
RULE_TEXT = (f"u, v = g, h scaled to [0, 1]; s, r = least-squares slope of v on u and its largest |residual|. "
             f"'roughly linear': s > 0 and r <= {LINEAR_RESIDUAL}; 'U-shaped': min h at u in [{U_MARGIN}, "
             f"{1 - U_MARGIN}] and mean v over u <= {U_MARGIN} and over u >= {1 - U_MARGIN} each >= min + {U_RISE}; "
             f"'superlinear': s > 0, slope over u >= {TOP_FROM} (>= 3 points) >= {SUPERLINEAR_RATIO}*s and v at the "
             f"largest g >= {TOP_LEVEL}; 'other': the rest. Checked in this order.")

#: Kaiming (PyTorch nn.Linear default) bound of each parameter block (size, bound), per reading of the 51 numbers.
GROUPINGS: dict[str, tuple[tuple[int, float], ...]] = {
    "layer blocks (W1 b1 | W2 b2 | W3 b3)": ((8, 1.0), (35, 0.5), (8, 1 / math.sqrt(7))),
    "weights first (W1 | W2 | W3 | b1 | b2 | b3)": ((4, 1.0), (28, 0.5), (7, 1 / math.sqrt(7)), (4, 1.0), (7, 0.5),
                                                    (1, 1 / math.sqrt(7))),
}


# -- the classification ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Classification:
    """The class of a sampled relation h(g) by the rule of the module docstring, with the features
    it was decided from (slope s, residual r, top slope, where the minimum of h is, the rises at
    both ends of g's range, v at the largest g)."""

    label: str
    slope: float
    residual: float
    top_slope: float
    minimum_at: float
    left_rise: float
    right_rise: float
    end_level: float

    def to_json(self) -> dict:
        return {"class": self.label, **{name: _rounded(getattr(self, name)) for name in
                ("slope", "residual", "top_slope", "minimum_at", "left_rise", "right_rise", "end_level")}}


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 4)


def classify_relation(grad_norms: Sequence[float], hess_norms: Sequence[float]) -> Classification:
    """Classify the sampled relation between g = ‖∇L‖ and h = ‖∇²L‖ (module docstring's rule)."""
    g = np.asarray(grad_norms, dtype=float)
    h = np.asarray(hess_norms, dtype=float)
    if g.shape != h.shape or g.ndim != 1 or len(g) < 5:
        raise DlnsmoothError("classify_relation needs two equally long sequences of at least 5 numbers")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
        raise DlnsmoothError("classify_relation needs finite numbers")
    g_range, h_range = float(np.ptp(g)), float(np.ptp(h))
    if g_range == 0 or h_range == 0:
        return Classification("other", math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
    u = (g - g.min()) / g_range
    v = (h - h.min()) / h_range
    slope, intercept = np.polyfit(u, v, 1)
    residual = float(np.max(np.abs(v - (slope * u + intercept))))
    top = u >= TOP_FROM
    top_slope = float(np.polyfit(u[top], v[top], 1)[0]) if top.sum() >= 3 and np.ptp(u[top]) > 0 else math.nan
    lowest = int(np.argmin(v))
    left_rise = float(v[u <= U_MARGIN].mean() - v[lowest])
    right_rise = float(v[u >= 1 - U_MARGIN].mean() - v[lowest])
    end_level = float(v[int(np.argmax(u))])
    features = (float(slope), residual, top_slope, float(u[lowest]), left_rise, right_rise, end_level)
    return Classification(_label(*features), *features)


def _label(slope: float, residual: float, top_slope: float, minimum_at: float, left_rise: float, right_rise: float,
           end_level: float) -> str:
    if slope > 0 and residual <= LINEAR_RESIDUAL:
        return "roughly linear"
    if U_MARGIN <= minimum_at <= 1 - U_MARGIN and left_rise >= U_RISE and right_rise >= U_RISE:
        return "U-shaped"
    if slope > 0 and top_slope >= SUPERLINEAR_RATIO * slope and end_level >= TOP_LEVEL:
        return "superlinear"
    return "other"


# -- lower bounds on the constants from witnesses -----------------------------------------------------
@dataclass(frozen=True)
class WitnessBounds:
    """Lower bounds on (L0, L1) from witnesses (module docstring): every (L0, L1) ≥ 0 with
    ‖∇²L‖ ≤ L0 + L1‖∇L‖ satisfies L0 + L1·ĝ_k ≥ ȟ_k for each witness (ĝ_k, ȟ_k) = (upper end of
    ‖∇L‖, lower end of the Hessian norm), exact rationals. ``frontier``: the corners (L1, L0) of
    the lower-left boundary of that set, L1 increasing from 0 (where L0 = ``l0_at_l1_zero``) to
    ``l1_at_l0_zero`` (where L0 = 0; None when no L1 works with L0 = 0)."""

    norm: str
    witnesses: tuple[tuple[Fraction, Fraction], ...]
    l1_at_l0_zero: Fraction | None
    l0_at_l1_zero: Fraction
    frontier: tuple[tuple[Fraction, Fraction], ...]

    def required_l0(self, l1: Fraction) -> Fraction:
        """The least L0 the witnesses allow with this L1: max(0, max_k ȟ_k − L1·ĝ_k)."""
        return max([Fraction(0)] + [h - l1 * g for g, h in self.witnesses])

    def admits(self, l0: Fraction, l1: Fraction) -> bool:
        """Whether (L0, L1) satisfies L0 + L1·ĝ_k ≥ ȟ_k at every witness."""
        return all(l0 + l1 * g >= h for g, h in self.witnesses)

    def to_json(self, digits: int = 10) -> dict:
        return {"norm": self.norm, "l1_at_l0_zero": None if self.l1_at_l0_zero is None else
                _decimal_down(self.l1_at_l0_zero, digits), "l0_at_l1_zero": _decimal_down(self.l0_at_l1_zero, digits),
                "frontier": [[_decimal_down(l1, digits), _decimal_down(l0, digits)] for l1, l0 in self.frontier],
                "witnesses": len(self.witnesses),
                "meaning": "lower bounds on the constants from witnesses (rounded down)"}


def _decimal_down(value: Fraction, digits: int = 10) -> str:
    """``value`` rounded down to ``digits`` significant digits (a lower bound stays one)."""
    with localcontext() as context:
        context.prec, context.rounding = digits, ROUND_FLOOR
        return format(+(Decimal(value.numerator) / Decimal(value.denominator)), "f")


def ball_ends(x: arb) -> tuple[Fraction, Fraction]:
    """The exact lower and upper ends of a ball."""
    ends = []
    for end in (x.lower(), x.upper()):
        mantissa, exponent = end.mid().man_exp()
        ends.append(Fraction(int(mantissa)) * Fraction(2) ** int(exponent))
    return ends[0], ends[1]


def _cross(o: tuple[Fraction, Fraction], a: tuple[Fraction, Fraction], b: tuple[Fraction, Fraction]) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _upper_chain(points: list[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """The upper convex hull of ``points`` (sorted by g, then h), left to right."""
    chain: list[tuple[Fraction, Fraction]] = []
    for p in points:
        while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) >= 0:
            chain.pop()
        chain.append(p)
    return chain


def witness_bounds(grad_balls: Sequence[arb], hess_balls: Sequence[arb], norm: str) -> WitnessBounds:
    """:class:`WitnessBounds` from balls of ‖∇L‖ and of a Hessian norm (or of a lower bound of it)
    at the same points."""
    witnesses = tuple((ball_ends(g)[1], max(Fraction(0), ball_ends(h)[0])) for g, h in zip(grad_balls, hess_balls))
    floor = max([Fraction(0)] + [h for g, h in witnesses if g <= 0])
    positive = sorted((g, h) for g, h in witnesses if g > 0)
    l0_at_zero = max([floor] + [h for _, h in positive])
    top = max(positive, key=lambda p: (p[1], -p[0]), default=None)
    if top is None or top[1] <= floor:
        return WitnessBounds(norm, witnesses, Fraction(0) if floor == 0 else None, l0_at_zero, ((Fraction(0), floor),))
    chain = _upper_chain([(Fraction(0), floor)] + [p for p in positive if p[0] <= top[0]])
    chain = chain[:chain.index(top) + 1]
    corners = [(Fraction(0), top[1])]
    for left, right in reversed(list(zip(chain, chain[1:]))):
        slope = (right[1] - left[1]) / (right[0] - left[0])
        corners.append((slope, right[1] - slope * right[0]))
    l1_at_zero = corners[-1][0] if floor == 0 else None
    return WitnessBounds(norm, witnesses, l1_at_zero, l0_at_zero, tuple(corners))


# -- sampling -----------------------------------------------------------------------------------------------------
def seed_objective() -> FeedforwardObjective:
    """The seed's network and loss: widths (1, 4, 7, 1), tanh, L2 (Σ (f − y)²), App. B data."""
    return feedforward(WIDTHS, "tanh", data=dataset(), loss="l2")


def _segment_points(start: Sequence, end: Sequence, points: int = POINTS) -> list[list]:
    """``points`` equidistributed points from start to end, both included."""
    return [[a + Fraction(k, points - 1) * (b - a) for a, b in zip(start, end)] for k in range(points)]


@dataclass(frozen=True)
class SegmentSamples:
    """The balls ‖∇L‖, ‖∇²L‖_F and (optionally) a lower bound of ‖∇²L‖₂ at the points θ_k of a segment."""

    parameters: tuple[Fraction, ...]
    grad: tuple[arb, ...]
    hess_frobenius: tuple[arb, ...]
    hess_spectral_lower: tuple[arb, ...] | None

    def floats(self) -> tuple[list[float], list[float]]:
        """(g_k, h_k) as floats (ball midpoints), for classifying and plotting."""
        return [float(x.mid()) for x in self.grad], [float(x.mid()) for x in self.hess_frobenius]

    def to_json(self) -> list[dict]:
        spectral = self.hess_spectral_lower or [None] * len(self.grad)
        return [{"s": float(s), "grad_norm": float(g.mid()), "hess_frobenius": float(h.mid()),
                 "hess_spectral_lower": None if lam is None else float(lam.lower().mid())}
                for s, g, h, lam in zip(self.parameters, self.grad, self.hess_frobenius, spectral)]


def sample_segment(objective: FeedforwardObjective, start: Sequence, end: Sequence, *, dps: int = 30,
                   points: int = POINTS, spectral: bool = True, bar=None) -> SegmentSamples:
    """Ball norms at ``points`` equidistributed points from ``start`` to ``end`` (package order, exact)."""
    grads, hessians, lowers = [], [], []
    with working_precision(check_dps(dps)):
        for theta in _segment_points(start, end, points):
            state = objective.state(theta)
            grads.append(nonnegative_sqrt(state.grad_norm_sq()))
            hessians.append(nonnegative_sqrt(state.hess_frobenius_sq()))
            if spectral:
                lowers.append(state.spectral_lower_bound(iterations=30).value)
            if bar is not None:
                bar.update(1)
    parameters = tuple(Fraction(k, points - 1) for k in range(points))
    return SegmentSamples(parameters, tuple(grads), tuple(hessians), tuple(lowers) if spectral else None)


def _float_norms(objective: FeedforwardObjective, start: Sequence, end: Sequence,
                 points: int = POINTS) -> tuple[list[float], list[float]]:
    """(‖∇L‖, ‖∇²L‖_F) in float64 along the segment (for the ordering study and robustness only)."""
    start_f = np.asarray([float(v) for v in start])
    end_f = np.asarray([float(v) for v in end])
    g, h = [], []
    with np.errstate(all="ignore"):
        for k in range(points):
            state = objective.state(list(start_f + (end_f - start_f) * (k / (points - 1))), FLOAT64)
            g.append(math.sqrt(max(float(state.grad_norm_sq()), 0.0)))
            h.append(math.sqrt(max(float(state.hess_frobenius_sq()), 0.0)))
    return g, h


def _float_class(objective: FeedforwardObjective, start: Sequence, end: Sequence) -> str:
    g, h = _float_norms(objective, start, end)
    try:
        return classify_relation(g, h).label
    except DlnsmoothError:  # overflow to inf/nan in float64
        return "other"


# -- the ordering -----------------------------------------------------------------------------------------
def block_scales(vector: PrintedVector | Sequence, grouping: str) -> list[float]:
    """max |entry| / Kaiming bound, per parameter block of ``grouping`` (a key of the groupings):
    equal scales mean the vector is a multiple of a Kaiming draw read in those blocks."""
    values = [float(v) for v in (vector.values if isinstance(vector, PrintedVector) else vector)]
    scales, k = [], 0
    for size, bound in GROUPINGS[grouping]:
        scales.append(max(abs(v) for v in values[k:k + size]) / bound)
        k += size
    return scales


def _spread(scales: Sequence[float]) -> float:
    return max(scales) / min(scales)


@dataclass(frozen=True)
class OrderingStudy:
    """Which reading of the printed numbers reproduces the seed's shapes. ``table[ordering][i]``: the
    class of segment i read that way (printed end points); ``scores``: its agreements with the seed
    there; ``matches``: agreements over every reading (printed end points and ``draws`` redraws
    within the print's rounding per segment, out of ``readings``); ``used``: the most ``matches``
    (ties: the package's order); ``magnitude_evidence``: the median spread of the Kaiming block
    scales of the printed vectors per grouping (1 = perfectly consistent)."""

    table: dict[str, dict[int, str]]
    scores: dict[str, int]
    matches: dict[str, int]
    readings: int
    used: str
    magnitude_evidence: dict[str, float]

    def to_json(self) -> dict:
        return {"used": self.used, "description": ORDERINGS[self.used], "scores": dict(self.scores),
                "matches": dict(self.matches), "readings": self.readings,
                "table": {o: {str(i): c for i, c in row.items()} for o, row in self.table.items()},
                "magnitude_evidence": {name: round(value, 3) for name, value in self.magnitude_evidence.items()}}


def study_orderings(objective: FeedforwardObjective, usable: Sequence[SeedSegment], *, draws: int = 0,
                    rng: np.random.Generator | None = None) -> OrderingStudy:
    """Classify every usable segment under every candidate ordering (float64), on the printed end points
    and on ``draws`` redraws of them within the print's rounding, and score each ordering."""
    rng = np.random.default_rng(0) if rng is None else rng
    table: dict[str, dict[int, str]] = {}
    matches: dict[str, int] = {}
    for ordering in ORDERINGS:
        table[ordering] = {}
        matches[ordering] = 0
        for segment in usable:
            start, end = segment.endpoints()
            label = _float_class(objective, to_package_order(start, ordering), to_package_order(end, ordering))
            table[ordering][segment.index] = label
            redrawn = _redrawn_classes(objective, segment, ordering, draws, rng)
            matches[ordering] += sum(c == segment.seed_class for c in (label, *redrawn))
    scores = {o: sum(row[s.index] == s.seed_class for s in usable) for o, row in table.items()}
    best = max(matches.values())
    used = PACKAGE_ORDERING if matches[PACKAGE_ORDERING] == best else next(o for o in ORDERINGS if matches[o] == best)
    vectors = [s.start for s in usable] + [s.end for s in usable] + list(random_vectors().values())
    evidence = {name: float(median(_spread(block_scales(v, name)) for v in vectors if v is not None))
                for name in GROUPINGS}
    return OrderingStudy(table, scores, matches, len(usable) * (1 + draws), used, evidence)


# -- robustness to the print's rounding ------------------------------------------------------------------------
@dataclass(frozen=True)
class Robustness:
    """Classes of the segment with its end points redrawn within the print's rounding (``classes``,
    one per draw) and on the exactly radial reading (``radial_class``)."""

    classes: tuple[str, ...]
    reference: str
    radial_class: str

    @property
    def agreeing(self) -> int:
        return sum(c == self.reference for c in self.classes)

    def seen(self, label: str) -> bool:
        """Whether some reading consistent with the print (a redraw, or the radial one) has this class."""
        return label in self.classes or label == self.radial_class

    def counts_text(self) -> str:
        """The classes of the redraws, most frequent first, e.g. ``U-shaped 9, other 7``."""
        return ", ".join(f"{label} {n}" for label, n in Counter(self.classes).most_common()) or "—"

    def to_json(self) -> dict:
        return {"agreeing": self.agreeing, "draws": len(self.classes), "classes": dict(Counter(self.classes))}


def _redrawn(vector: PrintedVector, rng: np.random.Generator) -> list[float]:
    return [float(v) + float(half) * rng.uniform(-1.0, 1.0) for v, half in zip(vector.values, vector.half_units)]


def _redrawn_classes(objective: FeedforwardObjective, segment: SeedSegment, ordering: str, draws: int,
                     rng: np.random.Generator) -> tuple[str, ...]:
    """Classes (float64) of ``draws`` segments whose end points are redrawn within the print's rounding."""
    assert segment.start is not None and segment.end is not None
    return tuple(_float_class(objective, to_package_order(_redrawn(segment.start, rng), ordering),
                              to_package_order(_redrawn(segment.end, rng), ordering)) for _ in range(draws))


def _robustness(objective: FeedforwardObjective, segment: SeedSegment, ordering: str, reference: str,
                draws: int, rng: np.random.Generator) -> Robustness:
    assert segment.start is not None and segment.ratio is not None
    classes = _redrawn_classes(objective, segment, ordering, draws, rng)
    start = to_package_order(segment.start.values, ordering)
    radial = _float_class(objective, start, [segment.ratio * v for v in start])
    return Robustness(classes, reference, radial)


# -- the result -----------------------------------------------------------------------------------------------
@dataclass
class SegmentOutcome:
    """One seed segment: its record, and for usable ones the samples, class, robustness and constants."""

    segment: SeedSegment
    samples: SegmentSamples | None = None
    classification: Classification | None = None
    robustness: Robustness | None = None
    frobenius: WitnessBounds | None = None
    spectral: WitnessBounds | None = None

    @property
    def agrees(self) -> bool | None:
        """Whether the package's class (printed end points) is the seed's."""
        return None if self.classification is None else self.classification.label == self.segment.seed_class

    @property
    def seed_class_seen(self) -> bool | None:
        """Whether the seed's class occurs on the printed end points, a redraw within the print's rounding or
        the exactly radial reading (the seed's shape is consistent with the print)."""
        if self.classification is None or self.robustness is None:
            return None
        return bool(self.agrees) or self.robustness.seen(self.segment.seed_class)

    def to_json(self) -> dict:
        s = self.segment
        out: dict = {"index": s.index, "figure": s.figure, "status": s.status, "reason": s.reason,
                     "printed_counts": list(s.printed_counts), "seed_says": s.seed_says, "seed_class": s.seed_class,
                     "package_class": None, "agree": None}
        if self.classification is None:
            return out
        assert self.samples is not None and self.frobenius is not None and self.robustness is not None
        out.update({"package_class": self.classification.label, "agree": self.agrees,
                    "seed_class_seen": self.seed_class_seen,
                    "features": self.classification.to_json(), "robustness": self.robustness.to_json(),
                    "radial_class": self.robustness.radial_class,
                    "ratio": None if s.ratio is None else float(s.ratio),
                    "constants": {"frobenius": self.frobenius.to_json(),
                                  "spectral": None if self.spectral is None else self.spectral.to_json()},
                    "samples": self.samples.to_json()})
        return out


@dataclass
class CooperSegmentsResult(Result):
    """Seed 001 §3.2 reproduced (module docstring): per segment the seed's words, the package's class,
    its robustness and the (L0, L1) the samples require; the ordering used and why."""

    outcomes: list[SegmentOutcome]
    ordering: OrderingStudy
    vectors: dict[str, dict]
    dps: int
    plots: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    network: dict = field(default_factory=dict)

    json_kind = "experiment"

    @property
    def verdict(self) -> Verdict:
        return "not refuted"

    @property
    def claim(self) -> str:
        return CLAIM

    def usable(self) -> list[SegmentOutcome]:
        return [o for o in self.outcomes if o.classification is not None]

    def summary(self) -> dict:
        usable = self.usable()
        return {"segments": len(self.outcomes), "usable": len(usable),
                "agree": sum(bool(o.agrees) for o in usable),
                "seed_class_seen": sum(bool(o.seed_class_seen) for o in usable),
                "classes": dict(Counter(o.classification.label for o in usable if o.classification)),
                "seed_summary": SEED_SUMMARY}

    def to_json(self) -> dict:
        results = {"network": self.network, "points_per_segment": POINTS, "dps": self.dps,
                   "classification_rule": {"text": RULE_TEXT, "linear_residual": LINEAR_RESIDUAL,
                                           "u_margin": U_MARGIN, "u_rise": U_RISE, "top_from": TOP_FROM,
                                           "superlinear_ratio": SUPERLINEAR_RATIO, "top_level": TOP_LEVEL},
                   "ordering": self.ordering.to_json(), "segments": [o.to_json() for o in self.outcomes],
                   "summary": self.summary(), "random_vectors": self.vectors}
        return {"experiment": EXPERIMENT, "verdict": self.verdict, "claim": self.claim, "results": results,
                "plots": list(self.plots), "notes": list(self.notes), "seconds": round(self.seconds, 3)}

    def table_rows(self) -> list[tuple[str, ...]]:
        """(segment, seed says, package classifies, agree?, seed's class seen?, classes of the redraws, radial
        reading, L1 at L0 = 0 (Frobenius), L1 at L0 = 0 (spectral)) per seed segment."""
        rows = []
        for o in self.outcomes:
            s = o.segment
            if o.classification is None:
                rows.append((f"S{s.index}", s.seed_class, f"unusable: {s.reason}"))
                continue
            assert o.robustness is not None and o.frobenius is not None
            l1 = "inf" if o.frobenius.l1_at_l0_zero is None else _decimal_down(o.frobenius.l1_at_l0_zero, 4)
            l1s = "—" if o.spectral is None or o.spectral.l1_at_l0_zero is None else \
                _decimal_down(o.spectral.l1_at_l0_zero, 4)
            rows.append((f"S{s.index}" + ("*" if s.status == "reconstructed" else ""), s.seed_class,
                         o.classification.label, "yes" if o.agrees else "no", "yes" if o.seed_class_seen else "no",
                         o.robustness.counts_text(), o.robustness.radial_class, l1, l1s))
        return rows

    def report(self) -> str:
        header = ("segment", "seed says", "package", "agree", "seen", "redraws", "radial", "L1 (F)", "L1 (2)")
        lines = [f"{EXPERIMENT}: {self.verdict} — {self.claim}",
                 f"network {self.network.get('widths')}, tanh, L2 loss Σ(f − y)², {self.network.get('observations')} "
                 f"points (seed App. B); {POINTS} points per segment (both ends included), ball arithmetic at "
                 f"{self.dps} digits",
                 f"ordering used: {self.ordering.used} — {ORDERINGS[self.ordering.used]}", ""]
        lines += _columns([header] + self.table_rows())
        lines += ["", "* reconstructed end point (notes). seen: the seed's class occurs on the printed end points, on "
                  "a redraw of them within the print's rounding, or on the exactly radial reading s·start. L1 (F), "
                  "L1 (2): the smallest L1 with L0 = 0 that the samples require (rounded down), for the Frobenius "
                  "norm and the spectral norm (from a rigorous lower bound of ‖∇²L‖₂): lower bounds on the constants "
                  "from witnesses, not estimates of them.", "", "classes per ordering (printed end points):"]
        indices = [o.segment.index for o in self.usable()]
        table = [("ordering", "agree", *(f"S{i}" for i in indices))]
        table += [(o, str(self.ordering.scores[o]), *(row[i] for i in indices)) for o, row in self.ordering.table.items()]
        lines += _columns(table)
        lines += ["", "lower bounds on the constants from witnesses: the corners (L1, L0) of the least L0 for each L1 "
                  "(rounded down; any valid (L0, L1) lies on or above this frontier)"]
        for o in self.usable():
            for bounds in (o.frobenius, o.spectral):
                if bounds is not None:
                    corners = ", ".join(f"({_decimal_down(l1, 4)}, {_decimal_down(l0, 4)})" for l1, l0 in bounds.frontier)
                    lines.append(f"  S{o.segment.index} {bounds.norm.split()[0]}: {corners}")
        lines += ["", f"rule: {RULE_TEXT}"]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"plot: {p}" for p in self.plots]
        return "\n".join(lines)


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as left-aligned text columns (a row's last cell may run long)."""
    count = max(len(r) for r in rows)
    widths = [max((len(r[k]) for r in rows if k < len(r) - 1 or len(r) == count), default=0) for k in range(count)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


# -- plots ----------------------------------------------------------------------------------------------------
def plot_segment(outcome: SegmentOutcome, path: str | Path | None = None, *, ax=None):
    """(‖∇L‖, ‖∇²L‖_F) of a segment's samples in segment order, with the dashed line L1·‖∇L‖ for the
    smallest L1 the samples require at L0 = 0; saved to ``path`` when given. Returns the Axes."""
    if outcome.samples is None or outcome.classification is None or outcome.frobenius is None:
        raise DlnsmoothError(f"segment {outcome.segment.index} has no samples to plot")
    figure = None
    if ax is None:
        figure = new_figure(figsize=(5.6, 4.2), dpi=100)
        ax = figure.add_subplot()
    g, h = outcome.samples.floats()
    ax.plot(g, h, color="0.75", linewidth=0.6, zorder=1)
    points = ax.scatter(g, h, c=[float(s) for s in outcome.samples.parameters], cmap="viridis", s=12, zorder=2)
    if outcome.frobenius.l1_at_l0_zero is not None:
        slope = float(outcome.frobenius.l1_at_l0_zero)
        ax.plot([0, max(g)], [0, slope * max(g)], "--", color="tab:red", linewidth=1,
                label=f"L1·‖∇L‖, L1 = {_decimal_down(outcome.frobenius.l1_at_l0_zero, 4)} (least with L0 = 0)")
    ax.set_xlim(0, max(g) * 1.05)
    ax.set_ylim(0, max(h) * 1.08)
    ax.set_xlabel("‖∇L‖ (Euclidean)")
    ax.set_ylabel("‖∇²L‖_F (Frobenius)")
    s = outcome.segment
    ax.set_title(f"S{s.index} ({s.figure}): seed {s.seed_class}, package {outcome.classification.label}", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    if figure is not None:
        figure.colorbar(points, ax=ax, label="segment parameter s (start 0, end 1)")
        if path is not None:
            figure.tight_layout()
            figure.savefig(path)
    return ax


def plot_segments(result: CooperSegmentsResult, path: str | Path | None = None, *, columns: int = 3):
    """Every usable segment's plot (:func:`plot_segment`) in one figure, saved to ``path`` when given.
    Returns the matplotlib Figure (the notebook displays it)."""
    usable = result.usable()
    rows = max(1, math.ceil(len(usable) / columns))
    figure = new_figure(figsize=(5.0 * columns, 3.9 * rows), dpi=90)
    for k, outcome in enumerate(usable):
        plot_segment(outcome, ax=figure.add_subplot(rows, columns, k + 1))
    figure.tight_layout()
    if path is not None:
        figure.savefig(path)
    return figure


def _write_plots(outcomes: Sequence[SegmentOutcome], target: Path) -> list[str]:
    target = plot_directory(target)
    written = []
    for outcome in outcomes:
        if outcome.samples is not None:
            path = target / f"cooper-segment-{outcome.segment.index}.png"
            plot_segment(outcome, path)
            written.append(str(path))
    return written


# -- the experiment ---------------------------------------------------------------------------------------------
def _random_vector_report(usable: Sequence[SeedSegment]) -> dict[str, dict]:
    """Per w_j: entries, Kaiming block scales (layer blocks) and the largest |cos| with a start point."""
    out = {}
    starts = [np.asarray([float(v) for v in s.start.values]) for s in usable if s.start is not None]
    for name, vector in random_vectors().items():
        w = np.asarray([float(v) for v in vector.values])
        cosines = [abs(float(w @ s)) / (np.linalg.norm(w) * np.linalg.norm(s)) for s in starts]
        out[name] = {"entries": len(vector), "block_scales": [round(x, 3) for x in block_scales(vector, next(iter(
            GROUPINGS)))], "max_abs_cosine_with_starts": round(max(cosines), 3)}
    return out


def _notes(study: OrderingStudy, outcomes: Sequence[SegmentOutcome], vectors: dict[str, dict]) -> list[str]:
    notes = [f"S{o.segment.index}: {o.segment.reason}" for o in outcomes if o.segment.status != "printed"]
    layer, weights_first = study.magnitude_evidence.values()
    notes.append(f"Kaiming scales: read in layer blocks (8, 35, 8 numbers; bounds 1, 1/2, 1/sqrt(7)) the printed "
                 f"vectors' block scales agree (median max/min {layer:.2f}); read weights-first they do not "
                 f"({weights_first:.2f}). This fixes the layer blocks, not W vs b within a layer nor W2's orientation; "
                 f"the shapes decide those (ordering table).")
    cos = max(v["max_abs_cosine_with_starts"] for v in vectors.values())
    scales = ", ".join(str(v["block_scales"]) for v in vectors.values())
    notes.append(f"w_2, w_4, w_6: Kaiming draws at scale 1 (block scales {scales}); "
                 f"not directions of the printed segments (|cos| with every start point <= {cos}); role unstated, not used.")
    notes.append("S_i is matched with the seed's p_i (graphs numbered in order of appearance; end points start_i, "
                 "end_i): the natural reading, not stated in so many words.")
    notes.append(f"Seed's count over its 15 segments: {SEED_SUMMARY}")
    redrawn = [o for o in outcomes if o.robustness is not None and o.robustness.classes]
    stable = [f"S{o.segment.index}" for o in redrawn if o.robustness.agreeing == len(o.robustness.classes)]
    varying = [f"S{o.segment.index} ({o.robustness.agreeing}/{len(o.robustness.classes)})" for o in redrawn
               if o.robustness.agreeing < len(o.robustness.classes)]
    if varying:
        notes.append(f"Class fixed by the print (every redraw within its rounding agrees): {', '.join(stable) or 'none'}; "
                     f"not determined by the print (redraws agreeing with the printed end points' class): "
                     f"{', '.join(varying)}. Far from the origin tanh saturates and the curve depends on digits the "
                     "print (two significant digits) does not have.")
    notes.append(f"Ordering chosen by matches of the seed's class over {study.readings} readings (printed end points "
                 f"and redraws): {', '.join(f'{o} {n}' for o, n in study.matches.items())}.")
    return notes


def _check_draws(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise DlnsmoothError(f"{name} must be an integer from 0 to 100, got {value!r}")
    return value


def run(*, plots: str | Path | None = None, progress: bool | None = None, dps: int = 30,
        perturbations: int = 16, ordering_draws: int = 4, seed: int = 0, spectral: bool = True) -> CooperSegmentsResult:
    """Seed 001 §3.2 (module docstring); PNGs ``cooper-segment-<i>.png`` in ``plots`` when given.

    ``perturbations``: redraws per segment for the robustness check (ordering used);
    ``ordering_draws``: redraws per segment and ordering for choosing the ordering; ``seed``: of
    those redraws; ``spectral``: also bound ‖∇²L‖₂ from below (power iteration)."""
    began = time.perf_counter()
    check_dps(dps)
    _check_draws(perturbations, "perturbations")
    _check_draws(ordering_draws, "ordering_draws")
    directory = None if plots is None else plot_directory(plots, create=False)
    objective = seed_objective()
    records = segments()
    usable = [s for s in records if s.usable]
    rng = np.random.default_rng(seed)
    study = study_orderings(objective, usable, draws=ordering_draws, rng=rng)
    outcomes = []
    bar = progress_bar(progress, EXPERIMENT, total=len(usable) * POINTS, unit="point")
    try:
        for record in records:
            outcomes.append(_outcome(objective, record, study.used, dps, spectral, perturbations, rng, bar))
    finally:
        if bar is not None:
            bar.close()
    vectors = _random_vector_report(usable)
    network = {"widths": list(WIDTHS), "activation": "tanh", "loss": "l2 (sum of squared residuals, no 1/2)",
               "parameters": objective.n, "observations": objective.data.size}
    result = CooperSegmentsResult(outcomes, study, vectors, dps, notes=_notes(study, outcomes, vectors), network=network)
    if directory is not None:
        result.plots = _write_plots(outcomes, directory)
    result.seconds = time.perf_counter() - began
    return result


def _outcome(objective: FeedforwardObjective, record: SeedSegment, ordering: str, dps: int, spectral: bool,
             perturbations: int, rng: np.random.Generator, bar) -> SegmentOutcome:
    if not record.usable:
        return SegmentOutcome(record)
    start, end = (to_package_order(v, ordering) for v in record.endpoints())
    samples = sample_segment(objective, start, end, dps=dps, spectral=spectral, bar=bar)
    classification = classify_relation(*samples.floats())
    robustness = _robustness(objective, record, ordering, classification.label, perturbations, rng)
    frobenius = witness_bounds(samples.grad, samples.hess_frobenius, "Frobenius")
    spectral_bounds = None if samples.hess_spectral_lower is None else \
        witness_bounds(samples.grad, samples.hess_spectral_lower, "spectral (from a lower bound of ‖∇²L‖₂)")
    return SegmentOutcome(record, samples, classification, robustness, frobenius, spectral_bounds)

