"""The reproduce panel with a loss whose registry entry leaves its snippets out, in whole
or for one framework: the tab says so in a sentence (`lessons.reproduce.missing`) instead of
raising. The loss is registered only here, a copy of MSE under another id."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

import losses
from losses.snippets import Snippet
from tests.app.harness import problems
from ui import reproduce_panel

MSE = losses.get("mse")


def panel_script():
    from lessons import reproduce
    from ui import reproduce_panel

    # y = (3, −0.5, 2), ŷ = (2.5, 0, 2): the MSE (0.25 + 0.25 + 0) / 3.
    number = reproduce.page_number("Test cost", "test_only", {}, [3.0, -0.5, 2.0], [2.5, 0, 2])
    reproduce_panel.panel(number, key="t", csv_name="t.csv")


def open_panel() -> AppTest:
    at = AppTest.from_function(panel_script, default_timeout=60)
    at.session_state["t_reproduce"] = True  # the expander open, as a student's click
    at.run()
    assert not problems(at), problems(at)
    return at


@pytest.fixture
def register(monkeypatch):
    def register(snippet):
        entry = dataclasses.replace(MSE, id="test_only", snippet=snippet)
        monkeypatch.setitem(losses.REGISTRY, "test_only", entry)
        # The panel caches scripts by loss id, which the app's fixed registry never reuses.
        reproduce_panel._scripts.clear()

    return register


def test_a_loss_without_snippets_gets_a_sentence_in_every_tab(register):
    register(None)
    at = open_panel()
    (box,) = at.expander
    assert not box.code
    # Its kernel is MSE's, losses.regression.mse (copied above); no tab has a script.
    assert [info.value for info in box.info] == [
        f"No {framework} script for {MSE.name} yet: its kernel is mse in "
        "losses/regression.py; no framework has a script for it yet (a Snippet on its "
        "registry entry adds them)."
        for framework in ("NumPy", "PyTorch", "Keras")
    ]


def test_a_framework_without_a_snippet_gets_a_sentence_the_others_their_scripts(register):
    register(Snippet(numpy=MSE.snippet.numpy, keras=MSE.snippet.keras))
    at = open_panel()
    (box,) = at.expander
    (torch_tab,) = [tab for tab in box.tabs if tab.label == "PyTorch"]
    assert [info.value for info in torch_tab.info] == [
        f"No PyTorch script for {MSE.name} yet: its kernel is mse in losses/regression.py; "
        "the NumPy and Keras tabs compute the same number."
    ]
    assert not torch_tab.code
    (numpy_tab,) = [tab for tab in box.tabs if tab.label == "NumPy"]
    (script,) = numpy_tab.code
    variables: dict = {}
    exec(compile(script.value, "snippet.py", "exec"), variables)  # noqa: S102
    assert variables["cost"] == pytest.approx(0.5 / 3, rel=1e-15)  # hand-derived above
