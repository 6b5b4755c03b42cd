"""The "Train a network" page's numbers: the same network trained from the same start under
two losses, and what each training looks like at every snapshot.

`problem` splits a data set into training and validation points and fixes the picture's
grid; `train_pair` trains one network per loss from identical initial weights and batches
(`losses.training`) and evaluates, at each snapshot, what the page plays back: the curve or
the class probabilities on the grid, how hard each training point pulls (|∂ℓ/∂output|),
the costs, and the validation metrics (`lessons.network_metrics`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from lessons import network_metrics as metrics
from losses import network_data
from losses.network import Architecture, initial_weights, outputs_at
from losses.optimisers import Settings
from losses.spec import Loss
from losses.training import Head, Training, head, targets, train

KEEP = 51  # snapshots played back: every 10th epoch of 500
GRID = 48  # the probability picture, per axis
CURVE_POINTS = 160  # a regression curve, over the x range
VALIDATION_SHARE = 0.25
UNIT_SCALE = 10.0  # inputs beyond ±this saturate tanh units from the first step


def _scale_note(values: np.ndarray, names: str) -> tuple[str, ...]:
    """A sentence when the inputs are far from the scale a small network learns on."""
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if largest <= UNIT_SCALE:
        return ()
    return (
        f"The inputs {names} reach {largest:,.4g}: a network this small, started with weights "
        f"for inputs of about ±3, learns slowly or not at all on them. Rescale the columns "
        f"to within ±{UNIT_SCALE:g} (e.g. standardise them) for a fair race.",
    )


@dataclass(frozen=True, eq=False)
class Problem:
    """A data set ready to train on.

    ``task``: "regression", "binary" or "multiclass"; ``k``: classes (1 for regression).
    ``x_train`` (n, d), ``y_train`` (n,) and the validation part; ``clean_*``: labels before
    any were flipped (None for regression); ``outlier_train`` (n,) bool (regression).
    ``probe``: where the picture is evaluated, (m, d): a line of x (regression) or the grid
    (classification, row-major: z[i, j] at (axis1[j], axis2[i])); ``axes``: its axes.
    ``truth``: the noiseless curve on the probe (regression), else None.
    """

    task: str
    k: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_validation: np.ndarray
    y_validation: np.ndarray
    clean_train: np.ndarray | None
    clean_validation: np.ndarray | None
    outlier_train: np.ndarray
    probe: np.ndarray
    axes: tuple[np.ndarray, ...]
    truth: np.ndarray | None
    notes: tuple[str, ...] = ()

    @property
    def rare_share(self) -> float:
        """The rarest class's share of the training points (1 for regression)."""
        if self.task == "regression":
            return 1.0
        counts = np.bincount(self.y_train, minlength=self.k)
        return float(counts.min() / counts.sum())

    @property
    def flipped(self) -> int:
        """How many validation and training labels differ from their clean ones."""
        if self.clean_train is None:
            return 0
        return int(np.sum(self.clean_train != self.y_train)) + int(
            np.sum(self.clean_validation != self.y_validation)
        )


def problem(frame: pd.DataFrame, *, task: str, k: int, seed: int, shape: str = "") -> Problem:
    """``frame`` split into training and validation points (`network_data.validation_split`,
    stratified by label), with the picture's probe. Regression frames have ``x``, ``y``
    (and maybe ``is_outlier``); classification frames ``x1``, ``x2``, ``label`` (and maybe
    ``clean_label``). ``shape``: the generator's curve, whose truth is drawn (regression)."""
    notes = tuple(frame.attrs.get("notes", ()))
    if task == "regression":
        x = frame["x"].to_numpy(dtype=np.float64)
        y = frame["y"].to_numpy(dtype=np.float64)
        notes += _scale_note(x, "x")
        outlier = (
            frame["is_outlier"].to_numpy(dtype=bool)
            if "is_outlier" in frame
            else np.zeros(len(frame), dtype=bool)
        )
        train_rows, validation_rows = network_data.validation_split(
            len(frame), share=VALIDATION_SHARE, seed=seed
        )
        low, high = float(x.min()), float(x.max())
        line = np.linspace(low, high, CURVE_POINTS)
        truth = network_data.truth(shape, line) if shape in network_data.CURVES else None
        return Problem(
            task,
            1,
            x[train_rows, None],
            y[train_rows],
            x[validation_rows, None],
            y[validation_rows],
            None,
            None,
            outlier[train_rows],
            line[:, None],
            (line,),
            truth,
            notes,
        )
    features = frame[["x1", "x2"]].to_numpy(dtype=np.float64)
    notes += _scale_note(features, "x1, x2")
    labels = frame["label"].to_numpy(dtype=np.int64)
    clean = frame["clean_label"].to_numpy(dtype=np.int64) if "clean_label" in frame else labels
    train_rows, validation_rows = network_data.validation_split(
        len(frame), labels, share=VALIDATION_SHARE, seed=seed
    )
    axis1, axis2, grid = network_data.grid(*network_data.plane_box(frame), GRID)
    return Problem(
        task,
        k,
        features[train_rows],
        labels[train_rows],
        features[validation_rows],
        labels[validation_rows],
        clean[train_rows],
        clean[validation_rows],
        np.zeros(train_rows.size, dtype=bool),
        grid,
        (axis1, axis2),
        None,
        notes,
    )


@dataclass(frozen=True)
class NetworkSettings:
    """The network and how it is trained: hidden widths, activation, the initial weights'
    seed, the optimiser, epochs, batch size (None: full batch), the batches' seed, L2 λ."""

    hidden: tuple[int, ...] = (16, 16)
    activation: str = "tanh"
    init_seed: int = 0
    optimiser: Settings = field(default_factory=Settings)
    epochs: int = 500
    batch_size: int | None = None
    batch_seed: int = 0
    l2: float = 0.0


@dataclass(frozen=True, eq=False)
class Run:
    """One loss's training and its playback.

    ``picture`` (S, m): the curve ŷ on the probe (regression), P(class 1) on the grid
    (two classes), or the predicted class + its probability (three or more: class c with
    probability p as c + p, in [0, k)). ``pull`` (S, n): |∂ℓ/∂output| of each training
    point (the norm over a multiclass row). ``scores``: validation metrics per snapshot,
    name → (S,); ``reliability``: `metrics.Reliability` per snapshot (probabilities only).
    """

    loss: Loss
    params: dict[str, Any]
    head: Head
    training: Training
    picture: np.ndarray
    pull: np.ndarray
    validation_probability: np.ndarray | None  # (S, n_val, k)
    scores: dict[str, np.ndarray]
    reliability: metrics.Reliability | None = None  # per snapshot; None: scores, not probabilities

    @property
    def stopped_at(self) -> int | None:
        return self.training.stopped_at


def _picture(run_head: Head, outputs: np.ndarray, task: str) -> np.ndarray:
    if task == "regression":
        return outputs[..., 0]
    probability = run_head.probability(outputs)
    if probability.shape[-1] == 2:  # two classes, multiclass ones too: drawn as binary
        return probability[..., 1]
    chosen = np.argmax(probability, axis=-1)
    confidence = np.take_along_axis(probability, chosen[..., None], axis=-1)[..., 0]
    return chosen + np.minimum(confidence, 1.0 - 1e-6)


def _pull(run_head: Head, target: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    pull = np.empty(outputs.shape[:2])
    with np.errstate(all="ignore"):
        for index, output in enumerate(outputs):
            gradient = run_head.output_gradient(target, output)
            pull[index] = np.sqrt(np.sum(gradient * gradient, axis=1))
    return np.nan_to_num(pull, nan=0.0, posinf=0.0)


def _scores(data: Problem, probability: np.ndarray) -> dict[str, np.ndarray]:
    predicted = metrics.predicted_classes(probability)
    labels = data.y_validation
    rare = metrics.rare_class(data.y_train)
    scores = {
        "accuracy": metrics.accuracy(labels, predicted),
        "balanced accuracy": metrics.balanced_accuracy(labels, predicted),
        "rare recall": metrics.recall(labels, predicted, rare),
    }
    if data.flipped:
        scores["clean accuracy"] = metrics.accuracy(data.clean_validation, predicted)
    return scores


def architecture(data: Problem, network: NetworkSettings) -> Architecture:
    """The network for ``data``: its inputs, the hidden widths, one output (a value or a
    logit) or k (logits, multiclass: a student's file there may hold two classes only)."""
    outputs = data.k if data.task == "multiclass" else 1
    return Architecture(data.x_train.shape[1], network.hidden, outputs, network.activation)


# What one training may cost, in units of one point through one unit (a layer's width: the
# elementwise work per point and unit, not the matrix products, sets the time of networks this
# small), plus `STEP_UNITS` per optimiser step for its fixed overhead. Calibrated in
# BENCHMARKS.md (§ 13): the budget is the largest case, n = 5,000 at 2,000 epochs of
# 2 × 16 units, full batch. A training beyond it would keep a lab's server busy for tens of
# seconds: the page trains the epochs that fit and says so.
WORK_BUDGET = 2.6e8
STEP_UNITS = 4e3


def work(data: Problem, network: NetworkSettings, epochs: int) -> float:
    """The cost of training ``epochs`` epochs, in the units of `WORK_BUDGET`."""
    n = data.x_train.shape[0]
    batch = network.batch_size if network.batch_size and network.batch_size < n else n
    steps = -(-n // batch)
    widths = sum(architecture(data, network).sizes[1:])
    # Each epoch: the steps' passes, and (with mini-batches) one more over the training
    # points for the cost.
    passes = n * widths * (2 if batch < n else 1) + steps * STEP_UNITS
    return float(epochs) * passes


def within_budget(data: Problem, network: NetworkSettings) -> tuple[NetworkSettings, str | None]:
    """``network`` with its epochs cut to what `WORK_BUDGET` affords (a multiple of 10, at
    least 10), and a sentence saying so; unchanged, and None, when all of them fit."""
    if work(data, network, network.epochs) <= WORK_BUDGET:
        return network, None
    affordable = int(WORK_BUDGET / work(data, network, 1))
    epochs = max(10, affordable - affordable % 10)
    if epochs >= network.epochs:
        return network, None
    note = (
        f"{network.epochs:,} epochs of this network on {data.x_train.shape[0]:,} training "
        f"points is more than the page trains at once: it trains the first {epochs:,}. Fewer "
        "points, a smaller network, a larger batch or full batch train more epochs."
    )
    return replace(network, epochs=epochs), note


def train_pair(
    data: Problem, choices: Sequence[tuple[Loss, dict[str, Any]]], network: NetworkSettings
) -> list[Run]:
    """One `Run` per (loss, params) in ``choices``: the same architecture, the same
    initial weights and the same batches, so the losses are the only difference."""
    network_architecture = architecture(data, network)
    start = initial_weights(network_architecture, network.init_seed)
    runs = []
    for loss, params in choices:
        run_head = head(loss, params, data.k)
        target = targets(run_head, data.y_train)
        validation_target = targets(run_head, data.y_validation)
        training = train(
            network_architecture,
            start,
            run_head,
            data.x_train,
            target,
            settings=network.optimiser,
            epochs=network.epochs,
            batch_size=network.batch_size,
            seed=network.batch_seed,
            l2=network.l2,
            keep=KEEP,
            validation=(data.x_validation, validation_target),
        )
        with np.errstate(all="ignore"):
            # The plane's grid in float32 (a byte per cell is drawn); a curve's 160 points in
            # float64, since the page states its distance from the truth.
            precision = np.float64 if data.task == "regression" else np.float32
            probe = outputs_at(network_architecture, training.snapshots, data.probe, precision)
            picture = _picture(run_head, probe.astype(np.float64), data.task)
            # A training that nearly diverged can have outputs beyond float32's range (a
            # stopped one's last finite weights): those snapshots again in float64.
            wide = ~np.isfinite(picture).all(axis=1)
            if wide.any():
                precise = outputs_at(network_architecture, training.snapshots[wide], data.probe)
                picture[wide] = _picture(run_head, precise, data.task)
        pull = _pull(run_head, target, training.train_outputs)
        probability, scores, calibration = None, {}, None
        if data.task != "regression":
            validation = outputs_at(network_architecture, training.snapshots, data.x_validation)
            probability = run_head.probability(validation)
            scores = _scores(data, probability)
            if run_head.probabilities:
                calibration = metrics.reliability(data.y_validation, probability)
        runs.append(
            Run(
                loss,
                run_head.params,
                run_head,
                training,
                picture,
                pull,
                probability,
                scores,
                calibration,
            )
        )
    return runs
