"""The norms of SPEC §0.

Vectors: Euclidean. Hessians: Frobenius ``‖H‖_F`` (a polynomial in the
entries once squared, convenient for certificates) and the spectral norm
``‖H‖₂`` (the norm of the definitions). In dimension n,
``‖H‖_F / √n ≤ ‖H‖₂ ≤ ‖H‖_F``, so a ratio that diverges in one norm diverges
in the other. Every figure the package prints names its norm.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import mpmath as mp
import sympy as sp

from .errors import ShapeError

__all__ = [
    "Norm",
    "vector_norm",
    "frobenius_norm",
    "spectral_norm",
    "matrix_norm",
    "symbolic_squared_norm",
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
