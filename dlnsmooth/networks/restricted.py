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
loss derivative) :func:`exact_restriction` returns ``None`` with the reason,
and the caller uses the symbolic route.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp
from flint import fmpq, fmpq_poly

from .engine import EXACT, NotRational, state_at

if TYPE_CHECKING:
    from ..curves import Curve
    from ..objective import Objective

__all__ = ["ExactRestriction", "exact_restriction", "interpolate"]


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


def exact_restriction(objective: Objective, curve: Curve) -> ExactRestriction | NotApplicable:
    """G²(t), H²(t) along ``curve`` exactly, or why the exact route does not apply (module docstring).
    ``objective`` is a deep linear network objective (its ``depth``, ``widths``, ``data`` and
    ``loss`` are used)."""
    start = time.perf_counter()
    polys = _coordinate_polynomials(curve)
    if isinstance(polys, NotApplicable):
        return polys
    d = max((p.degree() for p in polys), default=0)
    d = max(d, 1)
    L = objective.depth
    bound = 4 * L * d
    xs = list(range(1, bound + 3))  # bound + 1 points to interpolate, one more to check
    distinct: dict[tuple, fmpq_poly] = {}
    keys = []
    for p in polys:
        key = tuple(p.coeffs())
        distinct.setdefault(key, p)
        keys.append(key)
    inputs = [list(x) for x in objective.data.inputs]
    targets = list(objective.data.targets)
    shapes = [(objective.widths[l], objective.widths[l - 1]) for l in range(1, L + 1)]
    grads, hess, outputs_seen = [], [], None
    for x in xs:
        values = {key: p(fmpq(x)) for key, p in distinct.items()}
        flat = [values[k] for k in keys]
        weights, k = [], 0
        for n, m in shapes:
            weights.append(EXACT.from_entries(n, m, flat[k:k + n * m]))
            k += n * m
        state = state_at(EXACT, objective.widths, weights, inputs, targets, objective.loss)
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
    G = interpolate(xs[:-1], grads[:-1])
    H = interpolate(xs[:-1], hess[:-1])
    if G(fmpq(xs[-1])) != grads[-1] or H(fmpq(xs[-1])) != hess[-1]:  # pragma: no cover - a broken degree bound
        raise AssertionError("exact restriction: interpolation does not reproduce the check point")
    t = curve.parameter
    assert outputs_seen is not None
    return ExactRestriction(
        grad_sq=_to_sympy(G, t),
        hess_sq=_to_sympy(H, t),
        outputs=tuple(sp.Rational(int(u.p), int(u.q)) for u in outputs_seen),
        points=len(xs),
        seconds=time.perf_counter() - start,
    )
