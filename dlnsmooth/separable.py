"""The exact decision for separable sums f(x) = Σ_i g_i(x_i) + c (SPEC §3, separable sums).

**Detection** (:func:`separable_split`). The top-level terms of f are grouped by their free
symbols; a term in several variables is expanded (SymPy's ``expand``, under a time budget)
and its pieces are grouped again. f is separable when every piece depends on at most one
variable and at least two variables carry a non-constant part; the split is exact by
construction (f is the sum of the groups and the constant). A function of one effective
variable, or a sum with a mixed term (``x*y``, ``exp(x + y)``), is *not* separable here.

**Mathematics.** For a separable f the Hessian is diagonal,
∇²f = diag(g_1″(x_1), …, g_n″(x_n)), so in the **spectral norm**
‖∇²f(x)‖₂ = max_i |g_i″(x_i)|, and ‖∇f(x)‖ ≥ |g_i′(x_i)| for every i. Hence, for ρ ≥ 0
(0^0 = 1):

* if every g_i satisfies |g_i″| ≤ C0_i + C1_i |g_i′|^ρ on R, then
  ‖∇²f‖₂ ≤ max_i C0_i + (max_i C1_i) ‖∇f‖^ρ on Rⁿ — f **holds** with
  (C0, C1) = (max C0_i, max C1_i) in the spectral norm (the Frobenius norm
  ‖∇²f‖_F = (Σ g_i″²)^½ would need a factor √k, k the number of terms);
* if some g_i is not ρ-order, f is not either: along x_i = x_i(t) (the term's refuting curve)
  with the other coordinates fixed (at 0, or at 1, −1, 1/2 where g_j is not defined at 0),
  ‖∇²f‖ and ‖∇f‖ differ from |g_i″|, |g_i′| by bounded amounts. The refutation is certified
  on the **full** f along that curve
  (:func:`~dlnsmooth.certificate.certify_curve`: symbolic limit and numeric table);
* otherwise the verdict is ``undecided``, naming the term that was not decided.

Each term is decided by :func:`dlnsmooth.univariate.decide_univariate` with its share of the
time budget. Constants are printed beside ``holds`` only when every term's constants are
proved on all of R; otherwise ``holds`` comes without constants.

**Every ρ** (``rho=None``): the set of ρ for which f is ρ-order is exactly the intersection of
the terms' sets (by the two bullets above). The claim "f is ρ-order exactly for that set"
holds when every term's set is decided; a threshold (or "no ρ") is additionally certified on
the full f along the deciding term's curve. :attr:`SeparableDecision.every_rho_verdict` answers
"is ∇f ρ-order for some ρ ≥ 0?" (``dlnsmooth check --every-rho``) as the univariate decision
does: ``refuted`` (the set is proved empty, certified for every ρ on the full f), ``holds`` (proved
non-empty), ``undecided`` otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from .budget import run_with_budget
from .certificate import Certificate, certify_curve
from .curves import Curve
from .errors import DlnsmoothError
from .numbers import compare, parse_rho
from .objective import Objective
from .progress import progress_bar
from .results import Result, Verdict, json_value
from .univariate import AnswerSet, AnswerSetClaim, UnivariateDecision, decide_univariate

__all__ = [
    "SeparableSplit",
    "TermDecision",
    "SeparableDecision",
    "separable_split",
    "decide_separable",
    "intersect_answer_sets",
    "EXPAND_BUDGET",
]

#: Seconds for SymPy's expansion of one mixed term during detection.
EXPAND_BUDGET = 5.0
#: Mixed terms with more operations than this are not expanded (the sum is then not detected).
_EXPAND_MAX_OPS = 400
#: Seconds a term's decision needs at least; with less left the term is not attempted.
_MIN_TERM_SECONDS = 1.0
#: Values tried, in order, for the coordinates fixed along a refuting curve.
_ANCHORS = (sp.Integer(0), sp.Integer(1), sp.Integer(-1), sp.Rational(1, 2))
#: Seconds per symbolic computation in the certificates on the full f (capped by the budget left).
_CERTIFICATE_LIMIT_BUDGET = 10.0


# -- detection ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeparableSplit:
    """f = Σ_i g_i(x_i) + constant: ``terms`` pairs each effective variable with its g_i, in the
    order of the objective's variables; variables absent from f have no term."""

    objective: Objective
    terms: tuple[tuple[sp.Symbol, sp.Expr], ...]
    constant: sp.Expr

    def text(self) -> str:
        parts = [f"g_{x.name}({x.name}) = {sp.sstr(g)}" for x, g in self.terms]
        if self.constant != 0:
            parts.append(f"constant {sp.sstr(self.constant)}")
        return "; ".join(parts)

    def to_json(self) -> dict:
        return {"terms": [{"variable": x.name, "expression": sp.sstr(g)} for x, g in self.terms],
                "constant": sp.sstr(self.constant)}


def _expanded_pieces(term: sp.Expr) -> tuple[sp.Expr, ...] | None:
    """The additive pieces of ``term`` after SymPy's ``expand`` (under a budget), None when the
    expansion is too large or does not finish."""
    if sp.count_ops(term) > _EXPAND_MAX_OPS:
        return None
    outcome = run_with_budget(sp.expand, term, seconds=EXPAND_BUDGET)
    if not outcome.ok:
        return None
    return sp.Add.make_args(outcome.value)


def separable_split(objective: Objective) -> SeparableSplit | None:
    """The split f = Σ g_i(x_i) + c of a separable objective in at least two effective variables,
    or None (not separable, a single effective variable, or not a plain :class:`Objective`:
    structured objectives such as networks are not split)."""
    if type(objective) is not Objective or objective.n < 2:
        return None
    pieces = list(sp.Add.make_args(objective.expr))
    mixed = [p for p in pieces if len(p.free_symbols) > 1]
    if mixed:
        expanded = _expanded_pieces(sp.Add(*mixed))
        if expanded is None:
            return None
        pieces = [p for p in pieces if len(p.free_symbols) <= 1] + list(expanded)
    groups: dict[sp.Symbol, list[sp.Expr]] = {v: [] for v in objective.variables}
    constant: list[sp.Expr] = []
    for piece in pieces:
        symbols = piece.free_symbols
        if len(symbols) > 1:
            return None
        if symbols:
            groups[next(iter(symbols))].append(piece)
        else:
            constant.append(piece)
    terms = tuple((v, sp.Add(*groups[v])) for v in objective.variables if groups[v])
    terms = tuple((v, g) for v, g in terms if g.free_symbols)
    if len(terms) < 2:
        return None
    return SeparableSplit(objective, terms, sp.Add(*constant))


# -- answer sets -------------------------------------------------------------------------------------
def intersect_answer_sets(sets: list[AnswerSet]) -> AnswerSet:
    """The intersection of decided answer sets (every, at-least c, greater-than c, never); undecided
    when one of them is undecided (what fails below is kept)."""
    if any(s.kind == "never" for s in sets):
        return AnswerSet("never", reason="a term is ρ-order for no ρ")
    undecided = [s for s in sets if s.kind == "undecided"]
    thresholds = [s for s in sets if s.kind in ("at-least", "greater-than")]
    top = None
    for s in thresholds:
        if top is None or compare(s.threshold, top) > 0:
            top = s.threshold
    if undecided:
        known = [v for v in ([top] if top is not None else []) + [s.fails_below for s in undecided] if v is not None]
        below = None
        for value in known:
            if below is None or value == sp.oo or (below != sp.oo and compare(value, below) > 0):
                below = value
        return AnswerSet("undecided", top, None, "a term's answer set is undecided", fails_below=below)
    if top is None:
        return AnswerSet("every", sp.Integer(0), True, "every term is ρ-order for every ρ ≥ 0")
    deciding = [s for s in thresholds if compare(s.threshold, top) == 0]
    included = all(s.kind == "at-least" for s in deciding)
    return AnswerSet("at-least" if included else "greater-than", top, included,
                     f"the largest term threshold {sp.sstr(top)}, {'included' if included else 'excluded'}")


# -- results -----------------------------------------------------------------------------------------
@dataclass
class TermDecision:
    """One term g_i(x_i) and its univariate decision (None when it was not attempted: ``note`` says why)."""

    variable: sp.Symbol
    expression: sp.Expr
    decision: UnivariateDecision | None
    note: str = ""

    @property
    def verdict(self) -> Verdict:
        return self.decision.verdict if self.decision is not None else "undecided"

    @property
    def decided(self) -> bool:
        """The term's decision reached a verdict (at ρ) or a decided answer set (every ρ)."""
        return self.decision is not None and self.decision.decided

    @property
    def proved_constants(self) -> tuple[sp.Expr, sp.Expr] | None:
        """(C0_i, C1_i) when the term holds with constants proved on all of R."""
        constants = None if self.decision is None else self.decision.constants
        if self.verdict != "holds" or constants is None or not constants.certified:
            return None
        return constants.C0, constants.C1

    def label(self) -> str:
        return f"g_{self.variable.name}({self.variable.name}) = {sp.sstr(self.expression)}"

    def lines(self, rho: sp.Rational | None) -> list[str]:
        d = self.decision
        if d is None:
            return [f"{self.label()}: UNDECIDED — {self.note}"]
        head = f"{self.label()}: {d.verdict.upper()} — {d.reason}"
        out = [head] if rho is not None else [f"{self.label()}: ρ-order for {d.answer.text()} ({d.verdict})"]
        if rho is not None and d.verdict == "holds":
            out += [f"  {i}. {step}" for i, step in enumerate(d.proof, 1)]
            if d.constants is not None:
                out += [f"  {'constants: ' if i == 0 else '           '}{line}"
                        for i, line in enumerate(d.constants.lines())]
        out += [f"  note: {n}" for n in ([self.note] if self.note else []) + list(d.notes)]
        return out

    def to_json(self) -> dict:
        return {"variable": self.variable.name, "expression": sp.sstr(self.expression), "verdict": self.verdict,
                "note": self.note, "decision": None if self.decision is None else self.decision.to_json()}


@dataclass
class SeparableDecision(AnswerSetClaim, Result):
    """The outcome of :func:`decide_separable` (module docstring).

    With ``rho``: ``verdict`` on "∇f is ρ-order Lipschitz for this ρ" — ``holds`` (every term
    holds; ``constants`` = (max C0_i, max C1_i) in the spectral norm when every term's constants
    are proved on R, else None), ``refuted`` (``certificate`` on the full f) or ``undecided``.
    Without: ``answer`` is the intersection of the terms' sets and ``verdict`` is on "∇f is
    ρ-order exactly for ρ in ``answer``"; :attr:`every_rho_verdict` answers "no ρ works"."""

    json_kind = "separable"

    objective: Objective
    split: SeparableSplit
    rho: sp.Rational | None
    verdict: Verdict
    reason: str
    terms: list[TermDecision]
    answer: AnswerSet | None = None
    constants: tuple[sp.Expr, sp.Expr] | None = None
    certificate: Certificate | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    time_budget: float = 60.0
    norm: str = "spectral"

    @property
    def every_rho_verdict(self) -> Verdict:
        """For the question "is ∇f ρ-order Lipschitz for some ρ ≥ 0?" (``check --every-rho``), as
        :attr:`dlnsmooth.univariate.UnivariateDecision.every_rho_verdict`: ``refuted`` when the
        answer set is proved empty (every ρ refuted, certified on the full f), ``holds`` when it is
        proved non-empty (:attr:`every_rho_holds_for` says for which ρ), ``undecided`` otherwise."""
        if self.answer is None or self.verdict != "holds":
            return "undecided"
        return "refuted" if self.answer.kind == "never" else "holds"

    def report(self) -> str:
        lines = [f"Separable decision: {self.objective.describe()}",
                 f"  split: {self.split.text()}",
                 "  ∇²f = diag(g_i″(x_i)): ‖∇²f‖₂ = max_i |g_i″(x_i)| (spectral norm) and ‖∇f‖ ≥ |g_i′(x_i)|, so "
                 "(C0, C1) = (max C0_i, max C1_i) for ρ ≥ 0 (Frobenius would need a factor √k); one term that "
                 "fails makes f fail (the other coordinates fixed)",
                 "Terms:"]
        for term in self.terms:
            lines += [f"  {line}" for line in term.lines(self.rho)]
        if self.answer is not None:
            lines.append(f"Answer: ∇f is ρ-order Lipschitz for {self.answer.text()}"
                         + (f" — {self.answer.reason}" if self.answer.reason else ""))
        if self.constants is not None:
            lines.append(f"Constants (proved on all of Rⁿ, spectral norm): C0 = {sp.sstr(self.constants[0])}, "
                         f"C1 = {sp.sstr(self.constants[1])}: ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ on all of Rⁿ")
        if self.certificate is not None:
            lines.append("Certificate on the full f:")
            lines += [f"  {line}" for line in self.certificate.report().splitlines()]
        lines += [f"Note: {note}" for note in self.notes]
        lines.append(f"Claim: {self.claim}")
        lines.append(f"Verdict: {self.verdict.upper()} — {self.reason}  ({self.seconds:.1f} s of a "
                     f"{self.time_budget:g} s budget)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "claim": self.claim,
            "reason": self.reason,
            "objective": self.objective.to_json(),
            "rho": None if self.rho is None else sp.sstr(self.rho),
            "split": self.split.to_json(),
            "norm": self.norm,
            "terms": [t.to_json() for t in self.terms],
            "answer": None if self.answer is None else self.answer.to_json(),
            "every_rho_verdict": self.every_rho_verdict if self.rho is None else None,
            "constants": None if self.constants is None else {"C0": json_value(self.constants[0]),
                                                              "C1": json_value(self.constants[1]),
                                                              "proved": True, "norm": self.norm},
            "certificate": None if self.certificate is None else self.certificate.to_json(),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
            "time_budget": self.time_budget,
        }


# -- the procedure -----------------------------------------------------------------------------------
class _Clock:
    """The wall-clock budget of one decision."""

    def __init__(self, time_budget: float):
        self.start = time.perf_counter()
        self.deadline = self.start + time_budget

    @property
    def remaining(self) -> float:
        return self.deadline - time.perf_counter()

    def share(self, parts: int) -> float:
        return self.remaining / max(1, parts)


def _decide_term(variable: sp.Symbol, expression: sp.Expr, rho: sp.Rational | None, seconds: float) -> TermDecision:
    """g_i by the univariate procedure within ``seconds``; an input the procedure refuses (not C²
    on R) or an exhausted budget leaves the term undecided, saying why."""
    if seconds < _MIN_TERM_SECONDS:
        return TermDecision(variable, expression, None, "not attempted: the time budget was spent")
    term = Objective(expression, [variable], name=f"g_{variable.name}")
    try:
        decision = decide_univariate(term, rho=rho, time_budget=seconds, progress=False)
    except DlnsmoothError as exc:
        return TermDecision(variable, expression, None, f"the univariate procedure does not apply: {exc}")
    return TermDecision(variable, expression, decision)


def _anchor(split: SeparableSplit, variable: sp.Symbol) -> sp.Rational:
    """Where a coordinate other than the failing one is fixed: the first of 0, 1, −1, 1/2 at which
    its term g_j is real (0 when g_j has no term or is real nowhere among them)."""
    expression = dict(split.terms).get(variable)
    if expression is None:
        return sp.Integer(0)
    term = Objective(expression, [variable])
    for value in _ANCHORS:
        try:
            term.value([value], 30)
        except (DlnsmoothError, ValueError, ZeroDivisionError, ArithmeticError):
            continue
        return value
    return sp.Integer(0)


def _embedded_curve(split: SeparableSplit, variable: sp.Symbol, curve: Curve) -> Curve:
    """The term's curve x_i = x_i(t) in Rⁿ, every other coordinate fixed (:func:`_anchor`, usually 0)."""
    coordinates = [curve.coordinates[0] if v == variable else _anchor(split, v) for v in split.objective.variables]
    return Curve(split.objective.variables, coordinates, curve.parameter)


def _certify_full(decision: SeparableDecision, term: TermDecision, clock: _Clock, *, rho: sp.Rational | None,
                  claim: str) -> Certificate | None:
    """The term's certificate curve, embedded, certified on the full f (None without a curve, without
    time, or when the certificate cannot be computed: a note says why)."""
    certificate = term.decision.certificate if term.decision is not None else None
    if certificate is None or clock.remaining < _MIN_TERM_SECONDS:
        return None
    curve = _embedded_curve(decision.split, term.variable, certificate.curve)
    budget = max(1.0, min(_CERTIFICATE_LIMIT_BUDGET, clock.remaining / 4))
    try:
        return certify_curve(decision.objective, curve, rho=rho, every_rho=rho is None, limit_budget=budget,
                             progress=False, claim=claim)
    except DlnsmoothError as exc:
        decision.notes.append(f"the certificate on the full f along {curve.describe()} could not be computed: {exc}")
        return None


def _decide_at_rho(decision: SeparableDecision, clock: _Clock, step: Callable[[], None]) -> None:
    """holds (every term holds), refuted (a term refuted and certified on f), or undecided."""
    split, rho = decision.split, decision.rho
    for index, (variable, expression) in enumerate(split.terms):
        term = _decide_term(variable, expression, rho, clock.share(len(split.terms) - index))
        decision.terms.append(term)
        step()
        if term.verdict == "refuted":
            _refute(decision, term, clock)
            return
    undecided = [t for t in decision.terms if t.verdict != "holds"]
    if undecided:
        decision.verdict = "undecided"
        decision.reason = "not every term is decided: " + "; ".join(
            f"{t.label()} is {t.verdict} ({t.note or t.decision.reason})" for t in undecided)
        return
    decision.verdict = "holds"
    constants = [t.proved_constants for t in decision.terms]
    if all(c is not None for c in constants):
        decision.constants = (_largest([c[0] for c in constants]), _largest([c[1] for c in constants]))
        decision.reason = (f"every term is ρ-order for ρ = {sp.sstr(rho)} with constants proved on R, so f is with "
                           f"C0 = {sp.sstr(decision.constants[0])}, C1 = {sp.sstr(decision.constants[1])} "
                           "(maxima over the terms; spectral norm)")
    else:
        missing = [t.label() for t, c in zip(decision.terms, constants) if c is None]
        decision.reason = (f"every term is ρ-order for ρ = {sp.sstr(rho)}, so f is (the max of the terms' constants "
                           f"works); no constants are given: those of {', '.join(missing)} are not proved")


def _refute(decision: SeparableDecision, term: TermDecision, clock: _Clock) -> None:
    rho = decision.rho
    certificate = _certify_full(decision, term, clock, rho=rho,
                                claim=f"∇f is not ρ-order Lipschitz for ρ = {sp.sstr(rho)} (the term "
                                      f"{term.label()} fails; the other coordinates fixed)")
    decision.certificate = certificate
    if certificate is not None and certificate.verdict == "refuted":
        decision.verdict = "refuted"
        decision.reason = (f"the term {term.label()} is not ρ-order for ρ = {sp.sstr(rho)}; certified on the full f "
                           f"along {certificate.curve.describe()}")
        return
    decision.verdict = "undecided"
    what = "no time was left" if certificate is None else f"it is {certificate.verdict}: {certificate.reason}"
    decision.reason = (f"the term {term.label()} is refuted for ρ = {sp.sstr(rho)}, but the certificate on the full f "
                       f"was not obtained ({what})")


def _decide_every_rho(decision: SeparableDecision, clock: _Clock, step: Callable[[], None]) -> None:
    """The intersection of the terms' answer sets; a threshold or "never" certified on the full f."""
    split = decision.split
    for index, (variable, expression) in enumerate(split.terms):
        decision.terms.append(_decide_term(variable, expression, None, clock.share(len(split.terms) - index)))
        step()
    undecided = [t for t in decision.terms if not t.decided]
    if any(t.decided and t.decision.answer.kind == "never" for t in decision.terms):
        decision.answer = AnswerSet("never", reason="a term is ρ-order for no ρ (decided)")
        _certify_answer(decision, clock)
        return
    sets = [t.decision.answer if t.decision is not None else AnswerSet("undecided") for t in decision.terms]
    decision.answer = intersect_answer_sets(sets)
    if undecided:
        decision.verdict = "undecided"
        decision.reason = "not every term's answer set is decided: " + "; ".join(
            f"{t.label()} ({t.note or t.decision.reason})" for t in undecided)
        if decision.answer.kind != "undecided":
            decision.answer = AnswerSet("undecided", decision.answer.threshold, None, decision.reason,
                                        fails_below=decision.answer.threshold if decision.answer.kind != "never"
                                        else sp.oo)
        return
    if decision.answer.kind == "every":
        decision.verdict = "holds"
        decision.reason = "every term is ρ-order for every ρ ≥ 0, hence so is f"
        return
    _certify_answer(decision, clock)


def _deciding_term(decision: SeparableDecision) -> TermDecision:
    answer = decision.answer
    for term in decision.terms:
        if not term.decided:
            continue
        own = term.decision.answer
        if answer.kind == "never" and own.kind == "never":
            return term
        if answer.kind != "never" and own.kind == answer.kind and compare(own.threshold, answer.threshold) == 0:
            return term
    raise AssertionError("the intersection comes from one of the terms")  # pragma: no cover


def _certify_answer(decision: SeparableDecision, clock: _Clock) -> None:
    """The deciding term's curve, certified on the full f for every ρ, must give the same
    critical exponent (∞ and a refutation of every ρ for "never")."""
    answer = decision.answer
    term = _deciding_term(decision)
    certificate = _certify_full(decision, term, clock, rho=None,
                                claim=f"the term {term.label()} decides the answer set ({answer.text()})")
    decision.certificate = certificate
    if certificate is None:
        agrees = False
    elif answer.kind == "never":
        agrees = certificate.verdict == "refuted"
    else:
        agrees = certificate.critical_exponent is not None and \
            compare(certificate.critical_exponent, answer.threshold) == 0
    if not agrees:
        decision.verdict = "undecided"
        decision.reason = (f"the terms give {answer.text()}, but the certificate on the full f along the curve of "
                           f"{term.label()} does not confirm it")
        decision.answer = AnswerSet("undecided", answer.threshold, None, decision.reason)
        return
    decision.verdict = "holds"
    decision.reason = (f"∇f is ρ-order Lipschitz exactly for {answer.text()}: the intersection of the terms' sets, "
                       f"decided by {term.label()} and certified on the full f along {certificate.curve.describe()}")


def _largest(values: list[sp.Expr]) -> sp.Expr:
    top = values[0]
    for value in values[1:]:
        if compare(value, top) > 0:
            top = value
    return top


def decide_separable(
    objective: Objective,
    rho: object = None,
    *,
    time_budget: float = 60.0,
    progress: bool | None = None,
    split: SeparableSplit | None = None,
) -> SeparableDecision:
    """Decide ρ-order Lipschitz continuity of ∇f for a separable f = Σ g_i(x_i) + c (module docstring).

    With ``rho`` the verdict is ``holds`` (with (max C0_i, max C1_i) in the spectral norm when every
    term's constants are proved on R), ``refuted`` (certificate on the full f) or ``undecided``;
    without, the answer set is decided (``every_rho_verdict`` answers "no ρ works"). The terms share
    ``time_budget`` seconds. ``split``: the result of :func:`separable_split` when already computed.
    Raises ValueError when f is not separable.
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    rho_value = None if rho is None else parse_rho(rho)
    if not time_budget > 0:
        raise ValueError(f"time_budget must be a positive number of seconds, got {time_budget}")
    clock = _Clock(float(time_budget))
    split = split if split is not None and split.objective is objective else separable_split(objective)
    if split is None:
        raise ValueError(f"{objective.describe()} is not a separable sum of at least two one-variable terms")
    decision = SeparableDecision(objective, split, rho_value, "undecided", "", [], time_budget=float(time_budget))
    bar = progress_bar(progress, "separable decision", total=len(split.terms))

    def step() -> None:
        if bar is not None:
            bar.update()

    try:
        if rho_value is None:
            _decide_every_rho(decision, clock, step)
        else:
            _decide_at_rho(decision, clock, step)
    finally:
        if bar is not None:
            bar.close()
    decision.seconds = time.perf_counter() - clock.start
    return decision
