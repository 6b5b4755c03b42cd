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
from ui.frames import Scaled, Subset, Where, checked, set_path
from ui.regression_charts import (
    RESIDUAL_TITLE,
    Line,
    axes_layout,
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
    gradient, with ``marks`` (±δ): a mark beyond the axis is hidden, not left out, so every
    δ's chart has the same shapes (`limits_patch` moves them).

    The y-axes are scaled to Huber's own curve, so the limit it follows coincides
    with it and the other leaves the plot.
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
        marks=unlabelled(marks),
        height=height,
    )
    layout = with_annotations(layout, mark_labels(marks))
    for path, value in _moving_layout(limits.huber, marks, span).items():
        layout = set_path(layout, path, value)
    ranges = {"xaxis": {"range": [-span, span]}, "xaxis2": {"range": [-span, span]}}
    return data, merged(layout, ranges)


def huber_name(delta: float) -> str:
    return f"Huber, δ = {delta:g}"


def _moving_layout(huber: tuple, marks: Sequence[tuple[float, str]], span: float) -> dict:
    """The layout values of `huber_limits_spec` that change with δ, by dotted path: the
    y-ranges (scaled to Huber) and each mark's lines (rows 1 and 2) and labels (one empty
    from `marks_layout`, one from `mark_labels`)."""
    top = 1.25 * float(np.max(huber[0]))
    steepest = 1.25 * float(np.max(np.abs(huber[1])))
    moving = {"yaxis.range": [-0.04 * top, top], "yaxis2.range": [-steepest, steepest]}
    for number, (position, label) in enumerate(marks):
        inside = -span <= position <= span
        for shape in (2 * number, 2 * number + 1):
            moving |= {
                f"shapes.{shape}.x0": position,
                f"shapes.{shape}.x1": position,
                f"shapes.{shape}.visible": inside,
            }
        for note in (number, len(marks) + number):
            moving |= {f"annotations.{note}.x": position, f"annotations.{note}.visible": inside}
        moving[f"annotations.{len(marks) + number}.text"] = f" {label} "
    return moving


def limits_patch(
    residual_axis: np.ndarray,
    limits: HuberLimits,
    shared: tuple[np.ndarray, ...],
    delta: float,
    marks: Sequence[tuple[float, str]],
) -> tuple[dict, dict]:
    """What `huber_limits_spec` at δ changes in the chart it drew at another δ on the same
    axis: (trace patches, layout patches by dotted path), for `ui.frames.patched_frames`.
    ``shared``: ½r², r, |r| and sign(r) on the axis as drawn (`limits_shared`), which every
    δ shares and which travel once.

    δ·MAE travels as |r| and δ (`Scaled`), and Huber as ½r² within ±δ and δ|r| − ½δ² beyond
    (`Where`), each checked against the core's curve (`ui.frames.checked`; sent in full
    where they differ).
    """
    name = huber_name(delta)
    half_square, residual, size, sign = shared
    inside = np.abs(residual_axis) <= delta
    short_value = Where(inside, half_square, Scaled(size, delta, -0.5 * delta * delta))
    short_grad = Where(inside, residual, Scaled(sign, delta))
    traces = {
        index: {
            "y": checked(exact, short),
            "name": name,
            "legendgroup": "huber" + name,
            "hovertemplate": f"{name}<br>x = %{{x:.4g}}<br>{what} = %{{y:.5g}}<extra></extra>",
        }
        for index, exact, short, what in (
            (0, limits.huber[0], short_value, "loss"),
            (1, limits.huber[1], short_grad, "gradient"),
        )
    }
    for index, exact, unit in ((4, limits.delta_mae[0], size), (5, limits.delta_mae[1], sign)):
        traces[index] = {"y": checked(exact, Scaled(unit, delta))}
    span = float(np.max(np.abs(residual_axis)))
    return traces, _moving_layout(limits.huber, marks, span)


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
    if points is not None:
        for trace, mask in zip(zones, (drawn & quadratic, drawn & ~quadratic), strict=True):
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
_POINTS_MOVING = ("x", "y", "name", "hovertemplate")
ZONES_MOVING = (("y", "name"), _POINTS_MOVING, _POINTS_MOVING, ("y", "name", "hovertemplate"))


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


def sweep_patch(
    figure_data: Sequence[dict], current_delta: float, current_line: dict
) -> tuple[dict, dict]:
    """What `sweep_spec` at another δ changes in the chart ``figure_data`` (its traces):
    the ★ on each row and the dotted line at δ: (trace patches, layout patches by path)."""
    stars = [index for index, trace in enumerate(figure_data) if trace["name"] == CURRENT]
    traces = {
        index: {"x": [current_delta], "y": [current_line[key]]}
        for index, key in zip(stars, ("slope", "intercept"), strict=True)
    }
    layout = {f"shapes.{row}.{end}": current_delta for row in (0, 1) for end in ("x0", "x1")}
    return traces, layout
