"""dlnsmooth.report: a claim's verdict is computed from its checks, in the package's words."""

from __future__ import annotations

import json

from dlnsmooth.report import ClaimReport


def _report() -> ClaimReport:
    return ClaimReport("x", "A title", "a claim", "a statement", "a method", "instances checked numerically")


def test_the_verdict_follows_the_weakest_check():
    report = _report()
    assert report.verdict == "undecided" and not report.ok  # nothing computed proves nothing
    report.add_check("a", True, "")
    assert report.verdict == "holds" and report.ok
    report.add_check("b", None, "budget spent")
    assert report.verdict == "undecided" and not report.ok
    report.add_check("c", False, "counterexample")
    assert report.verdict == "refuted"


def test_json_and_text_speak_the_same_words():
    report = _report()
    report.add_check("a", True, "computed 1 ≤ 2")
    report.add_check("b", False, "computed 3 > 2")
    payload = json.loads(report.to_json_text())
    assert payload["verdict"] == "refuted" and payload["schema"].startswith("dlnsmooth.claim/")
    assert [c["verdict"] for c in payload["checks"]] == ["holds", "refuted"]
    text = report.report()
    assert "[       ok] a: computed 1 ≤ 2" in text and "[   FAILED] b" in text
    assert text.splitlines()[-1].startswith("Verdict: REFUTED (refuted) — evidence: instances checked numerically")


def test_a_report_with_certificates_crosses_a_process_boundary():
    # dlnsmooth verify runs each claim in a budgeted process: the report comes back pickled, its certificates
    # as records (their curves and objectives hold compiled functions that cannot be pickled)
    import pickle

    import sympy as sp

    from dlnsmooth.certificate import certify_curve
    from dlnsmooth.curves import Curve
    from dlnsmooth.objective import Objective
    from dlnsmooth.report import CertificateRecord

    f = Objective.from_string("x**4", "x")
    certificate = certify_curve(f, Curve.parse("x=t", f.variables), rho=sp.Rational(1, 2), decades=3)
    f.grad([2], 20), certificate.curve.point(3, 20)  # compile the mpmath functions
    report = _report()
    report.add_check("a", True, "computed")
    report.certificates.append(certificate)
    back = pickle.loads(pickle.dumps(report))
    assert isinstance(back.certificates[0], CertificateRecord) and back.certificates[0].verdict == "refuted"
    assert back.report() == report.report() and back.to_json_text() == report.to_json_text()
    assert report.certificates[0] is certificate  # the live report is left as it was
