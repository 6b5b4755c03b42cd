"""The Huber δ lab's numbers: zones, limits and the δ sweep (lessons/huber_lab.py)."""

import numpy as np
import pytest
import scipy.optimize
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import losses
from lessons import huber_lab, robustness
from losses.data import make_regression
from losses.fit import fit_line
from tests.losses.line_references import huber_line_by_scipy, quantile_line_by_sklearn


def test_quadratic_zone_includes_the_boundary():
    # Hand-derived: |r| ≤ δ with δ = 1; the boundary |r| = 1 is quadratic (both branches agree).
    zone = huber_lab.quadratic_zone([-2.0, -1.0, 0.0, 0.5, 1.0, 1.5], 1.0)
    np.testing.assert_array_equal(zone, [False, True, True, True, True, False])


@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=30),
    st.floats(1e-2, 1e2),
)
def test_quadratic_zone_is_where_huber_equals_half_mse(residual, delta):
    residual = np.array(residual)
    huber = losses.get("huber").value(np.zeros_like(residual), residual, delta=delta)
    zone = huber_lab.quadratic_zone(residual, delta)
    # Hand-derived: inside, Huber is ½r²; outside, ½r² − Huber = ½(|r| − δ)² > 0.
    # atol: ½r² of a tiny r is subnormal, where float64 keeps only a few digits.
    np.testing.assert_allclose(huber[zone], 0.5 * residual[zone] ** 2, rtol=1e-12, atol=1e-300)
    gap = 0.5 * residual[~zone] ** 2 - huber[~zone]
    expected_gap = 0.5 * (np.abs(residual[~zone]) - delta) ** 2
    np.testing.assert_allclose(gap, expected_gap, rtol=1e-9, atol=1e-9)


def test_huber_limits_are_half_mse_and_delta_mae():
    r = np.array([-3.0, -0.5, 0.0, 0.25, 2.0])
    limits = huber_lab.huber_limits(r, 0.5)
    # Hand-derived: ½r² with gradient r; δ|r| with gradient δ·sign(r).
    np.testing.assert_allclose(limits.half_mse[0], 0.5 * r**2)
    np.testing.assert_allclose(limits.half_mse[1], r)
    np.testing.assert_allclose(limits.delta_mae[0], 0.5 * np.abs(r))
    np.testing.assert_allclose(limits.delta_mae[1], 0.5 * np.sign(r))
    # scipy.special.huber(δ, r) is Huber's loss; its gradient is clip(r, −δ, δ) (hand).
    np.testing.assert_allclose(limits.huber[0], scipy.special.huber(0.5, r))
    np.testing.assert_allclose(limits.huber[1], np.clip(r, -0.5, 0.5))


def test_huber_beyond_delta_is_delta_mae_minus_half_delta_squared():
    r = np.array([-7.0, 3.0, 10.0])
    limits = huber_lab.huber_limits(r, 2.0)
    # Hand-derived: δ(|r| − ½δ) = δ|r| − ½δ², here − 2.
    np.testing.assert_allclose(limits.huber[0], limits.delta_mae[0] - 2.0)


def test_zone_notes_name_the_limit_the_fit_reaches():
    residual = np.array([0.1, -0.2, 0.3, 5.0])
    huber = {"slope": 2.0, "intercept": 1.1}
    lines = (huber, {"slope": 2.0, "intercept": 1.0}, {"slope": 2.5, "intercept": 3.0})
    assert "least-squares" in huber_lab.zone_notes(residual, 10.0, *lines)[0]
    # Hand-derived: 0.1 from MAE's intercept against 1.9 from least squares'; slope equal.
    few = huber_lab.zone_notes(residual, 0.01, *lines)[0]
    assert "0 of 4" in few and "nearer the MAE line than the least-squares line" in few
    assert huber_lab.zone_notes(residual, 1.0, *lines) == []


@pytest.fixture(scope="module")
def data():
    return make_regression(120, outlier_fraction=0.2, seed=3)


def test_sweep_limits_are_least_squares_and_median_lines(data):
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    sweep = huber_lab.delta_sweep(x, y, [0.01, 1.0, 100.0])
    slope, intercept = np.polyfit(x, y, 1)  # numpy least squares
    assert sweep.mse["slope"] == pytest.approx(slope, rel=1e-10)
    assert sweep.mse["intercept"] == pytest.approx(intercept, rel=1e-10)
    mae_intercept, mae_slope = quantile_line_by_sklearn(x, y, 0.5)
    assert sweep.mae["slope"] == pytest.approx(mae_slope, rel=1e-6)
    assert sweep.mae["intercept"] == pytest.approx(mae_intercept, rel=1e-6)
    # Every residual of these data is below 100, so Huber at δ = 100 is least squares.
    assert sweep.slopes[-1] == pytest.approx(slope, rel=1e-9)
    assert sweep.intercepts[-1] == pytest.approx(intercept, rel=1e-9)


@pytest.mark.parametrize("delta", [0.01, 1.0, 5.0])
def test_sweep_matches_scipy_minimising_huber(data, delta):
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    sweep = huber_lab.delta_sweep(x, y, [delta])
    intercept, slope = huber_line_by_scipy(x, y, delta)
    assert sweep.slopes[0] == pytest.approx(slope, abs=1e-5)
    assert sweep.intercepts[0] == pytest.approx(intercept, abs=1e-5)


def test_sweep_with_tiny_delta_approaches_the_mae_line(data):
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    sweep = huber_lab.delta_sweep(x, y, [1e-4])
    mae_intercept, mae_slope = quantile_line_by_sklearn(x, y, 0.5)
    # Huber/δ → |r| as δ → 0 (Huber 1964), so the line tends to the L1 line.
    assert sweep.slopes[0] == pytest.approx(mae_slope, abs=1e-3)
    assert sweep.intercepts[0] == pytest.approx(mae_intercept, abs=1e-2)


def test_delta_readout_counts_the_zone_and_prints_four_decimals():
    # Hand-derived: the line ŷ = x at x = 0, 1, 2, 3 against y = 0, 1.5, 2, 10 leaves
    # r = ŷ − y = 0, −0.5, 0, −7: within δ = 1 three of four; |−0.5| ≤ 0.5 counts (the
    # boundary is quadratic); within 0.25 two.
    residual = np.array([0.0, 1.0, 2.0, 3.0]) - np.array([0.0, 1.5, 2.0, 10.0])
    readout = huber_lab.delta_readout(residual, 1.0, 1.0, 2.5, -0.25)
    assert readout == (
        ("points with |r| ≤ δ (quadratic)", "3 of 4"),
        ("Huber slope", "1.0000"),
        ("MSE slope (δ → ∞)", "2.5000"),
        ("MAE slope (δ → 0)", "-0.2500"),
    )
    assert huber_lab.delta_readout(residual, 0.5, 1.0, 2.5, -0.25)[0][1] == "3 of 4"
    assert huber_lab.delta_readout(residual, 0.25, 1.0, 2.5, -0.25)[0][1] == "2 of 4"


def test_the_readout_at_every_sweep_delta_is_the_readout_of_that_deltas_own_fit(data):
    # What the scrubber shows before the rerun (sweep_readouts, from the sweep's lines) is
    # what the rerun prints: delta_readout of fit_line at that δ (the fit the page's
    # regression_fit makes), on the residuals lessons.robustness.residuals takes.
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    deltas = [0.01, 0.4, 1.0, 2.5, 6.3, 100.0]
    readouts = huber_lab.sweep_readouts(x, y, huber_lab.delta_sweep(x, y, deltas))
    mse, mae = fit_line(x, y, "mse").params, fit_line(x, y, "mae").params
    for delta, readout in zip(deltas, readouts, strict=True):
        line = fit_line(x, y, "huber", delta=delta).params
        residual = robustness.residuals(x, y, line)
        assert readout == huber_lab.delta_readout(
            residual, delta, line["slope"], mse["slope"], mae["slope"]
        ), delta
    # numpy's least squares is the MSE line; at δ = 100 every residual of these data is
    # within δ (test_sweep_limits_are_least_squares_and_median_lines), so Huber's too.
    least_squares = f"{np.polyfit(x, y, 1)[0]:.4f}"
    assert readouts[-1][2] == ("MSE slope (δ → ∞)", least_squares)
    assert readouts[-1][:2] == (
        ("points with |r| ≤ δ (quadratic)", f"{y.size} of {y.size}"),
        ("Huber slope", least_squares),
    )
