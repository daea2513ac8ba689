"""Losses ℓ(u; y) of a scalar network output u and a label y.

* ``logistic``    ℓ = log(1 + exp(−y u)),  y ∈ {−1, +1}
* ``squared``     ℓ = ½ (u − y)²,          y real
* ``exponential`` ℓ = exp(−y u),           y ∈ {−1, +1}

Each loss carries its exact derivatives ℓ′ = ∂ℓ/∂u and ℓ″ (SymPy, derived
once) and their evaluators (:attr:`Loss.fields`). ``derivative_at_zero(y)`` gives ℓ′(0; y)
exactly — the quantity in the premise of Theorem G.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import sympy as sp
from flint import arb, fmpq

from ..errors import DataError, NotRational, ShapeError
from ..objective import VectorField

__all__ = ["Loss", "LOSSES", "get_loss", "U", "Y", "OutputLoss", "OUTPUT_LOSSES", "get_output_loss",
           "ScalarOutputLoss", "SquaredOutputLoss", "SoftmaxCrossEntropy"]

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


# -- losses of vector outputs (feed-forward networks) ---------------------------------------------
#
# A network with output dimension m gives each observation an output vector u ∈ R^m and a
# label vector y. :class:`OutputLoss` is ℓ(u; y) with its gradient ∇_u ℓ (m entries) and
# Hessian ∇²_u ℓ (m × m), in four number types: SymPy expressions, float64 arrays, balls and
# exact rationals. Registered in :data:`OUTPUT_LOSSES`:
#
# * ``squared``        Σ_j ½ (u_j − y_j)²  (for m = 1 exactly the scalar ``squared`` above)
# * ``l2``             Σ_j (u_j − y_j)²    (seed 001 Def 6: no ½)
# * ``logistic``       log(1 + exp(−y u)), m = 1, y ∈ {−1, +1}
# * ``exponential``    exp(−y u),          m = 1, y ∈ {−1, +1}
# * ``cross-entropy``  −Σ_j y_j log softmax(u)_j = (Σ_j y_j) log Σ_k e^(u_k) − yᵀu, m ≥ 2,
#                      y a probability vector (one-hot or not); ∇ = (Σy) p − y,
#                      ∇² = (Σy)(diag p − p pᵀ) with p = softmax(u)


class OutputLoss:
    """ℓ(u; y) for an output vector u ∈ R^m and a label vector y of the same length."""

    name: str = "abstract"
    description: str = ""
    #: ``sign`` (m = 1, y ∈ {−1, +1}), ``real`` (any real vector) or ``distribution``
    #: (y_j ≥ 0, Σ_j y_j = 1)
    labels: Literal["sign", "real", "distribution"] = "real"

    def check_outputs(self, m: int) -> None:
        """Raise ShapeError unless the loss is defined for output dimension m."""

    def check_label(self, y: tuple, index: int) -> None:
        """Raise DataError unless the label vector y (exact rationals) suits the loss."""
        if self.labels == "sign" and (len(y) != 1 or y[0] not in (1, -1)):
            raise DataError(f"observation {index + 1}: label y = {_show(y)}; the {self.name} loss needs y in {{-1, +1}}")
        if self.labels == "distribution":
            if any(v < 0 for v in y) or sum(y) != 1:
                raise DataError(f"observation {index + 1}: label y = {_show(y)}; the {self.name} loss needs a "
                                "probability vector (entries ≥ 0 summing to 1, e.g. one-hot)")

    def symbolic(self, u: list, y: list) -> sp.Expr:
        """ℓ(u; y) as a SymPy expression."""
        raise NotImplementedError

    def derivatives(self, kind: str, u: list, y: list) -> tuple[object, list, list[list]]:
        """(ℓ, ∇_u ℓ, ∇²_u ℓ) at one observation; ``kind`` is ``sympy``, ``ball`` or ``exact``
        (``exact`` may return None for ℓ and raises NotRational for irrational derivatives)."""
        raise NotImplementedError

    def floats(self, u: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised float64: u, y of shape (m, N) → (ℓ (N,), ∇ (m, N), ∇² (m, m, N))."""
        raise NotImplementedError

    def gradient_at_zero(self, y: Sequence[sp.Expr]) -> list[sp.Expr]:
        """∇_u ℓ(0; y), exactly (the data term of Theorem G′'s premise)."""
        zero = [sp.Integer(0)] * len(y)
        return [sp.simplify(g) for g in self.derivatives("sympy", zero, list(y))[1]]

    def __repr__(self) -> str:
        return f"OutputLoss({self.name!r})"


def _rational(value: object) -> sp.Rational:
    if isinstance(value, fmpq):
        return sp.Rational(int(value.p), int(value.q))
    return sp.Rational(value)


def _exact(expression: sp.Expr, point: dict, name: str) -> fmpq:
    value = sp.simplify(expression.xreplace(point))
    if not value.is_Rational:
        raise NotRational(f"the {name} loss derivative at u = {point[U]}, y = {point[Y]} is {value}, not rational")
    return fmpq(int(value.p), int(value.q))


def _show(y: tuple) -> str:
    return sp.sstr(y[0]) if len(y) == 1 else "(" + ", ".join(sp.sstr(v) for v in y) + ")"


class ScalarOutputLoss(OutputLoss):
    """A scalar :class:`Loss` on a network with one output (logistic, exponential)."""

    def __init__(self, loss: Loss):
        self.loss = loss
        self.name = loss.name
        self.description = loss.description
        self.labels = loss.labels

    def check_outputs(self, m: int) -> None:
        if m != 1:
            raise ShapeError(f"the {self.name} loss needs a scalar output (last width 1), got output dimension {m}")

    def symbolic(self, u, y):
        return self.loss(u[0], y[0])

    def derivatives(self, kind, u, y):
        if kind == "sympy":
            return self.loss(u[0], y[0]), [self.loss.d1(u[0], y[0])], [[self.loss.d2(u[0], y[0])]]
        if kind == "ball":
            f, d1, d2 = (field.ball([u[0], y[0]])[0] for field in self.loss.fields)
            return f, [d1], [[d2]]
        if kind == "exact":
            point = {U: _rational(u[0]), Y: _rational(y[0])}
            return None, [_exact(self.loss.first, point, self.name)], [[_exact(self.loss.second, point, self.name)]]
        raise ValueError(f"unknown kind {kind!r}")

    def floats(self, u, y):
        f, d1, d2 = (field.floats(u[0], y[0])[0] for field in self.loss.fields)
        n = u.shape[1]
        return (np.broadcast_to(np.asarray(f, dtype=np.float64), (n,)).copy(),
                np.asarray(d1, dtype=np.float64).reshape(1, n),
                np.asarray(d2, dtype=np.float64).reshape(1, 1, n))


class SquaredOutputLoss(OutputLoss):
    """``scale`` · Σ_j (u_j − y_j)² for any output dimension (``squared``: scale ½; ``l2``: scale 1)."""

    labels = "real"

    def __init__(self, name: str, scale: sp.Rational, description: str):
        self.name = name
        self.scale = sp.Rational(scale)
        self.description = description

    def symbolic(self, u, y):
        return self.scale * sp.Add(*[(a - b) ** 2 for a, b in zip(u, y)])

    def derivatives(self, kind, u, y):
        m = len(u)
        if kind == "sympy":
            c, zero = self.scale, sp.Integer(0)
        elif kind == "ball":
            c, zero = arb(int(self.scale.p)) / int(self.scale.q), arb(0)
        elif kind == "exact":
            c, zero = fmpq(int(self.scale.p), int(self.scale.q)), fmpq(0)
        else:
            raise ValueError(f"unknown kind {kind!r}")
        diff = [a - b for a, b in zip(u, y)]
        value = None
        if kind != "exact":
            value = zero
            for d in diff:
                value = value + d * d
            value = c * value
        grad = [2 * c * d for d in diff]
        hess = [[2 * c if i == j else zero for j in range(m)] for i in range(m)]
        return value, grad, hess

    def floats(self, u, y):
        c = float(self.scale)
        diff = u - y
        m, n = u.shape
        hess = np.zeros((m, m, n))
        for j in range(m):
            hess[j, j, :] = 2 * c
        return c * np.sum(diff * diff, axis=0), 2 * c * diff, hess


class SoftmaxCrossEntropy(OutputLoss):
    """−Σ_j y_j log softmax(u)_j for m ≥ 2 outputs and probability labels (seed 001 Def 7)."""

    name = "cross-entropy"
    description = "-sum_j y_j log softmax(u)_j"
    labels = "distribution"

    def check_outputs(self, m: int) -> None:
        if m < 2:
            raise ShapeError(f"the cross-entropy loss needs at least 2 outputs (softmax of one output is 1), got {m}")

    def symbolic(self, u, y):
        total = sp.Add(*y)
        return total * sp.log(sp.Add(*[sp.exp(a) for a in u])) - sp.Add(*[a * b for a, b in zip(u, y)])

    def derivatives(self, kind, u, y):
        m = len(u)
        if kind == "sympy":
            exps = [sp.exp(a) for a in u]
            denominator = sp.Add(*exps)
            p = [e / denominator for e in exps]
            value = self.symbolic(u, y)
        elif kind == "ball":
            top = max(u, key=lambda a: a.mid())
            exps = [(a - top).exp() for a in u]
            denominator = sum(exps[1:], exps[0])
            p = [e / denominator for e in exps]
            total_y = sum(y[1:], y[0])
            value = total_y * (top + denominator.log())
            for a, b in zip(u, y):
                value = value - a * b
        elif kind == "exact":
            if any(a != u[0] for a in u):
                raise NotRational("softmax of unequal outputs is not rational")
            p = [fmpq(1, m)] * m
            value = None
        else:
            raise ValueError(f"unknown kind {kind!r}")
        total_y = y[0]
        for b in y[1:]:
            total_y = total_y + b
        grad = [total_y * pj - yj for pj, yj in zip(p, y)]
        hess = [[total_y * (p[i] * (1 - p[i]) if i == j else -p[i] * p[j]) for j in range(m)] for i in range(m)]
        return value, grad, hess

    def floats(self, u, y):
        top = np.max(u, axis=0)
        e = np.exp(u - top)
        s = np.sum(e, axis=0)
        p = e / s
        total_y = np.sum(y, axis=0)
        value = total_y * (top + np.log(s)) - np.sum(u * y, axis=0)
        grad = total_y * p - y
        m = u.shape[0]
        hess = -p[:, None, :] * p[None, :, :]
        for j in range(m):
            hess[j, j, :] += p[j]
        return value, grad, total_y * hess


#: Losses of network outputs by name (see the comment above :class:`OutputLoss`).
OUTPUT_LOSSES: dict[str, OutputLoss] = {
    "squared": SquaredOutputLoss("squared", sp.Rational(1, 2), "sum_j (u_j - y_j)^2 / 2"),
    "l2": SquaredOutputLoss("l2", sp.Integer(1), "sum_j (u_j - y_j)^2 (seed 001 Def 6)"),
    "logistic": ScalarOutputLoss(LOSSES["logistic"]),
    "exponential": ScalarOutputLoss(LOSSES["exponential"]),
    "cross-entropy": SoftmaxCrossEntropy(),
}
_OUTPUT_ALIASES = {"ce": "cross-entropy", "crossentropy": "cross-entropy", "cross_entropy": "cross-entropy",
                   "softmax-cross-entropy": "cross-entropy", "mse": "squared"}


def get_output_loss(loss: str | OutputLoss | Loss) -> OutputLoss:
    """A loss of network outputs by name (``squared``, ``l2``, ``logistic``, ``exponential``,
    ``cross-entropy``), a scalar :class:`Loss`, or the OutputLoss itself."""
    if isinstance(loss, OutputLoss):
        return loss
    if isinstance(loss, Loss):
        return OUTPUT_LOSSES["squared"] if loss.name == "squared" else ScalarOutputLoss(loss)
    if isinstance(loss, str):
        key = loss.strip().lower()
        key = _OUTPUT_ALIASES.get(key, key)
        if key in OUTPUT_LOSSES:
            return OUTPUT_LOSSES[key]
    raise DataError(f"unknown loss {loss!r}; available: {', '.join(OUTPUT_LOSSES)}")
