"""Broken claims are never verified: the mutants the verification issue names, in one place.

Each script's own test file holds more mutants; these three go through the public
entry points (the scripts' checking functions and the certificate).
"""

import sympy as sp

import proofs.prop4_strictness as p4
import proofs.prop7_deep_linear as p7
from dlnsmooth.certificate import certify_curve
from dlnsmooth.curves import Curve
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, prop7_curve
from dlnsmooth.objective import Objective


def test_a_wrong_constant_in_prop4s_witness_fails():
    def smaller_c1(rho):
        C0, C1 = p4.spec_constants(rho)
        return C0, C1 * sp.Rational(9, 10)

    report = p4.verify(constants=smaller_c1, rhos=(sp.Rational(1, 100),), exp_rhos=())
    assert report.verdict == "refuted"
    report = p4.verify(constants=lambda rho: (0, p4.spec_constants(rho)[1]), rhos=(sp.Rational(1, 2),), exp_rhos=())
    assert report.verdict == "refuted"


def test_prop7s_curve_for_data_with_zero_premise_is_not_refuted():
    # ℓ′(0; y) = −y/2: Σ ℓ′(0; y_i) z_i = −1/2 + 1 − 1/2 = 0 for the control data, so the curve proves nothing
    f = DeepLinearObjective((1, 1, 1, 1, 1), Dataset.from_pairs(p7.CONTROL), "logistic", names="x")
    certificate = certify_curve(f, prop7_curve(f), every_rho=True, decades=8, progress=False)
    assert certificate.verdict == "not refuted"
    assert p7._passed(certificate, "refuted") is False  # claimed as a positive instance, it fails


def test_a_half_order_claim_for_x4_is_refuted():
    f = Objective.from_string("x**4", "x")
    certificate = certify_curve(f, Curve.parse("x=t", f.variables), rho="1/2", decades=8, progress=False)
    assert certificate.verdict == "refuted"  # so "∇(x⁴) is 1/2-order Lipschitz" is false
    assert certificate.critical_exponent == sp.Rational(2, 3)
