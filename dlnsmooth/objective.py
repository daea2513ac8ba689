"""Objectives f : Rⁿ → R, vector fields D : Rⁿ → Rᵐ, and every compiled evaluator.

An :class:`Objective` is a SymPy expression plus an ordered tuple of real
variables. Its gradient and Hessian are derived once and cached; its
evaluators — mpmath at any requested precision inside a local ``mp.workdps``
(from exact inputs), ball arithmetic (python-flint) and float64 — are compiled
once, by :class:`VectorField`, the package's only compiler of SymPy
expressions: curves, sequences, the univariate procedure and the audit ask an
objective or a field for values instead of compiling their own.

A :class:`VectorField` is the general continuous map ``D`` of the
definitions (SPEC §1); ``Objective.gradient_field`` is ``D = ∇f``.
:class:`DerivativeObjective` is f : R → R given by its derivative
(``f′ = sin(x²)`` has no elementary primitive).

**Real powers.** A power b**e with a non-integer exponent (``x**(7/3)``, ``x**(1/3)``,
``x**pi``) means its principal branch, the function SymPy, mpmath and ball arithmetic
evaluate: it is real only where b ≥ 0 (at x = −1, ``x**(7/3)`` is e^(7iπ/3), not −1; the real
odd root is not what the package computes). Every part of the package uses this one reading:
evaluation outside {b ≥ 0} raises :class:`~dlnsmooth.errors.DomainError` (a curve leaving the
domain is an input error, never a complex number passed on), ball arithmetic returns a
non-finite ball there, and :func:`continuity_domain` — what the univariate procedure certifies
continuity on R with — intersects SymPy's ``continuous_domain`` (which would take the real
root and answer "all of R" for ``x**(7/3)``) with {b ≥ 0}. So ``x**(7/3)`` is a function on
[0, ∞), and the univariate procedure, which decides functions on R, refuses it with a
one-line error.

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
import numpy as np
import sympy as sp
from flint import arb
from sympy.calculus.util import continuous_domain

from .balls import ArbProgram
from .budget import run_with_budget
from .errors import DomainError, NonDifferentiableError, ShapeError, UnknownVariableError
from .norms import Norm, ball_frobenius_norm, ball_vector_norm, matrix_norm, vector_norm
from .numbers import to_mpf
from .parsing import declare_variables, parse_expression
from .precision import DEFAULT_DPS, check_dps, magnitude_digits

__all__ = ["Objective", "VectorField", "DerivativeObjective", "Point", "validate_variables", "check_expression",
           "continuity_domain"]

Point = Sequence[object]

# SymPy heads that are not twice continuously differentiable everywhere.
_NON_SMOOTH = (sp.Abs, sp.sign, sp.floor, sp.ceiling, sp.Max, sp.Min, sp.Heaviside,
               sp.DiracDelta, sp.Piecewise, sp.Mod, sp.re, sp.im, sp.arg)
# Heads whose argument's magnitude |u| is their condition number (an absolute error in u
# becomes a relative error |u|·(relative error of u) in the value). log, sqrt, atan, ... do
# not amplify relative errors, so the size of their arguments is not counted.
_CONDITIONING = (sp.exp, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)


def validate_variables(variables: Sequence[sp.Symbol]) -> tuple[sp.Symbol, ...]:
    """The variables as a tuple of distinct SymPy symbols (at least one)."""
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


def check_expression(expr: sp.Expr, variables: tuple[sp.Symbol, ...], what: str, *, smooth: bool = True) -> sp.Expr:
    """``expr`` unchanged, after checking that it uses only ``variables``, no infinite or undefined
    constant and (``smooth``) no function that is not C² everywhere (|·|, max, Piecewise, …)."""
    if not isinstance(expr, sp.Expr):
        raise TypeError(f"{what} must be a SymPy expression, got {type(expr).__name__}")
    unknown = expr.free_symbols - set(variables)
    if unknown:
        names = ", ".join(sorted(s.name for s in unknown))
        declared = ", ".join(v.name for v in variables)
        raise UnknownVariableError(f"{what} uses undeclared symbol(s) {names}; declared: {declared}")
    bad = sorted({type(a).__name__ for a in expr.atoms(*_NON_SMOOTH)} | (
        {"Piecewise"} if expr.has(sp.Piecewise) else set())) if smooth else []
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
    return [_real_coordinate(v, name) for v, name in zip(x, names)]


def _real_coordinate(value: object, name: str) -> mp.mpf:
    """One coordinate as an mpf; a complex one (a curve that left the real line) is a DomainError."""
    try:
        return to_mpf(value)
    except TypeError:
        if isinstance(value, (mp.mpc, complex)) or (isinstance(value, sp.Expr) and value.has(sp.I)):
            raise DomainError(f"the coordinate {name} = {value} is not real: f is defined on real points "
                              "only") from None
        raise


def _require_real(values, where: Callable[[], str]):
    """The values as real mpf; a DomainError naming ``where()`` for a complex, non-finite or
    non-numeric value (the message is built only then)."""
    values = [mp.mpf(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
    for v in values:
        if isinstance(v, mp.mpc):
            if v.imag != 0:
                raise DomainError(f"{where()} is not real (got {mp.nstr(v, 8)}): outside the domain of f")
        elif not isinstance(v, mp.mpf):
            raise DomainError(f"{where()} did not evaluate to a number (got {v!r})")
        elif not mp.isfinite(v):
            raise DomainError(f"{where()} is not finite (got {v}): outside the domain of f")
    return [mp.mpf(v.real) if isinstance(v, mp.mpc) else v for v in values]


class VectorField:
    """A continuous map ``D : Rⁿ → Rᵐ`` given by SymPy components, with its evaluators.

    Used for the pair conditions of SPEC §1, which are stated for a general
    ``D`` (``D = ∇f`` in practice), and as the package's one compiler: every
    evaluator of SymPy expressions — mpmath (``__call__``), ball arithmetic
    (:meth:`ball`) and float64/numpy (:meth:`floats`) — is built here, once per
    field, on first use.
    """

    def __init__(self, components: Sequence[sp.Expr], variables: Sequence[sp.Symbol], *, name: str = "D",
                 smooth: bool = True):
        self.variables = validate_variables(variables)
        self.components = tuple(
            check_expression(sp.sympify(c), self.variables, f"component {i + 1} of {name}", smooth=smooth)
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
    def _mpmath(self) -> Callable:
        return sp.lambdify(self.variables, list(self.components), modules="mpmath", cse=True)

    @cached_property
    def _balls(self) -> ArbProgram:
        return ArbProgram(list(self.components), self.variables)

    @cached_property
    def _numpy(self) -> Callable:
        return sp.lambdify(self.variables, list(self.components), modules=["scipy", "numpy"], cse=True)

    def __call__(self, x: Point, dps: int = DEFAULT_DPS) -> list[mp.mpf]:
        """``D(x)`` at ``dps`` decimal digits, from exact inputs."""
        check_dps(dps)
        with mp.workdps(dps):
            point = _coerce_point(x, self.n, [v.name for v in self.variables])
            return _require_real(self._mpmath(*point), lambda: f"{self.name} at {_show(x)}")

    def mpmath_values(self, *values: object) -> list:
        """``D`` in mpmath at the *current* precision from mpf arguments, unchecked (raw values,
        possibly complex): for inner loops such as root finding, which set the precision."""
        return list(self._mpmath(*values))

    def norm(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """``‖D(x)‖`` (Euclidean) at ``dps`` digits."""
        with mp.workdps(dps):
            return vector_norm(self(x, dps))

    def ball(self, point: Sequence[object]) -> list[arb]:
        """``D(point)`` as balls at the current flint precision (wrap the call in
        :func:`~dlnsmooth.precision.working_precision`); ``point`` holds exact numbers or balls
        (a box, giving an enclosure of D over it). Raises
        :class:`~dlnsmooth.errors.UnsupportedForBalls` for functions without a ball version."""
        if len(point) != self.n:
            raise ShapeError(f"point has {len(point)} coordinates; expected {self.n}")
        return self._balls.evaluate(list(point))

    def ball_norm(self, point: Sequence[object]) -> arb:
        """An enclosure of ``‖D(point)‖`` (Euclidean) at the current flint precision."""
        return ball_vector_norm(self.ball(point))

    def floats(self, *values: object) -> list:
        """``D`` in float64 (numpy, scipy's special functions): one raw value per component —
        possibly complex, infinite or NaN outside the domain, arrays when the arguments are
        numpy arrays (vectorised). For exploration only; figures come from :meth:`ball`."""
        if len(values) != self.n:
            raise ShapeError(f"expected {self.n} values, got {len(values)}")
        return list(self._numpy(*values))

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
        self.variables = validate_variables(variables)
        self.expr = check_expression(sp.sympify(expr), self.variables, "the objective")
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
    def _value_field(self) -> VectorField:
        return VectorField([self.expr], self.variables, name=self.name)

    @cached_property
    def _hessian_field(self) -> VectorField:
        """The upper triangle of ∇²f, row by row."""
        n = self.n
        return VectorField([self.hessian[i, j] for i in range(n) for j in range(i, n)], self.variables,
                           name=f"∇²{self.name}")

    @cached_property
    def _derivatives_field(self) -> VectorField:
        """∇f followed by the upper triangle of ∇²f (ball and float64 evaluation in one program)."""
        return VectorField(list(self.gradient) + list(self._hessian_field.components), self.variables,
                           name=f"(∇{self.name}, ∇²{self.name})")

    @cached_property
    def _arguments_field(self) -> VectorField | None:
        """The arguments of exp, sin, cosh, … in f (their sizes are condition numbers)."""
        return _arguments_field(self.expr, self.variables)

    def _point(self, x: Point) -> list[mp.mpf]:
        return _coerce_point(x, self.n, [v.name for v in self.variables])

    def value(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """f(x) at ``dps`` digits."""
        return self._value_field(x, dps)[0]

    def grad(self, x: Point, dps: int = DEFAULT_DPS) -> list[mp.mpf]:
        """∇f(x) at ``dps`` digits, as a list of mpf."""
        return self.gradient_field(x, dps)

    def hess(self, x: Point, dps: int = DEFAULT_DPS) -> list[list[mp.mpf]]:
        """∇²f(x) at ``dps`` digits, as a list of rows."""
        return _symmetric(self.n, self._hessian_field(x, dps))

    def grad_norm(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """‖∇f(x)‖ (Euclidean) at ``dps`` digits."""
        with mp.workdps(dps):
            return vector_norm(self.grad(x, dps))

    def hess_norm(self, x: Point, dps: int = DEFAULT_DPS, norm: Norm | str = Norm.FROBENIUS) -> mp.mpf:
        """‖∇²f(x)‖ in the Frobenius (default) or spectral norm at ``dps`` digits."""
        with mp.workdps(dps):
            return matrix_norm(self.hess(x, dps), norm)

    # -- ball arithmetic -------------------------------------------------------------
    def ball_value(self, point: Sequence[object]) -> arb:
        """f(point) as a ball at the current flint precision (see :meth:`VectorField.ball`)."""
        return self._value_field.ball(point)[0]

    def ball_derivatives(self, point: Sequence[object]) -> tuple[list[arb], list[list[arb]]]:
        """(∇f(x), ∇²f(x)) as balls at the current flint precision (wrap the call in
        :func:`dlnsmooth.precision.working_precision`); ``point`` holds balls or exact numbers.
        The Hessian is a list of rows (symmetric: each entry computed once).

        Raises :class:`~dlnsmooth.errors.UnsupportedForBalls` when f uses a function the
        ball compiler does not implement."""
        if len(point) != self.n:
            raise ShapeError(f"point has {len(point)} coordinates; expected {self.n}")
        values = self._derivatives_field.ball(point)
        return list(values[:self.n]), _symmetric(self.n, values[self.n:], arb(0))

    def ball_norms(self, point: Sequence[object]) -> tuple[arb, arb]:
        """(‖∇f(x)‖, ‖∇²f(x)‖_F) as balls at the current flint precision (see
        :meth:`ball_derivatives`)."""
        gradient, H = self.ball_derivatives(point)
        return ball_vector_norm(gradient), ball_frobenius_norm(H)

    # -- float64 (exploration) ----------------------------------------------------------
    def float_derivatives(self, x: Sequence[float]) -> tuple[np.ndarray, np.ndarray] | None:
        """(∇f(x), ∇²f(x)) in float64, None where a value is not finite or not real (outside
        the domain, overflow). For searching only: nothing printed as evidence comes from it."""
        with np.errstate(all="ignore"):
            try:
                values = np.array([complex(v) for v in self._derivatives_field.floats(*[float(v) for v in x])])
            except (ValueError, ZeroDivisionError, OverflowError, TypeError, FloatingPointError):
                return None
        if not np.all(np.isfinite(values)) or np.any(values.imag != 0):
            return None
        values = values.real
        return values[:self.n].copy(), np.array(_symmetric(self.n, list(values[self.n:]), 0.0))

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
        adaptive loop (:func:`dlnsmooth.balls.certify`: guaranteed digits of balls) has the
        last word.
        """
        with mp.workdps(30):
            values = list(self._point(x))
            if self._arguments_field is not None:
                try:
                    values += [abs(v) for v in self._arguments_field(values, 30)]
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


def _symmetric(n: int, upper: Sequence, zero: object = None) -> list[list]:
    """The symmetric n×n matrix (list of rows) from its upper triangle, row by row."""
    H = [[zero] * n for _ in range(n)]
    k = 0
    for i in range(n):
        for j in range(i, n):
            H[i][j] = H[j][i] = upper[k]
            k += 1
    return H


def _arguments_field(expression: sp.Expr, variables: tuple[sp.Symbol, ...]) -> VectorField | None:
    arguments = sorted({a for node in expression.atoms(*_CONDITIONING) for a in node.args}, key=sp.default_sort_key)
    arguments = [a for a in arguments if not a.is_number]
    return VectorField(arguments, variables, name="arguments") if arguments else None


def _fractional_power_bases(expression: sp.Expr) -> list[sp.Expr]:
    """The bases b of the powers b**e in ``expression`` whose exponent is not an integer."""
    return sorted({p.base for p in expression.atoms(sp.Pow) if p.exp.is_integer is not True
                   and not p.base.is_number}, key=sp.default_sort_key)


def continuity_domain(expression: sp.Expr, variable: sp.Symbol) -> sp.Set:
    """Where ``expression`` is real and continuous on R, powers read on their principal branch
    (module docstring): SymPy's ``continuous_domain`` intersected with {b ≥ 0} for every base b
    of a non-integer power. May be slow: callers run it under a time budget."""
    domain = continuous_domain(expression, variable, sp.S.Reals)
    for base in _fractional_power_bases(expression):
        if base.is_nonnegative is True:
            continue
        domain = domain.intersect(sp.solveset(base >= 0, variable, sp.S.Reals))
    return domain


class DerivativeObjective(Objective):
    """f(x) = ∫₀ˣ g(s) ds for a given g = f′ (``f′ = sin(x²)`` has no elementary primitive).

    The gradient is g itself (exactly, not re-derived), the Hessian g′; values of f are
    computed by quadrature (``mpmath.quad``) and are only needed for reports.
    """

    def __init__(self, derivative: sp.Expr, variable: sp.Symbol, *, name: str = "f"):
        if not isinstance(variable, sp.Symbol):
            raise TypeError(f"the variable must be a SymPy symbol, got {type(variable).__name__}")
        g = check_expression(sp.sympify(derivative), (variable,), "f′")
        self.derivative = g
        dummy = sp.Symbol("s" if variable.name != "s" else "u", real=True)
        super().__init__(sp.Integral(g.xreplace({variable: dummy}), (dummy, 0, variable)), [variable], name=name)

    @classmethod
    def from_string(cls, text: str, variables: str | Sequence[str] = "x", *, name: str = "f") -> DerivativeObjective:
        """Parse f′ safely (one variable)."""
        symbols = declare_variables(variables)
        if len(symbols) != 1:
            raise ShapeError(f"the univariate procedure takes one variable, got {len(symbols)}: "
                             f"{', '.join(s.name for s in symbols)}")
        return cls(parse_expression(text, symbols, what="f′"), symbols[0], name=name)

    @cached_property
    def gradient(self) -> sp.Matrix:
        return sp.Matrix([self.derivative])

    @cached_property
    def real_everywhere(self) -> bool:  # type: ignore[override]
        outcome = run_with_budget(continuity_domain, self.derivative, self.variables[0], seconds=5.0)
        return bool(outcome.ok and outcome.value == sp.S.Reals)

    @cached_property
    def _arguments_field(self) -> VectorField | None:
        return _arguments_field(self.derivative, self.variables)

    def value(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """f(x) = ∫₀ˣ f′ by quadrature at ``dps`` digits (oscillatory integrands far out are slow)."""
        with mp.workdps(dps):
            (point,) = self._point(x)
            result = mp.quad(lambda s: self.gradient_field([s], dps)[0], [0, point])
            if isinstance(result, mp.mpc):
                if result.imag != 0:
                    raise DomainError(f"f′ is not real on [0, {mp.nstr(point, 8)}]")
                result = result.real
            return result

    def ball_value(self, point: Sequence[object]) -> arb:
        raise NotImplementedError("f given by f′ has no ball evaluation of its values")

    def expression_text(self) -> str:
        s = self.expr.variables[0]
        return f"∫₀^{self.variables[0].name} {sp.sstr(self.derivative.xreplace({self.variables[0]: s}))} d{s.name}"

    def describe(self) -> str:
        return f"{self.signature()} = {self.expression_text()}  (f′({self.variables[0].name}) = {sp.sstr(self.derivative)})"
