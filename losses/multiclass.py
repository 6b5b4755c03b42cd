"""Per-sample k-class losses and their exact derivatives w.r.t. y_pred (n, k).

Arguments are clean float64 arrays (checked in `losses.spec`): y_true is an
(n, k) array of one-hot or soft target rows, y_pred is (n, k) probabilities or
logits. Values have shape (n,), gradients shape (n, k).
"""

from __future__ import annotations

import numpy as np


def smooth_class_labels(y_true, label_smoothing):
    """Keras' categorical label smoothing: y(1 − ls) + ls/k."""
    k = y_true.shape[1]
    return y_true * (1.0 - label_smoothing) + label_smoothing / k


def log_softmax(logits):
    # log-sum-exp with the row max subtracted: no exp of anything above 0.
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(logits):
    return np.exp(log_softmax(logits))


def one_hot(labels, k):
    """(n,) integer labels in [0, k) → (n, k) one-hot rows."""
    rows = np.zeros((labels.shape[0], k))
    rows[np.arange(labels.shape[0]), labels] = 1.0
    return rows


def _sum_without(probability, column):
    """Row sums of ``probability`` leaving out one column per row."""
    rest = probability.copy()
    rest[np.arange(probability.shape[0]), column] = 0.0
    return rest.sum(axis=1)


def _normalised_clipped(y_pred, eps):
    """Rows divided by their sums, clipped to [eps, 1 − eps], with the clip mask and row sums."""
    row_sums = y_pred.sum(axis=1, keepdims=True)
    normalised = y_pred / row_sums
    clipped = np.clip(normalised, eps, 1.0 - eps)
    unclipped = (normalised >= eps) & (normalised <= 1.0 - eps)
    return normalised, clipped, unclipped, row_sums


def cce(y_true, y_pred, *, from_logits, label_smoothing, eps):
    """−Σⱼ yⱼ log pⱼ per row.

    Probabilities: each row divided by its sum, then clipped to [eps, 1 − eps]
    (Keras CategoricalCrossentropy). Logits: log p = log_softmax(z)
    (torch.nn.functional.cross_entropy with probability targets).
    """
    target = smooth_class_labels(y_true, label_smoothing)
    if from_logits:
        return 0.0 - (target * log_softmax(y_pred)).sum(axis=1)  # 0.0 − x avoids −0.0
    _, clipped, _, _ = _normalised_clipped(y_pred, eps)
    return 0.0 - (target * np.log(clipped)).sum(axis=1)


def cce_grad(y_true, y_pred, *, from_logits, label_smoothing, eps):
    target = smooth_class_labels(y_true, label_smoothing)
    if from_logits:
        # d/dz of −Σ y log_softmax(z) = p·S − y with S = Σy (= p − y for rows summing to 1).
        probability = softmax(y_pred)
        total = target.sum(axis=1)
        gradient = probability * total[:, None] - target
        # At the top class p → 1 and p·S − y cancels; with 1 − p = Σ of the other
        # (accurately small) probabilities it keeps full relative accuracy.
        rows, top = np.arange(y_pred.shape[0]), np.argmax(y_pred, axis=1)
        others = _sum_without(probability, top)
        gradient[rows, top] = (total - target[rows, top]) - others * total
        return gradient
    normalised, clipped, unclipped, row_sums = _normalised_clipped(y_pred, eps)
    # g = dL/dq through the clip; then the chain rule through q = y_pred / Σ y_pred:
    # dL/dy_pred_i = (g_i − Σⱼ gⱼ qⱼ) / Σ y_pred.
    d_normalised = np.where(unclipped, -target / clipped, 0.0)
    through_sum = (d_normalised * normalised).sum(axis=1, keepdims=True)
    return (d_normalised - through_sum) / row_sums


def kl(y_true, y_pred, *, eps):
    """Σⱼ yⱼ log(yⱼ / pⱼ) with 0·log 0 = 0 and p clipped to [eps, 1].

    Reference: scipy.special.rel_entr(y, p) summed over classes. Like rel_entr it
    does not renormalise p, so rows of p that do not sum to 1 can give values < 0.
    """
    clipped = np.clip(y_pred, eps, 1.0)
    # Where y = 0 the term is 0; log(1/p) is a finite stand-in multiplied by that 0.
    present = np.where(y_true > 0, y_true, 1.0)
    return (y_true * np.log(present / clipped)).sum(axis=1)


def kl_grad(y_true, y_pred, *, eps):
    clipped = np.clip(y_pred, eps, 1.0)
    return np.where(y_pred >= eps, -y_true / clipped, 0.0)
