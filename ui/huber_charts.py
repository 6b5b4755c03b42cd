"""Figures for the "Huber δ lab" page: Huber beside ½r² and δ|r| (it is never above
either), the data by Huber zone, and the fitted line as δ sweeps.

Pure functions: arrays in, (traces, layout) specs out, for `ui.charts.figure` or, one per δ
step, for `ui.live_chart.animate` (no Streamlit). Every number is computed in `losses`; at
most `MAX_POINTS_DRAWN` points of a scatter are drawn.
"""

from __future__ import annotations

import math
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
)
from ui.frames import Scaled, Subset, Where, checked, set_path
from ui.regression_charts import (
    POINT_HOVER,
    RESIDUAL_TITLE,
    Line,
    axes_layout,
    drawn_mask,
    line_trace,
    points_trace,
)

LINEAR_ZONE_COLOUR = colour_for("mae")


def huber_limits_spec(
    residual_axis: np.ndarray,
    limits: HuberLimits,
    delta: float,
    *,
    tops: tuple[float, float] | None = None,
    height: int = 560,
) -> tuple[list[dict], dict]:
    """The traces and layout of Huber at δ beside ½·MSE and δ·MAE (dashed), loss and
    gradient, with dotted lines at ±δ (a trace per panel, clipped beyond the axis).

    The y-axes are scaled to Huber's own curve: ``tops`` (the loss axis's top, the gradient
    axis's half-height; `shared_tops`, for a δ among others), else `nice_above` 1.05 times
    its largest value and slope. The limit Huber follows coincides with it and the other
    leaves the plot. Everything δ moves (`_limits_moving`) changes only trace values, names
    and the two y-ranges, which the browser redraws without Plotly's full pipeline while
    the ranges stay (`ui/live_chart.js` quickMove).
    """
    span = float(np.max(np.abs(residual_axis)))
    curves = [
        Curve("huber", huber_name(delta), *limits.huber),
        Curve("mse", "½·MSE = ½r² (δ → ∞)", *limits.half_mse, dash="dash"),
        Curve("mae", "δ·MAE = δ|r| (small δ)", *limits.delta_mae, dash="dash"),
    ]
    data, layout = loss_and_gradient_spec(
        residual_axis,
        curves,
        x_title=RESIDUAL_TITLE,
        value_title="loss ℓ(r)",
        grad_title="gradient ∂ℓ/∂ŷ",
        height=height,
    )
    for trace in data[:2]:  # its name, and so its hover, follows δ; its group does not
        trace["legendgroup"] = "huber"
        trace["hovertemplate"] = trace["hovertemplate"].replace(
            huber_name(delta), "%{fullData.name}", 1
        )
    for row in (1, 2):
        x_axis, y_axis = axis_names(row)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "",
                "legendgroup": "marks",
                "showlegend": row == 1,
                "line": {"color": "#666666", "dash": "dot", "width": 1.5},
                "hoverinfo": "skip",
                "xaxis": x_axis,
                "yaxis": y_axis,
            }
        )
    traces, moving = _limits_moving(limits, delta, span, tops)
    for index, props in traces.items():
        data[index] = data[index] | props
    for path, value in moving.items():
        layout = set_path(layout, path, value)
    ranges = {"xaxis": {"range": [-span, span]}, "xaxis2": {"range": [-span, span]}}
    return data, merged(layout, ranges)


def huber_name(delta: float) -> str:
    return f"Huber, δ = {delta:g}"


def nice_above(value: float) -> float:
    """The least of 1, 2 and 5 times a power of ten at or above ``value`` (1 for none):
    an axis top that stays put over several steps of δ, where Huber's own largest value
    would move it at every step."""
    if not (math.isfinite(value) and value > 0):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1.0, 2.0, 5.0, 10.0) if step * power >= value)


MARKS = (6, 7)  # the ±δ lines' traces, top and bottom panel
FILLED = 0.3  # the least share of its axis Huber's largest value or slope fills
ROOM = 1.05  # and the most: its axis top is at least this much above it


def _largest(limits: HuberLimits) -> tuple[float, float]:
    return float(np.max(limits.huber[0])), float(np.max(np.abs(limits.huber[1])))


def _ladder(low: float, high: float) -> list[float]:
    """The 1, 2 and 5 × 10^k from ``low`` to ``high``."""
    if not (math.isfinite(low) and 0 < low <= high):
        return []
    power = 10.0 ** math.floor(math.log10(low))
    tops = []
    while power <= high:
        tops += [step * power for step in (1.0, 2.0, 5.0) if low <= step * power <= high]
        power *= 10.0
    return tops


def shared_tops(every_limits: Sequence[HuberLimits]) -> list[tuple[float, float]]:
    """Each δ's axis tops (loss, gradient), δ in order. An axis top is a 1, 2 or 5 × 10^k
    from `ROOM` times Huber's largest value (or slope) to that over `FILLED`; consecutive
    δs share the least top all of them allow, on both axes at once, as long as one exists.
    Scrubbing δ then redraws the axes every few steps, not at every one, and each frame
    depends only on its δ, not on the way there."""
    runs: list[tuple[list[set[float]], int]] = []  # (the tops each axis allows, δs in the run)
    for limits in every_limits:
        own = [
            set(_ladder(ROOM * value, value / FILLED)) or {nice_above(ROOM * value)}
            for value in _largest(limits)
        ]
        if runs and all(joint := [a & b for a, b in zip(runs[-1][0], own, strict=True)]):
            runs[-1] = (joint, runs[-1][1] + 1)
        else:
            runs.append((own, 1))
    return [tuple(min(axis) for axis in allowed) for allowed, count in runs for _ in range(count)]


def _limits_moving(
    limits: HuberLimits, delta: float, span: float, tops: tuple[float, float] | None = None
) -> tuple[dict, dict]:
    """What `huber_limits_spec` changes with δ on an axis of half-width ``span``, as the
    core computes it: (trace props by index, layout values by dotted path)."""
    top, steepest = tops or tuple(nice_above(1.05 * value) for value in _largest(limits))
    name = huber_name(delta)
    marks_x = [-delta, -delta, None, delta, delta]
    traces = {
        0: {"y": as_drawn(limits.huber[0]), "name": name},
        1: {"y": as_drawn(limits.huber[1]), "name": name},
        4: {"y": as_drawn(limits.delta_mae[0])},
        5: {"y": as_drawn(limits.delta_mae[1])},
        MARKS[0]: {
            "x": marks_x,
            "y": [-0.04 * top, top, None, -0.04 * top, top],
            "name": f"±δ = ±{delta:g}" + ("" if delta <= span else " (off the axis)"),
        },
        MARKS[1]: {"x": marks_x, "y": [-steepest, steepest, None, -steepest, steepest]},
    }
    layout = {"yaxis.range": [-0.04 * top, top], "yaxis2.range": [-steepest, steepest]}
    return traces, layout


def limits_patch(
    residual_axis: np.ndarray,
    limits: HuberLimits,
    shared: tuple[np.ndarray, ...],
    delta: float,
    tops: tuple[float, float],
) -> tuple[dict, dict]:
    """What `huber_limits_spec` at δ changes in the chart it drew at another δ on the same
    axis: (trace patches, layout patches by dotted path), for `ui.frames.patched_frames`.
    ``shared``: ½r², r, |r| and sign(r) on the axis as drawn (`limits_shared`), which every
    δ shares and which travel once; ``tops``: this δ's axis tops (`shared_tops`).

    δ·MAE travels as |r| and δ (`Scaled`), and Huber as ½r² within ±δ and δ|r| − ½δ² beyond
    (`Where`), each checked against the core's curve (`ui.frames.checked`; sent in full
    where they differ).
    """
    half_square, residual, size, sign = shared
    inside = np.abs(residual_axis) <= delta
    short = {
        0: Where(inside, half_square, Scaled(size, delta, -0.5 * delta * delta)),
        1: Where(inside, residual, Scaled(sign, delta)),
        4: Scaled(size, delta),
        5: Scaled(sign, delta),
    }
    exact = {0: limits.huber[0], 1: limits.huber[1], 4: limits.delta_mae[0], 5: limits.delta_mae[1]}
    span = float(np.max(np.abs(residual_axis)))
    traces, layout = _limits_moving(limits, delta, span, tops)
    for index, form in short.items():
        traces[index] = traces[index] | {"y": checked(exact[index], form)}
    return traces, layout


def limits_shared(limits: HuberLimits, mae: tuple[np.ndarray, np.ndarray]) -> tuple:
    """The arrays `limits_patch` shares across δ, as drawn: ½r² and its gradient r (from
    ``limits``, any δ), and MAE's |r| and sign(r) (``mae``)."""
    return tuple(as_drawn(values) for values in (*limits.half_mse, *mae))


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
    # The band can be far wider than the data (δ = 100): frame the points, not the band.
    room = 0.05 * (float(np.max(y) - np.min(y)) or 1.0)
    y_range = [float(np.min(y)) - room, float(np.max(y)) + room]
    data = _zones_traces(x, y, quadratic, delta, line)
    return data, axes_layout("x", "y", height=height, yaxis={"range": y_range})


def _zones_traces(x, y, quadratic, delta: float, line: Line, points=None) -> list[dict]:
    """`zones_spec`'s traces; ``points(mask)``: a zone's (x, y) (default: the drawn
    points, ``as_drawn(x[mask])``)."""
    drawn = drawn_mask(x.size, ~quadratic if quadratic.mean() > 0.5 else quadratic)
    x_range = np.array([float(np.min(x)), float(np.max(x))])
    fitted = line.intercept + line.slope * x_range
    inside, outside = int(quadratic.sum()), int((~quadratic).sum())
    zones = [
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
    ]
    for trace, mask in zip(zones, (drawn & quadratic, drawn & ~quadratic), strict=True):
        # The zone's name (its count) follows δ; its hover template names it, unchanged.
        trace["hovertemplate"] = POINT_HOVER + "<extra>%{fullData.name}</extra>"
        if points is not None:
            trace["x"], trace["y"] = points(mask)
    band = {
        "type": "scatter",
        "x": as_drawn(np.concatenate([x_range, x_range[::-1]])),
        "y": as_drawn(np.concatenate([fitted - delta, (fitted + delta)[::-1]])),
        "fill": "toself",
        "mode": "lines",
        "line": {"width": 0},
        "fillcolor": "rgba(0, 158, 115, 0.15)",
        "name": f"band ŷ ± δ (δ = {delta:g})",
        "hoverinfo": "skip",
    }
    return [band, *zones, line_trace(line, tuple(x_range))]


# Per trace of `zones_spec`: the keys that change with δ (band, two zones, line).
ZONES_MOVING = (
    ("y", "name"),
    ("x", "y", "name"),
    ("x", "y", "name"),
    ("y", "name", "hovertemplate"),
)


def zones_patch(x, y, quadratic, delta: float, line: Line, drawn: tuple | None = None) -> dict:
    """What `zones_spec` at δ changes in the chart drawn at another δ (same data): the
    band, each zone's points and the line, by trace. A zone's points travel as a mask of
    the data (`Subset`), which every δ shares (``drawn``: the data as drawn, x and y, made
    once for every δ)."""
    drawn_x, drawn_y = drawn or (as_drawn(x), as_drawn(y))
    traces = _zones_traces(
        x,
        y,
        quadratic,
        delta,
        line,
        points=lambda mask: (Subset(drawn_x, mask), Subset(drawn_y, mask)),
    )
    return {
        index: {key: trace[key] for key in keys}
        for index, (trace, keys) in enumerate(zip(traces, ZONES_MOVING, strict=True))
    }


CURRENT = "current δ"
NOW_LINE = "δ now"  # the dotted line at the current δ (no legend entry)


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
    the current δ is a vertical dotted line with its fit marked. The line is a trace
    across the row's y-range (set here, 8 % beyond the values), not a layout shape, so the
    browser moves it without Plotly's full pipeline (`ui/live_chart.js` quickMove).
    """
    deltas = sweep.deltas
    ends = np.array([deltas.min(), deltas.max()])
    rows = (
        (1, "slope", sweep.slopes, "slope b"),
        (2, "intercept", sweep.intercepts, "intercept a"),
    )
    data, ranges = [], {}
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
                "name": CURRENT,
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
        levels = [float(level) for _, level, _, _ in references if level is not None]
        low, high = min(float(np.min(fitted)), *levels), max(float(np.max(fitted)), *levels)
        room = 0.08 * (high - low) or 0.05 * abs(high) or 1.0
        ranges[y_axis.replace("y", "yaxis")] = {"range": [low - room, high + room]}
        data.append(
            {
                "type": "scatter",
                "x": [current_delta, current_delta],
                "y": [low - room, high + room],
                "mode": "lines",
                "name": NOW_LINE,
                "showlegend": False,
                "line": {"dash": "dot", "color": "#666666", "width": 1.5},
                "hoverinfo": "skip",
                **on_row,
            }
        )
    layout = merged(
        style_layout(height=height),
        stacked_axes(2, 0.1),
        {
            "xaxis": {"type": "log", "title": {"text": ""}},
            "xaxis2": {"type": "log", "title": {"text": "δ (log scale)"}},
            "yaxis": {"title": {"text": "slope b"}},
            "yaxis2": {"title": {"text": "intercept a"}},
        },
        ranges,
    )
    return data, layout


def sweep_patch(
    figure_data: Sequence[dict], current_delta: float, current_line: dict
) -> tuple[dict, dict]:
    """What `sweep_spec` at another δ changes in the chart ``figure_data`` (its traces):
    the ★ on each row and the dotted line at δ: (trace patches, no layout patch)."""
    stars = [index for index, trace in enumerate(figure_data) if trace["name"] == CURRENT]
    lines = [index for index, trace in enumerate(figure_data) if trace["name"] == NOW_LINE]
    traces = {
        index: {"x": [current_delta], "y": [current_line[key]]}
        for index, key in zip(stars, ("slope", "intercept"), strict=True)
    }
    traces |= {index: {"x": [current_delta, current_delta]} for index in lines}
    return traces, {}
