"""Regression & outliers: one loss's curve, its fit beside least squares, who pulls, and how."""

import streamlit as st

from losses import robustness
from losses.curves import regression_curve
from ui import controls
from ui.cache import key_of, regression_data, regression_fit
from ui.charts import TRUTH_COLOUR, colour_for
from ui.explain import describe
from ui.regression_cache import fit_table
from ui.regression_charts import Line, cost_figure, fits_figure, loss_curve_figure, weights_figure

st.title("Regression & outliers")
st.write(
    "Fit a straight line to points that mostly follow a true line, some of them pushed far "
    "off it (outliers). Least squares (MSE) lets the outliers drag the line; a robust loss "
    "caps how hard a far-away point can pull. Pick a loss, change the data in the sidebar, "
    "and watch which points decide where the line goes."
)
with st.sidebar:
    st.header("Data")
    data_args = controls.regression_data_controls(key_prefix="reg_data")

picker_column, text_column = st.columns([1, 2], gap="large")
with picker_column:
    loss = controls.loss_picker("regression", key="reg_loss", default="huber")
    params = controls.param_controls(loss, key_prefix="reg")
describe(loss, container=text_column)

data_key = key_of(data_args)
try:
    frame = regression_data(**data_args)
    fit = regression_fit(data_key, loss.id, key_of(params))
    mse_fit = regression_fit(data_key, "mse", ())
    table = fit_table(data_key, loss.id, key_of(params))
except ValueError as error:
    st.warning(f"This line cannot be fitted with these settings: {error}")
    st.stop()

x, y, is_outlier = (frame[column].to_numpy() for column in ("x", "y", "is_outlier"))
residual = robustness.residuals(x, y, fit.params)
marks = robustness.curve_marks(loss, params)
span = robustness.residual_span(residual, marks)
axis = robustness.residual_grid(span, [position for position, _ in marks])
for note in frame.attrs["notes"] + robustness.fit_notes(frame, residual, marks, span):
    st.info(note)

truth = Line("true line", frame.attrs["true_intercept"], frame.attrs["true_slope"],
             TRUTH_COLOUR, dash="dot", width=2.5)  # fmt: skip
picked = Line(f"{loss.name} fit", fit.params["intercept"], fit.params["slope"],
              colour_for(loss.id))  # fmt: skip
lines = [truth, picked]
if loss.id != "mse":  # dashed on top, so it stays visible where the two fits coincide
    lines.append(Line("MSE fit", mse_fit.params["intercept"], mse_fit.params["slope"],
                         colour_for("mse"), dash="dash"))  # fmt: skip

left, right = st.columns(2, gap="medium")
with left:
    st.subheader("The loss and its gradient")
    value, grad = regression_curve(loss, axis, **params)
    st.plotly_chart(loss_curve_figure(loss.id, loss.name, axis, value, grad, marks=marks),
                    key="reg_curve_chart", width="stretch", theme=None)  # fmt: skip
    st.caption(
        "Top: what one point costs at residual r. Bottom: how hard it pulls the line "
        f"(the gradient). The axis spans the residuals of the {loss.name} fit. {loss.kink_note}"
    )
with right:
    st.subheader("The data and the fitted lines")
    st.plotly_chart(
        fits_figure(x, y, is_outlier, lines), key="reg_fit_chart", width="stretch", theme=None
    )
    st.caption(f"× marks the {frame.attrs['n_outliers']} outliers of {len(frame)} points.")

left, right = st.columns(2, gap="medium")
with left:
    st.subheader("Who pulls: each point's weight")
    st.plotly_chart(
        weights_figure(x, y, fit.effective_weight, residual, is_outlier, picked),
        key="reg_weight_chart", width="stretch", theme=None,
    )  # fmt: skip
    st.caption(
        f"Each point's effective weight w in the {loss.name} fit, as if it were a weighted "
        "least-squares fit: 1 = pulls like a least-squares point, 0 = ignored (pale). "
        + robustness.weight_note(loss.id)
    )
with right:
    st.subheader("Cost per iteration of the fit")
    st.plotly_chart(cost_figure(fit.cost_history, loss.id, loss.name), key="reg_cost_chart",
                    width="stretch", theme=None)  # fmt: skip
    st.caption(
        f"Method: {fit.method}. MSE is solved exactly in one step (from a flat line at the "
        "median of y), so its curve has two points; MAE and quantile step exactly from one "
        "data point to the next; Huber, pseudo-Huber and log-cosh start at the exact MAE line "
        "and need only a few Newton steps. A single point means the start was already the best."
    )

st.subheader("Every regression loss on these data")
st.dataframe(
    table, hide_index=True, key="reg_table",
    column_config={
        "slope": st.column_config.NumberColumn(format="%.4f"),
        "intercept": st.column_config.NumberColumn(format="%.4f"),
        "slope error": st.column_config.NumberColumn("slope error (fit − true)", format="%+.4f"),
        "intercept error": st.column_config.NumberColumn("intercept error (fit − true)",
                                                         format="%+.4f"),
    },
)  # fmt: skip
st.caption(
    f"Each loss at its default setting, except {loss.name}, which uses yours. The closer the "
    "errors are to 0, the less the outliers moved that loss's line."
)
