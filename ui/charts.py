"""Plotly figures shared by every page: the palette, the common styling, and loss curves.

Pure functions: arrays in, `plotly.graph_objects.Figure` out; no Streamlit here,
so tests read the figures directly. Page-specific figures live beside this module
(`ui/regression_charts.py`, …) and build theirs with the palette, `style_layout` and
`figure` from here.
"""

from __future__ import annotations

import colorsys
import copy
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

import losses

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency. Yellow (#F0E442) is left out: unreadable on white.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# Tol's indigo, a seventh colour-blind-safe hue beside Okabe–Ito's six (black is the truth's).
INDIGO = "#332288"
# Each loss's colour comes from its place among its task's losses (`losses.by_task`): the
# first ones take these colour-blind-safe colours in this order, the same on every page and
# distinct within each task; any further ones take generated hues (`generated_colour`).
TASK_PALETTES = {
    "regression": tuple(
        OKABE_ITO[name]
        for name in (
            "vermillion",
            "blue",
            "bluish_green",
            "reddish_purple",
            "orange",
            "sky_blue",
        )
    )
    + (INDIGO,),
    # Orange sixth: weighted BCE (a page variant, after the five binary losses) keeps the
    # orange it had before Brier and GCE joined the registry.
    "binary": tuple(
        OKABE_ITO[name]
        for name in ("blue", "bluish_green", "reddish_purple", "vermillion", "sky_blue", "orange")
    )
    + (INDIGO,),
    "multiclass": tuple(
        OKABE_ITO[name]
        for name in ("blue", "orange", "bluish_green", "reddish_purple", "vermillion", "sky_blue")
    )
    + (INDIGO,),
}
# Page variants of a loss drawn beside its task's losses (the imbalance page's weighted BCE):
# they take the palette's next places after the task's losses, in this order.
PAGE_VARIANTS = {"binary": ("bce_weighted",)}
FALLBACK_COLOUR = "#555555"
TRUTH_COLOUR = OKABE_ITO["black"]
POINT_COLOUR = "#9A9A9A"
# Classes: Okabe–Ito, then Tol's muted palette for k up to 10.
CLASS_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
    "#882255",
    "#999933",
    "#44AA99",
)

MAX_POINTS_DRAWN = 3000
# SVG markers, not WebGL ("scattergl"): Streamlit mounts a changed chart afresh, so WebGL
# would set up a new context on every slider move. With at most MAX_POINTS_DRAWN points SVG
# is the quicker of the two (bench/bench_latency.py; BENCHMARKS.md) and draws the same markers.
SCATTER = "scatter"
FONT_SIZE = 15  # readable from the back of a lecture hall

# A slim white template, the default for every figure: setting template="plotly_white" on
# each figure was validated with every figure and sent its 7 kB to the browser each time.
GRID = "#E5E8EE"
_AXIS = {"gridcolor": GRID, "zerolinecolor": "#C9CED8", "linecolor": GRID, "ticks": ""}
pio.templates["loss_explorer"] = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"color": "#2A3F5F"},
        "colorway": list(OKABE_ITO.values()),
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "hovermode": "closest",
    }
)
pio.templates.default = "loss_explorer"


def generated_colour(index: int) -> str:
    """A colour for place ``index`` past a palette's fixed ones: hues a golden angle apart
    (each new one falls in the widest gap left), at one lightness and saturation dark
    enough for a line on white. Distinct, though not chosen for colour-blind readers."""
    hue = (0.14 + index * 0.381966) % 1.0  # 0.381966 = 2 − φ, the golden angle in turns
    red, green, blue = colorsys.hls_to_rgb(hue, 0.42, 0.7)
    return "#{:02X}{:02X}{:02X}".format(*(round(255 * c) for c in (red, green, blue)))


def palette_colour(task: str, index: int) -> str:
    """The colour of place ``index`` of a task's palette: its fixed colours, then generated."""
    fixed = TASK_PALETTES[task]
    return fixed[index] if index < len(fixed) else generated_colour(index - len(fixed))


def colour_for(loss_id: str) -> str:
    """The loss's colour on every page, from its place among its task's registered losses
    (a page variant: the places after them); grey for an id that is neither."""
    loss = losses.REGISTRY.get(loss_id)
    if loss is not None:
        ids = [other.id for other in losses.by_task(loss.task)]
        return palette_colour(loss.task, ids.index(loss_id))
    for task, variants in PAGE_VARIANTS.items():
        if loss_id in variants:
            place = len(losses.by_task(task)) + variants.index(loss_id)
            return palette_colour(task, place)
    return FALLBACK_COLOUR


def drawing_indices(n: int, limit: int = MAX_POINTS_DRAWN, keep=None, seed: int = 0) -> np.ndarray:
    """Indices of at most ``limit`` of n points to draw, sorted; ``keep`` (bool (n,)) always in.

    For drawing only: every number is computed on all n points.
    """
    if n <= limit:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    kept = np.flatnonzero(keep) if keep is not None else np.array([], dtype=np.int64)
    kept = kept[:limit]
    rest = np.setdiff1d(np.arange(n), kept, assume_unique=True)
    chosen = rng.choice(rest, size=limit - kept.size, replace=False)
    return np.sort(np.concatenate([kept, chosen]))


FLOAT32_LARGEST = float(np.finfo(np.float32).max)


def as_drawn(values) -> np.ndarray:
    """float32 for the browser: half the bytes, and 7 digits is more than a chart shows. A
    value beyond float32's range (a diverging training's cost or curve) is drawn at its
    edge, far off the axes, instead of overflowing to ±inf; NaN stays a gap."""
    values = np.asarray(values)
    if values.dtype.kind == "f" and values.dtype.itemsize > 4:
        values = np.clip(values, -FLOAT32_LARGEST, FLOAT32_LARGEST)
    return values.astype(np.float32, copy=False)


def on_even_steps(trace: dict, values: np.ndarray) -> dict:
    """``trace`` with its x given as a start and a step (Plotly's x0, dx) instead of an array
    ``values`` (evenly spaced): curves that share an axis would each repeat it, as much as
    half of a chart's bytes."""
    step = (values[-1] - values[0]) / (len(values) - 1)
    if not np.allclose(np.diff(values), step, rtol=1e-9, atol=0.0):
        raise ValueError("the curves' x values must be evenly spaced to be sent as x0 and dx.")
    evenly = {name: value for name, value in trace.items() if name != "x"}
    return evenly | {"x0": float(values[0]), "dx": float(step)}


def style_layout(*, title: str | None = None, height: int = 420) -> dict:
    """The common layout as a dict (legend above the plot, large fonts, exact hover values),
    for a figure built in one step by `figure`. The white look comes from the default
    template set above, at no cost per figure."""
    layout = {
        "height": height,
        "font": {"size": FONT_SIZE},
        "margin": {"l": 70, "r": 20, "t": 70 if title else 40, "b": 60},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "hoverlabel": {"font": {"size": FONT_SIZE - 1}},
    }
    if title:
        layout["title"] = {"text": title}
    return layout


def merged(base: dict, *updates: dict) -> dict:
    """``base`` with each of ``updates`` merged in, nested dicts key by key (a new dict)."""
    result = dict(base)
    for update in updates:
        for key, value in update.items():
            if isinstance(value, dict) and isinstance(result.get(key), dict):
                result[key] = merged(result[key], value)
            else:
                result[key] = value
    return result


def figure(data: Sequence, layout: dict) -> go.Figure:
    """A `go.Figure` from its traces and a layout dict, built without Plotly's validation.

    Plotly's step-by-step API (update_layout, make_subplots, add_vline, …) validates at
    every call. Built from one spec, the same figure is validated once, or not at all
    (`_validate=False`). The
    properties are checked by the tests instead: every chart every page sends is rebuilt
    as a validated figure there (tests/app/test_every_chart_validates.py).
    """
    return go.Figure(data=list(data), layout=layout, _validate=False)


# Cache policy (ui.cache): constants.
@functools.cache
def _subplot_layout(rows: int, cols: int, options: tuple) -> dict:
    layout = make_subplots(rows=rows, cols=cols, **dict(options)).to_plotly_json()["layout"]
    layout.pop("template", None)
    return layout


def subplot_layout(rows: int, cols: int, **options) -> dict:
    """The layout make_subplots gives a grid (its axes and any subplot-title annotations),
    as a fresh dict to merge into. Built once per grid: make_subplots is slow.

    ``options``: make_subplots's keywords, hashable (``subplot_titles`` as a tuple).
    """
    return copy.deepcopy(_subplot_layout(rows, cols, tuple(sorted(options.items()))))


def stacked_axes(rows: int, spacing: float) -> dict:
    """The axes of ``rows`` panels stacked on one shared x-axis (`subplot_layout`)."""
    return subplot_layout(rows, 1, shared_xaxes=True, vertical_spacing=spacing)


def axis_names(panel: int) -> tuple[str, str]:
    """The (x, y) axis names of panel ``panel`` (1-based, row by row) of a `subplot_layout`
    grid: ("x", "y"), ("x2", "y2"), … as traces and shapes refer to them."""
    suffix = "" if panel == 1 else str(panel)
    return f"x{suffix}", f"y{suffix}"


def vline(position: float, row: int, line: dict) -> dict:
    """A vertical line at x = ``position`` across panel ``row`` (what add_vline adds)."""
    x, y = axis_names(row)
    return {
        "type": "line",
        "x0": position,
        "x1": position,
        "xref": x,
        "y0": 0,
        "y1": 1,
        "yref": f"{y} domain",
        "line": line,
    }


@dataclass(frozen=True)
class Curve:
    """One loss drawn as a curve: ``value`` and ``grad`` along a shared axis."""

    loss_id: str
    name: str
    value: np.ndarray
    grad: np.ndarray
    dash: str = "solid"


def loss_and_gradient_spec(
    axis: np.ndarray,
    curves: Sequence[Curve],
    *,
    x_title: str,
    value_title: str = "loss ℓ",
    grad_title: str = "gradient ∂ℓ/∂ŷ",
    marks: Sequence[tuple[float, str]] = (),
    title: str | None = None,
    height: int = 560,
) -> tuple[list[dict], dict]:
    """Loss (top) and gradient (bottom) of each curve against a shared, linked x-axis, as
    traces and a layout (dicts, to add to before building the figure once with `figure`).

    ``marks``: vertical dotted lines with a label (e.g. ±δ, the margin).
    """
    x = as_drawn(axis)
    data = []
    for curve in curves:
        line = {"color": colour_for(curve.loss_id), "width": 3, "dash": curve.dash}
        for row, values, what in ((1, curve.value, "loss"), (2, curve.grad, "gradient")):
            x_axis, y_axis = axis_names(row)
            data.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": as_drawn(values),
                    "mode": "lines",
                    "name": curve.name,
                    "legendgroup": curve.loss_id + curve.name,
                    "showlegend": row == 1,
                    "line": line,
                    "hovertemplate": f"{curve.name}<br>x = %{{x:.4g}}<br>{what} = %{{y:.5g}}"
                    "<extra></extra>",
                    "xaxis": x_axis,
                    "yaxis": y_axis,
                }
            )
    layout = merged(
        style_layout(title=title, height=height),
        stacked_axes(2, 0.08),
        {
            "xaxis": {"title": {"text": ""}},
            "xaxis2": {"title": {"text": x_title}},
            "yaxis": {"title": {"text": value_title}},
            "yaxis2": {"title": {"text": grad_title}},
            "hovermode": "x unified",
        },
    )
    if marks:
        layout |= marks_layout(marks)
    return data, layout


def marks_layout(marks: Sequence[tuple[float, str]]) -> dict:
    """The layout keys of `loss_and_gradient_spec`'s ``marks``: a dotted line at each
    position across both panels, labelled at the top ({"shapes", "annotations"})."""
    shapes, annotations = [], []
    for position, label in marks:
        shapes += [vline(position, row, {"dash": "dot", "color": "#666666"}) for row in (1, 2)]
        annotations.append(
            {
                "x": position,
                "y": 1.0,
                "xref": "x",
                "yref": "y domain",
                "text": label,
                "showarrow": False,
                "yanchor": "top",
                "xanchor": "left",
                "xshift": 4,
                "font": {"size": FONT_SIZE - 2, "color": "#444444"},
                "bgcolor": "rgba(255,255,255,0.7)",
            }
        )
    return {"shapes": shapes, "annotations": annotations}
