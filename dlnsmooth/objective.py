"""Objectives f : Rⁿ → R and vector fields D : Rⁿ → Rᵐ.

An :class:`Objective` is a SymPy expression plus an ordered tuple of real
variables. Its gradient and Hessian are derived once and cached; numeric
evaluators are compiled once (``lambdify`` to mpmath with common
subexpressions eliminated) and evaluated at any requested precision inside a
local ``mp.workdps`` context, from exact inputs.

A :class:`VectorField` is the general continuous map ``D`` of the
definitions (SPEC §1); ``Objective.gradient_field`` is ``D = ∇f``.

Example::

    >>> f = Objective.from_string("x**4 + x*y", "x,y")
    >>> f.gradient.T
    Matrix([[4*x**3 + y, x]])
    >>> f.grad_norm([1, 2], dps=30)
    mpf('6.0827625302982196889996842452021')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

import mpmath as mp
import sympy as sp
from flint import arb

from .balls import ArbProgram, nonnegative_sqrt
from .errors import DomainError, NonDifferentiableError, ShapeError, UnknownVariableError
from .norms import Norm, matrix_norm, vector_norm
from .parsing import declare_variables, parse_expression
from .precision import DEFAULT_DPS, check_dps, magnitude_digits, to_mpf

__all__ = ["Objective", "VectorField", "Point"]

Point = Sequence[object]

# SymPy heads that are not twice continuously differentiable everywhere.
_NON_SMOOTH = (sp.Abs, sp.sign, sp.floor, sp.ceiling, sp.Max, sp.Min, sp.Heaviside,
               sp.DiracDelta, sp.Piecewise, sp.Mod, sp.re, sp.im, sp.arg)
# Heads whose argument's magnitude |u| is their condition number (an absolute error in u
# becomes a relative error |u|·(relative error of u) in the value). log, sqrt, atan, ... do
# not amplify relative errors, so the size of their arguments is not counted.
_CONDITIONING = (sp.exp, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)


def _validate_variables(variables: Sequence[sp.Symbol]) -> tuple[sp.Symbol, ...]:
    variables = tuple(variables)
    if not variables:
        raise ShapeError("an objective needs at least one variable")
    for v in variables:
        if not isinstance(v, sp.Symbol):
            raise TypeError(f"variables must be SymPy symbols, got {type(v).__name__} {v!r}")
    seen: set[str] = set()
    duplicates = sorted({v.name for v in variables if v.name in seen or seen.add(v.name)})
    if duplicates:
        raise ShapeError(f"variables declared more than once: {', '.join(duplicates)}")
    return variables


def _check_expression(expr: sp.Expr, variables: tuple[sp.Symbol, ...], what: str) -> sp.Expr:
    if not isinstance(expr, sp.Expr):
        raise TypeError(f"{what} must be a SymPy expression, got {type(expr).__name__}")
    unknown = expr.free_symbols - set(variables)
    if unknown:
        names = ", ".join(sorted(s.name for s in unknown))
        declared = ", ".join(v.name for v in variables)
        raise UnknownVariableError(f"{what} uses undeclared symbol(s) {names}; declared: {declared}")
    bad = sorted({type(a).__name__ for a in expr.atoms(*_NON_SMOOTH)} | (
        {"Piecewise"} if expr.has(sp.Piecewise) else set()))
    if bad:
        raise NonDifferentiableError(
            f"{what} contains {', '.join(bad)}, which is not twice continuously differentiable everywhere"
        )
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ValueError(f"{what} contains an infinite or undefined constant")
    return expr


def _coerce_point(x: Point, n: int, names: Sequence[str]) -> list[mp.mpf]:
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise ShapeError(f"a point must be a sequence of {n} numbers, got {x!r}")
    if len(x) != n:
        raise ShapeError(f"point has {len(x)} coordinates; expected {n} ({', '.join(names)})")
    return [to_mpf(v) for v in x]


def _require_real(values, where: str):
    values = [mp.mpf(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
    for v in values:
        if isinstance(v, mp.mpc):
            if v.imag != 0:
                raise DomainError(f"{where} is not real (got {mp.nstr(v, 8)}): outside the domain of f")
        elif not isinstance(v, mp.mpf):
            raise DomainError(f"{where} did not evaluate to a number (got {v!r})")
        elif not mp.isfinite(v):
            raise DomainError(f"{where} is not finite (got {v}): outside the domain of f")
    return [mp.mpf(v.real) if isinstance(v, mp.mpc) else v for v in values]


class VectorField:
    """A continuous map ``D : Rⁿ → Rᵐ`` given by SymPy components.

    Used for the pair conditions of SPEC §1, which are stated for a general
    ``D`` (``D = ∇f`` in practice).
    """

    def __init__(self, components: Sequence[sp.Expr], variables: Sequence[sp.Symbol], *, name: str = "D"):
        self.variables = _validate_variables(variables)
        self.components = tuple(
            _check_expression(sp.sympify(c), self.variables, f"component {i + 1} of {name}")
            for i, c in enumerate(components)
        )
        if not self.components:
            raise ShapeError("a vector field needs at least one component")
        self.name = name

    @classmethod
    def from_strings(cls, components: Sequence[str], variables: str | Sequence[str], *, name: str = "D") -> VectorField:
        symbols = declare_variables(variables)
        return cls([parse_expression(c, symbols, what=f"component of {name}") for c in components], symbols, name=name)

    @property
    def n(self) -> int:
        return len(self.variables)

    @cached_property
    def _compiled(self) -> Callable:
        return sp.lambdify(self.variables, list(self.components), modules="mpmath", cse=True)

    def __call__(self, x: Point, dps: int = DEFAULT_DPS) -> list[mp.mpf]:
        """``D(x)`` at ``dps`` decimal digits."""
        check_dps(dps)
        with mp.workdps(dps):
            point = _coerce_point(x, self.n, [v.name for v in self.variables])
            return _require_real(self._compiled(*point), f"{self.name} at {x!r}")

    def norm(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """``‖D(x)‖`` (Euclidean) at ``dps`` digits."""
        with mp.workdps(dps):
            return vector_norm(self(x, dps))

    def __repr__(self) -> str:
        return f"VectorField({list(self.components)}, variables={self.variables})"


class Objective:
    """A twice continuously differentiable ``f : Rⁿ → R``.

    ``gradient`` (n×1) and ``hessian`` (n×n) are SymPy matrices derived once.
    ``value``, ``grad``, ``hess`` evaluate at a point given exactly (ints,
    rationals, decimal strings) at ``dps`` decimal digits; the norms are the
    Euclidean norm of the gradient and the Frobenius or spectral norm of the
    Hessian (SPEC §0).
    """

    #: True when f is real and finite on all of Rⁿ (no domain check along curves needed).
    real_everywhere: bool = False

    def __init__(self, expr: sp.Expr, variables: Sequence[sp.Symbol], *, name: str = "f"):
        self.variables = _validate_variables(variables)
        self.expr = _check_expression(sp.sympify(expr), self.variables, "the objective")
        self.name = name

    @classmethod
    def from_string(cls, text: str, variables: str | Sequence[str], *, name: str = "f") -> Objective:
        """Parse ``text`` safely as an expression in the declared ``variables``."""
        symbols = declare_variables(variables)
        return cls(parse_expression(text, symbols, what="objective"), symbols, name=name)

    # -- symbolic -------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.variables)

    @cached_property
    def gradient(self) -> sp.Matrix:
        """∇f as an n×1 SymPy matrix (derived once)."""
        return sp.Matrix([sp.diff(self.expr, v) for v in self.variables])

    @cached_property
    def hessian(self) -> sp.Matrix:
        """∇²f as an n×n symmetric SymPy matrix (derived once, from the gradient)."""
        n = self.n
        H = sp.zeros(n, n)
        for i in range(n):
            for j in range(i, n):
                H[i, j] = H[j, i] = sp.diff(self.gradient[i], self.variables[j])
        return H

    def gradient_at(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> list[sp.Expr]:
        """∇f with every variable replaced by the given expression (e.g. a curve)."""
        self._check_substitution(substitution)
        return [g.xreplace(dict(substitution)) for g in self.gradient]

    def hessian_at(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> sp.Matrix:
        """∇²f with every variable replaced by the given expression (e.g. a curve)."""
        self._check_substitution(substitution)
        return self.hessian.xreplace(dict(substitution))

    def _check_substitution(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> None:
        missing = [v.name for v in self.variables if v not in substitution]
        if missing:
            raise ShapeError(f"substitution does not give {', '.join(missing)}")

    @cached_property
    def gradient_field(self) -> VectorField:
        """``D = ∇f`` as a :class:`VectorField`."""
        return VectorField(list(self.gradient), self.variables, name=f"∇{self.name}")

    # -- numeric --------------------------------------------------------------------
    @cached_property
    def _compiled_value(self) -> Callable:
        return sp.lambdify(self.variables, self.expr, modules="mpmath")

    @cached_property
    def _compiled_hessian(self) -> Callable:
        n = self.n
        upper = [self.hessian[i, j] for i in range(n) for j in range(i, n)]
        return sp.lambdify(self.variables, upper, modules="mpmath", cse=True)

    @cached_property
    def _compiled_arguments(self) -> Callable | None:
        arguments = sorted({a for node in self.expr.atoms(*_CONDITIONING) for a in node.args}, key=sp.default_sort_key)
        arguments = [a for a in arguments if not a.is_number]
        if not arguments:
            return None
        return sp.lambdify(self.variables, arguments, modules="mpmath", cse=True)

    def _point(self, x: Point) -> list[mp.mpf]:
        return _coerce_point(x, self.n, [v.name for v in self.variables])

    def value(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """f(x) at ``dps`` digits."""
        check_dps(dps)
        with mp.workdps(dps):
            return _require_real([self._compiled_value(*self._point(x))], f"{self.name}({_show(x)})")[0]

    def grad(self, x: Point, dps: int = DEFAULT_DPS) -> list[mp.mpf]:
        """∇f(x) at ``dps`` digits, as a list of mpf."""
        return self.gradient_field(x, dps)

    def hess(self, x: Point, dps: int = DEFAULT_DPS) -> list[list[mp.mpf]]:
        """∇²f(x) at ``dps`` digits, as a list of rows."""
        check_dps(dps)
        with mp.workdps(dps):
            upper = _require_real(self._compiled_hessian(*self._point(x)), f"∇²{self.name}({_show(x)})")
        n = self.n
        H = [[mp.mpf(0)] * n for _ in range(n)]
        k = 0
        for i in range(n):
            for j in range(i, n):
                H[i][j] = H[j][i] = upper[k]
                k += 1
        return H

    def grad_norm(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """‖∇f(x)‖ (Euclidean) at ``dps`` digits."""
        with mp.workdps(dps):
            return vector_norm(self.grad(x, dps))

    def hess_norm(self, x: Point, dps: int = DEFAULT_DPS, norm: Norm | str = Norm.FROBENIUS) -> mp.mpf:
        """‖∇²f(x)‖ in the Frobenius (default) or spectral norm at ``dps`` digits."""
        with mp.workdps(dps):
            return matrix_norm(self.hess(x, dps), norm)

    # -- ball arithmetic -------------------------------------------------------------
    @cached_property
    def _ball_program(self) -> ArbProgram:
        n = self.n
        upper = [self.hessian[i, j] for i in range(n) for j in range(i, n)]
        return ArbProgram(list(self.gradient) + upper, self.variables)

    def ball_derivatives(self, point: Sequence[object]) -> tuple[list[arb], list[list[arb]]]:
        """(∇f(x), ∇²f(x)) as balls at the current flint precision (wrap the call in
        :func:`dlnsmooth.balls.working_precision`); ``point`` holds balls or exact numbers.
        The Hessian is a list of rows (symmetric: each entry computed once).

        Raises :class:`~dlnsmooth.balls.UnsupportedForBalls` when f uses a function the
        ball compiler does not implement."""
        n = self.n
        if len(point) != n:
            raise ShapeError(f"point has {len(point)} coordinates; expected {n}")
        values = self._ball_program.evaluate(list(point))
        H: list[list[arb]] = [[arb(0)] * n for _ in range(n)]
        k = n
        for i in range(n):
            for j in range(i, n):
                H[i][j] = H[j][i] = values[k]
                k += 1
        return list(values[:n]), H

    def ball_norms(self, point: Sequence[object]) -> tuple[arb, arb]:
        """(‖∇f(x)‖, ‖∇²f(x)‖_F) as balls at the current flint precision (see
        :meth:`ball_derivatives`)."""
        gradient, H = self.ball_derivatives(point)
        grad_sq = arb(0)
        for g in gradient:
            grad_sq += g * g
        hess_sq = arb(0)
        for row in H:
            for h in row:
                hess_sq += h * h
        return nonnegative_sqrt(grad_sq), nonnegative_sqrt(hess_sq)

    def exact_restriction(self, curve) -> object | str | None:
        """An exact structured restriction of ‖∇f‖², ‖∇²f‖_F² to ``curve`` (see
        :class:`~dlnsmooth.curves.Restriction`), a string saying why this curve has none,
        or None: generic objectives have no structured route and are restricted symbolically."""
        return None

    def condition_digits(self, x: Point) -> int:
        """Extra decimal digits an evaluation at ``x`` is likely to lose.

        exp(±u), sin u, cosh u, ... have condition number about |u|, so the
        estimate is the size, in digits, of the largest such argument at ``x``
        (and of the coordinates themselves). It seeds adaptive precision; the
        agreement test of :func:`dlnsmooth.precision.confirm` has the last word.
        """
        with mp.workdps(30):
            point = self._point(x)
            values = list(point)
            if self._compiled_arguments is not None:
                try:
                    values += [abs(v) for v in self._compiled_arguments(*point)]
                except (ValueError, ZeroDivisionError, TypeError):
                    pass
            return magnitude_digits(values)

    # -- presentation ---------------------------------------------------------------
    def signature(self) -> str:
        return f"{self.name}({', '.join(v.name for v in self.variables)})"

    def expression_text(self) -> str:
        """f as text (subclasses with huge expressions return a formula instead)."""
        return sp.sstr(self.expr)

    def describe(self) -> str:
        return f"{self.signature()} = {self.expression_text()}"

    def to_json(self) -> dict:
        """``{"expression": …, "variables": [...]}`` for reports' JSON."""
        return {"expression": self.expression_text(), "variables": [v.name for v in self.variables]}

    def latex(self) -> str:
        return f"{self.name}({', '.join(sp.latex(v) for v in self.variables)}) = {sp.latex(self.expr)}"

    def __repr__(self) -> str:
        return f"Objective({self.describe()})"


def _show(x: Point) -> str:
    try:
        return ", ".join(str(v) for v in x)
    except TypeError:
        return repr(x)
