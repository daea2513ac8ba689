"""The segment x_θ = x1 + θ (x2 − x1), θ ∈ [0, 1], and what the conditions need on it.

* :meth:`Segment.maximum` — ``max_θ φ(θ)`` for a continuous ``φ``: a grid of
  ``grid + 1`` points, then golden-section refinement of every local maximum of
  the grid to ``10^(-dps/2)`` in θ (the value is then accurate to about
  ``dps`` digits at a smooth maximum). Like any sampling method it is exact
  only when the grid meets the maximiser's basin: the result is a *lower*
  estimate of the true maximum. (Interval enclosures come with the ball
  arithmetic engine.)
* :meth:`Segment.integral` — ``∫₀¹ φ(θ) dθ`` by tanh-sinh quadrature on the
  grid's sub-intervals (robust to kinks at grid points), with mpmath's error
  estimate;
* ball arithmetic: :meth:`Segment.ball_points` (exact points x_θ, θ = k/m) and
  :meth:`Segment.ball_cells` (boxes enclosing the pieces θ ∈ [k/m, (k+1)/m]),
  from which the conditions enclose max_θ and ∫₀¹ rigorously.

Everything runs at ``dps`` digits plus guard digits inside a local
``mp.workdps``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath as mp
from flint import arb, fmpq

from .errors import ShapeError
from .norms import ball_vector_norm, vector_norm
from .numbers import to_arb, to_mpf, to_rational
from .precision import DEFAULT_DPS, check_dps

__all__ = ["Segment", "SegmentMaximum", "SegmentIntegral"]

_GUARD = 10


@dataclass(frozen=True)
class SegmentMaximum:
    """``value = φ(theta)``, the largest value found on [0, 1]."""

    value: mp.mpf
    theta: mp.mpf
    evaluations: int


@dataclass(frozen=True)
class SegmentIntegral:
    """``value ≈ ∫₀¹ φ``, with mpmath's estimate of the quadrature error."""

    value: mp.mpf
    error: mp.mpf


class Segment:
    """The segment between two points of Rⁿ, given exactly (ints, decimal strings, rationals)."""

    def __init__(self, x1: Sequence[object], x2: Sequence[object]):
        if isinstance(x1, (str, bytes)) or isinstance(x2, (str, bytes)):
            raise ShapeError("segment end points must be sequences of numbers")
        if len(x1) != len(x2):
            raise ShapeError(f"segment end points have different dimensions ({len(x1)} and {len(x2)})")
        if len(x1) == 0:
            raise ShapeError("segment end points must have at least one coordinate")
        self.x1 = tuple(x1)
        self.x2 = tuple(x2)

    @property
    def n(self) -> int:
        return len(self.x1)

    def point(self, theta: object) -> list[mp.mpf]:
        """x_θ at the current precision."""
        th = to_mpf(theta)
        return [to_mpf(a) + th * (to_mpf(b) - to_mpf(a)) for a, b in zip(self.x1, self.x2)]

    def length(self, dps: int = DEFAULT_DPS) -> mp.mpf:
        """‖x2 − x1‖ (Euclidean)."""
        with mp.workdps(check_dps(dps)):
            return vector_norm([to_mpf(b) - to_mpf(a) for a, b in zip(self.x1, self.x2)])

    def is_degenerate(self) -> bool:
        """True when x1 = x2 exactly (compared as exact rationals, not at a precision)."""
        return all(to_rational(a) == to_rational(b) for a, b in zip(self.x1, self.x2))

    # -- ball arithmetic (current flint precision) -----------------------------------------
    def ball_length(self) -> arb:
        """An enclosure of ‖x2 − x1‖."""
        return ball_vector_norm([to_arb(b) - to_arb(a) for a, b in zip(self.x1, self.x2)])

    def _ball_ends(self) -> tuple[list[arb], list[arb]]:
        """(x1, x2 − x1) as balls at the current flint precision."""
        start = [to_arb(a) for a in self.x1]
        return start, [to_arb(b) - a for a, b in zip(start, self.x2)]

    def ball_point(self, theta: object) -> list[arb]:
        """x_θ as balls (exact for exact end points and θ)."""
        return self._ball_points_at([to_arb(theta)])[0]

    def _ball_points_at(self, thetas: list[arb]) -> list[list[arb]]:
        start, step = self._ball_ends()
        return [[a + th * d for a, d in zip(start, step)] for th in thetas]

    def ball_points(self, pieces: int) -> list[list[arb]]:
        """x_θ for θ = k/pieces, k = 0 … pieces."""
        return self._ball_points_at([arb(fmpq(k, pieces)) for k in range(pieces + 1)])

    def ball_cells(self, pieces: int) -> list[list[arb]]:
        """Boxes enclosing {x_θ : θ ∈ [k/pieces, (k+1)/pieces]}, k = 0 … pieces − 1."""
        if pieces < 1:
            raise ValueError(f"pieces must be >= 1, got {pieces}")
        return self._ball_points_at([arb(fmpq(2 * k + 1, 2 * pieces), fmpq(1, 2 * pieces)) for k in range(pieces)])

    # ---------------------------------------------------------------------------------
    def maximum(self, phi: Callable[[mp.mpf], mp.mpf], dps: int = DEFAULT_DPS, grid: int = 64) -> SegmentMaximum:
        """``max_{θ∈[0,1]} phi(θ)`` (a lower estimate; see the module docstring)."""
        check_dps(dps)
        if grid < 2:
            raise ValueError(f"grid must be >= 2, got {grid}")
        with mp.workdps(dps + _GUARD):
            thetas = [mp.mpf(k) / grid for k in range(grid + 1)]
            values = [phi(th) for th in thetas]
            evaluations = len(values)
            best = max(range(grid + 1), key=lambda k: values[k])
            best_value, best_theta = values[best], thetas[best]
            tolerance = mp.mpf(10) ** (-(dps // 2) - 2)
            for k in range(grid + 1):
                left = values[k - 1] if k > 0 else None
                right = values[k + 1] if k < grid else None
                if (left is not None and left > values[k]) or (right is not None and right > values[k]):
                    continue  # not a local maximum of the grid
                a = thetas[max(k - 1, 0)]
                b = thetas[min(k + 1, grid)]
                theta, value, count = _golden_max(phi, a, b, tolerance)
                evaluations += count
                if value > best_value:
                    best_value, best_theta = value, theta
        return SegmentMaximum(best_value, best_theta, evaluations)

    def integral(self, phi: Callable[[mp.mpf], mp.mpf], dps: int = DEFAULT_DPS, pieces: int = 8) -> SegmentIntegral:
        """``∫₀¹ phi(θ) dθ`` by tanh-sinh quadrature on ``pieces`` sub-intervals.

        mpmath's quadrature stops on an *absolute* error estimate, so a tiny
        integrand (e.g. eˣ on [−100, −99], of size 1e-44) would come back with
        few correct digits; the integrand is therefore scaled by its size at the
        nodes first, making the tolerance relative."""
        check_dps(dps)
        with mp.workdps(dps + _GUARD):
            nodes = [mp.mpf(k) / pieces for k in range(pieces + 1)]
            scale = max(abs(phi(node)) for node in nodes)
            if scale == 0 or not mp.isfinite(scale):
                scale = mp.mpf(1)
            value, error = mp.quad(lambda theta: phi(theta) / scale, nodes, error=True)
            value, error = value * scale, error * scale
        return SegmentIntegral(value, error)


def _golden_max(phi: Callable[[mp.mpf], mp.mpf], a: mp.mpf, b: mp.mpf, tolerance: mp.mpf):
    """Golden-section search for a maximum of ``phi`` on [a, b]; returns (θ, φ(θ), evaluations)."""
    invphi = (mp.sqrt(5) - 1) / 2
    c = b - invphi * (b - a)
    d = a + invphi * (b - a)
    fc, fd = phi(c), phi(d)
    count = 2
    best = max([(fc, c), (fd, d)], key=lambda p: p[0])
    while b - a > tolerance:
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - invphi * (b - a)
            fc = phi(c)
        else:
            a, c, fc = c, d, fd
            d = a + invphi * (b - a)
            fd = phi(d)
        count += 1
        for value, theta in ((fc, c), (fd, d)):
            if value > best[0]:
                best = (value, theta)
    return best[1], best[0], count
