"""Regression & outliers: one loss's curve, its fit beside least squares, who pulls, and how."""

import functools

import streamlit as st

from lessons import export, robustness, y_scale
from ui import added_points, controls, own_data, presentation, reproduce_panel, scenes, site
from ui.cache import key_of
from ui.controls import URL, format_number
from ui.explain import describe
from ui.live_chart import live_chart
from ui.regression_cache import (
    added_point_effect,
    estimates_view,
    fit_number,
    fit_table,
    points_csv,
    regression_view,
    shown_table,
)
from ui.regression_charts import ADDED_TRACE
from ui.y_scale_cache import SCALES, huber_delta, y_scale_view

PAGE = site.REGRESSION
show = presentation.shows
if show("intro"):
    st.title("Regression & outliers")
    st.write(
        "Fit a straight line to points that mostly follow a true line, some of them pushed far "
        "off it (outliers). Least squares (MSE) lets the outliers drag the line; a robust loss "
        "caps how hard a far-away point can pull. Pick a loss, change the data in the sidebar, "
        "and watch which points decide where the line goes."
    )
with presentation.sidebar():
    st.header("Data")
    data_args = controls.regression_data_controls(key_prefix="reg_data")
    data_args = own_data.override(data_args, "regression", key_prefix="reg")
    st.header("Your points")
    added_points.remove_button("reg_points")
data_args["added"] = added_points.added_points("reg_points")
scenes.record_data(PAGE, data_args)
if note := added_points.take_note("reg_points"):
    st.info(note)

picker_column, text_column = st.columns([1, 2], gap="large")
with picker_column:
    loss = controls.loss_picker("regression", key="reg_loss", default="huber")
    params = controls.param_controls(loss, key_prefix="reg")
if show("explain"):
    describe(loss, container=text_column)

data_key, params_key = key_of(data_args), key_of(params)
try:
    view = regression_view(data_key, loss.id, params_key)
    effect = added_point_effect(data_key, loss.id, params_key)
except ValueError as error:
    st.warning(f"This line cannot be fitted with these settings: {error}")
    st.stop()
for note in view.notes:
    st.info(note)

curve_box, fits_box, weights_box, cost_box = presentation.columns(
    "curve", "fits", "weights", "cost"
)
if curve_box:
    with curve_box:
        st.subheader("The loss and its gradient")
        live_chart(view.curve, key="reg_curve_chart", alt=view.alt["curve"])
        st.caption(
            "Top: what one point costs at residual r. Bottom: how hard it pulls the line "
            f"(the gradient). The axis spans the residuals of the {loss.name} fit. "
            + view.curve_note
        )
if fits_box:
    with fits_box:
        st.subheader("The data and the fitted lines")
        live_chart(
            view.fits,
            key="reg_fit_chart",
            alt=view.alt["fits"],
            on_click=added_points.click_handler("reg_fit_chart", "reg_points", ADDED_TRACE),
        )
        st.caption(
            robustness.points_caption(view.n, view.n_outliers, view.n_added, uploaded=view.uploaded)
        )
        if effect and show("effect"):
            st.write(effect)

if weights_box:
    with weights_box:
        st.subheader("Who pulls: each point's weight")
        live_chart(view.weights, key="reg_weight_chart", alt=view.alt["weights"])
        st.caption(
            f"Each point's effective weight w in the {loss.name} fit, as if it were a "
            "weighted least-squares fit: 1 = pulls like a least-squares point, 0 = ignored "
            "(pale). " + robustness.weight_note(loss, params)
        )
if cost_box:
    with cost_box:
        st.subheader("Cost per iteration of the fit")
        st.write(view.cost_text)
        live_chart(view.cost, key="reg_cost_chart", alt=view.alt["cost"])
        st.caption(
            "Height: the cost still above the final cost, in % of the cost at the start, so "
            "the axis's 0 is the final cost, not J = 0. "
            f"Method: {view.method}. {robustness.fit_course_text()} A single point means the "
            "start was already the best."
        )
        reproduce_panel.panel(
            functools.partial(fit_number, data_key, loss.id, params_key),
            key="reg",
            csv_name=f"regression_fit_{loss.id}.csv",
            note=f"The {loss.name} line of the Regression & outliers page.",
        )


def every_loss_table() -> None:
    """Every regression loss fitted to these data, with the CSV downloads."""
    try:
        table = fit_table(data_key, loss.id, params_key)
    except ValueError as error:
        st.warning(f"The other losses cannot be fitted to these data: {error}")
        return
    st.dataframe(
        shown_table(table),
        hide_index=True,
        key="reg_table",
        column_config={
            "slope error": st.column_config.NumberColumn("slope error (fit − true)"),
            "intercept error": st.column_config.NumberColumn("intercept error (fit − true)"),
        },
    )
    st.caption(robustness.table_caption(loss.name, has_true_line="slope error" in table.columns))
    # The CSVs are written when a student clicks (a callable `data`): building them on every
    # rerun cost more than the table itself.
    points_column, table_column = st.columns(2)
    points_column.download_button(
        "Download the points with each one's residual, loss, gradient and weight (CSV)",
        functools.partial(points_csv, data_key, loss.id, params_key),
        file_name=f"regression_points_{loss.id}.csv",
        mime="text/csv",
        key="reg_download_points",
        on_click="ignore",
        width="stretch",
    )
    table_column.download_button(
        "Download this table (CSV)",
        functools.partial(export.csv_bytes, table),
        file_name="regression_every_loss.csv",
        mime="text/csv",
        key="reg_download_table",
        on_click="ignore",
        width="stretch",
    )


def what_each_loss_estimates() -> None:
    """Each loss's best constant on the data (`losses.fit.constant`)."""
    estimates_chart, estimates_sentence, estimates_alt = estimates_view(
        data_key, loss.id, params_key
    )
    st.write(
        "Forget the slope for a moment: if a model could predict only one number for every "
        "point, which number would each loss choose? The constant that makes its cost "
        "smallest — for MSE the mean, for MAE the median, for quantile the τ-quantile. "
        + estimates_sentence
    )
    live_chart(estimates_chart, key="reg_estimates_chart", alt=estimates_alt)
    st.caption(
        "Each point's value on a strip (its offset from the true line; a file's y), spread up "
        "and down only to be seen; × outliers. Each "
        "line: the constant that minimises that loss's cost, computed by the core "
        f"(losses.fit.constant). {loss.name} uses your setting, the others their defaults."
    )


def what_the_scale_of_y_does() -> None:
    """Every y multiplied by s: each loss's fitted cost and Huber's zones (`lessons.y_scale`)."""
    st.write(y_scale.INTRO)
    scale = st.select_slider(
        "scale of y, s",
        options=SCALES,
        value=1.0,
        format_func=format_number,
        key="reg_y_scale",
        bind=URL,
        help="Every y is multiplied by s; each line is refitted.",
    )
    delta, picked = huber_delta(loss.id, params_key)
    chart, sentence, alt = y_scale_view(data_key, delta, scale)
    st.write(sentence)
    live_chart(chart, key="reg_y_scale_chart", alt=alt)
    st.caption(
        "Each loss refitted to s·y, its cost from the registry's kernel. MSE's and MAE's lines "
        "are s times their lines at s = 1; Huber's with δ fixed is s times its line at δ/s on "
        "the data as drawn. Dashed: Huber with δ scaled with y (δ·s), whose cost grows as "
        "MSE's. " + y_scale.delta_source(delta, picked=picked)
    )


BOTTOM = {
    "table": ("Every regression loss on these data", every_loss_table),
    "estimates": ("What each loss estimates", what_each_loss_estimates),
    "y_scale": ("When y changes scale", what_the_scale_of_y_does),
}


# A fragment of tabs: only the open tab is computed (seven fits, or seven best constants and
# their chart, on every data move otherwise), and opening the other reruns this part alone.
@st.fragment
def every_loss_and_estimates(sections: list[str]) -> None:
    if len(sections) == 1:
        title, draw = BOTTOM[sections[0]]
        st.subheader(title)
        draw()
        return
    titles = [BOTTOM[name][0] for name in sections]
    tabs = st.tabs(titles, key="reg_bottom", on_change="rerun", bind=URL)
    for tab, name in zip(tabs, sections, strict=True):
        if tab.open:
            with tab:
                BOTTOM[name][1]()


bottom = [name for name in BOTTOM if show(name)]
if bottom:
    every_loss_and_estimates(bottom)
