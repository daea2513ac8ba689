"""Losses ℓ(u; y) of a scalar network output u and a label y.

* ``logistic``    ℓ = log(1 + exp(−y u)),  y ∈ {−1, +1}
* ``squared``     ℓ = ½ (u − y)²,          y real
* ``exponential`` ℓ = exp(−y u),           y ∈ {−1, +1}

Each loss carries its exact derivatives ℓ′ = ∂ℓ/∂u and ℓ″ (SymPy, derived
once) and their evaluators (:attr:`Loss.fields`). ``derivative_at_zero(y)`` gives ℓ′(0; y)
exactly — the quantity in the premise of Theorem G.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import sympy as sp

from ..errors import DataError
from ..objective import VectorField

__all__ = ["Loss", "LOSSES", "get_loss", "U", "Y"]

#: The symbols in which loss formulas are written.
U = sp.Symbol("u", real=True)
Y = sp.Symbol("y", real=True)


@dataclass(frozen=True)
class Loss:
    """ℓ(u; y) with its derivatives in u."""

    name: str
    expr: sp.Expr
    labels: Literal["sign", "real"]
    description: str = field(default="", compare=False)

    def __call__(self, u: sp.Expr, y: sp.Expr) -> sp.Expr:
        return self.expr.xreplace({U: u, Y: y})

    @cached_property
    def first(self) -> sp.Expr:
        """ℓ′(u; y) = ∂ℓ/∂u."""
        return sp.simplify(sp.diff(self.expr, U))

    @cached_property
    def second(self) -> sp.Expr:
        """ℓ″(u; y) = ∂²ℓ/∂u²."""
        return sp.simplify(sp.diff(self.expr, U, 2))

    def d1(self, u: sp.Expr, y: sp.Expr) -> sp.Expr:
        return self.first.xreplace({U: u, Y: y})

    def d2(self, u: sp.Expr, y: sp.Expr) -> sp.Expr:
        return self.second.xreplace({U: u, Y: y})

    def derivative_at_zero(self, y: sp.Expr) -> sp.Expr:
        """ℓ′(0; y), exactly."""
        return sp.simplify(self.d1(sp.Integer(0), y))

    @cached_property
    def fields(self) -> tuple[VectorField, VectorField, VectorField]:
        """ℓ, ℓ′, ℓ″ as maps of (u, y), each compiled once (mpmath, balls, float64) on first use."""
        return tuple(VectorField([e], [U, Y], name=name)  # type: ignore[return-value]
                     for e, name in ((self.expr, "ℓ"), (self.first, "ℓ′"), (self.second, "ℓ″")))

    def check_label(self, y: sp.Rational, index: int) -> None:
        if self.labels == "sign" and y not in (1, -1):
            raise DataError(f"observation {index + 1}: label y = {y}; the {self.name} loss needs y in {{-1, +1}}")

    def latex(self) -> str:
        return sp.latex(self.expr)


LOSSES: dict[str, Loss] = {
    "logistic": Loss("logistic", sp.log(1 + sp.exp(-Y * U)), "sign", "log(1 + exp(-y u))"),
    "squared": Loss("squared", (U - Y) ** 2 / 2, "real", "(u - y)^2 / 2"),
    "exponential": Loss("exponential", sp.exp(-Y * U), "sign", "exp(-y u)"),
}


def get_loss(loss: str | Loss) -> Loss:
    """A loss by name (``logistic``, ``squared``, ``exponential``) or the Loss itself."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and loss.strip().lower() in LOSSES:
        return LOSSES[loss.strip().lower()]
    raise DataError(f"unknown loss {loss!r}; available: {', '.join(LOSSES)}")
