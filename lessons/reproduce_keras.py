"""The Keras 3 script of `lessons.reproduce`, asked for in float64, on any backend.

The `keras.losses` class where it computes our number (``reduction=None`` for per-sample
values, ``dtype="float64"``): MeanSquaredError, MeanAbsoluteError, Huber, LogCosh,
BinaryCrossentropy, BinaryFocalCrossentropy, Hinge, CategoricalCrossentropy,
SparseCategoricalCrossentropy, KLDivergence. `keras.ops` where Keras has no such loss
(pseudo-Huber, pinball) or defines it otherwise for the data at hand (pos_weight; focal's
unclipped p_t outside the clip; KL's clip of y_true, which turns 0·log 0 into ε·log(ε/p)).
Keras clips probabilities with ``keras.config.epsilon()`` (1e-7), set to the page's ε when it
differs. A clip the script writes itself takes its bounds as float64 tensors: keras.ops.clip
turns a Python float into a float32 tensor, which moves 1 − 1e-7 to 1 − 1.19e-7. Keras' type
promotion (keras.backend.result_type) still computes some steps in float32 on the PyTorch
backend (the last-axis mean of every averaging class, keras.ops.maximum; JAX without x64
computes everything in float32), so there a script gives the page's cost to within 1e-6 of
itself (tests/lessons/test_reproduce.py runs each on Keras 3.15.1 with torch). ``task`` is a
`lessons.reproduce.Problem`.
"""

from __future__ import annotations

import numpy as np

from lessons.reproduce_numpy import assign, barron_lines, focal_alpha, focal_parameters

IMPORTS = ("import keras", "import numpy as np")
RESULT = (
    "# Keras may compute in float32 even when float64 is asked (keras.backend.result_type;",
    "# JAX throughout, unless JAX_ENABLE_X64 is set): on PyTorch expect the page's cost to",
    "# 1 part in a million.",
    "per_sample = keras.ops.convert_to_numpy(per_sample)",
    "cost = float(per_sample.mean())",
    'print("per-sample losses:", per_sample)',
    'print("cost (their mean):", cost)',
)
MAX_LINE = 88
KERAS_EPSILON = 1e-7  # keras.config.epsilon()'s default
# σ(16) = 1 − 1.1e-7: up to |z| = 16 Keras' focal loss leaves σ(z) inside its clip.
FOCAL_LOGIT_LIMIT = 16.0
TENSORS = (
    'y_true = keras.ops.convert_to_tensor(y_true, dtype="float64")',
    'y_pred = keras.ops.convert_to_tensor(y_pred, dtype="float64")',
)


def computation(task) -> list[str]:
    return _BODIES[task.loss.id](task)


def _call(class_name: str, arguments: str = "", *, per_row: bool) -> list[str]:
    """The Keras loss object and its per-sample call; 1-D data go in as (n, 1) columns."""
    settings = f"{arguments}, " if arguments else ""
    call = f'keras.losses.{class_name}({settings}reduction=None, dtype="float64")'
    lines = [f"loss_fn = {call}"]
    if len(lines[0]) > MAX_LINE:
        inside = f'{settings}reduction=None, dtype="float64"'
        lines = [f"loss_fn = keras.losses.{class_name}(", f"    {inside}", ")"]
    if per_row:
        return lines + ["per_sample = loss_fn(y_true, y_pred)"]
    return lines + [
        "# As (n, 1) columns: Keras averages over the last axis, so each row is one sample.",
        "per_sample = loss_fn(y_true[:, None], y_pred[:, None])",
    ]


def _epsilon(task) -> list[str]:
    if task.params["eps"] == KERAS_EPSILON:
        return ["# Keras clips probabilities to [ε, 1 − ε] with ε = keras.config.epsilon(): 1e-7."]
    return assign(task, "eps") + [
        "# Keras clips probabilities to [ε, 1 − ε] with ε = keras.config.epsilon() (1e-7).",
        "keras.config.set_epsilon(eps)",
    ]


def _mse(task):
    return _call("MeanSquaredError", per_row=False)


def _mae(task):
    return _call("MeanAbsoluteError", per_row=False)


def _huber(task):
    return assign(task, "delta") + _call("Huber", "delta=delta", per_row=False)


def _log_cosh(task):
    return [
        "# Keras computes r + softplus(−2r) − log 2, off by up to one rounding of log 2: in",
        "# float64 1.1e-16, more than the loss ≈ r²/2 itself for |r| below ~1.5e-8; in float32",
        "# 6e-8, more than the loss below ~3.5e-4. On the PyTorch backend log 2 is a float32",
        "# constant even with dtype='float64': off by 1.9e-9, more than the loss below ~6.2e-5.",
        *_call("LogCosh", per_row=False),
    ]


def _pseudo_huber(task):
    return assign(task, "delta") + [
        "# Keras has no pseudo-Huber loss: written in keras.ops, as",
        "# δ²(√(1 + (r/δ)²) − 1) = r² / (√(1 + (r/δ)²) + 1) (no cancellation for small r).",
        *TENSORS,
        "residual = y_pred - y_true",
        "square = keras.ops.square(residual)",
        "per_sample = square / (keras.ops.sqrt(1.0 + keras.ops.square(residual / delta)) + 1.0)",
    ]


def _quantile(task):
    return assign(task, "tau") + [
        "# Keras has no pinball (quantile) loss: max(τd, (τ − 1)d) with d = y − ŷ,",
        "# written in keras.ops.",
        *TENSORS,
        "shortfall = y_true - y_pred",
        "per_sample = keras.ops.maximum(tau * shortfall, (tau - 1.0) * shortfall)",
    ]


def _barron(task):
    lines = ["# Keras has no Barron loss: his formula (CVPR 2019, eq. 1), in keras.ops.", *TENSORS]
    return lines + barron_lines(task, "keras.ops")


def _bce(task):
    smoothing = task.params["label_smoothing"]
    if task.params["pos_weight"] == 1.0:
        lines = [] if task.from_logits else _epsilon(task)
        arguments = f"from_logits={task.from_logits}"
        if smoothing != 0.0:
            lines += assign(task, "label_smoothing")
            arguments += ", label_smoothing=label_smoothing"
        return lines + _call("BinaryCrossentropy", arguments, per_row=False)
    lines = assign(task, "pos_weight") + [
        "# Keras' BinaryCrossentropy has no pos_weight: written in keras.ops.",
        *TENSORS,
        "target = y_true",
    ]
    if smoothing != 0.0:
        lines += assign(task, "label_smoothing") + [
            "target = y_true * (1.0 - label_smoothing) + label_smoothing / 2.0  # Keras' smoothing",
        ]
    if task.from_logits:
        return lines + [
            "# −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z).",
            "per_sample = pos_weight * target * keras.ops.softplus(-y_pred) + (",
            "    1.0 - target",
            ") * keras.ops.softplus(y_pred)",
        ]
    return (
        lines
        + assign(task, "eps")
        + [
            "# Bounds as a float64 tensor: keras.ops.clip would make a Python float a float32 one.",
            'eps = keras.ops.convert_to_tensor(eps, dtype="float64")',
            "p = keras.ops.clip(y_pred, eps, 1.0 - eps)",
            "per_sample = -(",
            "    pos_weight * target * keras.ops.log(p) + (1.0 - target) * keras.ops.log1p(-p)",
            ")",
        ]
    )


def _focal_fits_keras(task) -> bool:
    """Keras clips p only inside its cross-entropy, not in p_t, and makes p = σ(z) first:
    the same numbers as ours while no p (or σ(z)) reaches the clip."""
    if task.from_logits:
        return bool(np.abs(task.y_pred).max() <= FOCAL_LOGIT_LIMIT)
    low, high = task.y_pred.min(), task.y_pred.max()
    return bool(low >= KERAS_EPSILON and high <= 1.0 - KERAS_EPSILON)


def _focal(task):
    lines = focal_parameters(task)
    if _focal_fits_keras(task):
        if task.params["alpha"] is None:
            arguments = "apply_class_balancing=False, gamma=gamma"
        else:
            arguments = "apply_class_balancing=True, alpha=alpha, gamma=gamma"
        arguments += f", from_logits={task.from_logits}"
        return lines + _call("BinaryFocalCrossentropy", arguments, per_row=False)
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


def _hinge(task):
    return [
        "# Keras' Hinge wants labels −1/+1 (it converts 0/1 only when every label is 0 or 1):",
        "# t = 2y − 1 given explicitly.",
        "y_true = 2.0 * y_true - 1.0",
        *_call("Hinge", per_row=False),
    ]


def _cross_entropy(task):
    smoothing = task.params["label_smoothing"]
    lines = [] if task.from_logits else _epsilon(task)
    arguments = f"from_logits={task.from_logits}"
    if task.sparse and smoothing == 0.0:
        return lines + _call("SparseCategoricalCrossentropy", arguments, per_row=True)
    if task.sparse:
        lines += [
            "# Keras 3's SparseCategoricalCrossentropy has no label_smoothing: the one-hot rows",
            "# through CategoricalCrossentropy give the same number.",
            "y_true = np.eye(y_pred.shape[1])[y_true]",
        ]
    if smoothing != 0.0:
        lines += assign(task, "label_smoothing")
        arguments += ", label_smoothing=label_smoothing"
    return lines + _call("CategoricalCrossentropy", arguments, per_row=True)


def _kl(task):
    if task.y_true.min() >= task.params["eps"]:
        return _epsilon(task) + _call("KLDivergence", per_row=True)
    return assign(task, "eps") + [
        "# Keras' KLDivergence clips y_true to [ε, 1] too, so each 0 in y_true would add",
        "# ε·log(ε/p) (about −1e-6): written in keras.ops to keep 0·log 0 = 0.",
        *TENSORS,
        "# The bound as a float64 tensor: keras.ops.clip would make a Python float a float32 one.",
        'eps = keras.ops.convert_to_tensor(eps, dtype="float64")',
        "p = keras.ops.clip(y_pred, eps, 1.0)",
        "ratio = keras.ops.where(y_true > 0, y_true / p, 1.0)",
        "per_sample = keras.ops.sum(y_true * keras.ops.log(ratio), axis=-1)",
    ]


_BODIES = {
    "mse": _mse,
    "mae": _mae,
    "huber": _huber,
    "pseudo_huber": _pseudo_huber,
    "log_cosh": _log_cosh,
    "quantile": _quantile,
    "barron": _barron,
    "bce": _bce,
    "focal": _focal,
    "hinge": _hinge,
    "cce": _cross_entropy,
    "sparse_cce": _cross_entropy,
    "kl": _kl,
}
