"""The table of the common losses' Bregman conditions, every entry computed by the package (SPEC §4.3).

For each registered loss (:data:`dlnsmooth.bregman.losses.LOSSES`, default parameters) and each kind
(H(φ)-convexity, H(Φ)-smoothness): the set of exponents (:func:`~dlnsmooth.bregman.dispatch.loss_exponents`),
the decision at exponent 2 with its best constant, and, for |u|^a, the decision at the loss's natural
exponent a (:func:`~dlnsmooth.bregman.dispatch.decide_loss`). Verdicts, constants and routes are the
decisions' own; nothing is typed in. Definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3.

:func:`exponent_set_text` / :func:`exponent_set_json` render an
:class:`~dlnsmooth.bregman.exponents.ExponentSet` (also used by the command).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from ..results import Result, json_value
from .decide import BregmanDecision, Kind
from .dispatch import KINDS, decide_loss, loss_exponents, resolve_loss
from .divergence import RECONSTRUCTION_NOTE
from .exponents import ExponentSet
from .losses import LOSSES
from .separable import VectorDecision, constant_text

__all__ = ["TableEntry", "TableRow", "LossTable", "common_losses_table", "exponent_set_text", "exponent_set_json",
           "decision_json", "constant_summary", "DEFAULT_TABLE_BUDGET", "DECISION_BUDGET"]

#: Seconds per decision in the table (each exponent set and each decision gets this much).
DEFAULT_TABLE_BUDGET = 120.0
#: The longest any one decision or exponent set of the table may take (within the table's total budget).
DECISION_BUDGET = 20.0

Decision = BregmanDecision | VectorDecision


def exponent_set_text(s: ExponentSet) -> str:
    """``∅``, ``{2}``, ``[1, 2]``, ``(0, 2]``, ``[2, ∞)``; ``undecided (…)`` when the set is not decided."""
    if s.undecided and not s.empty and s.lower is None and s.upper is None:
        return "undecided"
    if s.empty:
        return "∅"
    lo = s.lower if s.lower is not None else sp.Integer(0)
    lo_closed = s.lower_closed if s.lower is not None else False
    if s.upper is not None and s.lower is not None and s.upper == s.lower:
        return "{" + sp.sstr(lo) + "}"
    left = ("[" if lo_closed else "(") + sp.sstr(lo)
    right = (sp.sstr(s.upper) + ("]" if s.upper_closed else ")")) if s.upper is not None else "∞)"
    text = f"{left}, {right}"
    return text + " (partly undecided)" if s.undecided else text


def exponent_set_json(s: ExponentSet) -> dict:
    return {"loss": s.loss, "kind": s.kind, "minimiser": s.minimiser, "text": exponent_set_text(s), "empty": s.empty,
            "lower": json_value(s.lower), "lower_closed": s.lower_closed, "upper": json_value(s.upper),
            "upper_closed": s.upper_closed, "reasons": list(s.reasons), "undecided": list(s.undecided)}


def decision_json(decision: Decision) -> dict:
    """The decision's own JSON with the documented fields in the package's one encoding (exact strings, ``"inf"``),
    whichever route produced it; ``method`` names the route."""
    data = dict(decision.to_json())
    bounds = None if decision.constant_bounds is None else [json_value(b) for b in decision.constant_bounds]
    certificate = decision.certificate
    data.update({"loss": decision.loss, "kind": decision.kind, "p": sp.sstr(decision.p),
                 "minimiser": decision.minimiser, "verdict": decision.verdict, "constant": json_value(decision.constant),
                 "constant_bounds": bounds, "attained": decision.attained, "route": list(decision.route),
                 "certificate": None if certificate is None else certificate.to_json(), "notes": list(decision.notes)})
    data.setdefault("method", "univariate")
    return data


def constant_summary(decision: Decision) -> str:
    """``c = 1/8``, ``c ∈ [a, b]``, ``refuted``, ``undecided``: the verdict with its proved constant."""
    if decision.verdict == "holds":
        if decision.constant is not None:
            return f"c = {constant_text(decision.constant)}"
        if decision.constant_bounds is not None:
            lo, hi = decision.constant_bounds
            return f"c ∈ [{constant_text(lo)}, {constant_text(hi)}]"
        return "holds"
    return decision.verdict


@dataclass
class TableEntry:
    """One loss and kind: the exponent set, the decision at 2, and at the loss's natural exponent if any."""

    kind: Kind
    exponents: ExponentSet
    at_two: Decision
    natural: Decision | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "exponents": exponent_set_json(self.exponents), "at_2": decision_json(self.at_two),
                "natural": None if self.natural is None else decision_json(self.natural)}


@dataclass
class TableRow:
    """One loss of the table: its label, formula, variables and an entry per kind."""

    loss: str
    formula: str
    variables: list[str]
    entries: dict[str, TableEntry] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"loss": self.loss, "formula": self.formula, "variables": self.variables,
                **{kind: entry.to_json() for kind, entry in self.entries.items()}}


@dataclass
class LossTable(Result):
    """The common losses × {convex, smooth}: exponent sets and best constants, all computed."""

    json_kind = "bregman-table"
    rows: list[TableRow]
    seconds: float
    notes: list[str] = field(default_factory=lambda: [RECONSTRUCTION_NOTE])
    #: losses not computed: the table's time budget was spent before them
    skipped: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """``holds`` when every loss was computed and every exponent set and decision in the table is decided,
        else ``undecided``."""
        if self.skipped:
            return "undecided"
        for row in self.rows:
            for entry in row.entries.values():
                decisions = [entry.at_two] + ([entry.natural] if entry.natural is not None else [])
                if entry.exponents.undecided or any(d.verdict == "undecided" for d in decisions):
                    return "undecided"
        return "holds"

    def markdown(self) -> str:
        header = ("| loss | F | H(φ)-convex for p ∈ | c_φ at p = 2 | H(Φ)-smooth for q ∈ | c_Φ at q = 2 | "
                  "natural exponent |")
        lines = [header, "|" + "---|" * 7]
        for row in self.rows:
            convex, smooth = row.entries["convex"], row.entries["smooth"]
            natural = "—"
            if convex.natural is not None and smooth.natural is not None:
                natural = (f"p = {sp.sstr(convex.natural.p)}: convex {constant_summary(convex.natural)}, "
                           f"smooth {constant_summary(smooth.natural)}")
            cells = [row.loss, row.formula, exponent_set_text(convex.exponents), constant_summary(convex.at_two),
                     exponent_set_text(smooth.exponents), constant_summary(smooth.at_two), natural]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        return "\n".join(lines)

    def report(self) -> str:
        skipped = ([f"not computed (the table's time budget was spent): {', '.join(self.skipped)}", ""]
                   if self.skipped else [])
        return "\n".join(["Bregman conditions of the common losses (computed; " + RECONSTRUCTION_NOTE + ")", "",
                          self.markdown(), "", *skipped, f"({self.seconds:.1f} s; every entry is a decision of the "
                          "package: `dlnsmooth bregman LOSS --convex P | --smooth Q` shows its route)"])

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "rows": [row.to_json() for row in self.rows], "notes": list(self.notes),
                "skipped": list(self.skipped), "seconds": round(self.seconds, 3)}


def common_losses_table(names: Sequence[str] | None = None, *, time_budget: float = DEFAULT_TABLE_BUDGET) -> LossTable:
    """The table for the registered losses ``names`` (default: all, with their default parameters).

    ``time_budget`` is the budget of the whole table: each decision and exponent set gets what is left, at most
    :data:`DECISION_BUDGET`; a loss reached after the budget is spent is not computed (``skipped``, and the
    table's verdict is ``undecided``)."""
    start = time.perf_counter()
    deadline = start + time_budget
    rows, skipped = [], []

    def left() -> float:
        return min(DECISION_BUDGET, deadline - time.perf_counter())

    for name in names if names is not None else list(LOSSES):
        loss = resolve_loss(name)
        if left() <= 0:
            skipped.append(loss.label)
            continue
        row = TableRow(loss.label, loss.instance.loss.formula if loss.instance else sp.sstr(loss.expr),
                       loss.variable_names)
        natural = loss.instance.natural_exponent if loss.instance is not None else None
        for kind in KINDS:
            exponents = loss_exponents(loss, kind=kind, time_budget=max(left(), 0.1))
            at_two = decide_loss(loss, kind=kind, p=2, time_budget=max(left(), 0.1), progress=False)
            extra = (decide_loss(loss, kind=kind, p=natural, time_budget=max(left(), 0.1), progress=False)
                     if natural is not None and natural != 2 else None)
            row.entries[kind] = TableEntry(kind, exponents, at_two, extra)
        rows.append(row)
    return LossTable(rows, time.perf_counter() - start, skipped=skipped)
