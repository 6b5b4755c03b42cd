"""Classification metrics of a network at many training snapshots at once.

The "Train a network" page scores each loss's network at up to ~100 snapshots (epochs), so
every function takes a whole stack: probabilities shaped (S, n, k) (S snapshots, n points,
k ≥ 2 classes) or (n, k) for one snapshot, labels (n,) of whole numbers 0, 1, …, and returns
one value per snapshot, shaped (S,) (a NumPy float for one snapshot), float64 in [0, 1]. No
loop over points or snapshots (only over the k classes, for the top label): counts per
(snapshot, class) or (snapshot, bin) come from `np.bincount` over offset indices s·k + class.

For the binary task k = 2 and column 1 is p(positive) (`binary_probabilities` builds the two
columns from p). Accuracy on the clean labels of a validation set whose labels were partly
flipped is `accuracy(clean_labels, predicted)`: the same function with the other labels.

Where a value is undefined it is NaN, never a silent 0: the recall of a class with no points,
and the mean confidence and accuracy of an empty reliability bin. The page prints a sentence
there instead (scikit-learn's ``zero_division=np.nan`` marks the same cases). The scalar,
binary metrics of the fitted linear classifiers live in `lessons.metrics`; this module is their
multi-class, batched counterpart and shares its conventions (the rare class, ties predicted
negative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from losses import checks

RELIABILITY_BINS = 10  # Guo et al. (2017), §2: M = 10 equal-width bins over [0, 1]


# ---------------------------------------------------------------- input checks


def _floats(values, name: str) -> np.ndarray:
    """``values`` as float64, refusing NaN, inf and non-numbers: `checks.as_float_array`,
    which gives the messages, with `np.isfinite` for the test. A page scores a few thousand
    numbers per call, many calls per training, and the core's test (one BLAS dot product,
    for arrays up to 10⁶) waits for a second OpenBLAS thread on a busy machine."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return checks.as_float_array(values, name)
    if not np.isfinite(array).all():
        return checks.as_float_array(values, name)
    return array


def _class_indices(labels, name: str = "labels") -> np.ndarray:
    """Labels as an (n,) array of class indices (whole numbers ≥ 0, n ≥ 1)."""
    array = _floats(labels, name)
    checks.require_ndim(array, 1, name, "(n,) of class indices")
    bad = (array != np.round(array)) | (array < 0)
    if np.any(bad):
        raise ValueError(f"{name} must be class indices 0, 1, 2, …; got {array[bad][0]:g}.")
    return array.astype(np.intp)


def _predicted(predicted, n: int) -> np.ndarray:
    """Predicted classes shaped (n,) or (S, n), as integers."""
    array = np.asarray(predicted)
    if not np.issubdtype(array.dtype, np.integer):
        array = _floats(array, "predicted")
        if np.any(array != np.round(array)):
            raise ValueError("predicted must hold class indices (whole numbers).")
    if array.ndim not in (1, 2) or array.shape[-1] != n:
        raise ValueError(
            f"predicted must have shape (n,) or (S, n) with n = {n} points, one per label; "
            f"got shape {array.shape}."
        )
    if array.size and array.min() < 0:
        raise ValueError(f"predicted must be class indices ≥ 0; got {int(array.min())}.")
    return array.astype(np.intp)


def _probabilities(probabilities) -> np.ndarray:
    """Probabilities shaped (n, k) or (S, n, k): finite, in [0, 1], each row summing to 1.

    The rows are checked as one (S·n, k) table by `losses.checks.probability_rows`, whose range
    check also proves every entry finite, so a stack costs no separate finiteness pass."""
    shape = np.shape(probabilities)
    if len(shape) not in (2, 3):
        raise ValueError(
            "probabilities must have shape (n, k) for one snapshot or (S, n, k) for S "
            f"snapshots; got shape {shape}."
        )
    if shape[-1] < 2 or shape[-2] == 0:
        raise ValueError(f"probabilities need at least one point and 2 classes; got shape {shape}.")
    rows = np.reshape(probabilities, (-1, shape[-1]))
    return checks.probability_rows(rows, "probabilities").reshape(shape)


def _one_snapshot_or_many(values: np.ndarray, ndim: int) -> np.ndarray:
    """Add a snapshot axis of length 1 to one snapshot's array, so the code below has one form."""
    return values[np.newaxis] if values.ndim == ndim else values


def _result(values: np.ndarray, batched: bool) -> np.ndarray:
    return values if batched else values[0]


# ---------------------------------------------------------------- predictions and counts


def binary_probabilities(positive) -> np.ndarray:
    """(…, n, 2) probabilities [1 − p, p] from p(positive) shaped (…, n)."""
    positive = _floats(positive, "positive")
    checks.require_in_range(positive, 0.0, 1.0, "positive", "probabilities of the positive class")
    return np.stack([1.0 - positive, positive], axis=-1)


def _top_label(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(max_c p_c, the first c reaching it) per point, for checked probabilities (…, n, k).

    One pass per class rather than `max` and `argmax` over the last axis: NumPy reduces a
    short last axis slowly, and k is small here. Only a class strictly above the best so far
    takes over, so a tie keeps the lower class, as `np.argmax` would."""
    confidence = probabilities[..., 0].copy()
    predicted = np.zeros(confidence.shape, dtype=np.intp)
    for cls in range(1, probabilities.shape[-1]):
        column = probabilities[..., cls]
        np.copyto(predicted, cls, where=column > confidence)
        np.maximum(confidence, column, out=confidence)
    return confidence, predicted


def predicted_classes(probabilities) -> np.ndarray:
    """The most probable class of each point: (n, k) → (n,), (S, n, k) → (S, n), int.

    A tie goes to the lower class (the first maximum, as `np.argmax`): for k = 2,
    p(positive) = 0.5 exactly is predicted negative, as `lessons.metrics` predicts a score of
    exactly 0 negative.
    """
    return _top_label(_probabilities(probabilities))[1]


def class_counts(labels) -> np.ndarray:
    """Points per class, (labels.max() + 1,) int."""
    return np.bincount(_class_indices(labels))


def rare_class(labels) -> int:
    """The class with the fewest points, among the classes that have points.

    A tie goes to the higher class: with as many positives as negatives the positive class
    (1) is the rare one, the class `lessons.metrics` takes to be rare. A class absent from the
    labels is never the rare one: it has no points to recall.
    """
    counts = class_counts(labels)
    present = np.flatnonzero(counts)
    fewest = counts[present].min()
    return int(present[counts[present] == fewest][-1])


def _correct_per_class(labels: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    """(S, k) counts of points of each class predicted as their own class, per snapshot."""
    snapshots = predicted.shape[0]
    correct = predicted == labels  # (S, n)
    offsets = np.arange(snapshots)[:, np.newaxis] * k + labels  # snapshot s, class c → s·k + c
    return np.bincount(offsets[correct], minlength=snapshots * k).reshape(snapshots, k)


# ---------------------------------------------------------------- metrics per snapshot


def accuracy(labels, predicted) -> np.ndarray:
    """Share of points predicted right: labels (n,), predicted (n,) or (S, n) → () or (S,).

    Reference: sklearn.metrics.accuracy_score.
    """
    labels = _class_indices(labels)
    predicted = _predicted(predicted, labels.shape[0])
    return np.mean(predicted == labels, axis=-1)


def class_recalls(labels, predicted, k: int | None = None) -> np.ndarray:
    """Recall of each class 0..k−1: (n,) or (S, n) predictions → (k,) or (S, k).

    recall_c = (points of class c predicted c) / (points of class c); NaN for a class with no
    points. ``k`` defaults to labels.max() + 1. Reference: sklearn.metrics.recall_score with
    average=None, zero_division=np.nan.
    """
    labels = _class_indices(labels)
    predicted = _predicted(predicted, labels.shape[0])
    k = int(labels.max()) + 1 if k is None else k
    if k <= labels.max():
        raise ValueError(f"k = {k} classes is too few for a label {labels.max()}.")
    batched = predicted.ndim == 2
    correct = _correct_per_class(labels, _one_snapshot_or_many(predicted, 1), k)
    counts = np.bincount(labels, minlength=k)
    # Dividing by max(count, 1) keeps empty classes free of a 0/0 warning; np.where drops them.
    recalls = np.where(counts > 0, correct / np.maximum(counts, 1), np.nan)
    return _result(recalls, batched)


def recall(labels, predicted, cls: int) -> np.ndarray:
    """Recall of class ``cls``: () or (S,); NaN when ``cls`` has no points in the labels.

    Reference: sklearn.metrics.recall_score(labels=[cls], average=None, zero_division=np.nan).
    """
    if cls < 0:
        raise ValueError(f"cls must be a class index ≥ 0; got {cls}.")
    labels = _class_indices(labels)
    recalls = class_recalls(labels, predicted, max(int(labels.max()), cls) + 1)
    return recalls[..., cls][()]  # [()] turns one snapshot's 0-d array into a NumPy float


def balanced_accuracy(labels, predicted) -> np.ndarray:
    """Mean recall over the classes present in the labels: () or (S,).

    Classes that are only predicted do not count (their recall is undefined), as in
    sklearn.metrics.balanced_accuracy_score (adjusted=False). Always defined: n ≥ 1 means at
    least one class is present.
    """
    recalls = class_recalls(labels, predicted)
    return np.nanmean(recalls, axis=-1)


# ---------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Reliability:
    """A reliability diagram per snapshot: top-label confidence against accuracy in M bins.

    edges (M + 1,) bin edges 0, 1/M, …, 1; and per snapshot, shaped (S, M) or (M,):
    confidence (mean top-label confidence in the bin, NaN if empty), accuracy (share of the
    bin's points predicted right, NaN if empty), count (points in the bin, int); ece, (S,) or
    (): the expected calibration error.
    """

    edges: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray
    ece: np.ndarray


def reliability(labels, probabilities, bins: int = RELIABILITY_BINS) -> Reliability:
    """Reliability diagram and ECE of top-label confidence (Guo et al., 2017).

    Guo, Pleiss, Sun and Weinberger, "On Calibration of Modern Neural Networks", ICML 2017, §2:
    confidence = max_c p_c and correct = [argmax_c p_c = label] (ties as `predicted_classes`).
    The M = ``bins`` bins have equal width over [0, 1]: edge_m is the float nearest m/M, and
    the bins are right-closed, B_m = (edge_{m−1}, edge_m], except the first, which also holds 0
    (Guo's I_m = ((m−1)/M, m/M]). sklearn.calibration.calibration_curve bins the same way, on
    edges ``np.linspace(0, 1, M + 1)``, some of which lie one ulp above m/M. With k classes
    every confidence is ≥ 1/k, so the lowest bins stay empty; they are kept so the diagram of
    every task has the same x axis.

    ECE = Σ_m (n_m / n)·|acc_m − conf_m| = Σ_m |Σ_{i∈B_m} (correct_i − confidence_i)| / n,
    the second form being free of empty bins' NaN. In [0, 1].

    labels (n,) in 0..k−1; probabilities (n, k) or (S, n, k), rows summing to 1.
    """
    probabilities = _probabilities(probabilities)
    labels = _class_indices(labels)
    k = probabilities.shape[-1]
    if labels.max() >= k:
        raise ValueError(f"labels must be 0..{k - 1} for k = {k} classes; got {labels.max()}.")
    if labels.shape[0] != probabilities.shape[-2]:
        raise ValueError(
            f"probabilities have {probabilities.shape[-2]} points but there are "
            f"{labels.shape[0]} labels; give one label per point."
        )
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be a whole number ≥ 1; got {bins!r}.")
    batched = probabilities.ndim == 3
    stack = _one_snapshot_or_many(probabilities, 2)
    snapshots, n = stack.shape[0], stack.shape[1]
    confidence, predicted = _top_label(stack)  # (S, n) each
    correct = predicted == labels
    edges = np.arange(bins + 1) / bins  # m / M rounded once; linspace's m·(1/M) rounds twice
    # The inner edges with side="left": a confidence equal to an edge falls in the bin below it.
    which = np.searchsorted(edges[1:-1], confidence, side="left")
    offsets = (np.arange(snapshots)[:, np.newaxis] * bins + which).ravel()
    size = snapshots * bins
    count = np.bincount(offsets, minlength=size).reshape(snapshots, bins)
    confidence_sum = np.bincount(offsets, confidence.ravel(), size).reshape(snapshots, bins)
    correct_sum = np.bincount(offsets, correct.ravel(), size).reshape(snapshots, bins)
    filled = count > 0
    safe = np.maximum(count, 1)
    ece = np.abs(correct_sum - confidence_sum).sum(axis=-1) / n
    return Reliability(
        edges=edges,
        confidence=_result(np.where(filled, confidence_sum / safe, np.nan), batched),
        accuracy=_result(np.where(filled, correct_sum / safe, np.nan), batched),
        count=_result(count, batched),
        # Each |Σ(correct − confidence)| is at most n_m, so only rounding could pass 1.
        ece=_result(np.minimum(ece, 1.0), batched),
    )
