"""Symbolic limits as t → ∞ under a time budget.

SymPy's ``limit`` implements the Gruntz algorithm for exp-log expressions. It
can also hang, return an unevaluated ``Limit``, ``nan``, or an
``AccumBounds`` for oscillating expressions. :func:`limit_at_infinity` runs it
under a budget (:mod:`dlnsmooth.budget`) and classifies the answer; anything
it cannot classify is ``unknown`` — never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sympy as sp

from .budget import DEFAULT_LIMIT_BUDGET, run_with_budget

__all__ = ["LimitOutcome", "limit_at_infinity", "LimitKind", "oscillating_factors", "PERIODIC"]

LimitKind = Literal["infinite", "finite", "negative-infinite", "bounded", "unknown"]


@dataclass(frozen=True)
class LimitOutcome:
    """The result of ``lim_{t→∞} expression``.

    ``kind`` is ``infinite`` (+∞), ``negative-infinite``, ``finite`` (a real
    number), ``bounded`` (an ``AccumBounds`` with finite ends: the expression
    oscillates within them) or ``unknown`` (timeout, failure, unevaluated).
    """

    expression: sp.Expr
    parameter: sp.Symbol
    value: sp.Expr | None
    kind: LimitKind
    status: Literal["computed", "timeout", "error", "unevaluated"]
    seconds: float
    message: str = ""
    method: str = "SymPy limit (Gruntz algorithm)"

    @property
    def decided(self) -> bool:
        return self.kind != "unknown"

    def value_text(self) -> str:
        if self.value is None:
            return "undetermined"
        return "∞" if self.value == sp.oo else ("-∞" if self.value == -sp.oo else sp.sstr(self.value))

    def latex(self) -> str:
        value = sp.latex(self.value) if self.value is not None else r"\text{undetermined}"
        return rf"\lim_{{{sp.latex(self.parameter)} \to \infty}} {sp.latex(self.expression)} = {value}"


def _limit(expression: sp.Expr, parameter: sp.Symbol) -> sp.Expr:
    return sp.limit(expression, parameter, sp.oo)


def classify(value: sp.Expr) -> LimitKind:
    """Classify a value returned by ``sympy.limit``."""
    if value == sp.oo:
        return "infinite"
    if value == -sp.oo:
        return "negative-infinite"
    if isinstance(value, sp.AccumBounds):
        if value.min.is_finite and value.max.is_finite:
            return "bounded"
        return "unknown"
    if isinstance(value, sp.Limit) or value.has(sp.Limit) or value in (sp.nan, sp.zoo):
        return "unknown"
    if value.is_number and value.is_real and value.is_finite:
        return "finite"
    return "unknown"


def limit_at_infinity(expression: sp.Expr, parameter: sp.Symbol, *, seconds: float | None = DEFAULT_LIMIT_BUDGET) -> LimitOutcome:
    """``lim_{parameter → ∞} expression`` computed by SymPy within ``seconds``."""
    if expression.is_number:  # constants need no algorithm (and no process)
        value = sp.nsimplify(expression) if expression.is_Float else expression
        return LimitOutcome(expression, parameter, value, classify(value), "computed", 0.0)
    outcome = run_with_budget(_limit, expression, parameter, seconds=seconds)
    if outcome.status == "timeout":
        return LimitOutcome(expression, parameter, None, "unknown", "timeout", outcome.seconds, outcome.message)
    if outcome.status == "error":
        return LimitOutcome(expression, parameter, None, "unknown", "error", outcome.seconds, outcome.message)
    value = outcome.value
    kind = classify(value)
    status = "unevaluated" if kind == "unknown" else "computed"
    message = "" if kind != "unknown" else f"SymPy returned {sp.sstr(value)}"
    return LimitOutcome(expression, parameter, value, kind, status, outcome.seconds, message)


#: Periodic functions: of an argument without a finite limit they oscillate forever.
PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def oscillating_factors(expressions: sp.Expr | list[sp.Expr], parameter: sp.Symbol, *,
                        seconds: float | None = DEFAULT_LIMIT_BUDGET) -> list[sp.Expr]:
    """Periodic functions in ``expressions`` whose argument has no finite limit as the
    parameter → ∞ (sin t, cos t², …): where they occur SymPy's finite limits are no evidence."""
    if isinstance(expressions, sp.Basic):
        expressions = [expressions]
    atoms: set[sp.Expr] = set()
    for e in expressions:
        atoms |= {a for a in e.atoms(*PERIODIC) if parameter in a.free_symbols}
    found = []
    for node in sorted(atoms, key=sp.default_sort_key):
        argument = node.args[0]
        if argument.is_polynomial(parameter) and sp.degree(argument, parameter) > 0:
            found.append(node)  # no limit computation needed
        elif limit_at_infinity(argument, parameter, seconds=seconds).kind != "finite":
            found.append(node)
    return found
