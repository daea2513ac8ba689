"""The norms of SPEC §0.

Vectors: Euclidean. Hessians: Frobenius ``‖H‖_F`` (a polynomial in the
entries once squared, convenient for certificates) and the spectral norm
``‖H‖₂`` (the norm of the definitions). In dimension n,
``‖H‖_F / √n ≤ ‖H‖₂ ≤ ‖H‖_F``, so a ratio that diverges in one norm diverges
in the other. Every figure the package prints names its norm.

Each norm exists in mpmath (at the current precision) and in ball arithmetic
(``ball_*``: rigorous enclosures; for the spectral norm a rigorous lower
bound ‖Hv‖/‖v‖ and the upper bound ‖H‖_F).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import mpmath as mp
import sympy as sp
from flint import arb

from .balls import nonnegative_sqrt
from .errors import ShapeError
from .numbers import ball_to_mpf, integer_power, to_arb
from .precision import flint_dps

__all__ = [
    "Norm",
    "vector_norm",
    "frobenius_norm",
    "spectral_norm",
    "matrix_norm",
    "symbolic_squared_norm",
    "ball_vector_norm",
    "ball_frobenius_norm",
    "ball_spectral_lower",
    "ball_hessian_norm",
    "NORM_SYMBOLS",
]


class Norm(StrEnum):
    """Names of the norms used in reports and JSON."""

    EUCLIDEAN = "euclidean"
    FROBENIUS = "frobenius"
    SPECTRAL = "spectral"

    @classmethod
    def parse(cls, value: str | Norm) -> Norm:
        try:
            return cls(value) if not isinstance(value, Norm) else value
        except ValueError:
            names = ", ".join(n.value for n in cls)
            raise ValueError(f"unknown norm {value!r}; expected one of {names}") from None


#: How each norm is written in reports.
NORM_SYMBOLS = {
    Norm.EUCLIDEAN: "‖·‖",
    Norm.FROBENIUS: "‖·‖_F",
    Norm.SPECTRAL: "‖·‖₂",
}


def vector_norm(vector: Sequence) -> mp.mpf:
    """Euclidean norm √(Σ vᵢ²) at the current mpmath precision."""
    return mp.sqrt(mp.fsum(v * v for v in vector if v))


def _rows(matrix) -> list[list]:
    if isinstance(matrix, mp.matrix):
        return [[matrix[i, j] for j in range(matrix.cols)] for i in range(matrix.rows)]
    rows = [list(row) for row in matrix]
    if any(len(row) != len(rows) for row in rows):
        raise ShapeError(f"expected a square matrix, got rows of lengths {[len(r) for r in rows]}")
    return rows


def frobenius_norm(matrix) -> mp.mpf:
    """Frobenius norm √(Σ Hᵢⱼ²) at the current mpmath precision."""
    return mp.sqrt(mp.fsum(v * v for row in _rows(matrix) for v in row if v))


def spectral_norm(matrix) -> mp.mpf:
    """Operator 2-norm: the largest |eigenvalue| of a symmetric matrix
    (the largest singular value otherwise), at the current mpmath precision."""
    rows = _rows(matrix)
    n = len(rows)
    if n == 0:
        return mp.mpf(0)
    if n == 1:
        return abs(rows[0][0])
    A = mp.matrix(rows)
    scale = max(abs(v) for row in rows for v in row)
    if scale == 0:
        return mp.mpf(0)
    symmetric = all(abs(A[i, j] - A[j, i]) <= scale * mp.eps * 16 for i in range(n) for j in range(i))
    if symmetric:
        return max(abs(e) for e in mp.eigsy(A, eigvals_only=True))
    return max(mp.svd_r(A, compute_uv=False))


def matrix_norm(matrix, norm: Norm | str = Norm.FROBENIUS) -> mp.mpf:
    """``‖matrix‖`` in the named norm (``frobenius`` or ``spectral``)."""
    norm = Norm.parse(norm)
    if norm is Norm.FROBENIUS:
        return frobenius_norm(matrix)
    if norm is Norm.SPECTRAL:
        return spectral_norm(matrix)
    raise ValueError("a Hessian norm must be 'frobenius' or 'spectral'")


def symbolic_squared_norm(entries) -> sp.Expr:
    """Σ eᵢ² for the entries of a SymPy vector or matrix (no square root:
    the squared Euclidean/Frobenius norm stays an exp-log expression)."""
    return sp.Add(*[e**2 for e in entries if e != 0])


# -- ball arithmetic ---------------------------------------------------------------------------
def _sum_of_squares(values: Sequence[arb]) -> arb:
    total = arb(0)
    for v in values:
        total += integer_power(v, 2)
    return total


def ball_vector_norm(vector: Sequence[arb]) -> arb:
    """An enclosure of the Euclidean norm of a vector of balls."""
    return nonnegative_sqrt(_sum_of_squares(vector))


def ball_frobenius_norm(matrix: Sequence[Sequence[arb]]) -> arb:
    """An enclosure of ‖H‖_F for a matrix of balls (a list of rows)."""
    return nonnegative_sqrt(_sum_of_squares([h for row in matrix for h in row]))


def _test_vectors(matrix: Sequence[Sequence[arb]]) -> list[list[arb]]:
    """Exact vectors v for the lower bound ‖Hv‖/‖v‖ ≤ ‖H‖₂: a top eigenvector of the midpoint
    matrix (mpmath at the current flint precision, read exactly) and the unit vectors."""
    n = len(matrix)
    units = [[arb(1) if i == j else arb(0) for i in range(n)] for j in range(n)]
    if not all(h.is_finite() for row in matrix for h in row):
        return units
    with mp.workdps(flint_dps()):  # the digits the balls carry
        A = mp.matrix([[ball_to_mpf(h) for h in row] for row in matrix])
        try:
            eigenvalues, Q = mp.eigsy(A)
        except (ZeroDivisionError, ValueError, ArithmeticError):
            return units
        k = max(range(n), key=lambda i: abs(eigenvalues[i]))
        top = [to_arb(+Q[i, k]) for i in range(n)]
    return [top] + units if any(not x.is_zero() for x in top) else units


def ball_spectral_lower(matrix: Sequence[Sequence[arb]]) -> arb:
    """A ball enclosing ‖Hv‖/‖v‖ ≤ ‖H‖₂ for the best of the test vectors v (any v ≠ 0 gives a
    rigorous lower bound; power iteration or an eigenvector only makes it tight)."""
    n = len(matrix)
    best: arb | None = None
    for v in _test_vectors(matrix):
        image = [sum((matrix[i][j] * v[j] for j in range(n) if not v[j].is_zero()), arb(0)) for i in range(n)]
        ratio = ball_vector_norm(image) / ball_vector_norm(v)
        if ratio.is_finite() and (best is None or ratio.lower() > best.lower()):
            best = ratio
    return best if best is not None else arb("nan")


def ball_hessian_norm(matrix: Sequence[Sequence[arb]], norm: Norm | str) -> tuple[arb, arb]:
    """(low, high): balls with low ≤ ‖H‖ ≤ high in the named norm. Where the norm is computed
    exactly (Frobenius; 1×1 spectral: |h|) the same ball is returned twice."""
    norm = Norm.parse(norm)
    if norm is Norm.FROBENIUS:
        ball = ball_frobenius_norm(matrix)
        return ball, ball
    if norm is not Norm.SPECTRAL:
        raise ValueError("a Hessian norm must be 'frobenius' or 'spectral'")
    if len(matrix) == 1:
        ball = abs(matrix[0][0])
        return ball, ball
    return ball_spectral_lower(matrix), ball_frobenius_norm(matrix)
