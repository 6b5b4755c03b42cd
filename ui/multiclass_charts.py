"""Figures for the multi-class page: label memory against k, one sample's softmax /
loss / gradient, and a softmax model's decision regions.

Pure functions: arrays in, `go.Figure` out (no Streamlit), using the shared palette
and `style_layout` from `ui.charts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from ui.charts import (
    CLASS_COLOURS,
    FONT_SIZE,
    SCATTER,
    TRUTH_COLOUR,
    as_drawn,
    axis_names,
    colour_for,
    drawing_indices,
    figure,
    merged,
    style_layout,
    subplot_layout,
)

# Which loss each label form feeds, for its colour; int32 indices are dashed.
_FORM_STYLE = {
    "one-hot float32": ("cce", "solid"),
    "index int64": ("sparse_cce", "solid"),
    "index int32": ("sparse_cce", "dash"),
}
_FORM_NAME = {
    "one-hot float32": "one-hot rows, float32 (CCE)",
    "index int64": "class indices, int64 (sparse CCE)",
    "index int32": "class indices, int32 (sparse CCE)",
}
REGION_OPACITY = 0.4
BOUNDARY_COLOUR = "#333333"
BOUNDARY_NAME = "region boundary"
# One marker symbol per class (filled ones), so close palette colours
# (class 0's blue and class 4's sky blue) still differ by shape.
CLASS_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "star",
    "hexagon",
    "cross",
    "x",
    "pentagon",
)
FADED = "#B8CCE0"  # a pale blue: the other classes' losses, behind the chosen one


def class_name(j: int) -> str:
    return f"class {j}"


def _readable(size: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size:.0f} B"


def label_memory_figure(
    ks, sizes: Mapping[str, np.ndarray], *, n: int, current_k: int, height: int = 420
) -> go.Figure:
    """Bytes of n labels against the class count k (log–log), current k marked.

    ``sizes``: {"one-hot float32" | "index int64" | "index int32": bytes shaped like ks}.
    """
    ks = np.asarray(ks)
    at_current = int(np.argmin(np.abs(ks - current_k)))
    data = []
    for form, values in sizes.items():
        loss_id, dash = _FORM_STYLE.get(form, ("", "solid"))
        name = _FORM_NAME.get(form, form)
        values = np.asarray(values, dtype=np.float64)
        data.append(
            {
                "type": "scatter",
                "x": ks,
                "y": values,
                "mode": "lines",
                "name": name,
                "line": {"color": colour_for(loss_id), "width": 3, "dash": dash},
                "customdata": [_readable(v) for v in values],
                "hovertemplate": f"{name}<br>k = %{{x}}<br>%{{y:,.0f}} bytes (%{{customdata}})"
                "<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": [ks[at_current]],
                "y": [values[at_current]],
                "mode": "markers",
                "showlegend": False,
                "marker": {
                    "color": colour_for(loss_id),
                    "size": 11,
                    "line": {"width": 1.5, "color": "white"},
                },
                "hovertemplate": f"{name}<br>k = %{{x}} (now)<br>%{{y:,.0f}} bytes<extra></extra>",
            }
        )
    # Built as one spec: Plotly's add_trace, add_vline and update_axes validate at each call.
    # One tick per decade, in SI units (1k, 10k, 1M): minor "2, 5" ticks confuse on a projector.
    layout = merged(
        style_layout(height=height),
        {
            "xaxis": {"title": {"text": "number of classes k"}, "type": "log", "dtick": 1},
            "yaxis": {
                "title": {"text": f"bytes for n = {n:,} labels"},
                "type": "log",
                "dtick": 1,
                "tickformat": "~s",
            },
            "shapes": [
                {
                    "type": "line",
                    "x0": current_k,
                    "x1": current_k,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "y domain",
                    "line": {"dash": "dot", "color": "#666666"},
                }
            ],
            "annotations": [
                {
                    "x": float(np.log10(current_k)),
                    "y": 1.0,
                    "yref": "paper",
                    "text": f"k = {current_k} now",
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "top",
                    "font": {"size": FONT_SIZE - 2, "color": "#444444"},
                }
            ],
        },
    )
    return figure(data, layout)


SAMPLE_PANEL_TITLES = (
    "softmax probabilities p (filled) and target y (black outline)",
    "loss ℓ if class j were the true class",
    "gradient ∂ℓ/∂z of that loss (filled) and p − y (black outline)",
)
# Below this chart width the panel titles (up to ~490 px on one line) take two lines each,
# from the chart's left edge, with more room between the panels.
SAMPLE_TWO_LINE_TITLES_BELOW_PX = 600
SAMPLE_NARROW_TITLES = (
    "softmax probabilities p (filled)<br>and target y (black outline)",
    "loss ℓ if class j<br>were the true class",
    "gradient ∂ℓ/∂z of that loss (filled)<br>and p − y (black outline)",
)
SAMPLE_NARROW_EXTRA_HEIGHT = 140


def sample_figure(sample, *, true_class: int, loss_id: str = "cce", height: int = 680) -> go.Figure:
    """Three linked bar panels over the classes of one sample (a `SampleView`).

    Top: softmax probabilities p (class colours) with the target y as black outlines.
    Middle: the loss if class c were the true one (the chosen class highlighted).
    Bottom: the gradient ∂ℓ/∂z of the loss shown (``sample.gradient``, signed), with the
    logit route's p − y as black outlines: they part where a clipped probability stops it.
    Built in one step from a spec (`charts.figure`): it is rebuilt for every new logit.
    """
    probability = np.asarray(sample.probability, dtype=np.float64)
    target, loss_if_true, gradient = sample.target, sample.loss_if_true, sample.gradient
    p_minus_y = sample.logit_route_gradient
    k = probability.shape[0]
    classes = np.arange(k)
    names = [class_name(j) for j in classes]
    colours = [CLASS_COLOURS[j % len(CLASS_COLOURS)] for j in classes]
    chosen = classes == true_class
    outline = {"color": "rgba(0,0,0,0)", "line": {"width": 2.5, "color": TRUTH_COLOUR}}

    def bar(panel: int, values, name: str, marker: dict, hover: str) -> dict:
        x_axis, y_axis = axis_names(panel)
        return {
            "type": "bar",
            "x": classes,
            "y": as_drawn(values),
            "name": name,
            "marker": marker,
            "customdata": names,
            "hovertemplate": hover,
            "xaxis": x_axis,
            "yaxis": y_axis,
        }

    data = [
        bar(
            1,
            probability,
            "softmax probability p",
            {"color": colours},
            "%{customdata}<br>p = %{y:.6g}<extra></extra>",
        ),
        # The target drawn as an outline over the same slot: where p falls short of y, the
        # gap shows; the bottom panel's bar is exactly that gap, p − y.
        bar(1, target, "target y", outline, "%{customdata}<br>y = %{y:.6g}<extra></extra>"),
        # The chosen true class in the loss's colour with a black outline, the others faded.
        bar(
            2,
            loss_if_true,
            "loss if this class were true",
            {
                "color": [colour_for(loss_id) if c else FADED for c in chosen],
                "line": {"width": [3 if c else 0 for c in chosen], "color": TRUTH_COLOUR},
            },
            "%{customdata} true<br>ℓ = %{y:.6g}<extra></extra>",
        ),
        bar(
            3,
            gradient,
            "gradient ∂ℓ/∂z",
            {"color": colour_for(loss_id)},
            "%{customdata}<br>∂ℓ/∂z = %{y:.6g}<extra></extra>",
        ),
        # p − y as an outline over the same slot: the logit route's gradient. The bars fill
        # it until the probability route clips a probability, whose share is then 0.
        bar(3, p_minus_y, "p − y", outline, "%{customdata}<br>p − y = %{y:.6g}<extra></extra>"),
    ]
    layout = _sample_panels(SAMPLE_PANEL_TITLES, spacing=0.09)
    # The narrow layout replaces the titles and the panels' heights, not the x axes.
    narrow = _sample_panels(SAMPLE_NARROW_TITLES, spacing=0.14, shift=-60)
    narrow = {name: value for name, value in narrow.items() if not name.startswith("xaxis")}
    narrow["height"] = height + SAMPLE_NARROW_EXTRA_HEIGHT
    ticks = [f"{j}<br><b>true</b>" if j == true_class else str(j) for j in classes]
    x_ticks = {"title": {"text": ""}, "tickmode": "array", "tickvals": classes, "ticktext": ticks}
    layout = merged(
        layout,
        style_layout(height=height),
        {
            "xaxis": x_ticks,
            "xaxis2": x_ticks,
            "xaxis3": merged(x_ticks, {"title": {"text": "class j"}}),
            "yaxis": {"title": {"text": "p<sub>j</sub>, y<sub>j</sub>"}, "range": [0, 1.05]},
            "yaxis2": {"title": {"text": "ℓ if class j true"}, "rangemode": "tozero"},
            "yaxis3": {"title": {"text": "∂ℓ/∂z<sub>j</sub>"}},
            "showlegend": False,
            "margin": {"t": 40},
            "bargap": 0.25,
            "barmode": "overlay",
            "shapes": [
                {
                    "type": "line",
                    "x0": 0,
                    "x1": 1,
                    "xref": "x3 domain",
                    "y0": 0,
                    "y1": 0,
                    "yref": "y3",
                    "line": {"color": "#666666", "width": 1},
                }
            ],
        },
    )
    for axis in ("yaxis", "yaxis2", "yaxis3"):
        narrow[axis] = merged(layout[axis], narrow[axis])
    narrow["margin"] = {**layout["margin"], "t": 60}  # the top title's two lines
    layout["meta"] = {"responsive": {"below": SAMPLE_TWO_LINE_TITLES_BELOW_PX, "layout": narrow}}
    return figure(data, layout)


def _sample_panels(titles: Sequence[str], *, spacing: float, shift: int = 0) -> dict:
    """The three stacked panels' axes and their titles, left-aligned (``shift`` px left of
    the plotting area: into the margin, for two-line titles in a narrow chart)."""
    panels = subplot_layout(
        3, 1, shared_xaxes=True, vertical_spacing=spacing, subplot_titles=tuple(titles)
    )
    for note in panels["annotations"]:
        note.update(font={"size": FONT_SIZE}, xanchor="left", x=0)
        if shift:
            note.update(xshift=shift, align="left")
    return panels


def region_boundaries(x1_axis, x2_axis, regions) -> tuple[np.ndarray, np.ndarray]:
    """The edges between grid cells of different predicted class, as one polyline.

    ``regions``: (len(x2_axis), len(x1_axis)), cell (i, j) centred on (x1_axis[j],
    x2_axis[i]) as a heatmap draws it. Returns x and y, NaN between segments: a vertical
    segment where a cell's right neighbour differs, a horizontal one where the cell above
    does, on the cell edges, so the lines follow the heatmap's steps exactly.
    """
    regions = np.asarray(regions)
    x_edges, y_edges = _cell_edges(x1_axis), _cell_edges(x2_axis)
    rows, columns = np.nonzero(regions[:, 1:] != regions[:, :-1])
    vertical = (
        np.repeat(x_edges[columns + 1], 2),
        np.column_stack([y_edges[rows], y_edges[rows + 1]]).ravel(),
    )
    rows, columns = np.nonzero(regions[1:, :] != regions[:-1, :])
    horizontal = (
        np.column_stack([x_edges[columns], x_edges[columns + 1]]).ravel(),
        np.repeat(y_edges[rows + 1], 2),
    )
    xs, ys = [], []
    for x_pairs, y_pairs in (vertical, horizontal):
        gaps = np.full((x_pairs.size // 2, 1), np.nan)
        xs.append(np.hstack([x_pairs.reshape(-1, 2), gaps]).ravel())
        ys.append(np.hstack([y_pairs.reshape(-1, 2), gaps]).ravel())
    return np.concatenate(xs), np.concatenate(ys)


def _cell_edges(axis) -> np.ndarray:
    """(m + 1,) edges of the heatmap cells centred on the (m,) evenly spaced ``axis``."""
    axis = np.asarray(axis, dtype=np.float64)
    half = 0.5 * (axis[1] - axis[0]) if axis.size > 1 else 0.5
    return np.concatenate([[axis[0] - half], 0.5 * (axis[1:] + axis[:-1]), [axis[-1] + half]])


def decision_region_figure(
    x1_axis, x2_axis, regions, features, labels, *, k: int, height: int = 560
) -> go.Figure:
    """The predicted class on a grid (class colours, thin dark boundaries, each region
    labelled with its class) with the data on top, one colour and marker symbol per class.

    ``regions``: (len(x2_axis), len(x1_axis)) predicted class; ``features`` (n, 2);
    ``labels`` (n,). At most `MAX_POINTS_DRAWN` points are drawn. With ten classes some
    palette colours are close (blue and sky blue): the boundaries, the region labels and
    the symbols tell them apart.
    """
    colours = [CLASS_COLOURS[j % len(CLASS_COLOURS)] for j in range(k)]
    # One flat band per class: class j's colour on [j/k, (j+1)/k] of the colour scale.
    scale = []
    for j, colour in enumerate(colours):
        scale += [[j / k, colour], [(j + 1) / k, colour]]
    regions = np.asarray(regions)
    data = [
        {
            "type": "heatmap",
            "x": as_drawn(x1_axis),
            "y": as_drawn(x2_axis),
            "z": regions,
            "zmin": -0.5,
            "zmax": k - 0.5,
            "colorscale": scale,
            "showscale": False,
            "opacity": REGION_OPACITY,
            "name": "predicted class",
            "hovertemplate": "x₁ = %{x:.3g}, x₂ = %{y:.3g}<br>predicted: class %{z}<extra></extra>",
        },
    ]
    boundary_x, boundary_y = region_boundaries(x1_axis, x2_axis, regions)
    data.append(
        {
            "type": "scatter",
            "x": as_drawn(boundary_x),
            "y": as_drawn(boundary_y),
            "mode": "lines",
            "name": BOUNDARY_NAME,
            "line": {"color": BOUNDARY_COLOUR, "width": 1},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    x1_grid, x2_grid = np.meshgrid(np.asarray(x1_axis, float), np.asarray(x2_axis, float))
    annotations = []
    for j in range(k):
        cells = regions == j
        if cells.any():  # convex regions (argmax of linear logits): the centre is inside
            annotations.append(
                {
                    "x": float(x1_grid[cells].mean()),
                    "y": float(x2_grid[cells].mean()),
                    "text": str(j),
                    "showarrow": False,
                    "font": {"size": FONT_SIZE, "color": "#222222"},
                    "bgcolor": "rgba(255, 255, 255, 0.8)",
                    "bordercolor": colours[j],
                    "borderwidth": 2,
                }
            )
    features = np.asarray(features, dtype=np.float64)
    labels = np.asarray(labels)
    drawn = drawing_indices(labels.shape[0])
    for j in range(k):
        these = drawn[labels[drawn] == j]
        data.append(
            {
                "type": SCATTER,
                "x": as_drawn(features[these, 0]),
                "y": as_drawn(features[these, 1]),
                "mode": "markers",
                "name": class_name(j),
                "marker": {
                    "color": colours[j],
                    "symbol": CLASS_SYMBOLS[j % len(CLASS_SYMBOLS)],
                    "size": 9,
                    "line": {"width": 0.8, "color": "white"},
                },
                "hovertemplate": f"{class_name(j)}<br>x₁ = %{{x:.4g}}<br>x₂ = %{{y:.4g}}"
                "<extra></extra>",
            }
        )
    layout = merged(
        style_layout(height=height),
        {
            "legend": {"font": {"size": FONT_SIZE}, "itemsizing": "constant"},
            "xaxis": {
                "title": {"text": "x₁"},
                "range": [float(x1_axis[0]), float(x1_axis[-1])],
                "constrain": "domain",
            },
            "yaxis": {
                "title": {"text": "x₂"},
                "range": [float(x2_axis[0]), float(x2_axis[-1])],
                "scaleanchor": "x",
                "scaleratio": 1,
                "constrain": "domain",
            },
        },
    )
    if annotations:
        layout["annotations"] = annotations
    return figure(data, layout)
