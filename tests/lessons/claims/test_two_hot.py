"""Claims of the multi-class page's "one true class per sample" section (lessons/two_hot.py):
every number its sentences print is the loss it names, over every target the control offers
and over any multi-hot or soft target row."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons import two_hot

FAST = settings(max_examples=60, deadline=None)
TARGET_NAMES = st.sampled_from(list(two_hot.TARGETS))
Z = two_hot.Z_AXIS


def closed_forms(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(CCE, Σ BCE) along the sweep, hand-derived. Logits (±z): a marked class gets
    p = e^z / (m·e^z + (3 − m)·e^−z) with m marked classes; BCE(t, z) = t·softplus(−z) +
    (1 − t)·softplus(z), and an unmarked class (t = 0, logit −z) pays softplus(−z)."""
    softplus = np.logaddexp(0.0, -z)  # softplus(−z)
    rises = np.logaddexp(0.0, z)  # softplus(z)
    if name == "one class":  # −log p₀ = log(1 + 2e^−2z)
        return np.log1p(2 * np.exp(-2 * z)), 3 * softplus
    if name == "two classes":  # −2 log p₀ = 2 log(2 + e^−2z)
        return 2 * np.log(2 + np.exp(-2 * z)), 3 * softplus
    # two halves: −(½ + ½) log p₀ = log(2 + e^−2z);
    # BCE: 2·½(softplus(−z) + softplus(z)) + softplus(−z)
    return np.log(2 + np.exp(-2 * z)), 2 * softplus + rises


def formula_value(formula: str) -> float:
    """The number a `two_hot.lowest_cce_formula` text stands for ("2·log 2" → 2 log 2)."""
    if formula == "0":
        return 0.0
    factor, _, count = formula.rpartition("log ")
    return (float(factor.rstrip("·")) if factor else 1.0) * math.log(float(count))


def numbers_after(text: str, phrase: str) -> float:
    """The number printed right after ``phrase``."""
    found = re.search(re.escape(phrase) + r"\s*([0-9.]+(?:e[-+]?\d+)?)", text)
    assert found, (phrase, text)
    return float(found.group(1))


@pytest.mark.parametrize("name", list(two_hot.TARGETS))
def test_the_curves_are_the_hand_derived_losses(name):
    view = two_hot.two_hot_view(name)
    cce, bce = closed_forms(name, Z)
    np.testing.assert_allclose(view.cce, cce, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(view.bce, bce, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", list(two_hot.TARGETS))
def test_the_curves_equal_pytorch(name, torch):
    view = two_hot.two_hot_view(name)
    logits = torch.tensor(two_hot.sweep_logits(view.target, Z), dtype=torch.float64)
    target = torch.tensor(np.tile(view.target, (Z.size, 1)), dtype=torch.float64)
    functional = torch.nn.functional
    # reference: torch cross_entropy with probability targets; BCE with logits per class, summed.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the refusal sentence: torch computes it without a word
        cce = functional.cross_entropy(logits, target, reduction="none").numpy()
    bce = functional.binary_cross_entropy_with_logits(logits, target, reduction="none")
    np.testing.assert_allclose(view.cce, cce, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(view.bce, bce.sum(dim=1).numpy(), rtol=1e-12, atol=1e-15)


MULTI_HOT = (
    st.integers(3, 6)
    .flatmap(lambda k: st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=k, max_size=k))
    .filter(lambda row: any(value > 0 for value in row))
)


@FAST
@given(MULTI_HOT)
def test_the_lowest_cce_is_the_sum_times_the_entropy_of_the_normalised_target(target):
    target = np.array(target)
    total = target.sum()
    normalised = target / total
    # hand-derived (Gibbs): min over the simplex of −Σ t log p is at p = t/T, value T·H(t/T).
    expected = total * scipy.special.entr(normalised).sum()  # scipy: entr(x) = −x log x
    assert two_hot.lowest_cce(target) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(two_hot.best_probabilities(target), normalised)
    formula = two_hot.lowest_cce_formula(target)
    if formula is not None:
        assert formula_value(formula) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@FAST
@given(MULTI_HOT, st.data())
def test_no_logits_go_below_the_lowest_cce(target, data):
    target = np.array(target)
    logits = np.array(
        data.draw(st.lists(st.floats(-30, 30), min_size=target.size, max_size=target.size))
    )
    # hand-derived: ℓ(p) − ℓ(t/T) = T·KL(t/T ‖ p) ≥ 0 (Gibbs' inequality).
    loss = two_hot.softmax_cce(target, logits[None])[0]
    assert loss >= two_hot.lowest_cce(target) - 1e-12


@FAST
@given(TARGET_NAMES)
def test_the_cce_sentence_prints_the_floor_and_the_end_of_the_sweep(name):
    view = two_hot.two_hot_view(name)
    text = two_hot.cce_sentence(view)
    cce_at_end, _ = closed_forms(name, Z[-1:])
    assert numbers_after(text, "and CCE is") == pytest.approx(cce_at_end[0], rel=5e-4)
    if view.target.sum() > 1:  # more than one unit asked: the softmax cannot reach it
        # hand-derived: T·H(t/T) for [1, 1, 0] is 2·log 2.
        assert numbers_after(text, "allows is") == pytest.approx(2 * math.log(2), rel=5e-4)
        assert "(= 2·log 2)" in text and "never 0" in text
        assert cce_at_end[0] > view.lowest  # still above the floor at the sweep's end
    elif view.lowest > 0:  # a distribution: reached, but its entropy is not 0
        assert numbers_after(text, "comes down to") == pytest.approx(math.log(2), rel=5e-4)
        assert "(= log 2)" in text and "“class 0 or class 1, even odds”" in text
    else:
        assert "come down to 0" in text and "never" not in text


@FAST
@given(TARGET_NAMES)
def test_the_bce_sentence_says_where_bce_goes(name):
    view = two_hot.two_hot_view(name)
    text = two_hot.bce_sentence(view)
    _, bce = closed_forms(name, Z)
    assert numbers_after(text, "add up to") == pytest.approx(bce[-1], rel=5e-4)
    if "still falling towards 0" in text:
        # each marked tⱼ is 1: every term softplus(−z) → 0 (hand-derived).
        assert bce[-1] < bce[-2] and np.all(view.target[view.target > 0] == 1)
    else:
        # soft targets: d/dz [2 softplus(−z) + softplus(z)] = σ(z) − 2σ(−z) = 0 at z = log 2.
        assert numbers_after(text, ", at z =") == pytest.approx(math.log(2), abs=0.05)
        assert "then rises" in text and bce[-1] > bce.min()


@FAST
@given(TARGET_NAMES)
def test_the_sigmoids_at_the_start_sum_to_k_halves(name):
    view = two_hot.two_hot_view(name)
    text = two_hot.exclusivity_sentence(view)
    # hand-derived: σ(0) = ½ for each of the 3 classes, 1.5 in all; softmax(0) sums to 1.
    assert numbers_after(text, "and sum to") == 1.5
    assert "not 1" in text and "(0.50, 0.50, 0.50)" in text


@FAST
@given(MULTI_HOT)
def test_every_sentence_holds_for_any_target(target):
    view = two_hot.target_view(target)
    cce_text, bce_text, _ = two_hot.sentences(view)
    assert numbers_after(cce_text, "and CCE is") == pytest.approx(view.cce[-1], rel=5e-4)
    assert ("never 0" in cce_text) == (sum(target) > 1)
    assert numbers_after(bce_text, "add up to") == pytest.approx(view.bce[-1], rel=5e-4)
    if "still falling towards 0" in bce_text:
        assert view.bce[-1] < view.bce[-2] and two_hot.bce_limit(target) == 0.0
    if "then rises" in bce_text:
        assert view.bce[-1] > view.bce.min()


def test_the_core_refuses_a_two_hot_row_and_says_so():
    refusal = two_hot.refusal_sentence(two_hot.two_hot_view("two classes"))
    assert "row 0 sums to 2" in refusal
    assert two_hot.refusal_sentence(two_hot.two_hot_view("one class")) is None
    assert two_hot.refusal_sentence(two_hot.two_hot_view("two halves")) is None


def test_the_alt_text_follows_the_target():
    texts = {name: two_hot.alt(two_hot.two_hot_view(name)) for name in two_hot.TARGETS}
    assert len(set(texts.values())) == len(texts)
    assert "[1, 1, 0]" in texts["two classes"] and "1.39" in texts["two classes"]
