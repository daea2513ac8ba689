"""Choose the Bregman decision for a loss given by name or expression (SPEC §4.3, a reconstruction of seed 002).

:func:`resolve_loss` reads a registered name (:mod:`dlnsmooth.bregman.losses`, ``NAME[:param=value,…]``) or
an expression in the declared variables (the package's safe parser), then picks the route:

* one variable → the univariate decision (:func:`~dlnsmooth.bregman.decide.decide_bregman`);
* log Σ e^(u_i) plus a linear term over all the variables → :mod:`dlnsmooth.bregman.lse`;
* a separable sum Σ F_i(u_i) → :mod:`dlnsmooth.bregman.separable`;
* anything else: :class:`UnsupportedLossError` (a one-line error: no route decides it).

:func:`decide_loss` and :func:`loss_exponents` run the chosen route for one exponent, or for the set of
exponents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sympy as sp

from ..errors import DlnsmoothError, ParseError
from ..parsing import declare_variables, parse_expression
from .decide import BregmanDecision, Kind, decide_bregman
from .divergence import BregmanLoss
from .exponents import ExponentSet, bregman_exponents
from .losses import LossInstance, lookup_loss
from .lse import LogSumExpForm, decide_lse, lse_exponents, recognise_log_sum_exp
from .separable import (
    SeparableTerm,
    VectorDecision,
    decide_separable_bregman,
    separable_exponents,
    separable_terms,
)

__all__ = ["UnsupportedLossError", "ResolvedLoss", "Route", "resolve_loss", "decide_loss", "loss_exponents",
           "KINDS"]

Route = Literal["univariate", "separable", "log-sum-exp"]
KINDS: tuple[Kind, ...] = ("convex", "smooth")


class UnsupportedLossError(DlnsmoothError, ValueError):
    """A loss no route decides: not univariate, not a separable sum, not log-sum-exp plus a linear term."""


@dataclass(frozen=True)
class ResolvedLoss:
    """A loss F with its variables and the route that decides it."""

    label: str
    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    route: Route
    instance: LossInstance | None = None
    form: LogSumExpForm | None = None
    terms: tuple[SeparableTerm, ...] | None = None

    @property
    def variable_names(self) -> list[str]:
        return [v.name for v in self.variables]

    def univariate(self) -> BregmanLoss:
        return BregmanLoss(self.expr, self.variables[0], name=self.label)


def _variable_names(variables: str | Sequence[str] | None) -> list[str] | None:
    if variables is None:
        return None
    return [v.name for v in declare_variables(variables)]


def resolve_loss(text: str, variables: str | Sequence[str] | None = None) -> ResolvedLoss:
    """The loss named or written in ``text`` (variables: ``"u"`` by default for an expression; a registered
    loss has its own defaults) and its route; bad input raises a :class:`~dlnsmooth.errors.DlnsmoothError`."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("no loss given: a registered name (e.g. softplus) or an expression in the variables")
    names = _variable_names(variables)
    instance = lookup_loss(text, names)
    if instance is not None:
        expr, symbols, label = instance.expr, instance.variables, instance.label
    else:
        symbols = declare_variables(names if names is not None else "u")
        expr, label = parse_expression(text, symbols, what="loss"), text.strip()
    symbols = tuple(symbols)
    if not expr.free_symbols:
        raise UnsupportedLossError(f"the loss {label} is constant; a Bregman condition needs a function of the "
                                   "variables")
    if len(symbols) == 1:
        return ResolvedLoss(label, expr, symbols, "univariate", instance)
    form = recognise_log_sum_exp(expr, symbols)
    if form is not None:
        return ResolvedLoss(label, expr, symbols, "log-sum-exp", instance, form=form)
    terms = separable_terms(expr, symbols)
    if terms is not None:
        return ResolvedLoss(label, expr, symbols, "separable", instance, terms=tuple(terms))
    raise UnsupportedLossError(
        f"not supported: {label} is neither a function of one variable, a separable sum Σ F_i(u_i), nor "
        "log Σ exp(u_i) plus a linear term; no route decides its Bregman conditions")


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ParseError(f"kind must be 'convex' or 'smooth', got {kind!r}")
    return kind  # type: ignore[return-value]


def decide_loss(text_or_loss: str | ResolvedLoss, *, variables: str | Sequence[str] | None = None, kind: str,
                p: object, minimiser: bool = False, time_budget: float = 30.0,
                progress: bool | None = None) -> BregmanDecision | VectorDecision:
    """Decide d_F(g, h) ≥ c‖g − h‖^p (``kind="convex"``) or ≤ c‖g − h‖^p (``"smooth"``) for all pairs, by the
    loss's route (module docstring)."""
    kind = _kind(kind)
    loss = text_or_loss if isinstance(text_or_loss, ResolvedLoss) else resolve_loss(text_or_loss, variables)
    if loss.route == "univariate":
        return decide_bregman(loss.univariate(), kind=kind, p=p, minimiser=minimiser, time_budget=time_budget,
                              progress=progress)
    if loss.route == "log-sum-exp":
        return decide_lse(loss.form, kind=kind, p=p, minimiser=minimiser, time_budget=time_budget, label=loss.label)
    return decide_separable_bregman(loss.expr, loss.variables, kind=kind, p=p, minimiser=minimiser,
                                    time_budget=time_budget, label=loss.label, terms=list(loss.terms))


def loss_exponents(text_or_loss: str | ResolvedLoss, *, variables: str | Sequence[str] | None = None, kind: str,
                   minimiser: bool = False, time_budget: float = 30.0) -> ExponentSet:
    """The set of exponents p for which the loss is H(φ)-convex (``kind="convex"``) / H(Φ)-smooth."""
    kind = _kind(kind)
    loss = text_or_loss if isinstance(text_or_loss, ResolvedLoss) else resolve_loss(text_or_loss, variables)
    if loss.route == "univariate":
        return bregman_exponents(loss.univariate(), kind=kind, minimiser=minimiser, time_budget=time_budget)
    if loss.route == "log-sum-exp":
        return lse_exponents(loss.form, kind=kind, minimiser=minimiser, label=loss.label)
    return separable_exponents(loss.expr, loss.variables, kind=kind, minimiser=minimiser, time_budget=time_budget,
                               label=loss.label, terms=list(loss.terms))
