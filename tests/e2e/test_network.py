"""The "Train a network" page in Chromium: ▶ plays both trainings in the browser with no
websocket message, and at the epoch where it was paused the two panels (the picture, the
½ contour, the points' sizes, or the fitted curve), the cost marker, the reliability curves
and the scrubber's readouts are exactly the Python frames of that epoch."""

from __future__ import annotations

import base64
import io
import math
from urllib.parse import quote, urlencode

import numpy as np
import pytest
from PIL import Image

from tests.app import harness
from tests.e2e.streamlit_browser import IDLE, open_page, widget
from ui.frames import shown_figure

pytestmark = pytest.mark.e2e

# The expected figures are the page's own Python frames: the payloads an AppTest run of
# views/network.py at the same link sends its live charts (`tests.app.harness`).
CLASSIFICATION = {}  # the page's defaults: two moons, BCE against the task's B
REGRESSION = {"net_data_set": "sine curve (regression)", "net_data_outliers": "0.1"}

# Counts the tab's websocket sends (Streamlit's client sends every message through
# WebSocket.send) with their times, and pauses the scrubber from inside the page, in the
# same task as the step labelled `label` is shown: the paused step does not depend on how
# fast the test process or the machine is.
PAUSE_AT = """(label) => {
  window.__sends = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) {
    window.__sends.push(performance.now());
    return send.apply(this, args);
  };
  const box = document.querySelector('.st-key-net_epoch .live-scrubber');
  const button = box.querySelector('button');
  const value = box.querySelector('.live-scrubber-value');
  button.addEventListener('click', () => { window.__playedAt ??= performance.now(); },
                          {capture: true});
  new MutationObserver(() => {
    if (window.__pausedAt === undefined && value.textContent === label
        && button.getAttribute('aria-label') === 'pause') {
      button.click();
      window.__pausedAt = performance.now();
    }
  }).observe(value, {childList: true, characterData: true, subtree: true});
}"""
SENT_WHILE_PLAYING = """() => window.__sends.filter(
  (time) => time >= window.__playedAt && time <= window.__pausedAt).length"""

# Every trace of the charts `keys` as Plotly holds it for drawing (`_fullData`: the figure
# after Plotly decoded its packed arrays), as plain numbers.
DRAWN = """(keys) => Object.fromEntries(keys.map((key) => {
  const plot = document.querySelector(`.st-key-${key} .live-chart`);
  const isList = (values) => values !== null && typeof values === 'object'
    && values.length !== undefined;
  const plain = (values) => (isList(values)
    ? Array.from(values, (value) => (isList(value) ? Array.from(value) : value)) : values);
  const traces = plot._fullData.map((trace) => ({
    name: trace.name, x: plain(trace.x), y: plain(trace.y), z: plain(trace.z),
    size: plain(trace.marker ? trace.marker.size : undefined)}));
  // A layout image (a panel's picture): its source, and what the page shows of it.
  const images = (plot._fullLayout.images || []).map((image) => image.source);
  const shown = [...plot.querySelectorAll('.imagelayer image')].map(
    (node) => node.getAttributeNS('http://www.w3.org/1999/xlink', 'href'));
  return [key, {traces, images, shown}];
}))"""


def _numbers(values) -> np.ndarray | None:
    """A trace property as numbers: a packed array ({dtype, bdata[, shape]}, what the page
    sends) decoded as plotly.js decodes it, or a plain list."""
    if values is None:
        return None
    if isinstance(values, dict):
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        if "shape" in values:
            array = array.reshape([int(size) for size in values["shape"].split(",")])
        return array.astype(np.float64)
    if isinstance(values, list | tuple):
        return np.array([math.nan if value is None else value for value in values], float)
    return np.array(values, dtype=float)


def _expected(payload: dict, step: int) -> dict:
    """The traces and layout images' sources of a live chart's payload at frame ``step``
    (`ui.frames.shown_figure`, which applies a frame as ui/live_chart.js does)."""
    shown = shown_figure(payload | {"active": step})
    traces = [
        {
            "name": trace.get("name"),
            "x": _numbers(trace.get("x")),
            "y": _numbers(trace.get("y")),
            "z": _numbers(trace.get("z")),
            "size": _numbers((trace.get("marker") or {}).get("size")),
        }
        for trace in shown["data"]
    ]
    images = [image["source"] for image in shown["layout"].get("images", [])]
    return {"traces": traces, "images": images, "shown": images}


def _pixels(url: str) -> np.ndarray:
    """A PNG data URL's pixels as RGB (Plotly redraws a layout image through a canvas: the
    same pixels, other bytes)."""
    png = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _same(drawn: dict, expected: dict) -> list[str]:
    """Where the drawn chart differs from the expected one (nothing: an empty list)."""
    differences = []
    if drawn["images"] != expected["images"]:
        differences.append("layout images' sources differ")
    if len(drawn["shown"]) != len(expected["shown"]):
        differences.append(f"{len(drawn['shown'])} images shown, {len(expected['shown'])} sent")
    elif any(
        not np.array_equal(_pixels(shown), _pixels(sent))
        for shown, sent in zip(drawn["shown"], expected["shown"], strict=True)
    ):
        differences.append("an image shows other pixels than its source")
    if len(drawn["traces"]) != len(expected["traces"]):
        counts = len(drawn["traces"]), len(expected["traces"])
        return [*differences, "{} traces drawn, {} sent".format(*counts)]
    for index, (shown, sent) in enumerate(zip(drawn["traces"], expected["traces"], strict=True)):
        if shown["name"] != sent["name"]:
            differences.append(f"trace {index}: name {shown['name']!r} != {sent['name']!r}")
        for part in ("x", "y", "z", "size"):
            if sent[part] is None:
                continue  # Plotly's default, not the page's
            values = _numbers(shown[part])
            if values is None or values.shape != sent[part].shape:
                shape = None if values is None else values.shape
                differences.append(f"trace {index} {part}: shape {shape} != {sent[part].shape}")
            elif not np.array_equal(values, sent[part], equal_nan=True):
                wrong = int(np.sum(~((values == sent[part]) | np.isnan(sent[part]))))
                differences.append(f"trace {index} {part}: {wrong} of {values.size} values differ")
    return differences


def _python_page(query: dict) -> tuple[dict, dict]:
    """The page as Python builds it for ``query``: the epoch scrubber's payload and every
    live chart's payload (figure and frames) by key (`tests.app.harness`)."""
    at = harness.open_page("views/network.py", query_params=query)
    assert harness.problems(at) == []
    charts = {}
    for element in harness.live_charts(at):
        payload = harness._live_payload(at, element)
        charts[payload["key"]] = payload
    return harness.scrubber(at, "net_epoch"), charts


def _play_and_pause(tab, app_url: str, query: dict, charts: list[str]) -> None:
    scrubber, payloads = _python_page(query)
    labels = scrubber["labels"]
    step = len(labels) // 2
    # The scrubber starts at the last epoch; ▶ there plays from the first. The paused step
    # must look different from the last (else a chart that never moved would pass).
    assert scrubber["value"] == len(labels) - 1
    for key in charts:
        last = _as_read(_expected(payloads[key], len(labels) - 1))
        assert _same(last, _expected(payloads[key], step)), f"{key}: the same at both steps"

    open_page(tab, f"{app_url}/network?{urlencode(query, quote_via=quote)}")
    box = widget(tab, "net_epoch")
    assert box.locator(".live-scrubber-value").inner_text() == labels[-1]
    tab.evaluate(PAUSE_AT, labels[step])
    box.locator("button").click()
    tab.wait_for_function("() => window.__pausedAt !== undefined")
    assert tab.evaluate(SENT_WHILE_PLAYING) == 0, "playback sent a websocket message"
    assert box.locator("button").get_attribute("aria-label") == "play"
    assert box.locator(".live-scrubber-value").inner_text() == labels[step]
    readout = [cell.inner_text() for cell in box.locator(".live-scrubber-readout-value").all()]
    assert readout == scrubber["readout"]["values"][step]

    expected = {key: _expected(payloads[key], step) for key in charts}
    # The panels redraw in the animation frames after the pause, and a chart whose frames
    # only move a marker (the cost chart) moves its SVG first and updates Plotly's own record
    # a moment later (ui/live_chart.js quickMove): wait until every chart holds the step.
    _wait_until_drawn(tab, expected)
    # Once the student stops, the step reaches Python (the tab's first message since ▶) and
    # the link; the rerun that follows leaves the charts at that step.
    tab.wait_for_function(
        f"() => new URLSearchParams(location.search).get('net_epoch') === '{labels[step]}'"
    )
    assert tab.evaluate("() => window.__sends.length") >= 1
    tab.wait_for_selector(IDLE)
    _wait_until_drawn(tab, expected)
    assert tab.console_log.errors == []


def _as_read(expected: dict) -> dict:
    """An ``expected`` chart in the form `DRAWN` reads from the page (to compare two steps)."""
    traces = [
        {
            part: value.tolist() if isinstance(value, np.ndarray) else value
            for part, value in trace.items()
        }
        for trace in expected["traces"]
    ]
    return expected | {"traces": traces}


def _wait_until_drawn(tab, expected: dict, *, timeout_ms: float = 30_000) -> None:
    """Wait (a look every 50 ms) until the charts hold ``expected`` ({key: traces}); on
    timeout, fail naming what differs."""
    keys = list(expected)
    deadline = tab.evaluate("() => performance.now()") + timeout_ms
    while True:
        drawn = tab.evaluate(DRAWN, keys)
        differences = {key: _same(drawn[key], expected[key]) for key in keys}
        differences = {key: found for key, found in differences.items() if found}
        if not differences:
            return
        now = tab.evaluate(
            "() => new Promise((done) => setTimeout(() => done(performance.now()), 50))"
        )
        assert now < deadline, f"the charts do not show the paused step: {differences}"


def test_play_draws_the_python_frames_of_a_classification(open_tab, app_url):
    _play_and_pause(
        open_tab(1280, 800),
        app_url,
        CLASSIFICATION,
        ["net_panel_a", "net_panel_b", "net_cost_chart", "net_reliability"],
    )


def test_play_draws_the_python_frames_of_a_regression(open_tab, app_url):
    _play_and_pause(
        open_tab(1280, 800), app_url, REGRESSION, ["net_panel_a", "net_panel_b", "net_cost_chart"]
    )


# Moves the epoch scrubber to `step` as a student's drag does (an input event) and reads
# panel A in the animation frame that draws it, before Plotly's catch-up redraw: the
# picture's image source, and each point's size as drawn (Plotly's size times the scale
# the quick path set).
QUICK_STEP = """async (step) => {
  const input = document.querySelector('.st-key-net_epoch .live-scrubber input');
  input.value = String(step);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise((done) => requestAnimationFrame(done));
  const plot = document.querySelector('.st-key-net_panel_a .live-chart');
  const image = plot.querySelector('.imagelayer image');
  const sizes = [...plot.querySelectorAll('.scatterlayer .trace')].map((group) => {
    const trace = group.__data__[0].trace;
    const drawn = trace.marker ? trace.marker.size : null;
    return [trace.index, [...group.querySelectorAll('path.point')].map((point) => {
      const scale = /scale\\(([^)]*)\\)/.exec(point.getAttribute('transform') || '');
      return [point.__data__.i, drawn[point.__data__.i] * (scale ? Number(scale[1]) : 1)];
    })];
  });
  return {href: image.getAttributeNS('http://www.w3.org/1999/xlink', 'href'), sizes};
}"""


def test_a_step_is_drawn_without_plotly_while_the_scrubber_moves(open_tab, app_url):
    scrubber, payloads = _python_page(CLASSIFICATION)
    step = len(scrubber["labels"]) // 2
    expected = _expected(payloads["net_panel_a"], step)
    tab = open_tab(1280, 800)
    open_page(tab, f"{app_url}/network")
    quick = tab.evaluate(QUICK_STEP, step)
    # Plotly redraws an image through a canvas (another data URL): the frame's own source
    # is the quick path's.
    assert quick["href"] == expected["images"][0]
    resized = 0
    for index, points in quick["sizes"]:
        sent = expected["traces"][index]["size"]
        if sent is None:
            continue
        for point, size in points:
            assert size == pytest.approx(sent[point], rel=1e-6), f"trace {index} point {point}"
        resized += len(points)
    assert resized == 300  # every training point of the page's defaults (views/network.py)
