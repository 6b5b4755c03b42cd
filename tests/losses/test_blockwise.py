"""Blockwise evaluation (`losses.spec.blockwise`) gives the unblocked numbers, bit for bit.

`Loss.value` and `Loss.grad` run each loss's kernel on blocks of rows so the
temporaries stay in cache. Every kernel is row-wise, so the blocks must reproduce
the whole-array result exactly: same bits, same sign of zero, NaN in the same places.
A tiny block size is injected so that n is never a multiple of it and the last block
is short; the expected result is the kernel on the whole arrays at once.
"""

from __future__ import annotations

import numpy as np
import pytest

import losses
from losses import spec
from tests.losses.loss_inputs import (
    HARD_LABEL_LOSSES,
    N_CLASSES,
    SPARSE_LABEL_LOSSES,
    extreme_inputs,
    param_cases,
    smooth_inputs,
    uses_logits,
)

# Block sizes in elements: 1 (every row its own block), and sizes that leave a short
# last block for both the 1-D losses and the k = 4 rows (7 elements → 1 row, 10 → 2 rows).
BLOCK_SIZES = (1, 3, 7, 10)
NEVER_BLOCKED = 10**12


def random_inputs(loss: losses.Loss, params: dict, n: int, seed: int):
    """Valid (y_true, y_pred) of n rows over the whole input range, with exact edge values
    (0, 1, ±0.0, saturated probabilities and logits) mixed in at random places."""
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.uniform(-12, 6, n)
    if loss.task == "regression":
        y_true = rng.normal(0.0, 3.0, n) * rng.choice([1.0, 0.0, 1e6], n)
        residual = rng.normal(0.0, 1.0, n) * scale * rng.choice([1.0, 0.0, -0.0], n)
        return y_true, y_true + residual
    if loss.task == "binary":
        if loss.id in HARD_LABEL_LOSSES:
            y_true = rng.integers(0, 2, n).astype(float)
        else:
            y_true = np.where(rng.random(n) < 0.5, rng.integers(0, 2, n), rng.random(n))
        logits = rng.normal(0.0, 1.0, n) * scale * rng.choice([1.0, 1.0, 0.0, -0.0], n)
        if uses_logits(loss, params):
            return y_true, logits
        probability = 0.5 * (1.0 + np.tanh(0.5 * logits))
        return y_true, np.where(rng.random(n) < 0.1, rng.integers(0, 2, n), probability)
    logits = rng.normal(0.0, 2.0, (n, N_CLASSES)) * scale[:, None]
    labels = rng.integers(0, N_CLASSES, n)
    if loss.id in SPARSE_LABEL_LOSSES:
        y_true = labels
    else:
        soft = rng.dirichlet(np.ones(N_CLASSES), n)
        y_true = np.where(rng.random((n, 1)) < 0.5, np.eye(N_CLASSES)[labels], soft)
    if uses_logits(loss, params):
        return y_true, logits
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    shifted[(rng.random((n, N_CLASSES)) < 0.2) & (shifted < 1.0)] = 0.0  # each row keeps its 1
    if loss.id == "kl":
        return y_true, shifted / shifted.sum(axis=1, keepdims=True)
    return y_true, shifted * rng.uniform(0.5, 2.0, (n, 1))  # unnormalised rows are valid


def input_sets(loss, params):
    yield "random n=53", random_inputs(loss, params, 53, seed=1)
    yield "random n=2", random_inputs(loss, params, 2, seed=2)
    yield "random n=1", random_inputs(loss, params, 1, seed=3)
    yield "extreme", extreme_inputs(loss, params)
    yield "smooth", smooth_inputs(loss, params)


def assert_same_bits(blocked, whole, what):
    assert blocked.shape == whole.shape, what
    assert blocked.dtype == whole.dtype, what
    assert np.array_equal(blocked, whole, equal_nan=True), what
    assert np.array_equal(np.signbit(blocked), np.signbit(whole)), f"{what}: sign of zero"


@pytest.mark.parametrize("loss, params", param_cases())
def test_blocked_value_and_grad_equal_the_unblocked_bit_for_bit(loss, params, monkeypatch):
    with np.errstate(all="ignore"):  # extreme inputs may overflow inside a kernel
        for name, (y_true, y_pred) in input_sets(loss, params):
            weights = np.random.default_rng(4).uniform(0.0, 2.0, len(y_true))
            monkeypatch.setattr(spec, "BLOCK_ELEMENTS", NEVER_BLOCKED)
            whole_value = loss.value(y_true, y_pred, **params)
            whole_grad = loss.grad(y_true, y_pred, **params)
            whole_cost = loss.cost(y_true, y_pred, sample_weight=weights, **params)
            for block in BLOCK_SIZES:
                monkeypatch.setattr(spec, "BLOCK_ELEMENTS", block)
                what = f"{loss.id} {params} {name}, block of {block} element(s)"
                assert_same_bits(loss.value(y_true, y_pred, **params), whole_value, what)
                assert_same_bits(loss.grad(y_true, y_pred, **params), whole_grad, what)
                cost = loss.cost(y_true, y_pred, sample_weight=weights, **params)
                assert_same_bits(np.float64(cost), np.float64(whole_cost), f"{what}: weighted cost")


def test_blocked_path_is_taken_and_covers_every_row(monkeypatch):
    """The kernel sees each row exactly once, in blocks of the injected size, the last short."""
    seen = []

    def kernel(y_true, y_pred):
        seen.append(y_pred.copy())
        return y_pred * 2.0

    y_pred = np.arange(11.0)
    monkeypatch.setattr(spec, "BLOCK_ELEMENTS", 4)
    result = spec.blockwise(kernel, np.zeros(11), y_pred, {})
    assert [block.size for block in seen] == [4, 4, 3]
    assert np.array_equal(np.concatenate(seen), y_pred)
    assert np.array_equal(result, 2.0 * y_pred)


def test_rows_per_block_follow_the_row_width(monkeypatch):
    """(n, k) inputs are cut into blocks of BLOCK_ELEMENTS // k whole rows (at least one)."""
    sizes = []

    def kernel(y_true, y_pred):
        sizes.append(y_pred.shape)
        return y_pred.sum(axis=1)

    monkeypatch.setattr(spec, "BLOCK_ELEMENTS", 9)
    spec.blockwise(kernel, np.zeros((5, 4)), np.ones((5, 4)), {})
    assert sizes == [(2, 4), (2, 4), (1, 4)]
    sizes.clear()
    monkeypatch.setattr(spec, "BLOCK_ELEMENTS", 3)
    spec.blockwise(kernel, np.zeros((3, 4)), np.ones((3, 4)), {})
    assert sizes == [(1, 4)] * 3
