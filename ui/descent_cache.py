"""Cached descents, landscapes and figures for the gradient-descent page, keyed by tuples.

Which cache holds what, and why: the caching policy in `ui.cache`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import losses
from lessons import alt_text, reproduce
from lessons import descent as lesson
from losses.fit import descent
from ui.cache import key_of, regression_data, regression_fit
from ui.charts import colour_for
from ui.descent_charts import (
    cost_epoch_figure,
    data_figure,
    landscape_figure,
    landscape_frames,
    line_and_cost_frames,
)
from ui.frames import Animated
from ui.memo import memo
from ui.regression_charts import Line, true_line

GRID_POINTS = 71  # per axis: 5,041 costs, each a mean over every point
RUN_ENTRIES = 128
VIEW_ENTRIES = 64
# Asked several times a rerun by the parts of a view: a class's current settings.
SHARED_ENTRIES = 64


# Cache policy (ui.cache): shared data.
@memo(SHARED_ENTRIES)
def _columns(generator_args: tuple):
    """The page's data frame and its x, y, is_outlier and is_added columns as arrays."""
    frame = regression_data(**dict(generator_args))
    return (
        frame,
        frame["x"].to_numpy(),
        frame["y"].to_numpy(),
        frame["is_outlier"].to_numpy(),
        frame["is_added"].to_numpy(),
    )


def descent_run(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple,
) -> descent.DescentPath:
    """`descent.gradient_descent` from ``start`` with ``settings`` (learning_rate, epochs,
    momentum, batch_size, seed as pairs) on the page's data.

    A request past the update cap runs the epochs that fit (`descent.epochs_run`) whatever
    it asked for: every such request shares the run of exactly that many epochs, cached
    once, and is told apart only by ``requested`` and its "update cap"."""
    run = dict(settings)
    _, x, _, _, _ = _columns(generator_args)
    epochs, stop = descent.epochs_run(x.size, run["epochs"], run.get("batch_size"))
    if stop != "update cap":
        return _descent_run(generator_args, loss_id, loss_params, start, settings)
    path = _descent_run(
        generator_args, loss_id, loss_params, start, key_of(run | {"epochs": epochs})
    )
    return replace(
        path, requested=run["epochs"], stop="update cap" if path.stop == "done" else path.stop
    )


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=RUN_ENTRIES, show_spinner=False)
def _descent_run(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple,
) -> descent.DescentPath:
    _, x, y, _, _ = _columns(generator_args)
    return descent.gradient_descent(
        x, y, loss_id, start=start, **dict(settings), **dict(loss_params)
    )


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=RUN_ENTRIES, show_spinner=False)
def line_number(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple | None,
) -> reproduce.PageNumber | None:
    """The cost J of the line the page ends on (the descent's after its last epoch, or the
    start line when nothing runs), to reproduce; None when the descent diverged."""
    frame = regression_data(**dict(generator_args))
    name = losses.get(loss_id).name
    if settings is None:
        line, what = start, f"The {name} cost J of your line"
    else:
        path = descent_run(generator_args, loss_id, loss_params, start, settings)
        if path.stop == "diverged":
            return None
        line = (float(path.intercepts[-1]), float(path.slopes[-1]))
        what = f"The {name} cost J of the descent's line after epoch {path.epochs}"
    y, predicted = reproduce.line_inputs(frame, {"intercept": line[0], "slope": line[1]})
    number = reproduce.page_number(what, loss_id, dict(loss_params), y, predicted)
    return number if np.isfinite(number.value) else None


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=RUN_ENTRIES, show_spinner="Computing the cost landscape…")
def landscape(generator_args: tuple, loss_id: str, loss_params: tuple, window: lesson.Window):
    """(a values, b values, J on the grid) over ``window``."""
    _, x, y, _, _ = _columns(generator_args)
    a_values = np.linspace(window.a_low, window.a_high, GRID_POINTS)
    b_values = np.linspace(window.b_low, window.b_high, GRID_POINTS)
    costs = descent.cost_landscape(x, y, loss_id, a_values, b_values, **dict(loss_params))
    return a_values, b_values, costs


@dataclass(frozen=True)
class DescentView:
    """What the page shows for one set of settings."""

    landscape: go.Figure | Animated
    data: go.Figure | Animated
    cost: Animated | None
    epochs: tuple[int, ...]  # the scrubber's steps (empty: no descent)
    sentences: tuple[str, ...]
    minimum: tuple[float, float]
    minimum_cost: float
    start_cost: float
    log_colour: bool
    stability: str | None  # MSE: the η its descent is stable below, and what sets it
    n: int
    notes: tuple[str, ...] = ()  # the data's (rows dropped from a student's file)
    alt: dict = field(default_factory=dict)  # chart → its text alternative (lessons.alt_text)
    judgement: lesson.Judgement | None = None  # what the descent did (None: none ran)
    data_alts: tuple[str, ...] = ()  # the data chart's alt at each scrubber step

    def data_alt(self, step: int | None) -> str:
        """The data chart's alt with the line of scrubber step ``step`` (None: no descent)."""
        return self.data_alts[step] if step is not None and self.data_alts else self.alt["data"]


def _minimum(generator_args: tuple, loss_id: str, loss_params: tuple) -> tuple[float, float]:
    fit = regression_fit(generator_args, loss_id, loss_params).params
    return float(fit["intercept"]), float(fit["slope"])


def page_window(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple | None,
    anchor: tuple[float, float],
) -> lesson.Window:
    """The landscape's window: the page's default start ``anchor``, the minimiser and (a
    descent runs with ``settings``) the points of the descent from the anchor up to its
    first overshoot past its starting cost (`lessons.descent.held_epochs`: a diverging
    path's later points are cut at the edge), with a margin. Grown to hold ``start`` only
    when that lies outside (a link's): a click on the map lands inside it, so the axes do
    not move under the pointer."""
    _, x, y, _, _ = _columns(generator_args)
    minimum = _minimum(generator_args, loss_id, loss_params)
    a, b = [anchor[0], minimum[0]], [anchor[1], minimum[1]]
    if settings is not None:
        path = descent_run(generator_args, loss_id, loss_params, anchor, settings)
        held = lesson.held_epochs(path)
        a += path.intercepts[:held].tolist()
        b += path.slopes[:held].tolist()
    window = lesson.window(a, b, x=x, y=y)
    if lesson.contains(window, start):
        return window
    return lesson.window([*a, start[0]], [*b, start[1]], x=x, y=y)


def descent_view(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple | None,
    reveal: bool,
    window: lesson.Window,
    whole_path: bool = False,
) -> DescentView:
    """The landscape, the data and (``settings`` given: a descent runs) the cost per epoch,
    with frames for every step of the epoch scrubber (the path drawn up to the step shown;
    all of it faintly too when ``whole_path``); without a descent, the start's line
    ("find the bottom yourself"), the minimum shown only when ``reveal``.

    Built from parts cached apart, so a move that changes one chart rebuilds that one:
    "show the whole path" swaps the landscape of the run's view (`run_view`) alone."""
    if settings is None:
        return explore_view(generator_args, loss_id, loss_params, start, reveal, window)
    view = run_view(generator_args, loss_id, loss_params, start, settings, window)
    if not whole_path:
        return view
    whole = run_landscape(generator_args, loss_id, loss_params, start, settings, window, True)
    return replace(view, landscape=whole)


# Cache policy (ui.cache): shared data.
@memo(SHARED_ENTRIES)
def _basics(generator_args: tuple, loss_id: str, loss_params: tuple, start: tuple):
    """The minimum (a*, b*), J* there and J at ``start``."""
    _, x, y, _, _ = _columns(generator_args)
    minimum = _minimum(generator_args, loss_id, loss_params)
    minimum_cost, start_cost = (
        float(cost)
        for cost in descent.costs_at(
            x,
            y,
            loss_id,
            np.array([minimum[0], start[0]]),
            np.array([minimum[1], start[1]]),
            **dict(loss_params),
        )
    )
    return minimum, minimum_cost, start_cost


def _landscape_args(generator_args, loss_id, loss_params, start, window) -> dict:
    """What every landscape of these settings shares: the grid, its costs, the colour."""
    a_values, b_values, costs = landscape(generator_args, loss_id, loss_params, window)
    return {
        "a_values": a_values,
        "b_values": b_values,
        "costs": costs,
        "log": lesson.log_colour(costs),
        "colour": colour_for(loss_id),
        "start": start,
    }


def _stability(x, loss, settings: tuple | None) -> str | None:
    run = dict(settings) if settings is not None else {}
    if not loss.squared_error:
        return None
    return lesson.stability(x, momentum=run.get("momentum", 0.0), batch_size=run.get("batch_size"))


def _judgement(generator_args, loss_id, loss_params, start, path) -> lesson.Judgement:
    """`lessons.descent.judge` of ``path``, the run from ``start`` (its cached copy, asked
    once by the caller: each ask of a cached result pays Streamlit's hash and a copy)."""
    _, x, _, _, _ = _columns(generator_args)
    minimum, minimum_cost, _ = _basics(generator_args, loss_id, loss_params, start)
    return lesson.judge(
        path,
        x=x,
        minimum=minimum,
        minimum_cost=minimum_cost,
        loss_id=loss_id,
        loss_name=losses.get(loss_id).name,
    )


def _diverged_note(path: descent.DescentPath, judgement: lesson.Judgement) -> str | None:
    # A diverging run leaves every chart's range: its verdict says so on them.
    summary = judgement.summary
    return summary[:1].upper() + summary[1:] if path.stop == "diverged" else None


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner=False)
def run_landscape(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple,
    window: lesson.Window,
    whole_path: bool,
) -> Animated:
    """The landscape of a descent with ``settings`` from ``start``, its frames growing the
    path epoch by epoch (`descent_charts.landscape_frames`); the whole path faintly too when
    ``whole_path``."""
    path = descent_run(generator_args, loss_id, loss_params, start, settings)
    judgement = _judgement(generator_args, loss_id, loss_params, start, path)
    land = landscape_figure(
        **_landscape_args(generator_args, loss_id, loss_params, start, window),
        minimum=_minimum(generator_args, loss_id, loss_params),
        current=start,
        path=([start[0]], [start[1]]),
        note=_diverged_note(path, judgement),
        whole_path=(path.intercepts, path.slopes) if whole_path else None,
    )
    return landscape_frames(
        land,
        epochs=lesson.snapshots(path.epochs),
        intercepts=path.intercepts,
        slopes=path.slopes,
        spans=(window.a_high - window.a_low, window.b_high - window.b_low),
    )


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner=False)
def explore_view(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    reveal: bool,
    window: lesson.Window,
) -> DescentView:
    """The page without a descent: the start's line ("find the bottom yourself"), the
    minimum shown only when ``reveal``."""
    loss = losses.get(loss_id)
    frame, x, y, is_outlier, is_added = _columns(generator_args)
    minimum, minimum_cost, start_cost = _basics(generator_args, loss_id, loss_params, start)
    convex = loss.is_convex(dict(loss_params))  # else the fit's minimum is one valley's
    common = _landscape_args(generator_args, loss_id, loss_params, start, window)
    colour = common["colour"]
    shown_minimum = Line("fit’s minimum", *minimum, colour, dash="dash")
    yours = Line("your line", *start, colour, width=4)
    land = landscape_figure(
        **common, minimum=minimum if reveal else None, current=start, current_name="your line"
    )
    data, _ = data_figure(
        x,
        y,
        is_outlier,
        is_added,
        truth=true_line(frame.attrs),
        minimum=shown_minimum if reveal else None,
        current=yours,
    )
    text = lesson.explore_text(
        start,
        start_cost,
        minimum=minimum if reveal else None,
        minimum_cost=minimum_cost if reveal else None,
        convex=convex,
    )
    # The minimum stays out of the text while the chart hides it (find it yourself).
    alt = {
        "landscape": alt_text.landscape(
            loss.name, minimum if reveal else None, minimum_cost, start, None, convex=convex
        ),
        "data": alt_text.descent_line(len(frame), start, minimum if reveal else None),
    }
    return DescentView(
        land,
        data,
        None,
        (),
        (text,),
        minimum,
        minimum_cost,
        start_cost,
        common["log"],
        _stability(x, loss, None),
        len(frame),
        tuple(frame.attrs["notes"]),
        alt,
    )


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner="Running gradient descent…")
def run_view(
    generator_args: tuple,
    loss_id: str,
    loss_params: tuple,
    start: tuple[float, float],
    settings: tuple,
    window: lesson.Window,
) -> DescentView:
    """The page with a descent run with ``settings`` from ``start``: the landscape
    (`run_landscape`, the path drawn up to the epoch shown), the data with the line and the
    cost per epoch, each with frames for every step of the epoch scrubber."""
    loss = losses.get(loss_id)
    frame, x, y, is_outlier, is_added = _columns(generator_args)
    minimum, minimum_cost, start_cost = _basics(generator_args, loss_id, loss_params, start)
    convex = loss.is_convex(dict(loss_params))  # else the fit's minimum is one valley's
    colour = colour_for(loss_id)
    # Named as on the landscape (the loss is in the page's title): the loss's full name made
    # a legend entry that, in a narrow presentation column, took a row of its own.
    shown_minimum = Line("fit’s minimum", *minimum, colour, dash="dash")
    path = descent_run(generator_args, loss_id, loss_params, start, settings)
    epochs = lesson.snapshots(path.epochs)
    end = (float(path.intercepts[-1]), float(path.slopes[-1]))
    judgement = _judgement(generator_args, loss_id, loss_params, start, path)
    note = _diverged_note(path, judgement)
    current = Line("descent's line", *start, colour, width=4)
    data, line_index = data_figure(
        x,
        y,
        is_outlier,
        is_added,
        truth=true_line(frame.attrs),
        minimum=shown_minimum,
        current=current,
        note=note,
    )
    cost = cost_epoch_figure(
        path.costs, minimum_cost=minimum_cost, colour=colour, name=loss.name, current=0
    )
    data_frames, cost_frames = line_and_cost_frames(
        data,
        line_index,
        cost,
        epochs=epochs,
        intercepts=path.intercepts,
        slopes=path.slopes,
        costs=path.costs,
        x_range=(float(np.min(x)), float(np.max(x))),
    )
    alt = {
        "landscape": alt_text.landscape(
            loss.name, minimum, minimum_cost, start, end, convex=convex
        ),
        "data": alt_text.descent_line(len(frame), end, minimum),
        "cost": alt_text.descent_cost(
            float(path.costs[0]),
            float(path.costs[-1]),
            minimum_cost,
            path.epochs,
            judgement.summary,
        ),
    }
    return DescentView(
        run_landscape(generator_args, loss_id, loss_params, start, settings, window, False),
        data_frames,
        cost_frames,
        tuple(int(epoch) for epoch in epochs),
        judgement.sentences,
        minimum,
        minimum_cost,
        start_cost,
        lesson.log_colour(landscape(generator_args, loss_id, loss_params, window)[2]),
        _stability(x, loss, settings),
        len(frame),
        tuple(frame.attrs["notes"]),
        alt,
        judgement,
        tuple(
            alt_text.descent_line(len(frame), (path.intercepts[k], path.slopes[k]), minimum)
            for k in epochs
        ),
    )
