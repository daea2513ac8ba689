"""The parameter layout of a feed-forward network: names, blocks and the one flattening order.

Widths ``(n_0, n_1, …, n_L)``: ``n_0`` is the input dimension, ``n_L`` the output
dimension (any m ≥ 1), L ≥ 1 the number of affine layers. Layer l is
``z_l = M_l a_{l−1} + b_l`` with ``M_l`` of shape ``n_l × n_{l−1}``; the activation
is applied after every hidden layer (``a_l = σ(z_l)``, l < L) and not after the
last (the output is ``u = z_L``); ``a_0 = x``.

**Flattening order** (the order of :attr:`Objective.variables`, of flat
points, gradients and Hessians): layer by layer, l = 1 … L; within layer l
first the weight matrix ``M_l`` row by row — entries named ``W{l}_{i}_{j}``
(1-based row i, column j) — then, when the network has biases, the bias
vector ``b_l`` — entries named ``b{l}_{i}``. Without biases this is exactly
the order and the names of :mod:`dlnsmooth.networks.deep_linear`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..errors import ShapeError, TooLargeError
from .activations import Activation, get_activation

__all__ = ["ParameterBlock", "Architecture", "check_feedforward_widths", "parameter_count",
           "MAX_NETWORK_PARAMETERS"]

#: Largest network the package builds (weights and biases together; as for deep linear networks).
MAX_NETWORK_PARAMETERS = 250_000


@dataclass(frozen=True)
class ParameterBlock:
    """One weight matrix ``W{layer}`` (shape ``n_l × n_{l−1}``) or bias vector ``b{layer}``
    (shape ``n_l × 1``), starting at ``offset`` in the flat parameter vector."""

    layer: int
    kind: Literal["weight", "bias"]
    shape: tuple[int, int]
    offset: int

    @property
    def name(self) -> str:
        return f"{'W' if self.kind == 'weight' else 'b'}{self.layer}"

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def stop(self) -> int:
        return self.offset + self.size

    def entry_names(self) -> list[str]:
        """The variable names of the block's entries, in flattening order."""
        n, m = self.shape
        if self.kind == "weight":
            return [f"W{self.layer}_{i + 1}_{j + 1}" for i in range(n) for j in range(m)]
        return [f"b{self.layer}_{i + 1}" for i in range(n)]


def parameter_count(widths: Sequence[int], bias: bool = True) -> int:
    """Σ_l n_l·n_{l−1} (+ Σ_l n_l with biases)."""
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    return weights + (sum(widths[1:]) if bias else 0)


def check_feedforward_widths(widths: Sequence[int], bias: bool = True, *, unit: str = "parameters") -> tuple[int, ...]:
    """Validate ``(n_0, …, n_L)``: positive integers, at least two of them, at most
    :data:`MAX_NETWORK_PARAMETERS` parameters (``unit`` names them in the message). The output
    dimension n_L may be any m ≥ 1."""
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise ShapeError(f"widths must be a sequence of positive integers, got {widths!r}")
    values = tuple(widths)
    for w in values:
        if isinstance(w, bool) or not isinstance(w, int) or w < 1:
            raise ShapeError(f"widths must be positive integers, got {w!r} in {list(values)}")
    if len(values) < 2:
        raise ShapeError(f"widths {list(values)} define no layer: give the input dimension, hidden widths and "
                         "the output dimension")
    count = parameter_count(values, bias)
    if count > MAX_NETWORK_PARAMETERS:
        raise TooLargeError(f"a network of {count} {unit} is beyond the limit of {MAX_NETWORK_PARAMETERS} {unit} "
                            f"(about 2 KB of memory each, so ~{count * 2_000 / 1e9:.1f} GB); use smaller widths")
    return values


@dataclass(frozen=True)
class Architecture:
    """Widths, activation and whether layers have biases; the parameter layout (module docstring)."""

    widths: tuple[int, ...]
    activation: Activation
    bias: bool = True

    def __post_init__(self):
        object.__setattr__(self, "widths", check_feedforward_widths(self.widths, self.bias))
        object.__setattr__(self, "activation", get_activation(self.activation))
        if not isinstance(self.bias, bool):
            raise ShapeError(f"bias must be True or False, got {self.bias!r}")

    @property
    def depth(self) -> int:
        """L, the number of affine layers."""
        return len(self.widths) - 1

    @property
    def input_dim(self) -> int:
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        return self.widths[-1]

    @cached_property
    def blocks(self) -> tuple[ParameterBlock, ...]:
        """Every parameter block in flattening order (W1, b1, W2, b2, …; no b's without biases)."""
        out, offset = [], 0
        for l in range(1, self.depth + 1):
            shape = (self.widths[l], self.widths[l - 1])
            out.append(ParameterBlock(l, "weight", shape, offset))
            offset += shape[0] * shape[1]
            if self.bias:
                out.append(ParameterBlock(l, "bias", (self.widths[l], 1), offset))
                offset += self.widths[l]
        return tuple(out)

    @property
    def size(self) -> int:
        """P, the number of parameters."""
        return self.blocks[-1].stop

    def block(self, name: str) -> ParameterBlock:
        """The block named ``W{l}`` or ``b{l}``."""
        for b in self.blocks:
            if b.name == name:
                return b
        raise ShapeError(f"no parameter block {name!r}; the blocks are {', '.join(b.name for b in self.blocks)}")

    def weight_block(self, layer: int) -> ParameterBlock:
        return self.block(f"W{layer}")

    def bias_block(self, layer: int) -> ParameterBlock | None:
        return self.block(f"b{layer}") if self.bias else None

    def names(self) -> list[str]:
        """Every parameter name in flattening order."""
        return [name for b in self.blocks for name in b.entry_names()]

    def split(self, flat: Sequence[object]) -> tuple[list[list[list]], list[list] | None]:
        """A flat vector → (weight matrices as row lists, bias vectors as lists, or None without biases)."""
        if isinstance(flat, (str, bytes)) or not hasattr(flat, "__len__"):
            raise ShapeError(f"a parameter vector must be a sequence of {self.size} numbers, got {flat!r}")
        if len(flat) != self.size:
            raise ShapeError(f"a parameter vector of {len(flat)} entries; widths "
                             f"{'-'.join(map(str, self.widths))}{'' if self.bias else ' without biases'} "
                             f"have {self.size} parameters")
        flat = list(flat)
        weights, biases = [], []
        for b in self.blocks:
            values = flat[b.offset:b.stop]
            if b.kind == "weight":
                n, m = b.shape
                weights.append([values[i * m:(i + 1) * m] for i in range(n)])
            else:
                biases.append(values)
        return weights, (biases if self.bias else None)

    def join(self, weights: Sequence[Sequence[Sequence[object]]], biases: Sequence[Sequence[object]] | None = None) -> list:
        """(weight matrices as row lists, bias vectors) → the flat vector; biases default to 0."""
        if len(weights) != self.depth:
            raise ShapeError(f"{len(weights)} weight matrices for {self.depth} layers")
        if biases is not None and not self.bias:
            raise ShapeError("this network has no biases")
        if biases is not None and len(biases) != self.depth:
            raise ShapeError(f"{len(biases)} bias vectors for {self.depth} layers")
        flat: list = []
        for l in range(1, self.depth + 1):
            W = weights[l - 1]
            n, m = self.widths[l], self.widths[l - 1]
            if len(W) != n or any(len(row) != m for row in W):
                raise ShapeError(f"W{l} must be {n} × {m}")
            flat.extend(v for row in W for v in row)
            if self.bias:
                b = [0] * n if biases is None else list(biases[l - 1])
                if len(b) != n:
                    raise ShapeError(f"b{l} must have {n} entries, got {len(b)}")
                flat.extend(b)
        return flat

    def describe(self) -> str:
        arch = "-".join(map(str, self.widths))
        return (f"widths {arch} (L = {self.depth}, {self.size} parameters), {self.activation.name} activation, "
                f"{'with' if self.bias else 'without'} biases")
