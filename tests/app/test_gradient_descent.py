"""The Gradient descent page through AppTest: clicks on the landscape and the data, the
added points' link, and the descent's numbers against the core run here."""

import numpy as np

from losses.data import make_regression
from losses.fit import descent
from losses.fit.line import fit_line
from tests.app import harness
from tests.app.page_reading import array, figures, open_page
from ui.descent_charts import LANDSCAPE_CURRENT
from ui.regression_charts import ADDED_TRACE

PAGE = "gradient_descent"


def _click(app, key, x, y, point=None):
    return harness.click_chart(app, key, {"x": x, "y": y, "xaxis": "x", "yaxis": "y",
                                          "point": point})  # fmt: skip


def test_defaults_show_three_charts_the_scrubber_and_the_core_descent():
    app = open_page(PAGE)
    assert harness.problems(app) == []
    assert harness.scrubber_keys(app) == ["gd_epoch"]
    land, data, cost = figures(app)
    frame = make_regression(200)  # the page's defaults
    path = descent.gradient_descent(frame["x"].to_numpy(), frame["y"].to_numpy(), "mse",
                                    learning_rate=0.02, epochs=1000)  # fmt: skip
    current = land["data"][LANDSCAPE_CURRENT]
    np.testing.assert_allclose([current["x"][0], current["y"][0]],
                               [path.intercepts[-1], path.slopes[-1]], rtol=1e-12)  # fmt: skip
    np.testing.assert_allclose(array(cost["data"][0]["y"]), path.costs, rtol=1e-12)
    assert any(md.value.startswith("Converged") for md in app.markdown)


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
