"""Bring your own data in Chromium: a file chosen in the real upload widget replaces the
generated points in the fit chart; a bad file gets its sentence and the chart keeps them."""

from __future__ import annotations

import contextlib
import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.test_presentation import _settle
from tests.upload_files import BAD_FILES, REGRESSION

pytestmark = pytest.mark.e2e

# The fit chart's traces as Plotly drew them: each one's name and its number of points.
FIT_TRACES = """() => JSON.stringify(
  document.querySelector('.st-key-reg_fit_chart .live-chart')._fullData.map(
    trace => [trace.name, trace._length || 0]))"""


def _fit_traces(tab) -> list:
    tab.locator(".st-key-reg_fit_chart").scroll_into_view_if_needed()
    tab.wait_for_selector(".st-key-reg_fit_chart .live-chart")
    tab.wait_for_function(
        "() => document.querySelector('.st-key-reg_fit_chart .live-chart')._fullData !== undefined"
    )
    return json.loads(tab.evaluate(FIT_TRACES))


def _wait_for_fit_traces(tab, expected: list) -> list:
    """The fit chart's traces once they are ``expected`` (the chart redraws after the rerun
    ends); its traces as they stand if they never become so, for the assertion to show."""
    _fit_traces(tab)
    with contextlib.suppress(PlaywrightTimeout):
        shown = json.dumps(json.dumps(expected, separators=(",", ":")))  # as JSON.stringify
        tab.wait_for_function(f"() => ({FIT_TRACES})() === {shown}")
    return _fit_traces(tab)


def _choose(tab, path) -> None:
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(path))
    tab.wait_for_timeout(500)
    _settle(tab)


def test_an_upload_changes_the_fit_and_a_bad_file_gets_its_sentence(open_tab, app_url, tmp_path):
    tab = open_tab(1440, 1000)
    tab.goto(app_url + "/regression")
    _settle(tab)
    generated = _fit_traces(tab)
    assert ["true line", 2] in generated  # the generator's line, drawn from end to end

    line = tmp_path / "line.csv"
    line.write_bytes(REGRESSION)  # 12 points on y = 1 + 2x
    _choose(tab, line)
    assert "Using 12 rows of line.csv" in tab.locator("[data-testid='stSidebar']").inner_text()
    uploaded_drawn = "([name, length]) => name === 'ordinary point' && length === 12"
    tab.wait_for_function(f"() => JSON.parse(({FIT_TRACES})()).some({uploaded_drawn})")
    uploaded = _fit_traces(tab)
    assert ["ordinary point", 12] in uploaded
    assert not any(name == "true line" for name, _ in uploaded)

    formula = next(file for file in BAD_FILES if "formula" in file.name)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(formula.raw)
    _choose(tab, bad)
    sidebar = tab.locator("[data-testid='stSidebar']").inner_text()
    assert "bad.csv cannot be used" in sidebar
    assert formula.phrase in sidebar.replace("\\", "")
    assert _wait_for_fit_traces(tab, generated) == generated
    assert tab.locator("[data-testid='stException']").count() == 0
    assert tab.console_log.errors == []
