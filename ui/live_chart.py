"""The live chart: Plotly figures drawn by a small Components v2 module that updates them
in place (its scrubber, which plays precomputed frames in the browser: `ui.scrubber`).

`st.plotly_chart` hashes the figure into its element id, so every new figure remounts the
chart (Plotly draws it from nothing, the chart blinks, a student's zoom is lost). A v2
component with a key keeps its DOM node; `ui/live_chart.js` redraws it with `Plotly.react`
only when the figure's revision changes, keeps zoom and legend choices (`uirevision`),
follows its column's width and reports clicks in data coordinates where a page asks.

What is sent: the figure's JSON once per revision. When this session last sent the same
revision for a key, the rerun sends only the revision (the tab keeps the figure); a tab
that lost it asks once (`missing`) and the next rerun sends it in full.

The module and plotly.js are served from the app's static folder (`ui.chart_assets`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ui import chart_assets, presentation
from ui.frames import Animated, serialised
from ui.site import image_name

SENT = "_live_chart_sent"  # session state: {key: revision} last sent in full


# Cache policy (ui.cache): constants.
@functools.cache
def _component(module: str):
    url = chart_assets.static_url(module)
    # The loader is all that travels with each element; the module is fetched once per tab.
    loader = (
        f'const chart = import(new URL("{url}", location.origin).href);\n'
        "export default (args) => chart.then((module) => module.render(args));\n"
    )
    return st.components.v2.component("loss_explorer.live_chart", js=loader, isolate_styles=False)


def component(*, quiet: bool = False):
    """The component's mount function and plotly.js's file name, or (None, None) after
    saying in the page why the charts cannot be drawn (`chart_assets.published`)."""
    names = chart_assets.published(quiet=quiet)
    if names is None:
        return None, None
    module, plotly_js = names
    return _component(module), plotly_js


# The mode bar's camera: a PNG for a slide, 1920 × 1080 at scale 2 (3840 × 2160 pixels),
# Plotly's own export (the figure redrawn at that size, not a screenshot of the page).
IMAGE_SIZE = {"width": 1920, "height": 1080, "scale": 2}


# Mode bar buttons left out: a selection (box, lasso) that nothing in the app reads, and
# "Share chart", which uploads the chart to Plotly Cloud. Fewer buttons also keep the bar on
# one row above a phone's chart (ui/live_chart.js keeps a strip for it).
MODE_BAR_LEFT_OUT = ["select2d", "lasso2d", "sendChartToCloud"]


def _forget(key: str) -> None:
    st.session_state.get(SENT, {}).pop(key, None)


def live_chart(
    figure: go.Figure | Animated,
    *,
    key: str,
    follows: str | None = None,
    active: int = 0,
    on_click: Callable[[], None] | None = None,
    alt: str,
) -> Any:
    """Draw ``figure`` in place of the chart ``key`` (kept across reruns), with ``alt``, what
    it shows and its key numbers in a sentence, as its accessible name (``aria-label`` on a
    ``role="img"`` box: what a screen reader says for the chart); return the
    component's result, whose ``click`` is ``{x, y, xaxis, yaxis, point}`` in the rerun a
    click on the plotting area caused (``point``: ``{curve, index}`` of a marker hit, or
    None), when ``on_click`` is given (double-click autoscale is off then).

    An `Animated` figure shows frame ``active``, and frame i whenever the scrubber
    ``follows`` moves to step i in the browser.
    """
    mount, plotly_js = component()
    if mount is None:
        return None
    if isinstance(figure, Animated):
        body, height, revision = figure.figure_json, figure.height, figure.revision
        frames = figure.frames_json
    else:
        (body, height, revision), frames = serialised(figure), None
    presenting = presentation.is_on()
    if presenting:
        body, frames, height = presentation.styled(body, frames, height, revision)
        revision += "p"
    config = {
        "displaylogo": False,
        "doubleClick": False if on_click else "reset+autosize",
        "toImageButtonOptions": {"filename": image_name(key), **IMAGE_SIZE},
        "modeBarButtonsToRemove": MODE_BAR_LEFT_OUT,
    }
    if not alt.strip():
        raise ValueError(f"chart {key!r} needs a text alternative (alt) for screen readers.")
    head = {
        "kind": "chart",
        "key": key,
        "rev": revision,
        "height": height,
        "config": config,
        "plotly": plotly_js,
        "click": on_click is not None,
        "follows": follows,
        "active": active,
        "alt": alt,
        "presenting": presenting,
    }
    if presentation.in_scene():
        # A scene fills the screen's height, not below this. A whole page presented (no
        # scene) scrolls: fitted to one screen its charts were squeezed to their minimum.
        head["fit"] = presentation.MIN_HEIGHT
    sent = st.session_state.setdefault(SENT, {})
    brief = json.dumps(head, separators=(",", ":"))
    full = brief[:-1] + ',"figure":' + body + (',"frames":' + frames if frames else "") + "}"
    if sent.get(key) == revision:
        payload = brief
    else:
        payload = full
        sent[key] = revision
    callbacks = {"on_missing_change": functools.partial(_forget, key)}
    if on_click is not None:
        callbacks["on_click_change"] = on_click
    return mount(key=key, data=payload.encode(), width="stretch", height="content", **callbacks)
