"""The Regression & outliers page's weights chart in a real browser: hovering a point shows
its residual and its weight, the weight read from the colour array (sent once per point)."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_browser import open_page, widget

pytestmark = pytest.mark.e2e

# Hover the first ordinary point of the weights chart through Plotly's own hover (no mouse
# geometry), and return its hover text beside the numbers the trace holds for that point.
HOVER_FIRST_POINT = """(plot) => {
  window.Plotly.Fx.hover(plot, [{curveNumber: 0, pointNumber: 0}]);
  const text = plot.querySelector('.hoverlayer .hovertext');
  const trace = plot._fullData[0];
  return {
    text: text ? text.textContent : null,
    weight: trace.marker.color[0],
    residual: trace.customdata[0],
  };
}"""


def test_the_weights_hover_shows_each_points_residual_and_weight(open_tab, app_url):
    tab = open_tab()
    open_page(tab, f"{app_url}/regression")
    plot = widget(tab, "reg_weight_chart").locator(".js-plotly-plot")
    shown = plot.evaluate(HOVER_FIRST_POINT)
    # The hover template's formats (ui/regression_charts.weights_figure): .3f and .4g.
    assert f"weight w = {shown['weight']:.3f}" in shown["text"]
    assert "r = " in shown["text"] and "undefined" not in shown["text"]
