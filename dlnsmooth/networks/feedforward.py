"""Feed-forward networks with activations and biases (seed 001, App. A.3) and their losses.

``feedforward(widths, activation, data, loss, bias=True)`` builds
``f(θ) = Σ_i ℓ(u(x_i; θ); y_i)`` for the network

    z_l = M_l a_{l−1} + b_l  (l = 1 … L),   a_0 = x,   a_l = σ(z_l)  (l < L),   u = z_L ∈ R^m,

with widths ``(n_0, …, n_L)`` (``n_0`` the input dimension, ``m = n_L`` the output
dimension), the activation σ after every hidden layer and not after the last,
and a loss of the output vector (:mod:`dlnsmooth.networks.losses`: squared, l2,
logistic, exponential, cross-entropy). Parameters are named and ordered as in
:mod:`dlnsmooth.networks.architecture`: layer by layer, ``W{l}_{i}_{j}`` row by
row, then ``b{l}_{i}``; :meth:`FeedforwardObjective.to_flat` and
:meth:`FeedforwardObjective.from_flat` convert between that flat order and
per-layer matrices. Deep linear networks (identity activation, no biases, one
output) are the special case :class:`~dlnsmooth.networks.deep_linear.DeepLinearObjective`.

Every derivative comes from the structured engine
(:func:`dlnsmooth.networks.ffengine.feedforward_state`), never from
differentiating the expression: the symbolic gradient and Hessian (the engine's
SymPy backend — and along a curve, the curve is substituted into the
parameters *before* the forward and backward passes), the numeric values
(ball arithmetic at the working precision: what is printed as evidence), float64
derivatives for searches, the norms ‖∇f‖, ‖∇²f‖_F (no P × P matrix) and the
rigorous lower bound on ‖∇²f‖₂ from Hessian-vector products. The full SymPy
expression :attr:`FeedforwardObjective.expr` is built independently, by a plain
forward pass, and only on request (the tests differentiate it with SymPy as the
reference).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

import mpmath as mp
import numpy as np
import sympy as sp
from flint import arb, arb_mat, fmpq_mat

from ..balls import nonnegative_sqrt
from ..errors import ShapeError
from ..numbers import ball_to_mpf, to_arb
from ..objective import Objective, Point, validate_variables
from ..precision import DEFAULT_DPS, check_dps, magnitude_digits, working_precision
from .activations import Activation
from .architecture import Architecture
from .data import Dataset
from .engine import BALL, FLOAT64, SYMPY, Backend
from .ffengine import FeedforwardState, feedforward_state
from .losses import OutputLoss, U, get_output_loss
from .restricted import NotApplicable, exact_restriction

__all__ = ["FeedforwardObjective", "feedforward", "default_dataset", "check_point_length", "MAX_FLOAT_HESSIAN"]

#: Largest parameter count for which :meth:`FeedforwardObjective.float_derivatives` forms the
#: explicit P × P float64 Hessian (32 MB at P = 2000).
MAX_FLOAT_HESSIAN = 2000

_LOSS_LATEX = {
    "squared": r"\tfrac{1}{2} \lVert u_i - y_i \rVert^2",
    "l2": r"\lVert u_i - y_i \rVert^2",
    "logistic": r"\log\left(1 + e^{-y_i u_i}\right)",
    "exponential": r"e^{-y_i u_i}",
    "cross-entropy": r"-\sum_{j} y_{ij} \log \operatorname{softmax}(u_i)_j",
}


def default_dataset(input_dim: int, output_dim: int, loss: OutputLoss) -> Dataset:
    """One observation with x = (1, …, 1) and a label suited to ``loss``: y = 1 (one output),
    y = (1, …, 1) (real vectors) or the one-hot vector of the first class (cross-entropy)."""
    if loss.labels == "distribution":
        y: object = [1] + [0] * (output_dim - 1)
        shown = "y = e_1"
    else:
        y = 1 if output_dim == 1 else [1] * output_dim
        shown = "y = 1"
    return Dataset.from_pairs([([1] * input_dim, y)], source=f"default (x = 1, {shown})")


def check_point_length(point: Sequence[object], architecture: Architecture) -> None:
    """ShapeError unless ``point`` is a sequence of the architecture's P numbers."""
    if isinstance(point, (str, bytes)) or not hasattr(point, "__len__"):
        raise ShapeError(f"a point must be a sequence of {architecture.size} numbers, got {point!r}")
    if len(point) != architecture.size:
        arch = "-".join(map(str, architecture.widths))
        raise ShapeError(f"point has {len(point)} coordinates; expected {architecture.size} (the parameters of "
                         f"widths {arch} {'with' if architecture.bias else 'without'} biases)")


def _flatten(values: object) -> list:
    """Every number inside nested lists, tuples, numpy arrays and flint matrices."""
    if isinstance(values, (arb_mat, fmpq_mat)):
        return list(values.entries())
    if isinstance(values, np.ndarray):
        return list(values.ravel())
    if isinstance(values, (list, tuple)):
        return [v for item in values for v in _flatten(item)]
    return [values]


class FeedforwardObjective(Objective):
    """``f(θ) = Σ_i ℓ(u(x_i; θ); y_i)`` for a feed-forward network (module docstring).

    Checks on construction: widths, activation and bias flag (:class:`Architecture`), the
    loss and the output dimension (e.g. logistic needs one output, cross-entropy two or more),
    and the data against both (input dimension, label dimension, labels the loss accepts).
    """

    real_everywhere = True  # every activation and loss is real-analytic on all of R^P

    def __init__(self, widths: Sequence[int], activation: str | Activation, data: Dataset,
                 loss: str | OutputLoss, *, bias: bool = True):
        architecture = Architecture(widths, activation, bias)  # type: ignore[arg-type]
        output_loss = get_output_loss(loss)
        self._setup(architecture, output_loss, data)
        data.check_network(architecture.input_dim, architecture.output_dim, output_loss)
        self.loss: OutputLoss = output_loss

    def _setup(self, architecture: Architecture, output_loss: OutputLoss, data: Dataset,
               names: Sequence[str] | None = None) -> None:
        """The attributes every network objective shares (subclasses validate their own way)."""
        if not isinstance(data, Dataset):
            raise TypeError(f"data must be a Dataset, got {type(data).__name__}")
        self.architecture = architecture
        self.output_loss = output_loss
        self.data = data
        self.name = "f"
        names = architecture.names() if names is None else list(names)
        self.variables = validate_variables([sp.Symbol(name, real=True) for name in names])

    # -- facts ----------------------------------------------------------------------------------
    @property
    def activation(self) -> Activation:
        return self.architecture.activation

    @property
    def bias(self) -> bool:
        """Whether every layer has a bias vector."""
        return self.architecture.bias

    @property
    def widths(self) -> tuple[int, ...]:
        return self.architecture.widths

    @property
    def depth(self) -> int:
        """L, the number of affine layers."""
        return self.architecture.depth

    @cached_property
    def parameter_symbols(self) -> tuple[list[list[list[sp.Symbol]]], list[list[sp.Symbol]] | None]:
        """(weight matrices as row lists of symbols, bias vectors or None without biases)."""
        return self.architecture.split(self.variables)

    @property
    def weight_symbols(self) -> list[list[list[sp.Symbol]]]:
        """The symbols of W_1 … W_L, each as a list of rows."""
        return self.parameter_symbols[0]

    @property
    def bias_symbols(self) -> list[list[sp.Symbol]] | None:
        """The symbols of b_1 … b_L, or None without biases."""
        return self.parameter_symbols[1]

    def to_flat(self, weights: Sequence[Sequence[Sequence[object]]],
                biases: Sequence[Sequence[object]] | None = None) -> list:
        """Per-layer weight matrices (row lists) and bias vectors → the flat parameter vector
        (biases default to 0)."""
        return self.architecture.join(weights, biases)

    def from_flat(self, vector: Sequence[object]) -> tuple[list[list[list]], list[list] | None]:
        """The flat parameter vector → (weight matrices as row lists, bias vectors or None)."""
        return self.architecture.split(vector)

    # -- the expression (reference only; derivatives never use it) ----------------------------
    @cached_property
    def expr(self) -> sp.Expr:
        """f = Σ_i ℓ(u(x_i); y_i) as one SymPy expression, by a plain forward pass (built on first
        use; nested activations make it large quickly, so keep to small networks)."""
        weights, biases = self.parameter_symbols
        terms = []
        for x, y in zip(self.data.inputs, self.data.label_vectors):
            u = self._forward_symbolic(weights, biases, list(x))
            terms.append(self.output_loss.symbolic(u, list(y)))
        return sp.Add(*terms)

    def _forward_symbolic(self, weights, biases, a: list) -> list[sp.Expr]:
        sigma = self.activation
        for l, W in enumerate(weights, 1):
            z = [sp.Add(*[w * v for w, v in zip(row, a) if v != 0], *([biases[l - 1][i]] if biases else []))
                 for i, row in enumerate(W)]
            a = z if l == self.depth else [sigma(v) for v in z]
        return a

    # -- symbolic: the engine on SymPy entries ----------------------------------------------------
    def _symbolic_state(self, substitution: Mapping[sp.Symbol, sp.Expr] | None) -> FeedforwardState:
        if substitution is None:
            point = list(self.variables)
        else:
            self._check_substitution(substitution)
            point = [sp.sympify(substitution[v]) for v in self.variables]
        return self.state(point, SYMPY)

    @cached_property
    def gradient(self) -> sp.Matrix:
        """∇f (P × 1), from the engine's backward pass on symbols."""
        return sp.Matrix(list(self._symbolic_state(None).gradient()))

    @cached_property
    def hessian(self) -> sp.Matrix:
        """∇²f (P × P), from the engine's structured formulas on symbols."""
        return sp.Matrix(self._symbolic_state(None).hessian())

    def gradient_at(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> list[sp.Expr]:
        """∇f with the substitution (e.g. a curve) made in the parameters before the passes."""
        return list(self._symbolic_state(substitution).gradient())

    def hessian_at(self, substitution: Mapping[sp.Symbol, sp.Expr]) -> sp.Matrix:
        """∇²f with the substitution made in the parameters before the passes."""
        return sp.Matrix(self._symbolic_state(substitution).hessian())

    # -- numeric: the engine ---------------------------------------------------------------------------
    def state(self, point: Sequence[object], backend: Backend = BALL) -> FeedforwardState:
        """The engine's :class:`~dlnsmooth.networks.ffengine.FeedforwardState` at ``point`` (flat, in
        variable order: exact numbers, balls, floats or SymPy expressions, by backend). For the
        ball backend call it inside :func:`dlnsmooth.precision.working_precision`."""
        check_point_length(point, self.architecture)
        return feedforward_state(backend, self.architecture, self.output_loss, [list(x) for x in self.data.inputs],
                                 list(self.data.label_vectors), list(point))

    def _ball_point(self, x: Point, dps: int) -> list[arb]:
        """x as balls, its coordinates entering exactly (rationals stay exact)."""
        check_dps(dps)
        check_point_length(x, self.architecture)
        return [to_arb(v) for v in x]

    @staticmethod
    def _mpf(ball, dps: int) -> mp.mpf:
        with mp.workdps(dps):
            return +ball_to_mpf(ball)

    def value(self, x: Point, dps: int = DEFAULT_DPS) -> mp.mpf:
        """f(x) at ``dps`` digits (engine, ball arithmetic; the midpoint is returned)."""
        with working_precision(dps):
            return self._mpf(self.state(self._ball_point(x, dps)).value(), dps)

    def grad(self, x: Point, dps: int = DEFAULT_DPS) -> list[mp.mpf]:
        """∇f(x) at ``dps`` digits, in variable order (engine: backward pass)."""
        with working_precision(dps):
            return [self._mpf(e, dps) for e in self._gradient_entries(self.state(self._ball_point(x, dps)))]

    def hess(self, x: Point, dps: int = DEFAULT_DPS) -> list[list[mp.mpf]]:
        """∇²f(x) at ``dps`` digits (engine: the explicit P × P matrix from its blocks)."""
        with working_precision(dps):
            H = self._hessian_rows(self.state(self._ball_point(x, dps)))
            return [[self._mpf(e, dps) for e in row] for row in H]

    def outputs(self, x: Point, dps: int = DEFAULT_DPS) -> list[list[mp.mpf]]:
        """The network outputs u(x_i) (one list of m values per observation) at the parameters x."""
        with working_precision(dps):
            state = self.state(self._ball_point(x, dps))
            return [[self._mpf(u, dps) for u in _flatten(sample)] for sample in state.outputs]

    def _gradient_entries(self, state) -> list:
        """The flat gradient of an engine state, in variable order."""
        return list(state.gradient())

    def _hessian_rows(self, state) -> list[list]:
        """The explicit Hessian of an engine state as a list of rows."""
        return [list(row) for row in state.hessian()]

    def ball_value(self, point: Sequence[object]) -> arb:
        """f(point) as a ball from the engine (call inside
        :func:`~dlnsmooth.precision.working_precision`)."""
        return self.state(point).value()

    def ball_derivatives(self, point: Sequence[object]) -> tuple[list[arb], list[list[arb]]]:
        """(∇f, ∇²f as rows) as balls from the engine; the P × P matrix is formed, so keep to
        moderate P (:meth:`ball_norms` does not form it)."""
        state = self.state(point)
        return self._gradient_entries(state), self._hessian_rows(state)

    def ball_norms(self, point: Sequence[object]) -> tuple[arb, arb]:
        """(‖∇f‖, ‖∇²f‖_F) as balls from the engine (no P × P matrix); ``point`` holds exact numbers or
        balls. Call inside :func:`~dlnsmooth.precision.working_precision`."""
        state = self.state(point)
        return nonnegative_sqrt(state.grad_norm_sq()), nonnegative_sqrt(state.hess_frobenius_sq())

    def ball_spectral_bounds(self, point: Sequence[object], *, iterations: int = 100) -> tuple:
        """(lower, upper, bound) with lower ≤ ‖∇²f‖₂ ≤ upper as balls: the lower bound ‖∇²f δ‖/‖δ‖
        with δ from the Lanczos method or power iteration on Hessian-vector products (rigorous whatever
        δ is), the upper bound ‖∇²f‖_F; ``bound`` is the engine's
        :class:`~dlnsmooth.networks.engine.SpectralBound`."""
        state = self.state(point)
        bound = state.spectral_lower_bound(iterations=iterations)
        return bound.value, nonnegative_sqrt(state.hess_frobenius_sq()), bound

    def float_derivatives(self, x: Sequence[float]) -> tuple[np.ndarray, np.ndarray] | None:
        """(∇f(x), ∇²f(x)) in float64 from the engine, for P ≤ :data:`MAX_FLOAT_HESSIAN`; None beyond,
        or where a value is not finite (overflow). For searching only."""
        check_point_length(x, self.architecture)
        if self.n > MAX_FLOAT_HESSIAN:
            return None
        with np.errstate(all="ignore"):
            try:
                state = self.state([float(v) for v in x], FLOAT64)
                gradient = np.asarray(self._gradient_entries(state), dtype=np.float64).ravel()
                hessian = np.asarray(self._hessian_rows(state), dtype=np.float64)
            except (ValueError, ZeroDivisionError, OverflowError, FloatingPointError):
                return None
        if gradient.shape != (self.n,) or hessian.shape != (self.n, self.n):
            return None
        if not (np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))):
            return None
        return gradient, hessian

    def exact_restriction(self, curve) -> object | str:
        """G²(t), H²(t) exactly along a polynomial curve on which every pre-activation and output is
        constant (:mod:`dlnsmooth.networks.restricted`), or why not."""
        result = exact_restriction(self, curve)
        return result.reason if isinstance(result, NotApplicable) else result

    def condition_digits(self, x: Point) -> int:
        """Digits likely lost at x: the sizes of the parameters, of every pre-activation (arguments
        of tanh, exp, sin, … with condition number about |z|) and of the outputs (arguments of the
        loss's exp)."""
        with mp.workdps(30):
            point = list(self._point(x))
        with working_precision(30):
            state = self.state([to_arb(v) for v in point])
            upper, lower = None, None
            for z in _flatten(state.preactivations):
                high, low = z.abs_upper(), z.abs_lower()
                upper = high if upper is None or high > upper else upper
                if low > 0 and (lower is None or low < lower):
                    lower = low
            values = [ball_to_mpf(v) for v in (upper, lower) if v is not None]
        return magnitude_digits(point + values)

    # -- presentation --------------------------------------------------------------------------------
    def network_text(self) -> str:
        """The network formula u(x) = W_L σ(⋯ σ(W_1 x + b_1) ⋯) + b_L as text."""
        text = "x_i"
        for l in range(1, self.depth + 1):
            text = f"W{l}*{text}" + (f" + b{l}" if self.bias else "")
            if l < self.depth:
                text = f"{self.activation.name}({text})"
        return text

    def expression_text(self) -> str:
        if self.n <= 6 and self.data.size <= 1 and self.depth <= 2:
            return sp.sstr(self.expr)
        return f"sum_i {self.output_loss.name}(u_i; y_i), u_i = {self.network_text()}"

    def describe(self) -> str:
        return (f"feed-forward network, {self.architecture.describe()}, {self.output_loss.name} loss, "
                f"{self.data.size} observation(s): f = {self.expression_text()}")

    def latex(self) -> str:
        inner = "x_i"
        sigma = r"\sigma"
        for l in range(1, self.depth + 1):
            inner = rf"W_{{{l}}} {inner}" + (rf" + b_{{{l}}}" if self.bias else "")
            if l < self.depth:
                inner = rf"{sigma}\left({inner}\right)"
        loss = _LOSS_LATEX.get(self.output_loss.name, r"\ell(u_i; y_i)")
        activation = sp.latex(self.activation.expr.xreplace({U: sp.Symbol("z")}))
        return (rf"f(\theta) = \sum_{{i=1}}^{{{self.data.size}}} {loss}, \quad u_i = {inner}, \quad "
                rf"\sigma(z) = {activation}")

    def to_json(self) -> dict:
        """The expression (or formula), the variables and the network (widths, activation, biases,
        loss, parameter count, data)."""
        out = super().to_json()
        out["network"] = {"widths": list(self.widths), "depth": self.depth, "activation": self.activation.name,
                          "bias": self.bias, "parameters": self.n, "loss": self.output_loss.name,
                          "data": self.data.to_json()}
        return out

    def __repr__(self) -> str:
        return f"FeedforwardObjective({self.architecture.describe()}, {self.output_loss.name} loss)"


def feedforward(
    widths: Sequence[int],
    activation: str | Activation = "tanh",
    data: Dataset | Sequence | str | None = None,
    loss: str | OutputLoss = "squared",
    *,
    bias: bool = True,
) -> FeedforwardObjective:
    """The loss of a feed-forward network (module docstring).

    ``data``: a :class:`Dataset`, a list of ``(x, y)`` pairs (y a number or a label vector),
    inline text or a file path (a CSV file's last m columns are the label, m the last width);
    ``None`` means one observation with x = (1, …, 1) and a label suited to the loss
    (:func:`default_dataset`).
    """
    architecture = Architecture(widths, activation, bias)  # type: ignore[arg-type]
    output_loss = get_output_loss(loss)
    output_loss.check_outputs(architecture.output_dim)
    if data is None:
        dataset = default_dataset(architecture.input_dim, architecture.output_dim, output_loss)
    elif isinstance(data, Dataset):
        dataset = data
    elif isinstance(data, str):
        dataset = Dataset.resolve(data, outputs=architecture.output_dim)
    else:
        dataset = Dataset.from_pairs(data)
    return FeedforwardObjective(architecture.widths, architecture.activation, dataset, output_loss, bias=bias)
