"""Inputs for the loss tests, built per task (and, where a loss needs it, per loss id).

Every test that loops over `losses.REGISTRY` takes its arrays from here, so a newly
registered loss gets all of those tests without new test code: a new regression,
binary or multiclass loss is fed by its task; only a loss with a new kind of
input (like sparse labels) needs a line here.
"""

from __future__ import annotations

import numpy as np
import pytest

import losses

N_CLASSES = 4

# A second (and third) parameter set per loss, so every branch a parameter switches is
# exercised. test_registry checks that together they vary every parameter of every loss.
NON_DEFAULT_PARAMS: dict[str, list[dict]] = {
    "huber": [{"delta": 0.3}],
    "pseudo_huber": [{"delta": 0.3}],
    "quantile": [{"tau": 0.9}],
    # Barron: a non-convex α with another scale; the α = 0 (Cauchy) and −∞ (Welsch) limits.
    "barron": [
        {"alpha": -2.0, "scale": 0.5},
        {"alpha": 0.0, "scale": 2.0},
        {"alpha_minus_infinity": True},
        {"alpha": 2.0},
    ],
    "bce": [
        {"from_logits": True, "pos_weight": 3.0, "label_smoothing": 0.1},
        {"pos_weight": 3.0, "label_smoothing": 0.1, "eps": 1e-3},
    ],
    "focal": [
        {"from_logits": True, "gamma": 0.5, "alpha": 0.25},
        {"gamma": 0.5, "alpha": 0.25},
        {"from_logits": True, "gamma": 3.0, "alpha": 0.9},
    ],
    "cce": [
        {"from_logits": True, "label_smoothing": 0.1},
        {"label_smoothing": 0.1, "eps": 1e-3},
    ],
    "sparse_cce": [
        {"from_logits": True, "label_smoothing": 0.1},
        {"label_smoothing": 0.1, "eps": 1e-3},
    ],
    "kl": [{"eps": 1e-3}],
    "brier": [{"from_logits": True}],
    "gce": [{"from_logits": True, "q": 0.3}, {"q": 1.0}, {"q": 0.05}],
    "brier_multiclass": [{"from_logits": True}],
    "gce_multiclass": [
        {"from_logits": True, "q": 0.3},
        {"q": 1.0},
        {"from_logits": True, "q": 0.05},
    ],
}

# Losses whose labels must be exactly 0 or 1 (the others accept soft labels in [0, 1]).
HARD_LABEL_LOSSES = {"hinge"}
# Losses whose y_true is an (n,) vector of class indices instead of (n, k) rows (their entries
# say so: `Loss.label_form`).
SPARSE_LABEL_LOSSES = {loss.id for loss in losses.REGISTRY.values() if loss.label_form == "index"}
# Losses that divide probability rows by their sums (so unnormalised rows are valid input).
NORMALISING_LOSSES = {"cce", "sparse_cce", "brier_multiclass", "gce_multiclass"}

# Residuals r = y_pred − y_true at least 0.12 away from every kink of the regression losses
# at the tested parameters: r = 0 (mae, quantile) and |r| = δ for δ ∈ {1, 0.3} (huber).
RESIDUALS = np.array([-2.7, -1.3, -0.55, -0.17, 0.12, 0.45, 0.8, 1.6, 3.1])
# Raw scores at least 0.3 away from hinge's kinks t·s = 1, i.e. s = ±1.
SCORES = np.array([-3.1, -1.6, -0.4, 0.3, 0.7, 1.5, 2.8, -0.05, 4.2])


def non_default_params(loss: losses.Loss) -> list[dict]:
    """The loss's sets in NON_DEFAULT_PARAMS; for a loss added without any, one set from its
    specs: each float at its slider's other end from the default, each switch flipped."""
    if loss.id in NON_DEFAULT_PARAMS or not loss.params:
        return NON_DEFAULT_PARAMS.get(loss.id, [])
    varied = {}
    for spec in loss.params:
        if spec.kind == "bool":
            varied[spec.name] = not spec.default
        elif spec.ui_max is not None:
            varied[spec.name] = spec.ui_max if spec.default != spec.ui_max else spec.ui_min
    return [varied]


def param_cases(task: str | None = None) -> list:
    """pytest params (loss, params): every loss with its defaults, then each non-default set."""
    cases = []
    for loss in losses.REGISTRY.values():
        if task is not None and loss.task != task:
            continue
        cases.append(pytest.param(loss, {}, id=f"{loss.id}-defaults"))
        for number, params in enumerate(non_default_params(loss), start=1):
            cases.append(pytest.param(loss, params, id=f"{loss.id}-params{number}"))
    return cases


def loss_cases(task: str | None = None) -> list:
    """pytest params: every registered loss (optionally of one task), named by id."""
    return [
        pytest.param(loss, id=loss.id)
        for loss in losses.REGISTRY.values()
        if task is None or loss.task == task
    ]


def uses_logits(loss: losses.Loss, params: dict) -> bool:
    """Whether y_pred is a raw score (logit) for this loss and parameter set.

    A binary loss without a from_logits switch (hinge) always takes raw scores.
    """
    if any(spec.name == "from_logits" for spec in loss.params):
        return bool(params.get("from_logits", loss.defaults["from_logits"]))
    return loss.task == "binary"


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # σ(x) = (1 + tanh(x/2))/2: no overflow


def smooth_inputs(loss: losses.Loss, params: dict, seed: int = 0):
    """(y_true, y_pred) away from every kink and clip boundary of the loss at these params."""
    rng = np.random.default_rng(seed)
    if loss.task == "regression":
        y_true = rng.normal(0.0, 3.0, RESIDUALS.size)
        return y_true, y_true + RESIDUALS
    if loss.task == "binary":
        if loss.id in HARD_LABEL_LOSSES:
            y_true = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1], dtype=float)
        else:
            y_true = np.array([0, 1, 1, 0, 0.3, 0.85, 0, 1, 0.5])
        scores = SCORES
        # Probabilities σ(score) lie in [0.04, 0.99], far from any clip at ε ≤ 1e-3.
        return y_true, scores if uses_logits(loss, params) else sigmoid(scores)
    n = 6
    logits = rng.normal(0.0, 1.5, (n, N_CLASSES))
    if loss.id in SPARSE_LABEL_LOSSES:
        y_true = np.arange(n) % N_CLASSES
    else:
        one_hot = np.eye(N_CLASSES)[np.arange(n // 2) % N_CLASSES]
        soft = rng.dirichlet(np.ones(N_CLASSES), n - n // 2)
        y_true = np.vstack([one_hot, soft])
    if uses_logits(loss, params):
        return y_true, logits
    # Each entry ≥ 0.1 / (N_CLASSES · 1.1) ≈ 0.023 and ≤ 1.1 / 1.4 ≈ 0.79: far from ε and 1 − ε.
    share = 0.1 + rng.uniform(0.0, 1.0, (n, N_CLASSES))
    probabilities = share / share.sum(axis=1, keepdims=True)
    if loss.id in NORMALISING_LOSSES:
        probabilities = probabilities * rng.uniform(0.5, 2.0, (n, 1))
    return y_true, probabilities


def extreme_inputs(loss: losses.Loss, params: dict):
    """(y_true, y_pred) at the edges of the valid input: huge residuals, saturated
    probabilities (exactly 0 and 1), logits of ±1e4, one-hot predictions."""
    if loss.task == "regression":
        y_true = np.array([0.0, 0.0, 1e6, -1e6, 5.0, 0.0, 1e6])
        residual = np.array([1e6, -1e6, -1e6, 1e6, 0.0, 1e-12, 0.0])
        return y_true, y_true + residual
    if loss.task == "binary":
        labels = [0.0, 1.0] if loss.id in HARD_LABEL_LOSSES else [0.0, 1.0, 0.5, 1e-9]
        predictions = (
            [-1e4, 1e4, 0.0, -1.0, 1.0, 1e-300]
            if uses_logits(loss, params)
            else [0.0, 1.0, 1e-300, 1e-9, 1.0 - 1e-12, 0.5]
        )
        y_true, y_pred = np.meshgrid(labels, predictions)
        return y_true.ravel(), y_pred.ravel()
    k = N_CLASSES
    if uses_logits(loss, params):
        prediction_rows = [
            [1e4, -1e4, 0.0, -1e4],
            [-1e4, -1e4, -1e4, 1e4],
            [1e4, 1e4, 1e4, 1e4],
            [-1e4, -1e4, -1e4, -1e4],
            [0.0, 0.0, 0.0, 0.0],
        ]
    else:
        prediction_rows = [
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
            [0.25, 0.25, 0.25, 0.25],
            [1e-300, 0.0, 0.0, 1.0],
            [0.5, 0.5, 0.0, 0.0],
        ]
    target_rows = [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.5]]
    y_pred = np.array([row for row in prediction_rows for _ in target_rows])
    if loss.id in SPARSE_LABEL_LOSSES:
        labels = np.array([0, 1, k - 1] * len(prediction_rows))
        return labels, y_pred
    return np.array(target_rows * len(prediction_rows)), y_pred


def central_difference(value_of, y_pred, relative_step: float = 1e-4) -> np.ndarray:
    """4th-order central differences of the per-sample values w.r.t. each entry of y_pred.

    value_of maps y_pred to per-sample values (n,). Sample i's value depends on row i of
    y_pred only, so one column is perturbed in every row at once.
    [−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)] / 12h, error O(h⁴).
    """
    y_pred = np.asarray(y_pred, dtype=float)
    columns = y_pred.reshape(y_pred.shape[0], -1)
    derivative = np.empty_like(columns)
    for column in range(columns.shape[1]):
        step = np.zeros_like(columns)
        raw_step = relative_step * np.maximum(1.0, np.abs(columns[:, column]))
        # Use the step as actually represented after adding it to x.
        step[:, column] = (columns[:, column] + raw_step) - columns[:, column]

        def at(multiple, step=step):
            return value_of((columns + multiple * step).reshape(y_pred.shape))

        derivative[:, column] = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * step[:, column])
    return derivative.reshape(y_pred.shape)
