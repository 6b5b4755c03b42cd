"""Small exact minimisers used by `losses.fit`: weighted pinball descent and BFGS.

Both work on a handful of parameters (2 for a line, 3 for a logistic model,
3k for a softmax model) over up to 1e6 samples, so every step is a few
vectorised passes over the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass
class Trace:
    """Iterates of a minimiser: parameter vectors and objective values, first one the start."""

    points: list[np.ndarray]
    objectives: list[float]
    converged: bool = False

    def record(self, point: np.ndarray, objective: float) -> None:
        self.points.append(point.copy())
        self.objectives.append(float(objective))


def weighted_pinball_slope(offsets, spans, weights, tau):
    """Exact minimiser b of Σᵢ wᵢ ρ_τ(offsetᵢ − b·spanᵢ) over rows with spanᵢ ≠ 0.

    ρ_τ(u) = max(τu, (τ − 1)u). With sᵢ = offsetᵢ/spanᵢ each term is
    wᵢ|spanᵢ|·ρ_τᵢ(sᵢ − b), where τᵢ = τ for positive spans and 1 − τ for negative
    ones (ρ_τ(−u) = ρ_{1−τ}(u)). That sum is convex and piecewise linear in b, with
    slope −Σ vᵢτᵢ below every sᵢ rising by vᵢ at each sᵢ; the minimiser is the first
    sorted sᵢ where the running slope reaches 0. Returns (b, index of that row).
    """
    ratios = offsets / spans
    scaled = weights * np.abs(spans)
    tau_each = np.where(spans > 0, tau, 1.0 - tau)
    order = np.argsort(ratios, kind="stable")
    running_slope = np.cumsum(scaled[order]) - np.dot(scaled, tau_each)
    first = int(np.searchsorted(running_slope, 0.0, side="left"))
    first = min(first, order.size - 1)
    return ratios[order[first]], int(order[first])


def pinball_line(x, y, weights, tau, *, max_iter=500):
    """Exact weighted τ-quantile regression line y ≈ a + b·x by pivot descent.

    Wesolowsky's direct descent (1981), generalised from L1 to the pinball loss:
    the optimum of this linear programme is a line through two data points. Start
    from the flat line at the weighted τ-quantile of y (which passes through one
    point, the pivot); rotate about the pivot to the best slope (an exact weighted
    quantile, see `weighted_pinball_slope`), which lands on a new point; make that
    the pivot; stop when a rotation no longer lowers the cost. At a vertex the cost
    is linear in each cone between the two rotation directions, so optimality
    along both rotations is optimality. Returns a Trace of (a, b) iterates.
    """

    def pinball_cost(a, b):
        shortfall = y - a - b * x
        return float(np.dot(weights, np.maximum(tau * shortfall, (tau - 1.0) * shortfall)))

    n = x.shape[0]
    # Start: b = 0, a = weighted τ-quantile of y (the same 1-D exact step with unit spans).
    a, pivot = weighted_pinball_slope(y, np.ones(n), weights, tau)
    b = 0.0
    trace = Trace([], [])
    trace.record(np.array([a, b]), pinball_cost(a, b))
    for _ in range(max_iter):
        spans = x - x[pivot]
        movable = spans != 0
        if not np.any(movable):
            trace.converged = True
            break
        b_new, row = weighted_pinball_slope(
            (y - y[pivot])[movable], spans[movable], weights[movable], tau
        )
        a_new = y[pivot] - b_new * x[pivot]
        cost_new = pinball_cost(a_new, b_new)
        if cost_new >= trace.objectives[-1] * (1.0 - 1e-15) - 1e-300:
            trace.converged = True
            break
        a, b = a_new, b_new
        pivot = int(np.flatnonzero(movable)[row])
        trace.record(np.array([a, b]), cost_new)
    return trace


def bfgs(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    *,
    max_iter: int = 500,
    gradient_tolerance: float = 1e-10,
) -> Trace:
    """Minimise a smooth function of a few parameters with BFGS and a backtracking line search.

    ``objective(θ)`` returns (f, ∇f). The inverse-Hessian update is skipped when the
    curvature condition sᵀy > 0 fails, so the search direction stays a descent
    direction; the line search halves the step until the Armijo condition holds.
    Stops when ‖∇f‖∞ ≤ gradient_tolerance·max(1, |f|) or no step lowers f.
    (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 6.1.)
    """
    point = start.astype(np.float64).copy()
    value, gradient = objective(point)
    inverse_hessian = np.eye(point.size)
    trace = Trace([], [])
    trace.record(point, value)
    for _ in range(max_iter):
        if np.max(np.abs(gradient)) <= gradient_tolerance * max(1.0, abs(value)):
            trace.converged = True
            break
        direction = -inverse_hessian @ gradient
        slope = float(gradient @ direction)
        if slope >= 0:  # lost descent: restart from steepest descent
            inverse_hessian = np.eye(point.size)
            direction, slope = -gradient, -float(gradient @ gradient)
        step = 1.0
        for _ in range(60):
            candidate = point + step * direction
            candidate_value, candidate_gradient = objective(candidate)
            if candidate_value <= value + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            trace.converged = True  # no representable step lowers f: at the minimum
            break
        moved = candidate - point
        change = candidate_gradient - gradient
        curvature = float(moved @ change)
        if curvature > 1e-12 * float(np.linalg.norm(moved) * np.linalg.norm(change)):
            rho = 1.0 / curvature
            identity = np.eye(point.size)
            left = identity - rho * np.outer(moved, change)
            inverse_hessian = left @ inverse_hessian @ left.T + rho * np.outer(moved, moved)
        no_progress = value - candidate_value <= 1e-16 * max(1.0, abs(value))
        point, value, gradient = candidate, candidate_value, candidate_gradient
        trace.record(point, value)
        if no_progress and step < 1.0:
            trace.converged = True
            break
    return trace


def newton(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    curvature: Callable[[np.ndarray], np.ndarray],
    start: np.ndarray,
    *,
    max_iter: int = 200,
    gradient_tolerance: float = 1e-10,
) -> Trace:
    """Minimise with (Gauss-)Newton steps and a backtracking line search.

    ``curvature(θ)`` is a positive semi-definite Hessian or Hessian approximation;
    the step solves it by least squares, so directions it cannot see (e.g. adding
    the same constant to every softmax logit) get no step. When that step is not
    a descent direction the steepest-descent direction is used instead.
    """
    point = start.astype(np.float64).copy()
    value, gradient = objective(point)
    trace = Trace([], [])
    trace.record(point, value)
    for _ in range(max_iter):
        if np.max(np.abs(gradient)) <= gradient_tolerance * max(1.0, abs(value)):
            trace.converged = True
            break
        direction = -np.linalg.lstsq(curvature(point), gradient, rcond=1e-12)[0]
        slope = float(gradient @ direction)
        if not slope < 0:
            direction, slope = -gradient, -float(gradient @ gradient)
        step = 1.0
        for _ in range(60):
            candidate = point + step * direction
            candidate_value, candidate_gradient = objective(candidate)
            if candidate_value <= value + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            trace.converged = True  # no representable step lowers f: at the minimum
            break
        no_progress = value - candidate_value <= 1e-16 * max(1.0, abs(value))
        point, value, gradient = candidate, candidate_value, candidate_gradient
        trace.record(point, value)
        if no_progress and step < 1.0:
            trace.converged = True
            break
    return trace
