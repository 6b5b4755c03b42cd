"""The presenter's keys: in presentation mode Page Up / Page Down move the lecture tour,
whatever has focus (`ui/presenter_keys.js`, a Components v2 module that draws nothing).

The scene buttons' own shortcuts (``st.button(shortcut="PageDown")``) are skipped by
Streamlit while a slider or the δ scrubber has focus, and the control takes the key; the
module takes the two keys before any control does and clicks ◀ / ▶. Served from the app's
static folder under a content-hashed name, like the live chart's module.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from ui import chart_assets

MODULE_SOURCE = Path(__file__).with_name("presenter_keys.js")
KEY = "presenter_keys"  # the module hides its own box through this key's class


# Cache policy (ui.cache): constants.
@functools.cache
def _component(static: Path):
    module = chart_assets.publish(MODULE_SOURCE, "presenter_keys", ".js", static)
    base = st.get_option("server.baseUrlPath").strip("/")
    url = f"/{base}/app/static/{module}" if base else f"/app/static/{module}"
    loader = (
        f'const keys = import(new URL("{url}", location.origin).href);\n'
        "export default (args) => keys.then((module) => module.render(args));\n"
    )
    # Styles isolated (the default): it draws nothing, and its box is not counted as a
    # chart's box (`stBidiComponentRegular`) by the browser tests.
    return st.components.v2.component("loss_explorer.presenter_keys", js=loader)


def presenter_keys() -> None:
    """Let Page Up / Page Down press ◀ / ▶ of the scene row (call it once per run, in
    presentation mode only). Without static serving, or with a static folder the app cannot
    write, the buttons' own shortcuts remain (the live chart says what is wrong)."""
    if not st.get_option("server.enableStaticServing"):
        return
    try:
        mount = _component(chart_assets.static_folder())
    except OSError:
        return
    mount(key=KEY, width="stretch", height="content")
