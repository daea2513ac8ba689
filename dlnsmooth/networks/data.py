"""Data sets (x_i, y_i) for network objectives, held as exact rationals.

Sources:

* inline text — a list of pairs, e.g. ``"[(1, 1), (-2, -1)]"`` or, for inputs
  of dimension > 1, ``"[([1, 0.5], 1), ([0, 2], -1)]"`` (read with a
  whitelisting parser: numbers, signs, ``/``, lists and tuples only);
* a JSON file holding such a list, or ``{"x": [...], "y": [...]}``;
* a CSV file whose last column is y (a header row is skipped);
* :meth:`Dataset.random` — N observations drawn reproducibly from a seed:
  inputs are standard normal draws rounded to two decimals (read exactly),
  labels ±1 with equal probability for sign-label losses, normal draws
  rounded to two decimals otherwise.

Decimal numbers are read exactly (``0.1`` is ``1/10``). A data set holds at most
:data:`MAX_DATA_VALUES` numbers (observations × input dimension).
"""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp

from ..errors import DataError, ParseError, ShapeError, TooLargeError
from ..numbers import parse_number
from .losses import Loss

__all__ = ["Dataset", "MAX_DATA_VALUES"]

#: Largest data set (observations × input dimension) the package reads or draws: each value is an
#: exact rational used in every derivative of the loss.
MAX_DATA_VALUES = 100_000


def _number(value: object, where: str) -> sp.Rational:
    try:
        return parse_number(value, what=where)
    except ParseError as exc:
        raise DataError(str(exc)) from None


def _literal(node: ast.AST, text: str):
    """Lists/tuples of exact numbers from a whitelisted AST."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(e, text) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {_literal(k, text): _literal(v, text) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    segment = ast.get_source_segment(text, node)
    if segment is None:
        raise DataError("data must be numbers, lists and tuples")
    try:
        return parse_number(segment, what="data value")
    except ParseError:
        raise DataError(f"data value {segment!r} is not a number") from None


@dataclass(frozen=True)
class Dataset:
    """Observations ``(x_i, y_i)``: ``inputs[i]`` is a tuple of rationals, ``targets[i]`` a rational."""

    inputs: tuple[tuple[sp.Rational, ...], ...]
    targets: tuple[sp.Rational, ...]
    source: str = "given"

    def __post_init__(self):
        if len(self.inputs) != len(self.targets):
            raise ShapeError(f"{len(self.inputs)} inputs but {len(self.targets)} labels")
        if not self.inputs:
            raise DataError("the data set is empty; give at least one observation")
        dims = {len(x) for x in self.inputs}
        if len(dims) != 1:
            raise ShapeError(f"inputs have different dimensions {sorted(dims)}; all must match the input width")
        if 0 in dims:
            raise ShapeError("inputs must have at least one coordinate")
        _check_size(len(self.inputs), dims.pop())

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_pairs(cls, pairs: Sequence, source: str = "given") -> Dataset:
        """From ``[(x, y), ...]`` with x a number or a sequence of numbers."""
        if isinstance(pairs, dict):
            if set(pairs) != {"x", "y"}:
                raise DataError(f"a data dictionary needs exactly the keys 'x' and 'y', got {sorted(pairs)}")
            xs, ys = pairs["x"], pairs["y"]
            if not isinstance(xs, (list, tuple)) or not isinstance(ys, (list, tuple)) or len(xs) != len(ys):
                raise ShapeError("'x' and 'y' must be lists of the same length")
            pairs = list(zip(xs, ys))
        if isinstance(pairs, (str, bytes)) or not isinstance(pairs, (list, tuple)):
            raise DataError("data must be a list of (x, y) pairs")
        inputs, targets = [], []
        for i, pair in enumerate(pairs):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise DataError(f"observation {i + 1} is {pair!r}; expected a pair (x, y)")
            x, y = pair
            xs = x if isinstance(x, (list, tuple)) else [x]
            inputs.append(tuple(_number(v, f"x of observation {i + 1}") for v in xs))
            targets.append(_number(y, f"y of observation {i + 1}"))
        return cls(tuple(inputs), tuple(targets), source)

    @classmethod
    def parse_inline(cls, text: str) -> Dataset:
        """Read an inline list of pairs (see the module docstring)."""
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise DataError(f"inline data {text!r} is malformed: {exc.msg}") from None
        return cls.from_pairs(_literal(tree.body, text.strip()), source="inline")

    @classmethod
    def load(cls, path: str | Path) -> Dataset:
        """Read a ``.json`` or ``.csv`` file."""
        path = Path(path)
        if not path.is_file():
            raise DataError(f"data file {str(path)!r} does not exist")
        text = path.read_text()
        if path.suffix.lower() == ".json":
            try:
                content = json.loads(text, parse_float=str, parse_int=str)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
            return cls.from_pairs(content, source=str(path))
        if path.suffix.lower() == ".csv":
            return cls._from_csv(text, str(path))
        raise DataError(f"{path}: unknown data format {path.suffix!r}; use .json or .csv")

    @classmethod
    def _from_csv(cls, text: str, source: str) -> Dataset:
        rows = [row for row in csv.reader(text.splitlines()) if row and any(c.strip() for c in row)]
        if rows and not all(_is_number(c) or _non_finite(c) for c in rows[0]):
            rows = rows[1:]  # a header: names, not numbers (nan/inf are bad data, not names)
        if not rows:
            raise DataError(f"{source}: no data rows")
        pairs = []
        for i, row in enumerate(rows):
            if len(row) < 2:
                raise DataError(f"{source}: row {i + 1} has {len(row)} column(s); need x columns and a final y")
            pairs.append((row[:-1], row[-1]))
        return cls.from_pairs(pairs, source=source)

    @classmethod
    def resolve(cls, spec: str) -> Dataset:
        """A file path if ``spec`` names a file, otherwise inline data."""
        candidate = Path(spec)
        if candidate.suffix.lower() in {".json", ".csv"} or candidate.is_file():
            return cls.load(candidate)
        return cls.parse_inline(spec)

    @classmethod
    def random(cls, n: int, dim: int, seed: int, labels: str = "sign") -> Dataset:
        """N reproducible observations (see the module docstring)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise DataError(f"the number of random observations must be a positive integer, got {n!r}")
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise ShapeError(f"input dimension must be a positive integer, got {dim!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise DataError(f"the seed must be a non-negative integer (for reproducible data), got {seed!r}")
        if labels not in ("sign", "real"):
            raise DataError(f"labels must be 'sign' (±1) or 'real', got {labels!r}")
        _check_size(n, dim)
        rng = np.random.default_rng(seed)
        xs = np.round(rng.standard_normal((n, dim)), 2)
        if labels == "sign":
            ys = rng.choice([-1, 1], size=n)
        else:
            ys = np.round(rng.standard_normal(n), 2)
        inputs = tuple(tuple(sp.Rational(f"{v:.2f}") for v in row) for row in xs)
        targets = tuple(sp.Rational(f"{v:.2f}") if labels != "sign" else sp.Integer(int(v)) for v in ys)
        return cls(inputs, targets, source=f"random (N={n}, seed={seed})")

    # -- use ----------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.targets)

    @property
    def dim(self) -> int:
        return len(self.inputs[0])

    def check(self, input_dim: int, loss: Loss) -> None:
        """Raise a clear error unless every x has ``input_dim`` coordinates and every y suits ``loss``."""
        for i, x in enumerate(self.inputs):
            if len(x) != input_dim:
                raise ShapeError(
                    f"observation {i + 1} has an input of dimension {len(x)}; the first width is {input_dim}"
                )
        for i, y in enumerate(self.targets):
            loss.check_label(y, i)

    def describe(self, limit: int = 4) -> str:
        def vector(x) -> str:
            head = ", ".join(sp.sstr(v) for v in x[:6])
            return f"({head}, … {len(x)} entries)" if len(x) > 6 else f"({head})"

        shown = "; ".join(f"x={vector(x)}, y={sp.sstr(y)}" for x, y in list(zip(self.inputs, self.targets))[:limit])
        more = f"; … ({self.size} observations)" if self.size > limit else ""
        return f"{shown}{more}"

    def to_json(self) -> dict:
        return {"source": self.source, "x": [[sp.sstr(v) for v in x] for x in self.inputs],
                "y": [sp.sstr(y) for y in self.targets]}


def _check_size(observations: int, dim: int) -> None:
    if observations * dim > MAX_DATA_VALUES:
        raise TooLargeError(f"{observations} observations of dimension {dim} are {observations * dim} values, "
                            f"beyond the limit of {MAX_DATA_VALUES} data values")


def _non_finite(text: str) -> bool:
    """Spellings of NaN and infinity (rejected as data, never taken for a header)."""
    return text.strip().lstrip("+-").lower() in {"nan", "inf", "infinity"}


def _is_number(text: str) -> bool:
    try:
        parse_number(text.strip())
        return True
    except ParseError:
        return False
