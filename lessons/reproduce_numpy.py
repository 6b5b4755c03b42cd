"""The NumPy script of `lessons.reproduce`: each loss's formula written out.

`computation(task)` gives the lines that turn the NumPy arrays ``y_true`` and ``y_pred`` into
``per_sample``, with the numerically stable identities the core uses (softplus as
``np.logaddexp(0, x)``, log-softmax with the row max subtracted, log cosh without overflow),
so the script matches `losses` to ~1e-12. ``task`` is a `lessons.reproduce.Problem`.
"""

from __future__ import annotations

IMPORTS = ("import numpy as np",)
RESULT = (
    "cost = float(per_sample.mean())",
    'print("per-sample losses:", per_sample)',
    'print("cost (their mean):", cost)',
)


def assign(task, *names: str) -> list[str]:
    """``name = value`` for each named parameter of ``task``, values written with repr."""
    return [f"{name} = {task.params[name]!r}" for name in names]


def computation(task) -> list[str]:
    return _BODIES[task.loss.id](task)


def _mse(task):
    return ["residual = y_pred - y_true", "per_sample = residual**2"]


def _mae(task):
    return ["per_sample = np.abs(y_pred - y_true)"]


def _huber(task):
    return assign(task, "delta") + [
        "abs_residual = np.abs(y_pred - y_true)",
        "# ½r² where |r| ≤ δ, δ(|r| − ½δ) beyond.",
        "per_sample = np.where(",
        "    abs_residual <= delta, 0.5 * abs_residual**2, delta * (abs_residual - 0.5 * delta)",
        ")",
    ]


def _pseudo_huber(task):
    return assign(task, "delta") + [
        "residual = y_pred - y_true",
        "# δ²(√(1 + (r/δ)²) − 1) = r² / (√(1 + (r/δ)²) + 1): no cancellation for small r.",
        "per_sample = residual**2 / (np.hypot(1.0, residual / delta) + 1.0)",
    ]


def _log_cosh(task):
    return [
        "abs_residual = np.abs(y_pred - y_true)",
        "# log cosh r = log1p(2 sinh²(r/2)) keeps the digits of r²/2 for small |r|;",
        "# |r| + log1p(exp(−2|r|)) − log 2 never overflows for large |r|. np.where evaluates",
        "# both, so the first sees min(|r|, 1) only.",
        "near_zero = np.log1p(2.0 * np.sinh(np.minimum(abs_residual, 1.0) / 2.0) ** 2)",
        "far = abs_residual + np.log1p(np.exp(-2.0 * abs_residual)) - np.log(2.0)",
        "per_sample = np.where(abs_residual < 1.0, near_zero, far)",
    ]


def _quantile(task):
    return assign(task, "tau") + [
        "shortfall = y_true - y_pred  # > 0 where the prediction is too low",
        "per_sample = np.maximum(tau * shortfall, (tau - 1.0) * shortfall)",
    ]


def barron_case(task) -> tuple[str, list[str]]:
    """Which form of Barron's loss the settings take, and the constants it needs: "welsch"
    (α = −∞), "l2" (α = 2), "cauchy" (α = 0) or "general", with scale (and b = |α − 2|)."""
    params = task.params
    lines = assign(task, "scale")
    if params["alpha_minus_infinity"]:
        return "welsch", lines
    if params["alpha"] == 2.0:
        return "l2", lines
    if params["alpha"] == 0.0:
        return "cauchy", lines
    return "general", lines + assign(task, "alpha") + [
        f"b = {abs(params['alpha'] - 2.0)!r}  # |α − 2|"
    ]


# Barron's loss in each form, as text over a namespace ``ns`` (np or torch) and u = r/c.
BARRON_FORMS = {
    "welsch": (
        "# α = −∞ (Welsch): 1 − exp(−½u²), as −expm1(−½u²) for small u.",
        "per_sample = -{ns}.expm1(-0.5 * u**2)",
    ),
    "l2": ("# α = 2 (L2): ½u².", "per_sample = 0.5 * u**2"),
    "cauchy": ("# α = 0 (Cauchy): log(½u² + 1).", "per_sample = {ns}.log1p(0.5 * u**2)"),
    "general": (
        "# |α−2|/α · ((u²/|α−2| + 1)^(α/2) − 1), as expm1(α/2 · log1p(u²/|α−2|)):",
        "# no difference of near-equal numbers, even with α near 0 or 2.",
        "per_sample = b / alpha * {ns}.expm1(0.5 * alpha * {ns}.log1p(u**2 / b))",
    ),
}


def barron_lines(task, ns: str) -> list[str]:
    form, constants = barron_case(task)
    return (
        constants
        + ["u = (y_pred - y_true) / scale"]
        + [line.format(ns=ns) for line in BARRON_FORMS[form]]
    )


def _barron(task):
    return barron_lines(task, "np")


def binary_target(task) -> list[str]:
    """Keras' binary label smoothing, or the labels themselves when it is off."""
    if task.params["label_smoothing"] == 0.0:
        return ["target = y_true"]
    return assign(task, "label_smoothing") + [
        "# Keras' binary label smoothing: y(1 − ls) + ls/2.",
        "target = y_true * (1.0 - label_smoothing) + label_smoothing / 2.0",
    ]


def _bce(task):
    lines = assign(task, "pos_weight") + binary_target(task)
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


def _focal(task):
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


def _hinge(task):
    return [
        "sign = 2.0 * y_true - 1.0  # labels 0/1 as t = −1/+1",
        "per_sample = np.maximum(0.0, 1.0 - sign * y_pred)",
    ]


def _cross_entropy(task):
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


def _kl(task):
    return assign(task, "eps") + [
        "p = np.clip(y_pred, eps, 1.0)",
        "# Σ y·log(y/p) with 0·log 0 = 0: where y = 0 the ratio is 1, whose log is 0.",
        "ratio = np.where(y_true > 0, y_true / p, 1.0)",
        "per_sample = (y_true * np.log(ratio)).sum(axis=1)",
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
