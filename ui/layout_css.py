"""Page-wide CSS that keeps charts and formulas readable in narrow columns.

Streamlit 1.67 stacks `st.columns` only below a 640 px viewport. At 1024 px with the
sidebar open, a two-column row leaves each chart ~270 px, its plotting area under 180 px.
Its rows are already `flex-wrap: wrap` with columns `flex: 1 1 calc(50% - gap)`; a minimum
width on the columns that hold a chart makes a row wrap instead, each column then taking
the full row (flex-grow 1). The charts' colour bars lie under their plots, so they need
no more width than the others.

Display formulas (KaTeX) scroll sideways when wider than their column (Streamlit sets
`overflow-x: auto`); a phone shows no scroll bar, so a formula a few pixels too wide looked
cut. In a narrow column their font drops from KaTeX's 1.21 em to 1 em, which fits the
page's formulas, and a thin scroll bar shows where one still scrolls.
"""

from __future__ import annotations

import streamlit as st

CHART_COLUMN_MIN_PX = 360  # a chart's plotting area stays above ~250 px
NARROW_FORMULA_PX = 520  # a formula's column below this: the smaller font

CSS = f"""
<style>
[data-testid="stColumn"]:has(.live-chart) {{
  min-width: min({CHART_COLUMN_MIN_PX}px, 100%);
}}
[data-testid="stMarkdown"]:has(.katex-display) {{
  container-type: inline-size;
}}
.katex-display {{
  scrollbar-width: thin;
}}
@container (max-width: {NARROW_FORMULA_PX}px) {{
  .katex-display > .katex {{ font-size: 1em; }}
}}
</style>
"""


def narrow_screens() -> None:
    """Add the CSS to this run's page (call once per run, outside presentation mode)."""
    st.html(CSS)
