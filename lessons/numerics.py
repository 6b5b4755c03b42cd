"""Why from_logits: binary cross-entropy and softmax computed the naive way (the wrong way,
kept here to show where it fails) beside the stable way the core uses.

Naive: σ(z) = 1/(1 + e^(−z)), then −[y log p + (1 − y) log(1 − p)], and its gradient by the
chain rule, dℓ/dp · dp/dz, in float32 or float64. Where p rounds to 1 (z ≳ 17 in float32,
≳ 37 in float64), log(1 − p) = −∞ and the gradient 0·∞ = NaN; where σ(z) rounds to 1, −log p is
0 instead of e^(−z). Stable: the core's `bce` with ``from_logits=True`` (softplus), gradient
σ(z) − y. Clipped: p = clip(σ(z), ε, 1 − ε) as on probability inputs: the loss is capped at
−log ε and its gradient with respect to z is 0 where the clip acts — a confident wrong answer
teaches nothing. Softmax: e^z / Σe^z overflows to inf/inf = NaN once a logit passes ~88
(float32) or ~709 (float64); with the row maximum subtracted it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import losses
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
    return [BceRow(*(float(v) for v in values))
            for values in zip(z, l32, l64, ls, g32, g64, gs, strict=True)]  # fmt: skip


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
        where = (f"The naive loss breaks in {' and in '.join(broken)}: inf or NaN for the loss "
                 "and NaN for the gradient, which would wipe out every weight in one training "
                 "step.")  # fmt: skip
    else:
        where = "Between −100 and 100 neither naive form breaks for this label."
    return (
        f"With y = {label:g} a large {wrong_way} z is a confident wrong answer. {where} Where "
        "the model is right, the naive loss rounds to 0 long before the stable one, which keeps "
        "e^(−|z|) to the last digit."
    )
