"""The reproduce snippets of generalised cross-entropy (Zhang & Sabuncu 2018), binary and
multiclass, each framework's lines together. No framework has it: every script writes
(1 − p^q)/q as −expm1(q·log p)/q, with log p from log-sigmoid / log-softmax on logits and
from the clipped probabilities otherwise (clipped to [1e-7, 1 − 1e-7], as the core does).
"""

from __future__ import annotations

from losses.snippets import TENSORS, Snippet, assign

_POWER = "# (1 − p^q)/q as −expm1(q·log p)/q: accurate for small q and for p near 1."


def _multiclass(task) -> bool:
    return task.y_pred.ndim == 2


def _numpy(task):
    lines = assign(task, "q")
    if _multiclass(task):
        if task.from_logits:
            lines += [
                "# log-softmax with the row max subtracted: no exp of anything above 0.",
                "shifted = y_pred - y_pred.max(axis=1, keepdims=True)",
                "log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
            ]
        else:
            lines += [
                "# Rows divided by their sums, then clipped to [1e-7, 1 − 1e-7], as CCE's default.",
                "p = np.clip(y_pred / y_pred.sum(axis=1, keepdims=True), 1e-07, 1.0 - 1e-07)",
                "log_p = np.log(p)",
            ]
        return lines + [_POWER, "per_sample = -(y_true * np.expm1(q * log_p)).sum(axis=1) / q"]
    if task.from_logits:
        lines += [
            "# log σ(±z) = −softplus(∓z) = −logaddexp(0, ∓z).",
            "log_p, log_not_p = -np.logaddexp(0.0, -y_pred), -np.logaddexp(0.0, y_pred)",
        ]
    else:
        lines += [
            "p = np.clip(y_pred, 1e-07, 1.0 - 1e-07)  # as BCE's default clip",
            "log_p, log_not_p = np.log(p), np.log1p(-p)",
        ]
    return lines + [
        _POWER,
        "per_sample = -(",
        "    y_true * np.expm1(q * log_p) + (1.0 - y_true) * np.expm1(q * log_not_p)",
        ") / q",
    ]


def _torch(task):
    lines = assign(task, "q") + ["# torch has no generalised cross-entropy: written in tensor ops."]
    if _multiclass(task):
        if task.from_logits:
            lines.append("log_p = torch.log_softmax(y_pred, dim=1)")
        else:
            lines += [
                "# Rows divided by their sums, then clipped to [1e-7, 1 − 1e-7], as CCE's default.",
                "p = torch.clamp(y_pred / y_pred.sum(dim=1, keepdim=True), 1e-07, 1.0 - 1e-07)",
                "log_p = torch.log(p)",
            ]
        return lines + [_POWER, "per_sample = -(y_true * torch.expm1(q * log_p)).sum(dim=1) / q"]
    if task.from_logits:
        lines.append("log_p, log_not_p = F.logsigmoid(y_pred), F.logsigmoid(-y_pred)")
    else:
        lines += [
            "p = torch.clamp(y_pred, 1e-07, 1.0 - 1e-07)  # as BCE's default clip",
            "log_p, log_not_p = torch.log(p), torch.log1p(-p)",
        ]
    return lines + [
        _POWER,
        "per_sample = -(",
        "    y_true * torch.expm1(q * log_p) + (1.0 - y_true) * torch.expm1(q * log_not_p)",
        ") / q",
    ]


def _keras(task):
    lines = assign(task, "q") + [
        "# Keras has no generalised cross-entropy: written in keras.ops.",
        *TENSORS,
    ]
    if not task.from_logits:
        lines += [
            "# The bound as a float64 tensor: keras.ops.clip would make a Python float a",
            "# float32 one.",
            'eps = keras.ops.convert_to_tensor(1e-07, dtype="float64")',
        ]
    if _multiclass(task):
        if task.from_logits:
            lines.append("log_p = keras.ops.log_softmax(y_pred, axis=-1)")
        else:
            lines += [
                "p = y_pred / keras.ops.sum(y_pred, axis=-1, keepdims=True)",
                "log_p = keras.ops.log(keras.ops.clip(p, eps, 1.0 - eps))",
            ]
        return lines + [
            _POWER,
            "per_sample = -keras.ops.sum(y_true * keras.ops.expm1(q * log_p), axis=-1) / q",
        ]
    if task.from_logits:
        lines.append(
            "log_p, log_not_p = keras.ops.log_sigmoid(y_pred), keras.ops.log_sigmoid(-y_pred)"
        )
    else:
        lines += [
            "p = keras.ops.clip(y_pred, eps, 1.0 - eps)",
            "log_p, log_not_p = keras.ops.log(p), keras.ops.log1p(-p)",
        ]
    return lines + [
        _POWER,
        "per_sample = -(",
        "    y_true * keras.ops.expm1(q * log_p) + (1.0 - y_true) * keras.ops.expm1(q * log_not_p)",
        ") / q",
    ]


GCE = Snippet(numpy=_numpy, torch=_torch, keras=_keras)
