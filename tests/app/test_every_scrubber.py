"""Every live scrubber on every page (found at run time, as the widget sweep finds widgets:
they are components, not Streamlit widgets): stopped at each end of its range and back,
it runs without an exception, shows the value it was stopped at, changes what the page
shows, writes the URL, and the URL opens the page at that value."""

from __future__ import annotations

import pytest

from tests.app import harness

# The scrubbers the pages have at their defaults and after switching the Compare page's
# task: every one is swept (a page whose scrubber vanished fails in the listing test).
SETTINGS = {
    "views/huber.py": {},
    "views/compare.py": {},
    "views/compare.py?binary": {"cmp_task": "Binary classification"},
    "views/compare.py?score": {"cmp_task": "Binary classification", "cmp_axis": "score s (logit)"},
    "views/compare.py?multiclass": {"cmp_task": "Multi-class classification"},
}
EXPECTED = {
    "views/huber.py": ["hub_huber_delta"],
    "views/compare.py": ["cmp_r"],
    "views/compare.py?binary": ["cmp_p"],
    "views/compare.py?score": ["cmp_s"],
    "views/compare.py?multiclass": ["cmp_pt"],
}


def _open(setting: str):
    page = setting.split("?")[0]
    return harness.open_page(page, query_params=SETTINGS[setting])


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_the_page_has_its_scrubbers(setting):
    at = _open(setting)
    assert harness.problems(at) == []
    assert harness.scrubber_keys(at) == EXPECTED[setting]


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_each_scrubber_end_runs_shows_and_links(setting):
    at = _open(setting)
    for key in harness.scrubber_keys(at):
        labels = harness.scrubber(at, key)["labels"]
        start = labels[harness.scrubber(at, key)["value"]]
        before = harness.fingerprint(at)
        for label in (labels[0], labels[-1]):
            harness.move_scrubber(at, key, label)
            assert harness.problems(at) == [], (key, label)
            shown = harness.scrubber(at, key)
            assert shown["labels"][shown["value"]] == label, (key, label)
            assert harness.fingerprint(at) != before, f"{key} = {label} changed nothing shown"
            assert at.query_params[key] == label
            opened = harness.open_page(
                setting.split("?")[0], query_params=SETTINGS[setting] | {key: label}
            )
            reopened = harness.scrubber(opened, key)
            assert reopened["labels"][reopened["value"]] == label, f"the link lost {key}"
        harness.move_scrubber(at, key, start)
        assert key not in at.query_params  # back at the default: out of the URL
