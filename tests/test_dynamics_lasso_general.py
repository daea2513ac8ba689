"""The general-LASSO simulation (dlnsmooth/dynamics/lasso_general.py) against an exact Fraction iteration on a
small problem, the engine's loss, the ordering semantics and the refusal to guess an undecided sign."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.lasso_general import LassoRun, lasso_value, ordering_proved, run_lasso, run_lasso_adaptive
from dlnsmooth.dynamics.objectives import GeneralLasso, ParameterError
from dlnsmooth.dynamics.stability import seeded_start
from dlnsmooth.errors import ShapeError


def _exact_path(data, lam, alpha, beta0, steps):
    N = data.rows
    beta = list(beta0)
    for _ in range(steps):
        r = [sum(z * b for z, b in zip(row, beta)) - yi for row, yi in zip(data.Z, data.y)]
        beta = [b - alpha * (Fraction(2, N) * sum(data.Z[i][j] * r[i] for i in range(N)) + lam * ((b > 0) - (b < 0)))
                for j, b in enumerate(beta)]
    return beta


@pytest.mark.parametrize("lam", [Fraction(1, 100), Fraction(10)])
def test_final_norm_interval_contains_the_exact_norm(lam):
    data = RegressionData.random(3, 8, 5)
    beta0 = seeded_start(8, 6)
    steps = 15
    run = run_lasso(data, lam, Fraction(1, 100), beta0, steps=steps)
    exact = _exact_path(data, lam, Fraction(1, 100), beta0, steps)
    norm1 = sum(abs(b) for b in exact)
    assert run.status == "done"
    assert run.norm1_lower <= norm1 <= run.norm1_upper
    assert run.norm1_upper - run.norm1_lower < Fraction(1, 10 ** 25)
    assert abs(run.norms1[-1] - float(norm1)) < 1e-12


def test_loss_matches_the_engine():
    data = RegressionData.random(3, 8, 5)
    beta = seeded_start(8, 7)
    assert lasso_value(data, Fraction(3), beta) == GeneralLasso(data, lam=Fraction(3)).value(beta)


def test_an_exact_zero_crossing_is_undecided_not_guessed():
    # W = 0: the toy LASSO; β_0 = 1/5 = 2αλ reaches 0 exactly at step 2, which no ball of 1/10 can decide
    data = RegressionData([[0]], [0])
    run = run_lasso_adaptive(data, Fraction(1), Fraction(1, 10), [Fraction(1, 5)], steps=4, dps=20, max_dps=80)
    assert (run.status, run.undecided_at, run.dps) == ("undecided", 2, 80)
    # dyadic numbers are exact in balls: β_0 = 1/2, αλ = 1/4 hits 0 and the sign 0 is decided
    run = run_lasso(data, Fraction(1), Fraction(1, 4), [Fraction(1, 2)], steps=4)
    assert run.status == "done" and run.final_centre == [0]


def test_ordering_needs_separated_decided_intervals():
    def fake(low, high, status="done"):
        return LassoRun(Fraction(1), Fraction(1), 1, 20, status=status, norm1_lower=Fraction(low), norm1_upper=Fraction(high))
    assert ordering_proved(fake(3, 4), fake(1, 2)) is True
    assert ordering_proved(fake(1, 2), fake(3, 4)) is False
    assert ordering_proved(fake(1, 3), fake(2, 4)) is None
    assert ordering_proved(fake(3, 4, "undecided"), fake(1, 2)) is None


def test_bad_options_get_clear_errors_and_the_budget_stops_a_run():
    data = RegressionData.random(3, 8, 5)
    beta0 = seeded_start(8, 6)
    with pytest.raises(ParameterError, match="λ"):
        run_lasso(data, Fraction(-1), Fraction(1, 100), beta0, steps=3)
    with pytest.raises(ParameterError, match="α"):
        run_lasso(data, Fraction(1), Fraction(0), beta0, steps=3)
    with pytest.raises(ShapeError):
        run_lasso(data, Fraction(1), Fraction(1, 100), beta0 + [Fraction(0)], steps=3)
    run = run_lasso(data, Fraction(1), Fraction(1, 100), beta0, steps=10 ** 6, time_budget=0.05)
    assert run.status == "budget" and 1 <= run.steps < 10 ** 6
