"""dlnsmooth.balls: exact inputs, guaranteed digits, adaptive precision that cannot be fooled."""

from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp
from flint import arb, ctx
from hypothesis import given
from hypothesis import strategies as st

from dlnsmooth.balls import EXACT_DIGITS, ArbProgram, certify, guaranteed_digits, nonnegative_sqrt
from dlnsmooth.errors import PrecisionError, UnsupportedForBalls
from dlnsmooth.numbers import ball_to_mpf, integer_power, power, to_arb
from dlnsmooth.precision import confirm, working_precision


def test_working_precision_is_local_and_restored():
    before = ctx.prec
    with working_precision(200):
        assert ctx.prec >= 200 * 3.32
    assert ctx.prec == before
    with pytest.raises(RuntimeError), working_precision(100):
        raise RuntimeError("boom")
    assert ctx.prec == before


@pytest.mark.parametrize("value, exact", [
    (3, 3), (Fraction(1, 3), Fraction(1, 3)), (sp.Rational(-7, 9), Fraction(-7, 9)), ("0.1", Fraction(1, 10)),
    (0.5, Fraction(1, 2)), (sp.Integer(10) ** 40, Fraction(10**40)),
])
def test_exact_inputs_enclose_their_value(value, exact):
    with working_precision(50):
        ball = to_arb(value)
        assert ball.contains(arb(exact.numerator) / exact.denominator)
        if exact.denominator & (exact.denominator - 1) == 0:  # dyadic: represented exactly
            assert ball.is_exact()


def test_to_arb_rejects_non_numbers():
    for bad in (float("nan"), float("inf"), True, "x+1", object()):
        with pytest.raises(TypeError):
            to_arb(bad)


def test_ball_to_mpf_is_exact_at_any_mpmath_precision():
    # regression: mp.mpf((man, exp)) rounds to the global 53 bits; the midpoint must not
    with working_precision(60):
        root = arb(2).sqrt()
    value = ball_to_mpf(root)
    assert mp.mp.dps == 15
    with mp.workdps(70):
        assert abs(value - mp.sqrt(2)) < mp.mpf(10) ** -59


def test_guaranteed_digits():
    assert guaranteed_digits(arb(5)) == EXACT_DIGITS
    assert guaranteed_digits(arb(0)) == 0
    assert guaranteed_digits(arb(1, 1e-20)) in (18, 19)
    assert guaranteed_digits(arb(1, 2)) == 0
    assert guaranteed_digits(arb("nan")) == 0


def test_certify_closes_the_false_agreement_gap():
    # exp((10**500 + 1/3) − 10**500): two precisions below 500 digits agree on garbage;
    # the ball knows its radius and raises the precision until the digits are real
    def evaluate(dps):
        u = arb(10) ** 500 + arb(1) / 3
        return [(u - arb(10) ** 500).exp()]

    (value,) = certify(evaluate, digits=15, start_dps=30)
    assert value.rigorous and value.digits >= 15 and value.dps > 500
    with mp.workdps(40):
        assert abs(value.value - mp.exp(mp.mpf(1) / 3)) < mp.mpf(10) ** -15
    # whereas the two-precision test, given the same start, accepts wrong digits
    def evaluate_mp(dps):
        with mp.workdps(dps):
            u = mp.mpf(10) ** 500 + mp.mpf(1) / 3
            return (mp.exp(u - mp.mpf(10) ** 500),)

    (agreed,) = confirm(evaluate_mp, digits=15, start_dps=30)
    with mp.workdps(40):
        assert abs(agreed.value - mp.exp(mp.mpf(1) / 3)) > mp.mpf(10) ** -15


def test_certify_at_the_cap_reports_unconfirmed_not_wrong():
    def evaluate(dps):
        return [(arb(10) ** 500 + arb(1) / 3 - arb(10) ** 500).exp()]

    (value,) = certify(evaluate, digits=15, start_dps=30, max_dps=200)
    assert value.dps == 200 and value.digits == 0 and value.text() is None


def test_certify_cancellation_found_not_hidden():
    # (1 + 10**-500) − 1 is 0 at 50 and 100 digits in mpmath; balls find 1e-500
    def evaluate(dps):
        return [(1 + arb(10) ** -500) - 1]

    (value,) = certify(evaluate, digits=15, start_dps=30)
    assert not value.zero_at_both and value.digits >= 15
    with mp.workdps(30):
        assert abs(value.value / mp.mpf(10) ** -500 - 1) < mp.mpf(10) ** -20


def test_exact_zero_ball_is_a_proven_zero_and_zero_ok_is_respected():
    (zero,) = certify(lambda dps: [arb(3) - arb(3)], digits=15)
    assert zero.proven_zero and zero.value == 0 and zero.dps == 50  # the default start, not raised
    # a ball containing 0 that is not exact is not a zero unless the caller has proved it is
    fuzzy = lambda dps: [(arb(1) / 3) * 3 - 1]  # noqa: E731
    (unsettled,) = certify(fuzzy, digits=15, start_dps=30, max_dps=120)
    assert not unsettled.zero_at_both and unsettled.digits == 0 and unsettled.dps == 120
    (settled,) = certify(fuzzy, digits=15, start_dps=30, max_dps=120, zero_ok=[True])
    assert settled.proven_zero and settled.dps == 30


def test_certify_rejects_bad_settings():
    with pytest.raises(PrecisionError):
        certify(lambda dps: [arb(1)], digits=0)
    with pytest.raises(PrecisionError):
        certify(lambda dps: [arb(1)], start_dps=500, max_dps=100)
    with pytest.raises(PrecisionError):
        certify(lambda dps: [1.0])
    with pytest.raises(PrecisionError):
        certify(lambda dps: [arb(1)], zero_ok=[True, False])


def test_nonnegative_sqrt_and_power():
    with working_precision(30):
        assert nonnegative_sqrt(arb(0)).is_exact() and nonnegative_sqrt(arb(0)) == 0
        fuzzy_zero = nonnegative_sqrt(arb(0, 1e-20))
        assert fuzzy_zero.is_finite() and fuzzy_zero.contains(0) and fuzzy_zero.contains(arb(1e-10))
        assert power(arb(5), sp.Integer(0)) == 1
        assert power(arb(0), sp.Rational(1, 2)).is_exact()
        assert power(arb(4), sp.Rational(3, 2)).contains(8)
        assert power(arb(0, 1e-8), sp.Rational(1, 2)).is_finite()


def test_arb_program_matches_sympy_and_rejects_unknown_functions():
    x, y = sp.symbols("x y", real=True)
    exprs = [sp.exp(-x * y) / (1 + sp.exp(-x * y)), sp.log(1 + x**2) * sp.tanh(y), x ** sp.Rational(3, 2),
             sp.atan(x / y) + sp.pi, sp.sqrt(x) + y**-3]
    program = ArbProgram(exprs, [x, y])
    with working_precision(60):
        balls = program.evaluate([sp.Rational(7, 5), "-0.3"])
    for expr, ball in zip(exprs, balls):
        exact = sp.N(expr.subs({x: sp.Rational(7, 5), y: sp.Rational(-3, 10)}), 90)
        with working_precision(100):
            assert ball.overlaps(arb(str(exact)))
        with mp.workdps(100):
            assert abs(ball_to_mpf(ball) / mp.mpf(str(exact)) - 1) < mp.mpf(10) ** -55
        assert guaranteed_digits(ball) >= 55
    with pytest.raises(UnsupportedForBalls, match="gamma"):
        ArbProgram([sp.gamma(x)], [x])
    with pytest.raises(ValueError):
        program.evaluate([1])


@given(a=st.integers(-20, 20), b=st.integers(1, 20), c=st.integers(-5, 5))
def test_arb_program_encloses_the_true_value(a, b, c):
    x = sp.Symbol("x", real=True)
    expr = sp.exp(sp.Rational(a, b) * x) + x**c * sp.log(1 + x**2) if c >= 0 else sp.exp(sp.Rational(a, b) * x)
    program = ArbProgram([expr], [x])
    with working_precision(40):
        (ball,) = program.evaluate([sp.Rational(a, b)])
    with working_precision(100):
        truth = arb(str(sp.N(expr.subs(x, sp.Rational(a, b)), 90)))
        assert ball.overlaps(truth)
    assert guaranteed_digits(ball) >= 35


def test_integer_powers_of_balls_containing_zero_are_enclosures_not_nan():
    # python-flint's ``**`` gives NaN for a ball around 0; the compiler must not
    x = sp.Symbol("x", real=True)
    with working_precision(30):
        square, cube, quartic = ArbProgram([x**2, x**3, 3 * x**4], [x]).evaluate([arb(0, 2)])
        for ball, truths in ((square, [0, 1, 4]), (cube, [-8, 0, 8]), (quartic, [0, 3, 48])):
            assert ball.is_finite() and all(ball.contains(v) for v in truths)
        assert square.lower() >= 0  # an even power is non-negative
        (exact,) = ArbProgram([x**5], [x]).evaluate([arb(-3)])
        assert exact == -243 and exact.is_exact()
        with pytest.raises(ValueError):
            integer_power(arb(2), -1)
        assert integer_power(arb(0, 1), 0) == 1


def test_negative_mpf_inputs_keep_their_sign():
    from dlnsmooth.numbers import to_rational

    assert to_arb(mp.mpf(-3)) == -3 and to_arb(mp.mpf(-1) / 8) == arb(-1) / 8
    assert to_rational(mp.mpf(-1) / 8) == sp.Rational(-1, 8) and to_rational(mp.mpf(0)) == 0


def test_certify_stops_raising_the_precision_at_its_deadline():
    calls = []

    def never_tight(dps):
        calls.append(dps)
        return [arb(1, 0.5)]  # a radius no precision shrinks

    (value,) = certify(never_tight, digits=15, max_dps=20_000, deadline=0.0)  # already passed
    assert len(calls) == 1 and value.digits == 0
    calls.clear()
    certify(never_tight, digits=15, max_dps=2_000)
    assert len(calls) > 3  # without a deadline it climbs to the cap
