"""Precision handling: local precision contexts, confirmed digits.

Rules (see DESIGN.md):

* never change the global mpmath precision; every evaluation runs inside
  ``mp.workdps(n)``, every ball computation inside :func:`working_precision`
  (python-flint's context is global; it is always restored);
* inputs reach mpmath and the balls exactly (:mod:`dlnsmooth.numbers`);
* a figure is printed only with the digits that agree between two
  evaluations at different precisions (:func:`confirm`). Far out along a curve
  ``exp(±u)`` has condition number ``|u|``, so the working precision must grow
  with the magnitudes involved: :func:`confirm` starts from a caller-supplied
  estimate and doubles the precision until the values agree, up to a cap.
  Reaching the cap yields *unconfirmed* values, never silently wrong digits.

Agreement at two precisions is strong evidence, not a proof: it misses an
error that is identical at both precisions. The classic case is exact
cancellation to zero (``(1 + 10**-500) - 1`` is 0 at 50 and at 100 digits),
so two zero evaluations are reported as ``zero_at_both`` and are *not*
counted as confirmed digits; the caller decides whether zero is exact (e.g.
because the symbolic expression is identically zero).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import mpmath as mp
from flint import ctx

from .errors import PrecisionError

__all__ = [
    "DEFAULT_DPS",
    "MAX_DPS",
    "agreeing_digits",
    "Confirmed",
    "confirm",
    "decimal_string",
    "check_dps",
    "magnitude_digits",
    "starting_precision",
    "working_precision",
    "flint_dps",
]

#: Default working precision (decimal digits).
DEFAULT_DPS = 50
#: Default cap for adaptive precision.
MAX_DPS = 20_000


def check_dps(dps: int, *, what: str = "precision") -> int:
    """Validate a number of decimal digits."""
    if isinstance(dps, bool) or not isinstance(dps, int):
        raise PrecisionError(f"{what} must be an integer number of digits, got {dps!r}")
    if dps < 5 or dps > 1_000_000:
        raise PrecisionError(f"{what} = {dps} digits is outside the usable range 5..1000000")
    return dps


_LOG10_2 = math.log10(2)


@contextmanager
def working_precision(dps: int) -> Iterator[None]:
    """Run the block with the python-flint context at ``dps`` decimal digits (restored afterwards)."""
    check_dps(dps)
    saved = ctx.prec
    ctx.prec = int(math.ceil(dps / _LOG10_2)) + 4
    try:
        yield
    finally:
        ctx.prec = saved


def flint_dps() -> int:
    """The current python-flint precision in decimal digits."""
    return max(5, int((ctx.prec - 4) * _LOG10_2))


def agreeing_digits(a: mp.mpf, b: mp.mpf) -> int:
    """Number of significant decimal digits on which ``a`` and ``b`` agree.

    Conservative: ``floor(-log10(|a - b| / max(|a|, |b|))) - 1``; 0 when they
    differ in the leading digit or in sign. Two exact zeros give 0 (see the
    module docstring).
    """
    if a == b:
        if a == 0:
            return 0
        return 10**9  # identical values: limited only by the working precision
    scale = max(abs(a), abs(b))
    if scale == 0 or mp.sign(a) != mp.sign(b):
        return 0
    rel = abs(a - b) / scale
    return max(0, int(mp.floor(-mp.log10(rel))) - 1)


@dataclass(frozen=True)
class Confirmed:
    """A value with a count of confirmed significant digits.

    Either evaluated at two precisions ``dps < dps_check`` (``rigorous`` false):
    ``value`` is the higher-precision result, ``digits`` the significant digits
    both evaluations agree on (capped at ``dps``) and ``zero_at_both`` flags two
    exact zeros, which this test cannot confirm. Or computed in ball arithmetic
    (``rigorous`` true, ``dps == dps_check``): ``value`` is the ball's midpoint,
    ``digits`` the digits its radius guarantees, and ``zero_at_both`` a proven
    zero (an exact zero ball from exact inputs, or a ball containing 0 for a
    value the caller has proved to be 0; see :func:`dlnsmooth.balls.certify`).
    """

    value: mp.mpf
    digits: int
    dps: int
    dps_check: int
    zero_at_both: bool = False
    rigorous: bool = False

    @property
    def proven_zero(self) -> bool:
        """An exact zero ball: zero is proven, not merely observed twice."""
        return self.rigorous and self.zero_at_both

    def confirmed(self, wanted: int) -> bool:
        return self.digits >= wanted

    def text(self, max_digits: int = 20) -> str | None:
        """Decimal string holding only agreeing digits (``None`` if there are none)."""
        return decimal_string(self.value, min(self.digits, max_digits)) if self.digits > 0 else None


def decimal_string(value: mp.mpf, digits: int) -> str:
    """``value`` rounded to ``digits`` significant digits, as a decimal string.

    Only the ``digits`` significant digits are written: a value whose last of them lies before
    the decimal point (the tens place or above) is written in scientific notation, never padded
    with zeros that were not computed (15 digits of 1204159458709684.43 are
    ``1.20415945870968e+15``, not ``1204159458709680.``); values below 10⁻⁴ too (``1.23e-5``)."""
    if digits <= 0:
        raise PrecisionError("a decimal string needs at least one digit")
    if value == 0:
        return "0"
    with mp.workdps(max(digits + 10, 20)):
        exponent = mp.log10(abs(value))
    if abs(exponent) < 1000:
        with mp.workdps(max(digits + 10, 20)):
            return mp.nstr(value, digits, min_fixed=-4, max_fixed=digits, strip_zeros=False)
    # Huge decimal exponents (e.g. exp(-10**30)): mpmath's own conversion would build a
    # Python integer with that many digits. Split off the exponent instead.
    with mp.workdps(digits + 20 + len(str(int(abs(exponent))))):
        e10 = int(mp.floor(mp.log10(abs(value))))
        mantissa = value / mp.mpf(10) ** e10
        if abs(mantissa) >= 10:  # log10 rounded just below an integer
            mantissa, e10 = mantissa / 10, e10 + 1
        text = mp.nstr(mantissa, digits, min_fixed=-1, max_fixed=2, strip_zeros=False)
        if text.lstrip("-").startswith("10"):  # rounding carried into a new digit
            mantissa, e10 = mantissa / 10, e10 + 1
            text = mp.nstr(mantissa, digits, min_fixed=-1, max_fixed=2, strip_zeros=False)
    return f"{text}e{e10:+d}"


def starting_precision(digits: int, start_dps: int, max_dps: int) -> int:
    """Validate the settings of an adaptive evaluation; the first precision to try:
    ``max(start_dps, digits + 10)``."""
    check_dps(max_dps, what="maximum precision")
    if digits < 1:
        raise PrecisionError(f"digits must be >= 1, got {digits}")
    dps = max(int(start_dps), digits + 10)
    if dps > max_dps:
        raise PrecisionError(f"starting precision {dps} exceeds the cap {max_dps}")
    return dps


def confirm(
    evaluate: Callable[[int], Sequence[mp.mpf]],
    *,
    digits: int = 15,
    start_dps: int = DEFAULT_DPS,
    max_dps: int = MAX_DPS,
    zero_ok: Sequence[bool] | None = None,
) -> list[Confirmed]:
    """Evaluate ``evaluate(dps)`` at rising precision until every value is confirmed.

    ``evaluate`` must compute its values at the given number of decimal digits
    (inside ``mp.workdps(dps)``) from exact inputs. The precision starts at
    ``max(start_dps, digits + 10)`` and doubles; each pair of consecutive
    precisions is compared. It stops when every value agrees to ``digits``
    significant digits, or when the next step would exceed ``max_dps``; then
    the returned values carry however many digits were confirmed, possibly
    none. A value that is zero at both precisions counts as settled only where
    ``zero_ok`` says the caller knows it to be exactly zero; otherwise the
    precision keeps rising (a cancellation such as ``1 − tanh(100)²`` needs
    ~90 digits before it stops being 0).
    """
    dps = starting_precision(digits, start_dps, max_dps)
    previous = list(_evaluate(evaluate, dps))
    while True:
        check = min(max(2 * dps, dps + 20), max(max_dps, dps + 1))
        current = list(_evaluate(evaluate, check))
        if len(current) != len(previous):
            raise PrecisionError("evaluation returned a different number of values at another precision")
        results = []
        for low, high in zip(previous, current):
            zero = low == 0 and high == 0
            agreed = 0 if zero else min(agreeing_digits(low, high), dps)
            results.append(Confirmed(value=high, digits=agreed, dps=dps, dps_check=check, zero_at_both=zero))
        settled = zero_ok if zero_ok is not None else [False] * len(results)
        if len(settled) != len(results):
            raise PrecisionError("zero_ok must give one flag per value")
        if all(r.digits >= digits or (r.zero_at_both and ok) for r, ok in zip(results, settled)) or check >= max_dps:
            return results
        dps, previous = check, current


def _evaluate(evaluate: Callable[[int], Sequence[mp.mpf]], dps: int) -> Sequence[mp.mpf]:
    values = evaluate(dps)
    for v in values:
        if not isinstance(v, mp.mpf):
            raise PrecisionError(f"evaluation returned {type(v).__name__} {v!r}; expected a real mpf")
        if not mp.isfinite(v):
            # an infinity or NaN at finite precision is a failed evaluation, not a value
            raise PrecisionError(f"evaluation at {dps} digits returned {v}")
    return values


def magnitude_digits(values: Sequence[object]) -> int:
    """Decimal digits of the largest |log10 |v|| among ``values`` (0 for values 0 or of size 1). Within
    the float range the logarithm is taken in float64; beyond it from the binary exponent
    (|v| = m·2^e with 2^(b−1) ≤ m < 2^b lies in [2^(e+b−1), 2^(e+b))), at most one digit above."""
    largest = 0.0
    for v in values:
        try:
            x = mp.mpf(v)
        except (TypeError, ValueError):
            continue
        if x == 0 or not mp.isfinite(x):
            continue
        man, exp = x.man_exp
        top = exp + int(abs(man)).bit_length()
        if -1000 < top < 1000:
            size = abs(math.log10(abs(float(x))))
        else:
            size = max(abs(top), abs(top - 1)) * _LOG10_2
        largest = max(largest, size)
    return int(math.ceil(largest))


_LOG10_2 = math.log10(2)
