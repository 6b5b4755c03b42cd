"""One sample's logits: softmax, the loss if each class were the true one, and ∂ℓ/∂z.

Every loss number goes through the registry (`losses.get("cce")`), with the page's
``from_logits`` route, so the panel shows the core's numbers, not a copy of the formulas.
NumPy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from losses import multiclass
from losses.registry import get


@dataclass(frozen=True)
class SampleView:
    """One sample with logits z (k,) and a chosen true class.

    ``probability``: softmax(z). ``target``: the (smoothed) label row y the loss uses.
    ``loss_if_true``: (k,) the loss if class c were the true one, with the chosen
    ``from_logits`` route. ``gradient``: ∂ℓ/∂z (k,) of that same route's loss for the
    chosen class. ``logit_route_gradient``: p − y, the logit route's ∂ℓ/∂z, for comparison
    (equal to ``gradient`` until the probability route clips a probability).
    ``loss_from_logits`` / ``loss_from_probabilities``: the chosen class's loss by each route.
    """

    probability: np.ndarray
    target: np.ndarray
    loss_if_true: np.ndarray
    gradient: np.ndarray
    logit_route_gradient: np.ndarray
    loss_from_logits: float
    loss_from_probabilities: float
    probability_clipped: bool


def logit_gradient(
    y_true, logits, *, from_logits: bool, label_smoothing: float, eps: float
) -> np.ndarray:
    """∂ℓ/∂z (n, k) of the CCE the page computes, for labels y_true (n, k) and logits z (n, k).

    Logit route: the registry's gradient with from_logits=True (p·Σy − y). Probability
    route, ℓ(softmax(z)): the chain rule through the softmax Jacobian
    J = diag(p) − p pᵀ (symmetric), ∂ℓ/∂z = Jᵀ g = p ⊙ (g − p·g), with g = ∂ℓ/∂p the
    registry's gradient (clip mask and row renormalisation included): a clipped
    probability passes no gradient back.
    """
    z = np.asarray(logits, dtype=np.float64)
    cce = get("cce")
    settings = {"label_smoothing": label_smoothing, "eps": eps}
    if from_logits:
        return cce.grad(y_true, z, from_logits=True, **settings)
    probability = multiclass.softmax(z)
    d_probability = cce.grad(y_true, probability, from_logits=False, **settings)
    through_sum = (probability * d_probability).sum(axis=1, keepdims=True)
    return probability * (d_probability - through_sum)


def sample_view(
    logits, true_class: int, *, from_logits: bool, label_smoothing: float, eps: float
) -> SampleView:
    """Softmax, per-class losses and the logit gradient of one sample (through the registry)."""
    z = np.asarray(logits, dtype=np.float64).reshape(1, -1)
    k = z.shape[1]
    if k < 2:
        raise ValueError(f"need at least 2 logits, one per class; got {k}.")
    if not 0 <= int(true_class) < k:
        raise ValueError(f"the true class must be 0..{k - 1}; got {true_class}.")
    cce = get("cce")
    probability = multiclass.softmax(z)
    every_class = np.eye(k)  # row c: the one-hot label "the true class is c"
    by_logits = cce.value(
        every_class,
        np.repeat(z, k, axis=0),
        from_logits=True,
        label_smoothing=label_smoothing,
        eps=eps,
    )
    by_probabilities = cce.value(
        every_class,
        np.repeat(probability, k, axis=0),
        from_logits=False,
        label_smoothing=label_smoothing,
        eps=eps,
    )
    chosen = every_class[[int(true_class)]]
    settings = {"label_smoothing": label_smoothing, "eps": eps}
    # The probability route normalises the row, then clips to [ε, 1 − ε].
    normalised = probability / probability.sum()
    return SampleView(
        probability=probability[0],
        target=multiclass.smooth_class_labels(chosen, label_smoothing)[0],
        loss_if_true=by_logits if from_logits else by_probabilities,
        gradient=logit_gradient(chosen, z, from_logits=from_logits, **settings)[0],
        logit_route_gradient=logit_gradient(chosen, z, from_logits=True, **settings)[0],
        loss_from_logits=float(by_logits[int(true_class)]),
        loss_from_probabilities=float(by_probabilities[int(true_class)]),
        probability_clipped=bool(np.any((normalised < eps) | (normalised > 1.0 - eps))),
    )


def clip_cap(eps: float) -> float:
    """−log ε: the largest loss the probability route can give (p clipped to ≥ ε)."""
    return float(-np.log(eps))
