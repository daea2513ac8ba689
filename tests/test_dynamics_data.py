"""Exact regression data: seeded random draws, CSV and JSON files, validation with one-line errors."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from dlnsmooth.dynamics.data import RegressionData
from dlnsmooth.errors import DataError, ParseError, ShapeError


def test_random_data_is_seeded_exact_and_rounded():
    data = RegressionData.random(4, 3, 7, digits=2)
    again = RegressionData.random(4, 3, 7, digits=2)
    assert data == again and data != RegressionData.random(4, 3, 8, digits=2)
    assert (data.rows, data.columns) == (4, 3)
    values = [v for row in data.Z for v in row] + data.y
    assert all(isinstance(v, Fraction) and (v * 100).denominator == 1 and -1 <= v <= 1 for v in values)
    rng = np.random.default_rng(7)  # the documented draw: Z row by row, then y
    assert data.Z[0][0] == Fraction(round(rng.uniform(-1, 1) * 100), 100)


def test_random_ranges_and_digits():
    data = RegressionData.random(3, 2, 1, z_range=(0, 10), y_range=("-1/2", "1/2"), digits=0)
    assert all(v.denominator == 1 and 0 <= v <= 10 for row in data.Z for v in row)
    assert all(-1 <= v <= 1 for v in data.y)


def test_csv_with_header_comments_and_exact_numbers(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("# two features, response last\nz1, z2, y\n0.1, 1/3, 2\n\n-0.25, 4, 1e-3\n", encoding="utf-8")
    data = RegressionData.from_file(path)
    assert data.Z == [[Fraction(1, 10), Fraction(1, 3)], [Fraction(-1, 4), Fraction(4)]]
    assert data.y == [Fraction(2), Fraction(1, 1000)]


def test_json_file(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"Z": [[0.1, "2/3"], [1, 2]], "y": [0.3, -1]}), encoding="utf-8")
    data = RegressionData.from_file(path)
    assert data.Z == [[Fraction(1, 10), Fraction(2, 3)], [1, 2]] and data.y == [Fraction(3, 10), -1]


@pytest.mark.parametrize("text, suffix, error", [
    ("1, 2, 3\n4, 5\n", ".csv", ShapeError),
    ("1, nan, 3\n", ".csv", ParseError),
    ("", ".csv", DataError),
    ("3\n4\n", ".csv", ShapeError),
    ('{"Z": [[1, 2]], "y": [1, 2]}', ".json", ShapeError),
    ('{"Z": [[1, NaN]], "y": [1]}', ".json", DataError),
    ('{"X": []}', ".json", DataError),
    ("{not json", ".json", DataError),
], ids=["ragged", "nan", "empty", "no-feature", "y-length", "json-nan", "json-keys", "json-syntax"])
def test_bad_files_give_one_line_errors(tmp_path, text, suffix, error):
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as info:
        RegressionData.from_file(path)
    assert "\n" not in str(info.value)


def test_missing_file_and_bad_random_arguments():
    with pytest.raises(DataError, match="cannot read"):
        RegressionData.from_file("/nonexistent/data.csv")
    for kwargs in ({"n": 0, "p": 2, "seed": 1}, {"n": 2, "p": 2, "seed": -1}, {"n": 10 ** 5, "p": 10 ** 3, "seed": 1},
                   {"n": 2, "p": 2, "seed": 1, "z_range": (1, 1)}):
        with pytest.raises(DataError):
            RegressionData.random(**kwargs)
