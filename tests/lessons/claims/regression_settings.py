"""Hypothesis strategies for the regression pages' whole range of settings: the data
sidebar's sliders (`ui.controls.regression_data_controls`), a student's file (skewed,
shifted, scaled values), and each regression loss's parameters over its slider range
(`losses.registry`: ui_min..ui_max, the named values, the bool switches)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

import losses
from losses import data
from losses.upload import read_table, regression_frame
from ui.controls import slider_options

SEEDS = st.integers(0, 9999)


def slider_values(spec):
    """One parameter at any value its widget offers (`ui.controls.slider_options`: R10 steps
    on a log scale, even steps and the named stops), else anywhere on its plain slider."""
    if spec.kind == "bool":
        return st.booleans()
    options = slider_options(spec)
    if options is not None:
        return st.sampled_from(options)
    low, high = spec.ui_min, spec.ui_max
    stops = st.sampled_from(sorted({low, high, spec.default, *(v for v, _ in spec.named)}))
    if spec.log_scale:
        numbers = st.floats(math.log(low), math.log(high)).map(math.exp)
    else:
        numbers = st.floats(low, high)
    return stops | numbers.map(lambda value: min(max(value, low), high))


def loss_params(loss):
    return st.fixed_dictionaries({spec.name: slider_values(spec) for spec in loss.params})


@st.composite
def picked_loss(draw, ids=None):
    """(loss, params): a regression loss (of ``ids`` if given) at a setting of its sliders."""
    chosen = [loss for loss in losses.by_task("regression") if ids is None or loss.id in ids]
    loss = draw(st.sampled_from(chosen))
    return loss, draw(loss_params(loss))


@st.composite
def generator_args(draw, *, max_n: int = 400):
    """The data sidebar's arguments for `data.make_regression`, anywhere on its sliders."""
    return {
        "n": draw(st.integers(10, max_n)),
        "noise": draw(st.sampled_from([0.0, 1.0]) | st.floats(0.0, 5.0)),
        "outlier_fraction": draw(st.sampled_from([0.0, 0.1, 0.2, 0.5]) | st.floats(0.0, 0.5)),
        "outlier_magnitude": draw(st.sampled_from([0.0, 10.0, 50.0]) | st.floats(0.0, 50.0)),
        "two_sided": draw(st.booleans()),
        "seed": draw(SEEDS),
    }


@st.composite
def generated_frame(draw, *, max_n: int = 400):
    return data.make_regression(**draw(generator_args(max_n=max_n)))


@st.composite
def file_values(draw, *, max_n: int = 400, n: int | None = None):
    """A column like a student's file (``n`` values, else 5..``max_n``): a skewed bulk
    (log-normal), shifted and scaled, its skew either way, with a few far points on either
    side."""
    rng = np.random.default_rng(draw(SEEDS))
    n = draw(st.integers(5, max_n)) if n is None else n
    bulk = rng.lognormal(0.0, draw(st.floats(0.05, 2.0)), size=n)
    far = draw(st.integers(0, max(1, n // 5)))
    side = draw(st.sampled_from([-1.0, 1.0]))
    bulk[:far] = side * draw(st.floats(1.0, 100.0)) * rng.uniform(0.5, 1.5, size=far)
    flip = draw(st.sampled_from([-1.0, 1.0]))
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]) | st.floats(1e-3, 1e3))
    shift = draw(st.sampled_from([0.0, 1e4]) | st.floats(-1e4, 1e4))
    return shift + flip * scale * bulk


@st.composite
def file_xy(draw, *, max_n: int = 300):
    """(x, y) like a student's file: x anywhere (shifted, scaled), y a line plus a skewed
    (log-normal) scatter, its skew either way, with a few far points on either side."""
    rng = np.random.default_rng(draw(SEEDS))
    n = draw(st.integers(10, max_n))
    x = draw(st.floats(-1e3, 1e3)) + draw(st.floats(0.1, 1e3)) * rng.uniform(size=n)
    slope, intercept = draw(st.floats(-10.0, 10.0)), draw(st.floats(-100.0, 100.0))
    return x, intercept + slope * (x - x.mean()) + draw(file_values(n=n))


def file_frame(x, y):
    """The frame a page builds from a student's CSV of columns x and y (`losses.upload`)."""
    lines = ["x,y", *(f"{float(a)!r},{float(b)!r}" for a, b in zip(x, y, strict=True))]
    return regression_frame(read_table("\n".join(lines).encode()), "x", "y")


@st.composite
def page_frame(draw, *, max_n: int = 150, max_added: int = 3, min_added: int = 0):
    """The regression pages' data (`ui.cache.regression_data`): generated from the sidebar's
    sliders or a student's file, with ``min_added`` to ``max_added`` points a student clicked
    on the chart (near the data, within `data.ADDED_COORDINATE_LIMIT`)."""
    if draw(st.booleans()):
        base = data.make_regression(**draw(generator_args(max_n=max_n)))
    else:
        # losses.upload refuses values beyond ±1e6 (the page says so and fits nothing).
        within = file_xy(max_n=max_n).filter(
            lambda xy: max(np.abs(xy[0]).max(), np.abs(xy[1]).max()) <= 1e6
        )
        base = file_frame(*draw(within))
    x, y = base["x"].to_numpy(), base["y"].to_numpy()
    limit = data.ADDED_COORDINATE_LIMIT

    def near(values):
        low, high = float(values.min()), float(values.max())
        room = 0.5 * (high - low) + 1.0
        low, high = (min(max(end, -limit), limit) for end in (low - room, high + room))
        return st.floats(low, high)

    added = draw(st.lists(st.tuples(near(x), near(y)), min_size=min_added, max_size=max_added))
    return data.with_added_points(base, added)
