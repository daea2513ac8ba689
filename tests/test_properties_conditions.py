"""Property-based tests: the ρ-order / ρ-integrated equivalence and the ordering of the conditions.

The mathematics of SPEC §1–§2 turned into properties that draw their own instances
(``tests/strategies.py``, section "Objectives, vector fields, pairs, ρ and constants"):

1. per pair ``req_int ≥ req_order`` (the integral is at most the max), and ρ-integrated
   with (C0, C1) ⇒ ρ-order with (C0, C1) — at drawn constants and at the pair's boundary
   constant ``C1 = req_int``;
2. Proposition 1's partition argument: the triangle step ``‖ΔD‖ ≤ Σ_k ‖D(x_θk) − D(x_θk−1)‖``;
   the upper Darboux sums ``Σ_k (C0 + C1 max_[θk−1,θk] ‖D‖^ρ)(θk − θk−1)`` decrease along nested
   partitions m = 1, 2, 4, 8 and converge to ``∫₀¹ (C0 + C1‖D(x_θ)‖^ρ) dθ``; the whole pair's
   requirement never exceeds the largest requirement of the pieces times ``S_m/I``, a factor
   that tends to 1 with the mesh;
3. the ordering (Props 2–3): ``a^ρ1 ≤ 1 + a^ρ2`` for ρ1 ≤ ρ2, proved per instance in ball
   arithmetic; ρ1-order with (C0, C1) ⇒ ρ2-order with (C0 + C1, C1); globally Lipschitz with C
   ⇒ ρ-order with (C, 0); for ρ = 0, ρ-order with (C0, C1) ⇔ globally Lipschitz with C0 + C1;
   and the scaling law ``req(λD; λC0) = λ^(1−ρ) req(D; C0)`` (λ > 0) which ties the
   requirements to the norm's homogeneity.

Each property is a plain function ``prop_*(impl, ...)`` taking the implementation under test
(:class:`Implementation`, a thin adapter over the library) as its first argument, so that the
last section of this file runs the same properties on deliberately broken implementations and
asserts that they are caught.

Precision and tolerances: everything is evaluated at ``DPS = 30`` digits. The library's values
(D at a point, quadrature, golden-section maxima) carry relative errors of order 10^-DPS times
the magnitudes involved; a difference ``D(x1) − D(x2)`` inherits the absolute error
``10^-DPS·max‖D‖``, which the quotient divides by ‖Δx‖ (≥ 10^-6 here). Each comparison therefore
allows ``REL = 10^(6 − DPS)`` relative to the magnitudes it involves, plus that inherited absolute
error — a margin of 10^6 over the rounding, and still 10^-24: any mathematical violation of the
properties on the drawn instances is orders of magnitude larger.
"""

from __future__ import annotations

import contextlib
import functools
import math
from unittest import mock

import mpmath as mp
import pytest
import sympy as sp
from flint import arb, fmpq
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from strategies import PairInstance, cond_rho_pairs, nonnegative_reals, ordering_instances, pair_instances

import dlnsmooth.conditions as conditions_module
import dlnsmooth.segment as segment_module
from dlnsmooth.conditions import GloballyLipschitz, RhoIntegrated, RhoOrder
from dlnsmooth.norms import vector_norm
from dlnsmooth.numbers import power, to_mpf, to_rational
from dlnsmooth.objective import Objective, VectorField
from dlnsmooth.precision import working_precision
from dlnsmooth.segment import Segment

DPS = 30
#: relative allowance for comparisons of computed quantities (see the module docstring)
REL = mp.mpf(10) ** (6 - DPS)
#: nested partitions of [0, 1] for the Darboux sums (m and 2m)
MESHES = (1, 2, 4, 8)










# ---------------------------------------------------------------------------------------
# the implementation under test (the real one; broken ones subclass it)
# ---------------------------------------------------------------------------------------
class Implementation:
    """The library's conditions, seen through the operations the properties need."""

    name = "dlnsmooth"
    order_class = RhoOrder
    integrated_class = RhoIntegrated

    def library(self):
        """Context in which calls into the library run (broken implementations patch it)."""
        return contextlib.nullcontext()

    def norm(self, vector) -> mp.mpf:
        return vector_norm(vector)

    # requirements and checks at a pair
    def quotient(self, D, x1, x2) -> mp.mpf:
        with self.library():
            return GloballyLipschitz().quotient(D, x1, x2, DPS)

    def req_order(self, D, x1, x2, rho, C0) -> mp.mpf:
        with self.library():
            return self.order_class(rho, C0).required(D, x1, x2, DPS)

    def req_int(self, D, x1, x2, rho, C0) -> mp.mpf:
        with self.library():
            return self.integrated_class(rho, C0).required(D, x1, x2, DPS)

    def holds_order(self, D, x1, x2, rho, C0, C1) -> bool:
        with self.library():
            return self.order_class(rho, C0, C1).check(D, x1, x2, DPS).holds

    def holds_integrated(self, D, x1, x2, rho, C0, C1) -> bool:
        with self.library():
            return self.integrated_class(rho, C0, C1).check(D, x1, x2, DPS).holds

    def holds_global(self, D, x1, x2, C) -> bool:
        with self.library():
            return GloballyLipschitz(C).check(D, x1, x2, DPS).holds

    # the ‖D‖^ρ term over a segment
    def sup_aggregate(self, D, a, b, rho) -> mp.mpf:
        """max_{[a, b]} ‖D‖^ρ."""
        with self.library(), mp.workdps(DPS):
            return self.order_class(rho).aggregate(D, Segment(a, b), DPS)

    def int_aggregate(self, D, a, b, rho) -> mp.mpf:
        """∫₀¹ ‖D(a + θ(b − a))‖^ρ dθ."""
        with self.library(), mp.workdps(DPS):
            return self.integrated_class(rho).aggregate(D, Segment(a, b), DPS)

    def darboux_term(self, D, a, b, rho) -> mp.mpf:
        """The term of the upper Darboux sum on the piece [a, b]: max_{[a, b]} ‖D‖^ρ, found as RhoOrder does
        (Segment.maximum of ‖D‖², then √ and ^ρ) but with a grid of 4 per piece: the m pieces together
        see 4m + 1 grid points, each local maximum refined by golden section. (Segment.maximum refines
        every grid point of a plateau, so the default grid of 64 per piece would make the sums of a
        constant ‖D‖ cost thousands of evaluations per piece.)"""
        with self.library(), mp.workdps(DPS):
            segment = Segment(a, b)
            best = segment.maximum(lambda th: self.norm(D(segment.point(th), mp.mp.dps)) ** 2, DPS, grid=4)
            return power(mp.sqrt(best.value), rho)

    # the ordering
    def ordering_constants(self, C0, C1):
        """Prop 3(a): ρ1-order with (C0, C1) ⇒ ρ2-order with these constants."""
        return C0 + C1, C1

    def ordering_bound(self, a, rho1, rho2) -> arb:
        """An upper bound of a^ρ1 valid for every a ≥ 0 and ρ1 ≤ ρ2: 1 + a^ρ2 (a ball)."""
        return 1 + ball_power(a, rho2)


REAL = Implementation()


def ball_power(a: sp.Rational, rho: sp.Rational) -> arb:
    """a^ρ as a ball at the current flint precision, exact at a = 0 and ρ = 0 (a^0 = 1)."""
    if rho == 0:
        return arb(1)
    if a == 0:
        return arb(0)
    return arb(fmpq(int(a.p), int(a.q))) ** arb(fmpq(int(rho.p), int(rho.q)))


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _boundary(value: mp.mpf) -> sp.Rational:
    """The computed requirement as an exact constant (the pair then sits on the boundary)."""
    return to_rational(value)


def _pieces(x1, x2, m: int):
    """Exact end points of the m pieces x_θ, θ ∈ [(k−1)/m, k/m]."""
    points = [[a + sp.Rational(k, m) * (b - a) for a, b in zip(x1, x2)] for k in range(m + 1)]
    return list(zip(points, points[1:])), points


def _difference_error(impl, D, points) -> mp.mpf:
    """Absolute error a difference of D values at these points inherits (10^(6−DPS)·max‖D‖)."""
    with mp.workdps(DPS):
        return REL * max(impl.norm(D(p, DPS)) for p in points)


def _length(x1, x2) -> mp.mpf:
    with mp.workdps(DPS):
        return vector_norm([to_mpf(b) - to_mpf(a) for a, b in zip(x1, x2)])


# ---------------------------------------------------------------------------------------
# 1. per pair: req_int ≥ req_order; ρ-integrated ⇒ ρ-order with the same constants
# ---------------------------------------------------------------------------------------
def _at_dps(prop):
    """Run a property at DPS digits (the comparisons must not round the library's values to 15 digits)."""

    @functools.wraps(prop)
    def wrapper(*args, **kwargs):
        with mp.workdps(DPS):
            return prop(*args, **kwargs)

    return wrapper


@_at_dps
def prop_integrated_requirement_dominates(impl, inst: PairInstance) -> None:
    D, x1, x2, rho, C0 = inst.D, inst.x1, inst.x2, inst.rho, inst.C0
    r_order = impl.req_order(D, x1, x2, rho, C0)
    r_int = impl.req_int(D, x1, x2, rho, C0)
    assert r_order >= 0 and r_int >= 0
    if r_order == mp.inf:
        assert r_int == mp.inf, f"req_order = ∞ but req_int = {r_int}"
        return
    # the same quotient enters both; only the aggregates differ (∫ ≤ max up to REL)
    assert r_int >= r_order * (1 - REL), f"req_int = {r_int} < req_order = {r_order}"
    constants = [inst.C1]
    if r_int != mp.inf:
        boundary = _boundary(r_int)
        assert impl.holds_integrated(D, x1, x2, rho, C0, boundary), "the pair fails its own required C1"
        constants.append(boundary)
    for C1 in constants:
        if impl.holds_integrated(D, x1, x2, rho, C0, C1):
            assert impl.holds_order(D, x1, x2, rho, C0, C1), f"ρ-integrated holds with C1 = {C1}, ρ-order fails"


@given(inst=pair_instances())
def test_integrated_requirement_dominates_order_requirement(inst):
    prop_integrated_requirement_dominates(REAL, inst)


# ---------------------------------------------------------------------------------------
# 2. Proposition 1's partition argument
# ---------------------------------------------------------------------------------------
@_at_dps
def prop_darboux_sums(impl, inst: PairInstance) -> None:
    """S_m = Σ_k (C0 + C1 max_k ‖D‖^ρ)/m decreases along m = 1, 2, 4, 8, stays ≥ I = ∫₀¹ (C0 + C1‖D‖^ρ),
    and S_8 − I ≤ C1·V/8 (V: the variation of θ ↦ ‖D(x_θ)‖^ρ; sums of oscillations never exceed it)."""
    D, x1, x2, rho, C0, C1 = inst.D, inst.x1, inst.x2, inst.rho, inst.C0, inst.C1
    c0, c1 = to_mpf(C0), to_mpf(C1)
    sums = []
    for m in MESHES:
        pieces, _ = _pieces(x1, x2, m)
        with mp.workdps(DPS):
            sums.append(c0 + c1 * mp.fsum(impl.darboux_term(D, a, b, rho) for a, b in pieces) / m)
    with mp.workdps(DPS):
        integral = c0 + c1 * impl.int_aggregate(D, x1, x2, rho)
        tolerance = REL * max(abs(s) for s in sums + [integral])
        for m, coarse, fine in zip(MESHES, sums, sums[1:]):
            assert fine <= coarse + tolerance, f"S_{2 * m} = {fine} > S_{m} = {coarse}: refining raised the upper sum"
        for m, s in zip(MESHES, sums):
            assert integral <= s + tolerance, f"∫ = {integral} > S_{m} = {s}: an upper sum below the integral"
        # convergence with a rate: S_m − I ≤ S_m − (lower sum) = C1 Σ_k osc_k / m ≤ C1 V / m. V is measured
        # on a grid 32 times finer than the finest mesh, which can miss at most the tip of a turn of the
        # function between grid points: the factor 2 and the grid-step term cover that.
        grid = 32 * MESHES[-1]
        segment = Segment(x1, x2)
        values = [power(impl.norm(D(segment.point(mp.mpf(j) / grid), DPS)), rho) for j in range(grid + 1)]
        variation = mp.fsum(abs(b - a) for a, b in zip(values, values[1:]))
        gap_bound = c1 * (2 * variation / MESHES[-1] + max(values) / grid) + tolerance
        assert sums[-1] - integral <= gap_bound, (
            f"S_{MESHES[-1]} − ∫ = {sums[-1] - integral} exceeds C1·2V/m = {gap_bound}: the sums do not converge")


@given(inst=pair_instances())
@settings(max_examples=15)
def test_upper_darboux_sums_decrease_to_the_integral(inst):
    prop_darboux_sums(REAL, inst)


@_at_dps
def prop_partition_requirement(impl, inst: PairInstance) -> None:
    """The triangle step, and: req_int(whole) ≤ max_k req_order(piece k) · S'_m / I' (S'_m the upper
    Darboux sum of ‖D‖^ρ, I' its integral), a factor that is ≥ 1 and decreases to 1 with the mesh."""
    D, x1, x2, rho, C0 = inst.D, inst.x1, inst.x2, inst.rho, inst.C0
    whole = impl.req_int(D, x1, x2, rho, C0)
    q = impl.quotient(D, x1, x2)
    integral = impl.int_aggregate(D, x1, x2, rho)
    factors = []
    for m in MESHES[1:]:
        pieces, points = _pieces(x1, x2, m)
        error = _difference_error(impl, D, points)
        with mp.workdps(DPS):
            # the triangle step of the proof: ‖D(x2) − D(x1)‖ ≤ Σ_k ‖D(x_θk) − D(x_θk−1)‖
            values = [D(p, DPS) for p in points]
            total = impl.norm([a - b for a, b in zip(values[-1], values[0])])
            steps = mp.fsum(impl.norm([a - b for a, b in zip(v2, v1)]) for v1, v2 in zip(values, values[1:]))
            assert total <= steps + (m + 1) * error, f"triangle inequality fails: ‖ΔD‖ = {total} > Σ = {steps} (m = {m})"
        requirements = [impl.req_order(D, a, b, rho, C0) for a, b in pieces]
        upper = mp.fsum(impl.sup_aggregate(D, a, b, rho) for a, b in pieces) / m
        with mp.workdps(DPS):
            if integral > 0:
                factors.append(upper / integral)
            largest = max(requirements)
            if whole == 0 or largest == mp.inf:
                continue
            # ‖ΔD‖/‖Δx‖ ≤ Σ_k q_k/m ≤ C0 + max_k req_k · S'_m: compare in the units of the quotient,
            # allowing the error each piece's quotient inherits (error·m/‖Δx‖ each, m pieces)
            slack = REL * (q + to_mpf(C0) + largest * upper) + 2 * m * error / _length(x1, x2)
            assert whole * integral <= largest * upper + slack, (
                f"m = {m}: req_int(whole) = {whole} > max_k req_k·S'/I' = {largest * upper / integral}")
    with mp.workdps(DPS):
        for coarse, fine in zip(factors, factors[1:]):
            assert fine <= coarse * (1 + REL), f"the factor S'_m/I' grew under refinement: {factors}"
        assert all(f >= 1 - REL for f in factors), f"an upper sum below the integral: S'_m/I' = {factors}"


@given(inst=pair_instances())
@settings(max_examples=15)
def test_whole_pair_requirement_is_bounded_by_the_pieces(inst):
    prop_partition_requirement(REAL, inst)


# ---------------------------------------------------------------------------------------
# 3. the ordering of the conditions
# ---------------------------------------------------------------------------------------
@_at_dps
def prop_power_ordering(impl, a: sp.Rational, rho1: sp.Rational, rho2: sp.Rational) -> None:
    """a^ρ1 ≤ 1 + a^ρ2 (ρ1 ≤ ρ2, a ≥ 0), decided rigorously: both sides are balls and the difference must
    certainly be ≥ 0 (the only equality, a = 0 < ρ2 with ρ1 = 0, is computed exactly). The precision is
    60 digits beyond the size of a^ρ2, so that a gap of 1 between two numbers of that size is resolved."""
    digits = 60 + math.ceil(float(rho2) * max(math.log10(a) if a > 0 else 0.0, 0.0))
    with working_precision(digits):
        gap = impl.ordering_bound(a, rho1, rho2) - ball_power(a, rho1)
        assert gap >= 0, f"a^ρ1 ≤ bound is not certain: a = {a}, ρ1 = {rho1}, ρ2 = {rho2}, bound − a^ρ1 ∈ {gap}"


@given(a=nonnegative_reals(), rhos=cond_rho_pairs())
def test_power_ordering_exact(a, rhos):
    prop_power_ordering(REAL, a, *rhos)


@given(a=nonnegative_reals(), rhos=cond_rho_pairs())
def test_power_ordering_of_the_library_power(a, rhos):
    # conditions.power at DPS digits: two correctly rounded powers and one addition, so the inequality
    # may be off by a few units in the last place of 1 + a^ρ2, allowed as 10^(2−DPS) relative
    rho1, rho2 = rhos
    with mp.workdps(DPS):
        lhs, rhs = power(to_mpf(a), rho1), 1 + power(to_mpf(a), rho2)
        assert lhs <= rhs * (1 + mp.mpf(10) ** (2 - DPS))
        if a == 0:
            assert lhs == (1 if rho1 == 0 else 0)  # a^0 = 1, also for a = 0 (SPEC §0)


@_at_dps
def prop_order_ordering(impl, inst: PairInstance, rho2: sp.Rational) -> None:
    """ρ1-order with (C0, C1) at the pair ⇒ ρ2-order with impl.ordering_constants(C0, C1), ρ1 = inst.rho ≤ ρ2,
    for the drawn C1 and for the boundary C1 = req_order."""
    D, x1, x2, rho1, C0 = inst.D, inst.x1, inst.x2, inst.rho, inst.C0
    assert rho1 <= rho2
    required = impl.req_order(D, x1, x2, rho1, C0)
    constants = [inst.C1] + ([_boundary(required)] if required != mp.inf else [])
    if required != mp.inf:
        assert impl.holds_order(D, x1, x2, rho1, C0, constants[-1]), "the pair fails its own required C1"
    for C1 in constants:
        if impl.holds_order(D, x1, x2, rho1, C0, C1):
            C0b, C1b = impl.ordering_constants(C0, C1)
            assert impl.holds_order(D, x1, x2, rho2, C0b, C1b), (
                f"{rho1}-order holds with (C0, C1) = ({C0}, {C1}) but {rho2}-order fails with ({C0b}, {C1b})")




@given(case=ordering_instances())
def test_rho1_order_implies_rho2_order(case):
    prop_order_ordering(REAL, *case)


@_at_dps
def prop_global_implies_order(impl, inst: PairInstance) -> None:
    """Globally Lipschitz with C ⇒ ρ-order with (C, 0) (Prop 2(a)), for C = inst.C0 and the boundary C = quotient."""
    D, x1, x2, rho = inst.D, inst.x1, inst.x2, inst.rho
    q = impl.quotient(D, x1, x2)
    boundary = _boundary(q)
    assert impl.holds_global(D, x1, x2, boundary), "the pair fails its own Lipschitz quotient"
    for C in (inst.C0, boundary):
        if impl.holds_global(D, x1, x2, C):
            assert impl.holds_order(D, x1, x2, rho, C, 0), f"globally Lipschitz with C = {C}, but not ρ-order with (C, 0)"
            assert impl.req_order(D, x1, x2, rho, C) == 0


@given(inst=pair_instances())
def test_global_lipschitz_implies_rho_order(inst):
    prop_global_implies_order(REAL, inst)


@_at_dps
def prop_rho_zero_is_global(impl, inst: PairInstance) -> None:
    """ρ = 0: ρ-order with (C0, C1) ⇔ globally Lipschitz with C0 + C1 (Prop 2(b)); the requirements are
    (q − C0)_+ for both ρ-conditions."""
    D, x1, x2, C0 = inst.D, inst.x1, inst.x2, inst.C0
    q = impl.quotient(D, x1, x2)
    with mp.workdps(DPS):
        expected = max(q - to_mpf(C0), mp.mpf(0))
        for r in (impl.req_order(D, x1, x2, 0, C0), impl.req_int(D, x1, x2, 0, C0)):
            assert abs(r - expected) <= REL * (q + to_mpf(C0)), f"ρ = 0 requirement {r} ≠ (q − C0)_+ = {expected}"
    constants = [inst.C1] + ([_boundary(expected)] if expected > 0 else [])
    for C1 in constants:
        order = impl.holds_order(D, x1, x2, 0, C0, C1)
        glob = impl.holds_global(D, x1, x2, C0 + C1)
        assert order == glob, f"ρ = 0, (C0, C1) = ({C0}, {C1}): ρ-order {order} but global Lipschitz(C0 + C1) {glob}"
        assert impl.holds_integrated(D, x1, x2, 0, C0, C1) == glob


@given(inst=pair_instances(rhos=st.just(sp.Integer(0))))
def test_rho_zero_order_is_global_lipschitz(inst):
    prop_rho_zero_is_global(REAL, inst)


def _scaled(D: VectorField, lam: sp.Rational) -> VectorField:
    return VectorField([lam * c for c in D.components], D.variables, name=f"{lam}·{D.name}")


@_at_dps
def prop_scaling(impl, inst: PairInstance, lam: sp.Rational) -> None:
    """req(λD; λC0) = λ^(1−ρ) req(D; C0) for λ > 0, for both ρ-conditions (‖λv‖ = λ‖v‖)."""
    D, x1, x2, rho, C0 = inst.D, inst.x1, inst.x2, inst.rho, inst.C0
    E = _scaled(D, lam)
    error = _difference_error(impl, D, [x1, x2]) / _length(x1, x2)  # error of the quotient of D
    for requirement, aggregate in ((impl.req_order, impl.sup_aggregate), (impl.req_int, impl.int_aggregate)):
        r, r_scaled = requirement(D, x1, x2, rho, C0), requirement(E, x1, x2, rho, lam * C0)
        with mp.workdps(DPS):
            if r == mp.inf:
                assert r_scaled == mp.inf
                continue
            factor = to_mpf(lam) ** (1 - to_mpf(rho))
            agg = aggregate(D, x1, x2, rho)
            slack = factor * (REL * r + (3 * error / agg if agg > 0 else 0))
            assert abs(r_scaled - factor * r) <= slack, (
                f"λ = {lam}: req(λD; λC0) = {r_scaled} but λ^(1−ρ)·req(D; C0) = {factor * r}")


@given(inst=pair_instances(max_vars=3), lam=st.sampled_from([2, 3, sp.Rational(1, 2), 10]).map(sp.sympify))
@settings(max_examples=15)
def test_requirements_scale_with_the_map(inst, lam):
    prop_scaling(REAL, inst, lam)


# ---------------------------------------------------------------------------------------
# fixed instances: the families' simplest members, so the properties are never vacuous
# ---------------------------------------------------------------------------------------
def test_properties_on_a_hand_picked_instance():
    D = Objective.from_string("x**4", "x").gradient_field
    inst = PairInstance(D, (sp.Integer(0),), (sp.Integer(1),), sp.Rational(2, 3), sp.Integer(0), sp.Integer(3))
    prop_integrated_requirement_dominates(REAL, inst)
    prop_darboux_sums(REAL, inst)
    prop_partition_requirement(REAL, inst)
    prop_order_ordering(REAL, inst, sp.Integer(2))
    prop_global_implies_order(REAL, inst)
    prop_scaling(REAL, inst, sp.Integer(2))
    # x⁴ on [0, 1]: quotient 4, max (4θ³)^(2/3) = 4^(2/3), ∫₀¹ (4θ³)^(2/3) dθ = 4^(2/3)/3, so
    # req_order = 4^(1/3) and req_int = 3·4^(1/3)
    with mp.workdps(DPS):
        assert abs(REAL.req_order(D, (0,), (1,), sp.Rational(2, 3), 0) - mp.cbrt(4)) < REL
        assert abs(REAL.req_int(D, (0,), (1,), sp.Rational(2, 3), 0) - 3 * mp.cbrt(4)) < REL


@pytest.mark.parametrize("a, rho1, rho2",
                         [(0, 0, 1), (0, 0, 0), (1, 0, 3), ("1/2", "1/3", "2/3"), (10**20, 1, 3), (10**21, 3, 3)])
def test_power_ordering_edge_cases(a, rho1, rho2):
    prop_power_ordering(REAL, sp.Rational(a), sp.Rational(rho1), sp.Rational(rho2))


# =======================================================================================
# The properties can fail: deliberately broken implementations, each caught by a property
# =======================================================================================
# The property suite can fail: deliberately broken implementations, each caught by a property.
#
# Every broken implementation subclasses the adapter ``Implementation`` of
# ``tests/test_properties_conditions.py`` and changes one thing; the *same* property functions
# (``prop_*``) run on it, and Hypothesis must find an instance on which the property fails
# (``hypothesis.find``: generation, then shrinking to a small counterexample). The real
# implementation must pass on that very counterexample, so the failure is the mutant's fault.
#
# | broken implementation        | what it gets wrong                                    | caught by                    |
# |------------------------------|-------------------------------------------------------|------------------------------|
# | ``IntegratedUsesMax``        | the "integrated" condition aggregates with the max    | prop_darboux_sums            |
# | ``NormWithoutSquareRoot``    | the vector norm returns Σ vᵢ² (no square root)        | prop_partition_requirement   |
# |                              |                                                       | (triangle step), prop_scaling|
# | ``OrderingKeepsConstants``   | Prop 3(a) with (C0, C1) instead of (C0 + C1, C1)      | prop_order_ordering          |
# | ``LowerDarbouxSum``          | the partition sum uses the min on each piece          | prop_darboux_sums            |
# | ``OrderingBoundWithoutOne``  | bounds a^ρ1 by a^ρ2 instead of 1 + a^ρ2               | prop_power_ordering          |


# ---------------------------------------------------------------------------------------
# the broken implementations
# ---------------------------------------------------------------------------------------
class _MaxIntegrated(RhoIntegrated):
    def aggregate(self, D, segment, dps):
        return RhoOrder.aggregate(self, D, segment, dps)  # max_θ ‖D‖^ρ where ∫₀¹ ‖D‖^ρ dθ belongs


class IntegratedUsesMax(Implementation):
    name = "integrated check using the max"
    integrated_class = _MaxIntegrated


def _squared_norm(vector):
    return mp.fsum(v * v for v in vector)  # √ forgotten


class NormWithoutSquareRoot(Implementation):
    name = "vector norm without the square root"

    def norm(self, vector):
        return _squared_norm(vector)

    def library(self):
        stack = contextlib.ExitStack()
        stack.enter_context(mock.patch.object(conditions_module, "vector_norm", _squared_norm))
        stack.enter_context(mock.patch.object(segment_module, "vector_norm", _squared_norm))
        return stack


class OrderingKeepsConstants(Implementation):
    name = "ordering with (C0, C1) instead of (C0 + C1, C1)"

    def ordering_constants(self, C0, C1):
        return C0, C1


class LowerDarbouxSum(Implementation):
    name = "partition sum with the lower instead of the upper sum"

    def darboux_term(self, D, a, b, rho):
        with mp.workdps(DPS):
            segment = Segment(a, b)
            worst = segment.maximum(lambda th: -self.norm(D(segment.point(th), mp.mp.dps)) ** 2, DPS, grid=4)
            return power(mp.sqrt(-worst.value), rho)


class OrderingBoundWithoutOne(Implementation):
    name = "a^ρ1 ≤ a^ρ2 (the 1 + forgotten)"

    def ordering_bound(self, a, rho1, rho2):
        return ball_power(a, rho2)


# ---------------------------------------------------------------------------------------
# the hunt
# ---------------------------------------------------------------------------------------
def _fails(prop, impl, case) -> bool:
    try:
        prop(impl, *case)
    except AssertionError:
        return True
    return False


def hunt(prop, impl, strategy, max_examples: int = 100):
    """A (shrunk) counterexample to ``prop`` for ``impl``; fails the test when Hypothesis finds none."""
    budget = settings(max_examples=max_examples, database=None, derandomize=True, deadline=None,
                      phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    try:
        case = find(strategy, lambda case: _fails(prop, impl, case), settings=budget)
    except NoSuchExample:
        pytest.fail(f"{prop.__name__} did not catch the broken implementation: {impl.name}")
    assert not _fails(prop, REAL, case), f"the real implementation fails on the counterexample too: {case!r}"
    return case


pairs = pair_instances().map(lambda inst: (inst,))
scaled_pairs = st.tuples(pair_instances(max_vars=3), st.sampled_from([2, 3, 10]).map(sp.Integer))
powers = st.tuples(nonnegative_reals(), cond_rho_pairs()).map(lambda c: (c[0], *c[1]))


@pytest.mark.slow
@pytest.mark.parametrize("impl", [IntegratedUsesMax(), LowerDarbouxSum()], ids=lambda i: type(i).__name__)
def test_darboux_property_catches(impl):
    (inst,) = hunt(prop_darboux_sums, impl, pairs)
    assert inst.C1 > 0 and inst.rho > 0  # with C1 = 0 or ρ = 0 both sums are constant: no mutant can be seen


@pytest.mark.slow
def test_partition_property_catches_a_norm_without_square_root():
    hunt(prop_partition_requirement, NormWithoutSquareRoot(), pairs)


@pytest.mark.slow
def test_scaling_property_catches_a_norm_without_square_root():
    hunt(prop_scaling, NormWithoutSquareRoot(), scaled_pairs)


@pytest.mark.slow
def test_ordering_property_catches_unchanged_constants():
    inst, rho2 = hunt(prop_order_ordering, OrderingKeepsConstants(), ordering_instances())
    assert inst.rho < rho2  # for ρ1 = ρ2 the constants (C0, C1) are right


@pytest.mark.slow
def test_power_ordering_catches_a_forgotten_one():
    a, rho1, rho2 = hunt(prop_power_ordering, OrderingBoundWithoutOne(), powers)
    assert a < 1 or rho1 == rho2 == 0  # a^ρ1 > a^ρ2 needs a < 1 (or 0^0 = 1 > 0^ρ2)


def test_the_real_implementation_is_not_one_of_them():
    # the adapters differ from the real one only in the overridden operation
    for impl in (IntegratedUsesMax(), NormWithoutSquareRoot(), OrderingKeepsConstants(), LowerDarbouxSum(),
                 OrderingBoundWithoutOne()):
        assert isinstance(impl, Implementation) and type(impl) is not Implementation
