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
reason, and the caller uses the symbolic route.

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
otherwise the route does not apply. With the identity activation (σ′ = 1,
σ″ = 0 everywhere) only the outputs must be constant, as for deep linear
networks: z_l(t) then has degree ≤ l·d and the same degree bounds hold.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp
from flint import fmpq, fmpq_poly

from .engine import EXACT, NotRational, state_at
from .ffengine import feedforward_state

if TYPE_CHECKING:
    from ..curves import Curve
    from ..objective import Objective

__all__ = ["deep_linear_restriction", "ExactRestriction", "NotApplicable", "exact_restriction", "interpolate"]


@dataclass(frozen=True)
class ExactRestriction:
    """G²(t) and H²(t) (SymPy polynomials in the curve parameter), exactly."""

    grad_sq: sp.Expr
    hess_sq: sp.Expr
    outputs: tuple[sp.Rational, ...]
    points: int
    seconds: float

    @property
    def method(self) -> str:
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
    )


def exact_restriction(objective: Objective, curve: Curve) -> ExactRestriction | NotApplicable:
    """G²(t), H²(t) along ``curve`` exactly, or why the exact route does not apply (module docstring).
    ``objective`` is a feed-forward network (its ``architecture``, ``loss`` and ``data`` are used) or a
    deep linear network given by ``depth``, ``widths``, ``data`` and a scalar ``loss``."""
    start = time.perf_counter()
    polys = _coordinate_polynomials(curve)
    if isinstance(polys, NotApplicable):
        return polys
    if hasattr(objective, "architecture"):
        return _feedforward_restriction(objective, curve, polys, start)
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
