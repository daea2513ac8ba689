"""Prop 5.1's machinery (dlnsmooth/dynamics/stability.py) against independent small computations: the spectrum
enclosure against numpy, β* against Zβ* = y, the one-step inequality exactly on random rational points, the
sublevel radius, the shadowed ball run against the exact Fraction iteration, and the premise refusals."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.methods import Subgradient
from dlnsmooth.dynamics.objectives import HuberRegression, ParameterError
from dlnsmooth.dynamics.stability import (
    PremiseFails,
    ScaledSquare,
    TwoWells,
    affine_minimiser,
    check_envelope,
    envelope,
    exact_descent_run,
    gram_spectrum,
    huber_envelope,
    huber_loss,
    huber_subgradient_bound_sq,
    huber_sublevel_radius_sq,
    one_step_holds,
    run_huber,
    seeded_start,
)
from dlnsmooth.dynamics.trajectory import iterate
from dlnsmooth.errors import ShapeError


@pytest.fixture(scope="module")
def small():
    data = RegressionData.random(4, 9, 3)
    beta0 = seeded_start(9, 4)
    return data, beta0, gram_spectrum(data.Z), affine_minimiser(data, beta0)


def _exact_huber_path(data, beta0, alpha, steps):
    N = data.rows
    path = [list(beta0)]
    for _ in range(steps):
        beta = path[-1]
        r = [yi - sum(z * b for z, b in zip(row, beta)) for row, yi in zip(data.Z, data.y)]
        c = [max(Fraction(-1), min(Fraction(1), v)) for v in r]
        path.append([b + alpha / N * sum(data.Z[i][j] * c[i] for i in range(N)) for j, b in enumerate(beta)])
    return path


def test_spectrum_encloses_numpy_eigenvalues(small):
    data, _, spectrum, _ = small
    eig = np.linalg.eigvalsh(np.array([[float(v) for v in row] for row in data.Z]) @
                             np.array([[float(v) for v in row] for row in data.Z]).T)
    assert spectrum.lower <= eig.min() * (1 + 1e-12) and spectrum.upper >= eig.max() * (1 - 1e-12)
    assert abs(float(spectrum.lower) - eig.min()) < 1e-9 * eig.max()
    assert abs(float(spectrum.upper) - eig.max()) < 1e-9 * eig.max()


def test_minimiser_solves_the_system_and_singular_data_is_refused(small):
    data, beta0, _, star = small
    assert all(sum(z * b for z, b in zip(row, star)) == yi for row, yi in zip(data.Z, data.y))
    twice = RegressionData([data.Z[0], data.Z[0]], [1, 2])
    with pytest.raises(Exception, match="full row rank"):
        affine_minimiser(twice, beta0)


def test_huber_loss_and_gradient_agree_with_the_engine(small):
    data, beta0, _, _ = small
    engine = HuberRegression(data)
    r = [yi - sum(z * b for z, b in zip(row, beta0)) for row, yi in zip(data.Z, data.y)]
    assert engine.value(beta0) == sum(huber_loss(v) for v in r) / data.rows
    step = _exact_huber_path(data, beta0, Fraction(1), 1)[1]
    assert [b - g for b, g in zip(beta0, engine.subgradient(beta0))] == step
    assert huber_loss(Fraction(3)) == Fraction(5, 2) and huber_loss(Fraction(-1, 2)) == Fraction(1, 8)
    trajectory = iterate(engine, Subgradient(Fraction(3)), beta0, steps=5, arithmetic="exact", detect_cycle=False)
    assert trajectory.final == _exact_huber_path(data, beta0, Fraction(3), 5)[5]


@given(st.lists(st.integers(-300, 300), min_size=9, max_size=9), st.sampled_from([Fraction(1, 10), Fraction(2), Fraction(10)]))
def test_one_step_inequality_holds_exactly_on_random_points(small, numerators, alpha):
    data, _, spectrum, star = small
    beta = [Fraction(n, 100) for n in numerators]
    after, bound = one_step_holds(data, beta, star, alpha, huber_subgradient_bound_sq(spectrum, data.rows))
    assert after <= bound


def test_sublevel_radius_bounds_points_of_the_affine_set(small):
    data, beta0, spectrum, star = small
    level = Fraction(1, 5)
    D_sq = huber_sublevel_radius_sq(level, spectrum, data.rows)
    rng = np.random.default_rng(0)
    seen = 0
    for _ in range(200):  # β = β* + Zᵀw for random small w: exact points of the affine set
        w = [Fraction(int(v), 1000) for v in rng.integers(-60, 60, size=data.rows)]
        beta = [s + sum(data.Z[i][j] * w[i] for i in range(data.rows)) for j, s in enumerate(star)]
        r = [yi - sum(z * b for z, b in zip(row, beta)) for row, yi in zip(data.Z, data.y)]
        if sum(huber_loss(v) for v in r) / data.rows < level:
            seen += 1
            assert sum((b - s) ** 2 for b, s in zip(beta, star)) <= D_sq
    assert seen > 10


@pytest.mark.parametrize("alpha", [Fraction(1, 10), Fraction(3)])
def test_shadowed_run_encloses_the_exact_iteration(small, alpha):
    data, beta0, spectrum, star = small
    steps = 12
    run = run_huber(data, beta0, star, alpha, spectrum, steps=steps)
    exact = _exact_huber_path(data, beta0, alpha, steps)
    for step, beta in zip(run.steps, exact):
        distance = float(sum((b - s) ** 2 for b, s in zip(beta, star))) ** 0.5
        assert float(step.distance_lower.lower()) <= distance * (1 + 1e-12) + 1e-300
        assert distance <= float(step.distance_upper.upper()) * (1 + 1e-12)
    env = huber_envelope(data, beta0, star, alpha, spectrum)
    assert check_envelope(run, env).holds is True
    assert max(float(s.radius.mid()) for s in run.steps) < 1e-25


def test_the_premise_is_refused_for_unbounded_or_nonconvex_losses():
    with pytest.raises(PremiseFails, match="unbounded"):
        envelope(ScaledSquare(Fraction(1)), Fraction(3), Fraction(1), lambda c: c)
    with pytest.raises(PremiseFails, match="not convex"):
        envelope(TwoWells(), Fraction(1, 10), Fraction(1), lambda c: c)
    assert exact_descent_run(ScaledSquare(Fraction(1)), Fraction(3), Fraction(1), 3) == [1, -2, 4, -8]
    assert TwoWells().subgradient(Fraction(-2, 3)) == 1 and TwoWells().subgradient(Fraction(2)) == 1


def test_bad_options_get_clear_errors_and_the_budget_stops_a_run(small):
    data, beta0, spectrum, star = small
    for alpha, steps in ((Fraction(0), 5), (Fraction(-1), 5), (Fraction(1), 0), (Fraction(1), 10 ** 9), (Fraction(1), 2.5)):
        with pytest.raises(ParameterError):
            run_huber(data, beta0, star, alpha, spectrum, steps=steps)
    with pytest.raises(ShapeError, match="coordinates"):
        run_huber(data, beta0[:-1], star, Fraction(1), spectrum, steps=3)
    with pytest.raises(ParameterError, match="budget"):
        run_huber(data, beta0, star, Fraction(1), spectrum, steps=3, time_budget=-1)
    run = run_huber(data, beta0, star, Fraction(1), spectrum, steps=100_000, time_budget=0.05)
    assert run.stopped == "budget" and 1 <= len(run.steps) < 100_001
