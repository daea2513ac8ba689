"""The condition catalogue of SPEC §1, one class per condition.

Each class states its inequality in its docstring and in one short method
(:meth:`PairCondition._sides` or :meth:`PointwiseCondition._sides`); the base
classes apply it to a pair ``(x1, x2)`` (or to a point) and compute the pair's
*required* constant — the smallest value of the condition's free constant
for which the inequality holds at that pair (SPEC §1's ``req_order``,
``req_int``).

Pair conditions take a continuous map ``D`` (a :class:`~dlnsmooth.objective.VectorField`,
or an :class:`~dlnsmooth.objective.Objective`, meaning ``D = ∇f``).
Pointwise (Hessian) conditions take an Objective; on a pair they check the
inequality at every point of the segment (the premise of Proposition 6).

Numerics: everything is computed at ``dps`` digits (maxima over the segment by
:meth:`~dlnsmooth.segment.Segment.maximum`, integrals by tanh-sinh quadrature).
A check *holds* when ``lhs ≤ rhs`` up to a relative rounding allowance of
``10^(5 − dps)``: inequalities that hold with equality are not reported as
violated because of rounding. The allowance is reported with every check.

Example::

    >>> f = Objective.from_string("x**4", "x")
    >>> RhoOrder(rho="2/3", C0=0, C1=12).check(f, [1], [2])
    Check(RhoOrder: lhs=28.0 ≤ rhs=... holds)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import mpmath as mp
import sympy as sp

from .errors import ParseError, ShapeError
from .norms import Norm, vector_norm
from .objective import Objective, VectorField
from .parsing import parse_number, parse_rho
from .precision import DEFAULT_DPS, check_dps, to_mpf
from .segment import Segment

__all__ = [
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
    "CATALOGUE",
    "power",
]

Status = Literal["holds", "violated", "not applicable"]


def power(a: mp.mpf, rho: sp.Rational) -> mp.mpf:
    """``a^ρ`` with the convention ``a^0 = 1`` for every ``a ≥ 0`` (SPEC §0)."""
    if rho == 0:
        return mp.mpf(1)
    return a ** to_mpf(rho)


def _constant(value: object, name: str) -> sp.Rational:
    try:
        c = parse_number(value, what=name)
    except ParseError as exc:
        raise ParseError(f"constant {name}: {exc}") from None
    if c < 0:
        raise ValueError(f"constant {name} = {c} is negative; expected {name} >= 0")
    return c


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


@dataclass(frozen=True)
class Check:
    """The outcome of one inequality ``lhs ≤ rhs`` at a pair or a point."""

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


class Condition(ABC):
    """A smoothness condition with its constants fixed."""

    #: the inequality, as printed in reports
    inequality: str = ""

    @abstractmethod
    def check(self, D, x1: Sequence[object], x2: Sequence[object], dps: int = DEFAULT_DPS) -> Check:
        """Does the inequality hold at the pair (x1, x2)?"""

    @abstractmethod
    def required(self, D, x1: Sequence[object], x2: Sequence[object], dps: int = DEFAULT_DPS) -> mp.mpf | None:
        """The smallest free constant for which the pair satisfies the inequality."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in vars(self).items())
        return f"{self.name}({params})"


class PairCondition(Condition):
    """``‖D(x1) − D(x2)‖ ≤ K(x1, x2) · ‖x1 − x2‖`` with a condition-specific factor K."""

    def applies(self, D, x1, x2, dps: int) -> str | None:
        """A reason the condition says nothing about this pair, or None."""
        return None

    @abstractmethod
    def factor(self, D: VectorField, segment: Segment, dps: int) -> mp.mpf:
        """K(x1, x2), the factor multiplying ‖x1 − x2‖."""

    @abstractmethod
    def required_from_quotient(self, quotient: mp.mpf, D: VectorField, segment: Segment, dps: int) -> mp.mpf:
        """The smallest free constant given ``quotient = ‖ΔD‖ / ‖Δx‖``."""

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


class GloballyLipschitz(PairCondition):
    """Def 1: ``‖D(x1) − D(x2)‖ ≤ C ‖x1 − x2‖`` for all x1, x2.

    Required constant of a pair: ``C = ‖ΔD‖ / ‖Δx‖``.
    """

    inequality = "‖D(x1) − D(x2)‖ ≤ C ‖x1 − x2‖"

    def __init__(self, C: object = 0):
        self.C = _constant(C, "C")

    def factor(self, D, segment, dps):
        return to_mpf(self.C)

    def required_from_quotient(self, quotient, D, segment, dps):
        return quotient


class LevelSetLipschitz(PairCondition):
    """Def 2 (D = ∇f): on the sublevel set ``{x : f(x) ≤ c}``,
    ``‖∇f(x1) − ∇f(x2)‖ ≤ L ‖x1 − x2‖``.

    Pairs with a point outside the sublevel set are *not applicable*.
    Required constant of an applicable pair: ``L = ‖ΔD‖ / ‖Δx‖``.
    """

    inequality = "f(x1), f(x2) ≤ c ⇒ ‖∇f(x1) − ∇f(x2)‖ ≤ L ‖x1 − x2‖"

    def __init__(self, level: object, L: object = 0):
        self.level = parse_number(level, what="level c")
        self.L = _constant(L, "L")

    def applies(self, D, x1, x2, dps):
        f = _objective(D)
        with mp.workdps(dps):
            c = to_mpf(self.level)
            for x in (x1, x2):
                value = f.value(x, dps)
                if value > c + _allowance(dps, value, c):  # a point on the boundary, up to rounding, is inside
                    return f"f({list(x)}) > c = {self.level}: the pair is outside the sublevel set"
        return None

    def factor(self, D, segment, dps):
        return to_mpf(self.L)

    def required_from_quotient(self, quotient, D, segment, dps):
        return quotient


class LocallyLipschitz(PairCondition):
    """Def 3 (in Rⁿ): on the closed ball ``‖x − center‖ ≤ r``,
    ``‖D(x1) − D(x2)‖ ≤ L(r) ‖x1 − x2‖``.

    Pairs with a point outside the ball are *not applicable*.
    Required constant of an applicable pair: ``L(r) = ‖ΔD‖ / ‖Δx‖``.
    """

    inequality = "‖x1‖, ‖x2‖ ≤ r ⇒ ‖D(x1) − D(x2)‖ ≤ L(r) ‖x1 − x2‖"

    def __init__(self, radius: object, L: object = 0, center: Sequence[object] | None = None):
        self.radius = _constant(radius, "r")
        self.L = _constant(L, "L")
        self.center = None if center is None else tuple(parse_number(c, what="center") for c in center)

    def applies(self, D, x1, x2, dps):
        n = _field(D).n
        center = self.center if self.center is not None else (0,) * n
        if len(center) != n:
            raise ShapeError(f"ball centre has {len(center)} coordinates; expected {n}")
        with mp.workdps(dps):
            radius = to_mpf(self.radius)
            for x in (x1, x2):
                distance = vector_norm([to_mpf(a) - to_mpf(c) for a, c in zip(x, center)])
                scale = max(vector_norm([to_mpf(a) for a in x]), vector_norm([to_mpf(c) for c in center]), radius)
                if distance > radius + _allowance(dps, scale):  # the sphere itself, up to rounding, is inside
                    return f"{list(x)} lies outside the ball of radius {self.radius}"
        return None

    def factor(self, D, segment, dps):
        return to_mpf(self.L)

    def required_from_quotient(self, quotient, D, segment, dps):
        return quotient


class _RhoPair(PairCondition):
    def __init__(self, rho: object, C0: object = 0, C1: object = 0):
        self.rho = parse_rho(rho)
        self.C0 = _constant(C0, "C0")
        self.C1 = _constant(C1, "C1")

    @abstractmethod
    def aggregate(self, D: VectorField, segment: Segment, dps: int) -> mp.mpf:
        """The ‖D‖^ρ term over the segment (max or integral)."""

    def factor(self, D, segment, dps):
        return to_mpf(self.C0) + to_mpf(self.C1) * self.aggregate(D, segment, dps)

    def required_from_quotient(self, quotient, D, segment, dps):
        excess = quotient - to_mpf(self.C0)
        if excess <= 0:
            return mp.mpf(0)
        denominator = self.aggregate(D, segment, dps)
        return excess / denominator if denominator > 0 else mp.inf


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


class PointwiseCondition(Condition):
    """``‖∇²f(x)‖ ≤ B(‖∇f(x)‖)`` at every x (spectral norm by default, as in the definitions)."""

    norm: Norm = Norm.SPECTRAL

    @abstractmethod
    def bound(self, grad_norm: mp.mpf) -> mp.mpf:
        """The right-hand side as a function of ‖∇f(x)‖."""

    @abstractmethod
    def required_at(self, hess_norm: mp.mpf, grad_norm: mp.mpf) -> mp.mpf:
        """The smallest free constant making the inequality hold at one point."""

    def _norms(self, f: Objective, x, dps) -> tuple[mp.mpf, mp.mpf]:
        with mp.workdps(dps):
            return f.hess_norm(x, dps, self.norm), f.grad_norm(x, dps)

    def check_point(self, f: Objective, x: Sequence[object], dps: int = DEFAULT_DPS) -> Check:
        """The inequality at the single point x."""
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


class HessianGrowth(PointwiseCondition):
    """Hessian growth (Props 5–6): ``‖∇²f(x)‖ ≤ C0 + C1 ‖∇f(x)‖^ρ`` for all x.

    By Props 5 and 6 it is equivalent to ∇f being ρ-order (and ρ-integrated)
    Lipschitz with the same constants. Required C1 at a point (given C0):
    ``(‖∇²f(x)‖ − C0) / ‖∇f(x)‖^ρ``.
    """

    inequality = "‖∇²f(x)‖ ≤ C0 + C1 ‖∇f(x)‖^ρ"

    def __init__(self, rho: object, C0: object = 0, C1: object = 0, norm: Norm | str = Norm.SPECTRAL):
        self.rho = parse_rho(rho)
        self.C0 = _constant(C0, "C0")
        self.C1 = _constant(C1, "C1")
        self.norm = Norm.parse(norm)
        if self.norm is Norm.EUCLIDEAN:
            raise ValueError("a Hessian norm must be 'frobenius' or 'spectral'")

    def bound(self, grad_norm):
        return to_mpf(self.C0) + to_mpf(self.C1) * power(grad_norm, self.rho)

    def required_at(self, hess_norm, grad_norm):
        excess = hess_norm - to_mpf(self.C0)
        if excess <= 0:
            return mp.mpf(0)
        denominator = power(grad_norm, self.rho)
        return excess / denominator if denominator > 0 else mp.inf


class L0L1Smooth(HessianGrowth):
    """(L0, L1)-smoothness (Zhang, He, Sra, Jadbabaie 2020):
    ``‖∇²f(x)‖ ≤ L0 + L1 ‖∇f(x)‖`` for all x — Hessian growth with ρ = 1.

    Required L1 at a point (given L0): ``(‖∇²f(x)‖ − L0) / ‖∇f(x)‖``.
    """

    inequality = "‖∇²f(x)‖ ≤ L0 + L1 ‖∇f(x)‖"

    def __init__(self, L0: object = 0, L1: object = 0, norm: Norm | str = Norm.SPECTRAL):
        super().__init__(1, L0, L1, norm)

    @property
    def L0(self) -> sp.Rational:
        return self.C0

    @property
    def L1(self) -> sp.Rational:
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
        from .parsing import declare_variables, parse_expression

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
        self._symbol = a
        self._ell: Callable = sp.lambdify(a, expr, modules="mpmath")
        self.norm = Norm.parse(norm)

    def bound(self, grad_norm):
        value = self._ell(grad_norm)
        return mp.mpf(value) if not isinstance(value, mp.mpf) else value

    def required_at(self, hess_norm, grad_norm):
        bound = self.bound(grad_norm)
        if hess_norm == 0:
            return mp.mpf(0)
        return hess_norm / bound if bound > 0 else mp.inf

    def __repr__(self) -> str:
        return f"EllSmooth(ell={self.ell}, norm={self.norm.value})"


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
}
