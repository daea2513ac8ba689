"""Rigorous upper bounds of r_ρ = |f″|/(1 + |f′|^ρ) in ball arithmetic (f : R → R).

The univariate decision (:mod:`dlnsmooth.univariate`) turns "r_ρ is bounded on R" into
explicit constants C0 = C1 = M ≥ sup r_ρ. This module computes such an M:

* :class:`RatioBounds` — enclosures of r_ρ at a point or over a box. r_ρ is the ratio of the two
  sides of :class:`~dlnsmooth.conditions.HessianGrowth` with C0 = C1 = 1 (for n = 1 every
  Hessian norm is |f″|), so the bounds are that condition's
  :meth:`~dlnsmooth.conditions.BallSides.ratio_bounds`: the inequality is written once, in
  :mod:`dlnsmooth.conditions`. **Rigorous** (python-flint balls of f′ and f″ from the
  objective's compiled program).
* :func:`branch_and_bound` — sup of a function on an interval, from an upper enclosure over boxes
  and lower bounds at points. The upper bound is **rigorous** whenever the enclosures are (the
  boxes left on the heap cover the interval); the lower bound is a value the function is known to
  reach, so it brackets the supremum from below.
* :func:`compact_bound` — sup r_ρ on [−R, R] by branch and bound (**rigorous**), together with a
  :func:`tail_bound` for each tail |x| ≥ R.
* :func:`tail_bound` — r_ρ on the tail ±x ≥ R. First one ball evaluation of f′, f″ on the whole
  line x ∈ [±∞] (:func:`whole_line_bound`; **rigorous**: bounded functions such as sin give
  finite enclosures). Otherwise a compactifying substitution (:func:`compactifying_substitutions`:
  x = ±1/u, x = ∓log u, x = ±sqrt(−log u)) maps the tail into u ∈ (0, u₀]; the SymPy-simplified
  r_ρ² (:func:`~dlnsmooth.conditions.growth_ratio`) is then bounded over [0, u₀] by branch and bound in balls, with
  periodic factors whose argument is unbounded enclosed by [−1, 1] (:class:`PeriodicBallFunction`).
  The ball bound is rigorous for the *simplified* expression; that SymPy's simplification kept the
  function is trusted and guarded numerically only (:func:`same_function`, four points at 60
  digits) — **not proved**. A tail for which no substitution works is reported as not rigorous,
  without a bound.

* :func:`prove_pointwise_bound` — decides |f″(x)| ≤ C0 + C1|f′(x)|^ρ for every real x
  (:class:`BoundProof`: ``holds`` with the route of each region, ``refuted`` with an exact
  witness, or ``undecided``). [−R, R] by branch and bound over the ball derivatives of f
  (**rigorous**); each tail by a compactifying substitution x = x(u), u ∈ (0, u₀]: the boxes
  u ∈ [a, b] with a > 0 are checked on f itself over the x-box x([a, b]) (**rigorous**), only
  the boxes [0, b] use the SymPy-simplified quotient (|f″|/(C0 + C1|f′|^ρ))² (rigorous for
  that expression; that it equals the quotient for u > 0 is SymPy's simplification, trusted
  and guarded numerically). Witnesses are always checked at an exact x on f itself.

Evidence types (:class:`~dlnsmooth.evidence.CompactBound`, :class:`~dlnsmooth.evidence.TailBound`)
live in :mod:`dlnsmooth.evidence`.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp
from flint import arb, fmpq

from .budget import run_with_budget
from .conditions import BallSides, HessianGrowth, growth_ratio
from .errors import ShapeError, UnsupportedForBalls
from .evidence import CompactBound, TailBound
from .numbers import ball_to_mpf, parse_rho, to_mpf
from .objective import Objective, VectorField
from .precision import working_precision
from .results import Result, Verdict

__all__ = [
    "BoundProof",
    "IntervalBound",
    "PROOF_RADIUS",
    "PeriodicBallFunction",
    "RatioBounds",
    "branch_and_bound",
    "compact_bound",
    "compactifying_substitutions",
    "prove_pointwise_bound",
    "same_function",
    "tail_bound",
    "whole_line_bound",
]

#: flint precision (decimal digits) of the branch and bound
BOUND_DPS = 30


class RatioBounds:
    """Ball enclosures of r_ρ = |f″|/(1 + |f′|^ρ) for an objective of one variable at a fixed ρ.

    The enclosure is ``HessianGrowth(ρ, 1, 1).sides_from_norms(|f′|, |f″|).ratio_bounds()``,
    the condition built once here. Rigorous: ``low ≤ r_ρ(x) ≤ high`` for every x in the point
    or box (``high`` is +∞ when the balls say nothing). Example: for f = x⁴ at ρ = 2/3,
    ``RatioBounds(f, "2/3").enclose(1)`` encloses r = 12/(1 + 4^(2/3)) ≈ 3.4092 (at the current
    flint precision).
    """

    def __init__(self, objective: Objective, rho: object):
        if objective.n != 1:
            raise ShapeError(f"r_ρ is defined for f : R → R; {objective.signature()} has {objective.n} variables")
        self.objective = objective
        self.rho = parse_rho(rho)
        self.condition = HessianGrowth(self.rho, 1, 1)

    def derivatives(self, point: object) -> tuple[arb, arb]:
        """(f′, f″) at an exact number or over a ball, as balls at the current flint precision."""
        gradient, hessian = self.objective.ball_derivatives([point])
        return gradient[0], hessian[0][0]

    def enclose(self, point: object) -> tuple[arb, arb]:
        """Exact (low, high) with low ≤ r_ρ ≤ high at ``point`` (an exact number or a ball)."""
        fp, fpp = self.derivatives(point)
        return self.condition.sides_from_norms(abs(fp), abs(fpp)).ratio_bounds()

    def upper(self, box: arb) -> arb:
        """An exact upper bound of r_ρ over the ball ``box`` (+∞ when unbounded there)."""
        return self.enclose(box)[1]

    def lower(self, point: object) -> arb:
        """An exact lower bound of r_ρ at ``point``."""
        return self.enclose(point)[0]


@dataclass(frozen=True)
class IntervalBound:
    """sup of a function on an interval, bracketed: ``lower ≤ sup ≤ upper``.

    ``upper`` is rigorous when the enclosures given to :func:`branch_and_bound` are; ``lower``
    is the largest lower bound found at a point (``argmax``); ``boxes`` is the number of boxes
    covering the interval at the end and ``evaluations`` the number of calls made."""

    upper: mp.mpf
    lower: mp.mpf
    argmax: mp.mpf
    boxes: int
    evaluations: int


def _box(lo: fmpq, hi: fmpq) -> arb:
    """A ball containing [lo, hi] (exact endpoints, rounded outwards)."""
    return arb(lo).union(arb(hi))


def _to_mpf(value: arb) -> mp.mpf:
    """An exact ball (radius 0, as from ``.upper()``) as an mpf, exactly; +∞ when not finite."""
    return ball_to_mpf(value) if value.is_finite() else mp.inf


def branch_and_bound(
    upper_of: Callable[[arb], arb],
    lower_at: Callable[[fmpq], arb],
    lo: fmpq,
    hi: fmpq,
    *,
    pieces: int = 64,
    max_evaluations: int = 20000,
    tolerance: float = 0.005,
    deadline: float = math.inf,
    nonnegative: bool = False,
) -> IntervalBound:
    """Bracket sup g on [lo, hi] given ``upper_of(box)`` ≥ g on the ball ``box`` and
    ``lower_at(point)`` ≤ g(point).

    The interval is cut into ``pieces`` boxes; the box with the largest upper bound is split
    until that bound is within ``tolerance`` (relative) of the best lower bound, or the
    evaluation count, the ``deadline`` (``time.perf_counter()``) or a box width of 2⁻⁶⁰ is
    reached. ``nonnegative`` clips each box to its non-negative part (a variable u ≥ 0).
    The upper bound is the largest exact upper end over the boxes that cover [lo, hi]: it is
    rigorous when ``upper_of`` encloses g; an unbounded box makes it +∞.
    """
    width = (hi - lo) / pieces
    heap: list[tuple[float, int, fmpq, fmpq, arb]] = []
    best_low, best_at = arb(0), lo
    evaluations = 0

    def push(a: fmpq, b: fmpq) -> None:
        nonlocal evaluations, best_low, best_at
        box = _box(a, b)
        up = upper_of(box.nonnegative_part() if nonnegative else box)
        up = up.upper() if up.is_finite() else arb("inf")
        middle = (a + b) / 2
        low = lower_at(middle)
        evaluations += 2
        if low > best_low:
            best_low, best_at = low, middle
        key = float(up.mid()) if up.is_finite() else math.inf
        heapq.heappush(heap, (-key, evaluations, a, b, up))

    for i in range(pieces):
        push(lo + i * width, lo + (i + 1) * width)
    while heap:
        key, _, a, b, _ = heap[0]
        if -key <= float(best_low.mid()) * (1 + tolerance) + tolerance * 1e-6:
            break
        if evaluations >= max_evaluations or time.perf_counter() > deadline or (b - a) < fmpq(1, 2**60):
            break
        heapq.heappop(heap)
        middle = (a + b) / 2
        push(a, middle)
        push(middle, b)
    with mp.workdps(BOUND_DPS):
        where = to_mpf(sp.Rational(int(best_at.p), int(best_at.q)))
    if any(not entry[4].is_finite() for entry in heap):
        upper = mp.inf
    else:
        upper = max((_to_mpf(entry[4]) for entry in heap), default=mp.mpf(0))
    return IntervalBound(upper, _to_mpf(best_low.lower()), where, len(heap), evaluations)


class PeriodicBallFunction:
    """One expression in a variable u evaluated over balls, where sin and cos of an argument that
    cannot be enclosed (1/u over a box touching 0 is not finite in arb) are replaced by their
    range [−1, 1]. Rigorous: the result encloses the expression over the box wherever it is
    defined. Nested periodic functions are evaluated as they are (usually not finite at u = 0).
    """

    def __init__(self, expression: sp.Expr, variable: sp.Symbol):
        atoms = sorted({a for a in expression.atoms(sp.sin, sp.cos) if variable in a.free_symbols},
                       key=sp.default_sort_key)
        if any(a.args[0].has(sp.sin, sp.cos) for a in atoms):
            atoms = []
        self.expression = expression
        self.atoms = atoms
        symbols = [sp.Dummy(f"p{i}") for i in range(len(atoms))]
        self.arguments = VectorField([a.args[0] for a in atoms], [variable], name="arguments",
                                     smooth=False) if atoms else None
        self.program = VectorField([expression.xreplace(dict(zip(atoms, symbols)))], [variable, *symbols],
                                   name="expression", smooth=False)

    def ball(self, box: arb) -> arb:
        """An enclosure of the expression over ``box`` at the current flint precision."""
        periodic = []
        if self.arguments is not None:
            for atom, argument in zip(self.atoms, self.arguments.ball([box])):
                if argument.is_finite():
                    periodic.append(argument.sin() if isinstance(atom, sp.sin) else argument.cos())
                else:
                    periodic.append(arb(0, 1))
        return self.program.ball([box, *periodic])[0]


#: the points (fractions of u₀) and the agreement (relative) of :func:`same_function`
_SAME_POINTS = ("0.9", "0.5", "0.1", "0.001")
_SAME_DIGITS = 20


def same_function(a: sp.Expr, b: sp.Expr, variable: sp.Symbol, upper: sp.Rational) -> bool:
    """Do ``a`` and ``b`` agree to 20 digits at u = 0.9, 0.5, 0.1 and 0.001 times ``upper``?
    A numeric guard that a simplification kept the function; it proves nothing (two functions
    may agree at four points). Evaluated in balls at 60, then 200 digits (so a huge argument of
    sin costs no time: its ball just becomes too wide, and the answer is "not confirmed"); an
    expression without a ball version in mpmath at 60 digits within 2 seconds."""
    both = VectorField([a, b], [variable], name="r_ρ²", smooth=False)
    try:
        return all(_same_in_balls(both, _rational_point(upper, fraction)) for fraction in _SAME_POINTS)
    except UnsupportedForBalls:
        outcome = run_with_budget(_same_in_mpmath, both, upper, seconds=2.0)
        return outcome.ok and outcome.value is True


def _rational_point(upper: sp.Rational, fraction: str) -> fmpq:
    value = sp.Rational(upper) * sp.Rational(fraction)
    return fmpq(int(value.p), int(value.q))


def _same_in_balls(both: VectorField, point: fmpq) -> bool:
    for dps in (60, 200):
        with working_precision(dps):
            try:
                va, vb = both.ball([arb(point)])
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return False
            if not (va.is_finite() and vb.is_finite()):
                return False
            tolerance = arb(10) ** -_SAME_DIGITS * (1 + abs(va))
            difference = abs(va - vb)
            if difference.upper() <= tolerance.lower():
                return True
            if difference.lower() > tolerance.upper():
                return False
    return False


def _same_in_mpmath(both: VectorField, upper: sp.Rational) -> bool:
    with mp.workdps(60):
        for fraction in _SAME_POINTS:
            point = to_mpf(upper) * mp.mpf(fraction)
            try:
                va, vb = both([point], 60)
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return False
            if abs(va - vb) > mp.mpf(10) ** -_SAME_DIGITS * (1 + abs(va)):
                return False
    return True


def compactifying_substitutions(sign: int, radius: sp.Rational, u: sp.Symbol) -> list[tuple[str, sp.Expr, sp.Rational]]:
    """(label, x(u), u₀) such that u ∈ (0, u₀] ↦ x(u) covers the tail sign·x ≥ R (at least):
    x = ±1/u with u₀ = 1/R; x = ∓log u and x = ±sqrt(−log u) with u₀ a power of 1/2 whose
    −log u₀ is at most R, respectively R²."""
    log_steps = int(math.floor(float(radius) / math.log(2)))
    sqrt_steps = int(math.floor(float(radius) ** 2 / math.log(2)))
    return [
        ("x = ±1/u", sign / u, 1 / sp.Rational(radius)),
        ("x = ∓log u", -sign * sp.log(u), sp.Rational(1, 2**log_steps)),
        ("x = ±sqrt(−log u)", sign * sp.sqrt(-sp.log(u)), sp.Rational(1, 2**sqrt_steps)),
    ]


def _rewrite_hyperbolic(expression: sp.Expr) -> sp.Expr:
    for head in (sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth):
        if expression.has(head):
            expression = expression.rewrite(head, sp.exp)
    return expression


def _simplify(expression: sp.Expr) -> sp.Expr:
    return sp.simplify(_rewrite_hyperbolic(expression))


def whole_line_bound(ratio: RatioBounds) -> mp.mpf | None:
    """A rigorous upper bound of r_ρ on all of R from one ball evaluation of f′, f″ at
    x = [±∞], or None when that enclosure is not finite (or f has no ball version)."""
    with working_precision(BOUND_DPS):
        try:
            bound = ratio.upper(arb(0, "inf"))
        except (ValueError, ZeroDivisionError, UnsupportedForBalls):
            return None
        return _to_mpf(bound) if bound.is_finite() else None


def _substituted_ratio(objective: Objective, rho: sp.Rational, x_of_u: sp.Expr) -> sp.Expr:
    x = objective.variables[0]
    fp, fpp = objective.gradient[0], objective.hessian[0, 0]
    return growth_ratio(fp.xreplace({x: x_of_u}) ** 2, fpp.xreplace({x: x_of_u}) ** 2, rho, squared=True)


def _bound_on_compactified(ratio_sq: sp.Expr, u: sp.Symbol, u0: sp.Rational, deadline: float) -> IntervalBound | None:
    """sqrt of ``ratio_sq`` bounded over [0, u₀] in balls, or None without a finite enclosure."""
    try:
        function = PeriodicBallFunction(ratio_sq, u)
    except UnsupportedForBalls:
        return None

    def upper_of(box: arb) -> arb:
        value = function.ball(box)
        return value.nonnegative_part().sqrt().upper() if value.is_finite() else arb("inf")

    def lower_at(point: fmpq) -> arb:
        value = function.ball(arb(point))
        return value.nonnegative_part().sqrt().lower() if value.is_finite() else arb(0)

    end = fmpq(int(u0.p), int(u0.q))
    with working_precision(BOUND_DPS):
        if not upper_of(_box(fmpq(0), end).nonnegative_part()).is_finite():
            # a finite enclosure on a short box at u = 0 is needed; try one split before giving up
            if not upper_of(_box(fmpq(0), end / 1024).nonnegative_part()).is_finite():
                return None
        bound = branch_and_bound(upper_of, lower_at, fmpq(0), end, pieces=16, max_evaluations=4000,
                                 tolerance=0.01, deadline=deadline, nonnegative=True)
    return bound if mp.isfinite(bound.upper) else None


def tail_bound(objective: Objective, sign: int, rho: object, radius: sp.Rational, *, limit_budget: float,
               deadline: float) -> TailBound:
    """A bound of r_ρ on the tail sign·x ≥ R (module docstring): the whole-line ball evaluation,
    else the first compactifying substitution whose simplified r_ρ² (SymPy, at most
    ``limit_budget`` seconds, never past ``deadline``) is ball-evaluable at u = 0, agrees
    numerically with the unsimplified one, and has a finite branch-and-bound enclosure.
    ``rigorous`` is False (and ``upper`` None) when none works."""
    rho = parse_rho(rho)
    whole = whole_line_bound(RatioBounds(objective, rho))
    if whole is not None:
        return TailBound(sign, True, whole, "f′, f″ evaluated in ball arithmetic on the whole line x ∈ [±∞] "
                                            "(bounded functions such as sin give finite enclosures)", 1)
    u = sp.Symbol("u", positive=True)
    for label, x_of_u, u0 in compactifying_substitutions(sign, radius, u):
        if time.perf_counter() > deadline:
            break
        raw = _substituted_ratio(objective, rho, x_of_u)
        remaining = deadline - time.perf_counter()
        outcome = run_with_budget(_simplify, raw, seconds=max(0.5, min(limit_budget, 3.0, remaining)))
        if not outcome.ok:
            continue
        simplified = outcome.value
        if simplified.has(sp.log) or simplified.free_symbols - {u}:
            continue  # log u is singular at u = 0: no ball enclosure there
        if not same_function(raw, simplified, u, u0):
            continue
        bound = _bound_on_compactified(simplified, u, u0, deadline)
        if bound is not None:
            return TailBound(sign, True, bound.upper,
                             f"substitution {label}, u ∈ [0, {sp.sstr(u0)}]; SymPy-simplified r_ρ² (checked "
                             "numerically against the original) in ball arithmetic, branch and bound", bound.boxes)
    return TailBound(sign, False, None, "no compactifying substitution gave a ball-evaluable r_ρ² at |x| = ∞")


def compact_bound(objective: Objective, rho: object, radius: sp.Rational, *, limit_budget: float,
                  time_budget: float) -> CompactBound:
    """sup r_ρ on [−R, R] by branch and bound over :class:`RatioBounds` (rigorous upper bound,
    +∞ when f has no ball version or the enclosures blow up), within ``time_budget`` seconds,
    and a :func:`tail_bound` of each tail (within half as long again)."""
    start = time.perf_counter()
    deadline = start + time_budget
    ratio = RatioBounds(objective, rho)
    end = fmpq(int(radius.p), int(radius.q))
    try:
        with working_precision(BOUND_DPS):
            bound = branch_and_bound(ratio.upper, ratio.lower, -end, end, pieces=64, max_evaluations=20000,
                                     tolerance=0.005, deadline=deadline)
    except UnsupportedForBalls:
        bound = IntervalBound(mp.inf, mp.mpf(0), mp.mpf(0), 0, 0)
    tails = [tail_bound(objective, s, ratio.rho, radius, limit_budget=limit_budget,
                        deadline=deadline + 0.5 * time_budget) for s in (1, -1)]
    return CompactBound(radius, bound.upper, bound.lower, bound.argmax, bound.boxes, bound.evaluations, tails,
                        time.perf_counter() - start)


# -- proving |f″| ≤ C0 + C1|f′|^ρ on all of R -------------------------------------------------------
#: radius R of the compact part [−R, R] of a pointwise-bound proof (the tails |x| ≥ R are compactified)
PROOF_RADIUS = sp.Integer(4)
#: boxes narrower than this (relative to their interval) are not split further: the proof stops undecided
PROOF_MIN_WIDTH = fmpq(1, 2**36)


@dataclass
class BoundProof(Result):
    """Whether ``|f″(x)| ≤ C0 + C1·|f′(x)|^ρ`` holds for every real x (0^0 = 1): the inequality
    of :class:`~dlnsmooth.conditions.HessianGrowth` for f : R → R, decided by
    :func:`prove_pointwise_bound`.

    ``holds``: every region of R is proved in ball arithmetic, each as ``route`` says;
    ``refuted``: at the exact ``witness`` the balls of both sides separate (``witness_text``);
    ``undecided``: neither within the budget (``reason`` says what was left)."""

    json_kind = "bound-proof"

    objective: Objective
    rho: sp.Rational
    C0: sp.Expr
    C1: sp.Expr
    verdict: Verdict
    reason: str
    route: list[str] = field(default_factory=list)
    witness: sp.Rational | None = None
    witness_text: str = ""
    seconds: float = 0.0

    @property
    def condition(self) -> HessianGrowth:
        return HessianGrowth(self.rho, self.C0, self.C1)

    @property
    def claim(self) -> str:
        return (f"|f″(x)| ≤ {sp.sstr(self.C0)} + {sp.sstr(self.C1)}·|f′(x)|^{sp.sstr(self.rho)} for every real x "
                "(0^0 = 1)")

    def report(self) -> str:
        lines = [f"Pointwise bound: {self.objective.describe()}", f"  claim: {self.claim}"]
        lines += [f"  {i}. {step}" for i, step in enumerate(self.route, 1)]
        if self.witness is not None:
            lines.append(f"  witness x = {sp.sstr(self.witness)}: {self.witness_text}")
        lines.append(f"Verdict: {self.verdict.upper()} — {self.reason}  ({self.seconds:.1f} s)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "claim": self.claim, "reason": self.reason, "rho": sp.sstr(self.rho),
                "C0": sp.sstr(self.C0), "C1": sp.sstr(self.C1), "route": list(self.route),
                "witness": None if self.witness is None else sp.sstr(self.witness),
                "witness_text": self.witness_text, "objective": self.objective.to_json(),
                "seconds": round(self.seconds, 3)}


class _Refuted(Exception):
    """A point where the inequality fails for certain (raised out of a proof)."""

    def __init__(self, point: fmpq, text: str):
        super().__init__(text)
        self.point, self.text = point, text


class _PointJudge:
    """The inequality at exact points and over boxes of x, on the objective itself (balls)."""

    def __init__(self, objective: Objective, condition: HessianGrowth):
        self.objective = objective
        self.condition = condition

    def sides(self, where: object) -> BallSides:
        gradient, hessian = self.objective.ball_derivatives([where])
        return self.condition.sides_from_norms(abs(gradient[0]), abs(hessian[0][0]))

    def box(self, box: arb) -> str:
        """``holds`` when the inequality is proved on the whole box, else ``undecided``."""
        try:
            return "holds" if self.sides(box).proved else "undecided"
        except (ValueError, ZeroDivisionError, OverflowError):
            return "undecided"

    def point(self, point: fmpq) -> None:
        """Raise :class:`_Refuted` when the balls at the exact point separate (lhs > rhs for certain)."""
        for dps in (BOUND_DPS, 3 * BOUND_DPS):
            with working_precision(dps):
                try:
                    sides = self.sides(point)
                except (ValueError, ZeroDivisionError, OverflowError):
                    return
                if sides.refuted:
                    raise _Refuted(point, f"|f″| ∈ {sides.lhs.str(12, radius=False)} > C0 + C1|f′|^ρ ∈ "
                                          f"{sides.rhs.str(12, radius=False)} (balls, {dps} digits)")
                if sides.proved:
                    return


def _prove_interval(holds_on: Callable[[fmpq, fmpq], bool], check_point: Callable[[fmpq], None], lo: fmpq,
                    hi: fmpq, deadline: float, *, pieces: int = 32) -> tuple[bool, int, str]:
    """Cover [lo, hi] by boxes on which ``holds_on`` proves the inequality, splitting the others
    (each split box's midpoint goes to ``check_point``, which raises :class:`_Refuted` on a
    violation). Returns (proved, boxes, why not)."""
    width = (hi - lo) / pieces
    stack = [(lo + i * width, lo + (i + 1) * width) for i in reversed(range(pieces))]
    proved = 0
    minimum = (hi - lo) * PROOF_MIN_WIDTH
    while stack:
        if time.perf_counter() > deadline:
            return False, proved, f"the time budget ran out with {len(stack)} box(es) of the interval left"
        a, b = stack.pop()
        if holds_on(a, b):
            proved += 1
            continue
        middle = (a + b) / 2
        check_point(middle)
        if b - a < minimum:
            return False, proved, (f"a box of width {float(b - a):.3g} near {float(middle):.8g} stays undecided: "
                                   "the inequality is (nearly) tight there")
        stack += [(middle, b), (a, middle)]
    return True, proved, ""


def _quotient_sq(objective: Objective, rho: sp.Rational, C0: sp.Expr, C1: sp.Expr, x_of_u: sp.Expr) -> sp.Expr:
    """(|f″| / (C0 + C1|f′|^ρ))² at x = x(u), with 0^0 = 1."""
    x = objective.variables[0]
    fp, fpp = objective.gradient[0].xreplace({x: x_of_u}), objective.hessian[0, 0].xreplace({x: x_of_u})
    right = C0 + C1 if rho == 0 else C0 + C1 * (fp**2) ** (rho / 2)
    return fpp**2 / right**2


def _x_point(x_of_u: sp.Expr, u: sp.Symbol, point: fmpq) -> fmpq:
    """An exact rational x near x(u) at u = ``point`` (a witness is then checked at that x itself)."""
    value = x_of_u.xreplace({u: sp.Rational(int(point.p), int(point.q))})
    if value.is_Rational:
        return fmpq(int(value.p), int(value.q))
    exact = sp.Rational(str(sp.N(value, 40)))
    return fmpq(int(exact.p), int(exact.q))


def _x_box(x_of_u: sp.Expr, u: sp.Symbol, a: fmpq, b: fmpq) -> arb:
    """A ball containing x(u) for u ∈ [a, b], 0 < a (x(u) is monotone: the hull of its values at the ends)."""
    field = VectorField([x_of_u], [u], name="x(u)", smooth=False)
    return field.ball([arb(a)])[0].union(field.ball([arb(b)])[0])


def _prove_tail(judge: _PointJudge, sign: int, radius: sp.Rational, deadline: float,
                simplify_budget: float) -> tuple[bool, str]:
    """The inequality on the tail sign·x ≥ R through a compactifying substitution x = x(u),
    u ∈ (0, u₀] (:func:`compactifying_substitutions`): a box [a, b] of u with a > 0 is checked on
    f itself over the x-box x([a, b]); only boxes [0, b] use the SymPy-simplified quotient
    (|f″|/(C0 + C1|f′|^ρ))², which must be ≤ 1 there in balls. Returns (proved, how or why
    not); a violation found on the way raises :class:`_Refuted`."""
    objective, condition = judge.objective, judge.condition
    u = sp.Symbol("u", positive=True)
    tried = []
    for label, x_of_u, u0 in compactifying_substitutions(sign, radius, u):
        if time.perf_counter() > deadline:
            tried.append(f"{label}: no time left")
            break
        function = _simplified_quotient(objective, condition, x_of_u, u, u0, deadline, simplify_budget, tried, label)
        if function is None:
            continue
        counts = {"f": 0, "quotient": 0}

        def holds_on(a: fmpq, b: fmpq, function: PeriodicBallFunction = function, x_of_u: sp.Expr = x_of_u,
                     counts: dict[str, int] = counts) -> bool:
            if a > 0:
                try:
                    if judge.box(_x_box(x_of_u, u, a, b)) == "holds":
                        counts["f"] += 1
                        return True
                except (ValueError, ZeroDivisionError, OverflowError, UnsupportedForBalls):
                    pass
            try:
                value = function.ball(_box(a, b).nonnegative_part())
            except (ValueError, ZeroDivisionError, OverflowError):
                return False
            if value.is_finite() and bool(value.upper() <= 1):
                counts["quotient"] += 1
                return True
            return False

        def check_point(point: fmpq, x_of_u: sp.Expr = x_of_u) -> None:
            if point > 0:
                judge.point(_x_point(x_of_u, u, point))

        end = fmpq(int(u0.p), int(u0.q))
        with working_precision(BOUND_DPS):
            if not _finite_at_zero(function, end):
                tried.append(f"{label}: the quotient has no finite enclosure at u = 0")
                continue
            proved, boxes, why = _prove_interval(holds_on, check_point, fmpq(0), end, deadline, pieces=16)
        if proved:
            return True, (f"{'x ≥ ' if sign > 0 else 'x ≤ −'}{sp.sstr(radius)}: substitution {label}, u ∈ [0, "
                          f"{sp.sstr(u0)}] covers the tail; {counts['f']} box(es) u ∈ [a, b], a > 0, proved on f "
                          f"itself over x([a, b]) in balls; {counts['quotient']} box(es) at u = 0 by the quotient "
                          "(|f″|/(C0 + C1|f′|^ρ))² as simplified by SymPy (an identity for u > 0, trusted; checked "
                          "numerically against the unsimplified quotient) ≤ 1 in balls")
        tried.append(f"{label}: {why}")
    return False, "; ".join(tried) or "no compactifying substitution applies"


def _simplified_quotient(objective: Objective, condition: HessianGrowth, x_of_u: sp.Expr, u: sp.Symbol,
                         u0: sp.Rational, deadline: float, simplify_budget: float, tried: list[str],
                         label: str) -> PeriodicBallFunction | None:
    """The simplified quotient as a ball function of u, or None (the reason appended to ``tried``)."""
    raw = _quotient_sq(objective, condition.rho, condition.C0, condition.C1, x_of_u)
    seconds = min(simplify_budget, deadline - time.perf_counter())
    outcome = run_with_budget(_simplify, raw, seconds=seconds) if seconds > 0.1 else None
    if outcome is None or not outcome.ok:
        tried.append(f"{label}: SymPy's simplification gave no answer in time")
        return None
    simplified = outcome.value
    if simplified.free_symbols - {u} or (simplified.has(sp.log) and not raw.has(sp.log)):
        tried.append(f"{label}: the simplified quotient is not a function of u alone")
        return None
    if not same_function(raw, simplified, u, u0):
        tried.append(f"{label}: the simplified quotient disagrees numerically with the original")
        return None
    try:
        return PeriodicBallFunction(simplified, u)
    except UnsupportedForBalls as exc:
        tried.append(f"{label}: no ball arithmetic ({exc})")
        return None


def _finite_at_zero(function: PeriodicBallFunction, end: fmpq) -> bool:
    try:
        return function.ball(_box(fmpq(0), end / 2**40).nonnegative_part()).is_finite()
    except (ValueError, ZeroDivisionError, OverflowError):
        return False


def prove_pointwise_bound(objective: Objective, rho: object, C0: object, C1: object, *,
                          time_budget: float = 30.0) -> BoundProof:
    """Decide whether |f″(x)| ≤ C0 + C1·|f′(x)|^ρ for every real x (f : R → R; 0^0 = 1).

    ``C0``, ``C1`` are exact reals ≥ 0 (:func:`~dlnsmooth.numbers.nonnegative_constant` via
    :class:`~dlnsmooth.conditions.HessianGrowth`). Routes, in order: one ball evaluation on the
    whole line x ∈ [±∞]; else branch and bound on [−R, R] (R = :data:`PROOF_RADIUS`) over the
    objective's ball derivatives, and each tail |x| ≥ R by a compactifying substitution
    (:func:`compactifying_substitutions`) whose SymPy-simplified quotient
    (|f″|/(C0 + C1|f′|^ρ))² is shown ≤ 1 by branch and bound in balls on [0, u₀] (u = 0
    included). Every box midpoint that is split is checked at an exact x on the objective
    itself: a certain violation there makes the verdict ``refuted`` with that witness. Trust:
    ball arithmetic (python-flint) for every box; SymPy's derivatives, and its simplification
    of the substituted quotient on the tails (an identity for u > 0, guarded numerically).
    Ends within ``time_budget`` seconds (plus one simplification), ``undecided`` otherwise."""
    if objective.n != 1:
        raise ShapeError(f"a pointwise bound is proved for f : R → R; {objective.signature()} has "
                         f"{objective.n} variables")
    if not time_budget > 0:
        raise ValueError(f"time_budget must be a positive number of seconds, got {time_budget}")
    start = time.perf_counter()
    deadline = start + time_budget
    condition = HessianGrowth(rho, C0, C1)
    judge = _PointJudge(objective, condition)

    def result(verdict: Verdict, reason: str, route: list[str], witness: _Refuted | None = None) -> BoundProof:
        point = None if witness is None else sp.Rational(int(witness.point.p), int(witness.point.q))
        return BoundProof(objective, condition.rho, condition.C0, condition.C1, verdict, reason, route, point,
                          "" if witness is None else witness.text, time.perf_counter() - start)

    try:
        with working_precision(BOUND_DPS):
            judge.point(fmpq(0))
            if judge.box(arb(0, "inf")) == "holds":
                return result("holds", "proved on the whole line at once",
                              ["x ∈ R: one ball evaluation of f′, f″ on the whole line [±∞] gives |f″| ≤ C0 + "
                               "C1|f′|^ρ (the right side at its least, C0 + C1·(lower end of |f′|)^ρ)"])
        route: list[str] = []
        R = PROOF_RADIUS
        end = fmpq(int(R.p), int(R.q))

        def holds_on(a: fmpq, b: fmpq) -> bool:
            with working_precision(BOUND_DPS):
                return judge.box(_box(a, b)) == "holds"

        proved, boxes, why = _prove_interval(holds_on, judge.point, -end, end, deadline, pieces=64)
        if not proved:
            return result("undecided", f"on [−{R}, {R}]: {why}", route)
        route.append(f"x ∈ [−{R}, {R}]: |f″| ≤ C0 + C1|f′|^ρ on each of {boxes} boxes (branch and bound over "
                     f"the ball derivatives of f, {BOUND_DPS} digits)")
        for sign in (1, -1):
            done, how = _prove_tail(judge, sign, R, deadline, simplify_budget=5.0)
            if not done:
                side = "x ≥ " if sign > 0 else "x ≤ −"
                return result("undecided", f"the tail {side}{R} is not proved: {how}", route)
            route.append(how)
    except UnsupportedForBalls as exc:
        return result("undecided", f"f has no ball arithmetic version ({exc})", [])
    except _Refuted as refutation:
        return result("refuted", "the inequality fails at the witness (ball arithmetic)", [], refutation)
    return result("holds", "every region of R is proved", route)
