"""The multi-class page's core: label forms and memory, the CCE/sparse-CCE cost pair,
one sample's softmax/loss/gradient, and decision regions, against named references."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
import scipy.special
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, recall_score
from sklearn.preprocessing import OneHotEncoder

from losses import data
from losses import multiclass_views as views

LABELS = np.array([2, 0, 1, 3, 3, 0, 2, 1, 0])


def _fitted_sklearn(k=4, seed=3):
    frame = data.make_multiclass(400, k=k, separation=2.0, seed=seed)
    features = frame[["x1", "x2"]].to_numpy()
    model = LogisticRegression(C=10.0, max_iter=2000).fit(features, frame["label"])
    params = {"intercepts": model.intercept_, "weights": model.coef_.T}
    return frame, features, model, params


# ---------------------------------------------------------------- label forms and memory


def test_one_hot_rows_match_sklearn_one_hot_encoder():
    one_hot, indices = views.label_arrays(LABELS, 4)
    # sklearn.preprocessing.OneHotEncoder with the categories 0..3 fixed.
    expected = (
        OneHotEncoder(categories=[list(range(4))], sparse_output=False)
        .fit_transform(LABELS.reshape(-1, 1))
        .astype(np.float32)
    )
    np.testing.assert_array_equal(one_hot, expected)
    assert one_hot.dtype == np.float32
    np.testing.assert_array_equal(indices, LABELS)
    assert indices.dtype == np.int64


def test_label_forms_report_real_bytes():
    one_hot, indices = views.label_forms(LABELS, 4)
    # hand-derived: 9 rows × 4 classes × 4 bytes (float32); 9 × 8 bytes (int64).
    assert (one_hot.shape, one_hot.dtype, one_hot.nbytes) == ((9, 4), "float32", 144)
    assert (indices.shape, indices.dtype, indices.nbytes) == ((9,), "int64", 72)
    # hand-derived: 144 / 72 = k/2 = 2.
    assert views.memory_ratio(one_hot, indices) == 2.0
    table = views.label_forms_table((one_hot, indices))
    assert list(table["bytes"]) == ["144", "72"]
    assert list(table["shape"]) == ["(9, 4)", "(9,)"]


@pytest.mark.parametrize("k", [2, 3, 10, 57, 1000])
def test_label_bytes_formula_equals_numpy_nbytes(k):
    n = 600
    sizes = views.label_bytes(n, [k])
    # reference: numpy's own .nbytes of arrays of those shapes and dtypes.
    assert sizes["one-hot float32"][0] == np.zeros((n, k), np.float32).nbytes
    assert sizes["index int64"][0] == np.zeros(n, np.int64).nbytes
    assert sizes["index int32"][0] == np.zeros(n, np.int32).nbytes


def test_memory_curve_covers_every_small_k_and_ends_at_k_max():
    ks, sizes = views.memory_curve(100, k_max=1000)
    assert set(range(2, 11)) <= set(ks.tolist())  # every k the page's slider offers
    assert ks[0] == 2 and ks[-1] == 1000 and np.all(np.diff(ks) > 0)
    assert set(sizes) == {"one-hot float32", "index int64", "index int32"}
    assert all(values.shape == ks.shape for values in sizes.values())


def test_label_preview_shows_both_forms_as_text():
    preview = views.label_preview(LABELS, 4, rows=3)
    # hand-derived from LABELS[:3] = 2, 0, 1 with k = 4.
    assert list(preview["one-hot row (CCE)"]) == ["[0, 0, 1, 0]", "[1, 0, 0, 0]", "[0, 1, 0, 0]"]
    assert list(preview["class index (sparse CCE)"]) == [2, 0, 1]


@pytest.mark.parametrize(
    ("labels", "k", "message"),
    [([0, 5], 3, "0..2"), ([0, 1.5], 3, "whole numbers"), ([0, 1], 1, "at least 2")],
)
def test_bad_labels_are_refused_with_a_sentence(labels, k, message):
    with pytest.raises(ValueError, match=message):
        views.label_arrays(labels, k)


def test_label_bytes_refuses_k_below_two():
    with pytest.raises(ValueError, match="k ≥ 2"):
        views.label_bytes(10, [1, 2])


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
def test_cost_pair_with_label_smoothing_equals_torch_cross_entropy(label_smoothing):
    frame, features, _, params = _fitted_sklearn(k=5, seed=8)
    logits = views.softmax_logits(params, features)
    costs = views.cost_pair(
        frame["label"], logits, from_logits=True, label_smoothing=label_smoothing, eps=1e-7
    )
    # reference: torch.nn.functional.cross_entropy(label_smoothing=ls), mean reduction.
    expected = torch.nn.functional.cross_entropy(
        torch.tensor(logits), torch.tensor(frame["label"].to_numpy()),
        label_smoothing=label_smoothing,
    ).item()  # fmt: skip
    assert costs.cce == pytest.approx(expected, rel=1e-12)
    assert costs.sparse_cce == pytest.approx(expected, rel=1e-12)


def test_softmax_logits_equal_sklearn_decision_function():
    _, features, model, params = _fitted_sklearn()
    np.testing.assert_allclose(
        views.softmax_logits(params, features), model.decision_function(features), rtol=1e-12
    )


# ---------------------------------------------------------------- one sample


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2, 0.5])
@pytest.mark.parametrize("true_class", [0, 2])
def test_sample_view_matches_scipy_softmax_and_torch_autograd(label_smoothing, true_class):
    z = np.array([2.0, 1.0, 0.1, -1.3])
    view = views.sample_view(z, true_class, from_logits=True, label_smoothing=label_smoothing,
                             eps=1e-7)  # fmt: skip
    # reference: scipy.special.softmax.
    np.testing.assert_allclose(view.probability, scipy.special.softmax(z), rtol=1e-14)
    # reference: torch cross_entropy with label smoothing, value and autograd gradient.
    logits = torch.tensor(z.reshape(1, -1), requires_grad=True)
    loss = torch.nn.functional.cross_entropy(
        logits, torch.tensor([true_class]), label_smoothing=label_smoothing
    )
    loss.backward()
    np.testing.assert_allclose(view.gradient, logits.grad.numpy()[0], rtol=1e-12, atol=1e-15)
    assert view.loss_from_logits == pytest.approx(loss.item(), rel=1e-12)
    assert view.loss_if_true[true_class] == pytest.approx(loss.item(), rel=1e-12)
    # hand-derived: the smoothed target y(1 − ls) + ls/k, and the gradient p − y.
    expected_target = np.full(4, label_smoothing / 4)
    expected_target[true_class] += 1 - label_smoothing
    np.testing.assert_allclose(view.target, expected_target, rtol=1e-15)
    np.testing.assert_allclose(view.gradient, view.probability - view.target, atol=1e-15)


def test_loss_if_true_is_minus_log_softmax_without_smoothing():
    z = np.array([2.0, 1.0, 0.1])
    view = views.sample_view(z, 0, from_logits=True, label_smoothing=0.0, eps=1e-7)
    # reference: −scipy.special.log_softmax; CS231n's example gives ℓ₀ ≈ 0.417.
    np.testing.assert_allclose(view.loss_if_true, -scipy.special.log_softmax(z), rtol=1e-14)
    assert view.loss_if_true[0] == pytest.approx(0.4170300, abs=1e-7)
    assert not view.probability_clipped


@pytest.mark.parametrize("big", [10.0, 20.0])
def test_probability_route_is_capped_at_minus_log_eps(big):
    z = np.array([big, -big])
    view = views.sample_view(z, 1, from_logits=False, label_smoothing=0.0, eps=1e-7)
    # hand-derived: from logits ℓ = 2·big + log(1 + e^(−2·big)); p₁ = e^(−2·big)/(1 + …) < 1e-7,
    # so the probability route gives −log 1e-7 = 7·ln 10 ≈ 16.118.
    assert view.loss_from_logits == pytest.approx(2 * big + math.log1p(math.exp(-2 * big)))
    assert view.loss_from_probabilities == pytest.approx(7 * math.log(10), rel=1e-12)
    assert view.loss_if_true[1] == view.loss_from_probabilities  # the switch picks the route
    assert view.probability_clipped
    assert views.clip_cap(1e-7) == pytest.approx(7 * math.log(10), rel=1e-15)


@pytest.mark.parametrize("k", [2, 5, 10])
def test_equal_logits_give_uniform_probabilities_and_log_k(k):
    view = views.sample_view(np.full(k, 3.3), k - 1, from_logits=False, label_smoothing=0.0,
                             eps=1e-7)  # fmt: skip
    # hand-derived: softmax of equal logits is 1/k; ℓ = log k for every true class.
    np.testing.assert_allclose(view.probability, np.full(k, 1 / k), rtol=1e-14)
    np.testing.assert_allclose(view.loss_if_true, np.full(k, math.log(k)), rtol=1e-13)


def test_sample_view_refuses_a_true_class_outside_the_classes():
    with pytest.raises(ValueError, match="0..2"):
        views.sample_view([1.0, 2.0, 3.0], 3, from_logits=True, label_smoothing=0.0, eps=1e-7)
    with pytest.raises(ValueError, match="at least 2"):
        views.sample_view([1.0], 0, from_logits=True, label_smoothing=0.0, eps=1e-7)


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


def test_class_summary_on_a_hand_made_case_with_a_one_point_class():
    labels = [0, 0, 0, 1, 2, 2]
    predicted = [0, 1, 0, 1, 2, 0]
    logits = np.eye(3)[predicted]  # the largest logit sits at the predicted class
    summary = views.class_summary(labels, logits)
    # hand-derived: class 0 has 2 of 3 right, class 1 its single point, class 2 one of two.
    np.testing.assert_allclose(summary["predicted right"], [2 / 3, 1.0, 0.5])
    assert summary["points"].tolist() == [3, 1, 2]
    np.testing.assert_allclose(summary["share"], [0.5, 1 / 6, 1 / 3])
