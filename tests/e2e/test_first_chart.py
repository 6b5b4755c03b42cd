"""A first visit's first chart (issue 26): plotly.js is fetched and run while the page's
script runs, not when the first chart mounts, and the element that starts it takes no room;
the bundle holds the trace types the figures may use; browsers may keep the hashed files."""

from __future__ import annotations

import urllib.request

import pytest

from tests.e2e.streamlit_browser import CHARTS_DRAWN, IDLE, open_page, streamlit_server
from ui import chart_assets, static_cache
from ui.chart_assets import EARLY_KEY

pytestmark = pytest.mark.e2e

PLOTLY_REQUESTS = """() => performance.getEntriesByType('resource')
  .filter((entry) => entry.name.includes('/app/static/plotly.')).length"""


@pytest.fixture(scope="module")
def early_url(browser):
    with streamlit_server("tests/e2e/early_plotly_app.py") as (base_url, _):
        yield base_url


def test_plotly_js_runs_before_any_chart_mounts_and_the_chart_takes_it(open_tab, early_url):
    tab = open_tab()
    tab.goto(early_url)
    tab.wait_for_selector(IDLE)
    # plotly.js has run (it sets window.Plotly) on a page that has no chart yet.
    tab.wait_for_function("() => window.Plotly !== undefined")
    assert tab.locator(".live-chart").count() == 0
    assert tab.evaluate(PLOTLY_REQUESTS) == 1
    tab.get_by_role("button", name="Draw the chart").click()
    tab.wait_for_function(f"() => ({CHARTS_DRAWN})() === 1")
    # Drawn with the plotly.js loaded early: no second request, no second copy.
    assert tab.evaluate(PLOTLY_REQUESTS) == 1
    assert tab.evaluate("() => document.querySelectorAll('script[src*=\"/plotly.\"]').length") == 1
    assert tab.console_log.errors == []


def test_the_app_starts_plotly_js_early_without_moving_the_page(open_tab, app_url):
    tab = open_tab()
    open_page(tab, app_url)
    preload = tab.evaluate(
        "() => [...document.head.querySelectorAll('link[rel=preload][as=script]')]"
        ".map((link) => new URL(link.href).pathname)"
    )
    assert len(preload) == 1 and preload[0].startswith("/app/static/plotly.")
    # The element holding the script is hidden: the page's first element is the title.
    wrapper = tab.evaluate(
        f"""() => {{
          const early = document.querySelector('.st-key-{EARLY_KEY}');
          const item = early.closest('[data-testid=stLayoutWrapper]');
          return [getComputedStyle(item).display, early.getClientRects().length];
        }}"""
    )
    assert wrapper == ["none", 0]
    assert tab.console_log.errors == []


def test_the_bundle_holds_exactly_the_trace_types_the_figures_may_use(open_tab, app_url):
    """ui/vendor's partial bundle registers the trace types PLOTLY_TRACES lists, against
    which tests/app/test_every_chart_validates.py checks every figure of every page."""
    tab = open_tab()
    open_page(tab, app_url)
    traces = tab.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces)")
    assert set(traces) == chart_assets.PLOTLY_TRACES


def test_the_app_lets_browsers_keep_its_hashed_files(open_tab, app_url):
    """Once the app has run (ui/static_cache.py), plotly.js and the module it serves carry
    a year-long immutable Cache-Control; other responses do not."""
    tab = open_tab()
    open_page(tab, app_url)
    served = tab.evaluate(
        "() => performance.getEntriesByType('resource').map((entry) => entry.name)"
        ".filter((url) => url.includes('/app/static/'))"
    )
    assert len(served) == 2  # plotly.js and the live chart's module
    for url in served:
        with urllib.request.urlopen(url) as response:
            assert response.headers.get_all("Cache-Control") == [static_cache.IMMUTABLE], url
    with urllib.request.urlopen(f"{app_url}/_stcore/health") as response:
        assert static_cache.IMMUTABLE not in (response.headers.get_all("Cache-Control") or [])
