"""Closed-form best constants: the c minimising a loss's mean cost on values, for the losses
that have one (the registry puts them on their entries as ``best_constant``)."""

from __future__ import annotations

import numpy as np


def mean(values: np.ndarray, params: dict) -> float:
    """MSE's best constant: the mean of ``values`` (n,)."""
    return float(np.mean(values))


def pinball_constant(values: np.ndarray, tau: float) -> float:
    """Midpoint of the minimisers of mean max(τd, (τ − 1)d), d = value − constant."""
    ordered = np.sort(values)
    n = ordered.size
    # The cost's slope at c is (share of values below c) − τ (plus ties): it changes sign at
    # the k-th smallest value with k = ⌈nτ⌉; when nτ is a whole number it is 0 between the
    # nτ-th and (nτ + 1)-th, and every point there is a minimiser.
    position = n * tau
    k = int(np.ceil(position))
    if np.isclose(position, round(position), rtol=0, atol=1e-9 * n) and 0 < round(position) < n:
        k = round(position)
        return 0.5 * (ordered[k - 1] + ordered[k])
    return float(ordered[max(k, 1) - 1])


def median(values: np.ndarray, params: dict) -> float:
    """MAE's best constant: the median (the midpoint of the middle two for even n)."""
    return pinball_constant(values, 0.5)


def tau_quantile(values: np.ndarray, params: dict) -> float:
    """The quantile loss's best constant: the τ-quantile (``params["tau"]``)."""
    return pinball_constant(values, params["tau"])
