"""Machinery shared by the verification scripts of SPEC §2–§3.

A proof module states its claim, computes typed evidence and renders it into a
:class:`~dlnsmooth.report.ClaimReport`; what several proofs need lives here, so that no proof
imports another:

* outcomes — :func:`all_of`, the three-valued "all" (True / False / None = undecided),
  :func:`expected_verdict` (is a computed verdict the one a claim needs?), and the words and marks
  that render an outcome;
* formatters — exact numbers (:func:`exact_text`, :func:`limit_text`), points, estimates
  (:func:`mpf_text`, labelled as such by the caller) and balls rounded outward
  (:func:`ball_upper_text`, :func:`ball_lower_text`);
* exact non-negativity certificates — :func:`nonnegativity_certificate` decides
  g(a) ≥ 0 for every a ≥ 0 when g is a sum of c·a^e with rational e (:class:`Positivity`), and
  :func:`nonnegative_on_orthant` proves a rational function ≥ 0 on the orthant from the signs of
  its coefficients;
* pairs and fields — :func:`random_pairs` (reproducible dyadic pairs), :class:`MemoField`
  (a field remembering its values), :class:`SharedAggregates` (a pair condition's segment
  aggregate computed once per pair), :func:`ball_within` (the catalogue's comparison of two
  balls, :meth:`~dlnsmooth.conditions.BallSides.within`) and :class:`SegmentBalls` (D, ‖D‖ and
  d/dθ ‖D(x_θ)‖² along a segment in ball arithmetic, on θ-cells);
* Hessian growth (Props 5 and 6) — the example objectives with their sharp constants, the
  bound checked at a list of points (:func:`hessian_bound_at_points`) and the search for a
  violating point along a ray (:func:`find_violation`);
* negative controls and cross-checks — every certifying routine a proof uses is also given statements
  known to be false (and true) inside the proof (:func:`positivity_controls`, :func:`orthant_controls`,
  :func:`catalogue_controls`, rendered by :class:`Controls`), and numeric tables are compared with exact
  closed forms (:func:`table_agreement`) and with SymPy's own Hessian (:func:`sympy_hess_sq`).

Balls are evaluated by the package's compiled fields (:meth:`~dlnsmooth.objective.VectorField.ball`)
at the current flint precision: wrap calls in :func:`~dlnsmooth.precision.working_precision`.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from fractions import Fraction
from functools import cache

import mpmath as mp
import sympy as sp
from flint import arb, ctx

from dlnsmooth.certificate import Certificate
from dlnsmooth.conditions import BallSides, Check, GloballyLipschitz, HessianGrowth, PairCondition, RhoIntegrated, RhoOrder
from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.experiments.cooper_line import LineNetwork, certify_line
from dlnsmooth.numbers import ball_to_mpf, decimal_text, integer_power, parse_rho, to_arb, to_mpf
from dlnsmooth.objective import Objective, VectorField
from dlnsmooth.precision import DEFAULT_DPS, working_precision
from dlnsmooth.report import CheckOutcome, ClaimReport
from dlnsmooth.segment import Segment

__all__ = [
    "ProofStep",
    "Pair",
    "all_of",
    "PartResults",
    "verdict_word",
    "outcome_mark",
    "exact_text",
    "limit_text",
    "point_text",
    "mpf_text",
    "ball_upper_text",
    "ball_lower_text",
    "Piece",
    "Positivity",
    "nonnegativity_certificate",
    "nonnegative_on_orthant",
    "random_pairs",
    "exact_pair",
    "MemoField",
    "SharedAggregates",
    "ball_within",
    "with_jacobian",
    "SegmentBalls",
    "expected_verdict",
    "RHO_X4",
    "C1_X4",
    "GROWTH_DPS",
    "quartic",
    "radial_quartic",
    "r4_logistic",
    "HessianBoundAtPoints",
    "hessian_bound_at_points",
    "add_hessian_bound_check",
    "find_violation",
    "ControlCase",
    "Controls",
    "positivity_controls",
    "orthant_controls",
    "catalogue_controls",
    "TableAgreement",
    "table_agreement",
    "sympy_hess_sq",
    "disagreement",
    "SPOT_POINTS",
    "spot_check",
]

#: a proof step: (name, outcome, what was computed)
ProofStep = tuple[str, bool | None, str]
#: a pair of points given exactly (decimal strings, integers or rationals)
Pair = tuple[tuple[object, ...], tuple[object, ...]]


# -- outcomes

def all_of(outcomes: Iterable[bool | None]) -> bool | None:
    """The three-valued conjunction: False if any outcome is False, None if any is undecided (or there are
    none), True when every outcome is True."""
    outcomes = list(outcomes)
    if not outcomes:
        return None
    if False in outcomes:
        return False
    if None in outcomes:
        return None
    return True


class PartResults:
    """Mixin of an outcome that records each part it checked in ``results`` (name → (passed, detail);
    ``passed`` None when undecided)."""

    results: dict[str, tuple[bool | None, str]]

    @property
    def passed(self) -> bool | None:
        return all_of(p for p, _ in self.results.values())

    def failed_parts(self) -> list[str]:
        return [name for name, (p, _) in self.results.items() if p is not True]

    def summary(self) -> str:
        return "; ".join(f"{name}: {detail}" for name, (_, detail) in self.results.items())


def expected_verdict(verdict: str, wanted: str) -> bool | None:
    """Whether a computed verdict is the ``wanted`` one: True when it is, None when the computation was
    ``undecided`` (it proves nothing either way), False for any other verdict."""
    if verdict == wanted:
        return True
    return None if verdict == "undecided" else False


def verdict_word(outcome: bool | None) -> str:
    """The claim-report word of an outcome: holds, refuted, undecided."""
    return {True: "holds", False: "refuted", None: "undecided"}[outcome]


def outcome_mark(outcome: bool | None) -> str:
    """A one-character mark for tables: ✓ (holds), ✗ (refuted), ? (undecided)."""
    return {True: "✓", False: "✗", None: "?"}[outcome]


# -- formatters

def exact_text(value: object, digits: int = 8) -> str:
    """A number for a report line: exact when short, else ``digits`` significant digits (u^Q kept as a
    power, with its magnitude)."""
    value = sp.sympify(value)
    if isinstance(value, sp.Float):
        return sp.sstr(sp.N(value, digits))
    if isinstance(value, sp.Pow) and value.base.is_Rational and value.exp.is_Integer:
        with mp.workdps(20):
            magnitude = mp.log10(to_mpf(value.base)) * int(value.exp)
            if abs(magnitude) < 12:
                approx = mp.nstr(to_mpf(value.base) ** int(value.exp), digits)
                return f"({sp.sstr(value.base)})^{value.exp} ≈ {approx}"
        return f"({sp.sstr(value.base)})^{value.exp} ≈ 10^{mp.nstr(magnitude, 6)}"
    if value.is_Rational and (abs(value.p) > 10**12 or value.q > 10**12):
        return sp.sstr(sp.N(value, digits))
    if value.is_number and len(sp.sstr(value)) > 40:
        return sp.sstr(sp.N(value, digits))
    return sp.sstr(value)


def limit_text(value: sp.Expr) -> str:
    """A symbolic limit: ∞, −∞ or the exact value."""
    return "∞" if value == sp.oo else ("−∞" if value == -sp.oo else sp.sstr(value))


def point_text(x: Sequence[object]) -> str:
    """An exact point as ``(a, b, …)``."""
    return "(" + ", ".join(sp.sstr(sp.sympify(v)) for v in x) + ")"


def mpf_text(x: mp.mpf | arb, digits: int = 12) -> str:
    """An mpmath number (or a ball's midpoint) with ``digits`` significant digits: an estimate, not
    a bound."""
    value = ball_to_mpf(x) if isinstance(x, arb) else x
    with mp.workdps(max(digits + 5, 20)):
        return mp.nstr(value, digits)


def _dyadic(x: arb) -> Fraction:
    man, exp = (x if x.is_exact() else x.mid()).man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def _rounded(x: arb, rounding: str, digits: int) -> str:
    if not x.is_finite():
        return "∞" if rounding == ROUND_CEILING else "−∞"
    value = _dyadic(x)
    d = Context(prec=digits, rounding=rounding).divide(Decimal(value.numerator), Decimal(value.denominator))
    if d == 0:
        return "0"
    if Decimal("1e-4") <= abs(d) < Decimal("1e7"):
        return format(d.normalize(), "f")
    return format(d, f".{digits - 1}e")


def ball_upper_text(x: arb, digits: int = 6) -> str:
    """The upper end of a ball, rounded up to ``digits`` significant digits (a proved upper bound)."""
    return _rounded(x if x.is_exact() else x.upper(), ROUND_CEILING, digits)


def ball_lower_text(x: arb, digits: int = 6) -> str:
    """The lower end of a ball, rounded down to ``digits`` significant digits (a proved lower bound)."""
    return _rounded(x if x.is_exact() else x.lower(), ROUND_FLOOR, digits)


# -- exact non-negativity certificates

@dataclass(frozen=True)
class Piece:
    """One half of the split: g ≥ 0 on ``label`` (u ∈ [0, 1] or u ≥ 1), decided exactly."""

    label: str
    substitution: str
    status: bool | None  # True: proved, False: refuted by ``counterexample``, None: undecided
    coefficients: tuple[sp.Expr, ...]  # of the polynomial in s ≥ 0 (lowest degree first)
    counterexample: sp.Rational | None = None  # u with P(u) < 0 (exactly)
    value: sp.Expr | None = None  # P(counterexample), exactly or as a certified ball's midpoint
    method: str = "coefficients"  # or "real roots" (exact isolation of the real roots of P)
    roots: int = 0  # distinct real roots of P in the piece (method "real roots")

    def describe(self) -> str:
        if self.status is True and self.method == "real roots":
            return (f"{self.label}: a coefficient is negative, but exact real-root isolation finds {self.roots} "
                    "root(s) of P in the piece and P > 0 at a rational point of every gap between them")
        if self.status is True:
            smallest = min(self.coefficients, key=lambda c: float(c))
            approx = "" if smallest.is_Rational else f" ≈ {sp.sstr(sp.N(smallest, 6))}"
            return (f"{self.label}: {self.substitution} gives {len(self.coefficients)} coefficient(s), all ≥ 0 "
                    f"(smallest {exact_text(smallest)}{approx})")
        if self.status is False:
            return f"{self.label}: REFUTED — P(u) = {exact_text(self.value)} < 0 at u = {self.counterexample}"
        negatives = sum(1 for c in self.coefficients if _sign(c) == -1)
        return (f"{self.label}: undecided — {negatives} negative coefficient(s) after {self.substitution}, "
                "and no point with P(u) < 0 found")


@dataclass(frozen=True)
class Positivity:
    """Exact decision of g(a) ≥ 0 for a ≥ 0, g a sum of c·a^e with rational e ≥ 0.

    ``a = u^Q`` turns g into the polynomial P(u) = Σ_m c_m u^m; ``pieces`` are the
    decisions on u ∈ [0, 1] (a ≤ 1) and u ≥ 1 (a ≥ 1)."""

    expression: sp.Expr
    variable: sp.Symbol
    Q: int
    coefficients: dict[int, sp.Expr]
    pieces: tuple[Piece, Piece]

    @property
    def status(self) -> bool | None:
        """True: g ≥ 0 on a ≥ 0 (proved); False: refuted at an exact point; None: undecided."""
        return all_of(p.status for p in self.pieces)

    def polynomial(self) -> sp.Expr:
        u = sp.Symbol("u", positive=True)
        return sp.Add(*[c * u**m for m, c in sorted(self.coefficients.items())])

    def counterexample(self) -> tuple[sp.Expr, sp.Expr] | None:
        """(a, g(a)) with g(a) < 0, when a piece was refuted (a = u^Q kept as a power)."""
        for piece in self.pieces:
            if piece.status is False:
                u = piece.counterexample
                return (sp.Pow(u, self.Q, evaluate=False) if self.Q != 1 else u), piece.value
        return None

    def summary(self) -> str:
        a = self.variable
        head = f"g({a}) = {sp.sstr(self.expression)}"
        if self.Q != 1:
            head += f"; {a} = u^{self.Q}: P(u) = {sp.sstr(self.polynomial())}"
        return head + "; " + "; ".join(p.describe() for p in self.pieces)


def nonnegativity_certificate(expression: sp.Expr, variable: sp.Symbol,
                              labels: tuple[str, str] | None = None) -> Positivity:
    """Decide g(a) ≥ 0 for every a ≥ 0, exactly, by the split a ≤ 1 / a ≥ 1.

    ``expression`` must expand to a finite sum of terms c·a^e with constant c and
    rational e ≥ 0 (``variable`` a positive symbol). With a = u^Q, g = P(u):

    * u ∈ (0, 1]: u = 1/(1 + s), s ≥ 0: (1 + s)^d P(1/(1 + s)) = Σ_m c_m (1 + s)^(d − m);
    * u ≥ 1: u = 1 + s, s ≥ 0: P(1 + s) = Σ_m c_m (1 + s)^m.

    A polynomial in s with all coefficients ≥ 0 is ≥ 0 for s ≥ 0: *proved* (u = 0 by
    continuity). Otherwise a point with P(u) < 0 is searched (numerically located, then
    confirmed exactly): *refuted*. If none is found and the coefficients are rational, the
    real roots of P in the piece are isolated exactly and P is evaluated at a rational point
    of every gap (a complete decision); otherwise the piece is *undecided*.
    """
    a = variable
    labels = labels or (f"0 ≤ {a} ≤ 1", f"{a} ≥ 1")
    terms: dict[sp.Rational, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(sp.sympify(expression))):
        coefficient, exponent = term.as_coeff_exponent(a)
        if coefficient.has(a) or not exponent.is_Rational or exponent < 0:
            raise ValueError(f"{term} is not a constant times {a}^e with rational e ≥ 0")
        if not coefficient.is_number:
            raise ValueError(f"the coefficient {coefficient} of {a}^{exponent} is not a number")
        terms[exponent] = terms.get(exponent, sp.Integer(0)) + coefficient
    Q = 1
    for e in terms:
        Q = Q * int(e.q) // math.gcd(Q, int(e.q))
    coefficients = {int(e * Q): _canonical(c) for e, c in terms.items()}
    coefficients = {m: c for m, c in coefficients.items() if c != 0}
    degree = max(coefficients, default=0)
    low = [sp.Add(*[c * math.comb(degree - m, k) for m, c in coefficients.items()]) for k in range(degree + 1)]
    high = [sp.Add(*[c * math.comb(m, k) for m, c in coefficients.items()]) for k in range(degree + 1)]
    pieces = (
        _decide_piece(labels[0], "u = 1/(1 + s)", low, coefficients, low_side=True),
        _decide_piece(labels[1], "u = 1 + s", high, coefficients, low_side=False),
    )
    return Positivity(sp.sympify(expression), a, Q, coefficients, pieces)


def _canonical(c: sp.Expr) -> sp.Expr:
    c = sp.nsimplify(c) if isinstance(c, sp.Float) else c
    if c.is_Rational:
        return c
    simpler = sp.radsimp(sp.powsimp(c, force=True))
    return simpler if simpler.is_Rational else c


def _sign(c: sp.Expr) -> int | None:
    """The sign of a real constant, exactly (rationals) or from a certified ball."""
    c = sp.sympify(c)
    if c.is_Rational:
        return int(sp.sign(c))
    with working_precision(60):
        try:
            ball = to_arb(c)
        except Exception:  # noqa: BLE001 — anything the ball evaluator cannot do is 'unknown'
            ball = None
        if ball is not None and ball.is_finite() and not ball.contains(0):
            return 1 if ball > 0 else -1
    if sp.simplify(c) == 0:
        return 0
    return None


def _decide_piece(label: str, substitution: str, certificate: list[sp.Expr],
                  coefficients: dict[int, sp.Expr], *, low_side: bool) -> Piece:
    signs = [_sign(c) for c in certificate]
    if all(s is not None and s >= 0 for s in signs):
        return Piece(label, substitution, True, tuple(certificate))
    found = _search_negative(coefficients, low_side)
    if found is not None:
        u, value = found
        return Piece(label, substitution, False, tuple(certificate), u, value)
    decided = _real_roots_decide(coefficients, low_side)
    if decided is not None:
        status, roots, u, value = decided
        return Piece(label, substitution, status, tuple(certificate), u, value, method="real roots", roots=roots)
    return Piece(label, substitution, None, tuple(certificate))


def _real_roots_decide(coefficients: dict[int, sp.Expr], low_side: bool):
    """Exact decision for rational coefficients: isolate the real roots of P in [0, 1] or [1, ∞)
    (SymPy, exact rational isolating intervals); between consecutive roots P has constant sign, so
    P ≥ 0 on the piece iff P > 0 at one rational point of every gap. Returns
    (status, number of roots, u, P(u)) — u a point with P(u) < 0 when refuted — or None."""
    if not all(c.is_Rational for c in coefficients.values()):
        return None
    u = sp.Symbol("u")
    P = sp.Poly(sp.Add(*[c * u**m for m, c in coefficients.items()]), u, domain=sp.QQ)
    if P.is_zero:
        return True, 0, None, None
    lo, hi = (sp.Integer(0), sp.Integer(1)) if low_side else (sp.Integer(1), None)
    intervals = sorted(ab for ab, _ in P.intervals(inf=lo, sup=hi, eps=sp.Rational(1, 2**20)))
    edges = [lo] + [x for ab in intervals for x in ab]
    edges.append(hi if hi is not None else (intervals[-1][1] if intervals else lo) + 1)
    points = []
    for left, right in zip(edges[0::2], edges[1::2]):
        if left < right:
            points.append((left + right) / 2)
        elif left > right:
            return None  # overlapping isolating intervals: leave undecided
    for point in points:
        sign, value = _evaluate_exact(coefficients, point)
        if sign is None or sign == 0:
            return None
        if sign < 0:
            return False, len(intervals), point, value
    return True, len(intervals), None, None


def _evaluate_exact(coefficients: dict[int, sp.Expr], u: sp.Rational) -> tuple[int | None, sp.Expr]:
    """(sign, value) of P(u) at a rational u: exact for rational coefficients, else a certified ball."""
    if all(c.is_Rational for c in coefficients.values()):
        fu = Fraction(int(u.p), int(u.q))
        total = sum((Fraction(int(c.p), int(c.q)) * fu**m for m, c in coefficients.items()), Fraction(0))
        value = sp.Rational(total.numerator, total.denominator)
        return int(sp.sign(value)), value
    with working_precision(80):
        ball = arb(0)
        uu = to_arb(u)
        for m, c in coefficients.items():
            ball += to_arb(c) * integer_power(uu, m)
        if ball.is_finite() and not ball.contains(0):
            return (1 if ball > 0 else -1), sp.Float(ball_to_mpf(ball), 15)
    return None, sp.nan


def _search_grid(low_side: bool) -> list[sp.Rational]:
    R = sp.Rational
    if low_side:  # u ∈ [0, 1]
        return sorted({R(k, 256) for k in range(257)} | {R(1, 2**j) for j in range(9, 41)})
    # u = 1 + s, s from 2^-24 to 2^24 in steps of 1/8 of an octave, and a fine linear grid near 1
    s_values = {R(2) ** e * R(8 + k, 8) for e in range(-24, 25) for k in range(8)}
    s_values |= {R(k, 256) for k in range(1, 257)}
    return sorted(1 + s for s in s_values)


def _search_negative(coefficients: dict[int, sp.Expr], low_side: bool) -> tuple[sp.Rational, sp.Expr] | None:
    """Locate a minimum of P on [0, 1] or [1, ∞) numerically; confirm P < 0 exactly there."""
    with mp.workdps(30):
        numeric = {m: to_mpf(c) for m, c in coefficients.items()}

        def P(u: sp.Rational) -> mp.mpf:
            uu = mp.mpf(int(u.p)) / int(u.q)
            return mp.fsum(c * uu**m for m, c in numeric.items())

        grid = _search_grid(low_side)
        values = [P(g) for g in grid]
        candidates: dict[sp.Rational, mp.mpf] = {}
        negative = [k for k in range(len(grid)) if values[k] < 0]
        for k in sorted(negative, key=lambda j: abs(grid[j] - 1))[:4]:
            candidates[grid[k]] = values[k]
        for k in sorted(range(len(grid)), key=lambda j: values[j])[:4]:
            candidates[grid[k]] = values[k]
            lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
            for j in range(65):
                u = lo + (hi - lo) * sp.Rational(j, 64)
                candidates[u] = P(u)
        # the negative point closest to the split point u = 1 (readable), then the others
        ranked = sorted((abs(u - 1), u) for u, value in candidates.items() if value < 0)
    for _, u in ranked[:8]:
        sign, value = _evaluate_exact(coefficients, u)
        if sign == -1:
            return u, value
    return None


def nonnegative_on_orthant(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> bool | None:
    """expr ≥ 0 for all symbols ≥ 0 (> 0 in denominators): True when numerator and denominator are
    polynomials with coefficients ≥ 0 (a proof); False when the value at all-ones is < 0 (a
    counterexample); else None."""
    num, den = sp.fraction(sp.together(sp.expand(expr)))
    if sp.expand(num) == 0:
        return True
    polys = [sp.Poly(sp.expand(p), *symbols) for p in (num, den)]
    if all(c >= 0 for p in polys for c in p.coeffs()):
        return True
    value = expr.subs({s: 1 for s in symbols})
    if value.is_number and value < 0:
        return False
    return None


# -- pairs and fields

def random_pairs(n: int, count: int, box: tuple[float, float], seed: int, grid: int = 64) -> list[Pair]:
    """``count`` reproducible pairs of distinct points in [low, high]ⁿ with coordinates on the grid
    (1/grid)Z, as exact decimal strings (dyadic: exact in binary as well)."""
    rng = random.Random(seed)
    low, high = int(box[0] * grid), int(box[1] * grid)
    pairs: list[Pair] = []
    while len(pairs) < count:
        x1 = tuple(decimal_text(Fraction(rng.randint(low, high), grid)) for _ in range(n))
        x2 = tuple(decimal_text(Fraction(rng.randint(low, high), grid)) for _ in range(n))
        if x1 != x2:
            pairs.append((x1, x2))
    return pairs


def exact_pair(pair: Pair) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """The pair with exact Fraction coordinates (the condition classes read them faster than
    decimal strings)."""
    return tuple(_fraction(a) for a in pair[0]), tuple(_fraction(b) for b in pair[1])


def _fraction(value: object) -> Fraction:
    if isinstance(value, Fraction):
        return value
    q = sp.Rational(value) if isinstance(value, (int, sp.Rational)) else sp.Rational(str(value))
    return Fraction(int(q.p), int(q.q))


def _ball_key(value: object) -> object:
    """A hashable key of a coordinate: exact numbers as themselves, a ball by its exact midpoint and
    radius (balls compare by containment, not by value)."""
    if isinstance(value, arb):
        return value.mid().man_exp(), value.rad().man_exp()
    return value


class MemoField(VectorField):
    """A field remembering its values: mpmath values per (point, dps), balls per (point, flint
    precision). The condition classes evaluate the same grid points, quadrature nodes and θ-cells for
    every constant and exponent they are given; this only saves time."""

    def __init__(self, D: VectorField | Objective):
        field = D.gradient_field if isinstance(D, Objective) else D
        super().__init__(list(field.components), field.variables, name=field.name)
        self._remembered_values: dict = {}
        self._remembered_balls: dict = {}

    def __call__(self, x, dps: int = DEFAULT_DPS) -> list[mp.mpf]:
        key = (tuple(x), dps)
        hit = self._remembered_values.get(key)
        if hit is None:
            hit = self._remembered_values[key] = super().__call__(x, dps)
        return list(hit)

    def ball(self, point: Sequence[object]) -> list[arb]:
        key = (tuple(_ball_key(v) for v in point), ctx.prec)
        hit = self._remembered_balls.get(key)
        if hit is None:
            hit = self._remembered_balls[key] = super().ball(point)
        return list(hit)


class SharedAggregates:
    """Pair conditions whose segment aggregate (max_θ or ∫₀¹ of ‖D(x_θ)‖^ρ, in mpmath) is computed once
    per (condition, field, segment, ρ, dps) and shared between their checks and required constants
    at every constant: ``shared(RhoOrder)(rho, C0, C1)`` is a :class:`~dlnsmooth.conditions.RhoOrder`
    in everything but the time it takes."""

    def __init__(self) -> None:
        self._cache: dict = {}
        self._classes: dict[type, type] = {}

    def __call__(self, condition: type[PairCondition]) -> type[PairCondition]:
        if condition not in self._classes:
            self._classes[condition] = self._sharing(condition)
        return self._classes[condition]

    def _sharing(self, condition: type[PairCondition]) -> type[PairCondition]:
        cache = self._cache

        class Sharing(condition):  # type: ignore[misc, valid-type]
            def aggregate(self, D, segment, dps):
                key = (condition.__name__, id(D), segment.x1, segment.x2, getattr(self, "rho", None), dps)
                if key not in cache:
                    cache[key] = super().aggregate(D, segment, dps)
                return cache[key]

        Sharing.__name__ = Sharing.__qualname__ = condition.__name__
        return Sharing


def ball_within(lhs: arb, rhs: arb, dps: int) -> bool | None:
    """``lhs ≤ rhs`` for two balls, judged as the catalogue judges its ball sides
    (:meth:`~dlnsmooth.conditions.BallSides.within`): True when certain or equal within the rounding
    allowance 10^(5 − dps) relative, False when lhs exceeds rhs beyond it, None when the balls
    cannot tell."""
    infinite = arb("inf")
    upper = lhs.upper() if lhs.is_finite() else infinite
    lower = rhs.lower() if rhs.is_finite() else -infinite
    return BallSides(lhs, rhs, upper, lower).within(dps)


@cache
def with_jacobian(D: VectorField) -> VectorField:
    """D followed by its Jacobian J (row by row) as one field, compiled once per D."""
    components = list(D.components)
    jacobian = sp.Matrix(components).jacobian(list(D.variables))
    return VectorField(components + list(jacobian), D.variables, name=f"({D.name}, J{D.name})")


class SegmentBalls:
    """D along x_θ = x1 + θ (x2 − x1) in ball arithmetic (current flint precision): values at exact
    θ, and enclosures over θ-cells [a, b] of ‖D(x_θ)‖ and of ψ′(θ), ψ(θ) = ‖D(x_θ)‖²,
    ψ′ = 2 D·(J Δx)."""

    def __init__(self, D: VectorField | Objective, x1: Sequence[object], x2: Sequence[object]):
        self.field = D.gradient_field if isinstance(D, Objective) else D
        if len(x1) != self.field.n or len(x2) != self.field.n:
            raise ValueError(f"points must have {self.field.n} coordinates")
        self.segment = Segment(tuple(_fraction(a) for a in x1), tuple(_fraction(b) for b in x2))

    def values(self, theta: Fraction) -> list[arb]:
        """D(x_θ) at an exact θ."""
        return self.field.ball(self.segment.ball_point(theta))

    def length(self) -> arb:
        """‖x2 − x1‖."""
        return self.segment.ball_length()

    def _cell(self, a: Fraction, b: Fraction) -> list[arb]:
        return self.segment.ball_point(to_arb(a).union(to_arb(b)))

    def norm_on(self, a: Fraction, b: Fraction) -> arb:
        """An enclosure of ‖D(x_θ)‖ over θ ∈ [a, b]."""
        return self.field.ball_norm(self._cell(a, b))

    def psi_slope_on(self, a: Fraction, b: Fraction) -> arb:
        """An enclosure of ψ′(θ) = 2 D(x_θ)·J(x_θ)(x2 − x1) over θ ∈ [a, b]."""
        values = with_jacobian(self.field).ball(self._cell(a, b))
        delta = [to_arb(q - p) for p, q in zip(self.segment.x1, self.segment.x2)]
        m, n = len(self.field.components), self.field.n
        slope = arb(0)
        for i in range(m):
            directional = sum((values[m + i * n + j] * delta[j] for j in range(n)), arb(0))
            slope += values[i] * directional
        return 2 * slope

    def critical_cells(self, start: int = 64, min_width: Fraction = Fraction(1, 2**50),
                       max_evaluations: int = 6000) -> list[tuple[Fraction, Fraction]] | None:
        """θ-cells of width ≤ min_width covering every zero of ψ′ on [0, 1] (between consecutive
        cells ψ is strictly monotone); None when the evaluation budget runs out."""
        stack = [(Fraction(k, start), Fraction(k + 1, start)) for k in range(start)]
        leaves: list[tuple[Fraction, Fraction]] = []
        evaluations = 0
        while stack:
            a, b = stack.pop()
            evaluations += 1
            if evaluations > max_evaluations:
                return None
            slope = self.psi_slope_on(a, b)
            if slope.is_finite() and not slope.contains(0):
                continue
            if b - a <= min_width:
                leaves.append((a, b))
                continue
            mid = (a + b) / 2
            stack += [(mid, b), (a, mid)]
        return sorted(leaves)


# -- Hessian growth: shared by Propositions 5 and 6

#: x⁴ and (x² + y²)² satisfy the Hessian growth bound with ρ = 2/3, C0 = 0 and this sharp C1
RHO_X4 = sp.Rational(2, 3)
#: 12/4^(2/3) = 3·2^(2/3): f″ = C1 |f′|^(2/3) for f = x⁴, identically
C1_X4 = sp.Integer(12) / sp.Integer(4) ** RHO_X4
#: digits of the pointwise checks of the Hessian growth bound
GROWTH_DPS = 50


def quartic() -> Objective:
    """x⁴: f″ = C1_X4 |f′|^(2/3) identically."""
    return Objective.from_string("x**4", "x")


def radial_quartic() -> Objective:
    """(x² + y²)²: ‖∇f‖ = 4‖x‖³, ‖∇²f‖₂ = 12‖x‖² (radial eigenvalue; tangential 4‖x‖²)."""
    return Objective.from_string("(x**2 + y**2)**2", "x,y")


def r4_logistic() -> Objective:
    """Proposition 7's loss with z = y = 1: log(1 + exp(−x1 x2 x3 x4))."""
    return Objective.from_string("log(1 + exp(-x1*x2*x3*x4))", "x1,x2,x3,x4")


@dataclass(frozen=True)
class HessianBoundAtPoints:
    """``‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ`` (:class:`~dlnsmooth.conditions.HessianGrowth`) at each of a list
    of points, in mpmath at ``dps`` digits with the catalogue's rounding allowance."""

    objective: Objective
    rho: sp.Rational
    C0: object
    C1: object
    points: tuple
    checks: tuple[Check, ...]
    dps: int

    @property
    def violations(self) -> list[tuple[object, Check]]:
        return [(x, c) for x, c in zip(self.points, self.checks) if not c.holds]

    @property
    def holds(self) -> bool:
        return not self.violations

    @property
    def largest_ratio(self) -> tuple[mp.mpf, object] | None:
        """max ‖∇²f‖₂/(C0 + C1‖∇f‖^ρ) over the points with a positive right side, and where (1 = equality)."""
        ratios = [(c.lhs / c.rhs, x) for x, c in zip(self.points, self.checks) if c.rhs > 0]
        return max(ratios, key=lambda r: r[0]) if ratios else None


def hessian_bound_at_points(f: Objective, rho: object, C0: object, C1: object, points: Sequence[Sequence[object]],
                            dps: int = GROWTH_DPS) -> HessianBoundAtPoints:
    """The Hessian growth bound with (ρ, C0, C1) at every point (spectral norm, mpmath)."""
    condition = HessianGrowth(rho, C0, C1)
    checks = tuple(condition.check_point(f, x, dps) for x in points)
    return HessianBoundAtPoints(f, parse_rho(rho), C0, C1, tuple(tuple(x) for x in points), checks, dps)


def add_hessian_bound_check(report: ClaimReport, result: HessianBoundAtPoints, label: str) -> CheckOutcome:
    """Render :class:`HessianBoundAtPoints` as one check (refuted at the first violation)."""
    name = (f"{label}: ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ with ρ = {exact_text(result.rho)}, C0 = {exact_text(result.C0)}, "
            f"C1 = {exact_text(result.C1)} at {len(result.points)} points")
    if not result.holds:
        x, c = result.violations[0]
        return report.add_check(name, False, f"violated at x = {point_text(x)}: ‖∇²f‖₂ = {mpf_text(c.lhs, 15)} > "
                                f"{mpf_text(c.rhs, 15)} ({len(result.violations)} of {len(result.points)} points "
                                "violate it)")
    worst = result.largest_ratio
    largest = (f"; largest ratio ‖∇²f‖₂/(C0 + C1‖∇f‖^ρ) = {mpf_text(worst[0], 15)} at x = {point_text(worst[1])}"
               if worst else "")
    return report.add_check(name, True, f"holds at every point (mpmath, {result.dps} digits, spectral norm){largest}")


def find_violation(f: Objective, rho: object, C0: object, C1: object, direction: Sequence[object],
                   exponents: Iterable[int] = range(0, 41), dps: int = GROWTH_DPS) -> tuple[list[object], Check] | None:
    """The first point x = 10^j · direction (j in ``exponents``) where the Hessian growth bound fails, with its
    check; None when the bound holds at every such point."""
    condition = HessianGrowth(rho, C0, C1)
    for j in exponents:
        x = [sp.Integer(10) ** j * sp.nsimplify(d) for d in direction]
        check = condition.check_point(f, x, dps)
        if not check.holds:
            return x, check
    return None


# -- negative controls and cross-checks: every certifying routine must be able to say "no"

@dataclass(frozen=True)
class ControlCase:
    """One statement given to a certifying routine whose truth is known: ``expected`` True (a true statement
    the routine must prove) or False (a false one it must not prove); ``outcome`` what it said (True: proved
    or holds, False: refuted or violated, None: undecided)."""

    statement: str
    expected: bool
    outcome: bool | None

    @property
    def as_expected(self) -> bool:
        """A false statement passes when it is not proved; a true one when it is proved."""
        return self.outcome is not True if not self.expected else self.outcome is True


@dataclass(frozen=True)
class Controls:
    """The negative (and positive) controls of one certifying routine. ``passed`` is True when every false
    statement came out unproved and every true one proved, else False (a routine that cannot say "no", or
    cannot say "yes", proves nothing): a failed control fails the claim that uses the routine."""

    routine: str
    cases: tuple[ControlCase, ...]

    @property
    def passed(self) -> bool:
        return bool(self.cases) and all(c.as_expected for c in self.cases)

    @property
    def negatives(self) -> int:
        return sum(1 for c in self.cases if not c.expected)

    def detail(self) -> str:
        wrong = [c for c in self.cases if not c.as_expected]
        words = {True: "proved", False: "refuted", None: "undecided"}
        head = (f"{self.negatives} false statement(s) must come out unproved, {len(self.cases) - self.negatives} "
                f"true one(s) proved")
        if not wrong:
            return head + ": all as expected"
        shown = "; ".join(f"{c.statement} ({'true' if c.expected else 'FALSE'}) came out {words[c.outcome]}"
                          for c in wrong[:3])
        return head + f": {len(wrong)} NOT as expected — {shown}"

    def add_to(self, report: ClaimReport) -> CheckOutcome:
        """Record the controls as one check of ``report`` (refuted when a control is not as expected)."""
        return report.add_check(f"negative control of {self.routine}", self.passed, self.detail())


def _safe_status(decide, *args) -> bool | None:
    try:
        return decide(*args)
    except ValueError:
        return None


def positivity_controls(certify=None) -> Controls:
    """:func:`nonnegativity_certificate` (or the routine ``certify`` a proof uses in its place) on
    statements "g(a) ≥ 0 for every a ≥ 0" known to be false — negative for some a ≥ 0, including a
    false Proposition 4 witness with C0 = 0 and a dip of 10⁻⁶ — and known to be true."""
    certify = certify or nonnegativity_certificate
    a = sp.Symbol("a", positive=True)
    R = sp.Rational
    rho = R(1, 3)
    K = (2 + rho) * (1 + rho)
    witness_c0_zero = K / (2 + rho) ** rho * ((2 + rho) * a ** (1 + rho)) ** rho - K * a**rho
    false = [1 - a, a**2 - a + R(1, 8), a ** R(1, 3) - a ** R(1, 2), 1 + a**2 - sp.sqrt(5) * a,
             sp.expand((a - 1) ** 2) - R(1, 10**6), witness_c0_zero]
    true = [sp.expand((a - 1) ** 2), 1 + a ** R(1, 2) - a ** R(1, 3)]
    cases = [ControlCase(f"{sp.sstr(g)} ≥ 0", expected, _safe_status(lambda e: certify(e, a).status, g))
             for expected, group in ((False, false), (True, true)) for g in group]
    return Controls("the exact non-negativity certificate (a ≥ 0)", tuple(cases))


def orthant_controls(decide=None) -> Controls:
    """:func:`nonnegative_on_orthant` (or its stand-in ``decide``) on rational functions known to be
    negative somewhere on the orthant, and on ones known to be ≥ 0 there."""
    decide = decide or nonnegative_on_orthant
    x, y = sp.symbols("x y", nonnegative=True)
    false = [x - y, 1 - x * y, (x - 2 * y) / (1 + x), x**2 * y - x * y**2 + y - 2]
    true = [x * y + 1, (x + y) / (1 + x), (x**2 + 3 * y) / (2 + x * y)]
    cases = [ControlCase(f"{sp.sstr(g)} ≥ 0", expected, _safe_status(decide, g, (x, y)))
             for expected, group in ((False, false), (True, true)) for g in group]
    return Controls("the orthant non-negativity test", tuple(cases))


def _sides_outcome(sides: BallSides) -> bool | None:
    return True if sides.proved else (False if sides.refuted else None)


def catalogue_controls(dps: int = 30) -> Controls:
    """The catalogue's conditions (:mod:`dlnsmooth.conditions`) in both directions, on f = x⁴/4 (D = x³)
    and the pair (1, 2), where ‖D(2) − D(1)‖ = 7, max_θ |x_θ|² = 4, ∫ x_θ² dθ = 7/3, f″(1) = 3: pairs and
    points where an inequality must hold and where it must fail, each judged in mpmath
    (:meth:`~dlnsmooth.conditions.Condition.check`, ``check_point``) and in ball arithmetic
    (``ball_sides``), and the ball comparison :func:`ball_within` on two exact balls."""
    f = Objective.from_string("x**4/4", "x")
    x1, x2 = [Fraction(1)], [Fraction(2)]
    R = sp.Rational
    pair_cases = [
        (GloballyLipschitz(8), True), (GloballyLipschitz(6), False),
        (RhoOrder(R(2, 3), 0, 3), True), (RhoOrder(R(2, 3), 0, 1), False), (RhoOrder(R(2, 3), 2, 1), False),
        (RhoIntegrated(R(2, 3), 0, 4), True), (RhoIntegrated(R(2, 3), 0, 2), False),
        (HessianGrowth(R(2, 3), 0, 4), True), (HessianGrowth(R(2, 3), 0, 2), False),
    ]
    cases: list[ControlCase] = []
    for condition, expected in pair_cases:
        label = f"{condition!r} at the pair (1, 2)"
        cases.append(ControlCase(label + " (mpmath)", expected, condition.check(f, x1, x2, dps).holds))
        if not isinstance(condition, HessianGrowth):
            with working_precision(dps):
                cases.append(ControlCase(label + " (balls)", expected,
                                         _sides_outcome(condition.ball_sides(f, x1, x2))))
    for condition, expected in ((HessianGrowth(R(2, 3), 0, 4), True), (HessianGrowth(R(2, 3), 0, 2), False)):
        label = f"{condition!r} at x = 1"
        cases.append(ControlCase(label + " (mpmath)", expected, condition.check_point(f, [1], dps).holds))
        with working_precision(dps):
            cases.append(ControlCase(label + " (balls)", expected, _sides_outcome(condition.ball_sides(f, [1]))))
    cases.append(ControlCase("ball comparison 1 ≤ 2", True, ball_within(arb(1), arb(2), dps)))
    cases.append(ControlCase("ball comparison 2 ≤ 1", False, ball_within(arb(2), arb(1), dps)))
    return Controls("the condition catalogue (dlnsmooth.conditions)", tuple(cases))


# -- numeric tables against an exact closed form

@dataclass(frozen=True)
class TableAgreement:
    """The confirmed rows of a certificate's numeric table compared with exact closed forms of ‖∇f‖² and
    ‖∇²f‖_F² along the curve (and the ratio column they imply, 0^0 = 1): each printed value must lie within
    its guaranteed digits (relative 10^(1 − digits)) of the exact value, evaluated in ball arithmetic."""

    source: str
    compared: int
    mismatches: tuple[str, ...]
    skipped: int

    @property
    def passed(self) -> bool | None:
        """False at the first disagreement, None when no row could be compared, else True."""
        if self.mismatches:
            return False
        return True if self.compared else None

    def detail(self) -> str:
        head = (f"{self.compared} confirmed row(s) × (‖∇f‖, ‖∇²f‖_F, ratio) against the closed form "
                f"({self.source}), each within its guaranteed digits")
        if self.skipped:
            head += f"; {self.skipped} row(s) not compared (unconfirmed, or the closed form not enclosed)"
        if self.mismatches:
            return head + f": {len(self.mismatches)} DISAGREE — " + "; ".join(self.mismatches[:3])
        return head + ": all agree"


def _agrees(confirmed, exact: arb, wanted: int) -> tuple[bool, str]:
    """Does a table value (a :class:`~dlnsmooth.precision.Confirmed`) agree with an exact ball?"""
    value = confirmed.value
    if exact == 0:
        return bool(value == 0), "0"
    digits = max(1, min(int(confirmed.digits), wanted))
    table = to_arb(value)
    tolerance = abs(exact) * arb(10) ** (1 - digits)
    return bool(abs(table - exact) <= tolerance), mpf_text(exact, min(digits, 20))


def table_agreement(table, grad_sq: sp.Expr, hess_sq: sp.Expr, parameter: sp.Symbol,
                    source: str) -> TableAgreement:
    """Compare a :class:`~dlnsmooth.evidence.NumericTable` with exact ‖∇f‖², ‖∇²f‖_F² (expressions in
    ``parameter``; ``source`` names how they were obtained) at every confirmed row t = 10^k."""
    mismatches: list[str] = []
    compared = skipped = 0
    rho = sp.Rational(table.rho)
    for row in table.rows:
        if not row.confirmed(table.digits):
            skipped += 1
            continue
        t = sp.Integer(10) ** row.exponent
        with working_precision(max(60, table.digits + 30)):
            try:
                G = to_arb(sp.sympify(grad_sq).subs(parameter, t)).sqrt()
                H = to_arb(sp.sympify(hess_sq).subs(parameter, t)).sqrt()
            except (DlnsmoothError, ValueError, TypeError, OverflowError):
                skipped += 1  # the closed form cannot be enclosed there (e.g. beyond the exponent range)
                continue
            if not (G.is_finite() and H.is_finite()):
                skipped += 1
                continue
            denominator = arb(2) if rho == 0 else 1 + (G ** to_arb(rho) if G != 0 else arb(0))
            expected = {"‖∇f‖": (row.grad_norm, G), "‖∇²f‖_F": (row.hess_norm, H), "ratio": (row.ratio, H / denominator)}
            for name, (confirmed, exact) in expected.items():
                ok, shown = _agrees(confirmed, exact, table.digits)
                if not ok:
                    mismatches.append(f"t = 1e{row.exponent}: table {name} = {mpf_text(confirmed.value, 15)}, "
                                      f"closed form {shown}")
        compared += 1
    return TableAgreement(source, compared, tuple(mismatches), skipped)


def sympy_hess_sq(objective: Objective, substitution: dict) -> sp.Expr:
    """‖∇²f‖_F² along a curve from SymPy's own ``hessian`` of the objective's full expression (the loss of
    the multiplied-out model, differentiated by SymPy: no structured engine, no package derivative code),
    substituted on the curve and simplified: an independent reference."""
    variables = list(objective.variables)
    hessian = sp.hessian(objective.expr, variables)
    entries = [h.xreplace(substitution) for h in hessian]
    entries = [sp.simplify(e) for e in entries if e != 0]
    return sp.simplify(sp.expand(sum((e**2 for e in entries), sp.Integer(0))))


def disagreement(a: sp.Expr, b: sp.Expr) -> bool:
    """True when two exact expressions differ (their difference does not simplify to 0)."""
    return sp.simplify(sp.expand(sp.sympify(a) - sp.sympify(b))) != 0


#: points u (a = u^Q) at which proved non-negativity certificates are re-evaluated
SPOT_POINTS = tuple(sp.Rational(n, d) for n, d in ((1, 100), (1, 10), (1, 3), (1, 2), (9, 10), (1, 1), (11, 10),
                                                   (3, 2), (2, 1), (5, 1), (10, 1), (100, 1)))


def spot_check(certificates: Iterable[Positivity], points: Sequence[sp.Rational] = SPOT_POINTS) -> tuple[bool | None, str]:
    """Every certificate that says "proved" re-evaluated, independently of the routine: the original
    expression g at a = u^Q for the rational ``points`` u, in ball arithmetic (a^e = u^(eQ) is then a
    rational power of an integer exponent). False when some g(a) is certainly negative — the routine
    proved something false — else True (None when no certificate says proved)."""
    proved = [c for c in certificates if c.status is True]
    if not proved:
        return None, "no proved certificate to re-evaluate"
    evaluated = 0
    for certificate in proved:
        u = sp.Symbol("u", positive=True)
        g = sp.expand(sp.sympify(certificate.expression).subs(certificate.variable, u**certificate.Q))
        for point in points:
            with working_precision(40):
                try:
                    value = to_arb(g.subs(u, point))
                except (DlnsmoothError, ValueError, TypeError):
                    continue
            evaluated += 1
            if value.is_finite() and value < 0:
                return False, (f"DISAGREE: {certificate.summary()[:120]}… is 'proved', but at "
                               f"{certificate.variable} = ({point})^{certificate.Q} g = {mpf_text(value, 8)} < 0")
    return True, (f"{len(proved)} proved certificate(s) re-evaluated at {len(points)} points each "
                  f"({evaluated} values in ball arithmetic): none negative")


# -- seed 001's line R (the claims cooper-line-l2 and cooper-line-ce)

@dataclass(frozen=True)
class LineReference:
    """The closed forms along seed 001's line R (hidden W = 0, b = c·1; W_L = t·M with rows summing to zero;
    b_L = 0), from the loss terms c̄ = Σ_s ∇ℓ(0; y_s) and H̄ = Σ_s ∇²ℓ(0; y_s) the caller computed: with
    a = tanh(c), s = 1 − a², ‖w‖² = 1 + n_{L−2}a²,

    ``‖∇f‖² = g₂t² + g₀``, ``g₂ = s²‖Mᵀc̄‖²‖w‖²``, ``g₀ = ‖c̄‖²(1 + n_{L−1}a²)``;
    ``‖∇²f‖_F² = h₄t⁴ + O(t³)``, ``h₄ = s⁴‖MᵀH̄M‖_F²‖w‖⁴``; and ``k = √h₄/g₂ = ‖MᵀH̄M‖_F/‖Mᵀc̄‖²``
    (None when g₂ = 0), the limit of ‖∇²f‖_F/(1 + ‖∇f‖²)."""

    g2: sp.Expr
    g0: sp.Expr
    h4: sp.Expr
    k: sp.Expr | None

    def grad_sq(self, t: sp.Symbol) -> sp.Expr:
        return sp.expand(self.g2 * t**2 + self.g0)


def reference_loss_terms(loss, labels: Sequence[Sequence[object]]) -> tuple[sp.Matrix, sp.Matrix]:
    """c̄ = Σ_s ∇_u ℓ(0; y_s) and H̄ = Σ_s ∇²_u ℓ(0; y_s) by SymPy's differentiation of ``loss(u, y)`` (a loss of
    an output vector u and a label vector y written by the caller)."""
    m = len(labels[0])
    u = [sp.Symbol(f"u{j}", real=True) for j in range(m)]
    zero = {v: 0 for v in u}
    cbar, Hbar = sp.zeros(m, 1), sp.zeros(m, m)
    terms: dict[tuple, tuple[sp.Matrix, sp.Matrix]] = {}
    for y in labels:
        key = tuple(sp.sympify(v) for v in y)
        if key not in terms:
            expression = loss(u, list(key))
            terms[key] = (sp.Matrix([sp.diff(expression, u[j]).subs(zero) for j in range(m)]),
                          sp.Matrix([[sp.diff(expression, u[j], u[k]).subs(zero) for k in range(m)]
                                     for j in range(m)]))
        cbar += terms[key][0]
        Hbar += terms[key][1]
    return cbar.applyfunc(sp.simplify), Hbar.applyfunc(sp.simplify)


def line_reference(widths: Sequence[int], c: object, M: Sequence[Sequence[object]], cbar: sp.Matrix,
                   Hbar: sp.Matrix) -> LineReference:
    """The closed forms of :class:`LineReference` for a network of the given widths (depth ≥ 3)."""
    L = len(widths) - 1
    a = sp.tanh(sp.sympify(c))
    s = 1 - a**2
    w_sq = 1 + widths[L - 2] * a**2
    matrix = sp.Matrix(M)
    grad_part = sum((v**2 for v in matrix.T * cbar), sp.Integer(0))
    hess_part = sum((v**2 for v in matrix.T * Hbar * matrix), sp.Integer(0))
    g0 = sum((v**2 for v in cbar), sp.Integer(0)) * (1 + widths[L - 1] * a**2)
    k = sp.sqrt(hess_part) / grad_part if grad_part != 0 else None
    return LineReference(sp.expand(s**2 * grad_part * w_sq), sp.expand(g0), sp.expand(s**4 * hess_part * w_sq**2), k)


def _in_tanh(expression: sp.Expr) -> tuple[sp.Expr, list[sp.Symbol]]:
    """The expression with tanh(q), cosh(q), sinh(q) written through one indeterminate a_q = tanh(q) per
    argument q (cosh(q) = 1/√(1 − a²), sinh(q) = a/√(1 − a²)), and the indeterminates used."""
    arguments = sorted({f.args[0] for f in expression.atoms(sp.tanh, sp.cosh, sp.sinh)}, key=sp.default_sort_key)
    symbols = []
    for index, q in enumerate(arguments):
        a = sp.Symbol(f"a{index}", positive=True)
        symbols.append(a)
        expression = expression.xreplace({sp.tanh(q): a, sp.cosh(q): 1 / sp.sqrt(1 - a**2),
                                          sp.sinh(q): a / sp.sqrt(1 - a**2)})
    return expression, symbols


def same_constant(a: sp.Expr, b: sp.Expr, dps: int = 60) -> bool | None:
    """Whether two exact real constants are equal. False when a ball enclosure of the difference excludes 0; True
    when both are positive (balls) and their squares, with tanh/cosh/sinh of each argument q written through the
    indeterminate a = tanh(q), are the same rational function (an identity in a holds at a = tanh(q)), or when
    their difference simplifies to 0; None when nothing decides."""
    a, b = sp.sympify(a), sp.sympify(b)
    if sp.expand(a - b) == 0:
        return True
    with working_precision(dps):
        try:
            difference, left, right = to_arb(a - b), to_arb(a), to_arb(b)
        except (DlnsmoothError, ValueError, TypeError):
            return None
        if difference.is_finite() and not difference.contains(0):
            return False
        positive = left > 0 and right > 0
    if positive:
        squares, symbols = _in_tanh(sp.expand(a**2 - b**2))
        if all(squares.is_rational_function(x) for x in symbols) and sp.cancel(sp.together(squares)) == 0:
            return True
    return True if sp.simplify(sp.expand(a - b)) == 0 else None


def leading_coefficient(expression: sp.Expr, t: sp.Symbol) -> tuple[int, sp.Expr] | None:
    """(degree, coefficient of the highest power) of a polynomial in ``t`` as written (no sign decided; None when
    not a polynomial)."""
    expression = sp.expand(expression)
    if not expression.is_polynomial(t):
        return None
    poly = sp.Poly(expression, t)
    return poly.degree(), sp.expand(poly.LC())


@dataclass(frozen=True)
class LineControl:
    """A negative control along a line: the certificate at ``rho`` (None: every ρ) must give ``wanted``, with
    critical exponent ``critical`` (None: the curve refutes no ρ)."""

    label: str
    network: LineNetwork
    rho: object
    wanted: str
    critical: sp.Expr | None


@dataclass
class LineClaimResult(PartResults):
    """What a line-R claim computed: the network, the references, each part's outcome, the certificates."""

    network: LineNetwork
    reference: LineReference
    residual_network: LineNetwork
    residual_reference: LineReference
    results: dict[str, tuple[bool | None, str]]
    certificates: list[Certificate]
    seconds: float


#: agreement demanded between the table's log-log slopes over its last decade and the exact exponents
LINE_SLOPE_TOLERANCE = 1e-6


def _limit_outcome(certificate: Certificate):
    limits = certificate.find("symbolic-limit")
    return limits[0].outcome if limits else None


def _critical_text(value: sp.Expr | None) -> str:
    return "none" if value is None else ("∞" if value == sp.oo else sp.sstr(value))


def line_rho_one(certificate: Certificate) -> tuple[bool | None, str]:
    """ρ = 1 refuted: verdict ``refuted``, the symbolic limit of ‖∇²f‖_F/(1 + ‖∇f‖) is +∞, every table row
    confirmed and growing."""
    outcome = _limit_outcome(certificate)
    table = certificate.find("numeric-table")[0]
    limit_ok = outcome is not None and outcome.kind == "infinite"
    table_ok = table.all_confirmed and table.supports_divergence()
    passed = all_of([expected_verdict(certificate.verdict, "refuted"), limit_ok, table_ok])
    return passed, (f"verdict {certificate.verdict}; lim ‖∇²f‖_F/(1 + ‖∇f‖) = "
                    f"{'?' if outcome is None else outcome.value_text()}; {len(table.confirmed_rows())}/"
                    f"{len(table.rows)} table rows confirmed to ≥ {table.digits} digits, "
                    f"{'growing' if table_ok else 'NOT growing'}")


def line_exponents(certificate: Certificate, grad: int, hess: int, critical: sp.Expr) -> tuple[bool | None, str]:
    """The every-ρ certificate: exact growth exponents (from polynomial degrees) γ = ``grad``, η = ``hess`` and
    ρ* = ``critical``."""
    g = certificate.growth
    exact = "degrees" in g.method
    ok = (g.grad_exponent == grad and g.hess_exponent == hess and certificate.critical_exponent == critical)
    passed = None if g.source != "symbolic" else bool(ok and exact)
    return passed, (f"γ = {sp.sstr(g.grad_exponent)}, η = {sp.sstr(g.hess_exponent)}, ρ* = "
                    f"{_critical_text(certificate.critical_exponent)} [{g.method}; {g.critical_source}]; expected "
                    f"γ = {grad}, η = {hess}, ρ* = {_critical_text(critical)}")


def line_slopes(certificate: Certificate, grad: int, hess: int) -> tuple[bool | None, str]:
    """The table's log-log slopes over its last decade within :data:`LINE_SLOPE_TOLERANCE` of γ and η, and their
    ratio of ρ* = η/γ."""
    growth = certificate.find("growth-exponents")[0]
    a, b = growth.grad_slope, growth.hess_slope
    if a is None or b is None:
        return None, "the table gave no slopes"
    ok = abs(a - grad) <= LINE_SLOPE_TOLERANCE and abs(b - hess) <= LINE_SLOPE_TOLERANCE
    return ok, (f"numeric slopes γ̂ = {a:.9f}, η̂ = {b:.9f}, η̂/γ̂ = {b / a:.9f} (estimates from confirmed rows; "
                f"tolerance {LINE_SLOPE_TOLERANCE:g})")


def line_closed_forms(certificate: Certificate, reference: LineReference) -> tuple[bool | None, str]:
    """The certificate's exact G²(t) equals the derived g₂t² + g₀, and H²(t) has degree 4 with leading coefficient
    h₄ (symbolic identities; a degree or coefficient that differs refutes)."""
    t = certificate.curve.parameter
    restrictions = certificate.find("symbolic-restriction")
    grad_sq, hess_sq = restrictions[0].expression, restrictions[1].expression
    grad_ok = not disagreement(grad_sq, reference.grad_sq(t))
    leading = leading_coefficient(hess_sq, t)
    hess_ok = leading is not None and leading[0] == 4 and not disagreement(leading[1], reference.h4)
    return grad_ok and hess_ok, (f"G²(t) = g₂t² + g₀ {'exactly' if grad_ok else 'DIFFERS'} (g₂ = "
                                 f"{sp.sstr(reference.g2)}, g₀ = {sp.sstr(reference.g0)}); H²(t) leading term "
                                 f"{'h₄t⁴' if hess_ok else 'DIFFERS from h₄t⁴'} (h₄ = {sp.sstr(reference.h4)})")


def line_rho_two(certificate: Certificate, reference: LineReference) -> tuple[bool | None, str]:
    """Negative control ρ = 2 = ρ*: not refuted, and the symbolic limit of the ratio is k = √h₄/g₂ exactly."""
    outcome = _limit_outcome(certificate)
    if outcome is None or outcome.kind != "finite" or reference.k is None:
        return expected_verdict(certificate.verdict, "not refuted") and None, (
            f"verdict {certificate.verdict}; limit {'?' if outcome is None else outcome.value_text()}")
    same = same_constant(outcome.value, reference.k)
    passed = all_of([expected_verdict(certificate.verdict, "not refuted"), same])
    return passed, (f"verdict {certificate.verdict}; lim ‖∇²f‖_F/(1 + ‖∇f‖²) = {sp.sstr(outcome.value)} "
                    f"{'=' if same else '≠' if same is False else '≟'} k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖² = {sp.sstr(reference.k)}")


def line_control(certificate: Certificate, control: LineControl) -> tuple[bool | None, str]:
    """A control's verdict and critical exponent are the expected ones."""
    verdict = expected_verdict(certificate.verdict, control.wanted)
    critical = certificate.critical_exponent == control.critical
    return all_of([verdict, critical]), (f"verdict {certificate.verdict} (expected {control.wanted}); ρ* = "
                                         f"{_critical_text(certificate.critical_exponent)} (expected "
                                         f"{_critical_text(control.critical)}) — {certificate.reason}")


def line_residual(certificate: Certificate, reference: LineReference) -> tuple[bool | None, str]:
    """Residuals summing to zero: every ρ refuted, ∇f ≡ 0 (G² ≡ 0, derived g₂ = g₀ = 0), ρ* = ∞, and H² of degree
    4 with leading coefficient h₄."""
    t = certificate.curve.parameter
    hess_sq = certificate.find("symbolic-restriction")[1].expression
    leading = leading_coefficient(hess_sq, t)
    derived_zero = reference.g2 == 0 and reference.g0 == 0
    hess_ok = leading is not None and leading[0] == 4 and not disagreement(leading[1], reference.h4)
    passed = all_of([expected_verdict(certificate.verdict, "refuted"), certificate.growth.gradient_vanishes,
                     certificate.critical_exponent == sp.oo, derived_zero, hess_ok])
    return passed, (f"verdict {certificate.verdict}; ∇f ≡ 0: {certificate.growth.gradient_vanishes} (derived: "
                    f"{derived_zero}); ρ* = {_critical_text(certificate.critical_exponent)}; H² leading term "
                    f"{'h₄t⁴' if hess_ok else 'DIFFERS'} (h₄ = {sp.sstr(reference.h4)})")


def line_claim(network: LineNetwork, residual_network: LineNetwork, loss, controls: Sequence[LineControl], *,
               decades: int = 8) -> LineClaimResult:
    """Every check of a line-R claim: certificates along R at ρ = 1, 2, 3 and for every ρ, along R with residuals
    summing to zero, and the controls; compared with :func:`line_reference` built from ``loss`` (the claim's own
    loss formula, differentiated by SymPy)."""
    start = time.perf_counter()
    options = {"decades": decades}
    reference = line_reference(network.widths, network.c, network.M,
                               *reference_loss_terms(loss, network.data.label_vectors))
    residual_reference = line_reference(residual_network.widths, residual_network.c, residual_network.M,
                                        *reference_loss_terms(loss, residual_network.data.label_vectors))
    rho_one = certify_line(network, rho=1, **options)
    every = certify_line(network, **options)
    rho_two = certify_line(network, rho=2, **options)
    rho_three = certify_line(network, rho=3, **options)
    residual = certify_line(residual_network, **options)
    results = {
        "ρ = 1 refuted along R (symbolic limit + confirmed ball table)": line_rho_one(rho_one),
        "growth and critical exponents along R, exactly": line_exponents(every, 1, 2, sp.Integer(2)),
        "numeric slopes agree with the exponents": line_slopes(every, 1, 2),
        "closed forms along R (derivation vs exact restriction)": line_closed_forms(every, reference),
        "control ρ = 2 = ρ*: not refuted, ratio → k": line_rho_two(rho_two, reference),
        "control ρ = 3: not refuted": line_control(rho_three, LineControl("ρ = 3", network, 3, "not refuted",
                                                                          sp.Integer(2))),
        "residuals summing to zero: every ρ refuted": line_residual(residual, residual_reference),
    }
    certificates = [rho_one, every, rho_two, rho_three, residual]
    for control in controls:
        certificate = certify_line(control.network, rho=control.rho, **options)
        results[f"control {control.label}"] = line_control(certificate, control)
        certificates.append(certificate)
    return LineClaimResult(network, reference, residual_network, residual_reference, results, certificates,
                           time.perf_counter() - start)


def render_line_claim(result: LineClaimResult, report: ClaimReport) -> ClaimReport:
    """Fill ``report`` (name, title, claim, statement, method and evidence kind already set) with the checks,
    the derivation's values and the certificates of a :class:`LineClaimResult`."""
    n, ref = result.network, result.reference
    for name, (passed, detail) in result.results.items():
        report.add_check(name, passed, detail)
    report.sections.append(("The network and the line R", [
        n.describe(), f"data: {n.data.source}", f"residuals summing to zero: {result.residual_network.data.source}"]))
    report.sections.append(("Derived closed forms (a = tanh(c), s = 1 − a²)", [
        f"‖∇f‖² = g₂t² + g₀, g₂ = {sp.sstr(ref.g2)}, g₀ = {sp.sstr(ref.g0)}",
        f"‖∇²f‖_F² = h₄t⁴ + O(t³), h₄ = {sp.sstr(ref.h4)}",
        f"k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖² = {sp.sstr(ref.k)}: ‖∇²f‖_F ≈ k‖∇f‖² along R (the seed's quadratic relationship)"]))
    for certificate in result.certificates:
        report.certificates.append(certificate)
    report.seconds = result.seconds
    return report


__all__ += [
    "LineReference", "reference_loss_terms", "line_reference", "same_constant", "leading_coefficient", "LineControl",
    "LineClaimResult", "LINE_SLOPE_TOLERANCE", "line_rho_one", "line_exponents", "line_slopes", "line_closed_forms",
    "line_rho_two", "line_control", "line_residual", "line_claim", "render_line_claim",
]
