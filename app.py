"""Loss Explorer: the frame. Pages live in pages/; every number comes from losses/."""

import streamlit as st

st.set_page_config(page_title="Loss Explorer", page_icon=":material/show_chart:", layout="wide")

PAGES = [
    st.Page(
        "pages/loss_vs_cost.py", title="Loss vs cost", icon=":material/functions:", default=True
    ),
    st.Page("pages/regression.py", title="Regression & outliers", icon=":material/scatter_plot:"),
    st.Page("pages/huber.py", title="Huber δ lab", icon=":material/tune:"),
    st.Page("pages/binary.py", title="Binary & imbalance", icon=":material/balance:"),
    st.Page("pages/multiclass.py", title="Multi-class: CCE vs sparse", icon=":material/category:"),
    st.Page("pages/compare.py", title="Compare losses", icon=":material/compare_arrows:"),
]
st.navigation(PAGES).run()
