"""The reproduce snippets of categorical cross-entropy (one-hot rows or class indices) and
the KL divergence, each loss's NumPy, PyTorch and Keras lines together.

torch's cross_entropy takes logits only: on probabilities Keras' definition (rows divided
by their sums, then clipped) is written in tensor ops. Keras' KLDivergence clips y_true too,
which turns 0·log 0 into ε·log(ε/p): keras.ops where y_true has entries below ε.
"""

from __future__ import annotations

from losses.snippets import TENSORS, Snippet, assign, keras_call, keras_epsilon

# ------------------------------------------------- categorical cross-entropy (and sparse)


def _cross_entropy_numpy(task):
    lines = ["k = y_pred.shape[1]"]
    rows = "np.eye(k)[y_true]" if task.sparse else "y_true"
    if task.params["label_smoothing"] == 0.0:
        lines.append(f"target = {rows}")
    else:
        lines += assign(task, "label_smoothing") + [
            "# Keras' categorical label smoothing: y(1 − ls) + ls/k.",
            f"target = {rows} * (1.0 - label_smoothing) + label_smoothing / k",
        ]
    if task.from_logits:
        return lines + [
            "# log-softmax with the row max subtracted: no exp of anything above 0.",
            "shifted = y_pred - y_pred.max(axis=1, keepdims=True)",
            "log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
            "per_sample = -(target * log_p).sum(axis=1)",
        ]
    return (
        lines
        + assign(task, "eps")
        + [
            "# Rows divided by their sums, then clipped to [ε, 1 − ε] (Keras' definition).",
            "p = np.clip(y_pred / y_pred.sum(axis=1, keepdims=True), eps, 1.0 - eps)",
            "per_sample = -(target * np.log(p)).sum(axis=1)",
        ]
    )


def _cross_entropy_torch(task):
    if task.from_logits:
        call = 'F.cross_entropy(y_pred, y_true, reduction="none"'
        if task.params["label_smoothing"] == 0.0:
            return [f"per_sample = {call})"]
        what = "class indices" if task.sparse else "probability rows"
        return assign(task, "label_smoothing") + [
            f"# cross_entropy with {what} smooths them as y(1 − ls) + ls/k, like Keras.",
            f"per_sample = {call}, label_smoothing=label_smoothing)",
        ]
    lines = ["k = y_pred.shape[1]"]
    rows = "F.one_hot(y_true, k).to(torch.float64)" if task.sparse else "y_true"
    if task.params["label_smoothing"] == 0.0:
        lines.append(f"target = {rows}")
    else:
        lines += assign(task, "label_smoothing") + [
            f"target = {rows} * (1.0 - label_smoothing) + label_smoothing / k",
        ]
    return (
        lines
        + assign(task, "eps")
        + [
            "# cross_entropy takes logits; on probabilities Keras' definition (rows divided by",
            "# their sums, then clipped to [ε, 1 − ε]) is written in tensor ops.",
            "p = torch.clamp(y_pred / y_pred.sum(dim=1, keepdim=True), eps, 1.0 - eps)",
            "per_sample = -(target * torch.log(p)).sum(dim=1)",
        ]
    )


def _cross_entropy_keras(task):
    smoothing = task.params["label_smoothing"]
    lines = [] if task.from_logits else keras_epsilon(task)
    arguments = f"from_logits={task.from_logits}"
    if task.sparse and smoothing == 0.0:
        return lines + keras_call("SparseCategoricalCrossentropy", arguments, per_row=True)
    if task.sparse:
        lines += [
            "# Keras 3's SparseCategoricalCrossentropy has no label_smoothing: the one-hot rows",
            "# through CategoricalCrossentropy give the same number.",
            "y_true = np.eye(y_pred.shape[1])[y_true]",
        ]
    if smoothing != 0.0:
        lines += assign(task, "label_smoothing")
        arguments += ", label_smoothing=label_smoothing"
    return lines + keras_call("CategoricalCrossentropy", arguments, per_row=True)


# One snippet for both entries: each branches on the data (class indices or rows).
CROSS_ENTROPY = Snippet(
    numpy=_cross_entropy_numpy, torch=_cross_entropy_torch, keras=_cross_entropy_keras
)

# ---------------------------------------------------------------- KL divergence


def _kl_numpy(task):
    return assign(task, "eps") + [
        "p = np.clip(y_pred, eps, 1.0)",
        "# Σ y·log(y/p) with 0·log 0 = 0: where y = 0 the ratio is 1, whose log is 0.",
        "ratio = np.where(y_true > 0, y_true / p, 1.0)",
        "per_sample = (y_true * np.log(ratio)).sum(axis=1)",
    ]


def _kl_torch(task):
    return assign(task, "eps") + [
        "# kl_div takes log p and gives y·(log y − log p), 0 where y = 0; p clipped to [ε, 1].",
        "log_p = torch.log(torch.clamp(y_pred, min=eps, max=1.0))",
        'per_sample = F.kl_div(log_p, y_true, reduction="none").sum(dim=1)',
    ]


def _kl_keras(task):
    if task.y_true.min() >= task.params["eps"]:
        return keras_epsilon(task) + keras_call("KLDivergence", per_row=True)
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


KL = Snippet(numpy=_kl_numpy, torch=_kl_torch, keras=_kl_keras)
