"""The home page (Loss vs cost) through streamlit's AppTest."""

import math

import numpy as np
import pytest

from tests.app.page_reading import array, figures, open_page


def bars_and_cost(app):
    bars, cost_line = figures(app)[0]["data"]
    return array(bars["y"]), array(cost_line["y"])


def test_defaults_show_mse_bars_and_their_mean():
    app = open_page("loss_vs_cost")
    assert not app.exception
    per_sample, cost = bars_and_cost(app)
    # Hand-derived from the example table: (ŷ − y)² = 0.25, 0.25, 0, 1, 25; mean 5.3.
    np.testing.assert_allclose(per_sample, [0.25, 0.25, 0, 1, 25], rtol=1e-6)
    np.testing.assert_allclose(cost, 5.3, rtol=1e-6)
    assert "= 5.3" in app.latex[-1].value


def test_a_table_in_the_link_is_what_the_bars_show():
    app = open_page("loss_vs_cost", {"cost_rows_regression": "1,2;3,5;0,0.5"})
    per_sample, cost = bars_and_cost(app)
    # Hand-derived: squares of 1, 2, 0.5 → 1, 4, 0.25; mean 1.75.
    np.testing.assert_allclose(per_sample, [1, 4, 0.25])
    np.testing.assert_allclose(cost, 1.75)


def test_an_unreadable_table_in_the_link_falls_back_to_the_example():
    app = open_page("loss_vs_cost", {"cost_rows_regression": "oops,1"})
    assert not app.exception
    assert any("could not be read" in info.value for info in app.info)
    per_sample, _ = bars_and_cost(app)
    assert per_sample.size == 5


def test_changing_the_loss_changes_the_bars():
    app = open_page("loss_vs_cost")
    app.selectbox(key="cost_loss_regression").set_value("mae").run()
    per_sample, cost = bars_and_cost(app)
    # Hand-derived: |ŷ − y| = 0.5, 0.5, 0, 1, 5; mean 1.4.
    np.testing.assert_allclose(per_sample, [0.5, 0.5, 0, 1, 5])
    np.testing.assert_allclose(cost, 1.4, rtol=1e-6)


def test_huber_delta_moves_the_cost():
    app = open_page("loss_vs_cost", {"cost_loss_regression": "Huber"})
    app.select_slider(key="cost_huber_delta").set_value(2.0).run()
    _, cost = bars_and_cost(app)
    # Hand-derived, δ = 2: ½r² for |r| ≤ 2 → 0.125, 0.125, 0, 0.5; δ(|r| − δ/2) = 2·4 = 8 for r = 5.
    np.testing.assert_allclose(cost, (0.125 + 0.125 + 0 + 0.5 + 8) / 5, rtol=1e-6)


@pytest.mark.parametrize(
    ("task", "expected_cost"),
    [
        # Hand-derived: mean of −log 0.9, −log 0.8, −log 0.6, −log 0.3 and −log ε (ε = 1e-7,
        # the clip that caps p = 0 for a true 1).
        ("Binary classification", -np.mean(np.log([0.9, 0.8, 0.6, 0.3, 1e-7]))),
        # Hand-derived: mean of −log 0.7, −log 0.7, −log 0.6, −log ε.
        ("Multi-class classification", -np.mean(np.log([0.7, 0.7, 0.6, 1e-7]))),
    ],
)
def test_each_task_opens_from_the_link_with_its_example(task, expected_cost):
    app = open_page("loss_vs_cost", {"cost_task": task})
    assert not app.exception
    _, cost = bars_and_cost(app)
    np.testing.assert_allclose(cost, expected_cost, rtol=1e-6)


def test_moving_eps_moves_the_capped_bar():
    app = open_page("loss_vs_cost", {"cost_task": "Binary classification"})
    assert any("clipped before the log" in info.value for info in app.info)
    app.select_slider(key="cost_bce_eps").set_value(0.01).run()
    per_sample, _ = bars_and_cost(app)
    assert per_sample[-1] == pytest.approx(-math.log(0.01), rel=1e-6)  # hand-derived: −log ε


def test_a_value_the_loss_cannot_take_gives_a_sentence_not_a_traceback():
    app = open_page(
        "loss_vs_cost", {"cost_task": "Binary classification", "cost_rows_binary": "1,1.5"}
    )
    assert not app.exception
    assert any("cannot score this table" in warning.value for warning in app.warning)
    assert not figures(app)


def test_invalid_url_values_fall_back_to_defaults():
    app = open_page("loss_vs_cost", {"cost_task": "Astrology", "cost_loss_regression": "nope"})
    assert not app.exception
    assert app.radio(key="cost_task").value == "regression"
    assert app.selectbox(key="cost_loss_regression").value == "mse"


def test_cost_line_is_log_loss_for_a_confident_mistake():
    app = open_page(
        "loss_vs_cost", {"cost_task": "Binary classification", "cost_rows_binary": "1,0.001"}
    )
    per_sample, _ = bars_and_cost(app)
    assert per_sample[0] == pytest.approx(-math.log(0.001), rel=1e-6)  # hand-derived
