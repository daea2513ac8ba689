"""The claims ``cooper-line-l2`` and ``cooper-line-ce`` (proofs/cooper_line_l2.py, proofs/cooper_line_ce.py) and
their shared machinery in proofs/library.py: each verifies, each check computed what it states, and broken
machinery — a certificate lying about its verdict or its critical exponent, the engine's ‖∇²f‖_F² doubled, an
equality test that always says equal — makes the claim fail."""

from __future__ import annotations

import dataclasses
import json

import pytest
import sympy as sp

import proofs.library as library
from dlnsmooth.networks import ffengine
from proofs import cooper_line_ce, cooper_line_l2

CLAIMS = {"l2": cooper_line_l2, "ce": cooper_line_ce}


@pytest.fixture(scope="module")
def reports():
    return {key: module.verify() for key, module in CLAIMS.items()}


@pytest.mark.parametrize("key", ["l2", "ce"])
def test_each_claim_verifies_with_every_check_holding(reports, key):
    report = reports[key]
    assert report.name == CLAIMS[key].NAME == f"cooper-line-{key}"
    assert report.verdict == "holds", report.report()
    assert all(check.verdict == "holds" for check in report.checks)
    assert len(report.checks) == 8 and len(report.certificates) == 6
    assert "certificate" in report.evidence_kind and "symbolically" in report.evidence_kind
    assert report.seconds < 15
    json.dumps(report.to_json())


@pytest.mark.parametrize("key", ["l2", "ce"])
def test_the_certificates_carry_the_computed_verdicts_and_exponents(reports, key):
    rho_one, every, rho_two, rho_three, residual, control = reports[key].certificates
    assert (rho_one.verdict, rho_one.rho) == ("refuted", 1)
    assert every.every_rho and every.critical_exponent == 2
    assert (rho_two.verdict, rho_three.verdict) == ("not refuted", "not refuted")
    assert residual.verdict == "refuted" and residual.critical_exponent == sp.oo
    assert control.verdict == "not refuted"
    assert control.critical_exponent == (1 if key == "l2" else None)


def test_the_reference_terms_are_the_hand_derived_ones():
    cbar, Hbar = library.reference_loss_terms(cooper_line_l2.reference_loss, [(2,), (sp.Rational(1, 2),)])
    assert cbar == sp.Matrix([-5]) and Hbar == sp.Matrix([4])
    cbar, Hbar = library.reference_loss_terms(cooper_line_ce.reference_loss, [(1, 0), (1, 0), (0, 1)])
    assert cbar == sp.Matrix([-sp.Rational(1, 2), sp.Rational(1, 2)])
    assert Hbar == sp.Matrix([[sp.Rational(3, 4), -sp.Rational(3, 4)], [-sp.Rational(3, 4), sp.Rational(3, 4)]])


def test_same_constant_proves_equalities_and_separates_close_constants():
    a = sp.tanh(1)
    assert library.same_constant(sp.cosh(1) ** 2 * (1 - a**2), 1) is True
    assert library.same_constant(sp.sqrt(4 * (1 + 3 * a**2) ** 2), 2 + 6 * a**2) is True
    limit = sp.sqrt(-48600 * sp.cosh(1) ** 2 + 18225 + 32400 * sp.cosh(1) ** 4) / (-486 + 648 * sp.cosh(1) ** 2)
    assert library.same_constant(limit, sp.Rational(5, 18)) is True  # the cross-entropy ratio limit of the claim
    assert library.same_constant(limit, sp.Rational(5, 18) + sp.Integer(10) ** -40) is False
    assert library.same_constant(a, sp.Rational(76, 100)) is False


# -- mutants ------------------------------------------------------------------------------------------------------
def _wrapped_certify(monkeypatch, change) -> None:
    original = library.certify_line

    def certify(network, *, rho=None, **options):
        return change(original(network, rho=rho, **options), rho)

    monkeypatch.setattr(library, "certify_line", certify)


def _failed(report) -> list[str]:
    return [check.name for check in report.checks if check.verdict == "refuted"]


@pytest.mark.slow
def test_a_certificate_lying_about_rho_one_fails_the_claim(monkeypatch):
    def lie(certificate, rho):
        if rho == 1:
            certificate.verdict = "not refuted"
        return certificate

    _wrapped_certify(monkeypatch, lie)
    report = cooper_line_ce.verify(decades=4)
    assert report.verdict == "refuted"
    assert any(name.startswith("ρ = 1 refuted") for name in _failed(report))


@pytest.mark.slow
def test_a_wrong_critical_exponent_fails_the_claim(monkeypatch):
    def lie(certificate, rho):
        if rho is None:
            certificate.critical_exponent = sp.Integer(3)
            certificate.growth = dataclasses.replace(certificate.growth, critical=sp.Integer(3))
        return certificate

    _wrapped_certify(monkeypatch, lie)
    report = cooper_line_ce.verify(decades=4)
    assert report.verdict == "refuted"
    assert "growth and critical exponents along R, exactly" in _failed(report)


@pytest.mark.slow
def test_a_doubled_engine_hessian_fails_the_closed_forms(monkeypatch):
    original = ffengine.FeedforwardState.hess_frobenius_sq
    monkeypatch.setattr(ffengine.FeedforwardState, "hess_frobenius_sq", lambda self: 2 * original(self))
    report = cooper_line_ce.verify(decades=4)
    assert report.verdict == "refuted"
    failed = _failed(report)
    assert "closed forms along R (derivation vs exact restriction)" in failed
    assert "control ρ = 2 = ρ*: not refuted, ratio → k" in failed


def test_the_closed_form_and_ratio_checks_reject_a_wrong_reference(reports):
    network = cooper_line_ce.ce_network()
    terms = library.reference_loss_terms(cooper_line_ce.reference_loss, network.data.label_vectors)
    reference = library.line_reference(network.widths, network.c, network.M, *terms)
    every, rho_two = reports["ce"].certificates[1], reports["ce"].certificates[2]
    assert library.line_closed_forms(every, reference)[0] is True
    assert library.line_rho_two(rho_two, reference)[0] is True
    wrong = dataclasses.replace(reference, h4=2 * reference.h4, k=sp.sqrt(2) * reference.k)
    assert library.line_closed_forms(every, wrong)[0] is False
    assert library.line_rho_two(rho_two, wrong)[0] is False
    assert library.line_closed_forms(every, dataclasses.replace(reference, g0=reference.g0 + 1))[0] is False
