"""The numerics page's clip sentence (lessons.numerics.clip_sentence) against the numbers:
every ε the page's slider offers, each figure in the sentence recomputed here from the core's
clipped BCE, from PyTorch's own BCELoss (when torch is installed) and by hand."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import scipy.special
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lessons import numerics
from lessons.display_numbers import signed
from ui import controls, numerics_cache

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


FAILURE = re.compile(
    r"(?P<way>float32|float64) at z ≈ (?P<z>[−\d.-]+\d)"
    r"(?P<right> \(a confident right answer: the unused term is 0 · log 0 = NaN\))?"
)


def naive_by_hand(z, y: float, dtype):
    """BCE through p = 1/(1 + e^(−z)) in ``dtype``, its gradient by the chain rule
    (−y/p + (1 − y)/(1 − p))·p(1 − p), and the unused term's product (hand, as the page's
    caption writes them)."""
    z, y, one = np.asarray(z, dtype=dtype), dtype(y), dtype(1.0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = one / (one + np.exp(-z))
        used, unused = (y * np.log(p), (one - y) * np.log(one - p))
        grad = (-y / p + (one - y) / (one - p)) * (p * (one - p))
    return -(used + unused), grad, p


@settings(max_examples=10, deadline=None)
@given(label=st.sampled_from([0.0, 1.0]))
@example(label=1.0)  # the old "rounds to 0 long before the stable one", false for y = 1
def test_the_failure_sentence_says_where_each_naive_form_breaks(label):
    z = numerics_cache.Z  # the page's logits, −100 to 100 every 0.1
    failures = {
        "naive32": numerics.first_failure(z, naive_by_hand(z, label, np.float32)[0]),
        "naive64": numerics.first_failure(z, naive_by_hand(z, label, np.float64)[0]),
    }
    sentence = numerics.failure_sentence(label, failures)
    wrong = "positive" if label == 0 else "negative"
    assert sentence.startswith(f"With y = {label:g} a large {wrong} z is a confident wrong answer.")
    # Hand: far on that side the stable loss (softplus of ∓z) is large; far on the other, tiny.
    stable, _ = numerics.stable_bce_from_logit(np.array([-40.0, 40.0]), label)
    far_wrong, far_right = (stable[1], stable[0]) if label == 0 else (stable[0], stable[1])
    assert far_wrong > 39 and far_right < 1e-16
    claims = list(FAILURE.finditer(sentence))
    assert {claim["way"] for claim in claims} == {"float32", "float64"}
    for claim in claims:
        dtype = np.float32 if claim["way"] == "float32" else np.float64
        loss, grad, p = naive_by_hand(z, label, dtype)
        at = np.argmin(np.abs(z - _number(claim["z"])))
        # It breaks there (inf or NaN for the loss, NaN for the gradient), and nowhere nearer 0.
        assert not np.isfinite(loss[at]) and np.isnan(grad[at])
        assert np.all(np.isfinite(loss[np.abs(z) < abs(z[at])]))
        right = (z[at] > 0) == (label == 1)
        assert bool(claim["right"]) == right
        if right:  # the unused term's p: 1 − p = 0 (y = 1) or p = 0 (y = 0), so 0 · log 0
            assert (1.0 - p[at] if label == 1 else p[at]) == 0.0
            with np.errstate(divide="ignore", invalid="ignore"):
                assert np.isnan(dtype(0.0) * np.log(dtype(0.0)))
    # Where the model is right (the page's z from 0 to ±100): each naive form either rounds
    # to exactly 0 from the z named on, or never does and is off by the share named at most.
    right_side = z > 0 if label == 1 else z < 0
    side = z[right_side][:: 1 if label == 1 else -1]  # outwards from 0
    stable, _ = numerics.stable_bce_from_logit(side, label)
    assert np.all(stable > 0.0)
    with np.errstate(invalid="ignore"):
        ever_zero = [
            np.any((naive_by_hand(side, label, dtype)[0] == 0.0) & (stable > 0.0))
            for dtype in (np.float32, np.float64)
        ]
    # y = 1: p rounds to 1 only where 0 · log 0 already gives NaN, so no form reads 0.
    assert ever_zero == ([True, True] if label == 0 else [False, False])
    assert ("rounds to 0 (" in sentence) == any(ever_zero)
    said = {}
    for claim in re.finditer(r"(float32|float64) from z ≈ (\S+?)[,)]", sentence):
        said[claim[1]] = ("zero", claim[2])
    for claim in re.finditer(r"(\S+) % in (float32|float64) \(at z ≈ (\S+?)\)", sentence):
        said[claim[2]] = ("off", claim[1], claim[3])
    assert set(said) == {"float32", "float64"}
    for way, what in said.items():
        naive, _, _ = naive_by_hand(side, label, np.float32 if way == "float32" else np.float64)
        rounded = (naive == 0.0) & (stable > 0.0)
        if what[0] == "zero":
            assert "rounds to 0 (" in sentence
            assert what[1] == signed(float(side[rounded][0]), ".3g")
            continue
        assert not rounded.any() and "never rounds to 0 but loses its digits" in sentence
        number = np.isfinite(naive)
        error = np.abs(naive[number] - stable[number]) / stable[number]
        assert _number(what[1]) / 100 == pytest.approx(error.max(), rel=0.05)
        assert what[2] == signed(float(side[number][np.argmax(error)]), ".3g")
