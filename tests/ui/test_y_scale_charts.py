"""The scale-of-y figure of the Regression page: its traces are the sweep's numbers, on log
axes, in the losses' colours, with the current s marked."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import y_scale
from losses.data import make_regression
from ui.charts import colour_for
from ui.y_scale_cache import SCALES
from ui.y_scale_charts import y_scale_figure


def _sweep(delta=1.0, **data):
    frame = make_regression(60, seed=2, **data)
    return y_scale.scale_sweep(frame["x"], frame["y"], SCALES, delta=delta)


def test_y_scale_figure_draws_the_sweep_and_marks_s():
    sweep = _sweep()
    fig = y_scale_figure(sweep, 4.0)
    go.Figure(fig.to_dict())  # every property valid (the figure is built unvalidated)
    lines = {(t.name, t.yaxis or "y"): t for t in fig.data if t.mode == "lines"}
    for curve, name in zip(y_scale.CURVES, y_scale.curve_names(1.0), strict=True):
        np.testing.assert_allclose(lines[(name, "y")].y, sweep.ratio(curve), rtol=1e-6)
    assert lines[("MSE", "y")].line.color == colour_for("mse")
    assert lines[("Huber, δ = 1·s", "y")].line.dash == "dash"
    zone = lines[("Huber, δ = 1 fixed", "y2")]
    np.testing.assert_allclose(zone.y, 100 * sweep.linear_count / sweep.n, rtol=1e-6)
    marks = [t for t in fig.data if t.mode == "markers"]
    assert {t.x[0] for t in marks} == {4.0}
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert [shape.x0 for shape in fig.layout.shapes] == [4.0, 4.0]
    # hand-derived: the ratio axis's decade ticks span 0.1² = 0.01× to 100² = 10,000×.
    assert fig.layout.yaxis.ticktext[0] == "0.01×" and fig.layout.yaxis.ticktext[-1] == "10,000×"


def test_y_scale_figure_of_data_on_a_line_draws_no_ratio():
    sweep = _sweep(noise=0.0, outlier_fraction=0.0)
    fig = y_scale_figure(sweep, 1.0)
    go.Figure(fig.to_dict())
    ratios = [t for t in fig.data if t.mode == "lines" and (t.yaxis or "y") == "y"]
    assert all(np.all(np.isnan(np.asarray(t.y, dtype=float))) for t in ratios)
