"""The floor for bench/bench_latency.py: a bare Streamlit page, one slider and one line.

Nothing is cached and nothing is styled: what is left of a slider move's latency here is
Streamlit's and Plotly's own (websocket round trip, rerun, figure serialisation, redraw).
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

frequency = st.slider("frequency", 1, 100, 10, key="frequency")
x = np.linspace(0.0, 1.0, 1000)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=np.sin(2 * np.pi * frequency * x))), key="line")
