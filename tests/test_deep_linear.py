"""dlnsmooth.networks.deep_linear: the objective, its structured derivatives against sympy.diff,
Proposition 7's network and curve, and the validation of widths and data."""

import random

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.certificate import certify_curve
from dlnsmooth.errors import DataError, DlnsmoothError, ShapeError
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import (
    DeepLinearObjective,
    check_widths,
    deep_linear,
    prop7_curve,
    prop7_objective,
)
from dlnsmooth.networks.feedforward import FeedforwardObjective
from dlnsmooth.networks.losses import LOSSES, OUTPUT_LOSSES, Loss, OutputLoss

R = sp.Rational

#: (widths, data, loss): depth 2–4, square and non-square, every loss, 1–3 observations
NETWORKS = [
    ((2, 3, 1), "[([1, 0.5], 1), ([0, 2], -1)]", "logistic"),
    ((3, 2, 2, 1), "[([1, -1, 2], 1.5), ([0, 2, 1/3], -1), ([1, 1, 1], 0)]", "squared"),
    ((1, 2, 2, 1), "[(1, 1), (2, -1)]", "exponential"),
    ((2, 1, 2, 1, 1), "[([1, 2], -1)]", "logistic"),
    ((1, 1, 1), "[(2, 0.5)]", "squared"),
    ((2, 2, 1, 1), "[([1, 0], 1), ([0.5, -1], -1), ([2, 1], 1)]", "exponential"),
    ((1, 2, 1, 2, 1), "[(1, 2), (-1, 0.25)]", "squared"),
    ((2, 2, 2, 1), "[([0.5, -0.5], -1), ([1, 3], 1)]", "logistic"),
]
IDS = [f"{'-'.join(map(str, w))}-{loss}" for w, _, loss in NETWORKS]

_OPAQUE = dict(power_exp=False, log=False, mul=True, multinomial=True, deep=True)


def _hand_built(widths, data: Dataset, loss_name: str):
    """(weight matrices, f) built with SymPy matrices, independently of the module."""
    Ws = [sp.Matrix(widths[l], widths[l - 1], lambda i, j, l=l: sp.Symbol(f"W{l}_{i + 1}_{j + 1}", real=True))
          for l in range(1, len(widths))]
    loss = LOSSES[loss_name]
    terms = []
    for x, y in zip(data.inputs, data.targets):
        u = sp.Matrix(x)
        for W in Ws:
            u = W * u
        terms.append(loss(u[0, 0], y))
    return Ws, sp.Add(*terms)


def _points(f, count, seed):
    rng = random.Random(seed)
    return [{v: R(rng.randint(-6, 6), rng.randint(1, 4)) for v in f.variables} for _ in range(count)]


def _close(a, b, dps=60, tol=40) -> bool:
    """|a − b| ≤ 10^−tol · max(1, |b|), evaluated at ``dps`` digits (a, b SymPy numbers or mpf)."""
    with mp.workdps(dps):
        a = mp.mpf(sp.N(a, dps)) if isinstance(a, sp.Basic) else a
        b = mp.mpf(sp.N(b, dps)) if isinstance(b, sp.Basic) else b
        return abs(a - b) <= mp.mpf(10) ** -tol * max(1, abs(b))


@pytest.fixture(scope="module", params=NETWORKS, ids=IDS)
def network(request):
    """The objective, the direct sympy.diff gradient and Hessian of its expression."""
    widths, data, loss = request.param
    f = deep_linear(widths, data, loss)
    gradient = sp.Matrix([sp.diff(f.expr, v) for v in f.variables])
    hessian = sp.hessian(f.expr, f.variables)
    return f, gradient, hessian


# -- names, order, expression -------------------------------------------------------------------
@pytest.mark.parametrize(("widths", "data", "loss"), NETWORKS, ids=IDS)
def test_variable_names_are_layer_by_layer_row_by_row(widths, data, loss):
    f = deep_linear(widths, data, loss)
    expected = [f"W{l}_{i}_{j}" for l in range(1, len(widths)) for i in range(1, widths[l] + 1)
                for j in range(1, widths[l - 1] + 1)]
    assert [v.name for v in f.variables] == expected
    assert f.n == len(expected) == sum(widths[l] * widths[l - 1] for l in range(1, len(widths)))
    assert all(v.is_real for v in f.variables)
    assert f.depth == len(widths) - 1 and f.widths == tuple(widths)
    # the weight matrices W_l are n_l × n_{l−1}
    assert [(len(W), len(W[0])) for W in f.weight_symbols] == [(widths[l], widths[l - 1]) for l in range(1, len(widths))]
    assert [s for W in f.weight_symbols for row in W for s in row] == list(f.variables)


def test_the_2_3_1_names_spelled_out():
    f = deep_linear((2, 3, 1), "[([1, 0.5], 1)]")
    assert [v.name for v in f.variables] == ["W1_1_1", "W1_1_2", "W1_2_1", "W1_2_2", "W1_3_1", "W1_3_2",
                                             "W2_1_1", "W2_1_2", "W2_1_3"]


def test_names_x_for_the_all_ones_network():
    f = deep_linear((1, 1, 1, 1), "[(2, -1)]", names="x")
    assert [v.name for v in f.variables] == ["x1", "x2", "x3"]
    x1, x2, x3 = f.variables
    assert f.expr == sp.log(1 + sp.exp(2 * x1 * x2 * x3))
    with pytest.raises(ShapeError, match="every width is 1"):
        deep_linear((2, 1, 1), "[([1, 1], 1)]", names="x")


def test_unknown_weight_names_raise_a_package_error():
    with pytest.raises(DlnsmoothError, match="names"):
        deep_linear((1, 1, 1), names="w")


@pytest.mark.parametrize(("widths", "data", "loss"), NETWORKS, ids=IDS)
def test_the_objective_is_the_hand_built_loss_sum(widths, data, loss):
    f = deep_linear(widths, data, loss)
    _, expected = _hand_built(widths, f.data, loss)
    # polynomial arguments of exp/log expanded, exp/log themselves kept: a canonical form
    assert sp.expand(f.expr, **_OPAQUE) == sp.expand(expected, **_OPAQUE)
    for point in _points(f, 2, seed=5):
        assert f.expr.xreplace(point) == expected.xreplace(point)
        assert _close(f.value([point[v] for v in f.variables], dps=60), expected.xreplace(point))


def test_the_default_data_and_other_data_forms_give_the_same_objective(tmp_path):
    default = deep_linear((2, 2, 1, 1))
    _, expected = _hand_built((2, 2, 1, 1), Dataset.from_pairs([([1, 1], 1)]), "logistic")
    assert sp.expand(default.expr, **_OPAQUE) == sp.expand(expected, **_OPAQUE)
    path = tmp_path / "d.json"
    path.write_text('{"x": [[1, 0.5], [0, 2]], "y": [1, -1]}')
    forms = [[([1, 0.5], 1), ([0, 2], -1)], "[([1, 0.5], 1), ([0, 2], -1)]", str(path),
             Dataset.parse_inline("[([1, 1/2], 1), ([0, 2], -1)]")]
    exprs = {sp.expand(deep_linear((2, 2, 1, 1), form).expr, **_OPAQUE) for form in forms}
    assert len(exprs) == 1


def test_describe_names_the_architecture():
    f = deep_linear((3, 2, 2, 1), "[([1, 2, 3], 1)]", "squared")
    text = f.describe()
    assert "widths 3-2-2-1" in text and "L = 3" in text and "12 weights" in text and "squared" in text


# -- derivatives against sympy.diff -------------------------------------------------------------
def test_structured_gradient_and_hessian_equal_sympy_diff_at_rational_points(network):
    f, gradient, hessian = network
    assert f.gradient.shape == (f.n, 1) and f.hessian.shape == (f.n, f.n)
    exact = f.loss.name == "squared"
    for point in _points(f, 3, seed=1):
        pairs = list(zip(f.gradient.xreplace(point), gradient.xreplace(point)))
        pairs += list(zip(f.hessian.xreplace(point), hessian.xreplace(point)))
        for got, want in pairs:
            if exact:
                assert got == want
            else:
                assert _close(got, want)


def test_gradient_at_and_hessian_at_equal_sympy_diff(network):
    f, gradient, hessian = network
    exact = f.loss.name == "squared"
    for point in _points(f, 2, seed=2):
        got_g, got_h = f.gradient_at(point), f.hessian_at(point)
        assert len(got_g) == f.n and got_h.shape == (f.n, f.n)
        for got, want in list(zip(got_g, gradient.xreplace(point))) + list(zip(got_h, hessian.xreplace(point))):
            assert got == want if exact else _close(got, want)


def test_numeric_value_gradient_and_hessian_equal_sympy_diff_at_high_precision(network):
    f, gradient, hessian = network
    for point in _points(f, 2, seed=3):
        x = [point[v] for v in f.variables]
        g, H = f.grad(x, dps=60), f.hess(x, dps=60)
        assert len(g) == f.n and len(H) == f.n and all(len(row) == f.n for row in H)
        for i in range(f.n):
            assert _close(g[i], gradient[i].xreplace(point)), (i, g[i])
            for j in range(f.n):
                assert _close(H[i][j], hessian[i, j].xreplace(point)), (i, j, H[i][j])
        with mp.workdps(60):
            want_g = mp.sqrt(sum(mp.mpf(sp.N(c.xreplace(point), 70)) ** 2 for c in gradient))
            want_h = mp.sqrt(sum(mp.mpf(sp.N(c.xreplace(point), 70)) ** 2 for c in hessian))
        assert _close(f.grad_norm(x, dps=60), want_g)
        assert _close(f.hess_norm(x, dps=60), want_h)


def test_symbolic_identity_for_the_squared_loss():
    """For the squared loss f is a polynomial: the structured ∇f, ∇²f equal sympy.diff identically."""
    for widths, data, loss in NETWORKS:
        if loss != "squared":
            continue
        f = deep_linear(widths, data, loss)
        assert (f.gradient - sp.Matrix([sp.diff(f.expr, v) for v in f.variables])).expand() == sp.zeros(f.n, 1)
        assert (f.hessian - sp.hessian(f.expr, f.variables)).expand() == sp.zeros(f.n, f.n)


def test_substituting_a_curve_before_multiplying_matches_sympy_diff():
    """hessian_at substitutes into the weight matrices first; the result must still be the Hessian."""
    t = sp.Symbol("t", positive=True)
    f = deep_linear((3, 2, 2, 1), "[([1, -1, 2], 1.5), ([0, 2, 1/3], -1)]", "squared")
    rng = random.Random(7)
    curve = {v: rng.randint(-3, 3) * t + R(rng.randint(-4, 4), 3) for v in f.variables}
    want_h = sp.hessian(f.expr, f.variables).xreplace(curve)
    want_g = [sp.diff(f.expr, v).xreplace(curve) for v in f.variables]
    assert (f.hessian_at(curve) - want_h).expand() == sp.zeros(f.n, f.n)
    assert all(sp.expand(a - b) == 0 for a, b in zip(f.gradient_at(curve), want_g))
    g = deep_linear((2, 1, 2, 1, 1), "[([1, 2], -1)]", "logistic")
    curve = {v: rng.randint(-2, 2) * t / 5 + R(rng.randint(-4, 4), 7) for v in g.variables}
    got, want = g.hessian_at(curve), sp.hessian(g.expr, g.variables).xreplace(curve)
    for value in (R(1, 2), R(3)):
        for a, b in zip(got.xreplace({t: value}), want.xreplace({t: value})):
            assert _close(a, b)


def test_the_hessian_is_symmetric(network):
    f, _, _ = network
    H = f.hessian
    assert all(H[i, j] == H[j, i] for i in range(f.n) for j in range(f.n))


def test_a_partial_substitution_is_rejected():
    f = deep_linear((1, 2, 1), "[(1, 1)]")
    with pytest.raises(ShapeError, match="W2_1_2"):
        f.hessian_at({v: 0 for v in f.variables[:-1]})


def test_points_of_the_wrong_length_are_rejected():
    f = deep_linear((1, 2, 1), "[(1, 1)]")
    with pytest.raises(ShapeError):
        f.grad([1, 2, 3])
    with pytest.raises(ShapeError):
        f.hess([1, 2, 3, 4, 5])


# -- Proposition 7 --------------------------------------------------------------------------------
PROP7 = [(1, 1), (2, -1), (R(-3, 2), 1), (R(1, 3), -1)]


def test_prop7_objective_is_the_r4_logistic_loss():
    for z, y in PROP7:
        f = prop7_objective(z, y)
        x1, x2, x3, x4 = f.variables
        assert [v.name for v in f.variables] == ["x1", "x2", "x3", "x4"]
        assert f.widths == (1, 1, 1, 1, 1) and f.loss.name == "logistic"
        assert f.expr == sp.log(1 + sp.exp(-y * z * x4 * x3 * x2 * x1))


def test_prop7_curve_is_0_0_k_k():
    f = prop7_objective()
    curve = prop7_curve(f)
    k = curve.parameter
    assert k.name == "k" and k.is_positive
    assert curve.coordinates == (0, 0, k, k)
    assert prop7_curve(f, "s").parameter.name == "s"


@pytest.mark.parametrize(("z", "y"), PROP7)
def test_prop7_gradient_vanishes_and_hessian_norm_is_abs_z_k_squared_over_root_2(z, y):
    f = prop7_objective(z, y)
    curve = prop7_curve(f)
    k = curve.parameter
    substitution = curve.substitution
    # ∇f = 0 exactly along the curve, both from the structured gradient and from sympy.diff
    assert f.gradient_at(substitution) == [0, 0, 0, 0]
    assert [sp.simplify(sp.diff(f.expr, v).xreplace(substitution)) for v in f.variables] == [0, 0, 0, 0]
    # only ∂²f/∂x1∂x2 = −y z k²/2 survives
    H = f.hessian_at(substitution)
    direct = sp.hessian(f.expr, f.variables).xreplace(substitution).applyfunc(sp.simplify)
    expected = sp.zeros(4, 4)
    expected[0, 1] = expected[1, 0] = -y * z * k**2 / 2
    assert H.applyfunc(sp.simplify) == expected and direct == expected
    frobenius = sp.sqrt(sum(e**2 for e in H))
    assert sp.simplify(frobenius - sp.Abs(z) * k**2 / sp.sqrt(2)) == 0
    # and at numbers
    for value in (3, 10, R(7, 2)):
        point = [0, 0, value, value]
        assert f.grad_norm(point, dps=50) == 0
        with mp.workdps(50):
            want = mp.mpf(sp.N(sp.Abs(z) * value**2 / sp.sqrt(2), 60))
            spectral = mp.mpf(sp.N(sp.Abs(z) * value**2 / 2, 60))  # eigenvalues ±|y z| k²/2, 0, 0
        assert _close(f.hess_norm(point, dps=50), want, dps=50, tol=40)
        assert _close(f.hess_norm(point, dps=50, norm="spectral"), spectral, dps=50, tol=40)


@pytest.mark.parametrize(("z", "y", "loss"), [(1, 1, "squared"), (-2, R(1, 2), "squared"), (3, -1, "exponential")])
def test_prop7_other_losses_hessian_norm_is_root_2_abs_lprime_z_k_squared(z, y, loss):
    f = prop7_objective(z, y, loss)
    substitution = prop7_curve(f).substitution
    k = prop7_curve(f).parameter
    assert [sp.simplify(g) for g in f.gradient_at(substitution)] == [0, 0, 0, 0]
    frobenius_sq = sum(e**2 for e in f.hessian_at(substitution))
    lprime = f.loss.derivative_at_zero(y)
    assert lprime == -y  # both losses: ℓ′(0; y) = −y
    assert sp.simplify(frobenius_sq - 2 * (lprime * z) ** 2 * k**4) == 0


def test_prop7_certificate_refutes_every_rho():
    f = prop7_objective(2, -1)
    cert = certify_curve(f, prop7_curve(f), every_rho=True, decades=3, progress=False)
    assert cert.verdict == "refuted" and cert.critical_exponent == sp.oo
    restriction = cert.find("symbolic-restriction")
    k = prop7_curve(f).parameter
    assert restriction[0].expression == 0
    assert sp.simplify(restriction[1].expression - 2 * k**4) == 0  # (|z| k²/√2)² with z = 2


def test_prop7_rejects_bad_observations_and_networks():
    with pytest.raises(ShapeError, match="z ≠ 0"):
        prop7_objective(0, 1)
    with pytest.raises(DataError, match="y in"):
        prop7_objective(1, 2)
    with pytest.raises(ShapeError, match="1-1-1-1-1"):
        prop7_curve(deep_linear((1, 1, 1, 1)))


# -- widths and data validation -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("widths", "fragment"),
    [
        ((1, 2, 2), "must be 1, got 2"),
        ((2, 3), "must be 1, got 3"),
        ((1,), "define no layer"),
        ((), "define no layer"),
        ([3], "define no layer"),
        ((1, 0, 1), "positive integers, got 0"),
        ((1, -2, 1), "positive integers, got -2"),
        ((0, 1), "positive integers, got 0"),
        ((1, 2.0, 1), "positive integers, got 2.0"),
        ((1, "2", 1), "positive integers, got '2'"),
        ((1, True, 1), "positive integers, got True"),
        ((1, None, 1), "positive integers, got None"),
        ((1, R(3, 2), 1), "positive integers"),
        ("1,2,1", "sequence of positive integers"),
        (3, "sequence of positive integers"),
        (None, "sequence of positive integers"),
    ],
)
def test_bad_widths_raise_a_clear_shape_error(widths, fragment):
    for build in (check_widths, deep_linear):
        with pytest.raises(ShapeError) as info:
            build(widths)
        assert fragment in str(info.value)
        assert isinstance(info.value, DlnsmoothError) and isinstance(info.value, ValueError)


def test_good_widths_are_returned_as_a_tuple():
    assert check_widths([2, 3, 1]) == (2, 3, 1)
    assert check_widths(range(3, 0, -2)) == (3, 1)


def test_data_must_match_the_input_width():
    with pytest.raises(ShapeError, match="observation 1 has an input of dimension 3; the first width is 2"):
        deep_linear((2, 2, 1), [([1, 2, 3], 1), ([0, 1, 1], -1)])
    with pytest.raises(ShapeError, match=r"different dimensions \[2, 3\]"):
        deep_linear((2, 2, 1), [([1, 2], 1), ([1, 2, 3], -1)])
    with pytest.raises(ShapeError, match="dimension 2; the first width is 1"):
        DeepLinearObjective((1, 1, 1, 1), Dataset.parse_inline("[([1, 2], 1)]"), "logistic")


def test_labels_must_suit_the_loss():
    with pytest.raises(DataError, match="y in"):
        deep_linear((1, 1, 1), "[(1, 0)]", "logistic")
    with pytest.raises(DataError, match="exponential"):
        deep_linear((1, 1, 1), "[(1, 1), (1, 0.5)]", "exponential")
    assert deep_linear((1, 1, 1), "[(1, 0.5)]", "squared").data.targets == (R(1, 2),)
    with pytest.raises(DataError, match="unknown loss"):
        deep_linear((1, 1, 1), "[(1, 1)]", "hinge")


def test_data_must_be_a_dataset_for_the_class():
    with pytest.raises(TypeError, match="Dataset"):
        DeepLinearObjective((1, 1, 1), [(1, 1)], "logistic")


def test_networks_beyond_the_memory_limit_are_refused_before_anything_is_built():
    from dlnsmooth.errors import TooLargeError
    from dlnsmooth.networks.deep_linear import MAX_NETWORK_WEIGHTS, weight_count

    assert weight_count((1000, 1000, 1000, 1)) == 2_001_000
    for widths in ((1000, 1000, 1000, 1), (1, 10**30, 1), (1,) * (MAX_NETWORK_WEIGHTS + 2)):
        with pytest.raises(TooLargeError, match=f"beyond the limit of {MAX_NETWORK_WEIGHTS} weights"):
            check_widths(widths)
    assert check_widths((499, 499, 1)) == (499, 499, 1)  # 249 500 weights: within the limit
    with pytest.raises(TooLargeError):
        check_widths((500, 500, 1))  # 250 500 weights


def test_the_cost_estimate_refuses_a_network_that_cannot_fit_the_budget():
    from dlnsmooth.errors import TooLargeError
    from dlnsmooth.networks.deep_linear import WEIGHTS_PER_SECOND, check_network_budget, estimated_seconds

    assert estimated_seconds((1, 1, 1, 1)) < 2
    check_network_budget((10, 10, 10, 1), 10.0)
    widths = (100, 100, 100, 1)  # 20 100 weights: about 5 s
    assert estimated_seconds(widths) == 1 + 20_100 / WEIGHTS_PER_SECOND
    check_network_budget(widths, 10.0)
    with pytest.raises(TooLargeError, match="beyond the time budget of 2 s; raise --time"):
        check_network_budget(widths, 2.0)


# -- the special case of feed-forward networks -------------------------------------------------------------
def test_a_deep_linear_network_is_the_identity_feedforward_network_without_biases():
    f = deep_linear((2, 3, 1), "[([1, 0.5], 1), ([0, 2], -1)]", "logistic")
    assert isinstance(f, FeedforwardObjective)
    assert f.activation.name == "identity" and f.bias is False and f.architecture.widths == (2, 3, 1)
    assert f.architecture.names() == [v.name for v in f.variables] and f.bias_symbols is None
    # its loss is the scalar loss and the network's output loss at once
    assert isinstance(f.loss, Loss) and isinstance(f.loss, OutputLoss)
    assert f.loss == LOSSES["logistic"] and LOSSES["logistic"] == f.loss and f.output_loss is f.loss
    assert f.loss.derivative_at_zero(1) == R(-1, 2) and f.loss.gradient_at_zero([1]) == [R(-1, 2)]
    assert deep_linear((1, 1), "[(1, 1)]", "logistic").loss is f.loss  # one shared instance per loss
    weights = [[[1, 2], [3, 4], [5, 6]], [[7, 8, 9]]]
    assert f.from_flat(f.to_flat(weights)) == (weights, None)


def test_deep_linear_accepts_the_one_output_losses_and_refuses_others():
    f = deep_linear((1, 2, 1), "[(1, 0.5)]", OUTPUT_LOSSES["squared"])
    assert f.loss == LOSSES["squared"]
    with pytest.raises(DataError, match="scalar loss"):
        deep_linear((1, 2, 1), "[(1, 0.5)]", OUTPUT_LOSSES["l2"])
    with pytest.raises(ShapeError, match="one output"):
        deep_linear((1, 2, 1), "[(1, [0.5, 1])]", "squared")


def test_float_derivatives_come_from_the_engine_and_match_the_symbolic_hessian():
    f = deep_linear((2, 2, 1, 1), "[([1, 0.5], 1), ([0, 2], -1)]", "logistic")
    point = _points(f, 1, seed=8)[0]
    gradient, hessian = f.float_derivatives([float(point[v]) for v in f.variables])
    want_g = [float(sp.N(g.xreplace(point), 30)) for g in f.gradient]
    want_h = [[float(sp.N(h.xreplace(point), 30)) for h in row] for row in f.hessian.tolist()]
    assert max(abs(a - b) for a, b in zip(gradient, want_g)) < 1e-12
    assert max(abs(hessian[i][j] - want_h[i][j]) for i in range(f.n) for j in range(f.n)) < 1e-12
    assert f.float_derivatives([1e300] * f.n) is None  # overflow: no numbers rather than wrong ones
