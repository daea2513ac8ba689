"""Symbolic limits as t → ∞ under a time budget.

SymPy's ``limit`` implements the Gruntz algorithm for exp-log expressions. It
can also hang, return an unevaluated ``Limit``, ``nan``, or an
``AccumBounds`` for oscillating expressions. :func:`limit_at_infinity` runs it
under a budget (:mod:`dlnsmooth.budget`) and classifies the answer; anything
it cannot classify is ``unknown`` — never a guess.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import sympy as sp

from .budget import DEFAULT_LIMIT_BUDGET, run_with_budget
from .parsing import bounded_latex

__all__ = ["LimitOutcome", "limit_at_infinity", "LimitKind", "oscillating_factors", "PERIODIC", "seconds_left"]

#: below this many seconds left before a deadline, no symbolic computation is started
MIN_SECONDS = 0.05


def seconds_left(seconds: float | None, deadline: float | None) -> float | None:
    """The budget of one computation: ``seconds``, never past ``deadline`` (a ``time.perf_counter()``
    value; None: none). 0 when the deadline has passed; None when neither bounds it."""
    if deadline is None:
        return seconds
    remaining = max(0.0, deadline - time.perf_counter())
    return remaining if seconds is None else min(seconds, remaining)

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
        return rf"\lim_{{{sp.latex(self.parameter)} \to \infty}} {bounded_latex(self.expression)} = {value}"


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


def limit_at_infinity(expression: sp.Expr, parameter: sp.Symbol, *, seconds: float | None = DEFAULT_LIMIT_BUDGET,
                      deadline: float | None = None) -> LimitOutcome:
    """``lim_{parameter → ∞} expression`` computed by SymPy within ``seconds`` and never past
    ``deadline`` (``time.perf_counter()``; once it has passed the outcome is a ``timeout``)."""
    if expression.is_number:  # constants need no algorithm (and no process)
        value = sp.nsimplify(expression) if expression.is_Float else expression
        return LimitOutcome(expression, parameter, value, classify(value), "computed", 0.0)
    seconds = seconds_left(seconds, deadline)
    if seconds is not None and seconds < MIN_SECONDS:
        return LimitOutcome(expression, parameter, None, "unknown", "timeout", 0.0,
                            "the time budget was spent before this limit could be computed")
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
                        seconds: float | None = DEFAULT_LIMIT_BUDGET, deadline: float | None = None) -> list[sp.Expr]:
    """Periodic functions in ``expressions`` whose argument has no finite limit as the
    parameter → ∞ (sin t, cos t², …): where they occur SymPy's finite limits are no evidence.
    An argument whose limit is not computed (by ``deadline`` too) counts as oscillating."""
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
        elif limit_at_infinity(argument, parameter, seconds=seconds, deadline=deadline).kind != "finite":
            found.append(node)
    return found
