"""What the multi-class page computes: label forms and their memory, one sample's
softmax/loss/gradient, the identical CCE and sparse-CCE costs, decision regions.

Every loss number goes through the registry (`losses.get("cce")`,
`losses.get("sparse_cce")`), so the page shows the core's numbers, not a copy of
the formulas. NumPy and pandas only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from losses import _validate, multiclass
from losses.registry import get

# What the frameworks store: Keras' to_categorical gives float32 one-hot rows;
# torch.nn.functional.cross_entropy wants int64 class indices, Keras accepts int32.
ONE_HOT_DTYPE = np.dtype(np.float32)
INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))


# ---------------------------------------------------------------- label forms and memory


@dataclass(frozen=True)
class LabelForm:
    """One way of storing the labels: its shape, dtype and bytes (``array.nbytes``)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    nbytes: int


def class_labels(labels, k: int) -> np.ndarray:
    """Validated class indices (n,) as int64: whole numbers in 0..k−1 (sparse CCE's checks)."""
    if int(k) < 2:
        raise ValueError(f"need at least 2 classes; got k={k}.")
    return _validate.integer_labels(labels, int(k)).astype(np.int64)


def label_arrays(labels, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The same labels twice: one-hot rows (n, k) float32 and class indices (n,) int64."""
    indices = class_labels(labels, k)
    return multiclass.one_hot(indices, int(k)).astype(ONE_HOT_DTYPE), indices


def label_forms(labels, k: int) -> tuple[LabelForm, LabelForm]:
    """Shape, dtype and real ``nbytes`` of the one-hot (float32) and integer (int64) labels."""
    one_hot, indices = label_arrays(labels, k)
    return (
        LabelForm("one-hot (CCE)", one_hot.shape, str(one_hot.dtype), int(one_hot.nbytes)),
        LabelForm("indices (sparse)", indices.shape, str(indices.dtype),
                  int(indices.nbytes)),
    )  # fmt: skip


def label_forms_table(forms) -> pd.DataFrame:
    """One row per `LabelForm`: its name, shape, dtype and bytes (with thousands separators)."""
    return pd.DataFrame(
        {
            "labels": [form.name for form in forms],
            "shape": [str(form.shape) for form in forms],
            "dtype": [form.dtype for form in forms],
            "bytes": [f"{form.nbytes:,}" for form in forms],
        }
    )


def memory_ratio(one_hot: LabelForm, indices: LabelForm) -> float:
    """How many times the one-hot labels' bytes the index labels' bytes are (k·4 / 8 = k/2)."""
    return one_hot.nbytes / indices.nbytes


def memory_sentence(one_hot: LabelForm, indices: LabelForm) -> str:
    """The two forms' bytes per label compared in words, true at every k (k = 2: a tie).

    float32 one-hot rows take 4k bytes, int64 indices 8: equal at k = 2, k/2 times as
    many above. Worded from the real ``nbytes``, so another dtype gives the right words.
    """
    rows = indices.shape[0]
    if rows < 1:
        raise ValueError("need at least one label to compare the two forms.")
    k = one_hot.shape[1]
    one_hot_row, index_row = one_hot.nbytes // rows, indices.nbytes // rows
    ratio = memory_ratio(one_hot, indices)
    if ratio == 1.0:
        return (
            f"At k = {k} the one-hot labels take exactly as many bytes as the "
            f"{indices.dtype} class indices ({index_row} bytes a label each); every further "
            f"class adds {one_hot_row // k} bytes to each one-hot row, so from k = {k + 1} on "
            "one-hot is the larger."
        )
    compared = f"{one_hot_row} against {index_row} bytes a label"
    if ratio > 1.0:
        return (
            f"At k = {k} the one-hot labels take {ratio:.3g}× the bytes of the "
            f"{indices.dtype} class indices ({compared}), and the gap grows with k."
        )
    return (
        f"At k = {k} the one-hot labels take {ratio:.3g}× the bytes of the {indices.dtype} "
        f"class indices ({compared}): fewer, but one-hot rows grow with k and indices do not."
    )


def label_bytes(n: int, ks) -> dict[str, np.ndarray]:
    """Bytes of n labels for each class count in ``ks``: one-hot n·k·4, indices n·8 and n·4.

    Keys: "one-hot float32", "index int64", "index int32"; values shaped like ``ks``.
    """
    ks = np.asarray(ks, dtype=np.int64)
    if n < 1 or np.any(ks < 2):
        raise ValueError(f"need n ≥ 1 and every k ≥ 2; got n={n}, k from {ks.min()}.")
    sizes = {"one-hot float32": n * ks * ONE_HOT_DTYPE.itemsize}
    for dtype in INDEX_DTYPES:
        sizes[f"index {dtype}"] = np.full(ks.shape, n * dtype.itemsize, dtype=np.int64)
    return sizes


def memory_curve(n: int, *, k_max: int = 1000, points: int = 120):
    """Class counts 2 … k_max (every integer up to ~20, then log-spaced) and `label_bytes`."""
    ks = np.unique(np.geomspace(2, k_max, points).round().astype(np.int64))
    return ks, label_bytes(n, ks)


def label_preview(labels, k: int, rows: int = 6) -> pd.DataFrame:
    """The first ``rows`` labels in both forms, as text: "[0, 0, 1, 0]" beside "2"."""
    one_hot, indices = label_arrays(labels, k)
    shown = slice(0, min(rows, indices.shape[0]))
    return pd.DataFrame(
        {
            "one-hot row (CCE)": [
                "[" + ", ".join(str(int(v)) for v in row) + "]" for row in one_hot[shown]
            ],
            "class index (sparse CCE)": indices[shown],
        }
    )


# ---------------------------------------------------------------- the same cost twice


def softmax_logits(params: dict, features) -> np.ndarray:
    """Logits (n, k) of a fitted softmax model: intercepts + [x1, x2] @ weights.

    ``params``: {"intercepts": (k,), "weights": (2, k)} as `fit_multiclass` returns.
    """
    features = np.asarray(features, dtype=np.float64)
    return np.asarray(params["intercepts"]) + features @ np.asarray(params["weights"])


@dataclass(frozen=True)
class CostPair:
    """CCE on one-hot labels and sparse CCE on class indices for the same predictions."""

    cce: float
    sparse_cce: float

    @property
    def difference(self) -> float:
        return abs(self.cce - self.sparse_cce)


def cost_pair(labels, logits, *, from_logits: bool, label_smoothing: float, eps: float):
    """Both costs through the registry; predictions are the logits or softmax(logits).

    With ``from_logits`` off, the losses get the probabilities softmax(logits),
    as a model with a softmax output layer would hand them over.
    """
    logits = np.asarray(logits, dtype=np.float64)
    k = logits.shape[1]
    one_hot, indices = label_arrays(labels, k)
    predictions = logits if from_logits else multiclass.softmax(logits)
    params = {"from_logits": from_logits, "label_smoothing": label_smoothing, "eps": eps}
    return CostPair(
        cce=get("cce").cost(one_hot, predictions, **params),
        sparse_cce=get("sparse_cce").cost(indices, predictions, **params),
    )


def class_summary(labels, logits) -> pd.DataFrame:
    """Per class: points, share of the data, and recall (share of its points predicted right).

    The prediction is the argmax of the logits (n, k). Reference: sklearn.metrics.recall_score
    with average=None.
    """
    logits = np.asarray(logits, dtype=np.float64)
    k = logits.shape[1]
    indices = class_labels(labels, k)
    predicted = logits.argmax(axis=1)
    counts = np.bincount(indices, minlength=k)
    hits = np.bincount(indices[predicted == indices], minlength=k)
    recall = np.where(counts > 0, hits / np.maximum(counts, 1), np.nan)  # no points: undefined
    return pd.DataFrame(
        {
            "class": [f"class {j}" for j in range(k)],
            "points": counts,
            "share": counts / counts.sum(),
            "predicted right": recall,
        }
    )


def _class_list(classes) -> str:
    """ "class 3", "classes 6–9" (a run) or "classes 2, 5 and 7"."""
    classes = [int(c) for c in classes]
    if len(classes) == 1:
        return f"Class {classes[0]}"
    if classes == list(range(classes[0], classes[-1] + 1)):
        return f"Classes {classes[0]}–{classes[-1]}"
    return "Classes " + ", ".join(map(str, classes[:-1])) + f" and {classes[-1]}"


def few_points_notes(counts, *, limit: int = 10) -> list[str]:
    """Sentences for classes too small for their "predicted right" share to say much.

    ``counts``: (k,) points per class. Classes with 0 points (undefined), 1 point (0% or
    100% only) and 2..limit−1 points (one point moves it by 100/count points), grouped.
    """
    counts = np.asarray(counts, dtype=np.int64)
    notes = []
    for count in np.unique(counts[counts < limit]):
        these = np.flatnonzero(counts == count)
        one = these.size == 1
        names, has, its = (
            _class_list(these),
            ("has" if one else "have"),
            ("its" if one else "their"),
        )
        each = "" if one else " each"
        if count == 0:
            notes.append(f"{names} {has} no points: {its} 'predicted right' is undefined.")
        elif count == 1:
            notes.append(
                f"{names} {has} only 1 point{each}: {its} 'predicted right' can only be 0% or 100%."
            )
        else:
            notes.append(
                f"{names} {has} only {count} points{each}: one point moves {its} "
                f"'predicted right' by {100 / count:.0f} percentage points."
            )
    return notes


# ---------------------------------------------------------------- one sample's logits


@dataclass(frozen=True)
class SampleView:
    """One sample with logits z (k,) and a chosen true class.

    ``probability``: softmax(z). ``target``: the (smoothed) label row y the loss uses.
    ``loss_if_true``: (k,) the loss if class c were the true one, with the chosen
    ``from_logits`` route. ``gradient``: ∂ℓ/∂z (k,) of that same route's loss for the
    chosen class. ``logit_route_gradient``: p − y, the logit route's ∂ℓ/∂z, for comparison
    (equal to ``gradient`` until the probability route clips a probability).
    ``loss_from_logits`` / ``loss_from_probabilities``: the chosen class's loss by each route.
    """

    probability: np.ndarray
    target: np.ndarray
    loss_if_true: np.ndarray
    gradient: np.ndarray
    logit_route_gradient: np.ndarray
    loss_from_logits: float
    loss_from_probabilities: float
    probability_clipped: bool


def logit_gradient(y_true, logits, *, from_logits: bool, label_smoothing: float,
                   eps: float) -> np.ndarray:  # fmt: skip
    """∂ℓ/∂z (n, k) of the CCE the page computes, for labels y_true (n, k) and logits z (n, k).

    Logit route: the registry's gradient with from_logits=True (p·Σy − y). Probability
    route, ℓ(softmax(z)): the chain rule through the softmax Jacobian
    J = diag(p) − p pᵀ (symmetric), ∂ℓ/∂z = Jᵀ g = p ⊙ (g − p·g), with g = ∂ℓ/∂p the
    registry's gradient (clip mask and row renormalisation included): a clipped
    probability passes no gradient back.
    """
    z = np.asarray(logits, dtype=np.float64)
    cce = get("cce")
    settings = {"label_smoothing": label_smoothing, "eps": eps}
    if from_logits:
        return cce.grad(y_true, z, from_logits=True, **settings)
    probability = multiclass.softmax(z)
    d_probability = cce.grad(y_true, probability, from_logits=False, **settings)
    through_sum = (probability * d_probability).sum(axis=1, keepdims=True)
    return probability * (d_probability - through_sum)


def sample_view(logits, true_class: int, *, from_logits: bool, label_smoothing: float,
                eps: float) -> SampleView:  # fmt: skip
    """Softmax, per-class losses and the logit gradient of one sample (through the registry)."""
    z = np.asarray(logits, dtype=np.float64).reshape(1, -1)
    k = z.shape[1]
    if k < 2:
        raise ValueError(f"need at least 2 logits, one per class; got {k}.")
    if not 0 <= int(true_class) < k:
        raise ValueError(f"the true class must be 0..{k - 1}; got {true_class}.")
    cce = get("cce")
    probability = multiclass.softmax(z)
    every_class = np.eye(k)  # row c: the one-hot label "the true class is c"
    by_logits = cce.value(every_class, np.repeat(z, k, axis=0), from_logits=True,
                          label_smoothing=label_smoothing, eps=eps)  # fmt: skip
    by_probabilities = cce.value(every_class, np.repeat(probability, k, axis=0),
                                 from_logits=False, label_smoothing=label_smoothing,
                                 eps=eps)  # fmt: skip
    chosen = every_class[[int(true_class)]]
    settings = {"label_smoothing": label_smoothing, "eps": eps}
    # The probability route normalises the row, then clips to [ε, 1 − ε].
    normalised = probability / probability.sum()
    return SampleView(
        probability=probability[0],
        target=multiclass.smooth_class_labels(chosen, label_smoothing)[0],
        loss_if_true=by_logits if from_logits else by_probabilities,
        gradient=logit_gradient(chosen, z, from_logits=from_logits, **settings)[0],
        logit_route_gradient=logit_gradient(chosen, z, from_logits=True, **settings)[0],
        loss_from_logits=float(by_logits[int(true_class)]),
        loss_from_probabilities=float(by_probabilities[int(true_class)]),
        probability_clipped=bool(np.any((normalised < eps) | (normalised > 1.0 - eps))),
    )


def clip_cap(eps: float) -> float:
    """−log ε: the largest loss the probability route can give (p clipped to ≥ ε)."""
    return float(-np.log(eps))


# ---------------------------------------------------------------- decision regions


def grid_axes(features, *, size: int = 150, margin: float = 0.1):
    """Two (size,) axes spanning the data's x1 and x2 ranges plus ``margin`` of each span."""
    features = np.asarray(features, dtype=np.float64)
    axes = []
    for column in features.T:
        low, high = float(column.min()), float(column.max())
        pad = margin * (high - low) if high > low else 1.0
        axes.append(np.linspace(low - pad, high + pad, size))
    return axes[0], axes[1]


def decision_regions(params: dict, x1_axis, x2_axis) -> np.ndarray:
    """Predicted class (argmax of the logits) on the grid: (len(x2_axis), len(x1_axis)) int.

    Row i, column j is the point (x1_axis[j], x2_axis[i]), as a heatmap draws z.
    """
    x1_grid, x2_grid = np.meshgrid(np.asarray(x1_axis, float), np.asarray(x2_axis, float))
    points = np.column_stack([x1_grid.ravel(), x2_grid.ravel()])
    return softmax_logits(params, points).argmax(axis=1).reshape(x1_grid.shape)
