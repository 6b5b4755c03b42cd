"""lessons/curves.py: loss and gradient along one axis equal the registered loss called
directly and the hand derivations; the multi-class directional derivative matches a
finite difference along its path."""

from __future__ import annotations

import math

import numpy as np
import pytest

import losses
from lessons import curves


def fourth_order_derivative(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """(f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h, error O(h⁴) (central difference)."""
    return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)


# ---------------------------------------------------------------- regression


RESIDUALS = np.array([-3.0, -0.5, 0.25, 2.0])


def test_mse_curve_is_r_squared_with_gradient_2r():
    value, grad = curves.regression_curve(losses.get("mse"), RESIDUALS)
    np.testing.assert_allclose(value, [9.0, 0.25, 0.0625, 4.0])  # hand: r²
    np.testing.assert_allclose(grad, [-6.0, -1.0, 0.5, 4.0])  # hand: 2r


def test_huber_curve_switches_at_delta():
    value, grad = curves.regression_curve(losses.get("huber"), RESIDUALS, delta=1.0)
    # hand: |r| ≤ 1 → r²/2, slope r; |r| > 1 → |r| − 1/2, slope sign(r)
    np.testing.assert_allclose(value, [2.5, 0.125, 0.03125, 1.5])
    np.testing.assert_allclose(grad, [-1.0, -0.5, 0.25, 1.0])


def test_quantile_curve_charges_over_predictions_1_minus_tau():
    value, grad = curves.regression_curve(losses.get("quantile"), RESIDUALS, tau=0.9)
    # hand: r = ŷ − y > 0 is over-prediction, costing (1 − τ)·r; r < 0 costs τ·|r|
    np.testing.assert_allclose(value, [2.7, 0.45, 0.025, 0.2])
    np.testing.assert_allclose(grad, [-0.9, -0.9, 0.1, 0.1])


def test_log_cosh_and_pseudo_huber_curves():
    r = np.array([1.0, -3.0])
    value, grad = curves.regression_curve(losses.get("log_cosh"), r)
    np.testing.assert_allclose(value, [math.log(math.cosh(1.0)), math.log(math.cosh(3.0))])
    np.testing.assert_allclose(grad, [math.tanh(1.0), math.tanh(-3.0)])
    value, grad = curves.regression_curve(losses.get("pseudo_huber"), r, delta=2.0)
    # hand: δ²(√(1 + (r/δ)²) − 1), slope r / √(1 + (r/δ)²)
    np.testing.assert_allclose(value, [4 * (math.sqrt(1.25) - 1), 4 * (math.sqrt(3.25) - 1)])
    np.testing.assert_allclose(grad, [1 / math.sqrt(1.25), -3 / math.sqrt(3.25)])


@pytest.mark.parametrize("loss", losses.by_task("regression"), ids=lambda loss: loss.id)
def test_regression_curve_equals_the_loss_at_any_target(loss):
    # Every regression loss depends on r = ŷ − y only, so y = 7 gives the same curve.
    y = np.full_like(RESIDUALS, 7.0)
    value, grad = curves.regression_curve(loss, RESIDUALS)
    np.testing.assert_allclose(value, loss.value(y, y + RESIDUALS), atol=1e-12)
    np.testing.assert_allclose(grad, loss.grad(y, y + RESIDUALS), atol=1e-12)


# ---------------------------------------------------------------- binary


def test_bce_on_probability_is_minus_log_p():
    bce = losses.get("bce")
    value, grad = curves.binary_curve(bce, [0.1, 0.5], 1)
    np.testing.assert_allclose(value, [-math.log(0.1), math.log(2.0)])  # hand: −log p
    np.testing.assert_allclose(grad, [-10.0, -2.0])  # hand: −1/p
    value, grad = curves.binary_curve(bce, [0.1], 0)
    np.testing.assert_allclose(value, [-math.log(0.9)])  # hand: −log(1 − p)
    np.testing.assert_allclose(grad, [1 / 0.9])  # hand: 1/(1 − p)


def test_bce_positive_weight_scales_positives_only():
    bce = losses.get("bce")
    value, _ = curves.binary_curve(bce, [0.1], 1, pos_weight=3.0)
    np.testing.assert_allclose(value, [-3 * math.log(0.1)])  # hand: −w·log p
    value, _ = curves.binary_curve(bce, [0.1], 0, pos_weight=3.0)
    np.testing.assert_allclose(value, [-math.log(0.9)])


def test_bce_on_score_is_softplus_with_gradient_sigmoid_minus_y():
    bce = losses.get("bce")
    s = np.array([0.0, 2.0, -1.0])
    value, grad = curves.binary_curve(bce, s, 1, axis=curves.SCORE)
    sigmoid = 1 / (1 + np.exp(-s))
    np.testing.assert_allclose(value, np.log1p(np.exp(-s)))  # hand: −log σ(s) = log(1 + e^−s)
    np.testing.assert_allclose(grad, sigmoid - 1.0)  # hand: σ(s) − y


def test_the_axis_decides_from_logits_not_the_caller():
    bce = losses.get("bce")
    value, _ = curves.binary_curve(bce, [0.0], 1, axis=curves.SCORE, from_logits=False)
    np.testing.assert_allclose(value, [math.log(2.0)])  # s = 0 means p = ½
    value, _ = curves.binary_curve(bce, [0.5], 1, axis=curves.PROBABILITY, from_logits=True)
    np.testing.assert_allclose(value, [math.log(2.0)])


def test_focal_on_probability():
    focal = losses.get("focal")
    value, _ = curves.binary_curve(focal, [0.1, 0.9], 1, gamma=2.0)
    # hand: −(1 − p)^γ log p
    np.testing.assert_allclose(value, [-(0.9**2) * math.log(0.1), -(0.1**2) * math.log(0.9)])
    plain, _ = curves.binary_curve(focal, [0.1, 0.9], 1, gamma=0.0)
    np.testing.assert_allclose(plain, [-math.log(0.1), -math.log(0.9)])  # γ = 0 is BCE


def test_hinge_is_drawn_on_the_score_only():
    hinge = losses.get("hinge")
    assert curves.binary_axes(hinge) == (curves.SCORE,)
    assert curves.binary_axes(losses.get("bce")) == (curves.PROBABILITY, curves.SCORE)
    with pytest.raises(ValueError, match="score"):
        curves.binary_curve(hinge, [0.5], 1, axis=curves.PROBABILITY)
    with pytest.raises(ValueError):
        curves.binary_curve(hinge, [0.5], 1)  # the default axis is the probability
    value, grad = curves.binary_curve(hinge, [-1.0, 0.5, 2.0], 1, axis=curves.SCORE)
    np.testing.assert_allclose(value, [2.0, 0.5, 0.0])  # hand: max(0, 1 − s) for y = 1
    np.testing.assert_allclose(grad, [-1.0, -1.0, 0.0])
    value, grad = curves.binary_curve(hinge, [0.5], 0, axis=curves.SCORE)
    np.testing.assert_allclose(value, [1.5])  # hand: max(0, 1 + s) for y = 0
    np.testing.assert_allclose(grad, [1.0])


def test_unknown_axis_is_refused():
    with pytest.raises(ValueError):
        curves.binary_curve(losses.get("bce"), [0.5], 1, axis="margin")


@pytest.mark.parametrize("loss", losses.by_task("binary"), ids=lambda loss: loss.id)
@pytest.mark.parametrize("label", [0, 1])
def test_binary_curve_equals_the_loss_called_directly(loss, label):
    s = np.linspace(-4.0, 4.0, 9)
    labels = np.full_like(s, float(label))
    value, grad = curves.binary_curve(loss, s, label, axis=curves.SCORE)
    on = {"from_logits": True} if curves.PROBABILITY in curves.binary_axes(loss) else {}
    np.testing.assert_allclose(value, loss.value(labels, s, **on))
    np.testing.assert_allclose(grad, loss.grad(labels, s, **on))
    if curves.PROBABILITY in curves.binary_axes(loss):
        p = np.linspace(0.05, 0.95, 7)
        value, grad = curves.binary_curve(loss, p, label)
        labels = np.full_like(p, float(label))
        np.testing.assert_allclose(value, loss.value(labels, p, from_logits=False))
        np.testing.assert_allclose(grad, loss.grad(labels, p, from_logits=False))


# ---------------------------------------------------------------- multi-class

P_TRUE = np.linspace(0.05, 0.95, 10)


@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce", "kl"])
def test_multiclass_curve_is_minus_log_p_true_for_a_one_hot_target(loss_id):
    # hand: −Σ y_j log p_j with y one-hot on the true class; KL adds Σ y log y = 0
    value, grad = curves.multiclass_curve(losses.get(loss_id), P_TRUE, 4)
    np.testing.assert_allclose(value, -np.log(P_TRUE), rtol=1e-12)
    np.testing.assert_allclose(grad, -1 / P_TRUE, rtol=1e-9)


def test_label_smoothing_curve_and_slope_by_hand():
    ls, k = 0.2, 3
    value, grad = curves.multiclass_curve(losses.get("cce"), P_TRUE, k, label_smoothing=ls)
    # hand: targets (1 − ls + ls/k) on the true class and ls/k on each other class, whose
    # probability is (1 − p)/(k − 1) on this path
    on, off = 1 - ls + ls / k, ls / k
    expected = -on * np.log(P_TRUE) - (k - 1) * off * np.log((1 - P_TRUE) / (k - 1))
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    np.testing.assert_allclose(grad, -on / P_TRUE + (k - 1) * off / (1 - P_TRUE), rtol=1e-9)


@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce", "kl"])
@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_directional_derivative_matches_a_finite_difference(loss_id, k, label_smoothing):
    loss = losses.get(loss_id)
    params = {"label_smoothing": label_smoothing} if loss_id != "kl" else {}
    p = np.linspace(0.1, 0.9, 9)

    def along_path(t):
        return curves.multiclass_curve(loss, t, k, **params)[0]

    _, grad = curves.multiclass_curve(loss, p, k, **params)
    np.testing.assert_allclose(grad, fourth_order_derivative(along_path, p), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce", "kl"])
def test_multiclass_curve_equals_the_loss_called_directly(loss_id):
    loss, k = losses.get(loss_id), 5
    rows = np.column_stack([P_TRUE, np.repeat(((1 - P_TRUE) / (k - 1))[:, None], k - 1, 1)])
    target = np.zeros(len(P_TRUE), dtype=int) if loss_id == "sparse_cce" else np.eye(k)[[0] * 10]
    value, _ = curves.multiclass_curve(loss, P_TRUE, k)
    np.testing.assert_allclose(value, loss.value(target, rows))


def test_multiclass_curve_is_on_probabilities_even_if_asked_for_logits():
    value, _ = curves.multiclass_curve(losses.get("cce"), [0.5], 3, from_logits=True)
    np.testing.assert_allclose(value, [math.log(2.0)])


def test_multiclass_curve_needs_two_classes():
    with pytest.raises(ValueError, match="k"):
        curves.multiclass_curve(losses.get("cce"), [0.5], 1)
