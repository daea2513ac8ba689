"""dlnsmooth.results: the verdict vocabulary, the one JSON encoding of numbers, the versioned document."""

from __future__ import annotations

import json

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth import __version__
from dlnsmooth.results import INFINITY, VERDICTS, Result, document, json_value
from dlnsmooth.version import SCHEMA_VERSION


def test_the_four_verdict_words():
    assert VERDICTS == ("holds", "refuted", "not refuted", "undecided")


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(None, None), (sp.oo, "inf"), (-sp.oo, "-inf"), (mp.inf, "inf"), (-mp.inf, "-inf"), (float("inf"), "inf"),
     (float("-inf"), "-inf"), (sp.Rational(2, 3), "2/3"), (sp.sqrt(5), "sqrt(5)"), (0.25, 0.25), (3, 3),
     (float("nan"), None), (mp.nan, None), ("refuted", "refuted")],
)
def test_json_value_has_one_encoding_of_infinity(value, encoded):
    assert json_value(value) == encoded
    assert INFINITY == "inf"


def test_json_value_of_an_mpf_is_a_decimal_string():
    with mp.workdps(40):
        assert json_value(mp.mpf(1) / 3, digits=10) == "0.3333333333"


class _Example(Result):
    json_kind = "example"

    def report(self) -> str:
        return "an example"

    def to_json(self) -> dict:
        return {"verdict": "not refuted", "value": json_value(sp.oo)}


def test_every_document_carries_its_schema_and_the_package_version():
    payload = json.loads(_Example().to_json_text())
    assert payload == {"schema": f"dlnsmooth.example/{SCHEMA_VERSION}", "dlnsmooth_version": __version__,
                       "verdict": "not refuted", "value": "inf"}
    assert document("verify", {"verdict": "holds"})["schema"] == f"dlnsmooth.verify/{SCHEMA_VERSION}"
    assert str(_Example()) == "an example"


def test_one_exit_status_per_verdict():
    from dlnsmooth.results import EXIT_STATUSES, exit_status, verify_exit_status

    assert [exit_status(v) for v in VERDICTS] == [0, 1, 3, 4]
    assert EXIT_STATUSES == {0, 1, 2, 3, 4}
    with pytest.raises(ValueError, match="unknown verdict"):
        exit_status("maybe")
    assert verify_exit_status(["holds", "holds"]) == 0
    assert verify_exit_status(["holds", "refuted", "undecided"]) == 1
    assert verify_exit_status(["holds", "undecided"]) == 4
    assert verify_exit_status(["holds", "not refuted"]) == 4
    assert verify_exit_status([]) == 4
