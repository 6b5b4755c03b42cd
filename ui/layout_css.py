"""Page-wide CSS that keeps charts readable in narrow columns.

Streamlit 1.67 stacks `st.columns` only below a 640 px viewport. At 1024 px with the
sidebar open, a two-column row leaves each chart ~270 px, its plotting area under 180 px.
Its rows are already `flex-wrap: wrap` with columns `flex: 1 1 calc(50% - gap)`; a minimum
width on the columns that hold a chart makes a row wrap instead, each column then taking
the full row (flex-grow 1). A colour bar takes ~70 px of a chart's width, so a chart that
draws one asks for more.
"""

from __future__ import annotations

import streamlit as st

CHART_COLUMN_MIN_PX = 360  # a chart's plotting area stays above ~250 px
COLOUR_BAR_COLUMN_MIN_PX = 440  # the same, beside a colour bar

CSS = f"""
<style>
[data-testid="stColumn"]:has(.live-chart) {{
  min-width: min({CHART_COLUMN_MIN_PX}px, 100%);
}}
[data-testid="stColumn"]:has(.live-chart .colorbar) {{
  min-width: min({COLOUR_BAR_COLUMN_MIN_PX}px, 100%);
}}
</style>
"""


def narrow_screens() -> None:
    """Add the CSS to this run's page (call once per run, outside presentation mode)."""
    st.html(CSS)
