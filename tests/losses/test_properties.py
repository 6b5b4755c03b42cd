"""Properties over whole input ranges, checked with Hypothesis.

Residuals up to ±1e6, logits up to ±1e4, probabilities anywhere in [0, 1] (ends included),
and every parameter drawn from its valid range (the slider's range where the valid one is
unbounded). A RuntimeWarning (overflow, invalid value) fails the test: see pyproject.toml.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import losses
from tests.losses.loss_inputs import HARD_LABEL_LOSSES, loss_cases, uses_logits

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # also set in pyproject.toml

SETTINGS = settings(max_examples=60, deadline=None)
SYMMETRIC_REGRESSION = ["mse", "mae", "huber", "pseudo_huber", "log_cosh"]


def finite_floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def parameter_values(spec):
    """Any valid value of one parameter: its whole range where bounded, else the slider's."""
    if spec.kind == "bool":
        return st.booleans()
    low = spec.min if spec.min is not None and spec.min_inclusive else spec.ui_min
    high = spec.max if spec.max is not None and spec.max_inclusive else spec.ui_max
    if spec.log_scale:
        numbers = finite_floats(math.log(low), math.log(high)).map(math.exp)
    else:
        numbers = finite_floats(low, high)
    return st.none() | numbers if spec.kind == "optional_float" else numbers


def parameters(loss):
    return st.fixed_dictionaries({spec.name: parameter_values(spec) for spec in loss.params})


@pytest.mark.parametrize("loss", loss_cases())
@SETTINGS
@given(data=st.data())
def test_parameter_strategies_only_draw_valid_values(loss, data):
    params = data.draw(parameters(loss))
    assert loss.resolve_params(params) == params


# ---------------------------------------------------------------- regression


@st.composite
def regression_pairs(draw, max_residual=1e6):
    n = draw(st.integers(1, 8))
    y_true = np.array(draw(st.lists(finite_floats(-1e6, 1e6), min_size=n, max_size=n)))
    residual = np.array(
        draw(st.lists(finite_floats(-max_residual, max_residual), min_size=n, max_size=n))
    )
    return y_true, y_true + residual


@pytest.mark.parametrize("loss", loss_cases("regression"))
@SETTINGS
@given(data=st.data())
def test_regression_losses_are_finite_and_nonnegative(loss, data):
    y_true, y_pred = data.draw(regression_pairs())
    params = data.draw(parameters(loss))
    value, grad = loss.value(y_true, y_pred, **params), loss.grad(y_true, y_pred, **params)
    assert np.all(np.isfinite(value)) and np.all(value >= 0.0)
    assert np.all(np.isfinite(grad))
    np.testing.assert_array_equal(value[y_pred == y_true], 0.0)


@pytest.mark.parametrize("loss_id", SYMMETRIC_REGRESSION)
@SETTINGS
@given(data=st.data())
def test_symmetric_losses_are_even_in_r_and_grad_has_the_sign_of_r(loss_id, data):
    loss = losses.get(loss_id)
    y_true, y_pred = data.draw(regression_pairs())
    params = data.draw(parameters(loss))
    # Swapping y_true and y_pred flips r exactly (IEEE subtraction is antisymmetric).
    np.testing.assert_array_equal(
        loss.value(y_true, y_pred, **params), loss.value(y_pred, y_true, **params)
    )
    grad = loss.grad(y_true, y_pred, **params)
    np.testing.assert_array_equal(grad, -loss.grad(y_pred, y_true, **params))
    np.testing.assert_array_equal(np.sign(grad), np.sign(y_pred - y_true))


@pytest.mark.parametrize("loss_id", SYMMETRIC_REGRESSION)
@SETTINGS
@given(data=st.data())
def test_symmetric_losses_never_decrease_as_the_miss_grows(loss_id, data):
    loss = losses.get(loss_id)
    params = data.draw(parameters(loss))
    sizes = np.sort(np.abs(data.draw(st.lists(finite_floats(-1e6, 1e6), min_size=2))))
    value = loss.value(np.zeros_like(sizes), sizes, **params)
    # Tolerance of a few ulps for the switch between two formulas (log_cosh at |r| = 1).
    assert np.all(np.diff(value) >= -4 * np.finfo(float).eps * value[1:])


@SETTINGS
@given(data=st.data())
def test_quantile_grad_is_minus_tau_or_one_minus_tau(data):
    loss = losses.get("quantile")
    y_true, y_pred = data.draw(regression_pairs())
    tau = data.draw(parameter_values(loss.params[0]))
    grad = loss.grad(y_true, y_pred, tau=tau)
    shortfall = y_true - y_pred
    np.testing.assert_array_equal(grad[shortfall > 0], -tau)
    np.testing.assert_array_equal(grad[shortfall < 0], 1.0 - tau)
    np.testing.assert_array_equal(grad[shortfall == 0], 0.0)


# ---------------------------------------------------------------- binary


@st.composite
def binary_inputs(draw, loss):
    params = draw(parameters(loss))
    n = draw(st.integers(1, 8))
    if loss.id in HARD_LABEL_LOSSES:
        labels = st.sampled_from([0.0, 1.0])
    else:
        labels = st.sampled_from([0.0, 1.0]) | finite_floats(0.0, 1.0)
    predictions = (
        finite_floats(-1e4, 1e4)
        if uses_logits(loss, params)
        else st.sampled_from([0.0, 1.0]) | finite_floats(0.0, 1.0)
    )
    y_true = np.array(draw(st.lists(labels, min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(predictions, min_size=n, max_size=n)))
    return y_true, y_pred, params


@pytest.mark.parametrize("loss", loss_cases("binary"))
@SETTINGS
@given(data=st.data())
def test_binary_losses_are_finite_and_nonnegative(loss, data):
    y_true, y_pred, params = data.draw(binary_inputs(loss))
    value, grad = loss.value(y_true, y_pred, **params), loss.grad(y_true, y_pred, **params)
    assert np.all(np.isfinite(value)) and np.all(value >= 0.0)
    assert np.all(np.isfinite(grad))


@SETTINGS
@given(data=st.data())
def test_focal_never_exceeds_bce(data):
    # (1 − p_t)^γ ≤ 1 and α_t ≤ 1, so focal ≤ the cross-entropy it scales (hand-derived).
    focal, bce = losses.get("focal"), losses.get("bce")
    y_true, y_pred, params = data.draw(binary_inputs(focal))
    cross_entropy = bce.value(y_true, y_pred, from_logits=params["from_logits"])
    assert np.all(focal.value(y_true, y_pred, **params) <= cross_entropy * (1 + 1e-12))


@SETTINGS
@given(data=st.data())
def test_bce_logit_grad_lies_between_minus_w_t_and_1_minus_t(data):
    # d/dz = −w·t·σ(−z) + (1 − t)·σ(z) with σ ∈ [0, 1] (hand-derived bound).
    bce = losses.get("bce")
    y_true, logits, params = data.draw(binary_inputs(bce))
    params["from_logits"] = True
    grad = bce.grad(y_true, logits, **params)
    target = y_true * (1 - params["label_smoothing"]) + params["label_smoothing"] / 2
    assert np.all(grad >= -params["pos_weight"] * target * (1 + 1e-12))
    assert np.all(grad <= (1 - target) * (1 + 1e-12) + 1e-300)


# ---------------------------------------------------------------- multiclass


@st.composite
def target_rows(draw, n, k):
    rows = []
    for _ in range(n):
        if draw(st.booleans()):
            rows.append(np.eye(k)[draw(st.integers(0, k - 1))])
            continue
        weights = np.array(draw(st.lists(finite_floats(0.0, 1.0), min_size=k, max_size=k)))
        weights[draw(st.integers(0, k - 1))] += 0.1  # at least one positive entry
        rows.append(weights / weights.sum())
    return np.array(rows)


@st.composite
def probability_rows(draw, n, k):
    entries = st.sampled_from([0.0, 1.0]) | finite_floats(0.0, 1.0)
    rows = np.array(draw(st.lists(entries, min_size=n * k, max_size=n * k))).reshape(n, k)
    empty = rows.sum(axis=1) == 0
    rows[empty, 0] = 1.0
    return rows / rows.sum(axis=1, keepdims=True)


@st.composite
def multiclass_inputs(draw, loss):
    params = draw(parameters(loss))
    n, k = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    if uses_logits(loss, params):
        logits = st.lists(finite_floats(-1e4, 1e4), min_size=n * k, max_size=n * k)
        y_pred = np.array(draw(logits)).reshape(n, k)
    else:
        y_pred = draw(probability_rows(n, k))
    y_true = draw(target_rows(n, k))
    return y_true, y_pred, params


@pytest.mark.parametrize("loss", loss_cases("multiclass"))
@SETTINGS
@given(data=st.data())
def test_multiclass_losses_are_finite_and_nonnegative(loss, data):
    y_true, y_pred, params = data.draw(multiclass_inputs(loss))
    if loss.id == "sparse_cce":
        y_true = y_true.argmax(axis=1)
    value, grad = loss.value(y_true, y_pred, **params), loss.grad(y_true, y_pred, **params)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    # KL clips p up to ε, so Σ clip(p) ≤ 1 + k·ε and Gibbs' inequality gives
    # KL ≥ −log(1 + k·ε) ≥ −k·ε (hand-derived); the cross-entropies are ≥ 0 outright.
    k = y_pred.shape[1]
    floor = -k * params["eps"] - 1e-15 if loss.id == "kl" else 0.0
    assert np.all(value >= floor)


@SETTINGS
@given(data=st.data())
def test_sparse_cce_equals_cce_on_one_hot_everywhere(data):
    cce, sparse = losses.get("cce"), losses.get("sparse_cce")
    y_true, y_pred, params = data.draw(multiclass_inputs(cce))
    labels = y_true.argmax(axis=1)
    one_hot = np.eye(y_pred.shape[1])[labels]
    np.testing.assert_array_equal(
        sparse.value(labels, y_pred, **params), cce.value(one_hot, y_pred, **params)
    )
    np.testing.assert_array_equal(
        sparse.grad(labels, y_pred, **params), cce.grad(one_hot, y_pred, **params)
    )


@SETTINGS
@given(data=st.data(), scale=finite_floats(1e-3, 1e3))
def test_cce_on_probabilities_ignores_the_row_scale(data, scale):
    # Keras divides each row by its sum, so c·p and p give the same loss, and the gradient
    # has no component along p: Σⱼ gradⱼ·pⱼ = 0 (Euler's theorem for a degree-0 function).
    cce = losses.get("cce")
    params = data.draw(parameters(cce))
    params["from_logits"] = False
    n, k = data.draw(st.integers(1, 4)), data.draw(st.integers(2, 5))
    y_true, y_pred = data.draw(target_rows(n, k)), data.draw(probability_rows(n, k))
    # Renormalising c·p rounds q = p/Σp by an ulp or so; near q = 1 that moves −log q by
    # ~1e-16 absolute, which is a large relative change of a tiny loss: hence the atol.
    np.testing.assert_allclose(
        cce.value(y_true, scale * y_pred, **params),
        cce.value(y_true, y_pred, **params),
        rtol=1e-12,
        atol=1e-15,
    )
    grad = cce.grad(y_true, y_pred, **params)
    scale_of_terms = np.abs(grad * y_pred).sum(axis=1)
    assert np.all(np.abs((grad * y_pred).sum(axis=1)) <= 1e-12 * (1 + scale_of_terms))


@SETTINGS
@given(data=st.data(), shift=finite_floats(-100.0, 100.0))
def test_cce_from_logits_ignores_a_shift_and_its_grad_rows_sum_to_zero(data, shift):
    # softmax(z + c) = softmax(z); d/dz = softmax(z) − y has rows summing to Σp − Σy = 0.
    cce = losses.get("cce")
    params = data.draw(parameters(cce))
    params["from_logits"] = True
    n, k = data.draw(st.integers(1, 4)), data.draw(st.integers(2, 5))
    y_true = data.draw(target_rows(n, k))
    entries = st.lists(finite_floats(-100.0, 100.0), min_size=n * k, max_size=n * k)
    logits = np.array(data.draw(entries)).reshape(n, k)
    np.testing.assert_allclose(
        cce.value(y_true, logits + shift, **params),
        cce.value(y_true, logits, **params),
        rtol=1e-9,
        atol=1e-11,
    )
    np.testing.assert_allclose(cce.grad(y_true, logits, **params).sum(axis=1), 0.0, atol=1e-14)
