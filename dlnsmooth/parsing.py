"""Expressions in declared variables: variable declarations, expressions, curves.

Expression strings are read by the package's one safe reader,
:func:`dlnsmooth.numbers.read_math`: Python's :mod:`ast` parser, rebuilt node by
node into SymPy objects, never ``eval``/``sympify``. Only numbers, the declared
variables, the constants ``pi`` and ``E``, the operators ``+ - * / **`` (``^`` is
read as ``**``, with its precedence), and a fixed list of smooth functions are
allowed. Anything else — attribute access, subscripts, lambdas, keyword
arguments, strings, undeclared names — is rejected with an error that names it.

Decimal literals are read exactly (``0.1`` becomes ``1/10``, ``1e309`` is 10³⁰⁹), so
no binary rounding enters a computation that is later carried out at 100
digits. Constants whose exact value would have more than 10 000 digits
(``10**20000``, ``1e-20000``, ``2**exp(exp(20))``) are refused. Names are
compared after Unicode NFKC normalisation, as Python's parser does.

A power with a non-integer exponent (``x**(7/3)``, ``x^(1/3)``) is read as written and means
its principal branch, real only where the base is ≥ 0 — not the real odd root. The whole
package evaluates and certifies it with this one reading (:mod:`dlnsmooth.objective`).

Example::

    >>> from dlnsmooth.parsing import parse_expression, declare_variables
    >>> x, y = declare_variables("x,y")
    >>> parse_expression("log(1 + exp(-x*y)) + 0.1*x^2", (x, y))
    x**2/10 + log(1 + exp(-x*y))
"""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Iterable, Sequence

import sympy as sp

from .errors import ParseError, UnknownVariableError
from .numbers import CONSTANTS, NON_SMOOTH_FUNCTIONS, SMOOTH_FUNCTIONS, read_math

__all__ = [
    "declare_variables",
    "parse_expression",
    "parse_assignments",
    "split_top_level",
    "LATEX_MAX_NODES",
    "bounded_latex",
    "TEXT_MAX_NODES",
    "bounded_text",
]

#: Expressions with more nodes than this are not rendered in LaTeX (:func:`bounded_latex`).
LATEX_MAX_NODES = 2000


def bounded_latex(expression: sp.Basic, max_nodes: int = LATEX_MAX_NODES) -> str:
    """LaTeX of ``expression``, or a note saying it was not rendered when it has more than ``max_nodes``
    nodes: SymPy's printer needs seconds to minutes on the restrictions of towers and deep nests, which
    would run outside every time budget."""
    if _larger_than(expression, max_nodes):
        return rf"\text{{(an expression of more than {max_nodes} nodes; not rendered)}}"
    return sp.latex(expression)


#: Expressions with more nodes than this are not printed as text (:func:`bounded_text`).
TEXT_MAX_NODES = 20000


def _larger_than(expression: sp.Basic, max_nodes: int) -> bool:
    return any(count > max_nodes for count, _ in enumerate(sp.preorder_traversal(expression), 1))


def bounded_text(expression: sp.Basic, max_nodes: int = TEXT_MAX_NODES) -> str:
    """``sstr`` of ``expression``, or a note saying it was not printed when it has more than ``max_nodes``
    nodes: ordering the terms of a huge restriction evaluates every constant numerically (a 60-deep nest of
    sin takes minutes), outside every time budget."""
    if _larger_than(expression, max_nodes):
        return f"(an expression of more than {max_nodes} nodes; not printed)"
    return sp.sstr(expression)


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
        if name in SMOOTH_FUNCTIONS or name in NON_SMOOTH_FUNCTIONS or name in CONSTANTS:
            raise ParseError(f"{name!r} is reserved (a function or constant); choose another variable name")
        if name in seen:
            raise ParseError(f"variable {name!r} is declared twice")
        seen.add(name)
    return tuple(sp.Symbol(name, real=real) for name in raw)


def parse_expression(
    text: str,
    variables: Sequence[sp.Symbol],
    *,
    what: str = "expression",
) -> sp.Expr:
    """Parse ``text`` as a real expression in the declared ``variables`` only (the safe reader
    :func:`~dlnsmooth.numbers.read_math`).

    Raises :class:`~dlnsmooth.errors.ParseError` (malformed text),
    :class:`~dlnsmooth.errors.UnsafeExpressionError` (not mathematics),
    :class:`~dlnsmooth.errors.UnknownVariableError` (undeclared names) or
    :class:`~dlnsmooth.errors.NonDifferentiableError` (|x|, max, ...).
    """
    return read_math(text, {symbol.name: symbol for symbol in variables}, what=what)


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
