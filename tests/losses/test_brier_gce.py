"""Reference values of the Brier score and generalised cross-entropy (binary and multiclass),
each with its source named beside it: scikit-learn 1.9's brier_score_loss, hand-derived
numbers, GCE's identities (q = 1 is 1 − p_y; q → 0 is cross-entropy, Zhang & Sabuncu 2018,
their eq. 6) and the registry's bce / cce for that limit. Autograd checks against PyTorch
are in test_torch_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss

import losses

SQRT2 = math.sqrt(2.0)
CLIP = 1e-7  # GCE's clip of probabilities (losses.binary.GCE_EPS, losses.multiclass.GCE_EPS)


def value_and_grad(loss_id, y_true, y_pred, **params):
    loss = losses.get(loss_id)
    return loss.value(y_true, y_pred, **params), loss.grad(y_true, y_pred, **params)


# ---------------------------------------------------------------- Brier


def test_brier_cost_matches_sklearn_brier_score_loss():
    rng = np.random.default_rng(11)
    y_true = rng.integers(0, 2, 60).astype(float)
    probability = rng.uniform(0.0, 1.0, 60)
    probability[:2] = [0.0, 1.0]
    weights = rng.uniform(0.1, 2.0, 60)
    loss = losses.get("brier")
    # sklearn.metrics.brier_score_loss (binary: the mean of (p − y)²), scikit-learn 1.9
    assert loss.cost(y_true, probability) == pytest.approx(
        brier_score_loss(y_true, probability), rel=1e-14
    )
    assert loss.cost(y_true, probability, sample_weight=weights) == pytest.approx(
        brier_score_loss(y_true, probability, sample_weight=weights), rel=1e-14
    )


def test_brier_multiclass_cost_matches_sklearn_brier_score_loss():
    rng = np.random.default_rng(12)
    k, n = 4, 50
    labels = rng.integers(0, k, n)
    probabilities = rng.dirichlet(np.ones(k), n)
    weights = rng.uniform(0.1, 2.0, n)
    loss = losses.get("brier_multiclass")
    one_hot = np.eye(k)[labels]
    # sklearn.metrics.brier_score_loss with (n, k) probabilities (scikit-learn ≥ 1.7):
    # the mean of Σ_c (p_c − y_c)², not halved with scale_by_half=False.
    expected = brier_score_loss(labels, probabilities, labels=range(k), scale_by_half=False)
    assert loss.cost(one_hot, probabilities) == pytest.approx(expected, rel=1e-14)
    weighted = brier_score_loss(
        labels, probabilities, labels=range(k), scale_by_half=False, sample_weight=weights
    )
    assert loss.cost(one_hot, probabilities, sample_weight=weights) == pytest.approx(
        weighted, rel=1e-14
    )
    # Unnormalised rows are divided by their sums first, as CCE does.
    scaled = probabilities * rng.uniform(0.5, 2.0, (n, 1))
    assert loss.cost(one_hot, scaled) == pytest.approx(expected, rel=1e-13)


def test_brier_hand_derived():
    # Probabilities: (p − y)² and 2(p − y); y = 0.3 soft.
    value, grad = value_and_grad("brier", [1.0, 0.0, 0.3, 1.0], [0.25, 0.0, 0.5, 0.0])
    np.testing.assert_allclose(value, [0.5625, 0.0, 0.04, 1.0], rtol=1e-15)  # hand-derived
    np.testing.assert_allclose(grad, [-1.5, 0.0, 0.4, -2.0], rtol=1e-15)  # hand-derived
    # Logits: z = 0 → p = ½; (½ − 1)² = ¼ and 2(p − y)·p(1 − p) = 2·(−½)·¼ = −¼;
    # z = ln 3 → p = ¾ with y = 0: 9/16 and 2·¾·(¾·¼) = 9/32.
    value, grad = value_and_grad("brier", [1.0, 0.0], [0.0, math.log(3.0)], from_logits=True)
    np.testing.assert_allclose(value, [0.25, 9 / 16], rtol=1e-15)
    np.testing.assert_allclose(grad, [-0.25, 9 / 32], rtol=1e-14)


def test_brier_from_logits_keeps_relative_accuracy_when_the_sigmoid_saturates():
    # hand-derived: for y = 1, (σ(z) − 1)² = σ(−z)² and σ(−40) = e^−40/(1 + e^−40) ≈ e^−40,
    # so the value is e^−80 to 1e-17 relative (σ(40) − 1 would round to 0).
    value = losses.get("brier").value([1.0], [40.0], from_logits=True)
    assert value[0] == pytest.approx(math.exp(-80.0), rel=1e-14, abs=0.0)


def test_brier_multiclass_hand_derived():
    loss = losses.get("brier_multiclass")
    # p = [½, ¼, ¼], y = e₀: ¼ + 1/16 + 1/16 = 3/8; rows [2, 1, 1] are divided by 4 first.
    # grad w.r.t. q: 2(q − y) = [−1, ½, ½]; Σ gq = −½ + ⅛ + ⅛ = −¼; through q = x/Σx with
    # Σx = 4: (g − Σ gq)/4 = [−3/16, 3/16, 3/16] (hand-derived).
    y_true = [[1.0, 0.0, 0.0]]
    assert loss.value(y_true, [[0.5, 0.25, 0.25]])[0] == pytest.approx(0.375, rel=1e-15)
    assert loss.value(y_true, [[2.0, 1.0, 1.0]])[0] == pytest.approx(0.375, rel=1e-15)
    np.testing.assert_allclose(
        loss.grad(y_true, [[2.0, 1.0, 1.0]]), [[-3 / 16, 3 / 16, 3 / 16]], rtol=1e-15
    )
    # Logits z = [0, 0]: p = [½, ½], y = e₀: ¼ + ¼ = ½; dL/dz = p ⊙ (g − Σ gp) with
    # g = [−1, 1], Σ gp = 0: [−½, ½] (hand-derived).
    value, grad = value_and_grad("brier_multiclass", [[1.0, 0.0]], [[0.0, 0.0]], from_logits=True)
    assert value[0] == pytest.approx(0.5, rel=1e-15)
    np.testing.assert_allclose(grad, [[-0.5, 0.5]], rtol=1e-15)


def test_brier_multiclass_from_logits_keeps_relative_accuracy_at_the_top_class():
    # hand-derived: z = [40, 0], y = e₀: p₁ = σ(−40) ≈ e^−40 and p₀ − 1 = −p₁, so the value is
    # 2p₁² = 2e^−80 (to 1e-17 relative); p₀ − 1 computed directly would round to 0.
    value = losses.get("brier_multiclass").value([[1.0, 0.0]], [[40.0, 0.0]], from_logits=True)
    assert value[0] == pytest.approx(2.0 * math.exp(-80.0), rel=1e-14, abs=0.0)


# ---------------------------------------------------------------- generalised cross-entropy


def test_gce_hand_derived():
    # q = ½: (1 − √p_y)/½. y = 1, p = ¼: (1 − ½)·2 = 1, grad −p^(q−1) = −¼^(−½) = −2;
    # y = 0, p = ¾: p_y = 1 − p = ¼: 1, grad +(1 − p)^(q−1) = 2; y = ½, p = ½ (soft):
    # ½·(1 − √½)·2 twice = 2 − √2, grad −½·√2 + ½·√2 = 0 (hand-derived).
    value, grad = value_and_grad("gce", [1.0, 0.0, 0.5], [0.25, 0.75, 0.5], q=0.5)
    np.testing.assert_allclose(value, [1.0, 1.0, 2.0 - SQRT2], rtol=1e-15)
    np.testing.assert_allclose(grad, [-2.0, 2.0, 0.0], rtol=1e-15, atol=1e-15)


def test_gce_from_logits_hand_derived():
    # z = 0: p = ½. y = 1, q = ½: (1 − √½)/½ = 2 − √2; d/dz = −p^q (1 − p) = −√½·½ = −√2/4.
    # y = 0, z = ln 3 (p = ¾, p_y = ¼): (1 − ½)/½ = 1; d/dz = +p_y^q·p = ½·¾ = 3/8.
    value, grad = value_and_grad("gce", [1.0, 0.0], [0.0, math.log(3.0)], q=0.5, from_logits=True)
    np.testing.assert_allclose(value, [2.0 - SQRT2, 1.0], rtol=1e-14)
    np.testing.assert_allclose(grad, [-SQRT2 / 4, 3 / 8], rtol=1e-14)


@pytest.mark.parametrize("q", [0.05, 0.7, 1.0])
def test_gce_is_finite_at_p_y_equal_0_about_1_over_q(q):
    # hand-derived from the clip: p_y = 0 is clipped to 1e-7, so (1 − 1e-7^q)/q, within
    # 1e-7^q/q of 1/q; the gradient is 0 where the clip moved p. rtol 1e-10: for y = 0,
    # 1 − p = 1 − (1 − 1e-7) is 1e-7 only to ~1e-9 relative (1 − 1e-7 is rounded).
    for loss_id, y_true, y_pred in (
        ("gce", [1.0, 0.0], [0.0, 1.0]),
        ("gce_multiclass", [[1.0, 0.0, 0.0]], [[0.0, 0.5, 0.5]]),
    ):
        value, grad = value_and_grad(loss_id, y_true, y_pred, q=q)
        np.testing.assert_allclose(value, (1.0 - CLIP**q) / q, rtol=1e-10)
        assert np.all(np.isfinite(grad))
    assert np.all(losses.get("gce").grad([1.0, 0.0], [0.0, 1.0], q=q) == 0.0)


def test_gce_multiclass_hand_derived():
    loss = losses.get("gce_multiclass")
    # Rows [2, 1, 1] → q = [½, ¼, ¼]; y = e₀, q = ½: (1 − √½)/½ = 2 − √2. dL/dq₀ = −q₀^(−½) = −√2,
    # Σ g·q = −√2/2; through q = x/Σx with Σx = 4: [(−√2 + √2/2)/4, (√2/2)/4, (√2/2)/4]
    # = [−√2/8, √2/8, √2/8] (hand-derived).
    y_true = [[1.0, 0.0, 0.0]]
    value, grad = (
        loss.value(y_true, [[2.0, 1.0, 1.0]], q=0.5),
        loss.grad(y_true, [[2.0, 1.0, 1.0]], q=0.5),
    )
    assert value[0] == pytest.approx(2.0 - SQRT2, rel=1e-15)
    np.testing.assert_allclose(grad, [[-SQRT2 / 8, SQRT2 / 8, SQRT2 / 8]], rtol=1e-14)
    # Logits z = [0, 0], y = e₀, q = ½: p = [½, ½]; value 2 − √2; dL/dz = −p_y^q (e_y − p)
    # = −√½·[½, −½] = [−√2/4, √2/4] (hand-derived; Zhang & Sabuncu 2018, eq. 5's gradient).
    value, grad = value_and_grad(
        "gce_multiclass", [[1.0, 0.0]], [[0.0, 0.0]], q=0.5, from_logits=True
    )
    assert value[0] == pytest.approx(2.0 - SQRT2, rel=1e-14)
    np.testing.assert_allclose(grad, [[-SQRT2 / 4, SQRT2 / 4]], rtol=1e-14)


def _classification_data(task, rng):
    """Hard labels and probabilities inside the clip, of the task's shape."""
    if task == "binary":
        return rng.integers(0, 2, 40).astype(float), rng.uniform(0.01, 0.99, 40)
    labels = rng.integers(0, 5, 40)
    return np.eye(5)[labels], rng.dirichlet(np.ones(5), 40) * 0.95 + 0.01


@pytest.mark.parametrize(("gce_id", "task"), [("gce", "binary"), ("gce_multiclass", "multiclass")])
@pytest.mark.parametrize("from_logits", [False, True])
def test_gce_at_q_1_is_one_minus_p_y(gce_id, task, from_logits):
    rng = np.random.default_rng(13)
    y_true, probability = _classification_data(task, rng)
    if task == "binary":
        y_pred = np.log(probability) - np.log1p(-probability) if from_logits else probability
        p_y = np.where(y_true == 1.0, probability, 1.0 - probability)
    else:
        y_pred = np.log(probability) if from_logits else probability
        p_y = (y_true * probability).sum(axis=1) / probability.sum(axis=1)
    value = losses.get(gce_id).value(y_true, y_pred, q=1.0, from_logits=from_logits)
    # The identity (1 − p_y^1)/1 = 1 − p_y: the MAE on the probability (Ghosh et al. 2017).
    np.testing.assert_allclose(value, 1.0 - p_y, rtol=1e-12)


@pytest.mark.parametrize(
    ("gce_id", "ce_id", "task"), [("gce", "bce", "binary"), ("gce_multiclass", "cce", "multiclass")]
)
@pytest.mark.parametrize("from_logits", [False, True])
def test_gce_approaches_cross_entropy_as_q_goes_to_0(gce_id, ce_id, task, from_logits):
    rng = np.random.default_rng(14)
    y_true, probability = _classification_data(task, rng)
    if task == "binary":
        y_true[:5] = rng.uniform(0.0, 1.0, 5)  # soft labels too
        y_pred = np.log(probability) - np.log1p(-probability) if from_logits else probability
    else:
        y_true[:5] = rng.dirichlet(np.ones(5), 5)
        y_pred = np.log(probability) if from_logits else probability
    cross_entropy = losses.get(ce_id).value(y_true, y_pred, from_logits=from_logits)
    previous_gap = np.inf
    for q in (1e-2, 1e-4, 1e-6):
        value = losses.get(gce_id).value(y_true, y_pred, q=q, from_logits=from_logits)
        # (1 − p^q)/q = −log p − q(log p)²/2 − … (hand-derived Taylor series), so GCE is below
        # CE by at most q·(log p)²/2 per term, with |log p| ≤ log 100 here.
        gap = np.max(np.abs(value - cross_entropy))
        assert np.all(value <= cross_entropy + 1e-12)
        assert gap <= q * math.log(100.0) ** 2 / 2 * 1.01
        assert gap < previous_gap
        previous_gap = gap
    np.testing.assert_allclose(value, cross_entropy, rtol=1e-5)
