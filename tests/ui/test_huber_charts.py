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
    fig = figure(*huber_charts.huber_limits_spec(axis, limits, 0.1))
    curves = fig.data[0:6:2]
    assert [trace.line.color for trace in curves] == [
        colour_for("huber"),
        colour_for("mse"),
        colour_for("mae"),
    ]
    assert [trace.line.dash for trace in curves] == ["solid", "dash", "dash"]
    assert [trace.name for trace in curves] == [
        "Huber, δ = 0.1",
        "½·MSE = ½r² (δ → ∞)",
        "δ·MAE = δ|r| (small δ)",
    ]
    # Hand-derived: Huber at |r| = 10, δ = 0.1 is 0.1·(10 − 0.05) = 0.995, its gradient
    # ±0.1; the axes end at the next 1, 2 or 5 × 10^k above 1.05 times those: 2 and 0.2.
    assert fig.layout.yaxis.range[1] == pytest.approx(2.0)
    assert fig.layout.yaxis2.range[1] == pytest.approx(0.2)
    # The ±δ lines span each panel, in the legend once.
    top, bottom = fig.data[6], fig.data[7]
    assert list(top.x) == [-0.1, -0.1, None, 0.1, 0.1] == list(bottom.x)
    assert list(top.y) == pytest.approx([-0.08, 2.0, None, -0.08, 2.0])
    assert list(bottom.y) == pytest.approx([-0.2, 0.2, None, -0.2, 0.2])
    assert (top.name, top.showlegend, bottom.showlegend) == ("±δ = ±0.1", True, False)


@pytest.mark.parametrize(
    ("value", "top"), [(0.995, 1.0), (1.0, 1.0), (1.01, 2.0), (2.0, 2.0), (3.2, 5.0), (0.06, 0.1)]
)
def test_an_axis_top_is_one_two_or_five_times_a_power_of_ten(value, top):
    assert huber_charts.nice_above(value) == pytest.approx(top)  # by hand


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


def _limits(value: float, slope: float) -> huber_lab.HuberLimits:
    """Limits whose Huber curve's largest value and slope are these (the rest unused)."""
    curve = (np.array([0.0, value]), np.array([-slope, slope]))
    return huber_lab.HuberLimits(huber=curve, half_mse=curve, delta_mae=curve)


def test_consecutive_deltas_share_axis_tops_while_every_one_fits():
    # By hand: (1, 0.1) allows the 1, 2, 5 × 10^k in [1.05, 3.33] and [0.105, 0.333]: 2
    # and 0.2; (1.2, 0.12) allows 2 and 0.2 too; (3, 0.3) allows 5 and 0.5 only: a new run.
    tops = huber_charts.shared_tops([_limits(1.0, 0.1), _limits(1.2, 0.12), _limits(3.0, 0.3)])
    assert tops == [(2.0, 0.2), (2.0, 0.2), (5.0, 0.5)]


def test_the_shared_tops_fit_every_delta_and_change_every_few_steps(data):
    from ui.regression_cache import delta_steps, huber_axis

    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    sweep = huber_lab.delta_sweep(x, y, delta_steps())
    every = huber_lab.huber_limits_each(huber_axis(data, sweep), sweep.deltas)
    tops = huber_charts.shared_tops(every)
    for limits, pair in zip(every, tops, strict=True):
        value, slope = float(np.max(limits.huber[0])), float(np.max(np.abs(limits.huber[1])))
        for largest, top in zip((value, slope), pair, strict=True):
            assert huber_charts.ROOM * largest <= top <= largest / huber_charts.FILLED
    changes = sum(one != other for one, other in zip(tops, tops[1:], strict=False))
    assert changes <= len(tops) // 3  # most steps of δ keep the axes (redrawn quickly)
