"""The shadowed ball iteration (dlnsmooth.dynamics.shadow): its proved radius e_k ≥ ‖β_k − c_k‖₂ is checked
against the exact rational iteration, mutants of the radius update are caught by exact comparisons, and an
undecided kink makes the run escalate its precision or stop with "kink"."""

from __future__ import annotations

from fractions import Fraction

import pytest
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.methods import Momentum, Subgradient
from dlnsmooth.dynamics.objectives import GeneralLasso, HuberRegression, ReluLasso, ToyLasso
from dlnsmooth.dynamics.shadow import (
    ShadowState,
    ShadowStep,
    gram_spectrum,
    gram_upper_bound,
    lower_fraction,
    shadow_advance,
    shadow_run,
    shadow_start,
    to_fraction,
    upper_fraction,
)
from dlnsmooth.dynamics.trajectory import iterate, shadowed
from dlnsmooth.precision import working_precision


def exact_path(objective, alpha: Fraction, beta0: list[Fraction], steps: int) -> list[list[Fraction]]:
    """β_0, …, β_steps of NDGM in exact rationals (the engine's exact step)."""
    path: list[list[Fraction]] = []
    iterate(objective, Subgradient(alpha), beta0, steps=steps, arithmetic="exact", detect_cycle=False, record=False,
            max_bits=10 ** 7, progress=False, observe=lambda k, state: path.append(state.beta.to_fractions()))
    return path


def gaps(objective, alpha: Fraction, beta0: list[Fraction], steps: int, *, dps: int = 20,
         advance=shadow_advance) -> list[tuple[Fraction, Fraction]]:
    """(‖c_k − β_k‖₂², e_k²) exactly for k = 1..steps: the centre and radius of a shadowed run against the exact
    iterate (``advance`` is the step rule, a mutant in the negative controls)."""
    path = exact_path(objective, alpha, beta0, steps)
    out = []
    with working_precision(dps):
        state = shadow_start(beta0)
        for k in range(1, steps + 1):
            state = advance(objective, state, alpha)[0]
            centre = [to_fraction(c) for c in state.centre.entries()]
            distance_sq = sum(((c - b) ** 2 for c, b in zip(centre, path[k])), Fraction(0))
            out.append((distance_sq, to_fraction(state.radius) ** 2))
    return out


def honest(pairs: list[tuple[Fraction, Fraction]], *, rounded: bool = True) -> bool:
    """Every ‖c_k − β_k‖₂ ≤ e_k; with ``rounded``, also e > 0 at the end (the run did round: a run that stayed
    exact would prove nothing about the radius update)."""
    return all(distance_sq <= radius_sq for distance_sq, radius_sq in pairs) and (not rounded or pairs[-1][1] > 0)


cells = st.integers(-99, 99).map(lambda n: Fraction(n, 100))


def data_of(rows: int, columns: int):
    return st.tuples(st.lists(st.lists(cells, min_size=columns, max_size=columns), min_size=rows, max_size=rows),
                     st.lists(cells, min_size=rows, max_size=rows))


@settings(max_examples=8)
@given(data=data_of(3, 4), beta0=st.lists(cells, min_size=4, max_size=4),
       alpha=st.sampled_from([Fraction(1, 10), Fraction(7, 10), Fraction(3)]))
def test_shadow_radius_bounds_the_exact_huber_iteration(data, beta0, alpha):
    objective = HuberRegression(RegressionData(*data))
    assert honest(gaps(objective, alpha, beta0, 12), rounded=False)


@settings(max_examples=8)
@given(data=data_of(3, 4), beta0=st.lists(cells.filter(bool), min_size=4, max_size=4),
       alpha=st.sampled_from([Fraction(1, 100), Fraction(1, 10)]), lam=st.sampled_from([Fraction(0), Fraction(1, 3)]))
def test_shadow_radius_bounds_the_exact_general_lasso_iteration(data, beta0, alpha, lam):
    objective = GeneralLasso(RegressionData(*data), lam=lam)
    assert honest(gaps(objective, alpha, beta0, 10), rounded=False)


def test_shadow_radius_bounds_relu_lasso_and_toy_lasso():
    data = RegressionData.random(4, 3, 7)
    start = [Fraction(1, 3), Fraction(-2, 7), Fraction(5, 11)]
    assert honest(gaps(ReluLasso(data, lam1=Fraction(1, 10), lam2=Fraction(1, 7)), Fraction(1, 30), start, 10))
    assert honest(gaps(ToyLasso(Fraction(1, 3), 3), Fraction(1, 10), start, 5))


def test_trajectory_ball_path_is_shadowed_and_encloses_the_exact_iterates():
    data = RegressionData.random(5, 8, 3)
    objective, alpha = HuberRegression(data), Fraction(1, 10)
    start = [Fraction(j - 4, 9) for j in range(8)]
    assert shadowed(objective, Subgradient(alpha)) and not shadowed(objective, Momentum(alpha))
    boxes = []
    run = iterate(objective, Subgradient(alpha), start, steps=25, arithmetic="ball", dps=20, progress=False,
                  observe=lambda k, state: boxes.append(list(state.beta)))
    assert run.stopped == "steps" and run.dps == 20 and run.shadow_radius is not None
    assert any("shadowed" in note for note in run.notes)
    for box, exact in zip(boxes, exact_path(objective, alpha, start, 25)):
        assert all(lower_fraction(b) <= v <= upper_fraction(b) for b, v in zip(box, exact))
    exact_losses = iterate(objective, Subgradient(alpha), start, steps=25, arithmetic="exact", detect_cycle=False,
                           progress=False).losses
    assert all(lower_fraction(ball) <= value <= upper_fraction(ball) for ball, value in zip(run.losses, exact_losses))


# negative controls: mutants of the radius update are caught by the exact comparison ----------------------------

def drop_rounding(objective, state: ShadowState, alpha: Fraction) -> tuple[ShadowState, ShadowStep]:
    """Mutant: e_{k+1} = ℓ_k e_k (the rounding radius δ_k dropped)."""
    step = objective.shadow_step(state.centre, state.radius, alpha)
    return ShadowState(step.image.mid(), (step.lipschitz * state.radius).abs_upper(), state.step + 1), step


def lipschitz_one(objective, state: ShadowState, alpha: Fraction) -> tuple[ShadowState, ShadowStep]:
    """Mutant: ℓ_k = 1 whatever the step map."""
    class Unit:
        dimension = objective.dimension

        def shadow_step(self, centre, radius, alpha):
            return objective.shadow_step(centre, radius, alpha)._replace(lipschitz=arb(1))
    return shadow_advance(Unit(), state, alpha)


def test_dropping_the_rounding_radius_is_caught():
    data = RegressionData.random(3, 4, 2)
    start = [Fraction(1, 3), Fraction(-1, 7), Fraction(2, 9), Fraction(1, 11)]
    assert honest(gaps(HuberRegression(data), Fraction(1, 10), start, 6))
    assert not honest(gaps(HuberRegression(data), Fraction(1, 10), start, 6, advance=drop_rounding))


def test_lipschitz_one_is_caught_where_the_step_map_expands():
    """W = [1], y = 0, α = 3/2: T(β) = β − 2αβ = −2β doubles every error (ℓ = 2αΛ/N − 1 = 2 is needed); the
    start 1/3 is not dyadic, so the first step rounds and the rounding error then doubles at every step."""
    objective = GeneralLasso(RegressionData([[Fraction(1)]], [Fraction(0)]), lam=0)
    start = [Fraction(1, 3)]
    assert honest(gaps(objective, Fraction(3, 2), start, 20))
    assert not honest(gaps(objective, Fraction(3, 2), start, 20, advance=lipschitz_one))
    # the same for Huber, inside its quadratic region (|β| < 1): T(β) = β − 3β = −2β
    huber = HuberRegression(RegressionData([[Fraction(1)]], [Fraction(0)]))
    tiny = [Fraction(1, 3 * 10 ** 9)]
    assert honest(gaps(huber, Fraction(3), tiny, 20))
    assert not honest(gaps(huber, Fraction(3), tiny, 20, advance=lipschitz_one))


# kinks: a sign that the ball cannot decide -----------------------------------------------------------------------

def kink_problem(offset: Fraction) -> tuple[GeneralLasso, list[Fraction]]:
    """W = [1, 0], y = 0, λ = 1, α = 1/100: the second coordinate has no data term and moves by ∓αλ = ∓1/100
    from 3/100 + offset, reaching exactly ``offset`` at step 3 (0 when offset = 0: the exact run sits on the kink)."""
    data = RegressionData([[Fraction(1), Fraction(0)]], [Fraction(0)])
    return GeneralLasso(data, lam=1), [Fraction(1, 2), Fraction(3, 100) + offset]


def test_a_shadowed_run_on_the_kink_stops_with_kink_at_the_precision_cap():
    objective, start = kink_problem(Fraction(0))
    assert exact_path(objective, Fraction(1, 100), start, 3)[3][1] == 0
    run = iterate(objective, Subgradient("0.01"), start, steps=10, arithmetic="ball", dps=15, max_dps=60,
                  progress=False)
    assert run.stopped == "kink" and run.steps_done == 3 and run.dps == 60 and run.cycle is None
    assert any("sign undecided" in note for note in run.notes)


def test_a_near_kink_is_decided_after_raising_the_precision():
    objective, start = kink_problem(Fraction(1, 10 ** 25))
    low = iterate(objective, Subgradient("0.01"), start, steps=6, arithmetic="ball", dps=15, max_dps=15,
                  progress=False)
    assert low.stopped == "kink" and low.steps_done == 3
    raised = iterate(objective, Subgradient("0.01"), start, steps=6, arithmetic="ball", dps=15, max_dps=200,
                     progress=False)
    assert raised.stopped == "steps" and raised.dps > 15
    exact = exact_path(objective, Fraction(1, 100), start, 6)[6]
    assert exact[1] == Fraction(1, 10 ** 25) - Fraction(1, 100)  # 3/100 + ε → ε (step 3) → ε − 1/100 → ε → …
    assert all(lower_fraction(b) <= v <= upper_fraction(b) for b, v in zip(raised.final, exact))


def test_shadow_run_without_kink_handling_raises_undecided_kink():
    objective, start = kink_problem(Fraction(0))
    with working_precision(15), pytest.raises(Exception, match="sign undecided"):
        shadow_run(objective, Fraction(1, 100), start, 5)


def test_gram_upper_bound_is_above_the_spectrum_and_gershgorin_for_large_row_counts(monkeypatch):
    data = RegressionData.random(6, 9, 4)
    spectrum = gram_spectrum(data.Z)
    assert gram_upper_bound(data.Z) == spectrum.upper
    monkeypatch.setattr("dlnsmooth.dynamics.shadow.GRAM_CHARPOLY_ROWS", 2)
    assert gram_upper_bound(data.Z) >= spectrum.upper
