"""A small fully connected network in NumPy: its weights, forward pass and exact backprop.

The weights live in one flat float64 vector (`Architecture.layout` says where each layer's
matrix and bias sit), so an optimiser updates them with one vector operation and the
snapshots of a training are rows of one array. Layer l computes
``h_l = act(h_{l−1} @ W_l + b_l)`` (``W_l`` shaped (fan_in, fan_out)); the last layer has no
activation: its outputs are the network's (a value, a logit or k logits; `losses.training`
turns them into what a loss takes).

Reference: the same network as ``torch.nn.Sequential`` of ``Linear`` and ``Tanh``/``ReLU``
layers (its ``Linear.weight`` is our ``W_l`` transposed); tests/losses/test_network.py
checks the gradients against central finite differences and torch.autograd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

ACTIVATIONS = ("tanh", "relu")
MAX_LAYERS = 3
MAX_WIDTH = 64


@dataclass(frozen=True)
class Architecture:
    """``inputs`` features → ``hidden`` widths (1 to 3 layers) → ``outputs``, with one
    activation ("tanh" or "relu") after every hidden layer."""

    inputs: int
    hidden: tuple[int, ...]
    outputs: int
    activation: str = "tanh"

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"the activation must be one of {', '.join(ACTIVATIONS)}; got {self.activation!r}."
            )
        if not 1 <= len(self.hidden) <= MAX_LAYERS:
            raise ValueError(
                f"a network here has 1 to {MAX_LAYERS} hidden layers; got {len(self.hidden)}."
            )
        for width in (self.inputs, *self.hidden, self.outputs):
            if not 1 <= width <= MAX_WIDTH:
                raise ValueError(f"a layer has 1 to {MAX_WIDTH} units; got {width}.")

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.inputs, *self.hidden, self.outputs)

    @cached_property
    def layout(self) -> tuple[tuple[slice, tuple[int, int], slice], ...]:
        """Per layer: where its matrix sits in the flat vector, its shape, where its bias sits."""
        places, start = [], 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            matrix = slice(start, start + fan_in * fan_out)
            bias = slice(matrix.stop, matrix.stop + fan_out)
            places.append((matrix, (fan_in, fan_out), bias))
            start = bias.stop
        return tuple(places)

    @property
    def size(self) -> int:
        """How many numbers the network has (weights and biases)."""
        return self.layout[-1][2].stop

    @cached_property
    def matrix_mask(self) -> np.ndarray:
        """1.0 where the flat vector holds a weight matrix entry, 0.0 at a bias (L2 decays
        the matrices only, as ``weight_decay`` on a network's weights alone would)."""
        mask = np.zeros(self.size)
        for matrix, _, _ in self.layout:
            mask[matrix] = 1.0
        return mask

    def layers(self, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """The (W, b) views of each layer in ``flat`` (P,), or stacked ones of ``flat``
        (S, P): W (…, fan_in, fan_out), b (…, fan_out)."""
        lead = flat.shape[:-1]
        return [
            (flat[..., matrix].reshape(*lead, *shape), flat[..., bias])
            for matrix, shape, bias in self.layout
        ]


def initial_weights(architecture: Architecture, seed: int) -> np.ndarray:
    """The starting weights (P,) from ``seed``: each matrix uniform on ±√(6 / (fan_in +
    fan_out)) for tanh (Glorot & Bengio 2010) or ±√(6 / fan_in) for ReLU (He et al. 2015),
    biases 0. Drawn layer by layer from ``np.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    flat = np.zeros(architecture.size)
    for matrix, (fan_in, fan_out), _ in architecture.layout:
        fans = fan_in if architecture.activation == "relu" else fan_in + fan_out
        bound = math.sqrt(6.0 / fans)
        flat[matrix] = rng.uniform(-bound, bound, size=fan_in * fan_out)
    return flat


def _activate(pre: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(pre, out=pre)
    return np.maximum(pre, 0.0, out=pre)


def forward(
    architecture: Architecture, flat: np.ndarray, x: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The network's outputs (n, outputs) on ``x`` (n, inputs), and the layers' outputs
    [x, h_1, …, h_L−1] that `backward` needs."""
    hidden = [x]
    layers = architecture.layers(flat)
    for matrix, bias in layers[:-1]:
        pre = hidden[-1] @ matrix
        pre += bias
        hidden.append(_activate(pre, architecture.activation))
    matrix, bias = layers[-1]
    output = hidden[-1] @ matrix
    output += bias
    return output, hidden


def backward(
    architecture: Architecture,
    flat: np.ndarray,
    hidden: list[np.ndarray],
    output_gradient: np.ndarray,
    gradient: np.ndarray,
) -> np.ndarray:
    """The gradient of a cost with respect to every weight, written into ``gradient`` (P,)
    and returned, from its gradient with respect to the outputs (n, outputs) and the layers'
    outputs ``hidden`` of the `forward` pass that made them (exact backpropagation).

    With δ_L the output gradient: ∂/∂W_l = h_{l−1}ᵀ δ_l, ∂/∂b_l = Σ_rows δ_l, and
    δ_{l−1} = (δ_l W_lᵀ) ⊙ act′, where act′ = 1 − h² for tanh and [h > 0] for ReLU
    (0 at the kink, as PyTorch takes it)."""
    delta = output_gradient
    layers = architecture.layers(flat)
    for index in range(len(layers) - 1, -1, -1):
        matrix, _ = layers[index]
        place, shape, bias = architecture.layout[index]
        np.matmul(hidden[index].T, delta, out=gradient[place].reshape(shape))
        np.sum(delta, axis=0, out=gradient[bias])
        if index:
            before = hidden[index]
            delta = delta @ matrix.T
            if architecture.activation == "tanh":
                delta *= 1.0 - before * before
            else:
                delta *= before > 0.0
    return gradient


class Pass:
    """`forward` and `backward` for one training: the layers' views of the weights ``flat``
    (P,), which an optimiser updates in place, taken once, and every intermediate array
    allocated once for up to ``rows`` rows. The same operations in the same order as
    `forward` and `backward`, written into the buffers (the same numbers, bit for bit).

    The arrays it returns are its buffers: the next call overwrites them.
    """

    def __init__(self, architecture: Architecture, flat: np.ndarray, rows: int) -> None:
        self.architecture = architecture
        self.layers = architecture.layers(flat)
        self.tanh = architecture.activation == "tanh"
        widths = architecture.sizes[1:]
        self._outputs = [np.empty((rows, width)) for width in widths]
        self._deltas = [np.empty((rows, width)) for width in widths[:-1]]
        self._slopes = [np.empty((rows, width)) for width in widths[:-1]]
        self._hidden: list[np.ndarray] = []
        # Views taken once, not per step: the buffers' first rows for each batch length a
        # training meets (its batch, the last batch's, all points'), each layer's Wᵀ, and
        # the places in the last gradient vector given.
        self._by_rows: dict[int, tuple[list[np.ndarray], ...]] = {}
        self._transposed = [matrix.T for matrix, _ in self.layers]
        self._gradient: np.ndarray | None = None
        self._gradient_places: list[tuple[np.ndarray, np.ndarray]] = []

    def _buffers(self, rows: int) -> tuple[list[np.ndarray], ...]:
        buffers = self._by_rows.get(rows)
        if buffers is None:
            buffers = tuple(
                [buffer[:rows] for buffer in group]
                for group in (self._outputs, self._deltas, self._slopes)
            )
            self._by_rows[rows] = buffers
        return buffers

    def _places(self, gradient: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if gradient is not self._gradient:
            self._gradient = gradient
            self._gradient_places = [
                (gradient[place].reshape(shape), gradient[bias])
                for place, shape, bias in self.architecture.layout
            ]
        return self._gradient_places

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The outputs (n, outputs) on ``x`` (n ≤ rows); keeps the layers' outputs for
        `backward`."""
        outputs = self._buffers(x.shape[0])[0]
        hidden = [x]
        last = len(self.layers) - 1
        pre = x
        for number, (matrix, bias) in enumerate(self.layers):
            pre = np.matmul(pre, matrix, out=outputs[number])
            pre += bias
            if number < last:
                if self.tanh:
                    np.tanh(pre, out=pre)
                else:
                    np.maximum(pre, 0.0, out=pre)
                hidden.append(pre)
        self._hidden = hidden
        return pre

    def backward(self, output_gradient: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        """`backward` of the last `forward`'s pass, into ``gradient`` (P,)."""
        hidden = self._hidden
        _, deltas, slopes = self._buffers(output_gradient.shape[0])
        places = self._places(gradient)
        delta = output_gradient
        for index in range(len(self.layers) - 1, -1, -1):
            matrix_gradient, bias_gradient = places[index]
            np.matmul(hidden[index].T, delta, out=matrix_gradient)
            _column_sums(delta, bias_gradient)
            if index:
                before = hidden[index]
                delta = np.matmul(delta, self._transposed[index], out=deltas[index - 1])
                slope = slopes[index - 1]
                if self.tanh:
                    np.multiply(before, before, out=slope)
                    np.subtract(1.0, slope, out=slope)
                    delta *= slope
                else:
                    delta *= np.greater(before, 0.0, out=slope)
        return gradient


# From this many rows `_column_sums` adds whole rows at a time (below it, einsum's set-up costs
# more than it saves).
ROW_SUMS_FROM = 64


def _column_sums(delta: np.ndarray, out: np.ndarray) -> None:
    """``np.sum(delta, axis=0)`` (a bias's gradient) into ``out``, the same sums bit for bit.

    The reduction adds each column down the rows, from +0.0, a chain of dependent additions
    per column; ``einsum("ij->j")`` adds row after row into ``out``, from +0.0: the same
    additions in the same order, across the columns at once. A single column (one output)
    einsum sums in another order: that one by the reduction.
    """
    if delta.shape[0] >= ROW_SUMS_FROM and delta.shape[1] > 1:
        np.einsum("ij->j", delta, out=out)
    else:
        # np.sum's own reduction, without its dispatch: the same sums.
        np.add.reduce(delta, axis=0, out=out)


def outputs_at(
    architecture: Architecture, snapshots: np.ndarray, x: np.ndarray, dtype=np.float64
) -> np.ndarray:
    """The network's outputs (S, n, outputs) at each of ``snapshots`` (S, P) on ``x``
    (n, inputs), all at once (stacked matrix products), in ``dtype`` (float32 for a picture)."""
    hidden = np.broadcast_to(x.astype(dtype, copy=False), (snapshots.shape[0], *x.shape))
    layers = architecture.layers(snapshots.astype(dtype, copy=False))
    for number, (matrix, bias) in enumerate(layers):
        hidden = hidden @ matrix
        hidden += bias[:, None, :]
        if number < len(layers) - 1:
            hidden = _activate(hidden, architecture.activation)
    return hidden
