"""Per-sample k-class losses and their exact derivatives w.r.t. y_pred (n, k).

Arguments are clean float64 arrays (checked in `losses.spec`): y_true is an
(n, k) array of one-hot or soft target rows, y_pred is (n, k) probabilities or
logits. Values have shape (n,), gradients shape (n, k).
"""

from __future__ import annotations

import numpy as np


def row_sums(rows):
    """Σⱼ rows[:, j], shape (n,).

    As einsum, which is faster than .sum(axis=1)'s per-row reduction; the additions run in another
    order, a difference of rounding only. Not rows @ 1: BLAS sums a row in an order that depends on
    how many rows it is given, so the blocks of `losses.spec.blockwise` would not reproduce the
    whole-array numbers.
    """
    return np.einsum("ij->i", rows)


def row_dots(rows, other_rows):
    """Σⱼ rows[:, j]·other_rows[:, j], shape (n,): the products summed without a temporary."""
    return np.einsum("ij,ij->i", rows, other_rows)


def smooth_class_labels(y_true, label_smoothing, k=None):
    """Keras' categorical label smoothing: y(1 − ls) + ls/k.

    y_true is (n, k) target rows, or (n,) integer labels (sparse CCE) made one-hot here,
    block by block, instead of an n × k array for all rows up front (80 MB at n = 1e6, k = 10).
    """
    if y_true.ndim == 1:
        y_true = one_hot(y_true, k)
        if label_smoothing == 0.0:
            return y_true  # a fresh array of exact 0s and 1s: y·1 + 0 would not change it
    if label_smoothing == 0.0:
        # y·1 + 0/k as one pass: y·1 is y exactly, so y + 0 gives the same bits (−0.0 → +0.0).
        return np.add(y_true, 0.0)
    k = y_true.shape[1]
    target = np.multiply(y_true, 1.0 - label_smoothing)
    target += label_smoothing / k
    return target


def log_softmax(logits):
    # log-sum-exp with the row max subtracted: no exp of anything above 0.
    shifted = np.subtract(logits, logits.max(axis=1, keepdims=True))
    log_total = np.log(row_sums(np.exp(shifted)))
    shifted -= log_total[:, None]
    return shifted


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
    return row_sums(rest)


def cce(y_true, y_pred, *, from_logits, label_smoothing, eps):
    """−Σⱼ yⱼ log pⱼ per row; y_true (n, k) target rows or (n,) labels (sparse CCE).

    Probabilities: each row divided by its sum, then clipped to [eps, 1 − eps]
    (Keras CategoricalCrossentropy). Logits: log p = log_softmax(z)
    (torch.nn.functional.cross_entropy with probability targets).
    """
    if y_true.ndim == 1 and label_smoothing == 0.0 and not from_logits:
        return _sparse_cce_probabilities(y_true, y_pred, eps)
    target = smooth_class_labels(y_true, label_smoothing, y_pred.shape[1])
    if from_logits:
        return 0.0 - row_dots(target, log_softmax(y_pred))  # 0.0 − x avoids −0.0
    log_p = np.divide(y_pred, row_sums(y_pred)[:, None])
    np.clip(log_p, eps, 1.0 - eps, out=log_p)
    np.log(log_p, out=log_p)
    return 0.0 - row_dots(target, log_p)


def _sparse_cce_probabilities(labels, y_pred, eps):
    """cce's probability path for integer labels without smoothing, on the labelled column
    only: −log clip(p_c / Σp). The same bits as the one-hot row dot: log clip(·) < 0 is
    finite (or +0.0 when 1 − eps rounds to 1), the other terms are 0·(finite ≤ 0) = ±0.0,
    and adding ±0.0 to a nonzero x gives x (to +0.0, +0.0)."""
    rows = np.arange(labels.shape[0])
    log_p = np.divide(y_pred[rows, labels], row_sums(y_pred))
    np.clip(log_p, eps, 1.0 - eps, out=log_p)
    np.log(log_p, out=log_p)
    return np.subtract(0.0, log_p, out=log_p)


def _sparse_cce_probabilities_grad(labels, y_pred, eps):
    """cce_grad's probability path for integer labels without smoothing, from the labelled
    column: with g = −1/clip(q_c) (0 if clipped) and s = g·q_c, row i is (0 − s)/Σp off
    the label and (g − s)/Σp on it: the same bits as the one-hot path, whose row dot adds
    only ±0.0 to g·q_c. Rows with s = 0 (label clipped), where the one-hot path keeps the
    sign of each zero, are recomputed by it."""
    rows = np.arange(labels.shape[0])
    sums = row_sums(y_pred)
    normalised = np.divide(y_pred[rows, labels], sums)
    clipped = np.clip(normalised, eps, 1.0 - eps)
    label_slope = np.divide(-1.0, clipped)
    np.copyto(label_slope, 0.0, where=np.not_equal(clipped, normalised))
    shift = np.multiply(label_slope, normalised)
    gradient = np.empty(y_pred.shape)
    gradient[:] = (np.subtract(0.0, shift) / sums)[:, None]
    label_slope -= shift
    label_slope /= sums
    gradient[rows, labels] = label_slope
    zero_shift = np.flatnonzero(shift == 0.0)
    if zero_shift.size:
        gradient[zero_shift] = _cce_grad(
            labels[zero_shift], y_pred[zero_shift], from_logits=False, label_smoothing=0.0, eps=eps
        )
    return gradient


def cce_grad(y_true, y_pred, *, from_logits, label_smoothing, eps):
    if y_true.ndim == 1 and label_smoothing == 0.0 and not from_logits:
        return _sparse_cce_probabilities_grad(y_true, y_pred, eps)
    return _cce_grad(
        y_true, y_pred, from_logits=from_logits, label_smoothing=label_smoothing, eps=eps
    )


def _cce_grad(y_true, y_pred, *, from_logits, label_smoothing, eps):
    target = smooth_class_labels(y_true, label_smoothing, y_pred.shape[1])
    if from_logits:
        # d/dz of −Σ y log_softmax(z) = p·S − y with S = Σy (= p − y for rows summing to 1).
        probability = softmax(y_pred)
        total = row_sums(target)
        gradient = probability * total[:, None] - target
        # At the top class p → 1 and p·S − y cancels; with 1 − p = Σ of the other
        # (accurately small) probabilities it keeps full relative accuracy.
        rows, top = np.arange(y_pred.shape[0]), np.argmax(y_pred, axis=1)
        others = _sum_without(probability, top)
        gradient[rows, top] = (total - target[rows, top]) - others * total
        return gradient
    sums = row_sums(y_pred)[:, None]
    normalised = np.divide(y_pred, sums)
    clipped = np.clip(normalised, eps, 1.0 - eps)
    # g = dL/dq through the clip (0 where the clip moved q); then the chain rule through
    # q = y_pred / Σ y_pred: dL/dy_pred_i = (g_i − Σⱼ gⱼ qⱼ) / Σ y_pred.
    d_normalised = np.negative(target, out=target)
    d_normalised /= clipped
    # The clip leaves q unchanged exactly when eps ≤ q ≤ 1 − eps: one comparison, not three.
    np.copyto(d_normalised, 0.0, where=np.not_equal(clipped, normalised))
    d_normalised -= row_dots(d_normalised, normalised)[:, None]
    d_normalised /= sums
    return d_normalised


def kl(y_true, y_pred, *, eps):
    """Σⱼ yⱼ log(yⱼ / pⱼ) with 0·log 0 = 0 and p clipped to [eps, 1].

    Reference: scipy.special.rel_entr(y, p) summed over classes. Like rel_entr it
    does not renormalise p, so rows of p that do not sum to 1 can give values < 0.
    """
    clipped = np.clip(y_pred, eps, 1.0)
    # Where y = 0 the term is 0; log(1/p) is a finite stand-in multiplied by that 0.
    ratio = np.divide(y_true, clipped)
    np.divide(1.0, clipped, out=ratio, where=y_true <= 0)
    np.log(ratio, out=ratio)
    return row_dots(y_true, ratio)


def kl_grad(y_true, y_pred, *, eps):
    clipped = np.clip(y_pred, eps, 1.0)
    gradient = np.negative(y_true)
    gradient /= clipped
    np.copyto(gradient, 0.0, where=y_pred < eps)
    return gradient
