"""Optimisers of seed 003 as exact dynamics: one step maps the state (β and the method's memory) to the next.

Index convention: step i (i = 0, 1, 2, …) maps the state at step i to the state at step i + 1 and uses
the selected subgradient ``g_i = g(β_i)`` of the objective (:mod:`dlnsmooth.dynamics.objectives`).

* :class:`Subgradient` (NDGM, seed (2)/(11)): ``β_{i+1} = β_i − α g_i``; memory: none.
* :class:`StochasticSubgradient`: ``β_{i+1} = β_i − α g_i^{B_i}`` with ``g^{B}`` the subgradient whose data term
  runs over the minibatch ``B_i`` of ``batch`` distinct rows drawn by ``numpy.random.default_rng((seed, i))``
  (sorted; a function of (seed, i) only, so any step can be replayed). Without data (the toy LASSO) or
  with ``batch ≥ N`` every step uses the full objective: identical to :class:`Subgradient` (seed §B.3.1).
* :class:`Momentum` (heavy ball in the seed's form (16)):
  ``β_{N+1} = β_N − α(1 − η) g_N + η(β_N − β_{N−1})`` with ``β_{−1} = β_0``; memory: β_{N−1}.
  On the toy LASSO a coordinate at 0 jumps to ``β_{N+1} = −ηβ_{N−1}`` (seed (17), Prop. B.3).
* :class:`RMSProp` (seed (18)–(19)): ``v_{i+1} = γ v_i + (1 − γ) g_i²`` (entrywise), ``v_0 = 0``, and
  ``β_{i+1} = β_i − α g_i / √(v_{i+1} + ε̄)`` (a coordinate with g_i[k] = 0 does not move). The seed writes
  the pair as (v_t, β_t → β_{t+1}) with t = i + 1 here: the step from β_i uses v_{i+1}, which has already
  seen g_i, as PyTorch does (never √ε̄ alone). On the toy LASSO with every β_i[k] ≠ 0,
  ``v_{i+1}[k] = (1 − γ^{i+1})λ²`` (seed (20)) and, with ε = ε̄/λ²,
  ``β_{i+1}[k] = β_i[k] − α/√(1 + ε − γ^{i+1}) · sign(β_i[k])`` (seed (21), t = i + 1): the effective step
  α/√(1 + ε − γ^t) no longer depends on λ. The square root is irrational, so RMSProp runs in ball arithmetic.

Parameters are exact rationals, validated: α > 0, η ∈ [0, 1), γ ∈ (0, 1), ε̄ ≥ 0, batch ≥ 1, seed ≥ 0.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import arb

from ..numbers import integer_power
from .data import exact_fraction
from .objectives import (
    ExactVector,
    NonsmoothObjective,
    ParameterError,
    combine,
    nonnegative_parameter,
    positive_parameter,
)

__all__ = ["MethodState", "Method", "Subgradient", "StochasticSubgradient", "Momentum", "RMSProp"]

Vector = ExactVector | list[arb]


@dataclass
class MethodState:
    """The state of a method at one step: β and the method's memory (β_{N−1} for momentum, v for RMSProp),
    all exact vectors or all lists of balls."""

    beta: Vector
    memory: tuple[Vector, ...] = ()

    def vectors(self) -> tuple[Vector, ...]:
        return (self.beta, *self.memory)


class Method(ABC):
    """A constant-step first-order method as a map of states (module docstring: the index convention).

    ``name``, ``alpha`` (exact), ``recursion`` (the update as text), ``state_size`` (number of vectors in the
    state: β plus memory), ``rational`` (the update is rational: exact iteration possible)."""

    name: str = "method"
    recursion: str = ""
    state_size: int = 1
    rational: bool = True

    def __init__(self, alpha: object) -> None:
        self.alpha = positive_parameter(alpha, "α")

    def parameters(self) -> dict[str, Fraction]:
        """The exact parameters by name (α first)."""
        return {"alpha": self.alpha}

    def autonomous(self, objective: NonsmoothObjective) -> bool:
        """True when the step does not depend on its index i (a repeated state then repeats forever)."""
        return True

    def initial_state(self, beta0: Vector) -> MethodState:
        """The state at step 0."""
        return MethodState(beta0)

    @abstractmethod
    def exact_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        """The state at step index + 1 from the state at step ``index``, exactly."""

    @abstractmethod
    def ball_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        """The same step in ball arithmetic (may raise UndecidedKink)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v}' for k, v in self.parameters().items())})"


def _ball(value: Fraction) -> arb:
    return arb(value.numerator) / value.denominator


class Subgradient(Method):
    """NDGM with a constant step: ``β_{i+1} = β_i − α g(β_i)`` (seed (2), (11))."""

    name = "subgradient"
    recursion = "β_{i+1} = β_i − α·g(β_i)"

    def exact_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        g = objective.exact_subgradient(state.beta)
        return MethodState(combine([(Fraction(1), state.beta), (-self.alpha, g)]))

    def ball_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        alpha = _ball(self.alpha)
        g = objective.ball_subgradient(state.beta)
        return MethodState([b - alpha * gk for b, gk in zip(state.beta, g)])


class StochasticSubgradient(Method):
    """Minibatch subgradient descent: ``β_{i+1} = β_i − α g^{B_i}(β_i)``, B_i = ``batch`` distinct rows from
    ``default_rng((seed, i))`` (module docstring); identical to :class:`Subgradient` without data."""

    name = "sgd"

    def __init__(self, alpha: object, batch: int = 1, seed: int = 0) -> None:
        super().__init__(alpha)
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise ParameterError(f"the batch size must be a positive integer, got {batch!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ParameterError(f"the seed must be a non-negative integer, got {seed!r}")
        self.batch = batch
        self.seed = seed
        self.recursion = f"β_{{i+1}} = β_i − α·g^(B_i)(β_i), |B_i| = {batch} rows from default_rng(({seed}, i))"

    def parameters(self) -> dict[str, Fraction]:
        return {"alpha": self.alpha, "batch": Fraction(self.batch), "seed": Fraction(self.seed)}

    def autonomous(self, objective: NonsmoothObjective) -> bool:
        return objective.rows == 0 or self.batch >= objective.rows

    def rows(self, objective: NonsmoothObjective, index: int) -> list[int] | None:
        """The minibatch of step ``index`` (None: the full objective)."""
        if self.autonomous(objective):
            return None
        rng = np.random.default_rng((self.seed, index))
        return sorted(int(r) for r in rng.choice(objective.rows, size=self.batch, replace=False))

    def exact_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        g = objective.exact_subgradient(state.beta, self.rows(objective, index))
        return MethodState(combine([(Fraction(1), state.beta), (-self.alpha, g)]))

    def ball_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        alpha = _ball(self.alpha)
        g = objective.ball_subgradient(state.beta, self.rows(objective, index))
        return MethodState([b - alpha * gk for b, gk in zip(state.beta, g)])


class Momentum(Method):
    """Heavy ball in the seed's form (16): ``β_{N+1} = β_N − α(1 − η) g_N + η(β_N − β_{N−1})``, β_{−1} = β_0;
    the state is (β_N, β_{N−1})."""

    name = "momentum"
    recursion = "β_{N+1} = β_N − α(1 − η)·g(β_N) + η(β_N − β_{N−1}), β_{−1} = β_0"
    state_size = 2

    def __init__(self, alpha: object, eta: object = Fraction(9, 10)) -> None:
        super().__init__(alpha)
        self.eta = nonnegative_parameter(eta, "η")
        if self.eta >= 1:
            raise ParameterError(f"η must be in [0, 1), got {self.eta}")

    def parameters(self) -> dict[str, Fraction]:
        return {"alpha": self.alpha, "eta": self.eta}

    def initial_state(self, beta0: Vector) -> MethodState:
        return MethodState(beta0, (beta0,))

    def exact_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        eta = self.eta
        g = objective.exact_subgradient(state.beta)
        previous = state.memory[0]
        following = combine([(1 + eta, state.beta), (-eta, previous), (-self.alpha * (1 - eta), g)])
        return MethodState(following, (state.beta,))

    def ball_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        eta, step = _ball(self.eta), _ball(self.alpha * (1 - self.eta))
        g = objective.ball_subgradient(state.beta)
        following = [b - step * gk + eta * (b - p) for b, gk, p in zip(state.beta, g, state.memory[0])]
        return MethodState(following, (list(state.beta),))


class RMSProp(Method):
    """RMSProp (seed (18)–(19)): ``v_{i+1} = γv_i + (1 − γ)g_i²``, v_0 = 0,
    ``β_{i+1} = β_i − α g_i/√(v_{i+1} + ε̄)``; the state is (β_i, v_i). Ball arithmetic only (√)."""

    name = "rmsprop"
    recursion = "v_{i+1} = γ·v_i + (1 − γ)·g(β_i)², v_0 = 0; β_{i+1} = β_i − α·g(β_i)/√(v_{i+1} + ε̄)"
    state_size = 2
    rational = False

    def __init__(self, alpha: object, gamma: object = Fraction(99, 100), eps_bar: object = Fraction(1, 10 ** 8)) -> None:
        super().__init__(alpha)
        self.gamma = exact_fraction(gamma, "γ")
        if not 0 < self.gamma < 1:
            raise ParameterError(f"γ must be in (0, 1), got {self.gamma}")
        self.eps_bar = nonnegative_parameter(eps_bar, "ε̄")

    def parameters(self) -> dict[str, Fraction]:
        return {"alpha": self.alpha, "gamma": self.gamma, "eps_bar": self.eps_bar}

    def initial_state(self, beta0: Vector) -> MethodState:
        if isinstance(beta0, ExactVector):
            return MethodState(beta0, (ExactVector.zeros(len(beta0)),))
        return MethodState(beta0, ([arb(0) for _ in beta0],))

    def exact_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        raise ParameterError("RMSProp divides by a square root: it runs in ball arithmetic, not exactly")

    def ball_step(self, objective: NonsmoothObjective, state: MethodState, index: int) -> MethodState:
        alpha, gamma, eps = _ball(self.alpha), _ball(self.gamma), _ball(self.eps_bar)
        g = objective.ball_subgradient(state.beta)
        memory = state.memory[0]
        v_next = [gamma * v + (1 - gamma) * integer_power(gk, 2) for v, gk in zip(memory, g)]
        following = [b - _scaled(alpha, gk, v + eps) for b, gk, v in zip(state.beta, g, v_next)]
        return MethodState(following, (v_next,))

    def effective_step_ball(self, lam: object, index: int) -> arb:
        """α/√(1 + ε − γ^{i+1}) with ε = ε̄/λ² (seed (21), t = i + 1): the toy LASSO step size at step i
        when no coordinate has reached 0 (λ > 0)."""
        lam_value = positive_parameter(lam, "λ")
        eps = _ball(self.eps_bar / (lam_value * lam_value))
        return _ball(self.alpha) / (1 + eps - _ball(self.gamma) ** (index + 1)).sqrt()


def _scaled(alpha: arb, g: arb, denominator: arb) -> arb:
    """α·g/√denominator, with 0 when g is exactly 0 (a coordinate without gradient does not move)."""
    if g.is_exact() and g == 0:
        return arb(0)
    return alpha * g / denominator.sqrt()
