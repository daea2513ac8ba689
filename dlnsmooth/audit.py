"""The audit of claimed constants: a search for a point where ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ.

The claim is a pointwise condition of the catalogue (:mod:`dlnsmooth.conditions`), built by
:func:`dlnsmooth.violation.claimed_condition` from the constants given:
:class:`~dlnsmooth.conditions.HessianGrowth` (Props 5–6)::

    ‖∇²f(x)‖₂ ≤ C0 + C1 ‖∇f(x)‖^ρ   for all x,

or :class:`~dlnsmooth.conditions.L0L1Smooth`, its case ρ = 1 with (L0, L1) — spectral norm of
the Hessian (the norm of the definitions), Euclidean norm of the gradient, ``0^0 = 1``. The
constants are exact reals ≥ 0 (``"0.99"``, ``"3/2"``, ``"sqrt(5)"``, ``"30/6**(4/5)"``,
``"log(2)"``, ``"pi"``). By Props 5 and 6 the inequality holds exactly when ∇f is ρ-order
(and ρ-integrated) Lipschitz with the same constants, so one point where it fails refutes
the claimed constants for ρ — nothing more: other constants may work.

**The proof route.** When f has one variable, or is a separable sum f = Σ g_i(x_i) + c
(:func:`dlnsmooth.separable.separable_split`), the audit first tries to *prove* the claim on
all of Rⁿ (:func:`prove_claim`, at most :data:`PROOF_SHARE` of the budget): for one variable
:func:`dlnsmooth.bounds.prove_pointwise_bound` decides |f″| ≤ C0 + C1|f′|^ρ on R (for n = 1
every Hessian norm is |f″|); for a separable sum ∇²f is diagonal, so ‖∇²f‖₂ = max_i |g_i″|
and ‖∇f‖ ≥ |g_i′|, and every term proved with the same (C0, C1) proves f in the spectral norm
(sufficient only: a term that fails does not refute f, since the other terms add to ‖∇f‖).
Exact points where a part fails are handed to the confirmation first, on f itself (the other
coordinates 0). The search below runs in every case, as a cross-check.

Where the search looks (within a time budget, deterministic for a seed):

1. stationary points with a non-zero Hessian (there ‖∇f‖ = 0 and the right side is C0, or
   C0 + C1 for ρ = 0): SymPy's ``solve`` of ∇f = 0 for small polynomial systems (under
   :func:`dlnsmooth.budget.run_with_budget`; free parameters of positive-dimensional solution
   sets are sampled), and multi-start Newton (scipy in float64 from seeded starts at several
   scales, refined by Newton's method in mpmath to many digits). A point is labelled a
   "stationary point" only when ∇f is exactly 0 there (exact zero balls); a rounded solution
   is a "near-stationary point" with its ‖∇f‖;
2. points along the search curves of :func:`dlnsmooth.search.candidate_curves` (monomial and
   monomial-log curves) at t = 10^1 … 10^32;
3. multi-start local maximisation of the ratio ‖∇²f‖₂/(C0 + C1‖∇f‖^ρ): scipy's Nelder–Mead in
   float64 from seeded random starts at several scales (points where float64 overflows or
   leaves the domain count as worst), then a compass search in mpmath from the best few.

What is rigorous and what is not: the float64 screening
(:meth:`~dlnsmooth.objective.Objective.float_derivatives`) and the mpmath re-evaluation (exact
decimal point, working precision raised by the conditioning of exp/sin/… there; right side
:meth:`~dlnsmooth.conditions.HessianGrowth.bound`) only *propose* points. A point whose left
side exceeds its right side beyond rounding is handed to
:func:`dlnsmooth.violation.confirm_violation`, which decides in ball arithmetic at the exact
point inside the domain of f; only a confirmed violation makes the verdict ``refuted``. So a
claim that holds with equality (eˣ with L0 = 0, L1 = 1; x² with C0 = 2, C1 = 0;
e^(2x1 − x2) with L0 = 0, L1 = √5) is never reported as violated. Points where both sides
agree to 30 digits in mpmath are still compared in ball arithmetic (a few of them), which is
exact when the values are exact: 10⁴⁰x² with ρ = 0, C0 = 2·10⁴⁰ − 1, C1 = 0 is refuted at x = 0.
Points outside the domain of f (where f itself is not real) are skipped.

The sources are searched in this order and the search stops at the first confirmed
violation; when the time budget is spent it stops and says so.

Verdicts: ``holds`` (the proof route proved the claim and the search confirmed no
violation), ``refuted`` (with the point, both sides to 30 digits and the ball bounds),
``not refuted`` (no proof, no violation found; with the largest ratio seen and where — not a
proof that the claim holds: the search is finite), or ``undecided`` when a proof and a
confirmed violation disagree (a bug in one of them; neither is trusted).

Limits: objectives with at most :data:`MAX_VARIABLES` variables (the symbolic Hessian is
compiled); points where ‖∇²f‖ or ‖∇f‖ need more than :data:`MAX_EVAL_DPS` digits (e.g.
exp(exp(x)) far out) are skipped; a violation confined to a set too small for every source
above is missed.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import mpmath as mp
import numpy as np
import sympy as sp
from mpmath.libmp import NoConvergence
from scipy.optimize import minimize, root

from .bounds import BoundProof, prove_pointwise_bound
from .budget import run_with_budget
from .conditions import HessianGrowth, L0L1Smooth
from .errors import DlnsmoothError, ParseError, TooLargeError, UnsupportedForBalls
from .norms import Norm
from .numbers import decimal_text, round_rational
from .objective import DerivativeObjective, Objective
from .precision import Confirmed, confirm, decimal_string, working_precision
from .progress import progress_bar
from .results import Result, Verdict, json_value
from .search import candidate_curves
from .separable import separable_split
from .violation import Confirmation, claimed_condition, confirm_violation, side_names

__all__ = [
    "AuditResult",
    "ClaimProof",
    "audit",
    "prove_claim",
    "CURVE_EXPONENTS",
    "MAX_VARIABLES",
    "MAX_EVAL_DPS",
]


#: Curve points are taken at t = 10^k for these k.
CURVE_EXPONENTS: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
#: Largest number of variables audited (the symbolic Hessian is compiled three times).
MAX_VARIABLES = 24
#: Points whose evaluation would need more digits than this are skipped.
MAX_EVAL_DPS = 3000
#: Scales of the random starts (Newton and local maximisation): x0 = scale · N(0, I).
NEWTON_SCALES: tuple[float, ...] = (0.5, 2.0, 8.0, 32.0)
LOCAL_SCALES: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 100.0)
# values given to the free parameters of positive-dimensional exact solution sets
_FREE_VALUES = (0, 1, -1, 2, 10, 1000, 10**6)
# the two sides of a candidate are "equal up to rounding" when they agree to this many digits
_EQUALITY_DIGITS = 30
# extra digits of every mpmath evaluation, above the conditioning of the point
_EVAL_GUARD = 40
# what a numeric evaluation may raise at a point where it fails (domain, overflow, precision)
_NUMERIC_FAILURES = (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError, DlnsmoothError,
                     NoConvergence)
# a candidate whose ratio exceeds 1 by more than this is always handed to the confirmation
_CLEAR_EXCESS = 1e-6
# equality points (sides agreeing to _EQUALITY_DIGITS digits) compared exactly in balls, at most
_EQUALITY_CONFIRMATIONS = 6
# significant digits of candidate points (decimal rationals)
_POINT_DIGITS = 30


# -- the claim in words ------------------------------------------------------------------------
def _constant_names(condition: HessianGrowth) -> tuple[str, str]:
    return ("L0", "L1") if isinstance(condition, L0L1Smooth) else ("C0", "C1")


def _describe_claim(condition: HessianGrowth) -> str:
    a, b = _constant_names(condition)
    text = f"{a} = {decimal_text(condition.C0)}, {b} = {decimal_text(condition.C1)}"
    return text if isinstance(condition, L0L1Smooth) else f"ρ = {sp.sstr(condition.rho)}, {text}"


def _claim_json(condition: HessianGrowth) -> dict:
    a, b = _constant_names(condition)
    exact = {"rho": sp.sstr(condition.rho), "C0": sp.sstr(condition.C0), "C1": sp.sstr(condition.C1)}
    if isinstance(condition, L0L1Smooth):
        exact |= {a: sp.sstr(condition.C0), b: sp.sstr(condition.C1)}
    return {"condition": condition.name, **exact, "inequality": condition.inequality, "norm": condition.norm.value}


# -- exact decimal points ----------------------------------------------------------------------
def _decimal_point(values: Sequence[mp.mpf], digits: int = _POINT_DIGITS) -> tuple[sp.Rational, ...]:
    """The coordinates rounded to ``digits`` significant decimal digits, as exact rationals."""
    return tuple(round_rational(v, digits) for v in values)


def _show_point(point: Sequence[sp.Rational], names: Sequence[str], digits: int | None = 20) -> str:
    parts = []
    for name, value in zip(names, point):
        text = decimal_text(value)
        if digits is not None and len(text.lstrip("-").replace(".", "")) > digits + 8:
            with mp.workdps(digits + 10):
                text = "≈" + mp.nstr(mp.mpf(int(value.p)) / int(value.q), digits)
        parts.append(f"{name} = {text}")
    return ", ".join(parts)


# -- numeric evaluation of candidates (screening: nothing here decides a verdict) ---------------
@dataclass
class _Point:
    """A candidate point with both sides evaluated in mpmath."""

    point: tuple[sp.Rational, ...]
    source: str
    lhs: mp.mpf
    rhs: mp.mpf
    grad_norm: mp.mpf
    dps: int

    @property
    def ratio(self) -> mp.mpf:
        if self.rhs == 0:
            return mp.inf if self.lhs > 0 else mp.mpf(0)
        return self.lhs / self.rhs

    @property
    def equality(self) -> bool:
        scale = max(abs(self.lhs), abs(self.rhs))
        return scale > 0 and abs(self.lhs - self.rhs) <= scale * mp.mpf(10) ** (-_EQUALITY_DIGITS)

    @property
    def exceeds(self) -> bool:
        return self.lhs > self.rhs and not self.equality


class _Evaluator:
    """Both sides of the condition at candidate points: in float64 (screening of the local
    maximisation) and in mpmath (every candidate). Estimates, never a verdict."""

    def __init__(self, objective: Objective, condition: HessianGrowth):
        self.objective = objective
        self.condition = condition
        self.n = objective.n
        self.skipped = 0

    # float64 ------------------------------------------------------------------------------
    def float_sides(self, x: np.ndarray) -> tuple[float, float] | None:
        """(‖∇²f(x)‖₂, B(‖∇f(x)‖)) in float64 (the right side through the condition's bound at
        mpmath's 20 digits), None on overflow or outside the domain."""
        values = self.objective.float_derivatives(x)
        if values is None:
            return None
        g, H = values
        with np.errstate(all="ignore"):
            try:
                lhs = abs(float(H[0, 0])) if self.n == 1 else float(np.max(np.abs(np.linalg.eigvalsh(H))))
            except np.linalg.LinAlgError:
                return None
            scale = float(np.max(np.abs(g)))
            grad_norm = scale * float(np.sqrt(np.sum((g / scale) ** 2))) if scale > 0 else 0.0
        with mp.workdps(20):
            rhs = float(self.condition.bound(mp.mpf(grad_norm)))
        if not math.isfinite(lhs) or math.isnan(rhs):
            return None
        return lhs, rhs

    def float_log_ratio(self, x: np.ndarray) -> float:
        """log(‖∇²f‖₂/B(‖∇f‖)) in float64: −∞ where it cannot be evaluated or is 0."""
        sides = self.float_sides(x)
        if sides is None:
            return -math.inf
        lhs, rhs = sides
        if lhs == 0:
            return -math.inf
        if rhs == 0:
            return math.inf
        if math.isinf(rhs):
            return -math.inf
        return math.log(lhs) - math.log(rhs)

    # mpmath --------------------------------------------------------------------------------
    def evaluate(self, point: Sequence[sp.Rational], source: str) -> _Point | None:
        """Both sides at the exact point in mpmath (precision raised by the point's conditioning);
        None outside the domain or when the point needs more than MAX_EVAL_DPS digits."""
        objective, condition = self.objective, self.condition
        try:
            dps = _EVAL_GUARD + objective.condition_digits(list(point))
            if dps > MAX_EVAL_DPS:
                self.skipped += 1
                return None
            with mp.workdps(dps):
                if not isinstance(objective, DerivativeObjective):
                    objective.value(list(point), dps)  # a DomainError outside the domain of f
                grad_norm = objective.grad_norm(list(point), dps)
                lhs = objective.hess_norm(list(point), dps, condition.norm)
                rhs = condition.bound(grad_norm)
        except _NUMERIC_FAILURES:
            self.skipped += 1
            return None
        if not (mp.isfinite(lhs) and mp.isfinite(rhs)):
            self.skipped += 1
            return None
        return _Point(tuple(point), source, lhs, rhs, grad_norm, dps)

    def mp_log_ratio(self, x: Sequence[mp.mpf]) -> tuple[mp.mpf, tuple[sp.Rational, ...]] | None:
        point = _decimal_point(x)
        result = self.evaluate(point, "")
        if result is None or result.lhs == 0:
            return None
        if result.rhs == 0:
            return mp.inf, point
        with mp.workdps(30):
            return mp.log(result.lhs) - mp.log(result.rhs), point


# -- the proof route ----------------------------------------------------------------------------
@dataclass
class ClaimProof:
    """The attempt to prove the claim on all of Rⁿ before searching for violations.

    One variable: :func:`~dlnsmooth.bounds.prove_pointwise_bound` of |f″| ≤ C0 + C1|f′|^ρ on R
    (for n = 1 every Hessian norm is |f″|). A separable f = Σ g_i(x_i) + c
    (:func:`~dlnsmooth.separable.separable_split`): ∇²f is diagonal, so ‖∇²f‖₂ = max_i |g_i″|
    and ‖∇f‖ ≥ |g_i′|; every term proved with the *same* (C0, C1) proves f in the spectral norm
    (sufficient, not necessary: a term that fails does not refute f). ``verdict`` is ``holds``
    when every part is proved, else ``undecided``; ``witnesses`` are the exact points (in Rⁿ;
    other coordinates 0) where a part's inequality fails, handed to the search to confirm on f."""

    verdict: Verdict
    route: str
    parts: list[tuple[str, BoundProof | None]]
    reason: str
    witnesses: list[tuple[sp.Rational, ...]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"Proof route ({self.route}): {self.verdict.upper()} — {self.reason}  ({self.seconds:.1f} s)"]
        for label, proof in self.parts:
            if proof is None:
                out.append(f"  {label}: not attempted (the time budget was spent) or not applicable")
                continue
            out.append(f"  {label}: {proof.verdict} — {proof.reason}")
            out += [f"    {i}. {step}" for i, step in enumerate(proof.route, 1)]
            if proof.witness is not None:
                out.append(f"    witness {sp.sstr(proof.witness)}: {proof.witness_text}")
        return out

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "route": self.route, "reason": self.reason,
                "parts": [{"part": label, "proof": None if proof is None else proof.to_json()}
                          for label, proof in self.parts],
                "witnesses": [[sp.sstr(v) for v in w] for w in self.witnesses], "seconds": round(self.seconds, 3)}


#: Share of the audit's time budget given to the proof route (at most PROOF_BUDGET seconds).
PROOF_SHARE = 0.4
PROOF_BUDGET = 30.0


def _proof_parts(objective: Objective) -> tuple[str, list[tuple[str, Objective, int]]] | None:
    """(route, [(label, one-variable objective, coordinate index)]) or None without a proof route."""
    if objective.n == 1:
        return "one variable: |f″| ≤ C0 + C1|f′|^ρ on R", [("f", objective, 0)]
    split = separable_split(objective)
    if split is None:
        return None
    index = {v: i for i, v in enumerate(objective.variables)}
    parts = [(f"g_{x.name}({x.name}) = {sp.sstr(g)}", Objective(g, [x], name=f"g_{x.name}"), index[x])
             for x, g in split.terms]
    return ("separable sum: ∇²f = diag(g_i″), ‖∇²f‖₂ = max|g_i″|, ‖∇f‖ ≥ |g_i′|; each term with the same "
            "(C0, C1) proves f in the spectral norm"), parts


def prove_claim(objective: Objective, condition: HessianGrowth, time_budget: float) -> ClaimProof | None:
    """Try to prove the claimed inequality on all of Rⁿ (:class:`ClaimProof`); None when the
    objective is neither univariate nor separable, or the claim is not in the spectral norm
    with n > 1."""
    if objective.n > 1 and condition.norm is not Norm.SPECTRAL:
        return None
    found = _proof_parts(objective)
    if found is None:
        return None
    route, parts = found
    start = time.perf_counter()
    deadline = start + time_budget
    proofs: list[tuple[str, BoundProof | None]] = []
    witnesses: list[tuple[sp.Rational, ...]] = []
    for k, (label, part, i) in enumerate(parts):
        share = (deadline - time.perf_counter()) / (len(parts) - k)
        if share < 0.5:
            proofs.append((label, None))
            continue
        try:
            proof = prove_pointwise_bound(part, condition.rho, condition.C0, condition.C1, time_budget=share)
        except DlnsmoothError:
            proofs.append((label, None))
            continue
        proofs.append((label, proof))
        if proof.witness is not None:
            witnesses.append(tuple(proof.witness if j == i else sp.Integer(0) for j in range(objective.n)))
    failed = [label for label, proof in proofs if proof is None or proof.verdict != "holds"]
    if not failed:
        verdict, reason = "holds", "every part is proved on all of R"
    else:
        verdict, reason = "undecided", f"not proved: {', '.join(failed)}"
    return ClaimProof(verdict, route, proofs, reason, witnesses, time.perf_counter() - start)


# -- the result ---------------------------------------------------------------------------------
@dataclass
class AuditResult(Result):
    """What the audit found (module docstring). ``condition`` is the claim. ``point``, ``lhs``,
    ``rhs`` (mpmath figures confirmed by agreement at two precisions) and ``confirmation`` (the
    rigorous ball test that decided) are set for ``refuted``; ``largest_ratio`` (∞ when the
    right side is 0 and the Hessian is not; an mpmath estimate) and ``where`` always describe
    the worst point seen."""

    objective: Objective
    condition: HessianGrowth
    verdict: Verdict
    point: tuple[sp.Rational, ...] | None
    source: str | None
    lhs: Confirmed | None
    rhs: Confirmed | None
    confirmation: Confirmation | None
    largest_ratio: mp.mpf | None
    where: tuple[sp.Rational, ...] | None
    where_source: str | None
    searched: dict
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    time_budget: float = 60.0
    seed: int = 0
    proof: ClaimProof | None = None

    json_kind = "audit"

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.objective.variables]

    def _ratio_text(self) -> str:
        if self.largest_ratio is None:
            return "n/a"
        if self.largest_ratio == mp.inf:
            return "∞"
        with mp.workdps(30):
            return mp.nstr(self.largest_ratio, 15)

    def report(self) -> str:
        condition = self.condition
        lhs_name, rhs_name = side_names(condition)
        lines = [f"Audit of {self.objective.describe()}",
                 f"Claim: {condition.inequality} for all x ({condition.name}), with {_describe_claim(condition)}",
                 "Norms: spectral norm ‖·‖₂ of the Hessian, Euclidean norm of the gradient; 0^0 = 1"]
        if self.proof is not None:
            lines += self.proof.lines()
        lines += self._searched_lines()
        lines += [f"Note: {note}" for note in self.notes]
        if self.verdict == "holds":
            lines.append(f"Verdict: HOLDS — proved on all of Rⁿ ({self.proof.route}); the search for violations, "
                         "a cross-check, found none")
        elif self.verdict == "undecided":
            lines.append("Verdict: UNDECIDED — the proof route and a confirmed violation disagree; neither is trusted")
        elif self.verdict == "refuted" and self.point is not None and self.confirmation is not None:
            low, high = self.confirmation.bound_texts() or ("?", "?")
            lines += [f"Verdict: REFUTED — the claimed constants fail at {_show_point(self.point, self.names, None)}"
                      f"  [{self.source}]",
                      f"  {lhs_name:<19}= {_confirmed_text(self.lhs)}",
                      f"  {rhs_name:<19}= {_confirmed_text(self.rhs)}",
                      "  (mpmath, digits on which two precisions agree)",
                      f"  Guaranteed (ball arithmetic, {self.confirmation.dps} digits): "
                      f"{lhs_name} ≥ {low} > {high} ≥ {rhs_name}"]
        else:
            lines.append("Verdict: NOT REFUTED — no violation found (a finite search; this is not a proof that the "
                         "claim holds)" + ("" if self.proof is None else "; the proof route did not prove it either"))
        where = _show_point(self.where, self.names) if self.where is not None else "n/a"
        lines.append(f"Largest ratio {lhs_name}/({rhs_name}) seen (mpmath estimate): {self._ratio_text()} at {where}"
                     + (f"  [{self.where_source}]" if self.where_source else ""))
        return "\n".join(lines)

    def _searched_lines(self) -> list[str]:
        s = self.searched
        head = "Searched"
        if s.get("stopped_during"):
            head += f" (stopped at the first confirmed violation, during the {s['stopped_during']})"
        lines = [
            head + ":",
            f"  points found as solutions of ∇f = 0 with a non-zero Hessian: {s['stationary_points']} with ∇f = 0 "
            f"exactly, {s['near_stationary_points']} near-stationary (rounded; ‖∇f‖ small, not 0) "
            f"(SymPy's solve of ∇f = 0: {s['exact_solve']}; Newton's method: {s['newton_starts']} starts)",
            f"  search curves: {s['curve_points']} points on {s['curves']} curves "
            f"(t = 10^{CURVE_EXPONENTS[0]} … 10^{CURVE_EXPONENTS[-1]})",
            f"  local maximisation of the ratio: {s['local_starts']} starts (float64 Nelder–Mead, "
            f"{s['local_evaluations']} evaluations), {s['refined']} refined by compass search in mpmath",
            f"  ball confirmations tried: {s['confirmations']}",
        ]
        if s.get("equality_points"):
            lines.append(f"  both sides agree to {_EQUALITY_DIGITS} digits at {s['equality_points']} points; "
                         f"{s['equality_confirmations']} of them compared exactly in ball arithmetic")
        if s.get("skipped_points"):
            lines.append(f"  skipped: {s['skipped_points']} points (outside the domain, overflow, or needing more "
                         f"than {MAX_EVAL_DPS} digits)")
        lines.append(f"  time: {self.seconds:.1f} s of a {self.time_budget:g} s budget"
                     + (" — BUDGET SPENT, the search stopped early" if s.get("timed_out") else "")
                     + f"; seed {self.seed}")
        return lines

    def to_json(self) -> dict:
        names = self.names
        point = None if self.point is None else {n: decimal_text(v) for n, v in zip(names, self.point)}
        return {
            "verdict": self.verdict,
            "objective": self.objective.to_json(),
            "claim": _claim_json(self.condition),
            "norm": self.condition.norm.value,
            "gradient_norm": "euclidean",
            "point": point,
            "source": self.source,
            "lhs": _confirmed_text(self.lhs) if self.lhs is not None else None,
            "rhs": _confirmed_text(self.rhs) if self.rhs is not None else None,
            "confirmation": self.confirmation.to_json() if self.confirmation is not None else None,
            "largest_ratio": json_value(self.largest_ratio),
            "where": None if self.where is None else {
                "point": {n: decimal_text(v) for n, v in zip(names, self.where)}, "source": self.where_source},
            "searched": dict(self.searched),
            "seconds": round(self.seconds, 3),
            "time_budget": self.time_budget,
            "seed": self.seed,
            "notes": list(self.notes),
            "proof": None if self.proof is None else self.proof.to_json(),
        }


def _confirmed_text(value: Confirmed | None) -> str:
    if value is None:
        return "n/a"
    if value.zero_at_both:
        return "0"
    return value.text(30) or f"{decimal_string(value.value, 5)} (unconfirmed)"

# -- the search -------------------------------------------------------------------------------------
class _Found(Exception):
    """A violation was confirmed: stop searching."""


class _OutOfTime(Exception):
    """The time budget for searching is spent."""


def _gradient_vanishes(objective: Objective, point: Sequence[sp.Rational]) -> bool:
    """∇f(point) = 0 exactly: every gradient ball is an exact zero (60 digits)."""
    try:
        with working_precision(60):
            gradient, _ = objective.ball_derivatives(list(point))
    except (UnsupportedForBalls, NotImplementedError, *_NUMERIC_FAILURES):
        return False
    return all(g.is_exact() and g.is_zero() for g in gradient)


def _solve_gradient(gradient: list[sp.Expr], variables: tuple[sp.Symbol, ...]) -> list[dict]:
    return sp.solve(gradient, variables, dict=True)


class _Search:
    """The three sources of candidate points, run in order within the time budget; every candidate
    whose left side exceeds its right side is handed to :func:`confirm_violation`."""

    def __init__(self, objective: Objective, condition: HessianGrowth, *, time_budget: float, seed: int,
                 progress: bool | None, newton_starts: int, local_starts: int, curve_limit: int,
                 solve_budget: float, refine: int, max_confirmations: int, max_dps: int):
        self.objective = objective
        self.condition = condition
        self.n = objective.n
        self.seed = seed
        self.start = time.perf_counter()
        self.time_budget = time_budget
        # the last part of the budget is kept for the final figures of a violation
        self.deadline = self.start + max(time_budget - min(5.0, 0.1 * time_budget), 0.5 * time_budget)
        self.hard_deadline = self.start + time_budget
        self.newton_starts = newton_starts
        self.local_starts = local_starts
        self.curve_limit = curve_limit
        self.solve_budget = solve_budget
        self.refine = refine
        self.max_confirmations = max_confirmations
        self.max_dps = max_dps
        self.evaluator = _Evaluator(objective, condition)
        self.rng = np.random.default_rng(seed)
        self.current_stage = "exact stationary points"
        self.best: _Point | None = None
        self.found: tuple[_Point, Confirmation] | None = None
        self.candidates: list[_Point] = []
        self.attempted: set[tuple[sp.Rational, ...]] = set()
        self.notes: list[str] = []
        self.stats = {"exact_solve": "not applicable", "exact_stationary_points": 0, "newton_starts": 0,
                      "stationary_points": 0, "near_stationary_points": 0, "curves": 0, "curve_points": 0,
                      "local_starts": 0,
                      "local_evaluations": 0, "refined": 0, "confirmations": 0, "equality_points": 0,
                      "equality_confirmations": 0,
                      "skipped_points": 0, "timed_out": False, "stopped_during": None}
        self.digits = self._stationary_digits()
        self.seeds: list[tuple[tuple[sp.Rational, ...], str]] = []
        self.bar = progress_bar(progress, "audit", total=newton_starts + local_starts + curve_limit + refine + 1)

    def _stationary_digits(self) -> int:
        """Digits of rounded stationary points: enough that C1‖∇f‖^ρ there is negligible."""
        rho, C1 = self.condition.rho, self.condition.C1
        if rho == 0 or C1 == 0:
            return _POINT_DIGITS
        return int(min(1500, max(_POINT_DIGITS + 10, math.ceil(40 / float(rho)))))

    # bookkeeping ---------------------------------------------------------------------------
    def tick(self, k: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(k)
        if time.perf_counter() > self.deadline:
            raise _OutOfTime

    def consider(self, point: Sequence[sp.Rational], source: str) -> _Point | None:
        """Evaluate a candidate; confirm it at once when its left side exceeds its right side."""
        if time.perf_counter() > self.deadline:
            raise _OutOfTime
        result = self.evaluator.evaluate(point, source)
        if result is None:
            return None
        self.candidates.append(result)
        if result.equality:
            self.stats["equality_points"] += 1
        if self.best is None or result.ratio > self.best.ratio:
            self.best = result
        # clear excesses are always tried (a true violation confirms at once and ends the search);
        # excesses near the rounding level only up to max_confirmations times
        clear = result.ratio > 1 + _CLEAR_EXCESS
        if result.point not in self.attempted and (clear or self.stats["confirmations"] < self.max_confirmations) \
                and (result.exceeds or self._compare_exactly(result)):
            self.attempted.add(result.point)
            self.stats["confirmations"] += 1
            remaining = max(1.0, self.hard_deadline - time.perf_counter() - 1.0)
            confirmation = confirm_violation(self.objective, result.point, condition=self.condition,
                                             max_dps=self.max_dps, time_budget=min(20.0, remaining))
            if confirmation.confirmed:
                self.found = (result, confirmation)
                raise _Found
        return result

    def _compare_exactly(self, result: _Point) -> bool:
        """An equality point (both sides agree to the rounding level in mpmath) is still handed to the
        ball confirmation, which compares the sides exactly when their values are exact (a polynomial
        at a rational point) and separates them whenever enough digits do: 2·10⁴⁰ > 2·10⁴⁰ − 1."""
        if not result.equality or self.stats["equality_confirmations"] >= _EQUALITY_CONFIRMATIONS:
            return False
        self.stats["equality_confirmations"] += 1
        return True

    def _stationary_source(self, point: tuple[sp.Rational, ...], sides: _Point | None, how: str) -> str:
        """The label of a point found as a solution of ∇f = 0: "stationary point" only when ∇f is
        exactly 0 there (ball arithmetic: exact zero balls), else "near-stationary point" with
        ‖∇f‖; counted when the Hessian is not 0."""
        exact = _gradient_vanishes(self.objective, point)
        if sides is not None and sides.lhs != 0:
            self.stats["stationary_points" if exact else "near_stationary_points"] += 1
        if exact:
            return f"stationary point (∇f = 0 exactly; {how})"
        size = "n/a" if sides is None else mp.nstr(sides.grad_norm, 3)
        return f"near-stationary point (‖∇f‖ ≈ {size}, not 0; {how})"

    # 0. witnesses of the proof route ---------------------------------------------------------
    def witnesses(self) -> None:
        """Points where a part of the proof route failed: a violation only if confirmed on f itself."""
        for point, source in self.seeds:
            self.consider(point, source)

    # 1. stationary points ------------------------------------------------------------------
    def exact_stationary(self) -> None:
        objective = self.objective
        variables = objective.variables
        gradient = list(objective.gradient)
        if self.n > 3 or not all(g.is_polynomial(*variables) for g in gradient):
            self.stats["exact_solve"] = "not applicable (needs a polynomial gradient in at most 3 variables)"
            return
        if all(g.is_zero for g in gradient):
            self.stats["exact_solve"] = "∇f ≡ 0"
            return
        budget = max(0.5, min(self.solve_budget, self.deadline - time.perf_counter()))
        outcome = run_with_budget(_solve_gradient, gradient, variables, seconds=budget)
        if not outcome.ok:
            self.stats["exact_solve"] = f"SymPy's solve {outcome.status} ({outcome.message or f'{budget:g} s'})"
            return
        solutions = sorted(outcome.value or [],
                           key=lambda d: sp.default_sort_key(tuple(d.get(v, v) for v in variables)))
        self.stats["exact_solve"] = f"{len(solutions)} solution set(s)"
        for solution in solutions:
            for point in self._exact_points(solution):
                sides = self.evaluator.evaluate(point, "")
                if sides is not None and sides.lhs != 0:
                    self.stats["exact_stationary_points"] += 1
                self.consider(point, self._stationary_source(point, sides, "a solution of SymPy's solve of ∇f = 0"))

    def _exact_points(self, solution: dict) -> list[tuple[sp.Rational, ...]]:
        variables = self.objective.variables
        free = sorted({s for v in variables for s in ([v] if v not in solution else solution[v].free_symbols)},
                      key=lambda s: s.name)
        points = []
        for values in itertools.islice(itertools.product(_FREE_VALUES, repeat=len(free)), 60):
            substitution = dict(zip(free, (sp.Integer(v) for v in values)))
            coordinates = []
            for v in variables:
                expr = sp.sympify(solution.get(v, v)).xreplace(substitution)
                value = self._real_value(expr)
                if value is None:
                    break
                coordinates.append(value)
            else:
                points.append(tuple(coordinates))
        return points

    def _real_value(self, expr: sp.Expr) -> sp.Rational | None:
        if isinstance(expr, sp.Rational):
            exact = expr
            q = int(exact.q)
            while q % 2 == 0:
                q //= 2
            while q % 5 == 0:
                q //= 5
            if q == 1:
                return exact  # an exact decimal
        digits = self.digits
        try:
            value = sp.N(expr, digits + 15)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo):
            return None
        re, im = value.as_real_imag()
        try:
            re_f, im_f = sp.Float(re, digits + 15), sp.Float(im, digits + 15)
        except (TypeError, ValueError):
            return None
        if abs(im_f) > sp.Float(10, 5) ** (-digits) * (1 + abs(re_f)):
            return None
        with mp.workdps(digits + 15):
            return round_rational(mp.mpf(re_f._mpf_), digits)

    def newton(self) -> None:
        evaluator = self.evaluator
        n = self.n
        starts = [np.zeros(n)]
        for i in range(max(0, self.newton_starts - 1)):
            starts.append(NEWTON_SCALES[i % len(NEWTON_SCALES)] * self.rng.standard_normal(n))
        seen: list[np.ndarray] = []

        def fun(x):
            values = evaluator.objective.float_derivatives(x)
            return values[0] if values is not None else np.full(n, np.nan)

        def jac(x):
            values = evaluator.objective.float_derivatives(x)
            return values[1] if values is not None else np.full((n, n), np.nan)

        for index, x0 in enumerate(starts, 1):
            self.stats["newton_starts"] += 1
            self.tick()
            try:
                with np.errstate(all="ignore"):
                    solution = root(fun, x0, jac=jac, method="hybr", options={"maxfev": 100 * (n + 1)})
            except (ValueError, FloatingPointError, OverflowError, np.linalg.LinAlgError):
                continue
            x = solution.x
            values = evaluator.objective.float_derivatives(x) if np.all(np.isfinite(x)) else None
            if values is None:
                continue
            g, H = values
            # stationary relative to the Hessian's size (e^x → 0 as x → −∞ is not a stationary point)
            size = float(np.max(np.abs(H))) * max(1.0, float(np.max(np.abs(x))))
            if not float(np.max(np.abs(g))) <= 1e-10 * size:
                continue
            if any(np.max(np.abs(x - y)) <= 1e-7 * max(1.0, float(np.max(np.abs(y)))) for y in seen):
                continue
            seen.append(x.copy())
            point = self._newton_refine(x)
            if point is None:
                continue
            sides = self.evaluator.evaluate(point, "")
            if sides is None:
                continue
            how = f"Newton's method from start {index}, refined in mpmath"
            self.consider(point, self._stationary_source(point, sides, how))

    def _newton_refine(self, x: np.ndarray) -> tuple[sp.Rational, ...] | None:
        """Newton's method in mpmath from a float64 stationary point, to ``self.digits`` digits."""
        digits = self.digits
        objective = self.objective
        try:
            dps = digits + 20 + objective.condition_digits([float(v) for v in x])
            if dps > MAX_EVAL_DPS:
                return None
            with mp.workdps(dps):
                point = [mp.mpf(float(v)) for v in x]
                for _ in range(60):
                    g = objective.grad(point, dps)
                    H = objective.hess(point, dps)
                    try:
                        step = mp.lu_solve(mp.matrix(H), mp.matrix(g))
                    except (ZeroDivisionError, ValueError):
                        break  # singular Hessian: keep the current point
                    point = [p - step[i] for i, p in enumerate(point)]
                    size = max([mp.mpf(1)] + [abs(p) for p in point])
                    if max(abs(step[i]) for i in range(self.n)) <= size * mp.mpf(10) ** (-digits - 5):
                        break
                return _decimal_point(point, digits)
        except _NUMERIC_FAILURES:
            return None

    # 2. search curves ------------------------------------------------------------------------
    def curves(self) -> None:
        try:
            curves = candidate_curves(self.objective, limit=self.curve_limit, seed=self.seed)
        except DlnsmoothError as exc:
            self.notes.append(f"no search curves: {exc}")
            return
        for curve in curves:
            self.stats["curves"] += 1
            self.tick()
            for k in CURVE_EXPONENTS:
                try:
                    coordinates = curve.point(10**k, 40)
                except (ValueError, TypeError, ZeroDivisionError, OverflowError, ArithmeticError):
                    continue
                if not all(mp.isfinite(c) for c in coordinates):
                    continue
                point = _decimal_point(coordinates)
                self.stats["curve_points"] += 1
                self.consider(point, f"search curve {curve.describe()} at t = 10^{k}")

    # 3. local maximisation --------------------------------------------------------------------
    def local(self) -> None:
        evaluator = self.evaluator
        n = self.n
        starts: list[tuple[np.ndarray, str]] = []
        seeded = sorted((c for c in self.candidates if c.ratio < mp.inf), key=lambda c: c.ratio, reverse=True)
        for c in seeded[:3]:
            x = np.array([float(v) for v in c.point])
            if np.all(np.isfinite(x)) and float(np.max(np.abs(x))) <= 1e6:
                starts.append((x, f"from the best point so far ({c.source})"))
        for i in range(self.local_starts):
            scale = LOCAL_SCALES[i % len(LOCAL_SCALES)]
            starts.append((scale * self.rng.standard_normal(n), f"random start {i + 1}, scale {scale:g}"))
        results: list[_Point] = []
        for x0, label in starts:
            self.stats["local_starts"] += 1
            self.tick()
            best = [-math.inf, None]

            def negative(x, best=best):
                self.stats["local_evaluations"] += 1
                value = evaluator.float_log_ratio(x)
                if value > best[0]:
                    best[0], best[1] = value, np.array(x, dtype=float)
                return -value if value > -math.inf else math.inf

            try:
                with np.errstate(all="ignore"):
                    minimize(negative, x0, method="Nelder-Mead",
                             options={"maxfev": 200 * n, "xatol": 1e-12, "fatol": 1e-14, "adaptive": n > 2})
            except (ValueError, FloatingPointError, OverflowError):
                pass
            if best[1] is None:
                continue
            point = _decimal_point([mp.mpf(float(v)) for v in best[1]], 17)
            result = self.consider(point, f"local maximisation (float64 Nelder–Mead, {label})")
            if result is not None:
                results.append(result)
        results.sort(key=lambda c: c.ratio, reverse=True)
        for result in results[: self.refine]:
            self.tick()
            self._compass(result)

    def _compass(self, start: _Point) -> None:
        """Compass search on log(ratio) in mpmath from ``start`` (at most 120 evaluations)."""
        if start.ratio == mp.inf:
            return
        self.stats["refined"] += 1
        evaluator = self.evaluator
        with mp.workdps(_POINT_DIGITS + 10):
            x = [mp.mpf(int(v.p)) / int(v.q) for v in start.point]
            current = evaluator.mp_log_ratio(x)
            if current is None:
                return
            value, point = current
            step = mp.mpf(1) / 8 * max([mp.mpf(1)] + [abs(v) for v in x])
            floor = step * mp.mpf(10) ** -20
            evaluations = 0
            while evaluations < 120 and step > floor and value < mp.inf:
                improved = False
                for i, sign in itertools.product(range(self.n), (1, -1)):
                    trial = list(x)
                    trial[i] += sign * step
                    evaluations += 1
                    outcome = evaluator.mp_log_ratio(trial)
                    if outcome is not None and outcome[0] > value:
                        x, (value, point), improved = trial, outcome, True
                        break
                if not improved:
                    step /= 4
        if point != start.point:
            self.consider(point, f"{start.source}, refined by compass search in mpmath")

    # run ------------------------------------------------------------------------------------
    def run(self) -> None:
        stages: list[tuple[str, Callable[[], None]]] = [
            ("witnesses of the proof route", self.witnesses),
            ("exact stationary points", self.exact_stationary),
            ("Newton stationary points", self.newton),
            ("search curves", self.curves),
            ("local maximisation", self.local),
        ]
        try:
            for name, stage in stages:
                if time.perf_counter() > self.deadline:
                    raise _OutOfTime
                self.current_stage = name
                stage()
                if self.bar is not None and name == "exact stationary points":
                    self.bar.update(1)
        except _Found:
            self.stats["stopped_during"] = self.current_stage
        except _OutOfTime:
            self.stats["timed_out"] = True
            self.notes.append(f"the time budget ({self.time_budget:g} s) was spent during the {self.current_stage}; "
                              "the later sources were not searched")
        finally:
            if self.bar is not None:
                self.bar.close()
        self.stats["skipped_points"] = self.evaluator.skipped




# -- the audit ------------------------------------------------------------------------------------
def _check_settings(time_budget: object, seed: object, counts: dict[str, object]) -> None:
    if isinstance(time_budget, bool) or not isinstance(time_budget, (int, float)) or not math.isfinite(time_budget) \
            or time_budget <= 0:
        raise ParseError(f"the time budget must be a positive number of seconds, got {time_budget!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParseError(f"the seed must be an integer >= 0, got {seed!r}")
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ParseError(f"{name} must be an integer >= 0, got {value!r}")


def audit(
    objective: Objective,
    *,
    rho: object = None,
    C0: object = None,
    C1: object = None,
    L0: object = None,
    L1: object = None,
    time_budget: float = 60.0,
    seed: int = 0,
    progress: bool | None = None,
    newton_starts: int = 24,
    local_starts: int = 30,
    curve_limit: int = 120,
    solve_budget: float = 5.0,
    refine: int = 3,
    max_confirmations: int = 30,
    max_dps: int = 2000,
    prove: bool = True,
) -> AuditResult:
    """Look for a point where ‖∇²f(x)‖₂ > C0 + C1‖∇f(x)‖^ρ (or > L0 + L1‖∇f(x)‖).

    Give ``rho``, ``C0``, ``C1`` or ``L0``, ``L1`` (exact reals ≥ 0: ``"0.99"``, ``"3/2"``,
    ``"sqrt(5)"``). The search (module docstring) runs within ``time_budget`` seconds and is
    deterministic for a ``seed`` as long as the budget is not spent; ``newton_starts``,
    ``local_starts``, ``curve_limit`` and ``refine`` size its three sources, ``solve_budget``
    bounds SymPy's solve, ``max_confirmations`` the ball confirmations tried and ``max_dps``
    their precision. ``progress`` shows a tqdm bar on stderr (None: only on a terminal).
    ``prove=False`` skips the proof route (:func:`prove_claim`) and only searches. The verdict
    is ``refuted`` only when :func:`~dlnsmooth.violation.confirm_violation` confirms a point in
    ball arithmetic, ``holds`` only when the proof route proved the claim; otherwise it is
    ``not refuted``.
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    condition = claimed_condition(rho=rho, C0=C0, C1=C1, L0=L0, L1=L1)
    _check_settings(time_budget, seed, {"newton_starts": newton_starts, "local_starts": local_starts,
                                        "curve_limit": curve_limit, "refine": refine,
                                        "max_confirmations": max_confirmations})
    if objective.n > MAX_VARIABLES:
        raise TooLargeError(f"the audit compiles the symbolic Hessian and handles at most {MAX_VARIABLES} variables; "
                            f"this objective has {objective.n}")
    start = time.perf_counter()
    proof = prove_claim(objective, condition, min(PROOF_BUDGET, PROOF_SHARE * float(time_budget))) if prove else None
    remaining = max(0.5, float(time_budget) - (time.perf_counter() - start))
    search = _Search(objective, condition, time_budget=remaining, seed=seed, progress=progress,
                     newton_starts=newton_starts, local_starts=local_starts, curve_limit=curve_limit,
                     solve_budget=solve_budget, refine=refine, max_confirmations=max_confirmations, max_dps=max_dps)
    if proof is not None:
        search.seeds = [(w, "a point where the proof route's inequality for one part fails (exact witness)")
                        for w in dict.fromkeys(proof.witnesses)]
    search.run()
    result = _result(search, proof)
    result.seconds, result.time_budget = time.perf_counter() - start, float(time_budget)
    return result


def _result(search: _Search, proof: ClaimProof | None = None) -> AuditResult:
    """The verdict: ``refuted`` exactly when a violation was confirmed, ``holds`` when the proof
    route proved the claim (and the search confirmed no violation), ``not refuted`` otherwise;
    a proof and a confirmed violation together (a bug in one of them) give ``undecided``."""
    objective, condition, best = search.objective, search.condition, search.best
    if search.found is not None:
        candidate, confirmation = search.found
        lhs, rhs = _figures(objective, condition, candidate)
        verdict: Verdict = "refuted"
        point, source = candidate.point, candidate.source
    else:
        lhs = rhs = confirmation = None
        verdict, point, source = "not refuted", None, None
    proved = proof is not None and proof.verdict == "holds"
    if proved and verdict == "refuted":
        verdict = "undecided"
        search.notes.append("the proof route says the claim holds, yet a violation was confirmed in ball arithmetic: "
                            "one of the two computations is wrong")
    elif proved:
        verdict = "holds"
    if best is None:
        search.notes.append("no point could be evaluated (outside the domain everywhere searched?)")
    return AuditResult(
        objective=objective, condition=condition, verdict=verdict, point=point, source=source, lhs=lhs, rhs=rhs,
        confirmation=confirmation,
        largest_ratio=None if best is None else best.ratio,
        where=None if best is None else best.point,
        where_source=None if best is None else best.source,
        searched=search.stats, notes=search.notes, seconds=time.perf_counter() - search.start,
        time_budget=search.time_budget, seed=search.seed, proof=proof,
    )


def _figures(objective: Objective, condition: HessianGrowth, candidate: _Point) -> tuple[Confirmed, Confirmed]:
    """Both sides at the violating point to 30 digits (agreement of two mpmath precisions)."""
    point = list(candidate.point)

    def sides(dps: int) -> list[mp.mpf]:
        with mp.workdps(dps):
            return [objective.hess_norm(point, dps, condition.norm), condition.bound(objective.grad_norm(point, dps))]

    exact_zero = [False, condition.C0 == 0 and (condition.C1 == 0 or (condition.rho > 0 and candidate.grad_norm == 0))]
    return tuple(confirm(sides, digits=30, start_dps=max(candidate.dps, 50), max_dps=max(candidate.dps * 4, 400),
                         zero_ok=exact_zero))  # type: ignore[return-value]
