"""Every page in a real browser: it loads, draws its charts, and logs no errors."""

import pytest

from tests.e2e.pages import PAGE_FILES, page_id, url_path
from tests.e2e.streamlit_browser import CHART_BOXES, chart_data, charts_drawn, open_page

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("page_file", PAGE_FILES, ids=page_id)
def test_page_loads_draws_its_charts_and_logs_no_error(open_tab, app_url, page_file):
    tab = open_tab()
    open_page(tab, f"{app_url}/{url_path(page_file)}")

    assert tab.locator("[data-testid='stException']").count() == 0
    assert tab.locator("[data-testid='stAlertContentError']").count() == 0
    assert tab.locator("h1").count() >= 1, "the page's title is missing"
    boxes = tab.locator(CHART_BOXES).count()
    assert boxes > 0, "no chart on the page"
    assert charts_drawn(tab) == boxes, "a chart box holds no drawn Plotly chart"
    # Each chart carries data the browser can draw (numbers, not an empty trace).
    for plot in chart_data(tab):
        traces = plot[1:]  # after the chart's marks
        assert any(trace["x"] or trace["y"] or trace["z"] for trace in traces)
    assert tab.console_log.errors == []


# Each chart's accessible name, as the browser computes it for assistive technology.
ACCESSIBLE_NAMES = f"""() => [...document.querySelectorAll("{CHART_BOXES}")].map((box) => {{
  const chart = box.querySelector(".live-chart");
  return chart ? [chart.getAttribute("role"), chart.getAttribute("aria-label") || ""] : [null, ""];
}})"""


@pytest.mark.parametrize("page_file", PAGE_FILES, ids=page_id)
def test_every_chart_has_an_accessible_name_unlike_its_neighbours(open_tab, app_url, page_file):
    tab = open_tab(1440, 6000)  # every chart on screen, so every one is drawn
    open_page(tab, f"{app_url}/{url_path(page_file)}")
    names = tab.evaluate(ACCESSIBLE_NAMES)
    assert len(names) == tab.locator(CHART_BOXES).count() > 0
    for role, name in names:
        assert role == "img" and len(name) >= 40, (role, name)
        # The browser exposes it: the chart is found by its role and that name.
        assert tab.get_by_role("img", name=name, exact=True).count() >= 1, name
    labels = [name for _, name in names]
    assert all(a != b for a, b in zip(labels, labels[1:], strict=False)), labels
