"""Loss Explorer: the frame. Pages live in pages/; every number comes from losses/."""

import streamlit as st

st.set_page_config(page_title="Loss Explorer", page_icon="📉", layout="wide")

PAGES = [
    st.Page("pages/loss_vs_cost.py", title="Loss vs cost", icon="📏", default=True),
    st.Page("pages/regression.py", title="Regression & outliers", icon="📈"),
    st.Page("pages/huber.py", title="Huber δ lab", icon="🎚️"),
    st.Page("pages/binary.py", title="Binary & imbalance", icon="⚖️"),
    st.Page("pages/multiclass.py", title="Multi-class: CCE vs sparse", icon="🔢"),
    st.Page("pages/compare.py", title="Compare losses", icon="🔍"),
]
st.navigation(PAGES).run()
