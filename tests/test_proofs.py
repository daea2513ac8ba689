"""proofs/: the registry, the Proposition 7 script, its report and JSON."""

import json
import subprocess
import sys

import pytest

import proofs
from proofs import prop7_deep_linear


@pytest.fixture(scope="module")
def prop7_report():
    return prop7_deep_linear.verify(decades=30)


def test_registry_and_unknown_claims():
    assert "prop7" in proofs.CLAIMS
    assert proofs.load("prop7") is prop7_deep_linear
    with pytest.raises(proofs.UnknownClaimError, match="registered: .*prop7"):
        proofs.load("nope")


def test_prop7_is_verified_with_every_promised_fact(prop7_report):
    assert prop7_report.ok, prop7_report.report()
    text = prop7_report.report()
    assert "∇f = 0 exactly along (0, 0, k, k)" in text
    assert "‖∇²f(x_k)‖_F = |z| k²/√2: computed √(k**4/2) = sqrt(2)*k**2/2" in text
    assert "lim_{k→∞} ‖∇²f‖_F² = ∞" in text
    assert "30/30 rows confirmed" in text
    assert "1e30" in text and "7.07106781187e+59" in text  # ‖∇²f‖_F = k²/√2 at k = 1e30
    assert "Verdict: VERIFIED" in text


def test_prop7_covers_losses_observations_and_a_negative_control(prop7_report):
    names = [c.name for c in prop7_report.checks]
    assert any("squared" in n for n in names) and any("exponential" in n for n in names)
    assert any("several observations" in n for n in names)
    control = next(c for c in prop7_report.checks if "negative control" in c.name)
    assert control.verdict == "holds" and "verdict not refuted" in control.detail
    verdicts = [c.verdict for c in prop7_report.certificates]
    assert verdicts.count("not refuted") == 1 and verdicts.count("refuted") == len(verdicts) - 1


def test_prop7_report_states_what_it_does_not_cover(prop7_report):
    assert any("locally-Lipschitz half" in line for _, body in prop7_report.sections for line in body)


def test_prop7_runs_as_a_script_with_json():
    result = subprocess.run([sys.executable, "-m", "proofs.prop7_deep_linear", "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["name"] == "prop7" and payload["verdict"] == "holds"
    main = payload["certificates"][0]
    assert main["verdict"] == "refuted" and main["every_rho"] is True
    assert main["curve"]["coordinates"] == {"x1": "0", "x2": "0", "x3": "k", "x4": "k"}
