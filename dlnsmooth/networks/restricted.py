"""Exact restriction of ‖∇f‖² and ‖∇²f‖_F² to a polynomial curve, at any network size.

For a deep linear network the symbolic route (substitute the curve into P
gradient entries and P² Hessian entries) is hopeless beyond a few hundred
weights. Along a curve whose coordinates are polynomials in t with rational
coefficients and on which every network output u_i(t) is constant (e.g.
Theorem G's curve, where W_1 = 0 makes every u_i = 0), both squared norms are
*polynomials* in t:

* the loss derivatives ℓ′(u_i; y_i), ℓ″(u_i; y_i) are constants; when they are
  rational (ℓ′(0; y) = −y/2, ℓ″(0; y) = 1/4 for the logistic loss), the engine's
  Gram formulas (:mod:`dlnsmooth.networks.engine`) evaluate
  G²(t) = ‖∇f(x(t))‖² and H²(t) = ‖∇²f(x(t))‖_F² exactly, in rational
  arithmetic, at any integer t;
* gradient entries are products of at most L − 1 weights and Hessian entries
  of at most 2(L − 1), so with coordinates of degree ≤ d,
  deg G² ≤ 2(L − 1)d and deg H² ≤ 4(L − 1)d;
* the polynomials are recovered exactly by interpolation through
  D + 1 = 4Ld + 1 integer points, and checked at one further point.

Constancy of the outputs is itself checked exactly: u_i(t) has degree ≤ Ld and
is compared at more than Ld + 1 points. Whenever a condition fails (a
coordinate that is not a rational polynomial, a varying output, an irrational
loss derivative) :func:`exact_restriction` returns :class:`NotApplicable` with the
reason, and the caller uses the symbolic route (for feed-forward networks the route with
irrational constants below is tried first).

**Feed-forward networks** (objectives with an ``architecture``,
:mod:`dlnsmooth.networks.ffengine`): the same route applies along polynomial
curves on which every pre-activation z_l (hence every activation value and
every output) is constant. Layer by layer, z_l(t) = W̄_l(t) ā_{l−1} is a
polynomial of degree ≤ d once ā_{l−1} is constant, so equality of every z_l at
the 4Ld + 2 evaluation points (> d + 1) proves constancy. Then σ′, σ″ and the
loss derivatives are constants, gradient entries have degree ≤ (L − 1)d and
Hessian entries ≤ 2(L − 1)d, and G², H² are interpolated as above from the
engine's exact (``fmpq``) evaluation. An activation value that is not rational
(GELU's σ″(0) = √(2/π)) is allowed only where it multiplies exact zeros;
otherwise this route does not apply and the next one takes over. With the identity activation (σ′ = 1,
σ″ = 0 everywhere) only the outputs must be constant, as for deep linear
networks: z_l(t) then has degree ≤ l·d and the same degree bounds hold.

**Irrational constants** (:func:`constant_restriction`): when the rational route fails — an
activation value such as tanh(1) (seed 001's line R: hidden weights 0, hidden biases 1, so every
hidden pre-activation is the constant 1), a loss derivative at an irrational output, a coordinate
with an irrational coefficient — the engine runs once more, in the polynomial ring
Q[t, g₁, …, g_k] (python-flint ``fmpq_mpoly``) with the curve parameter t itself a variable:

* coordinates and data enter as ring elements (polynomials in t);
* every real constant met on the way gets generators: the exact SymPy value of σ(z), σ′(z), σ″(z)
  at a pre-activation z that does not depend on t (a rational, or a polynomial in earlier
  generators, whose value is then substituted), or of a loss derivative at outputs that do not
  depend on t, is written as a polynomial over Q in the atoms SymPy finds in it (``Poly``'s
  generators: tanh(1), sin(1), cos(1), √2, 1/√π, …), one generator per distinct atom (shared by
  equal SymPy values), or as a single generator when it is no such polynomial; σ′ and σ″ reuse σ's
  generators when they are proved polynomials in σ (:func:`derivative_relations`: tanh′ = 1 − tanh²,
  sigmoid′ = s − s², sin″ = −sin);
* activations and losses that are polynomials over Q (identity, u² + 1; the squared and l2
  losses) are evaluated in the ring directly, so their arguments may depend on t; for every other
  activation or loss an argument depending on t makes the route not apply (:class:`NotApplicable`
  with the reason): a pre-activation's t-degree is exactly 0 or not;
* one evaluation of the engine's Gram formulas (ffengine's list algebra with ring elements) gives
  G², H² ∈ Q[t, g] exactly — no interpolation, no degree bound — and substituting the generators'
  values gives SymPy polynomials in t whose coefficients are exact expressions in the constants
  (e.g. ``a·tanh(1)⁴ + b·tanh(1)² + c``).

The ring knows no relation among the generators (√2·√2 = 2 only reappears when the values are
substituted), so a ring element may be nonzero while its real value is zero: this only costs
work (an exact zero that is not skipped) or makes the route decline (a pre-activation whose
t-terms vanish in value but not in the ring counts as varying); it never changes G² or H², which
are exact real identities after substitution. Ring elements live in python lists (products by
ffengine's list algebra, about a microsecond per operation; observations that differ in σ″ ⊙ B or
∇²ℓ — on line R all of them — cost O(P·N²)), so the route is limited to
:data:`CONSTANTS_MAX_PARAMETERS` parameters and P·N² ≤ :data:`CONSTANTS_MAX_WORK` (seed 001's
1-4-7-1 network with 20 observations: 51·400, ≈ 0.15 s).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy as sp
from flint import arb, arb_mat, fmpq, fmpq_mpoly, fmpq_mpoly_ctx, fmpq_poly

from ..errors import UnsupportedForBalls
from ..numbers import ball_value
from ..precision import working_precision
from .activations import Activation
from .engine import EXACT, Backend, NotRational, state_at
from .ffengine import feedforward_state
from .losses import OutputLoss, U

if TYPE_CHECKING:
    from ..curves import Curve
    from ..objective import Objective

__all__ = ["deep_linear_restriction", "ExactRestriction", "NotApplicable", "exact_restriction", "interpolate",
           "constant_restriction", "Constants", "RingBackend", "CONSTANTS_MAX_PARAMETERS", "CONSTANTS_MAX_WORK",
           "derivative_relations"]

#: The route with generators for irrational constants is taken up to this many parameters P …
CONSTANTS_MAX_PARAMETERS = 5000
#: … and while P·N² (N observations; the per-observation Gram products of the Hessian's norm) stays below
#: this work bound: about 10 s of python-level ring arithmetic on one core.
CONSTANTS_MAX_WORK = 3_000_000


@dataclass(frozen=True)
class ExactRestriction:
    """G²(t) and H²(t) (SymPy polynomials in the curve parameter), exactly.

    ``outputs``: the network outputs per observation (flattened; SymPy numbers, or polynomials in t
    when a polynomial loss lets them vary). ``points``: integer points interpolated through (0 on the
    ring route). ``constants``: on the ring route, the generators' names and exact values.
    ``grad_coefficients``, ``hess_coefficients``: c_0 … c_D of G² = Σ c_k t^k and of H² (exact SymPy
    numbers, the last one nonzero in the ring; empty for the zero polynomial) — read degrees and leading
    coefficients here rather than through ``sp.Poly``, which expands nested constants such as
    1/(1 + e⁻¹)¹² slowly. A leading coefficient built from several generators (sin(1) and cos(1)) may
    still be 0 as a real number: prove it nonzero (balls) before using it as the degree."""

    grad_sq: sp.Expr
    hess_sq: sp.Expr
    outputs: tuple[sp.Expr, ...]
    points: int
    seconds: float
    constants: tuple[tuple[str, sp.Expr], ...] = ()
    ring: bool = False
    grad_coefficients: tuple[sp.Expr, ...] = ()
    hess_coefficients: tuple[sp.Expr, ...] = ()

    @property
    def method(self) -> str:
        if self.ring:
            names = ", ".join(name for name, _ in self.constants)
            ring = f"Q[t, {names}]" if self.constants else "Q[t]"
            values = "".join(f", {name} = {sp.sstr(value)}" for name, value in self.constants)
            return (f"exact arithmetic in {ring} (python-flint fmpq_mpoly){values}: one evaluation of the "
                    "engine's Gram formulas with the coordinates as polynomials in t, every non-polynomial "
                    "activation or loss evaluated at arguments free of t")
        return (f"exact rational evaluation of the engine's Gram formulas at {self.points} integer points and "
                "polynomial interpolation (degree bound 4·L·deg x(t)), checked at one more point")


@dataclass(frozen=True)
class NotApplicable:
    """Why the exact route does not apply to this curve."""

    reason: str


def interpolate(xs: list[int], ys: list[fmpq]) -> fmpq_poly:
    """The polynomial of degree < len(xs) through (xs, ys) (Newton divided differences, exact)."""
    n = len(xs)
    coef = [fmpq(y) for y in ys]
    for j in range(1, n):
        for i in range(n - 1, j - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / (xs[i] - xs[i - j])
    poly = fmpq_poly([coef[-1]])
    for i in range(n - 2, -1, -1):
        poly = poly * fmpq_poly([-xs[i], 1]) + coef[i]
    return poly


def _fmpq(value: sp.Rational) -> fmpq:
    value = sp.Rational(value)
    return fmpq(int(value.p), int(value.q))


def _to_sympy(poly: fmpq_poly, t: sp.Symbol) -> sp.Expr:
    coeffs = poly.coeffs()
    return sp.Add(*[sp.Rational(int(c.p), int(c.q)) * t**k for k, c in enumerate(coeffs) if c != 0])


def _coefficients(poly: fmpq_poly) -> tuple[sp.Rational, ...]:
    return tuple(sp.Rational(int(c.p), int(c.q)) for c in poly.coeffs())


def _coordinate_polynomials(curve: Curve) -> list[fmpq_poly] | NotApplicable:
    t = curve.parameter
    cache: dict[sp.Expr, fmpq_poly] = {}
    out = []
    for v, c in zip(curve.variables, curve.coordinates):
        if c not in cache:
            try:
                poly = sp.Poly(c, t, domain=sp.QQ)
            except (sp.PolynomialError, sp.CoercionFailed, sp.GeneratorsNeeded):
                return NotApplicable(f"coordinate {v.name} = {c} is not a polynomial in {t} with rational coefficients")
            cache[c] = fmpq_poly([fmpq(int(q.p), int(q.q)) for q in reversed(poly.all_coeffs())])
        out.append(cache[c])
    return out


def _evaluation_plan(polys: list[fmpq_poly], depth: int) -> tuple[list[int], list[int], list[fmpq_poly]]:
    """Integer points (degree bound 4·L·d plus one check point), and the distinct coordinate polynomials
    with the index of every coordinate's polynomial among them."""
    d = max(max((p.degree() for p in polys), default=0), 1)
    bound = 4 * depth * d
    xs = list(range(1, bound + 3))  # bound + 1 points to interpolate, one more to check
    position: dict[tuple, int] = {}
    distinct: list[fmpq_poly] = []
    keys = []
    for p in polys:
        key = tuple((int(c.p), int(c.q)) for c in p.coeffs())
        if key not in position:
            position[key] = len(distinct)
            distinct.append(p)
        keys.append(position[key])
    return xs, keys, distinct


def _finish(curve: Curve, xs: list[int], grads: list, hess: list, outputs: tuple, start: float) -> ExactRestriction:
    G = interpolate(xs[:-1], grads[:-1])
    H = interpolate(xs[:-1], hess[:-1])
    if G(fmpq(xs[-1])) != grads[-1] or H(fmpq(xs[-1])) != hess[-1]:  # pragma: no cover - a broken degree bound
        raise AssertionError("exact restriction: interpolation does not reproduce the check point")
    t = curve.parameter
    return ExactRestriction(
        grad_sq=_to_sympy(G, t),
        hess_sq=_to_sympy(H, t),
        outputs=tuple(sp.Rational(int(u.p), int(u.q)) for u in outputs),
        points=len(xs),
        seconds=time.perf_counter() - start,
        grad_coefficients=_coefficients(G),
        hess_coefficients=_coefficients(H),
    )


def exact_restriction(objective: Objective, curve: Curve) -> ExactRestriction | NotApplicable:
    """G²(t), H²(t) along ``curve`` exactly, or why the exact route does not apply (module docstring).
    ``objective`` is a feed-forward network (its ``architecture``, ``loss`` and ``data`` are used) or a
    deep linear network given by ``depth``, ``widths``, ``data`` and a scalar ``loss``. For a feed-forward
    network the rational route is tried first and the ring route with irrational constants
    (:func:`constant_restriction`) when it does not apply."""
    start = time.perf_counter()
    polys = _coordinate_polynomials(curve)
    if hasattr(objective, "architecture"):
        rational = polys if isinstance(polys, NotApplicable) else _feedforward_restriction(objective, curve, polys,
                                                                                             start)
        if isinstance(rational, NotApplicable):
            return constant_restriction(objective, curve, rational, start)
        return rational
    if isinstance(polys, NotApplicable):
        return polys
    return _linear_restriction(objective.depth, objective.widths, objective.data, objective.loss, curve, polys, start)


def deep_linear_restriction(depth: int, widths: Sequence[int], data, loss, curve: Curve
                            ) -> ExactRestriction | NotApplicable:
    """The exact route of a deep linear network through its own Gram formulas
    (:class:`~dlnsmooth.networks.engine.NetworkState`): the fast path of identity networks without
    biases and with one output."""
    start = time.perf_counter()
    polys = _coordinate_polynomials(curve)
    if isinstance(polys, NotApplicable):
        return polys
    return _linear_restriction(depth, widths, data, loss, curve, polys, start)


def _linear_restriction(L: int, widths, data, loss, curve: Curve, polys: list[fmpq_poly], start: float
                        ) -> ExactRestriction | NotApplicable:
    xs, keys, distinct = _evaluation_plan(polys, L)
    inputs = [list(x) for x in data.inputs]
    targets = list(data.targets)
    shapes = [(widths[l], widths[l - 1]) for l in range(1, L + 1)]
    grads, hess, outputs_seen = [], [], None
    for x in xs:
        values = [p(fmpq(x)) for p in distinct]
        flat = [values[k] for k in keys]
        weights, k = [], 0
        for n, m in shapes:
            weights.append(EXACT.from_entries(n, m, flat[k:k + n * m]))
            k += n * m
        state = state_at(EXACT, widths, weights, inputs, targets, loss)
        outputs = tuple(state.outputs)
        if outputs_seen is None:
            outputs_seen = outputs
        elif outputs != outputs_seen:
            return NotApplicable("the network outputs vary along the curve, so the loss derivatives are not constant")
        try:
            grads.append(state.grad_norm_sq())
            hess.append(state.hess_frobenius_sq())
        except NotRational as exc:
            return NotApplicable(str(exc))
    assert outputs_seen is not None
    return _finish(curve, xs, grads, hess, outputs_seen, start)


def _feedforward_restriction(objective, curve: Curve, polys: list[fmpq_poly], start: float
                             ) -> ExactRestriction | NotApplicable:
    """The exact route for a feed-forward network: every pre-activation constant along the curve."""
    architecture = objective.architecture
    linear = architecture.activation.name == "identity"
    xs, keys, distinct = _evaluation_plan(polys, architecture.depth)
    inputs = [[_fmpq(v) for v in x] for x in objective.data.inputs]
    targets = [[_fmpq(v) for v in y] for y in objective.data.label_vectors]
    grads, hess, seen = [], [], None
    for x in xs:
        values = [p(fmpq(x)) for p in distinct]
        try:
            state = feedforward_state(EXACT, architecture, objective.loss, inputs, targets, [values[k] for k in keys])
            layers = tuple(tuple(tuple(sample) for sample in layer) for layer in state.preactivations)
        except NotRational as exc:
            return NotApplicable(str(exc))
        if linear:
            layers = layers[-1:]  # the identity's derivatives are constant: only the outputs must be
        if seen is None:
            seen = layers
        elif layers != seen:
            if linear:
                return NotApplicable("the network outputs vary along the curve, so the loss derivatives are not "
                                     "constant")
            return NotApplicable("the pre-activations vary along the curve, so the activation and loss derivatives "
                                 "are not constant")
        try:
            grads.append(state.grad_norm_sq())
            hess.append(state.hess_frobenius_sq())
        except NotRational as exc:
            return NotApplicable(str(exc))
    assert seen is not None
    outputs = tuple(u for sample in seen[-1] for u in sample)
    return _finish(curve, xs, grads, hess, outputs, start)


# -- the ring route: exact arithmetic in Q[t, g₁ … g_k] -----------------------------------------------
class _Declined(Exception):
    """The ring route does not apply (its message says why): a non-polynomial activation or loss met an
    argument that depends on t, or a coordinate is no polynomial in t with real constant coefficients."""


class _OutOfGenerators(Exception):
    """More distinct constants than the ring has generators (the caller retries with a larger ring)."""


#: σ′ = P₁(σ), σ″ = P₂(σ) found per activation (:func:`derivative_relations`), by (name, formula).
_RELATIONS: dict[tuple[str, sp.Expr], tuple[dict | None, dict | None]] = {}
_RELATION_DEGREE = 4
_RELATION_DPS = 60


def derivative_relations(activation: Activation) -> tuple[dict | None, dict | None]:
    """Polynomials P₁, P₂ over Q (degree ≤ 4) with σ′ = P₁(σ) and σ″ = P₂(σ) identically, each as
    {(j,): coefficient} or None when there is none (found) — tanh: 1 − s², 2s³ − 2s; sigmoid: s − s²,
    2s³ − 3s² + s; sin: σ″ = −s only. The coefficients are fitted in 60-digit balls through sample points and
    rounded to small rationals; the identity is then proved by SymPy (``simplify`` of the difference is 0),
    else not used. With them σ′(z), σ″(z) need no generators of their own: fewer generators, and
    coefficients that are polynomials in one transcendental number, whose zeros SymPy recognises."""
    key = (activation.name, activation.expr)
    if key not in _RELATIONS:
        _RELATIONS[key] = (_relation(activation.expr, activation.first), _relation(activation.expr, activation.second))
    return _RELATIONS[key]


def _relation(sigma: sp.Expr, target: sp.Expr) -> dict | None:
    with working_precision(_RELATION_DPS):
        points = [arb(fmpq(3 * k - 7, 21)) for k in range(1, _RELATION_DEGREE + 4)]  # k/7 − 1/3
        try:
            xs = [ball_value(sigma, {U: p}) for p in points]
            ys = [ball_value(target, {U: p}) for p in points]
        except (UnsupportedForBalls, ValueError, ZeroDivisionError):
            return None
        for degree in range(_RELATION_DEGREE + 1):
            coefficients = _fit(xs[:degree + 1], ys[:degree + 1])
            if coefficients is None or not all(_vanishes(_horner(coefficients, x) - y) for x, y in zip(xs, ys)):
                continue
            s = sp.Dummy("s")
            polynomial = sp.Add(*[c * s**j for j, c in enumerate(coefficients)])
            if sp.simplify(target - polynomial.xreplace({s: sigma})) != 0:
                return None  # fitted, but not proved
            return {(j,): _fmpq(c) for j, c in enumerate(coefficients) if c != 0}
    return None


def _fit(xs: list[arb], ys: list[arb]) -> list[sp.Rational] | None:
    """The interpolating polynomial's coefficients through (xs, ys), each ball's midpoint rounded to a
    rational with denominator ≤ 10⁴ (None when the points do not determine it)."""
    n = len(xs)
    try:
        solution = arb_mat([[x**j for j in range(n)] for x in xs]).solve(arb_mat([[y] for y in ys]))
    except ZeroDivisionError:
        return None
    out = []
    for j in range(n):
        q = Fraction(solution[j, 0].mid().str(40, radius=False)).limit_denominator(10**4)
        out.append(sp.Rational(q.numerator, q.denominator))
    return out


def _horner(coefficients: list[sp.Rational], x: arb) -> arb:
    total = arb(0)
    for c in reversed(coefficients):
        total = total * x + arb(fmpq(int(c.p), int(c.q)))
    return total


def _vanishes(value: arb) -> bool:
    """|value| < 10⁻⁴⁰ for certain (a fit to be proved afterwards, not a proof)."""
    return abs(value) < arb(10) ** -40


def _real_atom(expression: sp.Expr) -> bool:
    return expression.is_real is True and not expression.free_symbols


class Constants:
    """The ring Q[t, g₁, …, g_slots] and the real constants its generators g_j stand for.

    Generators are handed out on first use and shared by equal SymPy values; :meth:`element` writes a
    real constant as a polynomial over Q in generators, :meth:`value` substitutes the values back."""

    def __init__(self, slots: int):
        self.ctx = fmpq_mpoly_ctx.get(("t",) + tuple(f"g{j}" for j in range(1, slots + 1)))
        gens = self.ctx.gens()
        #: the curve parameter as a ring element
        self.t = gens[0]
        self._gens = gens[1:]
        #: the exact value of each generator handed out, in order
        self.values: list[sp.Expr] = []
        self._index: dict[sp.Expr, int] = {}
        self._elements: dict[sp.Expr, fmpq_mpoly] = {}

    def constant(self, value: object) -> fmpq_mpoly:
        """A rational number (fmpq, int, SymPy or Fraction) as a ring element."""
        return self.ctx.constant(value if isinstance(value, fmpq) else _fmpq(value))

    def generator(self, value: sp.Expr) -> fmpq_mpoly:
        """The generator standing for the real constant ``value`` (a new one on first use)."""
        index = self._index.get(value)
        if index is None:
            if len(self.values) == len(self._gens):
                raise _OutOfGenerators
            index = self._index[value] = len(self.values)
            self.values.append(value)
        return self._gens[index]

    def element(self, value: sp.Expr) -> fmpq_mpoly:
        """A real constant as a ring element: a polynomial over Q in the atoms SymPy finds in it (each a
        generator), or one generator for the whole value when it is no such polynomial."""
        value = sp.sympify(value)
        if value.is_Rational:
            return self.constant(value)
        if value.free_symbols or value.is_real is False:
            raise _Declined(f"the value {value} is not a real constant")
        cached = self._elements.get(value)
        if cached is not None:
            return cached
        element = self._as_polynomial(value)
        if element is None:
            element = self.generator(value)
        self._elements[value] = element
        return element

    def _as_polynomial(self, value: sp.Expr) -> fmpq_mpoly | None:
        try:
            poly = sp.Poly(value)
        except (sp.PolynomialError, sp.GeneratorsNeeded, sp.CoercionFailed):
            return None
        if poly.domain not in (sp.ZZ, sp.QQ) or not all(_real_atom(g) for g in poly.gens):
            return None
        gens = [self.generator(g) for g in poly.gens]
        total = self.ctx.constant(0)
        for monomial, coefficient in poly.as_dict().items():
            term = self.constant(sp.Rational(coefficient))
            for g, e in zip(gens, monomial):
                if e:
                    term = term * g**e
            total = total + term
        return total

    def names(self) -> list[str]:
        return [f"g{j + 1}" for j in range(len(self.values))]

    def _monomial_value(self, exponents: tuple[int, ...]) -> sp.Expr:
        out = sp.Integer(1)
        for value, e in zip(self.values, exponents):
            if e:
                out = out * value**e
        return out

    def value(self, element: fmpq_mpoly, parameter: sp.Symbol | None = None) -> sp.Expr:
        """The real number (or, with ``parameter``, the polynomial in t) a ring element stands for."""
        terms = []
        for exponents, coefficient in element.to_dict().items():
            if exponents[0] and parameter is None:
                raise _Declined(f"{element} depends on t")
            term = _rational(coefficient) * self._monomial_value(exponents[1:])
            terms.append(term * parameter ** exponents[0] if exponents[0] else term)
        return sp.Add(*terms)

    def coefficients_in_t(self, element: fmpq_mpoly) -> tuple[sp.Expr, ...]:
        """(c_0, …, c_D) with element = Σ_k c_k t^k, each c_k the sum of its monomials' exact values
        (c_D ≠ 0 in the ring; () for 0)."""
        by_degree: dict[int, list[sp.Expr]] = {}
        for exponents, coefficient in element.to_dict().items():
            by_degree.setdefault(exponents[0], []).append(_rational(coefficient) * self._monomial_value(exponents[1:]))
        top = max(by_degree, default=-1)
        return tuple(sp.Add(*by_degree.get(k, [])) for k in range(top + 1))


def _polynomial(coefficients: Sequence[sp.Expr], parameter: sp.Symbol) -> sp.Expr:
    """Σ_k c_k t^k."""
    return sp.Add(*[c * parameter**k for k, c in enumerate(coefficients)])


def _rational(value: fmpq) -> sp.Rational:
    return sp.Rational(int(value.p), int(value.q))


def _depends_on_t(element: fmpq_mpoly) -> bool:
    return element.degrees()[0] > 0


def _polynomial_coefficients(expression: sp.Expr, symbols: Sequence[sp.Symbol]) -> dict | None:
    """{exponents: fmpq} when ``expression`` is a polynomial over Q in ``symbols``, else None."""
    try:
        poly = sp.Poly(expression, *symbols, domain=sp.QQ)
    except (sp.PolynomialError, sp.CoercionFailed, sp.GeneratorsNeeded):
        return None
    return {monomial: _fmpq(c) for monomial, c in poly.as_dict().items()}


def _evaluate(coefficients: dict, arguments: Sequence[fmpq_mpoly], zero: fmpq_mpoly) -> fmpq_mpoly:
    total = zero
    for monomial, c in coefficients.items():
        term = zero + c
        for a, e in zip(arguments, monomial):
            if e:
                term = term * a**e
        total = total + term
    return total


def _short(expression: sp.Expr, limit: int = 80) -> str:
    text = sp.sstr(expression)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class RingBackend(Backend):
    """The feed-forward engine's backend over Q[t, g] (:class:`Constants`): exact ring elements;
    activations and losses evaluated in the ring when they are polynomials over Q, else at arguments free
    of t through the constants' exact SymPy values (``ring = True``: ffengine's ``_RingLists`` algebra)."""

    name = "ring"
    ring = True
    rigorous = True

    def __init__(self, constants: Constants, parameter: sp.Symbol):
        self.constants = constants
        self.parameter = parameter
        self._zero = constants.constant(0)
        self._activations: dict[str, tuple | None] = {}
        self._activation_cache: dict[tuple[str, str], tuple] = {}
        self._loss_plans: dict[tuple, tuple | None] = {}
        self._loss_cache: dict[tuple, tuple] = {}

    def scalar(self, value):
        if isinstance(value, fmpq_mpoly):
            return value
        return self.constants.constant(value)

    def zero(self):
        return self._zero

    def sqrt(self, x):
        raise NotRational("square roots leave the ring Q[t, g]")

    def key(self, z: fmpq_mpoly) -> str:
        """A hashable key of a ring element (its canonical text)."""
        return str(z)

    # activations
    def _activation_plan(self, activation: Activation) -> tuple | None:
        """(σ, σ′, σ″) as coefficient dicts when σ is a polynomial over Q, else None."""
        if activation.name not in self._activations:
            plans = [_polynomial_coefficients(e, [U]) for e in (activation.expr, activation.first, activation.second)]
            self._activations[activation.name] = None if any(p is None for p in plans) else tuple(plans)
        return self._activations[activation.name]

    def activation_values(self, activation: Activation, z: fmpq_mpoly) -> tuple:
        """(σ(z), σ′(z), σ″(z)) as ring elements."""
        plan = self._activation_plan(activation)
        if plan is not None:
            return tuple(_evaluate(p, [z], self._zero) for p in plan)
        if _depends_on_t(z):
            moving = _short(self.constants.value(z, self.parameter))
            raise _Declined(f"the pre-activations vary along the curve (one is {moving}), so the {activation.name} "
                            "activation and its derivatives are not constant")
        key = (activation.name, str(z))
        cached = self._activation_cache.get(key)
        if cached is None:
            cached = self._activation_cache[key] = self._constant_activation(activation, z)
        return cached

    def _constant_activation(self, activation: Activation, z: fmpq_mpoly) -> tuple:
        if z.is_constant():
            q = z.leading_coefficient() if not z.is_zero() else fmpq(0)
            try:
                return tuple(self.constants.constant(v) for v in activation.exact(q))
            except NotRational:
                pass
        point = self.constants.value(z)
        element = self.constants.element
        sigma = element(activation.expr.xreplace({U: point}))
        out = [sigma]
        for relation, derivative in zip(derivative_relations(activation), (activation.first, activation.second)):
            out.append(element(derivative.xreplace({U: point})) if relation is None
                       else _evaluate(relation, [sigma], self._zero))
        return tuple(out)

    # losses
    def _loss_plan(self, loss: OutputLoss, y: tuple[sp.Rational, ...]) -> tuple | None:
        """(∇ℓ, ∇²ℓ) as coefficient dicts in the outputs when they are polynomials over Q, else None."""
        key = (loss.name, y)
        if key not in self._loss_plans:
            symbols = sp.symbols(f"u1:{len(y) + 1}", real=True)
            _, grad, hess = loss.derivatives("sympy", list(symbols), list(y))
            grads = [_polynomial_coefficients(g, symbols) for g in grad]
            hessians = [[_polynomial_coefficients(h, symbols) for h in row] for row in hess]
            plans = grads + [h for row in hessians for h in row]
            self._loss_plans[key] = None if any(p is None for p in plans) else (grads, hessians)
        return self._loss_plans[key]

    def loss_derivatives(self, loss: OutputLoss, u: list, y: list) -> tuple:
        """(None, ∇_u ℓ, ∇²_u ℓ) at one observation, as ring elements (labels are rational)."""
        labels = tuple(self.constants.value(v) for v in y)
        plan = self._loss_plan(loss, labels)
        if plan is not None:
            grads, hessians = plan
            return (None, [_evaluate(g, u, self._zero) for g in grads],
                    [[_evaluate(h, u, self._zero) for h in row] for row in hessians])
        if any(_depends_on_t(v) for v in u):
            raise _Declined(f"the network outputs vary along the curve, and the {loss.name} loss's derivatives are "
                          "not polynomials in them")
        key = (loss.name, labels, tuple(str(v) for v in u))
        cached = self._loss_cache.get(key)
        if cached is None:
            cached = self._loss_cache[key] = self._constant_loss(loss, u, labels)
        return cached

    def _constant_loss(self, loss: OutputLoss, u: list, labels: tuple) -> tuple:
        if all(v.is_constant() for v in u):
            try:
                _, grad, hess = loss.derivatives("exact", [v.leading_coefficient() if not v.is_zero() else fmpq(0)
                                                           for v in u], [_fmpq(v) for v in labels])
                return (None, [self.constants.constant(g) for g in grad],
                        [[self.constants.constant(h) for h in row] for row in hess])
            except NotRational:
                pass
        _, grad, hess = loss.derivatives("sympy", [self.constants.value(v) for v in u], list(labels))
        element = self.constants.element
        return None, [element(g) for g in grad], [[element(h) for h in row] for row in hess]


def _ring_coordinates(curve: Curve, constants: Constants) -> list[fmpq_mpoly]:
    """The curve's coordinates as elements of Q[t, g] (their coefficients may be real constants)."""
    t = curve.parameter
    cache: dict[sp.Expr, fmpq_mpoly] = {}
    out = []
    for v, c in zip(curve.variables, curve.coordinates):
        if c not in cache:
            try:
                poly = sp.Poly(c, t)
            except (sp.PolynomialError, sp.CoercionFailed, sp.GeneratorsNeeded):
                raise _Declined(f"coordinate {v.name} = {c} is not a polynomial in {t}") from None
            total = constants.constant(0)
            for (k,), coefficient in poly.as_dict().items():
                total = total + constants.element(poly.domain.to_sympy(coefficient)) * constants.t**k
            cache[c] = total
        out.append(cache[c])
    return out


#: Generator counts tried in turn (a larger ring costs more per operation).
_SLOTS = (7, 63)  # t and 7 generators: exponent vectors of one machine word


def constant_restriction(objective, curve: Curve, rational: NotApplicable | None = None,
                         start: float | None = None) -> ExactRestriction | NotApplicable:
    """G²(t), H²(t) of a feed-forward network along ``curve`` by exact arithmetic in Q[t, g₁ … g_k]
    (module docstring), or why this route does not apply. ``rational``: why the rational route did not
    apply, quoted when this route is not tried (network too large)."""
    start = time.perf_counter() if start is None else start
    architecture = objective.architecture
    P, N = architecture.size, len(objective.data.inputs)
    if P > CONSTANTS_MAX_PARAMETERS or P * N * N > CONSTANTS_MAX_WORK:
        why = f"{rational.reason}; " if rational is not None else ""
        return NotApplicable(f"{why}the exact route with generators for irrational constants is limited to "
                             f"P ≤ {CONSTANTS_MAX_PARAMETERS} parameters and P·N² ≤ {CONSTANTS_MAX_WORK:,} "
                             f"(this network: P = {P}, N = {N} observations)")
    for slots in _SLOTS:
        try:
            return _ring_restriction(objective, curve, Constants(slots), start)
        except _OutOfGenerators:
            continue
        except _Declined as exc:
            return NotApplicable(str(exc))
    return NotApplicable(f"more than {_SLOTS[-1]} distinct irrational constants along the curve")


def _ring_restriction(objective, curve: Curve, constants: Constants, start: float) -> ExactRestriction:
    t = curve.parameter
    backend = RingBackend(constants, t)
    point = _ring_coordinates(curve, constants)
    inputs = [[constants.constant(v) for v in x] for x in objective.data.inputs]
    targets = [[constants.constant(v) for v in y] for y in objective.data.label_vectors]
    state = feedforward_state(backend, objective.architecture, objective.loss, inputs, targets, point)
    grad_sq = state.grad_norm_sq()
    hess_sq = state.hess_frobenius_sq()
    outputs = tuple(constants.value(u, t) for sample in state.outputs for u in sample)
    grad_coefficients = constants.coefficients_in_t(grad_sq)
    hess_coefficients = constants.coefficients_in_t(hess_sq)
    return ExactRestriction(
        grad_sq=_polynomial(grad_coefficients, t),
        hess_sq=_polynomial(hess_coefficients, t),
        outputs=outputs,
        points=0,
        seconds=time.perf_counter() - start,
        constants=tuple(zip(constants.names(), constants.values)),
        ring=True,
        grad_coefficients=grad_coefficients,
        hess_coefficients=hess_coefficients,
    )
