"""The "Train a network" page's figures and their frames: one panel per loss (the fitted
curve, or the class probabilities on the plane with the data), the costs per epoch of both,
and the reliability diagram; each with one frame per snapshot of the trainings.

A frame patches what moves: the panel's picture (a small PNG, a layout image), its ½ line
(a polyline), its points' sizes (how hard each pulls), the cost chart's epoch marker, the
reliability curves. Everything else is sent once. The browser draws such frames without
Plotly while the scrubber moves (ui/live_chart.js `quickMove`: an image's source, a line's
path, a point's scale), so none of them is a heatmap or a contour trace.
"""

from __future__ import annotations

import base64
import functools
import struct
import zlib
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lessons.network_lab import Problem, Run
from ui.charts import CLASS_COLOURS, POINT_COLOUR, TRUTH_COLOUR, as_drawn, figure, style_layout
from ui.frames import Animated, patched_frames

BOUNDARY = 0  # a binary panel's ½ line; the points follow (a multiclass panel: points only)
TRUTH = 0  # a regression panel's true curve; its points follow, then its network's curve
SMALLEST, LARGEST = 3.0, 13.0  # a point's marker size, from no pull to the strongest's
# Dark grey diamonds: any colour of the regression palette is some loss's line's colour (the
# Okabe–Ito vermillion is MSE's, the loss that chases the outliers).
OUTLIER_COLOUR = "#3A3A3A"
# Under the plot: above it, four entries (two classes, two of flipped labels) took two rows
# and ran into the title. At the figure's foot (`yref` "container"), where Plotly keeps a
# margin for it under the x axis's title, whatever the fonts and the height: a place in the
# plot's own units (y < 0) lay over the title once the fonts grew and the plot shrank.
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0,
    "xanchor": "left",
    "x": 0,
}
# A class's points above its flipped ones, one column per class: in rows, a wide legend
# mixed them ("class 0, flipped to 0, class 1" / "flipped to 1"). Centred, under the plane
# (which keeps its shape and sits centred in a wide chart).
LEGEND_BY_CLASS = {
    **LEGEND_BELOW,
    "traceorder": "grouped",
    "groupclick": "toggleitem",
    "xanchor": "center",
    "x": 0.5,
}
NARROW_BELOW_PX, NARROW_HEIGHT = 520, 340  # a plane panel's height in a phone's column
PALE = 0.55  # how far toward white the probability picture's colours are mixed


def sizes(pull: np.ndarray) -> np.ndarray:
    """Marker sizes (S, n) as bytes: each snapshot's strongest pull drawn `LARGEST`, no pull
    `SMALLEST`, the area in proportion to the pull."""
    strongest = pull.max(axis=1, keepdims=True)
    share = np.divide(pull, strongest, out=np.zeros_like(pull), where=strongest > 0)
    return np.rint(SMALLEST + (LARGEST - SMALLEST) * np.sqrt(share)).astype(np.uint8)


def band(k: int) -> int:
    """Bytes per class in a multiclass picture: class c takes c·band … c·band + band − 1."""
    return 256 // k


def picture_bytes(picture: np.ndarray, k: int) -> np.ndarray:
    """A picture as bytes 0 … 255: P(class 1) in [0, 1] (binary); or, for k classes, class
    c with probability p (as c + p) in c's `band`, from its first byte at p = 1/k (even
    odds: white) to its last at p = 1 (the class's colour)."""
    if k <= 2:
        return np.clip(np.rint(picture * 255.0), 0, 255).astype(np.uint8)
    chosen = np.clip(np.floor(picture), 0, k - 1)
    # How sure, from no better than a guess (0) to certain (1): p runs from 1/k to 1.
    sure = np.clip((picture - chosen - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    width = band(k)
    return (chosen * width + np.rint(sure * (width - 1))).astype(np.uint8)


def pale(colour: str, share: float = PALE) -> str:
    """``colour`` mixed with white, ``share`` of the way: a background the points in
    ``colour`` stand out on."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + share * (255 - c)) for c in (red, green, blue))
    return "#{:02X}{:02X}{:02X}".format(*mixed)


def _colourscale(k: int) -> list:
    if k <= 2:
        return [[0.0, pale(CLASS_COLOURS[0])], [0.5, "#FFFFFF"], [1.0, pale(CLASS_COLOURS[1])]]
    # One white-to-colour ramp per class over its band of bytes (`picture_bytes`), the
    # picture's z running 0 … 255.
    width = band(k)
    scale = []
    for cls in range(k):
        colour = pale(CLASS_COLOURS[cls % len(CLASS_COLOURS)])
        scale += [[cls * width / 255, "#FFFFFF"], [(cls * width + width - 1) / 255, colour]]
    if scale[-1][0] < 1.0:
        scale.append([1.0, scale[-1][1]])
    return scale


def _palette(k: int) -> np.ndarray:
    """The colour (256, 3) of each picture byte, as a heatmap with `_colourscale` and
    z from 0 to 255 draws it (linear in RGB between the scale's stops)."""
    scale = _colourscale(k)
    stops = np.array([stop for stop, _ in scale])
    rgb = np.array([[int(colour[i : i + 2], 16) for i in (1, 3, 5)] for _, colour in scale])
    levels = np.arange(256) / 255.0
    channels = [np.interp(levels, stops, rgb[:, channel]) for channel in range(3)]
    return np.rint(np.stack(channels, axis=1)).astype(np.uint8)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# Cache policy (ui.cache): constants.
# One per class count: a view writes a PNG per snapshot and panel, all with the same palette.
@functools.cache
def _palette_chunk(k: int) -> bytes:
    return _chunk(b"PLTE", _palette(k).tobytes())


def picture_png(picture: np.ndarray, k: int, shape: tuple[int, int]) -> str:
    """A picture (`picture_bytes`, rows along x₂ upward) as a PNG data URL: one pixel per
    grid cell, top row first, the bytes indexing `_palette`. Written by hand: each row
    with PNG's "Sub" filter (a byte's difference from its left neighbour), which a smooth
    picture deflates to about half of what unfiltered rows (Pillow's choice) take."""
    rows = picture_bytes(picture, k).reshape(shape)[::-1]
    height, width = rows.shape
    differences = np.diff(rows.astype(np.int16), axis=1, prepend=0).astype(np.uint8)
    filtered = np.hstack([np.ones((height, 1), np.uint8), differences])  # 1: "Sub"
    png = b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
            _palette_chunk(k),
            _chunk(b"IDAT", zlib.compress(filtered.tobytes(), 9)),
            _chunk(b"IEND", b""),
        )
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _picture_image(data: Problem, source: str) -> dict:
    """The picture as a layout image over the grid's cells (each cell centred on its grid
    point, as a heatmap draws it), under the points."""
    axis1, axis2 = data.axes
    step1, step2 = float(axis1[1] - axis1[0]), float(axis2[1] - axis2[0])
    return {
        "source": source,
        "xref": "x",
        "yref": "y",
        "x": float(axis1[0]) - step1 / 2,
        "y": float(axis2[-1]) + step2 / 2,
        "sizex": step1 * axis1.size,
        "sizey": step2 * axis2.size,
        "xanchor": "left",
        "yanchor": "top",
        "sizing": "stretch",
        "layer": "below",
    }


# A cell's corners as bits (1: (i, j), 2: (i, j+1), 4: (i+1, j+1), 8: (i+1, j), set where
# P ≥ ½) → its sides the line cuts, in order (0: bottom, 1: right, 2: top, 3: left): those
# between two corners on either side of ½.
_CUTS = tuple(
    tuple(n for n in range(4) if (code >> n & 1) != (code >> (n + 1) % 4 & 1)) for code in range(16)
)


def half_line(
    picture: np.ndarray, axis1: np.ndarray, axis2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where P(class 1) crosses ½ on the grid (marching squares, linear between grid
    points): x and y of polylines separated by NaN (a gap in a Plotly line)."""
    grid = picture.reshape(axis2.size, axis1.size)
    above = grid >= 0.5
    # The cells the line passes (corners on both sides), found at once, each with its
    # corners as 4 bits (`_CUTS`); walked in row-major order as before. Python floats: the
    # same IEEE arithmetic as NumPy's scalars.
    codes = above[:-1, :-1] * 1 + above[:-1, 1:] * 2 + above[1:, 1:] * 4 + above[1:, :-1] * 8
    crossed = (codes > 0) & (codes < 15)
    cells = zip(np.argwhere(crossed).tolist(), codes[crossed].tolist(), strict=True)
    values = grid.tolist()
    xs1, xs2 = axis1.tolist(), axis2.tolist()

    def crossing(edge: tuple) -> tuple[float, float]:
        kind, i, j = edge  # "h": (i, j)–(i, j+1); "v": (i, j)–(i+1, j)
        i2, j2 = (i, j + 1) if kind == "h" else (i + 1, j)
        share = (0.5 - values[i][j]) / (values[i2][j2] - values[i][j])
        return xs1[j] + share * (xs1[j2] - xs1[j]), xs2[i] + share * (xs2[i2] - xs2[i])

    neighbours: dict[tuple, list[tuple]] = {}
    for (i, j), code in cells:
        sides = (("h", i, j), ("v", i, j + 1), ("h", i + 1, j), ("v", i, j))
        cut = [sides[n] for n in _CUTS[code]]
        if len(cut) == 4:  # a saddle: the centre's side decides which corners join
            centre = grid[i : i + 2, j : j + 2].mean() >= 0.5
            pairs = [(cut[0], cut[1]), (cut[2], cut[3])]
            if centre != bool(code & 1):
                pairs = [(cut[0], cut[3]), (cut[1], cut[2])]
        else:
            pairs = [(cut[0], cut[1])]
        for one, two in pairs:
            neighbours.setdefault(one, []).append(two)
            neighbours.setdefault(two, []).append(one)
    xs: list[float] = []
    ys: list[float] = []
    seen: set[tuple] = set()
    # Open lines from their ends first, then the closed ones.
    starts = [edge for edge, next_to in neighbours.items() if len(next_to) == 1]
    for start in starts + list(neighbours):
        if start in seen:
            continue
        line, edge = [start], start
        seen.add(start)
        while True:
            ahead = [other for other in neighbours[edge] if other not in seen]
            if not ahead:
                break
            edge = ahead[0]
            seen.add(edge)
            line.append(edge)
        if len(neighbours[start]) == 2 and start in neighbours[edge] and len(line) > 2:
            line.append(start)  # closed
        if xs:
            xs.append(np.nan)
            ys.append(np.nan)
        for edge in line:
            x, y = crossing(edge)
            xs.append(x)
            ys.append(y)
    return np.array(xs), np.array(ys)


def point_groups(data: Problem) -> list[tuple[np.ndarray, str, str, str]]:
    """The training points in groups drawn alike: (rows, colour, symbol, legend name).
    Regression: ordinary points and outliers; classes: each class, and the points whose
    label was flipped (drawn ✕ in their observed label's colour)."""
    if data.task == "regression":
        groups = [(~data.outlier_train, POINT_COLOUR, "circle", "training points")]
        if data.outlier_train.any():
            groups.append((data.outlier_train, OUTLIER_COLOUR, "diamond", "outliers"))
        return groups
    flipped = (
        data.clean_train != data.y_train
        if data.clean_train is not None
        else np.zeros(data.y_train.size, bool)
    )
    groups = []
    for cls in range(data.k):
        colour = CLASS_COLOURS[cls % len(CLASS_COLOURS)]
        groups.append(((data.y_train == cls) & ~flipped, colour, "circle", f"class {cls}"))
        if (flipped & (data.y_train == cls)).any():
            name = f"flipped to {cls}"
            groups.append(((data.y_train == cls) & flipped, colour, "x", name))
    return groups


def _marker(colour: str, symbol: str, size: np.ndarray) -> dict:
    return {
        "size": size,
        "color": colour,
        "symbol": symbol,
        "line": {"color": "#1A1A1A" if symbol == "circle" else colour, "width": 0.6},
        "opacity": 0.9,
    }


def _point_traces(data: Problem, size: np.ndarray) -> list[dict]:
    ys = data.y_train if data.task == "regression" else data.x_train[:, 1]
    return [
        {
            "type": "scatter",
            "x": as_drawn(data.x_train[rows, 0]),
            "y": as_drawn(ys[rows]),
            "mode": "markers",
            "name": name,
            "marker": _marker(colour, symbol, size[rows]),
            "hovertemplate": "(%{x:.2f}, %{y:.2f})<extra>" + name + "</extra>",
        }
        | ({} if data.task == "regression" else {"legendgroup": colour})
        for rows, colour, symbol, name in point_groups(data)
    ]


def plane_panel(data: Problem, run: Run, title: str, *, height: int = 440) -> go.Figure:
    """The class probabilities of ``run`` on the grid at its first snapshot (a layout image,
    `picture_png`; binary: P(class 1), white at ½, with the ½ line, trace `BOUNDARY`;
    multiclass: each cell coloured by its likeliest class, paler where less sure), and the
    training points (`point_groups`) sized by their pull."""
    axis1, axis2 = data.axes
    binary = data.k <= 2
    traces = []
    if binary:
        xs, ys = half_line(run.picture[0], axis1, axis2)
        traces.append(
            {
                "type": "scatter",
                "x": as_drawn(xs),
                "y": as_drawn(ys),
                "mode": "lines",
                "line": {"color": TRUTH_COLOUR, "width": 2.5},
                "hoverinfo": "skip",
                "name": "P = ½",
                "showlegend": False,
            }
        )
    traces += _point_traces(data, sizes(run.pull[:1])[0])
    layout = style_layout(title=title, height=height)
    layout |= {
        "legend": LEGEND_BY_CLASS,
        # automargin: the legend's margin at the foot does not count the axis's labels.
        "xaxis": {
            "title": {"text": "x₁"},
            "range": [float(axis1[0]), float(axis1[-1])],
            "automargin": True,
            "constrain": "domain",
        },
        # One unit as long on both axes, whatever the chart's shape: circles stay round on a
        # slide's wide, low chart (the plane shrinks in its box instead).
        "yaxis": {
            "title": {"text": "x₂"},
            "range": [float(axis2[0]), float(axis2[-1])],
            "scaleanchor": "x",
            "constrain": "domain",
        },
        "margin": {"l": 50, "r": 10, "t": 50, "b": 50},
    }
    # The picture hides the grid lines, as the heatmap it replaces did (an image sits
    # under them).
    layout["xaxis"] |= {"showgrid": False, "zeroline": False}
    layout["yaxis"] |= {"showgrid": False, "zeroline": False}
    layout["images"] = [_picture_image(data, picture_png(run.picture[0], data.k, _shape(data)))]
    # One unit as long on both axes: in a phone's narrow column the plane is short, and the
    # full height left white bands above and below it.
    layout["meta"] = {"responsive": {"below": NARROW_BELOW_PX, "layout": {"height": NARROW_HEIGHT}}}
    return figure(traces, layout)


def _shape(data: Problem) -> tuple[int, int]:
    axis1, axis2 = data.axes
    return axis2.size, axis1.size


def curve_panel(data: Problem, run: Run, title: str, colour: str, *, height: int = 440):
    """The true curve (dashed, trace `TRUTH`), the training points (outliers in vermillion)
    sized by their pull, and ``run``'s curve at its first snapshot (the last trace)."""
    line = data.axes[0]
    traces = [
        {
            "type": "scatter",
            "x": as_drawn(line),
            "y": as_drawn(data.truth) if data.truth is not None else [],
            "mode": "lines",
            "name": "true curve",
            "line": {"color": TRUTH_COLOUR, "width": 2, "dash": "dash"},
            "hoverinfo": "skip",
        },
        *_point_traces(data, sizes(run.pull[:1])[0]),
        # Last, so the points do not hide it.
        {
            "type": "scatter",
            "x": as_drawn(line),
            "y": as_drawn(run.picture[0]),
            "mode": "lines",
            "name": "network",
            "line": {"color": colour, "width": 3.5},
            "hovertemplate": "ŷ(%{x:.2f}) = %{y:.3f}<extra></extra>",
        },
    ]
    ys = np.concatenate([data.y_train, data.truth if data.truth is not None else []])
    low, high = float(np.min(ys)), float(np.max(ys))
    pad = 0.08 * (high - low or 1.0)
    layout = style_layout(title=title, height=height)
    layout |= {
        "legend": LEGEND_BELOW,
        "xaxis": {"title": {"text": "x"}, "automargin": True},
        "yaxis": {"title": {"text": "y"}, "range": [low - pad, high + pad]},
        "margin": {"l": 50, "r": 10, "t": 50, "b": 50},
    }
    return figure(traces, layout)


def panel_frames(data: Problem, run: Run, panel: go.Figure) -> Animated:
    """``panel`` with one frame per snapshot: the picture (the curve, or the picture's
    image and ½ line) and each point group's marker sizes."""
    point_sizes = sizes(run.pull)
    groups = point_groups(data)
    regression = data.task == "regression"
    first_point = 1 if regression else len(panel.data) - len(groups)
    steps, layouts = [], []
    for step, size in enumerate(point_sizes):
        patch = {
            first_point + number: {"marker": _marker(colour, symbol, size[rows])}
            for number, (rows, colour, symbol, _) in enumerate(groups)
        }
        if regression:
            patch[len(panel.data) - 1] = {"y": as_drawn(run.picture[step])}
        else:
            axis1, axis2 = data.axes
            source = picture_png(run.picture[step], data.k, _shape(data))
            layouts.append({"images": [_picture_image(data, source)]})
            if data.k <= 2:
                xs, ys = half_line(run.picture[step], axis1, axis2)
                patch[BOUNDARY] = {"x": as_drawn(xs), "y": as_drawn(ys)}
        steps.append(patch)
    return patched_frames(panel, steps, layouts or None)


def cost_figure(
    runs: Sequence[Run], tags: Sequence[str], colours: Sequence[str], *, height: int = 380
):
    """Training (solid) and validation (dotted) cost per epoch of each run on a log axis,
    and the shown epoch as a vertical line (the last trace)."""
    traces, values = [], []
    for run, tag, colour in zip(runs, tags, colours, strict=True):
        for cost, kind, dash in (
            (run.training.train_cost, "training", "solid"),
            (run.training.validation_cost, "validation", "dot"),
        ):
            epochs = np.arange(cost.size)
            traces.append(
                {
                    "type": "scatter",
                    "x": epochs.astype(np.int32),
                    "y": as_drawn(cost),
                    "mode": "lines",
                    "name": f"{tag} {run.loss.short} {kind}",
                    "line": {"color": colour, "width": 2.5, "dash": dash},
                    "hovertemplate": f"{kind}<br>epoch %{{x}}<br>J = %{{y:.5g}}<extra></extra>",
                }
            )
            values.append(cost[np.isfinite(cost) & (cost > 0)])
    shown = np.concatenate(values) if values else np.array([1.0])
    low = float(shown.min()) if shown.size else 1e-3
    high = float(shown.max()) if shown.size else 1.0
    low = max(low, high * 1e-9)
    traces.append(
        {
            "type": "scatter",
            "x": [0, 0],
            "y": [low, high],
            "mode": "lines",
            "name": "shown epoch",
            "showlegend": False,
            "line": {"color": TRUTH_COLOUR, "width": 1.5},
            "hoverinfo": "skip",
        }
    )
    layout = style_layout(height=height)
    last = max(int(runs[0].training.train_cost.size) - 1, 1)
    layout |= {
        "xaxis": {"title": {"text": "epoch"}, "range": [0, last]},
        "yaxis": {
            "title": {"text": "cost J (log scale)"},
            "type": "log",
            "range": [np.log10(low) - 0.05, np.log10(high) + 0.05],
            # Within a decade Plotly labels every minor tick, one on another: five round ones.
            **(
                {
                    "tickvals": sorted({float(f"{v:.2g}") for v in np.geomspace(low, high, 5)}),
                    "tickformat": ".2g",
                }
                if high < 10 * low
                else {}
            ),
        },
    }
    return figure(traces, layout)


def cost_frames(cost: go.Figure, epochs: Sequence[int]) -> Animated:
    marker = len(cost.data) - 1
    return patched_frames(cost, [{marker: {"x": [int(epoch)] * 2}} for epoch in epochs])


def reliability_figure(
    runs: Sequence[Run], tags: Sequence[str], colours: Sequence[str], *, height: int = 380
):
    """Each run's reliability diagram at its first snapshot (one trace per run, in order;
    its name carries the ECE) over the diagonal of perfect calibration (the last trace)."""
    traces = []
    for run, tag, colour in zip(runs, tags, colours, strict=True):
        traces.append(_reliability_trace(run, tag, colour, 0))
    traces.append(
        {
            "type": "scatter",
            "x": [0, 1],
            "y": [0, 1],
            "mode": "lines",
            "name": "calibrated",
            "line": {"color": TRUTH_COLOUR, "width": 1.2, "dash": "dash"},
            "hoverinfo": "skip",
        }
    )
    layout = style_layout(height=height)
    layout |= {
        "xaxis": {"title": {"text": "confidence (top class's probability)"}, "range": [0, 1]},
        "yaxis": {"title": {"text": "accuracy in the bin"}, "range": [0, 1.02]},
    }
    return figure(traces, layout)


def _reliability_trace(run: Run, tag: str, colour: str, step: int) -> dict:
    calibration = run.reliability
    if calibration is None:
        return {
            "type": "scatter",
            "x": [],
            "y": [],
            "mode": "lines+markers",
            "name": f"{tag} {run.loss.short}: scores, not probabilities",
            "line": {"color": colour},
        }
    return {
        "type": "scatter",
        "x": as_drawn(calibration.confidence[step]),
        "y": as_drawn(calibration.accuracy[step]),
        "mode": "lines+markers",
        "name": f"{tag} {run.loss.short}: ECE {float(calibration.ece[step]):.3f}",
        "line": {"color": colour, "width": 2.5},
        "marker": {"size": 8},
        "connectgaps": True,
        "hovertemplate": "confidence %{x:.2f}<br>accuracy %{y:.2f}<extra></extra>",
    }


def reliability_frames(
    reliability: go.Figure, runs: Sequence[Run], tags: Sequence[str], colours: Sequence[str]
) -> Animated:
    steps = []
    for step in range(runs[0].picture.shape[0]):
        patch = {}
        for index, (run, tag, colour) in enumerate(zip(runs, tags, colours, strict=True)):
            if run.reliability is not None:
                trace = _reliability_trace(run, tag, colour, step)
                patch[index] = {name: trace[name] for name in ("x", "y", "name")}
        steps.append(patch)
    return patched_frames(reliability, steps)
