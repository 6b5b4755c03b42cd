"""The two-hot figure of the multi-class page: its traces are the view's numbers, in the
losses' colours, with CCE's floor and the probability that reaches it as levels."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons import two_hot
from ui.charts import colour_for
from ui.two_hot_charts import BCE_COLOUR, two_hot_figure


@pytest.mark.parametrize("name", list(two_hot.TARGETS))
def test_two_hot_figure_draws_the_views_numbers_and_validates(name):
    view = two_hot.two_hot_view(name)
    fig = two_hot_figure(view)
    go.Figure(fig.to_dict())  # every property valid (the figure is built unvalidated)
    traces = {(trace.name, trace.yaxis or "y"): trace for trace in fig.data}
    cce, bce = traces[("softmax + CCE", "y")], traces[("sigmoid + BCE per class", "y")]
    np.testing.assert_allclose(cce.y, view.cce, rtol=1e-6)
    np.testing.assert_allclose(bce.y, view.bce, rtol=1e-6)
    assert cce.line.color == colour_for("cce") and bce.line.color == BCE_COLOUR
    assert cce.line.color != bce.line.color
    floor = next(
        trace
        for (trace_name, axis), trace in traces.items()
        if trace_name.startswith("lowest CCE") and axis == "y"
    )
    assert list(floor.y) == [view.lowest] * 2
    p = traces[("softmax + CCE", "y2")]
    np.testing.assert_allclose(p.y, view.softmax[:, view.marked], rtol=1e-6)


def test_two_hot_floor_is_two_log_two():
    fig = two_hot_figure(two_hot.two_hot_view("two classes"))
    names = [trace.name for trace in fig.data]
    # hand-derived: the lowest CCE of [1, 1, 0] is 2·log 2 = 1.3863.
    assert f"lowest CCE [1, 1, 0] allows: {2 * math.log(2):.4g}" in names
    assert "p<sub>0</sub> where CCE is lowest: 0.5" in names
