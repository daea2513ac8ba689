"""The toy LASSO L3(β) = λ‖β‖₁ (seed 003 eq. (7)) under constant-step NDGM and momentum: closed forms and proofs.

NDGM on L3 is, coordinate by coordinate (seed eq. (11), the subgradient sign(0) = 0)::

    β_i[k] = β_{i−1}[k] − c·sign(β_{i−1}[k]),        c = αλ > 0.

Everything here is exact (:class:`fractions.Fraction`) or symbolic (SymPy with positivity assumptions):

* Prop B.1 — :func:`reaches_zero`: a coordinate ever reaches 0 iff β0[k]/c is an integer, and then at step
  |β0[k]|/c (:func:`zero_step`); afterwards it stays 0 (sign(0) = 0).
* Prop 4.1 / B.2 — :func:`coordinate_orbit` and :func:`toy_lasso_cycle`: for β0[k] not a multiple of c,
  γ_k = β0[k] mod c ∈ (0, c) and n_k = ⌊|β0[k]|/c⌋; the coordinate is at γ_k at step n_k when β0[k] > 0 and at
  γ_k − c when β0[k] < 0, and alternates between the two from then on; N0 = max_k n_k (with |β0[k]|/c for the
  multiples, which settle at 0) is the first step of the eventual cycle of the whole vector, of period 2 (1 when
  every coordinate is a multiple). The cycle never contains 0 in a non-multiple coordinate.
* Prop B.3 — momentum (seed eq. (16)) β_{N+1} = β_N − α(1−η)g_N + η(β_N − β_{N−1}): if β_N[k] = 0 and
  β_{N−1}[k] ≠ 0 then β_{N+1}[k] = −ηβ_{N−1}[k] ≠ 0 (:func:`prove_momentum_leaves_zero`). Starts that hit 0 exactly
  are found by :func:`momentum_zero_starts` (an exact search: with β_{−1} = β_0 the homogeneous part of the
  recursion is constant, so β_N = β_0 − α(1−η)λ·P_N with P_N a polynomial in η fixed by the signs seen).

The symbolic proofs (:func:`prove_zero_invariant`, :func:`prove_two_cycle`, :func:`prove_momentum_leaves_zero`)
return :class:`ProofStep` records that say which steps are identities checked by SymPy (an expression simplifies
to 0), which are sign facts SymPy decides from the assumptions (positive symbols, positive integers), and which are
definitions (floor, mod): the proof is only as good as that split, and the records keep it visible.

The claims (``proofs/kumar_*.py``) compare these closed forms with the engine
(:func:`dlnsmooth.dynamics.trajectory.iterate`), run through :func:`observe_run` / :func:`ndgm_run`, which keep
every state the engine reports.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor

import sympy as sp

from ..errors import DomainError, ShapeError
from .data import exact_fraction
from .methods import Method, MethodState, Subgradient
from .objectives import ExactVector, NonsmoothObjective, ToyLasso
from .trajectory import Cycle, Trajectory, iterate

__all__ = [
    "ProofStep",
    "CoordinateOrbit",
    "ToyLassoCycle",
    "step_length",
    "reaches_zero",
    "zero_step",
    "coordinate_orbit",
    "toy_lasso_cycle",
    "ndgm_coordinate",
    "momentum_coordinates",
    "momentum_zero_starts",
    "random_starts",
    "prove_zero_invariant",
    "prove_two_cycle",
    "prove_momentum_leaves_zero",
    "proof_holds",
    "identity_step",
    "sign_step",
    "ObservedRun",
    "observe_run",
    "ndgm_run",
]


# -- numbers ---------------------------------------------------------------------------------------------------
def step_length(alpha: object, lam: object) -> Fraction:
    """c = αλ, the length of every NDGM step on L3 away from 0; α > 0 and λ > 0 are required."""
    a, l = exact_fraction(alpha, "step size α"), exact_fraction(lam, "penalty λ")
    if a <= 0:
        raise DomainError(f"the step size α must be > 0, got {a}")
    if l <= 0:
        raise DomainError(f"the toy LASSO penalty λ must be > 0, got {l}")
    return a * l


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


# -- Prop B.1 --------------------------------------------------------------------------------------------------
def reaches_zero(b0: object, alpha: object, lam: object) -> bool:
    """Prop B.1: NDGM on λ‖β‖₁ drives the coordinate started at ``b0`` to 0 iff b0/(αλ) is an integer."""
    return (exact_fraction(b0, "β0[k]") / step_length(alpha, lam)).denominator == 1


def zero_step(b0: object, alpha: object, lam: object) -> int | None:
    """The step |b0|/(αλ) at which the coordinate reaches 0 (and stays), or None when it never does (B.1)."""
    ratio = exact_fraction(b0, "β0[k]") / step_length(alpha, lam)
    return abs(ratio.numerator) if ratio.denominator == 1 else None


# -- Prop 4.1 / B.2 --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CoordinateOrbit:
    """The exact NDGM orbit of one coordinate of L3 = λ‖β‖₁ (seed eqs. (11), (13)–(14)).

    ``c`` = αλ. Before ``enters_at`` the coordinate moves monotonically towards 0 by c per step
    (β_i = b0 − i·c·sign(b0)); from ``enters_at`` on it repeats ``cycle`` (period ``len(cycle)``):
    ``(γ, γ − c)`` or ``(γ − c, γ)`` for a non-multiple of c, ``(0,)`` for a multiple. ``gamma`` = b0 mod c ∈ (0, c)
    (None for a multiple)."""

    b0: Fraction
    c: Fraction
    gamma: Fraction | None
    enters_at: int
    cycle: tuple[Fraction, ...]

    @property
    def period(self) -> int:
        return len(self.cycle)

    @property
    def multiple(self) -> bool:
        """True when b0 is an integer multiple of c (the coordinate reaches 0: Prop B.1)."""
        return self.gamma is None

    @property
    def phase(self) -> str:
        """Where the coordinate is at ``enters_at``: ``"γ"``, ``"γ − αλ"`` or ``"0"``."""
        if self.multiple:
            return "0"
        return "γ" if self.cycle[0] == self.gamma else "γ − αλ"

    def value_at(self, i: int) -> Fraction:
        """β_i[k], exactly, for any step i ≥ 0 (closed form, no iteration)."""
        if i < 0:
            raise DomainError(f"the step must be ≥ 0, got {i}")
        if i <= self.enters_at:
            return self.b0 - i * self.c * _sign(self.b0)
        return self.cycle[(i - self.enters_at) % self.period]


def coordinate_orbit(b0: object, alpha: object, lam: object) -> CoordinateOrbit:
    """The orbit of one coordinate (Prop 4.1/B.2): γ = b0 mod αλ, n = ⌊|b0|/(αλ)⌋, the phase at n from sign(b0).

    b0 = γ + n·c > 0 reaches γ at step n, then γ − c; b0 = (γ − c) − n·c < 0 reaches γ − c at step n, then γ;
    a multiple b0 = ±M·c reaches 0 at step M and stays (period 1)."""
    b = exact_fraction(b0, "β0[k]")
    c = step_length(alpha, lam)
    ratio = b / c
    if ratio.denominator == 1:
        return CoordinateOrbit(b, c, None, abs(ratio.numerator), (Fraction(0),))
    gamma = b - c * floor(ratio)
    steps = floor(abs(ratio))
    cycle = (gamma, gamma - c) if b > 0 else (gamma - c, gamma)
    return CoordinateOrbit(b, c, gamma, steps, cycle)


def ndgm_coordinate(b0: object, alpha: object, lam: object, i: int) -> Fraction:
    """β_i[k] of NDGM on λ‖β‖₁ from β_0[k] = b0, in closed form (:meth:`CoordinateOrbit.value_at`)."""
    return coordinate_orbit(b0, alpha, lam).value_at(i)


@dataclass(frozen=True)
class ToyLassoCycle:
    """The eventual cycle of the whole vector (Prop 4.1/B.2), in closed form.

    ``enters_at`` = N0 = max_k n_k, the first step from which β_{N+period} = β_N; ``states`` = β_{N0}, …,
    β_{N0+period−1}; ``detected_at`` = N0 + period, the first step at which an exact iteration can see the repeat.
    """

    alpha: Fraction
    lam: Fraction
    orbits: tuple[CoordinateOrbit, ...]

    @property
    def c(self) -> Fraction:
        return self.alpha * self.lam

    @property
    def enters_at(self) -> int:
        return max((o.enters_at for o in self.orbits), default=0)

    @property
    def period(self) -> int:
        return 2 if any(not o.multiple for o in self.orbits) else 1

    @property
    def detected_at(self) -> int:
        return self.enters_at + self.period

    @property
    def states(self) -> tuple[tuple[Fraction, ...], ...]:
        return tuple(self.state_at(self.enters_at + j) for j in range(self.period))

    @property
    def gammas(self) -> tuple[Fraction | None, ...]:
        return tuple(o.gamma for o in self.orbits)

    @property
    def phases(self) -> tuple[str, ...]:
        """The phase of each coordinate at N0 (``"γ"``, ``"γ − αλ"`` or ``"0"``)."""
        n0 = self.enters_at
        names = {True: "γ", False: "γ − αλ"}
        return tuple("0" if o.multiple else names[o.value_at(n0) == o.gamma] for o in self.orbits)

    @property
    def norms1(self) -> tuple[Fraction, ...]:
        """‖β‖₁ of each cycle state."""
        return tuple(sum((abs(v) for v in state), Fraction(0)) for state in self.states)

    def state_at(self, i: int) -> tuple[Fraction, ...]:
        """β_i, exactly, from the closed forms."""
        return tuple(o.value_at(i) for o in self.orbits)


def toy_lasso_cycle(beta0: Sequence[object], alpha: object, lam: object) -> ToyLassoCycle:
    """The closed-form eventual cycle of NDGM on λ‖β‖₁ from ``beta0`` (any number of coordinates)."""
    if len(beta0) == 0:
        raise ShapeError("β0 must have at least one coordinate")
    a, l = exact_fraction(alpha, "step size α"), exact_fraction(lam, "penalty λ")
    return ToyLassoCycle(a, l, tuple(coordinate_orbit(b, a, l) for b in beta0))


# -- momentum (Prop B.3) ---------------------------------------------------------------------------------------
def momentum_coordinates(beta0: Sequence[object], alpha: object, lam: object, eta: object,
                         steps: int) -> list[list[Fraction]]:
    """β_0, …, β_steps of heavy-ball momentum on λ‖β‖₁ (seed eq. (16)), exactly, with β_{−1} = β_0:
    β_{N+1} = β_N − α(1−η)λ·sign(β_N) + η(β_N − β_{N−1}). A plain reference loop (the engine's ``Momentum`` is
    what the claims check; this is the closed recursion written once more for the search below)."""
    c = step_length(alpha, lam)
    e = exact_fraction(eta, "momentum η")
    if not 0 <= e < 1:
        raise DomainError(f"the momentum η must be in [0, 1), got {e}")
    current = [exact_fraction(b, "β0[k]") for b in beta0]
    previous = list(current)
    rows = [list(current)]
    for _ in range(steps):
        following = [b - c * (1 - e) * _sign(b) + e * (b - p) for b, p in zip(current, previous)]
        previous, current = current, following
        rows.append(list(current))
    return rows


def momentum_zero_starts(alpha: object, lam: object, eta: object, *, steps: int, grid: int,
                         min_step: int = 2) -> list[tuple[Fraction, int]]:
    """Starts b0 = α(1−η)λ·j/``grid`` (j = 1, …, 2·``grid``·``steps``) whose momentum orbit hits 0 exactly at a step
    N ≥ ``min_step`` with β_{N−1} ≠ 0: a small exact search, returned as (b0, N) pairs.

    Why these candidates: with β_{−1} = β_0 the recursion's homogeneous part keeps β_0, so
    β_N = β_0 − α(1−η)λ·P_N(η), P_N a polynomial in η with integer coefficients fixed by the signs seen; a hit
    needs β_0 ∈ α(1−η)λ·Z[η], which the grid samples when η's denominator divides ``grid``."""
    a, l, e = (exact_fraction(alpha, "step size α"), exact_fraction(lam, "penalty λ"),
               exact_fraction(eta, "momentum η"))
    unit = a * (1 - e) * l
    candidates = [unit * Fraction(j, grid) for j in range(1, 2 * grid * steps + 1)]
    rows = momentum_coordinates(candidates, a, l, e, steps)
    found = []
    for k, b0 in enumerate(candidates):
        hit = next((n for n in range(max(min_step, 1), steps + 1) if rows[n][k] == 0 and rows[n - 1][k] != 0), None)
        if hit is not None:
            found.append((b0, hit))
    return found


# -- random inputs ---------------------------------------------------------------------------------------------
def random_starts(rng: random.Random, count: int, *, denominator: int = 10_000,
                  bound: Fraction = Fraction(1)) -> list[Fraction]:
    """``count`` rationals j/``denominator`` drawn uniformly from [−bound, bound] (seeded through ``rng``)."""
    top = int(bound * denominator)
    return [Fraction(rng.randint(-top, top), denominator) for _ in range(count)]


# -- symbolic proofs -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProofStep:
    """One step of a symbolic proof: ``kind`` is ``"identity"`` (SymPy simplified the difference of the two sides
    to 0), ``"sign fact"`` (SymPy decided a sign from the symbols' assumptions) or ``"definition"`` (a fact of the
    definitions — floor, mod — recorded, not computed); ``holds`` is what the computation returned."""

    statement: str
    kind: str
    holds: bool
    detail: str = ""


def proof_holds(steps: Sequence[ProofStep]) -> bool:
    """True when the proof has steps and every computed step holds."""
    return bool(steps) and all(s.holds for s in steps)


def identity_step(statement: str, lhs: sp.Expr, rhs: sp.Expr) -> ProofStep:
    """An ``"identity"`` step: holds when SymPy simplifies lhs − rhs to 0."""
    difference = sp.simplify(lhs - rhs)
    return ProofStep(statement, "identity", difference == 0, f"({sp.sstr(lhs)}) − ({sp.sstr(rhs)}) → "
                                                             f"{sp.sstr(difference)}")


def sign_step(statement: str, expr: sp.Expr, expected: int) -> ProofStep:
    """A ``"sign fact"`` step: holds when SymPy decides from the assumptions that sign(expr) = ``expected``
    (1, −1 or 0); an undecided sign fails."""
    decided = {1: expr.is_positive, -1: expr.is_negative, 0: expr.is_zero}[expected]
    nonzero = expr.is_nonzero if expected != 0 else True
    return ProofStep(statement, "sign fact", bool(decided) and bool(nonzero),
                     f"SymPy: sign({sp.sstr(expr)}) = {sp.sstr(sp.sign(expr))}")


def _ndgm_step(x: sp.Expr, c: sp.Expr) -> sp.Expr:
    """x − c·sign(x), with SymPy deciding sign(x) from the assumptions (an unevaluated sign fails the proof)."""
    return x - c * sp.sign(x)


def prove_zero_invariant() -> list[ProofStep]:
    """Prop B.1, symbolically: β_i − β_0 ∈ cZ for every i (each step adds −c·s, s ∈ {−1, 0, 1}), so β_i = 0 forces
    β_0 ∈ cZ; conversely β_0 = M·c (M ≥ 1 an integer) decreases by c while positive and reaches 0 at step M, and 0
    stays 0 (sign(0) = 0)."""
    c = sp.Symbol("c", positive=True)
    b0 = sp.Symbol("beta0", real=True)
    j = sp.Symbol("j", integer=True)
    i = sp.Symbol("i", integer=True, positive=True)
    steps = []
    for s in (-1, 0, 1):
        after = (b0 + j * c) - c * s
        steps.append(identity_step(f"sign s = {s}: (β0 + j·c) − c·s − β0 = (j − s)·c", after - b0, (j - s) * c))
        steps.append(ProofStep(f"j − ({s}) is an integer", "sign fact", bool((j - s).is_integer), "SymPy: is_integer"))
    steps.append(identity_step("β_i = β0 + j·c = 0 ⇒ β0 = (−j)·c, an integer multiple of c", sp.solve(b0 + j * c, b0)[0],
                           -j * c))
    before_zero = i * c
    steps.append(sign_step("β0 = M·c, β_{M−i} = i·c > 0 for 1 ≤ i ≤ M (sign 1)", before_zero, 1))
    steps.append(identity_step("β_{M−i+1} = i·c − c·sign(i·c) = (i − 1)·c", _ndgm_step(before_zero, c), (i - 1) * c))
    steps.append(identity_step("0 stays 0: 0 − c·sign(0) = 0", _ndgm_step(sp.Integer(0), c), sp.Integer(0)))
    steps.append(identity_step("negative multiple: −i·c − c·sign(−i·c) = −(i − 1)·c", _ndgm_step(-before_zero, c),
                           -(i - 1) * c))
    return steps


def prove_two_cycle() -> list[ProofStep]:
    """Prop 4.1/B.2, symbolically, with c = αλ = γ + δ, γ > 0, δ > 0 (exactly γ ∈ (0, c)) and integers m ≥ 0:

    positive start β0 = γ + m·c: β_{m−i} = γ + i·c > 0 (sign fact) and one step gives γ + (i−1)·c (identity), so by
    induction β_m = γ; then β_{m+1} = γ − c = −δ (sign of γ: 1), β_{m+2} = −δ + c = γ (sign of −δ: −1). Negative
    start β0 = −δ − m·c: β_{m−i} = −δ − i·c < 0 and one step gives −δ − (i−1)·c, so β_m = −δ = γ − c, then γ, then
    γ − c. The cycle never contains 0: γ ≠ 0 and γ − c = −δ ≠ 0 (sign facts). The values of γ and m for a given
    β0 are γ = β0 mod c and m = ⌊|β0|/c⌋ (definitions: γ + m·c with γ ∈ (0, c) is the division with remainder)."""
    g, d = sp.symbols("gamma delta", positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    c = g + d
    up = g + i * c
    down = -d - i * c
    steps = [
        ProofStep("c = αλ = γ + δ with γ, δ > 0 is exactly γ ∈ (0, αλ)", "definition", True, "parametrisation"),
        ProofStep("β0 = γ + m·c (β0 > 0) or β0 = (γ − c) − m·c (β0 < 0), m = ⌊|β0|/c⌋, γ = β0 mod c", "definition",
                  True, "division with remainder; the exact computation uses Fraction floor/mod"),
        sign_step("positive start, before the cycle: γ + i·c > 0 (i ≥ 1)", up, 1),
        identity_step("positive start, induction step: (γ + i·c) − c·sign(γ + i·c) = γ + (i − 1)·c",
                  _ndgm_step(up, c), g + (i - 1) * c),
        sign_step("at step m: γ > 0", g, 1),
        identity_step("step m + 1: γ − c·sign(γ) = γ − c", _ndgm_step(g, c), g - c),
        sign_step("γ − c = −δ < 0", g - c, -1),
        identity_step("step m + 2: (γ − c) − c·sign(γ − c) = γ", _ndgm_step(g - c, c), g),
        sign_step("negative start, before the cycle: −δ − i·c < 0 (i ≥ 1)", down, -1),
        identity_step("negative start, induction step: (−δ − i·c) − c·sign(−δ − i·c) = −δ − (i − 1)·c",
                  _ndgm_step(down, c), -d - (i - 1) * c),
        identity_step("negative start at step m: −δ = γ − c", -d, g - c),
        sign_step("the cycle avoids 0: γ ≠ 0", g, 1),
        sign_step("the cycle avoids 0: γ − c ≠ 0", g - c, -1),
        sign_step("the two states differ: γ − (γ − c) = c ≠ 0 (the period is 2, not 1)", g - (g - c), 1),
    ]
    return steps


def prove_momentum_leaves_zero() -> list[ProofStep]:
    """Prop B.3, symbolically: with β_N = 0 (so the subgradient sign(0)·λ = 0), seed eq. (16) gives
    β_{N+1} = 0 − α(1−η)·λ·sign(0) + η(0 − β_{N−1}) = −η·β_{N−1}, which is ≠ 0 when η > 0 and β_{N−1} ≠ 0."""
    alpha, lam, eta = sp.symbols("alpha lambda eta", positive=True)
    previous = sp.Symbol("beta_prev", nonzero=True, real=True)
    zero = sp.Integer(0)
    after = zero - alpha * (1 - eta) * lam * sp.sign(zero) + eta * (zero - previous)
    identity = identity_step("β_{N+1} = β_N − α(1−η)λ·sign(β_N) + η(β_N − β_{N−1}) at β_N = 0 equals −η·β_{N−1}",
                         after, -eta * previous)
    nonzero = ProofStep("−η·β_{N−1} ≠ 0 for η > 0, β_{N−1} ≠ 0", "sign fact", bool((-eta * previous).is_nonzero),
                        f"SymPy: ({sp.sstr(-eta * previous)}).is_nonzero = {(-eta * previous).is_nonzero}")
    return [identity, nonzero]


# -- runs of the engine, observed step by step -----------------------------------------------------------------
@dataclass(frozen=True)
class ObservedRun:
    """An engine run (:func:`dlnsmooth.dynamics.trajectory.iterate`) with every β_k it went through:
    ``states[k]`` = β_k for k = 0, …, ``trajectory.steps_done`` (Fractions when exact, balls otherwise)."""

    trajectory: Trajectory
    states: list[list]

    @property
    def cycle(self) -> Cycle | None:
        return self.trajectory.cycle

    def first_zero(self, k: int) -> int | None:
        """The first observed step at which coordinate k is exactly 0 (None if never; exact runs only)."""
        return next((i for i, state in enumerate(self.states) if state[k] == 0), None)


def observe_run(objective: NonsmoothObjective, method: Method, beta0: Sequence[object], *, steps: int,
                arithmetic: str = "exact", dps: int = 50, detect_cycle: bool = True) -> ObservedRun:
    """Run the engine (with cycle detection unless ``detect_cycle`` is False) and keep every β_k it reports through
    ``observe``."""
    seen: dict[int, list] = {}

    def keep(k: int, state: MethodState) -> None:
        beta = state.beta
        seen[k] = beta.to_fractions() if isinstance(beta, ExactVector) else list(beta)

    trajectory = iterate(objective, method, beta0, steps=steps, arithmetic=arithmetic, dps=dps, observe=keep,
                         detect_cycle=detect_cycle, progress=False)
    if 0 not in seen:
        seen[0] = [exact_fraction(b, "β0[k]") for b in beta0] if trajectory.arithmetic == "exact" else None
    missing = [k for k in range(trajectory.steps_done + 1) if k not in seen or seen[k] is None]
    if missing:
        raise RuntimeError(f"the engine did not report the states at steps {missing[:5]}")
    return ObservedRun(trajectory, [seen[k] for k in range(trajectory.steps_done + 1)])


def ndgm_run(beta0: Sequence[object], alpha: object, lam: object, *, steps: int) -> ObservedRun:
    """NDGM (engine :class:`~dlnsmooth.dynamics.methods.Subgradient`) on the engine's
    :class:`~dlnsmooth.dynamics.objectives.ToyLasso`, exactly, observed step by step."""
    return observe_run(ToyLasso(lam, len(beta0)), Subgradient(alpha), beta0, steps=steps)
