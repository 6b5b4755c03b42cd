"""The Compare page through streamlit's AppTest."""

import math

import numpy as np
import pytest

import losses
from tests.app.harness import move_scrubber, problems, scrubber
from tests.app.page_reading import array, figures, open_page


def point_shown(app, key: str) -> str:
    shown = scrubber(app, key)
    return shown["labels"][shown["value"]]


def table(app):
    return app.dataframe[0].value


def test_regression_defaults_values_at_the_chosen_residual():
    app = open_page("compare")
    assert not app.exception
    values = table(app)
    assert list(values["loss"]) == [
        "Mean squared error (MSE)",
        "Mean absolute error (MAE)",
        "Huber",
    ]
    # Hand-derived at r = 1.5: MSE 2.25 (grad 3), MAE 1.5 (grad 1), Huber δ=1: 1.0 (grad 1).
    np.testing.assert_allclose(values["value ℓ"], [2.25, 1.5, 1.0])
    np.testing.assert_allclose(values["gradient ∂ℓ/∂ŷ"], [3.0, 1.0, 1.0])
    figure = figures(app)[0]
    # Two traces (loss, gradient) per loss, in the loss's colour: Okabe–Ito vermillion, blue
    # and bluish green (the published palette, tests/ui/test_charts.py's PUBLISHED_OKABE_ITO).
    assert [trace["line"]["color"] for trace in figure["data"][::2]] == [
        "#D55E00",
        "#0072B2",
        "#009E73",
    ]


def test_moving_the_point_changes_the_table_and_the_mark():
    app = open_page("compare", {"cmp_r": "-3"})
    assert point_shown(app, "cmp_r") == "-3"
    # Hand-derived at r = −3: 9, 3, δ(|r| − δ/2) = 2.5.
    np.testing.assert_allclose(table(app)["value ℓ"], [9.0, 3.0, 2.5])
    marks = figures(app)[0]["layout"]["shapes"]
    assert [mark["x0"] for mark in marks] == [-3.0, -3.0]  # the dotted line on both panels
    # Stopped at r = 7.2 in the browser: the table follows, and the axis widens to show the
    # mark with 0.5 to spare (|r| + 0.5 = 7.7 > the default half-width 4).
    move_scrubber(app, "cmp_r", "7.2")
    assert not app.exception
    np.testing.assert_allclose(table(app)["value ℓ"], [7.2**2, 7.2, 7.2 - 0.5])  # hand-derived
    layout = figures(app)[0]["layout"]
    assert layout["xaxis"]["range"] == pytest.approx([-7.7, 7.7])
    assert [mark["x0"] for mark in layout["shapes"]] == [7.2, 7.2]
    # The loss axis frames what is visible: MSE reaches 7.7² = 59.29 at the edge.
    low, high = layout["yaxis"]["range"]
    assert 59.29 < high < 59.29 * 1.1 and low < 0


def test_range_slider_widens_the_drawn_axis():
    app = open_page("compare")
    before = figures(app)[0]["layout"]["xaxis"]["range"]
    app.slider(key="cmp_range").set_value(10.0).run()
    after = figures(app)[0]["layout"]["xaxis"]["range"]
    assert before == pytest.approx([-4.0, 4.0]) and after == pytest.approx([-10.0, 10.0])
    # The curves are drawn out to the farthest point the scrubber can reach (|r| + 0.5).
    assert array(figures(app)[0]["data"][0]["x"]).max() == pytest.approx(10.5)


def test_binary_opens_on_losses_that_draw_and_hinge_explains_itself_when_picked():
    app = open_page("compare", {"cmp_task": "Binary classification"})
    assert not app.exception
    assert app.multiselect(key="cmp_losses_binary").value == ["bce", "focal"]
    assert not [info.value for info in app.info]  # nothing left out on opening
    assert list(table(app)["loss"]) == ["Binary cross-entropy (BCE)", "Focal loss"]
    app.multiselect(key="cmp_losses_binary").select("hinge").run()
    assert list(table(app)["loss"]) == ["Binary cross-entropy (BCE)", "Focal loss"]
    assert any("Hinge needs a raw score" in info.value for info in app.info)
    # Hand-derived at p = 0.3, y = 1: bce −log 0.3; focal (γ=2) 0.7²·(−log 0.3).
    np.testing.assert_allclose(
        table(app)["value ℓ"], [-math.log(0.3), 0.49 * -math.log(0.3)], rtol=1e-12
    )


def test_binary_score_axis_includes_hinge():
    app = open_page(
        "compare",
        {"cmp_task": "Binary classification", "cmp_axis": "score s (logit)", "cmp_label": "0"},
    )
    app.multiselect(key="cmp_losses_binary").select("hinge").run()
    values = table(app)
    assert "Hinge" in list(values["loss"])
    # Hand-derived at s = −1, y = 0 (t = −1): hinge max(0, 1 − 1) = 0; bce log(1 + e^{−1}).
    assert values.set_index("loss").loc["Hinge", "value ℓ"] == 0.0
    assert values.set_index("loss").loc["Binary cross-entropy (BCE)", "value ℓ"] == pytest.approx(
        math.log1p(math.exp(-1.0))
    )


def test_multiclass_losses_agree_for_one_hot_targets():
    app = open_page("compare", {"cmp_task": "Multi-class classification", "cmp_k": "5"})
    assert app.slider(key="cmp_k").value == 5
    # Hand-derived: −log p_true at p_true = 0.3 for cce, sparse cce and KL alike.
    np.testing.assert_allclose(table(app)["value ℓ"], [-math.log(0.3)] * 3, rtol=1e-12)
    dashes = [trace["line"]["dash"] for trace in figures(app)[0]["data"][::2]]
    assert len(set(dashes)) == 3  # identical curves stay visible as distinct dash patterns


def test_no_loss_picked_says_what_to_do():
    app = open_page("compare")
    app.multiselect(key="cmp_losses_regression").set_value([]).run()
    assert not app.exception
    assert any("Pick at least one loss" in info.value for info in app.info)


def test_invalid_url_values_fall_back_to_defaults():
    app = open_page("compare", {"cmp_task": "???", "cmp_r": "banana", "cmp_range": "1e9"})
    assert not app.exception
    assert app.radio(key="cmp_task").value == "regression"
    assert point_shown(app, "cmp_r") == "1.5"


def test_each_compared_loss_shows_its_formula_and_text():
    # One tab per compared loss; only the open one draws its text (the first at first).
    app = open_page("compare")
    for loss_id in ("mse", "mae", "huber"):
        loss = losses.get(loss_id)
        if loss_id != "mse":
            app.session_state["cmp_about_regression"] = loss.name  # a click on its tab
            app.run()
            assert problems(app) == []
        shown = " ".join(latex.value for latex in app.latex)
        markdown = " ".join(block.value for block in app.markdown)
        assert loss.latex in shown  # source: the registry's own text
        assert loss.use_when in markdown
        for other in {"mse", "mae", "huber"} - {loss_id}:
            assert losses.get(other).use_when not in markdown
