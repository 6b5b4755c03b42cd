"""The regression losses written out by hand from their formulas, for the claims tests to
recompute a page's numbers without the core: each loss ℓ(r), its pull ψ(r) = ∂ℓ/∂ŷ and the
effective weight ψ(r)/r a fit reports, with the residual r = ŷ − y.

Sources (hand-derived from each formula): MSE r², ψ = 2r; MAE |r|, ψ = sign r; Huber ½r²
within δ, δ(|r| − ½δ) beyond, ψ = clip(r, −δ, δ); pseudo-Huber δ²(√(1 + (r/δ)²) − 1),
ψ = r/√(1 + (r/δ)²); log-cosh log1p(2 sinh²(r/2)) (= log cosh r), |r| + log1p(e^(−2|r|)) −
log 2 far out, ψ = tanh r;
pinball with d = y − ŷ = −r: max(τd, (τ − 1)d), ψ = −τ below 0, 1 − τ above; Barron
(CVPR 2019, eq. 1) |α − 2|/α·(((r/c)²/|α − 2| + 1)^(α/2) − 1), its limits ½(r/c)² at α = 2,
log(½(r/c)² + 1) at α = 0, 1 − e^(−½(r/c)²) at α = −∞, and
ψ = (r/c²)·((r/c)²/|α − 2| + 1)^(α/2 − 1).

A loss added since, with no formula written here, is computed by its entry's own kernels,
which its reference test checks against hand-derived values; the claims tests then check the
sentences against those numbers, and `bends_down` reads ℓ'' from where ψ falls.
"""

from __future__ import annotations

import numpy as np

import losses

BY_HAND = ("mse", "mae", "huber", "pseudo_huber", "log_cosh", "quantile", "barron")


def _kernel(loss_id: str, params: dict, r, which: str) -> np.ndarray:
    """The entry's own per-sample value or gradient at residuals ``r`` (y = 0, ŷ = r)."""
    loss = losses.get(loss_id)
    r = np.asarray(r, dtype=np.float64)
    kernel = loss.value_fn if which == "value" else loss.grad_fn
    flat = r.reshape(-1)
    return kernel(np.zeros_like(flat), flat, **loss.resolve_params(params)).reshape(r.shape)


def _barron_parts(params: dict, r):
    u2 = (np.asarray(r, dtype=np.float64) / params["scale"]) ** 2
    return u2, params["alpha"], params.get("alpha_minus_infinity", False)


def value(loss_id: str, params: dict, r) -> np.ndarray:
    """ℓ(r) for each residual, shape like ``r``."""
    if loss_id not in BY_HAND:
        return _kernel(loss_id, params, r, "value")
    r = np.asarray(r, dtype=np.float64)
    a = np.abs(r)
    if loss_id == "mse":
        return r * r
    if loss_id == "mae":
        return a
    if loss_id == "huber":
        delta = params["delta"]
        return np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))
    if loss_id == "pseudo_huber":
        # δ²(√(1 + u²) − 1) = r²/(√(1 + u²) + 1), u = r/δ: no cancellation at small r.
        return r * r / (np.sqrt(1.0 + (r / params["delta"]) ** 2) + 1.0)
    if loss_id == "log_cosh":
        # cosh r − 1 = 2 sinh²(r/2) keeps small r's digits; far out, the |r| form.
        near = np.log1p(2.0 * np.sinh(np.minimum(a, 700.0) / 2.0) ** 2)
        return np.where(a < 700.0, near, a + np.log1p(np.exp(-2.0 * a)) - np.log(2.0))
    if loss_id == "quantile":
        tau, d = params["tau"], -r
        return np.maximum(tau * d, (tau - 1.0) * d)
    u2, alpha, welsch = _barron_parts(params, r)
    if welsch:
        return -np.expm1(-0.5 * u2)
    if alpha == 2.0:
        return 0.5 * u2
    if alpha == 0.0:
        return np.log1p(0.5 * u2)
    b = abs(alpha - 2.0)
    return b / alpha * np.expm1(0.5 * alpha * np.log1p(u2 / b))


def pull(loss_id: str, params: dict, r) -> np.ndarray:
    """ψ(r) = ∂ℓ/∂ŷ for each residual (MAE and pinball: 0 at r = 0, as the core takes it)."""
    if loss_id not in BY_HAND:
        return _kernel(loss_id, params, r, "grad")
    r = np.asarray(r, dtype=np.float64)
    if loss_id == "mse":
        return 2.0 * r
    if loss_id == "mae":
        return np.sign(r)
    if loss_id == "huber":
        return np.clip(r, -params["delta"], params["delta"])
    if loss_id == "pseudo_huber":
        return r / np.sqrt(1.0 + (r / params["delta"]) ** 2)
    if loss_id == "log_cosh":
        return np.tanh(r)
    if loss_id == "quantile":
        return np.where(r < 0, -params["tau"], np.where(r > 0, 1.0 - params["tau"], 0.0))
    return r / params["scale"] ** 2 * weight_share(loss_id, params, r)


def weight_share(loss_id: str, params: dict, r) -> np.ndarray:
    """ψ(r)/r over its limit at r → 0, for the losses where that limit is finite."""
    r = np.asarray(r, dtype=np.float64)
    a = np.abs(r)
    if loss_id not in BY_HAND:  # ψ(r)/r, the limit taken at a tiny residual
        tiny = np.where(a > 0, r, 1e-300)
        return _kernel(loss_id, params, tiny, "grad") / tiny
    if loss_id == "mse":
        return np.ones_like(r)
    if loss_id == "huber":
        return np.minimum(1.0, params["delta"] / np.where(a > 0, a, 1.0))
    if loss_id == "pseudo_huber":
        return 1.0 / np.sqrt(1.0 + (r / params["delta"]) ** 2)
    if loss_id == "log_cosh":
        return np.where(a > 0, np.tanh(a) / np.where(a > 0, a, 1.0), 1.0)
    u2, alpha, welsch = _barron_parts(params, r)
    if welsch:
        return np.exp(-0.5 * u2)
    if alpha == 2.0:
        return np.ones_like(r)
    return (u2 / abs(alpha - 2.0) + 1.0) ** (alpha / 2.0 - 1.0)


def effective_weight(loss_id: str, params: dict, residual) -> np.ndarray:
    """Each point's weight as `FitResult.effective_weight` documents it: ψ(r)/r relative to
    a point at the fit, read where `losses.fit.line._regression_weights` reads that limit,
    at r₀ = 1e-8·max |r| (so w = share(r)/share(r₀), at most 1); MAE and pinball relative to
    a point on the stronger side at m = max(median |r|, max |r|/1000),
    w = min(1, force/strongest·m/|r|); 1 on the fit."""
    residual = np.asarray(residual, dtype=np.float64)
    distance = np.abs(residual)
    spread = float(distance.max()) or 1.0
    on_fit = distance <= 1e-12 * spread
    safe = np.where(on_fit, 1.0, distance)
    if loss_id in ("mae", "quantile"):
        tau = 0.5 if loss_id == "mae" else params["tau"]
        force = np.where(residual < 0, tau, 1.0 - tau)  # r < 0: the point is above the line
        m = max(float(np.median(distance)), 1e-3 * spread)
        weight = np.minimum(1.0, force / max(tau, 1.0 - tau) * m / safe)
    else:
        at_fit = weight_share(loss_id, params, np.array([1e-8 * spread]))[0]
        weight = np.minimum(1.0, weight_share(loss_id, params, residual) / at_fit)
    return np.where(on_fit, 1.0, weight)


def cost(loss_id: str, params: dict, x, y, intercept: float, slope: float) -> float:
    """J of the line ŷ = intercept + slope·x: the mean of ℓ over the points."""
    residual = intercept + slope * np.asarray(x, dtype=np.float64) - np.asarray(y, np.float64)
    return float(np.mean(value(loss_id, params, residual)))


def bends_down(loss_id: str, params: dict) -> bool:
    """Whether ℓ''(r) < 0 at some residual, by hand: Barron's ℓ'' is
    (1/c²)·(s + 1)^(α/2 − 2)·(1 + (α − 1)s) with s = (r/c)²/|α − 2|, negative for large s
    exactly when α < 1; Welsch's (1/c²)·e^(−u²/2)·(1 − u²) for |u| > 1. Every other
    regression loss has ℓ'' ≥ 0 (2, 0, 1 or 0, (1 + (r/δ)²)^(−3/2), sech² r, 0)."""
    if loss_id not in BY_HAND:  # ℓ'' < 0 where ψ falls, over residuals from 1e-6 to 1e12
        r = np.geomspace(1e-6, 1e12, 2000)
        return bool(np.any(np.diff(pull(loss_id, params, r)) < 0.0))
    if loss_id != "barron":
        return False
    if params["alpha_minus_infinity"]:
        return True
    alpha = params["alpha"]
    if alpha == 2.0:
        return False  # the L2 limit: ℓ'' = 1/c² everywhere (hand-derived)
    s = np.geomspace(1e-6, 1e12, 400) / abs(alpha - 2.0)
    return bool(np.any(1.0 + (alpha - 1.0) * s < 0.0))
