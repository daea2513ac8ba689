"""Tests of the automatic search on feed-forward networks (dlnsmooth/search.py, network blocks).

Known answers, argued in each test: curves the search must find and certify (Theorem G′'s curve
on bias-free tanh networks; with biases, the hidden weights 0 and the output bias at the mean
label), a network for which no curve can refute anything (one affine layer: f is quadratic in the
parameters), and honesty about what is certified (sigmoid, budgets). Verdicts are checked
against the certificates and against ball tables computed here, independently of the search.
"""

from __future__ import annotations

import math
import random
import time

import pytest
import sympy as sp
from flint import arb

from dlnsmooth.certificate import certify_curve
from dlnsmooth.curves import Curve
from dlnsmooth.networks import restricted
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.feedforward import feedforward
from dlnsmooth.networks.losses import OUTPUT_LOSSES
from dlnsmooth.networks.restricted import NotApplicable
from dlnsmooth.precision import working_precision
from dlnsmooth.search import (
    Candidate,
    Form,
    SearchOptions,
    _layered,
    _neighbours,
    _network_layout,
    _network_stage_one,
    _Ranker,
    balanced_pattern,
    candidate_curves,
    network_architecture,
    search_refuting_curve,
    stationary_output,
    variable_blocks,
)

DATA = [(1, 1), (2, -1), (-1, 2)]  # mean label 2/3; Σ_i (ȳ − y_i)·x_i ≠ 0


def _ball_table(objective, curve, exponents=(4, 8, 12), dps=120) -> list[tuple[arb, arb]]:
    """(‖∇f‖, ‖∇²f‖_F) along ``curve`` at t = 10^k, in ball arithmetic, from the objective's own
    ball norms (not the certificate's symbolic route, not the search's ranking points)."""
    rows = []
    with working_precision(dps):
        for k in exponents:
            rows.append(objective.ball_norms(curve.ball_point(10**k)))
    return rows


def _log(ball: arb) -> float:
    assert ball > 0, ball
    return float(ball.log().mid())


# -- blocks, patterns, stationary outputs (no search) ------------------------------------------
def test_blocks_are_the_weight_and_bias_blocks_of_the_architecture():
    f = feedforward((1, 3, 3, 1), "tanh", DATA, "squared")
    assert [(name, len(indices)) for name, indices in variable_blocks(f)] == [
        ("W1", 3), ("b1", 3), ("W2", 9), ("b2", 3), ("W3", 3), ("b3", 1)]
    assert sorted(i for _, indices in variable_blocks(f) for i in indices) == list(range(f.n))
    bias_free = feedforward((1, 2, 2, 1), "tanh", DATA, "squared", bias=False)
    assert [name for name, _ in variable_blocks(bias_free)] == ["W1", "W2", "W3"]
    # deep linear networks keep their one block per weight matrix and their search
    linear = feedforward((2, 3, 1), "identity", [([1, 2], 1)], "squared", bias=False)
    assert network_architecture(linear) is None
    assert [(n, len(i)) for n, i in variable_blocks(linear)] == [
        (n, len(i)) for n, i in variable_blocks(deep_linear((2, 3, 1), [([1, 2], 1)]))]


def test_balanced_rows_sum_to_zero():
    for shape in [(1, 2), (1, 3), (3, 3), (2, 4), (4, 5)]:
        values = balanced_pattern(shape)
        rows, columns = shape
        assert len(values) == rows * columns
        for r in range(rows):
            row = values[r * columns:(r + 1) * columns]
            assert sum(row) == 0 and any(v != 0 for v in row)
    assert balanced_pattern((1, 3)) == (1, -1, 0)


@pytest.mark.parametrize("loss, labels, expected", [
    ("squared", [(1,), (2,), (-1,)], (sp.Rational(2, 3),)),
    ("l2", [(1, 0), (3, 2)], (sp.Integer(2), sp.Integer(1))),
    ("logistic", [(1,), (1,), (-1,)], (sp.log(2),)),
    ("exponential", [(1,), (1,), (1,), (-1,)], (sp.log(3) / 2,)),
    ("cross-entropy", [(1, 0), (1, 0), (1, 0), (0, 1)], (sp.log(sp.Rational(3, 4)), sp.log(sp.Rational(1, 4)))),
    ("logistic", [(1,), (1,)], None),  # separable labels: no finite stationary output
])
def test_stationary_constant_outputs(loss, labels, expected):
    labels = [tuple(sp.Integer(v) for v in y) for y in labels]
    found = stationary_output(OUTPUT_LOSSES[loss], labels)
    if expected is None:
        assert found is None
        return
    assert found is not None and len(found) == len(expected)
    assert all(sp.simplify(a - b) == 0 for a, b in zip(found, expected))
    # checked independently: Σ_i ∇_u ℓ(u*; y_i) simplifies to 0 exactly
    total = [sp.Integer(0)] * len(found)
    for y in labels:
        gradient = OUTPUT_LOSSES[loss].derivatives("sympy", list(found), list(y))[1]
        total = [a + g for a, g in zip(total, gradient)]
    assert all(sp.simplify(v) == 0 for v in total)


def test_forms_with_patterns():
    fit = Form(1, 0, 0, "fit", (sp.Rational(2, 3),))
    assert fit.text() == "2/3" and fit.block_text("b3", 1) == "b3 = 2/3" and fit.polynomial
    balanced = Form(1, 1, 0, "balanced", balanced_pattern((1, 3)))
    assert balanced.block_text("W3", 3) == "W3 = t·balanced"
    t = sp.Symbol("t", positive=True)
    assert balanced.entries(t, 3) == [t, -t, 0]
    assert Form(1, 1).block_text("W2", 9) == "W2 = t·ones"
    assert Form(0, 0, 0, "balanced", (1, -1)) == Form(0)  # zero forgets its pattern
    assert not Form(1, 0, 0, "fit", (sp.log(2),)).polynomial and not Form(1, 1, 1).polynomial
    with pytest.raises(ValueError):
        Form(1, 1, 0, "spiral", (1,))


def test_layered_stage_one_contains_theorem_g_and_the_fixed_line():
    f = feedforward((1, 3, 3, 1), "sigmoid", DATA, "squared")
    options = SearchOptions()
    layout = _network_layout(f, f.architecture, options)
    assert layout.fit is not None and layout.fit.values == (sp.Rational(2, 3),)
    blocks = variable_blocks(f)
    layered = _layered(layout, len(blocks), options)
    assignments = _network_stage_one(layout, len(blocks), options, random.Random(0))
    assert assignments[: len(layered)] == layered[: options.max_candidates]
    texts = {", ".join(form.block_text(n, len(i)) for (n, i), form in zip(blocks, forms)) for forms in layered}
    # Theorem G′'s curve with the output bias at the mean label, and seed 001's fixed line R
    assert "W1 = 0, b1 = 0, W2 = 0, b2 = 0, W3 = t·ones, b3 = 2/3" in texts
    assert "W1 = 0, b1 = 1·ones, W2 = 0, b2 = 1·ones, W3 = t·balanced, b3 = 0" in texts
    # hill climbing may switch patterns and put a bias at ±log t
    start = next(forms for forms in layered if forms[4].pattern == "ones" and forms[4].a == 1 and forms[5].is_zero)
    neighbours = _neighbours(start, options, [], layout.extras)
    assert any(forms[5].pattern == "fit" for forms in neighbours)
    assert any(forms[4].pattern == "balanced" and forms[4].a == 1 for forms in neighbours)
    assert any(forms[1] == Form(1, 0, 1) for forms in neighbours)


def test_candidate_curves_of_a_network_are_curves_to_infinity():
    f = feedforward((1, 2, 2, 1), "tanh", DATA, "squared")
    curves = candidate_curves(f, limit=30)
    assert 0 < len(curves) <= 30
    t = curves[0].parameter
    assert all(any(c.has(t) for c in curve.coordinates) for curve in curves)


# -- searches ------------------------------------------------------------------------------
@pytest.mark.slow
def test_tanh_network_with_biases_is_refuted_for_every_rho():
    """1-3-3-1 tanh with biases, squared loss. Along W1 = W2 = 0, hidden biases 0, W3 = t·ones and
    b3 = ȳ every pre-activation is 0 and every output ȳ, so every gradient term carries
    Σ_i (ȳ − y_i) = 0 (or a zero weight) and ∇f = 0, while ∂²f/∂b2² = N·W3ᵀW3·σ′(0)² ~ t²."""
    f = feedforward((1, 3, 3, 1), "tanh", DATA, "squared")
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(time_budget=40, decades=8),
                                   progress=False)
    assert result.verdict == "refuted", result.report()
    certificate = result.certificate
    assert certificate.verdict == "refuted" and certificate.critical_exponent == sp.oo
    assert result.critical_exponent == sp.oo and result.critical_exponent >= 2
    assert certificate.growth.gradient_vanishes and certificate.growth.hess_exponent >= 1
    assert [name for name, _ in result.blocks] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    # independently, in balls along the certified curve: ∇f = 0 and ‖∇²f‖_F ~ t^η, η ≥ 1
    table = _ball_table(f, certificate.curve)
    assert all(g < arb("1e-60") for g, _ in table)
    slope = (_log(table[-1][1]) - _log(table[-2][1])) / (4 * math.log(10))
    assert slope == pytest.approx(float(certificate.growth.hess_exponent), abs=1e-3) and slope >= 1
    assert "W3" in result.report() and "Search verdict: REFUTED" in result.report()


@pytest.mark.slow
def test_critical_exponent_two_agrees_with_an_independent_ball_table():
    """One hidden tanh layer without biases: along W1 = 0, W2 = t·ones the output is 0,
    ∇f = (Σ_i ℓ′(0; y_i) x_i)·σ′(0)·W2 ~ t and ∂²f/∂W1² ~ t², so ρ = 1 is refuted with ρ* = 2."""
    f = feedforward((1, 2, 1), "tanh", DATA, "squared", bias=False)
    result = search_refuting_curve(f, rho=1, options=SearchOptions(time_budget=30, decades=8), progress=False)
    assert result.verdict == "refuted", result.report()
    certificate = result.certificate
    assert certificate.verdict == "refuted" and result.critical_exponent >= 2
    assert result.critical_exponent == certificate.critical_exponent
    table = _ball_table(f, certificate.curve)
    (g1, h1), (g2, h2) = table[-2:]
    if result.critical_exponent == sp.oo:
        assert g2 < arb("1e-60") or _log(g2) - _log(g1) < 0.01 * (_log(h2) - _log(h1))
    else:
        ratio = (_log(h2) - _log(h1)) / (_log(g2) - _log(g1))
        assert ratio == pytest.approx(float(result.critical_exponent), abs=1e-3)


@pytest.mark.slow
def test_bias_free_tanh_depth_four_is_refuted_along_theorem_g_curve():
    """Theorem G′: σ(0) = 0, σ′(0) = 1, no biases, g = Σ_i ℓ′(0; y_i) x_i = −1/2 − 1 + 1 ≠ 0
    (squared loss: ℓ′(0; y) = −y)."""
    f = feedforward((1, 2, 2, 2, 1), "tanh", DATA, "squared", bias=False)
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(time_budget=40, decades=8),
                                   progress=False)
    assert result.verdict == "refuted", result.report()
    certificate = result.certificate
    assert certificate.verdict == "refuted" and certificate.critical_exponent == sp.oo
    assert certificate.growth.gradient_vanishes
    forms = result.certified[-1].forms
    assert forms[0].is_zero and forms[1].is_zero  # W1 = W2 = 0: Theorem G′'s shape
    assert all(g < arb("1e-60") for g, _ in _ball_table(f, certificate.curve))


@pytest.mark.slow
def test_sigmoid_network_is_refuted_along_a_balanced_curve_not_theorem_g():
    """σ(0) = 1/2 ≠ 0, no biases: Theorem G′'s curve (W1 = W2 = 0, W3 = t·ones) moves the output
    (u = t), so it refutes nothing for every ρ (negative control). The search finds another curve:
    W1 = 0, W2 = t·balanced, W3 = 0 keeps a1 = a2 = (1/2, 1/2) and u = 0, so ∇f has only the
    constant W3 part, Σ_i ℓ′(0; y_i)·a2 = (−1, −1) (‖∇f‖ = √2), while ∂²f/∂W3∂W1 =
    Σ_i ℓ′(0; y_i) x_i σ′(0)² W2 ~ t (Σ_i −y_i x_i = 3): every ρ is refuted."""
    f = feedforward((1, 2, 2, 1), "sigmoid", DATA, "squared", bias=False)
    t = sp.Symbol("t", positive=True)
    theorem_g = Curve(f.variables, [0, 0, 0, 0, 0, 0, t, t], t)
    control = certify_curve(f, theorem_g, every_rho=True, decades=6, progress=False)
    assert control.verdict != "refuted" and not control.growth.gradient_vanishes
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(time_budget=30, decades=8),
                                   progress=False)
    assert result.verdict == "refuted", result.report()
    certificate = result.certificate
    assert certificate.verdict == "refuted" and result.critical_exponent == sp.oo
    for candidate in result.certified:
        assert candidate.certificate is not None
    (g1, h1), (g2, h2) = _ball_table(f, certificate.curve, (8, 16))
    assert abs(g2 - g1) < arb("1e-6") and g2 < 10  # ‖∇f‖ bounded
    assert _log(h2) - _log(h1) > 8 * math.log(10) * 0.9  # ‖∇²f‖_F ~ t^η, η ≥ 0.9


@pytest.mark.slow
def test_a_candidate_at_a_transcendental_bias_is_certified_exactly():
    """1021 parameters, logistic loss: the refuting candidate puts b3 at log(2), where the labels' logistic
    gradient vanishes. The exact route in Q[t, g] (g standing for the transcendental constants) certifies
    it: ∇f ≡ 0 along the curve, ‖∇²f‖_F ~ t², every ρ refuted."""
    f = feedforward((1, 30, 30, 1), "tanh", [(1, 1), (2, -1), (-1, 1)], "logistic")
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(time_budget=30), progress=False)
    assert result.verdict == "refuted", result.report()
    assert result.certificate is not None and result.certificate.verdict == "refuted"
    assert result.critical_exponent == sp.oo
    assert "log(2)" in result.certificate.curve.describe()
    assert "fmpq_mpoly" in result.certificate.find("symbolic-restriction")[0].method


@pytest.mark.slow
def test_an_uncertifiable_candidate_stays_a_labelled_estimate(monkeypatch):
    """The same search with the exact route for irrational constants switched off (as for a curve no route can
    restrict): the log(2) candidate cannot be certified (rational polynomial curves only, and the symbolic route
    stops at 600 parameters). It is reported as a numeric estimate, the verdict is undecided, and the critical
    exponent printed is the one certified exactly along the best polynomial curve (W3 = t·ones, b3 = 0:
    ‖∇f‖ ~ t, ‖∇²f‖ ~ t², ρ* = 2)."""
    monkeypatch.setattr(restricted, "constant_restriction",
                        lambda objective, curve, rational=None, start=None: rational or NotApplicable("switched off"))
    f = feedforward((1, 30, 30, 1), "tanh", [(1, 1), (2, -1), (-1, 1)], "logistic")
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(time_budget=30), progress=False)
    assert result.verdict == "undecided" and result.certificate is None
    assert "numeric estimate only" in result.reason
    assert any(note.startswith("numeric estimate only (not certified)") and "log(2)" in note for note in result.notes)
    assert result.critical_exponent == 2
    certified = [c for c in result.certified if c.certificate is not None]
    assert certified and all(c.certificate.verdict != "refuted" for c in certified)
    assert all(all(f.polynomial for f in c.forms) for c in certified)


@pytest.mark.slow
def test_one_affine_layer_is_never_refuted():
    """widths (2, 1): u = W1·x + b1, no activation; the squared loss is a quadratic in (W1, b1)
    with a constant Hessian, so ∇f is globally Lipschitz and every ρ-order condition holds: the
    search must find nothing and say so, without claiming that it holds."""
    f = feedforward((2, 1), "tanh", [([1, 2], 1), ([0, 1], -1), ([2, -1], 3)], "squared")
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(time_budget=20), progress=False)
    assert result.verdict == "not refuted", result.report()
    assert result.certificate is None and result.critical_exponent is None
    assert "not a proof" in result.reason
    assert all(c.certificate is None or c.certificate.verdict != "refuted" for c in result.certified)
    assert result.seconds < 20 + 3


@pytest.mark.slow
def test_a_lying_ranker_cannot_refute_a_network(monkeypatch):
    """Mutant: the ranking claims ‖∇f‖ bounded and ‖∇²f‖ growing along every curve of the one-layer
    network above; the certificates still decide, and nothing is refuted."""
    def lying(self, candidate, point_at=None):
        candidate.grad_slope, candidate.hess_slope, candidate.critical_estimate = -math.inf, 5.0, math.inf
        return candidate

    monkeypatch.setattr(_Ranker, "rank", lying)
    f = feedforward((2, 1), "tanh", [([1, 2], 1), ([0, 1], -1)], "squared")
    result = search_refuting_curve(f, every_rho=True, options=SearchOptions(certify=2, time_budget=30),
                                   progress=False)
    assert result.verdict == "not refuted"
    assert len(result.certified) == 2
    assert all(c.certificate.verdict == "not refuted" for c in result.certified)


@pytest.mark.slow
@pytest.mark.parametrize("widths, data, rho", [
    ((1, 2, 1), DATA, 3),  # hill climbing fills its share; a symbolic limit is cut short
    ((4, 200, 1), [([1, 2, 0, 1], 1), ([0, 1, 1, 1], -1), ([2, -1, 3, 0], 1)], 5),  # 1000 parameters
])
def test_network_search_respects_its_time_budget(widths, data, rho):
    budget = 4
    f = feedforward(widths, "tanh", data, "squared", bias=False)
    start = time.perf_counter()
    result = search_refuting_curve(f, rho=rho, options=SearchOptions(time_budget=budget, certify=1), progress=False)
    assert time.perf_counter() - start < budget + 4 and result.seconds < budget + 3
    assert result.verdict in ("not refuted", "refuted", "undecided")
    if result.verdict == "refuted":
        assert result.certificate.verdict == "refuted"
    if result.verdict == "undecided":
        assert "time budget" in result.reason or "numeric estimate" in result.reason


def test_key_treats_patterns_as_basic_forms():
    fit = Candidate((Form(0), Form(1, 1), Form(1, 0, 0, "fit", (sp.Rational(2, 3),))), "monomial",
                    grad_slope=-math.inf, hess_slope=2.0, critical_estimate=math.inf)
    plain = Candidate((Form(0), Form(1, 1), Form(0)), "monomial", grad_slope=1.0, hess_slope=2.0,
                      critical_estimate=2.0)
    assert fit.key() > plain.key()
    assert fit.key()[2] is True  # basic
