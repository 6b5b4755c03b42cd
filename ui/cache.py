"""Cached data and fits, keyed by their parameters (bounded: `max_entries`).

The arguments are plain numbers, strings and tuples, so the key is cheap to hash (never a
DataFrame). Data sets and fits are asked for many times in one rerun (each fit asks for its
data, a table for seven fits), so they are kept by `ui.memo.memo` (shared, read-only values,
a dictionary look-up per hit) rather than `st.cache_data` (Streamlit's hasher and an
unpickled copy per hit).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from losses import data, fit
from ui import uploads
from ui.cost_charts import cost_bars_figure
from ui.memo import memo

DATA_ENTRIES = 32
FIT_ENTRIES = 128
FIGURE_ENTRIES = 64


@memo(DATA_ENTRIES)
def regression_data(*, added: tuple = (), upload: tuple | None = None, **generator_args):
    """`data.make_regression`, or a student's file when ``upload`` is (digest, x, y)
    (`ui.uploads.frame`), with the points a student ``added`` ((x, y) pairs) appended
    (`data.with_added_points`): passed with the generator's arguments, they are part of
    every cache key that holds those, so every fit, view and table counts them."""
    base = uploads.frame("regression", upload) if upload else data.make_regression(**generator_args)
    return data.with_added_points(base, added)


@memo(DATA_ENTRIES)
def binary_data(*, upload: tuple | None = None, **generator_args):
    """`data.make_binary`, or a student's file when ``upload`` is (digest, x1, x2, label)."""
    return uploads.frame("binary", upload) if upload else data.make_binary(**generator_args)


@memo(DATA_ENTRIES)
def multiclass_data(*, upload: tuple | None = None, **generator_args):
    """`data.make_multiclass`, or a student's file when ``upload`` is (digest, x1, x2, label)
    (then ``k`` in the arguments is the file's class count, already in the frame)."""
    if upload:
        return uploads.frame("multiclass", upload)
    return data.make_multiclass(**generator_args)


@memo(DATA_ENTRIES)
def regression_pinball_lines(generator_args: tuple):
    """`fit.line.pinball_lines` of `regression_data(**dict(generator_args))`: the exact
    pinball lines (MAE's, each quantile's, the Newton fits' start) that every fit of one
    data set shares, so a page fitting every loss runs each pivot descent once."""
    frame = regression_data(**dict(generator_args))
    return fit.line.pinball_lines(frame["x"].to_numpy(), frame["y"].to_numpy())


@memo(FIT_ENTRIES)
def regression_fit(generator_args: tuple, loss_id: str, loss_params: tuple) -> fit.FitResult:
    """`fit.fit_regression` on `regression_data(**dict(generator_args))`."""
    frame = regression_data(**dict(generator_args))
    pinball = regression_pinball_lines(generator_args)
    return fit.fit_regression(frame, loss_id, pinball=pinball, **dict(loss_params))


@memo(FIT_ENTRIES)
def binary_fit(generator_args: tuple, loss_id: str, loss_params: tuple) -> fit.FitResult:
    """`fit.fit_binary` on `binary_data(**dict(generator_args))`."""
    frame = binary_data(**dict(generator_args))
    return fit.fit_binary(frame, loss_id, **dict(loss_params))


@memo(FIT_ENTRIES)
def multiclass_fit(generator_args: tuple, loss_id: str, loss_params: tuple) -> fit.FitResult:
    """`fit.fit_multiclass` on `multiclass_data(**dict(generator_args))`."""
    args = dict(generator_args)
    frame = multiclass_data(**args)
    return fit.fit_multiclass(frame, loss_id, k=args.get("k"), **dict(loss_params))


def key_of(mapping: dict) -> tuple:
    """A dict as a sorted tuple of pairs: a hashable, order-free cache key."""
    return tuple(sorted(mapping.items()))


@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def cost_figure(
    per_sample: tuple[float, ...],
    cost: float,
    loss_id: str,
    loss_name: str,
    sample_labels: tuple[str, ...],
    hover_details: tuple[str, ...],
):
    """`ui.cost_charts.cost_bars_figure`, built once per input (the figure is never modified)."""
    return cost_bars_figure(
        np.array(per_sample),
        cost,
        loss_id=loss_id,
        loss_name=loss_name,
        sample_labels=sample_labels,
        hover_details=hover_details,
    )
