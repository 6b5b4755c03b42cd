"""Cached pieces of the multi-class page (bounded), keyed by plain tuples."""

from __future__ import annotations

import streamlit as st

from losses import multiclass_views
from ui import cache

ENTRIES = 32


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def decision_regions(generator_args: tuple, loss_params: tuple, size: int = 150):
    """(x1 axis, x2 axis, predicted class grid) for the cached CCE fit on the cached data."""
    frame = cache.multiclass_data(**dict(generator_args))
    fitted = cache.multiclass_fit(generator_args, "cce", loss_params)
    x1_axis, x2_axis = multiclass_views.grid_axes(frame[["x1", "x2"]].to_numpy(), size=size)
    return x1_axis, x2_axis, multiclass_views.decision_regions(fitted.params, x1_axis, x2_axis)
