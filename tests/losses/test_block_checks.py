"""Regression, soft-label binary, CCE and KL losses check their values block by block while
each block is in cache (`Loss.block_check`, `spec.blockwise(check=...)`): a bad value in any
block, not only the first, must still raise the full checks' message, and valid input
must give the same numbers as the whole-input checks. (Bad multi-class rows in later
blocks: tests/losses/test_validate_blocks.py.)"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from losses import REGISTRY, spec

N = 3 * spec.BLOCK_ELEMENTS + 11  # three full blocks and a short last one
ROWS = [spec.BLOCK_ELEMENTS + 5, N - 1]
CHECKED = [loss_id for loss_id, loss in REGISTRY.items() if loss.block_check is not None]
ONE_D = [loss_id for loss_id in CHECKED if REGISTRY[loss_id].task != "multiclass"]
K = 10


def _valid(loss, from_logits=False):
    rng = np.random.default_rng(1)
    if loss.task == "regression":
        return rng.normal(size=N), rng.normal(size=N)
    if loss.task == "multiclass":
        rows = N // K
        y_true = rng.random((rows, K))
        y_true /= y_true.sum(axis=1, keepdims=True)
        y_pred = rng.normal(size=(rows, K)) if from_logits else rng.random((rows, K))
        return y_true, y_pred
    y_pred = rng.normal(size=N) if from_logits else rng.random(N)
    return rng.random(N), y_pred


def test_the_block_checked_losses():
    # hand-listed: every regression loss and the soft-label binary ones
    assert sorted(CHECKED) == sorted(
        ["mse", "mae", "huber", "pseudo_huber", "log_cosh", "quantile", "bce", "focal", "cce", "kl"]
    )


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("which", ["y_true", "y_pred"])
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("loss_id", ONE_D)
def test_non_finite_value_in_a_later_block(loss_id, from_logits, which, bad, row):
    loss = REGISTRY[loss_id]
    if loss.task == "regression" and from_logits:
        pytest.skip("no logits")
    params = {"from_logits": True} if from_logits else {}
    y_true, y_pred = _valid(loss, from_logits)
    (y_true if which == "y_true" else y_pred)[row] = bad
    for call in (loss.value, loss.grad):
        with pytest.raises(ValueError, match="NaN or infinite"):
            call(y_true, y_pred, **params)


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize(("which", "bad"), [("y_true", 1.5), ("y_true", -0.5), ("y_pred", 1.5)])
@pytest.mark.parametrize("loss_id", ["bce", "focal"])
def test_out_of_range_value_in_a_later_block(loss_id, which, bad, row):
    loss = REGISTRY[loss_id]
    y_true, y_pred = _valid(loss)
    (y_true if which == "y_true" else y_pred)[row] = bad
    for call in (loss.value, loss.grad):
        with pytest.raises(ValueError, match=f"{which} must lie in"):
            call(y_true, y_pred)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("loss_id", CHECKED)
def test_same_numbers_as_the_whole_input_checks(loss_id, from_logits):
    loss = REGISTRY[loss_id]
    if from_logits and "from_logits" not in loss.defaults:
        pytest.skip("no logits")
    params = {"from_logits": True} if from_logits else {}
    whole = dataclasses.replace(loss, block_check=None)
    y_true, y_pred = _valid(loss, from_logits)
    for name in ("value", "grad"):
        new = getattr(loss, name)(y_true, y_pred, **params)
        old = getattr(whole, name)(y_true, y_pred, **params)
        assert new.tobytes() == old.tobytes()
