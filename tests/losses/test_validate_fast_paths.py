"""The validation fast paths (min/max range checks, row sums as y @ 1) give the exact verdicts.

losses.checks checks ranges with two reductions and row sums with a matrix-vector
product (another summation order than .sum(axis=1)); near a margin it falls back to the
exact check. These inputs sit on each margin: the verdict and the message must be the
ones the exact checks give.
"""

from __future__ import annotations

import numpy as np
import pytest

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
