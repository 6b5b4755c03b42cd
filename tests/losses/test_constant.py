"""losses.fit.constant.best_constant: what each regression loss estimates.

References: numpy's mean, median and quantile (method="inverted_cdf", the pinball
minimiser), and scipy.optimize.minimize_scalar on the core's cost for the smooth losses; a
brute-force grid for the non-convex Barron cases.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize

import losses
from losses.fit.constant import best_constant

RNG = np.random.default_rng(11)
WITH_OUTLIERS = np.concatenate([RNG.normal(0.0, 1.0, 95), RNG.normal(20.0, 1.0, 5)])
ODD = RNG.normal(3.0, 2.0, 41)


def cost(values, loss_id, constant, **params):
    return losses.get(loss_id).cost(values, np.full_like(values, constant), **params)


@pytest.mark.parametrize("values", [WITH_OUTLIERS, ODD], ids=["even n, outliers", "odd n"])
def test_mse_is_the_mean_and_mae_the_median(values):
    assert best_constant(values, "mse") == pytest.approx(np.mean(values), rel=1e-15)
    assert best_constant(values, "mae") == pytest.approx(np.median(values), rel=1e-15)


@pytest.mark.parametrize("tau", [0.1, 0.37, 0.9, 0.95])
@pytest.mark.parametrize("values", [WITH_OUTLIERS, ODD], ids=["n=100", "n=41"])
def test_quantile_is_a_pinball_minimiser(values, tau):
    found = best_constant(values, "quantile", tau=tau)
    lowest = np.quantile(values, tau, method="inverted_cdf")  # numpy: the smallest minimiser
    ordered = np.sort(values)
    if float(values.size * tau).is_integer():  # a flat bottom: any point between two values
        upper = ordered[np.searchsorted(ordered, lowest, side="right")]
        assert lowest <= found <= upper
    else:
        assert found == lowest
    assert (
        cost(values, "quantile", found, tau=tau)
        <= cost(values, "quantile", lowest, tau=tau) + 1e-15
    )


@pytest.mark.parametrize(
    ("loss_id", "params"),
    [
        ("huber", {}),
        ("huber", {"delta": 0.3}),
        ("pseudo_huber", {"delta": 2.0}),
        ("log_cosh", {}),
        ("barron", {"alpha": 1.0}),
        ("barron", {"alpha": 1.7, "scale": 0.5}),
        ("barron", {"alpha": 2.0}),
    ],
)
def test_smooth_losses_match_scipy(loss_id, params):
    found = best_constant(WITH_OUTLIERS, loss_id, **params)
    reference = scipy.optimize.minimize_scalar(
        lambda c: cost(WITH_OUTLIERS, loss_id, c, **params),
        bounds=(WITH_OUTLIERS.min(), WITH_OUTLIERS.max()),
        method="bounded",
        options={"xatol": 1e-12},
    ).x
    assert found == pytest.approx(reference, abs=1e-6)
    assert (
        cost(WITH_OUTLIERS, loss_id, found, **params)
        <= cost(WITH_OUTLIERS, loss_id, reference, **params) + 1e-13
    )


@pytest.mark.parametrize(
    "params", [{"alpha": -2.0}, {"alpha": 0.0}, {"alpha_minus_infinity": True}, {"alpha": 0.5}]
)
def test_non_convex_barron_finds_the_global_minimum(params):
    # Two clusters: 60 values near 0 and 40 near 10 (hand-made). With c = 1 each cluster is a
    # valley of the cost; the larger one, near 0, is the global minimum, and the mean (4) is
    # in neither. A brute-force grid of 200,001 points is the reference.
    values = np.concatenate([np.linspace(-0.5, 0.5, 60), np.linspace(9.5, 10.5, 40)])
    found = best_constant(values, "barron", **params)
    grid = np.linspace(-1.0, 11.0, 200_001)
    costs = [cost(values, "barron", point, **params) for point in grid[::50]]
    coarse = grid[::50][int(np.argmin(costs))]
    assert abs(found) < 0.6  # in the big cluster's valley
    assert abs(found - coarse) < 0.01
    assert cost(values, "barron", found, **params) <= min(costs) + 1e-12


def test_a_constant_column_is_its_own_estimate_and_empty_data_is_refused():
    for loss_id in losses.by_task("regression"):
        assert best_constant(np.full(5, 2.5), loss_id.id) == 2.5
    with pytest.raises(ValueError, match="values is empty"):
        best_constant(np.array([]), "huber")
