"""Barron's general and adaptive robust loss (CVPR 2019): its named cases, its removable
singularities at α = 0 and α = 2 (and the limit α → −∞), its exact gradient, the scale c,
and extreme residuals.

References: the closed forms of the named cases are hand-derived from the paper's eq. (1)
(and its Table/fig. 1); the values near the singularities are the general formula evaluated
in 60-digit decimal arithmetic (Python's `decimal`), so they test the core's stability, not
its own limit code; pseudo-Huber is `scipy.special.pseudo_huber`.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import pytest
import scipy.special

import losses

BARRON = losses.get("barron")
R = np.array([-40.0, -3.1, -1.3, -0.55, -0.17, -1e-4, 1e-7, 0.12, 0.45, 0.8, 1.6, 3.1, 250.0])


def rho(r, **params):
    return BARRON.value(np.zeros_like(r), r, **params)


def psi(r, **params):
    return BARRON.grad(np.zeros_like(r), r, **params)


def decimal_barron(r: float, alpha: float, c: float) -> tuple[float, float]:
    """ρ and dρ/dr by the general formula, in 60-digit decimals (α ∉ {0, 2})."""
    with localcontext() as context:
        context.prec = 60
        r, a, c = Decimal(r), Decimal(alpha), Decimal(c)
        b = abs(a - 2)
        base = (r / c) ** 2 / b + 1
        value = b / a * ((base.ln() * a / 2).exp() - 1)
        grad = r / c**2 * (base.ln() * (a / 2 - 1)).exp()
        return float(value), float(grad)


@pytest.mark.parametrize("c", [1.0, 0.3, 4.0])
def test_each_named_case_is_its_closed_form(c):
    u = R / c
    # Hand-derived from eq. (1): α = 2 → ½u²; α = 1 → √(u² + 1) − 1 = u²/(√(u² + 1) + 1);
    # α = 0 → log(½u² + 1); α = −2 → 2u²/(u² + 4) (Geman–McClure); α → −∞ → 1 − exp(−½u²)
    # (Welsch). Written without cancellation (log1p, expm1), so tiny u keep their digits.
    cases = {
        2.0: (0.5 * u**2, R / c**2),
        1.0: (u**2 / (np.sqrt(u**2 + 1.0) + 1.0), R / c**2 / np.sqrt(u**2 + 1.0)),
        0.0: (np.log1p(0.5 * u**2), 2.0 * R / (R**2 + 2.0 * c**2)),
        -2.0: (2.0 * u**2 / (u**2 + 4.0), 16.0 * R * c**2 / (R**2 + 4.0 * c**2) ** 2),
    }
    for alpha, (value, grad) in cases.items():
        np.testing.assert_allclose(rho(R, alpha=alpha, scale=c), value, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(psi(R, alpha=alpha, scale=c), grad, rtol=1e-12, atol=1e-300)
    welsch = rho(R, alpha=1.0, scale=c, alpha_minus_infinity=True)
    np.testing.assert_allclose(welsch, -np.expm1(-0.5 * u**2), rtol=1e-12)
    np.testing.assert_allclose(
        psi(R, alpha=1.0, scale=c, alpha_minus_infinity=True),
        R / c**2 * np.exp(-0.5 * u**2), rtol=1e-12,
    )  # fmt: skip


def test_alpha_one_is_pseudo_huber_over_c_squared():
    for c in (0.5, 1.0, 3.0):
        expected = scipy.special.pseudo_huber(c, R) / c**2  # scipy: c²(√(1 + (r/c)²) − 1)
        np.testing.assert_allclose(rho(R, alpha=1.0, scale=c), expected, rtol=1e-12)


@pytest.mark.parametrize("alpha", [2.0 - 1e-8, 1e-8, -1e-8, 2.0 - 1e-12, 1e-13])
@pytest.mark.parametrize("c", [1.0, 0.4])
def test_near_the_singularities_the_values_keep_their_digits(alpha, c):
    # The true ρ at α₀ ± 1e-8 differs from the limit by about 1e-8 × ∂ρ/∂α, so the check is
    # against the formula itself, evaluated in 60 digits: a naive ((·)^(α/2) − 1)/α loses
    # ~8 digits here; the core must keep 1e-10.
    r = R[np.abs(R) < 300]
    expected = np.array([decimal_barron(x, alpha, c) for x in r])
    np.testing.assert_allclose(rho(r, alpha=alpha, scale=c), expected[:, 0], rtol=1e-10)
    np.testing.assert_allclose(psi(r, alpha=alpha, scale=c), expected[:, 1], rtol=1e-10)


@pytest.mark.parametrize("alpha_0", [0.0, 2.0])
def test_both_sides_of_a_singularity_meet_its_limit(alpha_0):
    # 1e-8 away in α, within 1e-6 of the limit, on both sides where α may go (α ≤ 2). At
    # α = 0, where ρ is analytic in α, the approach is linear: 100× closer in α is ~100×
    # closer in value (≥ 50× asked). At α = 2 it is not (|α − 2| sits inside a log: like
    # ε·log(1/ε) for (r/c)² ≫ ε, like (r/c)²/2 for (r/c)² ≪ ε), so only the distance is asked
    # there; the digits themselves are checked against 60-digit decimals above.
    r = R[np.abs(R) <= 3.1]
    for what in (rho, psi):
        at_limit = what(r, alpha=alpha_0, scale=1.0)
        for side in (-1.0, 1.0) if alpha_0 == 0.0 else (-1.0,):
            far = np.abs(what(r, alpha=alpha_0 + side * 1e-6, scale=1.0) - at_limit)
            near = np.abs(what(r, alpha=alpha_0 + side * 1e-8, scale=1.0) - at_limit)
            if alpha_0 == 0.0:
                assert (near <= far / 50 + 1e-15).all(), (what, side)
            assert (near <= 1e-6 * np.maximum(1.0, np.abs(at_limit))).all(), (what, side)


def test_minus_infinity_is_the_limit_of_very_negative_alpha():
    # ρ(α) → 1 − exp(−½u²) as α → −∞ (paper, eq. 1's limit); at α = −1e8 within ~1e-7.
    r = R[np.abs(R) <= 3.1]
    np.testing.assert_allclose(
        BARRON.value_fn(np.zeros_like(r), r, alpha=-1e8, scale=1.0),
        rho(r, alpha=1.0, scale=1.0, alpha_minus_infinity=True), atol=1e-6,
    )  # fmt: skip


@pytest.mark.parametrize("alpha", [-10.0, -3.3, -0.7, 0.5, 1.5, 1.9])
@pytest.mark.parametrize("c", [1.0, 0.6])
def test_gradient_matches_fourth_order_finite_differences(alpha, c):
    r = R[np.abs(R) <= 3.1]
    h = 1e-3 * np.maximum(1.0, np.abs(r))
    f = lambda shift: rho(r + shift, alpha=alpha, scale=c)  # noqa: E731
    numeric = (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)
    np.testing.assert_allclose(psi(r, alpha=alpha, scale=c), numeric, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("alpha", [-5.0, -2.0, 0.0, 0.5, 1.0, 2.0])
def test_c_scales_the_residual(alpha):
    # Paper: ρ(x, α, c) depends on x/c only; so dρ/dx at scale c is (1/c)·ρ'(x/c) at scale 1.
    for c in (0.25, 3.0):
        np.testing.assert_allclose(rho(R, alpha=alpha, scale=c), rho(R / c, alpha=alpha, scale=1.0),
                                   rtol=1e-12)  # fmt: skip
        np.testing.assert_allclose(psi(R, alpha=alpha, scale=c),
                                   psi(R / c, alpha=alpha, scale=1.0) / c, rtol=1e-12)  # fmt: skip


@pytest.mark.parametrize(
    "params",
    [{"alpha": a} for a in (-10.0, -2.0, 0.0, 1e-9, 0.5, 1.0, 1.999999, 2.0)]
    + [{"alpha_minus_infinity": True}],
)
def test_finite_at_extreme_residuals(params):
    r = np.array([-1e6, -1e3, 0.0, 1e-300, 1e3, 1e6])
    for c in (0.01, 1.0, 100.0):
        value, grad = rho(r, scale=c, **params), psi(r, scale=c, **params)
        assert np.isfinite(value).all() and np.isfinite(grad).all(), (params, c)
        assert value[2] == 0.0 and grad[2] == 0.0
        assert (value >= 0).all()


def test_monotone_in_alpha():
    # Paper, §2: ρ is monotonic in α (a larger α never gives a smaller loss).
    alphas = [-10.0, -4.0, -2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0]
    values = np.array([rho(R, alpha=alpha, scale=1.0) for alpha in alphas])
    assert (np.diff(values, axis=0) >= -1e-15).all()
    welsch = rho(R, alpha=1.0, scale=1.0, alpha_minus_infinity=True)
    assert (welsch <= values[0] + 1e-15).all()


def test_the_convexity_rule_matches_the_second_difference():
    # Barron: convex in r exactly when α ≥ 1. Checked against the loss itself: the second
    # central difference of ρ on a grid is ≥ 0 everywhere for α ≥ 1 and negative somewhere
    # (far out, where a point's pull shrinks) for α < 1 and for α = −∞.
    r = np.linspace(-20.0, 20.0, 4001)
    for params in ({"alpha": 2.0}, {"alpha": 1.0}, {"alpha": 1.5}, {"alpha": 0.99},
                   {"alpha": 0.0}, {"alpha": -5.0}, {"alpha_minus_infinity": True}):  # fmt: skip
        values = rho(r, scale=1.0, **params)
        second = values[2:] - 2.0 * values[1:-1] + values[:-2]
        assert BARRON.is_convex(params) == bool((second >= -1e-15).all()), params
    assert all(losses.get(loss_id).is_convex({}) for loss_id in ("mse", "mae", "huber"))
