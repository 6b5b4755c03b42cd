"""Figures of the imbalance page: loss curves per label, data with decision lines,
confusion matrices side by side. Pure functions: arrays in, Plotly figures out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lessons.curves import PROBABILITY, SCORE, binary_axes, binary_curve
from lessons.display_numbers import percent_text
from lessons.metrics import BinaryMetrics, Boundary
from ui.charts import (
    FONT_SIZE,
    OKABE_ITO,
    POINT_COLOUR,
    SCATTER,
    Curve,
    as_drawn,
    axis_names,
    colour_for,
    drawing_indices,
    figure,
    loss_and_gradient_spec,
    merged,
    on_even_steps,
    style_layout,
    subplot_layout,
)

PROBABILITY_AXIS = np.linspace(0.01, 0.99, 393)
SCORE_AXIS = np.linspace(-6.0, 6.0, 481)
POSITIVE_COLOUR = OKABE_ITO["black"]
AXIS_TITLES = {PROBABILITY: "predicted probability p", SCORE: "score s (logit)"}
GRAD_TITLES = {PROBABILITY: "gradient ∂ℓ/∂p", SCORE: "gradient ∂ℓ/∂s"}
MINUS = "−"  # U+2212, the minus sign a reader expects (Plotly's own ticks use it)
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
TITLE_MARKER = "■"  # U+25A0, drawn in the loss colour before a confusion panel's title
TITLE_SIZE = 18
TITLE_COLOUR = "#1F2937"  # near-black: legible on white whatever the loss colour


def drawable(page_losses: Sequence, axis: str) -> list:
    """The page losses that have a curve along ``axis`` (hinge has none on probabilities)."""
    return [item for item in page_losses if axis in binary_axes(item.loss)]


def curves_figure(page_losses: Sequence, label: int, axis: str, chosen: str) -> go.Figure:
    """Loss (top) and gradient (bottom) of every drawable page loss for one true label.

    ``page_losses``: items with .id, .name, .loss and .params (pairs); the chosen one is
    drawn solid, the others dashed — all solid when the chosen one has no curve on this
    axis. Marks: p = 0.5, or s = 0 and the hinge margin t·s = 1.
    """
    values = PROBABILITY_AXIS if axis == PROBABILITY else SCORE_AXIS
    shown = drawable(page_losses, axis)
    chosen_shown = any(item.id == chosen for item in shown)
    curves = []
    for item in shown:
        value, grad = binary_curve(item.loss, values, label, axis=axis, **dict(item.params))
        dash = "solid" if item.id == chosen or not chosen_shown else "dash"
        curves.append(Curve(item.id, item.name, value, grad, dash=dash))
    if axis == PROBABILITY:
        marks = [(0.5, "p = 0.5")]
    else:
        margin = 1.0 if label == 1 else -1.0
        marks = [(0.0, "s = 0"), (margin, f"margin s = {'+' if margin > 0 else MINUS}1")]
    name = "positive" if label == 1 else "negative"
    data, layout = loss_and_gradient_spec(
        values,
        curves,
        x_title=AXIS_TITLES[axis],
        grad_title=GRAD_TITLES[axis],
        marks=marks,
        title=f"true label y = {label} ({name})",
        height=580,
    )
    if axis == SCORE:
        # s = 0 and the margin are one unit apart: set their labels off to either side.
        for annotation in layout["annotations"]:
            toward_margin = (annotation["x"] == margin) == (margin > 0)
            annotation["xanchor"] = "left" if toward_margin else "right"
    # The title above the legend, which may wrap to two rows in a half-width column. Merged
    # into the spec (Plotly's update_layout on a built figure re-validates it).
    layout = merged(
        layout,
        {"title": {"y": 0.99, "yanchor": "top", "x": 0, "xref": "paper"}, "margin": {"t": 130}},
    )
    return figure([on_even_steps(trace, values) for trace in data], layout)


def boundary_figure(
    x1, x2, label, box, boundaries: Sequence[tuple[str, str, Boundary, dict]]
) -> go.Figure:
    """The points (positives as black diamonds, every one drawn) and each decision line s = 0.

    ``box``: ((x_min, x_max), (y_min, y_max)); ``boundaries``: (loss id, name, boundary,
    params) — a boundary without a segment gets a legend entry only.
    """
    x1, x2, label = np.asarray(x1), np.asarray(x2), np.asarray(label)
    shown = drawing_indices(label.shape[0], keep=label == 1)
    data = []
    for value, name, marker in (
        (0, "negative (y = 0)", {"color": POINT_COLOUR, "size": 6, "opacity": 0.55}),
        (
            1,
            "positive (y = 1)",
            {
                "color": POSITIVE_COLOUR,
                "size": 10,
                "symbol": "diamond",
                "line": {"color": "white", "width": 1},
            },
        ),
    ):
        picked = shown[label[shown] == value]
        data.append(
            {
                "type": SCATTER,
                "x": as_drawn(x1[picked]),
                "y": as_drawn(x2[picked]),
                "mode": "markers",
                "name": name,
                "marker": marker,
                "hovertemplate": f"{name}<br>x₁ = %{{x:.4g}}<br>x₂ = %{{y:.4g}}<extra></extra>",
            }
        )
    for dash, (loss_id, name, boundary, params) in zip(
        ("solid", "dash", "dot", "dashdot"), boundaries, strict=False
    ):
        equation = boundary_equation(params)
        segment = boundary.x is not None
        data.append(
            {
                "type": "scatter",
                "x": list(boundary.x) if segment else [None],
                "y": list(boundary.y) if segment else [None],
                "mode": "lines",
                "name": f"{name} boundary" + ("" if segment else " (outside the plot)"),
                "line": {"color": colour_for(loss_id), "width": 4, "dash": dash},
                "hovertemplate": f"{name}: {equation}<extra></extra>",
            }
        )
    # The ranges are the data's box and stay so: an equal-aspect lock (scaleanchor) let
    # Plotly widen x to fill a wide column, squeezing the cloud into its middle third.
    axes = {
        "xaxis": {"title": {"text": "feature x₁"}, "range": list(box[0]), "autorange": False},
        "yaxis": {"title": {"text": "feature x₂"}, "range": list(box[1]), "autorange": False},
    }
    return figure(data, merged(style_layout(height=560), axes))


# Below this chart width the matrices sit two to a row: four in a row at 800 px leave each
# plotting area ~150 px; in a 560 px column (1024 px screen, sidebar open) ~95 px.
CONFUSION_GRID_BELOW_PX = 800
# Above it, up to this many in one row; more sit three to a row (six in a row at 800 px
# would leave each ~95 px and run the axis titles into each other).
CONFUSION_ONE_ROW_MAX = 4
CONFUSION_HEIGHT = 330  # one row of matrices
CONFUSION_ROW_HEIGHT = 290  # each row of the grid


def confusion_figure(entries: Sequence[tuple[str, str, BinaryMetrics]]) -> go.Figure:
    """One confusion matrix per loss, side by side (three to a row past
    `CONFUSION_ONE_ROW_MAX`); colour = share of the true class.

    Rows: true label 1 (top) and 0; columns: predicted 0 and 1. The text gives the count
    and its share of the row, so the top row reads recall directly. A chart narrower than
    `CONFUSION_GRID_BELOW_PX` shows them two to a row: the layout for that is sent in
    ``layout.meta.responsive`` (`_confusion_grid`), applied by the live chart in the browser.
    """
    data = []
    for column, (loss_id, name, result) in enumerate(entries, start=1):
        # Heatmap rows run bottom-up, so the rare class (row 1) sits on top.
        counts, shares = result.matrix, result.row_shares
        text = [
            [_cell_text(count, share) for count, share in zip(row_counts, row_shares, strict=True)]
            for row_counts, row_shares in zip(counts, shares, strict=True)
        ]
        x_axis, y_axis = axis_names(column)
        data.append(
            {
                "type": "heatmap",
                "z": np.nan_to_num(shares, nan=0.0),
                "x": ["ŷ = 0", "ŷ = 1"],
                "y": ["y = 0", "y = 1"],
                "text": text,
                "texttemplate": "%{text}",
                "textfont": {"size": FONT_SIZE},
                "customdata": counts,
                "zmin": 0,
                "zmax": 1,
                "colorscale": [[0, "#F4F4F4"], [1, colour_for(loss_id)]],
                "showscale": False,
                "name": name,
                "hovertemplate": f"{name}<br>true %{{y}}, predicted %{{x}}: %{{customdata}} "
                "points<extra></extra>",
                "xaxis": x_axis,
                "yaxis": y_axis,
            }
        )
    if len(entries) <= CONFUSION_ONE_ROW_MAX:
        row = _confusion_grid(entries, 1, len(entries), horizontal_spacing=0.06)
        height = CONFUSION_HEIGHT
    else:
        wide_rows = -(-len(entries) // 3)
        row = _confusion_grid(entries, wide_rows, 3, horizontal_spacing=0.08, vertical_spacing=0.22)
        height = CONFUSION_ROW_HEIGHT * wide_rows
    rows = -(-len(entries) // 2)
    grid = _confusion_grid(entries, rows, 2, horizontal_spacing=0.12, vertical_spacing=0.22)
    grid["height"] = CONFUSION_ROW_HEIGHT * rows
    responsive = {"below": CONFUSION_GRID_BELOW_PX, "layout": grid}
    layout = merged(style_layout(height=height), row, {"meta": {"responsive": responsive}})
    return figure(data, layout)


def _confusion_grid(entries, rows: int, cols: int, **spacing) -> dict:
    """The axes and panel titles of the matrices ``rows`` × ``cols``, panel i on axes
    x{i}, y{i} (row by row, as the traces name them), y shared along each row."""
    titles = tuple(name for _, name, _ in entries)
    grid = subplot_layout(rows, cols, subplot_titles=titles, shared_yaxes=True, **spacing)
    for panel in range(1, len(entries) + 1):
        x_axis, y_axis = axis_names(panel)
        # Two to a row in a phone's chart, "predicted label ŷ" twice read as one line.
        x_title = "predicted label ŷ" if rows == 1 else "predicted ŷ"
        # Only under a matrix with none below it: a row's labels and title ran into the next
        # row's panel titles once the grid is squeezed into a slide's height. The matrix
        # below, in the same column, names the same two predicted classes.
        last_in_column = panel + cols > len(entries)
        grid[f"xaxis{x_axis[1:]}"]["title"] = {"text": x_title if last_in_column else ""}
        if not last_in_column:
            grid[f"xaxis{x_axis[1:]}"]["showticklabels"] = False
        first_in_row = (panel - 1) % cols == 0
        grid[f"yaxis{y_axis[1:]}"]["title"] = {"text": "true label y" if first_in_row else ""}
    # Dark titles read on a projector (orange #E69F00 on white does not); a square in the
    # loss colour still ties each panel to its curves and line.
    for annotation, (loss_id, name, _) in zip(grid["annotations"], entries, strict=True):
        annotation["text"] = (
            f"<span style='color:{colour_for(loss_id)}'>{TITLE_MARKER}</span> {name}"
        )
        annotation["font"] = {"size": TITLE_SIZE, "color": TITLE_COLOUR}
    return grid


def _cell_text(count: int, share: float) -> str:
    """The count and its share of the row, never rounding a nonzero share to 0% or 100%."""
    if np.isnan(share):
        return f"{count}"
    return f"{count}<br>({percent_text(share)})"


def number_text(value: float, digits: int = 4) -> str:
    """``value`` to ``digits`` significant digits with a true minus sign, "×10ⁿ" for
    exponents, and no "-0": a value that rounds to zero reads "0"."""
    magnitude = f"{abs(value):.{digits}g}"
    if float(magnitude) == 0:
        return "0"
    if "e" in magnitude:
        mantissa, exponent = magnitude.split("e")
        magnitude = f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPTS)}"
    return f"{MINUS}{magnitude}" if value < 0 else magnitude


def boundary_equation(params: dict) -> str:
    """'b + w₁·x₁ + w₂·x₂ = 0' with each term's sign as an operator: '−0.03 − 0.13·x₁ + …'."""
    text = number_text(params["intercept"])
    for weight, feature in ((params["w1"], "x₁"), (params["w2"], "x₂")):
        term = number_text(weight)
        operator, magnitude = (MINUS, term[1:]) if term.startswith(MINUS) else ("+", term)
        text += f" {operator} {magnitude}·{feature}"
    return f"{text} = 0"


FOCAL_DASHES = ("dot", "dash", "dashdot", "longdash", "longdashdot")


def focal_factor_figure(curves: Sequence[tuple[float, np.ndarray, bool]], p_true) -> go.Figure:
    """Focal loss's factor (1 − p_t)^γ against p_t, one line per γ; the page's γ solid and
    thick in focal's colour, the others thin grey lines with dashes of their own.

    ``curves``: (γ, factor along ``p_true``, is the page's γ), as `lessons.focal.factor_curves`.
    """
    data = []
    others = iter(FOCAL_DASHES)
    for gamma, factor, mine in curves:
        name = f"γ = {gamma:g}{' (this page)' if mine else ''}{' = BCE' if gamma == 0 else ''}"
        if mine:
            line = {"color": colour_for("focal"), "width": 4, "dash": "solid"}
        else:
            line = {"color": POINT_COLOUR, "width": 2, "dash": next(others)}
        data.append(
            {
                "type": "scatter",
                "x": as_drawn(p_true),
                "y": as_drawn(factor),
                "mode": "lines",
                "name": name,
                "line": line,
                "hovertemplate": f"{name}<br>p_t = %{{x:.3g}}<br>(1 − p_t)^γ = %{{y:.4g}}"
                "<extra></extra>",
            }
        )
    axes = {
        "xaxis": {
            # Two lines: on one, ~390 px, it ran out of a phone's chart.
            "title": {"text": "p_t: probability of the true class<br>(easy → 1)"},
            "range": [0, 1],
        },
        "yaxis": {"title": {"text": "factor (1 − p_t)^γ"}, "range": [0, 1.05]},
    }
    return figure(data, merged(style_layout(height=380), axes, {"margin": {"b": 80}}))
