"""Charts survive their width: from a 390 px phone to a 1920 px screen, on every page, no
chart's titles, axis titles, annotations or matrix cells overlap or run out of the chart,
every plotting area keeps a readable size, and no formula is clipped.

One tab per width visits every page (the sidebar as Streamlit opens it: collapsed on the
phone, open from 768 px up). Charts in a tab or expander not open on arrival are not
measured (they have no size until shown).
"""

import pytest

from tests.e2e.pages import PAGE_FILES, page_id, url_path
from tests.e2e.streamlit_browser import open_page

pytestmark = pytest.mark.e2e

WIDTHS = (390, 768, 1024, 1280, 1920)
HEIGHT = 900

# Every chart on screen has been laid out at its box's width (a column that wrapped, or a
# chart that switched to its narrow layout, redraws after the first drawing).
SETTLED = """
() => [...document.querySelectorAll('.js-plotly-plot')].every((plot) => {
  if (plot.offsetParent === null) return true;
  const full = plot._fullLayout;
  if (!full || Math.abs(full.width - plot.clientWidth) > 1) return false;
  const responsive = plot.layout.meta && plot.layout.meta.responsive;
  const narrow = plot.clientWidth < responsive?.below;
  return !responsive || plot.dataset.layout === (narrow ? 'narrow' : 'wide');
})
"""

# Text boxes closer than this (px) in both directions count as overlapping; a box may stick
# out of its chart by this much. Glyph boxes include line spacing: touching is not overlap.
TOLERANCE_PX = 2
PLOT_MIN = {"width": 250, "height": 150}
# A panel of small multiples (a chart whose plotting areas sit side by side).
PANEL_MIN = {"width": 110, "height": 110}

MEASURE = """
([tolerance, plotMin, panelMin]) => {
  const problems = [];
  const box = (element) => element.getBoundingClientRect();
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance;
  const quote = (element) => JSON.stringify(element.textContent.slice(0, 40));
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    if (plot.offsetParent === null) continue;
    const key = plot.closest('[class*="st-key-"]')?.className.match(/st-key-(\\S+)/)?.[1];
    const chart = box(plot);
    // The chart title (gtitle), every axis title (xtitle, x2title, …, colour bar titles),
    // annotations (panel titles, marks' labels) and a heatmap's cell texts.
    const texts = [...plot.querySelectorAll(
      'text[class$="title"], text.annotation-text, .heatmap-label text')]
      .filter((text) => text.textContent.trim() && box(text).width > 0);
    for (const text of texts) {
      const r = box(text);
      if (r.left < chart.left - tolerance || r.right > chart.right + tolerance
          || r.top < chart.top - tolerance || r.bottom > chart.bottom + tolerance) {
        problems.push(`${key}: ${quote(text)} is cut (${Math.round(r.left - chart.left)}`
          + `..${Math.round(r.right - chart.left)} px of ${Math.round(chart.width)})`);
      }
    }
    texts.forEach((first, index) => texts.slice(index + 1).forEach((second) => {
      if (overlap(box(first), box(second))) {
        problems.push(`${key}: ${quote(first)} overlaps ${quote(second)}`);
      }
    }));
    const areas = [...plot.querySelectorAll('.nsewdrag')];
    const lefts = new Set(areas.map((area) => Math.round(box(area).left)));
    const least = lefts.size > 1 ? panelMin : plotMin;
    for (const area of areas) {
      const r = box(area);
      if (r.width < least.width || r.height < least.height) {
        problems.push(`${key}: plotting area ${Math.round(r.width)}×${Math.round(r.height)} px`);
      }
    }
  }
  // A formula wider than its column must scroll (Streamlit's .katex-display scrolls
  // sideways), not be cut by a box that hides what overflows; and it must have a width
  // (a CSS size container in a shrink-to-fit box squeezed one to 0 px).
  for (const formula of document.querySelectorAll('.katex-display')) {
    if (formula.offsetParent === null) continue;
    if (formula.clientWidth === 0) {
      problems.push(`formula ${quote(formula)} is drawn 0 px wide`);
      continue;
    }
    for (let node = formula; node && node.dataset.testid !== 'stMain'; node = node.parentElement) {
      const hides = ['hidden', 'clip'].includes(getComputedStyle(node).overflowX);
      if (hides && node.scrollWidth > node.clientWidth + 1) {
        const name = node.dataset.testid || node.className;
        problems.push(`formula ${quote(formula)} is clipped by ${name}`);
        break;
      }
    }
  }
  return problems;
}
"""


# Known and owned elsewhere: the descent page's cost landscape keeps its colour bar beside
# the map (ui/descent_charts.py, being reworked on another branch): 200 px at 390.
KNOWN: set[tuple[int, str]] = set()


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_survive_their_width(open_tab, app_url, width):
    tab = open_tab(width, HEIGHT)
    problems = []
    for page_file in PAGE_FILES:
        open_page(tab, f"{app_url}/{url_path(page_file)}")
        tab.wait_for_function(SETTLED)
        found = tab.evaluate(MEASURE, [TOLERANCE_PX, PLOT_MIN, PANEL_MIN])
        problems += [
            problem
            for problem in (f"{page_id(page_file)}: {found_one}" for found_one in found)
            if not any(width == at and problem.startswith(start) for at, start in KNOWN)
        ]
    assert problems == [], f"at {width}×{HEIGHT}:\n" + "\n".join(problems)
