"""Round 3 of the throughput work may change the numbers by rounding only.

Every registered loss, at every parameter set, on random, smooth and extreme inputs
(±1e300 logits, 1e-320 probabilities, exact 0 and 1, kinks, u² overflowing in
pseudo-Huber) gives values and gradients within a few ulp of the round-2 kernels frozen
in `frozen_round2_kernels.py`: rtol 1e-13, the same inf/NaN positions, and the same sign
wherever the old result was a zero.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.losses import frozen_round2_kernels as frozen
from tests.losses.loss_inputs import (
    HARD_LABEL_LOSSES,
    SPARSE_LABEL_LOSSES,
    param_cases,
    uses_logits,
)
from tests.losses.test_blockwise import input_sets

RTOL = 1e-13
# Below this magnitude a difference is not a rounding of the value but of its subnormal tail.
ATOL = 1e-300

FROZEN = {
    "mse": (frozen.mse, frozen.mse_grad),
    "mae": (frozen.mae, frozen.mae_grad),
    "huber": (frozen.huber, frozen.huber_grad),
    "pseudo_huber": (frozen.pseudo_huber, frozen.pseudo_huber_grad),
    "log_cosh": (frozen.log_cosh, frozen.log_cosh_grad),
    "quantile": (frozen.quantile, frozen.quantile_grad),
    "bce": (frozen.bce, frozen.bce_grad),
    "focal": (frozen.focal, frozen.focal_grad),
    "hinge": (frozen.hinge, frozen.hinge_grad),
    "cce": (frozen.cce, frozen.cce_grad),
    "sparse_cce": (frozen.cce, frozen.cce_grad),
    "kl": (frozen.kl, frozen.kl_grad),
}


def edge_inputs(loss, params):
    """Inputs at the far edges: ±1e300 logits and residuals, 1e-320 probabilities, exact 0/1,
    kinks (residual 0, margin exactly met), and residuals whose (r/δ)² overflows."""
    if loss.task == "regression":
        residual = np.array(
            [0.0, -0.0, 1e-320, -1e-320, 1e-160, 1.0, -1.0, 1e150, 2e154, -1e300, 1e308, 1e-8]
        )
        y_true = np.zeros_like(residual)
        y_true[3] = 1.0
        return y_true, y_true + residual
    if loss.task == "binary":
        labels = (
            [0.0, 1.0] if loss.id in HARD_LABEL_LOSSES else [0.0, 1.0, 0.5, 1e-320, 1.0 - 1e-16]
        )
        if uses_logits(loss, params):
            predictions = [
                1e300,
                -1e300,
                1e-320,
                -1e-320,
                0.0,
                -0.0,
                1.0,
                -1.0,
                745.0,
                -745.0,
                40.0,
            ]
        else:
            predictions = [0.0, 1.0, 1e-320, 1e-300, 1.0 - 2**-53, 1e-7, 1.0 - 1e-7, 0.5, 1e-3]
        y_true, y_pred = np.meshgrid(labels, predictions)
        return y_true.ravel(), y_pred.ravel()
    if uses_logits(loss, params):
        rows = [
            [1e300, -1e300, 0.0, 1.0],
            [-1e300, -1e300, -1e300, -1e300],
            [1e-320, 0.0, -0.0, 5.0],
            [745.0, -745.0, 30.0, 30.0],
            [0.0, 0.0, 0.0, 0.0],
        ]
    else:
        rows = [
            [1e-320, 1.0, 0.0, 0.0],
            [1e-320, 1e-320, 1e-320, 1e-320],
            [1.0, 1.0, 1.0, 1.0],
            [1e-300, 0.5, 0.25, 0.25],
            [0.0, 0.0, 0.0, 1e-320],
        ]
        if loss.id == "kl":
            rows = [[min(x, 1.0) for x in row] for row in rows]
    targets = [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.25, 0.25, 0.25, 0.25],
        [1e-320, 0.0, 0.5, 0.5],
    ]
    y_pred = np.array([row for row in rows for _ in targets])
    if loss.id in SPARSE_LABEL_LOSSES:
        return np.array([0, 3, 1, 2] * len(rows)), y_pred
    return np.array(targets * len(rows)), y_pred


def frozen_result(loss, which, y_true, y_pred, params):
    resolved = loss.resolve_params(params)
    y_true, y_pred = loss.prepare(y_true, y_pred, **resolved)
    if loss.id in SPARSE_LABEL_LOSSES and y_true.ndim == 1:
        y_true = frozen.one_hot(y_true, y_pred.shape[1])
    return FROZEN[loss.id][which](y_true, y_pred, **resolved)


def row_scale(old):
    """Per row, the largest finite |entry| of a multi-class gradient: (g − Σ g·q)/Σp subtracts
    terms of about this size, so a rounding of those terms moves a small entry by ulps of it,
    not of the entry itself."""
    finite = np.where(np.isfinite(old), np.abs(old), 0.0)
    return finite.max(axis=1, keepdims=True) * np.ones_like(old)


def assert_rounding_only(new, old, what, scale=None):
    assert new.shape == old.shape and new.dtype == old.dtype, what
    assert np.array_equal(np.isnan(new), np.isnan(old)), f"{what}: NaN positions"
    assert np.array_equal(np.isposinf(new), np.isposinf(old)), f"{what}: +inf positions"
    assert np.array_equal(np.isneginf(new), np.isneginf(old)), f"{what}: -inf positions"
    zero = old == 0.0
    assert np.array_equal(np.signbit(new[zero]), np.signbit(old[zero])), f"{what}: sign of zero"
    finite = np.isfinite(old)
    if scale is None:
        np.testing.assert_allclose(new[finite], old[finite], rtol=RTOL, atol=ATOL, err_msg=what)
        return
    allowed = RTOL * (np.abs(old) + scale) + ATOL
    worst = np.max(np.abs(new - old)[finite] - allowed[finite], initial=-1.0)
    assert worst <= 0.0, f"{what}: off by more than rounding of the row's terms"


def all_inputs(loss, params):
    yield from input_sets(loss, params)
    yield "edges", edge_inputs(loss, params)
    if loss.task == "regression":  # every |r| below log cosh's one-form limit of 700
        residual = np.concatenate(
            [np.linspace(-700.0, 700.0, 2001), np.geomspace(1e-9, 699.0, 500)]
        )
        yield "moderate", (np.full(residual.size, 2.5), 2.5 + residual)


@pytest.mark.parametrize("loss, params", param_cases())
def test_value_and_grad_differ_from_round_2_by_rounding_only(loss, params):
    with np.errstate(all="ignore"):  # the edges overflow inside some kernels, old and new
        for name, (y_true, y_pred) in all_inputs(loss, params):
            what = f"{loss.id} {params} {name}"
            for which, method in ((0, loss.value), (1, loss.grad)):
                new = method(y_true, y_pred, **params)
                old = frozen_result(loss, which, y_true, y_pred, params)
                scale = row_scale(old) if which == 1 and loss.task == "multiclass" else None
                assert_rounding_only(new, old, f"{what} {'grad' if which else 'value'}", scale)


def test_the_frozen_copy_is_the_round_2_code():
    """Guards the reference itself: the frozen bce is still the torch-checked one."""
    assert frozen.bce(
        np.array([1.0]),
        np.array([0.5]),
        from_logits=False,
        pos_weight=1.0,
        label_smoothing=0.0,
        eps=1e-7,
    )[0] == pytest.approx(np.log(2.0), rel=1e-15)
