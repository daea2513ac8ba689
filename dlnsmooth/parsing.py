"""Safe parsing of user-supplied mathematics.

Expression strings are read with Python's :mod:`ast` parser and rebuilt node by
node into SymPy objects. Nothing is ever passed to ``eval``/``sympify``: only
numbers, the declared variables, the constants ``pi`` and ``E``, the operators
``+ - * / **`` (``^`` is read as ``**``, with its precedence), and a fixed list of smooth
functions are allowed. Anything else — attribute access, subscripts, lambdas,
keyword arguments, strings, undeclared names — is rejected with an error that
names it.

Decimal literals are read exactly (``0.1`` becomes ``1/10``, ``1e309`` is 10³⁰⁹), so
no binary rounding enters a computation that is later carried out at 100
digits. Constants whose exact value would have more than 10 000 digits
(``10**20000``, ``1e-20000``, ``2**exp(exp(20))``) are refused. Names are
compared after Unicode NFKC normalisation, as Python's parser does.

Example::

    >>> from dlnsmooth.parsing import parse_expression, declare_variables
    >>> x, y = declare_variables("x,y")
    >>> parse_expression("log(1 + exp(-x*y)) + 0.1*x^2", (x, y))
    x**2/10 + log(1 + exp(-x*y))
"""

from __future__ import annotations

import ast
import keyword
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from numbers import Number

import sympy as sp

from .errors import (
    DlnsmoothError,
    InvalidRhoError,
    NonDifferentiableError,
    ParseError,
    UnknownVariableError,
    UnsafeExpressionError,
)

__all__ = [
    "SMOOTH_FUNCTIONS",
    "NON_SMOOTH_FUNCTIONS",
    "declare_variables",
    "parse_expression",
    "parse_number",
    "parse_rho",
    "parse_assignments",
    "split_top_level",
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

_CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}

_MAX_LENGTH = 20_000
# Largest number of decimal digits a constant power such as 10**k may produce.
_MAX_POWER_DIGITS = 10_000

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


def declare_variables(names: str | Iterable[str], *, real: bool = True) -> tuple[sp.Symbol, ...]:
    """Create real SymPy symbols from ``"a,b,c"`` or an iterable of names.

    Names must be Python-style identifiers, distinct, and must not shadow a
    function name or the constants ``pi`` and ``E``.
    """
    if isinstance(names, str):
        raw = [unicodedata.normalize("NFKC", part.strip()) for part in names.split(",")]
    else:
        raw = [unicodedata.normalize("NFKC", str(part).strip()) for part in names]
    if not raw or raw == [""]:
        raise ParseError("no variables declared: expected names such as 'x,y'")
    seen: set[str] = set()
    for name in raw:
        if not name:
            raise ParseError(f"empty variable name in {names!r}")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ParseError(f"{name!r} is not a valid variable name (use letters, digits, '_')")
        if name in SMOOTH_FUNCTIONS or name in NON_SMOOTH_FUNCTIONS or name in _CONSTANTS:
            raise ParseError(f"{name!r} is reserved (a function or constant); choose another variable name")
        if name in seen:
            raise ParseError(f"variable {name!r} is declared twice")
        seen.add(name)
    return tuple(sp.Symbol(name, real=real) for name in raw)


def _number_from_literal(node: ast.Constant, text: str, what: str = "expression") -> sp.Rational:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnsafeExpressionError(f"literal {value!r} is not a real number")
    if isinstance(value, int):
        return sp.Integer(value)
    # read the digits as typed (exact, also beyond the float range), not the float
    segment = (ast.get_source_segment(text, node) or repr(value)).replace("_", "")
    mantissa, _, exponent = segment.lower().partition("e")
    if exponent:
        try:
            size = abs(int(exponent))
        except ValueError:
            raise ParseError(f"malformed number {segment!r} in {what}") from None
        if size > _MAX_POWER_DIGITS:
            raise ParseError(f"number {segment} in {what} is too large to compute exactly "
                             f"(exponent beyond ±{_MAX_POWER_DIGITS})")
    try:
        return sp.Rational(segment)
    except (TypeError, ValueError):
        if not math.isfinite(value):
            raise ParseError(f"number {segment} in {what} is not finite") from None
        return sp.Rational(repr(value))


class _Builder:
    """Turn a whitelisted AST into a SymPy expression."""

    def __init__(self, text: str, names: Mapping[str, sp.Expr], what: str):
        self.text = text
        self.names = names
        self.what = what

    def build(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            return _number_from_literal(node, self.text, self.what)
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
        declared = ", ".join(n for n in self.names if n not in _CONSTANTS) or "(none)"
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
        if base.is_number and exponent.is_number and base not in (0, 1, -1):
            digits = _power_digits(base, exponent)
            if digits is None or digits > _MAX_POWER_DIGITS:
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
    from flint import arb

    from .balls import ArbProgram, UnsupportedForBalls, working_precision

    try:
        with working_precision(20):
            b, e = ArbProgram([base, exponent], []).evaluate([])
            size = abs(e) * abs(b).log() / arb(10).log()
            if not size.is_finite():
                return None
            return float(abs(size).upper())
    except (UnsupportedForBalls, TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def parse_expression(
    text: str,
    variables: Sequence[sp.Symbol],
    *,
    what: str = "expression",
) -> sp.Expr:
    """Parse ``text`` as a real expression in the declared ``variables`` only.

    Raises :class:`~dlnsmooth.errors.ParseError` (malformed text),
    :class:`~dlnsmooth.errors.UnsafeExpressionError` (not mathematics),
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
    names: dict[str, sp.Expr] = dict(_CONSTANTS)
    for symbol in variables:
        names[unicodedata.normalize("NFKC", symbol.name)] = symbol
    # '^' means power: rewrite it before parsing so that it gets the precedence and right
    # associativity of '**' (as Python's XOR it would bind below + and *). Strings, where
    # a '^' could mean something else, are rejected anyway.
    stripped = stripped.replace("^", "**")
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        pointer = f" at column {exc.offset}" if exc.offset else ""
        raise ParseError(f"malformed {what} {text!r}: {exc.msg}{pointer}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ParseError(f"{what} is nested too deeply or is not valid text") from None
    try:
        result = _Builder(stripped, names, what).build(tree)
    except RecursionError:
        raise ParseError(f"{what} is nested too deeply") from None
    if not isinstance(result, sp.Expr):
        raise ParseError(f"{what} {text!r} is not a scalar expression")
    if result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParseError(f"{what} {text!r} contains an infinite or undefined constant")
    if result.has(sp.I):
        raise ParseError(f"{what} {text!r} is not real (it contains the imaginary unit, e.g. from sqrt(-1) or log(-1))")
    return result


def parse_number(value: object, *, what: str = "number") -> sp.Rational:
    """Read an exact rational number from an int, a decimal or fraction string,
    a :class:`fractions.Fraction`, a SymPy rational or a float (its exact
    decimal representation ``repr(value)``)."""
    if isinstance(value, bool):
        raise ParseError(f"{what} must be a number, got {value!r}")
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, sp.Float):
        return sp.Rational(str(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError(f"{what} must be finite, got {value!r}")
        return sp.Rational(repr(float(value)))  # float(): numpy scalars have a different repr
    if isinstance(value, str):
        text = value.strip()
        try:
            tree = ast.parse(text, mode="eval")
            result = _Builder(text, {}, what).build(tree) if _is_plain_number(tree.body) else None
        except SyntaxError:
            raise ParseError(f"{what} {value!r} is not a number (expected e.g. 2, -0.5, 1e-3 or 2/3)") from None
        except DlnsmoothError:
            raise
        except (RecursionError, MemoryError, ValueError):  # deep nesting, surrogates, ...
            raise ParseError(f"{what} is nested too deeply or is not valid text") from None
        if result is None or not isinstance(result, sp.Rational):
            raise ParseError(f"{what} {value!r} is not a rational number (expected e.g. 2, -0.5, 1e-3 or 2/3)")
        return result
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


def parse_rho(value: object) -> sp.Rational:
    """Validate the exponent rho: a finite rational number ``>= 0``.

    Floats are read through their shortest decimal form (``0.7`` is ``7/10``).
    """
    if isinstance(value, float) and math.isnan(value):
        raise InvalidRhoError("rho is NaN; expected a number >= 0")
    if isinstance(value, str) and value.strip().lower() in {"nan", "inf", "+inf", "-inf", "infinity", "oo"}:
        raise InvalidRhoError(f"rho = {value!r} is not a finite number; expected a number >= 0")
    try:
        rho = parse_number(value, what="rho")
    except ParseError as exc:
        raise InvalidRhoError(str(exc)) from None
    if rho < 0:
        raise InvalidRhoError(f"rho = {rho} is negative; the conditions need rho >= 0")
    return rho


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` outside parentheses/brackets (``"a=log(t, 2), b=t"``)."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                raise ParseError(f"unbalanced parentheses in {text!r}")
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise ParseError(f"unbalanced parentheses in {text!r}")
    parts.append("".join(current))
    return parts


def parse_assignments(
    text: str,
    targets: Sequence[sp.Symbol],
    arguments: Sequence[sp.Symbol],
    *,
    what: str = "curve",
    require_all: bool = True,
) -> dict[sp.Symbol, sp.Expr]:
    """Parse ``"a=t, b=1/t"``: each target variable gets an expression in ``arguments``.

    Every target must be assigned exactly once when ``require_all`` is true;
    unknown targets and undeclared names in the right-hand sides are errors.
    """
    if not isinstance(text, str) or not text.strip():
        raise ParseError(f"empty {what}; expected assignments such as 'a=t, b=1/t'")
    by_name = {unicodedata.normalize("NFKC", symbol.name): symbol for symbol in targets}
    result: dict[sp.Symbol, sp.Expr] = {}
    for part in split_top_level(text):
        if not part.strip():
            raise ParseError(f"empty assignment in {what} {text!r}")
        if part.count("=") != 1:
            raise ParseError(f"{what} entry {part.strip()!r} is not of the form name=expression")
        name, rhs = (piece.strip() for piece in part.split("="))
        name = unicodedata.normalize("NFKC", name)
        if name not in by_name:
            declared = ", ".join(by_name) or "(none)"
            raise UnknownVariableError(f"{what} assigns unknown variable {name!r}; declared: {declared}")
        symbol = by_name[name]
        if symbol in result:
            raise ParseError(f"{what} assigns {name!r} twice")
        result[symbol] = parse_expression(rhs, arguments, what=f"{what} entry for {name}")
    if require_all:
        missing = [symbol.name for symbol in targets if symbol not in result]
        if missing:
            raise ParseError(f"{what} does not assign {', '.join(missing)}; every variable needs an expression")
    return result
