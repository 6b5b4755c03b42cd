"""The Huber δ lab's numbers: Huber's quadratic zone, its two limits, and the δ sweep.

Computed through the registered losses and `losses.fit.fit_line`, so the lab cannot
disagree with the core. Residual r = ŷ − y throughout (as `lessons.curves`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lessons.curves import regression_curve
from losses.fit import fit_line
from losses.fit.line import fit_lines
from losses.registry import get

# Huber's line is "MAE-like" when at most this share of points is in the quadratic zone.
FEW_QUADRATIC = 0.05


def quadratic_zone(residual, delta: float) -> np.ndarray:
    """Boolean (n,): True where Huber is quadratic, |r| ≤ δ (its branch test)."""
    return np.abs(np.asarray(residual, dtype=np.float64)) <= delta


@dataclass(frozen=True)
class HuberLimits:
    """Huber beside its two limits on one residual axis, each (value, gradient), shape (n,).

    ``half_mse`` = ½·MSE = ½r², the δ → ∞ limit; ``delta_mae`` = δ·MAE = δ|r|, whose
    gradient δ·sign(r) is Huber's for |r| > δ (the δ → 0 shape).
    """

    huber: tuple[np.ndarray, np.ndarray]
    half_mse: tuple[np.ndarray, np.ndarray]
    delta_mae: tuple[np.ndarray, np.ndarray]


def huber_limits(residual, delta: float) -> HuberLimits:
    """Huber at δ, ½·MSE and δ·MAE along ``residual``, all through the registry."""
    huber = regression_curve(get("huber"), residual, delta=delta)
    mse_value, mse_grad = regression_curve(get("mse"), residual)
    mae_value, mae_grad = regression_curve(get("mae"), residual)
    return HuberLimits(
        huber=huber,
        half_mse=(0.5 * mse_value, 0.5 * mse_grad),
        delta_mae=(delta * mae_value, delta * mae_grad),
    )


def zone_notes(residual, delta: float) -> list[str]:
    """Plain-language notes on where the Huber fit's residuals sit relative to ±δ."""
    inside = quadratic_zone(residual, delta)
    n, k = inside.size, int(inside.sum())
    largest = float(np.max(np.abs(residual))) if n else 0.0
    if k == n:
        return [
            f"Every residual is within ±δ (largest |r| = {largest:.3g} ≤ δ = {delta:g}): "
            "Huber is ½·MSE on all these points, so its line is exactly the least-squares "
            "(MSE) line."
        ]
    if k <= FEW_QUADRATIC * n:
        return [
            f"Only {k} of {n} residuals are within ±δ = ±{delta:g}; every other point pulls "
            "with the constant force δ, as in δ·MAE, so Huber's line is close to the MAE line."
        ]
    return []


@dataclass(frozen=True)
class DeltaSweep:
    """Huber's fitted line at each δ, with the two limits' lines.

    ``deltas``, ``slopes``, ``intercepts``: shape (m,). ``mse`` and ``mae``:
    {"intercept", "slope"} of the MSE and MAE fits on the same data.
    """

    deltas: np.ndarray
    slopes: np.ndarray
    intercepts: np.ndarray
    mse: dict
    mae: dict


def delta_sweep(x, y, deltas: Sequence[float]) -> DeltaSweep:
    """Fit a Huber line at every δ in ``deltas`` (shape (m,)), plus the MSE and MAE lines."""
    fits = [fit.params for fit in fit_lines(x, y, "huber", [{"delta": float(d)} for d in deltas])]
    return DeltaSweep(
        deltas=np.asarray(deltas, dtype=np.float64),
        slopes=np.array([params["slope"] for params in fits]),
        intercepts=np.array([params["intercept"] for params in fits]),
        mse=fit_line(x, y, "mse").params,
        mae=fit_line(x, y, "mae").params,
    )
