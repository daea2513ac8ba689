"""Deep linear networks ``u(x) = W_L ⋯ W_1 x`` (scalar output) and their losses.

A deep linear network is the feed-forward network of
:mod:`dlnsmooth.networks.feedforward` with the identity activation, no biases
and one output: :class:`DeepLinearObjective` is a
:class:`~dlnsmooth.networks.feedforward.FeedforwardObjective` with the same
variables, order and architecture, whose product formulas below are its fast
path (the general engine gives the same numbers; the tests check both).
Its ``loss`` is a :class:`NetworkLoss`: the scalar :class:`~dlnsmooth.networks.losses.Loss`
(ℓ′, ℓ″, ``derivative_at_zero``) that is also the network's
:class:`~dlnsmooth.networks.losses.OutputLoss`.

``deep_linear(widths, data, loss)`` builds the objective
``f(W_1, …, W_L) = Σ_i ℓ(u(x_i); y_i)`` for widths ``(n_0, n_1, …, n_L)`` with
``n_0`` the input dimension and ``n_L = 1``; ``W_l`` is ``n_l × n_{l−1}`` and its
entries are the variables ``W{l}_{i}_{j}`` (1-based), ordered layer by layer,
row by row. When every width is 1 the weights can be named ``x1 … xL``
(``names="x"``), as in Proposition 7.

Derivatives use the product structure instead of differentiating the
expression (which is hopeless beyond a dozen weights). With the prefix
vectors ``r_l = W_l ⋯ W_1 x`` (``r_0 = x``), the suffix rows
``s_l = W_L ⋯ W_{l+1}`` (``s_L = 1``) and, for ``a < b``, the middle products
``M = W_{b−1} ⋯ W_{a+1}`` (the identity when ``b = a + 1``):

* ``∂u/∂(W_l)_{pq} = (s_l)_p (r_{l−1})_q``;
* ``∂²u/∂(W_a)_{pq} ∂(W_b)_{rs} = (s_b)_r M_{sp} (r_{a−1})_q`` for ``a < b``, and 0
  within one layer (u is linear in each W_l);
* ``∇f = Σ_i ℓ′(u_i) ∇u_i`` and ``∇²f = Σ_i ℓ″(u_i) ∇u_i ∇u_iᵀ + ℓ′(u_i) ∇²u_i``.

The same code runs on SymPy entries (the symbolic gradient and Hessian, and
their exact restriction to a curve, obtained by substituting the curve into
the weight matrices *before* multiplying) and on mpmath entries (numeric
evaluation at a point). The tests check it against ``sympy.diff`` of the full
expression on small networks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import mpmath as mp
import numpy as np
import sympy as sp

from ..curves import Curve, curve_parameter
from ..errors import DataError, ParseError, ShapeError, TooLargeError
from ..numbers import ball_to_mpf, to_arb
from ..objective import Objective, Point
from ..precision import DEFAULT_DPS, magnitude_digits, working_precision
from .activations import get_activation
from .architecture import MAX_NETWORK_PARAMETERS, Architecture, check_feedforward_widths
from .data import Dataset
from .engine import BALL, Backend, NetworkState, state_at
from .feedforward import FeedforwardObjective, check_point_length
from .losses import LOSSES, Loss, OutputLoss, U, Y, get_loss, get_output_loss
from .restricted import NotApplicable, deep_linear_restriction

__all__ = [
    "DeepLinearObjective",
    "NetworkLoss",
    "network_loss",
    "deep_linear",
    "prop7_objective",
    "prop7_curve",
    "check_widths",
    "weight_count",
    "estimated_seconds",
    "check_network_budget",
    "MAX_NETWORK_WEIGHTS",
    "WEIGHTS_PER_SECOND",
]

#: Largest network the package builds: every weight is a SymPy symbol with exact structured
#: derivative tables, about 2 KB of memory each, so 250 000 weights take about 0.5 GB.
MAX_NETWORK_WEIGHTS = MAX_NETWORK_PARAMETERS
#: Weights per second of a Theorem G certificate or a network search (measured: 7 000–10 000 on
#: one core of the reference machine; the estimate takes the slower figure with a margin).
WEIGHTS_PER_SECOND = 5_000

Rows = list[list]


@dataclass(frozen=True, eq=False)
class NetworkLoss(Loss, OutputLoss):
    """A scalar loss ℓ(u; y) that is also the :class:`OutputLoss` of a network with one output.

    The scalar API (``first``, ``second``, ``d1``, ``d2``, ``derivative_at_zero``, ``fields``,
    calling it) is :class:`Loss`'s; the vector API (``check_outputs``, ``symbolic``,
    ``derivatives``, ``floats``, ``gradient_at_zero``) is that of the registered output loss of
    the same name (:func:`~dlnsmooth.networks.losses.get_output_loss`). ``check_label`` takes a
    number or a one-entry label vector. Equal to the plain :class:`Loss` with the same formula.
    """

    @cached_property
    def output(self) -> OutputLoss:
        return get_output_loss(Loss(self.name, self.expr, self.labels, self.description))

    def check_outputs(self, m: int) -> None:
        self.output.check_outputs(m)

    def check_label(self, y, index: int) -> None:
        if isinstance(y, (tuple, list)):
            if len(y) != 1:
                raise DataError(f"observation {index + 1}: label of dimension {len(y)}; the {self.name} loss of a "
                                "network with one output needs one number")
            y = y[0]
        Loss.check_label(self, y, index)

    def symbolic(self, u: list, y: list) -> sp.Expr:
        return self.output.symbolic(u, y)

    def derivatives(self, kind: str, u: list, y: list) -> tuple[object, list, list[list]]:
        return self.output.derivatives(kind, u, y)

    def floats(self, u, y):
        return self.output.floats(u, y)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Loss):
            return NotImplemented
        return (self.name, self.expr, self.labels) == (other.name, other.expr, other.labels)

    def __hash__(self) -> int:
        return hash((self.name, self.expr, self.labels))

    def __repr__(self) -> str:
        return f"NetworkLoss({self.name!r})"


_NETWORK_LOSSES: dict[tuple, NetworkLoss] = {}


def network_loss(loss: str | Loss | OutputLoss) -> NetworkLoss:
    """The :class:`NetworkLoss` of a scalar loss given by name, as a :class:`Loss`, or as a registered
    one-output :class:`OutputLoss` of the same name (``squared``, ``logistic``, ``exponential``);
    one shared instance per formula, so derivatives are derived once."""
    if isinstance(loss, OutputLoss) and not isinstance(loss, Loss):
        if loss.name not in LOSSES or get_output_loss(loss.name) is not loss:
            raise DataError(f"a deep linear network takes a scalar loss ({', '.join(LOSSES)}), got {loss.name!r}")
        loss = loss.name
    scalar = get_loss(loss)  # type: ignore[arg-type]
    key = (scalar.name, scalar.expr, scalar.labels)
    if key not in _NETWORK_LOSSES:
        _NETWORK_LOSSES[key] = NetworkLoss(scalar.name, scalar.expr, scalar.labels, scalar.description)
    return _NETWORK_LOSSES[key]


def check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    """Validate ``(n_0, …, n_L)`` as :func:`~dlnsmooth.networks.architecture.check_feedforward_widths`
    does (without biases), and the last width, the output dimension, is 1."""
    values = check_feedforward_widths(widths, bias=False, unit="weights")
    if values[-1] != 1:
        raise ShapeError(f"the last width is the output dimension and must be 1, got {values[-1]}")
    return values


def weight_count(widths: Sequence[int]) -> int:
    """Σ_l n_l·n_{l−1}: the number of weights of the network."""
    return sum(a * b for a, b in zip(widths[:-1], widths[1:]))


def estimated_seconds(widths: Sequence[int]) -> float:
    """Wall-clock estimate of building the network and certifying a curve for it
    (:data:`WEIGHTS_PER_SECOND`), before any work is done."""
    return 1.0 + weight_count(widths) / WEIGHTS_PER_SECOND


def check_network_budget(widths: Sequence[int], time_budget: float) -> None:
    """Refuse at once (TooLargeError) a network whose estimated cost exceeds ``time_budget`` seconds."""
    estimate = estimated_seconds(widths)
    if estimate > time_budget:
        raise TooLargeError(f"a network of {weight_count(widths)} weights needs about {estimate:.0f} s "
                            f"(≈ {WEIGHTS_PER_SECOND} weights per second), beyond the time budget of {time_budget:g} s; "
                            "raise --time or use smaller widths")


def _weight_names(widths: tuple[int, ...], names: str) -> list[str] | None:
    """``x1 … xL`` (every width 1, ``names="x"``) or None for the architecture's ``W{l}_{i}_{j}``."""
    if names == "x":
        if any(w != 1 for w in widths):
            raise ShapeError("weights can be named x1 … xL only when every width is 1")
        return [f"x{l}" for l in range(1, len(widths))]
    if names != "W":
        raise ParseError(f"names must be 'W' (W{{l}}_{{i}}_{{j}}) or 'x' (x1 … xL), got {names!r}")
    return None


def _entries(matrix) -> list:
    """The entries of an engine matrix (python-flint or numpy), row by row."""
    return list(matrix.entries()) if hasattr(matrix, "entries") else [float(v) for v in np.ravel(matrix)]


def _matmul(A: Rows, B: Rows, zero) -> Rows:
    inner = len(B)
    return [[_dot([A[i][k] for k in range(inner)], [B[k][j] for k in range(inner)], zero)
             for j in range(len(B[0]))] for i in range(len(A))]


def _dot(a: Sequence, b: Sequence, zero):
    return _sum([x * y for x, y in zip(a, b) if x != 0 and y != 0], zero)


def _sum(terms: list, zero):
    terms = [t for t in terms if t != 0]
    if not terms:
        return zero
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


class _Products:
    """The products of one network that do not depend on the input:
    suffix rows s_l = W_L ⋯ W_{l+1} and middle products W_{b−1} ⋯ W_{a+1}."""

    def __init__(self, weights: list[Rows], zero, one):
        L = len(weights)
        self.L = L
        self.zero = zero
        self.one = one
        self.weights = weights
        suffix: list[list] = [None] * (L + 1)  # type: ignore[list-item]
        suffix[L] = [one]
        for l in range(L, 1, -1):  # s_{l-1} = s_l W_l
            suffix[l - 1] = _matmul([suffix[l]], weights[l - 1], zero)[0]
        self.suffix = suffix
        self._middle: dict[tuple[int, int], Rows] = {}

    def prefixes(self, x: Sequence) -> list[list]:
        """r_0 = x, r_l = W_l r_{l−1} (flat lists), for one input x."""
        column = [[v] for v in x]
        out = [list(x)]
        for W in self.weights:
            column = _matmul(W, column, self.zero)
            out.append([row[0] for row in column])
        return out

    def middle(self, a: int, b: int) -> Rows:
        """W_{b−1} ⋯ W_{a+1} for a + 1 < b (1-based layers)."""
        key = (a, b)
        if key not in self._middle:
            M = self.weights[a]  # W_{a+1}
            for l in range(a + 2, b):
                M = _matmul(self.weights[l - 1], M, self.zero)
            self._middle[key] = M
        return self._middle[key]


class DeepLinearObjective(FeedforwardObjective):
    """``f(W) = Σ_i ℓ((W_L ⋯ W_1 x_i); y_i)`` with structured derivatives (module docstring): the
    feed-forward network with the identity activation, no biases and one output.

    Checks on construction: widths (positive integers, last one 1), the scalar loss, the data
    (input dimension, numeric labels the loss accepts) and the weight names."""

    def __init__(self, widths: Sequence[int], data: Dataset, loss: Loss | str, *, names: str = "W"):
        widths = check_widths(widths)
        scalar_loss = network_loss(loss)
        if not isinstance(data, Dataset):
            raise TypeError(f"data must be a Dataset, got {type(data).__name__}")
        data.check(widths[0], scalar_loss)
        architecture = Architecture(widths, get_activation("identity"), bias=False)
        # The full expression is built lazily (``expr``): SymPy's constructors are slow on
        # the nested products, and the structured derivatives never need it.
        self._setup(architecture, scalar_loss, data, _weight_names(widths, names))
        self.loss: NetworkLoss = scalar_loss  # type: ignore[assignment]
        self._index = {}
        k = 0
        for l, W in enumerate(self.weight_symbols, 1):
            for p, row in enumerate(W):
                for q, _ in enumerate(row):
                    self._index[(l, p, q)] = k
                    k += 1

    @cached_property
    def expr(self) -> sp.Expr:
        """f = Σ_i ℓ(u_i; y_i) as one SymPy expression (built on first use)."""
        products = _Products(self.weight_symbols, sp.Integer(0), sp.Integer(1))
        outputs = [products.prefixes(list(x))[-1][0] for x in self.data.inputs]
        return sp.Add(*[self.loss(u, y) for u, y in zip(outputs, self.data.targets)])

    # -- facts ----------------------------------------------------------------------------
    def expression_text(self) -> str:
        if self.n <= 8 and self.data.size <= 2:
            return sp.sstr(self.expr)
        return f"sum_i {self.loss.description.replace('u', 'u_i').replace('y', 'y_i')}, u_i = W{self.depth}*...*W1*x_i"

    def describe(self) -> str:
        arch = "-".join(map(str, self.widths))
        return (f"deep linear network, widths {arch} (L = {self.depth}, {self.n} weights), "
                f"{self.loss.name} loss, {self.data.size} observation(s): f = {self.expression_text()}")

    def latex(self) -> str:
        if self.n <= 8 and self.data.size <= 2 and not self.variables[0].name.startswith("W"):
            return super().latex()  # small networks with scalar weights x1 … xL: the expression itself
        loss = self.loss.expr.xreplace({U: sp.Symbol("u_i"), Y: sp.Symbol("y_i")})
        return (rf"f(W_1, \dots, W_{{{self.depth}}}) = \sum_{{i=1}}^{{{self.data.size}}} {sp.latex(loss)}, \quad "
                rf"u_i = W_{{{self.depth}}} \cdots W_1 x_i")

    # -- the structured core ---------------------------------------------------------------
    def _derivatives(self, weights: list[Rows], d1: Callable, d2: Callable, zero, one, xs, ys, hessian: bool):
        """(∇f, ∇²f or None) from weight matrices with entries of any ring (SymPy or mpmath).

        The suffix and middle products do not depend on the observation, so the
        ℓ′ terms are summed over observations first: with R_l = Σ_i ℓ′(u_i) r_l(i),
        ∂f/∂(W_l)_{pq} = (s_l)_p (R_{l−1})_q and the second-order part of the
        Hessian uses R_{a−1} in place of r_{a−1}. Only the ℓ″ (outer product) part
        is a sum over observations.
        """
        P = self.n
        L = self.depth
        products = _Products(weights, zero, one)
        prefixes = [products.prefixes(x) for x in xs]
        outputs = [r[L][0] for r in prefixes]
        first = [d1(u, y) for u, y in zip(outputs, ys)]
        R = [[_sum([c * r[l][q] for c, r in zip(first, prefixes) if c != 0 and r[l][q] != 0], zero)
              for q in range(self.widths[l])] for l in range(L)]
        suffix = products.suffix
        grad = [zero] * P
        for (l, p, q), k in self._index.items():
            if suffix[l][p] != 0 and R[l - 1][q] != 0:
                grad[k] = suffix[l][p] * R[l - 1][q]
        if not hessian:
            return grad, None
        H = [[zero] * P for _ in range(P)]
        for u, y, r in zip(outputs, ys, prefixes):
            second = d2(u, y)
            if second == 0:
                continue
            gu = [(k, suffix[l][p] * r[l - 1][q]) for (l, p, q), k in self._index.items()
                  if suffix[l][p] != 0 and r[l - 1][q] != 0]
            for n1, (i, vi) in enumerate(gu):
                scaled = second * vi
                row = H[i]
                for j, vj in gu[n1:]:
                    row[j] = row[j] + scaled * vj
        self._add_second_order(H, products, R)
        for i in range(P):
            for j in range(i):
                H[i][j] = H[j][i]
        return grad, H

    def _add_second_order(self, H, products: _Products, R: list[list]) -> None:
        """H += Σ_i ℓ′(u_i) ∇²u_i (upper triangle), from the cross-layer formula with the
        weighted prefix sums R; zero factors are skipped."""
        L = products.L
        widths = self.widths
        index = self._index
        for a in range(1, L + 1):
            r = [(q, v) for q, v in enumerate(R[a - 1]) if v != 0]
            if not r:
                continue
            for b in range(a + 1, L + 1):
                s = [(rr, v) for rr, v in enumerate(products.suffix[b]) if v != 0]
                if not s:
                    continue
                if b == a + 1:  # M is the identity: ss = p
                    pairs = [(p, p, None) for p in range(widths[a])]
                else:
                    M = products.middle(a, b)
                    pairs = [(ss, p, M[ss][p]) for ss in range(widths[b - 1]) for p in range(widths[a])
                             if M[ss][p] != 0]
                for ss, p, m in pairs:
                    for q, rq in r:
                        i = index[(a, p, q)]
                        factor = rq if m is None else m * rq
                        row = H[i]
                        for rr, sv in s:
                            j = index[(b, rr, ss)]
                            row[j] = row[j] + factor * sv

    # -- symbolic ----------------------------------------------------------------------------
    def _symbolic(self, substitution: Mapping[sp.Symbol, sp.Expr] | None, hessian: bool):
        if substitution is None:
            weights = self.weight_symbols
        else:
            self._check_substitution(substitution)
            weights = [[[sp.sympify(substitution[s]) for s in row] for row in W] for W in self.weight_symbols]
        xs = [list(x) for x in self.data.inputs]
        return self._derivatives(weights, self.loss.d1, self.loss.d2, sp.Integer(0), sp.Integer(1),
                                 xs, list(self.data.targets), hessian)

    @cached_property
    def gradient(self) -> sp.Matrix:
        return sp.Matrix(self._symbolic(None, hessian=False)[0])

    @cached_property
    def hessian(self) -> sp.Matrix:
        return sp.Matrix(self._symbolic(None, hessian=True)[1])

    def gradient_at(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> list[sp.Expr]:
        return list(self._symbolic(substitution, hessian=False)[0])

    def hessian_at(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> sp.Matrix:
        return sp.Matrix(self._symbolic(substitution, hessian=True)[1])

    # -- numeric: the engine (structured formulas, any size) --------------------------------
    def state(self, point: Sequence[object], backend: Backend = BALL) -> NetworkState:  # type: ignore[override]
        """The linear engine's :class:`~dlnsmooth.networks.engine.NetworkState` at ``point`` (exact numbers
        or balls, in variable order): the fast path of the identity case. ``value``, ``grad``, ``hess``
        and the ball methods of :class:`FeedforwardObjective` run on it. For the ball backend call it
        inside :func:`dlnsmooth.precision.working_precision`."""
        check_point_length(point, self.architecture)
        weights, k = [], 0
        for l in range(1, self.depth + 1):
            n, m = self.widths[l], self.widths[l - 1]
            weights.append(backend.from_entries(n, m, list(point[k:k + n * m])))
            k += n * m
        return state_at(backend, self.widths, weights, [list(x) for x in self.data.inputs],
                        list(self.data.targets), self.loss)

    def outputs(self, x: Point, dps: int = DEFAULT_DPS) -> list[mp.mpf]:  # type: ignore[override]
        """The network outputs u_i = W_L ⋯ W_1 x_i at the weights x (one number per observation)."""
        with working_precision(dps):
            return [self._mpf(u, dps) for u in self.state(self._ball_point(x, dps)).outputs]

    def exact_restriction(self, curve) -> object | str:
        """G²(t), H²(t) exactly along a polynomial curve on which every output is constant (hidden
        products may vary: the identity's derivatives are constant), from the deep linear engine's
        Gram formulas (:mod:`dlnsmooth.networks.restricted`), or why not."""
        result = deep_linear_restriction(self.depth, self.widths, self.data, self.loss, curve)
        return result.reason if isinstance(result, NotApplicable) else result

    def _gradient_entries(self, state: NetworkState) -> list:
        return [e for B in state.gradient_blocks() for e in _entries(B)]

    def _hessian_rows(self, state: NetworkState) -> list[list]:
        entries = _entries(state.hessian())
        return [entries[i * self.n:(i + 1) * self.n] for i in range(self.n)]

    def condition_digits(self, x: Point) -> int:
        """Digits lost to exp(±y u): the size of the outputs u_i (and of the weights)."""
        with mp.workdps(30):
            point = list(self._point(x))
        with working_precision(30):
            outputs = [ball_to_mpf(u) for u in self.state([to_arb(v) for v in point]).outputs]
        return magnitude_digits(point + outputs)

    def to_json(self) -> dict:
        return Objective.to_json(self)

    def __repr__(self) -> str:
        return Objective.__repr__(self)


def deep_linear(
    widths: Sequence[int],
    data: Dataset | Sequence | str | None = None,
    loss: Loss | str = "logistic",
    *,
    names: str = "W",
) -> DeepLinearObjective:
    """The loss of a deep linear network with the given widths, data and loss.

    ``data``: a :class:`Dataset`, a list of ``(x, y)`` pairs, inline text or a
    file path; ``None`` means one observation with x = (1, …, 1), y = 1.
    """
    widths = check_widths(widths)
    if data is None:
        dataset = Dataset.from_pairs([([1] * widths[0], 1)], source="default (x = 1, y = 1)")
    elif isinstance(data, Dataset):
        dataset = data
    elif isinstance(data, str):
        dataset = Dataset.resolve(data)
    else:
        dataset = Dataset.from_pairs(data)
    return DeepLinearObjective(widths, dataset, loss, names=names)


def prop7_objective(z: object = 1, y: object = 1, loss: Loss | str = "logistic") -> DeepLinearObjective:
    """Proposition 7's f : R⁴ → R: three hidden layers of width one, one observation (z, y).

    For the logistic loss ``f(x) = log(1 + exp(−y z x4 x3 x2 x1))``.
    """
    data = Dataset.from_pairs([(z, y)], source=f"one observation (z = {z}, y = {y})")
    if data.inputs[0][0] == 0:
        raise ShapeError("Proposition 7 needs z ≠ 0")
    return DeepLinearObjective((1, 1, 1, 1, 1), data, loss, names="x")


def prop7_curve(objective: DeepLinearObjective, parameter: str = "k"):
    """The curve x_k = (0, 0, k, k) of Proposition 7."""
    if objective.widths != (1, 1, 1, 1, 1):
        raise ShapeError("the Proposition 7 curve is for the R⁴ network (widths 1-1-1-1-1)")
    k = curve_parameter(parameter)
    return Curve(objective.variables, [0, 0, k, k], k, name="Proposition 7: (0, 0, k, k)")
