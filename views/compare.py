"""Compare losses: any subset of one task's losses, overlaid on shared axes."""

import numpy as np
import streamlit as st

from lessons import alt_text
from lessons.curves import PROBABILITY, SCORE, point_table, task_curves
from ui import controls
from ui.cache import key_of
from ui.compare_cache import compare_frames, residual_axis
from ui.explain import describe
from ui.live_chart import live_chart
from ui.scrubber import live_scrubber

URL = "query-params"
TASK_NAMES = {
    "regression": "Regression",
    "binary": "Binary classification",
    "multiclass": "Multi-class classification",
}
# Binary opens on the losses the default probability axis can draw; hinge (a raw-score loss)
# stays one pick away, with its note.
DEFAULTS = {
    "regression": ("mse", "mae", "huber"),
    "binary": ("bce", "focal"),
    "multiclass": ("cce", "sparse_cce", "kl"),
}
# Each axis fixes how the prediction is read, so the logits switch is set by the axis; the
# probability axis stays inside [0.01, 0.99], where the clip ε (at most 0.01) never acts.
NOT_ON_THESE_AXES = ("from_logits", "eps")

st.title("Compare losses")
st.write(
    "Overlay the losses of one task on the same axes: how much each one charges for an error "
    "(top) and how hard its gradient pushes back (bottom). Where two curves part, the losses "
    "disagree about which mistakes matter."
)


# A fragment: every control of the page is in it, so a move reruns it alone, not the app's
# frame (navigation, tour) and the introduction above.
@st.fragment
def comparison() -> None:
    task_column, picker_column = st.columns([1, 2], gap="large")
    task = task_column.radio(
        "Task", list(TASK_NAMES), format_func=TASK_NAMES.get, key="cmp_task", bind=URL
    )
    chosen = controls.losses_multiselect(
        task, key=f"cmp_losses_{task}", default=DEFAULTS[task], container=picker_column
    )
    controls_column, chart_column = st.columns([1, 3], gap="large")
    with controls_column:
        label, k, axis, reaches = 1, 3, PROBABILITY, None
        # The point compared moves in the browser (frames: the mark and, for residuals, the
        # visible range); the table of values there follows once the student stops.
        if task == "regression":
            half_width = st.slider(
                "largest |r| shown", 1.0, 20.0, 4.0, step=0.5, key="cmp_range", bind=URL
            )
            points = controls.even_steps(-10.0, 10.0, 0.1)
            point_key = "cmp_r"
            point = live_scrubber(
                "compare at r =",
                points,
                key=point_key,
                default=1.5,
                format_func=controls.format_number,
            )
            span, reaches = residual_axis(points, half_width)
            x_title = "residual r = ŷ − y"
        elif task == "binary":
            axis_names = {PROBABILITY: "probability p", SCORE: "score s (logit)"}
            axis = st.radio(
                "x axis", list(axis_names), format_func=axis_names.get, key="cmp_axis", bind=URL
            )
            label = st.radio("true label y", (1, 0), key="cmp_label", horizontal=True, bind=URL)
            if axis == PROBABILITY:
                points = controls.even_steps(0.01, 0.99, 0.01)
                point_key = "cmp_p"
                point = live_scrubber(
                    "compare at p =",
                    points,
                    key=point_key,
                    default=0.3,
                    format_func=controls.format_number,
                )
                span, x_title = (0.01, 0.99, 589), "predicted probability p of class 1"
            else:
                points = controls.even_steps(-6.0, 6.0, 0.1)
                point_key = "cmp_s"
                point = live_scrubber(
                    "compare at s =",
                    points,
                    key=point_key,
                    default=-1.0,
                    format_func=controls.format_number,
                )
                span, x_title = (-6.0, 6.0, 801), "score s (logit)"
        else:
            k = st.slider("classes k", 2, 10, 3, key="cmp_k", bind=URL)
            points = controls.even_steps(0.01, 0.99, 0.01)
            point_key = "cmp_pt"
            point = live_scrubber(
                "compare at p_true =",
                points,
                key=point_key,
                default=0.3,
                format_func=controls.format_number,
            )
            span, x_title = (0.01, 0.99, 589), "probability of the true class p_true"
        settings = []
        skip = NOT_ON_THESE_AXES if task != "regression" else ()
        for loss in chosen:
            if not [spec for spec in loss.params if spec.name not in skip]:
                settings.append((loss, {}))
                continue
            with st.expander(f"{loss.name} parameters", expanded=False):
                settings.append((loss, controls.param_controls(loss, key_prefix="cmp", skip=skip)))

    with chart_column:
        if not chosen:
            st.info("Pick at least one loss on the left to draw it.")
            st.stop()
        at_point = task_curves(task, settings, np.array([point]), axis=axis, label=label, k=k)
        grad_title = {
            "regression": "∂ℓ/∂ŷ",
            "binary": "∂ℓ/∂p" if axis == PROBABILITY else "∂ℓ/∂s",
            "multiclass": "dℓ/dp_true",
        }[task]
        figure, drawn_ids = compare_frames(
            task,
            tuple((loss.id, key_of(params)) for loss, params in settings),
            span,
            tuple(points),
            reaches,
            axis=axis,
            label=label,
            k=k,
            x_title=x_title,
            grad_title=grad_title,
        )
        left_out = [loss.name for loss in chosen if loss.id not in drawn_ids]
        if left_out:
            st.info(
                f"{', '.join(left_out)} needs a raw score, not a probability: choose "
                "“score s (logit)” as the x axis to include it."
            )
        if not drawn_ids:
            st.stop()
        live_chart(
            figure,
            key="cmp_chart",
            active=points.index(point),
            follows=point_key,
            alt=alt_text.compare(at_point, x_title, point),
        )
        if task == "multiclass":
            st.caption(
                f"The other {k - 1} classes share 1 − p_true equally; the gradient is the "
                "derivative along that path. With a one-hot target and no label smoothing, "
                "CCE, sparse CCE and KL are the same number, −log p_true (KL = CCE − H(y) "
                "and H(y) = 0), so their curves lie on top of each other: the dash patterns "
                "keep each one visible."
            )
        if task == "binary" and axis == SCORE:
            st.caption(
                "On the score axis the losses take logits (the sigmoid is applied inside, "
                "stably), so there is no clip ε to set."
            )
        elif task != "regression":
            st.caption(
                "The clip ε only acts where p < ε ≤ 0.01, off this axis: the Loss vs cost "
                "page shows it on a prediction of exactly 0."
            )
        st.dataframe(point_table(at_point, grad_title), hide_index=True, key="cmp_table")
        # Only the open tab's text is drawn (on_change="rerun": a click on a tab reruns this
        # fragment), not every chosen loss's formula and text on every move.
        tabs = st.tabs([loss.name for loss in chosen], key=f"cmp_about_{task}", on_change="rerun")
        for tab, loss in zip(tabs, chosen, strict=True):
            if tab.open:
                with tab:
                    describe(loss)


comparison()
