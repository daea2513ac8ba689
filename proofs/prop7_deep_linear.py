"""Proposition 7: for the R⁴ deep linear network ∇f is locally Lipschitz, and not ρ-order Lipschitz for any ρ ≥ 0.

Problem
    f(x) = ℓ(z x4 x3 x2 x1; y) for one observation (z, y), z ≠ 0 — a deep linear network with three
    hidden layers of width one. The paper's case is the logistic loss, f(x) = log(1 + exp(−y z x4 x3 x2 x1)),
    y ∈ {−1, +1}. Claim: ∇f is locally Lipschitz, and for every ρ ≥ 0 it is neither ρ-order nor
    ρ-integrated Lipschitz.
Method
    Refutation recipe (Props 5 + 1) along x_k = (0, 0, k, k): ∇f(x_k) = 0 exactly, while
    ∂²f/∂x1∂x2(x_k) = ℓ′(0; y) z k² (= −y z k²/2 for the logistic loss) and
    ‖∇²f(x_k)‖_F² = 2 (ℓ′(0; y) z)² k⁴, so ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ for every ρ. Each network gets a curve
    certificate (exact restriction, symbolic limit, numeric table in ball arithmetic). Three
    computations are compared, and any disagreement fails the claim: the certificate's restriction (the
    package's derivatives), SymPy's own ``hessian`` of the full expression of f substituted on the curve,
    and the closed form with ℓ′(0; y) differentiated here (also against the loss library's value); the
    certificate's numeric table (the engine's Gram formulas in balls) is compared row by row with the
    closed form within its guaranteed digits. Instances: the main example (z = 1, y = 1,
    logistic), other (z, y), the squared and exponential losses, several observations (the premise is
    Σ ℓ′(0; y_i) z_i ≠ 0), and a negative control where the premise fails, which this curve must *not*
    refute.

    Locally-Lipschitz half (main example): for r = 1, 2, 4, 8 an explicit L(r) ≥ sup ‖∇²f‖₂ over the box
    [−r, r]⁴, hence a Lipschitz constant of ∇f on the box and on the ball of radius r (both convex; mean-value
    theorem). The structured form ∇²f = φ″(p) ∇p ∇pᵀ + φ′(p) ∇²p, p = x1x2x3x4, φ(s) = ℓ(z s; y), is checked
    to equal SymPy's ∇²f exactly; ball arithmetic then encloses p, ∇p, ∇²p on sub-boxes (branch and bound,
    bisecting the sub-box with the largest bound) and sup |φ′|, sup |φ″| on a partition of the p-axis, and
    ‖∇²f‖₂ ≤ ‖∇²f‖_F ≤ (Σ_ij (upper bound of |∂_ij f|)²)^½ on each sub-box. (∇²f evaluated once on the balls
    arb(0, r) gives no useful enclosure; the report shows it.) Lower bounds — ‖∇²f‖₂ at random and at chosen
    points, mpmath at 30 digits — must not exceed L(r).
Guarantee
    For each network checked, a proof along the curve (symbolic limit), corroborated by the table; the
    statement for every (z, y) follows from the closed form, checked exactly for the listed instances. L(r)
    is a rigorous upper bound (every rounding outward) for the four radii of the main example; it is not
    tight — the column L/best of the report bounds the overestimate. That ∇f is locally Lipschitz for every
    r and every (z, y) follows from f being real-analytic, not from this table.
References
    Patel & Varner, arXiv 2409.13672, Proposition 7; SPEC §2.
Example
    ``python -m proofs.prop7_deep_linear [--json]`` or ``dlnsmooth verify prop7``::

        >>> result = compute(decades=8, radii=(1,), box_budget=200)
        >>> result.main.hess_sq, result.main.gradient_vanishes
        (k**4/2, True)
"""

from __future__ import annotations

import heapq
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath as mp
import numpy as np
import sympy as sp
from flint import arb

from dlnsmooth.certificate import Certificate, certify_curve
from dlnsmooth.curves import Restriction
from dlnsmooth.errors import UnsupportedForBalls
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, prop7_curve, prop7_objective
from dlnsmooth.networks.losses import U, Y
from dlnsmooth.norms import ball_frobenius_norm
from dlnsmooth.objective import VectorField
from dlnsmooth.precision import working_precision
from dlnsmooth.report import ClaimReport

from ._runner import run_main
from .library import (
    TableAgreement,
    all_of,
    ball_upper_text,
    disagreement,
    expected_verdict,
    mpf_text,
    sympy_hess_sq,
    table_agreement,
)

__all__ = [
    "NAME", "TITLE", "INSTANCES", "SEVERAL", "CONTROL", "RADII", "BOX_BUDGET", "SAMPLES",
    "CurveCase", "Structure", "LossTable", "LocalBound", "LocalBoundChecks", "Prop7Result",
    "certify_case", "hessian_structure", "structure_identity", "local_lipschitz_bound", "naive_enclosure",
    "sampled_lower_bound", "compute_local_bounds", "check_local_bounds", "compute", "render", "verify", "main",
]

NAME = "prop7"
TITLE = "Proposition 7 — the R⁴ deep linear network"

#: (z, y, loss) instances beyond the main example
INSTANCES = [
    (2, -1, "logistic"),
    (sp.Rational(-3, 2), 1, "logistic"),
    (sp.Rational(1, 3), -1, "logistic"),
    (1, 1, "squared"),
    (-2, sp.Rational(1, 2), "squared"),
    (1, 1, "exponential"),
    (3, -1, "exponential"),
]
#: several observations with Σ ℓ′(0; y_i) z_i ≠ 0
SEVERAL = [(1, 1), (2, 1), (-1, -1)]
#: negative control: Σ ℓ′(0; y_i) z_i = 0 for the logistic loss
CONTROL = [(1, 1), (2, -1), (-1, -1)]

#: radii r of the boxes [−r, r]⁴ on which L(r) is computed
RADII = (1, 2, 4, 8)
#: sub-box evaluations of the branch and bound, per radius
BOX_BUDGET = 6000
#: random points per radius for the sampled lower bound
SAMPLES = 40
#: the p-axis partition: pieces of width 1/16 on [−FINE, FINE], width 1 beyond
FINE = 8
#: digits of the ball and mpmath evaluations of the locally-Lipschitz half
BOUND_DPS = 30


# -- the curve x_k = (0, 0, k, k) ------------------------------------------------------------------
@dataclass(frozen=True)
class CurveCase:
    """One network along x_k = (0, 0, k, k): its certificate, the package's exact restriction of ∇f, ∇²f
    (the certificate's), SymPy's own Hessian of the full expression substituted on the curve (an
    independent reference), and the certificate's numeric table compared with the closed form."""

    label: str
    objective: DeepLinearObjective
    certificate: Certificate
    gradient: tuple[sp.Expr, ...]      # ∇f(x_k), exactly (package restriction)
    mixed: sp.Expr                     # ∂²f/∂x1∂x2 (x_k), exactly (SymPy's hessian)
    hess_sq: sp.Expr                   # ‖∇²f(x_k)‖_F², exactly (package restriction, the certificate's)
    premise: sp.Expr                   # Σ ℓ′(0; y_i) z_i, ℓ′ differentiated here
    expected: str                      # the verdict the curve must give
    sympy_hess_sq: sp.Expr = sp.nan    # ‖∇²f(x_k)‖_F² from SymPy's hessian of the full expression of f
    table: TableAgreement | None = None
    library_premise: sp.Expr = sp.nan  # Σ ℓ′(0; y_i) z_i from the loss's derivative_at_zero

    @property
    def parameter(self) -> sp.Symbol:
        return self.certificate.curve.parameter

    @property
    def expected_mixed(self) -> sp.Expr:
        """∂²f/∂x1∂x2 (x_k) = Σ ℓ′(0; y_i) z_i · k² (only ∂²u/∂x1∂x2 = z x3 x4 survives)."""
        return self.premise * self.parameter**2

    @property
    def expected_hess_sq(self) -> sp.Expr:
        """‖∇²f(x_k)‖_F² = 2 (Σ_i ℓ′(0; y_i) z_i)² k⁴: only the (x1, x2) entries survive."""
        return 2 * self.premise**2 * self.parameter**4

    @property
    def gradient_vanishes(self) -> bool:
        return all(sp.simplify(g) == 0 for g in self.gradient)

    @property
    def premise_agrees(self) -> bool:
        """The premise differentiated here equals the loss library's ℓ′(0; y) sum."""
        return not disagreement(self.premise, self.library_premise)

    @property
    def closed_form_holds(self) -> bool:
        """The package's restriction and SymPy's own Hessian both equal the closed form (and each other)."""
        return (not disagreement(self.hess_sq, self.expected_hess_sq)
                and not disagreement(self.sympy_hess_sq, self.expected_hess_sq)
                and not disagreement(self.mixed, self.expected_mixed) and self.premise_agrees)

    @property
    def table_agrees(self) -> bool | None:
        return None if self.table is None else self.table.passed

    @property
    def verdict_as_expected(self) -> bool | None:
        return expected_verdict(self.certificate.verdict, self.expected)

    @property
    def consistent(self) -> bool | None:
        """Verdict as expected, ∇f ≡ 0, every closed-form comparison and the table agree."""
        return all_of([self.verdict_as_expected, self.closed_form_holds, self.gradient_vanishes, self.table_agrees])

    def comparison_text(self) -> str:
        """Where each figure comes from, and how they compare."""
        table = "no table" if self.table is None else self.table.detail()
        return (f"‖∇²f‖_F² = {sp.sstr(self.hess_sq)} (package restriction), {sp.sstr(self.sympy_hess_sq)} (SymPy's "
                f"hessian of the full expression of f), closed form 2(Σ ℓ′(0; y_i) z_i)² k⁴ = {sp.sstr(self.expected_hess_sq)}"
                f"; Σ ℓ′(0; y_i) z_i = {sp.sstr(self.premise)} (differentiated here), "
                f"{sp.sstr(self.library_premise)} (loss library); table: {table}")


def _premise(objective: DeepLinearObjective) -> sp.Expr:
    """Σ ℓ′(0; y_i) z_i with ℓ′(0; y) = ∂ℓ/∂u at u = 0, differentiated here from the loss expression."""
    data = objective.data
    first = sp.diff(objective.loss.expr, U)
    return sp.simplify(sum(first.subs({U: 0, Y: y}) * x[0] for x, y in zip(data.inputs, data.targets)))


def _library_premise(objective: DeepLinearObjective) -> sp.Expr:
    data = objective.data
    return sp.simplify(sum(objective.loss.derivative_at_zero(y) * x[0] for x, y in zip(data.inputs, data.targets)))


def _sympy_reference(objective: DeepLinearObjective, substitution: dict) -> tuple[sp.Expr, sp.Expr]:
    """(∂²f/∂x1∂x2, ‖∇²f‖_F²) on the curve from SymPy's ``hessian`` of the full expression."""
    x = list(objective.variables)
    mixed = sp.simplify(sp.diff(objective.expr, x[0], x[1]).xreplace(substitution))
    return mixed, sympy_hess_sq(objective, substitution)


def certify_case(label: str, objective: DeepLinearObjective, expected: str, *, decades: int = 30,
                 progress: bool | None = False) -> CurveCase:
    """The certificate along x_k = (0, 0, k, k) for every ρ, the exact restriction, SymPy's own Hessian on
    the curve, and the certificate's table against the closed form."""
    curve = prop7_curve(objective)
    certificate = certify_curve(objective, curve, every_rho=True, progress=progress, decades=decades,
                                claim="∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ ≥ 0")
    restriction = Restriction(objective, curve)
    premise = _premise(objective)
    mixed, reference = _sympy_reference(objective, curve.substitution)
    k = curve.parameter
    closed_form = 2 * premise**2 * k**4
    tables = certificate.find("numeric-table")
    table = (table_agreement(tables[0], sp.Integer(0), closed_form, k, "closed form ‖∇f‖ = 0, "
                             "‖∇²f‖_F² = 2(Σ ℓ′(0; y_i) z_i)² k⁴") if tables else None)
    return CurveCase(label, objective, certificate, tuple(restriction.gradient), mixed, restriction.hess_sq,
                     premise, expected, reference, table, _library_premise(objective))


# -- the locally-Lipschitz half: an explicit L(r) ----------------------------------------------------
@dataclass(frozen=True)
class Structure:
    """∇²f = φ″(p) ∇p ∇pᵀ + φ′(p) ∇²p with p = x1x2x3x4 and φ(s) = ℓ(z s; y) (one observation)."""

    variables: tuple[sp.Symbol, ...]
    s: sp.Symbol
    phi1: sp.Expr
    phi2: sp.Expr
    p: sp.Expr
    grad_p: list[sp.Expr]
    hess_p: list[list[sp.Expr]]
    identity_holds: bool


def hessian_structure(objective: DeepLinearObjective) -> Structure:
    """The structured form of ∇²f for Proposition 7's network, and whether it equals SymPy's ∇²f
    entry by entry (checked exactly)."""
    if objective.widths != (1, 1, 1, 1, 1) or objective.data.size != 1:
        raise ValueError("the structured Hessian is for the R⁴ network with one observation")
    x = list(objective.variables)
    z, y = objective.data.inputs[0][0], objective.data.targets[0]
    s = sp.Symbol("s", real=True)
    # the loss's own derivative expressions (their forms suit ball arithmetic), chain rule by z
    phi1 = z * objective.loss.first.subs({U: z * s, Y: y})
    phi2 = z**2 * objective.loss.second.subs({U: z * s, Y: y})
    p = sp.Mul(*x)
    grad_p = [sp.diff(p, v) for v in x]
    hess_p = [[sp.diff(p, a, b) for b in x] for a in x]
    holds = structure_identity(objective, s, phi1, phi2)
    return Structure(tuple(x), s, phi1, phi2, p, grad_p, hess_p, holds)


def structure_identity(objective: DeepLinearObjective, s: sp.Symbol, phi1: sp.Expr, phi2: sp.Expr) -> bool:
    """Whether φ″(p) ∂_ip ∂_jp + φ′(p) ∂_ijp − ∂_ij f simplifies to 0 for every entry (exact; ∂_ij f from
    SymPy's ``hessian`` of the full expression, independent of the package's derivatives)."""
    x = list(objective.variables)
    p = sp.Mul(*x)
    hessian = sp.hessian(objective.expr, x)  # SymPy's own, not the package's structured derivatives
    # in exponentials, the difference is a rational function of exp(·) and x: cancel decides it is 0
    return all(sp.cancel(sp.expand((phi2.subs(s, p) * sp.diff(p, x[i]) * sp.diff(p, x[j])
                                    + phi1.subs(s, p) * sp.diff(p, x[i], x[j]) - hessian[i, j]).rewrite(sp.exp))) == 0
               for i in range(4) for j in range(i, 4))


def _up(ball: arb) -> float:
    """A float ≥ every |value| in the ball (inf when the ball is not finite)."""
    if not ball.is_finite():
        return math.inf
    bound = abs(ball).upper()
    value = float(bound)
    if arb(value) < bound:
        value = math.nextafter(value, math.inf)
    return value


def _down(ball: arb) -> float:
    """A float ≤ every value in the ball."""
    low = ball.lower()
    value = float(low)
    if arb(value) > low:
        value = math.nextafter(value, -math.inf)
    return value


def _top(ball: arb) -> float:
    """A float ≥ every value in the ball."""
    high = ball.upper()
    value = float(high)
    if arb(value) < high:
        value = math.nextafter(value, math.inf)
    return value


class LossTable:
    """Upper bounds of |φ′| and |φ″| on the pieces [e_k, e_{k+1}] of a partition of [−S, S]:
    each piece enters (φ′, φ″) as one ball, so each bound holds on the whole piece."""

    def __init__(self, structure: Structure, S: float):
        limit = math.ceil(S) + 1
        fine = min(FINE, limit)
        edges = sorted({float(k) for k in range(-limit, limit + 1)}
                       | {k / 16 for k in range(-16 * fine, 16 * fine + 1)})
        self.edges = np.array(edges)
        derivatives = VectorField([structure.phi1, structure.phi2], [structure.s], name="(φ′, φ″)")
        first, second = [], []
        with working_precision(BOUND_DPS):
            for a, b in zip(edges[:-1], edges[1:]):
                d1, d2 = derivatives.ball([arb((a + b) / 2, (b - a) / 2)])  # dyadic: the piece exactly
                first.append(_up(d1))
                second.append(_up(d2))
        self.first = np.array(first)
        self.second = np.array(second)

    def bounds(self, P: arb) -> tuple[float, float]:
        """(sup |φ′|, sup |φ″|) over the values of the ball P, from the pieces meeting it."""
        if not P.is_finite():
            return math.inf, math.inf
        lo, hi = _down(P), _top(P)
        if lo < self.edges[0] or hi > self.edges[-1]:
            return math.inf, math.inf
        i = int(np.searchsorted(self.edges[1:], lo, side="left"))
        j = int(np.searchsorted(self.edges[:-1], hi, side="right"))
        return float(self.first[i:j].max()), float(self.second[i:j].max())


#: the Hessian entries (i ≤ j) in the order of the box field's components
_PAIRS = [(i, j) for i in range(4) for j in range(i, 4)]


def _box_bound(products: VectorField, table: LossTable, box: tuple) -> float:
    """Upper bound of ‖∇²f‖_F on the box (a tuple of (centre, radius) floats, dyadic):
    |∂_ij f| ≤ sup|φ″|·|∂_i p|·|∂_j p| + sup|φ′|·|∂_ij p| entry by entry, then the Frobenius norm."""
    values = products.ball([arb(c, w) for c, w in box])
    u1, u2 = table.bounds(values[0])
    if not (math.isfinite(u1) and math.isfinite(u2)):
        return math.inf
    g = [arb(_up(v)) for v in values[1:5]]
    a1, a2 = arb(u1), arb(u2)
    total = arb(0)
    for (i, j), m in zip(_PAIRS, values[5:]):
        entry = a2 * g[i] * g[j] + a1 * arb(_up(m))
        total += entry**2 if i == j else 2 * entry**2
    return _up(total.sqrt())


def local_lipschitz_bound(structure: Structure, table: LossTable, r: int,
                          box_budget: int = BOX_BUDGET) -> tuple[float, int, tuple[float, ...]]:
    """(L(r), number of sub-boxes, centre of the sub-box with the largest bound):
    L(r) ≥ ‖∇²f(x)‖_F ≥ ‖∇²f(x)‖₂ for every x in [−r, r]⁴.

    Branch and bound: the sub-box with the largest bound is bisected along its widest side until
    ``box_budget`` sub-boxes have been evaluated; L(r) is the largest bound among the leaves, which
    cover the box."""
    products = VectorField([structure.p, *structure.grad_p, *[structure.hess_p[i][j] for i, j in _PAIRS]],
                           structure.variables, name="(p, ∇p, ∇²p)")
    with working_precision(BOUND_DPS):
        box = tuple((0.0, float(r)) for _ in range(4))
        heap = [(-_box_bound(products, table, box), box)]
        evaluated = 1
        while evaluated < box_budget:
            negative, box = heapq.heappop(heap)
            if negative == -math.inf:  # an unbounded box: splitting cannot help the verdict
                heapq.heappush(heap, (negative, box))
                break
            k = max(range(4), key=lambda i: box[i][1])
            centre, radius = box[k]
            for c in (centre - radius / 2, centre + radius / 2):
                child = box[:k] + ((c, radius / 2),) + box[k + 1:]
                heapq.heappush(heap, (-_box_bound(products, table, child), child))
                evaluated += 1
        return -heap[0][0], len(heap), tuple(c for c, _ in heap[0][1])


def naive_enclosure(objective: DeepLinearObjective, r: int) -> float | None:
    """An upper bound of ‖∇²f‖_F from ∇²f evaluated once on the balls arb(0, r) (no subdivision, no
    structure): inf when not finite, None when the loss has no ball version."""
    with working_precision(BOUND_DPS):
        try:
            _, hessian = objective.ball_derivatives([arb(0, r)] * objective.n)
        except UnsupportedForBalls:
            return None
        if not all(h.is_finite() for row in hessian for h in row):
            return math.inf
        return _up(ball_frobenius_norm(hessian))


def sampled_lower_bound(objective: DeepLinearObjective, r: int, count: int = SAMPLES, seed: int = 7) -> mp.mpf:
    """max ‖∇²f(x)‖₂ over ``count`` random points of [−r, r]⁴ (multiples of r/1024, exact), mpmath at 30 digits."""
    rng = np.random.default_rng(seed + r)
    best = mp.mpf(0)
    for row in rng.integers(-1024, 1025, size=(count, objective.n)):
        point = [sp.Rational(int(k) * r, 1024) for k in row]
        best = max(best, objective.hess_norm(point, dps=BOUND_DPS, norm="spectral"))
    return best


@dataclass(frozen=True)
class LocalBound:
    """One row of the L(r) table; ``bound`` is L(r) (a float rounded up), ``sampled`` and ``probe``
    lower bounds of sup ‖∇²f‖₂ on the box, ``naive`` the enclosure without subdivision."""

    r: int
    bound: float
    boxes: int
    sampled: mp.mpf
    probe: mp.mpf
    probe_point: tuple
    naive: float | None

    @property
    def best_lower(self) -> mp.mpf:
        return max(self.sampled, self.probe)


def compute_local_bounds(objective: DeepLinearObjective, radii: Sequence[int] = RADII, box_budget: int = BOX_BUDGET,
                         samples: int = SAMPLES) -> tuple[Structure, list[LocalBound]]:
    """The structure check and the L(r) table for ``objective`` (Prop 7's network, one observation)."""
    structure = hessian_structure(objective)
    z = objective.data.inputs[0][0]
    table = LossTable(structure, float(abs(z)) * max(radii) ** 4 + 1)
    rows = []
    for r in radii:
        bound, boxes, centre = local_lipschitz_bound(structure, table, r, box_budget)
        # lower bounds at chosen points: p = 0 with ‖∇p‖ = r³, a corner, the centre of the worst sub-box
        probes = [(0, r, r, r), (r, -r, -r, -r), tuple(sp.Rational(c) for c in centre)]
        probe, point = max((objective.hess_norm(list(q), dps=BOUND_DPS, norm="spectral"), q) for q in probes)
        rows.append(LocalBound(r, bound, boxes, sampled_lower_bound(objective, r, samples), probe, point,
                               naive_enclosure(objective, r)))
    return structure, rows


@dataclass(frozen=True)
class LocalBoundChecks:
    """What the L(r) table must satisfy: finite, above every lower bound, non-decreasing in r."""

    finite: bool
    above_lower_bounds: bool
    monotone: bool
    below: tuple[int, ...]       # radii whose L(r) is under a lower bound


def check_local_bounds(rows: Sequence[LocalBound]) -> LocalBoundChecks:
    """The checks of the L(r) table (an empty table passes none of them)."""
    below = tuple(row.r for row in rows if not (row.sampled <= row.bound and row.probe <= row.bound))
    ordered = sorted(rows, key=lambda row: row.r)
    return LocalBoundChecks(finite=bool(rows) and all(math.isfinite(row.bound) for row in rows),
                            above_lower_bounds=bool(rows) and not below,
                            monotone=bool(rows) and all(a.bound <= b.bound for a, b in zip(ordered, ordered[1:])),
                            below=below)


# -- compute ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Prop7Result:
    """Everything Proposition 7's check computes."""

    main: CurveCase
    instances: tuple[CurveCase, ...]
    several: CurveCase
    control: CurveCase
    structure: Structure
    local_bounds: tuple[LocalBound, ...]
    local_checks: LocalBoundChecks
    seconds: float

    @property
    def cases(self) -> tuple[CurveCase, ...]:
        """Every curve case, in the order of the report's certificates."""
        return (self.main, *self.instances, self.several, self.control)


def compute(*, progress: bool | None = False, decades: int = 30, radii: Sequence[int] = RADII,
            box_budget: int = BOX_BUDGET, samples: int = SAMPLES) -> Prop7Result:
    """Certify the curve for every instance and compute the L(r) table."""
    start = time.perf_counter()
    options = {"decades": decades, "progress": progress}
    f = prop7_objective(1, 1, "logistic")
    main = certify_case("z = 1, y = 1, logistic", f, "refuted", **options)
    instances = tuple(certify_case(f"z = {z}, y = {y}, {loss}", prop7_objective(z, y, loss), "refuted", **options)
                      for z, y, loss in INSTANCES)

    def network(pairs):
        return DeepLinearObjective((1, 1, 1, 1, 1), Dataset.from_pairs(pairs), "logistic", names="x")

    several = certify_case("several observations", network(SEVERAL), "refuted", **options)
    control = certify_case("negative control (Σ ℓ′(0; y_i) z_i = 0)", network(CONTROL), "not refuted", **options)
    structure, rows = compute_local_bounds(f, radii, box_budget, samples)
    return Prop7Result(main, instances, several, control, structure, tuple(rows), check_local_bounds(rows),
                       time.perf_counter() - start)


# -- render ----------------------------------------------------------------------------------------
def _claim() -> ClaimReport:
    return ClaimReport(
        name=NAME,
        title=TITLE,
        claim="for the R⁴ deep linear network loss, ∇f is locally Lipschitz, and for every ρ ≥ 0 it is neither "
              "ρ-order nor ρ-integrated Lipschitz",
        statement="f(x) = log(1 + exp(−y z x4 x3 x2 x1)); along x_k = (0, 0, k, k): ∇f(x_k) = 0, "
                  "‖∇²f(x_k)‖_F = |z| k²/√2 → ∞, hence ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ ∀ρ ≥ 0; on [−r, r]⁴, "
                  "‖∇f(a) − ∇f(b)‖ ≤ L(r)‖a − b‖ with L(r) ≥ sup ‖∇²f‖₂ explicit for r = 1, 2, 4, 8",
        method="refutation recipe (Props 5 + 1) with a curve certificate: exact restriction, "
               "symbolic limit (SymPy Gruntz), numeric table (ball arithmetic, guaranteed digits); "
               "L(r) by ball arithmetic on sub-boxes of [−r, r]⁴ (branch and bound) with the exact structured Hessian",
        evidence_kind="certificate (symbolic limit + numeric table) for each instance; L(r): rigorous upper bound "
                      "by ball arithmetic (a certificate of the bound for the four radii), with sampled lower bounds",
    )


def _render_main(report: ClaimReport, main: CurveCase) -> None:
    k = main.parameter
    report.add_check("∇f = 0 exactly along (0, 0, k, k) (package restriction)", main.gradient_vanishes,
                     f"restricted gradient = {[sp.sstr(g) for g in main.gradient]}")
    report.add_check("∂²f/∂x1∂x2 = −y z k²/2 at x_k (SymPy's hessian of the full expression of f)",
                     not disagreement(main.mixed, main.expected_mixed),
                     f"computed {sp.sstr(main.mixed)}, statement −y z k²/2 = {sp.sstr(main.expected_mixed)}")
    z = main.objective.data.inputs[0][0]
    statement = z**2 * k**4 / 2
    report.add_check("‖∇²f(x_k)‖_F = |z| k²/√2: package restriction, SymPy's hessian and the statement agree",
                     not (disagreement(main.hess_sq, statement) or disagreement(main.sympy_hess_sq, statement)),
                     f"‖∇²f‖_F² = {sp.sstr(main.hess_sq)} (package restriction), {sp.sstr(main.sympy_hess_sq)} "
                     f"(SymPy's hessian), statement z² k⁴/2 = {sp.sstr(statement)}")
    report.add_check("numeric table of the certificate (z = 1, y = 1) agrees with the closed form",
                     main.table_agrees, "no table" if main.table is None else main.table.detail())
    report.add_check("certificate: ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ for every ρ (z = 1, y = 1)", main.verdict_as_expected,
                     f"verdict {main.certificate.verdict}: {main.certificate.reason}")
    report.sections.append(("The R⁴ example, z = 1, y = 1, logistic loss", main.certificate.report().splitlines()))


def _render_instances(report: ClaimReport, instances: Sequence[CurveCase]) -> None:
    rows = [f"{'z':>6} {'y':>5} {'loss':<12} {'‖∇²f(x_k)‖_F (package)':<24} {'(SymPy hessian)':<20} "
            f"{'closed form':<20} {'table rows':<11} verdict"]
    for case in instances:
        (z,), y = case.objective.data.inputs[0], case.objective.data.targets[0]
        report.add_check(f"{case.label}: closed form (package restriction, SymPy's hessian), table and certificate",
                         case.consistent, f"{case.comparison_text()}; verdict {case.certificate.verdict}")
        agree = "—" if case.table is None else f"{case.table.compared} {'ok' if case.table.passed else 'DIFFER'}"
        rows.append(f"{sp.sstr(z):>6} {sp.sstr(y):>5} {case.objective.loss.name:<12} "
                    f"{sp.sstr(sp.sqrt(case.hess_sq)):<24} {sp.sstr(sp.sqrt(case.sympy_hess_sq)):<20} "
                    f"{sp.sstr(sp.sqrt(case.expected_hess_sq)):<20} {agree:<11} {case.certificate.verdict}")
    rows.append("package: the certificate's exact restriction; SymPy hessian: sympy.hessian of the full expression of f, "
                "substituted on the curve; closed form: √2 |Σ ℓ′(0; y_i) z_i| k² with ℓ′ differentiated here; "
                "table rows: the certificate's confirmed ball-arithmetic rows compared with the closed form")
    report.sections.append(("Other (z, y) and losses: ‖∇²f‖_F along (0, 0, k, k) = √2 |ℓ′(0; y) z| k²", rows))


def _render_observations(report: ClaimReport, cases: Sequence[CurveCase]) -> None:
    lines = []
    for case in cases:
        report.add_check(f"{case.label}: verdict must be '{case.expected}'; closed form and table agree",
                         all_of([case.verdict_as_expected, case.closed_form_holds, case.table_agrees]),
                         f"{case.comparison_text()}; verdict {case.certificate.verdict}")
        lines.append(f"{case.label}: data {case.objective.data.describe()}; Σ ℓ′(0; y_i) z_i = "
                     f"{sp.sstr(case.premise)}; ‖∇²f(x_k)‖_F² = {sp.sstr(case.hess_sq)} (package), "
                     f"{sp.sstr(case.sympy_hess_sq)} (SymPy's hessian) → verdict {case.certificate.verdict}")
    report.sections.append(("Several observations", lines))


def _bound_text(value: float | None) -> str:
    if value is None:
        return "unavailable (no ball version)"
    return "not finite" if not math.isfinite(value) else ball_upper_text(arb(value))


def _render_local(report: ClaimReport, structure: Structure, rows: Sequence[LocalBound],
                  checks: LocalBoundChecks) -> None:
    report.add_check("structured form φ″(p)∇p∇pᵀ + φ′(p)∇²p equals SymPy's hessian of f exactly", structure.identity_holds,
                     f"φ′(s) = {sp.sstr(structure.phi1)}, φ″(s) = {sp.sstr(structure.phi2)}, p = x1*x2*x3*x4")
    radii = ", ".join(str(row.r) for row in rows)
    report.add_check(f"L(r) finite for r = {radii}", checks.finite,
                     ", ".join(f"L({row.r}) = {_bound_text(row.bound)}" for row in rows))
    report.add_check("sampled lower bounds ≤ L(r) (random points; chosen points)", checks.above_lower_bounds,
                     "; ".join(f"r = {row.r}: {mpf_text(row.best_lower, 8)} ≤ {_bound_text(row.bound)}"
                               + ("  VIOLATED" if row.r in checks.below else "") for row in rows))
    report.add_check("L(r) non-decreasing in r", checks.monotone,
                     " ≤ ".join(_bound_text(row.bound) for row in sorted(rows, key=lambda row: row.r)))
    report.sections.append(("The locally-Lipschitz half: explicit L(r) on [−r, r]⁴ (ball arithmetic)",
                            _local_lines(structure, rows)))


def _local_lines(structure: Structure, rows: Sequence[LocalBound]) -> list[str]:
    lines = [
        "locally-Lipschitz half of Proposition 7 (z = 1, y = 1, logistic): L(r) ≥ sup_{[−r, r]⁴} ‖∇²f‖₂, so "
        "‖∇f(a) − ∇f(b)‖ ≤ L(r)‖a − b‖ on the box and on the ball of radius r (convex; mean-value theorem)",
        f"structured form ∇²f = φ″(p)∇p∇pᵀ + φ′(p)∇²p, p = x1x2x3x4, φ′(s) = {sp.sstr(structure.phi1)}, "
        f"φ″(s) = {sp.sstr(structure.phi2)}: equal to SymPy's ∇²f entry by entry: {structure.identity_holds}",
        "bound: sub-boxes (branch and bound, largest bound bisected first) × balls for p, ∇p, ∇²p; sup |φ′|, "
        "sup |φ″| from a partition of the p-axis (width 1/16 on [−8, 8], 1 beyond), each piece one ball; "
        "‖∇²f‖₂ ≤ ‖∇²f‖_F ≤ (Σ_ij (|φ″|·|∂_ip||∂_jp| + |φ′|·|∂_ijp|)²)^½; L(r) = max over the leaves, rounded up",
        f"{'r':>3}  {'L(r) (rigorous, spectral ≤ Frobenius bound)':<44} {'sub-boxes':>9}  "
        f"{'sampled max ‖∇²f‖₂':<20} {'best ‖∇²f(x*)‖₂':<18} {'at x*':<34} {'L/best':>7}  naive ∇²f on arb(0, r)⁴",
    ]
    for row in rows:
        ratio = row.bound / float(row.probe) if row.probe > 0 else math.inf
        point = "(" + ", ".join(sp.sstr(sp.Rational(c)) for c in row.probe_point) + ")"
        lines.append(f"{row.r:>3}  {_bound_text(row.bound):<44} {row.boxes:>9}  {mpf_text(row.sampled, 10):<20} "
                     f"{mpf_text(row.probe, 10):<18} {point:<34} {ratio:>7.4f}  {_bound_text(row.naive)}")
    lines.append(f"sampled: max over {SAMPLES} random points of the box per r; x*: the best of (0, r, r, r) (p = 0, "
                 "‖∇p‖ = r³), (r, −r, −r, −r) and the centre of the sub-box with the largest bound. Lower bounds in "
                 f"the spectral norm (mpmath, {BOUND_DPS} digits; estimates); L(r) bounds the Frobenius norm, hence "
                 "the spectral one; L/best ≥ 1 measures how tight L(r) is.")
    return lines


def render(result: Prop7Result) -> ClaimReport:
    """The claim report of a computed :class:`Prop7Result`."""
    report = _claim()
    _render_main(report, result.main)
    _render_instances(report, result.instances)
    _render_observations(report, (result.several, result.control))
    _render_local(report, result.structure, result.local_bounds, result.local_checks)
    report.certificates.extend(case.certificate for case in result.cases)
    report.sections.append(("Not covered here", [
        "the locally-Lipschitz half is computed for the main example (z = 1, y = 1, logistic) and r = 1, 2, 4, 8 "
        "only; for every r and every (z, y) it follows from f being real-analytic (∇²f continuous, hence bounded "
        "on compact sets), which this script does not compute",
        "the exact supremum of ‖∇²f‖₂ on the box: L(r) bounds it from above (through the Frobenius norm) and the "
        "chosen points from below; the column L/best bounds the overestimate",
        "the level-set remark of SPEC §2 (∇f is not level-set Lipschitz either) is not checked here"]))
    report.seconds = result.seconds
    return report


def verify(*, progress: bool | None = False, decades: int = 30, radii: Sequence[int] = RADII,
           box_budget: int = BOX_BUDGET) -> ClaimReport:
    """Run every check of Proposition 7 and return the report (compute, then render)."""
    return render(compute(progress=progress, decades=decades, radii=radii, box_budget=box_budget))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())
