"""Bregman conditions of log-sum-exp (softmax cross-entropy as a function of the logits), which is not separable.

Definitions: a reconstruction of seed 002 (abstract only), SPEC §4.3. F(u) = log Σ_i e^(u_i) + ⟨a, u⟩ + b on
Rⁿ (n ≥ 2; the cross-entropy of class y is a = −e_y); the linear part changes no divergence
d_F(g, h) = F(g) − F(h) − ⟨∇F(h), g − h⟩. With s = softmax(u) and v = g − h:

* **convex for no p** (both forms): F(u + t·1) = F(u) + t(1 + Σa_i) and ⟨∇F(u), 1⟩ = 1 + Σa_i, so
  d_F(h + t·1, h) = 0 for every t: the pairs differing by t·1 refute every c > 0, exactly.
* **smooth for q = 2 with the best constant c_Φ = 1/4**: ∇²F = diag(s) − ssᵀ (verified symbolically), so
  vᵀ∇²F v = Var_s(v) ≤ (max v − min v)²/4 (Popoviciu's inequality) ≤ ‖v‖²/2 ((a − b)² ≤ 2(a² + b²)); Taylor
  with integral remainder gives d_F ≤ ¼‖v‖². The constant is approached, not attained (for n ≥ 3 no
  softmax reaches λ_max = ½; for n = 2 only at isolated points of a segment): along
  h = 0 (n = 2), resp. h = (0, 0, −t, …, −t), g = h + (e₁ − e₂)/t, the ratio → 1/4 (a symbolic limit).
* **smooth for q = 1 with the best constant √2**: log Σ e^(h_i + v_i) ≤ max v + log Σ e^(h_i) and
  ⟨s, v⟩ ≥ min v give d_F ≤ max v − min v ≤ √2‖v‖; approached along h = (−t, 0, −t, …),
  v = t²(e₁ − e₂) (a symbolic limit).
* **1 < q < 2**: d_F ≤ min(¼x², √2·x), x = ‖v‖, so d_F ≤ (¼)^(q−1)(√2)^(2−q) x^q = 2^(3 − 5q/2) x^q (a proved
  upper end); the lower end is the ratio at the best of a grid of exact pairs, bounded below in ball
  arithmetic: the best constant is enclosed, not exact.
* **q > 2 or q < 1: refuted**: along h + (e₁ − e₂)/t the ratio ~ ¼·2^(1−q/2)… t^(q−2) → ∞; along
  h + t(e₁ − e₂) it grows like t^(1−q) → ∞.

The relative form (h = u*) needs a minimiser: ∇F(u*) = s(u*) + a = 0 has a solution exactly when −a lies in
the open simplex (then u* = log(−a) up to t·1); the cross-entropy (a = −e_y) has none, and the relative form
is then ``undecided`` with that reason. When one exists: convexity refuted as above (g = u* + t·1), and for
q ∈ [1, 2] the two-point upper ends hold, enclosed with a witness lower end.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp
from flint import arb

from ..budget import run_with_budget
from ..errors import UnsupportedForBalls
from ..numbers import compare
from ..objective import VectorField
from ..precision import working_precision
from .decide import Kind
from .divergence import RECONSTRUCTION_NOTE
from .exponents import ExponentSet
from .separable import LIMIT_BUDGET, VectorDecision, VectorPairSequence, parse_exponent

__all__ = ["LogSumExpForm", "recognise_log_sum_exp", "decide_lse", "lse_exponents", "hessian_identity",
           "SMOOTH_CONSTANT", "ONE_CONSTANT", "smooth_upper_bound", "witness_lower_bound"]

#: The best H(Φ)-smoothness constant of log-sum-exp with q = 2: sup λ_max(∇²F)/2 = 1/4.
SMOOTH_CONSTANT = sp.Rational(1, 4)
#: The best constant with q = 1: √2.
ONE_CONSTANT = sp.sqrt(2)
#: Logits up to which the Hessian identity is verified for the given n (beyond it: for n = 3).
_HESSIAN_CHECK_MAX_N = 5
#: Seconds for the symbolic Hessian identity.
_HESSIAN_BUDGET = 20.0


@dataclass(frozen=True)
class LogSumExpForm:
    """F = log Σ_i e^(u_i) + ⟨a, u⟩ + b: the variables u_1 … u_n, the linear coefficients a (exact)."""

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    linear: tuple[sp.Rational, ...]

    @property
    def n(self) -> int:
        return len(self.variables)

    @property
    def minimiser(self) -> tuple[sp.Expr, ...] | None:
        """u* = log(−a) when −a is in the open simplex (all −a_i > 0, Σ −a_i = 1), else None."""
        weights = [-a for a in self.linear]
        if all(w > 0 for w in weights) and sp.Add(*weights) == 1:
            return tuple(sp.log(w) for w in weights)
        return None


def recognise_log_sum_exp(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> LogSumExpForm | None:
    """The log-sum-exp form of F (one term log(e^(u_1) + … + e^(u_n)) over all the variables, plus a polynomial
    of degree ≤ 1 with rational coefficients), or None."""
    variables = tuple(variables)
    logs = [piece for piece in sp.Add.make_args(expr) if isinstance(piece, sp.log) and piece.free_symbols]
    if len(logs) != 1 or len(variables) < 2:
        return None
    (log_term,) = logs
    exps = sp.Add.make_args(log_term.args[0])
    if len(exps) != len(variables) or not all(isinstance(e, sp.exp) for e in exps):
        return None
    if sorted((e.args[0] for e in exps), key=str) != sorted(variables, key=str):
        return None
    rest = sp.expand(expr - log_term)
    varying = sp.Add(*(piece for piece in sp.Add.make_args(rest) if piece.free_symbols))
    if varying.has(sp.log, sp.exp):
        return None
    try:
        poly = sp.Poly(varying, *variables)
    except sp.PolynomialError:
        return None
    linear = tuple(poly.coeff_monomial(v) for v in variables)
    if poly.total_degree() > 1 or not all(c.is_Rational for c in linear):
        return None
    return LogSumExpForm(expr, variables, linear)


def softmax(variables: Sequence[sp.Symbol]) -> list[sp.Expr]:
    total = sp.Add(*(sp.exp(v) for v in variables))
    return [sp.exp(v) / total for v in variables]


def _identity_holds(form: LogSumExpForm) -> bool:
    hessian = sp.hessian(form.expr, form.variables)
    s = softmax(form.variables)
    n = form.n
    return all(sp.simplify(hessian[i, j] - ((s[i] if i == j else 0) - s[i] * s[j])) == 0
               for i in range(n) for j in range(n))


def hessian_identity(form: LogSumExpForm, seconds: float = _HESSIAN_BUDGET) -> bool | None:
    """∇²F = diag(s) − ssᵀ, verified symbolically entry by entry (for n ≤ 5, else for the same form with 3
    logits); None when SymPy does not finish within ``seconds``."""
    if form.n > _HESSIAN_CHECK_MAX_N:
        small = sp.symbols("w1:4", real=True)
        form = LogSumExpForm(sp.log(sp.Add(*(sp.exp(w) for w in small))), small, (0, 0, 0))
    outcome = run_with_budget(_identity_holds, form, seconds=seconds)
    return bool(outcome.value) if outcome.ok else None


def smooth_upper_bound(q: sp.Rational) -> sp.Expr:
    """The proved upper end 2^(3 − 5q/2) = (¼)^(q−1)(√2)^(2−q) of the best constant, 1 ≤ q ≤ 2."""
    return sp.Integer(2) ** (3 - sp.Rational(5, 2) * q)


def _unit(n: int, i: int) -> list[sp.Expr]:
    return [sp.Integer(1) if k == i else sp.Integer(0) for k in range(n)]


def _rational_below(ball: arb) -> sp.Rational | None:
    if not ball.is_finite():
        return None
    mantissa, exponent = ball.lower().mid().man_exp()
    exact = sp.Rational(int(mantissa)) * sp.Integer(2) ** int(exponent)
    if exact <= 0:
        return exact
    shift = 8 - int(sp.floor(sp.log(exact, 10)))
    return sp.floor(exact * sp.Integer(10) ** shift) / sp.Integer(10) ** shift


def witness_lower_bound(form: LogSumExpForm, q: sp.Rational, base: Sequence[sp.Expr] | None) -> \
        tuple[sp.Rational, str] | None:
    """max over a grid of exact pairs of the ratio's lower ball end (a proved lower end of the best constant):
    h = base or (−τ, 0, −τ, …, −τ), v = w(e₁ − e₂), τ ∈ {0, 1, 2, 4, 8, 16}, w = 2^k, k = −2 … 10."""
    tau, w = sp.Symbol("tau", real=True), sp.Symbol("w", positive=True)
    n = form.n
    h = list(base) if base is not None else [-tau if i != 1 else sp.Integer(0) for i in range(n)]
    g = [hi + w * (sp.Integer(1) if i == 0 else -1 if i == 1 else 0) for i, hi in enumerate(h)]
    sequence = VectorPairSequence(form.expr, form.variables, q, tuple(g), tuple(h), w, "", "value")
    try:
        ratio = VectorField([sequence.ratio], [tau, w], name="ratio", smooth=False)
        best: tuple[sp.Rational, str] | None = None
        taus = [0] if base is not None else [0, 1, 2, 4, 8, 16]
        with working_precision(40):
            for t in taus:
                for k in range(-2, 11):
                    value = _rational_below(ratio.ball([arb(t), arb(2) ** k])[0])
                    if value is not None and (best is None or value > best[0]):
                        best = (value, f"τ = {t}, w = 2^{k}")
        return best
    except UnsupportedForBalls:
        return None


def _sequence(form: LogSumExpForm, q: sp.Rational, g: list[sp.Expr], h: list[sp.Expr], t: sp.Symbol,
              description: str, target: str, expected: sp.Expr | None, deadline: float) -> VectorPairSequence:
    sequence = VectorPairSequence(form.expr, form.variables, q, tuple(g), tuple(h), t, description, target,
                                  expected=expected)
    left = max(0.5, deadline - time.perf_counter())
    return sequence.certify(limit_budget=min(LIMIT_BUDGET, left), decades=4, deadline=None)


def _base(form: LogSumExpForm, minimiser: bool) -> list[sp.Expr]:
    if minimiser:
        return list(form.minimiser)
    return [sp.Integer(0)] * form.n


def _along(base: list[sp.Expr], direction: list[sp.Expr], scale: sp.Expr) -> list[sp.Expr]:
    return [b + scale * d for b, d in zip(base, direction)]


def _convex(decision: VectorDecision, form: LogSumExpForm, base: list[sp.Expr], t: sp.Symbol,
            deadline: float) -> None:
    ones = [sp.Integer(1)] * form.n
    sequence = _sequence(form, decision.p, _along(base, ones, t), base, t, "g − h = t·1", "zero", None, deadline)
    decision.certificate = sequence
    decision.verdict = "refuted" if sequence.confirmed else "undecided"
    decision.route.append("F(u + t·1) = F(u) + t(1 + Σa_i) and ⟨∇F(u), 1⟩ = 1 + Σa_i: d_F(h + t·1, h) = 0 for "
                          "every t (verified symbolically at the certificate's pairs), so no c > 0 works for any p")


def _refute_smooth(decision: VectorDecision, form: LogSumExpForm, base: list[sp.Expr], t: sp.Symbol,
                   deadline: float) -> None:
    direction = [a - b for a, b in zip(_unit(form.n, 0), _unit(form.n, 1))]
    small = compare(decision.p, 2) > 0
    scale = 1 / t if small else t
    description = "g − h = (e₁ − e₂)/t" if small else "g − h = t(e₁ − e₂)"
    sequence = _sequence(form, decision.p, _along(base, direction, scale), base, t, description, "infinite", None,
                         deadline)
    decision.certificate = sequence
    decision.verdict = "refuted" if sequence.confirmed else "undecided"
    decision.route.append("q > 2: d_F ~ ½vᵀ∇²F(h)v > 0 as v → 0 along e₁ − e₂, so the ratio ~ ‖v‖^(2−q) → ∞"
                          if small else "q < 1: d_F grows like ‖v‖ along e₁ − e₂, so the ratio ~ ‖v‖^(1−q) → ∞")


def _hessian_route(decision: VectorDecision, form: LogSumExpForm, seconds: float) -> bool:
    identity = hessian_identity(form, seconds)
    size = form.n if form.n <= _HESSIAN_CHECK_MAX_N else 3
    if not identity:
        decision.route.append("∇²F = diag(s) − ssᵀ could not be verified symbolically within the budget")
        return False
    decision.route.append(f"∇²F = diag(s) − ssᵀ, s = softmax(u): verified symbolically (n = {size})")
    decision.route.append("vᵀ∇²F v = Var_s(v) ≤ (max v − min v)²/4 (Popoviciu) ≤ ‖v‖²/2, and d_F = "
                          "∫₀¹(1 − θ)vᵀ∇²F(h + θv)v dθ ≤ ¼‖v‖²")
    return True


def _contradicts(decision: VectorDecision, approach: VectorPairSequence) -> bool:
    """A computed approach limit other than the constant contradicts the proof: nothing is claimed then."""
    limit = approach.limit
    if limit is None or limit.kind == "unknown" or approach.confirmed:
        return False
    decision.verdict = "undecided"
    decision.notes.append(f"internal inconsistency: the ratio tends to {limit.value_text()} along the approach "
                          f"sequence, not to the constant {sp.sstr(approach.expected)}; no constant is claimed")
    return True


def _smooth_two(decision: VectorDecision, form: LogSumExpForm, t: sp.Symbol, deadline: float) -> None:
    if not _hessian_route(decision, form, max(1.0, min(_HESSIAN_BUDGET, deadline - time.perf_counter()))):
        decision.verdict = "undecided"
        return
    n = form.n
    h = [sp.Integer(0) if i < 2 else -t for i in range(n)]
    direction = [a - b for a, b in zip(_unit(n, 0), _unit(n, 1))]
    where = "h = 0" if n == 2 else "h = (0, 0, −t, …, −t)"
    approach = _sequence(form, decision.p, _along(h, direction, 1 / t), h, t, f"{where}, g = h + (e₁ − e₂)/t",
                         "value", SMOOTH_CONSTANT, deadline)
    decision.approach = approach
    if _contradicts(decision, approach):
        return
    decision.verdict = "holds"
    if approach.confirmed:
        decision.constant = SMOOTH_CONSTANT
        decision.attained = (f"approached, not attained: the ratio → 1/4 along {where}, g − h = (e₁ − e₂)/t, "
                             "t → ∞ (symbolic limit)")
    else:
        decision.constant_bounds = (sp.Integer(0), SMOOTH_CONSTANT)
        decision.attained = "the approach limit was not computed within the budget: only the upper end is proved"


def _smooth_one(decision: VectorDecision, form: LogSumExpForm, t: sp.Symbol, deadline: float) -> None:
    n = form.n
    decision.route.append("log Σ e^(h_i + v_i) ≤ max v + log Σ e^(h_i) and ⟨s, v⟩ ≥ min v, so d_F ≤ max v − min v "
                          "≤ √2‖v‖ ((a − b)² ≤ 2(a² + b²))")
    h = [sp.Integer(0) if i == 1 else -t for i in range(n)]
    direction = [a - b for a, b in zip(_unit(n, 0), _unit(n, 1))]
    approach = _sequence(form, decision.p, _along(h, direction, t**2), h, t,
                         "h = (−t, 0, −t, …, −t), g = h + t²(e₁ − e₂)", "value", ONE_CONSTANT, deadline)
    decision.approach = approach
    if _contradicts(decision, approach):
        return
    decision.verdict = "holds"
    if approach.confirmed:
        decision.constant = ONE_CONSTANT
        decision.attained = ("approached, not attained: the ratio → √2 along h = (−t, 0, −t, …), "
                             "g − h = t²(e₁ − e₂), t → ∞ (symbolic limit)")
    else:
        decision.constant_bounds = (sp.Integer(0), ONE_CONSTANT)
        decision.attained = "the approach limit was not computed within the budget: only the upper end is proved"


def _smooth_between(decision: VectorDecision, form: LogSumExpForm, base: list[sp.Expr] | None) -> None:
    q = decision.p
    upper = smooth_upper_bound(q)
    decision.route.append("d_F ≤ min(¼‖v‖², √2‖v‖) (the q = 2 and q = 1 bounds), so d_F/‖v‖^q ≤ "
                          f"(¼)^(q−1)(√2)^(2−q) = {sp.sstr(upper)}")
    witness = witness_lower_bound(form, q, base)
    lower = witness[0] if witness is not None else sp.Integer(0)
    if witness is not None:
        decision.route.append(f"lower end: the ratio at the exact pair {witness[1]} (h, v = w(e₁ − e₂)), bounded "
                              "below in ball arithmetic")
    decision.verdict = "holds"
    decision.constant_bounds = (lower, upper)
    decision.attained = "the best constant is enclosed, not computed exactly"


def decide_lse(form: LogSumExpForm, *, kind: Kind, p: object, minimiser: bool = False, time_budget: float = 30.0,
               label: str | None = None) -> VectorDecision:
    """Decide H(φ)-convexity / H(Φ)-smoothness of log-sum-exp plus a linear term (module docstring)."""
    start = time.perf_counter()
    deadline = start + time_budget
    exponent = parse_exponent(p)
    decision = VectorDecision(loss=label or sp.sstr(form.expr), kind=kind, p=exponent, minimiser=minimiser,
                              variables=tuple(v.name for v in form.variables), method="log-sum-exp",
                              notes=[RECONSTRUCTION_NOTE])
    t = sp.Symbol("t", positive=True)
    if minimiser and form.minimiser is None:
        decision.verdict = "undecided"
        decision.route.append("F has no minimiser (∇F = softmax(u) + a = 0 needs −a in the open simplex): the "
                              "relative form does not apply")
    elif kind == "convex":
        _convex(decision, form, _base(form, minimiser), t, deadline)
    elif compare(exponent, 2) > 0 or compare(exponent, 1) < 0:
        _refute_smooth(decision, form, _base(form, minimiser), t, deadline)
    elif minimiser:
        decision.route.append("the relative form restricts the two-point inequality to h = u*: its upper ends hold")
        _smooth_between(decision, form, _base(form, minimiser))
    elif exponent == 2:
        _smooth_two(decision, form, t, deadline)
    elif exponent == 1:
        _smooth_one(decision, form, t, deadline)
    else:
        _smooth_between(decision, form, None)
    decision.seconds = time.perf_counter() - start
    return decision


def lse_exponents(form: LogSumExpForm, *, kind: Kind, minimiser: bool = False,
                  label: str | None = None) -> ExponentSet:
    """The exponents of log-sum-exp: convex for none; smooth exactly for q ∈ [1, 2] (module docstring)."""
    result = ExponentSet(loss=label or sp.sstr(form.expr), kind=kind, minimiser=minimiser,
                         notes=[RECONSTRUCTION_NOTE])
    if minimiser and form.minimiser is None:
        result.undecided.append("F has no minimiser: the relative form does not apply")
        return result
    if kind == "convex":
        result.empty = True
        result.reasons.append("d_F(h + t·1, h) = 0 for every t: no p works")
        return result
    result.lower, result.upper = sp.Integer(1), sp.Integer(2)
    result.reasons.extend(["q < 1 fails: d_F grows like ‖v‖ along e₁ − e₂; q = 1 holds (d_F ≤ max v − min v ≤ "
                           "√2‖v‖)", "q > 2 fails: d_F ~ ½vᵀ∇²F v > 0 as v → 0; q = 2 holds (∇²F ⪯ ½I)"])
    return result
