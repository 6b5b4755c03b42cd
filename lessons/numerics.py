"""Why from_logits: binary cross-entropy and softmax computed the naive way (the wrong way,
kept here to show where it fails) beside the stable way the core uses.

Naive: σ(z) = 1/(1 + e^(−z)), then −[y log p + (1 − y) log(1 − p)], and its gradient by the
chain rule, dℓ/dp · dp/dz, in float32 or float64. Where p rounds to 1 (z ≳ 17 in float32,
≳ 37 in float64), log(1 − p) = −∞ and the gradient 0·∞ = NaN; where σ(z) rounds to 1, −log p is
0 instead of e^(−z). Stable: the core's `bce` with ``from_logits=True`` (softplus), gradient
σ(z) − y. Given probabilities, Keras clips them: p = clip(σ(z), ε, 1 − ε), so the loss is
capped at −log ε and its gradient with respect to z is 0 where the clip acts — a confident
wrong answer teaches nothing. PyTorch's BCELoss does not clip: it floors each log at −100 and
divides its gradient by max(p(1 − p), 1e-12), so with respect to z the gradient follows
σ(z) − y until p(1 − p) < 1e-12, then fades, and is 0 only where σ(z) rounds to 0.
Softmax: e^z / Σe^z overflows to inf/inf = NaN once a logit passes ~88 (float32) or ~709
(float64); with the row maximum subtracted it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import losses
from lessons.display_numbers import percent, signed
from losses import binary, multiclass

NAIVE_DTYPES = {"float32": np.float32, "float64": np.float64}
SHOWN_LOGITS = (-100.0, -40.0, -20.0, -5.0, 0.0, 5.0, 20.0, 40.0, 100.0)


def naive_bce_from_logit(z, y: float, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """THE WRONG WAY, for the lesson: (loss, dloss/dz) through p = σ(z) in ``dtype``, with
    the chain rule's 0·∞ where p rounds to 0 or 1. Returns float64 arrays (inf and NaN kept)."""
    z = np.asarray(z, dtype=dtype)
    one = dtype(1.0)
    y = dtype(y)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = one / (one + np.exp(-z))
        loss = -(y * np.log(p) + (one - y) * np.log(one - p))
        dloss_dp = -y / p + (one - y) / (one - p)
        grad = dloss_dp * (p * (one - p))
    # + 0.0: a lost loss prints as 0, not −0 (−(0·log 1) is −0.0).
    return loss.astype(np.float64) + 0.0, grad.astype(np.float64) + 0.0


def stable_bce_from_logit(z, y: float) -> tuple[np.ndarray, np.ndarray]:
    """The core's BCE on the logit (softplus; gradient σ(z) − y), float64."""
    z = np.asarray(z, dtype=np.float64)
    labels = np.full_like(z, y)
    bce = losses.get("bce")
    return bce.value(labels, z, from_logits=True), bce.grad(labels, z, from_logits=True)


def clipped_bce_from_logit(z, y: float, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """BCE on p = clip(σ(z), ε, 1 − ε) (the core's bce on probabilities, which clips at ε),
    and its gradient with respect to z: dℓ/dp · dp/dz, where dp/dz is 0 wherever the clip
    holds p at ε or 1 − ε, and σ(z)(1 − σ(z)) elsewhere."""
    z = np.asarray(z, dtype=np.float64)
    labels = np.full_like(z, y)
    p = binary.sigmoid(z)
    bce = losses.get("bce")
    loss = bce.value(labels, p, eps=eps)
    inside = (p > eps) & (p < 1.0 - eps)
    grad = np.where(inside, bce.grad(labels, p, eps=eps) * p * (1.0 - p), 0.0)
    return loss, grad


# PyTorch's BCELoss (aten/src/ATen/native/Loss.cpp, binary_cross_entropy_out_cpu and
# binary_cross_entropy_backward_out_cpu): each log floored at −100, and the gradient
# (p − y) / max(p(1 − p), EPSILON) with EPSILON = 1e-12 declared as a C float, so the floor
# is float32's nearest value to 1e-12, 9.999999960e-13.
TORCH_LOG_FLOOR = -100.0
TORCH_EPSILON = float(np.float32(1e-12))
# Keras' default clip ε (keras.config.epsilon(); keras/src/backend/config.py _EPSILON).
KERAS_EPSILON = 1e-7
# A logit where PyTorch's gradient has faded (the sentence quotes its value there).
FADED_AT = -40.0


def torch_bce_from_logit(z, y: float) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's BCELoss on p = σ(z), float64: (loss, dloss/dz) by its own formulas.

    loss = −[y·max(log p, −100) + (1 − y)·max(log1p(−p), −100)]; autograd chains its
    dℓ/dp = (p − y) / max(p(1 − p), 1e-12) with the sigmoid's dp/dz = p(1 − p).
    torch.nn.functional.binary_cross_entropy(torch.sigmoid(z), y) gives the same numbers.
    """
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore", divide="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))  # as torch.sigmoid rounds it: exactly 1 for z > 36.7
        log_p, log_not_p = np.log(p), np.log1p(-p)
    loss = -(
        y * np.maximum(log_p, TORCH_LOG_FLOOR) + (1.0 - y) * np.maximum(log_not_p, TORCH_LOG_FLOOR)
    )
    spread = (1.0 - p) * p
    grad = (p - y) / np.maximum(spread, TORCH_EPSILON) * spread
    return loss + 0.0, grad


def torch_fade_logit() -> float:
    """The logit z < 0 below which PyTorch's floor max(p(1 − p), EPSILON) acts on σ(z): there
    σ(z)(1 − σ(z)) = EPSILON, the smaller root σ = (1 − √(1 − 4·EPSILON)) / 2, written as
    2·EPSILON / (1 + √(1 − 4·EPSILON)) so that 1 − √… does not cancel its digits away."""
    p = 2.0 * TORCH_EPSILON / (1.0 + np.sqrt(1.0 - 4.0 * TORCH_EPSILON))
    return float(np.log(p) - np.log1p(-p))


def float32_sigmoid_zero() -> float:
    """The logit below which σ(z) = 1/(1 + e^(−z)) rounds to 0 in float32 (PyTorch's default
    dtype): e^(−z) overflows past log(float32 max) = 88.72."""
    return float(-np.log(np.finfo(np.float32).max))


def clip_sentence(eps: float) -> str:
    """What the page says under the clip charts for y = 1: Keras' clip at ``eps`` against
    PyTorch's BCELoss, which does not clip, and the logit route."""
    cap = float(-np.log(eps))
    clip_from = float(np.log(eps) - np.log1p(-eps))  # σ(z) = ε
    _, faded = torch_bce_from_logit(np.array([FADED_AT]), 1.0)
    return (
        f"Given probabilities, Keras clips them to [ε, 1 − ε] (by default ε = "
        f"{KERAS_EPSILON:g}; here ε = {eps:g}): the loss of a confident wrong "
        f"answer stops at −log ε = {cap:.3g}, and its gradient with respect to z is exactly 0 "
        f"wherever σ(z) < ε (z < {signed(clip_from, '.3g')}) — the model is told nothing "
        "about its worst mistakes. PyTorch's BCELoss does not clip p: it floors each log at "
        f"{signed(TORCH_LOG_FLOOR)}, so its loss stops at {-TORCH_LOG_FLOOR:g}, and divides "
        f"by max(p(1 − p), {TORCH_EPSILON:.3g}), so its gradient with respect to z is "
        f"σ(z) − 1 down to z ≈ {signed(torch_fade_logit(), '.3g')}, then fades "
        f"({signed(faded[0], '.2g')} at z = {signed(FADED_AT)}) and is exactly 0 only where "
        f"σ(z) rounds to 0 (z < {signed(float32_sigmoid_zero(), '.3g')} in float32, PyTorch's "
        "default). From the logit the gradient is σ(z) − 1, near −1 for a wrong answer: the "
        "more wrong, the steadier the push."
    )


@dataclass(frozen=True)
class BceRow:
    z: float
    naive32: float
    naive64: float
    stable: float
    grad_naive32: float
    grad_naive64: float
    grad_stable: float


def bce_rows(y: float, logits=SHOWN_LOGITS) -> list[BceRow]:
    """The table of the page: each way's loss and gradient at each logit, for label ``y``."""
    z = np.asarray(logits, dtype=np.float64)
    l32, g32 = naive_bce_from_logit(z, y, np.float32)
    l64, g64 = naive_bce_from_logit(z, y, np.float64)
    ls, gs = stable_bce_from_logit(z, y)
    return [
        BceRow(*(float(v) for v in values))
        for values in zip(z, l32, l64, ls, g32, g64, gs, strict=True)
    ]


def first_failure(z, values) -> float | None:
    """The z nearest 0 at which ``values`` stops being a finite number (inf or NaN), with
    its sign; None if it never does."""
    z, values = np.asarray(z), np.asarray(values)
    broken = z[~np.isfinite(values)]
    return float(broken[np.argmin(np.abs(broken))]) if broken.size else None


def naive_softmax(logits, dtype=np.float64) -> np.ndarray:
    """THE WRONG WAY, for the lesson: e^z / Σ e^z without subtracting the row maximum."""
    z = np.asarray(logits, dtype=dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        exps = np.exp(z)
        return (exps / exps.sum(axis=-1, keepdims=True)).astype(np.float64)


def stable_softmax(logits) -> np.ndarray:
    """The core's softmax (row maximum subtracted first), for one row or (n, k) rows."""
    z = np.asarray(logits, dtype=np.float64)
    return multiclass.softmax(np.atleast_2d(z)).reshape(z.shape)


def failure_sentence(label: float, failures: dict) -> str:
    """What the page says under the BCE charts: where each naive form breaks for ``label``
    (``failures``: {"naive32"/"naive64": the z of its first inf or NaN, or None}). A break on
    the side where the model is right comes from the unused term, 0 · log 0 = NaN."""
    wrong_way = "positive" if label == 0 else "negative"
    broken = []
    for way, where in failures.items():
        if where is None:
            continue
        right_answer = (where > 0) == (label == 1)
        why = (
            " (a confident right answer: the unused term is 0 · log 0 = NaN)"
            if right_answer
            else ""
        )
        broken.append(f"{way.replace('naive', 'float')} at z ≈ {where:.3g}{why}")
    if broken:
        where = (
            f"The naive loss breaks in {' and in '.join(broken)}: inf or NaN for the loss "
            "and NaN for the gradient, which would wipe out every weight in one training "
            "step."
        )
    else:
        where = "Between −100 and 100 neither naive form breaks for this label."
    return (
        f"With y = {label:g} a large {wrong_way} z is a confident wrong answer. {where} "
        + right_side_sentence(label)
    )


def right_side_sentence(label: float) -> str:
    """What the naive loss does where the model is right (z from 0 to ±100 every 0.1, towards
    the label's side), against the stable one: it rounds to exactly 0 (y = 0: 1 − p rounds to
    1, so log(1 − p) = 0), or, where it never does (y = 1: p rounds to 1 only where the unused
    term already gives NaN), how far off it gets while it is still a number."""
    side = np.linspace(0.0, 100.0, 1001) * (1.0 if label == 1 else -1.0)
    stable, _ = stable_bce_from_logit(side, label)
    zero, off = [], []
    for way, dtype in NAIVE_DTYPES.items():
        naive, _ = naive_bce_from_logit(side, label, dtype)
        rounded = (naive == 0.0) & (stable > 0.0)
        if rounded.any():
            zero.append(f"{way} from z ≈ {signed(float(side[rounded][0]), '.3g')}")
            continue
        number = np.isfinite(naive)
        error = np.abs(naive[number] - stable[number]) / stable[number]
        worst = int(np.argmax(error))
        at = signed(float(side[number][worst]), ".3g")
        off.append(f"{percent(float(error[worst]))} in {way} (at z ≈ {at})")
    kept = "the stable one keeps e^(−|z|) to the last digit"
    rounds = f"rounds to 0 ({', '.join(zero)})"
    loses = f"off by up to {' and '.join(off)}"
    start = "Where the model is right, the naive loss"
    if not off:
        return (
            f"{start} {rounds} long before the stable one, which keeps e^(−|z|) to the last digit."
        )
    if not zero:
        return f"{start} never rounds to 0 but loses its digits: it is {loses}, while {kept}."
    return f"{start} {rounds} or loses its digits, {loses}, while {kept}."
