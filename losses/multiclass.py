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


def _normalised_rows(y_pred):
    """Each probability row divided by its sum (as cce does), and the sums (n, 1)."""
    sums = row_sums(y_pred)[:, None]
    return np.divide(y_pred, sums), sums


def _through_normalisation(d_normalised, normalised, sums):
    """dL/dy_pred from dL/dq with q = y_pred / Σ y_pred: (gᵢ − Σⱼ gⱼ qⱼ) / Σ y_pred."""
    d_normalised -= row_dots(d_normalised, normalised)[:, None]
    d_normalised /= sums
    return d_normalised


def _through_softmax(d_probability, probability):
    """dL/dz from dL/dp with p = softmax(z): p ⊙ (g − Σⱼ gⱼ pⱼ), the softmax Jacobian
    diag(p) − p pᵀ applied to g."""
    d_probability -= row_dots(d_probability, probability)[:, None]
    d_probability *= probability
    return d_probability


def brier_multiclass(y_true, y_pred, *, from_logits):
    """Σⱼ (pⱼ − yⱼ)² per row: p = softmax(z) with ``from_logits``, else the rows divided by
    their sums. Reference: Brier (1950); sklearn.metrics.brier_score_loss (multiclass, with
    scale_by_half=False) is its mean."""
    if from_logits:
        error = _softmax_error(y_true, y_pred)[1]
    else:
        error = _normalised_rows(y_pred)[0]
        error -= y_true
    return row_dots(error, error)


def _softmax_error(y_true, y_pred):
    """p = softmax(z) and p − y. At each row's top class p → 1 and p − y would cancel:
    there it is (1 − y) − Σ of the other (accurately small) probabilities, as in cce_grad."""
    probability = softmax(y_pred)
    error = probability - y_true
    rows, top = np.arange(y_pred.shape[0]), np.argmax(y_pred, axis=1)
    error[rows, top] = (1.0 - y_true[rows, top]) - _sum_without(probability, top)
    return probability, error


def brier_multiclass_grad(y_true, y_pred, *, from_logits):
    if from_logits:
        probability, error = _softmax_error(y_true, y_pred)
        error *= 2.0
        return _through_softmax(error, probability)
    normalised, sums = _normalised_rows(y_pred)
    return _through_normalisation(2.0 * (normalised - y_true), normalised, sums)


# GCE's probability path clips like cce's default: at p = 0 its gradient −p^(q−1) is
# infinite for q < 1, while the value there, 1/q, is finite.
GCE_EPS = 1e-7


def _gce_log_probability(y_pred, from_logits):
    """log p: log_softmax(z), or the log of each row divided by its sum and clipped to
    [1e-7, 1 − 1e-7]; with the normalised rows and sums (None for logits)."""
    if from_logits:
        return log_softmax(y_pred), None, None
    normalised, sums = _normalised_rows(y_pred)
    return np.log(np.clip(normalised, GCE_EPS, 1.0 - GCE_EPS)), normalised, sums


def gce_multiclass(y_true, y_pred, *, q, from_logits):
    """Σⱼ yⱼ (1 − pⱼ^q)/q per row: generalised cross-entropy, one-hot or soft targets.

    Reference: Zhang & Sabuncu (2018), "Generalized Cross Entropy Loss for Training Deep
    Neural Networks with Noisy Labels" (their L_q). q → 0 is CCE, q = 1 is 1 − p_y for a
    one-hot row (MAE on the probability, Ghosh et al. 2017). (1 − p^q)/q is computed as
    −expm1(q·log p)/q: accurate for small q and for p near 1.
    """
    log_p = _gce_log_probability(y_pred, from_logits)[0]
    # 0.0 − x: +0.0, not −0.0, where every labelled p is 1.
    return 0.0 - row_dots(y_true, np.expm1(q * log_p)) / q


def gce_multiclass_grad(y_true, y_pred, *, q, from_logits):
    log_p, normalised, sums = _gce_log_probability(y_pred, from_logits)
    # dL/dpⱼ = −yⱼ pⱼ^(q−1), and (for logits) ∂ log pₖ/∂zⱼ = δₖⱼ − pⱼ, so
    # dL/dz = p·Σₖ yₖ pₖ^q − y ⊙ p^q: −p_y^q (e_y − p) for a one-hot row.
    if from_logits:
        probability = np.exp(log_p)
        weighted = y_true * np.exp(q * log_p)
        return probability * row_sums(weighted)[:, None] - weighted
    d_normalised = -y_true * np.exp((q - 1.0) * log_p)
    # 0 where the clip moved q (its log is then the log of a bound, not of q).
    clipped = np.clip(normalised, GCE_EPS, 1.0 - GCE_EPS)
    np.copyto(d_normalised, 0.0, where=np.not_equal(clipped, normalised))
    return _through_normalisation(d_normalised, normalised, sums)
