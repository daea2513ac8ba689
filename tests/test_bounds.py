"""dlnsmooth.bounds: rigorous ball bounds of r_ρ = |f″|/(1 + |f′|^ρ) — the enclosure at a point or a
box, branch and bound on an interval, the compact bound on [−R, R], the tails (whole line,
compactifying substitutions, periodic factors enclosed by [−1, 1]) and the numeric guard of a
simplification. Every figure is compared with a value known in closed form."""

import time

import mpmath as mp
import pytest
import sympy as sp
from flint import arb, fmpq

import dlnsmooth.bounds as bounds_module
from dlnsmooth.bounds import (
    PROOF_RADIUS,
    BoundProof,
    PeriodicBallFunction,
    RatioBounds,
    branch_and_bound,
    compact_bound,
    compactifying_substitutions,
    prove_pointwise_bound,
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


def test_same_function_never_hangs_on_a_huge_argument():
    """sin(exp(1/u²)) at u = u₀/1000: mpmath would reduce exp(1.6·10⁷) modulo π with millions of
    digits; in balls the value is just not resolved, so the guard says "not confirmed" at once."""
    u = sp.Symbol("u", positive=True)
    expression = sp.sin(sp.exp(1 / u**2))
    start = time.perf_counter()
    assert not same_function(expression, expression, u, R(1, 4))
    assert time.perf_counter() - start < 5


# -- proofs of |f″| ≤ C0 + C1|f′|^ρ on all of R ------------------------------------------------------------
def _f(expression: str) -> Objective:
    return Objective.from_string(expression, "x")


# (expression, ρ, C0, C1): true claims, each proved; the sup of r_ρ is in the comment
PROVABLE = [
    ("x**4", "2/3", "4763/1000", "4763/1000"),           # sup r = 12/4^(2/3) ≈ 4.76220, the limit at ±∞
    ("x**4-100*x**2", "2/3", "401", "401"),              # f′(√50) = 0, f″(√50) = 400: the worst point, |x| > R
    ("x**2", "0", "1", "1"),                             # |f″| = 2 = C0 + C1 everywhere (equality is fine)
    ("log(1+exp(x))", "1/2", "1/5", "1/5"),              # f″ ≤ 1/4
    ("x**3", "1/2", "7/2", "7/2"),                       # sup r ≈ 6/√12 ≈ 1.732 at ∞ … well below
    ("x**4+sin(x)", "1", "5", "5"),                      # sin(1/u) on the tail enclosed by [−1, 1]
]
# (expression, ρ, C0, C1): false claims, each refuted at a witness
REFUTABLE = [
    ("x**4", "2/3", "476/100", "476/100"),               # just below sup r = 4.76220…, far out
    ("x**4-100*x**2", "2/3", "399", "399"),              # violated near √50 ≈ 7.07, outside [−R, R]
    ("x**4-100*x**2", "2/3", "210.1", "210.1"),          # the constants an earlier version printed
    ("x**2", "0", "1", "0.99"),                          # 2 > 1.99
    ("cos(x)", "0", "0.49", "0.5"),                      # |cos 0| = 1 > 0.99
    ("exp(x)", "1", "0.99", "0.99"),                     # e^x/(1 + e^x) → 1 > 0.99
]


@pytest.mark.parametrize("expression, rho, C0, C1", PROVABLE)
def test_true_pointwise_bounds_are_proved_region_by_region(expression, rho, C0, C1):
    proof = prove_pointwise_bound(_f(expression), rho, C0, C1, time_budget=20)
    assert isinstance(proof, BoundProof)
    assert proof.verdict == "holds", proof.report()
    assert proof.route and proof.witness is None
    if len(proof.route) > 1:  # the compact part and both tails, each said
        assert len(proof.route) == 3 and "x ≥ 4" in proof.route[1] and "x ≤ −4" in proof.route[2]
    assert (proof.C0, proof.C1, proof.rho) == (R(C0), R(C1), R(rho))
    data = proof.to_json()
    assert data["verdict"] == "holds" and data["route"] == proof.route
    assert "HOLDS" in proof.report()


@pytest.mark.parametrize("expression, rho, C0, C1", REFUTABLE)
def test_false_pointwise_bounds_are_refuted_at_an_exact_witness(expression, rho, C0, C1):
    """Negative controls: constants just below the true ones never come out proved."""
    f = _f(expression)
    proof = prove_pointwise_bound(f, rho, C0, C1, time_budget=20)
    assert proof.verdict == "refuted", proof.report()
    assert isinstance(proof.witness, sp.Rational)
    # the witness violates the inequality, checked independently in mpmath at 60 digits
    assert not HessianGrowth(rho, C0, C1).check_point(f, [proof.witness], dps=60).holds
    assert proof.to_json()["witness"] == sp.sstr(proof.witness)


def test_the_worst_point_outside_the_compact_part_is_found():
    proof = prove_pointwise_bound(_f("x**4-100*x**2"), "2/3", 399, 399, time_budget=20)
    assert proof.verdict == "refuted" and abs(proof.witness) > PROOF_RADIUS
    assert abs(float(proof.witness) ** 2 - 50) < 0.5


def test_a_bound_tight_at_infinity_is_not_claimed():
    # e^x ≤ 1 + e^x is true, but r_1 = e^x/(1 + e^x) → 1 = C: no ball proof can close the tail
    proof = prove_pointwise_bound(_f("exp(x)"), 1, 1, 1, time_budget=5)
    assert proof.verdict == "undecided" and "not proved" in proof.reason


def test_the_proof_ends_within_its_budget():
    start = time.perf_counter()
    proof = prove_pointwise_bound(_f("cos(x)"), 0, "1/2", "1/2", time_budget=2)  # tight at x = kπ
    assert proof.verdict == "undecided"
    assert time.perf_counter() - start < 2 + 6  # plus at most one simplification


def test_a_lying_box_check_is_what_the_proof_rests_on(monkeypatch):
    """Mutant: if every box were 'proved', false constants would come out holds — the proof has no
    other safeguard, so the univariate decision checks proved constants at sample points and the
    constants test audits them (tests/test_univariate_constants.py)."""
    monkeypatch.setattr(bounds_module._PointJudge, "box", lambda self, box: "holds")
    proof = prove_pointwise_bound(_f("x**4-100*x**2"), "2/3", 300, 300, time_budget=5)
    assert proof.verdict == "holds"  # the lie goes through here ...
    monkeypatch.undo()
    assert prove_pointwise_bound(_f("x**4-100*x**2"), "2/3", 300, 300, time_budget=20).verdict == "refuted"


def test_pointwise_bound_input_is_checked():
    with pytest.raises(ShapeError):
        prove_pointwise_bound(Objective.from_string("x*y", "x,y"), 1, 1, 1)
    with pytest.raises(ValueError):
        prove_pointwise_bound(_f("x**2"), 1, 1, 1, time_budget=0)
    with pytest.raises(ValueError):
        prove_pointwise_bound(_f("x**2"), 1, -1, 1)
