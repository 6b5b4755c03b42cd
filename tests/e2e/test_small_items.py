"""Small things only a browser shows (issue 26): glyphs a font-poor Linux cannot draw.

Our Chromium runs on Debian with DejaVu and Liberation only (no emoji font), like a lab
machine without fonts-noto-color-emoji: a character none of its fonts has is drawn as
the same empty box as any other missing character.
"""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_browser import IDLE, open_page, widget

pytestmark = pytest.mark.e2e

# The characters of the page's text (and its buttons' aria-hidden icons, none) that the
# browser draws as the "missing glyph" box: each is drawn on a canvas in its element's
# font and compared, pixel for pixel, with a private-use character no font here has.
MISSING_GLYPHS = """
() => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const context = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (character, font) => {
    context.clearRect(0, 0, 64, 64);
    context.font = font;
    context.fillText(character, 8, 48);
    return context.getImageData(0, 0, 64, 64).data.join();
  };
  const missing = new Set();
  const tried = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const style = getComputedStyle(node.parentElement);
    // Material Symbols draws icon names as ligatures: its letters are not text.
    if (style.fontFamily.includes('Material')) continue;
    const font = `32px ${style.fontFamily}`;
    for (const character of node.textContent) {
      if (character.codePointAt(0) < 0x2000 || tried.has(character + font)) continue;
      tried.add(character + font);
      if (draw(character, font) === draw('\\u{10FFFD}', font)) missing.add(character);
    }
  }
  return [...missing];
}
"""


def test_the_missing_glyph_check_sees_a_missing_glyph(open_tab, app_url):
    # ⏸ (U+23F8) is in no font on this machine (`fc-list ':charset=23f8'` lists none);
    # ★ (U+2605) is in DejaVu Sans.
    tab = open_tab(1280, 800)
    open_page(tab, f"{app_url}/compare")
    tab.evaluate("document.body.append('⏸ ★')")
    assert tab.evaluate(MISSING_GLYPHS) == ["⏸"]


def test_the_play_button_draws_its_icons_and_names_them(open_tab, app_url):
    tab = open_tab(1280, 1400)
    open_page(tab, f"{app_url}/gradient_descent?gd_epochs=200")
    button = widget(tab, "gd_epoch").locator("button")
    assert button.get_attribute("aria-label") == "play"
    assert button.locator("svg").bounding_box()["width"] > 8
    button.click()
    assert button.get_attribute("aria-label") == "pause"
    assert button.locator("svg").bounding_box()["width"] > 8
    assert tab.evaluate(MISSING_GLYPHS) == []
    button.click()
    assert button.get_attribute("aria-label") == "play"
    assert tab.console_log.errors == []


@pytest.mark.parametrize("path", ["/regression?present=1&scene=6", "/compare?present=1"])
def test_presentation_mode_draws_every_glyph(open_tab, app_url, path):
    # The scene bar's ◀ ▶ and ✕, the ⚙ Settings popover, the ★ of the placed points.
    tab = open_tab(1920, 1080)
    open_page(tab, f"{app_url}{path}")
    tab.wait_for_selector(IDLE)
    assert tab.evaluate(MISSING_GLYPHS) == []


# Each failure label's box on the "Why from_logits" page, and where its curves run: every
# curve's path sampled each 2 px (screen coordinates), with half its stroke width.
LABELS_AND_CURVES = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((plot) => {
  const box = (element) => {
    const {left, top, right, bottom} = element.getBoundingClientRect();
    return {left, top, right, bottom};
  };
  const curves = [...plot.querySelectorAll('.scatterlayer path.js-line')].map((path) => {
    const matrix = path.getScreenCTM();
    const half = parseFloat(getComputedStyle(path).strokeWidth) / 2;
    const points = [];
    for (let at = 0; at <= path.getTotalLength(); at += 2) {
      const {x, y} = path.getPointAtLength(at);
      points.push([matrix.a * x + matrix.c * y + matrix.e, matrix.b * x + matrix.d * y + matrix.f]);
    }
    return {half, points};
  });
  return {figure: box(plot.querySelector('.main-svg')), curves,
          labels: [...plot.querySelectorAll('g.annotation')].map(box)};
})
"""


def overlaps(a: dict, b: dict, margin: float = 0.0) -> bool:
    return (
        a["left"] - margin < b["right"]
        and b["left"] < a["right"] + margin
        and a["top"] - margin < b["bottom"]
        and b["top"] < a["bottom"] + margin
    )


@pytest.mark.parametrize(
    ("width", "height", "query"),
    [
        (1280, 800, "num_label=y+%3D+0"),
        (1280, 800, "num_label=y+%3D+1"),
        (1920, 1080, "present=1&num_label=y+%3D+0"),
        (1920, 1080, "present=1&num_label=y+%3D+1"),
        (390, 844, "num_label=y+%3D+1"),
    ],
)
def test_failure_labels_clear_the_curves_and_each_other(open_tab, app_url, width, height, query):
    tab = open_tab(width, height)
    open_page(tab, f"{app_url}/numerics?{query}")
    # The charts may be drawn before their annotations are laid out (a phone's reflow
    # redraws them): wait for the labels themselves, then measure.
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".filter((plot) => plot.querySelector('g.annotation')).length >= 2"
    )
    tab.wait_for_selector(IDLE)
    charts = [chart for chart in tab.evaluate(LABELS_AND_CURVES) if chart["labels"]]
    assert len(charts) == 2  # the loss and its gradient, each with its failures' labels
    for chart in charts:
        labels = chart["labels"]
        assert all(not overlaps(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :])
        for label in labels:
            assert (
                chart["figure"]["left"] <= label["left"]
                and label["right"] <= chart["figure"]["right"]
            )
            for curve in chart["curves"]:
                touching = [
                    (x, y)
                    for x, y in curve["points"]
                    if overlaps(
                        label, {"left": x, "right": x, "top": y, "bottom": y}, curve["half"]
                    )
                ]
                assert touching == [], f"a curve runs under the label {label}"
