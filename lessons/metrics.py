"""Threshold metrics of a fitted binary classifier, and its decision boundary in the plane.

The positive class (label 1) is the rare one, so precision, recall and F1 are those
of label 1. A metric whose denominator is zero is *undefined*, returned as None with
a reason a student can read ("undefined (no positive predictions)"), never a silent 0:
scikit-learn's ``zero_division=np.nan`` marks the same cases as NaN.

A linear classifier scores a point as s = intercept + w1·x1 + w2·x2 and predicts
positive when s > 0, i.e. when p = σ(s) > 0.5 (scikit-learn's ``decision_function``
convention: a score of exactly 0 is predicted negative).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lessons.display_numbers import ratio_text
from losses import checks

UNDEFINED_PRECISION = "undefined (no positive predictions)"
UNDEFINED_RECALL = "undefined (no positive points)"
UNDEFINED_F1 = "undefined (no positive points and no positive predictions)"
UNDEFINED_BALANCED = "undefined (a class has no points)"
# A weight this small next to the largest coefficient tilts the boundary by < 1e-12 rad.
NEGLIGIBLE_WEIGHT = 1e-12


def linear_score(params: Mapping[str, float], x1, x2) -> np.ndarray:
    """s = intercept + w1·x1 + w2·x2 for each point; x1, x2 shape (n,), result (n,)."""
    x1 = checks.as_float_array(x1, "x1")
    x2 = checks.as_float_array(x2, "x2")
    checks.require_same_shape(x1, x2)
    return params["intercept"] + params["w1"] * x1 + params["w2"] * x2


def predicted_labels(score) -> np.ndarray:
    """1 where s > 0 (p > 0.5), else 0; shape (n,), int64."""
    score = checks.as_float_array(score, "score")
    return (score > 0).astype(np.int64)


def _hard_labels(values, name: str) -> np.ndarray:
    array = checks.as_float_array(values, name)
    checks.require_ndim(array, 1, name, "(n,)")
    not_binary = (array != 0) & (array != 1)
    if np.any(not_binary):
        raise ValueError(f"{name} must be 0 or 1; got {float(array[not_binary][0]):g}.")
    return array.astype(np.int64)


def confusion_counts(y_true, y_pred) -> np.ndarray:
    """2×2 counts [[TN, FP], [FN, TP]]: row = true label, column = predicted label.

    The layout of sklearn.metrics.confusion_matrix(y_true, y_pred, labels=[0, 1]).
    """
    y_true = _hard_labels(y_true, "y_true")
    y_pred = _hard_labels(y_pred, "y_pred")
    checks.require_same_shape(y_true, y_pred)
    return np.bincount(2 * y_true + y_pred, minlength=4).reshape(2, 2)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator > 0 else None


@dataclass(frozen=True)
class BinaryMetrics:
    """Confusion counts and the threshold metrics of the positive class (None = undefined).

    precision = TP / (TP + FP), recall = TP / (TP + FN),
    F1 = 2·TP / (2·TP + FP + FN) (the harmonic mean of precision and recall),
    balanced accuracy = (TP / (TP + FN) + TN / (TN + FP)) / 2.
    """

    tn: int
    fp: int
    fn: int
    tp: int

    @classmethod
    def from_labels(cls, y_true, y_pred) -> BinaryMetrics:
        (tn, fp), (fn, tp) = confusion_counts(y_true, y_pred)
        return cls(int(tn), int(fp), int(fn), int(tp))

    @property
    def matrix(self) -> np.ndarray:
        """[[TN, FP], [FN, TP]], as sklearn.metrics.confusion_matrix."""
        return np.array([[self.tn, self.fp], [self.fn, self.tp]])

    @property
    def row_shares(self) -> np.ndarray:
        """Each count as a share of its true class (row); a class with no points gives NaN."""
        matrix = self.matrix.astype(np.float64)
        totals = matrix.sum(axis=1, keepdims=True)
        safe = np.where(totals > 0, totals, 1.0)
        return np.where(totals > 0, matrix / safe, np.nan)

    @property
    def n_positive(self) -> int:
        return self.tp + self.fn

    @property
    def n_negative(self) -> int:
        return self.tn + self.fp

    @property
    def n_predicted_positive(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def specificity(self) -> float | None:
        return _ratio(self.tn, self.tn + self.fp)

    @property
    def f1(self) -> float | None:
        # 2TP/(2TP + FP + FN): equals 2PR/(P + R) where both are defined, and stays
        # defined (= 0) when there are positives but none is predicted.
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def balanced_accuracy(self) -> float | None:
        recall, specificity = self.recall, self.specificity
        if recall is None or specificity is None:
            return None
        return (recall + specificity) / 2


def classifier_metrics(params: Mapping[str, float], x1, x2, labels) -> BinaryMetrics:
    """Metrics of the linear classifier ``params`` at p = 0.5 (s = 0) on every point."""
    return BinaryMetrics.from_labels(labels, predicted_labels(linear_score(params, x1, x2)))


def _shown(value: float | None, undefined: str) -> str:
    return undefined if value is None else ratio_text(value)


def metrics_table(named: Mapping[str, BinaryMetrics]) -> pd.DataFrame:
    """One row per classifier: counts and metrics as text, undefined ones spelled out."""
    rows = []
    for name, metrics in named.items():
        rows.append(
            {
                "loss": name,
                "predicted positive": metrics.n_predicted_positive,
                "positives found": f"{metrics.tp} of {metrics.n_positive}",
                "precision": _shown(metrics.precision, UNDEFINED_PRECISION),
                "recall": _shown(metrics.recall, UNDEFINED_RECALL),
                "F1": _shown(metrics.f1, UNDEFINED_F1),
                "balanced accuracy": _shown(metrics.balanced_accuracy, UNDEFINED_BALANCED),
            }
        )
    return pd.DataFrame(rows).set_index("loss")


def balancing_weight(n_positive: int, n_negative: int) -> float:
    """w = n_neg / n_pos: positives then carry as much total weight as negatives."""
    if n_positive < 1 or n_negative < 1:
        raise ValueError(
            f"need at least one point of each class to balance them; got {n_positive} "
            f"positive and {n_negative} negative."
        )
    return n_negative / n_positive


@dataclass(frozen=True)
class Boundary:
    """The decision line s = 0 inside a box: its two end points, or None with the reason."""

    x: tuple[float, float] | None
    y: tuple[float, float] | None
    note: str = ""


def plot_box(x1, x2, margin: float = 0.05) -> tuple[tuple[float, float], tuple[float, float]]:
    """((x_min, x_max), (y_min, y_max)) around all points, widened by ``margin`` of each span
    (1 where a span is 0). The binary boundary plot and the multi-class grid both use it."""
    box = []
    for values in (checks.as_float_array(x1, "x1"), checks.as_float_array(x2, "x2")):
        low, high = float(values.min()), float(values.max())
        pad = margin * (high - low) if high > low else 1.0
        box.append((low - pad, high + pad))
    return box[0], box[1]


def decision_boundary(params: Mapping[str, float], box) -> Boundary:
    """The segment of intercept + w1·x1 + w2·x2 = 0 inside ``box`` ((x range), (y range)).

    Vertical lines (w2 = 0) are handled; when the line misses the box, or w1 = w2 = 0,
    x and y are None and ``note`` says which class every point in the box is given.
    """
    (x_low, x_high), (y_low, y_high) = box
    coefficients = np.array([params["intercept"], params["w1"], params["w2"]], dtype=np.float64)
    largest = float(np.abs(coefficients).max())
    # Scale so the largest coefficient is ±1: the edge crossings below stay finite.
    b, w1, w2 = coefficients / largest if largest > 0 else coefficients
    centre_score = b + w1 * (x_low + x_high) / 2 + w2 * (y_low + y_high) / 2
    everywhere = "positive" if centre_score > 0 else "negative"
    if abs(w1) < NEGLIGIBLE_WEIGHT and abs(w2) < NEGLIGIBLE_WEIGHT:
        note = (
            "The fitted weights are w1 = w2 = 0 (to 12 digits): the score is the same "
            f"everywhere, so every point is predicted {everywhere}."
        )
        return Boundary(None, None, note)
    crossings = []
    if abs(w2) >= NEGLIGIBLE_WEIGHT:  # the line crosses the left and right edges
        crossings += [(x, -(b + w1 * x) / w2) for x in (x_low, x_high)]
    if abs(w1) >= NEGLIGIBLE_WEIGHT:  # … and the bottom and top edges
        crossings += [(-(b + w2 * y) / w1, y) for y in (y_low, y_high)]
    inside = [(x, y) for x, y in crossings if x_low <= x <= x_high and y_low <= y <= y_high]
    if len(inside) < 2:
        note = (
            "The decision line lies outside the plotted area: every point shown is "
            f"predicted {everywhere}."
        )
        return Boundary(None, None, note)
    # Corners can appear twice; the two farthest-apart crossings span the segment.
    start, end = max(
        ((p, q) for p in inside for q in inside),
        key=lambda pair: math.dist(pair[0], pair[1]),
    )
    return Boundary((float(start[0]), float(end[0])), (float(start[1]), float(end[1])))
