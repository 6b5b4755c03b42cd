"""The answers of the lecture's questions, computed from the data (lessons.predictions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lessons import descent as descent_lesson
from lessons import predictions
from losses import data, fit
from losses.fit import descent


def test_line_gap_is_the_mean_vertical_distance():
    # Hand-derived: |(1.5 − 1) + (2 − 2)·x| = 0.5 at every x.
    assert predictions.line_gap({"intercept": 1.5, "slope": 2.0}, 1.0, 2.0, [0, 5, 10]) == 0.5
    # |0 + 1·x| over x = 0, 1, 2 → mean 1.
    assert predictions.line_gap({"intercept": 0.0, "slope": 1.0}, 0.0, 0.0, [0, 1, 2]) == 1.0


def test_one_sided_outliers_drag_least_squares_further_than_mae():
    answer = predictions.which_line_moves(data.make_regression(outlier_fraction=0.2))
    assert predictions.LINE_OPTIONS[answer.index] == "The least-squares (MSE) line"


def test_without_outliers_neither_line_moves():
    answer = predictions.which_line_moves(data.make_regression(outlier_fraction=0.0))
    assert predictions.LINE_OPTIONS[answer.index] == "Neither: both stay put"


def test_exact_data_on_a_line_move_neither():
    # Hand-derived: y = 1 + 2x exactly; both fits recover the line, both gaps are 0.
    x = np.linspace(0, 10, 20)
    frame = pd.DataFrame({"x": x, "y": 1 + 2 * x, "is_outlier": False})
    frame.attrs = {"true_intercept": 1.0, "true_slope": 2.0}
    answer = predictions.which_line_moves(frame)
    assert predictions.LINE_OPTIONS[answer.index] == "Neither: both stay put"


def _descent_answer(frame, loss_id, **run):
    """The page's judgement of this descent (as ui.descent_cache computes it), as an answer."""
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    path = descent.gradient_descent(x, y, loss_id, **run)
    best = fit.fit_regression(frame, loss_id).params
    minimum = (best["intercept"], best["slope"])
    minimum_cost = float(descent.costs_at(x, y, loss_id, *minimum))
    judgement = descent_lesson.judge(
        path, x=x, minimum=minimum, minimum_cost=minimum_cost, loss_id=loss_id, loss_name=loss_id
    )
    return predictions.descent_answer(judgement)


def test_the_descent_answer_changes_with_the_learning_rate_across_two_over_l():
    frame = data.make_regression(outlier_fraction=0.2)
    limit = descent.mse_step_limit(frame["x"].to_numpy())  # 2/L for these x
    assert 0.02 < limit < 0.0315
    settles = _descent_answer(frame, "mse", learning_rate=0.02, epochs=1000)
    diverges = _descent_answer(frame, "mse", learning_rate=0.0315, epochs=1000)
    assert (settles.index, diverges.index) == (0, 3)
    assert "2/L" in diverges.why


def test_mae_at_a_fixed_rate_bounces():
    frame = data.make_regression(outlier_fraction=0.2)
    assert _descent_answer(frame, "mae", learning_rate=0.02, epochs=1000).index == 1


def test_a_slow_descent_is_short_of_the_bottom_not_settled():
    # η = 0.001 for 200 epochs: J still falling, far above J* (the old quiz said "settles").
    frame = data.make_regression(outlier_fraction=0.2)
    answer = _descent_answer(frame, "mse", learning_rate=0.001, epochs=200)
    assert predictions.DESCENT_OPTIONS[answer.index].startswith("It is still short")


def test_rare_positives_are_found_less_often_than_balanced_ones():
    balanced = predictions.rare_class_recall(data.make_binary(positive_fraction=0.5))
    rare = predictions.rare_class_recall(data.make_binary(positive_fraction=0.05))
    assert balanced.index == 0  # recall above 0.8 on balanced classes, separation 2
    assert rare.index > balanced.index


@pytest.mark.parametrize("k", [2, 3, 5])
def test_sparse_and_dense_cce_are_the_same_number(k):
    answer = predictions.sparse_versus_dense_fit(data.make_multiclass(k=k), k)
    assert predictions.SPARSE_OPTIONS[answer.index] == "They are equal"


@pytest.mark.parametrize(
    "batch_size, n, says",
    [
        (None, 200, "full batch"),
        (500, 200, "full batch"),
        (200, 200, "full batch"),
        (199, 200, "mini-batches of 199"),
        (1, 200, "mini-batches of 1"),
    ],
)
def test_the_descent_question_calls_a_batch_of_every_point_full(batch_size, n, says):
    # gradient_descent runs a batch of at least n points as full batch (its docstring).
    question = predictions.descent_question(
        "MSE", learning_rate=0.02, epochs=10, momentum=0.0, batch_size=batch_size, n=n
    )
    assert f"10 epochs, {says}:" in question and "momentum" not in question
