"""The input checks (`losses.checks`): verdicts on each margin and the message each bad input gets.

Every loss has one check path, which gives the verdict and the message together; these inputs
sit on its margins (row sums at the 1e-6 tolerance, the smallest doubles, −0.0) and put a bad
entry where a student's data would have one.
"""

from __future__ import annotations

import numpy as np
import pytest

import losses
from losses import checks


def rows_summing_to(total, k=10, n=5):
    """n rows of k entries in [0, 1] whose exact .sum(axis=1) is ``total`` (row 3 only)."""
    rows = np.full((n, k), 1.0 / k)
    rows[3] = np.linspace(0.02, 0.18, k)
    rows[3, -1] += total - rows[3].sum()
    return rows


@pytest.mark.parametrize("offset", [1e-6 - 4e-10, -(1e-6 - 4e-10), 1e-6 - 1e-12])
def test_rows_just_inside_the_tolerance_are_accepted(offset):
    rows = rows_summing_to(1.0 + offset)
    assert abs(rows[3].sum() - 1.0) <= 1e-6  # hand-derived: inside the exact margin
    assert checks.probability_rows(rows) is not None


@pytest.mark.parametrize("offset", [1e-6 + 4e-10, -(1e-6 + 4e-10), 0.3])
def test_rows_just_outside_the_tolerance_are_refused_by_row(offset):
    rows = rows_summing_to(1.0 + offset)
    assert abs(rows[3].sum() - 1.0) > 1e-6
    with pytest.raises(ValueError, match="row 3 sums to"):
        checks.probability_rows(rows)


def test_a_row_of_one_tiny_positive_entry_is_not_empty():
    y_pred = np.full((4, 3), 0.5)
    y_pred[2] = [0.0, 5e-324, 0.0]  # the smallest positive double: its row sum is > 0
    assert checks.multiclass_predictions(y_pred, 4, 3, from_logits=False) is y_pred
    y_pred[2] = [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="row 2 of y_pred is all zeros"):
        checks.multiclass_predictions(y_pred, 4, 3, from_logits=False)


def test_negative_zero_is_non_negative_and_negative_tiny_is_refused():
    y_pred = np.array([[-0.0, 1.0], [0.5, 0.5]])
    assert checks.multiclass_predictions(y_pred, 2, 2, from_logits=False) is y_pred
    y_pred[1, 0] = -5e-324
    with pytest.raises(ValueError, match="non-negative probabilities"):
        checks.multiclass_predictions(y_pred, 2, 2, from_logits=False)


@pytest.mark.parametrize("bad", [-5e-324, 1.0 + 2.2e-16, 7.0])
def test_range_check_names_the_first_value_outside(bad):
    values = np.array([0.0, 1.0, 0.5, bad, -3.0])
    with pytest.raises(ValueError, match=f"got {bad:g}"):
        checks.require_in_range(values, 0.0, 1.0, "y_true", "labels")
    checks.require_in_range(values[:3], 0.0, 1.0, "y_true", "labels")


N_CLASSES = 3


def valid_inputs(loss_id):
    rng = np.random.default_rng(0)
    if loss_id in ("bce", "focal"):
        return rng.integers(0, 2, 8).astype(float), rng.uniform(0.1, 0.9, 8)
    if loss_id == "hinge":
        return rng.integers(0, 2, 8).astype(float), rng.normal(0.0, 1.0, 8)
    rows = rng.dirichlet(np.ones(N_CLASSES), 8)
    if loss_id == "sparse_cce":
        return rng.integers(0, N_CLASSES, 8), rows
    return np.eye(N_CLASSES)[rng.integers(0, N_CLASSES, 8)], rows


@pytest.mark.parametrize("loss_id", ["bce", "focal", "hinge", "cce", "sparse_cce", "kl"])
@pytest.mark.parametrize("which", ["y_true", "y_pred"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, None])
def test_a_non_finite_entry_gets_the_finiteness_message(loss_id, which, bad):
    loss = losses.REGISTRY[loss_id]
    y_true, y_pred = valid_inputs(loss_id)
    loss.value(y_true, y_pred)  # valid as given
    target = y_true if which == "y_true" else y_pred
    target = target.astype(object)
    target.flat[5] = bad
    y_true, y_pred = (target, y_pred) if which == "y_true" else (y_true, target)
    expected = "missing value" if bad is None else "NaN or infinite"
    with pytest.raises(ValueError, match=expected):
        loss.value(y_true, y_pred)


@pytest.mark.parametrize(
    ("bad_pred", "message"),
    [
        (np.nan, "y_pred contains 1 NaN or infinite"),  # y_pred's finiteness comes first
        (-0.5, "labels must be 0..9; got 12"),  # then the labels, then y_pred's sign
        (None, "labels must be 0..9; got 12"),
    ],
)
def test_sparse_cce_checks_y_pred_finite_then_the_labels_then_the_rows(bad_pred, message):
    y_pred = np.full((20, 10), 0.1)
    if bad_pred is not None:
        y_pred[19, 2] = bad_pred
    labels = np.zeros(20)
    labels[7] = 12
    with pytest.raises(ValueError, match=message):
        losses.get("sparse_cce").value(labels, y_pred)


@pytest.mark.parametrize("loss_id", ["bce", "focal", "hinge"])
@pytest.mark.parametrize("bad_label", [np.nan, None])
def test_binary_labels_are_checked_before_the_predictions_are_read(loss_id, bad_label):
    # y_true's own message comes first, even when y_pred is not numbers at all.
    with pytest.raises(ValueError, match="y_true (contains 1 NaN|has a missing value)"):
        losses.get(loss_id).value([bad_label, 1.0, 0.0], ["abc", 0.5, 0.5])


@pytest.mark.parametrize("loss_id", ["cce", "kl"])
def test_target_rows_without_columns_get_a_sentence_not_a_numpy_error(loss_id):
    # hand-derived: an (n, 0) row sums to 0, so the row-sum sentence names row 0.
    with pytest.raises(ValueError, match="row 0 sums to 0"):
        losses.get(loss_id).value(np.zeros((3, 0)), np.zeros((3, 0)))
