"""Fit a linear classifier (binary) or a softmax model (k classes) under a registry loss.

Both minimise cost + (l2/2)·‖w‖² over standardised features (bias not penalised):
- binary (bce, focal): BFGS with a backtracking line search on the logit;
- hinge, which has a corner BFGS stalls on: the same BFGS on the smoothed hinge
  for a shrinking corner width μ = 1, 1e-3, 1e-6, 1e-9, each stage warm-started
  (continuation), so the fit ends within μ/2 of the hinge's minimum;
- multi-class (cce, sparse_cce, kl): Newton with the softmax model's Fisher
  matrix, which is cross-entropy's exact Hessian, and a backtracking line search.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from losses import binary, checks, multiclass
from losses.fit.optimise import Trace, bfgs, newton
from losses.fit.result import FitResult, column, loss_for, sample_weights_or_ones, standardise
from losses.spec import Loss

# Default L2 penalty: small enough to leave non-separable fits unchanged to about
# 3 digits, large enough that separable data still give a finite boundary.
DEFAULT_L2 = 1e-4

# Corner widths for fitting the hinge by continuation (see the module docstring); steps
# of 1000 took a third of the iterations of steps of 10 for the same final cost.
HINGE_SMOOTHING = (1.0, 1e-3, 1e-6, 1e-9)


def _score_loss(loss: Loss, params: dict):
    """Per-sample loss and gradient as functions of a raw score/logit array.

    Losses with a from_logits switch are evaluated on logits (the same loss as on
    probabilities, without the clip, so saturated points keep a gradient). A
    multiclass loss on probabilities (KL) is composed with the softmax.
    """
    if "from_logits" in params or loss.task == "binary":
        if "from_logits" in params:
            params = {**params, "from_logits": True}
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


class _LinearScores:
    """scores = bias + standardised features @ weights, with the penalised objective."""

    def __init__(self, features, target, weights, n_outputs, l2):
        if l2 < 0:
            raise ValueError(f"l2 must be ≥ 0; got {l2:g}.")
        scaled, self.centre, self.spread = standardise(features)
        self.design = np.column_stack([np.ones(scaled.shape[0]), scaled])
        self.target, self.n_outputs, self.l2 = target, n_outputs, l2
        self.share = weights / weights.sum()
        self.shape = (self.design.shape[1], n_outputs)
        self.penalised = np.ones(self.shape)
        self.penalised[0] = 0.0  # the bias is not penalised

    def scores(self, theta):
        raw = self.design @ theta.reshape(self.shape)
        return raw[:, 0] if self.n_outputs == 1 else raw

    def penalty(self, theta):
        coefficients = theta.reshape(self.shape) * self.penalised
        return 0.5 * self.l2 * float(np.sum(coefficients * coefficients))

    def penalised_cost(self, value, theta) -> float:
        """The penalised mean loss at ``theta``, for the given per-sample value: f alone."""
        cost = float(self.share @ value(self.target, self.scores(theta)))
        return cost + self.penalty(theta)

    def objective(self, value_and_grad):
        """(f, ∇f) of the penalised mean loss, for the given per-sample (value, grad)."""

        def evaluate(theta):
            score = self.scores(theta)
            per_sample, by_score = value_and_grad(self.target, score)
            by_score = by_score[:, None] if self.n_outputs == 1 else by_score
            cost = float(self.share @ per_sample)
            gradient = self.design.T @ (by_score * self.share[:, None])
            penalty_gradient = self.l2 * theta.reshape(self.shape) * self.penalised
            return cost + self.penalty(theta), (gradient + penalty_gradient).ravel()

        return evaluate

    def softmax_curvature(self, theta):
        """Fisher matrix of the softmax model, Σᵢ cᵢ (diag pᵢ − pᵢpᵢᵀ) ⊗ xᵢxᵢᵀ, plus the penalty.

        Cross-entropy's exact Hessian (rows of y sum to 1), so Newton converges in a
        few steps where BFGS needed over a hundred on 30 parameters.
        """
        probability = multiclass.softmax(self.scores(theta))
        width, k = self.shape
        # Column (a, j) of this (n, d·k) matrix is xₐ·pⱼ, matching θ's row-major layout.
        spread_rows = (self.design[:, :, None] * probability[:, None, :]).reshape(-1, width * k)
        weighted_rows = spread_rows * self.share[:, None]
        by_class = (weighted_rows.T @ self.design).reshape(width, k, width)
        hessian = np.zeros((width, k, width, k))
        for j in range(k):
            hessian[:, j, :, j] = by_class[:, j, :]
        hessian = hessian.reshape(width * k, width * k) - spread_rows.T @ weighted_rows
        return hessian + self.l2 * np.diag(self.penalised.ravel())

    def original_path(self, trace: Trace) -> np.ndarray:
        """Iterates in the original features.

        b + Σ wⱼ(xⱼ − cⱼ)/sⱼ = (b − Σ wⱼcⱼ/sⱼ) + Σ (wⱼ/sⱼ)·xⱼ.
        """
        path = []
        for theta in trace.points:
            matrix = theta.reshape(self.shape)
            slopes = matrix[1:] / self.spread[:, None]
            path.append(np.vstack([matrix[0] - self.centre @ slopes, slopes]))
        return np.array(path)


def _score_value_and_grad(loss: Loss, params: dict):
    """(per-sample loss, its gradient) as one function of a raw score/logit array: the
    loss's one-pass `value_and_grad_fn` where it has one (the same numbers), else the two
    functions of `_score_loss`."""
    if loss.value_and_grad_fn is not None and loss.task == "binary":
        if "from_logits" in params:
            params = {**params, "from_logits": True}
        return lambda target, score: loss.value_and_grad_fn(target, score, **params)
    value, grad = _score_loss(loss, params)
    return lambda target, score: (value(target, score), grad(target, score))


def _smoothed_hinge(smoothing):
    return lambda target, score: binary.smoothed_hinge_value_and_grad(
        target, score, smoothing=smoothing
    )


def _minimise(loss, params, model: _LinearScores, max_iter) -> Trace:
    value_and_grad = _score_value_and_grad(loss, params)
    start = np.zeros(model.design.shape[1] * model.n_outputs)
    if model.n_outputs > 1:
        return newton(
            model.objective(value_and_grad), model.softmax_curvature, start, max_iter=max_iter
        )
    if loss.classifier_fit != "smoothed_hinge":
        return bfgs(model.objective(value_and_grad), start, max_iter=max_iter)
    trace = Trace([], [])
    for smoothing in HINGE_SMOOTHING:
        stage = bfgs(
            model.objective(_smoothed_hinge(smoothing)),
            start,
            max_iter=max_iter,
            stall_tolerance=1e-12,
        )
        start = stage.points[-1]
        trace.points.extend(stage.points[1:] if trace.points else stage.points)
        trace.converged = stage.converged
    # Record what was really minimised, the hinge, at every iterate (its value only).
    value, _ = _score_loss(loss, params)
    trace.objectives = [model.penalised_cost(value, theta) for theta in trace.points]
    return trace


def _fit(loss, params, features, target, weights, n_outputs, l2, max_iter):
    model = _LinearScores(features, target, weights, n_outputs, l2)
    trace = _minimise(loss, params, model, max_iter)
    # The objective minus the penalty is the cost; no need to evaluate the loss again.
    costs = np.array(trace.objectives) - [model.penalty(theta) for theta in trace.points]
    _, grad = _score_loss(loss, params)
    pull = grad(target, model.scores(trace.points[-1]))
    pull = np.abs(pull) if n_outputs == 1 else np.linalg.norm(pull, axis=1)
    pull = pull * weights
    largest = float(pull.max())
    effective_weight = pull / largest if largest > 0 else np.ones_like(pull)
    return trace, model.original_path(trace), costs, effective_weight


def _features_and_labels(data):
    return np.column_stack([column(data, "x1"), column(data, "x2")]), column(data, "label")


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
    loss = loss_for(loss_id, "binary")
    params = loss.resolve_params(loss_params)
    features, labels = _features_and_labels(data)
    labels, _ = checks.binary_pair(labels, np.zeros_like(labels), from_logits=True, labels="hard")
    if np.all(labels == labels[0]):
        raise ValueError(
            f"every point has label {labels[0]:g}; a classifier needs examples of both 0 and 1."
        )
    weights = sample_weights_or_ones(sample_weight, labels.shape[0])
    trace, path, costs, pull = _fit(loss, params, features, labels, weights, 1, l2, max_iter)
    flat_path = path[:, :, 0]
    intercept, w1, w2 = flat_path[-1]
    method = (
        "BFGS on the smoothed hinge, corner width 1 → 1e-9 (continuation)"
        if loss.classifier_fit == "smoothed_hinge"
        else "BFGS with backtracking line search"
    )
    return FitResult(
        loss_id=loss.id,
        task="binary",
        method=f"{method}, L2 penalty {l2:g}",
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
    Every class must have at least one point. Minimises cost + (l2/2)·‖weights‖²
    on standardised features.
    """
    loss = loss_for(loss_id, "multiclass")
    params = loss.resolve_params(loss_params)
    features, raw_labels = _features_and_labels(data)
    classes = int(raw_labels.max()) + 1 if k is None else int(k)
    if classes < 2:
        raise ValueError("need at least 2 classes to fit a softmax model.")
    labels = checks.integer_labels(raw_labels, classes)
    missing = np.flatnonzero(np.bincount(labels, minlength=classes) == 0)
    if missing.size:
        raise ValueError(
            f"class(es) {', '.join(map(str, missing))} have no points; every one of the "
            f"k={classes} classes needs at least one to fit a softmax model."
        )
    # sparse_cce's value_fn is cce's, which takes one-hot rows as well as labels.
    target = multiclass.one_hot(labels, classes)
    weights = sample_weights_or_ones(sample_weight, labels.shape[0])
    trace, path, costs, pull = _fit(loss, params, features, target, weights, classes, l2, max_iter)
    names = tuple(f"intercept_{j}" for j in range(classes)) + tuple(
        f"w{i}_{j}" for i in (1, 2) for j in range(classes)
    )
    return FitResult(
        loss_id=loss.id,
        task="multiclass",
        method=f"Newton (softmax Fisher matrix) with backtracking line search, L2 penalty {l2:g}",
        params={"intercepts": path[-1][0].copy(), "weights": path[-1][1:].copy()},
        param_names=names,
        cost_history=costs,
        objective_history=np.array(trace.objectives),
        path=path.reshape(path.shape[0], -1),
        effective_weight=pull,
        converged=trace.converged,
    )
