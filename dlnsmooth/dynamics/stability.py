"""Prop 5.1 of seed 003 made explicit: constant-step NDGM on a convex loss with bounded subgradients stays
inside a computable ball around a minimiser, for every step size α (SPEC §4.2).

The envelope (proved here). Let f be convex with a minimiser β* on the affine set A the iterates move in,
f* = f(β*), and ‖g‖₂ ≤ G for every subgradient the method uses. NDGM β_{k+1} = β_k − α g_k (seed (2)) gives

    ‖β_{k+1} − β*‖² = ‖β_k − β*‖² − 2α g_kᵀ(β_k − β*) + α²‖g_k‖²
                    ≤ ‖β_k − β*‖² − 2α (f(β_k) − f*) + α²G²                       (one-step inequality)

(convexity: g_kᵀ(β_k − β*) ≥ f(β_k) − f*). Let c = αG²/2 and D = sup{‖β − β*‖ : β ∈ A, f(β) − f* < c}.
Claim: ‖β_k − β*‖² ≤ R² := max(‖β_0 − β*‖², D² + α²G²) for every k. Induction: true at k = 0; if
f(β_k) − f* ≥ c the one-step inequality gives ‖β_{k+1} − β*‖² ≤ ‖β_k − β*‖² ≤ R²; otherwise β_k lies in the
sublevel set, ‖β_k − β*‖ ≤ D, and ‖β_{k+1} − β*‖² ≤ D² + α²G² − 2α(f(β_k) − f*) ≤ D² + α²G² ≤ R². ∎
Without convexity or without a finite G the premise fails and :func:`envelope` refuses (:class:`PremiseFails`).

The seed's example, the Huber loss (10): f(β) = (1/N) Σ_i l(y_i − z_iᵀβ), l(r) = r²/2 for |r| < 1 and
|r| − 1/2 otherwise, ∇f = −(1/N) Zᵀ clip(r, −1, 1) (C¹: no kink). With Z of full row rank N < P:

* A = β_0 + rowspace(Z) (every step adds a combination of the rows), and on A the unique minimiser is
  β* = β_0 + Zᵀ(ZZᵀ)⁻¹(y − Zβ_0), with Zβ* = y so f* = 0 — solved exactly (python-flint ``fmpq_mat``);
* G² = λ_max(ZZᵀ)/N: ‖Zᵀ clip‖ ≤ √λ_max ‖clip‖ ≤ √λ_max √N; λ_max and λ_min of ZZᵀ are enclosed from the
  exact characteristic polynomial of the integer matrix d²ZZᵀ (python-flint's certified ``complex_roots``):
  :func:`gram_spectrum`;
* D: for β ∈ A, r = y − Zβ = Z(β* − β) and β − β* ∈ rowspace(Z), so ‖β − β*‖² ≤ ‖r‖²/λ_min(ZZᵀ). If
  f(β) < c then Σ l(r_i) < Nc, and r² = h(l(r)) with h(u) = 2u (u ≤ 1/2), (u + 1/2)² (u ≥ 1/2) convex,
  h(0) = 0, hence superadditive: ‖r‖² = Σ h(l(r_i)) ≤ h(Σ l(r_i)) ≤ h(Nc). So D² ≤ h(Nc)/λ_min.

The trajectory (:func:`run_huber`) is followed in ball arithmetic as a *shadowed* sequence
(:mod:`dlnsmooth.dynamics.shadow`, the shared routine): exact dyadic centres c_k and a proved radius
e_k ≥ ‖β_k − c_k‖₂. One step computes T(c_k) = c_k + (α/N)Zᵀclip(y − Zc_k) in balls (radius
δ_k ≥ ‖T(c_k) − c_{k+1}‖ where c_{k+1} = midpoints), and e_{k+1} = ℓ_k e_k + δ_k with ℓ_k a Lipschitz
constant of T on the ball B(c_k, e_k) (:meth:`~dlnsmooth.dynamics.objectives.HuberRegression.shadow_step`):
rows whose residual interval lies in [1, ∞) or (−∞, −1] contribute nothing to
T(a) − T(b) = (I − (α/N)Z_AᵀD Z_A)(a − b), 0 ≼ D ≼ I, so ℓ_k = max(1, (α/N)λ_max(Z_A Z_Aᵀ) − 1) with
λ_max(Z_A Z_Aᵀ) ≤ min(λ_max(ZZᵀ), Σ_{i∈A} ‖z_i‖²). (Componentwise ball iteration would blow up by |Zᵀ||Z|
per step; the shadowing keeps radii near the working precision.)
Every iterate's distance bound ‖c_k − β*‖ + e_k is compared with R, every one-step inequality and every
‖g_k‖ ≤ G checked on the enclosures, each decided only when the balls separate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from flint import arb, arb_mat, fmpq, fmpq_mat

from ..errors import DataError, DlnsmoothError, ShapeError
from ..precision import check_dps, working_precision
from ..progress import progress_bar
from .data import RegressionData
from .objectives import HuberRegression, ParameterError, positive_parameter, sqrt_upper
from .shadow import (
    SpectrumBounds,
    arb_of,
    gram_spectrum,
    lower_fraction,
    radius_norm2,
    shadow_advance,
    shadow_start,
    to_fraction,
    upper_fraction,
)

__all__ = [
    "PremiseFails", "SpectrumBounds", "Envelope", "HuberRun", "HuberStep", "ScaledSquare", "TwoWells",
    "HUBER_ROWS", "HUBER_COLUMNS", "HUBER_SEED", "HUBER_STEPS", "HUBER_ALPHAS", "HUBER_DPS",
    "MAX_SIMULATION_STEPS", "check_run_options", "lower_fraction", "upper_fraction",
    "seeded_start", "to_fraction", "arb_of", "ball_norm2", "radius_norm2", "gram_spectrum", "huber_loss", "huber_data",
    "affine_minimiser", "huber_subgradient_bound_sq", "huber_sublevel_radius_sq", "envelope", "huber_envelope",
    "EnvelopeCheck", "check_envelope", "run_huber", "HuberStudy", "huber_study", "exact_descent_run", "one_step_holds",
]

#: the seed's Huber example: Z is 50 × 200 (seed §5, eq. (10))
HUBER_ROWS, HUBER_COLUMNS = 50, 200
#: seed of the data (``RegressionData.random``: Z, y ~ U[−1, 1] rounded to 2 decimals) and of β_0 (seed + 1)
HUBER_SEED = 2024
#: steps of each run (both α): ~0.4–0.8 s each
HUBER_STEPS = 400
#: the seed's two step sizes (Figure 4)
HUBER_ALPHAS = (Fraction(1, 10), Fraction(10))
#: working precision (decimal digits) of the ball runs
HUBER_DPS = 40
#: the most steps a simulation run accepts
MAX_SIMULATION_STEPS = 1_000_000


class PremiseFails(DlnsmoothError):
    """Prop 5.1's premise (convexity, a finite subgradient bound G) fails: no envelope is stated."""


def check_run_options(alpha: object, steps: object, dps: object, time_budget: object) -> Fraction:
    """Validate a simulation's step size (> 0, returned exactly), step count (1..``MAX_SIMULATION_STEPS``),
    precision and time budget (None or > 0 seconds); a one-line ParameterError otherwise."""
    alpha = positive_parameter(alpha, "α")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_SIMULATION_STEPS:
        raise ParameterError(f"the number of steps must be an integer between 1 and {MAX_SIMULATION_STEPS}, "
                             f"got {steps!r}")
    check_dps(dps)
    if time_budget is not None and (isinstance(time_budget, bool) or not isinstance(time_budget, (int, float))
                                    or not time_budget > 0):
        raise ParameterError(f"the time budget must be a positive number of seconds, got {time_budget!r}")
    return alpha


def seeded_start(p: int, seed: int, *, low: Fraction = Fraction(-1), high: Fraction = Fraction(1),
                 digits: int = 2) -> list[Fraction]:
    """β_0 with P = ``p`` entries uniform on [low, high] from ``numpy.random.default_rng(seed)``, rounded to
    ``digits`` decimals (exact rationals)."""
    rng = np.random.default_rng(seed)
    scale = 10 ** digits
    values = rng.uniform(float(low), float(high), size=p)
    return [Fraction(int(round(float(v) * scale)), scale) for v in values]


def huber_loss(r: Fraction | arb) -> Fraction | arb:
    """Seed (10) with δ = 1: l(r) = r²/2 for |r| < 1, |r| − 1/2 otherwise, written c·r − c²/2 with
    c = clip(r, −1, 1) (one continuous formula, valid for balls without deciding the branch)."""
    if isinstance(r, arb):
        c = r.max(arb(-1)).min(arb(1))
        return c * r - c * c / 2
    c = max(Fraction(-1), min(Fraction(1), r))
    return c * r - c * c / 2


def huber_data(*, rows: int = HUBER_ROWS, columns: int = HUBER_COLUMNS, seed: int = HUBER_SEED
               ) -> tuple[RegressionData, list[Fraction]]:
    """The seeded example: (Z, y) from ``RegressionData.random(rows, columns, seed)`` (U[−1, 1], 2 decimals)
    and β_0 = :func:`seeded_start` (columns, seed + 1) (U[−1, 1], 2 decimals)."""
    return RegressionData.random(rows, columns, seed), seeded_start(columns, seed + 1)


def affine_minimiser(data: RegressionData, beta0: Sequence[Fraction]) -> list[Fraction]:
    """β* = β_0 + Zᵀ(ZZᵀ)⁻¹(y − Zβ_0), exactly: the point of β_0 + rowspace(Z) with Zβ* = y (the unique
    minimiser of the Huber loss there, f* = 0). DataError when ZZᵀ is singular (Z not of full row rank)."""
    Z = fmpq_mat([[fmpq(v.numerator, v.denominator) for v in row] for row in data.Z])
    y = fmpq_mat(data.rows, 1, [fmpq(v.numerator, v.denominator) for v in data.y])
    b0 = fmpq_mat(data.columns, 1, [fmpq(v.numerator, v.denominator) for v in beta0])
    gram = Z * Z.transpose()
    if gram.rank() < data.rows:
        raise DataError("Z is not of full row rank: the minimiser on β0 + rowspace(Z) is not unique")
    star = b0 + Z.transpose() * gram.solve(y - Z * b0)
    return [to_fraction(star[j, 0]) for j in range(data.columns)]


def huber_subgradient_bound_sq(spectrum: SpectrumBounds, rows: int) -> Fraction:
    """G² = λ_max(ZZᵀ)/N ≥ ‖∇f(β)‖² for every β (module docstring)."""
    return spectrum.upper / rows


def _h(u: Fraction) -> Fraction:
    """h(u) = 2u on [0, 1/2], (u + 1/2)² beyond: r² = h(l(r)) for the Huber l (convex, h(0) = 0)."""
    return 2 * u if u <= Fraction(1, 2) else (u + Fraction(1, 2)) ** 2


def huber_sublevel_radius_sq(level: Fraction, spectrum: SpectrumBounds, rows: int) -> Fraction:
    """D² ≤ h(N·level)/λ_min(ZZᵀ): every β of β_0 + rowspace(Z) with f(β) − f* < level lies within D of β*."""
    if spectrum.lower <= 0:
        raise DataError("λ_min(ZZᵀ) is not proved positive: the sublevel set on the row space is not bounded")
    return _h(rows * level) / spectrum.lower


@dataclass(frozen=True)
class Envelope:
    """Prop 5.1's explicit envelope for one α: ‖β_k − β*‖² ≤ R² = max(‖β_0 − β*‖², D² + α²G²), with
    c = αG²/2 the level below which the distance may grow (all exact rationals)."""

    alpha: Fraction
    G_sq: Fraction
    level: Fraction
    start_sq: Fraction
    D_sq: Fraction
    R_sq: Fraction


def envelope(objective: object, alpha: Fraction, start_sq: Fraction, sublevel_radius_sq: Callable[[Fraction], Fraction],
             *, G_sq: Fraction | None = None) -> Envelope:
    """The envelope for ``objective`` (anything with ``.convex`` and ``.subgradient_bound()``, e.g. a
    :class:`~dlnsmooth.dynamics.objectives.NonsmoothObjective`) at step α, from ‖β_0 − β*‖² = ``start_sq``
    and D²(c) = ``sublevel_radius_sq(c)``. ``G_sq`` overrides G² = subgradient_bound()² (a sharper proved
    bound). Raises :class:`PremiseFails` for a non-convex objective or an unbounded subgradient."""
    if not getattr(objective, "convex", False):
        raise PremiseFails(f"{getattr(objective, 'name', objective)} is not convex: Prop 5.1 states no envelope")
    bound = objective.subgradient_bound()
    if bound is None:
        raise PremiseFails(f"{getattr(objective, 'name', objective)} has unbounded subgradients: "
                           "Prop 5.1 states no envelope")
    G_sq = Fraction(bound) ** 2 if G_sq is None else G_sq
    level = alpha * G_sq / 2
    D_sq = sublevel_radius_sq(level)
    return Envelope(alpha, G_sq, level, start_sq, D_sq, max(start_sq, D_sq + alpha ** 2 * G_sq))


class _HuberPremise:
    """The Huber loss (10) as the envelope sees it: convex, gradient bounded (G from the spectrum)."""

    name = "Huber loss (10)"
    convex = True

    def __init__(self, G_sq: Fraction) -> None:
        self.G_sq = G_sq

    def subgradient_bound(self) -> Fraction:
        """A rational G ≥ √(G²) (envelope() is handed G² itself, exactly)."""
        return sqrt_upper(self.G_sq)


def huber_envelope(data: RegressionData, beta0: Sequence[Fraction], beta_star: Sequence[Fraction], alpha: Fraction,
                   spectrum: SpectrumBounds, *, G_sq: Fraction | None = None) -> Envelope:
    """:func:`envelope` for the Huber loss with the bounds of the module docstring (``G_sq`` defaults to
    :func:`huber_subgradient_bound_sq`)."""
    G_sq = huber_subgradient_bound_sq(spectrum, data.rows) if G_sq is None else G_sq
    start_sq = sum(((a - b) ** 2 for a, b in zip(beta0, beta_star)), Fraction(0))
    return envelope(_HuberPremise(G_sq), alpha, start_sq,
                    lambda level: huber_sublevel_radius_sq(level, spectrum, data.rows), G_sq=G_sq)


@dataclass
class HuberStep:
    """One iterate of the shadowed run (all balls enclose the true iterate's value): ‖β_k − β*‖ in
    [``distance_lower``, ``distance_upper``], f(β_k) ≤ ``loss_upper``, ‖g_k‖ in [``gradient_lower``,
    ``gradient_upper``], the radius e_k ≥ ‖β_k − c_k‖; ‖c_k‖₂ and f(c_k) as floats for pictures."""

    k: int
    distance_lower: arb
    distance_upper: arb
    loss_upper: arb
    gradient_lower: arb
    gradient_upper: arb
    radius: arb
    norm2: float
    loss_float: float


@dataclass
class HuberRun:
    """A shadowed NDGM run on the Huber loss (independent of any envelope: G only enters the checks);
    ``stopped``: ``"steps"`` (all done) or ``"budget"`` (the time budget ran out first)."""

    alpha: Fraction
    steps: list[HuberStep] = field(default_factory=list)
    stopped: str = "steps"
    seconds: float = 0.0

    @property
    def max_radius(self) -> float:
        """The largest radius e_k of the run (a float of its upper bound)."""
        return max(float(s.radius.mid() + s.radius.rad()) for s in self.steps)

    @property
    def max_distance(self) -> float:
        """The largest proved upper bound on ‖β_k − β*‖ over the run (as a float)."""
        return max(float(s.distance_upper.mid() + s.distance_upper.rad()) for s in self.steps)


@dataclass
class EnvelopeCheck:
    """The envelope checks on a run: ``inside`` (every ‖β_k − β*‖ ≤ R), ``one_step`` (every one-step
    inequality), ``gradient_bounded`` (every ‖g_k‖ ≤ G): True proved at every step, False refuted at some
    step, None undecided somewhere; ``first_failure`` (check, k) of the first refuted/undecided one."""

    envelope: Envelope
    inside: bool | None = True
    one_step: bool | None = True
    gradient_bounded: bool | None = True
    first_failure: tuple[str, int] | None = None

    @property
    def holds(self) -> bool | None:
        outcomes = (self.inside, self.one_step, self.gradient_bounded)
        return False if False in outcomes else (None if None in outcomes else True)

    def record(self, name: str, outcome: bool | None, k: int) -> None:
        """Fold the outcome of check ``name`` at step k into the check's verdict (False wins over None)."""
        current = getattr(self, name)
        if outcome is not True and current is not False:
            setattr(self, name, outcome)
        if outcome is not True and self.first_failure is None:
            self.first_failure = (name, k)


def _decide_le(a: arb, b: arb) -> bool | None:
    """a ≤ b proved (True), a > b proved (False), or undecided (None)."""
    if a <= b:
        return True
    if a > b:
        return False
    return None


def ball_norm2(vector: arb_mat) -> arb:
    """‖v‖₂ of a ball column (an enclosure)."""
    return (vector.transpose() * vector)[0, 0].max(arb(0)).sqrt()


def run_huber(data: RegressionData, beta0: Sequence[Fraction], beta_star: Sequence[Fraction], alpha: Fraction,
              spectrum: SpectrumBounds, *, steps: int = HUBER_STEPS, dps: int = HUBER_DPS,
              progress: bool | None = False, time_budget: float | None = None) -> HuberRun:
    """NDGM β_{k+1} = β_k + (α/N) Zᵀ clip(y − Zβ_k) on the Huber loss from β_0 for ``steps`` steps, shadowed
    in balls (module docstring: centres c_k, radii e_k), recording enclosures of ‖β_k − β*‖, f(β_k) and
    ‖g_k‖ (∇f is (λ_max/N)-Lipschitz, so ‖g(β_k)‖ is within (λ_max/N)e_k of ‖g(c_k)‖; f is G-Lipschitz).
    Stops early (``stopped = "budget"``) when ``time_budget`` seconds are spent; ParameterError/ShapeError
    for bad options."""
    alpha = check_run_options(alpha, steps, dps, time_budget)
    if len(beta0) != data.columns or len(beta_star) != data.columns:
        raise ShapeError(f"β_0 and β* need {data.columns} coordinates (the columns of Z), got {len(beta0)} and "
                         f"{len(beta_star)}")
    started = time.perf_counter()
    deadline = None if time_budget is None else started + time_budget
    run = HuberRun(alpha)
    N = data.rows
    objective = HuberRegression(data, gram_upper=spectrum.upper)  # δ = 1, ℓ from the given spectrum bound
    with working_precision(dps):
        star = arb_mat(len(beta_star), 1, [arb_of(v) for v in beta_star])
        lam_max = arb_of(spectrum.upper)
        G = (lam_max / N).sqrt()
        state = shadow_start(beta0)  # the exact β_0 enclosed, e_0 = 0
        bar = progress_bar(progress, f"Huber NDGM α = {alpha}", total=steps)
        for k in range(steps + 1):
            last = k == steps or deadline is not None and time.perf_counter() > deadline
            if last:
                step = objective.shadow_step(state.centre, state.radius, alpha)
                following = None
            else:
                following, step = shadow_advance(objective, state, alpha)
            centre, radius = state.centre, state.radius
            residual = objective.shadow_data()[2] - step.products
            loss = sum((huber_loss(r) for r in residual.entries()), arb(0)) / N
            diff_norm = ball_norm2(centre - star)
            gradient = ball_norm2(step.subgradient)
            spread = lam_max / N * radius
            run.steps.append(HuberStep(k, (diff_norm - radius).max(arb(0)), diff_norm + radius, loss + G * radius,
                                       (gradient - spread).max(arb(0)), gradient + spread, radius,
                                       float(ball_norm2(centre).mid()), float(loss.mid())))
            if last:
                if k < steps:
                    run.stopped = "budget"
                break
            state = following
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
    run.seconds = time.perf_counter() - started
    return run


def check_envelope(run: HuberRun, env: Envelope, *, dps: int = HUBER_DPS) -> EnvelopeCheck:
    """Decide, on the run's enclosures, ‖β_k − β*‖² ≤ R² (step 0 exactly: R² ≥ ‖β_0 − β*‖² by definition),
    ‖β_{k+1} − β*‖² ≤ ‖β_k − β*‖² − 2α f(β_k) + α²G² (f* = 0) and ‖g_k‖ ≤ G at every step."""
    check = EnvelopeCheck(env)
    with working_precision(dps):
        alpha, G_sq, R_sq = arb_of(env.alpha), arb_of(env.G_sq), arb_of(env.R_sq)
        G = G_sq.sqrt()
        for step in run.steps:
            inside = env.start_sq <= env.R_sq if step.k == 0 else _decide_le(step.distance_upper ** 2, R_sq)
            check.record("inside", inside, step.k)
            check.record("gradient_bounded", _decide_le(step.gradient_upper, G)
                         if not step.gradient_lower > G else False, step.k)
        for before, after in zip(run.steps, run.steps[1:]):
            rhs = before.distance_lower ** 2 - 2 * alpha * before.loss_upper + alpha * alpha * G_sq
            check.record("one_step", _decide_le(after.distance_upper ** 2, rhs), before.k)
    return check


@dataclass
class HuberStudy:
    """The seed's Huber example end to end: data, β_0, β* (exact), the spectrum enclosure, and per α the run,
    its envelope and the envelope checks."""

    data: RegressionData
    beta0: list[Fraction]
    beta_star: list[Fraction]
    spectrum: SpectrumBounds
    runs: list[tuple[HuberRun, Envelope, EnvelopeCheck]] = field(default_factory=list)


def huber_study(*, alphas: Sequence[Fraction] = HUBER_ALPHAS, steps: int = HUBER_STEPS, seed: int = HUBER_SEED,
                dps: int = HUBER_DPS, progress: bool | None = False) -> HuberStudy:
    """:func:`huber_data` (seed), β*, the spectrum, and for each α a shadowed run checked against its envelope."""
    data, beta0 = huber_data(seed=seed)
    spectrum = gram_spectrum(data.Z)
    star = affine_minimiser(data, beta0)
    study = HuberStudy(data, beta0, star, spectrum)
    for alpha in alphas:
        env = huber_envelope(data, beta0, star, alpha, spectrum)
        run = run_huber(data, beta0, star, alpha, spectrum, steps=steps, dps=dps, progress=progress)
        study.runs.append((run, env, check_envelope(run, env, dps=dps)))
    return study


def one_step_holds(data: RegressionData, beta: Sequence[Fraction], beta_star: Sequence[Fraction], alpha: Fraction,
                   G_sq: Fraction) -> tuple[Fraction, Fraction]:
    """Both sides of the one-step inequality at an exact point β, exactly: (‖β⁺ − β*‖², ‖β − β*‖² − 2α f(β) +
    α²G²) with β⁺ = β + (α/N) Zᵀ clip(y − Zβ) (f* = 0 since Zβ* = y)."""
    N = data.rows
    residual = [yi - sum((z * b for z, b in zip(row, beta)), Fraction(0)) for row, yi in zip(data.Z, data.y)]
    clipped = [max(Fraction(-1), min(Fraction(1), r)) for r in residual]
    nxt = [b + alpha / N * sum((data.Z[i][j] * clipped[i] for i in range(N)), Fraction(0)) for j, b in enumerate(beta)]
    loss = sum((huber_loss(r) for r in residual), Fraction(0)) / N
    before = sum(((a - b) ** 2 for a, b in zip(beta, beta_star)), Fraction(0))
    after = sum(((a - b) ** 2 for a, b in zip(nxt, beta_star)), Fraction(0))
    return after, before - 2 * alpha * loss + alpha ** 2 * G_sq


class ScaledSquare:
    """Negative control (a): f(β) = (L/2)β² on R — convex, but ∇f = Lβ is unbounded (no G)."""

    name = "(L/2)β²"
    convex = True

    def __init__(self, L: Fraction) -> None:
        self.L = Fraction(L)

    def value(self, beta: Fraction) -> Fraction:
        return self.L * beta * beta / 2

    def subgradient(self, beta: Fraction) -> Fraction:
        return self.L * beta

    def subgradient_bound(self) -> None:
        return None


class TwoWells:
    """Negative control (b): f(β) = min(|β − 1|, 1/2 + |β + 1|) on R — subgradients bounded by 1 but not convex
    (a global minimum f* = 0 at β* = 1, a local one of value 1/2 at −1). Subgradient: that of the smaller piece
    (the first on a tie), sign(0) = 0."""

    name = "min(|β − 1|, 1/2 + |β + 1|)"
    convex = False

    def value(self, beta: Fraction) -> Fraction:
        return min(abs(beta - 1), Fraction(1, 2) + abs(beta + 1))

    def subgradient(self, beta: Fraction) -> Fraction:
        if abs(beta - 1) <= Fraction(1, 2) + abs(beta + 1):
            return Fraction((beta > 1) - (beta < 1))
        return Fraction((beta > -1) - (beta < -1))

    def subgradient_bound(self) -> Fraction:
        return Fraction(1)


def exact_descent_run(objective: ScaledSquare | TwoWells, alpha: Fraction, beta0: Fraction, steps: int) -> list[Fraction]:
    """β_0, …, β_steps of β_{k+1} = β_k − α g(β_k) on a one-dimensional control, in exact rationals."""
    path = [Fraction(beta0)]
    for _ in range(steps):
        path.append(path[-1] - alpha * objective.subgradient(path[-1]))
    return path
