"""A page that starts plotly.js early (as app.py does) and mounts its chart only after a
click: the e2e tests check that plotly.js loaded before any chart existed, and that the
chart then took it. Run by tests/e2e/test_first_chart.py."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ui.chart_assets import load_plotly_early  # noqa: E402
from ui.charts import figure, style_layout  # noqa: E402
from ui.live_chart import live_chart  # noqa: E402

load_plotly_early()
st.markdown("The text comes first; the chart comes with the button.")
if st.button("Draw the chart", key="draw"):
    line = figure([{"type": "scatter", "x": [0, 1], "y": [0, 1]}], style_layout(height=300))
    live_chart(line, key="late_chart", alt="A line from (0, 0) to (1, 1).")
