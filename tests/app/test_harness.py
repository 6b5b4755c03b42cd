"""The sweep harness itself, on a small fake app whose bugs are known in advance.

The fake page has a control that crashes at its maximum, a toggle that changes
nothing, an unkeyed slider, and a loss picker whose parameters (and focal's "set α"
toggle and its slider) only appear once chosen, so every kind of finding the real
sweep reports has a case here that must be caught.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import harness
from ui import site

FAKE_APP = """
import streamlit as st

st.navigation([
    st.Page("pages/first.py", title="First", default=True),
    st.Page("pages/fake.py", title="Fake"),
    st.Page("pages/unkeyed.py", title="Unkeyed"),
    st.Page("pages/table.py", title="Table"),
    st.Page("pages/chart.py", title="Chart"),
]).run()
"""

FIRST_PAGE = """
import streamlit as st

st.write("first page")
"""

FAKE_PAGE = """
import streamlit as st

from ui import controls

loss = controls.loss_picker("binary", key="fk_loss")
params = controls.param_controls(loss, key_prefix="fk")
n = st.slider("n", 1, 10, 5, key="fk_n", bind="query-params")
st.toggle("does nothing", key="fk_idle", bind="query-params")
share = st.select_slider(
    "share", options=[0.5, 0.1, 0.01], value=0.1, format_func=lambda f: f"{100 * f:g}%",
    key="fk_share", bind="query-params",
)
shown = st.multiselect("shown", ["a", "b", "c"], default=["a"], key="fk_shown",
                       bind="query-params")
st.write(loss.id, params, n, share, shown)
if n == 10:
    raise ValueError("boom at n=10")
"""

UNKEYED_PAGE = """
import streamlit as st

st.slider("unkeyed", 0, 3, 1)
"""

TABLE_PAGE = """
import pandas as pd
import streamlit as st

table = st.data_editor(pd.DataFrame({"y": [1.0, 2.0], "p": [0.5, 0.5]}), num_rows="dynamic",
                       key="fk_table")
if len(table) == 0:
    raise ValueError("empty table")
st.write(float(table["y"].sum()))
"""

CHART_PAGE = """
import plotly.graph_objects as go
import streamlit as st

from ui.live_chart import live_chart

steep = st.toggle("steep", key="fk_steep")
st.slider("unrelated", 0, 3, 1, key="fk_other")
live_chart(go.Figure(go.Scatter(y=[1, 4] if steep else [1, 2])), key="fk_chart", alt="A line.")
"""


@pytest.fixture(scope="module")
def fake_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("fake_app")
    (root / "pages").mkdir()
    (root / "app.py").write_text(textwrap.dedent(FAKE_APP))
    (root / "pages" / "first.py").write_text(textwrap.dedent(FIRST_PAGE))
    (root / "pages" / "fake.py").write_text(textwrap.dedent(FAKE_PAGE))
    (root / "pages" / "unkeyed.py").write_text(textwrap.dedent(UNKEYED_PAGE))
    (root / "pages" / "table.py").write_text(textwrap.dedent(TABLE_PAGE))
    (root / "pages" / "chart.py").write_text(textwrap.dedent(CHART_PAGE))
    return root / "app.py"


def test_the_app_s_navigation_is_the_page_records():
    # app.py's navigation before it was built from ui/site.py, read by hand: eight pages in
    # views/ in this order, with these titles and icons, loss_vs_cost the default at "/";
    # and "Train a network" since issue 28, between Gradient descent and Binary.
    before = [
        ("views/loss_vs_cost.py", "Loss vs cost", ":material/functions:", ""),
        ("views/regression.py", "Regression & outliers", ":material/scatter_plot:", "regression"),
        ("views/huber.py", "Huber δ lab", ":material/tune:", "huber"),
        (
            "views/gradient_descent.py",
            "Gradient descent",
            ":material/trending_down:",
            "gradient_descent",
        ),
        ("views/network.py", "Train a network", ":material/hub:", "network"),
        ("views/binary.py", "Binary & imbalance", ":material/balance:", "binary"),
        ("views/multiclass.py", "Multi-class: CCE vs sparse", ":material/category:", "multiclass"),
        ("views/compare.py", "Compare losses", ":material/compare_arrows:", "compare"),
        ("views/numerics.py", "Why from_logits", ":material/calculate:", "numerics"),
    ]
    # What st.navigation registered when app.py ran (AppTest keeps it to switch pages).
    at = harness.open_page(harness.default_page())
    registered = [
        (
            str(Path(info["script_path"]).relative_to(harness.ROOT)),
            info["page_name"],
            info["icon"],
            info["url_pathname"],
        )
        for info in at._registered_pages.values()
    ]
    assert registered == before
    assert harness.page_paths() == [view for view, *_ in before]
    assert harness.default_page() == "views/loss_vs_cost.py"
    assert [record.link for record in site.PAGES] == ["/" + path for *_, path in before]


def test_open_page_switches_to_the_page(fake_app):
    at = harness.open_page("pages/fake.py", app_path=fake_app)
    names = [harness.name_of(w) for w in harness.widgets(at)]
    assert "fk_loss" in names and "fk_bce_pos_weight" in names and "fk_n" in names
    assert not harness.problems(at)


def test_fingerprint_is_stable_and_sees_a_move(fake_app):
    at = harness.open_page("pages/fake.py", app_path=fake_app)
    before = harness.fingerprint(at)
    assert harness.fingerprint(at.run()) == before
    harness.set_and_run(at, "fk_n", 6)
    assert harness.fingerprint(at) != before


def test_a_chart_sent_its_revision_only_shows_the_figure_sent_before(fake_app):
    """The figure is read from what the component was sent: a rerun that leaves it as it was
    sends the revision only, and the harness takes the figure from the earlier message."""
    at = harness.open_page("pages/chart.py", app_path=fake_app)
    (chart,) = harness.live_charts(at)
    assert "figure" in json.loads(chart.proto.bytes)
    assert harness.figures(at)[0]["data"][0]["y"] == [1, 2]  # the page's y at its defaults
    harness.set_and_run(at, "fk_other", 2)
    (chart,) = harness.live_charts(at)
    assert "figure" not in json.loads(chart.proto.bytes)  # the revision only travelled
    assert harness.figures(at)[0]["data"][0]["y"] == [1, 2]
    harness.set_and_run(at, "fk_steep", True)
    assert harness.figures(at)[0]["data"][0]["y"] == [1, 4]  # the page's y when steep
    # An AppTest that did not keep the earlier messages cannot know the figure: it says so.
    plain = AppTest.from_file(str(fake_app), default_timeout=harness.TIMEOUT)
    plain.switch_page("pages/chart.py").run()
    plain.run()
    with pytest.raises(TypeError, match="revision only"):
        harness.figures(plain)


def test_option_widgets_move_by_label(fake_app):
    at = harness.open_page("pages/fake.py", app_path=fake_app)
    harness.set_and_run(at, "fk_share", "1%")
    assert at.select_slider(key="fk_share").value == 0.01
    harness.set_and_run(at, "fk_loss", "Focal loss")
    assert at.selectbox(key="fk_loss").value == "focal"
    harness.set_and_run(at, "fk_shown", ["b", "c"])
    assert at.multiselect(key="fk_shown").value == ["b", "c"]


def test_sweep_reports_a_crash_and_a_dead_control(fake_app):
    at = harness.open_page("pages/fake.py", app_path=fake_app)
    sweep = harness.Sweep("pages/fake.py")
    for name in ("fk_n", "fk_idle", "fk_share"):
        harness.sweep_widget(at, name, sweep)
    found = {(f.key, repr(f.value), f.problem.split(":")[0]) for f in sweep.findings}
    assert found == {
        ("fk_n", "10", "exception"),
        ("fk_idle", "True", "nothing the page shows changed"),
    }
    assert "boom at n=10" in str(sweep.findings[0])
    # Put back: the page is at its defaults again.
    assert at.slider(key="fk_n").value == 5 and at.toggle(key="fk_idle").value is False


def test_sweep_follows_revealed_widgets(fake_app):
    at = harness.open_page("pages/fake.py", app_path=fake_app)
    sweep = harness.Sweep("pages/fake.py")
    harness.sweep_widget(at, "fk_loss", sweep)
    # Focal's parameters appear only once it is picked; α only once "set α" is on.
    assert {"fk_focal_gamma", "fk_focal_alpha_on", "fk_focal_alpha"} <= set(sweep.swept)
    assert sweep.findings == []
    assert at.selectbox(key="fk_loss").value == "bce"


def test_unkeyed_widget_is_caught(fake_app):
    at = harness.open_page("pages/unkeyed.py", app_path=fake_app)
    (slider,) = harness.widgets(at)
    assert slider.key is None and not harness.has_user_key(slider)
    assert slider.id.startswith(harness.AUTO_ID_PREFIX)


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        ("fk_n", "7", 7),
        ("fk_share", "1%", "1%"),
        ("fk_idle", "true", True),
        ("fk_loss", "Hinge", "Hinge"),
        ("fk_shown", ["b", "c"], ["b", "c"]),
    ],
)
def test_url_opens_the_value_and_ignores_nonsense(fake_app, name, url, expected):
    at = harness.open_page("pages/fake.py", app_path=fake_app, query_params={name: url})
    assert harness.same(harness.current(harness.find(at, name)), expected)
    at = harness.open_page("pages/fake.py", app_path=fake_app)
    default = harness.current(harness.find(at, name))
    nonsense = harness.invalid_url_value(harness.find(at, name))
    at = harness.open_page("pages/fake.py", app_path=fake_app, query_params={name: nonsense})
    assert harness.same(harness.current(harness.find(at, name)), default)
    assert not harness.problems(at)


def test_table_sweep_reports_a_crash_on_an_empty_table(fake_app):
    at = harness.open_page("pages/table.py", app_path=fake_app)
    assert [e.key for e in harness.editors(at)] == ["fk_table"]
    sweep = harness.Sweep("pages/table.py")
    harness.sweep_table(at, "fk_table", sweep)
    assert [(f.value, f.problem.split(":")[0]) for f in sweep.findings] == [
        ("every row deleted", "exception")
    ]
    # 2 columns × 3 cell edits + no rows + an empty row, then the table put back
    assert sweep.runs == 2 * 3 + 2 + 1
    assert at.markdown[-1].value == "`3.0`" and not harness.problems(at)  # 1 + 2
