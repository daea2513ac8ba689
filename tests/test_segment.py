"""dlnsmooth.segment: the segment x_θ = x1 + θ(x2 − x1) and max / ∫ over θ ∈ [0, 1].

Precision conventions of this file (``dps`` is the precision passed to the package):

* maxima: golden-section refinement locates θ to 10^-(dps//2 + 2) (module
  docstring); at a smooth (quadratic) maximum the value error is the square of
  that, far below 10^-dps, so values are required to dps − 5 digits and the
  maximiser to dps//2 digits. End-point maxima are grid points: exact.
* integrals: tanh-sinh at dps + 10 working digits on smooth integrands converges
  to the working precision; values are required to dps − 5 digits.
* every exact reference value is evaluated at dps + 30 digits.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.errors import PrecisionError, ShapeError
from dlnsmooth.segment import Segment, SegmentIntegral, SegmentMaximum

DPS = 40


def _err(value, exact):
    """|value − exact| with ``exact`` a callable evaluated at high precision."""
    with mp.workdps(120):
        return abs(value - (exact() if callable(exact) else mp.mpf(exact)))


def _tol(digits):
    with mp.workdps(120):
        return mp.mpf(10) ** (-digits)


# --- geometry --------------------------------------------------------------------------


def test_point_is_x1_plus_theta_times_difference_with_exact_inputs():
    seg = Segment([1, "0.5"], [3, Fraction(1, 3)])
    assert seg.n == 2
    with mp.workdps(DPS):
        p = seg.point("0.25")  # (1 + 0.25·2, 1/2 + 0.25·(1/3 − 1/2)) = (3/2, 11/24)
        start = seg.point(0)
        end = seg.point(1)
    assert p[0] == mp.mpf("1.5")
    assert _err(p[1], lambda: mp.mpf(11) / 24) < _tol(DPS - 2)
    assert start == [1, mp.mpf("0.5")]
    assert end[0] == 3 and _err(end[1], lambda: mp.mpf(1) / 3) < _tol(DPS - 2)


def test_point_accepts_sympy_rationals_for_theta():
    seg = Segment([0], [7])
    with mp.workdps(DPS):
        p = seg.point(sp.Rational(1, 7))
    assert _err(p[0], 1) < _tol(DPS - 2)


def test_length_is_euclidean_and_honours_dps():
    seg = Segment([1, "0.5"], [3, Fraction(1, 3)])  # Δ = (2, −1/6): length √145 / 6
    length = seg.length(DPS)
    assert _err(length, lambda: mp.sqrt(145) / 6) < _tol(DPS - 3)
    assert Segment([0, 0], [3, 4]).length(30) == 5
    assert Segment([2], [2]).length(30) == 0
    # 80 digits asked, 80 - 3 delivered: precision is not capped at the default
    assert _err(Segment([0, 0], [1, 1]).length(80), lambda: mp.sqrt(2)) < _tol(77)


def test_degenerate_detection():
    assert Segment([1, 2], [1, 2]).is_degenerate()
    assert Segment(["0.5"], [Fraction(1, 2)]).is_degenerate()  # same number, different spellings
    assert Segment([sp.Rational(3, 4)], ["0.75"]).is_degenerate()
    assert not Segment([1, 2], [1, 3]).is_degenerate()
    assert not Segment(["0.1"], ["0.1000001"]).is_degenerate()


def test_degenerate_detection_is_exact_for_nearby_points():
    # x2 − x1 = 10^-40 exactly; the package accepts dps up to 10^6, so such pairs are legitimate
    assert not Segment(["1"], ["1." + "0" * 39 + "1"]).is_degenerate()


# --- shape errors ----------------------------------------------------------------------


def test_shape_errors():
    with pytest.raises(ShapeError, match="different dimensions"):
        Segment([1, 2], [1])
    with pytest.raises(ShapeError, match="at least one"):
        Segment([], [])
    with pytest.raises(ShapeError, match="sequences"):
        Segment("12", "34")
    with pytest.raises(ShapeError):
        Segment([1], b"1")


# --- maximum ---------------------------------------------------------------------------


def test_maximum_of_interior_quadratic_is_located_to_half_the_digits():
    # φ(θ) = −(θ − 3/10)²: max 0 at θ = 0.3, which is not a grid point (0.3·64 = 19.2)
    def phi(th):
        return -(th - mp.mpf(3) / 10) ** 2

    result = Segment([0], [1]).maximum(phi, DPS)
    assert isinstance(result, SegmentMaximum)
    assert result.value <= 0  # φ ≤ 0 everywhere: the estimate can never exceed the true maximum
    assert -result.value < _tol(DPS)  # value error = (θ error)² ≈ 10^-(DPS + 4)
    assert _err(result.theta, lambda: mp.mpf(3) / 10) < _tol(DPS // 2)
    assert result.evaluations > 65  # the 65 grid points plus the refinement


@pytest.mark.parametrize("dps", [30, 50])
def test_maximum_interior_value_to_full_precision(dps):
    # φ(θ) = θ e^{−3θ}: max at θ = 1/3 (off the grid) with value 1/(3e)
    result = Segment([0], [1]).maximum(lambda th: th * mp.exp(-3 * th), dps)
    assert _err(result.value, lambda: 1 / (3 * mp.e)) < _tol(dps - 5)
    assert _err(result.theta, lambda: mp.mpf(1) / 3) < _tol(dps // 2 - 1)


def test_maximum_honours_a_high_precision():
    # φ(θ) = sin(2θ + 1): max 1 at θ = (π/2 − 1)/2. At dps = 60 the value must agree with 1
    # to 55 digits — impossible if anything ran at the default or at double precision.
    result = Segment([0], [1]).maximum(lambda th: mp.sin(2 * th + 1), 60)
    assert _err(result.value, 1) < _tol(55)
    assert _err(result.theta, lambda: (mp.pi / 2 - 1) / 2) < _tol(29)


@pytest.mark.parametrize(
    "phi, value, theta",
    [
        (lambda th: th, 1, 1),  # increasing: max at θ = 1
        (lambda th: -th, 0, 0),  # decreasing: max at θ = 0
        (lambda th: mp.exp(5 * th), lambda: mp.exp(5), 1),
        (lambda th: (th - mp.mpf(3) / 10) ** 2, lambda: mp.mpf(49) / 100, 1),  # convex: larger end
        (lambda th: (th - mp.mpf(7) / 10) ** 2, lambda: mp.mpf(49) / 100, 0),
    ],
)
def test_end_point_maxima_are_exact(phi, value, theta):
    result = Segment([0], [1]).maximum(phi, DPS)
    assert result.theta == theta
    assert _err(result.value, value) < _tol(DPS)


def test_two_local_maxima_the_larger_wins():
    # φ = −(θ − 0.2)² (θ − 0.8)² + θ/10 has local maxima near 0.2 and 0.8; the one near
    # 0.8 is larger. Compare with SymPy's exact critical points of the polynomial.
    t = sp.Symbol("t", real=True)
    expr = -(t - sp.Rational(1, 5)) ** 2 * (t - sp.Rational(4, 5)) ** 2 + t / 10
    crit = [r for r in sp.Poly(sp.diff(expr, t), t).real_roots() if 0 <= r <= 1]
    best = max(crit, key=lambda r: sp.N(expr.subs(t, r), 60))
    assert sp.N(best) > 0.5  # the larger local maximum is the right-hand one

    def phi(th):
        return -(th - mp.mpf(1) / 5) ** 2 * (th - mp.mpf(4) / 5) ** 2 + th / 10

    result = Segment([0], [1]).maximum(phi, DPS)
    assert _err(result.value, lambda: mp.mpf(sp.N(expr.subs(t, best), 120))) < _tol(DPS - 5)
    assert _err(result.theta, lambda: mp.mpf(sp.N(best, 120))) < _tol(DPS // 2 - 1)


def test_narrow_peak_between_grid_points_is_found_by_refinement():
    # max of a broad parabola (height 1 at θ = 1/4, a grid point) and a narrow one of
    # height 2 centred half-way between grid points (θ = 97/128): at the grid points the
    # narrow peak shows only −4.1, below the broad one, yet refinement of the grid's local
    # maxima must find the true maximum 2.
    centre = mp.mpf(97) / 128

    def phi(th):
        return max(1 - 100 * (th - mp.mpf(1) / 4) ** 2, 2 - 10**5 * (th - centre) ** 2)

    result = Segment([0], [1]).maximum(phi, DPS)
    assert _err(result.value, 2) < _tol(DPS - 5)
    assert _err(result.theta, lambda: mp.mpf(97) / 128) < _tol(DPS // 2 - 1)


def test_maximum_is_a_lower_estimate_when_the_grid_misses_a_spike():
    # φ = −θ + 2/(1 + 10⁴(θ − 0.6)²): a spike of height ≈ 1.4 at θ ≈ 0.6 on a decreasing
    # background. On the coarse grid (grid=4: θ = 0, 1/4, …, 1) the values decrease, the
    # only grid local maximum is θ = 0 and the spike is missed: the documented behaviour
    # is a *lower* estimate, here φ(0) = 2/3601.
    def phi(th):
        return -th + 2 / (1 + 10**4 * (th - mp.mpf(3) / 5) ** 2)

    coarse = Segment([0], [1]).maximum(phi, DPS, grid=4)
    assert coarse.theta == 0
    assert _err(coarse.value, lambda: mp.mpf(2) / 3601) < _tol(DPS - 2)
    fine = Segment([0], [1]).maximum(phi, DPS, grid=256)
    # with the fine grid the spike is found: the maximum is at least φ(0.6) = 1.4, near θ = 0.6
    assert mp.mpf("1.39") < fine.value
    with mp.workdps(DPS):
        assert fine.value >= phi(mp.mpf(3) / 5)  # at least the value at the spike's centre
    assert abs(fine.theta - mp.mpf("0.6")) < mp.mpf("0.01")


def test_maximum_grid_must_be_at_least_two():
    with pytest.raises(ValueError, match="grid"):
        Segment([0], [1]).maximum(lambda th: th, DPS, grid=1)
    with pytest.raises(ValueError, match="grid"):
        Segment([0], [1]).maximum(lambda th: th, DPS, grid=0)
    # grid = 2 is allowed and still refines the interior maximum
    result = Segment([0], [1]).maximum(lambda th: -(th - mp.mpf(3) / 10) ** 2, DPS, grid=2)
    assert -result.value < _tol(DPS)


def test_invalid_precision_is_rejected():
    with pytest.raises(PrecisionError):
        Segment([0], [1]).maximum(lambda th: th, 2)
    with pytest.raises(PrecisionError):
        Segment([0], [1]).integral(lambda th: th, "50")
    with pytest.raises(PrecisionError):
        Segment([0], [1]).length(0)


def test_phi_runs_at_dps_plus_guard_digits():
    seen = []

    def phi(th):
        seen.append(mp.mp.dps)
        return th

    Segment([0], [1]).maximum(phi, 35)
    Segment([0], [1]).integral(phi, 35)
    assert seen and min(seen) >= 35


# --- integral --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phi, exact",
    [
        (lambda th: mp.mpf(1), 1),
        (lambda th: th, lambda: mp.mpf(1) / 2),
        (lambda th: th**6, lambda: mp.mpf(1) / 7),
        (lambda th: (1 + th) ** 2, lambda: mp.mpf(7) / 3),  # ∫₀¹ (1+θ)² = (8 − 1)/3
        (lambda th: 3 * th**2 - 2 * th + 5, 5),
        (lambda th: mp.exp(th), lambda: mp.e - 1),
        (lambda th: mp.exp(5 * th), lambda: (mp.exp(5) - 1) / 5),
        (lambda th: mp.exp(-th**2), lambda: mp.sqrt(mp.pi) / 2 * mp.erf(1)),
        (lambda th: mp.sin(mp.pi * th), lambda: 2 / mp.pi),
    ],
)
def test_integral_matches_closed_forms(phi, exact):
    # at 50 digits the closed forms must be matched to 45
    result = Segment([0], [1]).integral(phi, 50)
    assert isinstance(result, SegmentIntegral)
    assert _err(result.value, exact) < _tol(45)
    assert result.error < _tol(45)


def test_integral_with_a_kink_at_a_piece_boundary():
    # |θ − 1/2| has its kink at a node of the 8 pieces: ∫ = 1/4 to full precision
    result = Segment([0], [1]).integral(lambda th: abs(th - mp.mpf(1) / 2), DPS)
    assert _err(result.value, lambda: mp.mpf(1) / 4) < _tol(DPS - 5)


def test_integral_honours_a_high_precision():
    # ∫₀¹ e^{θ/3} dθ = 3(e^{1/3} − 1); at dps = 60, 55 digits must be right
    result = Segment([0], [1]).integral(lambda th: mp.exp(th / 3), 60)
    assert _err(result.value, lambda: 3 * (mp.exp(mp.mpf(1) / 3) - 1)) < _tol(55)


def test_integral_pieces_option():
    for pieces in (1, 3, 16):
        result = Segment([0], [1]).integral(lambda th: th**3, DPS, pieces=pieces)
        assert _err(result.value, lambda: mp.mpf(1) / 4) < _tol(DPS - 5)


def test_negative_mpf_endpoints_are_not_a_degenerate_segment():
    from dlnsmooth.conditions import GloballyLipschitz
    from dlnsmooth.objective import Objective

    assert not Segment([mp.mpf(-1)], [mp.mpf(1)]).is_degenerate()
    f = Objective.from_string("log(cosh(x))", "x")
    with mp.workdps(30):
        q = GloballyLipschitz(1).quotient(f, [mp.mpf(-1) / 8], [mp.mpf(1) / 8])
        assert abs(q - mp.tanh(mp.mpf(1) / 8) * 8) < mp.mpf(10) ** -20


def test_integral_of_a_tiny_integrand_keeps_its_relative_accuracy():
    # ∫₀¹ e^(−100+θ) dθ = e^−99 − e^−100 ≈ 6.4e-44: an absolute quadrature tolerance would stop early
    seg = Segment([-100], [-99])
    with mp.workdps(60):
        exact = mp.exp(-99) - mp.exp(-100)
    result = seg.integral(lambda theta: mp.exp(-100 + theta), dps=30)
    with mp.workdps(60):
        assert abs(result.value / exact - 1) < mp.mpf(10) ** -28
