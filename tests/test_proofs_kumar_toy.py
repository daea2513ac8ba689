"""The seed-003 toy LASSO claims kumar-b1, kumar-4.1, kumar-example, kumar-b3, kumar-b5 (proofs/kumar_*.py): each
verifies with every check holding, the computed values are the expected ones, each negative control comes out the
other way, and lying machinery (the decision rule, the engine's cycle, the closed forms, the engine's steps, the
RMSProp bound) makes the claim fail."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest

from dlnsmooth.dynamics import methods, rmsprop_analysis
from dlnsmooth.dynamics import toy_lasso as toy
from dlnsmooth.dynamics.methods import MethodState
from dlnsmooth.dynamics.objectives import combine
from proofs import kumar_4_1, kumar_b1, kumar_b3, kumar_b5, kumar_example

F = Fraction
CLAIMS = {"kumar-b1": kumar_b1, "kumar-4.1": kumar_4_1, "kumar-example": kumar_example, "kumar-b3": kumar_b3,
          "kumar-b5": kumar_b5}


@pytest.fixture(scope="module")
def results():
    return {name: module.compute() for name, module in CLAIMS.items()}


@pytest.fixture(scope="module")
def reports(results):
    return {name: CLAIMS[name].render(result) for name, result in results.items()}


@pytest.mark.parametrize("name", list(CLAIMS))
def test_each_claim_verifies_with_every_check_holding(reports, name):
    report = reports[name]
    assert report.name == CLAIMS[name].NAME == name
    assert report.verdict == "holds", report.report()
    assert len(report.checks) >= 4 and all(c.verdict == "holds" for c in report.checks)
    assert any("negative control" in c.name for c in report.checks)
    assert report.seconds < 15  # about 0.3 s alone: a guard against pathological slowness, not a benchmark
    json.dumps(report.to_json())


def test_b1_both_directions_and_the_wrong_rule(results):
    r = results["kumar-b1"]
    assert all(o.agree and o.stopped == "cycle" for o in r.outcomes)
    assert all(0 < o.multiples < len(o.beta0) for o in r.outcomes)
    for o in r.outcomes:  # a multiple reaches 0 first at |b0|/(αλ)
        for b, step in zip(o.beta0, o.observed_steps):
            assert step == (abs(b / (o.case.alpha * o.case.lam)) if (b / (o.case.alpha * o.case.lam)).denominator == 1
                            else None)
    assert all(not o.agree for o in r.control)


def test_4_1_cycles_match_the_closed_forms_and_the_control_fails_at_the_multiple(results):
    r = results["kumar-4.1"]
    assert [o.case.coordinates for o in r.outcomes] == [50, 120, 200, 200]
    for o in r.outcomes:
        assert o.passed and o.steps_done == o.closed.enters_at + 2
        assert o.closed.enters_at == max(int(abs(b) / o.closed.c) for b in (orb.b0 for orb in o.closed.orbits))
    assert r.control_stopped == "cycle" and r.control_statement.count(False) == 1 and not r.control_statement[2]


def test_example_cycles_are_the_seeds(results):
    r = results["kumar-example"]
    assert r.runs[F(1)].cycle == {(F("0.0053"),) * 2, (F("-0.0047"),) * 2} and r.runs[F(1)].enters_at == 50
    assert r.runs[F(100)].cycle == {(F("0.5053"),) * 2, (F("-0.4947"),) * 2} and r.runs[F(100)].enters_at == 0
    assert max(r.runs[F(1)].norms1) == F("0.0106") and min(r.runs[F(100)].norms1) == F("0.9894")
    assert all(run.cycle == {(F("0.0003"),) * 2, (F("-0.0007"),) * 2} for run in r.follow_ups[F(1)])
    assert all(run.cycle == {(F("0.0053"),) * 2, (F("-0.0947"),) * 2} for run in r.follow_ups[F(100)])
    assert all(not kumar_example.same_cycle(run, wrong) for _, run, wrong in r.controls)


def test_b3_momentum_leaves_zero_and_the_eta_zero_control_stays(results):
    r = results["kumar-b3"]
    for run in r.runs:
        assert run.hits and all(h.at == 0 and h.after == -run.eta * h.before != 0 for h in run.hits)
    assert r.ndgm[0]
    assert r.control.hits and all(h.at == 0 and h.after == 0 for h in r.control.hits)


def test_b5_rmsprop_amplitude_independent_of_lambda_unlike_ndgm(results):
    r = results["kumar-b5"]
    assert all(run.passed for run in r.runs) and r.late == kumar_b5.late_step()
    assert r.rms_spread <= 1 + kumar_b5.TOLERANCE
    assert r.ndgm_spread == 10**5
    assert [n.amplitudes for n in r.ndgm] == [{F(1, 10**4)}, {F(1, 10)}, {F(10)}]


# -- lying machinery ---------------------------------------------------------------------------------------------
def test_b1_fails_when_the_decision_rule_lies(monkeypatch):
    monkeypatch.setattr(kumar_b1, "reaches_zero", kumar_b1.wrong_rule)
    assert kumar_b1.verify().verdict == "refuted"


def _shifted_cycles(iterate):
    def lying(*args, **kwargs):
        trajectory = iterate(*args, **kwargs)
        if trajectory.cycle is not None:
            trajectory.cycle = dataclasses.replace(trajectory.cycle, enters_at=trajectory.cycle.enters_at + 1)
        return trajectory
    return lying


def test_4_1_fails_when_the_engine_cycle_lies(monkeypatch):
    monkeypatch.setattr(toy, "iterate", _shifted_cycles(toy.iterate))
    assert kumar_4_1.verify().verdict == "refuted"


def test_b1_fails_when_the_engine_finds_no_cycle(monkeypatch):
    iterate = toy.iterate

    def no_cycle(*args, **kwargs):
        trajectory = iterate(*args, **kwargs)
        trajectory.cycle, trajectory.stopped = None, "steps"
        return trajectory
    monkeypatch.setattr(toy, "iterate", no_cycle)
    assert kumar_b1.verify().verdict == "refuted"


def test_4_1_fails_when_the_closed_form_swaps_the_phase(monkeypatch):
    closed = kumar_4_1.toy_lasso_cycle

    def swapped(beta0, alpha, lam):
        cycle = closed(beta0, alpha, lam)
        orbits = tuple(dataclasses.replace(o, cycle=o.cycle[::-1]) for o in cycle.orbits)
        return dataclasses.replace(cycle, orbits=orbits)
    monkeypatch.setattr(kumar_4_1, "toy_lasso_cycle", swapped)
    assert kumar_4_1.verify().verdict == "refuted"


def test_example_fails_when_the_engine_steps_too_far(monkeypatch):
    def long_step(self, objective, state, index):
        g = objective.exact_subgradient(state.beta)
        return MethodState(combine([(F(1), state.beta), (-self.alpha * F(11, 10), g)]))
    monkeypatch.setattr(methods.Subgradient, "exact_step", long_step)
    assert kumar_example.verify().verdict == "refuted"


def test_b3_fails_when_the_engine_forgets_the_momentum(monkeypatch):
    def no_memory(self, objective, state, index):
        g = objective.exact_subgradient(state.beta)
        return MethodState(combine([(F(1), state.beta), (-self.alpha * (1 - self.eta), g)]), (state.beta,))
    monkeypatch.setattr(methods.Momentum, "exact_step", no_memory)
    assert kumar_b3.verify().verdict == "refuted"


def test_b5_fails_when_the_bound_is_too_tight(monkeypatch):
    bound = rmsprop_analysis.deviation_bound
    monkeypatch.setattr(rmsprop_analysis, "deviation_bound", lambda *a: bound(*a) / 10**6)
    assert kumar_b5.verify().verdict == "refuted"


def test_b5_fails_when_the_engine_step_is_off(monkeypatch):
    step = methods.RMSProp.ball_step

    def stretched(self, objective, state, index):
        following = step(self, objective, state, index)
        beta = [b + (f - b) * (1 + methods.arb(1) / 10**6) for b, f in zip(state.beta, following.beta)]
        return MethodState(beta, following.memory)
    monkeypatch.setattr(methods.RMSProp, "ball_step", stretched)
    assert kumar_b5.verify().verdict == "refuted"
