"""The parameter layout of feed-forward networks: blocks, names, the flattening order."""

from __future__ import annotations

import pytest

from dlnsmooth.errors import DataError, ShapeError, TooLargeError
from dlnsmooth.networks.architecture import Architecture, parameter_count


def test_seed_network_has_51_parameters_in_the_documented_order():
    arch = Architecture((1, 4, 7, 1), "tanh")
    assert arch.size == 51 == parameter_count((1, 4, 7, 1))
    assert [(b.name, b.offset, b.shape) for b in arch.blocks] == [
        ("W1", 0, (4, 1)), ("b1", 4, (4, 1)), ("W2", 8, (7, 4)), ("b2", 36, (7, 1)), ("W3", 43, (1, 7)), ("b3", 50, (1, 1))]
    names = arch.names()
    assert names[:5] == ["W1_1_1", "W1_2_1", "W1_3_1", "W1_4_1", "b1_1"]
    assert names[8:10] == ["W2_1_1", "W2_1_2"] and names[-1] == "b3_1"
    assert len(set(names)) == 51


def test_without_biases_the_order_is_the_deep_linear_one():
    arch = Architecture((2, 3, 1), "identity", bias=False)
    assert arch.names() == ["W1_1_1", "W1_1_2", "W1_2_1", "W1_2_2", "W1_3_1", "W1_3_2", "W2_1_1", "W2_1_2", "W2_1_3"]
    assert arch.bias_block(1) is None


def test_split_and_join_are_inverse():
    arch = Architecture((2, 3, 2), "sin")
    flat = list(range(arch.size))
    weights, biases = arch.split(flat)
    assert weights[0] == [[0, 1], [2, 3], [4, 5]] and biases[0] == [6, 7, 8]
    assert arch.join(weights, biases) == flat
    assert arch.join(weights)[6:9] == [0, 0, 0]  # biases default to 0


def test_bad_layouts_are_refused_clearly():
    with pytest.raises(ShapeError, match="positive integers"):
        Architecture((1, 0, 1), "tanh")
    with pytest.raises(ShapeError, match="define no layer"):
        Architecture((3,), "tanh")
    with pytest.raises(TooLargeError, match="250000"):
        Architecture((1000, 1000, 1), "tanh")
    with pytest.raises(DataError, match="unknown activation"):
        Architecture((1, 2, 1), "relu")
    arch = Architecture((1, 2, 1), "tanh")
    with pytest.raises(ShapeError, match="7 parameters"):
        arch.split([0] * 6)
    with pytest.raises(ShapeError, match="W2 must be 1 × 2"):
        arch.join([[[1], [2]], [[1, 2, 3]]])
    with pytest.raises(ShapeError, match="no parameter block 'b7'"):
        arch.block("b7")
