"""Numbers and constants: the one place they enter the package.

Everything numeric a user types or passes — a coordinate, a label, ρ, a claimed
constant such as ``sqrt(5)`` — is read here, exactly, and converted here to
the three representations the package computes with:

* exact SymPy numbers (:func:`parse_number` for rationals, :func:`parse_constant`
  for exact real constants such as ``sqrt(5)``, ``2*sqrt(3)``, ``30/6**(4/5)``,
  ``log(2)``, ``pi``; :func:`to_rational` for the exact value of a machine number);
* mpmath numbers at the current precision (:func:`to_mpf`);
* python-flint balls at the current precision (:func:`to_arb`, :func:`ball_value`),
  which enclose the exact value rigorously.

Text is read by :func:`read_math`, a whitelisting reader: the string is parsed
by Python's :mod:`ast` and rebuilt node by node into SymPy, never passed to
``eval``/``sympify``. Only numbers (decimals read exactly: ``0.1`` is 1/10,
``1e309`` is 10³⁰⁹), the given names, ``pi`` and ``E``, ``+ - * / **`` (``^`` is
``**``, with its precedence) and the functions of :data:`SMOOTH_FUNCTIONS` are
accepted; a constant whose exact value would have more than 10 000 digits
(``10**20000``, ``2**exp(exp(20))``) is refused before SymPy computes it.
:mod:`dlnsmooth.parsing` uses the same reader for expressions in declared
variables.

Conventions, stated once: ``a^0 = 1`` for every ``a ≥ 0`` (:func:`power`), so
for ρ = 0 the term ``C1‖∇f‖^ρ`` is C1; constants of the conditions are exact
real numbers ≥ 0 (:func:`nonnegative_constant`); ρ is an exact rational ≥ 0
(:func:`parse_rho`); floats given by a user are read as the decimal they print
as (``0.7`` is 7/10), while :func:`to_rational` and :func:`to_mpf` take a
machine float by its binary value.

Example::

    >>> parse_constant("2*sqrt(3)")
    2*sqrt(3)
    >>> with working_precision(30):
    ...     to_arb("30/6**(4/5)")
    [7.8905826... +/- ...]
"""

from __future__ import annotations

import ast
import math
import unicodedata
from collections.abc import Callable, Mapping
from fractions import Fraction
from numbers import Number

import mpmath as mp
import sympy as sp
from flint import arb, fmpq, fmpz
from mpmath.libmp import from_man_exp

from .budget import run_with_budget
from .errors import (
    DlnsmoothError,
    InvalidRhoError,
    NonDifferentiableError,
    ParseError,
    UnknownVariableError,
    UnsafeExpressionError,
    UnsupportedForBalls,
)
from .precision import working_precision

__all__ = [
    "SMOOTH_FUNCTIONS",
    "NON_SMOOTH_FUNCTIONS",
    "CONSTANTS",
    "read_math",
    "parse_number",
    "parse_constant",
    "nonnegative_constant",
    "parse_rho",
    "rho_target",
    "MAX_RHO",
    "to_rational",
    "to_mpf",
    "to_arb",
    "ball_value",
    "BALL_FUNCTIONS",
    "ball_to_mpf",
    "integer_power",
    "power",
    "exact_sign",
    "compare",
    "decimal_text",
    "round_rational",
]

#: Functions an expression may call, with their allowed numbers of arguments.
SMOOTH_FUNCTIONS: dict[str, tuple[object, tuple[int, ...]]] = {
    "exp": (sp.exp, (1,)),
    "log": (sp.log, (1, 2)),
    "ln": (sp.log, (1,)),
    "sqrt": (sp.sqrt, (1,)),
    "sin": (sp.sin, (1,)),
    "cos": (sp.cos, (1,)),
    "tan": (sp.tan, (1,)),
    "sinh": (sp.sinh, (1,)),
    "cosh": (sp.cosh, (1,)),
    "tanh": (sp.tanh, (1,)),
    "atan": (sp.atan, (1,)),
    "asinh": (sp.asinh, (1,)),
    "erf": (sp.erf, (1,)),
}

#: Names of functions that are not twice differentiable everywhere; they get a
#: dedicated error instead of "unknown function".
NON_SMOOTH_FUNCTIONS: dict[str, str] = {
    "abs": "|.| is not differentiable at 0",
    "Abs": "|.| is not differentiable at 0",
    "sign": "sign is discontinuous at 0",
    "sgn": "sign is discontinuous at 0",
    "floor": "floor is discontinuous",
    "ceil": "ceiling is discontinuous",
    "ceiling": "ceiling is discontinuous",
    "max": "max is not differentiable where its arguments tie",
    "Max": "max is not differentiable where its arguments tie",
    "min": "min is not differentiable where its arguments tie",
    "Min": "min is not differentiable where its arguments tie",
    "relu": "relu is not differentiable at 0",
    "heaviside": "the Heaviside step is discontinuous",
    "Heaviside": "the Heaviside step is discontinuous",
    "mod": "mod is discontinuous",
    "round": "round is discontinuous",
}

#: Named constants every expression may use.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}

_MAX_LENGTH = 20_000
# Largest number of decimal digits a constant may have (10**k, 1e-k, 2**exp(exp(20)), ...).
_MAX_DIGITS = 10_000

_NODE_NAMES = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda expressions",
    ast.Compare: "comparisons",
    ast.BoolOp: "boolean operators",
    ast.IfExp: "conditional expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dictionaries",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "strings",
    ast.NamedExpr: "assignments (':=')",
    ast.Starred: "star-arguments",
    ast.Await: "await",
    ast.Yield: "yield",
}

_NON_FINITE_WORDS = {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "oo", "-oo", "+oo"}


# -- reading text ---------------------------------------------------------------------------
def _literal(node: ast.Constant, text: str, what: str) -> sp.Rational:
    """A numeric literal read exactly from the digits as typed (also beyond the float range)."""
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnsafeExpressionError(f"literal {value!r} is not a real number")
    if isinstance(value, int):
        if value.bit_length() > _MAX_DIGITS * 3.33:
            raise ParseError(f"number in {what} has more than {_MAX_DIGITS} digits")
        return sp.Integer(value)
    segment = (ast.get_source_segment(text, node) or repr(value)).replace("_", "")
    _, _, exponent = segment.lower().partition("e")
    if exponent:
        try:
            size = abs(int(exponent))
        except ValueError:
            raise ParseError(f"malformed number {segment!r} in {what}") from None
        if size > _MAX_DIGITS:
            raise ParseError(f"number {segment} in {what} is too large to compute exactly "
                             f"(exponent beyond ±{_MAX_DIGITS})")
    try:
        return sp.Rational(segment)
    except (TypeError, ValueError):
        if not math.isfinite(value):
            raise ParseError(f"number {segment} in {what} is not finite") from None
        return sp.Rational(repr(value))


class _Reader:
    """Turn a whitelisted AST into a SymPy expression (see :func:`read_math`)."""

    def __init__(self, text: str, names: Mapping[str, sp.Expr], what: str, constant: bool = False):
        self.text = text
        self.names = names
        self.what = what
        self.constant = constant

    def build(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            return _literal(node, self.text, self.what)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            if isinstance(node.op, ast.USub):
                return -operand
            if isinstance(node.op, ast.UAdd):
                return operand
            raise UnsafeExpressionError(f"operator {type(node.op).__name__} is not allowed in {self.what}")
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        label = _NODE_NAMES.get(type(node), type(node).__name__)
        raise UnsafeExpressionError(
            f"{label} not allowed in {self.what}: only numbers, variables, + - * / ** and smooth functions"
        )

    def _name(self, name: str) -> sp.Expr:
        if name in self.names:
            return self.names[name]
        if name in SMOOTH_FUNCTIONS:
            raise ParseError(f"function {name!r} used without arguments in {self.what}")
        if self.constant:
            raise UnknownVariableError(f"unknown name {name!r} in {self.what}: a constant may use numbers, "
                                       f"{', '.join(CONSTANTS)} and the functions {', '.join(sorted(SMOOTH_FUNCTIONS))}")
        declared = ", ".join(n for n in self.names if n not in CONSTANTS) or "(none)"
        raise UnknownVariableError(f"unknown variable {name!r} in {self.what}; declared: {declared}")

    def _binop(self, node: ast.BinOp) -> sp.Expr:
        left = self.build(node.left)
        right = self.build(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            if right == 0:
                raise ParseError(f"division by zero in {self.what}")
            return left / right
        if isinstance(op, ast.Pow):
            return self._power(left, right)
        symbol = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
                  ast.LShift: "<<", ast.RShift: ">>"}.get(type(op), type(op).__name__)
        if isinstance(op, (ast.FloorDiv, ast.Mod)):
            raise NonDifferentiableError(f"operator {symbol!r} is discontinuous; not allowed in {self.what}")
        raise UnsafeExpressionError(f"operator {symbol!r} is not allowed in {self.what}")

    def _power(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        # SymPy computes constant powers eagerly (10**20000 as an integer): bound their size first
        if base.is_number and exponent.is_number and base not in (0, 1, -1):
            digits = _power_digits(base, exponent)
            if digits is None or digits > _MAX_DIGITS:
                raise ParseError(f"constant power {base}**{exponent} is too large to compute exactly")
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise ParseError(f"division by zero (0 to a negative power) in {self.what}")
        return base**exponent

    def _call(self, node: ast.Call) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            segment = ast.get_source_segment(self.text, node.func) or "?"
            raise UnsafeExpressionError(
                f"calling {segment!r} is not allowed in {self.what}: only the named functions "
                f"{', '.join(sorted(SMOOTH_FUNCTIONS))} may be called"
            )
        name = node.func.id
        if node.keywords:
            raise UnsafeExpressionError(f"keyword arguments are not allowed (in call of {name!r})")
        if name in NON_SMOOTH_FUNCTIONS:
            raise NonDifferentiableError(
                f"{name}(...) is not allowed: {NON_SMOOTH_FUNCTIONS[name]}, and dlnsmooth needs f twice "
                "continuously differentiable (C^2)"
            )
        if name not in SMOOTH_FUNCTIONS:
            allowed = ", ".join(sorted(SMOOTH_FUNCTIONS))
            if name in self.names:
                raise ParseError(f"{name!r} is a variable, not a function; write {name}*(...) for a product")
            raise UnknownVariableError(f"unknown function {name!r} in {self.what}; allowed functions: {allowed}")
        function, arities = SMOOTH_FUNCTIONS[name]
        if len(node.args) not in arities:
            raise ParseError(f"{name} takes {' or '.join(map(str, arities))} argument(s), got {len(node.args)}")
        args = [self.build(arg) for arg in node.args]
        return function(*args)  # type: ignore[operator]


def _power_digits(base: sp.Expr, exponent: sp.Expr) -> float | None:
    """An upper bound on |exponent · log10|base||, the decimal size of base**exponent, from
    ball arithmetic at low precision (fast even for towers such as exp(exp(exp(20)))); None
    when the bound is infinite or cannot be computed."""
    try:
        with working_precision(20):
            b, e = ball_value(base), ball_value(exponent)
            size = abs(e) * abs(b).log() / arb(10).log()
            if not size.is_finite():
                return None
            return float(abs(size).upper())
    except (UnsupportedForBalls, TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def read_math(text: object, names: Mapping[str, sp.Expr], *, what: str = "expression",
              constant: bool = False) -> sp.Expr:
    """Read ``text`` safely as a real SymPy expression in the given ``names`` (plus ``pi``, ``E``);
    ``constant`` says that no variable is expected (for the error message).

    Raises :class:`~dlnsmooth.errors.ParseError` (malformed text, infinite or complex
    constants), :class:`~dlnsmooth.errors.UnsafeExpressionError` (not mathematics),
    :class:`~dlnsmooth.errors.UnknownVariableError` (undeclared names) or
    :class:`~dlnsmooth.errors.NonDifferentiableError` (|x|, max, ...).
    """
    if not isinstance(text, str):
        raise ParseError(f"{what} must be a string, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ParseError(f"empty {what}")
    if len(stripped) > _MAX_LENGTH:
        raise ParseError(f"{what} is too long ({len(stripped)} characters; limit {_MAX_LENGTH})")
    table: dict[str, sp.Expr] = dict(CONSTANTS)
    table.update({unicodedata.normalize("NFKC", name): value for name, value in names.items()})
    # '^' means power: rewritten before parsing so that it gets the precedence and right
    # associativity of '**' (as Python's XOR it would bind below + and *)
    stripped = stripped.replace("^", "**")
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        pointer = f" at column {exc.offset}" if exc.offset else ""
        raise ParseError(f"malformed {what} {text!r}: {exc.msg}{pointer}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ParseError(f"{what} is nested too deeply or is not valid text") from None
    try:
        result = _Reader(stripped, table, what, constant).build(tree)
    except RecursionError:
        raise ParseError(f"{what} is nested too deeply") from None
    if not isinstance(result, sp.Expr):
        raise ParseError(f"{what} {text!r} is not a scalar expression")
    if result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParseError(f"{what} {text!r} contains an infinite or undefined constant")
    if result.has(sp.I):
        raise ParseError(f"{what} {text!r} is not real (it contains the imaginary unit, e.g. from sqrt(-1) or log(-1))")
    return result


# -- exact numbers --------------------------------------------------------------------------
def parse_number(value: object, *, what: str = "number") -> sp.Rational:
    """An exact rational from an int, a decimal or fraction string (``"-0.5"``, ``"1e-3"``,
    ``"2/3"``), a :class:`fractions.Fraction`, a SymPy rational, a float (the decimal it
    prints as: ``0.1`` is 1/10) or an mpf (its exact binary value)."""
    if isinstance(value, bool):
        raise ParseError(f"{what} must be a number, got {value!r}")
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, sp.Float):
        return sp.Rational(str(value))
    if isinstance(value, (int, Fraction, mp.mpf)):
        return to_rational(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError(f"{what} must be finite, got {value!r}")
        return sp.Rational(repr(float(value)))
    if isinstance(value, str):
        text = value.strip()
        try:
            tree = ast.parse(text, mode="eval")
            result = _Reader(text, {}, what).build(tree) if _is_plain_number(tree.body) else None
        except SyntaxError:
            raise ParseError(f"{what} {value!r} is not a number (expected e.g. 2, -0.5, 1e-3 or 2/3)") from None
        except DlnsmoothError:
            raise
        except (RecursionError, MemoryError, ValueError):  # deep nesting, surrogates, ...
            raise ParseError(f"{what} is nested too deeply or is not valid text") from None
        if result is None or not isinstance(result, sp.Rational):
            raise ParseError(f"{what} {value!r} is not a rational number (expected e.g. 2, -0.5, 1e-3 or 2/3)")
        return result
    if isinstance(value, sp.Basic):
        raise ParseError(f"{what} must be a rational number, got {value}")
    if isinstance(value, Number):
        try:
            as_float = float(value)  # numpy scalars and the like
        except (TypeError, ValueError):
            raise ParseError(f"{what} must be real, got {value!r}") from None
        return parse_number(as_float, what=what)
    raise ParseError(f"{what} must be a number, got {type(value).__name__} {value!r}")


def _is_plain_number(node: ast.AST) -> bool:
    """True for literals combined with unary signs and '/' only (e.g. -2/3)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _is_plain_number(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _is_plain_number(node.left) and _is_plain_number(node.right)
    return False


def parse_constant(value: object, *, what: str = "constant") -> sp.Expr:
    """An exact real constant: anything :func:`parse_number` reads, an exact SymPy number
    (``sqrt(5)``, ``pi``), or text of a constant expression (``"2*sqrt(3)"``,
    ``"30/6**(4/5)"``, ``"log(2)"``). NaN, infinities and complex values are refused."""
    if value is None:
        raise ParseError(f"{what} is missing; expected a real number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ParseError(f"{what} = {value!r} is not a finite number")
    if isinstance(value, str):
        if value.strip().lower() in _NON_FINITE_WORDS:
            raise ParseError(f"{what} = {value.strip()!r} is not a finite number")
        try:
            return parse_number(value, what=what)
        except ParseError:
            pass
        result = read_math(value, {}, what=what, constant=True)
    elif isinstance(value, sp.Basic) and not isinstance(value, sp.Rational):
        result = sp.sympify(value)
        if not isinstance(result, sp.Expr) or result.free_symbols:
            raise ParseError(f"{what} = {value} is not a number")
        if result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise ParseError(f"{what} = {value} is not a finite number")
        if isinstance(result, sp.Float):
            return parse_number(result, what=what)
    else:
        return parse_number(value, what=what)
    if result.has(sp.I):
        raise ParseError(f"{what} = {value} is not real")
    _check_real_and_size(result, what)
    return result


def _check_real_and_size(value: sp.Expr, what: str) -> None:
    """Refuse a constant that is not real (``sqrt(-2)``, ``log(-1)``) or whose magnitude
    exceeds 10^10000 (``exp(exp(20))``, ``exp(exp(exp(20)))``). Decided from balls, which stay
    fast where SymPy's assumptions would evaluate a tower in full; only a constant whose balls
    stay undefined at every precision tried (``sqrt(log(6) - log(2) - log(3))``, an exact 0
    under the root) is handed to SymPy's ``is_real``, under a time budget."""
    try:
        for dps in (20, 120, 500):
            with working_precision(dps):
                ball = ball_value(value)
            if not ball.is_nan():
                break
    except UnsupportedForBalls:
        ball = None
    if ball is None or ball.is_nan():
        outcome = run_with_budget(_is_real, value, seconds=_SYMBOLIC_SIGN_BUDGET)
        if outcome.ok and outcome.value is False:
            raise ParseError(f"{what} = {sp.sstr(value)} is not real")
        if ball is not None and not (outcome.ok and outcome.value is True):
            raise ParseError(f"{what} = {sp.sstr(value)} could not be confirmed to be a real number")
        return
    with working_precision(20):
        too_large = not ball.is_finite() or (
            not ball.contains(0) and abs(ball).log().upper() > arb(10).log() * _MAX_DIGITS)
    if too_large:
        raise ParseError(f"{what} = {sp.sstr(value)} is too large to compute with (beyond 10^{_MAX_DIGITS})")


def _is_real(value: sp.Expr) -> bool | None:
    """SymPy's ``is_real`` (run under a budget)."""
    return value.is_real


def nonnegative_constant(value: object, name: str) -> sp.Expr:
    """The one validator of the conditions' constants: an exact real number ≥ 0 (see
    :func:`parse_constant`); the error names the constant."""
    constant = parse_constant(value, what=f"constant {name}")
    if exact_sign(constant) < 0:
        raise ParseError(f"constant {name} = {sp.sstr(constant)} is negative; expected {name} >= 0")
    return constant


#: Largest exponent ρ the package accepts: ‖∇f‖^ρ beyond ρ = 10⁶ says nothing a smaller ρ
#: does not (for ρ > 2 the conditions already fail or hold by the growth comparison), and such
#: powers only overflow the numeric tables.
MAX_RHO = 10**6


def rho_target(rho: object, every_rho: bool) -> sp.Rational | None:
    """What a command asks about: the exact ρ (:func:`parse_rho`), or None for every ρ ≥ 0 at once
    (``every_rho=True``); exactly one of the two must be given."""
    if every_rho and rho is not None:
        raise ValueError("give either rho or every_rho=True, not both")
    if not every_rho and rho is None:
        raise ValueError("give rho (a number >= 0) or every_rho=True")
    return None if every_rho else parse_rho(rho)


def parse_rho(value: object) -> sp.Rational:
    """The exponent ρ: a finite rational number with ``0 <= ρ <= MAX_RHO`` (10⁶; floats through
    the decimal they print as: ``0.7`` is 7/10)."""
    if isinstance(value, float) and math.isnan(value):
        raise InvalidRhoError("rho is NaN; expected a number >= 0")
    if isinstance(value, str) and value.strip().lower() in _NON_FINITE_WORDS:
        raise InvalidRhoError(f"rho = {value!r} is not a finite number; expected a number >= 0")
    try:
        rho = parse_number(value, what="rho")
    except ParseError as exc:
        raise InvalidRhoError(str(exc)) from None
    if rho < 0:
        raise InvalidRhoError(f"rho {_short(rho)} is negative; the conditions need rho >= 0")
    if rho > MAX_RHO:
        raise InvalidRhoError(f"rho {_short(rho)} is too large: the package accepts 0 <= rho <= 10^6")
    return rho


def _short(number: sp.Rational) -> str:
    """``= value`` for an error message, or ``≈ ±10^k`` when the exact value is long."""
    text = sp.sstr(number)
    if len(text) <= 40:
        return f"= {text}"
    whole = abs(number.p) // number.q
    exponent = len(str(whole)) - 1 if whole else len(str(abs(number.p))) - len(str(number.q))
    return f"≈ {'-' if number < 0 else ''}10^{exponent}"


# -- conversions ------------------------------------------------------------------------------
def to_rational(value: object) -> sp.Rational:
    """The exact rational value of a number given to the package: machine numbers (float,
    mpf, SymPy Float) by their binary value, integers, fractions and decimal or fraction
    strings exactly."""
    if isinstance(value, mp.mpf):
        if not mp.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        sign, mantissa, exponent, _ = value._mpf_  # mpf.man_exp drops the sign
        return (-1) ** sign * sp.Integer(int(mantissa)) * sp.Rational(2) ** int(exponent)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        return sp.Rational(value)  # the binary value
    if isinstance(value, sp.Float):
        return sp.Rational(value)
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, fmpq):
        return sp.Rational(int(value.p), int(value.q))
    if isinstance(value, fmpz):
        return sp.Integer(int(value))
    try:
        return parse_number(value)
    except ValueError:
        raise TypeError(f"expected a real number, got {type(value).__name__} {value!r}") from None


def to_mpf(value: object) -> mp.mpf:
    """``value`` as an mpf at the *current* mpmath precision, exactly where representable.

    Accepts int, Fraction, decimal or constant strings, SymPy numbers (exact constants
    such as ``sqrt(5)`` are evaluated at the current precision), floats (their binary
    value) and mpf."""
    if isinstance(value, mp.mpf):
        return +value
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return mp.mpf(value)
    if isinstance(value, Fraction):
        return mp.mpf(value.numerator) / value.denominator
    if isinstance(value, sp.Integer):
        return mp.mpf(int(value))
    if isinstance(value, sp.Rational):
        return mp.mpf(int(value.p)) / int(value.q)
    if isinstance(value, sp.Float):
        return mp.mpf(value._mpf_)
    if isinstance(value, float):
        if math.isnan(value):
            raise TypeError("expected a real number, got nan")
        return mp.mpf(value)
    if isinstance(value, str):
        try:
            return to_mpf(parse_constant(value))
        except ParseError as exc:
            raise TypeError(str(exc)) from None
    if isinstance(value, sp.Expr):
        if not value.is_number:
            raise TypeError(f"expected a number, got the expression {value}")
        try:  # a ball a few digits wider than the working precision: fast even for towers of exp
            with working_precision(mp.mp.dps + 10):
                ball = ball_value(value)
            if not ball.is_finite():
                raise TypeError(f"{value} is not finite in ball arithmetic (too large to compute with)")
            return +ball_to_mpf(ball)
        except UnsupportedForBalls:
            result = value.evalf(mp.mp.dps + 5)
        if not result.is_real:
            raise TypeError(f"expected a real number, got {value}")
        return mp.mpf(sp.Float(result, mp.mp.dps + 5)._mpf_)
    try:
        return mp.mpf(value)  # numpy scalars and the like
    except (TypeError, ValueError):
        raise TypeError(f"expected a real number, got {type(value).__name__} {value!r}") from None


def _binary_ball(mpf_tuple: tuple) -> arb:
    """sign·mantissa·2^exponent of an mpmath ``_mpf_`` tuple as a ball containing it (exact when the mantissa fits
    the flint precision; ``mpf.man_exp`` would drop the sign)."""
    sign, mantissa, exponent, _ = mpf_tuple
    if not mantissa:
        return arb(0)
    return arb(fmpz(-int(mantissa) if sign else int(mantissa))) * arb(2) ** int(exponent)


def to_arb(value: object) -> arb:
    """``value`` as a ball at the current flint precision: exact (radius 0) for integers,
    rationals, floats and mpf; a rigorous enclosure for exact constants such as ``sqrt(5)``
    (SymPy numbers or constant strings)."""
    if isinstance(value, arb):
        return value
    if isinstance(value, (fmpq, fmpz)):
        return arb(value)
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return arb(fmpz(value))
    if isinstance(value, Fraction):
        return arb(fmpq(value.numerator, value.denominator))
    if isinstance(value, sp.Integer):
        return arb(fmpz(int(value)))
    if isinstance(value, sp.Rational):
        return arb(fmpq(int(value.p), int(value.q)))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        numerator, denominator = value.as_integer_ratio()
        return arb(fmpq(numerator, denominator))
    if isinstance(value, mp.mpf):
        if not mp.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        return _binary_ball(value._mpf_)
    if isinstance(value, sp.Float):
        if not value.is_finite:
            raise TypeError(f"expected a finite number, got {value}")
        return _binary_ball(value._mpf_)  # the Float's own binary value: mp.mpf(...) would round it to mp.prec
    if isinstance(value, str):
        try:
            return to_arb(parse_constant(value))
        except ParseError as exc:
            raise TypeError(str(exc)) from None
    if isinstance(value, sp.Expr):
        if value.free_symbols:
            raise TypeError(f"expected a number, got the expression {value}")
        return ball_value(value)
    try:  # numpy scalars
        return to_arb(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"expected a real number, got {type(value).__name__} {value!r}") from None


def ball_to_mpf(x: arb) -> mp.mpf:
    """The midpoint of ``x`` as an mpf (exact: no rounding)."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    if man == 0:
        return mp.mpf(0)
    # from_man_exp without a precision is exact; mp.mpf((man, exp)) would round to mp.prec
    return mp.make_mpf(from_man_exp(man, exp))


# -- SymPy expressions evaluated over balls --------------------------------------------------
_UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp,
    sp.log: arb.log,
    sp.sin: arb.sin,
    sp.cos: arb.cos,
    sp.tan: arb.tan,
    sp.sinh: arb.sinh,
    sp.cosh: arb.cosh,
    sp.tanh: arb.tanh,
    sp.asin: arb.asin,
    sp.acos: arb.acos,
    sp.atan: arb.atan,
    sp.asinh: arb.asinh,
    sp.acosh: arb.acosh,
    sp.atanh: arb.atanh,
    sp.sec: arb.sec,
    sp.csc: arb.csc,
    sp.cot: arb.cot,
    sp.sech: arb.sech,
    sp.csch: arb.csch,
    sp.coth: arb.coth,
    sp.erf: arb.erf,
    sp.erfc: arb.erfc,
}

#: SymPy heads :func:`ball_value` evaluates (besides numbers, symbols, +, ×, powers, π, e).
BALL_FUNCTIONS: frozenset[type] = frozenset({*_UNARY, sp.Abs})


def ball_value(expr: sp.Basic, env: Mapping[sp.Basic, arb] | None = None,
               cache: dict[sp.Basic, arb] | None = None) -> arb:
    """``expr`` evaluated over balls at the current flint precision; ``env`` gives the balls of
    its symbols (and of any subexpression already computed), ``cache`` memoises shared
    subexpressions. Integer powers use :func:`integer_power` (tight around 0); ``x**(p/q)``
    needs a non-negative base. Raises :class:`~dlnsmooth.errors.UnsupportedForBalls` for a
    function without a ball implementation."""
    env = env if env is not None else {}
    cache = cache if cache is not None else {}
    if expr in env:
        return env[expr]
    hit = cache.get(expr)
    if hit is not None:
        return hit
    result = _ball_compute(expr, env, cache)
    cache[expr] = result
    return result


def _ball_compute(expr: sp.Basic, env: Mapping, cache: dict) -> arb:
    if isinstance(expr, sp.Symbol):
        raise UnsupportedForBalls(f"no value for the symbol {expr}")
    if isinstance(expr, sp.Integer):
        return arb(fmpz(int(expr)))
    if isinstance(expr, sp.Rational):
        return arb(fmpq(int(expr.p), int(expr.q)))
    if isinstance(expr, sp.Float):
        return to_arb(expr)
    if expr == sp.pi:
        return arb.pi()
    if expr == sp.E:
        return arb(1).exp()
    if isinstance(expr, sp.Add):
        total = arb(0)
        for a in expr.args:
            total = total + ball_value(a, env, cache)
        return total
    if isinstance(expr, sp.Mul):
        product = arb(1)
        for a in expr.args:
            product = product * ball_value(a, env, cache)
        return product
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        b = ball_value(base, env, cache)
        if isinstance(exponent, sp.Integer):
            n = int(exponent)
            return integer_power(b, n) if n >= 0 else 1 / integer_power(b, -n)
        if isinstance(exponent, sp.Rational):
            if exponent == sp.Rational(1, 2):
                return b.sqrt()
            return b ** arb(fmpq(int(exponent.p), int(exponent.q)))
        return (ball_value(exponent, env, cache) * b.log()).exp()
    if isinstance(expr, sp.Abs):
        return abs(ball_value(expr.args[0], env, cache))
    function = _UNARY.get(type(expr))
    if function is not None:
        return function(ball_value(expr.args[0], env, cache))
    raise UnsupportedForBalls(f"ball arithmetic does not implement {type(expr).__name__} (in {expr})")


def integer_power(x: arb, n: int) -> arb:
    """``x**n`` for an integer n ≥ 0 and any ball, by repeated squaring (python-flint's ``**``
    is NaN for balls containing 0 and loose for wide ones: arb(2, 0.1)**3 gives [± 9.27]); for
    even n the negative part, an artefact of multiplying a ball containing 0 by itself, is
    dropped."""
    if n < 0:
        raise ValueError("integer_power needs n >= 0")
    if n == 0:
        return arb(1)
    result, base, k = arb(1), x, n
    while k:
        if k & 1:
            result = result * base
        k >>= 1
        if k:
            base = base * base
    return result.nonnegative_part() if n % 2 == 0 else result


def power(base: mp.mpf | arb, rho: sp.Rational) -> mp.mpf | arb:
    """``base^ρ`` for a quantity ``base ≥ 0`` (a norm) and a rational ρ ≥ 0, with the
    convention ``a^0 = 1`` for every ``a ≥ 0`` (SPEC §0). An mpf gives an mpf at the current
    precision; a ball gives a ball enclosing the power of the non-negative part of the ball (an
    exact zero to a positive power stays an exact zero)."""
    rho = sp.Rational(rho)
    if isinstance(base, arb):
        if rho == 0:
            return arb(1)
        if base.is_zero() and base.is_exact():
            return arb(0)
        nonnegative = base.nonnegative_part()
        if rho.is_Integer:
            return integer_power(nonnegative, int(rho))
        return nonnegative ** arb(fmpq(int(rho.p), int(rho.q)))
    if rho == 0:
        return mp.mpf(1)
    return base ** to_mpf(rho)


# -- exact comparison -------------------------------------------------------------------------
_SIGN_PRECISIONS = (30, 120, 500, 2000)


def exact_sign(value: object) -> int:
    """The sign (−1, 0, 1) of an exact real number, decided exactly: rationals directly,
    other constants by ball enclosures at rising precision that exclude 0 (arb handles tiny
    and huge magnitudes such as ``exp(-exp(exp(20)))`` without evaluating them in full), and
    only then, when every enclosure contains 0 or balls cannot express the constant, by
    SymPy's symbolic tests run under a time budget (they can otherwise evaluate a tower to
    astronomical precision). Raises :class:`~dlnsmooth.errors.ParseError` when the sign
    cannot be decided."""
    number = parse_constant(value, what="number")
    if isinstance(number, sp.Rational):
        return int(bool(number > 0)) - int(bool(number < 0))
    for dps in _SIGN_PRECISIONS:
        try:
            with working_precision(dps):
                ball = ball_value(number)
        except UnsupportedForBalls:
            break
        if ball > 0:
            return 1
        if ball < 0:
            return -1
        if ball.is_zero() and ball.is_exact():
            return 0
    structural = _structural_sign(number)
    if structural is not None:
        return structural
    outcome = run_with_budget(_symbolic_sign, number, seconds=_SYMBOLIC_SIGN_BUDGET)
    if outcome.ok and outcome.value is not None:
        return outcome.value
    raise ParseError(f"the sign of {sp.sstr(number)} could not be decided")


def _structural_sign(number: sp.Expr) -> int | None:
    """The sign read off the form of a constant, without evaluating it, or None: ``exp`` of
    a real constant is positive, a product has the product of its factors' signs, a positive
    base to a real power is positive, a sum of terms of one sign has that sign. (For tiny
    values such as ``exp(-exp(exp(20)))``, whose balls keep containing 0.)"""
    if isinstance(number, sp.Rational):
        return int(bool(number > 0)) - int(bool(number < 0))
    if number.is_Number:  # a SymPy Float is not produced by the reader; other numbers are exact
        return None
    if isinstance(number, sp.exp):
        return 1 if _ball_is_real(number.args[0]) else None
    if number in (sp.pi, sp.E):
        return 1
    if isinstance(number, sp.Mul):
        sign = 1
        for factor in number.args:
            part = _structural_sign(factor)
            if part is None:
                return None
            sign *= part
        return sign
    if isinstance(number, sp.Pow):
        base = _structural_sign(number.base)
        if base == 1 and _ball_is_real(number.exp):
            return 1
        return None
    if isinstance(number, sp.Add):
        signs = {_structural_sign(term) for term in number.args}
        if signs in ({1}, {-1}):
            return signs.pop()
        return None
    return None


def _ball_is_real(number: sp.Expr) -> bool:
    """True when a ball encloses the constant as a real number (its enclosure is not NaN);
    SymPy's ``is_real`` can evaluate a tower in full."""
    try:
        with working_precision(20):
            return not ball_value(number).is_nan()
    except UnsupportedForBalls:
        return False


def _symbolic_sign(number: sp.Expr) -> int | None:
    """SymPy's verdict on the sign of a constant, or None (run under a budget)."""
    if number.is_zero or number.equals(0):
        return 0
    if number.is_positive:
        return 1
    if number.is_negative:
        return -1
    return None


#: Seconds allowed to SymPy's symbolic sign tests once ball enclosures have not decided.
_SYMBOLIC_SIGN_BUDGET = 10.0


def compare(a: object, b: object) -> int:
    """sign(a − b) for exact real numbers (:func:`exact_sign`)."""
    return exact_sign(parse_constant(a, what="number") - parse_constant(b, what="number"))


# -- exact decimal text ----------------------------------------------------------------------
def decimal_text(value: object) -> str:
    """A rational whose denominator divides a power of 10 as its exact decimal string
    (``'0.125'``, ``'-3.5e-40'``); other rationals as ``'p/q'``; other exact constants as
    SymPy writes them (``'sqrt(5)'``)."""
    if isinstance(value, sp.Expr) and not isinstance(value, sp.Rational):
        return sp.sstr(value)
    rational = to_rational(value)
    r = Fraction(int(rational.p), int(rational.q))
    if r == 0:
        return "0"
    q, twos, fives = r.denominator, 0, 0
    while q % 2 == 0:
        q, twos = q // 2, twos + 1
    while q % 5 == 0:
        q, fives = q // 5, fives + 1
    if q != 1:
        return f"{r.numerator}/{r.denominator}"
    scale = max(twos, fives)
    digits = abs(r.numerator) * 2 ** (scale - twos) * 5 ** (scale - fives)  # r = ±digits · 10^-scale
    exponent = -scale
    text = str(digits)
    stripped = text.rstrip("0")
    exponent += len(text) - len(stripped)
    text = stripped
    sign = "-" if r < 0 else ""
    magnitude = exponent + len(text) - 1  # decimal exponent of the leading digit
    if -7 <= magnitude <= 24:
        if exponent >= 0:
            return sign + text + "0" * exponent
        point = len(text) + exponent
        if point > 0:
            return f"{sign}{text[:point]}.{text[point:]}"
        return f"{sign}0.{'0' * -point}{text}"
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{sign}{mantissa}e{magnitude:+d}"


def round_rational(value: mp.mpf, digits: int, *, direction: str = "nearest") -> sp.Rational:
    """``value`` rounded to ``digits`` significant decimal digits, as an exact rational:
    ``nearest``, or ``up`` (a rational ≥ value) or ``down`` (≤ value)."""
    if direction not in ("nearest", "up", "down"):
        raise ValueError(f"direction must be 'nearest', 'up' or 'down', got {direction!r}")
    if value == 0:
        return sp.Integer(0)
    exact = to_rational(value)
    with mp.workdps(digits + 10):
        text = mp.nstr(value, digits)
        exponent = int(mp.floor(mp.log10(abs(value)))) - digits + 1
    result = sp.Rational(text)
    unit = sp.Rational(10) ** exponent
    if direction == "up":
        while result < exact:
            result += unit
    elif direction == "down":
        while result > exact:
            result -= unit
    return result
