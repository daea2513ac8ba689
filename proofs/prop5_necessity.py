"""Proposition 5: Hessian growth is necessary for a ρ-order Lipschitz gradient.

Problem
    f ∈ C², ∇f ρ-order Lipschitz with constants (C0, C1) ⇒ ‖∇²f(x)‖₂ ≤ C0 + C1 ‖∇f(x)‖^ρ for every x
    (spectral norm, as in the definitions).
Method
    The proof, computed. Put x2 = x + h v with ‖v‖ = 1. The ρ-order inequality at the pair (x, x + h v),
    divided by h, reads q(h) = ‖∇f(x + h v) − ∇f(x)‖/h ≤ K(h) = C0 + C1 max_θ ‖∇f(x + θ h v)‖^ρ; as h → 0,
    q(h) → ‖∇²f(x) v‖ and K(h) → C0 + C1 ‖∇f(x)‖^ρ; the sup over unit v of ‖∇²f(x) v‖ is ‖∇²f(x)‖₂
    (attained at a top eigenvector).

    * The limit step symbolically: lim_{h→0} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w with *symbolic* x and w
      (SymPy ``limit``) for the polynomial examples; for the R⁴ logistic loss, whose symbolic limit SymPy does
      not finish in minutes, the derivative d/dh ∇f(x + h w)|_{h=0} = ∇²f(x) w is checked identically in x, w
      (the quotient's limit is this derivative by definition) and the SymPy limit of the squared quotient is
      computed at x_k = (0, 0, k, k) with symbolic k.
    * Tables: q(h) for h = 10⁻¹ … 10⁻ᴷ in ball arithmetic (every printed digit guaranteed by the radius), its
      distance to ‖∇²f(x) v‖ (computed in balls from the Hessian) and the observed order of convergence; the
      premise q(h) ≤ K(h) at every pair of the table (:class:`~dlnsmooth.conditions.RhoOrder`); for v a top
      eigenvector, ‖∇²f(x) v‖ is compared with ‖∇²f(x)‖₂ (mpmath, digits confirmed at two precisions).
    * The conclusion at sample points (:class:`~dlnsmooth.conditions.HessianGrowth`, mpmath, 50 digits).
    * Controls (Prop 5 used as a refutation): f = x⁴ with ρ = 1/2 (x⁴ is ρ-order iff ρ ≥ 2/3): the ratio
      f″/(1 + |f′|^(1/2)) → ∞ (SymPy), and for each claimed (C0, C1) a computed point breaks the Hessian bound
      and a computed pair breaks the ρ-order inequality. The R⁴ loss at x_k: ∇f(x_k) = 0, ‖∇²f(x_k)‖₂ = k²/2,
      so Prop 5 would force C0 ≥ k²/2 for every k.
Guarantee
    The limit step is an identity verified symbolically (for general x and v); the inequality is checked on
    instances (examples, points, pairs), numerically. The conclusion is tight: for f = x⁴ and (x² + y²)² with
    ρ = 2/3, (C0, C1) = (0, 3·2^(2/3)) the Hessian bound holds with equality at every x (ratio 1 up to
    rounding). Their premise is Proposition 6 applied to the exact Hessian identities
    (``proofs.prop6_sufficiency``); here it is checked at the pairs the proof uses.
References
    Patel & Varner, arXiv 2409.13672; SPEC §2, Proposition 5.
Example
    ``python -m proofs.prop5_necessity [--json]`` or ``dlnsmooth verify prop5``::

        >>> table = quotient_table(quartic(), [1], [1], decades=4)
        >>> table.converges()[0], table.hv_norm.value
        (True, mpf('12.0'))
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp
from flint import arb

from dlnsmooth.balls import certify
from dlnsmooth.budget import run_with_budget
from dlnsmooth.conditions import Check, RhoOrder
from dlnsmooth.limits import LimitOutcome, limit_at_infinity
from dlnsmooth.norms import Norm, ball_vector_norm, vector_norm
from dlnsmooth.numbers import ball_to_mpf, parse_constant, to_arb, to_mpf
from dlnsmooth.objective import Objective
from dlnsmooth.precision import Confirmed, confirm, working_precision
from dlnsmooth.report import ClaimReport
from dlnsmooth.segment import Segment

from ._runner import run_main
from .library import (
    C1_X4,
    RHO_X4,
    Controls,
    HessianBoundAtPoints,
    add_hessian_bound_check,
    catalogue_controls,
    exact_text,
    find_violation,
    hessian_bound_at_points,
    mpf_text,
    point_text,
    quartic,
    r4_logistic,
    radial_quartic,
)

__all__ = [
    "NAME", "TITLE", "CONTROL_CONSTANTS", "R4_K", "LIMIT_BUDGET", "DPS",
    "LimitIdentity", "CurveLimit", "QuotientRow", "QuotientTable", "TableCase", "LimitEnclosure", "ControlRefutation",
    "Prop5Result", "limit_identity", "curve_limit", "top_eigenvector", "quotient_table", "limit_enclosure",
    "pair_violation", "control_refutation", "compute", "render", "verify", "main",
]

NAME = "prop5"
TITLE = "Proposition 5 — Hessian growth is necessary"

#: claimed (C0, C1) for x⁴ at ρ = 1/2 — each must be refuted (x⁴ is ρ-order iff ρ ≥ 2/3)
CONTROL_CONSTANTS = [(0, 12), (1, 100), (10**6, 10**6)]
#: k of the R⁴ control point x_k = (0, 0, k, k)
R4_K = 10
#: seconds per SymPy computation (limit, simplify)
LIMIT_BUDGET = 20.0
#: precision of the pointwise and pair checks (decimal digits)
DPS = 50

_H = sp.Symbol("h", positive=True)


# -- the limit step, symbolically --------------------------------------------------------------------
def _directions(n: int) -> tuple[sp.Symbol, ...]:
    return sp.symbols(f"w1:{n + 1}", real=True)


def _limit_differences(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> list[str]:
    """Components i where lim_{h→0+} (∂_i f(x + h w) − ∂_i f(x))/h ≠ (∇²f(x) w)_i (SymPy limit)."""
    w = _directions(len(variables))
    shift = {x: x + _H * wi for x, wi in zip(variables, w)}
    bad = []
    for i, g in enumerate(sp.diff(expr, x) for x in variables):
        limit = sp.limit((g.xreplace(shift) - g) / _H, _H, 0, "+")
        hw = sum(sp.diff(g, x) * wi for x, wi in zip(variables, w))
        if sp.simplify(limit - hw) != 0:
            bad.append(f"component {i + 1}: limit {sp.sstr(limit)}")
    return bad


def _derivative_differences(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> list[str]:
    """Components where d/dh ∂_i f(x + h w)|_{h=0} − (∇²f(x) w)_i does not expand to 0."""
    w = _directions(len(variables))
    shift = {x: x + _H * wi for x, wi in zip(variables, w)}
    bad = []
    for i, x_i in enumerate(variables):
        derivative = sp.diff(sp.diff(expr, x_i).xreplace(shift), _H).subs(_H, 0)
        hw = sum(sp.diff(expr, x_i, x) * wi for x, wi in zip(variables, w))
        if sp.expand(derivative - hw) != 0:
            bad.append(f"component {i + 1}")
    return bad


@dataclass(frozen=True)
class LimitIdentity:
    """lim_{h→0} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w, identically in x and w, as SymPy computed it."""

    objective: Objective
    method: str                          # "limit" (SymPy limit) or "derivative" (d/dh at h = 0, expanded)
    differing: tuple[str, ...] | None    # components where it fails; None when the budget ran out
    seconds: float
    message: str = ""

    @property
    def holds(self) -> bool | None:
        return None if self.differing is None else not self.differing


def limit_identity(f: Objective, *, method: str = "limit", limit_budget: float | None = LIMIT_BUDGET) -> LimitIdentity:
    """The limit step for ``f`` (``method='limit'``: SymPy limit of every component; ``'derivative'``: the
    quotient's limit is the derivative of h ↦ ∇f(x + h w) at 0, checked by expansion)."""
    worker = _limit_differences if method == "limit" else _derivative_differences
    outcome = run_with_budget(worker, f.expr, f.variables, seconds=limit_budget)
    if not outcome.ok:
        return LimitIdentity(f, method, None, outcome.seconds, f"{outcome.status} ({outcome.message})")
    return LimitIdentity(f, method, tuple(outcome.value), outcome.seconds)


def _squared_quotient_limit(expr, variables, point, direction):
    shift = {x: p + _H * d for x, p, d in zip(variables, point, direction)}
    at = dict(zip(variables, point))
    quotient_sq = sum(((sp.diff(expr, x).xreplace(shift) - sp.diff(expr, x).xreplace(at)) / _H) ** 2
                      for x in variables)
    return sp.limit(quotient_sq, _H, 0, "+")


@dataclass(frozen=True)
class CurveLimit:
    """The R⁴ loss at x_k = (0, 0, k, k), v = (1, −1, 0, 0)/√2: lim q(h)² (SymPy, symbolic k) and ‖∇²f(x_k)‖₂."""

    k: sp.Symbol
    limit: sp.Expr | None          # None when the budget ran out
    eigenvalues: dict
    spectral: sp.Expr
    message: str = ""

    @property
    def holds(self) -> bool | None:
        """lim q(h)² = k⁴/4 and ‖∇²f(x_k)‖₂ = k²/2."""
        if self.limit is None:
            return None
        return sp.simplify(self.limit - self.k**4 / 4) == 0 and sp.simplify(self.spectral - self.k**2 / 2) == 0


def curve_limit(loss: Objective, limit_budget: float | None = LIMIT_BUDGET) -> CurveLimit:
    k = sp.Symbol("k", positive=True)
    outcome = run_with_budget(_squared_quotient_limit, loss.expr, loss.variables, (0, 0, k, k),
                              (1 / sp.sqrt(2), -1 / sp.sqrt(2), 0, 0), seconds=limit_budget)
    hk = loss.hessian.xreplace(dict(zip(loss.variables, (0, 0, k, k))))
    eigenvalues = hk.eigenvals()
    spectral = sp.Max(*[sp.Abs(e) for e in eigenvalues])
    if not outcome.ok:
        return CurveLimit(k, None, eigenvalues, spectral, f"{outcome.status}: {outcome.message}")
    return CurveLimit(k, outcome.value, eigenvalues, spectral)


# -- the table of difference quotients, in ball arithmetic --------------------------------------------
@dataclass
class QuotientRow:
    exponent: int                 # h = 10^-exponent
    quotient: Confirmed           # ‖∇f(x + h v) − ∇f(x)‖/h
    error: Confirmed              # |quotient − limit|
    error_ball: arb
    bound: mp.mpf | None = None   # K(h) = C0 + C1 max_θ ‖∇f(x_θ)‖^ρ (premise), if constants given
    premise: Check | None = None


@dataclass
class QuotientTable:
    """q(h) = ‖∇f(x + h v) − ∇f(x)‖/h, h = 10⁻¹ … 10⁻ᴷ, against a limit (default ‖∇²f(x) v‖)."""

    objective: Objective
    point: tuple
    direction_text: str
    limit: Confirmed              # the value q(h) is compared with
    limit_label: str
    hv_norm: Confirmed            # ‖∇²f(x) v‖ (balls)
    spectral: Confirmed           # ‖∇²f(x)‖₂ (mpmath, two precisions)
    grad_norm: Confirmed          # ‖∇f(x)‖ (balls)
    rows: list[QuotientRow] = field(default_factory=list)
    digits: int = 15
    hv_ball: arb | None = None    # ‖∇²f(x) v‖ as a ball (rigorous enclosure)

    def converges(self) -> tuple[bool | None, str]:
        """The table agrees with q(h) → limit: over the last half of the rows the error shrinks at least 5×
        per decade (order ≥ 0.7; rigorous ball comparison), and the last relative error is below 10^-(K/2)."""
        if any(r.quotient.digits < self.digits for r in self.rows) or self.limit.digits < self.digits:
            return None, "some table values could not be guaranteed to the requested digits"
        half = self.rows[len(self.rows) // 2:]
        for a, b in zip(half, half[1:]):
            if not b.error_ball.abs_upper() * 5 <= a.error_ball.abs_lower() and \
                    not (b.error_ball.is_zero() and b.error_ball.is_exact()):
                return False, (f"the error does not shrink 5× from h = 1e-{a.exponent} to h = 1e-{b.exponent} "
                               f"({_error_text(a)} → {_error_text(b)})")
        last = self.rows[-1]
        relative = last.error_ball.abs_upper() / max(abs(to_arb(self.limit.value)).abs_lower(), arb(1e-300))
        if not relative <= arb(10) ** (-(len(self.rows) // 2)):
            return False, (f"relative error {mp.nstr(ball_to_mpf(relative), 3)} at h = 1e-{last.exponent} "
                           f"exceeds 1e-{len(self.rows) // 2}")
        orders = self.orders()
        return True, (f"error {_error_text(half[0])} at h = 1e-{half[0].exponent} → {_error_text(last)} at "
                      f"h = 1e-{last.exponent}; observed order ≈ {orders[-1] if orders else '–'}")

    def orders(self) -> list[str]:
        """log10 of the error ratio between consecutive rows (estimates)."""
        out = []
        for a, b in zip(self.rows, self.rows[1:]):
            if a.error.digits > 0 and b.error.digits > 0 and a.error.value != 0 and b.error.value != 0:
                with mp.workdps(30):
                    out.append(mp.nstr(mp.log10(abs(a.error.value) / abs(b.error.value)), 3))
            else:
                out.append("–")
        return out

    def premise_status(self) -> tuple[bool | None, str]:
        """q(h) ≤ K(h) at every pair (x, x + h v) of the table (None without constants)."""
        checks = [r.premise for r in self.rows if r.premise is not None]
        if not checks:
            return None, "no constants given"
        bad = [r for r in self.rows if r.premise is not None and not r.premise.holds]
        if bad:
            return False, (f"violated at h = 1e-{bad[0].exponent}: q(h) = {_confirmed_text(bad[0].quotient)} > "
                           f"K(h) = {mp.nstr(bad[0].bound, 15)}")
        return True, f"q(h) ≤ K(h) at all {len(checks)} pairs (x, x + h v)"

    def spectral_status(self) -> bool | None:
        """Whether lim q(h) = ‖∇²f(x) v‖ equals ‖∇²f(x)‖₂ to the table's digits (None: not confirmed)."""
        a, b = self.hv_norm, self.spectral
        if a.digits < self.digits or b.digits < self.digits:
            return None
        with mp.workdps(40):
            return bool(abs(a.value - b.value) <= mp.mpf(10) ** (-self.digits + 1) * max(abs(b.value), 1))

    def lines(self, constants: tuple | None = None) -> list[str]:
        out = [f"f = {self.objective.expression_text()}, x = {point_text(self.point)}, v = {self.direction_text}",
               f"‖∇f(x)‖ = {_confirmed_text(self.grad_norm)} (Euclidean); ‖∇²f(x) v‖ = {_confirmed_text(self.hv_norm)}"
               f" (Euclidean, balls); ‖∇²f(x)‖₂ = {_confirmed_text(self.spectral)} (spectral norm, mpmath eigsy, two "
               "precisions)",
               f"q(h) compared with {self.limit_label} = {_confirmed_text(self.limit)}"]
        head = f"{'h':>6}  {'q(h) = ‖∇f(x+hv) − ∇f(x)‖/h':<30} {'|q(h) − limit|':<14} {'order':>6}"
        if constants:
            head += f"  {'K(h) = C0 + C1 max_θ‖∇f(x_θ)‖^ρ':<32} q ≤ K"
        out.append(head)
        for row, order in zip(self.rows, ["–"] + self.orders()):
            line = (f"{'1e-' + str(row.exponent):>6}  {_confirmed_text(row.quotient, 22):<30} {_error_text(row):<14} "
                    f"{order:>6}")
            if constants and row.bound is not None:
                line += f"  {mp.nstr(row.bound, 24):<32} {'yes' if row.premise.holds else 'NO'}"
            out.append(line)
        return out


def _confirmed_text(c: Confirmed, digits: int = 18) -> str:
    if c.zero_at_both:
        return "0"
    t = c.text(digits)
    return t if t is not None else "unconfirmed"


def _error_text(row: QuotientRow) -> str:
    b = row.error_ball
    if b.is_zero() and b.is_exact():
        return "0"
    if row.error.digits <= 0:
        return f"≤ {mp.nstr(ball_to_mpf(arb(b.abs_upper())), 3)}"
    return mp.nstr(abs(row.error.value), 3)


def top_eigenvector(f: Objective, x: Sequence[object], dps: int = 60) -> list[mp.mpf]:
    """A unit eigenvector of ∇²f(x) for the eigenvalue of largest modulus (mpmath ``eigsy``)."""
    with mp.workdps(dps):
        values, vectors = mp.eigsy(mp.matrix(f.hess(x, dps)))
        k = max(range(len(values)), key=lambda i: abs(values[i]))
        return [vectors[i, k] for i in range(f.n)]


def _unit(v: Sequence[object]) -> list[arb]:
    w = [to_arb(c) for c in v]
    norm = ball_vector_norm(w)
    return [c / norm for c in w]


def _hv_norm(f: Objective, x: Sequence[object], v: Sequence[object]) -> arb:
    """‖∇²f(x) v̂‖ in balls at the current precision."""
    u = _unit(v)
    _, H = f.ball_derivatives([to_arb(c) for c in x])
    return ball_vector_norm([sum((H[i][j] * u[j] for j in range(f.n)), arb(0)) for i in range(f.n)])


def _quotient_row(f: Objective, x, v, k: int, digits: int, max_dps: int, claimed_limit) -> QuotientRow:
    """q(10⁻ᵏ) and its distance to the limit, certified to ``digits`` digits."""
    def evaluate(_dps: int) -> list[arb]:
        xb, u, h = [to_arb(c) for c in x], _unit(v), arb(1) / arb(10) ** k
        g0 = f.gradient_field.ball(xb)
        g1 = f.gradient_field.ball([a + h * b for a, b in zip(xb, u)])
        q = ball_vector_norm([b - a for a, b in zip(g0, g1)]) / h
        target = _hv_norm(f, x, v) if claimed_limit is None else to_arb(parse_constant(claimed_limit, what="limit"))
        return [q, q - target]

    q, err = certify(evaluate, digits=digits, start_dps=digits + 10 + 2 * k, max_dps=max_dps)
    with working_precision(err.dps):
        error_ball = abs(evaluate(err.dps)[1])
    return QuotientRow(k, q, err, error_ball)


def _premise_row(f: Objective, x, v, row: QuotientRow, condition: RhoOrder, dps: int) -> None:
    """The ρ-order inequality at the pair (x, x + h v̂) of the row (mpmath at dps + K digits)."""
    work = dps + row.exponent
    with mp.workdps(work + 10):
        w = [to_mpf(c) for c in v]
        norm, h = vector_norm(w), mp.mpf(10) ** (-row.exponent)
        x2 = [to_mpf(a) + h * b / norm for a, b in zip(x, w)]
    row.premise = condition.check(f, list(x), x2, dps=work)
    with mp.workdps(work):
        row.bound = condition.factor(f.gradient_field, Segment(x, x2), work)


def quotient_table(f: Objective, x: Sequence[object], v: Sequence[object], *, decades: int = 12,
                   digits: int = 15, direction_text: str | None = None, claimed_limit: object = None,
                   rho: object = None, C0: object = None, C1: object = None, max_dps: int = 2000,
                   dps: int = DPS) -> QuotientTable:
    """The difference quotients of Prop 5's proof at x in the direction v/‖v‖ (balls).

    ``v`` may hold exact numbers, SymPy numbers (e.g. ``1/sqrt(2)``) or mpf; it is normalised in ball
    arithmetic. ``claimed_limit`` replaces ‖∇²f(x) v̂‖ as the value the quotients are compared with (mutants
    use it). With ``rho, C0, C1`` the premise q(h) ≤ K(h) is checked at every pair (x, x + h v̂) by
    :class:`RhoOrder` at ``dps`` + K digits (a sampled max over θ: a lower estimate of K, so "holds" is safe)."""
    if len(x) != f.n or len(v) != f.n:
        raise ValueError(f"point and direction need {f.n} coordinates")

    def norms(_dps: int) -> list[arb]:
        return [_hv_norm(f, x, v), f.gradient_field.ball_norm([to_arb(c) for c in x])]

    grad_zero = all(sp.simplify(g.xreplace(dict(zip(f.variables, [sp.nsimplify(c) for c in x])))) == 0
                    for g in f.gradient) if all(not isinstance(c, mp.mpf) for c in x) else False
    hv_norm, grad_norm = certify(norms, digits=digits, max_dps=max_dps, zero_ok=[False, grad_zero])
    with working_precision(hv_norm.dps):
        hv_ball = _hv_norm(f, x, v)
    spectral = confirm(lambda d: [f.hess_norm(x, d, Norm.SPECTRAL)], digits=digits)[0]
    limit, label = hv_norm, "‖∇²f(x) v‖"
    if claimed_limit is not None:
        with mp.workdps(max_dps):
            value = to_mpf(parse_constant(claimed_limit, what="claimed limit"))
        limit = Confirmed(value=value, digits=10**9, dps=max_dps, dps_check=max_dps, rigorous=True)
        label = "the claimed limit"
    table = QuotientTable(f, tuple(x), direction_text or point_text(list(v)), limit, label, hv_norm, spectral,
                          grad_norm, digits=digits, hv_ball=hv_ball)
    condition = RhoOrder(rho, C0, C1) if rho is not None else None
    for k in range(1, decades + 1):
        row = _quotient_row(f, x, v, k, digits, max_dps, claimed_limit)
        if condition is not None:
            _premise_row(f, x, v, row, condition, dps)
        table.rows.append(row)
    return table


@dataclass(frozen=True)
class TableCase:
    """One difference-quotient table of the report: where, along which v, with which premise constants."""

    label: str
    table: QuotientTable
    constants: tuple | None        # (ρ, C0, C1) whose ρ-order premise is checked at the table's pairs
    top_direction: bool            # v is a top eigenvector: lim q(h) must be ‖∇²f(x)‖₂


@dataclass(frozen=True)
class LimitEnclosure:
    """The table's ball for ‖∇²f(x) v‖ against an exactly computed value."""

    label: str
    exact: sp.Expr
    encloses: bool
    digits: int
    radius: mp.mpf

    @property
    def holds(self) -> bool:
        return self.encloses and self.digits >= 15


def limit_enclosure(table: QuotientTable, exact: sp.Expr, label: str) -> LimitEnclosure:
    """Whether the table's ‖∇²f(x) v‖ ball encloses ``exact`` (and how many digits it guarantees)."""
    b = table.hv_ball
    with working_precision(max(table.hv_norm.dps, 30)):
        inside = b is not None and bool(b.contains(to_arb(exact)))
    return LimitEnclosure(label, exact, inside, table.hv_norm.digits, ball_to_mpf(arb(b.rad())))


# -- controls: Prop 5 as a refutation ------------------------------------------------------------------
def pair_violation(f: Objective, rho: object, C0: object, C1: object, x: Sequence[object],
                   dps: int = DPS, relative_step: int = 12) -> tuple[list[object], Check]:
    """Prop 5 in reverse: at a point breaking the Hessian bound, the pair (x, x + h e) with
    h = ‖x‖·10^-relative_step along the top eigenvector breaks the ρ-order inequality."""
    with mp.workdps(dps + relative_step + 20):
        v = top_eigenvector(f, x, dps + relative_step + 20)
        scale = max(vector_norm([to_mpf(c) for c in x]), mp.mpf(1))
        h = scale * mp.mpf(10) ** (-relative_step)
        x2 = [to_mpf(a) + h * b for a, b in zip(x, v)]
    return x2, RhoOrder(rho, C0, C1).check(f, list(x), x2, dps=dps + relative_step)


@dataclass(frozen=True)
class ControlRefutation:
    """Claimed constants (C0, C1) against a point breaking the Hessian bound and a pair breaking ρ-order."""

    C0: object
    C1: object
    point: list | None             # None: no violation found on the search ray
    point_check: Check | None
    pair_check: Check | None

    @property
    def refuted(self) -> bool:
        return self.point is not None and not self.pair_check.holds


def control_refutation(f: Objective, rho: object, C0: object, C1: object,
                       direction: Sequence[object]) -> ControlRefutation:
    """Search x = 10^j·direction for a violation of the Hessian bound, then the pair at that point."""
    found = find_violation(f, rho, C0, C1, direction)
    if found is None:
        return ControlRefutation(C0, C1, None, None, None)
    x, check = found
    return ControlRefutation(C0, C1, x, check, pair_violation(f, rho, C0, C1, x)[1])


# -- compute -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Prop5Result:
    """Everything Proposition 5's check computes."""

    quartic_residual: sp.Expr                  # f″ − C1|f′|^(2/3) for x⁴, simplified
    limit_identities: tuple[LimitIdentity, ...]
    curve_limit: CurveLimit
    tables: tuple[TableCase, ...]
    radial_eigenvalues: dict                   # of ∇²(x² + y²)² at (3, 4)
    limit_enclosures: tuple[LimitEnclosure, ...]
    bounds: tuple[tuple[str, HessianBoundAtPoints], ...]
    control_limit: LimitOutcome                 # lim_{x→∞} f″/(1 + |f′|^(1/2)) for x⁴
    controls: tuple[ControlRefutation, ...]
    r4_pair: Check                             # the R⁴ loss with claimed (1/2, 1, 1) at (x_k, x_k + 1e-12 v*)
    seconds: float
    catalogue: tuple[Controls, ...] = ()       # negative controls of the condition catalogue

    def table(self, label: str) -> TableCase:
        return next(case for case in self.tables if case.label == label)

    @property
    def r4_control(self) -> QuotientTable:
        return self.table(f"R⁴ loss at x_k = (0, 0, {R4_K}, {R4_K})").table


def _tables(decades: int) -> tuple[TableCase, ...]:
    constants = (RHO_X4, 0, C1_X4)
    x4, r4, loss = quartic(), radial_quartic(), r4_logistic()
    point_r4 = [sp.Rational(1, 2), -1, sp.Rational(3, 4), 2]
    examples = [
        ("x⁴ at x = 1", x4, [1], [1], "1", constants, True),
        ("(x² + y²)² at (3, 4), radial v* = (3, 4)/5", r4, [3, 4], [3, 4], "(3, 4)/5 (top eigenvector)", constants,
         True),
        ("(x² + y²)² at (3, 4), tangential v = (−4, 3)/5", r4, [3, 4], [-4, 3], "(−4, 3)/5", constants, False),
        ("R⁴ loss at x = (1/2, −1, 3/4, 2), top eigenvector v*", loss, point_r4, top_eigenvector(loss, point_r4),
         "v* (mpmath eigsy, 60 digits)", None, True),
        (f"R⁴ loss at x_k = (0, 0, {R4_K}, {R4_K})", loss, [0, 0, R4_K, R4_K], [1, -1, 0, 0],
         "(1, −1, 0, 0)/√2 (top eigenvector)", None, True),
    ]
    cases = []
    for label, f, point, direction, direction_text, consts, top in examples:
        options = dict(zip(("rho", "C0", "C1"), consts)) if consts else {}
        table = quotient_table(f, point, direction, decades=decades, direction_text=direction_text, **options)
        cases.append(TableCase(label, table, consts, top))
    return tuple(cases)


def _limit_enclosures(tables: tuple[TableCase, ...]) -> tuple[dict, tuple[LimitEnclosure, ...]]:
    """‖∇²f(3, 4) v‖ exactly for (x² + y²)²: 300 (radial, = ‖∇²f‖₂) and 100 (tangential)."""
    r4 = radial_quartic()
    H34 = r4.hessian.xreplace(dict(zip(r4.variables, (3, 4))))
    limits = []
    for label, v in (("radial v* = (3, 4)/5", (3, 4)), ("tangential v = (−4, 3)/5", (-4, 3))):
        vv = sp.Matrix(v) / 5
        value = sp.sqrt(((H34 * vv).T * (H34 * vv))[0])
        table = next(c.table for c in tables if c.label == f"(x² + y²)² at (3, 4), {label}")
        limits.append(limit_enclosure(table, value, label))
    return H34.eigenvals(), tuple(limits)


def compute(*, progress: bool | None = False, decades: int = 12,
            limit_budget: float | None = LIMIT_BUDGET) -> Prop5Result:
    """Run every computation of Proposition 5 (``progress`` is accepted for the common interface)."""
    start = time.perf_counter()
    x4, r4, loss = quartic(), radial_quartic(), r4_logistic()
    x = sp.Symbol("x", real=True)
    residual = sp.simplify(sp.diff(x**4, x, 2) - C1_X4 * sp.Abs(sp.diff(x**4, x)) ** RHO_X4)
    identities = (limit_identity(x4, limit_budget=limit_budget), limit_identity(r4, limit_budget=limit_budget),
                  limit_identity(loss, method="derivative", limit_budget=limit_budget))
    tables = _tables(decades)
    eigenvalues, exact = _limit_enclosures(tables)
    points_x4 = [[p] for p in (0, sp.Rational(1, 1000), 1, sp.Rational(5, 2), -7, "-1e-20", "1e30", "-1e30")]
    points_r4 = [[3, 4], [0, 0], [1, -1], ["0.001", 2], ["-1e20", "3e20"], [sp.Rational(-5, 3), sp.Rational(1, 7)]]
    bounds = (("x⁴ (the bound is attained: equality up to rounding)",
               hessian_bound_at_points(x4, RHO_X4, 0, C1_X4, points_x4)),
              ("(x² + y²)²", hessian_bound_at_points(r4, RHO_X4, 0, C1_X4, points_r4)))
    half, (xs,) = sp.Rational(1, 2), x4.variables
    ratio = sp.diff(x4.expr, xs, 2) / (1 + sp.Abs(sp.diff(x4.expr, xs)) ** half)
    controls = tuple(control_refutation(x4, half, C0, C1, [1]) for C0, C1 in CONTROL_CONSTANTS)
    return Prop5Result(residual, identities, curve_limit(loss, limit_budget), tables, eigenvalues, exact, bounds,
                       limit_at_infinity(ratio, xs, seconds=limit_budget), controls,
                       pair_violation(loss, half, 1, 1, [0, 0, R4_K, R4_K])[1], time.perf_counter() - start,
                       (catalogue_controls(),))


# -- render ------------------------------------------------------------------------------------------
def _claim() -> ClaimReport:
    report = ClaimReport(
        name=NAME,
        title=TITLE,
        claim="if ∇f is ρ-order Lipschitz with (C0, C1), then ‖∇²f(x)‖ ≤ C0 + C1‖∇f(x)‖^ρ for every x",
        statement="f ∈ C², ‖∇f(x1) − ∇f(x2)‖ ≤ (C0 + C1 max_θ ‖∇f(x_θ)‖^ρ)‖x1 − x2‖ ∀x1, x2 ⇒ "
                  "‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ ∀x; proof: x2 = x + h v, ‖v‖ = 1, divide by h, h → 0",
        method="the proof's limit step verified symbolically (SymPy limit / derivative identity, symbolic x and v); "
               "difference-quotient tables in ball arithmetic converging to ‖∇²f(x) v‖ and, along a top "
               "eigenvector, to ‖∇²f(x)‖₂; premise and conclusion checked at pairs and points (mpmath, 50 digits); "
               "controls where the conclusion fails (x⁴ with ρ = 1/2, the R⁴ loss)",
        evidence_kind="identity verified symbolically (the limit step, for all x and v) + instances checked "
                      "numerically (tables, pairs and points)",
    )
    report.sections.append(("Examples", [
        f"x⁴ and (x² + y²)² with ρ = 2/3, C0 = 0, C1 = 12/4^(2/3) = 3·2^(2/3) ≈ {sp.N(C1_X4, 12)}: their gradients "
        "are 2/3-order with these constants (Prop 6; the Hessian bound holds with equality at every x), "
        "so Prop 5's conclusion is sharp for them",
        "the R⁴ logistic loss log(1 + exp(−x1x2x3x4)) (Prop 7): no constants exist; shown are the limit step and "
        "what Prop 5 then forces at x_k = (0, 0, k, k)",
        "control: x⁴ with ρ = 1/2 < 2/3, for which every claimed (C0, C1) must be refuted"]))
    return report


def _render_symbolic(report: ClaimReport, result: Prop5Result) -> None:
    report.add_check("x⁴: f″(x) = C1 |f′(x)|^(2/3) with C1 = 12/4^(2/3) = 3·2^(2/3), identically in x",
                     result.quartic_residual == 0 and sp.simplify(C1_X4 - 3 * 2 ** sp.Rational(2, 3)) == 0,
                     f"f″ − C1|f′|^(2/3) simplifies to {sp.sstr(result.quartic_residual)}; C1 = {sp.sstr(C1_X4)} ≈ "
                     f"{sp.N(C1_X4, 15)}")
    for identity in result.limit_identities:
        how = ("SymPy limit h → 0⁺ of each component, symbolic x and w" if identity.method == "limit" else
               "d/dh ∇f(x + h w) at h = 0 (the limit of the quotient, by definition) expanded against "
               "∇²f(x) w, symbolic x and w")
        if identity.holds is None:
            detail = f"{how}: {identity.message}"
        elif identity.holds:
            detail = f"{how}: identity holds for every component ({identity.seconds:.2f} s)"
        else:
            detail = f"{how}: differs: " + "; ".join(identity.differing)
        report.add_check(f"{identity.objective.describe()}: lim_{{h→0}} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w for all x, w",
                         identity.holds, detail)
    c = result.curve_limit
    if c.limit is None:
        report.add_check("R⁴ loss at x_k: symbolic limit of q(h)²", None, c.message)
    else:
        report.add_check("R⁴ loss at x_k = (0, 0, k, k), v = (1, −1, 0, 0)/√2: lim_{h→0} q(h)² = ‖∇²f(x_k)‖₂² = k⁴/4 "
                         "(SymPy limit, symbolic k)", c.holds,
                         f"limit = {sp.sstr(c.limit)}; eigenvalues of ∇²f(x_k): {sp.sstr(list(c.eigenvalues))}, so "
                         f"‖∇²f(x_k)‖₂ = {sp.sstr(c.spectral)}")


def _render_tables(report: ClaimReport, result: Prop5Result) -> None:
    for case in result.tables:
        table, label = case.table, case.label
        report.add_check(f"{label}: q(h) → {table.limit_label} as h → 0 (table, balls)", *table.converges())
        if case.top_direction:
            report.add_check(f"{label}: the sup over unit v of lim q(h) is ‖∇²f(x)‖₂ — attained at the top "
                             "eigenvector v*", table.spectral_status(),
                             f"‖∇²f(x) v*‖ = {_confirmed_text(table.hv_norm)} (balls), ‖∇²f(x)‖₂ = "
                             f"{_confirmed_text(table.spectral)} (spectral norm, mpmath)")
        if case.constants:
            rho, C0, C1 = case.constants
            report.add_check(f"{label}: premise instances — ρ-order (ρ = {exact_text(rho)}, C0 = {exact_text(C0)}, "
                             f"C1 = {exact_text(C1)}) at every pair (x, x + h v) of the table", *table.premise_status())
        report.sections.append((f"Difference quotients: {label}", table.lines(case.constants)))
    report.add_check("(x² + y²)² at (3, 4): eigenvalues of ∇²f are 12‖x‖² = 300 (radial) and 4‖x‖² = 100 "
                     "(tangential), so ‖∇²f(3, 4)‖₂ = 300 exactly", set(result.radial_eigenvalues) == {300, 100},
                     f"SymPy: eigenvalues {sp.sstr(result.radial_eigenvalues)}")
    for limit in result.limit_enclosures:
        table = result.table(f"(x² + y²)² at (3, 4), {limit.label}").table
        report.add_check(f"(x² + y²)² at (3, 4), {limit.label}: lim q(h) = ‖∇²f v‖ = {sp.sstr(limit.exact)} (exact, "
                         "SymPy) enclosed by the table's ball" + (" = ‖∇²f‖₂" if limit.exact == 300 else ""),
                         limit.holds, f"exact value {sp.sstr(limit.exact)}; ball midpoint "
                         f"{_confirmed_text(table.hv_norm, 20)}, radius {mp.nstr(limit.radius, 2)} "
                         f"({'encloses it' if limit.encloses else 'does NOT enclose it'}, "
                         f"{min(limit.digits, 10**6)} digits guaranteed)")


def _control_line(c: ControlRefutation) -> str:
    constants = f"(C0, C1) = ({exact_text(c.C0)}, {exact_text(c.C1)})"
    if c.point is None:
        return f"{constants}: no violation found at x = 10^j·(1)"
    pair = c.pair_check
    return (f"{constants}: at x = {point_text(c.point)} ‖∇²f‖₂ = {mpf_text(c.point_check.lhs)} > C0 + C1‖∇f‖^ρ = "
            f"{mpf_text(c.point_check.rhs)}; pair (x, x + ‖x‖·1e-12·v*): ‖Δ∇f‖ = {mpf_text(pair.lhs)} "
            f"{'>' if not pair.holds else '≤'} {mpf_text(pair.rhs)} (ρ-order {'violated' if not pair.holds else 'holds'})")


def _render_controls(report: ClaimReport, result: Prop5Result) -> None:
    for label, bound in result.bounds:
        add_hessian_bound_check(report, bound, label)
    lim = result.control_limit
    report.add_check("control x⁴, ρ = 1/2: lim_{x→∞} f″/(1 + |f′|^(1/2)) = ∞, so no (C0, C1) satisfies the Hessian "
                     "bound and, by Prop 5, f′ is not ½-order", None if not lim.decided else lim.kind == "infinite",
                     f"SymPy: lim = {lim.value_text()}")
    report.add_check("control x⁴, ρ = 1/2: every claimed (C0, C1) is refuted at a computed point and a computed pair",
                     all(c.refuted for c in result.controls), " | ".join(_control_line(c) for c in result.controls))
    table = result.r4_control
    report.add_check(f"control R⁴ loss at x_k, k = {R4_K}: ∇f(x_k) = 0 and lim q(h) = ‖∇²f(x_k)‖₂ = k²/2 = "
                     f"{R4_K**2 // 2}, so Prop 5 forces C0 ≥ k²/2 for every k — no constants exist",
                     table.grad_norm.proven_zero and bool(table.hv_ball.contains(to_arb(R4_K**2 // 2)))
                     and table.hv_norm.digits >= 15,
                     f"‖∇f(x_k)‖ = {_confirmed_text(table.grad_norm)} (exact), ‖∇²f(x_k) v*‖ = "
                     f"{_confirmed_text(table.hv_norm)}")
    pair = result.r4_pair
    report.add_check("control R⁴ loss: with claimed (ρ, C0, C1) = (1/2, 1, 1) the pair (x_k, x_k + 1e-12·v*) "
                     "breaks ρ-order (Prop 5's step in reverse)", not pair.holds,
                     f"‖Δ∇f‖ = {mpf_text(pair.lhs)} vs (C0 + C1 max‖∇f‖^ρ)‖Δx‖ = {mpf_text(pair.rhs)}: "
                     f"{'violated' if not pair.holds else 'holds'}")


def render(result: Prop5Result) -> ClaimReport:
    """The claim report of a computed :class:`Prop5Result`."""
    report = _claim()
    _render_symbolic(report, result)
    _render_tables(report, result)
    _render_controls(report, result)
    for controls in result.catalogue:
        controls.add_to(report)
    report.sections.append(("Norms", [
        "gradients: Euclidean; Hessians: spectral ‖·‖₂ (the norm of the definitions) in the conclusion; the "
        "quotient's limit along v is the Euclidean norm ‖∇²f(x) v‖, whose sup over unit v is ‖∇²f(x)‖₂"]))
    report.sections.append(("Not covered", [
        "a finite set of points and pairs proves no inequality 'for all x'; the general step (the limit) is the "
        "symbolic identity. The premise of the examples is Proposition 6 applied to the exact Hessian identities "
        "(proofs.prop6_sufficiency)."]))
    report.seconds = result.seconds
    return report


def verify(*, progress: bool | None = False, decades: int = 12,
           limit_budget: float | None = LIMIT_BUDGET) -> ClaimReport:
    """Run every check of Proposition 5 and return the report (compute, then render)."""
    return render(compute(progress=progress, decades=decades, limit_budget=limit_budget))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
