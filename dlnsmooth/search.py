"""Automatic search for refuting curves (SPEC §2 refutation recipe, §3 growth exponents).

A curve x(t), t → ∞, along which ``‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞`` refutes ρ-order
(and ρ-integrated) Lipschitz continuity of ∇f for that ρ (Props 5 and 1); if
‖∇f‖ stays bounded while ‖∇²f‖ → ∞ it refutes every ρ at once. This module
finds such curves without being told one, then hands the best few to
:func:`dlnsmooth.certificate.certify_curve`, whose certificate (symbolic limit
+ confirmed numeric table) is the only source of a ``refuted`` verdict.

Families of curves (each coordinate block gets one *form*):

``monomial``
    ``x_i(t) = c_i · t^(a_i)``, ``c_i ∈ {0, ±1}`` and values suggested by the
    expression (the rational constants it contains), ``a_i`` rational in a
    bounded range with a bounded denominator (negative exponents included, so
    some coordinates can shrink while others grow);
``log``
    ``x_i(t) = c_i · t^(a_i) · (log t)^(b_i)`` with small ``b_i`` — losses built
    from exp and log often need a product of coordinates that grows like
    log t (softplus(x·y) along x = t, y = −log(t)/t has ‖∇f‖ bounded and
    ‖∇²f‖ ~ t);
``zeros``
    for one variable, discrete sequences x_k (k = 1, 2, …) such as the zeros
    of f′, found numerically and continued (:mod:`dlnsmooth.sequences`): the
    bad behaviour of oscillating functions (f′ = sin(x²)) is not seen along
    monomial curves.

``sums``
    short sums of monomials with offsets the expression suggests: for an argument u of sin,
    cos, tanh, exp, log, … in f and a variable entering u linearly, that variable is solved from
    u = k while the other variables are ±t (k: a zero or extremum of the function, such as π/2
    for sin and cos, or a constant appearing in f). Along x = π/2 − t², y = t the argument of
    sin(x + y²) stays at π/2, so ∇f = 0 while ‖∇²f‖ ~ t²: a curve no single monomial family
    contains.

Coordinates are grouped in *blocks* that share a form: one block per
variable for expressions, one block per weight matrix for deep linear
networks (``W_l = c·t^a (log t)^b · all-ones``, the shape of Theorem G's
curve; the search is not told which layers to zero or grow).

Feed-forward networks (:mod:`dlnsmooth.networks.feedforward`) have one block per weight
matrix *and* one per bias vector (``W1, b1, W2, b2, …``, the architecture's blocks). A
block's form multiplies a fixed *pattern* of its entries:

``ones``
    every entry equal (as above);
``balanced``
    weight matrices with at least two columns: each row is ``(1, −1, 1, −1, …)``, a
    trailing 0 for an odd number of columns, so every row sums to zero. ``W_l = t·balanced``
    maps a constant activation vector (a hidden layer whose weights are 0, or whose
    pre-activations are equal) to 0 — the output stays constant while the weights grow
    (seed 001's fixed line R);
``fit``
    the last bias only: ``b_L = u*``, a constant output at which the loss of the data is
    stationary, ``Σ_i ∇_u ℓ(u*; y_i) = 0`` (checked in ball arithmetic; the candidate values
    are the mean label, its logarithm and the log-odds of the labels — whichever is
    stationary for the loss). With the hidden pre-activations constant and the output
    equal to u* for every observation, every gradient term carrying Σ_i ∇_u ℓ vanishes
    while the Hessian's ``Σ_i ∇u ∇_u²ℓ ∇uᵀ`` term grows with the later weights.

Stage 1 on a network first ranks *layered* assignments — the first k weight matrices 0,
the later ones one common growing form (``ones``, or ``balanced`` on the last or on all of
them), every hidden bias one form and the last bias one form or ``fit`` — simplest first
(Theorem G′'s curve and seed 001's line R are among them, but the search is not told
which), then the generic structured patterns and a seeded sample over all blocks. Hill
climbing may also switch one block's pattern, or set a bias block to ``±log t``. Ranking
uses ``objective.ball_norms`` (the structured engine: fast at any size). A network above
:data:`~dlnsmooth.curves.SYMBOLIC_LIMIT` parameters certifies curves that are polynomial
in t with rational coefficients first (the exact structured route); a candidate no route
can certify stays a numeric estimate, reported as such in the notes, never a verdict.

Ranking is cheap and numeric: each candidate's ‖∇f‖ and ‖∇²f‖_F are
evaluated in ball arithmetic at ``t = 10^4, 10^8, 10^16`` and turned into
growth exponents ``γ ≈ Δlog‖∇f‖/Δlog t``, ``η ≈ Δlog‖∇²f‖_F/Δlog t`` and the
estimated critical exponent ``ρ̂* = Δlog‖∇²f‖_F / Δlog‖∇f‖`` (∞ when ‖∇f‖
does not grow while ‖∇²f‖ does). Stage 1 enumerates simple forms
(``{0, ±1, ±t, ±1/t}`` per block; exhaustively when few, otherwise the
structured patterns first and then a seeded random sample); stage 2
hill-climbs from the best candidates, changing one block's form at a time
(exponent steps, signs, suggested coefficients, log powers). The best
candidates are certified in order; the first ``refuted`` certificate ends the
search. The ranking proves nothing: a candidate whose certificate is not
``refuted`` is reported with its certificate's verdict, and a search that
certifies nothing says ``not refuted`` (``undecided`` when its time budget ran out before the
promising candidates were decided) — never ``holds``. Every stage stops at its share of
``time_budget``, and each certificate gets only what is left of it.

The reported critical exponent ρ* is the certificate's (symbolic) one for the
best certified curve: the curve refutes every ρ < ρ*, so ρ* is a lower
bound on any ρ for which ρ-order Lipschitz continuity could hold.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp
from flint import arb, fmpq

from .budget import DEFAULT_LIMIT_BUDGET
from .certificate import Certificate, certify_curve
from .curves import SYMBOLIC_LIMIT, Curve, curve_parameter
from .errors import DlnsmoothError, ParseError, UnsupportedForBalls
from .numbers import integer_power, parse_number, rho_target, to_arb
from .objective import Objective
from .precision import working_precision
from .progress import progress_bar
from .results import Result, Verdict, json_value
from .sequences import derivative_zero_sequences

__all__ = [
    "FAMILIES",
    "PATTERNS",
    "Form",
    "SearchOptions",
    "Candidate",
    "SearchResult",
    "variable_blocks",
    "network_architecture",
    "label_vectors",
    "balanced_pattern",
    "stationary_output",
    "suggested_coefficients",
    "candidate_curves",
    "cancelling_curves",
    "search_refuting_curve",
]

#: The curve families the search knows.
FAMILIES: tuple[str, ...] = ("monomial", "log", "zeros", "sums")
#: Parameter values of the numeric ranking.
RANK_POINTS: tuple[int, ...] = (10**4, 10**8, 10**16)
# below this estimated growth exponent a norm counts as not growing (log t between the last
# two ranking points has exponent log 2 / log 10^8 ≈ 0.038, √log t half that: both still grow)
_FLAT = 0.01
_RANK_DPS = (40, 160)
# above this estimated growth exponent the ranking checks whether the growth is a power law at all
_STEEP = 50.0


#: Entry patterns of a block (module docstring); ``ones`` is every block's default.
PATTERNS: tuple[str, ...] = ("ones", "balanced", "fit")


@dataclass(frozen=True, order=True)
class Form:
    """One block's coordinates along a curve: ``c · t^a · (log t)^b`` times the block's entry
    pattern (``ones``: every entry equals it; ``balanced``/``fit``: entry j is ``values[j]``
    times it, see the module docstring). ``c = 0``: identically 0."""

    c: sp.Rational
    a: sp.Rational = sp.Integer(0)
    b: sp.Rational = sp.Integer(0)
    pattern: str = "ones"
    #: the pattern's entries, in the block's flattening order (empty for ``ones``)
    values: tuple[sp.Expr, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        for name in ("c", "a", "b"):
            object.__setattr__(self, name, sp.Rational(getattr(self, name)))
        if self.pattern not in PATTERNS:
            raise ValueError(f"unknown block pattern {self.pattern!r}; choose from {', '.join(PATTERNS)}")
        if self.c == 0:
            object.__setattr__(self, "a", sp.Integer(0))
            object.__setattr__(self, "b", sp.Integer(0))
            object.__setattr__(self, "pattern", "ones")
            object.__setattr__(self, "values", ())
        elif self.pattern != "ones" and not self.values:
            raise ValueError(f"the {self.pattern} pattern needs its entries")

    @property
    def is_zero(self) -> bool:
        return self.c == 0

    def scaled(self, c: object, a: object, b: object) -> Form:
        """The same pattern with another scalar ``c · t^a · (log t)^b``."""
        return Form(c, a, b, self.pattern, self.values)

    def with_pattern(self, other: Form) -> Form:
        """This scalar with the pattern (and entries) of ``other``."""
        return Form(self.c, self.a, self.b, other.pattern, other.values)

    def expr(self, t: sp.Symbol) -> sp.Expr:
        """The scalar factor ``c · t^a · (log t)^b`` (the pattern's entries multiply it)."""
        return self.c * t**self.a * sp.log(t) ** self.b

    def entries(self, t: sp.Symbol, size: int) -> list[sp.Expr]:
        """The block's ``size`` coordinates."""
        scalar = self.expr(t)
        if not self.values:
            return [scalar] * size
        return [scalar * v for v in self.values]

    def ball(self, t: int, log_t: arb) -> arb:
        """The scalar factor at an exact integer t > 1 as a ball (``log_t`` = log t as a ball)."""
        if self.is_zero:
            return arb(0)
        value = arb(fmpq(int(self.c.p), int(self.c.q)))
        if self.a != 0:
            if self.a.is_Integer:
                power = integer_power(arb(t), abs(int(self.a)))
                value = value * power if self.a > 0 else value / power
            else:
                value = value * arb(t) ** arb(fmpq(int(self.a.p), int(self.a.q)))
        if self.b != 0:
            if self.b.is_Integer:
                power = integer_power(log_t, abs(int(self.b)))
                value = value * power if self.b > 0 else value / power
            else:
                value = value * log_t ** arb(fmpq(int(self.b.p), int(self.b.q)))
        return value

    @cached_property
    def complexity(self) -> int:
        """Simpler forms first: zero, constants, t^±1, other exponents, log factors; a pattern
        other than ``ones`` counts one more."""
        if self.is_zero:
            return 0
        return (1 + (abs(self.c) != 1) + 2 * (self.a != 0) + (self.a.q != 1) + abs(self.a) // 2 + 3 * (self.b != 0)
                + (self.pattern != "ones"))

    @cached_property
    def polynomial(self) -> bool:
        """The coordinates are polynomials in t with rational coefficients (the exact structured
        restriction of networks needs this)."""
        return (self.is_zero or (self.b == 0 and self.a.is_Integer and self.a >= 0)) and all(
            sp.sympify(v).is_Rational for v in self.values)

    def text(self, t: str = "t") -> str:
        """The scalar factor, then the pattern: ``t``, ``t·balanced``, ``(2/5)`` for a fit."""
        scalar = sp.sstr(self.expr(curve_parameter(t)))
        if self.pattern == "fit":
            entries = ", ".join(sp.sstr(v) for v in self.values)
            fit = entries if len(self.values) == 1 else f"({entries})"
            return fit if self.expr(curve_parameter(t)) == 1 else f"{scalar}·{fit}"
        if self.pattern == "balanced":
            return f"{scalar}·balanced"
        return scalar

    def block_text(self, name: str, size: int, t: str = "t") -> str:
        """``W3 = t·ones``, ``b2 = 0``, ``W3 = t·balanced``, ``b3 = 2/5``."""
        ones = size > 1 and not self.is_zero and self.pattern == "ones"
        return f"{name} = {self.text(t)}{'·ones' if ones else ''}"


@dataclass(frozen=True)
class SearchOptions:
    """What the search may try, and for how long.

    ``families``: subset of :data:`FAMILIES`; ``exponent_range``: the
    interval of the exponents a_i; ``denominator``: a_i = p/q with
    q ≤ denominator; ``log_powers``: the b_i ≠ 0 tried by the ``log``
    family; ``time_budget``: seconds for the whole search including the
    certificates; ``certify``: how many of the best candidates are
    certified at most; ``max_candidates``: size of stage 1 (beyond it a
    seeded sample); ``seed``: reproducibility.
    """

    families: tuple[str, ...] = FAMILIES
    exponent_range: tuple[sp.Rational, sp.Rational] = (sp.Integer(-2), sp.Integer(2))
    denominator: int = 2
    log_powers: tuple[sp.Rational, ...] = (sp.Integer(1), sp.Integer(-1), sp.Rational(1, 2), sp.Integer(2))
    time_budget: float = 60.0
    certify: int = 3
    max_candidates: int = 3000
    climb_starts: int = 8
    seed: int = 0
    decades: int = 30
    digits: int = 15
    limit_budget: float = DEFAULT_LIMIT_BUDGET

    def __post_init__(self):
        unknown = [f for f in self.families if f not in FAMILIES]
        if unknown or not self.families:
            raise ParseError(f"unknown curve famil{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown) or '(none)'};"
                             f" choose from {', '.join(FAMILIES)}")
        low, high = (parse_number(v, what="exponent bound") for v in self.exponent_range)
        if low > high:
            raise ParseError(f"the exponent range [{low}, {high}] is empty")
        object.__setattr__(self, "exponent_range", (low, high))
        if not isinstance(self.denominator, int) or not 1 <= self.denominator <= 12:
            raise ParseError(f"the exponent denominator must be an integer from 1 to 12, got {self.denominator!r}")
        if not self.time_budget > 0 or math.isinf(self.time_budget):
            raise ParseError(f"the search time budget must be a positive number of seconds, got {self.time_budget}")
        if not isinstance(self.certify, int) or self.certify < 1:
            raise ParseError(f"the number of certified candidates must be at least 1, got {self.certify!r}")
        if not isinstance(self.max_candidates, int) or self.max_candidates < 1:
            raise ParseError(f"max_candidates must be a positive integer, got {self.max_candidates!r}")
        object.__setattr__(self, "log_powers", tuple(sp.Rational(b) for b in self.log_powers if b != 0))

    @property
    def exponents(self) -> list[sp.Rational]:
        """The allowed exponents a_i ≠ 0, simplest first."""
        low, high = self.exponent_range
        values = {sp.Rational(p, q) for q in range(1, self.denominator + 1)
                  for p in range(math.floor(low * q), math.ceil(high * q) + 1)}
        values = [v for v in values if low <= v <= high and v != 0]
        return sorted(values, key=lambda v: (v.q, abs(v), -v))

    def to_json(self) -> dict:
        return {"families": list(self.families), "exponent_range": [sp.sstr(v) for v in self.exponent_range],
                "denominator": self.denominator, "log_powers": [sp.sstr(b) for b in self.log_powers],
                "time_budget": self.time_budget, "certify": self.certify, "max_candidates": self.max_candidates,
                "seed": self.seed}


def network_architecture(objective: Objective):
    """The architecture of a feed-forward objective, searched with one block per weight matrix and
    per bias vector (module docstring); None for expressions and for deep linear networks, which
    keep one block per weight matrix with the ``ones`` pattern only."""
    architecture = getattr(objective, "architecture", None)
    if architecture is None or not getattr(architecture, "blocks", None):
        return None
    linear = not architecture.bias and architecture.activation.name == "identity"
    if getattr(objective, "weight_symbols", None) and linear:
        return None
    return architecture


def variable_blocks(objective: Objective) -> list[tuple[str, list[int]]]:
    """Groups of variable indices that share a form: one per weight matrix and per bias vector of
    a feed-forward network (``W1, b1, W2, …``), one per weight matrix of a deep linear network,
    otherwise one per variable."""
    architecture = network_architecture(objective)
    if architecture is not None:
        return [(block.name, list(range(block.offset, block.stop))) for block in architecture.blocks]
    layers = getattr(objective, "weight_symbols", None)
    if layers:
        index = {v: i for i, v in enumerate(objective.variables)}
        def name(l: int, W) -> str:  # scalar layers named like x1 … xL keep their own names
            return W[0][0].name if len(W) * len(W[0]) == 1 and not W[0][0].name.startswith(f"W{l}_") else f"W{l}"

        return [(name(l, W), [index[s] for row in W for s in row]) for l, W in enumerate(layers, 1)]
    return [(v.name, [i]) for i, v in enumerate(objective.variables)]


def label_vectors(objective: Objective) -> list[tuple[sp.Rational, ...]]:
    """The data's label vectors y_i (a scalar label is a vector of length 1)."""
    data = objective.data
    vectors = getattr(data, "label_vectors", None)
    if vectors:
        return [tuple(sp.Rational(v) for v in y) for y in vectors]
    return [(sp.Rational(y),) for y in data.targets]


def suggested_coefficients(objective: Objective, limit: int = 3) -> list[sp.Rational]:
    """Positive rational constants appearing in f (other than 1), largest first — values a
    coordinate might sit at (e.g. the 2 in (x·y − 2)²)."""
    data = getattr(objective, "data", None)
    if data is not None:
        numbers = {abs(sp.Rational(v)) for x in data.inputs for v in x}
        numbers |= {abs(v) for y in label_vectors(objective) for v in y}
    else:
        numbers = set()
        for node in sp.preorder_traversal(objective.expr):
            if isinstance(node, sp.Pow):  # exponents are not values a coordinate sits at
                numbers |= {abs(a) for a in node.base.atoms(sp.Rational)}
            elif isinstance(node, sp.Rational) and not any(
                    isinstance(p, sp.Pow) and p.exp == node for p in objective.expr.atoms(sp.Pow)):
                numbers.add(abs(node))
    numbers = sorted((v for v in numbers if v not in (0, 1) and v.q <= 100 and v.p <= 10**6), reverse=True)
    return numbers[:limit]


def balanced_pattern(shape: tuple[int, int]) -> tuple[sp.Integer, ...]:
    """The entries of a ``rows × columns`` matrix whose rows are ``(1, −1, 1, −1, …)`` (a trailing
    0 for an odd number of columns): every row sums to zero. Row by row, as the flattening order."""
    rows, columns = shape
    one, zero = sp.Integer(1), sp.Integer(0)
    row = tuple(-one if j % 2 else (one if j + 1 < columns else zero) for j in range(columns))
    return row * rows


#: the stationarity check of a constant output: |Σ_i ∇_u ℓ(u*; y_i)| must be proved below this
_STATIONARY = arb("1e-40")


def stationary_output(loss, labels: Sequence[tuple[sp.Rational, ...]]) -> tuple[sp.Expr, ...] | None:
    """A constant output u* with ``Σ_i ∇_u ℓ(u*; y_i) = 0`` for the output loss ``loss`` (an
    :class:`~dlnsmooth.networks.losses.OutputLoss`), or None: the first of the mean label ȳ,
    log ȳ (entries > 0) and, for scalar labels of both signs, log(n₊/n₋) and log(n₊/n₋)/2 that is
    stationary in ball arithmetic at 80 digits (a candidate only: certificates decide)."""
    if not labels:
        return None
    count, m = len(labels), len(labels[0])
    mean = [sp.Add(*[y[j] for y in labels]) / count for j in range(m)]
    candidates = [mean]
    if all(v > 0 for v in mean):
        candidates.append([sp.log(v) for v in mean])
    if m == 1:
        positive, negative = sum(1 for y in labels if y[0] > 0), sum(1 for y in labels if y[0] < 0)
        if positive and negative:
            odds = sp.log(sp.Rational(positive, negative))
            candidates += [[odds], [odds / 2]]
    for u in candidates:
        if _is_stationary(loss, u, labels):
            return tuple(u)
    return None


def _is_stationary(loss, u: Sequence[sp.Expr], labels: Sequence[tuple[sp.Rational, ...]]) -> bool:
    with working_precision(80):
        try:
            point = [to_arb(v) for v in u]
            total = [arb(0)] * len(u)
            for y in labels:
                gradient = loss.derivatives("ball", point, [to_arb(v) for v in y])[1]
                total = [a + g for a, g in zip(total, gradient)]
        except (ArithmeticError, ValueError, TypeError, DlnsmoothError):
            return False
        return all(abs(v) < _STATIONARY for v in total)


@dataclass(frozen=True)
class _NetworkLayout:
    """Where the weight and bias blocks of a network are among the search's blocks, and the
    pattern forms each block may take (module docstring)."""

    depth: int
    weights: tuple[int, ...]
    biases: tuple[int, ...] | None
    #: block index → ``1·balanced`` (weight blocks with at least two columns)
    balanced: dict[int, Form]
    #: ``b_L = u*`` (None: no bias, or no stationary constant output found)
    fit: Form | None
    #: per block, the forms hill climbing may always switch it to
    extras: tuple[tuple[Form, ...], ...]


def _network_layout(objective: Objective, architecture, options: SearchOptions) -> _NetworkLayout:
    blocks = architecture.blocks
    weights = tuple(i for i, b in enumerate(blocks) if b.kind == "weight")
    biases = tuple(i for i, b in enumerate(blocks) if b.kind == "bias") or None
    balanced = {i: Form(1, 0, 0, "balanced", balanced_pattern(blocks[i].shape))
                for i in weights if blocks[i].shape[1] >= 2}
    fit = None
    if biases is not None:
        values = stationary_output(objective.loss, label_vectors(objective))
        if values is not None and any(v != 0 for v in values):
            fit = Form(1, 0, 0, "fit", values)
    low, high = options.exponent_range
    growing = [a for a in (sp.Integer(1),) if low <= a <= high]
    logs = [Form(s, 0, 1) for s in (1, -1)] if "log" in options.families else []
    extras: list[tuple[Form, ...]] = []
    for i, block in enumerate(blocks):
        if i in balanced:
            extras.append(tuple(balanced[i].scaled(s, a, 0) for a in growing for s in (1, -1)))
        elif block.kind == "bias":
            extras.append(tuple(([fit] if fit is not None and i == biases[-1] else []) + logs))
        else:
            extras.append(())
    return _NetworkLayout(architecture.depth, weights, biases, balanced, fit, tuple(extras))


# -- candidates ---------------------------------------------------------------------------
@dataclass
class Candidate:
    """A curve of the search with its numeric growth estimates (see the module docstring)."""

    forms: tuple[Form, ...] | None
    family: str
    curve: Curve | None = None
    grad_slope: float | None = None
    hess_slope: float | None = None
    critical_estimate: float | None = None
    status: str = "ranked"
    certificate: Certificate | None = None
    #: the estimated growth (or decay) of ‖∇f‖ (of ‖∇²f‖_F) accelerates between the ranking points:
    #: faster than any power, no power-law exponent
    grad_faster: bool = False
    hess_faster: bool = False
    #: seconds per symbolic limit its certificate was given (None before certification)
    limit_share: float | None = None

    def key(self) -> tuple:
        """Sort key, larger is better: estimated ρ* (to 2 decimals: finite-t effects are not
        improvements), then the growth of ‖∇²f‖ up to t^1 (clear growth beats slow growth),
        then basic forms (0, ±1, ±t, ±1/t) before others, then the growth itself, then simplicity."""
        rho = -1.0 if self.critical_estimate is None else round(self.critical_estimate, 2)
        growth = -1.0 if self.hess_slope is None else round(self.hess_slope, 1)
        forms = self.forms or ()
        basic = all(f.is_zero or (abs(f.c) == 1 and f.a in (-1, 0, 1) and f.b == 0) for f in forms)
        return (rho, min(growth, 1.0), basic, growth, -sum(f.complexity for f in forms))

    def describe(self, blocks: Sequence[tuple[str, list[int]]], t: str = "t") -> str:
        if self.curve is not None and self.forms is None:
            return self.curve.describe()
        return ", ".join(form.block_text(name, len(indices), t) for (name, indices), form in zip(blocks, self.forms))

    def estimate_text(self) -> str:
        def show(v, faster: bool = False):
            if faster:
                return "faster than any power" if v > 0 else "decays faster than any power"
            if v is None:
                return "n/a"
            if v in (math.inf, -math.inf):
                return "∞" if v > 0 else "−∞"
            return f"{v:.3f}" if abs(v) < 1000 else f"{v:.3g}"

        return (f"γ{': ' if self.grad_faster else ' ≈ '}{show(self.grad_slope, self.grad_faster)}, "
                f"η{': ' if self.hess_faster else ' ≈ '}{show(self.hess_slope, self.hess_faster)}, "
                f"ρ̂* ≈ {show(self.critical_estimate)}")

    def to_json(self, blocks) -> dict:
        def num(v):
            return json_value(v if v is None or math.isinf(v) else round(v, 6))
        return {"family": self.family, "curve": self.describe(blocks), "grad_slope": num(self.grad_slope),
                "hess_slope": num(self.hess_slope), "critical_exponent_estimate": num(self.critical_estimate),
                "grad_faster_than_any_power": self.grad_faster, "hess_faster_than_any_power": self.hess_faster,
                "status": self.status, "verdict": self.certificate.verdict if self.certificate else None}


def _simple_forms(options: SearchOptions) -> list[Form]:
    forms = [Form(0), Form(1), Form(-1)]
    low, high = options.exponent_range
    for a in (1, -1):
        if low <= a <= high:
            forms += [Form(1, a), Form(-1, a)]
    return forms


def _stage_one(blocks: int, options: SearchOptions, rng: random.Random,
               choices: Sequence[Sequence[Form]] | None = None) -> list[tuple[Form, ...]]:
    """Stage 1 assignments: all of them when few, else the structured patterns and a sample.
    ``choices``: the forms each block may take (default: the simple forms for every block)."""
    forms = _simple_forms(options)
    per_block = [list(forms)] * blocks if choices is None else [list(c) for c in choices]
    total = math.prod(len(c) for c in per_block)
    if total <= options.max_candidates:
        return sorted(itertools.product(*per_block), key=lambda fs: sum(f.complexity for f in fs))
    chosen: dict[tuple[Form, ...], None] = {}
    nonzero = [f for f in forms if not f.is_zero]
    # structured: a set of zero blocks (at most two), every other block the same form
    for zeros in itertools.chain.from_iterable(itertools.combinations(range(blocks), k) for k in range(3)):
        for form in nonzero:
            chosen[tuple(Form(0) if i in zeros else form for i in range(blocks))] = None
    # one block differs from all the others
    for i in range(blocks):
        inner_forms = nonzero if choices is None else [f for f in per_block[i] if not f.is_zero]
        for inner, outer in itertools.product(inner_forms, nonzero):
            if inner != outer:
                chosen[tuple(inner if j == i else outer for j in range(blocks))] = None
    while len(chosen) < options.max_candidates:
        chosen[tuple(rng.choice(c) for c in per_block)] = None
    return list(chosen)[: max(options.max_candidates, 1)]


def _layered(layout: _NetworkLayout, blocks: int, options: SearchOptions) -> list[tuple[Form, ...]]:
    """The layered assignments of a network (module docstring), growing and simplest first: W_1 … W_k = 0
    (1 ≤ k < L), W_{k+1} … W_L one growing form (``ones``, the last ``balanced``, or all
    ``balanced``), every hidden bias one simple form, the last bias a simple form or ``fit``."""
    simple = _simple_forms(options)
    growing = [f for f in simple if not f.is_zero]
    L = layout.depth
    if layout.biases is None:
        bias_choices: list[tuple[Form, Form]] = [(Form(0), Form(0))]
    else:
        last = ([layout.fit] if layout.fit is not None else []) + simple
        bias_choices = list(itertools.product(simple, last))
    out: dict[tuple[Form, ...], None] = {}
    for k in range(1, L):
        for form in growing:
            for balanced in (range(0), range(L - 1, L), range(k, L) if L - k > 1 else range(0)):
                if any(layout.weights[p] not in layout.balanced for p in balanced):
                    continue
                weights = [Form(0)] * k + [form] * (L - k)
                for p in balanced:
                    weights[p] = form.with_pattern(layout.balanced[layout.weights[p]])
                for hidden, last in bias_choices:
                    forms: list[Form] = [Form(0)] * blocks
                    for l, index in enumerate(layout.weights):
                        forms[index] = weights[l]
                    for l, index in enumerate(layout.biases or ()):
                        forms[index] = last if l == L - 1 else hidden
                    out[tuple(forms)] = None
    return sorted(out, key=_layered_order)


def _layered_order(forms: tuple[Form, ...]) -> tuple[bool, int]:
    """Growing weights first, then simpler forms; the ``fit`` bias counts as simple as 0 (it is
    the output bias the structure calls for, not an elaboration)."""
    growing = any(f.a > 0 for f in forms if f.pattern != "fit")
    return (not growing, sum(f.complexity for f in forms if f.pattern != "fit"))


def _network_stage_one(layout: _NetworkLayout, blocks: int, options: SearchOptions,
                       rng: random.Random) -> list[tuple[Form, ...]]:
    """Stage 1 of a network: the layered assignments, then the generic ones over every block's
    choices (the simple forms, ``balanced``, ``fit``), at most ``max_candidates`` in all."""
    choices = []
    for i in range(blocks):
        extra = [f for f in layout.extras[i] if f.pattern != "ones" and f.c > 0]
        choices.append(_simple_forms(options) + extra)
    chosen = dict.fromkeys(_layered(layout, blocks, options)[: options.max_candidates])
    for forms in _stage_one(blocks, options, rng, choices):
        if len(chosen) >= options.max_candidates:
            break
        chosen[forms] = None
    return list(chosen)


def _neighbours(forms: tuple[Form, ...], options: SearchOptions, suggested: Sequence[sp.Rational],
                extras: Sequence[Sequence[Form]] | None = None) -> list[tuple[Form, ...]]:
    """Assignments differing from ``forms`` in one block (module docstring, stage 2); ``extras``:
    per block, forms it may always be switched to (networks: other patterns, ±log t)."""
    exponents = [sp.Integer(0)] + options.exponents
    logs = [sp.Integer(0)] + list(options.log_powers) if "log" in options.families else [sp.Integer(0)]
    coefficients = [sp.Integer(1)] + list(suggested)
    out: dict[tuple[Form, ...], None] = {}
    for i, form in enumerate(forms):
        variants = [Form(0)] if not form.is_zero else []
        signs = (1, -1)
        if form.is_zero or form.pattern == "fit":
            variants += [Form(s, a) for s in signs for a in (sp.Integer(0), sp.Integer(1), sp.Integer(-1))
                         if options.exponent_range[0] <= a <= options.exponent_range[1]]
        else:
            position = exponents.index(form.a) if form.a in exponents else 0
            near_a = {form.a} | {exponents[j] for j in (position - 1, position + 1) if 0 <= j < len(exponents)}
            near_a |= {a for a in exponents if abs(a - form.a) <= sp.Rational(1, options.denominator)}
            for s, c, a, b in itertools.product(signs, coefficients, sorted(near_a), logs):
                variants.append(form.scaled(s * c, a, b))
            if form.pattern != "ones":
                variants.append(Form(form.c, form.a, form.b))
        for extra in (extras[i] if extras is not None else ()):
            variants.append(extra)
            if extra.pattern == "balanced" and not form.is_zero and form.pattern == "ones":
                variants.append(form.with_pattern(extra))
        for v in variants:
            if v != form:
                out[forms[:i] + (v,) + forms[i + 1:]] = None
    return list(out)


class _Ranker:
    """Numeric growth estimates of candidates, in ball arithmetic (module docstring)."""

    def __init__(self, objective: Objective, blocks: Sequence[tuple[str, list[int]]]):
        self.objective = objective
        self.blocks = blocks
        self.evaluations = 0
        self.failures = 0
        self._logs: dict[int, dict[int, arb]] = {}
        self._patterns: dict[tuple[str, int, int], list[arb]] = {}

    def _point(self, forms: tuple[Form, ...], t: int, dps: int) -> list[arb]:
        log_t = self._logs.setdefault(dps, {}).get(t)
        if log_t is None:
            log_t = self._logs[dps][t] = arb(t).log()
        point: list[arb] = [arb(0)] * self.objective.n
        for (_, indices), form in zip(self.blocks, forms):
            value = form.ball(t, log_t)
            if form.values:
                for i, entry in zip(indices, self._pattern(form, dps)):
                    point[i] = value * entry
            else:
                for i in indices:
                    point[i] = value
        return point

    def _pattern(self, form: Form, dps: int) -> list[arb]:
        """A pattern's entries as balls (at the current precision, ``dps`` digits)."""
        key = (form.pattern, id(form.values), dps)
        entries = self._patterns.get(key)
        if entries is None:
            entries = self._patterns[key] = [to_arb(v) for v in form.values]
        return entries

    def _norms(self, point_at: Callable[[int, int], list], t: int) -> tuple[float | None, float | None]:
        """(log‖∇f‖, log‖∇²f‖_F) at t (−∞ for an exact zero, None when undetermined)."""
        for dps in _RANK_DPS:
            with working_precision(dps):
                self.evaluations += 1
                try:
                    grad, hess = self.objective.ball_norms(point_at(t, dps))
                except (ZeroDivisionError, ValueError, OverflowError, DlnsmoothError):
                    return None, None
                final = dps == _RANK_DPS[-1]
                logs = [_log(grad, final, "upper"), _log(hess, final, "lower")]
            if all(v is not None for v in logs):
                return logs[0], logs[1]
        return tuple(logs)  # type: ignore[return-value]

    def rank(self, candidate: Candidate, point_at: Callable[[int, int], list] | None = None) -> Candidate:
        if point_at is None:
            forms = candidate.forms
            point_at = lambda t, dps: self._point(forms, t, dps)  # noqa: E731
        try:
            values = [self._norms(point_at, t) for t in RANK_POINTS[1:]]
        except UnsupportedForBalls:
            raise
        except Exception:  # an evaluation failure ranks the candidate last, it never ends the search
            values = [(None, None)] * 2
        (g1, h1), (g2, h2) = values
        span = math.log(RANK_POINTS[2]) - math.log(RANK_POINTS[1])
        candidate.grad_slope = _slope(g1, g2, span)
        candidate.hess_slope = _slope(h1, h2, span)
        candidate.critical_estimate = _critical(candidate.grad_slope, candidate.hess_slope, g1, g2, h1, h2)
        if candidate.hess_slope is None or candidate.grad_slope is None:
            self.failures += 1
        elif max(abs(candidate.grad_slope), abs(candidate.hess_slope)) > _STEEP:
            self._check_power_law(candidate, point_at, values)
        return candidate

    def _check_power_law(self, candidate: Candidate, point_at: Callable[[int, int], list], values: list) -> None:
        """For a steep candidate, the slope over the earlier span too: a slope that keeps growing
        (by half or more) is growth faster than any power, not a power-law exponent."""
        try:
            g0, h0 = self._norms(point_at, RANK_POINTS[0])
        except Exception:  # the earlier point is only a refinement of the estimate
            return
        (g1, h1), (g2, h2) = values
        early = math.log(RANK_POINTS[1]) - math.log(RANK_POINTS[0])
        late = math.log(RANK_POINTS[2]) - math.log(RANK_POINTS[1])
        candidate.grad_faster = _accelerates(_slope(g0, g1, early), _slope(g1, g2, late))
        candidate.hess_faster = _accelerates(_slope(h0, h1, early), _slope(h1, h2, late))


#: a norm whose ball, at the last ranking precision, only bounds it above by less than this counts
#: as zero for the ranking (the ball proves it is at most this small)
_NEGLIGIBLE = arb("1e-20")


def _log(ball: arb, final: bool = False, side: str = "upper") -> float | None:
    """log of a norm enclosed by ``ball`` for the ranking: −∞ for an exact zero, None while
    undetermined. At the last ranking precision (``final``) a ball still containing 0 or still
    wide is ranked by what it proves: ``side="upper"`` (‖∇f‖, which a refutation wants small) by its
    upper bound, −∞ when that is negligible; ``side="lower"`` (‖∇²f‖, which a refutation wants
    large) by its lower bound, −∞ when the ball contains 0 (it proves no growth). An estimate
    only: the certificate decides."""
    if ball.is_zero() and ball.is_exact():
        return -math.inf
    if not ball.is_finite():
        return None
    if not ball > 0 or ball.rad() > ball.mid() * arb("1e-6"):
        if not final:
            return None
        if side == "lower":
            ball = ball.lower()
            if not ball > 0:
                return -math.inf
        else:
            ball = ball.upper()
            if not ball > _NEGLIGIBLE:
                return -math.inf
    try:
        return float(ball.log().mid())
    except (OverflowError, ValueError):
        return None


def _accelerates(early: float | None, late: float | None) -> bool:
    """The growth (or decay) rate keeps growing by half or more: no power law."""
    if early is None or late is None or not (math.isfinite(early) and math.isfinite(late)):
        return False
    return abs(late) > _STEEP and abs(late) > 1.5 * abs(early) + 1 and (late > 0) == (early > 0)


def _slope(low: float | None, high: float | None, span: float) -> float | None:
    if low is None or high is None:
        return None
    if low == -math.inf and high == -math.inf:
        return -math.inf
    if low == -math.inf or high == -math.inf:
        return None
    return (high - low) / span


def _critical(grad_slope, hess_slope, g1, g2, h1, h2) -> float | None:
    """ρ̂*: ∞ when ‖∇f‖ does not grow and ‖∇²f‖_F does; Δlog‖∇²f‖/Δlog‖∇f‖ when both grow."""
    if hess_slope is None or grad_slope is None or hess_slope <= _FLAT:
        return None
    if grad_slope <= _FLAT:
        return math.inf
    return (h2 - h1) / (g2 - g1)


# -- the search ---------------------------------------------------------------------------
@dataclass
class SearchResult(Result):
    """The outcome of :func:`search_refuting_curve`.

    ``verdict`` is ``refuted`` (``certificate`` is the refuting curve's
    certificate), ``not refuted`` (no refuting curve found: the certified candidates
    are listed with their certificates' verdicts; nothing is claimed) or ``undecided`` (the time
    budget ran out before the promising candidates were decided).
    """

    objective: Objective
    rho: sp.Rational | None
    every_rho: bool
    verdict: Verdict
    reason: str
    certificate: Certificate | None
    critical_exponent: sp.Expr | None
    critical_source: str
    ranked: list[Candidate]
    certified: list[Candidate]
    blocks: list[tuple[str, list[int]]]
    options: SearchOptions
    stats: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    json_kind = "search"

    def report(self, top: int = 8) -> str:
        target = "every ρ ≥ 0" if self.every_rho else f"ρ = {sp.sstr(self.rho)}"
        s = self.stats
        lines = [
            f"Search for a refuting curve: {self.objective.describe()}",
            f"  target:    {target}; families {', '.join(self.options.families)}; exponents a in "
            f"[{sp.sstr(self.options.exponent_range[0])}, {sp.sstr(self.options.exponent_range[1])}] with denominator "
            f"≤ {self.options.denominator}; blocks: {_blocks_text(self.blocks)}",
            f"  ranked {s.get('ranked', 0)} curves ({s.get('stage1', 0)} in stage 1, {s.get('climbed', 0)} by hill "
            f"climbing, {s.get('sums', 0)} sums, {s.get('sequences', 0)} sequences) "
            f"from ‖∇f‖, ‖∇²f‖_F in ball arithmetic at "
            f"t = 10^4, 10^8, 10^16; certified {len(self.certified)}",
            "  best candidates (γ, η: growth exponents of ‖∇f‖ and ‖∇²f‖_F; ρ̂*: estimated critical exponent):",
        ]
        for candidate in self.ranked[:top]:
            verdict = f"  → {candidate.certificate.verdict}" if candidate.certificate else ""
            lines.append(f"    {candidate.describe(self.blocks)}   [{candidate.estimate_text()}]{verdict}")
        for note in self.notes:
            lines.append(f"Note: {note}")
        if self.certificate is not None:
            lines.append("")
            lines.append(self.certificate.report())
        lines.append("")
        rho_star = "undetermined" if self.critical_exponent is None else _rho_text(self.critical_exponent)
        lines.append(f"Critical exponent of the best curve: ρ* = {rho_star} ({self.critical_source})")
        lines.append(f"Search verdict: {self.verdict.upper()} — {self.reason}  ({self.seconds:.1f} s)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "reason": self.reason,
            "objective": self.objective.to_json(),
            "rho": None if self.every_rho else sp.sstr(self.rho),
            "every_rho": self.every_rho,
            "critical_exponent": json_value(self.critical_exponent),
            "critical_exponent_source": self.critical_source,
            "curve": self.certificate.curve.to_json() if self.certificate else None,
            "certificate": self.certificate.to_json() if self.certificate else None,
            "certified": [dict(c.to_json(self.blocks), certificate_reason=c.certificate.reason if c.certificate else None)
                          for c in self.certified],
            "ranked": [c.to_json(self.blocks) for c in self.ranked[:20]],
            "blocks": [{"name": name, "size": len(indices)} for name, indices in self.blocks],
            "options": self.options.to_json(),
            "stats": dict(self.stats),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }



def _rho_text(value: sp.Expr) -> str:
    return "∞" if value == sp.oo else sp.sstr(value)


def _blocks_text(blocks) -> str:
    if all(len(indices) == 1 for _, indices in blocks):
        return "one per variable"
    return ", ".join(f"{name} ({len(indices)})" for name, indices in blocks)


def _curve_of(objective: Objective, blocks, forms: tuple[Form, ...]) -> Curve:
    t = curve_parameter("t")
    coordinates: list[sp.Expr] = [sp.Integer(0)] * objective.n
    for (_, indices), form in zip(blocks, forms):
        for i, value in zip(indices, form.entries(t, len(indices))):
            coordinates[i] = value
    name = None
    if any(len(indices) > 1 for _, indices in blocks):
        def text(block: str, size: int, f: Form) -> str:
            return f"{block} = {f.text()}·ones" if f.pattern == "ones" and not f.is_zero else f.block_text(block, size)

        name = "search: " + ", ".join(text(n, len(indices), f) for (n, indices), f in zip(blocks, forms))
    return Curve(objective.variables, coordinates, t, name=name)


#: at most this many curves of the sums family are ranked
_MAX_SUMS = 80
#: per function, the values of its argument worth holding: zeros and extrema
_SPECIAL_ARGUMENTS: dict[type, tuple[sp.Expr, ...]] = {
    sp.sin: (sp.pi / 2, sp.Integer(0), -sp.pi / 2, sp.pi),
    sp.cos: (sp.pi / 2, sp.Integer(0), sp.pi, -sp.pi / 2),
    sp.tan: (sp.Integer(0),),
    sp.tanh: (sp.Integer(0),),
    sp.sinh: (sp.Integer(0),),
    sp.cosh: (sp.Integer(0),),
    sp.exp: (sp.Integer(0),),
    sp.log: (sp.Integer(1),),
    sp.atan: (sp.Integer(0),),
}


def _short_sum(expression: sp.Expr, t: sp.Symbol, terms: int = 3) -> bool:
    """A sum of at most ``terms`` terms c·t^a (constants included), the shape of the sums family."""
    parts = sp.Add.make_args(sp.expand(expression))
    if len(parts) > terms:
        return False
    for part in parts:
        coefficient, power = part.as_independent(t, as_Add=False)
        if power != 1 and not (power == t or (power.is_Pow and power.base == t and power.exp.is_Rational)):
            return False
    return True


def cancelling_curves(objective: Objective, *, limit: int = _MAX_SUMS) -> list[Curve]:
    """The curves of the ``sums`` family (module docstring): one variable solved from u = k for an
    argument u of a transcendental function of f, the others ±t; only solutions that are short
    sums of monomials in t with a constant offset are kept. ``[]`` for objectives without an
    expression (networks)."""
    if getattr(objective, "weight_symbols", None) or getattr(objective, "architecture", None) or objective.n > 6:
        return []
    t = curve_parameter("t")
    variables = list(objective.variables)
    constants = [sp.Integer(0)] + suggested_coefficients(objective)
    curves: dict[tuple[sp.Expr, ...], None] = {}
    nodes = sorted({node for node in objective.expr.atoms(*_SPECIAL_ARGUMENTS)
                    if not node.args[0].is_number}, key=sp.default_sort_key)
    for node in nodes:
        argument = node.args[0]
        values = list(dict.fromkeys(_SPECIAL_ARGUMENTS[type(node)] + tuple(constants)))
        for variable in variables:
            if variable not in argument.free_symbols:
                continue
            slope = sp.diff(argument, variable)
            if variable in slope.free_symbols or slope == 0:
                continue  # solved only where u is linear in the variable
            others = [v for v in variables if v != variable]
            for signs in itertools.product((1, -1), repeat=len(others)):
                assignment = {v: sign * t for v, sign in zip(others, signs)}
                scale = slope.subs(assignment)
                if scale == 0 or not scale.is_finite:
                    continue
                rest = (argument - slope * variable).subs(assignment)
                for value in values:
                    solved = sp.expand((value - rest) / scale)
                    if not solved.has(t) and not any(s.has(t) for s in assignment.values()):
                        continue
                    if not _short_sum(solved, t):
                        continue
                    coordinates = tuple(solved if v == variable else assignment[v] for v in variables)
                    curves[coordinates] = None
                    if len(curves) >= limit:
                        return [Curve(variables, list(c), t) for c in curves]
    return [Curve(variables, list(c), t) for c in curves]


def candidate_curves(objective: Objective, *, options: SearchOptions | None = None, limit: int | None = None,
                     seed: int = 0) -> list[Curve]:
    """The stage-1 curves of the monomial family (and, with the ``log`` family, their log
    variants with b = 1 on one block), simplest first, unranked — e.g. for auditing constants
    along them. ``limit`` caps the number returned."""
    options = options or SearchOptions(seed=seed)
    blocks = variable_blocks(objective)
    rng = random.Random(options.seed)
    architecture = network_architecture(objective)
    if architecture is None:
        assignments = _stage_one(len(blocks), options, rng)
    else:
        layout = _network_layout(objective, architecture, options)
        assignments = _network_stage_one(layout, len(blocks), options, rng)
    if "log" in options.families:
        extra = []
        for forms in assignments[: max(1, (limit or len(assignments)) // 4)]:
            for i, f in enumerate(forms):
                if not f.is_zero and f.a != 0:
                    extra.append(forms[:i] + (f.scaled(f.c, f.a, 1),) + forms[i + 1:])
        assignments = assignments + extra
    curves = []
    for forms in assignments:
        if all(f.is_zero or f.a == 0 for f in forms):
            continue  # a constant point is not a curve to infinity
        curves.append(_curve_of(objective, blocks, forms))
        if limit is not None and len(curves) >= limit:
            break
    return curves


def search_refuting_curve(
    objective: Objective,
    *,
    rho: object = None,
    every_rho: bool = False,
    options: SearchOptions | None = None,
    progress: bool | None = None,
) -> SearchResult:
    """Search the curve families for a curve refuting ρ-order Lipschitz continuity of ∇f (for
    the given ρ, or for every ρ at once) and certify the best candidates (module docstring)."""
    target = rho_target(rho, every_rho)
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    search = _Search(objective, target, options or SearchOptions(), progress)
    if "monomial" in search.options.families or "log" in search.options.families:
        search.stage_one()
        search.climb()
    if "sums" in search.options.families:
        search.sums()
    ranked = search.ranked()
    refuting, best_critical = search.certify(ranked)
    verdict, reason = search.conclusion(ranked, refuting)
    if search.ranker.failures:
        search.notes.append(f"{search.ranker.failures} candidate(s) could not be ranked (undetermined in ball "
                            f"arithmetic at {_RANK_DPS[-1]} digits, or outside the domain)")
    return SearchResult(objective, search.rho, every_rho, verdict, reason,
                        refuting.certificate if refuting else None, best_critical[0], best_critical[1],
                        ranked, search.certified, search.blocks, search.options, search.stats, search.notes,
                        time.perf_counter() - search.start)


class _Search:
    """The state of one search: candidates seen, statistics, notes, the time budget."""

    def __init__(self, objective: Objective, rho: sp.Rational | None, options: SearchOptions,
                 progress: bool | None):
        self.objective, self.rho, self.options, self.progress = objective, rho, options, progress
        self.every_rho = rho is None
        self.start = time.perf_counter()
        self.deadline = self.start + options.time_budget
        self.blocks = variable_blocks(objective)
        architecture = network_architecture(objective)
        self.layout = None if architecture is None else _network_layout(objective, architecture, options)
        self.ranker = _Ranker(objective, self.blocks)
        self.rng = random.Random(options.seed)
        self.suggested = suggested_coefficients(objective)
        self.notes: list[str] = []
        if self.layout is not None:
            self.notes.append(_patterns_note(self.layout, self.blocks))
        self.stats = {"stage1": 0, "climbed": 0, "sequences": 0, "sums": 0, "ranked": 0}
        self.seen: dict[tuple[Form, ...], Candidate] = {}
        self.extra: list[Candidate] = []  # candidates given by a curve, not by forms (the sums family)
        self.certified: list[Candidate] = []

    def target_met(self, c: Candidate) -> bool:
        """The candidate's estimate would refute what is asked (every ρ: ρ̂* = ∞; else ρ̂* > ρ)."""
        if c.critical_estimate is None:
            return False
        return c.critical_estimate == math.inf if self.every_rho else c.critical_estimate > self.rho

    def rank_forms(self, forms: tuple[Form, ...]) -> Candidate | None:
        """Rank a new assignment of forms (None when seen before or a constant point)."""
        family = "log" if any(f.b != 0 for f in forms) else "monomial"
        if forms in self.seen:
            return None
        if all(f.is_zero or (f.a == 0 and f.b == 0) for f in forms):
            self.seen[forms] = Candidate(forms, family, critical_estimate=None, status="constant point")
            return None
        candidate = self.ranker.rank(Candidate(forms, family))
        self.seen[forms] = candidate
        self.stats["ranked"] += 1
        return candidate

    def stage_one(self) -> None:
        """Rank the simple forms (module docstring), within 35% of the time budget."""
        deadline = self.start + 0.35 * self.options.time_budget
        if self.layout is None:
            assignments = _stage_one(len(self.blocks), self.options, self.rng)
        else:
            assignments = _network_stage_one(self.layout, len(self.blocks), self.options, self.rng)
        unbeatable = 0
        bar = progress_bar(self.progress, "search: stage 1", total=len(assignments), unit="curve")
        try:
            for forms in assignments:
                if time.perf_counter() > deadline:
                    self.notes.append(f"stage 1 stopped at its share of the time budget after "
                                      f"{self.stats['stage1']} curves")
                    break
                ranked = self.rank_forms(forms)
                if ranked is not None:
                    self.stats["stage1"] += 1
                    unbeatable += ranked.critical_estimate == math.inf
                if bar is not None:
                    bar.update()
                if self.layout is not None and unbeatable >= self.options.certify:
                    self.notes.append(f"stage 1 stopped after {self.stats['stage1']} curves: {unbeatable} of them "
                                      f"show{'s' if unbeatable == 1 else ''} ‖∇f‖ bounded with ‖∇²f‖ growing "
                                      "(ρ̂* = ∞), none can do better")
                    break
        except UnsupportedForBalls as exc:
            raise DlnsmoothError(f"the search ranks curves in ball arithmetic, which does not support this "
                                 f"objective: {exc}") from None
        finally:
            if bar is not None:
                bar.close()

    def climb(self) -> None:
        """Hill climbing from the best candidates, one block's form at a time (until 60% of the budget)."""
        deadline = self.start + 0.6 * self.options.time_budget
        starts = sorted((c for c in self.seen.values() if c.forms is not None and c.critical_estimate is not None),
                        key=Candidate.key, reverse=True)[: self.options.climb_starts]
        bar = progress_bar(self.progress, "search: hill climbing", unit="curve")
        for current in starts:
            if self._unbeatable(current):
                break
            while time.perf_counter() < deadline and not (self.every_rho and self.target_met(current)):
                improved = self._best_neighbour(current, deadline, bar)
                if improved is None:
                    break
                current = improved
                if self._unbeatable(current):
                    break
            if self._unbeatable(current):
                break
        if bar is not None:
            bar.close()

    def _unbeatable(self, candidate: Candidate) -> bool:
        """On a network, a candidate with ρ̂* = ∞ ends the climbing: no curve can estimate more
        (the many blocks of a network make each climbing step expensive)."""
        return self.layout is not None and candidate.critical_estimate == math.inf

    def _best_neighbour(self, current: Candidate, deadline: float, bar) -> Candidate | None:
        improved = None
        extras = None if self.layout is None else self.layout.extras
        for forms in _neighbours(current.forms, self.options, self.suggested, extras):
            if time.perf_counter() > deadline:
                break
            ranked = self.rank_forms(forms)
            if ranked is None:
                continue
            self.stats["climbed"] += 1
            if bar is not None:
                bar.update()
            if ranked.key() > (improved or current).key():
                improved = ranked
        return improved

    def sums(self) -> None:
        """Rank the curves of the ``sums`` family (module docstring), until 70% of the budget."""
        deadline = self.start + 0.7 * self.options.time_budget
        try:
            curves = cancelling_curves(self.objective, limit=_MAX_SUMS)
        except DlnsmoothError as exc:
            self.notes.append(f"sums family: {exc}")
            return
        for curve in curves:
            if time.perf_counter() > deadline:
                self.notes.append(f"the sums family stopped at its share of the time budget after "
                                  f"{self.stats.get('sums', 0)} curves")
                break
            candidate = Candidate(None, "sums", curve=curve)
            try:
                self.ranker.rank(candidate, lambda t, dps, curve=curve: curve.ball_point(t))
            except (UnsupportedForBalls, DlnsmoothError):
                continue
            self.stats["sums"] = self.stats.get("sums", 0) + 1
            self.stats["ranked"] += 1
            self.extra.append(candidate)

    def ranked(self) -> list[Candidate]:
        """Every ranked candidate, best first, the discrete sequences (one variable) in front."""
        ranked = sorted([c for c in self.seen.values() if c.hess_slope is not None]
                        + [c for c in self.extra if c.hess_slope is not None], key=Candidate.key, reverse=True)
        if "zeros" in self.options.families and self.objective.n == 1:
            budget = min(10.0, 0.15 * self.options.time_budget, self.deadline - time.perf_counter())
            if budget > 0.5:
                ranked = _sequence_candidates(self.objective, self.ranker, self.stats, self.notes, budget,
                                              self.deadline) + ranked
            else:
                self.notes.append("the zeros family was skipped: the time budget was spent")
        elif self.options.families == ("zeros",):
            self.notes.append("the zeros family applies to functions of one variable only")
        return ranked

    def certify(self, ranked: list[Candidate]) -> tuple[Candidate | None, tuple[sp.Expr | None, str]]:
        """Certify the candidates meeting the target (else the best growing one, for its critical
        exponent), and every discrete sequence (few, and bluntly ranked: at the zeros of f′ the
        ball of ‖∇f‖ only bounds a value that vanishes); the first refuting certificate ends it."""
        best: tuple[sp.Expr | None, str] = (None, "no curve along which ‖∇²f‖ grows was found")
        if self.layout is not None:
            wanted = self._network_wanted(ranked)
            if any(c.critical_estimate for c in ranked):
                best = (None, "no curve was certified (the ranking's estimates are numeric only)")
        else:
            growing = [c for c in ranked[:1] if (c.critical_estimate or 0) > 0]
            wanted = ([c for c in ranked if self.target_met(c)] or growing)[: self.options.certify]
        wanted += [c for c in ranked if c.family == "zeros" and c not in wanted]
        for candidate in wanted:
            remaining = self.deadline - time.perf_counter()
            if remaining < 1.0:
                self.notes.append("the time budget ended the certification of further candidates"
                                  if self.certified else "the time budget ended before any candidate was certified")
                break
            certificate = self._certificate(candidate, remaining)
            if certificate is None:
                continue
            critical = certificate.critical_exponent
            if critical is not None and (best[0] is None or bool(critical > best[0])):
                best = (critical, f"certified symbolically along {candidate.describe(self.blocks)}")
            if certificate.verdict == "refuted":
                return candidate, (critical, f"symbolic, along the refuting curve {candidate.describe(self.blocks)}"
                                   if critical is not None else certificate.growth.critical_source)
        return None, best

    def _network_wanted(self, ranked: list[Candidate]) -> list[Candidate]:
        """The candidates of a network to certify, in order: among those meeting the target (else
        among the growing ones, for their critical exponent) the best of basic forms first — the
        most likely to be certified — then the best ranked; beyond the symbolic route's default
        size, curves polynomial in t first, and the best growing polynomial curve when none of
        those is (module docstring)."""
        pool = [c for c in ranked if self.target_met(c)]
        if not pool:
            growing = [c for c in ranked if (c.critical_estimate or 0) > 0]
            pool = [c for c in growing if c.key()[2]][:1] + growing[:1]
        basic = [c for c in pool if c.key()[2]][:1]
        wanted: list[Candidate] = []
        for candidate in basic + pool:
            if not any(candidate is c for c in wanted):
                wanted.append(candidate)
        if not self._prefer_polynomial():
            return wanted[: self.options.certify]
        wanted.sort(key=lambda c: not _polynomial(c))  # stable: the order above within each group
        wanted = wanted[: self.options.certify]
        if not any(_polynomial(c) for c in wanted):  # for a certified critical exponent at least
            wanted += [c for c in ranked if _polynomial(c) and (c.critical_estimate or 0) > 0][:1]
        return wanted

    def _prefer_polynomial(self) -> bool:
        """A network beyond the symbolic route's default size: curves polynomial in t with rational
        coefficients (the exact structured route) are certified first."""
        return self.layout is not None and self.objective.n > SYMBOLIC_LIMIT

    def _certificate(self, candidate: Candidate, remaining: float) -> Certificate | None:
        if candidate.curve is None:
            candidate.curve = _curve_of(self.objective, self.blocks, candidate.forms)
        self.certified.append(candidate)
        candidate.limit_share = max(1.0, min(self.options.limit_budget, remaining / 4))
        try:
            certificate = certify_curve(self.objective, candidate.curve, rho=self.rho, every_rho=self.every_rho,
                                        decades=self.options.decades, digits=self.options.digits,
                                        limit_budget=candidate.limit_share, time_budget=max(0.5, remaining),
                                        progress=False)
        except DlnsmoothError as exc:
            why = str(exc)
            repeated = any(c is not candidate and c.status == f"not certified: {why}" for c in self.certified)
            candidate.status = f"not certified: {why}"
            self.notes.append(f"numeric estimate only (not certified): {candidate.estimate_text()} along "
                              f"{candidate.describe(self.blocks)}, from the ball ranking at t = 10^8, 10^16; "
                              + ("not certified for the same reason" if repeated
                                 else f"its certificate could not be computed: {why}"))
            return None
        candidate.certificate, candidate.status = certificate, "certified"
        return certificate

    def _cut_short(self, candidate: Candidate) -> str | None:
        """What the time budget left undone in an undecided certificate of a promising candidate: its own
        budget spent, or a symbolic limit that timed out within the shortened share the search gave it."""
        certificate = candidate.certificate
        if certificate is None or certificate.verdict != "undecided" or not self.target_met(candidate):
            return None
        if certificate.budget_spent:
            return certificate.budget_spent
        limits = [e.outcome for e in certificate.find("symbolic-limit") if e.outcome.status == "timeout"]
        if limits and candidate.limit_share is not None and candidate.limit_share < self.options.limit_budget:
            return (f"a symbolic limit needed more than the {candidate.limit_share:.3g} s of the time budget left "
                    "for it")
        return None

    def conclusion(self, ranked: list[Candidate], refuting: Candidate | None) -> tuple[Verdict, str]:
        if refuting is not None:
            return "refuted", (f"the search found {refuting.describe(self.blocks)} and its certificate refutes "
                               + ("every ρ ≥ 0" if self.every_rho else f"ρ = {sp.sstr(self.rho)}"))
        if not ranked:
            return "not refuted", "no candidate curve could be ranked (every evaluation failed or was undetermined)"
        if not any(self.target_met(c) for c in ranked):
            want = "‖∇f‖ bounded with ‖∇²f‖ growing" if self.every_rho else f"an estimated ρ* above {sp.sstr(self.rho)}"
            certified = "; the best growing curve was certified for its critical exponent" if self.certified else ""
            return "not refuted", f"no ranked curve showed {want}{certified}. This is not a proof that the condition holds"
        uncertifiable = [c for c in self.certified if c.certificate is None and self.target_met(c)]
        if self.layout is not None and uncertifiable and not any(
                c.certificate is not None and self.target_met(c) for c in self.certified):
            return "undecided", (f"the most promising curve, {uncertifiable[0].describe(self.blocks)}, is a numeric "
                                 f"estimate only ({uncertifiable[0].estimate_text()}): no route could certify it "
                                 "(see the notes)")
        cut = [c for c in self.certified if self._cut_short(c) is not None]
        skipped = [c for c in ranked if self.target_met(c) and c not in self.certified]
        if cut or (skipped and not self.certified):
            what = (f"the certificate of {cut[0].describe(self.blocks)} was cut short ({self._cut_short(cut[0])})"
                    if cut else f"{len(skipped)} promising curve(s) were never certified")
            return "undecided", (f"the time budget of {self.options.time_budget:g} s ran out before the promising "
                                 f"curves were decided: {what}")
        return "not refuted", ("promising curves were certified but none was refuted (see their verdicts); this is "
                               "not a proof that the condition holds")


def _patterns_note(layout: _NetworkLayout, blocks: Sequence[tuple[str, list[int]]]) -> str:
    """What the patterns of a network search mean (module docstring)."""
    text = "block patterns: ones (every entry equal)"
    if layout.balanced:
        text += ", balanced (rows 1, −1, 1, −1, …, each summing to 0)"
    if layout.fit is not None:
        name = blocks[layout.biases[-1]][0]
        text += (f", and {name} = {layout.fit.text()}: a constant output u* with Σ_i ∇_u ℓ(u*; y_i) = 0 "
                 "(checked in ball arithmetic)")
    elif layout.biases is not None:
        text += "; no constant output is stationary for this loss and data (no fit pattern)"
    return text


def _polynomial(candidate: Candidate) -> bool:
    return candidate.forms is not None and all(f.polynomial for f in candidate.forms)


def _sequence_candidates(objective: Objective, ranker: _Ranker, stats: dict, notes: list[str], budget: float,
                         deadline: float) -> list[Candidate]:
    """Discrete sequences for one variable (:mod:`dlnsmooth.sequences`), ranked like curves."""
    try:
        curves = derivative_zero_sequences(objective, time_budget=budget)
    except DlnsmoothError as exc:
        notes.append(f"zeros family: {exc}")
        return []
    out = []
    for curve in curves:
        if time.perf_counter() > deadline:
            break
        candidate = Candidate(None, "zeros", curve=curve)
        try:
            ranker.rank(candidate, lambda t, dps, curve=curve: curve.ball_point(t))
        except UnsupportedForBalls:
            continue
        stats["sequences"] += 1
        stats["ranked"] += 1
        out.append(candidate)
    return sorted(out, key=Candidate.key, reverse=True)

