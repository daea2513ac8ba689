"""decide_bregman: the known answers of SPEC §4.3 exactly, |u|^a, certificates and their negative controls."""

from __future__ import annotations

import json
import time

import pytest
import sympy as sp

from dlnsmooth.bregman import RECONSTRUCTION_NOTE, BregmanLoss, NotConvexError, PairSequence, decide_bregman
from dlnsmooth.bregman import decide as decide_module
from dlnsmooth.bregman.sequences import SEQUENCE_PARAMETER as t
from dlnsmooth.errors import DlnsmoothError, InvalidRhoError, NonDifferentiableError, ParseError, UnknownVariableError
from dlnsmooth.numbers import to_arb
from dlnsmooth.precision import working_precision

u = sp.Symbol("u", real=True)
SOFTPLUS = "log(1 + exp(u))"
CUBE = BregmanLoss(sp.Abs(u) ** 3, u, name="|u|^3")
THREE_HALVES = BregmanLoss(sp.Abs(u) ** sp.Rational(3, 2), u, name="|u|^(3/2)")
HUBER = BregmanLoss(sp.Piecewise((u**2 / 2, sp.Abs(u) <= 1), (sp.Abs(u) - sp.Rational(1, 2), True)), u, name="huber")

CASES = {
    "squared convex": ("u**2", "convex", 2, False),
    "squared smooth": ("u**2", "smooth", 2, False),
    "softplus smooth 2": (SOFTPLUS, "smooth", 2, False),
    "softplus smooth 1": (SOFTPLUS, "smooth", 1, False),
    "softplus smooth 3/2": (SOFTPLUS, "smooth", "3/2", False),
    "softplus convex 3/2": (SOFTPLUS, "convex", "3/2", False),
    "softplus convex 2": (SOFTPLUS, "convex", 2, False),
    "softplus convex 3": (SOFTPLUS, "convex", 3, False),
    "exp smooth 1": ("exp(u)", "smooth", 1, False),
    "exp smooth 2": ("exp(u)", "smooth", 2, False),
    "exp smooth 3": ("exp(u)", "smooth", 3, False),
    "cube convex 3": (CUBE, "convex", 3, False),
    "cube smooth 3": (CUBE, "smooth", 3, False),
    "three halves smooth": (THREE_HALVES, "smooth", "3/2", False),
    "three halves convex": (THREE_HALVES, "convex", "3/2", False),
    "huber smooth 2": (HUBER, "smooth", 2, False),
    "huber convex 2": (HUBER, "convex", 2, False),
    "squared relative": ("u**2", "convex", 2, True),
    "softplus relative": (SOFTPLUS, "smooth", 2, True),
    "cube relative smooth": (CUBE, "smooth", 3, True),
}


@pytest.fixture(scope="module")
def decided():
    return {name: decide_bregman(loss, kind=kind, p=p, minimiser=m) for name, (loss, kind, p, m) in CASES.items()}


def _ratio(loss: BregmanLoss, g: sp.Expr, h: sp.Expr, p: sp.Rational):
    with working_precision(30):
        return loss.ball_divergence(to_arb(g), to_arb(h)) / abs(to_arb(g - h)) ** to_arb(p)


def test_squared_loss_both_ways_with_constant_one(decided):
    for name in ("squared convex", "squared smooth"):
        d = decided[name]
        assert d.verdict == "holds" and d.constant == 1 and d.certificate is None
        assert d.route and "every pair" in d.attained
        assert RECONSTRUCTION_NOTE in d.notes


def test_softplus_smooth_at_two_with_one_eighth(decided):
    d = decided["softplus smooth 2"]
    assert d.verdict == "holds" and d.constant == sp.Rational(1, 8)
    assert "h = 0" in d.attained and any("Taylor" in line for line in d.route)


@pytest.mark.parametrize("name", ["softplus convex 3/2", "softplus convex 2", "softplus convex 3"])
def test_softplus_convex_for_no_p_each_with_a_certificate(decided, name):
    d = decided[name]
    assert d.verdict == "refuted" and d.constant is None
    sequence = d.certificate
    assert sequence.limit.kind == "zero" and sequence.refutes("convex")
    values = [row.ratio for row in sequence.table if row.digits >= 1]
    assert len(values) >= 3 and values[-1] < values[0]


@pytest.mark.parametrize("name", ["exp smooth 1", "exp smooth 2", "exp smooth 3"])
def test_exponential_smooth_for_no_q_each_with_a_certificate(decided, name):
    d = decided[name]
    assert d.verdict == "refuted"
    assert d.certificate.limit.kind == "infinite" and d.certificate.refutes("smooth")
    assert d.every_exponent  # g − h fixed along it: the ratio does not depend on q


def test_softplus_smooth_for_q_one_and_between(decided):
    assert decided["softplus smooth 1"].verdict == "holds" and decided["softplus smooth 1"].constant == 1
    d = decided["softplus smooth 3/2"]
    low, high = d.constant_bounds
    assert d.verdict == "holds" and d.constant is None and 0 < low < high
    assert high >= sp.sqrt(sp.Rational(1, 8)) and high - sp.sqrt(sp.Rational(1, 8)) < sp.Rational(1, 10**6)
    # the lower end is a value the ratio takes, at the witness pair
    g, h = d.witness
    assert _ratio(BregmanLoss.from_string(SOFTPLUS), g, h, sp.Rational(3, 2)).lower() >= to_arb(low)


def test_cube_convex_constant_is_two_minus_sqrt_two_and_tight(decided):
    d = decided["cube convex 3"]
    c = 2 - sp.sqrt(2)
    assert d.verdict == "holds" and sp.simplify(d.constant - c) == 0
    low, high = d.constant_bounds
    assert low <= c.evalf(30) <= high
    # attained: the ratio at the reported pair equals the constant exactly (scaling-invariant)
    h, g = -1 + sp.sqrt(2) / 2, sp.sqrt(2) / 2
    assert sp.simplify(CUBE.divergence(g, h) / sp.Abs(g - h) ** 3 - c) == 0
    # no sampled pair beats it
    with working_precision(30):
        bound = to_arb(c)
        for hh in [sp.Rational(k, 3) for k in range(-9, 10)]:
            for v in [sp.Rational(k, 4) for k in range(-24, 25) if k]:
                assert not (_ratio(CUBE, hh + v, hh, 3) < bound)


def test_cube_not_smooth_at_three(decided):
    d = decided["cube smooth 3"]
    assert d.verdict == "refuted" and d.certificate.limit.kind == "infinite"


def test_three_halves_smooth_constant_and_tight(decided):
    d = decided["three halves smooth"]
    c = sp.sqrt(1 + sp.sqrt(2) / 2)
    assert d.verdict == "holds" and sp.simplify(d.constant - c) == 0
    with working_precision(30):
        bound = to_arb(c)
        best = max(float(_ratio(THREE_HALVES, hh + v, hh, sp.Rational(3, 2)).mid())
                   for hh in [sp.Rational(k, 4) for k in range(-8, 9)]
                   for v in [sp.Rational(k, 8) for k in range(-64, 65) if k])
        for hh in [sp.Rational(k, 3) for k in range(-6, 7)]:
            for v in [sp.Rational(k, 5) for k in range(-40, 41) if k]:
                assert not (_ratio(THREE_HALVES, hh + v, hh, sp.Rational(3, 2)) > bound)
    assert float(c) - best < 1e-3  # approached by the sampled pairs


def test_three_halves_not_convex(decided):
    assert decided["three halves convex"].verdict == "refuted"


def test_huber(decided):
    smooth = decided["huber smooth 2"]
    assert smooth.verdict == "holds" and smooth.constant == sp.Rational(1, 2) and "[-1, 1]" in smooth.attained
    assert decided["huber convex 2"].verdict == "refuted"


def test_relative_forms(decided):
    assert decided["squared relative"].verdict == "holds" and decided["squared relative"].constant == 1
    assert decided["squared relative"].minimiser_point == 0
    softplus = decided["softplus relative"]
    assert softplus.verdict == "undecided" and any("no minimiser" in line for line in softplus.route)
    cube = decided["cube relative smooth"]
    assert cube.verdict == "holds" and cube.constant == 1


def test_json_document(decided):
    document = decided["softplus smooth 2"].to_document()
    text = json.dumps(document)
    assert document["constant"] == "1/8" and document["verdict"] == "holds" and RECONSTRUCTION_NOTE in document["notes"]
    refuted = json.loads(json.dumps(decided["softplus convex 2"].to_document()))
    assert refuted["certificate"]["limit"]["kind"] == "zero" and refuted["certificate"]["table"]
    assert "schema" in json.loads(text)


def test_report_mentions_the_reconstruction(decided):
    assert RECONSTRUCTION_NOTE in decided["squared convex"].report()
    assert "certificate" in decided["exp smooth 2"].report()


# -- negative controls ------------------------------------------------------------------------
@pytest.mark.parametrize("g, h", [(1 / t, 0), (-1 / t, 0), (t + 1, t), (-t + 1, -t), (t, 0), (-t, 0)])
def test_no_certificate_against_a_true_claim(g, h):
    """Softplus is H(Φ)-smooth with q = 2: no sequence may refute it."""
    sequence = PairSequence(BregmanLoss.from_string(SOFTPLUS), sp.Integer(2), g, h, "control")
    sequence.compute_limit()
    sequence.compute_table()
    assert sequence.limit.kind in ("zero", "positive")
    assert not sequence.refutes("smooth")


def test_equality_case_is_never_refuted():
    """Squared loss, c = 1: the ratio is 1 along every sequence; no sequence refutes convexity."""
    loss = BregmanLoss.from_string("u**2")
    for g, h in [(1 / t, 0), (t, 0), (t + 1, t), (-t, 1)]:
        sequence = PairSequence(loss, sp.Integer(2), g, h, "control")
        sequence.compute_limit()
        sequence.compute_table()
        assert sequence.limit.value == 1 and not sequence.refutes("convex") and not sequence.refutes("smooth")


def test_a_wrong_critical_point_solver_does_not_give_a_wrong_constant(monkeypatch):
    """Mutant: the solver loses the critical point of F″ (u = 0 for softplus). The extreme it would then
    claim (0, a limit at ±∞) is contradicted by the ball guard, so no `holds` with a wrong constant."""
    monkeypatch.setattr(decide_module, "_critical_points", lambda r, s, lo, hi: [])
    d = decide_bregman(SOFTPLUS, kind="smooth", p=2)
    assert d.verdict == "undecided" and d.constant is None
    assert any("not found exactly" in line for line in d.route)


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [0, -1, "nan", "inf", "x"])
def test_bad_exponent(p):
    with pytest.raises(InvalidRhoError, match="exponent p"):
        decide_bregman("u**2", kind="convex", p=p)


def test_bad_inputs():
    with pytest.raises(NotConvexError, match="not convex"):
        decide_bregman("u**4 - u**2", kind="smooth", p=2)
    with pytest.raises(UnknownVariableError):
        decide_bregman("u**2 + y", kind="smooth", p=2)
    with pytest.raises(NonDifferentiableError):
        decide_bregman("abs(u)", kind="smooth", p=2)
    with pytest.raises(ParseError, match="kind"):
        decide_bregman("u**2", kind="strong", p=2)
    with pytest.raises(DlnsmoothError):
        decide_bregman("u**2", kind="convex", p=2, var="1x")


def test_a_tiny_time_budget_ends_quickly_without_a_wrong_verdict():
    start = time.perf_counter()
    d = decide_bregman("log(cosh(u))", kind="smooth", p=2, time_budget=0.01)
    assert time.perf_counter() - start < 5
    assert d.verdict == "undecided" or (d.verdict == "holds" and d.constant == sp.Rational(1, 2))
