"""Ball arithmetic (python-flint ``arb``): compiled programs and guaranteed digits.

An ``arb`` is a midpoint and a radius such that the true value lies in
``[mid − rad, mid + rad]``; every operation widens the radius by the rounding it
commits. A figure computed from exact inputs therefore carries its own error
bound, and :func:`certify` raises the working precision until the radius
guarantees the requested digits — or reports, at the cap, how many digits
*are* guaranteed (possibly none). Unlike agreement at two precisions this
cannot be fooled by an error made identically at both precisions, and an
exact zero (radius 0, midpoint 0) is a proven zero.

Pieces here: :class:`ArbProgram` (SymPy expressions compiled once, via ``cse``,
to a straight-line program over balls), :func:`guaranteed_digits`,
:func:`certify` (the adaptive-precision loop) and :func:`nonnegative_sqrt`.
Exact inputs become balls in :mod:`dlnsmooth.numbers` (``to_arb``,
``ball_value``, ``power``); precision contexts are in :mod:`dlnsmooth.precision`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence

import mpmath as mp
import sympy as sp
from flint import arb

from .errors import PrecisionError, UnsupportedForBalls
from .numbers import BALL_FUNCTIONS, ball_to_mpf, ball_value, to_arb
from .precision import DEFAULT_DPS, MAX_DPS, Confirmed, starting_precision, working_precision

__all__ = [
    "ArbProgram",
    "certify",
    "nonnegative_sqrt",
    "guaranteed_digits",
    "EXACT_DIGITS",
]

#: Digit count reported for an exact ball (radius 0).
EXACT_DIGITS = 10**9

_LOG10_2 = math.log10(2)


def guaranteed_digits(x: arb) -> int:
    """Significant decimal digits the ball guarantees: ``floor(log10(|mid|/rad)) − 1``.

    :data:`EXACT_DIGITS` for an exact non-zero ball, 0 for a ball containing
    zero (including an exact zero — the caller decides what a proven zero means)
    or an infinite/NaN one.
    """
    if not x.is_finite() or x.is_zero():
        return 0
    if x.is_exact():
        return EXACT_DIGITS
    bits = x.rel_accuracy_bits()
    if bits <= 0:
        return 0
    return max(0, int(math.floor(bits * _LOG10_2)) - 1)


def nonnegative_sqrt(x: arb) -> arb:
    """√x for a ball enclosing a quantity known to be ≥ 0 (a sum of squares, a norm):
    the negative part of the ball, a rounding artefact, is dropped. An exact zero stays exact."""
    if x.is_zero() and x.is_exact():
        return arb(0)
    return x.nonnegative_part().sqrt()


# -- compiler -----------------------------------------------------------------------------
class ArbProgram:
    """SymPy expressions in ``variables`` compiled to a straight-line program over balls.

    ``evaluate(values)`` returns one ball per expression at the current flint
    precision (wrap calls in :func:`~dlnsmooth.precision.working_precision`). Common
    subexpressions are evaluated once (``sympy.cse``); each step is evaluated by
    :func:`~dlnsmooth.numbers.ball_value`. Supported: rationals, π, e, +, ×,
    powers (integer exponents exactly; ``x**(p/q)`` for rational p/q with a
    non-negative base), and the elementary functions of
    :data:`~dlnsmooth.numbers.BALL_FUNCTIONS`; anything else raises
    :class:`~dlnsmooth.errors.UnsupportedForBalls` when the program is built.
    """

    def __init__(self, expressions: Sequence[sp.Expr], variables: Sequence[sp.Symbol]):
        self.variables = tuple(variables)
        replacements, reduced = sp.cse([sp.sympify(e) for e in expressions], optimizations="basic")
        self._steps = replacements
        self._outputs = reduced
        for _, e in replacements:
            self._check(e)
        for e in reduced:
            self._check(e)

    @staticmethod
    def _check(expr: sp.Basic) -> None:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (sp.Symbol, sp.Rational, sp.Add, sp.Mul, sp.Pow, sp.Float)) or node in (sp.pi, sp.E):
                continue
            if type(node) in BALL_FUNCTIONS:
                continue
            if isinstance(node, sp.Expr):
                raise UnsupportedForBalls(f"ball arithmetic does not implement {type(node).__name__} (in {node})")

    def evaluate(self, values: Sequence[object] | Mapping[sp.Symbol, object]) -> list[arb]:
        if isinstance(values, Mapping):
            env = {s: to_arb(values[s]) for s in self.variables}
        else:
            if len(values) != len(self.variables):
                raise ValueError(f"expected {len(self.variables)} values, got {len(values)}")
            env = {s: to_arb(v) for s, v in zip(self.variables, values)}
        cache: dict[sp.Basic, arb] = {}
        for symbol, expr in self._steps:
            env[symbol] = ball_value(expr, env, cache)
        return [ball_value(e, env, cache) for e in self._outputs]


# -- adaptive precision -------------------------------------------------------------------
def certify(
    evaluate: Callable[[int], Sequence[arb]],
    *,
    digits: int = 15,
    start_dps: int = DEFAULT_DPS,
    max_dps: int = MAX_DPS,
    zero_ok: Sequence[bool] | None = None,
    deadline: float | None = None,
) -> list[Confirmed]:
    """Evaluate ``evaluate(dps)`` (balls, computed inside :func:`working_precision`) at rising
    precision until every ball guarantees ``digits`` significant digits.

    The precision starts at ``max(start_dps, digits + 10)`` and doubles up to
    ``max_dps``. A ball that is exactly zero (midpoint and radius 0, from exact
    inputs) is a proven zero: it needs no more precision and is returned with
    ``zero_at_both`` and ``rigorous`` set. So is a finite ball containing 0
    where ``zero_ok`` says the caller has proved the value to be exactly zero
    (e.g. a symbolically vanishing Hessian): the ball is then consistent with
    the proof and its value is reported as 0. At the cap the returned values
    carry however many digits are guaranteed, possibly none. After ``deadline`` (a
    ``time.perf_counter()`` value) the precision is no longer raised: the values of the last
    evaluation are returned with the digits they guarantee.
    """
    dps = starting_precision(digits, start_dps, max_dps)
    while True:
        with working_precision(dps):
            balls = list(evaluate(dps))
            settled = list(zero_ok) if zero_ok is not None else [False] * len(balls)
            if len(settled) != len(balls):
                raise PrecisionError("zero_ok must give one flag per value")
            results = []
            for b, known_zero in zip(balls, settled):
                if not isinstance(b, arb):
                    raise PrecisionError(f"evaluation returned {type(b).__name__}; expected a ball (arb)")
                zero = (b.is_zero() and b.is_exact()) or (known_zero and b.is_finite() and b.contains(0))
                if zero:
                    results.append(Confirmed(value=mp.mpf(0), digits=0, dps=dps, dps_check=dps, zero_at_both=True,
                                             rigorous=True))
                    continue
                value = ball_to_mpf(b) if b.is_finite() else mp.mpf(0)
                results.append(Confirmed(value=value, digits=min(guaranteed_digits(b), dps), dps=dps,
                                         dps_check=dps, rigorous=True))
        if all(r.digits >= digits or r.zero_at_both for r in results) or dps >= max_dps:
            return results
        if deadline is not None and time.perf_counter() >= deadline:
            return results
        dps = min(max(2 * dps, dps + 20), max_dps)
