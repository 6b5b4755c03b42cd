"""The Huber δ lab through streamlit's AppTest: numbers against the core, the URL, the
controls, and δ at both ends of its range."""

import numpy as np
import pytest

from losses.data import make_regression
from losses.fit import fit_regression
from tests.app.harness import move_scrubber, scrubber
from tests.app.page_reading import array, figures, open_page
from tests.app.test_alt_text import alternatives
from tests.losses.line_references import huber_line_by_scipy, quantile_line_by_sklearn
from ui import scenes
from ui.cache import key_of
from ui.regression_cache import delta_steps, huber_view

PAGE = "huber"
# Hand-derived: Renard's R10 series, ten steps per decade, from 0.01 to 100 inclusive.
R10 = (1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0)
DELTAS = [float(f"{m * 10.0**e:.6g}") for e in range(-2, 2) for m in R10] + [100.0]


def problems(app):
    return [element.value for element in app.exception] + [w.value for w in app.error]


def delta_shown(app) -> str:
    shown = scrubber(app, "hub_huber_delta")
    return shown["labels"][shown["value"]]


def metrics(app):
    """The numbers under the δ scrubber at the step it shows (its readout, which the
    browser switches with the frames)."""
    shown = scrubber(app, "hub_huber_delta")
    readout = shown["readout"]
    return dict(zip(readout["names"], readout["values"][shown["value"]], strict=True))


def traces(figure):
    by_name = {}
    for trace in figure["data"]:
        by_name.setdefault(trace.get("name"), []).append(trace)
    return by_name


@pytest.fixture(scope="module")
def default_page():
    return open_page(PAGE)


def test_defaults_run_and_metrics_equal_the_core(default_page):
    assert problems(default_page) == []
    assert len(figures(default_page)) == 3
    data = make_regression(200)  # the data controls' defaults are make_regression's
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    huber = fit_regression(data, "huber", delta=1.0).params
    residual = huber["intercept"] + huber["slope"] * x - y
    inside = int(np.sum(np.abs(residual) <= 1.0))  # Huber's quadratic branch, hand-written
    slope_lstsq = np.polyfit(x, y, 1)[0]  # numpy least squares = the MSE line
    shown = metrics(default_page)
    assert shown["points with |r| ≤ δ (quadratic)"] == f"{inside} of 200"
    assert shown["Huber slope"] == f"{huber['slope']:.4f}"
    assert shown["MSE slope (δ → ∞)"] == f"{slope_lstsq:.4f}"
    assert shown["MAE slope (δ → 0)"] == f"{fit_regression(data, 'mae').params['slope']:.4f}"
    zones = traces(figures(default_page)[1])
    assert f"quadratic zone |r| ≤ δ ({inside})" in zones
    assert f"linear zone |r| > δ ({200 - inside})" in zones


def test_sweep_covers_every_slider_delta_with_the_core_fits(default_page):
    sweep = traces(figures(default_page)[2])
    slope_trace, intercept_trace = sweep["Huber fit at each δ"]
    np.testing.assert_allclose(array(slope_trace["x"]), DELTAS)
    assert scrubber(default_page, "hub_huber_delta")["labels"] == [f"{d:g}" for d in DELTAS]
    data = make_regression(200)
    for index in (0, 20, 40):  # δ = 0.01, 1, 100
        line = fit_regression(data, "huber", delta=DELTAS[index]).params
        assert array(slope_trace["y"])[index] == pytest.approx(line["slope"], rel=1e-12)
        assert array(intercept_trace["y"])[index] == pytest.approx(line["intercept"], rel=1e-12)
    star = sweep["current δ"][0]
    assert array(star["x"]).tolist() == [1.0]
    assert array(star["y"])[0] == pytest.approx(array(slope_trace["y"])[20], rel=1e-12)
    assert figures(default_page)[2]["layout"]["xaxis"]["type"] == "log"


def test_intro_claims_only_the_limits_not_a_line_between_them(default_page):
    shown = metrics(default_page)
    huber = float(shown["Huber slope"])
    mse, mae = float(shown["MSE slope (δ → ∞)"]), float(shown["MAE slope (δ → 0)"])
    # At the defaults Huber's slope at δ = 1 (1.9581) lies outside [MSE, MAE] = [1.9337,
    # 1.9411]: the line does not always move "between" the two. References: scipy's Huber
    # line, sklearn's median (τ = 0.5) line, numpy's least squares.
    data = make_regression(200)
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    references = {
        "huber": huber_line_by_scipy(x, y, 1.0)[1],
        "mse": np.polyfit(x, y, 1)[0],
        "mae": quantile_line_by_sklearn(x, y, 0.5)[1],
    }
    low, high = sorted((references["mse"], references["mae"]))
    assert not low <= references["huber"] <= high
    for name, shown_slope in (("huber", huber), ("mse", mse), ("mae", mae)):
        assert shown_slope == pytest.approx(references[name], abs=1e-4), name
    assert not min(mse, mae) <= huber <= max(mse, mae)
    intro = default_page.markdown[0].value
    assert "between the MAE" not in intro
    # The sweep's text alternative says so too (lessons.huber_lab.slope_place): above both.
    sweep_alt = dict(alternatives(default_page))["hub_sweep_chart"]
    place = f"outside MAE's {mae:.4g} and least squares' {mse:.4g}: above both."
    assert f"the slope is {huber:.4g}, {place}" in sweep_alt
    assert "from the MAE line" in intro and "to the least-squares line" in intro
    assert "not necessarily monotonically" in intro


def test_points_chosen_but_not_pushed_are_not_an_outlier_majority():
    app = open_page(PAGE, {"hub_data_outliers": "0.5", "hub_data_magnitude": "0"})
    assert problems(app) == []
    infos = [info.value for info in app.info]
    assert not any("are outliers" in info for info in infos)
    # round(0.5 · 200) = 100 points chosen, none pushed (make_regression).
    assert any("the 100 points chosen as outliers are ordinary points" in i for i in infos)


def test_url_opens_the_lab_at_a_given_delta():
    app = open_page(PAGE, {"hub_huber_delta": "2.5", "hub_data_outliers": "0.3"})
    assert problems(app) == []
    assert delta_shown(app) == "2.5"
    data = make_regression(200, outlier_fraction=0.3)
    line = fit_regression(data, "huber", delta=2.5).params
    assert metrics(app)["Huber slope"] == f"{line['slope']:.4f}"
    names = [trace["name"] for trace in figures(app)[0]["data"]]
    assert "Huber, δ = 2.5" in names


def test_invalid_url_values_fall_back_to_the_defaults():
    app = open_page(PAGE, {"hub_huber_delta": "-3", "hub_data_noise": "loud"})
    assert problems(app) == []
    assert delta_shown(app) == "1"
    assert "hub_huber_delta" not in app.query_params  # the invalid value leaves the URL
    assert app.slider(key="hub_data_noise").value == 1.0


def test_smallest_delta_is_mae_like():
    app = open_page(PAGE, {"hub_huber_delta": "0.01"})
    assert problems(app) == []
    # lessons.huber_lab.nearer_text, from the three lines the page fits.
    near = "Huber's line is nearer the MAE line than the least-squares line"
    assert any(near in info.value for info in app.info)
    shown = metrics(app)
    # Huber/δ → |r| as δ → 0 (Huber 1964): the slopes agree to about 1e-3 here.
    assert float(shown["Huber slope"]) == pytest.approx(float(shown["MAE slope (δ → 0)"]), abs=2e-3)


def test_largest_delta_is_exactly_least_squares():
    app = open_page(PAGE, {"hub_huber_delta": "100"})
    assert problems(app) == []
    assert any("exactly the least-squares" in info.value for info in app.info)
    shown = metrics(app)
    assert shown["Huber slope"] == shown["MSE slope (δ → ∞)"]
    assert shown["points with |r| ≤ δ (quadratic)"] == "200 of 200"
    # δ = 100 lies outside the residual axis: no mark label shown (each δ's chart keeps its
    # marks, hidden beyond the axis), and no empty linear-zone points.
    labels = figures(app)[0]["layout"].get("annotations", [])
    assert not [a for a in labels if a["text"].strip() and a.get("visible", True)]
    assert len(array(traces(figures(app)[1])["linear zone |r| > δ (0)"][0]["x"])) == 0


MOVES = [
    ("hub_huber_delta", "scrubber", "5"),
    ("hub_data_n", "slider", 500),
    ("hub_data_noise", "slider", 2.0),
    ("hub_data_outliers", "slider", 0.3),
    ("hub_data_magnitude", "slider", 30.0),
    ("hub_data_two_sided", "toggle", True),
    ("hub_data_seed", "number_input", 3),
]


@pytest.mark.parametrize(("key", "kind", "value"), MOVES, ids=[m[0] for m in MOVES])
def test_each_control_changes_the_charts(key, kind, value):
    app = open_page(PAGE)
    before = [figure["data"] for figure in figures(app)]
    if kind == "scrubber":
        move_scrubber(app, key, value)
    else:
        getattr(app, kind)(key=key).set_value(value).run()
    assert problems(app) == []
    after = [figure["data"] for figure in figures(app)]
    # The zone plot and the sweep's current-δ star move with every control.
    assert after[1] != before[1] and after[2] != before[2]


EDGES = {
    "half outliers": {"hub_data_outliers": "0.5"},
    "n = 10, tiny delta": {"hub_data_n": "10", "hub_huber_delta": "0.01"},
    "noise 0": {"hub_data_noise": "0"},
    "no noise, no push": {"hub_data_noise": "0", "hub_data_magnitude": "0"},
    "two-sided, 100": {"hub_data_two_sided": "true", "hub_huber_delta": "100"},
}


@pytest.mark.parametrize("query", EDGES.values(), ids=EDGES.keys())
def test_edge_cases_draw_every_chart_without_a_traceback(query):
    app = open_page(PAGE, query)
    assert problems(app) == []
    assert len(figures(app)) == 3
    assert all(figure["data"] for figure in figures(app))


def test_stopping_the_scrubber_updates_the_numbers_the_charts_and_the_url():
    app = open_page(PAGE)
    move_scrubber(app, "hub_huber_delta", "2.5")
    assert problems(app) == []
    assert delta_shown(app) == "2.5"
    assert app.query_params["hub_huber_delta"] == "2.5"
    line = fit_regression(make_regression(200), "huber", delta=2.5).params  # the core's fit
    assert metrics(app)["Huber slope"] == f"{line['slope']:.4f}"
    assert "Huber, δ = 2.5" in traces(figures(app)[0])
    # Back at the default, δ leaves the URL (as a bound Streamlit widget does).
    move_scrubber(app, "hub_huber_delta", "1")
    assert "hub_huber_delta" not in app.query_params


def test_the_sweep_caption_counts_its_ends_on_the_data(default_page):
    # The core's Huber fits at the sweep's ends (losses.fit.fit_regression, checked against
    # scipy in tests/losses) and numpy's count of |r| ≤ δ: at δ = 0.01 on the default data
    # 196 of 200 points are outside δ; at δ = 100 all 200 are inside.
    frame = make_regression(200)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    counts = {}
    for delta in (0.01, 100.0):
        line = fit_regression(frame, "huber", delta=delta).params
        counts[delta] = int(np.sum(np.abs(line["intercept"] + line["slope"] * x - y) <= delta))
    captions = [caption.value for caption in default_page.caption]
    sweep = next(caption for caption in captions if caption.startswith("A Huber line fitted"))
    assert f"At δ = 0.01, {200 - counts[0.01]} of 200 points are in the linear zone" in sweep
    assert f"at δ = 100, {counts[100.0]} of 200 are in the quadratic zone" in sweep
    assert counts[0.01] == 4 and counts[100.0] == 200
    assert "mostly shift the intercept" not in sweep


@pytest.mark.parametrize(
    "query", [{}, {"hub_data_outliers": "0.3", "hub_data_seed": "3"}, {"hub_data_n": "10"}]
)
def test_the_scrubbers_numbers_at_every_delta_are_the_reruns(query):
    # The scrubber carries a readout per δ, switched in the browser before the page reruns;
    # the rerun at that δ computes its numbers with ui.regression_cache.huber_view (its own
    # fit at δ, lessons.huber_lab.delta_readout). They must read the same at every δ.
    app = open_page(PAGE, query)
    assert problems(app) == []
    shown = scrubber(app, "hub_huber_delta")
    readout = shown["readout"]
    data_args = key_of(app.session_state[scenes.DATA]["views/huber.py"])
    for index, delta in enumerate(delta_steps()):
        rerun = huber_view(data_args, key_of({"delta": delta})).readout
        assert [name for name, _ in rerun] == readout["names"]
        assert readout["values"][index] == [text for _, text in rerun], delta
    # And through a real rerun: the zone chart's text alternative, written from the rerun's
    # numbers (lessons.alt_text.huber_zones), counts the points the readout counts.
    for label in ("0.01", "2.5", "100"):
        move_scrubber(app, "hub_huber_delta", label)
        inside = metrics(app)["points with |r| ≤ δ (quadratic)"].split(" of ")[0]
        zones_alt = dict(alternatives(app))["hub_zone_chart"]
        assert f"{inside} points inside (quadratic zone)" in zones_alt, label
