"""One slider, bound to the URL as the app's are, and one line chart that follows it."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

frequency = st.slider("frequency", 1, 100, 10, key="frequency", bind="query-params")
x = np.linspace(0.0, 1.0, 1000)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=np.sin(2 * np.pi * frequency * x))), key="line")
