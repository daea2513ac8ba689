"""decide_check: the route `dlnsmooth check` takes without a curve."""

from __future__ import annotations

import time

import pytest

from dlnsmooth.decide import decide_check
from dlnsmooth.errors import InvalidRhoError
from dlnsmooth.objective import Objective
from dlnsmooth.search import SearchOptions, SearchResult
from dlnsmooth.separable import SeparableDecision
from dlnsmooth.univariate import UnivariateDecision

OPTIONS = SearchOptions(time_budget=20)


def test_one_variable_goes_to_the_univariate_decision_and_holds_with_constants():
    result = decide_check(Objective.from_string("x**4", "x"), rho="2/3", options=OPTIONS, progress=False)
    assert isinstance(result, UnivariateDecision)
    assert result.verdict == "holds"
    assert result.constants is not None and result.constants.certified


def test_one_variable_below_the_threshold_is_refuted_with_a_certificate():
    result = decide_check(Objective.from_string("x**4", "x"), rho="0.6", options=OPTIONS, progress=False)
    assert isinstance(result, UnivariateDecision)
    assert result.verdict == "refuted" and result.certificate.verdict == "refuted"


def test_every_rho_for_one_variable_decides_the_answer_set():
    result = decide_check(Objective.from_string("x**4", "x"), every_rho=True, options=OPTIONS, progress=False)
    assert isinstance(result, UnivariateDecision)
    assert result.verdict == "holds" and result.answer.text() == "ρ ≥ 2/3"


def test_a_separable_sum_goes_to_the_separable_decision():
    f = Objective.from_string("x**4 + 3*y**4 - y**2", "x,y")
    refuted = decide_check(f, rho="0.6", options=OPTIONS, progress=False)
    assert isinstance(refuted, SeparableDecision)
    assert refuted.verdict == "refuted" and refuted.certificate.verdict == "refuted"


@pytest.mark.slow
def test_a_separable_sum_holds_with_the_combined_constants():
    f = Objective.from_string("x**4 + 3*y**4 - y**2", "x,y")
    result = decide_check(f, rho="2/3", options=OPTIONS, progress=False)
    assert isinstance(result, SeparableDecision)
    assert result.verdict == "holds" and result.constants is not None
    every = decide_check(f, every_rho=True, options=OPTIONS, progress=False)
    assert every.verdict == "holds" and every.answer.text() == "ρ ≥ 2/3" and every.every_rho_verdict == "holds"


@pytest.mark.slow
def test_a_mixed_function_goes_to_the_curve_search():
    options = SearchOptions(time_budget=8, certify=1)
    start = time.perf_counter()
    result = decide_check(Objective.from_string("x*y", "x,y"), rho="1", options=options, progress=False)
    assert isinstance(result, SearchResult)
    assert result.verdict in ("not refuted", "refuted")
    assert time.perf_counter() - start < 8 + 10


@pytest.mark.slow
def test_a_function_not_c2_on_the_line_falls_back_to_the_search():
    options = SearchOptions(time_budget=10, certify=1)
    result = decide_check(Objective.from_string("log(x)", "x"), rho="1", options=options, progress=False)
    assert isinstance(result, SearchResult)
    assert result.verdict == "refuted"
    assert any("does not apply" in note for note in result.notes)


def test_rho_and_every_rho_are_exclusive():
    f = Objective.from_string("x**4", "x")
    with pytest.raises(ValueError):
        decide_check(f, rho="1", every_rho=True, options=OPTIONS)
    with pytest.raises(ValueError):
        decide_check(f, options=OPTIONS)
    with pytest.raises(InvalidRhoError):
        decide_check(f, rho="-1", options=OPTIONS)
