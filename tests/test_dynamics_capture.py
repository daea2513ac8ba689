"""Prop 3.1's machinery (dlnsmooth/dynamics/capture.py): the loss and subgradient against the engine's ReluLasso,
the fmpq run against a Fraction loop, the property's decisions, the search's witness re-verified here with an
independent Fraction loop, and the smooth counterpart's step."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dlnsmooth.dynamics.capture import (
    CAPTURE_LAMBDA1,
    CAPTURE_LAMBDA2,
    CAPTURE_STEPS,
    ExactRun,
    capture_data,
    capture_property,
    capture_start,
    exact_relu_lasso_run,
    exact_smooth_run,
    relu_lasso_subgradient,
    relu_lasso_value,
    search_capture_case,
    smooth_step,
    smooth_value,
)
from dlnsmooth.dynamics.objectives import ReluLasso
from dlnsmooth.errors import DataError


@pytest.fixture(scope="module")
def small():
    return capture_data(3, rows=4, columns=6), capture_start(3, columns=6, scale=Fraction(1))


def test_loss_and_subgradient_agree_with_the_engine(small):
    data, beta = small
    engine = ReluLasso(data, lam1=CAPTURE_LAMBDA1)
    assert relu_lasso_value(data, CAPTURE_LAMBDA1, beta) == engine.value(beta)
    assert relu_lasso_subgradient(data, CAPTURE_LAMBDA1, beta) == engine.subgradient(beta)


def test_the_fmpq_runs_match_fraction_loops(small):
    data, beta0 = small
    alpha, steps = Fraction(1, 10), 6
    run = exact_relu_lasso_run(data, CAPTURE_LAMBDA1, alpha, beta0, steps)
    beta = list(beta0)
    for k in range(steps + 1):
        assert run.losses[k] == relu_lasso_value(data, CAPTURE_LAMBDA1, beta)
        assert run.norms_inf[k] == max(abs(b) for b in beta)
        if k < steps:
            beta = [b - alpha * g for b, g in zip(beta, relu_lasso_subgradient(data, CAPTURE_LAMBDA1, beta))]
    assert run.final == beta
    smooth = exact_smooth_run(data, CAPTURE_LAMBDA2, alpha, beta0, 2)
    assert smooth.losses[0] == smooth_value(data, CAPTURE_LAMBDA2, beta0)


def test_property_decisions():
    run = ExactRun(losses=[Fraction(3), Fraction(2), Fraction(2)], norms_inf=[Fraction(1, 2), Fraction(3, 2), 1],
                   argmax_inf=[0, 4, 1])
    prop = capture_property(run)
    assert prop.not_captured and (prop.escape_step, prop.escape_coordinate, prop.escape_value) == (1, 4, Fraction(3, 2))
    run.losses[2] = Fraction(2) + Fraction(1, 10 ** 30)
    assert capture_property(run).first_increase == 1 and not capture_property(run).not_captured
    run.norms_inf = [Fraction(1), Fraction(1), Fraction(1)]  # ‖β_0‖∞ = 1 is not inside, = 1 is not escaping
    assert not capture_property(run).start_inside and not capture_property(run).escaped


def test_the_search_witness_reverified_with_an_independent_loop():
    case = search_capture_case()
    Z, q, beta = case.data.Z, case.data.y, list(case.start)
    assert max(abs(b) for b in beta) < 1 and sum(b * b for b in beta) < 1
    losses, escaped = [], False
    for k in range(CAPTURE_STEPS + 1):
        u = [sum(z * b for z, b in zip(row, beta)) for row in Z]
        losses.append(sum((max(Fraction(0), v) - w) ** 2 for v, w in zip(u, q)) + Fraction(1, 100) * sum(map(abs, beta)))
        escaped = escaped or max(abs(b) for b in beta) > 1
        if k == CAPTURE_STEPS:
            break
        grad = [2 * sum(Z[i][j] * (u[i] - q[i]) for i in range(len(Z)) if u[i] > 0) + Fraction(1, 100) * ((b > 0) - (b < 0))
                for j, b in enumerate(beta)]
        beta = [b - case.alpha * g for b, g in zip(beta, grad)]
    assert escaped and all(b <= a for a, b in zip(losses, losses[1:]))
    assert losses == case.run.losses


def test_the_search_reports_failure_clearly():
    with pytest.raises(DataError, match="no witness"):
        search_capture_case(seeds=range(2), alphas=(Fraction(1, 10 ** 6),))


def test_the_smooth_step_respects_the_lipschitz_constant():
    data = capture_data(3, rows=5, columns=7)
    L_bar, alpha = smooth_step(data, CAPTURE_LAMBDA2)
    Z = np.array([[float(v) for v in row] for row in data.Z])
    assert float(L_bar) >= 2 * np.linalg.eigvalsh(Z.T @ Z).max() + 0.02 and alpha * L_bar == 1
