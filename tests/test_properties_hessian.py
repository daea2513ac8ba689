"""Property tests: the Hessian criterion (Props 5/6), symbolic vs numeric agreement, invariances.

Instances are drawn, not hand-picked: objectives from three families (random
polynomials of degree ≤ 4 in 1–3 variables with small integer coefficients,
softplus log(1 + exp(·)) of random linear or multilinear forms, deep linear
network losses with random small widths, data and loss), points with small
rational coordinates, pairs that are far apart, nearly equal (x2 = x1 + 10⁻ᵏ w)
or equal, ρ ∈ [0, 3] as rationals including 0, and constants C1 ≥ 0. Every
strategy shrinks towards small integers, few terms and ρ = 0, so a failure
reads as a short polynomial at a point such as (1, 0).

Every tolerance is derived, in a comment next to it, from the precision used
and from rigorous ball-arithmetic bounds (python-flint ``arb``) of the higher
derivatives involved — never from a guess. ``assume`` is not used.

The end of the file runs deliberately broken implementations through the same
property functions and asserts that Hypothesis finds a counterexample for each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp
from flint import arb, fmpq
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from dlnsmooth.balls import ArbProgram
from dlnsmooth.certificate import certify_curve
from dlnsmooth.conditions import HessianGrowth, RhoIntegrated, RhoOrder
from dlnsmooth.curves import Curve
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.theorem_g import certify_theorem_g, theorem_g_premise
from dlnsmooth.norms import Norm, frobenius_norm, spectral_norm, vector_norm
from dlnsmooth.numbers import power
from dlnsmooth.objective import Objective
from dlnsmooth.precision import agreeing_digits, confirm, working_precision
from dlnsmooth.segment import Segment

# ---------------------------------------------------------------------------------------
# -- Hessian and invariance strategies (private to this file)
# ---------------------------------------------------------------------------------------
_NAMES = ("x", "y", "z")
_RHOS = [0, 1, Fraction(1, 2), Fraction(2, 3), 2, Fraction(3, 2), 3, Fraction(1, 3), Fraction(5, 2)]


@dataclass(frozen=True)
class Family:
    """A drawn objective with a readable description (what Hypothesis prints)."""

    text: str
    names: tuple[str, ...]

    @property
    def objective(self) -> Objective:
        return _objective(self.text, self.names)

    def __repr__(self) -> str:
        return f"f({', '.join(self.names)}) = {self.text}"


_CACHE: dict[tuple[str, tuple[str, ...]], Objective] = {}


def _objective(text: str, names: tuple[str, ...]) -> Objective:
    key = (text, names)
    if key not in _CACHE:  # Objective caches its derivatives: reuse it across examples
        _CACHE[key] = Objective.from_string(text, ",".join(names))
    return _CACHE[key]


@st.composite
def polynomials(draw, max_vars: int = 3, max_degree: int = 4) -> Family:
    """Σ c·monomial, small integer coefficients, total degree ≤ max_degree (shrinks to 1 term)."""
    n = draw(st.integers(1, max_vars))
    names = _NAMES[:n]
    monomial = st.tuples(*[st.integers(0, max_degree) for _ in range(n)]).filter(lambda e: sum(e) <= max_degree)
    terms = draw(st.lists(st.tuples(st.integers(-3, 3).filter(bool), monomial), min_size=1, max_size=4,
                         unique_by=lambda term: term[1]))
    parts = []
    for c, exps in terms:
        factors = [f"{v}**{e}" if e > 1 else v for v, e in zip(names, exps) if e]
        parts.append("*".join([str(c)] + factors))
    return Family(" + ".join(parts).replace("+ -", "- "), names)


@st.composite
def univariate_polynomials(draw, degree: int = 4) -> Family:
    """Σ_k c_k x^k with every degree ≤ 4 present (dense: f'' can peak inside a segment)."""
    coefs = draw(st.lists(st.integers(-3, 3), min_size=degree + 1, max_size=degree + 1).filter(lambda c: any(c[2:])))
    text = " + ".join(f"({c})*x**{k}" for k, c in enumerate(coefs) if c) or "0"
    return Family(text, ("x",))


@st.composite
def softplus_forms(draw, max_vars: int = 3) -> Family:
    """log(1 + exp(L)) with L a linear form a·x + b or a multilinear c·x1⋯xn (exp-log family)."""
    n = draw(st.integers(1, max_vars))
    names = _NAMES[:n]
    if draw(st.booleans()):
        coefs = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
        b = draw(st.integers(-2, 2))
        form = " + ".join(f"({a})*{v}" for a, v in zip(coefs, names)) + f" + ({b})"
    else:
        c = draw(st.integers(-2, 2).filter(bool))
        form = f"({c})*" + "*".join(names)
    extra = draw(st.sampled_from(["", " + x**2/2", " - x**2/4"]))
    return Family(f"log(1 + exp({form})){extra}", names)


def objectives(max_vars: int = 3) -> st.SearchStrategy[Family]:
    return st.one_of(polynomials(max_vars), softplus_forms(max_vars), univariate_polynomials())


def small_rationals(max_num: int = 6) -> st.SearchStrategy[Fraction]:
    return st.builds(Fraction, st.integers(-max_num, max_num), st.sampled_from([1, 2, 3, 4]))


def points(n: int, max_num: int = 6) -> st.SearchStrategy[tuple[Fraction, ...]]:
    return st.tuples(*[small_rationals(max_num) for _ in range(n)])


@st.composite
def pairs(draw, n: int, max_num: int = 6):
    """(x1, x2): far apart, nearly equal (x1 + 10⁻ᵏ w), or equal — the hard cases stay in."""
    x1 = draw(points(n, max_num))
    kind = draw(st.sampled_from(["far", "near", "equal"]))
    if kind == "far":
        x2 = draw(points(n, max_num))
    elif kind == "near":
        k = draw(st.integers(2, 12))
        w = draw(st.tuples(*[st.integers(-3, 3) for _ in range(n)]))
        x2 = tuple(a + Fraction(b, 10**k) for a, b in zip(x1, w))
    else:
        x2 = x1
    return x1, x2


def rhos() -> st.SearchStrategy[Fraction]:
    """ρ ∈ [0, 3]: the named values (0 first, so failures shrink to ρ = 0) and p/q."""
    return st.one_of(st.sampled_from(_RHOS).map(Fraction),
                     st.builds(Fraction, st.integers(0, 18), st.integers(1, 6)).filter(lambda r: r <= 3))


def directions(n: int) -> st.SearchStrategy[tuple[int, ...]]:
    return st.tuples(*[st.integers(-3, 3) for _ in range(n)]).filter(any)


@st.composite
def networks(draw):
    """A deep linear network of depth 3 with widths ≤ 2, 1–3 observations, a random loss."""
    n0 = draw(st.integers(1, 2))
    h1 = draw(st.integers(1, 2))
    widths = (n0, h1, 1, 1)
    loss = draw(st.sampled_from(["logistic", "squared", "exponential"]))
    m = draw(st.integers(1, 3))
    xs = draw(st.lists(st.tuples(*[small_rationals(4) for _ in range(n0)]), min_size=m, max_size=m))
    if loss == "squared":
        ys = draw(st.lists(small_rationals(3), min_size=m, max_size=m))
    else:
        ys = draw(st.lists(st.sampled_from([1, -1]), min_size=m, max_size=m))
    return widths, loss, tuple(zip(xs, ys))


def _network(widths, loss, data):
    return deep_linear(widths, Dataset.from_pairs([(list(x), y) for x, y in data]), loss)


def _fewer(k: int):
    """k examples under the ci profile (25), proportionally more under dev/thorough."""
    return settings(max_examples=max(k, settings.default.max_examples * k // 25))


# ---------------------------------------------------------------------------------------
# -- helpers: exact bounds from balls
# ---------------------------------------------------------------------------------------
def _exact(x: arb) -> Fraction:
    """The exact value of an exact ball (midpoint or radius)."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man) * Fraction(2) ** exp


def upper_bound(x: arb) -> Fraction:
    """A rational ≥ every point of the ball."""
    assert x.is_finite(), f"ball {x} is not finite"
    return _exact(x.mid()) + _exact(x.rad())


def lower_bound(x: arb) -> Fraction:
    """A rational ≤ every point of the ball."""
    assert x.is_finite(), f"ball {x} is not finite"
    return _exact(x.mid()) - _exact(x.rad())


def hull(lo: Fraction, hi: Fraction) -> arb:
    return arb(fmpq(lo.numerator, lo.denominator)).union(arb(fmpq(hi.numerator, hi.denominator)))


def _q(r: Fraction) -> fmpq:
    return fmpq(r.numerator, r.denominator)


_DERIVATIVES: dict[tuple[str, tuple[str, ...], int], ArbProgram] = {}


def derivative_bound(family: Family, order: int, box: list[arb]) -> Fraction:
    """A rational ≥ max |∂^α f| over all partials of the given order, on the box (balls)."""
    key = (family.text, family.names, order)
    if key not in _DERIVATIVES:
        f = family.objective
        partials = [f.expr]
        for _ in range(order):  # all distinct partials of this order (multisets of variables)
            partials = list({sp.diff(p, v) for p in partials for v in f.variables})
        _DERIVATIVES[key] = ArbProgram(partials, f.variables)
    with working_precision(30):
        values = _DERIVATIVES[key].evaluate(box)
        return max([upper_bound(abs(v)) for v in values] + [Fraction(0)])


# ---------------------------------------------------------------------------------------
# 4a. Hessian criterion on a segment ⇒ the pair inequality (Prop 6, then Prop 1 ⇐)
# ---------------------------------------------------------------------------------------
SUBINTERVALS = 32


def proven_c0(f: Objective, x1, x2, rho: Fraction, C1: Fraction, subintervals: int = SUBINTERVALS) -> Fraction:
    """A rational C0 with ‖∇²f(x)‖₂ ≤ C0 + C1‖∇f(x)‖^ρ *proved* for every x on [x1, x2].

    For each θ-sub-interval I the ball evaluation of (‖∇f‖, ‖∇²f‖_F) on the ball
    x1 + I·(x2 − x1) encloses both norms over the whole piece (ball arithmetic is an
    enclosure of the range). So on I: ‖∇²f‖₂ ≤ ‖∇²f‖_F ≤ up(H_I) and
    C1‖∇f‖^ρ ≥ C1·low(G_I)^ρ (a^ρ is non-decreasing, 0^0 = 1), hence
    C0_I = up(H_I) − C1·low(G_I)^ρ works on I. C0 = max_I C0_I (≥ 0), rounded up to
    a multiple of 1/1000 for readability. This is a proof, not sampling.
    """
    x1 = [Fraction(a) for a in x1]
    x2 = [Fraction(b) for b in x2]
    best = Fraction(0)
    with working_precision(30):
        for k in range(subintervals):
            theta = hull(Fraction(k, subintervals), Fraction(k + 1, subintervals))
            point = [arb(_q(a)) + theta * arb(_q(b - a)) for a, b in zip(x1, x2)]
            g, h = f.ball_norms(point)
            g_low = max(lower_bound(g), Fraction(0))
            term = arb(_q(C1)) * power(arb(_q(g_low)), sp.Rational(rho.numerator, rho.denominator))
            best = max(best, upper_bound(arb(_q(upper_bound(h))) - term))
    return Fraction(math.ceil(best * 1000), 1000)


def check_hessian_criterion(family: Family, x1, x2, rho: Fraction, C1: Fraction, c0_rule=proven_c0) -> None:
    f = family.objective
    C0 = c0_rule(f, x1, x2, rho, C1)
    dps = 30
    # The library's own grid check of the premise must agree with the ball proof (which bounds
    # the Frobenius norm, hence also the spectral norm ‖·‖₂ ≤ ‖·‖_F of the definitions).
    growth = HessianGrowth(rho, C0, C1, norm="frobenius").check(f, x1, x2, dps)
    assert growth.status == "holds", (C0, growth)
    # Prop 6: ‖∇f(x2) − ∇f(x1)‖ ≤ ∫ (C0 + C1‖∇f(x_θ)‖^ρ) dθ ‖x2 − x1‖; the ρ-order
    # inequality follows (integral ≤ max). Both checks allow rounding relative to
    # max(|lhs|, |rhs|, ‖∇f(x1)‖, ‖∇f(x2)‖) at `dps` digits (conditions._judge).
    for condition in (RhoIntegrated(rho, C0, C1), RhoOrder(rho, C0, C1)):
        result = condition.check(f, x1, x2, dps)
        assert result.status == "holds", (C0, condition, result)
    # Per pair req_order ≤ req_int ≤ C1 (SPEC §1); the aggregates are computed at dps
    # digits, so the comparison allows 10^(5−dps) relative.
    slack = mp.mpf(10) ** (5 - dps)
    with mp.workdps(dps):
        req_int = RhoIntegrated(rho, C0, C1).required(f, x1, x2, dps)
        req_order = RhoOrder(rho, C0, C1).required(f, x1, x2, dps)
        assert req_int <= mp.mpf(C1.numerator) / C1.denominator * (1 + slack) + slack, (req_int, C0)
        assert req_order <= req_int * (1 + slack) + slack, (req_order, req_int)


@given(family=objectives(), data=st.data(), rho=rhos(),
       C1=st.builds(Fraction, st.integers(0, 20), st.sampled_from([1, 2, 4])))
@_fewer(15)
def test_hessian_growth_on_a_segment_gives_the_pair_inequality(family, data, rho, C1):
    x1, x2 = data.draw(pairs(len(family.names), max_num=4), label="x1, x2")
    check_hessian_criterion(family, x1, x2, rho, C1)


@given(data=st.data(), rho=rhos(), C1=st.sampled_from([Fraction(0), Fraction(1), Fraction(1, 2)]))
@_fewer(6)
def test_hessian_criterion_for_deep_linear_networks(data, rho, C1):
    widths, loss, obs = data.draw(networks(), label="network")
    f = _network(widths, loss, obs)
    x1, x2 = data.draw(pairs(f.n, max_num=2), label="x1, x2")
    C0 = proven_c0(f, x1, x2, rho, C1, subintervals=16)
    for condition in (RhoIntegrated(rho, C0, C1), RhoOrder(rho, C0, C1)):
        assert condition.check(f, x1, x2, 30).status == "holds", (C0, condition)


# ---------------------------------------------------------------------------------------
# 4b. Difference quotients → ‖∇²f(x) v‖ ≤ ‖∇²f(x)‖₂ (the limit step of Prop 5)
# ---------------------------------------------------------------------------------------
_SECOND_ALONG: dict[tuple, ArbProgram] = {}


def check_difference_quotients(family: Family, x, w, spectral=spectral_norm) -> None:
    f = family.objective
    n = f.n
    dps = 60
    # Taylor along the line x + σw: ∇f(x + σw) − ∇f(x) − σ∇²f(x)w = ∫₀^σ (σ − s) G''(s) ds with
    # G''(s) = ∇³f(x + sw)[w, w], so with h = σ‖w‖ and v = w/‖w‖
    #   |‖∇f(x + hv) − ∇f(x)‖/h − ‖∇²f(x)v‖| ≤ h/(2‖w‖²) · sup_{s∈[0,h]} ‖G''(s)‖   (σ ≤ h as ‖w‖ ≥ 1),
    # and the sup is bounded rigorously by evaluating G'' on the ball s ∈ [0, h].
    key = (family.text, family.names, tuple(x), tuple(w))
    s = sp.Symbol("s", real=True)
    if key not in _SECOND_ALONG:
        line = {v: sp.Rational(a.numerator, a.denominator) + s * wi for v, a, wi in zip(f.variables, x, w)}
        _SECOND_ALONG[key] = ArbProgram([sp.diff(g.xreplace(line), s, 2) for g in f.gradient], [s])
    w2 = sum(wi * wi for wi in w)
    with mp.workdps(dps):
        v = [mp.mpf(wi) / mp.sqrt(w2) for wi in w]
        x_mp = [mp.mpf(a.numerator) / a.denominator for a in x]
        g0 = f.grad(x_mp, dps)
        H = f.hess(x_mp, dps)
        Hv = [mp.fsum(H[i][j] * v[j] for j in range(n)) for i in range(n)]
        target = vector_norm(Hv)
        # Rounding: each ∇f value has relative error ≲ 10^(3−dps) of the sizes involved
        # (gradient, and the Hessian times the coordinates, through the rounded point), and
        # the difference is divided by h.
        scale = 1 + vector_norm(g0) + frobenius_norm(H) * (1 + vector_norm(x_mp))
        for k in (10, 20):
            h = mp.mpf(10) ** -k
            with working_precision(30):
                sup = _SECOND_ALONG[key].evaluate([hull(Fraction(0), Fraction(1, 10**k))])
                T = max(upper_bound(vector_norm_ball(sup)), Fraction(0))
            truncation = h / (2 * w2) * mp.mpf(T.numerator) / T.denominator
            rounding = mp.mpf(10) ** (5 - dps) * scale / h
            g1 = f.grad([a + h * b for a, b in zip(x_mp, v)], dps)
            quotient = vector_norm([a - b for a, b in zip(g1, g0)]) / h
            assert abs(quotient - target) <= truncation + rounding, (k, quotient, target, truncation, rounding)
        # ‖∇²f v‖ ≤ ‖∇²f‖₂ ≤ ‖∇²f‖_F ≤ √n ‖∇²f‖₂, up to eigen-solver rounding 10^(5−dps).
        eps = mp.mpf(10) ** (5 - dps) * (1 + frobenius_norm(H))
        two = spectral(H)
        assert target <= two + eps, (target, two)
        assert two <= frobenius_norm(H) + eps
        assert frobenius_norm(H) <= mp.sqrt(n) * two + eps


def vector_norm_ball(values: list[arb]) -> arb:
    total = arb(0)
    for b in values:
        total += b * b
    return total.nonnegative_part().sqrt()


@given(family=objectives(), data=st.data())
@_fewer(15)
def test_difference_quotients_approach_the_hessian_along_a_direction(family, data):
    n = len(family.names)
    x = data.draw(points(n, 3), label="x")
    w = data.draw(directions(n), label="w")
    check_difference_quotients(family, x, w)


# ---------------------------------------------------------------------------------------
# 5. Symbolic vs numeric: finite differences, two precisions, balls
# ---------------------------------------------------------------------------------------
FD_DPS = 90
FD_H = Fraction(1, 10**20)


def check_finite_differences(family: Family, x, gradient=None, hessian=None) -> None:
    """∇f, ∇²f (symbolic, compiled) against differences of f's *value* (a separate compiled expression).

    Points x ± h e_i ± h e_j are exact rationals (h = 10⁻²⁰), so only f's rounding enters:
    |f̃ − f| ≤ 10^(5−dps)(|f| + 1) at dps = 90. Truncation (Taylor with Lagrange remainder):
      central difference  (f(x+he_i) − f(x−he_i))/2h − ∂_i f         ≤ h²/6 · M3,
      second difference   (f(x+he_i) − 2f(x) + f(x−he_i))/h² − ∂_ii f ≤ h²/12 · M4,
      mixed 4-point       (f(++) − f(+−) − f(−+) + f(−−))/4h² − ∂_ij f ≤ 2h²/3 · M4
    (third-order terms cancel in the symmetric stencils; the 4-point remainder is at most
    (|a| + |b|)⁴/24 · M4 per point with |a| = |b| = h), where M3, M4 bound every 3rd/4th
    partial of f on the box x ± 2h, by ball arithmetic.
    """
    f = family.objective
    n = f.n
    h = FD_H
    box = [hull(a - 2 * h, a + 2 * h) for a in x]
    M3 = derivative_bound(family, 3, box)
    M4 = derivative_bound(family, 4, box)
    dps = FD_DPS
    grad = gradient or f.grad
    hess = hessian or f.hess
    with mp.workdps(dps):
        hm = mp.mpf(h.numerator) / h.denominator

        def value(*shifts):
            p = list(x)
            for i, sgn in shifts:
                p[i] += sgn * h
            return f.value(p, dps)

        f0 = f.value(list(x), dps)
        round_scale = mp.mpf(10) ** (5 - dps) * (abs(f0) + 1) * 2  # values near x differ from f0 by O(h)
        g = grad(list(x), dps)
        H = hess(list(x), dps)
        for i in range(n):
            central = (value((i, 1)) - value((i, -1))) / (2 * hm)
            tol = hm**2 / 6 * mp.mpf(M3.numerator) / M3.denominator + round_scale / hm
            assert abs(central - g[i]) <= tol, ("gradient", i, g[i], central, tol)
            for j in range(i, n):
                if i == j:
                    second = (value((i, 1)) - 2 * f0 + value((i, -1))) / hm**2
                    trunc = hm**2 / 12 * mp.mpf(M4.numerator) / M4.denominator
                    rnd = 4 * round_scale / hm**2
                else:
                    second = (value((i, 1), (j, 1)) - value((i, 1), (j, -1)) - value((i, -1), (j, 1))
                              + value((i, -1), (j, -1))) / (4 * hm**2)
                    trunc = 2 * hm**2 / 3 * mp.mpf(M4.numerator) / M4.denominator
                    rnd = round_scale / hm**2
                assert abs(second - H[i][j]) <= trunc + rnd, ("hessian", i, j, H[i][j], second, trunc + rnd)
                assert H[i][j] == H[j][i]


@given(family=objectives(), data=st.data())
@_fewer(15)
def test_symbolic_derivatives_agree_with_finite_differences(family, data):
    x = data.draw(points(len(family.names), 4), label="x")
    check_finite_differences(family, x)


def check_two_precisions(f, x) -> None:
    """Digits confirmed by agreement at two precisions are correct: compare with a much
    higher precision (4× the check precision + 40 digits). A value that is zero at both
    precisions carries no digits (precision.confirm), so nothing is claimed for it."""
    def evaluate(dps):
        return [f.grad_norm(x, dps), f.hess_norm(x, dps, "frobenius"), f.hess_norm(x, dps, "spectral")]

    results = confirm(evaluate, digits=15, start_dps=15, max_dps=1000)
    reference = evaluate(4 * max(r.dps_check for r in results) + 40)
    for r, ref in zip(results, reference):
        if r.zero_at_both:
            assert r.digits == 0
            continue
        # softplus Hessians cancel catastrophically for large arguments (σ − σ²), so 15 digits
        # may need many more working digits: either confirmed, or the cap was reached
        assert r.digits >= 15 or r.dps_check >= 1000, r
        assert agreeing_digits(r.value, ref) >= r.digits, (r, ref)


def check_ball_enclosure(f, x, reference=None, ball_norms=None) -> None:
    """Objective.ball_norms at p digits meets the mpmath value confirmed to p + 10 digits.

    The reference comes from the lambdified mpmath route (independent of the ball compiler),
    evaluated from 3p + 20 digits upwards until two precisions agree to p + 10 digits
    (precision.confirm), so |ref − true| ≤ 10^-(p+10)·|ref|; a value that is 0 at both
    precisions is below 10^-dps there. A ball that misses [ref ± that] misses the true value.
    """
    reference = reference or f
    ball_norms = ball_norms or f.ball_norms
    for p in (20, 40):
        with working_precision(p):
            g, h = ball_norms([Fraction(a) for a in x])
        refs = confirm(lambda d: [reference.grad_norm(x, d), reference.hess_norm(x, d, Norm.FROBENIUS)],
                       digits=p + 10, start_dps=3 * p + 20, max_dps=4000, zero_ok=[True, True])
        for ball, ref in zip((g, h), refs):
            assert ball.is_finite(), ball
            assert ref.zero_at_both or ref.digits >= p + 10, ref
            with mp.workdps(ref.dps_check + 10):
                slack = mp.mpf(10) ** -ref.dps if ref.zero_at_both else abs(ref.value) * mp.mpf(10) ** -ref.digits
                lo, hi = lower_bound(ball), upper_bound(ball)
                assert mp.mpf(lo.numerator) / lo.denominator <= ref.value + slack, (p, ball, ref)
                assert ref.value - slack <= mp.mpf(hi.numerator) / hi.denominator, (p, ball, ref)


@given(family=objectives(), data=st.data())
@_fewer(15)
def test_two_precisions_and_balls_agree_with_a_higher_precision(family, data):
    x = data.draw(points(len(family.names), 6), label="x")
    f = family.objective
    check_two_precisions(f, x)
    check_ball_enclosure(f, x)


@given(data=st.data())
@_fewer(8)
def test_network_engine_agrees_with_sympy_and_encloses_it(data):
    """The structured engine (balls, Gram formulas) against the lambdified SymPy expression."""
    widths, loss, obs = data.draw(networks(), label="network")
    net = _network(widths, loss, obs)
    plain = Objective(net.expr, net.variables)
    x = data.draw(points(net.n, 2), label="weights")
    check_ball_enclosure(net, x, reference=plain)
    with mp.workdps(60):
        # both at 60 digits from exact inputs: agreement to 10^(10−60) relative to the entries' size
        g_net, g_plain = net.grad(list(x), 60), plain.grad(list(x), 60)
        H_net, H_plain = net.hess(list(x), 60), plain.hess(list(x), 60)
        scale = 1 + vector_norm(g_plain) + frobenius_norm(H_plain)
        tol = mp.mpf(10) ** -50 * scale
        assert max(abs(a - b) for a, b in zip(g_net, g_plain)) <= tol
        assert max(abs(a - b) for ra, rb in zip(H_net, H_plain) for a, b in zip(ra, rb)) <= tol


# ---------------------------------------------------------------------------------------
# 6. Invariances
# ---------------------------------------------------------------------------------------
_FRESH = ("p", "q", "r", "u", "w", "x", "y", "z")


@st.composite
def relabellings(draw, n: int):
    """A permutation of the variables and fresh names (avoiding the curve parameter t)."""
    perm = draw(st.permutations(range(n)))
    names = draw(st.lists(st.sampled_from(_FRESH), min_size=n, max_size=n, unique=True))
    return tuple(perm), tuple(names)


def relabel(f: Objective, perm, names) -> Objective:
    """f'(y) with y_k = x_{perm[k]} renamed names[k]: f'(y) = f(x)."""
    new = [sp.Symbol(name, real=True) for name in names]
    mapping = {f.variables[perm[k]]: new[k] for k in range(f.n)}
    return Objective(f.expr.xreplace(mapping), new)


def permute(x, perm):
    return [x[perm[k]] for k in range(len(perm))]


def check_relabelling(f: Objective, x1, x2, perm, names, rho, grad_norm=None) -> None:
    g = relabel(f, perm, names)
    dps = 40
    y1, y2 = permute(x1, perm), permute(x2, perm)
    grad_norm = grad_norm or (lambda obj, x, d: obj.grad_norm(x, d))
    with mp.workdps(dps):
        tol = mp.mpf(10) ** (5 - dps)
        assert f.value(x1, dps) == g.value(y1, dps) or abs(f.value(x1, dps) - g.value(y1, dps)) <= tol * (
            1 + abs(f.value(x1, dps)))
        # the same expressions, possibly summed in another order (SymPy orders terms by name)
        for a, b in zip(permute(f.grad(x1, dps), perm), g.grad(y1, dps)):
            assert abs(a - b) <= tol * (1 + abs(a)), (a, b)
        for a, b in [(grad_norm(f, x1, dps), grad_norm(g, y1, dps)),
                     (f.hess_norm(x1, dps, "frobenius"), g.hess_norm(y1, dps, "frobenius")),
                     (f.hess_norm(x1, dps, "spectral"), g.hess_norm(y1, dps, "spectral"))]:
            # sums taken in another order and a permuted eigenproblem: rounding 10^(5−dps)
            assert abs(a - b) <= tol * (1 + abs(a)), (a, b)
        # Required constants: the quotient ‖ΔD‖/‖Δx‖ inherits the rounding of D(x1), D(x2),
        # 10^(5−dps)(‖D(x1)‖ + ‖D(x2)‖), amplified by 1/‖Δx‖ (up to 10^12 for nearly equal
        # pairs); required = (quotient − C0)/aggregate adds 10^(5−dps) relative.
        length = Segment(x1, x2).length(dps)
        d_sizes = f.grad_norm(x1, dps) + f.grad_norm(x2, dps)
        for condition in (RhoOrder(rho, 1, 1), RhoIntegrated(rho, 1, 1)):
            a, b = condition.required(f, x1, x2, dps), condition.required(g, y1, y2, dps)
            if length == 0:
                assert a == b == 0
                continue
            aggregate = condition.aggregate(f.gradient_field, Segment(x1, x2), dps)
            bound = tol * (d_sizes / length / aggregate + abs(a)) if aggregate > 0 else 0
            assert a == b or abs(a - b) <= bound, (condition, a, b, bound)


@given(family=objectives(), data=st.data(), rho=rhos())
@_fewer(15)
def test_relabelling_variables_changes_no_norm(family, data, rho):
    f = family.objective
    x1, x2 = data.draw(pairs(f.n, 4), label="x1, x2")
    perm, names = data.draw(relabellings(f.n), label="relabelling")
    check_relabelling(f, x1, x2, perm, names, rho)


@given(family=objectives(max_vars=2), data=st.data(), rho=st.sampled_from([0, Fraction(1, 2), 1, 2]))
@_fewer(3)
def test_relabelling_variables_keeps_the_curve_verdict(family, data, rho):
    f = family.objective
    n = f.n
    slopes = data.draw(st.tuples(*[st.integers(-2, 2) for _ in range(n)]).filter(any), label="slopes")
    offsets = data.draw(st.tuples(*[st.integers(-1, 1) for _ in range(n)]), label="offsets")
    perm, names = data.draw(relabellings(n), label="relabelling")
    g = relabel(f, perm, names)
    t = sp.Symbol("t", positive=True)
    coords = [a * t + b for a, b in zip(slopes, offsets)]
    c1 = certify_curve(f, Curve(f.variables, coords, t), rho=rho, decades=5, progress=False, limit_budget=5)
    c2 = certify_curve(g, Curve(g.variables, permute(coords, perm), t), rho=rho, decades=5, progress=False, limit_budget=5)
    assert c1.verdict == c2.verdict, (c1.report(), c2.report())
    assert c1.critical_exponent == c2.critical_exponent


@st.composite
def scalings(draw):
    return draw(st.sampled_from([Fraction(-1), Fraction(2), Fraction(1, 2), Fraction(-3), Fraction(3, 2)]))


def check_data_scaling(widths, loss, obs, c: Fraction, W) -> None:
    """x_i → c·x_i with W1 → W1/c: u_i is unchanged, so f'(W') = f(φ(W')) with φ scaling the
    W1 block by c. Hence f' = f, ∇f' = S∇f and ∇²f' = S∇²f S with S = diag(c on W1, 1 else):
    the W1 gradient block scales by c, the (W1, W1) Hessian block by c², the (W1, W_l) blocks by
    c, the rest is unchanged. Norms are invariant exactly when |c| = 1 (S orthogonal)."""
    f = _network(widths, loss, obs)
    g = _network(widths, loss, tuple((tuple(c * a for a in x), y) for x, y in obs))
    k1 = widths[0] * widths[1]  # W1 comes first in the variable order
    W2 = [a / c if k < k1 else a for k, a in enumerate(W)]
    S = [c if k < k1 else 1 for k in range(f.n)]
    dps = 40
    with mp.workdps(dps):
        scale = 1 + abs(f.value(W, dps))
        tol = mp.mpf(10) ** (5 - dps)
        assert abs(f.value(W, dps) - g.value(W2, dps)) <= tol * scale
        gf, gg = f.grad(W, dps), g.grad(W2, dps)
        Hf, Hg = f.hess(W, dps), g.hess(W2, dps)
        size = 1 + vector_norm(gf) + frobenius_norm(Hf)
        # entries at 40 digits from exact inputs: rounding ≤ 10^(5−40) of the sizes involved, and
        # the comparison multiplies f's entries by S_k S_j with |S_k S_j| ≤ max(c², 1) ≤ 9
        for k in range(f.n):
            assert abs(gg[k] - S[k] * gf[k]) <= tol * size * 9, (k, gg[k], gf[k])
            for j in range(f.n):
                assert abs(Hg[k][j] - S[k] * S[j] * Hf[k][j]) <= tol * size * 9, (k, j)
        if abs(c) == 1:
            assert abs(f.grad_norm(W, dps) - g.grad_norm(W2, dps)) <= tol * size
            assert abs(f.hess_norm(W, dps, "spectral") - g.hess_norm(W2, dps, "spectral")) <= tol * size


@given(data=st.data(), c=scalings())
@_fewer(10)
def test_scaling_the_data_of_a_deep_linear_network(data, c):
    widths, loss, obs = data.draw(networks(), label="network")
    n = widths[0] * widths[1] + widths[1] + 1
    W = data.draw(points(n, 3), label="weights")
    check_data_scaling(widths, loss, obs, c, list(W))


def _theorem_g_summary(f):
    cert = certify_theorem_g(f, decades=5, progress=False, limit_budget=5)
    return cert.verdict, cert.critical_exponent


@given(data=st.data(), c=scalings())
@_fewer(6)
def test_scaling_or_permuting_data_keeps_the_theorem_g_verdict(data, c):
    widths, loss, obs = data.draw(networks(), label="network")
    order = data.draw(st.permutations(range(len(obs))), label="order")
    f = _network(widths, loss, obs)
    scaled = _network(widths, loss, tuple((tuple(c * a for a in x), y) for x, y in obs))
    permuted = _network(widths, loss, tuple(obs[i] for i in order))
    # premise g = Σ ℓ′(0; y_i) x_i: scaled by c, and independent of the order of the sum
    g0 = theorem_g_premise(f)
    assert theorem_g_premise(scaled) == [c * gi for gi in g0]
    assert theorem_g_premise(permuted) == g0
    verdict = _theorem_g_summary(f)
    assert _theorem_g_summary(scaled) == verdict
    assert _theorem_g_summary(permuted) == verdict
    assert verdict[0] == ("refuted" if any(gi != 0 for gi in g0) else "not refuted")
    # On the curve (W1 = W2 = 0, W_l = t) φ fixes the point and only the (W1, W2) Hessian block
    # is non-zero, so ‖∇f'‖ = ‖∇f‖ = 0 and ‖∇²f'‖_F = |c| ‖∇²f‖_F; the order of the data changes
    # nothing. Engine balls at 40 digits: rounding 10^-30 relative.
    k12 = widths[0] * widths[1] + widths[1]
    for t in (1, 7):
        W = [0] * k12 + [t] * (f.n - k12)
        with mp.workdps(40):
            tol = mp.mpf(10) ** -30
            hf = f.hess_norm(W, 40)
            assert f.grad_norm(W, 40) == 0 and scaled.grad_norm(W, 40) == 0
            assert abs(scaled.hess_norm(W, 40) - abs(c) * hf) <= tol * (1 + hf)
            assert abs(permuted.hess_norm(W, 40) - hf) <= tol * (1 + hf)


@given(data=st.data())
@_fewer(8)
def test_permuting_observations_changes_no_norm(data):
    widths, loss, obs = data.draw(networks(), label="network")
    order = data.draw(st.permutations(range(len(obs))), label="order")
    f = _network(widths, loss, obs)
    g = _network(widths, loss, tuple(obs[i] for i in order))
    W = list(data.draw(points(f.n, 3), label="weights"))
    with mp.workdps(40):
        tol = mp.mpf(10) ** -30  # sums over observations in another order, at 40 digits
        for a, b in [(f.value(W, 40), g.value(W, 40)), (f.grad_norm(W, 40), g.grad_norm(W, 40)),
                     (f.hess_norm(W, 40), g.hess_norm(W, 40)),
                     (f.hess_norm(W, 40, "spectral"), g.hess_norm(W, 40, "spectral"))]:
            assert abs(a - b) <= tol * (1 + abs(a)), (a, b)


# ---------------------------------------------------------------------------------------
# Deliberately broken implementations: each must be caught by the properties above
# ---------------------------------------------------------------------------------------
MUTANT_SETTINGS = settings(max_examples=300, database=None, derandomize=True, deadline=None,
                           phases=[Phase.generate], suppress_health_check=list(HealthCheck))


def _caught(strategy, run) -> object:
    """Hypothesis finds an instance on which the property, run with the mutant, fails."""
    def fails(example):
        try:
            run(example)
        except AssertionError:
            return True
        return False

    return find(strategy, fails, settings=MUTANT_SETTINGS)


def endpoints_only_c0(f, x1, x2, rho, C1):
    """BROKEN: checks the Hessian growth only at the end points, not along the segment."""
    worst = mp.mpf(0)
    with mp.workdps(30):
        for x in (x1, x2):
            h, g = f.hess_norm(x, 30, "spectral"), f.grad_norm(x, 30)
            power = 1 if rho == 0 else mp.power(g, mp.mpf(rho.numerator) / rho.denominator)
            bound = mp.mpf(C1.numerator) / C1.denominator * power
            worst = max(worst, h - bound)
        return Fraction(math.ceil(Fraction(mp.nstr(worst, 25)) * 1000), 1000)


@pytest.mark.slow
def test_mutant_c0_from_the_endpoints_only_is_caught():
    # Typically the end points have large gradients (so C1‖∇f‖^ρ absorbs the Hessian there)
    # while ∇f vanishes inside the segment, where the Hessian is then unbounded by C1‖∇f‖^ρ.
    strategy = st.tuples(objectives(2), st.data(), st.sampled_from([2, 3]).map(Fraction), st.integers(2, 4).map(Fraction))

    def run(example):
        family, data, rho, C1 = example
        x1, x2 = data.draw(points(len(family.names), 3)), data.draw(points(len(family.names), 3))
        check_hessian_criterion(family, x1, x2, rho, C1, c0_rule=endpoints_only_c0)

    example = _caught(strategy, run)
    assert example is not None


def _spectral_without_sqrt(H):
    """BROKEN: 'spectral norm' that forgets the square root of Σ H_ij² (and the max)."""
    return mp.fsum(v * v for row in H for v in row)


def _spectral_max_diagonal(H):
    """BROKEN: 'spectral norm' as the largest diagonal entry."""
    return max(abs(H[i][i]) for i in range(len(H)))


@pytest.mark.slow
@pytest.mark.parametrize("mutant", [_spectral_without_sqrt, _spectral_max_diagonal])
def test_mutant_spectral_norms_are_caught(mutant):
    strategy = objectives(2).flatmap(lambda fam: st.tuples(st.just(fam), points(len(fam.names), 3),
                                                           directions(len(fam.names))))
    assert _caught(strategy, lambda e: check_difference_quotients(e[0], e[1], e[2], spectral=mutant))


def _reversed_gradient(family):
    f = family.objective
    return lambda x, dps: list(reversed(f.grad(x, dps)))


def _diagonal_hessian(family):
    f = family.objective

    def hess(x, dps):
        H = f.hess(x, dps)
        return [[H[i][j] if i == j else H[i][j] * 2 for j in range(len(H))] for i in range(len(H))]

    return hess


@pytest.mark.slow
def test_mutant_gradient_in_the_wrong_variable_order_is_caught():
    strategy = objectives(3).flatmap(lambda fam: st.tuples(st.just(fam), points(len(fam.names), 4)))
    assert _caught(strategy, lambda e: check_finite_differences(e[0], e[1], gradient=_reversed_gradient(e[0])))


@pytest.mark.slow
def test_mutant_hessian_with_doubled_off_diagonal_is_caught():
    strategy = objectives(3).flatmap(lambda fam: st.tuples(st.just(fam), points(len(fam.names), 4)))
    assert _caught(strategy, lambda e: check_finite_differences(e[0], e[1], hessian=_diagonal_hessian(e[0])))


@pytest.mark.slow
def test_mutant_ball_that_drops_its_radius_is_caught():
    def midpoint_only(f):
        def norms(point):
            g, h = f.ball_norms(point)
            return arb(g.mid()), arb(h.mid())
        return norms

    strategy = objectives(3).flatmap(lambda fam: st.tuples(st.just(fam), points(len(fam.names), 6)))
    assert _caught(strategy, lambda e: check_ball_enclosure(e[0].objective, e[1],
                                                            ball_norms=midpoint_only(e[0].objective)))


@pytest.mark.slow
def test_mutant_weighted_gradient_norm_is_caught_by_relabelling():
    def weighted(obj, x, dps):  # BROKEN: ‖g‖ with weights depending on the variable's position
        return mp.sqrt(mp.fsum((k + 1) * v * v for k, v in enumerate(obj.grad(x, dps))))

    strategy = objectives(3).flatmap(lambda fam: st.tuples(
        st.just(fam), pairs(len(fam.names), 4), relabellings(len(fam.names))))
    assert _caught(strategy, lambda e: check_relabelling(e[0].objective, e[1][0], e[1][1], e[2][0], e[2][1],
                                                         Fraction(1), grad_norm=weighted))
