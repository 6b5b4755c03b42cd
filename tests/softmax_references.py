"""Torch-free references for one sample's cross-entropy, written out independently of the core.

Each loss is the textbook formula in NumPy/SciPy (scipy.special.softmax / log_softmax), and its
gradient is taken by 4th-order central finite differences of that formula, so a page number keeps
an independent check when PyTorch is not installed (PyTorch stays an optional cross-check).
"""

from __future__ import annotations

import numpy as np
import scipy.special


def smoothed_target(k: int, true_class: int, label_smoothing: float) -> np.ndarray:
    """Keras/PyTorch label smoothing of a one-hot row: onehot·(1 − ls) + ls/k, shape (k,)."""
    target = np.full(k, label_smoothing / k)
    target[true_class] += 1 - label_smoothing
    return target


def logit_route_loss(z, true_class: int, *, label_smoothing: float) -> float:
    """−Σ y_s log_softmax(z): torch.nn.functional.cross_entropy(label_smoothing=ls) for one row."""
    z = np.asarray(z, dtype=np.float64)
    target = smoothed_target(z.size, true_class, label_smoothing)
    return float(-target @ scipy.special.log_softmax(z))


def probability_route_loss(z, true_class: int, *, label_smoothing: float, eps: float) -> float:
    """Keras' probability route: p = softmax(z) / Σ, clipped to [ε, 1 − ε], then −Σ y_s log p."""
    z = np.asarray(z, dtype=np.float64)
    probability = scipy.special.softmax(z)
    probability = np.clip(probability / probability.sum(), eps, 1 - eps)
    target = smoothed_target(z.size, true_class, label_smoothing)
    return float(-target @ np.log(probability))


def central_difference_gradient(loss, z, *, h: float = 1e-5) -> np.ndarray:
    """∂loss/∂z by the 4th-order central difference (−f(2h) + 8f(h) − 8f(−h) + f(−2h)) / 12h."""
    z = np.asarray(z, dtype=np.float64)
    gradient = np.empty_like(z)
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = h
        gradient[j] = (
            -loss(z + 2 * step) + 8 * loss(z + step) - 8 * loss(z - step) + loss(z - 2 * step)
        ) / (12 * h)
    return gradient
