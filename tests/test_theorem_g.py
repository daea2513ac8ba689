"""dlnsmooth.networks.theorem_g and ``dlnsmooth dln``: the curve, the premise, the certificate.

Along the Theorem G curve (W1 = W2 = 0, W_l = t·ones for l ≥ 3) every output u_i is 0, ∇f = 0, and
the only non-zero Hessian entries are the (W1, W2) cross terms
∂²f/∂(W1)_{pq}∂(W2)_{rs} = (s_2)_r δ_{sp} g_q with s_2 = W_L ⋯ W_3 and g = Σ_i ℓ′(0; y_i) x_i.
With W_l = t·ones, s_2 = t^(L−2) (n_3 ⋯ n_{L−1}) (1, …, 1), hence
‖∇²f‖_F² = 2 n_1 n_2 (n_3 ⋯ n_{L−1})² ‖g‖² t^(2(L−2)) — computed here independently of the package.
"""

import json
import math
import subprocess
import sys

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.cli import main
from dlnsmooth.errors import ShapeError
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.theorem_g import certify_theorem_g, theorem_g_curve, theorem_g_premise
from dlnsmooth.objective import Objective

R = sp.Rational
T = sp.Symbol("t", positive=True)
LPRIME_AT_0 = {"logistic": lambda y: -R(y) / 2, "squared": lambda y: -R(y), "exponential": lambda y: -R(y)}

#: (widths, data, loss): depths 3–6, square and non-square widths
CASES = [
    ((1, 1, 1, 1), "[(1, 1)]", "logistic"),
    ((2, 3, 1, 1), "[([1, 0.5], 1), ([0, 2], -1)]", "squared"),
    ((2, 3, 2, 1), "[([1, 0.5], 1), ([0, 2], -1)]", "logistic"),
    ((3, 2, 2, 2, 1), "[([1, 0, 2], 1), ([0, 2, 1], -1)]", "logistic"),
    ((2, 2, 3, 1, 1), "[([1, -2], 0.5), ([3, 1], 2)]", "squared"),
    ((2, 3, 2, 1, 2, 1), "[([1, 2], 0.5)]", "squared"),
    ((1, 2, 1, 3, 1, 1), "[(2, -1), (1, -1), (-1, 1)]", "logistic"),
    ((2, 2, 3, 1, 2, 2, 1), "[([1, 2], -1)]", "logistic"),
    ((2, 1, 2, 2, 1, 2, 1), "[([0.5, -1], 3)]", "squared"),
    ((2, 2, 2, 1), "[([1, 2], -1)]", "exponential"),
]
IDS = [f"{'-'.join(map(str, w))}-{loss}" for w, _, loss in CASES]


def _g(data: str, loss: str) -> list:
    """g = Σ_i ℓ′(0; y_i) x_i from the closed forms of ℓ′(0; y)."""
    dataset = Dataset.parse_inline(data)
    g = [R(0)] * dataset.dim
    for x, y in zip(dataset.inputs, dataset.targets):
        g = [gi + LPRIME_AT_0[loss](y) * xi for gi, xi in zip(g, x)]
    return g


def _expected_hess_sq(widths, g) -> sp.Expr:
    L = len(widths) - 1
    middle = math.prod(widths[3:L])  # n_3 ⋯ n_{L−1}
    return 2 * widths[1] * widths[2] * middle**2 * sum(gi**2 for gi in g) * T ** (2 * (L - 2))


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def certified(request):
    widths, data, loss = request.param
    f = deep_linear(widths, data, loss)
    return widths, data, loss, f, certify_theorem_g(f, decades=3, progress=False)


# -- the curve ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("widths", "data", "loss"), CASES, ids=IDS)
def test_the_curve_zeroes_the_first_two_layers_and_scales_the_rest(widths, data, loss):
    f = deep_linear(widths, data, loss)
    curve = theorem_g_curve(f)
    t = curve.parameter
    assert t.name == "t" and t.is_positive
    first_two = widths[0] * widths[1] + widths[1] * widths[2]
    assert curve.coordinates == (0,) * first_two + (t,) * (f.n - first_two)
    assert curve.variables == f.variables
    assert theorem_g_curve(f, "s").parameter.name == "s"


@pytest.mark.parametrize(("widths", "data", "loss"), CASES, ids=IDS)
def test_the_premise_is_evaluated_exactly(widths, data, loss):
    f = deep_linear(widths, data, loss)
    g = theorem_g_premise(f)
    assert g == _g(data, loss)
    assert all(gi.is_Rational for gi in g) and len(g) == widths[0]


@pytest.mark.parametrize(("widths", "data", "loss"), CASES, ids=IDS)
def test_restriction_to_the_curve_matches_the_closed_form(widths, data, loss):
    f = deep_linear(widths, data, loss)
    curve = theorem_g_curve(f)
    substitution = dict(zip(f.variables, curve.coordinates))
    assert all(sp.simplify(c) == 0 for c in f.gradient_at(substitution))
    H = f.hessian_at(substitution)
    hess_sq = sp.simplify(sum(e**2 for e in H))
    assert sp.simplify(hess_sq - _expected_hess_sq(widths, _g(data, loss)).subs(T, curve.parameter)) == 0
    # only the (W1, W2) cross block is non-zero
    n1 = widths[0] * widths[1]
    n2 = n1 + widths[1] * widths[2]
    for i in range(f.n):
        for j in range(f.n):
            if not (i < n1 <= j < n2 or j < n1 <= i < n2):
                assert sp.simplify(H[i, j]) == 0, (i, j, H[i, j])


@pytest.mark.parametrize("index", [0, 1, 9])
def test_closed_form_agrees_with_sympy_diff_on_small_networks(index):
    """The closed form itself, checked against a plain Objective differentiated by SymPy."""
    widths, data, loss = CASES[index]
    f = deep_linear(widths, data, loss)
    plain = Objective(f.expr, f.variables)
    curve = theorem_g_curve(f)
    substitution = dict(zip(f.variables, curve.coordinates))
    H = plain.hessian.xreplace(substitution)
    assert all(sp.simplify(c) == 0 for c in plain.gradient.xreplace(substitution))
    assert sp.simplify(sum(e**2 for e in H) - _expected_hess_sq(widths, _g(data, loss))) == 0


def test_the_curve_needs_depth_three_and_a_network():
    with pytest.raises(ShapeError, match="at least 3 weight matrices"):
        theorem_g_curve(deep_linear((2, 3, 1), "[([1, 1], 1)]"))
    with pytest.raises(ShapeError, match="L = 1"):
        certify_theorem_g(deep_linear((2, 1), "[([1, 1], 1)]"))
    with pytest.raises(TypeError, match="deep linear"):
        theorem_g_curve(Objective.from_string("a*b*c", "a,b,c"))


# -- the certificate -----------------------------------------------------------------------------
def test_certificate_refutes_every_rho(certified):
    widths, data, loss, f, cert = certified
    assert cert.verdict == "refuted", cert.reason
    assert cert.every_rho and cert.rho is None
    assert cert.critical_exponent == sp.oo
    assert "Theorem G" in cert.claim


def test_certificate_premise_evidence_holds(certified):
    widths, data, loss, f, cert = certified
    (premise,) = cert.find("premise")
    assert premise.holds is True and cert.evidence[0] is premise
    g = _g(data, loss)
    assert (premise.value == sp.Matrix(g).T) if len(g) > 1 else (premise.value == g[0])
    assert premise.to_json()["holds"] is True


def test_certificate_restriction_and_growth_exponent_is_depth_minus_two(certified):
    widths, data, loss, f, cert = certified
    L = len(widths) - 1
    t = cert.curve.parameter
    grad_sq, hess_sq = (e.expression for e in cert.find("symbolic-restriction"))
    assert grad_sq == 0
    assert sp.expand(hess_sq - _expected_hess_sq(widths, _g(data, loss)).subs(T, t)) == 0
    # growth evidence: ‖∇f‖ ≡ 0, ‖∇²f‖_F ~ t^(L−2), symbolically and over the table
    assert cert.growth.source == "symbolic" and cert.growth.gradient_vanishes
    assert cert.growth.hess_exponent == L - 2
    (growth,) = cert.find("growth-exponents")
    data_json = growth.to_json()
    assert data_json["hess_exponent"] == str(L - 2) and data_json["critical_exponent"] == "inf"
    assert growth.hess_slope == pytest.approx(L - 2, abs=1e-9)
    assert growth.grad_slope is None  # no slope of an identically zero gradient
    # and the explicit comparison with Theorem G's L − 2
    (comparison,) = [e for e in cert.find("symbolic-identity") if "L − 2" in e.statement]
    assert comparison.holds and comparison.lhs == L - 2 and comparison.rhs == L - 2


def test_certificate_table_rows_match_the_closed_form(certified):
    widths, data, loss, f, cert = certified
    (table,) = cert.find("numeric-table")
    assert [row.exponent for row in table.rows] == [1, 2, 3] and table.all_confirmed
    hess_sq = _expected_hess_sq(widths, _g(data, loss))
    with mp.workdps(40):
        for row in table.rows:
            want = mp.sqrt(mp.mpf(sp.N(hess_sq.subs(T, 10**row.exponent), 60)))
            got = row.hess_norm.value
            assert abs(got - want) <= mp.mpf(10) ** -14 * want
            assert row.grad_norm.value == 0


def test_certificate_gradient_identity(certified):
    *_, f, cert = certified
    identity = cert.find("symbolic-identity")[0]
    assert identity.holds
    assert "∇f" in identity.statement and identity.rhs in (0, sp.zeros(1, f.n))


# -- premise failure ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("widths", "data", "loss"),
    [
        ((1, 2, 2, 1), "[(1, 1), (1, -1)]", "logistic"),
        ((2, 3, 2, 2, 1), "[([1, 2], 1), ([1, 2], -1)]", "squared"),
        ((2, 2, 2, 1), "[([1, -1], 0), ([3, 0.5], 0)]", "squared"),
        ((1, 1, 2, 1, 1), "[(2, 1), (1, -1), (1, -1)]", "exponential"),
    ],
)
def test_premise_failure_is_not_refuted_and_says_why(widths, data, loss):
    f = deep_linear(widths, data, loss)
    assert all(gi == 0 for gi in theorem_g_premise(f))
    cert = certify_theorem_g(f, decades=3, progress=False)
    assert cert.verdict != "refuted"
    assert cert.verdict == "not refuted", cert.reason
    (premise,) = cert.find("premise")
    assert premise.holds is False
    assert "fails" in premise.consequence and "fails" in premise.to_json()["consequence"]
    assert "[FAILS]" in premise.lines()[0]
    assert any("premise" in note and "fails" in note for note in cert.notes)
    assert cert.find("symbolic-restriction")[1].expression == 0  # the Hessian vanishes along the curve
    assert cert.critical_exponent is None
    assert not [e for e in cert.find("symbolic-identity") if "L − 2" in e.statement]


def test_a_partly_zero_premise_still_holds():
    f = deep_linear((2, 2, 2, 1), "[([1, 0], 1), ([1, 3], -1)]", "logistic")
    assert theorem_g_premise(f) == [0, R(3, 2)]
    cert = certify_theorem_g(f, decades=3, progress=False)
    assert cert.find("premise")[0].holds is True and cert.verdict == "refuted"


# -- the command line ----------------------------------------------------------------------------
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_premise_failure_json_is_not_refuted(capsys):
    code, out, _ = run(capsys, "dln", "--widths", "1,2,2,1", "--data", "[(1, 1), (1, -1)]", "--json", "--decades", "3")
    payload = json.loads(out)
    assert code == 3  # the documented exit status of 'not refuted'
    assert payload["verdict"] != "refuted" and payload["verdict"] == "not refuted"
    premise = [e for e in payload["evidence"] if e["kind"] == "premise"]
    assert len(premise) == 1 and premise[0]["holds"] is False and premise[0]["value"] == "0"
    assert "fails" in premise[0]["consequence"]
    assert payload["critical_exponent"] is None
    assert payload["network"]["data"] == {"source": "inline", "x": [["1"], ["1"]], "y": ["1", "-1"]}


@pytest.mark.slow
def test_cli_premise_failure_via_subprocess():
    result = subprocess.run([sys.executable, "-m", "dlnsmooth", "dln", "--widths", "1,2,2,1", "--data",
                             "[(1, 1), (1, -1)]", "--json", "--decades", "3"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr  # 'not refuted'
    assert json.loads(result.stdout)["verdict"] == "not refuted"


def test_cli_refuted_json_fields_and_table_rows(capsys):
    code, out, _ = run(capsys, "dln", "--widths", "2,3,2,1", "--loss", "squared", "--data",
                       "[([1, 0.5], 1), ([0, 2], -1)]", "--json", "--decades", "4", "--limit-budget", "10")
    payload = json.loads(out)
    assert code == 1  # the documented exit status of 'refuted'
    for key in ("verdict", "rho", "norm", "curve", "evidence", "critical_exponent"):
        assert key in payload
    assert payload["verdict"] == "refuted"
    assert payload["rho"] is None and payload["every_rho"] is True
    assert payload["norm"] == "frobenius"
    assert payload["critical_exponent"] == "inf"
    assert payload["growth_exponents"] == {"grad": "-inf", "hess": "1", "source": "symbolic"}
    curve = payload["curve"]
    assert curve["parameter"] == "t"
    assert list(curve["coordinates"]) == [v.name for v in deep_linear((2, 3, 2, 1), "[([1, 1], 1)]").variables]
    assert set(curve["coordinates"].values()) == {"0", "t"} and curve["coordinates"]["W3_1_2"] == "t"
    assert curve["coordinates"]["W1_3_2"] == "0" and curve["coordinates"]["W2_2_3"] == "0"
    kinds = [e["kind"] for e in payload["evidence"]]
    assert kinds[0] == "premise" and "numeric-table" in kinds and "growth-exponents" in kinds
    (table,) = [e for e in payload["evidence"] if e["kind"] == "numeric-table"]
    assert table["arithmetic"] in ("ball", "two-precision")
    rows = table["rows"]
    assert [row["t"] for row in rows] == ["1e1", "1e2", "1e3", "1e4"]
    # g = −(1, 1/2) + (0, 2) = (−1, 3/2): ‖∇²f‖_F² = 2·3·2·(13/4)·t² = 39 t²
    with mp.workdps(40):
        for k, row in enumerate(rows, 1):
            for field in ("t", "grad_norm", "hess_norm", "ratio"):
                assert isinstance(row[field], str)
            assert row["grad_norm"] == "0"
            want = mp.sqrt(39) * mp.mpf(10) ** k
            hess, ratio = mp.mpf(row["hess_norm"]), mp.mpf(row["ratio"])
            # strings are rounded to the requested digits (15), every one of them guaranteed (row["digits"] ≥ 15)
            shown = len(row["hess_norm"].replace(".", "").lstrip("0"))
            assert shown == table["digits"] == 15
            assert abs(hess - want) <= mp.mpf(10) ** (1 - table["digits"]) * want
            assert abs(ratio - want / 2) <= mp.mpf(10) ** (1 - table["digits"]) * want  # ρ = 0: ‖∇²f‖_F/2
            assert row["digits"] >= 15 and row["confirmed"] is True
    assert payload["network"]["widths"] == [2, 3, 2, 1] and payload["network"]["depth"] == 3
    assert payload["network"]["weights"] == 14 and payload["network"]["loss"] == "squared"


@pytest.mark.parametrize(("widths", "depth"), [("1,2,3,1", 3), ("2,1,2,2,1", 4), ("1,2,1,2,1,1", 5), ("2,2,1,1,2,1,1", 6)])
def test_cli_growth_exponent_is_depth_minus_two(capsys, widths, depth):
    code, out, _ = run(capsys, "dln", "--widths", widths, "--loss", "logistic", "--random-data", "2", "--seed", "4",
                       "--json", "--decades", "3")
    payload = json.loads(out)
    assert code == 1 and payload["verdict"] == "refuted"
    assert payload["network"]["depth"] == depth
    assert payload["growth_exponents"]["hess"] == str(depth - 2)
    assert set(payload["network"]["data"]["y"]) <= {"1", "-1"}


def test_cli_random_data_for_the_squared_loss_has_real_labels(capsys):
    code, out, _ = run(capsys, "dln", "--widths", "2,2,2,1", "--loss", "squared", "--random-data", "12", "--seed", "2",
                       "--json", "--decades", "3")
    payload = json.loads(out)
    assert code == 1 and payload["verdict"] == "refuted"
    labels = payload["network"]["data"]["y"]
    assert len(labels) == 12 and not set(labels) <= {"1", "-1"}


def test_cli_report_names_the_premise(capsys):
    code, out, _ = run(capsys, "dln", "--widths", "2,2,1,1", "--data", "[([1, 0.5], 1)]", "--decades", "3")
    assert code == 1  # refuted
    assert out.startswith("Network: widths 2-2-1-1, 7 weights, logistic loss")
    assert "[premise]" in out and "[holds]" in out and "Verdict: REFUTED" in out
