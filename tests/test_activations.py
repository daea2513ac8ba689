"""Activations: exact derivatives, and the float64 / ball / exact evaluators agree with them."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.errors import DataError, NotRational
from dlnsmooth.networks.activations import ACTIVATIONS, get_activation
from dlnsmooth.networks.losses import U
from dlnsmooth.precision import working_precision

POINTS = ["-3.5", "-1", "-0.25", "0", "0.3", "2", "7.5"]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivatives_are_those_of_the_formula(name):
    a = ACTIVATIONS[name]
    assert sp.simplify(a.first - sp.diff(a.expr, U)) == 0
    assert sp.simplify(a.second - sp.diff(a.expr, U, 2)) == 0


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_ball_values_enclose_the_exact_ones(name):
    a = ACTIVATIONS[name]
    with working_precision(40):
        for text in POINTS:
            point = sp.Rational(text)
            balls = a.ball(arb(int(point.p)) / int(point.q))
            for ball, expression in zip(balls, (a.expr, a.first, a.second)):
                exact = arb(str(sp.N(expression.xreplace({U: point}), 60)))  # within 10^-59 of the value
                assert ball.overlaps(exact)
                assert ball.rad() < 1e-35


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_float64_values_match_the_exact_ones(name):
    a = ACTIVATIONS[name]
    z = np.array([float(p) for p in POINTS])
    floats = a.floats(z)
    for values, expression in zip(floats, (a.expr, a.first, a.second)):
        exact = np.array([float(sp.N(expression.xreplace({U: sp.Rational(p)}), 30)) for p in POINTS])
        assert np.allclose(values, exact, rtol=1e-13, atol=1e-14)


def test_float64_sigmoid_and_softplus_do_not_overflow():
    z = np.array([-800.0, 800.0])
    for name in ("sigmoid", "softplus"):
        values = ACTIVATIONS[name].floats(z)
        assert all(np.all(np.isfinite(v)) for v in values)
    assert ACTIVATIONS["softplus"].floats(z)[0][1] == 800.0


def test_ball_softplus_at_a_huge_argument():
    with working_precision(30):
        big = arb(10) ** 30
        value, first, second = ACTIVATIONS["softplus"].ball(big)
        assert value.overlaps(big) and value.rad() < 1 and first.contains(1) and second.rad() < 1e-20


def test_values_at_zero_and_theorem_g_hypotheses():
    ready = {name for name, a in ACTIVATIONS.items() if a.theorem_g_ready}
    assert ready == {"identity", "tanh", "sin", "gelu"}
    assert ACTIVATIONS["gelu"].at_zero == (0, sp.Rational(1, 2), sp.sqrt(2) / sp.sqrt(sp.pi))
    assert ACTIVATIONS["sigmoid"].at_zero == (sp.Rational(1, 2), sp.Rational(1, 4), 0)
    assert ACTIVATIONS["quadratic"].at_zero == (1, 0, 2)


def test_exact_values_rational_or_refused():
    assert ACTIVATIONS["quadratic"].exact(fmpq(1, 3)) == (fmpq(10, 9), fmpq(2, 3), fmpq(2))
    assert ACTIVATIONS["tanh"].exact(fmpq(0)) == (fmpq(0), fmpq(1), fmpq(0))
    with pytest.raises(NotRational):
        ACTIVATIONS["tanh"].exact(fmpq(1))
    with pytest.raises(NotRational):
        ACTIVATIONS["gelu"].exact(fmpq(0))  # σ″(0) = √(2/π)


def test_names_and_aliases():
    assert get_activation(" TanH ") is ACTIVATIONS["tanh"]
    assert get_activation("u^2+1") is ACTIVATIONS["quadratic"]
    assert get_activation("linear") is ACTIVATIONS["identity"]
    with pytest.raises(DataError, match="unknown activation 'relu'"):
        get_activation("relu")


@pytest.mark.parametrize("name", [a.name for a in ACTIVATIONS.values() if a.from_value is not None])
def test_derivatives_from_the_value_are_the_derivatives(name):
    """Where σ′ and σ″ are given as polynomials in σ (``from_value``), they equal SymPy's derivatives of σ."""
    activation = ACTIVATIONS[name]
    first, second = activation.from_value(activation.expr, sp.Integer)
    assert sp.simplify(first - activation.first) == 0
    assert sp.simplify(second - activation.second) == 0

