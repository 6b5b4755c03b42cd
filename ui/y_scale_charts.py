"""The figure of the Regression page's "scale of y" tab: each loss's fitted cost and Huber's
linear zone as every y is multiplied by s.

Pure function: a `lessons.y_scale.ScaleSweep` in, `go.Figure` out (no Streamlit), built in
one step from a spec with the shared palette and layout of `ui.charts`.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lessons.y_scale import CURVES, ScaleSweep, curve_names, number
from ui.charts import (
    FONT_SIZE,
    as_drawn,
    axis_names,
    colour_for,
    figure,
    merged,
    style_layout,
    subplot_layout,
    vline,
)

# Each curve's loss colour; Huber with δ scaled is Huber's, dashed.
STYLE = {
    "mse": ("mse", "solid"),
    "mae": ("mae", "solid"),
    "huber": ("huber", "solid"),
    "huber_scaled": ("huber", "dash"),
}
# Short enough for a phone's 390 px (the longer first try was cut there).
PANEL_TITLES = ("cost ÷ its cost at s = 1", "Huber's linear zone, |r| > δ")
MARK_COLOUR = "#666666"


def _decade_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Ticks at the powers of ten from ``low`` to ``high``: 0.01×, 1×, 100×, 10,000×."""
    values = [
        10.0**power for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    ]
    return values, [f"{number(value)}×" for value in values]


def y_scale_figure(sweep: ScaleSweep, scale: float, *, height: int = 640) -> go.Figure:
    """Top: each curve's cost ratio J(s)/J(1) on log–log axes. Bottom: how many points the
    Huber fits (δ fixed, δ·s) have in the linear zone. The current ``scale`` is marked."""
    at = sweep.index(scale)
    s = as_drawn(sweep.scales)
    names = dict(zip(CURVES, curve_names(sweep.delta), strict=True))
    data = []

    def curve(panel: int, curve_id: str, values, hover: str, legend: bool) -> None:
        loss_id, dash = STYLE[curve_id]
        x_axis, y_axis = axis_names(panel)
        name = names[curve_id]
        line = {"color": colour_for(loss_id), "width": 3, "dash": dash}
        data.append(
            {
                "type": "scatter",
                "x": s,
                "y": as_drawn(values),
                "mode": "lines",
                "name": name,
                "legendgroup": curve_id,
                "showlegend": legend,
                "line": line,
                "hovertemplate": f"{name}<br>s = %{{x:.3g}}<br>{hover}<extra></extra>",
                "xaxis": x_axis,
                "yaxis": y_axis,
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": [float(sweep.scales[at])],
                "y": [float(values[at])],
                "mode": "markers",
                "name": name,
                "legendgroup": curve_id,
                "showlegend": False,
                "marker": {
                    "color": colour_for(loss_id),
                    "size": 11,
                    "line": {"width": 1.5, "color": "white"},
                },
                "hovertemplate": f"{name}<br>s = %{{x:.3g}} (now)<br>{hover}<extra></extra>",
                "xaxis": x_axis,
                "yaxis": y_axis,
            }
        )

    ratios = {curve_id: sweep.ratio(curve_id) for curve_id in CURVES}
    for curve_id in CURVES:
        curve(1, curve_id, ratios[curve_id], "J(s)/J(1) = %{y:.4g}", True)
    for curve_id, counts in (
        ("huber", sweep.linear_count),
        ("huber_scaled", sweep.scaled_linear_count),
    ):
        curve(2, curve_id, 100 * counts / sweep.n, "%{y:.3g} % of the points linear", False)

    layout = subplot_layout(
        2, 1, shared_xaxes=True, vertical_spacing=0.14, subplot_titles=PANEL_TITLES
    )
    for note in layout["annotations"]:
        note.update(font={"size": FONT_SIZE}, xanchor="left", x=0)
    finite = np.concatenate([values[np.isfinite(values)] for values in ratios.values()])
    top_axis = {"title": {"text": "J(s) ÷ J(1)"}, "type": "log"}
    if finite.size and np.all(finite > 0):
        tick_values, tick_text = _decade_ticks(float(finite.min()), float(finite.max()))
        top_axis |= {"tickmode": "array", "tickvals": tick_values, "ticktext": tick_text}
    current = float(sweep.scales[at])
    mark = {"dash": "dot", "color": MARK_COLOUR, "width": 2}
    layout = merged(
        layout,
        style_layout(height=height),
        {
            "xaxis": {"type": "log", "dtick": 1, "title": {"text": ""}},
            "xaxis2": {
                "type": "log",
                "dtick": 1,
                "title": {"text": "s: every y multiplied by s (log scale)"},
            },
            "yaxis": top_axis,
            "yaxis2": {"title": {"text": "% of the points"}, "range": [0, 105]},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
            "hovermode": "closest",
            "margin": {"t": 40, "b": 150},
        },
    )
    layout["shapes"] = [vline(current, row, mark) for row in (1, 2)]
    layout["annotations"] = [
        *layout["annotations"],
        {
            "x": math.log10(current),
            "xref": "x",
            "y": 1.0,
            "yref": "y domain",
            "text": f"s = {current:g}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "xshift": 4,
            "font": {"size": FONT_SIZE - 2, "color": "#444444"},
            "bgcolor": "rgba(255,255,255,0.7)",
        },
    ]
    return figure(data, layout)
