"""The claim bregman-relations (proofs/bregman_relations.py): it verifies with every check holding, the computed
enclosures are the expected ones (the factor 2 between the best constants, equality for the quadratic), its
negative controls come out refuted, and lying machinery (the divergence's sign, the conversion's factor, the
smoothness inequality's direction) makes the claim fail."""

from __future__ import annotations

import json

import pytest
import sympy as sp
from flint import arb

from dlnsmooth import conditions
from dlnsmooth.conditions import GloballyLipschitz, HphiConvex, HPhiSmooth
from dlnsmooth.precision import working_precision
from proofs import bregman_relations as claim


@pytest.fixture(scope="module")
def result():
    return claim.compute()


@pytest.fixture(scope="module")
def report(result):
    return claim.render(result)


def test_the_claim_verifies_with_every_check_holding(report):
    assert report.name == claim.NAME == "bregman-relations"
    assert report.verdict == "holds", report.report()
    assert all(c.verdict == "holds" for c in report.checks) and len(report.checks) >= 40
    assert sum("negative control" in c.name for c in report.checks) >= 8 + 4
    assert "identity verified symbolically" in report.evidence_kind
    assert "instances checked in ball arithmetic" in report.evidence_kind
    assert any(conditions.RECONSTRUCTION_NOTE in lines for _, lines in report.sections)
    assert report.seconds < 20  # about 1 s alone: a guard against pathological slowness, not a benchmark
    json.dumps(report.to_json())


def test_every_symbolic_step_passes(result):
    assert [passed for _, passed, _ in result.steps] == [True] * len(result.steps)
    assert len(result.steps) == 8


def test_the_best_constants_differ_by_the_factor_two_on_the_shortest_pair(result):
    for example in result.examples:
        shortest = example.rows[-1]
        half = example.example.L / 2
        with working_precision(claim.DPS):
            assert shortest.smooth.upper() <= arb(half.p) / half.q
            assert shortest.smooth.lower() > arb(half.p) / half.q * (1 - arb(10) ** -6)
            assert shortest.quotient.lower() > arb(example.example.L.p) / example.example.L.q * (1 - arb(10) ** -6)
        for row in example.rows:
            assert all(v is True for v in row.results.values()), (example.example.label, row.pair, row.results)


def test_quadratic_is_an_equality_case_and_is_not_refuted(result):
    quadratic = result.examples[0]
    assert quadratic.example.L == quadratic.example.mu == 3
    with working_precision(claim.DPS):
        for row in quadratic.rows:
            assert row.smooth.contains(arb(3) / 2) and row.quotient.contains(3) and row.reverse.contains(arb(3) / 2)


def test_wrong_factors_and_the_nonconvex_control_come_out_refuted(result):
    for example in result.examples:
        assert [case.verdict for case in example.factors] == ["refuted"] * 4
    nonconvex = result.nonconvex
    assert nonconvex.exact
    assert nonconvex.verdicts == {name: [verdict] * len(nonconvex.pairs)
                                  for name, verdict in claim.NONCONVEX_EXPECTED.items()}


# -- lying machinery ---------------------------------------------------------------------------------------------
SOFTPLUS_ONLY = [claim.examples()[1]]


@pytest.mark.slow
def test_the_claim_fails_when_the_divergence_sign_is_flipped(monkeypatch):
    divergence = conditions.ball_divergence
    monkeypatch.setattr(conditions, "ball_divergence", lambda *args, **kwargs: -divergence(*args, **kwargs))
    assert claim.verify(cases=SOFTPLUS_ONLY).verdict == "refuted"


@pytest.mark.slow
def test_the_claim_fails_when_the_conversion_forgets_the_factor_two(monkeypatch):
    monkeypatch.setattr(HPhiSmooth, "gradient_lipschitz", lambda self: GloballyLipschitz(self.c))
    report = claim.verify(cases=SOFTPLUS_ONLY)
    assert report.verdict == "refuted"
    assert {c.name for c in report.checks if c.verdict == "refuted"} >= {
        "the catalogue's conversions: μ ↦ HphiConvex(2, μ/2), L ↦ HPhiSmooth(2, L/2), HPhiSmooth(2, c) ↦ "
        "GloballyLipschitz(2c)"}


@pytest.mark.slow
def test_the_claim_fails_when_the_smoothness_inequality_points_the_wrong_way(monkeypatch):
    monkeypatch.setattr(HPhiSmooth, "sides_of", HphiConvex.sides_of)  # c‖v‖² ≤ d_F instead of d_F ≤ c‖v‖²
    assert claim.verify(cases=SOFTPLUS_ONLY).verdict == "refuted"


def test_the_constant_proof_fails_for_a_wrong_constant():
    example = claim.examples()[1]
    wrong = claim.Example(example.label, example.objective, sp.Rational(1, 5), example.maximiser, example.direction,
                          example.box, ((0, sp.Rational(1, 5), example.bounds[0][2]),))
    assert claim.constant_steps(wrong)[0][1] is False
