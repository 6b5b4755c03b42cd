"""Every page, every control: each page runs at its defaults, and each widget set to
each of its extremes (one at a time, from the defaults) runs without an exception and
changes what the page shows; every editable table survives the edits a student makes.

Pages come from app.py and widgets from running each page, so a new page or control is
swept without editing this file. Widgets a move reveals (a loss's parameters, the
slider behind a "set α" toggle) are swept too while revealed. A control that changes
nothing is a finding, not an expected failure: fix the page.
"""

from __future__ import annotations

import pytest

from tests.app import harness

PAGES = harness.page_paths()

# (page, swept control) → the exact findings its sweep still reports. The case is marked
# xfail(strict) and fails as expected only while exactly these findings remain: a new
# finding fails it outright, and a fix turns it into a strict XPASS (delete the entry).
KNOWN_FAILURES: dict[tuple[str, str], tuple[str, ...]] = {}


class StillBrokenError(Exception):
    """Exactly the findings listed in KNOWN_FAILURES for this case, and no others."""


def _case(page: str, name: str):
    known = KNOWN_FAILURES.get((page, name))
    marks = (
        [pytest.mark.xfail(strict=True, raises=StillBrokenError, reason="; ".join(known))]
        if known
        else []
    )
    return pytest.param(page, name, id=f"{harness.page_id(page)}-{name}", marks=marks)


def control_cases():
    for page in PAGES:
        try:
            found = harness.discover(page)
        except Exception:  # the page fails at its defaults: test_page_runs_at_defaults says so
            continue
        yield from (_case(page, name) for name, _kind, _bound in found)


def table_cases():
    for page in PAGES:
        try:
            found = harness.discover_tables(page)
        except Exception:  # the page fails at its defaults: test_page_runs_at_defaults says so
            continue
        yield from (_case(page, key) for key in found)


def check(sweep: harness.Sweep, name: str) -> None:
    found = [str(finding) for finding in sweep.findings]
    known = KNOWN_FAILURES.get((sweep.page, name))
    if known and sorted(found) == sorted(known):
        raise StillBrokenError("\n".join(found))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("page", PAGES, ids=harness.page_id)
def test_page_runs_at_defaults(page):
    at = harness.open_page(page)
    assert harness.problems(at) == []
    assert harness.errors(at) == []
    # The "it changed" checks below mean something only if a plain rerun changes nothing.
    shown = harness.fingerprint(at)
    assert harness.fingerprint(at.run()) == shown


@pytest.mark.parametrize(("page", "name"), list(control_cases()))
def test_every_value_of_every_control(page, name):
    at = harness.open_page(page)
    sweep = harness.Sweep(page)
    harness.sweep_widget(at, name, sweep)
    check(sweep, name)


@pytest.mark.parametrize(("page", "key"), list(table_cases()))
def test_every_edit_of_every_table(page, key):
    """Editable tables: a blanked, huge or negative cell, no rows, an empty row."""
    at = harness.open_page(page)
    sweep = harness.Sweep(page)
    harness.sweep_table(at, key, sweep)
    check(sweep, key)
