"""The iteration driver: exact runs against closed forms computed here, proved cycles (smallest N0 and period,
stop at N0 + 2 for NDGM on the toy LASSO), replay, ball runs, kinks, budgets and validation."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from flint import arb

from dlnsmooth.dynamics import trajectory as trajectory_module
from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.methods import Momentum, Subgradient
from dlnsmooth.dynamics.objectives import GeneralLasso, ParameterError, ToyLasso
from dlnsmooth.dynamics.trajectory import MAX_STEPS, iterate


def _closed_form_entry(beta0: list[Fraction], step: Fraction) -> int:
    """N0 = max_k floor(|β0[k]|/(αλ)) (Prop. 4.1 / B.2, when no β0[k] is a multiple of αλ)."""
    return max(math.floor(abs(b) / step) for b in beta0)


def _closed_form_state(b: Fraction, step: Fraction, k: int) -> Fraction:
    """β_k of one coordinate of NDGM on λ|β| (s = αλ): |β| decreases by s until below s, then alternates."""
    sign = 1 if b > 0 else -1 if b < 0 else 0
    q, r = divmod(abs(b), step)
    if k <= q:
        return sign * (abs(b) - k * step)
    return sign * (r if (k - q) % 2 == 0 else r - step)


def _random_start(rng: random.Random, dimension: int, step: Fraction) -> list[Fraction]:
    while True:
        beta0 = [Fraction(rng.randint(-10 ** 4, 10 ** 4), 10 ** 4) for _ in range(dimension)]
        if all(b % step != 0 for b in beta0):
            return beta0


@pytest.mark.parametrize("seed", range(6))
def test_toy_lasso_cycle_entry_matches_the_closed_form(seed):
    rng = random.Random(seed)
    alpha = Fraction(rng.choice([1, 3, 7]), rng.choice([100, 250, 1000]))
    lam = Fraction(rng.choice([1, 2, 5]), rng.choice([1, 3, 10]))
    dimension = rng.randint(1, 40)
    beta0 = _random_start(rng, dimension, alpha * lam)
    run = iterate(ToyLasso(lam, dimension), Subgradient(alpha), beta0, steps=10 ** 5, progress=False)
    n0 = _closed_form_entry(beta0, alpha * lam)
    assert run.stopped == "cycle" and run.arithmetic == "exact"
    assert (run.cycle.enters_at, run.cycle.period, run.cycle.detected_at) == (n0, 2, n0 + 2)
    assert run.steps_done == n0 + 2
    assert run.cycle.states == [[_closed_form_state(b, alpha * lam, n0 + j) for b in beta0] for j in range(2)]
    for gamma_side in run.cycle.states[0]:
        assert 0 < abs(gamma_side) < alpha * lam


def test_the_seed_example_exactly_for_both_penalties():
    beta0 = ["0.5053", "0.5053"]
    small = iterate(ToyLasso(1, 2), Subgradient("0.01"), beta0, steps=1000, progress=False).cycle
    large = iterate(ToyLasso(100, 2), Subgradient("0.01"), beta0, steps=1000, progress=False).cycle
    assert small.states == [[Fraction("0.0053")] * 2, [Fraction("-0.0047")] * 2]
    assert large.states == [[Fraction("0.5053")] * 2, [Fraction("-0.4947")] * 2]
    assert (small.enters_at, large.enters_at) == (50, 0)


def test_a_multiple_of_the_step_reaches_zero_and_stays():
    step = Fraction(1, 100)
    run = iterate(ToyLasso(1, 2), Subgradient(step), [Fraction(3, 100), Fraction(-5, 100)], steps=100, progress=False)
    assert run.cycle.period == 1 and run.cycle.enters_at == 5 and run.cycle.states == [[0, 0]]
    mixed = iterate(ToyLasso(1, 2), Subgradient(step), [Fraction(3, 100), Fraction(257, 10000)], steps=100,
                    progress=False)
    assert mixed.cycle.period == 2 and mixed.cycle.enters_at == 3
    assert [state[0] for state in mixed.cycle.states] == [0, 0]


def test_cycle_confirmed_by_replay_when_outside_the_window(monkeypatch):
    beta0 = [Fraction(7001, 10000), Fraction(-3333, 10000)]
    reference = iterate(ToyLasso(1, 2), Subgradient("0.01"), beta0, steps=500, progress=False).cycle
    monkeypatch.setattr(trajectory_module, "WINDOW", 1)
    replayed = iterate(ToyLasso(1, 2), Subgradient("0.01"), beta0, steps=500, progress=False).cycle
    assert replayed == reference and reference.enters_at == 70


def test_fingerprint_collisions_never_make_a_cycle(monkeypatch):
    """Negative control: with every fingerprint equal, only the exact comparison separates states; the cycle
    found is still the true one (no earlier false repeat)."""
    beta0 = [Fraction(2001, 10000), Fraction(-333, 10000)]
    reference = iterate(ToyLasso(1, 2), Subgradient("0.01"), beta0, steps=500, progress=False).cycle
    monkeypatch.setattr(trajectory_module, "_state_fingerprint", lambda state: b"\0" * 16)
    colliding = iterate(ToyLasso(1, 2), Subgradient("0.01"), beta0, steps=500, progress=False).cycle
    assert colliding == reference and reference.enters_at == 20


@pytest.mark.parametrize("capacity", [1, 3, 40])
def test_brent_checkpoints_beyond_the_fingerprint_capacity_find_the_same_cycle(monkeypatch, capacity):
    beta0 = [Fraction(7001, 10000), Fraction(-3333, 10000), Fraction(1234, 10000)]
    reference = iterate(ToyLasso(1, 3), Subgradient("0.01"), beta0, steps=500, progress=False).cycle
    monkeypatch.setattr(trajectory_module, "MAX_FINGERPRINTS", capacity)
    late = iterate(ToyLasso(1, 3), Subgradient("0.01"), beta0, steps=500, progress=False).cycle
    assert (late.enters_at, late.period, late.states) == (reference.enters_at, reference.period, reference.states)
    assert late.detected_at >= reference.detected_at == 72


@pytest.mark.parametrize("beta0", [["0.5053", "0.5053"], ["0.0053", "-0.0021"]])
def test_momentum_cycle_includes_the_memory(beta0):
    """Momentum with η = 0 moves β exactly as NDGM, but its state (β_N, β_{N−1}) repeats only once the
    memory β_{N−1} is in the cycle too: one step later than NDGM's N0, the memory part of the proof."""
    plain = iterate(ToyLasso(1, 2), Subgradient("0.01"), beta0, steps=1000, progress=False).cycle
    heavy = iterate(ToyLasso(1, 2), Momentum("0.01", 0), beta0, steps=1000, progress=False).cycle
    assert heavy.states == [plain.states[1], plain.states[0]]
    assert (heavy.enters_at, heavy.period, heavy.detected_at) == (plain.enters_at + 1, 2, plain.enters_at + 3)
    assert heavy.memory_states[0] == [plain.states[0]]


def test_momentum_on_the_toy_lasso_need_not_cycle():
    """η = 1/2: β_{N+1} = 3/2·β_N − 1/2·β_{N−1} − α/2·sign β_N halves denominators forever: no exact repeat."""
    run = iterate(ToyLasso(1, 1), Momentum(Fraction(1, 10), Fraction(1, 2)), [Fraction(1, 3)], steps=300,
                  progress=False)
    assert run.cycle is None and run.stopped == "steps" and run.arithmetic == "exact"
    assert Fraction(run.final[0]).denominator >= 2 ** 200


def test_exact_run_of_many_coordinates_matches_the_closed_form_everywhere():
    rng = random.Random(5)
    step = Fraction(1, 100)
    beta0 = _random_start(rng, 500, step)
    run = iterate(ToyLasso(1, 500), Subgradient(step), beta0, steps=20_000, detect_cycle=False, record=False,
                  progress=False)
    assert run.stopped == "steps" and run.steps_done == 20_000 and run.arithmetic == "exact"
    assert run.final == [_closed_form_state(b, step, 20_000) for b in beta0]
    assert run.seconds < 15  # about 0.2 s alone


def test_records_are_exact_and_iterate_at_replays():
    beta0 = [Fraction(1, 3), Fraction(-2, 7)]
    run = iterate(ToyLasso(2, 2), Subgradient("0.05"), beta0, steps=5, detect_cycle=False, progress=False)
    assert len(run.losses) == len(run.norms1) == len(run.norms_inf) == 6
    for k in range(6):
        state = run.iterate_at(k)
        assert state == [_closed_form_state(b, Fraction(1, 10), k) for b in beta0]
        assert run.norms1[k] == sum(abs(v) for v in state) and run.losses[k] == 2 * run.norms1[k]
        assert run.norms_inf[k] == max(abs(v) for v in state)


def test_observe_sees_every_state():
    seen = []
    iterate(ToyLasso(1, 1), Subgradient("0.1"), ["0.35"], steps=3, detect_cycle=False, progress=False,
            observe=lambda k, state: seen.append((k, state.beta.to_fractions())))
    assert seen == [(0, [Fraction(7, 20)]), (1, [Fraction(1, 4)]), (2, [Fraction(3, 20)]), (3, [Fraction(1, 20)])]


def test_auto_switches_to_balls_when_the_exact_numbers_explode():
    data = RegressionData.random(6, 4, 1, digits=3)
    run = iterate(GeneralLasso(data, lam="0.01"), Subgradient("0.07"), ["0.3", "-0.2", "0.1", "0.4"], steps=200,
                  max_bits=256, progress=False)
    assert run.arithmetic == "ball" and run.exact_until is not None and 0 < run.exact_until < 200
    assert run.cycle is None and run.steps_done == 200
    assert any("outgrew" in note for note in run.notes)
    exact = iterate(GeneralLasso(data, lam="0.01"), Subgradient("0.07"), ["0.3", "-0.2", "0.1", "0.4"], steps=200,
                    arithmetic="exact", max_bits=256, progress=False)
    assert exact.stopped == "size" and exact.steps_done == run.exact_until
    # the balls continue the exact values: the ball at step exact_until encloses the exact state
    assert run.losses[run.exact_until] == exact.losses[-1]
    # a replayed state is the one of the run: exact before the switch, an overlapping ball after it
    assert run.iterate_at(run.exact_until) == exact.final
    assert all(a.overlaps(b) for a, b in zip(run.iterate_at(150), iterate(
        GeneralLasso(data, lam="0.01"), Subgradient("0.07"), ["0.3", "-0.2", "0.1", "0.4"], steps=150, max_bits=256,
        progress=False).final))


def test_ball_run_stops_at_an_undecided_kink():
    """β0 = 3/100, α = 1/100: the exact run reaches 0; balls (1/100 is not a binary number) cannot decide."""
    exact = iterate(ToyLasso(1, 1), Subgradient("0.01"), ["0.03"], steps=10, progress=False)
    assert exact.cycle.states == [[0]]
    balls = iterate(ToyLasso(1, 1), Subgradient("0.01"), ["0.03"], steps=10, arithmetic="ball", dps=20, max_dps=80,
                    progress=False)
    assert balls.stopped == "kink" and balls.steps_done == 3 and balls.cycle is None
    assert any("sign undecided" in note for note in balls.notes)


def test_ball_run_raises_precision_when_accuracy_is_lost_and_stops_at_the_cap():
    # heavy ball with η = 0 is NDGM iterated componentwise (not shadowed): its radii grow at every matrix step
    data = RegressionData.random(6, 4, 1, digits=3)
    start = ["0.3", "-0.2", "0.1", "0.4"]
    componentwise = Momentum("0.07", 0)
    capped = iterate(GeneralLasso(data, lam=0), componentwise, start, steps=400, arithmetic="ball", dps=15,
                     max_dps=15, progress=False)
    assert capped.stopped == "precision" and capped.steps_done < 400 and capped.dps == 15
    raised = iterate(GeneralLasso(data, lam=0), componentwise, start, steps=400, arithmetic="ball", dps=15,
                     max_dps=300, progress=False)
    assert raised.stopped == "steps" and raised.steps_done == 400 and raised.dps > 15
    # NDGM itself is shadowed: the same 400 steps need no rerun at 15 digits
    shadowed = iterate(GeneralLasso(data, lam=0), Subgradient("0.07"), start, steps=400, arithmetic="ball", dps=15,
                       max_dps=15, progress=False)
    assert shadowed.stopped == "steps" and shadowed.dps == 15 and shadowed.shadow_radius < 1e-10
    assert all(a.overlaps(b) for a, b in zip(shadowed.final, raised.final))
    exact = iterate(GeneralLasso(data, lam=0), Subgradient("0.07"), start, steps=capped.steps_done,
                    arithmetic="exact", max_bits=10 ** 6, progress=False)
    for ball, value in zip(raised.iterate_at(capped.steps_done), exact.final):
        assert ball.overlaps(arb(value.numerator) / value.denominator) and ball.rad() < 1e-12


def test_ball_run_never_reports_a_cycle():
    run = iterate(ToyLasso(1, 2), Subgradient("0.01"), ["0.5053", "0.5053"], steps=60, arithmetic="ball",
                  progress=False)
    assert run.stopped == "steps" and run.cycle is None and run.arithmetic == "ball"
    assert run.final[0].contains(run.final[0].mid()) and abs(run.final[0].mid() - 0.0053) < 1e-12


def test_time_budget_is_respected():
    run = iterate(ToyLasso(1, 50), Subgradient(Fraction(1, 10 ** 9)), [Fraction(1, 3)] * 50, steps=MAX_STEPS,
                  time_budget=0.2, record=False, progress=False)
    assert run.stopped == "budget" and run.steps_done < MAX_STEPS and run.seconds < 2


@pytest.mark.parametrize("steps", [0, -1, MAX_STEPS + 1, 10 ** 12, 2.5, True])
def test_absurd_step_counts_are_refused(steps):
    with pytest.raises(ParameterError):
        iterate(ToyLasso(1, 1), Subgradient("0.1"), [1], steps=steps)


def test_bad_options_are_refused():
    with pytest.raises(ParameterError, match="arithmetic"):
        iterate(ToyLasso(1, 1), Subgradient("0.1"), [1], steps=1, arithmetic="float")
    with pytest.raises(ParameterError, match="time budget"):
        iterate(ToyLasso(1, 1), Subgradient("0.1"), [1], steps=1, time_budget=0)
