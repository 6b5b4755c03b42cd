"""Gradient descent: the cost as a landscape over (intercept, slope), a descent walking down
it epoch by epoch, and data a student can touch."""

import streamlit as st

from ui import added_points, controls, own_data, presentation, reproduce_panel, scenes, site
from ui.cache import key_of
from ui.descent_cache import descent_view, line_number, page_window
from ui.live_chart import live_chart
from ui.regression_charts import ADDED_TRACE
from ui.scrubber import live_scrubber

URL = controls.URL
POINTS = "gd_points"
START = "gd_start"
DEFAULT_START = (0.0, 0.0)
LEARNING_RATES = controls.log_steps(1e-4, 1.0)
EPOCHS = (10, 20, 50, 100, 200, 500, 1000, 2000, 3000)
MOMENTA = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
BATCHES = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)  # 0: every point (full batch)
PLAY_MS = 40  # one epoch step per 40 ms while the scrubber plays (~8 s for 200 steps)


show = presentation.shows
if show("intro"):
    st.title("Gradient descent")
    st.write(
        "Training makes the cost small: gradient descent starts from some line ŷ = a + b·x "
        "and steps downhill on the cost J(a, b), each step −η times the gradient, the "
        "average over the points of the loss's gradient times (1, x). The landscape shows J "
        "for every intercept a and slope b; click on it to start somewhere else, click on "
        "the data to add a point, and press ▶ to watch the epochs."
    )
with presentation.sidebar():
    st.header("Data")
    data_args = controls.regression_data_controls(key_prefix="gd_data")
    shuffle_seed = data_args["seed"]  # mini-batches are shuffled with it, for a file too
    data_args = own_data.override(data_args, "regression", key_prefix="gd")
    st.header("Your points")
    added_points.remove_button(POINTS)
    # Here, not beside the descent's settings: while presenting, the side controls sit
    # behind one button and the slide keeps its room for the charts.
    st.header("The path")
    whole_path = st.toggle(
        "show the whole path",
        value=False,
        key="gd_whole_path",
        bind=URL,
        help="Off: the descent's path is drawn up to the epoch shown, and ▶ draws the rest. "
        "On: all of it faintly too.",
    )
data_args["added"] = added_points.added_points(POINTS)
scenes.record_data(site.DESCENT, data_args)
if note := added_points.take_note(POINTS):
    st.info(note)
start, start_note = added_points.clicked_point(START, DEFAULT_START)
if start_note:
    st.info(
        "The link's start point could not be read, so the descent starts at a = 0, b = 0; "
        "click on the landscape to choose another."
    )

loss_column, rate_column, run_column = st.columns(3, gap="large")
with loss_column:
    loss = controls.loss_picker("regression", key="gd_loss", default="mse")
    params = controls.param_controls(loss, key_prefix="gd")
with rate_column:
    learning_rate = st.select_slider(
        "learning rate η",
        options=LEARNING_RATES,
        value=0.02,
        format_func=controls.format_number,
        key="gd_rate",
        bind=URL,
        help="The size of each step: −η × the gradient (log scale).",
    )
    epochs = st.select_slider(
        "epochs",
        options=EPOCHS,
        value=1000,
        key="gd_epochs",
        bind=URL,
        help="Passes over the data; one step per epoch in full batch.",
    )
with run_column:
    momentum = st.select_slider(
        "momentum μ",
        options=MOMENTA,
        value=0.0,
        key="gd_momentum",
        bind=URL,
        format_func=lambda value: "none" if value == 0 else f"{value:g}",
        help="Heavy ball: each step adds μ × the previous one, so a long narrow valley is "
        "crossed faster.",
    )
    batch = st.select_slider(
        "batch size",
        options=BATCHES,
        value=0,
        key="gd_batch",
        bind=URL,
        format_func=lambda value: "full batch" if value == 0 else str(value),
        help="Points per step: full batch uses every point; a mini-batch a shuffled few, "
        "so each step is cheaper and noisier.",
    )
    run = st.toggle(
        "run gradient descent",
        value=True,
        key="gd_run",
        bind=URL,
        help="Off: find the bottom yourself, clicking on the landscape.",
    )
    reveal = (
        st.toggle("show the fit’s minimum", value=False, key="gd_reveal", bind=URL)
        if not run
        else True
    )
    if start != DEFAULT_START:
        st.button(
            "start from a = 0, b = 0",
            key="gd_start_reset",
            on_click=lambda: st.session_state.update({START: DEFAULT_START}),
        )

data_key, params_key = key_of(data_args), key_of(params)
settings = (
    key_of(
        {
            "learning_rate": learning_rate,
            "epochs": epochs,
            "momentum": momentum,
            "batch_size": batch or None,
            "seed": shuffle_seed,
        }
    )
    if run
    else None
)
try:
    window = page_window(data_key, loss.id, params_key, start, settings, DEFAULT_START)
    view = descent_view(
        data_key, loss.id, params_key, start, settings, reveal, window, whole_path and run
    )
except ValueError as error:
    scenes.record_outcome(site.DESCENT, None)
    st.warning(f"Gradient descent cannot run with these settings: {error}")
    st.stop()
for note in view.notes:
    st.info(note)
scenes.record_outcome(site.DESCENT, view.judgement)

# The scrubber moves the charts: with none of them shown (a question hides them until it
# is answered) it stays away too, as its range (a diverging run's ends early) would tell.
following = show("landscape") or show("data") or (view.cost is not None and show("cost"))
if view.epochs and following:
    epoch = live_scrubber(
        "epoch",
        view.epochs,
        key="gd_epoch",
        default=view.epochs[0],
        frame_ms=PLAY_MS,
        help="Drag, or press ▶: the path grows, the line and the cost move together.",
        restart=(loss.id, data_key),
    )
    active = view.epochs.index(epoch)
    follows = {"follows": "gd_epoch", "active": active}
else:
    follows = {}

landscape_box, data_box = presentation.columns("landscape", "data")
if landscape_box:
    with landscape_box:
        st.subheader("The cost landscape J(a, b)")
        set_start = added_points.point_click_handler("gd_landscape", START)
        live_chart(
            view.landscape,
            key="gd_landscape",
            on_click=set_start,
            alt=view.alt["landscape"],
            **follows,
        )
        if view.epochs:
            marks = (
                ", the white line the descent's path up to the epoch shown"
                + (" (dotted: all of it)" if whole_path else "")
                + ", ● where it is then, ★ the fit’s minimum."
            )
        else:
            marks = ", ★ the fit’s minimum." if reveal else "."
        st.caption(
            f"Colour: {'log₁₀ of ' if view.log_colour else ''}the cost J of the line "
            f"ŷ = a + b·x under {loss.name} on these {view.n} points (dark = low). ○ the start"
            + marks
            + " Click anywhere to start there."
        )
if data_box:
    with data_box:
        st.subheader("The data and the line")
        live_chart(
            view.data,
            key="gd_data_chart",
            alt=view.data_alt(follows.get("active")),
            on_click=added_points.click_handler("gd_data_chart", POINTS, ADDED_TRACE),
            **follows,
        )
        n_added = len(data_args["added"])
        st.caption(
            "Click on the chart to add a point (★), on a ★ to remove it: the landscape, the "
            "minimum and the descent all follow."
            + (f" You have added {n_added}." if n_added else "")
        )

if show("outcome"):
    for sentence in view.sentences:
        st.write(sentence)
number = line_number(data_key, loss.id, params_key, start, settings)
if number is not None and show("reproduce"):
    reproduce_panel.panel(
        number,
        key="gd",
        csv_name=f"descent_{loss.id}.csv",
        note=f"The line of the Gradient descent page under {loss.name}.",
    )
if run and batch and batch >= view.n:
    st.caption(
        f"A batch of {batch} is at least all {view.n} points, so every step uses them all: "
        "this is the full-batch descent."
    )

if view.cost is not None:
    cost_box, why_box = presentation.columns("cost", "why")
    if cost_box:
        with cost_box:
            st.subheader("Cost per epoch")
            live_chart(view.cost, key="gd_cost_chart", alt=view.alt["cost"], **follows)
            st.caption(
                "J after each epoch (log scale) against the minimum J* (dashed): a straight "
                "fall is a constant rate of improvement; a tail that rises and falls above J* "
                "is bouncing, a flat one has stalled."
            )
    if why_box:
        with why_box:
            st.subheader("Why the gradient's shape matters")
            st.write(
                "MSE's gradient grows with the error, so far-off points (outliers) pull the "
                "first steps hard, and too large an η overshoots further every step. MAE's "
                "gradient is a sign, the same size near the minimum as far from it, so a "
                "fixed η keeps bouncing around the bottom. Huber's is MSE's near the line and "
                "MAE's far from it: bounded, and smooth where it lands."
            )
            if view.stability is not None:
                st.write(view.stability)
