"""The gradient-descent page's figures: the cost landscape J(a, b) with the descent's path,
the data with the line at the current epoch, and the cost per epoch; and the frames that
move all three together (the path and the cost curve grow to the epoch shown, the current
point, line and marker move)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.charts import TRUTH_COLOUR, as_drawn, figure, merged
from ui.frames import Animated, Prefix, patched_frames
from ui.regression_charts import Line, axes_layout, fits_figure

LANDSCAPE_PATH = 1  # trace index of the path so far in `landscape_figure`
LANDSCAPE_CURRENT = 4  # trace index of the current (a, b) in `landscape_figure`
LANDSCAPE_WHOLE = 5  # trace index of the faint whole path ("show the whole path")
COST_CURVE = 0  # trace index of the cost per epoch in `cost_epoch_figure`
COST_CURRENT = 2  # trace index of the current epoch's marker in `cost_epoch_figure`
# A growing trace keeps a point only when it lies this share of an axis's span from the last
# one kept (under a pixel on a chart up to 500 px wide), so every frame need not carry every
# epoch; the tolerance doubles until all frames together hold at most `MAX_DRAWN` points.
DRAWN_TOLERANCE = 0.002
MAX_DRAWN = 30_000
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
    whole_path: tuple[np.ndarray, np.ndarray] | None = None,
    current_name: str = "now",
    note: str | None = None,
    height: int = 520,
) -> go.Figure:
    """J over the grid (``costs[i, j]`` = J(a_j, b_i); colour by log₁₀ J when ``log``),
    the descent's ``path`` so far as a white line (trace `LANDSCAPE_PATH`, what the frames
    grow), its start, the true minimum (None: hidden), the current point (trace
    `LANDSCAPE_CURRENT`, what the frames move), the ``whole_path`` faint (trace
    `LANDSCAPE_WHOLE`; None: empty) and a ``note`` in the top corner (None: none)."""
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
        # Above the map, not beside it (beside it the bar took a phone's map down to ~200 px)
        # nor under it, where the axis's ticks and title need a height that grows with the
        # presentation's type.
        "colorbar": {
            "title": {"text": "log₁₀ J" if log else "J", "side": "right"},
            "orientation": "h",
            "thickness": 10,
            "len": 0.6,
            "x": 0.5,
            "xanchor": "center",
            "y": 1.0,
            "yanchor": "bottom",
            "ticklabelposition": "outside top",
        },
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
        _marker(
            "start",
            [start[0]],
            [start[1]],
            {"color": "rgba(0,0,0,0)", "size": 14, "line": {"color": "white", "width": 2.5}},
            "start<br>a = %{x:.4g}, b = %{y:.4g}",
        ),
        _marker(
            "fit’s minimum",
            [minimum[0]] if minimum else [],
            [minimum[1]] if minimum else [],
            {
                "color": "white",
                "symbol": "star",
                "size": 18,
                "line": {"color": TRUTH_COLOUR, "width": 1.5},
            },
            "fit’s minimum<br>a* = %{x:.4g}, b* = %{y:.4g}",
        ),
        _marker(
            current_name,
            [current[0]],
            [current[1]],
            {"color": colour, "size": 14, "line": {"color": "white", "width": 2}},
            current_name + "<br>a = %{x:.4g}, b = %{y:.4g}",
        ),
        {
            "type": "scatter",
            "mode": "lines",
            "name": "the whole path",
            "x": as_drawn(np.asarray(whole_path[0] if whole_path else [])),
            "y": as_drawn(np.asarray(whole_path[1] if whole_path else [])),
            "line": {"color": "rgba(255, 255, 255, 0.35)", "width": 1.5, "dash": "dot"},
            "hoverinfo": "skip",
        },
    ]
    layout = axes_layout(
        A_TITLE,
        B_TITLE,
        height=height,
        xaxis={
            "range": [float(a_values[0]), float(a_values[-1])],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={
            "range": [float(b_values[0]), float(b_values[-1])],
            "showgrid": False,
            "zeroline": False,
        },
    )
    # No legend: the caption names the marks, and the map keeps the chart's full width.
    layout = merged(layout, {"showlegend": False, "margin": {"t": 20}})
    layout["margin"]["t"] = COLOUR_BAR_ABOVE_PX
    if note:
        layout["annotations"] = [_note(note)]
    return figure(data, layout)


COLOUR_BAR_ABOVE_PX = 56  # the landscape's top margin: its colour bar and the bar's tick labels


def _note(text: str) -> dict:
    """A line of text in the plot's top left corner (a diverging run's verdict), on a pale
    box that keeps it readable over the landscape's brightest colours."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.02,
        "y": 0.98,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "font": {"color": "#31333f"},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
        "borderpad": 4,
    }


def data_y_range(y: np.ndarray) -> tuple[float, float]:
    """The data chart's y axis: the data's own range with a margin of a twentieth of it, so
    a line that leaves it (a diverging descent's) is cut at the edge and the points keep
    their spread."""
    low, high = float(np.min(y)), float(np.max(y))
    margin = 0.05 * max(high - low, 1e-9)
    return low - margin, high + margin


def data_figure(
    x,
    y,
    is_outlier,
    is_added,
    *,
    truth: Line | None,
    minimum: Line | None,
    current: Line,
    note: str | None = None,
    height=520,
) -> tuple[go.Figure, int]:
    """The data (your points as stars) with the true line (None: unknown, a student's file),
    the minimum's line (None: hidden) and the ``current`` line, over the data's own y range
    (`data_y_range`), a ``note`` in the top corner (None: none); returns the figure and the
    current line's trace index."""
    lines = [*([truth] if truth else []), *([minimum] if minimum else []), current]
    points = fits_figure(x, y, is_outlier, lines, is_added=is_added, height=height)
    # Two legend entries to a row: Plotly sizes a horizontal legend's columns by its widest
    # entry, which in a narrow presentation column left one entry per row over a squeezed plot.
    # Merged into its layout's dicts (what `ui.frames.figure_json` writes for a figure built
    # by `ui.charts.figure`): `update_layout` would validate the whole layout again.
    layout = merged(
        points._layout,
        {
            "yaxis": {"range": list(data_y_range(y)), "autorange": False},
            "legend": {"entrywidth": 0.5, "entrywidthmode": "fraction"},
        },
        {"annotations": [_note(note)]} if note else {},
    )
    return figure(points._data, layout), len(points._data) - 1


def cost_axis(low: float, high: float) -> dict:
    """A log axis from ``low`` to ``high`` (> 0) whose labels stay apart: within a few
    decades the 1-2-5 steps in plain numbers; over more (a diverging run's 10⁸), one label
    every few decades, as powers of ten."""
    decades = np.log10(high) - np.log10(low)
    pad = 0.08 * max(decades, 0.5)
    axis = {"type": "log", "range": [np.log10(low) - pad, np.log10(high) + pad]}
    if decades <= COST_PLAIN_DECADES:
        return axis | {"tickformat": "~g", "dtick": "D2"}
    every = int(np.ceil(decades / COST_DECADE_LABELS))
    return axis | {"dtick": every, "exponentformat": "power", "showexponent": "all"}


COST_PLAIN_DECADES = 2.5  # above this span the cost axis labels powers of ten
COST_DECADE_LABELS = 5  # at most this many labels then (one every k decades)


def cost_epoch_figure(
    costs: np.ndarray,
    *,
    minimum_cost: float,
    colour: str,
    name: str,
    current: int,
    height: int = 400,
) -> go.Figure:
    """The cost after each epoch on a log axis (trace `COST_CURVE`), J* as a dashed
    reference line, and the current epoch's marker (trace `COST_CURRENT`)."""
    last = max(costs.size - 1, 1)
    finite = costs[np.isfinite(costs) & (costs > 0)]
    reference = minimum_cost if minimum_cost > 0 else None
    data = [
        {
            "type": "scatter",
            # Epoch k at x = k, from x0 and dx: no array of epochs to send.
            "x0": 0,
            "dx": 1,
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
        _marker(
            "now",
            [current],
            [float(costs[current])],
            {"color": colour, "size": 12, "line": {"color": "white", "width": 2}},
            "epoch %{x}<br>J = %{y:.6g}",
        ),
    ]
    low = min(float(finite.min()) if finite.size else 1.0, reference or np.inf)
    high = float(finite.max()) if finite.size else 1.0
    low = max(low, high * 1e-12)  # a J* of ~0 (noise-free data) would stretch the axis
    layout = axes_layout(
        "epoch",
        "cost J (log scale)",
        height=height,
        xaxis={"range": [-0.01 * last, 1.01 * last]},
        yaxis=cost_axis(low, high),
    )
    return figure(data, layout)


def growing(coordinates: Sequence[np.ndarray], ends: np.ndarray) -> list[np.ndarray]:
    """For each index in ``ends`` (ascending), the indices of the points a growing trace
    draws up to it: the points kept by distance (each more than the tolerance from the last
    kept in some coordinate, `DRAWN_TOLERANCE` of a unit, the tolerance doubled until all
    of them hold at most `MAX_DRAWN` points), then that end unless it lies within the
    tolerance of the last one kept. So a path that has stopped moving draws the same
    points frame after frame, and those travel once (`ui.frames.patched_frames` pools them).

    ``coordinates``: two (n,) arrays, one per axis, in units of the axis's span (a view 1
    wide).
    """
    points = np.column_stack([np.asarray(values, dtype=np.float64) for values in coordinates])
    points = np.where(np.isfinite(points), points, 0.0)
    # Walked as Python floats: one comparison per point, where a NumPy call per point costs
    # more than the work (the same float operations, so the same points are kept).
    rows = points.tolist()
    ends = np.asarray(ends, dtype=np.int64)
    tolerance = DRAWN_TOLERANCE
    while True:
        kept = _kept(rows, tolerance)
        counts = np.searchsorted(kept, ends, side="right")
        if int(counts.sum()) + ends.size <= MAX_DRAWN or tolerance > 1.0:
            break
        tolerance *= 2
    drawn = []
    for end, count in zip(ends.tolist(), counts.tolist(), strict=True):
        head = kept[:count]
        (end_a, end_b), (last_a, last_b) = rows[end], rows[head[-1]]
        near = abs(end_a - last_a) <= tolerance and abs(end_b - last_b) <= tolerance
        drawn.append(head if near else np.append(head, end))
    return drawn


def _kept(rows: list[list[float]], tolerance: float) -> np.ndarray:
    """The indices of ``rows`` ((a, b) pairs) each more than ``tolerance`` from the last one
    kept in a or in b, the first always kept."""
    kept = [0]
    last_a, last_b = rows[0]
    for index in range(1, len(rows)):
        a, b = rows[index]
        if abs(a - last_a) > tolerance or abs(b - last_b) > tolerance:
            kept.append(index)
            last_a, last_b = a, b
    return np.asarray(kept, dtype=np.int64)


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
    spans: tuple[float, float],
) -> tuple[Animated, Animated, Animated]:
    """The three charts with one frame per epoch in ``epochs`` (the scrubber's steps):
    `landscape_frames`, then `line_and_cost_frames`."""
    return (
        landscape_frames(
            landscape, epochs=epochs, intercepts=intercepts, slopes=slopes, spans=spans
        ),
        *line_and_cost_frames(
            data_chart,
            data_line,
            cost_chart,
            epochs=epochs,
            intercepts=intercepts,
            slopes=slopes,
            costs=costs,
            x_range=x_range,
        ),
    )


def landscape_frames(
    landscape: go.Figure,
    *,
    epochs: np.ndarray,
    intercepts: np.ndarray,
    slopes: np.ndarray,
    spans: tuple[float, float],
) -> Animated:
    """The landscape with one frame per epoch in ``epochs`` (the scrubber's steps): the path
    grows to that epoch (`growing`, ``spans``: the landscape's a and b spans) and the
    current point moves. Apart from the other two charts: only this one depends on the
    window and on "show the whole path"."""
    paths = growing([intercepts / spans[0], slopes / spans[1]], epochs)
    # Element-wise, so drawn once for the whole path and indexed per step. Each step's path
    # is the last step's up to some point, then at most its own end: it travels as that
    # share of the last one (`Prefix`), not as its points again.
    drawn_a, drawn_b = as_drawn(intercepts), as_drawn(slopes)
    longest = paths[-1] if paths else np.zeros(0, dtype=np.int64)
    full_a, full_b = drawn_a[longest], drawn_b[longest]
    lands = []
    for path, a, b in zip(paths, intercepts[epochs].tolist(), slopes[epochs].tolist(), strict=True):
        reach = min(path.size, longest.size)
        same = path[:reach] == longest[:reach]
        count = reach if same.all() else int(np.argmin(same))
        tail = path[count:]
        lands.append(
            {
                LANDSCAPE_PATH: {
                    "x": Prefix(full_a, count, drawn_a[tail]),
                    "y": Prefix(full_b, count, drawn_b[tail]),
                },
                LANDSCAPE_CURRENT: {"x": [a], "y": [b]},
            }
        )
    return patched_frames(landscape, lands)


def line_and_cost_frames(
    data_chart: go.Figure,
    data_line: int,
    cost_chart: go.Figure,
    *,
    epochs: np.ndarray,
    intercepts: np.ndarray,
    slopes: np.ndarray,
    costs: np.ndarray,
    x_range: tuple[float, float],
) -> tuple[Animated, Animated]:
    """The data and cost charts with one frame per epoch in ``epochs``: the line on the data
    and the cost marker move. (The cost curve is drawn whole: grown as the path is, its
    frames would carry most epochs each.)"""
    left, right = (float(end) for end in x_range)
    lines, marks = [], []
    for epoch, a, b, cost in zip(
        epochs.tolist(),
        intercepts[epochs].tolist(),
        slopes[epochs].tolist(),
        costs[epochs].tolist(),
        strict=True,
    ):
        heights = [a + b * left, a + b * right]  # the line's ends, as floats: exact as NumPy's
        lines.append(
            {
                data_line: {
                    "y": heights,
                    "hovertemplate": f"epoch {epoch}<br>ŷ = {a:.4g} + {b:.4g}·x<extra></extra>",
                }
            }
        )
        marks.append({COST_CURRENT: {"x": [epoch], "y": [cost]}})
    return patched_frames(data_chart, lines), patched_frames(cost_chart, marks)
