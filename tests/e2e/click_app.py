"""A page whose live chart listens for clicks (no app page does yet): the e2e tests click
it and read back what Python received. Run by tests/e2e/test_live_chart.py."""

import json
import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ui.charts import figure, style_layout  # noqa: E402
from ui.live_chart import live_chart  # noqa: E402

x = np.linspace(0.0, 10.0, 11)
layout = style_layout(height=420) | {
    "xaxis": {"range": [0, 10], "title": {"text": "x"}},
    "yaxis": {"range": [0, 100], "title": {"text": "y"}},
}
points = figure([{"type": "scatter", "x": x, "y": x**2, "mode": "markers", "name": "x²"}], layout)
result = live_chart(
    points,
    key="click_chart",
    on_click=lambda: None,
    alt="Scatter plot of the points a click adds to.",
)
click = result.get("click") if result is not None else None
if click is not None:
    st.session_state["last_click"] = click
st.code(json.dumps(st.session_state.get("last_click")), language=None)
