"""Bregman conditions of a loss of several variables, and the route for separable sums F(u) = Σ_i F_i(u_i).

Definitions (a reconstruction of seed 002 (abstract only), SPEC §4.3): for a convex C¹ F : Rⁿ → R,
d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩, and with the Euclidean norm ‖·‖,
H(φ, c)-convexity: d_F(g, h) ≥ c‖g − h‖^p, H(Φ, c)-smoothness: d_F(g, h) ≤ c‖g − h‖^q, for all g, h
(relative form: h = u*, a minimiser).

This module holds what every loss of several variables shares — :class:`VectorPairSequence` (pairs
g(t), h(t) ∈ Rⁿ with the ratio d_F/‖g − h‖^p along them: a symbolic limit under a budget and a ball
table) and :class:`VectorDecision` (the decision record, the same fields as the univariate
:class:`~dlnsmooth.bregman.decide.BregmanDecision` plus the variables) — and the separable route.

**Separable sums.** d_F(g, h) = Σ_i d_{F_i}(g_i, h_i) and ‖v‖² = Σ_i v_i², v = g − h. With c_i the best
constant of the term F_i (decided by :func:`~dlnsmooth.bregman.decide.decide_bregman`) and k the number of
terms:

* p = 2: Σ c_i v_i² lies between min_i c_i ‖v‖² and max_i c_i ‖v‖², and along one coordinate (the
  other coordinates equal in g and h) the ratio is the term's own, so the best constants are exactly
  min_i c_i (convexity) and max_i c_i (smoothness), attained or approached where the term's are;
* other p: Σ_i |v_i|^p ≥ ‖v‖^p for p ≤ 2 and ≥ k^(1 − p/2)‖v‖^p for p ≥ 2 (power means), and
  Σ_i |v_i|^q ≤ ‖v‖^q for q ≥ 2, ≤ k^(1 − q/2)‖v‖^q for q ≤ 2 (Hölder). So convexity holds with best
  constant exactly min c_i for p < 2 and in [k^(1 − p/2) min c_i, min c_i] for p > 2; smoothness exactly
  max c_i for q > 2 and in [max c_i, k^(1 − q/2) max c_i] for q < 2 (the coordinate directions give the
  other end);
* a refuted term refutes F: its pair sequence, lifted to F with the other coordinates equal in g and h
  (at 0), has exactly the term's ratio; the lift is certified again on the full F (limit and table);
* otherwise ``undecided``, naming the term. A variable F does not depend on is a term F_j = 0:
  d_F vanishes along it (convexity refuted for every p, smoothness unaffected).

The set of exponents of a separable F is the intersection of its terms' sets (the bullets above).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sympy as sp
from flint import arb

from ..balls import guaranteed_digits
from ..conditions import divergence_expression
from ..errors import InvalidRhoError, UnsupportedForBalls
from ..limits import LimitOutcome, limit_at_infinity
from ..numbers import compare, parse_number, to_arb
from ..objective import VectorField
from ..precision import working_precision
from ..results import Result, json_value
from .decide import BregmanDecision, Kind, decide_bregman
from .divergence import RECONSTRUCTION_NOTE, BregmanLoss
from .exponents import ExponentSet, bregman_exponents

__all__ = [
    "VectorPairSequence",
    "VectorRow",
    "VectorDecision",
    "SeparableTerm",
    "parse_exponent",
    "separable_terms",
    "decide_separable_bregman",
    "separable_exponents",
    "intersect_exponent_sets",
    "constant_text",
]

#: Ball-table parameters t = 10^1 … 10^TABLE_DECADES.
TABLE_DECADES = 6
#: Precision cap of a table row (decimal digits).
_MAX_TABLE_DPS = 400
#: Digits a table row aims to guarantee.
_TABLE_DIGITS = 10
#: Seconds of each symbolic limit of a pair sequence.
LIMIT_BUDGET = 10.0
#: Largest exponent accepted.
MAX_EXPONENT = sp.Integer(10**6)


def parse_exponent(value: object, name: str = "p") -> sp.Rational:
    """The exponent p (or q) of a norm power: an exact rational with 0 < p ≤ 10⁶."""
    if isinstance(value, float) and math.isnan(value):
        raise InvalidRhoError(f"{name} is NaN; expected a number > 0")
    number = parse_number(value, what=f"exponent {name}")
    if number <= 0:
        raise InvalidRhoError(f"exponent {name} = {sp.sstr(number)} must be > 0")
    if number > MAX_EXPONENT:
        raise InvalidRhoError(f"exponent {name} = {sp.sstr(number)} is beyond the limit 10^6")
    return number


def constant_text(value: sp.Expr | None) -> str:
    if value is None:
        return "—"
    text = sp.sstr(value)
    if isinstance(value, sp.Rational) or not value.is_number:
        return text
    return f"{text} ≈ {sp.N(value, 8)}"


@dataclass(frozen=True)
class VectorRow:
    """One ball-table row: t = 10^k and the ratio at (g(t), h(t)) with its guaranteed digits."""

    t: sp.Integer
    ratio: str
    digits: int

    def to_json(self) -> dict:
        return {"t": sp.sstr(self.t), "ratio": self.ratio, "digits": self.digits}


def _row_text(ball: arb | None, text: str, digits: int) -> str:
    if ball is None or not ball.is_finite():
        return "not enclosed"
    if ball.is_zero():
        return "0"
    if digits == 0:
        return f"0 ± {float(ball.abs_upper()):.1e}"
    return text


@dataclass
class VectorPairSequence(Result):
    """Pairs (g(t), h(t)) ∈ Rⁿ × Rⁿ, t → ∞, and the ratio d_F(g, h)/‖g − h‖^p along them; ``target`` is what
    the ratio should do: ``zero`` (refutes convexity), ``infinite`` (refutes smoothness) or ``value`` (the
    ratio approaches a best constant: ``expected``)."""

    json_kind = "bregman-sequence"
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    p: sp.Rational
    g: tuple[sp.Expr, ...]
    h: tuple[sp.Expr, ...]
    parameter: sp.Symbol
    description: str
    target: str
    expected: sp.Expr | None = None
    identically_zero: bool = False
    limit: LimitOutcome | None = None
    rows: list[VectorRow] = field(default_factory=list)
    table_note: str = ""

    @property
    def divergence(self) -> sp.Expr:
        return divergence_expression(self.expr, self.variables, self.g, self.h)

    @property
    def ratio(self) -> sp.Expr:
        norm_sq = sp.Add(*((gi - hi) ** 2 for gi, hi in zip(self.g, self.h)))
        return self.divergence / norm_sq ** (self.p / 2)

    @property
    def confirmed(self) -> bool:
        """The ratio does what ``target`` says: d_F ≡ 0 proved (``zero``) or the symbolic limit."""
        if self.target == "zero" and self.identically_zero:
            return True
        if self.limit is None:
            return False
        if self.target == "infinite":
            return self.limit.kind == "infinite"
        if self.target == "zero":
            return self.limit.kind == "finite" and self.limit.value == 0
        return self.limit.kind == "finite" and self.expected is not None and sp.simplify(
            self.limit.value - self.expected) == 0

    def certify(self, *, limit_budget: float = LIMIT_BUDGET, decades: int = TABLE_DECADES,
                deadline: float | None = None) -> VectorPairSequence:
        """Compute the limit (or prove d_F ≡ 0 when the target is zero) and the ball table."""
        if self.target == "zero":
            self.identically_zero = sp.simplify(sp.expand_log(self.divergence, force=True)) == 0
        if not self.identically_zero:
            self.limit = limit_at_infinity(self.ratio, self.parameter, seconds=limit_budget, deadline=deadline)
        self.rows = self._table(decades)
        return self

    def _table(self, decades: int) -> list[VectorRow]:
        try:
            field_ = VectorField([self.ratio], [self.parameter], name="ratio", smooth=False)
            rows = []
            for k in range(1, decades + 1):
                t = sp.Integer(10) ** k
                dps, ball = 30, None
                while dps <= _MAX_TABLE_DPS:
                    with working_precision(dps):
                        ball = field_.ball([to_arb(t)])[0]
                        digits = guaranteed_digits(ball)
                        text = ball.str(min(max(digits, 1), 12), radius=False) if ball.is_finite() else "nan"
                    if digits >= _TABLE_DIGITS or ball.is_zero() or (self.identically_zero and ball.is_finite()):
                        break
                    dps *= 2
                rows.append(VectorRow(t, _row_text(ball, text, digits), digits))
            return rows
        except UnsupportedForBalls as exc:
            self.table_note = f"no ball table: {exc}"
            return []

    def report(self) -> str:
        lines = [f"pair sequence ({self.description}), t → ∞:",
                 "  g(t) = (" + ", ".join(sp.sstr(x) for x in self.g) + ")",
                 "  h(t) = (" + ", ".join(sp.sstr(x) for x in self.h) + ")"]
        if self.identically_zero:
            lines.append("  d_F(g(t), h(t)) = 0 for every t (identity verified symbolically): the ratio is 0")
        elif self.limit is not None:
            lines.append(f"  lim ratio = {self.limit.value_text()} ({self.limit.kind}; {self.limit.status})")
        for row in self.rows:
            digits = f"  ({row.digits} digits guaranteed)" if row.digits else ""
            lines.append(f"  t = {sp.sstr(row.t):>8}: ratio = {row.ratio}{digits}")
        if self.table_note:
            lines.append(f"  {self.table_note}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"description": self.description, "g": [sp.sstr(x) for x in self.g],
                "h": [sp.sstr(x) for x in self.h], "parameter": self.parameter.name, "p": sp.sstr(self.p),
                "target": self.target, "identically_zero": self.identically_zero,
                "limit": None if self.limit is None else {"value": json_value(self.limit.value),
                                                          "kind": self.limit.kind, "status": self.limit.status},
                "confirmed": self.confirmed, "table": [r.to_json() for r in self.rows]}


@dataclass
class VectorDecision(BregmanDecision):
    """The decision of d_F(g, h) ≥ c‖g − h‖^p (convex) or ≤ c‖g − h‖^p (smooth) for all g, h ∈ Rⁿ: the
    fields of :class:`~dlnsmooth.bregman.decide.BregmanDecision`, with ``variables``, the route's name
    (``separable`` or ``log-sum-exp``), an approach sequence (``approach``, a sequence along which the
    ratio tends to the best constant) and per-term decisions for separable sums."""

    variables: tuple[str, ...] = ()
    method: str = ""
    approach: VectorPairSequence | None = None
    terms: list[BregmanDecision] = field(default_factory=list)
    term_names: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def _inequality(self) -> str:
        relation = "≥" if self.kind == "convex" else "≤"
        h = "u*" if self.minimiser else "h"
        return f"d_F(g, {h}) {relation} c‖g − {h}‖^{sp.sstr(self.p)}"

    def report(self) -> str:
        name = "H(φ)-convex" if self.kind == "convex" else "H(Φ)-smooth"
        lines = [f"{self.loss}: {name} with exponent {sp.sstr(self.p)} ({self._inequality()} for all pairs) — "
                 f"{self.verdict}", f"  route: {self.method}"]
        if self.constant is not None:
            lines.append(f"  best constant c = {constant_text(self.constant)} (proved)")
        elif self.constant_bounds is not None:
            lo, hi = self.constant_bounds
            lines.append(f"  best constant c in [{constant_text(lo)}, {constant_text(hi)}] (proved enclosure)")
        if self.attained:
            lines.append(f"  {self.attained}")
        lines.extend(f"  - {step}" for step in self.route)
        for variable, term in zip(self._term_variables(), self.terms):
            lines.append(f"  term in {variable}: {term.verdict}{_term_constant_text(term)}"
                         + (f"; {term.route[-1]}" if term.route else ""))
        for sequence in (self.certificate, self.approach):
            if sequence is not None:
                lines.extend("  " + line for line in sequence.report().splitlines())
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)

    def _term_variables(self) -> list[str]:
        return list(self.term_names)

    def to_json(self) -> dict:
        bounds = None if self.constant_bounds is None else [json_value(b) for b in self.constant_bounds]
        return {"loss": self.loss, "variables": list(self.variables), "kind": self.kind, "p": sp.sstr(self.p),
                "minimiser": self.minimiser, "verdict": self.verdict, "method": self.method,
                "constant": json_value(self.constant), "constant_bounds": bounds, "attained": self.attained,
                "route": list(self.route),
                "certificate": None if self.certificate is None else self.certificate.to_json(),
                "approach": None if self.approach is None else self.approach.to_json(),
                "terms": [{"variable": name, **term.to_json()} for name, term in zip(self.term_names, self.terms)],
                "notes": list(self.notes),
                "seconds": round(self.seconds, 3)}


# -- the separable route ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeparableTerm:
    """F_i(u_i): the part of F in one variable (0 when F does not depend on it)."""

    variable: sp.Symbol
    expr: sp.Expr


def separable_terms(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> list[SeparableTerm] | None:
    """F = Σ_i F_i(u_i) + constant as its terms (one per variable, in order), or None when a top-level
    term of F depends on several variables."""
    groups: dict[sp.Symbol, list[sp.Expr]] = {v: [] for v in variables}
    for piece in sp.Add.make_args(sp.expand(expr, deep=False, mul=False, power_exp=False, power_base=False,
                                            log=False, multinomial=False)):
        symbols = piece.free_symbols
        if len(symbols) > 1:
            return None
        if symbols:
            groups[next(iter(symbols))].append(piece)
    return [SeparableTerm(v, sp.Add(*groups[v])) for v in variables]


class _Clock:
    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.perf_counter())


def _anchors(terms: Sequence[SeparableTerm], index: int, minimiser: bool, clock: _Clock) -> list[sp.Expr] | None:
    """Where the coordinates other than ``index`` sit (equal in g and h): 0 in the two-point form; in the relative
    form a minimiser of each term (any value for a term F_j = 0), None when a term has none or it is not found."""
    anchors: list[sp.Expr] = []
    for i, term in enumerate(terms):
        if i == index or term.expr == 0 or not minimiser:
            anchors.append(sp.Integer(0))
            continue
        found = BregmanLoss(term.expr, term.variable).minimisers(time_budget=max(0.5, min(5.0, clock.left() / 2)))
        if not found:
            return None
        anchors.append(found[0])
    return anchors


def _lift(expr: sp.Expr, variables: Sequence[sp.Symbol], index: int, g: sp.Expr, h: sp.Expr, p: sp.Rational,
          target: str, description: str, clock: _Clock, anchors: Sequence[sp.Expr]) -> VectorPairSequence:
    parameter = next(iter(sorted((g - h).free_symbols | g.free_symbols | h.free_symbols, key=str)), sp.Symbol("t"))
    gs = tuple(g if i == index else anchors[i] for i in range(len(variables)))
    hs = tuple(h if i == index else anchors[i] for i in range(len(variables)))
    sequence = VectorPairSequence(expr, tuple(variables), p, gs, hs, parameter, description, target)
    return sequence.certify(limit_budget=min(LIMIT_BUDGET, max(clock.left() / 2, 0.5)), decades=4)


def _no_anchor(decision: VectorDecision, name: str) -> None:
    decision.verdict = "undecided"
    decision.route.append(f"the relative form needs a minimiser of every term; one of the terms other than {name} "
                          "has none, or it was not found within the budget")


def _zero_term(decision: VectorDecision, expr: sp.Expr, terms: Sequence[SeparableTerm], index: int,
               clock: _Clock) -> None:
    t = sp.Symbol("t", positive=True)
    variables = [term.variable for term in terms]
    name = variables[index].name
    anchors = _anchors(terms, index, decision.minimiser, clock)
    if anchors is None:
        _no_anchor(decision, name)
        return
    sequence = _lift(expr, variables, index, t, sp.Integer(0), decision.p, "zero",
                     f"F does not depend on {name}: g − h = t·e_{name}", clock, anchors)
    decision.verdict = "refuted" if sequence.confirmed else "undecided"
    decision.certificate = sequence
    decision.route.append(f"F does not depend on {name}: d_F(h + t·e_{name}, h) = 0 for every t (verified "
                          "symbolically), so no c > 0 works for any exponent")


def _term_constant_text(term: BregmanDecision) -> str:
    if term.constant is not None:
        return f", c = {constant_text(term.constant)}"
    if term.constant_bounds is not None:
        return f", c ∈ [{', '.join(constant_text(b) for b in term.constant_bounds)}]"
    return ""


def _term_constant(term: BregmanDecision) -> tuple[sp.Expr, sp.Expr] | None:  # None: not determined
    if term.constant is not None:
        return term.constant, term.constant
    return term.constant_bounds


def _extreme(values: list[sp.Expr], pick: Callable[[int], bool]) -> sp.Expr:
    best = values[0]
    for value in values[1:]:
        if pick(compare(value, best)):
            best = value
    return best


def _combine(decision: VectorDecision, terms: list[BregmanDecision], count: int) -> None:
    """Best constants of the sum from the terms' (module docstring)."""
    enclosures = [_term_constant(t) for t in terms]
    if any(e is None for e in enclosures):
        decision.verdict = "holds"
        decision.route.append("d_F = Σ_i d_F_i(g_i, h_i) and every term holds (routes in 'terms'), so the sum holds; "
                              "a term's best constant is not determined, so the sum's is not either")
        return
    exact = all(t.constant is not None for t in terms)
    p, convex = decision.p, decision.kind == "convex"
    factor = sp.Integer(count) ** (1 - p / 2)
    lows, highs = [e[0] for e in enclosures], [e[1] for e in enclosures]
    pick = (lambda s: s < 0) if convex else (lambda s: s > 0)
    lo, hi = _extreme(lows, pick), _extreme(highs, pick)
    index = [compare(value, lo) == 0 for value in lows].index(True)
    if convex and compare(p, 2) > 0 and count > 1:
        lo, exact = lo * factor, False
    if not convex and compare(p, 2) < 0 and count > 1:
        hi, exact = hi * factor, False
    decision.verdict = "holds"
    if exact:
        decision.constant = lo
    else:
        decision.constant_bounds = (lo, hi)
    best = terms[index]
    where = f"along {decision.variables[index]} (the other coordinates equal in g and h)"
    decision.attained = f"{where}: {best.attained}" if best.attained else where
    which = "min" if convex else "max"
    power_mean = "" if compare(p, 2) == 0 or count == 1 else (
        f", times the power-mean factor k^(1 − p/2) = {sp.sstr(factor)} (k = {count}) at one end")
    decision.route.append(f"d_F = Σ_i d_F_i(g_i, h_i) and every term holds (routes in 'terms'), so the sum holds "
                          f"with {which}_i c_i{power_mean}; along one coordinate the ratio is that term's")


def decide_separable_bregman(expr: sp.Expr, variables: Sequence[sp.Symbol], *, kind: Kind, p: object,
                             minimiser: bool = False, time_budget: float = 30.0, label: str | None = None,
                             terms: list[SeparableTerm] | None = None) -> VectorDecision:
    """Decide H(φ)-convexity / H(Φ)-smoothness of a separable F = Σ F_i(u_i) (module docstring)."""
    start = time.perf_counter()
    clock = _Clock(time_budget)
    exponent = parse_exponent(p)
    terms = terms if terms is not None else separable_terms(expr, variables)
    if terms is None:
        raise ValueError("F is not a separable sum Σ F_i(u_i)")
    decision = VectorDecision(loss=label or sp.sstr(expr), kind=kind, p=exponent, minimiser=minimiser,
                              variables=tuple(v.name for v in variables), method="separable",
                              notes=[RECONSTRUCTION_NOTE])
    live = [(i, term) for i, term in enumerate(terms) if term.expr != 0]
    for i, term in enumerate(terms):
        if term.expr == 0 and kind == "convex":
            _zero_term(decision, expr, terms, i, clock)
            decision.seconds = time.perf_counter() - start
            return decision
    decided: list[BregmanDecision] = []
    for position, (i, term) in enumerate(live):
        share = clock.left() / (len(live) - position)
        outcome = decide_bregman(BregmanLoss(term.expr, term.variable), kind=kind, p=exponent, minimiser=minimiser,
                                 time_budget=max(share, 0.5), progress=False)
        decided.append(outcome)
        decision.terms.append(outcome)
        decision.term_names.append(term.variable.name)
        if outcome.verdict == "refuted":
            _refute(decision, expr, terms, i, outcome, clock)
            decision.seconds = time.perf_counter() - start
            return decision
    undecided = [variables[i].name for (i, _), t in zip(live, decided) if t.verdict != "holds"]
    if undecided:
        decision.verdict = "undecided"
        decision.route.append(f"the term(s) in {', '.join(undecided)} could not be decided; no term is refuted")
    elif not live:
        decision.verdict = "holds"
        decision.constant = sp.Integer(0)
        decision.route.append("F is constant: d_F = 0 ≤ 0·‖g − h‖^q")
    else:
        _combine(decision, decided, len(live))
    decision.seconds = time.perf_counter() - start
    return decision


def _refute(decision: VectorDecision, expr: sp.Expr, terms: Sequence[SeparableTerm], index: int,
            term: BregmanDecision, clock: _Clock) -> None:
    variables = [t.variable for t in terms]
    name = variables[index].name
    certificate = term.certificate
    where = "at minimisers of their terms" if decision.minimiser else "at 0"
    decision.route.append(f"the term in {name} is refuted; its pair sequence, with the other coordinates equal in "
                          f"g and h ({where}), has exactly the term's ratio")
    if certificate is None:
        decision.verdict = "refuted"
        decision.route.append("the term's refutation (no pair sequence): " + "; ".join(term.route))
        return
    anchors = _anchors(terms, index, decision.minimiser, clock)
    if anchors is None:
        _no_anchor(decision, name)
        return
    target = "zero" if decision.kind == "convex" else "infinite"
    lifted = _lift(expr, variables, index, certificate.g, certificate.h, decision.p, target,
                   f"the term in {name}'s sequence, lifted", clock, anchors)
    decision.certificate = lifted
    decision.verdict = "refuted"
    if not lifted.confirmed:
        decision.notes.append("the lifted sequence's limit on the full F was not computed within the budget; the "
                              "refutation rests on the term's certificate (the ratios are identical)")


# -- exponent sets --------------------------------------------------------------------------------------
def _lower(s: ExponentSet) -> tuple[sp.Expr, bool]:
    return (s.lower, s.lower_closed) if s.lower is not None else (sp.Integer(0), False)


def _upper(s: ExponentSet) -> tuple[sp.Expr, bool]:
    return (s.upper, s.upper_closed) if s.upper is not None else (sp.oo, False)


def intersect_exponent_sets(sets: list[ExponentSet], *, loss: str, kind: Kind, minimiser: bool) -> ExponentSet:
    """The intersection of intervals of exponents (an empty set when any is empty or they do not meet)."""
    result = ExponentSet(loss=loss, kind=kind, minimiser=minimiser, notes=[RECONSTRUCTION_NOTE])
    for s in sets:
        result.undecided.extend(s.undecided)
        result.reasons.extend(s.reasons)
    if any(s.empty for s in sets):
        result.empty = True
        return result
    lo, lo_closed = sp.Integer(0), False
    hi, hi_closed = sp.oo, False
    for s in sets:
        value, closed = _lower(s)
        if value > lo or (value == lo and not closed):
            lo, lo_closed = value, closed if value > lo else lo_closed and closed
        value, closed = _upper(s)
        if value < hi or (value == hi and not closed):
            hi, hi_closed = value, closed if value < hi else hi_closed and closed
    if lo > hi or (lo == hi and not (lo_closed and hi_closed)):
        result.empty = True
        result.reasons.append("the terms' sets do not meet")
        return result
    result.lower, result.lower_closed = lo, lo_closed
    result.upper, result.upper_closed = (None, False) if hi == sp.oo else (hi, hi_closed)
    return result


def separable_exponents(expr: sp.Expr, variables: Sequence[sp.Symbol], *, kind: Kind, minimiser: bool = False,
                        time_budget: float = 30.0, label: str | None = None,
                        terms: list[SeparableTerm] | None = None) -> ExponentSet:
    """The exponents for which the separable F is H(φ)-convex / H(Φ)-smooth: the intersection of its terms'."""
    clock = _Clock(time_budget)
    terms = terms if terms is not None else separable_terms(expr, variables)
    if terms is None:
        raise ValueError("F is not a separable sum Σ F_i(u_i)")
    label = label or sp.sstr(expr)
    if kind == "convex" and any(term.expr == 0 for term in terms):
        absent = next(term.variable.name for term in terms if term.expr == 0)
        return ExponentSet(loss=label, kind=kind, minimiser=minimiser, empty=True,
                           reasons=[f"F does not depend on {absent}: d_F(t·e_{absent}, 0) = 0 for every t"],
                           notes=[RECONSTRUCTION_NOTE])
    live = [term for term in terms if term.expr != 0]
    sets = []
    for position, term in enumerate(live):
        share = clock.left() / (len(live) - position)
        term_set = bregman_exponents(BregmanLoss(term.expr, term.variable), kind=kind, minimiser=minimiser,
                                     time_budget=max(share, 0.5))
        term_set.reasons[:] = [f"{term.variable.name}: {reason}" for reason in term_set.reasons]
        sets.append(term_set)
    combined = intersect_exponent_sets(sets, loss=label, kind=kind, minimiser=minimiser)
    combined.reasons.insert(0, "the intersection of the terms' sets (a term's obstruction lifts along its "
                               "coordinate; the power-mean inequalities carry the terms' bounds to the sum)")
    return combined

