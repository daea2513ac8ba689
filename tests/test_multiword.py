"""Multi-word fixed-point arrays (:mod:`dlnsmooth.networks.multiword`) enclose the exact results.

* Containment, checked exactly: every entry's midpoint is rebuilt as a Fraction from its limbs and
  exponent, its radius read as the Fraction of the float64, and |exact − mid| ≤ rad is asserted
  against the same operations done in exact rational arithmetic (Hypothesis draws shapes, limb
  counts and rationals: zeros, integers, 150-bit dyadics, non-dyadics, magnitudes 2^−200 … 2^200).
* Negative controls: the check catches a tail bound, a skipped-products bound or a magnitude
  bound replaced by zero.
* The range: numbers beyond it raise :class:`MultiwordRange`, moderate ones work.
* The multi-word backend of the feed-forward engine agrees with the ball backend (overlapping
  balls, at least 40 digits), and the ball backend routes ‖∇²f‖_F² through it as documented.
* Operands of unequal dimension broadcast as in numpy; input radii below the float64 range are kept.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

import dlnsmooth.networks.multiword as mw
from dlnsmooth.balls import guaranteed_digits
from dlnsmooth.networks import ffengine
from dlnsmooth.networks.activations import get_activation
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.engine import BALL
from dlnsmooth.networks.feedforward import feedforward
from dlnsmooth.networks.ffengine import FeedforwardState
from dlnsmooth.networks.losses import get_output_loss
from dlnsmooth.networks.multiword import BETA, MULTIWORD, MultiwordArray, MultiwordRange, concatenate
from dlnsmooth.errors import ThreadCountError
from dlnsmooth.parallel import THREADS_VARIABLE
from dlnsmooth.precision import working_precision

LIMB_COUNTS = (2, 3, 5, 11)


def _fewer(k: int):
    """k examples under the ci profile (25), proportionally more under dev/thorough."""
    return settings(max_examples=max(k, settings.default.max_examples * k // 25))


# -- the exact containment check ----------------------------------------------------------------------
def _entries(A: MultiwordArray) -> list[tuple[Fraction, Fraction]]:
    """(midpoint, radius) of every entry, row-major, read exactly from the limbs, e and rad."""
    S = A.S
    limbs = A.limbs.reshape(S, -1)
    assert np.all(np.isfinite(limbs)) and np.all(limbs == np.floor(limbs)), "limbs must hold integers"
    assert np.all(np.abs(limbs) <= 2 ** (BETA - 1)), "limbs must be balanced, |x_s| ≤ 2^(β−1)"
    rads = A.rad.reshape(-1)
    assert rads.shape[0] == limbs.shape[1], (A.rad.shape, A.limbs.shape)
    assert np.all(np.isfinite(rads)) and np.all(rads >= 0), "radii must be finite and nonnegative"
    scale = Fraction(2) ** (BETA * (A.e - S + 1))
    out = []
    for j in range(limbs.shape[1]):
        integer = 0
        for s in range(S):
            integer = (integer << BETA) + int(limbs[s, j])
        out.append((integer * scale, Fraction(float(rads[j]))))
    return out


def _assert_contains(A: MultiwordArray, exact) -> None:
    """|exact − mid| ≤ rad for every entry (exact: a numpy object array of Fractions of A's shape)."""
    exact = np.asarray(exact, dtype=object)
    assert tuple(A.shape) == exact.shape, (A.shape, exact.shape)
    for j, ((mid, rad), value) in enumerate(zip(_entries(A), exact.reshape(-1))):
        assert abs(Fraction(value) - mid) <= rad, \
            f"entry {j}: exact {float(value)!r} outside mid {float(mid)!r} ± rad {float(rad)!r} (S={A.S}, e={A.e})"


def _contains(A: MultiwordArray, exact) -> bool:
    try:
        _assert_contains(A, exact)
    except AssertionError:
        return False
    return True


def _dyadic(x: arb) -> Fraction:
    """The exact value of an exact ball (a midpoint or a radius)."""
    man, exp = x.man_exp()
    return Fraction(int(man)) * Fraction(2) ** int(exp)


def _endpoints(ball: arb) -> tuple[Fraction, Fraction]:
    """mid − rad and mid + rad, exactly."""
    mid, rad = _dyadic(ball.mid()), _dyadic(ball.rad())
    return mid - rad, mid + rad


def _ball_holds(ball: arb, value: Fraction) -> bool:
    low, high = _endpoints(ball)
    return low <= value <= high


def _mw(values, S: int) -> MultiwordArray:
    """A multi-word array of exact rationals (a numpy object array of Fractions)."""
    values = np.asarray(values, dtype=object)
    return MultiwordArray.from_balls([fmpq(v.numerator, v.denominator) for v in values.reshape(-1)], values.shape, S)


def _exact(values, shape) -> np.ndarray:
    return np.array(values, dtype=object).reshape(shape)


# -- rationals: zeros, integers, 150-bit dyadics, non-dyadics, magnitudes 2^−200 … 2^200 ---------------
_ODD_DENOMINATORS = (3, 7, 10, 999983, 2 ** 61 - 1)
_SPECIAL = (Fraction(1, 3), Fraction(-1, 3), Fraction(2) ** 200, -Fraction(2) ** -200, Fraction(1), Fraction(-1))


def _specials(lo: int, hi: int) -> list[Fraction]:
    return [v for v in _SPECIAL if Fraction(2) ** lo <= abs(v) <= Fraction(2) ** hi]


def rationals(lo: int = -200, hi: int = 200):
    """One exact rational, zero or of magnitude in [2^lo, 2^hi]: integers, dyadics with 150 or at most 20
    significant bits, non-dyadics p/q·2^j (shrinks towards 0)."""
    sign = st.sampled_from([1, -1])
    return st.one_of(
        st.just(Fraction(0)),
        st.integers(-10 ** 6, 10 ** 6).map(Fraction),
        st.builds(lambda s, m, j: s * m * Fraction(2) ** j, sign, st.integers(2 ** 149, 2 ** 150 - 1),
                  st.integers(lo - 149, hi - 150)),
        st.builds(lambda s, m, j: s * m * Fraction(2) ** j, sign, st.integers(1, 2 ** 20), st.integers(lo, hi - 20)),
        st.builds(lambda s, p, q, j: s * Fraction(p, q) * Fraction(2) ** j, sign, st.integers(1, 1000),
                  st.sampled_from(_ODD_DENOMINATORS), st.integers(lo + 61, hi - 10)),
        st.sampled_from(_specials(lo, hi)),
    )


def _random_rational(rnd: random.Random, lo: int = -200, hi: int = 200) -> Fraction:
    """The families of :func:`rationals` from a seeded generator (for arrays too large to draw entry by entry)."""
    kind = rnd.randrange(6)
    s = rnd.choice([1, -1])
    if kind == 0:
        return Fraction(0)
    if kind == 1:
        return Fraction(rnd.randint(-10 ** 6, 10 ** 6))
    if kind == 2:
        return s * rnd.randint(2 ** 149, 2 ** 150 - 1) * Fraction(2) ** rnd.randint(lo - 149, hi - 150)
    if kind == 3:
        return s * rnd.randint(1, 2 ** 20) * Fraction(2) ** rnd.randint(lo, hi - 20)
    if kind == 4:
        p, q = rnd.randint(1, 1000), rnd.choice(_ODD_DENOMINATORS)
        return s * Fraction(p, q) * Fraction(2) ** rnd.randint(lo + 61, hi - 10)
    return rnd.choice(_specials(lo, hi))


@st.composite
def arrays(draw, shape, lo: int = -200, hi: int = 200):
    """A numpy object array of rationals of this shape (:func:`rationals`): drawn entry by entry when
    small, else from a drawn seed."""
    size = int(np.prod(shape))
    if size <= 24:
        return _exact(draw(st.lists(rationals(lo, hi), min_size=size, max_size=size)), shape)
    rnd = draw(st.randoms(use_true_random=False))
    return _exact([_random_rational(rnd, lo, hi) for _ in range(size)], shape)


limb_counts = st.sampled_from(LIMB_COUNTS)


# -- containment of every operation ------------------------------------------------------------------------
@_fewer(25)
@given(st.data())
def test_from_balls_of_rationals_contains_them(data):
    """from_balls rounds each rational to the last limb and keeps it inside the radius."""
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    S = data.draw(limb_counts)
    values = data.draw(arrays(shape))
    A = _mw(values, S)
    _assert_contains(A, values)
    assert A.is_exact_zero() == all(v == 0 for v in values.reshape(-1))
    balls = A.balls()
    assert len(balls) == values.size
    for ball, value, (mid, _), bound in zip(balls, values.reshape(-1), _entries(A), A.magnitude().reshape(-1)):
        assert _ball_holds(ball, value), (ball, value)
        assert Fraction(float(bound)) >= abs(mid)


@_fewer(40)
@given(st.data())
def test_matmul_contains_the_exact_product(data):
    """A @ B for inner dimensions 1 … 300: single-chunk and chunked paths for every S."""
    S = data.draw(limb_counts, label="S")
    n = data.draw(st.integers(1, 3), label="n")
    m = data.draw(st.integers(1, 3), label="m")
    # chunks hold 1024 // (S + 1) − 1 terms: 340 (S = 2), 255, 169, 84 (S = 11); k around those edges
    k = data.draw(st.one_of(st.integers(1, 8), st.sampled_from([83, 84, 85, 168, 169, 170, 254, 255, 256, 300]),
                            st.integers(80, 300)), label="k")
    A = data.draw(arrays((n, k)))
    B = data.draw(arrays((k, m)))
    S_b = data.draw(st.sampled_from([S, LIMB_COUNTS[0]]), label="S of B")
    _assert_contains(_mw(A, S) @ _mw(B, S_b), A @ B)


@pytest.mark.parametrize("S", LIMB_COUNTS)
def test_matmul_with_many_chunks(S):
    """An inner dimension of 3000 (from 9 chunks at S = 2 to 36 at S = 11) of 150-bit dyadics of one sign
    (the largest limb sums) and of mixed rationals."""
    rnd = random.Random(S)
    k = 3000
    big = [rnd.randint(2 ** 149, 2 ** 150 - 1) * Fraction(2) ** -140 for _ in range(2 * k)]
    A, B = _exact(big[:k], (1, k)), _exact(big[k:], (k, 1))
    _assert_contains(_mw(A, S) @ _mw(B, S), A @ B)
    A = _exact([_random_rational(rnd) for _ in range(2 * k)], (2, k))
    B = _exact([_random_rational(rnd) for _ in range(k)], (k, 1))
    _assert_contains(_mw(A, S) @ _mw(B, S), A @ B)


#: shapes that broadcast, of equal and of unequal dimension
_BROADCAST_PAIRS = [((3, 1, 4), (1, 5, 4)), ((2, 3), (2, 3)), ((4, 1), (1, 3)), ((1,), (5,)), ((2, 1, 3), (1, 1, 3)),
                    ((1, 1), (3, 2)), ((2, 2), (2,)), ((3,), (2, 1, 3)), ((4, 1), (3,))]


@_fewer(30)
@given(st.data())
def test_elementwise_product_contains_the_exact_product(data):
    """A * B with numpy broadcasting, limb counts equal or not."""
    shape_a, shape_b = data.draw(st.sampled_from(_BROADCAST_PAIRS), label="shapes")
    S_a, S_b = data.draw(limb_counts, label="S_a"), data.draw(limb_counts, label="S_b")
    A, B = data.draw(arrays(shape_a)), data.draw(arrays(shape_b))
    _assert_contains(_mw(A, S_a) * _mw(B, S_b), A * B)
    _assert_contains(_mw(B, S_b) * _mw(A, S_a), B * A)


@_fewer(30)
@given(st.data())
def test_sum_and_difference_contain_the_exact_ones(data):
    """A + B, A − B and −A for arrays of very different exponents (B scaled by 2^shift)."""
    shape_a, shape_b = data.draw(st.sampled_from(_BROADCAST_PAIRS), label="shapes")
    S_a, S_b = data.draw(limb_counts, label="S_a"), data.draw(limb_counts, label="S_b")
    shift = data.draw(st.sampled_from([0, 1, 22, 44, 100, 250, -250]), label="shift")
    A = data.draw(arrays(shape_a))
    B = data.draw(arrays(shape_b)) * (Fraction(2) ** shift)
    a, b = _mw(A, S_a), _mw(B, S_b)
    _assert_contains(a + b, A + B)
    _assert_contains(a - b, A - B)
    _assert_contains(b - a, B - A)
    _assert_contains(-a, -A)


@_fewer(25)
@given(st.data())
def test_axis_sums_and_concatenation_contain_the_exact_ones(data):
    """.sum(axis) along every axis, .total() and concatenate along every axis."""
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple), label="shape")
    S = data.draw(limb_counts, label="S")
    values = data.draw(arrays(shape))
    A = _mw(values, S)
    for axis in range(len(shape)):
        _assert_contains(A.sum(axis), values.sum(axis=axis))
    assert _ball_holds(A.total(), sum(values.reshape(-1)))
    axis = data.draw(st.integers(0, len(shape) - 1), label="axis")
    other_shape = shape[:axis] + (data.draw(st.integers(1, 3)),) + shape[axis + 1:]
    others = data.draw(arrays(other_shape)) * (Fraction(2) ** data.draw(st.sampled_from([0, 60, -60, 300])))
    S_other = data.draw(limb_counts, label="S of the other")
    joined = concatenate([A, _mw(others, S_other), A], axis)
    _assert_contains(joined, np.concatenate([values, others, values], axis=axis))


@_fewer(25)
@given(st.data())
def test_chains_of_operations_contain_the_exact_result(data):
    """(A @ B) * C + D, then a transposed, indexed, reshaped and summed continuation."""
    S = data.draw(limb_counts, label="S")
    n, k, m = (data.draw(st.integers(1, 4), label=name) for name in "nkm")
    # magnitudes 2^−60 … 2^60: the continuation multiplies up to six factors, all within the range
    A, B = data.draw(arrays((n, k), -60, 60)), data.draw(arrays((k, m), -60, 60))
    C, D = data.draw(arrays((1, m), -60, 60)), data.draw(arrays((n, 1), -60, 60))
    exact = (A @ B) * C + D
    result = (_mw(A, S) @ _mw(B, S)) * _mw(C, S) + _mw(D, S)
    _assert_contains(result, exact)
    for (mid, _), bound in zip(_entries(result), result.magnitude().reshape(-1)):
        assert Fraction(float(bound)) >= abs(mid)
    exact2 = (exact.T @ exact - exact.T[:, None, :].reshape(m, n) @ A[:, :1] * C.T).sum(1)
    a, c = _mw(A, S), _mw(C, S)
    result2 = (result.T @ result - result.T[:, None, :].reshape(m, n) @ a[:, :1] * c.T).sum(1)
    _assert_contains(result2, exact2)


def test_broadcasting_across_dimensions():
    """numpy broadcasts (2, 2) against (2,) by prepending an axis; so must the limbs (S, 2, 2) and (S, 2)
    (the limb axis of B must not meet the rows of A)."""
    A, B = _exact([Fraction(1)] * 4, (2, 2)), _exact([Fraction(1), Fraction(2)], (2,))
    _assert_contains(_mw(A, 2) * _mw(B, 2), A * B)


# -- balls with radii as inputs ------------------------------------------------------------------------------
@st.composite
def balls(draw, lo: int = -200, hi: int = 200):
    """A python-flint ball: a rational midpoint (rounded to 300 bits) and a radius that is zero, absolute
    (2^−250 … 1) or relative (2^−150 … 2^−1 of the midpoint)."""
    mid = draw(rationals(lo, hi))
    kind = draw(st.sampled_from(["exact", "absolute", "relative"]))
    shift = draw(st.integers(1, 250) if kind == "absolute" else st.integers(1, 150))
    with working_precision(90):
        center = arb(fmpq(mid.numerator, mid.denominator))
        if kind == "absolute":
            return arb(center, arb(2) ** -shift)
        if kind == "relative":
            return arb(center, abs(center) * arb(2) ** -shift)
        return center


@st.composite
def ball_arrays(draw, shape, lo: int = -200, hi: int = 200):
    """(balls, the exact values of one corner of the input box, the other corner, a drawn mixed corner)."""
    size = int(np.prod(shape))
    values = draw(st.lists(balls(lo, hi), min_size=size, max_size=size))
    ends = [_endpoints(v) for v in values]
    choice = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    corners = [_exact([e[0] for e in ends], shape), _exact([e[1] for e in ends], shape),
               _exact([e[int(c)] for e, c in zip(ends, choice)], shape)]
    return values, corners


@_fewer(25)
@given(st.data())
def test_from_balls_contains_every_point_of_the_input_balls(data):
    """Both endpoints mid ± rad of every input ball lie inside the result (and so the whole ball)."""
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=2).map(tuple), label="shape")
    S = data.draw(limb_counts, label="S")
    values, corners = data.draw(ball_arrays(shape))
    A = MultiwordArray.from_balls(values, shape, S)
    for corner in corners:
        _assert_contains(A, corner)


@_fewer(25)
@given(st.data())
def test_products_and_sums_of_balls_contain_every_corner(data):
    """A @ B, A * B and A + B with inputs that are balls: the exact results at the corners of the
    input boxes (all lower ends, all upper ends, a mixed choice) lie inside."""
    S = data.draw(limb_counts, label="S")
    n, k, m = (data.draw(st.integers(1, 3), label=name) for name in "nkm")
    a_values, a_corners = data.draw(ball_arrays((n, k)))
    b_values, b_corners = data.draw(ball_arrays((k, m)))
    c_values, c_corners = data.draw(ball_arrays((n, m)))
    A = MultiwordArray.from_balls(a_values, (n, k), S)
    B = MultiwordArray.from_balls(b_values, (k, m), S)
    C = MultiwordArray.from_balls(c_values, (n, m), S)
    product, elementwise, total = A @ B, (A @ B) * C, A @ B + C
    for a, b, c in zip(a_corners, b_corners, c_corners):
        _assert_contains(product, a @ b)
        _assert_contains(elementwise, (a @ b) * c)
        _assert_contains(total, a @ b + c)


def test_from_balls_keeps_radii_below_the_float64_range():
    """arb(1, 2^−1100): the midpoint is exact in the limbs, the radius underflows float64 (in range:
    the last limb stays above 2^−990)."""
    ball = arb(1, arb(2) ** -1100)
    low, high = _endpoints(ball)
    A = MultiwordArray.from_balls([ball], (1,), 2)
    _assert_contains(A, _exact([high], (1,)))
    _assert_contains(A, _exact([low], (1,)))


# -- negative controls: the check catches each bound replaced by zero ---------------------------------------
def test_check_catches_a_zero_tail_bound(monkeypatch):
    """_tail_bound → 0: the limbs of a 150-bit number aligned below a far larger one (a sum, a
    concatenation) and the truncation of a product at S = 2 (no skipped products there) escape."""
    big = Fraction(2) ** 100
    fine = Fraction(2 ** 150 - 12345, 2 ** 149)
    x = Fraction(2 ** 41 + 2 ** 21 + 12345)  # exact in two limbs (below 2^42); its square needs four

    def cases():
        B, F = _mw(_exact([big], (1,)), 3), _mw(_exact([fine], (1,)), 3)
        X = _mw(_exact([x], (1,)), 2)
        assert not np.any(X.rad)
        return [(B + F, _exact([big + fine], (1,))), (F - B, _exact([fine - big], (1,))),
                (concatenate([B, F]), _exact([big, fine], (2,))), (X * X, _exact([x * x], (1,)))]

    assert all(_contains(A, exact) for A, exact in cases())
    monkeypatch.setattr(mw, "_tail_bound", lambda limbs, top_exponent: 0.0)
    assert not any(_contains(A, exact) for A, exact in cases())


def test_check_catches_zero_skipped_products(monkeypatch):
    """_skipped_pairs → 0: at S = 3 the products of the last limbs (s = t = 2) are never formed; with
    those limbs 2^21 − 1 over an inner dimension of 16 their sum, 16·(2^21 − 1)² at weight 2^(β(e − 4)),
    is 8 times the largest dropped limb."""
    x = 255 * 2 ** 44 + (2 ** 21 - 1) * 2 ** 22 + (2 ** 21 - 1)
    k = 16
    row, column = _exact([Fraction(x)] * k, (1, k)), _exact([Fraction(x)] * k, (k, 1))
    A, B = _mw(row, 3), _mw(column, 3)
    assert A.limbs[:, 0, 0].tolist() == [255, 2 ** 21 - 1, 2 ** 21 - 1] and not np.any(A.rad)
    assert _contains(A @ B, row @ column)
    monkeypatch.setattr(mw, "_skipped_pairs", lambda S, k, e: 0.0)
    assert not _contains(A @ B, row @ column)


def test_check_catches_a_zero_magnitude(monkeypatch):
    """magnitude → 0: the radius of a product of balls loses |A|·rad(B) + rad(A)·|B|; the corner
    (3 + 2^−30)(5 + 2^−30) escapes."""
    a, b = arb(3, arb(2) ** -30), arb(5, arb(2) ** -30)
    (a_low, a_high), (b_low, b_high) = _endpoints(a), _endpoints(b)
    corners = [(x, y) for x in (a_low, a_high) for y in (b_low, b_high)]

    def results():
        A, B = MultiwordArray.from_balls([a], (1, 1), 3), MultiwordArray.from_balls([b], (1, 1), 3)
        return A * B, A @ B

    for product in results():
        assert all(_contains(product, _exact([x * y], (1, 1))) for x, y in corners)
    monkeypatch.setattr(MultiwordArray, "magnitude", lambda self: np.zeros(self.shape))
    for product in results():
        assert not _contains(product, _exact([a_high * b_high], (1, 1)))


# -- the range -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("S", LIMB_COUNTS)
def test_numbers_out_of_range_raise(S):
    """2^±1000 cannot be represented; 2^500 can, its square (2^1000) cannot; 2^±300 and their squares can."""
    for value in (Fraction(2) ** 1000, -Fraction(2) ** 1000, Fraction(2) ** -1000, Fraction(2) ** 1000 / 3):
        with pytest.raises(MultiwordRange):
            _mw(_exact([value], (1, 1)), S)
    large = _exact([Fraction(2) ** 500, Fraction(1, 3)], (1, 2))
    A = _mw(large, S)
    _assert_contains(A, large)
    with pytest.raises(MultiwordRange):
        A * A
    with pytest.raises(MultiwordRange):
        A @ A.T
    for value in (Fraction(2) ** 300, -Fraction(2) ** -300, Fraction(2) ** 300 / 3, Fraction(3, 2 ** 300)):
        exact = _exact([value, Fraction(1)], (1, 2))
        A = _mw(exact, S)
        _assert_contains(A, exact)
        _assert_contains(A * A, exact * exact)
        _assert_contains(A @ A.T, exact @ exact.T)


# -- the feed-forward engine: MULTIWORD against BALL --------------------------------------------------------
def _random_point(architecture, seed: int) -> list[Fraction]:
    """Exact two-decimal rationals in [−1, 1], one per parameter (flattening order)."""
    rng = random.Random(seed)
    return [Fraction(rng.randint(-100, 100), 100) for _ in range(architecture.size)]


def _network(widths, activation, loss, *, bias, n_obs=3, seed=0):
    """benchmarks/_common.py::feedforward_network: random observations (labels suited to the loss) and a
    random exact point."""
    output_loss = get_output_loss(loss)
    data = Dataset.random(n_obs, widths[0], seed, output_loss.labels, outputs=widths[-1])
    objective = feedforward(widths, activation, data, output_loss, bias=bias)
    return objective, _random_point(objective.architecture, seed + 1)


_ACTIVATIONS = ("tanh", "sigmoid", "softplus", "sin", "gelu", "identity", "quadratic")
_LOSSES = {"squared": 2, "l2": 1, "cross-entropy": 3, "logistic": 1, "exponential": 1}
_ENGINE_CASES = [(activation, loss, i % 2 == 0, (2, 3, _LOSSES[loss]) if i % 3 else (2, 2, 2, _LOSSES[loss]))
                 for i, (activation, loss) in enumerate((a, b) for a in _ACTIVATIONS for b in _LOSSES)]
_ENGINE_CASES += [("tanh", "cross-entropy", False, (3, 2, 2)), ("gelu", "squared", True, (2, 3, 3, 1))]


def _agree(ball: arb, multi: arb, what: str) -> None:
    assert isinstance(multi, arb), (what, multi)
    assert ball.overlaps(multi), f"{what}: ball {ball} and multi-word {multi} are disjoint"
    if not ball.contains(0):
        assert guaranteed_digits(multi) >= 40, f"{what}: {multi} has {guaranteed_digits(multi)} digits (ball {ball})"


@pytest.mark.parametrize(("activation", "loss", "bias", "widths"), _ENGINE_CASES)
def test_engine_multiword_agrees_with_balls(activation, loss, bias, widths):
    """value, gradient, ‖∇f‖², ∇²f·δ and the Frobenius formulas: overlapping balls, ≥ 40 digits at 50 dps."""
    objective, point = _network(widths, activation, loss, bias=bias)
    direction = _random_point(objective.architecture, 7)
    with working_precision(50):
        ball, multi = objective.state(point, BALL), objective.state(point, MULTIWORD)
        assert multi.algebra.kind == "multiword"
        pairs = [("‖∇²f‖_F²", ball._frobenius_sq_formulas(), multi._frobenius_sq_formulas()),
                 ("‖∇f‖²", ball.grad_norm_sq(), multi.grad_norm_sq()),
                 ("f", ball.value(), multi.value())]
        pairs += [(f"∂f/∂θ{j}", b, m) for j, (b, m) in enumerate(zip(ball.gradient(), multi.gradient(), strict=True))]
        pairs += [(f"(∇²f δ){j}", b, m)
                  for j, (b, m) in enumerate(zip(ball.hvp(direction), multi.hvp(direction), strict=True))]
        for what, b, m in pairs:
            _agree(b, m, what)


# -- the router: ball states through the multi-word formulas --------------------------------------------------
@pytest.fixture
def spy(monkeypatch):
    """Records every call of FeedforwardState._multiword_frobenius_sq with its result."""
    calls = []
    original = FeedforwardState._multiword_frobenius_sq

    def recorded(self):
        value = original(self)
        calls.append(value)
        return value

    monkeypatch.setattr(FeedforwardState, "_multiword_frobenius_sq", recorded)
    return calls


def _same(x: arb, y: arb) -> bool:
    return x.mid().man_exp() == y.mid().man_exp() and x.rad().man_exp() == y.rad().man_exp()


def _router_case():
    objective, point = _network((2, 3, 2), "tanh", "squared", bias=True, n_obs=4, seed=3)
    return objective, point, objective.architecture.size


def test_router_sends_ball_states_through_multiword(monkeypatch, spy):
    """At or above the threshold, with distinct observations, ‖∇²f‖_F² comes from the multi-word state
    and overlaps the ball formulas."""
    objective, point, _ = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    with working_precision(50):
        state = objective.state(point, BALL)
        assert len(state._groups[0]) == state.N
        value = state.hess_frobenius_sq()
        expected = state._frobenius_sq_formulas()
    assert len(spy) == 1 and spy[0] is value
    assert value.overlaps(expected) and guaranteed_digits(value) >= 40


@pytest.mark.parametrize("failure", ["range in from_balls", "range in the formulas", "too wide"])
def test_router_falls_back_to_the_ball_formulas(monkeypatch, spy, failure):
    """MultiwordRange (from the conversion or the formulas) or a too-wide result: the ball formulas answer."""
    objective, point, _ = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    original = FeedforwardState._frobenius_sq_formulas

    def out_of_range(*args, **kwargs):
        raise MultiwordRange("forced")

    def formulas(self):
        if self.algebra.kind != "multiword":
            return original(self)
        if failure == "too wide":
            return arb(1, 1)
        raise MultiwordRange("forced")

    if failure == "range in from_balls":
        monkeypatch.setattr(MultiwordArray, "from_balls", out_of_range)
    else:
        monkeypatch.setattr(FeedforwardState, "_frobenius_sq_formulas", formulas)
    with working_precision(50):
        value = objective.state(point, BALL).hess_frobenius_sq()
        expected = objective.state(point, BALL)._frobenius_sq_formulas()
    assert spy == [None]
    assert _same(value, expected)


def test_router_skips_small_networks_and_repeated_observations(monkeypatch, spy):
    """Below the thresholds (P + 1 parameters, or N + 1 observations), or with two equal observations,
    the multi-word route is not taken."""
    objective, point, P = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", P + 1)
    with working_precision(50):
        state = objective.state(point, BALL)
        assert _same(state.hess_frobenius_sq(), state._frobenius_sq_formulas())
    assert spy == []
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    with working_precision(50):
        state = objective.state(point, BALL)
        monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", state.N + 1)
        assert _same(state.hess_frobenius_sq(), state._frobenius_sq_formulas())
    assert spy == []
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    pairs = [([Fraction(1, 2), Fraction(-3, 4)], [Fraction(1), Fraction(0)])] * 2 + \
        [([Fraction(1), Fraction(2)], [Fraction(0), Fraction(1)])]
    repeated = feedforward((2, 3, 2), "quadratic", pairs, "squared")
    dyadic = [Fraction(j % 5 - 2, 4) for j in range(P)]  # exact balls throughout: equal ones group
    with working_precision(50):
        state = repeated.state(dyadic, BALL)
        assert len(state._groups[0]) < state.N
        assert _same(state.hess_frobenius_sq(), state._frobenius_sq_formulas())
    assert spy == []


def test_router_retries_with_three_more_limbs(monkeypatch, spy):
    """A first multi-word try short of digits (forced to 3 limbs) is followed by one with three more limbs
    of precision, whose result is returned."""
    objective, point, _ = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    asked = []

    def limbs(bits):
        asked.append(bits)
        return 3 if len(asked) == 1 else mw.limbs_for_bits(bits)

    monkeypatch.setattr(ffengine, "limbs_for_bits", limbs)
    with working_precision(50):
        state = objective.state(point, BALL)
        value = state.hess_frobenius_sq()
        expected = state._frobenius_sq_formulas()
    assert len(asked) == 2 and asked[1] == asked[0] + 3 * BETA
    assert len(spy) == 1 and spy[0] is value
    assert value.overlaps(expected) and guaranteed_digits(value) >= 45


def test_route_is_chosen_on_the_float_shadow(monkeypatch):
    """The route compares observations on the float shadow (no ball forward pass); repeated observations
    are seen there too; a point beyond float64 has no shadow and is compared exactly."""
    objective, point, _ = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    with working_precision(50):
        state = objective.state(point, BALL)
        assert state._multiword_route
        assert "_forward" not in state.__dict__ and "_groups" not in state.__dict__  # no ball arithmetic
        pairs = [([Fraction(1, 2), Fraction(-3, 4)], [Fraction(1), Fraction(0)])] * 2 + \
            [([Fraction(1), Fraction(2)], [Fraction(0), Fraction(1)])]
        repeated = feedforward((2, 3, 2), "tanh", pairs, "squared").state(point, BALL)
        assert not repeated._multiword_route and "_groups" not in repeated.__dict__
        huge = [Fraction(10) ** 400] + list(point[1:])
        beyond = objective.state(huge, BALL)
        assert beyond._float_shadow is None
        assert beyond._multiword_route == (len(beyond._groups[0]) == beyond.N)
        assert "_groups" in beyond.__dict__


def test_spectral_bound_takes_its_last_product_from_the_multiword_state(monkeypatch):
    """On the route, ‖∇²f δ‖ comes from the multi-word state (the one the Frobenius norm used) and
    overlaps the ball product's; a MultiwordRange there falls back to the ball product; off the
    route no multi-word state is made."""
    objective, point, P = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    calls = []
    original = FeedforwardState.hvp

    def hvp(self, delta):
        calls.append(self.algebra.kind)
        return original(self, delta)

    monkeypatch.setattr(FeedforwardState, "hvp", hvp)
    with working_precision(50):
        state = objective.state(point, BALL)
        state.hess_frobenius_sq()
        twin = state._multiword_twin()
        routed = state.spectral_lower_bound(iterations=20)
        assert state._multiword_twin() is twin and calls[-1] == "multiword"
        assert guaranteed_digits(routed.value) >= 40

        def fails(self, delta):
            calls.append(self.algebra.kind)
            if self.algebra.kind == "multiword":
                raise MultiwordRange("forced")
            return original(self, delta)

        monkeypatch.setattr(FeedforwardState, "hvp", fails)
        fallback = objective.state(point, BALL).spectral_lower_bound(iterations=20)
        assert calls[-2:] == ["multiword", "ball"]
        assert routed.value.overlaps(fallback.value)
        monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", P + 1)
        off = objective.state(point, BALL)
        off.spectral_lower_bound(iterations=20)
        assert calls[-1] == "ball" and off._multiword_twins == {}


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_activation_derivatives_from_the_value_match_the_balls(name, monkeypatch):
    """tanh and sigmoid in the multi-word backend: σ converted, σ′ and σ″ computed from it in multi-word
    arithmetic; they overlap python-flint's balls to ≥ 45 digits. Negative control: a wrong relation
    (σ′ = 1 − σ) is caught by the same comparison."""
    activation = get_activation(name)
    values = [fmpq(2 * j - 15, 6) for j in range(15)]  # no zero (σ(0) = σ″(0) = 0 has no relative digits)
    objective, point = _network((2, 3, 1), name, "squared", bias=True)
    with working_precision(50):
        algebra = objective.state(point, MULTIWORD).algebra
        Z = MultiwordArray.from_balls(values, (3, 5), algebra.S)

        def mismatches(triple):
            expected = [activation.ball(arb(v)) for v in values]
            return [(j, i) for j in range(3) for i, b in enumerate(triple[j].balls())
                    if not b.overlaps(expected[i][j]) or guaranteed_digits(b) < 45]

        assert mismatches(algebra.activation(activation, Z)) == []
        wrong = dataclasses.replace(activation, from_value=lambda s, const: (const(1) - s, const(0) * s))
        assert mismatches(algebra.activation(wrong, Z))


@pytest.mark.parametrize("k, n, S", [(256, 64, 11), (90, 7, 5), (3, 1, 3), (5, 2, 2)])
def test_gram_is_the_product_with_the_transpose(k, n, S):
    """A.gram() (the blocks below the diagonal mirrored, not formed) equals A.T @ A limb for limb, with
    the same exponent and radii, for inner dimensions in one chunk and in several."""
    rng = np.random.default_rng(k + n)
    limbs = rng.integers(-2 ** (BETA - 1), 2 ** (BETA - 1) + 1, (S, k, n)).astype(float)
    A = MultiwordArray(limbs, 1, rng.random((k, n)) * 2.0 ** -200)
    G, P = A.gram(), A.T @ A
    assert G.shape == (n, n) and G.e == P.e
    assert np.array_equal(G.limbs, P.limbs) and np.array_equal(G.rad, P.rad)


@pytest.mark.parametrize("value", [fmpq(1), fmpq(-1, 3), arb(2, 1e-30)])
def test_full_is_the_conversion_of_repeated_values(value):
    """MultiwordArray.full (a constant converted once) equals from_balls of the repeated value."""
    with working_precision(50):
        S = mw.limbs_for_bits(170)
        full, repeated = MultiwordArray.full((2, 3), value, S), MultiwordArray.from_balls([value] * 6, (2, 3), S)
    assert full.e == repeated.e and np.array_equal(full.limbs, repeated.limbs) and np.array_equal(full.rad, repeated.rad)


def test_layer_pairs_run_in_threads_and_sum_as_in_a_serial_run(monkeypatch):
    """The multi-word ‖∇²f‖_F² computes the terms of its 10 layer pairs in threads (more than one thread
    takes part; each layer's chain is made once) and sums them in the serial order: the ball is the
    serial run's, bit for bit, and both overlap the ball formulas."""
    objective, point = _network((3, 4, 4, 3, 2), "tanh", "squared", bias=True, n_obs=5, seed=4)
    threads, chains = [], []
    original_terms, original_chain = FeedforwardState._pair_terms, FeedforwardState._chain

    def pair_terms(self, a, b, made):
        threads.append(threading.get_ident())
        return original_terms(self, a, b, made)

    def chain(self, a):
        chains.append(a)
        return original_chain(self, a)

    monkeypatch.setattr(FeedforwardState, "_pair_terms", pair_terms)
    monkeypatch.setattr(FeedforwardState, "_chain", chain)
    values = {}
    with working_precision(50):
        for count in ("1", "2"):
            monkeypatch.setenv(THREADS_VARIABLE, count)
            threads.clear()
            chains.clear()
            values[count] = objective.state(point, MULTIWORD)._frobenius_sq_formulas()
            assert len(threads) == 10 and len(set(threads)) == int(count)
            assert sorted(chains) == [1, 2, 3, 4]
        expected = objective.state(point, BALL)._frobenius_sq_formulas()
    assert _same(values["1"], values["2"])
    assert values["2"].overlaps(expected) and guaranteed_digits(values["2"]) >= 40


# -- residue products -------------------------------------------------------------------------------------
@_fewer(30)
@given(st.data())
def test_residue_product_contains_the_exact_product(data):
    """The residue route (forced, whatever the shape) encloses A @ B and AᵀA, for inner dimensions within
    one chunk of RESIDUE_CHUNK terms and over several, for every limb count."""
    S = data.draw(limb_counts, label="S")
    n = data.draw(st.integers(1, 3), label="n")
    m = data.draw(st.integers(1, 3), label="m")
    k = data.draw(st.one_of(st.integers(1, 6), st.sampled_from([255, 256, 257, 600])), label="k")
    A = data.draw(arrays((n, k)))
    B = data.draw(arrays((k, m)))
    S_b = data.draw(st.sampled_from([S, LIMB_COUNTS[0]]), label="S of B")
    _assert_contains(mw._residue_product(_mw(A, S), _mw(B, S_b), False), A @ B)
    R = _mw(B, S)
    _assert_contains(mw._residue_product(R.T, R, True), B.T @ B)


@pytest.mark.parametrize("S", [11, 30])
def test_residue_product_of_the_largest_integers(S):
    """Limbs all at the balanced extreme ±2^(β−1), one sign, over 600 terms: the largest |C| the basis
    allows for; the result encloses the exact product (exact inputs: the radius is what was cut)."""
    k = 600
    limbs = np.full((S, 2, k), 2.0 ** (BETA - 1))
    limbs[:, 1] *= -1
    A = MultiwordArray(limbs, 3, np.zeros((2, k)))
    B = MultiwordArray(limbs.transpose(0, 2, 1).copy(), -1, np.zeros((k, 2)))
    exact_A = np.array([[mid for mid, _ in _entries(A)]], dtype=object).reshape(2, k)
    exact_B = np.array([[mid for mid, _ in _entries(B)]], dtype=object).reshape(k, 2)
    _assert_contains(mw._residue_product(A, B, False), exact_A @ exact_B)
    _assert_contains(mw._residue_product(B.T, B, True), exact_B.T @ exact_B)


def test_check_catches_too_few_moduli(monkeypatch):
    """A basis whose moduli multiply to less than 4|C| rebuilds the wrong integers: caught."""
    rnd = random.Random(5)
    k = 300
    A = _exact([_random_rational(rnd) for _ in range(2 * k)], (2, k))
    B = _exact([_random_rational(rnd) for _ in range(2 * k)], (k, 2))
    assert _contains(mw._residue_product(_mw(A, 11), _mw(B, 11), False), A @ B)
    monkeypatch.setattr(mw, "_residue_basis",
                        lambda S, k_bits: mw._ResidueBasis(S, 2 * BETA * S + k_bits - 120, top=2 * S, low=S - 4))
    assert not _contains(mw._residue_product(_mw(A, 11), _mw(B, 11), False), A @ B)


def test_check_catches_a_kept_top_carry(monkeypatch):
    """The digits are the product modulo 2^(β(2S + 1)): keeping the carry out of the first digit
    (instead of dropping it) adds multiples of that power to negative results: caught."""
    rnd = random.Random(6)
    k = 256
    A = _exact([-abs(_random_rational(rnd)) - 1 for _ in range(k)], (1, k))
    B = _exact([abs(_random_rational(rnd)) + 1 for _ in range(k)], (k, 1))
    assert _contains(mw._residue_product(_mw(A, 11), _mw(B, 11), False), A @ B)

    def carried_only(D):
        for p in range(D.shape[0] - 1, 0, -1):
            c = np.rint(D[p] * mw.INV_RADIX)
            D[p - 1] += c
            D[p] -= c * mw.RADIX
        return D

    monkeypatch.setattr(mw, "_carried_modular", carried_only)
    assert not _contains(mw._residue_product(_mw(A, 11), _mw(B, 11), False), A @ B)


def test_residue_route_is_taken_where_it_pays(monkeypatch):
    """Products with a long inner dimension at S = 11 go through residues (and enclose the same value as
    the limb route); short inner dimensions, wide outputs and few limbs do not."""
    assert mw._residues_pay(64, 256, 64, 11) and mw._residues_pay(3, 600, 2, 11)
    assert not mw._residues_pay(64, 64, 64, 11)  # inner dimension short
    assert not mw._residues_pay(16, 128, 1024, 11)  # output wide
    assert not mw._residues_pay(64, 256, 64, 4)  # few limbs: S²/2 ≈ 13 products against 9 moduli
    calls = []
    original = mw._residue_product
    monkeypatch.setattr(mw, "_residue_product", lambda A, B, symmetric: calls.append(symmetric) or original(A, B, symmetric))
    rng = np.random.default_rng(7)
    limbs = rng.integers(-2 ** (BETA - 1), 2 ** (BETA - 1) + 1, (11, 256, 8)).astype(float)
    R = MultiwordArray(limbs, 0, rng.random((256, 8)) * 2.0 ** -230)
    G = R.gram()
    assert calls == [True]
    monkeypatch.setattr(mw, "RESIDUE_MIN_INNER", 10 ** 6)
    L = R.gram()
    assert calls == [True]
    exact = np.array([mid for mid, _ in _entries(R)], dtype=object).reshape(256, 8)
    _assert_contains(G, exact.T @ exact)
    _assert_contains(L, exact.T @ exact)


def test_pairs_are_interleaved_so_that_threads_start_on_different_chains():
    """With two threads the first two tasks belong to two layers; every pair is taken once."""
    groups = [[(1, b) for b in range(1, 5)], [(2, b) for b in range(2, 5)], [(3, 3), (3, 4)], [(4, 4)]]
    order = ffengine._interleaved(groups, 2)
    assert order[:4] == [(1, 1), (2, 2), (1, 2), (2, 3)]
    assert sorted(order) == sorted(p for g in groups for p in g)
    assert ffengine._interleaved(groups, 1) == [p for g in groups for p in g]


# -- small rationals by long division ---------------------------------------------------------------------
_small = st.builds(fmpq, st.one_of(st.integers(-2 ** 31 + 1, 2 ** 31 - 1), st.integers(-5, 5)),
                   st.sampled_from([1, 3, 100, 1000, 2 ** 23, 2 ** 30, 2 ** 31 - 1]) | st.integers(1, 2 ** 31 - 1))


def _general(values, shape, S) -> MultiwordArray:
    """from_balls without the long-division path (patched by hand: Hypothesis examples share no fixture)."""
    original = mw._small_rationals
    mw._small_rationals = lambda numerators, denominators, S: None
    try:
        return MultiwordArray.from_balls(values, shape, S)
    finally:
        mw._small_rationals = original


@_fewer(40)
@given(st.data())
def test_small_rationals_convert_as_the_general_path(data):
    """Rationals with |p|, q < 2^31 take the long-division path: the same exponent, limbs and radius as
    the general conversion, bit for bit (ties included: p/2^23 at two limbs ends in a half unit)."""
    S = data.draw(limb_counts, label="S")
    values = data.draw(st.lists(_small, min_size=1, max_size=8), label="values")
    fast = MultiwordArray.from_balls(values, (len(values),), S)
    general = _general(values, (len(values),), S)
    assert fast.e == general.e and np.array_equal(fast.limbs, general.limbs) and np.array_equal(fast.rad, general.rad)


def test_small_rationals_round_ties_upwards(monkeypatch):
    """Beside 1 (the array's exponent is then 0), the last unit at two limbs is 2^−22: 3/2^23 and −3/2^23
    are ties, rounded up to 2·2^−22 and −1·2^−22 (as floor(x + ½)), with half a unit of radius; the
    long division is taken (no fallback)."""
    values = [fmpq(1), fmpq(3, 2 ** 23), fmpq(-3, 2 ** 23)]
    taken = []
    original = mw._small_rationals
    monkeypatch.setattr(mw, "_small_rationals", lambda p, q, S: taken.append(S) or original(p, q, S))
    A = MultiwordArray.from_balls(values, (3,), 2)
    assert taken == [2] and A.e == 0
    assert [mid for mid, _ in _entries(A)] == [Fraction(1), Fraction(2, 2 ** 22), Fraction(-1, 2 ** 22)]
    assert np.all(A.rad >= 2.0 ** -23)
    _assert_contains(A, _exact([Fraction(1), Fraction(3, 2 ** 23), Fraction(-3, 2 ** 23)], (3,)))


def test_a_bad_thread_count_is_reported_not_swallowed(monkeypatch):
    """On the multi-word route a bad DLNSMOOTH_THREADS is raised as ThreadCountError (a ValueError, which
    the route otherwise treats as a reason to fall back to the ball formulas)."""
    objective, point, _ = _router_case()
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_PARAMETERS", 1)
    monkeypatch.setattr(ffengine, "MULTIWORD_MIN_OBSERVATIONS", 1)
    monkeypatch.setenv(THREADS_VARIABLE, "0")
    with working_precision(50):
        state = objective.state(point, BALL)
        assert state._multiword_route
        with pytest.raises(ThreadCountError, match="DLNSMOOTH_THREADS='0'"):
            state.hess_frobenius_sq()
