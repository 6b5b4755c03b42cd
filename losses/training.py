"""Training a network under a registered loss: what its outputs mean to the loss, and the
training loop with the snapshots a page plays back.

A `Head` joins a network's outputs to a loss: a regression value as it is; one logit
(binary) or k logits (multiclass) passed to a loss that takes logits with ``from_logits``
on, to a margin loss (hinge) as a score, and through σ or softmax to a loss that takes
probabilities only (KL), by the chain rule. Its gradient is the loss's own `grad`, so
every registered loss trains a network with no code of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from losses import binary, multiclass
from losses.network import Architecture, Pass
from losses.optimisers import Optimiser, Settings
from losses.spec import Loss

MAX_EPOCHS = 5_000


@dataclass(frozen=True, eq=False)
class Head:
    """How ``loss`` (with resolved ``params``) reads a network's outputs (n, outputs).

    ``link``: "value" (regression), "logit" (binary, from_logits or a score), "sigmoid"
    (binary, probabilities only), "logits" (multiclass, from_logits), "softmax"
    (multiclass, probabilities only).
    """

    loss: Loss
    params: dict[str, Any]
    link: str
    outputs: int

    @property
    def probabilities(self) -> bool:
        """Whether the network's outputs give class probabilities a student can read:
        through σ or softmax, not a margin loss's scores."""
        return self.loss.task != "regression" and not self.loss.scores

    def prediction(self, output: np.ndarray) -> np.ndarray:
        """What the loss takes from the outputs (n, outputs): ŷ (n,), a logit or
        probability (n,), or k logits or probabilities (n, k)."""
        if self.link in ("value", "logit"):
            return output[:, 0]
        if self.link == "sigmoid":
            return binary.sigmoid(output[:, 0])
        if self.link == "softmax":
            return multiclass.softmax(output)
        return output

    def value(self, target: np.ndarray, output: np.ndarray) -> np.ndarray:
        """The per-sample loss (n,) of the outputs (n, outputs) against prepared targets."""
        return self.loss.value_fn(target, self.prediction(output), **self.params)

    def output_gradient(self, target: np.ndarray, output: np.ndarray) -> np.ndarray:
        """∂ℓ_i/∂(output_i) (n, outputs): the loss's gradient, through σ
        (g·p(1 − p)) or softmax (p ⊙ (g − Σ_k g_k p_k)) where the loss takes probabilities."""
        prediction = self.prediction(output)
        gradient = self.loss.grad_fn(target, prediction, **self.params)
        if self.link == "sigmoid":
            gradient = gradient * prediction * (1.0 - prediction)
        elif self.link == "softmax":
            inner = np.sum(gradient * prediction, axis=1, keepdims=True)
            gradient = prediction * (gradient - inner)
        return gradient.reshape(output.shape[0], self.outputs)

    def probability(self, output: np.ndarray) -> np.ndarray:
        """Class probabilities (…, k) from outputs (…, outputs): binary [1 − σ(z), σ(z)]
        (for a margin loss, σ of its score: a picture of the score, not a calibrated
        probability), multiclass softmax."""
        if self.outputs == 1:
            positive = binary.sigmoid(output[..., 0])
            return np.stack([1.0 - positive, positive], axis=-1)
        shifted = output - output.max(axis=-1, keepdims=True)
        exponentials = np.exp(shifted)
        return exponentials / exponentials.sum(axis=-1, keepdims=True)


def head(loss: Loss, params: dict[str, Any], k: int = 2) -> Head:
    """The `Head` for ``loss`` with ``params`` (defaults filled in, checked; a loss that can
    take logits is given them), for ``k`` classes in the multiclass task."""
    given = dict(params)
    takes_logits = any(spec.name == "from_logits" for spec in loss.params)
    if takes_logits:
        given["from_logits"] = True
    resolved = loss.resolve_params(given)
    if loss.task == "regression":
        return Head(loss, resolved, "value", 1)
    if loss.task == "binary":
        link = "logit" if takes_logits or loss.scores else "sigmoid"
        return Head(loss, resolved, link, 1)
    return Head(loss, resolved, "logits" if takes_logits else "softmax", k)


def targets(head: Head, y: np.ndarray) -> np.ndarray:
    """``y`` as ``head.loss`` takes it, checked: values (regression), 0/1 labels (binary),
    one-hot rows or class indices (multiclass, as the loss's ``label_form`` says)."""
    y = np.asarray(y)
    if head.loss.task == "multiclass" and head.loss.label_form == "one_hot":
        y = multiclass.one_hot(y.astype(np.int64), head.outputs)
    sample = np.zeros((y.shape[0], head.outputs))
    target, _ = head.loss.prepare(y, head.prediction(sample), **head.params)
    return target


@dataclass(frozen=True, eq=False)
class Training:
    """One training run.

    ``snapshot_epochs`` (S,): the epochs kept; ``snapshots`` (S, P): the weights after that
    many epochs; ``train_cost``, ``validation_cost`` (E + 1,): the cost (`Loss.cost`: the
    mean loss, without the L2 term) after 0 … E epochs, NaN after ``stopped_at``, the
    epoch whose outputs were not finite (the training stopped there; later snapshots hold
    the last finite weights); ``train_outputs`` (S, n, outputs): the outputs on the
    training points at each snapshot.
    """

    snapshot_epochs: np.ndarray
    snapshots: np.ndarray
    train_cost: np.ndarray
    validation_cost: np.ndarray
    train_outputs: np.ndarray
    stopped_at: int | None


def snapshot_epochs(epochs: int, count: int) -> np.ndarray:
    """At most ``count`` epochs from 0 to ``epochs``, evenly spread, both ends included."""
    return np.unique(np.round(np.linspace(0, epochs, min(count, epochs + 1))).astype(np.int64))


def batches(n: int, batch_size: int | None, epochs: int, seed: int) -> list[list[np.ndarray]]:
    """The rows of each step, per epoch: all n rows in order (full batch, ``batch_size``
    None or ≥ n), or a fresh ``np.random.default_rng(seed).permutation(n)`` per epoch cut
    into batches of ``batch_size`` (the last one shorter)."""
    if batch_size is None or batch_size >= n:
        return [[np.arange(n)]] * epochs
    rng = np.random.default_rng(seed)
    result = []
    for _ in range(epochs):
        order = rng.permutation(n)
        result.append([order[start : start + batch_size] for start in range(0, n, batch_size)])
    return result


def _checked(epochs: int, batch_size: int | None, l2: float) -> None:
    if not isinstance(epochs, int | np.integer) or not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}; got {epochs}.")
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"the batch size must be at least 1; got {batch_size}.")
    if not (math.isfinite(l2) and l2 >= 0):
        raise ValueError(f"the L2 strength λ must be 0 or more; got {l2}.")


def train(
    architecture: Architecture,
    start: np.ndarray,
    head: Head,
    x: np.ndarray,
    target: np.ndarray,
    *,
    settings: Settings,
    epochs: int,
    batch_size: int | None = None,
    seed: int = 0,
    l2: float = 0.0,
    keep: int = 51,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
) -> Training:
    """Train from the weights ``start`` (P,) on ``x`` (n, inputs) and prepared ``target``
    (`targets`), minimising the cost ``mean ℓ + (λ/2)·Σ‖W‖²`` (λ = ``l2``, the matrices
    only) with the optimiser of ``settings``, one step per batch of `batches`.

    Keeps ``keep`` snapshots (`snapshot_epochs`) and the cost after every epoch, on the
    training points and on ``validation`` (x, prepared target), if given.
    """
    _checked(epochs, batch_size, l2)
    n = x.shape[0]
    weights = start.astype(np.float64, copy=True)
    gradient = np.empty_like(weights)
    optimiser = Optimiser(settings, weights.size)
    mask = architecture.matrix_mask if l2 else None
    kept = snapshot_epochs(epochs, keep)
    snapshots = np.empty((kept.size, weights.size))
    train_outputs = np.empty((kept.size, n, head.outputs))
    train_cost = np.full(epochs + 1, np.nan)
    validation_cost = np.full(epochs + 1, np.nan)
    steps = batches(n, batch_size, epochs, seed)
    full_batch = batch_size is None or batch_size >= n
    # One pass object per set of rows: the weights' layer views and every intermediate
    # array are made once, not once per epoch and step (`Pass`: the same numbers).
    training_pass = Pass(architecture, weights, n)
    validation_pass = None
    if validation is not None:
        validation_pass = Pass(architecture, weights, len(validation[0]))
    last_finite = weights.copy()
    last_outputs = np.empty((n, head.outputs))
    has_outputs = False
    stopped_at = None
    next_kept = 0
    with np.errstate(all="ignore"):
        for epoch in range(epochs + 1):
            output = training_pass.forward(x)
            cost = _mean(head.value(target, output))
            if not (math.isfinite(cost) and np.isfinite(output).all()):
                stopped_at = epoch
                if not has_outputs and np.isfinite(output).all():
                    last_outputs[:] = output  # stopped at epoch 0 by the cost: the start's outputs
                    has_outputs = True
                break
            train_cost[epoch] = cost
            last_finite[:] = weights
            last_outputs[:] = output
            has_outputs = True
            if validation_pass is not None:
                validation_output = validation_pass.forward(validation[0])
                validation_cost[epoch] = _mean(head.value(validation[1], validation_output))
            if next_kept < kept.size and kept[next_kept] == epoch:
                snapshots[next_kept] = weights
                train_outputs[next_kept] = output
                next_kept += 1
            if epoch == epochs:
                break
            for rows in steps[epoch]:
                if not full_batch:
                    output = training_pass.forward(x[rows])
                batch_target = target if full_batch else target[rows]
                output_gradient = head.output_gradient(batch_target, output)
                output_gradient /= len(rows)
                training_pass.backward(output_gradient, gradient)
                if mask is not None:
                    gradient += l2 * mask * weights
                optimiser.step(weights, gradient)
    if next_kept < kept.size:
        snapshots[next_kept:] = last_finite
        train_outputs[next_kept:] = last_outputs if has_outputs else np.nan
    return Training(kept, snapshots, train_cost, validation_cost, train_outputs, stopped_at)


def _mean(per_sample: np.ndarray) -> float:
    """``float(np.mean(per_sample))`` of a float64 vector, the same sum over the same count,
    without `np.mean`'s dispatch."""
    return float(np.add.reduce(per_sample)) / per_sample.shape[0]


def penalty(architecture: Architecture, weights: np.ndarray, l2: float) -> float:
    """The L2 term (λ/2)·Σ‖W‖² of ``weights`` (P,): the matrices, not the biases."""
    return 0.5 * l2 * float(np.sum(architecture.matrix_mask * weights * weights))
