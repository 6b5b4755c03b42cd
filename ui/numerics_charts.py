"""Figures of the numerics page: each way of computing BCE from a logit against z.

Pure functions, data in, figure out. inf and NaN cannot be drawn: a way's line simply stops
where it fails, and a dotted line marks the |z| of its first failure.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.charts import FONT_SIZE, OKABE_ITO, as_drawn, figure, merged, style_layout

WAYS = {
    "stable": (
        "stable: softplus, from the logit (the core)",
        OKABE_ITO["bluish_green"],
        "solid",
        5,
    ),
    "naive64": ("naive σ then log, float64", OKABE_ITO["blue"], "dash", 3),
    "naive32": ("naive σ then log, float32", OKABE_ITO["vermillion"], "dot", 3),
    "clipped": ("Keras: probabilities clipped to [ε, 1 − ε]", OKABE_ITO["vermillion"], "dash", 3),
    "torch": ("PyTorch BCELoss on σ(z): log floored at −100", OKABE_ITO["blue"], "dot", 3),
}


def _drawable(values: np.ndarray, log: bool) -> list:
    """None where a value cannot be drawn (inf, NaN; and ≤ 0 on a log axis)."""
    values = np.asarray(values, dtype=np.float64)
    keep = np.isfinite(values) & ((values > 0) if log else True)
    return [float(v) if k else None for v, k in zip(as_drawn(values), keep, strict=True)]


def ways_figure(z, curves: dict, *, y_title: str, log: bool, failures: dict | None = None,
                height: int = 420) -> go.Figure:  # fmt: skip
    """One line per way in ``curves`` ({way: values}) against the logit z; ``failures``
    ({way: the z nearest 0 of its first inf/NaN, or None}) as dotted vertical marks."""
    data = []
    for way, values in curves.items():
        name, colour, dash, width = WAYS[way]
        data.append({"type": "scatter", "x": as_drawn(z), "y": _drawable(values, log),
                     "mode": "lines", "name": name, "connectgaps": False,
                     "line": {"color": colour, "dash": dash, "width": width},
                     "hovertemplate": f"{name}<br>z = %{{x:.4g}}<br>%{{y:.6g}}"
                     "<extra></extra>"})  # fmt: skip
    shapes, notes = [], []
    for rank, (way, where) in enumerate((failures or {}).items()):
        if where is None:
            continue
        _, colour, _, _ = WAYS[way]
        shapes.append({"type": "line", "x0": where, "x1": where, "xref": "x",
                       "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": colour, "dash": "dot", "width": 1.5}})  # fmt: skip
        notes.append({"x": where, "y": 0.95 - 0.09 * rank, "xref": "x", "yref": "paper",
                      "text": f"{WAYS[way][0].split(',')[-1].strip()} fails at z ≈ {where:.3g}",
                      "showarrow": False, "xanchor": "left" if where > 0 else "right",
                      "xshift": 4 if where > 0 else -4,
                      "font": {"color": colour, "size": FONT_SIZE - 2}})  # fmt: skip
    layout = merged(
        style_layout(height=height),
        {"xaxis": {"title": {"text": "logit z (the model's raw score)"}},
         "yaxis": {"title": {"text": y_title}, "type": "log" if log else "linear",
                   "exponentformat": "power"},
         "shapes": shapes, "annotations": notes},
    )  # fmt: skip
    return figure(data, layout)
