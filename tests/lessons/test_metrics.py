"""Threshold metrics and decision lines (lessons.metrics) against scikit-learn 1.9 and hand
derivations. No expected number here was taken from the output of lessons.metrics."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

from lessons import metrics
from losses import data

label_pairs = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
    )
)


def _none_for_nan(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _close(ours: float | None, reference: float | None) -> bool:
    if ours is None or reference is None:
        return ours is None and reference is None
    return math.isclose(ours, reference, rel_tol=1e-12, abs_tol=1e-15)


# ---------------------------------------------------------------- confusion counts and metrics


@settings(max_examples=300, deadline=None)
@given(label_pairs)
def test_counts_and_metrics_match_sklearn_including_undefined_cases(pair):
    y_true, y_pred = (np.array(values) for values in pair)
    result = metrics.BinaryMetrics.from_labels(y_true, y_pred)
    # sklearn.metrics.confusion_matrix with labels=[0, 1]: [[TN, FP], [FN, TP]].
    np.testing.assert_array_equal(result.matrix, confusion_matrix(y_true, y_pred, labels=[0, 1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns on the undefined cases; NaN marks them
        # zero_division=np.nan: sklearn's NaN is our None ("undefined").
        precision = precision_score(y_true, y_pred, zero_division=np.nan)
        recall = recall_score(y_true, y_pred, zero_division=np.nan)
        f1 = f1_score(y_true, y_pred, zero_division=np.nan)
        per_class = recall_score(y_true, y_pred, labels=[0, 1], average=None, zero_division=np.nan)
    assert _close(result.precision, _none_for_nan(precision))
    assert _close(result.recall, _none_for_nan(recall))
    assert _close(result.f1, _none_for_nan(f1))
    if np.isnan(per_class).any():
        # A class without points: its recall is undefined, so is their mean.
        assert result.balanced_accuracy is None
    else:
        assert _close(result.balanced_accuracy, balanced_accuracy_score(y_true, y_pred))


def test_no_positive_prediction_is_undefined_precision_not_zero():
    y_true = np.array([0, 0, 0, 1, 1])
    y_pred = np.zeros(5, dtype=int)
    # sklearn calls this case ill-defined and would silently report 0.0 with a warning.
    with pytest.warns(UndefinedMetricWarning):
        assert precision_score(y_true, y_pred) == 0.0
    result = metrics.BinaryMetrics.from_labels(y_true, y_pred)
    assert result.precision is None
    assert result.recall == 0.0  # hand-derived: TP = 0 of TP + FN = 2
    assert result.f1 == 0.0  # hand-derived: 2·0 / (2·0 + 0 + 2)
    assert result.balanced_accuracy == 0.5  # hand-derived: (0/2 + 3/3) / 2
    table = metrics.metrics_table({"always negative": result})
    assert table.loc["always negative", "precision"] == "undefined (no positive predictions)"
    assert table.loc["always negative", "recall"] == "0.000"
    assert table.loc["always negative", "positives found"] == "0 of 2"


def test_no_positive_points_gives_undefined_recall_f1_and_balanced_accuracy():
    y_true = np.zeros(4, dtype=int)
    result = metrics.BinaryMetrics.from_labels(y_true, np.zeros(4, dtype=int))
    assert (result.precision, result.recall, result.f1, result.balanced_accuracy) == (
        None,
        None,
        None,
        None,
    )
    row = metrics.metrics_table({"x": result}).loc["x"]
    assert row["recall"] == "undefined (no positive points)"
    assert row["F1"].startswith("undefined")
    assert row["balanced accuracy"] == "undefined (a class has no points)"


def test_hand_counted_example_and_row_shares():
    # Hand count: TN = 2 (0,0 pairs), FP = 1, FN = 1, TP = 3.
    y_true = [0, 0, 0, 1, 1, 1, 1]
    y_pred = [0, 0, 1, 0, 1, 1, 1]
    result = metrics.BinaryMetrics.from_labels(y_true, y_pred)
    assert (result.tn, result.fp, result.fn, result.tp) == (2, 1, 1, 3)
    assert result.precision == pytest.approx(3 / 4)  # hand-derived: 3 / (3 + 1)
    assert result.recall == pytest.approx(3 / 4)  # hand-derived: 3 / (3 + 1)
    assert result.f1 == pytest.approx(6 / 8)  # hand-derived: 2·3 / (2·3 + 1 + 1)
    assert result.balanced_accuracy == pytest.approx((3 / 4 + 2 / 3) / 2)  # hand-derived
    # Hand-derived: each count over its true class's total (3 negatives, 4 positives).
    np.testing.assert_allclose(result.row_shares, [[2 / 3, 1 / 3], [1 / 4, 3 / 4]])
    empty_row = metrics.BinaryMetrics(tn=3, fp=1, fn=0, tp=0).row_shares
    assert np.isnan(empty_row[1]).all()


def test_labels_must_be_zero_or_one_and_match_in_shape():
    with pytest.raises(ValueError, match="must be 0 or 1; got 2"):
        metrics.confusion_counts([0, 2], [0, 1])
    with pytest.raises(ValueError, match="must match"):
        metrics.confusion_counts([0, 1, 1], [0, 1])


# ---------------------------------------------------------------- scores and predictions


def test_linear_score_and_threshold_hand_derived():
    params = {"intercept": -1.0, "w1": 2.0, "w2": 0.5}
    score = metrics.linear_score(params, [0.0, 1.0, 0.5], [2.0, 0.0, 0.0])
    np.testing.assert_allclose(score, [0.0, 1.0, 0.0])  # hand-derived: −1 + 2·x1 + 0.5·x2
    # s = 0 means p = 0.5 exactly, predicted negative (sklearn predicts 1 only for s > 0).
    np.testing.assert_array_equal(metrics.predicted_labels(score), [0, 1, 0])


def test_predictions_equal_sklearn_logistic_regression_predict():
    frame = data.make_binary(400, positive_fraction=0.2, separation=1.5, seed=3)
    features = frame[["x1", "x2"]].to_numpy()
    model = LogisticRegression().fit(features, frame["label"])
    params = {"intercept": model.intercept_[0], "w1": model.coef_[0, 0], "w2": model.coef_[0, 1]}
    score = metrics.linear_score(params, frame["x1"], frame["x2"])
    np.testing.assert_allclose(score, model.decision_function(features), rtol=1e-12)
    np.testing.assert_array_equal(metrics.predicted_labels(score), model.predict(features))
    result = metrics.classifier_metrics(params, frame["x1"], frame["x2"], frame["label"])
    reference = confusion_matrix(frame["label"], model.predict(features), labels=[0, 1])
    np.testing.assert_array_equal(result.matrix, reference)


# ---------------------------------------------------------------- weights and the table


def test_balancing_weight_and_its_refusal():
    assert metrics.balancing_weight(50, 450) == 9.0  # hand-derived: 450 / 50
    with pytest.raises(ValueError, match="at least one point of each class"):
        metrics.balancing_weight(0, 10)


def test_metrics_table_shows_more_digits_near_the_ends():
    # ?bin_data_positive=0.5%&bin_data_n=5000&bin_data_separation=6, weighted BCE: all 25
    # positives found, 1 false alarm among 4975 negatives.
    row = metrics.metrics_table(
        {"Weighted BCE": metrics.BinaryMetrics(tn=4974, fp=1, fn=0, tp=25)}
    ).loc["Weighted BCE"]
    assert row["balanced accuracy"] == "0.9999"  # hand-derived: (1 + 4974/4975)/2 = 0.99990
    assert row["recall"] == "1.000"  # exactly 25/25
    assert row["precision"] == "0.962"  # hand-derived: 25/26


# ---------------------------------------------------------------- decision line


BOX = ((-1.0, 1.0), (-1.0, 1.0))


def test_diagonal_line_through_corners_hand_derived():
    line = metrics.decision_boundary({"intercept": 0.0, "w1": 1.0, "w2": 1.0}, BOX)
    # x1 + x2 = 0 leaves the square at the corners (−1, 1) and (1, −1).
    ends = sorted(zip(line.x, line.y, strict=True))
    assert ends == [(-1.0, 1.0), (1.0, -1.0)]
    assert line.note == ""


def test_vertical_line_when_w2_is_zero():
    line = metrics.decision_boundary({"intercept": -0.5, "w1": 1.0, "w2": 0.0}, BOX)
    # −0.5 + x1 = 0: the vertical line x1 = 0.5 from bottom to top.
    assert line.x == (0.5, 0.5)
    assert sorted(line.y) == [-1.0, 1.0]


def test_constant_score_and_line_outside_the_box_give_notes():
    flat = metrics.decision_boundary({"intercept": -2.0, "w1": 0.0, "w2": 0.0}, BOX)
    assert flat.x is None and "w1 = w2 = 0" in flat.note and "predicted negative" in flat.note
    positive = metrics.decision_boundary({"intercept": 2.0, "w1": 0.0, "w2": 0.0}, BOX)
    assert "predicted positive" in positive.note
    # A hinge fit at 1% positives ends near (−1, 1e-10, 1e-10): the line is ~1e10 away.
    far = metrics.decision_boundary({"intercept": -1.0, "w1": 1e-10, "w2": 1e-10}, BOX)
    assert far.x is None and "outside the plotted area" in far.note
    assert "predicted negative" in far.note


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-5, 5),
    st.floats(-5, 5),
    st.floats(-5, 5),
)
def test_drawn_segment_lies_on_the_line_inside_the_box(intercept, w1, w2):
    line = metrics.decision_boundary({"intercept": intercept, "w1": w1, "w2": w2}, BOX)
    if line.x is None:
        # No segment: the score keeps one sign at the corners (hand-derived criterion).
        corners = [intercept + w1 * x + w2 * y for x in (-1, 1) for y in (-1, 1)]
        scale = abs(intercept) + abs(w1) + abs(w2)
        assert min(corners) >= -1e-9 * scale or max(corners) <= 1e-9 * scale
        return
    scale = max(abs(intercept), abs(w1), abs(w2))
    for x, y in zip(line.x, line.y, strict=True):
        assert -1 - 1e-12 <= x <= 1 + 1e-12 and -1 - 1e-12 <= y <= 1 + 1e-12
        assert abs(intercept + w1 * x + w2 * y) <= 1e-9 * scale


def test_plot_box_hand_derived():
    # x spans 0..10 → ±0.5 margin; y is constant → ±1.
    assert metrics.plot_box([0.0, 10.0], [3.0, 3.0]) == ((-0.5, 10.5), (2.0, 4.0))
