"""The regression page's CSV: each point's numbers, as the core computes them."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import losses
from lessons import export
from losses import data, fit


@pytest.mark.parametrize("loss_id,params", [("mse", {}), ("huber", {"delta": 1.5}), ("mae", {})])
def test_the_table_s_numbers(loss_id, params):
    frame = data.with_added_points(data.make_regression(n=60, outlier_fraction=0.2), [(5.0, 40.0)])
    result = fit.fit_regression(frame, loss_id, **params)
    table = export.regression_points(frame, loss_id, params, result)
    assert len(table) == 61 and table["is_added"].sum() == 1
    # Residual by hand: r = ŷ − y = (a + b·x) − y, the sign of every chart and lesson.
    a, b = result.params["intercept"], result.params["slope"]
    residual = table["residual r = prediction - y"]
    np.testing.assert_allclose(residual, (a + b * frame["x"]) - frame["y"], rtol=1e-15)
    if loss_id == "mse":  # hand-derived: ∂(ŷ − y)²/∂ŷ = 2r, so the two columns agree in sign
        np.testing.assert_allclose(table["gradient"], 2 * residual, rtol=1e-12, atol=1e-12)
    # The loss column's mean is the fit's final cost (losses.fit records it independently).
    assert table["loss"].mean() == pytest.approx(result.cost_history[-1], rel=1e-12)
    # The gradient is ∂ℓ/∂ŷ: central finite differences of the loss, away from kinks.
    loss, h = losses.get(loss_id), 1e-6
    y, p = frame["y"].to_numpy(), table["prediction"].to_numpy()
    away = np.abs(y - p) > 1e-3
    numeric = (loss.value(y, p + h, **params) - loss.value(y, p - h, **params)) / (2 * h)
    np.testing.assert_allclose(table["gradient"][away], numeric[away], rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(table["weight"], result.effective_weight)


def test_the_csv_round_trips_exactly():
    frame = data.make_regression(n=30)
    result = fit.fit_regression(frame, "mse")
    table = export.regression_points(frame, "mse", {}, result)
    back = pd.read_csv(io.BytesIO(export.csv_bytes(table)))
    assert list(back.columns) == list(table.columns)
    column = "residual r = prediction - y"
    np.testing.assert_array_equal(back[column].to_numpy(), table[column].to_numpy())
