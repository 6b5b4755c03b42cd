"""A loss's one-pass `value_and_grad_fn` gives its `value_fn` and `grad_fn` numbers, bit for bit.

The classifier fits evaluate a loss and its gradient at every step through the one-pass
kernel when the entry has one (`losses.fit.classifier`), so a fit's path must not change by
a single bit: the expected numbers are the two separate kernels on the same inputs, over
the whole input range (edge values, saturated logits) of `tests/losses/test_blockwise.py`,
on logits and on probabilities (every parameter set of `loss_inputs.param_cases`).
"""

from __future__ import annotations

import numpy as np
import pytest

from losses import binary
from tests.losses.loss_inputs import param_cases
from tests.losses.test_blockwise import assert_same_bits, input_sets

ONE_PASS = [case for case in param_cases("binary") if case.values[0].value_and_grad_fn]


def test_every_smooth_binary_loss_has_a_one_pass_kernel():
    # The binary losses a fit minimises by BFGS directly (hinge goes through its smoothed
    # version, below), each with its own one-pass kernel.
    with_kernel = {case.values[0].id for case in ONE_PASS}
    smooth = {
        case.values[0].id
        for case in param_cases("binary")
        if case.values[0].classifier_fit == "bfgs"
    }
    assert with_kernel == smooth


def label_sets(loss, params):
    """The blockwise test's inputs, and each again with its labels rounded to 0 or 1: a
    fit's labels, for which a kernel may take a shorter path (focal's log q)."""
    for name, (y_true, y_pred) in input_sets(loss, params):
        yield name, y_true, y_pred
        yield f"{name}, hard labels", (np.asarray(y_true) > 0.5).astype(float), y_pred


@pytest.mark.parametrize("loss, params", ONE_PASS)
def test_one_pass_equals_value_and_grad_bit_for_bit(loss, params):
    resolved = loss.resolve_params(params)
    with np.errstate(all="ignore"):  # extreme inputs may overflow inside a kernel
        for name, y_true, y_pred in label_sets(loss, params):
            y_true, y_pred = loss.prepare(y_true, y_pred, **resolved)
            value, gradient = loss.value_and_grad_fn(y_true, y_pred, **resolved)
            what = f"{loss.id} {params} {name}"
            assert_same_bits(value, loss.value_fn(y_true, y_pred, **resolved), f"{what}: value")
            assert_same_bits(gradient, loss.grad_fn(y_true, y_pred, **resolved), f"{what}: grad")


@pytest.mark.parametrize("smoothing", [1.0, 1e-3, 1e-9])
def test_smoothed_hinge_one_pass_equals_value_and_grad_bit_for_bit(smoothing):
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 2, 301).astype(float)
    # Scores over many scales, a third inside the rounded corner (0 < 1 − t·s < μ), and the
    # corner's edges t·s = 1 and 1 − μ hit exactly.
    scores = rng.normal(0.0, 1.0, 301) * 10.0 ** rng.uniform(-12, 6, 301)
    sign = 2.0 * labels - 1.0
    scores[:100] = sign[:100] * (1.0 - smoothing * rng.random(100))
    scores[:20] = sign[:20] * rng.choice([1.0, 1.0 - smoothing, 0.0, -0.0], 20)
    value, gradient = binary.smoothed_hinge_value_and_grad(labels, scores, smoothing=smoothing)
    expected_value = binary.smoothed_hinge(labels, scores, smoothing=smoothing)
    expected_grad = binary.smoothed_hinge_grad(labels, scores, smoothing=smoothing)
    assert_same_bits(value, expected_value, f"μ = {smoothing}: value")
    assert_same_bits(gradient, expected_grad, f"μ = {smoothing}: grad")
