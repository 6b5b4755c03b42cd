"""Cached results and figures for the two regression pages, keyed by plain tuples.

Which cache holds what, and why: the caching policy in `ui.cache`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

import losses
from lessons import (
    alt_text,
    display_numbers,
    estimates,
    export,
    huber_lab,
    reproduce,
    robustness,
)
from lessons.curves import regression_curve
from losses.fit.constant import best_constant
from ui.cache import (
    FIT_ENTRIES,
    key_of,
    regression_data,
    regression_fit,
    regression_pinball_lines,
)
from ui.charts import as_drawn, colour_for
from ui.controls import log_steps
from ui.frames import Animated, patched_frames
from ui.huber_charts import (
    huber_limits_spec,
    limits_patch,
    limits_shared,
    shared_tops,
    sweep_patch,
    sweep_spec,
    zones_patch,
    zones_spec,
)
from ui.regression_charts import (
    Line,
    cost_figure,
    estimates_figure,
    fits_figure,
    loss_curve_figure,
    true_line,
    weights_figure,
)

SWEEP_ENTRIES = 16
VIEW_ENTRIES = 32
CURVE_ENTRIES = 64  # a loss curve: one per loss, setting and round span asked lately
# Huber and its limits are quadratic or linear between the kinks (which the grid holds
# exactly): 201 points draw them as smoothly as 801, in a quarter of the frame data.
LIMITS_POINTS = 201
FRAME_ENTRIES = 8  # each holds 3 charts × 41 δ steps


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=SWEEP_ENTRIES, show_spinner="Fitting a Huber line at every δ…")
def huber_sweep(generator_args: tuple, deltas: tuple) -> huber_lab.DeltaSweep:
    """`huber_lab.delta_sweep` on `regression_data(**dict(generator_args))`."""
    frame = regression_data(**dict(generator_args))
    pinball = regression_pinball_lines(generator_args)
    return huber_lab.delta_sweep(
        frame["x"].to_numpy(), frame["y"].to_numpy(), deltas, pinball=pinball
    )


def fit_table(generator_args: tuple, picked_id: str, picked_params: tuple):
    """`robustness.fit_table` on `regression_data(**dict(generator_args))`, each loss's line
    from `regression_fit`'s cache (a new setting of the picked loss refits it alone).

    Not cached itself: with its seven fits cached, the table is built in less time than
    `st.cache_data` takes to hash its key and unpickle a kept copy, and each rerun gets
    its own frame."""
    frame = regression_data(**dict(generator_args))

    def line(loss_id: str, params: dict) -> dict:
        return regression_fit(generator_args, loss_id, key_of(params)).params

    return robustness.fit_table(frame, picked_id, dict(picked_params), line)


# The table's numbers as shown: four decimals, the errors signed; through `display_numbers.signed`,
# so an error that rounds to zero reads "+0.0000", never "−0.0000".
TABLE_FORMATS = {
    "slope": ".4f",
    "intercept": ".4f",
    "slope error": "+.4f",
    "intercept error": "+.4f",
}


def shown_table(table: pd.DataFrame) -> Styler:
    """``table`` (`robustness.fit_table`) with its numbers formatted by `TABLE_FORMATS`.

    A Styler keeps the cells numbers (the columns still sort as numbers) while
    st.dataframe shows the formatted text; a NumberColumn ``format`` would override it.
    """
    formats = {
        column: partial(display_numbers.signed, spec=spec)
        for column, spec in TABLE_FORMATS.items()
        if column in table.columns  # a student's file has no error columns (no true line)
    }
    return table.style.format(formats)


def delta_steps() -> tuple[float, ...]:
    """The values of Huber's δ slider (log-scale R10 steps over the spec's slider range),
    so the sweep passes through every δ a student can pick."""
    spec = next(spec for spec in losses.get("huber").params if spec.name == "delta")
    return tuple(log_steps(spec.ui_min, spec.ui_max))


def _columns(frame):
    return frame["x"].to_numpy(), frame["y"].to_numpy(), frame["is_outlier"].to_numpy()


@dataclass(frozen=True)
class RegressionView:
    """What the Regression & outliers page shows for one loss on one data set."""

    curve: go.Figure
    fits: go.Figure
    weights: go.Figure
    cost: go.Figure
    notes: tuple[str, ...]
    method: str
    n: int
    n_outliers: int
    n_added: int
    uploaded: bool  # the data are a student's file (no true line, no marked outliers)
    curve_note: str
    cost_text: str
    alt: dict  # chart name → its text alternative (lessons.alt_text)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=CURVE_ENTRIES, show_spinner=False)
def loss_curve(loss_id: str, loss_params: tuple, span: float) -> go.Figure:
    """``loss_id``'s loss and gradient over residuals −span..span (`loss_curve_figure`):
    a figure of the loss, its setting and a round span (`robustness.curve_span`) alone, so
    a data move that keeps the span keeps the very figure (and its revision: not resent)."""
    loss, params = losses.get(loss_id), dict(loss_params)
    marks = robustness.curve_marks(loss, params)
    axis = robustness.residual_grid(span, [position for position, _ in marks])
    value, grad = regression_curve(loss, axis, **params)
    return loss_curve_figure(loss.id, loss.name, axis, value, grad, marks=marks)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner=False)
def regression_view(generator_args: tuple, loss_id: str, loss_params: tuple) -> RegressionView:
    """The loss curve, the fits, the weights and the cost figure for ``loss_id``."""
    loss, params = losses.get(loss_id), dict(loss_params)
    frame = regression_data(**dict(generator_args))
    fit = regression_fit(generator_args, loss_id, loss_params)
    x, y, is_outlier = _columns(frame)
    is_added = frame["is_added"].to_numpy()
    residual = robustness.residuals(x, y, fit.params)
    marks = robustness.curve_marks(loss, params)
    span = robustness.curve_span(residual, marks)
    drop = robustness.cost_drop(fit.cost_history)

    truth = true_line(frame.attrs)
    picked = Line(
        f"{loss.name} fit", fit.params["intercept"], fit.params["slope"], colour_for(loss.id)
    )
    lines = [*([truth] if truth else []), picked]
    mse = regression_fit(generator_args, "mse", ()).params
    if loss.id != "mse":  # dashed and on top: visible where the two fits coincide
        lines.append(
            Line("MSE fit", mse["intercept"], mse["slope"], colour_for("mse"), dash="dash")
        )
    settings = robustness.settings_text(loss, params)
    n_outliers = int(frame.attrs["n_outliers"])
    alt = {
        "curve": alt_text.loss_curve(loss.name, settings, fit.params["slope"], mse["slope"]),
        "fits": alt_text.fit_lines(
            len(frame), n_outliers, [(line.name, line.intercept, line.slope) for line in lines]
        ),
        "weights": alt_text.weights(loss.name, fit.effective_weight),
        "cost": alt_text.fit_cost(loss.name, fit.cost_history),
    }
    return RegressionView(
        curve=loss_curve(loss_id, loss_params, span),
        fits=fits_figure(x, y, is_outlier, lines, is_added=is_added),
        weights=weights_figure(
            x, y, fit.effective_weight, residual, is_outlier, picked, is_added=is_added
        ),
        cost=cost_figure(drop, loss.id, loss.name),
        notes=tuple(
            frame.attrs["notes"]
            + robustness.fit_notes(frame, residual, marks, span, loss=loss, params=params)
            + robustness.loss_notes(loss, params)
        ),
        method=fit.method,
        n=len(frame),
        n_outliers=int(frame.attrs["n_outliers"]),
        n_added=int(frame.attrs["n_added"]),
        uploaded=frame.attrs.get("source") == "upload",
        curve_note=robustness.curve_note(loss, params),
        cost_text=robustness.cost_drop_text(drop),
        alt=alt,
    )


@dataclass(frozen=True)
class HuberView:
    """What the Huber δ lab shows for one δ on one data set: its numbers and notes (the
    charts for every δ are `huber_frames`)."""

    notes: tuple[str, ...]
    n: int
    n_quadratic: int
    slope: float
    mse_slope: float
    mae_slope: float
    sweep_size: int
    sweep_text: str  # what the sweep's two ends show on these data (huber_lab.sweep_ends_text)
    readout: tuple[tuple[str, str], ...]  # the numbers as printed (huber_lab.delta_readout)


@dataclass(frozen=True)
class HuberFrames:
    """The lab's three charts at every δ step, played in the browser by the δ scrubber, and
    its numbers at every step (`huber_lab.sweep_readouts`), shown by the scrubber."""

    limits: Animated
    zones: Animated
    sweep: Animated
    readouts: tuple[tuple[tuple[str, str], ...], ...]


def _huber_line(generator_args: tuple, sweep: huber_lab.DeltaSweep, delta: float) -> dict:
    """Huber's line at δ: the sweep's where δ is one of its steps (every δ the scrubber
    offers: the frames show that line, so the page's numbers are the frames' numbers),
    else its own fit (`regression_fit`)."""
    steps = np.flatnonzero(sweep.deltas == delta)
    if steps.size:
        return _sweep_line(sweep, int(steps[0]))
    return regression_fit(generator_args, "huber", (("delta", delta),)).params


def huber_axis(frame, sweep: huber_lab.DeltaSweep) -> np.ndarray:
    """The residual axis every δ step of the lab's curves shares: wide enough for the
    residuals of every δ's fit (`robustness.residual_span`), with 0 and every ±δ inside it
    exactly. It stays put while δ moves, and each curve has its corners where it should."""
    x, y, _ = _columns(frame)
    huber = losses.get("huber")
    span = max(
        robustness.residual_span(
            robustness.residuals(x, y, _sweep_line(sweep, step)),
            robustness.curve_marks(huber, {"delta": float(delta)}),
        )
        for step, delta in enumerate(sweep.deltas)
    )
    kinks = [sign * float(delta) for delta in sweep.deltas for sign in (-1.0, 1.0)]
    return robustness.residual_grid(span, kinks, points=LIMITS_POINTS)


def _sweep_line(sweep: huber_lab.DeltaSweep, step: int) -> dict:
    return {"intercept": float(sweep.intercepts[step]), "slope": float(sweep.slopes[step])}


def _sweep_fit_line(sweep: huber_lab.DeltaSweep, step: int) -> Line:
    params = _sweep_line(sweep, step)
    name = f"Huber fit, δ = {float(sweep.deltas[step]):g}"
    return Line(name, params["intercept"], params["slope"], colour_for("huber"))


def huber_specs(
    frame, sweep: huber_lab.DeltaSweep, step: int, axis: np.ndarray, tops: tuple[float, float]
) -> tuple[tuple, tuple, tuple]:
    """Huber beside its limits (on ``axis``, `huber_axis`; y-axis ``tops``,
    `huber_charts.shared_tops`), the data by zone, and the δ sweep, at the sweep's δ number
    ``step`` (its fit: the sweep's line there): each as (traces, layout). The figures each
    frame of `huber_frames` must show (the tests compare them); the frames themselves are
    built as patches (`huber_charts.limits_patch`…)."""
    delta = float(sweep.deltas[step])
    params = _sweep_line(sweep, step)
    x, y, _ = _columns(frame)
    residual = robustness.residuals(x, y, params)
    truth = {"slope": frame.attrs["true_slope"], "intercept": frame.attrs["true_intercept"]}
    return (
        huber_limits_spec(axis, huber_lab.huber_limits(axis, delta), delta, tops=tops),
        zones_spec(
            x, y, huber_lab.quadratic_zone(residual, delta), delta, _sweep_fit_line(sweep, step)
        ),
        sweep_spec(sweep, delta, params, truth),
    )


def huber_animated(frame, sweep: huber_lab.DeltaSweep) -> tuple[Animated, Animated, Animated]:
    """The lab's three charts as frames, one per δ of ``sweep``: the figures `huber_specs`
    gives at the first δ, and per δ what changes (`huber_charts.limits_patch`, `zones_patch`,
    `sweep_patch`), so that frame i shows `huber_specs` at δ number i."""
    axis = huber_axis(frame, sweep)
    x, y, _ = _columns(frame)
    mae = regression_curve(losses.get("mae"), axis)
    deltas = [float(delta) for delta in sweep.deltas]
    every_limits = huber_lab.huber_limits_each(axis, deltas)
    tops = shared_tops(every_limits)
    specs = huber_specs(frame, sweep, 0, axis, tops[0])
    steps: list[list[tuple[dict, dict]]] = [[], [], []]
    shared, drawn = limits_shared(every_limits[0], mae), (as_drawn(x), as_drawn(y))
    for step, (delta, limits) in enumerate(zip(deltas, every_limits, strict=True)):
        params = _sweep_line(sweep, step)
        quadratic = huber_lab.quadratic_zone(robustness.residuals(x, y, params), delta)
        steps[0].append(limits_patch(axis, limits, shared, delta, tops[step]))
        line = _sweep_fit_line(sweep, step)
        steps[1].append((zones_patch(x, y, quadratic, delta, line, drawn), {}))
        steps[2].append(sweep_patch(specs[2][0], delta, params))
    limits_chart, zones_chart, sweep_chart = (
        patched_frames(chart, [traces for traces, _ in moves], [layout for _, layout in moves])
        for chart, moves in zip(specs, steps, strict=True)
    )
    return limits_chart, zones_chart, sweep_chart


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FRAME_ENTRIES, show_spinner="Drawing the lab at every δ…")
def huber_frames(generator_args: tuple) -> HuberFrames:
    """`huber_animated` on the data set, with the numbers the scrubber shows at each δ
    (built once per data set).

    The lines are the sweep's: `huber_lab.delta_sweep` fits with the same `fit_line` as
    `regression_fit`, so each frame shows the line whose slope the page prints at that δ.
    """
    frame = regression_data(**dict(generator_args))
    sweep = huber_sweep(generator_args, delta_steps())
    limits, zones, sweep_chart = huber_animated(frame, sweep)
    readouts = huber_lab.sweep_readouts(frame["x"], frame["y"], sweep)
    return HuberFrames(limits=limits, zones=zones, sweep=sweep_chart, readouts=readouts)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner=False)
def huber_view(generator_args: tuple, loss_params: tuple) -> HuberView:
    """The lab's numbers and notes for δ in ``loss_params``."""
    delta = dict(loss_params)["delta"]
    frame = regression_data(**dict(generator_args))
    sweep = huber_sweep(generator_args, delta_steps())
    line = _huber_line(generator_args, sweep, delta)
    x, y, _ = _columns(frame)
    residual = robustness.residuals(x, y, line)
    span = robustness.residual_span(residual)
    quadratic = huber_lab.quadratic_zone(residual, delta)
    notes = frame.attrs["notes"] + huber_lab.zone_notes(residual, delta, line, sweep.mae, sweep.mse)
    return HuberView(
        notes=tuple(notes + robustness.fit_notes(frame, residual, [], span)),
        n=len(frame),
        n_quadratic=int(np.sum(quadratic)),
        slope=line["slope"],
        mse_slope=sweep.mse["slope"],
        mae_slope=sweep.mae["slope"],
        sweep_size=len(sweep.deltas),
        sweep_text=huber_lab.sweep_ends_text(frame["x"], frame["y"], sweep),
        readout=huber_lab.delta_readout(
            residual, delta, line["slope"], sweep.mse["slope"], sweep.mae["slope"]
        ),
    )


def added_point_effect(generator_args: tuple, loss_id: str, loss_params: tuple) -> str | None:
    """What the last point a student added did to the MSE line and to ``loss_id``'s line
    (`robustness.added_point_effect`), or None when none was added (fits cached)."""
    args = dict(generator_args)
    added = args.get("added", ())
    if not added:
        return None
    before = key_of(args | {"added": tuple(added[:-1])})

    def lines(data_key, loss, params):
        return regression_fit(data_key, loss, params).params

    return robustness.added_point_effect(
        added[-1],
        mse=(lines(before, "mse", ()), lines(generator_args, "mse", ())),
        picked=(lines(before, loss_id, loss_params), lines(generator_args, loss_id, loss_params)),
        picked_name=losses.get(loss_id).name,
        picked_id=loss_id,
    )


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=FIT_ENTRIES, show_spinner=False)
def location_estimate(generator_args: tuple, loss_id: str, loss_params: tuple) -> float:
    """``loss_id``'s best constant (`losses.fit.constant.best_constant`) on the values
    `lessons.estimates.location_values` takes from the page's data."""
    values, _ = estimates.location_values(regression_data(**dict(generator_args)))
    return best_constant(values, loss_id, **dict(loss_params))


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner=False)
def estimates_view(generator_args: tuple, loss_id: str, loss_params: tuple):
    """(figure, sentence, estimates): each regression loss's best constant on the data's
    values (`lessons.estimates.location_values`: offsets from the true line, or a file's y)."""
    frame = regression_data(**dict(generator_args))
    values, title = estimates.location_values(frame)

    def constant(other_id: str, params: dict) -> float:
        return location_estimate(generator_args, other_id, key_of(params))

    found = estimates.estimates(values, loss_id, dict(loss_params), constant)
    shown = estimates_figure(
        values, frame["is_outlier"].to_numpy(), found, picked=loss_id, x_title=title
    )
    uploaded = frame.attrs.get("source") == "upload"
    is_outlier = frame["is_outlier"].to_numpy()
    sentence = estimates.estimates_text(found, values, is_outlier, loss_id, uploaded=uploaded)
    return shown, sentence, alt_text.estimates(found)


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=FIT_ENTRIES, show_spinner=False)
def fit_number(generator_args: tuple, loss_id: str, loss_params: tuple) -> reproduce.PageNumber:
    """The cost J of ``loss_id``'s fitted line on the page's data, to reproduce."""
    frame = regression_data(**dict(generator_args))
    line = regression_fit(generator_args, loss_id, loss_params).params
    y, predicted = reproduce.line_inputs(frame, line)
    what = f"The {losses.get(loss_id).name} line's cost J (mean loss at its fit)"
    return reproduce.page_number(what, loss_id, dict(loss_params), y, predicted)


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=FIT_ENTRIES, show_spinner=False)
def points_csv(generator_args: tuple, loss_id: str, loss_params: tuple) -> bytes:
    """`lessons.export.regression_points` of the page's data and fit, as CSV bytes."""
    frame = regression_data(**dict(generator_args))
    result = regression_fit(generator_args, loss_id, loss_params)
    return export.csv_bytes(export.regression_points(frame, loss_id, dict(loss_params), result))
