"""Methods as maps of states: each step against its formula written out here with plain Fractions / mpmath,
SGD = NDGM without data, momentum's jump away from 0 (seed (17)), RMSProp's effective step (seed (21)),
parameter validation."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest
from flint import arb

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.methods import MethodState, Momentum, RMSProp, StochasticSubgradient, Subgradient
from dlnsmooth.dynamics.objectives import GeneralLasso, HuberRegression, ParameterError, ToyLasso
from dlnsmooth.dynamics.trajectory import iterate
from dlnsmooth.errors import ParseError
from dlnsmooth.precision import working_precision


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def test_subgradient_step_is_beta_minus_alpha_g_on_data():
    data = RegressionData.random(5, 3, 2)
    objective = HuberRegression(data, delta=Fraction(1, 4))
    beta0 = [Fraction(1, 2), Fraction(-1, 3), Fraction(2)]
    run = iterate(objective, Subgradient("0.3"), beta0, steps=3, detect_cycle=False, progress=False)
    beta = beta0
    for _ in range(3):
        beta = [b - Fraction(3, 10) * g for b, g in zip(beta, objective.subgradient(beta))]
    assert run.final == beta


def test_sgd_without_data_is_ndgm():
    beta0 = ["0.5053", "-0.2511", "0.0007"]
    plain = iterate(ToyLasso(3, 3), Subgradient("0.01"), beta0, steps=40, progress=False)
    stochastic = iterate(ToyLasso(3, 3), StochasticSubgradient("0.01", batch=1, seed=5), beta0, steps=40,
                         progress=False)
    assert stochastic.final == plain.final and stochastic.losses == plain.losses and stochastic.cycle == plain.cycle


def test_sgd_on_data_uses_seeded_minibatches():
    data = RegressionData.random(8, 2, 3)
    objective = GeneralLasso(data, lam="0.1")
    method = StochasticSubgradient("0.05", batch=3, seed=9)
    batches = [method.rows(objective, i) for i in range(4)]
    assert all(len(b) == 3 == len(set(b)) and b == sorted(b) for b in batches)
    assert batches == [StochasticSubgradient("0.05", batch=3, seed=9).rows(objective, i) for i in range(4)]
    run = iterate(objective, method, ["0.2", "0.1"], steps=4, progress=False)
    assert run.cycle is None and any("depends on its index" in n for n in run.notes)
    beta = [Fraction(1, 5), Fraction(1, 10)]
    for rows in batches:
        g = objective.exact_subgradient(objective.exact_point(beta), rows).to_fractions()
        beta = [b - Fraction(1, 20) * gk for b, gk in zip(beta, g)]
    assert run.final == beta
    full = iterate(objective, Subgradient("0.05"), ["0.2", "0.1"], steps=4, progress=False)
    assert full.final != run.final


def test_momentum_matches_the_seed_recursion_and_jumps_away_from_zero():
    alpha, eta, lam = Fraction(1, 10), Fraction(3, 5), Fraction(2)
    beta0 = [Fraction(1, 5), Fraction(-7, 10)]
    run = iterate(ToyLasso(lam, 2), Momentum(alpha, eta), beta0, steps=6, detect_cycle=False, progress=False)
    previous, current = beta0, beta0  # β_{−1} = β_0
    history = [beta0]
    for _ in range(6):
        following = [b - alpha * (1 - eta) * lam * _sign(b) + eta * (b - p) for b, p in zip(current, previous)]
        previous, current = current, following
        history.append(current)
    assert run.final == current
    assert [run.iterate_at(k) for k in range(7)] == history
    # seed (17): from β_N[k] = 0 the next iterate is −η β_{N−1}[k] ≠ 0 (Prop. B.3)
    at_zero = iterate(ToyLasso(1, 1), Momentum(Fraction(1, 10), eta), [Fraction(1, 10)], steps=2, detect_cycle=False,
                      progress=False)
    beta1, beta2 = at_zero.iterate_at(1), at_zero.iterate_at(2)
    assert beta1 == [Fraction(1, 10) - Fraction(1, 10) * (1 - eta)]
    zero_start = Momentum(Fraction(1, 10), eta)
    state = MethodState(ToyLasso(1, 1).exact_point([0]), (ToyLasso(1, 1).exact_point([Fraction(1, 4)]),))
    following = zero_start.exact_step(ToyLasso(1, 1), state, 0)
    assert following.beta.to_fractions() == [-eta * Fraction(1, 4)]
    assert beta2 == [beta1[0] - Fraction(1, 10) * (1 - eta) + eta * (beta1[0] - Fraction(1, 10))]


def test_rmsprop_effective_step_is_the_seed_formula_21():
    """On λ‖β‖₁ away from 0: β_{i+1} − β_i = −α/√(1 + ε̄/λ² − γ^{i+1})·sign β_i, enclosed by the balls."""
    alpha, gamma, eps_bar, lam = Fraction(1, 10), Fraction(9, 10), Fraction(1, 1000), Fraction(3)
    method = RMSProp(alpha, gamma, eps_bar)
    run = iterate(ToyLasso(lam, 2), method, ["5", "-7"], steps=8, progress=False)
    assert run.arithmetic == "ball" and run.cycle is None
    with working_precision(50):
        states = [run.iterate_at(k) for k in range(9)]
        for i in range(8):
            with mp.workdps(60):
                step = mp.mpf(1) / 10 / mp.sqrt(1 + mp.mpf(1) / 9000 - (mp.mpf(9) / 10) ** (i + 1))
            expected = arb(mp.nstr(step, 45), 1e-44)
            for k, sign in ((0, 1), (1, -1)):
                moved = states[i + 1][k] - states[i][k]
                assert moved.overlaps(-sign * expected) and moved.rad() < 1e-40
            assert method.effective_step_ball(lam, i).overlaps(expected)


def test_rmsprop_cannot_run_exactly():
    with pytest.raises(ParameterError, match="ball"):
        iterate(ToyLasso(1, 1), RMSProp("0.1"), [1], steps=2, arithmetic="exact")


@pytest.mark.parametrize("build", [
    lambda: Subgradient(0), lambda: Subgradient("-0.1"), lambda: Subgradient("nan"),
    lambda: Momentum("0.1", 1), lambda: Momentum("0.1", "-0.1"),
    lambda: RMSProp("0.1", gamma=1), lambda: RMSProp("0.1", gamma=0), lambda: RMSProp("0.1", eps_bar="-1e-8"),
    lambda: StochasticSubgradient("0.1", batch=0), lambda: StochasticSubgradient("0.1", seed=-1),
], ids=["alpha=0", "alpha<0", "alpha-nan", "eta=1", "eta<0", "gamma=1", "gamma=0", "eps<0", "batch=0", "seed<0"])
def test_bad_method_parameters_are_refused(build):
    with pytest.raises((ParameterError, ParseError)) as info:
        build()
    assert "\n" not in str(info.value)
