"""Gradient descent on a line ŷ = a + b·x under any regression loss, and the cost landscape
J(a, b) it walks on: what the other fits skip (they reach the minimum by exact or Newton
steps), shown epoch by epoch for teaching.

J(a, b) = mean_i loss(y_i, a + b·x_i). By the chain rule its gradient is the mean of the
per-sample ``loss.grad`` times the features (1, x): ∂J/∂a = mean(g), ∂J/∂b = mean(g·x),
g = ∂loss/∂ŷ. The loops call the registry's raw kernels (inputs checked once, here at the
boundary): the checked `Loss.grad` spends ~35 µs on validation per call, more than a step.
A loss that is exactly r² (MSE) steps on the data's centred moments instead
(`_squared_steps`): the same updates in exact arithmetic, with no loop over the points.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from losses import checks
from losses.fit.result import loss_for
from losses.spec import BLOCK_ELEMENTS

MAX_EPOCHS = 100_000
MAX_UPDATES = 20_000  # parameter updates one run may make (mini-batches of 1 add up fast)
RUNAWAY = 1e150  # |a| or |b| past this is a divergence (their squares would overflow)
BOUND_FACTOR = 1e6  # default divergence bound: this many times max(J(start), 1)


@dataclass(frozen=True)
class DescentPath:
    """A descent's recorded epochs: index 0 is the start, index k the line after epoch k.

    ``intercepts``, ``slopes``, ``costs``: (epochs + 1,) float64, the full-data cost J at each
    recorded (a, b). All are finite: a diverging run stops before the epoch that broke the
    ``bound`` (``diverged_at``), which is not recorded. ``updates`` counts the parameter
    updates made, ``batch_size`` is None for full batch; ``learning_rate`` and ``momentum``
    are the run's η and μ.
    """

    intercepts: np.ndarray
    slopes: np.ndarray
    costs: np.ndarray
    epochs: int
    requested: int
    updates: int
    stop: str  # "done" | "diverged" | "update cap"
    diverged_at: int | None
    bound: float
    batch_size: int | None
    learning_rate: float
    momentum: float


# ---------------------------------------------------------------- checks at the boundary


def _points(x, y) -> tuple[np.ndarray, np.ndarray]:
    """x and y as two finite (n,) float64 arrays, n ≥ 1 (named x and y in the messages, which
    `checks.regression_pair` would call y_pred and y_true)."""
    x = checks.as_float_array(x, "x")
    y = checks.as_float_array(y, "y")
    checks.require_ndim(x, 1, "x", "(n,)")
    if y.shape != x.shape:
        raise ValueError(
            f"x and y need one number per point each; got x of shape {x.shape} and y of "
            f"shape {y.shape}."
        )
    return x, y


def _setup(x, y, loss_id: str, loss_params: dict):
    loss = loss_for(loss_id, "regression")
    params = loss.resolve_params(loss_params)
    x, y = _points(x, y)
    return loss, params, x, y


def _real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}.")
    return float(value)


def _whole(value, name: str, low: int, high: int) -> int:
    whole_float = isinstance(value, float) and value.is_integer()
    if isinstance(value, bool) or not (isinstance(value, numbers.Integral) or whole_float):
        raise ValueError(f"{name} must be a whole number; got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:,} and {high:,}; got {value:,}.")
    return int(value)


def _start(start) -> tuple[float, float]:
    try:
        a, b = start
    except (TypeError, ValueError):
        raise ValueError(
            f"the start must be two numbers (intercept, slope); got {start!r}."
        ) from None
    return _real(a, "the start's intercept"), _real(b, "the start's slope")


# ---------------------------------------------------------------- the cost and its gradient


def descent_gradient(x, y, loss_id: str, intercept, slope, **loss_params) -> tuple[float, float]:
    """(∂J/∂a, ∂J/∂b) = (mean(g), mean(g·x)) at (a, b) = (``intercept``, ``slope``), with
    g = loss.grad(y, a + b·x): the chain rule on the core's per-sample gradient. x, y: (n,)."""
    loss, params, x, y = _setup(x, y, loss_id, loss_params)
    a, b = _real(intercept, "the intercept"), _real(slope, "the slope")
    g = loss.grad_fn(y, a + b * x, **params)
    return float(np.mean(g)), float(np.dot(g, x)) / x.size


def costs_at(x, y, loss_id: str, intercepts, slopes, **loss_params) -> np.ndarray:
    """J at many (a, b) pairs: ``intercepts`` and ``slopes`` of one shape (any), the result
    of that shape. x, y: (n,).

    The pairs are taken a block at a time, each block about `BLOCK_ELEMENTS` per-sample
    values (one pair's n values when n is larger), so memory stays bounded however many
    pairs are asked for, and the kernel's temporaries stay in cache (BENCHMARKS.md,
    core). Where a cost overflows
    float64 it is inf.
    """
    loss, params, x, y = _setup(x, y, loss_id, loss_params)
    a = checks.as_float_array(intercepts, "intercepts")
    b = checks.as_float_array(slopes, "slopes")
    if a.shape != b.shape:
        raise ValueError(
            f"intercepts and slopes must have one shape (one pair each); got {a.shape} and "
            f"{b.shape}."
        )
    flat_a, flat_b = a.reshape(-1), b.reshape(-1)
    n = x.size
    rows = max(1, BLOCK_ELEMENTS // n)
    # The kernels are element-wise, so a block of k pairs is k·n samples in a row: the
    # targets repeat, made once for the largest block.
    targets = np.tile(y, min(rows, flat_a.size))
    result = np.empty(flat_a.size)
    ones = np.ones(n)
    with np.errstate(over="ignore"):  # an absurd line's cost is inf, not a warning
        for first in range(0, flat_a.size, rows):
            block = slice(first, first + rows)
            prediction = np.multiply(flat_b[block, None], x)
            prediction += flat_a[block, None]
            pairs = prediction.shape[0]
            values = loss.value_fn(targets[: pairs * n], prediction.reshape(-1), **params)
            result[block] = values.reshape(pairs, n) @ ones / n
    return result.reshape(a.shape)


def cost_landscape(x, y, loss_id: str, a_values, b_values, **loss_params) -> np.ndarray:
    """J on the grid of ``a_values`` (m,) × ``b_values`` (k,): shape (k, m), [i, j] =
    J(a_values[j], b_values[i]) (Plotly's z[row = y][column = x], with a across and b up).

    A loss that is exactly r² (MSE: ``squared_error`` on its entry) uses the data's moments
    instead of the n points (`_mse_costs`); every other loss `costs_at`.
    """
    a_grid, b_grid = np.meshgrid(
        checks.as_float_array(a_values, "a_values").reshape(-1),
        checks.as_float_array(b_values, "b_values").reshape(-1),
    )
    loss, params, x_checked, y_checked = _setup(x, y, loss_id, loss_params)
    if loss.squared_error:
        return _mse_costs(x_checked, y_checked, a_grid, b_grid)
    if loss.pieces is not None:
        knots, pieces = loss.pieces(params)
        return _piecewise_costs(x_checked, y_checked, a_grid[0], b_grid[:, 0], knots, pieces)
    return costs_at(x, y, loss_id, a_grid, b_grid, **loss_params)


def _piecewise_costs(x, y, a_values, b_values, knots, pieces) -> np.ndarray:
    """J on the grid (k, m) for a loss that is a piecewise quadratic in d = ŷ − y
    (`Loss.pieces`), from each slope's sorted residuals instead of every (a, b, point).

    For a slope b, d = a − r with r = y − b·x, so the points in the piece between knots k_p
    and k_(p+1) are those with r in (a − k_(p+1), a − k_p]: a run of the sorted r, found by
    searchsorted, whose Σ c0 + c1·(a − r) + c2·(a − r)² is m·(c0 + c1·a + c2·a²) −
    (c1 + 2·c2·a)·Σr + c2·Σr² from prefix sums. The r and a of a row are centred on the r's
    mean first, so the sums keep their digits when the data sit far from 0.
    """
    costs = np.empty((b_values.size, a_values.size))
    n = x.size
    with np.errstate(over="ignore", invalid="ignore"):  # an absurd line's cost is inf
        for row, slope in enumerate(b_values.tolist()):
            residual = y - slope * x
            centre = float(np.mean(residual))
            residual -= centre
            residual.sort()
            sums = np.zeros((2, n + 1))
            np.cumsum(residual, out=sums[0, 1:])
            np.cumsum(residual * residual, out=sums[1, 1:])
            shifted = a_values - centre
            # Index bounds of each piece: r' ≥ a' − k lies above searchsorted(…, "left").
            bounds = [np.full(a_values.size, n)]
            bounds += [np.searchsorted(residual, shifted - knot) for knot in knots]
            bounds.append(np.zeros(a_values.size, dtype=np.int64))
            total = np.zeros(a_values.size)
            for (c0, c1, c2), high, low in zip(pieces, bounds[:-1], bounds[1:], strict=True):
                count = high - low
                first = sums[0, high] - sums[0, low]
                second = sums[1, high] - sums[1, low]
                total += count * (c0 + shifted * (c1 + c2 * shifted))
                total -= (c1 + 2.0 * c2 * shifted) * first
                total += c2 * second
            costs[row] = total / n
    return costs


class _Moments(NamedTuple):
    """What MSE's cost and gradient need of the data, centred: x̄, ȳ, u = x − x̄, v = y − ȳ,
    S_uu = mean(u²), b* = S_uv / S_uu (0 when x is constant) and R = var(v − b*·u)."""

    x_mean: float
    y_mean: float
    u: np.ndarray
    v: np.ndarray
    s_uu: float
    best_slope: float
    r_var: float


def _moments(x: np.ndarray, y: np.ndarray) -> _Moments:
    x_mean, y_mean = float(np.mean(x)), float(np.mean(y))
    u, v = x - x_mean, y - y_mean
    s_uu = float(np.dot(u, u)) / u.size
    best_slope = float(np.dot(u, v)) / u.size / s_uu if s_uu > 0 else 0.0
    least_squares_residual = v - best_slope * u
    r_var = float(np.var(least_squares_residual))
    return _Moments(x_mean, y_mean, u, v, s_uu, best_slope, r_var)


def _mse_costs(x: np.ndarray, y: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """mean (a + b·x − y)² from five moments of the data, for arrays of pairs a, b.

    With r = a + b·x − y: J = mean(r)² + var(r), mean(r) = a + b·x̄ − ȳ, and (centred u = x − x̄,
    v = y − ȳ) var(r) = var(b·u − v) = S_uu·(b − b*)² + R, b* = S_uv / S_uu, R = var(v − b*·u)
    the least-squares residual variance. Each term is ≥ 0 and computed from centred data, so
    no cancellation (e.g. J at the exact fit of noise-free data is ~0, never below).
    """
    moments = _moments(x, y)
    with np.errstate(over="ignore"):  # an absurd line's cost is inf, not a warning
        mean_residual = a + b * moments.x_mean - moments.y_mean
        return (
            mean_residual * mean_residual
            + moments.s_uu * (b - moments.best_slope) ** 2
            + moments.r_var
        )


def mse_curvatures(x) -> tuple[float, float]:
    """The smallest and largest curvature (λmin, λmax) of the MSE cost J(a, b) on x: (n,).

    J(a, b) = mean (a + b·x − y)² has the constant Hessian 2·mean [[1, x], [x, x²]], built
    from mean(x) and mean(x²) alone: shifting x moves it, y (outliers included) does not.
    """
    x = checks.as_float_array(x, "x")
    checks.require_ndim(x, 1, "x", "(n,)")
    x_mean = float(np.mean(x))
    moments = np.array([[1.0, x_mean], [x_mean, float(np.dot(x, x)) / x.size]])
    low, high = np.linalg.eigvalsh(2.0 * moments)
    return max(float(low), 0.0), float(high)


def mse_step_limit(x, momentum: float = 0.0) -> float:
    """The largest stable learning rate of full-batch descent on the MSE cost, x: (n,).

    2(1 + μ)/L, L = λmax the cost's largest curvature (`mse_curvatures`): heavy-ball steps
    on a quadratic converge iff 0 < η·λ < 2(1 + μ) for every curvature λ (Polyak 1964,
    "Some methods of speeding up the convergence of iteration methods", §3); μ = 0 gives
    plain descent's 2/L. Above it every step overshoots along the steepest direction by
    more than it corrects.
    """
    return 2.0 * (1.0 + momentum) / mse_curvatures(x)[1]


# ---------------------------------------------------------------- the descent


def epochs_run(n: int, epochs: int, batch_size: int | None, max_updates: int = MAX_UPDATES):
    """(the epochs a descent on n points runs, "done" or "update cap"): all ``epochs``, or,
    when they would take more than ``max_updates`` updates (one per batch of ``batch_size``,
    None: one per epoch), as many whole epochs as fit, at least one. So a capped run of any
    larger request is the run of exactly that many epochs."""
    per_epoch = 1 if batch_size is None or batch_size >= n else -(-n // batch_size)
    if epochs * per_epoch > max_updates:
        return max(1, max_updates // per_epoch), "update cap"
    return epochs, "done"


def gradient_descent(
    x,
    y,
    loss_id: str,
    *,
    start=(0.0, 0.0),
    learning_rate: float = 0.01,
    epochs: int = 500,
    momentum: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
    bound: float | None = None,
    max_updates: int = MAX_UPDATES,
    **loss_params,
) -> DescentPath:
    """Descend on J(a, b) from ``start`` = (a, b) for ``epochs`` passes over x, y (n,).

    Each update: v ← μ·v − η·∇J_batch, (a, b) ← (a, b) + v (heavy ball, μ = ``momentum``;
    μ = 0 is plain descent), η = ``learning_rate``. Full batch (``batch_size`` None or ≥ n):
    one update per epoch on every point. Mini-batch: each epoch visits the points in a fresh
    random order (one ``np.random.default_rng(seed)`` for the run: same seed, same path) in
    consecutive batches of ``batch_size``, the last maybe smaller. The full-data cost is
    recorded after every epoch.

    Stops early ("diverged") at the first epoch whose cost passes ``bound`` (default
    10⁶ × max(J(start), 1)) or is not finite, or in which |a| or |b| passes 1e150; that epoch
    is not recorded. When the epochs would need more than ``max_updates`` updates, only as
    many whole epochs run as fit, at least one ("update cap").
    """
    loss, params, x, y = _setup(x, y, loss_id, loss_params)
    learning_rate = _real(learning_rate, "the learning rate")
    if learning_rate <= 0:
        raise ValueError(f"the learning rate must be above 0; got {learning_rate:g}.")
    epochs = _whole(epochs, "epochs", 1, MAX_EPOCHS)
    momentum = _real(momentum, "momentum")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be at least 0 and below 1; got {momentum:g}.")
    if batch_size is not None:
        batch_size = _whole(batch_size, "the batch size", 1, 10**9)
    a, b = _start(start)
    seed = _whole(seed, "the seed", 0, 2**32 - 1)
    max_updates = _whole(max_updates, "max_updates", 1, 10**8)
    if bound is not None:
        bound = _real(bound, "the divergence bound")
        if bound <= 0:
            raise ValueError(f"the divergence bound must be above 0; got {bound:g}.")

    n = x.size
    full = batch_size is None or batch_size >= n
    run, stop = epochs_run(n, epochs, batch_size, max_updates)

    cost_at, epoch_step = (_squared_steps if loss.squared_error else _kernel_steps)(
        x,
        y,
        loss,
        params,
        learning_rate=learning_rate,
        momentum=momentum,
        batch_size=None if full else batch_size,
        rng=np.random.default_rng(seed),
    )
    with np.errstate(over="ignore", invalid="ignore"):
        start_cost = cost_at(a, b)
    if not math.isfinite(start_cost):
        raise ValueError(
            f"the cost at the start overflows ({start_cost}); start nearer the data or "
            "rescale x and y."
        )
    if bound is None:
        bound = BOUND_FACTOR * max(start_cost, 1.0)

    intercepts, slopes, costs = [a], [b], [start_cost]
    state = [a, b, 0.0, 0.0, 0]  # a, b, the velocities in a and b, the updates made
    diverged_at = None
    # Overflow on the way to a divergence is caught by the checks below, not warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, run + 1):
            runaway = epoch_step(state)
            a, b = state[0], state[1]
            cost = math.inf if runaway else cost_at(a, b)
            if not cost <= bound:  # past the bound, inf or NaN
                stop, diverged_at = "diverged", epoch
                break
            intercepts.append(a)
            slopes.append(b)
            costs.append(cost)
    updates = state[4]
    return DescentPath(
        intercepts=np.array(intercepts),
        slopes=np.array(slopes),
        costs=np.array(costs),
        epochs=len(costs) - 1,
        requested=epochs,
        updates=updates,
        stop=stop,
        diverged_at=diverged_at,
        bound=float(bound),
        batch_size=None if full else batch_size,
        learning_rate=learning_rate,
        momentum=momentum,
    )


# ---------------------------------------------------------------- the steps of an epoch
#
# Each factory returns ``cost_at(a, b)``, the full-data cost J, and ``epoch_step(state)``,
# which makes one epoch's updates on ``state`` = [a, b, velocity a, velocity b, updates]
# (in place) and says whether a or b ran away (past `RUNAWAY`, or NaN) on the way.

Steps = tuple[Callable[[float, float], float], Callable[[list], bool]]


def _kernel_steps(x, y, loss, params, *, learning_rate, momentum, batch_size, rng) -> Steps:
    """Steps on the loss's own kernels, point by point: any regression loss."""
    value_fn, grad_fn = loss.value_fn, loss.grad_fn
    n = x.size
    prediction = np.empty(n)

    def cost_at(a: float, b: float) -> float:
        # Leaves ŷ = a + b·x in `prediction`: for full batch, the next epoch's gradient.
        np.multiply(x, b, out=prediction)
        np.add(prediction, a, out=prediction)
        return float(value_fn(y, prediction, **params).sum()) / n

    def full_batch(state: list) -> bool:
        a, b, velocity_a, velocity_b, updates = state
        g = grad_fn(y, prediction, **params)
        # mean(g) and mean(g·x) as a sum and a dot product: no temporary for g·x.
        velocity_a = momentum * velocity_a - learning_rate * float(g.sum()) / n
        velocity_b = momentum * velocity_b - learning_rate * float(np.dot(g, x)) / n
        a += velocity_a
        b += velocity_b
        state[:] = a, b, velocity_a, velocity_b, updates + 1
        return not (abs(a) < RUNAWAY and abs(b) < RUNAWAY)  # NaN fails too

    def mini_batches(state: list) -> bool:
        a, b, velocity_a, velocity_b, updates = state
        order = rng.permutation(n)
        shuffled_x, shuffled_y = x[order], y[order]
        runaway = False
        for first in range(0, n, batch_size):
            batch_x = shuffled_x[first : first + batch_size]
            g = grad_fn(shuffled_y[first : first + batch_size], a + b * batch_x, **params)
            size = batch_x.size
            velocity_a = momentum * velocity_a - learning_rate * float(g.sum()) / size
            velocity_b = momentum * velocity_b - learning_rate * float(np.dot(g, batch_x)) / size
            a += velocity_a
            b += velocity_b
            updates += 1
            if not (abs(a) < RUNAWAY and abs(b) < RUNAWAY):
                runaway = True
                break
        state[:] = a, b, velocity_a, velocity_b, updates
        return runaway

    return cost_at, full_batch if batch_size is None else mini_batches


def _squared_steps(x, y, loss, params, *, learning_rate, momentum, batch_size, rng) -> Steps:
    """Steps for a loss that is exactly r² (MSE, ``squared_error`` on its entry), from the
    data's centred moments (`_moments`) instead of its n points: the same updates in exact
    arithmetic, a few float operations each.

    With r = a + b·x − y = m + b·u − v (m = a + b·x̄ − ȳ, u = x − x̄, v = y − ȳ), a batch B's
    gradient of mean r² is 2·(mean_B r, mean_B r·x), mean_B r = m + b·ū_B − v̄_B and
    mean_B r·x = m·ū_B + b·mean_B u² − mean_B u·v + x̄·mean_B r; over all the points
    (ū = v̄ = 0) that is 2·(m, S_uu·(b − b*) + x̄·m). J = m² + S_uu·(b − b*)² + R
    (`_mse_costs`). Centred, so a line near the fit loses no digits to cancellation.
    """
    moments = _moments(x, y)
    x_mean, y_mean = moments.x_mean, moments.y_mean
    s_uu, best_slope, r_var = moments.s_uu, moments.best_slope, moments.r_var
    u, v = moments.u, moments.v
    n = x.size

    def cost_at(a: float, b: float) -> float:
        mean_residual = a + b * x_mean - y_mean
        slope_off = b - best_slope
        return mean_residual * mean_residual + s_uu * (slope_off * slope_off) + r_var

    def full_batch(state: list) -> bool:
        a, b, velocity_a, velocity_b, updates = state
        mean_residual = a + b * x_mean - y_mean
        grad_a = 2.0 * mean_residual
        grad_b = 2.0 * (s_uu * (b - best_slope) + x_mean * mean_residual)
        velocity_a = momentum * velocity_a - learning_rate * grad_a
        velocity_b = momentum * velocity_b - learning_rate * grad_b
        a += velocity_a
        b += velocity_b
        state[:] = a, b, velocity_a, velocity_b, updates + 1
        return not (abs(a) < RUNAWAY and abs(b) < RUNAWAY)  # NaN fails too

    columns = np.stack([u, v, u * u, u * v])
    firsts = np.arange(0, n, batch_size or n)
    sizes = np.diff(np.append(firsts, n)).astype(np.float64)

    def mini_batches(state: list) -> bool:
        a, b, velocity_a, velocity_b, updates = state
        order = rng.permutation(n)
        # Each batch's mean u, v, u², u·v, all batches of the epoch at once.
        means = np.add.reduceat(columns[:, order], firsts, axis=1) / sizes
        runaway = False
        for mean_u, mean_v, mean_uu, mean_uv in zip(*means.tolist(), strict=True):
            mean_residual = a + b * x_mean - y_mean
            batch_residual = mean_residual + b * mean_u - mean_v
            grad_a = 2.0 * batch_residual
            grad_b = 2.0 * (
                mean_residual * mean_u + b * mean_uu - mean_uv + x_mean * batch_residual
            )
            velocity_a = momentum * velocity_a - learning_rate * grad_a
            velocity_b = momentum * velocity_b - learning_rate * grad_b
            a += velocity_a
            b += velocity_b
            updates += 1
            if not (abs(a) < RUNAWAY and abs(b) < RUNAWAY):
                runaway = True
                break
        state[:] = a, b, velocity_a, velocity_b, updates
        return runaway

    return cost_at, full_batch if batch_size is None else mini_batches
