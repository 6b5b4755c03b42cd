"""Per-sample regression losses and their exact derivatives w.r.t. the prediction.

Arguments are clean float64 arrays of shape (n,) (checked in `losses.spec`);
every function returns shape (n,). Residual r = y_pred - y_true throughout,
so d/d y_pred = d/d r.
"""

from __future__ import annotations

import numpy as np

LOG_2 = np.log(2.0)
# Below this |r| log cosh uses log1p(2 sinh²(r/2)) alone (no overflow up to |r| ≈ 709).
SINH_FORM_LIMIT = 700.0


def mse(y_true, y_pred):
    """r². Reference: torch.nn.functional.mse_loss(reduction="none")."""
    residual = y_pred - y_true
    return residual * residual


def mse_grad(y_true, y_pred):
    return 2.0 * (y_pred - y_true)


def mae(y_true, y_pred):
    """|r|. Reference: torch.nn.functional.l1_loss(reduction="none")."""
    return np.abs(y_pred - y_true)


def mae_pieces():
    """|d| as pieces (`Loss.pieces`): −d below 0, d above."""
    return (0.0,), ((0.0, -1.0, 0.0), (0.0, 1.0, 0.0))


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


def huber_pieces(delta):
    """Huber as pieces (`Loss.pieces`): −δd − ½δ² below −δ, ½d² within ±δ, δd − ½δ² above."""
    corner = -0.5 * delta * delta
    return (-delta, delta), ((corner, -delta, 0.0), (0.0, 0.0, 0.5), (corner, delta, 0.0))


def huber_grad(y_true, y_pred, *, delta):
    residual = np.subtract(y_pred, y_true)
    # clip(r, −δ, δ) as min(max(r, −δ), δ): the same numbers (NaN and −0.0 included),
    # without np.clip's Python-level dispatch, which costs more than the work on a batch.
    np.maximum(residual, -delta, out=residual)
    return np.minimum(residual, delta, out=residual)


def _root_one_plus_square(residual, delta, square=None):
    """√(1 + u²) with u = r/δ, shape (n,); ``square`` = r² may be passed in to be reused."""
    if delta == 1.0:  # u = r exactly
        root = np.multiply(residual, residual) if square is None else np.add(square, 1.0)
        if square is None:
            root += 1.0
    else:
        root = np.divide(residual, delta)
        root *= root
        root += 1.0
    np.sqrt(root, out=root)
    # √(1 + u²) as the sqrt of the rounded 1 + u² (≤ 1 ulp from hypot, and cheaper); where u²
    # overflows (|u| > 1.3e154) hypot(1, u) keeps the exact path.
    if root.max() == np.inf:
        overflowed = np.isinf(root)
        root[overflowed] = np.hypot(1.0, residual[overflowed] / delta)
    return root


def pseudo_huber(y_true, y_pred, *, delta):
    """δ²(√(1 + (r/δ)²) − 1). Reference: scipy.special.pseudo_huber(δ, r)."""
    residual = np.subtract(y_pred, y_true)
    square = np.multiply(residual, residual)
    # δ²(√(1+u²) − 1) = r² / (√(1+u²) + 1) with u = r/δ: no cancellation for small r.
    denominator = _root_one_plus_square(residual, delta, square)
    denominator += 1.0
    square /= denominator
    return square


def pseudo_huber_grad(y_true, y_pred, *, delta):
    residual = np.subtract(y_pred, y_true)
    residual /= _root_one_plus_square(residual, delta)
    return residual


def log_cosh(y_true, y_pred):
    """log cosh r, accurate from |r| = 1e-8 to beyond 1e6. Reference: Keras LogCosh."""
    residual = np.subtract(y_pred, y_true)
    abs_residual = np.abs(residual, out=residual)
    if abs_residual.max() <= SINH_FORM_LIMIT:
        # log cosh r = log1p(2 sinh²(r/2)) for every r: 2 sinh²(r/2) stays finite below
        # |r| ≈ 709, and for |r| ≥ 1 it agrees with the large-|r| form below to < 1e-13
        # (checked on 3e6 points up to 709): one form with two transcendentals, not five.
        value = np.multiply(0.5, abs_residual, out=abs_residual)
        np.sinh(value, out=value)
        np.square(value, out=value)
        value *= 2.0
        return np.log1p(value, out=value)
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


def quantile_pieces(tau):
    """The pinball loss as pieces of d = ŷ − y (`Loss.pieces`): −τd below 0 (an
    under-prediction, shortfall −d > 0), (1 − τ)d above."""
    return (0.0,), ((0.0, -tau, 0.0), (0.0, 1.0 - tau, 0.0))


def quantile_grad(y_true, y_pred, *, tau):
    # −τ where the prediction is too low, 1 − τ where too high; 0 at the kink d = 0.
    # As (1 − τ)·[d < 0] − τ·[d > 0] rather than nested np.where, whose branchy select
    # costs ~5 ns per element on signs that flip at random; each case gives the same
    # number (x − 0.0 = x, and 0.0 − 0.0 = +0.0 at the kink).
    shortfall = np.subtract(y_true, y_pred)
    gradient = np.multiply(shortfall < 0, 1.0 - tau)
    gradient -= np.multiply(shortfall > 0, tau, out=shortfall)
    return gradient


# Below this |r|/c, (r/c)²/|α − 2| cannot overflow: |α − 2| ≥ 2.2e-16 (the float below 2),
# so it stays under 1e292/2.2e-16 = 4.5e307 < 1.8e308, and its log1p under 708.4, so
# expm1(α/2 · log1p(·)) with α ≤ 2 cannot overflow either (it would past 709.78).
BARRON_SQUARE_LIMIT = 1e146
# Below this |α|, (|α−2|/α)·expm1(h), h = α/2 · L, is |α−2|/2 · L · (expm1(h)/h), with
# expm1(h)/h = 1 + h/2 + h²/6 + h³/24 + h⁴/120 (Taylor): |α − 2|/α would overflow at a
# subnormal α and α/2 · L underflow to 0 (∞ · 0). L < 1420 for any float r/c, so |h| < 7.1e-4
# and the next term, h⁵/720, is below 2.6e-19: the series is exact to rounding.
BARRON_SERIES_ALPHA = 1e-6
# Past this h = α/2 · L (only where some |r|/c ≥ 1e146), expm1(h) would overflow while
# (|α−2|/α)·expm1(h) need not (α near 2: b/α is small): there e^(−h) < 1e-304 is below an
# ulp of 1, so (b/α)(e^h − 1) = exp(h + log(b/α)) to rounding.
BARRON_EXP_FORM = 700.0


def _barron_log_term(residual, alpha, scale):
    """L = log(1 + (r/c)²/|α − 2|), finite for every finite r/c, and whether any |r|/c is
    at least 1e146. Below that, log1p(u²/|α−2|) in place; from there, 2 log|u| − log|α−2|
    (u²/|α−2| ≥ 8e290 there, so the log1p of its inverse, < 1.3e-291, is below an ulp).
    The branches take safe inputs; an entry below the limit gets the same bits either way."""
    u = np.divide(residual, scale)
    b = abs(alpha - 2.0)
    if np.abs(u).max(initial=0.0) < BARRON_SQUARE_LIMIT:
        np.multiply(u, u, out=u)
        u /= b
        return np.log1p(u, out=u), False
    magnitude = np.abs(u)
    near = np.minimum(magnitude, BARRON_SQUARE_LIMIT)
    near = np.log1p(near * near / b)
    far = 2.0 * np.log(np.maximum(magnitude, BARRON_SQUARE_LIMIT)) - np.log(b)
    return np.where(magnitude < BARRON_SQUARE_LIMIT, near, far), True


def barron(y_true, y_pred, *, alpha, scale, alpha_minus_infinity=False):
    """Barron's general robust loss ρ(r, α, c) = |α−2|/α · (((r/c)²/|α−2| + 1)^(α/2) − 1).

    Barron, "A General and Adaptive Robust Loss Function", CVPR 2019, eq. (1). The
    removable singularities are their limits: α = 2 gives ½(r/c)², α = 0 gives
    log(½(r/c)² + 1), α = −∞ (``alpha_minus_infinity``) gives 1 − exp(−½(r/c)²). Elsewhere
    ((1 + z)^(α/2) − 1) = expm1(α/2 · log1p(z)), which keeps its digits as α → 0 and as
    α → 2 (no difference of near-equal numbers is formed); for |α| < 1e-6 (subnormal α
    too) the prefactor |α−2|/α is cancelled against expm1's h by a series, and past
    h = 700 the exp form is used: ρ ≤ ½(r/c)² is finite wherever ½(r/c)² is.
    """
    residual = np.subtract(y_pred, y_true)
    if alpha_minus_infinity:
        # 1 − exp(−½u²) = −expm1(−½u²): accurate for small u.
        u = residual / scale
        return -np.expm1(-0.5 * u * u)
    if alpha == 2.0:
        u = residual / scale
        return 0.5 * u * u
    log_term, has_far = _barron_log_term(residual, alpha, scale)
    if alpha == 0.0:
        return log_term  # log(½(r/c)² + 1): |α − 2| = 2
    b = abs(alpha - 2.0)
    if abs(alpha) < BARRON_SERIES_ALPHA:
        # |α−2|/α · expm1(h) = |α−2|/2 · L · expm1(h)/h, the ratio by its Taylor series.
        h = log_term * (0.5 * alpha)
        ratio = h / 5.0
        ratio += 1.0
        ratio *= h / 4.0
        ratio += 1.0
        ratio *= h / 3.0
        ratio += 1.0
        ratio *= h / 2.0
        ratio += 1.0
        log_term *= 0.5 * b
        log_term *= ratio
        return log_term
    log_term *= 0.5 * alpha
    if has_far and alpha > 0.0:
        big = log_term > BARRON_EXP_FORM
        exp_form = np.exp(np.where(big, log_term, 0.0) + np.log(b / alpha))
        ratio = np.expm1(np.minimum(log_term, BARRON_EXP_FORM))
        ratio *= b / alpha
        return np.where(big, exp_form, ratio)
    np.expm1(log_term, out=log_term)
    log_term *= b / alpha
    return log_term


def barron_grad(y_true, y_pred, *, alpha, scale, alpha_minus_infinity=False):
    # dρ/dr = (r/c²) · ((r/c)²/|α−2| + 1)^(α/2 − 1); α = 2: r/c²; α = −∞: (r/c²)·exp(−½(r/c)²).
    residual = np.subtract(y_pred, y_true)
    if alpha_minus_infinity:
        u = residual / scale
        return residual / (scale * scale) * np.exp(-0.5 * u * u)
    if alpha == 2.0:
        return residual / (scale * scale)
    log_term, _ = _barron_log_term(residual, alpha, scale)
    log_term *= 0.5 * alpha - 1.0
    np.exp(log_term, out=log_term)
    residual /= scale * scale
    residual *= log_term
    return residual
