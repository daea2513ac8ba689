"""dlnsmooth.limits: symbolic limits under a budget, classified honestly (never a guess)."""

import time

import pytest
import sympy as sp

import dlnsmooth.limits as limits
from dlnsmooth.limits import classify, limit_at_infinity

t = sp.Symbol("t", positive=True)


def _sleep(seconds):
    time.sleep(seconds)
    return "slept"


@pytest.mark.parametrize(
    ("expression", "kind", "value"),
    [
        (12 * t**2 / (1 + 2 * t ** sp.Rational(3, 2)), "infinite", sp.oo),
        (12 * t**2 / (1 + 2 * 2 ** sp.Rational(2, 5) * t ** sp.Rational(21, 10)), "finite", 0),
        ((3 * t**2 + 1) / (t**2 + 5), "finite", 3),
        (-t, "negative-infinite", -sp.oo),
        (sp.log(1 + sp.exp(t)) - t, "finite", 0),
        (sp.sin(t), "bounded", sp.AccumBounds(-1, 1)),
        (sp.Integer(7), "finite", 7),
    ],
)
def test_limit_classification(expression, kind, value):
    outcome = limit_at_infinity(expression, t, seconds=30)
    assert outcome.kind == kind
    assert outcome.value == value
    assert outcome.decided


def test_limit_that_sympy_cannot_decide_is_unknown():
    outcome = limit_at_infinity(t * sp.sin(t) + sp.sin(t**2), t, seconds=30)
    assert outcome.kind == "unknown"
    assert not outcome.decided
    assert outcome.status in {"unevaluated", "error"}


def test_limit_timeout_is_unknown_not_a_guess(monkeypatch):
    monkeypatch.setattr(limits, "_limit", lambda expression, parameter: _sleep(30))
    outcome = limits.limit_at_infinity(t**2, t, seconds=0.5)
    assert outcome.status == "timeout" and outcome.kind == "unknown" and outcome.value is None
    assert "undetermined" in outcome.value_text()


def test_classify_edge_cases():
    assert classify(sp.nan) == "unknown"
    assert classify(sp.zoo) == "unknown"
    assert classify(sp.AccumBounds(0, sp.oo)) == "unknown"
    assert classify(sp.Limit(sp.sin(t), t, sp.oo)) == "unknown"
    assert classify(sp.sqrt(2)) == "finite"


def test_limit_latex_and_text():
    outcome = limit_at_infinity(t**2, t, seconds=30)
    assert outcome.value_text() == "∞"
    assert outcome.latex() == r"\lim_{t \to \infty} t^{2} = \infty"


def test_oscillating_factors_and_untrusted_finite_limits():
    """SymPy says lim 1/(1 + t(1 + sin t)) = 0, but the expression is 1 at t = 3π/2 + 2πk: along a
    curve such a finite answer is reported as unknown, never used as evidence."""
    import sympy as sp

    from dlnsmooth.curves import Curve, Restriction
    from dlnsmooth.limits import oscillating_factors
    from dlnsmooth.objective import Objective

    t = sp.Symbol("t", positive=True)
    assert oscillating_factors(sp.sin(t) + sp.cos(1 / t) + sp.sin(sp.log(t)), t) == [sp.sin(t), sp.sin(sp.log(t))]
    assert oscillating_factors(t**2 + sp.cos(1 / t), t) == []
    f = Objective.from_string("x", "x")
    restriction = Restriction(f, Curve(f.variables, [t], t))
    outcome = restriction.limit(1 / (1 + t * (1 + sp.sin(t))))
    assert outcome.kind == "unknown" and "oscillates" in outcome.message
    assert restriction.limit(t**2 + sp.cos(1 / t)).kind == "infinite"
    assert restriction.limit(1 / t).kind == "finite"


def test_a_limit_never_runs_past_its_deadline(monkeypatch):
    monkeypatch.setattr(limits, "_limit", lambda expression, parameter: _sleep(30))
    start = time.perf_counter()
    outcome = limits.limit_at_infinity(t**2, t, seconds=20, deadline=start + 0.5)
    assert time.perf_counter() - start < 5
    assert outcome.status == "timeout" and outcome.kind == "unknown"


def test_after_the_deadline_no_limit_is_started(monkeypatch):
    def fail(expression, parameter):  # pragma: no cover - must not be called
        raise AssertionError("a limit was started after the deadline")

    monkeypatch.setattr(limits, "run_with_budget", fail)
    outcome = limits.limit_at_infinity(t**2, t, seconds=20, deadline=time.perf_counter() - 1)
    assert outcome.status == "timeout" and "time budget" in outcome.message
    # an argument whose limit is not computed counts as oscillating (no SymPy limit is trusted)
    assert limits.oscillating_factors(sp.sin(sp.exp(t)), t, deadline=time.perf_counter() - 1) == [sp.sin(sp.exp(t))]


def test_seconds_left():
    assert limits.seconds_left(3.0, None) == 3.0 and limits.seconds_left(None, None) is None
    assert limits.seconds_left(3.0, time.perf_counter() - 1) == 0.0
    assert 0 < limits.seconds_left(None, time.perf_counter() + 100) <= 100
    assert limits.seconds_left(3.0, time.perf_counter() + 100) == 3.0
