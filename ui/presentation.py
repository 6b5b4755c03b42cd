"""Presentation mode: the app in front of a lecture hall.

On (``?present=1`` in the link, or the sidebar's button): the sidebar folds away and its
controls sit behind one "settings" button in a compact row at the top; captions are hidden
unless asked for; chart fonts are at least 20 px and lines thicker; a page shows only the
sections a projector has room for (`shows`). `ui.scenes` adds the lecture's scenes on top.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

import streamlit as st

from ui import site

PRESENT = "present"  # the URL key: ?present=1
CAPTIONS = "present_captions"  # the compact row's toggle: captions shown in presentation
SLOT = "_present_settings_slot"  # where this run's compact row keeps room for the settings
BAR = "present_bar"  # the compact row's key (CSS: .st-key-present_bar)
SHOWN = "_present_shown"  # (page, sections or None, hidden) set by the scene bar this run
PAGE = "_present_page"  # the record (ui.site) of the page this run draws, set by app.py
MIN_FONT = 20
LINE_SCALE = 1.6
MAX_HEIGHT = 450  # a chart's height in presentation before the page measures its room
MIN_HEIGHT = 200  # the least a chart shrinks to when it fits the screen's height
LEGEND_ITEM = 50  # px of legend symbol (Plotly's default 30)

# The page's chrome, hidden while presenting; captions too unless asked for. Text and the
# numbers a student reads scale with the screen's height: 20 px at 1080 px (the charts'
# MIN_FONT), never below 1rem; on a screen narrower than WIDE the top row's words are hidden
# (kept as the controls' accessible names) and captions show as an icon.
WIDE = 1500
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none !important; }
/* Bottom padding: the last paragraph's margin hangs inside the block, where the charts'
   fit (ui/live_chart.js) measures the room left. */
[data-testid="stMainBlockContainer"] { padding: 0.4rem 2rem 1rem 2rem !important;
  max-width: 100% !important; }
[data-testid="stMain"] { --present-text: max(1rem, calc(100vh / 54)); }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
/* A heading pulls the next element up by the gap Streamlit expects (1rem): by the gap here. */
[data-testid="stMain"] [data-testid="stHeading"] [data-testid="stMarkdownContainer"] {
  margin-bottom: -0.5rem; }
[data-testid="stMain"] h1 { font-size: max(1.6rem, calc(100vh / 30)); padding: 0; }
[data-testid="stMain"] h2 { font-size: max(1.4rem, calc(100vh / 36)); padding: 0; }
[data-testid="stMain"] h3 { font-size: max(1.25rem, calc(100vh / 42)); padding: 0; }
[data-testid="stMain"] p, [data-testid="stMain"] li,
[data-testid="stTable"] th, [data-testid="stTable"] td, [data-testid="stTable"] td *,
[data-testid="stTable"] th *, [data-testid="stMain"] [data-testid="stSelectbox"] input,
[data-testid="stMain"] .live-scrubber-head { font-size: var(--present-text); }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: max(1.5rem, calc(100vh / 30)) !important; }
[data-testid="stMain"] .katex { font-size: max(1.2rem, calc(100vh / 45)); }
/* A data grid draws its 14 px (0.875rem) type on a canvas: zoomed to the text's size. */
[data-testid="stMain"] [data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]) {
  --grid-zoom: max(1, calc(100vh / 756px)); zoom: var(--grid-zoom);
  width: calc(100% / var(--grid-zoom)) !important; }
.st-key-present_bar { flex-wrap: nowrap; }
.st-key-present_bar [data-testid="stMarkdownContainer"] p { white-space: nowrap; }
.st-key-present_captions label { align-items: center; }
.st-key-present_captions label > div { margin-top: 0; }
@media (max-width: {narrow}px) {
  .st-key-present_bar kbd { display: none; }
  .st-key-present_settings button [data-testid="stMarkdownContainer"],
  .st-key-present_exit button [data-testid="stMarkdownContainer"] {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .st-key-present_captions [data-testid="stWidgetLabel"] p { font-size: 0; }
  .st-key-present_captions [data-testid="stWidgetLabel"] p::before { content: "closed_caption";
    font-family: "Material Symbols Rounded"; font-size: 1.6rem; vertical-align: middle; }
}
{captions}
</style>
"""
_NO_CAPTIONS = '[data-testid="stCaptionContainer"] { display: none !important; }'


def is_on() -> bool:
    """Whether the page is being presented (the link says ``present=1``)."""
    return st.query_params.get(PRESENT) == "1"


def switch(on: bool) -> None:
    """Turn presentation mode on or off, keeping the rest of the link."""
    if on:
        st.query_params[PRESENT] = "1"
    else:
        for key in (PRESENT, "scene"):
            st.query_params.pop(key, None)


def frame_style() -> None:
    """The presentation look for this run (call once, before the page)."""
    captions = bool(st.session_state.get(CAPTIONS))
    css = _CSS.replace("{narrow}", str(WIDE - 1))
    st.html(css.replace("{captions}", "" if captions else _NO_CAPTIONS))


def settings_slot(container) -> None:
    """Keep ``container`` (in the compact row) as the place `sidebar` puts a page's side
    controls this run."""
    st.session_state[SLOT] = container


def sidebar():
    """Where a page's side controls go: the sidebar, or, while presenting, one "settings"
    button in the compact row that opens them."""
    slot = st.session_state.get(SLOT) if is_on() else None
    if slot is None:
        return st.sidebar
    st.session_state[SLOT] = None  # one popover per run: a second call uses the sidebar
    return slot.popover("Settings", icon=":material/settings:", key="present_settings")


def in_scene() -> bool:
    """Whether a scene of the tour is shown this run (set by the scene bar): its sections
    are chosen to fit one screen, so its charts may grow or shrink to the height it leaves."""
    return is_on() and st.session_state.get(SHOWN) is not None


def set_page(page: site.PageRecord) -> None:
    """The page this run draws (its `ui.site.PageRecord`, which declares its sections)."""
    st.session_state[PAGE] = page


def shows(section: str) -> bool:
    """Whether the page shows ``section`` now. Always, outside presentation mode; while
    presenting, a scene's own list decides (and a question hides the sections that would
    give its answer away until it is answered), otherwise the page's record: whether the
    section is one a projector has room for. A section the record does not declare raises."""
    presented = st.session_state[PAGE].presented(section)
    if not is_on():
        return True
    shown = st.session_state.get(SHOWN)
    if shown is None:
        return presented
    sections, hidden = shown
    if section in hidden:
        return False
    return presented if sections is None else section in sections


# ---------------------------------------------------------------- charts


def _bigger(node: Any, in_trace: bool = False) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            # font, textfont (a heatmap's counts), tickfont, insidetextfont, …
            if key.endswith("font") and isinstance(value, dict):
                size = value.get("size")
                if not isinstance(size, list):  # per-point sizes are the figure's own
                    grown = max(MIN_FONT, round(size * 1.35)) if size else MIN_FONT
                    value = {**value, "size": grown}
            elif key == "line" and in_trace and isinstance(value, dict):
                width = value.get("width")
                if isinstance(width, int | float):
                    value = {**value, "width": round(width * LINE_SCALE, 2)}
            elif key in ("data", "steps"):
                items = value if isinstance(value, list) else None
                if items is None:
                    value = _bigger(value, in_trace=True)
                else:
                    value = [_bigger(item, in_trace=True) for item in items]
            else:
                value = _bigger(value, in_trace)
            out[key] = value
        # A log axis labels 2 and 5 between the powers of ten at 3/4 of its tick font.
        if out.get("type") == "log" and "dtick" not in out:
            out["minorloglabels"] = "none"
        return out
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return [_bigger(item, in_trace) for item in node]
    return node


# Cache policy (ui.cache): stores. Keyed by the revision alone, so the source JSON is not held.
_styled: OrderedDict[str, tuple[str, str | None, int]] = OrderedDict()
_STYLED_ENTRIES = 64
_styled_lock = threading.Lock()  # sessions run in threads: one may evict what another reads


def styled(body: str, frames: str | None, height: int, revision: str):
    """A figure's JSON (and its frames') in the presentation look: every font at least
    20 px, lines 1.6× as thick, longer legend symbols, the height capped at `MAX_HEIGHT`
    (the browser then fits it to the screen: `ui/live_chart.js`). Memoised by revision."""
    with _styled_lock:
        known = _styled.get(revision)
        if known is not None:
            _styled.move_to_end(revision)
            return known
    figure = _bigger(json.loads(body))
    figure.setdefault("layout", {}).setdefault("font", {})
    figure["layout"]["font"]["size"] = max(MIN_FONT, figure["layout"]["font"].get("size", 0))
    # Thicker dashed lines need a longer legend symbol to show their dashes.
    figure["layout"]["legend"] = {
        **figure["layout"].get("legend", {}),
        "itemwidth": LEGEND_ITEM,
    }
    # Larger tick labels need wider margins: let Plotly make room, so an axis title
    # never lies over its tick labels.
    for name, axis in figure["layout"].items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis.setdefault("automargin", True)
    height = min(height, MAX_HEIGHT)
    figure["layout"]["height"] = height
    shown_frames = json.dumps(_bigger(json.loads(frames))) if frames else None
    known = (json.dumps(figure, separators=(",", ":")), shown_frames, height)
    with _styled_lock:
        _styled[revision] = known
        _styled.move_to_end(revision)
        while len(_styled) > _STYLED_ENTRIES:
            _styled.popitem(last=False)
    return known


def columns(*sections: str, per_row: int = 2):
    """Containers for the chart ``sections``, None in the place of each one not shown
    (`shows`). Outside presentation mode they sit ``per_row`` to a row, in order; while
    presenting, the sections shown share one row (a scene shows one or two)."""
    shown = [shows(name) for name in sections]
    if is_on():
        count = sum(shown)
        boxes = iter(st.columns(count, gap="medium") if count > 1 else [st.container()] * count)
        return [next(boxes) if on else None for on in shown]
    boxes = []
    for start in range(0, len(sections), per_row):
        boxes.extend(st.columns(per_row, gap="medium")[: len(sections[start : start + per_row])])
    return [box if on else None for box, on in zip(boxes, shown, strict=True)]
