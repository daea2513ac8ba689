"""Proposition 5: Hessian growth is necessary for a ρ-order Lipschitz gradient.

Claim
    f ∈ C², ∇f ρ-order Lipschitz with constants (C0, C1) ⇒
    ‖∇²f(x)‖₂ ≤ C0 + C1 ‖∇f(x)‖^ρ for every x (spectral norm, as in the definitions).
Method
    The proof, computed. Put x2 = x + h v with ‖v‖ = 1. The ρ-order inequality at the
    pair (x, x + h v), divided by h, reads
    q(h) = ‖∇f(x + h v) − ∇f(x)‖/h ≤ K(h) = C0 + C1 max_θ ‖∇f(x + θ h v)‖^ρ;
    as h → 0, q(h) → ‖∇²f(x) v‖ and K(h) → C0 + C1 ‖∇f(x)‖^ρ; the sup over unit v of
    ‖∇²f(x) v‖ is ‖∇²f(x)‖₂ (attained at a top eigenvector).

    * The limit step symbolically: lim_{h→0} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w with
      *symbolic* x and w (SymPy ``limit``) for the polynomial examples; for the R⁴
      logistic loss, whose symbolic limit SymPy does not finish in minutes, the
      derivative d/dh ∇f(x + h w)|_{h=0} = ∇²f(x) w is checked identically in x, w
      (the quotient's limit is this derivative by definition) and the SymPy limit
      of the squared quotient is computed at x_k = (0, 0, k, k) with symbolic k.
    * Tables: q(h) for h = 10⁻¹ … 10⁻ᴷ in ball arithmetic (python-flint arb; every
      printed digit guaranteed by the radius), its distance to ‖∇²f(x) v‖ (computed in
      balls from the Hessian) and the observed order of convergence; the premise
      q(h) ≤ K(h) at every pair of the table; for v a top eigenvector (exact, or
      computed by mpmath ``eigsy``), ‖∇²f(x) v‖ is compared with ‖∇²f(x)‖₂ (mpmath,
      digits confirmed at two precisions).
    * The conclusion ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ at sample points (mpmath, 50 digits,
      relative rounding allowance 10⁻⁴⁵ as in :mod:`dlnsmooth.conditions`).
    * Controls (Prop 5 used as a refutation): f = x⁴ with ρ = 1/2 (x⁴ is ρ-order iff
      ρ ≥ 2/3): the ratio f″/(1 + |f′|^(1/2)) → ∞ (SymPy), and for each claimed
      (C0, C1) a computed point breaks the Hessian bound and a computed pair breaks
      the ρ-order inequality. The R⁴ loss at x_k: ∇f(x_k) = 0, ‖∇²f(x_k)‖₂ = k²/2, so
      Prop 5 would force C0 ≥ k²/2 for every k.
Guarantee
    The limit step is an identity verified symbolically (for general x and v); the
    inequality is checked on instances (examples, points, pairs), numerically.
    Examples: f = x⁴, ρ = 2/3, (C0, C1) = (0, 3·2^(2/3)); f = (x² + y²)², same ρ and
    constants (‖∇²f‖₂ = 12‖x‖² = C1 ‖∇f‖^(2/3)). Their premise (∇f is 2/3-order with
    these constants) is Proposition 6 applied to the exact Hessian identities (see
    ``proofs.prop6_sufficiency``); here it is checked at the pairs the proof uses.
Reference
    Patel & Varner, arXiv 2409.13672; SPEC §2, Proposition 5.
Example
    ``python -m proofs.prop5_necessity [--json]`` or ``dlnsmooth verify prop5``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp
from flint import arb

from dlnsmooth.balls import ArbProgram, certify
from dlnsmooth.budget import run_with_budget
from dlnsmooth.conditions import Check, HessianGrowth, RhoOrder
from dlnsmooth.limits import limit_at_infinity
from dlnsmooth.norms import Norm, vector_norm
from dlnsmooth.numbers import ball_to_mpf, parse_constant, parse_rho, to_arb, to_mpf
from dlnsmooth.objective import Objective
from dlnsmooth.precision import Confirmed, confirm, working_precision
from dlnsmooth.report import CheckOutcome, ClaimReport
from dlnsmooth.segment import Segment

from ._runner import run_main

NAME = "prop5"
TITLE = "Proposition 5 — Hessian growth is necessary"

#: the sharp constant for x⁴ (and (x² + y²)²) at ρ = 2/3: 12/4^(2/3) = 3·2^(2/3)
C1_X4 = sp.Integer(12) / sp.Integer(4) ** sp.Rational(2, 3)
RHO_X4 = sp.Rational(2, 3)
#: claimed (C0, C1) for x⁴ at ρ = 1/2 — each must be refuted (x⁴ is ρ-order iff ρ ≥ 2/3)
CONTROL_CONSTANTS = [(0, 12), (1, 100), (10**6, 10**6)]
#: where a violation of the Hessian bound is searched for: x = ±10^j
SEARCH_EXPONENTS = range(0, 41)
#: k of the R⁴ control point x_k = (0, 0, k, k)
R4_K = 10
#: symbolic budget (seconds) per SymPy computation
BUDGET = 20.0
#: precision of the pointwise and pair checks (decimal digits)
DPS = 50


# ---------------------------------------------------------------------------------------------
# objectives and constants
# ---------------------------------------------------------------------------------------------
def quartic() -> Objective:
    return Objective.from_string("x**4", "x")


def radial_quartic() -> Objective:
    """(x² + y²)²: ‖∇f‖ = 4‖x‖³, ‖∇²f‖₂ = 12‖x‖² (radial eigenvalue; tangential 4‖x‖²)."""
    return Objective.from_string("(x**2 + y**2)**2", "x,y")


def r4_logistic() -> Objective:
    """Proposition 7's loss with z = y = 1: log(1 + exp(−x1 x2 x3 x4))."""
    return Objective.from_string("log(1 + exp(-x1*x2*x3*x4))", "x1,x2,x3,x4")


def text(value: object) -> str:
    return sp.sstr(value) if isinstance(value, sp.Basic) else str(value)


def show_point(x: Sequence[object]) -> str:
    return "(" + ", ".join(text(sp.nsimplify(c) if isinstance(c, float) else c) for c in x) + ")" \
        if len(x) > 1 else text(x[0])


# ---------------------------------------------------------------------------------------------
# the limit step, symbolically
# ---------------------------------------------------------------------------------------------
_H = sp.Symbol("h", positive=True)


def _directions(n: int) -> tuple[sp.Symbol, ...]:
    return sp.symbols(f"w1:{n + 1}", real=True)


def _limit_identity(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> list[str]:
    """Components i where lim_{h→0+} (∂_i f(x + h w) − ∂_i f(x))/h ≠ (∇²f(x) w)_i; computed by SymPy."""
    w = _directions(len(variables))
    shift = {x: x + _H * wi for x, wi in zip(variables, w)}
    grad = [sp.diff(expr, x) for x in variables]
    bad = []
    for i, g in enumerate(grad):
        limit = sp.limit((g.xreplace(shift) - g) / _H, _H, 0, "+")
        hw = sum(sp.diff(g, x) * wi for x, wi in zip(variables, w))
        if sp.simplify(limit - hw) != 0:
            bad.append(f"component {i + 1}: limit {sp.sstr(limit)}")
    return bad


def _derivative_identity(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> list[str]:
    """Components where d/dh ∂_i f(x + h w)|_{h=0} − (∇²f(x) w)_i does not expand to 0."""
    w = _directions(len(variables))
    shift = {x: x + _H * wi for x, wi in zip(variables, w)}
    bad = []
    for i, x_i in enumerate(variables):
        g = sp.diff(expr, x_i)
        derivative = sp.diff(g.xreplace(shift), _H).subs(_H, 0)
        hw = sum(sp.diff(expr, x_i, x) * wi for x, wi in zip(variables, w))
        if sp.expand(derivative - hw) != 0:
            bad.append(f"component {i + 1}")
    return bad


def check_limit_identity(report: ClaimReport, f: Objective, *, method: str = "limit",
                         budget: float | None = BUDGET) -> CheckOutcome:
    """lim_{h→0} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w, identically in x and w.

    ``method='limit'``: SymPy ``limit`` of every component; ``'derivative'``: the
    quotient's limit is the derivative of h ↦ ∇f(x + h w) at 0, checked by expansion."""
    worker = _limit_identity if method == "limit" else _derivative_identity
    outcome = run_with_budget(worker, f.expr, f.variables, seconds=budget)
    how = ("SymPy limit h → 0⁺ of each component, symbolic x and w" if method == "limit" else
           "d/dh ∇f(x + h w) at h = 0 (the limit of the quotient, by definition) expanded against "
           "∇²f(x) w, symbolic x and w")
    name = f"{f.describe()}: lim_{{h→0}} (∇f(x + h w) − ∇f(x))/h = ∇²f(x) w for all x, w"
    if not outcome.ok:
        return report.add_check(name, None, f"{how}: {outcome.status} ({outcome.message})")
    bad = outcome.value
    return report.add_check(name, not bad, f"{how}: " + ("identity holds for every component "
                            f"({outcome.seconds:.2f} s)" if not bad else "differs: " + "; ".join(bad)))


def _squared_quotient_limit(expr, variables, point, direction):
    shift = {x: p + _H * d for x, p, d in zip(variables, point, direction)}
    at = dict(zip(variables, point))
    quotient_sq = sum(((sp.diff(expr, x).xreplace(shift) - sp.diff(expr, x).xreplace(at)) / _H) ** 2
                      for x in variables)
    return sp.limit(quotient_sq, _H, 0, "+")


# ---------------------------------------------------------------------------------------------
# the table of difference quotients, in ball arithmetic
# ---------------------------------------------------------------------------------------------
_PROGRAMS: dict[int, tuple[Objective, ArbProgram, ArbProgram]] = {}


def _programs(f: Objective) -> tuple[ArbProgram, ArbProgram]:
    """Ball programs for ∇f and the full Hessian (row-major), compiled once per objective."""
    entry = _PROGRAMS.get(id(f))
    if entry is None or entry[0] is not f:
        n = f.n
        entry = (f, ArbProgram(list(f.gradient), f.variables),
                 ArbProgram([f.hessian[i, j] for i in range(n) for j in range(n)], f.variables))
        _PROGRAMS[id(f)] = entry
    return entry[1], entry[2]


def _ball_norm(values: Sequence[arb]) -> arb:
    total = arb(0)
    for v in values:
        total += v * v
    return total.nonnegative_part().sqrt() if not (total.is_zero() and total.is_exact()) else arb(0)


@dataclass
class QuotientRow:
    exponent: int               # h = 10^-exponent
    quotient: Confirmed         # ‖∇f(x + h v) − ∇f(x)‖/h
    error: Confirmed            # |quotient − limit|
    error_ball: arb
    bound: mp.mpf | None = None   # K(h) = C0 + C1 max_θ ‖∇f(x_θ)‖^ρ (premise), if constants given
    premise: Check | None = None


@dataclass
class QuotientTable:
    """q(h) = ‖∇f(x + h v) − ∇f(x)‖/h, h = 10⁻¹ … 10⁻ᴷ, against a limit (default ‖∇²f(x) v‖)."""

    objective: Objective
    point: tuple
    direction_text: str
    limit: Confirmed            # the value q(h) is compared with
    limit_label: str
    hv_norm: Confirmed          # ‖∇²f(x) v‖ (balls)
    spectral: Confirmed         # ‖∇²f(x)‖₂ (mpmath, two precisions)
    grad_norm: Confirmed        # ‖∇f(x)‖ (balls)
    rows: list[QuotientRow] = field(default_factory=list)
    digits: int = 15
    hv_ball: arb | None = None  # ‖∇²f(x) v‖ as a ball (rigorous enclosure)

    def converges(self) -> tuple[bool | None, str]:
        """The table agrees with q(h) → limit: over the last half of the rows the error
        shrinks at least 5× per decade (order ≥ 0.7; rigorous ball comparison), and the
        last relative error is below 10^-(K/2)."""
        if any(r.quotient.digits < self.digits for r in self.rows) or self.limit.digits < self.digits:
            return None, "some table values could not be guaranteed to the requested digits"
        half = self.rows[len(self.rows) // 2:]
        for a, b in zip(half, half[1:]):
            upper_b = b.error_ball.abs_upper()
            lower_a = a.error_ball.abs_lower()
            if not upper_b * 5 <= lower_a and not (b.error_ball.is_zero() and b.error_ball.is_exact()):
                return False, (f"the error does not shrink 5× from h = 1e-{a.exponent} to h = 1e-{b.exponent} "
                               f"({_err_text(a)} → {_err_text(b)})")
        last = self.rows[-1]
        relative = last.error_ball.abs_upper() / max(abs(to_arb(self.limit.value)).abs_lower(), arb(1e-300))
        allowed = arb(10) ** (-(len(self.rows) // 2))
        if not relative <= allowed:
            return False, (f"relative error {mp.nstr(ball_to_mpf(relative), 3)} at h = 1e-{last.exponent} "
                           f"exceeds 1e-{len(self.rows) // 2}")
        orders = self.orders()
        return True, (f"error {_err_text(half[0])} at h = 1e-{half[0].exponent} → {_err_text(last)} at "
                      f"h = 1e-{last.exponent}; observed order ≈ {orders[-1] if orders else '–'}")

    def orders(self) -> list[str]:
        out = []
        for a, b in zip(self.rows, self.rows[1:]):
            if a.error.digits > 0 and b.error.digits > 0 and a.error.value != 0 and b.error.value != 0:
                with mp.workdps(30):
                    out.append(mp.nstr(mp.log10(abs(a.error.value) / abs(b.error.value)), 3))
            else:
                out.append("–")
        return out

    def premise_status(self) -> tuple[bool | None, str]:
        checks = [r.premise for r in self.rows if r.premise is not None]
        if not checks:
            return None, "no constants given"
        bad = [r for r in self.rows if r.premise is not None and not r.premise.holds]
        if bad:
            r = bad[0]
            return False, (f"violated at h = 1e-{r.exponent}: q(h) = {_conf(r.quotient)} > K(h) = "
                           f"{mp.nstr(r.bound, 15)}")
        return True, f"q(h) ≤ K(h) at all {len(checks)} pairs (x, x + h v)"

    def lines(self, constants: tuple | None = None) -> list[str]:
        out = [f"f = {self.objective.expression_text()}, x = {show_point(self.point)}, v = {self.direction_text}",
               f"‖∇f(x)‖ = {_conf(self.grad_norm)} (Euclidean); ‖∇²f(x) v‖ = {_conf(self.hv_norm)} (Euclidean, "
               f"balls); ‖∇²f(x)‖₂ = {_conf(self.spectral)} (spectral norm, mpmath eigsy, two precisions)",
               f"q(h) compared with {self.limit_label} = {_conf(self.limit)}"]
        head = f"{'h':>6}  {'q(h) = ‖∇f(x+hv) − ∇f(x)‖/h':<30} {'|q(h) − limit|':<14} {'order':>6}"
        if constants:
            head += f"  {'K(h) = C0 + C1 max_θ‖∇f(x_θ)‖^ρ':<32} q ≤ K"
        out.append(head)
        orders = ["–"] + self.orders()
        for row, order in zip(self.rows, orders):
            line = f"{'1e-' + str(row.exponent):>6}  {_conf(row.quotient, 22):<30} {_err_text(row):<14} {order:>6}"
            if constants and row.bound is not None:
                line += f"  {mp.nstr(row.bound, 24):<32} {'yes' if row.premise.holds else 'NO'}"
            out.append(line)
        return out


def _conf(c: Confirmed, digits: int = 18) -> str:
    if c.zero_at_both:
        return "0"
    t = c.text(digits)
    return t if t is not None else "unconfirmed"


def _err_text(row: QuotientRow) -> str:
    b = row.error_ball
    if b.is_zero() and b.is_exact():
        return "0"
    if row.error.digits <= 0:
        return f"≤ {mp.nstr(ball_to_mpf(arb(b.abs_upper())), 3)}"
    return mp.nstr(abs(row.error.value), 3)


def top_eigenvector(f: Objective, x: Sequence[object], dps: int = 60) -> list[mp.mpf]:
    """A unit eigenvector of ∇²f(x) for the eigenvalue of largest modulus (mpmath ``eigsy``)."""
    with mp.workdps(dps):
        H = mp.matrix(f.hess(x, dps))
        values, vectors = mp.eigsy(H)
        k = max(range(len(values)), key=lambda i: abs(values[i]))
        return [vectors[i, k] for i in range(f.n)]


def quotient_table(f: Objective, x: Sequence[object], v: Sequence[object], *, decades: int = 12,
                   digits: int = 15, direction_text: str | None = None, claimed_limit: object = None,
                   rho: object = None, C0: object = None, C1: object = None, max_dps: int = 2000,
                   dps: int = DPS) -> QuotientTable:
    """The difference quotients of Prop 5's proof at x in the direction v/‖v‖ (balls).

    ``v`` may hold exact numbers, SymPy numbers (e.g. ``1/sqrt(2)``) or mpf; it is
    normalised in ball arithmetic. ``claimed_limit`` replaces ‖∇²f(x) v̂‖ as the value
    the quotients are compared with (mutants use it). With ``rho, C0, C1`` the premise
    q(h) ≤ K(h) is checked at every pair (x, x + h v̂) by :class:`RhoOrder` at
    ``dps`` + K digits (a sampled max over θ: a lower estimate of K, so "holds" is safe)."""
    grad_program, hess_program = _programs(f)
    n = f.n
    if len(x) != n or len(v) != n:
        raise ValueError(f"point and direction need {n} coordinates")

    def unit() -> list[arb]:
        w = [to_arb(c) for c in v]
        norm = _ball_norm(w)
        return [c / norm for c in w]

    def hv_and_grad(_dps: int) -> list[arb]:
        xb = [to_arb(c) for c in x]
        u = unit()
        entries = hess_program.evaluate(xb)
        hv = [sum((entries[i * n + j] * u[j] for j in range(n)), arb(0)) for i in range(n)]
        return [_ball_norm(hv), _ball_norm(grad_program.evaluate(xb))]

    grad_zero = all(sp.simplify(g.xreplace(dict(zip(f.variables, [sp.nsimplify(c) for c in x])))) == 0
                    for g in f.gradient) if all(not isinstance(c, mp.mpf) for c in x) else False
    hv_norm, grad_norm = certify(hv_and_grad, digits=digits, max_dps=max_dps, zero_ok=[False, grad_zero])
    with working_precision(hv_norm.dps):
        hv_ball = hv_and_grad(hv_norm.dps)[0]
    spectral = confirm(lambda d: [f.hess_norm(x, d, Norm.SPECTRAL)], digits=digits)[0]
    if claimed_limit is None:
        limit, label = hv_norm, "‖∇²f(x) v‖"
    else:
        with mp.workdps(max_dps):
            value = to_mpf(parse_constant(claimed_limit, what="claimed limit"))
        limit = Confirmed(value=value, digits=10**9, dps=max_dps, dps_check=max_dps, rigorous=True)
        label = "the claimed limit"
    table = QuotientTable(f, tuple(x), direction_text or show_point(list(v)), limit, label, hv_norm, spectral,
                          grad_norm, digits=digits, hv_ball=hv_ball)
    condition = RhoOrder(rho, C0, C1) if rho is not None else None
    for k in range(1, decades + 1):
        def evaluate(_dps: int, k: int = k) -> list[arb]:
            xb = [to_arb(c) for c in x]
            u = unit()
            h = arb(1) / arb(10) ** k
            g0 = grad_program.evaluate(xb)
            g1 = grad_program.evaluate([a + h * b for a, b in zip(xb, u)])
            q = _ball_norm([b - a for a, b in zip(g0, g1)]) / h
            if claimed_limit is None:
                entries = hess_program.evaluate(xb)
                target = _ball_norm([sum((entries[i * n + j] * u[j] for j in range(n)), arb(0)) for i in range(n)])
            else:
                target = to_arb(parse_constant(claimed_limit, what="claimed limit"))
            return [q, q - target]

        q, err = certify(evaluate, digits=digits, start_dps=digits + 10 + 2 * k, max_dps=max_dps)
        with_ball = _error_ball(evaluate, err.dps)
        row = QuotientRow(k, q, err, with_ball)
        if condition is not None:
            work = dps + k
            with mp.workdps(work + 10):
                w = [to_mpf(c) if not isinstance(c, sp.Basic) else to_mpf(c) for c in v]
                norm = vector_norm(w)
                h = mp.mpf(10) ** (-k)
                x2 = [to_mpf(a) + h * b / norm for a, b in zip(x, w)]
            row.premise = condition.check(f, list(x), x2, dps=work)
            with mp.workdps(work):
                row.bound = condition.factor(f.gradient_field, _segment(x, x2), work)
        table.rows.append(row)
    return table


def _segment(x1, x2):
    return Segment(x1, x2)


def _error_ball(evaluate, dps: int) -> arb:
    with working_precision(dps):
        return abs(evaluate(dps)[1])


def check_quotient_table(report: ClaimReport, table: QuotientTable, label: str) -> CheckOutcome:
    ok, detail = table.converges()
    return report.add_check(f"{label}: q(h) → {table.limit_label} as h → 0 (table, balls)", ok, detail)


def check_premise_pairs(report: ClaimReport, table: QuotientTable, label: str, constants: tuple) -> CheckOutcome:
    rho, C0, C1 = constants
    ok, detail = table.premise_status()
    return report.add_check(f"{label}: premise instances — ρ-order (ρ = {text(rho)}, C0 = {text(C0)}, "
                            f"C1 = {text(C1)}) at every pair (x, x + h v) of the table", ok, detail)


def check_spectral(report: ClaimReport, table: QuotientTable, label: str) -> CheckOutcome:
    """sup_v lim q = ‖∇²f(x)‖₂: the limit along a top eigenvector equals the spectral norm."""
    a, b = table.hv_norm, table.spectral
    if a.digits < table.digits or b.digits < table.digits:
        return report.add_check(f"{label}: ‖∇²f(x) v*‖ = ‖∇²f(x)‖₂", None, "values not confirmed")
    with mp.workdps(40):
        close = abs(a.value - b.value) <= mp.mpf(10) ** (-table.digits + 1) * max(abs(b.value), 1)
    return report.add_check(f"{label}: the sup over unit v of lim q(h) is ‖∇²f(x)‖₂ — attained at the top "
                            f"eigenvector v*", close,
                            f"‖∇²f(x) v*‖ = {_conf(a)} (balls), ‖∇²f(x)‖₂ = {_conf(b)} (spectral norm, mpmath)")


def check_exact_limit(report: ClaimReport, table: QuotientTable, exact: sp.Expr, label: str) -> CheckOutcome:
    """The table's ‖∇²f(x) v‖ (a ball) encloses an exactly computed value and guarantees ≥ 15 digits."""
    b = table.hv_ball
    with working_precision(max(table.hv_norm.dps, 30)):
        inside = b is not None and b.contains(to_arb(exact))
    ok = inside and table.hv_norm.digits >= table.digits
    return report.add_check(label, ok, f"exact value {sp.sstr(exact)}; ball midpoint {_conf(table.hv_norm, 20)}, radius "
                            f"{mp.nstr(ball_to_mpf(arb(b.rad())), 2)} "
                            f"({'encloses it' if inside else 'does NOT enclose it'}, "
                            f"{min(table.hv_norm.digits, 10**6)} digits guaranteed)")


# ---------------------------------------------------------------------------------------------
# the conclusion at points; violations
# ---------------------------------------------------------------------------------------------
def hessian_bound_checks(f: Objective, rho: object, C0: object, C1: object, points: Sequence[Sequence[object]],
                         dps: int = DPS) -> list[tuple[Sequence[object], Check]]:
    condition = HessianGrowth(rho, C0, C1)
    return [(x, condition.check_point(f, x, dps)) for x in points]


def check_hessian_bound(report: ClaimReport, f: Objective, rho: object, C0: object, C1: object,
                        points: Sequence[Sequence[object]], label: str, dps: int = DPS) -> CheckOutcome:
    """The conclusion ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ at every given point (fails at the first violation)."""
    results = hessian_bound_checks(f, rho, C0, C1, points, dps)
    bad = [(x, c) for x, c in results if not c.holds]
    name = (f"{label}: ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ with ρ = {text(parse_rho(rho))}, C0 = {text(C0)}, "
            f"C1 = {text(C1)} at {len(points)} points")
    if bad:
        x, c = bad[0]
        return report.add_check(name, False, f"violated at x = {show_point(x)}: ‖∇²f‖₂ = {mp.nstr(c.lhs, 15)} > "
                                f"{mp.nstr(c.rhs, 15)} ({len(bad)} of {len(points)} points violate it)")
    positive = [(x, c) for x, c in results if c.rhs > 0]
    worst = max(positive, key=lambda r: r[1].lhs / r[1].rhs) if positive else None
    largest = (f"; largest ratio ‖∇²f‖₂/(C0 + C1‖∇f‖^ρ) = {mp.nstr(worst[1].lhs / worst[1].rhs, 15)} at "
               f"x = {show_point(worst[0])}" if worst else "")
    return report.add_check(name, True, f"holds at every point (mpmath, {dps} digits, spectral norm){largest}")


def find_violation(f: Objective, rho: object, C0: object, C1: object, direction: Sequence[object],
                   exponents=SEARCH_EXPONENTS, dps: int = DPS) -> tuple[list[object], Check] | None:
    """The first point x = 10^j · direction (j in ``exponents``) where the Hessian bound fails."""
    condition = HessianGrowth(rho, C0, C1)
    for j in exponents:
        x = [sp.Integer(10) ** j * sp.nsimplify(d) for d in direction]
        check = condition.check_point(f, x, dps)
        if not check.holds:
            return x, check
    return None


def pair_violation(f: Objective, rho: object, C0: object, C1: object, x: Sequence[object],
                   dps: int = DPS, relative_step: int = 12) -> tuple[list[object], Check]:
    """Prop 5 in reverse: at a point breaking the Hessian bound, the pair (x, x + h e) with
    h = ‖x‖·10^-relative_step along the top eigenvector breaks the ρ-order inequality."""
    with mp.workdps(dps + relative_step + 20):
        v = top_eigenvector(f, x, dps + relative_step + 20)
        scale = max(vector_norm([to_mpf(c) for c in x]), mp.mpf(1))
        h = scale * mp.mpf(10) ** (-relative_step)
        x2 = [to_mpf(a) + h * b for a, b in zip(x, v)]
    check = RhoOrder(rho, C0, C1).check(f, list(x), x2, dps=dps + relative_step)
    return x2, check


def check_control_refuted(report: ClaimReport, f: Objective, rho: object, constants: Sequence[tuple],
                          direction: Sequence[object], label: str) -> CheckOutcome:
    """Prop 5 as a refutation: for every claimed (C0, C1) a computed point breaks the Hessian bound
    (hence, by Prop 5, ∇f is not ρ-order with those constants) and a computed pair breaks ρ-order.

    Passes when every claimed pair of constants is refuted; fails when some claimed
    constants survive the search (the claim 'f is not ρ-order' is then not shown)."""
    lines, refuted_all = [], True
    for C0, C1 in constants:
        found = find_violation(f, rho, C0, C1, direction)
        if found is None:
            refuted_all = False
            lines.append(f"(C0, C1) = ({text(C0)}, {text(C1)}): no violation found at x = 10^j·{show_point(direction)}")
            continue
        x, check = found
        _, pair = pair_violation(f, rho, C0, C1, x)
        refuted_all = refuted_all and not pair.holds
        lines.append(f"(C0, C1) = ({text(C0)}, {text(C1)}): at x = {show_point(x)} ‖∇²f‖₂ = {mp.nstr(check.lhs, 12)} "
                     f"> C0 + C1‖∇f‖^ρ = {mp.nstr(check.rhs, 12)}; pair (x, x + ‖x‖·1e-12·v*): ‖Δ∇f‖ = "
                     f"{mp.nstr(pair.lhs, 12)} {'>' if not pair.holds else '≤'} {mp.nstr(pair.rhs, 12)} "
                     f"(ρ-order {'violated' if not pair.holds else 'holds'})")
    return report.add_check(f"{label}: every claimed (C0, C1) is refuted at a computed point and a computed pair",
                            refuted_all, " | ".join(lines))


# ---------------------------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------------------------
def verify(*, progress: bool | None = False, decades: int = 12, budget: float | None = BUDGET) -> ClaimReport:
    """Run every check of Proposition 5 and return the report."""
    start = time.perf_counter()
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
    rho, C1 = RHO_X4, C1_X4
    constants = (rho, 0, C1)
    x4, r4, loss = quartic(), radial_quartic(), r4_logistic()
    report.sections.append(("Examples", [
        f"x⁴ and (x² + y²)² with ρ = 2/3, C0 = 0, C1 = 12/4^(2/3) = 3·2^(2/3) ≈ {sp.N(C1, 12)}: their gradients are "
        "2/3-order with these constants (Prop 6; the Hessian bound holds with equality at every x), "
        "so Prop 5's conclusion is sharp for them",
        "the R⁴ logistic loss log(1 + exp(−x1x2x3x4)) (Prop 7): no constants exist; shown are the limit step and "
        "what Prop 5 then forces at x_k = (0, 0, k, k)",
        "control: x⁴ with ρ = 1/2 < 2/3, for which every claimed (C0, C1) must be refuted"]))

    # -- the constants of the examples, exactly -------------------------------------------------
    x = sp.Symbol("x", real=True)
    identity = sp.simplify(sp.diff(x**4, x, 2) - C1 * sp.Abs(sp.diff(x**4, x)) ** rho)
    report.add_check("x⁴: f″(x) = C1 |f′(x)|^(2/3) with C1 = 12/4^(2/3) = 3·2^(2/3), identically in x",
                     identity == 0 and sp.simplify(C1 - 3 * 2 ** sp.Rational(2, 3)) == 0,
                     f"f″ − C1|f′|^(2/3) simplifies to {sp.sstr(identity)}; C1 = {sp.sstr(C1)} ≈ {sp.N(C1, 15)}")

    # -- the limit step symbolically -------------------------------------------------------------
    check_limit_identity(report, x4, budget=budget)
    check_limit_identity(report, r4, budget=budget)
    check_limit_identity(report, loss, method="derivative", budget=budget)
    k = sp.Symbol("k", positive=True)
    outcome = run_with_budget(_squared_quotient_limit, loss.expr, loss.variables, (0, 0, k, k),
                              (1 / sp.sqrt(2), -1 / sp.sqrt(2), 0, 0), seconds=budget)
    hk = loss.hessian.xreplace(dict(zip(loss.variables, (0, 0, k, k))))
    spectral_k = sp.Max(*[sp.Abs(e) for e in hk.eigenvals()])
    if outcome.ok:
        report.add_check("R⁴ loss at x_k = (0, 0, k, k), v = (1, −1, 0, 0)/√2: lim_{h→0} q(h)² = ‖∇²f(x_k)‖₂² = k⁴/4 "
                         "(SymPy limit, symbolic k)",
                         sp.simplify(outcome.value - k**4 / 4) == 0 and sp.simplify(spectral_k - k**2 / 2) == 0,
                         f"limit = {sp.sstr(outcome.value)}; eigenvalues of ∇²f(x_k): "
                         f"{sp.sstr(list(hk.eigenvals()))}, so ‖∇²f(x_k)‖₂ = {sp.sstr(spectral_k)}")
    else:
        report.add_check("R⁴ loss at x_k: symbolic limit of q(h)²", None, f"{outcome.status}: {outcome.message}")

    # -- tables -------------------------------------------------------------------------------
    examples = [
        ("x⁴ at x = 1", x4, [1], [1], "1", constants),
        ("(x² + y²)² at (3, 4), radial v* = (3, 4)/5", r4, [3, 4], [3, 4], "(3, 4)/5 (top eigenvector)", constants),
        ("(x² + y²)² at (3, 4), tangential v = (−4, 3)/5", r4, [3, 4], [-4, 3], "(−4, 3)/5", constants),
    ]
    point_r4 = [sp.Rational(1, 2), -1, sp.Rational(3, 4), 2]
    examples.append(("R⁴ loss at x = (1/2, −1, 3/4, 2), top eigenvector v*", loss, point_r4,
                     top_eigenvector(loss, point_r4), "v* (mpmath eigsy, 60 digits)", None))
    examples.append((f"R⁴ loss at x_k = (0, 0, {R4_K}, {R4_K})", loss, [0, 0, R4_K, R4_K], [1, -1, 0, 0],
                     "(1, −1, 0, 0)/√2 (top eigenvector)", None))
    tables = {}
    for label, f, point, direction, direction_text, consts in examples:
        kwargs = dict(zip(("rho", "C0", "C1"), consts)) if consts else {}
        table = quotient_table(f, point, direction, decades=decades, direction_text=direction_text, **kwargs)
        tables[label] = table
        check_quotient_table(report, table, label)
        if "tangential" not in label:
            check_spectral(report, table, label)
        if consts:
            check_premise_pairs(report, table, label, consts)
        report.sections.append((f"Difference quotients: {label}", table.lines(consts)))

    # exact values of the limits for (x² + y²)² at (3, 4): eigenvalues 12‖x‖² = 300 (radial), 4‖x‖² = 100
    H34 = r4.hessian.xreplace(dict(zip(r4.variables, (3, 4))))
    eig = H34.eigenvals()
    report.add_check("(x² + y²)² at (3, 4): eigenvalues of ∇²f are 12‖x‖² = 300 (radial) and 4‖x‖² = 100 "
                     "(tangential), so ‖∇²f(3, 4)‖₂ = 300 exactly", set(eig) == {300, 100},
                     f"SymPy: ∇²f(3, 4) = {sp.sstr(H34.tolist())}, eigenvalues {sp.sstr(eig)}")
    for label, v, exact in (("radial v* = (3, 4)/5", (3, 4), 300), ("tangential v = (−4, 3)/5", (-4, 3), 100)):
        vv = sp.Matrix(v) / 5
        value = sp.sqrt(((H34 * vv).T * (H34 * vv))[0])
        check_exact_limit(report, tables[f"(x² + y²)² at (3, 4), {label}"], value,
                          f"(x² + y²)² at (3, 4), {label}: lim q(h) = ‖∇²f v‖ = {exact} (exact, SymPy) "
                          f"enclosed by the table's ball" + (" = ‖∇²f‖₂" if exact == 300 else ""))

    # -- the conclusion at points ------------------------------------------------------------
    points_x4 = [[p] for p in (0, sp.Rational(1, 1000), 1, sp.Rational(5, 2), -7, "-1e-20", "1e30", "-1e30")]
    check_hessian_bound(report, x4, *constants, points_x4, "x⁴ (the bound is attained: equality up to rounding)")
    points_r4 = [[3, 4], [0, 0], [1, -1], ["0.001", 2], ["-1e20", "3e20"], [sp.Rational(-5, 3), sp.Rational(1, 7)]]
    check_hessian_bound(report, r4, *constants, points_r4, "(x² + y²)²")

    # -- controls: Prop 5 as a refutation ----------------------------------------------------
    half = sp.Rational(1, 2)
    xs = x4.variables[0]
    ratio = sp.diff(x4.expr, xs, 2) / (1 + sp.Abs(sp.diff(x4.expr, xs)) ** half)
    lim = limit_at_infinity(ratio, xs, seconds=budget)
    report.add_check("control x⁴, ρ = 1/2: lim_{x→∞} f″/(1 + |f′|^(1/2)) = ∞, so no (C0, C1) satisfies the Hessian "
                     "bound and, by Prop 5, f′ is not ½-order", None if not lim.decided else lim.kind == "infinite",
                     f"SymPy: lim {sp.sstr(ratio)} = {lim.value_text()}")
    check_control_refuted(report, x4, half, CONTROL_CONSTANTS, [1], "control x⁴, ρ = 1/2")
    control_k = tables[f"R⁴ loss at x_k = (0, 0, {R4_K}, {R4_K})"]
    report.add_check(f"control R⁴ loss at x_k, k = {R4_K}: ∇f(x_k) = 0 and lim q(h) = ‖∇²f(x_k)‖₂ = k²/2 = "
                     f"{R4_K**2 // 2}, so Prop 5 forces C0 ≥ k²/2 for every k — no constants exist",
                     control_k.grad_norm.proven_zero and control_k.hv_ball.contains(to_arb(R4_K**2 // 2))
                     and control_k.hv_norm.digits >= 15,
                     f"‖∇f(x_k)‖ = {_conf(control_k.grad_norm)} (exact), ‖∇²f(x_k) v*‖ = {_conf(control_k.hv_norm)}")
    x2, pair = pair_violation(loss, half, 1, 1, [0, 0, R4_K, R4_K])
    report.add_check("control R⁴ loss: with claimed (ρ, C0, C1) = (1/2, 1, 1) the pair (x_k, x_k + 1e-12·v*) "
                     "breaks ρ-order (Prop 5's step in reverse)", not pair.holds,
                     f"‖Δ∇f‖ = {mp.nstr(pair.lhs, 12)} vs (C0 + C1 max‖∇f‖^ρ)‖Δx‖ = {mp.nstr(pair.rhs, 12)}: "
                     f"{'violated' if not pair.holds else 'holds'}")
    report.sections.append(("Norms", [
        "gradients: Euclidean; Hessians: spectral ‖·‖₂ (the norm of the definitions) in the conclusion; the "
        "quotient's limit along v is the Euclidean norm ‖∇²f(x) v‖, whose sup over unit v is ‖∇²f(x)‖₂"]))
    report.sections.append(("Not covered", [
        "a finite set of points and pairs proves no inequality 'for all x'; the general step (the limit) is the "
        "symbolic identity. The premise of the examples is Proposition 6 applied to the exact Hessian identities "
        "(proofs.prop6_sufficiency)."]))
    report.seconds = time.perf_counter() - start
    return report


def main(argv=None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
