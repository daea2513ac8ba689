"""Seed 001's fixed line R (§3.1, App. B): the tubular samples, the seed's Figures 1–2, and certificates.

**The networks** (seed §3.1, App. B; SPEC §4.1). ``l2``: widths (1, 4, 7, 1), tanh, the seed's L2 loss
``L = Σ_s (f(x_s) − y_s)²`` (no ½; the output loss ``"l2"``), 20 points with x, y ~ U[−1, 1]. ``ce``:
widths (1, 3, 3, 2), tanh, softmax cross-entropy, 10 points with x ~ U[−1, 1], labels (1, 0) for the
first 8 and (0, 1) for the last 2. The draws come from ``numpy.random.default_rng((DATA_SEED, k))``
(k = 0 for ``l2``, 1 for ``ce``) and are rounded to 2 decimals, as the seed lists its own data, so
that every number is an exact rational. Parameters are flattened layer by layer, W_l row by row
then b_l (:mod:`dlnsmooth.networks.architecture`).

**The line R.** Every hidden layer: W_l = 0, b_l = c·1; last layer W_L = t·M, b_L = 0. The seed gives
neither c nor M. We take c = 1 and M with every row summing to zero: ``l2`` M = (−6, 1, 1, 1, 1, 1, 1),
``ce`` M = ((−2, 1, 1), (1, 1, −2)). Write a = tanh(c), s = σ′(c) = 1 − a². Every observation then has
the same hidden activations a·1, and the output is u = t·a·(M1) = 0 for every t, so the residuals (the
loss derivatives c_s = ∇ℓ(0; y_s)) are constants. With c̄ = Σ_s c_s, H̄ = Σ_s ∇²ℓ(0; y_s),
n = n_{L−2} (the width feeding layer L − 1) and w = (1, a·1_n):

* only layers L − 1 and L have a nonzero gradient: ∂f/∂b_{L−1} = s·t·Mᵀc̄, ∂f/∂W_{L−1} = s·t·Mᵀc̄ ⊗ a1ᵀ,
  ∂f/∂W_L = a·c̄1ᵀ, ∂f/∂b_L = c̄, so ``‖∇f‖² = g₂t² + g₀`` with ``g₂ = s²‖Mᵀc̄‖²‖w‖²``;
* the Hessian's only t² block is the Gauss–Newton block of layer L − 1, ``t²s²(MᵀH̄M) ⊗ wwᵀ``; every
  other entry is O(t), so ``‖∇²f‖_F² = h₄t⁴ + O(t³)`` with ``h₄ = s⁴‖MᵀH̄M‖_F²‖w‖⁴``.

Hence ρ* = deg H²/deg G² = 4/2 = 2 when c̄ ∉ ker Mᵀ: R refutes every ρ < 2, in particular ρ = 1
((L0, L1)-smoothness), and ``‖∇²f‖_F ≈ k‖∇f‖²`` with ``k = √h₄/g₂ = ‖MᵀH̄M‖_F/‖Mᵀc̄‖²`` — the
quadratic relationship of the seed's Figure 1. When the residuals sum to zero (c̄ = 0: L2 labels
centred, y_s − ȳ; cross-entropy labels balanced, 5 and 5) ∇f ≡ 0 on R while ‖∇²f‖_F ~ t², so R refutes
every ρ (ρ* = ∞). Centring the labels is the same as translating R by b_L = ȳ on the seed's data
(the loss depends on u − y only). When the rows of M do not sum to zero the outputs grow like t: for
L2 (M = all ones) ‖∇f‖ ~ t² and ‖∇²f‖_F ~ t², so ρ* = 1 and R refutes no ρ ≥ 1 — the scatter would be
linear, not the seed's quadratic; for cross-entropy only differences of the row sums matter (softmax
ignores a common shift): equal row sums behave as zero ones (ρ* = 2), unequal ones saturate the
softmax and give ‖∇f‖ ~ t, ‖∇²f‖_F ~ t (ρ* = 1; sampled here, SymPy's limits of the exponential
restriction do not finish within a budget). The certificates compute all of this
(:func:`dlnsmooth.certificate.certify_curve`); the derivation above is what the claims
``cooper-line-l2``/``cooper-line-ce`` compare them with.

**Tubular noise.** t = 100, 103, …, 700 (201 points); every parameter is perturbed independently and
uniformly on ``[−ε(t), ε(t)]`` (our reading of the seed's "width ε(t)"), ε(t) = 1/t² (``l2``) or
20/t² (``ce``), from ``numpy.random.default_rng((NOISE_SEED, k))``. The sampled point is the exact
rational line point plus the exact binary value of each float draw; ‖∇L‖ (Euclidean) and ‖∇²L‖_F
(Frobenius, as the seed) are computed there in ball arithmetic (the engine's Gram formulas, no P × P
matrix) and every value carries its guaranteed digits. The fits (least-squares degree-2 polynomial
of ‖∇²L‖_F in ‖∇L‖, and the least-squares line of log‖∇²L‖_F against log‖∇L‖) are float64 estimates.

``run()`` returns a :class:`CooperLineResult` (``json_kind = "experiment"``; top-level keys ``experiment``,
``verdict``, ``claim``, ``results``, ``plots``, ``notes``, ``seconds``). Its ``results`` value is
``{"networks": [...], "reason": text}``, one object per network with ``key``, ``title``, ``widths``, ``loss``,
``c``, ``M``, ``M_row_sums``, ``data`` (``x``, ``y`` as exact strings, ``source``), ``data_seed``, ``noise``
(``seed``, ``scale``, ``epsilon``, ``interval``), ``samples`` (``count``, ``t``, ``grad_norm``, ``hess_norm``,
``min_digits``, ``largest_offset_over_epsilon``, ``arithmetic``, ``seconds``), ``fit`` (``coefficients``
[a0, a1, a2], ``r_squared``), ``loglog`` and ``loglog_without_noise`` (``slope``, ``intercept``,
``r_squared``), ``leading`` (``g2``, ``h4``, ``k`` exact strings, ``k_value``), ``certificates``
(``rho_one``, ``every_rho``, ``residual_sum_zero``, ``row_sums`` — each :func:`certificate_summary`, null when
not run — with ``residual_sum_zero_data`` and ``row_sums_M``), ``alternative`` (``M``, ``M_row_sums``,
``loglog`` of the samples around lines with other M) and ``figures`` (:class:`FigureComparison`: the seed's
description, what the samples show, the rule, ``matches``). Fits and slopes are float64 estimates.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy as sp

from ..balls import guaranteed_digits
from ..certificate import Certificate, certify_curve
from ..curves import Curve, curve_parameter
from ..errors import DlnsmoothError
from ..networks.architecture import Architecture
from ..networks.data import Dataset
from ..networks.feedforward import FeedforwardObjective, feedforward
from ..networks.theorem_g import theorem_g_facts
from ..numbers import ball_to_mpf, to_arb
from ..plots import new_figure, plot_directory
from ..precision import working_precision
from ..progress import progress_bar
from ..results import Result, Verdict, json_value

__all__ = [
    "NAME", "DATA_SEED", "NOISE_SEED", "BIAS", "M_L2", "M_CE", "M_L2_ROW_SUMS", "M_CE_EQUAL_SUMS", "M_CE_ROW_SUMS",
    "T_VALUES", "NOISE_INTERVAL", "CLAIM", "SAMPLE_DPS", "CURVATURE_T", "LOGLOG_THRESHOLD",
    "LineNetwork", "l2_data", "ce_data", "centred_labels", "balanced_labels", "l2_network", "ce_network",
    "line_coordinates", "line_curve", "line_point", "line_point_of", "tube_points", "Samples", "sample_tube",
    "QuadraticFit", "quadratic_fit", "PowerFit", "loglog_fit", "curvature_t_statistic", "LeadingTerms",
    "leading_terms", "certify_line", "certificate_summary", "FigureComparison", "NetworkResult", "CooperLineResult",
    "study", "figures", "write_figures", "run",
]

NAME = "cooper-line"
#: seed of the data draws (numpy Generator seeded with (DATA_SEED, k), k = 0 for l2 and 1 for ce)
DATA_SEED = 1
#: seed of the tubular noise (numpy Generator seeded with (NOISE_SEED, k))
NOISE_SEED = 2
#: c, every hidden bias on R
BIAS = sp.Integer(1)
#: the last layer's matrix M on R (every row sums to zero)
M_L2: tuple[tuple[int, ...], ...] = ((-6, 1, 1, 1, 1, 1, 1),)
M_CE: tuple[tuple[int, ...], ...] = ((-2, 1, 1), (1, 1, -2))
#: matrices whose rows do not sum to zero: outputs u = t·tanh(c)·(M1) grow like t
M_L2_ROW_SUMS: tuple[tuple[int, ...], ...] = ((1, 1, 1, 1, 1, 1, 1),)
M_CE_EQUAL_SUMS: tuple[tuple[int, ...], ...] = ((-1, 1, 1), (1, 1, -1))
M_CE_ROW_SUMS: tuple[tuple[int, ...], ...] = ((1, 1, 1), (-1, -1, -1))
#: t = 100, 103, …, 700 (seed §3.1)
T_VALUES: tuple[int, ...] = tuple(range(100, 701, 3))
NOISE_INTERVAL = "uniform on [−ε(t), ε(t)], independently for every parameter"
CLAIM = ("seed 001's two tanh networks are (L0, L1)-smooth (ρ = 1); tested along the line R "
         "(refuted: R proves that neither network is (L0, L1)-smooth)")
#: working precision (decimal digits) of the ball evaluations at the sampled points
SAMPLE_DPS = 30

Matrix = tuple[tuple[int, ...], ...]


# -- the networks and their data -----------------------------------------------------------------------------
def _uniform_rationals(rng: np.random.Generator, count: int) -> list[sp.Rational]:
    """``count`` draws from U[−1, 1], rounded to 2 decimals, as exact rationals."""
    return [sp.Rational(f"{v:.2f}") for v in rng.uniform(-1.0, 1.0, size=count)]


def l2_data(seed: int = DATA_SEED, size: int = 20) -> Dataset:
    """The L2 network's data: x, y ~ U[−1, 1] (x first, then y), rounded to 2 decimals."""
    rng = np.random.default_rng((seed, 0))
    xs, ys = _uniform_rationals(rng, size), _uniform_rationals(rng, size)
    return Dataset.from_pairs([(x, y) for x, y in zip(xs, ys)], source=f"seed 001 §3.1 L2 draw (seed ({seed}, 0))")


def ce_data(seed: int = DATA_SEED, size: int = 10, first: int = 8) -> Dataset:
    """The cross-entropy network's data: x ~ U[−1, 1] rounded to 2 decimals, labels (1, 0) for the first
    ``first`` points and (0, 1) for the rest."""
    rng = np.random.default_rng((seed, 1))
    xs = _uniform_rationals(rng, size)
    pairs = [(x, (1, 0) if i < first else (0, 1)) for i, x in enumerate(xs)]
    return Dataset.from_pairs(pairs, source=f"seed 001 §3.1 cross-entropy draw (seed ({seed}, 1)), {first} of class 1")


def centred_labels(data: Dataset) -> Dataset:
    """The same inputs with scalar labels y_s − ȳ (exact mean): residuals at u = 0 sum to zero."""
    mean = sum(data.targets, sp.Integer(0)) / data.size
    return Dataset.from_pairs([(x, y - mean) for x, y in zip(data.inputs, data.targets)],
                              source=f"{data.source}, labels centred (ȳ = {mean})")


def balanced_labels(data: Dataset) -> Dataset:
    """The same inputs with labels (1, 0) for the first half and (0, 1) for the rest: Σ_s (softmax(0) − y_s) = 0
    (needs an even number of points)."""
    if data.size % 2:
        raise DlnsmoothError(f"balanced labels need an even number of points, got {data.size}")
    half = data.size // 2
    return Dataset.from_pairs([(x, (1, 0) if i < half else (0, 1)) for i, x in enumerate(data.inputs)],
                              source=f"{data.source}, labels balanced {half}/{half}")


@dataclass(frozen=True)
class LineNetwork:
    """One of the seed's networks with its line R: widths, loss, data, the hidden bias c, the last layer's
    matrix M, and the noise scale (ε(t) = noise_scale/t²)."""

    key: str
    title: str
    widths: tuple[int, ...]
    loss: str
    data: Dataset
    M: Matrix
    c: sp.Rational = BIAS
    noise_scale: int = 1
    index: int = 0

    def objective(self) -> FeedforwardObjective:
        """The loss L of the network on its data (tanh, with biases)."""
        return feedforward(self.widths, "tanh", self.data, self.loss, bias=True)

    def with_data(self, data: Dataset) -> LineNetwork:
        return replace(self, data=data)

    def with_matrix(self, M: Matrix) -> LineNetwork:
        return replace(self, M=M)

    @property
    def row_sums(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.M)

    @property
    def line_text(self) -> str:
        """The line R of this network in words: hidden W = 0, b = c; W_L = t·M, b_L = 0 (L and M written out)."""
        L = len(self.widths) - 1
        return f"hidden W = 0, b = {self.c}; W{L} = t·{_matrix_text(self.M)}, b{L} = 0"

    def describe(self) -> str:
        return (f"{self.title}: widths {'-'.join(map(str, self.widths))}, tanh, {self.loss} loss, "
                f"{self.data.size} points; R: {self.line_text}")


def l2_network(seed: int = DATA_SEED) -> LineNetwork:
    """The seed's L2 network (1, 4, 7, 1) with its data and the line R of :data:`M_L2`."""
    return LineNetwork("l2", "L2 network", (1, 4, 7, 1), "l2", l2_data(seed), M_L2, noise_scale=1, index=0)


def ce_network(seed: int = DATA_SEED) -> LineNetwork:
    """The seed's cross-entropy network (1, 3, 3, 2) with its data and the line R of :data:`M_CE`."""
    return LineNetwork("ce", "cross-entropy network", (1, 3, 3, 2), "cross-entropy", ce_data(seed), M_CE,
                       noise_scale=20, index=1)


def _matrix_text(M: Matrix) -> str:
    rows = ["(" + ", ".join(str(v) for v in row) + ")" for row in M]
    return rows[0] if len(rows) == 1 else "(" + ", ".join(rows) + ")"


# -- the line ---------------------------------------------------------------------------------------------
def line_coordinates(architecture: Architecture, c: object, M: Matrix, t: object) -> list:
    """The flat parameters of R at t (t a number or a SymPy symbol): hidden W = 0, b = c; W_L = t·M, b_L = 0."""
    L = architecture.depth
    rows, cols = architecture.widths[L], architecture.widths[L - 1]
    if len(M) != rows or any(len(row) != cols for row in M):
        raise DlnsmoothError(f"M must be {rows} × {cols} for widths {architecture.widths}, got {_matrix_text(M)}")
    values: list = []
    for block in architecture.blocks:
        if block.layer < L:
            values.extend([0] * block.size if block.kind == "weight" else [c] * block.size)
        elif block.kind == "weight":
            values.extend(t * v for row in M for v in row)
        else:
            values.extend([0] * block.size)
    return values


def line_curve(objective: FeedforwardObjective, c: object, M: Matrix, parameter: str = "t") -> Curve:
    """R as a :class:`~dlnsmooth.curves.Curve` of the objective's parameters."""
    t = curve_parameter(parameter)
    coordinates = [sp.sympify(v) for v in line_coordinates(objective.architecture, sp.sympify(c), M, t)]
    return Curve(objective.variables, coordinates, t, name=f"line R: hidden W = 0, b = {c}; W_L = t·{_matrix_text(M)}")


def line_point(objective: FeedforwardObjective, c: object, M: Matrix, t: int) -> list[Fraction]:
    """R at an integer t, exactly (c rational)."""
    return line_point_of(objective.architecture, c, M, t)


def line_point_of(architecture: Architecture, c: object, M: Matrix, t: int) -> list[Fraction]:
    """R at an integer t for an architecture, exactly (c rational)."""
    return [Fraction(str(v)) for v in line_coordinates(architecture, sp.Rational(c), M, t)]


# -- the tubular samples ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Samples:
    """(‖∇L‖, ‖∇²L‖_F) at the noisy points of R: ``t``, the noise widths ε(t), the largest |offset|/ε(t)
    drawn, the values (midpoints of balls) and the fewest guaranteed significant digits among them."""

    t: tuple[int, ...]
    epsilon: tuple[float, ...]
    largest_offset: float
    grad_norm: tuple[float, ...]
    hess_norm: tuple[float, ...]
    min_digits: int
    seconds: float

    @property
    def count(self) -> int:
        return len(self.t)

    def to_json(self) -> dict:
        return {"count": self.count, "t": list(self.t), "grad_norm": list(self.grad_norm),
                "hess_norm": list(self.hess_norm), "min_digits": self.min_digits,
                "largest_offset_over_epsilon": self.largest_offset,
                "arithmetic": f"ball (python-flint arb, {SAMPLE_DPS} digits working precision); values are ball "
                              "midpoints, each with at least min_digits guaranteed significant digits",
                "seconds": round(self.seconds, 3)}


def tube_points(network: LineNetwork, t_values: Sequence[int] = T_VALUES, *, seed: int = NOISE_SEED,
                noise: bool = True) -> Iterator[tuple[int, Fraction, list[Fraction], float]]:
    """(t, ε(t), the exact point R(t) + δ, max_i |δ_i|/ε(t)) for each t: δ_i uniform on [−ε(t), ε(t)] drawn from
    ``default_rng((seed, network.index))`` (the binary value of each float draw, exactly); δ = 0 without ``noise``."""
    architecture = network.objective().architecture
    rng = np.random.default_rng((seed, network.index))
    for t in t_values:
        epsilon = Fraction(network.noise_scale, t * t)
        line = line_point_of(architecture, network.c, network.M, t)
        if not noise:
            yield t, epsilon, line, 0.0
            continue
        draws = rng.uniform(-1.0, 1.0, size=architecture.size)
        yield t, epsilon, [x + Fraction(float(d)) * epsilon for x, d in zip(line, draws)], float(np.max(np.abs(draws)))


def sample_tube(network: LineNetwork, *, t_values: Sequence[int] = T_VALUES, seed: int = NOISE_SEED,
                noise: bool = True, progress: bool | None = None) -> Samples:
    """‖∇L‖ and ‖∇²L‖_F at the points of :func:`tube_points`, in ball arithmetic."""
    start = time.perf_counter()
    objective = network.objective()
    grads, hesses, widths = [], [], []
    digits, largest = None, 0.0
    points = tube_points(network, t_values, seed=seed, noise=noise)
    bar = progress_bar(progress, f"{network.key}: tubular samples", total=len(t_values), unit="point",
                       iterable=points)
    for _, epsilon, point, offset in bar if bar is not None else points:
        with working_precision(SAMPLE_DPS):
            grad, hess = objective.ball_norms([to_arb(v) for v in point])
            got = min(guaranteed_digits(grad), guaranteed_digits(hess))
            grads.append(float(ball_to_mpf(grad)))
            hesses.append(float(ball_to_mpf(hess)))
        digits = got if digits is None else min(digits, got)
        largest = max(largest, offset)
        widths.append(float(epsilon))
    return Samples(tuple(t_values), tuple(widths), largest, tuple(grads), tuple(hesses), digits or 0,
                   time.perf_counter() - start)


# -- fits (float64 estimates) ----------------------------------------------------------------------------
@dataclass(frozen=True)
class QuadraticFit:
    """Least-squares y ≈ a0 + a1 x + a2 x² (float64 estimate) and its coefficient of determination R²."""

    coefficients: tuple[float, float, float]
    r_squared: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        a0, a1, a2 = self.coefficients
        return a0 + a1 * x + a2 * x * x

    def text(self) -> str:
        a0, a1, a2 = self.coefficients
        return (f"‖∇²L‖_F ≈ {a2:.6g}·‖∇L‖² {_signed(a1, '.6g')}·‖∇L‖ {_signed(a0, '.6g')}  "
                f"(R² = {self.r_squared:.8f})")

    def to_json(self) -> dict:
        return {"coefficients": list(self.coefficients), "r_squared": self.r_squared}


def _r_squared(y: np.ndarray, fitted: np.ndarray) -> float:
    total = float(np.sum((y - np.mean(y)) ** 2))
    return 1.0 - float(np.sum((y - fitted) ** 2)) / total if total > 0 else 1.0


def quadratic_fit(x: Sequence[float], y: Sequence[float]) -> QuadraticFit:
    """The least-squares degree-2 polynomial through (x, y) (numpy's scaled-domain fit, converted back)."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    poly = np.polynomial.Polynomial.fit(xs, ys, 2).convert()
    coefficients = tuple(float(v) for v in np.pad(poly.coef, (0, 3 - len(poly.coef))))
    fit = QuadraticFit(coefficients, 0.0)  # type: ignore[arg-type]
    return replace(fit, r_squared=_r_squared(ys, fit(xs)))


@dataclass(frozen=True)
class PowerFit:
    """Least-squares log y ≈ intercept + slope·log x (natural logarithms; float64 estimate) and R²."""

    slope: float
    intercept: float
    r_squared: float

    def text(self) -> str:
        return f"log‖∇²L‖_F ≈ {self.slope:.4f}·log‖∇L‖ {_signed(self.intercept, '.4f')}  (R² = {self.r_squared:.8f})"

    def to_json(self) -> dict:
        return {"slope": self.slope, "intercept": self.intercept, "r_squared": self.r_squared}


def loglog_fit(x: Sequence[float], y: Sequence[float]) -> PowerFit:
    """The least-squares line of log y against log x (x, y > 0)."""
    lx, ly = np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float))
    slope, intercept = np.polyfit(lx, ly, 1)
    return PowerFit(float(slope), float(intercept), _r_squared(ly, intercept + slope * lx))


# -- the derivation's leading terms --------------------------------------------------------------------------
@dataclass(frozen=True)
class LeadingTerms:
    """The derived leading coefficients along R (module docstring): ‖∇f‖² = g₂t² + g₀ and
    ‖∇²f‖_F² = h₄t⁴ + O(t³), exact expressions in a = tanh(c); k = √h₄/g₂ (None when g₂ = 0)."""

    g2: sp.Expr
    h4: sp.Expr
    k: sp.Expr | None

    @property
    def k_value(self) -> float | None:
        return None if self.k is None else float(sp.N(self.k, 20))

    def to_json(self) -> dict:
        return {"g2": sp.sstr(self.g2), "h4": sp.sstr(self.h4), "k": None if self.k is None else sp.sstr(self.k),
                "k_value": self.k_value}


def leading_terms(network: LineNetwork) -> LeadingTerms:
    """g₂ = s²‖Mᵀc̄‖²‖w‖², h₄ = s⁴‖MᵀH̄M‖_F²‖w‖⁴ and k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖² for a line whose rows of M sum to
    zero (c̄ = Σ_s ∇ℓ(0; y_s), H̄ = Σ_s ∇²ℓ(0; y_s) from the package's losses; a = tanh(c), s = 1 − a²,
    ‖w‖² = 1 + n·a², n = n_{L−2})."""
    if any(network.row_sums):
        raise DlnsmoothError("the leading terms are derived for matrices M whose rows sum to zero")
    facts = theorem_g_facts(network.objective())
    M = sp.Matrix(network.M)
    cbar = sp.Matrix(facts.gradient_sum)
    Hbar = sp.Matrix(facts.hessian_sum)
    a = sp.tanh(network.c)
    s = 1 - a**2
    w_sq = 1 + network.widths[-3] * a**2
    grad_part = sum((v**2 for v in M.T * cbar), sp.Integer(0))
    hess_part = sum((v**2 for v in M.T * Hbar * M), sp.Integer(0))
    g2 = sp.expand(s**2 * grad_part * w_sq)
    h4 = sp.expand(s**4 * hess_part * w_sq**2)
    k = sp.sqrt(hess_part) / grad_part if grad_part != 0 else None
    return LeadingTerms(g2, h4, k)


# -- certificates ----------------------------------------------------------------------------------------
def certify_line(network: LineNetwork, *, rho: object = None, decades: int = 8, digits: int = 15,
                 time_budget: float | None = 60.0, progress: bool | None = False, claim: str | None = None
                 ) -> Certificate:
    """The curve certificate along the network's R (noise-free): at ``rho``, or for every ρ when None."""
    objective = network.objective()
    curve = line_curve(objective, network.c, network.M)
    target = {"every_rho": True} if rho is None else {"rho": rho}
    return certify_curve(objective, curve, decades=decades, digits=digits, time_budget=time_budget,
                         progress=progress, claim=claim, **target)


def certificate_summary(certificate: Certificate | None) -> dict | None:
    """The certificate's verdict, ρ, ρ*, growth exponents (and how they were obtained), numeric slopes,
    the exact restriction G²(t), H²(t), the reason and the time taken."""
    if certificate is None:
        return None
    growth = certificate.find("growth-exponents")
    slopes = (growth[0].grad_slope, growth[0].hess_slope) if growth else (None, None)
    restrictions = certificate.find("symbolic-restriction")
    return {
        "verdict": certificate.verdict,
        "rho": None if certificate.every_rho else sp.sstr(certificate.rho),
        "every_rho": certificate.every_rho,
        "critical_exponent": json_value(certificate.critical_exponent),
        "grad_exponent": json_value(certificate.growth.grad_exponent),
        "hess_exponent": json_value(certificate.growth.hess_exponent),
        "exponents_method": certificate.growth.method,
        "critical_source": certificate.growth.critical_source,
        "grad_slope": slopes[0],
        "hess_slope": slopes[1],
        "grad_sq": sp.sstr(restrictions[0].expression) if len(restrictions) > 0 else None,
        "hess_sq": sp.sstr(restrictions[1].expression) if len(restrictions) > 1 else None,
        "evidence_kinds": certificate.evidence_kinds,
        "reason": certificate.reason,
        "seconds": round(certificate.seconds, 3),
    }


def _certificate_line(label: str | None, certificate: Certificate | None) -> str:
    if certificate is None:
        return f"{label or 'certificate'}: not run"
    g = certificate.growth
    rho = "every ρ" if certificate.every_rho else f"ρ = {sp.sstr(certificate.rho)}"
    exponents = (f"‖∇L‖ ~ t^{_exponent(g.grad_exponent, g.gradient_vanishes)}, "
                 f"‖∇²L‖_F ~ t^{_exponent(g.hess_exponent, g.hessian_vanishes)}")
    critical = "undetermined" if certificate.critical_exponent is None else sp.sstr(certificate.critical_exponent)
    critical = "∞" if certificate.critical_exponent == sp.oo else critical
    label = rho if label is None else f"{label} ({rho})"
    return f"{label}: {certificate.verdict.upper()} — ρ* = {critical}; {exponents} ({certificate.seconds:.1f} s)"


def _signed(value: float, spec: str) -> str:
    """``+ 3`` or ``− 3``: a term of a sum, its sign as the operator."""
    return f"{'−' if value < 0 else '+'} {abs(value):{spec}}"


def _exponent(value: sp.Expr | None, vanishes: bool) -> str:
    if vanishes:
        return "−∞ (≡ 0)"
    return "?" if value is None else sp.sstr(value)


# -- the comparison with the seed's figures ------------------------------------------------------------------
@dataclass(frozen=True)
class FigureComparison:
    """One of the seed's figure descriptions next to what the package's samples show, with the rule applied."""

    figure: str
    network: str
    seed_says: str
    package_shows: str
    rule: str
    matches: bool

    def to_json(self) -> dict:
        return {"figure": self.figure, "network": self.network, "seed_says": self.seed_says,
                "package_shows": self.package_shows, "rule": self.rule, "matches": self.matches}


#: the least-squares x² coefficient must exceed this many of its standard errors (curvature beyond the noise)
CURVATURE_T = 3.0
#: R² the log-log least-squares line must reach for the log-log scatter to be said to look linear
LOGLOG_THRESHOLD = 0.9


def curvature_t_statistic(x: Sequence[float], y: Sequence[float]) -> float:
    """The ordinary-least-squares t-statistic of the x² coefficient of the degree-2 fit (coefficient over its
    standard error; x is rescaled to [0, 1], which leaves the statistic unchanged)."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    scaled = xs / np.max(np.abs(xs))
    design = np.column_stack([np.ones_like(scaled), scaled, scaled**2])
    beta, *_ = np.linalg.lstsq(design, ys, rcond=None)
    residual = ys - design @ beta
    variance = float(residual @ residual) / max(len(ys) - 3, 1)
    covariance = variance * np.linalg.inv(design.T @ design)
    error = math.sqrt(covariance[2, 2])
    return float(beta[2] / error) if error > 0 else math.inf


def _compare_figures(key: str, samples: Samples, fit: QuadraticFit, loglog: PowerFit,
                     exact_line: PowerFit | None) -> list[FigureComparison]:
    """Figure 1: the x² coefficient of the degree-2 fit is positive and exceeds :data:`CURVATURE_T` standard errors.
    Figure 2: the log-log least-squares line reaches R² ≥ :data:`LOGLOG_THRESHOLD`."""
    statistic = curvature_t_statistic(samples.grad_norm, samples.hess_norm)
    noise_free = ("" if exact_line is None else
                  f"; the noise-free samples on R have slope {exact_line.slope:.4f}, and the certificate's exact "
                  "exponents give 2 (the noise moves ‖∇L‖ by O(1) at every t, which flattens the noisy slope)")
    return [
        FigureComparison("Figure 1", key, "a quadratic relationship: the scatter of (‖∇L‖, ‖∇²L‖) with its degree-2 "
                         "polynomial of best fit", f"{fit.text()}; x² coefficient = {statistic:.1f} standard errors",
                         f"x² coefficient > 0 by at least {CURVATURE_T:g} standard errors (least squares)",
                         fit.coefficients[2] > 0 and statistic >= CURVATURE_T),
        FigureComparison("Figure 2", key, "on log-log axes the scatter looks linear (as in Zhang et al.)",
                         loglog.text() + noise_free, f"log-log least-squares R² ≥ {LOGLOG_THRESHOLD}",
                         loglog.r_squared >= LOGLOG_THRESHOLD),
    ]


# -- results ---------------------------------------------------------------------------------------------
@dataclass
class NetworkResult:
    """Everything computed for one network: samples, fits, derivation, certificates, the other M's samples."""

    network: LineNetwork
    samples: Samples
    fit: QuadraticFit
    loglog: PowerFit
    leading: LeadingTerms
    rho_one: Certificate
    every_rho: Certificate | None
    residual_sum_zero: Certificate | None
    residual_network: LineNetwork
    row_sums: Certificate | None
    row_sums_network: LineNetwork
    alternative: tuple[tuple[LineNetwork, PowerFit], ...]
    figures: list[FigureComparison]
    exact_line: PowerFit | None = None

    def to_json(self) -> dict:
        n = self.network
        return {
            "key": n.key, "title": n.title, "widths": list(n.widths), "loss": n.loss, "c": sp.sstr(n.c),
            "M": [list(row) for row in n.M], "M_row_sums": list(n.row_sums),
            "data": {"x": [sp.sstr(x[0]) for x in n.data.inputs],
                     "y": [sp.sstr(y) if not isinstance(y, tuple) else [sp.sstr(v) for v in y] for y in n.data.targets],
                     "source": n.data.source},
            "data_seed": [DATA_SEED, n.index],
            "noise": {"seed": [NOISE_SEED, n.index], "scale": n.noise_scale, "epsilon": f"{n.noise_scale}/t^2",
                      "interval": NOISE_INTERVAL},
            "samples": self.samples.to_json(), "fit": self.fit.to_json(), "loglog": self.loglog.to_json(),
            "loglog_without_noise": None if self.exact_line is None else self.exact_line.to_json(),
            "leading": self.leading.to_json(),
            "certificates": {"rho_one": certificate_summary(self.rho_one),
                             "every_rho": certificate_summary(self.every_rho),
                             "residual_sum_zero": certificate_summary(self.residual_sum_zero),
                             "residual_sum_zero_data": self.residual_network.data.source,
                             "row_sums": certificate_summary(self.row_sums),
                             "row_sums_M": [list(r) for r in self.row_sums_network.M]},
            "alternative": [{"M": [list(r) for r in net.M], "M_row_sums": list(net.row_sums), "loglog": fit.to_json()}
                            for net, fit in self.alternative],
            "figures": [f.to_json() for f in self.figures],
        }

    def report_lines(self) -> list[str]:
        n, s = self.network, self.samples
        lines = [n.describe(), f"  data: {n.data.source}; noise ε(t) = {n.noise_scale}/t², {NOISE_INTERVAL}",
                 f"  samples: {s.count} points t = {s.t[0]}, {s.t[1] if s.count > 1 else ''}, …, {s.t[-1]}; ‖∇L‖ "
                 f"(Euclidean) and ‖∇²L‖_F (Frobenius) in ball arithmetic, ≥ {s.min_digits} guaranteed digits "
                 f"({s.seconds:.1f} s); ‖∇L‖ from {min(s.grad_norm):.6g} to {max(s.grad_norm):.6g}",
                 f"  degree-2 fit (estimate): {self.fit.text()}",
                 f"  log-log fit (estimate): {self.loglog.text()}"]
        if self.exact_line is not None:
            lines.append(f"  log-log fit of noise-free samples on R (estimate): {self.exact_line.text()}")
        if self.leading.k is not None:
            lines.append(f"  derived: ‖∇²L‖_F / ‖∇L‖² → k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖² = {sp.sstr(self.leading.k)} ≈ "
                         f"{self.leading.k_value:.6g} (exact, t → ∞; compare the fitted x² coefficient)")
        lines += ["  certificates along R (no noise):",
                  "    " + _certificate_line(None, self.rho_one),
                  "    " + _certificate_line(None, self.every_rho),
                  "    " + _certificate_line(f"residuals summing to zero ({self.residual_network.data.source})",
                                             self.residual_sum_zero),
                  "    " + _certificate_line(f"M = {_matrix_text(self.row_sums_network.M)} (row sums "
                                             f"{self.row_sums_network.row_sums})", self.row_sums)]
        for net, fit in self.alternative:
            lines.append(f"  samples with M = {_matrix_text(net.M)} (row sums {net.row_sums}; estimate): log-log slope "
                         f"{fit.slope:.4f}")
        for figure in self.figures:
            mark = "matches" if figure.matches else "DOES NOT MATCH"
            lines.append(f"  {figure.figure} ({figure.seed_says}): {mark} — {figure.package_shows} [{figure.rule}]")
        return lines


@dataclass
class CooperLineResult(Result):
    """Seed 001's fixed-line experiment (module docstring): per network, the samples, fits, certificates and
    the comparison with the seed's figures; the verdict is about :data:`CLAIM`."""

    networks: list[NetworkResult]
    verdict: Verdict
    reason: str
    plots: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    claim: str = CLAIM

    json_kind = "experiment"

    def network(self, key: str) -> NetworkResult:
        for result in self.networks:
            if result.network.key == key:
                return result
        raise KeyError(key)

    def report(self) -> str:
        lines = [f"Experiment {NAME}: seed 001 §3.1, the fixed line R", f"Claim: {self.claim}", ""]
        for result in self.networks:
            lines += result.report_lines() + [""]
        lines += [f"Note: {note}" for note in self.notes]
        lines += [f"Plots: {', '.join(self.plots)}" if self.plots else "Plots: none (pass plots=DIR / --plots DIR)",
                  f"Verdict: {self.verdict.upper()} — {self.reason}  ({self.seconds:.1f} s)"]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"experiment": NAME, "verdict": self.verdict, "claim": self.claim,
                "results": {"networks": [r.to_json() for r in self.networks], "reason": self.reason},
                "plots": list(self.plots), "notes": list(self.notes), "seconds": round(self.seconds, 3)}


def _verdict(results: Sequence[NetworkResult]) -> tuple[Verdict, str]:
    verdicts = [r.rho_one.verdict for r in results]
    names = ", ".join(f"{r.network.key}: {r.rho_one.verdict}" for r in results)
    if all(v == "refuted" for v in verdicts):
        return "refuted", (f"both certificates along R refute ρ = 1 ({names}): by Props 5 and 1 neither network's "
                           "∇L is (L0, L1)-smooth")
    if any(v == "undecided" for v in verdicts):
        return "undecided", f"not every certificate along R decided ({names})"
    return "not refuted", f"R does not refute ρ = 1 for every network ({names})"


# -- figures ---------------------------------------------------------------------------------------------
def _draw(ax, result: NetworkResult, log: bool) -> None:
    s, fit = result.samples, result.fit
    x, y = np.asarray(s.grad_norm), np.asarray(s.hess_norm)
    ax.scatter(x, y, s=8, color="tab:blue", label=f"{s.count} samples near R (ball arithmetic)")
    grid = np.linspace(x.min(), x.max(), 200)
    a0, a1, a2 = fit.coefficients
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
        power = result.loglog
        ax.plot(grid, np.exp(power.intercept) * grid ** power.slope, color="tab:green", lw=1.2,
                label=f"log-log least-squares line, slope {power.slope:.3f} (R² = {power.r_squared:.4f})")
    quadratic = fit(grid)
    shown = quadratic > 0 if log else np.ones_like(grid, dtype=bool)  # log axes: where the polynomial is positive
    ax.plot(grid[shown], quadratic[shown], color="tab:red", lw=1.2,
            label=f"degree-2 fit {a2:.4g}x² {_signed(a1, '.3g')}x {_signed(a0, '.3g')} (R² = {fit.r_squared:.4f})")
    k = result.leading.k_value
    if k is not None:
        ax.plot(grid, k * grid**2, color="tab:gray", lw=1.0, ls="--",
                label=f"derived asymptote k·x², k = {sp.sstr(result.leading.k)} (exact, t → ∞)")
    if log:
        ax.set_ylim(y.min() / 2, y.max() * 2)  # the data's range: the fit's dive below its last positive value is cut
    ax.set_xlabel("‖∇L‖ (Euclidean)")
    ax.set_ylabel("‖∇²L‖_F (Frobenius)")
    ax.set_title(f"{result.network.title} {'-'.join(map(str, result.network.widths))}"
                 + (" (log-log)" if log else ""), fontsize=10)
    ax.grid(True, alpha=0.3, which="both" if log else "major")
    ax.legend(fontsize=7, loc="upper left")


def figures(results: Sequence[NetworkResult]) -> dict[str, object]:
    """The seed's Figure 1 (direct scatter with the degree-2 fit) and Figure 2 (log-log), one panel per
    network: file name → matplotlib Figure (a notebook displays them)."""
    out = {}
    for name, log in (("cooper-line-figure1.png", False), ("cooper-line-figure2-loglog.png", True)):
        fig = new_figure(figsize=(6.0 * len(results), 4.6), dpi=100)
        axes = fig.subplots(1, len(results), squeeze=False)
        for ax, result in zip(axes[0], results):
            _draw(ax, result, log)
        fig.suptitle(f"Seed 001 §3.1 {'Figure 2 (log-log)' if log else 'Figure 1'}: (‖∇L‖, ‖∇²L‖_F) near the line R",
                     fontsize=11)
        fig.tight_layout()
        out[name] = fig
    return out


def write_figures(results: Sequence[NetworkResult], directory: str | Path) -> list[str]:
    """:func:`figures` as PNG files in ``directory`` (created)."""
    target = plot_directory(directory)
    written = []
    for name, fig in figures(results).items():
        path = target / name
        fig.savefig(path)
        written.append(str(path))
    return written


# -- the experiment --------------------------------------------------------------------------------------
def _residual_network(network: LineNetwork) -> LineNetwork:
    data = centred_labels(network.data) if network.loss == "l2" else balanced_labels(network.data)
    return network.with_data(data)


def _alternatives(network: LineNetwork) -> tuple[Matrix, ...]:
    return (M_L2_ROW_SUMS,) if network.loss == "l2" else (M_CE_EQUAL_SUMS, M_CE_ROW_SUMS)


def study(network: LineNetwork, *, t_values: Sequence[int] = T_VALUES, decades: int = 8, digits: int = 15,
          time_budget: float | None = 60.0, variants: bool = True, progress: bool | None = None) -> NetworkResult:
    """Samples, fits, derivation and certificates for one network (``variants``: also the every-ρ
    certificate, the residual-sum-zero line, the row-sum line and the other M's samples)."""
    samples = sample_tube(network, t_values=t_values, progress=progress)
    fit, loglog = quadratic_fit(samples.grad_norm, samples.hess_norm), loglog_fit(samples.grad_norm, samples.hess_norm)
    options = {"decades": decades, "digits": digits, "time_budget": time_budget, "progress": False}
    rho_one = certify_line(network, rho=1, **options)
    residual = _residual_network(network)
    row_sums = network.with_matrix(_alternatives(network)[0])
    every = residual_cert = row_cert = None
    alternative: tuple[tuple[LineNetwork, PowerFit], ...] = ()
    if variants:
        every = certify_line(network, **options)
        residual_cert = certify_line(residual, **options)
        row_cert = certify_line(row_sums, **options)
        others = [network.with_matrix(M) for M in _alternatives(network)]
        alternative = tuple((other, _sampled_slope(other, t_values)) for other in others)
    exact_line = _sampled_slope(network, t_values, noise=False)
    return NetworkResult(network, samples, fit, loglog, leading_terms(network), rho_one, every, residual_cert,
                         residual, row_cert, row_sums, alternative,
                         _compare_figures(network.key, samples, fit, loglog, exact_line), exact_line)


def _sampled_slope(network: LineNetwork, t_values: Sequence[int], noise: bool = True) -> PowerFit:
    """The log-log least-squares line of samples around (``noise``) or on a line, at every tenth t."""
    samples = sample_tube(network, t_values=list(t_values)[::10] or list(t_values), noise=noise, progress=False)
    return loglog_fit(samples.grad_norm, samples.hess_norm)


def _notes(t_values: Sequence[int]) -> list[str]:
    notes = [
        f"c = {BIAS} and M = {_matrix_text(M_L2)} (L2), {_matrix_text(M_CE)} (cross-entropy): the seed gives neither; "
        "every row of M sums to zero, so the outputs are 0 on R for every t and the residuals constant (SPEC §4.1's "
        "hint). With c = 0 (the seed's text also says 'biases all equal to zero') the hidden activations vanish and "
        "R is Theorem G′'s curve with biases: the outputs are 0 whatever M.",
        f"data: numpy default_rng(({DATA_SEED}, k)), U[−1, 1] rounded to 2 decimals (as the seed lists its data); "
        "the seed's own §3.1 draws are not published, so the figures can match its descriptions, not its pixels",
        f"noise: {NOISE_INTERVAL} (our reading of 'width ε(t)'); numpy default_rng(({NOISE_SEED}, k)); the sampled "
        "point is exact (line point + the binary value of each draw)",
        "residuals summing to zero: L2 labels centred (y_s − ȳ; the same as translating R by b_L = ȳ on the seed's "
        "data), cross-entropy labels balanced 5/5 (Σ_s softmax(0) − y_s = 0 needs it): ∇L ≡ 0 on R and ρ* = ∞",
        "rows of M not summing to zero: for L2 the outputs grow like t and ρ* = 1 along R (the scatter would be "
        "linear, not the seed's quadratic); for cross-entropy only unequal row sums change the softmax — equal sums "
        "behave as zero sums (ρ* = 2), unequal ones give ρ* = 1 (sampled slope only: SymPy's limits of the "
        "exponential restriction do not finish within a budget)",
        "norms: ‖∇L‖ Euclidean, ‖∇²L‖_F Frobenius as in the seed; divergence in Frobenius implies it in the spectral "
        "norm (‖H‖₂ ≥ ‖H‖_F/√P)",
    ]
    if tuple(t_values) != T_VALUES:
        notes.append(f"reduced run: {len(t_values)} values of t instead of the seed's {len(T_VALUES)}")
    return notes


def run(*, plots: str | Path | None = None, progress: bool | None = None, t_step: int = 3, decades: int = 8,
        digits: int = 15, time_budget: float | None = 60.0, variants: bool = True,
        networks: Sequence[str] = ("l2", "ce"), seed: int = DATA_SEED) -> CooperLineResult:
    """Seed 001's fixed-line experiment: both networks (or those in ``networks``), t = 100, 100 + t_step, …, 700,
    certificates with ``decades`` table rows; PNG figures in ``plots`` when given."""
    start = time.perf_counter()
    if isinstance(t_step, bool) or not isinstance(t_step, int) or t_step < 1:
        raise DlnsmoothError(f"t_step must be a positive integer, got {t_step!r}")
    builders: dict[str, Callable[[int], LineNetwork]] = {"l2": l2_network, "ce": ce_network}
    unknown = [k for k in networks if k not in builders]
    if unknown or not networks:
        raise DlnsmoothError(f"networks must be among 'l2', 'ce'; got {list(networks)!r}")
    if plots is not None:
        plot_directory(plots)  # fails at once on a bad path or without matplotlib
    t_values = tuple(range(100, 701, t_step))
    results = [study(builders[key](seed), t_values=t_values, decades=decades, digits=digits, time_budget=time_budget,
                     variants=variants, progress=progress) for key in networks]
    verdict, reason = _verdict(results)
    written = write_figures(results, plots) if plots is not None else []
    return CooperLineResult(results, verdict, reason, written, _notes(t_values), time.perf_counter() - start)
