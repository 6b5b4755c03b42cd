"""Reference values for every loss, each with its source named beside it.

Sources: scipy.special / scipy.stats 1.17, scikit-learn 1.9 metrics, and hand-derived
numbers with the arithmetic written out (Keras formulas are hand-derived: Keras is not
installed). No expected number here was taken from the output of `losses`.
The live comparison with PyTorch is in test_torch_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
from sklearn.metrics import hinge_loss, log_loss, mean_pinball_loss

import losses

LN10 = math.log(10.0)
EPS = 1e-7  # the default clip ε of bce / cce / kl (Keras' backend.epsilon())


def value_and_grad(loss_id, y_true, y_pred, **params):
    loss = losses.get(loss_id)
    return loss.value(y_true, y_pred, **params), loss.grad(y_true, y_pred, **params)


# ---------------------------------------------------------------- regression

Y_TRUE = np.array([1.0, -2.0, 0.5, 3.0])
Y_PRED = np.array([3.0, -2.5, 0.5, 0.0])  # residuals r = y_pred − y_true = [2, −0.5, 0, −3]


def test_mse_hand_derived():
    value, grad = value_and_grad("mse", Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(value, [4.0, 0.25, 0.0, 9.0])  # hand-derived: r² for each r
    np.testing.assert_array_equal(grad, [4.0, -1.0, 0.0, -6.0])  # hand-derived: 2r


def test_mae_hand_derived():
    value, grad = value_and_grad("mae", Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(value, [2.0, 0.5, 0.0, 3.0])  # hand-derived: |r|
    # hand-derived: sign(r), with 0 at the kink r = 0 (the subgradient torch's l1_loss takes).
    np.testing.assert_array_equal(grad, [1.0, -1.0, 0.0, -1.0])


def test_huber_hand_derived_keras_formula():
    # Keras Huber: where(|r| ≤ δ, ½r², δ|r| − ½δ²), here written out by hand.
    cases = [
        # (δ, r, value, grad)
        (1.0, 0.5, 0.5 * 0.5**2, 0.5),  # quadratic: ½·0.25 = 0.125
        (1.0, 2.0, 1.0 * 2.0 - 0.5, 1.0),  # linear: δ|r| − ½δ² = 1.5, grad clip(r) = δ
        (2.0, -3.0, 2.0 * 3.0 - 0.5 * 4.0, -2.0),  # linear: 6 − 2 = 4, grad −δ
        (0.3, 0.3, 0.5 * 0.09, 0.3),  # at the kink both branches give ½δ² = 0.045
        (0.3, -0.3, 0.5 * 0.09, -0.3),
    ]
    for delta, residual, expected_value, expected_grad in cases:
        value, grad = value_and_grad("huber", [0.0], [residual], delta=delta)
        assert value[0] == pytest.approx(expected_value, rel=1e-15)
        assert grad[0] == pytest.approx(expected_grad, rel=1e-15)


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5, 100.0])
def test_huber_matches_scipy(delta):
    residual = np.r_[np.linspace(-5, 5, 41), delta, -delta, 1e6, -1e6]
    value = losses.get("huber").value(np.zeros_like(residual), residual, delta=delta)
    expected = scipy.special.huber(delta, residual)  # scipy.special.huber(δ, r)
    np.testing.assert_allclose(value, expected, rtol=1e-14)


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5])
def test_pseudo_huber_matches_scipy(delta):
    residual = np.r_[np.linspace(-5, 5, 40), 1e3, -1e3]
    value, grad = value_and_grad("pseudo_huber", np.zeros_like(residual), residual, delta=delta)
    expected = scipy.special.pseudo_huber(delta, residual)  # scipy.special.pseudo_huber(δ, r)
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    # hand-derived: d/dr δ²(√(1 + (r/δ)²) − 1) = r / √(1 + (r/δ)²)
    np.testing.assert_allclose(grad, residual / np.sqrt(1 + (residual / delta) ** 2), rtol=1e-14)


def test_pseudo_huber_hand_derived_and_accurate_for_tiny_residuals():
    value, grad = value_and_grad("pseudo_huber", [0.0], [2.0], delta=1.0)
    assert value[0] == pytest.approx(math.sqrt(5.0) - 1.0, rel=1e-15)  # hand: 1·(√(1+4) − 1)
    assert grad[0] == pytest.approx(2.0 / math.sqrt(5.0), rel=1e-15)  # hand: 2/√5
    # Tiny r: δ²(√(1+u²) − 1) = r²/2 − r⁴/(8δ²) + …, u = r/δ (hand-derived Taylor series);
    # the textbook form cancels to 0 here, so the relative accuracy is what is tested.
    residual = np.array([1e-8, -1e-6, 1e-4, -3e-4])
    for delta in (0.5, 2.0):
        value = losses.get("pseudo_huber").value(np.zeros(4), residual, delta=delta)
        series = residual**2 / 2 - residual**4 / (8 * delta**2)
        np.testing.assert_allclose(value, series, rtol=1e-12)


def test_log_cosh_relative_accuracy_from_1e_8_to_1e6():
    loss = losses.get("log_cosh")
    # Small r: log cosh r = r²/2 − r⁴/12 + r⁶/45 − … (hand-derived Taylor series); the
    # dropped r⁶/45 term is below 1e-13 relative for |r| ≤ 1e-3.
    small = np.array([1e-8, -1e-7, 1e-6, 3e-5, -1e-4, 1e-3])
    np.testing.assert_allclose(
        loss.value(np.zeros(6), small), small**2 / 2 - small**4 / 12, rtol=1e-13
    )
    # Large r: log cosh r = |r| − log 2 + log(1 + e^{−2|r|}); the last term is below 5e-18
    # for |r| ≥ 20 (hand-derived).
    large = np.array([20.0, -35.0, 100.0, -1e3, 1e5, 1e6, -1e6])
    np.testing.assert_allclose(
        loss.value(np.zeros(7), large), np.abs(large) - math.log(2.0), rtol=1e-15
    )
    # In between, including both sides of the branch switch at |r| = 1: math.log(math.cosh(r)),
    # accurate here because cosh r ≥ 1.12 keeps the log away from cancellation.
    middle = np.array([0.5, -0.9999, 1.0, 1.0001, -1.5, 3.0, 10.0, -19.0])
    expected = [math.log(math.cosh(r)) for r in middle]
    np.testing.assert_allclose(loss.value(np.zeros(8), middle), expected, rtol=1e-14)


def test_log_cosh_matches_keras_formula_and_grad_is_tanh():
    residual = np.linspace(-30.0, 30.0, 61)
    residual = residual[residual != 0.0]
    value, grad = value_and_grad("log_cosh", np.zeros_like(residual), residual)
    # Keras LogCosh: x + softplus(−2x) − log 2 (hand-transcribed, softplus = logaddexp(0, ·)).
    keras = residual + np.logaddexp(0.0, -2.0 * residual) - math.log(2.0)
    np.testing.assert_allclose(value, keras, rtol=1e-12)
    np.testing.assert_allclose(grad, np.tanh(residual), rtol=1e-15)  # hand: d log cosh = tanh


def test_quantile_hand_derived():
    # τ = 0.9; d = y_true − y_pred: d = 2 → τd = 1.8; d = −2 → (τ − 1)d = 0.2; d = 0 → 0.
    value, grad = value_and_grad("quantile", [3.0, 1.0, 2.0], [1.0, 3.0, 2.0], tau=0.9)
    np.testing.assert_allclose(value, [0.9 * 2.0, 0.1 * 2.0, 0.0], rtol=1e-15)
    # hand-derived: −τ where the prediction is low, 1 − τ where high, 0 at the kink d = 0.
    np.testing.assert_allclose(grad, [-0.9, 1.0 - 0.9, 0.0], rtol=1e-15)


@pytest.mark.parametrize("tau", [0.1, 0.5, 0.9, 0.99])
def test_quantile_cost_matches_sklearn_mean_pinball_loss(tau):
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.normal(size=50), rng.normal(size=50)
    weights = rng.uniform(0.1, 2.0, 50)
    loss = losses.get("quantile")
    # sklearn.metrics.mean_pinball_loss(alpha=τ), scikit-learn 1.9
    assert loss.cost(y_true, y_pred, tau=tau) == pytest.approx(
        mean_pinball_loss(y_true, y_pred, alpha=tau), rel=1e-13
    )
    assert loss.cost(y_true, y_pred, sample_weight=weights, tau=tau) == pytest.approx(
        mean_pinball_loss(y_true, y_pred, alpha=tau, sample_weight=weights), rel=1e-13
    )


# ---------------------------------------------------------------- binary


def test_bce_cost_matches_sklearn_log_loss():
    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 2, 60).astype(float)
    probability = rng.uniform(0.01, 0.99, 60)
    weights = rng.uniform(0.1, 2.0, 60)
    loss = losses.get("bce")
    # sklearn.metrics.log_loss (unweighted mean and sample_weight), scikit-learn 1.9
    assert loss.cost(y_true, probability) == pytest.approx(
        log_loss(y_true, probability, labels=[0, 1]), rel=1e-13
    )
    assert loss.cost(y_true, probability, sample_weight=weights) == pytest.approx(
        log_loss(y_true, probability, labels=[0, 1], sample_weight=weights), rel=1e-13
    )


def test_bce_keras_clip_hand_derived():
    # Keras BinaryCrossentropy: p ← clip(p, ε, 1 − ε); −[y log p + (1 − y) log(1 − p)].
    value, grad = value_and_grad("bce", [1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0])
    expected = [
        7 * LN10,  # y=1, p=0 → −log ε = −log 1e-7 = 7 ln 10 ≈ 16.118
        -math.log1p(-EPS),  # y=0, p=0 → −log(1 − ε) ≈ 1e-7
        -math.log1p(-EPS),  # y=1, p=1 → −log(1 − ε)
        7 * LN10,  # y=0, p=1 → −log(1 − (1 − ε)) = −log ε
    ]
    np.testing.assert_allclose(value, expected, rtol=1e-8)
    # hand-derived: the clip is flat outside [ε, 1 − ε], so the gradient there is 0.
    np.testing.assert_array_equal(grad, 0.0)
    # A larger ε: y=1, p=0 → −log 1e-3 = 3 ln 10 (hand-derived).
    value = losses.get("bce").value([1.0], [0.0], eps=1e-3)
    assert value[0] == pytest.approx(3 * LN10, rel=1e-12)


def test_bce_is_flat_where_clipped():
    loss = losses.get("bce")
    y_true = np.array([1.0, 1.0, 1.0, 0.0, 0.0])
    inside_clip = np.array([0.0, EPS / 2, 1e-300, 1.0, 1.0 - EPS / 4])
    # hand-derived: every one of these is clipped to ε or 1 − ε, so the values agree.
    np.testing.assert_allclose(loss.value(y_true, inside_clip), 7 * LN10, rtol=1e-8)
    np.testing.assert_array_equal(loss.grad(y_true, inside_clip), 0.0)


def test_bce_weighted_smoothed_hand_derived():
    # pos_weight w = 3, label_smoothing 0.1 → t = y(1 − 0.1) + 0.1/2 (Keras' binary smoothing).
    # y = 1, p = 0.8: t = 0.95; −[3·0.95·ln 0.8 + 0.05·ln 0.2]                    (hand-derived)
    # y = 0, p = 0.8: t = 0.05; −[3·0.05·ln 0.8 + 0.95·ln 0.2]                    (hand-derived)
    params = {"pos_weight": 3.0, "label_smoothing": 0.1}
    value, grad = value_and_grad("bce", [1.0, 0.0], [0.8, 0.8], **params)
    expected = [
        -(3 * 0.95 * math.log(0.8) + 0.05 * math.log(0.2)),
        -(3 * 0.05 * math.log(0.8) + 0.95 * math.log(0.2)),
    ]
    np.testing.assert_allclose(value, expected, rtol=1e-14)
    # hand-derived: d/dp = −w·t/p + (1 − t)/(1 − p)
    expected_grad = [-3 * 0.95 / 0.8 + 0.05 / 0.2, -3 * 0.05 / 0.8 + 0.95 / 0.2]
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-14)


@pytest.mark.parametrize(("pos_weight", "label_smoothing"), [(1.0, 0.0), (3.0, 0.1), (0.2, 1.0)])
def test_bce_from_logits_matches_scipy_log_expit(pos_weight, label_smoothing):
    y_true = np.array([0.0, 1.0, 1.0, 0.0, 0.3, 1.0, 0.0])
    logits = np.array([-2.0, 3.5, -40.0, 40.0, 0.7, 1e4, -1e4])
    params = {"from_logits": True, "pos_weight": pos_weight, "label_smoothing": label_smoothing}
    value, grad = value_and_grad("bce", y_true, logits, **params)
    target = y_true * (1 - label_smoothing) + label_smoothing / 2  # Keras' binary smoothing
    # scipy.special.log_expit(z) = log σ(z); −[w·t·log σ(z) + (1 − t)·log σ(−z)]
    expected = -(
        pos_weight * target * scipy.special.log_expit(logits)
        + (1 - target) * scipy.special.log_expit(-logits)
    )
    np.testing.assert_allclose(value, expected, rtol=1e-14, atol=1e-300)
    # hand-derived: d/dz = −w·t·σ(−z) + (1 − t)·σ(z), with σ = scipy.special.expit
    expected_grad = -pos_weight * target * scipy.special.expit(-logits) + (
        1 - target
    ) * scipy.special.expit(logits)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-14, atol=1e-300)


FOCAL_Y = np.array([1.0, 0.0, 1.0, 0.0])
FOCAL_P = np.array([0.9, 0.9, 0.2, 0.2])
# hand-derived: focal = (1 − p_t)^γ · (−ln p_t), p_t = p if y = 1 else 1 − p, with γ = 2:
FOCAL_GAMMA_2 = [
    0.1**2 * -math.log(0.9),  # y=1, p=0.9: p_t = 0.9 → 0.01·0.10536 ≈ 0.0010536
    0.9**2 * -math.log(0.1),  # y=0, p=0.9: p_t = 0.1 → 0.81·2.302585 ≈ 1.86509
    0.8**2 * -math.log(0.2),  # y=1, p=0.2: p_t = 0.2 → 0.64·1.609438 ≈ 1.03004
    0.2**2 * -math.log(0.8),  # y=0, p=0.2: p_t = 0.8 → 0.04·0.223144 ≈ 0.0089257
]


def test_focal_hand_derived():
    loss = losses.get("focal")
    np.testing.assert_allclose(loss.value(FOCAL_Y, FOCAL_P), FOCAL_GAMMA_2, rtol=1e-14)
    # α = 0.25 weights positives by α and negatives by 1 − α (hand-derived: α_t·above).
    alpha_t = np.array([0.25, 0.75, 0.25, 0.75])
    np.testing.assert_allclose(
        loss.value(FOCAL_Y, FOCAL_P, alpha=0.25), alpha_t * FOCAL_GAMMA_2, rtol=1e-14
    )
    # The same probabilities given as logits z = log(p/(1 − p)) give the same values.
    logits = scipy.special.logit(FOCAL_P)
    np.testing.assert_allclose(
        loss.value(FOCAL_Y, logits, from_logits=True), FOCAL_GAMMA_2, rtol=1e-12
    )


def test_focal_soft_label_hand_derived_torchvision_formula():
    # torchvision.ops.sigmoid_focal_loss with a soft target y = 0.3 at p = 0.6, γ = 2, α = 0.25:
    # ce = −(0.3 ln 0.6 + 0.7 ln 0.4); p_t = 0.6·0.3 + 0.4·0.7 = 0.46; (1 − p_t)² = 0.54²;
    # α_t = 0.25·0.3 + 0.75·0.7 = 0.6                                            (hand-derived)
    ce = -(0.3 * math.log(0.6) + 0.7 * math.log(0.4))
    value = losses.get("focal").value([0.3], [0.6], alpha=0.25)
    assert value[0] == pytest.approx(0.6 * ce * 0.54**2, rel=1e-14)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
def test_focal_logit_grad_hand_derived_for_positive_labels(gamma):
    # y = 1, p = σ(z): d/dz [(1 − p)^γ·(−ln p)] = γ·p·(1 − p)^γ·ln p − (1 − p)^(γ+1)
    # (hand-derived with dp/dz = p(1 − p); γ = 0 gives p − 1 = σ(z) − y).
    # 1 − p = σ(−z) and ln p = log σ(z) from scipy.special, so no digits are lost at z = 12.
    logits = np.array([-6.0, -1.0, 0.0, 0.4, 3.0, 12.0, 40.0])
    p, one_minus_p = scipy.special.expit(logits), scipy.special.expit(-logits)
    log_p = scipy.special.log_expit(logits)
    expected = gamma * p * one_minus_p**gamma * log_p - one_minus_p ** (gamma + 1)
    grad = losses.get("focal").grad(np.ones(7), logits, gamma=gamma, from_logits=True)
    np.testing.assert_allclose(grad, expected, rtol=1e-12)


def test_hinge_hand_derived_keras_formula():
    # Keras Hinge: labels 0/1 → t = ±1; max(0, 1 − t·s).
    y_true = [1.0, 1.0, 0.0, 0.0, 1.0, 0.0]
    scores = [0.3, 2.0, 0.3, -2.0, 1.0, -1.0]
    value, grad = value_and_grad("hinge", y_true, scores)
    # hand-derived: 1 − 0.3 = 0.7; 1 − 2 < 0 → 0; 1 + 0.3 = 1.3; 1 − 2 < 0 → 0; 0 at t·s = 1
    np.testing.assert_allclose(value, [0.7, 0.0, 1.3, 0.0, 0.0, 0.0], rtol=1e-15)
    # hand-derived: −t inside the margin, 0 outside; at the kink t·s = 1 the gradient is 0.
    np.testing.assert_array_equal(grad, [-1.0, 0.0, 1.0, 0.0, 0.0, 0.0])


def test_hinge_cost_matches_sklearn_hinge_loss():
    rng = np.random.default_rng(5)
    y_true = rng.integers(0, 2, 40).astype(float)
    scores = rng.normal(0.0, 2.0, 40)
    weights = rng.uniform(0.1, 2.0, 40)
    loss = losses.get("hinge")
    # sklearn.metrics.hinge_loss maps labels {0, 1} to {−1, +1}, scikit-learn 1.9
    assert loss.cost(y_true, scores) == pytest.approx(hinge_loss(y_true, scores), rel=1e-13)
    assert loss.cost(y_true, scores, sample_weight=weights) == pytest.approx(
        hinge_loss(y_true, scores, sample_weight=weights), rel=1e-13
    )


# ---------------------------------------------------------------- multiclass


def test_cce_hand_derived():
    cce = losses.get("cce")
    one_hot = [[0.0, 1.0, 0.0]]
    # hand-derived: −ln 0.7 ≈ 0.356675
    assert cce.value(one_hot, [[0.2, 0.7, 0.1]])[0] == pytest.approx(-math.log(0.7), rel=1e-15)
    # Keras divides probability rows by their sum: [2, 7, 1]/10 = [0.2, 0.7, 0.1] → −ln 0.7.
    assert cce.value(one_hot, [[2.0, 7.0, 1.0]])[0] == pytest.approx(-math.log(0.7), rel=1e-15)
    # hand-derived gradient: for q = p/S, d/dp_i = (−y_i/q_i + Σ_j y_j)/S:
    # S = 1 → [1, 1 − 1/0.7, 1]; S = 10 → the same divided by 10.
    np.testing.assert_allclose(
        cce.grad(one_hot, [[0.2, 0.7, 0.1]]), [[1.0, 1.0 - 1 / 0.7, 1.0]], rtol=1e-14
    )
    np.testing.assert_allclose(
        cce.grad(one_hot, [[2.0, 7.0, 1.0]]), [[0.1, (1.0 - 1 / 0.7) / 10, 0.1]], rtol=1e-14
    )
    # Label smoothing 0.3 with k = 3: y → y·0.7 + 0.1 = [0.1, 0.8, 0.1] (Keras' rule);
    # −(0.1 ln 0.2 + 0.8 ln 0.7 + 0.1 ln 0.1)                                     (hand-derived)
    smoothed = -(0.1 * math.log(0.2) + 0.8 * math.log(0.7) + 0.1 * math.log(0.1))
    assert cce.value(one_hot, [[0.2, 0.7, 0.1]], label_smoothing=0.3)[0] == pytest.approx(
        smoothed, rel=1e-14
    )


def test_cce_from_logits_hand_derived():
    logits = [[1.0, 2.0, 3.0], [1e4, 0.0, -1e4]]
    y_true = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    value, grad = value_and_grad("cce", y_true, logits, from_logits=True)
    # hand-derived: −log softmax(z)_0 = log(e¹ + e² + e³) − 1 = log(1 + e + e²) ≈ 2.40761;
    # second row: −(0 − 1e4 − log(1 + e^{−1e4} + e^{−2e4})) = 1e4.
    np.testing.assert_allclose(value, [math.log(1 + math.e + math.e**2), 1e4], rtol=1e-15)
    # hand-derived: softmax(z) − y
    softmax = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(grad[0], softmax - [1.0, 0.0, 0.0], rtol=1e-14)
    np.testing.assert_allclose(grad[1], [1.0, -1.0, 0.0], atol=1e-300)


def test_cce_logit_gradient_keeps_relative_accuracy_when_softmax_saturates():
    # hand-derived: z = (40, 0, 0), true class 0: p₀ − 1 = −2e^{−40}/(1 + 2e^{−40}) and
    # p₁ = p₂ = e^{−40}/(1 + 2e^{−40}). p₀ − 1 computed naively rounds to 0.
    grad = losses.get("cce").grad([[1.0, 0.0, 0.0]], [[40.0, 0.0, 0.0]], from_logits=True)
    small = math.exp(-40) / (1 + 2 * math.exp(-40))
    np.testing.assert_allclose(grad[0], [-2 * small, small, small], rtol=1e-14)


def test_cce_keras_clip_hand_derived():
    # Keras: p ← clip(p / Σp, ε, 1 − ε).
    value = losses.get("cce").value([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[1.0, 0.0, 0.0]] * 2)
    # hand-derived: true class at p = 0 → −ln ε = 7 ln 10; at p = 1 → −ln(1 − ε) ≈ 1e-7.
    # (1 − ε rounds to the nearest double, which moves −ln(1 − ε) by ~5e-10 relative.)
    np.testing.assert_allclose(value, [7 * LN10, -math.log1p(-EPS)], rtol=1e-8)


def test_cce_and_sparse_cce_match_sklearn_log_loss():
    rng = np.random.default_rng(6)
    k, n = 5, 40
    labels = rng.integers(0, k, n)
    probabilities = rng.dirichlet(np.ones(k), n) * 0.98 + 0.02 / k  # entries ≥ 0.004 > ε
    weights = rng.uniform(0.1, 2.0, n)
    # sklearn.metrics.log_loss, scikit-learn 1.9
    expected = log_loss(labels, probabilities, labels=range(k))
    expected_weighted = log_loss(labels, probabilities, labels=range(k), sample_weight=weights)
    one_hot = np.eye(k)[labels]
    assert losses.get("cce").cost(one_hot, probabilities) == pytest.approx(expected, rel=1e-13)
    assert losses.get("sparse_cce").cost(labels, probabilities) == pytest.approx(
        expected, rel=1e-13
    )
    assert losses.get("sparse_cce").cost(
        labels, probabilities, sample_weight=weights
    ) == pytest.approx(expected_weighted, rel=1e-13)


def test_sparse_cce_hand_derived():
    value = losses.get("sparse_cce").value([1, 2], [[0.2, 0.7, 0.1], [0.2, 0.7, 0.1]])
    # hand-derived: −ln p of the labelled class, 0.7 for label 1 and 0.1 for label 2
    np.testing.assert_allclose(value, [-math.log(0.7), -math.log(0.1)], rtol=1e-15)


def test_kl_matches_scipy():
    rng = np.random.default_rng(7)
    y_true = rng.dirichlet(np.ones(4), 30)
    y_true[:10] = np.eye(4)[np.arange(10) % 4]  # one-hot rows: 0·log 0 = 0
    p = rng.dirichlet(np.ones(4), 30) * 0.99 + 0.0025  # entries ≥ 0.0025 > ε, rows sum to 1
    value = losses.get("kl").value(y_true, p)
    # scipy.special.rel_entr(y, p) summed over classes; scipy.stats.entropy(y, p) for rows of p
    # that sum to 1.
    np.testing.assert_allclose(value, scipy.special.rel_entr(y_true, p).sum(axis=1), rtol=1e-13)
    np.testing.assert_allclose(value, scipy.stats.entropy(y_true, p, axis=1), rtol=1e-12)


def test_kl_hand_derived():
    kl = losses.get("kl")
    # hand-derived: 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75) = 0.5 ln 2 + 0.5 ln(2/3) ≈ 0.143841
    value, grad = kl.value([[0.5, 0.5]], [[0.25, 0.75]]), kl.grad([[0.5, 0.5]], [[0.25, 0.75]])
    assert value[0] == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3), rel=1e-15)
    np.testing.assert_allclose(grad, [[-0.5 / 0.25, -0.5 / 0.75]], rtol=1e-15)  # hand: −y/p
    # y = [1, 0], p = [0, 1]: p clipped to ε → ln(1/ε) = 7 ln 10; grad 0 where clipped.
    # y = [1, 0], p = [1, 0]: 1·ln 1 + 0·log 0 = 0 (the convention 0·log 0 = 0).
    value = kl.value([[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(value, [7 * LN10, 0.0], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(
        kl.grad([[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]]), [[0.0, 0.0], [-1.0, 0.0]]
    )
