"""Data sets (x_i, y_i) for network objectives, held as exact rationals.

Sources:

* inline text — a list of pairs, e.g. ``"[(1, 1), (-2, -1)]"`` or, for inputs
  of dimension > 1, ``"[([1, 0.5], 1), ([0, 2], -1)]"``, or, for networks with
  m > 1 outputs, vector labels ``"[([1, 0.5], [0, 1]), ([0, 2], [1, 0])]"``
  (read with a whitelisting parser: numbers, signs, ``/``, lists and tuples only);
* a JSON file holding such a list, or ``{"x": [...], "y": [...]}`` (y a list of
  numbers or of label vectors);
* a CSV file whose last column is y — or whose last m columns are the label
  vector, with ``outputs=m`` (a header row is skipped);
* :meth:`Dataset.random` — N observations drawn reproducibly from a seed:
  inputs are standard normal draws rounded to two decimals (read exactly);
  labels ±1 with equal probability (``sign``), normal draws rounded to two
  decimals (``real``, m of them per observation) or one-hot vectors of a
  uniformly drawn class among m (``distribution``).

**Labels.** A label is a number (scalar output) or a vector of m numbers
(network output dimension m). Labels of dimension 1 are held as numbers, so
``[([1], [1])]`` and ``[(1, 1)]`` are the same data set; larger ones as tuples.
:attr:`Dataset.label_vectors` gives every label as a tuple, whatever its
dimension. Which labels suit which loss (±1, real vectors, probability vectors
for the cross-entropy) is checked by :meth:`Dataset.check_network`.

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
from .losses import Loss, OutputLoss

__all__ = ["Dataset", "MAX_DATA_VALUES", "LABEL_KINDS"]

#: Largest data set (observations × input dimension) the package reads or draws: each value is an
#: exact rational used in every derivative of the loss.
MAX_DATA_VALUES = 100_000
#: The kinds of random labels :meth:`Dataset.random` draws (the ``labels`` of the losses).
LABEL_KINDS = ("sign", "real", "distribution")

Label = sp.Rational | tuple[sp.Rational, ...]


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
    """Observations ``(x_i, y_i)``: ``inputs[i]`` is a tuple of rationals; ``targets[i]`` a rational
    (labels of dimension 1) or a tuple of m ≥ 2 rationals (vector labels, every one of the same m).

    Checks on construction: as many labels as inputs, at least one observation, inputs of
    one common dimension ≥ 1, labels of one common dimension ≥ 1, the size limit."""

    inputs: tuple[tuple[sp.Rational, ...], ...]
    targets: tuple[Label, ...]
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
        object.__setattr__(self, "targets", _normalised_labels(self.targets))

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_pairs(cls, pairs: Sequence, source: str = "given") -> Dataset:
        """From ``[(x, y), ...]`` with x, and y, a number or a sequence of numbers (a dictionary
        ``{"x": [...], "y": [...]}`` is read as the pairs it zips)."""
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
            targets.append(_label(y, i))
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
    def load(cls, path: str | Path, outputs: int = 1) -> Dataset:
        """Read a ``.json`` or ``.csv`` file; in a CSV file the last ``outputs`` columns are the
        label (JSON labels say their own dimension: numbers or lists)."""
        outputs = _check_outputs(outputs)
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
            return cls._from_csv(text, str(path), outputs)
        raise DataError(f"{path}: unknown data format {path.suffix!r}; use .json or .csv")

    @classmethod
    def _from_csv(cls, text: str, source: str, outputs: int = 1) -> Dataset:
        rows = [row for row in csv.reader(text.splitlines()) if row and any(c.strip() for c in row)]
        if rows and not all(_is_number(c) or _non_finite(c) for c in rows[0]):
            rows = rows[1:]  # a header: names, not numbers (nan/inf are bad data, not names)
        if not rows:
            raise DataError(f"{source}: no data rows")
        pairs = []
        for i, row in enumerate(rows):
            if len(row) < outputs + 1:
                wanted = "a final y" if outputs == 1 else f"{outputs} final label columns"
                raise DataError(f"{source}: row {i + 1} has {len(row)} column(s); need x columns and {wanted}")
            pairs.append((row[:-outputs], row[-1] if outputs == 1 else row[-outputs:]))
        return cls.from_pairs(pairs, source=source)

    @classmethod
    def resolve(cls, spec: str, outputs: int = 1) -> Dataset:
        """A file path if ``spec`` names a file (``outputs``: label columns of a CSV file),
        otherwise inline data."""
        outputs = _check_outputs(outputs)
        candidate = Path(spec)
        if candidate.suffix.lower() in {".json", ".csv"} or candidate.is_file():
            return cls.load(candidate, outputs)
        return cls.parse_inline(spec)

    @classmethod
    def random(cls, n: int, dim: int, seed: int, labels: str = "sign", outputs: int = 1) -> Dataset:
        """N reproducible observations with labels of dimension ``outputs`` (module docstring):
        ``sign`` (±1, one output), ``real`` (normal draws) or ``distribution`` (one-hot classes,
        at least 2 outputs). The inputs depend only on (n, dim, seed)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise DataError(f"the number of random observations must be a positive integer, got {n!r}")
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise ShapeError(f"input dimension must be a positive integer, got {dim!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise DataError(f"the seed must be a non-negative integer (for reproducible data), got {seed!r}")
        if labels not in LABEL_KINDS:
            raise DataError(f"labels must be 'sign' (±1), 'real' or 'distribution' (one-hot), got {labels!r}")
        outputs = _check_outputs(outputs)
        if labels == "sign" and outputs != 1:
            raise ShapeError(f"±1 labels are for networks with one output; got {outputs} outputs")
        if labels == "distribution" and outputs < 2:
            raise ShapeError("one-hot labels need at least 2 classes (outputs); got 1")
        _check_size(n, dim)
        rng = np.random.default_rng(seed)
        xs = np.round(rng.standard_normal((n, dim)), 2)
        inputs = tuple(tuple(sp.Rational(f"{v:.2f}") for v in row) for row in xs)
        return cls(inputs, _random_labels(rng, n, labels, outputs), source=f"random (N={n}, seed={seed})")

    # -- use ----------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.targets)

    @property
    def dim(self) -> int:
        return len(self.inputs[0])

    @property
    def target_dim(self) -> int:
        """m, the dimension of every label (1 for numbers)."""
        first = self.targets[0]
        return len(first) if isinstance(first, tuple) else 1

    @property
    def label_vectors(self) -> tuple[tuple[sp.Rational, ...], ...]:
        """Every label as a tuple of its m entries (``(y,)`` for a number)."""
        return tuple(y if isinstance(y, tuple) else (y,) for y in self.targets)

    def check(self, input_dim: int, loss: Loss) -> None:
        """Raise a clear error unless every x has ``input_dim`` coordinates and every y is a number
        that suits the scalar ``loss`` (deep linear networks)."""
        self._check_inputs(input_dim)
        if self.target_dim != 1:
            raise ShapeError(f"the labels are vectors of dimension {self.target_dim}; this network has one output "
                             "(labels must be numbers)")
        for i, y in enumerate(self.targets):
            loss.check_label(y, i)

    def check_network(self, input_dim: int, output_dim: int, loss: OutputLoss) -> None:
        """Raise a clear error unless every x has ``input_dim`` coordinates, every label has
        ``output_dim`` entries, ``loss`` is defined for that many outputs, and every label suits
        ``loss`` (±1, real, or a probability vector for the cross-entropy)."""
        self._check_inputs(input_dim)
        loss.check_outputs(output_dim)
        if self.target_dim != output_dim:
            have = "numbers" if self.target_dim == 1 else f"vectors of dimension {self.target_dim}"
            raise ShapeError(f"the labels are {have}; the network has {output_dim} output(s) (its last width), "
                             f"so each label needs {output_dim} entr{'y' if output_dim == 1 else 'ies'}")
        for i, y in enumerate(self.label_vectors):
            loss.check_label(y, i)

    def _check_inputs(self, input_dim: int) -> None:
        for i, x in enumerate(self.inputs):
            if len(x) != input_dim:
                raise ShapeError(
                    f"observation {i + 1} has an input of dimension {len(x)}; the first width is {input_dim}"
                )

    def describe(self, limit: int = 4) -> str:
        shown = "; ".join(f"x={_vector_text(x)}, y={_label_text(y)}"
                          for x, y in list(zip(self.inputs, self.targets))[:limit])
        more = f"; … ({self.size} observations)" if self.size > limit else ""
        return f"{shown}{more}"

    def to_json(self) -> dict:
        """``{"source", "x": [[…], …], "y": […]}``: numbers as exact strings; vector labels as lists."""
        return {"source": self.source, "x": [[sp.sstr(v) for v in x] for x in self.inputs],
                "y": [[sp.sstr(v) for v in y] if isinstance(y, tuple) else sp.sstr(y) for y in self.targets]}


def _vector_text(x: Sequence) -> str:
    head = ", ".join(sp.sstr(v) for v in x[:6])
    return f"({head}, … {len(x)} entries)" if len(x) > 6 else f"({head})"


def _label_text(y: Label) -> str:
    return _vector_text(y) if isinstance(y, tuple) else sp.sstr(y)


def _label(y: object, index: int) -> Label:
    """One label read exactly: a number, or a vector (list/tuple) of numbers."""
    if isinstance(y, (list, tuple)):
        if not y:
            raise ShapeError(f"the label of observation {index + 1} is an empty vector")
        return tuple(_number(v, f"y of observation {index + 1}") for v in y)
    return _number(y, f"y of observation {index + 1}")


def _normalised_labels(targets: Sequence) -> tuple[Label, ...]:
    """Labels of one common dimension; those of dimension 1 as numbers (module docstring)."""
    dims = {len(y) if isinstance(y, (tuple, list)) else 1 for y in targets}
    if len(dims) != 1:
        raise ShapeError(f"labels have different dimensions {sorted(dims)}; all must match the output width")
    if 0 in dims:
        raise ShapeError("labels must have at least one entry")
    if dims.pop() == 1:
        return tuple(y[0] if isinstance(y, (tuple, list)) else y for y in targets)
    return tuple(tuple(y) for y in targets)


def _check_outputs(outputs: object) -> int:
    if isinstance(outputs, bool) or not isinstance(outputs, int) or outputs < 1:
        raise ShapeError(f"the number of outputs (label entries) must be a positive integer, got {outputs!r}")
    return outputs


def _random_labels(rng: np.random.Generator, n: int, labels: str, outputs: int) -> tuple[Label, ...]:
    if labels == "sign":
        return tuple(sp.Integer(int(v)) for v in rng.choice([-1, 1], size=n))
    if labels == "real":
        if outputs == 1:
            return tuple(sp.Rational(f"{v:.2f}") for v in np.round(rng.standard_normal(n), 2))
        return tuple(tuple(sp.Rational(f"{v:.2f}") for v in row) for row in np.round(rng.standard_normal((n, outputs)), 2))
    classes = rng.integers(0, outputs, size=n)
    return tuple(tuple(sp.Integer(1 if j == c else 0) for j in range(outputs)) for c in classes)


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
