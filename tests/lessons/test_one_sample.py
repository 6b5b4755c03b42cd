"""One sample's softmax, per-class loss and logit gradient (lessons.one_sample) against
scipy, finite differences of the written-out loss and, where installed, torch autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special

import losses
from lessons import one_sample
from tests.softmax_references import (
    central_difference_gradient,
    logit_route_loss,
    probability_route_loss,
    smoothed_target,
)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2, 0.5])
@pytest.mark.parametrize("true_class", [0, 2])
def test_sample_view_matches_scipy_softmax_and_the_smoothed_cross_entropy(
    label_smoothing, true_class
):
    z = np.array([2.0, 1.0, 0.1, -1.3])
    view = one_sample.sample_view(
        z, true_class, from_logits=True, label_smoothing=label_smoothing, eps=1e-7
    )
    # reference: scipy.special.softmax.
    np.testing.assert_allclose(view.probability, scipy.special.softmax(z), rtol=1e-14)
    # hand-derived: the smoothed target y(1 − ls) + ls/k, and the gradient p − y.
    expected_target = np.full(4, label_smoothing / 4)
    expected_target[true_class] += 1 - label_smoothing
    np.testing.assert_allclose(view.target, expected_target, rtol=1e-15)
    np.testing.assert_allclose(view.gradient, view.probability - view.target, atol=1e-15)
    # reference: −Σ y_s scipy.special.log_softmax(z), and finite differences of it.
    expected = logit_route_loss(z, true_class, label_smoothing=label_smoothing)
    assert view.loss_from_logits == pytest.approx(expected, rel=1e-12)
    assert view.loss_if_true[true_class] == pytest.approx(expected, rel=1e-12)
    numeric = central_difference_gradient(
        lambda shifted: logit_route_loss(shifted, true_class, label_smoothing=label_smoothing), z
    )
    np.testing.assert_allclose(view.gradient, numeric, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2, 0.5])
@pytest.mark.parametrize("true_class", [0, 2])
def test_sample_view_matches_torch_autograd(label_smoothing, true_class, torch):
    z = np.array([2.0, 1.0, 0.1, -1.3])
    view = one_sample.sample_view(
        z, true_class, from_logits=True, label_smoothing=label_smoothing, eps=1e-7
    )
    # reference: torch cross_entropy with label smoothing, value and autograd gradient.
    logits = torch.tensor(z.reshape(1, -1), requires_grad=True)
    loss = torch.nn.functional.cross_entropy(
        logits, torch.tensor([true_class]), label_smoothing=label_smoothing
    )
    loss.backward()
    np.testing.assert_allclose(view.gradient, logits.grad.numpy()[0], rtol=1e-12, atol=1e-15)
    assert view.loss_from_logits == pytest.approx(loss.item(), rel=1e-12)
    assert view.loss_if_true[true_class] == pytest.approx(loss.item(), rel=1e-12)


def _torch_logit_gradient(torch, z, true_class, *, from_logits, label_smoothing, eps):
    """Reference ∂ℓ/∂z by torch autograd, ℓ written out independently of the core."""
    logits = torch.tensor(np.reshape(z, (1, -1)), dtype=torch.float64, requires_grad=True)
    if from_logits:
        # torch.nn.functional.cross_entropy with label smoothing: −Σ y_s log_softmax(z).
        loss = torch.nn.functional.cross_entropy(
            logits, torch.tensor([true_class]), label_smoothing=label_smoothing
        )
    else:
        # Keras' probability route: p / Σp clipped to [ε, 1 − ε], −Σ y_s log p.
        k = logits.shape[1]
        target = torch.full((1, k), label_smoothing / k, dtype=torch.float64)
        target[0, true_class] += 1 - label_smoothing
        probability = torch.softmax(logits, dim=1)
        probability = torch.clamp(probability / probability.sum(), eps, 1 - eps)
        loss = -(target * torch.log(probability)).sum()
    loss.backward()
    return logits.grad.numpy()[0], loss.item()


SAMPLES = {
    "nothing clipped": (np.array([2.0, 1.0, 0.1, -1.3]), 2),
    "one class clipped (p₂ ≈ 0.0057)": (np.array([3.0, 0.0, -2.0, 1.0]), 2),
    "one class clipped, true class not": (np.array([3.0, 0.0, -2.0, 1.0]), 0),
    "every class clipped (review example)": (np.array([10.0, 1.0, -10.0]), 2),
    "k = 2, ±10 (page caption)": (np.array([10.0, -10.0]), 1),
}


def _written_out_loss(true_class, *, from_logits, label_smoothing, eps):
    """ℓ(z) of the chosen route, written out with scipy (tests/softmax_references.py)."""
    if from_logits:
        return lambda z: logit_route_loss(z, true_class, label_smoothing=label_smoothing)
    return lambda z: probability_route_loss(z, true_class, label_smoothing=label_smoothing, eps=eps)


ROUTES = pytest.mark.parametrize("from_logits", [False, True])
SMOOTHING = pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
EPS = pytest.mark.parametrize("eps", [1e-7, 0.01])
CASES = pytest.mark.parametrize("case", SAMPLES.values(), ids=SAMPLES.keys())


@ROUTES
@SMOOTHING
@EPS
@CASES
def test_gradient_is_that_of_the_loss_shown_by_finite_differences(
    case, eps, label_smoothing, from_logits
):
    z, true_class = case
    view = one_sample.sample_view(
        z, true_class, from_logits=from_logits, label_smoothing=label_smoothing, eps=eps
    )
    loss = _written_out_loss(
        true_class, from_logits=from_logits, label_smoothing=label_smoothing, eps=eps
    )
    # reference: the very loss the bars show, written out with scipy; its gradient by
    # 4th-order central differences (no sample sits within 2h of a clip boundary).
    assert view.loss_if_true[true_class] == pytest.approx(loss(z), rel=1e-12)
    np.testing.assert_allclose(
        view.gradient, central_difference_gradient(loss, z), rtol=1e-7, atol=1e-9
    )
    # p − y (scipy softmax, hand-smoothed y), the logit route's gradient, kept for the outline.
    p_minus_y = scipy.special.softmax(z) - smoothed_target(z.size, true_class, label_smoothing)
    np.testing.assert_allclose(view.logit_route_gradient, p_minus_y, rtol=1e-12, atol=1e-15)


@ROUTES
@SMOOTHING
@EPS
@CASES
def test_gradient_is_that_of_the_loss_shown_by_torch_autograd(
    case, eps, label_smoothing, from_logits, torch
):
    z, true_class = case
    view = one_sample.sample_view(
        z, true_class, from_logits=from_logits, label_smoothing=label_smoothing, eps=eps
    )
    expected, loss = _torch_logit_gradient(
        torch, z, true_class, from_logits=from_logits, label_smoothing=label_smoothing, eps=eps
    )
    # reference: torch autograd of the very loss the bars show (ℓ from the chosen route).
    assert view.loss_if_true[true_class] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(view.gradient, expected, rtol=1e-9, atol=1e-14)
    # p − y, the logit route's gradient, is kept beside it for the comparison outline.
    logit_route, _ = _torch_logit_gradient(
        torch, z, true_class, from_logits=True, label_smoothing=label_smoothing, eps=eps
    )
    np.testing.assert_allclose(view.logit_route_gradient, logit_route, rtol=1e-9, atol=1e-14)


def test_every_probability_clipped_stops_the_gradient():
    # The reviewer's example: ε 0.01, ls 0.3, logits (10, 1, −10), true class 2.
    view = one_sample.sample_view(
        [10.0, 1.0, -10.0], 2, from_logits=False, label_smoothing=0.3, eps=0.01
    )
    # hand-derived: p ≈ (1 − 1.2e-4, 1.2e-4, 2e-9), every one outside [0.01, 0.99], so no
    # probability passes a gradient (torch autograd agrees: [0, 0, 0]).
    assert view.probability_clipped
    np.testing.assert_array_equal(view.gradient, np.zeros(3))
    # The review's ℓ, hand-derived: p clipped to (0.99, 0.01, 0.01), y = (0.1, 0.1, 0.8),
    # ℓ = −(0.1·ln 0.99 + 0.9·ln 0.01) = 4.14566.
    expected = -(0.1 * math.log(0.99) + 0.9 * math.log(0.01))
    assert view.loss_from_probabilities == pytest.approx(expected, rel=1e-12)
    # hand-derived: p − y with y = (0.1, 0.1, 0.8): ≈ (0.9, −0.1, −0.8), what the bars showed.
    np.testing.assert_allclose(view.logit_route_gradient, [0.9, -0.1, -0.8], atol=2e-4)


def test_logit_gradient_of_a_batch_matches_finite_differences():
    rng = np.random.default_rng(4)
    z = rng.normal(scale=2.0, size=(5, 4))
    y = np.eye(4)[[0, 3, 1, 1, 2]]
    settings = {"label_smoothing": 0.2, "eps": 0.01}
    gradient = one_sample.logit_gradient(y, z, from_logits=False, **settings)
    cce = losses.get("cce")

    def loss(shifted):
        return cce.value(y, scipy.special.softmax(shifted, axis=1), from_logits=False, **settings)

    # reference: 4th-order central finite differences in float64 (no point sits on the clip).
    h = 1e-4
    for j in range(4):
        step = np.zeros_like(z)
        step[:, j] = h
        numeric = (
            -loss(z + 2 * step) + 8 * loss(z + step) - 8 * loss(z - step) + loss(z - 2 * step)
        ) / (12 * h)
        np.testing.assert_allclose(gradient[:, j], numeric, rtol=1e-7, atol=1e-10)


def test_loss_if_true_is_minus_log_softmax_without_smoothing():
    z = np.array([2.0, 1.0, 0.1])
    view = one_sample.sample_view(z, 0, from_logits=True, label_smoothing=0.0, eps=1e-7)
    # reference: −scipy.special.log_softmax; CS231n's example gives ℓ₀ ≈ 0.417.
    np.testing.assert_allclose(view.loss_if_true, -scipy.special.log_softmax(z), rtol=1e-14)
    assert view.loss_if_true[0] == pytest.approx(0.4170300, abs=1e-7)
    assert not view.probability_clipped


@pytest.mark.parametrize("big", [10.0, 20.0])
def test_probability_route_is_capped_at_minus_log_eps(big):
    z = np.array([big, -big])
    view = one_sample.sample_view(z, 1, from_logits=False, label_smoothing=0.0, eps=1e-7)
    # hand-derived: from logits ℓ = 2·big + log(1 + e^(−2·big)); p₁ = e^(−2·big)/(1 + …) < 1e-7,
    # so the probability route gives −log 1e-7 = 7·ln 10 ≈ 16.118.
    assert view.loss_from_logits == pytest.approx(2 * big + math.log1p(math.exp(-2 * big)))
    assert view.loss_from_probabilities == pytest.approx(7 * math.log(10), rel=1e-12)
    assert view.loss_if_true[1] == view.loss_from_probabilities  # the switch picks the route
    assert view.probability_clipped
    assert one_sample.clip_cap(1e-7) == pytest.approx(7 * math.log(10), rel=1e-15)


@pytest.mark.parametrize("k", [2, 5, 10])
def test_equal_logits_give_uniform_probabilities_and_log_k(k):
    view = one_sample.sample_view(
        np.full(k, 3.3), k - 1, from_logits=False, label_smoothing=0.0, eps=1e-7
    )
    # hand-derived: softmax of equal logits is 1/k; ℓ = log k for every true class.
    np.testing.assert_allclose(view.probability, np.full(k, 1 / k), rtol=1e-14)
    np.testing.assert_allclose(view.loss_if_true, np.full(k, math.log(k)), rtol=1e-13)


def test_sample_view_refuses_a_true_class_outside_the_classes():
    with pytest.raises(ValueError, match="0..2"):
        one_sample.sample_view([1.0, 2.0, 3.0], 3, from_logits=True, label_smoothing=0.0, eps=1e-7)
    with pytest.raises(ValueError, match="at least 2"):
        one_sample.sample_view([1.0], 0, from_logits=True, label_smoothing=0.0, eps=1e-7)
