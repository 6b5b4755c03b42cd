"""Links: every widget on every page has its own key, a URL holding a valid non-default
value opens the widget at that value, and a URL holding nonsense falls back to the
default without an exception.

Pages come from their records (ui/site.py); each page's widgets are found by running it
inside its test (one subtest per widget), so a page that fails at its defaults fails here.

Option widgets are written in the URL by their formatted label (what Streamlit writes,
e.g. ``?reg_loss=Pseudo-Huber``), switches as true/false, numbers as numbers.
"""

from __future__ import annotations

import pytest

from tests.app import harness
from ui import site


def by_url(page: site.PageRecord) -> str:
    return page.url_path


def bound_widgets(page: site.PageRecord) -> list[str]:
    """The keys of the page's widgets bound to the URL, found by running it at its defaults
    (inside the test: a page that fails there fails the test)."""
    found = harness.discover(page.view)
    return [name for name, kind, bound in found if bound and kind != "button"]


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_every_widget_has_its_own_key(page):
    at = harness.open_page(page.view)
    unkeyed = [(w.type, w.label) for w in harness.widgets(at) if not harness.has_user_key(w)]
    assert unkeyed == []
    names = [harness.name_of(w) for w in harness.widgets(at)]
    assert len(names) == len(set(names))
    # bind="query-params" names the URL parameter after the key
    for widget in harness.widgets(at):
        assert harness.bound_key(widget) in (None, widget.key)


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_url_opens_the_widget_at_that_value(page, subtests):
    for name in bound_widgets(page):
        with subtests.test(widget=name):
            widget = harness.find(harness.open_page(page.view), name)
            target = harness.non_default(widget)
            param = harness.bound_key(widget)
            at = harness.open_page(page.view, query_params={param: harness.url_form(target)})
            assert harness.problems(at) == []
            link = f"?{param}={harness.url_form(target)}"
            assert harness.find(at, name) is not None, f"{link} hides {name}"
            opened = harness.current(harness.find(at, name))
            assert harness.same(opened, target), f"{link} opened {name} at {opened!r}"


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_nonsense_in_the_url_falls_back_to_the_default(page, subtests):
    for name in bound_widgets(page):
        with subtests.test(widget=name):
            widget = harness.find(harness.open_page(page.view), name)
            default = harness.current(widget)
            param = harness.bound_key(widget)
            nonsense = {param: harness.invalid_url_value(widget)}
            at = harness.open_page(page.view, query_params=nonsense)
            assert harness.problems(at) == []
            assert harness.find(at, name) is not None
            assert harness.same(harness.current(harness.find(at, name)), default)


@pytest.mark.parametrize("page", site.PAGES, ids=by_url)
def test_revealed_widgets_open_from_the_url(page):
    """A link to a revealed widget (a loss's δ, focal's α) carries the widget that reveals
    it too; both open at the linked values."""
    at = harness.open_page(page.view)
    top = {harness.name_of(w): w for w in harness.widgets(at)}
    checked = 0
    for name, widget in top.items():
        param = harness.bound_key(widget)
        if param is None or widget.type not in (*harness.OPTION_TYPES, *harness.BOOL_TYPES):
            continue
        for value in harness.extremes(widget):
            if harness.same(value, harness.current(widget)):
                continue
            link = {param: harness.url_form(value)}
            opened = harness.open_page(page.view, query_params=link)
            for revealed in harness.widgets(opened):
                child = harness.bound_key(revealed)
                if harness.name_of(revealed) in top or child is None:
                    continue
                target = harness.non_default(revealed)
                deep = harness.open_page(
                    page.view, query_params={**link, child: harness.url_form(target)}
                )
                assert harness.problems(deep) == []
                got = harness.current(harness.find(deep, harness.name_of(revealed)))
                assert harness.same(got, target), (name, value, child, got, target)
                checked += 1
    if checked == 0:
        pytest.skip("no widget on this page reveals another")
