"""Figures of the numerics page: each way of computing BCE from a logit against z.

Pure functions, data in, figure out. inf and NaN cannot be drawn: a way's line simply stops
where it fails, and a dotted line marks the |z| of its first failure.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.charts import FONT_SIZE, OKABE_ITO, as_drawn, figure, merged, on_even_steps, style_layout

# The ways agree wherever none has failed, so each is drawn over a wider one: the stable
# line is the widest, at the bottom, and every narrower line on top leaves its neighbours'
# edges showing (nested widths), where dashes alone hid the naive lines under it.
WAYS = {
    "stable": (
        "stable: softplus, from the logit (the core)",
        OKABE_ITO["bluish_green"],
        "solid",
        9,
    ),
    "naive64": ("naive σ then log, float64", OKABE_ITO["blue"], "solid", 5),
    "naive32": ("naive σ then log, float32", OKABE_ITO["vermillion"], "dot", 2),
    "clipped": ("Keras: probabilities clipped to [ε, 1 − ε]", OKABE_ITO["vermillion"], "dash", 2),
    "torch": ("PyTorch BCELoss on σ(z): log floored at −100", OKABE_ITO["blue"], "solid", 5),
}
# The failures are named in one box (a line each, in its colour) in the corner of the plot
# its curves leave freest: beside the dotted lines there is no room to spare on a laptop's
# half-width chart, and two labels there meet each other or a curve.
LABEL_WIDTH = 0.35  # about the share of the z range the box covers, on a phone too


def _drawable(values: np.ndarray, log: bool) -> list:
    """None where a value cannot be drawn (inf, NaN; and ≤ 0 on a log axis)."""
    values = np.asarray(values, dtype=np.float64)
    keep = np.isfinite(values) & ((values > 0) if log else True)
    return [float(v) if k else None for v, k in zip(as_drawn(values), keep, strict=True)]


def _free_corner(z, curves: dict, log: bool, failure_side: float) -> tuple[float, float]:
    """The corner (x, y in paper units, 0 or 1) whose strip of ``LABEL_WIDTH`` of the z range
    has the most room between the curves and that edge of the plot, in the plot's height.
    Ties go to the side of the failures (the sign of ``failure_side``)."""
    z = np.asarray(z, dtype=np.float64)
    drawn = [np.array(_drawable(values, log), dtype=np.float64) for values in curves.values()]
    if log:
        drawn = [np.log10(values) for values in drawn]
    every = np.concatenate(drawn)
    every = every[np.isfinite(every)]
    low, high = every.min(), every.max()
    width = LABEL_WIDTH * (z.max() - z.min())
    room = {}
    for x in (1.0, 0.0) if failure_side > 0 else (0.0, 1.0):
        strip = z >= z.max() - width if x == 1.0 else z <= z.min() + width
        heights = np.concatenate([values[strip] for values in drawn])
        heights = heights[np.isfinite(heights)]
        heights = (heights - low) / (high - low) if heights.size and high > low else heights
        room[(x, 0.0)] = heights.min() if heights.size else 1.0
        room[(x, 1.0)] = 1 - heights.max() if heights.size else 1.0
    return max(room, key=room.get)  # the first of equals: the failures' side, bottom first


def _failure_note(z, curves: dict, log: bool, failed: dict) -> dict:
    """One box naming each failure ({way: z}), nearest z = 0 first, two short lines each
    (narrow enough for a phone's chart), in a free corner."""
    x, y = _free_corner(z, curves, log, next(iter(failed.values())))
    lines = [
        f"<span style='color:{WAYS[way][1]}'>{WAYS[way][0].split(',')[-1].strip()} fails<br>"
        f"at z ≈ {where:.3g}</span>"
        for way, where in sorted(failed.items(), key=lambda item: abs(item[1]))
    ]
    return {
        "x": 0.99 if x else 0.01,
        "y": 0.98 if y else 0.02,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "right" if x else "left",
        "yanchor": "top" if y else "bottom",
        "align": "right" if x else "left",
        "text": "<br>".join(lines),
        "showarrow": False,
        "bgcolor": "rgba(255, 255, 255, 0.85)",
        "font": {"size": FONT_SIZE - 2},
    }


def ways_figure(
    z, curves: dict, *, y_title: str, log: bool, failures: dict | None = None, height: int = 420
) -> go.Figure:
    """One line per way in ``curves`` ({way: values}) against the logit z; ``failures``
    ({way: the z nearest 0 of its first inf/NaN, or None}) as dotted vertical marks."""
    data = []
    for way, values in curves.items():
        name, colour, dash, width = WAYS[way]
        trace = {
            "type": "scatter",
            "y": _drawable(values, log),
            "mode": "lines",
            "name": name,
            "connectgaps": False,
            "line": {"color": colour, "dash": dash, "width": width},
            "hovertemplate": f"{name}<br>z = %{{x:.4g}}<br>%{{y:.6g}}<extra></extra>",
        }
        data.append(on_even_steps(trace | {"x": z}, np.asarray(z, dtype=np.float64)))
    shapes, notes = [], []
    failed = {way: where for way, where in (failures or {}).items() if where is not None}
    for way, where in failed.items():
        _, colour, _, _ = WAYS[way]
        shapes.append(
            {
                "type": "line",
                "x0": where,
                "x1": where,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": colour, "dash": "dot", "width": 1.5},
            }
        )
    if failed:
        notes.append(_failure_note(z, curves, log, failed))
    layout = merged(
        style_layout(height=height),
        {
            "xaxis": {"title": {"text": "logit z (the model's raw score)"}},
            "yaxis": {
                "title": {"text": y_title},
                "type": "log" if log else "linear",
                "exponentformat": "power",
            },
            "shapes": shapes,
            "annotations": notes,
        },
    )
    return figure(data, layout)
