"""Small minimisers used by the fits: Newton/IRLS for a line, BFGS, and Newton.

Each works on a handful of parameters (2 for a line, 3 for a logistic model,
3k for a softmax model) over up to 1e6 samples, so every step is a few
vectorised passes over the data. Stopping rules are relative to the problem's
own scale (the starting gradient, the current cost), never absolute, so the same
data in other units fit equally well. (The exact pinball/L1 line is in
`losses.fit.pinball`.)
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


def _armijo_step(objective, point, value, direction, slope):
    """Halve the step from 1 until f drops by at least 1e-4·step·slope (Armijo).

    Returns (step, θ, f(θ), ∇f(θ)), or None when 60 halvings found no such step.
    """
    step = 1.0
    for _ in range(60):
        candidate = point + step * direction
        candidate_value, candidate_gradient = objective(candidate)
        if candidate_value <= value + 1e-4 * step * slope:
            return step, candidate, candidate_value, candidate_gradient
        step *= 0.5
    return None


def bfgs(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    *,
    max_iter: int = 500,
    gradient_tolerance: float = 1e-10,
    stall_tolerance: float = 0.0,
) -> Trace:
    """Minimise a smooth function of a few parameters with BFGS and a backtracking line search.

    ``objective(θ)`` returns (f, ∇f). The inverse-Hessian update is skipped when the
    curvature condition sᵀy > 0 fails, so the search direction stays a descent
    direction; the line search halves the step until the Armijo condition holds.
    Stops when ‖∇f‖∞ has fallen by gradient_tolerance from the start, when no step
    lowers f, or (with stall_tolerance > 0) when ten steps together lowered f by less
    than stall_tolerance·|f| — for nearly non-smooth functions whose gradient never
    gets small. (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 6.1.)
    """
    point = start.astype(np.float64).copy()
    value, gradient = objective(point)
    first_gradient = float(np.max(np.abs(gradient)))
    inverse_hessian = np.eye(point.size)
    trace = Trace([], [])
    trace.record(point, value)
    for _ in range(max_iter):
        if np.max(np.abs(gradient)) <= gradient_tolerance * first_gradient:
            trace.converged = True
            break
        direction = -inverse_hessian @ gradient
        slope = float(gradient @ direction)
        if slope >= 0:  # lost descent: restart from steepest descent
            inverse_hessian = np.eye(point.size)
            direction, slope = -gradient, -float(gradient @ gradient)
        accepted = _armijo_step(objective, point, value, direction, slope)
        if accepted is None:
            trace.converged = True  # no representable step lowers f: at the minimum
            break
        step, candidate, candidate_value, candidate_gradient = accepted
        moved = candidate - point
        change = candidate_gradient - gradient
        curvature = float(moved @ change)
        if curvature > 1e-12 * float(np.linalg.norm(moved) * np.linalg.norm(change)):
            rho = 1.0 / curvature
            identity = np.eye(point.size)
            left = identity - rho * np.outer(moved, change)
            inverse_hessian = left @ inverse_hessian @ left.T + rho * np.outer(moved, moved)
        no_progress = value - candidate_value <= 1e-16 * abs(value)
        point, value, gradient = candidate, candidate_value, candidate_gradient
        trace.record(point, value)
        if len(trace.objectives) > 10 and (
            trace.objectives[-11] - value <= stall_tolerance * abs(value)
        ):
            trace.converged = True
            break
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
    first_gradient = float(np.max(np.abs(gradient)))
    trace = Trace([], [])
    trace.record(point, value)
    for _ in range(max_iter):
        if np.max(np.abs(gradient)) <= gradient_tolerance * first_gradient:
            trace.converged = True
            break
        direction = -np.linalg.lstsq(curvature(point), gradient, rcond=1e-12)[0]
        slope = float(gradient @ direction)
        if not slope < 0:
            direction, slope = -gradient, -float(gradient @ gradient)
        accepted = _armijo_step(objective, point, value, direction, slope)
        if accepted is None:
            trace.converged = True  # no representable step lowers f: at the minimum
            break
        step, candidate, candidate_value, candidate_gradient = accepted
        no_progress = value - candidate_value <= 1e-16 * abs(value)
        point, value, gradient = candidate, candidate_value, candidate_gradient
        trace.record(point, value)
        if no_progress and step < 1.0:
            trace.converged = True
            break
    return trace


def newton_irls_line(value_fn, grad_fn, x, y, weights, *, start, max_iter: int = 500) -> Trace:
    """Minimise Σ wᵢ·loss(yᵢ, a + b·xᵢ) over (a, b) for a smooth-enough loss.

    ``value_fn(y_true, y_pred)`` is the per-sample loss, ``grad_fn`` its derivative
    in y_pred; for a regression loss that depends only on r = y_pred − y_true,
    ψ(r) = grad_fn(0, r).

    Two candidate steps per iteration, each with a backtracking line search, and
    the better one is taken: Newton's, with curvature ψ'(r) by a central difference
    of the exact gradient ψ (exact for piecewise-quadratic losses away
    from their joins), and IRLS's, a weighted least-squares step with weights
    ψ(r)/r, which never raises the cost for losses whose ψ(r)/r falls with |r|.
    """
    design = np.column_stack([np.ones_like(x), x])
    total_weight = weights.sum()
    zeros = np.zeros_like(y)

    # The problem's own scales: residual size for finite-difference steps, the first
    # gradient for the stopping test. (Absolute floors made tiny-unit data stop early.)
    spread = float(np.std(y)) or float(np.max(np.abs(y))) or 1.0

    def cost(point):
        return float(np.dot(weights, value_fn(y, design @ point)) / total_weight)

    def pull(residual):
        return grad_fn(zeros, residual)

    point = np.asarray(start, dtype=np.float64)
    trace = Trace([], [])
    trace.record(point, cost(point))
    first_gradient = None
    for _ in range(max_iter):
        residual = design @ point - y
        psi = pull(residual)
        gradient = design.T @ (weights * psi) / total_weight
        size = float(np.max(np.abs(gradient)))
        first_gradient = size if first_gradient is None else first_gradient
        if size <= 1e-13 * first_gradient:
            trace.converged = True
            break
        # Steps on the scale of the residuals, not of y: a steep line has a huge spread
        # in y but residuals of order δ, and a coarse step blurs the curvature at ±δ.
        typical = float(np.median(np.abs(residual))) or spread
        step_size = 1e-6 * np.maximum(typical, np.abs(residual))
        curvature = (pull(residual + step_size) - pull(residual - step_size)) / (2 * step_size)
        tiny = 1e-12 * spread
        safe_residual = np.where(np.abs(residual) > tiny, residual, tiny)
        irls_weight = np.where(
            np.abs(residual) > tiny, psi / safe_residual, np.maximum(curvature, 0.0)
        )
        best_point, best_cost = None, trace.objectives[-1]
        for curvature_weight in (np.maximum(curvature, 0.0), irls_weight):
            # 2×2 weighted normal matrix [Σc, Σcx; Σcx, Σcx²] of the design [1, x].
            c = weights * curvature_weight
            hessian = np.array([[c.sum(), c @ x], [c @ x, c @ (x * x)]]) / total_weight
            if np.linalg.cond(hessian) > 1e12:
                continue
            direction = -np.linalg.solve(hessian, gradient)
            step = 1.0
            for _ in range(40):
                candidate = point + step * direction
                if np.array_equal(candidate, point):
                    break  # every shorter step rounds to the point too: nothing left to try
                candidate_cost = cost(candidate)
                if candidate_cost < best_cost:
                    best_point, best_cost = candidate, candidate_cost
                    break
                step *= 0.5
            if best_point is not None and step == 1.0:
                break  # a full Newton step lowered the cost: the IRLS candidate is not needed
        if best_point is None:
            trace.converged = True
            break
        improvement = trace.objectives[-1] - best_cost
        point = best_point
        trace.record(point, best_cost)
        if improvement <= 1e-16 * best_cost:
            trace.converged = True
            break
    return trace
