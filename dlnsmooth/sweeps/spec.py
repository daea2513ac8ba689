"""A sweep specification: the grid of networks to search, read from TOML and validated.

The smallest spec (it works as written)::

    [grid]
    depths = [3]
    widths = [2]
    activations = ["tanh", "identity"]
    bias = [false]
    losses = ["logistic"]
    data = [{ random = 4, seed = 1 }]
    [search]
    time = 30

``[grid]`` (every key a list; the cases are the product of the lists, in the order written):

``depths``
    L, the number of affine layers (≥ 2); crossed with the uniform entries of ``widths``.
``widths``
    an integer w ≥ 1 is a *uniform* hidden width: L − 1 hidden layers of width w for each depth L;
    a list of integers is a *width pattern*: the hidden widths themselves (its depth is its length + 1,
    so it is not crossed with ``depths``). ``patterns = [[2, 3], [3, 2]]`` lists patterns separately.
``activations``
    registered activations (:data:`dlnsmooth.networks.activations.ACTIVATIONS`).
``bias``
    booleans (with and without bias vectors); default ``[true]``.
``losses``
    registered output losses (:data:`dlnsmooth.networks.losses.OUTPUT_LOSSES`).
``data``
    data generators: inline tables ``{ random = N, seed = S }`` with optional ``input_dim`` and
    ``output_dim``. Dimensions convention: 1 input and 1 output by default, 2 outputs for
    ``cross-entropy`` (one-hot labels of 2 classes); labels follow the loss (±1 for logistic and
    exponential, real for squared, one-hot for cross-entropy), as ``dlnsmooth net --random-data``.

``[search]`` (optional; the search of each case, :class:`dlnsmooth.search.SearchOptions`):

``time``
    seconds per case (> 0, default 10): the search's budget; the worker kills the case after
    ``time`` plus a grace (:func:`dlnsmooth.sweeps.case.grace`: 10 s + time/4).
``certify``
    how many candidates are certified at most (default 3).
``families``
    curve families (default all of :data:`dlnsmooth.search.FAMILIES`).
``rho``
    ``"every"`` (default: search for a curve refuting every ρ ≥ 0, and record the best certified
    critical exponent) or a number ρ ≥ 0.
``exponents``, ``denominator``, ``seed``, ``max_candidates``
    the search's exponent range ``[low, high]`` (default [-2, 2]), the denominator of its exponents
    (default 2), its seed (default 0), its stage-1 size (default 3000).
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DlnsmoothError, ParseError
from ..networks.activations import ACTIVATIONS
from ..networks.losses import OUTPUT_LOSSES
from ..search import FAMILIES
from .case import DEFAULT_TIME, Case, DataSpec, SearchSettings

__all__ = ["SweepSpec", "SpecError", "MAX_CASES", "DEFAULT_TIME", "GRID_KEYS", "SEARCH_KEYS"]

#: The largest grid a spec may name.
MAX_CASES = 100_000
#: The keys of ``[grid]`` and ``[search]``.
GRID_KEYS = ("depths", "widths", "patterns", "activations", "bias", "losses", "data")
SEARCH_KEYS = ("time", "certify", "families", "rho", "exponents", "denominator", "seed", "max_candidates")
DATA_KEYS = ("random", "seed", "input_dim", "output_dim")
#: Bounds that keep one case a network search (not a memory exhaustion).
MAX_DEPTH = 12
MAX_WIDTH = 64
MAX_POINTS = 10_000


class SpecError(ParseError):
    """A sweep spec is not valid (the message names the key and what was expected)."""


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: the architectures (depth, hidden widths), activations, biases, losses,
    data generators, and the search settings shared by every case (module docstring)."""

    architectures: tuple[tuple[int, tuple[int, ...]], ...]
    activations: tuple[str, ...]
    bias: tuple[bool, ...]
    losses: tuple[str, ...]
    data: tuple[DataSpec, ...]
    search: SearchSettings = field(default_factory=SearchSettings)

    # -- reading --------------------------------------------------------------------------------------
    @classmethod
    def from_toml(cls, path: str | Path) -> SweepSpec:
        """Read the spec file ``path`` (TOML)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"no sweep spec at {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read the sweep spec {path}: {exc}") from None
        return cls.from_text(text, source=str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "the sweep spec") -> SweepSpec:
        """Parse TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"{source} is not valid TOML: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping) -> SweepSpec:
        """Validate a parsed spec (``{"grid": {...}, "search": {...}}``)."""
        if not isinstance(data, Mapping):
            raise SpecError(f"a sweep spec is a table with [grid] and [search], got {type(data).__name__}")
        _unknown(data, ("grid", "search"), "top-level table")
        if "grid" not in data:
            raise SpecError("the sweep spec has no [grid] table")
        grid = data["grid"]
        if not isinstance(grid, Mapping):
            raise SpecError("[grid] must be a table")
        _unknown(grid, GRID_KEYS, "[grid] key")
        search_table = data.get("search", {})
        if not isinstance(search_table, Mapping):
            raise SpecError("[search] must be a table")
        _unknown(search_table, SEARCH_KEYS, "[search] key")
        spec = cls(architectures=_architectures(grid),
                   activations=_names(grid, "activations", ACTIVATIONS, "activation"),
                   bias=_booleans(grid),
                   losses=_names(grid, "losses", OUTPUT_LOSSES, "loss"),
                   data=_data(grid),
                   search=_search(search_table))
        for loss in spec.losses:
            for item in spec.data:
                try:
                    item.output_dim_for(loss)
                except DlnsmoothError as exc:
                    raise SpecError(f"[grid] loss {loss!r} with data {item.to_dict()}: {exc}") from None
        if spec.size > MAX_CASES:
            raise SpecError(f"the grid names {spec.size} cases; at most {MAX_CASES} are allowed (split the sweep)")
        return spec

    # -- use ------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """The number of cases."""
        return (len(self.architectures) * len(self.activations) * len(self.bias) * len(self.losses)
                * len(self.data))

    def cases(self) -> list[Case]:
        """Every case, in a deterministic order: architectures (depths × uniform widths, then
        patterns), then activations, biases, losses, data — the order of the spec's lists."""
        return [Case(depth=depth, hidden=hidden, activation=activation, bias=bias, loss=loss, data=data,
                     search=self.search)
                for (depth, hidden), activation, bias, loss, data in itertools.product(
                    self.architectures, self.activations, self.bias, self.losses, self.data)]

    def to_dict(self) -> dict:
        """The spec as a TOML-shaped dict (every value explicit); ``from_dict`` reads it back."""
        return {"grid": {"patterns": [list(hidden) for _, hidden in self.architectures],
                         "activations": list(self.activations), "bias": list(self.bias),
                         "losses": list(self.losses), "data": [d.to_dict() for d in self.data]},
                "search": self.search.to_dict()}

    def to_toml(self) -> str:
        """The spec as TOML text (every value explicit; width patterns listed one by one)."""
        lines: list[str] = []
        for table, values in self.to_dict().items():
            lines.append(f"[{table}]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in values.items() if value is not None]
            lines.append("")
        return "\n".join(lines)


# -- validation helpers ----------------------------------------------------------------------------------
def _unknown(table: Mapping, known: tuple[str, ...], what: str) -> None:
    unknown = [str(k) for k in table if k not in known]
    if unknown:
        raise SpecError(f"unknown {what}{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                        f"expected {', '.join(known)}")


def _list(grid: Mapping, key: str, required: bool = True) -> list:
    if key not in grid:
        if required:
            raise SpecError(f"[grid] needs {key!r} (a list)")
        return []
    value = grid[key]
    if not isinstance(value, list):
        value = [value]
    if not value and required:
        raise SpecError(f"[grid] {key} is empty")
    return value


def _integer(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(f"{what} must be an integer from {low} to {high}, got {value!r}")
    return value


def _architectures(grid: Mapping) -> tuple[tuple[int, tuple[int, ...]], ...]:
    entries = _list(grid, "widths", required=False) + [
        p if isinstance(p, list) else [p] for p in _list(grid, "patterns", required=False)]
    if not entries:
        raise SpecError("[grid] needs 'widths' (hidden widths, or width patterns as lists) or 'patterns'")
    uniform = [_integer(w, "a hidden width", 1, MAX_WIDTH) for w in entries if not isinstance(w, list)]
    patterns = [tuple(_integer(w, "a hidden width", 1, MAX_WIDTH) for w in p) for p in entries if isinstance(p, list)]
    for pattern in patterns:
        if not pattern or len(pattern) + 1 > MAX_DEPTH:
            raise SpecError(f"a width pattern lists 1 to {MAX_DEPTH - 1} hidden widths, got {list(pattern)}")
    depths = [_integer(d, "a depth (the number of affine layers)", 2, MAX_DEPTH)
              for d in _list(grid, "depths", required=bool(uniform))]
    if depths and not uniform:
        raise SpecError("[grid] depths are crossed with uniform widths (integers), but every width is a pattern "
                        "(a pattern has its own depth); remove depths or add integer widths")
    found = [(depth, (width,) * (depth - 1)) for depth in depths for width in uniform]
    found += [(len(p) + 1, p) for p in patterns]
    return tuple(dict.fromkeys(found))


def _names(grid: Mapping, key: str, registry: Mapping, what: str) -> tuple[str, ...]:
    names = []
    for name in _list(grid, key):
        if not isinstance(name, str) or name not in registry:
            raise SpecError(f"unknown {what} {name!r} in [grid] {key}; registered: {', '.join(registry)}")
        names.append(name)
    return tuple(dict.fromkeys(names))


def _booleans(grid: Mapping) -> tuple[bool, ...]:
    values = _list(grid, "bias", required=False) or [True]
    for value in values:
        if not isinstance(value, bool):
            raise SpecError(f"[grid] bias lists true/false, got {value!r}")
    return tuple(dict.fromkeys(values))


def _data(grid: Mapping) -> tuple[DataSpec, ...]:
    found = []
    for entry in _list(grid, "data"):
        if not isinstance(entry, Mapping):
            raise SpecError(f"a [grid] data entry is a table like {{ random = 4, seed = 1 }}, got {entry!r}")
        _unknown(entry, DATA_KEYS, "data key")
        if "random" not in entry:
            raise SpecError(f"a [grid] data entry needs 'random' (the number of points), got {dict(entry)}")
        output_dim = entry.get("output_dim")
        try:
            found.append(DataSpec(random=_integer(entry["random"], "data 'random' (points)", 1, MAX_POINTS),
                                  seed=_integer(entry.get("seed", 0), "data 'seed'", 0, 2**32 - 1),
                                  input_dim=_integer(entry.get("input_dim", 1), "data 'input_dim'", 1, MAX_WIDTH),
                                  output_dim=None if output_dim is None
                                  else _integer(output_dim, "data 'output_dim'", 1, MAX_WIDTH)))
        except DlnsmoothError as exc:
            raise SpecError(str(exc)) from None
    return tuple(dict.fromkeys(found))


def _search(table: Mapping) -> SearchSettings:
    time_value = table.get("time", DEFAULT_TIME)
    if isinstance(time_value, bool) or not isinstance(time_value, (int, float)) or not time_value > 0 \
            or math.isinf(time_value):
        raise SpecError(f"[search] time must be a positive number of seconds, got {time_value!r}")
    families = table.get("families", list(FAMILIES))
    families = [families] if isinstance(families, str) else families
    if not isinstance(families, list) or not families or any(f not in FAMILIES for f in families):
        raise SpecError(f"[search] families lists curve families among {', '.join(FAMILIES)}, got {families!r}")
    rho = table.get("rho", "every")
    if rho != "every":
        if isinstance(rho, bool) or not isinstance(rho, (int, float, str)):
            raise SpecError(f"[search] rho is \"every\" or a number ≥ 0, got {rho!r}")
        rho = str(rho)
    exponents = table.get("exponents", ["-2", "2"])
    if isinstance(exponents, str):
        exponents = exponents.split(":")
    if not isinstance(exponents, list) or len(exponents) != 2:
        raise SpecError(f"[search] exponents is [low, high] (e.g. [-2, 2]), got {exponents!r}")
    settings = SearchSettings(time=float(time_value),
                              certify=_integer(table.get("certify", 3), "[search] certify", 1, 100),
                              families=tuple(dict.fromkeys(families)), rho=rho,
                              exponents=tuple(str(e) for e in exponents),
                              denominator=_integer(table.get("denominator", 2), "[search] denominator", 1, 12),
                              seed=_integer(table.get("seed", 0), "[search] seed", 0, 2**32 - 1),
                              max_candidates=_integer(table.get("max_candidates", 3000), "[search] max_candidates",
                                                      1, 10**6))
    try:
        settings.options()  # the search's own checks (exponent range, rho)
        settings.rho_value()
    except DlnsmoothError as exc:
        raise SpecError(f"[search]: {exc}") from None
    return settings


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items() if v is not None) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")
