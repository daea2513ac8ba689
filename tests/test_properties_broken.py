"""The property suite can fail: deliberately broken implementations, each caught by a property.

Every broken implementation subclasses the adapter ``Implementation`` of
``tests/test_properties_conditions.py`` and changes one thing; the *same* property functions
(``prop_*``) run on it, and Hypothesis must find an instance on which the property fails
(``hypothesis.find``: generation, then shrinking to a small counterexample). The real
implementation must pass on that very counterexample, so the failure is the mutant's fault.

| broken implementation        | what it gets wrong                                    | caught by                    |
|------------------------------|-------------------------------------------------------|------------------------------|
| ``IntegratedUsesMax``        | the "integrated" condition aggregates with the max    | prop_darboux_sums            |
| ``NormWithoutSquareRoot``    | the vector norm returns Σ vᵢ² (no square root)        | prop_partition_requirement   |
|                              |                                                       | (triangle step), prop_scaling|
| ``OrderingKeepsConstants``   | Prop 3(a) with (C0, C1) instead of (C0 + C1, C1)      | prop_order_ordering          |
| ``LowerDarbouxSum``          | the partition sum uses the min on each piece          | prop_darboux_sums            |
| ``OrderingBoundWithoutOne``  | bounds a^ρ1 by a^ρ2 instead of 1 + a^ρ2               | prop_power_ordering          |
"""

from __future__ import annotations

import contextlib
from unittest import mock

import mpmath as mp
import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from strategies import cond_rho_pairs
from test_properties_conditions import (
    DPS,
    REAL,
    Implementation,
    ball_power,
    nonnegative_reals,
    ordering_instances,
    pair_instances,
    prop_darboux_sums,
    prop_order_ordering,
    prop_partition_requirement,
    prop_power_ordering,
    prop_scaling,
)

import dlnsmooth.conditions as conditions_module
import dlnsmooth.segment as segment_module
from dlnsmooth.conditions import RhoIntegrated, RhoOrder
from dlnsmooth.numbers import power
from dlnsmooth.segment import Segment


# ---------------------------------------------------------------------------------------
# the broken implementations
# ---------------------------------------------------------------------------------------
class _MaxIntegrated(RhoIntegrated):
    def aggregate(self, D, segment, dps):
        return RhoOrder.aggregate(self, D, segment, dps)  # max_θ ‖D‖^ρ where ∫₀¹ ‖D‖^ρ dθ belongs


class IntegratedUsesMax(Implementation):
    name = "integrated check using the max"
    integrated_class = _MaxIntegrated


def _squared_norm(vector):
    return mp.fsum(v * v for v in vector)  # √ forgotten


class NormWithoutSquareRoot(Implementation):
    name = "vector norm without the square root"

    def norm(self, vector):
        return _squared_norm(vector)

    def library(self):
        stack = contextlib.ExitStack()
        stack.enter_context(mock.patch.object(conditions_module, "vector_norm", _squared_norm))
        stack.enter_context(mock.patch.object(segment_module, "vector_norm", _squared_norm))
        return stack


class OrderingKeepsConstants(Implementation):
    name = "ordering with (C0, C1) instead of (C0 + C1, C1)"

    def ordering_constants(self, C0, C1):
        return C0, C1


class LowerDarbouxSum(Implementation):
    name = "partition sum with the lower instead of the upper sum"

    def darboux_term(self, D, a, b, rho):
        with mp.workdps(DPS):
            segment = Segment(a, b)
            worst = segment.maximum(lambda th: -self.norm(D(segment.point(th), mp.mp.dps)) ** 2, DPS, grid=4)
            return power(mp.sqrt(-worst.value), rho)


class OrderingBoundWithoutOne(Implementation):
    name = "a^ρ1 ≤ a^ρ2 (the 1 + forgotten)"

    def ordering_bound(self, a, rho1, rho2):
        return ball_power(a, rho2)


# ---------------------------------------------------------------------------------------
# the hunt
# ---------------------------------------------------------------------------------------
def _fails(prop, impl, case) -> bool:
    try:
        prop(impl, *case)
    except AssertionError:
        return True
    return False


def hunt(prop, impl, strategy, max_examples: int = 100):
    """A (shrunk) counterexample to ``prop`` for ``impl``; fails the test when Hypothesis finds none."""
    budget = settings(max_examples=max_examples, database=None, derandomize=True, deadline=None,
                      phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    try:
        case = find(strategy, lambda case: _fails(prop, impl, case), settings=budget)
    except NoSuchExample:
        pytest.fail(f"{prop.__name__} did not catch the broken implementation: {impl.name}")
    assert not _fails(prop, REAL, case), f"the real implementation fails on the counterexample too: {case!r}"
    return case


pairs = pair_instances().map(lambda inst: (inst,))
scaled_pairs = st.tuples(pair_instances(max_vars=3), st.sampled_from([2, 3, 10]).map(sp.Integer))
powers = st.tuples(nonnegative_reals(), cond_rho_pairs()).map(lambda c: (c[0], *c[1]))


@pytest.mark.parametrize("impl", [IntegratedUsesMax(), LowerDarbouxSum()], ids=lambda i: type(i).__name__)
def test_darboux_property_catches(impl):
    (inst,) = hunt(prop_darboux_sums, impl, pairs)
    assert inst.C1 > 0 and inst.rho > 0  # with C1 = 0 or ρ = 0 both sums are constant: no mutant can be seen


def test_partition_property_catches_a_norm_without_square_root():
    hunt(prop_partition_requirement, NormWithoutSquareRoot(), pairs)


def test_scaling_property_catches_a_norm_without_square_root():
    hunt(prop_scaling, NormWithoutSquareRoot(), scaled_pairs)


def test_ordering_property_catches_unchanged_constants():
    inst, rho2 = hunt(prop_order_ordering, OrderingKeepsConstants(), ordering_instances())
    assert inst.rho < rho2  # for ρ1 = ρ2 the constants (C0, C1) are right


def test_power_ordering_catches_a_forgotten_one():
    a, rho1, rho2 = hunt(prop_power_ordering, OrderingBoundWithoutOne(), powers)
    assert a < 1 or rho1 == rho2 == 0  # a^ρ1 > a^ρ2 needs a < 1 (or 0^0 = 1 > 0^ρ2)


def test_the_real_implementation_is_not_one_of_them():
    # the adapters differ from the real one only in the overridden operation
    for impl in (IntegratedUsesMax(), NormWithoutSquareRoot(), OrderingKeepsConstants(), LowerDarbouxSum(),
                 OrderingBoundWithoutOne()):
        assert isinstance(impl, Implementation) and type(impl) is not Implementation
