"""A convex C¹ loss F : R → R and its Bregman divergence d_F(g, h) = F(g) − F(h) − F′(h)(g − h).

Definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3. A loss is a SymPy expression in
one real variable; ``Abs`` and ``Piecewise`` are allowed (|u|^a, Huber), and the loss is split once into
*pieces*: closed intervals [lo, hi] with rational (or infinite) ends on each of which F is one analytic
expression. Every evaluation goes through the pieces:

* exact values at rationals (:meth:`BregmanLoss.divergence`);
* ball enclosures (:meth:`BregmanLoss.ball_divergence`, :meth:`BregmanLoss.ball_ratio`): a ball that
  meets several pieces is evaluated on each part and the results are joined. Each piece is compiled
  by :class:`~dlnsmooth.objective.VectorField` in a local variable w ≥ 0 (u = lo + w, or u = hi − w on
  a piece unbounded below), so fractional powers such as (−u)^(3/2) have non-negative bases;
* symbolic ratios along pairs that stay inside given pieces (:meth:`BregmanLoss.piece_divergence`).

The loss must be C¹: F and F′ agree at every break point (checked exactly; |u| is refused), and
convex: :meth:`BregmanLoss.check_convex` proves F″ ≥ 0 or raises :class:`NotConvexError` naming a
point where F″ < 0 is proved in balls.

Example::

    >>> loss = BregmanLoss.from_string("log(1 + exp(u))")
    >>> loss.divergence(1, 0)
    -1/2 + log(1 + E) - log(2)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property

import sympy as sp
from flint import arb, fmpq

from ..budget import run_with_budget
from ..conditions import divergence_expression
from ..errors import DlnsmoothError, NonDifferentiableError, ParseError, UnknownVariableError, UnsupportedForBalls
from ..numbers import to_arb
from ..objective import VectorField
from ..parsing import declare_variables, parse_expression
from ..precision import working_precision

__all__ = ["BregmanLoss", "NotConvexError", "Piece", "RECONSTRUCTION_NOTE", "piece_derivative", "split_into_pieces"]

#: The line every report, JSON document and claim about these definitions carries.
RECONSTRUCTION_NOTE = "definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3"

#: Points where the convexity check looks for F″ < 0 (a witness) in balls.
_WITNESS_GRID = sorted({sp.Rational(k, 4) for k in range(-40, 41)} | {sp.Integer(k) for k in (-100, -30, 30, 100)})
_W = sp.Symbol("w", nonnegative=True)


class NotConvexError(DlnsmoothError, ValueError):
    """The loss is not convex: F″ < 0 at the named witness, proved in balls."""


@dataclass(frozen=True)
class Piece:
    """F on the closed interval [lo, hi] (ends rational or ±∞) is the analytic expression ``expr``."""

    expr: sp.Expr
    lo: sp.Expr
    hi: sp.Expr

    def contains(self, x: sp.Expr) -> bool:
        return bool(self.lo <= x) and bool(x <= self.hi)

    def interval(self) -> sp.Interval:
        return sp.Interval(self.lo, self.hi)

    def text(self) -> str:
        return f"[{sp.sstr(self.lo)}, {sp.sstr(self.hi)}]"


def _local_frame(piece: Piece) -> tuple[sp.Expr, int, bool]:
    """(anchor, sign, whole line): u = anchor + sign·w with w ≥ 0 on the piece."""
    if piece.lo.is_finite:
        return piece.lo, 1, False
    if piece.hi.is_finite:
        return piece.hi, -1, False
    return sp.Integer(0), 1, True


def piece_derivative(piece: Piece, var: sp.Symbol, order: int) -> sp.Expr:
    """The ``order``-th derivative of the piece's formula, computed in the local variable w ≥ 0 (so that
    (−u)^(3/2) differentiates to −(3/2)(−u)^(1/2), finite at the break point, not 3(−u)^(3/2)/(2u))."""
    if order == 0:
        return piece.expr
    anchor, sign, whole = _local_frame(piece)
    if whole:
        return sp.diff(piece.expr, var, order)
    w = _W
    local = sp.expand_power_base(piece.expr.subs(var, anchor + sign * w), force=True)
    derivative = sp.diff(local, w, order) * sign**order
    return derivative.subs(w, sign * (var - anchor))


class _CompiledPiece:
    """One piece compiled for balls: [F, F′, F″] in the local variable w ≥ 0 with u = anchor + sign·w."""

    def __init__(self, piece: Piece, var: sp.Symbol):
        self.piece = piece
        self.anchor, self.sign, self.whole_line = _local_frame(piece)
        local = sp.Symbol("w", real=True) if self.whole_line else _W
        components = [sp.expand_power_base(piece_derivative(piece, var, k).subs(var, self.anchor + self.sign * local),
                                           force=True) for k in range(3)]
        self.field = VectorField(components, (local,), name="F, F′, F″", smooth=False)

    def local_box(self, low: arb, high: arb) -> arb | None:
        """The w-ball of the part of the u-interval [low, high] inside this piece (None when empty)."""
        lo = low if not self.piece.lo.is_finite else _max(low, to_arb(self.piece.lo))
        hi = high if not self.piece.hi.is_finite else _min(high, to_arb(self.piece.hi))
        if lo > hi:
            return None
        a, b = (lo - to_arb(self.anchor)), (hi - to_arb(self.anchor))
        if self.sign < 0:
            a, b = -b, -a
        box = a.union(b)
        return box if self.whole_line else box.nonnegative_part()

    def values(self, low: arb, high: arb) -> list[arb] | None:
        box = self.local_box(low, high)
        if box is None:
            return None
        return self.field.ball([box])


def _max(a: arb, b: arb) -> arb:
    return a if a.lower() >= b.upper() else (b if b.lower() >= a.upper() else a.union(b).upper().union(b.lower()))


def _min(a: arb, b: arb) -> arb:
    return a if a.upper() <= b.lower() else (b if b.upper() <= a.lower() else a.union(b).lower().union(b.upper()))


def _ends(x: arb) -> tuple[arb, arb]:
    return x.lower(), x.upper()


def split_into_pieces(expr: sp.Expr, var: sp.Symbol) -> list[Piece]:
    """F as analytic pieces on closed intervals with rational or infinite ends, left to right."""
    folded = expr.rewrite(sp.Piecewise) if expr.has(sp.Abs, sp.Piecewise) else expr
    folded = sp.piecewise_fold(folded)
    if not isinstance(folded, sp.Piecewise):
        return [Piece(folded, -sp.oo, sp.oo)]
    pieces: list[Piece] = []
    covered: sp.Set = sp.EmptySet
    for branch, condition in folded.args:
        region = sp.Intersection(condition.as_set() if condition is not sp.true else sp.Reals, sp.Reals) - covered
        covered = sp.Union(covered, region)
        parts = region.args if isinstance(region, sp.Union) else (region,)
        for part in parts:
            if isinstance(part, sp.Interval) and part.measure > 0:
                for end in (part.start, part.end):
                    if end.is_finite and not end.is_Rational:
                        raise ParseError(f"the loss changes formula at {end}, which is not rational: unsupported")
                pieces.append(Piece(branch, part.start, part.end))
            elif not isinstance(part, (sp.FiniteSet, sp.EmptySet.__class__)):
                raise ParseError(f"cannot split the loss into pieces on intervals (got {part})")
    pieces.sort(key=lambda piece: float(piece.lo) if piece.lo.is_finite else -float("inf"))
    return pieces


class BregmanLoss:
    """A convex C¹ loss F : R → R given by a SymPy expression in one real variable (Abs and Piecewise
    allowed), and its Bregman divergence d_F(g, h) = F(g) − F(h) − F′(h)(g − h) ≥ 0.

    Checked on construction: the expression uses only ``var``, and F, F′ are continuous at every
    break point (:class:`~dlnsmooth.errors.NonDifferentiableError` otherwise, e.g. for |u|).
    Convexity is checked by :meth:`check_convex` (the decision procedures call it).
    """

    def __init__(self, expr: sp.Expr, var: sp.Symbol, *, name: str | None = None):
        if not isinstance(var, sp.Symbol):
            raise TypeError(f"the variable must be a SymPy symbol, got {type(var).__name__}")
        expr = sp.sympify(expr)
        unknown = expr.free_symbols - {var}
        if unknown:
            names = ", ".join(sorted(s.name for s in unknown))
            raise UnknownVariableError(f"the loss uses undeclared symbol(s) {names}; declared: {var.name}")
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
            raise ParseError(f"the loss {expr} contains an infinite, undefined or imaginary constant")
        self.expr = expr
        self.var = var
        self.name = name or sp.sstr(expr)
        self.pieces = split_into_pieces(expr, var)
        self._check_c1()

    @classmethod
    def from_string(cls, text: str, var: str = "u", *, name: str | None = None) -> BregmanLoss:
        """The loss read by the package's safe parser (smooth functions only; |u|^a and Huber come from
        SymPy expressions). Unknown names are a one-line :class:`~dlnsmooth.errors.UnknownVariableError`."""
        (symbol,) = declare_variables(var)
        return cls(parse_expression(text, (symbol,), what="loss"), symbol, name=name or text.strip())

    # -- symbolic ------------------------------------------------------------------------------
    def _joined(self, expressions: list[sp.Expr]) -> sp.Expr:
        if len(self.pieces) == 1:
            return expressions[0]
        u = self.var
        return sp.Piecewise(*[(e, (u >= piece.lo) & (u <= piece.hi)) for e, piece in zip(expressions, self.pieces)])

    @cached_property
    def derivative(self) -> sp.Expr:
        """F′ (a Piecewise over the pieces when F has break points)."""
        return self._joined([piece_derivative(piece, self.var, 1) for piece in self.pieces])

    @cached_property
    def second(self) -> sp.Expr:
        """F″ (a Piecewise over the pieces; at a break point the left piece's value)."""
        return self._joined([piece_derivative(piece, self.var, 2) for piece in self.pieces])

    def piece_at(self, x: object, side: int = 0) -> Piece:
        """The piece containing the exact number x (side ±1: the piece just right/left of x)."""
        x = sp.nsimplify(x) if not isinstance(x, sp.Basic) else x
        for piece in self.pieces:
            if side > 0 and piece.lo <= x < piece.hi:
                return piece
            if side < 0 and piece.lo < x <= piece.hi:
                return piece
            if side == 0 and piece.contains(x):
                return piece
        raise ParseError(f"no piece of the loss contains {x}")

    def piece_divergence(self, g: sp.Expr, h: sp.Expr, g_piece: Piece, h_piece: Piece) -> sp.Expr:
        """d_F(g, h) with F(g) from ``g_piece`` and F(h), F′(h) from ``h_piece`` (g, h any expressions)."""
        u = self.var
        return (g_piece.expr.subs(u, g) - h_piece.expr.subs(u, h)
                - piece_derivative(h_piece, u, 1).subs(u, h) * (g - h))

    def divergence(self, g: object, h: object) -> sp.Expr:
        """d_F(g, h) = F(g) − F(h) − F′(h)(g − h), exact at exact real numbers (symbolic otherwise)."""
        g, h = sp.sympify(g), sp.sympify(h)
        if g.is_number and h.is_number:
            return self.piece_divergence(g, h, self.piece_at(g), self.piece_at(h))
        return divergence_expression(self.expr, [self.var], [g], [h], [self.derivative])

    def value(self, x: object) -> sp.Expr:
        """F(x) exactly at an exact real x."""
        x = sp.sympify(x)
        return self.piece_at(x).expr.subs(self.var, x)

    # -- balls ---------------------------------------------------------------------------------
    @cached_property
    def _compiled(self) -> list[_CompiledPiece]:
        return [_CompiledPiece(piece, self.var) for piece in self.pieces]

    def ball_derivatives(self, x: object) -> tuple[arb, arb, arb]:
        """Enclosures of (F, F′, F″) over the ball or exact number ``x`` at the current flint precision
        (the union over the pieces ``x`` meets)."""
        low, high = _ends(to_arb(x) if not isinstance(x, arb) else x)
        joined: list[arb] | None = None
        for compiled in self._compiled:
            values = compiled.values(low, high)
            if values is None:
                continue
            joined = values if joined is None else [a.union(b) for a, b in zip(joined, values)]
        if joined is None:
            raise UnsupportedForBalls(f"no piece of the loss meets {x}")
        return joined[0], joined[1], joined[2]

    def ball_divergence(self, g: arb, h: arb) -> arb:
        """An enclosure of d_F(g, h) over the balls g, h (exact numbers allowed), at the current precision."""
        g = g if isinstance(g, arb) else to_arb(g)
        h = h if isinstance(h, arb) else to_arb(h)
        Fg, _, _ = self.ball_derivatives(g)
        Fh, dFh, _ = self.ball_derivatives(h)
        return (Fg - Fh - dFh * (g - h)).nonnegative_part()

    def ratio_range(self, h: arb, v: arb, p: sp.Rational) -> tuple[arb, arb]:
        """Exact (low, high) with low ≤ R_p(h, v) = d_F(h + v, h)/|v|^p ≤ high for every h, v in the balls
        (ends may be ±∞; v = 0 inside the ball is allowed as a limit): the intersection of the direct quotient
        and the mean-value form F″(ξ)/2 · |v|^(2 − p), ξ between h and h + v (valid for piecewise C² F)."""
        h = h if isinstance(h, arb) else to_arb(h)
        v = v if isinstance(v, arb) else to_arb(v)
        size = abs(v)
        low, high = arb(0), arb("inf")
        if not size.contains(0):
            direct = self.ball_divergence(h + v, h) / size ** arb(fmpq(int(p.p), int(p.q)))
            if direct.is_finite():
                low, high = _larger(low, direct.lower()), direct.upper()
        _, _, second = self.ball_derivatives(h.union(h + v))
        if second.is_finite():
            second = second.nonnegative_part()
            small, large = _power_ends(size.lower().nonnegative_part(), size.upper(), 2 - p)
            low = _larger(low, (second.lower() * small / 2).lower() if small.is_finite() else low)
            if large.is_finite():
                candidate = (second.upper() * large / 2).upper()
                high = candidate if not high.is_finite() or candidate < high else high
        return low, high

    def ball_ratio(self, h: arb, v: arb, p: sp.Rational) -> arb:
        """A ball containing R_p(h, v) for every h, v in the balls (an infinite ball when unbounded)."""
        low, high = self.ratio_range(h, v, p)
        return low.union(high) if high.is_finite() else arb("inf")

    # -- facts ---------------------------------------------------------------------------------
    def minimisers(self, *, time_budget: float = 10.0) -> list[sp.Expr] | None:
        """The exact minimisers u* (F′(u*) = 0) as a sorted list; [] when there is none; None when
        SymPy cannot decide it within the budget or F′ vanishes on a whole interval."""
        deadline = time.perf_counter() + time_budget
        found: list[sp.Expr] = []
        for piece in self.pieces:
            seconds = max(0.05, deadline - time.perf_counter())
            outcome = run_with_budget(_zeros, piece_derivative(piece, self.var, 1), self.var, piece.interval(),
                                      seconds=seconds)
            if not outcome.ok or outcome.value is None:
                return None
            found.extend(outcome.value)
        return sorted(set(found), key=lambda x: float(x))

    def check_convex(self, time_budget: float = 10.0) -> list[str]:
        """Prove F″ ≥ 0 on every piece and return the proof route (one line per piece), or raise
        :class:`NotConvexError` naming a point where F″ < 0 is proved in balls. A piece where neither
        is found gets a line saying that convexity there is checked at sample points only."""
        self._look_for_concavity()
        deadline = time.perf_counter() + time_budget
        route = []
        for piece in self.pieces:
            second = piece_derivative(piece, self.var, 2)
            seconds = max(0.05, deadline - time.perf_counter())
            outcome = run_with_budget(_manifestly_nonnegative, second, self.var, piece, seconds=seconds)
            where = "on R" if len(self.pieces) == 1 else f"on {piece.text()}"
            if outcome.ok and outcome.value is not None:
                route.append(f"F″ = {sp.sstr(outcome.value)} ≥ 0 {where} (SymPy's sign rules)")
            else:
                route.append(f"F″ ≥ 0 {where}: not proved symbolically; no point with F″ < 0 among "
                             f"{len(_WITNESS_GRID)} sample points in [-100, 100] (ball arithmetic)")
        return route

    def convexity_proved(self, route: list[str]) -> bool:
        return all("not proved" not in line for line in route)

    def _look_for_concavity(self) -> None:
        with working_precision(30):
            for x in _WITNESS_GRID:
                try:
                    _, _, second = self.ball_derivatives(x)
                except (UnsupportedForBalls, ValueError, ZeroDivisionError):
                    continue
                if second.is_finite() and second < 0:
                    raise NotConvexError(f"the loss {self.name} is not convex: F″({x}) < 0 "
                                         f"(F″({x}) ∈ {second.str(5, radius=False)}, proved in ball arithmetic)")

    def _check_c1(self) -> None:
        u = self.var
        for left, right in zip(self.pieces, self.pieces[1:]):
            b = left.hi
            for order, what in ((0, "F"), (1, "F′")):
                a = _one_sided(piece_derivative(left, u, order), u, b, "-")
                c = _one_sided(piece_derivative(right, u, order), u, b, "+")
                if a is None or c is None or not a.is_finite or not c.is_finite or sp.simplify(a - c) != 0:
                    raise NonDifferentiableError(
                        f"the loss {self.name} is not C¹: {what} jumps at {u} = {b} (left {a}, right {c}); "
                        "Bregman divergences need a differentiable loss")

    def __repr__(self) -> str:
        return f"BregmanLoss({self.name!r}, var={self.var})"


def _power_ends(low: arb, high: arb, exponent: sp.Rational) -> tuple[arb, arb]:
    """(smallest, largest) of x^exponent over 0 ≤ low ≤ x ≤ high, as balls (+∞ as a non-finite ball)."""
    if exponent == 0:
        return arb(1), arb(1)
    e = arb(fmpq(int(exponent.p), int(exponent.q)))

    def at(x: arb) -> arb:
        if x.is_zero():
            return arb(0) if exponent > 0 else arb("inf")
        return x ** e

    a, b = at(low), at(high)
    return (a, b) if exponent > 0 else (b, a)


def _larger(a: arb, b: arb) -> arb:
    return b if b > a else a


def _one_sided(expr: sp.Expr, var: sp.Symbol, at: sp.Expr, direction: str) -> sp.Expr | None:
    value = expr.subs(var, at)
    if value.is_finite:
        return value
    outcome = run_with_budget(sp.limit, expr, var, at, direction, seconds=10.0)
    return outcome.value if outcome.ok else None


def _zeros(derivative: sp.Expr, var: sp.Symbol, interval: sp.Interval) -> list[sp.Expr] | None:
    if derivative.is_zero:
        return None
    zeros = sp.solveset(derivative, var, interval)
    if not isinstance(zeros, sp.FiniteSet):
        return [] if zeros is sp.EmptySet else None
    return list(zeros.args)


def _manifestly_nonnegative(second: sp.Expr, var: sp.Symbol, piece: Piece) -> sp.Expr | None:
    """A form of F″ SymPy's assumptions prove ≥ 0 on the piece (var replaced by lo + w or hi − w,
    w ≥ 0, on a half-line or bounded piece), or None."""
    local = sp.Symbol("w", nonnegative=True)
    if piece.lo.is_finite:
        shifted = second.subs(var, piece.lo + local)
    elif piece.hi.is_finite:
        shifted = second.subs(var, piece.hi - local)
    else:
        shifted = second
    for form in _forms(shifted):
        if form.is_nonnegative:
            return second if form is shifted else form
    if piece.lo.is_finite and piece.hi.is_finite:
        interval_check = sp.solveset(second < 0, var, piece.interval())
        if interval_check is sp.EmptySet:
            return second
    return None


def _forms(expr: sp.Expr) -> list[sp.Expr]:
    forms = [expr, sp.factor(sp.together(expr))]
    if expr.has(sp.tanh, sp.cosh, sp.sinh):
        rewritten = expr.rewrite(sp.exp)
        forms += [sp.factor(sp.together(rewritten)), sp.simplify(expr)]
    else:
        forms.append(sp.simplify(expr))
    return forms
