"""Prop 3.1 of seed 003: NDGM is not captured. A seeded search finds data (Z, q ≤ 0), a start with ‖β_0‖∞ < 1
and a step α where NDGM on the seed's L2 decreases the loss at every step while ‖β_k‖∞ > 1 at some k; the
run is then verified in exact rationals. GD on a smooth counterpart from the same start is captured.

The loss (seed (3) with λ1 = 0.01, λ2 = 0): L2(β) = ‖q − max(0, Zβ)‖² + λ1‖β‖₁ with q ≤ 0, so
(max(0, u) − q)² ≥ q² and L2(β) ≥ ‖q‖² + λ1‖β‖₁ ≥ ‖q‖² = L2(0), with equality only at β = 0: the unique
minimiser is β* = 0. NDGM (seed (2)) with the subgradient
g(β) = 2Zᵀ[1(Zβ > 0) ⊙ (max(0, Zβ) − q)] + λ1 sign(β), max′(0) = 0 and sign(0) = 0 (PyTorch's rules).
The dynamics are rational: :func:`exact_relu_lasso_run` iterates in python-flint ``fmpq_mat`` (exact).

The smooth counterpart (:func:`exact_smooth_run`): f_s(β) = ‖max(0, Zβ)‖² + λ2‖β‖², λ2 = 0.01 — the same
ReLU regression with response 0 (max(0, u)² is C¹, so the data term loses its kink) and the ℓ1 penalty
replaced by a ridge of the same weight. f_s is C¹ and convex with ∇f_s = 2Zᵀmax(0, Zβ) + 2λ2β, which is
L-Lipschitz with L = 2λ_max(ZᵀZ) + 2λ2 (max(0, ·) is 1-Lipschitz); it is strongly convex with the unique,
hence isolated, minimiser 0, the minimiser of L2. GD with α_s ≤ 1/L satisfies the hypotheses of the capture
theorem (Bertsekas Prop 1.2.5: f C¹, f(β_{k+1}) ≤ f(β_k) by the descent lemma
f(β_{k+1}) ≤ f(β_k) − α_s(1 − α_s L/2)‖∇f_s‖², bounded steps ‖β_{k+1} − β_k‖ = α_s‖∇f_s(β_k)‖, an isolated
local minimum), and more explicitly: GD with α_s ≤ 2/L on a convex L-smooth f is non-expansive towards a
minimiser (co-coercivity), so ‖β_k‖∞ ≤ ‖β_k‖₂ ≤ ‖β_0‖₂ for every k. The search therefore asks ‖β_0‖₂ < 1
(stronger than ‖β_0‖∞ < 1): the smooth GD is provably captured in the unit ball, NDGM is not.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from flint import fmpq, fmpq_mat

from ..errors import DataError, ShapeError
from .data import RegressionData
from .stability import check_run_options, gram_spectrum, seeded_start, to_fraction

__all__ = [
    "CAPTURE_ROWS", "CAPTURE_COLUMNS", "CAPTURE_LAMBDA1", "CAPTURE_LAMBDA2", "CAPTURE_STEPS", "CAPTURE_ALPHAS",
    "CAPTURE_START_SCALE", "CAPTURE_SEEDS", "CAPTURE_SEARCH_SECONDS", "ExactRun", "CaptureProperty",
    "CaptureCase", "capture_data", "capture_start", "relu_lasso_value", "relu_lasso_subgradient",
    "exact_relu_lasso_run", "smooth_value", "exact_smooth_run", "smooth_step", "capture_property",
    "float_search", "search_capture_case", "smooth_counterpart",
]

#: data size of the search (the seed used 20 × 500; a narrower Z keeps the exact run short)
CAPTURE_ROWS, CAPTURE_COLUMNS = 20, 50
#: the seed's L2 = L1(β; Z1, q1, 0, 0.01): λ1 = 0.01, λ2 = 0; the smooth counterpart's ridge weight
CAPTURE_LAMBDA1 = Fraction(1, 100)
CAPTURE_LAMBDA2 = Fraction(1, 100)
#: length of every run (NDGM and GD)
CAPTURE_STEPS = 30
#: the steps the search tries, smallest first
CAPTURE_ALPHAS = (Fraction(1, 100), Fraction(1, 50), Fraction(1, 20), Fraction(1, 10))
#: β_0 ~ U[−s, s] (2 decimals): s = 1/5 keeps ‖β_0‖₂ < 1 for P = 50
CAPTURE_START_SCALE = Fraction(1, 5)
#: data seeds searched (in order) and the search's wall-clock cap
CAPTURE_SEEDS = range(0, 200)
CAPTURE_SEARCH_SECONDS = 20.0


def capture_data(seed: int, *, rows: int = CAPTURE_ROWS, columns: int = CAPTURE_COLUMNS) -> RegressionData:
    """(Z, q): Z ~ U[−1, 1], q ~ U[−1, 0] (the seed's distributions), 2 decimals, ``RegressionData.random``."""
    return RegressionData.random(rows, columns, seed, y_range=(-1, 0))


def capture_start(seed: int, *, columns: int = CAPTURE_COLUMNS, scale: Fraction = CAPTURE_START_SCALE) -> list[Fraction]:
    """β_0 ~ U[−scale, scale] (2 decimals) from seed + 1."""
    return seeded_start(columns, seed + 1, low=-scale, high=scale)


def _matrix(rows: Sequence[Sequence[Fraction]]) -> fmpq_mat:
    return fmpq_mat([[fmpq(v.numerator, v.denominator) for v in row] for row in rows])


def _column(values: Sequence[Fraction]) -> fmpq_mat:
    return fmpq_mat(len(values), 1, [fmpq(v.numerator, v.denominator) for v in values])


def relu_lasso_value(data: RegressionData, lam1: Fraction, beta: Sequence[Fraction]) -> Fraction:
    """L2(β) = ‖q − max(0, Zβ)‖² + λ1‖β‖₁ exactly (plain Fractions)."""
    total = Fraction(0)
    for row, q in zip(data.Z, data.y):
        u = sum((z * b for z, b in zip(row, beta)), Fraction(0))
        total += (max(Fraction(0), u) - q) ** 2
    return total + lam1 * sum((abs(b) for b in beta), Fraction(0))


def relu_lasso_subgradient(data: RegressionData, lam1: Fraction, beta: Sequence[Fraction]) -> list[Fraction]:
    """g(β) = 2Zᵀ[1(Zβ > 0)(max(0, Zβ) − q)] + λ1 sign(β), max′(0) = 0, sign(0) = 0 (plain Fractions)."""
    weights = []
    for row, q in zip(data.Z, data.y):
        u = sum((z * b for z, b in zip(row, beta)), Fraction(0))
        weights.append(2 * (u - q) if u > 0 else Fraction(0))
    return [sum((data.Z[i][j] * weights[i] for i in range(data.rows)), Fraction(0)) + lam1 * ((b > 0) - (b < 0))
            for j, b in enumerate(beta)]


@dataclass
class ExactRun:
    """An exact run: losses f(β_k), ‖β_k‖∞ (and its coordinate), ‖β_k‖₂² for k = 0..steps (Fractions), and
    the final iterate."""

    losses: list[Fraction] = field(default_factory=list)
    norms_inf: list[Fraction] = field(default_factory=list)
    norms2_sq: list[Fraction] = field(default_factory=list)
    argmax_inf: list[int] = field(default_factory=list)
    final: list[Fraction] = field(default_factory=list)
    seconds: float = 0.0


def _record(run: ExactRun, beta: fmpq_mat, loss: fmpq) -> None:
    entries = [abs(beta[j, 0]) for j in range(beta.nrows())]
    largest = max(range(len(entries)), key=entries.__getitem__)
    run.losses.append(to_fraction(loss))
    run.norms_inf.append(to_fraction(entries[largest]))
    run.argmax_inf.append(largest)
    run.norms2_sq.append(to_fraction((beta.transpose() * beta)[0, 0]))


def _check_start(data: RegressionData, beta0: Sequence[Fraction]) -> None:
    if len(beta0) != data.columns:
        raise ShapeError(f"β_0 needs {data.columns} coordinates (the columns of Z), got {len(beta0)}")


def _sign(x: fmpq) -> int:
    return (x > 0) - (x < 0)


def exact_relu_lasso_run(data: RegressionData, lam1: Fraction, alpha: Fraction, beta0: Sequence[Fraction],
                         steps: int) -> ExactRun:
    """NDGM β_{k+1} = β_k − α g(β_k) on L2, ``steps`` steps, exactly (python-flint ``fmpq_mat``)."""
    alpha = check_run_options(alpha, steps, 20, None)
    _check_start(data, beta0)
    started = time.perf_counter()
    Z, q = _matrix(data.Z), _column(data.y)
    Zt = Z.transpose()
    a, lam = fmpq(alpha.numerator, alpha.denominator), fmpq(lam1.numerator, lam1.denominator)
    beta = _column(beta0)
    run = ExactRun()
    N, P = data.rows, data.columns
    for k in range(steps + 1):
        u = Z * beta
        positive = [u[i, 0] > 0 for i in range(N)]
        loss = sum(((u[i, 0] if positive[i] else fmpq(0)) - q[i, 0]) ** 2 for i in range(N))
        loss += lam * sum(abs(beta[j, 0]) for j in range(P))
        _record(run, beta, loss)
        if k == steps:
            break
        weights = fmpq_mat(N, 1, [2 * (u[i, 0] - q[i, 0]) if positive[i] else fmpq(0) for i in range(N)])
        signs = fmpq_mat(P, 1, [_sign(beta[j, 0]) for j in range(P)])
        beta = beta - a * (Zt * weights + lam * signs)
    run.final = [to_fraction(beta[j, 0]) for j in range(P)]
    run.seconds = time.perf_counter() - started
    return run


def smooth_value(data: RegressionData, lam2: Fraction, beta: Sequence[Fraction]) -> Fraction:
    """f_s(β) = ‖max(0, Zβ)‖² + λ2‖β‖² exactly."""
    total = Fraction(0)
    for row in data.Z:
        u = sum((z * b for z, b in zip(row, beta)), Fraction(0))
        total += max(Fraction(0), u) ** 2
    return total + lam2 * sum((b * b for b in beta), Fraction(0))


def smooth_step(data: RegressionData, lam2: Fraction) -> tuple[Fraction, Fraction]:
    """(L̄, α_s): an integer L̄ ≥ 2λ_max(ZᵀZ) + 2λ2 (λ_max enclosed exactly) and α_s = 1/L̄ ≤ 1/L."""
    L = 2 * gram_spectrum(data.Z).upper + 2 * lam2
    L_bar = Fraction(math.ceil(L))
    return L_bar, 1 / L_bar


def exact_smooth_run(data: RegressionData, lam2: Fraction, alpha: Fraction, beta0: Sequence[Fraction],
                     steps: int) -> ExactRun:
    """GD β_{k+1} = β_k − α(2Zᵀmax(0, Zβ_k) + 2λ2β_k) on f_s, ``steps`` steps, exactly."""
    alpha = check_run_options(alpha, steps, 20, None)
    _check_start(data, beta0)
    started = time.perf_counter()
    Z = _matrix(data.Z)
    Zt = Z.transpose()
    a, ridge = fmpq(alpha.numerator, alpha.denominator), fmpq(lam2.numerator, lam2.denominator)
    beta = _column(beta0)
    run = ExactRun()
    N, P = data.rows, data.columns
    for k in range(steps + 1):
        u = Z * beta
        active = fmpq_mat(N, 1, [u[i, 0] if u[i, 0] > 0 else fmpq(0) for i in range(N)])
        loss = sum(active[i, 0] ** 2 for i in range(N)) + ridge * sum(beta[j, 0] ** 2 for j in range(P))
        _record(run, beta, loss)
        if k == steps:
            break
        beta = beta - a * (2 * (Zt * active) + 2 * ridge * beta)
    run.final = [to_fraction(beta[j, 0]) for j in range(P)]
    run.seconds = time.perf_counter() - started
    return run


@dataclass(frozen=True)
class CaptureProperty:
    """Prop 3.1's property of a run, decided exactly: ``start_inside`` (‖β_0‖∞ < 1), ``monotone`` (every
    f(β_{k+1}) − f(β_k) ≤ 0; ``first_increase`` the first k where it fails), ``escaped`` (‖β_k‖∞ > 1 at some
    k; ``escape_step``, ``escape_coordinate`` and the exact ``escape_value`` β_k[j] of the first)."""

    start_inside: bool
    monotone: bool
    first_increase: int | None
    escaped: bool
    escape_step: int | None
    escape_coordinate: int | None
    escape_value: Fraction | None
    largest_increase: Fraction

    @property
    def not_captured(self) -> bool:
        """The claim's witness: starts inside the unit ball, loss non-increasing, yet leaves the ball."""
        return self.start_inside and self.monotone and self.escaped


def capture_property(run: ExactRun, *, escape_value: Fraction | None = None) -> CaptureProperty:
    """Decide the property on an exact run (``escape_value``: the signed coordinate, when known)."""
    differences = [b - a for a, b in zip(run.losses, run.losses[1:])]
    increases = [k for k, d in enumerate(differences) if d > 0]
    escapes = [k for k, n in enumerate(run.norms_inf) if n > 1]
    step = escapes[0] if escapes else None
    return CaptureProperty(
        start_inside=run.norms_inf[0] < 1, monotone=not increases, first_increase=increases[0] if increases else None,
        escaped=bool(escapes), escape_step=step,
        escape_coordinate=run.argmax_inf[step] if step is not None else None,
        escape_value=escape_value if escape_value is not None else (run.norms_inf[step] if step is not None else None),
        largest_increase=max(differences) if differences else Fraction(0))


def _float_run(Z: np.ndarray, q: np.ndarray, beta: np.ndarray, alpha: float, lam1: float, steps: int
               ) -> tuple[np.ndarray, np.ndarray]:
    losses, norms = [], []
    for _ in range(steps + 1):
        u = Z @ beta
        a = np.maximum(u, 0.0)
        losses.append(float(np.sum((a - q) ** 2) + lam1 * np.abs(beta).sum()))
        norms.append(float(np.abs(beta).max()))
        beta = beta - alpha * (2 * Z.T @ ((a - q) * (u > 0)) + lam1 * np.sign(beta))
    return np.array(losses), np.array(norms)


def float_search(seeds: Sequence[int] = CAPTURE_SEEDS, alphas: Sequence[Fraction] = CAPTURE_ALPHAS, *,
                 steps: int = CAPTURE_STEPS, lam1: Fraction = CAPTURE_LAMBDA1, seconds: float = CAPTURE_SEARCH_SECONDS,
                 margin: float = 1e-9):
    """Candidates (seed, α) in search order whose FLOAT run (numpy, a screening only: nothing is concluded
    from it) decreases by more than ``margin`` at every step, leaves the unit ball, and starts with
    ‖β_0‖₂ < 1; a generator that stops after ``seconds``."""
    started = time.perf_counter()
    for seed in seeds:
        if time.perf_counter() - started > seconds:
            return
        data = capture_data(seed)
        start = capture_start(seed)
        if sum(b * b for b in start) >= 1:
            continue
        Z = np.array([[float(v) for v in row] for row in data.Z])
        q = np.array([float(v) for v in data.y])
        b0 = np.array([float(v) for v in start])
        for alpha in alphas:
            losses, norms = _float_run(Z, q, b0.copy(), float(alpha), float(lam1), steps)
            if np.all(np.diff(losses) < -margin) and norms.max() > 1 + margin and norms[0] < 1:
                yield seed, alpha


@dataclass
class CaptureCase:
    """A verified witness of Prop 3.1: the data seed, α, the data and start, the exact NDGM run and its property,
    and how many float candidates the exact check rejected before it."""

    seed: int
    alpha: Fraction
    data: RegressionData
    start: list[Fraction]
    run: ExactRun
    property: CaptureProperty
    rejected: int
    search_seconds: float


def search_capture_case(*, seeds: Sequence[int] = CAPTURE_SEEDS, alphas: Sequence[Fraction] = CAPTURE_ALPHAS,
                        steps: int = CAPTURE_STEPS, lam1: Fraction = CAPTURE_LAMBDA1,
                        seconds: float = CAPTURE_SEARCH_SECONDS) -> CaptureCase:
    """The first (seed, α) of :func:`float_search` whose EXACT run satisfies the property; DataError when the
    search ends (seeds exhausted or ``seconds`` spent) without one."""
    started = time.perf_counter()
    rejected = 0
    for seed, alpha in float_search(seeds, alphas, steps=steps, lam1=lam1, seconds=seconds):
        data, start = capture_data(seed), capture_start(seed)
        run = exact_relu_lasso_run(data, lam1, alpha, start, steps)
        prop = capture_property(run)
        if prop.not_captured:
            return CaptureCase(seed, alpha, data, start, run, prop, rejected, time.perf_counter() - started)
        rejected += 1
    raise DataError(f"no witness of Prop 3.1 found within {seconds:g} s over the seeds and steps searched")


def smooth_counterpart(case: CaptureCase, *, lam2: Fraction = CAPTURE_LAMBDA2,
                       steps: int = CAPTURE_STEPS) -> tuple[Fraction, Fraction, ExactRun]:
    """(L̄, α_s, run): GD on f_s = ‖max(0, Zβ)‖² + λ2‖β‖² for the witness's data and start, α_s = 1/L̄, exactly."""
    L_bar, alpha = smooth_step(case.data, lam2)
    return L_bar, alpha, exact_smooth_run(case.data, lam2, alpha, case.start, steps)
