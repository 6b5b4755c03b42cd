"""The multi-class input checks take min, max and row sums block by block
(`checks._row_sums_if_within`): a bad entry in any block, not only the first, must
still fail, with the message of the full checks naming the global row."""

from __future__ import annotations

import numpy as np
import pytest

from losses import REGISTRY, checks

K = 10
ROWS_PER_BLOCK = checks.CHECK_BLOCK_ELEMENTS // K
N = 3 * ROWS_PER_BLOCK + 7  # three full blocks and a short last one
LAST_ROW = N - 1
MIDDLE_ROW = ROWS_PER_BLOCK + 5


def _rows():
    rows = np.full((N, K), 1.0 / K)
    return rows


@pytest.mark.parametrize("row", [MIDDLE_ROW, LAST_ROW])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.nan, "NaN or infinite"),
        (np.inf, "NaN or infinite"),
        (-0.5, "must lie in"),
        (1.5, "must lie in"),
    ],
)
def test_bad_target_entry_in_a_later_block(row, bad, message):
    y_true, y_pred = _rows(), _rows()
    y_true[row, 3] = bad
    with pytest.raises(ValueError, match=message):
        REGISTRY["cce"].value(y_true, y_pred)


@pytest.mark.parametrize("row", [MIDDLE_ROW, LAST_ROW])
def test_target_row_sum_in_a_later_block_names_the_global_row(row):
    y_true, y_pred = _rows(), _rows()
    y_true[row, 0] += 1e-5
    with pytest.raises(ValueError, match=f"row {row} sums to"):
        REGISTRY["cce"].value(y_true, y_pred)


@pytest.mark.parametrize("row", [MIDDLE_ROW, LAST_ROW])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.nan, "NaN or infinite"),
        (np.inf, "NaN or infinite"),
        (-0.5, "non-negative probabilities"),
    ],
)
@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce", "kl"])
def test_bad_prediction_entry_in_a_later_block(loss_id, row, bad, message):
    y_pred = _rows()
    y_true = np.zeros(N) if loss_id == "sparse_cce" else _rows()
    y_pred[row, 3] = bad
    with pytest.raises(ValueError, match=message):
        REGISTRY[loss_id].value(y_true, y_pred)


@pytest.mark.parametrize("row", [MIDDLE_ROW, LAST_ROW])
@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce"])
def test_empty_prediction_row_in_a_later_block_names_the_global_row(loss_id, row):
    y_pred = _rows()
    y_true = np.zeros(N) if loss_id == "sparse_cce" else _rows()
    y_pred[row] = 0.0
    with pytest.raises(ValueError, match=f"row {row} of y_pred is all zeros"):
        REGISTRY[loss_id].value(y_true, y_pred)


def test_valid_rows_across_blocks_pass_with_the_exact_row_sums():
    rng = np.random.default_rng(0)
    rows = rng.random((N, K))
    rows /= rows.sum(axis=1, keepdims=True)
    sums = checks._row_sums_if_within(rows, 0.0, 1.0)
    assert sums is not None
    np.testing.assert_allclose(sums, rows.sum(axis=1), rtol=0, atol=1e-14)
    assert checks.probability_rows(rows) is rows


@pytest.mark.parametrize(
    ("bad_pred", "message"),
    [
        (np.nan, "y_pred contains 1 NaN or infinite"),  # y_pred's finiteness comes first
        (-0.5, "labels must be 0..9; got 12"),  # then the labels, then y_pred's sign
        (None, "labels must be 0..9; got 12"),
    ],
)
def test_sparse_cce_checks_in_the_old_order(bad_pred, message):
    y_pred = _rows()
    if bad_pred is not None:
        y_pred[LAST_ROW, 2] = bad_pred
    labels = np.zeros(N)
    labels[MIDDLE_ROW] = 12
    with pytest.raises(ValueError, match=message):
        REGISTRY["sparse_cce"].value(labels, y_pred)
