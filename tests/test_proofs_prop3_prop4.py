"""proofs/prop3_ordering and proofs/prop4_strictness: reports, JSON, and mutants of each claim."""

import json

import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.balls import ArbProgram
from dlnsmooth.precision import working_precision
from proofs import prop3_ordering as p3
from proofs import prop4_strictness as p4

R = sp.Rational


# ======================================================================================
# Proposition 3
# ======================================================================================
@pytest.fixture(scope="module")
def prop3_report():
    return p3.verify()


@pytest.fixture(scope="module")
def field():
    return p3.BallField(p3.example_objective().gradient_field)


def test_prop3_is_verified_with_every_promised_check(prop3_report):
    assert prop3_report.verdict == "holds", prop3_report.report()
    names = [c.name for c in prop3_report.checks]
    assert any(n.startswith("a^ρ1 ≤ 1 + a^ρ2") for n in names)
    assert any(n.startswith("step:") for n in names)
    assert any(n.startswith("example premise") for n in names)
    assert sum(n.startswith("ρ2 = ") for n in names) == len(p3.RHO2_GRID)
    assert any(n.startswith("control: the unshifted") for n in names)
    assert any(n.startswith("cross-check") for n in names)
    assert sum(n.startswith("r = ") for n in names) == len(p3.RADII)
    assert any(n.startswith("L(r) grows") for n in names)
    text = prop3_report.report()
    assert "55/55 pairs (ρ1, ρ2) proved on both pieces" in text
    assert "refuted for 5/5 values of ρ2 > 2/3" in text
    assert "L(1) ≤ 15.8741" in text  # 5·(√32)^(2/3) = 15.874..., rounded up
    assert "identity verified symbolically" in prop3_report.evidence_kind
    assert "instances checked numerically" in prop3_report.evidence_kind
    assert "Verdict: VERIFIED" in text


def test_prop3_main_json(capsys):
    assert p3.main(["--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "prop3" and payload["verdict"] == "holds"
    assert all(c["verdict"] == "holds" for c in payload["checks"])


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


def test_mutant_unshifted_constants_are_refuted_by_a_computed_pair(field):
    pairs = p3.example_pairs()
    C0, C1 = p3.EXAMPLE_CONSTANTS
    right = p3.check_implication(field, pairs, p3.EXAMPLE_RHO1, (C0, C1), R(3, 4), (C0 + C1, C1))
    assert right.status is True
    wrong = p3.check_implication(field, pairs, p3.EXAMPLE_RHO1, (C0, C1), R(3, 4), (C0, C1))
    assert wrong.status is False
    evidence, text = wrong.refuting_pair()
    assert "conclusion refuted" in text
    with working_precision(40):  # the quotient really exceeds the right side's upper bound
        assert evidence.quotient > p3.to_arb(C0) + p3.to_arb(C1) * p3.power(evidence.max_upper, R(3, 4))


def test_mutant_shift_in_verify_fails():
    report = p3.verify(shift=lambda C0, C1: (C0, C1))
    assert report.verdict == "refuted"
    failed = {c.name for c in report.checks if c.verdict == "refuted"}
    assert any(n.startswith("step:") for n in failed)
    assert any(n.startswith("ρ2 = 3/4") for n in failed)
    assert not any(n.startswith("ρ2 = 2/3") for n in failed)  # ρ2 = ρ1: (C0, C1) is the premise itself


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
    too_small = p3.check_local_constant(field, 1, q.lower() * arb(fmpq(9, 10)), p3.ball_pairs(1))
    assert too_small.status is False
    with pytest.raises(ValueError, match="outside the ball"):
        p3.check_local_constant(field, 1, L, [((1, 1), (0, 0))])


def test_mutant_local_constant_in_verify_fails():
    report = p3.verify(local_constant=lambda f, rho, C0, C1, r: p3.local_constant_upper(f, rho, C0, C1, r) / 2,
                       radii=(R(1), R(2)))
    assert report.verdict == "refuted"
    assert [c.verdict for c in report.checks if c.name.startswith("r = ")] == ["refuted", "refuted"]


def test_box_powers_enclose_sampled_values():
    x = sp.Symbol("x", real=True)
    program = p3._BoxProgram([x**2, x**3, x**-2, 4 * x**3 + x**6], [x])
    with working_precision(30):
        for mid, rad in [(0, 2), (R(1, 3), 1), (-1, R(1, 2)), (3, R(1, 10))]:
            box = arb(fmpq(int(R(mid).p), int(R(mid).q)), fmpq(int(R(rad).p), int(R(rad).q)))
            values = program.evaluate([box])
            assert all(v.is_finite() for v in values[:2]) and values[3].is_finite()
            for k in range(11):
                t = R(mid) - R(rad) + 2 * R(rad) * R(k, 10)
                exact = ArbProgram([x**2, x**3, 4 * x**3 + x**6], [x]).evaluate([t])
                assert values[0].contains(exact[0]) and values[1].contains(exact[1]) and values[3].contains(exact[2])


# ======================================================================================
# Proposition 4
# ======================================================================================
@pytest.fixture(scope="module")
def prop4_report():
    return p4.verify()


def test_prop4_is_verified_with_every_promised_check(prop4_report):
    assert prop4_report.verdict == "holds", prop4_report.report()
    assert prop4_report.evidence_kind == "witness verified exactly"
    names = [c.name for c in prop4_report.checks]
    for rho in p4.RHOS:
        assert any(n.startswith(f"ρ = {rho}: f″ ≤ C0 + C1|f′|^ρ") for n in names)
        assert f"ρ = {rho}: f′ not globally Lipschitz (f″ unbounded)" in names
    assert any(n.startswith("f ∈ C²(R)") for n in names)
    for rho in p4.EXP_RHOS:
        assert any(n.startswith(f"eˣ, ρ = {rho}: eˣ ≤ 1 + 1·(eˣ)^ρ") for n in names)
    text = prop4_report.report()
    assert "lim_(x→∞) f″ = ∞" in text and "Symmetry" in text
    assert any(r < 1 and r.q > 1 for r in p4.RHOS)  # fractions in the grid


def test_prop4_main_json(capsys):
    assert p4.main(["--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "prop4" and payload["verdict"] == "holds"
    assert payload["evidence_kind"] == "witness verified exactly"


def test_spec_constants_give_the_cancelling_form():
    # C1 (f′)^ρ = (2+ρ)(1+ρ) x^(ρ+ρ²) exactly: the certificate's polynomial has rational coefficients
    result = p4.growth_certificate(p4.power_witness(R(1, 3)), R(1, 3), *p4.spec_constants(R(1, 3)))
    assert result.status is True
    assert result.certificate.Q == 9 and result.certificate.coefficients == {0: R(28, 9), 3: R(-28, 9), 4: R(28, 9)}


def test_mutant_C1_times_nine_tenths_fails_for_a_small_rho():
    def constants(rho):
        C0, C1 = p4.spec_constants(rho)
        return C0, C1 * R(9, 10)

    report = p4.verify(constants=constants, rhos=(R(1, 100), R(1, 2), 2), exp_rhos=())
    assert report.verdict == "refuted"
    failed = [c for c in report.checks if c.verdict == "refuted"]
    # ρ^ρ/(1+ρ)^(1+ρ) > 9/10 only for small ρ: the spec's C1 is nearly sharp there
    assert [c.name.split(":")[0] for c in failed] == ["ρ = 1/100"] and "REFUTED" in failed[0].detail
    # the violation is real: recompute f″ and C0 + C1 f′^ρ in balls at x = u^Q
    rho = R(1, 100)
    result = p4.growth_certificate(p4.power_witness(rho), rho, *constants(rho))
    point, _ = result.certificate.counterexample()
    f = p4.power_witness(rho)
    f1, f2 = sp.diff(f, p4.X), sp.diff(f, p4.X, 2)
    C0, C1 = constants(rho)
    program = ArbProgram([f2, C0 + C1 * f1**rho], [p4.X])
    with working_precision(60):
        x = arb(fmpq(int(point.base.p), int(point.base.q))) ** int(point.exp)
        lhs, rhs = program.evaluate([x])
        assert lhs > rhs


@pytest.mark.parametrize("scale", [0, R(1, 10)])
def test_mutant_smaller_C0_fails(scale):
    def constants(rho):
        C0, C1 = p4.spec_constants(rho)
        return C0 * scale, C1

    report = p4.verify(constants=constants, rhos=(R(1, 3), 1), exp_rhos=())
    assert report.verdict == "refuted"
    growth = [c for c in report.checks if "f″ ≤ C0 + C1|f′|^ρ" in c.name]
    assert growth and all(c.verdict == "refuted" for c in growth)


@pytest.mark.parametrize("rho", [R(1, 2), R(9, 10)])
def test_mutant_exp_below_one_fails(rho):
    result = p4.exp_growth_certificate(rho)
    assert result.status is False
    report = p4.verify(rhos=(), exp_rhos=(rho,))
    assert report.verdict == "refuted"
    assert all(c.verdict == "refuted" for c in report.checks)  # both the inequality and the bounded ratio


def test_mutant_x_squared_is_globally_lipschitz():
    report = p4.verify(witness=lambda rho: p4.X**2, rhos=(R(1, 2),), exp_rhos=())
    assert report.verdict == "refuted"
    by_name = {c.name: c.verdict for c in report.checks}
    assert by_name["ρ = 1/2: f′ not globally Lipschitz (f″ unbounded)"] == "refuted"
    limits = p4.symbolic_limits(p4.X**2)
    assert p4.check_not_globally_lipschitz(limits)[0] is False
    assert p4.check_c2_at_zero(limits)[0] is True


def test_undecidable_limits_are_undecided_not_passed():
    assert p4.check_not_globally_lipschitz("symbolic limits timeout: gave up")[0] is None
    assert p4.check_c2_at_zero("symbolic limits timeout: gave up")[0] is None
