"""A slider moved with the keyboard redraws the charts, writes the URL, and the URL
brings the same view back in another browser."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.e2e.pages import PAGE_FILES, SLIDERS, page_id, url_path
from tests.e2e.streamlit_browser import (
    chart_data,
    charts_drawn,
    open_page,
    remember_charts,
    slider_input,
    wait_for_charts_to_change,
    wait_for_same_charts,
    widget,
)

pytestmark = pytest.mark.e2e


def _thumb(tab, key: str) -> str:
    # A Streamlit slider's thumb label, or a live scrubber's value (ui/scrubber.py).
    return (
        widget(tab, key)
        .locator("[data-testid='stSliderThumbValue'], .live-scrubber-value")
        .inner_text()
    )


# The key of the page's first slider (Streamlit 1.67 marks a keyed widget `st-key-<key>`).
FIRST_SLIDER_KEY = """() => {
  const slider = document.querySelector("[data-testid='stSlider']");
  const box = slider && slider.closest("[class*='st-key-']");
  const mark = box && [...box.classList].find((name) => name.startsWith("st-key-"));
  return mark ? mark.slice("st-key-".length) : null;
}"""


def _query(tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.evaluate("location.href")).query)


@pytest.mark.parametrize("page_file", PAGE_FILES, ids=page_id)
def test_keyboard_slider_move_redraws_and_the_url_restores_the_view(open_tab, app_url, page_file):
    # A page without a chosen slider (a new page) is tested with its first one.
    key, settings = SLIDERS.get(page_id(page_file), (None, ""))
    student = open_tab()
    open_page(student, f"{app_url}/{url_path(page_file)}" + (f"?{settings}" if settings else ""))
    if key is None:
        student.wait_for_selector("[data-testid='stSlider']", state="attached")
        key = student.evaluate(FIRST_SLIDER_KEY)
    assert key, "the page shows no slider"
    shown_before = _thumb(student, key)
    charts_before = charts_drawn(student)
    remember_charts(student)

    slider_input(student, key).focus()
    student.keyboard.press("ArrowRight")
    wait_for_charts_to_change(student)
    assert student.locator("[data-testid='stException']").count() == 0
    assert student.locator("[data-testid='stAlertContentError']").count() == 0
    assert charts_drawn(student) == charts_before
    shown_after = _thumb(student, key)
    assert shown_after != shown_before
    # The moved value is in the address, written as the slider shows it.
    student.wait_for_function("(key) => new URLSearchParams(location.search).has(key)", arg=key)
    assert float(_query(student)[key][0]) == float(re.sub(r"[^\d.eE+-]", "", shown_after))

    # Another student opens that address: same control value, same charts.
    shared_url = student.evaluate("location.href")
    classmate = open_tab()
    open_page(classmate, shared_url)
    assert _thumb(classmate, key) == shown_after
    wait_for_same_charts(classmate, chart_data(student))
    assert student.console_log.errors == [] and classmate.console_log.errors == []


def test_a_link_with_a_select_box_a_slider_and_a_toggle_opens_with_all_three(open_tab, app_url):
    """A link as the app writes it (a select box carries its on-screen label)."""
    settings = {
        "reg_loss": "Mean absolute error (MAE)",
        "reg_data_outliers": "0.3",
        "reg_data_two_sided": "true",
    }
    tab = open_tab()
    open_page(tab, f"{app_url}/regression?{urlencode(settings)}")
    assert widget(tab, "reg_loss").get_by_role("combobox").input_value() == settings["reg_loss"]
    assert _thumb(tab, "reg_data_outliers") == "0.30"
    assert widget(tab, "reg_data_two_sided").locator("input").is_checked()
    assert tab.console_log.errors == []
