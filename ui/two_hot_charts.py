"""The figure of the multi-class page's "one true class per sample" section: softmax + CCE
against one sigmoid + BCE per class as a model grows surer of the classes a target marks.

Pure function: a `lessons.two_hot.TwoHotView` in, `go.Figure` out (no Streamlit), built in
one step from a spec with the shared palette and layout of `ui.charts`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lessons.two_hot import TwoHotView, target_text
from ui.charts import (
    FONT_SIZE,
    OKABE_ITO,
    as_drawn,
    axis_names,
    colour_for,
    figure,
    merged,
    style_layout,
    subplot_layout,
)

CCE_NAME = "softmax + CCE"
BCE_NAME = "sigmoid + BCE per class"
# CCE and BCE share the registry's blue (each in its own task); side by side here, BCE
# takes vermillion, which every colour-vision deficiency tells from blue.
BCE_COLOUR = OKABE_ITO["vermillion"]
FLOOR_COLOUR = "#666666"
# Short enough for a phone's 390 px (the longer first try was cut there).
PANEL_TITLES = ("loss of the sample", "probability of class {j}, a marked class")


def two_hot_figure(view: TwoHotView, *, height: int = 640) -> go.Figure:
    """Loss (top) and the probability of the first marked class (bottom) against z, with
    CCE's lowest possible value and the p = t/Σt where it is reached as dotted lines."""
    j = view.marked
    z = as_drawn(view.z)
    cce_line = {"color": colour_for("cce"), "width": 3}
    bce_line = {"color": BCE_COLOUR, "width": 3, "dash": "dash"}

    def line(panel: int, values, name: str, style: dict, what: str, legend: bool) -> dict:
        x_axis, y_axis = axis_names(panel)
        return {
            "type": "scatter",
            "x": z,
            "y": as_drawn(values),
            "mode": "lines",
            "name": name,
            "legendgroup": name,
            "showlegend": legend,
            "line": style,
            "hovertemplate": f"{name}<br>z = %{{x:.3g}}<br>{what} = %{{y:.5g}}<extra></extra>",
            "xaxis": x_axis,
            "yaxis": y_axis,
        }

    best = float(view.best[j])
    floor_line = {"color": FLOOR_COLOUR, "width": 2, "dash": "dot"}
    ends = [float(view.z[0]), float(view.z[-1])]
    floor_name = f"lowest CCE {target_text(view.target)} allows: {view.lowest:.4g}"
    best_name = f"p<sub>{j}</sub> where CCE is lowest: {best:.3g}"

    def level(panel: int, value: float, name: str) -> dict:
        x_axis, y_axis = axis_names(panel)
        return {
            "type": "scatter",
            "x": ends,
            "y": [value, value],
            "mode": "lines",
            "name": name,
            "line": floor_line,
            "hoverinfo": "skip",
            "xaxis": x_axis,
            "yaxis": y_axis,
        }

    p_j, q_j = f"p<sub>{j}</sub>", f"q<sub>{j}</sub>"
    data = [
        line(1, view.cce, CCE_NAME, cce_line, "ℓ", True),
        line(1, view.bce, BCE_NAME, bce_line, "ℓ", True),
        level(1, view.lowest, floor_name),
        line(2, view.softmax[:, j], CCE_NAME, cce_line, p_j, False),
        line(2, view.sigmoid[:, j], BCE_NAME, bce_line, q_j, False),
        level(2, best, best_name),
    ]
    titles = tuple(title.format(j=j) for title in PANEL_TITLES)
    layout = subplot_layout(2, 1, shared_xaxes=True, vertical_spacing=0.12, subplot_titles=titles)
    for note in layout["annotations"]:
        note.update(font={"size": FONT_SIZE}, xanchor="left", x=0)
    top = max(float(view.cce.max()), float(view.bce.max()))
    # The legend below the plot: above it, it met the top panel's title.
    layout = merged(
        layout,
        style_layout(height=height),
        {
            "xaxis": {"title": {"text": ""}},
            "xaxis2": {"title": {"text": "logit z (marked: +z, others: −z)"}},
            "yaxis": {"title": {"text": "loss ℓ"}, "range": [0, 1.08 * top]},
            "yaxis2": {"title": {"text": f"{p_j}, {q_j}"}, "range": [0, 1.05]},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
            "hovermode": "x unified",
            "margin": {"t": 40, "b": 150},
        },
    )
    return figure(data, layout)
