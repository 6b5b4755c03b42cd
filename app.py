"""Loss Explorer: the frame. The code lives in four rooms, each importing only from those below:

- views/    thin pages: read the widgets, call lessons/losses, show the ui figures.
- ui/       Plotly figures, widget groups, bounded caches, the live chart (ui/live_chart.js).
- lessons/  what each page computes and says (tables, counts, sentences); numpy/pandas only.
- losses/   the NumPy core: the Loss registry, kernels, input checks, data; losses/fit/ fits.

The pages live in views/, not pages/: while a folder named pages/ exists, Streamlit 1.67
runs a freshly started server in its old folder-based mode until someone opens the root
URL, so a shared deep link (e.g. /huber?hub_huber_delta=2.5) opened first would skip this frame
(no wide layout, a navigation listing file names). With views/ every link runs app.py.

Presentation mode (?present=1, ui/presentation.py) and the lecture's scenes (&scene=3,
ui/scenes.py) are drawn here, around the page.
"""

import streamlit as st

from ui import chart_assets, layout_css, presentation, scenes, touch

presenting = presentation.is_on()
st.set_page_config(
    page_title="Loss Explorer",
    page_icon="📉",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)
chart_assets.load_plotly_early()  # plotly.js loads while the page's script runs
touch.style()
if not presenting:
    layout_css.narrow_screens()

PAGES = {
    "views/loss_vs_cost.py": st.Page(
        "views/loss_vs_cost.py", title="Loss vs cost", icon=":material/functions:", default=True
    ),
    "views/regression.py": st.Page(
        "views/regression.py", title="Regression & outliers", icon=":material/scatter_plot:"
    ),
    "views/huber.py": st.Page("views/huber.py", title="Huber δ lab", icon=":material/tune:"),
    "views/gradient_descent.py": st.Page(
        "views/gradient_descent.py", title="Gradient descent", icon=":material/trending_down:"
    ),
    "views/binary.py": st.Page(
        "views/binary.py", title="Binary & imbalance", icon=":material/balance:"
    ),
    "views/multiclass.py": st.Page(
        "views/multiclass.py", title="Multi-class: CCE vs sparse", icon=":material/category:"
    ),
    "views/compare.py": st.Page(
        "views/compare.py", title="Compare losses", icon=":material/compare_arrows:"
    ),
    "views/numerics.py": st.Page(
        "views/numerics.py", title="Why from_logits", icon=":material/calculate:"
    ),
}
page = st.navigation(list(PAGES.values()))
current = next(path for path, known in PAGES.items() if known.url_path == page.url_path)
after = scenes.scene_bar(PAGES, current) if presenting else scenes.tour_buttons(PAGES)
page.run()
if after is not None:
    after()
