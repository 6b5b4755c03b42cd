"""The PyTorch script of `lessons.reproduce`, in float64.

torch's own function where its definition is ours: mse_loss, l1_loss, huber_loss,
binary_cross_entropy(_with_logits), cross_entropy (logits, with label_smoothing) and
kl_div. Where torch has no such loss, or defines it differently (the eps clip, pos_weight on
probabilities, focal, pinball, pseudo-Huber, log-cosh, hinge on 0/1 labels), the formula is
written in tensor ops and a comment says why. ``task`` is a `lessons.reproduce.Problem`.
"""

from __future__ import annotations

from lessons.reproduce_numpy import assign, barron_lines, focal_alpha, focal_parameters

IMPORTS = ("import numpy as np", "import torch", "import torch.nn.functional as F")
RESULT = (
    "cost = per_sample.mean().item()",
    'print("per-sample losses:", per_sample)',
    'print("cost (their mean):", cost)',
)
FLOAT64 = "dtype=torch.float64"


def computation(task) -> list[str]:
    labels = "torch.long" if task.sparse else "torch.float64"
    tensors = [
        f"y_true = torch.tensor(y_true, dtype={labels})",
        f"y_pred = torch.tensor(y_pred, {FLOAT64})",
    ]
    return tensors + _BODIES[task.loss.id](task)


def _mse(task):
    return ['per_sample = F.mse_loss(y_pred, y_true, reduction="none")']


def _mae(task):
    return ['per_sample = F.l1_loss(y_pred, y_true, reduction="none")']


def _huber(task):
    return assign(task, "delta") + [
        "# huber_loss, not smooth_l1_loss: smooth_l1_loss(beta=δ) is huber_loss(delta=δ) / δ.",
        'per_sample = F.huber_loss(y_pred, y_true, reduction="none", delta=delta)',
    ]


def _pseudo_huber(task):
    return assign(task, "delta") + [
        "# torch has no pseudo-Huber loss: δ²(√(1 + (r/δ)²) − 1) = r² / (√(1 + (r/δ)²) + 1).",
        "residual = y_pred - y_true",
        "root = torch.hypot(torch.ones_like(residual), residual / delta)  # √(1 + (r/δ)²)",
        "per_sample = residual**2 / (root + 1.0)",
    ]


def _log_cosh(task):
    return [
        "# torch has no log-cosh loss: log1p(2 sinh²(r/2)) for |r| < 1 (keeps the digits of",
        "# r²/2), |r| + log1p(exp(−2|r|)) − log 2 beyond (no overflow).",
        "abs_residual = torch.abs(y_pred - y_true)",
        "near_zero = torch.log1p(2.0 * torch.sinh(torch.clamp(abs_residual, max=1.0) / 2.0) ** 2)",
        "far = abs_residual + torch.log1p(torch.exp(-2.0 * abs_residual)) - np.log(2.0)",
        "per_sample = torch.where(abs_residual < 1.0, near_zero, far)",
    ]


def _quantile(task):
    return assign(task, "tau") + [
        "# torch has no pinball (quantile) loss: max(τd, (τ − 1)d) with d = y − ŷ.",
        "shortfall = y_true - y_pred",
        "per_sample = torch.maximum(tau * shortfall, (tau - 1.0) * shortfall)",
    ]


def _barron(task):
    return ["# torch has no Barron loss: his formula (CVPR 2019, eq. 1), in torch."] + (
        barron_lines(task, "torch")
    )


def _binary_target(task):
    if task.params["label_smoothing"] == 0.0:
        return ["target = y_true"]
    return assign(task, "label_smoothing") + [
        "# torch's BCE has no label smoothing: Keras' y(1 − ls) + ls/2 applied to the labels.",
        "target = y_true * (1.0 - label_smoothing) + label_smoothing / 2.0",
    ]


def _bce(task):
    lines = _binary_target(task) + assign(task, "pos_weight")
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


def _focal(task):
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


def _hinge(task):
    return [
        "# torch has no hinge loss on 0/1 labels (hinge_embedding_loss is another loss):",
        "# max(0, 1 − t·s) with t = 2y − 1 in tensor ops.",
        "sign = 2.0 * y_true - 1.0",
        "per_sample = torch.clamp(1.0 - sign * y_pred, min=0.0)",
    ]


def _cross_entropy(task):
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


def _kl(task):
    return assign(task, "eps") + [
        "# kl_div takes log p and gives y·(log y − log p), 0 where y = 0; p clipped to [ε, 1].",
        "log_p = torch.log(torch.clamp(y_pred, min=eps, max=1.0))",
        'per_sample = F.kl_div(log_p, y_true, reduction="none").sum(dim=1)',
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
