"""The structured engine equals SymPy's derivatives of the full expression, in every backend."""

from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnsmooth.errors import ShapeError
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.engine import BALL, EXACT, FLOAT64, NotRational
from dlnsmooth.numbers import ball_to_mpf, to_arb
from dlnsmooth.precision import working_precision

small = st.integers(-20, 20).map(lambda k: Fraction(k, 10))


@st.composite
def networks(draw, max_width=2, max_depth=4):
    depth = draw(st.integers(2, max_depth))
    widths = tuple([draw(st.integers(1, max_width)) for _ in range(depth)]) + (1,)
    loss = draw(st.sampled_from(["logistic", "squared", "exponential"]))
    n_obs = draw(st.integers(1, 3))
    pairs = []
    for _ in range(n_obs):
        x = [draw(small) for _ in range(widths[0])]
        y = draw(st.sampled_from([-1, 1])) if loss != "squared" else draw(small)
        pairs.append((x, y))
    objective = deep_linear(widths, Dataset.from_pairs(pairs), loss)
    point = [draw(small) for _ in range(objective.n)]
    return objective, point


def _symbolic(objective, point):
    """Gradient and Hessian by sympy.diff of the full expression, evaluated at 80 digits."""
    expr = objective.expr
    subs = {v: sp.Rational(p.numerator, p.denominator) for v, p in zip(objective.variables, point)}
    grad = [sp.diff(expr, v) for v in objective.variables]
    with mp.workdps(80):
        g = [mp.mpf(str(sp.N(e.xreplace(subs), 80))) for e in grad]
        H = [[mp.mpf(str(sp.N(sp.diff(gi, v).xreplace(subs), 80))) for v in objective.variables] for gi in grad]
    return g, H


def _close(ball, value):
    with mp.workdps(80):
        rel = mp.mpf(10) ** -45
        mid = ball_to_mpf(ball)
        return abs(mid - value) <= rel * (1 + abs(value))


@settings(max_examples=12)
@given(networks())
def test_engine_in_balls_equals_sympy_diff(case):
    objective, point = case
    g_sym, H_sym = _symbolic(objective, point)
    P = objective.n
    with working_precision(60):
        state = objective.state([to_arb(p) for p in point])
        grad = [e for B in state.gradient_blocks() for e in B.entries()]
        H = state.hessian().entries()
        assert all(_close(a, b) for a, b in zip(grad, g_sym))
        assert all(_close(H[i * P + j], H_sym[i][j]) for i in range(P) for j in range(P))
        with mp.workdps(80):
            grad_sq = mp.fsum(v * v for v in g_sym)
            frob_sq = mp.fsum(v * v for row in H_sym for v in row)
        assert _close(state.grad_norm_sq(), grad_sq)
        assert _close(state.hess_frobenius_sq(), frob_sq)  # Gram formulas, no P × P matrix
        # Hessian-vector product against H δ
        rng = np.random.default_rng(P)
        delta_flat = [Fraction(int(v), 7) for v in rng.integers(-9, 10, P)]
        blocks, k = [], 0
        for l in range(1, objective.depth + 1):
            n, m = objective.widths[l], objective.widths[l - 1]
            blocks.append(BALL.from_entries(n, m, delta_flat[k:k + n * m]))
            k += n * m
        hv = [e for B in state.hvp(blocks) for e in B.entries()]
        with mp.workdps(80):
            expected = [mp.fsum(H_sym[i][j] * mp.mpf(delta_flat[j].numerator) / delta_flat[j].denominator
                                for j in range(P)) for i in range(P)]
        assert all(_close(a, b) for a, b in zip(hv, expected))
        # a rigorous lower bound on the spectral norm, below the Frobenius norm
        bound = state.spectral_lower_bound(iterations=60)
        with mp.workdps(80):
            spectral = max(abs(e) for e in mp.eigsy(mp.matrix(H_sym))[0])
            assert ball_to_mpf(bound.value) <= spectral * (1 + mp.mpf(10) ** -40) + mp.mpf(10) ** -40
            assert spectral <= mp.sqrt(frob_sq) * (1 + mp.mpf(10) ** -40)


@settings(max_examples=12)
@given(networks(max_width=3))
def test_float64_backend_agrees_with_balls(case):
    objective, point = case
    s64 = objective.state([float(p) for p in point], FLOAT64)
    with working_precision(40):
        sb = objective.state([to_arb(p) for p in point])
        pairs = [(s64.grad_norm_sq(), sb.grad_norm_sq()), (s64.hess_frobenius_sq(), sb.hess_frobenius_sq())]
        H64, Hb = s64.hessian(), sb.hessian()
    for x, ball in pairs:
        ref = float(ball_to_mpf(ball))
        assert abs(x - ref) <= 1e-10 * (1 + abs(ref))
    assert np.allclose(H64, np.array([float(ball_to_mpf(e)) for e in Hb.entries()]).reshape(H64.shape),
                       rtol=1e-10, atol=1e-10)


def test_public_numeric_api_uses_the_engine_and_matches_the_symbolic_structure():
    f = deep_linear((2, 3, 2, 1), [([1, "0.5"], 1), (["-0.3", 2], -1)], "logistic")
    point = [sp.Rational(k - 6, 5) for k in range(f.n)]
    subs = dict(zip(f.variables, point))
    with mp.workdps(60):
        grad = f.grad(point, 50)
        hess = f.hess(point, 50)
        for a, e in zip(grad, f.gradient):
            assert abs(a - mp.mpf(str(sp.N(e.xreplace(subs), 60)))) < mp.mpf(10) ** -45
        for i in range(f.n):
            for j in range(f.n):
                assert abs(hess[i][j] - mp.mpf(str(sp.N(f.hessian[i, j].xreplace(subs), 60)))) < mp.mpf(10) ** -45
        value = f.value(point, 50)
        assert abs(value - mp.mpf(str(sp.N(f.expr.xreplace(subs), 60)))) < mp.mpf(10) ** -45
        outputs = f.outputs(point, 50)
        assert len(outputs) == 2


def test_exact_backend_where_the_outputs_vanish_and_refuses_elsewhere():
    f = deep_linear((2, 2, 2, 1), [([1, 2], 1), ([3, -1], -1)], "logistic")
    point = [0, 0, 0, 0] + [Fraction(1, 2), 3, -2, Fraction(5, 3)] + [7, -1]  # W1 = 0: every output is 0
    state = f.state(point, EXACT)
    assert state.outputs == [0, 0]
    subs = {v: sp.Rational(p.numerator, p.denominator) if isinstance(p, Fraction) else sp.Integer(p)
            for v, p in zip(f.variables, point)}
    grad = [e for B in state.gradient_blocks() for e in B.entries()]
    assert [sp.Rational(int(g.p), int(g.q)) for g in grad] == [sp.nsimplify(e.xreplace(subs)) for e in f.gradient]
    H = state.hessian().entries()
    exact_H = [sp.nsimplify(sp.simplify(e.xreplace(subs))) for e in f.hessian]
    assert [sp.Rational(int(h.p), int(h.q)) for h in H] == exact_H
    frob = state.hess_frobenius_sq()
    assert sp.Rational(int(frob.p), int(frob.q)) == sum(h**2 for h in exact_H)
    with pytest.raises(NotRational, match="not rational"):
        _ = f.state([1] * f.n, EXACT).d1


def test_engine_at_ten_thousand_weights():
    f = deep_linear((64,) + (36,) * 7 + (1,), Dataset.random(64, 64, 0), "logistic")
    assert f.n == 10116
    rng = np.random.default_rng(3)
    point = [Fraction(int(v), 600) for v in rng.integers(-100, 100, f.n)]
    s64 = f.state([float(p) for p in point], FLOAT64)
    with working_precision(50):
        sb = f.state([to_arb(p) for p in point])
        frob_sq = sb.hess_frobenius_sq()
        lower = sb.spectral_lower_bound(iterations=30).value
        assert frob_sq.rel_accuracy_bits() > 120  # ≥ 36 guaranteed digits at 50-digit working precision
        assert lower.mid() <= frob_sq.sqrt().mid()
    assert abs(s64.hess_frobenius_sq() / float(ball_to_mpf(frob_sq)) - 1) < 1e-9


def test_engine_shape_errors_are_clear():
    f = deep_linear((2, 2, 1), [([1, 1], 1)], "squared")
    with pytest.raises(ShapeError, match="expected 6"):
        f.state([1, 2, 3])
    state = f.state([1] * 6)
    with pytest.raises(ShapeError, match="blocks"):
        state.hvp([BALL.zeros(2, 2)])
    with pytest.raises(ShapeError, match="does not exist"):
        state.hessian_block(0, 3)
    with pytest.raises(ShapeError):
        f.grad([1, 2], 30)
    assert isinstance(state.value(), arb)
