"""A loss defined only in a test, registered, runs on every page offering regression losses.

The proof that a new loss is its kernels, one entry and its reference test
(tests/leclerc_loss.py, tests/losses/test_new_loss.py): with it registered and picked, each
page runs without an exception and shows it by name — in the fit table, the estimates, the
comparison, the descent and the loss-vs-cost table.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1.element_tree import Block, Widget

import losses
from tests.app.harness import LIVE_CHART, _content, open_page, problems, set_and_run
from tests.leclerc_loss import LECLERC

NAME = LECLERC.name


@pytest.fixture(autouse=True)
def registered():
    with losses.registry.registered(LECLERC):
        yield


def page_text(at) -> str:
    """Everything the page shows as text: markdown, captions, alerts, tables, LaTeX and each
    live chart's figure (its legend names and titles)."""
    shown = []
    for node in at._tree:
        if isinstance(node, Block | Widget) or node.type in ("exception", "empty"):
            continue
        if node.type == "bidi_component" and node.proto.component_name == LIVE_CHART:
            shown.append(json.dumps(_content(at, node), ensure_ascii=False, default=str))
        elif "arrow_data" in node.proto.DESCRIPTOR.fields_by_name:
            shown.append(node.value.to_json(force_ascii=False))
        else:
            shown.append(str(getattr(node, "value", "")))
    return "\n".join(shown)


def assert_runs_and_names_it(at) -> str:
    assert not problems(at), problems(at)
    text = page_text(at)
    assert NAME in text
    return text


@pytest.mark.parametrize(
    ("tab", "where"),
    [
        ("Every regression loss on these data", f"{NAME} ← your pick"),
        ("What each loss estimates", NAME),
    ],
)
def test_regression_page_fits_and_estimates_it(tab, where):
    at = open_page("views/regression.py", query_params={"reg_loss": NAME, "reg_bottom": tab})
    assert at.selectbox(key="reg_loss").value == LECLERC.id
    text = assert_runs_and_names_it(at)
    assert where in text
    assert "c = 1" in text  # its setting, from its parameter spec


def test_regression_page_with_another_loss_lists_it_in_the_table():
    at = open_page("views/regression.py")
    assert at.selectbox(key="reg_loss").value != LECLERC.id
    assert_runs_and_names_it(at)


def test_gradient_descent_page_runs_it():
    at = open_page("views/gradient_descent.py", query_params={"gd_loss": NAME})
    assert at.selectbox(key="gd_loss").value == LECLERC.id
    assert_runs_and_names_it(at)


def test_compare_page_draws_it():
    at = open_page("views/compare.py")
    at = set_and_run(at, "cmp_losses_regression", ["Mean squared error (MSE)", NAME])
    text = assert_runs_and_names_it(at)
    assert f'"name": "{NAME}' in text or f'"{NAME}' in text  # a trace or a row of the table


def test_loss_vs_cost_page_costs_it():
    at = open_page("views/loss_vs_cost.py", query_params={"cost_loss_regression": NAME})
    assert at.selectbox(key="cost_loss_regression").value == LECLERC.id
    assert_runs_and_names_it(at)


def test_the_reproduce_panel_says_what_it_cannot_write():
    at = open_page("views/regression.py", query_params={"reg_loss": NAME})
    at.session_state["reg_reproduce"] = True
    at.run()
    assert_runs_and_names_it(at)
