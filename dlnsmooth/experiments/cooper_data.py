"""Seed 001's Appendix B, transcribed: the data of §3.2 and the end points of its radial segments.

Seed 001 ("An empirical study of the (L0, L1)-smoothness condition in deep learning") studies
the L2 loss ``L = Σ_s (f(x_s) − y_s)²`` (its Definition 6, no ½) of a tanh network of widths
(1, 4, 7, 1) — 4 + 4 + 28 + 7 + 7 + 1 = 51 parameters — on 20 random points, along radial
segments S_i through Kaiming-initialised parameters. Its Appendix B prints (an OCR of a PDF,
partly garbled) the data x, y, the segments' end points start_i, end_i and three "random
vectors" w_2, w_4, w_6. Every number here is kept exactly as printed (decimal strings, read
as exact rationals; the OCR's "−" is written "-"); :data:`PRINTED` holds them by name.

What the print gives, counted (the tests recount it):

* x, y: 20 numbers each (two rows of 10), paired by position.
* start_1: 51. end_1: 14 only ("9.6 5.2 -1.3 … 2.3 2" — the line is cut off). Its first 10
  entries are 200·start_1 to print precision; entries 11–14 are not (0.4, −5.7, 2.3, 2 where
  the ray gives −4.4, 2.6, −2.4, −1.9) — garbled or from elsewhere.
* start_2, end_2: not printed (the text lines between end_1 and start_3 are lost).
* start_3 (its label is displaced in the OCR: the 51 numbers stand before "end_3"), end_3,
  start_4, end_4, start_6, end_6, start_7, end_7: 51 each, and radial: end_i ≈ λ_i·start_i
  entry by entry (λ ≈ 200, 2.2, 111, 100).
* start_5: 51; end_5: 50 — aligned with start_5's entries 2…51 at λ ≈ 113, so its first entry
  (≈ 113 × 0.37) was dropped by the OCR.
* w_2, w_4, w_6: 51 each. Their role is not stated; they are not directions of the printed
  segments (see :mod:`dlnsmooth.experiments.cooper_segments`, which measures it).

Radial to print precision: for every printed segment there is one λ with λ·start_k within the
rounding of end_k for every entry k, each printed number standing for anything within half a
unit of its second significant digit (:func:`radial_interval` computes the λ that fit, exactly).
Reconstructions (status ``reconstructed``), by one rule: a missing end-point entry is
``λ̂·start_k`` rounded to two significant digits (the print's precision), with λ̂ the middle of
the factors that fit the entries that are printed and aligned. end_1 keeps its first
10 printed entries and reconstructs 11–51; end_5 gets its first entry. Segment 2 is unusable.

Numbering: the seed numbers its graphs p_1 … p_7 "in the order of appearance" (Figure 3:
p_1 left, p_2 right; Figure 4: p_3 left, p_4 centre, p_5 right; Figure 5: "the last two") and
records "the endpoints of the line segments S_i, which we call start_i and end_i". We match
S_i with p_i. The seed does not say so in as many words; the matching of 6 and 7 within
Figure 5 is immaterial (both are described alike).

Parameter ordering: the seed writes layer i as ``M^i x + b^i`` with M^i a c_i × c_{i+1}
matrix (the transpose of the package's W_i, n_i × n_{i−1}) and never says how the 51 printed
numbers map to (M^i, b^i). :data:`ORDERINGS` lists the candidates; :func:`to_package_order`
maps a printed vector to the package's flat order (layer by layer, W_l row by row, then b_l).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..errors import DlnsmoothError
from ..networks.data import Dataset

__all__ = [
    "WIDTHS",
    "PRINTED",
    "ORDERINGS",
    "PACKAGE_ORDERING",
    "SEED_SUMMARY",
    "PrintedVector",
    "SeedSegment",
    "printed",
    "dataset",
    "segments",
    "usable_segments",
    "random_vectors",
    "ordering_permutation",
    "to_package_order",
    "radial_interval",
    "round_significant",
    "half_unit",
]

#: The seed's network of §3.2: widths (1, 4, 7, 1), tanh, L2 loss.
WIDTHS: tuple[int, ...] = (1, 4, 7, 1)

#: Every vector of Appendix B as printed (whitespace-separated decimals, OCR minus signs as "-").
PRINTED: dict[str, str] = {
    "x": """-0.51 -0.32 0.45 -0.42 -0.51 -0.30 0.50 -0.98 -0.22 -0.51
            0.40 0.79 0.20 0.96 0.90 -0.04 0.60 -0.27 0.01 0.41""",
    "y": """-0.70 -0.86 -0.20 0.88 0.88 -0.33 -0.92 0.06 0.89 0.21
            -0.35 0.32 0.27 0.97 0.86 -0.20 0.49 -0.05 -0.75 0.90""",
    "start_1": """0.048 0.026 -0.0063 0.025 -0.014 -0.0014 -0.059 0.024
                  -0.026 0.0021 -0.022 0.013 -0.012 -0.0093 -0.021 0.0052
                  -0.026 -0.03 -0.022 -0.014 -0.011 0.018 0.0008 -0.024
                  -0.023 -0.021 0.026 0.019 -0.019 0.025 0.0017 -0.028
                  0.012 0.014 -0.0012 0.012 -0.017 -0.019 0.022 0.022
                  0.009 0.015 -0.027 0.02 -0.01 -0.0078 -0.0032 -0.016
                  -0.0082 -0.0049 -0.0077""",
    "end_1": """9.6 5.2 -1.3 4.9 -2.8 -0.29 -12 4.8 -5.3 0.43
                0.4 -5.7 2.3 2""",
    "start_3": """0.085 0.052 0.4 0.021 0.24 0.23 0.29 -0.064
                  -0.098 0.024 0.079 0.12 -0.14 0.12 0.13 0.042 -0.083 -0.076 -0.047 -0.055 0.13 0.02 0.097
                  -0.0038 -0.19 -0.015 0.088 -0.048 0.089 -0.16 -0.13 0.013 -0.12 -0.011 0.2 0.13 0.053 -0.2
                  0.062 -0.014 0.15 -0.013 -0.035 0.042 -0.0064 -0.14 -0.087 -0.14 -0.099 0.082 -0.024""",
    "end_3": """17 10 80 4.3 49 46 59 -13 -20 4.7 16 24 -28 24 26 8.5 -17 -15 -9.5 -11 25 4 20 -0.76 -37 -3
                18 -9.7 18 -32 -27 2.7 -24 -2.3 40 26 11 -39 12 -2.9
                30 -2.6 -6.9 8.5 -1.3 -28 -17 -28 -20 17 -4.8""",
    "start_4": """-16 27 5.7 0.032 15 42 -35 -22
                  -5.9 20 19 0.22 -13 -13 -5.4 -15 21 3.8 10 17 -6 -21 17 -11 11 -15 4.4 13 6.5 -15 -11 0.92
                  -22 -16 3.1 -0.93 16 0.43 19 -12 -16 -11 15 17 -13 8.3 -0.28 -12
                  11 12 13""",
    "end_4": """-35 60 13 0.071 32 92 -78 -49 -13 45 42 0.5 -28 -28 -12 -34 46 8.4 23 38 -13 -48 37 -24 25
                -32 9.8 28 14 -34 -24 2 -48 -35 6.8 -2.1 36 0.96 42 -27 -36 -25 32 38 -29 18 -0.62 -26 24 27
                28""",
    "start_5": """0.37 -0.29 0.045 0.35 -0.16 0.2 0.16 0.14
                  -0.047 -0.11 0.16 -0.15 0.066 0.11 -0.22 -0.095 0.053 0.028 0.068 0.22 -0.13 -0.22 -0.092
                  0.023 -0.097 -0.11 -0.22 -0.19 0.17 0.014 0.18 0.18 0.011 0.015 -0.13 -0.17 0.22 0.051 0.17
                  0.14 0.13 -0.071 0.22 0.054 -0.084 0.036 0.037 0.035 -0.1 -0.16 0.14""",
    "end_5": """-33 5.1 39 -18 22 18 16 -5.3 -12 18
                -17 7.5 13 -25 -11 6 3.1 7.7 25 -15
                -25 -10 2.6 -11 -12 -25 -21 19 1.6 20
                21 1.3 1.7 -15 -20 25 5.8 19 16 14
                -8 25 6.2 -9.6 4.1 4.2 4 -11 -18 16""",
    "start_6": """0.27 -0.38 0.37 0.35 -0.31 -0.055 0.19 0.12
                  0.031 0.16 0.1 -0.00026 0.11 0.18 0.16 0.0043
                  0.14 0.073 -0.13 -0.0036 -0.17 0.055 -0.14 0.11
                  -0.13 -0.21 -0.027 0.0049 -0.14 0.068 0.12 -0.12
                  -0.093 -0.083 -0.086 0.11 -0.2 0.029 0.2 0.22
                  -0.12 -0.2 -0.093 -0.074 0.0041 -0.094 -0.017 0.016
                  -0.032 -0.12 -0.053""",
    "end_6": """30 -42 41 39 -35 -6.1 21 14 3.5 18
                11 -0.029 12 20 18 0.48 16 8.2 -14 -0.4
                -19 6.1 -16 12 -15 -24 -3 0.55 -16 7.7
                14 -13 -10 -9.3 -9.7 12 -22 3.3 22 25
                -14 -22 -10 -8.3 0.46 -11 -1.9 1.8 -3.6 -13 -5.9""",
    "start_7": """0.34 0.09 -0.37 -0.33 0.21 -0.21 0.17 -0.38
                  0.13 -0.1 -0.021 -0.099 -0.12 -0.16 0.14 0.15
                  0.11 -0.0072 0.073 -0.12 -0.039 0.18 0.18 -0.15
                  -0.16 -0.18 0.12 -0.18 -0.016 -0.049 0.024 -0.01
                  0.044 0.13 0.12 -0.073 -0.12 -0.077 -0.19 -0.11
                  0.15 -0.023 -0.12 -0.12 0.089 0.15 0.038 -0.061
                  -0.096 -0.0099 0.082""",
    "end_7": """33 8.9 -37 -32 21 -21 17 -38 13 -10
                -2 -9.7 -12 -15 14 15 11 -0.71 7.2 -11
                -3.9 18 18 -15 -16 -18 12 -18 -1.6 -4.8
                2.3 -1 4.4 12 11 -7.2 -12 -7.6 -19 -11
                15 -2.2 -11 -12 8.7 14 3.8 -6 -9.5 -0.98 8.1""",
    "w_2": """-0.87 -0.67 0.5 -0.29 -0.93 0.83 -0.004 0.64
              0.5 0.46 -0.46 0.47 0.046 -0.29 -0.023 0.38
              -0.22 -0.27 0.41 -0.1 0.032 -0.14 -0.28 -0.31
              0.23 0.18 -0.12 -0.066 0.2 0.058 -0.36 0.37
              0.31 0.22 -0.17 -0.27 -0.11 -0.34 0.095 0.34
              -0.31 -0.26 0.18 0.24 -0.29 0.23 0.022 -0.012
              -0.28 0.28 0.36""",
    "w_4": """-0.72 0.74 -0.86 -0.19 -0.15 -0.094 -0.23 0.41
              -0.32 0.35 -0.095 0.46 0.39 0.1 0.037 -0.38
              -0.3 -0.39 -0.44 0.1 -0.21 0.084 -0.5 0.12
              0.31 0.22 -0.41 -0.29 0.057 -0.39 -0.048 0.091
              -0.094 -0.079 -0.44 0.31 0.27 0.16 0.35 0.48
              -0.22 0.23 -0.12 0.3 -0.078 -0.31 -0.13 0.31
              0.011 -0.2 0.34""",
    "w_6": """0.64 -0.26 -0.76 0.37 0.45 0.82 0.6 0.2
              -0.34 -0.4 -0.23 -0.2 -0.08 -0.099 0.017 0.35
              -0.36 -0.3 0.18 -0.13 -0.062 0.33 0.37 -0.37
              0.23 -0.13 -0.16 -0.23 0.37 0.31 0.0082 -0.047
              0.37 -0.18 -0.32 0.037 -0.25 0.44 0.088 0.2
              -0.048 0.17 0.44 0.12 -0.11 0.23 0.11 0.22
              -0.063 0.14 0.12""",
}

#: The seed's count over all 15 segments it generated (§3.2), quoted.
SEED_SUMMARY = ("In 6 cases the relationship appeared approximately linear. In 5 cases the relationship "
                "appeared superlinear. In 4 cases, other nonlinear graphs were observed.")

_FIGURE5 = ("The last two calculations show examples of initializations near which, in the radial direction, the "
            "magnitude of the hessian does appear to be bounded by a linear function of the magnitude of the "
            "gradient, as seen in Figure 5.")

#: segment → (figure, the seed's words (quoted from §3.2), the class those words describe)
_DESCRIPTIONS: dict[int, tuple[str, str, str]] = {
    1: ("Figure 3, left", "the resulting graph appears approximately linear to begin, then approximately like an "
        "upward-facing semicircle.", "superlinear"),
    2: ("Figure 3, right", "the resulting graph appears approximately linear for the first quarter, then approximately "
        "linear to begin, then approximately linear but with a steeper slope, then approximately linear with an even "
        "steeper slope in the last stretch.", "superlinear"),
    3: ("Figure 4, left", "the resulting graph appears approximately quadratic.", "superlinear"),
    4: ("Figure 4, centre", "the resulting graph looks U-shaped.", "U-shaped"),
    5: ("Figure 4, right", "the resulting graph grows quickly at the end.", "superlinear"),
    6: ("Figure 5", _FIGURE5, "roughly linear"),
    7: ("Figure 5", _FIGURE5, "roughly linear"),
}

#: Significant digits of the print (the precision a reconstructed entry is rounded to).
PRINT_DIGITS = 2


def printed(name: str) -> tuple[str, ...]:
    """The printed decimal strings of the vector ``name`` (a key of :data:`PRINTED`)."""
    try:
        return tuple(PRINTED[name].split())
    except KeyError:
        raise DlnsmoothError(f"seed 001 prints no vector {name!r}; known: {', '.join(PRINTED)}") from None


def half_unit(text: str) -> Fraction:
    """How far the true value of a printed entry may be: half a unit in its last printed digit, and
    at most half a unit in its second significant digit (the print has two significant digits and
    drops trailing zeros: "-3" stands for −3.0)."""
    number = Decimal(text)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if number != 0:
        exponent = min(exponent, number.adjusted() - PRINT_DIGITS + 1)
    return Fraction(1, 2) * Fraction(10) ** exponent


def round_significant(value: Fraction, digits: int = PRINT_DIGITS) -> str:
    """``value`` rounded to ``digits`` significant decimal digits, as a decimal string."""
    if value == 0:
        return "0"
    number = Decimal(value.numerator) / Decimal(value.denominator)
    return format(number.quantize(Decimal(1).scaleb(number.adjusted() - digits + 1)), "f")


def radial_interval(start: Sequence[str], end: Sequence[str], offset: int = 0) -> tuple[Fraction, Fraction]:
    """The factors λ with λ·start[k + offset] = end[k] for every printed entry k, each side anywhere
    within its rounding (:func:`half_unit`): (lowest, highest), exact; lowest > highest when no
    single λ fits (the pair is not radial to print precision). Zero start entries are skipped."""
    lowest, highest = -Fraction(10) ** 30, Fraction(10) ** 30
    for k, e in enumerate(end):
        if k + offset >= len(start) or Fraction(start[k + offset]) == 0:
            continue
        a, b = Fraction(start[k + offset]), Fraction(e)
        ha, hb = half_unit(start[k + offset]), half_unit(e)
        if abs(a) <= ha:
            continue
        ratios = [(b + x) / (a + y) for x in (-hb, hb) for y in (-ha, ha)]
        lowest, highest = max(lowest, min(ratios)), min(highest, max(ratios))
    return lowest, highest


@dataclass(frozen=True)
class PrintedVector:
    """A vector of the print: its name, its printed strings, and the strings actually used
    (with reconstructed entries, if any, listed in ``reconstructed`` by 0-based position)."""

    name: str
    tokens: tuple[str, ...]
    reconstructed: tuple[int, ...] = ()

    @property
    def values(self) -> tuple[Fraction, ...]:
        """The entries as exact rationals."""
        return tuple(Fraction(t) for t in self.tokens)

    @property
    def half_units(self) -> tuple[Fraction, ...]:
        """Half a unit in the last printed digit of every entry (the rounding of the print)."""
        return tuple(half_unit(t) for t in self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class SeedSegment:
    """Segment S_i of seed 001 §3.2: the seed's description of its graph and its end points.

    ``status``: ``printed`` (both end points complete in the print), ``reconstructed`` (some end
    point entries reconstructed on the ray, see the module docstring) or ``unusable``;
    ``reason`` says which and why."""

    index: int
    figure: str
    seed_says: str
    seed_class: str
    start: PrintedVector | None
    end: PrintedVector | None
    status: str
    reason: str
    printed_counts: tuple[int, int]
    radial: tuple[Fraction, Fraction] | None = None

    @property
    def usable(self) -> bool:
        return self.status != "unusable"

    @property
    def ratio(self) -> Fraction | None:
        """The segment's radial factor λ: the middle of :attr:`radial`, the factors consistent with every
        printed (not reconstructed) pair of entries (:func:`radial_interval`)."""
        return None if self.radial is None else (self.radial[0] + self.radial[1]) / 2

    def endpoints(self) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        """(start, end) as exact rationals in the print's order (DlnsmoothError when unusable)."""
        if self.start is None or self.end is None:
            raise DlnsmoothError(f"segment {self.index} of seed 001 is unusable: {self.reason}")
        return self.start.values, self.end.values


def _reconstruct(start: tuple[str, ...], end: Sequence[str], keep: Sequence[int],
                 offset: int) -> tuple[tuple[str, ...], tuple[Fraction, Fraction]]:
    """end on the ray through start: the printed entries at positions ``keep`` (aligned with start
    shifted by ``offset``), every other entry λ̂·start_k rounded to the print's precision, with λ̂ the
    middle of the factors consistent with the kept entries; and those factors."""
    interval = radial_interval(start, [end[k] for k in keep], offset)
    ratio = (interval[0] + interval[1]) / 2
    printed_at = {k + offset: end[k] for k in keep}
    tokens = tuple(printed_at.get(k, round_significant(ratio * Fraction(s))) for k, s in enumerate(start))
    return tokens, interval


def _segment(index: int) -> SeedSegment:
    figure, says, seed_class = _DESCRIPTIONS[index]
    if index == 2:
        return SeedSegment(index, figure, says, seed_class, None, None, "unusable",
                           "start_2 and end_2 are not in the print (the lines between end_1 and start_3 are lost)",
                           (0, 0))
    start = printed(f"start_{index}")
    end = printed(f"end_{index}")
    counts = (len(start), len(end))
    if index == 1:
        tokens, interval = _reconstruct(start, end, range(10), 0)
        reason = (f"end_1 is cut off after {len(end)} numbers; its first 10 are λ·start_1 to print precision "
                  f"(λ in [{float(interval[0]):.4g}, {float(interval[1]):.4g}]), entries 11–14 (0.4 -5.7 2.3 2) "
                  "are not on the ray; entries 11–51 reconstructed on the ray")
        return SeedSegment(index, figure, says, seed_class, PrintedVector(f"start_{index}", start),
                           PrintedVector(f"end_{index}", tokens, tuple(range(10, len(start)))),
                           "reconstructed", reason, counts, interval)
    if index == 5:
        tokens, interval = _reconstruct(start, end, range(len(end)), 1)
        reason = (f"end_5 has 50 numbers, λ·(start_5's entries 2–51) to print precision (λ in "
                  f"[{float(interval[0]):.4g}, {float(interval[1]):.4g}]); its first entry, dropped by the OCR, "
                  f"reconstructed on the ray as {tokens[0]}")
        return SeedSegment(index, figure, says, seed_class, PrintedVector(f"start_{index}", start),
                           PrintedVector(f"end_{index}", tokens, (0,)), "reconstructed", reason, counts, interval)
    interval = radial_interval(start, end)
    return SeedSegment(index, figure, says, seed_class, PrintedVector(f"start_{index}", start),
                       PrintedVector(f"end_{index}", end), "printed",
                       f"51 + 51 numbers printed; end = λ·start to print precision for one λ in "
                       f"[{float(interval[0]):.4g}, {float(interval[1]):.4g}]", counts, interval)


def segments() -> list[SeedSegment]:
    """Segments S_1 … S_7 of the seed's figures (usable or not), in the seed's numbering."""
    return [_segment(index) for index in sorted(_DESCRIPTIONS)]


def usable_segments() -> list[SeedSegment]:
    """The segments whose two end points are known (printed or reconstructed)."""
    return [segment for segment in segments() if segment.usable]


def random_vectors() -> dict[str, PrintedVector]:
    """The seed's "random vectors" w_2, w_4, w_6 (51 numbers each; role unstated)."""
    return {name: PrintedVector(name, printed(name)) for name in ("w_2", "w_4", "w_6")}


def dataset() -> Dataset:
    """The 20 observations (x_s, y_s) of §3.2 (App. B), exact, paired by position."""
    xs, ys = printed("x"), printed("y")
    return Dataset.from_pairs([((x,), y) for x, y in zip(xs, ys)], source="seed 001, Appendix B")


# -- parameter orderings -------------------------------------------------------------------------
#: Candidate readings of the 51 printed numbers: name → description.
ORDERINGS: dict[str, str] = {
    "package": "layer by layer: W_l (n_l × n_{l-1}) row by row, then b_l — the package's order, and Mathematica's "
               "Flatten of {W1, b1, W2, b2, W3, b3} with LinearLayer weights (out × in)",
    "transposed": "layer by layer: the seed's M^l (c_l × c_{l+1} = W_l transposed) row by row, then b_l",
    "bias-first": "layer by layer: b_l, then W_l row by row",
    "bias-first-transposed": "layer by layer: b_l, then M^l = W_l transposed row by row",
    "weights-first": "all weights (W_1, W_2, W_3 row by row), then all biases",
    "weights-first-transposed": "all weights (M^1, M^2, M^3 = W transposed, row by row), then all biases",
}
#: The package's own order.
PACKAGE_ORDERING = "package"


def _weight_positions(rows: int, cols: int, transposed: bool) -> list[tuple[int, int]]:
    """(row, column) of W in print order: row by row, or column by column (= M = Wᵀ row by row)."""
    if transposed:
        return [(i, j) for j in range(cols) for i in range(rows)]
    return [(i, j) for i in range(rows) for j in range(cols)]


def ordering_permutation(ordering: str, widths: Sequence[int] = WIDTHS) -> tuple[int, ...]:
    """``perm`` with ``package_vector[p] = printed_vector[perm[p]]`` for the reading ``ordering``."""
    if ordering not in ORDERINGS:
        raise DlnsmoothError(f"unknown ordering {ordering!r}; expected one of {', '.join(ORDERINGS)}")
    transposed = ordering.endswith("transposed")
    layers = range(1, len(widths))
    weights = {l: [("W", l, i, j) for i, j in _weight_positions(widths[l], widths[l - 1], transposed)]
               for l in layers}
    biases = {l: [("b", l, i, 0) for i in range(widths[l])] for l in layers}
    if ordering.startswith("weights-first"):
        sequence = [key for l in layers for key in weights[l]] + [key for l in layers for key in biases[l]]
    elif ordering.startswith("bias-first"):
        sequence = [key for l in layers for key in biases[l] + weights[l]]
    else:
        sequence = [key for l in layers for key in weights[l] + biases[l]]
    where = {key: k for k, key in enumerate(sequence)}
    package = [key for l in layers for key in _package_weights(widths, l) + biases[l]]
    return tuple(where[key] for key in package)


def _package_weights(widths: Sequence[int], layer: int) -> list[tuple[str, int, int, int]]:
    """The keys of W_layer in the package's order (row by row)."""
    return [("W", layer, i, j) for i, j in _weight_positions(widths[layer], widths[layer - 1], False)]


def to_package_order(values: Sequence, ordering: str, widths: Sequence[int] = WIDTHS) -> list:
    """A printed 51-vector rearranged into the package's flat parameter order."""
    permutation = ordering_permutation(ordering, widths)
    if len(values) != len(permutation):
        raise DlnsmoothError(f"expected {len(permutation)} numbers, got {len(values)}")
    return [values[k] for k in permutation]
