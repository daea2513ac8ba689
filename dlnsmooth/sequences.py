"""Discrete sequences x_k (k = 1, 2, …) for oscillating functions of one variable.

For f : R → R whose bad behaviour comes from oscillation rather than from
growth, no monomial curve x = ±t sees it: along x = t the ratio
``|f″|/(1 + |f′|^ρ)`` oscillates. The zeros of f′ do: for ``f′(x) = sin(x²)``
they are ``x_k = sqrt(kπ)``, where ``f′(x_k) = 0`` and
``|f″(x_k)| = 2 sqrt(kπ) → ∞`` — by Props 5 and 1 (SPEC §2, refutation recipe)
∇f is then neither ρ-order nor ρ-integrated Lipschitz for any ρ.

This module finds such sequences and hands them over as
:class:`~dlnsmooth.curves.Curve` objects whose parameter is a positive
*integer* symbol ``k`` (:func:`sequence_parameter`), so that
:func:`dlnsmooth.certificate.certify_curve` certifies them like any curve (the
restriction is exact — SymPy evaluates ``sin(π k) = 0`` and
``cos(π k) = (−1)^k`` for integer k —, the limit is taken as k → ∞, the
numeric table runs over k = 10¹ … 10^K). A sequence proves nothing by itself:
only the certificate's verdict does.

The procedure, for a function F (f′, or f‴ whose zeros are the local extrema
of f″) and an *end* (+∞, −∞, or a finite point p approached from the left or
the right, written as y → ∞ with ``x = ±y`` or ``x = p ± 1/y``):

1. **zeros on growing ranges** — sign changes of h(y) = F(x(y)) on a grid over
   (y₀, Y], the grid refined until two resolutions agree, Y doubled until
   enough zeros are found; each bracket refined with ``mpmath.findroot`` at
   ``dps`` digits (explicit precision, ``mp.workdps``);
2. **fit** — ``y_j = (α j + β)^a + d`` for the local index j, with the exponent
   a > 0 a small rational near the slope of log(spacing) against log j, and
   α, β, d from three zeros (``(y − d)^(1/a)`` is linear in j);
3. **continuation** — the model predicts the zero of index J = 8m, 64m, …,
   up to about 10⁶; each prediction is refined by ``findroot`` inside a bracket
   of half a spacing (so it is the zero of that index), and the model is
   refitted on the zeros of index J, 2J, 3J;
4. **identification** — a (exact rational), α, β, d are recognised as
   rational multiples of 1, π, π², √2, √3, e, log 2 (or by ``mpmath.identify``)
   within a tolerance set by how much they still moved between the last two
   rungs; k is shifted so that 0 ≤ β < α;
5. **check at large k** — at k = 10⁶ and 10¹² the closed form g(k) is compared
   with the zero refined from it at high precision: *exact* when they agree to
   the working precision (or when SymPy evaluates F(g(k)) to 0 for integer k),
   *asymptotic* when the distance is a small fraction of the spacing and
   shrinks from 10⁶ to 10¹² (e.g. the zeros of f′ = sin x + x cos x approach
   πk + π/2); otherwise the closed form is rejected.

Closed forms covered: ``c·k^a``, ``c·k^a + d``, ``c·k + d`` and more generally
``(α k + β)^a + d`` with rational a; towards ±∞, when x = ±y finds none, the same
laws in y for x = ±log y (zeros crowding exponentially: f′ = −eˣ sin eˣ vanishes at
x_k = log(πk)). Not covered (no sequence is returned):
zeros that grow faster than any power (sin(log x): x_k = e^(πk)) or whose
spacing does not follow such a law, double zeros without a sign change, and
zeros missed by the grid (two zeros inside one grid cell at the finest grid).
A function with no zeros or finitely many gives an empty list.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from .budget import run_with_budget
from .curves import Curve
from .errors import DlnsmoothError, ParseError, ShapeError
from .numbers import to_mpf
from .objective import Objective, VectorField, continuity_domain
from .parsing import parse_expression

__all__ = [
    "ZeroSequence",
    "LargeIndexCheck",
    "sequence_parameter",
    "zero_sequences",
    "derivative_zero_sequences",
    "critical_sequences",
    "FUNCTIONS",
]

#: Functions whose zeros are searched: zeros of f′, and zeros of f‴ (local extrema of f″).
FUNCTIONS = ("f′", "f‴")

#: Fewest zeros from which a closed form is fitted.
MIN_ROOTS = 8
#: Indices at which the closed form is checked against refined zeros.
CHECK_INDICES = (10**6, 10**12)
#: Largest index reached by the continuation ladder.
LADDER_TOP = 10**6
# grid points per unit of y at the start; cap on grid points
_GRID_DENSITY = 64
_GRID_CAP = 2**20
# constants a fitted parameter is recognised against (rational multiples of these)
_BASIS = (sp.Integer(1), sp.pi, sp.pi**2, sp.sqrt(sp.pi), sp.sqrt(2), sp.sqrt(3), sp.E, sp.log(2), 1 / sp.pi)


def sequence_parameter(name: str = "k") -> sp.Symbol:
    """The positive integer SymPy symbol used as the parameter of a sequence."""
    if not name.isidentifier():
        raise ParseError(f"{name!r} is not a valid parameter name")
    return sp.Symbol(name, integer=True, positive=True)


@dataclass(frozen=True)
class LargeIndexCheck:
    """The closed form x_k against the zero refined from it at high precision, at one large k.

    The text fields are x-coordinates (decimal strings); ``y_*`` are the same figures in the
    coordinate y → ∞ of the search (x = ±y, or x = p ± 1/y), used for the judgement."""

    k: int
    predicted: str
    refined: str
    distance: str
    spacing: str
    dps: int
    y_predicted: mp.mpf = field(repr=False, compare=False, default=mp.mpf(0))
    y_distance: mp.mpf = field(repr=False, compare=False, default=mp.mpf(0))
    y_spacing: mp.mpf = field(repr=False, compare=False, default=mp.mpf(0))

    def to_json(self) -> dict:
        return {"k": str(self.k), "predicted": self.predicted, "refined": self.refined,
                "distance": self.distance, "spacing": self.spacing, "dps": self.dps}


@dataclass
class ZeroSequence:
    """A sequence of zeros of F ∈ {f′, f‴} towards one end, with its closed form.

    ``closed_form`` is x_k as a SymPy expression in the integer ``parameter``;
    ``kind`` is ``exact`` (x_k are zeros of F) or ``asymptotic`` (the zeros
    approach x_k as k → ∞); ``checks`` holds the comparisons at large k.
    """

    function: str
    end: str
    closed_form: sp.Expr
    parameter: sp.Symbol
    kind: str
    exponent: sp.Rational
    roots_found: int
    checks: list[LargeIndexCheck]
    curve: Curve
    symbolic_zero: bool = False
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        what = "zeros" if self.kind == "exact" else "asymptotic zeros"
        meaning = " (local extrema of f″)" if self.function == "f‴" else ""
        return f"{what} of {self.function}{meaning} towards {self.end}: x_{self.parameter} = {sp.sstr(self.closed_form)}"

    def lines(self) -> list[str]:
        out = [self.describe()]
        out.extend(f"    {n}" for n in self.notes)
        for c in self.checks:
            out.append(f"    k = {c.k:.0e}: closed form {c.predicted}, refined zero {c.refined}, distance "
                       f"{c.distance} (spacing {c.spacing}; {c.dps} digits)")
        if self.symbolic_zero:
            out.append(f"    {self.function}(x_{self.parameter}) = 0 exactly for integer {self.parameter} (SymPy)")
        return out

    def to_json(self) -> dict:
        return {"function": self.function, "end": self.end, "closed_form": sp.sstr(self.closed_form),
                "parameter": self.parameter.name, "kind": self.kind, "exponent": sp.sstr(self.exponent),
                "roots_found": self.roots_found, "symbolic_zero": self.symbolic_zero,
                "checks": [c.to_json() for c in self.checks], "curve": self.curve.to_json(), "notes": list(self.notes)}


# -- ends --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _End:
    """An end approached as y → ∞: x = sign·y (point None), x = sign·log y (``log``: zeros that
    crowd exponentially, such as those of f′ = −eˣ sin eˣ at x_k = log(πk)) or x = point + sign/y."""

    sign: int
    point: sp.Expr | None = None
    log: bool = False

    def label(self) -> str:
        if self.point is None:
            return "+∞" if self.sign > 0 else "−∞"
        return f"{sp.sstr(self.point)}{'+' if self.sign > 0 else '−'}"

    def x_of(self, y: sp.Expr) -> sp.Expr:
        if self.point is None:
            return self.sign * (sp.log(y) if self.log else y)
        return self.point + self.sign / y

    def x_value(self, y: mp.mpf) -> mp.mpf:
        """x at a numeric y (mpmath)."""
        if self.point is None:
            return self.sign * (mp.log(y) if self.log else y)
        return _point_value(self.point) + self.sign / y

    @property
    def y_start(self) -> float:
        return 0.0 if self.point is None and not self.log else 1.0


def _parse_ends(ends: Sequence[str] | None, F: sp.Expr, x: sp.Symbol, limit_budget: float) -> list[_End]:
    wanted = list(ends) if ends is not None else ["+oo", "-oo", "finite"]
    out: list[_End] = []
    for e in wanted:
        if e in ("+oo", "oo", "+∞", "∞"):
            out.append(_End(1))
        elif e in ("-oo", "−∞", "-∞"):
            out.append(_End(-1))
        elif e == "finite":
            for p in _singular_points(F, x, limit_budget):
                out.extend([_End(1, p), _End(-1, p)])
        else:
            raise ValueError(f"unknown end {e!r}; expected '+oo', '-oo' or 'finite'")
    return out


def _singular_points(F: sp.Expr, x: sp.Symbol, limit_budget: float) -> list[sp.Expr]:
    """Finite boundary points of the domain of continuity of F (where zeros may accumulate)."""
    outcome = run_with_budget(continuity_domain, F, x, seconds=max(1.0, limit_budget))
    if not outcome.ok or outcome.value == sp.S.Reals:
        return []
    try:
        boundary = outcome.value.boundary
    except Exception:  # pragma: no cover - exotic sets
        return []
    if not isinstance(boundary, sp.FiniteSet):
        return []
    return [p for p in boundary if p.is_real and p.is_finite][:4]


# -- numeric evaluation ------------------------------------------------------------------------
def _vector_evaluator(field: VectorField, deadline: float) -> Callable[[np.ndarray], np.ndarray]:
    """h on a numpy grid (float64; non-finite values carry no sign); falls back to mpmath point by
    point (values after the deadline are NaN: no sign, so no zeros are claimed there)."""
    try:
        with np.errstate(all="ignore"):
            probe = np.asarray(field.floats(np.array([1.5, 2.5]))[0], dtype=float)
        if probe.shape != (2,):
            raise TypeError("not vectorised")

        def evaluate(grid: np.ndarray) -> np.ndarray:
            with np.errstate(all="ignore"):
                values = np.asarray(field.floats(grid)[0], dtype=float)
            return np.broadcast_to(values, grid.shape).copy()

        return evaluate
    except Exception:
        def scalar(v):
            return field.mpmath_values(v)[0]

        def evaluate(grid: np.ndarray) -> np.ndarray:
            out = np.empty(grid.shape)
            with mp.workdps(15):
                for i, v in enumerate(grid):
                    if i % 256 == 0 and time.perf_counter() > deadline:
                        out[i:] = np.nan
                        break
                    try:
                        value = scalar(mp.mpf(float(v)))
                        out[i] = float(value.real) if isinstance(value, mp.mpc) and value.imag == 0 else float(value)
                    except Exception:
                        out[i] = np.nan
            return out

        return evaluate


def _brackets(evaluate, lo: float, hi: float, n: int) -> tuple[np.ndarray, float]:
    grid = np.linspace(lo, hi, n + 1)[1:]
    values = evaluate(grid)
    finite = np.isfinite(values)
    s = np.sign(values)
    change = finite[:-1] & finite[1:] & (s[:-1] * s[1:] < 0)
    # a zero hit exactly on the grid counts only between non-zero values of opposite sign (a run
    # of exact zeros is underflow, e^(−y) far out, not a zero of the function)
    zero = np.zeros_like(finite)
    zero[1:-1] = finite[1:-1] & (values[1:-1] == 0) & finite[:-2] & finite[2:] & (s[:-2] * s[2:] < 0)
    left = np.concatenate([grid[:-1][change], grid[zero]])
    return np.sort(left), (hi - lo) / n


def _stable_brackets(evaluate, lo: float, hi: float, deadline: float) -> tuple[list[tuple[float, float]], float]:
    """Brackets [a, a + step] of sign changes of h on (lo, hi], refined until two grids agree;
    returns the brackets of the agreeing prefix and the y up to which they are complete."""
    n = max(256, int(_GRID_DENSITY * (hi - lo)))
    while True:
        coarse, step = _brackets(evaluate, lo, hi, n)
        fine, fine_step = _brackets(evaluate, lo, hi, 2 * n)
        matched = 0
        for a, b in zip(coarse, fine):
            if abs(a - b) > 1.5 * step:
                break
            matched += 1
        if matched == len(coarse) == len(fine):
            return [(a, a + fine_step) for a in fine], hi
        if 2 * n >= _GRID_CAP or time.perf_counter() > deadline:
            # keep the prefix on which both grids agree (cut before the first disagreement)
            limit = min(coarse[matched] if matched < len(coarse) else hi,
                        fine[matched] if matched < len(fine) else hi) - 2 * step
            kept = [(a, a + fine_step) for a in fine[:matched] if a + fine_step < limit]
            return kept, max(lo, limit)
        n *= 2


def _refine(h_mp: Callable, a: mp.mpf, b: mp.mpf) -> mp.mpf | None:
    """The zero of h in the bracket [a, b] (a sign change) to the working precision.

    Scale-free: the stopping rule is the width of the bracket, never the size of |h| (which can
    be 10⁻³⁰⁰ or 10³⁰⁰ near a zero: e^(∓y)·(cos y ± sin y)). Illinois steps, with a bisection
    whenever they stall."""
    try:
        fa, fb = _real(h_mp(a)), _real(h_mp(b))
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None
    if fa == 0:
        return a
    if fb == 0:
        return b
    if mp.sign(fa) == mp.sign(fb):
        return None
    width = mp.mpf(2) ** (-mp.mp.prec + 8) * max(1, abs(a), abs(b))
    side = 0
    for _ in range(4 * mp.mp.prec):
        if abs(b - a) <= width:
            break
        c = (a * fb - b * fa) / (fb - fa) if fb != fa else (a + b) / 2
        if not (min(a, b) < c < max(a, b)) or side == 2 or side == -2:
            c, side = (a + b) / 2, 0  # bisection when the secant leaves the bracket or stalls
        try:
            fc = _real(h_mp(c))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return None
        if fc == 0:
            return c
        if mp.sign(fc) == mp.sign(fb):
            b, fb = c, fc
            fa = fa / 2 if side < 0 else fa  # Illinois: halve the retained end's value
            side = side - 1 if side <= 0 else -1
        else:
            a, fa = c, fc
            fb = fb / 2 if side > 0 else fb
            side = side + 1 if side >= 0 else 1
    return (a + b) / 2 if abs(b - a) <= width else None


def _real(value) -> mp.mpf:
    if isinstance(value, mp.mpc):
        if value.imag != 0:
            raise ValueError("complex value")
        return value.real
    return mp.mpf(value)


# -- fitting -------------------------------------------------------------------------------------
@dataclass
class _Model:
    a: sp.Rational
    alpha: mp.mpf
    beta: mp.mpf
    d: mp.mpf

    def __call__(self, j) -> mp.mpf:
        base = self.alpha * j + self.beta
        if base <= 0:
            raise ValueError("outside the model's range")
        return base ** to_mpf(self.a) + self.d

    def spacing(self, j) -> mp.mpf:
        return abs(self(j + 1) - self(j))



def _fit_three(roots: dict[int, mp.mpf], j1: int, j2: int, j3: int, a: sp.Rational) -> _Model | None:
    """(α j + β)^a + d through the zeros of index j1 < j2 < j3 (j2 the midpoint when d is free)."""
    r1, r2, r3 = roots[j1], roots[j2], roots[j3]
    inv = 1 / to_mpf(a)
    if a == 1:
        alpha = (r3 - r1) / (j3 - j1)
        return _Model(a, alpha, r1 - alpha * j1, mp.mpf(0))

    def linear(d):
        z1, z3 = (r1 - d) ** inv, (r3 - d) ** inv
        alpha = (z3 - z1) / (j3 - j1)
        return alpha, z1 - alpha * j1

    def curvature(d):
        z1, z2, z3 = (r1 - d) ** inv, (r2 - d) ** inv, (r3 - d) ** inv
        return (z3 - z2) / (j3 - j2) - (z2 - z1) / (j2 - j1)

    best = None
    for d in (mp.mpf(0), None):
        try:
            if d is None:
                d = _real(mp.findroot(curvature, mp.mpf(0), tol=mp.mpf(10) ** (-mp.mp.dps + 5)))
                if not d < r1:
                    continue
            alpha, beta = linear(d)
        except (ValueError, ZeroDivisionError, TypeError):
            continue
        if alpha <= 0:
            continue
        model = _Model(a, alpha, beta, d)
        error = abs(curvature(d)) / alpha
        if best is None or error < best[0]:
            best = (error, model)
        if error <= mp.mpf(10) ** (-(mp.mp.dps // 2)):
            break
    return best[1] if best else None


def _residual(model: _Model, roots: dict[int, mp.mpf], indices: Sequence[int]) -> mp.mpf:
    """Largest |y_j − model(j)| relative to the local spacing."""
    worst = mp.mpf(0)
    for j in indices:
        try:
            worst = max(worst, abs(roots[j] - model(j)) / model.spacing(j))
        except (ValueError, ZeroDivisionError):
            return mp.inf
    return worst


def _exponent_candidates(roots: dict[int, mp.mpf]) -> list[sp.Rational]:
    js = sorted(roots)
    m = len(js)
    j1, j2 = js[m // 2], js[-2]
    s1, s2 = roots[j1 + 1] - roots[j1], roots[j2 + 1] - roots[j2]
    if s1 <= 0 or s2 <= 0 or j2 == j1:
        return [sp.Integer(1)]
    estimate = 1 + float(mp.log(s2 / s1) / mp.log(mp.mpf(j2) / j1))
    candidates = {sp.Rational(p, q) for q in range(1, 7) for p in range(1, 6 * q + 1)
                  if abs(p / q - estimate) <= 0.35}
    candidates.add(sp.Integer(1))
    return sorted(candidates, key=lambda r: (abs(float(r) - estimate), r.q))


# -- identification ------------------------------------------------------------------------------
def _identify(value: mp.mpf, tolerance: mp.mpf, max_denominator: int) -> sp.Expr | None:
    """A rational multiple of a basis constant within ``tolerance`` (relative), else mpmath.identify."""
    if abs(value) <= tolerance:
        return sp.Integer(0)
    for c in _BASIS:
        cv = mp.mpf(sp.Float(c.evalf(mp.mp.dps + 5), mp.mp.dps + 5)._mpf_)
        q = value / cv
        frac = Fraction(mp.nstr(q, mp.mp.dps)).limit_denominator(max_denominator)
        if frac.numerator == 0 or abs(frac.numerator) > 100 * max_denominator:
            continue
        if abs(q - mp.mpf(frac.numerator) / frac.denominator) <= tolerance * abs(q):
            return sp.Rational(frac.numerator, frac.denominator) * c
    if tolerance < mp.mpf(10) ** -12:
        try:
            text = mp.identify(value, ["pi", "e", "log(2)"], tol=tolerance)
        except Exception:  # mpmath.identify can fail on unusual inputs
            text = None
        if text:
            try:
                return parse_expression(text, [], what="identified constant")
            except DlnsmoothError:
                return None
    return None


# -- the search for one function and one end --------------------------------------------------------
class _Searcher:
    def __init__(self, F: sp.Expr, x: sp.Symbol, end: _End, dps: int, deadline: float):
        self.end = end
        self.y = sp.Symbol("y", positive=True)
        self.h = F.xreplace({x: end.x_of(self.y)})
        self.dps = dps
        self.deadline = deadline
        self.field = VectorField([self.h], [self.y], name="h")
        self.vector = _vector_evaluator(self.field, deadline)

    def h_mp(self, v):
        return _real(self.field.mpmath_values(v)[0])

    def explore(self, max_roots: int, y_cap: float) -> dict[int, mp.mpf]:
        lo = self.end.y_start
        hi = lo + 8.0
        brackets: list[tuple[float, float]] = []
        while True:
            brackets, complete = _stable_brackets(self.vector, lo, hi, self.deadline)
            if len(brackets) >= max_roots or complete < hi or hi >= y_cap or time.perf_counter() > self.deadline:
                break
            hi = lo + 2 * (hi - lo)
        first = max(0, len(brackets) - max_roots)
        runs: list[dict[int, mp.mpf]] = [{}]
        with mp.workdps(self.dps):
            for j, (a, b) in enumerate(brackets[first:], start=first + 1):
                root = _refine(self.h_mp, mp.mpf(a), mp.mpf(b))
                if root is None or root <= 0:
                    runs.append({})  # a gap would break the consecutive indexing: start a new run
                    continue
                runs[-1][j] = root
        return max(runs, key=len)  # the longest run of consecutive zeros

    def refine_near(self, guess: mp.mpf, spacing: mp.mpf) -> mp.mpf | None:
        """The zero within half a spacing of ``guess`` (bracketed), or None."""
        for width in (mp.mpf("0.5"), mp.mpf("0.25")):
            a, b = guess - width * spacing, guess + width * spacing
            if a <= 0:
                a = guess / 2
            try:
                fa, fb = self.h_mp(a), self.h_mp(b)
            except (ValueError, ZeroDivisionError, TypeError, OverflowError):
                return None
            if fa * fb < 0:
                return _refine(self.h_mp, a, b)
        # no sign change within the window: try Newton-free secant from the guess, accept if close
        try:
            root = _real(mp.findroot(self.h_mp, (guess, guess + spacing / 1000), solver="secant"))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return None
        return root if abs(root - guess) < spacing / 2 else None

    def continue_model(self, model: _Model, roots: dict[int, mp.mpf]) -> tuple[_Model, _Model | None, int]:
        """Walk the ladder J = 8m, 64m, … ≤ LADDER_TOP; return the last model, the one before, the top J."""
        previous = None
        J = max(roots)
        while J < LADDER_TOP and time.perf_counter() < self.deadline:
            J = min(8 * J, LADDER_TOP)
            extra = int(3 * mp.log10(J)) + 10
            with mp.workdps(self.dps + extra):
                found = {}
                for j in (J, 2 * J, 3 * J):
                    guess = model(j)
                    root = self.refine_near(guess, model.spacing(j))
                    if root is None:
                        return model, previous, J // 8
                    found[j] = root
                fitted = _fit_three(found, J, 2 * J, 3 * J, model.a)
            if fitted is None:
                return model, previous, J // 8
            previous, model = model, fitted
            roots.update(found)
        return model, previous, J

    def large_index_checks(self, g: Callable[[int], mp.mpf], dps_base: int) -> list[LargeIndexCheck] | None:
        checks = []
        to_x = self.end.x_value
        for k in CHECK_INDICES:
            dps = dps_base + 3 * int(math.log10(k)) + 10
            with mp.workdps(dps):
                predicted = g(k)
                spacing = abs(g(k + 1) - predicted)
                root = self.refine_near(predicted, spacing)
                if root is None:
                    return None
                distance = abs(root - predicted)
                xp, xr, xn = to_x(predicted), to_x(root), to_x(g(k + 1))
                checks.append(LargeIndexCheck(k, mp.nstr(xp, 25), mp.nstr(xr, 25), mp.nstr(abs(xr - xp), 5),
                                              mp.nstr(abs(xn - xp), 5), dps, predicted, distance, spacing))
        return checks


def _point_value(p: sp.Expr) -> mp.mpf:
    return mp.mpf(sp.Float(p.evalf(mp.mp.dps + 5), mp.mp.dps + 5)._mpf_)


def _closed_form(model: _Model, previous: _Model | None, k: sp.Symbol, exact_fit: bool) -> sp.Expr | None:
    """Identify α, β, d; shift k so that 0 ≤ β < α; return (α k + β)^a + d in y-coordinates."""
    if exact_fit:
        tolerance = mp.mpf(10) ** (-(mp.mp.dps // 2))
    else:
        moved = max((abs(getattr(model, n) - getattr(previous, n)) / max(abs(getattr(model, n)), 1)
                     for n in ("alpha", "beta", "d")), default=mp.mpf(1)) if previous else mp.mpf("1e-3")
        tolerance = min(max(10 * moved, mp.mpf(10) ** -10), mp.mpf("1e-3"))
    max_den = 1000 if exact_fit else 24
    alpha = _identify(model.alpha, tolerance, max_den)
    if alpha is None or alpha == 0:
        return None
    alpha_value = model.alpha
    shift = mp.floor(model.beta / alpha_value)
    beta_rest = model.beta - shift * alpha_value
    ratio = _identify(beta_rest / alpha_value, tolerance, max_den)
    if ratio is not None:
        if ratio == 1:  # β a whole multiple of α after rounding
            ratio = sp.Integer(0)
        beta = ratio * alpha
    else:
        beta = _identify(beta_rest, tolerance, max_den)
        if beta is None:
            return None
    d = _identify(model.d, tolerance, max_den) if model.d != 0 else sp.Integer(0)
    if d is None:
        return None
    a = model.a
    base = sp.expand(alpha * k + beta)
    return base**a + d if a != 1 else base + d


def zero_sequences(
    objective: Objective,
    *,
    functions: Sequence[str] = ("f′",),
    ends: Sequence[str] | None = None,
    max_roots: int = 40,
    dps: int = 30,
    time_budget: float = 10.0,
    parameter: str = "k",
    y_cap: float = 4096.0,
) -> list[ZeroSequence]:
    """Sequences of zeros of the given functions (``"f′"``, ``"f‴"``) towards the given ends
    (``"+oo"``, ``"-oo"``, ``"finite"`` = the finite boundary points of the domain of continuity
    of the function; default all three), with closed forms (module docstring).

    ``max_roots`` zeros are fitted, ``dps`` digits is the working precision of the refinement,
    ``time_budget`` seconds bounds the whole search (what is found by then is returned).
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    if objective.n != 1:
        raise ShapeError(f"zero sequences are for functions of one variable; {objective.signature()} has "
                         f"{objective.n}")
    if max_roots < MIN_ROOTS:
        raise ValueError(f"max_roots must be at least {MIN_ROOTS}, got {max_roots}")
    if not time_budget > 0:
        raise ValueError(f"time_budget must be a positive number of seconds, got {time_budget}")
    unknown = [f for f in functions if f not in FUNCTIONS]
    if unknown:
        raise ValueError(f"unknown function(s) {', '.join(unknown)}; expected some of {', '.join(FUNCTIONS)}")
    x = objective.variables[0]
    k = sequence_parameter(parameter)
    if k.name == x.name:
        raise ParseError(f"the sequence parameter {parameter!r} is also the variable; choose another name")
    start = time.perf_counter()
    deadline = start + time_budget
    derivative = {"f′": objective.gradient[0], "f‴": sp.diff(objective.hessian[0, 0], x)}
    out: list[ZeroSequence] = []
    for name in functions:
        F = derivative[name]
        if F.is_number:
            continue  # a constant has no isolated zeros
        for end in _parse_ends(ends, F, x, min(3.0, time_budget / 4)):
            if time.perf_counter() > deadline:
                return out
            found = _one_sequence(objective, name, F, x, end, k, max_roots, dps, deadline, y_cap)
            if found is None and end.point is None and time.perf_counter() < deadline:
                # zeros too dense for a grid in x may be regular in y = e^(±x)
                found = _one_sequence(objective, name, F, x, _End(end.sign, log=True), k, max_roots, dps, deadline,
                                      y_cap)
            if found is not None and all(sp.simplify(found.closed_form - s.closed_form) != 0 or s.end != found.end
                                         for s in out):
                out.append(found)
    return out


def _one_sequence(objective, name, F, x, end, k, max_roots, dps, deadline, y_cap) -> ZeroSequence | None:
    try:
        searcher = _Searcher(F, x, end, dps, deadline)
        roots = searcher.explore(max_roots, y_cap)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, NameError):
        return None
    if len(roots) < MIN_ROOTS:
        return None  # no zeros, finitely many, or too few to fit within the range searched
    with mp.workdps(dps):
        js = sorted(roots)
        half = js[len(js) // 2:]
        j1, j3 = half[0], half[-1]
        if (j3 - j1) % 2:
            j1 += 1
        j2 = (j1 + j3) // 2
        fits = []
        top = max(roots.values())
        for a in _exponent_candidates(roots)[:12]:
            model = _fit_three(roots, j1, j2, j3, a)
            if model is None or abs(model.d) > 2 * top:
                continue  # a shift larger than the zeros themselves is an over-fit, not a law
            residual = _residual(model, roots, half)
            if residual <= mp.mpf("0.05"):
                fits.append((residual, model))
        fits.sort(key=lambda item: item[0])
    for residual, model in fits[:3]:
        found = _finish(searcher, objective, name, F, x, end, k, model, residual, len(roots), dict(roots), dps)
        if found is not None:
            return found
    return None


def _finish(searcher, objective, name, F, x, end, k, model, residual, count, roots, dps) -> ZeroSequence | None:
    """Continue, identify and check one fitted model."""
    exact_fit = residual < mp.mpf(10) ** (-(dps // 2))
    continued = False
    with mp.workdps(dps):
        if exact_fit:
            previous = None
        else:
            model, previous, _ = searcher.continue_model(model, roots)
            continued = previous is not None
            # the continuation moves the model a little; re-judge exactness on the finer fit
            exact_fit = continued and max(
                abs(model.alpha - previous.alpha), abs(model.beta - previous.beta)) < mp.mpf(10) ** (-(dps // 2))
        y_form = _closed_form(model, previous, k, exact_fit)
    if y_form is None:
        return None
    closed_form = VectorField([y_form], [k], name="y_k")
    checks = searcher.large_index_checks(lambda kk: _real(closed_form.mpmath_values(mp.mpf(kk))[0]), dps)
    if checks is None:
        return None
    distances = [c.y_distance for c in checks]
    spacings = [c.y_spacing for c in checks]
    exact = all(dd <= mp.mpf(10) ** (-(c.dps - 15)) * max(1, abs(c.y_predicted))
                for dd, c in zip(distances, checks))
    if not exact:
        asymptotic = (all(dd < s / 100 for dd, s in zip(distances, spacings))
                      and distances[-1] / spacings[-1] < distances[0] / spacings[0])
        if not asymptotic:
            return None
    x_form = end.x_of(y_form)
    restricted = F.xreplace({x: x_form})
    symbolic_zero = restricted == 0
    curve = Curve(objective.variables, [x_form], k,
                  name=f"{'zeros' if exact else 'asymptotic zeros'} of {name} towards {end.label()}")
    notes = [f"fitted on {count} numerically found zeros"
             + (f" and continued to index {LADDER_TOP:.0e}" if continued else " (exact fit: no continuation needed)")]
    return ZeroSequence(name, end.label(), x_form, k, "exact" if exact else "asymptotic", model.a,
                        count, checks, curve, symbolic_zero, notes)


def derivative_zero_sequences(
    objective: Objective,
    *,
    max_roots: int = 40,
    dps: int = 30,
    time_budget: float = 10.0,
    ends: Sequence[str] | None = None,
) -> list[Curve]:
    """Curves x = x_k (integer parameter k) through the zeros of f′ (exact or asymptotic
    closed forms), for objectives of one variable; ``[]`` when f′ has no zeros, finitely many,
    or zeros the closed forms do not cover. Each curve is a candidate for
    :func:`~dlnsmooth.certificate.certify_curve`; see :func:`zero_sequences`."""
    return [s.curve for s in zero_sequences(objective, functions=("f′",), ends=ends, max_roots=max_roots,
                                            dps=dps, time_budget=time_budget)]


def critical_sequences(
    objective: Objective,
    *,
    max_roots: int = 40,
    dps: int = 30,
    time_budget: float = 10.0,
    ends: Sequence[str] | None = None,
) -> list[ZeroSequence]:
    """Zeros of f′ and zeros of f‴ (local extrema of f″): the two kinds of sequence along which
    |f″| can be large while |f′| is small (e.g. f′ = 2 + sin(x²) has no zeros, but at the extrema
    of f″, x_k ≈ sqrt(kπ), f′ = 2 and |f″| → ∞)."""
    return zero_sequences(objective, functions=FUNCTIONS, ends=ends, max_roots=max_roots, dps=dps,
                          time_budget=time_budget)
