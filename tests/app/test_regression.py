"""The Regression & outliers page through streamlit's AppTest.

Every number the page shows is recomputed here through `losses` (fits on the same
generated data) and compared; the URL opens the page in a given state; each control
changes what is drawn; the edge cases of the issue draw without a traceback.
"""

import json

import numpy as np
import pytest
from streamlit import dataframe_util

import losses
from lessons import robustness
from lessons.curves import regression_curve
from losses.data import make_regression
from losses.fit import fit_regression
from losses.fit.line import fit_line
from tests.app import harness
from tests.app.page_reading import array, figures, open_page
from ui.regression_charts import ADDED_TRACE

PAGE = "regression"
DEFAULT_DATA = {
    "n": 200,
    "noise": 1.0,
    "outlier_fraction": 0.1,
    "outlier_magnitude": 10.0,
    "two_sided": False,
    "seed": 0,
}  # the controls' defaults


def shown(app):
    return {
        "curve": figures(app)[0],
        "fits": figures(app)[1],
        "weights": figures(app)[2],
        "cost": figures(app)[3],
        "table": app.dataframe[0].value.set_index("loss"),
    }


def table_text(app):
    """The table as st.dataframe shows it: the Styler's display values, all text."""
    styler = app.dataframe[0].proto.arrow_data.styler
    return dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values).set_index("loss")


def problems(app):
    return [element.value for element in app.exception] + [w.value for w in app.error]


ESTIMATES_TAB = "What each loss estimates"


def open_estimates(app):
    """A click on the bottom's second tab: what each loss estimates (computed only then)."""
    app.session_state["reg_bottom"] = ESTIMATES_TAB
    return app.run()


@pytest.fixture(scope="module")
def default_page():
    return open_page(PAGE)


def test_defaults_run_and_draw_four_charts_and_the_table_then_the_estimates():
    # curve, fits, weights, cost per iteration, and the table in the first bottom tab; what
    # each loss estimates in the second, drawn once it is opened (and the table then not).
    app = open_page(PAGE)
    assert problems(app) == []
    assert len(figures(app)) == 4 and len(app.dataframe) == 1
    assert app.selectbox(key="reg_loss").value == "huber"
    open_estimates(app)
    assert problems(app) == []
    assert len(figures(app)) == 5 and len(app.dataframe) == 0


def test_table_numbers_equal_independent_fits(default_page):
    table = shown(default_page)["table"]
    data = make_regression(**DEFAULT_DATA)
    for loss in losses.by_task("regression"):
        line = fit_regression(data, loss.id).params  # every loss at its defaults (δ = 1 picked)
        row = table.loc[f"{loss.name} ← your pick" if loss.id == "huber" else loss.name]
        assert row["slope"] == pytest.approx(line["slope"], rel=1e-12)
        assert row["intercept"] == pytest.approx(line["intercept"], rel=1e-12)
        # make_regression's true line: slope 2, intercept 1 (its defaults).
        assert row["slope error"] == pytest.approx(line["slope"] - 2.0, rel=1e-12)
        assert row["intercept error"] == pytest.approx(line["intercept"] - 1.0, rel=1e-12)


def test_charts_show_the_core_fit(default_page):
    data = make_regression(**DEFAULT_DATA)
    fit = fit_regression(data, "huber", delta=1.0)
    mse = fit_regression(data, "mse")
    charts = shown(default_page)
    curve = charts["curve"]["data"]
    x = array(curve[0]["x"]).astype(float)
    value, grad = regression_curve(losses.get("huber"), x, delta=1.0)
    np.testing.assert_allclose(array(curve[0]["y"]), value, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(array(curve[1]["y"]), grad, rtol=1e-6, atol=1e-6)
    lines = {trace["name"]: trace for trace in charts["fits"]["data"]}
    ends = np.array([data["x"].min(), data["x"].max()])
    for name, params in (("Huber fit", fit.params), ("MSE fit", mse.params)):
        expected = params["intercept"] + params["slope"] * ends
        np.testing.assert_allclose(array(lines[name]["y"]), expected, rtol=1e-6)
    np.testing.assert_allclose(array(lines["true line"]["y"]), 1.0 + 2.0 * ends, rtol=1e-6)
    assert len(array(lines["outlier"]["x"])) == 20  # make_regression: round(0.1 · 200)
    ordinary, outliers = charts["weights"]["data"][:2]
    outlier = data["is_outlier"].to_numpy()
    np.testing.assert_allclose(
        array(ordinary["marker"]["color"]), fit.effective_weight[~outlier], rtol=1e-6
    )
    np.testing.assert_allclose(
        array(outliers["marker"]["color"]), fit.effective_weight[outlier], rtol=1e-6
    )
    cost = charts["cost"]
    np.testing.assert_allclose(array(cost["data"][0]["customdata"]), fit.cost_history)
    # The height is (J_k − J_final)/J_0 in % (the definition the caption gives), from 0 up:
    # a 0.27 % drop must not be drawn as a cliff on an axis zoomed to 1.2890–1.2925.
    history = fit.cost_history
    excess = 100 * (history - history[-1]) / history[0]
    np.testing.assert_allclose(array(cost["data"][0]["y"]), excess, rtol=1e-9, atol=1e-12)
    assert cost["layout"]["yaxis"]["range"][0] == 0
    drop = f"{excess[0]:.2g} %"
    steps = history.size - 1
    assert any(
        f"The fit lowered the cost by {drop} in {steps} iteration" in text.value
        for text in default_page.markdown
    )


def test_url_opens_the_page_with_its_values():
    app = open_page(
        PAGE,
        {
            "reg_loss": "Quantile (pinball)",
            "reg_quantile_tau": "0.9",
            "reg_data_n": "50",
            "reg_data_seed": "7",
        },
    )
    assert problems(app) == []
    assert app.selectbox(key="reg_loss").value == "quantile"
    assert app.slider(key="reg_quantile_tau").value == 0.9
    data = make_regression(50, seed=7)
    line = fit_regression(data, "quantile", tau=0.9).params
    row = shown(app)["table"].loc["Quantile (pinball) ← your pick"]
    assert row["setting"] == "τ = 0.9"
    assert row["slope"] == pytest.approx(line["slope"], rel=1e-12)
    # Hand-derived quantile slopes either side of the kink: −τ and 1 − τ.
    labels = [a["text"].strip() for a in shown(app)["curve"]["layout"]["annotations"]]
    assert "slope −0.9 for r < 0, 0.1 for r > 0" in labels
    # The chart's axis is r = ŷ − y: its caption speaks of r and relates the formula's d once.
    (caption,) = [c.value for c in app.caption if "what one point costs" in c.value]
    assert "At r = 0" in caption and "[−0.9, 0.1]" in caption
    assert "d = 0" not in caption and caption.count("d = y − ŷ is −r") == 1


def test_quantile_weight_caption_tells_the_two_sides_apart():
    app = open_page(PAGE, {"reg_loss": "Quantile (pinball)", "reg_quantile_tau": "0.9"})
    assert problems(app) == []
    (caption,) = [c.value for c in app.caption if "weight w" in c.value]
    # Hand-derived from the pinball loss with d = y − ŷ: τ·d above the line, (τ − 1)·d below.
    assert "above the line (y > ŷ) with the force 0.9" in caption
    assert "below it (y < ŷ) with 0.1" in caption
    assert "same force" not in caption
    # 0.1/0.9 = 0.111: a point below the line weighs 1 only within 0.111·m of it.
    assert "w = min(1, m/|r|) above the line, w = min(1, 0.111·m/|r|) below it" in caption
    mae = open_page(PAGE, {"reg_loss": "Mean absolute error (MAE)"})
    (caption,) = [c.value for c in mae.caption if "weight w" in c.value]
    assert "same force (1)" in caption and "Weight 1: a point within m of the line." in caption


def test_table_shows_four_decimals_and_never_a_negative_zero():
    # No noise, no outliers: every fit is the true line up to rounding (MSE's slope error
    # is −2.2e-16 here), which used to read "−0.0000".
    app = open_page(PAGE, {"reg_data_noise": "0", "reg_data_outliers": "0"})
    assert problems(app) == []
    text, numbers = table_text(app), shown(app)["table"]
    assert numbers.loc["Mean squared error (MSE)", "slope error"] < 0  # the case that mattered
    for column in ("slope error", "intercept error"):
        assert set(text[column]) == {"+0.0000"}
    assert set(text["slope"]) == {"2.0000"} and set(text["intercept"]) == {"1.0000"}


def test_table_text_is_the_numbers_rounded(default_page):
    text, numbers = table_text(default_page), shown(default_page)["table"]
    for column in ("slope", "intercept", "slope error", "intercept error"):
        for shown_text, number in zip(text[column], numbers[column], strict=True):
            assert float(shown_text.replace("−", "-")) == pytest.approx(number, abs=5e-5)
    assert all(t[0] in "+−" for t in text["slope error"])  # errors are signed


def test_points_chosen_but_not_pushed_are_not_outliers():
    app = open_page(PAGE, {"reg_data_outliers": "0.5", "reg_data_magnitude": "0"})
    assert problems(app) == []
    infos = [info.value for info in app.info]
    assert not any("are outliers" in info for info in infos)
    # round(0.5 · 200) = 100 points chosen, none pushed (make_regression).
    assert any("the 100 points chosen as outliers are ordinary points" in i for i in infos)
    assert not any("× marks" in caption.value for caption in app.caption)
    assert any("all 200 generated points are ordinary" in caption.value for caption in app.caption)
    lines = {trace["name"]: trace for trace in shown(app)["fits"]["data"]}
    assert len(array(lines["outlier"]["x"])) == 0
    assert len(array(lines["ordinary point"]["x"])) == 200


def test_invalid_url_values_fall_back_to_the_defaults():
    app = open_page(
        PAGE,
        {"reg_loss": "no-such-loss", "reg_huber_delta": "banana", "reg_data_n": "not-a-number"},
    )
    assert problems(app) == []
    assert app.selectbox(key="reg_loss").value == "huber"
    assert app.select_slider(key="reg_huber_delta").value == 1.0
    assert app.slider(key="reg_data_n").value == 200


MOVES = [
    ("reg_huber_delta", "select_slider", 5.0),
    ("reg_data_n", "slider", 500),
    ("reg_data_noise", "slider", 2.0),
    ("reg_data_outliers", "slider", 0.3),
    ("reg_data_magnitude", "slider", 30.0),
    ("reg_data_two_sided", "toggle", True),
    ("reg_data_seed", "number_input", 3),
]


@pytest.mark.parametrize(("key", "kind", "value"), MOVES, ids=[m[0] for m in MOVES])
def test_each_control_changes_the_charts(key, kind, value):
    app = open_page(PAGE)
    before = [figure["data"] for figure in figures(app)]
    getattr(app, kind)(key=key).set_value(value).run()
    assert problems(app) == []
    after = [figure["data"] for figure in figures(app)]
    # The fitted lines (fits chart) and the weights change with every control.
    assert after[1] != before[1] and after[2] != before[2]


def _curve_payload(app) -> dict:
    (curve,) = [c for c in harness.live_charts(app) if b'"key":"reg_curve_chart"' in c.proto.bytes]
    return json.loads(curve.proto.bytes)


def test_a_data_move_that_keeps_the_round_span_resends_only_the_curves_revision():
    # The loss curve depends on the loss, its setting and the axis's round half-width
    # (`robustness.curve_span` of the Huber fit's residuals), not on the data themselves.
    def span(noise):
        data = make_regression(**(DEFAULT_DATA | {"noise": noise}))
        line = fit_regression(data, "huber", delta=1.0).params
        residual = robustness.residuals(data["x"], data["y"], line)
        return robustness.curve_span(residual, [(-1.0, ""), (1.0, "")])

    assert span(1.0) == span(1.2)  # the core: the same round span on both data sets
    app = open_page(PAGE)
    first = _curve_payload(app)
    assert "figure" in first
    app.slider(key="reg_data_noise").set_value(1.2).run()
    assert problems(app) == []
    again = _curve_payload(app)
    # Sent its revision only (ui.live_chart): the tab keeps the figure it drew.
    assert again["rev"] == first["rev"] and "figure" not in again
    assert figures(app)[0]["data"][0]["y"] == first["figure"]["data"][0]["y"]


def test_picking_another_loss_changes_every_chart():
    app = open_page(PAGE)
    before = [figure["data"] for figure in figures(app)]
    app.selectbox(key="reg_loss").set_value("log_cosh").run()
    assert problems(app) == []
    after = [figure["data"] for figure in figures(app)]
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert "Log-cosh ← your pick" in shown(app)["table"].index


EDGES = {
    "delta at 0.01": {"reg_huber_delta": "0.01"},
    "delta at 100": {"reg_huber_delta": "100"},
    "half outliers": {"reg_data_outliers": "0.5"},
    "n = 10": {"reg_data_n": "10"},
    "noise 0": {"reg_data_noise": "0"},
    "outlier magnitude 0": {"reg_data_magnitude": "0"},
    "no noise, no push": {"reg_data_noise": "0", "reg_data_magnitude": "0"},
    "two-sided": {"reg_data_two_sided": "true", "reg_data_outliers": "0.5"},
    "tau 0.01": {"reg_loss": "Quantile (pinball)", "reg_quantile_tau": "0.01"},
    "tau 0.99": {"reg_loss": "Quantile (pinball)", "reg_quantile_tau": "0.99", "reg_data_n": "10"},
    "pseudo-Huber 100, n 10": {
        "reg_loss": "Pseudo-Huber",
        "reg_pseudo_huber_delta": "100",
        "reg_data_n": "10",
    },
    "MSE": {"reg_loss": "Mean squared error (MSE)"},
}


@pytest.mark.parametrize("query", EDGES.values(), ids=EDGES.keys())
def test_edge_cases_draw_every_chart_without_a_traceback(query):
    app = open_page(PAGE, query)
    assert problems(app) == []
    assert len(figures(app)) == 4 and len(app.dataframe) == 1
    open_estimates(app)
    assert problems(app) == []
    assert len(figures(app)) == 5
    assert all(figure["data"] for figure in figures(app))


def test_edge_notes_tell_the_student_what_happened():
    far = open_page(PAGE, {"reg_huber_delta": "100"})
    assert any("lie beyond every residual" in info.value for info in far.info)
    half = open_page(PAGE, {"reg_data_outliers": "0.5"})
    assert any("100 of 200 points are outliers" in info.value for info in half.info)
    flat = open_page(PAGE, {"reg_data_noise": "0", "reg_data_magnitude": "0"})
    assert any("exactly on the fitted line" in info.value for info in flat.info)
    # Data exactly on the line: the cost curve is the single starting point (already optimal).
    assert len(array(shown(flat)["cost"]["data"][0]["y"])) == 1


def test_mse_pick_draws_one_fit_line_and_all_weights_one():
    app = open_page(PAGE, {"reg_loss": "Mean squared error (MSE)"})
    names = [trace["name"] for trace in shown(app)["fits"]["data"]]
    assert names.count("Mean squared error (MSE) fit") == 1 and "MSE fit" not in names
    colours = np.concatenate(
        [array(t["marker"]["color"]) for t in shown(app)["weights"]["data"][:2]]
    )
    np.testing.assert_array_equal(colours, 1.0)  # ψ(r)/r = 2r/r: every point weighs the same


# ---------------------------------------------------------------- a student's points


def _with(points):
    """The default data with ``points`` appended by hand (not through the app's code)."""
    frame = make_regression(**DEFAULT_DATA)
    x = np.concatenate([frame["x"].to_numpy(), [p[0] for p in points]])
    y = np.concatenate([frame["y"].to_numpy(), [p[1] for p in points]])
    return x, y


def _table_line(app, name):
    row = app.dataframe[0].value.set_index("loss").loc[name]
    return row["intercept"], row["slope"]


def _click(app, x, y, point=None):
    return harness.click_chart(
        app, "reg_fit_chart", {"x": x, "y": y, "xaxis": "x", "yaxis": "y", "point": point}
    )


def test_a_link_carries_added_points_into_every_fit_and_the_chart():
    points = [(5.0, 60.0), (2.0, -20.0)]
    app = open_page(PAGE, {"reg_points": "5,60;2,-20"})
    assert harness.problems(app) == []
    stars = figures(app)[1]["data"][ADDED_TRACE]
    np.testing.assert_array_equal(array(stars["x"]), np.float32([5.0, 2.0]))
    np.testing.assert_array_equal(array(stars["y"]), np.float32([60.0, -20.0]))
    x, y = _with(points)
    # fit_line on the 202 points concatenated here (the MSE fit: least squares).
    mse = fit_line(x, y, "mse").params
    np.testing.assert_allclose(
        _table_line(app, "Mean squared error (MSE)"), (mse["intercept"], mse["slope"]), rtol=1e-9
    )
    huber = fit_line(x, y, "huber", delta=1.0).params
    np.testing.assert_allclose(
        _table_line(app, "Huber ← your pick"), (huber["intercept"], huber["slope"]), rtol=1e-7
    )
    assert app.query_params["reg_points"] == "5.0,60.0;2.0,-20.0"
    assert any(
        "Your last point (x = 2, y = −20) moved the MSE line" in md.value for md in app.markdown
    )
    again = app.run()  # a rerun keeps them
    assert len(array(figures(again)[1]["data"][ADDED_TRACE]["x"])) == 2


@pytest.mark.parametrize("text", ["5,60;oops", ";".join(["1,2"] * 51)])
def test_a_malformed_or_oversized_point_list_falls_back_with_a_sentence(text):
    app = open_page(PAGE, {"reg_points": text})
    assert harness.problems(app) == []
    assert any(
        "none were added" in info.value or "none of them were added" in info.value
        for info in app.info
    )
    assert len(array(figures(app)[1]["data"][ADDED_TRACE]["x"])) == 0
    assert "reg_points" not in app.query_params


def test_a_click_adds_a_point_a_click_on_it_removes_it_and_the_button_clears():
    app = open_page(PAGE)
    before = _table_line(app, "Mean squared error (MSE)")
    app = _click(app, 9.5, 70.0)
    assert harness.problems(app) == []
    assert app.query_params["reg_points"] == "9.5,70.0"
    x, y = _with([(9.5, 70.0)])
    mse = fit_line(x, y, "mse").params  # least squares on the 201 points
    after = _table_line(app, "Mean squared error (MSE)")
    np.testing.assert_allclose(after, (mse["intercept"], mse["slope"]), rtol=1e-9)
    assert after != before
    app = _click(app, 1.234567, 3.0)  # coordinates are kept to two decimals
    assert app.query_params["reg_points"] == "9.5,70.0;1.23,3.0"
    app = _click(app, 9.49, 69.8, point={"curve": ADDED_TRACE, "index": 0})
    assert app.query_params["reg_points"] == "1.23,3.0"
    app.button(key="reg_points_remove").click().run()
    assert "reg_points" not in app.query_params
    assert len(array(figures(app)[1]["data"][ADDED_TRACE]["x"])) == 0
    np.testing.assert_allclose(_table_line(app, "Mean squared error (MSE)"), before, rtol=1e-12)


def test_what_each_loss_estimates_marks_the_mean_and_the_median():
    # numpy's mean and median of the page's values: each point's offset from the true line
    # (make_regression at the page's defaults: y − (1 + 2x)).
    frame = make_regression(**DEFAULT_DATA)
    y = frame["y"].to_numpy() - (1.0 + 2.0 * frame["x"].to_numpy())
    app = open_estimates(open_page(PAGE))
    chart = next(
        figure
        for figure in figures(app)
        if any(
            t.get("name") == "Mean squared error (MSE)" and t.get("mode") == "markers"
            for t in figure["data"]
        )
    )
    marks = {
        t["name"]: t["x"][0]
        for t in chart["data"]
        if t.get("mode") == "markers" and t.get("showlegend") is False
    }
    assert marks["Mean squared error (MSE)"] == pytest.approx(np.mean(y), rel=1e-12)
    assert marks["Mean absolute error (MAE)"] == pytest.approx(np.median(y), rel=1e-12)
    assert len(marks) == len(losses.by_task("regression"))


# ---------------------------------------------------------------- when y changes scale

Y_SCALE_TAB = "When y changes scale"


def open_y_scale(query=None):
    """The page with its third bottom tab open (its URL parameter, as a shared link has it)."""
    return open_page(PAGE, {"reg_bottom": Y_SCALE_TAB, **(query or {})})


def y_scale_traces(app):
    """The scale chart's lines by (name, y axis) and its markers at the current s."""
    chart = figures(app)[-1]
    lines = {(t["name"], t.get("yaxis", "y")): t for t in chart["data"] if t["mode"] == "lines"}
    marks = [t for t in chart["data"] if t["mode"] == "markers"]
    return chart, lines, marks


def _huber_ratio(data, s, delta):
    """Huber's cost at its line fitted straight to s·y over its cost at s = 1 (no identity)."""
    costs = []
    for scale in (s, 1.0):
        y = scale * data["y"].to_numpy()
        line = fit_regression(data.assign(y=y), "huber", delta=delta).params
        predicted = line["intercept"] + line["slope"] * data["x"].to_numpy()
        costs.append(losses.get("huber").cost(y, predicted, delta=delta))
    return costs[0] / costs[1]


def test_y_scale_tab_draws_each_cost_against_s_and_follows_the_control():
    app = open_y_scale()
    assert problems(app) == []
    assert len(figures(app)) == 5 and app.select_slider(key="reg_y_scale").value == 1.0
    chart, lines, marks = y_scale_traces(app)
    s = array(lines[("MSE", "y")]["x"]).astype(float)
    # hand-derived: MSE's cost grows as s², MAE's as s, Huber's with δ·s as s².
    np.testing.assert_allclose(array(lines[("MSE", "y")]["y"]), s**2, rtol=1e-6)
    np.testing.assert_allclose(array(lines[("MAE", "y")]["y"]), s, rtol=1e-6)
    np.testing.assert_allclose(array(lines[("Huber, δ = 1·s", "y")]["y"]), s**2, rtol=1e-6)
    huber = array(lines[("Huber, δ = 1 fixed", "y")]["y"])
    data = make_regression(**DEFAULT_DATA)
    for scale in (0.1, 10.0):
        at = int(np.argmin(np.abs(s - scale)))
        assert huber[at] == pytest.approx(_huber_ratio(data, scale, 1.0), rel=1e-5)
    assert {mark["x"][0] for mark in marks} == {1.0}
    assert any("At s = 1 the data are as drawn above" in m.value for m in app.markdown)

    app.select_slider(key="reg_y_scale").set_value(10.0).run()
    assert problems(app) == []
    moved, _, marks = y_scale_traces(app)
    assert moved != chart and {mark["x"][0] for mark in marks} == {10.0}
    (sentence,) = [m.value for m in app.markdown if m.value.startswith("At s = 10")]
    assert "The MSE cost is 100× its value at s = 1 (s² = 100), MAE's 10× (s = 10)" in sentence
    assert f"Huber's (δ = 1) {_huber_ratio(data, 10.0, 1.0):.3g}×" in sentence


def test_y_scale_tab_opens_from_the_url_with_the_picked_huber_delta():
    app = open_y_scale({"reg_y_scale": "0.1", "reg_huber_delta": "2.5"})
    assert problems(app) == []
    assert app.select_slider(key="reg_y_scale").value == 0.1
    _, lines, _ = y_scale_traces(app)
    assert ("Huber, δ = 2.5 fixed", "y") in lines
    assert any("δ = 2.5 is your Huber setting" in c.value for c in app.caption)
    mse = open_y_scale({"reg_loss": "Mean squared error (MSE)"})
    assert any("δ = 1 is Huber's default" in c.value for c in mse.caption)
