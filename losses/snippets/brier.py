"""The reproduce snippets of the Brier score, binary and multiclass, each framework's lines
together. No framework has a Brier loss on logits or on rows that do not sum to 1: the
scripts write it in tensor ops (Keras' MeanSquaredError is our number for binary
probabilities only; on k columns it divides by k).
"""

from __future__ import annotations

from losses.snippets import TENSORS, Snippet, keras_call

_WHY_BINARY = "# σ(z) − y as σ(z)(1 − y) − σ(−z)y: exact even where σ(z) saturates."
_WHY_TOP = "# At each row's top class p → 1 and p − y would cancel: 1 − p is the others' sum."


def _multiclass(task) -> bool:
    return task.y_pred.ndim == 2


def _numpy(task):
    if not _multiclass(task):
        if not task.from_logits:
            return ["per_sample = (y_pred - y_true) ** 2"]
        return [
            _WHY_BINARY,
            "# σ(±z) = exp(−softplus(∓z)) = exp(−logaddexp(0, ∓z)).",
            "error = (1.0 - y_true) * np.exp(-np.logaddexp(0.0, -y_pred)) - y_true * np.exp(",
            "    -np.logaddexp(0.0, y_pred)",
            ")",
            "per_sample = error**2",
        ]
    if not task.from_logits:
        return [
            "# Rows divided by their sums, as CCE does.",
            "p = y_pred / y_pred.sum(axis=1, keepdims=True)",
            "per_sample = ((p - y_true) ** 2).sum(axis=1)",
        ]
    return [
        "# softmax through log-softmax with the row max subtracted: no exp above 0.",
        "shifted = y_pred - y_pred.max(axis=1, keepdims=True)",
        "p = np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))",
        "error = p - y_true",
        _WHY_TOP,
        "rows, top = np.arange(p.shape[0]), y_pred.argmax(axis=1)",
        "others = np.where(np.arange(p.shape[1]) == top[:, None], 0.0, p).sum(axis=1)",
        "error[rows, top] = (1.0 - y_true[rows, top]) - others",
        "per_sample = (error**2).sum(axis=1)",
    ]


def _torch(task):
    lines = ["# torch has no Brier score: written in tensor ops."]
    if not _multiclass(task):
        if not task.from_logits:
            return lines + ["per_sample = (y_pred - y_true) ** 2"]
        return lines + [
            _WHY_BINARY,
            "error = torch.sigmoid(y_pred) * (1.0 - y_true) - torch.sigmoid(-y_pred) * y_true",
            "per_sample = error**2",
        ]
    if not task.from_logits:
        return lines + [
            "p = y_pred / y_pred.sum(dim=1, keepdim=True)  # rows divided by their sums",
            "per_sample = ((p - y_true) ** 2).sum(dim=1)",
        ]
    return lines + [
        "p = torch.softmax(y_pred, dim=1)",
        "error = p - y_true",
        _WHY_TOP,
        "rows, top = torch.arange(p.shape[0]), y_pred.argmax(dim=1)",
        "others = torch.where(torch.arange(p.shape[1]) == top[:, None], 0.0, p).sum(dim=1)",
        "error[rows, top] = (1.0 - y_true[rows, top]) - others",
        "per_sample = (error**2).sum(dim=1)",
    ]


def _keras(task):
    if not _multiclass(task) and not task.from_logits:
        return ["# The Brier score is the squared error of the probability."] + keras_call(
            "MeanSquaredError", per_row=False
        )
    if not _multiclass(task):
        return [
            "# Keras has no Brier score on logits: written in keras.ops.",
            *TENSORS,
            _WHY_BINARY,
            "error = keras.ops.sigmoid(y_pred) * (1.0 - y_true) - keras.ops.sigmoid(",
            "    -y_pred",
            ") * y_true",
            "per_sample = keras.ops.square(error)",
        ]
    lines = [
        "# Keras' MeanSquaredError divides the sum over the k classes by k: written in keras.ops.",
        *TENSORS,
    ]
    if task.from_logits:
        lines.append("p = keras.ops.softmax(y_pred, axis=-1)")
    else:
        lines.append("p = y_pred / keras.ops.sum(y_pred, axis=-1, keepdims=True)")
    return lines + ["per_sample = keras.ops.sum(keras.ops.square(p - y_true), axis=-1)"]


BRIER = Snippet(numpy=_numpy, torch=_torch, keras=_keras)
