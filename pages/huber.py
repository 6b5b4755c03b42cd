"""Huber δ lab: one knob, δ, slides Huber's line from the MAE line to the least-squares line."""

import streamlit as st

import losses
from losses import robustness
from ui import controls
from ui.cache import key_of, regression_data, regression_fit
from ui.charts import colour_for
from ui.explain import describe
from ui.regression_cache import delta_steps, huber_sweep
from ui.regression_charts import Line, huber_limits_figure, sweep_figure, zones_figure

huber = losses.get("huber")
st.title("Huber δ lab")
st.write(
    "Huber's loss is ½r² for residuals within ±δ of the line and grows only linearly "
    "beyond: a point nearer than δ pulls like a least-squares point, a point farther out "
    "pulls with the fixed force δ. Slide δ and watch the line move between the MAE "
    "line (tiny δ) and the least-squares line (huge δ)."
)
describe(huber)
with st.sidebar:
    st.header("Data")
    data_args = controls.regression_data_controls(key_prefix="hub_data")
params = controls.param_controls(huber, key_prefix="hub")
delta = params["delta"]

data_key = key_of(data_args)
try:
    frame = regression_data(**data_args)
    fit = regression_fit(data_key, "huber", key_of(params))
    sweep = huber_sweep(data_key, delta_steps())
except ValueError as error:
    st.warning(f"This line cannot be fitted with these settings: {error}")
    st.stop()

x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
residual = robustness.residuals(x, y, fit.params)
quadratic = robustness.quadratic_zone(residual, delta)
marks = robustness.curve_marks(huber, params)
span = robustness.residual_span(residual, marks)
axis = robustness.residual_grid(span, (-delta, delta))
notes = frame.attrs["notes"] + robustness.zone_notes(residual, delta)
for note in notes + robustness.fit_notes(frame, residual, [], span):
    st.info(note)

metrics = st.columns(4)
metrics[0].metric("points with |r| ≤ δ (quadratic)", f"{int(quadratic.sum())} of {len(frame)}")
metrics[1].metric("Huber slope", f"{fit.params['slope']:.4f}")
metrics[2].metric("MSE slope (δ → ∞)", f"{sweep.mse['slope']:.4f}")
metrics[3].metric("MAE slope (δ → 0)", f"{sweep.mae['slope']:.4f}")

left, right = st.columns(2, gap="medium")
with left:
    st.subheader("Huber between its two limits")
    limits = robustness.huber_limits(axis, delta)
    st.plotly_chart(huber_limits_figure(axis, limits, delta, marks=marks), key="hub_curve_chart",
                    width="stretch", theme=None)  # fmt: skip
    st.caption(
        "Within ±δ Huber equals ½·MSE; beyond, its gradient is δ·MAE's (±δ) and its value "
        "δ·MAE's minus ½δ². The plot is scaled to Huber, so the limit it follows coincides "
        "with it and the other runs off the plot. The axis spans the fit's residuals."
    )
with right:
    st.subheader("Which points are in which zone")
    line = Line(f"Huber fit, δ = {delta:g}", fit.params["intercept"], fit.params["slope"],
                colour_for("huber"))  # fmt: skip
    st.plotly_chart(zones_figure(x, y, quadratic, delta, line), key="hub_zone_chart",
                    width="stretch", theme=None)  # fmt: skip
    st.caption(
        "Points inside the shaded band (within δ of the line) are in the quadratic zone and "
        "pull in proportion to their residual; points outside pull with the capped force δ."
    )

st.subheader("The fitted line as δ sweeps from 0.01 to 100")
truth = {"slope": frame.attrs["true_slope"], "intercept": frame.attrs["true_intercept"]}
st.plotly_chart(sweep_figure(sweep, delta, fit.params, truth), key="hub_sweep_chart",
                width="stretch", theme=None)  # fmt: skip
st.caption(
    f"A Huber line fitted at each of {len(sweep.deltas)} values of δ (★ = your δ). Small δ: "
    "nearly every point is in the linear zone and the line sits on the MAE line. Large δ: "
    "every point is in the quadratic zone and the line is the least-squares line. With "
    "outliers on one side they mostly shift the intercept, so watch both panels."
)
