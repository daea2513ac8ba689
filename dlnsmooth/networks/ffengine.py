"""Structured derivatives of feed-forward network losses: gradient, Hessian-vector products,
‖∇²f‖_F without the P × P matrix, a rigorous lower bound on ‖∇²f‖₂, and the explicit Hessian.

Network (:mod:`dlnsmooth.networks.architecture`): ``z_l = M_l a_{l−1} + b_l`` (l = 1 … L),
``a_0 = x``, ``a_l = σ(z_l)`` for l < L, output ``u = z_L ∈ R^m``; the loss is
``f(θ) = Σ_i ℓ(u(x_i; θ); y_i)``. Quantities are matrices with one column per
observation (``n_l × N``): ``Z_l``, ``A_l``, ``S1_l = σ′(Z_l)``, ``S2_l = σ″(Z_l)``.
With biases ``ā = (a, 1)`` and ``W̄_l = [M_l, b_l]`` (without biases ``ā = a``, ``W̄_l = M_l``).

* Backward: ``δ_L = ∇_u ℓ``, ``B_l = M_{l+1}ᵀ δ_{l+1}``, ``δ_l = σ′(z_l) ⊙ B_l``; the
  gradient block of layer l is ``Σ_i δ_{l,i} ā_{l−1,i}ᵀ = Δ_l Ā_{l−1}ᵀ``.
* Curvature of f as a function of ``z_l`` (per observation): ``Q_L = ∇²_u ℓ``,
  ``Q_l = D_l M_{l+1}ᵀ Q_{l+1} M_{l+1} D_l + diag(c_l)`` with ``D_l = diag σ′(z_l)`` and
  ``c_l = σ″(z_l) ⊙ B_l``.
* Jacobians between layers: ``Φ_{a,a} = I``, ``Φ_{b,a} = M_b D_{b−1} Φ_{b−1,a}``;
  ``E_{b,a} = D_{b−1} Φ_{b−1,a}`` (so ``Φ_{b,a} = M_b E_{b,a}``) and ``Ξ_{b,a} = Q_b Φ_{b,a}``,
  computed backwards by ``Ξ_{L,a} = Q_L Φ_{L,a}``,
  ``Ξ_{b,a} = D_b M_{b+1}ᵀ Ξ_{b+1,a} + diag(c_b) Φ_{b,a}`` (``Ξ_{a,a} = Q_a``).
* Hessian blocks (a ≤ b; rows ``(r, s)`` of ``W̄_b``, columns ``(p, q)`` of ``W̄_a``):
  ``H_ba = Σ_i ā_{a−1,i,q} [ā_{b−1,i,s} (Ξ_{b,a,i})_{rp} + δ_{b,i,r} (Ē_{b,a,i})_{sp}]``
  (``Ē``: E with a zero row for the bias; no second term when a = b).
* Frobenius norm from Gram matrices over observations, ``K_l = Ā_lᵀ Ā_l``:
  ``‖H_aa‖_F² = Σ_ij (K_{a−1})_ij² ⟨Q_{a,i}, Q_{a,j}⟩`` and, for a < b,
  ``‖H_ba‖_F² = Σ_ij (K_{a−1})_ij [(K_{b−1})_ij ⟨Ξ_i, Ξ_j⟩ + (Δ_bᵀΔ_b)_ij ⟨E_i, E_j⟩ + 2 κ_ij]``
  with ``κ_ij = Σ_p (Ξ_iᵀ δ_{b,j})_p (E_jᵀ a_{b−1,i})_p``; ``‖∇²f‖_F² = Σ_a ‖H_aa‖² + 2 Σ_{a<b} ‖H_ba‖²``.
  The per-observation matrices are stacked side by side (``n × (n_a·N)``, column ``p·N + i``),
  so every product is one matrix product; the P × P matrix is never formed. Observations with
  equal σ′(z_l), σ″(z_l), B_l and ∇²_u ℓ share Φ, E and Ξ, which are computed once per group
  (on Theorem G's curve all observations form one group). For b = a + 1 (E = D_a diagonal) the
  κ term is ``Σ_{r,p} x_{rp}ᵀ K_{a−1} y_{rp}``, contracted through ``K = ĀᵀĀ`` when Ā is short.
* Hessian-vector products by forward-over-reverse differentiation (Pearlmutter's R-operator),
  O(N·P); ``‖∇²f‖₂ ≥ ‖∇²f δ‖/‖δ‖`` for every δ ≠ 0 (the Lanczos method, or power iteration, picks δ).

Backends (:mod:`dlnsmooth.networks.engine`): ``FLOAT64`` (numpy, vectorised; exploration only),
``BALL`` (python-flint ``arb_mat``; every printed figure is enclosed; from
:data:`MULTIWORD_MIN_PARAMETERS` parameters and :data:`MULTIWORD_MIN_OBSERVATIONS` observations on,
‖∇²f‖_F is computed through ``MULTIWORD``),
``MULTIWORD`` (:mod:`dlnsmooth.networks.multiword`: the numpy formulas on multi-word fixed-point
balls whose products are exact on float64 BLAS; rigorous), ``EXACT``
(``fmpq_mat``; :class:`~dlnsmooth.errors.NotRational` when an activation or loss value is
irrational, except σ″ values that only multiply exact zeros) and ``SYMPY`` (SymPy expressions).
A backend with ``ring = True`` brings its own exact ring and evaluates activations and losses
itself (:class:`_RingLists`; the polynomial ring Q[t, g₁ … g_k] of
:mod:`dlnsmooth.networks.restricted`).
"""

from __future__ import annotations

import math
import operator
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import cached_property
from itertools import repeat

import numpy as np
import sympy as sp
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

from ..balls import nonnegative_sqrt
from ..errors import NotRational, ShapeError, ThreadCountError
from ..numbers import to_arb
from ..parallel import thread_count, thread_map
from .activations import Activation
from .architecture import Architecture
from .engine import FLOAT64, Backend, SpectralBound, lanczos_direction, power_iteration
from .losses import OutputLoss, U
from .multiword import BETA, MULTIWORD, MultiwordArray, MultiwordRange, concatenate, limbs_for_bits, raised_precision

__all__ = ["FeedforwardState", "feedforward_state"]

#: ball states of at least this many parameters compute ‖∇²f‖_F in multi-word fixed point
#: (:meth:`FeedforwardState.hess_frobenius_sq`); below it the ball formulas are about as fast or faster
#: (tanh networks at 60 digits, multi-word against ball formulas: P = 225, N = 64: 0.10 s against 0.27 s;
#: P = 91, N = 32: 33 ms against 37 ms; P = 153, N = 8: 17 ms against 5 ms; P = 45, N = 16: 24 ms against 9 ms)
MULTIWORD_MIN_PARAMETERS = 200
#: … and at least this many observations: the ball formulas' cost grows like N², the multi-word one's
#: overhead does not (P = 1441, N = 2: 37 ms against 63 ms; P = 589, N = 8: 75 ms against 82 ms;
#: N = 12: about equal; P = 589, N = 16: 155 ms against 89 ms; P = 1649, N = 16: 0.74 s against 0.29 s)
MULTIWORD_MIN_OBSERVATIONS = 12


# -- the algebra: the few matrix operations the formulas need, per backend --------------------------
class _Numpy:
    """float64 matrices (numpy arrays); everything vectorised."""

    kind = "float64"

    def __init__(self, backend: Backend):
        self.backend = backend
        self.zero = 0.0
        self.one = 1.0

    def convert(self, value):
        return float(value)

    def mat(self, n, m, values):
        return np.array(values, dtype=np.float64).reshape(n, m)

    def flat(self, A):
        return A.ravel()

    def shape(self, A):
        return A.shape

    def mm(self, A, B):
        return A @ B

    def T(self, A):
        return A.T

    def gram(self, A):
        """AᵀA."""
        return A.T @ A

    def add(self, A, B):
        return A + B

    def had(self, A, B):
        return A * B

    def had_tiled(self, F, A):
        n, N = F.shape
        return (A.reshape(n, -1, N) * F[:, None, :]).reshape(n, -1)

    def outer_tiled(self, M, F):
        return (M[:, :, None] * F[None, :, :]).reshape(M.shape[0], -1)

    def diag_blocks(self, F):
        n, N = F.shape
        out = np.zeros((n, n, N))
        idx = np.arange(n)
        out[idx, idx, :] = F
        return out.reshape(n, n * N)

    def reshape(self, A, n, m):
        return A.reshape(n, m)

    def scale_blocks(self, S, F):
        n = S.shape[0]
        return (S.reshape(n, F.shape[0], F.shape[1]) * F[None, :, :]).reshape(n, -1)

    def outer_rows(self, D, F):
        return (D[:, None, :] * F[None, :, :]).reshape(D.shape[0] * F.shape[0], D.shape[1])

    def regroup(self, T_, K, reps, N):
        return (T_.reshape(reps, N, N) * K[None, :, :]).transpose(1, 0, 2).reshape(N, reps * N)

    def with_ones(self, A):
        return np.vstack([A, np.ones((1, A.shape[1]))])

    def with_zeros(self, A):
        return np.vstack([A, np.zeros((1, A.shape[1]))])

    def without_last_column(self, A):
        return A[:, :-1]

    def per_sample(self, Q, A, m):
        N = Q.shape[1]
        return np.einsum("rsi,spi->rpi", Q.reshape(m, m, N), A.reshape(m, -1, N)).reshape(m, -1)

    def sumsq(self, A):
        return float(np.sum(A * A))

    def wsum(self, *mats):
        out = mats[0]
        for M in mats[1:]:
            out = out * M
        return float(np.sum(out))

    def is_zero(self, A):
        return not np.any(A)

    def sqrt(self, x):
        return math.sqrt(x)

    def activation(self, activation: Activation, Z):
        return activation.floats(Z)

    def loss(self, loss: OutputLoss, U_, Y):
        value, grad, hess = loss.floats(U_, Y)
        m, N = U_.shape
        return value, grad, hess.reshape(m * m, N)

    def total(self, values):
        return float(np.sum(values))


class _Mat:
    """A matrix of exact numbers, balls or expressions: its flat row-major entries and its
    python-flint (or SymPy) form, each made on first use."""

    __slots__ = ("n", "m", "_flat", "_native", "algebra", "zero")

    def __init__(self, algebra, n, m, flat=None, native=None):
        self.algebra, self.n, self.m, self._flat, self._native = algebra, n, m, flat, native
        #: every entry is an exact zero (None: not yet known)
        self.zero: bool | None = None

    @property
    def flat(self) -> list:
        if self._flat is None:
            self._flat = self.algebra.entries(self._native)
        return self._flat

    @property
    def native(self):
        if self._native is None:
            self._native = self.algebra.build(self.n, self.m, self._flat)
        return self._native


class _Lists:
    """Balls, rationals or SymPy expressions: products by python-flint (or SymPy) matrices,
    elementwise work on flat lists; constant factors become scalar products."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self.kind = backend.name
        self.zero = backend.zero()
        self.one = backend.scalar(1)
        self._native = {"ball": arb_mat, "exact": fmpq_mat}.get(backend.name)

    # construction
    def convert(self, value):
        if (self.kind == "exact" and isinstance(value, fmpq)) or (self.kind == "ball" and isinstance(value, arb)):
            return value
        return self.backend.scalar(value)

    def build(self, n, m, flat):
        if self._native is None:
            return sp.Matrix(n, m, flat)
        if n == 0 or m == 0:
            return self._native(n, m, flat)
        return self._native([flat[i * m:(i + 1) * m] for i in range(n)])  # from rows: twice as fast as flat

    def entries(self, native):
        return list(native) if self._native is None else native.entries()

    def mat(self, n, m, values):
        return _Mat(self, n, m, flat=list(values))

    def flat(self, A):
        return A.flat

    def shape(self, A):
        return A.n, A.m

    # products
    def zeros(self, n, m):
        """The n × m zero matrix (known to be zero)."""
        out = _Mat(self, n, m, flat=[self.zero] * (n * m))
        out.zero = True
        return out

    def mm(self, A, B):
        if self.is_zero(A) or self.is_zero(B):
            return self.zeros(A.n, B.m)
        if self._native is None:
            return _Mat(self, A.n, B.m, flat=_matmul_lists(A.flat, B.flat, A.n, A.m, B.m, self.zero))
        return _Mat(self, A.n, B.m, native=A.native * B.native)

    def T(self, A):
        if A._native is not None:
            return _Mat(self, A.m, A.n, native=A._native.transpose() if self._native else A._native.T)
        f, m = A.flat, A.m
        out = []
        for j in range(m):
            out.extend(f[j::m])
        result = _Mat(self, m, A.n, flat=out)
        result.zero = A.zero
        return result

    def gram(self, A):
        """AᵀA."""
        return self.mm(self.T(A), A)

    def add(self, A, B):
        if self.is_zero(A):
            return B
        if self.is_zero(B):
            return A
        if self._native is not None and A._native is not None and B._native is not None:
            return _Mat(self, A.n, A.m, native=A._native + B._native)
        return _Mat(self, A.n, A.m, flat=list(map(operator.add, A.flat, B.flat)))

    def _scaled(self, A, c):
        if c == 1:
            return A
        if c == 0:
            return self.zeros(A.n, A.m)
        if self._native is not None:
            return _Mat(self, A.n, A.m, native=A.native * c)
        return _Mat(self, A.n, A.m, flat=[c * v for v in A.flat])

    # elementwise
    def had(self, A, B):
        c = _uniform(A.flat)
        if c is not None:
            return self._scaled(B, c)
        return _Mat(self, A.n, A.m, flat=list(map(operator.mul, A.flat, B.flat)))

    def had_tiled(self, F, A):
        """A (n × reps·N, column p·N + i) with row s, block p scaled by F[s, i]."""
        c = _uniform(F.flat)
        if c is not None:
            return self._scaled(A, c)
        N = F.m
        f, a, width = F.flat, A.flat, A.m
        out = []
        for s in range(A.n):
            fs = f[s * N:(s + 1) * N]
            row = a[s * width:(s + 1) * width]
            for start in range(0, width, N):
                out.extend(map(operator.mul, row[start:start + N], fs))
        return _Mat(self, A.n, A.m, flat=out)

    def outer_tiled(self, M, F):
        """[r, p·N + i] = M[r, p] F[p, i]."""
        n, k, N = M.n, M.m, F.m
        m, f = M.flat, F.flat
        out = []
        for r in range(n):
            for p in range(k):
                c = m[r * k + p]
                if c == 0:
                    out.extend([self.zero] * N)
                else:
                    out.extend([c * v for v in f[p * N:(p + 1) * N]])
        return _Mat(self, n, k * N, flat=out)

    def diag_blocks(self, F):
        n, N = F.n, F.m
        f = F.flat
        out = []
        for s in range(n):
            for p in range(n):
                out.extend(f[s * N:(s + 1) * N] if s == p else [self.zero] * N)
        return _Mat(self, n, n * N, flat=out)

    def reshape(self, A, n, m):
        return _Mat(self, n, m, flat=A.flat)

    def scale_blocks(self, S, F):
        """out[r, p·N + i] = S[r, p·N + i] F[p, i]."""
        f = F.flat
        width = S.m
        s = S.flat
        out = []
        for r in range(S.n):
            out.extend(map(operator.mul, s[r * width:(r + 1) * width], f))
        return _Mat(self, S.n, width, flat=out)

    def outer_rows(self, D, F):
        """out[r·k + p, j] = D[r, j] F[p, j] (D: n × N, F: k × N)."""
        N = D.m
        d, f = D.flat, F.flat
        out = []
        for r in range(D.n):
            dr = d[r * N:(r + 1) * N]
            for p in range(F.n):
                out.extend(map(operator.mul, dr, f[p * N:(p + 1) * N]))
        return _Mat(self, D.n * F.n, N, flat=out)

    def regroup(self, T_, K, reps, N):
        """out[x, p·N + y] = K[x, y] T[p·N + x, y]."""
        t, k = T_.flat, K.flat
        out = []
        for x in range(N):
            kx = k[x * N:(x + 1) * N]
            for p in range(reps):
                start = (p * N + x) * N
                out.extend(map(operator.mul, t[start:start + N], kx))
        return _Mat(self, N, reps * N, flat=out)

    def with_ones(self, A):
        return _Mat(self, A.n + 1, A.m, flat=list(A.flat) + [self.one] * A.m)

    def with_zeros(self, A):
        return _Mat(self, A.n + 1, A.m, flat=list(A.flat) + [self.zero] * A.m)

    def without_last_column(self, A):
        f = A.flat
        return _Mat(self, A.n, A.m - 1, flat=[f[r * A.m + c] for r in range(A.n) for c in range(A.m - 1)])

    def per_sample(self, Q, A, m):
        """[r, p·N + i] = Σ_s Q[r·m + s, i] A[s, p·N + i]."""
        N = Q.m
        rows = []
        for r in range(m):
            total = None
            for s in range(m):
                F = _Mat(self, 1, N, flat=Q.flat[(r * m + s) * N:(r * m + s + 1) * N])
                row = _Mat(self, 1, A.m, flat=A.flat[s * A.m:(s + 1) * A.m])
                term = self.had_tiled(F, row)
                total = term if total is None else self.add(total, term)
            rows.extend(total.flat)
        return _Mat(self, m, A.m, flat=rows)

    # reductions
    def sumsq(self, A):
        return _sum(self.zero, map(operator.mul, A.flat, A.flat))

    def wsum(self, *mats):
        values = mats[0].flat
        for M in mats[1:]:
            values = list(map(operator.mul, values, M.flat))
        return _sum(self.zero, values)

    def is_zero(self, A):
        """Every entry is an exact zero (checked on the python-flint matrix when it is not unpacked; a SymPy
        product not yet unpacked counts as nonzero)."""
        if A.zero is None:
            if A._flat is None:
                if self._native is None:
                    return False
                A.zero = A._native == self._native(A.n, A.m)
            elif self.kind == "exact":
                A.zero = not any(A._flat)
            else:
                A.zero = all(map(operator.eq, A._flat, repeat(self.zero)))
        return A.zero

    def sqrt(self, x):
        return self.backend.sqrt(x)

    # activation and loss
    def activation(self, activation: Activation, Z):
        values = Z.flat
        common = _uniform(values)
        if common is not None:
            return tuple(_Mat(self, Z.n, Z.m, flat=[v] * len(values)) for v in self._activation_values(activation, common))
        cache: dict = {}
        out = ([], [], [])
        last, triple = None, None
        for z in values:
            if triple is None or not (z is last or z == last):
                if self.kind == "ball":
                    triple = self._activation_values(activation, z)
                else:
                    key = _key(z)
                    triple = cache.get(key)
                    if triple is None:
                        triple = cache[key] = self._activation_values(activation, z)
                last = z
            for lst, v in zip(out, triple):
                lst.append(v)
        return tuple(_Mat(self, Z.n, Z.m, flat=lst) for lst in out)

    def _activation_values(self, activation: Activation, z):
        if self.kind == "ball":
            return activation.ball(z)
        if self.kind == "sympy":
            return activation.symbolic(z)
        return _exact_activation(activation, z)

    def loss(self, loss: OutputLoss, U_, Y):
        m, N = U_.n, U_.m
        kind = {"ball": "ball", "exact": "exact", "sympy": "sympy"}[self.kind]
        values, grads, hessians = _loss_columns(lambda u, y: loss.derivatives(kind, u, y), U_.flat, Y.flat, m, N,
                                                self.convert_native)
        return values, _Mat(self, m, N, flat=grads), _Mat(self, m * m, N, flat=hessians)

    def convert_native(self, value):
        if self.kind == "exact" and not isinstance(value, fmpq):
            return fmpq(value)
        if self.kind == "ball" and not isinstance(value, arb):
            return to_arb(value)
        return value

    def total(self, values):
        if any(v is None for v in values):
            raise NotRational("the loss value is not computed exactly")
        return _sum(self.zero, values)


def _loss_columns(derivatives: Callable, u: Sequence, y: Sequence, m: int, N: int,
                  convert: Callable = lambda v: v) -> tuple[list, list, list]:
    """(ℓ, ∇_u ℓ, ∇²_u ℓ) = ``derivatives(u_i, y_i)`` for every observation i, from the outputs and
    labels as row-major m × N flats: the N values, and the gradients (m × N) and Hessians (m² × N) as
    row-major flats of ``convert``-ed entries."""
    values, grads, hessians = [], [[None] * N for _ in range(m)], [[None] * N for _ in range(m * m)]
    for i in range(N):
        value, grad, hess = derivatives([u[r * N + i] for r in range(m)], [y[r * N + i] for r in range(m)])
        values.append(value)
        for r in range(m):
            grads[r][i] = convert(grad[r])
            for s in range(m):
                hessians[r * m + s][i] = convert(hess[r][s])
    return values, [v for row in grads for v in row], [v for row in hessians for v in row]


def _sum(zero, values):
    total = zero
    for v in values:
        total = total + v
    return total


def _uniform(values: list):
    """The common value when every entry is the same exact number (scalar products are C-level), else None."""
    if not values:
        return None
    first = values[0]
    if isinstance(first, _Irrational) or (isinstance(first, arb) and not first.is_exact()):
        return None
    if isinstance(first, sp.Expr) and not first.is_Number:
        return None
    return first if all(map(operator.eq, values, repeat(first))) else None


def _interleaved(groups: list[list], width: int) -> list:
    """The items of ``width`` consecutive groups at a time, taken from each in turn: with ``width``
    threads, each starts on a different layer's chain instead of waiting for the first one."""
    out = []
    for start in range(0, len(groups), width):
        window = [list(g) for g in groups[start:start + width]]
        while any(window):
            for g in window:
                if g:
                    out.append(g.pop(0))
    return out


class _Chains:
    """Layer a's chain (Φ, E, Ξ of :meth:`FeedforwardState._chain`) for the tasks of its layer pairs:
    made by the first task that asks (the others wait for it) and dropped when the last one is
    done, so that only the chains in use are held."""

    def __init__(self, make: Callable[[int], tuple], layers: Sequence[int]):
        self._make = make
        self._left = Counter(layers)
        self._values: dict[int, tuple] = {}
        self._locks = {a: threading.Lock() for a in self._left}
        self._count_lock = threading.Lock()

    def get(self, a: int) -> tuple:
        with self._locks[a]:
            if a not in self._values:
                self._values[a] = self._make(a)
            return self._values[a]

    def release(self, a: int) -> None:
        with self._count_lock:
            self._left[a] -= 1
            if self._left[a] == 0:
                self._values.pop(a, None)


def _key(z):
    """A cheap hashable key of an exact value (hashing fmpq itself is slow) or a SymPy expression."""
    if isinstance(z, fmpq):
        return int(z.p), int(z.q)
    return z


def _matmul_lists(a, b, n, k, m, zero):
    out = []
    for i in range(n):
        row = a[i * k:(i + 1) * k]
        for j in range(m):
            total = zero
            for t in range(k):
                x = row[t]
                if x != 0:
                    y = b[t * m + j]
                    if y != 0:
                        total = total + x * y
            out.append(total)
    return out


class _Irrational:
    """An activation value that is not rational: usable only as a factor of an exact zero."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __mul__(self, other):
        if other == 0:
            return fmpq(0)
        raise NotRational(self.text)

    __rmul__ = __mul__

    def __eq__(self, other):
        return isinstance(other, _Irrational) and other.text == self.text

    def __hash__(self):
        return hash(self.text)


def _exact_activation(activation: Activation, z) -> tuple:
    """(σ, σ′, σ″) at a rational z; σ and σ′ must be rational, an irrational σ″ is kept as a
    marker that may only multiply zeros (GELU's σ″(0) = √(2/π))."""
    z = fmpq(z)
    try:
        return activation.exact(z)
    except NotRational:
        pass
    point = sp.Rational(int(z.p), int(z.q))
    out = []
    for which, expression in enumerate((activation.expr, activation.first, activation.second)):
        value = sp.simplify(expression.xreplace({U: point}))
        if value.is_Rational:
            out.append(fmpq(int(value.p), int(value.q)))
        elif which == 2:
            out.append(_Irrational(f"the {activation.name} activation's second derivative at u = {point} is "
                                   f"{value}, not rational"))
        else:
            raise NotRational(f"the {activation.name} activation at u = {point} gives {value}, not a rational number")
    return tuple(out)


class _RingLists(_Lists):
    """Elements of an exact commutative ring the backend defines (``backend.ring`` is True; e.g.
    python-flint ``fmpq_mpoly``, used by :mod:`dlnsmooth.networks.restricted`): the list algebra of
    :class:`_Lists` (products by :func:`_matmul_lists`), with activation and loss values supplied by
    the backend — ``backend.activation_values(activation, z)`` → (σ, σ′, σ″),
    ``backend.loss_derivatives(loss, u, y)`` → (ℓ or None, ∇_u ℓ, ∇²_u ℓ) — and ``backend.key(z)``
    a hashable key of an element."""

    def activation(self, activation: Activation, Z):
        backend = self.backend
        cache: dict = {}
        out: tuple[list, list, list] = ([], [], [])
        for z in Z.flat:
            key = backend.key(z)
            triple = cache.get(key)
            if triple is None:
                triple = cache[key] = backend.activation_values(activation, z)
            for lst, v in zip(out, triple):
                lst.append(v)
        return tuple(_Mat(self, Z.n, Z.m, flat=lst) for lst in out)

    def loss(self, loss: OutputLoss, U_, Y):
        m, N = U_.n, U_.m
        values, grads, hessians = _loss_columns(lambda u, y: self.backend.loss_derivatives(loss, u, y), U_.flat,
                                                Y.flat, m, N)
        return values, _Mat(self, m, N, flat=grads), _Mat(self, m * m, N, flat=hessians)


class _MultiwordAlgebra(_Numpy):
    """The numpy formulas of :class:`~dlnsmooth.networks.ffengine._Numpy` on :class:`MultiwordArray`
    (which broadcasts, reshapes and multiplies like a numpy array); conversions, reductions,
    activations and losses go through python-flint balls."""

    kind = "multiword"
    #: observations are never merged into groups (grouping compares entries; it is only a saving)
    distinct_observations = True

    def __init__(self, backend: Backend):
        super().__init__(backend)
        self.S = limbs_for_bits(ctx.prec)
        self.zero = arb(0)
        self.one = arb(1)

    def convert(self, value):
        """Rationals stay exact (they enter the limbs rounded to the last one); anything else is a ball."""
        if isinstance(value, (fmpq, arb)):
            return value
        if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
            return fmpq(value.numerator, value.denominator)
        if isinstance(value, sp.Rational):
            return fmpq(int(value.p), int(value.q))
        if isinstance(value, float) and math.isfinite(value):
            numerator, denominator = value.as_integer_ratio()
            return fmpq(numerator, denominator)
        return to_arb(value)

    def mat(self, n, m, values):
        if len(values) > 1 and all(v is values[0] for v in values):  # a constant (ones, zeros): converted once
            return MultiwordArray.full((n, m), self.convert(values[0]), self.S)
        return MultiwordArray.from_balls([self.convert(v) for v in values], (n, m), self.S)

    def flat(self, A):
        return A.balls()

    def diag_blocks(self, F):
        n, N = F.shape
        limbs = np.zeros((F.S, n, n, N))
        rad = np.zeros((n, n, N))
        idx = np.arange(n)
        limbs[:, idx, idx, :] = F.limbs
        rad[idx, idx, :] = F.rad
        return MultiwordArray(limbs, F.e, rad).reshape(n, n * N)

    def with_ones(self, A):
        return concatenate([A, MultiwordArray.full((1, A.shape[1]), fmpq(1), A.S)], axis=0)

    def with_zeros(self, A):
        return concatenate([A, MultiwordArray.zeros((1, A.shape[1]), A.S)], axis=0)

    def gram(self, A):
        return A.gram()

    def per_sample(self, Q, A, m):
        N = Q.shape[1]
        return (Q.reshape(m, m, 1, N) * A.reshape(1, m, -1, N)).sum(1).reshape(m, -1)

    def sumsq(self, A):
        return (A * A).total()

    def wsum(self, *mats):
        out = mats[0]
        for M in mats[1:]:
            out = out * M
        return out.total()

    def is_zero(self, A):
        return A.is_exact_zero()

    def sqrt(self, x):
        return nonnegative_sqrt(x)

    def activation(self, activation: Activation, Z):
        """(σ, σ′, σ″) of every entry: balls from python-flint at the limbs' precision, converted; where
        σ′ and σ″ are polynomials in σ (:attr:`Activation.from_value`), only σ is converted and the
        derivatives are computed from it in multi-word arithmetic (as rigorous, fewer conversions)."""
        with raised_precision(BETA * self.S):
            triples = [activation.ball(z) for z in Z.balls()]
        if activation.from_value is None:
            return tuple(MultiwordArray.from_balls([t[j] for t in triples], Z.shape, self.S) for j in range(3))
        value = MultiwordArray.from_balls([t[0] for t in triples], Z.shape, self.S)
        ones = (1,) * Z.ndim

        def const(c: int) -> MultiwordArray:
            return MultiwordArray.from_balls([fmpq(c)], ones, self.S)

        return (value,) + tuple(activation.from_value(value, const))

    def loss(self, loss: OutputLoss, U_, Y):
        m, N = U_.shape
        with raised_precision(BETA * self.S):
            values, grads, hessians = _loss_columns(lambda u, y: loss.derivatives("ball", u, y), U_.balls(),
                                                    Y.balls(), m, N, to_arb)
        return (values, MultiwordArray.from_balls(grads, (m, N), self.S),
                MultiwordArray.from_balls(hessians, (m * m, N), self.S))

    def total(self, values):
        return _sum(self.zero, values)


def _algebra(backend: Backend):
    if getattr(backend, "ring", False):
        return _RingLists(backend)
    if backend is FLOAT64 or backend.name == "float64":
        return _Numpy(backend)
    if backend.name in ("ball", "exact", "sympy"):
        return _Lists(backend)
    if backend.name == "multiword":
        return _MultiwordAlgebra(backend)
    raise ShapeError(f"unknown backend {backend.name!r}")


# -- the state --------------------------------------------------------------------------------------
class FeedforwardState:
    """A feed-forward network's loss and derivatives at one point, in one backend (module docstring)."""

    def __init__(self, backend: Backend, architecture: Architecture, loss: OutputLoss,
                 inputs: Sequence[Sequence[object]], targets: Sequence[Sequence[object]],
                 point: Sequence[object]):
        self.backend = backend
        self.architecture = architecture
        self.loss = loss
        self._arguments = (inputs, targets, point)
        self.algebra = X = _algebra(backend)
        widths = architecture.widths
        self.widths = widths
        self.L = architecture.depth
        self.bias = architecture.bias
        self.activation = architecture.activation
        self.N = len(inputs)
        if self.N == 0:
            raise ShapeError("no observations")
        if len(targets) != self.N:
            raise ShapeError(f"{self.N} inputs but {len(targets)} label vectors")
        m = architecture.output_dim
        loss.check_outputs(m)
        for i, (x, y) in enumerate(zip(inputs, targets)):
            if len(x) != widths[0]:
                raise ShapeError(f"observation {i + 1} has an input of dimension {len(x)}; the first width is "
                                 f"{widths[0]}")
            if len(y) != m:
                raise ShapeError(f"observation {i + 1} has a label of dimension {len(y)}; the output dimension is {m}")
        self.point = [X.convert(v) for v in point]
        weights, biases = architecture.split(self.point)
        self.M = [None] + [X.mat(widths[l], widths[l - 1], [v for row in weights[l - 1] for v in row])
                           for l in range(1, self.L + 1)]
        if self.bias:
            self.Wbar = [None] + [X.mat(widths[l], widths[l - 1] + 1,
                                        [v for row, b in zip(weights[l - 1], biases[l - 1]) for v in list(row) + [b]])
                                  for l in range(1, self.L + 1)]
        else:
            self.Wbar = self.M
        self.X0 = X.mat(widths[0], self.N, [X.convert(x[j]) for j in range(widths[0]) for x in inputs])
        self.Y = X.mat(m, self.N, [X.convert(y[r]) for r in range(m) for y in targets])

    # -- forward and backward -------------------------------------------------------------------
    def _augment(self, A):
        return self.algebra.with_ones(A) if self.bias else A

    @cached_property
    def _forward(self):
        X = self.algebra
        A, Abar, Z, S1, S2 = [self.X0], [self._augment(self.X0)], [None], [None], [None]
        for l in range(1, self.L + 1):
            z = X.mm(self.Wbar[l], Abar[l - 1])
            Z.append(z)
            if l < self.L:
                a, s1, s2 = X.activation(self.activation, z)
                A.append(a)
                Abar.append(self._augment(a))
                S1.append(s1)
                S2.append(s2)
        return A, Abar, Z, S1, S2

    @property
    def activations(self) -> list:
        """A_0 = X, A_1 … A_{L−1} (backend matrices, n_l × N)."""
        return self._forward[0]

    @property
    def preactivations(self) -> list[list[list]]:
        """For each layer l = 1 … L, the per-observation values of z_l (lists of n_l entries)."""
        X = self.algebra
        out = []
        for z in self._forward[2][1:]:
            n, N = X.shape(z)
            f = list(X.flat(z))
            out.append([[f[r * N + i] for r in range(n)] for i in range(N)])
        return out

    @property
    def outputs(self) -> list[list]:
        """Per observation, the m network outputs."""
        return self.preactivations[-1]

    @cached_property
    def _loss_terms(self):
        return self.algebra.loss(self.loss, self._forward[2][self.L], self.Y)

    @cached_property
    def _backward(self):
        """(Δ_l, B_l) for every layer: δ_l = ∂f/∂z_l = σ′(z_l) ⊙ B_l with B_l = M_{l+1}ᵀ δ_{l+1}."""
        X = self.algebra
        S1 = self._forward[3]
        delta = [None] * (self.L + 1)
        back = [None] * (self.L + 1)
        delta[self.L] = self._loss_terms[1]
        for l in range(self.L - 1, 0, -1):
            back[l] = X.mm(X.T(self.M[l + 1]), delta[l + 1])
            delta[l] = X.had(S1[l], back[l])
        return delta, back

    def _curvature_times(self, l: int, F):
        """c_l ⊙ F with c_l = σ″(z_l) ⊙ B_l, multiplied in the order σ″ ⊙ (B ⊙ F) so that a σ″ value
        the exact backend cannot represent only ever multiplies exact zeros (else NotRational);
        None when the product is zero."""
        X = self.algebra
        S2, B = self._forward[4][l], self._backward[1][l]
        if X.is_zero(F) or X.is_zero(B):
            return None
        return X.had(S2, X.had(B, F))

    # -- values ---------------------------------------------------------------------------------
    def value(self):
        """f = Σ_i ℓ(u_i; y_i) (not available in the exact backend: NotRational)."""
        return self.algebra.total(self._loss_terms[0])

    def _gradient_blocks(self) -> list:
        X = self.algebra
        delta = self._backward[0]
        Abar = self._forward[1]
        return [X.mm(delta[l], X.T(Abar[l - 1])) for l in range(1, self.L + 1)]

    def gradient(self) -> list:
        """∇f in the architecture's flattening order (P entries)."""
        return self._flatten_blocks(self._gradient_blocks())

    def _flatten_blocks(self, blocks) -> list:
        """Per-layer n_l × n̄_{l−1} blocks (bias last column) → the flat vector."""
        X = self.algebra
        if X.kind == "float64":  # the same order by slicing
            parts = []
            for l, B in enumerate(blocks, 1):
                k = self.widths[l - 1]
                parts += [B[:, :k].ravel(), B[:, k]] if self.bias else [B.ravel()]
            return np.concatenate(parts).tolist()
        out = []
        for l, B in enumerate(blocks, 1):
            n, k = self.widths[l], self.widths[l - 1]
            f = list(X.flat(B))
            if self.bias:
                out.extend(f[r * (k + 1) + c] for r in range(n) for c in range(k))
                out.extend(f[r * (k + 1) + k] for r in range(n))
            else:
                out.extend(f)
        return out

    def _blocks_of(self, flat: Sequence[object]) -> list:
        """A flat direction → per-layer W̄ blocks (backend matrices)."""
        X = self.algebra
        if len(flat) != self.architecture.size:
            raise ShapeError(f"a direction of {len(flat)} entries; the network has {self.architecture.size} parameters")
        if X.kind == "float64":  # slices of one array
            values = np.array([float(v) for v in flat]) if not isinstance(flat, np.ndarray) else flat.astype(np.float64)
            blocks = self.architecture.blocks
            weights = [values[b.offset:b.stop].reshape(b.shape) for b in blocks if b.kind == "weight"]
            if not self.bias:
                return weights
            biases = [values[b.offset:b.stop].reshape(b.shape) for b in blocks if b.kind == "bias"]
            return [np.hstack([W, b]) for W, b in zip(weights, biases)]
        weights, biases = self.architecture.split([X.convert(v) for v in flat])
        out = []
        for l in range(1, self.L + 1):
            rows = weights[l - 1]
            if self.bias:
                rows = [list(row) + [b] for row, b in zip(rows, biases[l - 1])]
            out.append(X.mat(len(rows), len(rows[0]), [v for row in rows for v in row]))
        return out

    def grad_norm_sq(self):
        """‖∇f‖² (Euclidean)."""
        X = self.algebra
        total = X.zero
        for B in self._gradient_blocks():
            total = total + X.sumsq(B)
        return total

    # -- Hessian-vector products ------------------------------------------------------------------
    def hvp(self, delta_flat: Sequence[object]) -> list:
        """∇²f δ (flat, flattening order) by forward-over-reverse differentiation, O(N·P)."""
        X = self.algebra
        L = self.L
        A, Abar, Z, S1, S2 = self._forward
        delta = self._backward[0]
        dW = self._blocks_of(delta_flat)
        dM = dW if not self.bias else [X.without_last_column(B) for B in dW]  # M from W̄ = [M, b]
        dZ, dA = [None] * (L + 1), [None] * (L + 1)
        for l in range(1, L + 1):
            dz = X.mm(dW[l - 1], Abar[l - 1])
            if l > 1:
                dz = X.add(dz, X.mm(self.M[l], dA[l - 1]))
            dZ[l] = dz
            if l < L:
                dA[l] = X.had(S1[l], dz)
        m = self.widths[L]
        dDelta = [None] * (L + 1)
        dDelta[L] = X.per_sample(self._loss_terms[2], dZ[L], m)
        for l in range(L - 1, 0, -1):
            inner = X.add(X.mm(X.T(dM[l]), delta[l + 1]), X.mm(X.T(self.M[l + 1]), dDelta[l + 1]))
            own = self._curvature_times(l, dZ[l])
            dDelta[l] = X.had(S1[l], inner) if own is None else X.add(X.had(S1[l], inner), own)
        blocks = []
        for l in range(1, L + 1):
            block = X.mm(dDelta[l], X.T(Abar[l - 1]))
            if l > 1:
                block = X.add(block, X.mm(delta[l], X.T(self._augment_zero(dA[l - 1]))))
            blocks.append(block)
        return self._flatten_blocks(blocks)

    def _augment_zero(self, A):
        """(a, 0): the tangent of ā."""
        return self.algebra.with_zeros(A) if self.bias else A

    # -- the Hessian's structure -------------------------------------------------------------------
    @cached_property
    def _grams(self) -> list:
        """K_l = Ā_lᵀ Ā_l (l = 0 … L−1), N × N."""
        X = self.algebra
        Abar = self._forward[1]
        return [X.gram(Abar[l]) for l in range(self.L)]

    @cached_property
    def _delta_grams(self) -> dict:
        """Δ_bᵀ Δ_b (N × N) by layer b, computed on first use (:meth:`_delta_gram`)."""
        return {}

    def _delta_gram(self, b: int):
        if b not in self._delta_grams:
            X = self.algebra
            delta = self._backward[0][b]
            self._delta_grams[b] = X.gram(delta)
        return self._delta_grams[b]

    @cached_property
    def _groups(self) -> tuple[list[int], list[int]]:
        """Observations with equal σ′(z_l), c_l = σ″(z_l) ⊙ B_l (every layer) and ∇²_u ℓ have equal Φ, E
        and Ξ: (one representative per group, the group of every observation)."""
        X = self.algebra
        if getattr(X, "distinct_observations", False):
            every = list(range(self.N))
            return every, every
        S1 = self._forward[3]
        columns = [X.flat(S1[l]) for l in range(1, self.L)] + [self._curvature_signature(l) for l in range(1, self.L)]
        columns += [X.flat(self._loss_terms[2])]
        N = self.N
        shaped = [(f, len(f) // N) for f in columns]
        signatures = [[f[r * N + i] for f, rows in shaped for r in range(rows)] for i in range(N)]
        representatives, group_of = [], []
        for i, signature in enumerate(signatures):
            for g, r in enumerate(representatives):
                if signatures[r] == signature:  # exact equality (balls: identical or exact and equal)
                    group_of.append(g)
                    break
            else:
                group_of.append(len(representatives))
                representatives.append(i)
        return representatives, group_of

    def _curvature_signature(self, l: int) -> list:
        """What determines c_l = σ″(z_l) ⊙ B_l per entry: an exact zero when either factor is an exact zero
        (whatever the other one is), else the pair (σ″, B)."""
        X = self.algebra
        S2, B = X.flat(self._forward[4][l]), X.flat(self._backward[1][l])
        return [X.zero if (s == 0 or b == 0) else (s, b) for s, b in zip(S2, B)]

    def _columns(self, A, representatives: list[int]):
        """The columns of A (n × N) of the representatives."""
        X = self.algebra
        n, N = X.shape(A)
        if len(representatives) == N:
            return A
        f = X.flat(A)
        return X.mat(n, len(representatives), [f[r * N + i] for r in range(n) for i in representatives])

    def _chain(self, a: int):
        """For layer a: Φ_{b,a} (b = a+1 … L), E_{b,a} (b = a+2 … L; E_{a+1,a} = D_a is diagonal) and
        Ξ_{b,a} (b = a … L) of the group representatives, stacked n × (n_a·G) with column p·G + g."""
        X = self.algebra
        L = self.L
        reps = self._groups[0]
        S1 = [None] + [self._columns(self._forward[3][l], reps) for l in range(1, L)]
        Phi, E, Xi = {}, {}, {}
        if a == L:
            return Phi, E, Xi
        Phi[a + 1] = X.outer_tiled(self.M[a + 1], S1[a])
        for b in range(a + 1, L):
            E[b + 1] = X.had_tiled(S1[b], Phi[b])
            Phi[b + 1] = X.mm(self.M[b + 1], E[b + 1])
        Xi[L] = X.per_sample(self._columns(self._loss_terms[2], reps), Phi[L], self.widths[L])
        for b in range(L - 1, a - 1, -1):
            Xi[b] = X.had_tiled(S1[b], X.mm(X.T(self.M[b + 1]), Xi[b + 1]))
            own = self._group_curvature(b, X.diag_blocks(self._columns(self._ones(b), reps)) if b == a else Phi[b])
            if own is not None:
                Xi[b] = X.add(Xi[b], own)
        return Phi, E, Xi

    def _ones(self, l: int):
        X = self.algebra
        n, N = X.shape(self._forward[3][l])
        return X.mat(n, N, [X.one] * (n * N))

    def _group_curvature(self, l: int, F):
        """c_l ⊙ F (stacked per group representative), see :meth:`_curvature_times`."""
        X = self.algebra
        reps = self._groups[0]
        S2, B = self._columns(self._forward[4][l], reps), self._columns(self._backward[1][l], reps)
        if X.is_zero(F) or X.is_zero(B):
            return None
        return X.had_tiled(S2, X.had_tiled(B, F))

    def _expand(self, S):
        """Stacked per group (column p·G + g) → stacked per observation (column p·N + i)."""
        X = self.algebra
        reps, group_of = self._groups
        G, N = len(reps), self.N
        if G == N:
            return S
        n, width = X.shape(S)
        f = X.flat(S)
        out = []
        for r in range(n):
            for p in range(width // G):
                base = r * width + p * G
                out.extend(f[base + g] for g in group_of)
        return X.mat(n, (width // G) * N, out)

    def _cross(self, a: int, b: int, E: dict, Xi: dict):
        """Σ_ij (K_{a−1})_ij κ_ij, κ_ij = Σ_p (Ξ_iᵀ δ_{b,j})_p (E_jᵀ a_{b−1,i})_p: one of the two N × N × n_a
        factors is formed, weighted by K and regrouped, then contracted with the other side's matrices."""
        X = self.algebra
        N, na = self.N, self.widths[a]
        K = self._grams[a - 1]
        A = self._forward[0][b - 1]
        delta = self._backward[0][b]
        if X.is_zero(A) or X.is_zero(delta) or X.is_zero(K):
            return X.zero
        xi = self._expand(Xi[b])
        if b == a + 1:
            return self._adjacent_cross(a, xi, A, delta, K)
        if self.widths[b] < self.widths[b - 1]:
            U_ = X.mm(X.T(xi), delta)  # U[(p, i), j] = (Ξ_iᵀ δ_j)_p
            return X.wsum(self._expand(E[b]), X.mm(A, X.regroup(U_, K, na, N)))
        V = X.mm(X.T(self._expand(E[b])), A)  # V[(p, j), i] = (E_jᵀ a_i)_p
        return X.wsum(xi, X.mm(delta, X.regroup(V, K, na, N)))

    def _adjacent_cross(self, a: int, xi, A, delta, K):
        """The cross term for b = a + 1 (E = D_a diagonal): Σ_{r,p} x_{rp}ᵀ K y_{rp} with
        x_{rp}[i] = Ξ_i[r, p] a_{a,i}[p] and y_{rp}[j] = δ_{b,j}[r] σ′(z_{a,j})[p]; through K = ĀᵀĀ
        (⟨Ā x, Ā y⟩) when Ā has fewer rows than there are observations."""
        X = self.algebra
        N, na, nb = self.N, self.widths[a], self.widths[a + 1]
        left = X.reshape(X.scale_blocks(xi, A), nb * na, N)
        right = X.outer_rows(delta, self._forward[3][a])
        Abar = self._forward[1][a - 1]
        if X.shape(Abar)[0] < N:
            return X.wsum(X.mm(Abar, X.T(left)), X.mm(Abar, X.T(right)))
        return X.wsum(left, X.mm(right, K))

    def _group_gram(self, S):
        """⟨S_g, S_h⟩ for the per-group matrices stacked in S (n × n_a·G, column p·G + g): G × G."""
        X = self.algebra
        G = len(self._groups[0])
        n, width = X.shape(S)
        R = X.reshape(S, n * (width // G), G)
        if X.kind in ("ball", "exact"):
            R = _Mat(X, R.n, R.m, native=R.native)  # built once; its transpose is then taken natively
        return X.gram(R)

    @cached_property
    def _indicator(self):
        """The N × G matrix of group membership."""
        X = self.algebra
        reps, group_of = self._groups
        G = len(reps)
        return X.mat(self.N, G, [X.one if group_of[i] == g else X.zero for i in range(self.N) for g in range(G)])

    def _weighted(self, weights: list, gram):
        """Σ_ij Π_w w_ij · gram[g(i), g(j)] (weights N × N, gram over groups)."""
        X = self.algebra
        if len(self._groups[0]) == self.N:
            return X.wsum(*weights, gram)
        product = weights[0]
        for w in weights[1:]:
            product = X.had(product, w)
        if X.is_zero(product):
            return X.zero
        indicator = self._indicator
        return X.wsum(X.mm(X.mm(X.T(indicator), product), indicator), gram)

    def hess_frobenius_sq(self):
        """‖∇²f‖_F² from Gram matrices over observations (module docstring); no P × P matrix.

        In the ball backend, a network of at least :data:`MULTIWORD_MIN_PARAMETERS` parameters with at
        least :data:`MULTIWORD_MIN_OBSERVATIONS` observations, all distinct, is computed in multi-word
        fixed point
        (:mod:`dlnsmooth.networks.multiword`: the same formulas, rigorous, products on float64 BLAS);
        when that cannot represent the numbers or gives fewer digits than the working precision
        allows, the ball formulas run instead."""
        if self._multiword_route:
            value = self._multiword_frobenius_sq()
            if value is not None:
                return value
        return self._frobenius_sq_formulas()

    @cached_property
    def _multiword_route(self) -> bool:
        """Is this a ball state whose Frobenius norm (and the spectral bound's last product) goes through
        multi-word fixed point: at least :data:`MULTIWORD_MIN_PARAMETERS` parameters, at least
        :data:`MULTIWORD_MIN_OBSERVATIONS` observations and no two observations alike (the ball formulas merge alike observations into groups, which can be
        faster)? Only a choice of route, both are rigorous: observations are compared on the float
        shadow of the point when there is one (no ball arithmetic), else exactly."""
        if self.algebra.kind != "ball" or self.architecture.size < MULTIWORD_MIN_PARAMETERS or \
                self.N < MULTIWORD_MIN_OBSERVATIONS:
            return False
        shadow = self._float_shadow
        if shadow is not None:
            with np.errstate(all="ignore"):
                columns = shadow._float_signatures()
            if np.all(np.isfinite(columns)):
                return len(np.unique(columns, axis=0)) == self.N
        return len(self._groups[0]) == self.N

    def _float_signatures(self) -> np.ndarray:
        """Per observation (a row each), what :attr:`_groups` compares, in float64: σ′(z_l), σ″(z_l) ⊙ B_l
        and ∇²_u ℓ."""
        S1, S2, B = self._forward[3], self._forward[4], self._backward[1]
        parts = [S1[l] for l in range(1, self.L)] + [S2[l] * B[l] for l in range(1, self.L)]
        return np.vstack(parts + [self._loss_terms[2]]).T

    @cached_property
    def _multiword_twins(self) -> dict:
        """Multi-word states at this point, by precision (:meth:`_multiword_twin`)."""
        return {}

    def _multiword_twin(self) -> FeedforwardState:
        """This network and point in multi-word fixed point with limbs for the working precision (made
        once per precision; the Frobenius norm and the spectral bound share it)."""
        prec = ctx.prec
        if prec not in self._multiword_twins:
            self._multiword_twins[prec] = FeedforwardState(MULTIWORD, self.architecture, self.loss, *self._arguments)
        return self._multiword_twins[prec]

    def _multiword_frobenius_sq(self):
        """‖∇²f‖_F² through a multi-word state at the same point: at the working precision and, when
        that leaves fewer than prec − 32 bits (the fixed point of an array costs its small entries
        digits, more in deep networks), with three more limbs; None when neither gives them or the
        numbers leave the multi-word range (beyond 2^±880, or not finite: the ball formulas then say
        what they are)."""
        prec = ctx.prec
        for extra in (0, 3 * BETA):
            ctx.prec = prec + extra
            try:
                value = self._multiword_twin()._frobenius_sq_formulas()
            except ThreadCountError:  # a bad DLNSMOOTH_THREADS is the user's to see, not a fallback
                raise
            except (MultiwordRange, ArithmeticError, ValueError):  # ValueError: a non-finite ball
                return None
            finally:
                ctx.prec = prec
            if value.is_finite() and value.rad() <= abs(value.mid()) * arb(2) ** (32 - prec):
                return value
        return None

    def _frobenius_sq_formulas(self):
        """‖∇²f‖_F² by the Gram formulas in this state's own backend. A term whose Gram weight
        (K_{a−1}, K_{b−1} or Δ_bᵀΔ_b) is exactly zero contributes nothing and is skipped.

        The terms of the layer pairs (a, b), a ≤ b, are independent given layer a's chain
        (:meth:`_chain`): in the multi-word backend (numpy arrays, which release the GIL) they are
        computed in threads (:func:`~dlnsmooth.parallel.thread_map`), then summed in the order of a
        serial run, so the ball is the same bit for bit."""
        X = self.algebra
        L = self.L
        K = self._grams
        layers = [a for a in range(1, L + 1) if not X.is_zero(K[a - 1])]
        if not layers:
            return X.zero
        self._shared_for_layers(layers)
        threads = thread_count() if X.kind == "multiword" else 1
        pairs = _interleaved([[(a, b) for b in range(a, L + 1)] for a in layers], threads)
        chains = _Chains(self._chain, [a for a, _ in pairs])
        terms = thread_map(lambda pair: self._pair_terms(*pair, chains), pairs, threads=threads)
        by_pair = dict(zip(pairs, terms))
        total = X.zero
        for a in layers:
            total = total + by_pair[a, a][0]
            off = X.zero
            for b in range(a + 1, L + 1):
                for term in by_pair[a, b]:
                    off = off + term
            total = total + 2 * off
        return total

    def _shared_for_layers(self, layers: list[int]) -> None:
        """Everything the pairs' terms share, computed before they run side by side (each is then
        only read)."""
        self._forward, self._backward, self._loss_terms  # noqa: B018
        if len(self._groups[0]) < self.N:
            self._indicator  # noqa: B018
        for b in range(min(layers) + 1, self.L + 1):
            self._delta_gram(b)

    def _pair_terms(self, a: int, b: int, chains: _Chains) -> list:
        """The terms of ‖∇²f‖_F² of the layer pair (a, b), in the order they are summed: for b = a,
        [‖H_aa‖_F²]; for b > a, the parts of ‖H_ba‖_F² (K_{a−1}K_{b−1}⟨Ξ, Ξ⟩, K_{a−1}Δ_bᵀΔ_b⟨E, E⟩,
        2κ), the ones with an exactly zero weight left out."""
        X = self.algebra
        K = self._grams
        reps = self._groups[0]
        Ka = K[a - 1]
        _, E, Xi = chains.get(a)
        try:
            if b == a:
                if a == self.L:
                    Gq = X.gram(self._columns(self._loss_terms[2], reps))
                else:
                    Gq = self._group_gram(Xi[a])
                return [self._weighted([Ka, Ka], Gq)]
            out = []
            if not X.is_zero(K[b - 1]):
                out.append(self._weighted([Ka, K[b - 1]], self._group_gram(Xi[b])))
            Db = self._delta_gram(b)
            if not X.is_zero(Db):
                if b == a + 1:
                    Ge = X.gram(self._columns(self._forward[3][a], reps))
                else:
                    Ge = self._group_gram(E[b])
                out.append(self._weighted([Ka, Db], Ge))
            out.append(2 * self._cross(a, b, E, Xi))
            return out
        finally:
            chains.release(a)

    # -- spectral lower bound ---------------------------------------------------------------------
    def _norm(self, vector):
        X = self.algebra
        total = X.zero
        for v in vector:
            total = total + v * v
        return X.sqrt(total)

    def spectral_lower_bound(self, iterations: int = 100, tolerance: float = 1e-10, seed: int = 0) -> SpectralBound:
        """``‖∇²f‖₂ ≥ ‖∇²f δ‖/‖δ‖`` with δ from at most about ``iterations`` Hessian-vector products
        (see :class:`SpectralBound` and :meth:`_direction`).

        δ is found in float64 when the point is representable there (else on the backend's
        midpoints); only the last product, computed in this backend with δ exact, is the bound, so
        it is rigorous in the ball backend whatever δ is. On the multi-word route
        (:attr:`_multiword_route`) that product comes from the multi-word state, as balls too.
        """
        P = self.architecture.size
        rng = np.random.default_rng(seed)
        start = rng.standard_normal(P)
        delta, steps, converged, method = self._direction(start, iterations, tolerance)
        exact = [self.algebra.convert(float(v)) for v in delta]  # floats enter exactly
        image = None
        if self._multiword_route:  # the same balls from the multi-word state, faster
            try:
                image = self._multiword_twin().hvp(exact)
            except (MultiwordRange, ArithmeticError, ValueError):
                image = None
        if image is None:
            image = self.hvp(exact)
        bound = self._norm(image) / self._norm(exact)
        return SpectralBound(bound, steps, converged, method)

    @cached_property
    def _float_shadow(self) -> FeedforwardState | None:
        """The same network at the float64 image of the point (None when it is not finite)."""
        if self.algebra.kind == "float64":
            return self
        try:
            point = [_to_float(v) for v in self.point]
            inputs = self.X0.flat
            xs = [[_to_float(inputs[j * self.N + i]) for j in range(self.widths[0])] for i in range(self.N)]
            m = self.widths[-1]
            ys = [[_to_float(self.Y.flat[r * self.N + i]) for r in range(m)] for i in range(self.N)]
        except (TypeError, ValueError, OverflowError):
            return None
        if not all(math.isfinite(v) for v in point):
            return None
        return FeedforwardState(FLOAT64, self.architecture, self.loss, xs, ys, point)

    def _direction(self, start, iterations: int, tolerance: float) -> tuple[object, int, bool, str]:
        """(δ, Hessian-vector products spent, converged, method). On the float shadow of the point: the
        Lanczos method (:func:`~dlnsmooth.networks.engine.lanczos_direction`) with at most ``iterations``
        products, and when that does not converge, power iteration
        (:func:`~dlnsmooth.networks.engine.power_iteration`) with as many more (the count includes
        both); beyond float64, power iteration in the backend itself on midpoints."""
        shadow = self._float_shadow
        if shadow is not None:
            spent = 0

            def apply(v):
                nonlocal spent
                spent += 1
                return np.asarray(shadow.hvp(v), dtype=np.float64)

            with np.errstate(all="ignore"):
                found = lanczos_direction(apply, np.asarray(start, dtype=np.float64), iterations, tolerance)
                if found is not None:
                    return found[0], spent, True, "Lanczos"
                delta, _, _, converged = power_iteration(
                    apply, lambda v: float(np.linalg.norm(v)), float, lambda image, n: image / n,
                    np.asarray(start, dtype=np.float64), iterations, tolerance)
            if np.all(np.isfinite(delta)):
                return delta, spent, converged, "power iteration"
        delta, _, steps, converged = power_iteration(
            self.hvp, self._norm, _to_float, lambda image, n: [_midpoint(v * (1 / n)) for v in image],
            [self.algebra.convert(float(v)) for v in start], iterations, tolerance)
        return [_to_float(v) for v in delta], steps, converged, "power iteration"

    # -- the explicit Hessian ----------------------------------------------------------------------
    def hessian(self):
        """The P × P Hessian from its blocks (numpy array for float64, else a list of row lists)."""
        X = self.algebra
        if X.kind == "float64":
            return self._hessian_numpy()
        L, N = self.L, self.N
        P = self.architecture.size
        Abar = [list(X.flat(a)) for a in self._forward[1]]
        delta = [None] + [list(X.flat(d)) for d in self._backward[0][1:]]
        zero = X.zero
        H = [[zero] * P for _ in range(P)]
        for a in range(1, L + 1):
            Phi, E, Xi = self._chain(a)
            na, ka = self.widths[a], self.widths[a - 1] + (1 if self.bias else 0)
            for b in range(a, L + 1):
                nb, kb = self.widths[b], self.widths[b - 1] + (1 if self.bias else 0)
                if a == L:
                    xi = list(X.flat(self._loss_terms[2]))  # m × m per observation, row r·m + p
                    width = 1
                else:
                    xi = list(X.flat(self._expand(Xi[b])))
                    width = na * N
                if b > a:
                    e = self._dense_E(a, b, E)
                for r in range(nb):
                    for s in range(kb):
                        row = self._index(b, r, s)
                        for p in range(na):
                            for q in range(ka):
                                col = self._index(a, p, q)
                                total = zero
                                for i in range(N):
                                    x = Abar[a - 1][q * N + i]
                                    if x == 0:
                                        continue
                                    if a == L:
                                        t = Abar[b - 1][s * N + i] * xi[(r * nb + p) * N + i]
                                    else:
                                        t = Abar[b - 1][s * N + i] * xi[r * width + p * N + i]
                                    if b > a and s < self.widths[b - 1]:
                                        t = t + delta[b][r * N + i] * e[s][p][i]
                                    total = total + x * t
                                H[row][col] = total
                                H[col][row] = total
        return H

    def _block_indices(self, layer: int) -> np.ndarray:
        """Flat indices of the entries of W̄_layer (rows × columns, bias last)."""
        n, k = self.widths[layer], self.widths[layer - 1] + (1 if self.bias else 0)
        return np.array([[self._index(layer, r, c) for c in range(k)] for r in range(n)])

    def _hessian_numpy(self) -> np.ndarray:
        """The same blocks with numpy (einsum over observations)."""
        L, N = self.L, self.N
        P = self.architecture.size
        Abar = self._forward[1]
        S1 = self._forward[3]
        delta = self._backward[0]
        H = np.zeros((P, P))
        for a in range(1, L + 1):
            _, E, Xi = self._chain(a)
            na = self.widths[a]
            columns = self._block_indices(a).ravel()
            for b in range(a, L + 1):
                nb = self.widths[b]
                if a == L:
                    xi = self._loss_terms[2].reshape(nb, na, N)
                else:
                    xi = self._expand(Xi[b]).reshape(nb, na, N)
                block = np.einsum("qi,si,rpi->rspq", Abar[a - 1], Abar[b - 1], xi)
                if b > a:
                    n_prev = self.widths[b - 1]
                    if b == a + 1:
                        e = np.einsum("si,sp->spi", S1[a], np.eye(na))
                    else:
                        e = self._expand(E[b]).reshape(n_prev, na, N)
                    block[:, :n_prev] += np.einsum("qi,ri,spi->rspq", Abar[a - 1], delta[b], e)
                rows = self._block_indices(b).ravel()
                values = block.reshape(rows.size, columns.size)
                H[np.ix_(rows, columns)] = values
                H[np.ix_(columns, rows)] = values.T
        return H

    def _dense_E(self, a: int, b: int, E: dict):
        """E_{b,a} as e[s][p][i] (E_{a+1,a} = D_a)."""
        X = self.algebra
        N = self.N
        n_prev, na = self.widths[b - 1], self.widths[a]
        if b == a + 1:
            s1 = list(X.flat(self._forward[3][a]))
            return [[[s1[s * N + i] if s == p else X.zero for i in range(N)] for p in range(na)]
                    for s in range(n_prev)]
        f = list(X.flat(self._expand(E[b])))
        width = na * N
        return [[[f[s * width + p * N + i] for i in range(N)] for p in range(na)] for s in range(n_prev)]

    def _index(self, layer: int, row: int, column: int) -> int:
        """The flat index of entry (row, column) of W̄_layer (column n_{l−1} is the bias)."""
        k = self.widths[layer - 1]
        if column < k:
            return self.architecture.weight_block(layer).offset + row * k + column
        return self.architecture.bias_block(layer).offset + row


def _to_float(value) -> float:
    if isinstance(value, arb):
        return float(value.mid())
    if isinstance(value, fmpq):
        return int(value.p) / int(value.q)
    return float(value)


def _midpoint(value):
    return value.mid() if isinstance(value, arb) else value


def feedforward_state(backend: Backend, architecture: Architecture, loss: OutputLoss,
                      inputs: Sequence[Sequence[object]], targets: Sequence[Sequence[object]],
                      point: Sequence[object]) -> FeedforwardState:
    """The network's :class:`FeedforwardState` at ``point`` (flat, flattening order) with data rows
    ``inputs`` (x_i) and label vectors ``targets`` (y_i, m entries each)."""
    return FeedforwardState(backend, architecture, loss, inputs, targets, point)
