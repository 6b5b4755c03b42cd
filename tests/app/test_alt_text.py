"""Every chart on every page carries a text alternative (its aria-label in the browser):
non-empty, naming numbers, different from its neighbours; and it follows the data."""

from __future__ import annotations

import json
import re

import pytest

from tests.app.harness import live_charts, open_page, page_paths, problems


def alternatives(at) -> list[tuple[str, str]]:
    """(chart key, alt) of each live chart, in page order (alt rides in every payload)."""
    payloads = [json.loads(element.proto.bytes) for element in live_charts(at)]
    return [(payload["key"], payload.get("alt", "")) for payload in payloads]


@pytest.mark.parametrize("page", page_paths())
def test_every_chart_says_what_it_shows(page):
    at = open_page(page)
    assert problems(at) == []
    found = alternatives(at)
    assert found, f"{page} shows no chart"
    for key, alt in found:
        assert len(alt) >= 40, (key, alt)
        assert re.search(r"\d", alt), (key, alt)  # its key numbers, not only a title
    texts = [alt for _, alt in found]
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False)), texts


def test_the_text_follows_the_data():
    # Regression page: the loss curve's text names the picked loss and its setting, and
    # the fit's slope changes with the data.
    at = open_page("views/regression.py")
    before = dict(alternatives(at))
    at = open_page("views/regression.py", query_params={"reg_data_outliers": "0.3"})
    after = dict(alternatives(at))
    assert before["reg_curve_chart"].startswith("Huber loss and its gradient")
    assert "δ = 1" in before["reg_curve_chart"]
    assert before["reg_fit_chart"] != after["reg_fit_chart"]
    assert "60 of them outliers" in after["reg_fit_chart"]  # 30% of 200 points


def test_a_hidden_minimum_stays_out_of_the_text():
    # Descent page, exploring by hand before "show the minimum": the landscape's text must
    # not give the answer away.
    at = open_page("views/gradient_descent.py", query_params={"gd_run": "false"})
    assert problems(at) == []
    found = dict(alternatives(at))
    assert "lowest J*" not in found["gd_landscape"]
    assert "minimum" not in found["gd_data_chart"]
