"""The registry's text for the Brier score and GCE (losses.registry) against the kernels.

Each test quotes the sentence it checks: the bounds, where GCE's lowest cost lies for soft
labels (it is not proper), its logit gradient as cross-entropy's times p_y^q, and Brier's
vanishing gradient for a confident mistake. Expected values are hand-derived (written
beside each) or found by scipy.optimize on the kernel.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize

import losses

BRIER, GCE = losses.get("brier"), losses.get("gce")
BRIER_K, GCE_K = losses.get("brier_multiclass"), losses.get("gce_multiclass")
SETTINGS = settings(max_examples=40, deadline=None)
Q = st.floats(0.05, 1.0)


def _text(loss) -> str:
    return " ".join((loss.summary, loss.advantages, loss.disadvantages))


@SETTINGS
@given(q=Q, seed=st.integers(0, 9999))
def test_gce_is_bounded_by_one_over_q(q, seed):
    assert "Bounded by 1/q" in GCE.advantages and "Bounded by 1/q" in GCE_K.advantages
    rng = np.random.default_rng(seed)
    labels = rng.uniform(0.0, 1.0, 50)
    for from_logits, y_pred in ((False, rng.uniform(0.0, 1.0, 50)), (True, rng.normal(0, 30, 50))):
        value = GCE.value(labels, y_pred, q=q, from_logits=from_logits)
        assert np.all(value <= 1.0 / q)
    rows = rng.dirichlet(np.ones(4), 20)
    assert np.all(GCE_K.value(rows, rng.normal(0, 30, (20, 4)), q=q, from_logits=True) <= 1 / q)


@SETTINGS
@given(seed=st.integers(0, 9999))
def test_brier_runs_from_0_to_1_and_from_0_to_2(seed):
    assert "from 0 for a perfect prediction to 1 for a confident mistake" in BRIER.summary
    assert "from 0 for a perfect prediction to 2 for a confident mistake" in BRIER_K.summary
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, 50).astype(float)
    value = BRIER.value(labels, rng.uniform(0.0, 1.0, 50))
    assert np.all((value >= 0.0) & (value <= 1.0))
    # hand-derived: 0 at p = y, 1 at p = 1 − y.
    np.testing.assert_array_equal(BRIER.value(labels, labels), 0.0)
    np.testing.assert_array_equal(BRIER.value(labels, 1.0 - labels), 1.0)
    one_hot = np.eye(4)[rng.integers(0, 4, 30)]
    value = BRIER_K.value(one_hot, rng.dirichlet(np.ones(4), 30))
    assert np.all((value >= 0.0) & (value <= 2.0))
    wrong = np.roll(one_hot, 1, axis=1)  # all probability on a wrong class: (1 + 1) = 2
    np.testing.assert_array_equal(BRIER_K.value(one_hot, wrong), 2.0)


@SETTINGS
@given(q=st.floats(0.05, 0.9), share=st.floats(0.05, 0.95).filter(lambda y: abs(y - 0.5) > 0.01))
def test_gce_s_lowest_cost_for_a_share_y_is_further_from_one_half(q, share):
    assert "p/(1 − p) = (y/(1 − y))^(1/(1 − q)), further from ½ than y" in GCE.disadvantages

    # Look-alike points of which a share y is positive cost GCE's soft-label value at y; on
    # the logit z = log(p/(1 − p)) its slope rises from < 0 to > 0 through one zero, the
    # lowest cost (found by scipy's brentq on the kernel's gradient).
    def slope(logit):
        return GCE.grad([share], [logit], q=q, from_logits=True)[0]

    assert slope(-80.0) < 0.0 < slope(80.0)
    lowest = brentq(slope, -80.0, 80.0, xtol=1e-12)
    log_odds = np.log(share / (1.0 - share)) / (1.0 - q)  # the sentence's formula
    assert lowest == pytest.approx(log_odds, rel=1e-8, abs=1e-9)
    best = 1.0 / (1.0 + np.exp(-lowest))
    assert abs(best - 0.5) > abs(share - 0.5)


@pytest.mark.parametrize("share", [0.1, 0.3, 0.7, 0.95])
def test_at_q_1_gce_s_lowest_cost_is_at_p_0_or_1(share):
    assert "at q = 1 at p = 0 or 1" in GCE.disadvantages
    grid = np.linspace(0.0, 1.0, 1001)
    cost = GCE.value(np.full_like(grid, share), grid, q=1.0)
    # hand-derived: y(1 − p) + (1 − y)p is linear in p, lowest at p = 1 for y > ½, else 0.
    assert grid[np.argmin(cost)] == (1.0 if share > 0.5 else 0.0)


@SETTINGS
@given(q=st.floats(0.05, 0.9), seed=st.integers(0, 9999))
def test_gce_multiclass_lowest_cost_is_at_p_proportional_to_y_to_the_1_over_1_minus_q(q, seed):
    assert "p_j ∝ y_j^(1/(1 − q)) (q < 1), sharper than y" in GCE_K.disadvantages
    target = np.random.default_rng(seed).dirichlet(np.ones(3)) * 0.9 + 0.1 / 3
    sharpened = target ** (1.0 / (1.0 - q))
    sharpened /= sharpened.sum()

    def cost(logits):
        return GCE_K.value(target[None], logits[None], q=q, from_logits=True)[0]

    def gradient(logits):
        return GCE_K.grad(target[None], logits[None], q=q, from_logits=True)[0]

    found = minimize(cost, np.zeros(3), jac=gradient, method="BFGS", options={"gtol": 1e-12})
    best = np.exp(found.x - found.x.max())
    np.testing.assert_allclose(best / best.sum(), sharpened, atol=1e-5)
    assert sharpened.max() >= target.max() - 1e-12  # sharper: its top share is larger


def test_gce_s_logit_gradient_is_cross_entropy_s_times_p_y_to_the_q():
    assert "its gradient is BCE's times p_y^q" in GCE.advantages
    assert "its gradient is CCE's times p_y^q" in GCE_K.advantages
    rng = np.random.default_rng(5)
    labels, logits = rng.integers(0, 2, 40).astype(float), rng.normal(0.0, 4.0, 40)
    p = 1.0 / (1.0 + np.exp(-logits))
    p_y = np.where(labels == 1.0, p, 1.0 - p)
    for q in (0.1, 0.7, 1.0):
        bce = losses.get("bce").grad(labels, logits, from_logits=True)
        gce = GCE.grad(labels, logits, q=q, from_logits=True)
        np.testing.assert_allclose(gce, p_y**q * bce, rtol=1e-12)
        one_hot = np.eye(4)[rng.integers(0, 4, 30)]
        class_logits = rng.normal(0.0, 3.0, (30, 4))
        log_p = class_logits - np.log(np.exp(class_logits).sum(axis=1, keepdims=True))
        p_true = np.exp((one_hot * log_p).sum(axis=1))[:, None]
        cce = losses.get("cce").grad(one_hot, class_logits, from_logits=True)
        gce_k = GCE_K.grad(one_hot, class_logits, q=q, from_logits=True)
        np.testing.assert_allclose(gce_k, p_true**q * cce, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("logit", [-8.0, -12.0, -20.0])
def test_brier_s_gradient_vanishes_for_a_confident_mistake_where_bce_s_is_about_minus_1(logit):
    assert "vanishes for a confident mistake" in BRIER.disadvantages + BRIER_K.disadvantages
    assert "where BCE's is about −1" in BRIER.disadvantages
    assert "where CCE's is about −1 on the true class" in BRIER_K.disadvantages
    brier = BRIER.grad([1.0], [logit], from_logits=True)[0]
    bce = losses.get("bce").grad([1.0], [logit], from_logits=True)[0]
    # hand-derived: 2(p − 1)·p(1 − p) ≈ −2e^z, and p − 1 ≈ −1 for z ≪ 0.
    assert abs(brier) < 1e-3 and bce == pytest.approx(-1.0, abs=1e-3)
    rows = np.array([[logit, 0.0, 0.0]])  # the true class 0 gets p_y ≈ e^z / 2
    brier_k = BRIER_K.grad(np.eye(3)[:1], rows, from_logits=True)
    cce = losses.get("cce").grad(np.eye(3)[:1], rows, from_logits=True)
    assert np.abs(brier_k).max() < 1e-3 and cce[0, 0] == pytest.approx(-1.0, abs=1e-3)


def test_the_texts_name_their_sources():
    for loss in (BRIER, BRIER_K):
        assert "Brier 1950" in _text(loss)
    for loss in (GCE, GCE_K):
        assert "Zhang & Sabuncu 2018" in _text(loss) and "Ghosh et al. 2017" in _text(loss)
