"""Round-2 loss kernels, frozen (commit 7e6e751): the reference for tests/losses/test_rounding_only.py.

Copied verbatim from losses/regression.py, losses/binary.py and losses/multiclass.py as they
were before round 3 of the throughput work, so the rewritten kernels can be checked to differ
from them by rounding only. Not used by the app.
"""

# ruff: noqa
from __future__ import annotations

import numpy as np


# ---------------------------------------------------------------- losses/regression.py

LOG_2 = np.log(2.0)


def mse(y_true, y_pred):
    """r². Reference: torch.nn.functional.mse_loss(reduction="none")."""
    residual = y_pred - y_true
    return residual * residual


def mse_grad(y_true, y_pred):
    return 2.0 * (y_pred - y_true)


def mae(y_true, y_pred):
    """|r|. Reference: torch.nn.functional.l1_loss(reduction="none")."""
    return np.abs(y_pred - y_true)


def mae_grad(y_true, y_pred):
    # Subgradient sign(r), taking 0 at the kink r = 0 (as torch does).
    return np.sign(y_pred - y_true)


def huber(y_true, y_pred, *, delta):
    """½r² for |r| ≤ δ, else δ(|r| − ½δ). Reference: torch huber_loss, Keras Huber."""
    residual = np.subtract(y_pred, y_true)
    abs_residual = np.abs(residual, out=residual)
    quadratic = np.minimum(abs_residual, delta)
    # Same value as the two-branch form, without np.where: ½q² + δ(|r| − q).
    # Written in place (the same operations in the same order): fewer full-size temporaries.
    linear = np.subtract(abs_residual, quadratic, out=abs_residual)
    linear *= delta
    value = np.multiply(0.5, quadratic)
    value *= quadratic
    value += linear
    return value


def huber_grad(y_true, y_pred, *, delta):
    residual = np.subtract(y_pred, y_true)
    return np.clip(residual, -delta, delta, out=residual)


def pseudo_huber(y_true, y_pred, *, delta):
    """δ²(√(1 + (r/δ)²) − 1). Reference: scipy.special.pseudo_huber(δ, r)."""
    residual = y_pred - y_true
    # δ²(√(1+u²) − 1) = r² / (√(1+u²) + 1) with u = r/δ: no cancellation for small r;
    # hypot(1, u) = √(1+u²) without overflowing u².
    return residual * residual / (np.hypot(1.0, residual / delta) + 1.0)


def pseudo_huber_grad(y_true, y_pred, *, delta):
    residual = y_pred - y_true
    return residual / np.hypot(1.0, residual / delta)


def log_cosh(y_true, y_pred):
    """log cosh r, accurate from |r| = 1e-8 to beyond 1e6. Reference: Keras LogCosh."""
    residual = np.subtract(y_pred, y_true)
    abs_residual = np.abs(residual, out=residual)
    # Small |r|: log cosh r = log1p(2 sinh²(r/2)) keeps the r²/2 digits that log(cosh r) loses.
    # Both forms are evaluated everywhere (each is safe on its own: sinh sees |r| ≤ 1, exp
    # sees −2|r| ≤ 0), in place, each operation as in log1p(2.0 * sinh(0.5 * min(|r|, 1))²).
    near_zero = np.minimum(abs_residual, 1.0)
    near_zero *= 0.5
    np.sinh(near_zero, out=near_zero)
    np.square(near_zero, out=near_zero)
    near_zero *= 2.0
    np.log1p(near_zero, out=near_zero)
    # Large |r|: log cosh r = |r| + log1p(exp(-2|r|)) - log 2, no overflow in cosh.
    far = np.multiply(-2.0, abs_residual)
    np.exp(far, out=far)
    np.log1p(far, out=far)
    np.add(abs_residual, far, out=far)
    far -= LOG_2
    # Pick near_zero where |r| < 1, far elsewhere. Both are finite and ≥ 0 where picked, so
    # x·1 + y·0 = x exactly; this blend replaces np.where, whose branchy select costs
    # ~5 ns per element when |r| < 1 holds at random.
    is_small = abs_residual < 1.0
    near_zero *= is_small
    far *= np.logical_not(is_small, out=is_small)
    far += near_zero
    return far


def log_cosh_grad(y_true, y_pred):
    return np.tanh(y_pred - y_true)


def quantile(y_true, y_pred, *, tau):
    """Pinball loss with d = y_true − y_pred: τd if d ≥ 0 else (τ − 1)d.

    Reference: sklearn.metrics.mean_pinball_loss(alpha=τ) is its mean.
    """
    shortfall = np.subtract(y_true, y_pred)
    value = np.multiply(tau, shortfall)
    np.maximum(value, np.multiply(tau - 1.0, shortfall, out=shortfall), out=value)
    # + 0.0 turns the −0.0 that max(τ·0, (τ − 1)·0) can give into 0.0 (a "−0" on screen).
    value += 0.0
    return value


def quantile_grad(y_true, y_pred, *, tau):
    # −τ where the prediction is too low, 1 − τ where too high; 0 at the kink d = 0.
    # As (1 − τ)·[d < 0] − τ·[d > 0] rather than nested np.where, whose branchy select
    # costs ~5 ns per element on signs that flip at random; each case gives the same
    # number (x − 0.0 = x, and 0.0 − 0.0 = +0.0 at the kink).
    shortfall = np.subtract(y_true, y_pred)
    gradient = np.multiply(shortfall < 0, 1.0 - tau)
    gradient -= np.multiply(shortfall > 0, tau, out=shortfall)
    return gradient


# ---------------------------------------------------------------- losses/binary.py


def softplus(x):
    # softplus(x) = log(1 + eˣ) = logaddexp(0, x): no overflow for x up to 1e308.
    return np.logaddexp(0.0, x)


def log_sigmoid(x):
    # log σ(x) = −softplus(−x), finite for all finite x.
    return -softplus(-x)


def sigmoid(x):
    # σ(x) = exp(log σ(x)): never evaluates exp of a large positive number.
    return np.exp(log_sigmoid(x))


def smooth_binary_labels(y_true, label_smoothing):
    """Keras' binary label smoothing: y(1 − ls) + ls/2."""
    target = np.multiply(y_true, 1.0 - label_smoothing)
    target += 0.5 * label_smoothing
    return target


def _clipped(y_pred, eps):
    """Probabilities clipped to [eps, 1 − eps], and where the clip left them alone."""
    probability = np.clip(y_pred, eps, 1.0 - eps)
    # The clip leaves p unchanged exactly when eps ≤ p ≤ 1 − eps: one comparison, not three.
    return probability, probability == y_pred


def bce(y_true, y_pred, *, from_logits, pos_weight, label_smoothing, eps):
    """−[w·y·log p + (1 − y)·log(1 − p)], w = pos_weight, y label-smoothed.

    References: Keras BinaryCrossentropy (probabilities clipped to [eps, 1 − eps]);
    torch binary_cross_entropy_with_logits(pos_weight=w) for logits.
    """
    target = smooth_binary_labels(y_true, label_smoothing)
    if from_logits:
        # −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z).
        return pos_weight * target * softplus(-y_pred) + (1.0 - target) * softplus(y_pred)
    probability = np.clip(y_pred, eps, 1.0 - eps)
    # −(w·y·log p + (1 − y)·log1p(−p)), the same operations in the same order, in place.
    value = np.multiply(pos_weight, target)
    value *= np.log(probability)
    log_not_p = np.log1p(np.negative(probability, out=probability), out=probability)
    not_target = np.subtract(1.0, target, out=target)
    not_target *= log_not_p
    value += not_target
    return np.negative(value, out=value)


def bce_grad(y_true, y_pred, *, from_logits, pos_weight, label_smoothing, eps):
    target = smooth_binary_labels(y_true, label_smoothing)
    if from_logits:
        return -pos_weight * target * sigmoid(-y_pred) + (1.0 - target) * sigmoid(y_pred)
    probability, unclipped = _clipped(y_pred, eps)
    # −w·y/p + (1 − y)/(1 − p), the same operations in the same order, in place.
    slope = np.multiply(-pos_weight, target)
    slope /= probability
    not_target = np.subtract(1.0, target, out=target)
    not_target /= np.subtract(1.0, probability, out=probability)
    slope += not_target
    # 0 where p was clipped (+0.0, as np.where gave), without np.where's full select pass.
    slope[~unclipped] = 0.0
    return slope


# The focal loss's probability path clips like bce's default.
FOCAL_EPS = 1e-7


def _alpha_t(y_true, alpha):
    return 1.0 if alpha is None else alpha * y_true + (1.0 - alpha) * (1.0 - y_true)


def _focal_terms(y_true, y_pred, from_logits):
    """Cross-entropy ce, log q with q = 1 − p_t, dce/dy_pred and dq/dy_pred, and the clip mask."""
    if from_logits:
        with np.errstate(divide="ignore"):
            log_label, log_other = np.log(y_true), np.log1p(-y_true)
        log_p, log_not_p = log_sigmoid(y_pred), log_sigmoid(-y_pred)
        ce = -(y_true * log_p + (1.0 - y_true) * log_not_p)
        # q = p(1 − y) + (1 − p)y, in log space so it stays exact when p saturates.
        log_q = np.logaddexp(log_other + log_p, log_label + log_not_p)
        # σ(z) − y written as σ(z)(1 − y) − σ(−z)y: no cancellation as σ(z) → 1 with y = 1.
        d_ce = np.exp(log_p) * (1.0 - y_true) - y_true * np.exp(log_not_p)
        # dq/dz = σ(z)σ(−z)(1 − 2y); kept as a log factor to pair with q^(γ−1) below.
        log_dq_factor = log_p + log_not_p
        return ce, log_q, d_ce, log_dq_factor, None
    probability, unclipped = _clipped(y_pred, FOCAL_EPS)
    ce = -(y_true * np.log(probability) + (1.0 - y_true) * np.log1p(-probability))
    log_q = np.log(probability * (1.0 - y_true) + (1.0 - probability) * y_true)
    d_ce = -y_true / probability + (1.0 - y_true) / (1.0 - probability)
    return ce, log_q, d_ce, np.zeros_like(probability), unclipped


def focal(y_true, y_pred, *, gamma, alpha, from_logits):
    """bce · (1 − p_t)^γ · α_t, p_t = p·y + (1 − p)(1 − y), α_t = α·y + (1 − α)(1 − y).

    Reference: torchvision.ops.sigmoid_focal_loss (its alpha = −1 is our None).
    """
    ce, log_q, _, _, _ = _focal_terms(y_true, y_pred, from_logits)
    return _alpha_t(y_true, alpha) * ce * np.exp(gamma * log_q)


def focal_grad(y_true, y_pred, *, gamma, alpha, from_logits):
    ce, log_q, d_ce, log_dq_factor, unclipped = _focal_terms(y_true, y_pred, from_logits)
    # d/dy [ce·q^γ] = ce'·q^γ + ce·γ·q^(γ−1)·q'; q' = (1 − 2y)·factor, factor = σσ' or 1.
    modulation = np.exp(gamma * log_q)
    pull = gamma * np.exp((gamma - 1.0) * log_q + log_dq_factor) * (1.0 - 2.0 * y_true)
    slope = _alpha_t(y_true, alpha) * (d_ce * modulation + ce * pull)
    return slope if unclipped is None else np.where(unclipped, slope, 0.0)


def hinge(y_true, y_pred):
    """max(0, 1 − t·s) with t = 2y − 1 ∈ {−1, +1} and s a raw score. Reference: Keras Hinge."""
    shortfall = _margin_shortfall(y_true, y_pred)
    return np.maximum(0.0, shortfall, out=shortfall)


def hinge_grad(y_true, y_pred):
    # −t inside the margin (1 − t·s > 0), 0 outside; at the kink t·s = 1 we take 0.
    # As [1 − t·s > 0]·(−t) + 0.0 rather than np.where, whose branchy select costs ~5 ns
    # per element when the margin is met at random; the same numbers (t = ±1, and
    # ±0.0 + 0.0 = +0.0 outside the margin, as np.where's 0.0).
    sign = 2.0 * y_true - 1.0
    inside = _margin_shortfall(y_true, y_pred) > 0
    gradient = np.multiply(inside, np.negative(sign, out=sign), out=sign)
    gradient += 0.0
    return gradient


def _margin_shortfall(y_true, y_pred):
    """1 − t·s with t = 2y − 1, in place after the first temporary."""
    shortfall = np.multiply(2.0, y_true)
    shortfall -= 1.0
    shortfall *= y_pred
    return np.subtract(1.0, shortfall, out=shortfall)


def smoothed_hinge(y_true, y_pred, *, smoothing):
    """Hinge with its corner rounded over a width μ (the Huberised hinge), for fitting.

    With u = 1 − t·s: 0 for u ≤ 0, u²/(2μ) for 0 < u < μ, u − μ/2 for u ≥ μ. It is
    the Moreau envelope of the hinge, so it lies within μ/2 below it and has a
    continuous gradient; minimising it for μ → 0 approaches the hinge's minimum.
    Not in the registry: `losses.classifier_fit` uses it to fit the hinge.
    """
    shortfall = np.maximum(0.0, 1.0 - (2.0 * y_true - 1.0) * y_pred)
    inside = np.minimum(shortfall, smoothing)
    # ½·inside²/μ + (u − inside): the two pieces joined without np.where.
    return 0.5 * inside * inside / smoothing + (shortfall - inside)


def smoothed_hinge_grad(y_true, y_pred, *, smoothing):
    sign = 2.0 * y_true - 1.0
    shortfall = np.maximum(0.0, 1.0 - sign * y_pred)
    return -sign * np.minimum(shortfall / smoothing, 1.0)


# ---------------------------------------------------------------- losses/multiclass.py


def smooth_class_labels(y_true, label_smoothing):
    """Keras' categorical label smoothing: y(1 − ls) + ls/k."""
    k = y_true.shape[1]
    return y_true * (1.0 - label_smoothing) + label_smoothing / k


def log_softmax(logits):
    # log-sum-exp with the row max subtracted: no exp of anything above 0.
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(logits):
    return np.exp(log_softmax(logits))


def one_hot(labels, k):
    """(n,) integer labels in [0, k) → (n, k) one-hot rows."""
    rows = np.zeros((labels.shape[0], k))
    rows[np.arange(labels.shape[0]), labels] = 1.0
    return rows


def _sum_without(probability, column):
    """Row sums of ``probability`` leaving out one column per row."""
    rest = probability.copy()
    rest[np.arange(probability.shape[0]), column] = 0.0
    return rest.sum(axis=1)


def _normalised_clipped(y_pred, eps):
    """Rows divided by their sums, clipped to [eps, 1 − eps], with the clip mask and row sums."""
    row_sums = y_pred.sum(axis=1, keepdims=True)
    normalised = y_pred / row_sums
    clipped = np.clip(normalised, eps, 1.0 - eps)
    unclipped = (normalised >= eps) & (normalised <= 1.0 - eps)
    return normalised, clipped, unclipped, row_sums


def cce(y_true, y_pred, *, from_logits, label_smoothing, eps):
    """−Σⱼ yⱼ log pⱼ per row.

    Probabilities: each row divided by its sum, then clipped to [eps, 1 − eps]
    (Keras CategoricalCrossentropy). Logits: log p = log_softmax(z)
    (torch.nn.functional.cross_entropy with probability targets).
    """
    target = smooth_class_labels(y_true, label_smoothing)
    if from_logits:
        return 0.0 - (target * log_softmax(y_pred)).sum(axis=1)  # 0.0 − x avoids −0.0
    _, clipped, _, _ = _normalised_clipped(y_pred, eps)
    return 0.0 - (target * np.log(clipped)).sum(axis=1)


def cce_grad(y_true, y_pred, *, from_logits, label_smoothing, eps):
    target = smooth_class_labels(y_true, label_smoothing)
    if from_logits:
        # d/dz of −Σ y log_softmax(z) = p·S − y with S = Σy (= p − y for rows summing to 1).
        probability = softmax(y_pred)
        total = target.sum(axis=1)
        gradient = probability * total[:, None] - target
        # At the top class p → 1 and p·S − y cancels; with 1 − p = Σ of the other
        # (accurately small) probabilities it keeps full relative accuracy.
        rows, top = np.arange(y_pred.shape[0]), np.argmax(y_pred, axis=1)
        others = _sum_without(probability, top)
        gradient[rows, top] = (total - target[rows, top]) - others * total
        return gradient
    normalised, clipped, unclipped, row_sums = _normalised_clipped(y_pred, eps)
    # g = dL/dq through the clip; then the chain rule through q = y_pred / Σ y_pred:
    # dL/dy_pred_i = (g_i − Σⱼ gⱼ qⱼ) / Σ y_pred.
    d_normalised = np.where(unclipped, -target / clipped, 0.0)
    through_sum = (d_normalised * normalised).sum(axis=1, keepdims=True)
    return (d_normalised - through_sum) / row_sums


def kl(y_true, y_pred, *, eps):
    """Σⱼ yⱼ log(yⱼ / pⱼ) with 0·log 0 = 0 and p clipped to [eps, 1].

    Reference: scipy.special.rel_entr(y, p) summed over classes. Like rel_entr it
    does not renormalise p, so rows of p that do not sum to 1 can give values < 0.
    """
    clipped = np.clip(y_pred, eps, 1.0)
    # Where y = 0 the term is 0; log(1/p) is a finite stand-in multiplied by that 0.
    present = np.where(y_true > 0, y_true, 1.0)
    return (y_true * np.log(present / clipped)).sum(axis=1)


def kl_grad(y_true, y_pred, *, eps):
    clipped = np.clip(y_pred, eps, 1.0)
    return np.where(y_pred >= eps, -y_true / clipped, 0.0)
