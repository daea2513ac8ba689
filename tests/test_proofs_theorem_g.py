"""proofs/theorem_g.py (Theorem G) and the locally-Lipschitz half of proofs/prop7_deep_linear.py.

Besides the verified reports, mutants — a wrong growth exponent, g = 0 data passed off
as a positive instance, a claimed L(r) below a sampled lower bound, a wrong structured
Hessian — are run through the same checking functions and must fail."""

import dataclasses
import json
import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from flint import arb

from dlnsmooth.networks.deep_linear import prop7_objective
from dlnsmooth.networks.theorem_g import theorem_g_curve
from dlnsmooth.precision import working_precision
from proofs import prop7_deep_linear as prop7
from proofs import theorem_g as tg


# -- Theorem G ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tg_report():
    return tg.verify()


def test_theorem_g_is_verified_on_the_whole_grid(tg_report):
    assert tg_report.name == "theoremg" and tg.NAME == "theoremg"
    assert tg_report.verdict == "holds", tg_report.report()
    assert "certificate" in tg_report.evidence_kind
    names = [c.name for c in tg_report.checks]
    for inst in tg.GRID:
        assert any(n.startswith(f"{inst.label}: widths {'-'.join(map(str, inst.widths))}") for n in names)
    # one certificate per network, each refuting every ρ, with spectral bounds and exponent L − 2
    positives = tg_report.certificates[:len(tg.GRID)]
    assert [c.verdict for c in positives] == ["refuted"] * len(tg.GRID)
    for inst, cert in zip(tg.GRID, positives):
        assert "spectral-bounds" in cert.evidence_kinds and "premise" in cert.evidence_kinds
        assert cert.growth.hess_exponent == len(inst.widths) - 3  # L − 2 with L = len(widths) − 1
    assert {len(i.widths) - 1 for i in tg.GRID} == set(range(3, 9))
    assert sum(1 for i in tg.GRID if i.decades == 30) == 1
    text = tg_report.report()
    assert "Verdict: VERIFIED" in text and "2·n1·n2·c²·‖g‖²" in text


def test_theorem_g_grid_uses_both_routes_and_every_loss(tg_report):
    section = dict(tg_report.sections)["The grid: one certificate per network (t → ∞; norms: Frobenius and spectral)"]
    assert any(" exact " in line for line in section) and any(" symbolic " in line for line in section)
    assert {i.loss for i in tg.GRID} == {"logistic", "squared", "exponential"}
    assert any(i.random for i in tg.GRID) and any(not i.random for i in tg.GRID)
    assert max(max(i.widths) for i in tg.GRID) >= 8


def test_theorem_g_negative_controls_are_not_refuted_and_reported_as_expected(tg_report):
    controls = [c for c in tg_report.checks if c.name.startswith("negative control")]
    assert len(controls) == len(tg.CONTROLS) >= 1
    assert all(c.verdict == "holds" and "verdict not refuted" in c.detail for c in controls)
    lines = dict(tg_report.sections)["Negative controls (g = 0): the curve's Hessian vanishes, so it must not refute"]
    assert all("(as expected)" in line for line in lines)
    assert [c.verdict for c in tg_report.certificates[len(tg.GRID):]] == ["not refuted"] * len(tg.CONTROLS)


def test_theorem_g_json_in_process(capsys):
    code = tg.main(["--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert payload["name"] == "theoremg" and payload["verdict"] == "holds"
    assert payload["evidence_kind"].startswith("certificate")
    assert all(c["verdict"] == "holds" for c in payload["checks"])
    kinds = payload["certificates"][0]["evidence_kinds"]
    assert "spectral-bounds" in kinds and "numeric-table" in kinds and "symbolic-limit" in kinds


def test_closed_form_against_the_full_hessian():
    """The closed forms, checked independently of the certificate: SymPy's full Hessian at t = 3."""
    inst = tg.Instance("x", (2, 3, 2, 2, 1), "logistic", [([1, -2], 1), ([3, 1], 1)])
    f = inst.objective()
    curve = theorem_g_curve(f)
    t = curve.parameter
    H = f.hessian_at({v: c.subs(t, 3) for v, c in zip(f.variables, curve.coordinates)})
    g = tg.premise_vector(f)
    assert g == [-2, sp.Rational(1, 2)]
    frob_sq = sum(e**2 for e in H)
    assert frob_sq == tg.closed_form_hess_sq(f.widths, g, t).subs(t, 3)
    with mp.workdps(30):
        M = mp.matrix([[mp.mpf(sp.Rational(e).p) / sp.Rational(e).q for e in row] for row in H.tolist()])
        spectral = max(abs(e) for e in mp.eigsy(M)[0])
        assert abs(spectral - tg.closed_form_spectral(f.widths, g, 3, 30)) < mp.mpf("1e-25")
        assert abs(spectral - mp.sqrt(frob_sq) / mp.sqrt(2 * f.widths[1])) < mp.mpf("1e-25")
    assert tg.suffix_constant((2, 3, 2, 1)) == 1 and tg.suffix_constant((3, 2, 4, 5, 1)) == 5
    assert tg.suffix_constant((3, 2, 4, 5, 6, 1)) == 30


def test_mutant_exponent_l_minus_1_fails():
    inst = tg.GRID[2]  # L = 4
    good = tg.check_positive(tg.certify(inst))
    assert good.passed is True
    mutant = tg.check_positive(tg.certify(inst), exponent=lambda L: L - 1)
    assert mutant.passed is False
    failed = mutant.failed_parts()
    assert "exponent = 3" in failed and "closed form" in failed and "‖∇²f‖₂ = ‖∇²f‖_F/√(2n1)" in failed
    report = tg.verify(instances=[inst], controls=[], exponent=lambda L: L - 1)
    assert report.verdict == "refuted" and report.checks[0].verdict == "refuted"
    assert "NOT as claimed" in report.checks[0].detail


def test_mutant_zero_premise_passed_off_as_positive_fails():
    inst = tg.CONTROLS[0]  # logistic, observations (x, 1) and (x, −1): g = 0
    outcome = tg.check_positive(tg.certify(inst))
    assert outcome.passed is False
    assert outcome.results["premise g ≠ 0"][0] is False
    assert outcome.results["verdict refuted"][0] is False
    report = tg.verify(instances=[inst], controls=[])
    assert report.verdict == "refuted" and report.checks[0].verdict == "refuted"


def test_mutant_positive_instance_passed_off_as_control_fails():
    outcome = tg.check_control(tg.certify(tg.GRID[6]))
    assert outcome.passed is False
    assert outcome.results["verdict not refuted (expected)"][0] is False


def test_coverage_mutant_fails():
    ok, _ = tg.coverage(tg.GRID)
    assert ok
    ok, detail = tg.coverage([i for i in tg.GRID if len(i.widths) - 1 != 8])
    assert not ok and "8" not in detail.split("]")[0]
    assert not tg.coverage([i for i in tg.GRID if i.loss != "exponential"])[0]


# -- Proposition 7: the locally-Lipschitz half --------------------------------------------------------
@pytest.fixture(scope="module")
def prop7_report():
    return prop7.verify()


@pytest.fixture(scope="module")
def local_rows():
    f = prop7_objective(1, 1, "logistic")
    return prop7.compute_local_bounds(f, radii=(1, 2), budget=1500, samples=10)


def test_prop7_reports_the_explicit_l_of_r(prop7_report):
    assert prop7_report.ok, prop7_report.report()
    by_name = {c.name: c for c in prop7_report.checks}
    for name in ("structured form φ″(p)∇p∇pᵀ + φ′(p)∇²p equals ∇²f exactly (SymPy)",
                 "L(r) finite for r = 1, 2, 4, 8",
                 "sampled lower bounds ≤ L(r) (random points; chosen points)",
                 "L(r) non-decreasing in r"):
        assert by_name[name].verdict == "holds"
    section = dict(prop7_report.sections)["The locally-Lipschitz half: explicit L(r) on [−r, r]⁴ (ball arithmetic)"]
    assert any(line.strip().startswith("8  ") for line in section)
    rows = [line.split() for line in section if line.strip()[:2] in {"1 ", "2 ", "4 ", "8 "}]
    # the naive enclosure (no subdivision) is useless: not finite, astronomically large, or at least L(r)
    assert all(row[-1] in {"finite", "∞"} or float(row[-1]) >= float(row[1]) for row in rows)
    not_covered = dict(prop7_report.sections)["Not covered here"]
    assert not any("is not computed by this script" in line for line in not_covered)
    assert "locally Lipschitz" in prop7_report.claim


def test_l_of_r_is_above_dense_float_samples(local_rows):
    """Exploration in float64 (not evidence): ‖∇²f‖₂ at many random points stays below L(r)."""
    structure, rows = local_rows

    def hess(x):
        p = np.prod(x)
        s = 1 / (1 + np.exp(p))
        g = np.array([np.prod(np.delete(x, i)) for i in range(4)])
        M = np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(4)] for i in range(4)])
        return s * (1 - s) * np.outer(g, g) - s * M

    rng = np.random.default_rng(0)
    for row in rows:
        points = rng.uniform(-row.r, row.r, size=(2000, 4))
        top = max(np.linalg.norm(hess(x), 2) for x in points)
        assert top <= row.bound
        assert row.probe <= row.bound and row.sampled <= row.bound
        assert math.isfinite(row.bound)


def test_mutant_l_of_r_below_the_sampled_lower_bound_fails(local_rows):
    _, rows = local_rows
    assert all(passed for _, passed, _ in prop7.check_local_bounds(rows))
    low = [dataclasses.replace(rows[0], bound=float(rows[0].sampled) / 2), rows[1]]
    checks = {name: passed for name, passed, _ in prop7.check_local_bounds(low)}
    assert checks["sampled lower bounds ≤ L(r) (random points; chosen points)"] is False
    # a bound below the chosen points' spectral norm (but above the random sample) fails too
    mid = dataclasses.replace(rows[0], bound=float((rows[0].sampled + rows[0].probe) / 2))
    assert rows[0].sampled < mid.bound < rows[0].probe
    assert not dict((n, p) for n, p, _ in prop7.check_local_bounds([mid, rows[1]]))[
        "sampled lower bounds ≤ L(r) (random points; chosen points)"]


def test_mutant_infinite_or_decreasing_l_of_r_fails(local_rows):
    _, rows = local_rows
    infinite = [rows[0], dataclasses.replace(rows[1], bound=math.inf)]
    assert dict((n, p) for n, p, _ in prop7.check_local_bounds(infinite))["L(r) finite for r = 1, 2"] is False
    swapped = [dataclasses.replace(rows[0], bound=rows[1].bound * 2), rows[1]]
    assert dict((n, p) for n, p, _ in prop7.check_local_bounds(swapped))["L(r) non-decreasing in r"] is False
    assert not all(p for _, p, _ in prop7.check_local_bounds([]))


def test_mutant_wrong_structured_hessian_fails(local_rows):
    structure, _ = local_rows
    f = prop7_objective(1, 1, "logistic")
    assert structure.identity_holds
    assert prop7.structure_identity(f, structure.s, structure.phi1, structure.phi2)
    assert not prop7.structure_identity(f, structure.s, structure.phi1, 2 * structure.phi2)
    assert not prop7.structure_identity(f, structure.s, -structure.phi1, structure.phi2)


def test_loss_table_encloses_the_loss_derivatives(local_rows):
    structure, _ = local_rows
    table = prop7.LossTable(structure, 20)
    with working_precision(30):
        d1, d2 = table.bounds(arb(0, 1 / 32))
        assert 0.5 <= d1 < 0.52 and 0.25 <= d2 < 0.2501  # pieces of width 1/16 around φ′(0) = −1/2, φ″(0) = 1/4
        far1, far2 = table.bounds(arb(15, 1))  # φ′, φ″ ~ e^(−s): tiny
        assert far1 < 1e-5 and far2 < 1e-5
        assert table.bounds(arb(0, 100)) == (math.inf, math.inf)  # outside the table: no bound
        assert table.bounds(arb(0, math.inf)) == (math.inf, math.inf)
