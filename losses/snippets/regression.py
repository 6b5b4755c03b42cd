"""The reproduce snippets of the regression losses (MSE, MAE, Huber, pseudo-Huber,
log-cosh, pinball), each loss's NumPy, PyTorch and Keras lines together.

NumPy writes the formula with the stable identities the core uses, so it matches `losses`
to ~1e-12. PyTorch and Keras call their own loss where its definition is ours (mse_loss,
l1_loss, huber_loss; MeanSquaredError, MeanAbsoluteError, Huber, LogCosh) and write the
formula in tensor ops where they have no such loss, with a comment saying so.
"""

from __future__ import annotations

from losses.snippets import TENSORS, Snippet, assign, keras_call

# ---------------------------------------------------------------- MSE


def _mse_numpy(task):
    return ["residual = y_pred - y_true", "per_sample = residual**2"]


def _mse_torch(task):
    return ['per_sample = F.mse_loss(y_pred, y_true, reduction="none")']


def _mse_keras(task):
    return keras_call("MeanSquaredError", per_row=False)


MSE = Snippet(numpy=_mse_numpy, torch=_mse_torch, keras=_mse_keras)

# ---------------------------------------------------------------- MAE


def _mae_numpy(task):
    return ["per_sample = np.abs(y_pred - y_true)"]


def _mae_torch(task):
    return ['per_sample = F.l1_loss(y_pred, y_true, reduction="none")']


def _mae_keras(task):
    return keras_call("MeanAbsoluteError", per_row=False)


MAE = Snippet(numpy=_mae_numpy, torch=_mae_torch, keras=_mae_keras)

# ---------------------------------------------------------------- Huber


def _huber_numpy(task):
    return assign(task, "delta") + [
        "abs_residual = np.abs(y_pred - y_true)",
        "# ½r² where |r| ≤ δ, δ(|r| − ½δ) beyond.",
        "per_sample = np.where(",
        "    abs_residual <= delta, 0.5 * abs_residual**2, delta * (abs_residual - 0.5 * delta)",
        ")",
    ]


def _huber_torch(task):
    return assign(task, "delta") + [
        "# huber_loss, not smooth_l1_loss: smooth_l1_loss(beta=δ) is huber_loss(delta=δ) / δ.",
        'per_sample = F.huber_loss(y_pred, y_true, reduction="none", delta=delta)',
    ]


def _huber_keras(task):
    return assign(task, "delta") + keras_call("Huber", "delta=delta", per_row=False)


HUBER = Snippet(numpy=_huber_numpy, torch=_huber_torch, keras=_huber_keras)

# ---------------------------------------------------------------- pseudo-Huber


def _pseudo_huber_numpy(task):
    return assign(task, "delta") + [
        "residual = y_pred - y_true",
        "# δ²(√(1 + (r/δ)²) − 1) = r² / (√(1 + (r/δ)²) + 1): no cancellation for small r.",
        "per_sample = residual**2 / (np.hypot(1.0, residual / delta) + 1.0)",
    ]


def _pseudo_huber_torch(task):
    return assign(task, "delta") + [
        "# torch has no pseudo-Huber loss: δ²(√(1 + (r/δ)²) − 1) = r² / (√(1 + (r/δ)²) + 1).",
        "residual = y_pred - y_true",
        "root = torch.hypot(torch.ones_like(residual), residual / delta)  # √(1 + (r/δ)²)",
        "per_sample = residual**2 / (root + 1.0)",
    ]


def _pseudo_huber_keras(task):
    return assign(task, "delta") + [
        "# Keras has no pseudo-Huber loss: written in keras.ops, as",
        "# δ²(√(1 + (r/δ)²) − 1) = r² / (√(1 + (r/δ)²) + 1) (no cancellation for small r).",
        *TENSORS,
        "residual = y_pred - y_true",
        "square = keras.ops.square(residual)",
        "per_sample = square / (keras.ops.sqrt(1.0 + keras.ops.square(residual / delta)) + 1.0)",
    ]


PSEUDO_HUBER = Snippet(
    numpy=_pseudo_huber_numpy, torch=_pseudo_huber_torch, keras=_pseudo_huber_keras
)

# ---------------------------------------------------------------- log-cosh


def _log_cosh_numpy(task):
    return [
        "abs_residual = np.abs(y_pred - y_true)",
        "# log cosh r = log1p(2 sinh²(r/2)) keeps the digits of r²/2 for small |r|;",
        "# |r| + log1p(exp(−2|r|)) − log 2 never overflows for large |r|. np.where evaluates",
        "# both, so the first sees min(|r|, 1) only.",
        "near_zero = np.log1p(2.0 * np.sinh(np.minimum(abs_residual, 1.0) / 2.0) ** 2)",
        "far = abs_residual + np.log1p(np.exp(-2.0 * abs_residual)) - np.log(2.0)",
        "per_sample = np.where(abs_residual < 1.0, near_zero, far)",
    ]


def _log_cosh_torch(task):
    return [
        "# torch has no log-cosh loss: log1p(2 sinh²(r/2)) for |r| < 1 (keeps the digits of",
        "# r²/2), |r| + log1p(exp(−2|r|)) − log 2 beyond (no overflow).",
        "abs_residual = torch.abs(y_pred - y_true)",
        "near_zero = torch.log1p(2.0 * torch.sinh(torch.clamp(abs_residual, max=1.0) / 2.0) ** 2)",
        "far = abs_residual + torch.log1p(torch.exp(-2.0 * abs_residual)) - np.log(2.0)",
        "per_sample = torch.where(abs_residual < 1.0, near_zero, far)",
    ]


def _log_cosh_keras(task):
    return [
        "# Keras computes r + softplus(−2r) − log 2, off by up to one rounding of log 2: in",
        "# float64 1.1e-16, more than the loss ≈ r²/2 itself for |r| below ~1.5e-8; in float32",
        "# 6e-8, more than the loss below ~3.5e-4. On the PyTorch backend log 2 is a float32",
        "# constant even with dtype='float64': off by 1.9e-9, more than the loss below ~6.2e-5.",
        *keras_call("LogCosh", per_row=False),
    ]


LOG_COSH = Snippet(numpy=_log_cosh_numpy, torch=_log_cosh_torch, keras=_log_cosh_keras)

# ---------------------------------------------------------------- pinball (quantile)


def _quantile_numpy(task):
    return assign(task, "tau") + [
        "shortfall = y_true - y_pred  # > 0 where the prediction is too low",
        "per_sample = np.maximum(tau * shortfall, (tau - 1.0) * shortfall)",
    ]


def _quantile_torch(task):
    return assign(task, "tau") + [
        "# torch has no pinball (quantile) loss: max(τd, (τ − 1)d) with d = y − ŷ.",
        "shortfall = y_true - y_pred",
        "per_sample = torch.maximum(tau * shortfall, (tau - 1.0) * shortfall)",
    ]


def _quantile_keras(task):
    return assign(task, "tau") + [
        "# Keras has no pinball (quantile) loss: max(τd, (τ − 1)d) with d = y − ŷ,",
        "# written in keras.ops.",
        *TENSORS,
        "shortfall = y_true - y_pred",
        "per_sample = keras.ops.maximum(tau * shortfall, (tau - 1.0) * shortfall)",
    ]


QUANTILE = Snippet(numpy=_quantile_numpy, torch=_quantile_torch, keras=_quantile_keras)
