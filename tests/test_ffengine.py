"""The feed-forward engine equals SymPy's own derivatives of the expanded expression, in every backend;
its Frobenius formula, Hessian-vector products and spectral bound agree with the explicit Hessian."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from flint import arb, arb_mat, fmpq

from dlnsmooth.curves import Curve
from dlnsmooth.errors import NotRational, ShapeError
from dlnsmooth.networks import ffengine
from dlnsmooth.networks.activations import get_activation
from dlnsmooth.networks.architecture import Architecture
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.engine import BALL, EXACT, FLOAT64, SYMPY, lanczos_direction, power_iteration, state_at
from dlnsmooth.networks.ffengine import FeedforwardState, feedforward_state
from dlnsmooth.networks.losses import U, get_output_loss
from dlnsmooth.networks.restricted import ExactRestriction, NotApplicable, exact_restriction
from dlnsmooth.numbers import ball_to_mpf
from dlnsmooth.precision import working_precision


# -- an independent reference: the expanded expression and SymPy's own derivatives --------------------
def _network(widths, activation, loss, bias, seed=0, n_obs=2, scale=10):
    """(architecture, OutputLoss, inputs, label vectors, point) with small exact rationals."""
    rng = np.random.default_rng(seed)
    architecture = Architecture(widths, get_activation(activation), bias)
    output_loss = get_output_loss(loss)
    m = widths[-1]
    inputs = [[Fraction(int(v), scale) for v in rng.integers(-scale, scale + 1, widths[0])] for _ in range(n_obs)]
    if loss == "cross-entropy":
        targets = [[Fraction(1) if j == i % m else Fraction(0) for j in range(m)] for i in range(n_obs)]
    elif loss in ("logistic", "exponential"):
        targets = [[Fraction(int(rng.choice([-1, 1])))] for _ in range(n_obs)]
    else:
        targets = [[Fraction(int(v), scale) for v in rng.integers(-scale, scale + 1, m)] for _ in range(n_obs)]
    point = [Fraction(int(v), scale) for v in rng.integers(-scale, scale + 1, architecture.size)]
    return architecture, output_loss, inputs, targets, point


def _expression(architecture, loss, inputs, targets):
    """f = Σ_i ℓ(u(x_i); y_i) built directly from the widths, σ's formula and ℓ's formula."""
    symbols = sp.symbols(architecture.names(), real=True)
    weights, biases = architecture.split(list(symbols))
    sigma = architecture.activation.expr
    total = sp.Integer(0)
    for x, y in zip(inputs, targets):
        a = [sp.Rational(v.numerator, v.denominator) for v in x]
        for l in range(1, architecture.depth + 1):
            z = [sp.Add(*[w * v for w, v in zip(row, a)]) + (biases[l - 1][r] if biases else 0)
                 for r, row in enumerate(weights[l - 1])]
            a = z if l == architecture.depth else [sigma.xreplace({U: v}) for v in z]
        total += loss.symbolic(a, [sp.Rational(v.numerator, v.denominator) for v in y])
    return total, symbols


def _reference(architecture, loss, inputs, targets, point, exact=False):
    """SymPy's gradient and hessian of the expanded expression at the point: exact rationals
    (``exact``, polynomial networks) or mpmath numbers at 60 digits."""
    f, symbols = _expression(architecture, loss, inputs, targets)
    values = [sp.Rational(p.numerator, p.denominator) for p in point]
    gradient = [sp.diff(f, s) for s in symbols]
    hessian = sp.hessian(f, symbols)
    if exact:
        at = dict(zip(symbols, values))
        return [g.xreplace(at) for g in gradient], hessian.xreplace(at)
    at = {s: sp.Float(v, 70) for s, v in zip(symbols, values)}
    with mp.workdps(60):
        def number(e):
            return mp.mpf(str(sp.N(e.xreplace(at), 60)))
        return [number(g) for g in gradient], [[number(h) for h in row] for row in hessian.tolist()]


def _floats(values) -> np.ndarray:
    return np.array([float(v) for v in values], dtype=np.float64)


CASES = [
    ((1, 2, 1), "tanh", "squared", True),
    ((2, 2, 1, 1), "tanh", "logistic", False),
    ((1, 2, 2), "sigmoid", "cross-entropy", True),
    ((1, 2, 1, 1), "sin", "exponential", True),
    ((1, 2, 2), "softplus", "l2", True),
    ((1, 2, 1), "gelu", "squared", False),
    ((1, 1, 1), "gelu", "logistic", True),
    ((1, 2, 1, 2), "quadratic", "squared", True),
    ((2, 1, 2, 2), "identity", "squared", False),
]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[1]}-{c[2]}-{'-'.join(map(str, c[0]))}-{c[3]}")
def case(request):
    widths, activation, loss, bias = request.param
    network = _network(widths, activation, loss, bias, seed=len(widths))
    gradient, hessian = _reference(*network)
    return network, gradient, hessian


def test_float64_equals_sympy_gradient_and_hessian(case):
    (architecture, loss, inputs, targets, point), gradient, hessian = case
    state = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    H = np.array([_floats(row) for row in hessian])
    assert np.allclose(state.gradient(), _floats(gradient), rtol=1e-12, atol=1e-12)
    assert np.allclose(state.hessian(), H, rtol=1e-12, atol=1e-12)
    assert np.isclose(state.hess_frobenius_sq(), np.sum(H * H), rtol=1e-12)
    assert np.isclose(state.grad_norm_sq(), np.sum(_floats(gradient) ** 2), rtol=1e-12)
    delta = np.random.default_rng(1).standard_normal(architecture.size)
    assert np.allclose(state.hvp(delta), H @ delta, rtol=1e-12, atol=1e-12)


def _contains(ball: arb, value: mp.mpf) -> bool:
    """The ball contains the 60-digit reference value (up to its own rounding)."""
    with mp.workdps(70):
        return abs(ball_to_mpf(ball.mid()) - value) <= ball_to_mpf(ball.rad()) + mp.mpf(10) ** -50 * (1 + abs(value))


def test_balls_enclose_sympy_and_the_frobenius_formula_encloses_the_explicit_sum(case):
    (architecture, loss, inputs, targets, point), gradient, hessian = case
    with working_precision(60):
        state = feedforward_state(BALL, architecture, loss, inputs, targets, point)
        assert all(_contains(b, e) for b, e in zip(state.gradient(), gradient))
        H = state.hessian()
        assert all(_contains(H[i][j], hessian[i][j]) for i in range(architecture.size)
                   for j in range(architecture.size))
        frobenius = state.hess_frobenius_sq()
        explicit = sum((v * v for row in H for v in row), arb(0))
        assert frobenius.overlaps(explicit) and frobenius.rad() < 1e-50 * (1 + abs(frobenius.mid()))
        with mp.workdps(60):
            assert _contains(frobenius, mp.fsum(v**2 for row in hessian for v in row))


@pytest.mark.parametrize("activation, loss, bias", [("quadratic", "squared", True), ("quadratic", "l2", False),
                                                    ("identity", "l2", True), ("identity", "squared", False)])
def test_exact_backend_equals_sympy_exactly(activation, loss, bias):
    architecture, output_loss, inputs, targets, point = _network((1, 2, 1, 2), activation, loss, bias, seed=3)
    gradient, hessian = _reference(architecture, output_loss, inputs, targets, point, exact=True)
    state = feedforward_state(EXACT, architecture, output_loss, inputs, targets, point)
    assert [sp.Rational(int(v.p), int(v.q)) for v in state.gradient()] == gradient
    H = state.hessian()
    assert all(H[i][j] == fmpq(int(hessian[i, j].p), int(hessian[i, j].q))
               for i in range(architecture.size) for j in range(architecture.size))
    explicit = sum(v**2 for v in hessian)
    assert state.hess_frobenius_sq() == fmpq(int(explicit.p), int(explicit.q))
    delta = [Fraction(k % 5 - 2, 3) for k in range(architecture.size)]
    product = sp.Matrix(hessian) * sp.Matrix([sp.Rational(d.numerator, d.denominator) for d in delta])
    assert [sp.Rational(int(v.p), int(v.q)) for v in state.hvp(delta)] == list(product)


def test_sympy_backend_gives_the_symbolic_derivatives():
    architecture, loss, inputs, targets, _ = _network((2, 2, 1), "tanh", "logistic", True, seed=5, n_obs=1)
    f, symbols = _expression(architecture, loss, inputs, targets)
    state = feedforward_state(SYMPY, architecture, loss, inputs, targets, list(symbols))
    at = {s: sp.Rational(k - 3, 4) for k, s in enumerate(symbols)}
    for engine, reference in zip(state.gradient(), [sp.diff(f, s) for s in symbols]):
        assert abs(sp.N((engine - reference).xreplace(at), 30)) < 1e-25
    H = state.hessian()
    assert abs(sp.N((H[0][5] - sp.diff(f, symbols[0], symbols[5])).xreplace(at), 30)) < 1e-25


def test_deep_linear_networks_are_the_identity_activation_without_biases():
    """One engine: the feed-forward engine reproduces the deep linear engine exactly."""
    for widths, loss, labels in [((2, 3, 2, 1), "squared", [Fraction(1, 2), Fraction(-3, 4)]),
                                 ((1, 2, 2, 1), "squared", [Fraction(2), Fraction(1, 3)]),
                                 ((2, 1, 3, 1), "squared", [Fraction(-1), Fraction(5, 7)])]:
        data = [([Fraction(k + 1, 3) for k in range(widths[0])], labels[0]),
                ([Fraction(-k, 2) for k in range(widths[0])], labels[1])]
        linear = deep_linear(widths, data, loss)
        architecture = Architecture(widths, get_activation("identity"), False)
        point = [Fraction((3 * k) % 7 - 3, 5) for k in range(linear.n)]
        reference = linear.state(point, EXACT)
        weights = architecture.split(point)[0]
        assert state_at(EXACT, widths, weights, [x for x, _ in data], [y for _, y in data],
                        linear.loss).grad_norm_sq() == reference.grad_norm_sq()
        state = feedforward_state(EXACT, architecture, get_output_loss(loss), [x for x, _ in data],
                                  [[y] for _, y in data], point)
        assert state.gradient() == [e for B in reference.gradient_blocks() for e in B.entries()]
        assert state.grad_norm_sq() == reference.grad_norm_sq()
        assert state.hess_frobenius_sq() == reference.hess_frobenius_sq()
        H = reference.hessian()
        assert state.hessian() == [[H[i, j] for j in range(linear.n)] for i in range(linear.n)]


def test_deep_linear_logistic_loss_agrees_in_balls():
    widths = (2, 2, 2, 1)
    data = [([1, 2], 1), ([3, -1], -1)]
    linear = deep_linear(widths, data, "logistic")
    point = [Fraction(k - 4, 7) for k in range(linear.n)]
    with working_precision(50):
        reference = linear.state(point, BALL)
        state = feedforward_state(BALL, Architecture(widths, get_activation("identity"), False),
                                  get_output_loss("logistic"), [x for x, _ in data], [[y] for _, y in data], point)
        assert state.grad_norm_sq().overlaps(reference.grad_norm_sq())
        assert state.hess_frobenius_sq().overlaps(reference.hess_frobenius_sq())


def test_float64_and_balls_agree_and_fifty_digit_balls_are_tight():
    architecture, loss, inputs, targets, point = _network((3, 6, 5, 4, 2), "tanh", "cross-entropy", True,
                                                          seed=11, n_obs=7)
    floats = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    with working_precision(50):
        balls = feedforward_state(BALL, architecture, loss, inputs, targets, point)
        frobenius = balls.hess_frobenius_sq()
        gradient = balls.grad_norm_sq()
        assert frobenius.rad() < abs(frobenius.mid()) * 1e-48 and gradient.rad() < abs(gradient.mid()) * 1e-48
        assert np.isclose(float(frobenius.mid()), floats.hess_frobenius_sq(), rtol=1e-12)
        assert np.isclose(float(gradient.mid()), floats.grad_norm_sq(), rtol=1e-12)
        assert np.isclose(float(balls.value().mid()), floats.value(), rtol=1e-12)
        explicit = np.array([[float(v.mid()) for v in row] for row in balls.hessian()])
    assert np.allclose(explicit, floats.hessian(), rtol=1e-11, atol=1e-12)


def test_spectral_lower_bound_is_below_and_close_to_the_true_norm():
    architecture, loss, inputs, targets, point = _network((2, 5, 4, 1), "tanh", "squared", True, seed=2, n_obs=4)
    floats = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    true = float(np.max(np.abs(np.linalg.eigvalsh(floats.hessian()))))
    bound = floats.spectral_lower_bound(iterations=500)
    assert bound.value <= true * (1 + 1e-12) and bound.value >= 0.99 * true
    with working_precision(50):
        state = feedforward_state(BALL, architecture, loss, inputs, targets, point)
        ball = state.spectral_lower_bound(iterations=500).value
        assert ball.rad() < 1e-40 and float(ball.mid()) <= true * (1 + 1e-12) and float(ball.mid()) >= 0.99 * true
        assert ball <= state.hess_frobenius_sq().sqrt()


def test_lanczos_finds_the_largest_modulus_where_power_iteration_stalls():
    """Eigenvalues 2 and −1.999 among smaller ones: power iteration has not settled after 300 products,
    the Lanczos method returns an eigenvector of 2 within them. A budget too small, a value that is not
    finite or fewer than three dimensions give None."""
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((40, 40)))
    A = Q @ np.diag(np.concatenate([[2.0, -1.999], np.linspace(-1, 1, 38)])) @ Q.T
    start = rng.standard_normal(40)
    _, _, _, converged = power_iteration(lambda v: A @ v, np.linalg.norm, float, lambda w, n: w / n, start, 300, 1e-12)
    assert not converged  # the case is hard for power iteration
    found = lanczos_direction(lambda v: A @ v, start, 300, 1e-12)
    assert found is not None
    delta, products = found
    assert products <= 300
    assert np.linalg.norm(A @ delta) / np.linalg.norm(delta) == pytest.approx(2.0, rel=1e-10)
    assert lanczos_direction(lambda v: A @ v, start, 5, 1e-12) is None
    assert lanczos_direction(lambda v: np.full(40, np.nan), start, 300, 1e-12) is None
    assert lanczos_direction(lambda v: A[:2, :2] @ v, start[:2], 300, 1e-12) is None


def test_spectral_bound_direction_by_lanczos_with_power_iteration_as_fallback(monkeypatch):
    """δ comes from the Lanczos method (the bound is the largest |eigenvalue| to 1e-9, in float64 and
    in balls); when Lanczos gives nothing, from power iteration, and the bound says so."""
    architecture, loss, inputs, targets, point = _network((2, 5, 4, 1), "tanh", "squared", True, seed=2, n_obs=4)
    floats = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    true = float(np.max(np.abs(np.linalg.eigvalsh(floats.hessian()))))
    bound = floats.spectral_lower_bound(iterations=100)
    assert bound.method == "Lanczos" and bound.converged and 0 < bound.iterations <= 100
    assert bound.value == pytest.approx(true, rel=1e-9)
    with working_precision(50):
        ball = feedforward_state(BALL, architecture, loss, inputs, targets, point).spectral_lower_bound(iterations=100)
        assert ball.method == "Lanczos" and float(ball.value.mid()) == pytest.approx(true, rel=1e-9)

    def gives_up(apply, start, budget, tolerance):  # spends its whole budget, then finds nothing
        for _ in range(budget):
            apply(start)
        return None

    monkeypatch.setattr(ffengine, "lanczos_direction", gives_up)
    fallback = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point).spectral_lower_bound(iterations=100)
    assert fallback.method == "power iteration" and fallback.value <= true * (1 + 1e-12)
    assert fallback.iterations > 100  # the products Lanczos spent are counted too


def test_spectral_lower_bound_beyond_float64_range_iterates_on_midpoints():
    architecture = Architecture((1, 2, 1), get_activation("identity"), False)
    huge = 10**200
    point = [huge, 1, huge, 1]
    with working_precision(30):
        state = feedforward_state(BALL, architecture, get_output_loss("squared"), [[1]], [[0]], point)
        bound = state.spectral_lower_bound(iterations=50)
        assert bound.value > 0 and bound.value <= state.hess_frobenius_sq().sqrt()
        assert bound.method == "power iteration"  # the float64 products overflow


def test_repeated_observations_are_grouped_without_changing_anything():
    architecture, loss, inputs, targets, point = _network((2, 3, 2, 1), "sin", "squared", True, seed=4, n_obs=3)
    inputs, targets = inputs + inputs[:2], targets + targets[:2]
    state = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    assert len(state._groups[0]) == 3
    H = state.hessian()
    assert np.isclose(state.hess_frobenius_sq(), np.sum(H * H), rtol=1e-12)
    with working_precision(40):
        balls = feedforward_state(BALL, architecture, loss, inputs, targets, point)
        explicit = sum((v * v for row in balls.hessian() for v in row), arb(0))
        assert balls.hess_frobenius_sq().overlaps(explicit)


def test_zero_checks_accept_only_exact_zeros():
    """Skipping a product or an activation needs proven zeros: a ball around 0 is not one (negative control),
    whether the matrix is held as entries or as a python-flint matrix."""
    X = ffengine._algebra(BALL)
    with working_precision(30):
        tiny = arb(0, 1e-30)
        assert not tiny.is_exact() and tiny.contains(0)
        for values in ([tiny, arb(0)], [arb(0), tiny]):
            assert not X.is_zero(X.mat(1, 2, values))
            assert not X.is_zero(ffengine._Mat(X, 1, 2, native=arb_mat(1, 2, values)))
        assert X.is_zero(X.mat(1, 2, [arb(0), arb(0)]))
        assert X.is_zero(ffengine._Mat(X, 1, 2, native=arb_mat(1, 2, [0, 0])))
        assert ffengine._uniform([tiny, tiny]) is None and ffengine._uniform([arb(2), arb(2)]) == 2
        ones = ffengine._Mat(X, 2, 1, native=arb_mat(2, 1, [1, 1]))
        product = X.mm(X.mat(1, 2, [tiny, arb(0)]), ones)
        assert product.native[0, 0].rad() > 0


def test_transposes_agree_between_entries_and_native_matrices():
    for backend in (BALL, EXACT, SYMPY):
        X = ffengine._algebra(backend)
        with working_precision(30):
            flat = X.mat(2, 3, [X.convert(v) for v in range(1, 7)])
            native = ffengine._Mat(X, 2, 3, native=X.build(2, 3, flat.flat))
            assert X.T(flat).flat == [X.convert(v) for v in (1, 4, 2, 5, 3, 6)]
            assert list(X.T(native).flat) == X.T(flat).flat


def _theorem_g_point(architecture, t):
    """W1 = W2 = 0 and W_l = t·ones for l ≥ 3 (bias-free): every pre-activation is 0 when σ(0) = 0."""
    weights = []
    for l in range(1, architecture.depth + 1):
        value = 0 if l <= 2 else t
        weights.append([[value] * architecture.widths[l - 1] for _ in range(architecture.widths[l])])
    return architecture.join(weights)


def _grouped_state(activation, backend, seed=3):
    architecture = Architecture((2, 3, 3, 2, 1), get_activation(activation), False)
    _, loss, inputs, targets, _ = _network((2, 3, 3, 2, 1), activation, "squared", False, seed=seed, n_obs=4)
    targets = [[Fraction(i + 1, 3)] for i in range(4)]  # four different labels
    return feedforward_state(backend, architecture, loss, inputs, targets, _theorem_g_point(architecture, 3))


def test_theorem_g_curve_forms_one_group_whatever_the_labels():
    """σ″(0) = 0 (tanh) makes c_l = σ″ ⊙ B_l exactly zero, so observations with different labels (hence
    different B_l) share Φ, E, Ξ; the Frobenius norm still equals the explicit Hessian's, exactly."""
    state = _grouped_state("tanh", EXACT)
    assert len(state._groups[0]) == 1
    explicit = sum((v * v for row in state.hessian() for v in row), fmpq(0))
    assert explicit != 0 and state.hess_frobenius_sq() == explicit


def test_negative_control_curvature_keeps_labels_apart(monkeypatch):
    """With σ″(0) ≠ 0 (u² + 1) the curvature terms differ between labels: the observations are not grouped,
    and a grouping that ignored them would change ‖∇²f‖_F, which the explicit Hessian detects."""
    state = _grouped_state("quadratic", EXACT)
    assert len(state._groups[0]) > 1
    explicit = sum((v * v for row in state.hessian() for v in row), fmpq(0))
    assert state.hess_frobenius_sq() == explicit
    monkeypatch.setattr(FeedforwardState, "_curvature_signature", lambda self, l: [0] * len(self.algebra.flat(
        self._forward[4][l])))
    wrong = _grouped_state("quadratic", EXACT)
    assert len(wrong._groups[0]) == 1 and wrong.hess_frobenius_sq() != explicit


def test_theorem_g_curve_grouping_in_balls_encloses_the_exact_value():
    exact = _grouped_state("tanh", EXACT).hess_frobenius_sq()
    with working_precision(30):
        state = _grouped_state("tanh", BALL)
        assert len(state._groups[0]) == 1
        assert state.hess_frobenius_sq().contains(arb(exact))


def test_negative_control_a_wrong_cross_term_is_caught(monkeypatch):
    """The comparison with the explicit Hessian detects a doubled cross term and a dropped Gram weight."""
    architecture, loss, inputs, targets, point = _network((2, 3, 2, 1), "tanh", "squared", True, seed=8, n_obs=3)
    state = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    explicit = float(np.sum(state.hessian() ** 2))
    assert np.isclose(state.hess_frobenius_sq(), explicit, rtol=1e-12)
    original = FeedforwardState._cross
    monkeypatch.setattr(FeedforwardState, "_cross", lambda self, *args: 2 * original(self, *args))
    assert not np.isclose(feedforward_state(FLOAT64, architecture, loss, inputs, targets, point).hess_frobenius_sq(),
                          explicit, rtol=1e-6)
    monkeypatch.setattr(FeedforwardState, "_cross", original)
    weighted = FeedforwardState._weighted
    monkeypatch.setattr(FeedforwardState, "_weighted", lambda self, weights, gram: weighted(self, weights[:1], gram))
    assert not np.isclose(feedforward_state(FLOAT64, architecture, loss, inputs, targets, point).hess_frobenius_sq(),
                          explicit, rtol=1e-6)


# -- exact restriction along Theorem G's curve ------------------------------------------------------
class _Data:
    def __init__(self, inputs, targets):
        self.inputs = [tuple(sp.Rational(v.numerator, v.denominator) for v in x) for x in inputs]
        self.label_vectors = [tuple(sp.Rational(v.numerator, v.denominator) for v in y) for y in targets]


class _Network:
    """The duck type :func:`exact_restriction` reads (``architecture``, ``loss``, ``data``)."""

    def __init__(self, architecture, loss, inputs, targets):
        self.architecture, self.loss, self.data = architecture, loss, _Data(inputs, targets)
        self.variables = sp.symbols(architecture.names(), real=True)
        self.n = architecture.size


def _theorem_g_curve(architecture, t):
    weights = [[[0] * architecture.widths[l - 1] for _ in range(architecture.widths[l])] if l <= 2 else
               [[t] * architecture.widths[l - 1] for _ in range(architecture.widths[l])]
               for l in range(1, architecture.depth + 1)]
    return architecture.join(weights)


def _symbolic_restriction(network, coordinates, t):
    state = feedforward_state(SYMPY, network.architecture, network.loss, network.data.inputs,
                              network.data.label_vectors, coordinates)
    grad_sq = sp.expand(sum(g**2 for g in state.gradient()))
    hess_sq = sp.expand(sum(h**2 for row in state.hessian() for h in row))
    return grad_sq, hess_sq


@pytest.mark.parametrize("activation, bias, loss", [("tanh", True, "logistic"), ("tanh", False, "squared"),
                                                    ("sin", True, "cross-entropy"), ("gelu", False, "logistic")])
def test_exact_restriction_on_theorem_g_curve_equals_the_symbolic_route(activation, bias, loss):
    widths = (2, 2, 2, 2, 2) if loss == "cross-entropy" else (2, 2, 2, 2, 1)
    architecture, output_loss, inputs, targets, _ = _network(widths, activation, loss, bias, seed=6, n_obs=3)
    network = _Network(architecture, output_loss, inputs, targets)
    t = sp.Symbol("t", positive=True)
    coordinates = _theorem_g_curve(architecture, t)
    result = exact_restriction(network, Curve(network.variables, coordinates, t))
    assert isinstance(result, ExactRestriction), result
    grad_sq, hess_sq = _symbolic_restriction(network, coordinates, t)
    assert sp.expand(grad_sq - result.grad_sq) == 0 and sp.expand(hess_sq - result.hess_sq) == 0
    if not bias:  # Theorem G′: ∇f = 0 and ‖∇²f‖_F ∝ t^(L−2)
        assert result.grad_sq == 0 and sp.degree(result.hess_sq, t) == 2 * (architecture.depth - 2)


def test_exact_restriction_says_why_it_does_not_apply():
    architecture, loss, inputs, targets, _ = _network((2, 2, 2, 1), "gelu", "logistic", True, seed=6, n_obs=2)
    network = _Network(architecture, loss, inputs, targets)
    t = sp.Symbol("t", positive=True)
    coordinates = _theorem_g_curve(architecture, t)
    gelu = exact_restriction(network, Curve(network.variables, coordinates, t))
    # σ″(0) = √(2/π) is irrational: the rational route declines, exact arithmetic in Q[t, g] takes over
    assert isinstance(gelu, ExactRestriction) and gelu.ring and "sqrt(2)" in gelu.method
    grad_sq, hess_sq = _symbolic_restriction(network, coordinates, t)
    assert sp.expand(grad_sq - gelu.grad_sq) == 0 and sp.expand(hess_sq - gelu.hess_sq) == 0
    tanh = _Network(Architecture((2, 2, 2, 1), get_activation("tanh"), True), loss, inputs, targets)
    varying = exact_restriction(tanh, Curve(tanh.variables, [t] * tanh.n, t))
    assert isinstance(varying, NotApplicable) and "vary" in varying.reason
    quadratic = _Network(Architecture((2, 2, 1), get_activation("quadratic"), True), get_output_loss("squared"),
                         inputs, targets)
    moving = exact_restriction(quadratic, Curve(quadratic.variables, [t] * quadratic.n, t))
    # a polynomial activation and loss: moving pre-activations and outputs are exact in Q[t]
    assert isinstance(moving, ExactRestriction) and moving.ring and "Q[t]" in moving.method
    grad_sq, hess_sq = _symbolic_restriction(quadratic, [t] * quadratic.n, t)
    assert sp.expand(grad_sq - moving.grad_sq) == 0 and sp.expand(hess_sq - moving.hess_sq) == 0


def test_exact_backend_refuses_irrational_values_and_machine_numbers():
    architecture, loss, inputs, targets, point = _network((2, 2, 1), "tanh", "squared", True, seed=1)
    with pytest.raises(NotRational):
        feedforward_state(EXACT, architecture, loss, inputs, targets, point).gradient()
    with pytest.raises(NotRational):
        feedforward_state(EXACT, architecture, loss, inputs, targets, [0.5] * architecture.size)


def test_bad_shapes_give_clear_errors():
    architecture, loss, inputs, targets, point = _network((2, 2, 1), "tanh", "squared", True)
    with pytest.raises(ShapeError, match="parameter vector"):
        feedforward_state(FLOAT64, architecture, loss, inputs, targets, point[:-1])
    with pytest.raises(ShapeError, match="dimension"):
        feedforward_state(FLOAT64, architecture, loss, [[1, 2, 3]] * 2, targets, point)
    with pytest.raises(ShapeError, match="label"):
        feedforward_state(FLOAT64, architecture, loss, inputs, [[1, 2]] * 2, point)
    state = feedforward_state(FLOAT64, architecture, loss, inputs, targets, point)
    with pytest.raises(ShapeError, match="direction"):
        state.hvp([1.0])
    assert ffengine.__all__ == ["FeedforwardState", "feedforward_state"]


@pytest.mark.slow
def test_exact_restriction_of_a_larger_tanh_network_with_biases_matches_balls_at_a_point():
    """The interpolated G²(t), H²(t) agree with the ball engine at a point of the curve (no interpolation there)."""
    architecture, loss, inputs, targets, _ = _network((6,) + (10,) * 5 + (1,), "tanh", "logistic", True, seed=9,
                                                      n_obs=12)
    network = _Network(architecture, loss, inputs, targets)
    t = sp.Symbol("t", positive=True)
    coordinates = _theorem_g_curve(architecture, t)
    result = exact_restriction(network, Curve(network.variables, coordinates, t))
    assert isinstance(result, ExactRestriction) and set(result.outputs) == {0}
    at = [sp.sympify(c).xreplace({t: sp.Rational(7, 2)}) for c in coordinates]
    with working_precision(40):
        state = feedforward_state(BALL, architecture, loss, inputs, targets, at)
        for exact, ball in ((result.grad_sq, state.grad_norm_sq()), (result.hess_sq, state.hess_frobenius_sq())):
            value = exact.xreplace({t: sp.Rational(7, 2)})
            assert ball.overlaps(arb(fmpq(int(value.p), int(value.q)))) and ball.rad() < 1e-30 * abs(ball.mid())
