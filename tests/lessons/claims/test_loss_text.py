"""The registry's plain-language text against what the kernels do.

Each test reads a sentence of a loss's text (losses.registry) and checks its claim on the
kernel itself: the interval a clip ε acts on, which examples focal loss turns down and
where its minimum lies, and what the hinge needs to pick the widest margin.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from sklearn.svm import SVC

import losses
from losses import fit

WITH_EPS = [loss for loss in losses.REGISTRY.values() if any(p.name == "eps" for p in loss.params)]


def _eps_help(loss) -> str:
    return next(spec.help for spec in loss.params if spec.name == "eps")


def _probe(loss, low: float, high: float, eps: float, top: bool) -> tuple[float, float]:
    """The loss at two predictions ``low`` and ``high`` for the label that reads them: the
    prediction of class 1 (binary) or of the true class of a two-class row (k-class)."""
    values = []
    for p in (low, high):
        if loss.task == "binary":
            y_true, y_pred = np.array([0.0 if top else 1.0]), np.array([p])
        else:
            y_pred = np.array([[p, 1.0 - p]])
            y_true = np.array([0]) if loss.id == "sparse_cce" else np.array([[1.0, 0.0]])
        values.append(float(loss.value(y_true, y_pred, eps=eps)[0]))
    return values[0], values[1]


@pytest.mark.parametrize("loss", WITH_EPS, ids=lambda loss: loss.id)
@pytest.mark.parametrize("eps", [1e-7, 1e-3, 0.05])
def test_the_eps_help_names_the_interval_the_kernel_clips_to(loss, eps):
    text = _eps_help(loss)
    interval = re.search(r"clipped to (\[ε, 1(?: − ε)?\])", text).group(1)
    # Below ε the clip holds p at ε: two predictions under ε cost the same (hand-derived:
    # a flat loss there), above it they would differ by log 2.
    below = _probe(loss, eps / 4, eps / 2, eps, top=False)
    assert below[0] == below[1]
    # Above 1 − ε: flat where the kernel clips the top too, different where it does not.
    # The binary probe reads −log(1 − p) for y = 0; the k-class probe −log p of the true
    # class at p = 1 − ε/4 and 1 − ε/2 (their logs differ by about ε/4).
    above = _probe(loss, 1.0 - eps / 2, 1.0 - eps / 4, eps, top=True)
    assert (above[0] == above[1]) == (interval == "[ε, 1 − ε]"), (loss.id, interval, above)


MULTICLASS_WITH_EPS = [loss for loss in WITH_EPS if loss.task == "multiclass"]


@pytest.mark.parametrize("loss", MULTICLASS_WITH_EPS, ids=lambda loss: loss.id)
def test_the_eps_help_says_whether_rows_are_divided_by_their_sums(loss):
    text = _eps_help(loss)
    divides = "after each row is divided by its sum" in text
    assert divides != ("rows are not divided by their sums" in text)
    row, halved = np.array([[0.6, 0.4]]), np.array([[0.3, 0.2]])
    y_true = np.array([0]) if loss.id == "sparse_cce" else np.array([[1.0, 0.0]])
    # A kernel that divides by the row sum sees (0.6, 0.4) twice; one that does not reads
    # −log 0.3 against −log 0.6 (hand-derived).
    same = loss.value(y_true, row)[0] == pytest.approx(loss.value(y_true, halved)[0], rel=1e-12)
    assert same == divides


FOCAL = losses.get("focal")
BCE = losses.get("bce")
GAMMA = st.floats(0.1, 5.0)


def _focal(label: float, p, **params) -> np.ndarray:
    p = np.atleast_1d(np.asarray(p, dtype=np.float64))
    return FOCAL.value(np.full_like(p, label), p, **params)


@settings(max_examples=60, deadline=None)
@given(gamma=GAMMA, hard=st.floats(0.05, 0.5), easy=st.floats(0.6, 0.99))
def test_focal_turns_down_easy_points_of_either_class(gamma, hard, easy):
    # "Easy, well-classified points of either class count less": the factor focal / BCE is
    # (1 − p_t)^γ (Lin et al. 2017, eq. 4), smaller for the easy point (p_t = easy) than for
    # the hard one (p_t = hard), the same way for y = 1 (p = p_t) and y = 0 (p = 1 − p_t).
    assert "Easy, well-classified points of either class count less" in FOCAL.advantages
    for label, p in ((1.0, (hard, easy)), (0.0, (1.0 - hard, 1.0 - easy))):
        factor = _focal(label, p, gamma=gamma) / BCE.value(np.full(2, label), np.array(p))
        assert factor[1] < factor[0] < 1.0
        np.testing.assert_allclose(factor, (1.0 - np.array([hard, easy])) ** gamma, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(gamma=GAMMA, p_true=st.floats(0.01, 0.99), alpha=st.floats(0.0, 1.0))
def test_focal_weights_no_class_without_alpha_and_alpha_weights_the_positives(gamma, p_true, alpha):
    # "without α a rare class gets no extra weight": a positive and a negative with the same
    # p_t cost the same (hand-derived: the formula depends on p_t only).
    assert "without α a rare class gets no extra weight" in FOCAL.disadvantages
    positive = _focal(1.0, p_true, gamma=gamma)[0]
    negative = _focal(0.0, 1.0 - p_true, gamma=gamma)[0]
    assert positive == pytest.approx(negative, rel=1e-9)
    # "α for each positive, 1 − α for each negative" (as torchvision.ops.sigmoid_focal_loss).
    assert "α for each positive, 1 − α for each negative" in FOCAL.advantages
    weighted = _focal(1.0, p_true, gamma=gamma, alpha=alpha)[0]
    assert weighted == pytest.approx(alpha * positive, rel=1e-9, abs=1e-300)
    weighted = _focal(0.0, 1.0 - p_true, gamma=gamma, alpha=alpha)[0]
    assert weighted == pytest.approx((1.0 - alpha) * negative, rel=1e-9, abs=1e-300)


def _best_probability(gamma: float, share: float, alpha: float | None = None) -> float:
    """The p minimising share·FL(p, 1) + (1 − share)·FL(p, 0), on the logit (scipy)."""
    labels = np.array([1.0, 0.0])

    def cost(z):
        values = FOCAL.value(labels, np.array([z, z]), gamma=gamma, alpha=alpha, from_logits=True)
        return share * values[0] + (1.0 - share) * values[1]

    z = minimize_scalar(cost, bounds=(-40.0, 40.0), method="bounded", options={"xatol": 1e-10}).x
    return float(1.0 / (1.0 + np.exp(-z)))


SHARE = st.floats(0.55, 0.995)


@settings(max_examples=40, deadline=None)
@given(gamma=st.floats(0.25, 5.0), share=SHARE, alpha=st.sampled_from([None, 0.5]))
def test_focal_s_lowest_cost_lies_between_one_half_and_the_share(gamma, share, alpha):
    # "with γ > 0 and without α (or α = 0.5) its lowest cost is at a p between 0.5 and q":
    # BCE's best constant is q itself (hand-derived: d/dp [−q log p − (1 − q) log(1 − p)] = 0
    # at p = q); focal's, found by scipy.optimize.minimize_scalar, lies strictly between 0.5
    # and q, on both sides of 0.5 (α = 0.5 halves both terms, so it moves nothing).
    assert "with γ > 0 and without α (or α = 0.5) its lowest cost is at a p between 0.5 and q" in (
        FOCAL.disadvantages
    )
    best = _best_probability(gamma, share, alpha)
    assert 0.5 < best < share
    assert _best_probability(gamma, 1.0 - share, alpha) == pytest.approx(1.0 - best, abs=1e-6)


@settings(max_examples=20, deadline=None)
@given(share=SHARE, alpha=st.sampled_from([None, 0.5]))
def test_at_gamma_zero_the_lowest_cost_is_at_the_share(share, alpha):
    # γ = 0 is BCE (the slider allows it): the best constant is q itself (hand-derived, as
    # above), not strictly between 0.5 and q: hence "with γ > 0".
    assert _best_probability(0.0, share, alpha) == pytest.approx(share, abs=1e-6)


def _weighted_share(share: float, alpha: float) -> float:
    # hand-derived: α·q·FL(p, 1) + (1 − α)(1 − q)·FL(p, 0) is (αq + (1 − α)(1 − q)) times
    # the α-free cost at the share q' = αq / (αq + (1 − α)(1 − q)).
    return alpha * share / (alpha * share + (1.0 - alpha) * (1.0 - share))


@settings(max_examples=40, deadline=None)
@given(gamma=st.floats(0.25, 5.0), share=st.floats(0.05, 0.95), alpha=st.floats(0.05, 0.95))
# The reviewer's settings: the lowest cost at p = 0.436 (below 0.5) and at 0.869 (past q = 0.6).
@example(gamma=2.0, share=0.6, alpha=0.25)
@example(gamma=0.5, share=0.6, alpha=0.9)
def test_with_alpha_the_lowest_cost_lies_between_one_half_and_the_weighted_share(
    gamma, share, alpha
):
    # "With another α that p lies between 0.5 and the α-weighted share αq / (αq + (1 − α)(1 −
    # q)) instead": focal's argmin by scipy.optimize.minimize_scalar.
    assert "between 0.5 and the α-weighted share αq / (αq + (1 − α)(1 − q))" in (
        FOCAL.disadvantages
    )
    best, weighted = _best_probability(gamma, share, alpha), _weighted_share(share, alpha)
    assume(abs(weighted - 0.5) > 1e-6)
    assert min(0.5, weighted) < best < max(0.5, weighted)


def test_with_alpha_the_lowest_cost_can_leave_the_interval_from_one_half_to_q():
    # "so it can be past q or on the other side of 0.5": q = 0.6 and γ = 2, α = 0.25 put it
    # below 0.5; γ = 0.5, α = 0.9 past q (scipy.optimize.minimize_scalar: 0.436 and 0.869).
    assert "so it can be past q or on the other side of 0.5" in FOCAL.disadvantages
    assert _best_probability(2.0, 0.6, 0.25) == pytest.approx(0.436, abs=1e-3)
    assert _best_probability(0.5, 0.6, 0.9) == pytest.approx(0.869, abs=1e-3)


HINGE = losses.get("hinge")
# Hand-made separable points: positives above the line x2 = x1, negatives below, the nearest
# two of each at distance 1/√2 from it.
SEPARABLE = pd.DataFrame(
    {
        "x1": [0.0, 1.0, 2.0, -1.0, 1.0, 2.0, 3.0, 0.0],
        "x2": [1.0, 2.0, 4.0, 1.0, 0.0, 1.0, 1.0, -2.0],
        "label": [1, 1, 1, 1, 0, 0, 0, 0],
    }
)


def _hinge_cost(w1: float, w2: float, intercept: float) -> float:
    scores = intercept + w1 * SEPARABLE["x1"].to_numpy() + w2 * SEPARABLE["x2"].to_numpy()
    return HINGE.cost(SEPARABLE["label"].to_numpy(dtype=float), scores)


def test_the_hinge_alone_is_zero_for_any_separating_line_scaled_up():
    # "the hinge alone is 0 for every separating line once its weights are scaled up, widest
    # margin or not": x2 − x1 = 0 (the widest margin, 1/√2: the support vectors (0, 1),
    # (1, 2) and (1, 0), (2, 1) lie on two parallels to it) and x2 − 0.6·x1 − 0.2 = 0
    # (margin 0.4/√1.36 = 0.34 at (2, 1), hand-derived) both separate these points; scaled
    # by 10 both cost 0.
    assert "the hinge alone is 0 for every separating line" in HINGE.use_when
    assert _hinge_cost(-10.0, 10.0, 0.0) == 0.0
    assert _hinge_cost(-6.0, 10.0, -2.0) == 0.0


def test_with_an_l2_penalty_the_hinge_fit_is_the_widest_margin_line():
    # "The maximum-margin line needs an L2 penalty on the weights": the page's fit (hinge +
    # (l2/2)‖w‖² on standardised features) against sklearn.svm.SVC(kernel="linear") with a
    # hard margin (C = 1e6) on the same standardised features: the same direction.
    assert "needs an L2 penalty on the weights" in HINGE.use_when
    result = fit.fit_binary(SEPARABLE, "hinge")
    features = SEPARABLE[["x1", "x2"]].to_numpy()
    centre, spread = features.mean(axis=0), features.std(axis=0)
    svm = SVC(kernel="linear", C=1e6).fit((features - centre) / spread, SEPARABLE["label"])
    reference = svm.coef_[0] / spread  # back to the raw features' weights
    ours = np.array([result.params["w1"], result.params["w2"]])
    np.testing.assert_allclose(
        ours / np.linalg.norm(ours), reference / np.linalg.norm(reference), atol=1e-3
    )
