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

import losses
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


@pytest.mark.parametrize(("k", "words"), [(2, "exactly as many bytes"), (3, "1.5×"), (10, "5×")])
def test_memory_sentence_is_true_at_every_k(k, words):
    labels = np.arange(40) % k
    sentence = views.memory_sentence(*views.label_forms(labels, k))
    assert words in sentence
    # hand-derived: float32 one-hot 4k bytes a row, int64 indices 8; equal at k = 2 only.
    if k == 2:
        assert "gap" not in sentence and "8 bytes a label each" in sentence
        assert "from k = 3 on one-hot is the larger" in sentence
    else:
        assert f"{4 * k} against 8 bytes a label" in sentence and "gap grows" in sentence


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


def _torch_logit_gradient(z, true_class, *, from_logits, label_smoothing, eps):
    """Reference ∂ℓ/∂z by torch autograd, ℓ written out independently of the core."""
    logits = torch.tensor(np.reshape(z, (1, -1)), dtype=torch.float64, requires_grad=True)
    if from_logits:
        # torch.nn.functional.cross_entropy with label smoothing: −Σ y_s log_softmax(z).
        loss = torch.nn.functional.cross_entropy(
            logits, torch.tensor([true_class]), label_smoothing=label_smoothing
        )
    else:
        # Keras' probability route: p / Σp clipped to [ε, 1 − ε], −Σ y_s log p.
        k = logits.shape[1]
        target = torch.full((1, k), label_smoothing / k, dtype=torch.float64)
        target[0, true_class] += 1 - label_smoothing
        probability = torch.softmax(logits, dim=1)
        probability = torch.clamp(probability / probability.sum(), eps, 1 - eps)
        loss = -(target * torch.log(probability)).sum()
    loss.backward()
    return logits.grad.numpy()[0], loss.item()


SAMPLES = {
    "nothing clipped": (np.array([2.0, 1.0, 0.1, -1.3]), 2),
    "one class clipped (p₂ ≈ 0.0057)": (np.array([3.0, 0.0, -2.0, 1.0]), 2),
    "one class clipped, true class not": (np.array([3.0, 0.0, -2.0, 1.0]), 0),
    "every class clipped (review example)": (np.array([10.0, 1.0, -10.0]), 2),
    "k = 2, ±10 (page caption)": (np.array([10.0, -10.0]), 1),
}


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("eps", [1e-7, 0.01])
@pytest.mark.parametrize("case", SAMPLES.values(), ids=SAMPLES.keys())
def test_gradient_is_that_of_the_loss_shown_by_torch_autograd(case, eps, label_smoothing,
                                                              from_logits):  # fmt: skip
    z, true_class = case
    view = views.sample_view(z, true_class, from_logits=from_logits,
                             label_smoothing=label_smoothing, eps=eps)  # fmt: skip
    expected, loss = _torch_logit_gradient(z, true_class, from_logits=from_logits,
                                           label_smoothing=label_smoothing, eps=eps)  # fmt: skip
    # reference: torch autograd of the very loss the bars show (ℓ from the chosen route).
    assert view.loss_if_true[true_class] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(view.gradient, expected, rtol=1e-9, atol=1e-14)
    # p − y, the logit route's gradient, is kept beside it for the comparison outline.
    logit_route, _ = _torch_logit_gradient(z, true_class, from_logits=True,
                                           label_smoothing=label_smoothing, eps=eps)  # fmt: skip
    np.testing.assert_allclose(view.logit_route_gradient, logit_route, rtol=1e-9, atol=1e-14)


def test_every_probability_clipped_stops_the_gradient():
    # The reviewer's example: ε 0.01, ls 0.3, logits (10, 1, −10), true class 2.
    view = views.sample_view([10.0, 1.0, -10.0], 2, from_logits=False, label_smoothing=0.3,
                             eps=0.01)  # fmt: skip
    # hand-derived: p ≈ (1 − 1.2e-4, 1.2e-4, 2e-9), every one outside [0.01, 0.99], so no
    # probability passes a gradient (torch autograd agrees: [0, 0, 0]).
    assert view.probability_clipped
    np.testing.assert_array_equal(view.gradient, np.zeros(3))
    assert view.loss_from_probabilities == pytest.approx(4.14566, abs=1e-5)  # the review's ℓ
    # hand-derived: p − y with y = (0.1, 0.1, 0.8): ≈ (0.9, −0.1, −0.8), what the bars showed.
    np.testing.assert_allclose(view.logit_route_gradient, [0.9, -0.1, -0.8], atol=2e-4)


def test_logit_gradient_of_a_batch_matches_finite_differences():
    rng = np.random.default_rng(4)
    z = rng.normal(scale=2.0, size=(5, 4))
    y = np.eye(4)[[0, 3, 1, 1, 2]]
    settings = {"label_smoothing": 0.2, "eps": 0.01}
    gradient = views.logit_gradient(y, z, from_logits=False, **settings)
    cce = losses.get("cce")

    def loss(shifted):
        return cce.value(y, scipy.special.softmax(shifted, axis=1), from_logits=False, **settings)

    # reference: 4th-order central finite differences in float64 (no point sits on the clip).
    h = 1e-4
    for j in range(4):
        step = np.zeros_like(z)
        step[:, j] = h
        numeric = (-loss(z + 2 * step) + 8 * loss(z + step) - 8 * loss(z - step)
                   + loss(z - 2 * step)) / (12 * h)  # fmt: skip
        np.testing.assert_allclose(gradient[:, j], numeric, rtol=1e-7, atol=1e-10)


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
