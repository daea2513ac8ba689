"""dlnsmooth.objective: derivatives once, exact inputs, precision kept, clear errors."""

import mpmath as mp
import pytest
import sympy as sp
from flint import arb

from dlnsmooth.certificate import certify_curve
from dlnsmooth.curves import Curve
from dlnsmooth.errors import (
    DlnsmoothError,
    DomainError,
    NonDifferentiableError,
    ParseError,
    ShapeError,
    UnknownVariableError,
)
from dlnsmooth.objective import Objective, VectorField, continuity_domain
from dlnsmooth.precision import working_precision
from dlnsmooth.univariate import decide_univariate


def test_gradient_and_hessian_are_derived_once_and_correct():
    f = Objective.from_string("x**4 + x*y + exp(y)", "x,y")
    x, y = f.variables
    assert list(f.gradient) == [4 * x**3 + y, x + sp.exp(y)]
    assert f.hessian == sp.Matrix([[12 * x**2, 1], [1, sp.exp(y)]])
    assert f.gradient is f.gradient and f.hessian is f.hessian  # cached


def test_evaluation_keeps_the_requested_precision():
    # 1/3 and 1/7 must reach mpmath exactly: a float would limit the result to ~16 digits.
    f = Objective.from_string("exp(x/3) + y/7", "x,y")
    for dps in (50, 100):
        with mp.workdps(dps + 20):
            exact_value = mp.exp(mp.mpf(1) / 9) + mp.mpf(2) / 35
            exact_grad = [mp.exp(mp.mpf(1) / 9) / 3, mp.mpf(1) / 7]
        value = f.value([sp.Rational(1, 3), sp.Rational(2, 5)], dps)
        grad = f.grad([sp.Rational(1, 3), "0.4"], dps)
        with mp.workdps(dps + 20):
            assert abs(value - exact_value) < mp.mpf(10) ** (2 - dps)
            assert all(abs(g - e) < mp.mpf(10) ** (2 - dps) for g, e in zip(grad, exact_grad))


def test_decimal_literals_in_expressions_are_exact():
    f = Objective.from_string("0.1*x", "x")
    with mp.workdps(80):
        assert abs(f.value([1], 70) - mp.mpf(1) / 10) < mp.mpf(10) ** -68


def test_hessian_norms_and_which_is_which():
    f = Objective.from_string("x**2 + 3*x*y + y**2", "x,y")  # H = [[2, 3], [3, 2]]
    with mp.workdps(50):
        assert abs(f.hess_norm([0, 0], 50) - mp.sqrt(26)) < mp.mpf(10) ** -45  # Frobenius by default
        assert abs(f.hess_norm([0, 0], 50, "spectral") - 5) < mp.mpf(10) ** -45
        assert abs(f.grad_norm([1, 1], 50) - mp.sqrt(50)) < mp.mpf(10) ** -45


def test_gradient_field_is_the_vector_field_d():
    f = Objective.from_string("x**3*y", "x,y")
    D = f.gradient_field
    assert isinstance(D, VectorField)
    assert D([2, 5], 30) == [mp.mpf(60), mp.mpf(8)]
    assert D.norm([1, 0], 30) == 1


def test_vector_field_from_strings_and_errors():
    D = VectorField.from_strings(["sin(x)", "x*y"], "x,y")
    with mp.workdps(30):
        assert D([0, 3], 30) == [0, 0]
    with pytest.raises(UnknownVariableError):
        VectorField.from_strings(["z"], "x")
    with pytest.raises(ShapeError):
        VectorField([], [sp.Symbol("x")])


def test_gradient_at_and_hessian_at_substitute_exactly():
    f = Objective.from_string("log(1 + exp(-a*b))", "a,b")
    a, b = f.variables
    k = sp.Symbol("k", positive=True)
    assert f.gradient_at({a: 0, b: k}) == [-k / 2, 0]
    assert f.hessian_at({a: 0, b: k})[0, 0] == k**2 / 4
    with pytest.raises(ShapeError):
        f.gradient_at({a: 0})


def test_condition_digits_follow_the_transcendental_arguments():
    f = Objective.from_string("log(1 + exp(-x*y))", "x,y")
    assert f.condition_digits([1, 1]) == 0  # exp(-1): |u| = 1; log does not amplify errors
    assert f.condition_digits(["1e20", "1e30"]) == 50  # |x y| = 1e50
    polynomial = Objective.from_string("x**2", "x")
    assert polynomial.condition_digits(["1e7"]) == 7  # coordinates only


@pytest.mark.parametrize(
    ("text", "variables", "error"),
    [
        ("abs(x)", "x", NonDifferentiableError),
        ("max(x, 0)", "x", NonDifferentiableError),
        ("x + z", "x", UnknownVariableError),
        ("x.real", "x", ParseError),
        ("x +", "x", ParseError),
        ("x", "x,x", ParseError),
    ],
)
def test_bad_objectives_get_clear_errors(text, variables, error):
    with pytest.raises(error):
        Objective.from_string(text, variables)


def test_sympy_objectives_are_checked_too():
    x, y = sp.symbols("x y", real=True)
    with pytest.raises(NonDifferentiableError, match="Abs"):
        Objective(sp.Abs(x), [x])
    with pytest.raises(NonDifferentiableError):
        Objective(sp.Piecewise((x, x > 0), (0, True)), [x])
    with pytest.raises(UnknownVariableError, match="y"):
        Objective(x + y, [x])
    with pytest.raises(ShapeError):
        Objective(x, [x, sp.Symbol("x", real=True)])
    with pytest.raises(ShapeError):
        Objective(sp.Integer(1), [])
    with pytest.raises(TypeError):
        Objective(x, ["x"])


def test_points_are_validated():
    f = Objective.from_string("x*y", "x,y")
    with pytest.raises(ShapeError, match="expected 2"):
        f.grad([1], 30)
    with pytest.raises(ShapeError):
        f.hess("12", 30)
    with pytest.raises(TypeError):
        f.value([1, None], 30)


def test_evaluation_outside_the_domain_is_a_domain_error():
    f = Objective.from_string("log(x) + sqrt(y)", "x,y")
    with pytest.raises(DomainError, match="not real"):
        f.value([-1, 1], 30)
    with pytest.raises(DomainError):
        f.grad([1, -4], 30)


def test_describe_and_latex():
    f = Objective.from_string("x**2/2", "x")
    assert f.describe() == "f(x) = x**2/2"
    assert f.latex() == r"f(x) = \frac{x^{2}}{2}"


# -- one reading of real powers (module docstring) ----------------------------------------------------
def test_complex_coordinates_are_domain_errors():
    f = Objective.from_string("x**4", "x")
    for point in ([mp.mpc(1, 1)], [complex(0, 1)], [sp.sqrt(-3)]):
        with pytest.raises(DomainError, match="not real"):
            f.value(point, 30)


def test_fractional_powers_are_real_only_where_the_base_is_nonnegative():
    x = sp.Symbol("x", real=True)
    assert continuity_domain(x ** sp.Rational(7, 3), x) == sp.Interval(0, sp.oo)
    assert continuity_domain(sp.Rational(28, 9) * x ** sp.Rational(1, 3), x) == sp.Interval(0, sp.oo)
    assert continuity_domain(x + (1 - x) ** sp.Rational(1, 3), x) == sp.Interval(-sp.oo, 1)
    assert continuity_domain((x**2 + 1) ** sp.Rational(1, 3), x) == sp.S.Reals
    assert continuity_domain(x**4 + sp.exp(x), x) == sp.S.Reals


def test_evaluation_and_balls_use_the_same_reading_of_a_fractional_power():
    f = Objective.from_string("x**(7/3)", "x")
    with pytest.raises(DomainError, match="not real"):
        f.value([-1], 30)
    with working_precision(30):
        assert not f.ball_value([sp.Integer(-1)]).is_finite()
        inside = f.ball_value([sp.Integer(8)])
    assert inside.contains(arb(2) ** 7) and abs(f.value([8], 30) - 128) < mp.mpf(10) ** -25


def test_the_univariate_procedure_refuses_a_function_real_only_on_a_half_line():
    with pytest.raises(DomainError, match="continuous only on"):
        decide_univariate("x**(7/3)", rho=1, progress=False)


@pytest.mark.parametrize("text", ["x=sqrt(1-t)", "x=log(-t)", "x=(-t)**(1/3)"])
def test_a_curve_leaving_the_real_domain_is_an_input_error(text):
    f = Objective.from_string("x**4", "x")
    curve = Curve.parse(text, f.variables)
    with pytest.raises(DlnsmoothError, match="not real"):
        certify_curve(f, curve, rho=1, progress=False)
