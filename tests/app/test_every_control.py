"""Every page, every control: each page runs at its defaults, and each widget set to
each of its extremes (one at a time, from the defaults) runs without an exception and
changes what the page shows; every editable table survives the edits a student makes.

Pages come from their records (ui/site.py) and widgets from running each page inside its
test, one subtest per control, so a new page or control is swept without editing this
file, and a page that fails at its defaults fails its tests instead of leaving collection
with no case. Widgets a move reveals (a loss's parameters, the slider behind a "set α"
toggle) are swept too while revealed. A control that changes nothing is a finding, not an
expected failure: fix the page.
"""

from __future__ import annotations

import pytest

from tests.app import harness
from ui import site

# (page, swept control) → the exact findings its sweep still reports. The subtest is an
# expected failure only while exactly these findings remain: a new finding fails it, and
# a fix fails it too (delete the entry).
KNOWN_FAILURES: dict[tuple[str, str], tuple[str, ...]] = {}


def by_url(page: site.PageRecord) -> str:
    return page.url_path


def check(sweep: harness.Sweep, name: str) -> None:
    found = sorted(str(finding) for finding in sweep.findings)
    known = sorted(KNOWN_FAILURES.get((sweep.page, name), ()))
    if known:
        assert found == known, "the known findings changed: update KNOWN_FAILURES\n" + "\n".join(
            found
        )
        pytest.xfail("; ".join(known))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_page_runs_at_defaults(page):
    at = harness.open_page(page.view)
    assert harness.problems(at) == []
    assert harness.errors(at) == []
    # The "it changed" checks below mean something only if a plain rerun changes nothing.
    shown = harness.fingerprint(at)
    assert harness.fingerprint(at.run()) == shown


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_every_value_of_every_control(page, subtests):
    found = harness.discover(page.view)
    assert found, f"{page.view} shows no widget at its defaults"
    for name, _kind, _bound in found:
        with subtests.test(control=name):
            at = harness.open_page(page.view)
            sweep = harness.Sweep(page.view)
            harness.sweep_widget(at, name, sweep)
            check(sweep, name)


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_every_edit_of_every_table(page, subtests):
    """Editable tables: a blanked, huge or negative cell, no rows, an empty row."""
    found = harness.discover_tables(page.view)
    if not found:
        pytest.skip(f"{page.view} has no editable table")
    for key in found:
        with subtests.test(table=key):
            at = harness.open_page(page.view)
            sweep = harness.Sweep(page.view)
            harness.sweep_table(at, key, sweep)
            check(sweep, key)
