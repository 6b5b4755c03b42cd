"""Cached pieces of the Regression page's "scale of y" tab, keyed by plain tuples (bounded).

The sweep fits Huber at every δ/s once per data set and δ (`lessons.y_scale.scale_sweep`);
a move of the s control then only redraws the marker, from the cached sweep.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import losses
from lessons import y_scale
from ui.cache import regression_data, regression_pinball_lines
from ui.controls import log_steps
from ui.y_scale_charts import y_scale_figure

SCALES = tuple(log_steps(0.1, 100.0))  # the s control's stops: R10 steps, 1 among them
SWEEP_ENTRIES = 16
FIGURE_ENTRIES = 64
HUBER = losses.get("huber")


def huber_delta(loss_id: str, loss_params: tuple) -> tuple[float, bool]:
    """(δ, the student's) for the tab: the student's δ when Huber is the picked loss, else
    Huber's default."""
    if loss_id == HUBER.id:
        return float(dict(loss_params)["delta"]), True
    return float(HUBER.defaults["delta"]), False


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=SWEEP_ENTRIES, show_spinner=False)
def scale_sweep(generator_args: tuple, delta: float) -> y_scale.ScaleSweep:
    """`y_scale.scale_sweep` over `SCALES` on `regression_data(**dict(generator_args))`."""
    frame = regression_data(**dict(generator_args))
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    pinball = regression_pinball_lines(generator_args)
    return y_scale.scale_sweep(x, y, SCALES, delta=delta, pinball=pinball)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def y_scale_view(generator_args: tuple, delta: float, scale: float) -> tuple[go.Figure, str, str]:
    """(figure, sentence, text alternative) of the tab at s = ``scale``."""
    sweep = scale_sweep(generator_args, delta)
    return (
        y_scale_figure(sweep, scale),
        y_scale.scale_sentence(sweep, scale),
        y_scale.alt(sweep, scale),
    )
