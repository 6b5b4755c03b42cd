"""The Gradient descent page in Chromium: play runs the epochs in the browser with no
websocket message, the three charts in step, the path growing from the start; clicks move
the start (where the pointer was, the axes still) and add a point; a new loss starts the
epochs afresh."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_browser import IDLE, count_websocket_frames, open_page, widget

pytestmark = pytest.mark.e2e

# Pixel of data point (x, y) in chart number `index` (page order), scrolled into view.
PIXEL_IN = """([index, x, y]) => {
  const plot = document.querySelectorAll('.live-chart')[index];
  plot.scrollIntoView({block: 'center'});
  const box = plot.getBoundingClientRect();
  const {xaxis, yaxis} = plot._fullLayout;
  return [box.left + xaxis._offset + xaxis.d2p(x), box.top + yaxis._offset + yaxis.d2p(y)];
}"""
# What the three charts show now, read from their SVG marks (what the student sees):
# the landscape's current point and the cost marker in data units, the line's two ends.
SHOWN = """() => {
  const [land, data, cost] = document.querySelectorAll('.live-chart');
  const mark = (plot, index) => {
    const group = [...plot.querySelectorAll('.scatterlayer .trace')]
      .find((node) => node.__data__[0].trace.index === index);
    return group;
  };
  const point = (plot, index) => {
    const [, px, py] = /translate\\(([-\\d.e]+),([-\\d.e]+)\\)/
      .exec(mark(plot, index).querySelector('path.point').getAttribute('transform'));
    const {xaxis, yaxis} = plot._fullLayout;
    return [xaxis.p2d(Number(px)), yaxis.p2d(Number(py))];
  };
  const lastLine = data._fullData.length - 1;
  const d = mark(data, lastLine).querySelector('path.js-line').getAttribute('d');
  const [x0, y0, x1, y1] = d.match(/[-\\d.e]+/g).map(Number);
  const {xaxis, yaxis} = data._fullLayout;
  return {landscape: point(land, 4), cost: point(cost, 2),
          line: [xaxis.p2d(x0), yaxis.p2d(y0), xaxis.p2d(x1), yaxis.p2d(y1)]};
}"""


def test_play_runs_the_epochs_in_the_browser_and_the_charts_move_together(open_tab, app_url):
    tab = open_tab(1280, 1400)
    open_page(tab, f"{app_url}/gradient_descent?gd_epochs=200")
    scrubber = widget(tab, "gd_epoch")
    assert scrubber.locator(".live-scrubber-value").inner_text() == "0"
    sent = count_websocket_frames(tab)
    scrubber.locator("button").click()  # play from epoch 0
    tab.wait_for_timeout(1200)
    scrubber.locator("button").click()  # pause
    assert sent == [], "playback sent a websocket message"
    epoch = int(scrubber.locator(".live-scrubber-value").inner_text())
    assert 5 < epoch < 200
    # In step: the cost marker sits at the epoch shown, and the line on the data is the
    # landscape's current (a, b) (its ends at the data's x range). Plotly draws a frame
    # asynchronously, so the last frame before the pause may land a moment after the label:
    # give it up to a second.
    for _ in range(20):
        shown = tab.evaluate(SHOWN)
        if shown["cost"][0] == pytest.approx(epoch, abs=0.5):
            break
        tab.wait_for_timeout(50)
    assert shown["cost"][0] == pytest.approx(epoch, abs=0.5)
    a, b = shown["landscape"]
    x0, y0, x1, y1 = shown["line"]
    scale = abs(y1 - y0) + 1
    assert y0 == pytest.approx(a + b * x0, abs=0.02 * scale)
    assert y1 == pytest.approx(a + b * x1, abs=0.02 * scale)
    # Once the student stops, the value reaches Python and the link.
    tab.wait_for_function(
        f"() => new URLSearchParams(location.search).get('gd_epoch') === '{epoch}'"
    )
    assert tab.console_log.errors == []


# The landscape's path so far (trace 1, ui.descent_charts.LANDSCAPE_PATH) as drawn: its
# number of points, its last point, the current point (trace 4), and the pixels between
# those two.
PATH_SHOWN = """() => {
  const land = document.querySelector('.live-chart');
  const {xaxis, yaxis} = land._fullLayout;
  const path = land._fullData[1];
  const now = land._fullData[4];
  const last = [path.x.at(-1), path.y.at(-1)];
  const gap = Math.hypot(xaxis.d2p(last[0]) - xaxis.d2p(now.x[0]),
                         yaxis.d2p(last[1]) - yaxis.d2p(now.y[0]));
  return {points: path.x.length, last, now: [now.x[0], now.y[0]], gap};
}"""


def test_the_path_grows_from_the_start_as_the_epochs_play(open_tab, app_url):
    tab = open_tab(1280, 1400)
    open_page(tab, f"{app_url}/gradient_descent?gd_epochs=50")
    scrubber = widget(tab, "gd_epoch")
    # Before ▶: epoch 0, the path only its start (a = 0, b = 0, the page's default).
    before = tab.evaluate(PATH_SHOWN)
    assert before == {"points": 1, "last": [0, 0], "now": [0, 0], "gap": 0}
    scrubber.locator("button").click()
    tab.wait_for_function(
        "() => document.querySelector('.st-key-gd_epoch .live-scrubber-value').innerText === '50'"
    )
    # After play: every epoch's point up to the end (51 on a 50-epoch run, fewer where
    # neighbours lie under a pixel apart), ending where the current point is (within the
    # thinning's tolerance, ui.descent_charts.DRAWN_TOLERANCE: about a pixel here).
    tab.wait_for_function(
        f"() => {{ const shown = ({PATH_SHOWN})(); return shown.points > 10 && shown.gap < 2; }}"
    )
    assert tab.console_log.errors == []


# True once the landscape's plotting area has kept its size for five polls in a row.
SETTLED_PLOT = """() => { const layout = document.querySelector('.live-chart')._fullLayout;
  const size = `${layout.xaxis._length}x${layout.yaxis._length}`;
  window.__plotSizes = [...(window.__plotSizes || []), size].slice(-5);
  return window.__plotSizes.length === 5 && window.__plotSizes.every((s) => s === size); }"""

RANGES = """() => { const {xaxis, yaxis} = document.querySelector('.live-chart')._fullLayout;
  return [xaxis.range, yaxis.range]; }"""


def test_a_click_on_the_landscape_moves_the_start_where_the_pointer_was(open_tab, app_url):
    tab = open_tab(1280, 1400)
    open_page(tab, f"{app_url}/gradient_descent")
    # A column that wraps under its chart (ui/layout_css.py) resizes the chart once after its
    # first draw: take the pointer's pixel from the plot's settled size.
    tab.wait_for_function(SETTLED_PLOT, polling=100)
    ranges = tab.evaluate(RANGES)
    pointer = tab.evaluate(PIXEL_IN, [0, -1.5, 1.0])
    tab.mouse.click(*pointer)
    tab.wait_for_function("() => new URLSearchParams(location.search).get('gd_start') !== null")
    tab.wait_for_selector(IDLE)
    start = tab.evaluate("() => new URLSearchParams(location.search).get('gd_start')")
    a, b = map(float, start.split(","))
    assert a == pytest.approx(-1.5, abs=0.05) and b == pytest.approx(1.0, abs=0.05)
    tab.wait_for_function(
        """([a, b]) => { const t = document.querySelector('.live-chart').data[2];
             return Math.abs(t.x[0] - a) < 1e-9 && Math.abs(t.y[0] - b) < 1e-9; }""",
        arg=[a, b],
    )
    # The axes did not move, and the start's ○ is drawn where the pointer was.
    assert tab.evaluate(RANGES) == ranges
    drawn = tab.evaluate(PIXEL_IN, [0, a, b])
    assert drawn[0] == pytest.approx(pointer[0], abs=3)
    assert drawn[1] == pytest.approx(pointer[1], abs=3)
    assert tab.console_log.errors == []


def test_a_new_loss_starts_the_epochs_at_the_start(open_tab, app_url):
    tab = open_tab(1280, 1400)
    open_page(tab, f"{app_url}/gradient_descent?gd_epochs=50")
    scrubber = widget(tab, "gd_epoch")
    scrubber.locator("input").focus()
    for _ in range(5):
        tab.keyboard.press("ArrowRight")
    tab.wait_for_function("() => new URLSearchParams(location.search).get('gd_epoch') === '5'")
    tab.wait_for_selector(IDLE)
    widget(tab, "gd_loss").click()
    tab.get_by_role("option", name="Mean absolute error (MAE)").click()
    tab.wait_for_function(
        "() => (new URLSearchParams(location.search).get('gd_loss') || '').includes('MAE')"
    )
    # Waited for, not read at once: the URL changes before the rerun that redraws the
    # scrubber has run, and the page may look idle in between.
    tab.wait_for_function(
        """() => { const shown = document.querySelector(
                     "[class*='st-key-gd_epoch'] .live-scrubber-value");
                   return shown !== null && shown.innerText === "0"
                     && new URLSearchParams(location.search).get("gd_epoch") === null; }"""
    )
    tab.wait_for_selector(IDLE)
    value = tab.locator("[class*='st-key-gd_epoch'] .live-scrubber-value")
    assert value.inner_text() == "0"
    # The charts follow: the current point is the start again.
    tab.wait_for_function(f"() => ({PATH_SHOWN})().points === 1")
    # Another rerun (the whole path shown) keeps it there: the browser forgot the old epoch.
    widget(tab, "gd_whole_path").locator("label").click()
    tab.wait_for_function("() => new URLSearchParams(location.search).get('gd_whole_path')")
    tab.wait_for_selector(IDLE)
    tab.wait_for_function("() => document.querySelector('.live-chart')._fullData[5].x.length > 1")
    assert value.inner_text() == "0"
    assert tab.console_log.errors == []


def test_a_click_on_the_data_adds_a_point_and_the_lines_change(open_tab, app_url):
    tab = open_tab(1280, 1400)
    open_page(tab, f"{app_url}/gradient_descent")
    before = tab.evaluate(
        "() => JSON.stringify(document.querySelectorAll('.live-chart')[1].data.at(-2).y)"
    )
    tab.mouse.click(*tab.evaluate(PIXEL_IN, [1, 9.0, 30.0]))
    tab.wait_for_function("() => new URLSearchParams(location.search).get('gd_points') !== null")
    tab.wait_for_function(
        """(before) => { const plot = document.querySelectorAll('.live-chart')[1];
             const stars = plot.data[2].x;
             return (stars._inputArray ?? stars).length === 1
               && JSON.stringify(plot.data.at(-2).y) !== before; }""",
        arg=before,
    )
    assert tab.console_log.errors == []
