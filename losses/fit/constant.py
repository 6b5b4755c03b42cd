"""The constant prediction that minimises a regression loss's cost: what the loss estimates.

    best_constant(values, "mse")              # the mean
    best_constant(values, "quantile", tau=0.9)  # the 0.9-quantile

MSE's minimiser is the mean, MAE's the median, quantile's the τ-quantile; Huber's is its
M-estimate of location, and so on. Methods, each exact to rounding:
- A loss whose entry gives its ``best_constant`` in closed form: that (MSE: the mean; MAE
  and quantile, piecewise linear: the midpoint of the data point or interval between two
  neighbouring sorted values that minimises it, `losses.location.pinball_constant`).
- Every other loss: the zero of the mean gradient. For a convex loss it is increasing in the
  constant, so bisection between the smallest and largest value finds it to the last bit.
  Barron's loss with α < 1 is not convex: the cost is scanned on a grid, every sign change
  of the mean gradient is bisected, and the lowest cost among those wins (the global
  minimum, not the nearest valley).
"""

from __future__ import annotations

import numpy as np

from losses import checks
from losses.fit.result import loss_for

SCAN_POINTS = 513  # grid for non-convex losses: every valley wider than range/512 is seen
BISECTIONS = 200  # more than the 64 halvings a float64 interval can take; stops early


def _mean_grad(loss, values, constant, params) -> float:
    return float(np.mean(loss.grad_fn(values, np.full_like(values, constant), **params)))


def _bisect(loss, values, low, high, params) -> float:
    """The zero of the mean gradient between ``low`` (gradient ≤ 0) and ``high`` (≥ 0)."""
    for _ in range(BISECTIONS):
        middle = 0.5 * (low + high)
        if middle in (low, high):
            break
        if _mean_grad(loss, values, middle, params) < 0:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def best_constant(values, loss_id: str, **loss_params) -> float:
    """The constant c minimising the mean of ``loss_id``'s loss between ``values`` and c."""
    loss = loss_for(loss_id, "regression")
    params = loss.resolve_params(loss_params)
    values = checks.as_float_array(values, "values")
    checks.require_ndim(values, 1, "values", "(n,)")
    if values.size == 0:
        raise ValueError("values is empty; a constant needs at least one value to fit.")
    if loss.best_constant is not None:
        return loss.best_constant(values, params)
    low, high = float(values.min()), float(values.max())
    if low == high:
        return low
    if loss.is_convex(params):
        return _bisect(loss, values, low, high, params)
    grid = np.linspace(low, high, SCAN_POINTS)
    slopes = np.array([_mean_grad(loss, values, point, params) for point in grid])

    def cost(point: float) -> float:
        return float(np.mean(loss.value_fn(values, np.full_like(values, point), **params)))

    valleys = [
        _bisect(loss, values, grid[i], grid[i + 1], params)
        for i in range(grid.size - 1)
        if slopes[i] < 0 <= slopes[i + 1]  # a valley floor: the slope turns from − to +
    ]
    lowest_on_grid = float(grid[np.argmin([cost(point) for point in grid])])
    return min([*valleys, lowest_on_grid], key=cost)
