"""The Huber δ lab in a real browser: the scrubber, its numbers and the first charts in
view together at 1280×800, the numbers switched with the frames on a key press (before any
rerun) and equal to the rerun's, whole at 1024 px, and large enough on a projector."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lessons.curves import regression_curve
from losses import get
from tests.e2e.streamlit_browser import IDLE, open_page, widget
from ui.scrubber import SETTLE_MS

pytestmark = pytest.mark.e2e

SCRUBBER = "hub_huber_delta"
VALUES = f".st-key-{SCRUBBER} .live-scrubber-readout-value"

# Timestamps of the key press, of the first change of the numbers under the scrubber (with
# the script's state then) and of the first animation frame after the key press.
WATCH = f"""() => {{
  const app = document.querySelector("[data-testid='stApp']");
  const readout = document.querySelector(".st-key-{SCRUBBER} .live-scrubber-readout");
  window.__watch = {{key: null, frame: null, change: null, state: null, texts: null}};
  document.addEventListener("keydown", () => {{
    window.__watch.key = performance.now();
    requestAnimationFrame(() => {{ window.__watch.frame = performance.now(); }});
  }}, {{capture: true, once: true}});
  const observer = new MutationObserver(() => {{
    if (window.__watch.change !== null) return;
    window.__watch.change = performance.now();
    window.__watch.state = app.dataset.testScriptState;
    window.__watch.texts = [...readout.querySelectorAll("dd")].map((cell) => cell.textContent);
    observer.disconnect();
  }});
  observer.observe(readout, {{subtree: true, childList: true, characterData: true}});
}}"""


def _numbers(tab) -> list[str]:
    return tab.locator(VALUES).all_inner_texts()


def _scrolled(tab) -> float:
    return tab.evaluate(
        "() => document.querySelector(\"[data-testid='stMain']\").scrollTop + window.scrollY"
    )


def test_the_scrubber_its_numbers_and_the_first_charts_are_in_view_at_1280x800(open_tab, app_url):
    tab = open_tab(1280, 800)
    open_page(tab, f"{app_url}/huber")
    assert _scrolled(tab) == 0
    tops = tab.evaluate(
        """() => [...document.querySelectorAll('.live-chart')].slice(0, 2)
             .map((chart) => chart.getBoundingClientRect().top)"""
    )
    readout = tab.locator(f".st-key-{SCRUBBER} .live-scrubber-readout").bounding_box()
    # Both charts of the first row start above the fold, with at least 300 px of them (the
    # legend and most of the first panel) in view, under the scrubber and its numbers.
    assert len(tops) == 2 and all(readout["y"] + readout["height"] < top for top in tops)
    assert all(top < 800 - 300 for top in tops), tops
    assert tab.console_log.errors == []


def test_the_numbers_follow_a_key_press_before_the_rerun_and_equal_its_numbers(open_tab, app_url):
    tab = open_tab(1280, 800)
    open_page(tab, f"{app_url}/huber")
    before = _numbers(tab)
    assert before[0].endswith(" of 200")  # the default data: make_regression(200)
    tab.evaluate(WATCH)
    slider = widget(tab, SCRUBBER).locator("input[role='slider']")
    slider.focus()
    tab.keyboard.press("ArrowRight")  # δ = 1 → 1.25 (R10 steps)
    tab.wait_for_function("() => window.__watch.change !== null && window.__watch.frame !== null")
    watch = tab.evaluate("() => window.__watch")
    # The numbers changed in the key press's own task, before the next animation frame and
    # long before the scrubber reports its value (SETTLE_MS): no rerun had started.
    assert watch["key"] <= watch["change"] < watch["frame"], watch
    assert watch["change"] - watch["key"] < SETTLE_MS
    assert watch["state"] == "notRunning"
    moved = watch["texts"]
    assert moved != before and moved[1] != before[1]  # the Huber slope moved with δ
    # Once the student stops, the page reruns at δ = 1.25: the numbers stay as the key press
    # set them, and the zone chart's text alternative, written by the rerun from its own
    # fit (lessons.alt_text.huber_zones), counts and states the same.
    in_url = f"new URLSearchParams(location.search).get('{SCRUBBER}')"
    tab.wait_for_function(f"() => {in_url} === '1.25'")
    zones = tab.locator(".st-key-hub_zone_chart .live-chart")
    tab.wait_for_function(
        """() => document.querySelector(".st-key-hub_zone_chart .live-chart")
             .getAttribute("aria-label").includes("±δ = 1.25:")"""
    )
    tab.wait_for_selector(IDLE)
    assert _numbers(tab) == moved
    alt = zones.get_attribute("aria-label")
    inside = moved[0].split(" of ")[0]
    assert f"{inside} points inside (quadratic zone)" in alt, alt
    slope = re.search(r"Huber line \(slope ([-\d.]+)\)", alt).group(1)
    assert f"{float(moved[1]):.3g}" == slope
    assert tab.console_log.errors == []


def test_the_numbers_are_whole_at_1024_px(open_tab, app_url):
    tab = open_tab(1024, 768)
    open_page(tab, f"{app_url}/huber")
    # Each number fits inside its own box (nothing cut or ellipsised, none over another).
    overflow = tab.evaluate(
        f"""() => [...document.querySelectorAll("{VALUES}")].map((value) => {{
          const item = value.parentElement.getBoundingClientRect();
          const box = value.getBoundingClientRect();
          return [value.textContent, value.scrollWidth - value.clientWidth,
                  box.right - item.right];
        }})"""
    )
    assert len(overflow) == 4
    for text, cut, past in overflow:
        assert cut <= 0 and past <= 0.5, (text, cut, past)
    assert _numbers(tab)[0].endswith(" of 200")


def test_the_numbers_are_at_least_20_px_on_a_1080p_projector(open_tab, app_url):
    tab = open_tab(1920, 1080)
    open_page(tab, f"{app_url}/huber?present=1&scene=5")
    sizes = tab.evaluate(
        f"""() => [...document.querySelectorAll(
               ".st-key-{SCRUBBER} .live-scrubber-readout dt, {VALUES}")]
             .map((cell) => parseFloat(getComputedStyle(cell).fontSize))"""
    )
    assert len(sizes) == 8 and min(sizes) >= 20, sizes  # ui.presentation.MIN_FONT
    # The slide does not scroll: its last chart ends inside the screen.
    bottom = tab.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.live-chart')]
             .map((chart) => chart.getBoundingClientRect().bottom))"""
    )
    assert bottom <= 1080
    assert tab.console_log.errors == []


DRAWN = """(selector) => {
  const plot = document.querySelector(selector);
  return {
    names: plot.data.map((trace) => trace.name),
    xs: plot._fullData.map((trace) => Array.from(trace.x)),
    ys: plot._fullData.map((trace) => Array.from(trace.y)),
    shapes: (plot.layout.shapes || []).map((shape) => [shape.x0, shape.x1, shape.visible]),
    yRange: plot.layout.yaxis.range,
  };
}"""


def test_a_key_press_draws_the_cores_curves_and_zones_from_the_shared_arrays(open_tab, app_url):
    """The frames send Huber as ½r² within ±δ and δ|r| − ½δ² beyond, δ·MAE as δ times |r|
    and each zone as a mask of the data (ui/frames.py); the browser's own arithmetic must
    draw the core's numbers: checked here against the registry at δ = 1.25."""
    tab = open_tab(1280, 800)
    open_page(tab, f"{app_url}/huber")
    widget(tab, SCRUBBER).locator("input[role='slider']").focus()
    tab.keyboard.press("ArrowRight")  # δ = 1 → 1.25 (R10 steps)
    curve, zones = ".st-key-hub_curve_chart .live-chart", ".st-key-hub_zone_chart .live-chart"
    tab.wait_for_function(
        f"""() => document.querySelector("{curve}").data[0].name === "Huber, δ = 1.25"
             && document.querySelector("{zones}").data[3].name === "Huber fit, δ = 1.25" """
    )
    drawn = tab.evaluate(DRAWN, curve)
    axis = np.array(drawn["xs"][0], dtype=np.float64)  # float32 in the frames
    value, grad = regression_curve(get("huber"), axis, delta=1.25)
    mae_value, mae_grad = regression_curve(get("mae"), axis)
    mse_value, mse_grad = regression_curve(get("mse"), axis)
    expected = [value, grad, 0.5 * mse_value, 0.5 * mse_grad, 1.25 * mae_value, 1.25 * mae_grad]
    for index, numbers in enumerate(expected):
        assert np.allclose(drawn["ys"][index], numbers, rtol=1e-6, atol=1e-12), index
    # The ±δ lines (traces 6 and 7) at ±1.25; the loss axis's top a 1, 2 or 5 × 10^k that
    # Huber's largest value fills between 30 % and 95 % of (ui.huber_charts.shared_tops).
    assert drawn["xs"][6][:2] == [-1.25, -1.25] and drawn["xs"][6][-2:] == [1.25, 1.25]
    top = drawn["yRange"][1]
    assert 1.05 * value.max() <= top <= value.max() / 0.3
    assert f"{top:g}"[0] in "125" and set(f"{top:g}"[1:]) <= {"0"}
    # The zones: each drawn point on the side of ±δ its trace names, counted in its legend.
    points = tab.evaluate(DRAWN, zones)
    (x0, x1), (y0, y1) = points["xs"][3], points["ys"][3]
    slope = (y1 - y0) / (x1 - x0)
    for index, inside in ((1, True), (2, False)):
        x, y = np.array(points["xs"][index]), np.array(points["ys"][index])
        assert np.all((np.abs(y0 + slope * (x - x0) - y) <= 1.25) == inside), index
        assert points["names"][index].endswith(f"({x.size})")
    assert x.size + len(points["xs"][1]) == 200
    assert tab.console_log.errors == []


def test_most_steps_of_delta_are_drawn_without_plotlys_pipeline(open_tab, app_url):
    """While the axes stay, a step of δ moves the drawn curves, points and lines in place
    (ui/live_chart.js quickMove; the chart is marked data-quick until Plotly catches up),
    and the hover still names each trace as the frame does."""
    tab = open_tab(1280, 800)
    open_page(tab, f"{app_url}/huber")
    widget(tab, SCRUBBER).locator("input[role='slider']").focus()
    # Count each time a chart is marked drawn-in-place (the attribute added), as it happens.
    tab.evaluate(
        """() => {
          window.__quick = {};
          for (const chart of document.querySelectorAll(".live-chart")) {
            const key = chart.closest("[class*='st-key-']").className.match(/st-key-(\\S+)/)[1];
            window.__quick[key] = 0;
            new MutationObserver((records) => {
              for (const record of records) if (record.oldValue === null) window.__quick[key] += 1;
            }).observe(chart, {attributeFilter: ["data-quick"], attributeOldValue: true});
          }
        }"""
    )
    for delta in ("0.8", "0.63", "0.5", "0.4"):
        tab.keyboard.press("ArrowLeft")
        # Each chart has caught up (Plotly has drawn this δ's frame, nothing is in place).
        tab.wait_for_function(
            f"""() => {{
              const chart = (key) => document.querySelector(`.st-key-${{key}} .live-chart`);
              const settled = [...document.querySelectorAll(".live-chart")]
                .every((one) => one.dataset.quick === undefined);
              const star = chart("hub_sweep_chart")._fullData.find((t) => t.name === "current δ");
              return settled && star.x[0] === {delta}
                && chart("hub_curve_chart")._fullData[0].name === "Huber, δ = {delta}"
                && chart("hub_zone_chart")._fullData[0].name.endsWith("(δ = {delta})");
            }}"""
        )
    quick = tab.evaluate("() => window.__quick")
    # The zones and the sweep have no layout change at any δ; the curves keep their axes
    # for most steps (here: all but at most two of four).
    assert quick["hub_zone_chart"] == 4 and quick["hub_sweep_chart"] == 4, quick
    assert quick["hub_curve_chart"] >= 2, quick
    # Hover the zone chart's first linear-zone point: its label is the trace's name.
    name = tab.evaluate(
        """() => {
          const plot = document.querySelector(".st-key-hub_zone_chart .live-chart");
          window.Plotly.Fx.hover(plot, [{curveNumber: 2, pointNumber: 0}]);
          return [plot._fullData[2].name,
                  [...plot.querySelectorAll(".hoverlayer .name")].map((n) => n.textContent)];
        }"""
    )
    assert name[0].startswith("linear zone |r| > δ (") and name[0] in name[1], name
    assert tab.console_log.errors == []
