"""Presentation mode in Chromium at 1920×1080: every scene opens from its link and fits the
projector without vertical scroll (questions answered, so the charts are shown); a
question hides the charts until answered; Page Down moves to the next scene."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_browser import CHARTS_DRAWN, IDLE
from ui import scenes

pytestmark = pytest.mark.e2e

# The main area's scroll: what a lecturer would have to scroll at this viewport.
OVERFLOW = """() => { const main = document.querySelector('[data-testid="stMain"]');
  return main.scrollHeight - main.clientHeight; }"""


def _settle(tab) -> None:
    """The script has finished, and every chart box on the page holds a drawn chart."""
    tab.wait_for_function(
        f'() => document.querySelector("{IDLE}") !== null && '
        f"(document.querySelectorAll('.live-chart').length === 0 || ({CHARTS_DRAWN})() > 0)"
    )
    tab.wait_for_timeout(800)  # a late resize or a second render pass
    tab.wait_for_selector(IDLE)


def test_every_scene_fits_a_projector_without_scrolling(open_tab, app_url):
    tab = open_tab(1920, 1080)
    too_tall = {}
    for number, scene in enumerate(scenes.SCENES, start=1):
        tab.goto(app_url + scenes.link(number))
        _settle(tab)
        assert tab.locator("[data-testid='stSidebar']").is_hidden()
        shown = tab.locator("[data-testid='stMain']").inner_text()
        assert f"{number} / {len(scenes.SCENES)}" in shown
        if scene.question is not None:
            tab.locator(f".st-key-scene_{number}_reveal button").click()
            _settle(tab)
        # Waited for, not counted: on a cold server the script can be idle before the first
        # chart box mounts, which `_settle` (no chart yet, or every chart drawn) lets through.
        tab.locator(".live-chart").first.wait_for(timeout=15_000)
        _settle(tab)
        if (overflow := tab.evaluate(OVERFLOW)) > 0:
            too_tall[number] = overflow
    assert too_tall == {}, f"scenes taller than 1080 px (scene: px over): {too_tall}"
    assert tab.console_log.errors == []


def test_a_question_hides_the_charts_until_answered(open_tab, app_url):
    number = next(n for n, s in enumerate(scenes.SCENES, 1) if s.question is not None)
    tab = open_tab(1920, 1080)
    tab.goto(app_url + scenes.link(number))
    _settle(tab)
    assert tab.locator(".st-key-reg_fit_chart .live-chart").count() == 0
    tab.get_by_text("The least-squares (MSE) line", exact=True).click()
    _settle(tab)
    tab.wait_for_selector(".st-key-reg_fit_chart .live-chart")
    assert "Right" in tab.locator("[data-testid='stAlertContentSuccess']").inner_text()


def test_page_down_moves_to_the_next_scene(open_tab, app_url):
    tab = open_tab(1920, 1080)
    tab.goto(app_url + scenes.link(2))
    _settle(tab)
    # Focus on plain text (the narration), not in a control that keeps the key for itself.
    tab.get_by_text(scenes.SCENES[1].narration[:40]).click()
    tab.keyboard.press("PageDown")
    tab.wait_for_function("() => new URLSearchParams(location.search).get('scene') === '3'")
    _settle(tab)
    assert f"3 / {len(scenes.SCENES)}" in tab.locator("[data-testid='stMain']").inner_text()
