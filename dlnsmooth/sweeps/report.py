"""Reading a sweep: the table of its cases, the landscape they draw, and heat maps of it.

A sweep directory (``dlnsmooth sweep SPEC --out DIR``) holds the spec it ran (``spec.toml``) and the
durable table of finished cases (:class:`dlnsmooth.sweeps.store.ResultStore`). :func:`read_landscape`
reads both into a :class:`Landscape`:

* ``rows`` — one row per finished case, in case order (architecture, verdict, the best certified
  critical exponent ρ*, whether every ρ is refuted, the refuting curve, evidence kinds, timings);
* ``families`` — the cases grouped by depth × activation × bias (the cells of the heat maps; widths,
  losses and data vary inside a family), each with its verdict counts and exponents;
* the summary the issue asks for: the families where *every* case refutes every ρ (ρ* = ∞), the best
  finite certified exponent elsewhere, and the cases where the search certified nothing (``not
  refuted``: looked and found nothing, which proves nothing; ``undecided``: the budget ran out or the
  case crashed — its reason is kept).

A certified critical exponent ρ* of a network is a *lower bound* on any ρ for which ∇f could be
ρ-order Lipschitz (SPEC §3, growth exponents): it is computed along a certified curve, it is never a
proof that the condition holds for ρ ≥ ρ*. A family's *bound* is the smallest ρ* among its certified
cases — what holds for every network of the family the sweep certified; its *best* is the largest.

:func:`plot_landscape` draws the heat maps — ρ* by depth × activation, one panel with biases and one
without — with ∞ in its own colour, cells where nothing was certified hatched, and a legend saying the
numbers are certified lower bounds. Exponents are exact strings in the store (``"2"``, ``"3/2"``,
``"inf"``); they are compared exactly (:func:`dlnsmooth.numbers.compare`), and turned into floats only
to pick a colour.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sympy as sp

from ..errors import DlnsmoothError
from ..numbers import compare, parse_constant
from ..plots import new_figure
from ..results import INFINITY, VERDICTS, Result
from .store import DATABASE_NAME, ResultStore

__all__ = ["Landscape", "Family", "Row", "read_landscape", "landscape_from_rows", "plot_landscape", "exponent_value",
           "exponent_text", "case_label", "FAMILY_FIELDS", "LOWER_BOUND_NOTE", "INFINITY_COLOUR", "NOTHING_HATCH"]

#: What a family (a heat-map cell) fixes: the rest (widths, loss, data) varies inside it.
FAMILY_FIELDS = ("depth", "activation", "bias")
#: The colour of ρ* = ∞ (every ρ refuted) in the heat maps; finite exponents use a sequential colour map.
INFINITY_COLOUR = "#7f1d1d"
#: The hatch of a cell where the search certified no exponent (not refuted / undecided).
NOTHING_HATCH = "///"
#: The colour map of finite exponents.
FINITE_COLOURMAP = "YlGnBu"
#: The note every table and figure carries.
LOWER_BOUND_NOTE = ("ρ* is a certified lower bound on any workable ρ (computed along a certified curve; ρ* = ∞: "
                    "every ρ is refuted); it never proves that ρ-order holds for ρ ≥ ρ*.")


# -- exponents ------------------------------------------------------------------------------------------
def exponent_value(text: object) -> sp.Expr | None:
    """The exact exponent of a stored string: ``"inf"`` → ``oo``, ``"3/2"`` → 3/2, ``None`` → None."""
    if text is None:
        return None
    if isinstance(text, str) and text.strip().lower() in (INFINITY, "oo", "∞"):
        return sp.oo
    if text == sp.oo:
        return sp.oo
    return parse_constant(text, what="critical exponent")


def exponent_text(value: sp.Expr | None) -> str:
    """How an exponent is printed: ``∞``, ``3/2``, or ``—`` when nothing was certified."""
    if value is None:
        return "—"
    return "∞" if value == sp.oo else sp.sstr(value)


def _exponent_float(value: sp.Expr) -> float:
    return float("inf") if value == sp.oo else float(value)


def _exact_min(values: Iterable[sp.Expr]) -> sp.Expr | None:
    found = None
    for value in values:
        if found is None or _less(value, found):
            found = value
    return found


def _exact_max(values: Iterable[sp.Expr]) -> sp.Expr | None:
    found = None
    for value in values:
        if found is None or _less(found, value):
            found = value
    return found


def _less(a: sp.Expr, b: sp.Expr) -> bool:
    if a == sp.oo or b == sp.oo:
        return a != sp.oo and b == sp.oo
    return compare(a, b) < 0


# -- rows -----------------------------------------------------------------------------------------------
def _hidden(row: Mapping) -> tuple[int, ...]:
    """The hidden widths of a row (the store may give the full widths n0,…,nL or the hidden ones)."""
    widths = tuple(int(w) for w in (row.get("hidden") or row.get("widths") or ()))
    depth = int(row["depth"])
    if len(widths) == depth + 1:
        return widths[1:-1]
    return widths


def _data_text(data: object) -> str:
    if isinstance(data, Mapping):
        text = f"random {data.get('random')}, seed {data.get('seed', 0)}"
        extra = [f"{k} {data[k]}" for k in ("input_dim", "output_dim") if data.get(k) not in (None, 1)]
        return ", ".join([text, *extra])
    if isinstance(data, str):
        try:
            parsed = json.loads(data)
        except ValueError:
            return data
        return _data_text(parsed) if isinstance(parsed, Mapping) else data
    return "" if data is None else str(data)


def case_label(row: Mapping) -> str:
    """A short readable name of a case: the stored label, else ``depth 3 [2,2] tanh, bias, logistic, random 4, seed 1``."""
    label = row.get("label")
    if label:
        return str(label)
    hidden = ",".join(str(w) for w in _hidden(row))
    return (f"depth {row['depth']} [{hidden}] {row['activation']}, {'bias' if row['bias'] else 'no bias'}, "
            f"{row['loss']}, {_data_text(row.get('data'))}")


@dataclass(frozen=True)
class Row:
    """One finished case as the report reads it."""

    key: str
    depth: int
    hidden: tuple[int, ...]
    activation: str
    bias: bool
    loss: str
    data: str
    verdict: str
    exponent: sp.Expr | None
    every_rho_refuted: bool
    curve: str | None
    evidence_kinds: tuple[str, ...]
    reason: str
    seconds: float
    label: str

    @classmethod
    def from_mapping(cls, row: Mapping) -> Row:
        exponent = exponent_value(row.get("critical_exponent"))
        every = bool(row.get("every_rho_refuted")) or exponent == sp.oo
        kinds = row.get("evidence_kinds") or ()
        if isinstance(kinds, str):
            kinds = json.loads(kinds) if kinds.startswith("[") else [kinds]
        return cls(key=str(row.get("key", "")), depth=int(row["depth"]), hidden=_hidden(row),
                   activation=str(row["activation"]), bias=bool(row["bias"]), loss=str(row["loss"]),
                   data=_data_text(row.get("data")), verdict=str(row.get("verdict") or "undecided"),
                   exponent=sp.oo if every else exponent, every_rho_refuted=every,
                   curve=row.get("curve") or None, evidence_kinds=tuple(str(k) for k in kinds),
                   reason=str(row.get("reason") or ""), seconds=float(row.get("seconds") or 0.0),
                   label=case_label(row))

    @property
    def family(self) -> tuple[int, str, bool]:
        return self.depth, self.activation, self.bias

    @property
    def certified(self) -> bool:
        """Whether the search certified an exponent for this case."""
        return self.exponent is not None

    def to_json(self) -> dict:
        return {"key": self.key, "depth": self.depth, "hidden": list(self.hidden), "activation": self.activation,
                "bias": self.bias, "loss": self.loss, "data": self.data, "verdict": self.verdict,
                "critical_exponent": None if self.exponent is None else
                (INFINITY if self.exponent == sp.oo else sp.sstr(self.exponent)),
                "every_rho_refuted": self.every_rho_refuted, "curve": self.curve,
                "evidence_kinds": list(self.evidence_kinds), "reason": self.reason,
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class Family:
    """The cases of one depth × activation × bias (a heat-map cell)."""

    depth: int
    activation: str
    bias: bool
    rows: tuple[Row, ...]

    @property
    def name(self) -> str:
        return f"depth {self.depth} {self.activation} {'with' if self.bias else 'without'} biases"

    @property
    def verdicts(self) -> Counter:
        return Counter(row.verdict for row in self.rows)

    @property
    def certified(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.certified)

    @property
    def every_rho_refuted(self) -> bool:
        """Every case of the family refutes every ρ (ρ* = ∞ throughout)."""
        return bool(self.rows) and all(row.every_rho_refuted for row in self.rows)

    @property
    def bound(self) -> sp.Expr | None:
        """The smallest certified ρ* of the family (None when nothing was certified)."""
        return _exact_min(row.exponent for row in self.certified)

    @property
    def best(self) -> sp.Expr | None:
        """The largest certified ρ* of the family."""
        return _exact_max(row.exponent for row in self.certified)

    @property
    def best_finite(self) -> sp.Expr | None:
        """The largest finite certified ρ* of the family (None when there is none)."""
        return _exact_max(row.exponent for row in self.certified if row.exponent != sp.oo)

    def to_json(self) -> dict:
        return {"depth": self.depth, "activation": self.activation, "bias": self.bias, "cases": len(self.rows),
                "certified": len(self.certified), "verdicts": dict(self.verdicts),
                "every_rho_refuted": self.every_rho_refuted, "bound": _json_exponent(self.bound),
                "best": _json_exponent(self.best), "best_finite": _json_exponent(self.best_finite)}


def _json_exponent(value: sp.Expr | None) -> str | None:
    if value is None:
        return None
    return INFINITY if value == sp.oo else sp.sstr(value)


# -- the landscape ----------------------------------------------------------------------------------------
#: What the verdict of a report is about (the cases' own verdicts and exponents are in its table).
CLAIM = "the landscape is complete: every case of the sweep is in the table with a verdict other than undecided"


@dataclass
class Landscape(Result):
    """A sweep's finished cases, grouped into families, with the summary of what they show."""

    json_kind = "sweep-report"

    directory: str
    rows: list[Row]
    planned: int | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def families(self) -> list[Family]:
        """The families in the order depth, activation (first seen), bias (with before without)."""
        groups: dict[tuple[int, str, bool], list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.family, []).append(row)
        activations = list(dict.fromkeys(row.activation for row in self.rows))
        order = sorted(groups, key=lambda f: (f[0], activations.index(f[1]), not f[2]))
        return [Family(depth, activation, bias, tuple(groups[(depth, activation, bias)]))
                for depth, activation, bias in order]

    @property
    def verdicts(self) -> Counter:
        return Counter(row.verdict for row in self.rows)

    @property
    def refuted_everywhere(self) -> list[Family]:
        """Families in which every case refutes every ρ."""
        return [family for family in self.families if family.every_rho_refuted]

    @property
    def finite(self) -> list[Row]:
        """Cases with a finite certified ρ*, largest first."""
        rows = [row for row in self.rows if row.certified and row.exponent != sp.oo]
        ordered: list[Row] = []
        for row in rows:  # exact insertion sort: a few hundred rows at most
            index = next((i for i, other in enumerate(ordered) if _less(other.exponent, row.exponent)), len(ordered))
            ordered.insert(index, row)
        return ordered

    @property
    def best_finite(self) -> sp.Expr | None:
        """The best (largest) finite certified ρ* over the cases that do not refute every ρ."""
        return self.finite[0].exponent if self.finite else None

    @property
    def nothing(self) -> list[Row]:
        """Cases where the search certified no exponent (not refuted, undecided, crashed)."""
        return [row for row in self.rows if not row.certified]

    @property
    def seconds(self) -> float:
        """Total search time of the finished cases (worker seconds)."""
        return sum(row.seconds for row in self.rows)

    # -- text -------------------------------------------------------------------------------------------
    def table(self) -> str:
        """The cases as a fixed-width table."""
        header = ("depth", "hidden", "activation", "bias", "loss", "data", "verdict", "ρ*", "time")
        lines = [(str(r.depth), ",".join(map(str, r.hidden)), r.activation, "yes" if r.bias else "no", r.loss,
                  r.data, r.verdict, exponent_text(r.exponent), f"{r.seconds:.1f}s") for r in self.rows]
        widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)]
        render = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *lines]]
        render.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(render)

    def summary_lines(self) -> list[str]:
        """What the landscape shows, computed from the rows."""
        done = len(self.rows)
        counts = ", ".join(f"{self.verdicts[v]} {v}" for v in VERDICTS if self.verdicts[v])
        planned = f" of {self.planned}" if self.planned is not None else ""
        lines = [f"{done}{planned} cases finished ({counts or 'none'}); {self.seconds:.0f} s of search in all."]
        if self.missing:
            lines.append(f"{len(self.missing)} case(s) not run yet: rerun `dlnsmooth sweep` on the same --out to "
                         "resume.")
        families = self.families
        everywhere = self.refuted_everywhere
        if everywhere:
            lines.append(f"Every ρ refuted in every case of {len(everywhere)} of {len(families)} families: "
                         + "; ".join(_family_group(everywhere)) + ".")
        else:
            lines.append("No family has every ρ refuted in all of its cases.")
        partial = [f for f in families if not f.every_rho_refuted and any(r.every_rho_refuted for r in f.rows)]
        if partial:
            lines.append("Every ρ refuted in some cases only: " + "; ".join(
                f"{f.name} ({sum(r.every_rho_refuted for r in f.rows)}/{len(f.rows)})" for f in partial) + ".")
        finite = self.finite
        if finite:
            best = finite[0].exponent
            at = [row.label for row in finite if row.exponent == best]
            lines.append(f"Best finite certified critical exponent elsewhere: ρ* = {exponent_text(best)} "
                         f"({len(at)} case(s), e.g. {at[0]}); {len(finite)} case(s) have a finite ρ*, "
                         f"values {', '.join(exponent_text(v) for v in _distinct(r.exponent for r in finite))}.")
        else:
            lines.append("No case has a finite certified critical exponent.")
        nothing = self.nothing
        if nothing:
            by_verdict = Counter(row.verdict for row in nothing)
            where = [(f, sum(not r.certified for r in f.rows)) for f in families]
            lines.append(f"Nothing certified in {len(nothing)} case(s) ("
                         + ", ".join(f"{by_verdict[v]} {v}" for v in VERDICTS if by_verdict[v]) + "): "
                         + "; ".join(f"{f.name} ×{n}" for f, n in where if n) + ".")
        else:
            lines.append("The search certified an exponent in every case.")
        lines.append(LOWER_BOUND_NOTE)
        return lines

    def family_lines(self) -> list[str]:
        """One line per family: cases, verdict counts, smallest and largest certified ρ*."""
        lines = []
        for family in self.families:
            counts = ", ".join(f"{family.verdicts[v]} {v}" for v in VERDICTS if family.verdicts[v])
            lines.append(f"  {family.name}: {len(family.rows)} case(s) ({counts}); ρ* from "
                         f"{exponent_text(family.bound)} to {exponent_text(family.best)}")
        return lines

    def report(self) -> str:
        return "\n".join([f"Sweep {self.directory}", "", self.table(), "", "Families (depth × activation × bias):",
                          *self.family_lines(), "", "Landscape:", *(f"  {line}" for line in self.summary_lines())])

    @property
    def verdict(self) -> str:
        """On :data:`CLAIM`: ``holds`` when every case of the sweep is in the table and none is undecided, else
        ``undecided`` (the landscape is then partial: the report says where)."""
        complete = not self.missing and (self.planned is None or len(self.rows) >= self.planned)
        return "holds" if complete and not self.verdicts.get("undecided") else "undecided"

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "claim": CLAIM,
                "directory": self.directory, "planned": self.planned, "finished": len(self.rows),
                "missing": list(self.missing), "verdicts": dict(self.verdicts),
                "cases": [row.to_json() for row in self.rows],
                "families": [family.to_json() for family in self.families],
                "refuted_everywhere": [family.to_json() for family in self.refuted_everywhere],
                "best_finite": _json_exponent(self.best_finite),
                "nothing_certified": [row.key for row in self.nothing],
                "summary": self.summary_lines(), "seconds": round(self.seconds, 3)}


def _distinct(values: Iterable[sp.Expr]) -> list[sp.Expr]:
    seen: list[sp.Expr] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _family_group(families: Sequence[Family]) -> list[str]:
    """Families grouped by activation and bias: ``tanh without biases at depths 3, 4, 5``."""
    groups: dict[tuple[str, bool], list[int]] = {}
    for family in families:
        groups.setdefault((family.activation, family.bias), []).append(family.depth)
    return [f"{activation} {'with' if bias else 'without'} biases at depth{'s' if len(depths) > 1 else ''} "
            f"{', '.join(map(str, sorted(depths)))}" for (activation, bias), depths in groups.items()]


def landscape_from_rows(rows: Iterable[Mapping], directory: str = "", *, planned: int | None = None,
                        missing: Sequence[str] = ()) -> Landscape:
    """A landscape from table rows (dicts as :meth:`ResultStore.table` gives them)."""
    return Landscape(directory=directory, rows=[Row.from_mapping(row) for row in rows], planned=planned,
                     missing=list(missing))


def read_landscape(directory: str | Path) -> Landscape:
    """The landscape of the sweep in ``directory`` (its result store and, when its spec is saved there,
    the cases not run yet); a clear error when the directory holds no sweep."""
    path = Path(directory).expanduser()
    if not path.is_dir():
        raise DlnsmoothError(f"no sweep directory at {str(directory)!r}")
    if not (path / DATABASE_NAME).is_file():
        raise DlnsmoothError(f"{str(directory)!r} holds no sweep results ({DATABASE_NAME}); run "
                             "`dlnsmooth sweep SPEC.toml --out DIR` first")
    with ResultStore(path) as store:
        rows = store.table()
        spec = store.spec()
    planned, missing = None, []
    if spec is not None:
        cases = spec.cases()
        done = {row["key"] for row in rows}
        planned = len(cases)
        missing = [case.key for case in cases if case.key not in done]
    return landscape_from_rows(rows, str(directory), planned=planned, missing=missing)


# -- heat maps -------------------------------------------------------------------------------------------
def plot_landscape(landscape: Landscape, path: str | Path | None = None, *, figure=None):
    """Heat maps of the smallest certified ρ* by depth × activation, with biases (left) and without
    (right). Each cell is a family: its number is the smallest certified ρ* among its cases (∞ in its own
    colour), with ``k/n`` when only k of its n cases were certified; hatched cells (``?``) certified
    nothing; blank cells were not run. Saved to ``path`` when given; returns the figure (matplotlib's
    object-oriented API through :func:`dlnsmooth.plots.new_figure`: no pyplot state)."""
    families = {(f.depth, f.activation, f.bias): f for f in landscape.families}
    depths = sorted({f.depth for f in families.values()})
    activations = list(dict.fromkeys(f.activation for f in families.values()))
    finite = [_exponent_float(f.bound) for f in families.values() if f.bound is not None and f.bound != sp.oo]
    low, high = 0.0, max(max(finite, default=2.0), 1.0)
    fig = figure if figure is not None else new_figure(
        figsize=(3.0 + 1.6 * max(len(depths), 1), 2.6 + 0.5 * max(len(activations), 1)), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    image = None
    for ax, bias in zip(axes, (True, False)):
        image = _draw_panel(ax, families, depths, activations, bias, low, high)
    fig.colorbar(image, ax=list(axes), label="smallest certified ρ* (finite values)", shrink=0.9)
    legend_axis = axes[0]
    handles = [legend_axis.fill([], [], facecolor=INFINITY_COLOUR, label="∞: every ρ refuted")[0],
               legend_axis.fill([], [], facecolor=NOTHING_FACE, hatch=NOTHING_HATCH, edgecolor=NOTHING_EDGE,
                                label="? nothing certified (not refuted / undecided)")[0],
               legend_axis.fill([], [], facecolor="white", edgecolor=NOT_RUN_EDGE, label="not run")[0]]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize="small",
               title="Numbers: certified lower bounds on any workable ρ, the smallest over the cell's networks\n"
                     "(k/n: only k of its n cases certified an exponent)", title_fontsize="small")
    fig.suptitle(f"Critical exponent ρ* by depth × activation ({len(landscape.rows)} cases)")
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


#: Colours of the cells that carry no finite exponent.
NOTHING_FACE = "#e5e7eb"
NOTHING_EDGE = "#6b7280"
NOT_RUN_EDGE = "#9ca3af"


def _draw_panel(ax, families: Mapping, depths: list[int], activations: list[str], bias: bool, low: float,
                high: float):
    """One panel: finite bounds as an image (its colour map gives the colour bar), ∞, nothing-certified
    and not-run cells as filled squares on top; returns the image."""
    values = np.full((max(len(activations), 1), max(len(depths), 1)), np.nan)
    for (depth, activation, with_bias), family in families.items():
        if with_bias == bias and family.bound is not None and family.bound != sp.oo:
            values[activations.index(activation), depths.index(depth)] = _exponent_float(family.bound)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=FINITE_COLOURMAP, vmin=low, vmax=high, aspect="auto",
                      extent=(-0.5, len(depths) - 0.5, len(activations) - 0.5, -0.5))
    ax.set_xticks(range(len(depths)), [str(d) for d in depths])
    ax.set_yticks(range(len(activations)), activations)
    ax.set_xlabel("depth L (affine layers)")
    if bias:
        ax.set_ylabel("activation")
    ax.set_title("with biases" if bias else "without biases")
    for x, depth in enumerate(depths):
        for y, activation in enumerate(activations):
            _draw_cell(ax, image, families.get((depth, activation, bias)), x, y)
    return image


def _draw_cell(ax, image, family: Family | None, x: int, y: int) -> None:
    square = ([x - 0.5, x + 0.5, x + 0.5, x - 0.5], [y - 0.5, y - 0.5, y + 0.5, y + 0.5])
    if family is None:
        ax.fill(*square, facecolor="white", edgecolor=NOT_RUN_EDGE)
        return
    bound = family.bound
    if bound is None:
        ax.fill(*square, facecolor=NOTHING_FACE, hatch=NOTHING_HATCH, edgecolor=NOTHING_EDGE)
        ax.text(x, y, "?", ha="center", va="center", fontsize="large", color="#111827")
        return
    if bound == sp.oo:
        ax.fill(*square, facecolor=INFINITY_COLOUR, edgecolor="white")
        dark = True
    else:
        dark = sum(image.cmap(image.norm(_exponent_float(bound)))[:3]) < 1.5
    text = exponent_text(bound)
    certified, total = len(family.certified), len(family.rows)
    if certified < total:
        text += f"\n{certified}/{total}"
    ax.text(x, y, text, ha="center", va="center", fontsize="medium", color="white" if dark else "black")
