"""What the multi-class page computes from a fitted model: the identical CCE and
sparse-CCE costs, each class's points and share predicted right, decision regions.

Every loss number goes through the registry (`losses.get("cce")`,
`losses.get("sparse_cce")`), so the page shows the core's numbers, not a copy of the
formulas. Label forms and their memory live in `lessons.label_memory`, one sample's
logits in `lessons.one_sample`. NumPy and pandas only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lessons.display_numbers import coarse_share
from lessons.label_memory import class_labels, label_arrays
from lessons.metrics import plot_box
from losses import multiclass
from losses.registry import get

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


def few_points_notes(counts) -> list[str]:
    """Sentences for classes too small for their "predicted right" share to say much.

    ``counts``: (k,) points per class; classes with the same count are grouped.
    """
    counts = np.asarray(counts, dtype=np.int64)
    notes = []
    for count in np.unique(counts):
        these = np.flatnonzero(counts == count)
        one = these.size == 1
        coarse = coarse_share(int(count), f"{'its' if one else 'their'} 'predicted right'")
        if coarse is None:
            continue
        has = "has" if one else "have"
        what = (
            "no points"
            if count == 0
            else (f"only {count} point{'s' if count > 1 else ''}{'' if one else ' each'}")
        )
        notes.append(f"{_class_list(these)} {has} {what}: {coarse}.")
    return notes


# ---------------------------------------------------------------- decision regions


def grid_axes(features, *, size: int = 150, margin: float = 0.1):
    """Two (size,) axes spanning the data's x1 and x2 ranges plus ``margin`` of each span."""
    features = np.asarray(features, dtype=np.float64)
    x1_range, x2_range = plot_box(features[:, 0], features[:, 1], margin)
    return np.linspace(*x1_range, size), np.linspace(*x2_range, size)


def decision_regions(params: dict, x1_axis, x2_axis) -> np.ndarray:
    """Predicted class (argmax of the logits) on the grid: (len(x2_axis), len(x1_axis)) int.

    Row i, column j is the point (x1_axis[j], x2_axis[i]), as a heatmap draws z.
    """
    x1_grid, x2_grid = np.meshgrid(np.asarray(x1_axis, float), np.asarray(x2_axis, float))
    points = np.column_stack([x1_grid.ravel(), x2_grid.ravel()])
    return softmax_logits(params, points).argmax(axis=1).reshape(x1_grid.shape)
