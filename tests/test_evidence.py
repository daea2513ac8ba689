"""dlnsmooth.evidence: the evidence of the univariate decision — continuity, the compact and tail
bounds, explicit constants and their check at sample points (the other evidence kinds are tested
through the certificates that carry them)."""

import json
import math
import time

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.conditions import HessianGrowth
from dlnsmooth.curves import Curve, Restriction
from dlnsmooth.evidence import (
    CompactBound,
    ConstantsCheck,
    Continuity,
    Evidence,
    ExplicitConstants,
    TailBound,
    check_constants,
    closed_form_check,
    numeric_table,
)
from dlnsmooth.objective import Objective

R = sp.Rational
QUARTIC_SUP = 12 / mp.power(4, mp.mpf(2) / 3)  # sup r_{2/3} of x⁴ = 4.76220315…, the limit at ±∞
POINTS = [R(0), R(1, 3), R(-2), R(3), R(10), R(-1000), R(10) ** 6, R(10) ** 10, -R(10) ** 20]


@pytest.fixture(scope="module")
def quartic():
    return Objective.from_string("x**4", "x")


def _round_trip(evidence: Evidence) -> dict:
    data = json.loads(json.dumps(evidence.to_json()))
    assert data["kind"] == type(evidence).kind
    return data


# -- the types ---------------------------------------------------------------------------------------------
def test_continuity_records_its_domains_and_serialises():
    proved = Continuity({"f": "Reals", "f′": "Reals", "f″": "Reals"}, True, 0.25)
    data = _round_trip(proved)
    assert data["verified"] is True and data["domains"] == {"f": "Reals", "f′": "Reals", "f″": "Reals"}
    assert data["seconds"] == 0.25 and data["method"] == "SymPy continuous_domain"
    open_question = Continuity({"f": "Reals"}, False, 1.0, "timeout")
    assert _round_trip(open_question)["verified"] is False and len(open_question.lines()) == 1


def test_tail_bounds_serialise_their_side_and_bound():
    found = TailBound(1, True, mp.mpf("4.8"), "substitution x = ±1/u", 12)
    assert _round_trip(found) == {"kind": "tail-bound", "side": "+", "rigorous": True, "upper": "4.8",
                                  "method": "substitution x = ±1/u", "boxes": 12}
    missing = TailBound(-1, False, None, "no substitution")
    assert _round_trip(missing)["upper"] is None and _round_trip(missing)["side"] == "-"


@pytest.mark.parametrize("upper, tails, rigorous", [
    (mp.mpf(3), [TailBound(1, True, mp.mpf(2), "a"), TailBound(-1, True, mp.mpf(2), "b")], True),
    (mp.inf, [TailBound(1, True, mp.mpf(2), "a"), TailBound(-1, True, mp.mpf(2), "b")], False),
    (mp.mpf(3), [TailBound(1, True, mp.mpf(2), "a"), TailBound(-1, False, None, "b")], False),
    (mp.mpf(3), [TailBound(1, False, mp.mpf(2), "a"), TailBound(-1, True, mp.mpf(2), "b")], False),
])
def test_a_compact_bound_is_rigorous_everywhere_only_with_both_tails(upper, tails, rigorous):
    bound = CompactBound(R(4), upper, mp.mpf(1), mp.mpf("3.9"), 70, 300, tails, 0.5)
    assert bound.rigorous_everywhere is rigorous
    data = _round_trip(bound)
    assert data["rigorous_everywhere"] is rigorous and data["radius"] == "4"
    assert [t["side"] for t in data["tails"]] == ["+", "-"]
    assert len(bound.lines()) == 3


def test_explicit_constants_are_one_constant_and_claim_hessian_growth():
    constants = ExplicitConstants(R(2, 3), R(4763, 1000), R(4763, 1000), True, "ball bound")
    condition = constants.condition
    assert isinstance(condition, HessianGrowth)
    assert (condition.rho, condition.C0, condition.C1) == (R(2, 3), R(4763, 1000), R(4763, 1000))
    data = _round_trip(constants)
    assert data["C0"] == data["C1"] == "4763/1000" and data["C0_decimal"] == "4.763" and data["check"] is None
    with pytest.raises(ValueError, match="C0 = C1"):
        ExplicitConstants(R(2, 3), R(1), R(2), True, "two constants")


# -- checking constants at points ----------------------------------------------------------------------------
def test_valid_constants_pass_the_check_with_the_largest_ratio_seen(quartic):
    M = R(4763, 1000)  # ≥ sup r_{2/3}
    check = check_constants(quartic, ExplicitConstants(R(2, 3), M, M, True, "test"), POINTS)
    assert check.ok and check.points == len(POINTS) and not check.undecided
    # r_{2/3} increases with |x| towards its sup: the largest value is at the largest |x|
    assert check.at == "-100000000000000000000" and check.max_abs_x == "1e+20"
    assert abs(check.largest_ratio - QUARTIC_SUP) <= QUARTIC_SUP * mp.mpf(10) ** -14  # r(10²⁰) = sup(1 − 10⁻⁴⁰)


def test_constants_below_the_supremum_are_refuted_far_out(quartic):
    wrong = R(476, 100)  # 4.76 < sup r_{2/3} ≈ 4.7622: violated where r_{2/3} is close to its sup
    assert not HessianGrowth(R(2, 3), wrong, wrong).check_point(quartic, [10**10], dps=60).holds
    check = check_constants(quartic, ExplicitConstants(R(2, 3), wrong, wrong, True, "mutant"), POINTS)
    assert not check.ok
    assert set(check.violations) == {"-1000", "1000000", "10000000000", "-100000000000000000000"}  # not |x| ≤ 10
    assert check.largest_ratio > wrong


def test_the_check_stops_after_its_deadline_once_it_has_its_minimum(quartic):
    M = R(5)
    check = check_constants(quartic, ExplicitConstants(R(2, 3), M, M, True, "test"), POINTS, deadline=-math.inf,
                            minimum=3)
    assert check.points == 3 and check.max_abs_x == "2e+00"


def test_constants_check_serialises():
    check = ConstantsCheck(120, ["1e10"], mp.mpf("4.7622"), "1e10", "1e+30", ["3"])
    data = _round_trip(check)
    assert data["ok"] is False and data["violations"] == ["1e10"] and data["undecided"] == ["3"]
    assert data["largest_ratio"] == "4.7622" and data["points"] == 120


# -- the numeric table: undecided rows, the time budget, the closed-form comparison -----------------
def test_table_rows_that_overflow_are_undecided_rows_and_a_deadline_stops_the_table():
    tower = Objective.from_string("exp(exp(exp(x)))", "x")
    restriction = Restriction(tower, Curve.parse("x=t", tower.variables))
    table = numeric_table(restriction, sp.Integer(1), decades=5, max_dps=400)
    assert len(table.rows) == 5 and len(table.undecided_rows()) >= 3
    data = _round_trip(table)
    assert data["undecided_rows"] == len(table.undecided_rows()) and data["stopped"] is None
    assert all(row["status"] == "undecided" and row["undecided"] for row in data["rows"][2:])
    assert any("undecided row" in line for line in table.lines())
    stopped = numeric_table(restriction, sp.Integer(1), decades=5, deadline=time.perf_counter() - 1)
    assert stopped.rows == [] and "time budget" in stopped.stopped and not stopped.complete
    assert "before the table started" in stopped.stopped and stopped.requested == 5  # nothing compiled
    check = closed_form_check(restriction, stopped)
    assert check.passed is None and check.compared == 0 and _round_trip(check)["passed"] is None
