"""Figures for the "Regression & outliers" page, and the pieces the Huber δ lab shares.

Pure functions: arrays in, `go.Figure` out (no Streamlit). Every number is computed
in `losses`; at most `MAX_POINTS_DRAWN` points of a scatter are drawn, outliers first.
The Huber δ lab's figures are in `ui.huber_charts`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lessons.robustness import CostDrop
from ui.charts import (
    FONT_SIZE,
    POINT_COLOUR,
    TRUTH_COLOUR,
    Curve,
    as_drawn,
    colour_for,
    drawing_indices,
    figure,
    loss_and_gradient_spec,
    merged,
    style_layout,
)

RESIDUAL_TITLE = "residual r = ŷ − y"
COST_TITLE = "cost above the final, % of J₀"
OUTLIER_COLOUR = "#333333"
POINT_HOVER = "x = %{x:.4g}<br>y = %{y:.4g}"
ADDED_COLOUR = "#882255"  # Tol's wine: apart from every loss colour and the grey points
ADDED_NAME = "your point"
ADDED_TRACE = 2  # the index of the added points' trace in `fits_figure`


@dataclass(frozen=True)
class Line:
    """A straight line ŷ = intercept + slope·x to draw, with its legend name and colour."""

    name: str
    intercept: float
    slope: float
    colour: str
    dash: str = "solid"
    width: float = 3.0


def true_line(attrs: dict) -> Line | None:
    """The dotted line that generated the data (``attrs`` of `losses.data.make_regression`),
    or None for a student's file, where no true line is known."""
    if attrs.get("true_slope") is None:
        return None
    return Line(
        "true line",
        attrs["true_intercept"],
        attrs["true_slope"],
        TRUTH_COLOUR,
        dash="dot",
        width=2.5,
    )


def clip_to_span(marks, span: float) -> list[tuple[float, str]]:
    """The (position, label) marks with |position| ≤ ``span``: those inside the drawn range."""
    return [(position, label) for position, label in marks if -span <= position <= span]


def mark_labels(marks: Sequence[tuple[float, str]]) -> list[dict]:
    """Annotations labelling each mark beside its line, never across it: ±δ on the side
    away from r = 0 (so their labels never overlap), a mark at r = 0 to its right."""
    labels = []
    for position, label in marks:
        side = "right" if position < 0 else "left"
        labels.append(
            {
                "x": position,
                "y": 1.0,
                "yref": "y domain",
                "text": f" {label} ",
                "showarrow": False,
                "xanchor": side,
                "xshift": -4 if side == "right" else 4,
                "yanchor": "top",
                "bgcolor": "rgba(255, 255, 255, 0.85)",
                "font": {"size": FONT_SIZE - 2, "color": "#444444"},
            }
        )
    return labels


def with_annotations(layout: dict, annotations: list[dict]) -> dict:
    """``layout`` with ``annotations`` appended to its own (a new dict)."""
    return layout | {"annotations": [*layout.get("annotations", []), *annotations]}


def unlabelled(marks) -> list[tuple[float, str]]:
    """The marks without their labels: lines only, labelled once by `mark_labels`."""
    return [(position, "") for position, _ in marks]


def loss_curve_figure(
    loss_id: str,
    name: str,
    residual_axis: np.ndarray,
    value: np.ndarray,
    grad: np.ndarray,
    *,
    marks: Sequence[tuple[float, str]] = (),
    height: int = 520,
) -> go.Figure:
    """One loss (top) and its gradient (bottom) against the residual, linked x-axes.

    Marks outside the drawn residual range are left out (the page says so).
    """
    span = float(np.max(np.abs(residual_axis)))
    marks = clip_to_span(marks, span)
    data, layout = loss_and_gradient_spec(
        residual_axis,
        [Curve(loss_id, name, value, grad)],
        x_title=RESIDUAL_TITLE,
        value_title="loss ℓ(r)",
        grad_title="gradient ∂ℓ/∂ŷ",
        marks=unlabelled(marks),
        height=height,
    )
    layout = merged(layout, {"xaxis": {"range": [-span, span]}, "xaxis2": {"range": [-span, span]}})
    return figure(data, with_annotations(layout, mark_labels(marks)))


# Traces as plain dicts (validated once, when a figure is built from them): a go.Scatter
# per trace is validated again, which the Huber lab's 41 frames would pay 123 times.
def points_trace(x, y, mask, *, name, colour, symbol="circle", size=7, opacity=0.65, hover=None):
    """A marker scatter of the points (x, y) where ``mask`` (bool (n,)) is set."""
    return {
        "type": "scatter",
        "x": as_drawn(x[mask]),
        "y": as_drawn(y[mask]),
        "mode": "markers",
        "name": name,
        "marker": {"color": colour, "symbol": symbol, "size": size, "opacity": opacity},
        "hovertemplate": (hover or POINT_HOVER) + f"<extra>{name}</extra>",
    }


def line_trace(line: Line, x_range: tuple[float, float]) -> dict:
    """``line`` drawn from x_range[0] to x_range[1], its equation in the hover."""
    ends = np.array(x_range, dtype=np.float64)
    return {
        "type": "scatter",
        "x": as_drawn(ends),
        "y": as_drawn(line.intercept + line.slope * ends),
        "mode": "lines",
        "name": line.name,
        "line": {"color": line.colour, "dash": line.dash, "width": line.width},
        "hovertemplate": f"{line.name}<br>ŷ = {line.intercept:.4g} + {line.slope:.4g}·x"
        "<br>x = %{x:.4g}, ŷ = %{y:.4g}<extra></extra>",
    }


def drawn_mask(n: int, keep) -> np.ndarray:
    """bool (n,): the points a scatter draws (at most `MAX_POINTS_DRAWN`, ``keep`` always in)."""
    drawn = np.zeros(n, dtype=bool)
    drawn[drawing_indices(n, keep=keep)] = True
    return drawn


# A student's ★ is what a lecture's scene points at: big enough to find on a projector.
STAR_SIZE = 24


def added_trace(x, y, is_added) -> dict:
    """The points a student placed: large outlined stars, in the order placed (a click on
    marker i removes the i-th added point)."""
    hover = POINT_HOVER + "<br>click to remove"
    trace = points_trace(
        x,
        y,
        is_added,
        name=ADDED_NAME,
        colour=ADDED_COLOUR,
        symbol="star",
        size=STAR_SIZE,
        opacity=1.0,
        hover=hover,
    )
    trace["marker"]["line"] = {"color": "white", "width": 1}
    return trace


def fits_figure(
    x: np.ndarray,
    y: np.ndarray,
    is_outlier: np.ndarray,
    lines: Sequence[Line],
    *,
    is_added: np.ndarray | None = None,
    height=520,
) -> go.Figure:
    """The data, outliers highlighted, the points a student added as stars (trace
    `ADDED_TRACE`), with the given lines (truth, fits) over the x range."""
    is_added = np.zeros(x.size, dtype=bool) if is_added is None else is_added
    drawn = drawn_mask(x.size, is_outlier | is_added)
    ordinary = drawn & ~is_outlier & ~is_added
    x_range = (float(np.min(x)), float(np.max(x)))
    data = [
        points_trace(x, y, ordinary, name="ordinary point", colour=POINT_COLOUR),
        points_trace(
            x,
            y,
            drawn & is_outlier,
            name="outlier",
            colour=OUTLIER_COLOUR,
            symbol="x-thin-open",
            size=9,
            opacity=0.9,
        ),
        added_trace(x, y, is_added),
        *(line_trace(line, x_range) for line in lines),
    ]
    return figure(data, axes_layout("x", "y", height=height))


COLOUR_BAR_BELOW_PX = 80  # the weights chart's margin for its colour bar under the x axis


def weights_figure(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    residual: np.ndarray,
    is_outlier: np.ndarray,
    line: Line,
    *,
    is_added: np.ndarray | None = None,
    height: int = 600,
) -> go.Figure:
    """The data coloured by each point's effective weight w ∈ [0, 1] in the fit (pale = ignored).

    Outliers are drawn as diamonds, added points as stars; hover gives x, y, the residual
    and the weight.
    """
    is_added = np.zeros(x.size, dtype=bool) if is_added is None else is_added
    drawn = drawn_mask(x.size, is_outlier | is_added)
    scale = [[0.0, "#F2F2F2"], [1.0, line.colour]]
    data = []
    for mask, name, symbol in (
        (drawn & ~is_outlier & ~is_added, "ordinary point", "circle"),
        (drawn & is_outlier, "outlier", "diamond"),
        (is_added, ADDED_NAME, "star"),
    ):
        data.append(
            {
                "type": "scatter",
                "x": as_drawn(x[mask]),
                "y": as_drawn(y[mask]),
                # The hover reads the weight from the colour array (a per-point attribute):
                # sent once, not again beside the residual.
                "customdata": as_drawn(residual[mask]),
                "mode": "markers",
                "name": name,
                "marker": {
                    "color": as_drawn(weight[mask]),
                    "coloraxis": "coloraxis",
                    "symbol": symbol,
                    "size": {"diamond": 9, "star": STAR_SIZE}.get(symbol, 7),
                    "line": {
                        "color": ADDED_COLOUR if symbol == "star" else "#7F7F7F",
                        "width": 1.2 if symbol == "star" else 0.6,
                    },
                },
                "hovertemplate": POINT_HOVER + "<br>r = %{customdata:.4g}"
                "<br>weight w = %{marker.color:.3f}" + f"<extra>{name}</extra>",
            }
        )
    data.append(line_trace(line, (float(np.min(x)), float(np.max(x)))))
    # The colour bar lies under the plot: beside it, the bar and its title took ~80 of a
    # phone chart's 358 px. (A narrow layout switching the bar's orientation left Plotly
    # drawing both bars after a redraw, so it is under the plot at every width.)
    layout = axes_layout("x", "y", height=height)
    layout["margin"]["b"] += COLOUR_BAR_BELOW_PX
    layout["coloraxis"] = {
        "colorscale": scale,
        "cmin": 0.0,
        "cmax": 1.0,
        "colorbar": {
            "title": {"text": "weight w", "side": "top"},
            "orientation": "h",
            "len": 0.6,
            "thickness": 12,
            "x": 0.5,
            "xanchor": "center",
            "y": -0.2,
            "yanchor": "top",
        },
    }
    return figure(data, layout)


def cost_figure(drop: CostDrop, loss_id: str, name: str, *, height=400) -> go.Figure:
    """The fit's cost J at each iterate as its excess over the final cost, in % of J₀.

    ``drop``: `robustness.cost_drop` of the fit's cost history. The y-axis starts at 0
    (the final cost), so a curve that fills the height is as tall as the whole drop, which
    the axis gives in % of the starting cost (a 0.27 % drop reads 0.27 %, not a cliff).
    """
    steps = np.arange(drop.cost.size)
    trace = {
        "type": "scatter",
        "x": steps,
        "y": 100 * drop.excess,
        "customdata": drop.cost,
        "mode": "lines+markers",
        "name": name,
        "line": {"color": colour_for(loss_id), "width": 3},
        "marker": {"size": 9},
        "hovertemplate": "iteration %{x}<br>cost J = %{customdata:.6g}"
        "<br>%{y:.3g} % of J₀ above the final cost<extra></extra>",
    }
    last = max(int(steps[-1]), 1)
    top = 100 * drop.drop if drop.drop > 0 else 1.0
    layout = axes_layout(
        "iteration k",
        COST_TITLE,
        height=height,
        xaxis={"tick0": 0, "dtick": max(1, math.ceil(last / 8)), "range": [-0.3, last + 0.3]},
        yaxis={
            "range": [0, 1.08 * top],
            "nticks": 5,
            "tickformat": "~g",
            "ticksuffix": " %",
            "automargin": True,
            "title": {"standoff": 12},
        },
    )
    return figure([trace], layout)


def axes_layout(x_title: str, y_title: str, *, height: int, **axes: dict) -> dict:
    """`style_layout` for one pair of axes titled ``x_title``/``y_title``; ``axes``
    (``xaxis={...}``, ``yaxis={...}``) adds to each axis."""
    return merged(
        style_layout(height=height),
        {"xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}}},
        axes,
    )


def estimates_figure(
    values, is_outlier, found, *, picked: str, x_title: str, height: int = 360
) -> go.Figure:
    """The data's values on a strip (outliers ×), and each loss's best constant as a vertical
    line in its colour (the ``picked`` loss's thicker, its label bold), labelled at its own
    height so neighbouring labels do not overlap."""
    values = np.asarray(values, dtype=np.float64)
    drawn = np.zeros(values.size, dtype=bool)
    drawn[drawing_indices(values.size, keep=is_outlier)] = True
    # Spread up and down by the golden-ratio sequence: even, and unrelated to the values (a
    # seeded generator would repeat the data generator's own stream: seed 0 drew x with it).
    jitter = 0.7 * ((np.arange(values.size) * 0.6180339887498949) % 1.0 - 0.5)
    hover = "value = %{x:.4g}"
    data = [
        points_trace(
            values, jitter, drawn & ~is_outlier, name="value", colour=POINT_COLOUR, hover=hover
        ),
        points_trace(
            values,
            jitter,
            drawn & is_outlier,
            name="outlier",
            colour=POINT_COLOUR,
            symbol="x",
            size=8,
            opacity=0.9,
            hover=hover,
        ),
    ]
    shapes, notes = [], []
    order = sorted(range(len(found)), key=lambda index: found[index].value)
    for rank, index in enumerate(order):
        estimate = found[index]
        colour = colour_for(estimate.loss_id)
        shapes.append(
            {
                "type": "line",
                "x0": estimate.value,
                "x1": estimate.value,
                "xref": "x",
                "y0": -0.5,
                "y1": 0.5 + 0.22 * (rank + 1),
                "yref": "y",
                "line": {"color": colour, "width": 6 if estimate.loss_id == picked else 2.5},
            }
        )
        notes.append(
            {
                "x": estimate.value,
                "y": 0.5 + 0.22 * (rank + 1),
                "xref": "x",
                "yref": "y",
                "text": (
                    f"<b>{estimate.name.split(' (')[0]}: {estimate.value:.3g}</b>"
                    if estimate.loss_id == picked
                    else f"{estimate.name.split(' (')[0]}: {estimate.value:.3g}"
                ),
                "showarrow": False,
                "xanchor": "left",
                "xshift": 4,
                "font": {"color": colour, "size": FONT_SIZE - 1},
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": [estimate.value],
                "y": [0.0],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "symbol": "diamond",
                    "size": 18 if estimate.loss_id == picked else 11,
                },
                "name": estimate.name,
                "showlegend": False,
                "hovertemplate": f"{estimate.name} ({estimate.setting}): best constant "
                f"{estimate.value:.6g}<br>{estimate.what}<extra></extra>",
            }
        )
    top = 0.5 + 0.22 * (len(found) + 1.5)
    layout = merged(
        style_layout(height=height),
        {
            "shapes": shapes,
            "annotations": notes,
            "showlegend": False,
            "xaxis": {"title": {"text": x_title}},
            "yaxis": {
                "range": [-0.6, top],
                "showticklabels": False,
                "zeroline": False,
                "title": {"text": "points (spread out)"},
            },
            "margin": {"t": 20},
        },
    )
    return figure(data, layout)
