"""The exact decision procedure for f : R → R (SPEC §3, univariate classification).

For f ∈ C²(R), Props 5 and 6 make ρ-order (equivalently ρ-integrated)
Lipschitz continuity of f′ the same as boundedness on R of

    r_ρ(x) = |f″(x)| / (1 + |f′(x)|^ρ)        (0^0 = 1, so r_0 = |f″|/2),

and C0 = C1 = sup r_ρ are then valid constants (|f″| ≤ M(1 + |f′|^ρ)).
r_ρ is continuous on R, so it is bounded iff it stays bounded as x → +∞ and
as x → −∞. Each side is decided from symbolic limits (SymPy's Gruntz
algorithm under a time budget, :mod:`dlnsmooth.limits`) of
``G² = f′(±t)²`` and ``H² = f″(±t)²`` (squares: no Abs):

* H² has a finite limit (or finite oscillation bounds): f″ is bounded there,
  so r_ρ ≤ |f″| is bounded for every ρ ≥ 0;
* H² → ∞ while G² stays bounded: r_ρ → ∞ for every ρ — never (certified by
  :func:`~dlnsmooth.certificate.certify_curve` along x = ±t);
* H² → ∞ and G² → ∞: the side's threshold ``ρ_s = lim log H² / log G²``
  (exact). For ρ > ρ_s, log r_ρ = (ρ_s − ρ + o(1)) log|f′| → −∞; for ρ < ρ_s,
  r_ρ → ∞; at ρ = ρ_s the limit of r_ρ² decides whether ρ_s is included
  (x⁴: ρ_s = 2/3 and r → 12/4^(2/3), so "ρ ≥ 2/3");
* otherwise the side is undecided unless the discrete sequences of
  :mod:`dlnsmooth.sequences` (zeros of f′ and of f‴) give a refuting
  certificate: then it is "never" (f′ = sin(x²)).

**Oscillation.** The Gruntz algorithm assumes functions without oscillation;
on sin/cos of an unbounded argument SymPy's limits can be plainly wrong (it
returns lim 1/(1 + t(1 + sin t)) = 0; for f = eˣ sin x it would "prove"
lim r_2² = 0 although r_2 = √2 eˣ at the zeros πk + 3π/4 of f′). A side on
which f′ or f″ contains such a factor therefore uses no limit at all: it is
"never" by a certified sequence; "every" when |f″| is bounded on the tail by
ball arithmetic (on the whole line x ∈ [±∞], where sin ⊂ [−1, 1], or on a
compactified tail); bounded at a given ρ when r_ρ is so bounded (x⁴ + sin x at
ρ = 1); unbounded at a given ρ by a refuting certificate; else undecided.

The two sides combine into the answer set: every ρ ≥ 0, ρ ≥ ρ_c, ρ > ρ_c
(ρ_c exact), no ρ, or undecided with a reason. Every symbolic side limit is
corroborated by a ball-arithmetic table at x = ±10¹ … ±10^K; a disagreement
makes the side undecided.

For a given ρ the verdict is ``holds``, ``refuted`` or ``undecided``:

``refuted``
    carries a ``refuted`` certificate of :func:`certify_curve` at that ρ (curve
    x = ±t, or the sequence); without one the verdict is ``undecided``;
``holds``
    carries its proof route: continuity of f′ and f″ on R (SymPy
    ``continuous_domain``), the limits of r_ρ² (or of f″²) at ±∞ with their
    values. **Explicit constants** C0 = C1 = M are printed only when *proved* on
    all of R by :func:`dlnsmooth.bounds.prove_pointwise_bound` (branch and bound
    in ball arithmetic on [−R, R] and on both compactified tails; its route says
    how each region was proved): M starts from a candidate (the branch-and-bound
    bound of r_ρ on [−R, R], :func:`dlnsmooth.bounds.compact_bound`, its tails
    and the values far out), rounded up to 4 digits; a witness refuting it raises
    it past r_ρ there, a proof too tight to close raises it by 1%. The proved
    constants are also checked at sample points
    (:func:`dlnsmooth.evidence.check_constants`; a violation withdraws them).
    When no candidate is proved within the budget, the verdict stays ``holds``
    (it rests on the limits) and the report says "explicit constants not
    computed", with at most a lower bound labelled as coming from a witness.

**Time budget.** ``time_budget`` (seconds, wall clock) bounds the whole decision
where the work happens: each symbolic limit gets at most what is left (and none
starts after the deadline), the numeric tables stop at it (and at the first
x = ±10^k where balls cannot enclose f′, f″ any more — then the table follows
x = ±log t, where exp(exp(x)) is e^t), as do the certificates, the sequence
search, the bounds and the proofs. A decision cut short is ``undecided`` and
says what was left undone.

Where things live: the objective given by f′ is
:class:`~dlnsmooth.objective.DerivativeObjective`; the evidence types
(:class:`~dlnsmooth.evidence.Continuity`, :class:`~dlnsmooth.evidence.CompactBound`,
:class:`~dlnsmooth.evidence.TailBound`, :class:`~dlnsmooth.evidence.ConstantsCheck`) are in
:mod:`dlnsmooth.evidence`; the ball bounds and the proof of constants in :mod:`dlnsmooth.bounds`;
the proved pair is :class:`ProvedConstants`. This module keeps the procedure: the two sides
(:class:`SideAnalysis`), their combination (:class:`AnswerSet`), the numeric corroboration and
the verdict (:class:`UnivariateDecision`).

Trust: the symbolic steps (limits, continuous_domain, simplify) are SymPy's;
each is corroborated numerically but a bug in SymPy that the numbers cannot
see would propagate. Objectives that are not C² on all of R (log x, 1/x, |x|)
are rejected: the procedure is for functions on R.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import mpmath as mp
import sympy as sp
from flint import arb

from .bounds import BoundProof, RatioBounds, compact_bound, prove_pointwise_bound, tail_bound
from .budget import run_with_budget
from .certificate import Certificate, certify_curve
from .conditions import growth_ratio
from .curves import Curve, Restriction, curve_parameter
from .errors import DlnsmoothError, DomainError, ShapeError, UnsupportedForBalls
from .evidence import (
    CompactBound,
    ConstantsCheck,
    Continuity,
    ExplicitConstants,
    NumericTable,
    TableRow,
    TailBound,
    check_constants,
    numeric_table,
)
from .limits import LimitOutcome, oscillating_factors
from .numbers import compare, parse_number, parse_rho, round_rational, to_mpf
from .objective import DerivativeObjective, Objective, continuity_domain
from .parsing import declare_variables
from .precision import working_precision
from .progress import progress_bar
from .results import Result, Verdict, json_value
from .sequences import ZeroSequence, critical_sequences

__all__ = [
    "AnswerSet",
    "AnswerSetClaim",
    "ProvedConstants",
    "SideAnalysis",
    "UnivariateDecision",
    "decide_univariate",
    "UNIVARIATE_LIMIT_BUDGET",
]

#: Seconds per symbolic computation (limit, simplification) in the decision.
UNIVARIATE_LIMIT_BUDGET = 10.0
#: Seconds the proved constants are also checked at sample points (at least 50 points are checked).
CONSTANTS_CHECK_BUDGET = 3.0
#: Seconds of one proof of explicit constants (:func:`~dlnsmooth.bounds.prove_pointwise_bound`).
CONSTANTS_PROOF_BUDGET = 15.0
#: Below this many seconds left, no further stage (certificate, table, bound, proof) is started.
MIN_STAGE_SECONDS = 0.5

SideStatus = Literal["every", "threshold", "never", "undecided"]
SideState = Literal["bounded", "unbounded", "unknown"]


# -- one side of the real line ---------------------------------------------------------------------
@dataclass
class SideAnalysis:
    """The behaviour of r_ρ as x → ±∞ (``sign`` = ±1): the symbolic limits along x = ±t, the
    side's status (``every`` ρ, a ``threshold``, ``never``, ``undecided``) and the evidence that
    decides it — numeric table, sequences, certificates, a rigorous tail bound (module docstring)."""

    sign: int
    curve: Curve
    grad_sq: sp.Expr
    hess_sq: sp.Expr
    grad_limit: LimitOutcome | None = None
    hess_limit: LimitOutcome | None = None
    threshold_limit: LimitOutcome | None = None
    at_threshold: LimitOutcome | None = None
    ratio_limit: LimitOutcome | None = None
    status: SideStatus = "undecided"
    threshold: sp.Expr | None = None
    included: bool | None = None
    reason: str = ""
    table: NumericTable | None = None
    table_rho: sp.Expr | None = None
    corroboration: list[str] = field(default_factory=list)
    sequences: list[ZeroSequence] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    refuting: Certificate | None = None
    partial_critical: sp.Expr | None = None
    partial_curve: Curve | None = None
    oscillating: list[sp.Expr] = field(default_factory=list)
    tail_bound: TailBound | None = None
    rho_certificate: Certificate | None = None
    #: the curve of the numeric table: x = ±t, or x = ±log t when balls cannot enclose f′, f″ at x = ±10^k
    table_curve: Curve | None = None

    @property
    def label(self) -> str:
        return "+∞" if self.sign > 0 else "−∞"

    @property
    def tail_text(self) -> str:
        return "x ≥" if self.sign > 0 else "x ≤ −"

    def set_text(self) -> str:
        if self.status == "every":
            return "every ρ ≥ 0"
        if self.status == "never":
            return "no ρ ≥ 0"
        if self.status == "threshold":
            if self.included is None:
                return f"ρ > {sp.sstr(self.threshold)} (ρ = {sp.sstr(self.threshold)} undecided)"
            return f"ρ {'≥' if self.included else '>'} {sp.sstr(self.threshold)}"
        return "undecided"

    def fails_below(self, rho: sp.Rational) -> bool:
        """A certified curve or sequence shows r_ρ unbounded here for every ρ below its critical exponent."""
        known = self.partial_critical
        return known is not None and (known == sp.oo or compare(rho, known) < 0)

    def at(self, rho: sp.Rational) -> SideState:
        """Is r_ρ bounded near this end, by the side's analysis and the direct limit at ρ?"""
        if self.status == "every":
            return "bounded"
        if self.status == "never":
            return "unbounded"
        if self.oscillating:
            return self._oscillating_at(rho)
        by_threshold = self._by_threshold(rho)
        direct = self._by_direct_limit()
        if by_threshold != "unknown" and direct != "unknown" and by_threshold != direct:
            return "unknown"  # the two symbolic routes disagree: decide nothing
        return by_threshold if by_threshold != "unknown" else direct

    def _oscillating_at(self, rho: sp.Rational) -> SideState:
        """Only certificates and rigorous ball bounds count (no limit is evidence here)."""
        if self.fails_below(rho):
            return "unbounded"
        if self.rho_certificate is not None and self.rho_certificate.rho == rho:
            return "unbounded"
        return "bounded" if self.tail_bound is not None else "unknown"

    def _by_threshold(self, rho: sp.Rational) -> SideState:
        if self.status == "undecided" and self.fails_below(rho):
            return "unbounded"
        if self.status != "threshold":
            return "unknown"
        above = compare(rho, self.threshold)
        if above != 0:
            return "bounded" if above > 0 else "unbounded"
        if self.included is None:
            return "unknown"
        return "bounded" if self.included else "unbounded"

    def _by_direct_limit(self) -> SideState:
        if self.ratio_limit is None:
            return "unknown"
        return {"finite": "bounded", "bounded": "bounded", "infinite": "unbounded"}.get(self.ratio_limit.kind,
                                                                                        "unknown")

    def lines(self) -> list[str]:
        out = [f"Side x → {self.label}  (curve x = {sp.sstr(self.curve.coordinates[0])}, t → ∞):",
               f"  f′² = {sp.sstr(self.grad_sq)},  f″² = {sp.sstr(self.hess_sq)}"]
        if self.oscillating:
            out.append(f"  oscillating factors {', '.join(sp.sstr(a) for a in self.oscillating)}: the SymPy limits "
                       "below are shown, not used (Gruntz's algorithm does not apply)")
        for name, outcome in (("f′²", self.grad_limit), ("f″²", self.hess_limit),
                              ("log f″² / log f′²", self.threshold_limit)):
            if outcome is not None:
                out.append(f"  lim {name} = {outcome.value_text()}  [{_how(outcome)}]")
        if self.tail_bound is not None:
            out.append(f"  rigorous tail bound: {self.tail_bound.text()}")
        if self.at_threshold is not None:
            out.append(f"  at ρ = {sp.sstr(self.threshold)}: lim r_ρ² = {self.at_threshold.value_text()}  "
                       f"[{_how(self.at_threshold)}] → threshold "
                       + {True: "included", False: "excluded", None: "undecided"}[self.included])
        if self.ratio_limit is not None:
            out.append(f"  at the given ρ: lim r_ρ² = {self.ratio_limit.value_text()}  [{_how(self.ratio_limit)}]")
        out.extend(self._table_lines())
        out.extend(f"  corroboration: {c}" for c in self.corroboration)
        for seq in self.sequences:
            out.extend("  sequence: " + line if i == 0 else "  " + line for i, line in enumerate(seq.lines()))
        for cert in self.certificates:
            out.append(f"  certificate along {cert.curve.describe()}: {cert.verdict} — {cert.reason}")
        out.append(f"  ⇒ r_ρ bounded near {self.label} for: {self.set_text()}  ({self.reason})")
        return out

    def _table_lines(self) -> list[str]:
        if self.table is None:
            return []
        rows = self.table.confirmed_rows()
        where = (f"x = ±10^1 … ±10^{len(self.table.rows)}" if self.table_curve is None else
                 f"along x = {sp.sstr(self.table_curve.coordinates[0])}, t = 10^1 … 10^{len(self.table.rows)}")
        out = [f"  numeric table (ball arithmetic, |f′|, |f″|, r_ρ at ρ = {sp.sstr(self.table_rho)}): "
               f"{len(rows)}/{len(self.table.rows)} rows confirmed, {where}"]
        for row in rows[-3:]:
            g, h, r = row.texts(10)
            at = "|x|" if self.table_curve is None else "t"
            out.append(f"      {at} = {row.t_text}: |f′| = {g}, |f″| = {h}, r = {r}")
        return out

    def to_json(self) -> dict:
        return {
            "side": self.label, "curve": self.curve.to_json(), "grad_sq": json_value(self.grad_sq),
            "hess_sq": json_value(self.hess_sq), "grad_sq_limit": _limit_json(self.grad_limit),
            "hess_sq_limit": _limit_json(self.hess_limit), "threshold_limit": _limit_json(self.threshold_limit),
            "ratio_sq_limit_at_threshold": _limit_json(self.at_threshold),
            "ratio_sq_limit_at_rho": _limit_json(self.ratio_limit),
            "status": self.status, "set": self.set_text(), "threshold": json_value(self.threshold),
            "threshold_included": self.included, "reason": self.reason,
            "table": self.table.to_json() if self.table is not None else None,
            "table_rho": json_value(self.table_rho), "corroboration": list(self.corroboration),
            "sequences": [s.to_json() for s in self.sequences],
            "certificates": [c.to_json() for c in self.certificates],
            "oscillating": [sp.sstr(a) for a in self.oscillating],
            "tail_bound": None if self.tail_bound is None else self.tail_bound.to_json(),
        }


def _how(outcome: LimitOutcome) -> str:
    if outcome.status == "computed":
        return f"{outcome.method}, {outcome.seconds:.2f} s"
    return f"{outcome.method}: {outcome.status}; {outcome.message or 'no answer'}"


def _limit_json(outcome: LimitOutcome | None) -> dict | None:
    if outcome is None:
        return None
    return {"expression": json_value(outcome.expression), "value": json_value(outcome.value), "kind": outcome.kind,
            "status": outcome.status, "seconds": round(outcome.seconds, 3), "method": outcome.method,
            "message": outcome.message}


# -- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerSet:
    """The set of ρ ≥ 0 for which f′ is ρ-order Lipschitz.

    ``kind``: ``every`` (all ρ ≥ 0), ``at-least`` (ρ ≥ threshold), ``greater-than``
    (ρ > threshold), ``never`` (no ρ) or ``undecided``. For ``undecided`` the
    threshold, when known, is the largest side threshold (the set is then
    known to contain every ρ above it and no ρ below it only if no side is undecided).
    """

    kind: Literal["every", "at-least", "greater-than", "never", "undecided"]
    threshold: sp.Expr | None = None
    included: bool | None = None
    reason: str = ""
    #: for ``undecided``: r_ρ is known to be unbounded for every ρ below this (None: nothing known)
    fails_below: sp.Expr | None = None

    def contains(self, rho: sp.Rational) -> bool | None:
        if self.kind == "every":
            return True
        if self.kind == "never":
            return False
        if self.kind in ("at-least", "greater-than"):
            c = compare(rho, self.threshold)
            return c > 0 or (c == 0 and self.kind == "at-least")
        if self.fails_below is not None and (self.fails_below == sp.oo or compare(rho, self.fails_below) < 0):
            return False
        return None

    def text(self) -> str:
        if self.kind == "every":
            return "every ρ ≥ 0"
        if self.kind == "never":
            return "no ρ ≥ 0 (never)"
        if self.kind == "at-least":
            return f"ρ ≥ {sp.sstr(self.threshold)}"
        if self.kind == "greater-than":
            return f"ρ > {sp.sstr(self.threshold)}"
        if self.fails_below is not None:
            return f"undecided (fails for every ρ < {sp.sstr(self.fails_below)})"
        return "undecided"

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text(), "threshold": json_value(self.threshold),
                "threshold_included": self.included, "fails_below": json_value(self.fails_below),
                "reason": self.reason}


class AnswerSetClaim:
    """Mixin of the exact decisions (:class:`UnivariateDecision`, :class:`~dlnsmooth.separable.SeparableDecision`):
    the claim decided — at the given ``rho``, or "exactly for ρ in ``answer``" — and whether it was decided.
    Subclasses name what is Lipschitz (``subject``) and where (``domain``), and define ``every_rho_verdict``."""

    subject: ClassVar[str] = "∇f"
    domain: ClassVar[str] = "Rⁿ"

    @property
    def decided(self) -> bool:
        """A decision was reached (a verdict for the given ρ, else an answer set)."""
        return self.verdict in ("holds", "refuted")  # type: ignore[attr-defined]

    @property
    def claim(self) -> str:
        rho = self.rho  # type: ignore[attr-defined]
        if rho is not None:
            return f"{self.subject} is ρ-order Lipschitz on {self.domain} for ρ = {sp.sstr(rho)}"
        return f"{self.subject} is ρ-order Lipschitz on {self.domain} exactly for {self.answer.text()}"  # type: ignore[attr-defined]

    @property
    def every_rho_holds_for(self) -> str | None:
        """The ρ for which the claim is proved (the answer set's text), when the set is non-empty."""
        return self.answer.text() if self.every_rho_verdict == "holds" else None  # type: ignore[attr-defined]


@dataclass
class UnivariateDecision(AnswerSetClaim, Result):
    """The outcome of :func:`decide_univariate`.

    ``answer`` is the set of ρ for which f′ is ρ-order Lipschitz. With a given ``rho`` the
    claim is "f′ is ρ-order Lipschitz for this ρ" and ``verdict`` is ``holds`` (with
    ``proof``, ``bound`` and ``constants``), ``refuted`` (with a refuting ``certificate``) or
    ``undecided``. Without one the claim is "f′ is ρ-order Lipschitz exactly for ρ in the answer
    set": ``holds`` when the set is decided, ``undecided`` otherwise.
    """

    json_kind = "univariate"
    subject = "f′"
    domain = "R"

    objective: Objective
    rho: sp.Rational | None
    answer: AnswerSet
    verdict: Verdict
    reason: str
    continuity: Continuity
    sides: list[SideAnalysis]
    certificate: Certificate | None = None
    bound: CompactBound | None = None
    #: (C0, C1) proved on all of R (a :class:`ProvedConstants` pair), only beside ``holds`` at a given ρ
    constants: ProvedConstants | None = None
    proof: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def threshold(self) -> sp.Expr | None:
        return self.answer.threshold

    @property
    def every_rho_verdict(self) -> Verdict:
        """For the question "is f′ ρ-order Lipschitz for some ρ ≥ 0?": ``refuted`` when the answer
        set is proved empty (every ρ refuted, certified), ``holds`` when it is proved non-empty
        (:attr:`every_rho_holds_for` says for which ρ), ``undecided`` otherwise."""
        kind = self.answer.kind
        if kind == "never" and self.verdict in ("holds", "refuted"):
            return "refuted"
        if kind in ("every", "at-least", "greater-than"):
            return "holds"
        return "undecided"

    def report(self) -> str:
        f = self.objective
        x = f.variables[0]
        lines = [
            f"Univariate decision: {f.describe()}",
            f"  f′({x}) = {sp.sstr(f.gradient[0])},  f″({x}) = {sp.sstr(f.hessian[0, 0])}",
            "  question: is f′ ρ-order Lipschitz on R, i.e. is r_ρ = |f″|/(1 + |f′|^ρ) bounded on R? "
            "(Props 5, 6; 0^0 = 1; for n = 1 every Hessian norm is |f″|)",
            "Continuity:",
            *[f"  {line}" for line in self.continuity.lines()],
        ]
        for side in self.sides:
            lines.extend(side.lines())
        lines.append(f"Answer: f′ is ρ-order Lipschitz for {self.answer.text()}"
                     + (f" — {self.answer.reason}" if self.answer.reason else ""))
        lines.extend(self._evidence_lines())
        lines.extend(f"Note: {note}" for note in self.notes)
        lines.append(f"Claim: {self.claim}")
        what = "" if self.rho is not None else (
            "the answer set is proved: " if self.decided else "the answer set is not decided: ")
        lines.append(f"Verdict: {self.verdict.upper()} — {what}{self.reason}  ({self.seconds:.1f} s)")
        return "\n".join(lines)

    def _evidence_lines(self) -> list[str]:
        if self.rho is None:
            if self.certificate is None:
                return []
            return ["Certificate:", *(f"  {line}" for line in self.certificate.report().splitlines())]
        lines = [f"At ρ = {sp.sstr(self.rho)}:"]
        if self.proof:
            lines.append("  proof route:")
            lines.extend(f"    {i}. {step}" for i, step in enumerate(self.proof, 1))
        if self.bound is not None:
            lines.extend(f"  candidate bound (to choose the constants; the proof is theirs): {line}"
                         for line in self.bound.lines())
        if self.constants is not None:
            lines.extend(f"  constants: {line}" for line in self.constants.lines())
        if self.certificate is not None:
            lines.append("  certificate:")
            lines.extend(f"    {line}" for line in self.certificate.report().splitlines())
        return lines

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "claim": self.claim,
            "decided": self.decided,
            "every_rho_verdict": None if self.rho is not None else self.every_rho_verdict,
            "reason": self.reason,
            "objective": {**self.objective.to_json(),
                          "derivative": sp.sstr(self.objective.gradient[0]),
                          "second_derivative": sp.sstr(self.objective.hessian[0, 0]),
                          "given_by_derivative": isinstance(self.objective, DerivativeObjective)},
            "rho": None if self.rho is None else sp.sstr(self.rho),
            "answer": self.answer.to_json(),
            "continuity": self.continuity.to_json(),
            "sides": [s.to_json() for s in self.sides],
            "certificate": self.certificate.to_json() if self.certificate is not None else None,
            "proof": list(self.proof),
            "bound": self.bound.to_json() if self.bound is not None else None,
            "constants": self.constants.to_json() if self.constants is not None else None,
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }


# -- the procedure -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Settings:
    """The options of one decision, validated; ``deadline`` is the ``time.perf_counter()`` value
    at which the time budget runs out."""

    rho: sp.Rational | None
    limit_budget: float
    decades: int
    radius: sp.Rational
    bound_budget: float
    sequence_budget: float
    time_budget: float = math.inf
    deadline: float = math.inf

    def seconds(self, cap: float) -> float:
        """The seconds one stage may take: ``cap``, never past the deadline (0 once it has passed)."""
        return max(0.0, min(cap, self.deadline - time.perf_counter()))

    @property
    def expired(self) -> bool:
        return time.perf_counter() >= self.deadline - MIN_STAGE_SECONDS

    @property
    def limit_deadline(self) -> float | None:
        return None if math.isinf(self.deadline) else self.deadline


def decide_univariate(
    f: Objective | str,
    *,
    variable: str = "x",
    rho: object = None,
    derivative: bool = False,
    limit_budget: float = UNIVARIATE_LIMIT_BUDGET,
    decades: int = 30,
    radius: object = 4,
    bound_budget: float = 6.0,
    sequence_budget: float = 8.0,
    progress: bool | None = None,
    time_budget: float = 60.0,
) -> UnivariateDecision:
    """Decide for which ρ ≥ 0 the derivative of f : R → R is ρ-order Lipschitz (module docstring).

    ``f`` is an :class:`~dlnsmooth.objective.Objective` of one variable or an expression in
    ``variable``; with ``derivative=True`` the expression is f′ itself (f = ∫₀ˣ f′). With ``rho``
    the verdict for that ρ is also decided (``holds`` with its proof route and constants, or
    ``refuted`` with a certificate). ``limit_budget``: seconds per symbolic computation; ``decades``: rows
    of the numeric tables (x = ±10¹ … ±10^decades); ``radius``: R of the compact interval
    [−R, R] bounded by branch and bound; ``bound_budget``: seconds for that bound;
    ``sequence_budget``: seconds for the discrete-sequence search of an oscillating side;
    ``time_budget``: wall-clock seconds for the whole decision — every symbolic limit, table,
    certificate, search, bound and proof gets at most what is left, and a decision cut short is
    ``undecided`` with a note saying what was left undone.
    """
    start = time.perf_counter()
    objective = _objective(f, variable, derivative)
    settings = _settings(rho, limit_budget, decades, radius, bound_budget, sequence_budget, time_budget, start)
    bar = progress_bar(progress, "univariate decision", total=5 if settings.rho is not None else 3)

    def step() -> None:
        if bar is not None:
            bar.update()

    try:
        decision = _decide(objective, settings, step)
    finally:
        if bar is not None:
            bar.close()
    decision.seconds = time.perf_counter() - start
    _note_budget(decision, settings)
    return decision


def _note_budget(decision: UnivariateDecision, settings: _Settings) -> None:
    """When the time budget ran out, say so (and what was left undone) beside an undecided verdict."""
    if not settings.expired:
        return
    left = [n for n in decision.notes if n.startswith("time budget:")]
    text = (f"the time budget of {settings.time_budget:g} s ran out"
            + (f" ({'; '.join(left)})" if left else " (stages after it were skipped or cut short: their limits "
               "count as unknown)"))
    decision.notes.append(text)
    if decision.verdict == "undecided":
        decision.reason += f"; {text}"


def _objective(f: Objective | str, variable: str, derivative: bool) -> Objective:
    if isinstance(f, Objective):
        if f.n != 1:
            raise ShapeError(f"the univariate procedure decides f : R → R; {f.signature()} has {f.n} variables")
        if derivative and not isinstance(f, DerivativeObjective):
            raise ValueError("derivative=True takes f′ as a string; pass an Objective for f itself")
        return f
    if not isinstance(f, str):
        raise TypeError(f"expected an Objective or an expression string, got {type(f).__name__}")
    symbols = declare_variables(variable)
    if len(symbols) != 1:
        raise ShapeError(f"the univariate procedure takes one variable, got {len(symbols)}: "
                         f"{', '.join(s.name for s in symbols)}")
    if derivative:
        return DerivativeObjective.from_string(f, [symbols[0].name])
    return Objective.from_string(f, [symbols[0].name])


def _settings(rho: object, limit_budget: float, decades: int, radius: object, bound_budget: float,
              sequence_budget: float, time_budget: float, start: float) -> _Settings:
    rho_value = None if rho is None else parse_rho(rho)
    R = parse_number(radius, what="radius")
    if R <= 0:
        raise ValueError(f"radius must be positive, got {radius}")
    if not limit_budget > 0:
        raise ValueError(f"limit_budget must be a positive number of seconds, got {limit_budget}")
    if decades < 3:
        raise ValueError(f"decades must be at least 3, got {decades}")
    if not (isinstance(time_budget, (int, float)) and time_budget > 0):
        raise ValueError(f"time_budget must be a positive number of seconds, got {time_budget}")
    return _Settings(rho_value, limit_budget, decades, R, bound_budget, sequence_budget, float(time_budget),
                     start + float(time_budget))


def _decide(objective: Objective, settings: _Settings, step: Callable[[], None]) -> UnivariateDecision:
    """Continuity, the two sides, their combination, then the verdict (at ρ, or on the answer set)."""
    notes: list[str] = []
    continuity = _continuity(objective, settings)
    step()
    sides: list[SideAnalysis] = []
    for sign in (1, -1):
        search = not any(s.status == "never" for s in sides)
        sides.append(_side(objective, sign, settings, notes.append, search))
        step()
    answer = _answer(sides, continuity)
    decision = UnivariateDecision(objective, settings.rho, answer, "undecided", "", continuity, sides, notes=notes)
    if settings.rho is None:
        _decide_answer_set(decision, settings)
    else:
        _decide_at_rho(decision, settings, step)
    return decision


# -- continuity ----------------------------------------------------------------------------------
def _continuity(objective: Objective, settings: _Settings) -> Continuity:
    """f (unless given by f′), f′ and f″ continuous on R by SymPy's ``continuous_domain``;
    a smaller domain is an error (the procedure is for C² functions on R)."""
    x = objective.variables[0]
    parts: list[tuple[str, sp.Expr]] = []
    if not isinstance(objective, DerivativeObjective):
        parts.append(("f", objective.expr))
    parts += [("f′", objective.gradient[0]), ("f″", objective.hessian[0, 0])]
    domains: dict[str, str] = {}
    start = time.perf_counter()
    for name, expression in parts:
        if expression.is_number:
            domains[name] = "Reals"
            continue
        seconds = settings.seconds(settings.limit_budget)
        if seconds < MIN_STAGE_SECONDS:
            return Continuity(domains, False, time.perf_counter() - start,
                              f"time budget: continuity of {name} not checked")
        outcome = run_with_budget(continuity_domain, expression, x, seconds=seconds)
        if not outcome.ok:
            return Continuity(domains, False, time.perf_counter() - start,
                              f"SymPy's continuous_domain of {name} = {sp.sstr(expression)} gave no answer "
                              f"({outcome.status}: {outcome.message})")
        if outcome.value != sp.S.Reals:
            raise DomainError(
                f"{name}({x}) = {sp.sstr(expression)} is continuous only on {sp.sstr(outcome.value)}, not on all of "
                f"R: the univariate procedure decides C² functions f : R → R")
        domains[name] = "Reals"
    return Continuity(domains, True, time.perf_counter() - start)


# -- one side --------------------------------------------------------------------------------------
def _side(objective: Objective, sign: int, settings: _Settings, note: Callable[[str], None],
          search: bool) -> SideAnalysis:
    """The analysis of r_ρ as x → sign·∞ along the curve x = sign·t (module docstring)."""
    t = curve_parameter("t")
    curve = Curve(objective.variables, [sign * t], t)
    restriction = Restriction(objective, curve, limit_budget=settings.limit_budget, deadline=settings.limit_deadline)
    side = SideAnalysis(sign, curve, restriction.grad_sq, restriction.hess_sq)
    side.oscillating = oscillating_factors([restriction.gradient[0], restriction.hessian[0, 0]], t,
                                           seconds=settings.limit_budget, deadline=settings.limit_deadline)
    side.hess_limit = restriction.limit(side.hess_sq)
    side.grad_limit = restriction.limit(side.grad_sq)
    if side.oscillating:
        _oscillating_side(objective, side, settings, note, search)
        return side
    _exp_log_side(objective, side, restriction, settings)
    side.table_rho = settings.rho if settings.rho is not None else (
        side.threshold if side.threshold is not None else sp.Integer(0))
    if side.status != "never":
        _corroborate(side, restriction, settings, note)
    if side.status == "undecided" and side.partial_critical is None:
        if search:
            _try_sequences(objective, side, settings, note)
        else:
            side.reason += "; sequences not searched: the other side already fails for every ρ"
    return side


def _exp_log_side(objective: Objective, side: SideAnalysis, restriction: Restriction, settings: _Settings) -> None:
    """A side without oscillating factors, from the limits of f′², f″² (and log f″²/log f′²)."""
    h, g = side.hess_limit.kind, side.grad_limit.kind
    if h in ("finite", "bounded"):
        side.status = "every"
        side.reason = f"f″² → {side.hess_limit.value_text()}: f″ is bounded there, so r_ρ ≤ |f″| for every ρ"
    elif h == "infinite" and g in ("finite", "bounded"):
        _bounded_gradient_side(objective, side, settings)
    elif h == "infinite" and g == "infinite":
        _threshold_side(side, restriction)
    else:
        side.reason = (f"the limits do not decide (f′² → {side.grad_limit.value_text()}, "
                       f"f″² → {side.hess_limit.value_text()})")
    if settings.rho is not None and side.status != "never":
        side.ratio_limit = restriction.limit(growth_ratio(side.grad_sq, side.hess_sq, settings.rho, squared=True))


def _bounded_gradient_side(objective: Objective, side: SideAnalysis, settings: _Settings) -> None:
    """|f′| bounded while |f″| → ∞: never, once the curve's certificate refutes every ρ."""
    certificate = _certify(objective, side.curve, settings, every_rho=True)
    side.certificates.append(certificate)
    if certificate.verdict == "refuted":
        side.status, side.refuting = "never", certificate
        side.reason = "|f′| stays bounded while |f″| → ∞: r_ρ → ∞ for every ρ (certified along the curve)"
    else:
        side.reason = f"the limits say |f′| bounded, |f″| → ∞, but the certificate is {certificate.verdict}"


def _threshold_side(side: SideAnalysis, restriction: Restriction) -> None:
    """|f′|, |f″| → ∞: the threshold lim log f″²/log f′² and whether it is included."""
    side.threshold_limit = restriction.limit(sp.log(side.hess_sq) / sp.log(side.grad_sq))
    outcome = side.threshold_limit
    if outcome.kind == "finite":
        L = sp.nsimplify(outcome.value) if outcome.value.is_Float else outcome.value
        side.threshold = L
        side.at_threshold = restriction.limit(growth_ratio(side.grad_sq, side.hess_sq, L, squared=True))
        side.included = {"finite": True, "bounded": True, "infinite": False}.get(side.at_threshold.kind)
        side.status = "threshold"
        side.reason = (f"|f′|, |f″| → ∞ with lim log|f″|/log|f′| = {sp.sstr(L)}: r_ρ → 0 for ρ > {sp.sstr(L)}, "
                       f"→ ∞ for ρ < {sp.sstr(L)}; at ρ = {sp.sstr(L)} lim r² = {side.at_threshold.value_text()}")
    elif outcome.kind == "infinite":
        side.partial_critical, side.partial_curve = sp.oo, side.curve
        side.reason = ("|f″| grows faster than every power of |f′| (lim log|f″|/log|f′| = ∞): every ρ is refuted "
                       "along this curve, one ρ at a time (give ρ for a certificate)")
    else:
        side.reason = f"SymPy could not decide lim log f″²/log f′² ({outcome.status})"


# -- oscillating sides ---------------------------------------------------------------------------------
def _oscillating_side(objective: Objective, side: SideAnalysis, settings: _Settings, note: Callable[[str], None],
                      search: bool) -> None:
    """SymPy's limits are not evidence here (the Gruntz algorithm assumes no oscillation; SymPy
    returns lim 1/(1 + t(1 + sin t)) = 0, say): only certified sequences, rigorous ball bounds of
    the tail and certificates count."""
    if not search:
        side.reason = "oscillating; not analysed further: the other side already fails for every ρ"
        return
    _try_sequences(objective, side, settings, note)  # cheap and decisive
    if side.status == "never":
        return
    what = ", ".join(sp.sstr(a) for a in side.oscillating[:3])
    side.reason = f"oscillating ({what}): SymPy's limits are not used as evidence; " + side.reason.lstrip("; ")
    rho = settings.rho
    if rho is not None and side.fails_below(rho):
        return
    deadline = time.perf_counter() + settings.seconds(min(settings.limit_budget, 6.0))
    if side.partial_critical is None and _bounded_hessian_tail(objective, side, settings, deadline):
        return
    if rho is not None and (_bounded_tail_at_rho(objective, side, settings, deadline)
                            or _refuted_at_rho(objective, side, settings)):
        return
    side.reason += "; no rigorous ball bound of the tail was found"


def _bounded_hessian_tail(objective: Objective, side: SideAnalysis, settings: _Settings, deadline: float) -> bool:
    """|f″| bounded on the tail in balls (r_0 = |f″|/2): then r_ρ ≤ |f″| there for every ρ."""
    if _grows_numerically(objective, side.sign, sp.Integer(0)):
        return False
    bound = tail_bound(objective, side.sign, 0, settings.radius, limit_budget=settings.limit_budget,
                       deadline=deadline)
    if not (bound.rigorous and bound.upper is not None):
        return False
    side.status, side.tail_bound = "every", bound
    side.reason += (f"; |f″| ≤ {mp.nstr(2 * bound.upper, 8)} for {side.tail_text}{settings.radius} "
                    f"(ball arithmetic: {bound.method}), so r_ρ ≤ |f″| is bounded there for every ρ")
    return True


def _bounded_tail_at_rho(objective: Objective, side: SideAnalysis, settings: _Settings, deadline: float) -> bool:
    """r_ρ at the given ρ bounded on the tail in balls."""
    rho = settings.rho
    if _grows_numerically(objective, side.sign, rho):
        return False
    bound = tail_bound(objective, side.sign, rho, settings.radius, limit_budget=settings.limit_budget,
                       deadline=deadline + settings.seconds(min(settings.limit_budget, 6.0)))
    if not (bound.rigorous and bound.upper is not None):
        return False
    side.tail_bound = bound
    side.reason += (f"; at ρ = {sp.sstr(rho)}: r_ρ ≤ {mp.nstr(bound.upper, 8)} for "
                    f"{side.tail_text}{settings.radius} (ball arithmetic: {bound.method})")
    return True


def _refuted_at_rho(objective: Objective, side: SideAnalysis, settings: _Settings) -> bool:
    """The curve x = ±t refutes the given ρ (certificate)."""
    rho = settings.rho
    certificate = _certify(objective, side.curve, settings, rho=rho)
    side.certificates.append(certificate)
    if certificate.verdict != "refuted":
        return False
    side.rho_certificate = certificate
    side.reason += f"; at ρ = {sp.sstr(rho)} the curve {side.curve.describe()} refutes (certificate)"
    return True


def _grows_numerically(objective: Objective, sign: int, rho: sp.Rational) -> bool:
    """A cheap heuristic (it only saves time, it decides nothing): does r_ρ, sampled at
    x = ±(10^j + 1/3), j = 1 … 8, reach 100 times its size near |x| = 10?"""
    ratio = RatioBounds(objective, rho)
    samples = []
    with working_precision(60):
        for j in range(1, 9):
            try:
                value = ratio.lower(sign * (arb(10) ** j + arb(1) / 3))
            except (ValueError, ZeroDivisionError, UnsupportedForBalls):
                return False
            samples.append(float(value.mid()) if value.is_finite() else 0.0)
    return max(samples[3:]) > 100 * max(samples[0], 1e-300)


# -- certificates and tables within the budget -------------------------------------------------------
def _feasible_decades(objective: Objective, curve: Curve, decades: int) -> int:
    """How many rows t = 10¹, 10², … (up to ``decades``) the curve's point and the derivatives of f
    can be enclosed at all by finite balls at 30 digits (exp(exp(x)) stops at 10²): rows beyond
    cannot be resolved at any precision a budget allows, so the tables stop there."""
    for k in range(1, decades + 1):
        try:
            with working_precision(30):
                point = [c.xreplace({curve.parameter: sp.Integer(10) ** k}) for c in curve.coordinates]
                gradient, hessian = objective.ball_derivatives(point)
        except (DlnsmoothError, ValueError, ZeroDivisionError, OverflowError, TypeError):
            return k - 1
        if not (gradient[0].is_finite() and hessian[0][0].is_finite()):
            return k - 1
    return decades


def _certify(objective: Objective, curve: Curve, settings: _Settings, **options) -> Certificate:
    """:func:`certify_curve` with what is left of the time budget, the table stopping where balls
    cannot enclose f′, f″ any more (at least 3 rows)."""
    decades = max(3, min(settings.decades, _feasible_decades(objective, curve, settings.decades)))
    return certify_curve(objective, curve, limit_budget=settings.limit_budget, decades=decades, progress=False,
                         time_budget=max(MIN_STAGE_SECONDS, settings.seconds(math.inf)), **options)


# -- corroboration -------------------------------------------------------------------------------
def _log_restriction(restriction: Restriction, side: SideAnalysis, settings: _Settings) -> tuple[Restriction, int]:
    """The same end reached along x = ±log t (f = exp(exp(x)) is e^t there): a table at t = 10^k
    samples the same limits (x → ±∞ monotonically), where x = ±10^k overflows every ball."""
    t = side.curve.parameter
    curve = Curve(restriction.objective.variables, [side.sign * sp.log(t)], t)
    decades = _feasible_decades(restriction.objective, curve, settings.decades)
    if decades < 3:
        return restriction, 0
    side.table_curve = curve
    side.corroboration.append(f"f′, f″ overflow every ball at x = ±10^k: the table follows x = {sp.sstr(curve.coordinates[0])}")
    return Restriction(restriction.objective, curve, limit_budget=settings.limit_budget,
                       deadline=settings.limit_deadline), decades


def _values(rows: list[TableRow], column: str) -> list[mp.mpf]:
    return [getattr(r, column).value for r in rows]


def _approaches(values: list[mp.mpf], target: mp.mpf) -> bool:
    """The last value is no farther from ``target`` than the middle one (or within 1e-9)."""
    if len(values) < 3:
        return False
    with mp.workdps(30):
        tolerance = mp.mpf(10) ** -9 * (1 + abs(target))
        last, middle = abs(values[-1] - target), abs(values[len(values) // 2] - target)
        return last <= middle * (1 + mp.mpf(10) ** -9) or last <= tolerance


def _grows(values: list[mp.mpf]) -> bool:
    return len(values) >= 3 and values[-1] >= max(values) and values[-1] > values[0]


def _corroborate(side: SideAnalysis, restriction: Restriction, settings: _Settings,
                 note: Callable[[str], None]) -> None:
    """Ball-arithmetic table at x = ±10^j (as far as balls can enclose f′, f″ there, within the
    time budget); the side's symbolic claims must agree with it."""
    if not side.table_rho.is_Rational:  # an irrational threshold: tabulate at ρ = 0 (|f″|/2)
        side.table_rho = sp.Integer(0)
    decades = _feasible_decades(restriction.objective, side.curve, settings.decades)
    if decades < 3:
        restriction, decades = _log_restriction(restriction, side, settings)
    if decades < 3:
        side.corroboration.append(f"f′, f″ cannot be enclosed in balls beyond |x| = 10^{decades} (nor along "
                                  "x = ±log t): no numeric table")
        _demote(side, "no numeric table can corroborate the limits (f′, f″ overflow every ball beyond "
                      f"|x| = 10^{decades})")
        return
    if settings.seconds(math.inf) < MIN_STAGE_SECONDS:
        note(f"time budget: the numeric table near {side.label} was not computed")
        _demote(side, "the time budget ran out before the numeric table")
        return
    try:
        table = numeric_table(restriction, side.table_rho, decades=decades, digits=12,
                              deadline=settings.limit_deadline)
    except (DlnsmoothError, ValueError) as exc:
        note(f"side {side.label}: numeric table unavailable ({exc})")
        return
    side.table = table
    rows = table.confirmed_rows()
    if len(rows) < 3:
        side.corroboration.append(f"only {len(rows)} rows confirmed: no numeric corroboration")
        _demote(side, "too few confirmed table rows to corroborate the limits")
        return
    with mp.workdps(30):
        checks = _limit_checks(side, rows) + _threshold_checks(side, rows, table)
    for text, ok in checks:
        side.corroboration.append(f"{text}: {'agrees' if ok else 'DISAGREES'}")
    if not all(ok for _, ok in checks):
        _demote(side, "a symbolic limit and the confirmed numeric table disagree")


def _limit_checks(side: SideAnalysis, rows: list[TableRow]) -> list[tuple[str, bool]]:
    """The limits of f″² (status every) and of r_ρ² at the given ρ against the table."""
    checks: list[tuple[str, bool]] = []
    if side.status == "every" and side.hess_limit.kind == "finite":
        target = mp.sqrt(to_mpf(side.hess_limit.value))
        checks.append((f"|f″| approaches {mp.nstr(target, 8)}", _approaches(_values(rows, "hess_norm"), target)))
    if side.status == "every" and side.hess_limit.kind == "bounded":
        high = mp.sqrt(to_mpf(side.hess_limit.value.max))
        tail = _values(rows, "hess_norm")[len(rows) // 2:]
        checks.append((f"|f″| stays ≤ {mp.nstr(high, 8)}", all(v <= high * (1 + mp.mpf(10) ** -9) for v in tail)))
    if side.ratio_limit is not None:
        if side.ratio_limit.kind == "finite":
            target = mp.sqrt(to_mpf(side.ratio_limit.value))
            checks.append((f"r at the given ρ approaches {mp.nstr(target, 8)}",
                           _approaches(_values(rows, "ratio"), target)))
        elif side.ratio_limit.kind == "infinite":
            checks.append(("r at the given ρ grows", _grows(_values(rows, "ratio"))))
    return checks


def _threshold_checks(side: SideAnalysis, rows: list[TableRow], table: NumericTable) -> list[tuple[str, bool]]:
    """The threshold (log-slope ratio of the table) and the limit of r² at it."""
    if side.status != "threshold":
        return []
    checks: list[tuple[str, bool]] = []
    if side.at_threshold is not None and side.table_rho == side.threshold:
        if side.at_threshold.kind == "finite":
            target = mp.sqrt(to_mpf(side.at_threshold.value))
            checks.append((f"r at ρ = {sp.sstr(side.threshold)} approaches {mp.nstr(target, 8)}",
                           _approaches(_values(rows, "ratio"), target)))
        elif side.at_threshold.kind == "infinite":
            checks.append((f"r at ρ = {sp.sstr(side.threshold)} grows", _grows(_values(rows, "ratio"))))
    if side.threshold is not None and side.threshold.is_number:
        slopes = table.slopes()
        if slopes[0] and slopes[1] and slopes[0] > 0.05:
            estimate = slopes[1] / slopes[0]
            ok = abs(estimate - float(side.threshold)) <= 0.05 * max(1.0, abs(float(side.threshold)))
            checks.append((f"numeric log-slope ratio {estimate:.4f} ≈ threshold {sp.sstr(side.threshold)}", ok))
    return checks


def _demote(side: SideAnalysis, why: str) -> None:
    if side.status in ("every", "threshold"):
        side.status = "undecided"
        side.reason = f"{why} (was: {side.reason})"
    if side.ratio_limit is not None and side.ratio_limit.kind != "unknown":
        side.ratio_limit = None


# -- discrete sequences ----------------------------------------------------------------------------
def _try_sequences(objective: Objective, side: SideAnalysis, settings: _Settings, note: Callable[[str], None]) -> None:
    """Zeros of f′ and of f‴ towards this end (closed forms), each certified as a curve: a
    refutation of every ρ makes the side "never"; else the best critical exponent is kept."""
    try:
        seconds = settings.seconds(settings.sequence_budget)
        if seconds < MIN_STAGE_SECONDS:
            note(f"time budget: the sequence search near {side.label} was not done")
            return
        sequences = critical_sequences(objective, ends=["+oo" if side.sign > 0 else "-oo"], time_budget=seconds)
    except DlnsmoothError as exc:
        note(f"side {side.label}: sequence search failed ({exc})")
        return
    side.sequences = sequences
    if not sequences:
        side.reason += "; no discrete sequence (zeros of f′ or f‴) with a closed form was found"
        return
    best, best_curve = None, None
    for seq in sequences:
        certificate = _certify(objective, seq.curve, settings, every_rho=True)
        side.certificates.append(certificate)
        if certificate.verdict == "refuted":
            side.status, side.refuting = "never", certificate
            side.reason = (f"along the sequence x_k = {sp.sstr(seq.closed_form)} ({seq.describe()}) |f′| stays "
                           "bounded while |f″| → ∞: r_ρ → ∞ for every ρ (certified)")
            side.ratio_limit = None
            return
        critical = certificate.critical_exponent
        if critical is not None and (best is None or compare(critical, best) > 0):
            best, best_curve = critical, seq.curve
    if best is not None:
        side.partial_critical, side.partial_curve = best, best_curve
        side.reason += (f"; the best certified sequence has critical exponent ρ* = {sp.sstr(best)}: r_ρ is unbounded "
                        f"for ρ < {sp.sstr(best)}, nothing is known above")


# -- combining the sides ----------------------------------------------------------------------------
def _answer(sides: list[SideAnalysis], continuity: Continuity) -> AnswerSet:
    """The answer set of the two sides; undecided (keeping what is known to fail) without continuity."""
    answer = _combine(sides)
    if continuity.verified:
        return answer
    if answer.kind == "never":
        fails_below = sp.oo
    elif answer.kind in ("at-least", "greater-than"):
        fails_below = answer.threshold
    else:
        fails_below = answer.fails_below
    return AnswerSet("undecided", answer.threshold, None,
                     f"continuity of f′ and f″ on R could not be verified ({continuity.message}); "
                     f"the side analysis gives: {answer.text()}", fails_below=fails_below)


def _largest(values: list[sp.Expr]) -> sp.Expr | None:
    top = None
    for value in values:
        if top is None or compare(value, top) > 0:
            top = value
    return top


def _combine(sides: list[SideAnalysis]) -> AnswerSet:
    never = [s for s in sides if s.status == "never"]
    if never:
        return AnswerSet("never", reason=f"r_ρ is unbounded near {never[0].label} for every ρ (certified)")
    thresholds = [s for s in sides if s.status == "threshold"]
    undecided = [s for s in sides if s.status == "undecided"]
    top = _largest([s.threshold for s in thresholds])
    if undecided:
        what = "; ".join(f"near {s.label}: {s.reason}" for s in undecided)
        below = _largest(([top] if top is not None else [])
                         + [s.partial_critical for s in undecided if s.partial_critical is not None])
        return AnswerSet("undecided", top, None, what, fails_below=below)
    if top is None:
        return AnswerSet("every", sp.Integer(0), True, "f″ is bounded near ±∞ (and continuous on R)")
    deciding = [s for s in thresholds if compare(s.threshold, top) == 0]
    flags = [s.included for s in deciding]
    if any(flag is False for flag in flags):
        included = False
    elif all(flag is True for flag in flags):
        included = True
    else:
        return AnswerSet("undecided", top, None,
                         f"holds for ρ > {sp.sstr(top)} and fails for ρ < {sp.sstr(top)}; at ρ = {sp.sstr(top)} "
                         "the limit of r_ρ could not be decided")
    if included and top == 0:
        return AnswerSet("every", top, True, "the threshold is 0 and included")
    sides_text = " and ".join(s.label for s in deciding)
    return AnswerSet("at-least" if included else "greater-than", top, included,
                     f"threshold {sp.sstr(top)} from x → {sides_text}, "
                     f"{'included' if included else 'excluded'} (limit of r_ρ at the threshold "
                     f"{'finite' if included else 'infinite'})")


# -- the verdict on the answer set ---------------------------------------------------------------------
def _decide_answer_set(decision: UnivariateDecision, settings: _Settings) -> None:
    """Without ρ: the claim "ρ-order exactly for the answer set" holds when the set is decided
    (a threshold additionally certified along its curve)."""
    answer = decision.answer
    if answer.kind == "never":
        side = next(s for s in decision.sides if s.status == "never")
        decision.certificate = side.refuting
        decision.reason = f"f′ is not ρ-order Lipschitz for any ρ: {side.reason}"
    elif answer.kind == "every":
        decision.reason = ("f″ is bounded on R (continuous, bounded near ±∞): f′ is globally Lipschitz, hence "
                           "ρ-order Lipschitz for every ρ ≥ 0 (Prop 2)")
    elif answer.kind in ("at-least", "greater-than"):
        _certify_threshold(decision, settings)
    else:
        decision.reason = answer.reason
    decision.verdict = "undecided" if decision.answer.kind == "undecided" else "holds"


def _certify_threshold(decision: UnivariateDecision, settings: _Settings) -> None:
    """The deciding side's curve must have the threshold as its certified critical exponent."""
    answer = decision.answer
    deciding = next(s for s in decision.sides
                    if s.status == "threshold" and compare(s.threshold, answer.threshold) == 0)
    certificate = _certify(decision.objective, deciding.table_curve or deciding.curve, settings, every_rho=True,
                           claim=f"the curve refutes every ρ below the critical exponent {sp.sstr(answer.threshold)}")
    decision.certificate = certificate
    decision.reason = (f"f′ is ρ-order Lipschitz iff {answer.text()} ({answer.reason}); the curve "
                       f"{deciding.curve.describe()} has certified critical exponent "
                       f"{sp.sstr(certificate.critical_exponent)}")
    if certificate.critical_exponent is None or compare(certificate.critical_exponent, answer.threshold) != 0:
        decision.answer = AnswerSet("undecided", answer.threshold, None,
                                    "the certificate's critical exponent does not match the side threshold")
        decision.reason = "the side threshold and the curve's certified critical exponent disagree"


# -- the verdict at a given ρ -----------------------------------------------------------------------------
def _decide_at_rho(decision: UnivariateDecision, settings: _Settings, step: Callable[[], None]) -> None:
    """refuted (with a certificate), undecided, or holds with its proof route and constants."""
    states = [s.at(settings.rho) for s in decision.sides]
    if "unbounded" in states:
        _refute_at_rho(decision, states, settings, step)
        return
    if not decision.continuity.verified or "unknown" in states:
        unknown = [s.label for s, state in zip(decision.sides, states) if state == "unknown"]
        decision.verdict = "undecided"
        decision.reason = ("continuity on R is not verified" if not decision.continuity.verified else
                           f"the behaviour of r_ρ near {', '.join(unknown)} is not decided: "
                           + "; ".join(s.reason for s in decision.sides if s.label in unknown))
        return
    decision.verdict = "holds"
    decision.proof = _proof_route(decision)
    step()
    rho_text = sp.sstr(settings.rho)
    bounded = (f"r_ρ is bounded on R for ρ = {rho_text}: continuous on R with "
               + ", ".join(f"{_bounded_how(s)} near {s.label}" for s in decision.sides))
    if settings.seconds(settings.bound_budget) < MIN_STAGE_SECONDS:
        decision.notes.append("explicit constants not computed: the time budget ran out")
        decision.reason = bounded + "; explicit constants not computed (time budget)"
        return
    decision.bound = compact_bound(decision.objective, settings.rho, settings.radius,
                                   limit_budget=min(settings.limit_budget, 3.0),
                                   time_budget=settings.seconds(settings.bound_budget) / 1.5)
    constants, why_not = _explicit_constants(decision, settings)
    step()
    if constants is not None and _check_explicit_constants(decision, constants, settings):
        decision.constants = constants
        decision.proof.append(f"explicit constants: C0 = C1 = {sp.sstr(constants.C0)}, PROVED on all of R by ball "
                              "arithmetic (see the constants' proof route)")
        decision.reason = bounded + f"; f′ is ρ-order Lipschitz with the proved constants C0 = C1 = {sp.sstr(constants.C0)}"
        return
    decision.notes.append(f"explicit constants not computed (no candidate could be proved on all of R: {why_not})"
                          + _witness_text(decision))
    decision.reason = bounded + "; explicit constants not computed"


def _witness_text(decision: UnivariateDecision) -> str:
    """A lower bound of sup r_ρ from the point the compact bound reached (labelled, not a constant)."""
    bound = decision.bound
    if bound is None or not bound.lower > 0:
        return ""
    return (f"; any valid C0 = C1 is at least {mp.nstr(bound.lower, 8)} (lower bound from the witness x ≈ "
            f"{mp.nstr(bound.argmax, 8)}, where r_ρ reaches it)")


def _refute_at_rho(decision: UnivariateDecision, states: list[SideState], settings: _Settings,
                   step: Callable[[], None]) -> None:
    """A side says r_ρ is unbounded: refuted only with a refuting certificate at this ρ."""
    rho = settings.rho
    for side, state in zip(decision.sides, states):
        if state != "unbounded":
            continue
        certificate = side.rho_certificate
        if certificate is None:
            certificate = _certify(decision.objective, _refuting_curve(side), settings, rho=rho)
            step()
        if certificate.verdict == "refuted":
            decision.verdict, decision.certificate = "refuted", certificate
            decision.reason = (f"r_ρ is unbounded near {side.label} for ρ = {sp.sstr(rho)}; certified along "
                               f"{certificate.curve.describe()} ({certificate.reason})")
            return
        decision.notes.append(f"the certificate along {certificate.curve.describe()} at ρ = {sp.sstr(rho)} is "
                              f"{certificate.verdict}: {certificate.reason}")
        decision.certificate = certificate
    decision.verdict = "undecided"
    decision.reason = "the side analysis says unbounded, but no certificate refutes this ρ"


def _refuting_curve(side: SideAnalysis) -> Curve:
    if side.refuting is not None:
        return side.refuting.curve
    if side.status == "undecided" and side.partial_curve is not None:
        return side.partial_curve
    return side.table_curve or side.curve


def _proof_route(decision: UnivariateDecision) -> list[str]:
    """Why r_ρ is bounded on R: continuity, then each side's evidence."""
    rho = decision.rho
    proof = ["r_ρ = |f″|/(1 + |f′|^ρ) is continuous on R: " + "; ".join(decision.continuity.lines())]
    for side in decision.sides:
        checked = "; ".join(side.corroboration) or "no numeric check"
        if side.oscillating:
            proof.append(f"near {side.label} (oscillating, no limit used): {side.tail_bound.text()}")
        elif side.status == "every":
            proof.append(f"near {side.label}: lim f″² = {side.hess_limit.value_text()} (symbolic), so r_ρ ≤ |f″| "
                         f"stays bounded; {checked}")
        else:
            via = (f"ρ = {sp.sstr(rho)} {'>' if compare(rho, side.threshold) > 0 else '='} threshold "
                   f"{sp.sstr(side.threshold)}; " if side.status == "threshold" else "")
            proof.append(f"near {side.label}: {via}lim r_ρ² = {side.ratio_limit.value_text()} (symbolic); {checked}")
    proof.append("a continuous function with finite limits (or bounded behaviour) at ±∞ is bounded on R, so "
                 "sup r_ρ < ∞ and by Prop 6 f′ is ρ-order (and ρ-integrated) Lipschitz with C0 = C1 = sup r_ρ")
    return proof


def _bounded_how(side: SideAnalysis) -> str:
    if side.oscillating:
        return "a rigorous ball bound of the tail"
    if side.status == "every":
        return "bounded f″"
    return f"lim r_ρ² = {side.ratio_limit.value_text()}"


# -- explicit constants ------------------------------------------------------------------------------------
class ProvedConstants(tuple):
    """Exact constants (C0, C1) — a pair, as ``decision.constants`` — proved on all of R by
    :func:`~dlnsmooth.bounds.prove_pointwise_bound`: |f″(x)| ≤ C0 + C1|f′(x)|^ρ for every real x.
    ``proof`` is that proof (its route says how each region was proved); ``check`` an extra
    ball-arithmetic check at sample points (corroboration only); ``certified`` is always True."""

    rho: sp.Rational
    proof: BoundProof
    check: ConstantsCheck | None
    certified: bool = True

    def __new__(cls, rho: sp.Rational, C0: sp.Expr, C1: sp.Expr, proof: BoundProof) -> ProvedConstants:
        pair = super().__new__(cls, (C0, C1))
        pair.rho, pair.proof, pair.check = rho, proof, None
        return pair

    @property
    def C0(self) -> sp.Expr:
        return self[0]

    @property
    def C1(self) -> sp.Expr:
        return self[1]

    def lines(self) -> list[str]:
        out = [f"C0 = {sp.sstr(self.C0)}, C1 = {sp.sstr(self.C1)} for ρ = {sp.sstr(self.rho)}  [PROVED on all of R: "
               f"|f″| ≤ C0 + C1|f′|^ρ in ball arithmetic, {self.proof.seconds:.1f} s]"]
        out += [f"  proof: {step}" for step in self.proof.route]
        if self.check is not None:
            out.append("  also checked at points (corroboration, not the proof): " + self.check.text())
        return out

    def to_json(self) -> dict:
        return {"kind": "explicit-constants", "rho": sp.sstr(self.rho), "C0": sp.sstr(self.C0),
                "C1": sp.sstr(self.C1), "C0_decimal": mp.nstr(to_mpf(self.C0), 12), "certified": True,
                "why": "proved on all of R: " + "; ".join(self.proof.route), "proof": self.proof.to_json(),
                "check": None if self.check is None else self.check.to_json()}


def _sampled_estimates(sides: list[SideAnalysis]) -> list[mp.mpf]:
    """Values of r_ρ far out that are not bounds: table rows and the limits at ±∞."""
    estimates = []
    with mp.workdps(30):
        for side in sides:
            if side.table is not None:
                estimates += [r.ratio.value for r in side.table.confirmed_rows()]
            if side.ratio_limit is not None and side.ratio_limit.kind == "finite":
                estimates.append(mp.sqrt(to_mpf(side.ratio_limit.value)))
            if side.status == "every" and side.hess_limit is not None and side.hess_limit.kind == "finite":
                estimates.append(mp.sqrt(to_mpf(side.hess_limit.value)))
    return estimates


def _candidate(decision: UnivariateDecision) -> mp.mpf | None:
    """A first guess of sup r_ρ: the compact bound's upper end, the tails' bounds and the samples
    far out (not a bound: every candidate is proved or dropped)."""
    bound = decision.bound
    estimates = [bound.upper] + [t.upper for t in bound.tails if t.upper is not None]
    estimates += _sampled_estimates(decision.sides)
    finite = [e for e in estimates if mp.isfinite(e)]
    return max(finite) if finite else None


def _ratio_at(objective: Objective, rho: sp.Rational, point: sp.Rational) -> mp.mpf:
    """An upper end of r_ρ at an exact point (balls), to raise the constants past a witness."""
    with working_precision(60):
        high = RatioBounds(objective, rho).enclose(point)[1]
    return mp.inf if not high.is_finite() else mp.mpf(high.mid().str(20, radius=False)) * mp.mpf("1.000001")


def _explicit_constants(decision: UnivariateDecision, settings: _Settings) -> tuple[ProvedConstants | None, str]:
    """C0 = C1 = M proved on all of R, or (None, why not): M starts at the candidate rounded up to
    4 digits; a refuting witness raises it past r_ρ there (+5%), an undecided proof (a bound
    too tight to prove) by 1%, at most four proofs within the time budget."""
    objective, rho = decision.objective, settings.rho
    M = _candidate(decision)
    if M is None:
        return None, "no finite candidate for sup r_ρ"
    with mp.workdps(30):
        M = max(M, mp.mpf(10) ** -6)
        C = round_rational(M, 4, direction="up")
        tried = []
        for _ in range(4):
            seconds = settings.seconds(CONSTANTS_PROOF_BUDGET)
            if seconds < MIN_STAGE_SECONDS:
                tried.append("the time budget ran out")
                break
            proof = prove_pointwise_bound(objective, rho, C, C, time_budget=seconds)
            if proof.verdict == "holds":
                return ProvedConstants(rho, C, C, proof), ""
            tried.append(f"C0 = C1 = {sp.sstr(C)}: {proof.verdict} ({proof.reason})")
            if proof.verdict == "refuted":
                M = max(to_mpf(C), _ratio_at(objective, rho, proof.witness)) * mp.mpf("1.05")
            else:
                M = to_mpf(C) * mp.mpf("1.01")
            if not mp.isfinite(M):
                break
            C = round_rational(M, 3, direction="up")
    return None, "; ".join(tried)


def _sample_points(R: sp.Rational, decades: int) -> list[sp.Rational]:
    """Where the constants are also checked: a grid of [−R, R], ±10^j and ±3·10^j up to 10^decades,
    and a geometric sequence from R outwards."""
    points: set[sp.Rational] = set()
    for i in range(-40, 41):
        points.add(R * sp.Rational(i, 40))
    for j in range(0, decades + 1):
        for m in (1, 3):
            points.add(sp.Integer(m) * sp.Integer(10) ** j)
            points.add(-sp.Integer(m) * sp.Integer(10) ** j)
    for i in range(1, 60):
        v = sp.Rational(round(float(R) * 1.1**i * 1000), 1000)
        points.update((v, -v))
    return sorted(points)


def _check_explicit_constants(decision: UnivariateDecision, constants: ProvedConstants, settings: _Settings) -> bool:
    """The proved constants also against HessianGrowth at sample points (an independent check of
    the prover): a violation withdraws them."""
    explicit = ExplicitConstants(constants.rho, constants.C0, constants.C1, True, "proved")
    constants.check = check_constants(decision.objective, explicit, _sample_points(settings.radius, settings.decades),
                                      deadline=time.perf_counter() + settings.seconds(CONSTANTS_CHECK_BUDGET),
                                      minimum=20)
    if constants.check.ok:
        return True
    decision.notes.append("the proved constants FAIL the HessianGrowth check at sample points: the proof is wrong, "
                          "the constants are withdrawn — " + constants.check.text())
    return False
