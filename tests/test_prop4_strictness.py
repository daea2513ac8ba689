"""proofs/prop4_strictness.py: the computed evidence of Proposition 4, and mutants of the claim.

The proof runs once per session (``evidence``). The tests compare computed values with the exact
ones: the certificate's polynomial for ρ = 1/3, f″ below its bound at every tabulated point (upper
bound), the bound equal to 2f″ at x = 1 (both of its terms equal f″ there: tight within a factor 2),
f″ growing with x (monotone), and the witness written in a needlessly complicated way giving the same
certificate (metamorphic). Every mutant — a smaller C1 or C0, eˣ below ρ = 1, the globally Lipschitz
x² as witness — must be refuted.
"""

import json

import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.objective import VectorField
from dlnsmooth.precision import working_precision
from proofs import prop4_strictness as p4

R = sp.Rational


@pytest.fixture(scope="session")
def evidence():
    return p4.compute()


@pytest.fixture(scope="session")
def report(evidence):
    return p4.render(evidence)


def test_every_witness_holds(evidence, report):
    assert report.verdict == "holds", report.report()
    assert report.evidence_kind == "witness verified exactly"
    assert [w.rho for w in evidence.witnesses] == list(p4.RHOS)
    for w in evidence.witnesses:
        assert w.growth.status is True and w.unbounded[0] is True and w.c2[0] is True, w.rho
        assert w.limits["f″ at ∞"] == sp.oo and w.limits["f′ at 0+"] == 0
        assert (w.growth.C0, w.growth.C1) == p4.spec_constants(w.rho)
    assert evidence.c2 is True
    assert [r.rho for r in evidence.exp] == list(p4.EXP_RHOS)
    assert all(r.growth.status is True and r.behaviour is True for r in evidence.exp)
    assert any(r < 1 and r.q > 1 for r in p4.RHOS)  # fractions in the grid


def test_spec_constants_give_the_cancelling_form():
    # C1 (f′)^ρ = (2+ρ)(1+ρ) x^(ρ+ρ²) exactly: the certificate's polynomial has rational coefficients
    result = p4.growth_certificate(p4.power_witness(R(1, 3)), R(1, 3), *p4.spec_constants(R(1, 3)))
    assert result.status is True
    assert result.certificate.Q == 9 and result.certificate.coefficients == {0: R(28, 9), 3: R(-28, 9), 4: R(28, 9)}


def test_f2_stays_below_its_bound_and_grows(evidence):
    assert not any(row.above for row in evidence.table)
    for rho in p4.TABLE_RHOS:
        rows = [r for r in evidence.table if r.rho == rho]
        assert [r.x for r in rows] == list(p4.TABLE_POINTS)
        assert rows[0].lhs == 0 and rows[0].rhs == p4.spec_constants(rho)[0]  # x = 0: f″ = 0, bound = C0
        balls = rows[1:]
        assert all(r.lhs.upper() <= r.rhs.lower() for r in balls)
        assert all(a.lhs.upper() < b.lhs.lower() for a, b in zip(balls, balls[1:]))  # f″ increases with x


def test_the_bound_at_x_1_is_twice_f2(evidence):
    # at x = 1: f″ = (2+ρ)(1+ρ) = C0 and C1 f′^ρ = (2+ρ)(1+ρ): the bound is exactly 2 f″
    for row in (r for r in evidence.table if r.x == 1):
        with working_precision(30):
            assert (row.rhs - 2 * row.lhs).contains(0)


def test_the_witness_written_differently_gives_the_same_certificate():
    rho = R(1, 2)
    plain = p4.growth_certificate(p4.power_witness(rho), rho, *p4.spec_constants(rho))
    twisted = p4.growth_certificate(p4.X**2 * sp.sqrt(p4.X), rho, *p4.spec_constants(rho))  # x^(5/2) as x²·√x
    assert plain.status is twisted.status is True
    assert plain.certificate.coefficients == twisted.certificate.coefficients


def test_the_report_renders_and_serialises(report):
    payload = json.loads(report.to_json_text())
    assert payload["name"] == "prop4" and payload["verdict"] == "holds"
    # + the table against the certificates, the spot check of the certificates, the two negative controls
    assert len(payload["checks"]) == 2 * len(p4.RHOS) + 1 + 2 * len(p4.EXP_RHOS) + 1 + 1 + 2
    assert sum("negative control" in c["name"] for c in payload["checks"]) == 2
    assert any(heading == "Symmetry" for heading, _ in report.sections)


def test_undecidable_limits_are_undecided_not_passed():
    assert p4.check_not_globally_lipschitz("symbolic limits timeout: gave up")[0] is None
    assert p4.check_c2_at_zero("symbolic limits timeout: gave up")[0] is None
    assert p4.check_ratio_bounded("symbolic limits timeout: gave up")[0] is None


# -- mutants

@pytest.mark.slow
def test_mutant_C1_times_nine_tenths_fails_for_a_small_rho():
    def constants(rho):
        C0, C1 = p4.spec_constants(rho)
        return C0, C1 * R(9, 10)

    evidence = p4.compute(constants=constants, rhos=(R(1, 100), R(1, 2), 2), exp_rhos=())
    # ρ^ρ/(1+ρ)^(1+ρ) > 9/10 only for small ρ: the spec's C1 is nearly sharp there
    assert [w.growth.status for w in evidence.witnesses] == [False, True, True]
    assert p4.render(evidence).verdict == "refuted"
    # the violation is real: recompute f″ and C0 + C1 f′^ρ in balls at the certificate's point x = u^Q
    rho = R(1, 100)
    point, _ = evidence.witnesses[0].growth.certificate.counterexample()
    f = p4.power_witness(rho)
    f1, f2 = sp.diff(f, p4.X), sp.diff(f, p4.X, 2)
    C0, C1 = constants(rho)
    sides = VectorField([f2, C0 + C1 * f1**rho], [p4.X])
    with working_precision(60):
        x = arb(fmpq(int(point.base.p), int(point.base.q))) ** int(point.exp)
        lhs, rhs = sides.ball([x])
        assert lhs > rhs


@pytest.mark.slow
@pytest.mark.parametrize("scale", [0, R(1, 10)])
def test_mutant_smaller_C0_fails(scale):
    def constants(rho):
        C0, C1 = p4.spec_constants(rho)
        return C0 * scale, C1

    evidence = p4.compute(constants=constants, rhos=(R(1, 3), 1), exp_rhos=())
    assert [w.growth.status for w in evidence.witnesses] == [False, False]
    assert p4.render(evidence).verdict == "refuted"


@pytest.mark.slow
@pytest.mark.parametrize("rho", [R(1, 2), R(9, 10)])
def test_mutant_exp_below_one_fails(rho):
    assert p4.exp_growth_certificate(rho).status is False
    evidence = p4.compute(rhos=(), exp_rhos=(rho,))
    (row,) = evidence.exp
    assert row.growth.status is False and row.ratio[0] is False and row.behaviour is False
    report = p4.render(evidence)
    exp_checks = [c for c in report.checks if c.name.startswith("eˣ")]
    assert len(exp_checks) == 2 and all(c.verdict == "refuted" for c in exp_checks)
    assert report.verdict == "refuted"


@pytest.mark.slow
def test_mutant_x_squared_is_globally_lipschitz():
    evidence = p4.compute(witness=lambda rho: p4.X**2, rhos=(R(1, 2),), exp_rhos=())
    (w,) = evidence.witnesses
    assert w.unbounded[0] is False and w.c2[0] is True
    assert p4.render(evidence).verdict == "refuted"
    limits = p4.symbolic_limits(p4.X**2)
    assert p4.check_not_globally_lipschitz(limits)[0] is False
    assert p4.check_c2_at_zero(limits)[0] is True


@pytest.mark.slow
def test_mutant_a_wrong_constant_in_the_witness_is_refuted():
    def smaller_c1(rho):
        C0, C1 = p4.spec_constants(rho)
        return C0, C1 * sp.Rational(9, 10)

    assert p4.verify(constants=smaller_c1, rhos=(sp.Rational(1, 100),), exp_rhos=()).verdict == "refuted"
    no_c0 = p4.verify(constants=lambda rho: (0, p4.spec_constants(rho)[1]), rhos=(sp.Rational(1, 2),), exp_rhos=())
    assert no_c0.verdict == "refuted"
