"""The set of exponents p for which a loss is H(φ)-convex / H(Φ)-smooth with φ, Φ = |·|^p.

Definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3. The set is an interval (possibly
empty or a point): d_F ≥ max(c_a|v|^a, c_b|v|^b) ≥ c_a^θ c_b^(1−θ) |v|^(θa + (1−θ)b), and likewise with min
for smoothness, so the best constants are log-concave / log-convex in p. Its ends come from:

* **scaling** — F = c|u|^a: R_p(λh, λv) = λ^(a−p) R_p(h, v), so only p = a can work (decided at p = a);
* **a certificate with g − h fixed** (h → ±∞): the ratio does not depend on p, so it refutes every exponent
  (softplus convexity, exponential smoothness): the set is empty;
* **v → 0 at a fixed h** — R_p = R₂·|v|^(2−p) with R₂ → F″(h)/2: convexity needs p ≥ 2 where F″(h) < ∞,
  smoothness needs q ≤ 2 where F″(h) > 0 (the decision at 2 gives the end);
* **growth at infinity** — γ = lim log d_F(±t, 0)/log t: convexity needs p ≤ min γ, smoothness q ≥ max γ;
  for smoothness R_q = R₁·|v|^(1−q) with R₁ → sup F′ − F′(h) > 0, so q ≥ 1, and q = 1 holds iff F′ is
  bounded (then [1, 2] by interpolation);
* the relative forms (h = u*): the local order α of F(u* + s) − F(u*) at s → 0 and its growth γ at ±∞:
  convexity for p ∈ [α, γ], smoothness for q ∈ [γ, α], each end included iff the decision there holds.

What these do not settle is listed in ``undecided``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import sympy as sp

from ..limits import limit_at_infinity
from ..results import Result, json_value
from .decide import BregmanDecision, Kind, as_loss, check_kind, decide_bregman, homogeneous_degree
from .divergence import RECONSTRUCTION_NOTE, BregmanLoss
from .sequences import SEQUENCE_PARAMETER, PairSequence

__all__ = ["ExponentSet", "bregman_exponents", "growth_exponent"]

_t = SEQUENCE_PARAMETER


@dataclass
class ExponentSet(Result):
    """{p > 0 : the loss is H(φ)-convex with φ = |·|^p} (``kind="convex"``) or H(Φ)-smooth (``"smooth"``),
    h a minimiser when ``minimiser``: ``empty``, or the interval from ``lower`` to ``upper`` with the
    closed/open flags; ``reasons`` gives each end's reason, ``undecided`` what is not settled, and
    ``decisions`` the decisions at the ends (with their routes or certificates)."""

    json_kind = "bregman"
    loss: str
    kind: Kind
    minimiser: bool
    empty: bool = False
    lower: sp.Expr | None = None
    upper: sp.Expr | None = None
    lower_closed: bool = True
    upper_closed: bool = True
    reasons: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    decisions: list[BregmanDecision] = field(default_factory=list)
    certificate: PairSequence | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """``holds`` when the set is known exactly (empty or an interval), ``undecided`` otherwise."""
        known = self.empty or (self.lower is not None and self.upper is not None)
        return "holds" if known and not self.undecided else "undecided"

    def as_set(self) -> sp.Set | None:
        """The set as a SymPy set (None when an end is unknown)."""
        if self.empty:
            return sp.EmptySet
        if self.lower is None or self.upper is None:
            return None
        return sp.Interval(self.lower, self.upper, not self.lower_closed, not self.upper_closed)

    def contains(self, p: object) -> bool | None:
        exact = self.as_set()
        return None if exact is None else bool(exact.contains(sp.nsimplify(p)))

    def text(self) -> str:
        if self.empty:
            return "∅"
        if self.lower is None or self.upper is None:
            return "not determined"
        if self.lower == self.upper:
            return "{" + sp.sstr(self.lower) + "}"
        left, right = "[" if self.lower_closed else "(", "]" if self.upper_closed else ")"
        upper = "∞" if self.upper == sp.oo else sp.sstr(self.upper)
        return f"{left}{sp.sstr(self.lower)}, {upper}{right}"

    def report(self) -> str:
        what = "H(φ)-convex" if self.kind == "convex" else "H(Φ)-smooth"
        relative = " (relative to a minimiser)" if self.minimiser else ""
        lines = [f"loss F(u) = {self.loss}", f"exponents p for which F is {what} with |·|^p{relative}: {self.text()}"]
        lines += [f"reason: {r}" for r in self.reasons]
        lines += [f"undecided: {u}" for u in self.undecided]
        if self.certificate is not None:
            lines.append("certificate: " + self.certificate.report())
        lines += self.notes
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "loss": self.loss,
            "kind": self.kind,
            "minimiser": self.minimiser,
            "verdict": self.verdict,
            "exponents": {"empty": self.empty, "text": self.text(), "lower": json_value(self.lower),
                          "upper": json_value(self.upper), "lower_closed": self.lower_closed,
                          "upper_closed": self.upper_closed},
            "reasons": list(self.reasons),
            "undecided": list(self.undecided),
            "decisions": [d.to_json() for d in self.decisions],
            "certificate": None if self.certificate is None else self.certificate.to_json(),
            "notes": list(self.notes),
        }


def growth_exponent(expression: sp.Expr, *, seconds: float = 10.0) -> sp.Expr | None:
    """lim_{t→∞} log(expression)/log(t) for a positive expression in t (∞ for exponential growth);
    None when SymPy does not decide it."""
    outcome = limit_at_infinity(sp.log(expression) / sp.log(_t), _t, seconds=seconds)
    return outcome.value if outcome.kind in ("finite", "infinite") else None


def bregman_exponents(loss: BregmanLoss | str, *, kind: Kind, var: str = "u", minimiser: bool = False,
                      time_budget: float = 30.0) -> ExponentSet:
    """The set of exponents p for which the loss is H(φ)-convex (``kind="convex"``) or H(Φ)-smooth with
    φ, Φ = |·|^p (module docstring), h a minimiser when ``minimiser``."""
    loss = as_loss(loss, var)
    kind = check_kind(kind)
    deadline = time.perf_counter() + time_budget
    result = ExponentSet(loss=loss.name, kind=kind, minimiser=minimiser, notes=[RECONSTRUCTION_NOTE])
    if minimiser:
        _relative(loss, result, deadline)
    else:
        _two_point(loss, result, deadline)
    return result


def _decide(loss: BregmanLoss, result: ExponentSet, p: object, deadline: float) -> BregmanDecision:
    decision = decide_bregman(loss, kind=result.kind, p=p, minimiser=result.minimiser,
                              time_budget=max(1.0, deadline - time.perf_counter()))
    result.decisions.append(decision)
    return decision


def _empty(result: ExponentSet, decision: BregmanDecision, why: str) -> None:
    result.empty = True
    result.certificate = decision.certificate
    result.reasons.append(why)


def _two_point(loss: BregmanLoss, result: ExponentSet, deadline: float) -> None:
    degree = homogeneous_degree(loss, seconds=max(0.1, min(10.0, deadline - time.perf_counter())))
    if degree is not None:
        decision = _decide(loss, result, degree, deadline)
        scaling = (f"F = {sp.sstr(loss.value(1))}·|u|^{sp.sstr(degree)}: R_p(λh, λv) = λ^({sp.sstr(degree)} − p) R_p(h, v), "
                   f"so no p ≠ {sp.sstr(degree)} works")
        if decision.verdict == "holds":
            result.lower = result.upper = degree
            result.reasons += [scaling, f"p = {sp.sstr(degree)}: holds ({decision.constant_text()})"]
        elif decision.verdict == "refuted":
            _empty(result, decision, f"{scaling}; p = {sp.sstr(degree)} is refuted ({decision.certificate.description})")
        else:
            result.undecided.append(f"p = {sp.sstr(degree)} (the only candidate, by scaling) was not decided")
        return
    at_two = _decide(loss, result, 2, deadline)
    if at_two.verdict == "refuted" and at_two.every_exponent:
        _empty(result, at_two, f"along {at_two.certificate.description} the ratio does not depend on p and tends to "
                               f"{'0' if result.kind == 'convex' else '∞'}: every exponent is refuted")
        return
    growth = _growths(loss, deadline)
    if result.kind == "convex":
        _convex_ends(result, at_two, growth)
    else:
        _smooth_ends(loss, result, at_two, growth, deadline)


def _growths(loss: BregmanLoss, deadline: float) -> list[sp.Expr | None]:
    zero = loss.piece_at(0)
    found = []
    for s in (1, -1):
        piece = loss.pieces[-1] if s > 0 else loss.pieces[0]
        divergence = loss.piece_divergence(s * _t, sp.Integer(0), piece, zero)
        found.append(growth_exponent(divergence, seconds=max(0.1, min(10.0, deadline - time.perf_counter()))))
    return found


def _convex_ends(result: ExponentSet, at_two: BregmanDecision, growth: list[sp.Expr | None]) -> None:
    below = "p < 2: R_p = R₂·|v|^(2−p) → 0 as v → 0 at any h where F″(h) < ∞"
    if None in growth:
        result.undecided.append("the growth of d_F at infinity was not computed")
        return
    top = min(growth, key=lambda g: float("inf") if g == sp.oo else float(g))
    above = f"p > {sp.sstr(top)}: d_F(±t, 0) grows like t^{sp.sstr(top)}, so R_p(0, ±t) → 0"
    if at_two.verdict == "holds":
        result.lower, result.upper = sp.Integer(2), sp.Integer(2)
        result.reasons += [below, f"p = 2: holds ({at_two.constant_text()})"]
        if top == 2:
            result.reasons.append(above)
        else:
            result.undecided.append(f"p in {_above_two(top)}: no route (upper end not determined)")
            result.upper = None
    elif at_two.verdict == "refuted":
        if top <= 2:
            result.empty = True
            result.reasons += [below, "p = 2: refuted", above]
        else:
            result.undecided.append(f"p in {_above_two(top)}: no route (p = 2 is refuted)")
    else:
        result.undecided.append("p = 2 was not decided")


def _above_two(top: sp.Expr) -> str:
    return "(2, ∞)" if top == sp.oo else f"(2, {sp.sstr(top)}]"


def _smooth_ends(loss: BregmanLoss, result: ExponentSet, at_two: BregmanDecision, growth: list[sp.Expr | None],
                 deadline: float) -> None:
    above = "q > 2: R_q = R₂·|v|^(2−q) → ∞ as v → 0 at a point where F″ > 0 (sup F″ > 0)"
    if at_two.verdict == "holds" and at_two.constant == 0:
        result.lower, result.upper, result.lower_closed, result.upper_closed = sp.Integer(0), sp.oo, False, False
        result.reasons.append("sup F″ = 0: F is affine and d_F ≡ 0, so every q > 0 works with c = 0")
        return
    if at_two.verdict != "holds":
        result.undecided.append(f"q = 2 is {at_two.verdict}; no route for q < 2 without it")
        return
    result.upper = sp.Integer(2)
    result.reasons += [above, f"q = 2: holds ({at_two.constant_text()})"]
    at_one = _decide(loss, result, 1, deadline)
    if at_one.verdict == "holds":
        result.lower = sp.Integer(1)
        result.reasons += ["q < 1: R_q = R₁·|v|^(1−q) with R₁ → sup F′ − F′(h) > 0 as v → ∞: → ∞",
                           f"q = 1: holds ({at_one.constant_text()}); 1 < q < 2 by interpolation "
                           "(c(q) ≤ c(1)^(2−q) c(2)^(q−1))"]
        return
    if None in growth:
        result.undecided.append("q < 2: the growth of d_F at infinity was not computed")
        return
    low = max(growth, key=lambda g: float("inf") if g == sp.oo else float(g))
    if low == 2:
        result.lower = sp.Integer(2)
        result.reasons.append("q < 2: d_F(±t, 0) grows like t², so R_q(0, ±t) → ∞")
    else:
        result.undecided.append(f"q in [{sp.sstr(low)}, 2): no route (q = 1 is {at_one.verdict})")


def _relative(loss: BregmanLoss, result: ExponentSet, deadline: float) -> None:
    found = loss.minimisers(time_budget=max(0.1, min(10.0, deadline - time.perf_counter())))
    if not found:
        result.undecided.append("F has no minimiser: the relative form does not apply" if found == []
                                else "the minimisers of F were not found exactly")
        return
    star = found[0]
    seconds = max(0.1, min(10.0, deadline - time.perf_counter()))
    local, far = [], []
    for s in (1, -1):
        near_piece, far_piece = loss.piece_at(star, s), (loss.pieces[-1] if s > 0 else loss.pieces[0])
        base = near_piece.expr.subs(loss.var, star)
        local.append(growth_exponent(1 / (near_piece.expr.subs(loss.var, star + s / _t) - base), seconds=seconds))
        far.append(growth_exponent(far_piece.expr.subs(loss.var, star + s * _t) - base, seconds=seconds))
    if None in local or None in far or sp.oo in local:
        result.undecided.append("the local order or the growth of F − F(u*) was not computed")
        return
    if result.kind == "convex":
        lower, upper = max(local), min(far)
    else:
        lower, upper = max(far), min(local)
    result.reasons.append(f"u* = {sp.sstr(star)}: F(u* + s) − F(u*) has order |s|^{sp.sstr(max(local))} as s → 0 and grows "
                          f"like |s|^({', '.join(sp.sstr(g) for g in far)}) as s → ±∞")
    if _order_key(lower) > _order_key(upper):
        result.empty = True
        result.reasons.append(f"{'α' if result.kind == 'convex' else 'γ'} = {sp.sstr(lower)} > {sp.sstr(upper)}: no exponent")
        return
    result.lower, result.upper = lower, upper
    for end, attr in ((lower, "lower_closed"), (upper, "upper_closed")):
        if end == sp.oo:
            setattr(result, attr, False)
            continue
        decision = _decide(loss, result, end, deadline)
        if decision.verdict == "undecided":
            result.undecided.append(f"p = {sp.sstr(end)} (an end) was not decided")
        setattr(result, attr, decision.verdict == "holds")
    result.reasons.append("between the ends the ratio is continuous, positive, and tends to ∞ (convex) / 0 (smooth) at "
                          "s → 0 and s → ±∞ (u* is the only minimiser)")


def _order_key(value: sp.Expr) -> float:
    return float("inf") if value == sp.oo else float(value)
