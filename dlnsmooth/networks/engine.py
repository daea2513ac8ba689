"""Structured evaluation of deep linear network losses at any size.

For widths ``(n_0, …, n_L)``, data ``X = [x_1 … x_N]`` (``n_0 × N``) and a loss
ℓ, at weights ``W_1 … W_L`` (``W_l`` is ``n_l × n_{l−1}``):

* prefixes ``R_0 = X``, ``R_l = W_l R_{l−1}`` (``n_l × N``); outputs ``u = R_L``;
* suffix rows ``s_L = [1]``, ``s_{l−1} = s_l W_l`` (``1 × n_{l−1}``);
* ``d1_i = ℓ′(u_i; y_i)``, ``d2_i = ℓ″(u_i; y_i)``; ``v_0 = X d1``, ``v_l = W_l v_{l−1}``;
* middle products ``M_ab = W_{b−1} ⋯ W_{a+1}`` (identity when ``b = a + 1``).

Then, with ``g_i = ∇u_i`` (block l: ``s_lᵀ r_{l−1,i}ᵀ``):

* ``∇f`` block l is ``s_lᵀ v_{l−1}ᵀ``, so ``‖∇f‖² = Σ_l ‖s_l‖² ‖v_{l−1}‖²``;
* ``∇²f = A + T`` with ``A = Σ_i d2_i g_i g_iᵀ`` and ``T`` the Hessian of
  ``θ ↦ W_L ⋯ W_1 v_0`` (``v_0`` held fixed), whose (a, b) block (a < b) is the
  bilinear form ``(Δ_a, Δ_b) ↦ s_b Δ_b M_ab Δ_a v_{a−1}``;
* ``‖∇²f‖_F² = ‖A‖_F² + 2⟨A, T⟩ + ‖T‖_F²`` with the Gram matrix
  ``K = Σ_l ‖s_l‖² R_{l−1}ᵀ R_{l−1}`` (``K_ij = g_iᵀ g_j``):
  ``‖A‖_F² = d2ᵀ (K ∘ K) d2``,
  ``‖T‖_F² = 2 Σ_{a<b} ‖s_b‖² ‖M_ab‖_F² ‖v_{a−1}‖²``,
  ``⟨A, T⟩ = 2 Σ_{a<b} ‖s_b‖² Σ_i d2_i (r_{b−1,i}ᵀ M_ab s_aᵀ)(r_{a−1,i}ᵀ v_{a−1})``
  — no P × P matrix is formed;
* Hessian-vector products ``∇²f δ`` cost O(N·P): ``A δ`` through
  ``z_i = g_iᵀ δ = Σ_l s_l δ_l r_{l−1,i}`` and ``T δ`` by differentiating
  ``∇φ`` along δ (tangent prefixes ``v̇_l = δ_l v_{l−1} + W_l v̇_{l−1}`` and suffixes
  ``ṡ_{l−1} = ṡ_l W_l + s_l δ_l``);
* ``‖∇²f‖₂ ≥ ‖∇²f δ‖/‖δ‖`` for every δ ≠ 0: power iteration picks δ, the bound
  is rigorous whatever δ is.

Three backends run the same formulas: :data:`FLOAT64` (numpy; fast, for
exploration — it overflows and underflows silently at extreme points),
:data:`BALL` (python-flint ``arb_mat``; every entry carries a radius, so the
figures it prints are guaranteed) and :data:`EXACT` (python-flint ``fmpq_mat``;
exact rationals, usable where the loss derivatives are rational, e.g. along
curves on which every output is 0). :data:`SYMPY` holds SymPy expressions (exact and symbolic,
for small networks: the feed-forward engine :mod:`dlnsmooth.networks.ffengine` uses it for
symbolic gradients and Hessians and their restriction to curves). Hessian blocks are Kronecker-structured:
``A_ab = kron(s_aᵀ s_b, R_{a−1} diag(d2) R_{b−1}ᵀ)`` and
``T_ab[(p,q),(r,s)] = (s_b)_r (M_ab)_{sp} (v_{a−1})_q``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy as sp
from flint import arb, arb_mat, fmpq, fmpq_mat, fmpz
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, LinearOperator, eigsh

from ..balls import nonnegative_sqrt
from ..errors import NotRational, ShapeError
from ..numbers import to_arb, to_rational
from .losses import Loss, U, Y

__all__ = ["Backend", "BallScalars", "FLOAT64", "BALL", "EXACT", "SYMPY", "NetworkState", "NotRational",
           "SpectralBound", "state_at", "power_iteration", "lanczos_direction"]


class Backend:
    """Matrix operations the formulas need; subclasses fix the number type."""

    name: str = "abstract"
    #: True when results carry rigorous error bounds (or are exact).
    rigorous: bool = False

    def matrix(self, rows: Sequence[Sequence[object]]): ...
    def from_entries(self, n: int, m: int, values: list): ...
    def zeros(self, n: int, m: int): ...
    def identity(self, n: int): ...
    def shape(self, A) -> tuple[int, int]: ...
    def T(self, A): ...
    def entries(self, A) -> list: ...
    def scalar(self, value: object): ...
    def zero(self): ...
    def sqrt(self, x): ...
    def loss_functions(self, loss: Loss) -> tuple[Callable, Callable, Callable]: ...

    def mul(self, A, B):
        return A * B

    def midpoint(self, A):
        return A

    def to_float(self, x) -> float:
        return float(x)

    def column(self, values: list):
        return self.from_entries(len(values), 1, list(values))

    def diag(self, values: list):
        n = len(values)
        return self.from_entries(n, n, [values[i] if i == j else self.zero() for i in range(n) for j in range(n)])

    def sumsq(self, A):
        total = self.zero()
        for e in self.entries(A):
            total = total + e * e
        return total

    def dot(self, a: list, b: list):
        total = self.zero()
        for x, y in zip(a, b):
            total = total + x * y
        return total


class Float64Backend(Backend):
    """numpy float64: fast and approximate; no error bound."""

    name = "float64"

    def matrix(self, rows):
        return np.array([[float(v) for v in row] for row in rows], dtype=np.float64)

    def from_entries(self, n, m, values):
        return np.array([float(v) for v in values], dtype=np.float64).reshape(n, m)

    def zeros(self, n, m):
        return np.zeros((n, m))

    def identity(self, n):
        return np.eye(n)

    def shape(self, A):
        return A.shape

    def T(self, A):
        return A.T

    def entries(self, A):
        return list(A.ravel())

    def scalar(self, value):
        return float(value)

    def zero(self):
        return 0.0

    def sqrt(self, x):
        return math.sqrt(x)

    def mul(self, A, B):
        return A @ B

    def diag(self, values):
        return np.diag(np.array(values, dtype=np.float64))

    def sumsq(self, A):
        return float(np.sum(A * A))

    def dot(self, a, b):
        return float(np.dot(a, b))

    def loss_functions(self, loss):
        return _compiled(loss, "numpy")


class _FlintBackend(Backend):
    """Shared by the python-flint matrix types (``arb_mat``, ``fmpq_mat``)."""

    rigorous = True
    matrix_type: type = arb_mat

    def matrix(self, rows):
        rows = [list(r) for r in rows]
        return self.from_entries(len(rows), len(rows[0]), [v for r in rows for v in r])

    def from_entries(self, n, m, values):
        return self.matrix_type(n, m, [self.scalar(v) for v in values])

    def zeros(self, n, m):
        return self.matrix_type(n, m)

    def identity(self, n):
        M = self.matrix_type(n, n)
        for i in range(n):
            M[i, i] = 1
        return M

    def shape(self, A):
        return A.nrows(), A.ncols()

    def T(self, A):
        return A.transpose()

    def entries(self, A):
        return A.entries()


class BallScalars:
    """Scalars as python-flint balls (shared by the ball backends)."""

    def scalar(self, value):
        return to_arb(value)

    def zero(self):
        return arb(0)

    def sqrt(self, x):
        return nonnegative_sqrt(x)

    def to_float(self, x) -> float:
        return float(x.mid())


class BallBackend(BallScalars, _FlintBackend):
    """python-flint ``arb_mat``: rigorous balls at the current flint precision."""

    name = "ball"
    matrix_type = arb_mat

    def midpoint(self, A):
        return A.mid()

    def loss_functions(self, loss):
        return _compiled(loss, "ball")


class ExactBackend(_FlintBackend):
    """python-flint ``fmpq_mat``: exact rational arithmetic.

    Only the loss derivatives can leave the rationals; they are evaluated
    exactly with SymPy and must come out rational (e.g. ℓ′(0; y) = −y/2 for the
    logistic loss), otherwise :class:`NotRational` is raised. The loss value
    itself is not available.
    """

    name = "exact"
    matrix_type = fmpq_mat

    def scalar(self, value):
        return _fmpq(value)

    def zero(self):
        return fmpq(0)

    def sqrt(self, x):
        raise NotRational("square roots leave the rationals")

    def loss_functions(self, loss):
        def exact(expression):
            cache: dict[tuple, fmpq] = {}

            def evaluate(u, y):
                key = (_rational(u), _rational(y))
                if key not in cache:
                    value = sp.simplify(expression.xreplace({U: key[0], Y: key[1]}))
                    if not value.is_Rational:
                        raise NotRational(f"the {loss.name} loss derivative at u = {key[0]}, y = {key[1]} is "
                                          f"{value}, not rational")
                    cache[key] = fmpq(int(value.p), int(value.q))
                return cache[key]
            return evaluate

        def no_value(u, y):
            raise NotRational("the loss value is not computed exactly")

        return no_value, exact(loss.first), exact(loss.second)


class SympyBackend(Backend):
    """SymPy expressions: exact and symbolic (entries may hold a curve parameter); small networks only."""

    name = "sympy"
    rigorous = True

    def matrix(self, rows):
        return sp.Matrix([[self.scalar(v) for v in row] for row in rows])

    def from_entries(self, n, m, values):
        return sp.Matrix(n, m, [self.scalar(v) for v in values])

    def zeros(self, n, m):
        return sp.zeros(n, m)

    def identity(self, n):
        return sp.eye(n)

    def shape(self, A):
        return A.shape

    def T(self, A):
        return A.T

    def entries(self, A):
        return list(A)

    def scalar(self, value):
        if isinstance(value, fmpq):
            return sp.Rational(int(value.p), int(value.q))
        if isinstance(value, fmpz):
            return sp.Integer(int(value))
        if isinstance(value, Fraction):
            return sp.Rational(value.numerator, value.denominator)
        if isinstance(value, float):
            raise NotRational(f"{value!r} is a machine number; the symbolic backend takes exact values")
        return sp.sympify(value)

    def zero(self):
        return sp.Integer(0)

    def sqrt(self, x):
        return sp.sqrt(x)

    def to_float(self, x) -> float:
        return float(sp.N(x))

    def loss_functions(self, loss):
        return loss.__call__, loss.d1, loss.d2


def _compiled(loss: Loss, kind: str) -> tuple[Callable, Callable, Callable]:
    """(ℓ, ℓ′, ℓ″) as functions of (u, y): float64 or balls, from the loss's compiled fields."""
    if kind == "numpy":
        return tuple((lambda u, y, f=f: f.floats(u, y)[0]) for f in loss.fields)  # type: ignore[return-value]
    return tuple((lambda u, y, f=f: f.ball([u, y])[0]) for f in loss.fields)  # type: ignore[return-value]


def _rational(value: object) -> sp.Rational:
    """An exact rational input of the exact backend (machine numbers are refused, not rounded)."""
    if isinstance(value, (fmpq, fmpz, sp.Rational, int, Fraction)) and not isinstance(value, bool):
        return to_rational(value)
    raise NotRational(f"{value!r} is not an exact rational")


def _fmpq(value: object) -> fmpq:
    r = _rational(value)
    return fmpq(int(r.p), int(r.q))


FLOAT64 = Float64Backend()
BALL = BallBackend()
EXACT = ExactBackend()
SYMPY = SympyBackend()


@dataclass(frozen=True)
class SpectralBound:
    """``‖∇²f‖₂ ≥ value``: ``value = ‖∇²f δ‖/‖δ‖`` for the vector δ chosen by ``method`` ("power
    iteration" or "Lanczos") with ``iterations`` Hessian-vector products (``converged``: the estimate
    settled to the tolerance asked for)."""

    value: object
    iterations: int
    converged: bool
    method: str = "power iteration"


class _Stop(Exception):
    """Raised inside an operator to end an eigensolver early (budget spent, or a value not finite)."""


def lanczos_direction(apply: Callable[[np.ndarray], np.ndarray], start: np.ndarray, budget: int,
                      tolerance: float) -> tuple[np.ndarray, int] | None:
    """An eigenvector for the eigenvalue of largest modulus of the symmetric float64 operator ``apply``,
    by the Lanczos method (scipy's ``eigsh``, ARPACK) from ``start``, to the relative ``tolerance`` on
    the eigenvalue: (δ, the number of products). None when it needs more than ``budget`` products, does
    not converge, meets a value that is not finite or has fewer than three dimensions (the caller then
    falls back to power iteration). Unlike power iteration it converges when the two largest moduli
    are close or belong to eigenvalues of opposite signs."""
    n = start.shape[0]
    if n < 3 or budget < 1:
        return None
    count = 0

    def matvec(v: np.ndarray) -> np.ndarray:
        nonlocal count
        count += 1
        if count > budget:
            raise _Stop
        image = np.asarray(apply(np.asarray(v, dtype=np.float64).ravel()), dtype=np.float64)
        if not np.all(np.isfinite(image)):
            raise _Stop
        return image

    operator = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    try:
        _, vectors = eigsh(operator, k=1, which="LM", v0=start, tol=tolerance, ncv=min(n, 20))
    except (_Stop, ArpackNoConvergence, ArpackError):
        return None
    delta = vectors[:, 0]
    if not np.all(np.isfinite(delta)) or not np.any(delta):
        return None
    return delta, count


def power_iteration(apply: Callable, norm: Callable, to_float: Callable[[object], float], rescale: Callable,
                    start, iterations: int, tolerance: float) -> tuple[object, object, int, bool]:
    """Power iteration δ ← ∇²f δ / ‖∇²f δ‖ from ``start``, in the caller's arithmetic: ``apply`` is the
    Hessian-vector product, ``norm`` the vector norm, ``to_float`` reads a norm as a float, ``rescale(image,
    norm)`` gives the next δ (e.g. on midpoints, so that δ is exact). At most ``iterations`` steps; it stops
    when the estimate ‖∇²f δ‖/‖δ‖ changes by at most ``tolerance`` relative (converged) or is 0 or not finite.
    Returns (δ, estimate, steps, converged): δ is one step past the vector δ′ of the last estimate
    ‖∇²f δ′‖/‖δ′‖ (except when that estimate is 0 or not finite: then δ = δ′). Whatever δ′ is, the estimate is
    at most ‖∇²f‖₂, so it is a lower bound when the arithmetic is rigorous (balls at an exact δ′); a caller may
    instead recompute the bound rigorously at the returned δ."""
    delta, estimate, previous = start, None, None
    steps, converged = 0, False
    while steps < iterations:
        steps += 1
        image = apply(delta)
        n_image = norm(image)
        estimate = n_image / norm(delta)
        value = to_float(estimate)
        if value == 0 or not math.isfinite(value):
            break
        converged = previous is not None and abs(value - previous) <= tolerance * abs(value)
        previous = value
        delta = rescale(image, n_image)
        if converged:
            break
    return delta, estimate, steps, converged


class NetworkState:
    """The products of one network at one point, in one backend (module docstring)."""

    def __init__(self, backend: Backend, weights: list, X, targets: list, loss: Loss):
        self.backend = backend
        self.W = weights
        self.L = len(weights)
        self.X = X
        self.targets = targets
        self.loss = loss
        self.N = backend.shape(X)[1]
        self.widths = [backend.shape(X)[0]] + [backend.shape(W)[0] for W in weights]
        for l, W in enumerate(weights, 1):
            if backend.shape(W) != (self.widths[l], self.widths[l - 1]):
                raise ShapeError(f"W{l} has shape {backend.shape(W)}; expected {(self.widths[l], self.widths[l - 1])}")

    # -- products --------------------------------------------------------------------------
    @cached_property
    def prefixes(self) -> list:
        R = [self.X]
        for W in self.W:
            R.append(self._mul(W, R[-1]))
        return R

    def _mul(self, A, B):
        return self.backend.mul(A, B)

    @cached_property
    def suffixes(self) -> list:
        s = [None] * (self.L + 1)
        s[self.L] = self.backend.identity(1)
        for l in range(self.L, 0, -1):
            s[l - 1] = self._mul(s[l], self.W[l - 1])
        return s

    @cached_property
    def outputs(self) -> list:
        return self.backend.entries(self.prefixes[self.L])

    @cached_property
    def _loss(self):
        return self.backend.loss_functions(self.loss)

    @cached_property
    def d1(self) -> list:
        f = self._loss[1]
        return [f(u, y) for u, y in zip(self.outputs, self.targets)]

    @cached_property
    def d2(self) -> list:
        f = self._loss[2]
        return [f(u, y) for u, y in zip(self.outputs, self.targets)]

    def _column(self, values: list):
        return self.backend.column(values)

    @cached_property
    def v(self) -> list:
        """v_0 = X d1, v_l = W_l v_{l−1}."""
        out = [self._mul(self.X, self._column(self.d1))]
        for W in self.W:
            out.append(self._mul(W, out[-1]))
        return out

    @cached_property
    def suffix_sq(self) -> list:
        return [self.backend.sumsq(s) for s in self.suffixes]

    @cached_property
    def v_sq(self) -> list:
        return [self.backend.sumsq(v) for v in self.v]

    # -- values ------------------------------------------------------------------------------
    def value(self):
        f = self._loss[0]
        total = self.backend.zero()
        for u, y in zip(self.outputs, self.targets):
            total = total + f(u, y)
        return total

    def gradient_blocks(self) -> list:
        """∂f/∂W_l = s_lᵀ v_{l−1}ᵀ."""
        b = self.backend
        return [self._mul(b.T(self.suffixes[l]), b.T(self.v[l - 1])) for l in range(1, self.L + 1)]

    def grad_norm_sq(self):
        """‖∇f‖² = Σ_l ‖s_l‖² ‖v_{l−1}‖² (Euclidean)."""
        total = self.backend.zero()
        for l in range(1, self.L + 1):
            total = total + self.suffix_sq[l] * self.v_sq[l - 1]
        return total

    @cached_property
    def gram(self):
        """K = Σ_l ‖s_l‖² R_{l−1}ᵀ R_{l−1} (N × N): K_ij = ∇u_iᵀ ∇u_j."""
        b = self.backend
        K = None
        for l in range(1, self.L + 1):
            term = self._mul(b.T(self.prefixes[l - 1]), self.prefixes[l - 1])
            term = term * self.suffix_sq[l]
            K = term if K is None else K + term
        return K

    def _middle_products(self, a: int):
        """Yield (b, M_ab) for b = a+1 … L."""
        M = self.backend.identity(self.widths[a])
        for b in range(a + 1, self.L + 1):
            if b > a + 1:
                M = self._mul(self.W[b - 2], M)
            yield b, M

    def hess_frobenius_sq(self):
        """‖∇²f‖_F² = ‖A‖_F² + 2⟨A, T⟩ + ‖T‖_F² (module docstring), without the P × P matrix."""
        b = self.backend
        d2 = self.d2
        K = self.gram
        Ke = b.entries(K)
        N = self.N
        a_sq = b.zero()
        for i in range(N):
            if d2[i] == 0:
                continue
            row = b.zero()
            for j in range(N):
                k = Ke[i * N + j]
                row = row + d2[j] * k * k
            a_sq = a_sq + d2[i] * row
        t_sq = b.zero()
        cross = b.zero()
        for a in range(1, self.L + 1):
            va = self.v[a - 1]
            e_a = b.entries(self._mul(b.T(self.prefixes[a - 1]), va))  # r_{a−1,i}ᵀ v_{a−1}
            w = b.T(self.suffixes[a])  # M_ab s_aᵀ, updated along b
            for bb, M in self._middle_products(a):
                if bb > a + 1:
                    w = self._mul(self.W[bb - 2], w)
                t_sq = t_sq + self.suffix_sq[bb] * b.sumsq(M) * self.v_sq[a - 1]
                c = b.entries(self._mul(b.T(self.prefixes[bb - 1]), w))  # r_{b−1,i}ᵀ M_ab s_aᵀ
                inner = b.zero()
                for i in range(N):
                    inner = inner + d2[i] * c[i] * e_a[i]
                cross = cross + self.suffix_sq[bb] * inner
        return a_sq + 4 * cross + 2 * t_sq

    # -- Hessian-vector products ---------------------------------------------------------------
    def hvp(self, delta: list) -> list:
        """∇²f δ for δ given as per-layer blocks (same shapes as the weights)."""
        b = self.backend
        L = self.L
        if len(delta) != L:
            raise ShapeError(f"δ has {len(delta)} blocks; the network has {L} layers")
        s, R, v, W = self.suffixes, self.prefixes, self.v, self.W
        # A δ: z_i = Σ_l s_l δ_l r_{l−1,i}
        z = None
        for l in range(1, L + 1):
            term = self._mul(self._mul(s[l], delta[l - 1]), R[l - 1])
            z = term if z is None else z + term
        zd = [d * zi for d, zi in zip(self.d2, b.entries(z))]
        weighted = self._column(zd)
        out = [self._mul(b.T(s[l]), b.T(self._mul(R[l - 1], weighted))) for l in range(1, L + 1)]
        # T δ: tangents of v (prefix with input v_0) and of s
        vdot = [None] * (L + 1)
        vdot[0] = b.zeros(self.widths[0], 1)
        for l in range(1, L + 1):
            vdot[l] = self._mul(delta[l - 1], v[l - 1]) + self._mul(W[l - 1], vdot[l - 1])
        sdot = [None] * (L + 1)
        sdot[L] = b.zeros(1, 1)
        for l in range(L, 0, -1):
            sdot[l - 1] = self._mul(sdot[l], W[l - 1]) + self._mul(s[l], delta[l - 1])
        for l in range(1, L + 1):
            out[l - 1] = (out[l - 1] + self._mul(b.T(sdot[l]), b.T(v[l - 1]))
                          + self._mul(b.T(s[l]), b.T(vdot[l - 1])))
        return out

    def _norm_sq(self, blocks: list):
        total = self.backend.zero()
        for B in blocks:
            total = total + self.backend.sumsq(B)
        return total

    def spectral_lower_bound(self, *, start: list | None = None, iterations: int = 200,
                             tolerance: float = 1e-10, seed: int = 0) -> SpectralBound:
        """``‖∇²f‖₂ ≥ ‖∇²f δ‖/‖δ‖`` with δ from power iteration (see :class:`SpectralBound`).

        The iteration runs on midpoints (exact vectors); only the last product
        is used as the bound, so the bound is rigorous in the ball backend
        whether or not the iteration has converged.
        """
        b = self.backend
        if start is None:
            rng = np.random.default_rng(seed)
            start = [b.matrix(rng.standard_normal((self.widths[l], self.widths[l - 1])).tolist())
                     for l in range(1, self.L + 1)]
        _, estimate, steps, converged = power_iteration(
            self.hvp, lambda blocks: b.sqrt(self._norm_sq(blocks)), b.to_float,
            lambda image, n: [b.midpoint(B * b.midpoint(1 / n)) for B in image],
            [b.midpoint(B) for B in start], iterations, tolerance)
        return SpectralBound(estimate, steps, converged)

    # -- explicit Hessian (moderate sizes) -----------------------------------------------------------
    def hessian_block(self, a: int, c: int):
        """The (a, c) block of ∇²f (1-based layers; rows (p, q) of W_a, columns (r, s) of W_c)."""
        if not (1 <= a <= self.L and 1 <= c <= self.L):
            raise ShapeError(f"block ({a}, {c}) does not exist for L = {self.L}")
        if a > c:
            return self.backend.T(self.hessian_block(c, a))
        b = self.backend
        sa = b.entries(self.suffixes[a])
        sc = b.entries(self.suffixes[c])
        Ra = self.prefixes[a - 1]
        Rc = self.prefixes[c - 1]
        C = self._mul(self._mul(Ra, self._diag(self.d2)), b.T(Rc))
        Ce = b.entries(C)
        na, ma = self.widths[a], self.widths[a - 1]
        nc, mc = self.widths[c], self.widths[c - 1]
        rows = []
        if a < c:
            M = None
            for bb, Mab in self._middle_products(a):
                if bb == c:
                    M = b.entries(Mab)
                    break
            va = b.entries(self.v[a - 1])
        for p in range(na):
            for q in range(ma):
                row = []
                for r in range(nc):
                    for s_ in range(mc):
                        value = sa[p] * sc[r] * Ce[q * mc + s_]
                        if a < c:
                            value = value + sc[r] * M[s_ * na + p] * va[q]
                        row.append(value)
                rows.append(row)
        return b.from_entries(len(rows), len(rows[0]), [x for r in rows for x in r])

    def _diag(self, values: list):
        return self.backend.diag(values)

    def hessian(self):
        """The full P × P Hessian, assembled from its blocks (layer by layer, row by row)."""
        b = self.backend
        blocks = [[self.hessian_block(a, c) for c in range(1, self.L + 1)] for a in range(1, self.L + 1)]
        if b is FLOAT64:
            return np.block(blocks)
        P = sum(self.widths[l] * self.widths[l - 1] for l in range(1, self.L + 1))
        H = b.zeros(P, P)
        r0 = 0
        for row in blocks:
            c0 = 0
            for B in row:
                for i in range(B.nrows()):
                    for j in range(B.ncols()):
                        H[r0 + i, c0 + j] = B[i, j]
                c0 += B.ncols()
            r0 += row[0].nrows()
        return H


def state_at(backend: Backend, widths: Sequence[int], weights: Sequence[Sequence[Sequence[object]]] | list,
             inputs: Sequence[Sequence[object]], targets: Sequence[object], loss: Loss) -> NetworkState:
    """A :class:`NetworkState` from exact per-layer weight rows and the data (inputs as rows x_i)."""
    L = len(widths) - 1
    if len(weights) != L:
        raise ShapeError(f"{len(weights)} weight matrices for {L} layers")
    Ws = [W if not isinstance(W, (list, tuple)) else backend.matrix(W) for W in weights]
    n0 = widths[0]
    X = backend.matrix([[x[j] for x in inputs] for j in range(n0)])
    ys = [backend.scalar(y) for y in targets]
    return NetworkState(backend, Ws, X, ys, loss)
