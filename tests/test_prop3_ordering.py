"""proofs/prop3_ordering.py: the computed evidence of Proposition 3, the exact certificates of
proofs/library.py it rests on, and mutants of the claim.

The proof runs once per session (``evidence``). The tests compare computed values with expected ones:
L(1) = 5·(√32)^(2/3) up to rounding (tight), every quotient below L(r) (upper bound), L(r) growing like
r² (monotone in r), and the same pair judged the same way whatever the order of its points
(metamorphic). Every mutant — exponents in the wrong order, a missing 1 +, unshifted constants, a
halved local constant — must be refuted by an exact point or a computed pair.
"""

import json

import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.numbers import ball_to_mpf, to_arb, to_rational
from dlnsmooth.objective import VectorField
from dlnsmooth.precision import working_precision
from proofs import prop3_ordering as p3

R = sp.Rational


@pytest.fixture(scope="session")
def evidence():
    return p3.compute()


@pytest.fixture(scope="session")
def report(evidence):
    return p3.render(evidence)


@pytest.fixture(scope="module")
def field():
    return p3.example_field()


def test_every_part_holds(evidence, report):
    assert report.verdict == "holds", report.report()
    assert len(evidence.grid.decisions) == 55 and evidence.grid.status is True
    assert evidence.shifted == (5, 5) and all(status is True for _, status, _ in evidence.steps)
    example = evidence.example
    assert example.premise[0] is True
    assert [r.rho2 for r in example.implications] == list(p3.RHO2_GRID)
    assert all(r.status is True for r in example.implications)
    assert [c.status for c in example.strict_controls] == [False] * 5
    assert [(check.holds, ball) for _, check, ball in example.cross_check] == [(False, False), (True, True)]
    assert len(evidence.local) == len(p3.RADII) and all(row.local.status is True for row in evidence.local)
    assert evidence.growth == [True] * (len(p3.RADII) - 1)


def test_the_local_constant_is_tight_at_r_1(evidence):
    # L(1) = 5·sup_{[−1,1]²} ‖(4x³, 4y³)‖^(2/3) = 5·(√32)^(2/3) = 15.874…; the value at (1, 0) is 5·4^(2/3)
    row = next(r for r in evidence.local if r.radius == 1)
    exact = 5 * 32 ** (1 / 3)
    assert exact <= float(ball_to_mpf(row.L)) < exact * (1 + 1e-7)  # a guaranteed upper bound, nearly attained
    assert abs(float(ball_to_mpf(row.lower)) - 5 * 4 ** (2 / 3)) < 1e-12


def test_every_sampled_quotient_is_below_the_local_constant(evidence):
    for row in evidence.local:
        q, _ = row.local.largest()
        assert q.upper() <= row.L and row.lower <= row.L
        assert all(side.lhs_upper <= row.L for side in row.local.sides)


def test_the_local_constant_grows_like_r_squared(evidence):
    values = [float(ball_to_mpf(row.L)) for row in evidence.local]
    assert all(abs(b / a - 4) < 1e-9 for a, b in zip(values, values[1:]))  # radii double: ‖D‖^ρ ~ r²


def test_the_margin_of_the_shifted_constants_is_positive(evidence):
    margins = [float(ball_to_mpf(r.margin())) for r in evidence.example.implications]
    assert all(m > 1 for m in margins)
    assert 1.15 < margins[0] < 1.16  # ρ2 = ρ1: the closest pair


def test_a_pair_is_judged_the_same_in_either_order(field):
    pairs = [((R(0), R(0)), (R(1, 1000), R(0))), ((R(1), R(2)), (R(3), R(-1)))]
    swapped = [(q, p) for p, q in pairs]
    for rho, constants in ((R(3, 4), (0, 5)), (R(3, 4), (5, 5))):
        forward = p3.pair_sides(field, pairs, rho, *constants)
        backward = p3.pair_sides(field, swapped, rho, *constants)
        assert [s.verdict for s in forward] == [s.verdict for s in backward]
        assert all(a.lhs.overlaps(b.lhs) for a, b in zip(forward, backward))


def test_the_report_renders_and_serialises(report):
    payload = json.loads(report.to_json_text())
    assert payload["name"] == "prop3" and payload["verdict"] == "holds"
    assert all(c["verdict"] == "holds" for c in payload["checks"])
    # + the spot check of the proved certificates and the two negative controls
    assert len(payload["checks"]) == 3 + len(p3.RHO2_GRID) + 2 + len(p3.RADII) + 1 + 1 + 2
    assert [c["name"] for c in payload["checks"][-2:]] == [
        "negative control of the exact non-negativity certificate (a ≥ 0)",
        "negative control of the condition catalogue (dlnsmooth.conditions)"]


# -- the exact certificates (proofs.library.nonnegativity_certificate)

def test_inequality_certificates_prove_the_grid_and_are_exact():
    for r1, r2 in [(0, 0), (0, R(1, 2)), (R(1, 3), R(5, 2)), (R(2, 3), 1), (3, 3)]:
        decision = p3.inequality_certificate(r1, r2)
        assert decision.status is True
        assert all(piece.method == "coefficients" for piece in decision.pieces)


@pytest.mark.parametrize("args", [(1, R(1, 2)),  # ρ1 > ρ2
                                  (R(51, 100), R(1, 2)),  # ρ1 just above ρ2
                                  (R(1, 3), 2, 0),  # without the 1 +
                                  (0, R(1, 2), R(1, 2)),  # 1/2 instead of 1
                                  (R(1, 2), 1, R(1, 5))])  # sup(√a − a) = 1/4 > 1/5
def test_mutant_inequalities_are_refuted_by_an_exact_point(args):
    decision = p3.inequality_certificate(*args)
    assert decision.status is False
    a, value = decision.counterexample()
    rho1, rho2 = sp.Rational(args[0]), sp.Rational(args[1])
    c = sp.Rational(args[2]) if len(args) > 2 else 1
    a = a.doit()
    direct = c + a**rho2 - a**rho1  # recomputed from scratch, exactly
    assert direct.is_negative and sp.simplify(direct - value) == 0


def test_a_true_inequality_beyond_the_coefficient_test_is_proved_by_real_roots():
    decision = p3.inequality_certificate(R(1, 2), 1, R(1, 4))  # √a ≤ 1/4 + a, equality at a = 1/4
    assert decision.status is True
    assert decision.pieces[0].method == "real roots" and decision.pieces[0].roots == 1


# -- mutants

def test_mutant_unshifted_constants_are_refuted_by_a_computed_pair(field):
    pairs = p3.example_pairs()
    C0, C1 = p3.EXAMPLE_CONSTANTS
    right = p3.check_implication(field, pairs, p3.EXAMPLE_RHO1, (C0, C1), R(3, 4), (C0 + C1, C1))
    assert right.status is True
    wrong = p3.check_implication(field, pairs, p3.EXAMPLE_RHO1, (C0, C1), R(3, 4), (C0, C1))
    assert wrong.status is False
    (x1, x2), sides, what = wrong.refuting_pair()
    assert what == "conclusion" and sides.refuted
    # recomputed exactly: D = (4x³, 4y³) on the pair (0, 0), (h, 0) has ‖ΔD‖/‖Δx‖ = 4h² and max_θ ‖D‖ = 4h³
    assert x1 == (0, 0) and x2[1] == 0
    h = x2[0]
    assert 4 * h**2 > C0 + C1 * (4 * h**3) ** R(3, 4)
    with working_precision(40):
        assert to_arb(4 * h**2) > sides.rhs


@pytest.mark.slow
def test_mutant_shift_in_verify_is_refuted():
    evidence = p3.compute(shift=lambda C0, C1: (C0, C1))
    assert [s for _, s, _ in evidence.steps] == [False] * len(p3.RHO2_GRID)  # C0 + C1(1 + M^ρ2) > C0 + C1 M^ρ2
    statuses = {r.rho2: r.status for r in evidence.example.implications}
    assert statuses[R(2, 3)] is True  # ρ2 = ρ1: (C0, C1) is the premise itself
    assert all(statuses[r] is False for r in p3.RHO2_GRID[1:])
    assert p3.render(evidence).verdict == "refuted"


def test_mutant_premise_constant_is_refuted():
    status, text = p3.premise_certificate(p3.example_objective(), R(2, 3), 0, 4)  # 4·4^(2/3) < 12
    assert status is False and "REFUTED" in text
    status, _ = p3.premise_certificate(p3.example_objective(), R(2, 3), 0, 5)
    assert status is True


def test_local_constant_is_an_upper_bound_and_a_smaller_one_fails(field):
    with working_precision(40):
        L = p3.local_constant_upper(field, R(2, 3), 0, 5, 1)
        lower = p3.local_constant_lower(field, R(2, 3), 0, 5, (1, 0))
    assert L.is_exact() and L >= lower and 15.87 < float(L.mid()) < 15.88
    good = p3.check_local_constant(field, 1, L, p3.ball_pairs(1))
    assert good.status is True
    q, _ = good.largest()
    too_small = p3.check_local_constant(field, 1, R(9, 10) * to_rational(ball_to_mpf(q.lower())),
                                        p3.ball_pairs(1))
    assert too_small.status is False
    with pytest.raises(ValueError, match="outside the ball"):
        p3.check_local_constant(field, 1, L, [((1, 1), (0, 0))])


@pytest.mark.slow
def test_mutant_local_constant_in_verify_is_refuted():
    evidence = p3.compute(local_constant=lambda D, rho, C0, C1, r: p3.local_constant_upper(D, rho, C0, C1, r) / 2,
                          radii=(R(1), R(2)))
    assert [row.local.status for row in evidence.local] == [False, False]
    assert p3.render(evidence).verdict == "refuted"


def test_the_remembering_field_gives_the_plain_fields_balls(field):
    plain = p3.example_objective().gradient_field
    box = [arb(fmpq(1, 3), fmpq(1, 8)), arb(fmpq(-2, 1), fmpq(1, 1024))]
    for precision in (40, 60):
        with working_precision(precision):
            for point in (box, [R(1, 3), R(-2)], box):  # the box twice: the second answer is remembered
                remembered, computed = field.ball(point), plain.ball(point)
                assert all(a.mid() == b.mid() and a.rad() == b.rad() for a, b in zip(remembered, computed))
    assert field([R(1, 3), R(-2)], 30) == plain([R(1, 3), R(-2)], 30)


def test_box_enclosures_contain_sampled_values():
    # the example's field on boxes (x ranges over a ball containing 0 for the first two)
    x = sp.Symbol("x", real=True)
    D = VectorField([x**2, x**3, x**-2, 4 * x**3 + x**6], [x])
    exact = VectorField([x**2, x**3, 4 * x**3 + x**6], [x])
    with working_precision(30):
        for mid, rad in [(0, 2), (R(1, 3), 1), (-1, R(1, 2)), (3, R(1, 10))]:
            box = arb(fmpq(int(R(mid).p), int(R(mid).q)), fmpq(int(R(rad).p), int(R(rad).q)))
            values = D.ball([box])
            assert all(v.is_finite() for v in values[:2]) and values[3].is_finite()
            for k in range(11):
                t = R(mid) - R(rad) + 2 * R(rad) * R(k, 10)
                point = exact.ball([t])
                assert values[0].contains(point[0]) and values[1].contains(point[1]) and values[3].contains(point[2])
