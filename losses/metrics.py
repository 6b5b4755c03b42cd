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

from losses import _validate

UNDEFINED_PRECISION = "undefined (no positive predictions)"
UNDEFINED_RECALL = "undefined (no positive points)"
UNDEFINED_F1 = "undefined (no positive points and no positive predictions)"
UNDEFINED_BALANCED = "undefined (a class has no points)"
# Fewer points than this in a class and each one moves its metrics visibly.
FEW_POINTS = 10
# A weight this small next to the largest coefficient tilts the boundary by < 1e-12 rad.
NEGLIGIBLE_WEIGHT = 1e-12


def linear_score(params: Mapping[str, float], x1, x2) -> np.ndarray:
    """s = intercept + w1·x1 + w2·x2 for each point; x1, x2 shape (n,), result (n,)."""
    x1 = _validate.as_float_array(x1, "x1")
    x2 = _validate.as_float_array(x2, "x2")
    _validate.require_same_shape(x1, x2)
    return params["intercept"] + params["w1"] * x1 + params["w2"] * x2


def predicted_labels(score) -> np.ndarray:
    """1 where s > 0 (p > 0.5), else 0; shape (n,), int64."""
    score = _validate.as_float_array(score, "score")
    return (score > 0).astype(np.int64)


def _hard_labels(values, name: str) -> np.ndarray:
    array = _validate.as_float_array(values, name)
    _validate.require_ndim(array, 1, name, "(n,)")
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
    _validate.require_same_shape(y_true, y_pred)
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


def ratio_text(value: float, digits: int = 3) -> str:
    """A ratio in [0, 1] with ``digits`` decimals, more where those would round it to 0 or 1.

    A share that is not exactly 0 or 1 never reads "0.000" or "1.000": 4974.5/4975 shows
    as 0.9999. Past 9 decimals it reads "< 0.000000001" or "> 0.999999999".
    """
    if value in (0.0, 1.0):
        return f"{value:.{digits}f}"
    for places in range(digits, 10):
        text = f"{value:.{places}f}"
        if float(text) not in (0.0, 1.0):
            return text
    return "< 0.000000001" if value < 0.5 else "> 0.999999999"


def percent_text(share: float) -> str:
    """A share as a whole percentage, never rounding a nonzero share to 0% or a share
    below 1 to 100% ("<1%", ">99%")."""
    if 0 < share < 0.01:
        return "<1%"
    if 0.99 < share < 1:
        return ">99%"
    return f"{100 * share:.0f}%"


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


def few_points_notes(n_positive: int, n_negative: int, limit: int = FEW_POINTS) -> list[str]:
    """A sentence for each class with fewer than ``limit`` points: how coarse its metrics are."""
    notes = []
    for count, name, metric in ((n_positive, "positive", "recall"),
                                (n_negative, "negative", "specificity")):  # fmt: skip
        if count == 0:
            notes.append(f"There are no {name} points: {metric} is undefined.")
        elif count == 1:
            notes.append(f"Only 1 {name} point: {metric} can only be 0% or 100%.")
        elif count < limit:
            notes.append(
                f"Only {count} {name} points: one point moves {metric} by "
                f"{100 / count:.0f} percentage points."
            )
    return notes


def chance_of_finding(n_points: int, n_positive: int, n_flagged: int, found: int) -> float:
    """P(at least ``found`` positives among ``n_flagged`` points picked at random from
    ``n_points``, ``n_positive`` of them positive): the hypergeometric upper tail.

    How often a guess that flags as many points would do as well; small means the
    classifier has found something real. scipy.stats.hypergeom.sf(found − 1, n_points,
    n_positive, n_flagged) gives the same number.
    """
    top = min(n_flagged, n_positive)
    lowest = max(found, n_flagged - (n_points - n_positive), 0)
    if lowest > top:
        return 0.0
    log_total = _log_comb(n_points, n_flagged)
    log_terms = [
        _log_comb(n_positive, hits) + _log_comb(n_points - n_positive, n_flagged - hits)
        - log_total
        for hits in range(lowest, top + 1)
    ]  # fmt: skip
    # log-sum-exp with the largest term taken out: no term overflows or underflows alone.
    largest = max(log_terms)
    return min(1.0, math.exp(largest) * math.fsum(math.exp(t - largest) for t in log_terms))


def _log_comb(n: int, k: int) -> float:
    """log C(n, k) through log Γ: C(n, k) itself has thousands of digits at n = 5000."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


# A gain must beat chance at this level, i.e. a random pick of as many points would do as
# well less than 1 time in 100 …
CHANCE_LEVEL = 0.01
# … and raise balanced accuracy this much above the baseline's (and above 0.5).
CLEAR_GAIN = 0.05


@dataclass(frozen=True)
class Lesson:
    """The imbalance lesson in numbers: ``success`` when a loss found the rare class for real."""

    success: bool
    text: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def recall_lesson(named: Mapping[str, BinaryMetrics], baseline: str) -> Lesson | None:
    """The imbalance lesson, when the data show one: the baseline finds few positives
    (recall ≤ 50%) and another classifier finds at least 20 percentage points more.

    It is a success only when that classifier also beats chance (``chance_of_finding`` <
    CHANCE_LEVEL) and its balanced accuracy clears both the baseline's and 0.5 by
    CLEAR_GAIN; either way the text gives the price, false alarms and precision. Otherwise
    it says that the extra finds are bought with false alarms, not found.
    """
    base = named[baseline]
    if base.recall is None or base.recall > 0.5 or base.balanced_accuracy is None:
        return None
    finders = {
        name: metrics
        for name, metrics in named.items()
        if name != baseline and metrics.recall is not None and metrics.recall >= base.recall + 0.2
    }
    if not finders:
        return None
    n_points = base.n_positive + base.n_negative
    prevalence = base.n_positive / n_points
    bar = max(base.balanced_accuracy, 0.5) + CLEAR_GAIN
    real, bought = [], []
    for name, metrics in finders.items():
        chance = chance_of_finding(
            n_points, metrics.n_positive, metrics.n_predicted_positive, metrics.tp
        )
        # Flagging at random, a flagged point is positive with the prevalence's chance.
        price = (
            f"{_plural(metrics.fp, 'false alarm')} (precision {ratio_text(metrics.precision)}, "
            f"against {ratio_text(prevalence)} for flagging at random)"
        )
        balanced = ratio_text(metrics.balanced_accuracy)
        if chance < CHANCE_LEVEL and metrics.balanced_accuracy >= bar:
            real.append(
                f"{name} finds {metrics.tp} ({percent_text(metrics.recall)}) at the price of "
                f"{price}; balanced accuracy {balanced} against {baseline}'s "
                f"{ratio_text(base.balanced_accuracy)}."
            )
            continue
        flagged = _plural(metrics.n_predicted_positive, "point")
        if chance >= CHANCE_LEVEL:
            why = (
                f"its balanced accuracy {balanced} may be luck: flagging {flagged} at "
                f"random finds at least {_plural(metrics.tp, 'positive')} "
                f"{percent_text(chance)} of the time"
            )
        else:
            why = (
                f"its balanced accuracy {balanced} is hardly above {baseline}'s "
                f"{ratio_text(base.balanced_accuracy)}"
            )
        bought.append(
            f"{name} flags {flagged} and finds {metrics.tp} ({percent_text(metrics.recall)}), "
            f"but with {price}; {why}."
        )
    missed = (
        f"{baseline} finds only {base.tp} of {_plural(base.n_positive, 'positive')} "
        f"(recall {percent_text(base.recall)})"
    )
    if real:
        text = (
            f"{missed}: predicting 'negative' is cheap when negatives dominate the mean loss. "
            + " ".join(real + bought)
        )
        return Lesson(True, text)
    text = (
        f"{missed}. "
        + " ".join(bought)
        + " On these data no straight line separates the classes: a loss that favours the "
        "rare class only trades misses for false alarms."
    )
    return Lesson(False, text)


@dataclass(frozen=True)
class Boundary:
    """The decision line s = 0 inside a box: its two end points, or None with the reason."""

    x: tuple[float, float] | None
    y: tuple[float, float] | None
    note: str = ""


def plot_box(x1, x2, margin: float = 0.05) -> tuple[tuple[float, float], tuple[float, float]]:
    """((x_min, x_max), (y_min, y_max)) around all points, widened by ``margin`` of each span."""
    box = []
    for values in (_validate.as_float_array(x1, "x1"), _validate.as_float_array(x2, "x2")):
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
