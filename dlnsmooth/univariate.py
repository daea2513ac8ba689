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
    values, and a rigorous upper bound of r_ρ on [−R, R] by branch and bound
    in ball arithmetic. The tails |x| ≥ R are bounded rigorously too when the
    simplified r_ρ² becomes a ball-evaluable function of u ∈ [0, u₀] under
    x = ±1/u, x = ∓log u or x = ±sqrt(−log u) (checked numerically against
    the unsimplified expression); then C0 = C1 = M (an upper bound of sup r_ρ)
    are *certified*. Otherwise the tail is covered by the limit and samples
    only and the constants are labelled an *estimate*. The constants are
    checked against :class:`~dlnsmooth.conditions.HessianGrowth` at many
    points, |x| up to 10³⁰.

Trust: the symbolic steps (limits, continuous_domain, simplify) are SymPy's;
each is corroborated numerically but a bug in SymPy that the numbers cannot
see would propagate. Objectives that are not C² on all of R (log x, 1/x, |x|)
are rejected: the procedure is for functions on R.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import mpmath as mp
import sympy as sp
from flint import arb, fmpq

from .budget import run_with_budget
from .certificate import Certificate, certify_curve
from .conditions import HessianGrowth
from .curves import Curve, Restriction, curve_parameter
from .errors import DlnsmoothError, DomainError, ShapeError, UnsupportedForBalls
from .evidence import NumericTable, numeric_table
from .limits import LimitOutcome, oscillating_factors
from .numbers import ball_to_mpf, compare, parse_number, parse_rho, round_rational, to_mpf
from .objective import DerivativeObjective, Objective, VectorField, continuity_domain
from .parsing import declare_variables
from .precision import working_precision
from .progress import progress_bar
from .results import Result, Verdict, json_value
from .sequences import ZeroSequence, critical_sequences

__all__ = [
    "AnswerSet",
    "CompactBound",
    "ConstantsCheck",
    "Continuity",
    "DerivativeObjective",
    "ExplicitConstants",
    "SideEvidence",
    "TailBound",
    "UnivariateDecision",
    "decide_univariate",
    "UNIVARIATE_LIMIT_BUDGET",
]

#: Seconds per symbolic computation (limit, simplification) in the decision.
UNIVARIATE_LIMIT_BUDGET = 10.0

SideStatus = Literal["every", "threshold", "never", "undecided"]


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


# -- evidence ----------------------------------------------------------------------------------
@dataclass
class Continuity:
    """Where f (unless given by f′), f′ and f″ are continuous (SymPy ``continuous_domain``)."""

    domains: dict[str, str]
    verified: bool
    seconds: float
    message: str = ""

    def lines(self) -> list[str]:
        if self.verified:
            parts = ", ".join(self.domains)
            return [f"{parts} continuous on all of R [SymPy continuous_domain = Reals, {self.seconds:.2f} s]; "
                    "so r_ρ is continuous and bounded on every compact interval"]
        return [f"continuity on R could not be verified: {self.message}"]

    def to_json(self) -> dict:
        return {"domains": dict(self.domains), "verified": self.verified, "method": "SymPy continuous_domain",
                "seconds": round(self.seconds, 3), "message": self.message}


@dataclass
class SideEvidence:
    """The behaviour of r_ρ as x → ±∞ (module docstring)."""

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

    @property
    def label(self) -> str:
        return "+∞" if self.sign > 0 else "−∞"

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

    def at(self, rho: sp.Rational) -> Literal["bounded", "unbounded", "unknown"]:
        """Is r_ρ bounded near this end, by the side's analysis and the direct limit at ρ?"""
        if self.status == "every":
            return "bounded"
        if self.status == "never":
            return "unbounded"
        if self.oscillating:  # only certificates and rigorous ball bounds count
            if self.partial_critical is not None and (self.partial_critical == sp.oo
                                                      or compare(rho, self.partial_critical) < 0):
                return "unbounded"
            if self.rho_certificate is not None and self.rho_certificate.rho == rho:
                return "unbounded"
            return "bounded" if self.tail_bound is not None else "unknown"
        by_threshold = "unknown"
        if self.status == "undecided" and self.partial_critical is not None and (
                self.partial_critical == sp.oo or compare(rho, self.partial_critical) < 0):
            by_threshold = "unbounded"  # below a certified critical exponent of some curve or sequence
        if self.status == "threshold":
            above = compare(rho, self.threshold)
            if above > 0:
                by_threshold = "bounded"
            elif above < 0:
                by_threshold = "unbounded"
            elif self.included is not None:
                by_threshold = "bounded" if self.included else "unbounded"
        direct = "unknown"
        if self.ratio_limit is not None:
            direct = {"finite": "bounded", "bounded": "bounded", "infinite": "unbounded"}.get(self.ratio_limit.kind,
                                                                                            "unknown")
        if by_threshold != "unknown" and direct != "unknown" and by_threshold != direct:
            return "unknown"  # the two symbolic routes disagree: decide nothing
        return by_threshold if by_threshold != "unknown" else direct

    def lines(self) -> list[str]:
        out = [f"Side x → {self.label}  (curve x = {sp.sstr(self.curve.coordinates[0])}, t → ∞):"]
        out.append(f"  f′² = {sp.sstr(self.grad_sq)},  f″² = {sp.sstr(self.hess_sq)}")
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
        if self.table is not None:
            rows = self.table.confirmed_rows()
            out.append(f"  numeric table (ball arithmetic, |f′|, |f″|, r_ρ at ρ = {sp.sstr(self.table_rho)}): "
                       f"{len(rows)}/{len(self.table.rows)} rows confirmed, x = ±10^1 … ±10^{len(self.table.rows)}")
            for row in rows[-3:]:
                g, h, r = row.texts(10)
                out.append(f"      |x| = {row.t_text}: |f′| = {g}, |f″| = {h}, r = {r}")
        out.extend(f"  corroboration: {c}" for c in self.corroboration)
        for seq in self.sequences:
            out.extend("  sequence: " + line if i == 0 else "  " + line for i, line in enumerate(seq.lines()))
        for cert in self.certificates:
            out.append(f"  certificate along {cert.curve.describe()}: {cert.verdict} — {cert.reason}")
        out.append(f"  ⇒ r_ρ bounded near {self.label} for: {self.set_text()}  ({self.reason})")
        return out

    def to_json(self) -> dict:
        def limit(o: LimitOutcome | None):
            if o is None:
                return None
            return {"expression": json_value(o.expression), "value": json_value(o.value), "kind": o.kind,
                    "status": o.status, "seconds": round(o.seconds, 3), "method": o.method, "message": o.message}

        return {
            "side": self.label, "curve": self.curve.to_json(), "grad_sq": json_value(self.grad_sq),
            "hess_sq": json_value(self.hess_sq), "grad_sq_limit": limit(self.grad_limit),
            "hess_sq_limit": limit(self.hess_limit), "threshold_limit": limit(self.threshold_limit),
            "ratio_sq_limit_at_threshold": limit(self.at_threshold), "ratio_sq_limit_at_rho": limit(self.ratio_limit),
            "status": self.status, "set": self.set_text(), "threshold": json_value(self.threshold),
            "threshold_included": self.included, "reason": self.reason,
            "table": self.table.to_json() if self.table is not None else None,
            "table_rho": json_value(self.table_rho), "corroboration": list(self.corroboration),
            "sequences": [s.to_json() for s in self.sequences],
            "certificates": [c.to_json() for c in self.certificates],
            "oscillating": [sp.sstr(a) for a in self.oscillating],
            "tail_bound": None if self.tail_bound is None else {
                "rigorous": self.tail_bound.rigorous, "method": self.tail_bound.method,
                "upper": None if self.tail_bound.upper is None else json_value(self.tail_bound.upper)},
        }


def _how(outcome: LimitOutcome) -> str:
    if outcome.status == "computed":
        return f"{outcome.method}, {outcome.seconds:.2f} s"
    return f"{outcome.method}: {outcome.status}; {outcome.message or 'no answer'}"


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


@dataclass
class TailBound:
    """A bound of r_ρ on one tail |x| ≥ R (rigorous, or an estimate)."""

    sign: int
    rigorous: bool
    upper: mp.mpf | None
    method: str
    boxes: int = 0

    def text(self) -> str:
        side = "x ≥ R" if self.sign > 0 else "x ≤ −R"
        value = "unbounded/undetermined" if self.upper is None else f"≤ {mp.nstr(self.upper, 8)}"
        kind = "rigorous" if self.rigorous else "estimate"
        return f"{side}: r_ρ {value}  [{kind}; {self.method}]"


@dataclass
class CompactBound:
    """sup r_ρ on [−R, R] enclosed by branch and bound in ball arithmetic, plus the two tails."""

    radius: sp.Rational
    upper: mp.mpf
    lower: mp.mpf
    argmax: mp.mpf
    boxes: int
    evaluations: int
    tails: list[TailBound]
    seconds: float

    @property
    def rigorous_everywhere(self) -> bool:
        return mp.isfinite(self.upper) and all(t.rigorous and t.upper is not None for t in self.tails)

    def lines(self) -> list[str]:
        out = [f"on [−{self.radius}, {self.radius}]: {mp.nstr(self.lower, 10)} ≤ sup r_ρ ≤ {mp.nstr(self.upper, 10)} "
               f"(near x = {mp.nstr(self.argmax, 8)}) [ball arithmetic branch and bound, {self.boxes} boxes, "
               f"{self.evaluations} ball evaluations, {self.seconds:.2f} s; rigorous]"]
        out.extend(f"tail {t.text()}" for t in self.tails)
        return out

    def to_json(self) -> dict:
        return {"radius": sp.sstr(self.radius), "upper": json_value(self.upper), "lower": json_value(self.lower),
                "argmax": json_value(self.argmax), "boxes": self.boxes, "evaluations": self.evaluations,
                "method": "branch and bound in ball arithmetic (python-flint arb)",
                "tails": [{"side": "+" if t.sign > 0 else "-", "rigorous": t.rigorous,
                           "upper": None if t.upper is None else json_value(t.upper), "method": t.method,
                           "boxes": t.boxes} for t in self.tails],
                "rigorous_everywhere": self.rigorous_everywhere, "seconds": round(self.seconds, 3)}


@dataclass
class ConstantsCheck:
    """The explicit constants against HessianGrowth at many points (spectral norm = |f″| for n = 1)."""

    points: int
    violations: list[str]
    largest_ratio: mp.mpf
    at: str
    max_abs_x: str

    @property
    def ok(self) -> bool:
        return not self.violations

    def text(self) -> str:
        state = "holds at every point" if self.ok else f"VIOLATED at {len(self.violations)} point(s): " + ", ".join(
            self.violations[:5])
        return (f"HessianGrowth |f″| ≤ C0 + C1|f′|^ρ checked at {self.points} points (|x| up to {self.max_abs_x}): "
                f"{state}; largest r_ρ seen {mp.nstr(self.largest_ratio, 10)} at x = {self.at}")

    def to_json(self) -> dict:
        return {"points": self.points, "violations": list(self.violations), "ok": self.ok,
                "largest_ratio": json_value(self.largest_ratio), "at": self.at, "max_abs_x": self.max_abs_x}


@dataclass
class ExplicitConstants:
    """C0 = C1 = M with M ≥ sup r_ρ, so |f″| ≤ M(1 + |f′|^ρ) = C0 + C1|f′|^ρ."""

    rho: sp.Rational
    C0: sp.Rational
    C1: sp.Rational
    certified: bool
    why: str
    check: ConstantsCheck | None = None

    def lines(self) -> list[str]:
        label = "certified" if self.certified else "estimate"
        out = [f"C0 = {sp.sstr(self.C0)}, C1 = {sp.sstr(self.C1)} for ρ = {sp.sstr(self.rho)}  [{label}: {self.why}]"]
        if self.check is not None:
            out.append(self.check.text())
        return out

    def to_json(self) -> dict:
        return {"rho": sp.sstr(self.rho), "C0": sp.sstr(self.C0), "C1": sp.sstr(self.C1),
                "C0_decimal": mp.nstr(mp.mpf(self.C0.p) / self.C0.q, 12),
                "certified": self.certified, "why": self.why,
                "check": self.check.to_json() if self.check is not None else None}


@dataclass
class UnivariateDecision(Result):
    """The outcome of :func:`decide_univariate`.

    ``answer`` is the set of ρ for which f′ is ρ-order Lipschitz. With a given ``rho`` the
    claim is "f′ is ρ-order Lipschitz for this ρ" and ``verdict`` is ``holds`` (with
    ``proof``, ``bound`` and ``constants``), ``refuted`` (with a refuting ``certificate``) or
    ``undecided``. Without one the claim is "f′ is ρ-order Lipschitz exactly for ρ in the answer
    set": ``holds`` when the set is decided, ``undecided`` otherwise.
    """

    json_kind = "univariate"


    objective: Objective
    rho: sp.Rational | None
    answer: AnswerSet
    verdict: Verdict
    reason: str
    continuity: Continuity
    sides: list[SideEvidence]
    certificate: Certificate | None = None
    bound: CompactBound | None = None
    constants: ExplicitConstants | None = None
    proof: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def threshold(self) -> sp.Expr | None:
        return self.answer.threshold

    @property
    def decided(self) -> bool:
        """A decision was reached (a verdict for the given ρ, else an answer set)."""
        return self.verdict in ("holds", "refuted")

    @property
    def claim(self) -> str:
        if self.rho is not None:
            return f"f′ is ρ-order Lipschitz on R for ρ = {sp.sstr(self.rho)}"
        return f"f′ is ρ-order Lipschitz on R exactly for {self.answer.text()}"

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
        if self.rho is not None:
            lines.append(f"At ρ = {sp.sstr(self.rho)}:")
            if self.proof:
                lines.append("  proof route:")
                lines.extend(f"    {i}. {step}" for i, step in enumerate(self.proof, 1))
            if self.bound is not None:
                lines.extend(f"  bound: {line}" for line in self.bound.lines())
            if self.constants is not None:
                lines.extend(f"  constants: {line}" for line in self.constants.lines())
            if self.certificate is not None:
                lines.append("  certificate:")
                lines.extend(f"    {line}" for line in self.certificate.report().splitlines())
        elif self.certificate is not None:
            lines.append("Certificate:")
            lines.extend(f"  {line}" for line in self.certificate.report().splitlines())
        for note in self.notes:
            lines.append(f"Note: {note}")
        lines.append(f"Claim: {self.claim}")
        what = "" if self.rho is not None else (
            "the answer set is proved: " if self.decided else "the answer set is not decided: ")
        lines.append(f"Verdict: {self.verdict.upper()} — {what}{self.reason}  ({self.seconds:.1f} s)")
        return "\n".join(lines)


    def to_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "claim": self.claim,
            "decided": self.decided,
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



# -- continuity ----------------------------------------------------------------------------------
def _continuity(objective: Objective, limit_budget: float) -> Continuity:
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
        outcome = run_with_budget(continuity_domain, expression, x, seconds=limit_budget)
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
def _side(objective: Objective, sign: int, rho: sp.Rational | None, limit_budget: float, decades: int,
          sequence_budget: float, note: Callable[[str], None], search: bool,
          radius: sp.Rational) -> SideEvidence:
    t = curve_parameter("t")
    curve = Curve(objective.variables, [sign * t], t)
    restriction = Restriction(objective, curve, limit_budget=limit_budget)
    G2, H2 = restriction.grad_sq, restriction.hess_sq
    side = SideEvidence(sign, curve, G2, H2)
    side.oscillating = oscillating_factors([restriction.gradient[0], restriction.hessian[0, 0]], t, seconds=limit_budget)
    side.hess_limit = restriction.limit(H2)
    side.grad_limit = restriction.limit(G2)
    if side.oscillating:
        if not search:
            side.reason = ("oscillating; not analysed further: the other side already fails for every ρ")
            return side
        _try_sequences(objective, side, rho, limit_budget, decades, sequence_budget, note)  # cheap and decisive
        if side.status == "never":
            return side
        _oscillating_side(objective, side, rho, limit_budget, radius, decades)
        return side
    else:
        _exp_log_side(objective, side, restriction, rho, limit_budget, decades)
        # numeric corroboration of the symbolic limits
        side.table_rho = rho if rho is not None else (side.threshold if side.threshold is not None
                                                      else sp.Integer(0))
        if side.status != "never":
            _corroborate(side, restriction, decades, note)
    if side.status == "undecided" and side.partial_critical is None:
        if search:
            _try_sequences(objective, side, rho, limit_budget, decades, sequence_budget, note)
        else:
            side.reason += "; sequences not searched: the other side already fails for every ρ"
    return side


def _oscillating_side(objective: Objective, side: SideEvidence, rho, limit_budget: float, radius: sp.Rational,
                      decades: int) -> None:
    """SymPy's limits are not evidence here (the Gruntz algorithm assumes no oscillation; SymPy
    returns lim 1/(1 + t(1 + sin t)) = 0, say): only rigorous ball bounds and certificates count."""
    what = ", ".join(sp.sstr(a) for a in side.oscillating[:3])
    side.reason = f"oscillating ({what}): SymPy's limits are not used as evidence; " + side.reason.lstrip("; ")
    deadline = time.perf_counter() + min(limit_budget, 6.0)
    bound = None
    known = side.partial_critical  # a certified sequence already shows |f″| unbounded for ρ below it
    if rho is not None and known is not None and (known == sp.oo or compare(rho, known) < 0):
        return
    if known is None and not _grows_numerically(objective, side.sign, sp.Integer(0)):
        # |f″| seems bounded: try to prove it
        bound = _tail(objective, side.sign, sp.Integer(0), radius, limit_budget, deadline)
    if bound is not None and bound.rigorous and bound.upper is not None:
        side.status, side.tail_bound = "every", bound
        side.reason += (f"; |f″| ≤ {mp.nstr(2 * bound.upper, 8)} for {'x ≥' if side.sign > 0 else 'x ≤ −'}{radius} "
                        f"(ball arithmetic: {bound.method}), so r_ρ ≤ |f″| is bounded there for every ρ")
        return
    if rho is not None:
        bound = None
        if not _grows_numerically(objective, side.sign, rho):
            bound = _tail(objective, side.sign, rho, radius, limit_budget, deadline + min(limit_budget, 6.0))
        if bound is not None and bound.rigorous and bound.upper is not None:
            side.tail_bound = bound
            side.reason += (f"; at ρ = {sp.sstr(rho)}: r_ρ ≤ {mp.nstr(bound.upper, 8)} for "
                            f"{'x ≥' if side.sign > 0 else 'x ≤ −'}{radius} (ball arithmetic: {bound.method})")
            return
        certificate = certify_curve(objective, side.curve, rho=rho, limit_budget=limit_budget, decades=decades, progress=False)
        side.certificates.append(certificate)
        if certificate.verdict == "refuted":
            side.rho_certificate = certificate
            side.reason += f"; at ρ = {sp.sstr(rho)} the curve {side.curve.describe()} refutes (certificate)"
            return
    side.reason += "; no rigorous ball bound of the tail was found"


def _grows_numerically(objective: Objective, sign: int, rho: sp.Rational) -> bool:
    """A cheap heuristic (it only saves time, it decides nothing): does r_ρ, sampled at
    x = ±(10^j + 1/3), j = 1 … 8, reach 100 times its size near |x| = 10?"""
    samples = []
    with working_precision(60):
        for j in range(1, 9):
            point = sign * (arb(10) ** j + arb(1) / 3)
            try:
                fp, fpp = _derivatives(objective, point)
            except (ValueError, ZeroDivisionError):
                return False
            value = _ratio_lower(fp, fpp, rho)
            samples.append(float(value.mid()) if value.is_finite() else 0.0)
    return max(samples[3:]) > 100 * max(samples[0], 1e-300)


def _exp_log_side(objective: Objective, side: SideEvidence, restriction: Restriction, rho, limit_budget: float,
                  decades: int) -> None:
    G2, H2 = side.grad_sq, side.hess_sq
    h, g = side.hess_limit.kind, side.grad_limit.kind
    curve = side.curve
    if h in ("finite", "bounded"):
        side.status = "every"
        side.reason = f"f″² → {side.hess_limit.value_text()}: f″ is bounded there, so r_ρ ≤ |f″| for every ρ"
    elif h == "infinite" and g in ("finite", "bounded"):
        certificate = certify_curve(objective, curve, every_rho=True, limit_budget=limit_budget, decades=decades, progress=False)
        side.certificates.append(certificate)
        if certificate.verdict == "refuted":
            side.status, side.refuting = "never", certificate
            side.reason = "|f′| stays bounded while |f″| → ∞: r_ρ → ∞ for every ρ (certified along the curve)"
        else:
            side.reason = f"the limits say |f′| bounded, |f″| → ∞, but the certificate is {certificate.verdict}"
    elif h == "infinite" and g == "infinite":
        side.threshold_limit = restriction.limit(sp.log(H2) / sp.log(G2))
        tl = side.threshold_limit
        if tl.kind == "finite":
            L = sp.nsimplify(tl.value) if tl.value.is_Float else tl.value
            side.threshold = L
            side.at_threshold = restriction.limit(_ratio_sq(G2, H2, L))
            side.included = {"finite": True, "bounded": True, "infinite": False}.get(side.at_threshold.kind)
            side.status = "threshold"
            side.reason = (f"|f′|, |f″| → ∞ with lim log|f″|/log|f′| = {sp.sstr(L)}: r_ρ → 0 for ρ > {sp.sstr(L)}, "
                           f"→ ∞ for ρ < {sp.sstr(L)}; at ρ = {sp.sstr(L)} lim r² = {side.at_threshold.value_text()}")
        elif tl.kind == "infinite":
            side.partial_critical, side.partial_curve = sp.oo, curve
            side.reason = ("|f″| grows faster than every power of |f′| (lim log|f″|/log|f′| = ∞): every ρ is refuted "
                           "along this curve, one ρ at a time (give ρ for a certificate)")
        else:
            side.reason = f"SymPy could not decide lim log f″²/log f′² ({tl.status})"
    else:
        side.reason = (f"the limits do not decide (f′² → {side.grad_limit.value_text()}, "
                       f"f″² → {side.hess_limit.value_text()})")
    if rho is not None and side.status != "never":
        side.ratio_limit = restriction.limit(_ratio_sq(G2, H2, rho))


def _ratio_sq(G2: sp.Expr, H2: sp.Expr, rho: sp.Expr) -> sp.Expr:
    """r_ρ² = f″² / (1 + (f′²)^(ρ/2))² with 0^0 = 1."""
    if rho == 0:
        return H2 / 4
    return H2 / (1 + G2 ** (sp.sympify(rho) / 2)) ** 2


def _values(rows, column: str) -> list[mp.mpf]:
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


def _corroborate(side: SideEvidence, restriction: Restriction, decades: int, note: Callable[[str], None]) -> None:
    """Ball-arithmetic table at x = ±10^j; the side's symbolic claims must agree with it."""
    if not side.table_rho.is_Rational:  # an irrational threshold: tabulate at ρ = 0 (|f″|/2)
        side.table_rho = sp.Integer(0)
    try:
        table = numeric_table(restriction, side.table_rho, decades=decades, digits=12)
    except (DlnsmoothError, ValueError) as exc:
        note(f"side {side.label}: numeric table unavailable ({exc})")
        return
    side.table = table
    rows = table.confirmed_rows()
    if len(rows) < 3:
        side.corroboration.append(f"only {len(rows)} rows confirmed: no numeric corroboration")
        _demote(side, "too few confirmed table rows to corroborate the limits")
        return
    checks: list[tuple[str, bool]] = []
    with mp.workdps(30):
        if side.status == "every" and side.hess_limit.kind == "finite":
            target = mp.sqrt(to_mpf(side.hess_limit.value))
            checks.append((f"|f″| approaches {mp.nstr(target, 8)}", _approaches(_values(rows, "hess_norm"), target)))
        if side.status == "every" and side.hess_limit.kind == "bounded":
            high = mp.sqrt(to_mpf(side.hess_limit.value.max))
            tail = _values(rows, "hess_norm")[len(rows) // 2:]
            checks.append((f"|f″| stays ≤ {mp.nstr(high, 8)}", all(v <= high * (1 + mp.mpf(10) ** -9) for v in tail)))
        if side.status == "threshold" and side.at_threshold is not None and side.table_rho == side.threshold:
            if side.at_threshold.kind == "finite":
                target = mp.sqrt(to_mpf(side.at_threshold.value))
                checks.append((f"r at ρ = {sp.sstr(side.threshold)} approaches {mp.nstr(target, 8)}",
                               _approaches(_values(rows, "ratio"), target)))
            elif side.at_threshold.kind == "infinite":
                checks.append((f"r at ρ = {sp.sstr(side.threshold)} grows", _grows(_values(rows, "ratio"))))
        if side.status == "threshold" and side.threshold is not None and side.threshold.is_number:
            slopes = table.slopes()
            if slopes[0] and slopes[1] and slopes[0] > 0.05:
                estimate = slopes[1] / slopes[0]
                ok = abs(estimate - float(side.threshold)) <= 0.05 * max(1.0, abs(float(side.threshold)))
                checks.append((f"numeric log-slope ratio {estimate:.4f} ≈ threshold {sp.sstr(side.threshold)}", ok))
        if side.ratio_limit is not None:
            if side.ratio_limit.kind == "finite":
                target = mp.sqrt(to_mpf(side.ratio_limit.value))
                checks.append((f"r at the given ρ approaches {mp.nstr(target, 8)}",
                               _approaches(_values(rows, "ratio"), target)))
            elif side.ratio_limit.kind == "infinite":
                checks.append(("r at the given ρ grows", _grows(_values(rows, "ratio"))))
    for text, ok in checks:
        side.corroboration.append(f"{text}: {'agrees' if ok else 'DISAGREES'}")
    if not all(ok for _, ok in checks):
        _demote(side, "a symbolic limit and the confirmed numeric table disagree")


def _demote(side: SideEvidence, why: str) -> None:
    if side.status in ("every", "threshold"):
        side.status = "undecided"
        side.reason = f"{why} (was: {side.reason})"
    if side.ratio_limit is not None and side.ratio_limit.kind != "unknown":
        side.ratio_limit = None



def _try_sequences(objective: Objective, side: SideEvidence, rho, limit_budget: float, decades: int,
                   sequence_budget: float, note: Callable[[str], None]) -> None:
    try:
        sequences = critical_sequences(objective, ends=["+oo" if side.sign > 0 else "-oo"], time_budget=sequence_budget)
    except DlnsmoothError as exc:
        note(f"side {side.label}: sequence search failed ({exc})")
        return
    side.sequences = sequences
    if not sequences:
        side.reason += "; no discrete sequence (zeros of f′ or f‴) with a closed form was found"
        return
    best, best_curve = None, None
    for seq in sequences:
        certificate = certify_curve(objective, seq.curve, every_rho=True, limit_budget=limit_budget, decades=decades,
                                    progress=False)
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
def _combine(sides: list[SideEvidence]) -> AnswerSet:
    never = [s for s in sides if s.status == "never"]
    if never:
        return AnswerSet("never", reason=f"r_ρ is unbounded near {never[0].label} for every ρ (certified)")
    thresholds = [s for s in sides if s.status == "threshold"]
    undecided = [s for s in sides if s.status == "undecided"]
    top = None
    for s in thresholds:
        if top is None or compare(s.threshold, top) > 0:
            top = s.threshold
    if undecided:
        what = "; ".join(f"near {s.label}: {s.reason}" for s in undecided)
        below = top
        for s in undecided:
            if s.partial_critical is not None and (below is None or compare(s.partial_critical, below) > 0):
                below = s.partial_critical
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


# -- compact bound: branch and bound in balls ------------------------------------------------------
def _ratio_bounds(fp: arb, fpp: arb, rho: sp.Rational) -> tuple[arb, arb]:
    """Exact lower and upper bounds of r_ρ = |f″|/(1 + |f′|^ρ) from balls of f′ and f″: the
    HessianGrowth inequality with C0 = C1 = 1 (for n = 1 every Hessian norm is |f″|)."""
    return HessianGrowth(rho, 1, 1).sides_from_norms(abs(fp), abs(fpp)).ratio_bounds()


def _ratio_upper(fp: arb, fpp: arb, rho: sp.Rational) -> arb:
    return _ratio_bounds(fp, fpp, rho)[1]


def _ratio_lower(fp: arb, fpp: arb, rho: sp.Rational) -> arb:
    return _ratio_bounds(fp, fpp, rho)[0]


def _box(lo: fmpq, hi: fmpq) -> arb:
    """A ball containing [lo, hi] (exact endpoints, rounded outwards)."""
    return arb(lo).union(arb(hi))


def _branch_and_bound(upper_of: Callable[[arb], arb], lower_at: Callable[[fmpq], arb], lo: fmpq, hi: fmpq, *,
                      pieces: int, max_evaluations: int, tolerance: float, deadline: float,
                      nonnegative: bool = False) -> tuple[mp.mpf, mp.mpf, mp.mpf, int, int]:
    """(upper bound of sup, best lower bound, its point, boxes, evaluations) of a function on [lo, hi]."""
    width = (hi - lo) / pieces
    heap: list[tuple[float, int, fmpq, fmpq, arb]] = []
    best_low, best_at = arb(0), lo
    evaluations = 0
    counter = 0

    def push(a: fmpq, b: fmpq) -> None:
        nonlocal evaluations, counter, best_low, best_at
        ball = _box(a, b)
        if nonnegative:
            ball = ball.nonnegative_part()
        up = upper_of(ball)
        mid = (a + b) / 2
        low = lower_at(mid)
        evaluations += 2
        if low > best_low:
            best_low, best_at = low, mid
        key = float(up.mid()) if up.is_finite() else math.inf
        counter += 1
        heapq.heappush(heap, (-key, counter, a, b, up))

    for i in range(pieces):
        push(lo + i * width, lo + (i + 1) * width)
    while heap:
        key, _, a, b, up = heap[0]
        top = -key
        if top <= float(best_low.mid()) * (1 + tolerance) + tolerance * 1e-6:
            break
        if evaluations >= max_evaluations or time.perf_counter() > deadline or (b - a) < fmpq(1, 2**60):
            break
        heapq.heappop(heap)
        middle = (a + b) / 2
        push(a, middle)
        push(middle, b)
    top = max((-k for k, *_ in heap), default=0.0)
    with mp.workdps(30):
        where = to_mpf(Fraction(int(best_at.p), int(best_at.q)))
    if math.isinf(top):
        return mp.inf, _arb_mpf(best_low), where, len(heap), evaluations
    upper = max((_arb_mpf(entry[4]) for entry in heap), default=mp.mpf(0))
    return upper, _arb_mpf(best_low), where, len(heap), evaluations


def _arb_mpf(value: arb) -> mp.mpf:
    """The midpoint of a ball exactly (for the exact balls of .upper()/.lower(): the endpoint)."""
    return ball_to_mpf(value) if value.is_finite() else mp.inf



def _rewrite_hyperbolic(expression: sp.Expr) -> sp.Expr:
    for head in (sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth):
        if expression.has(head):
            expression = expression.rewrite(head, sp.exp)
    return expression


def _simplify(expression: sp.Expr) -> sp.Expr:
    return sp.simplify(_rewrite_hyperbolic(expression))


def _tail(objective: Objective, sign: int, rho: sp.Rational, R: sp.Rational, limit_budget: float,
          deadline: float) -> TailBound:
    """A rigorous bound of r_ρ on the tail sign·x ≥ R via a compactifying substitution, if one works."""
    x = objective.variables[0]
    u = sp.Symbol("u", positive=True)
    fp, fpp = objective.gradient[0], objective.hessian[0, 0]
    whole = _whole_line(objective, rho)
    if whole is not None:
        return TailBound(sign, True, whole, "f′, f″ evaluated in ball arithmetic on the whole line x ∈ [±∞] "
                                            "(bounded functions such as sin give finite enclosures)", 1)
    for label, x_of_u, u0 in (
        ("x = ±1/u", sign / u, sp.Rational(1, 1) / R),
        ("x = ∓log u", -sign * sp.log(u), sp.Rational(1, 2 ** int(math.floor(float(R) / math.log(2))))),
        ("x = ±sqrt(−log u)", sign * sp.sqrt(-sp.log(u)),
         sp.Rational(1, 2 ** int(math.floor(float(R) ** 2 / math.log(2))))),
    ):
        if time.perf_counter() > deadline:
            break
        raw_sq = _ratio_sq(fp.xreplace({x: x_of_u}) ** 2, fpp.xreplace({x: x_of_u}) ** 2, rho)
        remaining = deadline - time.perf_counter()
        outcome = run_with_budget(_simplify, raw_sq, seconds=max(0.5, min(limit_budget, 3.0, remaining)))
        if not outcome.ok:
            continue
        simplified = outcome.value
        if simplified.has(sp.log) or simplified.free_symbols - {u}:
            continue  # log u is singular at u = 0: no ball enclosure there
        if not _same_function(raw_sq, simplified, u, u0):
            continue
        try:
            program = _BallFunction(simplified, u)
        except UnsupportedForBalls:
            continue

        def upper_of(ball: arb, program=program) -> arb:
            value = program.ball([ball])[0]
            return value.nonnegative_part().sqrt().upper() if value.is_finite() else arb("inf")

        def lower_at(point: fmpq, program=program) -> arb:
            value = program.ball([arb(point)])[0]
            return value.nonnegative_part().sqrt().lower() if value.is_finite() else arb(0)

        with working_precision(30):
            first = upper_of(_box(fmpq(0), fmpq(int(u0.p), int(u0.q))).nonnegative_part())
            if not first.is_finite():
                # a finite enclosure on a short box at u = 0 is needed; try one split before giving up
                probe = upper_of(_box(fmpq(0), fmpq(int(u0.p), int(u0.q) * 1024)).nonnegative_part())
                if not probe.is_finite():
                    continue
            upper, _, _, boxes, _ = _branch_and_bound(
                upper_of, lower_at, fmpq(0), fmpq(int(u0.p), int(u0.q)), pieces=16, max_evaluations=4000,
                tolerance=0.01, deadline=deadline, nonnegative=True)
        if mp.isfinite(upper):
            return TailBound(sign, True, upper, f"substitution {label}, u ∈ [0, {sp.sstr(u0)}]; SymPy-simplified r_ρ² "
                                                f"(checked numerically against the original) in ball arithmetic, "
                                                "branch and bound", boxes)
    return TailBound(sign, False, None, "no compactifying substitution gave a ball-evaluable r_ρ² at |x| = ∞")


class _BallFunction:
    """One expression in u evaluated over balls, with sin/cos of an argument that is not enclosed
    (1/u on a box touching 0 is NaN in arb) replaced by the enclosure [−1, 1]."""

    def __init__(self, expression: sp.Expr, u: sp.Symbol):
        atoms = sorted({a for a in expression.atoms(sp.sin, sp.cos) if u in a.free_symbols}, key=sp.default_sort_key)
        if any(a.args[0].has(sp.sin, sp.cos) for a in atoms):
            atoms = []  # nested: evaluate as is
        self.atoms = atoms
        self.symbols = [sp.Dummy(f"p{i}") for i in range(len(atoms))]
        self.arguments = VectorField([a.args[0] for a in atoms], [u], name="arguments", smooth=False) if atoms else None
        self.program = VectorField([expression.xreplace(dict(zip(atoms, self.symbols)))], [u, *self.symbols],
                                   name="r_ρ²", smooth=False)

    def ball(self, values: Sequence[arb]) -> list[arb]:
        (ball,) = values
        periodic = []
        if self.arguments is not None:
            for atom, argument in zip(self.atoms, self.arguments.ball([ball])):
                if argument.is_finite():
                    periodic.append(argument.sin() if isinstance(atom, sp.sin) else argument.cos())
                else:
                    periodic.append(arb(0, 1))  # |sin|, |cos| ≤ 1 whatever the argument
        return self.program.ball([ball, *periodic])


def _whole_line(objective: Objective, rho: sp.Rational) -> mp.mpf | None:
    """An upper bound of r_ρ on all of R from one ball evaluation at x = [±∞], if finite."""
    with working_precision(30):
        try:
            fp, fpp = _derivatives(objective, arb(0, "inf"))
        except (ValueError, ZeroDivisionError, UnsupportedForBalls):
            return None
        bound = _ratio_upper(fp, fpp, rho)
        return _arb_mpf(bound) if bound.is_finite() else None


def _same_function(a: sp.Expr, b: sp.Expr, u: sp.Symbol, u0: sp.Rational) -> bool:
    """a and b agree at a few points of (0, u0] to 20 digits (guards the simplification)."""
    both = VectorField([a, b], [u], name="r_ρ²", smooth=False)
    with mp.workdps(60):
        for fraction in ("0.9", "0.5", "0.1", "0.001"):
            point = mp.mpf(u0.p) / u0.q * mp.mpf(fraction)
            try:
                va, vb = both([point], 60)
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return False
            if abs(va - vb) > mp.mpf(10) ** -20 * (1 + abs(va)):
                return False
    return True


def _compact_bound(objective: Objective, rho: sp.Rational, R: sp.Rational, limit_budget: float,
                   time_budget: float) -> CompactBound:
    start = time.perf_counter()
    deadline = start + time_budget
    def upper_of(ball: arb) -> arb:
        return _ratio_upper(*_derivatives(objective, ball), rho)

    def lower_at(point: fmpq) -> arb:
        return _ratio_lower(*_derivatives(objective, arb(point)), rho)

    with working_precision(30):
        upper, lower, argmax, boxes, evaluations = _branch_and_bound(
            upper_of, lower_at, fmpq(-int(R.p), int(R.q)), fmpq(int(R.p), int(R.q)), pieces=64,
            max_evaluations=20000, tolerance=0.005, deadline=deadline)
    tails = [_tail(objective, s, rho, R, limit_budget, deadline + 0.5 * time_budget) for s in (1, -1)]
    return CompactBound(R, upper, lower, argmax, boxes, evaluations, tails, time.perf_counter() - start)


def _bounded_how(side: SideEvidence) -> str:
    if side.oscillating:
        return "a rigorous ball bound of the tail"
    if side.status == "every":
        return "bounded f″"
    return f"lim r_ρ² = {side.ratio_limit.value_text()}"


def _sample_points(R: sp.Rational, decades: int) -> list[sp.Rational]:
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


def _check_constants(objective: Objective, constants: ExplicitConstants, R: sp.Rational, decades: int,
                     deadline: float) -> ConstantsCheck:
    condition = HessianGrowth(constants.rho, constants.C0, constants.C1, norm="spectral")
    violations: list[str] = []
    largest, at, count, biggest = mp.mpf(0), "0", 0, sp.Integer(0)
    for point in _sample_points(R, decades):
        if time.perf_counter() > deadline and count >= 50:
            break
        size = abs(point)
        digits = 0 if size < 10 else int(math.log10(float(size)))
        dps = 40 + 3 * digits + objective.condition_digits([point]) if size < 10**6 else 40 + 3 * digits + 2 * digits
        try:
            check = condition.check_point(objective, [point], dps=min(dps, 4000))
        except (DlnsmoothError, ValueError, OverflowError):
            continue
        count += 1
        biggest = max(biggest, size)
        with mp.workdps(30):
            ratio = check.lhs / (1 + (check.rhs - to_mpf(constants.C0)) / to_mpf(constants.C1)) \
                if constants.C1 != 0 else check.lhs
        if ratio > largest:
            largest, at = ratio, sp.sstr(point)
        if not check.holds:
            violations.append(sp.sstr(point))
    return ConstantsCheck(count, violations, largest, at, f"{float(biggest):.0e}")



# -- the procedure -------------------------------------------------------------------------------
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
) -> UnivariateDecision:
    """Decide for which ρ ≥ 0 the derivative of f : R → R is ρ-order Lipschitz (module docstring).

    ``f`` is an :class:`~dlnsmooth.objective.Objective` of one variable or an expression in
    ``variable``; with ``derivative=True`` the expression is f′ itself (f = ∫₀ˣ f′). With ``rho``
    the verdict for that ρ is also decided (``holds`` with its proof route and constants, or
    ``refuted`` with a certificate). ``limit_budget``: seconds per symbolic computation; ``decades``: rows
    of the numeric tables (x = ±10¹ … ±10^decades); ``radius``: R of the compact interval
    [−R, R] bounded by branch and bound; ``bound_budget``: seconds for that bound;
    ``sequence_budget``: seconds for the discrete-sequence search of an oscillating side.
    """
    start = time.perf_counter()
    objective = _objective(f, variable, derivative)
    rho_value = None if rho is None else parse_rho(rho)
    R = parse_number(radius, what="radius")
    if R <= 0:
        raise ValueError(f"radius must be positive, got {radius}")
    if not limit_budget > 0:
        raise ValueError(f"limit_budget must be a positive number of seconds, got {limit_budget}")
    if decades < 3:
        raise ValueError(f"decades must be at least 3, got {decades}")
    notes: list[str] = []
    bar = progress_bar(progress, "univariate decision", total=5 if rho_value is not None else 3)

    def step() -> None:
        if bar is not None:
            bar.update()

    try:
        continuity = _continuity(objective, limit_budget)
        step()
        sides = []
        for sign in (1, -1):
            search = not any(s.status == "never" for s in sides)
            sides.append(_side(objective, sign, rho_value, limit_budget, decades, sequence_budget, notes.append, search,
                               R))
            step()
        answer = _combine(sides)
        if not continuity.verified:
            answer = AnswerSet("undecided", answer.threshold, None,
                               f"continuity of f′ and f″ on R could not be verified ({continuity.message}); "
                               f"the side analysis gives: {answer.text()}",
                               fails_below=sp.oo if answer.kind == "never" else (
                                   answer.threshold if answer.kind in ("at-least", "greater-than")
                                   else answer.fails_below))
        decision = UnivariateDecision(objective, rho_value, answer, "undecided", "", continuity, sides, notes=notes)
        if rho_value is None:
            _without_rho(decision, limit_budget, decades)
        else:
            _at_rho(decision, rho_value, limit_budget, decades, R, bound_budget, step)
    finally:
        if bar is not None:
            bar.close()
    decision.seconds = time.perf_counter() - start
    return decision


def _without_rho(decision: UnivariateDecision, limit_budget: float, decades: int) -> None:
    answer = decision.answer
    if answer.kind == "never":
        side = next(s for s in decision.sides if s.status == "never")
        decision.certificate = side.refuting
        decision.reason = f"f′ is not ρ-order Lipschitz for any ρ: {side.reason}"
    elif answer.kind == "every":
        decision.reason = ("f″ is bounded on R (continuous, bounded near ±∞): f′ is globally Lipschitz, hence "
                           "ρ-order Lipschitz for every ρ ≥ 0 (Prop 2)")
    elif answer.kind in ("at-least", "greater-than"):
        deciding = next(s for s in decision.sides if s.status == "threshold" and compare(s.threshold,
                                                                                         answer.threshold) == 0)
        certificate = certify_curve(decision.objective, deciding.curve, every_rho=True, limit_budget=limit_budget,
                                    decades=decades, progress=False,
                                    claim=f"the curve refutes every ρ below the critical exponent "
                                          f"{sp.sstr(answer.threshold)}")
        decision.certificate = certificate
        decision.reason = (f"f′ is ρ-order Lipschitz iff {answer.text()} ({answer.reason}); the curve "
                           f"{deciding.curve.describe()} has certified critical exponent "
                           f"{sp.sstr(certificate.critical_exponent)}")
        if certificate.critical_exponent is None or compare(certificate.critical_exponent, answer.threshold) != 0:
            decision.answer = AnswerSet("undecided", answer.threshold, None,
                                        "the certificate's critical exponent does not match the side threshold")
            decision.reason = "the side threshold and the curve's certified critical exponent disagree"
    else:
        decision.reason = answer.reason
    decision.verdict = "undecided" if decision.answer.kind == "undecided" else "holds"


def _at_rho(decision: UnivariateDecision, rho: sp.Rational, limit_budget: float, decades: int, R: sp.Rational,
            bound_budget: float, step: Callable[[], None]) -> None:
    objective = decision.objective
    states = [s.at(rho) for s in decision.sides]
    if "unbounded" in states:
        for side, state in zip(decision.sides, states):
            if state != "unbounded":
                continue
            if side.rho_certificate is not None:
                decision.verdict, decision.certificate = "refuted", side.rho_certificate
                decision.reason = (f"r_ρ is unbounded near {side.label} for ρ = {sp.sstr(rho)}; certified along "
                                   f"{side.rho_certificate.curve.describe()} ({side.rho_certificate.reason})")
                return
            if side.refuting is not None:
                curve = side.refuting.curve
            elif side.status == "undecided" and side.partial_curve is not None:
                curve = side.partial_curve
            else:
                curve = side.curve
            certificate = certify_curve(objective, curve, rho=rho, limit_budget=limit_budget, decades=decades, progress=False)
            step()
            if certificate.verdict == "refuted":
                decision.verdict, decision.certificate = "refuted", certificate
                decision.reason = (f"r_ρ is unbounded near {side.label} for ρ = {sp.sstr(rho)}; certified along "
                                   f"{curve.describe()} ({certificate.reason})")
                return
            decision.notes.append(f"the certificate along {curve.describe()} at ρ = {sp.sstr(rho)} is "
                                  f"{certificate.verdict}: {certificate.reason}")
            decision.certificate = certificate
        decision.verdict = "undecided"
        decision.reason = "the side analysis says unbounded, but no certificate refutes this ρ"
        return
    if not decision.continuity.verified or "unknown" in states:
        unknown = [s.label for s, st in zip(decision.sides, states) if st == "unknown"]
        decision.verdict = "undecided"
        decision.reason = ("continuity on R is not verified" if not decision.continuity.verified else
                           f"the behaviour of r_ρ near {', '.join(unknown)} is not decided: "
                           + "; ".join(s.reason for s in decision.sides if s.label in unknown))
        return
    # holds: the proof route
    decision.verdict = "holds"
    proof = ["r_ρ = |f″|/(1 + |f′|^ρ) is continuous on R: " + "; ".join(decision.continuity.lines())]
    for side in decision.sides:
        if side.oscillating:
            proof.append(f"near {side.label} (oscillating, no limit used): {side.tail_bound.text()}")
        elif side.status == "every":
            proof.append(f"near {side.label}: lim f″² = {side.hess_limit.value_text()} (symbolic), so r_ρ ≤ |f″| "
                         f"stays bounded; {'; '.join(side.corroboration) or 'no numeric check'}")
        else:
            via = (f"ρ = {sp.sstr(rho)} {'>' if compare(rho, side.threshold) > 0 else '='} threshold "
                   f"{sp.sstr(side.threshold)}; " if side.status == "threshold" else "")
            proof.append(f"near {side.label}: {via}lim r_ρ² = {side.ratio_limit.value_text()} (symbolic); "
                         f"{'; '.join(side.corroboration) or 'no numeric check'}")
    proof.append("a continuous function with finite limits (or bounded behaviour) at ±∞ is bounded on R, so "
                 "sup r_ρ < ∞ and by Prop 6 f′ is ρ-order (and ρ-integrated) Lipschitz with C0 = C1 = sup r_ρ")
    step()
    bound = _compact_bound(objective, rho, R, limit_budget, bound_budget)
    decision.bound = bound
    estimates = [bound.upper] + [t.upper for t in bound.tails if t.upper is not None]
    rigorous = bound.rigorous_everywhere
    if not rigorous:
        # the tails are covered by the limits and by samples only
        with mp.workdps(30):
            for side in decision.sides:
                if side.table is not None:
                    estimates += [r.ratio.value for r in side.table.confirmed_rows()]
                if side.ratio_limit is not None and side.ratio_limit.kind == "finite":
                    estimates.append(mp.sqrt(to_mpf(side.ratio_limit.value)))
                if side.status == "every" and side.hess_limit.kind == "finite":
                    estimates.append(mp.sqrt(to_mpf(side.hess_limit.value)))
    finite = [e for e in estimates if mp.isfinite(e)]
    if not finite or not mp.isfinite(bound.upper):
        decision.notes.append("no finite compact bound was obtained; no explicit constants")
        decision.proof = proof
        decision.reason = (f"r_ρ is bounded on R for ρ = {sp.sstr(rho)} (continuity and the limits at ±∞), but no "
                           "explicit constant could be computed")
        return
    with mp.workdps(30):
        M = max(finite)
        if not rigorous:
            M = M * mp.mpf("1.05")
    M_rational = round_rational(M, 4, direction="up")
    if rigorous:
        why = (f"sup r_ρ ≤ {mp.nstr(M, 10)} on all of R: ball-arithmetic branch and bound on [−{R}, {R}] and on both "
               "compactified tails")
    else:
        missing = [t.text() for t in bound.tails if not t.rigorous]
        why = (f"rigorous only on [−{R}, {R}] (sup ≤ {mp.nstr(bound.upper, 10)}); the tails are covered by the "
               f"symbolic limits and sampled values plus 5%, not by a proof ({'; '.join(missing)})")
    constants = ExplicitConstants(rho, M_rational, M_rational, rigorous, why)
    step()
    constants.check = _check_constants(objective, constants, R, decades, time.perf_counter() + 10.0)
    if not constants.check.ok:
        decision.notes.append("the explicit constants FAIL the HessianGrowth check at some points: they are not "
                              "valid constants (the verdict rests on the limits, not on them)")
        constants.certified = False
    decision.constants = constants
    proof.append(f"explicit constants: C0 = C1 = {sp.sstr(M_rational)} "
                 f"({'certified' if constants.certified else 'estimate'}: {why})")
    decision.proof = proof
    decision.reason = (f"r_ρ is bounded on R for ρ = {sp.sstr(rho)}: continuous on R with "
                       + ", ".join(f"{_bounded_how(s)} near {s.label}" for s in decision.sides)
                       + f"; f′ is ρ-order Lipschitz with C0 = C1 = {sp.sstr(M_rational)}"
                       + ("" if constants.certified else " (estimate)"))


def _derivatives(objective: Objective, point: arb) -> tuple[arb, arb]:
    """(f′, f″) at a point or over a box, as balls (the objective's compiled program)."""
    gradient, hessian = objective.ball_derivatives([point])
    return gradient[0], hessian[0][0]
