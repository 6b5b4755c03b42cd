"""The live chart in a real browser: it keeps its DOM node across a rerun, plays frames
with no websocket message, reports clicks in data coordinates, keeps a student's zoom,
and the mode bar's PNG export still works."""

from __future__ import annotations

import gzip
import json
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.e2e.streamlit_browser import (
    CHART_DATA,
    CHARTS_DRAWN,
    IDLE,
    count_websocket_frames,
    open_page,
    remember_charts,
    slider_input,
    streamlit_server,
    wait_for_charts_to_change,
    widget,
)
from ui import chart_assets

pytestmark = pytest.mark.e2e

COUNT_REDRAWS = """() => {
  window.__redraws = 0;
  const react = window.Plotly.react;
  window.Plotly.react = function (...args) {
    window.__redraws += 1;
    return react.apply(this, args);
  };
}"""
TAG_CHARTS = """() => [...document.querySelectorAll('.live-chart')].forEach((plot, index) => {
  plot.dataset.tag = `chart-${index}`; })"""
TAGS = "() => [...document.querySelectorAll('.live-chart')].map((plot) => plot.dataset.tag)"


def _move_outliers(tab) -> None:
    """One key press on the regression page's outlier slider (new data: every chart
    changes), waited for until the charts have changed."""
    remember_charts(tab)
    slider_input(tab, "reg_data_outliers").focus()
    tab.keyboard.press("ArrowRight")
    wait_for_charts_to_change(tab)


def test_a_server_driven_move_updates_the_same_chart_nodes(open_tab, app_url):
    tab = open_tab()
    open_page(tab, f"{app_url}/regression")
    tab.evaluate(TAG_CHARTS)
    tags = tab.evaluate(TAGS)
    assert len(tags) == 4  # curve, fits, weights, cost (the estimates wait in a closed tab)
    _move_outliers(tab)
    # Every chart was redrawn in place: the nodes carry the tags set before the move.
    assert tab.evaluate(TAGS) == tags
    assert tab.console_log.errors == []


def test_the_delta_scrubber_plays_frames_without_the_server(open_tab, app_url):
    tab = open_tab()
    open_page(tab, f"{app_url}/huber")
    tab.evaluate(TAG_CHARTS)
    sent = count_websocket_frames(tab)
    remember_charts(tab)
    tab.evaluate(
        "() => { window.__drawn = JSON.stringify(document.querySelector('.live-chart').data); }"
    )
    scrubber = widget(tab, "hub_huber_delta").locator("input[role='slider']")
    scrubber.focus()
    for _ in range(3):  # δ = 1 → 1.25 → 1.6 → 2 (R10 steps)
        tab.keyboard.press("ArrowRight")
    # The charts changed at once, from the frames in the page, before any message left.
    tab.wait_for_function(
        "() => JSON.stringify(document.querySelector('.live-chart').data) !== window.__drawn",
        timeout=2_000,
    )
    assert sent == [], "the scrub sent a websocket message"
    assert widget(tab, "hub_huber_delta").locator(".live-scrubber-value").inner_text() == "2"
    assert scrubber.get_attribute("aria-valuetext") == "2"
    # The frames' three draws done, count the redraws from here on (the module draws with
    # the page's Plotly, the one plotly.min.js sets).
    # (A chart drawn without Plotly while the scrubber moved is marked data-quick until
    # Plotly has caught up: ui/live_chart.js quickMove.)
    tab.wait_for_function(
        f"() => JSON.stringify(({CHART_DATA})()) !== window.__chartsBefore"
        " && !document.querySelector('.live-chart[data-quick]')"
    )
    tab.wait_for_timeout(150)
    tab.evaluate(COUNT_REDRAWS)
    # Once the student stops, the value reaches Python: the numbers and the URL follow,
    # and the rerun that brings them leaves the charts as the frames drew them.
    tab.wait_for_function(
        "() => new URLSearchParams(location.search).get('hub_huber_delta') === '2'"
    )
    tab.wait_for_selector(IDLE)
    tab.wait_for_timeout(300)
    assert len(sent) >= 1
    assert tab.evaluate("() => window.__redraws") == 0, "the settled rerun redrew a chart"
    assert tab.get_by_text("Huber, δ = 2").count() >= 1  # the legend of the redrawn curve
    assert tab.evaluate(TAGS) == [f"chart-{index}" for index in range(3)]
    assert tab.console_log.errors == []


@pytest.fixture(scope="module")
def click_url(browser):
    with streamlit_server("tests/e2e/click_app.py") as (base_url, _):
        yield base_url


PIXEL_OF = """([x, y]) => {
  const plot = document.querySelector('.live-chart');
  const box = plot.getBoundingClientRect();
  const {xaxis, yaxis} = plot._fullLayout;
  return [box.left + xaxis._offset + xaxis.l2p(x), box.top + yaxis._offset + yaxis.l2p(y)];
}"""


STALE_CLICK = """([x, y]) => {
  const plot = document.querySelector('.live-chart');
  const box = plot.getBoundingClientRect();
  const {xaxis, yaxis} = plot._fullLayout;
  const at = {clientX: box.left + xaxis._offset + xaxis.l2p(x),
              clientY: box.top + yaxis._offset + yaxis.l2p(y), bubbles: true};
  const target = plot.querySelector('.nsewdrag');
  target.dispatchEvent(new PointerEvent('pointerdown', at));
  target.dispatchEvent(new PointerEvent('pointerup', at));
  plot.emit('plotly_click', {points: [{curveNumber: 0, pointNumber: 3, x: 3, y: 9,
                                       xaxis, yaxis}]});
}"""


def _clicked(tab) -> dict:
    tab.wait_for_selector(IDLE)
    return json.loads(tab.locator("[data-testid='stCode'] code").inner_text())


def _click_at(tab, x: float, y: float) -> dict:
    before = tab.locator("[data-testid='stCode'] code").inner_text()
    px, py = tab.evaluate(PIXEL_OF, [x, y])
    tab.mouse.click(px, py)
    tab.wait_for_function(
        "(before) => document.querySelector(\"[data-testid='stCode'] code\").innerText !== before",
        arg=before,
    )
    return _clicked(tab)


def test_a_click_reaches_python_in_data_coordinates(open_tab, click_url):
    tab = open_tab()
    open_page(tab, click_url)
    # On the marker at (3, 9): the point is named (trace 0, point 3).
    on_point = _click_at(tab, 3.0, 9.0)
    assert on_point["x"] == pytest.approx(3.0, abs=0.05) and on_point["y"] == pytest.approx(
        9.0, abs=0.5
    )
    assert on_point["point"] == {"curve": 0, "index": 3}
    assert (on_point["xaxis"], on_point["yaxis"]) == ("x", "y")
    # Empty plot area: coordinates only. Axis ranges 0–10 and 0–100 on a ~1000×300 px plot:
    # one pixel is ~0.01 in x and ~0.3 in y.
    # Hover a marker first: Plotly keeps that point as its hover data for a moment after
    # the pointer jumps away, and a click elsewhere must not name it.
    tab.mouse.move(*tab.evaluate(PIXEL_OF, [4.0, 16.0]))
    tab.wait_for_timeout(200)
    empty = _click_at(tab, 7.5, 20.0)
    assert empty["x"] == pytest.approx(7.5, abs=0.05) and empty["y"] == pytest.approx(20.0, abs=0.5)
    assert empty["point"] is None
    # Plotly may name a point it hovered earlier (seen under load: the marker at (3, 9)
    # reported for a click far from it). Staged here: the click at (6, 70) is followed by
    # a plotly_click naming that marker, as Plotly emits it when its hover data is stale.
    before = tab.locator("[data-testid='stCode'] code").inner_text()
    tab.evaluate(STALE_CLICK, [6.0, 70.0])
    tab.wait_for_function(
        "(before) => document.querySelector(\"[data-testid='stCode'] code\").innerText !== before",
        arg=before,
    )
    stale = _clicked(tab)
    assert stale["x"] == pytest.approx(6.0, abs=0.05) and stale["point"] is None
    # A second click soon after is a click, not Plotly's double-click autoscale.
    again = _click_at(tab, 2.0, 60.0)
    assert again["x"] == pytest.approx(2.0, abs=0.05)
    ranges = tab.evaluate("() => document.querySelector('.live-chart')._fullLayout.xaxis.range")
    assert ranges == [0, 10]
    assert tab.console_log.errors == []


def test_a_students_zoom_survives_a_rerun(open_tab, app_url):
    tab = open_tab()
    open_page(tab, f"{app_url}/regression")
    plot = tab.locator(".st-key-reg_fit_chart .live-chart")
    box = plot.locator(".nsewdrag").first.bounding_box()
    # Drag a zoom box over the middle of the data chart.
    tab.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    tab.mouse.down()
    tab.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6, steps=5)
    tab.mouse.up()
    read_range = "(plot) => plot._fullLayout.xaxis.range.map((v) => +v.toFixed(6))"
    tab.wait_for_function(
        "(plot) => plot._fullLayout.xaxis.autorange === false", arg=plot.element_handle()
    )
    zoomed = plot.evaluate(read_range)
    _move_outliers(tab)
    assert plot.evaluate(read_range) == zoomed
    assert tab.console_log.errors == []


def test_the_mode_bar_still_downloads_a_png(open_tab, app_url):
    tab = open_tab()
    open_page(tab, f"{app_url}/huber")
    chart = tab.locator(".st-key-hub_zone_chart .live-chart")
    chart.hover()
    with tab.expect_download() as download:
        chart.locator(".modebar-btn[data-title='Download plot as a PNG']").click()
    saved = download.value
    # The name says what the chart is (its page's record, ui/site.py).
    assert saved.suggested_filename == "loss-explorer_huber-lab_zones.png"
    with open(saved.path(), "rb") as png:
        head = png.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"  # the PNG signature (RFC 2083)
    # IHDR's width and height (RFC 2083 §4.1.1): a 1920 × 1080 slide at scale 2.
    assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (3840, 2160)
    assert tab.console_log.errors == []


def test_plotly_js_comes_from_this_server_and_ui_vendor(open_tab, app_url):
    """No CDN (a lab may be offline): every request the page makes goes to the app's own
    server, and the plotly.js it runs is, byte for byte, the one vendored in ui/vendor/."""
    tab = open_tab()
    requested = []
    tab.on("request", lambda request: requested.append(request.url))
    open_page(tab, f"{app_url}/huber")
    hosts = {urlsplit(url).netloc for url in requested if urlsplit(url).scheme in ("http", "https")}
    assert hosts == {urlsplit(app_url).netloc}
    plotly_urls = [url for url in requested if "/app/static/plotly." in url]
    assert len(plotly_urls) == 1
    with urllib.request.urlopen(plotly_urls[0]) as response:
        served = response.read()
    assert served == gzip.decompress(chart_assets.PLOTLY_SOURCE.read_bytes())
    assert tab.evaluate("() => document.querySelector('.live-chart')._context !== undefined")
    assert tab.console_log.errors == []


def test_leaving_a_page_and_coming_back_draws_its_charts_without_errors(open_tab, app_url):
    """The charts of a page left are purged, those of the page opened drawn; back on the
    first page (whose figures this session already sent) they are drawn again."""
    tab = open_tab()
    open_page(tab, f"{app_url}/huber")
    for title, charts in (("Regression", 4), ("Huber", 3), ("Compare", 1), ("Huber", 3)):
        tab.locator("[data-testid='stSidebarNavLink']", has_text=title).click()
        tab.wait_for_function(
            f"""(count) => document.querySelector("{IDLE}") !== null
              && ({CHARTS_DRAWN})() === count""",
            arg=charts,
        )
    assert tab.console_log.errors == []
