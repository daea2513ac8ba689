"""The condition catalogue of SPEC §1, one class per condition, each inequality written once.

Every class states its inequality in its docstring and writes it once, in a
short method that works on mpmath numbers and on python-flint balls alike:
:meth:`PairCondition.factor_of` (the factor K multiplying ‖x1 − x2‖, from the
condition's aggregate of ‖D‖ over the segment) or
:meth:`PointwiseCondition.bound` (the right side as a non-decreasing function
of ‖∇f(x)‖). The base classes apply it

* to a pair ``(x1, x2)`` or a point in mpmath (:meth:`~Condition.check`,
  :meth:`PointwiseCondition.check_point`);
* to compute the *required* constant — the smallest value of the condition's
  free constant for which the inequality holds there (SPEC §1's ``req_order``,
  ``req_int``);
* in ball arithmetic (:meth:`PairCondition.ball_sides`,
  :meth:`PointwiseCondition.ball_sides`): rigorous enclosures of both sides,
  :class:`BallSides`, whose verdict at that pair or point is ``holds``
  (proved), ``refuted`` (a ball-confirmed violation) or ``undecided``.

The Bregman conditions of seed 002 (SPEC §4.3; definitions: a reconstruction of seed 002,
abstract only) compare the Bregman divergence d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩ of a
convex C¹ F with a norm power c‖g − h‖^p: :class:`HphiConvex` (``c‖g − h‖^p ≤ d_F(g, h)``) and
:class:`HPhiSmooth` (``d_F(g, h) ≤ c‖g − h‖^q``), written once in
:meth:`BregmanCondition.sides_of`; d_F is computed to full precision despite cancellation
(mpmath) and enclosed in balls through its Taylor form with integral remainder
(:func:`ball_divergence`).

Constants are exact real numbers ≥ 0 (:func:`~dlnsmooth.numbers.nonnegative_constant`):
``2``, ``"0.99"``, ``"2/3"``, ``"sqrt(5)"``, ``"2*sqrt(3)"``, ``sp.pi``. ρ is an exact
rational ≥ 0 and ``0^0 = 1`` (:func:`~dlnsmooth.numbers.power`).

Pair conditions take a continuous map ``D`` (a :class:`~dlnsmooth.objective.VectorField`,
or an :class:`~dlnsmooth.objective.Objective`, meaning ``D = ∇f``). Pointwise
(Hessian) conditions take an Objective; on a pair they check the inequality at
every point of the segment (the premise of Proposition 6).

mpmath numerics: everything is computed at ``dps`` digits (maxima over the
segment by :meth:`~dlnsmooth.segment.Segment.maximum`, a sampled lower estimate;
integrals by tanh-sinh quadrature). Such a :class:`Check` *holds* when
``lhs ≤ rhs`` up to a relative rounding allowance of ``10^(5 − dps)``: an
inequality that holds with equality is not reported as violated because of
rounding. The allowance is reported with every check. A Check is a comparison
at a precision, not a verdict; :class:`BallSides` are the rigorous counterpart.

Example::

    >>> f = Objective.from_string("x**4", "x")
    >>> RhoOrder(rho="2/3", C0=0, C1=12).check(f, [1], [2])
    Check(RhoOrder: lhs=28.0 ≤ rhs=... holds)
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import mpmath as mp
import sympy as sp
from flint import arb, fmpq

from .errors import DlnsmoothError, DomainError, InvalidRhoError, ParseError, ShapeError, UnsupportedForBalls
from .norms import Norm, ball_hessian_norm, ball_vector_norm, vector_norm
from .numbers import (
    MAX_RHO,
    exact_sign,
    nonnegative_constant,
    parse_constant,
    parse_number,
    parse_rho,
    power,
    to_arb,
    to_mpf,
    to_rational,
)
from .objective import Objective, VectorField
from .parsing import declare_variables, parse_expression
from .precision import DEFAULT_DPS, check_dps
from .results import Verdict
from .segment import Segment

__all__ = [
    "BallSides",
    "Check",
    "Condition",
    "PairCondition",
    "PointwiseCondition",
    "GloballyLipschitz",
    "LevelSetLipschitz",
    "LocallyLipschitz",
    "RhoOrder",
    "RhoIntegrated",
    "HessianGrowth",
    "L0L1Smooth",
    "EllSmooth",
    "BregmanCondition",
    "HphiConvex",
    "HPhiSmooth",
    "NotStationaryError",
    "RECONSTRUCTION_NOTE",
    "bregman_divergence",
    "divergence_expression",
    "ball_divergence",
    "CATALOGUE",
    "growth_ratio",
]

Status = Literal["holds", "violated", "not applicable"]

#: θ-cells of the segment used by the ball enclosures of max_θ and ∫₀¹.
DEFAULT_PIECES = 64


def _field(D: VectorField | Objective) -> VectorField:
    if isinstance(D, Objective):
        return D.gradient_field
    if isinstance(D, VectorField):
        return D
    raise TypeError(f"expected a VectorField or an Objective (D = ∇f), got {type(D).__name__}")


def _objective(f: Objective) -> Objective:
    if not isinstance(f, Objective):
        raise TypeError(f"this condition needs an Objective f (it uses ∇f and ∇²f), got {type(f).__name__}")
    return f


def _check_points(n: int, *points: Sequence[object]) -> None:
    for x in points:
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
            raise ShapeError(f"a point must be a sequence of {n} numbers, got {x!r}")
        if len(x) != n:
            raise ShapeError(f"point {list(x)!r} has {len(x)} coordinates; expected {n}")


def _like(constant: sp.Expr, template: mp.mpf | arb) -> mp.mpf | arb:
    """An exact constant in the arithmetic of ``template`` (a ball or an mpf)."""
    return to_arb(constant) if isinstance(template, arb) else to_mpf(constant)


@dataclass(frozen=True)
class Check:
    """The outcome of one inequality ``lhs ≤ rhs`` at a pair or a point, compared in mpmath at
    ``dps`` digits with a rounding allowance (a comparison, not a verdict)."""

    condition: str
    lhs: mp.mpf | None
    rhs: mp.mpf | None
    status: Status
    dps: int
    allowance: mp.mpf = field(default_factory=lambda: mp.mpf(0))
    detail: str = ""

    @property
    def holds(self) -> bool:
        return self.status == "holds"

    def __repr__(self) -> str:
        if self.status == "not applicable":
            return f"Check({self.condition}: not applicable — {self.detail})"
        rel = "≤" if self.status == "holds" else ">"
        return (f"Check({self.condition}: lhs={mp.nstr(self.lhs, 12)} {rel} rhs={mp.nstr(self.rhs, 12)} "
                f"{self.status})")


def _allowance(dps: int, *magnitudes: mp.mpf) -> mp.mpf:
    """Rounding allowance 10^(5 − dps) relative to the largest magnitude involved."""
    with mp.workdps(dps + 10):
        return mp.mpf(10) ** (5 - dps) * max(abs(m) for m in magnitudes)


def _judge(name: str, lhs: mp.mpf, rhs: mp.mpf, dps: int, detail: str = "", scale: mp.mpf | None = None) -> Check:
    """``lhs ≤ rhs`` at ``dps`` digits, allowing rounding relative to max(|lhs|, |rhs|, scale).

    ``scale`` is the size of the quantities a difference was taken of (e.g. ‖D(x1)‖,
    ‖D(x2)‖ for ‖D(x1) − D(x2)‖), whose rounding the difference inherits.
    """
    with mp.workdps(dps + 10):
        allowance = _allowance(dps, lhs, rhs, scale if scale is not None else mp.mpf(0))
        status: Status = "holds" if lhs <= rhs + allowance else "violated"
    return Check(name, lhs, rhs, status, dps, allowance, detail)


# -- ball arithmetic ---------------------------------------------------------------------------
_INF = arb("inf")


def _upper_end(ball: arb) -> arb:
    """An exact upper end (+∞ when the ball is not finite)."""
    return ball.upper() if ball.is_finite() else _INF


def _lower_end(ball: arb) -> arb:
    """An exact lower end (−∞ when the ball is not finite)."""
    return ball.lower() if ball.is_finite() else -_INF


@dataclass(frozen=True)
class BallSides:
    """Rigorous enclosures of both sides of ``lhs ≤ rhs`` at one pair or point (ball arithmetic).

    ``lhs`` encloses the left side itself — or, where only a lower bound can be computed
    (the spectral norm: ‖∇²f v‖/‖v‖ for a test vector v), a quantity that is at most the
    left side; ``lhs_upper`` is then an exact upper bound (‖∇²f‖_F). ``rhs`` encloses the
    right side and ``rhs_lower`` is an exact lower bound of it that stays finite where the
    ball does not (‖∇f‖ unbounded on a box: the right side is still ≥ C0). ``applicable`` is
    False when the condition says nothing there (a point outside the sublevel set or the
    ball), None when that could not be decided.
    """

    lhs: arb
    rhs: arb
    lhs_upper: arb
    rhs_lower: arb
    applicable: bool | None = True

    @property
    def refuted(self) -> bool:
        """The inequality is false here, for certain: lower(lhs) > upper(rhs)."""
        return self.applicable is True and self.lhs.is_finite() and self.rhs.is_finite() and \
            bool(self.lhs.lower() > self.rhs.upper())

    @property
    def proved(self) -> bool:
        """The inequality holds here, for certain: upper(lhs) ≤ lower(rhs) (or not applicable)."""
        if self.applicable is False:
            return True
        return self.applicable is True and self.lhs_upper.is_finite() and bool(self.lhs_upper <= self.rhs_lower)

    @property
    def verdict(self) -> Verdict:
        """``holds``, ``refuted`` or ``undecided`` at this pair or point."""
        if self.proved:
            return "holds"
        return "refuted" if self.refuted else "undecided"

    def within(self, dps: int) -> bool | None:
        """The catalogue's comparison in balls: True when lhs ≤ rhs holds for certain or up to the
        rounding allowance 10^(5 − dps) relative; False when lhs exceeds rhs beyond it; None
        when the balls cannot tell."""
        if self.proved:
            return True
        if not (self.lhs.is_finite() and self.rhs.is_finite()):
            return None
        allowance = arb(10) ** (5 - dps) * (abs(self.lhs) + abs(self.rhs)).upper()
        if self.lhs_upper <= self.rhs_lower + allowance:
            return True
        if self.lhs.lower() > self.rhs.upper() + allowance:
            return False
        return None

    def ratio_bounds(self) -> tuple[arb, arb]:
        """Exact bounds (low, high) of lhs/rhs for a positive right side; high is +∞ when the
        right side may vanish or the left side is unbounded."""
        low = arb(0)
        if self.lhs.is_finite() and self.rhs.is_finite() and self.rhs.upper() > 0:
            low = (self.lhs.lower().nonnegative_part() / self.rhs.upper()).lower()
        if not self.lhs_upper.is_finite() or not self.rhs_lower > 0:
            return low, _INF
        return low, (self.lhs_upper / self.rhs_lower).upper()


def _sides(lhs: arb, rhs: arb, *, lhs_upper: arb | None = None, rhs_lower: arb | None = None,
           applicable: bool | None = True) -> BallSides:
    return BallSides(lhs, rhs, _upper_end(lhs) if lhs_upper is None else lhs_upper,
                     _lower_end(rhs) if rhs_lower is None else rhs_lower, applicable)


# -- the catalogue -------------------------------------------------------------------------------
class Condition(ABC):
    """A smoothness condition with its constants fixed."""

    #: the inequality, as printed in reports
    inequality: str = ""

    @abstractmethod
    def check(self, D, x1: Sequence[object], x2: Sequence[object], dps: int = DEFAULT_DPS) -> Check:
        """Does the inequality hold at the pair (x1, x2)? (mpmath, with the rounding allowance)"""

    @abstractmethod
    def required(self, D, x1: Sequence[object], x2: Sequence[object], dps: int = DEFAULT_DPS) -> mp.mpf | None:
        """The smallest free constant for which the pair satisfies the inequality."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={sp.sstr(v) if isinstance(v, sp.Basic) else v}" for k, v in vars(self).items()
                           if not k.startswith("_"))
        return f"{self.name}({params})"


class PairCondition(Condition):
    """``‖D(x1) − D(x2)‖ ≤ K(x1, x2) · ‖x1 − x2‖`` with a condition-specific factor K, written
    once in :meth:`factor_of` as a function of the condition's aggregate of ‖D‖ over the
    segment (:meth:`aggregate`: max_θ ‖D(x_θ)‖^ρ, ∫₀¹ ‖D(x_θ)‖^ρ dθ, or none)."""

    def applies(self, D, x1, x2, dps: int) -> str | None:
        """A reason the condition says nothing about this pair, or None (mpmath)."""
        return None

    def ball_applies(self, D, x1, x2) -> bool | None:
        """Whether the condition speaks about this pair, decided in balls (None: undecided)."""
        return True

    def aggregate(self, D: VectorField, segment: Segment, dps: int) -> mp.mpf:
        """The condition's aggregate of ‖D‖ over the segment, in mpmath (1 when it has none)."""
        return mp.mpf(1)

    def ball_aggregate(self, D: VectorField, segment: Segment, pieces: int) -> tuple[arb, arb]:
        """Exact lower and upper bounds of the aggregate, in balls (θ-cells of the segment)."""
        return arb(1), arb(1)

    @abstractmethod
    def factor_of(self, aggregate: mp.mpf | arb) -> mp.mpf | arb:
        """K as a function of the aggregate (mpmath or balls; non-decreasing)."""

    @abstractmethod
    def required_of(self, quotient: mp.mpf, aggregate: mp.mpf) -> mp.mpf:
        """The smallest free constant given ``quotient = ‖ΔD‖ / ‖Δx‖`` and the aggregate."""

    def factor(self, D: VectorField, segment: Segment, dps: int) -> mp.mpf:
        """K(x1, x2), the factor multiplying ‖x1 − x2‖ (mpmath)."""
        return self.factor_of(self.aggregate(D, segment, dps))

    def required_from_quotient(self, quotient: mp.mpf, D: VectorField, segment: Segment, dps: int) -> mp.mpf:
        """The smallest free constant given ``quotient = ‖ΔD‖ / ‖Δx‖``."""
        return self.required_of(quotient, self.aggregate(D, segment, dps))

    def _pieces(self, D, x1, x2, dps):
        check_dps(dps)
        field_ = _field(D)
        _check_points(field_.n, x1, x2)
        return field_, Segment(x1, x2)

    def check(self, D, x1, x2, dps: int = DEFAULT_DPS) -> Check:
        field_, segment = self._pieces(D, x1, x2, dps)
        reason = self.applies(D, x1, x2, dps)
        if reason:
            return Check(self.name, None, None, "not applicable", dps, detail=reason)
        with mp.workdps(dps):
            d1, d2 = field_(x1, dps), field_(x2, dps)
            lhs = vector_norm([a - b for a, b in zip(d1, d2)])
            rhs = self.factor(field_, segment, dps) * segment.length(dps)
            return _judge(self.name, lhs, rhs, dps, scale=max(vector_norm(d1), vector_norm(d2)))

    def quotient(self, D, x1, x2, dps: int = DEFAULT_DPS) -> mp.mpf:
        """``‖D(x1) − D(x2)‖ / ‖x1 − x2‖`` (0 for x1 = x2)."""
        field_, segment = self._pieces(D, x1, x2, dps)
        with mp.workdps(dps):
            if segment.is_degenerate():
                return mp.mpf(0)
            diff = vector_norm([a - b for a, b in zip(field_(x1, dps), field_(x2, dps))])
            return diff / segment.length(dps)

    def required(self, D, x1, x2, dps: int = DEFAULT_DPS) -> mp.mpf | None:
        field_, segment = self._pieces(D, x1, x2, dps)
        if self.applies(D, x1, x2, dps):
            return None
        q = self.quotient(field_, x1, x2, dps)
        with mp.workdps(dps):
            return self.required_from_quotient(q, field_, segment, dps)

    def ball_sides(self, D, x1, x2, *, pieces: int = DEFAULT_PIECES) -> BallSides:
        """Enclosures of ``‖D(x1) − D(x2)‖/‖x1 − x2‖ ≤ K(x1, x2)`` in balls at the current flint
        precision (wrap the call in :func:`~dlnsmooth.precision.working_precision`). The
        aggregate is bracketed over ``pieces`` θ-cells of the segment: point values bound max_θ
        from below, cell enclosures from above, and the cells bound ∫₀¹ on both sides."""
        field_ = _field(D)
        _check_points(field_.n, x1, x2)
        segment = Segment(x1, x2)
        if segment.is_degenerate():
            raise ShapeError("a pair needs two different points")
        diff = ball_vector_norm([a - b for a, b in zip(field_.ball(x1), field_.ball(x2))])
        quotient = diff / segment.ball_length()
        low, high = self.ball_aggregate(field_, segment, pieces)
        factor_low, factor_high = self.factor_of(low), self.factor_of(high)
        rhs = factor_low.union(factor_high) if factor_high.is_finite() else arb("nan")
        return _sides(quotient, rhs, rhs_lower=_lower_end(factor_low).nonnegative_part(),
                      applicable=self.ball_applies(D, x1, x2))


class GloballyLipschitz(PairCondition):
    """Def 1: ``‖D(x1) − D(x2)‖ ≤ C ‖x1 − x2‖`` for all x1, x2.

    Required constant of a pair: ``C = ‖ΔD‖ / ‖Δx‖``.
    """

    inequality = "‖D(x1) − D(x2)‖ ≤ C ‖x1 − x2‖"

    def __init__(self, C: object = 0):
        self.C = nonnegative_constant(C, "C")

    def factor_of(self, aggregate):
        return _like(self.C, aggregate)

    def required_of(self, quotient, aggregate):
        return quotient


class LevelSetLipschitz(PairCondition):
    """Def 2 (D = ∇f): on the sublevel set ``{x : f(x) ≤ c}``,
    ``‖∇f(x1) − ∇f(x2)‖ ≤ L ‖x1 − x2‖``.

    Pairs with a point outside the sublevel set are *not applicable*.
    Required constant of an applicable pair: ``L = ‖ΔD‖ / ‖Δx‖``.
    """

    inequality = "f(x1), f(x2) ≤ c ⇒ ‖∇f(x1) − ∇f(x2)‖ ≤ L ‖x1 − x2‖"

    def __init__(self, level: object, L: object = 0):
        self.level = parse_constant(level, what="level c")
        self.L = nonnegative_constant(L, "L")

    def applies(self, D, x1, x2, dps):
        f = _objective(D)
        with mp.workdps(dps):
            c = to_mpf(self.level)
            for x in (x1, x2):
                value = f.value(x, dps)
                if value > c + _allowance(dps, value, c):  # a point on the boundary, up to rounding, is inside
                    return f"f({list(x)}) > c = {sp.sstr(self.level)}: the pair is outside the sublevel set"
        return None

    def ball_applies(self, D, x1, x2):
        f = _objective(D)
        c = to_arb(self.level)
        inside = [f.ball_value(x) for x in (x1, x2)]
        if any(v > c for v in inside):
            return False
        return True if all(v <= c for v in inside) else None

    def factor_of(self, aggregate):
        return _like(self.L, aggregate)

    def required_of(self, quotient, aggregate):
        return quotient


class LocallyLipschitz(PairCondition):
    """Def 3 (in Rⁿ): on the closed ball ``‖x − center‖ ≤ r``,
    ``‖D(x1) − D(x2)‖ ≤ L(r) ‖x1 − x2‖``.

    Pairs with a point outside the ball are *not applicable*.
    Required constant of an applicable pair: ``L(r) = ‖ΔD‖ / ‖Δx‖``.
    """

    inequality = "‖x1 − c‖, ‖x2 − c‖ ≤ r ⇒ ‖D(x1) − D(x2)‖ ≤ L(r) ‖x1 − x2‖"

    def __init__(self, radius: object, L: object = 0, center: Sequence[object] | None = None):
        self.radius = nonnegative_constant(radius, "r")
        self.L = nonnegative_constant(L, "L")
        self.center = None if center is None else tuple(parse_constant(c, what="center") for c in center)

    def _center(self, n: int) -> tuple:
        center = self.center if self.center is not None else (0,) * n
        if len(center) != n:
            raise ShapeError(f"ball centre has {len(center)} coordinates; expected {n}")
        return center

    def applies(self, D, x1, x2, dps):
        center = self._center(_field(D).n)
        with mp.workdps(dps):
            radius = to_mpf(self.radius)
            for x in (x1, x2):
                distance = vector_norm([to_mpf(a) - to_mpf(c) for a, c in zip(x, center)])
                scale = max(vector_norm([to_mpf(a) for a in x]), vector_norm([to_mpf(c) for c in center]), radius)
                if distance > radius + _allowance(dps, scale):  # the sphere itself, up to rounding, is inside
                    return f"{list(x)} lies outside the ball of radius {sp.sstr(self.radius)}"
        return None

    def ball_applies(self, D, x1, x2):
        center = self._center(_field(D).n)
        exact = _exact_distances_sq(center, x1, x2)
        if exact is not None and self.radius.is_Rational:  # decided exactly (points on the sphere included)
            return all(d <= self.radius**2 for d in exact)
        radius_sq = to_arb(self.radius) ** 2
        distances = [sum(((to_arb(a) - to_arb(c)) ** 2 for a, c in zip(x, center)), arb(0)) for x in (x1, x2)]
        if any(d > radius_sq for d in distances):
            return False
        return True if all(d <= radius_sq for d in distances) else None

    def factor_of(self, aggregate):
        return _like(self.L, aggregate)

    def required_of(self, quotient, aggregate):
        return quotient


def _exact_distances_sq(center: Sequence[object], *points: Sequence[object]) -> list[sp.Rational] | None:
    """‖x − center‖² exactly for each point when every coordinate is an exact rational, else None."""
    try:
        c = [to_rational(v) for v in center]
        return [sum(((to_rational(a) - b) ** 2 for a, b in zip(x, c)), sp.Integer(0)) for x in points]
    except TypeError:
        return None


class _RhoPair(PairCondition):
    """The two ρ-conditions: ``K = C0 + C1 · A`` with A an aggregate of ‖D(x_θ)‖^ρ."""

    def __init__(self, rho: object, C0: object = 0, C1: object = 0):
        self.rho = parse_rho(rho)
        self.C0 = nonnegative_constant(C0, "C0")
        self.C1 = nonnegative_constant(C1, "C1")

    def factor_of(self, aggregate):
        return _like(self.C0, aggregate) + _like(self.C1, aggregate) * aggregate

    def required_of(self, quotient, aggregate):
        excess = quotient - to_mpf(self.C0)
        if excess <= 0:
            return mp.mpf(0)
        return excess / aggregate if aggregate > 0 else mp.inf


class RhoOrder(_RhoPair):
    """Def 4, ρ-order Lipschitz: for all x1, x2,
    ``‖D(x1) − D(x2)‖ ≤ (C0 + C1 · max_{θ∈[0,1]} ‖D(x_θ)‖^ρ) · ‖x1 − x2‖``.

    Required C1 of a pair (given C0): ``req_order = (‖ΔD‖/‖Δx‖ − C0) / max_θ ‖D(x_θ)‖^ρ``
    (0 when the quotient is at most C0; ∞ when D vanishes on the segment).
    """

    inequality = "‖D(x1) − D(x2)‖ ≤ (C0 + C1 max_θ ‖D(x_θ)‖^ρ) ‖x1 − x2‖"

    def aggregate(self, D, segment, dps):
        if self.rho == 0:
            return mp.mpf(1)
        best = segment.maximum(lambda th: vector_norm(D(segment.point(th), mp.mp.dps)) ** 2, dps)
        return power(mp.sqrt(best.value), self.rho)

    def ball_aggregate(self, D, segment, pieces):
        if self.rho == 0:
            return arb(1), arb(1)
        low = max((_lower_end(D.ball_norm(p)) for p in segment.ball_points(pieces)), default=arb(0))
        high = arb(0)
        for cell in segment.ball_cells(pieces):
            top = _upper_end(D.ball_norm(cell))
            if not top.is_finite():
                return power(low.nonnegative_part(), self.rho), _INF
            high = top if top > high else high
        return power(low.nonnegative_part(), self.rho).lower(), power(high, self.rho).upper()


class RhoIntegrated(_RhoPair):
    """Def 5, ρ-integrated Lipschitz: for all x1, x2,
    ``‖D(x1) − D(x2)‖ ≤ (∫₀¹ (C0 + C1 ‖D(x_θ)‖^ρ) dθ) · ‖x1 − x2‖``.

    Required C1 of a pair (given C0): ``req_int = (‖ΔD‖/‖Δx‖ − C0) / ∫₀¹ ‖D(x_θ)‖^ρ dθ``.
    Per pair ``req_int ≥ req_order`` since the integral is at most the max.
    """

    inequality = "‖D(x1) − D(x2)‖ ≤ (∫₀¹ C0 + C1 ‖D(x_θ)‖^ρ dθ) ‖x1 − x2‖"

    def aggregate(self, D, segment, dps):
        if self.rho == 0:
            return mp.mpf(1)
        return segment.integral(lambda th: power(vector_norm(D(segment.point(th), mp.mp.dps)), self.rho), dps).value

    def ball_aggregate(self, D, segment, pieces):
        if self.rho == 0:
            return arb(1), arb(1)
        low, high = arb(0), arb(0)
        for cell in segment.ball_cells(pieces):
            norm = D.ball_norm(cell)
            if not norm.is_finite():
                return low, _INF
            value = power(norm, self.rho)
            low += value.lower().nonnegative_part()
            high += value.upper()
        width = arb(pieces)
        return (low / width).lower(), (high / width).upper()


class PointwiseCondition(Condition):
    """``‖∇²f(x)‖ ≤ B(‖∇f(x)‖)`` at every x, with B non-decreasing, written once in
    :meth:`bound` (spectral norm by default, as in the definitions)."""

    norm: Norm = Norm.SPECTRAL

    @abstractmethod
    def bound(self, grad_norm: mp.mpf | arb) -> mp.mpf | arb:
        """The right side as a function of ‖∇f(x)‖ (mpmath or balls)."""

    @abstractmethod
    def required_at(self, hess_norm: mp.mpf, grad_norm: mp.mpf) -> mp.mpf:
        """The smallest free constant making the inequality hold at one point."""

    def _norms(self, f: Objective, x, dps) -> tuple[mp.mpf, mp.mpf]:
        with mp.workdps(dps):
            return f.hess_norm(x, dps, self.norm), f.grad_norm(x, dps)

    def check_point(self, f: Objective, x: Sequence[object], dps: int = DEFAULT_DPS) -> Check:
        """The inequality at the single point x (mpmath)."""
        f = _objective(f)
        check_dps(dps)
        _check_points(f.n, x)
        with mp.workdps(dps):
            h, g = self._norms(f, x, dps)
            return _judge(self.name, h, self.bound(g), dps, detail=f"norm: {self.norm.value}")

    def required_point(self, f: Objective, x: Sequence[object], dps: int = DEFAULT_DPS) -> mp.mpf:
        f = _objective(f)
        _check_points(f.n, x)
        with mp.workdps(check_dps(dps)):
            h, g = self._norms(f, x, dps)
            return self.required_at(h, g)

    def _on_segment(self, f, x1, x2, dps, phi_of_norms):
        f = _objective(f)
        check_dps(dps)
        _check_points(f.n, x1, x2)
        segment = Segment(x1, x2)

        def phi(theta):
            point = segment.point(theta)
            h, g = self._norms(f, point, mp.mp.dps)
            return phi_of_norms(h, g)

        return segment.maximum(phi, dps)

    def check(self, f, x1, x2, dps: int = DEFAULT_DPS) -> Check:
        """The inequality at the worst point of the segment [x1, x2] (Prop 6's premise for the pair)."""
        worst = self._on_segment(f, x1, x2, dps, lambda h, g: h - self.bound(g))
        with mp.workdps(dps):
            x = Segment(x1, x2).point(worst.theta)
            h, g = self._norms(f, x, dps)
            return _judge(self.name, h, self.bound(g), dps,
                          detail=f"worst point θ = {mp.nstr(worst.theta, 8)}; norm: {self.norm.value}")

    def required(self, f, x1, x2, dps: int = DEFAULT_DPS) -> mp.mpf:
        """The largest pointwise requirement over the segment."""
        return self._on_segment(f, x1, x2, dps, self.required_at).value

    # -- balls -------------------------------------------------------------------------------
    def sides_from_norms(self, grad_norm: arb, hess_norm: arb, hess_upper: arb | None = None) -> BallSides:
        """:class:`BallSides` from an enclosure of ‖∇f(x)‖ and one of ‖∇²f(x)‖ (or, with
        ``hess_upper``, of a lower bound of it): the right side uses the monotonicity of B, so
        an unbounded ‖∇f‖ still gives the finite lower bound B(lower end of ‖∇f‖)."""
        low = grad_norm.lower().nonnegative_part() if grad_norm.is_finite() else arb(0)
        rhs = self.bound(grad_norm.nonnegative_part()) if grad_norm.is_finite() else arb("nan")
        return _sides(hess_norm, rhs, lhs_upper=hess_upper, rhs_lower=_lower_end(self.bound(low)))

    def ball_sides(self, f: Objective, x: Sequence[object]) -> BallSides:
        """Enclosures of ``‖∇²f(x)‖ ≤ B(‖∇f(x)‖)`` at ``x`` (exact numbers or balls — a box) in
        balls at the current flint precision. In the spectral norm the left side is bounded
        below by ‖∇²f v‖/‖v‖ for test vectors v (a top eigenvector of the midpoint matrix and
        the unit vectors) and above by ‖∇²f‖_F; for n = 1 and the Frobenius norm it is exact."""
        f = _objective(f)
        _check_points(f.n, x)
        gradient, hessian = f.ball_derivatives(list(x))
        low, high = ball_hessian_norm(hessian, self.norm)
        return self.sides_from_norms(ball_vector_norm(gradient), low, None if high is low else _upper_end(high))


class HessianGrowth(PointwiseCondition):
    """Hessian growth (Props 5–6): ``‖∇²f(x)‖ ≤ C0 + C1 ‖∇f(x)‖^ρ`` for all x.

    By Props 5 and 6 it is equivalent to ∇f being ρ-order (and ρ-integrated)
    Lipschitz with the same constants. Required C1 at a point (given C0):
    ``(‖∇²f(x)‖ − C0) / ‖∇f(x)‖^ρ``.
    """

    inequality = "‖∇²f(x)‖ ≤ C0 + C1 ‖∇f(x)‖^ρ"

    def __init__(self, rho: object, C0: object = 0, C1: object = 0, norm: Norm | str = Norm.SPECTRAL):
        self.rho = parse_rho(rho)
        self.C0 = nonnegative_constant(C0, "C0")
        self.C1 = nonnegative_constant(C1, "C1")
        self.norm = Norm.parse(norm)
        if self.norm is Norm.EUCLIDEAN:
            raise ValueError("a Hessian norm must be 'frobenius' or 'spectral'")

    def bound(self, grad_norm):
        return _like(self.C0, grad_norm) + _like(self.C1, grad_norm) * power(grad_norm, self.rho)

    def required_at(self, hess_norm, grad_norm):
        excess = hess_norm - to_mpf(self.C0)
        if excess <= 0:
            return mp.mpf(0)
        denominator = power(grad_norm, self.rho)
        return excess / denominator if denominator > 0 else mp.inf


#: exponents ρ whose numerator or denominator exceeds this are not multiplied out by SymPy
_EXPANDED_EXPONENT = 64


#: expressions with more nodes than this are not evaluated further by :func:`growth_ratio`
_EVALUATED_NODES = 400


def _large_expression(expression: sp.Expr) -> bool:
    for count, _ in enumerate(sp.preorder_traversal(sp.sympify(expression)), 1):
        if count > _EVALUATED_NODES:
            return True
    return False


def _large_exponent(rho: sp.Expr) -> bool:
    return bool(rho.is_Rational) and (abs(rho.p) > _EXPANDED_EXPONENT or rho.q > _EXPANDED_EXPONENT)


def growth_ratio(grad_norm_sq: sp.Expr, hess_norm_sq: sp.Expr, rho: object, *, squared: bool = False) -> sp.Expr:
    """``‖∇²f‖ / (1 + ‖∇f‖^ρ)`` as a SymPy expression in the squared norms ``‖∇f‖²`` and
    ``‖∇²f‖²`` (its square with ``squared=True``: no square root and no Abs, which keeps SymPy's
    limits simple), with 0^0 = 1 (so ρ = 0 gives ‖∇²f‖/2). It is the left side of
    :class:`HessianGrowth` over its right side with C0 = C1 = 1: bounded on a set exactly when
    Hessian growth holds there for some constants (C0 = C1 = its supremum)."""
    rho = sp.sympify(rho)
    large = _large_expression(grad_norm_sq) or _large_expression(hess_norm_sq)
    if rho == 0:
        denominator = sp.Integer(2)
    elif large or _large_exponent(rho):  # unevaluated: SymPy would expand constants to astronomical powers
        denominator = 1 + sp.Pow(grad_norm_sq, rho / 2, evaluate=False)
    else:
        denominator = 1 + grad_norm_sq ** (rho / 2)
    if not large and not (rho != 0 and _large_exponent(rho)):
        return hess_norm_sq / denominator**2 if squared else sp.sqrt(hess_norm_sq) / denominator
    # huge expressions (towers) and huge exponents stay as built: SymPy's automatic evaluation of √
    # and of powers (as_real_imag on every factor, is_rational of (16 t^6)^(10^400)) can take minutes
    numerator = hess_norm_sq if squared else sp.Pow(hess_norm_sq, sp.Rational(1, 2), evaluate=False)
    return sp.Mul(numerator, sp.Pow(denominator, -2 if squared else -1, evaluate=False), evaluate=False)


class L0L1Smooth(HessianGrowth):
    """(L0, L1)-smoothness (Zhang, He, Sra, Jadbabaie 2020):
    ``‖∇²f(x)‖ ≤ L0 + L1 ‖∇f(x)‖`` for all x — Hessian growth with ρ = 1.

    Required L1 at a point (given L0): ``(‖∇²f(x)‖ − L0) / ‖∇f(x)‖``.
    """

    inequality = "‖∇²f(x)‖ ≤ L0 + L1 ‖∇f(x)‖"

    def __init__(self, L0: object = 0, L1: object = 0, norm: Norm | str = Norm.SPECTRAL):
        super().__init__(1, nonnegative_constant(L0, "L0"), nonnegative_constant(L1, "L1"), norm)

    @property
    def L0(self) -> sp.Expr:
        return self.C0

    @property
    def L1(self) -> sp.Expr:
        return self.C1


class EllSmooth(PointwiseCondition):
    """ℓ-smoothness (Li, Qian, Tian, Rakhlin, Jadbabaie 2023):
    ``‖∇²f(x)‖ ≤ ℓ(‖∇f(x)‖)`` for a non-decreasing ℓ.

    ``ell`` is a SymPy expression in one symbol (or a string in ``a``, e.g.
    ``"1 + a**2"``). Required constant at a point: the factor
    ``‖∇²f(x)‖ / ℓ(‖∇f(x)‖)`` by which ℓ would have to be scaled.
    """

    inequality = "‖∇²f(x)‖ ≤ ℓ(‖∇f(x)‖)"

    def __init__(self, ell: sp.Expr | str, norm: Norm | str = Norm.SPECTRAL):
        if isinstance(ell, str):
            (a,) = declare_variables("a")
            expr = parse_expression(ell, (a,), what="ℓ")
        else:
            expr = sp.sympify(ell)
            symbols = sorted(expr.free_symbols, key=lambda s: s.name)
            if len(symbols) > 1:
                raise ValueError(f"ℓ must be a function of one variable, got {expr}")
            a = symbols[0] if symbols else sp.Symbol("a", real=True)
        self.ell = expr
        self._function = VectorField([expr], [a], name="ℓ")
        self.norm = Norm.parse(norm)

    def bound(self, grad_norm):
        if isinstance(grad_norm, arb):
            return self._function.ball([grad_norm])[0]
        return self._function([grad_norm], mp.mp.dps)[0]

    def required_at(self, hess_norm, grad_norm):
        bound = self.bound(grad_norm)
        if hess_norm == 0:
            return mp.mpf(0)
        return hess_norm / bound if bound > 0 else mp.inf

    def sides_from_norms(self, grad_norm: arb, hess_norm: arb, hess_upper: arb | None = None) -> BallSides:
        """As for every pointwise condition, except that the right side's lower end is taken from the
        enclosure of ℓ over the ball of ‖∇f‖ itself, so that it stays rigorous even for an ℓ given
        by a user that is not non-decreasing (an unbounded ‖∇f‖ then proves nothing)."""
        if not grad_norm.is_finite():
            return _sides(hess_norm, arb("nan"), lhs_upper=hess_upper, rhs_lower=-_INF)
        rhs = self.bound(grad_norm.nonnegative_part())
        return _sides(hess_norm, rhs, lhs_upper=hess_upper)

    def __repr__(self) -> str:
        return f"EllSmooth(ell={self.ell}, norm={self.norm.value})"


# -- norm-power convexity and smoothness (seed 002, reconstructed) -------------------------------
#: the line every statement of the seed-002 definitions carries
RECONSTRUCTION_NOTE = "definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3"

#: θ-cells of the segment used by the Taylor enclosure of d_F in balls
TAYLOR_PIECES = 16

#: most guard digits the mpmath divergence adds to recover digits lost to cancellation
_MAX_GUARD = 2000


class NotStationaryError(DlnsmoothError, ValueError):
    """The point given as the minimiser u* of the minimiser form is not a stationary point of F
    (∇F(u*) ≠ 0), or that could not be proved."""


def _positive_exponent(value: object, name: str) -> sp.Rational:
    """An exponent of a norm power: an exact rational with ``0 < value ≤ MAX_RHO`` (clear errors for
    p ≤ 0, NaN, infinities and text that is not a number)."""
    if isinstance(value, float) and math.isnan(value):
        raise InvalidRhoError(f"{name} is NaN; expected a number > 0")
    try:
        exponent = parse_number(value, what=name)
    except ParseError as exc:
        raise InvalidRhoError(str(exc)) from None
    if exponent <= 0:
        raise InvalidRhoError(f"{name} = {sp.sstr(exponent)} is not positive: the norm power ‖g − h‖^{name} "
                              f"needs {name} > 0")
    if exponent > MAX_RHO:
        raise InvalidRhoError(f"{name} = {sp.sstr(exponent)} is too large: the package accepts 0 < {name} <= 10^6")
    return exponent


def _exact(value: object) -> sp.Expr:
    """A coordinate as an exact number: machine numbers by their binary value, decimal and fraction
    strings exactly, constants such as ``"sqrt(2)"`` symbolically."""
    try:
        return to_rational(value)
    except TypeError:
        return parse_constant(value, what="coordinate")


def _difference(g: Sequence[object], h: Sequence[object]) -> list[sp.Expr]:
    """v = g − h exactly (no cancellation when g ≈ h)."""
    return [_exact(a) - _exact(b) for a, b in zip(g, h)]


def _same_point(x1: Sequence[object], x2: Sequence[object]) -> bool:
    """x1 = x2 exactly."""
    return all(d == 0 for d in _difference(x1, x2))


def _mp_norm(v: Sequence[sp.Expr]) -> mp.mpf:
    """‖v‖ at the current mpmath precision from exact coordinates."""
    return vector_norm([to_mpf(a) for a in v])


def _ball_norm_of(g: Sequence[object], h: Sequence[object]) -> arb:
    """An enclosure of ‖g − h‖ from the exact difference."""
    return ball_vector_norm([to_arb(w) for w in _difference(g, h)])


def divergence_expression(expr: sp.Expr, variables: Sequence[sp.Symbol], g: Sequence[sp.Expr],
                          h: Sequence[sp.Expr], gradient: Sequence[sp.Expr] | None = None) -> sp.Expr:
    """The Bregman divergence ``d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩`` of F = ``expr`` (in ``variables``)
    as a SymPy expression, for points g, h given as numbers or expressions (e.g. in a curve parameter t);
    ``gradient`` is ∇F when already at hand."""
    if gradient is None:
        gradient = [sp.diff(expr, v) for v in variables]
    at_g, at_h = dict(zip(variables, g)), dict(zip(variables, h))
    inner = sp.Add(*(d.subs(at_h) * (a - b) for d, a, b in zip(gradient, g, h)))
    return expr.subs(at_g) - expr.subs(at_h) - inner


def bregman_divergence(F: Objective, g: Sequence[object], h: Sequence[object]) -> sp.Expr:
    """``d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩`` exactly (SymPy) at exact points: a rational
    number for a polynomial or rational F at rational points, a closed-form constant otherwise."""
    F = _objective(F)
    _check_points(F.n, g, h)
    return divergence_expression(F.expr, F.variables, [_exact(a) for a in g], [_exact(a) for a in h], F.gradient)


def _mp_divergence(F: Objective, g: Sequence[object], h: Sequence[object], dps: int) -> tuple[mp.mpf, mp.mpf]:
    """(d_F(g, h), an absolute error scale) in mpmath at ``dps`` digits: computed with guard digits
    that are raised until the cancellation in F(g) − F(h) − ⟨∇F(h), v⟩ (g ≈ h) leaves ``dps``
    correct digits. The error scale is S·10^(−guard), S = max(|F(g)|, |F(h)|, |⟨∇F(h), v⟩|): the
    rounding that survives the subtraction is about S·10^(−dps−guard), i.e. the error scale times the
    relative rounding 10^(−dps) (what the catalogue's allowance is proportional to)."""
    guard = 10
    v = _difference(g, h)
    while True:
        work = dps + guard
        with mp.workdps(work):
            fg, fh = F.value(g, work), F.value(h, work)
            inner = mp.fsum(d * to_mpf(w) for d, w in zip(F.grad(h, work), v))
            value = fg - fh - inner
            scale = max(abs(fg), abs(fh), abs(inner))
            lost = int(mp.ceil(mp.log10(scale / abs(value)))) if value != 0 else None
        if scale == 0 or guard >= _MAX_GUARD or (lost + 5 <= guard if lost is not None else guard >= 2 * dps):
            with mp.workdps(dps):
                return +value, scale * mp.mpf(10) ** (-guard)
        guard = min(lost + 15 if lost is not None else 2 * dps, _MAX_GUARD)


def ball_divergence(F: Objective, g: Sequence[object], h: Sequence[object], pieces: int = TAYLOR_PIECES) -> arb:
    """An enclosure of ``d_F(g, h)`` at the current flint precision, from exact points: the
    intersection of the direct ball evaluation of F(g) − F(h) − ⟨∇F(h), g − h⟩ (badly cancelled
    for g ≈ h) and the Taylor enclosure with integral remainder
    ``d_F(g, h) = ∫₀¹ (1 − s) vᵀ∇²F(h + s v) v ds`` (v = g − h) bounded on ``pieces`` s-cells:
    ``Σ_k w_k · vᵀ∇²F(cell_k) v`` with exact weights ``w_k = ∫_cell (1 − s) ds ≥ 0``, tight for short
    pairs. F is C² (an :class:`~dlnsmooth.objective.Objective`); g = h gives an exact 0."""
    F = _objective(F)
    _check_points(F.n, g, h)
    if _same_point(g, h):
        return arb(0)
    gradient, _ = F.ball_derivatives(list(h))
    v = [to_arb(w) for w in _difference(g, h)]
    direct = F.ball_value(list(g)) - F.ball_value(list(h)) - sum((d * w for d, w in zip(gradient, v)), arb(0))
    taylor = _taylor_divergence(F, g, h, v, pieces)
    if taylor is None or not taylor.is_finite():
        return direct
    if not direct.is_finite():
        return taylor
    return direct.intersection(taylor) if direct.overlaps(taylor) else direct.union(taylor)


def _taylor_divergence(F: Objective, g, h, v: list[arb], pieces: int) -> arb | None:
    """Σ_k w_k vᵀ∇²F(cell_k) v over the s-cells of the segment from h to g (None without a ball Hessian)."""
    total = arb(0)
    try:
        for k, cell in enumerate(Segment(h, g).ball_cells(pieces)):
            _, hessian = F.ball_derivatives(cell)
            form = sum((v[i] * v[j] * hessian[i][j] for i in range(F.n) for j in range(F.n)), arb(0))
            total += arb(fmpq(2 * pieces - 2 * k - 1, 2 * pieces * pieces)) * form
    except (UnsupportedForBalls, DomainError):
        return None
    return total


class BregmanCondition(Condition):
    """The Bregman divergence ``d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩`` of a convex C¹ F (an
    :class:`~dlnsmooth.objective.Objective`; ∇F from it) compared with ``c ‖g − h‖^e`` (Euclidean
    norm), for all g, h — or, in the minimiser form (``relative_to=u*`` with ∇F(u*) = 0), for all g
    with h = u*, where d_F(g, u*) = F(g) − F(u*).

    The comparison is written once, in :meth:`sides_of` (mpmath and balls alike). Pairs with g = h
    satisfy it trivially (0 ≤ 0) and are judged without 0/0. Definitions: a reconstruction of
    seed 002 (abstract only), SPEC §4.3.
    """

    #: the name of the exponent (p for convexity, q for smoothness)
    exponent_name = "e"

    def __init__(self, exponent: object, c: object = 0, relative_to: Sequence[object] | None = None):
        setattr(self, self.exponent_name, _positive_exponent(exponent, self.exponent_name))
        self.c = nonnegative_constant(c, "c")
        if relative_to is not None and (isinstance(relative_to, (str, bytes)) or not hasattr(relative_to, "__len__")):
            raise ShapeError(f"the minimiser u* must be a sequence of numbers, got {relative_to!r}")
        self.relative_to = None if relative_to is None else tuple(
            parse_constant(a, what="minimiser u*") for a in relative_to)
        self._stationary: set[tuple] = set()

    @property
    def exponent(self) -> sp.Rational:
        """The exponent of the norm power (p or q)."""
        return getattr(self, self.exponent_name)

    @abstractmethod
    def sides_of(self, divergence: mp.mpf | arb, norm_power: mp.mpf | arb) -> tuple[mp.mpf | arb, mp.mpf | arb]:
        """(lhs, rhs) of ``lhs ≤ rhs`` from d_F(g, h) and ‖g − h‖^e (mpmath or balls)."""

    @abstractmethod
    def required_of(self, ratio: mp.mpf) -> mp.mpf:
        """The constant a pair requires, from ``ratio = d_F(g, h)/‖g − h‖^e``."""

    # -- the pair ----------------------------------------------------------------------------
    def _pair(self, F, x1, x2) -> tuple[Objective, tuple, tuple]:
        """(F, g, h): h is u* in the minimiser form (a second point, if given, must be u*)."""
        F = _objective(F)
        if self.relative_to is None:
            if x2 is None:
                raise ShapeError(f"{self.name} compares two points g, h; got one (give relative_to=u* for the "
                                 "minimiser form)")
            _check_points(F.n, x1, x2)
            return F, tuple(x1), tuple(x2)
        _check_points(F.n, x1, self.relative_to)
        if x2 is not None:
            _check_points(F.n, x2)
            if not _same_point(x2, self.relative_to):
                raise ShapeError(f"the minimiser form compares g with u* = {list(self.relative_to)} only, got h = "
                                 f"{list(x2)}")
        self._require_stationary(F)
        return F, tuple(x1), self.relative_to

    def _require_stationary(self, F: Objective) -> None:
        """∇F(u*) = 0, decided exactly (each component's sign; NotStationaryError otherwise)."""
        key = (F.expr, F.variables)
        if key in self._stationary:
            return
        at = dict(zip(F.variables, self.relative_to))
        for variable, component in zip(F.variables, F.gradient):
            value = component.xreplace(at)
            try:
                sign = exact_sign(value)
            except DlnsmoothError:
                raise NotStationaryError(f"could not prove ∂F/∂{variable.name}(u*) = 0 at u* = "
                                         f"{list(self.relative_to)} (value {sp.sstr(value)})") from None
            if sign != 0:
                raise NotStationaryError(f"u* = {[sp.sstr(a) for a in self.relative_to]} is not a stationary point "
                                         f"of F: ∂F/∂{variable.name}(u*) = {sp.sstr(value)} ≠ 0")
        self._stationary.add(key)

    # -- mpmath -------------------------------------------------------------------------------
    def check(self, F, x1, x2=None, dps: int = DEFAULT_DPS) -> Check:
        """The inequality at the pair (g, h) = (x1, x2) — (x1, u*) in the minimiser form — in mpmath,
        with d_F computed to ``dps`` correct digits despite cancellation and the rounding allowance."""
        check_dps(dps)
        F, g, h = self._pair(F, x1, x2)
        if _same_point(g, h):
            return Check(self.name, mp.mpf(0), mp.mpf(0), "holds", dps, detail="g = h: 0 ≤ 0")
        divergence, error = _mp_divergence(F, g, h, dps)
        with mp.workdps(dps):
            norm_power = power(_mp_norm(_difference(g, h)), self.exponent)
            lhs, rhs = self.sides_of(divergence, norm_power)
            return _judge(self.name, lhs, rhs, dps, scale=error)

    def ratio(self, F, x1, x2=None, dps: int = DEFAULT_DPS) -> mp.mpf | None:
        """``d_F(g, h) / ‖g − h‖^e`` in mpmath at ``dps`` digits (None for g = h)."""
        check_dps(dps)
        F, g, h = self._pair(F, x1, x2)
        if _same_point(g, h):
            return None
        divergence, _ = _mp_divergence(F, g, h, dps)
        with mp.workdps(dps):
            return divergence / power(_mp_norm(_difference(g, h)), self.exponent)

    def required(self, F, x1, x2=None, dps: int = DEFAULT_DPS) -> mp.mpf:
        """The constant c the pair requires (see the class); g = h requires nothing."""
        ratio = self.ratio(F, x1, x2, dps)
        return self.required_of(ratio) if ratio is not None else self.required_of_equal_points()

    @abstractmethod
    def required_of_equal_points(self) -> mp.mpf:
        """The constant required by a pair with g = h (every c satisfies 0 ≤ 0)."""

    # -- balls -------------------------------------------------------------------------------
    def ball_ratio(self, F, x1, x2=None, pieces: int = TAYLOR_PIECES) -> arb:
        """An enclosure of ``d_F(g, h) / ‖g − h‖^e`` (current flint precision; g ≠ h)."""
        F, g, h = self._pair(F, x1, x2)
        if _same_point(g, h):
            raise ShapeError("the ratio d_F(g, h)/‖g − h‖^e needs two different points")
        return ball_divergence(F, g, h, pieces) / power(_ball_norm_of(g, h), self.exponent)

    def ball_sides(self, F, x1, x2=None, pieces: int = TAYLOR_PIECES) -> BallSides:
        """Rigorous enclosures of both sides at the pair, in balls at the current flint precision
        (wrap the call in :func:`~dlnsmooth.precision.working_precision`); d_F from
        :func:`ball_divergence`. g = h gives exact zeros on both sides (proved: 0 ≤ 0)."""
        F, g, h = self._pair(F, x1, x2)
        if _same_point(g, h):
            return _sides(arb(0), arb(0))
        lhs, rhs = self.sides_of(ball_divergence(F, g, h, pieces), power(_ball_norm_of(g, h), self.exponent))
        return _sides(lhs, rhs)


class HphiConvex(BregmanCondition):
    """H(φ, c_φ)-convexity with φ = ‖·‖^p (seed 002): for all g, h,
    ``c ‖g − h‖^p ≤ d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩`` — with ``relative_to=u*`` (∇F(u*) = 0)
    the minimiser form ``c ‖g − u*‖^p ≤ F(g) − F(u*)`` for all g.

    Required constant of a pair: ``d_F(g, h)/‖g − h‖^p``, the *largest* c that holds there (+∞ for
    g = h; negative when d_F < 0, i.e. F is not convex there and no c ≥ 0 works). p = 2 is μ-strong
    convexity with μ = 2c (:meth:`strongly_convex`). Definitions: a reconstruction of seed 002
    (abstract only), SPEC §4.3.
    """

    inequality = "c ‖g − h‖^p ≤ d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩"
    exponent_name = "p"

    def __init__(self, p: object, c: object = 0, relative_to: Sequence[object] | None = None):
        super().__init__(p, c, relative_to)

    def sides_of(self, divergence, norm_power):
        return _like(self.c, norm_power) * norm_power, divergence

    def required_of(self, ratio):
        return ratio

    def required_of_equal_points(self):
        return mp.inf

    @classmethod
    def strongly_convex(cls, mu: object, relative_to: Sequence[object] | None = None) -> HphiConvex:
        """μ-strong convexity, ``F(g) ≥ F(h) + ⟨∇F(h), g − h⟩ + (μ/2)‖g − h‖²``, which is the same
        inequality as H(φ, c)-convexity with p = 2 and c = μ/2."""
        return cls(2, nonnegative_constant(mu, "μ") / 2, relative_to)

    @property
    def modulus(self) -> sp.Expr:
        """μ = 2c, the strong-convexity modulus this condition states (p = 2 only)."""
        if self.p != 2:
            raise ValueError(f"H(φ, c)-convexity is μ-strong convexity only for p = 2, not p = {self.p}")
        return 2 * self.c


class HPhiSmooth(BregmanCondition):
    """H(Φ, c_Φ)-smoothness with Φ = ‖·‖^q (seed 002): for all g, h,
    ``d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩ ≤ c ‖g − h‖^q`` — with ``relative_to=u*`` (∇F(u*) = 0)
    the minimiser form ``F(g) − F(u*) ≤ c ‖g − u*‖^q`` for all g.

    Required constant of a pair: ``max(0, d_F(g, h)/‖g − h‖^q)``, the smallest c ≥ 0 that holds there
    (0 for g = h). For q = 2 and convex F it is L-smoothness, ∇F globally Lipschitz with L = 2c
    (:meth:`from_gradient_lipschitz`, :meth:`gradient_lipschitz`). Definitions: a reconstruction of
    seed 002 (abstract only), SPEC §4.3.
    """

    inequality = "d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩ ≤ c ‖g − h‖^q"
    exponent_name = "q"

    def __init__(self, q: object, c: object = 0, relative_to: Sequence[object] | None = None):
        super().__init__(q, c, relative_to)

    def sides_of(self, divergence, norm_power):
        return divergence, _like(self.c, norm_power) * norm_power

    def required_of(self, ratio):
        return ratio if ratio > 0 else mp.mpf(0)

    def required_of_equal_points(self):
        return mp.mpf(0)

    @classmethod
    def from_gradient_lipschitz(cls, L: object) -> HPhiSmooth:
        """The descent lemma: ∇F globally Lipschitz with constant L (``GloballyLipschitz(L)`` on ∇F)
        gives ``d_F(g, h) ≤ (L/2)‖g − h‖²`` for every C¹ F (no convexity needed): H(Φ, L/2), q = 2."""
        return cls(2, nonnegative_constant(L, "L") / 2)

    def gradient_lipschitz(self) -> GloballyLipschitz:
        """For a *convex* F and q = 2 (two-point form): H(Φ, c)-smoothness gives ∇F globally Lipschitz
        with constant 2c (co-coercivity; Nesterov, Lectures on Convex Optimization, Thm 2.1.5).
        Without convexity this fails: F = −u² has d_F = −v² ≤ 0·v², yet ∇F = −2u is not 0-Lipschitz."""
        if self.q != 2:
            raise ValueError(f"H(Φ, c)-smoothness is L-smoothness only for q = 2, not q = {self.q}")
        if self.relative_to is not None:
            raise ValueError("the minimiser form does not bound ∇F between two arbitrary points")
        return GloballyLipschitz(2 * self.c)


#: Every condition of the catalogue, by a short name.
CATALOGUE: dict[str, type[Condition]] = {
    "global-lipschitz": GloballyLipschitz,
    "level-set-lipschitz": LevelSetLipschitz,
    "local-lipschitz": LocallyLipschitz,
    "l0l1-smooth": L0L1Smooth,
    "rho-order": RhoOrder,
    "rho-integrated": RhoIntegrated,
    "hessian-growth": HessianGrowth,
    "ell-smooth": EllSmooth,
    "bregman-convex": HphiConvex,
    "bregman-smooth": HPhiSmooth,
}
