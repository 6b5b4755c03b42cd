"""The "Train a network" page's numbers (`lessons.network_lab`) against independent
recomputations: each snapshot's weights run through `losses.network.forward` again, the
costs from the registry's public `Loss.cost`, the gradients from `Loss.grad` (through the
softmax by its Jacobian where a loss takes probabilities), the picture from scipy's
`expit`/`softmax`, the scores from sklearn.metrics, the bookkeeping from the generators'
own counts (`losses.network_data`: ``attrs["n_flipped"]``, ``attrs["class_counts"]``)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.metrics import accuracy_score, balanced_accuracy_score, recall_score

import losses
from lessons import network_lab as lab
from losses import network_data
from losses.network import forward, initial_weights
from losses.optimisers import Settings

SMALL = lab.NetworkSettings(hidden=(8, 8), epochs=60, optimiser=Settings("adam", 0.03))
MINI_BATCH = lab.NetworkSettings(
    hidden=(8,), epochs=40, batch_size=16, batch_seed=3, optimiser=Settings("momentum", 0.05)
)


def _regression(**args) -> lab.Problem:
    frame = network_data.make_curve(
        **{"n": 120, "outlier_fraction": 0.1, "outlier_magnitude": 3.0, **args}
    )
    return lab.problem(frame, task="regression", k=1, seed=1, shape="sine")


def _shapes(shape: str = "moons", **args) -> tuple[lab.Problem, object]:
    frame = network_data.make_shapes(**{"n": 120, "shape": shape, **args})
    task = "multiclass" if shape == "spiral" else "binary"
    k = int(frame.attrs["k"])
    return lab.problem(frame, task=task, k=k, seed=2), frame


def _labels_for(loss, labels: np.ndarray, k: int) -> np.ndarray:
    """What the registry loss takes as y_true: one-hot rows where its label form says so."""
    if loss.task == "multiclass" and loss.label_form == "one_hot":
        return np.eye(k)[labels]
    return labels


def _prediction(run: lab.Run, output: np.ndarray) -> np.ndarray:
    """What the loss reads from the outputs: the value/logit/score itself, or σ / softmax
    where the loss takes probabilities only (no ``from_logits`` parameter, not a score)."""
    loss = run.loss
    takes_logits = "from_logits" in run.params
    if loss.task == "regression" or loss.scores or (loss.task == "binary" and takes_logits):
        return output[:, 0] if output.shape[1] == 1 else output
    if loss.task == "binary":
        return expit(output[:, 0])
    return output if takes_logits else softmax(output, axis=1)


def _output_gradient(run: lab.Run, y: np.ndarray, output: np.ndarray) -> np.ndarray:
    """∂ℓ_i/∂output_i (n, outputs) by the chain rule, written out on its own: through σ
    (σ′ = σ(1 − σ)) or softmax (its Jacobian diag(p) − p pᵀ, symmetric)."""
    prediction = _prediction(run, output)
    gradient = run.loss.grad(y, prediction, **run.params)
    loss = run.loss
    if loss.task == "binary" and not loss.scores and "from_logits" not in run.params:
        gradient = gradient * prediction * (1 - prediction)
    elif loss.task == "multiclass" and "from_logits" not in run.params:
        jacobian = np.einsum("ij,jk->ijk", prediction, np.eye(prediction.shape[1]))
        jacobian -= np.einsum("ij,ik->ijk", prediction, prediction)
        gradient = np.einsum("ijk,ik->ij", jacobian, gradient)
    return gradient.reshape(output.shape[0], -1)


def _pairs(*ids_params):
    return [(losses.get(loss_id), params) for loss_id, params in ids_params]


CASES = {
    "regression": (lambda: (_regression(), None), (("mse", {}), ("huber", {"delta": 0.5}))),
    "binary": (lambda: _shapes(label_noise=0.2), (("bce", {}), ("focal", {"gamma": 2.0}))),
    "hinge": (lambda: _shapes("circles", minority_fraction=0.2), (("hinge", {}), ("bce", {}))),
    "multiclass": (lambda: _shapes("spiral"), (("cce", {}), ("sparse_cce", {}))),
    "kl": (lambda: _shapes("spiral", label_noise=0.1), (("kl", {}), ("cce", {}))),
}


@pytest.fixture(scope="module", params=list(CASES))
def trained(request):
    make, choices = CASES[request.param]
    data, frame = make()
    return data, frame, lab.train_pair(data, _pairs(*choices), SMALL)


def _snapshot_outputs(data, run, x, index):
    architecture = lab.architecture(data, SMALL)
    return forward(architecture, run.training.snapshots[index], x)[0]


def test_the_cost_at_each_snapshot_is_the_losses_cost_of_the_outputs_then(trained):
    data, _, runs = trained
    for run in runs:
        y = _labels_for(run.loss, data.y_train, data.k)
        y_validation = _labels_for(run.loss, data.y_validation, data.k)
        for index, epoch in enumerate(run.training.snapshot_epochs):
            output = _snapshot_outputs(data, run, data.x_train, index)
            # Source: the registry's public Loss.cost, with the run's resolved params
            # (from_logits on where the loss has it: the network's outputs are logits).
            expected = run.loss.cost(y, _prediction(run, output), **run.params)
            assert run.training.train_cost[epoch] == pytest.approx(expected, rel=1e-9)
            validation = _snapshot_outputs(data, run, data.x_validation, index)
            expected = run.loss.cost(y_validation, _prediction(run, validation), **run.params)
            assert run.training.validation_cost[epoch] == pytest.approx(expected, rel=1e-9)


def test_the_picture_is_the_network_on_the_probe(trained):
    data, _, runs = trained
    for run in runs:
        for index in (0, len(run.training.snapshot_epochs) // 2, -1):
            output = _snapshot_outputs(data, run, data.probe, index)
            if data.task == "regression":
                expected = output[:, 0]  # the curve ŷ(x)
            elif data.task == "binary":
                expected = expit(output[:, 0])  # P(class 1) = σ(logit), scipy
            else:
                probability = softmax(output, axis=1)  # scipy
                chosen = probability.argmax(axis=1)
                expected = chosen + probability.max(axis=1)
                # The page encodes class c with probability p as c + p, p kept below 1.
                expected = np.minimum(expected, chosen + 1 - 1e-6)
                np.testing.assert_array_equal(np.floor(run.picture[index]), chosen)
            # The picture is evaluated in float32 (what the browser draws).
            np.testing.assert_allclose(run.picture[index], expected, rtol=1e-4, atol=1e-5)


def test_each_point_s_pull_is_its_gradient_s_size(trained):
    data, _, runs = trained
    for run in runs:
        y = _labels_for(run.loss, data.y_train, data.k)
        for index in (0, 7, -1):
            output = _snapshot_outputs(data, run, data.x_train, index)
            gradient = _output_gradient(run, y, output)
            expected = np.linalg.norm(gradient, axis=1)  # |∂ℓ/∂output|, numpy's norm
            np.testing.assert_allclose(run.pull[index], expected, rtol=1e-9, atol=1e-12)


def test_both_trainings_start_from_the_same_weights(trained):
    data, _, runs = trained
    start = initial_weights(lab.architecture(data, SMALL), SMALL.init_seed)
    for run in runs:
        np.testing.assert_array_equal(run.training.snapshots[0], start)


def test_the_same_loss_twice_trains_bit_for_bit_alike_on_mini_batches():
    """Identical starts and identical batches: a loss set against itself (with shuffled
    mini-batches, so a second draw of the batches would show) gives the same training."""
    data = _regression()
    first, second = lab.train_pair(data, _pairs(("mse", {}), ("mse", {})), MINI_BATCH)
    np.testing.assert_array_equal(first.training.snapshots, second.training.snapshots)
    np.testing.assert_array_equal(first.training.train_cost, second.training.train_cost)
    # And a different batch seed does change it: the batches are shuffled per seed.
    other = lab.NetworkSettings(**{**MINI_BATCH.__dict__, "batch_seed": 4})
    (third,) = lab.train_pair(data, _pairs(("mse", {})), other)
    assert not np.array_equal(first.training.snapshots[-1], third.training.snapshots[-1])


def test_the_scores_are_sklearn_s_on_the_validation_points(trained):
    data, frame, runs = trained
    if data.task == "regression":
        assert all(run.scores == {} for run in runs)
        return
    labels = data.y_validation
    # The rare class: the fewest training points (numpy's bincount), a tie to the higher.
    counts = np.bincount(data.y_train, minlength=data.k)
    rare = max(c for c in range(data.k) if counts[c] == counts.min())
    for run in runs:
        for index in (0, 20, -1):
            output = _snapshot_outputs(data, run, data.x_validation, index)
            if data.task == "binary":
                predicted = (output[:, 0] > 0).astype(int)  # σ(z) > ½; a tie is class 0
            else:
                predicted = output.argmax(axis=1)
            scores = {name: values[index] for name, values in run.scores.items()}
            assert scores["accuracy"] == pytest.approx(accuracy_score(labels, predicted))
            assert scores["balanced accuracy"] == pytest.approx(
                balanced_accuracy_score(labels, predicted)
            )
            expected = recall_score(labels, predicted, labels=[rare], average=None)[0]
            assert scores["rare recall"] == pytest.approx(expected)
            if frame.attrs["n_flipped"]:
                clean = data.clean_validation
                assert scores["clean accuracy"] == pytest.approx(accuracy_score(clean, predicted))
            else:
                assert "clean accuracy" not in scores


def test_a_diverging_learning_rate_stops_the_training_and_leaves_no_nan():
    """SGD with η = 1 on ReLU units and outliers 10 above the curve: MSE's outputs
    overflow within a few epochs (found by search; Huber's bounded gradient keeps going)."""
    frame = network_data.make_curve(
        400, shape="sine", noise=0.1, outlier_fraction=0.5, outlier_magnitude=10.0, seed=0
    )
    data = lab.problem(frame, task="regression", k=1, seed=0, shape="sine")
    settings = lab.NetworkSettings(activation="relu", optimiser=Settings("sgd", 1.0), epochs=100)
    mse, huber = lab.train_pair(data, _pairs(("mse", {}), ("huber", {})), settings)
    assert mse.stopped_at is not None and huber.stopped_at is None
    assert np.isnan(mse.training.train_cost[mse.stopped_at :]).all()
    assert np.isfinite(mse.training.train_cost[: mse.stopped_at]).all()
    for run in (mse, huber):
        assert np.isfinite(run.picture).all() and np.isfinite(run.pull).all()
    # The last finite weights' curve reaches beyond float32's range: drawn from float64
    # outputs (losses.network.forward), not as ±inf.
    architecture = lab.architecture(data, settings)
    expected = forward(architecture, mse.training.snapshots[-1], data.probe)[0][:, 0]
    assert np.abs(expected).max() > np.finfo(np.float32).max
    np.testing.assert_allclose(mse.picture[-1], expected, rtol=1e-12)
    # After the stop the snapshots hold the last finite weights.
    later = mse.training.snapshot_epochs >= mse.stopped_at
    assert np.unique(mse.training.snapshots[later], axis=0).shape[0] == 1


def test_the_problem_counts_the_rare_class_and_the_flipped_labels():
    data, frame = _shapes(minority_fraction=0.1, label_noise=0.15)
    # Sources: the generator's own count of flipped labels, and the training labels'
    # class counts (numpy's bincount) for the rare share.
    assert data.flipped == frame.attrs["n_flipped"] == round(0.15 * 120)
    counts = np.bincount(data.y_train, minlength=2)
    assert data.rare_share == pytest.approx(counts.min() / counts.sum())
    assert len(data.y_train) + len(data.y_validation) == 120
    unflipped, plain = _shapes(minority_fraction=0.5)
    assert unflipped.flipped == 0 == plain.attrs["n_flipped"]
    # Balanced moons, half of 120 each: stratified, the share stays one half.
    assert unflipped.rare_share == pytest.approx(0.5)
    curve = _regression()
    assert curve.flipped == 0 and curve.rare_share == 1.0


def test_a_multiclass_problem_of_two_classes_trains_with_two_logits():
    """A student's file on the spiral's (multiclass) page may hold labels 0 and 1 only
    (losses.upload.multiclass_frame: k = 2): its losses take k = 2 logits, so the
    network has two outputs, and the picture is P(class 1), as for two classes anywhere
    (what ui.network_charts draws for k ≤ 2)."""
    frame = network_data.make_shapes(100, shape="moons", seed=0)
    data = lab.problem(frame, task="multiclass", k=2, seed=0)
    runs = lab.train_pair(data, _pairs(("cce", {}), ("kl", {})), SMALL)
    for run in runs:
        output = forward(lab.architecture(data, SMALL), run.training.snapshots[-1], data.probe)[0]
        assert output.shape == (data.probe.shape[0], 2)
        probability = softmax(output, axis=1)  # scipy
        expected = probability[:, 1]
        np.testing.assert_allclose(run.picture[-1], expected, rtol=1e-4, atol=1e-5)


def test_the_work_budget_trains_the_issues_largest_case_whole_and_cuts_beyond_it():
    # The issue's largest case (n = 5,000: 3,750 training points, 2,000 epochs of 2 × 16
    # units, full batch) fits; the same with 3 × 32 units and batches of 8 does not, and is
    # cut to the epochs that fit: by hand, 3,750 points × 97 units × 2 passes + 469 steps ×
    # 4,000 = 2,603,500 units an epoch, so 2.6e8 affords 99 epochs, cut to a multiple of 10.
    frame = network_data.make_shapes(5000, shape="moons")
    data = lab.problem(frame, task="binary", k=2, seed=0, shape="moons")
    largest = lab.NetworkSettings(hidden=(16, 16), epochs=2000)
    assert lab.within_budget(data, largest) == (largest, None)
    heavy = lab.NetworkSettings(hidden=(32, 32, 32), epochs=2000, batch_size=8)
    cut, note = lab.within_budget(data, heavy)
    assert cut.epochs == 90
    assert note.startswith("2,000 epochs of this network on 3,750 training points")
    assert "the first 90" in note
