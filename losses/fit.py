"""Fit a line, a logistic model or a softmax model to generated data under any loss.

Every fit returns a `FitResult`: the fitted parameters, the cost at each
iteration (for training curves), the parameter path (for animation) and each
point's effective weight in the final fit.

Methods, chosen so each fit really reaches its minimum:
- MSE: weighted least squares, solved exactly (one step from the start).
- MAE and quantile: the problem is a linear programme; exact pivot descent
  through data points (`losses.optimise.pinball_line`, Wesolowsky 1981).
- Other regression losses (Huber, pseudo-Huber, log-cosh, …): Newton's method
  with a backtracking line search on the curvature of the loss, falling back to
  an iteratively reweighted least-squares (IRLS) step — a majorise-minimise step
  that never raises the cost — wherever that does better.
- Binary classification: BFGS with a backtracking line search on the mean loss
  plus an optional L2 penalty (`losses.optimise.bfgs`), on standardised features.
- Multi-class: Newton with the softmax model's Fisher matrix (cross-entropy's exact
  Hessian) and a backtracking line search (`losses.optimise.newton`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from losses import _validate, multiclass
from losses.optimise import Trace, bfgs, newton
from losses.pinball_descent import pinball_line
from losses.registry import by_task, get
from losses.spec import Loss, weighted_mean

# Default L2 penalty for classification: J = cost + (l2/2)·‖w‖² on standardised features
# (bias not penalised). Small enough to leave non-separable fits visibly unchanged,
# large enough that separable data still give a finite boundary.
DEFAULT_L2 = 1e-4

# Piecewise-linear losses, fitted as pinball (quantile) regressions: same minimiser.
_PINBALL_TAU = {"mae": lambda params: 0.5, "quantile": lambda params: params["tau"]}


@dataclass(frozen=True)
class FitResult:
    """Outcome of a fit.

    ``params``: regression {"intercept", "slope"}; binary {"intercept", "w1", "w2"}
    (decision score = intercept + w1·x1 + w2·x2); multiclass {"intercepts": (k,),
    "weights": (2, k)} (logits = intercepts + [x1, x2] @ weights).
    ``cost_history``: the cost (weighted mean loss) at each iterate, start first.
    ``objective_history``: what was minimised (cost plus any L2 penalty).
    ``path``: (iterations + 1, n_params) parameter vectors in ``param_names`` order.
    ``effective_weight``: (n,) how much each point pulls in the final fit, scaled so
    the strongest is 1 (regression: ψ(r)/r; classification: |∂loss/∂score|·weight).
    ``influence``: (n,) regression only, ψ(r) = ∂loss/∂prediction, signed.
    """

    loss_id: str
    task: str
    method: str
    params: dict
    param_names: tuple[str, ...]
    cost_history: np.ndarray
    objective_history: np.ndarray
    path: np.ndarray
    effective_weight: np.ndarray
    converged: bool
    influence: np.ndarray | None = field(default=None, repr=False)

    @property
    def iterations(self) -> int:
        return len(self.cost_history) - 1

    @property
    def cost(self) -> float:
        return float(self.cost_history[-1])


# ---------------------------------------------------------------- shared helpers


def _loss_for(loss_id: str, task: str) -> Loss:
    loss = get(loss_id)
    if loss.task != task:
        raise ValueError(
            f"{loss.name} is a {loss.task} loss; a {task} fit needs one of: "
            + ", ".join(other.id for other in by_task(task))
            + "."
        )
    return loss


def _column(data: pd.DataFrame, name: str) -> np.ndarray:
    if name not in data.columns:
        raise ValueError(f"the data need a column {name!r}; got {list(data.columns)}.")
    return _validate.as_float_array(data[name].to_numpy(), name)


def _weights(sample_weight, n: int) -> np.ndarray:
    return np.ones(n) if sample_weight is None else _validate.sample_weights(sample_weight, n)


def _standardise(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, d) features → centred, unit-spread copies, with the centres and spreads."""
    centre = columns.mean(axis=0)
    spread = columns.std(axis=0)
    if np.any(spread == 0):
        raise ValueError("a feature has the same value for every point; nothing to fit a slope to.")
    return (columns - centre) / spread, centre, spread


def _scaled_by_max(values: np.ndarray) -> np.ndarray:
    largest = float(np.max(values))
    return values / largest if largest > 0 else np.ones_like(values)


# ---------------------------------------------------------------- regression


def fit_regression(
    data: pd.DataFrame, loss_id: str, *, sample_weight=None, max_iter: int = 500, **loss_params
) -> FitResult:
    """Fit y ≈ intercept + slope·x (columns ``x``, ``y``) under a regression loss."""
    x, y = _column(data, "x"), _column(data, "y")
    return fit_line(x, y, loss_id, sample_weight=sample_weight, max_iter=max_iter, **loss_params)


def fit_line(x, y, loss_id: str, *, sample_weight=None, max_iter: int = 500, **loss_params):
    """Fit y ≈ a + b·x, x and y of shape (n,), minimising the (weighted) mean loss."""
    loss = _loss_for(loss_id, "regression")
    params = loss.resolve_params(loss_params)
    x, y = _validate.regression_pair(x, y)
    if x.shape[0] < 2:
        raise ValueError("need at least 2 points to fit a line.")
    weights = _weights(sample_weight, x.shape[0])
    scaled, centre, spread = _standardise(x[:, None])
    scaled = scaled[:, 0]

    if loss.id == "mse":
        trace, method = _least_squares_line(scaled, y, weights), "weighted least squares (exact)"
    elif loss.id in _PINBALL_TAU:
        tau = _PINBALL_TAU[loss.id](params)
        trace = pinball_line(scaled, y, weights, tau, max_iter=max_iter)
        method = "exact pivot descent for the pinball/L1 linear programme (Wesolowsky 1981)"
    else:
        trace = _newton_line(loss, params, scaled, y, weights, max_iter)
        method = "Newton with backtracking line search, IRLS fallback"

    # Back to the original x: a + b·(x − c)/s = (a − b·c/s) + (b/s)·x.
    points = np.array(trace.points)
    slope = points[:, 1] / spread[0]
    path = np.column_stack([points[:, 0] - slope * centre[0], slope])
    costs = np.array(
        [weighted_mean(loss.value_fn(y, a + b * scaled, **params), weights) for a, b in points]
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
    """ψ(r)/r, the weight each point gets in the equivalent weighted least-squares fit.

    Residuals are floored at a small fraction of their typical size so that points
    the fit passes through (r = 0, e.g. MAE's pivots) get the limiting, largest
    weight instead of 0/0. Scaled so the largest weight is 1.
    """
    typical = float(np.median(np.abs(residual)))
    floor = 1e-3 * (typical if typical > 0 else 1.0)
    sign = np.where(residual < 0, -1.0, 1.0)
    floored = sign * np.maximum(np.abs(residual), floor)
    pull = loss.grad_fn(np.zeros_like(floored), floored, **params)
    return _scaled_by_max(pull / floored)


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


def _newton_line(loss: Loss, params: dict, x, y, weights, max_iter: int) -> Trace:
    """Minimise Σ wᵢ·loss(yᵢ, a + b·xᵢ) over (a, b) for a smooth-enough loss.

    Two candidate steps per iteration, each with a backtracking line search, and
    the better one is taken: Newton's, with curvature ψ'(r) by a central difference
    of the exact gradient ψ = loss.grad (exact for piecewise-quadratic losses away
    from their joins), and IRLS's, a weighted least-squares step with weights
    ψ(r)/r, which never raises the cost for losses whose ψ(r)/r falls with |r|.
    """
    design = np.column_stack([np.ones_like(x), x])
    total_weight = weights.sum()
    zeros = np.zeros_like(y)

    def cost(point):
        return float(np.dot(weights, loss.value_fn(y, design @ point, **params)) / total_weight)

    def pull(residual):
        return loss.grad_fn(zeros, residual, **params)

    point = np.array([np.median(y), 0.0])
    trace = Trace([], [])
    trace.record(point, cost(point))
    for _ in range(max_iter):
        residual = design @ point - y
        psi = pull(residual)
        gradient = design.T @ (weights * psi) / total_weight
        scale = max(1.0, float(np.max(np.abs(residual))))
        if np.max(np.abs(gradient)) <= 1e-13 * max(1.0, trace.objectives[-1]):
            trace.converged = True
            break
        step_size = 1e-6 * np.maximum(1.0, np.abs(residual))
        curvature = (pull(residual + step_size) - pull(residual - step_size)) / (2 * step_size)
        tiny = 1e-12 * scale
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
        if improvement <= 1e-16 * max(1.0, best_cost):
            trace.converged = True
            break
    return trace


# ---------------------------------------------------------------- classification


def _score_loss(loss: Loss, params: dict):
    """Per-sample loss and gradient as functions of a raw score/logit array.

    Losses with a from_logits switch are evaluated on logits (the same loss as on
    probabilities, without the clip, so saturated points keep a gradient). A
    multiclass loss on probabilities (KL) is composed with the softmax.
    """
    if "from_logits" in params:
        params = {**params, "from_logits": True}
        return (
            lambda target, score: loss.value_fn(target, score, **params),
            lambda target, score: loss.grad_fn(target, score, **params),
        )
    if loss.task == "binary":
        return (
            lambda target, score: loss.value_fn(target, score, **params),
            lambda target, score: loss.grad_fn(target, score, **params),
        )

    def value(target, logits):
        return loss.value_fn(target, multiclass.softmax(logits), **params)

    def grad(target, logits):
        probability = multiclass.softmax(logits)
        by_probability = loss.grad_fn(target, probability, **params)
        # Softmax Jacobian: ∂L/∂z = p ⊙ (∂L/∂p − Σⱼ pⱼ ∂L/∂pⱼ).
        through = (by_probability * probability).sum(axis=1, keepdims=True)
        return probability * (by_probability - through)

    return value, grad


def _fit_scores(
    loss: Loss, params: dict, features, target, weights, n_outputs, l2, max_iter
) -> tuple[Trace, np.ndarray, np.ndarray, callable]:
    """BFGS on θ = [biases; weights] for scores = bias + standardised features @ weights."""
    if l2 < 0:
        raise ValueError(f"l2 must be ≥ 0; got {l2:g}.")
    scaled, centre, spread = _standardise(features)
    design = np.column_stack([np.ones(scaled.shape[0]), scaled])
    total_weight = weights.sum()
    value, grad = _score_loss(loss, params)
    shape = (design.shape[1], n_outputs)
    penalised = np.ones(shape)
    penalised[0] = 0.0  # the bias is not penalised

    def scores(theta):
        raw = design @ theta.reshape(shape)
        return raw[:, 0] if n_outputs == 1 else raw

    def objective(theta):
        score = scores(theta)
        per_sample = value(target, score)
        by_score = grad(target, score)
        if n_outputs == 1:
            by_score = by_score[:, None]
        cost = float(np.dot(weights, per_sample) / total_weight)
        gradient = design.T @ (by_score * (weights / total_weight)[:, None])
        coefficients = theta.reshape(shape) * penalised
        return cost + penalty(theta), (gradient + l2 * coefficients).ravel()

    def penalty(theta):
        coefficients = theta.reshape(shape) * penalised
        return 0.5 * l2 * float(np.sum(coefficients * coefficients))

    def softmax_curvature(theta):
        # Gauss-Newton/Fisher matrix of the softmax model: Σᵢ cᵢ (diag pᵢ − pᵢpᵢᵀ) ⊗ xᵢxᵢᵀ.
        # It is cross-entropy's exact Hessian (rows of y sum to 1), so Newton converges
        # in a few steps where BFGS needed over a hundred on 30 parameters.
        probability = multiclass.softmax(scores(theta))
        width, size = design.shape[1], design.shape[1] * n_outputs
        # Column (a, j) of this (n, d·k) matrix is xₐ·pⱼ, matching θ's row-major layout.
        spread_rows = (design[:, :, None] * probability[:, None, :]).reshape(-1, size)
        weighted_rows = spread_rows * (weights / total_weight)[:, None]
        by_class = (weighted_rows.T @ design).reshape(width, n_outputs, width)
        hessian = np.zeros((width, n_outputs, width, n_outputs))
        for j in range(n_outputs):
            hessian[:, j, :, j] = by_class[:, j, :]
        hessian = hessian.reshape(size, size) - spread_rows.T @ weighted_rows
        return hessian + l2 * np.diag(penalised.ravel())

    start = np.zeros(design.shape[1] * n_outputs)
    if n_outputs == 1:
        trace = bfgs(objective, start, max_iter=max_iter)
    else:
        trace = newton(objective, softmax_curvature, start, max_iter=max_iter)
    # Back to the original features: b + Σ wⱼ(xⱼ − cⱼ)/sⱼ = (b − Σ wⱼcⱼ/sⱼ) + Σ (wⱼ/sⱼ)·xⱼ.
    original = []
    for theta in trace.points:
        matrix = theta.reshape(shape)
        slopes = matrix[1:] / spread[:, None]
        original.append(np.vstack([matrix[0] - centre @ slopes, slopes]))
    # The objective minus the penalty is the cost; no need to evaluate the loss again.
    costs = np.array(trace.objectives) - [penalty(theta) for theta in trace.points]
    final_scores = scores(trace.points[-1])
    pull = grad(target, final_scores)
    pull = np.abs(pull) if n_outputs == 1 else np.linalg.norm(pull, axis=1)
    return trace, np.array(original), costs, _scaled_by_max(pull * weights)


def _features_and_labels(data):
    return np.column_stack([_column(data, "x1"), _column(data, "x2")]), _column(data, "label")


def fit_binary(
    data: pd.DataFrame,
    loss_id: str,
    *,
    l2: float = DEFAULT_L2,
    sample_weight=None,
    max_iter: int = 500,
    **loss_params,
) -> FitResult:
    """Fit a linear classifier, score = intercept + w1·x1 + w2·x2, under a binary loss.

    Columns ``x1``, ``x2`` and ``label`` (0/1). bce and focal are fitted on the
    logit (from_logits is forced on: the same loss without the probability clip);
    hinge on the raw score. Minimises cost + (l2/2)·‖w‖² on standardised features.
    """
    loss = _loss_for(loss_id, "binary")
    params = loss.resolve_params(loss_params)
    features, labels = _features_and_labels(data)
    labels, _ = loss.prepare(labels, np.zeros_like(labels), **{**params, "from_logits": True})
    weights = _weights(sample_weight, labels.shape[0])
    trace, path, costs, pull = _fit_scores(loss, params, features, labels, weights, 1, l2, max_iter)
    flat_path = path[:, :, 0]
    intercept, w1, w2 = flat_path[-1]
    return FitResult(
        loss_id=loss.id,
        task="binary",
        method=f"BFGS with backtracking line search (L2 penalty {l2:g})",
        params={"intercept": float(intercept), "w1": float(w1), "w2": float(w2)},
        param_names=("intercept", "w1", "w2"),
        cost_history=costs,
        objective_history=np.array(trace.objectives),
        path=flat_path,
        effective_weight=pull,
        converged=trace.converged,
    )


def fit_multiclass(
    data: pd.DataFrame,
    loss_id: str,
    *,
    k: int | None = None,
    l2: float = DEFAULT_L2,
    sample_weight=None,
    max_iter: int = 500,
    **loss_params,
) -> FitResult:
    """Fit a softmax model, logits = intercepts + [x1, x2] @ weights, under a k-class loss.

    Columns ``x1``, ``x2`` and ``label`` (integers 0..k−1; k defaults to max label + 1).
    cce and kl see one-hot rows, sparse_cce the integer labels. Minimises cost +
    (l2/2)·‖weights‖² on standardised features.
    """
    loss = _loss_for(loss_id, "multiclass")
    params = loss.resolve_params(loss_params)
    features, raw_labels = _features_and_labels(data)
    classes = int(raw_labels.max()) + 1 if k is None else int(k)
    labels = _validate.integer_labels(raw_labels, classes)
    if classes < 2:
        raise ValueError("need at least 2 classes to fit a softmax model.")
    # sparse_cce's value_fn is cce's on one-hot rows (its prepare step does this conversion).
    target = multiclass.one_hot(labels, classes)
    weights = _weights(sample_weight, labels.shape[0])
    trace, path, costs, pull = _fit_scores(
        loss, params, features, target, weights, classes, l2, max_iter
    )
    names = tuple(f"intercept_{j}" for j in range(classes)) + tuple(
        f"w{i}_{j}" for i in (1, 2) for j in range(classes)
    )
    final = path[-1]
    return FitResult(
        loss_id=loss.id,
        task="multiclass",
        method=f"Newton (softmax Fisher matrix) with backtracking line search (L2 penalty {l2:g})",
        params={"intercepts": final[0].copy(), "weights": final[1:].copy()},
        param_names=names,
        cost_history=costs,
        objective_history=np.array(trace.objectives),
        path=path.reshape(path.shape[0], -1),
        effective_weight=pull,
        converged=trace.converged,
    )
