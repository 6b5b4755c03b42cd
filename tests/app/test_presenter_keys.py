"""The presenter keys (Page Up / Page Down move the tour whatever has focus) are mounted by
the scene row, once per run, in presentation mode only; what they do is checked in the
browser (tests/e2e/test_clicker.py)."""

from __future__ import annotations

import pytest

from tests.app import harness
from ui import presenter_keys, scenes

NAME = "loss_explorer.presenter_keys"


def _mounted(at) -> list[str]:
    """The element ids of the presenter keys' components on the page."""
    return [
        element.proto.id
        for element in at.get("bidi_component")
        if element.proto.component_name == NAME
    ]


@pytest.mark.parametrize("number", [4, 5])
def test_a_scene_mounts_the_presenter_keys_once(number):
    page = scenes.SCENES[number - 1].page.view
    at = harness.open_page(page, query_params={"present": "1", "scene": str(number)})
    assert not at.exception
    mounted = _mounted(at)
    assert len(mounted) == 1 and presenter_keys.KEY in mounted[0]


def test_outside_presentation_mode_the_page_keeps_its_keys():
    at = harness.open_page("views/huber.py")
    assert not at.exception
    assert _mounted(at) == []
