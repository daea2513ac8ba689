"""The general LASSO simulation of seed 003 §B.2: NDGM on (15) with λ = 0.01 and λ = 10 from the same start,
the final ‖β‖₁ of both enclosed in balls and their ordering proved.

Seed (15): L4(β) = (1/N)‖y − Wβ‖₂² + λ‖β‖₁, subgradient g(β) = (2/N)Wᵀ(Wβ − y) + λ sign(β), sign(0) = 0;
NDGM β_{k+1} = T(β_k) = β_k − α g(β_k). The seed reports final ‖β‖₁ = 1.62 (λ = 0.01) and 25.4 (λ = 10)
without its α, step count or start; with α = 0.01 and β_0 = 0, the λ = 10 run ends with every coordinate in
the toy-LASSO band |β_j| < αλ = 0.1, ‖β‖₁ ≈ P·αλ/2 = 25 — consistent with the seed's 25.4.

Arithmetic (exact denominators grow by a factor ~10⁶ per step, so the run is shadowed in balls by the shared
routine of :mod:`dlnsmooth.dynamics.shadow`): exact dyadic centres c_k and a proved radius e_k ≥ ‖β_k − c_k‖₂.
A step (:meth:`~dlnsmooth.dynamics.objectives.GeneralLasso.shadow_step`) first decides every sign on the ball
B(c_k, e_k) (at step 0, e_0 = 0 and the signs are those of the exact β_0): sign(β_j) is constant there when
|c_j| > e_k (and is 0 when c_j = 0 = e_k); otherwise the step is *undecided* and the run is repeated at twice
the precision (up to a cap). With the signs fixed, T is affine on the ball with
linear part I − (2α/N)WᵀW, whose norm is at most ℓ = max(1, (2α/N)λ_max(WWᵀ) − 1) (λ_max enclosed exactly,
:func:`~dlnsmooth.dynamics.shadow.gram_spectrum`), so e_{k+1} = ℓ e_k + δ_k with δ_k the rounding of one
ball step from the exact centre. Then ‖β_k‖₁ ∈ ‖c_k‖₁ ± √P e_k.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from flint import arb

from ..errors import PrecisionError, ShapeError
from ..precision import working_precision
from ..progress import progress_bar
from .data import RegressionData
from .objectives import GeneralLasso, UndecidedKink, nonnegative_parameter
from .shadow import (
    SpectrumBounds,
    gram_spectrum,
    lower_fraction,
    shadow_advance,
    shadow_start,
    to_fraction,
    upper_fraction,
)
from .stability import check_run_options, seeded_start

__all__ = [
    "LASSO_ROWS", "LASSO_COLUMNS", "LASSO_SEED", "LASSO_ALPHA", "LASSO_LAMBDAS", "LASSO_STEPS", "LASSO_DPS",
    "LASSO_MAX_DPS", "LassoRun", "lasso_data", "lasso_value", "run_lasso", "run_lasso_adaptive",
    "ordering_proved", "large_start", "lasso_study",
]

#: the seed's W is 20 × 500 (§B.2)
LASSO_ROWS, LASSO_COLUMNS = 20, 500
#: seed of W, y (``RegressionData.random``: U[−1, 1], 2 decimals)
LASSO_SEED = 15
#: step size (not stated by the seed; see the module docstring)
LASSO_ALPHA = Fraction(1, 100)
#: the seed's two penalties
LASSO_LAMBDAS = (Fraction(1, 100), Fraction(10))
#: steps of each run
LASSO_STEPS = 500
#: working precision (digits) and the cap of the adaptive retries
LASSO_DPS, LASSO_MAX_DPS = 40, 320


def lasso_data(*, rows: int = LASSO_ROWS, columns: int = LASSO_COLUMNS, seed: int = LASSO_SEED) -> RegressionData:
    """(W, y): ``RegressionData.random(rows, columns, seed)``, entries U[−1, 1] rounded to 2 decimals."""
    return RegressionData.random(rows, columns, seed)


def large_start(columns: int = LASSO_COLUMNS, seed: int = LASSO_SEED + 1) -> list[Fraction]:
    """The negative control's start: β_0 ~ U[−1, 1] (2 decimals, seeded), so ‖β_0‖₁ ≈ P/2 ≫ Pαλ/2."""
    return seeded_start(columns, seed)


def lasso_value(data: RegressionData, lam: Fraction, beta: Sequence[Fraction]) -> Fraction:
    """L4(β) = (1/N)‖y − Wβ‖² + λ‖β‖₁ exactly (seed (15))."""
    residual = [yi - sum((w * b for w, b in zip(row, beta)), Fraction(0)) for row, yi in zip(data.Z, data.y)]
    return sum((r * r for r in residual), Fraction(0)) / data.rows + lam * sum((abs(b) for b in beta), Fraction(0))


@dataclass
class LassoRun:
    """A shadowed NDGM run on (15): final ‖β_K‖₁ enclosed in [``norm1_lower``, ``norm1_upper``] (exact
    dyadic endpoints as Fractions), ‖c_k‖₁ per step (floats, for pictures), the final radius, and ``status``
    ``"done"``, ``"undecided"`` (a sign not decided at step ``undecided_at``) or ``"budget"`` (time ran out;
    ``steps`` is then the number of steps done)."""

    lam: Fraction
    alpha: Fraction
    steps: int
    dps: int
    status: str = "done"
    undecided_at: int | None = None
    norm1_lower: Fraction = Fraction(0)
    norm1_upper: Fraction = Fraction(0)
    norms1: list[float] = field(default_factory=list)
    final_radius: float = 0.0
    final_centre: list[Fraction] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def norm1_mid(self) -> float:
        """The midpoint of the final ‖β‖₁ enclosure (a float, for text and pictures)."""
        return float((self.norm1_lower + self.norm1_upper) / 2)


def run_lasso(data: RegressionData, lam: Fraction, alpha: Fraction, beta0: Sequence[Fraction], *,
              steps: int = LASSO_STEPS, dps: int = LASSO_DPS, spectrum: SpectrumBounds | None = None,
              progress: bool | None = False, time_budget: float | None = None) -> LassoRun:
    """NDGM on (15) for ``steps`` steps from β_0, shadowed in balls at ``dps`` digits (module docstring);
    ``status`` ``"budget"`` when ``time_budget`` seconds ran out first (the enclosure is then of the last
    step reached). ParameterError/ShapeError for bad options."""
    alpha = check_run_options(alpha, steps, dps, time_budget)
    lam = nonnegative_parameter(lam, "λ")
    if len(beta0) != data.columns:
        raise ShapeError(f"β_0 needs {data.columns} coordinates (the columns of W), got {len(beta0)}")
    started = time.perf_counter()
    deadline = None if time_budget is None else started + time_budget
    spectrum = gram_spectrum(data.Z) if spectrum is None else spectrum
    run = LassoRun(lam, alpha, steps, dps)
    objective = GeneralLasso(data, lam=lam, gram_upper=spectrum.upper)
    with working_precision(dps):
        state = shadow_start(beta0)  # the exact β_0 enclosed, e_0 = 0
        root_p = arb(data.columns).sqrt()
        bar = progress_bar(progress, f"general LASSO NDGM λ = {lam}", total=steps)
        for k in range(steps + 1):
            run.norms1.append(sum(abs(float(c)) for c in state.centre.entries()))
            if k == steps:
                break
            if deadline is not None and time.perf_counter() > deadline:
                run.status, run.steps = "budget", k
                break
            try:
                state, _ = shadow_advance(objective, state, alpha)
            except UndecidedKink:
                run.status, run.undecided_at = "undecided", k
                break
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        centre, radius = state.centre, state.radius
        norm1 = sum((abs(c) for c in centre.entries()), arb(0))
        spread = root_p * radius
        low, high = norm1 - spread, norm1 + spread
        run.norm1_lower = lower_fraction(low)
        run.norm1_upper = upper_fraction(high)
        run.final_radius = float(radius.mid() + radius.rad())
        run.final_centre = [to_fraction(c) for c in centre.entries()]
    run.seconds = time.perf_counter() - started
    return run


def run_lasso_adaptive(data: RegressionData, lam: Fraction, alpha: Fraction, beta0: Sequence[Fraction], *,
                       steps: int = LASSO_STEPS, dps: int = LASSO_DPS, max_dps: int = LASSO_MAX_DPS,
                       spectrum: SpectrumBounds | None = None, progress: bool | None = False) -> LassoRun:
    """:func:`run_lasso`, repeated at twice the precision while a sign is undecided, up to ``max_dps``
    (then the undecided run is returned)."""
    if max_dps < dps:
        raise PrecisionError(f"max_dps = {max_dps} is below dps = {dps}")
    spectrum = gram_spectrum(data.Z) if spectrum is None else spectrum
    while True:
        run = run_lasso(data, lam, alpha, beta0, steps=steps, dps=dps, spectrum=spectrum, progress=progress)
        if run.status == "done" or dps * 2 > max_dps:
            return run
        dps *= 2


def ordering_proved(larger: LassoRun, smaller: LassoRun) -> bool | None:
    """True when ‖β‖₁ of ``larger`` is proved above that of ``smaller`` (lower bound > upper bound), False when
    proved below or equal-free the other way, None when the enclosures overlap or a run is undecided."""
    if larger.status != "done" or smaller.status != "done":
        return None
    if larger.norm1_lower > smaller.norm1_upper:
        return True
    if larger.norm1_upper < smaller.norm1_lower:
        return False
    return None


def lasso_study(*, start: Sequence[Fraction] | None = None, steps: int = LASSO_STEPS, seed: int = LASSO_SEED,
                progress: bool | None = False) -> list[LassoRun]:
    """The seed's comparison: one run per λ of ``LASSO_LAMBDAS`` on :func:`lasso_data` (seed) with α =
    ``LASSO_ALPHA`` from ``start`` (default β_0 = 0), each adaptive in precision."""
    data = lasso_data(seed=seed)
    spectrum = gram_spectrum(data.Z)
    beta0 = [Fraction(0)] * data.columns if start is None else list(start)
    return [run_lasso_adaptive(data, lam, LASSO_ALPHA, beta0, steps=steps, spectrum=spectrum, progress=progress)
            for lam in LASSO_LAMBDAS]
