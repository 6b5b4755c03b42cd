"""The gradient-descent page's figures: the cost landscape J(a, b) with the descent's path,
the data with the line at the current epoch, and the cost per epoch; and the frames that
move all three together (only the current point, line and marker change per epoch)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.charts import TRUTH_COLOUR, as_drawn, figure, merged
from ui.frames import Animated, patched_frames
from ui.regression_charts import Line, axes_layout, fits_figure

LANDSCAPE_CURRENT = 4  # trace index of the current (a, b) in `landscape_figure`
COST_CURRENT = 2  # trace index of the current epoch's marker in `cost_epoch_figure`
A_TITLE = "intercept a"
B_TITLE = "slope b"


def _marker(name: str, a: Sequence[float], b: Sequence[float], marker: dict, hover: str) -> dict:
    return {
        "type": "scatter",
        "x": list(map(float, a)),
        "y": list(map(float, b)),
        "mode": "markers",
        "name": name,
        "marker": marker,
        "hovertemplate": hover + "<extra></extra>",
    }


def landscape_figure(
    a_values: np.ndarray,
    b_values: np.ndarray,
    costs: np.ndarray,
    *,
    log: bool,
    colour: str,
    start: tuple[float, float],
    minimum: tuple[float, float] | None,
    current: tuple[float, float],
    path: tuple[np.ndarray, np.ndarray] | None = None,
    current_name: str = "now",
    height: int = 520,
) -> go.Figure:
    """J over the grid (``costs[i, j]`` = J(a_j, b_i); colour by log₁₀ J when ``log``),
    the descent's ``path`` as a white line, its start, the true minimum (None: hidden) and
    the current point (trace `LANDSCAPE_CURRENT`, what the frames move)."""
    shown = np.log10(costs) if log else costs
    contour = {
        "type": "contour",
        "x": as_drawn(a_values),
        "y": as_drawn(b_values),
        "z": shown.astype(np.float32),
        "customdata": costs.astype(np.float32),
        "colorscale": "Viridis",
        "ncontours": 22,
        "contours": {"coloring": "heatmap", "showlines": True},
        "line": {"width": 0.6, "color": "rgba(255, 255, 255, 0.45)"},
        "colorbar": {"title": {"text": "log₁₀ J" if log else "J"}, "thickness": 14, "len": 0.85},
        "hovertemplate": "a = %{x:.4g}<br>b = %{y:.4g}<br>J = %{customdata:.4g}<extra></extra>",
        "name": "cost J",
        "showlegend": False,
    }
    path_a, path_b = path if path is not None else ([], [])
    data = [
        contour,
        {
            "type": "scatter",
            "x": as_drawn(np.asarray(path_a)),
            "y": as_drawn(np.asarray(path_b)),
            "mode": "lines",
            "name": "descent's path",
            "line": {"color": "white", "width": 2},
            "hoverinfo": "skip",
        },
        _marker("start", [start[0]], [start[1]],
                {"color": "rgba(0,0,0,0)", "size": 14, "line": {"color": "white", "width": 2.5}},
                "start<br>a = %{x:.4g}, b = %{y:.4g}"),
        _marker("fit’s minimum", [minimum[0]] if minimum else [], [minimum[1]] if minimum else [],
                {"color": "white", "symbol": "star", "size": 18,
                 "line": {"color": TRUTH_COLOUR, "width": 1.5}},
                "fit’s minimum<br>a* = %{x:.4g}, b* = %{y:.4g}"),
        _marker(current_name, [current[0]], [current[1]],
                {"color": colour, "size": 14, "line": {"color": "white", "width": 2}},
                current_name + "<br>a = %{x:.4g}, b = %{y:.4g}"),
    ]  # fmt: skip
    layout = axes_layout(
        A_TITLE, B_TITLE, height=height,
        xaxis={"range": [float(a_values[0]), float(a_values[-1])], "showgrid": False,
               "zeroline": False},
        yaxis={"range": [float(b_values[0]), float(b_values[-1])], "showgrid": False,
               "zeroline": False},
    )  # fmt: skip
    # No legend: the caption names the marks, and the map keeps the chart's full width.
    return figure(data, merged(layout, {"showlegend": False, "margin": {"t": 20}}))


def data_figure(
    x,
    y,
    is_outlier,
    is_added,
    *,
    truth: Line | None,
    minimum: Line | None,
    current: Line,
    height=520,
) -> tuple[go.Figure, int]:
    """The data (your points as stars) with the true line (None: unknown, a student's file),
    the minimum's line (None: hidden) and the ``current`` line; returns the figure and the
    current line's trace index."""
    lines = [*([truth] if truth else []), *([minimum] if minimum else []), current]
    shown = fits_figure(x, y, is_outlier, lines, is_added=is_added, height=height)
    return shown, len(shown.data) - 1


def cost_epoch_figure(
    costs: np.ndarray,
    *,
    minimum_cost: float,
    colour: str,
    name: str,
    current: int,
    height: int = 400,
) -> go.Figure:
    """The cost after each epoch on a log axis, J* as a dashed reference line, and the
    current epoch's marker (trace `COST_CURRENT`)."""
    epochs = np.arange(costs.size)
    last = max(int(epochs[-1]), 1)
    finite = costs[np.isfinite(costs) & (costs > 0)]
    reference = minimum_cost if minimum_cost > 0 else None
    data = [
        {
            "type": "scatter",
            "x": epochs,
            "y": costs,
            "mode": "lines",
            "name": f"{name} cost",
            "line": {"color": colour, "width": 2.5},
            "hovertemplate": "epoch %{x}<br>J = %{y:.6g}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [0, last],
            "y": [reference, reference] if reference else [],
            "mode": "lines",
            "name": f"minimum J* = {minimum_cost:.4g}",
            "line": {"color": TRUTH_COLOUR, "width": 1.5, "dash": "dash"},
            "hovertemplate": f"minimum J* = {minimum_cost:.6g}<extra></extra>",
        },
        _marker("now", [current], [float(costs[current])],
                {"color": colour, "size": 12, "line": {"color": "white", "width": 2}},
                "epoch %{x}<br>J = %{y:.6g}"),
    ]  # fmt: skip
    low = min(float(finite.min()) if finite.size else 1.0, reference or np.inf)
    high = float(finite.max()) if finite.size else 1.0
    low = max(low, high * 1e-12)  # a J* of ~0 (noise-free data) would stretch the axis
    pad = 0.08 * max(np.log10(high) - np.log10(low), 0.5)
    layout = axes_layout(
        "epoch", "cost J (log scale)", height=height,
        xaxis={"range": [-0.01 * last, 1.01 * last]},
        yaxis={"type": "log", "range": [np.log10(low) - pad, np.log10(high) + pad],
               "tickformat": "~g", "dtick": "D2"},
    )  # fmt: skip
    return figure(data, layout)


def descent_frames(
    landscape: go.Figure,
    data_chart: go.Figure,
    data_line: int,
    cost_chart: go.Figure,
    *,
    epochs: np.ndarray,
    intercepts: np.ndarray,
    slopes: np.ndarray,
    costs: np.ndarray,
    x_range: tuple[float, float],
) -> tuple[Animated, Animated, Animated]:
    """The three charts with one frame per epoch in ``epochs`` (the scrubber's steps): the
    current point on the landscape, the line on the data and the cost marker move."""
    ends = np.array(x_range, dtype=np.float64)
    lands, lines, marks = [], [], []
    for epoch in epochs:
        a, b, cost = float(intercepts[epoch]), float(slopes[epoch]), float(costs[epoch])
        lands.append({LANDSCAPE_CURRENT: {"x": [a], "y": [b]}})
        heights = (a + b * ends).tolist()
        lines.append(
            {
                data_line: {
                    "y": heights,
                    "hovertemplate": (
                        f"epoch {int(epoch)}<br>ŷ = {a:.4g} + {b:.4g}·x<extra></extra>"
                    ),
                }
            }
        )
        marks.append({COST_CURRENT: {"x": [int(epoch)], "y": [cost]}})
    return (
        patched_frames(landscape, lands),
        patched_frames(data_chart, lines),
        patched_frames(cost_chart, marks),
    )
