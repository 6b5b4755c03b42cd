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
