"""Loss Explorer: the frame. The code lives in four rooms, each importing only from those below:

- views/    thin pages: read the widgets, call lessons/losses, show the ui figures.
- ui/       Plotly figures, widget groups, bounded caches, the live chart (ui/live_chart.js).
- lessons/  what each page computes and says (tables, counts, sentences); numpy/pandas only.
- losses/   the NumPy core: the Loss registry, kernels, input checks, data; losses/fit/ fits.

The pages live in views/, not pages/: while a folder named pages/ exists, Streamlit 1.67
runs a freshly started server in its old folder-based mode until someone opens the root
URL, so a shared deep link (e.g. /huber?hub_huber_delta=2.5) opened first would skip this frame
(no wide layout, a navigation listing file names). With views/ every link runs app.py.

Each page is declared once in ui/site.py (its view, title, icon, URL, widget-key prefix,
chart names and presentation sections); the navigation below is built from those records.
Presentation mode (?present=1, ui/presentation.py) and the lecture's scenes (&scene=3,
ui/scenes.py) are drawn here, around the page.
"""

import streamlit as st

from ui import chart_assets, layout_css, presentation, scenes, site, touch

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

# The pages, as ui/site.py declares them (a new page is one record there).
pages = {
    record: st.Page(
        record.view,
        title=record.title,
        icon=record.icon,
        url_path=record.url_path,
        default=record.default,
    )
    for record in site.PAGES
}
page = st.navigation(list(pages.values()))
current = next(record for record, known in pages.items() if known.url_path == page.url_path)
presentation.set_page(current)
after = scenes.scene_bar(pages, current) if presenting else scenes.tour_buttons(pages)
page.run()
if after is not None:
    after()
