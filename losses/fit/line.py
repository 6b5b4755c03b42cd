"""Fit a line y ≈ intercept + slope·x under any regression loss in the registry.

Methods, chosen so each fit really reaches its minimum, by the loss's ``line_fit``
(`losses.spec.LineFit`):
- "least_squares" (MSE): weighted least squares, solved exactly (one step from the start).
- "pinball" (MAE and quantile): a linear programme; exact pivot descent through data points
  (`losses.fit.pinball`, after Wesolowsky 1981).
- "huber": exact Newton steps on its piecewise-quadratic cost, every δ of a sweep at once
  (`losses.fit.huber`), the generic descent below where those cannot step.
- "newton", every other regression loss (pseudo-Huber, log-cosh, Barron, …): Newton's method
  with a backtracking line search, falling back to an iteratively reweighted
  least-squares (IRLS) step where that does better (`losses.fit.optimise.newton_irls_line`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from losses import checks
from losses.fit.huber import huber_traces
from losses.fit.optimise import Trace, newton_irls_line
from losses.fit.pinball import pinball_line
from losses.fit.result import (
    FitResult,
    column,
    loss_for,
    sample_weights_or_ones,
    standardise,
)
from losses.spec import NEWTON, Loss

# τ values whose pinball lines one `pinball_lines` keeps: MAE's 0.5 and a few quantiles.
PINBALL_TAUS_KEPT = 16


def pinball_lines(x, y, *, sample_weight=None, max_iter: int = 500) -> Callable[[float], Trace]:
    """τ → the exact pinball line of (x (n,), y (n,)) in the standardised x `fit_lines` uses,
    each computed once (for the last `PINBALL_TAUS_KEPT` τ).

    The exact pinball line is the fit of MAE and of quantile τ, and the start of every
    Newton fit (Huber, pseudo-Huber, log-cosh, Barron, …): a caller that fits several losses
    to the same data (the Regression page's table) makes one of these and passes it to each
    fit (``pinball=``), so the pivot descent runs once, and every fit gets bit for bit the
    line it would compute itself. Its arguments must be the fits' own. Nothing is checked
    or computed before the first call (a fit checks its data first, with its own messages).
    """

    # Cache policy (ui.cache): local.
    @functools.lru_cache(maxsize=1)
    def lines() -> Callable[[float], Trace]:
        checked_x, checked_y = checks.regression_pair(x, y)
        weights = sample_weights_or_ones(sample_weight, checked_x.shape[0])
        scaled = standardise(checked_x[:, None])[0][:, 0]
        return _pinball_lines(scaled, checked_y, weights, max_iter)

    return lambda tau: lines()(tau)


def _pinball_lines(scaled, y, weights, max_iter: int) -> Callable[[float], Trace]:
    # Cache policy (ui.cache): local.
    @functools.lru_cache(maxsize=PINBALL_TAUS_KEPT)
    def line(tau: float) -> Trace:
        return pinball_line(scaled, y, weights, float(tau), max_iter=max_iter)

    return line


def fit_regression(
    data: pd.DataFrame,
    loss_id: str,
    *,
    sample_weight=None,
    max_iter: int = 500,
    pinball: Callable[[float], Trace] | None = None,
    **loss_params,
) -> FitResult:
    """Fit y ≈ intercept + slope·x (columns ``x``, ``y``) under a regression loss."""
    x, y = column(data, "x"), column(data, "y")
    return fit_line(
        x,
        y,
        loss_id,
        sample_weight=sample_weight,
        max_iter=max_iter,
        pinball=pinball,
        **loss_params,
    )


def fit_line(
    x,
    y,
    loss_id: str,
    *,
    sample_weight=None,
    max_iter: int = 500,
    pinball: Callable[[float], Trace] | None = None,
    **loss_params,
):
    """Fit y ≈ a + b·x, x and y of shape (n,), minimising the (weighted) mean loss.

    ``pinball``: `pinball_lines` of these same arguments, shared with other fits of them."""
    (result,) = fit_lines(
        x,
        y,
        loss_id,
        [loss_params],
        sample_weight=sample_weight,
        max_iter=max_iter,
        pinball=pinball,
    )
    return result


def fit_lines(
    x,
    y,
    loss_id: str,
    param_sets: Sequence[dict],
    *,
    sample_weight=None,
    max_iter: int = 500,
    pinball: Callable[[float], Trace] | None = None,
) -> list[FitResult]:
    """`fit_line` under each of ``param_sets`` (a sweep of one loss's setting), bit for bit
    the same fits: the work they share (the checks, the standardised x, the exact MAE line
    the Newton fits start from) is done once. How a line is fitted is the loss's
    ``line_fit`` (`losses.spec.LineFit`)."""
    loss = loss_for(loss_id, "regression")
    resolved = [loss.resolve_params(loss_params) for loss_params in param_sets]
    x, y = checks.regression_pair(x, y)
    if x.shape[0] < 2:
        raise ValueError("need at least 2 points to fit a line.")
    weights = sample_weights_or_ones(sample_weight, x.shape[0])
    scaled, centre, spread = standardise(x[:, None])
    scaled = scaled[:, 0]
    if pinball is None:
        pinball = _pinball_lines(scaled, y, weights, max_iter)
    kind = loss.line_fit.kind
    # Every loss but least squares and the pinball ones starts at the exact MAE line, the δ → 0
    # limit of Huber-like losses: from a flat line, small δ (nearly MAE) needed hundreds of
    # IRLS steps.
    mae_start = None
    if kind not in ("least_squares", "pinball"):
        mae_start = pinball(0.5).points[-1].copy()
    exact_huber = [None] * len(resolved)
    if kind == "huber":
        deltas = [params["delta"] for params in resolved]
        exact_huber = huber_traces(scaled, y, weights, deltas, start=mae_start)
    results = []
    for params, exact in zip(resolved, exact_huber, strict=True):
        method = loss.line_fit.method
        if kind == "least_squares":
            trace = _least_squares_line(scaled, y, weights)
        elif kind == "pinball":
            trace = pinball(loss.line_fit.tau(params))
        elif exact is not None:
            trace = exact
        else:
            trace = newton_irls_line(
                functools.partial(_value, loss, params),
                functools.partial(_grad, loss, params),
                scaled,
                y,
                weights,
                start=mae_start,
                max_iter=max_iter,
            )
            method = NEWTON.method
        results.append(
            _line_result(loss, params, method, trace, x, y, weights, scaled, (centre[0], spread[0]))
        )
    return results


def _value(loss: Loss, params: dict, target, prediction):
    return loss.value_fn(target, prediction, **params)


def _grad(loss: Loss, params: dict, target, prediction):
    return loss.grad_fn(target, prediction, **params)


def _line_result(loss, params, method, trace, x, y, weights, scaled, scale) -> FitResult:
    """The fit of ``trace`` (in the standardised x = centre + spread·scaled) as a result."""
    centre, spread = scale
    # Back to the original x: a + b·(x − c)/s = (a − b·c/s) + (b/s)·x.
    points = np.array(trace.points)
    slope = points[:, 1] / spread
    path = np.column_stack([points[:, 0] - slope * centre, slope])
    # `weighted_mean` with ``weights`` checked once (`fit_lines` did), not again per iterate.
    total_weight = weights.sum()
    costs = np.array(
        [
            float(np.dot(weights, loss.value_fn(y, a + b * scaled, **params)) / total_weight)
            for a, b in points
        ]
    )
    intercept, slope_final = path[-1]
    residual = intercept + slope_final * x - y
    influence = loss.grad_fn(np.zeros_like(residual), residual, **params)
    return FitResult(
        loss_id=loss.id,
        task="regression",
        method=method,
        params={"intercept": float(intercept), "slope": float(slope_final)},
        param_names=("intercept", "slope"),
        cost_history=costs,
        objective_history=costs,
        path=path,
        effective_weight=_regression_weights(loss, params, residual),
        converged=trace.converged,
        influence=influence,
    )


def _regression_weights(loss: Loss, params: dict, residual: np.ndarray) -> np.ndarray:
    """ψ(r)/r, each point's weight in the equivalent weighted least-squares fit, in [0, 1].

    Relative to the weight of a point at the fit: the limit of ψ(r)/r as r → 0
    (MSE: 1 everywhere; Huber: min(1, δ/|r|)). For MAE and quantile that limit is
    infinite (ψ(r)/r = 1/|r|, τ/|r|), so the reference is a point at the median
    absolute residual m instead (at least 1/1000 of the largest): points nearer
    the fit than that get 1, points farther m/|r|. Points at r = 0 get 1.
    """
    spread = float(np.max(np.abs(residual))) or 1.0
    if loss.line_fit.kind == "pinball":
        # At least 1/1000 of the largest residual: with noise-free data most points sit
        # on the line and the median is 0, which would give every point weight 1.
        reference = max(float(np.median(np.abs(residual))), 1e-3 * spread)
    else:
        reference = 1e-8 * spread
    probe = np.array([reference, -reference])
    at_reference = loss.grad_fn(np.zeros(2), probe, **params) / probe
    on_fit = np.abs(residual) <= 1e-12 * spread
    safe = np.where(on_fit, 1.0, residual)
    ratio = loss.grad_fn(np.zeros_like(safe), safe, **params) / safe
    return np.where(on_fit, 1.0, np.clip(ratio / at_reference.max(), 0.0, 1.0))


def _least_squares_line(x, y, weights) -> Trace:
    design = np.column_stack([np.ones_like(x), x])
    root = np.sqrt(weights)
    solution, *_ = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)
    start = np.array([np.median(y), 0.0])

    def sse(point):
        residual = design @ point - y
        return float(np.dot(weights, residual * residual))

    trace = Trace([], [], converged=True)
    trace.record(start, sse(start))
    trace.record(solution, sse(solution))
    return trace
