"""Activations σ of feed-forward networks, applied componentwise after every hidden layer.

Each :class:`Activation` carries its exact formula σ(u) (SymPy, in the loss
symbol ``u``), its exact derivatives σ′ and σ″, and three evaluators that
return ``(σ, σ′, σ″)`` together:

* :meth:`Activation.floats` — numpy float64 arrays (exploration; overflow and
  cancellation are silent there);
* :meth:`Activation.ball` — python-flint balls at the current precision
  (rigorous enclosures);
* :meth:`Activation.exact` — exact rationals (``fmpq``) when the three values
  are rational at a rational point (always for polynomial activations, and
  e.g. tanh at 0), else :class:`~dlnsmooth.errors.NotRational`.

Registered (:data:`ACTIVATIONS`):

==============  ==============================  ======  =======  ========
name            σ(u)                            σ(0)    σ′(0)    σ″(0)
==============  ==============================  ======  =======  ========
``identity``    u                               0       1        0
``tanh``        tanh u                          0       1        0
``sigmoid``     1 / (1 + e^(−u))                1/2     1/4      0
``softplus``    log(1 + e^u)                    log 2   1/2      1/4
``sin``         sin u                           0       1        0
``gelu``        (u/2)(1 + erf(u/√2))            0       1/2      √(2/π)
``quadratic``   u² + 1  (seed 001, Example 1)   1       0        2
==============  ==============================  ======  =======  ========

Theorem G′ (SPEC §3) needs σ(0) = 0 and σ′(0) ≠ 0 (:attr:`Activation.theorem_g_ready`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp
from flint import arb, fmpq

from ..errors import DataError, NotRational
from .losses import U

__all__ = ["Activation", "ACTIVATIONS", "get_activation", "activation_names"]

Triple = tuple[object, object, object]


@dataclass(frozen=True)
class Activation:
    """σ : R → R, C², with its exact derivatives and float64 / ball / exact evaluators."""

    name: str
    expr: sp.Expr
    description: str
    _floats: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]] = field(repr=False, compare=False)
    _ball: Callable[[arb], Triple] = field(repr=False, compare=False)
    aliases: tuple[str, ...] = ()
    #: (σ′, σ″) as polynomials in the value s = σ(u), for any numbers or arrays with +, − and ×:
    #: ``from_value(s, const)``, where ``const(c)`` makes the constant c of the same kind (tanh,
    #: sigmoid); array backends then evaluate σ alone and derive the rest. None: no such relation.
    from_value: Callable[[object, Callable[[int], object]], tuple[object, object]] | None = \
        field(default=None, repr=False, compare=False)

    # -- exact --------------------------------------------------------------------------------
    @cached_property
    def first(self) -> sp.Expr:
        """σ′(u)."""
        return sp.diff(self.expr, U)

    @cached_property
    def second(self) -> sp.Expr:
        """σ″(u)."""
        return sp.diff(self.expr, U, 2)

    def __call__(self, u: sp.Expr) -> sp.Expr:
        return self.expr.xreplace({U: u})

    def d1(self, u: sp.Expr) -> sp.Expr:
        return self.first.xreplace({U: u})

    def d2(self, u: sp.Expr) -> sp.Expr:
        return self.second.xreplace({U: u})

    @cached_property
    def at_zero(self) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
        """(σ(0), σ′(0), σ″(0)), exactly."""
        zero = sp.Integer(0)
        return tuple(sp.simplify(e.xreplace({U: zero})) for e in (self.expr, self.first, self.second))  # type: ignore[return-value]

    @property
    def theorem_g_ready(self) -> bool:
        """σ(0) = 0 and σ′(0) ≠ 0: the hypotheses of Theorem G′ on the activation."""
        s0, s1, _ = self.at_zero
        return s0 == 0 and s1 != 0

    @cached_property
    def is_polynomial(self) -> bool:
        return bool(self.expr.is_polynomial(U))

    # -- evaluators ---------------------------------------------------------------------------
    def floats(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(σ(z), σ′(z), σ″(z)) componentwise, float64."""
        return self._floats(np.asarray(z, dtype=np.float64))

    def ball(self, z: arb) -> Triple:
        """(σ(z), σ′(z), σ″(z)) as balls at the current flint precision."""
        return self._ball(z)

    def exact(self, z: fmpq) -> tuple[fmpq, fmpq, fmpq]:
        """(σ(z), σ′(z), σ″(z)) as exact rationals, or NotRational."""
        return _exact_values(self, fmpq(z))

    def symbolic(self, z: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
        """(σ(z), σ′(z), σ″(z)) as SymPy expressions."""
        return self(z), self.d1(z), self.d2(z)

    def latex(self) -> str:
        return sp.latex(self.expr)


_EXACT_CACHE: dict[tuple[str, fmpq], tuple[fmpq, fmpq, fmpq]] = {}


def _exact_values(activation: Activation, z: fmpq) -> tuple[fmpq, fmpq, fmpq]:
    key = (activation.name, z)
    if key in _EXACT_CACHE:
        return _EXACT_CACHE[key]
    point = sp.Rational(int(z.p), int(z.q))
    out = []
    for expression in (activation.expr, activation.first, activation.second):
        value = sp.simplify(expression.xreplace({U: point}))
        if not value.is_Rational:
            raise NotRational(f"the {activation.name} activation at u = {point} gives {value}, not a rational number")
        out.append(fmpq(int(value.p), int(value.q)))
    result = (out[0], out[1], out[2])
    if len(_EXACT_CACHE) < 100_000:
        _EXACT_CACHE[key] = result
    return result


# -- float64 formulas -----------------------------------------------------------------------------
def _f_identity(z):
    return z.copy(), np.ones_like(z), np.zeros_like(z)


def _f_tanh(z):
    s = np.tanh(z)
    d = 1.0 - s * s
    return s, d, -2.0 * s * d


def _f_sigmoid(z):
    s = np.empty_like(z)
    pos = z >= 0
    s[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    s[~pos] = e / (1.0 + e)
    d = s * (1.0 - s)
    return s, d, d * (1.0 - 2.0 * s)


def _f_softplus(z):
    value = np.logaddexp(0.0, z)
    s, d, _ = _f_sigmoid(z)
    return value, s, d


def _f_sin(z):
    return np.sin(z), np.cos(z), -np.sin(z)


_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


_ERF = np.vectorize(math.erf, otypes=[np.float64])


def _gelu_floats(z):
    cdf = 0.5 * (1.0 + _ERF(z / _SQRT2)) if z.size else np.zeros_like(z)
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    return z * cdf, cdf + z * pdf, pdf * (2.0 - z * z)


def _f_quadratic(z):
    return z * z + 1.0, 2.0 * z, np.full_like(z, 2.0)


# -- ball formulas --------------------------------------------------------------------------------
def _b_identity(z):
    return z, arb(1), arb(0)


def _tanh_from_value(s, const):
    d = const(1) - s * s  # tanh′ = 1 − tanh²
    return d, const(-2) * s * d


def _sigmoid_from_value(s, const):
    d = s * (const(1) - s)  # σ′ = σ(1 − σ)
    return d, d * (const(1) - const(2) * s)


def _b_tanh(z):
    s = z.tanh()
    return (s,) + _tanh_from_value(s, arb)


def _b_sigmoid(z):
    s = 1 / (1 + (-z).exp())
    return (s,) + _sigmoid_from_value(s, arb)


def _b_softplus(z):
    # log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)): no overflow of the midpoint at large |z|
    value = z.max(arb(0)) + (-abs(z)).exp().log1p()
    s, d, _ = _b_sigmoid(z)
    return value, s, d


def _b_sin(z):
    s, c = z.sin_cos()
    return s, c, -s


def _b_gelu(z):
    sqrt2 = arb(2).sqrt()
    cdf = (1 + (z / sqrt2).erf()) / 2
    pdf = (-(z * z) / 2).exp() / (2 * arb.pi()).sqrt()
    return z * cdf, cdf + z * pdf, pdf * (2 - z * z)


def _b_quadratic(z):
    return z * z + 1, 2 * z, arb(2)


def _make() -> dict[str, Activation]:
    u = U
    table = [
        Activation("identity", u, "u (deep linear networks)", _f_identity, _b_identity, ("linear", "none")),
        Activation("tanh", sp.tanh(u), "tanh(u)", _f_tanh, _b_tanh, from_value=_tanh_from_value),
        Activation("sigmoid", 1 / (1 + sp.exp(-u)), "1/(1 + exp(-u))", _f_sigmoid, _b_sigmoid, ("logistic",),
                   from_value=_sigmoid_from_value),
        Activation("softplus", sp.log(1 + sp.exp(u)), "log(1 + exp(u))", _f_softplus, _b_softplus),
        Activation("sin", sp.sin(u), "sin(u)", _f_sin, _b_sin),
        Activation("gelu", u / 2 * (1 + sp.erf(u / sp.sqrt(2))), "u/2 (1 + erf(u/sqrt(2))) (exact GELU)",
                   _gelu_floats, _b_gelu),
        Activation("quadratic", u**2 + 1, "u^2 + 1 (seed 001, Example 1)", _f_quadratic, _b_quadratic,
                   ("u^2+1", "u**2+1", "square-plus-one")),
    ]
    return {a.name: a for a in table}


#: The registered activations by name.
ACTIVATIONS: dict[str, Activation] = _make()


def activation_names() -> list[str]:
    return list(ACTIVATIONS)


def get_activation(activation: str | Activation) -> Activation:
    """An activation by name or alias (case and spaces ignored), or the Activation itself."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str):
        key = activation.strip().lower().replace(" ", "")
        for a in ACTIVATIONS.values():
            if key == a.name or key in a.aliases:
                return a
    raise DataError(f"unknown activation {activation!r}; available: {', '.join(ACTIVATIONS)}")
