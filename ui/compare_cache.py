"""The Compare page's figure with a frame per point compared, built once per input (the
caching policy: `ui.cache`): the point's scrubber plays the frames in the browser."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import streamlit as st

import losses
from lessons.curves import task_curves
from ui.charts import Curve, loss_and_gradient_spec, marks_layout, merged
from ui.frames import Animated, animate

FRAME_ENTRIES = 16
ROOM = 0.05  # of the visible range, above and below the curves


def _visible_range(values: list[np.ndarray], visible: np.ndarray) -> list[float]:
    shown = np.concatenate([curve[visible] for curve in values])
    shown = shown[np.isfinite(shown)]
    low, high = (float(shown.min()), float(shown.max())) if shown.size else (0.0, 1.0)
    room = ROOM * ((high - low) or 1.0)
    return [low - room, high + room]


def residual_axis(
    points: Sequence[float], half_width: float
) -> tuple[tuple[float, float, int], tuple[float, ...]]:
    """The residual axis the curves are drawn on, as (first, last, number of points), and
    the half-width each point compared shows: ±max(half-width, |r| + 0.5), so the mark has
    room. The curves are drawn once out to the farthest of these, with about as many points
    per unit of r as 801 over ±half-width (at most 2,001)."""
    reaches = tuple(max(half_width, abs(point) + 0.5) for point in points)
    full = max(reaches)
    return (-full, full, min(2001, 2 * math.ceil(400 * full / half_width) + 1)), reaches


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FRAME_ENTRIES, show_spinner=False)
def compare_frames(
    task: str,
    settings: tuple[tuple[str, tuple], ...],
    span: tuple[float, float, int],
    points: tuple[float, ...],
    reaches: tuple[float, ...] | None,
    *,
    axis: str,
    label: int,
    k: int,
    x_title: str,
    grad_title: str,
) -> tuple[Animated, tuple[str, ...]]:
    """The overlaid loss/gradient figure with the point compared at each of ``points``, as
    frames for the point's scrubber, and the ids of the losses it draws.

    The curves are drawn once over ``span``; ``reaches`` (regression) gives each step's
    visible half-width, the y-axes framed on what is visible there.
    """
    chosen = [(losses.get(loss_id), dict(params)) for loss_id, params in settings]
    grid = np.linspace(*span)
    curves = task_curves(task, chosen, grid, axis=axis, label=label, k=k)
    drawn = [
        Curve(loss.id, loss.name, value, grad, dash=DASHES[i % len(DASHES)])
        for i, (loss, value, grad) in enumerate(curves)
    ]
    # The traces and most of the layout are the same at every step: built once and shared
    # (one object each, which `animate` converts once), each step replacing only the mark
    # and the ranges, instead of building the whole spec 201 times.
    traces, base = loss_and_gradient_spec(
        grid,
        drawn,
        x_title=x_title,
        grad_title=f"gradient {grad_title}",
        marks=[(points[0], "compared here")],
    )
    steps = []
    for index, point in enumerate(points):
        layout = base | marks_layout([(point, "compared here")])
        if reaches is not None:
            reach = reaches[index]
            visible = np.abs(grid) <= reach * (1 + 1e-9)
            layout = merged(
                layout,
                {
                    "xaxis": {"range": [-reach, reach]},
                    "xaxis2": {"range": [-reach, reach]},
                    "yaxis": {"range": _visible_range([c.value for c in drawn], visible)},
                    "yaxis2": {"range": _visible_range([c.grad for c in drawn], visible)},
                },
            )
        centre = 0.0 if reaches is not None else (span[0] + span[1]) / 2
        if point > centre:  # the label reads leftwards from a mark in the right half
            layout["annotations"][0] |= {"xanchor": "right", "xshift": -4}
        steps.append((traces, layout))
    return animate(steps), tuple(loss.id for loss, _, _ in curves)


# Identical curves (CCE and sparse CCE) would hide each other: a dash pattern per curve.
DASHES = ("solid", "dash", "dot", "dashdot")
