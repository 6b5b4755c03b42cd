"""Presentation mode fits the screen it is on: at every laptop and projector size, each
scene (its question revealed) shows without vertical scroll, charts side by side are one
height, the top row stays on one line with no word cut and ◀ ▶ in sight, and every
number a student reads is at least as large as the charts' text scaled to the screen's
height.

One tab per size, reused across the 14 scenes.
"""

from __future__ import annotations

import math

import pytest

from tests.e2e.conftest import ConsoleLog
from tests.e2e.streamlit_browser import CHARTS_DRAWN, IDLE
from ui import presentation, scenes

pytestmark = pytest.mark.e2e

# (width, height, device scale factor): laptops and projectors, and a 4K screen at OS
# scale 2 (a 1920 × 1080 CSS viewport drawn with 2 device pixels per CSS pixel).
SIZES = [
    (1024, 768, 1),
    (1280, 720, 1),
    (1280, 800, 1),
    (1366, 768, 1),
    (1920, 1080, 1),
    (1920, 1080, 2),
]


def least_font(height: int) -> int:
    """The smallest type allowed: the charts' MIN_FONT (20 px) at 1080 px high, scaled with
    the screen's height and rounded down (14 px at 768: the same size on the wall)."""
    return math.floor(presentation.MIN_FONT * height / 1080)


# Per scene: the main area's and the page's vertical overflow, the top row's state, and the
# smallest font (px, with its text) of each kind of thing a student reads.
MEASURE = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden'
      && style.clipPath !== 'inset(50%)'; };
  const texts = (selector) => [...main.querySelectorAll(selector)]
    .flatMap((root) => [root, ...root.querySelectorAll('*')])
    .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  const smallest = (elements, size = (el) => parseFloat(getComputedStyle(el).fontSize)) => {
    let least = null;
    for (const el of elements) {
      if (!shown(el)) continue;
      const px = size(el);
      if (least === null || px < least[0]) {
        least = [px, (el.value || el.textContent).trim().slice(0, 40)];  // an input's value
      }
    }
    return least;
  };
  // A data grid draws on a canvas in the font its theme names, zoomed with its box.
  const gridFont = (grid) => {
    const themed = grid.querySelector('[style*="--gdg-base-font-style"]');
    const px = themed && /([\\d.]+)px/.exec(themed.style.getPropertyValue('--gdg-base-font-style'));
    return px ? parseFloat(px[1]) * grid.getBoundingClientRect().width / grid.offsetWidth : 0;
  };
  const svgFont = (text) => parseFloat(text.style.fontSize || getComputedStyle(text).fontSize);
  const row = document.querySelector('.st-key-present_bar');
  const controls = [...row.querySelectorAll('button, label')].filter(shown);
  const boxes = controls.map((el) => el.getBoundingClientRect());
  const arrow = (key, glyph) => {
    const button = document.querySelector(`.st-key-${key} button`);
    const marks = button ? [...button.querySelectorAll('p')] : [];
    const mark = marks.find((p) => p.textContent.includes(glyph));
    return Boolean(mark && shown(mark) && mark.scrollWidth <= mark.clientWidth + 1);
  };
  const title = row.querySelector('[data-testid="stMarkdownContainer"] p');
  // Charts side by side (the same top): their heights, which should be one.
  const rows = {};
  for (const chart of main.querySelectorAll('.live-chart')) {
    if (!shown(chart)) continue;
    const top = Math.round(chart.getBoundingClientRect().top);
    (rows[top] = rows[top] || []).push(chart.offsetHeight);
  }
  return {
    uneven: Object.values(rows).filter((heights) =>
      Math.max(...heights) - Math.min(...heights) > 1),
    overflow: main.scrollHeight - main.clientHeight,
    page_overflow: document.documentElement.scrollHeight - window.innerHeight,
    one_line: Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom)),
    title_lines: Math.round(title.getBoundingClientRect().height
      / parseFloat(getComputedStyle(title).lineHeight)),
    cut: [...row.querySelectorAll('*')].filter((el) => shown(el)
      && getComputedStyle(el).overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent.trim().slice(0, 20)),
    arrows: arrow('scene_back', '◀') && arrow('scene_next', '▶'),
    fonts: {
      'metric value': smallest(texts('[data-testid="stMetricValue"]')),
      'table cell': smallest(texts('[data-testid="stTable"] td, [data-testid="stTable"] th')),
      'data grid': smallest(main.querySelectorAll('[data-testid="stDataFrame"]'), gridFont),
      'scrubber': smallest(texts('.live-scrubber-head')),
      'formula': smallest(main.querySelectorAll('.katex')),
      'select': smallest(main.querySelectorAll('[data-testid="stSelectbox"] input')),
      'chart text': smallest([...main.querySelectorAll('.main-svg text')]
        .filter((t) => t.textContent.trim()), svgFont),
    },
  };
}
"""

# The charts' heights and the main area's overflow: still for three polls in a row once the
# charts have fitted the screen (they are fitted after drawing and again when the page
# below them changes).
STEADY = f"""
() => {{
  if (document.querySelector("{IDLE}") === null) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  const now = JSON.stringify([main.scrollHeight,
    ...[...document.querySelectorAll('.live-chart')].map((c) => c.offsetHeight)]);
  window.__fitSeen = (window.__fitSeen || []).concat([now]).slice(-3);
  return window.__fitSeen.length === 3 && window.__fitSeen.every((seen) => seen === now);
}}
"""


def _settle(tab) -> None:
    tab.wait_for_function(
        f'() => document.querySelector("{IDLE}") !== null && '
        f"(document.querySelectorAll('.live-chart').length === 0 || ({CHARTS_DRAWN})() > 0)"
    )
    tab.evaluate("() => { window.__fitSeen = []; }")
    tab.wait_for_function(STEADY, polling=300)


def _open_scene(tab, app_url: str, number: int) -> None:
    tab.goto(app_url + scenes.link(number))
    _settle(tab)
    if scenes.SCENES[number - 1].question is not None:
        tab.locator(f".st-key-scene_{number}_reveal button").click()
        _settle(tab)
    # Waited for, not counted: on a cold server the script can be idle before the first
    # chart box mounts.
    tab.locator(".live-chart").first.wait_for(timeout=15_000)
    _settle(tab)


@pytest.mark.parametrize(
    ("width", "height", "scale"), SIZES, ids=[f"{w}x{h}@{s}" for w, h, s in SIZES]
)
def test_every_scene_fits_the_screen(browser, app_url, width, height, scale):
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    context.set_default_timeout(60_000)
    try:
        tab = context.new_page()
        log = ConsoleLog(tab)
        least = least_font(height)
        problems = []
        for number in range(1, len(scenes.SCENES) + 1):
            _open_scene(tab, app_url, number)
            seen = tab.evaluate(MEASURE)
            if seen["overflow"] > 0 or seen["page_overflow"] > 0:
                problems.append(f"scene {number}: scrolls {seen['overflow']} px")
            if not seen["one_line"] or seen["title_lines"] != 1:
                problems.append(f"scene {number}: the top row takes more than one line")
            if seen["cut"]:
                problems.append(f"scene {number}: the top row cuts {seen['cut']}")
            if seen["uneven"]:
                problems.append(f"scene {number}: charts side by side at {seen['uneven']} px")
            if not seen["arrows"]:
                problems.append(f"scene {number}: ◀ or ▶ is not in sight")
            for kind, found in seen["fonts"].items():
                if found is not None and found[0] < least:
                    problems.append(f"scene {number}: {kind} {found[1]!r} at {found[0]} px")
        assert problems == [], f"at {width}×{height} (type ≥ {least} px): {problems}"
        assert log.errors == []
    finally:
        context.close()


def test_the_top_row_names_its_icons(browser, app_url):
    """On a narrow screen the row shows icons; each control keeps its word as its name."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.set_default_timeout(60_000)
    try:
        tab = context.new_page()
        _open_scene(tab, app_url, 2)
        bar = tab.locator(".st-key-present_bar")
        for role, name in (("button", "Settings"), ("switch", "captions"), ("button", "exit")):
            control = bar.get_by_role(role, name=name)
            assert control.count() == 1 and control.is_visible(), f"no {role} named {name!r}"
        # The words take no room on the screen (they stay in the accessibility tree).
        widths = tab.evaluate(
            """() => ['present_settings', 'present_exit'].map((key) =>
                 document.querySelector(`.st-key-${key} button [data-testid="stMarkdownContainer"]`)
                   .getBoundingClientRect().width)"""
        )
        assert widths == [pytest.approx(1, abs=1)] * 2
    finally:
        context.close()


def test_the_charts_fit_again_when_the_window_changes_size(browser, app_url):
    """A projector's window resized mid-lecture: the charts take the new height, and the
    scene still does not scroll."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(60_000)
    try:
        tab = context.new_page()
        _open_scene(tab, app_url, 2)
        heights = "() => [...document.querySelectorAll('.live-chart')].map((c) => c.offsetHeight)"
        before = tab.evaluate(heights)
        tab.set_viewport_size({"width": 1280, "height": 1000})
        tab.evaluate("() => { window.__fitSeen = []; }")
        tab.wait_for_function(STEADY, polling=300)
        after = tab.evaluate(heights)
        # Two charts side by side: each takes the 200 px more, less the type's growth
        # (paragraphs 100vh/54: 16 -> 18.5 px), so well over 100 px each.
        assert all(new - old > 100 for old, new in zip(before, after, strict=True)), (before, after)
        assert tab.evaluate(MEASURE)["overflow"] <= 0
    finally:
        context.close()
