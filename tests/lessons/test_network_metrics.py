"""Batched classification metrics (lessons.network_metrics) against scikit-learn 1.9, a hand
derivation and a plain loop written here. No expected number was taken from the output of
lessons.network_metrics."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import accuracy_score, balanced_accuracy_score, recall_score

from lessons import network_metrics as nm


def _same(ours: float, reference: float) -> bool:
    """Equal to a few ulp, NaN matching NaN (both say "undefined")."""
    if math.isnan(reference):
        return math.isnan(ours)
    return math.isclose(ours, reference, rel_tol=1e-12, abs_tol=1e-12)


@st.composite
def predictions(draw, max_k: int = 5, max_n: int = 30, max_snapshots: int = 4):
    """labels (n,) and predicted (S, n) over k classes; some classes may have no points."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(1, max_n))
    snapshots = draw(st.integers(1, max_snapshots))
    labels = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    predicted = draw(
        st.lists(
            st.lists(st.integers(0, k - 1), min_size=n, max_size=n),
            min_size=snapshots,
            max_size=snapshots,
        )
    )
    return np.array(labels), np.array(predicted)


@st.composite
def probability_stacks(draw, max_k: int = 5, max_n: int = 25, max_snapshots: int = 4):
    """labels (n,) and probabilities (S, n, k), rows summing to 1.

    Small whole-number weights, normalised, give exact 0 and 1, ties (the lower class is
    predicted) and confidences on bin edges (1/2, 2/5, …); float weights give the rest."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(1, max_n))
    snapshots = draw(st.integers(1, max_snapshots))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    entry = st.one_of(st.integers(0, 5), st.floats(0.0, 1.0))
    weights = np.array(
        draw(st.lists(entry, min_size=snapshots * n * k, max_size=snapshots * n * k)),
        dtype=np.float64,
    ).reshape(snapshots, n, k)
    weights[weights.sum(axis=-1) == 0] = 1.0  # an all-zero row becomes uniform
    return labels, weights / weights.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------- predicted classes


def test_predicted_classes_breaks_ties_towards_the_lower_class():
    # Hand-derived: row 0 ties classes 1 and 2 → 1; row 1 ties all three → 0; row 2, p = 0.5 in
    # the binary columns [1 − p, p] → 0 (negative), as lessons.metrics predicts a score of 0.
    probabilities = np.array([[0.2, 0.4, 0.4], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]])
    assert nm.predicted_classes(probabilities).tolist() == [1, 0, 0]


def test_binary_probabilities_put_p_positive_in_column_1():
    # Hand-derived: [1 − p, p] per point.
    columns = nm.binary_probabilities([0.0, 0.25, 1.0])
    assert columns.tolist() == [[1.0, 0.0], [0.75, 0.25], [0.0, 1.0]]
    assert nm.predicted_classes(columns).tolist() == [0, 0, 1]


@given(probability_stacks())
@settings(max_examples=60)
def test_predicted_classes_of_a_stack_are_each_snapshots_first_maximum(stack):
    _, probabilities = stack
    batched = nm.predicted_classes(probabilities)
    assert batched.shape == probabilities.shape[:2]
    for snapshot, predicted in zip(probabilities, batched, strict=True):
        # Reference: a loop here, list.index of the row's max (its first occurrence).
        expected = [list(row).index(max(row)) for row in snapshot]
        assert predicted.tolist() == expected
        assert nm.predicted_classes(snapshot).tolist() == expected


# ---------------------------------------------------------------- accuracy, recall, balance


@given(predictions())
@settings(max_examples=80)
def test_accuracy_matches_sklearn_per_snapshot(pair):
    labels, predicted = pair
    batched = nm.accuracy(labels, predicted)
    assert batched.shape == (predicted.shape[0],)
    for snapshot, value in zip(predicted, batched, strict=True):
        expected = accuracy_score(labels, snapshot)  # sklearn.metrics.accuracy_score
        assert _same(value, expected)
        assert _same(nm.accuracy(labels, snapshot), expected)


@given(predictions())
@settings(max_examples=80)
def test_balanced_accuracy_matches_sklearn_per_snapshot(pair):
    labels, predicted = pair
    batched = nm.balanced_accuracy(labels, predicted)
    assert batched.shape == (predicted.shape[0],)
    for snapshot, value in zip(predicted, batched, strict=True):
        with warnings.catch_warnings():  # "y_pred contains classes not in y_true": ignored there
            warnings.simplefilter("ignore", UserWarning)
            expected = balanced_accuracy_score(labels, snapshot)  # sklearn, adjusted=False
        assert _same(value, expected)
        assert _same(nm.balanced_accuracy(labels, snapshot), expected)
        assert 0.0 <= value <= 1.0


@given(predictions(), st.integers(0, 6))
@settings(max_examples=80)
def test_recall_matches_sklearn_per_snapshot_nan_where_the_class_has_no_points(pair, cls):
    labels, predicted = pair
    batched = nm.recall(labels, predicted, cls)
    assert batched.shape == (predicted.shape[0],)
    for snapshot, value in zip(predicted, batched, strict=True):
        # sklearn.metrics.recall_score for that one class; NaN when it has no points.
        expected = recall_score(labels, snapshot, labels=[cls], average=None, zero_division=np.nan)[
            0
        ]
        assert _same(value, expected)
        assert _same(nm.recall(labels, snapshot, cls), expected)
    assert math.isnan(batched[0]) == (cls not in labels)


@given(predictions())
@settings(max_examples=40)
def test_class_recalls_match_sklearn_per_class(pair):
    labels, predicted = pair
    k = int(max(labels.max(), predicted.max())) + 1
    recalls = nm.class_recalls(labels, predicted, k)
    assert recalls.shape == (predicted.shape[0], k)
    for snapshot, row in zip(predicted, recalls, strict=True):
        # sklearn.metrics.recall_score(average=None) over classes 0..k−1
        expected = recall_score(
            labels, snapshot, labels=list(range(k)), average=None, zero_division=np.nan
        )
        assert all(_same(ours, theirs) for ours, theirs in zip(row, expected, strict=True))


@pytest.mark.parametrize(
    ("labels", "predicted"),
    [
        ([1], [1]),  # n = 1, right
        ([1], [0]),  # n = 1, wrong
        ([0, 0, 0], [0, 0, 0]),  # one class only, predicted throughout
        ([0, 0, 2, 2], [2, 2, 2, 2]),  # class 1 absent; everything predicted as one class
        ([0, 1, 1, 1], [1, 1, 1, 1]),  # the rare class never predicted
    ],
)
def test_defined_metrics_are_numbers_in_the_unit_interval_on_the_edge_cases(labels, predicted):
    accuracy = nm.accuracy(labels, predicted)
    balanced = nm.balanced_accuracy(labels, predicted)
    rare = nm.rare_class(labels)
    rare_recall = nm.recall(labels, predicted, rare)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert _same(accuracy, accuracy_score(labels, predicted))  # sklearn
        assert _same(balanced, balanced_accuracy_score(labels, predicted))  # sklearn
    # sklearn.metrics.recall_score of the rare class, which has points by definition
    assert _same(rare_recall, recall_score(labels, predicted, labels=[rare], average=None)[0])
    for value in (accuracy, balanced, rare_recall):
        assert not math.isnan(value) and 0.0 <= value <= 1.0


# ---------------------------------------------------------------- the rare class


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([0, 0, 1], 1),  # hand-derived: class 1 has 1 point, class 0 has 2
        ([1, 1, 0], 0),
        ([0, 1], 1),  # a tie goes to the higher class: the positive one
        ([0, 0, 1, 1, 2, 2, 2], 1),  # classes 0 and 1 tie at 2 points
        ([2, 2, 0], 0),  # class 1 has no points, so it is not the rare one
        ([3], 3),  # n = 1
    ],
)
def test_rare_class_hand_derived(labels, expected):
    assert nm.rare_class(labels) == expected


def test_class_counts_include_classes_with_no_points():
    # Hand-derived: [2, 2, 0] has one 0, no 1 and two 2s.
    assert nm.class_counts([2, 2, 0]).tolist() == [1, 0, 2]


@given(predictions())
@settings(max_examples=60)
def test_rare_class_is_the_highest_class_among_the_fewest(pair):
    labels, _ = pair
    # Reference: a loop here over the classes that occur, counted with list.count.
    counts = {cls: labels.tolist().count(cls) for cls in set(labels.tolist())}
    fewest = min(counts.values())
    assert nm.rare_class(labels) == max(cls for cls, count in counts.items() if count == fewest)


# ---------------------------------------------------------------- reliability and ECE


def _reliability_by_loop(labels, probabilities, bins: int):
    """Reference written here from Guo et al. (2017) §2 for one snapshot (n, k): per bin
    (mean confidence, accuracy, count) and ECE = Σ_m (n_m / n)·|acc_m − conf_m|."""
    members = [[] for _ in range(bins)]
    for label, row in zip(labels, probabilities, strict=True):
        row = [float(p) for p in row]
        top = max(row)
        right = row.index(top) == label  # the first maximum: ties go to the lower class
        for m in range(bins):
            # (m/M, (m+1)/M], and 0 belongs to the first bin
            if m / bins < top <= (m + 1) / bins or (m == 0 and top == 0):
                members[m].append((top, right))
                break
    confidence, accuracy, count, ece = [], [], [], 0.0
    for points in members:
        count.append(len(points))
        if not points:
            confidence.append(math.nan)
            accuracy.append(math.nan)
            continue
        mean_confidence = sum(top for top, _ in points) / len(points)
        share_right = sum(right for _, right in points) / len(points)
        confidence.append(mean_confidence)
        accuracy.append(share_right)
        ece += len(points) / len(labels) * abs(share_right - mean_confidence)
    return confidence, accuracy, count, ece


WORKED_LABELS = [0, 2, 2, 1, 2]
WORKED = [
    [[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.05, 0.1, 0.85], [0.4, 0.4, 0.2], [0.0, 0.0, 1.0]],
    [[1 / 3, 1 / 3, 1 / 3]] * 5,
]


def test_reliability_of_a_worked_example():
    # Hand-derived, 10 bins (m/10, (m+1)/10]:
    # snapshot 0: point  confidence  predicted  label  right  bin
    #               0      0.7         0          0      yes    6 (0.6, 0.7]  (on the edge)
    #               1      0.7         1          2      no     6
    #               2      0.85        2          2      yes    8 (0.8, 0.9]
    #               3      0.4         0 (tie)    1      no     3 (0.3, 0.4]  (on the edge)
    #               4      1.0         2          2      yes    9 (0.9, 1]    (on the edge)
    #   bin 3: n=1, conf 0.4, acc 0   → 1/5·0.4  = 0.08
    #   bin 6: n=2, conf 0.7, acc 0.5 → 2/5·0.2  = 0.08
    #   bin 8: n=1, conf 0.85, acc 1  → 1/5·0.15 = 0.03
    #   bin 9: n=1, conf 1, acc 1     → 0
    #   ECE = 0.08 + 0.08 + 0.03 + 0 = 0.19
    # snapshot 1: every row uniform, confidence 1/3 in bin 3, predicted 0 (tie), right only
    #   for point 0: acc 1/5, ECE = |1/5 − 1/3| = 2/15.
    result = nm.reliability(WORKED_LABELS, WORKED)
    nan = math.nan
    assert result.count.tolist() == [[0, 0, 0, 1, 0, 0, 2, 0, 1, 1], [0, 0, 0, 5, 0, 0, 0, 0, 0, 0]]
    expected_confidence = [nan, nan, nan, 0.4, nan, nan, 0.7, nan, 0.85, 1.0]
    expected_accuracy = [nan, nan, nan, 0.0, nan, nan, 0.5, nan, 1.0, 1.0]
    assert all(map(_same, result.confidence[0], expected_confidence))
    assert all(map(_same, result.accuracy[0], expected_accuracy))
    assert _same(result.confidence[1][3], 1 / 3) and _same(result.accuracy[1][3], 1 / 5)
    assert np.allclose(result.ece, [0.19, 2 / 15], rtol=0, atol=1e-15)
    assert np.allclose(result.edges, np.arange(11) / 10, rtol=0, atol=0)


@given(probability_stacks(), st.sampled_from([1, 3, 7, 10, 15]))
@settings(max_examples=100)
@example(  # 5/7 is on an edge of 7 bins, which np.linspace(0, 1, 8) puts one ulp below 5/7
    (np.array([0]), np.array([[[5 / 7, 2 / 7]]])), 7
)
@example(  # every confidence on an edge: 1/2 with k = 2, 1 from a one-hot row
    (np.array([0, 1, 1]), np.array([[[0.5, 0.5], [0.0, 1.0], [1.0, 0.0]]])), 10
)
def test_reliability_matches_a_loop_per_snapshot(stack, bins):
    labels, probabilities = stack
    batched = nm.reliability(labels, probabilities, bins)
    assert batched.ece.shape == (probabilities.shape[0],)
    assert batched.count.shape == (probabilities.shape[0], bins)
    for s, snapshot in enumerate(probabilities):
        confidence, accuracy, count, ece = _reliability_by_loop(labels, snapshot, bins)
        single = nm.reliability(labels, snapshot, bins)
        for result in (
            nm.Reliability(
                batched.edges,
                batched.confidence[s],
                batched.accuracy[s],
                batched.count[s],
                batched.ece[s],
            ),
            single,
        ):
            assert result.count.tolist() == count
            assert all(map(_same, result.confidence, confidence))
            assert all(map(_same, result.accuracy, accuracy))
            assert math.isclose(result.ece, ece, rel_tol=1e-12, abs_tol=1e-14)
            assert 0.0 <= result.ece <= 1.0


@given(probability_stacks(max_snapshots=1))
@settings(max_examples=60)
def test_reliability_bins_agree_with_sklearn_calibration_curve(stack):
    labels, probabilities = stack
    snapshot = probabilities[0]
    result = nm.reliability(labels, snapshot)
    confidence = snapshot.max(axis=1)
    right = (snapshot.argmax(axis=1) == labels).astype(int)
    # sklearn.calibration.calibration_curve on (right, confidence): per non-empty bin the share
    # right and the mean confidence. Its edges np.linspace(0, 1, 11) lie at most one ulp off
    # m/10, which only a confidence equal to that off-by-one-ulp edge would tell apart
    # (0.6: linspace's edge is 0.6000000000000001): such confidences are left out.
    edges = np.linspace(0, 1, 11)
    assume(not np.any(np.abs(confidence[:, None] - edges) <= 4 * np.spacing(edges)))
    share_right, mean_confidence = calibration_curve(
        right, confidence, n_bins=10, strategy="uniform", pos_label=1
    )
    filled = result.count > 0
    assert np.allclose(result.accuracy[filled], share_right, rtol=1e-12, atol=0)
    assert np.allclose(result.confidence[filled], mean_confidence, rtol=1e-12, atol=0)


def test_a_perfectly_calibrated_and_a_confidently_wrong_network():
    # Hand-derived: one-hot rows that are right have confidence 1 and accuracy 1 → ECE 0; the
    # same rows on the other labels are right nowhere → ECE = |0 − 1| = 1.
    labels = np.array([0, 1, 1, 0])
    one_hot = np.eye(2)[labels]
    assert nm.reliability(labels, one_hot).ece == 0.0
    assert nm.reliability(1 - labels, one_hot).ece == 1.0


# ---------------------------------------------------------------- the input checks


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nm.accuracy([0, 1], [0, 1, 1]), "shape"),
        (lambda: nm.accuracy([], []), "empty"),
        (lambda: nm.accuracy([0, 1.5], [0, 1]), "class indices"),
        (lambda: nm.accuracy([0, -1], [0, 1]), "class indices"),
        (lambda: nm.recall([0, 1], [0, 1], -1), "cls"),
        (lambda: nm.class_recalls([0, 3], [0, 1], 2), "too few"),
        (lambda: nm.predicted_classes([[0.5, 0.6]]), "sum to 1"),
        (lambda: nm.predicted_classes([[1.5, -0.5]]), r"\[0, 1\]"),
        (lambda: nm.predicted_classes([[1.0]]), "2 classes"),
        (lambda: nm.predicted_classes([0.5, 0.5]), "shape"),
        (lambda: nm.reliability([0, 2], [[0.5, 0.5], [0.5, 0.5]]), "0..1"),
        (lambda: nm.reliability([0], [[0.5, 0.5], [0.5, 0.5]]), "one label per point"),
        (lambda: nm.reliability([0], [[0.5, 0.5]], bins=0), "bins"),
        (lambda: nm.binary_probabilities([1.2]), r"\[0, 1\]"),
    ],
)
def test_bad_inputs_get_a_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()
