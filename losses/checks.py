"""Input checks at the boundary of the core, with messages a student can act on.

Every public loss call goes through these before any arithmetic, so the loss
functions themselves can assume clean float64 arrays of matching shape.
"""

from __future__ import annotations

import numpy as np


def as_float_array(values, name: str) -> np.ndarray:
    """Return ``values`` as a float64 array, refusing NaN, inf and non-numbers."""
    array = _float64(values, name)
    _require_finite(array, values, name)
    return array


def _float64(values, name: str) -> np.ndarray:
    """``values`` as a float64 array, refusing what does not convert to numbers."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must contain numbers only ({error}).") from None


_ZEROS = np.zeros(0)


def _all_finite(array: np.ndarray) -> bool:
    """Every entry finite: x·0 is 0 for finite x and NaN for ±inf and NaN, so the dot product
    with zeros is 0 exactly then (it cannot overflow), in one BLAS pass without a temporary."""
    global _ZEROS
    flat = array.reshape(-1)
    # Read the shared buffer once: another session's thread may replace it meanwhile (with a
    # shorter one, even), but the buffer read here stays whole and is never written.
    zeros = _ZEROS
    if zeros.shape[0] < flat.shape[0]:
        zeros = np.zeros(flat.shape[0])
        _ZEROS = zeros
    with np.errstate(invalid="ignore"):  # inf·0 = NaN is the answer wanted, not a warning
        return bool(np.dot(flat, zeros[: flat.shape[0]]) == 0.0)


def _require_finite(array: np.ndarray, values, name: str) -> None:
    """Refuse NaN and ±inf in ``array`` (converted from ``values``), naming a None as missing."""
    if not _all_finite(array):
        # None becomes NaN in the conversion; name it, since the student typed no NaN.
        if any(item is None for item in np.asarray(values, dtype=object).flat):
            raise ValueError(f"{name} has a missing value (None); fill it in with a number.")
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); replace them with finite numbers."
        )


def _within(array: np.ndarray, low: float, high: float) -> bool:
    """Every entry finite and in [low, high], by two reductions: a NaN makes min and max NaN,
    which fails the comparisons, and the max must also be below inf when ``high`` is inf.
    So a check that finds its range holding needs no separate finiteness pass."""
    if not array.size or not array.min() >= low:
        return False
    top = array.max()
    return bool(top <= high and top < np.inf)


def require_ndim(array: np.ndarray, ndim: int, name: str, shape_hint: str) -> None:
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {shape_hint}; got shape {array.shape}.")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty; give at least one sample.")


def require_same_shape(y_true: np.ndarray, y_pred: np.ndarray) -> None:
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            "they must match exactly (no broadcasting)."
        )


def require_in_range(array: np.ndarray, low: float, high: float, name: str, why: str) -> None:
    # Fast path: two read-only reductions instead of three boolean passes; the exact
    # search below runs only when something is out of range, to name it.
    if not array.size or (array.min() >= low and array.max() <= high):
        return  # nothing to name (an empty array has no entry out of range)
    outside = (array < low) | (array > high)
    if np.any(outside):
        first = float(array[outside].flat[0])
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}] ({why}); got {first:g}.")


def regression_pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Targets and predictions for a regression loss: two finite (n,) arrays."""
    y_true = as_float_array(y_true, "y_true")
    y_pred = as_float_array(y_pred, "y_pred")
    require_ndim(y_true, 1, "y_true", "(n,)")
    require_same_shape(y_true, y_pred)
    return y_true, y_pred


def binary_pair(y_true, y_pred, *, from_logits: bool, labels: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predictions for a binary loss.

    ``labels`` is "soft" (any value in [0, 1]) or "hard" (exactly 0 or 1).
    Without ``from_logits`` the predictions are probabilities in [0, 1];
    with it (and for scores) they are any finite real.
    Checked in this order: each finite, y_true (n,), the shapes, the labels, the probabilities.
    """
    # Labels that are 0 or 1, or in [0, 1], and probabilities in [0, 1] are finite, so
    # where the value check holds it stands in for the finiteness pass.
    true_array = _float64(y_true, "y_true")
    if labels == "hard":
        not_binary = (true_array != 0) & (true_array != 1)
        labels_hold = not np.any(not_binary)
    else:
        labels_hold = _within(true_array, 0.0, 1.0)
    if not labels_hold:
        _require_finite(true_array, y_true, "y_true")
    pred_array = _float64(y_pred, "y_pred")
    probabilities_hold = not from_logits and _within(pred_array, 0.0, 1.0)
    if not probabilities_hold:
        _require_finite(pred_array, y_pred, "y_pred")
    require_ndim(true_array, 1, "y_true", "(n,)")
    require_same_shape(true_array, pred_array)
    if not labels_hold and labels == "hard":
        first = float(true_array[not_binary][0])
        raise ValueError(f"y_true must be 0 or 1 for this loss; got {first:g}.")
    if not labels_hold:
        require_in_range(true_array, 0.0, 1.0, "y_true", "a label or the probability of class 1")
    if not from_logits and not probabilities_hold:
        require_in_range(
            pred_array, 0.0, 1.0, "y_pred", "probabilities; pass from_logits=True for raw scores"
        )
    return true_array, pred_array


def probability_rows(y_true, name: str = "y_true") -> np.ndarray:
    """Target distributions: an (n, k) array of non-negative rows that sum to 1.
    Checked in this order: finite, (n, k), entries in [0, 1], row sums."""
    array = _float64(y_true, name)
    in_range = _within(array, 0.0, 1.0)  # which also proves every entry finite
    if not in_range:
        _require_finite(array, y_true, name)
    require_ndim(array, 2, name, "(n, k)")
    if not in_range:
        require_in_range(array, 0.0, 1.0, name, "one-hot or soft class probabilities")
    # y @ 1 sums the rows faster than .sum(axis=1), in another order: off by at most ~k²
    # ulp for entries in [0, 1]. Only when a row comes within 1e-9 of the 1e-6 tolerance are
    # the rows summed again by .sum(axis=1), which gives the verdict and the message.
    off_by = array @ np.ones(array.shape[1])
    off_by -= 1.0
    if np.abs(off_by, out=off_by).max() <= 1e-6 - 1e-9:
        return array
    row_sums = array.sum(axis=1)
    off = np.abs(row_sums - 1.0) > 1e-6
    if np.any(off):
        row = int(np.flatnonzero(off)[0])
        raise ValueError(
            f"each row of {name} must sum to 1 (one-hot or a probability distribution); "
            f"row {row} sums to {row_sums[row]:g}."
        )
    return array


def multiclass_predictions(
    y_pred, n: int, k: int | None, *, from_logits: bool, at_most: float = np.inf
) -> np.ndarray:
    """Predictions for a k-class loss: an (n, k) array of logits or of probabilities.

    Probabilities are non-negative with no row all zeros, and at most ``at_most`` (KL takes
    p as given, so 1). Checked in this order: finite, (n, k) matching the labels, k ≥ 2,
    the sign, the empty rows, the upper bound.
    """
    array = _float64(y_pred, "y_pred")
    proven = not from_logits and _within(array, 0.0, at_most)
    if not proven:
        _require_finite(array, y_pred, "y_pred")
    return _multiclass_shape_and_rows(
        array, n, k, from_logits=from_logits, proven=proven, at_most=at_most
    )


def _multiclass_shape_and_rows(
    y_pred: np.ndarray,
    n: int,
    k: int | None,
    *,
    from_logits: bool,
    proven: bool,
    at_most: float = np.inf,
) -> np.ndarray:
    """multiclass_predictions after the finiteness check: shape, sign, empty rows and bound;
    ``proven`` says `_within(y_pred, 0, at_most)` already holds."""
    require_ndim(y_pred, 2, "y_pred", "(n, k)")
    if y_pred.shape[0] != n or (k is not None and y_pred.shape[1] != k):
        expected = f"({n}, {k})" if k is not None else f"({n}, k)"
        raise ValueError(
            f"y_pred has shape {y_pred.shape} but the labels need {expected}; "
            "they must match exactly (no broadcasting)."
        )
    if y_pred.shape[1] < 2:
        raise ValueError(f"need at least 2 classes; y_pred has {y_pred.shape[1]} column(s).")
    if from_logits:
        return y_pred
    if not proven and y_pred.min() < 0:
        raise ValueError(
            "y_pred must hold non-negative probabilities; pass from_logits=True for logits."
        )
    # A sum of non-negative numbers is 0 exactly when all are 0, in any order, so the
    # faster y @ 1 finds the same rows as .sum(axis=1).
    row_sums = y_pred @ np.ones(y_pred.shape[1])
    if row_sums.min() <= 0:
        row = int(np.flatnonzero(row_sums <= 0)[0])
        raise ValueError(f"row {row} of y_pred is all zeros; it cannot be a distribution.")
    if not proven and at_most < np.inf:
        require_in_range(y_pred, 0.0, at_most, "y_pred", "class probabilities")
    return y_pred


def sparse_pair(y_true, y_pred, *, from_logits: bool) -> tuple[np.ndarray, np.ndarray]:
    """Integer labels (n,) and (n, k) predictions for sparse CCE, checked in this order:
    y_pred finite and 2-d, the labels, then y_pred's shape and rows."""
    array = _float64(y_pred, "y_pred")
    proven = not from_logits and _within(array, 0.0, np.inf)
    if not proven:
        _require_finite(array, y_pred, "y_pred")
    require_ndim(array, 2, "y_pred", "(n, k)")
    labels = integer_labels(y_true, array.shape[1])
    y_pred = _multiclass_shape_and_rows(
        array, labels.shape[0], None, from_logits=from_logits, proven=proven
    )
    return labels, y_pred


def integer_labels(y_true, k: int) -> np.ndarray:
    """Class indices for sparse CCE: an (n,) array of whole numbers in [0, k)."""
    labels = as_float_array(y_true, "y_true")
    require_ndim(labels, 1, "y_true", "(n,) of class indices")
    fractional = labels != np.round(labels)
    if np.any(fractional):
        raise ValueError(
            f"labels must be whole numbers 0..{k - 1}; "
            f"got {float(labels[fractional][0]):g} with k={k}."
        )
    outside = (labels < 0) | (labels >= k)
    if np.any(outside):
        raise ValueError(
            f"labels must be 0..{k - 1}; got {float(labels[outside][0]):g} with k={k}."
        )
    return labels.astype(np.intp)


def sample_weights(sample_weight, n: int) -> np.ndarray:
    """Per-sample weights: (n,), non-negative, with a positive sum."""
    weights = as_float_array(sample_weight, "sample_weight")
    if weights.shape != (n,):
        raise ValueError(
            f"sample_weight must have shape ({n},), one weight per sample; got {weights.shape}."
        )
    if np.any(weights < 0):
        raise ValueError("sample_weight must be non-negative.")
    if weights.sum() <= 0:
        raise ValueError("sample_weight sums to 0; give at least one sample a positive weight.")
    return weights
