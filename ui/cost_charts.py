"""The loss-versus-cost figure: one bar per sample (its loss), one line (the cost)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.charts import FONT_SIZE, TRUTH_COLOUR, as_drawn, colour_for, figure, merged, style_layout

LABEL_IN_MARGIN_FROM_PX = 520  # narrower charts name the cost in the legend only


def cost_bars_figure(
    per_sample: np.ndarray,
    cost: float,
    *,
    loss_id: str,
    loss_name: str,
    sample_labels: Sequence[str],
    hover_details: Sequence[str] = (),
) -> go.Figure:
    """Bars ℓᵢ for each sample in the loss's colour, and the cost J = mean ℓᵢ as a dashed line.

    ``sample_labels``: one x-axis label per bar (the sample's row number);
    ``hover_details``: extra hover text per bar (e.g. "y = 3, ŷ = 2.5").
    """
    details = list(hover_details) or [""] * len(sample_labels)
    bars = {
        "type": "bar",
        "x": list(sample_labels),
        "y": as_drawn(per_sample),
        # Two lines: on one, a long name ran out of a phone's chart.
        "name": f"loss ℓ<sub>i</sub> per sample<br>({loss_name})",
        "marker": {"color": colour_for(loss_id)},
        "customdata": [[detail] for detail in details],
        "hovertemplate": "sample %{x}<br>%{customdata[0]}<br>ℓ<sub>i</sub> = %{y:.6g}"
        "<extra></extra>",
    }
    cost_line = {
        "type": "scatter",
        "x": list(sample_labels),
        "y": np.full(len(sample_labels), cost, dtype=np.float32),
        "mode": "lines",
        "name": f"cost J = mean of ℓ<sub>i</sub> = {cost:.4g}",
        "line": {"color": TRUTH_COLOUR, "dash": "dash", "width": 3},
        "hovertemplate": f"cost J = {cost:.6g}<extra></extra>",
    }
    # The label sits in the right margin, level with the line, so no bar can cover it.
    label = {
        "x": 1.0,
        "xref": "paper",
        "y": cost,
        "text": f"J = {cost:.4g}",
        "showarrow": False,
        "xanchor": "left",
        "xshift": 6,
        "font": {"size": FONT_SIZE, "color": TRUTH_COLOUR},
    }
    layout = merged(
        style_layout(height=420),
        {
            "margin": {"r": 100},
            "xaxis": {"title": {"text": "sample i"}, "type": "category"},
            "yaxis": {"title": {"text": "loss ℓ<sub>i</sub>"}, "rangemode": "tozero"},
            "bargap": 0.35,
            "annotations": [label],
        },
    )
    # In a narrow chart the label's margin would leave the bars under 250 px: the legend's
    # entry for the line gives the same value.
    narrow = {"annotations": [], "margin": merged(layout["margin"], {"r": 20})}
    layout["meta"] = {"responsive": {"below": LABEL_IN_MARGIN_FROM_PX, "layout": narrow}}
    return figure([bars, cost_line], layout)
