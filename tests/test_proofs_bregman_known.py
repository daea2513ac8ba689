"""The claim bregman-known (proofs/bregman_known.py): SPEC §4.3's known answers computed by the package, each checked
against an independent computation; the negative controls come out the other way, and lying machinery (a doubled
constant from the univariate decision, a wrong log-sum-exp constant) makes the claim fail."""

from __future__ import annotations

import dataclasses
import json

import pytest
import sympy as sp

from dlnsmooth.bregman import dispatch, lse
from proofs import bregman_known


@pytest.fixture(scope="module")
def result():
    return bregman_known.compute()


@pytest.fixture(scope="module")
def report(result):
    return bregman_known.render(result)


def test_the_claim_verifies_with_every_check_holding(report):
    assert report.name == bregman_known.NAME == "bregman-known"
    assert report.verdict == "holds", report.report()
    assert len(report.checks) >= 20 and all(c.verdict == "holds" for c in report.checks)
    assert sum("negative control" in c.name for c in report.checks) >= 3
    assert any(kind in report.evidence_kind for kind in ("certificate", "identity verified symbolically"))
    assert "reconstruction of seed 002" in report.statement
    assert report.seconds < 30  # about 3.5 s alone: a guard against pathological slowness, not a benchmark
    json.dumps(report.to_json())


def test_the_known_constants_are_the_packages(result):
    d = result.decisions
    assert d["squared convex"].constant == 1 and d["squared smooth"].constant == 1
    assert d["softplus smooth"].constant == sp.Rational(1, 8)
    assert d["softplus convex"].verdict == "refuted" and d["exponential smooth"].verdict == "refuted"
    assert sp.simplify(d["|u|^3 convex"].constant - (2 - sp.sqrt(2))) == 0
    assert d["lse n=2 smooth"].constant == d["lse n=3 smooth"].constant == sp.Rational(1, 4)
    assert result.exponent_sets == {"softplus convex": "∅", "exponential smooth": "∅"}


def test_a_doubled_constant_from_the_univariate_decision_fails_the_claim(monkeypatch):
    original = dispatch.decide_bregman

    def lying(*args, **kwargs):
        decision = original(*args, **kwargs)
        if decision.constant is not None:
            decision = dataclasses.replace(decision, constant=2 * decision.constant)
        return decision

    monkeypatch.setattr(dispatch, "decide_bregman", lying)
    answers = bregman_known.KnownAnswers()
    bregman_known.squared_answers(answers, 10.0)
    assert any(c.passed is False for c in answers.checks)
    assert bregman_known.render(answers).verdict == "refuted"


def test_a_wrong_log_sum_exp_constant_fails_the_claim(monkeypatch):
    monkeypatch.setattr(lse, "SMOOTH_CONSTANT", sp.Rational(1, 5))
    answers = bregman_known.KnownAnswers()
    bregman_known.log_sum_exp_answers(answers, 10.0)
    assert [c.passed for c in answers.checks if "smooth at q = 2" in c.name] == [False, False]
