"""`lessons.curves.task_curves`: several losses along one shared axis."""

import math

import numpy as np
import pytest

import losses
from lessons.curves import PROBABILITY, SCORE, point_table, task_curves


def test_regression_curves_at_a_residual():
    chosen = [(losses.get("mse"), {}), (losses.get("huber"), {"delta": 1.0})]
    (mse, mse_value, mse_grad), (huber, huber_value, huber_grad) = task_curves(
        "regression", chosen, np.array([1.5])
    )
    # Hand-derived at r = 1.5: r² = 2.25, 2r = 3; Huber δ=1: δ(|r| − δ/2) = 1, clip(r) = 1.
    assert (mse.id, huber.id) == ("mse", "huber")
    assert (mse_value[0], mse_grad[0], huber_value[0], huber_grad[0]) == (2.25, 3.0, 1.0, 1.0)


def test_hinge_is_left_out_on_the_probability_axis_and_kept_on_the_score_axis():
    chosen = [(losses.get("bce"), {}), (losses.get("hinge"), {})]
    on_p = task_curves("binary", chosen, np.array([0.3]), axis=PROBABILITY, label=1)
    on_s = task_curves("binary", chosen, np.array([-1.0]), axis=SCORE, label=1)
    assert [loss.id for loss, _, _ in on_p] == ["bce"]
    # Hand-derived: −log 0.3; on the score axis bce = log(1 + e^{1}), hinge = max(0, 1 + 1) = 2.
    assert on_p[0][1][0] == pytest.approx(-math.log(0.3))
    assert on_s[0][1][0] == pytest.approx(math.log1p(math.e))
    assert on_s[1][1][0] == 2.0


def test_multiclass_curves_are_minus_log_p_true_for_one_hot_targets():
    chosen = [(losses.get(i), {}) for i in ("cce", "sparse_cce", "kl")]
    for _, value, grad in task_curves("multiclass", chosen, np.array([0.25]), k=4):
        # Hand-derived: −log p_true, and d/dp_true of −log p_true along the path is −1/p_true.
        assert value[0] == pytest.approx(-math.log(0.25))
        assert grad[0] == pytest.approx(-4.0)


def test_a_loss_of_another_task_is_refused():
    with pytest.raises(ValueError, match="is a binary loss"):
        task_curves("regression", [(losses.get("bce"), {})], np.array([0.5]))


def test_point_table_has_one_row_per_drawn_loss():
    chosen = [(losses.get("mse"), {}), (losses.get("mae"), {})]
    table = point_table(task_curves("regression", chosen, np.array([-2.0])), "∂ℓ/∂ŷ")
    # Hand-derived at r = −2: MSE 4 (gradient −4), MAE 2 (gradient −1).
    assert list(table.columns) == ["loss", "value ℓ", "gradient ∂ℓ/∂ŷ"]
    assert list(table["loss"]) == ["Mean squared error (MSE)", "Mean absolute error (MAE)"]
    assert list(table["value ℓ"]) == [4.0, 2.0]
    assert list(table["gradient ∂ℓ/∂ŷ"]) == [-4.0, -1.0]
