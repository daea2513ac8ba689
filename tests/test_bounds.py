"""dlnsmooth.bounds: rigorous ball bounds of r_ρ = |f″|/(1 + |f′|^ρ) — the enclosure at a point or a
box, branch and bound on an interval, the compact bound on [−R, R], the tails (whole line,
compactifying substitutions, periodic factors enclosed by [−1, 1]) and the numeric guard of a
simplification. Every figure is compared with a value known in closed form."""

import time

import mpmath as mp
import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.bounds import (
    PeriodicBallFunction,
    RatioBounds,
    branch_and_bound,
    compact_bound,
    compactifying_substitutions,
    same_function,
    tail_bound,
    whole_line_bound,
)
from dlnsmooth.conditions import HessianGrowth
from dlnsmooth.errors import ShapeError
from dlnsmooth.numbers import ball_to_mpf, to_arb
from dlnsmooth.objective import Objective
from dlnsmooth.precision import working_precision

R = sp.Rational
QUARTIC_SUP = 12 / mp.power(4, mp.mpf(2) / 3)  # sup r_{2/3} of x⁴, the limit at ±∞ (not attained)


def quartic_ratio(x: mp.mpf) -> mp.mpf:
    """r_{2/3} of x⁴ in closed form: 12x²/(1 + (4|x|³)^(2/3))."""
    return 12 * x**2 / (1 + mp.power(4 * abs(x) ** 3, mp.mpf(2) / 3))


@pytest.fixture(scope="module")
def quartic():
    return Objective.from_string("x**4", "x")


# -- enclosures of r_ρ ------------------------------------------------------------------------------------
def test_ratio_bounds_enclose_the_closed_form_tightly(quartic):
    bounds = RatioBounds(quartic, "2/3")
    assert isinstance(bounds.condition, HessianGrowth)  # the inequality comes from the catalogue, built once
    assert (bounds.condition.rho, bounds.condition.C0, bounds.condition.C1) == (R(2, 3), 1, 1)
    for x in (R(1), R(-3, 2), R(7)):
        with working_precision(80):
            exact = to_arb(12 * x**2 / (1 + (4 * abs(x) ** 3) ** R(2, 3)))  # a ball of width ~10⁻⁸⁰
        with working_precision(40):
            low, high = bounds.enclose(x)
        assert low <= exact <= high  # certain comparisons of balls
        assert high - low < arb(10) ** -30  # tight at a point
    with working_precision(40):
        low, high = bounds.enclose(0)  # f′ = f″ = 0: r = 0 exactly
        assert low == 0 and high == 0


def test_ratio_bounds_over_a_box_bound_every_point_of_it(quartic):
    bounds = RatioBounds(quartic, "2/3")
    with working_precision(30):
        upper = bounds.upper(arb(0).union(arb(2)))
    samples = [quartic_ratio(mp.mpf(k) / 50) for k in range(101)]
    assert max(samples) <= ball_to_mpf(upper) < 100  # an exact upper end, finite and not absurd


def test_ratio_bounds_of_exp_at_rho_one():
    bounds = RatioBounds(Objective.from_string("exp(x)", "x"), 1)  # r_1 = eˣ/(1 + eˣ)
    with working_precision(30):
        low, high = bounds.enclose(0)
        assert low <= arb(1) / 2 <= high


def test_ratio_bounds_need_one_variable():
    with pytest.raises(ShapeError, match="2 variables"):
        RatioBounds(Objective.from_string("x*y", "x,y"), 1)


# -- branch and bound ---------------------------------------------------------------------------------------
def _parabola_bound(**options):
    """g(x) = x(1 − x) on [0, 1]: sup 1/4 at x = 1/2."""
    return branch_and_bound(lambda box: (box * (1 - box)).upper(), lambda point: arb(point) * (1 - arb(point)),
                            fmpq(0), fmpq(1), **options)


def test_branch_and_bound_brackets_a_known_supremum():
    with working_precision(30):
        bound = _parabola_bound(pieces=8, tolerance=0.001)
    assert bound.lower <= mp.mpf("0.25") <= bound.upper
    assert bound.upper - mp.mpf("0.25") <= mp.mpf("0.001")  # tight to the tolerance
    assert abs(bound.argmax - mp.mpf("0.5")) < mp.mpf("0.01")
    assert bound.boxes >= 8 and bound.evaluations >= 16


def test_branch_and_bound_upper_is_rigorous_even_when_stopped_early():
    with working_precision(30):
        bound = _parabola_bound(pieces=2, max_evaluations=4)  # no splitting at all
    assert bound.upper >= mp.mpf("0.25") and bound.evaluations == 4


def test_branch_and_bound_finds_a_supremum_at_an_endpoint():
    with working_precision(30):
        bound = branch_and_bound(lambda box: (box * box).upper(), lambda point: arb(point) ** 2, fmpq(-1), fmpq(2),
                                 pieces=6, tolerance=0.001)
    assert bound.lower <= 4 <= bound.upper <= mp.mpf("4.01")
    assert bound.argmax > mp.mpf("1.9")


def test_branch_and_bound_reports_an_unbounded_box_as_infinite():
    def upper_of(box: arb) -> arb:
        return arb("inf") if box.contains(0) else (1 / abs(box)).upper()

    with working_precision(30):
        bound = branch_and_bound(upper_of, lambda point: arb(0), fmpq(-1), fmpq(1), pieces=4, max_evaluations=40)
    assert bound.upper == mp.inf


def test_branch_and_bound_respects_its_deadline():
    start = time.perf_counter()
    with working_precision(30):
        bound = _parabola_bound(pieces=4, tolerance=1e-12, deadline=start)
    assert bound.evaluations == 8 and bound.upper >= mp.mpf("0.25")  # only the first boxes


# -- the compact bound and the tails --------------------------------------------------------------------------
def test_compact_bound_of_the_quartic_is_tight_and_rigorous_everywhere(quartic):
    bound = compact_bound(quartic, R(2, 3), R(4), limit_budget=10, time_budget=6)
    on_compact = quartic_ratio(mp.mpf(4))  # r_{2/3} increases with |x|: the sup on [−4, 4] is at ±4
    assert bound.lower <= on_compact <= bound.upper <= on_compact * mp.mpf("1.01")
    assert abs(abs(bound.argmax) - 4) < mp.mpf("0.1")
    assert bound.rigorous_everywhere
    for tail in bound.tails:  # the tails reach the sup at ±∞ (x = ±1/u: u ∈ [0, 1/4])
        assert tail.rigorous and "1/u" in tail.method
        assert QUARTIC_SUP <= tail.upper <= QUARTIC_SUP * mp.mpf("1.02")
    assert [t.sign for t in bound.tails] == [1, -1]


def test_whole_line_bound_encloses_a_bounded_second_derivative():
    f = Objective.from_string("x**2 + sin(x)", "x")  # r_0 = |2 − sin x|/2 ≤ 3/2, attained
    upper = whole_line_bound(RatioBounds(f, 0))
    assert upper is not None and mp.mpf("1.5") <= upper <= mp.mpf("1.5") + mp.mpf(10) ** -8  # [−1, 1] ∋ sin(±∞)
    assert whole_line_bound(RatioBounds(Objective.from_string("x**4", "x"), 1)) is None  # f″ unbounded on R


def test_tail_bound_with_a_periodic_factor_uses_the_enclosure_of_sin():
    f = Objective.from_string("x**4 + sin(x)", "x")  # r_1 → 0 at ±∞; sin(1/u) ⊂ [−1, 1] at u = 0
    tail = tail_bound(f, 1, 1, R(4), limit_budget=10, deadline=time.perf_counter() + 20)
    assert tail.rigorous and tail.upper is not None and tail.upper < 10
    with mp.workdps(30):  # and it bounds the sampled values of r_1 on x ≥ 4
        for x in ("4", "4.5", "7.25", "30", "1000"):
            derivative, second = 4 * mp.mpf(x) ** 3 + mp.cos(mp.mpf(x)), 12 * mp.mpf(x) ** 2 - mp.sin(mp.mpf(x))
            assert abs(second) / (1 + abs(derivative)) <= tail.upper


def test_tail_bound_without_a_compactifying_substitution_is_not_rigorous():
    f = Objective.from_string("exp(x**2)", "x")
    tail = tail_bound(f, 1, 2, R(4), limit_budget=5, deadline=time.perf_counter() + 15)
    assert not tail.rigorous and tail.upper is None


def test_compactifying_substitutions_cover_the_tail():
    u = sp.Symbol("u", positive=True)
    for sign in (1, -1):
        for radius in (R(4), R(1, 2), R(10)):
            for label, x_of_u, u0 in compactifying_substitutions(sign, radius, u):
                x0 = x_of_u.subs(u, u0)
                assert sign * x0 >= 0 and abs(x0) <= radius, label  # u = u₀ reaches |x| ≤ R …
                assert sp.limit(sign * x_of_u, u, 0, "+") == sp.oo  # … and u → 0 is x → ±∞
                values = [float(sign * x_of_u.subs(u, u0 * k / 10)) for k in range(1, 11)]
                assert values == sorted(values, reverse=True)  # monotone: (0, u₀] covers sign·x ≥ |x(u₀)|


# -- periodic factors and the simplification guard ---------------------------------------------------------
def test_periodic_factors_of_an_unbounded_argument_are_enclosed_by_minus_one_one():
    u = sp.Symbol("u", positive=True)
    with working_precision(30):
        box = arb(0).union(arb(fmpq(1, 10)))
        alone = PeriodicBallFunction(sp.sin(1 / u), u).ball(box)
        assert alone.contains(arb(1)) and alone.contains(arb(-1)) and abs(alone).upper() <= 1 + arb(10) ** -8
        damped = PeriodicBallFunction(u * sp.sin(1 / u) + u**2, u).ball(box)
        assert damped.contains(arb(0)) and abs(damped).upper() <= arb("0.12")
        assert PeriodicBallFunction(u**2 + 1, u).ball(arb(3)) == 10  # no periodic factor: exact
        inner = PeriodicBallFunction(sp.cos(u), u).ball(arb(0))  # a finite argument is evaluated
        assert inner == 1


def test_same_function_accepts_an_identity_and_rejects_a_change():
    u = sp.Symbol("u", positive=True)
    expression = (1 / u**2) ** 2 / (1 + 1 / u**2) ** 2
    assert same_function(expression, 1 / (1 + u**2) ** 2, u, R(1, 4))
    assert not same_function(expression, 1 / (1 + u**2), u, R(1, 4))
    assert not same_function(1 / u, sp.log(u - 1), u, R(1, 4))  # undefined at the checked points
