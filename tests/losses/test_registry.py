"""Tests every registered loss gets: parametrised over `losses.REGISTRY`.

Gradients against finite differences, reductions, minima, extreme inputs, the
ValueError contract and the metadata the pages show. A loss added to the registry
is picked up here without new test code (inputs come from `loss_inputs`).
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import losses
from tests.losses.loss_inputs import (
    N_CLASSES,
    NON_DEFAULT_PARAMS,
    SPARSE_LABEL_LOSSES,
    central_difference,
    extreme_inputs,
    loss_cases,
    non_default_params,
    param_cases,
    smooth_inputs,
    uses_logits,
)

# ---------------------------------------------------------------- the registry itself


def test_registry_keys_are_the_loss_ids_in_teaching_order():
    assert list(losses.REGISTRY) == [loss.id for loss in losses.REGISTRY.values()]
    tasks = [loss.task for loss in losses.REGISTRY.values()]
    # Teaching order: all regression losses, then binary, then multiclass.
    assert tasks == sorted(tasks, key=losses.TASKS.index)
    assert set(tasks) == set(losses.TASKS)


def test_get_returns_the_registered_loss():
    for loss_id, loss in losses.REGISTRY.items():
        assert losses.get(loss_id) is loss


@pytest.mark.parametrize("bad_id", ["MSE", "cross_entropy", "", None, ["mse"]])
def test_get_unknown_id_lists_the_valid_ids(bad_id):
    with pytest.raises(ValueError, match="unknown loss") as error:
        losses.get(bad_id)
    for loss_id in losses.REGISTRY:
        assert loss_id in str(error.value)


def test_by_task_partitions_the_registry_in_order():
    combined = [loss for task in losses.TASKS for loss in losses.by_task(task)]
    assert combined == list(losses.REGISTRY.values())


def test_non_default_parameter_sets_vary_every_parameter():
    """Each loss's non-default sets (loss_inputs.NON_DEFAULT_PARAMS) between them change every
    parameter from its default: otherwise some branch of the gradient goes unchecked."""
    assert set(NON_DEFAULT_PARAMS) <= set(losses.REGISTRY)
    for loss in losses.REGISTRY.values():
        varied = {
            name
            for params in non_default_params(loss)
            for name, value in params.items()
            if value != loss.defaults[name]
        }
        assert varied == set(loss.defaults), f"{loss.id}: add a non-default parameter set"


# ---------------------------------------------------------------- metadata the pages show


@pytest.mark.parametrize("loss", loss_cases())
def test_text_fields_and_latex_are_present(loss):
    assert loss.id and loss.id == loss.id.strip().lower()
    assert loss.task in losses.TASKS
    for field in ("name", "latex", "summary", "advantages", "disadvantages", "use_when"):
        text = getattr(loss, field)
        assert isinstance(text, str) and text.strip(), f"{loss.id}.{field} is empty"
    # KaTeX rejects unbalanced braces.
    assert loss.latex.count("{") == loss.latex.count("}")


@pytest.mark.parametrize("loss", loss_cases())
def test_param_specs_are_well_formed(loss):
    names = [spec.name for spec in loss.params]
    assert len(names) == len(set(names))
    for spec in loss.params:
        assert spec.kind in ("float", "bool", "optional_float")
        assert spec.help.strip(), f"{loss.id}.{spec.name} needs help text"
        # The default passes its own range check, unchanged.
        assert spec.check(spec.default, loss.id) == spec.default
        # The slider stays inside the valid range.
        for end in (spec.ui_min, spec.ui_max):
            if end is not None:
                spec.check(end, loss.id)
        if spec.ui_min is not None and spec.ui_max is not None:
            assert spec.ui_min < spec.ui_max
        if spec.log_scale:
            assert spec.ui_min is not None and spec.ui_min > 0


@pytest.mark.parametrize("loss", loss_cases())
def test_hyperparameters_are_keyword_only(loss):
    for function in (loss.value_fn, loss.grad_fn):
        parameters = inspect.signature(function).parameters
        for spec in loss.params:
            assert parameters[spec.name].kind is inspect.Parameter.KEYWORD_ONLY
    if loss.params:
        y_true, y_pred = smooth_inputs(loss, {})
        with pytest.raises(TypeError):
            loss.value(y_true, y_pred, loss.params[0].default)


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_grad_matches_finite_differences(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    grad = loss.grad(y_true, y_pred, **params)
    assert grad.shape == np.shape(y_pred)
    expected = central_difference(lambda moved: loss.value(y_true, moved, **params), y_pred)
    np.testing.assert_allclose(grad, expected, rtol=5e-6, atol=1e-9)


@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_value_is_per_sample_and_does_not_touch_its_inputs(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    true_copy, pred_copy = np.copy(y_true), np.copy(y_pred)
    value = loss.value(y_true, y_pred, **params)
    loss.grad(y_true, y_pred, **params)
    assert value.shape == (np.shape(y_pred)[0],)
    assert value.dtype == np.float64
    np.testing.assert_array_equal(y_true, true_copy)
    np.testing.assert_array_equal(y_pred, pred_copy)
    # Sample i's value depends on sample i alone.
    np.testing.assert_allclose(
        loss.value(y_true[2:3], y_pred[2:3], **params), value[2:3], rtol=1e-15
    )
    # Nested lists are accepted like arrays.
    np.testing.assert_array_equal(
        loss.value(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist(), **params), value
    )


# ---------------------------------------------------------------- reduction


@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_cost_is_the_mean_of_value(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    value = loss.value(y_true, y_pred, **params)
    assert isinstance(loss.cost(y_true, y_pred, **params), float)
    assert loss.cost(y_true, y_pred, **params) == pytest.approx(value.sum() / value.size)


@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_weighted_cost_is_the_weighted_mean(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    value = loss.value(y_true, y_pred, **params)
    weights = np.linspace(0.5, 3.0, value.size)
    expected = (weights * value).sum() / weights.sum()  # Σ wᵢ·vᵢ / Σ wᵢ
    assert loss.cost(y_true, y_pred, sample_weight=weights, **params) == pytest.approx(expected)
    # Integer weights count samples: weight 2 is the sample listed twice, weight 0 is dropped.
    counts = np.arange(value.size) % 3
    repeated = np.repeat(np.arange(value.size), counts)
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    assert loss.cost(y_true, y_pred, sample_weight=counts, **params) == pytest.approx(
        loss.cost(y_true[repeated], y_pred[repeated], **params)
    )
    # Equal weights give the plain mean.
    assert loss.cost(
        y_true, y_pred, sample_weight=np.full(value.size, 7.0), **params
    ) == pytest.approx(loss.cost(y_true, y_pred, **params))


# ---------------------------------------------------------------- minimum at a perfect prediction


@pytest.mark.parametrize(("loss", "params"), param_cases("regression"))
def test_regression_loss_is_zero_at_zero_residual_and_nonnegative(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    np.testing.assert_array_equal(loss.value(y_true, y_true, **params), 0.0)
    # The gradient at r = 0 is 0: exact for the smooth losses, the chosen subgradient at kinks.
    np.testing.assert_array_equal(loss.grad(y_true, y_true, **params), 0.0)
    assert np.all(loss.value(y_true, y_pred, **params) > 0.0)


def _other_predictions(loss, params, y_pred, rng):
    """Random valid predictions of the same shape as y_pred."""
    if uses_logits(loss, params):
        return rng.normal(0.0, 3.0, np.shape(y_pred))
    if np.ndim(y_pred) == 1:
        return rng.uniform(0.0, 1.0, np.shape(y_pred))
    rows = rng.uniform(0.0, 1.0, np.shape(y_pred))
    return rows / rows.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("loss", "params"),
    [
        case
        for case in param_cases("binary") + param_cases("multiclass")
        # A smoothed label is no longer hard, so its best prediction is not the hard label.
        if not case.values[1].get("label_smoothing")
    ],
)
def test_classification_loss_is_minimal_at_the_true_label(loss, params):
    """With hard labels the perfect prediction (p = y, or a confident logit on the right side)
    scores no worse than any other prediction."""
    rng = np.random.default_rng(1)
    n = 20
    labels = rng.integers(0, 2 if loss.task == "binary" else N_CLASSES, n)
    if loss.task == "binary":
        y_true = labels.astype(float)
        perfect = 40.0 * (2 * y_true - 1) if uses_logits(loss, params) else y_true
    else:
        one_hot = np.eye(N_CLASSES)[labels]
        y_true = labels if loss.id in SPARSE_LABEL_LOSSES else one_hot
        perfect = 40.0 * one_hot if uses_logits(loss, params) else one_hot
    best = loss.value(y_true, perfect, **params)
    for _ in range(20):
        other = loss.value(y_true, _other_predictions(loss, params, perfect, rng), **params)
        assert np.all(best <= other)


# Losses that are strictly proper for soft targets: the expected loss under y is minimal at p = y.
PROPER_FOR_SOFT_LABELS = ["bce", "cce", "kl", "brier", "brier_multiclass"]


@pytest.mark.parametrize("loss_id", PROPER_FOR_SOFT_LABELS)
def test_proper_loss_is_minimal_at_p_equal_y_for_soft_labels(loss_id):
    loss = losses.get(loss_id)
    rng = np.random.default_rng(2)
    if loss.task == "binary":
        y_true = rng.uniform(0.05, 0.95, 30)
    else:
        y_true = rng.dirichlet(np.ones(N_CLASSES), 30)
    best = loss.value(y_true, y_true)
    for _ in range(20):
        other = _other_predictions(loss, {}, y_true, rng)
        assert np.all(best <= loss.value(y_true, other) + 1e-12)
    # Gibbs: at p = y the KL divergence is exactly zero.
    if loss_id == "kl":
        np.testing.assert_allclose(best, 0.0, atol=1e-15)


# ---------------------------------------------------------------- extreme inputs


@pytest.mark.filterwarnings("error::RuntimeWarning")  # also set in pyproject.toml
@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_value_and_grad_are_finite_on_extreme_inputs(loss, params):
    """Residuals of ±1e6, probabilities exactly 0 and 1, logits of ±1e4: finite numbers and no
    RuntimeWarning (pyproject turns RuntimeWarnings into errors)."""
    y_true, y_pred = extreme_inputs(loss, params)
    value = loss.value(y_true, y_pred, **params)
    grad = loss.grad(y_true, y_pred, **params)
    assert np.all(np.isfinite(value)) and np.all(value >= 0.0)
    assert np.all(np.isfinite(grad)) and grad.shape == y_pred.shape
    assert math.isfinite(loss.cost(y_true, y_pred, **params))


# ---------------------------------------------------------------- the ValueError contract


def _shape_mismatches(loss, y_true, y_pred):
    """(y_true, y_pred) pairs whose shapes differ, including ones NumPy would broadcast."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    yield y_true, y_pred[:-1]
    yield y_true[:-1], y_pred
    yield y_true, y_pred[:1]  # broadcastable, still refused
    if loss.task == "multiclass":
        yield y_true, y_pred[None]
        if loss.id not in SPARSE_LABEL_LOSSES:  # sparse labels take k from y_pred
            yield y_true, y_pred[:, :-1]
            fewer_classes = np.eye(N_CLASSES - 1)[np.arange(len(y_true)) % (N_CLASSES - 1)]
            yield fewer_classes, y_pred
    else:
        yield y_true, y_pred[:, None]
        yield y_true[:, None], y_pred[:, None]
        yield y_true[:, None], y_pred


@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_shape_mismatch_raises(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    for bad_true, bad_pred in _shape_mismatches(loss, y_true, y_pred):
        for call in (loss.value, loss.grad, loss.cost):
            # The core's own messages, not NumPy's "operands could not be broadcast".
            with pytest.raises(ValueError, match="no broadcasting|must have shape"):
                call(bad_true, bad_pred, **params)


@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_empty_input_raises(loss, params):
    y_true, y_pred = smooth_inputs(loss, params)
    with pytest.raises(ValueError, match="empty|shape"):
        loss.value(np.asarray(y_true)[:0], np.asarray(y_pred)[:0], **params)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(("loss", "params"), param_cases())
def test_nan_or_inf_input_raises(loss, params, bad):
    y_true, y_pred = smooth_inputs(loss, params)
    bad_pred = np.array(y_pred, dtype=float)
    bad_pred.flat[1] = bad
    bad_true = np.array(y_true, dtype=float)
    bad_true.flat[1] = bad
    for call in (loss.value, loss.grad, loss.cost):
        with pytest.raises(ValueError, match="NaN or infinite"):
            call(y_true, bad_pred, **params)
        with pytest.raises(ValueError, match="NaN or infinite"):
            call(bad_true, y_pred, **params)


@pytest.mark.parametrize("loss", loss_cases())
def test_non_numeric_input_raises(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    words = np.full(np.shape(y_pred), "high").tolist()
    with pytest.raises(ValueError, match="numbers"):
        loss.value(y_true, words)


def _invalid_values(spec):
    """Values outside a parameter's range or of the wrong type."""
    if spec.kind == "bool":
        return [1, 0, "yes", None, 1.0]
    invalid = [np.nan, np.inf, "1", True]
    if spec.kind != "optional_float":
        invalid.append(None)
    if spec.min is not None:
        invalid.append(spec.min - 1.0)
        if not spec.min_inclusive:
            invalid.append(spec.min)
    if spec.max is not None:
        invalid.append(spec.max + 1.0)
        if not spec.max_inclusive:
            invalid.append(spec.max)
    return invalid


def _boundary_values(spec):
    """Valid values at the inclusive ends of a parameter's range."""
    ends = []
    if spec.min is not None and spec.min_inclusive:
        ends.append(spec.min)
    if spec.max is not None and spec.max_inclusive:
        ends.append(spec.max)
    if spec.kind == "optional_float":
        ends.append(None)
    if spec.kind == "bool":
        ends.extend([True, False])
    return ends


@pytest.mark.parametrize("loss", loss_cases())
def test_parameter_outside_its_range_raises(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    for spec in loss.params:
        for bad in _invalid_values(spec):
            for call in (loss.value, loss.grad, loss.cost):
                with pytest.raises(ValueError, match=spec.name):
                    call(y_true, y_pred, **{spec.name: bad})


@pytest.mark.parametrize("loss", loss_cases())
def test_parameter_at_an_inclusive_end_of_its_range_works(loss):
    for spec in loss.params:
        for end in _boundary_values(spec):
            params = {spec.name: end}
            y_true, y_pred = smooth_inputs(loss, params)
            assert np.all(np.isfinite(loss.value(y_true, y_pred, **params)))
            assert np.all(np.isfinite(loss.grad(y_true, y_pred, **params)))


@pytest.mark.parametrize("loss", loss_cases())
def test_unknown_parameter_raises_and_lists_the_valid_ones(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    for call in (loss.value, loss.grad, loss.cost):
        with pytest.raises(ValueError, match="no parameter temperature") as error:
            call(y_true, y_pred, temperature=2.0)
        for spec in loss.params:
            assert spec.name in str(error.value)


@pytest.mark.parametrize("loss", loss_cases("binary"))
def test_binary_label_outside_its_domain_raises(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    for bad_label in (-0.1, 1.5, 2.0):
        bad_true = np.array(y_true)
        bad_true[0] = bad_label
        with pytest.raises(ValueError, match="y_true"):
            loss.value(bad_true, y_pred)


@pytest.mark.parametrize(
    "loss", [case for case in loss_cases("binary") if "from_logits" in case.values[0].defaults]
)
def test_probability_outside_0_1_raises_unless_from_logits(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    for bad_probability in (-0.01, 1.01, 3.0):
        bad_pred = np.array(y_pred)
        bad_pred[0] = bad_probability
        with pytest.raises(ValueError, match="from_logits"):
            loss.value(y_true, bad_pred)
        assert np.all(np.isfinite(loss.value(y_true, bad_pred, from_logits=True)))


def test_hinge_refuses_soft_labels():
    loss = losses.get("hinge")
    with pytest.raises(ValueError, match="0 or 1"):
        loss.value([0.0, 0.5], [1.0, 2.0])


@pytest.mark.parametrize(
    "loss", [case for case in loss_cases("multiclass") if case.id not in SPARSE_LABEL_LOSSES]
)
def test_target_rows_must_be_distributions(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    not_summing = np.array(y_true)
    not_summing[0] = [0.5, 0.4, 0.0, 0.0]
    with pytest.raises(ValueError, match="row 0 sums to 0.9"):
        loss.value(not_summing, y_pred)
    negative = np.array(y_true)
    negative[1] = [1.5, -0.5, 0.0, 0.0]
    with pytest.raises(ValueError, match="y_true"):
        loss.value(negative, y_pred)


@pytest.mark.parametrize("loss", loss_cases("multiclass"))
def test_negative_or_zero_probability_rows_raise(loss):
    y_true, y_pred = smooth_inputs(loss, {})
    negative = np.array(y_pred)
    negative[0, 0] = -0.1
    with pytest.raises(ValueError, match="y_pred"):
        loss.value(y_true, negative)
    zeros = np.array(y_pred)
    zeros[0] = 0.0
    with pytest.raises(ValueError, match="row 0|zero|y_pred"):
        loss.value(y_true, zeros)


def test_single_class_is_refused():
    with pytest.raises(ValueError, match="at least 2 classes"):
        losses.get("cce").value([[1.0], [1.0]], [[1.0], [1.0]])


@pytest.mark.parametrize("bad_label", [1.5, -1, 4, 7])
@pytest.mark.parametrize("loss", [case for case in loss_cases() if case.id in SPARSE_LABEL_LOSSES])
def test_sparse_label_outside_0_to_k_minus_1_names_it_and_k(loss, bad_label):
    y_true, y_pred = smooth_inputs(loss, {})
    bad_true = np.array(y_true, dtype=float)
    bad_true[2] = bad_label
    for call in (loss.value, loss.grad, loss.cost):
        with pytest.raises(ValueError, match=f"got {bad_label:g}") as error:
            call(bad_true, y_pred)
        assert f"k={N_CLASSES}" in str(error.value)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (lambda n: np.ones(n - 1), "shape"),
        (lambda n: np.ones((n, 1)), "shape"),
        (lambda n: np.r_[-1.0, np.ones(n - 1)], "non-negative"),
        (lambda n: np.zeros(n), "sums to 0"),
        (lambda n: np.r_[np.nan, np.ones(n - 1)], "NaN"),
    ],
    ids=["short", "column", "negative", "all-zero", "nan"],
)
@pytest.mark.parametrize("loss", loss_cases())
def test_bad_sample_weight_raises(loss, weights, message):
    y_true, y_pred = smooth_inputs(loss, {})
    with pytest.raises(ValueError, match=message):
        loss.cost(y_true, y_pred, sample_weight=weights(np.shape(y_pred)[0]))


@pytest.mark.parametrize("loss", loss_cases())
def test_missing_value_is_named_as_missing(loss):
    # A None typed into a table converts to NaN; the message should say what the student did.
    params = loss.defaults
    y_true, y_pred = smooth_inputs(loss, params)
    with_gap = np.array(y_pred, dtype=object)
    with_gap.flat[0] = None
    with pytest.raises(ValueError, match=r"missing value \(None\)"):
        loss.value(y_true, with_gap.tolist(), **params)
