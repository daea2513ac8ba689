"""Objectives of seed 003: value and selected subgradient against independent SymPy formulas, the kink
rules, balls that enclose the exact values, convexity flags, subgradient bounds, exact vectors, validation."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from flint import arb

from dlnsmooth.cli import main
from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.dynamics.objectives import (
    ExactVector,
    GeneralLasso,
    HuberRegression,
    ParameterError,
    ReluLasso,
    ToyLasso,
    UndecidedKink,
    ball_sign,
    combine,
    sqrt_upper,
)
from dlnsmooth.errors import DataError, ParseError, ShapeError
from dlnsmooth.precision import working_precision

P = 3
BETA = sp.symbols(f"b0:{P}", real=True)


def _data(seed: int = 0, n: int = 4, p: int = P) -> RegressionData:
    return RegressionData.random(n, p, seed)


def _sympy_formula(objective) -> sp.Expr:
    """The loss written independently from the docstrings' formulas."""
    b = sp.Matrix(BETA)
    if isinstance(objective, ToyLasso):
        return sp.Rational(objective.lam) * sum(sp.Abs(x) for x in BETA)
    d = objective.data
    Z = sp.Matrix([[sp.Rational(v) for v in row] for row in d.Z])
    y = sp.Matrix([sp.Rational(v) for v in d.y])
    u = Z * b
    if isinstance(objective, GeneralLasso):
        return (y - u).dot(y - u) / d.rows + sp.Rational(objective.lam) * sum(sp.Abs(x) for x in BETA)
    if isinstance(objective, ReluLasso):
        fit = sum((y[i] - sp.Max(0, u[i])) ** 2 for i in range(d.rows))
        return fit + sp.Rational(objective.lam1) * sum(sp.Abs(x) for x in BETA) + sp.Rational(objective.lam2) * b.dot(b)
    delta = sp.Rational(objective.delta)
    r = sp.Symbol("r", real=True)
    huber = sp.Lambda(r, sp.Piecewise((r ** 2 / 2, sp.Abs(r) <= delta), (delta * (sp.Abs(r) - delta / 2), True)))
    return sum(huber(y[i] - u[i]) for i in range(d.rows)) / d.rows


def _dyadic(x: arb) -> Fraction:
    man, exp = (int(v) for v in x.man_exp())
    return Fraction(man) * Fraction(2) ** exp


def _encloses(ball: arb, value: Fraction) -> bool:
    """|value − mid| ≤ rad, decided exactly."""
    return abs(value - _dyadic(ball.mid())) <= _dyadic(ball.rad())


def _objectives():
    data = _data()
    return [ToyLasso(Fraction(3, 2), P), GeneralLasso(data, lam=Fraction(1, 10)),
            ReluLasso(data, None, Fraction(1, 5), Fraction(1, 3)), HuberRegression(data, delta=Fraction(1, 2))]


def _random_point(rng: random.Random) -> list[Fraction]:
    return [Fraction(rng.randint(-300, 300), rng.randint(1, 97)) for _ in range(P)]


def _away_from_kinks(objective, point) -> bool:
    if any(v == 0 for v in point):
        return False
    if isinstance(objective, (ReluLasso, HuberRegression)):
        products = objective.exact_products(objective.exact_point(point), list(range(objective.rows)))
        if isinstance(objective, ReluLasso):
            return all(u != 0 for u in products)
        return all(abs(y - u) != objective.delta for y, u in zip(objective.data.y, products))
    return True


@pytest.mark.parametrize("objective", _objectives(), ids=lambda o: o.name)
def test_value_and_subgradient_match_sympy_away_from_kinks(objective):
    formula = _sympy_formula(objective)
    gradient = [sp.diff(formula, x) for x in BETA]
    rng = random.Random(7)
    checked = 0
    while checked < 4:
        point = _random_point(rng)
        if not _away_from_kinks(objective, point):
            continue
        env = dict(zip(BETA, [sp.Rational(v) for v in point]))
        assert sp.Rational(objective.value(point)) == sp.nsimplify(formula.subs(env))
        expected = [sp.simplify(g.subs(env)) for g in gradient]
        assert [sp.Rational(v) for v in objective.subgradient(point)] == expected
        checked += 1


@pytest.mark.parametrize("objective", _objectives(), ids=lambda o: o.name)
def test_balls_enclose_the_exact_values(objective):
    rng = random.Random(3)
    for _ in range(3):
        point = _random_point(rng)
        if not _away_from_kinks(objective, point):
            continue
        exact_value, exact_gradient = objective.value(point), objective.subgradient(point)
        with working_precision(30):
            balls = objective.ball_point(point)
            assert _encloses(objective.ball_value(balls), exact_value)
            for ball, exact in zip(objective.ball_subgradient(balls), exact_gradient):
                assert _encloses(ball, exact)
                assert ball.rad() < 1e-25


def test_kink_rules_sign_zero_and_relu_zero():
    toy = ToyLasso(2, 3)
    assert toy.subgradient([0, Fraction(-1, 3), 5]) == [0, -2, 2]
    assert toy.kink_rule == "sign(0) = 0"
    # ReLU: one row z = (1, 1, 1), q = 1; at β = (1, −1, 0) z·β = 0 exactly, so max′(0) = 0 removes the data term
    relu = ReluLasso([[1, 1, 1]], [1], lam1=0, lam2=0)
    assert relu.subgradient([1, -1, 0]) == [0, 0, 0]
    # just past the kink the data term is back: z·β = 1/10 > 0 gives −2(1 − 1/10)z
    assert relu.subgradient([Fraction(11, 10), -1, 0]) == [Fraction(-9, 5)] * 3


def test_ball_sign_decides_only_outside_the_kink():
    with working_precision(30):
        assert ball_sign(arb(0)) == 0
        assert ball_sign(arb("0.1 +/- 0.01")) == 1
        assert ball_sign(arb("-0.1 +/- 0.01")) == -1
        with pytest.raises(UndecidedKink):
            ball_sign(arb("0 +/- 1e-20"))
        with pytest.raises(UndecidedKink):
            ToyLasso(1, 2).ball_subgradient([arb(1), arb("0 +/- 1e-30")])


def test_huber_is_c1_a_ball_across_the_switch_is_enclosed_not_refused():
    huber = HuberRegression([[1]], [0], delta=1)
    with working_precision(30):
        straddling = arb("1 +/- 0.001")  # r = −β straddles |r| = δ
        gradient = huber.ball_subgradient([straddling])[0]
        value = huber.ball_value([straddling])
        for beta in (Fraction(999, 1000), Fraction(1), Fraction(1001, 1000)):
            assert _encloses(gradient, huber.subgradient([beta])[0])
            assert _encloses(value, huber.value([beta]))


def test_convexity_flags():
    toy, lasso, relu, huber = _objectives()
    assert toy.convex and lasso.convex and huber.convex and not relu.convex
    assert all(o.rational for o in (toy, lasso, relu, huber))


def test_relu_lasso_is_not_convex_at_a_witness():
    """f(β) = (1 − max(0, β))²: f(−1) = 1, f(1) = 0, f(0) = 1 > (f(−1) + f(1))/2, so the flag is right."""
    relu = ReluLasso([[1]], [1], lam1=0, lam2=0)
    assert [relu.value([v]) for v in (-1, 0, 1)] == [1, 1, 0]
    assert relu.value([0]) > (relu.value([-1]) + relu.value([1])) / 2


@pytest.mark.parametrize("objective", [_objectives()[0], _objectives()[3]], ids=lambda o: o.name)
def test_subgradient_bound_dominates_random_subgradients(objective):
    bound = objective.subgradient_bound()
    assert bound is not None
    rng = random.Random(11)
    for _ in range(20):
        point = [Fraction(rng.randint(-10 ** 4, 10 ** 4), rng.randint(1, 50)) for _ in range(P)]
        g = objective.subgradient(point)
        assert sum(v * v for v in g) <= bound * bound
    # the bound is attained (toy: every sign non-zero) or nearly (Huber: far out every residual is clipped)
    if isinstance(objective, ToyLasso):
        g = objective.subgradient([1, -1, 1])
        assert sum(v * v for v in g) <= bound * bound < sum(v * v for v in g) * Fraction(1001, 1000)


def test_unbounded_subgradients_have_no_bound():
    _, lasso, relu, _ = _objectives()
    assert lasso.subgradient_bound() is None and relu.subgradient_bound() is None


def test_sqrt_upper_is_an_upper_bound_and_exact_on_squares():
    assert sqrt_upper(Fraction(9, 4)) == Fraction(3, 2)
    for value in (Fraction(2), Fraction(1, 3), Fraction(500), Fraction(7, 10 ** 9)):
        upper = sqrt_upper(value)
        assert upper * upper >= value and upper * upper - value < Fraction(1, 10 ** 9)


def test_exact_vectors_switch_to_python_integers_instead_of_overflowing():
    big = ExactVector.from_integers([2 ** 61, -(2 ** 61)], 3)
    assert big.numerators.dtype == np.int64
    total = combine([(Fraction(4), big), (Fraction(1, 7), big)])
    assert total.numerators.dtype == object
    assert total.to_fractions() == [Fraction(29 * 2 ** 61, 21), Fraction(-29 * 2 ** 61, 21)]
    small = combine([(Fraction(1), ExactVector.from_values(["0.5", "1/3"])), (Fraction(-1, 2), ExactVector.from_values([1, 0]))])
    assert small.numerators.dtype == np.int64 and small.to_fractions() == [0, Fraction(1, 3)]


def test_canonical_forms_and_fingerprints_identify_equal_vectors():
    a = ExactVector(np.array([2, 4], dtype=np.int64), 6)
    b = ExactVector.from_values([Fraction(1, 3), Fraction(2, 3)])
    c = ExactVector.from_integers([2 ** 70, 2 ** 71], 3 * 2 ** 70)
    assert a == b == c
    assert a.fingerprint() == b.fingerprint() == c.fingerprint()
    assert a.fingerprint() != ExactVector.from_values([Fraction(1, 3), Fraction(1, 3)]).fingerprint()


@pytest.mark.parametrize("build, error", [
    (lambda: ToyLasso(-1, 2), ParameterError),
    (lambda: ToyLasso("nan", 2), ParseError),
    (lambda: ToyLasso(1, 0), ShapeError),
    (lambda: GeneralLasso([[1, 2], [3]], [1, 2], lam=1), ShapeError),
    (lambda: GeneralLasso([[1, 2]], [1, 2], lam=1), ShapeError),
    (lambda: GeneralLasso([], [], lam=1), DataError),
    (lambda: GeneralLasso([[1, "inf"]], [1], lam=1), ParseError),
    (lambda: HuberRegression([[1]], [1], delta=0), ParameterError),
    (lambda: ReluLasso([[1]], [1], lam1=1, lam2=-1), ParameterError),
], ids=["lambda<0", "nan", "P=0", "ragged", "y-length", "empty", "inf", "delta=0", "lambda2<0"])
def test_bad_parameters_get_one_line_errors(build, error):
    with pytest.raises(error) as info:
        build()
    assert "\n" not in str(info.value)


def test_point_of_the_wrong_dimension_is_refused():
    with pytest.raises(ShapeError, match="coordinates"):
        ToyLasso(1, 2).value([1, 2, 3])


def test_the_smooth_checker_still_refuses_kinks_with_its_c2_error(capsys):
    status = main(["check", "abs(x)", "--vars", "x", "--rho", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert "not differentiable" in err and "C^2" in err and err.count("\n") == 1
