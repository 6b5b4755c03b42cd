"""Loss Explorer: the frame. The code lives in four rooms, each importing only from those below:

- views/    thin pages: read the widgets, call lessons/losses, show the ui figures.
- ui/       Plotly figures, widget groups, bounded caches, the live chart (ui/live_chart.js).
- lessons/  what each page computes and says (tables, counts, sentences); numpy/pandas only.
- losses/   the NumPy core: the Loss registry, kernels, input checks, data; losses/fit/ fits.

The pages live in views/, not pages/: while a folder named pages/ exists, Streamlit 1.67
runs a freshly started server in its old folder-based mode until someone opens the root
URL, so a shared deep link (e.g. /huber?hub_huber_delta=2.5) opened first would skip this frame
(no wide layout, a navigation listing file names). With views/ every link runs app.py.
"""

import streamlit as st

st.set_page_config(page_title="Loss Explorer", page_icon="📉", layout="wide")

PAGES = [
    st.Page(
        "views/loss_vs_cost.py", title="Loss vs cost", icon=":material/functions:", default=True
    ),
    st.Page("views/regression.py", title="Regression & outliers", icon=":material/scatter_plot:"),
    st.Page("views/huber.py", title="Huber δ lab", icon=":material/tune:"),
    st.Page("views/gradient_descent.py", title="Gradient descent", icon=":material/trending_down:"),
    st.Page("views/binary.py", title="Binary & imbalance", icon=":material/balance:"),
    st.Page("views/multiclass.py", title="Multi-class: CCE vs sparse", icon=":material/category:"),
    st.Page("views/compare.py", title="Compare losses", icon=":material/compare_arrows:"),
]
st.navigation(PAGES).run()
