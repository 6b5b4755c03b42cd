"""The numerics page's clip sentence (lessons.numerics.clip_sentence) against the numbers:
every ε the page's slider offers, each figure in the sentence recomputed here from the core's
clipped BCE, from PyTorch's own BCELoss (when torch is installed) and by hand."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons import numerics
from lessons.display_numbers import signed
from ui import controls

SLIDER = controls.log_steps(1e-12, 1e-2)  # the page's ε slider (views/numerics.py)


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def _after(sentence: str, words: str) -> float:
    match = re.search(re.escape(words) + r" ?([−\d.e+-]+\d)", sentence)
    return _number(match.group(1))


@settings(max_examples=60, deadline=None)
@given(eps=st.sampled_from(SLIDER))
def test_the_keras_half_is_true_at_every_eps(eps):
    sentence = numerics.clip_sentence(eps)
    # "stops at −log ε = X": hand-derived cap, and the core's clipped BCE at z = −60 has it.
    cap = _after(sentence, "stops at −log ε =")
    assert f"{cap:.3g}" == f"{-math.log(eps):.3g}"
    loss, grad = numerics.clipped_bce_from_logit(np.array([-60.0]), 1.0, eps)
    assert loss[0] == pytest.approx(-math.log(eps), rel=1e-12)
    # "gradient … exactly 0 wherever σ(z) < ε (z < Z)": 0 below Z, not 0 above it (the
    # core's clipped BCE; σ(Z) = ε by hand: Z = log(ε/(1 − ε))).
    edge = math.log(eps / (1 - eps))
    assert f"(z < {signed(edge, '.3g')})" in sentence
    z = np.array([edge - 1e-6, edge - 1.0, edge + 1e-6, edge + 1.0])
    _, grad = numerics.clipped_bce_from_logit(z, 1.0, eps)
    assert (grad[:2] == 0.0).all() and (grad[2:] < 0.0).all()
    assert f"here ε = {eps:g}" in sentence
    assert "by default ε = 1e-07" in sentence  # keras/src/backend/config.py: _EPSILON = 1e-7


def test_the_pytorch_half_is_true():
    sentence = numerics.clip_sentence(1e-7)
    z = np.linspace(-300.0, 0.0, 30001)
    loss, grad = numerics.torch_bce_from_logit(z, 1.0)
    # "its loss stops at 100": the floor −100 on log p (aten Loss.cpp), never more.
    assert "its loss stops at 100" in sentence and loss.max() == 100.0
    # "σ(z) − 1 down to z ≈ F, then fades": equal to the logit route's σ(z) − 1 above F,
    # smaller in size below it (scipy expit for σ).
    fade = numerics.torch_fade_logit()
    assert f"down to z ≈ {signed(fade, '.3g')}," in sentence
    logit_route = scipy.special.expit(z) - 1.0
    above = z > fade + 0.05
    np.testing.assert_allclose(grad[above], logit_route[above], rtol=1e-9)
    below = z < fade - 0.05
    assert (np.abs(grad[below]) < 0.96 * np.abs(logit_route[below])).all()
    # "(G at z = −40)": the value there, to the 2 digits shown.
    _, at_40 = numerics.torch_bce_from_logit(np.array([-40.0]), 1.0)
    assert f"({signed(at_40[0], '.2g')} at z = −40)" in sentence
    # "is exactly 0 only where σ(z) rounds to 0": nonzero wherever σ(z) > 0 in float64.
    assert (grad[scipy.special.expit(z) > 0] != 0.0).all()
    # "(z < B in float32)": B = −log(float32 max) = −88.72 (hand-derived: e^(−z) overflows
    # to inf past it); float32's σ(z) = 1/(1 + e^(−z)) is 0 a tenth below B, not a tenth above.
    bound = _after(sentence, "only where σ(z) rounds to 0 (z <")
    assert bound == pytest.approx(-math.log(float(np.finfo(np.float32).max)), abs=0.05)
    with np.errstate(over="ignore"):
        sigma = 1.0 / (1.0 + np.exp(-np.array([bound - 0.1, bound + 0.1], dtype=np.float32)))
    assert sigma.dtype == np.float32 and sigma[0] == 0.0 and sigma[1] > 0.0


def test_the_pytorch_numbers_are_pytorchs(torch):
    # The −40 value and the float32 bound from PyTorch itself (autograd, float64 and float32).
    sentence = numerics.clip_sentence(1e-7)
    z = torch.tensor([-40.0], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.binary_cross_entropy(torch.sigmoid(z), torch.ones_like(z)).backward()
    assert f"({signed(z.grad.item(), '.2g')} at z = −40)" in sentence
    bound = _after(sentence, "only where σ(z) rounds to 0 (z <")
    for logit, zero in ((bound + 0.1, False), (bound - 0.1, True)):
        z32 = torch.tensor([logit], dtype=torch.float32, requires_grad=True)
        torch.nn.functional.binary_cross_entropy(
            torch.sigmoid(z32), torch.ones_like(z32)
        ).backward()
        assert (z32.grad.item() == 0.0) == zero
