"""Regression data (Z, y) held exactly: the rows z_iᵀ and responses y_i of the seed's losses.

The seed's losses (3), (10) and (15) are sums over observations i = 1..N of a term in the residual
``y_i − z_iᵀβ``. :class:`RegressionData` keeps Z (N × P) and y (N) as exact rationals
(:class:`fractions.Fraction`), validated (rectangular, non-empty, finite numbers), so that the
dynamics built on them can be iterated exactly.

Sources:

* :meth:`RegressionData.from_file` reads a file; the format is chosen by the extension:

  - ``.json``: an object ``{"Z": [[z_11, …, z_1P], …], "y": [y_1, …, y_N]}``;
  - anything else (``.csv``, ``.txt``): comma-separated rows, one observation per line, the response
    in the LAST column (``z_i1, …, z_iP, y_i``); blank lines and lines starting with ``#`` are skipped,
    and a first line in which no cell is a number is taken as a header (column names) and skipped.

  Every entry is read exactly with :func:`dlnsmooth.numbers.parse_number` (``0.1`` is 1/10, ``"1/3"``
  is 1/3); numbers given as JSON floats are read from the decimal they print as.
* :meth:`RegressionData.random` draws a seeded data set: entries uniform on ``z_range`` / ``y_range``
  from ``numpy.random.default_rng(seed)`` (Z row by row first, then y), rounded to ``digits``
  decimals, hence exact rationals; the same (n, p, seed, ranges, digits) always give the same data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import DataError, ParseError, ShapeError
from ..numbers import parse_number

__all__ = ["RegressionData", "exact_fraction", "MAX_ENTRIES"]

#: Largest number of entries of Z accepted (keeps the exact products within reach).
MAX_ENTRIES = 10_000_000


def exact_fraction(value: object, what: str) -> Fraction:
    """``value`` (int, Fraction, decimal or fraction text, float by its printed decimal) as an exact
    :class:`~fractions.Fraction`; NaN, infinities and non-numbers raise a one-line
    :class:`~dlnsmooth.errors.ParseError` naming ``what``."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    rational = parse_number(value, what=what)
    return Fraction(int(rational.p), int(rational.q))


class RegressionData:
    """Data (Z, y): ``Z`` an N × P matrix of exact rationals (rows z_iᵀ), ``y`` N exact responses.

    Raises :class:`~dlnsmooth.errors.DataError` for empty data, :class:`~dlnsmooth.errors.ShapeError`
    for ragged rows or len(y) ≠ N, :class:`~dlnsmooth.errors.ParseError` for NaN / infinite / non-numeric
    entries.
    """

    def __init__(self, Z: Sequence[Sequence[object]], y: Sequence[object], *, source: str = "given") -> None:
        rows = _rows(Z)
        if not rows:
            raise DataError("the data has no rows (Z is empty)")
        width = len(rows[0])
        if width == 0:
            raise DataError("the data has no columns (Z has empty rows)")
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ShapeError(f"Z is not rectangular: row {i + 1} has {len(row)} entries, row 1 has {width}")
        if len(rows) * width > MAX_ENTRIES:
            raise DataError(f"Z has {len(rows)} × {width} entries, beyond the limit of {MAX_ENTRIES}")
        responses = list(y) if not isinstance(y, (str, bytes)) else None
        if responses is None:
            raise ShapeError("y must be a sequence of numbers")
        if len(responses) != len(rows):
            raise ShapeError(f"Z has {len(rows)} rows but y has {len(responses)} entries")
        self.Z: list[list[Fraction]] = [[exact_fraction(v, f"Z[{i + 1}][{j + 1}]") for j, v in enumerate(row)]
                                       for i, row in enumerate(rows)]
        self.y: list[Fraction] = [exact_fraction(v, f"y[{i + 1}]") for i, v in enumerate(responses)]
        self.source = source

    @property
    def rows(self) -> int:
        """N, the number of observations."""
        return len(self.Z)

    @property
    def columns(self) -> int:
        """P, the number of coefficients."""
        return len(self.Z[0])

    def __repr__(self) -> str:
        return f"RegressionData({self.rows} × {self.columns}, {self.source})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RegressionData) and self.Z == other.Z and self.y == other.y

    def __hash__(self) -> int:
        return hash((self.rows, self.columns, tuple(self.y)))

    @classmethod
    def from_file(cls, path: str | Path) -> RegressionData:
        """Read data from a JSON or CSV file (module docstring: format and exact parsing)."""
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"cannot read the data file {str(path)!r}: {exc.strerror or exc}") from None
        if file.suffix.lower() == ".json":
            return cls._from_json(text, str(path))
        return cls._from_csv(text, str(path))

    @classmethod
    def _from_json(cls, text: str, name: str) -> RegressionData:
        try:
            payload = json.loads(text, parse_float=str, parse_constant=_refuse_constant)
        except (json.JSONDecodeError, ParseError) as exc:
            raise DataError(f"{name} is not valid JSON data: {exc}") from None
        if not isinstance(payload, dict) or "Z" not in payload or "y" not in payload:
            raise DataError(f'{name} must hold a JSON object {{"Z": [[...], ...], "y": [...]}}')
        if not isinstance(payload["Z"], list) or not isinstance(payload["y"], list):
            raise DataError(f'{name}: "Z" must be a list of rows and "y" a list of numbers')
        return cls(payload["Z"], payload["y"], source=name)

    @classmethod
    def _from_csv(cls, text: str, name: str) -> RegressionData:
        lines = [line.strip() for line in text.splitlines()]
        lines = [line for line in lines if line and not line.startswith("#")]
        if lines and _header_line(lines[0]):
            lines = lines[1:]
        table = [[cell.strip() for cell in line.split(",")] for line in lines]
        if not table:
            raise DataError(f"{name} holds no data rows")
        if any(len(row) < 2 for row in table):
            raise ShapeError(f"{name}: every row needs at least one feature and the response (last column)")
        return cls([row[:-1] for row in table], [row[-1] for row in table], source=name)

    @classmethod
    def random(cls, n: int, p: int, seed: int, *, z_range: tuple[object, object] = (-1, 1),
               y_range: tuple[object, object] = (-1, 1), digits: int = 2) -> RegressionData:
        """N = ``n`` observations of P = ``p`` features, uniform on the ranges, rounded to ``digits``
        decimals (exact), drawn from ``numpy.random.default_rng(seed)``: Z row by row, then y."""
        for value, what in ((n, "n"), (p, "p"), (digits, "digits")):
            if isinstance(value, bool) or not isinstance(value, int):
                raise DataError(f"{what} must be an integer, got {value!r}")
        if n < 1 or p < 1:
            raise DataError(f"random data needs n ≥ 1 rows and p ≥ 1 columns, got n = {n}, p = {p}")
        if n * p > MAX_ENTRIES:
            raise DataError(f"random data of {n} × {p} entries is beyond the limit of {MAX_ENTRIES}")
        if not 0 <= digits <= 12:
            raise DataError(f"digits must be between 0 and 12, got {digits}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise DataError(f"the seed must be a non-negative integer, got {seed!r}")
        z_low, z_high = _range(z_range, "z_range")
        y_low, y_high = _range(y_range, "y_range")
        rng = np.random.default_rng(seed)
        Z = _rounded(rng.uniform(float(z_low), float(z_high), size=(n, p)), digits)
        y = _rounded(rng.uniform(float(y_low), float(y_high), size=(n, 1)), digits)
        return cls(Z, [row[0] for row in y], source=f"random(n={n}, p={p}, seed={seed}, digits={digits})")


def _rows(Z: object) -> list[list[object]]:
    if isinstance(Z, (str, bytes)) or not isinstance(Z, Sequence | np.ndarray):
        raise ShapeError("Z must be a matrix: a sequence of rows")
    rows = []
    for i, row in enumerate(Z):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence | np.ndarray):
            raise ShapeError(f"Z must be a matrix: row {i + 1} is not a sequence of numbers")
        rows.append(list(row))
    return rows


def _header_line(line: str) -> bool:
    """True when no cell of the line reads as a number (column names)."""
    for cell in line.split(","):
        try:
            parse_number(cell.strip())
        except (ParseError, ValueError):
            continue
        return False
    return True


def _refuse_constant(name: str) -> None:
    raise ParseError(f"{name} is not a finite number")


def _range(bounds: tuple[object, object], what: str) -> tuple[Fraction, Fraction]:
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise DataError(f"{what} must be a pair (low, high), got {bounds!r}") from None
    low, high = exact_fraction(low, what), exact_fraction(high, what)
    if not low < high:
        raise DataError(f"{what} must have low < high, got ({low}, {high})")
    return low, high


def _rounded(values: np.ndarray, digits: int) -> list[list[Fraction]]:
    scale = 10 ** digits
    return [[Fraction(int(round(float(v) * scale)), scale) for v in row] for row in values]
