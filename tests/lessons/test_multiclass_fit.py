"""The multi-class page's core for a fitted model: the CCE/sparse-CCE cost pair, the class
summary and decision regions, against named references (PyTorch only where installed)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import scipy.special
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, recall_score

from lessons import multiclass_fit as views
from losses import data


def _fitted_sklearn(k=4, seed=3):
    frame = data.make_multiclass(400, k=k, separation=2.0, seed=seed)
    features = frame[["x1", "x2"]].to_numpy()
    model = LogisticRegression(C=10.0, max_iter=2000).fit(features, frame["label"])
    params = {"intercepts": model.intercept_, "weights": model.coef_.T}
    return frame, features, model, params


# ---------------------------------------------------------------- the same cost twice


@pytest.mark.parametrize("from_logits", [True, False])
def test_cost_pair_equals_sklearn_log_loss(from_logits):
    frame, features, model, params = _fitted_sklearn()
    logits = views.softmax_logits(params, features)
    costs = views.cost_pair(
        frame["label"], logits, from_logits=from_logits, label_smoothing=0.0, eps=1e-7
    )
    # reference: sklearn.metrics.log_loss on the model's predict_proba (the same model).
    expected = log_loss(frame["label"], model.predict_proba(features), labels=range(4))
    assert costs.cce == pytest.approx(expected, rel=1e-9)
    assert costs.sparse_cce == pytest.approx(expected, rel=1e-9)
    assert costs.difference == 0.0  # identity: sparse CCE is CCE on one-hot rows


@pytest.mark.parametrize("label_smoothing", [0.1, 0.5])
def test_cost_pair_with_label_smoothing_is_the_mean_smoothed_cross_entropy(label_smoothing):
    frame, features, _, params = _fitted_sklearn(k=5, seed=8)
    logits = views.softmax_logits(params, features)
    costs = views.cost_pair(
        frame["label"], logits, from_logits=True, label_smoothing=label_smoothing, eps=1e-7
    )
    # hand-derived: mean over rows of −Σ_j y_j log_softmax(z)_j with y = onehot·(1 − ls) + ls/5,
    # log_softmax from scipy.special (the formula torch's cross_entropy documents).
    target = np.eye(5)[frame["label"].to_numpy()] * (1 - label_smoothing) + label_smoothing / 5
    expected = np.mean(-(target * scipy.special.log_softmax(logits, axis=1)).sum(axis=1))
    assert costs.cce == pytest.approx(expected, rel=1e-12)
    assert costs.sparse_cce == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("label_smoothing", [0.1, 0.5])
def test_cost_pair_with_label_smoothing_equals_torch_cross_entropy(label_smoothing, torch):
    frame, features, _, params = _fitted_sklearn(k=5, seed=8)
    logits = views.softmax_logits(params, features)
    costs = views.cost_pair(
        frame["label"], logits, from_logits=True, label_smoothing=label_smoothing, eps=1e-7
    )
    # reference: torch.nn.functional.cross_entropy(label_smoothing=ls), mean reduction.
    expected = torch.nn.functional.cross_entropy(
        torch.tensor(logits),
        torch.tensor(frame["label"].to_numpy()),
        label_smoothing=label_smoothing,
    ).item()
    assert costs.cce == pytest.approx(expected, rel=1e-12)
    assert costs.sparse_cce == pytest.approx(expected, rel=1e-12)


def test_softmax_logits_equal_sklearn_decision_function():
    _, features, model, params = _fitted_sklearn()
    np.testing.assert_allclose(
        views.softmax_logits(params, features), model.decision_function(features), rtol=1e-12
    )


# ---------------------------------------------------------------- summary and regions


def test_class_summary_equals_sklearn_recall_and_counts():
    frame, features, model, params = _fitted_sklearn(k=4, seed=5)
    summary = views.class_summary(frame["label"], views.softmax_logits(params, features))
    # reference: sklearn.metrics.recall_score per class; Counter for the counts.
    expected_recall = recall_score(frame["label"], model.predict(features), average=None)
    np.testing.assert_allclose(summary["predicted right"], expected_recall, rtol=1e-15)
    counts = Counter(frame["label"].tolist())
    assert summary["points"].tolist() == [counts[j] for j in range(4)]
    assert summary["share"].sum() == pytest.approx(1.0)


def test_grid_axes_add_a_tenth_of_the_span_on_each_side():
    features = np.array([[0.0, -1.0], [10.0, 3.0]])
    x1_axis, x2_axis = views.grid_axes(features, size=11)
    # hand-derived: spans 10 and 4 → padding 1.0 and 0.4.
    assert (x1_axis[0], x1_axis[-1]) == pytest.approx((-1.0, 11.0))
    assert (x2_axis[0], x2_axis[-1]) == pytest.approx((-1.4, 3.4))
    assert x1_axis.shape == x2_axis.shape == (11,)


def test_decision_regions_equal_sklearn_predict_on_the_grid():
    _, features, model, params = _fitted_sklearn()
    x1_axis, x2_axis = views.grid_axes(features, size=40)
    regions = views.decision_regions(params, x1_axis, x2_axis)
    assert regions.shape == (40, 40)
    # reference: LogisticRegression.predict at each (x1_axis[j], x2_axis[i]).
    for i in (0, 13, 39):
        points = np.column_stack([x1_axis, np.full(40, x2_axis[i])])
        np.testing.assert_array_equal(regions[i], model.predict(points))


def test_few_points_notes_name_the_tiny_classes():
    # hand-derived wording for hand-made counts (the page test covers the reviewer's case).
    notes = views.few_points_notes([30, 20, 5, 2, 1, 1, 1, 1, 0, 12])
    assert notes == [
        "Class 8 has no points: its 'predicted right' is undefined.",
        "Classes 4–7 have only 1 point each: their 'predicted right' can only be 0% or 100%.",
        "Class 3 has only 2 points: one point moves its 'predicted right' by 50 percentage points.",
        "Class 2 has only 5 points: one point moves its 'predicted right' by 20 percentage points.",
    ]
    assert views.few_points_notes([1, 40, 1]) == [
        "Classes 0 and 2 have only 1 point each: their 'predicted right' can only be 0% or 100%."
    ]
    assert views.few_points_notes([10, 40, 11]) == []


def test_class_summary_on_a_hand_made_case_with_a_one_point_class():
    labels = [0, 0, 0, 1, 2, 2]
    predicted = [0, 1, 0, 1, 2, 0]
    logits = np.eye(3)[predicted]  # the largest logit sits at the predicted class
    summary = views.class_summary(labels, logits)
    # hand-derived: class 0 has 2 of 3 right, class 1 its single point, class 2 one of two.
    np.testing.assert_allclose(summary["predicted right"], [2 / 3, 1.0, 0.5])
    assert summary["points"].tolist() == [3, 1, 2]
    np.testing.assert_allclose(summary["share"], [0.5, 1 / 6, 1 / 3])
