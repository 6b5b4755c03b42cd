"""The layout holds on a 1280×800 laptop and a 1920×1080 projector."""

import pytest

from tests.e2e.pages import PAGE_FILES, page_id, url_path
from tests.e2e.streamlit_browser import open_page

pytestmark = pytest.mark.e2e

VIEWPORTS = {"laptop": (1280, 800), "projector": (1920, 1080)}

# Streamlit scrolls its main area (stMain), not the document.
LAYOUT = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const charts = [...document.querySelectorAll('.live-chart')].map((plot) => {
    const r = plot.getBoundingClientRect();
    const layout = plot._fullLayout;
    // Axes that show tick labels but have no title: a student cannot read such an axis.
    const untitled = Object.keys(layout).filter((name) => /^[xy]axis\\d*$/.test(name)
      && layout[name].visible && layout[name].showticklabels
      && !(layout[name].title && layout[name].title.text));
    return {left: r.left, right: r.right, top: r.top + main.scrollTop,
            bottom: r.bottom + main.scrollTop,
            width: r.width, height: r.height, untitled, key: plot.closest('[class*="st-key-"]')
              ?.className.match(/st-key-(\\S+)/)?.[1]};
  });
  return {sideways: Math.max(main.scrollWidth - main.clientWidth,
                             document.documentElement.scrollWidth - innerWidth),
          charts};
}
"""


def _overlap(a: dict, b: dict) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("page_file", PAGE_FILES, ids=page_id)
def test_layout_holds(open_tab, app_url, page_file, viewport):
    width, height = VIEWPORTS[viewport]
    tab = open_tab(width, height)
    open_page(tab, f"{app_url}/{url_path(page_file)}")
    layout = tab.evaluate(LAYOUT)
    charts = layout["charts"]

    assert layout["sideways"] <= 0, "the page scrolls sideways"
    for chart in charts:
        assert chart["left"] >= 0 and chart["right"] <= width, f"{chart['key']} is cut off"
        assert chart["width"] >= 300 and chart["height"] >= 250, f"{chart['key']} is cramped"
        assert chart["untitled"] == [], f"{chart['key']}: axes without a title"
    for index, first in enumerate(charts):
        for second in charts[index + 1 :]:
            assert _overlap(first, second) < 1, f"{first['key']} overlaps {second['key']}"
    # Some chart starts on the first screen: nobody has to scroll to see one.
    assert min(chart["top"] for chart in charts) < height
