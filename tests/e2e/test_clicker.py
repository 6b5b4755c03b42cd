"""The tour owns the clicker: in presentation mode Page Down / Page Up (what a presenter's
remote sends) move to the next / previous scene even after the lecturer dragged a slider or
the δ scrubber, and the control keeps its arrow keys (ui/presenter_keys.js)."""

from __future__ import annotations

import pytest

from tests.e2e.streamlit_browser import CHARTS_DRAWN, IDLE, slider_input, widget
from ui import scenes

pytestmark = pytest.mark.e2e

# A projector and a small laptop screen (the scene row wraps differently).
VIEWPORTS = [(1920, 1080), (1024, 768)]

# Scene 4 (regression page, Huber) shows Huber's δ as a plain Streamlit slider, keyed
# `reg_<loss>_<parameter>` (ui/controls.py `param_controls`); scene 5 (the Huber lab) the δ
# scrubber, keyed `hub_huber_delta` (views/huber.py).
SLIDER_SCENE = 4
SLIDER_KEY = f"reg_{scenes.SCENES[SLIDER_SCENE - 1].settings['reg_loss']}_delta"
SCRUBBER_SCENE = 5
SCRUBBER_KEY = "hub_huber_delta"

# From now on: every other value the element under `selector` shows (what a key that reached
# the control would change; a rerun redrawing the same value is no change), and every key that
# reached the document, where Streamlit's own shortcuts listen (a second move). Kept on
# window: a page switch does not reload it.
WATCH = """(selector) => {
  const shown = document.querySelector(selector);
  const before = shown.textContent;
  window.__shownSince = [];
  new MutationObserver(() => {
    if (shown.textContent !== before) window.__shownSince.push(shown.textContent);
  }).observe(shown, {subtree: true, childList: true, characterData: true});
  window.__keysReachingDocument = [];
  document.addEventListener('keydown', (event) => window.__keysReachingDocument.push(event.key),
                            true);
}"""


def _settle(tab) -> None:
    """The script has finished and every chart box holds a drawn chart."""
    tab.wait_for_function(
        f'() => document.querySelector("{IDLE}") !== null && '
        f"(document.querySelectorAll('.live-chart').length === 0 || ({CHARTS_DRAWN})() > 0)"
    )


def _open_scene(tab, app_url: str, number: int) -> None:
    tab.goto(app_url + scenes.link(number))
    _settle(tab)
    tab.locator(".live-chart").first.wait_for()
    _settle(tab)


def _wait_for_scene(tab, number: int) -> None:
    """The URL and the scene row say scene ``number``, and its page has run."""
    tab.wait_for_function(
        f"""() => new URLSearchParams(location.search).get('scene') === '{number}'
          && document.querySelector('[data-testid="stMain"]').innerText
               .includes('{number} / {len(scenes.SCENES)}')""",
        timeout=30_000,
    )
    _settle(tab)


def _focused_in(tab, key: str) -> bool:
    return tab.evaluate(
        "(key) => document.querySelector(`.st-key-${key}`).contains(document.activeElement)"
        " && document.activeElement.tagName === 'INPUT'",
        key,
    )


def _wait_for_url(tab, key: str, value: str) -> None:
    """The control has reported ``value`` to the server (its rerun put it in the URL)."""
    tab.wait_for_function(
        "([key, value]) => new URLSearchParams(location.search).get(key) === value",
        arg=[key, value],
    )
    _settle(tab)


def _drag(tab, box: dict, start: float, end: float) -> None:
    """Press at ``start`` (a fraction of ``box``'s width), move to ``end``, release."""
    y = box["y"] + box["height"] / 2
    tab.mouse.move(box["x"] + box["width"] * start, y)
    tab.mouse.down()
    tab.mouse.move(box["x"] + box["width"] * end, y, steps=5)
    tab.mouse.up()


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=lambda size: str(size))
def test_page_down_after_dragging_a_slider_moves_to_the_next_scene(
    open_tab, app_url, width, height
):
    tab = open_tab(width, height)
    _open_scene(tab, app_url, SLIDER_SCENE)
    value = widget(tab, SLIDER_KEY).locator("[data-testid='stSliderThumbValue']")
    at_start = value.inner_text()
    thumb = value.locator("xpath=..")
    box = thumb.bounding_box()
    # Drag the thumb a little to the right: the slider's hidden range input takes focus.
    _drag(tab, box, 0.5, 0.5 + 60 / box["width"])
    tab.wait_for_function(
        "([node, before]) => node.innerText !== before", arg=[value.element_handle(), at_start]
    )
    _settle(tab)
    assert _focused_in(tab, SLIDER_KEY), "the drag should leave the slider's input focused"
    # The focused slider keeps its arrow keys.
    dragged = value.inner_text()
    tab.keyboard.press("ArrowRight")
    tab.wait_for_function(
        "([node, before]) => node.innerText !== before", arg=[value.element_handle(), dragged]
    )
    _wait_for_url(tab, SLIDER_KEY, value.inner_text())
    assert _focused_in(tab, SLIDER_KEY)
    tab.evaluate(WATCH, f".st-key-{SLIDER_KEY} [data-testid='stSliderThumbValue']")
    tab.keyboard.press("PageDown")
    _wait_for_scene(tab, SLIDER_SCENE + 1)
    assert tab.evaluate("window.__shownSince") == [], "Page Down also moved the slider"
    assert tab.evaluate("window.__keysReachingDocument") == []
    assert tab.console_log.errors == []


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=lambda size: str(size))
def test_page_keys_after_the_delta_scrubber_move_between_scenes(open_tab, app_url, width, height):
    tab = open_tab(width, height)
    _open_scene(tab, app_url, SCRUBBER_SCENE)
    scrubber = slider_input(tab, SCRUBBER_KEY)
    shown = widget(tab, SCRUBBER_KEY).locator(".live-scrubber-value")
    at_start = shown.inner_text()
    _drag(tab, scrubber.bounding_box(), 0.2, 0.3)
    tab.wait_for_function(
        "([node, before]) => node.innerText !== before", arg=[shown.element_handle(), at_start]
    )
    _settle(tab)
    assert _focused_in(tab, SCRUBBER_KEY), "the drag should leave the scrubber focused"
    # The focused scrubber keeps its arrow keys: one step to the right.
    step = int(scrubber.input_value())
    tab.keyboard.press("ArrowRight")
    tab.wait_for_function(
        "([node, before]) => Number(node.value) === before + 1",
        arg=[scrubber.element_handle(), step],
    )
    # The scrubber reports its value once the student stops (ui/scrubber.py SETTLE_MS).
    _wait_for_url(tab, SCRUBBER_KEY, shown.inner_text())
    assert _focused_in(tab, SCRUBBER_KEY)
    tab.evaluate(WATCH, f".st-key-{SCRUBBER_KEY} .live-scrubber-value")
    tab.keyboard.press("PageDown")
    _wait_for_scene(tab, SCRUBBER_SCENE + 1)
    assert tab.evaluate("window.__shownSince") == [], "Page Down also moved δ"
    # Back, with the focus wherever the page switch left it.
    tab.keyboard.press("PageUp")
    _wait_for_scene(tab, SCRUBBER_SCENE)
    # Neither key went on to Streamlit's own shortcut: each press moved one scene only.
    assert tab.evaluate("window.__keysReachingDocument") == []
    assert tab.console_log.errors == []
