"""Ball arithmetic (python-flint ``arb``): rigorous enclosures and guaranteed digits.

An ``arb`` is a midpoint and a radius such that the true value lies in
``[mid − rad, mid + rad]``; every operation widens the radius by the rounding it
commits. A figure computed from exact inputs therefore carries its own error
bound, and :func:`certify` raises the working precision until the radius
guarantees the requested digits — or reports, at the cap, how many digits
*are* guaranteed (possibly none). Unlike agreement at two precisions this
cannot be fooled by an error made identically at both precisions, and an
exact zero (radius 0, midpoint 0) is a proven zero.

Pieces:

* :func:`working_precision` — local arb precision (the flint context is
  global; it is always restored);
* :func:`to_arb` — exact inputs (integers, rationals, decimal strings, floats
  by their binary value, mpf) to balls;
* :class:`ArbProgram` — a list of SymPy expressions compiled (via ``cse``) to
  a straight-line program over balls; raises :class:`UnsupportedForBalls` for
  functions it does not know, so callers can fall back to mpmath;
* :func:`guaranteed_digits`, :func:`ball_to_mpf`, :func:`certify`;
* :func:`nonnegative_sqrt`, :func:`ball_power` — √ and ``x^ρ`` of balls that
  enclose non-negative quantities (norms), with ``x^0 = 1``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from fractions import Fraction

import mpmath as mp
import sympy as sp
from flint import arb, ctx, fmpq, fmpz
from mpmath.libmp import from_man_exp

from .errors import DlnsmoothError, PrecisionError
from .precision import DEFAULT_DPS, MAX_DPS, Confirmed, check_dps, starting_precision

__all__ = [
    "ArbProgram",
    "UnsupportedForBalls",
    "ball_power",
    "ball_to_mpf",
    "certify",
    "nonnegative_sqrt",
    "guaranteed_digits",
    "integer_power",
    "to_arb",
    "working_precision",
    "EXACT_DIGITS",
]

#: Digit count reported for an exact ball (radius 0).
EXACT_DIGITS = 10**9

_LOG10_2 = math.log10(2)


class UnsupportedForBalls(DlnsmoothError):
    """The expression uses an operation the ball compiler does not implement."""


@contextmanager
def working_precision(dps: int) -> Iterator[None]:
    """Run the block with the flint context at ``dps`` decimal digits (restored afterwards)."""
    check_dps(dps)
    saved = ctx.prec
    ctx.prec = int(math.ceil(dps / _LOG10_2)) + 4
    try:
        yield
    finally:
        ctx.prec = saved


def to_arb(value: object) -> arb:
    """An exact input as a ball at the current precision (exact when representable)."""
    if isinstance(value, arb):
        return value
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return arb(fmpz(value))
    if isinstance(value, Fraction):
        return arb(fmpq(value.numerator, value.denominator))
    if isinstance(value, sp.Integer):
        return arb(fmpz(int(value)))
    if isinstance(value, sp.Rational):
        return arb(fmpq(int(value.p), int(value.q)))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        mantissa, exponent = value.as_integer_ratio()
        return arb(fmpq(mantissa, exponent))
    if isinstance(value, mp.mpf):
        if not mp.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        sign, man, exp, _ = value._mpf_  # mpf.man_exp drops the sign
        if not man:
            return arb(0)
        return arb(fmpz(-int(man) if sign else int(man))) * arb(2) ** int(exp)
    if isinstance(value, sp.Float):
        return to_arb(mp.mpf(value._mpf_))
    if isinstance(value, (str, sp.Expr)):
        from .precision import exact_rational

        if isinstance(value, sp.Expr) and not isinstance(value, sp.Rational):
            return ArbProgram([value], []).evaluate([])[0]
        return to_arb(exact_rational(value))
    try:  # numpy scalars
        return to_arb(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"expected a real number, got {type(value).__name__} {value!r}") from None


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


def ball_to_mpf(x: arb) -> mp.mpf:
    """The midpoint of ``x`` as an mpf (exact: no rounding)."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    if man == 0:
        return mp.mpf(0)
    # from_man_exp without a precision is exact; mp.mpf((man, exp)) would round to mp.prec
    return mp.make_mpf(from_man_exp(man, exp))


def nonnegative_sqrt(x: arb) -> arb:
    """√x for a ball enclosing a quantity known to be ≥ 0 (a sum of squares, a norm):
    the negative part of the ball, a rounding artefact, is dropped. An exact zero stays exact."""
    if x.is_zero() and x.is_exact():
        return arb(0)
    return x.nonnegative_part().sqrt()


def ball_power(x: arb, rho: sp.Rational) -> arb:
    """``x^ρ`` for a ball enclosing a quantity ≥ 0 and a rational ρ ≥ 0, with ``x^0 = 1``
    (SPEC §0); an exact zero to a positive power is an exact zero."""
    rho = sp.Rational(rho)
    if rho == 0:
        return arb(1)
    if x.is_zero() and x.is_exact():
        return arb(0)
    base = x.nonnegative_part()
    if rho.is_Integer:
        return base ** int(rho)
    return base ** arb(fmpq(int(rho.p), int(rho.q)))


def integer_power(x: arb, n: int) -> arb:
    """``x**n`` for an integer n ≥ 0, for any ball: repeated squaring (python-flint's ``**``
    is NaN for balls containing 0 and loose for wide ones); for even n the negative part,
    an artefact of multiplying a ball containing 0 by itself, is dropped."""
    if n < 0:
        raise ValueError("integer_power needs n >= 0")
    if n == 0:
        return arb(1)
    # python-flint's ``**`` is NaN for balls around 0 and very loose for wide balls
    # (arb(2, 0.1)**3 gives [± 9.27]); binary powering by multiplication is a tight enclosure
    result, base, k = arb(1), x, n
    while k:
        if k & 1:
            result = result * base
        k >>= 1
        if k:
            base = base * base
    return result.nonnegative_part() if n % 2 == 0 else result


# -- compiler -----------------------------------------------------------------------------
_UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp,
    sp.log: arb.log,
    sp.sin: arb.sin,
    sp.cos: arb.cos,
    sp.tan: arb.tan,
    sp.sinh: arb.sinh,
    sp.cosh: arb.cosh,
    sp.tanh: arb.tanh,
    sp.asin: arb.asin,
    sp.acos: arb.acos,
    sp.atan: arb.atan,
    sp.asinh: arb.asinh,
    sp.acosh: arb.acosh,
    sp.atanh: arb.atanh,
    sp.sec: arb.sec,
    sp.csc: arb.csc,
    sp.cot: arb.cot,
    sp.sech: arb.sech,
    sp.csch: arb.csch,
    sp.coth: arb.coth,
    sp.erf: arb.erf,
    sp.erfc: arb.erfc,
}


class ArbProgram:
    """SymPy expressions in ``variables`` compiled to a straight-line program over balls.

    ``evaluate(values)`` returns one ball per expression at the current flint
    precision (wrap calls in :func:`working_precision`). Common subexpressions
    are evaluated once (``sympy.cse``). Supported: rationals, π, e, +, ×,
    powers (integer exponents exactly; ``x**(p/q)`` for rational p/q with a
    non-negative base), and the elementary functions in ``_UNARY``.
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

    def _check(self, expr: sp.Basic) -> None:
        for node in sp.preorder_traversal(expr):
            if isinstance(node, (sp.Symbol, sp.Rational, sp.Add, sp.Mul, sp.Pow, sp.Float)) or node in (sp.pi, sp.E):
                continue
            if type(node) in _UNARY or isinstance(node, (sp.Abs,)):
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
            env[symbol] = self._eval(expr, env, cache)
        return [self._eval(e, env, cache) for e in self._outputs]

    def _eval(self, expr: sp.Basic, env: dict, cache: dict) -> arb:
        if expr in env:
            return env[expr]
        hit = cache.get(expr)
        if hit is not None:
            return hit
        result = self._compute(expr, env, cache)
        cache[expr] = result
        return result

    def _compute(self, expr: sp.Basic, env: dict, cache: dict) -> arb:
        if isinstance(expr, sp.Symbol):
            raise UnsupportedForBalls(f"no value for the symbol {expr}")
        if isinstance(expr, sp.Integer):
            return arb(fmpz(int(expr)))
        if isinstance(expr, sp.Rational):
            return arb(fmpq(int(expr.p), int(expr.q)))
        if isinstance(expr, sp.Float):
            return to_arb(expr)
        if expr == sp.pi:
            return arb.pi()
        if expr == sp.E:
            return arb(1).exp()
        if isinstance(expr, sp.Add):
            total = arb(0)
            for a in expr.args:
                total = total + self._eval(a, env, cache)
            return total
        if isinstance(expr, sp.Mul):
            product = arb(1)
            for a in expr.args:
                product = product * self._eval(a, env, cache)
            return product
        if isinstance(expr, sp.Pow):
            base, exponent = expr.args
            b = self._eval(base, env, cache)
            if isinstance(exponent, sp.Integer):
                n = int(exponent)
                return integer_power(b, n) if n >= 0 else 1 / integer_power(b, -n)
            if isinstance(exponent, sp.Rational):
                if exponent == sp.Rational(1, 2):
                    return b.sqrt()
                return b ** arb(fmpq(int(exponent.p), int(exponent.q)))
            return (self._eval(exponent, env, cache) * b.log()).exp()
        if isinstance(expr, sp.Abs):
            return abs(self._eval(expr.args[0], env, cache))
        function = _UNARY.get(type(expr))
        if function is not None:
            return function(self._eval(expr.args[0], env, cache))
        raise UnsupportedForBalls(f"ball arithmetic does not implement {type(expr).__name__} (in {expr})")


# -- adaptive precision -------------------------------------------------------------------
def certify(
    evaluate: Callable[[int], Sequence[arb]],
    *,
    digits: int = 15,
    start_dps: int = DEFAULT_DPS,
    max_dps: int = MAX_DPS,
    zero_ok: Sequence[bool] | None = None,
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
    carry however many digits are guaranteed, possibly none.
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
        dps = min(max(2 * dps, dps + 20), max_dps)
