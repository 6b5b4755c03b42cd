"""Huber δ lab: one knob, δ, slides Huber's line from the MAE line to the least-squares line."""

import functools

import streamlit as st

import losses
from lessons import alt_text
from ui import controls, own_data, presentation, reproduce_panel, scenes, site
from ui.cache import key_of
from ui.explain import describe
from ui.live_chart import live_chart
from ui.regression_cache import delta_steps, fit_number, huber_frames, huber_view
from ui.scrubber import live_scrubber

huber = losses.get("huber")
show = presentation.shows
if show("intro"):
    st.title("Huber δ lab")
with presentation.sidebar():
    st.header("Data")
    data_args = controls.regression_data_controls(key_prefix="hub_data")
    data_args = own_data.override(data_args, "regression", key_prefix="hub")
scenes.record_data(site.HUBER, data_args)
try:
    frames = huber_frames(key_of(data_args))
except ValueError as error:
    st.warning(f"This line cannot be fitted with these settings: {error}")
    st.stop()
# δ moves in the browser: the charts play precomputed frames (one per δ step) and the
# scrubber shows the numbers precomputed for each step; the page reruns once the student
# stops, for the notes, the text alternatives and the URL. The scrubber, its numbers and
# the two charts δ changes most come first, so they are in view together while δ moves.
delta_spec = next(spec for spec in huber.params if spec.name == "delta")
steps = delta_steps()
delta = live_scrubber(
    delta_spec.label or delta_spec.name,
    steps,
    key="hub_huber_delta",
    default=controls.nearest(list(steps), delta_spec.default),
    format_func=controls.format_number,
    help=delta_spec.help,
    readouts=frames.readouts if show("metrics") else None,
)
params = {"delta": delta}
at_delta = {"active": steps.index(delta), "follows": "hub_huber_delta"}

try:
    view = huber_view(key_of(data_args), key_of(params))
except ValueError as error:
    st.warning(f"This line cannot be fitted with these settings: {error}")
    st.stop()

curve_box, zones_box = presentation.columns("curve", "zones")
if curve_box:
    with curve_box:
        st.subheader("Huber beside ½r² and δ|r|")
        live_chart(
            frames.limits, key="hub_curve_chart", alt=alt_text.huber_curves(delta), **at_delta
        )
        st.caption(
            "Within ±δ Huber equals ½·MSE = ½r²; beyond, its gradient is δ·MAE's (±δ) and its "
            "value δ·MAE's minus ½δ². Huber is never above either dashed curve. The plot is "
            "scaled to Huber: where it follows a dashed curve the two coincide, and a dashed "
            "curve that grows faster can leave the plot. The axis spans the residuals of the "
            "fit at every δ, so it stays put while δ moves."
        )
if zones_box:
    with zones_box:
        st.subheader("Which points are in which zone")
        live_chart(
            frames.zones,
            key="hub_zone_chart",
            alt=alt_text.huber_zones(view.n_quadratic, view.n, delta, view.slope),
            **at_delta,
        )
        st.caption(
            "Points inside the shaded band (within δ of the line) are in the quadratic zone "
            "and pull in proportion to their residual; points outside pull with the capped "
            "force δ."
        )

for note in view.notes:
    st.info(note)

if show("intro"):
    st.subheader("What δ does")
    st.write(
        "Huber's loss is ½r² for residuals within ±δ of the line and grows only linearly "
        "beyond: a point nearer than δ pulls like a least-squares point, a point farther out "
        "pulls with the fixed force δ. Slide δ and watch the line move from the MAE line "
        "(tiny δ) to the least-squares line (huge δ) — not necessarily monotonically, nor "
        "always between the two: in between, the line can lie outside both."
    )
if show("explain"):
    describe(huber)

if show("sweep"):
    st.subheader("The fitted line as δ sweeps from 0.01 to 100")
    live_chart(
        frames.sweep,
        key="hub_sweep_chart",
        alt=alt_text.huber_sweep(delta, view.slope, view.mse_slope, view.mae_slope),
        **at_delta,
    )
    st.caption(
        f"A Huber line fitted at each of {view.sweep_size} values of δ (★ = your δ). "
        f"{view.sweep_text} Outliers can move the slope, the intercept or both, so watch "
        "both panels."
    )
if show("reproduce"):
    reproduce_panel.panel(
        functools.partial(fit_number, key_of(data_args), "huber", key_of(params)),
        key="hub",
        csv_name="huber_fit.csv",
        note=f"The Huber δ lab's fit at δ = {delta:g}.",
    )
