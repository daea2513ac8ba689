"""RMSProp on the toy LASSO λ‖β‖₁ (seed 003 App. B.3.3, eqs. (18)–(21)): the effective step and its O(γ^n) bound.

RMSProp keeps v = γ·v + (1 − γ)·g² (v starts at 0) and steps β ← β − α·g/√(v + ε̄). On L3 = λ‖β‖₁, while no
coordinate is 0, every subgradient is g = ±λ, so after n squared gradients (seed eq. (20))::

    v = (1 − γ^n)·λ²                                       (induction: :func:`prove_second_moment`)

and the step taken with that v has length (seed eq. (21), ε = ε̄/λ²)::

    s_n = αλ/√((1 − γ^n)λ² + ε̄) = α/√(1 + ε − γ^n)           (:func:`prove_effective_step`)

It decreases to s_∞ = α/√(1 + ε), and (mean value theorem for x ↦ α(1 + ε − x)^(−1/2), whose derivative
(α/2)(1 + ε − x)^(−3/2) increases in x)::

    0 ≤ s_n − s_∞ ≤ B(n) = (α/2)·γ^n·(1 + ε − γ^n)^(−3/2) = O(γ^n)   (:func:`prove_deviation_bound`)

proved as an algebraic identity: with p = √(1 + ε − γ^n) < q = √(1 + ε),
B(n) − (s_n − s_∞) = α(q − p)²(q + 2p)/(2p³q) ≥ 0. So late RMSProp moves each coordinate by α/√(1 + ε) up to
B(n): NDGM with penalty 1 (step α·1) up to ε = ε̄/λ² — whatever λ (Prop B.5) — while NDGM's own step is αλ.

The index n counts the squared gradients in v when the step is taken; which n belongs to which iteration is the
engine's convention (:class:`dlnsmooth.dynamics.methods.RMSProp`), passed here as ``offset`` (n = t + offset for
the step from β_t to β_{t+1}).

Prop B.4 (probability 0 of hitting 0) is a measure statement — the starts that reach 0 at step N form a countable
set C(N) (seed eq. (22)) — and is not computed here; what is checked is that the balls of a run exclude 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from flint import arb

from ..errors import DomainError
from ..numbers import to_arb
from .data import exact_fraction
from .toy_lasso import ProofStep, identity_step, sign_step

__all__ = [
    "relative_jitter",
    "second_moment",
    "effective_step",
    "limit_step",
    "deviation_bound",
    "AmplitudeCheck",
    "check_amplitudes",
    "prove_second_moment",
    "prove_effective_step",
    "prove_deviation_bound",
]


def _parameters(gamma: object, eps: object) -> tuple[Fraction, Fraction]:
    g = exact_fraction(gamma, "RMSProp decay γ")
    e = exact_fraction(eps, "ε")
    if not 0 < g < 1:
        raise DomainError(f"the RMSProp decay γ must be in (0, 1), got {g}")
    if e < 0:
        raise DomainError(f"ε must be ≥ 0, got {e}")
    return g, e


def relative_jitter(eps_bar: object, lam: object) -> Fraction:
    """ε = ε̄/λ² (seed, below eq. (20))."""
    l = exact_fraction(lam, "penalty λ")
    if l <= 0:
        raise DomainError(f"the toy LASSO penalty λ must be > 0, got {l}")
    e = exact_fraction(eps_bar, "RMSProp jitter ε̄")
    if e < 0:
        raise DomainError(f"the RMSProp jitter ε̄ must be ≥ 0, got {e}")
    return e / l**2


def second_moment(gamma: object, lam: object, n: int) -> Fraction:
    """v after n squared subgradients ±λ from v = 0: (1 − γ^n)λ² (seed eq. (20)), exactly."""
    g = exact_fraction(gamma, "RMSProp decay γ")
    l = exact_fraction(lam, "penalty λ")
    return (1 - g**n) * l**2


def effective_step(alpha: object, gamma: object, eps: object, n: int) -> arb:
    """s_n = α/√(1 + ε − γ^n) (seed eq. (21)) as a ball at the current flint precision; ε = ε̄/λ²."""
    g, e = _parameters(gamma, eps)
    if n < 1 and e == 0:
        raise DomainError("s_0 = α/√ε is infinite when ε = 0")
    return to_arb(exact_fraction(alpha, "step size α")) / to_arb(1 + e - g**n).sqrt()


def limit_step(alpha: object, eps: object) -> arb:
    """s_∞ = α/√(1 + ε), the late RMSProp step on λ‖β‖₁ (a ball)."""
    e = exact_fraction(eps, "ε")
    if e < 0:
        raise DomainError(f"ε must be ≥ 0, got {e}")
    return to_arb(exact_fraction(alpha, "step size α")) / to_arb(1 + e).sqrt()


def deviation_bound(alpha: object, gamma: object, eps: object, n: int) -> arb:
    """B(n) = (α/2)·γ^n·(1 + ε − γ^n)^(−3/2) ≥ s_n − s_∞ ≥ 0 (:func:`prove_deviation_bound`), a ball."""
    g, e = _parameters(gamma, eps)
    if n < 1 and e == 0:
        raise DomainError("B(0) is infinite when ε = 0")
    base = to_arb(1 + e - g**n)
    return to_arb(exact_fraction(alpha, "step size α") * g**n / 2) / (base * base.sqrt())


@dataclass(frozen=True)
class AmplitudeCheck:
    """Every step |β_{t+1}[k] − β_t[k]| of a ball trajectory compared with [s_∞ − B(t + offset), s_∞ + B(t + offset)].

    ``inside``/``outside``/``undecided`` count (step, coordinate) pairs whose amplitude ball lies inside the
    interval, outside it, or straddles an end; ``zero_free`` is True when every β_t[k] ball excludes 0 (the premise
    g = ±λ); ``lowest``/``highest`` are exact points (radius 0) with lowest ≤ every amplitude ≤ highest (rigorous:
    the minimum of the balls' lower ends, the maximum of their upper ends); ``largest_bound`` encloses B at the
    first step checked."""

    steps: int
    coordinates: int
    inside: int
    outside: int
    undecided: int
    zero_free: bool
    lowest: arb
    highest: arb
    largest_bound: arb

    @property
    def confirmed(self) -> bool:
        return self.zero_free and self.outside == 0 and self.undecided == 0 and self.inside > 0


def _contains_zero(x: arb) -> bool:
    return x.lower() <= 0 <= x.upper()


def check_amplitudes(states: Sequence[Sequence[arb]], *, alpha: object, gamma: object, eps: object,
                     first_step: int, offset: int) -> AmplitudeCheck:
    """Compare the step lengths of ``states`` (β_t for t = first_step, first_step + 1, …, as balls) with
    s_∞ ± B(t + offset); call under the :func:`~dlnsmooth.precision.working_precision` the states were made at."""
    if len(states) < 2:
        raise DomainError("at least two states are needed to measure a step")
    s_inf = limit_step(alpha, eps)
    inside = outside = undecided = 0
    zero_free = all(not _contains_zero(v) for state in states for v in state)
    lowest = highest = None
    largest_bound = deviation_bound(alpha, gamma, eps, first_step + offset)
    for j in range(len(states) - 1):
        bound = deviation_bound(alpha, gamma, eps, first_step + j + offset)
        low, high = s_inf - bound, s_inf + bound
        for before, after in zip(states[j], states[j + 1]):
            amplitude = abs(after - before)
            down, up = amplitude.lower(), amplitude.upper()
            lowest = down if lowest is None or down < lowest else lowest
            highest = up if highest is None or up > highest else highest
            if down >= low.upper() and up <= high.lower():
                inside += 1
            elif up < low.lower() or down > high.upper():
                outside += 1
            else:
                undecided += 1
    return AmplitudeCheck(len(states) - 1, len(states[0]), inside, outside, undecided, zero_free, lowest, highest,
                          largest_bound)


# -- symbolic proofs -------------------------------------------------------------------------------------------
def prove_second_moment() -> list[ProofStep]:
    """v_n = (1 − γ^n)λ² by induction (seed eq. (20)): v_0 = 0 = (1 − γ^0)λ², and with g = s·λ, s = ±1,
    γ(1 − γ^n)λ² + (1 − γ)g² = (1 − γ^(n+1))λ² (identities, for each sign s)."""
    gamma, lam = sp.symbols("gamma lambda", positive=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    closed = (1 - gamma**n) * lam**2
    steps = [identity_step("base: v_0 = 0 = (1 − γ^0)λ²", sp.Integer(0), closed.subs(n, 0))]
    for s in (1, -1):
        gradient = s * lam
        steps.append(identity_step(f"step, g = {'+' if s > 0 else '−'}λ: γ(1 − γ^n)λ² + (1 − γ)g² = (1 − γ^(n+1))λ²",
                               gamma * closed + (1 - gamma) * gradient**2, closed.subs(n, n + 1)))
    return steps


def prove_effective_step() -> list[ProofStep]:
    """α·g/√(v + ε̄) with g = ±λ, v = (1 − γ^n)λ² equals ±α/√(1 + ε − γ^n), ε = ε̄/λ² (seed eq. (21)): an
    identity with u = 1 + ε − γ^n > 0 (so (1 − γ^n)λ² + ε̄ = u·λ²) and λ > 0."""
    alpha, lam, u = sp.symbols("alpha lambda u", positive=True)
    return [identity_step("αλ/√(u·λ²) = α/√u", alpha * lam / sp.sqrt(u * lam**2), alpha / sp.sqrt(u)),
            identity_step("α(−λ)/√(u·λ²) = −α/√u", -alpha * lam / sp.sqrt(u * lam**2), -alpha / sp.sqrt(u))]


def prove_deviation_bound() -> list[ProofStep]:
    """0 ≤ s_n − s_∞ ≤ B(n): with p = √(1 + ε − γ^n) > 0, q = p + r = √(1 + ε), r > 0 (since γ^n > 0), so that
    γ^n = q² − p²: s_n − s_∞ = α(1/p − 1/q) = αr/(p q) > 0 and B(n) − (s_n − s_∞) = α r²(3p + r)/(2p³q) > 0,
    with B(n) = (α/2)(q² − p²)/p³ = (α/2)γ^n(1 + ε − γ^n)^(−3/2). Identities, then sign facts from p, r, α > 0."""
    alpha, p, r = sp.symbols("alpha p r", positive=True)
    q = p + r
    deviation = alpha * (1 / p - 1 / q)
    bound = alpha / 2 * (q**2 - p**2) / p**3
    gap_form = alpha * r**2 * (3 * p + r) / (2 * p**3 * q)
    steps = [
        identity_step("s_n − s_∞ = α(1/p − 1/q) = αr/(pq)", deviation, alpha * r / (p * q)),
        sign_step("αr/(pq) > 0", alpha * r / (p * q), 1),
        identity_step("B − (s_n − s_∞) = αr²(3p + r)/(2p³q)", bound - deviation, gap_form),
        sign_step("αr²(3p + r)/(2p³q) > 0", gap_form, 1),
    ]
    return steps
