"""Certificates: does ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ along a curve?

By Propositions 5 and 1 (SPEC §2, refutation recipe), a curve x(t) along
which ``‖∇²f(x(t))‖ / (1 + ‖∇f(x(t))‖^ρ) → ∞`` proves that ∇f is neither
ρ-order nor ρ-integrated Lipschitz for that ρ; if ‖∇f‖ stays bounded while
‖∇²f‖ → ∞, it proves this for every ρ ≥ 0 at once.

The certificate works with the Frobenius norm. Since
``‖H‖₂ ≥ ‖H‖_F / √n`` in dimension n, the ratio diverges in the spectral
norm of the definitions exactly when it diverges in the Frobenius norm.

Verdicts, from two independent kinds of evidence:

``refuted``
    the symbolic limit is +∞ (resp. ‖∇f‖ has a finite limit or bounds and
    ‖∇²f‖_F² → ∞) *and* the confirmed numeric table agrees;
``not refuted``
    the symbolic limit is finite or the ratio provably stays within finite
    bounds (resp. ‖∇f‖ → ∞ or ‖∇²f‖ stays bounded) and the table agrees: the
    curve proves nothing — this is not a proof that the condition holds;
``undecided``
    SymPy gave up within its budget, or the two kinds of evidence disagree, or the
    numeric table disagrees with the exact closed form of the same quantities
    (:class:`~dlnsmooth.evidence.ClosedFormCheck`: one of the two computations is wrong), or
    the certificate's time budget ran out before it was complete (``budget_spent`` says what
    was left). The numeric trend is reported, but a finite table proves no limit.

For every ρ at once, a curve along which ‖∇f‖ → ∞ still refutes every ρ when
``log‖∇²f‖_F / log‖∇f‖ → ∞`` (ρ* = ∞): then ``‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞`` for each ρ.

``holds`` is never produced from a single curve.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from .budget import DEFAULT_LIMIT_BUDGET
from .curves import Curve, GrowthExponents, Restriction
from .evidence import (
    ClosedFormCheck,
    Evidence,
    Growth,
    NumericTable,
    SymbolicIdentity,
    SymbolicLimit,
    SymbolicRestriction,
    closed_form_check,
    numeric_table,
    spectral_bounds,
)
from .limits import LimitOutcome
from .norms import Norm
from .numbers import rho_target
from .objective import Objective
from .parsing import bounded_latex
from .precision import DEFAULT_DPS, MAX_DPS
from .progress import progress_bar
from .results import Result, Verdict, json_value

__all__ = ["Certificate", "certify_curve", "DEFAULT_TIME_BUDGET"]

_RATIO = "‖∇²f‖_F/(1 + ‖∇f‖^ρ)"
# fewest confirmed table rows that can corroborate a limit
_MIN_ROWS = 3
# up to this many variables a vanishing gradient is shown component by component
_SHOWN_COMPONENTS = 16


@dataclass
class Certificate(Result):
    """A verdict about a claim along a curve, with the evidence that produced it."""

    claim: str
    objective: Objective
    curve: Curve
    rho: sp.Rational | None
    every_rho: bool
    verdict: Verdict
    reason: str
    evidence: list[Evidence]
    growth: GrowthExponents
    critical_exponent: sp.Expr | None
    norm: Norm = Norm.FROBENIUS
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    latex_expressions: dict[str, str] = field(default_factory=dict)
    #: the numeric table compared with the exact closed form (None for certificates built elsewhere)
    closed_form: ClosedFormCheck | None = None
    #: what the time budget left undone (None when the certificate was complete)
    budget_spent: str | None = None
    time_budget: float | None = None

    json_kind = "certificate"

    @property
    def closed_form_agrees(self) -> bool | None:
        """False when a table row disagrees with the exact closed form; None when none was compared."""
        return None if self.closed_form is None else self.closed_form.passed

    @property
    def undecided_rows(self) -> int:
        """Table rows whose values could not be resolved (see :class:`~dlnsmooth.evidence.NumericTable`)."""
        return sum(len(t.undecided_rows()) for t in self.find("numeric-table"))

    @property
    def evidence_kinds(self) -> list[str]:
        return [e.kind for e in self.evidence]

    def find(self, kind: str) -> list[Evidence]:
        return [e for e in self.evidence if e.kind == kind]

    # -- output ---------------------------------------------------------------------------
    def report(self) -> str:
        """A readable multi-line report."""
        rho = "every ρ ≥ 0" if self.every_rho else f"ρ = {sp.sstr(self.rho)}"
        lines = [
            f"Claim: {self.claim}",
            f"  objective: {self.objective.describe()}",
            f"  curve:     {self.curve.summary()}   ({self.curve.parameter.name} → ∞)",
            f"  exponent:  {rho}",
            "  norm:      Frobenius ‖∇²f‖_F for the Hessian, Euclidean for ∇f "
            "(‖H‖₂ ≥ ‖H‖_F/√n, so divergence holds in the spectral norm too)",
            "Evidence:",
        ]
        for index, item in enumerate(self.evidence, 1):
            body = item.lines()
            lines.append(f"  {index}. [{item.kind}] {body[0]}")
            lines.extend(f"     {line}" for line in body[1:])
        for note in self.notes:
            lines.append(f"Note: {note}")
        lines.append(f"Verdict: {self.verdict.upper()} — {self.reason}  ({self.seconds:.1f} s)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        """A JSON-serialisable dictionary (see the README for the fields)."""
        return {
            "verdict": self.verdict,
            "claim": self.claim,
            "reason": self.reason,
            "objective": self.objective.to_json(),
            "rho": None if self.every_rho else sp.sstr(self.rho),
            "every_rho": self.every_rho,
            "norm": self.norm.value,
            "curve": self.curve.to_json(),
            "evidence": [e.to_json() for e in self.evidence],
            "evidence_kinds": self.evidence_kinds,
            "critical_exponent": json_value(self.critical_exponent),
            "growth_exponents": {"grad": json_value(self.growth.grad_exponent), "hess": json_value(self.growth.hess_exponent),
                                 "source": self.growth.source},
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
            "time_budget": self.time_budget,
            "budget_spent": self.budget_spent,
            "closed_form_agrees": self.closed_form_agrees,
            "undecided_rows": self.undecided_rows,
            "latex": dict(self.latex_expressions),
        }

    def latex(self) -> dict[str, str]:
        """Key expressions in LaTeX: f, the curve, ‖∇f‖², ‖∇²f‖_F², the ratio and its limit."""
        return dict(self.latex_expressions)


def _default_claim(rho: sp.Rational | None, every_rho: bool) -> str:
    if every_rho:
        return "∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ ≥ 0"
    return f"∇f is neither ρ-order nor ρ-integrated Lipschitz for ρ = {sp.sstr(rho)}"


def _progress(enabled: bool | None, label: str) -> Callable | None:
    """A wrapper putting a progress bar around an iterable of table rows, or None."""
    if progress_bar(enabled, label) is None:
        return None
    return lambda iterable: progress_bar(enabled, label, unit="row", iterable=iterable)


#: Default wall-clock budget, in seconds, of one certificate.
DEFAULT_TIME_BUDGET = 60.0


def certify_curve(
    objective: Objective,
    curve: Curve,
    *,
    rho: object = None,
    every_rho: bool = False,
    decades: int = 30,
    digits: int = 15,
    limit_budget: float | None = DEFAULT_LIMIT_BUDGET,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    base_dps: int = DEFAULT_DPS,
    max_dps: int = MAX_DPS,
    claim: str | None = None,
    progress: bool | None = None,
    extra_evidence: list[Evidence] | None = None,
) -> Certificate:
    """Decide whether ``‖∇²f‖_F/(1 + ‖∇f‖^ρ) → ∞`` along ``curve`` (see the module docstring).

    Exactly one of ``rho`` (a number ≥ 0) and ``every_rho=True`` must be given.
    ``decades`` rows t = 10¹ … 10^decades; ``digits`` confirmed digits per
    value; ``limit_budget`` seconds per symbolic computation; ``time_budget`` seconds for the
    whole certificate (None: no overall budget): every symbolic limit gets at most what is left
    of it, the table's precision escalation stops at it and the rows after it are not computed;
    a certificate cut short by it is ``undecided`` and says what was left.
    """
    rho_value = _validate(objective, curve, rho, every_rho)
    if time_budget is not None and not time_budget > 0:
        raise ValueError(f"a time budget must be a positive number of seconds, got {time_budget}")
    start = time.perf_counter()
    deadline = None if time_budget is None else start + time_budget
    restriction = Restriction(objective, curve, limit_budget=limit_budget, deadline=deadline)
    evidence: list[Evidence] = list(extra_evidence or []) + _exact_facts(restriction)
    notes = ([f"restricted symbolically: the exact structured route does not apply ({restriction.route_note})"]
             if restriction.route_note else [])
    limits = _Limits.compute(restriction, rho_value)
    evidence += limits.evidence()
    table = numeric_table(restriction, limits.table_rho, decades=decades, digits=digits, base_dps=base_dps,
                          max_dps=max_dps, progress=_progress(progress, "numeric table"), deadline=deadline)
    evidence.append(table)
    closed_form = closed_form_check(restriction, table, deadline=deadline, max_dps=max_dps)
    evidence.append(closed_form)
    notes += _table_notes(table, max_dps, every_rho)
    spectral = None
    if deadline is None or time.perf_counter() < deadline:
        spectral = spectral_bounds(restriction, sorted({1, (decades + 1) // 2, decades}), digits=digits,
                                   base_dps=base_dps, max_dps=max_dps)
    if spectral is not None:
        evidence.append(spectral)
    growth = restriction.growth_exponents(limits.grad, limits.hess)
    growth_evidence = Growth(growth, *table.slopes(), curve.parameter.name)
    evidence.append(growth_evidence)
    verdict, reason = _verdict(restriction, limits, table, growth_evidence.critical, max_dps)
    verdict, reason = _checked_verdict(verdict, reason, closed_form, limits, table, time_budget)
    certificate = Certificate(
        claim=claim or _default_claim(rho_value, every_rho), objective=objective, curve=curve, rho=rho_value,
        every_rho=every_rho, verdict=verdict, reason=reason, evidence=evidence, growth=growth,
        critical_exponent=growth_evidence.critical, notes=notes, seconds=time.perf_counter() - start,
        closed_form=closed_form, budget_spent=_budget_spent(limits, table), time_budget=time_budget)
    certificate.latex_expressions = _latex(objective, curve, restriction, rho_value, evidence)
    return certificate


def _budget_spent(limits: _Limits, table: NumericTable) -> str | None:
    """What the time budget left undone among the parts a verdict needs (None: nothing)."""
    left = [f"the limit of {name}" for name, outcome in limits.outcomes()
            if outcome is not None and outcome.status == "timeout" and "time budget" in outcome.message]
    if table.stopped:
        left.append(table.stopped)
    timed_out_rows = [r.t_text for r in table.rows if r.undecided and "time budget" in r.undecided]
    if timed_out_rows:
        left.append(f"{len(timed_out_rows)} table row(s) unresolved when it ran out")
    return "; ".join(left) or None


def _checked_verdict(verdict: Verdict, reason: str, closed_form: ClosedFormCheck, limits: _Limits,
                     table: NumericTable, time_budget: float | None) -> tuple[Verdict, str]:
    """The verdict after the checks that can overrule it: a table that disagrees with the exact closed
    form certifies nothing; a certificate cut short by the time budget is undecided."""
    if closed_form.passed is False:
        return "undecided", ("the numeric table disagrees with the exact closed form of the same quantity ("
                             + closed_form.disagreements[0] + "): one of the two computations is wrong, so the "
                             "certificate certifies nothing")
    spent = _budget_spent(limits, table)
    if spent is not None:
        budget = "" if time_budget is None else f" of {time_budget:g} s"
        return "undecided", f"the time budget{budget} ran out before the certificate was complete: {spent}"
    return verdict, reason


def _validate(objective: Objective, curve: Curve, rho: object, every_rho: bool) -> sp.Rational | None:
    """ρ as an exact rational (None for every ρ), after checking the arguments."""
    rho_value = rho_target(rho, every_rho)
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    if not isinstance(curve, Curve):
        raise TypeError(f"expected a Curve, got {type(curve).__name__}")
    return rho_value


def _exact_facts(restriction: Restriction) -> list[Evidence]:
    """The restriction's exact facts: ∇f ≡ 0 when it is, and ‖∇f‖², ‖∇²f‖_F² along the curve."""
    t, n = restriction.parameter, restriction.objective.n
    facts: list[Evidence] = []
    if restriction.gradient_vanishes:
        if restriction.exact is None and n <= _SHOWN_COMPONENTS:
            facts.append(SymbolicIdentity(f"∇f(x({t})) = 0 exactly, every component",
                                          sp.Matrix(restriction.gradient).T, sp.zeros(1, n), True))
        else:  # a sum of squares of real functions vanishes identically only if every term does
            facts.append(SymbolicIdentity(f"‖∇f(x({t}))‖² ≡ 0, so all {n} components of ∇f vanish",
                                          restriction.grad_sq, sp.Integer(0), True, restriction.method))
    facts.append(SymbolicRestriction(f"‖∇f(x({t}))‖²", restriction.grad_sq, restriction.method))
    facts.append(SymbolicRestriction(f"‖∇²f(x({t}))‖_F²", restriction.hess_sq, restriction.method))
    return facts


@dataclass(frozen=True)
class _Limits:
    """The symbolic limits a verdict needs: of the ratio at ρ, or (every ρ) of ‖∇f‖² and ‖∇²f‖_F²."""

    rho: sp.Rational | None
    ratio: LimitOutcome | None = None
    grad: LimitOutcome | None = None
    hess: LimitOutcome | None = None

    @classmethod
    def compute(cls, restriction: Restriction, rho: sp.Rational | None) -> _Limits:
        if rho is None:
            return cls(None, grad=_limit_of_gradient(restriction), hess=restriction.limit(restriction.hess_sq))
        return cls(rho, ratio=restriction.limit(restriction.ratio(rho)))

    def outcomes(self) -> list[tuple[str, LimitOutcome | None]]:
        """The limits computed, with the quantity each is of."""
        if self.rho is not None:
            return [(_RATIO.replace("ρ", _exponent_text(self.rho)), self.ratio)]
        return [("‖∇f‖²", self.grad), ("‖∇²f‖_F²", self.hess)]

    @property
    def table_rho(self) -> sp.Rational:
        """The ρ of the table's ratio column (0 for every ρ: ‖∇²f‖_F/2)."""
        return sp.Integer(0) if self.rho is None else self.rho

    def evidence(self) -> list[Evidence]:
        if self.rho is not None:
            return [SymbolicLimit(_RATIO.replace("ρ", _exponent_text(self.rho)), self.ratio)]
        grad = [SymbolicLimit("‖∇f‖²", self.grad)] if self.grad is not None else []
        return grad + [SymbolicLimit("‖∇²f‖_F²", self.hess)]


def _exponent_text(rho: sp.Rational) -> str:
    return sp.sstr(rho) if rho.is_Integer else f"({sp.sstr(rho)})"


def _table_notes(table: NumericTable, max_dps: int, every_rho: bool) -> list[str]:
    notes = []
    if not table.all_confirmed:
        notes.append(f"{len(table.undecided_rows())} table row(s) are undecided (evaluation failed, or their digits "
                     f"were not resolved below {max_dps} digits or within the time budget); they are shown as "
                     "'undecided' and not used")
    if every_rho:
        notes.append("the table's ratio column uses ρ = 0, i.e. ‖∇²f‖_F/2")
    return notes


def _verdict(restriction: Restriction, limits: _Limits, table: NumericTable, critical, max_dps: int
             ) -> tuple[Verdict, str]:
    confirmed = len(table.confirmed_rows())
    if confirmed < _MIN_ROWS:
        undecided = table.undecided_rows()
        first = undecided[0] if undecided else None
        example = f" (e.g. t = {first.t_text}: {first.undecided})" if first is not None and first.undecided else ""
        return "undecided", (f"only {confirmed} of {table.requested or len(table.rows)} table rows could be confirmed"
                             f"{example}: too little numeric evidence to corroborate any limit")
    if limits.rho is None:
        return _every_rho_verdict(restriction, limits.grad, limits.hess, table, critical)
    return _rho_verdict(limits.ratio, table, limits.rho, critical)


def _limit_of_gradient(restriction: Restriction) -> LimitOutcome | None:
    if restriction.gradient_vanishes:
        return None  # identically zero: bounded exactly, no limit needed
    return restriction.limit(restriction.grad_sq)


def _gradient_bound(restriction: Restriction, outcome: LimitOutcome | None) -> tuple[bool | None, sp.Expr | None]:
    """(bounded?, bound on ‖∇f‖) from the exact restriction and the symbolic limit."""
    if restriction.gradient_vanishes:
        return True, sp.Integer(0)
    assert outcome is not None
    if outcome.kind == "finite":
        return True, sp.sqrt(outcome.value)
    if outcome.kind == "bounded":
        return True, sp.sqrt(outcome.value.max)
    if outcome.kind == "infinite":
        return False, None
    return None, None


def _every_rho_verdict(restriction, grad_limit, hess_limit, table: NumericTable, critical) -> tuple[Verdict, str]:
    bounded, bound = _gradient_bound(restriction, grad_limit)
    if bounded is None or not hess_limit.decided:
        trend = "grows" if table.supports_bounded_gradient_with_growing_hessian(None) else "does not clearly grow"
        why = "; ".join(dict.fromkeys(o.message for o in (grad_limit, hess_limit)
                                      if o is not None and not o.decided and o.message))
        return "undecided", (f"SymPy could not decide the limits ({why or 'within the budget'}); numerically "
                             f"‖∇²f‖_F {trend} over the table while a finite table proves no limit")
    if bounded and hess_limit.kind == "infinite":
        if table.supports_bounded_gradient_with_growing_hessian(bound):
            what = "∇f ≡ 0" if restriction.gradient_vanishes else f"‖∇f‖ stays bounded (≤ {sp.sstr(bound)} in the limit)"
            return "refuted", (f"{what} while ‖∇²f‖_F → ∞ along the curve, so ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ for every "
                               "ρ ≥ 0: by Props 5 and 1, ∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ")
        return "undecided", ("the symbolic limits say ‖∇f‖ bounded and ‖∇²f‖_F → ∞, but the numeric table does not "
                             "show it; the two kinds of evidence disagree")
    if not bounded and critical == sp.oo and hess_limit.kind == "infinite":
        if table.supports_faster_than_every_power():
            return "refuted", ("‖∇f‖ → ∞ along the curve, but log‖∇²f‖_F / log‖∇f‖ → ∞ (symbolic limit; the confirmed "
                               "table agrees): ‖∇²f‖_F grows faster than every power of ‖∇f‖, so "
                               "‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ for every ρ ≥ 0: by Props 5 and 1, ∇f is neither ρ-order "
                               "nor ρ-integrated Lipschitz for any ρ")
        return "undecided", ("the symbolic limits say log‖∇²f‖_F / log‖∇f‖ → ∞, but the numeric table does not show "
                             "that ratio growing; the two kinds of evidence disagree")
    if not bounded:
        extra = (f"; it refutes only ρ < ρ* = {sp.sstr(critical)}" if critical not in (None, sp.oo) else "")
        return "not refuted", f"‖∇f‖ → ∞ along the curve, so it cannot refute every ρ at once{extra}"
    return "not refuted", "‖∇²f‖_F does not tend to ∞ along the curve: the curve proves nothing"


def _rho_verdict(outcome: LimitOutcome, table: NumericTable, rho, critical) -> tuple[Verdict, str]:
    exponent = _exponent_text(rho)
    if outcome.kind == "infinite":
        if table.supports_divergence():
            return "refuted", (f"‖∇²f‖_F/(1 + ‖∇f‖^{exponent}) → ∞ along the curve (symbolic limit; the "
                               f"confirmed table grows): by Props 5 and 1, ∇f is neither ρ-order nor ρ-integrated "
                               f"Lipschitz for ρ = {sp.sstr(rho)}")
        return "undecided", ("the symbolic limit is ∞ but the numeric table does not grow to its end; "
                             "the two kinds of evidence disagree")
    if outcome.kind == "finite":
        if table.supports_limit(outcome.value):
            return "not refuted", (f"the ratio tends to {sp.sstr(outcome.value)} along the curve, so it stays bounded "
                                   "there: the curve proves nothing (this is not a proof that the condition holds)")
        return "undecided", (f"the symbolic limit is {sp.sstr(outcome.value)} but the numeric table is not yet "
                             "approaching it; the two kinds of evidence disagree")
    if outcome.kind == "bounded":
        if table.supports_bounded(outcome.value.min, outcome.value.max):
            return "not refuted", (f"the ratio stays within {sp.sstr(outcome.value)} along the curve: the curve "
                                   "proves nothing")
        return "undecided", "the symbolic bounds and the numeric table disagree"
    trend = "grows" if table.supports_divergence() else "does not clearly grow"
    return "undecided", (f"SymPy could not decide the limit ({outcome.message or outcome.status}); numerically "
                         f"the ratio {trend} "
                         "over the table, but a finite table proves no limit")


def _latex(objective, curve, restriction, rho, evidence) -> dict[str, str]:
    out = {
        "objective": objective.latex(),
        "curve": curve.latex(),
        "grad_norm_sq": rf"\|\nabla f(x({sp.latex(curve.parameter)}))\|^2 = {bounded_latex(restriction.grad_sq)}",
        "hess_norm_sq": rf"\|\nabla^2 f(x({sp.latex(curve.parameter)}))\|_F^2 = {bounded_latex(restriction.hess_sq)}",
    }
    if rho is not None:
        out["ratio"] = (rf"\frac{{\|\nabla^2 f\|_F}}{{1 + \|\nabla f\|^{{{sp.latex(rho)}}}}} = "
                        f"{bounded_latex(restriction.ratio(rho))}")
    for item in evidence:
        if isinstance(item, SymbolicLimit):
            key = "limit" if "ratio" in out and "limit" not in out else f"limit {item.quantity}"
            out[key] = item.outcome.latex()
    return out
