"""The rigorous confirmation of a violation: a pointwise condition fails at an exact point.

A pointwise condition ``‖∇²f(x)‖ ≤ B(‖∇f(x)‖)`` of the catalogue — the Hessian growth
condition ``‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ`` (:class:`~dlnsmooth.conditions.HessianGrowth`)
and (L0, L1)-smoothness, its case ρ = 1 (:class:`~dlnsmooth.conditions.L0L1Smooth`) — is
violated at x *for certain* when a rigorous lower bound of its left side exceeds a rigorous
upper bound of its right side. :func:`confirm_violation` decides exactly that, and nothing
else decides it:

* the point is read exactly (decimal strings and fractions as rationals; floats and mpf by
  their binary value);
* at rising precision the condition encloses both sides in python-flint balls
  (:meth:`~dlnsmooth.conditions.PointwiseCondition.ball_sides`): in the spectral norm the left
  side is bounded below by ``‖∇²f(x) v‖/‖v‖`` for test vectors v (a top eigenvector of the
  midpoint matrix, read exactly, and the unit vectors: any v ≠ 0 gives a lower bound; 1×1:
  ``|f″(x)|``), the right side is enclosed using ``0^0 = 1`` and the monotonicity of B;
* the point must lie in the domain of f: f(x) itself is enclosed in a finite ball (``log x + x⁴``
  has finite derivatives at x = −1, where f is not defined; no violation is confirmed there);
* the violation is confirmed only when the lower end of the left ball is strictly greater than
  the upper end of the right ball (:attr:`~dlnsmooth.conditions.BallSides.refuted`, an exact
  comparison of exact binary numbers).

A claim that holds with equality (eˣ with L0 = 0, L1 = 1; x² with C0 = 2, C1 = 0;
e^(2x1 − x2) with L0 = 0, L1 = √5) is therefore never confirmed as violated: the balls
overlap at every precision, and the search stops once they are tight. :class:`Confirmation`
records the outcome with its bounds, printed as decimals rounded outwards
(:func:`directed_decimal`).

:func:`claimed_condition` turns claimed constants — (ρ, C0, C1) or (L0, L1), exact reals ≥ 0
such as ``"0.99"``, ``"sqrt(5)"``, ``"30/6**(4/5)"``, ``"log(2)"``, ``"pi"`` — into the
condition they claim.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath as mp
import sympy as sp
from flint import arb

from .balls import guaranteed_digits
from .conditions import BallSides, HessianGrowth, L0L1Smooth, PointwiseCondition
from .errors import ParseError, ShapeError, UnsupportedForBalls
from .norms import Norm
from .numbers import ball_to_mpf, parse_number, to_rational
from .objective import Objective
from .precision import check_dps, decimal_string, working_precision

__all__ = [
    "Confirmation",
    "claimed_condition",
    "confirm_violation",
    "directed_decimal",
    "exact_point",
    "side_names",
    "START_DIGITS",
]

#: Digits of the first ball evaluation, above the conditioning of the point.
START_DIGITS = 30


# -- the claim and the point -----------------------------------------------------------------
def claimed_condition(*, rho: object = None, C0: object = None, C1: object = None, L0: object = None,
                      L1: object = None) -> HessianGrowth:
    """The condition claimed by constants: ``L0L1Smooth(L0, L1)`` or ``HessianGrowth(rho, C0, C1)``,
    both in the spectral norm. Bad or missing values raise a ParseError naming them."""
    if L0 is not None or L1 is not None:
        if rho is not None or C0 is not None or C1 is not None:
            raise ParseError("give either L0 and L1, or rho, C0 and C1 — not both")
        return L0L1Smooth(L0, L1)
    if rho is None:
        raise ParseError("rho is missing; give rho, C0 and C1 (or L0 and L1)")
    return HessianGrowth(rho, C0, C1)


def exact_point(point: Sequence[object], n: int) -> tuple[sp.Rational, ...]:
    """The coordinates of ``point`` as exact rationals (strings as decimals or fractions; floats
    and mpf by their binary value); ShapeError unless there are ``n`` of them."""
    if isinstance(point, (str, bytes)) or not hasattr(point, "__len__"):
        raise ShapeError(f"a point must be a sequence of {n} numbers, got {point!r}")
    if len(point) != n:
        raise ShapeError(f"point has {len(point)} coordinates; expected {n}")
    return tuple(parse_number(v, what="point coordinate") if isinstance(v, str) else to_rational(v) for v in point)


def side_names(condition: PointwiseCondition) -> tuple[str, str]:
    """How the two sides of the condition are written in reports (the left side names its norm)."""
    lhs = "‖∇²f(x)‖₂" if condition.norm is Norm.SPECTRAL else "‖∇²f(x)‖_F"
    return lhs, condition.inequality.split(" ≤ ", 1)[1]


# -- directed decimal bounds -----------------------------------------------------------------
def directed_decimal(value: mp.mpf, digits: int, *, down: bool) -> str:
    """``value`` ≥ 0 with ``digits`` significant digits, rounded down (or up): exact when it has
    that few digits; otherwise the nearest rounding of value·(1 ∓ 10^(1−digits)), which never
    crosses value (half a unit in the last place is at most ½·10^(1−digits) of the value)."""
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


def _decimal_value(text: str) -> mp.mpf:
    with mp.workdps(250):
        return mp.mpf(text)


# -- the outcome -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Confirmation:
    """The ball-arithmetic test of a violation at an exact point.

    ``confirmed`` is true only when ``lhs_lower`` — a rigorous lower bound of the left side
    (the lower end of its ball) — is strictly greater than ``rhs_upper``, the upper end of
    the ball of the right side. Both are exact binary numbers (mpf), or None when no finite
    enclosure was obtained; ``dps`` is the working precision that decided, ``tried`` every
    precision used, ``reason`` says in words what happened; ``lhs_is`` and ``rhs_is`` say
    what the two bounds bound.
    """

    point: tuple[sp.Rational, ...]
    confirmed: bool
    lhs_lower: mp.mpf | None
    rhs_upper: mp.mpf | None
    dps: int
    tried: tuple[int, ...]
    reason: str
    lhs_is: str = ""
    rhs_is: str = ""

    def bound_texts(self, digits: int = 30) -> tuple[str, str] | None:
        """(lower bound of the left side rounded down, upper bound of the right side rounded up)
        as decimal strings; more digits are shown when needed to display the separation."""
        if self.lhs_lower is None or self.rhs_upper is None:
            return None
        k = digits
        while True:
            low, high = directed_decimal(self.lhs_lower, k, down=True), directed_decimal(self.rhs_upper, k, down=False)
            if not self.confirmed or k >= 200 or _decimal_value(low) > _decimal_value(high):
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
            "lhs_lower_is": self.lhs_is,
            "rhs_upper_is": self.rhs_is,
            "reason": self.reason,
        }


def _bound_meanings(condition: PointwiseCondition, n: int) -> tuple[str, str]:
    lhs, rhs = side_names(condition)
    if condition.norm is Norm.SPECTRAL and n > 1:
        lower = ("‖∇²f(x) v‖/‖v‖ ≤ ‖∇²f(x)‖₂ (v: a rational approximation of a top eigenvector, "
                 "or a unit vector)")
    else:
        lower = f"lower end of the ball {lhs}"
    return lower, f"upper end of the ball {rhs} (Euclidean norm of ∇f, 0^0 = 1)"


# -- one evaluation in balls -----------------------------------------------------------------
@dataclass(frozen=True)
class _Attempt:
    """Both sides enclosed in balls at one precision: exact bounds, and whether more precision
    can still change the picture (``settled``: both balls hold about half the digits)."""

    refuted: bool
    lhs_lower: mp.mpf | None
    rhs_upper: mp.mpf | None
    settled: bool
    left_larger: bool
    equal: bool
    reason: str
    outside: bool = False


def _settled(ball: arb, dps: int) -> bool:
    """More precision will not change the ball's value meaningfully: exact, or at least dps/2
    guaranteed digits."""
    return ball.is_exact() or guaranteed_digits(ball) >= dps // 2


def _value_is_finite(objective: Objective, point: tuple[sp.Rational, ...]) -> bool:
    """f(x) encloses a real number in ball arithmetic (at the current precision): x is in the
    domain of f. f given by f′ (no ball value) is defined wherever f′ is, which the sides check."""
    try:
        return objective.ball_value(list(point)).is_finite()
    except NotImplementedError:
        return True


def _attempt(objective: Objective, point: tuple[sp.Rational, ...], condition: PointwiseCondition,
             dps: int) -> _Attempt:
    with working_precision(dps):
        if not _value_is_finite(objective, point):
            return _Attempt(False, None, None, False, False, False,
                            f"f itself is not finite in ball arithmetic at {dps} digits: the point is outside the "
                            "domain of f (or the ball is too wide), and a violation counts only inside it",
                            outside=True)
        sides: BallSides = condition.ball_sides(objective, point)
        if not (sides.lhs.is_finite() and sides.rhs.is_finite()):
            return _Attempt(False, None, None, False, False, False,
                            f"∇f or ∇²f is not finite in ball arithmetic at {dps} digits (outside the "
                            "domain, or the balls are too wide)")
        refuted = sides.refuted
        lhs_lower = max(ball_to_mpf(sides.lhs.lower()), mp.mpf(0))
        rhs_upper = ball_to_mpf(sides.rhs.upper())
        settled = _settled(sides.lhs, dps) and _settled(sides.rhs, dps)
        lhs_mid, rhs_mid = ball_to_mpf(sides.lhs), ball_to_mpf(sides.rhs)
    with mp.workdps(dps + 10):
        gap = lhs_mid - rhs_mid
        equal = abs(gap) <= max(abs(lhs_mid), abs(rhs_mid)) * mp.mpf(10) ** (6 - dps // 2)
    lhs_name, rhs_name = side_names(condition)
    if refuted:
        reason = f"the lower bound of {lhs_name} exceeds the upper bound of {rhs_name} at {dps} digits"
    else:
        low, high = directed_decimal(lhs_lower, 12, down=True), directed_decimal(rhs_upper, 12, down=False)
        reason = f"the balls do not separate at {dps} digits: {lhs_name} ≥ {low} and {rhs_name} ≤ {high}"
    return _Attempt(refuted, lhs_lower, rhs_upper, settled, gap > 0, equal, reason)


def _first_precision(objective: Objective, point: tuple[sp.Rational, ...], max_dps: int) -> int | str:
    """The first working precision (START_DIGITS above the point's conditioning), or why none."""
    try:
        dps = START_DIGITS + objective.condition_digits(list(point))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
        return f"the point could not be evaluated: {exc}"
    if dps > max_dps:
        return f"the point needs about {dps} digits, beyond the cap of {max_dps}"
    return dps


def _outcome(attempt: _Attempt) -> str:
    """In words, why tight balls that do not separate end the confirmation."""
    if attempt.equal:
        return "the two sides agree to the working precision: equality up to rounding, not a violation"
    if attempt.left_larger:
        return "the balls are tight and still overlap: not a confirmed violation"
    return "the right side is the larger at this point"


# -- the confirmation ------------------------------------------------------------------------
def _the_condition(condition: PointwiseCondition | None, constants: dict[str, object]) -> PointwiseCondition:
    if condition is None:
        return claimed_condition(**constants)
    if any(v is not None for v in constants.values()):
        raise ParseError("give either a condition or its constants — not both")
    if not isinstance(condition, PointwiseCondition):
        raise TypeError("expected a pointwise condition (e.g. HessianGrowth, L0L1Smooth), "
                        f"got {type(condition).__name__}")
    return condition


def confirm_violation(
    objective: Objective,
    point: Sequence[object],
    *,
    condition: PointwiseCondition | None = None,
    rho: object = None,
    C0: object = None,
    C1: object = None,
    L0: object = None,
    L1: object = None,
    max_dps: int = 2000,
    time_budget: float = 20.0,
) -> Confirmation:
    """Decide in ball arithmetic whether the condition fails at the exact ``point``.

    The condition is ``condition`` (a pointwise condition of the catalogue) or the one claimed
    by ``rho``, ``C0``, ``C1`` or ``L0``, ``L1`` (:func:`claimed_condition`). The precision
    starts at :data:`START_DIGITS` above the point's conditioning and doubles while the balls
    are too wide; the violation is confirmed only when lower(lhs) > upper(rhs). It stops
    unconfirmed when the balls are tight and do not separate (the inequality holds at x, or
    holds with equality up to rounding — never a violation), at ``max_dps`` digits or after
    ``time_budget`` seconds.
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    condition = _the_condition(condition, {"rho": rho, "C0": C0, "C1": C1, "L0": L0, "L1": L1})
    check_dps(max_dps, what="maximum precision")
    exact = exact_point(point, objective.n)
    meanings = _bound_meanings(condition, objective.n)
    start = _first_precision(objective, exact, max_dps)
    if isinstance(start, str):
        return Confirmation(exact, False, None, None, 0, (), start, *meanings)
    deadline = time.perf_counter() + time_budget
    dps, tried, easy_cap = start, [], min(max_dps, 4 * start)
    bounds: tuple[mp.mpf | None, mp.mpf | None] = (None, None)
    while True:
        tried.append(dps)
        try:
            attempt = _attempt(objective, exact, condition, dps)
        except UnsupportedForBalls as exc:
            return Confirmation(exact, False, None, None, 0, (), f"no ball arithmetic for this objective: {exc}",
                                *meanings)
        if attempt.lhs_lower is not None:
            bounds = (attempt.lhs_lower, attempt.rhs_upper)
        if attempt.refuted:
            return Confirmation(exact, True, *bounds, dps, tuple(tried), attempt.reason, *meanings)
        if attempt.outside and len(tried) >= 2:
            return Confirmation(exact, False, *bounds, dps, tuple(tried), attempt.reason, *meanings)
        if attempt.settled and (not attempt.left_larger or dps >= easy_cap):
            return Confirmation(exact, False, *bounds, dps, tuple(tried), f"{_outcome(attempt)} ({attempt.reason})",
                                *meanings)
        if dps >= max_dps or time.perf_counter() > deadline:
            why = f"precision cap {max_dps}" if dps >= max_dps else f"time budget {time_budget:g} s"
            return Confirmation(exact, False, *bounds, dps, tuple(tried), f"not confirmed within the {why}: "
                                f"{attempt.reason}", *meanings)
        dps = min(2 * dps, max_dps)
