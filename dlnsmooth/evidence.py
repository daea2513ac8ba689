"""Kinds of evidence a certificate can carry.

* :class:`SymbolicIdentity` (``symbolic-identity``) — an exact equality
  established by SymPy (e.g. ∇f(x(t)) ≡ 0, ‖∇²f‖_F² = z²t⁴/2);
* :class:`SymbolicRestriction` (``symbolic-restriction``) — ‖∇f‖², ‖∇²f‖_F²
  along a curve, derived exactly;
* :class:`SymbolicLimit` (``symbolic-limit``) — ``lim_{t→∞}`` of a quantity,
  by the Gruntz algorithm under a time budget;
* :class:`NumericTable` (``numeric-table``) — the norms at t = 10¹ … 10^K in
  ball arithmetic, printed only with the digits the ball's radius guarantees
  (or, for functions the ball compiler lacks, computed at two precisions and
  printed with the digits both agree on); precision is raised until every
  digit is guaranteed (adaptive, capped: the cap yields "unconfirmed");
* :class:`Growth` (``growth-exponents``) — the growth exponents γ of ‖∇f‖ and η of ‖∇²f‖_F, and ρ*;
* :class:`SpectralBounds` (``spectral-bounds``) — rigorous bounds
  ``lower ≤ ‖∇²f‖₂ ≤ ‖∇²f‖_F`` at a few points of the curve (power iteration
  with Hessian-vector products, in ball arithmetic), where the objective
  supports them (deep linear networks);
* :class:`Premise` (``premise``) — a hypothesis of a theorem, checked exactly;
* the evidence of the univariate decision (:mod:`dlnsmooth.univariate`):
  :class:`Continuity` (``continuity``, SymPy ``continuous_domain``),
  :class:`CompactBound` and :class:`TailBound` (``compact-bound``, ``tail-bound``:
  sup r_ρ bounded in ball arithmetic, :mod:`dlnsmooth.bounds`), :class:`ExplicitConstants`
  (``explicit-constants``, C0 = C1 = M) and :class:`ConstantsCheck` (``constants-check``:
  the constants at sample points in ball arithmetic, :func:`check_constants`).

Each prints as lines of a report and serialises to JSON; numbers in JSON are
decimal strings (exact rationals as ``p/q``, infinity as ``"inf"``: :func:`dlnsmooth.results.json_value`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import mpmath as mp
import sympy as sp
from flint import arb

from .balls import certify, nonnegative_sqrt
from .conditions import HessianGrowth
from .curves import GrowthExponents, Restriction
from .errors import DlnsmoothError, DomainError, PrecisionError, TooLargeError, UnsupportedForBalls
from .limits import LimitOutcome
from .norms import Norm
from .numbers import ball_to_mpf, power, to_mpf
from .objective import Objective, VectorField
from .parsing import bounded_text
from .precision import DEFAULT_DPS, MAX_DPS, Confirmed, confirm, working_precision
from .results import json_value

__all__ = [
    "Evidence",
    "SymbolicIdentity",
    "SymbolicRestriction",
    "SymbolicLimit",
    "NumericTable",
    "TableRow",
    "Growth",
    "Premise",
    "SpectralBounds",
    "SpectralRow",
    "numeric_table",
    "ClosedFormCheck",
    "closed_form_check",
    "spectral_bounds",
    "Continuity",
    "TailBound",
    "CompactBound",
    "ConstantsCheck",
    "ExplicitConstants",
    "check_constants",
]


def _exponent(rho: sp.Expr) -> str:
    return sp.sstr(rho) if rho.is_Integer else f"({sp.sstr(rho)})"


def _power_text(value: sp.Expr) -> str:
    text = {sp.oo: "∞", -sp.oo: "−∞"}.get(value, sp.sstr(value))
    return text if (value.is_Integer or value in (sp.oo, -sp.oo)) else f"({text})"


def _exponent_shown(exponent: sp.Expr, vanishes: bool, name: str) -> str:
    """A growth exponent as text: ``−∞`` says an exact zero only when the symbolic restriction is
    identically zero, otherwise what the limit showed (decay or growth faster than any power)."""
    if vanishes:
        return f"−∞ ({name} ≡ 0 exactly)"
    if exponent == -sp.oo:
        return "−∞ (decays faster than any power of t; not identically zero)"
    if exponent == sp.oo:
        return "∞ (grows faster than any power of t)"
    return _power_text(exponent)


def _show(value: sp.Basic, limit: int | None = None) -> str:
    """A value as text; vectors longer than ``limit`` show their first entries and their length."""
    if isinstance(value, sp.MatrixBase):
        entries = list(value)
        if limit is not None and len(entries) > limit:
            return "(" + ", ".join(sp.sstr(v) for v in entries[:limit]) + f", … {len(entries)} entries)"
        return "(" + ", ".join(sp.sstr(v) for v in entries) + ")"
    return bounded_text(value)


class Evidence:
    """Base class: one piece of evidence with a kind, a title, report lines and JSON."""

    kind: ClassVar[str] = "evidence"

    def lines(self) -> list[str]:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError


@dataclass
class SymbolicIdentity(Evidence):
    """``lhs = rhs`` checked exactly (``holds`` is the computed answer)."""

    kind: ClassVar[str] = "symbolic-identity"
    statement: str
    lhs: sp.Expr
    rhs: sp.Expr
    holds: bool
    method: str = "exact substitution and simplification (SymPy)"

    def lines(self) -> list[str]:
        mark = "holds" if self.holds else "FAILS"
        return [f"{self.statement}: {_show(self.lhs)} = {_show(self.rhs)}  [{mark}; {self.method}]"]

    def to_json(self) -> dict:
        return {"kind": self.kind, "statement": self.statement, "lhs": _show(self.lhs),
                "rhs": _show(self.rhs), "holds": self.holds, "method": self.method,
                "latex": f"{sp.latex(self.lhs)} = {sp.latex(self.rhs)}"}


@dataclass
class SymbolicRestriction(Evidence):
    """A quantity restricted to a curve, derived exactly (substitution, then simplification)."""

    kind: ClassVar[str] = "symbolic-restriction"
    quantity: str
    expression: sp.Expr
    method: str = "exact substitution of the curve into the derived ∇f, ∇²f (SymPy)"

    def lines(self) -> list[str]:
        return [f"{self.quantity} = {bounded_text(self.expression)}  [{self.method}]"]

    def to_json(self) -> dict:
        return {"kind": self.kind, "quantity": self.quantity, "expression": bounded_text(self.expression),
                "method": self.method, "latex": sp.latex(self.expression)}


@dataclass
class SymbolicLimit(Evidence):
    """``lim_{t→∞} quantity`` as SymPy computed it (or why it could not)."""

    kind: ClassVar[str] = "symbolic-limit"
    quantity: str
    outcome: LimitOutcome

    def lines(self) -> list[str]:
        o = self.outcome
        head = f"lim_{{{o.parameter}→∞}} {self.quantity} = {o.value_text()}"
        if o.status == "computed":
            return [f"{head}  [{o.method}, {o.seconds:.2f} s]",
                    f"    where {self.quantity} = {bounded_text(o.expression)}"]
        return [f"{head}  [{o.method}: {o.status}; {o.message or 'no answer'}; the evidence below is numeric only]",
                f"    for {self.quantity} = {bounded_text(o.expression)}"]

    def to_json(self) -> dict:
        o = self.outcome
        return {"kind": self.kind, "quantity": self.quantity, "expression": bounded_text(o.expression),
                "parameter": o.parameter.name, "value": json_value(o.value), "classification": o.kind,
                "status": o.status, "seconds": round(o.seconds, 3), "method": o.method,
                "message": o.message, "latex": o.latex()}


@dataclass
class TableRow:
    """One row of a numeric table: the norms at t = 10^exponent."""

    exponent: int
    grad_norm: Confirmed
    hess_norm: Confirmed
    ratio: Confirmed
    grad_exact_zero: bool = False
    hess_exact_zero: bool = False
    #: why the row is undecided (its evaluation overflowed or failed, the precision cap or the
    #: time budget left its values unresolved); None for a row whose values were resolved
    undecided: str | None = None

    @property
    def t_text(self) -> str:
        return f"1e{self.exponent}"

    @classmethod
    def failed(cls, exponent: int, why: str, dps: int = 0) -> TableRow:
        """A row whose evaluation failed: no value, only the reason."""
        empty = Confirmed(value=mp.mpf(0), digits=0, dps=dps, dps_check=dps)
        return cls(exponent, empty, empty, empty, undecided=why)

    @staticmethod
    def _zero(c: Confirmed, exact_zero: bool) -> bool:
        """A zero that counts: symbolically exact, or proven by ball arithmetic."""
        return c.zero_at_both and (exact_zero or c.proven_zero)

    def _ok(self, c: Confirmed, exact_zero: bool, wanted: int) -> bool:
        return self._zero(c, exact_zero) or c.digits >= wanted

    def confirmed(self, wanted: int) -> bool:
        return (self._ok(self.grad_norm, self.grad_exact_zero, wanted)
                and self._ok(self.hess_norm, self.hess_exact_zero, wanted)
                and self._ok(self.ratio, self.hess_exact_zero, wanted))

    @classmethod
    def _text(cls, c: Confirmed, exact_zero: bool, max_digits: int) -> str | None:
        if c.zero_at_both:
            return "0" if cls._zero(c, exact_zero) else None
        return c.text(max_digits)

    def texts(self, max_digits: int) -> tuple[str | None, str | None, str | None]:
        return (self._text(self.grad_norm, self.grad_exact_zero, max_digits),
                self._text(self.hess_norm, self.hess_exact_zero, max_digits),
                self._text(self.ratio, self.hess_exact_zero, max_digits))

    def to_json(self, wanted: int) -> dict:
        g, h, r = self.texts(wanted)
        # exact zeros have no digit count; an unexplained zero confirms no digit at all
        counted = [0 if c.zero_at_both else c.digits
                   for c, exact in ((self.grad_norm, self.grad_exact_zero), (self.hess_norm, self.hess_exact_zero),
                                    (self.ratio, self.hess_exact_zero))
                   if not self._zero(c, exact)]
        return {"t": self.t_text, "grad_norm": g, "hess_norm": h, "ratio": r,
                "digits": min(counted) if counted else None,
                "dps": self.hess_norm.dps, "dps_check": self.hess_norm.dps_check,
                "rigorous": self.hess_norm.rigorous, "confirmed": self.confirmed(wanted),
                "status": "confirmed" if self.confirmed(wanted) else "undecided",
                "undecided": None if self.confirmed(wanted) else (self.undecided or "digits not resolved")}


@dataclass
class NumericTable(Evidence):
    """‖∇f‖, ‖∇²f‖_F and the ratio ‖∇²f‖_F/(1 + ‖∇f‖^ρ) at t = 10¹ … 10^K.

    ``arithmetic == "ball"`` (the default whenever the ball compiler supports
    f): each row is computed in ball arithmetic (python-flint ``arb``) from the
    exact t, starting from a precision that grows with the magnitudes at that
    t and doubling until the radius guarantees ``digits`` digits (cap
    ``max_dps``); a zero is accepted when the ball is exactly 0 or the symbolic
    restriction is identically zero. ``arithmetic == "two-precision"``: each
    row is evaluated with mpmath at two precisions (``dps`` and ``dps_check``)
    doubling until they agree; an exact zero is accepted only where the
    symbolic restriction is identically zero.
    """

    kind: ClassVar[str] = "numeric-table"
    rows: list[TableRow]
    rho: sp.Rational
    digits: int
    parameter: str = "t"
    norm: Norm = Norm.FROBENIUS
    method: str = "mpmath; objective's gradient and Hessian at the numerically evaluated curve point"
    arithmetic: str = "two-precision"
    fallback: str | None = None
    #: rows asked for (t = 10¹ … 10^requested); fewer are present when the time budget ran out
    requested: int | None = None
    #: why the table stopped before its last row (the time budget), None when it did not
    stopped: str | None = None

    @property
    def guarantee(self) -> str:
        if self.arithmetic == "ball":
            return "ball arithmetic: every shown digit is guaranteed by the ball's radius"
        return "two precisions agree"

    # -- reading the table ------------------------------------------------------------
    def confirmed_rows(self) -> list[TableRow]:
        return [r for r in self.rows if r.confirmed(self.digits)]

    @property
    def all_confirmed(self) -> bool:
        return len(self.confirmed_rows()) == len(self.rows)

    def undecided_rows(self) -> list[TableRow]:
        """The rows whose values are not resolved (failed evaluation, precision cap, time budget)."""
        return [r for r in self.rows if not r.confirmed(self.digits)]

    @property
    def complete(self) -> bool:
        """Every requested row was computed (the time budget did not cut the table)."""
        return self.stopped is None

    def supports_divergence(self) -> bool:
        """Ratio largest at the last confirmed row and larger than at the first."""
        rows = self.confirmed_rows()
        if len(rows) < 3:
            return False
        ratios = [r.ratio.value for r in rows]
        return ratios[-1] >= max(ratios) and ratios[-1] > ratios[0]

    def supports_limit(self, limit: sp.Expr) -> bool:
        """Ratio approaching a finite limit: no farther from it at the last row than halfway."""
        rows = self.confirmed_rows()
        if len(rows) < 3:
            return False
        with mp.workdps(30):
            L = to_mpf(limit)
            tolerance = mp.mpf(10) ** -9 * (1 + abs(L))
            middle = abs(rows[len(rows) // 2].ratio.value - L)
            last = abs(rows[-1].ratio.value - L)
            return last <= middle * (1 + mp.mpf(10) ** -9) or last <= tolerance

    def supports_bounded(self, low: sp.Expr, high: sp.Expr) -> bool:
        """Every confirmed ratio in the second half of the table lies in [low, high] (tolerance 1e-9)."""
        rows = self.confirmed_rows()
        if len(rows) < 3:
            return False
        with mp.workdps(30):
            lo, hi = to_mpf(low), to_mpf(high)
            tol = mp.mpf(10) ** -9 * (1 + abs(lo) + abs(hi))
            return all(lo - tol <= r.ratio.value <= hi + tol for r in rows[len(rows) // 2:])

    def supports_bounded_gradient_with_growing_hessian(self, gradient_bound: sp.Expr | None) -> bool:
        """‖∇f‖ not growing over the tail (below the bound) while ‖∇²f‖_F is largest at the end."""
        rows = self.confirmed_rows()
        if len(rows) < 3:
            return False
        hess = [r.hess_norm.value for r in rows]
        if not (hess[-1] >= max(hess) and hess[-1] > hess[0]):
            return False
        tail = rows[len(rows) // 2:]
        with mp.workdps(30):
            bound = max(tail[0].grad_norm.value,
                        to_mpf(gradient_bound) if gradient_bound is not None else mp.mpf(0))
            return all(r.grad_norm.value <= bound * (1 + mp.mpf(10) ** -6) for r in tail)

    def supports_faster_than_every_power(self) -> bool:
        """‖∇f‖ > 1 over the tail, ‖∇²f‖_F largest at the end, and log‖∇²f‖_F / log‖∇f‖ largest at the
        last confirmed row and larger there than halfway: ‖∇²f‖ outgrowing every power of ‖∇f‖."""
        rows = self.confirmed_rows()
        if len(rows) < 3:
            return False
        tail = rows[len(rows) // 2:]
        if any(r.grad_norm.zero_at_both or r.hess_norm.zero_at_both or r.grad_norm.value <= 1 for r in tail):
            return False
        hess = [r.hess_norm.value for r in rows]
        if not (hess[-1] >= max(hess) and hess[-1] > hess[0]):
            return False
        with mp.workdps(30):
            quotients = [mp.log(r.hess_norm.value) / mp.log(r.grad_norm.value) for r in tail]
        return quotients[-1] >= max(quotients) and quotients[-1] > quotients[0]

    def slopes(self) -> tuple[float | None, float | None]:
        """log10 slopes of ‖∇f‖ and ‖∇²f‖_F between the last two confirmed rows (numeric exponents)."""
        rows = self.confirmed_rows()
        if len(rows) < 2:
            return None, None
        first, second = rows[-2], rows[-1]
        span = second.exponent - first.exponent

        def slope(a: Confirmed, b: Confirmed) -> float | None:
            if a.zero_at_both or b.zero_at_both or a.value <= 0 or b.value <= 0:
                return None
            return float((mp.log10(b.value) - mp.log10(a.value)) / span)

        return slope(first.grad_norm, second.grad_norm), slope(first.hess_norm, second.hess_norm)

    # -- printing ------------------------------------------------------------------------
    def lines(self, max_digits: int = 12) -> list[str]:
        ratio_head = f"‖∇²f‖_F/(1+‖∇f‖^{_exponent(self.rho)})"
        body = []
        for row in self.rows:
            texts = [x if x is not None else "undecided" for x in row.texts(max_digits)]
            digits = row.to_json(self.digits)["digits"]
            body.append((row.t_text, *texts, "exact" if digits is None else str(digits), str(row.hess_norm.dps)))
        head = (self.parameter, "‖∇f‖", "‖∇²f‖_F", ratio_head, "digits", "dps")
        widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

        def line(cells):
            return (f"{cells[0]:>{widths[0]}}  " + "  ".join(f"{c:<{w}}" for c, w in zip(cells[1:4], widths[1:4]))
                    + f"  {cells[4]:>{widths[4]}}  {cells[5]:>{widths[5]}}")

        undecided = [f"    undecided row {self.parameter} = {r.t_text}: {r.undecided or 'digits not resolved'}"
                     for r in self.undecided_rows()]
        if len(undecided) > 6:
            undecided = undecided[:5] + [f"    … {len(undecided) - 5} more undecided rows (see JSON)"]
        stopped = [f"    table stopped: {self.stopped}"] if self.stopped else []
        return [
            f"{len(self.confirmed_rows())}/{len(self.rows)} rows confirmed to ≥ {self.digits} significant digits "
            f"({self.guarantee}; {self.method}); shown to {max_digits} digits; norm: Frobenius"
            + (f"; no ball arithmetic: {self.fallback}" if self.fallback else "")
            + (f"; {len(self.undecided_rows())} row(s) undecided" if self.undecided_rows() else ""),
            line(head),
            *[line(cells) for cells in body],
            *undecided,
            *stopped,
        ]

    def to_json(self) -> dict:
        if self.arithmetic == "ball":
            precision = ("each row computed in ball arithmetic at 'dps' decimal digits from the exact t; strings "
                         "hold only the digits the ball's radius guarantees")
        else:
            precision = ("each row computed at 'dps' and re-evaluated at 'dps_check' decimal digits; "
                         "strings hold only the digits on which both agree")
        return {"kind": self.kind, "norm": self.norm.value, "ratio_rho": sp.sstr(self.rho),
                "digits": self.digits, "method": self.method, "arithmetic": self.arithmetic,
                "fallback": self.fallback, "precision": precision,
                "requested_rows": self.requested if self.requested is not None else len(self.rows),
                "undecided_rows": len(self.undecided_rows()), "stopped": self.stopped,
                "rows": [r.to_json(self.digits) for r in self.rows]}


def numeric_table(
    restriction: Restriction,
    rho: sp.Rational,
    *,
    decades: int = 30,
    digits: int = 15,
    base_dps: int = DEFAULT_DPS,
    max_dps: int = MAX_DPS,
    progress: Callable | None = None,
    arithmetic: str = "auto",
    deadline: float | None = None,
) -> NumericTable:
    """Evaluate the norms along the curve at t = 10¹ … 10^decades (see :class:`NumericTable`).

    ``arithmetic``: ``"ball"``, ``"two-precision"`` or ``"auto"`` (balls when the ball
    compiler supports the objective and the curve, otherwise two precisions). A row whose
    evaluation overflows or fails, or whose digits the precision cap or ``deadline`` (a
    ``time.perf_counter()`` value) leaves unresolved, is an undecided row; once the deadline
    has passed no further row is computed (``stopped`` says how many were left)."""
    if decades < 3:
        raise ValueError(f"a numeric table needs at least 3 rows (decades >= 3), got {decades}")
    if arithmetic not in ("auto", "ball", "two-precision"):
        raise ValueError(f"arithmetic must be 'auto', 'ball' or 'two-precision', got {arithmetic!r}")
    fallback = None
    if deadline is not None and time.perf_counter() >= deadline:
        return NumericTable([], rho, digits, restriction.parameter.name,
                            arithmetic="ball" if arithmetic == "auto" else arithmetic, requested=decades,
                            stopped=f"the time budget ran out before the table started (t = 10^1 … 10^{decades} "
                                    "not computed)")
    if arithmetic != "two-precision":
        try:
            with working_precision(30):
                restriction.ball_norms(10)  # compiles the ball programs
            arithmetic = "ball"
        except UnsupportedForBalls as exc:
            if arithmetic == "ball":
                raise
            arithmetic, fallback = "two-precision", str(exc)
        except _ROW_FAILURES:
            arithmetic = "ball"  # compiled; the value at t = 10 is the first row's business
    rows: list[TableRow] = []
    stopped = None
    exponents = range(1, decades + 1)
    iterator = progress(exponents) if progress is not None else exponents
    for k in iterator:
        if deadline is not None and time.perf_counter() >= deadline:
            stopped = (f"the time budget ran out after {len(rows)} of {decades} rows "
                       f"(t = 10^{k} … 10^{decades} not computed)")
            break
        rows.append(_table_row(restriction, rho, k, arithmetic, digits=digits, base_dps=base_dps,
                               max_dps=max_dps, deadline=deadline))
    if arithmetic == "ball":
        method = "python-flint arb; the objective's derivatives at the curve point computed in balls from the exact t"
        if hasattr(restriction.objective, "state"):
            method = ("python-flint arb; the engine's Gram formulas (no P × P matrix) at the curve point, "
                      "in balls from the exact t")
    else:
        method = NumericTable.method
    return NumericTable(rows, rho, digits, restriction.parameter.name, method=method, arithmetic=arithmetic,
                        fallback=fallback, requested=decades, stopped=stopped)


#: failures of one row's evaluation that make the row undecided (a curve leaving the domain of f
#: is an input error and is raised, see :meth:`~dlnsmooth.curves.Restriction.check_domain`)
_ROW_FAILURES = (OverflowError, ZeroDivisionError, MemoryError, PrecisionError, TooLargeError, ArithmeticError)


class _OutOfTime(Exception):
    """The deadline passed during a two-precision evaluation."""


def _table_row(restriction: Restriction, rho: sp.Rational, k: int, arithmetic: str, *, digits: int, base_dps: int,
               max_dps: int, deadline: float | None) -> TableRow:
    """The row at t = 10^k; undecided (with the reason) when it cannot be resolved."""
    t = 10**k
    grad_zero, hess_zero = restriction.gradient_vanishes, restriction.hessian_vanishes
    zero_ok = (grad_zero, hess_zero, hess_zero)
    try:
        restriction.check_domain(t)
        start = min(base_dps + restriction.start_digits(t), max_dps // 2)
        if arithmetic == "ball":
            def evaluate_balls(dps: int):
                G, H = restriction.ball_norms(t)
                return G, H, H / (1 + power(G, rho))

            G, H, R = certify(evaluate_balls, digits=digits, start_dps=start, max_dps=max_dps, zero_ok=zero_ok,
                              deadline=deadline)
        else:
            def evaluate(dps: int) -> tuple[mp.mpf, mp.mpf, mp.mpf]:
                if deadline is not None and time.perf_counter() >= deadline:
                    raise _OutOfTime
                G, H = restriction.norms(t, dps)
                with mp.workdps(dps):
                    return G, H, H / (1 + power(G, rho))

            G, H, R = confirm(evaluate, digits=digits, start_dps=start, max_dps=max_dps, zero_ok=zero_ok)
    except DomainError:
        raise
    except _OutOfTime:
        return TableRow.failed(k, "the time budget ran out during its evaluation")
    except (*_ROW_FAILURES, ValueError) as exc:
        return TableRow.failed(k, f"its evaluation failed ({type(exc).__name__}: {_short(exc)})")
    row = TableRow(k, G, H, R, grad_exact_zero=grad_zero, hess_exact_zero=hess_zero)
    if not row.confirmed(digits):
        if deadline is not None and time.perf_counter() >= deadline:
            row.undecided = f"the time budget ran out at {H.dps} digits before {digits} digits were guaranteed"
        elif any(c.value == 0 and not c.zero_at_both for c in (G, H)):
            row.undecided = f"no finite enclosure (or only one containing 0) up to the precision cap ({max_dps} digits)"
        else:
            row.undecided = f"{digits} digits are not guaranteed at the precision cap ({max_dps} digits)"
    return row


def _short(exc: BaseException, limit: int = 100) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ClosedFormCheck(Evidence):
    """Each resolved row of a :class:`NumericTable` compared with the exact closed forms of the
    same quantities: ‖∇f‖ = √G²(t) and ‖∇²f‖_F = √H²(t) from the symbolic restriction (SymPy, or
    the objective's exact structured route), evaluated in ball arithmetic at the same exact t.

    The table comes from the objective's own evaluators at the numerically evaluated curve point,
    the closed form from exact substitution: two independent computations. A row disagrees when
    the enclosure its guaranteed digits give and the closed form's ball are disjoint; then
    ``passed`` is False and no certificate built on the table may certify. ``passed`` is None
    when no row could be compared (``skipped`` says why)."""

    kind: ClassVar[str] = "closed-form-check"
    compared: int
    disagreements: list[str]
    not_compared: list[str]
    method: str
    skipped: str | None = None

    @property
    def passed(self) -> bool | None:
        if self.disagreements:
            return False
        return None if self.compared == 0 else True

    def lines(self) -> list[str]:
        if not self.compared and not self.disagreements:
            why = self.skipped or (self.not_compared[0] if self.not_compared else "no table row was resolved")
            return [f"numeric table not compared with the exact closed form: {why}"]
        state = ("every compared row agrees" if not self.disagreements
                 else f"DISAGREES at {len(self.disagreements)} row(s)")
        out = [f"numeric table vs exact closed form: {self.compared} row(s) compared, {state}  [{self.method}]"]
        out += [f"    {d}" for d in self.disagreements[:5]]
        if self.not_compared:
            out.append(f"    {len(self.not_compared)} row(s) not compared: {self.not_compared[0]}"
                       + (" …" if len(self.not_compared) > 1 else ""))
        return out

    def to_json(self) -> dict:
        return {"kind": self.kind, "passed": self.passed, "compared": self.compared,
                "disagreements": list(self.disagreements), "not_compared": list(self.not_compared),
                "method": self.method, "skipped": self.skipped}


_CLOSED_FORM_METHOD = ("√G²(t), √H²(t) of the exact restriction evaluated in ball arithmetic at the exact t; a row "
                       "disagrees when its guaranteed digits and the closed form's ball are disjoint")


def _enclosure(value: Confirmed) -> arb:
    """An interval holding the true value, from a table figure's guaranteed digits."""
    if value.zero_at_both:
        return arb(0)
    with working_precision(max(value.dps, 30)):
        middle = arb(mp.nstr(value.value, value.dps + 5, strip_zeros=False)) if value.value else arb(0)
        return arb(middle.mid(), abs(middle.mid()) * arb(10) ** (-value.digits) + middle.rad())


def closed_form_check(restriction: Restriction, table: NumericTable, *, deadline: float | None = None,
                      max_dps: int = MAX_DPS) -> ClosedFormCheck:
    """Compare every resolved row of ``table`` with the closed forms (see :class:`ClosedFormCheck`)."""
    t = restriction.parameter
    if not table.confirmed_rows():
        return ClosedFormCheck(0, [], [], _CLOSED_FORM_METHOD)
    try:
        field = VectorField([restriction.grad_sq, restriction.hess_sq], [t], name="closed form along the curve")
        with working_precision(30):
            field.ball([10])
    except UnsupportedForBalls as exc:
        return ClosedFormCheck(0, [], [], _CLOSED_FORM_METHOD, skipped=f"no ball arithmetic for it ({exc})")
    except (*_ROW_FAILURES, ValueError, DlnsmoothError):
        pass  # compiled; rows that cannot be evaluated are reported one by one
    compared, disagreements, not_compared = 0, [], []
    for row in table.confirmed_rows():
        if deadline is not None and time.perf_counter() >= deadline:
            not_compared.append(f"{table.parameter} = {row.t_text}: the time budget ran out")
            continue
        outcome = _compare_row(field, row, table.digits, max_dps, deadline, table.parameter)
        if outcome is None:
            compared += 1
        elif outcome.startswith("disagrees"):
            compared += 1
            disagreements.append(outcome[len("disagrees: "):])
        else:
            not_compared.append(outcome)
    return ClosedFormCheck(compared, disagreements, not_compared, _CLOSED_FORM_METHOD)


def _compare_row(field: VectorField, row: TableRow, digits: int, max_dps: int, deadline: float | None,
                 parameter: str) -> str | None:
    """None when the row agrees with the closed form; 'disagrees: …' or why it was not compared."""
    where = f"{parameter} = {row.t_text}"
    wanted = min(digits, 10)

    def evaluate(dps: int):
        return [nonnegative_sqrt(b) for b in field.ball([10**row.exponent])]

    try:
        closed = certify(evaluate, digits=wanted, start_dps=max(row.hess_norm.dps, wanted + 10),
                         max_dps=max(max_dps, row.hess_norm.dps + 1), deadline=deadline)
    except (*_ROW_FAILURES, ValueError, DlnsmoothError) as exc:
        return f"{where}: the closed form could not be evaluated ({type(exc).__name__})"
    with working_precision(max(row.hess_norm.dps, closed[1].dps, 30)):
        balls = [arb(0) if c.zero_at_both else _closed_ball(c) for c in closed]
        for name, table_value, closed_value, ball in zip(("‖∇f‖", "‖∇²f‖_F"), (row.grad_norm, row.hess_norm),
                                                          closed, balls):
            if ball is None:
                return f"{where}: the closed form of {name} has no guaranteed digit"
            if not _enclosure(table_value).overlaps(ball):
                shown = table_value.text(12) or "0"
                exact = "0" if closed_value.zero_at_both else (closed_value.text(12) or "unresolved")
                return f"disagrees: {where}: table {name} = {shown}, exact closed form = {exact}"
    return None


def _closed_ball(value: Confirmed) -> arb | None:
    if value.digits <= 0:
        return None
    return _enclosure(value)


@dataclass
class Growth(Evidence):
    """Growth exponents ‖∇f‖ ~ t^γ, ‖∇²f‖_F ~ t^η and the critical exponent ρ* (SPEC §3)."""

    kind: ClassVar[str] = "growth-exponents"
    exponents: GrowthExponents
    grad_slope: float | None = None
    hess_slope: float | None = None
    parameter: str = "t"

    @property
    def critical(self) -> sp.Expr | None:
        return self.exponents.critical

    def lines(self) -> list[str]:
        e = self.exponents
        if e.source == "symbolic":
            a = _exponent_shown(e.grad_exponent, e.gradient_vanishes, "∇f")
            b = _exponent_shown(e.hess_exponent, e.hessian_vanishes, "∇²f")
            p = self.parameter
            text = f"‖∇f‖ ~ {p}^{a}, ‖∇²f‖_F ~ {p}^{b}  [{e.method}]"
        else:
            text = "symbolic growth exponents unavailable (SymPy gave up)"
        numeric = ""
        if self.grad_slope is not None or self.hess_slope is not None:
            def slope(value: float | None, symbolic: sp.Expr | None) -> str:
                if value is None:
                    return "n/a"
                if symbolic == sp.oo:  # faster than any power: a slope per decade is no exponent
                    return "n/a (faster than any power)"
                if symbolic == -sp.oo:
                    return "n/a (decays faster than any power)"
                return f"{value:.4f}" if abs(value) < 1000 else f"{value:.4g}"

            fa = slope(self.grad_slope, e.grad_exponent if e.source == "symbolic" else None)
            fb = slope(self.hess_slope, e.hess_exponent if e.source == "symbolic" else None)
            numeric = f"; numeric slopes over the last decade: γ ≈ {fa}, η ≈ {fb}"
        crit = self.critical
        how = self.exponents.critical_source
        if crit is None:
            ctext = f"critical exponent ρ*: none — the curve refutes no ρ ≥ 0 or the limits do not decide [{how}]"
        elif crit == sp.oo:
            ctext = f"critical exponent ρ* = ∞: the curve refutes every ρ ≥ 0 [{how}]"
        else:
            ctext = f"critical exponent ρ* = {sp.sstr(crit)}: the curve refutes every ρ < ρ*, none above [{how}]"
        return [text + numeric, ctext]

    def to_json(self) -> dict:
        e = self.exponents
        return {"kind": self.kind, "source": e.source, "method": e.method, "grad_exponent": json_value(e.grad_exponent),
                "hess_exponent": json_value(e.hess_exponent), "gradient_vanishes": e.gradient_vanishes,
                "hessian_vanishes": e.hessian_vanishes,
                "grad_slope": self.grad_slope, "hess_slope": self.hess_slope,
                "critical_exponent": json_value(self.critical), "critical_source": self.exponents.critical_source}


@dataclass
class Premise(Evidence):
    """A hypothesis of the theorem being applied, checked exactly."""

    kind: ClassVar[str] = "premise"
    statement: str
    value: sp.Expr | str
    holds: bool
    consequence: str = ""

    def lines(self) -> list[str]:
        mark = "holds" if self.holds else "FAILS"
        out = [f"{self.statement}: {self.value if isinstance(self.value, str) else _show(self.value, 8)}  [{mark}]"]
        if self.consequence:
            out.append(f"    {self.consequence}")
        return out

    def to_json(self) -> dict:
        value = self.value if isinstance(self.value, str) else _show(self.value)
        return {"kind": self.kind, "statement": self.statement, "value": value, "holds": self.holds,
                "consequence": self.consequence}



@dataclass
class SpectralRow:
    """Bounds ``lower ≤ ‖∇²f(x(t))‖₂ ≤ upper`` at t = 10^exponent (``upper`` = ‖∇²f‖_F)."""

    exponent: int
    lower: Confirmed
    upper: Confirmed
    iterations: int
    converged: bool
    method: str = "power iteration"

    @staticmethod
    def _text(c: Confirmed, digits: int) -> str | None:
        return "0" if c.zero_at_both else c.text(digits)

    def to_json(self, wanted: int) -> dict:
        return {"t": f"1e{self.exponent}", "lower": self._text(self.lower, wanted),
                "upper": self._text(self.upper, wanted),
                "digits": min(self.lower.digits, self.upper.digits), "dps": self.upper.dps,
                "products": self.iterations, "direction": self.method, "converged": self.converged,
                "confirmed": all(c.zero_at_both or c.digits >= wanted for c in (self.lower, self.upper))}


@dataclass
class SpectralBounds(Evidence):
    """Rigorous bounds on the spectral norm: ``‖∇²f δ‖/‖δ‖ ≤ ‖∇²f‖₂ ≤ ‖∇²f‖_F``.

    The lower bound holds for *every* δ ≠ 0; power iteration or the Lanczos
    method with Hessian-vector products only chooses a good δ, so the bound is
    rigorous whether or not the iteration converged. Both figures are balls whose
    radius guarantees the printed digits.
    """

    kind: ClassVar[str] = "spectral-bounds"
    rows: list[SpectralRow]
    digits: int
    parameter: str = "t"

    def lines(self, max_digits: int = 12) -> list[str]:
        out = ["rigorous bounds lower ≤ ‖∇²f‖₂ ≤ ‖∇²f‖_F (ball arithmetic; lower = ‖∇²f δ‖/‖δ‖, δ from power "
               "iteration or the Lanczos method with Hessian-vector products — valid for any δ)"]
        for r in self.rows:
            lo = r._text(r.lower, max_digits) or "unconfirmed"
            hi = r._text(r.upper, max_digits) or "unconfirmed"
            state = "converged" if r.converged else "not converged (bound still rigorous)"
            out.append(f"{self.parameter} = 1e{r.exponent}: {lo} ≤ ‖∇²f‖₂ ≤ {hi}   "
                       f"[δ by {r.method}, {r.iterations} Hessian-vector products, {state}; {r.upper.dps} digits]")
        return out

    def to_json(self) -> dict:
        return {"kind": self.kind, "norm": "spectral", "digits": self.digits,
                "method": "ball arithmetic; lower bound ‖∇²f δ‖/‖δ‖ with δ from power iteration or the Lanczos "
                          "method (Hessian-vector products), upper bound ‖∇²f‖_F",
                "rows": [r.to_json(self.digits) for r in self.rows]}


def spectral_bounds(
    restriction: Restriction,
    exponents: list[int],
    *,
    digits: int = 15,
    base_dps: int = DEFAULT_DPS,
    max_dps: int = MAX_DPS,
) -> SpectralBounds | None:
    """:class:`SpectralBounds` at t = 10^k for the given k, or None when the objective has no
    structured spectral bound (``ball_spectral_bounds``)."""
    objective = restriction.objective
    if not hasattr(objective, "ball_spectral_bounds"):
        return None
    rows = []
    for k in exponents:
        t = 10**k
        info = {}

        def evaluate(dps: int, t: int = t, info: dict = info):
            lower, upper, bound = objective.ball_spectral_bounds(restriction.curve.ball_point(t))
            info["bound"] = bound
            return lower, upper

        start = min(base_dps + restriction.start_digits(t), max_dps // 2)
        zero = restriction.hessian_vanishes  # then both bounds are 0, proved symbolically
        lower, upper = certify(evaluate, digits=digits, start_dps=start, max_dps=max_dps, zero_ok=(zero, zero))
        bound = info["bound"]
        rows.append(SpectralRow(k, lower, upper, bound.iterations, bound.converged, bound.method))
    return SpectralBounds(rows, digits, restriction.parameter.name)


# -- the univariate decision (dlnsmooth.univariate) ---------------------------------------------------
@dataclass
class Continuity(Evidence):
    """Where f (unless given by f′), f′ and f″ are continuous, by SymPy's ``continuous_domain``:
    ``verified`` when every one is continuous on all of R (then r_ρ is bounded on compacts)."""

    kind: ClassVar[str] = "continuity"
    domains: dict[str, str]
    verified: bool
    seconds: float
    message: str = ""

    def lines(self) -> list[str]:
        if self.verified:
            parts = ", ".join(self.domains)
            return [f"{parts} continuous on all of R [SymPy continuous_domain = Reals, {self.seconds:.2f} s]; "
                    "so r_ρ is continuous and bounded on every compact interval"]
        return [f"continuity on R could not be verified: {self.message}"]

    def to_json(self) -> dict:
        return {"kind": self.kind, "domains": dict(self.domains), "verified": self.verified,
                "method": "SymPy continuous_domain", "seconds": round(self.seconds, 3), "message": self.message}


@dataclass
class TailBound(Evidence):
    """An upper bound of r_ρ = |f″|/(1 + |f′|^ρ) on one tail sign·x ≥ R: ``rigorous`` (ball
    arithmetic, :func:`dlnsmooth.bounds.tail_bound`) or not, ``upper`` None when none was found."""

    kind: ClassVar[str] = "tail-bound"
    sign: int
    rigorous: bool
    upper: mp.mpf | None
    method: str
    boxes: int = 0

    def text(self) -> str:
        side = "x ≥ R" if self.sign > 0 else "x ≤ −R"
        value = "unbounded/undetermined" if self.upper is None else f"≤ {mp.nstr(self.upper, 8)}"
        label = "rigorous" if self.rigorous else "estimate"
        return f"{side}: r_ρ {value}  [{label}; {self.method}]"

    def lines(self) -> list[str]:
        return [self.text()]

    def to_json(self) -> dict:
        return {"kind": self.kind, "side": "+" if self.sign > 0 else "-", "rigorous": self.rigorous,
                "upper": None if self.upper is None else json_value(self.upper), "method": self.method,
                "boxes": self.boxes}


@dataclass
class CompactBound(Evidence):
    """``lower ≤ sup r_ρ ≤ upper`` on [−R, R] by branch and bound in ball arithmetic (rigorous;
    :func:`dlnsmooth.bounds.compact_bound`), with a :class:`TailBound` for each tail |x| ≥ R."""

    kind: ClassVar[str] = "compact-bound"
    radius: sp.Rational
    upper: mp.mpf
    lower: mp.mpf
    argmax: mp.mpf
    boxes: int
    evaluations: int
    tails: list[TailBound]
    seconds: float

    @property
    def rigorous_everywhere(self) -> bool:
        """sup r_ρ on all of R is bounded rigorously: finite on [−R, R] and on both tails."""
        return mp.isfinite(self.upper) and all(t.rigorous and t.upper is not None for t in self.tails)

    def lines(self) -> list[str]:
        out = [f"on [−{self.radius}, {self.radius}]: {mp.nstr(self.lower, 10)} ≤ sup r_ρ ≤ {mp.nstr(self.upper, 10)} "
               f"(near x = {mp.nstr(self.argmax, 8)}) [ball arithmetic branch and bound, {self.boxes} boxes, "
               f"{self.evaluations} ball evaluations, {self.seconds:.2f} s; rigorous]"]
        out.extend(f"tail {t.text()}" for t in self.tails)
        return out

    def to_json(self) -> dict:
        return {"kind": self.kind, "radius": sp.sstr(self.radius), "upper": json_value(self.upper),
                "lower": json_value(self.lower), "argmax": json_value(self.argmax), "boxes": self.boxes,
                "evaluations": self.evaluations, "method": "branch and bound in ball arithmetic (python-flint arb)",
                "tails": [t.to_json() for t in self.tails], "rigorous_everywhere": self.rigorous_everywhere,
                "seconds": round(self.seconds, 3)}


@dataclass
class ConstantsCheck(Evidence):
    """Explicit constants checked against :class:`~dlnsmooth.conditions.HessianGrowth` at sample
    points in ball arithmetic (:func:`check_constants`): ``violations`` are points where the
    inequality is refuted for certain, ``undecided`` points where the balls could not tell.
    ``largest_ratio`` is the largest lower bound of r_ρ = |f″|/(1 + |f′|^ρ) seen, at x = ``at``.
    A check at points, not a proof on R."""

    kind: ClassVar[str] = "constants-check"
    points: int
    violations: list[str]
    largest_ratio: mp.mpf
    at: str
    max_abs_x: str
    undecided: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No point refutes the constants."""
        return not self.violations

    def text(self) -> str:
        state = "holds at every point" if self.ok else f"VIOLATED at {len(self.violations)} point(s): " + ", ".join(
            self.violations[:5])
        if self.undecided:
            state += f" ({len(self.undecided)} point(s) undecided by the balls: {', '.join(self.undecided[:5])})"
        return (f"HessianGrowth |f″| ≤ C0 + C1|f′|^ρ checked in ball arithmetic at {self.points} points (|x| up to "
                f"{self.max_abs_x}): {state}; largest r_ρ seen {mp.nstr(self.largest_ratio, 10)} at x = {self.at}")

    def lines(self) -> list[str]:
        return [self.text()]

    def to_json(self) -> dict:
        return {"kind": self.kind, "points": self.points, "violations": list(self.violations),
                "undecided": list(self.undecided), "ok": self.ok, "largest_ratio": json_value(self.largest_ratio),
                "at": self.at, "max_abs_x": self.max_abs_x}


@dataclass
class ExplicitConstants(Evidence):
    """C0 = C1 = M with M ≥ sup r_ρ, so that |f″| ≤ M(1 + |f′|^ρ) = C0 + C1|f′|^ρ on R:
    ``certified`` when M comes from a rigorous bound on all of R, an estimate otherwise."""

    kind: ClassVar[str] = "explicit-constants"
    rho: sp.Rational
    C0: sp.Rational
    C1: sp.Rational
    certified: bool
    why: str
    check: ConstantsCheck | None = None

    def __post_init__(self) -> None:
        if self.C0 != self.C1:
            raise ValueError(f"explicit constants are C0 = C1 = M; got C0 = {self.C0}, C1 = {self.C1}")

    @property
    def condition(self) -> HessianGrowth:
        """The inequality the constants claim (spectral norm; for n = 1 every Hessian norm is |f″|)."""
        return HessianGrowth(self.rho, self.C0, self.C1, norm="spectral")

    def lines(self) -> list[str]:
        label = "certified" if self.certified else "estimate"
        out = [f"C0 = {sp.sstr(self.C0)}, C1 = {sp.sstr(self.C1)} for ρ = {sp.sstr(self.rho)}  [{label}: {self.why}]"]
        if self.check is not None:
            out.append(self.check.text())
        return out

    def to_json(self) -> dict:
        return {"kind": self.kind, "rho": sp.sstr(self.rho), "C0": sp.sstr(self.C0), "C1": sp.sstr(self.C1),
                "C0_decimal": mp.nstr(to_mpf(self.C0), 12), "certified": self.certified, "why": self.why,
                "check": self.check.to_json() if self.check is not None else None}


#: precisions (decimal digits) of :func:`check_constants` are capped here
CONSTANTS_CHECK_MAX_DPS = 4000


def _check_dps(objective: Objective, point: sp.Rational) -> int:
    """Digits for the balls at ``point``: more for large |x| (cancellation in sin x, eˣ …)."""
    size = abs(point)
    digits = 0 if size < 10 else int(math.log10(float(size)))
    extra = objective.condition_digits([point]) if size < 10**6 else 2 * digits
    return min(40 + 3 * digits + extra, CONSTANTS_CHECK_MAX_DPS)


def _point_verdict(objective: Objective, unit: HessianGrowth, claimed: HessianGrowth, point: sp.Rational,
                   dps: int) -> tuple[str, arb]:
    """The claimed inequality's verdict at ``point`` and a lower bound of r_ρ there, from one ball
    evaluation of f′ and f″ (r_ρ is the ratio of the sides of the unit condition C0 = C1 = 1)."""
    with working_precision(dps):
        gradient, hessian = objective.ball_derivatives([point])
        grad_norm, hess_norm = abs(gradient[0]), abs(hessian[0][0])
        low, _ = unit.sides_from_norms(grad_norm, hess_norm).ratio_bounds()
        return claimed.sides_from_norms(grad_norm, hess_norm).verdict, low


def check_constants(objective: Objective, constants: ExplicitConstants, points: Sequence[sp.Rational], *,
                    deadline: float = math.inf, minimum: int = 50) -> ConstantsCheck:
    """Check ``constants`` (their :class:`~dlnsmooth.conditions.HessianGrowth`) at each point of
    ``points`` (exact numbers) in ball arithmetic, precision rising with |x| and doubled once
    where the balls cannot decide. After ``deadline`` (``time.perf_counter()``) the check stops
    once ``minimum`` points were checked; points where f or its balls are undefined are skipped."""
    unit = HessianGrowth(constants.rho, 1, 1)
    claimed = constants.condition
    violations: list[str] = []
    undecided: list[str] = []
    largest, at, count, biggest = mp.mpf(0), "0", 0, sp.Integer(0)
    for point in points:
        point = sp.Rational(point)
        if time.perf_counter() > deadline and count >= minimum:
            break
        dps = _check_dps(objective, point)
        try:
            verdict, low = _point_verdict(objective, unit, claimed, point, dps)
            if verdict == "undecided":
                verdict, low = _point_verdict(objective, unit, claimed, point, min(2 * dps, CONSTANTS_CHECK_MAX_DPS))
        except (DlnsmoothError, ValueError, ZeroDivisionError, OverflowError):
            continue
        count += 1
        biggest = max(biggest, abs(point))
        ratio = ball_to_mpf(low)
        if ratio > largest:
            largest, at = ratio, sp.sstr(point)
        if verdict == "refuted":
            violations.append(sp.sstr(point))
        elif verdict == "undecided":
            undecided.append(sp.sstr(point))
    return ConstantsCheck(count, violations, largest, at, f"{float(biggest):.0e}", undecided)
