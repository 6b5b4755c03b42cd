"""The Gradient descent page through AppTest: clicks on the landscape and the data, the
added points' link, and the descent's numbers against the core run here."""

import json

import numpy as np

from losses.data import make_regression
from losses.fit import descent
from losses.fit.line import fit_line
from tests.app import harness
from tests.app.page_reading import array, figures, open_page
from ui.descent_charts import (
    COST_CURVE,
    DRAWN_TOLERANCE,
    LANDSCAPE_CURRENT,
    LANDSCAPE_PATH,
    LANDSCAPE_WHOLE,
)
from ui.regression_charts import ADDED_TRACE

PAGE = "gradient_descent"


def _click(app, key, x, y, point=None):
    return harness.click_chart(
        app, key, {"x": x, "y": y, "xaxis": "x", "yaxis": "y", "point": point}
    )


def test_defaults_show_three_charts_the_scrubber_and_the_core_descent():
    app = open_page(PAGE)
    assert harness.problems(app) == []
    assert harness.scrubber_keys(app) == ["gd_epoch"]
    frame = make_regression(200)  # the page's defaults
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mse", learning_rate=0.02, epochs=1000
    )
    # Before ▶ the charts show epoch 0: the start (a = 0, b = 0, the page's default), and
    # a path that has not begun; the cost curve is the core's, whole.
    assert harness.scrubber(app, "gd_epoch")["value"] == 0
    land, data, cost = figures(app)
    current = land["data"][LANDSCAPE_CURRENT]
    assert (current["x"], current["y"]) == ([0.0], [0.0])
    np.testing.assert_array_equal(array(land["data"][LANDSCAPE_PATH]["x"]), [0.0])
    np.testing.assert_allclose(array(cost["data"][COST_CURVE]["y"]), path.costs, rtol=1e-12)
    # At the last epoch: the core's end, the path from the start to it (its last point
    # within the thinning's tolerance of the end: under a pixel).
    app = harness.move_scrubber(app, "gd_epoch", "1000")
    land, data, cost = figures(app)
    current = land["data"][LANDSCAPE_CURRENT]
    np.testing.assert_allclose(
        [current["x"][0], current["y"][0]], [path.intercepts[-1], path.slopes[-1]], rtol=1e-12
    )
    drawn = np.column_stack([array(land["data"][LANDSCAPE_PATH][axis]) for axis in "xy"])
    np.testing.assert_array_equal(drawn[0], [0.0, 0.0])
    assert _near(land["layout"], drawn[-1], (path.intercepts[-1], path.slopes[-1]))
    assert any(md.value.startswith("Converged") for md in app.markdown)


def test_the_path_is_drawn_up_to_the_epoch_shown():
    app = harness.move_scrubber(open_page(PAGE, {"gd_epochs": "200"}), "gd_epoch", "30")
    frame = make_regression(200)
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mse", learning_rate=0.02, epochs=200
    )
    land = figures(app)[0]
    drawn = np.column_stack([array(land["data"][LANDSCAPE_PATH][axis]) for axis in "xy"])
    # Every drawn point is one of the core's first 31 points (float32 in the browser), the
    # last one epoch 30's; the faint whole path is off by default.
    first = np.column_stack([path.intercepts[:31], path.slopes[:31]])
    for point in drawn:
        assert np.min(np.max(np.abs(first - point), axis=1)) < 1e-5
    assert _near(land["layout"], drawn[-1], first[-1])
    assert array(land["data"][LANDSCAPE_WHOLE]["x"]).size == 0
    whole = figures(open_page(PAGE, {"gd_epochs": "200", "gd_whole_path": "true"}))[0]
    assert array(whole["data"][LANDSCAPE_WHOLE]["x"]).size == 201


def _near(layout, drawn, point) -> bool:
    """Whether ``drawn`` (a, b) lies within the path's thinning tolerance of ``point``
    (ui.descent_charts.DRAWN_TOLERANCE of each axis's span, float32 rounding aside)."""
    spans = [np.ptp(layout[axis]["range"]) for axis in ("xaxis", "yaxis")]
    gaps = np.abs(np.subtract(drawn, point)) / spans
    return bool(np.all(gaps <= DRAWN_TOLERANCE + 1e-6))


def _first_overshoot(path) -> int:
    """The first epoch whose cost passes the start's (the core's costs), or the last."""
    higher = np.flatnonzero(path.costs[1:] > path.costs[0])
    return int(higher[0]) + 1 if higher.size else path.epochs


def _inside(layout, a, b) -> bool:
    (a_low, a_high), (b_low, b_high) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    return bool(np.all((a_low <= a) & (a <= a_high) & (b_low <= b) & (b <= b_high)))


def test_the_landscape_holds_the_first_overshoot_and_cuts_a_diverging_path():
    frame = make_regression(200)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    minimum = fit_line(x, y, "mse").params
    for rate in (0.02, 0.0315):  # 2/L = 0.0257 on these x (losses.fit.descent.mse_step_limit)
        layout = figures(open_page(PAGE, {"gd_rate": str(rate)}))[0]["layout"]
        path = descent.gradient_descent(x, y, "mse", learning_rate=rate, epochs=1000)
        held = _first_overshoot(path) + 1
        assert _inside(layout, path.intercepts[:held], path.slopes[:held]), rate
        assert _inside(layout, minimum["intercept"], minimum["slope"])
        if path.stop == "diverged":
            # Cut: the last recorded point lies far outside, and the chart says why.
            assert not _inside(layout, path.intercepts[-1], path.slopes[-1])
            assert layout["annotations"][0]["text"] == f"It diverged at epoch {path.diverged_at}"
        else:
            assert _inside(layout, path.intercepts, path.slopes)


def test_the_data_chart_keeps_the_data_s_range_when_the_descent_diverges():
    app = open_page(PAGE, {"gd_rate": "0.0315"})
    app = harness.move_scrubber(app, "gd_epoch", harness.scrubber(app, "gd_epoch")["labels"][-1])
    y = make_regression(200)["y"].to_numpy()  # the page's data
    data = figures(app)[1]
    low, high = data["layout"]["yaxis"]["range"]
    # The data's own range with a margin under a tenth of it, however far the line went.
    assert low <= y.min() and high >= y.max() and high - low <= 1.1 * np.ptp(y)
    line = array(data["data"][-1]["y"])
    assert np.max(np.abs(line)) > 10 * (high - low)  # the line itself left the range
    assert data["layout"]["annotations"][0]["text"].startswith("It diverged at epoch")


def test_a_click_on_the_landscape_keeps_its_axes():
    app = open_page(PAGE)
    before = figures(app)[0]["layout"]
    clicked = figures(_click(app, "gd_landscape", -1.5, 1.0))[0]
    after = clicked["layout"]
    assert after["xaxis"]["range"] == before["xaxis"]["range"]
    assert after["yaxis"]["range"] == before["yaxis"]["range"]
    assert clicked["data"][LANDSCAPE_CURRENT]["x"] == [-1.5]


def test_a_new_loss_or_data_set_starts_the_epoch_at_its_default():
    app = harness.move_scrubber(open_page(PAGE), "gd_epoch", "5")
    assert harness.scrubber(app, "gd_epoch")["value"] == 5
    assert app.query_params["gd_epoch"] in ("5", ["5"])
    app.selectbox(key="gd_loss").set_value("mae").run()
    assert harness.scrubber(app, "gd_epoch")["value"] == 0
    assert "gd_epoch" not in app.query_params
    app.select_slider(key="gd_rate").set_value(0.01).run()  # any other rerun keeps it
    assert harness.scrubber(app, "gd_epoch")["value"] == 0
    app = harness.move_scrubber(app, "gd_epoch", "7")
    app.slider(key="gd_data_n").set_value(100).run()
    assert harness.scrubber(app, "gd_epoch")["value"] == 0


def test_a_click_on_the_landscape_moves_the_start_and_the_link_keeps_it():
    app = _click(open_page(PAGE), "gd_landscape", -3.0, 4.0)
    assert harness.problems(app) == []
    assert app.query_params["gd_start"] == "-3.0,4.0"
    start = figures(app)[0]["data"][2]
    assert (start["x"], start["y"]) == ([-3.0], [4.0])
    again = open_page(PAGE, {"gd_start": "-3.0,4.0"})
    assert figures(again)[0]["data"][2]["x"] == [-3.0]


def test_find_the_bottom_yourself_then_reveal_it():
    app = open_page(PAGE, {"gd_run": "false", "gd_start": "1,1"})
    assert harness.problems(app) == [] and harness.scrubber_keys(app) == []
    assert len(figures(app)) == 2
    frame = make_regression(200)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    j = float(np.mean((1 + x - y) ** 2))  # MSE of ŷ = 1 + x, by hand
    assert any(f"costs J = {j:.6g}" in md.value for md in app.markdown)
    assert figures(app)[0]["data"][3]["x"] == []  # the minimum hidden
    shown = open_page(PAGE, {"gd_run": "false", "gd_start": "1,1", "gd_reveal": "true"})
    best = fit_line(x, y, "mse").params
    np.testing.assert_allclose(figures(shown)[0]["data"][3]["x"], [best["intercept"]])


def test_added_points_from_a_click_and_a_link_and_a_malformed_link():
    app = _click(open_page(PAGE), "gd_data_chart", 8.0, 60.0)
    assert app.query_params["gd_points"] == "8.0,60.0"
    np.testing.assert_array_equal(array(figures(app)[1]["data"][ADDED_TRACE]["x"]), [8.0])
    linked = open_page(PAGE, {"gd_points": "8,60"})
    assert (
        figures(linked)[0]["data"][LANDSCAPE_CURRENT] == figures(app)[0]["data"][LANDSCAPE_CURRENT]
    )
    bad = open_page(PAGE, {"gd_points": "8,60;nope", "gd_start": "x"})
    assert harness.problems(bad) == []
    infos = [info.value for info in bad.info]
    assert any("none were added" in info for info in infos)
    assert any("start point could not be read" in info for info in infos)


def test_a_divergent_rate_says_so_and_draws_only_finite_numbers():
    app = open_page(PAGE, {"gd_rate": "0.1"})
    assert harness.problems(app) == []
    assert any(md.value.startswith("Diverged at epoch") for md in app.markdown)
    assert np.all(np.isfinite(array(figures(app)[2]["data"][0]["y"])))


def _alt(app, key: str) -> str:
    element = next(e for e in harness.live_charts(app) if json.loads(e.proto.bytes)["key"] == key)
    return json.loads(element.proto.bytes)["alt"]


def test_the_data_chart_s_text_names_the_line_at_the_epoch_shown():
    frame = make_regression(200)
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mse", learning_rate=0.02, epochs=1000
    )
    app = open_page(PAGE)
    assert "the line ŷ = 0 + 0·x" in _alt(app, "gd_data_chart")  # epoch 0: the start
    app = harness.move_scrubber(app, "gd_epoch", "1000")
    a, b = path.intercepts[-1], path.slopes[-1]  # the core's end
    assert f"the line ŷ = {a:.3g} + {b:.3g}·x" in _alt(app, "gd_data_chart")
