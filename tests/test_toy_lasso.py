"""The toy LASSO theory (dlnsmooth/dynamics/toy_lasso.py) and the RMSProp analysis (rmsprop_analysis.py): closed forms
against brute-force Fraction loops written here, the symbolic proofs (and their pieces failing when the premise is
missing), the momentum search, the RMSProp step and its bound, the amplitude check and input validation."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

from dlnsmooth.dynamics import rmsprop_analysis as rms
from dlnsmooth.dynamics import toy_lasso as toy
from dlnsmooth.errors import DlnsmoothError, DomainError, ShapeError
from dlnsmooth.precision import working_precision

F = Fraction


def brute_orbit(b0: Fraction, c: Fraction, steps: int) -> list[Fraction]:
    """β_0, …, β_steps of x ← x − c·sign(x) (sign(0) = 0), a plain loop."""
    xs = [b0]
    for _ in range(steps):
        x = xs[-1]
        xs.append(x - c if x > 0 else x + c if x < 0 else x)
    return xs


def brute_cycle(beta0: list[Fraction], c: Fraction) -> tuple[int, int, list[tuple[Fraction, ...]]]:
    """(N0, period, states) by iterating the vector until some state repeats (smallest N0, then period)."""
    seen: dict[tuple[Fraction, ...], int] = {}
    state, i = tuple(beta0), 0
    history = []
    while state not in seen:
        seen[state] = i
        history.append(state)
        state = tuple(x - c if x > 0 else x + c if x < 0 else x for x in state)
        i += 1
    n0 = seen[state]
    return n0, i - n0, history[n0:]


rationals = st.builds(F, st.integers(-10**4, 10**4), st.just(10**4))
steps_ = st.sampled_from([F(1, 100), F(3, 200), F(1, 40), F(7, 300), F(1, 8)])
lams = st.sampled_from([F(1), F(1, 2), F(7, 5), F(3)])


@given(b0=rationals, alpha=steps_, lam=lams)
def test_coordinate_closed_form_matches_the_loop_at_every_step(b0, alpha, lam):
    c = alpha * lam
    orbit = toy.coordinate_orbit(b0, alpha, lam)
    loop = brute_orbit(b0, c, orbit.enters_at + 6)
    assert [orbit.value_at(i) for i in range(len(loop))] == loop
    assert toy.reaches_zero(b0, alpha, lam) == (0 in loop)
    assert toy.zero_step(b0, alpha, lam) == (loop.index(0) if 0 in loop else None)
    if not orbit.multiple:
        assert 0 < orbit.gamma < c and set(orbit.cycle) == {orbit.gamma, orbit.gamma - c}
        assert orbit.cycle[0] == (orbit.gamma if b0 > 0 else orbit.gamma - c)
        assert loop[orbit.enters_at] == orbit.cycle[0]
        assert all(v not in orbit.cycle for v in loop[:orbit.enters_at])


@given(beta0=st.lists(rationals, min_size=1, max_size=8), alpha=steps_, lam=lams)
def test_vector_cycle_matches_a_brute_force_search_for_the_first_repeat(beta0, alpha, lam):
    closed = toy.toy_lasso_cycle(beta0, alpha, lam)
    n0, period, states = brute_cycle(beta0, alpha * lam)
    assert (closed.enters_at, closed.period, list(closed.states)) == (n0, period, states)
    assert closed.detected_at == n0 + period


def test_the_seed_example_in_closed_form():
    small = toy.toy_lasso_cycle(["0.5053", "0.5053"], "0.01", 1)
    large = toy.toy_lasso_cycle(["0.5053", "0.5053"], "0.01", 100)
    assert small.states == ((F("0.0053"),) * 2, (F("-0.0047"),) * 2) and small.enters_at == 50
    assert large.states == ((F("0.5053"),) * 2, (F("-0.4947"),) * 2) and large.enters_at == 0
    assert small.norms1 == (F("0.0106"), F("0.0094")) and large.phases == ("γ", "γ")
    negative = toy.toy_lasso_cycle(["-0.5053"], "0.01", 1)
    assert negative.phases == ("γ − αλ",) and negative.states == ((F("-0.0053"),), (F("0.0047"),))


def test_multiples_reach_zero_at_the_stated_step_and_stay():
    assert toy.reaches_zero("0.07", "0.01", 1) and toy.zero_step("-0.07", "0.01", 1) == 7
    assert not toy.reaches_zero("0.0705", "0.01", 1) and toy.zero_step("0.0705", "0.01", 1) is None
    orbit = toy.coordinate_orbit(F(0), "0.01", 1)
    assert orbit.multiple and orbit.enters_at == 0 and orbit.cycle == (0,) and orbit.phase == "0"
    assert toy.toy_lasso_cycle(["0.03", "-0.02"], "0.01", 1).period == 1


@pytest.mark.parametrize("proof", [toy.prove_zero_invariant, toy.prove_two_cycle, toy.prove_momentum_leaves_zero,
                                   rms.prove_second_moment, rms.prove_effective_step, rms.prove_deviation_bound])
def test_every_symbolic_proof_holds_and_marks_its_kinds(proof):
    steps = proof()
    assert toy.proof_holds(steps)
    assert {s.kind for s in steps} <= {"identity", "sign fact", "definition"}
    assert any(s.kind == "identity" for s in steps)


def test_proof_pieces_fail_without_their_premise():
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", positive=True)
    assert not toy.identity_step("wrong", x + 1, x).holds
    assert toy.identity_step("right", (x + 1) ** 2, x**2 + 2 * x + 1).holds
    assert not toy.sign_step("undecided sign", x, 1).holds
    assert not toy.sign_step("wrong sign", y, -1).holds
    assert toy.sign_step("positive", y + 1, 1).holds
    assert not toy.proof_holds([])
    assert not toy.proof_holds([toy.ProofStep("a", "identity", True), toy.ProofStep("b", "sign fact", False)])


def test_momentum_reference_loop_and_search():
    rows = toy.momentum_coordinates([F(1, 40)], F(1, 10), 1, F(1, 2), 3)
    assert [r[0] for r in rows] == [F(1, 40), F(-1, 40), F(0), F(1, 80)]
    found = toy.momentum_zero_starts(F(1, 10), 1, F(1, 2), steps=6, grid=8)
    assert found and all(n >= 2 for _, n in found)
    rows = toy.momentum_coordinates([b for b, _ in found], F(1, 10), 1, F(1, 2), 7)
    for k, (_, n) in enumerate(found):
        assert rows[n][k] == 0 and rows[n - 1][k] != 0 and rows[n + 1][k] == -rows[n - 1][k] / 2
    stays = toy.momentum_coordinates([F(3, 10)], F(1, 10), 1, 0, 5)
    assert [r[0] for r in stays] == [F(3, 10), F(2, 10), F(1, 10), 0, 0, 0]


def test_engine_runs_are_observed_at_every_step():
    run = toy.ndgm_run([F("0.5053"), F("-0.07")], F("0.01"), 1, steps=200)
    assert len(run.states) == run.trajectory.steps_done + 1 == 53
    assert run.states[0] == [F("0.5053"), F("-0.07")] and run.first_zero(1) == 7 and run.first_zero(0) is None
    assert run.cycle is not None and run.cycle.enters_at == 50


def test_random_starts_are_seeded_rationals_in_the_box():
    a = toy.random_starts(random.Random(3), 50)
    assert a == toy.random_starts(random.Random(3), 50)
    assert all(isinstance(v, F) and -1 <= v <= 1 and (v * 10**4).denominator == 1 for v in a)


def test_rmsprop_second_moment_and_steps_against_direct_formulas():
    gamma, lam = F(9, 10), F(3)
    v = F(0)
    for n in range(1, 8):
        v = gamma * v + (1 - gamma) * lam**2
        assert rms.second_moment(gamma, lam, n) == v
    eps = rms.relative_jitter(F(1, 10**8), F(1, 1000))
    assert eps == F(1, 100)
    with working_precision(40):
        s5 = rms.effective_step(F(1, 10), gamma, eps, 5)
        assert s5.overlaps(arb(F(1, 10).numerator) / 10 / (1 + arb(1) / 100 - (arb(9) / 10) ** 5).sqrt())
        for n in range(1, 60):
            gap = rms.effective_step(F(1, 10), gamma, eps, n) - rms.limit_step(F(1, 10), eps)
            bound = rms.deviation_bound(F(1, 10), gamma, eps, n)
            assert gap > 0 and gap < bound
            if n >= 30:  # B(n)/(s_n − s_∞) → 1: the bound is not loose late
                assert bound < gap * arb(11) / 10


def _states(values: list[list[Fraction]]) -> list[list[arb]]:
    return [[arb(v.numerator) / v.denominator for v in row] for row in values]


def test_amplitude_check_accepts_rmsprop_steps_and_rejects_others():
    alpha, gamma, eps = F(1, 10), F(9, 10), F(0)
    with working_precision(40):
        s = [rms.effective_step(alpha, gamma, eps, n) for n in range(1, 5)]
        beta = [arb(1) / 2]
        rows = [beta]
        for n in range(4):
            beta = [beta[0] - s[n]]
            rows.append(beta)
        good = rms.check_amplitudes(rows, alpha=alpha, gamma=gamma, eps=eps, first_step=0, offset=1)
        assert good.confirmed and good.inside == 4
        shifted = rms.check_amplitudes(rows, alpha=alpha, gamma=gamma, eps=eps, first_step=0, offset=30)
        assert not shifted.confirmed and shifted.outside > 0
        doubled = rms.check_amplitudes(_states([[F(1, 2)], [F(3, 10)], [F(1, 10)]]), alpha=alpha, gamma=gamma,
                                       eps=eps, first_step=50, offset=1)
        assert doubled.outside == 2 and not doubled.confirmed
        through_zero = rms.check_amplitudes(_states([[F(1, 10)], [F(0)]]), alpha=alpha, gamma=gamma, eps=eps,
                                            first_step=50, offset=1)
        assert not through_zero.zero_free and not through_zero.confirmed


@pytest.mark.parametrize("call, error", [
    (lambda: toy.step_length(0, 1), DomainError),
    (lambda: toy.step_length("0.01", -1), DomainError),
    (lambda: toy.reaches_zero("nan", "0.01", 1), DlnsmoothError),
    (lambda: toy.toy_lasso_cycle([], "0.01", 1), ShapeError),
    (lambda: toy.momentum_coordinates([1], "0.1", 1, 1, 3), DomainError),
    (lambda: toy.coordinate_orbit(1, "0.1", 1).value_at(-1), DomainError),
    (lambda: rms.effective_step("0.1", 1, 0, 3), DomainError),
    (lambda: rms.effective_step("0.1", "0.9", 0, 0), DomainError),
    (lambda: rms.relative_jitter("-1e-8", 1), DomainError),
])
def test_bad_input_raises_a_package_error(call, error):
    with pytest.raises(error):
        call()
