"""Barron's general and adaptive robust loss (CVPR 2019): its named cases, its removable
singularities at α = 0 and α = 2 (and the limit α → −∞), its exact gradient, the scale c,
and extreme residuals.

References: the closed forms of the named cases are hand-derived from the paper's eq. (1)
(and its Table/fig. 1); the values near the singularities are the general formula evaluated
in 60-digit decimal arithmetic (Python's `decimal`), so they test the core's stability, not
its own limit code; pseudo-Huber is `scipy.special.pseudo_huber`.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
import scipy.special
from hypothesis import example, given, settings
from hypothesis import strategies as st

import losses

BARRON = losses.get("barron")
R = np.array([-40.0, -3.1, -1.3, -0.55, -0.17, -1e-4, 1e-7, 0.12, 0.45, 0.8, 1.6, 3.1, 250.0])


def rho(r, **params):
    return BARRON.value(np.zeros_like(r), r, **params)


def psi(r, **params):
    return BARRON.grad(np.zeros_like(r), r, **params)


def decimal_barron(r: float, alpha: float, c: float) -> tuple[float, float]:
    """ρ and dρ/dr by the general formula, in decimals (α ∉ {0, 2}): 60 digits, plus as many
    as log(1 + u²/b) (u = r/c) and exp(α/2 · log(·)) − 1 cancel when u² or α is tiny, so a
    subnormal α or r keeps 60 digits too."""
    with localcontext() as context:
        r, a, c = Decimal(r), Decimal(alpha), Decimal(c)
        context.prec = 60
        u_squared = (r / c) ** 2
        cancelled = max(0, -u_squared.adjusted()) if r else 0
        context.prec = 60 + cancelled + max(0, -a.adjusted())
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
        R / c**2 * np.exp(-0.5 * u**2),
        rtol=1e-12,
    )


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
        rho(r, alpha=1.0, scale=1.0, alpha_minus_infinity=True),
        atol=1e-6,
    )


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
        np.testing.assert_allclose(
            rho(R, alpha=alpha, scale=c), rho(R / c, alpha=alpha, scale=1.0), rtol=1e-12
        )
        np.testing.assert_allclose(
            psi(R, alpha=alpha, scale=c), psi(R / c, alpha=alpha, scale=1.0) / c, rtol=1e-12
        )


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
    for params in (
        {"alpha": 2.0},
        {"alpha": 1.0},
        {"alpha": 1.5},
        {"alpha": 0.99},
        {"alpha": 0.0},
        {"alpha": -5.0},
        {"alpha_minus_infinity": True},
    ):
        values = rho(r, scale=1.0, **params)
        second = values[2:] - 2.0 * values[1:-1] + values[:-2]
        assert BARRON.is_convex(params) == bool((second >= -1e-15).all()), params
    assert all(losses.get(loss_id).is_convex({}) for loss_id in ("mse", "mae", "huber"))


# ---------------------------------------------------------------- every legal α, subnormal too

# The legal α (the registry's [−10, 2]) with the ones a float path can trip on: subnormal
# (5e-324 is the least float, 1.1e-308 sits below the least normal 2.2e-308), ±1e-300, the
# float next to 2 and next to 0's series limit 1e-6.
EDGE_ALPHAS = [
    *(5e-324, -5e-324, 1.1e-308, -1.1e-308, 1e-300, -1e-300, 2.2250738585072014e-308),
    *(9.99e-7, 1e-6, -1e-6, 1e-13, 2.0 - 2.0**-52, 2.0 - 1e-10, 1.999999, -10.0, 1.0),
]
ALPHAS = st.one_of(
    st.sampled_from(EDGE_ALPHAS),
    st.floats(min_value=-10.0, max_value=2.0),
    st.floats(min_value=-1e-6, max_value=1e-6),
)
EPS = 2.0**-52  # float64's machine epsilon
SCALES = st.floats(min_value=1e-100, max_value=1e100)
# u = r/c up to 1e150: ½u² (≥ ρ at every α ≤ 2, paper §2) is a float there, and
# r/c² = u/c (≥ |dρ/dr|) too for c ≥ 1e-100.
SCALED_RESIDUALS = st.floats(min_value=-1e150, max_value=1e150)


def one(what, r: float, **params) -> float:
    return float(what(np.array([r]), **params)[0])


@settings(max_examples=150, deadline=None)
@given(alpha=ALPHAS, u=SCALED_RESIDUALS, c=SCALES)
@example(alpha=1.1e-308, u=0.0, c=1.0)  # issue 25: NaN (0 · ∞: b/α overflowed, α/2 · 0)
@example(alpha=1.1e-308, u=1.0, c=1.0)  # issue 25: inf (2/1.1e-308 overflows)
@example(alpha=5e-324, u=1.0, c=1.0)  # α/2 rounds to 0: h = 0, ρ = L
@example(alpha=2.0 - 1e-10, u=1e150, c=1.0)  # was inf: u²/|α − 2| = 1e300/1e-10 overflowed
@example(alpha=2.0 - 1e-10, u=1e150 * 1.3, c=1.0)  # expm1(h) past 709.78, ρ ≈ 8e299
@example(alpha=-10.0, u=1e-160, c=1e-100)  # u² underflows; ρ ≈ u²/2 ≈ 0 within 1e-300
def test_every_legal_alpha_gives_the_formula_finite(alpha, u, c):
    r = u * c
    params = {"alpha": alpha, "scale": c}
    value, grad = one(rho, r, **params), one(psi, r, **params)
    assert math.isfinite(value) and math.isfinite(grad), (value, grad)
    u = r / c
    # 0 ≤ ρ ≤ ½u², hand-derived with s = u²/b: for 0 < α < 2 Bernoulli's (1 + s)^p ≤ 1 + ps
    # (p = α/2); for α < 0, 1 − (1 + s)^(−q) ≤ q log(1 + s) ≤ qs (q = −α/2); either way
    # ρ ≤ (b/|α|)(|α|/2)(u²/b) = ½u².
    assert 0.0 <= value <= 0.5 * u * u * (1.0 + 8e-16) + 1e-300
    if alpha in (0.0, 2.0):
        return  # the closed forms, checked above
    expected_value, expected_grad = decimal_barron(r, alpha, c)
    # atol: a subnormal intermediate (u² below 2.2e-308, or α/2 · L) keeps its absolute
    # spacing 4.9e-324, scaled by b/|α| ≤ 2e6 outside the series: below 1e-316 in ρ.
    assert value == pytest.approx(expected_value, rel=1e-10, abs=1e-300)
    # dρ/dr = (r/c²) · w, w = exp((α/2 − 1)L) ∈ [0, 1] to within the subnormal spacing.
    assert grad == pytest.approx(expected_grad, rel=1e-10, abs=abs(r) / c**2 * 1e-300)


@settings(max_examples=100, deadline=None)
@given(
    alpha=st.one_of(st.sampled_from(EDGE_ALPHAS[:10]), st.floats(min_value=-1e-6, max_value=1e-6)),
    u=st.floats(min_value=-1e100, max_value=1e100),
    c=st.floats(min_value=1e-3, max_value=1e3),
)
@example(alpha=1.1e-308, u=0.0, c=1.0)  # issue 25
@example(alpha=1.1e-308, u=1.0, c=1.0)
def test_near_alpha_zero_the_loss_is_within_its_distance_of_cauchy(alpha, u, c):
    # Hand-derived: ρ = (b/2) L φ(h), b = 2 − α, L = log1p(u²/b), h = αL/2, φ(h) = expm1(h)/h.
    # ∂ρ/∂α = −½Lφ + (b/2)L'φ + (b/2)Lφ'(h)(L + αL')/2 with 0 ≤ L' = u²/(b(b + u²)) ≤ 1/b,
    # and for |α| ≤ 1e-6 (|h| ≤ 7.1e-4) φ ≤ 1.001, φ' ≤ 0.501: |∂ρ/∂α| ≤ ½ + L + L²/2 + …,
    # below (1 + L₀)², so |ρ(α) − ρ(0)| ≤ |α|(1 + L₀)² (mean value theorem), plus rounding.
    # dρ/dr = (r/c²) e^((α/2 − 1)L): its exponent moves by ≤ |α|L/2 + |α|/b ≤ |α|(1 + L₀).
    # Rounding: a few ulps, and e^(−L) carries L's rounding, L·ε, as a relative error.
    r = u * c
    u = r / c
    cauchy = math.log1p(0.5 * u * u)  # α = 0, hand-derived from eq. (1): log(½u² + 1)
    cauchy_grad = 2.0 * r / (r * r + 2.0 * c * c)  # its derivative in r
    value = one(rho, r, alpha=alpha, scale=c)
    grad = one(psi, r, alpha=alpha, scale=c)
    assert abs(value - cauchy) <= abs(alpha) * (1.0 + cauchy) ** 2 + 8e-16 * cauchy + 1e-300
    distance = 2.0 * abs(alpha) * (1.0 + cauchy) + (4.0 + 2.0 * cauchy) * EPS
    assert abs(grad - cauchy_grad) <= distance * abs(cauchy_grad) + 1e-300


@settings(max_examples=100, deadline=None)
@given(
    b=st.one_of(
        st.sampled_from([2.0**-52, 1e-10, 1e-6]), st.floats(min_value=2.0**-52, max_value=1e-6)
    ),
    u=st.floats(min_value=-1e100, max_value=1e100),
    c=st.floats(min_value=1e-3, max_value=1e3),
)
def test_near_alpha_two_the_loss_is_within_its_distance_of_least_squares(b, u, c):
    # Hand-derived, with b = 2 − α, s = u²/b, L = log(1 + s): Bernoulli gives
    # (1 + s)^(α/2) ≤ 1 + (α/2)s, so ρ ≤ ½u²; and (1 + s)^(−b/2) ≥ 1 − (b/2)L (e^−x ≥ 1 − x)
    # gives ρ ≥ u²/α − (b/(2α))(b + u²)L ≥ ½u² − (b/(2α))(b + u²)L. For dρ/dr = (r/c²)(1 + s)^(−b/2)
    # the same two bounds give (r/c²)(1 − (b/2)L) ≤ … ≤ r/c² (for r ≥ 0; mirrored for r < 0).
    alpha = 2.0 - b
    b = 2.0 - alpha  # exact (Sterbenz), the b the core sees
    r = u * c
    u = r / c
    least_squares = 0.5 * u * u  # α = 2: ½u²
    log_term = math.log1p(u * u / b)
    value = one(rho, r, alpha=alpha, scale=c)
    grad = one(psi, r, alpha=alpha, scale=c)
    # Rounding: a few ulps, and (b/α) expm1(αL/2) carries L's rounding, L·ε, as a relative error.
    rounding = (4.0 + 2.0 * log_term) * EPS * least_squares + 1e-300
    assert value <= least_squares + rounding
    assert least_squares - value <= b / (2.0 * alpha) * (b + u * u) * log_term + rounding
    slope = r / c**2  # α = 2: r/c²
    assert abs(grad) <= abs(slope) * (1.0 + 4.0 * EPS)
    assert abs(slope - grad) <= abs(slope) * (b / 2.0 * log_term + 4.0 * EPS) + 1e-300


@settings(max_examples=100, deadline=None)
@given(alpha=ALPHAS, u=st.floats(min_value=-30.0, max_value=30.0), c=st.floats(0.05, 20.0))
@example(alpha=1.1e-308, u=1.0, c=1.0)  # issue 25
@example(alpha=5e-324, u=0.0, c=1.0)
def test_gradient_matches_fourth_order_differences_at_every_alpha(alpha, u, c):
    # Barron's ρ is smooth in r (no kink), so any r will do; steps of 1e-3 in u = r/c.
    # Truncation is ~h⁴ρ⁽⁵⁾/30 ≤ 1e-12 · max|ρ⁽⁵⁾(u)| and rounding ~ε·max ρ/h ≤ 1e-13 · ½u²,
    # both below 1e-9 for |u| ≤ 30 (in u's units: dρ/du = c · dρ/dr).
    step = 1e-3
    f = lambda shift: one(rho, (u + shift) * c, alpha=alpha, scale=c)  # noqa: E731
    numeric = (-f(2 * step) + 8 * f(step) - 8 * f(-step) + f(-2 * step)) / (12 * step)
    analytic = one(psi, u * c, alpha=alpha, scale=c) * c
    assert analytic == pytest.approx(numeric, rel=1e-7, abs=1e-8)
