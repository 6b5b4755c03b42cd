"""Figures for the "Huber δ lab" page: Huber beside ½r² and δ|r| (it is never above
either), the data by Huber zone, and the fitted line as δ sweeps.

Pure functions: arrays in, (traces, layout) specs out, for `ui.charts.figure` or, one per δ
step, for `ui.live_chart.animate` (no Streamlit). Every number is computed in `losses`; at
most `MAX_POINTS_DRAWN` points of a scatter are drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lessons.huber_lab import DeltaSweep, HuberLimits
from ui.charts import (
    TRUTH_COLOUR,
    Curve,
    as_drawn,
    axis_names,
    colour_for,
    loss_and_gradient_spec,
    merged,
    stacked_axes,
    style_layout,
    vline,
)
from ui.regression_charts import (
    RESIDUAL_TITLE,
    Line,
    axes_layout,
    clip_to_span,
    drawn_mask,
    line_trace,
    mark_labels,
    points_trace,
    unlabelled,
    with_annotations,
)

LINEAR_ZONE_COLOUR = colour_for("mae")


def huber_limits_spec(
    residual_axis: np.ndarray,
    limits: HuberLimits,
    delta: float,
    *,
    marks: Sequence[tuple[float, str]] = (),
    height: int = 560,
) -> tuple[list[dict], dict]:
    """The traces and layout of Huber at δ beside ½·MSE and δ·MAE (dashed), loss and
    gradient, with ``marks`` (±δ).

    The y-axes are scaled to Huber's own curve, so the limit it follows coincides
    with it and the other leaves the plot.
    """
    span = float(np.max(np.abs(residual_axis)))
    curves = [
        Curve("huber", f"Huber, δ = {delta:g}", *limits.huber),
        Curve("mse", "½·MSE = ½r² (δ → ∞)", *limits.half_mse, dash="dash"),
        Curve("mae", "δ·MAE = δ|r| (small δ)", *limits.delta_mae, dash="dash"),
    ]
    marks = clip_to_span(marks, span)
    data, layout = loss_and_gradient_spec(
        residual_axis,
        curves,
        x_title=RESIDUAL_TITLE,
        value_title="loss ℓ(r)",
        grad_title="gradient ∂ℓ/∂ŷ",
        marks=unlabelled(marks),
        height=height,
    )
    top = 1.25 * float(np.max(limits.huber[0]))
    steepest = 1.25 * float(np.max(np.abs(limits.huber[1])))
    ranges = {
        "xaxis": {"range": [-span, span]},
        "xaxis2": {"range": [-span, span]},
        "yaxis": {"range": [-0.04 * top, top]},
        "yaxis2": {"range": [-steepest, steepest]},
    }
    return data, with_annotations(merged(layout, ranges), mark_labels(marks))


def zones_spec(
    x: np.ndarray,
    y: np.ndarray,
    quadratic: np.ndarray,
    delta: float,
    line: Line,
    *,
    height: int = 560,
) -> tuple[list[dict], dict]:
    """The traces and layout of the data coloured by Huber zone, with the fitted line and
    its ±δ band.

    ``quadratic`` (bool (n,)) marks |r| ≤ δ. Legend counts cover all n points.
    """
    drawn = drawn_mask(x.size, ~quadratic if quadratic.mean() > 0.5 else quadratic)
    x_range = np.array([float(np.min(x)), float(np.max(x))])
    fitted = line.intercept + line.slope * x_range
    inside, outside = int(quadratic.sum()), int((~quadratic).sum())
    data = [
        {
            "type": "scatter",
            "x": as_drawn(np.concatenate([x_range, x_range[::-1]])),
            "y": as_drawn(np.concatenate([fitted - delta, (fitted + delta)[::-1]])),
            "fill": "toself",
            "mode": "lines",
            "line": {"width": 0},
            "fillcolor": "rgba(0, 158, 115, 0.15)",
            "name": f"band ŷ ± δ (δ = {delta:g})",
            "hoverinfo": "skip",
        },
        points_trace(
            x,
            y,
            drawn & quadratic,
            name=f"quadratic zone |r| ≤ δ ({inside})",
            colour=colour_for("huber"),
            opacity=0.8,
        ),
        points_trace(
            x,
            y,
            drawn & ~quadratic,
            name=f"linear zone |r| > δ ({outside})",
            colour=LINEAR_ZONE_COLOUR,
            symbol="triangle-up",
            size=8,
            opacity=0.8,
        ),
        line_trace(line, tuple(x_range)),
    ]
    # The band can be far wider than the data (δ = 100): frame the points, not the band.
    room = 0.05 * (float(np.max(y) - np.min(y)) or 1.0)
    y_range = [float(np.min(y)) - room, float(np.max(y)) + room]
    return data, axes_layout("x", "y", height=height, yaxis={"range": y_range})


def sweep_spec(
    sweep: DeltaSweep,
    current_delta: float,
    current_line: dict,
    truth: dict,
    *,
    height: int = 560,
) -> tuple[list[dict], dict]:
    """The traces and layout of Huber's fitted slope (top) and intercept (bottom) against
    δ on a log axis.

    Horizontal references: the MSE line (δ → ∞), the MAE line (δ → 0) and the truth;
    the current δ is a vertical dotted line with its fit marked.
    """
    deltas = sweep.deltas
    ends = np.array([deltas.min(), deltas.max()])
    rows = (
        (1, "slope", sweep.slopes, "slope b"),
        (2, "intercept", sweep.intercepts, "intercept a"),
    )
    data, shapes = [], []
    for row, key, fitted, what in rows:
        first = row == 1
        x_axis, y_axis = axis_names(row)
        on_row = {"xaxis": x_axis, "yaxis": y_axis}
        data.append(
            {
                "type": "scatter",
                "x": deltas,
                "y": fitted,
                "mode": "lines+markers",
                "name": "Huber fit at each δ",
                "legendgroup": "huber",
                "showlegend": first,
                "line": {"color": colour_for("huber"), "width": 3},
                "marker": {"size": 6},
                "hovertemplate": f"δ = %{{x:.3g}}<br>Huber {what} = %{{y:.5g}}<extra></extra>",
                **on_row,
            }
        )
        references = (
            ("MSE fit (δ → ∞)", sweep.mse[key], colour_for("mse"), "dash"),
            ("MAE fit (δ → 0)", sweep.mae[key], colour_for("mae"), "dash"),
            ("true line", truth[key], TRUTH_COLOUR, "dot"),
        )
        for name, level, colour, dash in references:
            if level is None:  # a student's file: no true line is known
                continue
            data.append(
                {
                    "type": "scatter",
                    "x": ends,
                    "y": [level, level],
                    "mode": "lines",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": first,
                    "line": {"color": colour, "dash": dash, "width": 2},
                    "hovertemplate": f"{name}<br>{what} = {level:.5g}<extra></extra>",
                    **on_row,
                }
            )
        data.append(
            {
                "type": "scatter",
                "x": [current_delta],
                "y": [current_line[key]],
                "mode": "markers",
                "name": "current δ",
                "legendgroup": "current",
                "showlegend": first,
                "marker": {
                    "color": colour_for("huber"),
                    "size": 15,
                    "symbol": "star",
                    "line": {"color": TRUTH_COLOUR, "width": 1.5},
                },
                "hovertemplate": f"current δ = %{{x:.3g}}<br>{what} = %{{y:.5g}}<extra></extra>",
                **on_row,
            }
        )
        shapes.append(vline(current_delta, row, {"dash": "dot", "color": "#666666"}))
    layout = merged(
        style_layout(height=height),
        stacked_axes(2, 0.1),
        {
            "xaxis": {"type": "log", "title": {"text": ""}},
            "xaxis2": {"type": "log", "title": {"text": "δ (log scale)"}},
            "yaxis": {"title": {"text": "slope b"}},
            "yaxis2": {"title": {"text": "intercept a"}},
            "shapes": shapes,
        },
    )
    return data, layout
