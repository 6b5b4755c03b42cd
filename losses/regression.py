"""Per-sample regression losses and their exact derivatives w.r.t. the prediction.

Arguments are clean float64 arrays of shape (n,) (checked in `losses.spec`);
every function returns shape (n,). Residual r = y_pred - y_true throughout,
so d/d y_pred = d/d r.
"""

from __future__ import annotations

import numpy as np

LOG_2 = np.log(2.0)


def mse(y_true, y_pred):
    """r². Reference: torch.nn.functional.mse_loss(reduction="none")."""
    residual = y_pred - y_true
    return residual * residual


def mse_grad(y_true, y_pred):
    return 2.0 * (y_pred - y_true)


def mae(y_true, y_pred):
    """|r|. Reference: torch.nn.functional.l1_loss(reduction="none")."""
    return np.abs(y_pred - y_true)


def mae_grad(y_true, y_pred):
    # Subgradient sign(r), taking 0 at the kink r = 0 (as torch does).
    return np.sign(y_pred - y_true)


def huber(y_true, y_pred, *, delta):
    """½r² for |r| ≤ δ, else δ(|r| − ½δ). Reference: torch huber_loss, Keras Huber."""
    abs_residual = np.abs(y_pred - y_true)
    quadratic = np.minimum(abs_residual, delta)
    # Same value as the two-branch form, without np.where: ½q² + δ(|r| − q).
    return 0.5 * quadratic * quadratic + delta * (abs_residual - quadratic)


def huber_grad(y_true, y_pred, *, delta):
    return np.clip(y_pred - y_true, -delta, delta)


def pseudo_huber(y_true, y_pred, *, delta):
    """δ²(√(1 + (r/δ)²) − 1). Reference: scipy.special.pseudo_huber(δ, r)."""
    residual = y_pred - y_true
    # δ²(√(1+u²) − 1) = r² / (√(1+u²) + 1) with u = r/δ: no cancellation for small r;
    # hypot(1, u) = √(1+u²) without overflowing u².
    return residual * residual / (np.hypot(1.0, residual / delta) + 1.0)


def pseudo_huber_grad(y_true, y_pred, *, delta):
    residual = y_pred - y_true
    return residual / np.hypot(1.0, residual / delta)


def log_cosh(y_true, y_pred):
    """log cosh r, accurate from |r| = 1e-8 to beyond 1e6. Reference: Keras LogCosh."""
    abs_residual = np.abs(y_pred - y_true)
    # Small |r|: log cosh r = log1p(2 sinh²(r/2)) keeps the r²/2 digits that log(cosh r) loses.
    small = np.minimum(abs_residual, 1.0)
    near_zero = np.log1p(2.0 * np.sinh(0.5 * small) ** 2)
    # Large |r|: log cosh r = |r| + log1p(exp(-2|r|)) - log 2, no overflow in cosh.
    far = abs_residual + np.log1p(np.exp(-2.0 * abs_residual)) - LOG_2
    return np.where(abs_residual < 1.0, near_zero, far)


def log_cosh_grad(y_true, y_pred):
    return np.tanh(y_pred - y_true)


def quantile(y_true, y_pred, *, tau):
    """Pinball loss with d = y_true − y_pred: τd if d ≥ 0 else (τ − 1)d.

    Reference: sklearn.metrics.mean_pinball_loss(alpha=τ) is its mean.
    """
    shortfall = y_true - y_pred
    # + 0.0 turns the −0.0 that max(τ·0, (τ − 1)·0) can give into 0.0 (a "−0" on screen).
    return np.maximum(tau * shortfall, (tau - 1.0) * shortfall) + 0.0


def quantile_grad(y_true, y_pred, *, tau):
    # −τ where the prediction is too low, 1 − τ where too high; 0 at the kink d = 0.
    shortfall = y_true - y_pred
    return np.where(shortfall > 0, -tau, np.where(shortfall < 0, 1.0 - tau, 0.0))
