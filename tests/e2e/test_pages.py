"""Every page in a real browser: it loads, draws its charts, and logs no errors."""

import pytest

from tests.e2e.pages import PAGE_FILES, page_id, url_path
from tests.e2e.streamlit_browser import chart_data, open_page

pytestmark = pytest.mark.e2e

# Every chart drawn: Plotly's SVG is in the page, with traces and a real size.
CHARTS_DRAWN = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((box) => {
  const plot = box.querySelector('.js-plotly-plot');
  const svg = plot && plot.querySelector('.main-svg');
  const size = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {svg: Boolean(svg), traces: plot && plot.data ? plot.data.length : 0,
          width: size.width, height: size.height};
})
"""


@pytest.mark.parametrize("page_file", PAGE_FILES, ids=page_id)
def test_page_loads_draws_its_charts_and_logs_no_error(open_tab, app_url, page_file):
    tab = open_tab()
    open_page(tab, f"{app_url}/{url_path(page_file)}")

    assert tab.locator("[data-testid='stException']").count() == 0
    assert tab.locator("[data-testid='stAlertContentError']").count() == 0
    assert tab.locator("h1").count() >= 1, "the page's title is missing"
    charts = tab.evaluate(CHARTS_DRAWN)
    assert charts, "no chart on the page"
    for number, chart in enumerate(charts):
        assert chart["svg"], f"chart {number} has no Plotly SVG"
        assert chart["traces"] > 0, f"chart {number} has no trace"
        assert chart["width"] > 200 and chart["height"] > 150, f"chart {number}: {chart}"
    # Each chart carries data the browser can draw (numbers, not an empty trace).
    for plot in chart_data(tab):
        traces = plot[1:]  # after the chart's marks
        assert any(trace["x"] or trace["y"] or trace["z"] for trace in traces)
    assert tab.console_log.errors == []
