"""proofs/prop2_global_lipschitz.py: the computed evidence of Proposition 2, and mutants of the claim.

The proof runs once per session (``evidence``). The tests compare computed values with the exact
constants: the largest quotient approaches L from below (tight), never exceeds it (upper bound), the
quotients of the short pairs grow towards L as the pairs shrink (monotone), and logistic regression
with its data written in a needlessly complicated way (duplicated observations) has the same constant.
Every mutant — a constant below L, a wrong sum for ρ = 0, wrong exact constants — must be refuted.
"""

import json
from dataclasses import replace

import mpmath as mp
import pytest
import sympy as sp

from proofs import prop2_global_lipschitz as p2

R = sp.Rational


@pytest.fixture(scope="session")
def evidence():
    return p2.compute()


@pytest.fixture(scope="session")
def report(evidence):
    return p2.render(evidence)


@pytest.fixture(scope="module")
def cases():
    return dict(zip(("logcosh", "huber", "logistic"), p2.examples()))


def test_every_step_and_example_holds(evidence, report):
    assert report.verdict == "holds", report.report()
    assert [passed for _, passed, _ in evidence.steps] == [True, True]
    assert [e.example.L for e in evidence.examples] == [1, 1, R(3, 4)]
    for result in evidence.examples:
        assert all(passed is True for _, passed, _ in result.proof), result.example.label
        assert result.part_a.passed and all(r.same_side for r in result.part_a.rows)
        assert result.sharpness.outcome is True
        assert [s.outcome for s in result.splits] == [True, True, True, True]
        assert result.claim.holds and not result.lowered_claim.holds and result.zero_order_outcome is True


def test_the_constants_are_tight_upper_bounds(evidence):
    for result in evidence.examples:
        L = mp.mpf(result.example.L.p) / result.example.L.q
        quotients = [r.quotient for r in result.part_a.rows]
        assert max(quotients) <= L  # an upper bound …
        assert L - max(quotients) < mp.mpf("1e-11")  # … attained in the limit of the short pairs
        assert L * (1 - mp.mpf("1e-9")) < result.sharpness.quotient <= L


def test_short_pair_quotients_increase_to_l(evidence):
    for result in evidence.examples:
        short = p2.short_pairs(result.example)
        quotients = [next(r.quotient for r in result.part_a.rows if r.pair == pair) for pair in short]
        assert quotients == sorted(quotients), result.example.label


def test_the_zero_order_split_below_l_fails_exactly_where_global_lipschitz_fails(evidence):
    for result in evidence.examples:
        *splits, lowered = result.splits
        assert all(s.held == s.pairs == len(result.pairs) for s in splits)
        assert lowered.outcome and lowered.held < lowered.pairs  # same verdicts, some of them violated


def test_duplicated_observations_give_the_same_logistic_constant():
    # the data written twice over: f is the same function, so L, ∇²f(0) and the proof are the same
    X, y = p2.LOGISTIC_X * 2, p2.LOGISTIC_Y * 2
    twice = p2.logistic_objective(X, y)
    once = p2.logistic_objective(p2.LOGISTIC_X, p2.LOGISTIC_Y)
    assert sp.simplify(twice.hessian.subs({v: 0 for v in twice.variables})
                       - once.hessian.subs({v: 0 for v in once.variables})) == sp.zeros(2, 2)
    steps = p2.logistic_constant(twice, X, y, R(3, 4))
    assert [passed for _, passed, _ in steps] == [True, True, True, True]


def test_the_report_renders_and_serialises(report):
    payload = json.loads(report.to_json_text())
    assert payload["name"] == "prop2" and payload["verdict"] == "holds"
    assert all(c["verdict"] == "holds" for c in payload["checks"])
    assert len(payload["checks"]) == 2 + 2 + 2 + 4 + 3 * 4 + 1  # the last: the catalogue's negative control
    assert payload["checks"][-1]["name"].startswith("negative control of the condition catalogue")


# -- mutants

@pytest.mark.slow
def test_mutant_constant_below_the_lipschitz_constant_is_refuted(cases):
    for key, C in (("logcosh", R(99, 100)), ("logistic", R(7, 10))):
        example = cases[key]
        pairs = p2.pairs_for(example, count=2)
        assert p2.part_a(example.objective, example.L, pairs, rhos=(0, 1), integrated_rho=None).passed is True
        result = p2.part_a(example.objective, C, pairs, rhos=(0, 1), integrated_rho=None)
        assert result.passed is False
        assert any(not r.outcomes["global"] for r in result.rows) and any(not r.outcomes["order ρ=1"] for r in result.rows)


@pytest.mark.slow
def test_mutant_rho_zero_with_too_small_sum_fails(cases):
    example = cases["logistic"]
    pairs = p2.pairs_for(example)
    L = example.L
    assert p2.rho_zero_claim(example.objective, L / 2, L / 2, pairs).holds is True
    claim = p2.rho_zero_claim(example.objective, L / 2, L / 2 - R(1, 1000), pairs)
    assert claim.holds is False
    _, lhs, rhs = claim.violation
    assert lhs > rhs


@pytest.mark.slow
def test_mutant_wrong_combined_constant_for_rho_zero_fails(cases):
    example = cases["logcosh"]
    pairs = p2.pairs_for(example)
    assert p2.rho_zero_equivalence(example.objective, R(1, 4), R(3, 4), pairs).outcome is True
    wrong = p2.rho_zero_equivalence(example.objective, R(1, 4), R(3, 4), pairs, combined=R(3, 4))  # max(C0, C1)
    assert wrong.outcome is False and wrong.mismatch is not None


def test_mutant_wrong_exact_constants_fail(cases):
    logcosh, huber, logistic = cases["logcosh"], cases["huber"], cases["logistic"]
    assert p2.logcosh_constant(logcosh.objective, 1)[-1][1] is True
    assert p2.logcosh_constant(logcosh.objective, R(99, 100))[-1][1] is False  # below sup f″: does not work
    assert p2.logcosh_constant(logcosh.objective, 2)[-1][1] is False  # works, but is not the least constant
    assert p2.pseudo_huber_constant(huber.objective, R(1, 2))[-1][1] is False
    X, y = p2.LOGISTIC_X, p2.LOGISTIC_Y
    assert p2.logistic_constant(logistic.objective, X, y, R(3, 4))[-1][1] is True
    assert p2.logistic_constant(logistic.objective, X, y, R(27, 40))[-1][1] is False  # 0.9 · L
    assert p2.logistic_constant(logistic.objective, X, y, R(9, 4))[-1][1] is False  # λ_max/4 without 1/N


@pytest.mark.slow
def test_mutant_sharpness_of_a_too_large_constant_is_not_verified(cases):
    example = cases["logcosh"]
    result = p2.sharpness(example.objective, R(101, 100), p2.short_pairs(example))
    assert result.outcome is None and result.pair is None


@pytest.mark.slow
def test_mutant_example_with_a_wrong_constant_is_refuted(cases):
    wrong = replace(cases["huber"], L=R(9, 10))
    evidence = p2.compute(cases=[wrong])
    (result,) = evidence.examples
    assert [passed for _, passed, _ in result.proof] == [True, False]  # sup f″ = 1 > 9/10
    assert result.part_a.passed is False and result.claim.holds is False
    assert p2.render(evidence).verdict == "refuted"


def test_mutant_proof_steps_fail_when_the_catalogue_breaks_them(monkeypatch):
    # the proof steps are computations of the catalogue, not identities SymPy settles on construction
    from dlnsmooth import conditions

    assert [passed for _, passed, _ in p2.identity_steps()] == [True, True]
    original = conditions.RhoOrder.factor_of
    monkeypatch.setattr(conditions.RhoOrder, "factor_of",
                        lambda self, a: original(self, a) + (a / 1000 if self.rho != 0 else 0))
    assert [passed for _, passed, _ in p2.identity_steps()] == [False, True]
    monkeypatch.setattr(conditions.RhoOrder, "aggregate", lambda self, D, segment, dps: 2)
    assert p2.identity_steps()[1][1] is False
