"""Theorem G′ on feed-forward networks: dlnsmooth/networks/theorem_g.py (the curve, the premise, the certificate)
and proofs/theorem_g_activations.py (the claim ``theoremg-activations``).

Expected values are computed here by hand: for the squared loss ∇ℓ(0; y) = −y and ∇²ℓ(0; y) = I, for the logistic
loss ℓ′(0; y) = −y/2 and ℓ″ = 1/4, for softmax cross-entropy ∇ℓ(0; y) = 1/m − y. Deep linear behaviour is
unchanged (tests/test_theorem_g.py covers it; here only the agreement of the identity network with it).
"""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from dlnsmooth.errors import ShapeError
from dlnsmooth.networks import theorem_g as library_theorem_g
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.feedforward import feedforward
from dlnsmooth.networks.theorem_g import certify_theorem_g, theorem_g_curve, theorem_g_facts, theorem_g_premise
from proofs import theorem_g_activations as tga

R = sp.Rational
SQUARED_DATA = [([1, 2], 1), ([0, 1], 3)]          # c̄ = −4, G = −(1, 5)
BALANCED_CE = [([1], [1, 0]), ([2], [0, 1])]      # c_i = (1/2, 1/2) − y_i: c̄ = 0, G = ((1/2,), (−1/2,))


def _coordinates(objective, curve, name):
    block = objective.architecture.block(name)
    return list(curve.coordinates[block.offset:block.stop])


# -- the curve ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ["tanh", "sin", "gelu", "identity", "sigmoid"])
@pytest.mark.parametrize("bias", [False, True])
def test_the_curve_zeroes_w1_w2_and_biases_and_scales_the_rest(activation, bias):
    f = feedforward((2, 3, 2, 2, 1), activation, SQUARED_DATA, "squared", bias=bias)
    curve = theorem_g_curve(f)
    t = curve.parameter
    assert curve.variables == tuple(f.variables) and t.name == "t"
    assert set(_coordinates(f, curve, "W1") + _coordinates(f, curve, "W2")) == {0}
    assert set(_coordinates(f, curve, "W3")) == {t} and set(_coordinates(f, curve, "W4")) == {t}
    if bias:
        assert all(set(_coordinates(f, curve, f"b{l}")) == {0} for l in range(1, 5))
    assert "Theorem G′" in curve.name


def test_the_identity_network_has_theorem_gs_curve_and_premise():
    data = [([1, 2], -1), ([R(1, 2), 3], 2)]
    linear = deep_linear((2, 3, 2, 1), data, "squared")
    network = feedforward((2, 3, 2, 1), "identity", data, "squared", bias=False)
    assert theorem_g_curve(network).coordinates == theorem_g_curve(linear).coordinates
    assert theorem_g_premise(network) == theorem_g_premise(linear) == [R(0), -4]
    a, b = certify_theorem_g(network, decades=3, progress=False), certify_theorem_g(linear, decades=3, progress=False)
    assert a.verdict == b.verdict == "refuted"
    assert sp.expand(a.find("symbolic-restriction")[1].expression - b.find("symbolic-restriction")[1].expression) == 0


def test_the_curve_needs_depth_three_and_a_valid_output():
    with pytest.raises(ShapeError, match="at least 3"):
        theorem_g_curve(feedforward((2, 2, 1), "tanh", [([1, 2], 1)], "squared"))
    f = feedforward((1, 2, 2, 2), "tanh", BALANCED_CE, "cross-entropy", bias=False)
    with pytest.raises(ShapeError, match="output"):
        theorem_g_curve(f, output=2)
    curve = theorem_g_curve(f, output=1)
    t = curve.parameter
    assert _coordinates(f, curve, "W3") == [0, 0, t, t]


# -- the premise --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("activation", "at_zero", "ready"), [
    ("tanh", (0, 1), True), ("sin", (0, 1), True), ("identity", (0, 1), True), ("gelu", (0, R(1, 2)), True),
    ("sigmoid", (R(1, 2), R(1, 4)), False), ("softplus", (sp.log(2), R(1, 2)), False), ("quadratic", (1, 0), False),
])
def test_the_activation_premise(activation, at_zero, ready):
    facts = theorem_g_facts(feedforward((2, 2, 2, 1), activation, SQUARED_DATA, "squared", bias=False))
    assert tuple(facts.at_zero[:2]) == at_zero and facts.activation_ready is ready and facts.holds is ready


@pytest.mark.parametrize(("loss", "data", "g"), [
    ("squared", SQUARED_DATA, (-1, -5)),
    ("logistic", [([1, 2], 1), ([0, 1], -1)], (R(-1, 2), R(-1, 2))),
    ("exponential", [([1, 2], 1), ([0, 1], -1)], (-1, -1)),
])
def test_the_data_premise_of_scalar_outputs(loss, data, g):
    f = feedforward((2, 2, 2, 1), "tanh", data, loss, bias=False)
    facts = theorem_g_facts(f)
    assert facts.output == 0 and facts.g == g and theorem_g_premise(f) == list(g)
    assert facts.holds and facts.hess_exponent == 1 and facts.critical_exponent == sp.oo


def test_cross_entropy_puts_the_ones_in_a_row_where_g_is_nonzero():
    """For softmax 1ᵀ∇ℓ(0; y) = 0, so all-ones E_L sees 1ᵀG = 0; the row of an output with G_j ≠ 0 works."""
    data = [([1, 0], [1, 0, 0]), ([1, 0], [0, 1, 0]), ([0, 2], [0, 0, 1])]
    f = feedforward((2, 2, 2, 3), "tanh", data, "cross-entropy", bias=False)
    facts = theorem_g_facts(f)
    third = R(1, 3)
    assert facts.data_term == ((third * 2 - 1, 2 * third), (third * 2 - 1, 2 * third), (third * 2, 2 * third - 2))
    assert all(sum(facts.data_term[j][q] for j in range(3)) == 0 for q in range(2))  # 1ᵀG = 0
    assert facts.output == 0 and "output 1" in facts.output_reason and facts.holds
    skewed = feedforward((2, 2, 2, 3), "tanh", [([1, 0], [1, 0, 0]), ([1, 0], [0, 0, 1])], "cross-entropy", bias=False)
    facts = theorem_g_facts(skewed)  # G_1 = (−2/3 + 1/3, 0) ≠ 0, G_2 = (2/3, 0)
    assert facts.data_term[:2] == ((R(-1, 3), 0), (R(2, 3), 0)) and facts.output == 0
    zero_first = feedforward((1, 2, 2, 3), "tanh", [([1], [R(1, 3), 0, R(2, 3)])], "cross-entropy", bias=False)
    facts = theorem_g_facts(zero_first)
    assert facts.data_term[0] == (0,) and facts.output == 1 and "output 2" in facts.output_reason


def test_with_biases_the_output_prefers_a_vanishing_gradient_sum():
    data = [([1], [1, 2]), ([2], [-1, 5])]  # squared: c̄ = −(0, 7)
    facts = theorem_g_facts(feedforward((1, 2, 2, 2), "tanh", data, "squared", bias=True))
    assert facts.gradient_sum == (0, -7) and facts.output == 0 and facts.critical_exponent == sp.oo
    assert facts.hessian_sum == ((2, 0), (0, 2)) and facts.curvature == 2 and facts.hess_exponent == 2
    other = theorem_g_facts(feedforward((1, 2, 2, 2), "tanh", [([1], [1, 2])], "squared", bias=True))
    assert other.output == 0 and other.gradient_term == -1 and other.critical_exponent == 2


# -- certificates -------------------------------------------------------------------------------------------
def test_a_bias_free_tanh_network_is_refuted_for_every_rho():
    cert = certify_theorem_g(feedforward((2, 3, 2, 1), "tanh", SQUARED_DATA, "squared", bias=False), decades=4,
                             progress=False)
    assert cert.verdict == "refuted" and cert.growth.hess_exponent == 1 and cert.critical_exponent == sp.oo
    assert [p.holds for p in cert.find("premise")] == [True, True]
    assert "Theorem G′" in cert.claim
    identity = [e for e in cert.find("symbolic-identity") if "Theorem G′" in e.statement]
    assert len(identity) == 2 and all(e.holds for e in identity)


def test_a_depth_eight_network_grows_like_t_to_the_six():
    f = feedforward((2, 3, 2, 2, 2, 2, 2, 2, 2), "tanh", [([1, 2], [1, 0]), ([0, 1], [0, 1])], "cross-entropy",
                    bias=False)
    cert = certify_theorem_g(f, decades=4, progress=False)
    assert f.depth == 8 and cert.verdict == "refuted" and cert.growth.hess_exponent == 6


def test_with_biases_the_critical_exponent_is_two_and_only_rho_below_two_is_refuted():
    f = feedforward((2, 2, 2, 1), "tanh", SQUARED_DATA, "squared", bias=True)
    cert = certify_theorem_g(f, decades=4, progress=False)
    assert cert.verdict == "not refuted" and cert.critical_exponent == 2
    assert cert.growth.grad_exponent == 1 and cert.growth.hess_exponent == 2
    t = cert.curve.parameter
    assert sp.expand(cert.find("symbolic-restriction")[0].expression - (32 * t**2 + 16)) == 0
    assert certify_theorem_g(f, rho=R(3, 2), decades=4, progress=False).verdict == "refuted"
    assert certify_theorem_g(f, rho=2, decades=4, progress=False).verdict == "not refuted"


def test_with_biases_and_balanced_classes_every_rho_is_refuted():
    cert = certify_theorem_g(feedforward((1, 2, 2, 2), "tanh", BALANCED_CE, "cross-entropy", bias=True), decades=4,
                             progress=False)
    assert cert.verdict == "refuted" and cert.critical_exponent == sp.oo and cert.growth.hess_exponent == 2


def test_sigmoid_is_a_negative_control():
    cert = certify_theorem_g(feedforward((2, 2, 2, 1), "sigmoid", SQUARED_DATA, "squared", bias=False), decades=4,
                             progress=False)
    assert cert.verdict == "not refuted" and cert.critical_exponent == 1
    assert cert.find("premise")[0].holds is False and "premise fails" in cert.claim
    assert any("does not apply" in note for note in cert.notes)


@pytest.mark.parametrize(("widths", "activation", "loss", "data"), [
    ((2, 2, 2, 1), "tanh", "logistic", [([1, 2], 1), ([1, 2], -1)]),
    ((1, 2, 2, 2), "sin", "cross-entropy", [([1], [1, 0]), ([1], [0, 1])]),
])
def test_data_with_g_zero_is_a_negative_control(widths, activation, loss, data):
    f = feedforward(widths, activation, data, loss, bias=False)
    cert = certify_theorem_g(f, decades=4, progress=False)
    assert all(v == 0 for v in theorem_g_premise(f))
    assert cert.verdict == "not refuted" and cert.find("symbolic-restriction")[1].expression == 0


def test_a_disagreement_with_the_derived_exponent_makes_the_verdict_undecided(monkeypatch):
    monkeypatch.setattr(library_theorem_g.TheoremGFacts, "hess_exponent", property(lambda self: 5))
    cert = certify_theorem_g(feedforward((2, 2, 2, 1), "tanh", SQUARED_DATA, "squared", bias=False), decades=4,
                             progress=False)
    assert cert.verdict == "undecided" and "disagree" in cert.reason


# -- the claim ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def computed() -> tga.TheoremGActivationsResult:
    return tga.compute()


@pytest.mark.slow
def test_every_check_of_the_claim_holds(computed):
    report = tga.render(computed)
    assert report.name == tga.NAME == "theoremg-activations"
    assert report.verdict == "holds", report.report()
    assert len(report.checks) == len(tga.GRID) + len(tga.BIASED) + len(tga.CONTROLS) + 1
    assert computed.coverage.complete and computed.coverage.depths == frozenset(range(3, 9))
    assert {o.route for o in computed.positives} == {"exact", "symbolic"}


@pytest.mark.slow
def test_the_claims_values(computed):
    for o in computed.positives:
        L = o.objective.depth
        assert o.certificate.verdict == "refuted" and o.certificate.growth.hess_exponent == L - 2
        assert sp.simplify(o.grad_sq) == 0 and o.spectral_difference < tga.SPECTRAL_TOLERANCE
    for o in computed.biased:
        want = sp.oo if o.reference.cbar[o.j] == 0 else 2
        assert o.certificate.critical_exponent == want
        assert o.certificate.growth.hess_exponent == 2 * (o.objective.depth - 2)
    rho_two = next(o for o in computed.biased if o.at_rho)
    assert {str(r): c.verdict for r, c in rho_two.at_rho.items()} == {"3/2": "refuted", "2": "not refuted"}
    assert all(o.certificate.verdict == "not refuted" for o in computed.controls)
    assert any(o.sympy_hess_sq is not None for o in computed.positives)
    assert any(o.sympy_hess_sq is not None for o in computed.biased)


def test_the_closed_forms():
    t = sp.Symbol("t", positive=True)
    assert tga.closed_form_hess_sq((2, 3, 2, 1), 1, (-1, -5), t) == 2 * 3 * 2 * 26 * t**2
    assert tga.closed_form_hess_sq((1, 2, 2, 4, 1), R(1, 2), (1,), t) == 2 * 2 * 2 * 16 * R(1, 64) * t**4
    (gd, gc), (hd, hc) = tga.leading_terms((2, 2, 2, 1), 1, 2, -4)
    assert (gd, gc, hd, hc) == (2, 32, 4, 16)  # tests/…: ‖∇f‖² = 32t² + 16, ‖∇²f‖_F² = 16t⁴ + …


def test_a_control_passed_off_as_positive_fails():
    outcome = tga.check_positive(tga.certify(tga.CONTROLS[1]))
    assert outcome.passed is False and outcome.results["verdict refuted"][0] is False


def test_coverage_needs_every_depth_activation_and_both_biased_exponents():
    grid = tga.coverage(tga.GRID, [])
    assert grid.depths == frozenset(range(3, 9)) and grid.activations == {"tanh", "sin", "gelu", "identity"}
    assert grid.vector_outputs and grid.widest == 8 and not grid.complete  # no networks with biases given
    both = dataclasses.replace(grid, biased_criticals=frozenset({"2", "oo"}))
    assert both.complete
    assert not dataclasses.replace(both, biased_criticals=frozenset({"oo"})).complete
    assert not dataclasses.replace(both, depths=both.depths - {8}).complete
    assert not dataclasses.replace(both, activations=both.activations - {"gelu"}).complete
