"""Per-sample binary classification losses and their exact derivatives.

Arguments are clean float64 arrays of shape (n,) (checked in `losses.spec`):
y_true holds labels in [0, 1]; y_pred holds probabilities, or logits when
``from_logits`` is set (raw scores for hinge). Gradients are taken w.r.t.
y_pred as given: the probability, or the logit. Where a probability was
clipped to [eps, 1 − eps] the loss is flat, so its gradient there is 0.
"""

from __future__ import annotations

import numpy as np


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


def _bce_target(y_true, label_smoothing):
    """The smoothed labels, or y_true itself (not a copy: read only) when ls = 0.

    y·1 + 0 is y except that −0.0 becomes +0.0, and in bce a zero target only ever meets
    a nonzero term (log p, 1/p with p ≥ eps), so the sign cannot reach the result.
    """
    return y_true if label_smoothing == 0.0 else smooth_binary_labels(y_true, label_smoothing)


def bce(y_true, y_pred, *, from_logits, pos_weight, label_smoothing, eps):
    """−[w·y·log p + (1 − y)·log(1 − p)], w = pos_weight, y label-smoothed.

    References: Keras BinaryCrossentropy (probabilities clipped to [eps, 1 − eps]);
    torch binary_cross_entropy_with_logits(pos_weight=w) for logits.
    """
    target = _bce_target(y_true, label_smoothing)
    if from_logits:
        # −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z).
        return pos_weight * target * softplus(-y_pred) + (1.0 - target) * softplus(y_pred)
    probability = np.clip(y_pred, eps, 1.0 - eps)
    # −(w·y·log p + (1 − y)·log1p(−p)), in place; w·y·log p as y·log p when w = 1.
    value = np.log(probability)
    value *= target
    if pos_weight != 1.0:
        value *= pos_weight
    log_not_p = np.log1p(np.negative(probability, out=probability), out=probability)
    log_not_p *= np.subtract(1.0, target)
    value += log_not_p
    return np.negative(value, out=value)


def bce_grad(y_true, y_pred, *, from_logits, pos_weight, label_smoothing, eps):
    target = _bce_target(y_true, label_smoothing)
    if from_logits:
        return -pos_weight * target * sigmoid(-y_pred) + (1.0 - target) * sigmoid(y_pred)
    probability = np.clip(y_pred, eps, 1.0 - eps)
    # −w·y/p + (1 − y)/(1 − p), in place; when w = 1 as (1 − y)/(1 − p) − y/p, the same
    # number (x + (−a) is x − a by definition, and both add in either order).
    slope = np.divide(target, probability)
    not_target = np.subtract(1.0, target)
    not_target /= np.subtract(1.0, probability)
    if pos_weight == 1.0:
        slope = np.subtract(not_target, slope, out=not_target)
    else:
        slope *= -pos_weight
        slope += not_target
    # 0 where p was clipped (+0.0, as np.where gave): the clip leaves p unchanged exactly
    # when eps ≤ p ≤ 1 − eps, so one comparison finds the clipped entries.
    np.copyto(slope, 0.0, where=probability != y_pred)
    return slope


def bce_value_and_grad(y_true, y_pred, *, from_logits, pos_weight, label_smoothing, eps):
    """(bce, bce_grad) in one pass, the same numbers bit for bit: on logits the softplus
    terms of the value give the gradient's sigmoids, σ(±z) = exp(−softplus(∓z))."""
    params = {"pos_weight": pos_weight, "label_smoothing": label_smoothing, "eps": eps}
    if not from_logits:
        return bce(y_true, y_pred, from_logits=False, **params), bce_grad(
            y_true, y_pred, from_logits=False, **params
        )
    target = _bce_target(y_true, label_smoothing)
    loss_if_positive, loss_if_negative = softplus(-y_pred), softplus(y_pred)
    value = pos_weight * target * loss_if_positive + (1.0 - target) * loss_if_negative
    gradient = -pos_weight * target * np.exp(-loss_if_negative) + (1.0 - target) * np.exp(
        -loss_if_positive
    )
    return value, gradient


# The focal loss's probability path clips like bce's default.
FOCAL_EPS = 1e-7


def _alpha_t(y_true, alpha):
    return 1.0 if alpha is None else alpha * y_true + (1.0 - alpha) * (1.0 - y_true)


def _focal_logit_terms(y_true, y_pred, *, hard=False):
    """Cross-entropy ce, log q with q = 1 − p_t, dce/dz and log of dq/dz's factor, from logits.

    ``hard``: every label is 0 or 1 (the caller checked), so log q is log p or log(1 − p)
    picked by the label: the same numbers as the general formula's, without its logs of
    the labels and its logaddexp.
    """
    log_p, log_not_p = log_sigmoid(y_pred), log_sigmoid(-y_pred)
    ce = -(y_true * log_p + (1.0 - y_true) * log_not_p)
    if hard:
        # logaddexp(x, −inf) is x + log1p(0) = x + 0.0 (NumPy's npy_logaddexp): the picked
        # term, up to the sign of a zero, which exp(γ·log q) and the sum in focal's
        # gradient do not see.
        log_q = np.where(y_true == 1.0, log_not_p, log_p)
    else:
        with np.errstate(divide="ignore"):
            log_label, log_other = np.log(y_true), np.log1p(-y_true)
        # q = p(1 − y) + (1 − p)y, in log space so it stays exact when p saturates.
        log_q = np.logaddexp(log_other + log_p, log_label + log_not_p)
    # σ(z) − y written as σ(z)(1 − y) − σ(−z)y: no cancellation as σ(z) → 1 with y = 1.
    d_ce = np.exp(log_p) * (1.0 - y_true) - y_true * np.exp(log_not_p)
    # dq/dz = σ(z)σ(−z)(1 − 2y); kept as a log factor to pair with q^(γ−1) below.
    log_dq_factor = log_p + log_not_p
    return ce, log_q, d_ce, log_dq_factor


def _focal_probability_terms(y_true, probability):
    """ce = −(y log p + (1 − y) log1p(−p)), q = p(1 − y) + (1 − p)y and 1 − y, p clipped."""
    not_label = np.subtract(1.0, y_true)
    ce = np.log(probability)
    ce *= y_true
    log_not_p = np.negative(probability)
    np.log1p(log_not_p, out=log_not_p)
    log_not_p *= not_label
    ce += log_not_p
    np.negative(ce, out=ce)
    q = np.multiply(probability, not_label)
    not_p_label = np.subtract(1.0, probability, out=log_not_p)
    not_p_label *= y_true
    q += not_p_label
    return ce, q, not_label


def _small_power(q, gamma):
    """q^γ for γ ∈ {1, 2, 3, 4} as products, else None.

    On the probability path q ≥ min(p, 1 − p) ≥ 1e-7, so exp(γ log q) is itself within
    |γ log q| ≤ 65 roundings of q^γ: the products differ from it by rounding only.
    """
    if gamma not in (1.0, 2.0, 3.0, 4.0):
        return None
    power = q.copy()
    for _ in range(int(gamma) - 1):
        power *= q
    return power


def focal(y_true, y_pred, *, gamma, alpha, from_logits):
    """bce · (1 − p_t)^γ · α_t, p_t = p·y + (1 − p)(1 − y), α_t = α·y + (1 − α)(1 − y).

    Reference: torchvision.ops.sigmoid_focal_loss (its alpha = −1 is our None).
    """
    if from_logits:
        ce, log_q, _, _ = _focal_logit_terms(y_true, y_pred)
        return _alpha_t(y_true, alpha) * ce * np.exp(gamma * log_q)
    ce, q, _ = _focal_probability_terms(y_true, np.clip(y_pred, FOCAL_EPS, 1.0 - FOCAL_EPS))
    modulation = _small_power(q, gamma)
    if modulation is None:
        modulation = np.log(q, out=q)
        modulation *= gamma
        np.exp(modulation, out=modulation)
    ce *= modulation
    if alpha is not None:
        ce *= _alpha_t(y_true, alpha)
    return ce


def focal_grad(y_true, y_pred, *, gamma, alpha, from_logits):
    # d/dy [ce·q^γ] = ce'·q^γ + ce·γ·q^(γ−1)·q'; q' = (1 − 2y)·factor, factor = σσ' or 1.
    if from_logits:
        ce, log_q, d_ce, log_dq_factor = _focal_logit_terms(y_true, y_pred)
        modulation = np.exp(gamma * log_q)
        pull = gamma * np.exp((gamma - 1.0) * log_q + log_dq_factor) * (1.0 - 2.0 * y_true)
        return _alpha_t(y_true, alpha) * (d_ce * modulation + ce * pull)
    probability = np.clip(y_pred, FOCAL_EPS, 1.0 - FOCAL_EPS)
    ce, q, not_label = _focal_probability_terms(y_true, probability)
    # dce/dp = −y/p + (1 − y)/(1 − p).
    d_ce = np.divide(y_true, probability)
    np.negative(d_ce, out=d_ce)
    not_label /= np.subtract(1.0, probability)
    d_ce += not_label
    pull = _small_power(q, gamma - 1.0) if gamma >= 2.0 else None  # q^(γ−1)
    if pull is None:
        log_q = np.log(q)
        modulation = np.multiply(gamma, log_q)
        np.exp(modulation, out=modulation)
        log_q *= gamma - 1.0
        pull = np.exp(log_q, out=log_q)
    else:
        modulation = np.multiply(pull, q)
    d_ce *= modulation
    pull *= gamma
    # 1 − 2y as in the logit path; dq/dp = 1 − 2y.
    pull *= np.subtract(1.0, np.multiply(2.0, y_true, out=not_label), out=not_label)
    pull *= ce
    d_ce += pull
    if alpha is not None:
        d_ce *= _alpha_t(y_true, alpha)
    # 0 where p was clipped (+0.0, as np.where gave): the clip leaves p unchanged exactly
    # when eps ≤ p ≤ 1 − eps, so one comparison finds the clipped entries.
    np.copyto(d_ce, 0.0, where=probability != y_pred)
    return d_ce


def focal_value_and_grad(y_true, y_pred, *, gamma, alpha, from_logits):
    """(focal, focal_grad) in one pass, the same numbers bit for bit: on logits both are
    built from one set of `_focal_logit_terms` and one modulation (1 − p_t)^γ."""
    if not from_logits:
        params = {"gamma": gamma, "alpha": alpha, "from_logits": False}
        return focal(y_true, y_pred, **params), focal_grad(y_true, y_pred, **params)
    # A fit's labels are 0 or 1: the shorter path to log q (same numbers).
    hard = bool(np.all((y_true == 0.0) | (y_true == 1.0)))
    ce, log_q, d_ce, log_dq_factor = _focal_logit_terms(y_true, y_pred, hard=hard)
    modulation = np.exp(gamma * log_q)
    weight = _alpha_t(y_true, alpha)
    pull = gamma * np.exp((gamma - 1.0) * log_q + log_dq_factor) * (1.0 - 2.0 * y_true)
    return weight * ce * modulation, weight * (d_ce * modulation + ce * pull)


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
    Not in the registry: `losses.fit.classifier` uses it to fit the hinge.
    """
    shortfall = np.maximum(0.0, 1.0 - (2.0 * y_true - 1.0) * y_pred)
    inside = np.minimum(shortfall, smoothing)
    # ½·inside²/μ + (u − inside): the two pieces joined without np.where.
    return 0.5 * inside * inside / smoothing + (shortfall - inside)


def smoothed_hinge_grad(y_true, y_pred, *, smoothing):
    sign = 2.0 * y_true - 1.0
    shortfall = np.maximum(0.0, 1.0 - sign * y_pred)
    return -sign * np.minimum(shortfall / smoothing, 1.0)


def smoothed_hinge_value_and_grad(y_true, y_pred, *, smoothing):
    """(smoothed_hinge, smoothed_hinge_grad) in one pass, the same numbers bit for bit."""
    sign = 2.0 * y_true - 1.0
    shortfall = np.maximum(0.0, 1.0 - sign * y_pred)
    inside = np.minimum(shortfall, smoothing)
    value = 0.5 * inside * inside / smoothing + (shortfall - inside)
    return value, -sign * np.minimum(shortfall / smoothing, 1.0)


def _probability_error(y_true, y_pred):
    """σ(z) − y from a logit z, written σ(z)(1 − y) − σ(−z)y: no cancellation as σ(z) → 1
    with y = 1 (σ(−z) is then small and exact)."""
    return sigmoid(y_pred) * (1.0 - y_true) - sigmoid(-y_pred) * y_true


def brier(y_true, y_pred, *, from_logits):
    """(p − y)², p = y_pred or σ(y_pred) with ``from_logits``.

    Reference: Brier (1950), "Verification of forecasts expressed in terms of probability";
    sklearn.metrics.brier_score_loss is its mean. Bounded by 1, so no clip is needed.
    """
    error = _probability_error(y_true, y_pred) if from_logits else y_pred - y_true
    return error * error


def brier_grad(y_true, y_pred, *, from_logits):
    if from_logits:
        # d/dz (σ(z) − y)² = 2(σ(z) − y)·σ'(z), σ'(z) = σ(z)σ(−z).
        return 2.0 * _probability_error(y_true, y_pred) * sigmoid(y_pred) * sigmoid(-y_pred)
    return 2.0 * (y_pred - y_true)


def brier_value_and_grad(y_true, y_pred, *, from_logits):
    """(brier, brier_grad) in one pass, the same numbers bit for bit: on logits the two
    sigmoids of p − y are σ'(z)'s too."""
    if not from_logits:
        return brier(y_true, y_pred, from_logits=False), brier_grad(
            y_true, y_pred, from_logits=False
        )
    # `_probability_error`, keeping its sigmoids.
    probability, other = sigmoid(y_pred), sigmoid(-y_pred)
    error = probability * (1.0 - y_true) - other * y_true
    return error * error, 2.0 * error * probability * other


# GCE's probability path clips like focal's (and bce's default): at p = 0 its gradient
# −p^(q−1) is infinite for q < 1, while the value there, 1/q, is finite.
GCE_EPS = 1e-7


def power_loss(log_probability, q):
    """(1 − p^q)/q from log p, as −expm1(q·log p)/q: accurate for small q (its q → 0 limit
    is −log p, the cross-entropy) and for p near 1, where 1 − p^q would cancel."""
    return 0.0 - np.expm1(q * log_probability) / q  # 0.0 − x: +0.0 at p = 1, not −0.0


def gce(y_true, y_pred, *, q, from_logits):
    """y(1 − p^q)/q + (1 − y)(1 − (1 − p)^q)/q: generalised cross-entropy for soft labels.

    Reference: Zhang & Sabuncu (2018), "Generalized Cross Entropy Loss for Training Deep
    Neural Networks with Noisy Labels" (their L_q). q → 0 is BCE; q = 1 is y(1 − p) +
    (1 − y)p, for a hard label 1 − p_y = |y − p|, the MAE on the probability.
    Probabilities are clipped to [1e-7, 1 − 1e-7].
    """
    if from_logits:
        log_p, log_not_p = log_sigmoid(y_pred), log_sigmoid(-y_pred)
    else:
        probability = np.clip(y_pred, GCE_EPS, 1.0 - GCE_EPS)
        log_p, log_not_p = np.log(probability), np.log1p(-probability)
    return y_true * power_loss(log_p, q) + (1.0 - y_true) * power_loss(log_not_p, q)


def gce_grad(y_true, y_pred, *, q, from_logits):
    if from_logits:
        # d/dz (1 − σ(z)^q)/q = −σ(z)^q·σ(−z) and d/dz (1 − σ(−z)^q)/q = σ(−z)^q·σ(z),
        # each power as exp(q·log σ): −p_y^q (y − σ(z)) for a hard label.
        log_p, log_not_p = log_sigmoid(y_pred), log_sigmoid(-y_pred)
        return (1.0 - y_true) * np.exp(q * log_not_p + log_p) - y_true * np.exp(
            q * log_p + log_not_p
        )
    probability = np.clip(y_pred, GCE_EPS, 1.0 - GCE_EPS)
    # d/dp: −y·p^(q−1) + (1 − y)(1 − p)^(q−1).
    slope = (1.0 - y_true) * np.exp((q - 1.0) * np.log1p(-probability)) - y_true * np.exp(
        (q - 1.0) * np.log(probability)
    )
    # 0 where p was clipped: the clip leaves p unchanged exactly when eps ≤ p ≤ 1 − eps.
    np.copyto(slope, 0.0, where=probability != y_pred)
    return slope


def gce_value_and_grad(y_true, y_pred, *, q, from_logits):
    """(gce, gce_grad) in one pass, the same numbers bit for bit: on logits both come from
    one log σ(z) and one log σ(−z)."""
    if not from_logits:
        return gce(y_true, y_pred, q=q, from_logits=False), gce_grad(
            y_true, y_pred, q=q, from_logits=False
        )
    log_p, log_not_p = log_sigmoid(y_pred), log_sigmoid(-y_pred)
    value = y_true * power_loss(log_p, q) + (1.0 - y_true) * power_loss(log_not_p, q)
    gradient = (1.0 - y_true) * np.exp(q * log_not_p + log_p) - y_true * np.exp(
        q * log_p + log_not_p
    )
    return value, gradient
