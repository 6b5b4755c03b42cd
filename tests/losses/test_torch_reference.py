"""Live comparison with PyTorch: values from torch.nn.functional, gradients from autograd.

Skipped where torch is not installed (it is an optional cross-check; see .ci/run).
Everything runs in float64 so the comparison is to ~1e-12, not to float32 noise.
"""

from __future__ import annotations

import numpy as np
import pytest

import losses
from tests.conftest import TORCH_MISSING

torch = pytest.importorskip("torch", reason=TORCH_MISSING)
pytestmark = pytest.mark.torch
F = torch.nn.functional

RNG = np.random.default_rng(21)
N = 40


def torch_value_and_grad(formula, y_true, y_pred):
    """Per-sample values of a torch formula, and d value_i / d y_pred_i from autograd."""
    prediction = torch.tensor(y_pred, dtype=torch.float64, requires_grad=True)
    target = torch.as_tensor(y_true)
    if target.is_floating_point():
        target = target.to(torch.float64)
    value = formula(target, prediction)
    # Each value depends on its own sample only, so the gradient of the sum is per-sample.
    value.sum().backward()
    return value.detach().numpy(), prediction.grad.numpy()


def assert_matches(loss_id, params, y_true, y_pred, formula, rtol=1e-12):
    loss = losses.get(loss_id)
    expected_value, expected_grad = torch_value_and_grad(formula, y_true, y_pred)
    np.testing.assert_allclose(loss.value(y_true, y_pred, **params), expected_value, rtol=rtol)
    np.testing.assert_allclose(
        loss.grad(y_true, y_pred, **params), expected_grad, rtol=rtol, atol=1e-15
    )


# ---------------------------------------------------------------- regression

Y_TRUE = RNG.normal(0.0, 3.0, N)
# Residuals at least 0.05 from the kinks r = 0 and |r| = δ of the tested δ.
RESIDUALS = np.r_[np.linspace(-6.0, -0.05, N // 2), np.linspace(0.05, 6.0, N // 2)]
RESIDUALS[np.abs(np.abs(RESIDUALS) - 0.7) < 0.05] += 0.1
RESIDUALS[np.abs(np.abs(RESIDUALS) - 1.0) < 0.05] += 0.1
Y_PRED = Y_TRUE + RESIDUALS


def test_mse_matches_torch_mse_loss():
    assert_matches("mse", {}, Y_TRUE, Y_PRED, lambda t, p: F.mse_loss(p, t, reduction="none"))


def test_mae_matches_torch_l1_loss():
    assert_matches("mae", {}, Y_TRUE, Y_PRED, lambda t, p: F.l1_loss(p, t, reduction="none"))
    # At r = 0 torch's l1_loss gradient is sign(0) = 0, the subgradient the core takes too.
    assert_matches("mae", {}, Y_TRUE, Y_TRUE, lambda t, p: F.l1_loss(p, t, reduction="none"))


@pytest.mark.parametrize("delta", [1.0, 0.7, 5.0])
def test_huber_matches_torch_huber_loss(delta):
    # torch's huber_loss, not smooth_l1_loss (which is huber / δ).
    assert_matches(
        "huber",
        {"delta": delta},
        Y_TRUE,
        Y_PRED,
        lambda t, p: F.huber_loss(p, t, reduction="none", delta=delta),
    )


@pytest.mark.parametrize("delta", [1.0, 0.3])
def test_pseudo_huber_matches_torch_autograd_of_its_formula(delta):
    assert_matches(
        "pseudo_huber",
        {"delta": delta},
        Y_TRUE,
        Y_PRED,
        lambda t, p: delta**2 * (torch.sqrt(1 + ((p - t) / delta) ** 2) - 1),
    )


def test_log_cosh_matches_torch_autograd_of_keras_formula():
    def keras_log_cosh(t, p):
        residual = p - t
        return residual + F.softplus(-2.0 * residual) - np.log(2.0)

    # rtol 1e-10: the Keras form cancels (r + softplus(−2r) ≈ log 2) for small |r|.
    assert_matches("log_cosh", {}, Y_TRUE, Y_PRED, keras_log_cosh, rtol=1e-10)


@pytest.mark.parametrize("tau", [0.5, 0.9, 0.1])
def test_quantile_matches_torch_autograd_of_pinball_formula(tau):
    def pinball(t, p):
        shortfall = t - p
        return torch.maximum(tau * shortfall, (tau - 1) * shortfall)

    assert_matches("quantile", {"tau": tau}, Y_TRUE, Y_PRED, pinball)


# ---------------------------------------------------------------- binary

LABELS = np.r_[RNG.integers(0, 2, N - 10), RNG.uniform(0.0, 1.0, 10)]
HARD_LABELS = RNG.integers(0, 2, N).astype(float)
LOGITS = np.r_[RNG.normal(0.0, 4.0, N - 4), -30.0, 30.0, -300.0, 300.0]
PROBABILITIES = RNG.uniform(0.001, 0.999, N)


@pytest.mark.parametrize(("pos_weight", "label_smoothing"), [(1.0, 0.0), (3.0, 0.1), (0.25, 0.5)])
def test_bce_from_logits_matches_torch_bce_with_logits(pos_weight, label_smoothing):
    def torch_bce(t, z):
        smoothed = t * (1 - label_smoothing) + label_smoothing / 2  # Keras' binary smoothing
        return F.binary_cross_entropy_with_logits(
            z, smoothed, pos_weight=torch.tensor(pos_weight, dtype=torch.float64), reduction="none"
        )

    params = {"from_logits": True, "pos_weight": pos_weight, "label_smoothing": label_smoothing}
    # rtol 1e-9: torch evaluates log(1 + e^{−|z|}) without log1p and loses ~1e-10 relative
    # where the loss is small; the core agrees with scipy's log_expit to 1e-14 there
    # (test_references.test_bce_from_logits_matches_scipy_log_expit).
    assert_matches("bce", params, LABELS, LOGITS, torch_bce, rtol=1e-9)


@pytest.mark.parametrize(("pos_weight", "label_smoothing"), [(1.0, 0.0), (3.0, 0.1)])
def test_bce_on_probabilities_matches_torch(pos_weight, label_smoothing):
    # Inside the clip [ε, 1 − ε] the clipped Keras form is plain BCE; torch's
    # binary_cross_entropy has no pos_weight, so take bce_with_logits of logit(p),
    # whose autograd runs back through the logit to p.
    def torch_bce(t, p):
        smoothed = t * (1 - label_smoothing) + label_smoothing / 2
        return F.binary_cross_entropy_with_logits(
            torch.logit(p),
            smoothed,
            pos_weight=torch.tensor(pos_weight, dtype=torch.float64),
            reduction="none",
        )

    params = {"pos_weight": pos_weight, "label_smoothing": label_smoothing}
    assert_matches("bce", params, LABELS, PROBABILITIES, torch_bce)
    # And unweighted, against torch's own binary_cross_entropy on probabilities.
    assert_matches(
        "bce",
        {},
        LABELS,
        PROBABILITIES,
        lambda t, p: F.binary_cross_entropy(p, t, reduction="none"),
    )


def torchvision_sigmoid_focal_loss(inputs, targets, alpha, gamma):
    """torchvision.ops.sigmoid_focal_loss (torchvision 0.2x, reduction="none"), transcribed
    line for line because torchvision is not installed."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss


@pytest.mark.parametrize(("gamma", "alpha"), [(2.0, None), (2.0, 0.25), (0.5, 0.9), (0.0, None)])
def test_focal_from_logits_matches_torchvision_formula(gamma, alpha):
    moderate = LOGITS[np.abs(LOGITS) < 20]  # the transcribed formula saturates beyond that

    def torch_focal(t, z):
        return torchvision_sigmoid_focal_loss(z, t, -1 if alpha is None else alpha, gamma)

    params = {"from_logits": True, "gamma": gamma, "alpha": alpha}
    # rtol 1e-9: torch's bce_with_logits inside the formula (see the bce test above).
    assert_matches("focal", params, LABELS[: moderate.size], moderate, torch_focal, rtol=1e-9)


@pytest.mark.parametrize(("gamma", "alpha"), [(2.0, None), (0.5, 0.25)])
def test_focal_on_probabilities_matches_torchvision_formula(gamma, alpha):
    # Probabilities p = σ(logit(p)); autograd runs back through torch.logit to p.
    def torch_focal(t, p):
        return torchvision_sigmoid_focal_loss(
            torch.logit(p), t, -1 if alpha is None else alpha, gamma
        )

    params = {"gamma": gamma, "alpha": alpha}
    assert_matches("focal", params, LABELS, PROBABILITIES, torch_focal)


def test_hinge_matches_torch_multi_margin_loss():
    # For two classes with scores [0, s], multi_margin_loss (margin 1, p = 1) is
    # max(0, 1 − t·s) / 2 with t = ±1 (hand-derived from torch's definition
    # Σ_{i≠y} max(0, 1 − x[y] + x[i]) / C), so hinge = 2·multi_margin_loss.
    scores = np.r_[RNG.normal(0.0, 2.0, N)]
    scores[np.abs(np.abs(scores) - 1.0) < 0.05] += 0.1  # away from the kink t·s = 1

    def torch_hinge(t, s):
        two_class_scores = torch.stack([torch.zeros_like(s), s], dim=1)
        return 2 * F.multi_margin_loss(two_class_scores, t.long(), reduction="none")

    assert_matches("hinge", {}, HARD_LABELS, scores, torch_hinge)


# ---------------------------------------------------------------- multiclass

K = 5
CLASS_LABELS = RNG.integers(0, K, N)
ONE_HOT = np.eye(K)[CLASS_LABELS]
SOFT_ROWS = np.r_[ONE_HOT[: N // 2], RNG.dirichlet(np.ones(K), N - N // 2)]
CLASS_LOGITS = RNG.normal(0.0, 3.0, (N, K))
CLASS_LOGITS[0] = [1e4, -1e4, 0.0, 5.0, -5.0]
# Unnormalised probability rows (row sums 0.5 to 2), entries far from the clip.
CLASS_PROBABILITIES = (RNG.dirichlet(np.ones(K), N) * 0.9 + 0.02) * RNG.uniform(0.5, 2.0, (N, 1))


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
def test_cce_from_logits_matches_torch_cross_entropy(label_smoothing):
    # torch smooths probability targets as y(1 − ls) + ls/k, like Keras.
    assert_matches(
        "cce",
        {"from_logits": True, "label_smoothing": label_smoothing},
        SOFT_ROWS,
        CLASS_LOGITS,
        lambda t, z: F.cross_entropy(z, t, reduction="none", label_smoothing=label_smoothing),
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cce_on_probabilities_matches_torch_cross_entropy_of_log_p(label_smoothing):
    # cross_entropy(log p) = −Σ y·log_softmax(log p) = −Σ y·log(p / Σp): Keras' row
    # normalisation, with autograd running through it back to the unnormalised p.
    assert_matches(
        "cce",
        {"label_smoothing": label_smoothing},
        SOFT_ROWS,
        CLASS_PROBABILITIES,
        lambda t, p: F.cross_entropy(
            torch.log(p), t, reduction="none", label_smoothing=label_smoothing
        ),
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_sparse_cce_matches_torch_cross_entropy_with_class_indices(label_smoothing):
    params = {"label_smoothing": label_smoothing}
    assert_matches(
        "sparse_cce",
        {"from_logits": True, **params},
        CLASS_LABELS,
        CLASS_LOGITS,
        lambda t, z: F.cross_entropy(z, t, reduction="none", **params),
    )
    assert_matches(
        "sparse_cce",
        params,
        CLASS_LABELS,
        CLASS_PROBABILITIES,
        lambda t, p: F.cross_entropy(torch.log(p), t, reduction="none", **params),
    )


def test_kl_matches_torch_kl_div():
    # kl_div(input = log p, target = y) is y·(log y − log p), 0 where y = 0; summed over classes.
    probabilities = CLASS_PROBABILITIES / CLASS_PROBABILITIES.sum(axis=1, keepdims=True)
    assert_matches(
        "kl",
        {},
        SOFT_ROWS,
        probabilities,
        lambda t, p: F.kl_div(torch.log(p), t, reduction="none").sum(dim=1),
    )


# ---------------------------------------------------------------- Brier and GCE (both tasks)

# Binary logits away from σ's saturation, where the textbook σ(z) − y keeps its digits.
MODERATE_LOGITS = LOGITS[np.abs(LOGITS) < 20]


@pytest.mark.parametrize("from_logits", [False, True])
def test_brier_matches_torch_autograd_of_its_formula(from_logits):
    # Brier (1950): (p − y)², p = σ(z) on logits.
    if from_logits:
        y_pred, formula = MODERATE_LOGITS, lambda t, z: (torch.sigmoid(z) - t) ** 2
    else:
        y_pred, formula = PROBABILITIES, lambda t, p: (p - t) ** 2
    labels = LABELS[: y_pred.size]
    assert_matches("brier", {"from_logits": from_logits}, labels, y_pred, formula)


@pytest.mark.parametrize("q", [0.05, 0.7, 1.0])
def test_gce_matches_torch_autograd_of_its_formula(q):
    # Zhang & Sabuncu (2018), eq. 6 with soft labels: y(1 − p^q)/q + (1 − y)(1 − (1 − p)^q)/q.
    def gce(t, p):
        return t * (1 - p**q) / q + (1 - t) * (1 - (1 - p) ** q) / q

    # rtol 1e-10: 1 − p^q loses ~1e-16 / (1 − p^q) relative for p^q near 1 (p = 0.999).
    assert_matches("gce", {"q": q}, LABELS, PROBABILITIES, gce, rtol=1e-10)
    # On logits: p = σ(z), autograd through the sigmoid back to z.
    assert_matches(
        "gce",
        {"q": q, "from_logits": True},
        LABELS[: MODERATE_LOGITS.size],
        MODERATE_LOGITS,
        lambda t, z: gce(t, torch.sigmoid(z)),
        rtol=1e-10,
    )


def test_gce_logit_gradient_is_minus_p_y_to_the_q_times_e_y_minus_p():
    # The gradient Zhang & Sabuncu (2018) give for one-hot labels: −p_y^q (e_y − p), with
    # p = softmax(z) from torch; for the binary loss, −p_y^q (y − σ(z)).
    q = 0.7
    p = torch.softmax(torch.tensor(CLASS_LOGITS), dim=1).numpy()
    p_y = p[np.arange(N), CLASS_LABELS][:, None]
    expected = -(p_y**q) * (ONE_HOT - p)
    grad = losses.get("gce_multiclass").grad(ONE_HOT, CLASS_LOGITS, q=q, from_logits=True)
    np.testing.assert_allclose(grad, expected, rtol=1e-12, atol=1e-15)
    sigma = torch.sigmoid(torch.tensor(LOGITS)).numpy()
    p_y = np.where(HARD_LABELS == 1.0, sigma, 1.0 - sigma)
    grad = losses.get("gce").grad(HARD_LABELS, LOGITS, q=q, from_logits=True)
    np.testing.assert_allclose(grad, -(p_y**q) * (HARD_LABELS - sigma), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("from_logits", [False, True])
def test_brier_multiclass_matches_torch_autograd_of_its_formula(from_logits):
    # Σ_j (p_j − y_j)², p = softmax(z), or the rows divided by their sums.
    if from_logits:
        y_pred = CLASS_LOGITS

        def brier(t, z):
            return ((torch.softmax(z, dim=1) - t) ** 2).sum(dim=1)

    else:
        y_pred = CLASS_PROBABILITIES

        def brier(t, p):
            return ((p / p.sum(dim=1, keepdim=True) - t) ** 2).sum(dim=1)

    params = {"from_logits": from_logits}
    assert_matches("brier_multiclass", params, SOFT_ROWS, y_pred, brier)


@pytest.mark.parametrize("q", [0.05, 0.7, 1.0])
def test_gce_multiclass_matches_torch_autograd_of_its_formula(q):
    # Σ_j y_j (1 − p_j^q)/q (Zhang & Sabuncu 2018, eq. 6, with soft targets).
    def gce(t, p):
        return (t * (1 - p**q) / q).sum(dim=1)

    rows = SOFT_ROWS[1:]  # row 0's logits [1e4, −1e4, …] give p = 0 exactly: 0^q in torch
    assert_matches(
        "gce_multiclass",
        {"q": q, "from_logits": True},
        rows,
        CLASS_LOGITS[1:],
        lambda t, z: gce(t, torch.softmax(z, dim=1)),
    )
    assert_matches(
        "gce_multiclass",
        {"q": q},
        SOFT_ROWS,
        CLASS_PROBABILITIES,
        lambda t, p: gce(t, p / p.sum(dim=1, keepdim=True)),
    )
