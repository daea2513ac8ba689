"""dlnsmooth.curves: curves, exact restriction, numeric norms, growth exponents."""

import time

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.curves import Curve, Restriction, curve_parameter, polynomial_degree
from dlnsmooth.errors import DomainError, ParseError, ShapeError, TooLargeError, UnknownVariableError
from dlnsmooth.objective import Objective

R4 = Objective.from_string("log(1 + exp(-x1*x2*x3*x4))", "x1,x2,x3,x4")


def test_parse_a_curve():
    f = Objective.from_string("a*b", "a,b")
    curve = Curve.parse("a=t, b=1/t", f.variables)
    t = curve.parameter
    assert t.is_positive
    assert curve.coordinates == (t, 1 / t)
    assert curve.describe() == "a = t, b = 1/t"
    assert curve.to_json() == {"parameter": "t", "coordinates": {"a": "t", "b": "1/t"}}
    assert curve.point(4, 30) == [4, mp.mpf("0.25")]


def test_curve_errors_name_the_problem():
    f = Objective.from_string("a*b", "a,b")
    with pytest.raises(ParseError, match="does not assign b"):
        Curve.parse("a=t", f.variables)
    with pytest.raises(UnknownVariableError, match="c"):
        Curve.parse("a=t, b=t, c=t", f.variables)
    with pytest.raises(UnknownVariableError, match="s"):
        Curve.parse("a=t, b=s", f.variables)
    with pytest.raises(ParseError, match="also a variable"):
        Curve.parse("t=s, x=s", Objective.from_string("t*x", "t,x").variables, parameter="t")
    with pytest.raises(ShapeError):
        Curve(f.variables, [1])
    with pytest.raises(ShapeError, match="does not assign"):
        Curve(f.variables, {f.variables[0]: 1})
    with pytest.raises(ParseError):
        curve_parameter("not a name")


def test_restriction_of_the_r4_loss_along_0_0_k_k():
    curve = Curve.parse("x1=0, x2=0, x3=k, x4=k", R4.variables, parameter="k")
    k = curve.parameter
    restriction = Restriction(R4, curve)
    assert restriction.gradient == [0, 0, 0, 0]
    assert restriction.gradient_vanishes
    assert restriction.hessian[0, 1] == -k**2 / 2
    assert restriction.grad_sq == 0
    assert restriction.hess_sq == k**4 / 2
    assert restriction.ratio(sp.Integer(0)) == sp.sqrt(2) * k**2 / 4  # (1 + 0^0) = 2
    assert restriction.ratio(sp.Rational(1, 2)) == sp.sqrt(2) * k**2 / 2  # 1 + 0^ρ = 1 for ρ > 0


def test_numeric_norms_match_the_symbolic_restriction():
    f = Objective.from_string("x**4 + x*y**2", "x,y")
    curve = Curve.parse("x=t, y=1/t", f.variables)
    restriction = Restriction(f, curve)
    t = curve.parameter
    for value in (sp.Integer(3), sp.Rational(7, 2)):
        G, H = restriction.norms(value, 60)
        with mp.workdps(60):
            G_exact = mp.sqrt(mp.mpf(sp.N(restriction.grad_sq.subs(t, value), 70)))
            H_exact = mp.sqrt(mp.mpf(sp.N(restriction.hess_sq.subs(t, value), 70)))
            assert abs(G / G_exact - 1) < mp.mpf(10) ** -55
            assert abs(H / H_exact - 1) < mp.mpf(10) ** -55


def test_growth_exponents_and_critical_exponent():
    f = Objective.from_string("x**4", "x")
    exponents = Restriction(f, Curve.parse("x=t", f.variables)).growth_exponents()
    assert (exponents.grad_exponent, exponents.hess_exponent, exponents.source) == (3, 2, "symbolic")
    assert exponents.critical == sp.Rational(2, 3)
    r4 = Restriction(R4, Curve.parse("x1=0, x2=0, x3=t, x4=t", R4.variables)).growth_exponents()
    assert r4.gradient_vanishes and r4.hess_exponent == 2 and r4.critical == sp.oo


@pytest.mark.parametrize(
    ("expression", "variables", "curve", "expected"),
    [
        ("x**4", "x", "x=t", sp.Rational(2, 3)),  # power laws: b/a
        ("x**8", "x", "x=t", sp.Rational(6, 7)),  # x^(2k): (2k-2)/(2k-1)
        ("exp(x)", "x", "x=t", 1),  # exponential growth: lim log H / log G
        ("exp(x**2)", "x", "x=t", 1),
        ("x**2", "x", "x=t", None),  # Hessian bounded: refutes no ρ
        ("log(1 + exp(-a*b*c*d))", "a,b,c,d", "a=0, b=0, c=t, d=t", sp.oo),  # ∇f ≡ 0, ‖∇²f‖ → ∞
        ("x**2*y**2", "x,y", "x=t, y=1/t", 2),
        ("x**3 + y**2", "x,y", "x=1, y=t", None),  # ∇²f constant along the curve
    ],
)
def test_critical_exponent_along_curves(expression, variables, curve, expected):
    f = Objective.from_string(expression, variables)
    growth = Restriction(f, Curve.parse(curve, f.variables)).growth_exponents()
    assert growth.critical == expected
    assert "undetermined" not in growth.critical_source


def test_polynomial_degree_decides_leading_coefficients_exactly():
    t = curve_parameter()
    c = sp.tanh(1)
    assert polynomial_degree(t**4 * (3 * c**2 - 1) + t, t) == 4
    # an exact zero that is not syntactically zero (1 − tanh² = sech²): the degree drops
    assert polynomial_degree(t**4 * (1 - c**2 - sp.sech(1) ** 2) + 2 * t**2 + 1, t) == 2
    assert polynomial_degree(sp.Integer(0), t) == -1
    assert polynomial_degree(sp.Integer(5), t) == 0
    assert polynomial_degree(sp.exp(t) + t, t) is None  # not a polynomial
    assert polynomial_degree(t * sp.Symbol("s"), t) is None  # another symbol


def test_growth_exponents_of_polynomial_restrictions_come_from_degrees():
    # x**2*y**2 along x = t, y = 1 + t: G² and H² are polynomials with irrational-free coefficients; and
    # the same with a transcendental factor, where SymPy's log-limits are not needed any more
    f = Objective.from_string("tanh(1)*x**2*y**2", "x,y")
    restriction = Restriction(f, Curve.parse("x=t, y=t", f.variables))
    assert restriction.polynomial_degrees == (6, 4)
    growth = restriction.growth_exponents()
    assert (growth.grad_exponent, growth.hess_exponent) == (3, 2)
    assert growth.critical == sp.Rational(2, 3)
    assert "degrees" in growth.method and "deg H² / deg G²" in growth.critical_source
    # negative control: not polynomial along the curve, the limits decide as before
    g = Objective.from_string("exp(x)", "x")
    growth = Restriction(g, Curve.parse("x=t", g.variables)).growth_exponents()
    assert "limits" in growth.method and growth.critical == 1


def test_start_digits_grow_with_the_magnitudes_on_the_curve():
    curve = Curve.parse("x1=1, x2=1, x3=t, x4=t", R4.variables)
    restriction = Restriction(R4, curve)
    assert restriction.start_digits(10**20) == 40  # |u| = t² = 1e40
    assert restriction.start_digits(10) == 2


def test_restriction_needs_matching_variables():
    f = Objective.from_string("x", "x")
    g = Objective.from_string("y", "y")
    with pytest.raises(ShapeError):
        Restriction(f, Curve.parse("y=t", g.variables))


# -- issue 14: values too large to evaluate, deadlines ----------------------------------------------
def test_a_tower_is_too_large_to_evaluate_not_a_hang_or_a_traceback():
    tower = Objective.from_string("exp(exp(exp(exp(x))))", "x")
    restriction = Restriction(tower, Curve.parse("x=t", tower.variables))
    with pytest.raises(TooLargeError, match="too large"):
        restriction.check_domain(10)
    with pytest.raises(TooLargeError, match="too large"):
        restriction.start_digits(10**5)


def test_the_domain_is_still_checked():
    f = Objective.from_string("log(x)", "x")
    restriction = Restriction(f, Curve.parse("x=-t", f.variables))
    with pytest.raises(DomainError, match="leaves the domain"):
        restriction.check_domain(10)
    Restriction(f, Curve.parse("x=t", f.variables)).check_domain(10**20)  # real there: no error


def test_a_passed_deadline_leaves_limits_unknown_without_computing_them():
    f = Objective.from_string("x**4", "x")
    restriction = Restriction(f, Curve.parse("x=t", f.variables), deadline=time.perf_counter() - 1)
    outcome = restriction.limit(restriction.hess_sq)
    assert outcome.kind == "unknown" and outcome.status == "timeout" and "time budget" in outcome.message
    assert restriction.seconds() == 0.0
    assert Restriction(f, Curve.parse("x=t", f.variables), limit_budget=3).seconds() == 3
