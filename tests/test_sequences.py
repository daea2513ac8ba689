"""dlnsmooth.sequences: zeros of f′ (and f‴) found numerically, continued, given closed forms,
checked at large k, and certified by certify_curve with an integer parameter."""

import mpmath as mp
import pytest
import sympy as sp

import dlnsmooth.sequences as sequences_module
from dlnsmooth.certificate import certify_curve
from dlnsmooth.errors import ShapeError
from dlnsmooth.objective import DerivativeObjective, Objective
from dlnsmooth.sequences import (
    critical_sequences,
    derivative_zero_sequences,
    sequence_parameter,
    zero_sequences,
)

K = sequence_parameter()
PI = sp.pi


def _by_end(found):
    return {s.end: s for s in found}


def _same(a, b) -> bool:
    return sp.simplify(a - b) == 0


def test_the_parameter_is_a_positive_integer_symbol():
    assert K.is_integer and K.is_positive and K.name == "k"


# -- closed forms of the required shapes ------------------------------------------------------------
@pytest.mark.parametrize(
    "derivative, expected_plus, expected_minus",
    [
        # c·k^a: f′ = sin(x²), the SPEC §3 example
        ("sin(x**2)", sp.sqrt(PI * K), -sp.sqrt(PI * K)),
        # c·k^a + d
        ("sin((x - 1)**2)", 1 + sp.sqrt(PI * K), 1 - sp.sqrt(PI * K)),
        # c·k^a with a = 1/3
        ("sin(x**3)", (PI * K) ** sp.Rational(1, 3), -(PI * K) ** sp.Rational(1, 3)),
        # c·k + d
        ("cos(x)", PI * K + PI / 2, -PI * K - PI / 2),
    ],
)
def test_exact_zero_sequences_have_the_right_closed_form(derivative, expected_plus, expected_minus):
    f = DerivativeObjective.from_string(derivative, "x")
    found = _by_end(zero_sequences(f, ends=["+oo", "-oo"]))
    assert set(found) == {"+∞", "−∞"}
    for end, expected in (("+∞", expected_plus), ("−∞", expected_minus)):
        seq = found[end]
        assert seq.kind == "exact"
        assert _same(seq.closed_form, expected), (end, seq.closed_form)
        assert seq.symbolic_zero  # SymPy evaluates f′(x_k) to 0 for integer k
        assert seq.parameter is K or seq.parameter == K
        assert [c.k for c in seq.checks] == [10**6, 10**12]
        for check in seq.checks:  # the closed form and the refined zero agree to the working precision
            assert mp.mpf(check.distance) < mp.mpf(10) ** -40 * (1 + abs(mp.mpf(check.predicted)))


def test_asymptotic_zeros_of_x_sin_x_approach_pi_k_plus_half_pi():
    f = Objective.from_string("x*sin(x)", "x")
    found = _by_end(zero_sequences(f, ends=["+oo", "-oo"]))
    plus = found["+∞"]
    assert plus.kind == "asymptotic" and not plus.symbolic_zero
    assert _same(plus.closed_form, PI * K + PI / 2)
    assert _same(found["−∞"].closed_form, -PI * K - PI / 2)
    near, far = (mp.mpf(c.distance) for c in plus.checks)
    # tan x = −x: the zeros are πk + π/2 + 1/(πk) + …, so the distance shrinks like 1/(πk)
    assert far < near < mp.mpf("1e-5")
    assert abs(near * mp.pi * 10**6 - 1) < mp.mpf("1e-3")


def test_zeros_accumulating_at_a_finite_point():
    f = DerivativeObjective.from_string("x*sin(1/x)", "x")
    found = _by_end(zero_sequences(f, ends=["finite"]))
    assert set(found) == {"0+", "0−"}
    assert _same(found["0+"].closed_form, 1 / (PI * K))
    assert _same(found["0−"].closed_form, -1 / (PI * K))
    # f″ = sin(1/x) − cos(1/x)/x = −(−1)^k πk there while f′ = 0: every ρ is refuted near 0
    certificate = certify_curve(f, found["0+"].curve, every_rho=True, decades=10, progress=False)
    assert certificate.verdict == "refuted"


def test_extrema_of_f2_when_f1_has_no_zeros():
    # f′ = 2 + sin(x²) ≥ 1 has no zeros; the extrema of f″ approach sqrt(kπ), where f′ = 2, |f″| → ∞
    f = DerivativeObjective.from_string("2 + sin(x**2)", "x")
    assert zero_sequences(f, functions=("f′",), ends=["+oo"]) == []
    found = critical_sequences(f, ends=["+oo"])
    assert len(found) == 1 and found[0].function == "f‴" and found[0].kind == "asymptotic"
    assert _same(found[0].closed_form, sp.sqrt(PI * K))
    certificate = certify_curve(f, found[0].curve, every_rho=True, decades=10, progress=False)
    assert certificate.verdict == "refuted"


# -- the certificates -------------------------------------------------------------------------------
def test_fresnel_sequence_is_certified_for_every_rho():
    f = DerivativeObjective.from_string("sin(x**2)", "x")
    (curve, *_) = derivative_zero_sequences(f, ends=["+oo"])
    assert curve.parameter.is_integer
    certificate = certify_curve(f, curve, every_rho=True, progress=False)
    assert certificate.verdict == "refuted"
    assert certificate.critical_exponent == sp.oo
    assert certificate.find("symbolic-identity")[0].holds  # f′(x_k) ≡ 0
    table = certificate.find("numeric-table")[0]
    assert table.all_confirmed and table.arithmetic == "ball"
    for rho in (0, 1, 5):
        assert certify_curve(f, curve, rho=rho, decades=10, progress=False).verdict == "refuted"


@pytest.mark.parametrize("expression", ["x*sin(x)", "sin(x**2)"])
def test_oscillating_objectives_are_refuted_along_their_sequences(expression):
    f = Objective.from_string(expression, "x")
    curves = derivative_zero_sequences(f, ends=["+oo", "-oo"])
    assert len(curves) == 2
    for curve in curves:
        assert certify_curve(f, curve, every_rho=True, decades=10, progress=False).verdict == "refuted"


def test_a_true_claim_is_not_refuted_along_a_sequence():
    # f = sin: f″ = −sin is bounded, so f′ is globally Lipschitz; the zeros of f′ prove nothing
    f = Objective.from_string("sin(x)", "x")
    curves = derivative_zero_sequences(f, ends=["+oo"])
    assert len(curves) == 1
    for rho in (None, 0, 1):
        cert = certify_curve(f, curves[0], rho=rho, every_rho=rho is None, decades=10, progress=False)
        assert cert.verdict == "not refuted"


# -- empty answers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("expression", ["exp(x)", "x**4", "x**4/4 - x**2/2", "log(cosh(x))", "x**3 + x"])
def test_no_zeros_or_finitely_many_give_no_sequence(expression):
    f = Objective.from_string(expression, "x")
    assert derivative_zero_sequences(f) == []


def test_zeros_that_grow_exponentially_are_not_given_a_power_law():
    # f′ = sin(4 log(1 + x²)): zeros x_k = sqrt(e^(πk/4) − 1); enough of them are found below 4096
    # to attempt a fit, but no (αk + β)^a + d law fits them
    f = DerivativeObjective.from_string("sin(4*log(1 + x**2))", "x")
    searcher = sequences_module._Searcher(f.gradient[0], f.variables[0], sequences_module._End(1), 30, 1e12)
    assert len(searcher.explore(40, 4096)) >= sequences_module.MIN_ROOTS
    assert zero_sequences(f, ends=["+oo"], time_budget=5) == []


# -- mutants ------------------------------------------------------------------------------------
def test_a_misidentified_constant_is_rejected_by_the_large_k_check(monkeypatch):
    real = sequences_module._identify

    def sloppy(value, tolerance, max_denominator):
        if abs(value - mp.pi) < mp.mpf("1e-6"):
            return sp.Rational(314159, 100000)  # π to six digits: wrong at k = 10^6 and 10^12
        return real(value, tolerance, max_denominator)

    monkeypatch.setattr(sequences_module, "_identify", sloppy)
    f = DerivativeObjective.from_string("sin(x**2)", "x")
    assert zero_sequences(f, ends=["+oo"]) == []


def test_a_shifted_closed_form_is_not_a_zero_sequence(monkeypatch):
    real = sequences_module._closed_form

    def shifted(model, previous, k, exact_fit):
        form = real(model, previous, k, exact_fit)
        return None if form is None else form + sp.Rational(1, 10**4)

    monkeypatch.setattr(sequences_module, "_closed_form", shifted)
    f = DerivativeObjective.from_string("sin(x**2)", "x")
    assert zero_sequences(f, ends=["+oo"]) == []


# -- bad input --------------------------------------------------------------------------------------
def test_two_variables_are_refused():
    with pytest.raises(ShapeError, match="one variable"):
        derivative_zero_sequences(Objective.from_string("x*y", "x,y"))


@pytest.mark.parametrize(
    "options, message",
    [({"max_roots": 3}, "max_roots"), ({"time_budget": 0}, "time_budget"), ({"functions": ("f″",)}, "unknown function"),
     ({"ends": ["middle"]}, "unknown end")],
)
def test_bad_options_are_named(options, message):
    f = Objective.from_string("sin(x)", "x")
    with pytest.raises(ValueError, match=message):
        zero_sequences(f, **options)


def test_the_parameter_must_differ_from_the_variable():
    f = Objective.from_string("sin(k)", "k")
    with pytest.raises(ValueError, match="also the variable"):
        zero_sequences(f)


def test_report_and_json():
    f = DerivativeObjective.from_string("sin(x**2)", "x")
    (seq,) = zero_sequences(f, ends=["+oo"])
    text = "\n".join(seq.lines())
    assert "zeros of f′ towards +∞: x_k = sqrt(pi)*sqrt(k)" in text and "k = 1e+12" in text
    data = seq.to_json()
    assert data["kind"] == "exact" and data["curve"]["parameter"] == "k" and len(data["checks"]) == 2


def test_zeros_crowding_exponentially_are_found_along_x_equal_log_y():
    """f = cos(eˣ): f′ = −eˣ sin(eˣ) vanishes at x_k = log(πk), too dense for a grid in x; in y = eˣ
    they are y_k = πk, and |f″(x_k)| = (πk)² → ∞ refutes every ρ."""
    f = Objective.from_string("cos(exp(x))", "x")
    sequences = critical_sequences(f, ends=["+oo"], time_budget=8)
    assert sequences, "no sequence found"
    x_k = sequences[0].closed_form
    k = sequences[0].parameter
    assert sp.simplify(x_k - sp.log(sp.pi * k)) == 0 and sequences[0].kind == "exact"
    assert certify_curve(f, sequences[0].curve, every_rho=True, decades=8, progress=False).verdict == "refuted"
