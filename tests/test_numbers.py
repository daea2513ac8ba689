"""dlnsmooth.numbers: the one place numbers and constants enter the package.

(i) exact reading: decimals and fractions as rationals (``parse_number``), exact real constants such
as ``sqrt(5)`` (``parse_constant``), ρ (``parse_rho``), the one validator of constants ≥ 0;
(ii) exact conversion to rationals, mpf and balls (a ball always encloses the exact value);
(iii) the convention 0^0 = 1 (``power``), exact signs and comparisons, exact decimal text and
directed rounding. The reader itself (whitelist, unsafe input) is tested through
``dlnsmooth.parsing.parse_expression`` in test_parsing.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

from dlnsmooth.errors import DlnsmoothError, InvalidRhoError, ParseError
from dlnsmooth.numbers import (
    compare,
    decimal_text,
    exact_sign,
    nonnegative_constant,
    parse_constant,
    parse_number,
    parse_rho,
    power,
    round_rational,
    to_arb,
    to_mpf,
    to_rational,
)
from dlnsmooth.parsing import declare_variables, parse_expression
from dlnsmooth.precision import working_precision

X, Y, Z = declare_variables("x,y,z")
VARS = (X, Y, Z)


def parse(text, variables=VARS, **kwargs):
    return parse_expression(text, variables, **kwargs)


# --- exact constants --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sqrt(5)", sp.sqrt(5)),
        ("2*sqrt(3)", 2 * sp.sqrt(3)),
        ("30/6**(4/5)", 30 / sp.Integer(6) ** sp.Rational(4, 5)),
        ("log(2)", sp.log(2)),
        ("pi", sp.pi),
        ("E**2/7", sp.E**2 / 7),
        ("0.25", sp.Rational(1, 4)),
        ("-2/3", sp.Rational(-2, 3)),
    ],
)
def test_constants_are_exact_real_numbers(text, expected):
    value = parse_constant(text)
    assert sp.simplify(value - expected) == 0
    assert parse_constant(expected) == value  # SymPy numbers are accepted as they are


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("x", "unknown name 'x'"), ("sqrt(-2)", "not real"), ("nan", "not a finite number"),
     (float("inf"), "not a finite number"), ("oo", "not a finite number"), ("1/0", "division by zero"),
     (None, "missing"), ("abs(-2)", "not allowed"), (sp.Symbol("t") + 1, "not a number"), ("1e99999", "too large")],
)
def test_bad_constants_are_refused_with_a_clear_message(value, fragment):
    with pytest.raises(DlnsmoothError, match=fragment):
        parse_constant(value, what="C1")


@pytest.mark.parametrize("text", ["exp(exp(20))", "exp(exp(exp(20)))", "10**(10**5)", "exp(10**6)"])
def test_astronomical_constants_are_refused_quickly(text):
    with pytest.raises(ParseError, match="too large"):
        parse_constant(text, what="C1")
    with pytest.raises(TypeError, match="too large|not finite"):
        to_mpf(sp.exp(sp.exp(sp.exp(20))))


def test_tiny_and_large_but_workable_constants_are_kept():
    assert exact_sign(parse_constant("exp(-exp(exp(20)))")) == 1  # tiny, positive, exact
    assert exact_sign("-3*exp(-exp(exp(20)))") == -1
    with mp.workdps(30):
        assert mp.almosteq(to_mpf("exp(9000)"), mp.exp(9000))


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["4", "6"])
def test_signs_of_towers_never_reach_sympys_evaluation(seed):
    """SymPy's assumption handlers run in an order that depends on the hash seed; under
    some seeds ``is_positive`` of ``exp(-exp(exp(20)))`` evaluates exp(-10^(2·10^8)) in
    full and never returns. Reading and signing such constants must not depend on that."""
    code = ("from dlnsmooth.numbers import exact_sign, parse_constant\n"
            "print(exact_sign('exp(-exp(exp(20)))'), exact_sign('-3*exp(-exp(exp(20)))'),"
            " exact_sign('log(2) + log(3) - log(6)'))")
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "-1", "0"]


def test_the_validator_decides_the_sign_exactly():
    assert nonnegative_constant("sqrt(2) - 1", "C0") == sp.sqrt(2) - 1
    assert nonnegative_constant("log(2) + log(3) - log(6)", "C0") == sp.log(2) + sp.log(3) - sp.log(6)  # = 0
    with pytest.raises(ParseError, match="constant C1 = .* is negative; expected C1 >= 0"):
        nonnegative_constant("log(2) - 7/10", "C1")  # log 2 = 0.693…: negative by 0.007
    with pytest.raises(ParseError, match="negative"):
        nonnegative_constant("sqrt(2) - 1414213562373096/10**15", "C1")  # negative only beyond double precision
    assert nonnegative_constant("sqrt(2) - 1414213562373095/10**15", "C1") > 0


def test_exact_sign_and_compare():
    assert exact_sign("pi - 355/113") == -1 and exact_sign("sqrt(5)") == 1 and exact_sign(0) == 0
    assert compare("sqrt(5)", "2.2360679") == 1 and compare(sp.Rational(2, 3), "4/6") == 0
    assert compare("sqrt(5) - 10**-40", "sqrt(5)") == -1


# --- conversions ------------------------------------------------------------------------
def test_balls_enclose_exact_constants_tightly():
    with working_precision(60):
        ball = to_arb("sqrt(5)")
        assert ball.contains(arb(5).sqrt()) and ball.rad() < arb("1e-55")
        assert to_arb("30/6**(4/5)").overlaps(arb(30) / arb(6) ** (arb(4) / 5))
        assert to_arb(sp.Rational(3, 8)).is_exact() and (to_arb(sp.Rational(1, 3)) * 3).contains(1)
        assert to_arb(0.1).is_exact() and to_arb(mp.mpf("-0.125")) == arb("-0.125")


def test_mpf_conversion_is_exact_where_representable_and_correctly_rounded_elsewhere():
    with mp.workdps(50):
        assert to_mpf(sp.Rational(1, 8)) == mp.mpf("0.125")
        assert abs(to_mpf("sqrt(2)") - mp.sqrt(2)) < mp.mpf(10) ** -49
        assert to_mpf("0.1") == mp.mpf(1) / 10
    with pytest.raises(TypeError):
        to_mpf(float("nan"))


def test_to_rational_takes_machine_numbers_by_their_binary_value():
    assert to_rational(0.1) == sp.Rational(3602879701896397, 36028797018963968)
    assert to_rational(mp.mpf(-1) / 8) == sp.Rational(-1, 8)
    assert to_rational("0.1") == sp.Rational(1, 10)  # text is read as typed
    assert parse_number(0.1) == sp.Rational(1, 10)  # a user's float is the decimal it prints as


# --- power and 0^0 = 1 ------------------------------------------------------------------
def test_power_convention_in_both_arithmetics():
    with mp.workdps(30):
        assert power(mp.mpf(0), sp.Integer(0)) == 1 and power(mp.mpf(0), sp.Rational(1, 2)) == 0
        assert mp.almosteq(power(mp.mpf(8), sp.Rational(2, 3)), 4)
    with working_precision(30):
        assert power(arb(0), sp.Integer(0)) == 1 and power(arb(0), sp.Rational(1, 2)) == 0
        assert power(arb(8), sp.Rational(2, 3)).contains(4)
        assert power(arb(0, 1), sp.Integer(2)).contains(0)  # a ball around 0: no NaN
        assert power(arb(-1, 2), sp.Rational(1, 2)).is_finite()  # the negative part of a norm is dropped


# --- exact decimal text and rounding ----------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [(sp.Rational(1, 8), "0.125"), (sp.Rational(-7, 2 * 10**40), "-3.5e-40"), (sp.Rational(1, 3), "1/3"),
     (sp.Integer(120), "120"), (sp.sqrt(5), "sqrt(5)")],
)
def test_decimal_text(value, text):
    assert decimal_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(sp.Integer(0), "0"), (sp.Rational(1, 8), "0.125"), (sp.Rational(-7, 2), "-3.5"), (sp.Integer(1200), "1200"),
     (sp.Rational(1, 3), "1/3"), (sp.Rational(-35, 10**41), "-3.5e-40"), (sp.Integer(10) ** 30, "1e+30"),
     (sp.Rational(123, 10**6), "0.000123")],
)
def test_points_are_written_as_exact_decimals(value, text):
    assert decimal_text(value) == text
    if "/" not in text:
        assert sp.Rational(text) == value


@given(st.integers(min_value=-10**30, max_value=10**30).filter(bool), st.integers(min_value=1, max_value=10**12),
       st.integers(min_value=2, max_value=20))
def test_directed_rounding_brackets_the_value(p, q, digits):
    with mp.workdps(80):
        value = mp.mpf(p) / q
    up, down = round_rational(value, digits, direction="up"), round_rational(value, digits, direction="down")
    exact = to_rational(value)
    assert down <= exact <= up
    assert abs(up - down) <= abs(exact) * sp.Rational(10) ** (2 - digits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.1", sp.Rational(1, 10)),
        ("0.1 + 0.2", sp.Rational(3, 10)),  # not 0.30000000000000004
        ("-2.5", sp.Rational(-5, 2)),
        ("1e-3", sp.Rational(1, 1000)),
        ("1.5e2", sp.Integer(150)),
        ("2E+3", sp.Integer(2000)),
        (".5", sp.Rational(1, 2)),
        ("5.", sp.Integer(5)),
        ("1_000.25", sp.Rational(4001, 4)),
        ("0.30000000000000004", sp.Rational(30000000000000004, 10**17)),
        ("1e-400", sp.Rational(1, 10**400)),  # below the float range, still exact
        ("1e308", sp.Integer(10) ** 308),
        ("0x1F", sp.Integer(31)),
        ("0b101", sp.Integer(5)),
        ("10**10000", sp.Integer(10) ** 10000),  # exactly at the size limit
        ("2**-3", sp.Rational(1, 8)),
    ],
)
def test_decimal_literals_are_read_exactly(text, expected):
    result = parse(text)
    assert result == expected
    assert isinstance(result, sp.Rational)
    assert not result.has(sp.Float)


def test_literal_beyond_the_float_range_is_read_exactly():
    assert parse("1e999") == sp.Integer(10) ** 999
    assert parse_number("1e999") == sp.Integer(10) ** 999


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, sp.Integer(3)),
        (-7, sp.Integer(-7)),
        (0.1, sp.Rational(1, 10)),  # through repr: the shortest decimal, not the binary value
        (0.7, sp.Rational(7, 10)),
        (1e-05, sp.Rational(1, 100000)),
        (1e16, sp.Integer(10) ** 16),
        (-0.0, sp.Integer(0)),
        (Fraction(2, 3), sp.Rational(2, 3)),
        (sp.Rational(5, 7), sp.Rational(5, 7)),
        (sp.Integer(4), sp.Integer(4)),
        (sp.Float("0.25"), sp.Rational(1, 4)),
        (Decimal("0.5"), sp.Rational(1, 2)),
        ("2", sp.Integer(2)),
        (" 2/3 ", sp.Rational(2, 3)),
        ("-2/3", sp.Rational(-2, 3)),
        ("+0.5", sp.Rational(1, 2)),
        ("1e-3", sp.Rational(1, 1000)),
        ("1/3/2", sp.Rational(1, 6)),
        ("0.1/0.3", sp.Rational(1, 3)),
        ("1_000", sp.Integer(1000)),
    ],
)
def test_parse_number_reads_exact_rationals(value, expected):
    result = parse_number(value)
    assert result == expected
    assert isinstance(result, sp.Rational)


def test_parse_number_returns_sympy_rationals_unchanged():
    r = sp.Rational(3, 11)
    assert parse_number(r) is r


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "must be a number, got True"),
        (None, "must be a number, got NoneType None"),
        ([1], "must be a number, got list"),
        (float("nan"), "must be finite"),
        (float("inf"), "must be finite"),
        (-float("inf"), "must be finite"),
        (complex(1, 2), "must be real"),
        ("", "is not a number"),
        ("abc", "is not a rational number"),
        ("x", "is not a rational number"),
        ("2*3", "is not a rational number"),
        ("2**0.5", "is not a rational number"),
        ("sqrt(2)", "is not a rational number"),
        ("pi", "is not a rational number"),
        ("1/", "is not a number"),
        ("2/3)", "is not a number"),
        ("1/0", "division by zero"),
        ("1e99999", "too large"),
        ("'1'", "not a real number"),
        ("1j", "not a real number"),
        ("__import__('os')", "is not a rational number"),
    ],
)
def test_parse_number_rejects_non_numbers(value, fragment):
    with pytest.raises(ParseError) as info:
        parse_number(value)
    assert fragment in str(info.value)


def test_parse_number_what_label():
    with pytest.raises(ParseError, match="weight 'w' is not a rational number"):
        parse_number("w", what="weight")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2/3", sp.Rational(2, 3)),
        ("0.5", sp.Rational(1, 2)),
        ("0.7", sp.Rational(7, 10)),
        (0.7, sp.Rational(7, 10)),
        ("1", sp.Integer(1)),
        (2, sp.Integer(2)),
        (0, sp.Integer(0)),
        ("0", sp.Integer(0)),
        ("-0", sp.Integer(0)),
        (-0.0, sp.Integer(0)),
        ("1e-3", sp.Rational(1, 1000)),
        (" 3/2 ", sp.Rational(3, 2)),
        (Fraction(1, 3), sp.Rational(1, 3)),
        (sp.Rational(4, 5), sp.Rational(4, 5)),
        ("10", sp.Integer(10)),
        ("1e6", sp.Integer(10**6)),  # MAX_RHO itself
        ("1e-400", sp.Rational(1, 10**400)),
    ],
)
def test_parse_rho_accepts_non_negative_rationals(value, expected):
    rho = parse_rho(value)
    assert rho == expected
    assert isinstance(rho, sp.Rational)
    assert rho >= 0


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("-1", "negative"),
        ("-2/3", "rho = -2/3 is negative"),
        (-0.5, "rho = -1/2 is negative"),
        (-1, "negative"),
        (float("nan"), "rho is NaN"),
        ("nan", "not a finite number"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-inf", "not a finite number"),
        (" Infinity ", "not a finite number"),
        ("oo", "not a finite number"),
        (float("inf"), "must be finite"),
        ("1e99999", "too large"),
        ("1e400", "rho ≈ 10^400 is too large: the package accepts 0 <= rho <= 10^6"),
        ("1000001", "rho = 1000001 is too large"),
        (10.0**300, "too large"),
        ("-1e400", "rho ≈ -10^400 is negative"),
        ("abc", "not a rational number"),
        ("", "not a number"),
        ("1/0", "division by zero"),
        ("sqrt(2)", "not a rational number"),
        ("2/", "not a number"),
        (None, "must be a number"),
        (True, "must be a number"),
        ("1j", "not a real number"),
        (complex(0.5, 0), "must be real"),
    ],
)
def test_parse_rho_rejects_bad_values_with_invalid_rho_error(value, fragment):
    with pytest.raises(InvalidRhoError) as info:
        parse_rho(value)
    assert fragment in str(info.value)
    assert not isinstance(info.value, ParseError)  # ParseError is converted, not leaked


def test_parse_rho_sympy_infinities_are_invalid():
    for value in (sp.oo, -sp.oo, sp.nan):
        with pytest.raises(InvalidRhoError):
            parse_rho(value)


@given(st.one_of(st.text(max_size=20), st.text(alphabet="0123456789./-+e _()", max_size=8)))
def test_garbage_rho_is_a_valid_rational_or_invalid_rho_error(text):
    try:
        rho = parse_rho(text)
    except InvalidRhoError as exc:
        assert str(exc)
    else:
        assert isinstance(rho, sp.Rational)
        assert rho >= 0


@given(st.fractions(min_value=0, max_denominator=10**6, max_value=10**6))
def test_parse_rho_round_trips_fractions_and_their_strings(fraction):
    expected = sp.Rational(fraction.numerator, fraction.denominator)
    assert parse_rho(fraction) == expected
    assert parse_rho(str(fraction)) == expected
    assert parse_rho(f"{fraction.numerator}/{fraction.denominator}") == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_floats_are_their_shortest_decimal(value):
    assert parse_number(value) == sp.Rational(repr(value))
    assert parse_number(repr(value)) == parse_number(value)


def test_numpy_float64_is_read_like_a_float():
    np = pytest.importorskip("numpy")
    assert parse_number(np.float64(0.1)) == sp.Rational(1, 10)
    assert parse_rho(np.float64(0.5)) == sp.Rational(1, 2)


@pytest.mark.parametrize("text", ["-" * 1000 + "1", "/".join(["1"] * 5000), "-" * 100_000 + "1"])
def test_deeply_nested_numbers_raise_package_errors(text):
    with pytest.raises(ParseError):
        parse_number(text)
    with pytest.raises(InvalidRhoError):
        parse_rho(text)


def test_surrogate_in_number_string_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_number("1\ud800")
    with pytest.raises(InvalidRhoError):
        parse_rho("1\ud800")


def test_large_e_notation_literal_is_exact():
    assert parse("1e309") == sp.Integer(10) ** 309



def test_a_high_precision_sympy_float_keeps_its_digits_in_the_ball():
    # a 60-digit Float of 1/3: its own binary value, not mpmath's 53-bit rounding of it, must be in the ball
    with working_precision(50):
        ball = to_arb(sp.N(sp.Rational(1, 3), 60))
        assert abs(ball - to_arb(sp.Rational(1, 3))) < arb("1e-45")
        assert to_arb(sp.Float(-2.5)) == -arb("2.5") and to_arb(mp.mpf("-0.75")) == -arb("0.75")
