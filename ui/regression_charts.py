"""Figures for the "Regression & outliers" and "Huber δ lab" pages.

Pure functions: arrays in, `go.Figure` out (no Streamlit). Every number is computed
in `losses`; at most `MAX_POINTS_DRAWN` points of a scatter are drawn, outliers first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from losses.robustness import DeltaSweep, HuberLimits
from ui.charts import (
    FONT_SIZE,
    LOSS_COLOURS,
    POINT_COLOUR,
    TRUTH_COLOUR,
    Curve,
    as_drawn,
    colour_for,
    drawing_indices,
    loss_and_gradient_figure,
    style,
)

RESIDUAL_TITLE = "residual r = ŷ − y"
OUTLIER_COLOUR = "#333333"
LINEAR_ZONE_COLOUR = LOSS_COLOURS["mae"]
POINT_HOVER = "x = %{x:.4g}<br>y = %{y:.4g}"


@dataclass(frozen=True)
class Line:
    """A straight line ŷ = intercept + slope·x to draw, with its legend name and colour."""

    name: str
    intercept: float
    slope: float
    colour: str
    dash: str = "solid"
    width: float = 3.0


def _clip_to_span(marks, span: float) -> list[tuple[float, str]]:
    return [(position, label) for position, label in marks if -span <= position <= span]


def _marked(fig: go.Figure, marks: Sequence[tuple[float, str]]) -> go.Figure:
    """Label each mark on the side away from r = 0, so the labels of ±δ never overlap."""
    for position, label in marks:
        side = "right" if position < 0 else "left" if position > 0 else "center"
        fig.add_annotation(
            x=position, y=1.0, yref="y domain", text=f" {label} ", showarrow=False,
            xanchor=side, yanchor="top", bgcolor="rgba(255, 255, 255, 0.85)",
            font={"size": FONT_SIZE - 2, "color": "#444444"},
        )  # fmt: skip
    return fig


def _unlabelled(marks) -> list[tuple[float, str]]:
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
    marks = _clip_to_span(marks, span)
    fig = loss_and_gradient_figure(
        residual_axis, [Curve(loss_id, name, value, grad)], x_title=RESIDUAL_TITLE,
        value_title="loss ℓ(r)", grad_title="gradient ∂ℓ/∂ŷ",
        marks=_unlabelled(marks), height=height,
    )  # fmt: skip
    fig.update_xaxes(range=[-span, span])
    return _marked(fig, marks)


def huber_limits_figure(
    residual_axis: np.ndarray,
    limits: HuberLimits,
    delta: float,
    *,
    marks: Sequence[tuple[float, str]] = (),
    height: int = 560,
) -> go.Figure:
    """Huber at δ beside ½·MSE and δ·MAE (dashed), loss and gradient, with ``marks`` (±δ).

    The y-axes are scaled to Huber's own curve, so the limit it follows coincides
    with it and the other leaves the plot.
    """
    span = float(np.max(np.abs(residual_axis)))
    curves = [
        Curve("huber", f"Huber, δ = {delta:g}", *limits.huber),
        Curve("mse", "½·MSE = ½r² (δ → ∞)", *limits.half_mse, dash="dash"),
        Curve("mae", "δ·MAE = δ|r| (small δ)", *limits.delta_mae, dash="dash"),
    ]
    marks = _clip_to_span(marks, span)
    fig = loss_and_gradient_figure(
        residual_axis, curves, x_title=RESIDUAL_TITLE, value_title="loss ℓ(r)",
        grad_title="gradient ∂ℓ/∂ŷ", marks=_unlabelled(marks), height=height,
    )  # fmt: skip
    _marked(fig, marks)
    top = 1.25 * float(np.max(limits.huber[0]))
    steepest = 1.25 * float(np.max(np.abs(limits.huber[1])))
    fig.update_xaxes(range=[-span, span])
    fig.update_yaxes(range=[-0.04 * top, top], row=1, col=1)
    fig.update_yaxes(range=[-steepest, steepest], row=2, col=1)
    return fig


def _points(x, y, mask, *, name, colour, symbol="circle", size=7, opacity=0.65, hover=None):
    return go.Scatter(
        x=as_drawn(x[mask]),
        y=as_drawn(y[mask]),
        mode="markers",
        name=name,
        marker={"color": colour, "symbol": symbol, "size": size, "opacity": opacity},
        hovertemplate=(hover or POINT_HOVER) + f"<extra>{name}</extra>",
    )


def _line_trace(line: Line, x_range: tuple[float, float]) -> go.Scatter:
    ends = np.array(x_range, dtype=np.float64)
    return go.Scatter(
        x=as_drawn(ends),
        y=as_drawn(line.intercept + line.slope * ends),
        mode="lines",
        name=line.name,
        line={"color": line.colour, "dash": line.dash, "width": line.width},
        hovertemplate=f"{line.name}<br>ŷ = {line.intercept:.4g} + {line.slope:.4g}·x"
        "<br>x = %{x:.4g}, ŷ = %{y:.4g}<extra></extra>",
    )


def _drawn(n: int, keep) -> np.ndarray:
    drawn = np.zeros(n, dtype=bool)
    drawn[drawing_indices(n, keep=keep)] = True
    return drawn


def fits_figure(
    x: np.ndarray, y: np.ndarray, is_outlier: np.ndarray, lines: Sequence[Line], *, height=520
) -> go.Figure:
    """The data, outliers highlighted, with the given lines (truth, fits) over the x range."""
    drawn = _drawn(x.size, is_outlier)
    fig = go.Figure()
    fig.add_trace(_points(x, y, drawn & ~is_outlier, name="ordinary point", colour=POINT_COLOUR))
    fig.add_trace(
        _points(x, y, drawn & is_outlier, name="outlier", colour=OUTLIER_COLOUR,
                symbol="x-thin-open", size=9, opacity=0.9)
    )  # fmt: skip
    x_range = (float(np.min(x)), float(np.max(x)))
    for line in lines:
        fig.add_trace(_line_trace(line, x_range))
    return style(fig, x_title="x", y_title="y", height=height)


def weights_figure(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    residual: np.ndarray,
    is_outlier: np.ndarray,
    line: Line,
    *,
    height: int = 520,
) -> go.Figure:
    """The data coloured by each point's effective weight w ∈ [0, 1] in the fit (pale = ignored).

    Outliers are drawn as diamonds; hover gives x, y, the residual and the weight.
    """
    drawn = _drawn(x.size, is_outlier)
    scale = [[0.0, "#F2F2F2"], [1.0, line.colour]]
    fig = go.Figure()
    for mask, name, symbol in (
        (drawn & ~is_outlier, "ordinary point", "circle"),
        (drawn & is_outlier, "outlier", "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=as_drawn(x[mask]),
                y=as_drawn(y[mask]),
                customdata=np.column_stack([residual[mask], weight[mask]]).astype(np.float32),
                mode="markers",
                name=name,
                marker={
                    "color": as_drawn(weight[mask]),
                    "colorscale": scale,
                    "cmin": 0.0,
                    "cmax": 1.0,
                    "symbol": symbol,
                    "size": 9 if symbol == "diamond" else 7,
                    "line": {"color": "#7F7F7F", "width": 0.6},
                    "colorbar": {"title": {"text": "weight w"}, "len": 0.8, "thickness": 14},
                    "showscale": name == "ordinary point",
                },  # fmt: skip
                hovertemplate=POINT_HOVER + "<br>r = %{customdata[0]:.4g}"
                "<br>weight w = %{customdata[1]:.3f}" + f"<extra>{name}</extra>",
            )
        )
    fig.add_trace(_line_trace(line, (float(np.min(x)), float(np.max(x)))))
    return style(fig, x_title="x", y_title="y", height=height)


def cost_figure(cost_history: np.ndarray, loss_id: str, name: str, *, height=400) -> go.Figure:
    """The fit's cost J (mean loss) at each iterate, start at iteration 0."""
    steps = np.arange(cost_history.size)
    fig = go.Figure(
        go.Scatter(
            x=steps,
            y=np.asarray(cost_history, dtype=np.float64),
            mode="lines+markers",
            name=name,
            line={"color": colour_for(loss_id), "width": 3},
            marker={"size": 9},
            hovertemplate="iteration %{x}<br>cost J = %{y:.6g}<extra></extra>",
        )
    )
    fig = style(fig, x_title="iteration k", y_title="cost J = mean ℓ", height=height)
    last = max(int(steps[-1]), 1)
    fig.update_xaxes(tick0=0, dtick=max(1, math.ceil(last / 8)), range=[-0.3, last + 0.3])
    return fig


def zones_figure(
    x: np.ndarray,
    y: np.ndarray,
    quadratic: np.ndarray,
    delta: float,
    line: Line,
    *,
    height: int = 560,
) -> go.Figure:
    """The data coloured by Huber zone, with the fitted line and its ±δ band.

    ``quadratic`` (bool (n,)) marks |r| ≤ δ. Legend counts cover all n points.
    """
    drawn = _drawn(x.size, ~quadratic if quadratic.mean() > 0.5 else quadratic)
    x_range = np.array([float(np.min(x)), float(np.max(x))])
    fitted = line.intercept + line.slope * x_range
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=as_drawn(np.concatenate([x_range, x_range[::-1]])),
            y=as_drawn(np.concatenate([fitted - delta, (fitted + delta)[::-1]])),
            fill="toself", mode="lines", line={"width": 0},
            fillcolor="rgba(0, 158, 115, 0.15)", name=f"band ŷ ± δ (δ = {delta:g})",
            hoverinfo="skip",
        )
    )  # fmt: skip
    inside, outside = int(quadratic.sum()), int((~quadratic).sum())
    fig.add_trace(
        _points(x, y, drawn & quadratic, name=f"quadratic zone |r| ≤ δ ({inside})",
                colour=colour_for("huber"), opacity=0.8)
    )  # fmt: skip
    fig.add_trace(
        _points(x, y, drawn & ~quadratic, name=f"linear zone |r| > δ ({outside})",
                colour=LINEAR_ZONE_COLOUR, symbol="triangle-up", size=8, opacity=0.8)
    )  # fmt: skip
    fig.add_trace(_line_trace(line, tuple(x_range)))
    # The band can be far wider than the data (δ = 100): frame the points, not the band.
    room = 0.05 * (float(np.max(y) - np.min(y)) or 1.0)
    fig.update_yaxes(range=[float(np.min(y)) - room, float(np.max(y)) + room])
    return style(fig, x_title="x", y_title="y", height=height)


def sweep_figure(
    sweep: DeltaSweep,
    current_delta: float,
    current_line: dict,
    truth: dict,
    *,
    height: int = 560,
) -> go.Figure:
    """Huber's fitted slope (top) and intercept (bottom) against δ on a log axis.

    Horizontal references: the MSE line (δ → ∞), the MAE line (δ → 0) and the truth;
    the current δ is a vertical dotted line with its fit marked.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1)
    deltas = sweep.deltas
    ends = np.array([deltas.min(), deltas.max()])
    rows = (
        (1, "slope", sweep.slopes, "slope b"),
        (2, "intercept", sweep.intercepts, "intercept a"),
    )
    for row, key, fitted, what in rows:
        first = row == 1
        fig.add_trace(
            go.Scatter(
                x=deltas, y=fitted, mode="lines+markers", name="Huber fit at each δ",
                legendgroup="huber", showlegend=first,
                line={"color": colour_for("huber"), "width": 3}, marker={"size": 6},
                hovertemplate=f"δ = %{{x:.3g}}<br>Huber {what} = %{{y:.5g}}<extra></extra>",
            ),
            row=row, col=1,
        )  # fmt: skip
        references = (
            ("MSE fit (δ → ∞)", sweep.mse[key], colour_for("mse"), "dash"),
            ("MAE fit (δ → 0)", sweep.mae[key], colour_for("mae"), "dash"),
            ("true line", truth[key], TRUTH_COLOUR, "dot"),
        )
        for name, level, colour, dash in references:
            fig.add_trace(
                go.Scatter(
                    x=ends, y=[level, level], mode="lines", name=name, legendgroup=name,
                    showlegend=first, line={"color": colour, "dash": dash, "width": 2},
                    hovertemplate=f"{name}<br>{what} = {level:.5g}<extra></extra>",
                ),
                row=row, col=1,
            )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=[current_delta], y=[current_line[key]], mode="markers", name="current δ",
                legendgroup="current", showlegend=first,
                marker={"color": colour_for("huber"), "size": 15, "symbol": "star",
                        "line": {"color": TRUTH_COLOUR, "width": 1.5}},
                hovertemplate=f"current δ = %{{x:.3g}}<br>{what} = %{{y:.5g}}<extra></extra>",
            ),
            row=row, col=1,
        )  # fmt: skip
        fig.add_vline(x=current_delta, line={"dash": "dot", "color": "#666666"}, row=row, col=1)
    style(fig, x_title="", y_title="", height=height)
    fig.update_xaxes(type="log", title_text="δ (log scale)", row=2, col=1)
    fig.update_xaxes(type="log")
    fig.update_yaxes(title_text="slope b", row=1, col=1)
    fig.update_yaxes(title_text="intercept a", row=2, col=1)
    fig.update_layout(font={"size": FONT_SIZE})
    return fig
