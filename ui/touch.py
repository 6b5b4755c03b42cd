"""The app on a phone: CSS for touch screens and narrow windows, set on every run (app.py).

- The collapsed sidebar's control (Streamlit's "»") carries a label saying what it opens.
- Below Streamlit's mobile width, where the sidebar opens over the page, it shows the page's
  own controls first; the lecture's buttons (`SIDEBAR_LAST`) and the page list follow.
  Streamlit 1.67 puts the page list at the top of the sidebar, and moves a top navigation
  (``st.navigation(position="top")``) back into the sidebar on a narrow screen, so the
  order is set here in CSS. The desktop sidebar keeps Streamlit's order.
- On a touch screen a slider's thumb is big enough for a finger (WCAG 2.5.8 asks ≥ 24 px;
  Streamlit's is 12 px), and a swipe that starts on a slider's track scrolls the page
  instead of moving the slider. The live scrubber does the same in ui/live_chart.js.

The live chart's own touch behaviour (a swipe scrolls the page) is in ui/live_chart.js.
"""

from __future__ import annotations

import streamlit as st

SIDEBAR_LABEL = "Settings & pages"
SIDEBAR_LAST = "sidebar_lecture"  # the key of the sidebar box that goes last on a phone
MOBILE_MAX_PX = 767.98  # Streamlit's mobile layout: window narrower than its md breakpoint
THUMB_PX = 24
THUMB_MARGIN_PX = 10  # round the thumb, also taken by a finger: a 44 px target
STREAMLIT_THUMB_PX = 12  # Streamlit 1.67's own (its value label sits above it)

_CSS = f"""
<style>
[data-testid="stExpandSidebarButton"] {{ width: auto; gap: 0.3rem; padding-right: 0.5rem; }}
[data-testid="stExpandSidebarButton"]::after {{
  content: "{SIDEBAR_LABEL}"; font-size: 1rem; color: var(--st-text-color, #31333f); }}
@media (max-width: {MOBILE_MAX_PX}px) {{
  [data-testid="stSidebarContent"] {{ display: flex; flex-direction: column; }}
  [data-testid="stSidebarContent"] > * {{ flex-shrink: 0; }}
  [data-testid="stSidebarNav"] {{ order: 1; padding: 1rem 0 3rem;
    border-top: 1px solid rgba(49, 51, 63, 0.2); }}
  [data-testid="stSidebarNavSeparator"] {{ display: none; }}
  [data-testid="stSidebarUserContent"] {{ padding-bottom: 1rem; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-{SIDEBAR_LAST}) {{ order: 1; }}
}}
@media (pointer: coarse) {{
  [data-testid="stSlider"] div:has(> div > input[type="range"]) {{
    width: {THUMB_PX}px; height: {THUMB_PX}px; }}
  /* The bigger thumb reaches higher: move the track down so its value clears the label. */
  [data-testid="stSlider"] [role="group"] {{
    padding-top: {(THUMB_PX - STREAMLIT_THUMB_PX) // 2 + 2}px; }}
  /* Only the thumb (and a margin round it) takes a finger: a swipe that starts on the track
     scrolls the page and leaves the value, where Streamlit's track holds the touch and
     moves the value to where the finger landed. */
  [data-testid="stSlider"] [role="group"] > div:has(input[type="range"]) {{
    pointer-events: none; }}
  [data-testid="stSlider"] div:has(> div > input[type="range"]) {{ pointer-events: auto; }}
  [data-testid="stSlider"] div:has(> div > input[type="range"])::before {{
    content: ""; position: absolute; inset: -{THUMB_MARGIN_PX}px; }}
}}
</style>
"""


def style() -> None:
    """Set the phone and touch CSS for this run (call once, before the page)."""
    st.html(_CSS)
