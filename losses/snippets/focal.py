"""The reproduce snippets of the focal loss, in NumPy, PyTorch and Keras.

torch has no focal loss (torchvision's sigmoid_focal_loss is outside torch): tensor ops.
Keras' BinaryFocalCrossentropy clips p only inside its cross-entropy, not in p_t, and makes
p = σ(z) first: the script uses it only while no p (or σ(z)) of the data reaches the clip,
and writes the loss in keras.ops otherwise.
"""

from __future__ import annotations

import numpy as np

from losses.snippets import KERAS_EPSILON, TENSORS, Snippet, assign, keras_call

# σ(16) = 1 − 1.1e-7: up to |z| = 16 Keras' focal loss leaves σ(z) inside its clip.
FOCAL_LOGIT_LIMIT = 16.0


def focal_parameters(task) -> list[str]:
    """``gamma = …`` and ``alpha = …``, or a comment saying alpha None weights nothing."""
    if task.params["alpha"] is None:
        return assign(task, "gamma") + ["# alpha = None: no class weighting (α_t = 1)."]
    return assign(task, "gamma", "alpha")


def focal_alpha(task) -> list[str]:
    """The α_t weighting line (none for alpha None)."""
    if task.params["alpha"] is None:
        return []
    return [
        "# α_t: α for positives, 1 − α for negatives.",
        "per_sample = per_sample * (alpha * y_true + (1.0 - alpha) * (1.0 - y_true))",
    ]


def _numpy(task):
    lines = focal_parameters(task)
    if task.from_logits:
        lines += [
            "# Cross-entropy with softplus(∓z) = −log σ(±z); σ(z) = exp(−softplus(−z)).",
            "ce = y_true * np.logaddexp(0.0, -y_pred) + (1.0 - y_true) * np.logaddexp(0.0, y_pred)",
            "# q = 1 − p_t, a sum of non-negative terms: exact even where σ(z) saturates.",
            "q = (1.0 - y_true) * np.exp(-np.logaddexp(0.0, -y_pred)) + y_true * np.exp(",
            "    -np.logaddexp(0.0, y_pred)",
            ")",
        ]
    else:
        lines += [
            "# Clipped to [1e-7, 1 − 1e-7], as BCE's default.",
            "p = np.clip(y_pred, 1e-07, 1.0 - 1e-07)",
            "ce = -(y_true * np.log(p) + (1.0 - y_true) * np.log1p(-p))",
            "q = p * (1.0 - y_true) + (1.0 - p) * y_true  # 1 − p_t",
        ]
    return lines + ["per_sample = ce * q**gamma"] + focal_alpha(task)


def _torch(task):
    lines = focal_parameters(task) + [
        "# torch has no focal loss (torchvision.ops.sigmoid_focal_loss is outside torch):",
        "# written in tensor ops.",
    ]
    if task.from_logits:
        lines += [
            "# softplus(x) = logaddexp(0, x), exact for every x (F.softplus returns x above 20).",
            "zero = torch.zeros_like(y_pred)",
            "ce = y_true * torch.logaddexp(zero, -y_pred) + (1.0 - y_true) * torch.logaddexp(",
            "    zero, y_pred",
            ")",
            "# q = 1 − p_t.",
            "q = (1.0 - y_true) * torch.sigmoid(y_pred) + y_true * torch.sigmoid(-y_pred)",
        ]
    else:
        lines += [
            "p = torch.clamp(y_pred, 1e-07, 1.0 - 1e-07)  # as BCE's default clip",
            "ce = -(y_true * torch.log(p) + (1.0 - y_true) * torch.log1p(-p))",
            "q = p * (1.0 - y_true) + (1.0 - p) * y_true  # 1 − p_t",
        ]
    return lines + ["per_sample = ce * q**gamma"] + focal_alpha(task)


def _fits_keras(task) -> bool:
    """Whether Keras' class gives our numbers: no p (or σ(z)) of the data reaches its clip."""
    if task.from_logits:
        return bool(np.abs(task.y_pred).max() <= FOCAL_LOGIT_LIMIT)
    low, high = task.y_pred.min(), task.y_pred.max()
    return bool(low >= KERAS_EPSILON and high <= 1.0 - KERAS_EPSILON)


def _keras(task):
    lines = focal_parameters(task)
    if _fits_keras(task):
        if task.params["alpha"] is None:
            arguments = "apply_class_balancing=False, gamma=gamma"
        else:
            arguments = "apply_class_balancing=True, alpha=alpha, gamma=gamma"
        arguments += f", from_logits={task.from_logits}"
        return lines + keras_call("BinaryFocalCrossentropy", arguments, per_row=False)
    lines += [
        "# Keras' BinaryFocalCrossentropy leaves p_t unclipped (and, with logits, clips σ(z)),",
        "# which differs from ours where p reaches the clip, as here: written in keras.ops.",
        *TENSORS,
    ]
    if task.from_logits:
        lines += [
            "ce = y_true * keras.ops.softplus(-y_pred) + (1.0 - y_true) * keras.ops.softplus(",
            "    y_pred",
            ")",
            "q = (1.0 - y_true) * keras.ops.sigmoid(y_pred) + y_true * keras.ops.sigmoid(-y_pred)",
        ]
    else:
        lines += [
            "# Bounds as a float64 tensor: keras.ops.clip would make a Python float a float32 one.",
            'eps = keras.ops.convert_to_tensor(1e-07, dtype="float64")',
            "p = keras.ops.clip(y_pred, eps, 1.0 - eps)",
            "ce = -(y_true * keras.ops.log(p) + (1.0 - y_true) * keras.ops.log1p(-p))",
            "q = p * (1.0 - y_true) + (1.0 - p) * y_true  # 1 − p_t",
        ]
    return lines + ["per_sample = ce * q**gamma"] + focal_alpha(task)


FOCAL = Snippet(numpy=_numpy, torch=_torch, keras=_keras)
