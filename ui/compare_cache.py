"""The Compare page's figure, built once per input (bounded `st.cache_resource`).

Building the two-panel Plotly figure costs tens of milliseconds of validation; the
cached figure is shared and never modified (the live chart only reads it).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import losses
from lessons.curves import task_curves
from ui.charts import Curve, loss_and_gradient_figure

# Identical curves (CCE and sparse CCE) would hide each other: a dash pattern per curve.
DASHES = ("solid", "dash", "dot", "dashdot")
FIGURE_ENTRIES = 64


@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def compare_figure(
    task: str,
    settings: tuple[tuple[str, tuple], ...],
    span: tuple[float, float, int],
    *,
    axis: str,
    label: int,
    k: int,
    point: float,
    x_title: str,
    grad_title: str,
) -> tuple[go.Figure, tuple[str, ...]]:
    """The overlaid loss/gradient figure and the ids of the losses it draws.

    ``settings``: (loss id, sorted (name, value) pairs of its parameters) per loss;
    ``span``: the axis as (first, last, number of points).
    """
    chosen = [(losses.get(loss_id), dict(params)) for loss_id, params in settings]
    grid = np.linspace(*span)
    curves = task_curves(task, chosen, grid, axis=axis, label=label, k=k)
    drawn = [Curve(loss.id, loss.name, value, grad, dash=DASHES[i % len(DASHES)])
             for i, (loss, value, grad) in enumerate(curves)]  # fmt: skip
    figure = loss_and_gradient_figure(
        grid, drawn, x_title=x_title, grad_title=f"gradient {grad_title}",
        marks=[(point, "compared here")],
    )  # fmt: skip
    return figure, tuple(loss.id for loss, _, _ in curves)
