"""Audit of claimed constants: look for a point where ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ.

The inequality audited is the Hessian growth condition of SPEC §2 (Props 5–6)::

    ‖∇²f(x)‖₂ ≤ C0 + C1 ‖∇f(x)‖^ρ   for all x,

with the spectral norm of the Hessian (the norm of the definitions), the
Euclidean norm of the gradient and ``0^0 = 1``; (L0, L1)-smoothness is ρ = 1.
By Props 5 and 6 it holds exactly when ∇f is ρ-order (and ρ-integrated)
Lipschitz with the same constants, so one point where it fails refutes the
claimed constants (C0, C1) for ρ — nothing more: other constants may work.

Where the audit looks (within a time budget, deterministic for a seed):

1. stationary points with a non-zero Hessian (there ‖∇f‖ = 0 and the right
   side is C0, or C0 + C1 for ρ = 0): SymPy's ``solve`` of ∇f = 0 for small
   polynomial systems (under :func:`dlnsmooth.budget.run_with_budget`; free
   parameters of positive-dimensional solution sets are sampled), and
   multi-start Newton (scipy in float64 from seeded starts at several scales,
   refined by Newton's method in mpmath to many digits);
2. points along the search curves of :func:`dlnsmooth.search.candidate_curves`
   (monomial and monomial-log curves) at t = 10^1 … 10^32;
3. multi-start local maximisation of the ratio ‖∇²f‖₂/(C0 + C1‖∇f‖^ρ): scipy's
   Nelder–Mead in float64 from seeded random starts at several scales (points
   where float64 overflows or leaves the domain count as worst), then a compass
   search in mpmath from the best few results.

Every candidate is re-evaluated in mpmath (exact decimal point, working
precision raised by the conditioning of exp/sin/… there) and a candidate whose
left side exceeds its right side beyond rounding is handed to
:func:`confirm_violation`: at the exact rational point, in python-flint ball
arithmetic, a rigorous *lower* bound of ‖∇²f(x)‖₂ — ``‖∇²f(x) v‖/‖v‖`` for a
rational approximation v of the top eigenvector (any v ≠ 0 gives a lower bound;
1×1: |f″|) — must be strictly greater than a rigorous *upper* bound of
``C0 + C1‖∇f(x)‖^ρ``. Only then is the verdict ``refuted``; floating-point
comparisons never decide it, so a claim that holds with equality (eˣ with
L0 = 0, L1 = 1; x² with C0 = 2, C1 = 0) can never be reported as violated.

The sources are searched in this order and the search stops at the first
confirmed violation; when the time budget is spent it stops and says so.

Verdicts: ``refuted`` (with the point, both sides to 30 digits and the ball
bounds) or ``not refuted`` (no violation found; with the largest ratio seen and where). The
latter is not a proof that the claim holds: the search is finite (see
:mod:`dlnsmooth.univariate` and the certificates for proofs).

Limits: objectives with at most :data:`MAX_VARIABLES` variables (the symbolic
Hessian is compiled); points where ‖∇²f‖ or ‖∇f‖ need more than
:data:`MAX_EVAL_DPS` digits (e.g. exp(exp(x)) far out) are skipped; a violation
confined to a set too small for every source above is missed.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import mpmath as mp
import numpy as np
import sympy as sp
from flint import arb
from mpmath.libmp import NoConvergence
from scipy.optimize import minimize, root

from .balls import guaranteed_digits, nonnegative_sqrt
from .budget import run_with_budget
from .errors import DlnsmoothError, ParseError, ShapeError, TooLargeError, UnsupportedForBalls
from .norms import spectral_norm, vector_norm
from .numbers import ball_to_mpf, decimal_text, nonnegative_constant, parse_number, parse_rho, power, to_arb, to_mpf, to_rational
from .objective import Objective
from .precision import Confirmed, confirm, decimal_string, working_precision
from .progress import progress_bar
from .results import Result, Verdict, json_value
from .search import candidate_curves

__all__ = [
    "Claim",
    "Confirmation",
    "AuditResult",
    "audit",
    "confirm_violation",
    "parse_constant",
    "decimal_text",
    "CURVE_EXPONENTS",
    "MAX_VARIABLES",
    "MAX_EVAL_DPS",
]


#: Curve points are taken at t = 10^k for these k.
CURVE_EXPONENTS: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
#: Largest number of variables audited (the symbolic Hessian is compiled three times).
MAX_VARIABLES = 24
#: Points whose evaluation would need more digits than this are skipped.
MAX_EVAL_DPS = 3000
#: Scales of the random starts (Newton and local maximisation): x0 = scale · N(0, I).
NEWTON_SCALES: tuple[float, ...] = (0.5, 2.0, 8.0, 32.0)
LOCAL_SCALES: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 100.0)
# values given to the free parameters of positive-dimensional exact solution sets
_FREE_VALUES = (0, 1, -1, 2, 10, 1000, 10**6)
# the two sides of a candidate are "equal up to rounding" when they agree to this many digits
_EQUALITY_DIGITS = 30
# extra digits of every mpmath evaluation, above the conditioning of the point
_EVAL_GUARD = 40
# what a numeric evaluation may raise at a point where it fails (domain, overflow, precision)
_NUMERIC_FAILURES = (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError, DlnsmoothError,
                     NoConvergence)
# a candidate whose ratio exceeds 1 by more than this is always handed to the confirmation
_CLEAR_EXCESS = 1e-6
# significant digits of candidate points (decimal rationals)
_POINT_DIGITS = 30


# -- the claim ----------------------------------------------------------------------------
def parse_constant(value: object, name: str) -> sp.Expr:
    """A claimed constant: an exact real number ≥ 0 (``"0.99"``, ``"3/2"``, ``2``, ``"sqrt(5)"``)."""
    return nonnegative_constant(value, name)


@dataclass(frozen=True)
class Claim:
    """Claimed constants of ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ (``l0l1``: given as (L0, L1), ρ = 1)."""

    rho: sp.Rational
    C0: sp.Expr
    C1: sp.Expr
    l0l1: bool = False

    @classmethod
    def make(cls, *, rho: object = None, C0: object = None, C1: object = None, L0: object = None,
             L1: object = None) -> Claim:
        """Validate either (ρ, C0, C1) or (L0, L1); bad values raise with a message naming them."""
        if L0 is not None or L1 is not None:
            if rho is not None or C0 is not None or C1 is not None:
                raise ParseError("give either L0 and L1, or rho, C0 and C1 — not both")
            return cls(sp.Integer(1), parse_constant(L0, "L0"), parse_constant(L1, "L1"), l0l1=True)
        if rho is None:
            raise ParseError("rho is missing; give rho, C0 and C1 (or L0 and L1)")
        return cls(parse_rho(rho), parse_constant(C0, "C0"), parse_constant(C1, "C1"))

    @property
    def names(self) -> tuple[str, str]:
        return ("L0", "L1") if self.l0l1 else ("C0", "C1")

    def inequality(self) -> str:
        if self.l0l1:
            return "‖∇²f(x)‖₂ ≤ L0 + L1‖∇f(x)‖"
        return "‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ"

    def describe(self) -> str:
        a, b = self.names
        text = f"{a} = {decimal_text(self.C0)}, {b} = {decimal_text(self.C1)}"
        return text if self.l0l1 else f"ρ = {sp.sstr(self.rho)}, {text}"

    def rhs(self, grad_norm: mp.mpf) -> mp.mpf:
        """C0 + C1‖∇f‖^ρ at the current mpmath precision (0^0 = 1)."""
        return to_mpf(self.C0) + to_mpf(self.C1) * power(grad_norm, self.rho)

    def to_json(self) -> dict:
        a, b = self.names
        return {"rho": sp.sstr(self.rho), "C0": sp.sstr(self.C0), "C1": sp.sstr(self.C1),
                **({a: sp.sstr(self.C0), b: sp.sstr(self.C1)} if self.l0l1 else {}),
                "inequality": self.inequality()}


# -- exact decimal points ----------------------------------------------------------------------
def _decimal_rational(value: mp.mpf, digits: int = _POINT_DIGITS) -> sp.Rational:
    """``value`` rounded to ``digits`` significant decimal digits, as an exact rational."""
    if value == 0:
        return sp.Integer(0)
    with mp.workdps(digits + 10):
        text = mp.nstr(value, digits)
    return sp.Rational(text)


def _show_point(point: Sequence[sp.Rational], names: Sequence[str], digits: int | None = 20) -> str:
    parts = []
    for name, value in zip(names, point):
        text = decimal_text(value)
        if digits is not None and len(text.lstrip("-").replace(".", "")) > digits + 8:
            with mp.workdps(digits + 10):
                text = "≈" + mp.nstr(mp.mpf(int(value.p)) / int(value.q), digits)
        parts.append(f"{name} = {text}")
    return ", ".join(parts)


def _exact_point(point: Sequence[object]) -> tuple[sp.Rational, ...]:
    out = []
    for v in point:
        if isinstance(v, str):
            out.append(parse_number(v, what="point coordinate"))
        else:
            out.append(to_rational(v))
    return tuple(out)


# -- the guaranteed confirmation ----------------------------------------------------------
@dataclass(frozen=True)
class Confirmation:
    """The ball-arithmetic test of a violation at an exact point.

    ``confirmed`` is true only when ``lhs_lower`` — a rigorous lower bound of
    ‖∇²f(x)‖₂, namely the lower end of the ball ‖∇²f(x) v‖/‖v‖ — is strictly
    greater than ``rhs_upper``, the upper end of the ball C0 + C1‖∇f(x)‖^ρ. Both
    are exact binary numbers (mpf); ``dps`` is the working precision that decided,
    ``tried`` every precision used, ``reason`` says in words what happened.
    """

    point: tuple[sp.Rational, ...]
    confirmed: bool
    lhs_lower: mp.mpf | None
    rhs_upper: mp.mpf | None
    dps: int
    tried: tuple[int, ...]
    reason: str

    def bound_texts(self, digits: int = 30) -> tuple[str, str] | None:
        """(lower bound of the left side rounded down, upper bound of the right side rounded up)
        as decimal strings; more digits are shown when needed to display the separation."""
        if self.lhs_lower is None or self.rhs_upper is None:
            return None
        k = digits
        while True:
            low, high = _directed(self.lhs_lower, k, down=True), _directed(self.rhs_upper, k, down=False)
            if not self.confirmed or k >= 200 or _text_value(low) > _text_value(high):
                return low, high
            k += 10

    def to_json(self) -> dict:
        texts = self.bound_texts()
        return {
            "confirmed": self.confirmed,
            "arithmetic": "ball (python-flint arb)",
            "dps": self.dps,
            "precisions_tried": list(self.tried),
            "lhs_lower": texts[0] if texts else None,
            "rhs_upper": texts[1] if texts else None,
            "lhs_lower_is": "‖∇²f(x) v‖/‖v‖ ≤ ‖∇²f(x)‖₂ (v: rational approximation of a top eigenvector)",
            "rhs_upper_is": "upper end of the ball C0 + C1‖∇f(x)‖^ρ (Euclidean norm, 0^0 = 1)",
            "reason": self.reason,
        }


def _directed(value: mp.mpf, digits: int, *, down: bool) -> str:
    """``value`` ≥ 0 with ``digits`` significant digits, rounded down (or up): the nearest
    rounding of value·(1 ∓ 10^(1−digits)) never crosses value (half a unit in the last place is
    at most ½·10^(1−digits) of the value)."""
    if value == 0:
        return "0"
    exact = _exact_decimal(value, digits)
    if exact is not None:
        return exact
    with mp.workdps(digits + 25):
        factor = 1 - mp.mpf(10) ** (1 - digits) if down else 1 + mp.mpf(10) ** (1 - digits)
        return decimal_string(value * factor, digits)


def _exact_decimal(value: mp.mpf, digits: int) -> str | None:
    """The decimal string of ``value`` when it has at most ``digits`` significant digits, else None."""
    exponent = value._mpf_[2]
    if abs(exponent) > 4 * digits + 64:
        return None
    with mp.workdps(digits + 10):
        text = decimal_string(value, digits)
    try:
        return text if sp.Rational(text) == to_rational(value) else None
    except (TypeError, ValueError):
        return None


def _text_value(text: str) -> mp.mpf:
    with mp.workdps(250):
        return mp.mpf(text)


def confirm_violation(
    objective: Objective,
    point: Sequence[object],
    *,
    rho: object = None,
    C0: object = None,
    C1: object = None,
    L0: object = None,
    L1: object = None,
    claim: Claim | None = None,
    max_dps: int = 2000,
    time_budget: float = 20.0,
) -> Confirmation:
    """Decide in ball arithmetic whether ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ at the exact ``point``.

    The point's coordinates are read exactly (decimal strings, rationals; floats and mpf by
    their binary value). At rising precision, ∇f(x) and ∇²f(x) are evaluated as balls
    (:class:`~dlnsmooth.balls.ArbProgram`); the right side's upper bound uses the upper end of
    the ball ‖∇f(x)‖ (t ↦ t^ρ is non-decreasing), the left side's lower bound is the lower end
    of ‖∇²f(x) v‖/‖v‖ for v a top eigenvector computed in mpmath at the ball midpoints and read
    exactly (any v ≠ 0 gives a valid lower bound). The violation is confirmed only when
    lower(lhs) > upper(rhs). The precision doubles while the balls are too wide; it stops when
    they are tight and do not separate (the inequality holds at x, or holds with equality up to
    rounding — never a violation), at ``max_dps`` or after ``time_budget`` seconds.
    """
    claim = claim or Claim.make(rho=rho, C0=C0, C1=C1, L0=L0, L1=L1)
    if len(point) != objective.n:
        raise ShapeError(f"point has {len(point)} coordinates; expected {objective.n}")
    exact = _exact_point(point)
    deadline = time.perf_counter() + time_budget
    try:  # compiles the objective's ball program once; fails early for unsupported functions
        with working_precision(30):
            objective.ball_derivatives([to_arb(v) for v in exact])
    except UnsupportedForBalls as exc:
        return Confirmation(exact, False, None, None, 0, (), f"no ball arithmetic for this objective: {exc}")
    try:
        start = 30 + objective.condition_digits(list(exact))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
        return Confirmation(exact, False, None, None, 0, (), f"the point could not be evaluated: {exc}")
    if start > max_dps:
        return Confirmation(exact, False, None, None, 0, (),
                            f"the point needs about {start} digits, beyond the cap of {max_dps}")
    dps, tried, easy_cap = start, [], min(max_dps, 4 * start)
    last: tuple[mp.mpf | None, mp.mpf | None] = (None, None)
    reason = ""
    while True:
        tried.append(dps)
        outcome = _ball_sides(objective, exact, claim, dps)
        if isinstance(outcome, str):
            reason = outcome
            tight = False
            lower_ball = rhs_ball = None
        else:
            lower_ball, rhs_ball = outcome
            lhs_low = max(_endpoints(lower_ball)[0], mp.mpf(0))
            rhs_up = _endpoints(rhs_ball)[1]
            last = (lhs_low, rhs_up)
            if lhs_low > rhs_up:  # exact comparison of exact binary numbers
                return Confirmation(exact, True, lhs_low, rhs_up, dps, tuple(tried),
                                    f"lower bound of ‖∇²f(x)‖₂ exceeds the upper bound of the right side at {dps} digits")
            tight = _settled(lower_ball, dps) and _settled(rhs_ball, dps)
            reason = (f"the balls do not separate at {dps} digits: ‖∇²f(x)‖₂ ≥ {_directed(lhs_low, 12, down=True)}"
                      f" and C0 + C1‖∇f(x)‖^ρ ≤ {_directed(rhs_up, 12, down=False)}")
        if tight:
            lhs_mid, rhs_mid = ball_to_mpf(lower_ball), ball_to_mpf(rhs_ball)
            with mp.workdps(dps + 10):
                gap = lhs_mid - rhs_mid
                agree = abs(gap) <= max(abs(lhs_mid), abs(rhs_mid)) * mp.mpf(10) ** (6 - dps // 2)
            if gap <= 0 or dps >= easy_cap:
                what = ("the two sides agree to the working precision: equality up to rounding, not a violation"
                        if agree else "the right side is the larger at this point")
                return Confirmation(exact, False, *last, dps, tuple(tried), f"{what} ({reason})")
        if dps >= max_dps or time.perf_counter() > deadline:
            why = f"precision cap {max_dps}" if dps >= max_dps else f"time budget {time_budget:g} s"
            return Confirmation(exact, False, *last, dps, tuple(tried), f"not confirmed within the {why}: {reason}")
        dps = min(2 * dps, max_dps)


def _settled(ball: arb, dps: int) -> bool:
    """More precision will not change the ball's value meaningfully: exact, or at least dps/2
    guaranteed digits."""
    return ball.is_exact() or guaranteed_digits(ball) >= dps // 2


def _ball_sides(objective: Objective, point: Sequence[sp.Rational], claim: Claim, dps: int) -> tuple[arb, arb] | str:
    """(ball of ‖∇²f(x) v‖/‖v‖, ball of C0 + C1‖∇f(x)‖^ρ) at ``dps`` digits, or why not."""
    n = objective.n
    with working_precision(dps):
        gradient, H = objective.ball_derivatives([to_arb(v) for v in point])
        if not all(v.is_finite() for v in gradient + [h for row in H for h in row]):
            return f"∇f or ∇²f is not finite in ball arithmetic at {dps} digits (outside the domain, or too wide)"
        grad_sq = arb(0)
        for g in gradient:
            grad_sq += g * g
        grad_upper = _endpoints(nonnegative_sqrt(grad_sq))[1]  # t ↦ t^ρ is non-decreasing on [0, ∞)
        C0, C1 = to_arb(claim.C0), to_arb(claim.C1)
        rhs = C0 + C1 * power(to_arb(max(grad_upper, mp.mpf(0))), claim.rho)
        if not rhs.is_finite():
            return f"the right side is not finite in ball arithmetic at {dps} digits"
        best = None
        for v in _test_vectors(H, dps):
            hv_sq = arb(0)
            for i in range(n):
                row = arb(0)
                for j in range(n):
                    if v[j] != 0:
                        row += H[i][j] * v[j]
                hv_sq += row * row
            v_sq = arb(0)
            for x in v:
                v_sq += x * x
            ratio = nonnegative_sqrt(hv_sq) / v_sq.sqrt()
            if ratio.is_finite() and (best is None or _endpoints(ratio)[0] > _endpoints(best)[0]):
                best = ratio
        if best is None:
            return f"no finite lower bound of ‖∇²f(x)‖₂ at {dps} digits"
        return best, rhs


def _endpoints(ball: arb) -> tuple[mp.mpf, mp.mpf]:
    """The exact ends ``mid − rad`` and ``mid + rad`` of a finite ball, as mpf (no rounding: the
    true value lies between them whatever the working precision)."""
    mid, rad = ball_to_mpf(ball), ball_to_mpf(ball.rad())
    return mp.fsub(mid, rad, exact=True), mp.fadd(mid, rad, exact=True)


def _test_vectors(H: list[list[arb]], dps: int) -> list[list[arb]]:
    """Exact vectors v for the lower bound ‖Hv‖/‖v‖ ≤ ‖H‖₂: a top eigenvector of the midpoint
    matrix (mpmath, at ``dps`` digits, read exactly) and the unit vectors."""
    n = len(H)
    units = [[arb(1) if i == j else arb(0) for i in range(n)] for j in range(n)]
    if n == 1:
        return units
    with mp.workdps(dps):
        A = mp.matrix([[ball_to_mpf(h) for h in row] for row in H])
        try:
            eigenvalues, Q = mp.eigsy(A)
        except (ZeroDivisionError, ValueError, ArithmeticError):
            return units
        k = max(range(n), key=lambda i: abs(eigenvalues[i]))
        top = [to_arb(+Q[i, k]) for i in range(n)]
    return [top] + units if any(not x.is_zero() for x in top) else units


# -- numeric evaluation of candidates -----------------------------------------------------------
@dataclass
class _Point:
    """A candidate point with both sides evaluated in mpmath."""

    point: tuple[sp.Rational, ...]
    source: str
    lhs: mp.mpf
    rhs: mp.mpf
    grad_norm: mp.mpf
    dps: int

    @property
    def ratio(self) -> mp.mpf:
        if self.rhs == 0:
            return mp.inf if self.lhs > 0 else mp.mpf(0)
        return self.lhs / self.rhs

    @property
    def equality(self) -> bool:
        scale = max(abs(self.lhs), abs(self.rhs))
        return scale > 0 and abs(self.lhs - self.rhs) <= scale * mp.mpf(10) ** (-_EQUALITY_DIGITS)

    @property
    def exceeds(self) -> bool:
        return self.lhs > self.rhs and not self.equality


class _Evaluator:
    """Float64 and mpmath evaluation of ‖∇²f‖₂ and C0 + C1‖∇f‖^ρ."""

    def __init__(self, objective: Objective, claim: Claim):
        self.objective = objective
        self.claim = claim
        self.n = objective.n
        self._rho = float(claim.rho)
        self._C0 = float(claim.C0)
        self._C1 = float(claim.C1)
        self.skipped = 0

    # float64 ------------------------------------------------------------------------------
    def float_sides(self, x: np.ndarray) -> tuple[float, float] | None:
        """(‖∇²f(x)‖₂, C0 + C1‖∇f(x)‖^ρ) in float64, None on overflow or outside the domain."""
        values = self.objective.float_derivatives(x)
        if values is None:
            return None
        g, H = values
        with np.errstate(all="ignore"):
            try:
                lhs = abs(float(H[0, 0])) if self.n == 1 else float(np.max(np.abs(np.linalg.eigvalsh(H))))
            except np.linalg.LinAlgError:
                return None
            scale = float(np.max(np.abs(g)))
            grad_norm = scale * float(np.sqrt(np.sum((g / scale) ** 2))) if scale > 0 else 0.0
            power = 1.0 if self._rho == 0 else grad_norm**self._rho
            rhs = self._C0 + self._C1 * power
        if not math.isfinite(lhs) or math.isnan(rhs):
            return None
        return lhs, rhs

    def float_log_ratio(self, x: np.ndarray) -> float:
        """log(‖∇²f‖₂/(C0 + C1‖∇f‖^ρ)) in float64: −∞ where it cannot be evaluated or is 0."""
        sides = self.float_sides(x)
        if sides is None:
            return -math.inf
        lhs, rhs = sides
        if lhs == 0:
            return -math.inf
        if rhs == 0:
            return math.inf
        if math.isinf(rhs):
            return -math.inf
        return math.log(lhs) - math.log(rhs)

    # mpmath --------------------------------------------------------------------------------
    def evaluate(self, point: Sequence[sp.Rational], source: str) -> _Point | None:
        """Both sides at the exact point in mpmath (precision raised by the point's conditioning);
        None outside the domain or when the point needs more than MAX_EVAL_DPS digits."""
        try:
            dps = _EVAL_GUARD + self.objective.condition_digits(list(point))
            if dps > MAX_EVAL_DPS:
                self.skipped += 1
                return None
            with mp.workdps(dps):
                gradient = self.objective.grad(list(point), dps)
                H = self.objective.hess(list(point), dps)
                grad_norm = vector_norm(gradient)
                lhs = spectral_norm(H)
                rhs = self.claim.rhs(grad_norm)
        except _NUMERIC_FAILURES:
            self.skipped += 1
            return None
        if not (mp.isfinite(lhs) and mp.isfinite(rhs)):
            self.skipped += 1
            return None
        return _Point(tuple(point), source, lhs, rhs, grad_norm, dps)

    def mp_log_ratio(self, x: Sequence[mp.mpf]) -> tuple[mp.mpf, tuple[sp.Rational, ...]] | None:
        point = tuple(_decimal_rational(v) for v in x)
        result = self.evaluate(point, "")
        if result is None or result.lhs == 0:
            return None
        if result.rhs == 0:
            return mp.inf, point
        with mp.workdps(30):
            return mp.log(result.lhs) - mp.log(result.rhs), point


# -- the result ---------------------------------------------------------------------------------
@dataclass
class AuditResult(Result):
    """What the audit found (module docstring). ``point``, ``lhs``, ``rhs`` and ``confirmation``
    are set for ``refuted``; ``largest_ratio`` (∞ when the right side is 0 and the Hessian is
    not) and ``where`` always describe the worst point seen."""

    objective: Objective
    claim: Claim
    verdict: Verdict
    point: tuple[sp.Rational, ...] | None
    source: str | None
    lhs: Confirmed | None
    rhs: Confirmed | None
    confirmation: Confirmation | None
    largest_ratio: mp.mpf | None
    where: tuple[sp.Rational, ...] | None
    where_source: str | None
    searched: dict
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    time_budget: float = 60.0
    seed: int = 0

    json_kind = "audit"

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.objective.variables]

    def _ratio_text(self) -> str:
        if self.largest_ratio is None:
            return "n/a"
        if self.largest_ratio == mp.inf:
            return "∞"
        with mp.workdps(30):
            return mp.nstr(self.largest_ratio, 15)

    def report(self) -> str:
        claim = self.claim
        lines = [f"Audit of {self.objective.describe()}",
                 f"Claim: {claim.inequality()} for all x, with {claim.describe()}",
                 "Norms: spectral norm ‖·‖₂ of the Hessian, Euclidean norm of the gradient; 0^0 = 1"]
        lines += self._searched_lines()
        lines += [f"Note: {note}" for note in self.notes]
        if self.verdict == "refuted":
            assert self.point is not None and self.confirmation is not None
            lines.append(f"Verdict: REFUTED — the claimed constants fail at {_show_point(self.point, self.names, None)}"
                         f"  [{self.source}]")
            lines.append(f"  ‖∇²f(x)‖₂          = {_confirmed_text(self.lhs)}")
            rhs_name = "L0 + L1‖∇f(x)‖" if claim.l0l1 else "C0 + C1‖∇f(x)‖^ρ"
            lines.append(f"  {rhs_name:<19}= {_confirmed_text(self.rhs)}")
            lines.append("  (mpmath, digits on which two precisions agree)")
            low, high = self.confirmation.bound_texts() or ("?", "?")
            lines.append(f"  Guaranteed (ball arithmetic, {self.confirmation.dps} digits): "
                         f"‖∇²f(x)‖₂ ≥ {low} > {high} ≥ {rhs_name}")
        else:
            lines.append("Verdict: NOT REFUTED — no violation found (a finite search; this is not a proof that the claim "
                         "holds)")
        where = _show_point(self.where, self.names) if self.where is not None else "n/a"
        lines.append(f"Largest ratio ‖∇²f‖₂/({'L0 + L1‖∇f‖' if claim.l0l1 else 'C0 + C1‖∇f‖^ρ'}) seen: "
                     f"{self._ratio_text()} at {where}" + (f"  [{self.where_source}]" if self.where_source else ""))
        return "\n".join(lines)

    def _searched_lines(self) -> list[str]:
        s = self.searched
        head = "Searched"
        if s.get("stopped_during"):
            head += f" (stopped at the first confirmed violation, during the {s['stopped_during']})"
        lines = [
            head + ":",
            f"  stationary points with a non-zero Hessian: {s['stationary_points']} "
            f"(SymPy's solve of ∇f = 0: {s['exact_solve']}; Newton's method: {s['newton_starts']} starts)",
            f"  search curves: {s['curve_points']} points on {s['curves']} curves "
            f"(t = 10^{CURVE_EXPONENTS[0]} … 10^{CURVE_EXPONENTS[-1]})",
            f"  local maximisation of the ratio: {s['local_starts']} starts (float64 Nelder–Mead, "
            f"{s['local_evaluations']} evaluations), {s['refined']} refined by compass search in mpmath",
            f"  ball confirmations tried: {s['confirmations']}",
        ]
        if s.get("equality_points"):
            lines.append(f"  equality up to rounding (both sides agree to {_EQUALITY_DIGITS} digits) at "
                         f"{s['equality_points']} points: rounding is not a violation")
        if s.get("skipped_points"):
            lines.append(f"  skipped: {s['skipped_points']} points (outside the domain, overflow, or needing more "
                         f"than {MAX_EVAL_DPS} digits)")
        lines.append(f"  time: {self.seconds:.1f} s of a {self.time_budget:g} s budget"
                     + (" — BUDGET SPENT, the search stopped early" if s.get("timed_out") else "")
                     + f"; seed {self.seed}")
        return lines


    def to_json(self) -> dict:
        names = self.names
        point = None if self.point is None else {n: decimal_text(v) for n, v in zip(names, self.point)}
        largest = None if self.largest_ratio is None else (
            json_value(self.largest_ratio))
        return {
            "verdict": self.verdict,
            "objective": self.objective.expression_text(),
            "variables": names,
            "claim": self.claim.to_json(),
            "norm": "spectral",
            "gradient_norm": "euclidean",
            "point": point,
            "source": self.source,
            "lhs": _confirmed_text(self.lhs) if self.lhs is not None else None,
            "rhs": _confirmed_text(self.rhs) if self.rhs is not None else None,
            "confirmation": self.confirmation.to_json() if self.confirmation is not None else None,
            "largest_ratio": largest,
            "where": None if self.where is None else {
                "point": {n: decimal_text(v) for n, v in zip(names, self.where)}, "source": self.where_source},
            "searched": dict(self.searched),
            "seconds": round(self.seconds, 3),
            "time_budget": self.time_budget,
            "seed": self.seed,
            "notes": list(self.notes),
        }



def _mp_text(value: mp.mpf, digits: int) -> str:
    return decimal_string(value, digits)


def _confirmed_text(value: Confirmed | None) -> str:
    if value is None:
        return "n/a"
    if value.zero_at_both:
        return "0"
    return value.text(30) or f"{_mp_text(value.value, 5)} (unconfirmed)"


# -- the search -------------------------------------------------------------------------------------
class _Found(Exception):
    """A violation was confirmed: stop searching."""


class _OutOfTime(Exception):
    """The time budget for searching is spent."""


def _solve_gradient(gradient: list[sp.Expr], variables: tuple[sp.Symbol, ...]) -> list[dict]:
    return sp.solve(gradient, variables, dict=True)


class _Audit:
    def __init__(self, objective: Objective, claim: Claim, *, time_budget: float, seed: int, progress: bool | None,
                 newton_starts: int, local_starts: int, curve_limit: int, solve_budget: float, refine: int,
                 max_confirmations: int, max_dps: int):
        self.objective = objective
        self.claim = claim
        self.n = objective.n
        self.seed = seed
        self.start = time.perf_counter()
        self.time_budget = time_budget
        # the last part of the budget is kept for the final figures of a violation
        self.deadline = self.start + max(time_budget - min(5.0, 0.1 * time_budget), 0.5 * time_budget)
        self.hard_deadline = self.start + time_budget
        self.newton_starts = newton_starts
        self.local_starts = local_starts
        self.curve_limit = curve_limit
        self.solve_budget = solve_budget
        self.refine = refine
        self.max_confirmations = max_confirmations
        self.max_dps = max_dps
        self.evaluator = _Evaluator(objective, claim)
        self.rng = np.random.default_rng(seed)
        self.current_stage = "exact stationary points"
        self.best: _Point | None = None
        self.found: tuple[_Point, Confirmation] | None = None
        self.candidates: list[_Point] = []
        self.attempted: set[tuple[sp.Rational, ...]] = set()
        self.notes: list[str] = []
        self.stats = {"exact_solve": "not applicable", "exact_stationary_points": 0, "newton_starts": 0,
                      "stationary_points": 0, "curves": 0, "curve_points": 0, "local_starts": 0,
                      "local_evaluations": 0, "refined": 0, "confirmations": 0, "equality_points": 0,
                      "skipped_points": 0, "timed_out": False, "stopped_during": None}
        self.digits = self._stationary_digits()
        self.bar = progress_bar(progress, "audit", total=newton_starts + local_starts + curve_limit + refine + 1)

    def _stationary_digits(self) -> int:
        """Digits of rounded stationary points: enough that C1‖∇f‖^ρ there is negligible."""
        rho, C1 = self.claim.rho, self.claim.C1
        if rho == 0 or C1 == 0:
            return _POINT_DIGITS
        return int(min(1500, max(_POINT_DIGITS + 10, math.ceil(40 / float(rho)))))

    # bookkeeping ---------------------------------------------------------------------------
    def tick(self, k: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(k)
        if time.perf_counter() > self.deadline:
            raise _OutOfTime

    def consider(self, point: Sequence[sp.Rational], source: str) -> _Point | None:
        """Evaluate a candidate; confirm it at once when its left side exceeds its right side."""
        if time.perf_counter() > self.deadline:
            raise _OutOfTime
        result = self.evaluator.evaluate(point, source)
        if result is None:
            return None
        self.candidates.append(result)
        if result.equality:
            self.stats["equality_points"] += 1
        if self.best is None or result.ratio > self.best.ratio:
            self.best = result
        # clear excesses are always tried (a true violation confirms at once and ends the search);
        # excesses near the rounding level only up to max_confirmations times
        clear = result.ratio > 1 + _CLEAR_EXCESS
        if result.exceeds and result.point not in self.attempted and \
                (clear or self.stats["confirmations"] < self.max_confirmations):
            self.attempted.add(result.point)
            self.stats["confirmations"] += 1
            remaining = max(1.0, self.hard_deadline - time.perf_counter() - 1.0)
            confirmation = confirm_violation(self.objective, result.point, claim=self.claim, max_dps=self.max_dps,
                                             time_budget=min(20.0, remaining))
            if confirmation.confirmed:
                self.found = (result, confirmation)
                raise _Found
        return result

    # 1. stationary points ------------------------------------------------------------------
    def exact_stationary(self) -> None:
        objective = self.objective
        variables = objective.variables
        gradient = list(objective.gradient)
        if self.n > 3 or not all(g.is_polynomial(*variables) for g in gradient):
            self.stats["exact_solve"] = "not applicable (needs a polynomial gradient in at most 3 variables)"
            return
        if all(g.is_zero for g in gradient):
            self.stats["exact_solve"] = "∇f ≡ 0"
            return
        budget = max(0.5, min(self.solve_budget, self.deadline - time.perf_counter()))
        outcome = run_with_budget(_solve_gradient, gradient, variables, seconds=budget)
        if not outcome.ok:
            self.stats["exact_solve"] = f"SymPy's solve {outcome.status} ({outcome.message or f'{budget:g} s'})"
            return
        solutions = sorted(outcome.value or [],
                           key=lambda d: sp.default_sort_key(tuple(d.get(v, v) for v in variables)))
        self.stats["exact_solve"] = f"{len(solutions)} solution set(s)"
        for solution in solutions:
            for point in self._exact_points(solution):
                sides = self.evaluator.evaluate(point, "")
                if sides is not None and sides.lhs != 0:
                    self.stats["exact_stationary_points"] += 1
                    self.stats["stationary_points"] += 1
                self.consider(point, "stationary point (exact, SymPy solve of ∇f = 0)")

    def _exact_points(self, solution: dict) -> list[tuple[sp.Rational, ...]]:
        variables = self.objective.variables
        free = sorted({s for v in variables for s in ([v] if v not in solution else solution[v].free_symbols)},
                      key=lambda s: s.name)
        points = []
        for values in itertools.islice(itertools.product(_FREE_VALUES, repeat=len(free)), 60):
            substitution = dict(zip(free, (sp.Integer(v) for v in values)))
            coordinates = []
            for v in variables:
                expr = sp.sympify(solution.get(v, v)).xreplace(substitution)
                value = self._real_value(expr)
                if value is None:
                    break
                coordinates.append(value)
            else:
                points.append(tuple(coordinates))
        return points

    def _real_value(self, expr: sp.Expr) -> sp.Rational | None:
        if isinstance(expr, sp.Rational):
            exact = expr
            q = int(exact.q)
            while q % 2 == 0:
                q //= 2
            while q % 5 == 0:
                q //= 5
            if q == 1:
                return exact  # an exact decimal
        digits = self.digits
        try:
            value = sp.N(expr, digits + 15)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo):
            return None
        re, im = value.as_real_imag()
        try:
            re_f, im_f = sp.Float(re, digits + 15), sp.Float(im, digits + 15)
        except (TypeError, ValueError):
            return None
        if abs(im_f) > sp.Float(10, 5) ** (-digits) * (1 + abs(re_f)):
            return None
        with mp.workdps(digits + 15):
            return _decimal_rational(mp.mpf(re_f._mpf_), digits)

    def newton(self) -> None:
        evaluator = self.evaluator
        n = self.n
        starts = [np.zeros(n)]
        for i in range(max(0, self.newton_starts - 1)):
            starts.append(NEWTON_SCALES[i % len(NEWTON_SCALES)] * self.rng.standard_normal(n))
        seen: list[np.ndarray] = []

        def fun(x):
            values = evaluator.objective.float_derivatives(x)
            return values[0] if values is not None else np.full(n, np.nan)

        def jac(x):
            values = evaluator.objective.float_derivatives(x)
            return values[1] if values is not None else np.full((n, n), np.nan)

        for index, x0 in enumerate(starts, 1):
            self.stats["newton_starts"] += 1
            self.tick()
            try:
                with np.errstate(all="ignore"):
                    solution = root(fun, x0, jac=jac, method="hybr", options={"maxfev": 100 * (n + 1)})
            except (ValueError, FloatingPointError, OverflowError, np.linalg.LinAlgError):
                continue
            x = solution.x
            values = evaluator.objective.float_derivatives(x) if np.all(np.isfinite(x)) else None
            if values is None:
                continue
            g, H = values
            # stationary relative to the Hessian's size (e^x → 0 as x → −∞ is not a stationary point)
            size = float(np.max(np.abs(H))) * max(1.0, float(np.max(np.abs(x))))
            if not float(np.max(np.abs(g))) <= 1e-10 * size:
                continue
            if any(np.max(np.abs(x - y)) <= 1e-7 * max(1.0, float(np.max(np.abs(y)))) for y in seen):
                continue
            seen.append(x.copy())
            point = self._newton_refine(x)
            if point is None:
                continue
            sides = self.evaluator.evaluate(point, "")
            if sides is None:
                continue
            # after the refinement ‖∇f‖ must be negligible next to ‖∇²f‖₂ (else it is only nearly stationary)
            stationary = sides.grad_norm == 0 or sides.grad_norm <= sides.lhs * mp.mpf(10) ** (-(self.digits // 2))
            label = "stationary point" if stationary else "near-stationary point"
            if stationary and sides.lhs > 0:
                self.stats["stationary_points"] += 1
            self.consider(point, f"{label} (Newton's method from start {index}, refined in mpmath)")

    def _newton_refine(self, x: np.ndarray) -> tuple[sp.Rational, ...] | None:
        """Newton's method in mpmath from a float64 stationary point, to ``self.digits`` digits."""
        digits = self.digits
        objective = self.objective
        try:
            dps = digits + 20 + objective.condition_digits([float(v) for v in x])
            if dps > MAX_EVAL_DPS:
                return None
            with mp.workdps(dps):
                point = [mp.mpf(float(v)) for v in x]
                for _ in range(60):
                    g = objective.grad(point, dps)
                    H = objective.hess(point, dps)
                    try:
                        step = mp.lu_solve(mp.matrix(H), mp.matrix(g))
                    except (ZeroDivisionError, ValueError):
                        break  # singular Hessian: keep the current point
                    point = [p - step[i] for i, p in enumerate(point)]
                    size = max([mp.mpf(1)] + [abs(p) for p in point])
                    if max(abs(step[i]) for i in range(self.n)) <= size * mp.mpf(10) ** (-digits - 5):
                        break
                return tuple(_decimal_rational(p, digits) for p in point)
        except _NUMERIC_FAILURES:
            return None

    # 2. search curves ------------------------------------------------------------------------
    def curves(self) -> None:
        try:
            curves = candidate_curves(self.objective, limit=self.curve_limit, seed=self.seed)
        except DlnsmoothError as exc:
            self.notes.append(f"no search curves: {exc}")
            return
        for curve in curves:
            self.stats["curves"] += 1
            self.tick()
            for k in CURVE_EXPONENTS:
                try:
                    coordinates = curve.point(10**k, 40)
                except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
                    continue
                if not all(mp.isfinite(c) for c in coordinates):
                    continue
                point = tuple(_decimal_rational(c) for c in coordinates)
                self.stats["curve_points"] += 1
                self.consider(point, f"search curve {curve.describe()} at t = 10^{k}")

    # 3. local maximisation --------------------------------------------------------------------
    def local(self) -> None:
        evaluator = self.evaluator
        n = self.n
        starts: list[tuple[np.ndarray, str]] = []
        seeded = sorted((c for c in self.candidates if c.ratio < mp.inf), key=lambda c: c.ratio, reverse=True)
        for c in seeded[:3]:
            x = np.array([float(v) for v in c.point])
            if np.all(np.isfinite(x)) and float(np.max(np.abs(x))) <= 1e6:
                starts.append((x, f"from the best point so far ({c.source})"))
        for i in range(self.local_starts):
            scale = LOCAL_SCALES[i % len(LOCAL_SCALES)]
            starts.append((scale * self.rng.standard_normal(n), f"random start {i + 1}, scale {scale:g}"))
        results: list[_Point] = []
        for x0, label in starts:
            self.stats["local_starts"] += 1
            self.tick()
            best = [-math.inf, None]

            def negative(x, best=best):
                self.stats["local_evaluations"] += 1
                value = evaluator.float_log_ratio(x)
                if value > best[0]:
                    best[0], best[1] = value, np.array(x, dtype=float)
                return -value if value > -math.inf else math.inf

            try:
                with np.errstate(all="ignore"):
                    minimize(negative, x0, method="Nelder-Mead",
                             options={"maxfev": 200 * n, "xatol": 1e-12, "fatol": 1e-14, "adaptive": n > 2})
            except (ValueError, FloatingPointError, OverflowError):
                pass
            if best[1] is None:
                continue
            point = tuple(_decimal_rational(mp.mpf(float(v)), 17) for v in best[1])
            result = self.consider(point, f"local maximisation (float64 Nelder–Mead, {label})")
            if result is not None:
                results.append(result)
        results.sort(key=lambda c: c.ratio, reverse=True)
        for result in results[: self.refine]:
            self.tick()
            self._compass(result)

    def _compass(self, start: _Point) -> None:
        """Compass search on log(ratio) in mpmath from ``start`` (at most 120 evaluations)."""
        if start.ratio == mp.inf:
            return
        self.stats["refined"] += 1
        evaluator = self.evaluator
        with mp.workdps(_POINT_DIGITS + 10):
            x = [mp.mpf(int(v.p)) / int(v.q) for v in start.point]
            current = evaluator.mp_log_ratio(x)
            if current is None:
                return
            value, point = current
            step = mp.mpf(1) / 8 * max([mp.mpf(1)] + [abs(v) for v in x])
            floor = step * mp.mpf(10) ** -20
            evaluations = 0
            while evaluations < 120 and step > floor and value < mp.inf:
                improved = False
                for i, sign in itertools.product(range(self.n), (1, -1)):
                    trial = list(x)
                    trial[i] += sign * step
                    evaluations += 1
                    outcome = evaluator.mp_log_ratio(trial)
                    if outcome is not None and outcome[0] > value:
                        x, (value, point), improved = trial, outcome, True
                        break
                if not improved:
                    step /= 4
        if point != start.point:
            self.consider(point, f"{start.source}, refined by compass search in mpmath")

    # run ------------------------------------------------------------------------------------
    def run(self) -> None:
        stages: list[tuple[str, Callable[[], None]]] = [
            ("exact stationary points", self.exact_stationary),
            ("Newton stationary points", self.newton),
            ("search curves", self.curves),
            ("local maximisation", self.local),
        ]
        try:
            for name, stage in stages:
                if time.perf_counter() > self.deadline:
                    raise _OutOfTime
                self.current_stage = name
                stage()
                if self.bar is not None and name == "exact stationary points":
                    self.bar.update(1)
        except _Found:
            self.stats["stopped_during"] = self.current_stage
        except _OutOfTime:
            self.stats["timed_out"] = True
            self.notes.append(f"the time budget ({self.time_budget:g} s) was spent during the {self.current_stage}; "
                              "the later sources were not searched")
        finally:
            if self.bar is not None:
                self.bar.close()
        self.stats["skipped_points"] = self.evaluator.skipped


def audit(
    objective: Objective,
    *,
    rho: object = None,
    C0: object = None,
    C1: object = None,
    L0: object = None,
    L1: object = None,
    time_budget: float = 60.0,
    seed: int = 0,
    progress: bool | None = None,
    newton_starts: int = 24,
    local_starts: int = 30,
    curve_limit: int = 120,
    solve_budget: float = 5.0,
    refine: int = 3,
    max_confirmations: int = 30,
    max_dps: int = 2000,
) -> AuditResult:
    """Look for a point where ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ (or > L0 + L1‖∇f(x)‖).

    Give ``rho``, ``C0``, ``C1`` or ``L0``, ``L1`` (exact rationals or decimals ≥ 0). The
    search (module docstring) runs within ``time_budget`` seconds and is deterministic for a
    ``seed`` as long as the budget is not spent; ``newton_starts``, ``local_starts``,
    ``curve_limit`` and ``refine`` size its three sources, ``solve_budget`` bounds SymPy's
    solve, ``max_confirmations`` the ball confirmations tried and ``max_dps`` their precision.
    ``progress`` shows a tqdm bar on stderr (None: only on a terminal). The verdict is
    ``refuted`` only when :func:`confirm_violation` confirms a point in ball arithmetic.
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    claim = Claim.make(rho=rho, C0=C0, C1=C1, L0=L0, L1=L1)
    if isinstance(time_budget, bool) or not isinstance(time_budget, (int, float)) or not math.isfinite(time_budget) \
            or time_budget <= 0:
        raise ParseError(f"the time budget must be a positive number of seconds, got {time_budget!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParseError(f"the seed must be an integer >= 0, got {seed!r}")
    for name, value in (("newton_starts", newton_starts), ("local_starts", local_starts),
                        ("curve_limit", curve_limit), ("refine", refine), ("max_confirmations", max_confirmations)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ParseError(f"{name} must be an integer >= 0, got {value!r}")
    if objective.n > MAX_VARIABLES:
        raise TooLargeError(f"the audit compiles the symbolic Hessian and handles at most {MAX_VARIABLES} variables; "
                            f"this objective has {objective.n}")
    runner = _Audit(objective, claim, time_budget=float(time_budget), seed=seed, progress=progress,
                    newton_starts=newton_starts, local_starts=local_starts, curve_limit=curve_limit,
                    solve_budget=solve_budget, refine=refine, max_confirmations=max_confirmations, max_dps=max_dps)
    runner.run()
    best = runner.best
    if runner.found is not None:
        candidate, confirmation = runner.found
        lhs, rhs = _figures(objective, claim, candidate)
        verdict: Verdict = "refuted"
        point, source = candidate.point, candidate.source
    else:
        lhs = rhs = confirmation = None
        verdict, point, source = "not refuted", None, None
    if best is None:
        runner.notes.append("no point could be evaluated (outside the domain everywhere searched?)")
    return AuditResult(
        objective=objective, claim=claim, verdict=verdict, point=point, source=source, lhs=lhs, rhs=rhs,
        confirmation=confirmation,
        largest_ratio=None if best is None else best.ratio,
        where=None if best is None else best.point,
        where_source=None if best is None else best.source,
        searched=runner.stats, notes=runner.notes, seconds=time.perf_counter() - runner.start,
        time_budget=float(time_budget), seed=seed,
    )


def _figures(objective: Objective, claim: Claim, candidate: _Point) -> tuple[Confirmed, Confirmed]:
    """‖∇²f(x)‖₂ and C0 + C1‖∇f(x)‖^ρ at the violating point to 30 digits (agreement of two
    mpmath precisions)."""
    point = list(candidate.point)

    def sides(dps: int) -> list[mp.mpf]:
        with mp.workdps(dps):
            gradient = objective.grad(point, dps)
            H = objective.hess(point, dps)
            return [spectral_norm(H), claim.rhs(vector_norm(gradient))]

    exact_zero = [False, claim.C0 == 0 and (claim.C1 == 0 or (claim.rho > 0 and candidate.grad_norm == 0))]
    return tuple(confirm(sides, digits=30, start_dps=max(candidate.dps, 50), max_dps=max(candidate.dps * 4, 400),
                         zero_ok=exact_zero))  # type: ignore[return-value]
