"""The floor for bench/bench_lab.py: the app's kind of frame (`st.navigation`) over one bare
page, one bound slider and one chart. Nothing is cached, computed or styled, so what a rerun
costs here is Streamlit's own work: `python bench/bench_lab.py --root bench/bare_lab`."""

import streamlit as st

st.navigation([st.Page("views/bare.py", title="bare", default=True)]).run()
