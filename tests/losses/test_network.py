"""The network core: its layout, initial weights, forward pass and exact backprop.

Gradients are checked against 4th-order central finite differences in float64 for every
registered loss (through `losses.training.head`), both activations, 1 to 3 hidden layers,
with L2 on and off; the torch-marked tests compare them with torch.autograd.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import losses
from losses import network, training
from losses.network import Architecture, backward, forward, initial_weights, outputs_at
from losses.optimisers import Settings
from tests.losses.probability_loss import PROBABILITY_ONLY

# What a network for each task reads and writes: (inputs, outputs).
SHAPES = {"regression": (1, 1), "binary": (2, 1), "multiclass": (2, 3)}
DEPTHS = [(4,), (4, 3), (3, 4, 3)]
L2 = 0.3
STEP = 1e-5  # the finite-difference step: its 4th-order error is ~1e-20, its rounding ~1e-11
KINK_CLEARANCE = 1e-3  # no ReLU pre-activation and no loss kink closer than this

EVERY_LOSS = [
    *(pytest.param(loss, id=loss.id) for loss in losses.REGISTRY.values()),
    pytest.param(PROBABILITY_ONLY, id="test_own_probability_only"),
]


def reference_forward(architecture, flat, x):
    """The outputs (n, outputs) and every hidden layer's pre-activations, by the textbook
    loop, written here apart from `network.forward`."""
    hidden, pre_activations = x, []
    sizes = architecture.sizes
    start = 0
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        matrix = flat[start : start + fan_in * fan_out].reshape(fan_in, fan_out)
        start += fan_in * fan_out
        bias = flat[start : start + fan_out]
        start += fan_out
        pre = hidden @ matrix + bias
        if layer == len(sizes) - 2:
            return pre, pre_activations
        pre_activations.append(pre)
        hidden = np.tanh(pre) if architecture.activation == "tanh" else np.maximum(pre, 0.0)
    raise AssertionError("unreachable")


def full_cost(architecture, flat, head, x, target, l2):
    """mean ℓ + (λ/2)·Σ‖W‖², the cost `training.train` minimises."""
    output, _ = reference_forward(architecture, flat, x)
    return float(np.mean(head.value(target, output))) + training.penalty(architecture, flat, l2)


def backprop_gradient(architecture, flat, head, x, target, l2):
    """The gradient of `full_cost` as `training.train` takes it: the head's output gradient
    over n, `network.backward`, plus λ·W on the matrices."""
    output, hidden = forward(architecture, flat, x)
    output_gradient = head.output_gradient(target, output) / x.shape[0]
    gradient = backward(architecture, flat, hidden, output_gradient, np.empty(flat.size))
    return gradient + l2 * architecture.matrix_mask * flat


def finite_difference_gradient(cost, flat, step=STEP):
    """(−f(θ+2h) + 8f(θ+h) − 8f(θ−h) + f(θ−2h)) / 12h per coordinate (4th-order central)."""
    gradient = np.empty_like(flat)
    for index in range(flat.size):
        values = []
        for multiple in (2, 1, -1, -2):
            moved = flat.copy()
            moved[index] += multiple * step
            values.append(cost(moved))
        gradient[index] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * step)
    return gradient


def smooth_case(loss, activation, hidden):
    """A network, weights, inputs and prepared targets for ``loss`` where the cost is smooth
    around the weights: no ReLU pre-activation within KINK_CLEARANCE of 0, regression
    residuals away from 0 and ±1 (MAE's and the quantile loss's corner, Huber's δ = 1),
    binary scores away from ±1 (hinge's corner t·s = 1), |logits| ≤ 4 (no probability
    near the ε clips). The first seed that gives all that is taken (deterministic)."""
    inputs, outputs = SHAPES[loss.task]
    architecture = Architecture(inputs, hidden, outputs, activation)
    head = training.head(loss, {}, k=outputs)
    for seed in range(50):
        rng = np.random.default_rng(seed)
        # Perturbed initial weights: nonzero biases, so their gradients are tested too.
        flat = initial_weights(architecture, seed) + rng.normal(0.0, 0.1, architecture.size)
        x = rng.uniform(-2.0, 2.0, (6, inputs))
        output, pre_activations = reference_forward(architecture, flat, x)
        if activation == "relu" and any(
            np.abs(pre).min() < KINK_CLEARANCE for pre in pre_activations
        ):
            continue
        if loss.task == "regression":
            # Residuals ŷ − y chosen away from 0 and ±1 by at least 0.2.
            residual = np.array([-1.7, -0.6, 0.35, 0.8, 1.45, 2.2])
            y = output[:, 0] - residual
        elif loss.task == "binary":
            if np.abs(np.abs(output[:, 0]) - 1.0).min() < 0.05 or np.abs(output).max() > 4:
                continue
            y = np.array([0, 1, 1, 0, 1, 0])
        else:
            if np.abs(output).max() > 4:
                continue
            y = np.array([0, 1, 2, 2, 1, 0])
        return architecture, flat, head, x, training.targets(head, y)
    raise AssertionError(f"no seed below 50 gives a smooth case for {loss.id}")


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize("l2", [0.0, L2], ids=["no_l2", "l2"])
@pytest.mark.parametrize("hidden", DEPTHS, ids=["1_layer", "2_layers", "3_layers"])
@pytest.mark.parametrize("activation", network.ACTIVATIONS)
@pytest.mark.parametrize("loss", EVERY_LOSS)
def test_backprop_matches_finite_differences(loss, activation, hidden, l2):
    architecture, flat, head, x, target = smooth_case(loss, activation, hidden)

    def cost(weights):
        return full_cost(architecture, weights, head, x, target, l2)

    expected = finite_difference_gradient(cost, flat)  # 4th-order central differences
    actual = backprop_gradient(architecture, flat, head, x, target, l2)
    assert np.abs(expected).max() > 1e-3  # a gradient worth comparing
    np.testing.assert_allclose(actual, expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("loss", EVERY_LOSS)
def test_training_steps_along_the_checked_gradient(loss):
    # One full-batch SGD epoch moves the start by −η·(the gradient checked above), so the
    # finite-difference test covers what `train` does, not a copy of it.
    architecture, flat, head, x, target = smooth_case(loss, "tanh", (4, 3))
    settings = Settings(kind="sgd", learning_rate=0.05)
    run = training.train(
        architecture, flat, head, x, target, settings=settings, epochs=1, l2=L2, keep=2
    )
    gradient = backprop_gradient(architecture, flat, head, x, target, L2)
    np.testing.assert_allclose(run.snapshots[1], flat - 0.05 * gradient, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(run.snapshots[0], flat)


def test_relu_takes_zero_slope_at_its_kink():
    # A pre-activation exactly 0 (x = 0, biases 0): PyTorch's ReLU backward gives 0 there
    # (torch.threshold_backward: grad where input > 0), so the first layer's weights get no
    # gradient through that unit from that point.
    architecture = Architecture(1, (2,), 1, "relu")
    flat = initial_weights(architecture, 3)
    x = np.zeros((1, 1))
    output, hidden = forward(architecture, flat, x)
    gradient = backward(architecture, flat, hidden, np.ones((1, 1)), np.empty(flat.size))
    first_matrix, _, first_bias = architecture.layout[0]
    np.testing.assert_array_equal(gradient[first_matrix], 0.0)
    np.testing.assert_array_equal(gradient[first_bias], 0.0)


# ---------------------------------------------------------------- forward and outputs_at


@pytest.mark.parametrize("activation", network.ACTIVATIONS)
@pytest.mark.parametrize("hidden", DEPTHS, ids=["1_layer", "2_layers", "3_layers"])
def test_forward_matches_the_textbook_loop(activation, hidden):
    architecture = Architecture(2, hidden, 3, activation)
    rng = np.random.default_rng(1)
    flat = rng.normal(size=architecture.size)
    x = rng.normal(size=(7, 2))
    output, layers = forward(architecture, flat, x)
    expected, pre_activations = reference_forward(architecture, flat, x)
    np.testing.assert_allclose(output, expected, rtol=1e-14, atol=1e-14)
    assert len(layers) == len(hidden) + 1
    np.testing.assert_array_equal(layers[0], x)
    act = np.tanh if activation == "tanh" else (lambda pre: np.maximum(pre, 0.0))
    for layer, pre in zip(layers[1:], pre_activations, strict=True):
        np.testing.assert_allclose(layer, act(pre), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("activation", network.ACTIVATIONS)
@pytest.mark.parametrize("hidden", DEPTHS, ids=["1_layer", "2_layers", "3_layers"])
def test_outputs_at_matches_forward_per_snapshot(activation, hidden):
    architecture = Architecture(2, hidden, 3, activation)
    rng = np.random.default_rng(2)
    snapshots = rng.normal(size=(5, architecture.size))
    x = rng.uniform(-3.0, 3.0, size=(9, 2))
    stacked = outputs_at(architecture, snapshots, x)
    stacked32 = outputs_at(architecture, snapshots, x, dtype=np.float32)
    assert stacked.shape == (5, 9, 3) and stacked.dtype == np.float64
    assert stacked32.dtype == np.float32
    for index, flat in enumerate(snapshots):
        expected, _ = forward(architecture, flat, x)
        np.testing.assert_allclose(stacked[index], expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(stacked32[index], expected, rtol=1e-5, atol=1e-5)


def test_forward_and_outputs_at_leave_their_inputs_alone():
    architecture = Architecture(2, (3, 3), 1, "relu")
    rng = np.random.default_rng(4)
    snapshots = rng.normal(size=(2, architecture.size))
    x = rng.normal(size=(4, 2))
    kept = snapshots.copy(), x.copy()
    forward(architecture, snapshots[0], x)
    outputs_at(architecture, snapshots, x)
    outputs_at(architecture, snapshots, x, dtype=np.float32)
    np.testing.assert_array_equal(snapshots, kept[0])
    np.testing.assert_array_equal(x, kept[1])


# ---------------------------------------------------------------- layout and initial weights


def test_layout_places_each_layer_in_order():
    architecture = Architecture(2, (3,), 1)
    # hand-derived: W1 2×3 = 6, b1 3, W2 3×1 = 3, b2 1 → 13 numbers
    assert architecture.size == 13
    assert architecture.sizes == (2, 3, 1)
    (m1, s1, b1), (m2, s2, b2) = architecture.layout
    assert (m1, s1, b1) == (slice(0, 6), (2, 3), slice(6, 9))
    assert (m2, s2, b2) == (slice(9, 12), (3, 1), slice(12, 13))
    np.testing.assert_array_equal(architecture.matrix_mask, [1] * 6 + [0] * 3 + [1] * 3 + [0])
    flat = np.arange(13.0)
    (w1, bias1), (w2, bias2) = architecture.layers(flat)
    np.testing.assert_array_equal(w1, [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(bias1, [6, 7, 8])
    np.testing.assert_array_equal(w2, [[9], [10], [11]])
    np.testing.assert_array_equal(bias2, [12])
    assert np.shares_memory(w1, flat)  # views: an optimiser's in-place step moves them


@pytest.mark.parametrize("activation", network.ACTIVATIONS)
def test_initial_weights_are_seeded_and_bounded(activation):
    architecture = Architecture(2, (16, 8), 3, activation)
    first = initial_weights(architecture, 7)
    np.testing.assert_array_equal(first, initial_weights(architecture, 7))
    assert not np.array_equal(first, initial_weights(architecture, 8))
    for (matrix, bias), (fan_in, fan_out) in zip(
        architecture.layers(first),
        zip(architecture.sizes[:-1], architecture.sizes[1:], strict=True),
        strict=True,
    ):
        # Glorot & Bengio 2010 eq. 16: ±√(6/(fan_in + fan_out)); He et al. 2015: ±√(6/fan_in)
        fans = fan_in if activation == "relu" else fan_in + fan_out
        bound = np.sqrt(6.0 / fans)
        assert np.abs(matrix).max() <= bound
        assert np.abs(matrix).max() > 0.5 * bound  # drawn over the range, not a corner of it
        np.testing.assert_array_equal(bias, 0.0)


# ---------------------------------------------------------------- bad settings


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((2, (3,), 1, "sigmoid"), "the activation must be one of tanh, relu; got 'sigmoid'."),
        ((2, (), 1), "a network here has 1 to 3 hidden layers; got 0."),
        ((2, (3, 3, 3, 3), 1), "a network here has 1 to 3 hidden layers; got 4."),
        ((2, (0,), 1), "a layer has 1 to 64 units; got 0."),
        ((2, (65,), 1), "a layer has 1 to 64 units; got 65."),
        ((0, (3,), 1), "a layer has 1 to 64 units; got 0."),
        ((2, (3,), 0), "a layer has 1 to 64 units; got 0."),
    ],
)
def test_bad_architectures_say_what_is_allowed(arguments, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Architecture(*arguments)


# ---------------------------------------------------------------- PyTorch


def torch_network(torch, architecture, flat):
    """torch.nn.Sequential of Linear and Tanh/ReLU with our weights (Linear.weight = Wᵀ)."""
    modules = []
    layers = architecture.layers(flat)
    for index, (matrix, bias) in enumerate(layers):
        linear = torch.nn.Linear(*matrix.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(matrix.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias.copy()))
        modules.append(linear)
        if index < len(layers) - 1:
            modules.append(
                torch.nn.Tanh() if architecture.activation == "tanh" else torch.nn.ReLU()
            )
    return torch.nn.Sequential(*modules)


def torch_gradient(torch, network_module, architecture):
    """The module's parameter gradients in our flat layout (W = Linear.weight.gradᵀ)."""
    linears = [module for module in network_module if isinstance(module, torch.nn.Linear)]
    gradient = np.empty(architecture.size)
    for linear, (matrix, _, bias) in zip(linears, architecture.layout, strict=True):
        gradient[matrix] = linear.weight.grad.numpy().T.reshape(-1)
        gradient[bias] = linear.bias.grad.numpy()
    return gradient


def torch_costs(torch):
    """The cost of each loss written with torch.nn.functional (mean reduction): the
    outputs (n, outputs) and the labels → a scalar tensor."""
    functional = torch.nn.functional
    return {
        "mse": ({}, lambda out, y: functional.mse_loss(out[:, 0], y)),
        "huber": (
            {"delta": 0.7},
            lambda out, y: functional.huber_loss(out[:, 0], y, delta=0.7),
        ),
        "bce": (
            {"pos_weight": 3.0},
            lambda out, y: functional.binary_cross_entropy_with_logits(
                out[:, 0], y, pos_weight=torch.tensor(3.0, dtype=torch.float64)
            ),
        ),
        "cce": ({}, lambda out, y: functional.cross_entropy(out, y)),
        "sparse_cce": ({}, lambda out, y: functional.cross_entropy(out, y)),
    }


@pytest.mark.parametrize("l2", [0.0, L2], ids=["no_l2", "l2"])
@pytest.mark.parametrize("activation", network.ACTIVATIONS)
@pytest.mark.parametrize("hidden", [(5,), (6, 4), (5, 4, 3)], ids=["1", "2", "3"])
@pytest.mark.parametrize("loss_id", ["mse", "huber", "bce", "cce", "sparse_cce"])
def test_backprop_matches_torch_autograd(torch, loss_id, hidden, activation, l2):
    loss = losses.get(loss_id)
    params, torch_cost = torch_costs(torch)[loss_id]
    inputs, outputs = SHAPES[loss.task]
    architecture = Architecture(inputs, hidden, outputs, activation)
    rng = np.random.default_rng(11)
    flat = initial_weights(architecture, 5) + rng.normal(0.0, 0.1, architecture.size)
    x = rng.normal(size=(40, inputs))
    if loss.task == "regression":
        y = np.sin(2 * x[:, 0]) + rng.normal(0.0, 0.5, 40)
        torch_y = torch.from_numpy(y)
    elif loss.task == "binary":
        y = (rng.uniform(size=40) < 0.3).astype(np.float64)
        torch_y = torch.from_numpy(y)
    else:
        y = rng.integers(0, 3, 40)
        torch_y = torch.from_numpy(y)  # class indices; cce's one-hot rows are the same cost
    head = training.head(loss, params, k=outputs)
    target = training.targets(head, y)

    module = torch_network(torch, architecture, flat)
    cost = torch_cost(module(torch.from_numpy(x)), torch_y)
    if l2:
        weights = [m.weight for m in module if isinstance(m, torch.nn.Linear)]
        cost = cost + 0.5 * l2 * sum((weight**2).sum() for weight in weights)
    cost.backward()
    expected = torch_gradient(torch, module, architecture)  # torch.autograd

    np.testing.assert_allclose(
        full_cost(architecture, flat, head, x, target, l2), cost.item(), rtol=1e-12
    )
    actual = backprop_gradient(architecture, flat, head, x, target, l2)
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-14)
