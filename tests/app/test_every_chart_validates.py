"""Every chart every page sends is a valid Plotly figure.

The pages build their figures without Plotly's validation (`ui.charts.figure`, for speed:
issue 15), so the check moves here: the figure each live chart sends (its shown frame
applied) is rebuilt as a validated `go.Figure`, which raises on a property plotly.js does
not know or a value of the wrong kind. Checked at defaults and after moving each page's
controls to the far end of their range (a second loss, a toggle on), where other traces and
notes appear. And every trace type is one the browser's plotly.js bundle holds, and every
chart's key is declared on its page's record (ui/site.py: the name its PNG is saved under).
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from tests.app.harness import (
    chart_figure,
    extremes,
    find,
    has_user_key,
    live_charts,
    name_of,
    open_page,
    page_paths,
    problems,
    set_and_run,
    widgets,
)
from ui import site
from ui.chart_assets import PLOTLY_TRACES

MOVED_KINDS = ("slider", "select_slider", "toggle", "checkbox", "selectbox", "radio")
# Charts drawn only in a tab that is closed at first (its content runs once it is opened).
CLOSED_TABS = {
    "views/regression.py": [
        ("reg_bottom", "What each loss estimates"),
        ("reg_bottom", "When y changes scale"),
    ]
}


def assert_valid_charts(at, page: str) -> int:
    charts = live_charts(at)
    declared = site.page(page).charts  # its image name, among others (ui/site.py)
    for element in charts:
        assert element.key in declared, f"{page} draws {element.key}, which its record lacks"
        shown = chart_figure(at, element)
        go.Figure(data=shown["data"], layout=shown["layout"])  # raises when invalid
        # The browser's plotly.js is a partial bundle: it draws only the types it holds.
        types = {trace.get("type", "scatter") for trace in shown["data"]}
        assert types <= PLOTLY_TRACES, f"not in ui/vendor's bundle: {types - PLOTLY_TRACES}"
    return len(charts)


@pytest.mark.parametrize("page", page_paths())
def test_every_chart_is_a_valid_plotly_figure(page):
    at = open_page(page)
    assert problems(at) == []
    assert assert_valid_charts(at, page) > 0, f"{page} shows no chart"
    shown = len(live_charts(at))  # with every tab closed: opening one closes the one before
    for key, tab in CLOSED_TABS.get(page, []):
        at.session_state[key] = tab  # a click on the tab
        at.run()
        assert problems(at) == []
        assert assert_valid_charts(at, page) > shown, f"{tab} drew no chart of its own"
    moved = 0
    for name in [name_of(w) for w in widgets(at) if has_user_key(w) and w.type in MOVED_KINDS]:
        widget = find(at, name)  # an earlier move may have taken it off the page
        ends = extremes(widget) if widget is not None else []
        if not ends:
            continue
        set_and_run(at, name, ends[-1])
        assert problems(at) == [], (name, problems(at))
        assert_valid_charts(at, page)
        moved += 1
    assert moved > 0, f"no control of {page} was moved"
