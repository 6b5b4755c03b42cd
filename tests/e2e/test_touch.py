"""On a phone (390×844, touch): a swipe over a chart scrolls the page and leaves the chart
as it was, zoom is a deliberate act, a tap adds one point, the mode bar covers nothing, the
sidebar opens from a labelled control with the page's own controls first, and slider thumbs
are big enough for a finger."""

from __future__ import annotations

import io
import math
import time

import pytest

from tests.e2e.conftest import ConsoleLog
from tests.e2e.streamlit_browser import IDLE, open_page

pytestmark = pytest.mark.e2e

# An iPhone 12-15's screen in CSS pixels, at its device pixel ratio.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 3,
}
MIN_THUMB_PX = 24  # WCAG 2.2, 2.5.8 Target Size (Minimum)
DOUBLE_TAP_MS = 500  # ui/live_chart.js DOUBLE_TAP_MS


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(60_000)
    tab = context.new_page()
    tab.console_log = ConsoleLog(tab)
    tab.cdp = context.new_cdp_session(tab)
    yield tab
    context.close()


def _touch(tab, kind: str, points: list[tuple[float, float]], at: float | None = None) -> None:
    """One touch event; ``at`` (seconds since the epoch) is the time the page's event
    carries (its ``timeStamp``), which a loaded machine may deliver much later."""
    event = {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]}
    if at is not None:
        event["timestamp"] = at
    tab.cdp.send("Input.dispatchTouchEvent", event)


def swipe_up(tab, x: float, y: float, distance: float = 300, steps: int = 12) -> None:
    """One finger down at (x, y), moved up by ``distance`` CSS pixels, lifted."""
    _touch(tab, "touchStart", [(x, y)])
    for step in range(1, steps + 1):
        _touch(tab, "touchMove", [(x, y - distance * step / steps)])
    _touch(tab, "touchEnd", [])


def tap(tab, x: float, y: float, at: float | None = None) -> None:
    """A finger down at (x, y) and lifted 50 ms later (at ``at``, else now)."""
    at = time.time() if at is None else at
    _touch(tab, "touchStart", [(x, y)], at)
    _touch(tab, "touchEnd", [], at + 0.05)


# Streamlit scrolls its main area (stMain), not the document; both are summed to be sure.
SCROLLED = """() => document.querySelector('[data-testid="stMain"]').scrollTop
  + document.scrollingElement.scrollTop"""
# Every axis range of the chart: what a zoom or a pan would change.
AXES = "Object.keys(plot._fullLayout).filter((name) => /^[xy]axis\\d*$/.test(name))"
RANGES = f"(plot) => {AXES}.map((name) => [name, plot._fullLayout[name].range.map(String)])"
AUTORANGED = f"(plot) => {AXES}.every((name) => plot._fullLayout[name].autorange === true)"


def _plot_area_centre(tab, key: str) -> tuple[float, float]:
    chart = tab.locator(f".st-key-{key} .live-chart")
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _swipe_scrolls(tab, key: str) -> None:
    chart = tab.locator(f".st-key-{key} .live-chart")
    x, y = _plot_area_centre(tab, key)
    ranges = chart.evaluate(RANGES)
    scrolled = tab.evaluate(SCROLLED)
    swipe_up(tab, x, y)
    # A 300 px swipe moves the page at least half that (a fling may add more); a chart
    # that takes the drag (Plotly's default zoom) leaves the page where it was.
    tab.wait_for_function(
        f"(before) => ({SCROLLED})() >= before + 150", arg=scrolled, timeout=5_000
    )
    assert chart.evaluate(RANGES) == ranges, f"the swipe over {key} changed its axes"


@pytest.mark.parametrize(
    ("page", "key"), [("regression", "reg_fit_chart"), ("gradient_descent", "gd_landscape")]
)
def test_a_swipe_over_a_chart_scrolls_the_page(phone, app_url, page, key):
    open_page(phone, f"{app_url}/{page}")
    _swipe_scrolls(phone, key)
    assert phone.console_log.errors == []


def test_zoom_is_the_mode_bars_and_lasts_one_gesture(phone, app_url):
    open_page(phone, f"{app_url}/regression")
    key = "reg_curve_chart"  # no on_click: Plotly's double-click autoscale is on by default
    chart = phone.locator(f".st-key-{key} .live-chart")
    x, y = _plot_area_centre(phone, key)
    ranges = chart.evaluate(RANGES)
    chart.locator(".modebar-btn[data-title='Zoom']").tap()
    # Chosen in the mode bar, a drag draws a zoom box: the axes change.
    swipe_up(phone, x, y, distance=150)
    phone.wait_for_function(
        f"([plot, before]) => JSON.stringify(({RANGES})(plot)) !== JSON.stringify(before)",
        arg=[chart.element_handle(), ranges],
        timeout=5_000,
    )
    zoomed = chart.evaluate(RANGES)
    # One zoom done, a double tap does not zoom back out, and the next swipe scrolls the
    # page again (its events come after the taps': once it has scrolled, they were handled).
    phone.wait_for_function(
        "(plot) => plot._fullLayout.dragmode === false", arg=chart.element_handle(), timeout=5_000
    )
    began = time.time()
    tap(phone, x, y, at=began)
    tap(phone, x, y, at=began + 0.1)
    _swipe_scrolls(phone, key)
    assert chart.evaluate(RANGES) == zoomed
    assert phone.console_log.errors == []


# The data coordinates under the page pixel (x, y), read off the figure as drawn (its SVG).
DATA_AT = """(plot, [x, y]) => {
  const paper = plot.querySelector('.main-svg').getBoundingClientRect();
  const {xaxis, yaxis} = plot._fullLayout;
  const px = x - paper.left - xaxis._offset;
  const py = y - paper.top - yaxis._offset;
  return {x: xaxis.p2d(px), y: yaxis.p2d(py), x_per_px: Math.abs(xaxis.p2d(px + 1) - xaxis.p2d(px)),
          y_per_px: Math.abs(yaxis.p2d(py + 1) - yaxis.p2d(py))};
}"""
POINTS_IN_URL = """() => (new URLSearchParams(location.search).get('reg_points') || '')
  .split(';').filter(Boolean).map((point) => point.split(',').map(Number))"""


def test_a_tap_adds_one_point_and_a_double_tap_no_more(phone, app_url):
    open_page(phone, f"{app_url}/regression")
    key = "reg_fit_chart"
    chart = phone.locator(f".st-key-{key} .live-chart")
    x, y = _plot_area_centre(phone, key)
    assert chart.evaluate(AUTORANGED)  # the figure leaves its axes to Plotly
    at = chart.evaluate(DATA_AT, [x, y])
    # A double tap (the second 100 ms after the first): one point, and no zoom.
    began = time.time()
    tap(phone, x, y, at=began)
    tap(phone, x, y, at=began + 0.1)
    phone.wait_for_function(
        f'() => ({POINTS_IN_URL})().length > 0 && document.querySelector("{IDLE}") !== null'
    )
    first = phone.evaluate(POINTS_IN_URL)[0]
    # Where the finger was, within 2 pixels (the point's 2 decimals are far finer).
    assert first[0] == pytest.approx(at["x"], abs=2 * at["x_per_px"])
    assert first[1] == pytest.approx(at["y"], abs=2 * at["y_per_px"])
    # A later tap 80 px to the left, well apart: the point it adds is told from the first by
    # its x. Once it is in the link, every tap before it has been counted.
    x, y = _plot_area_centre(phone, key)
    tap(phone, x - 80, y, at=max(time.time(), began + 2 * DOUBLE_TAP_MS / 1000))
    phone.wait_for_function(
        f"""(first) => ({POINTS_IN_URL})().some(([px]) => Math.abs(px - first) > 0.5)
          && document.querySelector("{IDLE}") !== null""",
        arg=first[0],
    )
    points = phone.evaluate(POINTS_IN_URL)
    assert len(points) == 2, f"three taps (a double and a single) placed {points}"
    assert math.isclose(points[0][0], first[0]) and points[1][0] < first[0]
    # The axes still follow the data (a point added widens them): nobody zoomed.
    assert chart.evaluate(AUTORANGED), "a tap zoomed the chart"
    assert phone.console_log.errors == []


MODE_BARS = """() => [...document.querySelectorAll('.live-chart')].map((plot) => {
  const bar = plot.querySelector('.modebar').getBoundingClientRect();
  const paper = plot.querySelector('.main-svg').getBoundingClientRect();
  return [plot.closest('[class*="st-key-"]').className.match(/st-key-(\\S+)/)[1],
          bar.bottom - paper.top, bar.height];
})"""


def _mode_bars_cover_nothing(tab) -> None:
    for key, overlap, height in tab.evaluate(MODE_BARS):
        assert height > 0, f"{key} has no mode bar"
        assert overlap <= 0, f"{key}: the mode bar reaches {overlap:.0f} px into the figure"


def test_the_mode_bar_sits_above_the_figure(phone, open_tab, app_url):
    open_page(phone, f"{app_url}/regression")
    _mode_bars_cover_nothing(phone)
    # Its buttons' names (shown on hover, which a tap leaves on) stay hidden on touch.
    button = phone.locator(".st-key-reg_fit_chart .modebar-btn[data-title='Zoom']")
    button.tap()
    assert button.evaluate("(node) => node.matches(':hover')")
    assert button.evaluate("(node) => getComputedStyle(node, '::after').display") == "none"
    # With a mouse it shows on hover, in the same place.
    laptop = open_tab(1280, 800)
    open_page(laptop, f"{app_url}/regression")
    laptop.locator(".st-key-reg_fit_chart .live-chart").hover()
    _mode_bars_cover_nothing(laptop)


DATA_CONTROL_KEYS = ("reg_data_",)  # ui/controls.py regression_data_controls(key_prefix="reg_data")
# The controls a finger can use in the open sidebar, top to bottom: (key or testid, top).
SIDEBAR_CONTROLS = """() => {
  const sidebar = document.querySelector('[data-testid="stSidebarUserContent"]').parentElement;
  const header = sidebar.querySelector('[data-testid="stSidebarHeader"]');
  return [...sidebar.querySelectorAll('a, button, input, [role="slider"], [role="combobox"]')]
    .filter((node) => !header.contains(node) && node.getClientRects().length)
    .map((node) => {
      const box = node.closest('[class*="st-key-"]')?.className.match(/st-key-(\\S+)/)?.[1];
      const nav = node.closest('[data-testid="stSidebarNav"]') ? 'page list' : null;
      const lecture = node.closest('.st-key-sidebar_lecture') ? 'lecture' : null;
      const top = (node.closest('[data-testid="stSlider"]') || node).getBoundingClientRect().top;
      return [nav || lecture || box || node.tagName, top];
    })
    .sort((a, b) => a[1] - b[1]);
}"""
THUMBS = """() => [...document.querySelectorAll(
  '[data-testid="stSlider"] div:has(> div > input[type="range"])')]
  .filter((thumb) => thumb.getClientRects().length)
  .map((thumb) => [thumb.getBoundingClientRect().width, thumb.getBoundingClientRect().height])"""


def test_the_sidebar_opens_from_a_labelled_control_with_the_pages_controls_first(phone, app_url):
    open_page(phone, f"{app_url}/regression")
    control = phone.locator("[data-testid='stExpandSidebarButton']")
    label = control.evaluate("(button) => getComputedStyle(button, '::after').content")
    assert label == '"Settings & pages"'  # ui/touch.py SIDEBAR_LABEL
    control.tap()
    phone.wait_for_selector("[data-testid='stSidebar'][data-collapsed='false']")
    phone.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect()"
        ".left >= 0"
    )  # slid in
    controls = phone.evaluate(SIDEBAR_CONTROLS)
    names = [name for name, _ in controls]
    assert names[0].startswith(DATA_CONTROL_KEYS), f"the sidebar starts with {names[:3]}"
    # The lecture's buttons (ui/scenes.py tour_buttons) and the page list come after them.
    last_data = max(index for index, name in enumerate(names) if name.startswith(DATA_CONTROL_KEYS))
    assert names.index("lecture") > last_data and names.index("page list") > last_data
    thumbs = phone.evaluate(THUMBS)
    assert len(thumbs) >= 4  # n, noise, outlier fraction, outlier magnitude
    assert all(min(size) >= MIN_THUMB_PX for size in thumbs), thumbs
    assert phone.console_log.errors == []


def _thumb_height(tab, scrubber) -> int:
    """The live scrubber's thumb, measured in its picture: the tallest run of pixels in the
    app's primary colour (the filled track is the same colour but thinner)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(scrubber.screenshot(scale="css"))).convert("RGB")
    primary = (0x00, 0x72, 0xB2)  # .streamlit/config.toml primaryColor
    width, height = picture.size
    pixels = picture.load()
    tallest = 0
    for column in range(width):
        run = 0
        for row in range(height):
            close = sum(abs(a - b) for a, b in zip(pixels[column, row], primary, strict=True))
            run = run + 1 if close < 60 else 0
            tallest = max(tallest, run)
    return tallest


def test_slider_thumbs_are_finger_sized(phone, app_url):
    open_page(phone, f"{app_url}/huber")
    thumbs = phone.evaluate(THUMBS)
    assert thumbs and all(min(size) >= MIN_THUMB_PX for size in thumbs), thumbs
    scrubber = phone.locator(".st-key-hub_huber_delta input[type='range']")
    scrubber.scroll_into_view_if_needed()
    assert _thumb_height(phone, scrubber) >= MIN_THUMB_PX
    assert phone.console_log.errors == []


def _swipe_from_track(tab, key: str) -> None:
    """Swipe up from a slider's track, 60 px beside its thumb: the page scrolls, the value
    stays."""
    slider = tab.locator(f".st-key-{key} input[type='range']")
    slider.scroll_into_view_if_needed()
    value = slider.evaluate("(input) => input.value")
    track = tab.locator(
        f".st-key-{key} [role='group'] > div:has(input), .st-key-{key} .live-scrubber-row input"
    )
    box = track.bounding_box()
    fraction = slider.evaluate("(input) => (input.value - input.min) / (input.max - input.min)")
    x = box["x"] + box["width"] * fraction + (60 if fraction < 0.5 else -60)
    scrolled = tab.evaluate(SCROLLED)
    swipe_up(tab, x, box["y"] + box["height"] / 2)
    tab.wait_for_function(
        f"(before) => ({SCROLLED})() >= before + 150", arg=scrolled, timeout=5_000
    )
    assert slider.evaluate("(input) => input.value") == value, f"the swipe moved {key}"


def test_a_swipe_from_a_sliders_track_scrolls_and_leaves_its_value(phone, app_url):
    open_page(phone, f"{app_url}/gradient_descent")
    _swipe_from_track(phone, "gd_rate")  # Streamlit's slider
    open_page(phone, f"{app_url}/huber")
    _swipe_from_track(phone, "hub_huber_delta")  # the live scrubber
    assert phone.console_log.errors == []
