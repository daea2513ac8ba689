"""Losses of network output vectors: gradient and Hessian of each formula, in every number type."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.errors import DataError, NotRational, ShapeError
from dlnsmooth.networks.losses import LOSSES, OUTPUT_LOSSES, get_output_loss
from dlnsmooth.precision import working_precision

CASES = [
    ("squared", [sp.Rational(1, 3)], [sp.Integer(2)]),
    ("squared", [sp.Rational(1, 3), sp.Rational(-5, 2)], [sp.Integer(2), sp.Rational(1, 7)]),
    ("l2", [sp.Rational(1, 3), sp.Integer(4), sp.Integer(-1)], [sp.Integer(2), sp.Integer(0), sp.Rational(1, 2)]),
    ("logistic", [sp.Rational(-3, 4)], [sp.Integer(-1)]),
    ("exponential", [sp.Rational(5, 4)], [sp.Integer(1)]),
    ("cross-entropy", [sp.Rational(1, 3), sp.Rational(-1, 2)], [sp.Integer(1), sp.Integer(0)]),
    ("cross-entropy", [sp.Rational(1, 3), sp.Rational(-1, 2), sp.Integer(3)],
     [sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(1, 4)]),
]


def _reference(name, u, y):
    symbols = sp.symbols(f"u0:{len(u)}", real=True)
    expression = OUTPUT_LOSSES[name].symbolic(list(symbols), y)
    at = dict(zip(symbols, u))
    value = expression.xreplace(at)
    grad = [sp.diff(expression, s).xreplace(at) for s in symbols]
    hess = [[sp.diff(expression, s, r).xreplace(at) for r in symbols] for s in symbols]
    return value, grad, hess


@pytest.mark.parametrize("name, u, y", CASES)
def test_sympy_derivatives_are_those_of_the_formula(name, u, y):
    value, grad, hess = OUTPUT_LOSSES[name].derivatives("sympy", u, y)
    rv, rg, rh = _reference(name, u, y)
    assert sp.simplify(value - rv) == 0
    assert all(sp.simplify(a - b) == 0 for a, b in zip(grad, rg))
    assert all(sp.simplify(a - b) == 0 for row, ref in zip(hess, rh) for a, b in zip(row, ref))


@pytest.mark.parametrize("name, u, y", CASES)
def test_balls_and_floats_agree_with_the_formula(name, u, y):
    rv, rg, rh = _reference(name, u, y)
    with working_precision(40):
        bv, bg, bh = OUTPUT_LOSSES[name].derivatives(
            "ball", [arb(int(a.p)) / int(a.q) for a in u], [arb(int(b.p)) / int(b.q) for b in y])
        for ball, exact in [(bv, rv)] + list(zip(bg, rg)) + [(a, b) for r, s in zip(bh, rh) for a, b in zip(r, s)]:
            assert abs(float(ball.mid()) - float(sp.N(exact, 30))) < 1e-25 + 1e-25 * abs(float(sp.N(exact)))
            assert ball.rad() < 1e-30
    fv, fg, fh = OUTPUT_LOSSES[name].floats(np.array([[float(a)] for a in u]), np.array([[float(b)] for b in y]))
    assert np.isclose(fv[0], float(rv), rtol=1e-13)
    assert np.allclose(fg[:, 0], [float(a) for a in rg], rtol=1e-13, atol=1e-15)
    assert np.allclose(fh[:, :, 0], [[float(a) for a in r] for r in rh], rtol=1e-13, atol=1e-15)


def test_squared_output_loss_is_the_scalar_squared_loss():
    u, y = sp.Symbol("u"), sp.Symbol("y")
    assert sp.expand(OUTPUT_LOSSES["squared"].symbolic([u], [y]) - LOSSES["squared"](u, y)) == 0
    assert get_output_loss(LOSSES["squared"]) is OUTPUT_LOSSES["squared"]
    assert get_output_loss(LOSSES["logistic"]).name == "logistic"


def test_exact_derivatives():
    _, grad, hess = OUTPUT_LOSSES["logistic"].derivatives("exact", [fmpq(0)], [fmpq(-1)])
    assert grad == [fmpq(1, 2)] and hess == [[fmpq(1, 4)]]
    _, grad, hess = OUTPUT_LOSSES["cross-entropy"].derivatives("exact", [fmpq(0)] * 3, [fmpq(1), fmpq(0), fmpq(0)])
    assert grad == [fmpq(-2, 3), fmpq(1, 3), fmpq(1, 3)]
    assert hess[0] == [fmpq(2, 9), fmpq(-1, 9), fmpq(-1, 9)]
    with pytest.raises(NotRational):
        OUTPUT_LOSSES["cross-entropy"].derivatives("exact", [fmpq(0), fmpq(1)], [fmpq(1), fmpq(0)])
    with pytest.raises(NotRational):
        OUTPUT_LOSSES["logistic"].derivatives("exact", [fmpq(1)], [fmpq(1)])


def test_gradient_at_zero():
    assert OUTPUT_LOSSES["cross-entropy"].gradient_at_zero([1, 0]) == [sp.Rational(-1, 2), sp.Rational(1, 2)]
    assert OUTPUT_LOSSES["logistic"].gradient_at_zero([1]) == [sp.Rational(-1, 2)]
    assert OUTPUT_LOSSES["l2"].gradient_at_zero([3, -1]) == [-6, 2]


def test_float_cross_entropy_is_stable_at_large_outputs():
    value, grad, hess = OUTPUT_LOSSES["cross-entropy"].floats(np.array([[1000.0], [-1000.0]]), np.array([[0.0], [1.0]]))
    assert np.isclose(value[0], 2000.0) and np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))


def test_output_dimensions_and_labels_are_checked():
    with pytest.raises(ShapeError, match="scalar output"):
        OUTPUT_LOSSES["logistic"].check_outputs(2)
    with pytest.raises(ShapeError, match="at least 2 outputs"):
        OUTPUT_LOSSES["cross-entropy"].check_outputs(1)
    OUTPUT_LOSSES["squared"].check_outputs(5)
    with pytest.raises(DataError, match="probability vector"):
        OUTPUT_LOSSES["cross-entropy"].check_label((sp.Rational(1, 2), sp.Rational(1, 3)), 0)
    with pytest.raises(DataError, match="probability vector"):
        OUTPUT_LOSSES["cross-entropy"].check_label((sp.Integer(2), sp.Integer(-1)), 0)
    with pytest.raises(DataError, match=r"y in \{-1, \+1\}"):
        OUTPUT_LOSSES["logistic"].check_label((sp.Integer(0),), 3)
    with pytest.raises(DataError, match="unknown loss"):
        get_output_loss("hinge")
    assert get_output_loss("CE").name == "cross-entropy"
