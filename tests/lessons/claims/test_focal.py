"""The focal section of the binary page (lessons.focal) against the numbers it describes,
over the page's whole range of γ (0 to 5) and α (none, or 0 to 1).

References: Lin et al. 2017 (eq. 4: FL = −α_t (1 − p_t)^γ log p_t, α_t = α for y = 1 and
1 − α for y = 0; Table 1b: γ = 2, α = 0.25), torchvision.ops.sigmoid_focal_loss (the same
α_t; defaults alpha=0.25, gamma=2, read in pytorch/vision torchvision/ops/focal_loss.py),
keras 3.15.1 BinaryFocalCrossentropy (alpha=0.25, gamma=2.0, α applied only with
apply_class_balancing=True).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import losses
from lessons import focal
from lessons.metrics import BinaryMetrics

GAMMA = st.integers(0, 50).map(lambda k: k / 10)  # the page's γ slider, 0 to 5
ALPHA = st.one_of(st.none(), st.integers(0, 100).map(lambda k: k / 100))


@settings(max_examples=60, deadline=None)
@given(gamma=GAMMA)
def test_the_chart_draws_one_minus_p_t_to_the_gamma(gamma):
    curves = focal.factor_curves(gamma)
    assert sum(mine for _, _, mine in curves) == 1
    assert {g for g, _, _ in curves} == set(focal.SHOWN_GAMMAS) | {gamma}
    for shown_gamma, factor, mine in curves:
        # Hand-derived (Lin et al. eq. 4 over BCE): (1 − p_t)^γ; at p_t = 0 both are clipped
        # at 1e-7, so the ratio there is (1 − 1e-7)^γ.
        expected = (1.0 - np.maximum(focal.P_TRUE, 1e-7)) ** shown_gamma
        np.testing.assert_allclose(factor, expected, rtol=1e-9)
        assert mine == (shown_gamma == gamma)
    # The alt text's values at p_t = 0.9: 0.1^γ (hand-derived).
    alt = focal.factor_alt(curves)
    for shown_gamma, _, _ in curves:
        pattern = rf"γ = {shown_gamma:g}(?: \(this page\))?: ([0-9.e+-]*[0-9])"
        shown = re.search(pattern, alt).group(1)
        assert float(shown) == pytest.approx(0.1**shown_gamma, rel=5e-3)


@settings(max_examples=80, deadline=None)
@given(alpha=ALPHA, gamma=GAMMA, p_true=st.floats(0.05, 0.95))
def test_the_alpha_sentence_says_what_the_kernel_weights(alpha, gamma, p_true):
    sentence = focal.alpha_sentence(alpha)
    kernel = losses.get("focal")
    # The kernel's weights: focal with α over focal without, for a positive and a negative.
    plain_pos = kernel.value(np.array([1.0]), np.array([p_true]), gamma=gamma)[0]
    plain_neg = kernel.value(np.array([0.0]), np.array([1 - p_true]), gamma=gamma)[0]
    positive = kernel.value(np.array([1.0]), np.array([p_true]), gamma=gamma, alpha=alpha)[0]
    negative = kernel.value(np.array([0.0]), np.array([1 - p_true]), gamma=gamma, alpha=alpha)[0]
    w_pos, w_neg = positive / plain_pos, negative / plain_neg
    if alpha is None or alpha == 0.5:
        assert "weights positives and negatives alike" in sentence
        assert w_pos == pytest.approx(w_neg, rel=1e-12)
        return
    assert f"each positive the weight {alpha:g} and each negative {1 - alpha:g}" in sentence
    assert w_pos == pytest.approx(alpha, rel=1e-12, abs=0.0)
    assert w_neg == pytest.approx(1 - alpha, rel=1e-12, abs=1e-15)
    if min(alpha, 1 - alpha) == 0:
        assert ("only the positives count" in sentence) == (alpha == 1.0)
        assert ("only the negatives count" in sentence) == (alpha == 0.0)
    else:
        ratio = re.search(r"counts ([0-9.e+]+) times as much", sentence).group(1)
        assert float(ratio) == pytest.approx(max(w_pos, w_neg) / min(w_pos, w_neg), rel=5e-3)
        more = "positive" if w_pos > w_neg else "negative"
        assert f"each {more} counts" in sentence
    assert ("Set α above 0.5" in sentence) == (w_pos < w_neg)
    assert sentence.endswith(
        "γ weights no class: above 0 it turns down easy points of either class."
    )


def _factor(p_true: float, gamma: float, label: float) -> float:
    """Focal over BCE for one point of class ``label`` with p_t = ``p_true``, from the kernels."""
    kernel, bce = losses.get("focal"), losses.get("bce")
    y, p = np.array([label]), np.array([p_true if label == 1.0 else 1.0 - p_true])
    return float(kernel.value(y, p, gamma=gamma)[0] / bce.value(y, p)[0])


def _number(text: str, pattern: str) -> float:
    found = re.search(pattern, text)
    assert found, (pattern, text)
    return float(found.group(1))


@settings(max_examples=60, deadline=None)
@given(alpha=ALPHA, gamma=GAMMA)
@example(alpha=None, gamma=0.0)  # the slider's γ = 0: the factor is 1, nothing is turned down
def test_the_factor_caption_says_the_factor_at_the_page_s_gamma(alpha, gamma):
    caption = focal.factor_caption(gamma, alpha)
    assert caption.startswith("A point's focal loss is its cross-entropy times (1 − p_t)^γ")
    if gamma == 0:
        # The kernels: focal at γ = 0 is BCE at every p_t, for either class.
        assert "At γ = 0 that factor is 1 at every p_t" in caption
        for p_true in (0.1, 0.5, 0.9, 0.99):
            for label in (0.0, 1.0):
                assert _factor(p_true, 0.0, label) == pytest.approx(1.0, rel=1e-12)
    else:
        easy = _number(
            caption,
            r"that factor is ([0-9.e-]+) \(0\.1\^γ\) for a point the model "
            r"already gets right with p_t = 0\.9",
        )
        hard = _number(
            caption, r"and ([0-9.e-]+) \(0\.9\^γ\) for one it gets wrong with p_t = 0\.1"
        )
        for label in (0.0, 1.0):  # "whichever its class"
            # Hand-derived (Lin et al. eq. 4 over BCE): 0.1^γ and 0.9^γ; the kernels agree.
            assert easy == pytest.approx(_factor(0.9, gamma, label), rel=5e-3)
            assert hard == pytest.approx(_factor(0.1, gamma, label), rel=5e-3)
        assert easy == pytest.approx(0.1**gamma, rel=5e-3)
        assert easy < hard < 1.0
    if alpha is None:
        assert "α_t" not in caption
    else:
        # torchvision's α_t: α for a positive, 1 − α for a negative (as the kernel).
        assert f"α_t ({alpha:g} for a positive, {1 - alpha:g} for a negative)" in caption


@settings(max_examples=40, deadline=None)
@given(alpha=ALPHA, gamma=GAMMA)
def test_the_section_title_holds_at_every_setting(alpha, gamma):
    title = focal.SECTION_TITLE
    # "γ > 0 turns easy points down": a smaller factor at p_t = 0.9 than at 0.1 when γ > 0;
    # at γ = 0 (which the title excludes) both are 1 (kernels, as above).
    assert "γ > 0 turns easy points down" in title
    easy, hard = _factor(0.9, gamma, 1.0), _factor(0.1, gamma, 1.0)
    assert (easy < hard) == (gamma > 0)
    # "α ≠ 0.5 weights the classes": the kernel weighs a positive and a negative of the same
    # p_t alike without α or at α = 0.5, and differently at any other α.
    assert "α ≠ 0.5 weights the classes" in title
    kernel = losses.get("focal")
    positive = kernel.value(np.array([1.0]), np.array([0.3]), gamma=gamma, alpha=alpha)[0]
    negative = kernel.value(np.array([0.0]), np.array([0.7]), gamma=gamma, alpha=alpha)[0]
    assert (positive == pytest.approx(negative, rel=1e-12)) == (alpha in (None, 0.5))


@settings(max_examples=60, deadline=None)
@given(alpha=ALPHA, gamma=GAMMA)
def test_the_reference_sentence_is_true_at_every_setting(alpha, gamma):
    sentence = focal.reference_sentence(gamma, alpha)
    shown = "no α" if alpha is None else f"α = {alpha:g}"
    assert sentence.startswith(f"Focal loss here: γ = {gamma:g}, {shown}.")
    assert "Lin et al. (2017): γ = 2, α = 0.25" in sentence
    # keras BinaryFocalCrossentropy(): γ = 2 and no class balancing.
    assert ("so its default is this page's" in sentence) == (gamma == 2.0 and alpha is None)
    # α = 0.25 weights positives 0.25 and negatives 0.75 in the kernel (as torchvision).
    kernel = losses.get("focal")
    ratio = (
        kernel.value(np.array([1.0]), np.array([0.3]), gamma=2.0, alpha=0.25)[0]
        / kernel.value(np.array([1.0]), np.array([0.3]), gamma=2.0)[0]
    )
    assert ratio == pytest.approx(0.25, rel=1e-12)
    assert "gives positives 0.25 and negatives 0.75, weighting the positives down" in sentence


@st.composite
def found_pair(draw):
    n_positive = draw(st.integers(1, 250))
    n_negative = draw(st.integers(1, 4975))

    def counts():
        tp, tn = draw(st.integers(0, n_positive)), draw(st.integers(0, n_negative))
        return BinaryMetrics(tn=tn, fp=n_negative - tn, fn=n_positive - tp, tp=tp)

    return counts(), counts()


@settings(max_examples=100, deadline=None)
@given(pair=found_pair(), alpha=ALPHA, gamma=GAMMA)
def test_the_found_sentence_compares_the_counts(pair, alpha, gamma):
    page, reference = pair
    sentence = focal.found_sentence(page, reference, gamma, alpha)
    if (gamma, alpha) == (2.0, 0.25):
        assert sentence is None  # the page is at the reference: nothing to compare
        return
    assert f"finds {reference.tp} of the {reference.n_positive} positives" in sentence
    assert f"the {page.tp} it finds at this page's" in sentence
    if reference.tp < page.tp:
        assert "fewer than" in sentence
    elif reference.tp > page.tp:
        assert "more than" in sentence
    else:
        assert "as many as" in sentence
    assert focal.found_sentence(None, reference, gamma, alpha) is None
