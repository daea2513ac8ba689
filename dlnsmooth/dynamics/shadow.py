"""Shadowed ball iteration of NDGM: exact dyadic centres and one proved ℓ₂ radius instead of a box of balls.

Iterating β_{k+1} = T(β_k) = β_k − α g(β_k) componentwise in balls multiplies the radii at every step by the
entrywise-absolute norm of the step's Jacobian enclosure (for a data loss ≈ 1 + α|Zᵀ||Z|/N): the radii grow
geometrically whatever the true contraction, and the precision must rise with the step count. A *shadowed*
run keeps instead

* a centre x_k, enclosed by a column of balls C_k (x_0 = β_0, enclosed as tightly as the precision allows;
  for k ≥ 1, x_k = c_k is exact: the midpoints of the previous image), and
* a proved radius e_k ≥ ‖β_k − x_k‖₂ (an exact non-negative dyadic; e_0 = 0).

One step (:func:`shadow_advance`): the objective's :meth:`shadow_step` returns (a) a ball column I_k enclosing
T(x_k), computed from C_k, and (b) a proved Lipschitz constant ℓ_k of T on the ball B(x_k, e_k) (‖·‖₂), valid
for every x_k ∈ C_k. Then, with c_{k+1} = mid(I_k) and δ_k = ‖rad(I_k)‖₂ ≥ ‖T(x_k) − c_{k+1}‖₂,

    ‖β_{k+1} − c_{k+1}‖ ≤ ‖T(β_k) − T(x_k)‖ + ‖T(x_k) − c_{k+1}‖ ≤ ℓ_k e_k + δ_k =: e_{k+1}    (rounded up).

For a piecewise-smooth subgradient, ℓ_k exists only when the pattern of pieces (signs of β_j, the ReLU
activity, the saturated Huber rows) is constant on the ball; otherwise the objective raises
:class:`~dlnsmooth.dynamics.objectives.UndecidedKink` (the caller raises the precision, which shrinks e_k,
or stops with ``"kink"``). The radii stay near the working precision as long as ℓ_k ≈ 1, so runs of
thousands of steps on 50 × 200 data need ~40 digits instead of ~1300.

This module also holds the exact helpers the shadowed runs share: conversions between exact numbers and
balls, the 2-norm of a column's radii, and proved bounds on the spectrum of a Gram matrix ZZᵀ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple, Protocol

import numpy as np
from flint import arb, arb_mat, fmpq, fmpz_mat

from ..precision import working_precision

__all__ = [
    "SpectrumBounds", "ShadowStep", "ShadowState", "ShadowObjective", "to_fraction", "lower_fraction",
    "upper_fraction", "arb_of", "radius_norm2", "ball_column", "gram_spectrum", "gram_upper_bound",
    "GRAM_CHARPOLY_ROWS", "shadow_start", "shadow_advance", "shadow_box", "shadow_run",
]

#: Gram matrices ZZᵀ with at most this many rows get the characteristic-polynomial bound, larger ones Gershgorin's
GRAM_CHARPOLY_ROWS = 120


# exact numbers and balls ----------------------------------------------------------------------------------------

def to_fraction(x: arb | fmpq | int | Fraction) -> Fraction:
    """An exact number (an exact ball's midpoint, an fmpq, an int) as a Fraction."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, fmpq):
        return Fraction(int(x.p), int(x.q))
    mantissa, exponent = x.mid().man_exp()
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2 ** exponent) if exponent >= 0 else Fraction(mantissa, 2 ** -exponent)


def lower_fraction(x: arb) -> Fraction:
    """An exact rational ≤ every point of the ball: midpoint − radius, both exact dyadics."""
    return to_fraction(x.mid()) - to_fraction(arb(x.rad()))


def upper_fraction(x: arb) -> Fraction:
    """An exact rational ≥ every point of the ball: midpoint + radius."""
    return to_fraction(x.mid()) + to_fraction(arb(x.rad()))


def arb_of(value: Fraction | int) -> arb:
    """A Fraction as a ball (exact when dyadic, else a tight enclosure at the current precision)."""
    value = Fraction(value)
    return arb(fmpq(value.numerator, value.denominator))


def ball_column(values: Sequence[Fraction | arb]) -> arb_mat:
    """A column of balls from exact numbers (enclosed at the current precision) or balls."""
    return arb_mat(len(values), 1, [v if isinstance(v, arb) else arb_of(v) for v in values])


def radius_norm2(vector: arb_mat) -> arb:
    """An upper bound on ‖v − mid(v)‖₂ over the column's balls (the 2-norm of the radii)."""
    offset = vector - vector.mid()
    return arb((offset.transpose() * offset)[0, 0].abs_upper()).sqrt()


def _upper(x: arb) -> arb:
    """An exact ball (radius 0) ≥ every point of ``x`` (for x ≥ 0: an upper bound; arb's ``abs_upper``)."""
    return x.abs_upper()


# spectra of Gram matrices ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpectrumBounds:
    """Proved bounds ``lower ≤ λ_min(ZZᵀ)`` and ``λ_max(ZZᵀ) ≤ upper`` (exact rationals) of a Gram matrix."""

    lower: Fraction
    upper: Fraction


def _integer_matrix(Z: Sequence[Sequence[Fraction]]) -> tuple[fmpz_mat, int]:
    denominator = int(np.lcm.reduce([int(v.denominator) for row in Z for v in row]))
    return fmpz_mat([[int(v * denominator) for v in row] for row in Z]), denominator


def gram_spectrum(Z: Sequence[Sequence[Fraction]], *, dps: int = 30) -> SpectrumBounds:
    """Enclosures of the extreme eigenvalues of ZZᵀ (Z given exactly, N × P): the characteristic polynomial of
    the integer matrix d²ZZᵀ (d the common denominator) is computed exactly and its roots enclosed by
    python-flint's certified ``complex_roots``; the eigenvalues are real, so the real parts' endpoints bound
    them. ``lower`` is rounded down, ``upper`` up."""
    M, d = _integer_matrix(Z)
    gram = M * M.transpose()
    with working_precision(dps):
        roots = gram.charpoly().complex_roots()
        lows = [lower_fraction(root.real) for root, _ in roots]
        highs = [upper_fraction(root.real) for root, _ in roots]
    return SpectrumBounds(max(Fraction(0), min(lows)) / d ** 2, max(highs) / d ** 2)


def gram_upper_bound(Z: Sequence[Sequence[Fraction]]) -> Fraction:
    """An exact rational ≥ λ_max(ZZᵀ) = λ_max(ZᵀZ) = ‖Z‖₂²: :func:`gram_spectrum`'s for at most
    :data:`GRAM_CHARPOLY_ROWS` rows, else Gershgorin's max_i Σ_j |(ZZᵀ)_ij| (every eigenvalue of a symmetric
    matrix lies in a Gershgorin disc)."""
    if len(Z) <= GRAM_CHARPOLY_ROWS:
        return gram_spectrum(Z).upper
    M, d = _integer_matrix(Z)
    gram = M * M.transpose()
    n = gram.nrows()
    largest = max(sum(abs(int(gram[i, j])) for j in range(n)) for i in range(n))
    return Fraction(largest, d * d)


# the shadowed iteration -----------------------------------------------------------------------------------------

class ShadowStep(NamedTuple):
    """What an objective returns for one shadowed step from a centre x ∈ C with radius e:
    ``image`` ⊇ T(x) = x − α g(x) (a ball column), ``lipschitz`` ≥ the ‖·‖₂-Lipschitz constant of T on B(x, e)
    (a ball whose upper end is used), ``subgradient`` ⊇ g(x), and ``products`` ⊇ Zx (data objectives; else
    None) — the last two for callers that record the loss or the gradient at the centre."""

    image: arb_mat
    lipschitz: arb
    subgradient: arb_mat
    products: arb_mat | None = None


class ShadowObjective(Protocol):
    """An objective that supports the shadowed iteration (see :class:`ShadowStep`)."""

    dimension: int

    def shadow_step(self, centre: arb_mat, radius: arb, alpha: Fraction) -> ShadowStep: ...


@dataclass
class ShadowState:
    """The shadowed iterate at step ``step``: β_step ∈ B(x, ``radius``) (‖·‖₂) for a centre x enclosed by the
    ball column ``centre`` (exact dyadic balls for step ≥ 1); ``radius`` is an exact ball (radius 0)."""

    centre: arb_mat
    radius: arb
    step: int = 0


def shadow_start(beta0: Sequence[Fraction | arb], step: int = 0) -> ShadowState:
    """The state at ``step`` (default 0) for the exact β: x = β enclosed by balls at the current precision, e = 0."""
    return ShadowState(ball_column(list(beta0)), arb(0), step)


def shadow_advance(objective: ShadowObjective, state: ShadowState, alpha: Fraction) -> tuple[ShadowState, ShadowStep]:
    """One step (module docstring): e_{k+1} = ℓ_k e_k + δ_k rounded up, c_{k+1} = mid(T(C_k)). Returns the new
    state and the objective's :class:`ShadowStep` at the old centre. Raises
    :class:`~dlnsmooth.dynamics.objectives.UndecidedKink` when the pattern of pieces is not constant on the ball."""
    step = objective.shadow_step(state.centre, state.radius, alpha)
    spread = radius_norm2(step.image)
    radius = spread if state.radius == 0 else step.lipschitz * state.radius + spread
    return ShadowState(step.image.mid(), _upper(radius), state.step + 1), step


def shadow_box(state: ShadowState) -> list[arb]:
    """Per-coordinate enclosures of β_k: C_j ± e (|β_j − x_j| ≤ ‖β − x‖₂ ≤ e)."""
    if state.radius == 0:
        return list(state.centre.entries())
    widen = arb(0, state.radius)
    return [c + widen for c in state.centre.entries()]


def shadow_run(objective: ShadowObjective, alpha: Fraction, beta0: Sequence[Fraction], steps: int, *,
               on_state: Callable[[ShadowState], bool | None] | None = None) -> ShadowState:
    """``steps`` shadowed steps from the exact β_0 at the current precision; ``on_state(state)`` sees every state
    (k = 0..steps) and stops the run by returning True. The last state is returned (UndecidedKink propagates)."""
    state = shadow_start(beta0)
    if on_state is not None and on_state(state):
        return state
    for _ in range(steps):
        state, _ = shadow_advance(objective, state, alpha)
        if on_state is not None and on_state(state):
            break
    return state
