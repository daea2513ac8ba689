"""dlnsmooth.parsing: safe, exact parsing of expressions in declared variables.

The reader (dlnsmooth.numbers.read_math) never evaluates text: it rebuilds a whitelisted AST node
by node. These tests check (i) that everything outside the whitelist is rejected with an error of
the package's hierarchy that names the problem, and that rejected payloads have no side effect;
(ii) that what is allowed becomes the exact SymPy object (decimals as rationals, ``^`` as a power,
``ln`` as ``log``); (iii) ``split_top_level``, ``parse_assignments`` and ``declare_variables``.
Numbers and constants on their own are tested in test_numbers.py.

Regression tests cover the bugs this file found: ``^`` with XOR precedence, NFKC-normalised names,
astronomical and towering constant powers, e-notation beyond the size limit.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys

import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from dlnsmooth.errors import (
    DlnsmoothError,
    InvalidRhoError,
    NonDifferentiableError,
    ParseError,
    UnknownVariableError,
    UnsafeExpressionError,
)
from dlnsmooth.numbers import NON_SMOOTH_FUNCTIONS, SMOOTH_FUNCTIONS, parse_number, parse_rho
from dlnsmooth.parsing import (
    bounded_latex,
    declare_variables,
    parse_assignments,
    parse_expression,
    split_top_level,
)

X, Y, Z = declare_variables("x,y,z")
VARS = (X, Y, Z)
T = sp.Symbol("t", positive=True)


def parse(text, variables=VARS, **kwargs):
    return parse_expression(text, variables, **kwargs)


# --- error hierarchy --------------------------------------------------------------------


def test_error_classes_form_the_documented_hierarchy():
    for cls in (UnsafeExpressionError, UnknownVariableError):
        assert issubclass(cls, ParseError)
    for cls in (ParseError, NonDifferentiableError, InvalidRhoError):
        assert issubclass(cls, DlnsmoothError)
        assert issubclass(cls, ValueError)  # "except ValueError keeps working"


# --- declare_variables ------------------------------------------------------------------


def test_declare_variables_from_string_and_iterable():
    a, b, c = declare_variables(" a , b,c ")
    assert (a.name, b.name, c.name) == ("a", "b", "c")
    assert all(s.is_real for s in (a, b, c))
    assert declare_variables(["a", "b", "c"]) == (a, b, c)
    assert declare_variables(("x1", "_w", "alpha_2")) == tuple(sp.Symbol(n, real=True) for n in ("x1", "_w", "alpha_2"))
    (u,) = declare_variables("u", real=False)
    assert u.is_real is False  # Symbol(name, real=False)
    assert u != sp.Symbol("u", real=True)
    # the symbols are the ones parse_expression resolves names to
    assert parse("a*b + c", (a, b, c)) == a * b + c


@pytest.mark.parametrize(
    ("names", "fragment"),
    [
        ("", "no variables declared"),
        ("   ", "no variables declared"),
        ([], "no variables declared"),
        ("x,,y", "empty variable name"),
        ("x,", "empty variable name"),
        ("x,x", "'x' is declared twice"),
        (["a", "b", "a"], "'a' is declared twice"),
        ("1x", "'1x' is not a valid variable name"),
        ("x-y", "'x-y' is not a valid variable name"),
        ("a b", "'a b' is not a valid variable name"),
        ("x.y", "'x.y' is not a valid variable name"),
        ("lambda", "'lambda' is not a valid variable name"),
        ("for", "'for' is not a valid variable name"),
        ("None", "'None' is not a valid variable name"),
        ("exp", "'exp' is reserved"),
        ("log", "'log' is reserved"),
        ("abs", "'abs' is reserved"),
        ("Max", "'Max' is reserved"),
        ("pi", "'pi' is reserved"),
        ("E", "'E' is reserved"),
    ],
)
def test_declare_variables_rejects_bad_names(names, fragment):
    with pytest.raises(ParseError) as info:
        declare_variables(names)
    assert fragment in str(info.value)


@pytest.mark.parametrize("name", sorted(SMOOTH_FUNCTIONS) + sorted(NON_SMOOTH_FUNCTIONS))
def test_every_function_name_is_reserved(name):
    with pytest.raises(ParseError, match="reserved"):
        declare_variables(f"x,{name}")


# --- parse_expression: what is allowed --------------------------------------------------


def test_module_docstring_example():
    x, y = declare_variables("x,y")
    result = parse_expression("log(1 + exp(-x*y)) + 0.1*x^2", (x, y))
    assert result == x**2 / 10 + sp.log(1 + sp.exp(-x * y))
    assert str(result) == "x**2/10 + log(1 + exp(-x*y))"


def test_arithmetic_operators_and_caret_power():
    assert parse("x + y - z") == X + Y - Z
    assert parse("x*y/z") == X * Y / Z
    assert parse("x**3") == X**3
    assert parse("x^3") == X**3  # '^' is a power, not xor
    assert parse("(x+1)^(y)") == (X + 1) ** Y
    assert parse("-x") == -X
    assert parse("+x") == X
    assert parse("--x") == X
    assert parse("2*(x + 1)") == 2 * X + 2
    assert parse("  x  ") == X
    assert parse("(x +\n y)") == X + Y  # newlines inside brackets are fine
    assert parse("1/3") == sp.Rational(1, 3)  # integer division is exact
    assert parse("x**-2") == X ** (-2)


def test_constants():
    assert parse("pi") is sp.pi
    assert parse("E") is sp.E
    assert parse("E**x") == sp.exp(X)
    assert parse("2*pi*x") == 2 * sp.pi * X


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exp(x)", sp.exp(X)),
        ("log(x)", sp.log(X)),
        ("log(x, 2)", sp.log(X) / sp.log(2)),
        ("ln(x)", sp.log(X)),
        ("sqrt(x)", sp.sqrt(X)),
        ("sin(x)", sp.sin(X)),
        ("cos(x)", sp.cos(X)),
        ("tan(x)", sp.tan(X)),
        ("sinh(x)", sp.sinh(X)),
        ("cosh(x)", sp.cosh(X)),
        ("tanh(x)", sp.tanh(X)),
        ("atan(x)", sp.atan(X)),
        ("asinh(x)", sp.asinh(X)),
        ("erf(x)", sp.erf(X)),
        ("log(1 + exp(-x*y*z))", sp.log(1 + sp.exp(-X * Y * Z))),
        ("tanh(sqrt(x**2 + 1))", sp.tanh(sp.sqrt(X**2 + 1))),
    ],
)
def test_smooth_functions_build_the_right_sympy_objects(text, expected):
    result = parse(text)
    assert result == expected
    assert result.free_symbols <= set(VARS)


def test_the_whitelist_is_exactly_the_documented_one():
    assert set(SMOOTH_FUNCTIONS) == {
        "exp", "log", "ln", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "asinh", "erf",
    }
    # every whitelisted function parses with each of its allowed arities
    for name, (function, arities) in SMOOTH_FUNCTIONS.items():
        for arity in arities:
            args = ", ".join(["x", "2"][:arity])
            assert parse(f"{name}({args})") == function(*[X, sp.Integer(2)][:arity])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("exp()", "exp takes 1 argument(s), got 0"),
        ("exp(x, y)", "exp takes 1 argument(s), got 2"),
        ("log(x, 2, 3)", "log takes 1 or 2 argument(s), got 3"),
        ("ln(x, 2)", "ln takes 1 argument(s), got 2"),
        ("sqrt()", "sqrt takes 1 argument(s), got 0"),
    ],
)
def test_wrong_number_of_arguments(text, fragment):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in str(info.value)


def test_function_without_arguments_and_variable_used_as_function():
    with pytest.raises(ParseError, match="function 'exp' used without arguments"):
        parse("exp + x")
    with pytest.raises(ParseError, match="'x' is a variable, not a function; write x\\*\\(...\\)"):
        parse("x(y + 1)")


# --- exact numbers ----------------------------------------------------------------------


def test_decimals_inside_larger_expressions_stay_exact():
    result = parse("0.1*x + 3.25e-1*y**2")
    assert result == X / 10 + sp.Rational(13, 40) * Y**2
    assert not result.atoms(sp.Float)


@pytest.mark.parametrize("text", ["10**10001", "2**(10**6)", "10.0**20000", "(1/10)**20000", "2**exp(exp(400))"])
def test_huge_constant_powers_are_refused(text):
    with pytest.raises(ParseError, match="too large to compute exactly"):
        parse(text)


def test_symbolic_huge_powers_are_fine():
    # only constant powers are computed; a symbolic one is kept as is
    assert parse("x**(10**100)") == X ** (sp.Integer(10) ** 100)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1/0", "division by zero"),
        ("x/0.0", "division by zero"),
        ("x/(y - y)", "division by zero"),
        ("0**-1", "division by zero (0 to a negative power)"),
        ("0.0**(-2)", "division by zero (0 to a negative power)"),
        ("log(0)", "infinite or undefined constant"),
        ("tan(pi/2)", "infinite or undefined constant"),
        ("x + log(0)", "infinite or undefined constant"),
        ("sqrt(-1)", "not real"),
        ("x*log(-1)", "not real"),
        ("log(x, 1)", "infinite or undefined constant"),
    ],
)
def test_division_by_zero_and_infinite_constants(text, fragment):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in str(info.value)


# --- unknown names ----------------------------------------------------------------------


def test_unknown_variable_is_named_with_the_declared_list():
    with pytest.raises(UnknownVariableError) as info:
        parse("x + w", (X, Y))
    message = str(info.value)
    assert "unknown variable 'w'" in message
    assert "declared: x, y" in message
    assert "pi" not in message  # constants are not listed as declared variables


def test_unknown_variable_with_no_declared_variables():
    with pytest.raises(UnknownVariableError, match=r"unknown variable 'x'.*declared: \(none\)"):
        parse("x + 1", ())
    assert parse("pi + 1", ()) == sp.pi + 1  # constants need no declaration


def test_variable_not_in_the_list_even_if_it_is_a_sympy_name():
    for name in ("I", "oo", "nan", "zoo", "S", "N", "Symbol", "t"):
        with pytest.raises(UnknownVariableError, match=f"'{name}'"):
            parse(f"x + {name}", (X,))


@pytest.mark.parametrize("name", ["foo", "gamma", "factorial", "Integral", "sympify", "print", "atan2", "expm1"])
def test_unknown_function_is_named_with_the_allowed_list(name):
    with pytest.raises(UnknownVariableError) as info:
        parse(f"{name}(x)")
    message = str(info.value)
    assert f"unknown function '{name}'" in message
    assert "allowed functions: " + ", ".join(sorted(SMOOTH_FUNCTIONS)) in message


def test_what_label_appears_in_messages():
    with pytest.raises(UnknownVariableError, match="unknown variable 'q' in objective"):
        parse("q", what="objective")
    with pytest.raises(ParseError, match="empty objective"):
        parse("", what="objective")


# --- non-differentiable functions -------------------------------------------------------


def test_non_smooth_list_contains_the_documented_functions():
    assert {"abs", "Abs", "sign", "floor", "ceil", "max", "Max", "min", "Min", "relu", "Heaviside"} <= set(
        NON_SMOOTH_FUNCTIONS
    )
    assert not set(NON_SMOOTH_FUNCTIONS) & set(SMOOTH_FUNCTIONS)


@pytest.mark.parametrize("name", sorted(NON_SMOOTH_FUNCTIONS))
def test_non_smooth_functions_raise_non_differentiable_error(name):
    with pytest.raises(NonDifferentiableError) as info:
        parse(f"1 + {name}(x, y)")
    message = str(info.value)
    assert message.startswith(f"{name}(...) is not allowed")
    assert NON_SMOOTH_FUNCTIONS[name] in message
    assert "C^2" in message
    assert not isinstance(info.value, ParseError)  # a different kind of problem


def test_non_smooth_function_nested_inside_smooth_ones_is_found():
    with pytest.raises(NonDifferentiableError, match="abs"):
        parse("exp(log(1 + abs(x)))")


@pytest.mark.parametrize(("text", "symbol"), [("x // 2", "//"), ("x % 2", "%")])
def test_discontinuous_operators_raise_non_differentiable_error(text, symbol):
    with pytest.raises(NonDifferentiableError, match=f"operator '{symbol}' is discontinuous"):
        parse(text)


# --- unsafe input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x.real", "attribute access"),
        ("x.__class__", "attribute access"),
        ("().__class__.__bases__[0].__subclasses__()", "calling '().__class__.__bases__[0].__subclasses__' is not allowed"),
        ("().__class__", "attribute access"),
        ("__import__('os').system('true')", "calling \"__import__('os').system\" is not allowed"),
        ("(lambda: 1)()", "calling 'lambda: 1' is not allowed"),
        ("lambda: 1", "lambda expressions"),
        ("[i for i in x]", "comprehensions"),
        ("(i for i in x)", "comprehensions"),
        ("x[0]", "subscripts"),
        ("x[1:2]", "subscripts"),
        ("'abc'", "literal 'abc' is not a real number"),
        ("b'x'", "literal b'x' is not a real number"),
        ("f'{x}'", "strings"),
        ("exp(x=1)", "keyword arguments are not allowed (in call of 'exp')"),
        ("exp(**x)", "keyword arguments are not allowed"),
        ("exp(*x)", "star-arguments"),
        ("(w := x)", "assignments (':=')"),
        ("x if y else z", "conditional expressions"),
        ("x < y", "comparisons"),
        ("x and y", "boolean operators"),
        ("not x", "operator Not"),
        ("~x", "operator Invert"),
        ("[x, y]", "lists"),
        ("(x, y)", "tuples"),
        ("x, y", "tuples"),
        ("{x: y}", "dictionaries"),
        ("{x}", "sets"),
        ("x @ y", "operator '@'"),
        ("x & y", "operator '&'"),
        ("x | y", "operator '|'"),
        ("x << 1", "operator '<<'"),
        ("x >> 1", "operator '>>'"),
        ("None", "literal None"),
        ("True", "literal True"),
        ("...", "literal Ellipsis"),
        ("1j", "literal 1j is not a real number"),
        ("await x", "await"),
        ("(yield x)", "yield"),
    ],
)
def test_unsafe_constructs_are_rejected_and_named(text, fragment):
    with pytest.raises(UnsafeExpressionError) as info:
        parse(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("text", ["{i for i in x}", "{i: i for i in x}"])
def test_other_comprehensions_are_rejected(text):
    with pytest.raises(UnsafeExpressionError, match="comprehensions not allowed in expression"):
        parse(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("__import__('os')", "__import__"),
        ("exec('import os')", "exec"),
        ("eval('1+1')", "eval"),
        ("open('/etc/passwd')", "open"),
        ("getattr(x, 'real')", "getattr"),
        ("globals()", "globals"),
        ("compile('1', 'f', 'eval')", "compile"),
        ("breakpoint()", "breakpoint"),
    ],
)
def test_dangerous_builtins_are_unknown_functions(text, name):
    with pytest.raises(UnknownVariableError, match=f"unknown function '{name}'"):
        parse(text)


@pytest.mark.parametrize("name", ["__builtins__", "__import__", "__class__", "__name__", "os", "sys", "self"])
def test_dunder_and_module_names_are_unknown_variables(name):
    with pytest.raises(UnknownVariableError, match=f"unknown variable '{name}'"):
        parse(f"x + {name}")


def test_payloads_have_no_side_effects(tmp_path, monkeypatch):
    calls = []

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return 0

    monkeypatch.setattr(os, "system", spy)
    monkeypatch.setattr(os, "popen", spy)
    monkeypatch.setattr(subprocess, "Popen", spy)
    target = tmp_path / "pwned"
    payloads = [
        f"__import__('os').system('touch {target}')",
        f"exec(\"open('{target}', 'w').write('x')\")",
        f"eval(\"__import__('os').system('touch {target}')\")",
        f"open('{target}', 'w')",
        f"[__import__('os').system('touch {target}') for _ in (1,)]",
        f"(lambda: __import__('os').system('touch {target}'))()",
        f"exp(x=__import__('os').system('touch {target}'))",
        f"exp(*[__import__('os').system('touch {target}')])",
        "globals().update(PWNED_BY_PARSER=1)",
        "__import__('builtins').__dict__.__setitem__('PWNED_BY_PARSER', 1)",
        "(PWNED_BY_PARSER := 1)",
        "().__class__.__bases__[0].__subclasses__()",
        f"f'{{__import__(\"os\").system(\"touch {target}\")}}'",
        f"exp(__import__('os').system('touch {target}'))",
        f"1 + abs(__import__('os').system('touch {target}'))",
    ]
    for text in payloads:
        with pytest.raises(DlnsmoothError) as info:
            parse(text)
        assert isinstance(info.value, (UnsafeExpressionError, UnknownVariableError, NonDifferentiableError)), text
        assert str(info.value)
    assert calls == []
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert "PWNED_BY_PARSER" not in globals()
    assert not hasattr(builtins, "PWNED_BY_PARSER")


def test_parsing_never_calls_eval_or_exec(monkeypatch):
    calls = []

    def forbidden(*args, **kwargs):
        calls.append(args)
        raise AssertionError("eval/exec called by the parser")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert parse("log(1 + exp(-x*y)) + 0.1*z**2 - sqrt(pi)") == (
        sp.log(1 + sp.exp(-X * Y)) + Z**2 / 10 - sp.sqrt(sp.pi)
    )
    assert parse_number("2/3") == sp.Rational(2, 3)
    assert parse_rho("0.5") == sp.Rational(1, 2)
    assert parse_assignments("x=t, y=1/t, z=2", VARS, (T,)) == {X: T, Y: 1 / T, Z: 2}
    with pytest.raises(UnknownVariableError):
        parse("eval('1')")
    assert calls == []


# --- malformed input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("x**", "malformed expression 'x**'"),
        ("(x", "malformed expression '(x'"),
        ("x)", "malformed expression 'x)'"),
        ("x +", "malformed expression 'x +'"),
        ("x y", "malformed expression 'x y'"),
        ("2x", "malformed expression '2x'"),
        ("x = 1", "malformed expression 'x = 1'"),
        ("import os", "malformed expression"),
        ("x;y", "malformed expression"),
        ("(]", "malformed expression"),
        ("x\x00", "malformed expression"),
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("\n\t", "empty expression"),
    ],
)
def test_malformed_expressions_give_clear_parse_errors(text, fragment):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in str(info.value)


def test_syntax_error_reports_the_column():
    with pytest.raises(ParseError, match="at column 3"):
        parse("x y")


@pytest.mark.parametrize("value", [None, 1, 1.5, sp.Symbol("x"), b"x", ["x"]])
def test_non_string_expression_is_rejected(value):
    with pytest.raises(ParseError, match="expression must be a string, got " + type(value).__name__):
        parse(value)


def test_overlong_and_deeply_nested_expressions():
    with pytest.raises(ParseError, match="too long .*limit 20000"):
        parse("x+" * 10_000 + "x")
    for text in ["-" * 19_000 + "x", "(" * 1000 + "x" + ")" * 1000, "exp(" * 3000 + "x" + ")" * 3000,
                 "x**" * 4000 + "x"]:
        with pytest.raises(ParseError):
            parse(text)


def test_surrogates_and_odd_unicode_are_parse_errors():
    for text in ["x\ud800", "x\u2212y", "x\u00d7y"]:
        with pytest.raises(ParseError):
            parse(text)


# --- parse_number -----------------------------------------------------------------------


# --- parse_rho --------------------------------------------------------------------------


# --- split_top_level --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a=log(t, 2), b=t", ["a=log(t, 2)", " b=t"]),
        ("a,b,c", ["a", "b", "c"]),
        ("a", ["a"]),
        ("", [""]),
        ("a,", ["a", ""]),
        (",", ["", ""]),
        ("f(a, g(b, c)), [d, e], {f, g}", ["f(a, g(b, c))", " [d, e]", " {f, g}"]),
        ("((a,b)),c", ["((a,b))", "c"]),
    ],
)
def test_split_top_level_splits_only_outside_brackets(text, parts):
    assert split_top_level(text) == parts


def test_split_top_level_other_separator():
    assert split_top_level("a; log(b; c); d", ";") == ["a", " log(b; c)", " d"]
    assert split_top_level("a, b; c", ";") == ["a, b", " c"]


@pytest.mark.parametrize("text", ["(a, b", "a), (b", "a)", "((a)", "[a, b", "a]", "{", "}"])
def test_split_top_level_rejects_unbalanced_brackets(text):
    with pytest.raises(ParseError, match="unbalanced parentheses"):
        split_top_level(text)


# --- parse_assignments ------------------------------------------------------------------


def test_parse_assignments_basic_curve():
    a, b = declare_variables("a,b")
    result = parse_assignments("a=t, b=1/t", (a, b), (T,))
    assert result == {a: T, b: 1 / T}
    assert list(result) == [a, b]
    # order of entries does not matter; spaces are ignored
    assert parse_assignments("  b = 1/t ,a=t ", (a, b), (T,)) == {a: T, b: 1 / T}


def test_parse_assignments_commas_inside_calls_and_exact_decimals():
    a, b = declare_variables("a,b")
    result = parse_assignments("a=log(t, 2), b=0.1*t**2", (a, b), (T,))
    assert result == {a: sp.log(T) / sp.log(2), b: T**2 / 10}


def test_parse_assignments_require_all_false_allows_partial():
    a, b = declare_variables("a,b")
    assert parse_assignments("b=2*t", (a, b), (T,), require_all=False) == {b: 2 * T}


@pytest.mark.parametrize(
    ("text", "error", "fragment"),
    [
        ("a=t", ParseError, "curve does not assign b; every variable needs an expression"),
        ("a=t, b=t, c=t", UnknownVariableError, "curve assigns unknown variable 'c'; declared: a, b"),
        ("a=t, b=s", UnknownVariableError, "unknown variable 's' in curve entry for b; declared: t"),
        ("a=t, b=a", UnknownVariableError, "unknown variable 'a' in curve entry for b"),
        ("a=t, a=2*t, b=t", ParseError, "curve assigns 'a' twice"),
        ("a=t, b=t,", ParseError, "empty assignment in curve"),
        ("a=t,, b=t", ParseError, "empty assignment in curve"),
        ("a=t, b", ParseError, "curve entry 'b' is not of the form name=expression"),
        ("a==t, b=t", ParseError, "curve entry 'a==t' is not of the form name=expression"),
        ("a=t, b=log(t, base=2)", ParseError, "not of the form name=expression"),
        ("a=, b=t", ParseError, "empty curve entry for a"),
        ("=t, b=t", UnknownVariableError, "curve assigns unknown variable ''"),
        ("a=(t, b=t", ParseError, "unbalanced parentheses"),
        ("a=t), b=t", ParseError, "unbalanced parentheses"),
        ("a=abs(t), b=t", NonDifferentiableError, "abs(...) is not allowed"),
        ("a=t.real, b=t", UnsafeExpressionError, "attribute access"),
        ("a=__import__('os').system('true'), b=t", UnsafeExpressionError, "is not allowed"),
        ("a=t**, b=t", ParseError, "malformed curve entry for a"),
        ("", ParseError, "empty curve; expected assignments such as 'a=t, b=1/t'"),
        ("   ", ParseError, "empty curve"),
    ],
)
def test_parse_assignments_errors_name_the_problem(text, error, fragment):
    a, b = declare_variables("a,b")
    with pytest.raises(error) as info:
        parse_assignments(text, (a, b), (T,))
    assert fragment in str(info.value)


def test_parse_assignments_non_string_and_what_label():
    a, b = declare_variables("a,b")
    with pytest.raises(ParseError, match="empty curve"):
        parse_assignments(None, (a, b), (T,))
    with pytest.raises(ParseError, match="point does not assign b"):
        parse_assignments("a=1", (a, b), (), what="point")
    with pytest.raises(UnknownVariableError, match="point assigns unknown variable 'x'; declared: a, b"):
        parse_assignments("x=1", (a, b), (), what="point")
    with pytest.raises(UnknownVariableError, match=r"declared: \(none\)"):
        parse_assignments("x=1", (), (), require_all=False)


def test_parse_assignments_several_arguments():
    a, b = declare_variables("a,b")
    s, u = sp.symbols("s u", real=True)
    assert parse_assignments("a=s*u, b=s-u", (a, b), (s, u)) == {a: s * u, b: s - u}


# --- properties -------------------------------------------------------------------------

_SMALL_RATIONALS = st.builds(
    sp.Rational, st.integers(min_value=-20, max_value=20), st.integers(min_value=1, max_value=9)
)
_ATOMS = st.one_of(st.sampled_from(VARS), _SMALL_RATIONALS, st.sampled_from([sp.pi, sp.E]))
_UNARY = [sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.asinh, sp.erf]


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] - p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
        st.tuples(children, children).filter(lambda p: p[1] != 0).map(lambda p: p[0] / p[1]),
        st.tuples(children, st.integers(min_value=-2, max_value=3)).map(lambda p: p[0] ** p[1]),
        st.tuples(st.sampled_from(_UNARY), children).map(lambda p: p[0](p[1])),
    )


_EXPRESSIONS = st.recursive(_ATOMS, _combine, max_leaves=6)


@given(_EXPRESSIONS, st.booleans())
def test_printed_sympy_expressions_parse_back_to_themselves(expr, use_sstr):
    expr = sp.sympify(expr)
    assume(not expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I))
    text = sp.sstr(expr) if use_sstr else str(expr)
    assume("Abs" not in text and "sign" not in text)
    parsed = parse(text)
    assert parsed.free_symbols <= set(VARS)
    assert parsed == expr or sp.expand(parsed - expr) == 0 or sp.simplify(parsed - expr) == 0, (text, parsed)


@given(
    st.lists(st.tuples(st.integers(-50, 50), st.integers(0, 4), st.integers(0, 4), st.integers(0, 3)),
             min_size=1, max_size=6),
    st.sampled_from(["str", "sstr", "decimal"]),
)
def test_random_polynomials_round_trip_exactly(terms, style):
    poly = sp.Add(*[c * X**i * Y**j * Z**k for c, i, j, k in terms])
    text = str(poly)
    if style == "sstr":
        text = sp.sstr(poly, order="rev-lex")
    elif style == "decimal":
        # every coefficient written as a decimal such as 0.3 or -1.7, read back exactly as c/10
        poly = sp.Add(*[sp.Rational(c, 10) * X**i * Y**j * Z**k for c, i, j, k in terms])
        text = " + ".join(f"({c / 10!r})*x**{i}*y**{j}*z**{k}" for c, i, j, k in terms)
    parsed = parse(text)
    assert sp.expand(parsed - poly) == 0
    assert not parsed.atoms(sp.Float)


_TOKENS = ["x", "y", "z", "w", "1", "2", "0.5", "+", "-", "*", "/", "**", "^", "(", ")", ",", " ", ".",
           "exp(", "log(", "sqrt(", "abs(", "max(", "lambda", ":", "[", "]", "'", "=", "__", "import", "e", "%"]


@given(st.one_of(st.text(max_size=25), st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join)))
def test_garbage_parses_to_declared_symbols_or_raises_package_error(text):
    try:
        result = parse(text)
    except DlnsmoothError as exc:
        assert str(exc)
    else:
        assert isinstance(result, sp.Expr)
        assert result.free_symbols <= set(VARS)
        assert not result.has(sp.zoo, sp.nan, sp.oo)


# --- known bugs (documented behaviour the code does not meet yet) -----------------------


def test_declared_non_nfkc_variable_is_accepted():
    (mu,) = declare_variables("µ")  # U+00B5, typed by many keyboards
    assert parse_expression("µ**2", (mu,)) == mu**2


def test_astronomical_exponent_is_a_parse_error():
    with pytest.raises(ParseError, match="too large"):
        parse("2**exp(exp(exp(exp(10))))")


@pytest.mark.slow
def test_towering_exponent_is_refused_quickly():
    code = (
        "from dlnsmooth.parsing import parse_expression, declare_variables\n"
        "from dlnsmooth.errors import ParseError\n"
        "try:\n"
        "    parse_expression('2**exp(exp(exp(20)))', declare_variables('x'))\n"
        "except ParseError:\n"
        "    print('refused')\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail("parsing '2**exp(exp(exp(20)))' did not finish within 6 s")
    assert done.stdout.strip() == "refused"


def test_e_notation_obeys_the_same_size_limit_as_powers():
    with pytest.raises(ParseError, match="too large"):
        parse("10**-20000")
    with pytest.raises(ParseError, match="too large"):
        parse("1e-20000")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2 + 1", X**2 + 1),
        ("0.1*x^2", X**2 / 10),
        ("2*x^2", 2 * X**2),
        ("-x^2", -(X**2)),
        ("x^y^2", X ** (Y**2)),
        ("x^2*y^3", X**2 * Y**3),
    ],
)
def test_caret_has_the_precedence_of_a_power(text, expected):
    assert parse(text) == expected
    assert parse(text) == parse(text.replace("^", "**"))


def test_latex_of_huge_expressions_is_not_rendered():
    small = sp.sin(X) ** 2
    assert bounded_latex(small) == sp.latex(small)
    nest = X
    for _ in range(60):
        nest = sp.sin(nest)
    huge = sp.diff(nest, X, 2) ** 2
    assert "not rendered" in bounded_latex(huge) and "not rendered" not in bounded_latex(nest)
