"""Cached pieces of the multi-class page (bounded), keyed by plain tuples.

Which cache holds what, and why: the caching policy in `ui.cache`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from lessons import label_memory, one_sample, reproduce, two_hot
from lessons import multiclass_fit as views
from losses import multiclass
from ui import cache
from ui import multiclass_charts as charts
from ui.two_hot_charts import two_hot_figure

ENTRIES = 32
GRID_SIZE = 150


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def memory_figure(n: int, k: int) -> go.Figure:
    """Bytes of n labels against k, one-hot vs class indices, with k marked."""
    ks, sizes = label_memory.memory_curve(n)
    return charts.label_memory_figure(ks, sizes, n=n, current_k=k)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def regions_figure(generator_args: tuple, loss_params: tuple) -> go.Figure:
    """Decision regions of the cached CCE fit on the cached data, data points on top."""
    frame = cache.multiclass_data(**dict(generator_args))
    fitted = cache.multiclass_fit(generator_args, "cce", loss_params)
    features = frame[["x1", "x2"]].to_numpy()
    x1_axis, x2_axis = views.grid_axes(features, size=GRID_SIZE)
    regions = views.decision_regions(fitted.params, x1_axis, x2_axis)
    k = dict(generator_args)["k"]
    return charts.decision_region_figure(
        x1_axis, x2_axis, regions, features, frame["label"].to_numpy(), k=k
    )


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def sparse_number(generator_args: tuple, fit_params: tuple, loss_params: tuple):
    """The sparse CCE cost the page shows, with its inputs (`lessons.reproduce.PageNumber`):
    class indices and the fitted model's logits, or their softmax with from_logits off."""
    frame = cache.multiclass_data(**dict(generator_args))
    fitted = cache.multiclass_fit(generator_args, "cce", fit_params)
    logits = views.softmax_logits(fitted.params, frame[["x1", "x2"]].to_numpy())
    params = dict(loss_params)
    predictions = logits if params["from_logits"] else multiclass.softmax(logits)
    what = "The sparse CCE cost (class indices)"
    return reproduce.page_number(what, "sparse_cce", params, frame["label"], predictions)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=4 * ENTRIES, show_spinner=False)
def sample_and_figure(
    logits: tuple, true_class: int, loss_params: tuple
) -> tuple[one_sample.SampleView, go.Figure]:
    """One sample's numbers (`one_sample.sample_view`) and its softmax / loss / gradient panels."""
    sample = one_sample.sample_view(logits, true_class, **dict(loss_params))
    return sample, charts.sample_figure(sample, true_class=true_class)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=len(two_hot.TARGETS), show_spinner=False)
def two_hot_and_figure(target_name: str) -> tuple[two_hot.TwoHotView, go.Figure]:
    """One target's losses along the logit sweep (`two_hot.two_hot_view`) and their chart."""
    view = two_hot.two_hot_view(target_name)
    return view, two_hot_figure(view)
