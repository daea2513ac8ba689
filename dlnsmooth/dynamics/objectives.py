"""Non-smooth objectives of seed 003 with the subgradient the seed uses at kinks.

Each objective f : Rᴾ → R is given with one *selected* subgradient g(β) ∈ ∂f(β) (the one a deep-learning
framework returns), evaluated either exactly or in ball arithmetic:

* :class:`ToyLasso` — ``f(β) = λ‖β‖₁`` (seed (7)), ``g = λ·sign(β)``;
* :class:`GeneralLasso` — ``f(β) = (1/N)‖y − Wβ‖₂² + λ‖β‖₁`` (seed (15)),
  ``g = −(2/N)Wᵀ(y − Wβ) + λ·sign(β)``;
* :class:`ReluLasso` — ``f(β) = ‖q − max(0, Zβ)‖₂² + λ1‖β‖₁ + λ2‖β‖₂²`` (seed (3)),
  ``g = −2 Zᵀ[(q − max(0, Zβ)) ⊙ 1(Zβ > 0)] + λ1·sign(β) + 2λ2β``;
* :class:`HuberRegression` — ``f(β) = (1/N) Σ_i l(y_i − z_iᵀβ)`` with ``l(r) = r²/2`` for |r| ≤ δ and
  ``δ(|r| − δ/2)`` otherwise (seed (10), δ = 1), ``g = −(1/N) Zᵀ clip(y − Zβ, −δ, δ)`` (C¹: no kink).

Kink rules: ``sign(0) = 0`` and ``max′(0) = 0`` (PyTorch's rule for |·| and ReLU). In ball arithmetic
the selected subgradient is discontinuous where an argument of ``sign`` or of the ReLU indicator is 0;
a ball that contains 0 without being exactly 0 cannot say which branch applies and raises
:class:`UndecidedKink` (the iteration then raises precision or reports ``undecided``). Huber's
``clip`` is continuous, so a ball straddling |r| = δ is enclosed by the union of both branches.

**Shadowed steps.** The objectives with a proved Lipschitz bound of the NDGM step map T(β) = β − α g(β) on
a ball (:class:`ToyLasso`, :class:`GeneralLasso`, :class:`HuberRegression`, :class:`ReluLasso`) implement
``shadow_step`` (``shadowable = True``) for :mod:`dlnsmooth.dynamics.shadow`: the ball image of T at a centre
and ℓ ≥ Lip(T on B(x, e)) in ‖·‖₂, each with its proof in the docstring. The bounds use λ_max(ZZᵀ) ≤
``gram_upper()`` (:func:`~dlnsmooth.dynamics.shadow.gram_upper_bound`, computed once and cached, or given to
the constructor as ``gram_upper=``).

Exact vectors are :class:`ExactVector`: integer numerators over one common positive denominator
(numpy ``int64`` while every intermediate provably fits, Python integers in an object array otherwise),
so that a step of the toy LASSO is a few vectorised integer operations. The public ``value`` /
``subgradient`` accept and return plain sequences of :class:`~fractions.Fraction`.
"""

from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from flint import arb, arb_mat, ctx

from ..errors import DlnsmoothError, ShapeError
from .data import RegressionData, exact_fraction
from .shadow import ShadowStep, gram_upper_bound

__all__ = [
    "ExactVector",
    "UndecidedKink",
    "ParameterError",
    "NonsmoothObjective",
    "ToyLasso",
    "GeneralLasso",
    "ReluLasso",
    "HuberRegression",
    "ball_sign",
    "sqrt_upper",
    "nonnegative_parameter",
    "positive_parameter",
]

#: numerators are kept in int64 while every intermediate stays below this bound
_INT64_SAFE = 2 ** 62


class UndecidedKink(DlnsmoothError, ArithmeticError):
    """A ball contains a point where the selected subgradient jumps (sign or ReLU indicator at 0)
    without being exactly that point: which branch applies is not decided at this precision."""


class ParameterError(DlnsmoothError, ValueError):
    """A parameter of an objective or a method is outside its range (λ < 0, α ≤ 0, δ ≤ 0, ...)."""


def nonnegative_parameter(value: object, name: str) -> Fraction:
    """``value`` as an exact rational ≥ 0 (one-line error naming ``name`` otherwise)."""
    number = exact_fraction(value, name)
    if number < 0:
        raise ParameterError(f"{name} must be ≥ 0, got {number}")
    return number


def positive_parameter(value: object, name: str) -> Fraction:
    """``value`` as an exact rational > 0 (one-line error naming ``name`` otherwise)."""
    number = exact_fraction(value, name)
    if number <= 0:
        raise ParameterError(f"{name} must be > 0, got {number}")
    return number


def sqrt_upper(value: Fraction, digits: int = 12) -> Fraction:
    """An exact rational ≥ √value (equal when value is the square of a rational), value ≥ 0:
    ``⌈√(p·q)·10^d⌉ / (q·10^d)`` from integer square roots."""
    p, q = value.numerator, value.denominator
    root = math.isqrt(p * q)
    if root * root == p * q:
        return Fraction(root, q)
    scale = 10 ** digits
    return Fraction(math.isqrt(p * q * scale * scale) + 1, q * scale)


class ExactVector:
    """β = ``numerators / denominator`` exactly: a 1-D numpy array of integers (``int64`` when every
    entry and every intermediate of the next operation provably fits in 63 bits, ``object`` holding
    Python integers otherwise) and a positive Python integer denominator. Not reduced automatically
    (a constant common denominator keeps the toy LASSO in int64); :meth:`canonical` reduces."""

    __slots__ = ("numerators", "denominator", "bound", "_norm1")

    def __init__(self, numerators: np.ndarray, denominator: int, bound: int | None = None) -> None:
        self.numerators = numerators
        self.denominator = int(denominator)
        #: an upper bound on max |numerator| (None: not known yet; computed on demand)
        self.bound = bound
        self._norm1: Fraction | None = None

    # construction and conversion -------------------------------------------------------------
    @classmethod
    def from_values(cls, values: Sequence[object], what: str = "β") -> ExactVector:
        """Exact vector from numbers (Fractions, ints, decimal or fraction text)."""
        fractions = [exact_fraction(v, f"{what}[{i + 1}]") for i, v in enumerate(values)]
        denominator = math.lcm(*(f.denominator for f in fractions)) if fractions else 1
        return cls.from_integers([f.numerator * (denominator // f.denominator) for f in fractions], denominator)

    @classmethod
    def from_integers(cls, integers: Sequence[int], denominator: int = 1) -> ExactVector:
        """Exact vector ``integers / denominator`` (int64 storage when it fits)."""
        ints = [int(v) for v in integers]
        if all(abs(v) < _INT64_SAFE for v in ints):
            return cls(np.array(ints, dtype=np.int64), denominator)
        return cls(_object_array(ints), denominator)

    @classmethod
    def zeros(cls, dimension: int) -> ExactVector:
        return cls(np.zeros(dimension, dtype=np.int64), 1)

    def to_fractions(self) -> list[Fraction]:
        d = self.denominator
        return [Fraction(int(n), d) for n in self.numerators]

    def to_balls(self) -> list[arb]:
        """Each entry as a ball at the current flint precision (exact when representable)."""
        d = self.denominator
        return [arb(int(n)) / d for n in self.numerators]

    @property
    def dimension(self) -> int:
        return len(self.numerators)

    def __len__(self) -> int:
        return len(self.numerators)

    def __getitem__(self, index: int) -> Fraction:
        return Fraction(int(self.numerators[index]), self.denominator)

    # arithmetic --------------------------------------------------------------------------------
    def max_abs_numerator(self) -> int:
        """max_k |numerator_k| (exact; also tightens :attr:`bound`)."""
        if len(self.numerators) == 0:
            return 0
        largest = int(np.max(np.abs(self.numerators)))
        self.bound = largest
        return largest

    def numerator_bound(self) -> int:
        """An upper bound on max |numerator| (cheap when already known)."""
        return self.max_abs_numerator() if self.bound is None else self.bound

    def signs(self) -> np.ndarray:
        """sign(β) as an int64 array, with sign(0) = 0."""
        if self.numerators.dtype == object:
            return np.array([(n > 0) - (n < 0) for n in self.numerators], dtype=np.int64)
        return np.sign(self.numerators)

    def norm1(self) -> Fraction:
        if self._norm1 is None:
            self._norm1 = Fraction(int(np.abs(self.numerators).sum()), self.denominator)
        return self._norm1

    def norm_inf(self) -> Fraction:
        return Fraction(self.max_abs_numerator(), self.denominator)

    def squared_norm(self) -> Fraction:
        nums = _as_object(self.numerators)
        return Fraction(int(np.dot(nums, nums)) if len(nums) else 0, self.denominator ** 2)

    def dot(self, integers: np.ndarray) -> Fraction:
        """⟨β, w⟩ for an integer vector w (exact)."""
        return Fraction(int(np.dot(_as_object(self.numerators), _as_object(integers))), self.denominator)

    def bits(self) -> int:
        """Size of the representation: bits of the denominator plus bits of the largest numerator."""
        return self.denominator.bit_length() + self.max_abs_numerator().bit_length()

    def canonical(self) -> ExactVector:
        """The same vector with numerators and denominator divided by their gcd (int64 when it fits):
        equal vectors have identical canonical forms."""
        nums = self.numerators
        if nums.dtype == object:
            common = math.gcd(self.denominator, *(int(n) for n in nums))
        else:
            common = math.gcd(self.denominator, int(np.gcd.reduce(nums)) if len(nums) else 0)
        if common > 1:
            nums = nums // common
        vector = ExactVector(nums, self.denominator // common)
        if nums.dtype == object and vector.max_abs_numerator() < _INT64_SAFE:
            vector = ExactVector(nums.astype(np.int64), vector.denominator)
        return vector

    def fingerprint(self) -> bytes:
        """A 16-byte digest of the canonical form (equal vectors, equal fingerprints)."""
        canonical = self.canonical()
        digest = hashlib.blake2b(digest_size=16)
        digest.update(str(canonical.denominator).encode())
        digest.update(b"|")
        if canonical.numerators.dtype == object:
            digest.update(",".join(str(int(n)) for n in canonical.numerators).encode())
        else:
            digest.update(canonical.numerators.tobytes())
        return digest.digest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExactVector) or len(self) != len(other):
            return NotImplemented if not isinstance(other, ExactVector) else False
        left = _as_object(self.numerators) * other.denominator
        right = _as_object(other.numerators) * self.denominator
        return bool(np.array_equal(left, right))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ExactVector({[str(f) for f in self.to_fractions()[:6]]}{'…' if len(self) > 6 else ''})"


def combine(terms: Sequence[tuple[Fraction, ExactVector]]) -> ExactVector:
    """Σ c_j v_j exactly, over the least common denominator of the terms; int64 arithmetic when the
    sum of |c_j·scale_j|·max|v_j| provably stays below 2⁶², Python integers otherwise."""
    denominators = [c.denominator * v.denominator for c, v in terms]
    common = math.lcm(*denominators)
    factors = [c.numerator * (common // d) for (c, _), d in zip(terms, denominators)]
    if all(v.numerators.dtype != object for _, v in terms) and all(abs(f) < _INT64_SAFE for f in factors):
        bound = sum(abs(f) * v.numerator_bound() for f, (_, v) in zip(factors, terms))
        if bound >= _INT64_SAFE:  # the cached bounds may be loose: tighten them once
            bound = sum(abs(f) * v.max_abs_numerator() for f, (_, v) in zip(factors, terms))
        if bound < _INT64_SAFE:
            total = factors[0] * terms[0][1].numerators
            for f, (_, v) in zip(factors[1:], terms[1:]):
                if f:
                    total = total + f * v.numerators
            return ExactVector(total, common, bound)
    total = _object_array([0] * len(terms[0][1]))
    for f, (_, v) in zip(factors, terms):
        if f:
            total = total + f * _as_object(v.numerators)
    return ExactVector(total, common)


def _object_array(ints: Sequence[int]) -> np.ndarray:
    array = np.empty(len(ints), dtype=object)
    array[:] = [int(v) for v in ints]
    return array


def _as_object(numerators: np.ndarray) -> np.ndarray:
    if numerators.dtype == object:
        return numerators
    return _object_array(numerators.tolist())


def _integer_matrix(rows: Sequence[Sequence[Fraction]]) -> tuple[np.ndarray, int]:
    """Rows of rationals as (integer object matrix M, denominator d) with rows = M / d."""
    denominator = math.lcm(*(v.denominator for row in rows for v in row))
    matrix = np.empty((len(rows), len(rows[0])), dtype=object)
    for i, row in enumerate(rows):
        matrix[i, :] = [v.numerator * (denominator // v.denominator) for v in row]
    return matrix, denominator


def ball_sign(x: arb, where: str = "") -> int:
    """sign(x) of a ball with sign(0) = 0: decided when the ball excludes 0 or is exactly 0;
    :class:`UndecidedKink` otherwise."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    if x.is_exact() and x == 0:
        return 0
    raise UndecidedKink(f"the ball {x.str(5, radius=True)} contains the kink at 0{where}: sign undecided")


def _ball_positive(x: arb, where: str = "") -> bool:
    """The ReLU indicator 1(x > 0) with max′(0) = 0, decided as :func:`ball_sign`."""
    return ball_sign(x, where) > 0


class NonsmoothObjective(ABC):
    """A loss f : Rᴾ → R with a selected subgradient g(β) ∈ ∂f(β) (module docstring).

    Attributes: ``dimension`` (P), ``name``, ``formula`` (text of f), ``kink_rule`` (the subgradient
    chosen at kinks), ``convex``, ``rational`` (value and g are piecewise rational in β for rational
    data, so exact iteration is possible), ``rows`` (number of observations; 0 without data).
    """

    name: str = "objective"
    formula: str = ""
    kink_rule: str = ""
    convex: bool = True
    rational: bool = True
    #: :meth:`shadow_step` is implemented (NDGM's ball path is then shadowed: :mod:`dlnsmooth.dynamics.shadow`)
    shadowable: bool = False

    def __init__(self, dimension: int) -> None:
        if isinstance(dimension, bool) or not isinstance(dimension, int) or dimension < 1:
            raise ShapeError(f"the dimension must be a positive integer, got {dimension!r}")
        self.dimension = dimension

    @property
    def rows(self) -> int:
        return 0

    def parameters(self) -> dict[str, Fraction]:
        """The exact scalar parameters of the loss (λ, δ, ...), by name."""
        return {}

    def exact_point(self, beta: Sequence[object] | ExactVector) -> ExactVector:
        """``beta`` as an :class:`ExactVector` of the right dimension (ShapeError otherwise)."""
        vector = beta if isinstance(beta, ExactVector) else ExactVector.from_values(list(beta))
        if len(vector) != self.dimension:
            raise ShapeError(f"β has {len(vector)} coordinates, the objective {self.name} has {self.dimension}")
        return vector

    def ball_point(self, beta: Sequence[object]) -> list[arb]:
        """``beta`` as balls (exact numbers converted at the current precision)."""
        values = list(beta)
        if len(values) != self.dimension:
            raise ShapeError(f"β has {len(values)} coordinates, the objective {self.name} has {self.dimension}")
        return [v if isinstance(v, arb) else _fraction_ball(exact_fraction(v, "β")) for v in values]

    def value(self, beta: Sequence[object]) -> Fraction:
        """f(β) exactly."""
        return self.exact_value(self.exact_point(beta))

    def subgradient(self, beta: Sequence[object]) -> list[Fraction]:
        """The selected subgradient g(β) exactly."""
        return self.exact_subgradient(self.exact_point(beta)).to_fractions()

    @abstractmethod
    def exact_value(self, beta: ExactVector) -> Fraction:
        """f(β) for an exact vector."""

    @abstractmethod
    def exact_subgradient(self, beta: ExactVector, rows: Sequence[int] | None = None) -> ExactVector:
        """g(β) exactly; ``rows`` restricts the data term to a minibatch (objectives with data)."""

    @abstractmethod
    def ball_value(self, beta: Sequence[arb]) -> arb:
        """An enclosure of f over the box ``beta``."""

    @abstractmethod
    def ball_subgradient(self, beta: Sequence[arb], rows: Sequence[int] | None = None) -> list[arb]:
        """An enclosure of g over the box (:class:`UndecidedKink` where g jumps inside the box)."""

    def subgradient_bound(self) -> Fraction | None:
        """An exact G with ‖g(β)‖₂ ≤ G for every β, or None when g is unbounded."""
        return None

    def shadow_step(self, centre: arb_mat, radius: arb, alpha: Fraction) -> ShadowStep:
        """For a centre x enclosed by the ball column ``centre`` and a radius e = ``radius``: a ball column
        enclosing T(x) = x − α g(x) and ℓ ≥ the ‖·‖₂-Lipschitz constant of T on B(x, e) (for every such x);
        :class:`UndecidedKink` when the pattern of pieces of g is not constant on the ball. Only for
        ``shadowable`` objectives."""
        raise NotImplementedError(f"{self.name} gives no Lipschitz bound of its step map (not shadowable)")

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.parameters().items())
        return f"{type(self).__name__}(P={self.dimension}{', ' + params if params else ''})"


def _fraction_ball(value: Fraction) -> arb:
    return arb(value.numerator) / value.denominator


def _ball_column(values: Sequence[arb]) -> arb_mat:
    return arb_mat(len(values), 1, list(values))


def _widened(x: arb, radius: arb) -> arb:
    """The ball x ± radius (radius an exact ball ≥ 0)."""
    return x if radius == 0 else x + arb(0, radius)


def _lipschitz_ball(value: Fraction) -> arb:
    """An exact rational Lipschitz bound as a ball (its upper end is what the shadowed run uses)."""
    return _fraction_ball(value)


def _sign_column(centre: arb_mat, radius: arb, lam: Fraction) -> list[arb]:
    """λ·sign(β_j), constant for every β in the ball B(x, e) around any x ∈ ``centre``: 0 when λ = 0 (no kink),
    else sign decided on x_j ± e (:class:`UndecidedKink` when it is not constant there)."""
    if lam == 0:
        return [arb(0)] * centre.nrows()
    ball_lam, negative = _fraction_ball(lam), -_fraction_ball(lam)
    below = -radius
    column = []
    for k, c in enumerate(centre.entries()):
        if c > radius:  # every point of c ± e is > 0
            column.append(ball_lam)
        elif c < below:
            column.append(negative)
        else:
            column.append(ball_lam * ball_sign(_widened(c, radius), f" (β[{k + 1}] on the shadow ball)"))
    return column


class ToyLasso(NonsmoothObjective):
    """The toy LASSO ``L3(β) = λ‖β‖₁`` (seed (7)) with ``g(β) = λ·sign(β)``, sign(0) = 0.

    ``subgradient_bound``: every entry of g is in {−λ, 0, λ}, so ‖g‖₂ ≤ λ√P ≤ λ·:func:`sqrt_upper` (P).
    """

    name = "toy-lasso"
    kink_rule = "sign(0) = 0"
    convex = True
    rational = True

    def __init__(self, lam: object, dimension: int) -> None:
        super().__init__(dimension)
        self.lam = nonnegative_parameter(lam, "λ")
        self.formula = f"{self.lam}·‖β‖₁"

    def parameters(self) -> dict[str, Fraction]:
        return {"lambda": self.lam}

    def exact_value(self, beta: ExactVector) -> Fraction:
        return self.lam * beta.norm1()

    def exact_subgradient(self, beta: ExactVector, rows: Sequence[int] | None = None) -> ExactVector:
        lam = self.lam
        signs = beta.signs()
        if abs(lam.numerator) < _INT64_SAFE:
            return ExactVector(signs * lam.numerator, lam.denominator, abs(lam.numerator))
        return ExactVector(_as_object(signs) * lam.numerator, lam.denominator)

    def ball_value(self, beta: Sequence[arb]) -> arb:
        return _fraction_ball(self.lam) * sum((abs(b) for b in beta), arb(0))

    def ball_subgradient(self, beta: Sequence[arb], rows: Sequence[int] | None = None) -> list[arb]:
        lam = _fraction_ball(self.lam)
        return [lam * ball_sign(b, f" (β[{k + 1}])") for k, b in enumerate(beta)]

    def subgradient_bound(self) -> Fraction:
        return self.lam * sqrt_upper(Fraction(self.dimension))

    shadowable = True

    def shadow_step(self, centre: arb_mat, radius: arb, alpha: Fraction) -> ShadowStep:
        """T(β) = β − αλ·sign(β). Proof of ℓ = 1: when every sign is constant on B(x, e) (else
        :class:`UndecidedKink`), T is a translation there, T(a) − T(b) = a − b."""
        g = _ball_column(_sign_column(centre, radius, self.lam))
        return ShadowStep(centre - _fraction_ball(alpha) * g, arb(1), g)


class _DataObjective(NonsmoothObjective):
    """Shared machinery of the objectives on data (Z, y): exact integer matrices and ball matrices."""

    def __init__(self, Z: Sequence[Sequence[object]] | RegressionData, y: Sequence[object] | None,
                 what: str, gram_upper: object = None) -> None:
        data = Z if isinstance(Z, RegressionData) else RegressionData(Z, y if y is not None else [], source=what)
        if isinstance(Z, RegressionData) and y is not None:
            raise ShapeError("give either a RegressionData or (Z, y), not both")
        super().__init__(data.columns)
        self.data = data
        self.matrix, self.matrix_denominator = _integer_matrix(data.Z)
        self.responses = ExactVector.from_values(data.y, "y")
        self._balls: dict[int, tuple[arb_mat, list[arb]]] = {}
        self._shadow: dict[int, tuple[arb_mat, arb_mat, arb_mat, list[arb]]] = {}
        self._gram_upper = None if gram_upper is None else nonnegative_parameter(gram_upper, "gram_upper")
        self._row_squares: list[Fraction] | None = None
        self._row_square_integers: tuple[list[int], int] | None = None

    def gram_upper(self) -> Fraction:
        """An exact Λ ≥ λ_max(ZZᵀ) = ‖Z‖₂² (given to the constructor, else
        :func:`~dlnsmooth.dynamics.shadow.gram_upper_bound`, computed once)."""
        if self._gram_upper is None:
            self._gram_upper = gram_upper_bound(self.data.Z)
        return self._gram_upper

    def row_squares(self) -> list[Fraction]:
        """‖z_i‖₂² for every row, exactly."""
        if self._row_squares is None:
            self._row_squares = [sum((v * v for v in row), Fraction(0)) for row in self.data.Z]
        return self._row_squares

    def active_gram_upper(self, active: Sequence[int]) -> Fraction:
        """Λ_A ≥ λ_max(Z_A Z_Aᵀ) for the rows A: min(Λ, Σ_{i∈A} ‖z_i‖²) (Z_A Z_Aᵀ is a principal submatrix of
        ZZᵀ, so Cauchy interlacing bounds its λ_max by λ_max(ZZᵀ); and λ_max ≤ trace)."""
        if self._row_square_integers is None:
            squares = self.row_squares()
            common = math.lcm(*(q.denominator for q in squares))
            self._row_square_integers = ([q.numerator * (common // q.denominator) for q in squares], common)
        numerators, common = self._row_square_integers
        return min(self.gram_upper(), Fraction(sum(numerators[i] for i in active), common))

    def shadow_data(self) -> tuple[arb_mat, arb_mat, arb_mat, list[arb]]:
        """(Z, Zᵀ, y as a column, ‖z_i‖₂ per row) as balls at the current precision (cached per precision)."""
        key = ctx.prec
        if key not in self._shadow:
            Z, y = self.ball_data()
            norms = [_fraction_ball(s).sqrt() for s in self.row_squares()]
            self._shadow[key] = (Z, Z.transpose(), _ball_column(y), norms)
        return self._shadow[key]

    def shadow_residuals(self, centre: arb_mat, radius: arb) -> tuple[arb_mat, list[arb]]:
        """(Zx as balls, and per row the ball of z_iᵀβ over every β in B(x, e): z_iᵀx ± ‖z_i‖₂e by
        Cauchy–Schwarz)."""
        Z, _, _, norms = self.shadow_data()
        products = Z * centre
        if radius == 0:
            return products, list(products.entries())
        return products, [u + arb(0, (n * radius).abs_upper()) for u, n in zip(products.entries(), norms)]

    @property
    def rows(self) -> int:
        return self.data.rows

    def _selected(self, rows: Sequence[int] | None) -> list[int]:
        return list(range(self.data.rows)) if rows is None else list(rows)

    def exact_products(self, beta: ExactVector, rows: list[int]) -> list[Fraction]:
        """z_iᵀβ for the selected rows, exactly."""
        products = self.matrix[rows, :].dot(_as_object(beta.numerators))
        denominator = self.matrix_denominator * beta.denominator
        return [Fraction(int(v), denominator) for v in products]

    def exact_transpose_combination(self, weights: Sequence[Fraction], rows: list[int]) -> ExactVector:
        """Σ_i w_i z_i over the selected rows, exactly (an exact vector)."""
        denominator = math.lcm(*(w.denominator for w in weights)) if weights else 1
        ints = _object_array([w.numerator * (denominator // w.denominator) for w in weights])
        combination = ints.dot(self.matrix[rows, :]) if len(rows) else _object_array([0] * self.dimension)
        return ExactVector.from_integers(list(combination), denominator * self.matrix_denominator)

    def ball_data(self) -> tuple[arb_mat, list[arb]]:
        """(Z, y) as balls at the current precision (cached per precision)."""
        key = ctx.prec
        if key not in self._balls:
            Z = arb_mat([[_fraction_ball(v) for v in row] for row in self.data.Z])
            self._balls[key] = (Z, [_fraction_ball(v) for v in self.data.y])
        return self._balls[key]

    def ball_products(self, beta: Sequence[arb], rows: list[int]) -> list[arb]:
        Z, _ = self.ball_data()
        if len(rows) == self.data.rows:
            return list((Z * _ball_column(beta)).entries())
        sub = arb_mat([[Z[i, j] for j in range(self.dimension)] for i in rows])
        return list((sub * _ball_column(beta)).entries())

    def ball_transpose_combination(self, weights: Sequence[arb], rows: list[int]) -> list[arb]:
        Z, _ = self.ball_data()
        if len(rows) == self.data.rows:
            return list((Z.transpose() * _ball_column(weights)).entries())
        sub = arb_mat([[Z[i, j] for i in rows] for j in range(self.dimension)])
        return list((sub * _ball_column(weights)).entries())


def _lasso_signs_exact(beta: ExactVector, lam: Fraction) -> ExactVector:
    return ExactVector.from_integers([int(s) * lam.numerator for s in beta.signs()], lam.denominator)


class GeneralLasso(_DataObjective):
    """The general LASSO ``(1/N)‖y − Wβ‖₂² + λ‖β‖₁`` (seed (15)); g = −(2/N)Wᵀ(y − Wβ) + λ·sign(β),
    sign(0) = 0. Convex; g unbounded (the quadratic term), so ``subgradient_bound()`` is None.
    On a minibatch B of rows the data term is averaged over B: −(2/|B|) Σ_{i∈B} (y_i − w_iᵀβ) w_i."""

    name = "general-lasso"
    kink_rule = "sign(0) = 0"
    convex = True
    rational = True

    def __init__(self, W: Sequence[Sequence[object]] | RegressionData, y: Sequence[object] | None = None,
                 lam: object = 0, *, gram_upper: object = None) -> None:
        super().__init__(W, y, "W", gram_upper)
        self.lam = nonnegative_parameter(lam, "λ")
        self.formula = f"(1/{self.rows})‖y − Wβ‖₂² + {self.lam}·‖β‖₁"

    def parameters(self) -> dict[str, Fraction]:
        return {"lambda": self.lam}

    def exact_value(self, beta: ExactVector) -> Fraction:
        rows = self._selected(None)
        residuals = [y - u for y, u in zip(self.data.y, self.exact_products(beta, rows))]
        return sum((r * r for r in residuals), Fraction(0)) / self.rows + self.lam * beta.norm1()

    def exact_subgradient(self, beta: ExactVector, rows: Sequence[int] | None = None) -> ExactVector:
        chosen = self._selected(rows)
        residuals = [self.data.y[i] - u for i, u in zip(chosen, self.exact_products(beta, chosen))]
        data_term = self.exact_transpose_combination(residuals, chosen)
        return combine([(Fraction(-2, len(chosen)), data_term), (Fraction(1), _lasso_signs_exact(beta, self.lam))])

    def ball_value(self, beta: Sequence[arb]) -> arb:
        _, y = self.ball_data()
        products = self.ball_products(beta, self._selected(None))
        total = sum(((yi - u) ** 2 for yi, u in zip(y, products)), arb(0))
        return total / self.rows + _fraction_ball(self.lam) * sum((abs(b) for b in beta), arb(0))

    def ball_subgradient(self, beta: Sequence[arb], rows: Sequence[int] | None = None) -> list[arb]:
        chosen = self._selected(rows)
        _, y = self.ball_data()
        residuals = [y[i] - u for i, u in zip(chosen, self.ball_products(beta, chosen))]
        data_term = self.ball_transpose_combination(residuals, chosen)
        lam = _fraction_ball(self.lam)
        scale = arb(-2) / len(chosen)
        return [scale * d + lam * ball_sign(b, f" (β[{k + 1}])") for k, (d, b) in enumerate(zip(data_term, beta))]

    shadowable = True

    def shadow_step(self, centre: arb_mat, radius: arb, alpha: Fraction) -> ShadowStep:
        """T(β) = β − (2α/N)Wᵀ(Wβ − y) − αλ·sign(β), ℓ = max(1, (2α/N)Λ − 1) with Λ ≥ λ_max(WWᵀ).

        Proof: when every sign is constant on B(x, e) (else :class:`UndecidedKink`; with λ = 0 there is no
        kink), T(a) − T(b) = (I − sWᵀW)(a − b) there, s = 2α/N. WᵀW is symmetric with eigenvalues μ in
        [0, λ_max(WWᵀ)] ⊆ [0, Λ], so ‖I − sWᵀW‖₂ = max_μ |1 − sμ| ≤ max(1, sΛ − 1)."""
        _, Zt, y, _ = self.shadow_data()
        products, _ = self.shadow_residuals(centre, radius)
        signs = _ball_column(_sign_column(centre, radius, self.lam))
        g = (arb(2) / self.rows) * (Zt * (products - y)) + signs
        step = 2 * alpha / self.rows
        return ShadowStep(centre - _fraction_ball(alpha) * g, _lipschitz_ball(max(Fraction(1), step * self.gram_upper() - 1)),
                          g, products)


class ReluLasso(_DataObjective):
    """The seed's L1(β; Z, q, λ2, λ1) = ‖q − max(0, Zβ)‖₂² + λ1‖β‖₁ + λ2‖β‖₂² (seed (3)); g =
    −2 Σ_i (q_i − max(0, z_iᵀβ))·1(z_iᵀβ > 0)·z_i + λ1·sign(β) + 2λ2β with max′(0) = 0 and sign(0) = 0.
    Not convex in general (ReLU inside a square); g unbounded, so ``subgradient_bound()`` is None.
    On a minibatch B the data term is scaled by N/|B| (an unbiased estimate of the full sum)."""

    name = "relu-lasso"
    kink_rule = "max′(0) = 0 (ReLU), sign(0) = 0"
    convex = False
    rational = True

    def __init__(self, Z: Sequence[Sequence[object]] | RegressionData, q: Sequence[object] | None = None,
                 lam1: object = 0, lam2: object = 0, *, gram_upper: object = None) -> None:
        super().__init__(Z, q, "Z", gram_upper)
        self.lam1 = nonnegative_parameter(lam1, "λ1")
        self.lam2 = nonnegative_parameter(lam2, "λ2")
        self.formula = f"‖q − max(0, Zβ)‖₂² + {self.lam1}·‖β‖₁ + {self.lam2}·‖β‖₂²"

    def parameters(self) -> dict[str, Fraction]:
        return {"lambda1": self.lam1, "lambda2": self.lam2}

    def exact_value(self, beta: ExactVector) -> Fraction:
        products = self.exact_products(beta, self._selected(None))
        fit = sum(((q - max(u, Fraction(0))) ** 2 for q, u in zip(self.data.y, products)), Fraction(0))
        return fit + self.lam1 * beta.norm1() + self.lam2 * beta.squared_norm()

    def exact_subgradient(self, beta: ExactVector, rows: Sequence[int] | None = None) -> ExactVector:
        chosen = self._selected(rows)
        products = self.exact_products(beta, chosen)
        weights = [(self.data.y[i] - u) if u > 0 else Fraction(0) for i, u in zip(chosen, products)]
        data_term = self.exact_transpose_combination(weights, chosen)
        scale = Fraction(-2 * self.rows, len(chosen))
        return combine([(scale, data_term), (Fraction(1), _lasso_signs_exact(beta, self.lam1)),
                        (2 * self.lam2, beta)])

    def ball_value(self, beta: Sequence[arb]) -> arb:
        _, q = self.ball_data()
        products = self.ball_products(beta, self._selected(None))
        fit = sum(((qi - _ball_relu(u)) ** 2 for qi, u in zip(q, products)), arb(0))
        return (fit + _fraction_ball(self.lam1) * sum((abs(b) for b in beta), arb(0))
                + _fraction_ball(self.lam2) * sum((b * b for b in beta), arb(0)))

    def ball_subgradient(self, beta: Sequence[arb], rows: Sequence[int] | None = None) -> list[arb]:
        chosen = self._selected(rows)
        _, q = self.ball_data()
        products = self.ball_products(beta, chosen)
        weights = [(q[i] - u) if _ball_positive(u, f" (z_{i + 1}ᵀβ)") else arb(0) for i, u in zip(chosen, products)]
        data_term = self.ball_transpose_combination(weights, chosen)
        scale = arb(-2 * self.rows) / len(chosen)
        lam1, lam2 = _fraction_ball(self.lam1), _fraction_ball(self.lam2)
        return [scale * d + lam1 * ball_sign(b, f" (β[{k + 1}])") + 2 * lam2 * b
                for k, (d, b) in enumerate(zip(data_term, beta))]

    shadowable = True

    def shadow_step(self, centre: arb_mat, radius: arb, alpha: Fraction) -> ShadowStep:
        """T(β) = β + 2α Σ_{i∈A} (q_i − z_iᵀβ) z_i − αλ1·sign(β) − 2αλ2β with A the rows where z_iᵀβ > 0,
        ℓ = max(|1 − 2αλ2|, |1 − 2αλ2 − 2αΛ_A|) with Λ_A ≥ λ_max(Z_A Z_Aᵀ) (:meth:`active_gram_upper`).

        Proof: when every sign of β and every ReLU activity 1(z_iᵀβ > 0) is constant on B(x, e) (else
        :class:`UndecidedKink`; z_iᵀβ over the ball is z_iᵀx ± ‖z_i‖e), T(a) − T(b) = ((1 − 2αλ2)I −
        2αZ_AᵀZ_A)(a − b) there; the symmetric matrix has eigenvalues 1 − 2αλ2 − 2αμ, μ ∈ [0, Λ_A], and
        |1 − 2αλ2 − 2αμ| is convex in μ, so its largest value is at an end of [0, Λ_A]."""
        _, Zt, q, _ = self.shadow_data()
        products, spans = self.shadow_residuals(centre, radius)
        active = [i for i, u in enumerate(spans) if ball_sign(u, f" (z_{i + 1}ᵀβ on the shadow ball)") > 0]
        chosen = set(active)
        weights = [(q[i, 0] - products[i, 0]) if i in chosen else arb(0) for i in range(self.rows)]
        signs = _ball_column(_sign_column(centre, radius, self.lam1))
        g = -2 * (Zt * _ball_column(weights)) + signs + 2 * _fraction_ball(self.lam2) * centre
        shrink = 1 - 2 * alpha * self.lam2
        lipschitz = max(abs(shrink), abs(shrink - 2 * alpha * self.active_gram_upper(active)))
        return ShadowStep(centre - _fraction_ball(alpha) * g, _lipschitz_ball(lipschitz), g, products)


def _ball_relu(u: arb) -> arb:
    """max(0, u) enclosed (continuous: the union of both branches when u straddles 0)."""
    if u >= 0:
        return u
    if u <= 0:
        return arb(0)
    return u.union(arb(0))


def huber_loss(r: Fraction, delta: Fraction) -> Fraction:
    """l(r) = r²/2 for |r| ≤ δ, δ(|r| − δ/2) otherwise (seed (10) with δ = 1)."""
    return r * r / 2 if abs(r) <= delta else delta * (abs(r) - delta / 2)


def _ball_huber(r: arb, delta: arb) -> arb:
    quadratic = r * r / 2
    linear = delta * (abs(r) - delta / 2)
    if abs(r) <= delta:
        return quadratic
    if abs(r) >= delta:
        return linear
    return quadratic.union(linear)


def _ball_clip(r: arb, delta: arb) -> arb:
    if r >= delta:
        return delta
    if r <= -delta:
        return -delta
    if abs(r) <= delta:
        return r
    low = r.union(-delta) if r.lower() < -delta.upper() else r
    return low.union(delta) if r.upper() > delta.lower() else low


class HuberRegression(_DataObjective):
    """Huber regression ``f(β) = (1/N) Σ_i l(y_i − z_iᵀβ)`` (seed (10): L7 = (1/50) Σ l(i), δ = 1),
    ``l(r) = r²/2`` for |r| ≤ δ and ``δ(|r| − δ/2)`` otherwise. Convex and C¹ with
    ``∇f = −(1/N) Zᵀ clip(y − Zβ, −δ, δ)`` (no kink: clip is continuous).

    ``subgradient_bound``: |clip| ≤ δ, so by the triangle inequality
    ‖∇f‖₂ ≤ (δ/N) Σ_i ‖z_i‖₂ ≤ (δ/N) Σ_i :func:`sqrt_upper` (‖z_i‖₂²). On a minibatch B the average is
    over B.
    """

    name = "huber"
    kink_rule = "none (C¹): ∇f = −(1/N)Zᵀclip(y − Zβ, −δ, δ)"
    convex = True
    rational = True

    def __init__(self, Z: Sequence[Sequence[object]] | RegressionData, y: Sequence[object] | None = None,
                 delta: object = 1, *, gram_upper: object = None) -> None:
        super().__init__(Z, y, "Z", gram_upper)
        self.delta = positive_parameter(delta, "δ")
        self.formula = f"(1/{self.rows}) Σ_i huber_δ(y_i − z_iᵀβ), δ = {self.delta}"

    def parameters(self) -> dict[str, Fraction]:
        return {"delta": self.delta}

    def exact_value(self, beta: ExactVector) -> Fraction:
        products = self.exact_products(beta, self._selected(None))
        total = sum((huber_loss(y - u, self.delta) for y, u in zip(self.data.y, products)), Fraction(0))
        return total / self.rows

    def exact_subgradient(self, beta: ExactVector, rows: Sequence[int] | None = None) -> ExactVector:
        chosen = self._selected(rows)
        products = self.exact_products(beta, chosen)
        delta = self.delta
        clipped = [max(-delta, min(delta, self.data.y[i] - u)) for i, u in zip(chosen, products)]
        data_term = self.exact_transpose_combination(clipped, chosen)
        return combine([(Fraction(-1, len(chosen)), data_term)])

    def ball_value(self, beta: Sequence[arb]) -> arb:
        _, y = self.ball_data()
        delta = _fraction_ball(self.delta)
        products = self.ball_products(beta, self._selected(None))
        return sum((_ball_huber(yi - u, delta) for yi, u in zip(y, products)), arb(0)) / self.rows

    def ball_subgradient(self, beta: Sequence[arb], rows: Sequence[int] | None = None) -> list[arb]:
        chosen = self._selected(rows)
        _, y = self.ball_data()
        delta = _fraction_ball(self.delta)
        clipped = [_ball_clip(y[i] - u, delta) for i, u in zip(chosen, self.ball_products(beta, chosen))]
        scale = arb(-1) / len(chosen)
        return [scale * d for d in self.ball_transpose_combination(clipped, chosen)]

    def subgradient_bound(self) -> Fraction:
        total = sum((sqrt_upper(sum((v * v for v in row), Fraction(0))) for row in self.data.Z), Fraction(0))
        return self.delta * total / self.rows

    shadowable = True

    def shadow_step(self, centre: arb_mat, radius: arb, alpha: Fraction) -> ShadowStep:
        """T(β) = β + (α/N)Zᵀclip(y − Zβ, −δ, δ), ℓ = max(1, (α/N)Λ_A − 1) with A the rows whose residual is
        not saturated on the whole ball and Λ_A ≥ λ_max(Z_A Z_Aᵀ) (:meth:`active_gram_upper`).

        Proof: over B(x, e) the residual r_i(β) = y_i − z_iᵀβ stays in r_i(x) ± ‖z_i‖e (Cauchy–Schwarz). For a, b
        in the ball, clip(r_i(a)) − clip(r_i(b)) = d_i (r_i(a) − r_i(b)) with d_i ∈ [0, 1] (clip is monotone and
        1-Lipschitz), and d_i = 0 for a row i ∉ A (both residuals in [δ, ∞), or both in (−∞, −δ]). So
        T(a) − T(b) = (I − (α/N)Z_AᵀD Z_A)(a − b), D = diag(d_i) ≼ I; the symmetric Z_AᵀDZ_A has eigenvalues in
        [0, ‖D^{1/2}Z_A‖²] ⊆ [0, Λ_A], and |1 − (α/N)μ| ≤ max(1, (α/N)Λ_A − 1) there. Huber's clip has no kink:
        this never raises :class:`UndecidedKink`."""
        _, Zt, y, _ = self.shadow_data()
        products, spans = self.shadow_residuals(centre, radius)
        delta = _fraction_ball(self.delta)
        clipped = _ball_column([_ball_clip(y[i, 0] - products[i, 0], delta) for i in range(self.rows)])
        active = [i for i, u in enumerate(spans) if not (y[i, 0] - u >= delta or y[i, 0] - u <= -delta)]
        g = (arb(-1) / self.rows) * (Zt * clipped)
        step = alpha / self.rows
        lipschitz = max(Fraction(1), step * self.active_gram_upper(active) - 1) if active else Fraction(1)
        return ShadowStep(centre - _fraction_ball(alpha) * g, _lipschitz_ball(lipschitz), g, products)
