"""ui.huber_charts: the Huber δ lab's figures — limits, zones and the δ sweep."""

import numpy as np
import pytest

from lessons import huber_lab, robustness
from losses.data import make_regression
from ui import huber_charts
from ui.charts import colour_for, figure
from ui.regression_charts import Line


def titles(fig):
    layout = fig.layout
    return {
        name: getattr(layout, name).title.text
        for name in ("xaxis", "xaxis2", "yaxis", "yaxis2")
        if getattr(layout, name, None) is not None
    }


@pytest.fixture(scope="module")
def data():
    return make_regression(300, outlier_fraction=0.2, seed=1)


def test_huber_limits_figure_scales_to_huber_and_dashes_the_limits():
    axis = robustness.residual_grid(10.0, (-0.1, 0.1))
    limits = huber_lab.huber_limits(axis, 0.1)
    marks = [(-0.1, "−δ"), (0.1, "δ")]
    fig = figure(*huber_charts.huber_limits_spec(axis, limits, 0.1, marks=marks))
    colours = [trace.line.color for trace in fig.data[::2]]
    assert colours == [colour_for("huber"), colour_for("mse"), colour_for("mae")]
    assert [trace.line.dash for trace in fig.data[::2]] == ["solid", "dash", "dash"]
    assert [trace.name for trace in fig.data[::2]] == [
        "Huber, δ = 0.1",
        "½·MSE = ½r² (δ → ∞)",
        "δ·MAE = δ|r| (small δ)",
    ]
    # Hand-derived: Huber at |r| = 10, δ = 0.1 is 0.1·(10 − 0.05) = 0.995; gradient ±0.1.
    assert fig.layout.yaxis.range[1] == pytest.approx(1.25 * 0.995)
    assert fig.layout.yaxis2.range[1] == pytest.approx(1.25 * 0.1)


def test_zones_figure_splits_points_and_counts_all_of_them(data):
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    residual = robustness.residuals(x, y, {"intercept": 1.0, "slope": 2.0})
    quadratic = huber_lab.quadratic_zone(residual, 1.0)
    line = Line("Huber fit", 1.0, 2.0, colour_for("huber"))
    fig = figure(*huber_charts.zones_spec(x, y, quadratic, 1.0, line))
    band, inside, outside, fitted = fig.data
    assert inside.name == f"quadratic zone |r| ≤ δ ({quadratic.sum()})"
    assert outside.name == f"linear zone |r| > δ ({(~quadratic).sum()})"
    assert len(inside.x) == quadratic.sum() and len(outside.x) == (~quadratic).sum()
    assert inside.marker.color == colour_for("huber")
    # The band is the line ± δ: at the smallest x, 1 + 2x − 1 and 1 + 2x + 1.
    assert band.y[0] == pytest.approx(np.float32(2.0 * x.min()), rel=1e-6)
    assert fig.layout.yaxis.range[1] == pytest.approx(y.max() + 0.05 * (y.max() - y.min()))


def test_sweep_figure_has_a_log_axis_the_limits_and_the_current_delta():
    sweep = huber_lab.DeltaSweep(
        deltas=np.array([0.01, 1.0, 100.0]),
        slopes=np.array([1.9, 2.0, 2.1]),
        intercepts=np.array([1.1, 1.5, 2.0]),
        mse={"slope": 2.1, "intercept": 2.0},
        mae={"slope": 1.9, "intercept": 1.1},
    )
    current, truth = {"slope": 2.0, "intercept": 1.5}, {"slope": 2.0, "intercept": 1.0}
    fig = figure(*huber_charts.sweep_spec(sweep, 1.0, current, truth))
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "log"
    assert titles(fig) == {
        "xaxis": "",
        "xaxis2": "δ (log scale)",
        "yaxis": "slope b",
        "yaxis2": "intercept a",
    }
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(trace)
    huber_slope, huber_intercept = by_name["Huber fit at each δ"]
    np.testing.assert_array_equal(huber_slope.y, [1.9, 2.0, 2.1])
    np.testing.assert_array_equal(huber_intercept.y, [1.1, 1.5, 2.0])
    assert list(by_name["MSE fit (δ → ∞)"][0].y) == [2.1, 2.1]
    assert by_name["MSE fit (δ → ∞)"][0].line.color == colour_for("mse")
    assert list(by_name["MAE fit (δ → 0)"][1].y) == [1.1, 1.1]
    assert by_name["MAE fit (δ → 0)"][0].line.color == colour_for("mae")
    assert list(by_name["true line"][1].y) == [1.0, 1.0]
    star = by_name["current δ"][0]
    assert (list(star.x), list(star.y)) == ([1.0], [2.0])
