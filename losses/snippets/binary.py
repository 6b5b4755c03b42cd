"""The reproduce snippets of binary cross-entropy and the hinge, each loss's NumPy, PyTorch
and Keras lines together (focal loss: `losses.snippets.focal`).

PyTorch and Keras call their own BCE where it computes our number and write it in tensor
ops where it does not: pos_weight on probabilities (torch's binary_cross_entropy and Keras'
BinaryCrossentropy have none), label smoothing in torch, the ε clip (torch bounds log p at
−100 instead).
"""

from __future__ import annotations

from losses.snippets import FLOAT64, TENSORS, Snippet, assign, keras_call, keras_epsilon

# ---------------------------------------------------------------- binary cross-entropy


def _bce_numpy(task):
    lines = assign(task, "pos_weight")
    if task.params["label_smoothing"] == 0.0:
        lines += ["target = y_true"]
    else:
        lines += assign(task, "label_smoothing") + [
            "# Keras' binary label smoothing: y(1 − ls) + ls/2.",
            "target = y_true * (1.0 - label_smoothing) + label_smoothing / 2.0",
        ]
    if task.from_logits:
        return lines + [
            "# −log σ(z) = softplus(−z) = logaddexp(0, −z); −log(1 − σ(z)) = softplus(z).",
            "per_sample = pos_weight * target * np.logaddexp(0.0, -y_pred) + (",
            "    1.0 - target",
            ") * np.logaddexp(0.0, y_pred)",
        ]
    return (
        lines
        + assign(task, "eps")
        + [
            "# Clipped to [ε, 1 − ε] as Keras does: p = 0 or 1 gives a large finite loss.",
            "p = np.clip(y_pred, eps, 1.0 - eps)",
            "per_sample = -(pos_weight * target * np.log(p) + (1.0 - target) * np.log1p(-p))",
        ]
    )


def _bce_torch(task):
    if task.params["label_smoothing"] == 0.0:
        lines = ["target = y_true"]
    else:
        lines = assign(task, "label_smoothing") + [
            "# torch's BCE has no label smoothing: Keras' y(1 − ls) + ls/2 applied to the labels.",
            "target = y_true * (1.0 - label_smoothing) + label_smoothing / 2.0",
        ]
    lines += assign(task, "pos_weight")
    if task.from_logits:
        return lines + [
            "per_sample = F.binary_cross_entropy_with_logits(",
            f"    y_pred, target, pos_weight=torch.tensor(pos_weight, {FLOAT64}),",
            '    reduction="none",',
            ")",
        ]
    lines += assign(task, "eps")
    if task.params["pos_weight"] == 1.0:
        return lines + [
            "# torch bounds log p below by −100 instead of clipping p: clip to [ε, 1 − ε] first,",
            "# as Keras does.",
            "p = torch.clamp(y_pred, eps, 1.0 - eps)",
            'per_sample = F.binary_cross_entropy(p, target, reduction="none")',
        ]
    return lines + [
        "# torch's binary_cross_entropy has no pos_weight (only the logits version has):",
        "# written in tensor ops, with p clipped to [ε, 1 − ε] as Keras does.",
        "p = torch.clamp(y_pred, eps, 1.0 - eps)",
        "per_sample = -(pos_weight * target * torch.log(p) + (1.0 - target) * torch.log1p(-p))",
    ]


def _bce_keras(task):
    smoothing = task.params["label_smoothing"]
    if task.params["pos_weight"] == 1.0:
        lines = [] if task.from_logits else keras_epsilon(task)
        arguments = f"from_logits={task.from_logits}"
        if smoothing != 0.0:
            lines += assign(task, "label_smoothing")
            arguments += ", label_smoothing=label_smoothing"
        return lines + keras_call("BinaryCrossentropy", arguments, per_row=False)
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


BCE = Snippet(numpy=_bce_numpy, torch=_bce_torch, keras=_bce_keras)

# ---------------------------------------------------------------- hinge


def _hinge_numpy(task):
    return [
        "sign = 2.0 * y_true - 1.0  # labels 0/1 as t = −1/+1",
        "per_sample = np.maximum(0.0, 1.0 - sign * y_pred)",
    ]


def _hinge_torch(task):
    return [
        "# torch has no hinge loss on 0/1 labels (hinge_embedding_loss is another loss):",
        "# max(0, 1 − t·s) with t = 2y − 1 in tensor ops.",
        "sign = 2.0 * y_true - 1.0",
        "per_sample = torch.clamp(1.0 - sign * y_pred, min=0.0)",
    ]


def _hinge_keras(task):
    return [
        "# Keras' Hinge wants labels −1/+1 (it converts 0/1 only when every label is 0 or 1):",
        "# t = 2y − 1 given explicitly.",
        "y_true = 2.0 * y_true - 1.0",
        *keras_call("Hinge", per_row=False),
    ]


# The hinge's y_pred is a score on no probability scale, logits or not.
HINGE = Snippet(
    numpy=_hinge_numpy, torch=_hinge_torch, keras=_hinge_keras, y_pred_holds="raw scores"
)
