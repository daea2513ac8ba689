"""Curves x(t), t → ∞, and the restriction of ‖∇f‖² and ‖∇²f‖_F² to them.

A :class:`Curve` assigns to every variable of an objective a SymPy expression
in one positive parameter (``t`` by default). A :class:`Restriction` holds
the restricted gradient and Hessian (exact, by substitution), their squared
norms ``G²(t) = ‖∇f(x(t))‖²`` and ``H²(t) = ‖∇²f(x(t))‖_F²`` (Frobenius: no
square roots, so exp-log expressions stay exp-log), and a numeric path that
evaluates the *objective* at the numerically evaluated curve point — an
evaluation independent of the symbolic substitution.

Growth exponents (SPEC §3): ``γ = lim log‖∇f‖ / log t`` and
``η = lim log‖∇²f‖_F / log t`` (``grad_exponent``, ``hess_exponent``). Along the curve the ratio
``‖∇²f‖/(1 + ‖∇f‖^ρ)`` behaves like ``t^(η − γρ)``, so for ``γ > 0`` the curve
refutes every ρ below the critical exponent ``ρ* = η/γ`` and says nothing
above it (at ρ* itself lower-order factors decide). In general, when
‖∇f‖ → ∞, ``ρ* = lim log‖∇²f‖ / log‖∇f‖`` (which is η/γ for power laws and
also covers exponential growth, e.g. ρ* = 1 for eˣ along x = t); when ‖∇f‖
stays bounded and ‖∇²f‖ → ∞, ``ρ* = ∞``: the curve refutes every ρ.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

import mpmath as mp
import sympy as sp

from .budget import DEFAULT_LIMIT_BUDGET, run_with_budget
from .conditions import growth_ratio
from .errors import DomainError, ParseError, ShapeError, TooLargeError, UnknownVariableError, UnsupportedForBalls
from .limits import LimitOutcome, limit_at_infinity, oscillating_factors
from .norms import Norm, matrix_norm, symbolic_squared_norm, vector_norm
from .numbers import exact_sign
from .objective import Objective, VectorField
from .parsing import parse_assignments
from .precision import check_dps, magnitude_digits, working_precision

__all__ = ["Curve", "Restriction", "GrowthExponents", "curve_parameter", "polynomial_degree", "polynomial_terms",
           "coefficients_degree", "SYMBOLIC_LIMIT", "SYMBOLIC_MAX"]


def curve_parameter(name: str = "t") -> sp.Symbol:
    """The positive SymPy symbol used as a curve parameter."""
    if not name.isidentifier():
        raise ParseError(f"{name!r} is not a valid parameter name")
    return sp.Symbol(name, positive=True)


class Curve:
    """x(t) = (x_1(t), …, x_n(t)) for an objective's variables, t > 0, t → ∞."""

    def __init__(
        self,
        variables: Sequence[sp.Symbol],
        coordinates: Mapping[sp.Symbol, sp.Expr] | Sequence[sp.Expr],
        parameter: sp.Symbol | None = None,
        *,
        name: str | None = None,
    ):
        self.variables = tuple(variables)
        self.parameter = parameter if parameter is not None else curve_parameter()
        if self.parameter in self.variables or self.parameter.name in {v.name for v in self.variables}:
            raise ParseError(f"the curve parameter {self.parameter.name!r} is also a variable; rename one of them")
        if isinstance(coordinates, Mapping):
            declared_set = set(self.variables)
            unknown = [str(k) for k in coordinates if k not in declared_set]
            if unknown:
                declared = ", ".join(v.name for v in self.variables)
                raise UnknownVariableError(f"curve assigns unknown variable(s) {', '.join(unknown)}; declared: {declared}")
            missing = [v.name for v in self.variables if v not in coordinates]
            if missing:
                raise ShapeError(f"curve does not assign {', '.join(missing)}; every variable needs an expression")
            values = [sp.sympify(coordinates[v]) for v in self.variables]
        else:
            values = [sp.sympify(c) for c in coordinates]
            if len(values) != len(self.variables):
                raise ShapeError(f"curve has {len(values)} coordinates; the objective has {len(self.variables)} variables")
        checked: set[sp.Expr] = set()
        for v, expr in zip(self.variables, values):
            if expr in checked:
                continue
            checked.add(expr)
            extra = expr.free_symbols - {self.parameter}
            if extra:
                names = ", ".join(sorted(s.name for s in extra))
                raise UnknownVariableError(
                    f"curve coordinate {v.name} = {expr} uses {names}; only the parameter {self.parameter.name} is allowed"
                )
        self.coordinates = tuple(values)
        self.name = name

    @classmethod
    def parse(cls, text: str, variables: Sequence[sp.Symbol], parameter: str = "t", *, name: str | None = None) -> Curve:
        """Read ``'a=t, b=1/t'``: one safe expression in the parameter per variable."""
        p = curve_parameter(parameter)
        if parameter in {v.name for v in variables}:
            raise ParseError(f"the curve parameter {parameter!r} is also a variable; rename the variable")
        return cls(variables, parse_assignments(text, variables, (p,), what="curve"), p, name=name)

    @property
    def substitution(self) -> dict[sp.Symbol, sp.Expr]:
        return dict(zip(self.variables, self.coordinates))

    @cached_property
    def _distinct(self) -> tuple[list[sp.Expr], list[int]]:
        """The distinct coordinate expressions and, per variable, the index of its expression
        (large networks repeat a handful of expressions thousands of times)."""
        unique = list(dict.fromkeys(self.coordinates))
        where = {e: i for i, e in enumerate(unique)}
        return unique, [where[c] for c in self.coordinates]

    @cached_property
    def _field(self) -> VectorField:
        """The distinct coordinates as a map of the parameter (compiled once, by the field)."""
        return VectorField(self._distinct[0], [self.parameter], name="x(t)")

    def point(self, t: object, dps: int) -> list[mp.mpf]:
        """x(t) at ``dps`` digits from an exact t (int, rational, decimal string)."""
        values = self._field([t], dps)
        return [values[i] for i in self._distinct[1]]

    def ball_point(self, t: object) -> list:
        """x(t) as balls at the current flint precision (see :mod:`dlnsmooth.balls`), from an exact t.

        Raises :class:`~dlnsmooth.errors.UnsupportedForBalls` for coordinates the ball
        compiler cannot evaluate."""
        values = self._field.ball([t])
        return [values[i] for i in self._distinct[1]]

    def magnitude_digits(self, t: object) -> int:
        """Decimal size of the largest coordinate at t (seeds adaptive precision)."""
        return magnitude_digits(self.point(t, 30))

    def describe(self) -> str:
        return ", ".join(f"{v.name} = {sp.sstr(c)}" for v, c in zip(self.variables, self.coordinates))

    def summary(self, limit: int = 12) -> str:
        """The coordinates, or the curve's name when there are more than ``limit`` of them."""
        if self.name and len(self.variables) > limit:
            return f"{self.name} ({len(self.variables)} coordinates; see JSON for each)"
        return self.describe()

    def latex(self) -> str:
        return ",\\ ".join(f"{sp.latex(v)} = {sp.latex(c)}" for v, c in zip(self.variables, self.coordinates))

    def to_json(self) -> dict:
        return {
            "parameter": self.parameter.name,
            "coordinates": {v.name: sp.sstr(c) for v, c in zip(self.variables, self.coordinates)},
            **({"name": self.name} if self.name else {}),
        }

    def __repr__(self) -> str:
        return f"Curve({self.describe()}; {self.parameter.name} → ∞)"


@dataclass(frozen=True)
class GrowthExponents:
    """Growth along a curve: ``‖∇f‖ ~ t^grad_exponent``, ``‖∇²f‖_F ~ t^hess_exponent`` and the
    critical exponent.

    The growth exponents are limits of ``log(norm²)/(2 log t)`` (``None`` when SymPy
    gave up; ``∞`` for faster-than-polynomial growth). ``critical`` is ρ*
    (module docstring), ``None`` when the curve refutes no ρ ≥ 0 or SymPy
    could not decide; ``critical_source`` says which limit decided it.
    """

    grad_exponent: sp.Expr | None
    hess_exponent: sp.Expr | None
    source: Literal["symbolic", "unavailable"]
    gradient_vanishes: bool = False
    critical: sp.Expr | None = None
    critical_source: str = "undetermined"
    hessian_vanishes: bool = False
    #: how the symbolic exponents were obtained
    method: str = "symbolic limits of log‖·‖/log t"


def _simplify(expression: sp.Expr) -> sp.Expr:
    return sp.simplify(expression)


#: Up to this many variables the restriction is derived symbolically (substitution);
#: above it the objective's exact structured route is used when it applies.
SYMBOLIC_LIMIT = 24
#: Beyond this many variables the symbolic route (n² Hessian entries) is refused.
SYMBOLIC_MAX = 600

Route = Literal["auto", "symbolic", "exact"]


class Restriction:
    """∇f and ∇²f of an objective along a curve, symbolically and numerically.

    ``route`` chooses how G²(t) = ‖∇f(x(t))‖² and H²(t) = ‖∇²f(x(t))‖_F² are
    derived: ``symbolic`` substitutes the curve into the derived gradient and
    Hessian; ``exact`` asks the objective for an exact structured restriction
    (deep linear networks along polynomial curves with constant outputs, see
    :mod:`dlnsmooth.networks.restricted`); ``auto`` (default) uses the exact
    route above :data:`SYMBOLIC_LIMIT` variables when it applies.
    """

    def __init__(self, objective: Objective, curve: Curve, *, limit_budget: float | None = DEFAULT_LIMIT_BUDGET,
                 route: Route = "auto", deadline: float | None = None):
        if tuple(objective.variables) != tuple(curve.variables):
            raise ShapeError("the curve was built for different variables than the objective")
        if route not in ("auto", "symbolic", "exact"):
            raise ValueError(f"route must be 'auto', 'symbolic' or 'exact', got {route!r}")
        self.objective = objective
        self.curve = curve
        self.limit_budget = limit_budget
        self.route = route
        #: ``time.perf_counter()`` value after which no symbolic computation starts (None: no deadline)
        self.deadline = deadline
        #: why the exact route was not taken (None when it was, or was not tried)
        self.route_note: str | None = None

    @property
    def parameter(self) -> sp.Symbol:
        return self.curve.parameter

    @cached_property
    def exact(self):
        """The objective's exact structured restriction, or None when the symbolic route is used."""
        if self.route == "symbolic" or (self.route == "auto" and self.objective.n <= SYMBOLIC_LIMIT):
            return None
        result = self.objective.exact_restriction(self.curve)
        if isinstance(result, str) or result is None:
            self.route_note = result  # None: the objective has no structured route at all
            why = result or "the objective has no exact structured restriction"
            if self.route == "exact":
                raise ValueError(f"no exact restriction along this curve: {why}")
            if self.objective.n > SYMBOLIC_MAX:
                raise TooLargeError(
                    f"the exact structured route does not apply ({why}), and the symbolic route "
                    f"for {self.objective.n} variables (n² = {self.objective.n ** 2} Hessian entries) is refused "
                    f"above {SYMBOLIC_MAX}; use a polynomial curve with constant network outputs "
                    "(such as Theorem G's) or a smaller network")
            return None
        return result

    @property
    def method(self) -> str:
        """How G² and H² were derived."""
        if self.exact is not None:
            return self.exact.method
        return "exact substitution of the curve into the derived ∇f, ∇²f (SymPy)"

    @cached_property
    def gradient(self) -> list[sp.Expr]:
        """∇f(x(t)), exact (symbolic route; avoid for large objectives)."""
        return self.objective.gradient_at(self.curve.substitution)

    @cached_property
    def hessian(self) -> sp.Matrix:
        """∇²f(x(t)), exact (symbolic route; avoid for large objectives)."""
        return self.objective.hessian_at(self.curve.substitution)

    @cached_property
    def grad_sq_raw(self) -> sp.Expr:
        if self.exact is not None:
            return self.exact.grad_sq
        return symbolic_squared_norm(self.gradient)

    @cached_property
    def hess_sq_raw(self) -> sp.Expr:
        if self.exact is not None:
            return self.exact.hess_sq
        return symbolic_squared_norm(self.hessian)

    def seconds(self, share: float = 1.0) -> float | None:
        """Seconds one symbolic computation may take: ``share`` of the limit budget, never past the
        deadline (0 once it has passed; None: no budget at all)."""
        budget = None if self.limit_budget is None else self.limit_budget * share
        if self.deadline is None:
            return budget
        remaining = max(0.0, self.deadline - time.perf_counter())
        return remaining if budget is None else min(budget, remaining)

    def _tidy(self, expression: sp.Expr) -> sp.Expr:
        if expression.is_number or expression.is_polynomial(self.parameter):
            return sp.expand(expression) if not expression.is_number else expression
        seconds = self.seconds(1 / 4)
        if seconds is None:
            return _simplify(expression)
        if self.deadline is not None and seconds < 0.5:
            return expression  # no time left to simplify: the expression as derived is exact too
        seconds = max(1.0, seconds) if self.deadline is None else seconds
        outcome = run_with_budget(_simplify, expression, seconds=seconds)
        return outcome.value if outcome.ok else expression

    @cached_property
    def grad_sq(self) -> sp.Expr:
        """G²(t) = ‖∇f(x(t))‖², simplified within a budget (else as derived)."""
        return self._tidy(self.grad_sq_raw)

    @cached_property
    def hess_sq(self) -> sp.Expr:
        """H²(t) = ‖∇²f(x(t))‖_F², simplified within a budget (else as derived)."""
        return self._tidy(self.hess_sq_raw)

    @cached_property
    def gradient_vanishes(self) -> bool:
        """True when ∇f(x(t)) is identically zero (exactly: every component, or G² ≡ 0, a sum
        of squares of real functions)."""
        if self.exact is not None:
            return self.grad_sq == 0
        return all(g == 0 for g in self.gradient) or self.grad_sq == 0

    @cached_property
    def hessian_vanishes(self) -> bool:
        if self.exact is not None:
            return self.hess_sq == 0
        return all(h == 0 for h in self.hessian) or self.hess_sq == 0

    def ratio(self, rho: sp.Rational) -> sp.Expr:
        """‖∇²f‖_F / (1 + ‖∇f‖^ρ) along the curve (with 0^0 = 1; :func:`~dlnsmooth.conditions.growth_ratio`)."""
        return growth_ratio(0 if self.gradient_vanishes else self.grad_sq, self.hess_sq, rho)

    def limit(self, expression: sp.Expr) -> LimitOutcome:
        """lim_{t→∞} of an expression along the curve. A finite or bounded answer for an
        expression with a periodic function of an unbounded argument is not trusted (SymPy's
        Gruntz algorithm assumes no oscillation, see :mod:`dlnsmooth.limits`): it is reported
        as ``unknown``; +∞ and −∞ are kept (the numeric table must still agree)."""
        seconds = self.seconds()
        if seconds is not None and seconds < 0.05:
            return LimitOutcome(expression, self.parameter, None, "unknown", "timeout", 0.0,
                                "the time budget was spent before this limit could be computed")
        outcome = limit_at_infinity(expression, self.parameter, seconds=seconds)
        if outcome.status == "timeout" and self.deadline is not None and time.perf_counter() >= self.deadline - 0.05:
            outcome = replace(outcome, message=f"{outcome.message} (cut short by the time budget)")
        if outcome.kind in ("finite", "bounded"):
            later = self.seconds()
            factors = oscillating_factors(expression, self.parameter,
                                          seconds=None if later is None else max(0.5, later))
            if factors:
                shown = ", ".join(sp.sstr(f) for f in factors[:3])
                return replace(outcome, kind="unknown", status="unevaluated",
                               message=f"SymPy returned {outcome.value_text()}, but the expression oscillates "
                                       f"({shown}) and SymPy's limits are not evidence there")
        return outcome

    @cached_property
    def polynomial_degrees(self) -> tuple[int, int] | None:
        """(deg G², deg H²) when both are polynomials in t with exact real coefficients whose leading
        coefficients are proved nonzero (:func:`polynomial_degree`; −1 for ≡ 0), else None."""
        t = self.parameter
        exact = self.exact
        if exact is not None and exact.grad_coefficients and exact.hess_coefficients:
            pair: tuple = (dict(enumerate(exact.grad_coefficients)), dict(enumerate(exact.hess_coefficients)))
        else:
            if not (self.grad_sq.is_polynomial(t) and self.hess_sq.is_polynomial(t)):
                return None
            pair = (self.grad_sq, self.hess_sq)
        seconds = self.seconds(1 / 4)
        if seconds is not None and seconds < 0.05:
            return None  # no time left to decide the signs of the leading coefficients
        outcome = run_with_budget(_degrees, *pair, t, seconds=seconds)
        return outcome.value if outcome.ok else None

    def growth_exponents(self, grad_limit: LimitOutcome | None = None,
                         hess_limit: LimitOutcome | None = None) -> GrowthExponents:
        """Symbolic growth exponents and ρ* (limits already computed can be passed in). When G² and H²
        are polynomials in t the exponents are half their exact degrees (:attr:`polynomial_degrees`);
        otherwise they are the limits of log(norm²)/(2 log t)."""
        t = self.parameter
        degrees = self.polynomial_degrees

        def exponent(vanishes: bool, squared: sp.Expr, degree: int | None) -> sp.Expr | None:
            if vanishes:
                return -sp.oo
            if degree is not None:
                return sp.Rational(degree, 2)
            outcome = self.limit(_log_ratio(squared, t**2))
            return outcome.value if outcome.kind in ("finite", "infinite", "negative-infinite") else None

        grad_exponent = exponent(self.gradient_vanishes, self.grad_sq, degrees and degrees[0])
        hess_exponent = exponent(self.hessian_vanishes, self.hess_sq, degrees and degrees[1])
        critical, how = self._critical(grad_limit, hess_limit)
        source = "symbolic" if grad_exponent is not None and hess_exponent is not None else "unavailable"
        method = (f"exact degrees of the polynomials G²({t.name}), H²({t.name})" if degrees is not None
                  else f"symbolic limits of log‖·‖/log {t.name}")
        return GrowthExponents(grad_exponent, hess_exponent, source, self.gradient_vanishes, critical, how,
                               self.hessian_vanishes, method)

    def _critical(self, grad_limit: LimitOutcome | None, hess_limit: LimitOutcome | None) -> tuple[sp.Expr | None, str]:
        """ρ*: ∞ when ‖∇f‖ stays bounded and ‖∇²f‖ → ∞; lim log‖∇²f‖/log‖∇f‖ when ‖∇f‖ → ∞ (for
        polynomial G², H²: deg H² / deg G², exactly)."""
        degrees = self.polynomial_degrees
        if degrees is not None:
            return _critical_from_degrees(*degrees)
        if self.gradient_vanishes:
            gradient = "bounded"
        else:
            outcome = grad_limit or self.limit(self.grad_sq)
            gradient = {"finite": "bounded", "bounded": "bounded", "infinite": "infinite"}.get(outcome.kind, "unknown")
        if gradient == "bounded":
            if self.hessian_vanishes:
                return None, "∇²f ≡ 0 along the curve"
            outcome = hess_limit or self.limit(self.hess_sq)
            if outcome.kind == "infinite":
                return sp.oo, "‖∇f‖ bounded and ‖∇²f‖_F → ∞ (symbolic limits)"
            return None, ("‖∇f‖ and ‖∇²f‖_F both bounded" if outcome.decided else "undetermined (SymPy gave up)")
        if gradient == "infinite":
            if self.hessian_vanishes:
                return None, "∇²f ≡ 0 along the curve"
            outcome = self.limit(_log_ratio(self.hess_sq, self.grad_sq))
            how = "lim log‖∇²f‖_F / log‖∇f‖ (symbolic)"
            if outcome.kind == "infinite":
                return sp.oo, how
            if outcome.kind == "finite":
                return (outcome.value, how) if outcome.value > 0 else (None, how)
            return None, "undetermined (SymPy gave up)"
        return None, "undetermined (SymPy gave up on lim ‖∇f‖)"

    # -- numeric: the objective evaluated at the numerically evaluated point ----------
    def norms(self, t: object, dps: int) -> tuple[mp.mpf, mp.mpf]:
        """(‖∇f(x(t))‖, ‖∇²f(x(t))‖_F) at ``dps`` digits, from the objective's own evaluators."""
        with mp.workdps(check_dps(dps)):
            point = self.curve.point(t, dps)
            return (vector_norm(self.objective.grad(point, dps)),
                    matrix_norm(self.objective.hess(point, dps), Norm.FROBENIUS))

    def ball_norms(self, t: object) -> tuple:
        """(‖∇f(x(t))‖, ‖∇²f(x(t))‖_F) as balls at the current flint precision: the curve point
        and the objective's derivatives in ball arithmetic (:mod:`dlnsmooth.balls`)."""
        return self.objective.ball_norms(self.curve.ball_point(t))

    def check_domain(self, t: object) -> None:
        """Raise :class:`~dlnsmooth.errors.DomainError` unless f is real at x(t), or
        :class:`~dlnsmooth.errors.TooLargeError` when f's value there is too large to evaluate.

        Decided in ball arithmetic first (a finite ball of f is a real value; balls never
        evaluate a tower in full); only when the balls cannot tell is f evaluated in mpmath, in a
        child process under a short budget (mpmath computes exp of a huge argument in full)."""
        if self.objective.real_everywhere:
            return
        try:
            with working_precision(30):
                value = self.objective.ball_value(self.curve.ball_point(t))
            if value.is_finite():
                return
            if not value.is_nan():
                raise TooLargeError(f"f(x({self.parameter.name})) at {self.parameter.name} = {t} overflows ball "
                                    "arithmetic: too large to evaluate")
        except (UnsupportedForBalls, NotImplementedError, ArithmeticError):
            pass
        seconds = min(_DOMAIN_CHECK_BUDGET, self.seconds() or _DOMAIN_CHECK_BUDGET)
        if seconds <= 0.05:
            raise TooLargeError("no time was left to check the domain of f")
        point = self.curve.point(t, 30)
        outcome = run_with_budget(_real_value, self.objective, point, seconds=seconds)
        if outcome.ok:
            return
        if outcome.status == "timeout":
            raise TooLargeError(f"f could not be evaluated at x({t}) within {seconds:g} s (values too large)")
        if outcome.message.startswith("DomainError"):
            raise DomainError(f"the curve leaves the domain of f at {self.parameter.name} = {t}: "
                              f"{outcome.message.partition(': ')[2]}")
        raise TooLargeError(f"f could not be evaluated at x({t}): {outcome.message}")

    @cached_property
    def _arguments(self) -> VectorField | None:
        """The arguments of exp, sin, cosh, … in f (their sizes are condition numbers), for objectives
        that use the generic estimate of the digits an evaluation loses."""
        if type(self.objective).condition_digits is not Objective.condition_digits:
            return None
        arguments = sorted({a for node in self.objective.expr.atoms(*_CONDITIONED) for a in node.args
                            if not a.is_number}, key=sp.default_sort_key)
        return VectorField(arguments, self.objective.variables, name="arguments") if arguments else None

    def _ball_condition_digits(self, t: object) -> int | None:
        """The sizes, in digits, of x(t) and of the arguments of exp, sin, … there, from balls (None
        when balls cannot evaluate them); :class:`TooLargeError` beyond :data:`MAX_MAGNITUDE_DIGITS`."""
        try:
            with working_precision(30):
                point = self.curve.ball_point(t)
                values = list(point) + (self._arguments.ball(point) if self._arguments is not None else [])
                largest = 0.0
                for value in values:
                    if not value.is_finite():
                        raise TooLargeError(f"an argument of f at x({t}) is not finite in ball arithmetic "
                                            "(too large to evaluate)")
                    upper = abs(value).upper()
                    if upper > 1:
                        largest = max(largest, float(upper.log().mid()) / math.log(10))
        except TooLargeError:
            raise
        except (UnsupportedForBalls, ArithmeticError, ValueError):
            return None
        if largest > MAX_MAGNITUDE_DIGITS:
            raise TooLargeError(f"an argument of f at x({t}) has about 10^{largest:.3g} digits: too large to evaluate")
        return math.ceil(largest)

    def start_digits(self, t: object) -> int:
        """Extra digits to start with at t: size of the coordinates and of the
        arguments of exp/log/… there (their condition numbers)."""
        if type(self.objective).condition_digits is Objective.condition_digits:
            digits = self._ball_condition_digits(t)
            if digits is not None:
                return digits
        point = self.curve.point(t, 30)
        return max(self.curve.magnitude_digits(t), self.objective.condition_digits(point))


#: seconds for one mpmath evaluation of f when balls cannot decide its domain
_DOMAIN_CHECK_BUDGET = 5.0
#: magnitudes with more decimal digits than this are not evaluated
MAX_MAGNITUDE_DIGITS = 10**6
_CONDITIONED = (sp.exp, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)


def polynomial_terms(expression: sp.Expr, t: sp.Symbol) -> dict[int, sp.Expr] | None:
    """{k: c_k} with expression = Σ_k c_k t^k (sparse: only the powers that occur; the c_k exact real
    constants), or None when the expression is not a polynomial in ``t`` alone."""
    if expression.free_symbols - {t} or not expression.is_polynomial(t):
        return None
    expression = sp.expand(expression)
    terms: dict[int, list[sp.Expr]] = {}
    for term in sp.Add.make_args(expression):
        coefficient, power = term.as_coeff_exponent(t)
        if coefficient.has(t) or not power.is_Integer or power < 0:
            return None
        terms.setdefault(int(power), []).append(coefficient)
    return {k: sp.Add(*v) for k, v in terms.items()}


def polynomial_degree(expression: sp.Expr, t: sp.Symbol) -> int | None:
    """The exact degree in ``t`` of a polynomial whose coefficients are exact real constants (such as
    ``3*tanh(1)**2 - 1``): the highest power whose coefficient has a nonzero sign decided by
    :func:`~dlnsmooth.numbers.exact_sign` (ball enclosures excluding 0, then SymPy under a budget);
    −1 for the zero polynomial. None when the expression is not a polynomial in ``t`` or the sign of
    a coefficient that decides the degree cannot be decided. Sparse: t^(10^100) costs one term."""
    terms = polynomial_terms(expression, t)
    return None if terms is None else coefficients_degree(terms)


def coefficients_degree(coefficients: Mapping[int, sp.Expr] | Sequence[sp.Expr]) -> int | None:
    """The exact degree of Σ_k c_k t^k given {k: c_k} (or c_0, c_1, …), exact real constants: the highest k
    whose c_k has a nonzero sign decided by :func:`~dlnsmooth.numbers.exact_sign`; −1 when every c_k is 0;
    None when the sign of a coefficient that decides the degree cannot be decided."""
    if not isinstance(coefficients, Mapping):
        coefficients = dict(enumerate(coefficients))
    for degree in sorted(coefficients, reverse=True):
        try:
            if exact_sign(coefficients[degree]) != 0:
                return degree
        except ParseError:
            return None
    return -1


def _degrees(grad: Mapping[int, sp.Expr] | sp.Expr, hess: Mapping[int, sp.Expr] | sp.Expr, t: sp.Symbol
             ) -> tuple[int, int] | None:
    """(deg G², deg H²) from their terms {k: c_k} or from the polynomials themselves, or None when a
    degree is undecided (run under a budget: expansion and SymPy's sign tests can be slow)."""
    degrees = tuple(polynomial_degree(p, t) if isinstance(p, sp.Expr) else coefficients_degree(p) for p in (grad, hess))
    return None if degrees[0] is None or degrees[1] is None else degrees  # type: ignore[return-value]


def _log_ratio(numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr:
    """log(numerator)/log(denominator), built without evaluation: SymPy's ``log`` of a large constant
    decides its sign by evaluating it, which can take unbounded time outside any budget (a 60-deep
    nest of sin); the limit is then taken under its budget."""
    return sp.Mul(sp.log(numerator, evaluate=False), sp.Pow(sp.log(denominator, evaluate=False), -1, evaluate=False),
                  evaluate=False)


def _critical_from_degrees(grad_degree: int, hess_degree: int) -> tuple[sp.Expr | None, str]:
    """ρ* from the exact degrees of the polynomials G² and H² (leading coefficients proved nonzero)."""
    how = "deg H² / deg G² of the exact polynomial restriction (leading coefficients ≠ 0 in ball arithmetic)"
    if hess_degree < 0:
        return None, "∇²f ≡ 0 along the curve"
    if grad_degree <= 0:
        if hess_degree == 0:
            return None, "‖∇f‖ and ‖∇²f‖_F both bounded (constant polynomials)"
        return sp.oo, "‖∇f‖ bounded (G² constant) and ‖∇²f‖_F → ∞ (deg H² > 0), exact polynomials"
    if hess_degree == 0:
        return None, how
    return sp.Rational(hess_degree, grad_degree), how


def _real_value(objective: Objective, point: list) -> bool:
    objective.value(point, 30)
    return True
