"""`losses.network.Pass`, the training loop's forward and backward pass with buffers made
once, against the public `forward` and `backward` it stands in for.

The expected values are those functions' own results on the same weights and points: the
pass must give the same numbers bit for bit (its docstring's promise), so `train`'s results
do not depend on which of the two ran.
"""

import numpy as np
import pytest

from losses.network import Architecture, Pass, backward, forward, initial_weights

NETWORKS = [
    Architecture(2, (16, 16), 1, "tanh"),
    Architecture(2, (8, 8, 8), 3, "relu"),
    Architecture(1, (32,), 1, "tanh"),
    Architecture(2, (5,), 4, "relu"),
]


def _points(rows: int, inputs: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, 1.5, size=(rows, inputs))


@pytest.mark.parametrize("architecture", NETWORKS, ids=repr)
@pytest.mark.parametrize("rows", [300, 32, 7, 1])
def test_pass_gives_forward_and_backward_bit_for_bit(architecture, rows):
    weights = initial_weights(architecture, seed=3)
    weights += np.random.default_rng(4).normal(0.0, 0.1, size=weights.size)  # biases ≠ 0
    x = _points(rows, architecture.inputs, seed=5)
    delta = np.random.default_rng(6).normal(size=(rows, architecture.outputs))

    network_pass = Pass(architecture, weights, 300)  # buffers for more rows than used
    output = network_pass.forward(x)
    expected_output, hidden = forward(architecture, weights, x)
    assert output.tobytes() == expected_output.tobytes()

    gradient = network_pass.backward(delta, np.empty_like(weights))
    expected = backward(architecture, weights, hidden, delta, np.empty_like(weights))
    assert gradient.tobytes() == expected.tobytes()


def test_pass_follows_the_weights_it_was_given_as_they_change_in_place():
    """An optimiser updates the flat vector in place; the pass reads the new values."""
    architecture = NETWORKS[0]
    weights = initial_weights(architecture, seed=0)
    x = _points(50, 2, seed=1)
    network_pass = Pass(architecture, weights, 50)
    network_pass.forward(x)
    weights *= 0.5
    assert network_pass.forward(x).tobytes() == forward(architecture, weights, x)[0].tobytes()


@pytest.mark.parametrize("rows", [64, 300, 3750])
def test_a_dead_units_bias_gradient_is_the_same_zero(rows):
    """A ReLU unit off on every row, whose back-propagated δ is negative on every row, has
    δ = −0.0 on each (negative × 0.0): the one column whose sum depends on where the
    additions start. `backward`'s np.sum starts from +0.0, and so must the pass's."""
    architecture = Architecture(2, (16, 16), 1, "relu")
    weights = initial_weights(architecture, seed=3)
    (_, second_bias), (last_matrix, _) = architecture.layers(weights)[1:]
    second_bias[5] = -1e3  # unit 5 of the second layer is off for every point
    last_matrix[5, 0] = -0.5  # δ_L (all positive below) × −0.5: negative on every row
    x = _points(rows, 2, seed=5)
    delta = np.abs(np.random.default_rng(6).normal(size=(rows, 1))) + 0.1

    network_pass = Pass(architecture, weights, rows)
    network_pass.forward(x)
    gradient = network_pass.backward(delta, np.empty_like(weights))
    _, hidden = forward(architecture, weights, x)
    expected = backward(architecture, weights, hidden, delta, np.empty_like(weights))
    bias_place = architecture.layout[1][2]
    assert expected[bias_place][5] == 0.0  # the case this test is about
    assert gradient.tobytes() == expected.tobytes()
