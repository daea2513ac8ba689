"""dlnsmooth.networks.feedforward: the objective of a feed-forward network against SymPy's own
derivatives of a network built independently here, its numeric API, parameter layout and errors,
and deep linear networks as the special case."""

import random

import mpmath as mp
import pytest
import sympy as sp
from flint import arb, fmpq

from dlnsmooth.curves import Curve
from dlnsmooth.errors import DataError, DlnsmoothError, ShapeError
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, deep_linear
from dlnsmooth.networks.engine import EXACT
from dlnsmooth.networks.feedforward import FeedforwardObjective, feedforward
from dlnsmooth.numbers import to_arb
from dlnsmooth.precision import working_precision

R = sp.Rational

# -- the reference: a network written out with SymPy matrices, independent of the package -------------
SIGMA = {
    "identity": lambda z: z,
    "tanh": sp.tanh,
    "sigmoid": lambda z: 1 / (1 + sp.exp(-z)),
    "softplus": lambda z: sp.log(1 + sp.exp(z)),
    "sin": sp.sin,
    "gelu": lambda z: z / 2 * (1 + sp.erf(z / sp.sqrt(2))),
    "quadratic": lambda z: z**2 + 1,
}


def _loss(name: str, u: sp.Matrix, y: list) -> sp.Expr:
    if name == "squared":
        return sum(((u[j] - y[j]) ** 2 for j in range(len(y))), sp.Integer(0)) / 2
    if name == "l2":
        return sum(((u[j] - y[j]) ** 2 for j in range(len(y))), sp.Integer(0))
    if name == "logistic":
        return sp.log(1 + sp.exp(-y[0] * u[0]))
    if name == "exponential":
        return sp.exp(-y[0] * u[0])
    assert name == "cross-entropy"  # −Σ_j y_j log softmax(u)_j, with log softmax(u)_j = u_j − log Σ_k e^(u_k)
    log_total = sp.log(sum(sp.exp(v) for v in u))
    return -sum((y[j] * (u[j] - log_total) for j in range(len(y))), sp.Integer(0))


def reference(widths, activation, data: Dataset, loss: str, bias: bool):
    """(variables, f): z_l = W_l a_{l−1} + b_l, a_l = σ(z_l) for l < L, u = z_L."""
    variables, Ws, bs = [], [], []
    for l in range(1, len(widths)):
        W = sp.Matrix(widths[l], widths[l - 1], lambda i, j, l=l: sp.Symbol(f"W{l}_{i + 1}_{j + 1}", real=True))
        variables += list(W)  # row by row
        b = sp.Matrix([sp.Symbol(f"b{l}_{i + 1}", real=True) for i in range(widths[l])]) if bias else None
        variables += list(b) if bias else []
        Ws.append(W)
        bs.append(b)
    terms = []
    for x, y in zip(data.inputs, data.label_vectors):
        a = sp.Matrix(x)
        for l, (W, b) in enumerate(zip(Ws, bs), 1):
            z = W * a + (b if bias else sp.zeros(W.rows, 1))
            a = z if l == len(Ws) else z.applyfunc(SIGMA[activation])
        terms.append(_loss(loss, a, list(y)))
    return variables, sp.Add(*terms)


def _data(widths, loss: str, seed: int, size: int = 2) -> Dataset:
    rng = random.Random(seed)
    m = widths[-1]
    pairs = []
    for i in range(size):
        x = [R(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(widths[0])]
        if loss in ("logistic", "exponential"):
            y = [(-1) ** i]
        elif loss == "cross-entropy":
            y = [1 if j == i % m else 0 for j in range(m)] if i == 0 else [R(1, m)] * (m - 1) + [1 - R(m - 1, m)]
        else:
            y = [R(rng.randint(-3, 3), 2) for _ in range(m)]
        pairs.append((x, y if m > 1 else y[0]))
    return Dataset.from_pairs(pairs)


#: (widths, loss): squared with 1 and 2 outputs, l2, logistic, exponential, cross-entropy with 2 and 3
#: outputs; depths 2 and 3. Tiny, so that SymPy's own Hessian of the expression finishes quickly.
LOSS_CASES = [((2, 1, 1), "squared"), ((1, 1, 2), "squared"), ((2, 1, 2), "l2"), ((1, 2, 1), "logistic"),
              ((1, 1, 1, 1), "exponential"), ((1, 1, 2), "cross-entropy"), ((1, 1, 3), "cross-entropy")]
ACTIVATIONS = list(SIGMA)
#: each activation with three loss cases and each loss case with three activations, every activation and
#: every loss case met with and without biases (test_the_cases_cover_activations_losses_and_biases)
CASES = [(a, *LOSS_CASES[(i + k) % len(LOSS_CASES)], (i + k + k // 2) % 2 == 0)
         for i, a in enumerate(ACTIVATIONS) for k in (0, 2, 4)]
IDS = [f"{a}-{'-'.join(map(str, w))}-{loss}-{'bias' if b else 'nobias'}" for a, w, loss, b in CASES]


def _point(n: int, seed: int) -> list:
    rng = random.Random(seed)
    return [R(rng.randint(-6, 6), rng.randint(2, 5)) for _ in range(n)]


def test_the_cases_cover_activations_losses_and_biases():
    pairs = {(a, w, loss) for a, w, loss, _ in CASES}
    assert {a for a, _, _ in pairs} == set(SIGMA) and {(w, loss) for _, w, loss in pairs} == set(LOSS_CASES)
    for a in SIGMA:
        assert {b for a2, _, _, b in CASES if a2 == a} == {True, False}
    for case in LOSS_CASES:
        assert {b for _, w, loss, b in CASES if (w, loss) == case} == {True, False}


def _numbers(expressions, substitution, dps=40) -> list:
    with mp.workdps(dps):
        return [mp.mpf(sp.N(e.xreplace(substitution), dps)) for e in expressions]


def _close(a, b, tol=30) -> bool:
    with mp.workdps(45):
        return abs(mp.mpf(a) - mp.mpf(b)) <= mp.mpf(10) ** -tol * max(1, abs(mp.mpf(b)))


@pytest.mark.parametrize(("activation", "widths", "loss", "bias"), CASES, ids=IDS)
def test_structured_derivatives_equal_sympy_hessian_of_the_reference(activation, widths, loss, bias):
    data = _data(widths, loss, seed=len(widths) + widths[-1], size=1 + (len(activation) + len(loss)) % 2)
    f = feedforward(widths, activation, data, loss, bias=bias)
    variables, expected = reference(widths, activation, data, loss, bias)
    assert list(f.variables) == variables
    x = _point(f.n, seed=f.n)
    point = {v: sp.Float(c, 50) for v, c in zip(variables, x)}  # 50-digit numbers: SymPy evaluates as it builds
    # the objective's expression is the reference function
    assert _close(*_numbers([f.expr, expected], point))
    gradient = [sp.diff(expected, v) for v in variables]
    hessian = sp.hessian(expected, variables)
    got_g, want_g = _numbers(f.gradient_at(point), point), _numbers(gradient, point)
    got_h, want_h = _numbers(f.hessian_at(point), point), _numbers(hessian, point)
    assert all(_close(a, b) for a, b in zip(got_g, want_g))
    assert all(_close(a, b) for a, b in zip(got_h, want_h))
    # and the numeric API at the exact rational point (ball arithmetic at 40 digits)
    assert _close(f.value(x, dps=40), _numbers([expected], point)[0])
    assert all(_close(a, b) for a, b in zip(f.grad(x, dps=40), want_g))
    assert all(_close(a, b) for a, b in zip((e for row in f.hess(x, dps=40) for e in row), want_h))


@pytest.mark.parametrize(("activation", "widths", "bias"), [("identity", (2, 2, 1), True), ("quadratic", (1, 2, 2), False),
                                                             ("quadratic", (1, 1, 1, 1), False)])
def test_symbolic_identity_for_polynomial_networks_and_the_squared_loss(activation, widths, bias):
    """With a polynomial activation and the squared loss f is a polynomial: equal identically."""
    data = _data(widths, "squared", seed=3)
    f = feedforward(widths, activation, data, "squared", bias=bias)
    variables, expected = reference(widths, activation, data, "squared", bias)
    assert sp.expand(f.expr - expected) == 0
    assert (f.gradient - sp.Matrix([sp.diff(expected, v) for v in variables])).expand() == sp.zeros(f.n, 1)
    assert (f.hessian - sp.hessian(expected, variables)).expand() == sp.zeros(f.n, f.n)


def test_the_hessian_at_a_curve_substitutes_before_the_passes():
    t = sp.Symbol("t", positive=True)
    data = _data((1, 2, 1), "squared", seed=1)
    f = feedforward((1, 2, 1), "quadratic", data, "squared")
    variables, expected = reference((1, 2, 1), "quadratic", data, "squared", True)
    rng = random.Random(4)
    curve = {v: rng.randint(-2, 2) * t + R(rng.randint(-3, 3), 2) for v in variables}
    assert (f.hessian_at(curve) - sp.hessian(expected, variables).xreplace(curve)).expand() == sp.zeros(f.n, f.n)
    assert all(sp.expand(a - sp.diff(expected, v).xreplace(curve)) == 0 for a, v in zip(f.gradient_at(curve), variables))
    with pytest.raises(ShapeError, match="b2_1"):
        f.hessian_at({v: 0 for v in variables[:-1]})


# -- layout ------------------------------------------------------------------------------------------------
def test_names_order_and_flat_round_trip():
    f = feedforward((2, 3, 1), "tanh", "[([1, 2], 1)]")
    names = [v.name for v in f.variables]
    assert names[:7] == ["W1_1_1", "W1_1_2", "W1_2_1", "W1_2_2", "W1_3_1", "W1_3_2", "b1_1"]
    assert names[9:] == ["W2_1_1", "W2_1_2", "W2_1_3", "b2_1"] and f.n == 13
    assert all(v.is_real for v in f.variables)
    weights = [[[1, 2], [3, 4], [5, 6]], [[7, 8, 9]]]
    biases = [[10, 11, 12], [13]]
    flat = f.to_flat(weights, biases)
    assert flat == [1, 2, 3, 4, 5, 6, 10, 11, 12, 7, 8, 9, 13]
    assert f.from_flat(flat) == (weights, biases)
    assert f.to_flat(weights) == [1, 2, 3, 4, 5, 6, 0, 0, 0, 7, 8, 9, 0]
    weight_symbols, bias_symbols = f.parameter_symbols
    assert [s for W in weight_symbols for row in W for s in row] == [v for v in f.variables if v.name[0] == "W"]
    assert [s for b in bias_symbols for s in b] == [v for v in f.variables if v.name[0] == "b"]
    g = feedforward((2, 3, 1), "tanh", "[([1, 2], 1)]", bias=False)
    assert g.n == 9 and g.bias_symbols is None and g.from_flat(list(range(9)))[1] is None
    with pytest.raises(ShapeError, match="13 parameters"):
        f.from_flat([0] * 12)


def test_facts_describe_latex_and_json():
    f = feedforward((2, 4, 3), "gelu", "[([1, 2], [0, 1, 0]), ([0, 1], [1, 0, 0])]", "cross-entropy")
    assert f.widths == (2, 4, 3) and f.depth == 2 and f.activation.name == "gelu" and f.bias
    assert f.loss is f.output_loss and f.loss.name == "cross-entropy" and f.real_everywhere
    text = f.describe()
    for fragment in ("feed-forward", "widths 2-4-3", "27 parameters", "gelu", "with biases", "cross-entropy",
                     "2 observation(s)", "W2*gelu(W1*x_i + b1) + b2"):
        assert fragment in text
    assert r"\sigma\left(W_{1} x_i + b_{1}\right)" in f.latex() and "softmax" in f.latex()
    network = f.to_json()["network"]
    assert network == {"widths": [2, 4, 3], "depth": 2, "activation": "gelu", "bias": True, "parameters": 27,
                       "loss": "cross-entropy", "data": f.data.to_json()}
    assert f.to_json()["variables"][0] == "W1_1_1"


def test_default_data_suits_the_loss():
    assert feedforward((2, 2, 1)).data.label_vectors == ((1,),)
    assert feedforward((2, 2, 1)).data.inputs == ((1, 1),)
    assert feedforward((1, 2, 3), loss="cross-entropy").data.label_vectors == ((1, 0, 0),)
    assert feedforward((1, 2, 2), loss="l2").data.label_vectors == ((1, 1),)
    assert feedforward((1, 2, 1), loss="logistic").data.label_vectors == ((1,),)


def test_csv_files_give_vector_labels_from_the_last_width(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y1,y2\n1,2,0,1\n0.5,-1,1,0\n")
    f = feedforward((2, 2, 2), "tanh", str(path), "cross-entropy")
    assert f.data.inputs == ((1, 2), (R(1, 2), -1)) and f.data.label_vectors == ((0, 1), (1, 0))


# -- numbers -----------------------------------------------------------------------------------------------
def test_norms_spectral_bounds_and_float_derivatives_agree():
    f = feedforward((2, 3, 2), "tanh", "[([1, -1], [0.5, 1]), ([2, 1], [-1, 0])]", "squared")
    x = _point(f.n, seed=9)
    H = f.hess(x, dps=30)
    g = f.grad(x, dps=30)
    with working_precision(30):
        grad_norm, hess_norm = f.ball_norms([to_arb(v) for v in x])
        lower, upper, bound = f.ball_spectral_bounds([to_arb(v) for v in x], iterations=50)
        value = f.ball_value(x)
        gradient, hessian = f.ball_derivatives(x)
    with mp.workdps(30):
        assert value.overlaps(arb(str(f.value(x, dps=30)))) and value.rad() < 1e-25
        assert all(b.overlaps(arb(str(a))) for a, b in zip(g, gradient))
        assert all(b.overlaps(arb(str(a))) for row_a, row_b in zip(H, hessian) for a, b in zip(row_a, row_b))
    with mp.workdps(30):
        assert grad_norm.overlaps(arb(str(mp.sqrt(sum(v**2 for v in g)))))
        assert hess_norm.overlaps(arb(str(mp.sqrt(sum(v**2 for row in H for v in row)))))
        top = max(abs(e) for e in mp.eigsy(mp.matrix(H))[0])
    assert 0.5 * float(top) < float(lower.mid()) <= float(top) * (1 + 1e-12)
    assert upper.overlaps(hess_norm) and bound.iterations >= 1
    if f.n >= 3:  # δ by Lanczos: the bound is the largest |eigenvalue|
        assert bound.method == "Lanczos" and float(lower.mid()) == pytest.approx(float(top), rel=1e-9)
    floats = f.float_derivatives([float(v) for v in x])
    assert floats is not None
    assert max(abs(a - float(b)) for a, b in zip(floats[0], g)) < 1e-12
    assert max(abs(floats[1][i][j] - float(H[i][j])) for i in range(f.n) for j in range(f.n)) < 1e-12


def test_exact_points_enter_exactly_and_outputs_and_condition_digits():
    f = feedforward((1, 2, 1), "identity", "[(1, 2)]", "squared")
    x = [R(1, 3)] * f.n  # z_1 = (2/3, 2/3), u = 2 · (1/3)(2/3) + 1/3 = 7/9
    outputs = f.outputs(x, dps=50)
    assert len(outputs) == 1 and len(outputs[0]) == 1
    assert _close(outputs[0][0], sp.N(R(7, 9), 50), tol=45)
    assert _close(f.value(x, dps=50), sp.N((R(7, 9) - 2) ** 2 / 2, 50), tol=45)
    assert f.condition_digits([0] * f.n) == 0
    assert f.condition_digits([10**6] + [1] * (f.n - 1)) >= 6


def test_exact_backend_state():
    """At θ = 0 every pre-activation is 0, where tanh, tanh′, tanh″ are rational: only ∂f/∂b_2 = u − y ≠ 0."""
    f = feedforward((1, 2, 1), "tanh", "[(1, 2)]", "squared")
    state = f.state([0] * f.n, EXACT)
    assert list(state.gradient()) == [0, 0, 0, 0, 0, 0, -2]
    assert state.grad_norm_sq() == 4 and isinstance(state.grad_norm_sq(), fmpq)


# -- errors ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: feedforward((1, 2, 1), "relu"), DataError, "unknown activation 'relu'"),
        (lambda: feedforward((1, 2, 1), "tanh", None, "hinge"), DataError, "unknown loss 'hinge'"),
        (lambda: feedforward((1, 2, 2), "tanh", None, "logistic"), ShapeError, "scalar output"),
        (lambda: feedforward((1, 2, 1), "tanh", None, "cross-entropy"), ShapeError, "at least 2 outputs"),
        (lambda: feedforward((1, 2, 2), "tanh", "[(1, 1)]", "squared"), ShapeError, "2 output(s)"),
        (lambda: feedforward((1, 2, 1), "tanh", "[(1, [1, 2])]", "squared"), ShapeError, "dimension 2"),
        (lambda: feedforward((1, 2, 2), "tanh", "[(1, [1.5, -0.5])]", "cross-entropy"), DataError, "probability"),
        (lambda: feedforward((1, 2, 2), "tanh", "[(1, [0.5, 0.25])]", "cross-entropy"), DataError, "probability"),
        (lambda: feedforward((1, 2, 1), "tanh", "[(1, 0.5)]", "logistic"), DataError, "y in {-1, +1}"),
        (lambda: feedforward((2, 2, 1), "tanh", "[(1, 1)]"), ShapeError, "dimension 1; the first width is 2"),
        (lambda: feedforward((1, 2, 1), "tanh", [(float("nan"), 1)]), DataError, "must be finite"),
        (lambda: feedforward((1, 2, 1), "tanh", "[(nan, 1)]"), DataError, "not a number"),
        (lambda: feedforward((1, 0, 1)), ShapeError, "positive integers"),
        (lambda: feedforward((3,)), ShapeError, "define no layer"),
        (lambda: feedforward((1, 2, 1), bias="yes"), ShapeError, "bias must be True or False"),
        (lambda: FeedforwardObjective((1, 2, 1), "tanh", [(1, 1)], "squared"), TypeError, "Dataset"),
    ],
)
def test_bad_input_gives_a_clear_error(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value) and "\n" not in str(info.value)
    assert isinstance(info.value, DlnsmoothError) or error is TypeError


def test_points_of_the_wrong_length_name_the_parameter_count():
    f = feedforward((1, 2, 1), "tanh")
    for call in (lambda: f.value([1, 2]), lambda: f.grad([0] * 8), lambda: f.hess([0] * 6), lambda: f.state([1]),
                 lambda: f.float_derivatives([0.0] * 3)):
        with pytest.raises(ShapeError, match="expected 7 .*widths 1-2-1 with biases"):
            call()
    with pytest.raises(ShapeError):
        f.value("1,2,3")
    with pytest.raises(DlnsmoothError, match="precision"):
        f.value([0] * 7, dps=0)


# -- deep linear networks are the special case ------------------------------------------------------------
DEEP = [((2, 3, 1), "[([1, 0.5], 1), ([0, 2], -1)]", "logistic"),
        ((3, 2, 2, 1), "[([1, -1, 2], 1.5), ([0, 2, 1/3], -1)]", "squared"),
        ((1, 2, 2, 1), "[(1, 1), (2, -1)]", "exponential")]


@pytest.mark.parametrize(("widths", "data", "loss"), DEEP, ids=[d[2] for d in DEEP])
def test_identity_without_biases_is_the_deep_linear_network(widths, data, loss):
    general = feedforward(widths, "identity", data, loss, bias=False)
    linear = deep_linear(widths, data, loss)
    assert isinstance(linear, FeedforwardObjective) and isinstance(linear, DeepLinearObjective)
    assert linear.variables == general.variables and linear.architecture == general.architecture
    point = dict(zip(general.variables, _point(general.n, seed=2)))
    if loss == "squared":  # a polynomial: the two structured formulas agree identically
        assert (general.gradient - linear.gradient).expand() == sp.zeros(general.n, 1)
        assert (general.hessian - linear.hessian).expand() == sp.zeros(general.n, general.n)
    else:
        assert all(_close(a, b) for a, b in zip(_numbers(general.gradient_at(point), point),
                                                _numbers(linear.gradient_at(point), point)))
        assert all(_close(a, b) for a, b in zip(_numbers(general.hessian_at(point), point),
                                                _numbers(linear.hessian_at(point), point)))
    x = [point[v] for v in general.variables]
    with working_precision(60):
        for a, b in zip(general.ball_norms([to_arb(v) for v in x]), linear.ball_norms([to_arb(v) for v in x])):
            assert a.overlaps(b) and a.rad() < 1e-40
    # exactly where the loss derivatives are rational: every output 0 (W_1 = 0), or the squared loss anywhere
    exact_point = [0] * widths[0] * widths[1] + x[widths[0] * widths[1]:] if loss != "squared" else x
    g_state, l_state = general.state(exact_point, EXACT), linear.state(exact_point, EXACT)
    assert g_state.grad_norm_sq() == l_state.grad_norm_sq()
    assert g_state.hess_frobenius_sq() == l_state.hess_frobenius_sq()


# -- restriction to curves -----------------------------------------------------------------------------------
def _theorem_g_like(f):
    t = sp.Symbol("t", positive=True)
    return t, {v: (0 if int(v.name[1]) <= 2 or v.name[0] == "b" else t) for v in f.variables}


def test_the_exact_restriction_equals_the_symbolic_one():
    f = feedforward((2, 1, 2, 1, 1), "tanh", "[([1, 0.5], 0.5), ([0, 2], -1)]", "squared", bias=False)
    t, coordinates = _theorem_g_like(f)
    exact = f.exact_restriction(Curve(f.variables, coordinates, t))
    grad_sq = sum(g**2 for g in f.gradient_at(coordinates))
    hess_sq = sum(h**2 for h in f.hessian_at(coordinates))
    assert sp.expand(exact.grad_sq - grad_sq) == 0 and sp.expand(exact.hess_sq - hess_sq) == 0
    assert exact.hess_sq != 0 and exact.outputs == (0, 0)
    # with sigmoid, σ(0) = 1/2 ≠ 0 makes later pre-activations non-zero and moving: a reason, not numbers
    g = feedforward((2, 1, 2, 1, 1), "sigmoid", f.data, "squared", bias=False)
    reason = g.exact_restriction(Curve(g.variables, _theorem_g_like(g)[1], t))
    assert isinstance(reason, str) and ("vary" in reason or "not a rational" in reason)
