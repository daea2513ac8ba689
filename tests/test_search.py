"""Tests of the automatic refutation search (dlnsmooth/search.py).

Known answers both ways: curves the search must find (and certify) for false
claims, and true claims (SPEC §2–§3) for which it must never say ``refuted``.
"""

from __future__ import annotations

import json
import math
import time

import mpmath as mp
import pytest
import sympy as sp
from flint import arb

from dlnsmooth.cli import main
from dlnsmooth.errors import ParseError
from dlnsmooth.networks.deep_linear import deep_linear, prop7_objective
from dlnsmooth.numbers import ball_to_mpf
from dlnsmooth.objective import Objective
from dlnsmooth.precision import working_precision
from dlnsmooth.results import EXIT_NOT_REFUTED, EXIT_REFUTED
from dlnsmooth.search import (
    Candidate,
    Form,
    SearchOptions,
    _log,
    _Ranker,
    cancelling_curves,
    candidate_curves,
    search_refuting_curve,
    suggested_coefficients,
    variable_blocks,
)

# -- false claims: the search must refute them, with the critical exponent of its curve ----------
REFUTED = [
    ("x**4", "x", "1/2", sp.Rational(2, 3)),
    ("x**3", "x", "0.49", sp.Rational(1, 2)),
    ("exp(x)", "x", "0.9", sp.Integer(1)),
    ("exp(x**2)", "x", "1", sp.Integer(1)),  # f''/(1+|f'|) ~ 2|x|: fails at the threshold itself
    ("x**4 + y**2", "x,y", "1/2", sp.Rational(2, 3)),
    ("log(x)", "x", "1", sp.Integer(2)),  # f'' = -1/x^2, f' = 1/x near 0+
    ("x**2*y**2", "x,y", None, sp.oo),
    ("(x*y - 1)**2", "x,y", None, sp.oo),
    ("log(1 + exp(x*y))", "x,y", None, sp.oo),  # needs a log factor: x = t, y = -log(t)/t
    ("log(1 + exp(-a*b*c))", "a,b,c", None, sp.oo),
]


@pytest.mark.slow
@pytest.mark.parametrize("expression, names, rho, critical", REFUTED)
def test_false_claims_are_refuted_with_a_certificate(expression, names, rho, critical):
    f = Objective.from_string(expression, names)
    result = search_refuting_curve(f, rho=rho, every_rho=rho is None, progress=False)
    assert result.verdict == "refuted", result.report()
    certificate = result.certificate
    assert certificate.verdict == "refuted"
    assert {"symbolic-limit", "numeric-table"} <= set(certificate.evidence_kinds)
    assert certificate.objective is f and certificate.curve.variables == f.variables
    assert result.critical_exponent == critical
    if rho is not None:
        assert critical >= sp.Rational(sp.nsimplify(rho))  # equal when a log factor decides (exp(x**2))
    assert result.seconds < 60


# -- true claims: never refuted ---------------------------------------------------------------
TRUE_CLAIMS = [
    ("x**4", "x", "0.7"),          # rho-order iff rho >= 2/3 (SPEC §3)
    ("x**4", "x", "2/3"),
    ("x**3", "x", "1/2"),          # f'' = 6x <= C0 + C1 (3x^2)^(1/2)
    ("exp(x)", "x", "1"),          # f'' = f' (Prop 4)
    ("x**2 + y**2", "x,y", None),  # globally Lipschitz gradient
    ("x**2 + y**2", "x,y", "0"),
    ("sin(x) + cos(y)", "x,y", None),
    ("log(cosh(x)) + log(cosh(y))", "x,y", None),
    ("sqrt(1 + x**2 + y**2)", "x,y", None),
    ("1/(1 + x**2)", "x", None),
    ("x**4 + y**2", "x,y", "2/3"),  # both terms are 2/3-order
]


@pytest.mark.slow
@pytest.mark.parametrize("expression, names, rho", TRUE_CLAIMS)
def test_true_claims_are_never_refuted(expression, names, rho):
    f = Objective.from_string(expression, names)
    result = search_refuting_curve(f, rho=rho, every_rho=rho is None, progress=False)
    assert result.verdict == "not refuted", result.report()
    assert result.certificate is None
    assert all(c.certificate is None or c.certificate.verdict != "refuted" for c in result.certified)
    assert "not a proof" in result.reason or "no ranked curve" in result.reason or not result.ranked


@pytest.mark.slow
def test_x4_threshold_is_reported_as_a_lower_bound():
    result = search_refuting_curve(Objective.from_string("x**4", "x"), rho="0.7", progress=False)
    assert result.critical_exponent == sp.Rational(2, 3)
    assert "ρ* = 2/3" in result.report()


@pytest.mark.slow
def test_prop7_is_refuted_for_every_rho_without_being_told_the_curve():
    f = prop7_objective()
    result = search_refuting_curve(f, every_rho=True, progress=False)
    assert result.verdict == "refuted"
    certificate = result.certificate
    assert certificate.verdict == "refuted" and certificate.critical_exponent == sp.oo
    assert any(e.kind == "symbolic-identity" for e in certificate.evidence)  # ∇f ≡ 0 along the curve
    coordinates = certificate.curve.coordinates
    t = certificate.curve.parameter
    assert sum(c == 0 for c in coordinates) >= 2 and any(c.has(t) for c in coordinates)
    assert result.seconds < 60


@pytest.mark.slow
@pytest.mark.parametrize("widths, loss, data", [
    ((2, 3, 3, 1), "logistic", None),
    ((1, 2, 2, 2, 1), "squared", [(1, 1), (2, -1)]),
    ((3, 2, 2, 2, 2, 1), "logistic", None),
    ((1, 1, 1, 1, 1, 1, 1), "exponential", None),
])
def test_theorem_g_networks_are_refuted_for_every_rho_by_the_search(widths, loss, data):
    f = deep_linear(widths, data, loss)
    result = search_refuting_curve(f, every_rho=True, progress=False)
    assert result.verdict == "refuted", result.report()
    certificate = result.certificate
    assert certificate.critical_exponent == sp.oo
    assert certificate.growth.gradient_vanishes
    assert certificate.growth.hess_exponent >= 1
    assert [name for name, _ in result.blocks] == [f"W{l}" for l in range(1, f.depth + 1)]
    assert result.seconds < 60


@pytest.mark.slow
def test_the_log_family_is_needed_for_softplus_of_a_product():
    f = Objective.from_string("log(1 + exp(x*y))", "x,y")
    monomial = search_refuting_curve(f, every_rho=True, options=SearchOptions(families=("monomial",)),
                                     progress=False)
    assert monomial.verdict == "not refuted"
    assert monomial.critical_exponent == 2  # x = t, y = ±1/t: ‖∇f‖ ~ t, ‖∇²f‖ ~ t²
    with_log = search_refuting_curve(f, every_rho=True, progress=False)
    assert with_log.verdict == "refuted"
    assert with_log.certificate.curve.coordinates[1].has(sp.log)


@pytest.mark.slow
def test_ranking_proves_nothing_a_lying_ranker_cannot_refute(monkeypatch):
    """Mutant: a ranker claiming ‖∇f‖ bounded and ‖∇²f‖ growing everywhere. The certificates must
    still decide: a globally Lipschitz gradient is never refuted."""
    def lying(self, candidate, point_at=None):
        candidate.grad_slope, candidate.hess_slope, candidate.critical_estimate = -math.inf, 5.0, math.inf
        return candidate

    monkeypatch.setattr(_Ranker, "rank", lying)
    result = search_refuting_curve(Objective.from_string("x**2 + y**2", "x,y"), every_rho=True,
                                   options=SearchOptions(certify=4), progress=False)
    assert result.verdict == "not refuted"
    assert len(result.certified) == 4
    assert all(c.certificate.verdict == "not refuted" for c in result.certified)


def test_forms_in_balls_agree_with_their_expressions():
    t = sp.Symbol("t", positive=True)
    for form in [Form(1, 1), Form(-1, -1), Form(2, sp.Rational(1, 2)), Form(-1, sp.Rational(-3, 2), 1),
                 Form(1, 0, sp.Rational(1, 2)), Form(3, 2, -1), Form(0, 5, 5)]:
        for value in (10**4, 10**16):
            with working_precision(60):
                ball = form.ball(value, arb(value).log())
                assert ball.rad() <= abs(ball.mid()) * arb("1e-50")
            with mp.workdps(80):
                reference = mp.mpf(str(sp.N(form.expr(t).subs(t, value), 80))) if not form.is_zero else mp.mpf(0)
                assert mp.almosteq(ball_to_mpf(ball), reference, rel_eps=mp.mpf("1e-50"))


def test_form_zero_normalises_and_orders_by_simplicity():
    assert Form(0, 3, 2) == Form(0)
    assert Form(0).complexity == 0 < Form(1).complexity < Form(1, 1).complexity < Form(1, sp.Rational(1, 2)).complexity
    assert Form(1, 1).complexity < Form(1, 1, 1).complexity


def test_blocks_and_suggested_coefficients():
    f = Objective.from_string("(x*y - 2)**2 + 3*x**4", "x,y")
    assert variable_blocks(f) == [("x", [0]), ("y", [1])]
    assert suggested_coefficients(f) == [3, 2]  # the 4 is an exponent, not a value
    net = deep_linear((2, 3, 1), [([1, 2], 1)])
    assert [(n, len(i)) for n, i in variable_blocks(net)] == [("W1", 6), ("W2", 3)]
    assert [n for n, _ in variable_blocks(prop7_objective())] == ["x1", "x2", "x3", "x4"]


def test_candidate_curves_are_curves_to_infinity():
    f = Objective.from_string("x*y + z", "x,y,z")
    curves = candidate_curves(f, limit=50)
    assert 0 < len(curves) <= 50
    t = curves[0].parameter
    assert all(any(c.has(t) for c in curve.coordinates) for curve in curves)
    assert len({tuple(c.coordinates) for c in curves}) == len(curves)


@pytest.mark.slow
def test_search_is_deterministic_for_a_seed():
    f = Objective.from_string("+".join(f"(x{i}*x{i + 1} - 1)**2" for i in range(1, 8)),
                              ",".join(f"x{i}" for i in range(1, 9)))
    options = SearchOptions(seed=3, max_candidates=400, certify=1)
    first = search_refuting_curve(f, every_rho=True, options=options, progress=False)
    second = search_refuting_curve(f, every_rho=True, options=options, progress=False)
    assert [c.describe(first.blocks) for c in first.ranked[:10]] == [c.describe(second.blocks) for c in second.ranked[:10]]
    assert first.verdict == second.verdict == "refuted"


@pytest.mark.slow
def test_time_budget_is_respected():
    f = Objective.from_string("+".join(f"sin(x{i})*x{i + 1}**2" for i in range(1, 6)),
                              ",".join(f"x{i}" for i in range(1, 7)))
    result = search_refuting_curve(f, rho=1, options=SearchOptions(time_budget=4, certify=1), progress=False)
    assert result.seconds < 4 + 3  # every stage, the certificates included, stops at the budget


@pytest.mark.parametrize("kwargs, message", [
    (dict(families=("monomial", "spirals")), "unknown curve family spirals"),
    (dict(families=()), "unknown curve famil"),
    (dict(exponent_range=(2, -2)), "is empty"),
    (dict(exponent_range=("a", 2)), "exponent bound"),
    (dict(denominator=0), "denominator"),
    (dict(time_budget=0), "time budget"),
    (dict(time_budget=float("nan")), "time budget"),
    (dict(certify=0), "certified"),
])
def test_bad_options_name_the_problem(kwargs, message):
    with pytest.raises(ParseError, match=message):
        SearchOptions(**kwargs)


@pytest.mark.slow
def test_bad_targets():
    f = Objective.from_string("x**4", "x")
    with pytest.raises(ValueError, match="either rho or every_rho"):
        search_refuting_curve(f, rho=1, every_rho=True)
    with pytest.raises(ValueError, match="give rho"):
        search_refuting_curve(f)
    with pytest.raises(ValueError):
        search_refuting_curve(f, rho=-1)
    with pytest.raises(TypeError):
        search_refuting_curve("x**4", rho=1)


@pytest.mark.slow
def test_json_and_report():
    result = search_refuting_curve(Objective.from_string("x**4", "x"), rho="1/2", progress=False)
    payload = json.loads(result.to_json_text())
    assert payload["verdict"] == "refuted" and payload["critical_exponent"] == "2/3"
    assert payload["curve"]["coordinates"] == {"x": "t"}
    assert payload["certificate"]["verdict"] == "refuted"
    assert payload["ranked"][0]["critical_exponent_estimate"] == pytest.approx(2 / 3, abs=1e-3)
    text = result.report()
    assert "Search verdict: REFUTED" in text and "Critical exponent of the best curve: ρ* = 2/3" in text


@pytest.mark.slow
def test_cli_check_without_curve_searches(capsys):
    assert main(["check", "x**2*y**2", "--vars", "x,y", "--rho", "0.5", "--json"]) == EXIT_REFUTED
    payload = json.loads(capsys.readouterr().out)
    assert payload["verdict"] == "refuted" and set(payload["curve"]["coordinates"]) == {"x", "y"}
    assert main(["check", "x**2 + x*y + y**2", "--vars", "x,y", "--every-rho"]) == EXIT_NOT_REFUTED
    out = capsys.readouterr().out
    assert "NOT REFUTED" in out and "not a proof" in out


@pytest.mark.slow
def test_cli_dln_search(capsys):
    assert main(["dln", "--widths", "2,3,3,1", "--search", "--json"]) == EXIT_REFUTED
    payload = json.loads(capsys.readouterr().out)
    assert payload["verdict"] == "refuted" and payload["critical_exponent"] == "inf"
    assert payload["network"]["depth"] == 3


@pytest.mark.slow
@pytest.mark.parametrize("argv, message", [
    (["--exponents", "2"], "LOW:HIGH"),
    (["--exponents", "1:x"], "exponent bound"),
    (["--families", "nope"], "unknown curve family"),
    (["--time", "-1"], "--time"),
])
def test_cli_bad_search_options(capsys, argv, message):
    assert main(["check", "x*y", "--vars", "x,y", "--rho", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_candidate_key_prefers_larger_critical_exponent_then_simplicity():
    simple = Candidate((Form(1, 1),), "monomial", grad_slope=3.0, hess_slope=2.0, critical_estimate=0.6667)
    noisy = Candidate((Form(1, sp.Rational(3, 2), 1),), "log", grad_slope=4.5, hess_slope=3.0, critical_estimate=0.6671)
    assert simple.key() > noisy.key()  # finite-t noise in ρ̂ is not an improvement
    flat_gradient = Candidate((Form(1, 1),), "monomial", grad_slope=-math.inf, hess_slope=0.5, critical_estimate=math.inf)
    assert flat_gradient.key() > simple.key()


@pytest.mark.slow
def test_plot_of_a_certificate(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from dlnsmooth.plots import series

    target = tmp_path / "curve.png"
    argv = ["check", "x**4", "--vars", "x", "--rho", "1/2", "--decades", "6", "--plot", str(target)]
    assert main(argv) == EXIT_REFUTED
    assert target.stat().st_size > 5000 and "Plot:" in capsys.readouterr().out
    result = search_refuting_curve(prop7_objective(), every_rho=True, options=SearchOptions(decades=6),
                                   progress=False)
    data = series(result.certificate)
    assert data["grad"] == []  # ∇f ≡ 0 has no logarithm: not drawn
    (x1, y1), (x2, y2) = data["hess"][-2:]
    assert (y2 - y1) / (x2 - x1) == pytest.approx(2, abs=1e-6)  # ‖∇²f‖_F ~ t²


@pytest.mark.slow
def test_oscillating_function_is_refuted_along_the_zeros_of_its_derivative():
    """f = sin(x²): no monomial curve refutes anything, the zeros of f′ (x_k = √(πk + π/2), where
    f′ = 0 and |f″| = 4x_k²) refute every ρ."""
    f = Objective.from_string("sin(x**2)", "x")
    result = search_refuting_curve(f, every_rho=True, progress=False)
    assert result.verdict == "refuted", result.report()
    assert result.certificate.curve.parameter.is_integer
    assert any(c.family == "zeros" for c in result.certified)
    monomial = search_refuting_curve(f, every_rho=True, options=SearchOptions(families=("monomial", "log")),
                                     progress=False)
    assert monomial.verdict == "not refuted"


# -- issue 14: budgets, the sums family, ranking by what the balls prove ---------------------------
@pytest.mark.slow
@pytest.mark.parametrize("expression, names, rho", [
    ("x**x**x**x**x**x**x**x", "x", 1),  # a tower: 76 s with a 60 s budget before
    ("exp(exp(exp(exp(x)))) + y**2", "x,y", 1),
    ("x**4*y**2", "x,y", 10**6),  # a huge ρ: SymPy must not expand 16^(ρ/2)
])
def test_every_search_ends_within_its_budget(expression, names, rho):
    budget = 8
    start = time.perf_counter()
    result = search_refuting_curve(Objective.from_string(expression, names), rho=rho,
                                   options=SearchOptions(time_budget=budget), progress=False)
    elapsed = time.perf_counter() - start
    assert elapsed < budget + 4 and result.seconds < budget + 3
    assert result.verdict in ("not refuted", "refuted", "undecided")
    if result.verdict == "refuted":
        assert result.certificate.verdict == "refuted"
    if result.verdict == "undecided":
        assert "time budget" in result.reason


def test_cancelling_curves_hold_the_argument_of_sin_at_pi_over_two():
    f = Objective.from_string("sin(x + y**2)", "x,y")
    x, y = f.variables
    t = sp.Symbol("t", positive=True)
    curves = cancelling_curves(f)
    found = [c for c in curves if sp.simplify(c.substitution[x] + c.substitution[y] ** 2 - sp.pi / 2) == 0]
    assert found and all(c.substitution[y] in (t, -t) for c in found)
    assert cancelling_curves(prop7_objective()) == []  # networks: no expression to cancel


@pytest.mark.slow
def test_sin_of_a_sum_is_refuted_along_a_sum_of_monomials_with_an_offset():
    f = Objective.from_string("sin(x + y**2)", "x,y")
    start = time.perf_counter()
    result = search_refuting_curve(f, rho=1, progress=False)
    assert time.perf_counter() - start < SearchOptions().time_budget
    assert result.verdict == "refuted" and result.certificate.verdict == "refuted"
    x, y = f.variables
    curve = result.certificate.curve.substitution
    assert sp.simplify(sp.cos(curve[x] + curve[y] ** 2)) == 0  # ∇f ≡ 0 along it
    assert any(c.family == "sums" for c in result.certified)
    assert result.stats["sums"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("expression, names", [
    ("log(1+exp(-(3*w1+4*w2)))", "w1,w2"),
    ("log(1+exp(-w2*tanh(w1)))", "w1,w2"),
])
def test_decaying_curves_do_not_rank_as_refuting(expression, names):
    """A Hessian ball containing 0 proves no growth: such candidates never get ρ̂* = ∞ (they filled
    the certification slots when they were ranked by the balls' upper bounds)."""
    result = search_refuting_curve(Objective.from_string(expression, names), rho=1,
                                   options=SearchOptions(time_budget=15), progress=False)
    for candidate in result.ranked:
        if candidate.critical_estimate is not None:
            assert candidate.hess_slope > 0.01, candidate.describe(result.blocks)
    for candidate in result.certified:
        assert candidate.hess_slope > 0.01 and candidate.critical_estimate is not None
    if result.verdict == "undecided":  # a promising curve left undecided is no "not refuted"
        assert "time budget" in result.reason and any(c.certificate for c in result.certified)


def test_the_ranking_reads_what_the_balls_prove():
    wide = arb(0, 1e-30)  # contains 0: proves ‖·‖ ≤ 1e-30 and nothing more
    assert _log(wide, final=False) is None
    assert _log(wide, final=True, side="lower") == -math.inf  # no growth of ‖∇²f‖ is proved
    assert _log(wide, final=True, side="upper") == -math.inf  # ‖∇f‖ proved negligible
    loose = arb(1, 0.5)
    assert _log(loose, final=True, side="lower") == pytest.approx(math.log(0.5), rel=1e-6)
    assert _log(loose, final=True, side="upper") == pytest.approx(math.log(1.5), rel=1e-6)


@pytest.mark.slow
def test_exponential_growth_is_not_printed_as_a_power():
    result = search_refuting_curve(Objective.from_string("exp(x) + x*y**2", "x,y"), rho=1,
                                   options=SearchOptions(time_budget=10), progress=False)
    steep = [c for c in result.ranked if c.grad_faster or c.hess_faster]
    assert steep
    for candidate in steep:
        assert "faster than any power" in candidate.estimate_text()
    candidates = result.report().split("\nClaim:")[0]
    assert "γ ≈ -5.4" not in candidates and "542868096950383" not in candidates
