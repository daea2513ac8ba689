"""Multi-word fixed-point arrays: numpy arrays of balls with midpoints of a few hundred bits and
rigorous radii, whose matrix products run on float64 BLAS.

A :class:`MultiwordArray` holds, for every entry, a midpoint and a radius:

    mid = Σ_{s=0}^{S−1} x_s · 2^{β(e − s)},   |true value − mid| ≤ rad,

with ``S`` limbs ``x_s`` (float64 arrays holding integers, |x_s| ≤ 2^{β−1}, β = 22 bits), one
exponent ``e`` for the whole array (fixed point), and ``rad`` a float64 array of upper bounds.

Products are exact on limbs and only then truncated (the Ozaki scheme): limb products are below
2^{2β−2}, so the sum of all products x_s·y_t of one limb position d = s + t over an inner
dimension of at most 2^{54−2β}/(S + 1) terms per limb pair is an integer below 2^52, which one
float64 GEMM, ``[x_0 … x_d] @ [y_d; …; y_0]``, computes exactly (longer inner dimensions are
cut into chunks whose results are added in 22-bit halves). The positions d ≤ S are formed,
carried and cut to S limbs. Every dropped part is added to the radius: the dropped limbs (their
largest magnitude), the limb products not formed (d > S, each bounded by k·2^{2β−2}) and the
radius propagated from the operands
(midpoint–radius arithmetic, rad(AB) ≤ |A|·rad(B) + rad(A)·(|B| + rad(B))). Radii are computed in
float64 and rounded up (each sum of k nonnegative products by the factor 1 + (k + 2)·2⁻⁵²), so
an entry's interval [mid − rad, mid + rad] always contains the exact value.

Matrix products with a long inner dimension (:func:`_residues_pay`) are exact on integers instead:
the integers of the limbs are multiplied modulo about 2S primes below 2^23, one float64 GEMM each
(every residue below 2^22, so sums of 256 products stay below 2^52), and the product is rebuilt by
the Chinese remainder theorem in one more GEMM; J ≈ 2S GEMMs replace about S²/2, at the price of
converting the operands to residues and the product back.

Only the operations the feed-forward engine's numpy formulas use are provided: elementwise
products and sums with numpy broadcasting, matrix products (and Gram matrices AᵀA, whose block
below the diagonal is mirrored rather than formed), reshapes, transposes, indexing by slices and
``None``, and sums along an axis. Reductions to a scalar return python-flint balls.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from functools import cache

import numpy as np
from flint import arb, ctx, fmpq, fmpz
from sympy import prevprime

from ..errors import ShapeError
from .engine import Backend, BallScalars

__all__ = ["BETA", "EXPONENT_LIMIT", "MULTIWORD", "MultiwordArray", "MultiwordBackend", "MultiwordRange",
           "concatenate", "limbs_for_bits", "raised_precision"]

#: bits per limb: limb products are below 2^(2β−2), so float64 sums of up to 2^(54−2β) of them are exact
BETA = 22
RADIX = float(2 ** BETA)
INV_RADIX = 1.0 / RADIX
HALF = float(2 ** (BETA - 1))
_U = 2.0 ** -52
_LEAST = math.nextafter(0.0, 1.0)
_TINY = 2.0 ** -1000  # absorbs float64 underflow in radius computations
#: leading limb exponents stay at most EXPONENT_LIMIT (numbers below 2^880) and last limbs above 2^−990,
#: so that every magnitude and radius is a normal float64; beyond it :class:`MultiwordRange` is raised
EXPONENT_LIMIT = 40


class MultiwordRange(ArithmeticError):
    """A number too large or too small for the multi-word range (:data:`EXPONENT_LIMIT`)."""


def limbs_for_bits(bits: int) -> int:
    """The number of limbs for a working precision of ``bits`` bits: 32 guard bits (the fixed point of
    an array costs its small entries digits), at least two limbs."""
    return max(2, math.ceil((bits + 32) / BETA))


def _up(x: np.ndarray | float, terms: int = 1):
    """x (a float64 result of sums of ``terms`` nonnegative products) rounded up to a bound."""
    return x * (1.0 + (terms + 2) * _U) + _TINY


def _rounded_up(values: np.ndarray) -> np.ndarray:
    """Each nonnegative float moved up by one ulp, zeros kept (a radius read from a ball may have been
    rounded down by float())."""
    return np.where(values > 0, np.nextafter(values, np.inf), 0.0)


def _ldexp_up(value: float, exponent: int) -> float:
    """An upper bound of value·2^exponent (value ≥ 0); overflow gives inf, which stays an upper bound."""
    try:
        return math.nextafter(math.ldexp(value, exponent), math.inf)
    except OverflowError:
        return math.inf


class MultiwordArray:
    """An array of balls in multi-word fixed point (module docstring)."""

    __slots__ = ("limbs", "e", "rad")

    def __init__(self, limbs: np.ndarray, e: int, rad: np.ndarray):
        self.limbs = limbs
        self.e = e
        self.rad = rad

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_balls(cls, values: Sequence[arb | fmpq], shape: tuple[int, ...], S: int) -> MultiwordArray:
        """The array of ``values`` (row-major): python-flint balls, whose radii go into rad, or exact
        rationals (fmpq); each midpoint is rounded to the nearest unit of the last limb, and that
        rounding goes into rad."""
        count = int(np.prod(shape)) if shape else 1
        if len(values) != count:
            raise ShapeError(f"{len(values)} values for an array of shape {shape}")
        # each value is the dyadic m·2^x (a ball's midpoint; its radius goes into rads) or the rational p/q
        balls = [j for j, v in enumerate(values) if not isinstance(v, fmpq)]
        if not balls:
            small = _small_rationals([int(v.p) for v in values], [int(v.q) for v in values], S)
            if small is not None:  # the same limbs, exponent and radius as below, by long division
                limbs, e, rad = small
                return cls(limbs.reshape((S,) + tuple(shape)), e, rad.reshape(shape))
        rads = np.zeros(count)
        pairs = [values[j].mid().man_exp() for j in balls]
        dyadic = {j: (int(m), int(x)) for j, (m, x) in zip(balls, pairs)}
        if balls:
            radii = [values[j].rad() for j in balls]
            # float() rounds to nearest (inf beyond the float64 range; _rounded_up then bounds it); a
            # radius below the float64 range reads 0.0 and is bounded by the least subnormal
            found = np.array([float(r) for r in radii])
            for i in np.flatnonzero(found == 0.0):
                if radii[i] != 0:
                    found[i] = _LEAST
            rads[balls] = found
        sizes = [abs(m).bit_length() + x for m, x in dyadic.values() if m]  # |m·2^x| < 2^size
        sizes += [abs(int(v.p)).bit_length() - int(v.q).bit_length() + 1  # |p/q| < 2^size
                  for v in values if isinstance(v, fmpq) and v != 0]
        if not sizes:  # every midpoint zero
            return cls(np.zeros((S,) + tuple(shape)), 0, _rounded_up(rads).reshape(shape))
        e = -((-(max(sizes) + 2)) // BETA) - 1  # |mid| < 2^top ≤ 2^(β(e + 1) − 2): the top limb is balanced
        _check_range(e, S)
        shift = BETA * (S - 1 - e)  # the fixed-point value is mid·2^shift, rounded to an integer
        ints = []
        inexact = False
        for j, v in enumerate(values):
            pair = dyadic.get(j)
            if pair is not None:  # m·2^x·2^shift
                num, k = pair[0], pair[1] + shift
                if k >= 0:
                    ints.append(num << k)
                else:
                    ints.append((num + (1 << (-k - 1))) >> -k)  # nearest
                    inexact = inexact or num & ((1 << -k) - 1) != 0
            else:
                num, den = int(v.p), int(v.q)
                if shift >= 0:
                    num <<= shift
                else:
                    den <<= -shift
                ints.append((2 * num + den) // (2 * den))  # nearest
                inexact = inexact or num % den != 0
        limbs = _split_ints(ints, S).reshape((S,) + tuple(shape))
        unit = math.ldexp(1.0, -shift)  # one unit of the last limb
        rad = _rounded_up(rads) + (unit * 0.5 + _TINY if inexact else 0.0)
        return cls(limbs, e, rad.reshape(shape))

    @classmethod
    def full(cls, shape: tuple[int, ...], value: arb | fmpq, S: int) -> MultiwordArray:
        """Every entry ``value`` (converted once, as :meth:`from_balls` does)."""
        one = cls.from_balls([value], (), S)
        return cls(np.broadcast_to(one.limbs.reshape((S,) + (1,) * len(shape)), (S,) + tuple(shape)).copy(), one.e,
                   np.full(shape, float(one.rad)))

    @classmethod
    def zeros(cls, shape: tuple[int, ...], S: int) -> MultiwordArray:
        return cls(np.zeros((S,) + tuple(shape)), 0, np.zeros(shape))

    # -- shape ----------------------------------------------------------------------------------
    @property
    def S(self) -> int:
        return self.limbs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        return self.limbs.shape[1:]

    @property
    def ndim(self) -> int:
        return self.limbs.ndim - 1

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def reshape(self, *shape) -> MultiwordArray:
        if len(shape) == 1 and isinstance(shape[0], tuple):
            shape = shape[0]
        limbs = self.limbs.reshape((self.S,) + tuple(shape))
        return MultiwordArray(limbs, self.e, self.rad.reshape(limbs.shape[1:]))

    def ravel(self) -> MultiwordArray:
        return self.reshape(-1)

    def transpose(self, *axes) -> MultiwordArray:
        if not axes:
            axes = tuple(range(self.ndim))[::-1]
        elif len(axes) == 1 and isinstance(axes[0], tuple):
            axes = axes[0]
        return MultiwordArray(self.limbs.transpose((0,) + tuple(a + 1 for a in axes)), self.e, self.rad.transpose(axes))

    @property
    def T(self) -> MultiwordArray:
        return self.transpose()

    def __getitem__(self, key) -> MultiwordArray:
        key = key if isinstance(key, tuple) else (key,)
        return MultiwordArray(self.limbs[(slice(None),) + key], self.e, self.rad[key])

    # -- bounds ---------------------------------------------------------------------------------
    def magnitude(self) -> np.ndarray:
        """An upper bound of |mid| per entry (float64): (|x_0|·2^β + |x_1| + 1)·2^(β(e − 1)), the limbs
        below the second adding less than one unit of it."""
        if self.S == 1:
            return (np.abs(self.limbs[0]) + 1.0) * math.ldexp(1.0, BETA * self.e)
        top = np.abs(self.limbs[0]) * RADIX + np.abs(self.limbs[1]) + 1.0  # exact: below 2^44
        return top * math.ldexp(1.0, BETA * (self.e - 1))

    @property
    def flat(self) -> list[arb]:
        """The entries as balls, row-major (as numpy's ``flat`` iterates)."""
        return self.balls()

    def is_exact_zero(self) -> bool:
        return not np.any(self.limbs) and not np.any(self.rad)

    # -- arithmetic -----------------------------------------------------------------------------
    def __add__(self, other: MultiwordArray) -> MultiwordArray:
        if not isinstance(other, MultiwordArray):
            return NotImplemented
        self, other = _same_ndim(self, other)
        S = max(self.S, other.S)
        e = max(self.e, other.e)
        a, drop_a = _aligned(self, e, S)
        b, drop_b = _aligned(other, e, S)
        total = np.empty((S + 1,) + np.broadcast_shapes(a.shape[1:], b.shape[1:]))
        total[0] = 0.0
        np.add(a, b, out=total[1:])
        limbs, e2, dropped = _normalize(total, e + 1, S)
        rad = _up(self.rad + other.rad, 2) + (drop_a + drop_b + dropped)
        return MultiwordArray(limbs, e2, rad)

    def __neg__(self) -> MultiwordArray:
        return MultiwordArray(-self.limbs, self.e, self.rad)

    def __sub__(self, other: MultiwordArray) -> MultiwordArray:
        return self + (-other)

    def __mul__(self, other: MultiwordArray) -> MultiwordArray:
        """Elementwise product with numpy broadcasting."""
        if not isinstance(other, MultiwordArray):
            return NotImplemented
        self, other = _same_ndim(self, other)
        S = max(self.S, other.S)
        shape = np.broadcast_shapes(self.shape, other.shape)
        a, b = _spread(self, S, shape), _spread(other, S, shape)
        # every limb product a_s·b_t with s + t ≤ S, summed per position d = s + t in one pass
        # (at most S products below 2^(2β−2) each: exact in any order, below 2^49)
        acc = np.empty((S + 2, a.shape[1]))
        acc[0] = 0.0
        for d in range(S + 1):
            first, last = max(0, d - S + 1), min(d, S - 1)
            np.einsum("si,si->i", a[first:last + 1], b[d - last:d - first + 1][::-1], out=acc[d + 1])
        limbs, e, dropped = _normalize(acc.reshape((S + 2,) + shape), self.e + other.e + 1, S)
        skipped = _skipped_pairs(S, 1, self.e + other.e)
        ma, mb = self.magnitude(), other.magnitude()
        rad = _up(ma * other.rad + self.rad * (mb + other.rad), 3) + (dropped + skipped)
        return MultiwordArray(limbs, e, rad)

    def __matmul__(self, other: MultiwordArray) -> MultiwordArray:
        """Matrix product of 2-D arrays, exact on limbs (module docstring)."""
        if not isinstance(other, MultiwordArray):
            return NotImplemented
        if self.ndim != 2 or other.ndim != 2 or self.shape[1] != other.shape[0]:
            raise ShapeError(f"cannot multiply shapes {self.shape} and {other.shape}")
        return _product(self, other, symmetric=False)

    def gram(self) -> MultiwordArray:
        """The Gram matrix AᵀA of this 2-D array A, as ``A.T @ A`` but with a quarter of the limb products
        saved by symmetry (the block below the diagonal of column halves is the transpose of the one
        above it)."""
        if self.ndim != 2:
            raise ShapeError(f"a Gram matrix of an array of shape {self.shape}")
        return _product(self.T, self, symmetric=self.shape[1] >= 2)

    def sum(self, axis: int) -> MultiwordArray:
        """The sum along ``axis`` (exact on limbs, then carried)."""
        axis = axis % self.ndim
        count = self.shape[axis]
        acc = self.limbs.sum(axis=axis + 1)  # |.| ≤ count·2^(β−1): exact while count < 2^31
        if count >= 2 ** 30:
            raise ShapeError("a sum of more than 2^30 terms")
        padded = np.concatenate([np.zeros((1,) + acc.shape[1:]), acc])
        limbs, e, dropped = _normalize(padded, self.e + 1, self.S)
        rad = _up(self.rad.sum(axis=axis), count) + dropped
        return MultiwordArray(limbs, e, rad)

    # -- conversion -----------------------------------------------------------------------------
    def balls(self) -> list[arb]:
        """Every entry as a python-flint ball (row-major)."""
        S = self.S
        flat = self.limbs.reshape(S, -1)
        ints = _join_ints(flat)
        scale = arb(2) ** (BETA * (self.e - S + 1))  # exact
        out = []
        for v, r in zip(ints, self.rad.reshape(-1).tolist()):
            ball = arb(fmpz(v)) * scale if v else arb(0)
            out.append(ball + arb(0, r) if r else ball)
        return out

    def total(self) -> arb:
        """The sum of every entry as a ball."""
        out = self.reshape(-1).sum(0)
        return out.balls()[0]


# -- limb helpers ------------------------------------------------------------------------------------
def _product(A: MultiwordArray, B: MultiwordArray, symmetric: bool) -> MultiwordArray:
    """A @ B, exact on limbs (module docstring); ``symmetric``: B = Aᵀ, and only the blocks on and above
    the diagonal of row and column halves are formed (the one below is the transpose of the one above).
    Long inner dimensions go through residues instead (:func:`_residues_pay`)."""
    n, k = A.shape
    m = B.shape[1]
    S = max(A.S, B.S)
    if _residues_pay(n, k, m, S):
        return _residue_product(A, B, symmetric)
    a, b = _padded(A, S), _padded(B, S)
    h = n // 2 if symmetric else n  # rows [0, h) take every column, rows [h, n) the columns [h, m)
    # position d (= s + t) sums A_s B_t over s: [A_0 … A_d] @ [B_d; …; B_0], one GEMM of fewer than
    # chunk·S ≤ 2^(54−2β) products below 2^(2β−2) each: |result| < 2^52, exact, and a carry added
    # during normalisation keeps it below 2^53; longer inner dimensions are cut into chunks
    chunk = max(1, 2 ** (54 - 2 * BETA) // (S + 1) - 1)
    acc = np.zeros((S + 2, n, m))
    for start in range(0, k, chunk):
        stop = min(k, start + chunk)
        width = stop - start
        left = np.ascontiguousarray(a[:, :, start:stop].transpose(1, 0, 2)).reshape(n, S * width)
        right = np.ascontiguousarray(b[::-1, start:stop, :]).reshape(S * width, m)  # B_{S−1}; …; B_0
        for d in range(S + 1):
            first = max(0, d - S + 1)  # s ≥ d − (S − 1)
            last = min(d, S - 1)
            if first > last:
                continue
            L = left[:, first * width:(last + 1) * width]
            R = right[(S - 1 - d + first) * width:(S - d + last) * width]
            blocks = [(slice(0, h), slice(0, m), L[:h] @ R)]
            if h < n:
                blocks.append((slice(h, n), slice(h, m), L[h:] @ R[:, h:]))
            for rows, columns, T in blocks:
                if chunk >= k:
                    acc[d + 1, rows, columns] = T
                else:  # several chunks: add in halves so that the sums stay exact
                    hi = np.floor(T * INV_RADIX + 0.5)
                    acc[d + 1, rows, columns] += T - hi * RADIX
                    acc[d, rows, columns] += hi
    if h < n:
        acc[:, h:, :h] = acc[:, :h, h:].transpose(0, 2, 1)
    limbs, e, dropped = _normalize(acc, A.e + B.e + 1, S)
    skipped = _skipped_pairs(S, k, A.e + B.e)
    ma, mb = A.magnitude(), B.magnitude()
    rad = _up(ma @ B.rad + A.rad @ (mb + B.rad), k + 2) + (dropped + skipped)
    return MultiwordArray(limbs, e, rad)


# -- residue (multi-modular) products ------------------------------------------------------------------
#: residue products from this inner dimension on (:func:`_residues_pay`)
RESIDUE_MIN_INNER = 128
#: residue products use primes below 2^RESIDUE_PRIME_BITS; residues are kept in |r| ≤ p/2 + 1 < 2^22
#: (the primes are at most 2^23 − 15), so float64 sums of up to RESIDUE_CHUNK products of two are
#: integers below 2^52, exact, and reduce exactly
RESIDUE_PRIME_BITS = 23
RESIDUE_CHUNK = 256


class _ResidueBasis:
    """Pairwise coprime moduli p_j (primes below 2^23) whose product M exceeds 4·bound, with what a
    residue product needs (see :func:`_residue_product`):

    * ``weights`` (J × S): 2^(β(S−1−s)) mod p_j, so that Σ_s x_s·weights[j, s] ≡ the integer of the
      limbs x_0 … x_{S−1} (mod p_j);
    * ``inverses``: (M/p_j)⁻¹ mod p_j, so that C ≡ Σ_j y_j·(M/p_j) (mod M) with y_j = c_j·inverses_j;
    * ``digits`` (T × (J + 1)): base-2^β digits t = top … low (rows, most significant first) of
      M/p_1 … M/p_J and of −M, each modulo 2^(β(top + 1)), balanced; the digits below ``low`` are
      dropped, and ``tail``·2^(β·low) bounds what they contribute: |Σ_j y_j·τ_j − q·τ_M| (a float
      near 2^50 whatever S is; the power of two is applied with the product's scale)."""

    def __init__(self, S: int, bound_bits: int, top: int, low: int):
        primes: list[int] = []
        candidate = 2 ** RESIDUE_PRIME_BITS
        M = 1
        while M.bit_length() <= bound_bits + 2:  # M > 4·2^bound_bits
            candidate = int(prevprime(candidate))
            primes.append(candidate)
            M *= candidate
        self.primes = primes
        J = len(primes)
        assert RESIDUE_CHUNK * (primes[0] // 2 + 1) ** 2 < 2 ** 52
        self.p = np.array(primes, dtype=np.float64)
        self.inverse_p = 1.0 / self.p
        self.weights = np.array([[_balanced(pow(2, BETA * (S - 1 - s), p), p) for s in range(S)] for p in primes],
                                dtype=np.float64)
        self.inverses = np.array([_balanced(pow(M // p, -1, p), p) for p in primes], dtype=np.float64)
        modulus = 1 << (BETA * (top + 1))
        columns, tails = [], []
        for c in [M // p for p in primes] + [-M]:
            digits = _balanced_digits(c % modulus, top + 1)  # least significant first
            columns.append(digits[low:][::-1])
            tails.append(abs(sum(d << (BETA * t) for t, d in enumerate(digits[:low]))))
        self.digits = np.array(columns, dtype=np.float64).T.copy()  # T × (J + 1)
        y_bound = [p // 2 + 1 for p in primes]
        q_bound = sum(Fraction(y, p) for y, p in zip(y_bound, primes)) + Fraction(1, 2)
        exact_tail = (sum(y * t for y, t in zip(y_bound, tails[:J])) + q_bound * tails[J]) / 2 ** (BETA * low)
        self.tail = _ldexp_up(float(exact_tail) * (1 + 2.0 ** -50), 0) if exact_tail else 0.0
        self.low = low
        self.J = J


def _limb_pairs(S: int) -> int:
    """The limb products x_s·y_t (s + t ≤ S) a limb product forms per multiply-add."""
    return S * (S + 1) // 2 + S - 1


def _residues_pay(n: int, k: int, m: int, S: int) -> bool:
    """Is an (n × k)·(k × m) product of S-limb arrays faster through residues: J GEMMs instead of
    about S²/2, but conversions in (k·(n + m) entries, J residues each) and out (n·m entries)? Yes
    when the inner dimension is long (at least RESIDUE_MIN_INNER and half the longer outer one) and
    the limb products are at least twice the moduli (S ≥ 6). Measured at S = 11, best of 7:
    64 × 256 × 64 Gram 4.9 ms against 9.2 ms, 256³ 59 ms against 91 ms, 16 × 128 × 1024 20 ms
    against 19 ms; S = 4: 256³ 30 ms against 24 ms. Either is rigorous; only the time differs."""
    if k < RESIDUE_MIN_INNER or 2 * k < max(n, m) or k >= 2 ** (BETA - 4):
        return False
    return _limb_pairs(S) >= 2 * _residue_basis(S, (k - 1).bit_length()).J


def _balanced(r: int, p: int) -> int:
    """The representative of r mod p in (−p/2, p/2]."""
    r %= p
    return r - p if r > p // 2 else r


def _balanced_digits(value: int, count: int) -> list[int]:
    """``count`` base-2^β digits of value (≥ 0) in [−2^(β−1), 2^(β−1)), least significant first; the
    carry out of the last one is dropped (the digits are value modulo 2^(β·count))."""
    digits = []
    for _ in range(count):
        d = value & ((1 << BETA) - 1)
        value >>= BETA
        if d >= 1 << (BETA - 1):
            d -= 1 << BETA
            value += 1
        digits.append(d)
    return digits


@cache
def _residue_basis(S: int, k_bits: int) -> _ResidueBasis:
    """The basis for products of S-limb operands with an inner dimension of at most 2^k_bits (the
    integers of the limbs are below 2^(βS), so |C| < 2^(2βS + k_bits))."""
    return _ResidueBasis(S, 2 * BETA * S + k_bits, top=2 * S, low=max(0, S - 4))


def _reduce(t: np.ndarray, p: float, inverse: float, scratch: np.ndarray) -> np.ndarray:
    """t mod p in place, in |r| ≤ p/2 + 1, for integers |t| < 2^52: the quotient rint(t/p) is off by
    at most one near a half, which the bound allows; t − p·q is exact (|p·q| < 2^53). ``scratch``:
    an array of t's shape."""
    np.multiply(t, inverse, out=scratch)
    np.rint(scratch, out=scratch)
    np.multiply(scratch, p, out=scratch)
    np.subtract(t, scratch, out=t)
    return t


def _residues(limbs: np.ndarray, basis: _ResidueBasis) -> np.ndarray:
    """The residues (J × …) of the integers Σ_s x_s·2^(β(S−1−s)) of S limbs (S × …): one exact GEMM
    (|Σ_s x_s·w| ≤ S·2^(β−1)·2^22 < 2^48), then each modulus's row reduced (rows stay in cache)."""
    S = limbs.shape[0]
    t = basis.weights @ limbs.reshape(S, -1)
    scratch = np.empty(t.shape[1])
    for j in range(basis.J):
        _reduce(t[j], basis.p[j], basis.inverse_p[j], scratch)
    return t.reshape((basis.J,) + limbs.shape[1:])


def _residue_product(A: MultiwordArray, B: MultiwordArray, symmetric: bool) -> MultiwordArray:
    """A @ B (``symmetric``: B = Aᵀ) through residues: the integers of the limbs are multiplied exactly
    modulo J primes (one float64 GEMM each, exact: chunks of at most RESIDUE_CHUNK terms below 2^44),
    and the product is rebuilt by the Chinese remainder theorem, C = Σ_j y_j·(M/p_j) − q·M with
    y_j = c_j·(M/p_j)⁻¹ mod p_j and q = rint(Σ_j y_j/p_j) (|C| < M/4, so the fraction is far from ½),
    digit by digit modulo 2^(β(2S + 1)) > 4|C| in one more GEMM. Only the digits below the S + 4
    leading positions are dropped (bounded by the basis's ``tail``); no limb product is skipped."""
    n, k = A.shape
    m = B.shape[1]
    S = max(A.S, B.S)
    basis = _residue_basis(S, max(1, k - 1).bit_length())
    b = _residues(_padded(B, S), basis)  # J × k × m
    a = None if symmetric else _residues(_padded(A, S), basis)
    Y = np.empty((basis.J + 1, n * m))
    scratch = np.empty((n, m))
    for j in range(basis.J):
        p, inverse = basis.p[j], basis.inverse_p[j]
        c = None
        for start in range(0, k, RESIDUE_CHUNK):
            right = b[j, start:start + RESIDUE_CHUNK]
            part = right.T @ right if symmetric else a[j, :, start:start + RESIDUE_CHUNK] @ right
            part = _reduce(part, p, inverse, scratch)
            c = part if c is None else _reduce(c + part, p, inverse, scratch)
        c *= basis.inverses[j]  # |c·v| ≤ (p/2 + 1)·p/2 < 2^45: exact
        Y[j] = _reduce(c, p, inverse, scratch).reshape(-1)
    Y[basis.J] = np.rint(basis.inverse_p @ Y[:basis.J])  # q
    D = basis.digits @ Y  # T × nm, |.| ≤ (J·(2^22 + 1) + q)·2^21 < 2^48
    D = _carried_modular(D).reshape((D.shape[0], n, m))
    limbs, e, dropped = _normalize(D, A.e + B.e + 2, S)  # digit 2S weighs 2^(β(e_A + e_B + 2))
    tail = _ldexp_up(basis.tail, BETA * (basis.low + A.e + B.e - 2 * S + 2))  # 2^(β(…)): the unit of C
    ma, mb = A.magnitude(), B.magnitude()
    rad = _up(ma @ B.rad + A.rad @ (mb + B.rad), k + 2) + (dropped + tail)
    return MultiwordArray(limbs, e, rad)


def _carried_modular(D: np.ndarray) -> np.ndarray:
    """Digit sums D (most significant first, integers below 2^52) → balanced digits of the same value
    modulo 2^(β·rows): carried upwards, the carry out of the first row dropped (D is overwritten)."""
    _carry(D)
    D[0] -= np.rint(D[0] * INV_RADIX) * RADIX
    return D


def _same_ndim(A: MultiwordArray, B: MultiwordArray) -> tuple[MultiwordArray, MultiwordArray]:
    """Leading axes of length one prepended to the operand of fewer dimensions (numpy's broadcasting
    rule; the limb axis in front would otherwise meet a data axis)."""
    if A.ndim < B.ndim:
        A = A.reshape((1,) * (B.ndim - A.ndim) + A.shape)
    elif B.ndim < A.ndim:
        B = B.reshape((1,) * (A.ndim - B.ndim) + B.shape)
    return A, B


def _padded(A: MultiwordArray, S: int) -> np.ndarray:
    if A.S == S:
        return A.limbs
    return np.concatenate([A.limbs, np.zeros((S - A.S,) + A.shape)])


def _spread(A: MultiwordArray, S: int, shape: tuple[int, ...]) -> np.ndarray:
    """A's limbs padded to S, broadcast to ``shape`` and laid out contiguously as S × entries (numpy's
    loops over a broadcast operand are slower than a copy)."""
    limbs = _padded(A, S)
    if A.shape != shape:
        limbs = np.broadcast_to(limbs, (S,) + shape)
    return np.ascontiguousarray(limbs).reshape(S, -1)


def _aligned(A: MultiwordArray, e: int, S: int) -> tuple[np.ndarray, float]:
    """A's limbs at exponent e ≥ A.e (shifted down by whole limbs) with S limbs, and a bound on what
    fell off the end."""
    shift = e - A.e
    limbs = _padded(A, S)
    if shift == 0:
        return limbs, 0.0
    out = np.zeros_like(limbs)
    if shift < S:
        out[shift:] = limbs[:S - shift]
    dropped = _tail_bound(limbs[max(0, S - shift):], BETA * (A.e - max(0, S - shift)))
    return out, dropped


def _tail_bound(limbs: np.ndarray, top_exponent: int) -> float:
    """An upper bound of |Σ_p limbs[p]·2^(top_exponent − βp)| over every entry."""
    total = 0.0
    for p in range(limbs.shape[0]):
        peak = float(np.max(np.abs(limbs[p]))) if limbs[p].size else 0.0
        if peak:
            total = math.nextafter(total + _ldexp_up(peak, top_exponent - BETA * p), math.inf)
    return total


def _skipped_pairs(S: int, k: int, e: int) -> float:
    """A bound on the limb products not formed (s + t > S): each |a_s b_t| ≤ 2^(2β−2)·k at weight
    2^(β(e − s − t)); at most S pairs per position."""
    total = 0.0
    for d in range(S + 1, 2 * S - 1):
        total += _ldexp_up(float(S * k), 2 * BETA - 2 + BETA * (e - d))
    return math.nextafter(total, math.inf) if total else 0.0


def _carry(D: np.ndarray) -> None:
    """Carry limb sums D (positions 0 … n−1, most significant first, integers below 2^52) upwards in
    place: every position after the first ends with |remainder| ≤ 2^(β−1) (rint: the nearest integer)."""
    for p in range(D.shape[0] - 1, 0, -1):
        c = np.rint(D[p] * INV_RADIX)
        D[p - 1] += c
        c *= RADIX
        D[p] -= c


def _normalize(D: np.ndarray, e: int, S: int) -> tuple[np.ndarray, int, float]:
    """Limb sums D (positions 0 … n−1, position p of weight 2^(β(e − p)), integers below 2^52) →
    S balanced limbs, the exponent of the first, and a bound on the dropped tail (D is overwritten)."""
    _carry(D)
    extra = []
    top = D[0]
    while np.any(np.abs(top) > HALF):
        c = np.rint(top * INV_RADIX)
        top = top - c * RADIX
        extra.append(top)
        top = c
    if extra:
        D = np.concatenate([np.stack([top] + extra[::-1]), D[1:]])
        e += len(extra)
    first = 0
    while first < D.shape[0] - 1 and not np.any(D[first]):
        first += 1
    if not np.any(D[first]):
        return np.zeros((S,) + D.shape[1:]), 0, 0.0
    D = D[first:]
    e -= first
    _check_range(e, S)
    if D.shape[0] > S:
        dropped = _tail_bound(D[S:], BETA * (e - S))
        return np.ascontiguousarray(D[:S]), e, dropped
    if D.shape[0] < S:
        D = np.concatenate([D, np.zeros((S - D.shape[0],) + D.shape[1:])])
    return D, e, 0.0


def _check_range(e: int, S: int) -> None:
    """Leading limbs below 2^(β·EXPONENT_LIMIT) ≈ 2^880 and last limbs above 2^−990: every magnitude and
    radius is then a normal float64 (and _TINY = 2^−1000 stays below one unit of the last limb)."""
    if e > EXPONENT_LIMIT or BETA * (e - S) < -990:
        raise MultiwordRange(f"a number of size 2^{BETA * e} with {S} limbs is outside the multi-word range")


def _split_ints(ints: list[int], S: int) -> np.ndarray:
    """Python integers (|v| ≤ 2^(βS − 2)) → S balanced limbs, most significant first (S × len): the
    magnitudes' bytes are cut into β-bit digits (vectorised), signed, then carried into balance."""
    limit = 1 << (BETA * S - 2)
    if any(abs(v) > limit for v in ints):
        raise ShapeError("a value does not fit the limbs")
    n = len(ints)
    width = (BETA * S + 7) // 8
    raw = np.frombuffer(b"".join(abs(v).to_bytes(width, "little") for v in ints), dtype=np.uint8)
    bits = np.unpackbits(raw.reshape(n, width), axis=1, bitorder="little")[:, :BETA * S]
    digits = bits.reshape(n, S, BETA).astype(np.float64) @ (2.0 ** np.arange(BETA))  # least significant first
    signs = np.array([-1.0 if v < 0 else 1.0 for v in ints])
    D = np.ascontiguousarray((digits * signs[:, None]).T[::-1])  # most significant first, |digit| < 2^β
    _carry(D)  # balanced: |digit| ≤ 2^(β−1); the top stays small since |v| ≤ 2^(βS − 2)
    return D


def _small_rationals(numerators: Sequence[int], denominators: Sequence[int],
                     S: int) -> tuple[np.ndarray, int, np.ndarray] | None:
    """Rationals p/q (q > 0) with |p|, q < 2^31, as :meth:`MultiwordArray.from_balls` converts them (the
    same exponent e, limbs and radius), vectorised: each is rounded to the nearest multiple of the last
    limb's unit, floor(p/q·2^(β(S−1−e)) + ½), by long division in int64 (a remainder below q, times
    2^β, stays below 2^53). (limbs S × n, e, radii), or None when a value is larger, every value is
    zero, or e > S − 1."""
    if not numerators or max(map(abs, numerators)) >= 2 ** 31 or max(denominators) >= 2 ** 31:
        return None
    p = np.array(numerators, dtype=np.int64)
    q = np.array(denominators, dtype=np.int64)
    nonzero = p != 0
    if not np.any(nonzero):
        return None
    # bit lengths (exact: below 2^31, frexp's exponent is the bit length); |p/q| < 2^size
    size = np.frexp(np.abs(p[nonzero]).astype(np.float64))[1] - np.frexp(q[nonzero].astype(np.float64))[1] + 1
    e = -((-(int(size.max()) + 2)) // BETA) - 1  # as from_balls: |p/q| < 2^(β(e + 1) − 2)
    _check_range(e, S)
    if e > S - 1:
        return None
    whole, remainder = np.divmod(np.abs(p), q)
    rows = [whole >> BETA, whole & ((1 << BETA) - 1)]  # weights 2^β and 1: limbs e − 1 and e (p/q < 2^(2β))
    for _ in range(S - 1 - e):  # weights 2^(−βj): limbs e + j
        digit, remainder = np.divmod(remainder << BETA, q)
        rows.append(digit)
    negative = p < 0
    # nearest, ties upwards (floor(x + ½)): a magnitude rounds up at 2r > q, or at 2r = q when positive
    rows[-1] = rows[-1] + ((2 * remainder > q) | ((2 * remainder == q) & ~negative))
    zeros = [np.zeros_like(whole)] * max(0, e - 1)  # limbs 0 … e − 2 (the integer part has two digits)
    D = np.array(zeros + rows[max(0, 1 - e):], dtype=np.float64)  # rows of limbs below 0: zero by the bound
    D[:, negative] *= -1
    _carry(D)  # balanced: |limb| ≤ 2^(β−1), the top one by the bound
    unit = math.ldexp(1.0, -BETA * (S - 1 - e))
    rad = np.full(len(numerators), unit * 0.5 + _TINY if np.any(remainder) else 0.0)
    return D, e, rad


def _join_ints(flat: np.ndarray) -> list[int]:
    """S × n limbs → n Python integers Σ_s x_s·2^(β(S−1−s))."""
    acc = flat[0].astype(np.int64).astype(object)
    for s in range(1, flat.shape[0]):
        acc = acc * (1 << BETA) + flat[s].astype(np.int64).astype(object)
    return [int(v) for v in acc]



def concatenate(arrays: Sequence[MultiwordArray], axis: int = 0) -> MultiwordArray:
    """Arrays joined along ``axis`` (aligned to the largest exponent first)."""
    S = max(a.S for a in arrays)
    e = max(a.e for a in arrays)
    limbs, rads = [], []
    for a in arrays:
        aligned, dropped = _aligned(a, e, S)
        limbs.append(aligned)
        rads.append(a.rad + dropped if dropped else a.rad)
    return MultiwordArray(np.concatenate(limbs, axis=axis + 1), e, np.concatenate(rads, axis=axis))


# -- the backend for the feed-forward engine ---------------------------------------------------------
class MultiwordBackend(BallScalars, Backend):
    """Balls in multi-word fixed point (:class:`MultiwordArray`), for the feed-forward engine's
    structured formulas (``dlnsmooth.networks.ffengine``, whose algebra for it is
    ``_MultiwordAlgebra``): the same figures as the ball backend, rigorous, with matrix products on
    float64 BLAS. Scalars (sums, norms) are python-flint balls. The number of limbs follows the
    flint precision at the time a state is made."""

    name = "multiword"
    rigorous = True


MULTIWORD = MultiwordBackend()


@contextmanager
def raised_precision(bits: int) -> Iterator[None]:
    """python-flint's precision raised to at least ``bits`` for the block (activations and losses are
    evaluated as precisely as the limbs hold them)."""
    old = ctx.prec
    ctx.prec = max(old, bits)
    try:
        yield
    finally:
        ctx.prec = old
