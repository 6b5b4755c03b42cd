"""One loss as a curve: its value and gradient along a single axis, for plotting.

Regression curves run along the residual r = ŷ − y; binary ones along the
predicted probability p or the raw score s (logit) for a fixed label; multi-class
ones along the probability given to the true class, the rest shared evenly.
Every point is computed by the registered loss itself, so a curve can never
disagree with the numbers the fits and tables show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from losses.spec import Loss

PROBABILITY = "probability"
SCORE = "score"


def regression_curve(loss: Loss, residual, **params) -> tuple[np.ndarray, np.ndarray]:
    """Loss and dℓ/dŷ at residuals r = ŷ − y, shape (n,) each (y = 0, ŷ = r)."""
    residual = np.asarray(residual, dtype=np.float64)
    y_true = np.zeros_like(residual)
    return loss.value(y_true, residual, **params), loss.grad(y_true, residual, **params)


def binary_axes(loss: Loss) -> tuple[str, ...]:
    """The axes a binary loss can be drawn along: probability needs a from_logits switch."""
    names = {spec.name for spec in loss.params}
    return (PROBABILITY, SCORE) if "from_logits" in names else (SCORE,)


def binary_curve(loss: Loss, axis_values, label: int, *, axis: str = PROBABILITY, **params):
    """Loss and its derivative along p (probability axis) or s (score axis), label fixed.

    ``axis_values`` shape (n,); returns (value, grad), each (n,). On the score axis
    a loss with a from_logits switch is evaluated with it on (the sigmoid applied
    inside); on the probability axis with it off.
    """
    if axis not in binary_axes(loss):
        raise ValueError(f"{loss.name} is defined on a raw score, not a probability.")
    if axis == PROBABILITY or "from_logits" in {spec.name for spec in loss.params}:
        params = {**params, "from_logits": axis == SCORE}
    axis_values = np.asarray(axis_values, dtype=np.float64)
    labels = np.full_like(axis_values, float(label))
    return loss.value(labels, axis_values, **params), loss.grad(labels, axis_values, **params)


def multiclass_curve(loss: Loss, true_class_probability, k: int, **params):
    """Loss and its derivative along p_true, the other k − 1 classes sharing 1 − p_true evenly.

    The derivative is the directional one along that path: ∂ℓ/∂p_true − Σ_{j≠true}
    ∂ℓ/∂p_j / (k − 1), from the loss's exact gradient (chain rule). Shapes (n,).
    """
    p_true = np.asarray(true_class_probability, dtype=np.float64)
    if k < 2:
        raise ValueError(f"need k ≥ 2 classes; got k={k}.")
    others = np.repeat(((1.0 - p_true) / (k - 1))[:, None], k - 1, axis=1)
    probabilities = np.column_stack([p_true, others])
    params = {**params, "from_logits": False} if _has(loss, "from_logits") else params
    if loss.label_form == "index":
        target = np.zeros(p_true.shape[0], dtype=np.int64)
    else:
        target = np.zeros_like(probabilities)
        target[:, 0] = 1.0
    value = loss.value(target, probabilities, **params)
    gradient = loss.grad(target, probabilities, **params)
    direction = np.concatenate([[1.0], np.full(k - 1, -1.0 / (k - 1))])
    return value, gradient @ direction


def _has(loss: Loss, name: str) -> bool:
    return any(spec.name == name for spec in loss.params)


def task_curves(
    task: str,
    chosen,
    axis_values,
    *,
    axis: str = PROBABILITY,
    label: int = 1,
    k: int = 3,
) -> list[tuple[Loss, np.ndarray, np.ndarray]]:
    """(loss, value, grad) along one shared axis for each (loss, params) in ``chosen``.

    Regression: residual axis; binary: probability or score axis for ``label``
    (losses not defined on that axis are left out); multi-class: p_true with k classes.
    """
    curves = []
    for loss, params in chosen:
        if loss.task != task:
            raise ValueError(f"{loss.name} is a {loss.task} loss, not a {task} one.")
        if task == "regression":
            value, grad = regression_curve(loss, axis_values, **params)
        elif task == "binary":
            if axis not in binary_axes(loss):
                continue
            value, grad = binary_curve(loss, axis_values, label, axis=axis, **params)
        else:
            value, grad = multiclass_curve(loss, axis_values, k, **params)
        curves.append((loss, value, grad))
    return curves


def point_table(curves, grad_title: str) -> pd.DataFrame:
    """One row per (loss, value, grad) of `task_curves` at a single point: name, ℓ, gradient."""
    return pd.DataFrame(
        {
            "loss": [loss.name for loss, _, _ in curves],
            "value ℓ": [float(value[0]) for _, value, _ in curves],
            f"gradient {grad_title}": [float(grad[0]) for _, _, grad in curves],
        }
    )
