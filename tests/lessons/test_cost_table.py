"""The loss-vs-cost table: per-sample losses, their mean, notes, and the link encoding."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import log_loss, mean_squared_error

import losses
from lessons import cost_table


def test_regression_example_per_sample_and_cost():
    breakdown = cost_table.evaluate(losses.get("mse"), cost_table.example("regression"))
    # Hand-derived: residuals ŷ − y = −0.5, 0.5, 0, 1, 5 → squares 0.25, 0.25, 0, 1, 25; mean 5.3.
    np.testing.assert_allclose(breakdown.per_sample, [0.25, 0.25, 0.0, 1.0, 25.0])
    assert breakdown.cost == pytest.approx(5.3)
    # sklearn.metrics.mean_squared_error's own docstring example (first four rows) is 0.375.
    first_four = cost_table.evaluate(losses.get("mse"), cost_table.example("regression").head(4))
    assert first_four.cost == pytest.approx(0.375)
    assert first_four.cost == pytest.approx(mean_squared_error([3, -0.5, 2, 7], [2.5, 0, 2, 8]))


def test_binary_cost_is_sklearn_log_loss_away_from_the_clip():
    table = cost_table.example("binary").head(4)
    breakdown = cost_table.evaluate(losses.get("bce"), table)
    expected = log_loss(table["y"], table["ŷ"], labels=[0, 1])  # sklearn.metrics.log_loss
    assert breakdown.cost == pytest.approx(expected, rel=1e-12)
    assert breakdown.notes == []


@pytest.mark.parametrize("loss_id", ["bce", "cce", "sparse_cce", "kl"])
def test_the_confident_mistake_is_capped_at_minus_log_eps_with_a_note(loss_id):
    task = "binary" if loss_id == "bce" else "multiclass"
    for eps in (1e-7, 1e-12, 1e-2):
        breakdown = cost_table.evaluate(losses.get(loss_id), cost_table.example(task), eps=eps)
        # Hand-derived (Keras' clip): p = 0 for the true class is clipped to ε, loss −log ε.
        assert breakdown.per_sample[-1] == pytest.approx(-math.log(eps), rel=1e-6)
        assert len(breakdown.notes) == 1 and f"ε = {eps:g}" in breakdown.notes[0]


def test_no_clip_note_for_logits():
    table = pd.DataFrame({"y": [1.0], "ŷ": [0.0]})
    assert cost_table.evaluate(losses.get("bce"), table, from_logits=True).notes == []


@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce", "kl"])
def test_multiclass_cost_is_sklearn_log_loss_away_from_the_clip(loss_id):
    table = cost_table.example("multiclass").head(3)
    breakdown = cost_table.evaluate(losses.get(loss_id), table)
    probabilities = table[["p0", "p1", "p2"]].to_numpy()
    # sklearn.metrics.log_loss; KL equals CE for one-hot targets (their entropy is 0).
    expected = log_loss(table["y"], probabilities, labels=[0, 1, 2])
    assert breakdown.cost == pytest.approx(expected, rel=1e-12)
    assert breakdown.notes == []


def test_unnormalised_rows_are_divided_by_their_sum_with_a_note():
    table = pd.DataFrame({"y": [0, 1], "p0": [2.0, 0.2], "p1": [2.0, 0.8]})
    breakdown = cost_table.evaluate(losses.get("kl"), table)
    # Hand-derived: row 0 becomes (0.5, 0.5) → −log 0.5; row 1 sums to 1 → −log 0.8.
    np.testing.assert_allclose(breakdown.per_sample, [math.log(2), -math.log(0.8)])
    assert len(breakdown.notes) == 1 and "row 0 sums to 4" in breakdown.notes[0]


def test_incomplete_rows_are_left_out_and_said():
    table = pd.DataFrame({"y": [1.0, np.nan, 3.0], "ŷ": [2.0, 5.0, None]})
    breakdown = cost_table.evaluate(losses.get("mae"), table)
    # Hand-derived: only row 0 is complete, |2 − 1| = 1.
    np.testing.assert_array_equal(breakdown.rows, [0])
    assert breakdown.cost == 1.0
    assert breakdown.notes == ["2 row(s) with an empty or non-numeric cell are left out."]


@pytest.mark.parametrize(
    ("loss_id", "table", "message"),
    [
        ("mse", pd.DataFrame({"y": [np.nan], "ŷ": [1.0]}), "no complete row"),
        ("bce", pd.DataFrame({"y": [1.0], "ŷ": [1.5]}), "must lie in"),
        ("hinge", pd.DataFrame({"y": [0.5], "ŷ": [1.0]}), "must be 0 or 1"),
        ("cce", pd.DataFrame({"y": [3], "p0": [0.5], "p1": [0.5]}), "whole number 0..1"),
        ("cce", pd.DataFrame({"y": [0.5], "p0": [0.5], "p1": [0.5]}), "whole number"),
        ("cce", pd.DataFrame({"y": [0], "p0": [-0.5], "p1": [1.5]}), "cannot be negative"),
        ("cce", pd.DataFrame({"y": [0], "p0": [0.0], "p1": [0.0]}), "all 0"),
    ],
)
def test_values_a_loss_cannot_score_raise_a_readable_error(loss_id, table, message):
    with pytest.raises(ValueError, match=message):
        cost_table.evaluate(losses.get(loss_id), table)


@pytest.mark.parametrize("task", ["regression", "binary", "multiclass"])
def test_link_encoding_round_trips(task):
    table = cost_table.example(task).astype(float)
    table.iloc[1, 1] = 0.123456789
    decoded = cost_table.decode(cost_table.encode(table), task)
    pd.testing.assert_frame_equal(decoded, table)


def test_empty_cells_survive_the_link():
    table = pd.DataFrame({"y": [1.0, np.nan], "ŷ": [2.0, 3.0]})
    assert cost_table.encode(table) == "1,2;,3"
    pd.testing.assert_frame_equal(cost_table.decode("1,2;,3", "regression"), table)


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("a,b", "regression"),  # not numbers
        ("1,2,3", "regression"),  # three columns for a two-column task
        ("1,2;3", "binary"),  # ragged rows
        ("1,inf", "regression"),  # not finite
        ("0,1", "multiclass"),  # one probability column: fewer than 2 classes
        (";".join(["1,2"] * 51), "regression"),  # more rows than a table shows
        ("", "regression"),
    ],
)
def test_unreadable_links_give_none(text, task):
    assert cost_table.decode(text, task) is None


def test_a_perfect_prediction_costs_plus_zero_not_minus_zero():
    # Hand-derived: pinball at d = 0 is max(τ·0, (τ − 1)·0) = 0; IEEE max can return −0.0,
    # which a page would print as "-0".
    table = pd.DataFrame({"y": [2.0, 1.0], "ŷ": [2.0, 1.0]})
    for loss_id in ("mse", "mae", "huber", "pseudo_huber", "log_cosh", "quantile"):
        per_sample = cost_table.evaluate(losses.get(loss_id), table).per_sample
        assert not np.any(np.signbit(per_sample)), loss_id


def test_the_mean_is_written_out_term_by_term():
    breakdown = cost_table.evaluate(losses.get("mse"), cost_table.example("regression"))
    # Hand-derived: squares 0.25, 0.25, 0, 1, 25 and their mean 5.3.
    assert cost_table.mean_written_out(breakdown) == (
        r"J = \frac{1}{5}\left(0.25 + 0.25 + 0 + 1 + 25\right) = 5.3"
    )
    long = cost_table.evaluate(losses.get("mae"), pd.DataFrame({"y": [0.0] * 10, "ŷ": [1.0] * 10}))
    # Hand-derived: ten losses of 1; only the first 8 are written, then an ellipsis.
    assert cost_table.mean_written_out(long) == (
        r"J = \frac{1}{10}\left(" + " + ".join(["1"] * 8) + r" + …\right) = 1"
    )


def test_row_texts_name_each_cell():
    table = pd.DataFrame({"y": [3.0, np.nan, -0.5], "ŷ": [2.5, 1.0, 0.0]})
    # Hand-written from the table: rows 0 and 2 (row 1 is incomplete and not used).
    assert cost_table.row_texts(table, [0, 2]) == ["y = 3, ŷ = 2.5", "y = -0.5, ŷ = 0"]
