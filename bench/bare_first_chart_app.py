"""The reference for bench/bench_first_chart.py: a bare Streamlit page, one line of text and
one chart drawn by `st.plotly_chart` (Streamlit's own plotly.js, loaded when the chart
mounts). What is left of its first chart's wait is Streamlit's and Plotly's own.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.markdown("A bare page: one line of text and one chart.")
x = np.linspace(0.0, 1.0, 1000)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=np.sin(2 * np.pi * 10 * x))), key="line")
