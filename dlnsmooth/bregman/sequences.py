"""Pair sequences (g(t), h(t)), t → ∞, along which R_p = d_F(g, h)/|g − h|^p tends to 0 or ∞.

Definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3. A :class:`PairSequence` is the
certificate that refutes H(φ)-convexity (R_p → 0: no c_φ > 0 works) or H(Φ)-smoothness (R_p → ∞: no
c_Φ < ∞ works), in the package's usual form:

* the **limit** of R_p(t), computed by SymPy (Gruntz) under a time budget
  (:func:`dlnsmooth.limits.limit_at_infinity`) on the piece formulas of F that hold for large t;
* a **table** of R_p at t = 10^k in ball arithmetic, each value with its guaranteed digits, which
  must move the same way (decrease towards 0 / grow).

:meth:`PairSequence.refutes` is true only when both agree: a sequence along which the ratio does not
tend to 0 (resp. ∞) never refutes, which is the negative control of the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp
from flint import arb

from ..balls import EXACT_DIGITS, guaranteed_digits
from ..errors import UnsupportedForBalls
from ..limits import LimitOutcome, limit_at_infinity
from ..numbers import ball_to_mpf, power, to_arb
from ..precision import working_precision
from ..results import Result, json_value
from .divergence import RECONSTRUCTION_NOTE, BregmanLoss, Piece

__all__ = ["PairSequence", "SequenceLimit", "SequenceRow", "SEQUENCE_PARAMETER", "TABLE_POWERS"]

#: The parameter of every pair sequence (t → ∞).
SEQUENCE_PARAMETER = sp.Symbol("t", positive=True)
#: The table evaluates the ratio at t = 10^k for these k.
TABLE_POWERS = (1, 2, 3, 4, 6)
#: The pieces of F that hold along a sequence are the ones holding at t = 10^_FAR (break points are
#: required to lie well inside ±10^(_FAR − 2)).
_FAR = 12


@dataclass(frozen=True)
class SequenceRow:
    """One row of a ball table: t, g(t), h(t), and the ratio R_p with its guaranteed digits."""

    t: sp.Expr
    g: sp.Expr
    h: sp.Expr
    ratio: mp.mpf
    digits: int

    def ratio_text(self) -> str:
        return mp.nstr(self.ratio, max(1, min(self.digits, 8))) if self.digits else "(no guaranteed digit)"


@dataclass(frozen=True)
class SequenceLimit:
    """lim_{t→∞} R_p(t), classified: ``zero``, ``infinite``, ``positive`` (a finite value > 0) or ``unknown``."""

    value: sp.Expr | None
    kind: str
    outcome: LimitOutcome | None

    def text(self) -> str:
        if self.value is None:
            return "undetermined" + (f" ({self.outcome.status})" if self.outcome else "")
        return "∞" if self.value == sp.oo else sp.sstr(self.value)


def _classify(outcome: LimitOutcome) -> str:
    if outcome.kind == "infinite":
        return "infinite"
    if outcome.kind == "finite":
        return "zero" if outcome.value == 0 else ("positive" if outcome.value > 0 else "unknown")
    return "unknown"


@dataclass
class PairSequence(Result):
    """Pairs (g(t), h(t)) as t → ∞ and the ratio R_p(t) = d_F(g, h)/|g − h|^p along them.

    ``limit`` and ``table`` are filled by :meth:`compute_limit` and :meth:`compute_table`;
    :meth:`refutes` says whether they prove that R_p → 0 (``kind="convex"``) or → ∞ (``"smooth"``).
    """

    json_kind = "bregman-sequence"
    loss: BregmanLoss
    p: sp.Rational
    g: sp.Expr
    h: sp.Expr
    description: str = ""
    limit: SequenceLimit | None = None
    table: list[SequenceRow] = field(default_factory=list)

    @property
    def parameter(self) -> sp.Symbol:
        return SEQUENCE_PARAMETER

    def _far(self, x: sp.Expr) -> sp.Expr:
        return sp.sympify(x).subs(SEQUENCE_PARAMETER, sp.Integer(10) ** _FAR)

    def pieces(self) -> tuple[Piece, Piece, int]:
        """The pieces of F holding g(t) and h(t) for large t, and the sign of g − h there."""
        far_breaks = [b for piece in self.loss.pieces for b in (piece.lo, piece.hi)
                      if b.is_finite and abs(b) >= sp.Integer(10) ** (_FAR - 2)]
        if far_breaks:
            raise ValueError(f"the loss changes formula at {far_breaks[0]}: pair sequences need break points "
                             f"inside ±10^{_FAR - 2}")
        g, h = self._far(self.g), self._far(self.h)
        return self.loss.piece_at(g), self.loss.piece_at(h), 1 if sp.sign(g - h) > 0 else -1

    def ratio_expression(self) -> sp.Expr:
        """R_p(t) on the piece formulas that hold for large t (|g − h| written as ±(g − h))."""
        g_piece, h_piece, sign = self.pieces()
        return self.loss.piece_divergence(self.g, self.h, g_piece, h_piece) / (sign * (self.g - self.h)) ** self.p

    def compute_limit(self, *, seconds: float = 10.0, deadline: float | None = None) -> SequenceLimit:
        outcome = limit_at_infinity(self.ratio_expression(), SEQUENCE_PARAMETER, seconds=seconds, deadline=deadline)
        self.limit = SequenceLimit(outcome.value, _classify(outcome), outcome)
        return self.limit

    def ball_ratio(self, t: sp.Expr, dps: int = 40, max_factor: int = 128) -> arb:
        """A ball containing R_p at the exact parameter t, the precision raised from ``dps`` up to
        ``max_factor`` times it until six digits are guaranteed (or the ratio is an exact 0)."""
        g, h = sp.sympify(self.g).subs(SEQUENCE_PARAMETER, t), sp.sympify(self.h).subs(SEQUENCE_PARAMETER, t)
        for precision in (f * dps for f in (1, 4, 16, 64, 128) if f <= max_factor):
            with working_precision(precision):
                gb, hb = to_arb(g), to_arb(h)
                ratio = self.loss.ball_divergence(gb, hb) / power(abs(gb - hb), self.p)
                if (ratio.is_exact() and ratio.is_zero()) or guaranteed_digits(ratio) >= 6:
                    break
        return ratio

    def ball_ratio_at(self, t: sp.Expr, dps: int = 40, max_factor: int = 128) -> tuple[mp.mpf, int]:
        """R_p at the exact parameter t in ball arithmetic: (value, guaranteed digits) (:meth:`ball_ratio`)."""
        ratio = self.ball_ratio(t, dps, max_factor)
        if ratio.is_exact() and ratio.is_zero():
            return mp.mpf(0), EXACT_DIGITS
        value = ball_to_mpf(ratio) if ratio.is_finite() else mp.inf
        return value, guaranteed_digits(ratio)

    def compute_table(self, powers: tuple[int, ...] = TABLE_POWERS) -> list[SequenceRow]:
        rows = []
        for k in powers:
            t = sp.Integer(10) ** k
            try:
                value, digits = self.ball_ratio_at(t)
            except (UnsupportedForBalls, ValueError, ZeroDivisionError):
                continue
            rows.append(SequenceRow(t, sp.sympify(self.g).subs(SEQUENCE_PARAMETER, t),
                                    sp.sympify(self.h).subs(SEQUENCE_PARAMETER, t), value, digits))
        self.table = rows
        return rows

    def table_agrees(self, kind: str) -> bool:
        """The ball table moves the way the limit says: at least three values with guaranteed digits
        (exact zeros count), non-increasing and ending below its first value or identically 0 (``convex``),
        or non-decreasing and ending above it (``smooth``); rows without a guaranteed digit (beyond the
        precision cap) are left out."""
        rows = [r for r in self.table if r.digits >= 1]
        if len(rows) < 3:
            return False
        values = [r.ratio for r in rows]
        if kind == "convex":
            return all(b <= a for a, b in zip(values, values[1:])) and (values[-1] < values[0] or values[0] == 0)
        return all(b >= a for a, b in zip(values, values[1:])) and values[-1] > values[0]

    def refutes(self, kind: str) -> bool:
        """True when the limit (computed) and the table (ball arithmetic) both say R_p → 0 (``convex``)
        or R_p → ∞ (``smooth``)."""
        wanted = "zero" if kind == "convex" else "infinite"
        return self.limit is not None and self.limit.kind == wanted and self.table_agrees(kind)

    def screen(self, kind: str) -> bool:
        """A cheap look before the symbolic limit: R_p at t = 10, 10², 10³ in balls moves towards 0
        (``convex``) or ∞ (``smooth``) without visibly levelling off (the second step at least half the
        first on a log scale). Not evidence; only decides whether the limit is worth computing."""
        try:
            balls = [self.ball_ratio(sp.Integer(10) ** k, dps=30, max_factor=16) for k in (1, 2, 3)]
        except (UnsupportedForBalls, ValueError, ZeroDivisionError):
            return True
        if not all(b.is_finite() for b in balls):
            return kind == "smooth"
        lows = [ball_to_mpf(b.lower()) for b in balls]
        highs = [ball_to_mpf(b.upper()) for b in balls]
        if kind == "convex":
            if highs[2] < lows[1] and highs[1] < lows[0] and lows[1] > 0:
                return highs[2] <= 0 or mp.log(lows[1] / highs[2]) >= mp.log(highs[0] / lows[1]) / 2
            return highs[2] <= 0 or (highs[2] < lows[0] and lows[2] == 0)
        if lows[2] > highs[1] and lows[1] > highs[0] and lows[0] > 0:
            return mp.log(lows[2] / highs[1]) >= mp.log(highs[1] / lows[0]) / 2
        return False

    def pair_text(self) -> str:
        return f"g = {sp.sstr(self.g)}, h = {sp.sstr(self.h)}"

    def report(self) -> str:
        lines = [f"pair sequence ({self.description}): {self.pair_text()}, t → ∞",
                 f"  ratio d_F(g, h)/|g − h|^{sp.sstr(self.p)} → {self.limit.text() if self.limit else 'not computed'}"
                 + (f" ({self.limit.outcome.method})" if self.limit and self.limit.outcome else "")]
        for row in self.table:
            lines.append(f"  t = 10^{sp.log(row.t, 10)}: ratio = {row.ratio_text()} "
                         f"({row.digits if row.digits < EXACT_DIGITS else 'exact'} guaranteed digits, ball arithmetic)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "description": self.description,
            "g": sp.sstr(self.g),
            "h": sp.sstr(self.h),
            "parameter": "t",
            "p": json_value(self.p),
            "limit": None if self.limit is None else {"value": json_value(self.limit.value), "kind": self.limit.kind,
                                                      "method": self.limit.outcome.method if self.limit.outcome else None},
            "table": [{"t": json_value(r.t), "ratio": json_value(r.ratio, max(1, min(r.digits, 15))),
                       "guaranteed_digits": min(r.digits, 10**6)} for r in self.table],
            "notes": [RECONSTRUCTION_NOTE],
        }

