"""Huber lines at many δ at once: an exact active-set Newton descent, vectorised over δ.

The Huber lab fits a line at each of 41 values of δ for every data set a student makes. The
generic descent (`losses.fit.optimise.newton_irls_line`: curvature by finite differences,
an IRLS candidate, a median per step) is too slow for 41 δ a rerun; these steps, taken for
every δ together as (δ, point) arrays, are several times cheaper and end nearer the minimum
(largest gradient component ~1e-15 against up to ~1e-10).

Huber's cost J(a, b) = Σ wᵢ hδ(a + b·xᵢ − yᵢ) / Σ wᵢ is convex and piecewise quadratic: on
a fixed set of points within δ of the line (the quadratic zone Q) it is a quadratic whose
Hessian is Σ_Q wᵢ [[1, xᵢ], [xᵢ, xᵢ²]] / Σ wᵢ, and its gradient is Σ wᵢ ψδ(rᵢ)(1, xᵢ) / Σ wᵢ
with ψδ(r) = clip(r, −δ, δ). A Newton step solves that quadratic exactly, so once the zone
stops changing the step lands on the minimum (finite termination); an Armijo backtracking
search keeps every step downhill until then (Nocedal & Wright, Numerical Optimization, 2nd
ed., ch. 3). Each δ starts where `fit_lines` starts it, at the exact MAE line.

Each δ's steps depend on its own row alone (row-wise reductions), so a δ fitted alone and in
a sweep of 41 take bit for bit the same steps. A δ whose zone holds too few distinct x for
the Hessian to be inverted, with no downhill step while its gradient is still large, or not
done within `NEWTON_STEPS`, is left to the generic descent (None).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from losses import regression
from losses.fit.optimise import Trace

NEWTON_STEPS = 40
HALVINGS = 40


def _lines(theta, x):
    """ŷ = a + b·x for each row (a, b) of ``theta`` (m, 2): shape (m, n)."""
    return theta[:, :1] + theta[:, 1:] * x


def _costs(theta, x, y, weights, delta):
    """Σ wᵢ hδ(a + b·xᵢ − yᵢ) / Σ wᵢ for each row (a, b) of ``theta`` (m, 2), δ (m,): the
    core's Huber kernel, δ broadcast down the rows."""
    return _mean(regression.huber(y, _lines(theta, x), delta=delta[:, None]), weights)


def _mean(values, weights):
    """Row-wise weighted mean of (m, n) ``values``: each row reduced on its own."""
    return (values * weights).sum(axis=1) / weights.sum()


def huber_traces(x, y, weights, deltas: Sequence[float], *, start) -> list[Trace | None]:
    """The descent's iterates (a, b) and costs at each δ of ``deltas`` (m,), for the line
    y ≈ a + b·x (x, y, weights of shape (n,), x standardised), from ``start`` = (a, b);
    None for a δ it leaves to the generic descent."""
    delta = np.asarray(deltas, dtype=np.float64)
    m = delta.size
    theta = np.tile(np.asarray(start, dtype=np.float64), (m, 1))
    cost = _costs(theta, x, y, weights, delta)
    traces = [Trace([], []) for _ in range(m)]
    for row in range(m):
        traces[row].record(theta[row], cost[row])
    active = np.ones(m, dtype=bool)  # still descending
    done = np.zeros(m, dtype=bool)
    first_size = None
    for _ in range(NEWTON_STEPS):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        part = theta[rows]
        prediction = _lines(part, x)
        psi = regression.huber_grad(y, prediction, delta=delta[rows, None])  # ψδ(r), the core's
        gradient = np.column_stack([_mean(psi, weights), _mean(psi * x, weights)])
        size = np.max(np.abs(gradient), axis=1)
        if first_size is None:
            first_size = size.copy()
        # The stopping test of `newton_irls_line`: the gradient 1e-13 of its first size.
        finished = size <= 1e-13 * first_size[rows]
        done[rows[finished]] = True
        active[rows[finished]] = False
        keep = ~finished
        rows, part, prediction, gradient = rows[keep], part[keep], prediction[keep], gradient[keep]
        if rows.size == 0:
            break
        # hδ'' = 1 within δ of the line, 0 beyond: the Hessian sums over the quadratic zone.
        zone = (np.abs(prediction - y) <= delta[rows, None]).astype(np.float64)
        h00, h01, h11 = _mean(zone, weights), _mean(zone * x, weights), _mean(zone * x * x, weights)
        determinant = h00 * h11 - h01 * h01
        # A zone of fewer than two distinct x (or nearly so) has no Newton step.
        solvable = determinant > 1e-12 * np.maximum(h00 * h11, 1e-300)
        active[rows[~solvable]] = False
        rows, part, gradient = rows[solvable], part[solvable], gradient[solvable]
        h00, h01, h11 = h00[solvable], h01[solvable], h11[solvable]
        inverse = 1.0 / determinant[solvable]
        direction = -np.column_stack(
            [
                (h11 * gradient[:, 0] - h01 * gradient[:, 1]) * inverse,
                (h00 * gradient[:, 1] - h01 * gradient[:, 0]) * inverse,
            ]
        )
        # Backtracking: halve each δ's step until its cost falls enough (Armijo, c = 1e-4).
        slope = np.sum(gradient * direction, axis=1)
        step = np.ones(rows.size)
        pending = np.arange(rows.size)
        for _ in range(HALVINGS):
            trial = part[pending] + step[pending, None] * direction[pending]
            trial_cost = _costs(trial, x, y, weights, delta[rows[pending]])
            before = cost[rows[pending]]
            # Strictly lower, as `newton_irls_line` asks: at a start already at the minimum
            # (points exactly on a line), no step is taken and the trace is the start alone.
            accepted = (trial_cost < before) & (
                trial_cost <= before + 1e-4 * step[pending] * slope[pending]
            )
            for index, point, value in zip(
                pending[accepted], trial[accepted], trial_cost[accepted], strict=True
            ):
                row = rows[index]
                improvement = cost[row] - value
                theta[row], cost[row] = point, value
                traces[row].record(point, value)
                # No longer falling (rounding): the minimum, as `newton_irls_line` stops.
                if improvement <= 1e-16 * value:
                    done[row], active[row] = True, False
            pending = pending[~accepted]
            if pending.size == 0:
                break
            step[pending] *= 0.5
        # No step lowered the cost. The Newton direction −H⁻¹g is downhill, so with the
        # gradient already tiny only rounding stops it: the minimum. Otherwise (a nearly
        # singular zone, a poor direction) the δ is left to the generic descent.
        stuck = rows[pending]
        settled = np.max(np.abs(gradient[pending]), axis=1) <= 1e-9 * first_size[stuck]
        done[stuck[settled]] = True
        active[stuck] = False
    for row in np.flatnonzero(done):
        traces[row].converged = True
    return [trace if finished else None for trace, finished in zip(traces, done, strict=True)]
