"""Identities between losses: limits of a parameter, and one loss expressed through another."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

import losses

RNG = np.random.default_rng(11)
Y_TRUE = RNG.normal(0.0, 2.0, 200)
# Offsets from 1e-8 to 1e3 in size, both signs, plus exact zeros.
OFFSETS = np.r_[
    np.geomspace(1e-8, 1e3, 90), -np.geomspace(1e-8, 1e3, 90), np.zeros(5), RNG.normal(0, 5, 15)
]
Y_PRED = Y_TRUE + OFFSETS
RESIDUALS = Y_PRED - Y_TRUE  # the residuals as the losses see them, after rounding


def test_huber_with_huge_delta_is_half_mse():
    huber, mse = losses.get("huber"), losses.get("mse")
    # |r| ≤ 1e3 < δ = 1e6, so every residual is on the quadratic branch ½r².
    np.testing.assert_allclose(
        huber.value(Y_TRUE, Y_PRED, delta=1e6), 0.5 * mse.value(Y_TRUE, Y_PRED), rtol=1e-15
    )
    np.testing.assert_allclose(
        huber.grad(Y_TRUE, Y_PRED, delta=1e6), 0.5 * mse.grad(Y_TRUE, Y_PRED), rtol=1e-15
    )


@pytest.mark.parametrize("delta", [1e-6, 1e-3])
def test_huber_with_tiny_delta_approaches_delta_times_mae(delta):
    huber, mae = losses.get("huber"), losses.get("mae")
    gap = huber.value(Y_TRUE, Y_PRED, delta=delta) - delta * mae.value(Y_TRUE, Y_PRED)
    # hand-derived bound: for |r| ≤ δ, ½r² − δ|r| ∈ [−½δ², 0]; for |r| > δ the gap is −½δ².
    # So |huber − δ·|r|| ≤ δ²/2 (rounding adds at most a few ulps of δ·|r|).
    slack = 4 * np.finfo(float).eps * delta * mae.value(Y_TRUE, Y_PRED)
    assert np.all(np.abs(gap) <= delta**2 / 2 + slack)
    assert np.all(gap <= slack)
    # The gradient is δ·sign(r) wherever |r| > δ.
    outside = np.abs(RESIDUALS) > delta
    np.testing.assert_array_equal(
        huber.grad(Y_TRUE, Y_PRED, delta=delta)[outside],
        delta * mae.grad(Y_TRUE, Y_PRED)[outside],
    )


def test_quantile_at_the_median_is_half_mae():
    quantile, mae = losses.get("quantile"), losses.get("mae")
    np.testing.assert_allclose(
        quantile.value(Y_TRUE, Y_PRED, tau=0.5), 0.5 * mae.value(Y_TRUE, Y_PRED), rtol=1e-15
    )
    np.testing.assert_allclose(
        quantile.grad(Y_TRUE, Y_PRED, tau=0.5), 0.5 * mae.grad(Y_TRUE, Y_PRED), rtol=1e-15
    )


def test_pseudo_huber_is_between_half_mse_and_delta_mae_limits():
    # hand-derived: δ²(√(1+u²) − 1) ≤ ½r² (since √(1+x) ≤ 1 + x/2) and ≤ δ|r|
    # (since √(1+u²) ≤ 1 + |u|); both limits are approached as |r|/δ → 0 and → ∞.
    pseudo, huber = losses.get("pseudo_huber"), losses.get("huber")
    for delta in (0.1, 1.0, 10.0):
        value = pseudo.value(Y_TRUE, Y_PRED, delta=delta)
        assert np.all(value <= 0.5 * RESIDUALS**2 * (1 + 1e-15))
        assert np.all(value <= delta * np.abs(RESIDUALS) * (1 + 1e-15))
        # and it never exceeds huber at the same δ (which is the smaller of those two pieces).
        assert np.all(value <= huber.value(Y_TRUE, Y_PRED, delta=delta) * (1 + 1e-15))


# ---------------------------------------------------------------- classification

K = 5
LABELS = RNG.integers(0, K, 50)
ONE_HOT = np.eye(K)[LABELS]
LOGITS = RNG.normal(0.0, 3.0, (50, K))
PROBABILITY_ROWS = RNG.dirichlet(np.ones(K), 50) * 0.95 + 0.01  # entries ≥ 0.01, sum to 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from_logits": True},
        {"from_logits": True, "label_smoothing": 0.2},
        {"label_smoothing": 0.1, "eps": 1e-3},
    ],
)
def test_sparse_cce_equals_cce_on_one_hot(params):
    sparse, cce = losses.get("sparse_cce"), losses.get("cce")
    y_pred = LOGITS if params.get("from_logits") else PROBABILITY_ROWS * 1.7
    np.testing.assert_array_equal(
        sparse.value(LABELS, y_pred, **params), cce.value(ONE_HOT, y_pred, **params)
    )
    np.testing.assert_array_equal(
        sparse.grad(LABELS, y_pred, **params), cce.grad(ONE_HOT, y_pred, **params)
    )
    # Labels given as whole-number floats are the same labels.
    np.testing.assert_array_equal(
        sparse.value(LABELS.astype(float), y_pred, **params),
        sparse.value(LABELS, y_pred, **params),
    )


@pytest.mark.parametrize(("pos_weight", "label_smoothing"), [(1.0, 0.0), (3.0, 0.1)])
def test_bce_from_logits_equals_bce_on_sigmoid(pos_weight, label_smoothing):
    bce = losses.get("bce")
    y_true = np.r_[RNG.integers(0, 2, 40), RNG.uniform(0, 1, 10)]
    logits = np.linspace(-12.0, 12.0, 50)  # σ(z) ∈ [6e-6, 1 − 6e-6]: inside the ε clip
    probability = scipy.special.expit(logits)
    params = {"pos_weight": pos_weight, "label_smoothing": label_smoothing}
    np.testing.assert_allclose(
        bce.value(y_true, logits, from_logits=True, **params),
        bce.value(y_true, probability, **params),
        rtol=1e-10,
    )
    # Chain rule: d/dz = d/dp · σ'(z), σ'(z) = σ(z)·σ(−z).
    np.testing.assert_allclose(
        bce.grad(y_true, logits, from_logits=True, **params),
        bce.grad(y_true, probability, **params) * probability * scipy.special.expit(-logits),
        rtol=1e-9,
        atol=1e-15,
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_cce_with_two_classes_equals_bce(label_smoothing):
    cce, bce = losses.get("cce"), losses.get("bce")
    y = np.r_[RNG.integers(0, 2, 30), RNG.uniform(0, 1, 10)]
    p = RNG.uniform(0.01, 0.99, 40)
    rows_true, rows_pred = np.c_[1 - y, y], np.c_[1 - p, p]
    # k = 2: categorical smoothing ls/k equals binary smoothing ls/2.
    np.testing.assert_allclose(
        cce.value(rows_true, rows_pred, label_smoothing=label_smoothing),
        bce.value(y, p, label_smoothing=label_smoothing),
        rtol=1e-13,
    )
    # With logits: softmax([0, z]) = [1 − σ(z), σ(z)], and d/dz₁ = σ(z) − y as for bce.
    z = RNG.normal(0.0, 4.0, 40)
    params = {"from_logits": True, "label_smoothing": label_smoothing}
    logit_rows = np.c_[np.zeros(40), z]
    np.testing.assert_allclose(
        cce.value(rows_true, logit_rows, **params), bce.value(y, z, **params), rtol=1e-13
    )
    np.testing.assert_allclose(
        cce.grad(rows_true, logit_rows, **params)[:, 1],
        bce.grad(y, z, **params),
        rtol=1e-12,
        atol=1e-16,
    )


def test_kl_equals_cce_minus_entropy_of_y():
    kl, cce = losses.get("kl"), losses.get("cce")
    y = np.r_[RNG.dirichlet(np.ones(K), 40), ONE_HOT[:10]]
    p = RNG.dirichlet(np.ones(K), 50) * 0.9 + 0.02  # rows sum to 1, entries in [0.02, 0.92]
    entropy = scipy.special.entr(y).sum(axis=1)  # scipy.special.entr: −y log y, 0 at y = 0
    np.testing.assert_allclose(kl.value(y, p), cce.value(y, p) - entropy, rtol=1e-12, atol=1e-15)
    # Gradients: cce divides p by its row sum, kl does not. On rows that sum to 1 the
    # normalisation adds Σⱼ yⱼ = 1 to every entry (hand-derived chain rule), so the two
    # agree along the simplex: cce grad = kl grad + 1.
    np.testing.assert_allclose(cce.grad(y, p), kl.grad(y, p) + 1.0, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("from_logits", [False, True])
def test_focal_with_gamma_0_and_no_alpha_is_bce(from_logits):
    focal, bce = losses.get("focal"), losses.get("bce")
    y = np.r_[RNG.integers(0, 2, 40), RNG.uniform(0, 1, 10)]
    if from_logits:
        y_pred = np.r_[RNG.normal(0.0, 5.0, 46), -1e4, 1e4, -30.0, 30.0]
    else:
        y_pred = np.r_[RNG.uniform(0.0, 1.0, 46), 0.0, 1.0, 1e-9, 1 - 1e-12]
    params = {"gamma": 0.0, "alpha": None, "from_logits": from_logits}
    np.testing.assert_allclose(
        focal.value(y, y_pred, **params),
        bce.value(y, y_pred, from_logits=from_logits),
        rtol=1e-13,
        atol=1e-300,
    )
    np.testing.assert_allclose(
        focal.grad(y, y_pred, **params),
        bce.grad(y, y_pred, from_logits=from_logits),
        rtol=1e-12,
        atol=1e-300,
    )


def test_focal_alpha_is_a_per_class_weight():
    focal = losses.get("focal")
    y = RNG.integers(0, 2, 30).astype(float)
    p = RNG.uniform(0.01, 0.99, 30)
    alpha_t = np.where(y == 1, 0.25, 0.75)  # α for positives, 1 − α for negatives
    np.testing.assert_allclose(
        focal.value(y, p, alpha=0.25), alpha_t * focal.value(y, p), rtol=1e-15
    )
    np.testing.assert_allclose(focal.grad(y, p, alpha=0.25), alpha_t * focal.grad(y, p), rtol=1e-15)
