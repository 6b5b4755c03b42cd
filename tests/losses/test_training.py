"""Training a network under a registered loss: the head, the loop, its snapshots and costs.

Every test that is about losses loops over `losses.REGISTRY`, so a new entry is covered
with no code here.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import losses
from losses import training
from losses.network import Architecture, backward, forward, initial_weights, outputs_at
from losses.optimisers import Optimiser, Settings
from tests.losses.probability_loss import PROBABILITY_ONLY

EVERY_LOSS = [
    *(pytest.param(loss, id=loss.id) for loss in losses.REGISTRY.values()),
    pytest.param(PROBABILITY_ONLY, id="test_own_probability_only"),
]
SHAPES = {"regression": (1, 1), "binary": (2, 1), "multiclass": (2, 3)}
STEP = 1e-5


def problem(loss, n=30, seed=0, hidden=(6, 5), activation="tanh", params=None):
    """A small network, its start, the head and prepared targets for ``loss``'s task."""
    inputs, outputs = SHAPES[loss.task]
    architecture = Architecture(inputs, hidden, outputs, activation)
    head = training.head(loss, params or {}, k=outputs)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, (n, inputs))
    if loss.task == "regression":
        y = np.sin(2.0 * x[:, 0]) + rng.normal(0.0, 0.3, n)
    elif loss.task == "binary":
        y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    else:
        y = np.arange(n) % 3
    return architecture, initial_weights(architecture, seed), head, x, training.targets(head, y)


def assert_same_training(first, second):
    for name in ("snapshot_epochs", "snapshots", "train_cost", "validation_cost", "train_outputs"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name), err_msg=name)
    assert first.stopped_at == second.stopped_at


# ---------------------------------------------------------------- the head


def test_head_links_of_known_losses():
    # What each loss is given (losses/registry.py): logits where it takes them, a margin
    # loss's score as it is, softmax probabilities for KL (no from_logits).
    expected = {
        "mse": ("value", 1),
        "bce": ("logit", 1),
        "focal": ("logit", 1),
        "hinge": ("logit", 1),
        "cce": ("logits", 4),
        "sparse_cce": ("logits", 4),
        "kl": ("softmax", 4),
    }
    for loss_id, (link, outputs) in expected.items():
        head = training.head(losses.get(loss_id), {}, k=4)
        assert (head.link, head.outputs) == (link, outputs), loss_id
    assert training.head(PROBABILITY_ONLY, {}).link == "sigmoid"


@pytest.mark.parametrize("loss", EVERY_LOSS)
def test_head_gives_logits_to_every_loss_that_takes_them(loss):
    head = training.head(loss, {}, k=3)
    takes_logits = any(spec.name == "from_logits" for spec in loss.params)
    assert head.params == loss.resolve_params({"from_logits": True} if takes_logits else {})
    if takes_logits:
        assert head.link in ("logit", "logits")
    assert head.probabilities == (loss.task != "regression" and not loss.scores)


def test_head_keeps_given_params_and_rejects_bad_ones():
    assert training.head(losses.get("huber"), {"delta": 2.5}).params == {"delta": 2.5}
    with pytest.raises(ValueError, match="huber: delta must be in"):
        training.head(losses.get("huber"), {"delta": -1.0})


def output_points(loss, head):
    """Outputs (n, outputs) and raw labels away from every registered kink: regression
    residuals away from 0 and ±1, binary scores away from ±1 (hinge's t·s = 1)."""
    rng = np.random.default_rng(5)
    if loss.task == "regression":
        y = rng.normal(size=8)
        residual = np.array([-2.1, -1.4, -0.7, -0.25, 0.3, 0.6, 1.3, 2.4])
        return (y + residual)[:, None], y
    if loss.task == "binary":
        scores = np.array([-3.0, -1.6, -0.4, 0.3, 0.7, 1.8, 2.9, -0.05])
        return scores[:, None], np.array([0, 1, 0, 1, 0, 1, 1, 0])
    return rng.normal(0.0, 1.5, (8, head.outputs)), np.array([0, 1, 2, 0, 1, 2, 2, 1])


@pytest.mark.parametrize("loss", EVERY_LOSS)
def test_output_gradient_matches_finite_differences_of_value_through_the_link(loss):
    head = training.head(loss, {}, k=3)
    output, y = output_points(loss, head)
    target = training.targets(head, y)
    expected = np.empty_like(output)
    for column in range(head.outputs):
        # ℓ_i depends on row i only, so one column's step moves every row's loss at once.
        values = []
        for multiple in (2, 1, -1, -2):
            moved = output.copy()
            moved[:, column] += multiple * STEP
            values.append(head.value(target, moved))
        expected[:, column] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (
            12 * STEP
        )  # 4th-order central differences
    actual = head.output_gradient(target, output)
    assert actual.shape == output.shape
    np.testing.assert_allclose(actual, expected, rtol=1e-7, atol=1e-9)


@pytest.mark.filterwarnings("error")
def test_head_probabilities_are_sigmoid_and_softmax_without_overflow():
    binary_head = training.head(losses.get("bce"), {})
    z = np.array([[-800.0], [-1.0], [0.0], [2.0], [800.0]])
    probability = binary_head.probability(z)
    # σ(z) = 1/(1 + e^−z): σ(0) = ½, σ(2) = 0.880797077977882 (hand, e² = 7.389056098930650)
    np.testing.assert_allclose(probability[2:4, 1], [0.5, 0.880797077977882], rtol=1e-14)
    np.testing.assert_array_equal(probability[[0, 4], 1], [0.0, 1.0])
    np.testing.assert_allclose(probability.sum(axis=-1), 1.0, rtol=1e-15)
    multi_head = training.head(losses.get("cce"), {}, k=3)
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0], [np.log(2.0), 0.0, 0.0]])
    # hand-derived: equal logits → ⅓ each; logits (ln 2, 0, 0) → (2, 1, 1)/4
    np.testing.assert_allclose(
        multi_head.probability(logits),
        [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.25, 0.25]],
        rtol=1e-15,
    )
    stacked = multi_head.probability(np.stack([logits, logits]))  # (S, n, k) too
    assert stacked.shape == (2, 3, 3)


def test_targets_take_the_labels_each_loss_wants():
    cce = training.head(losses.get("cce"), {}, k=3)
    np.testing.assert_array_equal(training.targets(cce, [2, 0]), [[0, 0, 1], [1, 0, 0]])
    sparse = training.head(losses.get("sparse_cce"), {}, k=3)
    np.testing.assert_array_equal(training.targets(sparse, [2, 0]), [2, 0])
    bce = training.head(losses.get("bce"), {})
    np.testing.assert_array_equal(training.targets(bce, [1, 0]), [1.0, 0.0])
    with pytest.raises(ValueError):
        training.targets(training.head(losses.get("hinge"), {}), [0, 2])


# ---------------------------------------------------------------- batches and snapshots


def test_batches_cover_every_row_once_per_epoch():
    steps = training.batches(10, 4, 3, seed=1)
    assert len(steps) == 3
    for epoch in steps:
        assert [len(rows) for rows in epoch] == [4, 4, 2]  # the last one shorter
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(10))
    assert not np.array_equal(np.concatenate(steps[0]), np.concatenate(steps[1]))


def test_batches_depend_on_n_batch_size_epochs_and_seed_only():
    first = training.batches(50, 8, 20, seed=3)
    again = training.batches(50, 8, 20, seed=3)
    for epoch, epoch_again in zip(first, again, strict=True):
        for rows, rows_again in zip(epoch, epoch_again, strict=True):
            np.testing.assert_array_equal(rows, rows_again)
    other = training.batches(50, 8, 20, seed=4)
    assert not np.array_equal(first[0][0], other[0][0])
    # Fewer epochs: the same first epochs (a page may stop a training early).
    shorter = training.batches(50, 8, 5, seed=3)
    for epoch, epoch_shorter in zip(first[:5], shorter, strict=True):
        np.testing.assert_array_equal(np.concatenate(epoch), np.concatenate(epoch_shorter))


@pytest.mark.parametrize("batch_size", [None, 10, 11])
def test_full_batch_is_every_row_in_order(batch_size):
    steps = training.batches(10, batch_size, 4, seed=0)
    assert len(steps) == 4
    for epoch in steps:
        assert len(epoch) == 1
        np.testing.assert_array_equal(epoch[0], np.arange(10))


@pytest.mark.parametrize(
    ("epochs", "count", "expected"),
    [
        (500, 51, np.arange(0, 501, 10)),  # hand-derived: every 10th epoch, both ends
        (10, 51, np.arange(11)),  # fewer epochs than asked: every one
        (7, 3, [0, 4, 7]),  # linspace(0, 7, 3) = 0, 3.5, 7; 3.5 rounds to even 4
        (1, 2, [0, 1]),
    ],
)
def test_snapshot_epochs(epochs, count, expected):
    np.testing.assert_array_equal(training.snapshot_epochs(epochs, count), expected)


# ---------------------------------------------------------------- the training loop


def reference_training(architecture, start, head, x, target, settings, epochs, batch_size, l2):
    """The weights after each epoch, by the textbook loop written here: per batch the mean
    loss's gradient (`network.backward`), plus λ·W, one optimiser step."""
    weights = start.copy()
    gradient = np.empty(weights.size)
    optimiser = Optimiser(settings, weights.size)
    path = [weights.copy()]
    for epoch in training.batches(x.shape[0], batch_size, epochs, seed=9):
        for rows in epoch:
            output, hidden = forward(architecture, weights, x[rows])
            output_gradient = head.output_gradient(target[rows], output) / len(rows)
            gradient = backward(
                architecture, weights, hidden, output_gradient, np.empty(weights.size)
            )
            gradient += l2 * architecture.matrix_mask * weights
            optimiser.step(weights, gradient)
        path.append(weights.copy())
    return np.array(path)


@pytest.mark.parametrize(
    ("kind", "batch_size", "l2"),
    [("sgd", None, 0.0), ("momentum", 8, 0.01), ("adam", 7, 0.001), ("adam", None, 0.0)],
)
@pytest.mark.parametrize("loss_id", ["mse", "bce", "sparse_cce"])
def test_train_takes_the_textbook_steps(loss_id, kind, batch_size, l2):
    architecture, start, head, x, target = problem(losses.get(loss_id))
    settings = Settings(kind=kind, learning_rate=0.05)
    run = training.train(
        architecture,
        start,
        head,
        x,
        target,
        settings=settings,
        epochs=12,
        batch_size=batch_size,
        seed=9,
        l2=l2,
        keep=13,
    )
    path = reference_training(architecture, start, head, x, target, settings, 12, batch_size, l2)
    np.testing.assert_array_equal(run.snapshot_epochs, np.arange(13))
    np.testing.assert_allclose(run.snapshots, path, rtol=1e-13, atol=1e-15)
    assert run.stopped_at is None


@pytest.mark.parametrize("batch_size", [None, 8])
@pytest.mark.parametrize("kind", ["momentum", "adam"])
def test_training_is_reproducible_bit_for_bit(kind, batch_size):
    architecture, start, head, x, target = problem(losses.get("focal"), n=40)
    arguments = {
        "settings": Settings(kind=kind, learning_rate=0.03),
        "epochs": 60,
        "batch_size": batch_size,
        "seed": 4,
        "l2": 0.01,
        "keep": 13,
        "validation": (x[:10] + 0.1, target[:10]),
    }
    first = training.train(architecture, start, head, x, target, **arguments)
    # The same inputs, rebuilt from scratch: the seeds alone make the numbers.
    architecture, start, head, x, target = problem(losses.get("focal"), n=40)
    again = training.train(architecture, start, head, x, target, **arguments)
    assert_same_training(first, again)
    other = training.train(architecture, start, head, x, target, **{**arguments, "seed": 5})
    if batch_size is None:
        assert_same_training(first, other)  # full batch: the seed picks nothing
    else:
        assert not np.array_equal(first.snapshots[-1], other.snapshots[-1])


def test_train_leaves_its_start_alone():
    architecture, start, head, x, target = problem(losses.get("mse"))
    kept = start.copy()
    training.train(
        architecture, start, head, x, target, settings=Settings(), epochs=3, batch_size=5
    )
    np.testing.assert_array_equal(start, kept)


def test_two_losses_from_one_start_get_the_same_batches(monkeypatch):
    seen = []

    def recorded(*arguments, **keywords):
        steps = batches(*arguments, **keywords)
        seen.append([np.concatenate(epoch) for epoch in steps])
        return steps

    batches = training.batches
    monkeypatch.setattr(training, "batches", recorded)
    architecture, start, head_a, x, target_a = problem(losses.get("mse"))
    head_b = training.head(losses.get("huber"), {"delta": 0.5})
    for head, target in ((head_a, target_a), (head_b, training.targets(head_b, target_a))):
        training.train(
            architecture,
            start,
            head,
            x,
            target,
            settings=Settings(),
            epochs=5,
            batch_size=7,
            seed=2,
        )
    assert len(seen) == 2
    for rows_a, rows_b in zip(*seen, strict=True):
        np.testing.assert_array_equal(rows_a, rows_b)


@pytest.mark.parametrize("loss", EVERY_LOSS)
def test_cost_at_each_snapshot_is_loss_cost_of_its_outputs(loss):
    architecture, start, head, x, target = problem(loss, n=24)
    rng = np.random.default_rng(8)
    x_validation = rng.uniform(-2.0, 2.0, x.shape)
    validation = (x_validation, target[::-1].copy())
    run = training.train(
        architecture,
        start,
        head,
        x,
        target,
        settings=Settings(kind="adam", learning_rate=0.02),
        epochs=40,
        batch_size=10,
        l2=0.05,  # the plotted cost is the loss's, without the L2 term
        keep=9,
        validation=validation,
    )
    assert run.stopped_at is None
    np.testing.assert_array_equal(run.snapshot_epochs, np.arange(0, 41, 5))
    assert np.isfinite(run.train_cost).all() and np.isfinite(run.validation_cost).all()
    recomputed = outputs_at(architecture, run.snapshots, x)
    validation_outputs = outputs_at(architecture, run.snapshots, x_validation)
    for index, epoch in enumerate(run.snapshot_epochs):
        np.testing.assert_allclose(run.train_outputs[index], recomputed[index], rtol=1e-12)
        # losses.spec.Loss.cost, the public API, of the outputs as the loss reads them
        expected = loss.cost(target, head.prediction(run.train_outputs[index]), **head.params)
        np.testing.assert_allclose(run.train_cost[epoch], expected, rtol=1e-12, atol=1e-15)
        expected_validation = loss.cost(
            validation[1], head.prediction(validation_outputs[index]), **head.params
        )
        np.testing.assert_allclose(
            run.validation_cost[epoch], expected_validation, rtol=1e-12, atol=1e-15
        )


def test_without_validation_its_costs_are_nan():
    architecture, start, head, x, target = problem(losses.get("mse"))
    run = training.train(architecture, start, head, x, target, settings=Settings(), epochs=3)
    assert run.validation_cost.shape == (4,) and np.isnan(run.validation_cost).all()


# ---------------------------------------------------------------- divergence


@pytest.mark.filterwarnings("error")  # no RuntimeWarning (overflow, invalid) escapes
@pytest.mark.parametrize("batch_size", [None, 6])
@pytest.mark.parametrize(
    ("loss_id", "activation", "learning_rate"),
    [
        ("mse", "tanh", 1e3),  # overflows after some epochs (8 to 38 here)
        ("mse", "relu", 1e3),
        ("cce", "relu", 1e300),  # overflows in the first epoch
    ],
)
def test_a_huge_learning_rate_stops_at_the_last_finite_state(
    loss_id, activation, learning_rate, batch_size
):
    architecture, start, head, x, target = problem(
        losses.get(loss_id), activation=activation, hidden=(8, 8)
    )
    arguments = {
        "settings": Settings(kind="sgd", learning_rate=learning_rate),
        "batch_size": batch_size,
        "keep": 11,
        "validation": (x, target),
    }
    run = training.train(architecture, start, head, x, target, epochs=50, **arguments)
    stop = run.stopped_at
    assert stop is not None and 1 <= stop <= 50
    assert (stop > 1) == (learning_rate < 1e300)
    assert np.isfinite(run.train_cost[:stop]).all() and np.isnan(run.train_cost[stop:]).all()
    assert np.isfinite(run.validation_cost[:stop]).all()
    assert np.isnan(run.validation_cost[stop:]).all()
    assert np.isfinite(run.snapshots).all() and np.isfinite(run.train_outputs).all()
    # Snapshots at or after the stop hold the weights of epoch stop − 1: those of the same
    # training run for stop − 1 epochs (its batches are the first ones of these).
    if stop > 1:
        last = training.train(architecture, start, head, x, target, epochs=stop - 1, **arguments)
        assert last.stopped_at is None
        last_weights, last_outputs = last.snapshots[-1], last.train_outputs[-1]
    else:
        last_weights, last_outputs = start, forward(architecture, start, x)[0]
    after = run.snapshot_epochs >= stop
    assert after.any()
    for weights, outputs in zip(run.snapshots[after], run.train_outputs[after], strict=True):
        np.testing.assert_array_equal(weights, last_weights)
        np.testing.assert_array_equal(outputs, last_outputs)


@pytest.mark.filterwarnings("error")
def test_a_cost_that_overflows_at_the_start_keeps_the_starts_outputs():
    # Targets near 1e200: (ŷ − y)² overflows at epoch 0 while the outputs are finite, so
    # there is no finite cost to plot, but the snapshots (the start) and their outputs are
    # still a picture to draw.
    architecture, start, head, x, target = problem(losses.get("mse"))
    run = training.train(
        architecture, start, head, x, target + 1e200, settings=Settings(), epochs=5, keep=3
    )
    assert run.stopped_at == 0
    assert np.isnan(run.train_cost).all()
    start_outputs, _ = forward(architecture, start, x)
    for weights, outputs in zip(run.snapshots, run.train_outputs, strict=True):
        np.testing.assert_array_equal(weights, start)
        np.testing.assert_array_equal(outputs, start_outputs)


# ---------------------------------------------------------------- bad settings


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"epochs": 0}, "epochs must be a whole number from 1 to 5,000; got 0."),
        ({"epochs": 5001}, "epochs must be a whole number from 1 to 5,000; got 5001."),
        ({"epochs": 2.5}, "epochs must be a whole number from 1 to 5,000; got 2.5."),
        ({"batch_size": 0}, "the batch size must be at least 1; got 0."),
        ({"l2": -0.1}, "the L2 strength λ must be 0 or more; got -0.1."),
        ({"l2": math.nan}, "the L2 strength λ must be 0 or more; got nan."),
        ({"l2": math.inf}, "the L2 strength λ must be 0 or more; got inf."),
    ],
)
def test_bad_training_settings_say_what_is_allowed(arguments, message):
    architecture, start, head, x, target = problem(losses.get("mse"))
    settings = {"settings": Settings(), "epochs": 3, **arguments}
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        training.train(architecture, start, head, x, target, **settings)


def test_penalty_is_half_lambda_times_the_squared_matrices():
    architecture = Architecture(1, (2,), 1)
    # layout: W1 (1×2) = [1, 2], b1 = [3, 4], W2 (2×1) = [5, 6], b2 = [7]
    weights = np.arange(1.0, 8.0)
    # hand-derived: (0.1/2)·(1 + 4 + 25 + 36) = 0.05·66 = 3.3; the biases are not decayed
    assert math.isclose(training.penalty(architecture, weights, 0.1), 3.3, rel_tol=1e-15)
    assert training.penalty(architecture, weights, 0.0) == 0.0


# ---------------------------------------------------------------- PyTorch


def torch_training(torch, architecture, start, x, y, cost_of, settings, epochs, batch_size, l2):
    """The same training in PyTorch: torch.nn.Sequential with our start (Linear.weight = Wᵀ),
    torch.optim with weight_decay = λ on the matrices only (L2 added to the gradient, as
    `train` adds it; Adam's too, not AdamW's), the rows of `training.batches`. The flat
    weights after each epoch (E + 1, P)."""
    modules = []
    for index, (matrix, bias) in enumerate(architecture.layers(start)):
        linear = torch.nn.Linear(*matrix.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(matrix.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias.copy()))
        modules.append(linear)
        if index < len(architecture.hidden):
            modules.append(
                torch.nn.Tanh() if architecture.activation == "tanh" else torch.nn.ReLU()
            )
    model = torch.nn.Sequential(*modules)
    linears = [module for module in model if isinstance(module, torch.nn.Linear)]
    groups = [
        {"params": [linear.weight for linear in linears], "weight_decay": l2},
        {"params": [linear.bias for linear in linears], "weight_decay": 0.0},
    ]
    if settings.kind == "adam":
        optimiser = torch.optim.Adam(
            groups,
            lr=settings.learning_rate,
            betas=(settings.beta1, settings.beta2),
            eps=settings.eps,
        )
    else:
        momentum = settings.momentum if settings.kind == "momentum" else 0.0
        optimiser = torch.optim.SGD(groups, lr=settings.learning_rate, momentum=momentum)

    def flat():
        weights = np.empty(architecture.size)
        for linear, (matrix, _, bias) in zip(linears, architecture.layout, strict=True):
            weights[matrix] = linear.weight.detach().numpy().T.reshape(-1)
            weights[bias] = linear.bias.detach().numpy()
        return weights

    x_tensor, y_tensor = torch.from_numpy(x), torch.from_numpy(y)
    path = [flat()]
    for epoch in training.batches(x.shape[0], batch_size, epochs, seed=6):
        for rows in epoch:
            index = torch.from_numpy(rows)
            optimiser.zero_grad()
            cost_of(model(x_tensor[index]), y_tensor[index]).backward()
            optimiser.step()
        path.append(flat())
    return np.array(path)


@pytest.mark.parametrize(
    ("loss_id", "settings", "batch_size", "l2"),
    [
        ("mse", Settings(kind="adam", learning_rate=0.01), 8, 0.01),
        ("bce", Settings(kind="momentum", learning_rate=0.1, momentum=0.9), None, 0.001),
        ("sparse_cce", Settings(kind="sgd", learning_rate=0.3), 7, 0.0),
        ("cce", Settings(kind="adam", learning_rate=0.02), None, 0.01),
    ],
    ids=["mse_adam_batches", "bce_momentum", "sparse_cce_sgd_batches", "cce_adam"],
)
def test_training_matches_torch_for_twenty_epochs(torch, loss_id, settings, batch_size, l2):
    functional = torch.nn.functional
    cost_of = {
        "mse": lambda out, y: functional.mse_loss(out[:, 0], y),
        "bce": lambda out, y: functional.binary_cross_entropy_with_logits(out[:, 0], y),
        "sparse_cce": functional.cross_entropy,
        "cce": functional.cross_entropy,
    }[loss_id]
    architecture, start, head, x, target = problem(losses.get(loss_id), activation="relu")
    torch_y = target.argmax(axis=1) if target.ndim == 2 else target  # cce's rows as indices
    run = training.train(
        architecture,
        start,
        head,
        x,
        target,
        settings=settings,
        epochs=20,
        batch_size=batch_size,
        seed=6,
        l2=l2,
        keep=21,
    )
    expected = torch_training(
        torch, architecture, start, x, torch_y, cost_of, settings, 20, batch_size, l2
    )
    np.testing.assert_allclose(run.snapshots, expected, rtol=1e-10, atol=1e-13)
    assert not np.allclose(run.snapshots[-1], start, atol=1e-3)  # it trained
