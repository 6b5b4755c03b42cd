"""lessons.numerics: the naive BCE and softmax fail exactly where the numerics page says, and
the stable ones (the core) do not. References: scipy.special (expit, softmax), numpy's
logaddexp for softplus, and hand-derived failure points: 1 − σ(z) rounds to 0 once e^(−z) is
below half a unit in the last place of 1 (2^(−24) in float32: z > 16.6; 2^(−53) in float64:
z > 36.7); e^z overflows past log(max) (88.72 in float32, 709.78 in float64)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

from lessons import numerics
from ui.numerics_cache import Z


def test_naive_bce_breaks_where_the_page_says_and_the_stable_one_does_not():
    l32, g32 = numerics.naive_bce_from_logit(Z, 0.0, np.float32)
    l64, g64 = numerics.naive_bce_from_logit(Z, 0.0, np.float64)
    assert 16.5 <= numerics.first_failure(Z, l32) <= 16.8  # hand-derived: 16.6
    assert 36.6 <= numerics.first_failure(Z, l64) <= 36.9  # hand-derived: 36.7
    # y = 1 breaks on the other side: e^(−z) overflows past −z = 709.78 (hand-derived), so
    # σ(z) = 1/(1 + inf) = 0 and −log 0 = inf.
    far = np.linspace(-800.0, 0.0, 8001)
    assert (
        -710.0 <= numerics.first_failure(far, numerics.naive_bce_from_logit(far, 1.0)[0]) <= -709.7
    )
    assert np.isinf(l64[Z == 40.0]).all() and np.isnan(g64[Z == 40.0]).all()
    stable, grad = numerics.stable_bce_from_logit(Z, 0.0)
    assert np.isfinite(stable).all() and np.isfinite(grad).all()
    np.testing.assert_allclose(stable, np.logaddexp(0.0, Z), rtol=1e-14)  # softplus(z) for y=0
    np.testing.assert_allclose(grad, scipy.special.expit(Z), rtol=1e-14)  # σ(z) − 0


def test_naive_bce_loses_a_right_answers_loss_to_zero():
    # y = 0 and z = −100: the loss is softplus(−100) = 3.72e-44 (numpy logaddexp); naive
    # float64 gives log(1 − 3.7e-44) = log 1 = 0.
    naive, _ = numerics.naive_bce_from_logit(np.array([-100.0]), 0.0)
    stable, _ = numerics.stable_bce_from_logit(np.array([-100.0]), 0.0)
    assert naive[0] == 0.0
    assert stable[0] == pytest.approx(np.logaddexp(0.0, -100.0), rel=1e-14)


def test_naive_bce_agrees_where_it_does_not_break():
    z = np.linspace(-15.0, 15.0, 61)
    for label in (0.0, 1.0):
        naive, naive_grad = numerics.naive_bce_from_logit(z, label)
        stable, grad = numerics.stable_bce_from_logit(z, label)
        np.testing.assert_allclose(naive, stable, rtol=1e-6)
        np.testing.assert_allclose(naive_grad, grad, rtol=1e-6, atol=1e-12)


def test_the_clip_caps_the_loss_and_flattens_the_gradient():
    eps = 1e-7
    z = np.array([-40.0, -20.0, -17.0, -5.0, 0.0])
    loss, grad = numerics.clipped_bce_from_logit(z, 1.0, eps)
    # σ(z) < ε for z < log(ε/(1−ε)) ≈ −16.12 (hand-derived): there the loss is −log ε, the
    # gradient 0; the logit's gradient σ(z) − 1 is near −1 (scipy expit).
    held = z < np.log(eps / (1 - eps))
    np.testing.assert_allclose(loss[held], -np.log(eps), rtol=1e-12)
    assert (grad[held] == 0.0).all()
    assert (grad[~held] < 0).all()
    _, from_logit = numerics.stable_bce_from_logit(z, 1.0)
    np.testing.assert_allclose(from_logit, scipy.special.expit(z) - 1.0, rtol=1e-12)


@pytest.mark.parametrize(
    ("dtype", "fine", "broken"), [(np.float32, 88.0, 89.0), (np.float64, 709.0, 710.0)]
)
def test_naive_softmax_overflows_past_log_max_and_the_stable_one_does_not(dtype, fine, broken):
    for scale, ok in ((fine, True), (broken, False)):
        logits = np.array([scale, scale / 2, 0.0, -scale])
        naive = numerics.naive_softmax(logits, dtype)
        assert bool(np.isfinite(naive).all()) == ok
        stable = numerics.stable_softmax(logits)
        np.testing.assert_allclose(stable, scipy.special.softmax(logits), rtol=1e-12, atol=1e-300)
    big = np.array([1e4, 5e3, 0.0, -1e4])
    assert np.isnan(numerics.naive_softmax(big)).any()
    np.testing.assert_allclose(numerics.stable_softmax(big), [1.0, 0.0, 0.0, 0.0], atol=1e-300)


def test_torch_bce_is_pytorchs_bceloss_on_the_sigmoid(torch):
    # torch.nn.functional.binary_cross_entropy(torch.sigmoid(z), y) and autograd's dℓ/dz,
    # float64, per sample: the same numbers as lessons.numerics' copy of its formulas.
    z = np.concatenate([Z, [-800.0, -745.0, -700.0, -40.0, -27.7, -27.6, 700.0, 800.0]])
    for label in (0.0, 1.0):
        logits = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        target = torch.full_like(logits, label)
        value = torch.nn.functional.binary_cross_entropy(
            torch.sigmoid(logits), target, reduction="none"
        )
        value.sum().backward()
        loss, grad = numerics.torch_bce_from_logit(z, label)
        np.testing.assert_allclose(loss, value.detach().numpy(), rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(grad, logits.grad.numpy(), rtol=1e-9, atol=1e-300)


def test_torch_bce_hand_derived_ends():
    # PyTorch's formulas (aten Loss.cpp): log floored at −100, so at z = −800 (σ = 0 in
    # float64) the loss is 100 and the gradient (0 − 1)/1e-12 · 0 = 0; above the fade point
    # the gradient is σ(z) − 1 (scipy expit), the logit route's.
    loss, grad = numerics.torch_bce_from_logit(np.array([-800.0, -5.0, 3.0]), 1.0)
    assert loss[0] == 100.0 and grad[0] == 0.0
    np.testing.assert_allclose(grad[1:], scipy.special.expit([-5.0, 3.0]) - 1.0, rtol=1e-12)
    fade = numerics.torch_fade_logit()
    p = scipy.special.expit(fade)
    # Where the floor starts: aten's EPSILON is the C float 1e-12, float32's 9.99999996e-13.
    assert p * (1 - p) == pytest.approx(float(np.float32(1e-12)), rel=1e-9, abs=0.0)
    assert -27.64 < fade < -27.62  # hand-derived: log(1e-12) = −27.631


def test_float32_sigmoid_rounds_to_zero_where_the_page_says(torch):
    # torch.sigmoid in float32, PyTorch's default dtype: nonzero just above the page's bound,
    # exactly 0 just below it (e^(−z) overflows past log(3.4028e38) = 88.72, hand-derived).
    bound = numerics.float32_sigmoid_zero()
    assert bound == pytest.approx(-88.7228, abs=1e-4)
    above, below = torch.sigmoid(torch.tensor([bound + 0.05, bound - 0.05]))
    assert above.item() > 0.0 and below.item() == 0.0
