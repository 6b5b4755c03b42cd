"""Cached results for the regression pages that `ui.cache` does not hold: the δ sweep
and the per-loss fit table, keyed by plain tuples (bounded: `max_entries`)."""

from __future__ import annotations

import streamlit as st

import losses
from losses import robustness
from ui.cache import regression_data
from ui.controls import log_steps

SWEEP_ENTRIES = 16
TABLE_ENTRIES = 32


@st.cache_data(max_entries=SWEEP_ENTRIES, show_spinner="Fitting a Huber line at every δ…")
def huber_sweep(generator_args: tuple, deltas: tuple) -> robustness.DeltaSweep:
    """`robustness.delta_sweep` on `regression_data(**dict(generator_args))`."""
    frame = regression_data(**dict(generator_args))
    return robustness.delta_sweep(frame["x"].to_numpy(), frame["y"].to_numpy(), deltas)


@st.cache_data(max_entries=TABLE_ENTRIES, show_spinner=False)
def fit_table(generator_args: tuple, picked_id: str, picked_params: tuple):
    """`robustness.fit_table` on `regression_data(**dict(generator_args))`."""
    frame = regression_data(**dict(generator_args))
    return robustness.fit_table(frame, picked_id, dict(picked_params))


def delta_steps() -> tuple[float, ...]:
    """The values of Huber's δ slider (log-scale R10 steps over the spec's slider range),
    so the sweep passes through every δ a student can pick."""
    spec = next(spec for spec in losses.get("huber").params if spec.name == "delta")
    return tuple(log_steps(spec.ui_min, spec.ui_max))
