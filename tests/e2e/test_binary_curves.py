"""The binary page's loss curves in a real browser: drawn from a start and a step (Plotly's
x0 and dx, ui/binary_charts.py) over the whole axis, and the x-axis radio, in a fragment
(views/binary.py), redraws them without touching the page's other charts."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.streamlit_browser import CHARTS_DRAWN, IDLE, charts_drawn, open_page, widget

pytestmark = pytest.mark.e2e

# Each curve chart's traces by name and its x-axis range as Plotly drew it; every other
# chart's data as text (what must not change).
CURVES = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((plot) => ({
  names: (plot.data || []).map((trace) => trace.name),
  range: plot._fullLayout && plot._fullLayout.xaxis2 ? plot._fullLayout.xaxis2.range : null,
  points: (plot._fullData || []).map((trace) => trace._length),
  text: JSON.stringify(plot.data),
}))
"""


def test_the_x_axis_radio_redraws_the_curves_over_the_whole_axis_and_nothing_else(
    open_tab, app_url
):
    student = open_tab()
    open_page(student, f"{app_url}/binary")
    drawn = charts_drawn(student)
    assert drawn == 5  # curves y = 1 and y = 0, boundary, matrices, focal's factor
    before = student.evaluate(CURVES)
    # ui/binary_charts.py: PROBABILITY_AXIS = linspace(0.01, 0.99, 393); Plotly pads a line
    # chart's autorange by nothing, so the drawn range is the axis itself.
    for curves in before[:2]:
        assert "Hinge" not in curves["names"]
        assert curves["range"] == pytest.approx([0.01, 0.99], abs=1e-9)
        assert set(curves["points"]) == {393}

    received = []
    session = student.context.new_cdp_session(student)
    session.send("Network.enable")
    session.on("Network.webSocketFrameReceived", lambda event: received.append(event))
    widget(student, "bin_axis").get_by_text("score s (logit)").click()
    # Both curve charts redrawn with the hinge (a caption above them comes and goes with the
    # axis, so Streamlit mounts them anew: wait until every chart is drawn again).
    student.wait_for_function(
        f"""(drawn) => document.querySelector("{IDLE}") !== null
          && ({CHARTS_DRAWN})() === drawn
          && [...document.querySelectorAll('.js-plotly-plot')].slice(0, 2)
               .every((plot) => plot.data.some((trace) => trace.name === 'Hinge'))""",
        arg=drawn,
    )
    after = student.evaluate(CURVES)
    assert len(after) == drawn
    # SCORE_AXIS = linspace(−6, 6, 481), hinge among the curves.
    for curves in after[:2]:
        assert "Hinge" in curves["names"]
        assert curves["range"] == pytest.approx([-6.0, 6.0], abs=1e-9)
        assert set(curves["points"]) == {481}
    # The boundary, the matrices and focal's factor are as they were.
    assert [chart["text"] for chart in after[2:]] == [chart["text"] for chart in before[2:]]
    # Only the fragment reran: one message per element of this section (13 counted here),
    # against one per element of the whole page (65 counted with the radio outside it).
    assert len(received) < 30
    query = parse_qs(urlsplit(student.evaluate("location.href")).query)
    assert query["bin_axis"] == ["score s (logit)"]
    assert student.console_log.errors == []
