"""ui/charts.py: the palette, drawing helpers and the loss/gradient figure."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import losses
from ui import charts

# Okabe, M. & Ito, K. (2008), "Color Universal Design (CUD): how to make figures and
# presentations that are friendly to colorblind people", table of the eight colours
# (RGB 0–255 → hex): black 0,0,0; orange 230,159,0; sky blue 86,180,233; bluish green
# 0,158,115; yellow 240,228,66; blue 0,114,178; vermillion 213,94,0; reddish purple
# 204,121,167.
PUBLISHED_OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


# ---------------------------------------------------------------- palette


def test_okabe_ito_values_are_the_published_ones():
    for name, hex_code in charts.OKABE_ITO.items():
        assert hex_code.upper() == PUBLISHED_OKABE_ITO[name], name


def test_yellow_is_left_out_for_lines_on_white():
    used = {colour.upper() for palette in charts.TASK_PALETTES.values() for colour in palette}
    assert PUBLISHED_OKABE_ITO["yellow"] not in used


# Tol, P. (2021), "Colour Schemes", SRON technical note, muted qualitative scheme (designed
# for colour-blind readers too): indigo #332288, cyan #88CCEE, teal #44AA99, green #117733,
# olive #999933, sand #DDCC77, rose #CC6677, wine #882255, purple #AA4499.
PUBLISHED_TOL_MUTED = {
    "indigo": "#332288",
    "cyan": "#88CCEE",
    "teal": "#44AA99",
    "green": "#117733",
    "olive": "#999933",
    "sand": "#DDCC77",
    "rose": "#CC6677",
    "wine": "#882255",
    "purple": "#AA4499",
}


def test_every_fixed_palette_colour_is_colour_blind_safe():
    # Okabe–Ito first; Tol's muted scheme for a loss past Okabe–Ito's six.
    published = set(PUBLISHED_OKABE_ITO.values()) | set(PUBLISHED_TOL_MUTED.values())
    for task, palette in charts.TASK_PALETTES.items():
        for colour in palette:
            assert colour.upper() in published, (task, colour)


# Each loss's colour before the palette was derived from the registry (the LOSS_COLOURS table
# of ui/charts.py up to issue 27): deriving it must not change a figure.
COLOURS_BEFORE_ISSUE_27 = {
    "mse": "#D55E00",
    "mae": "#0072B2",
    "huber": "#009E73",
    "pseudo_huber": "#CC79A7",
    "log_cosh": "#E69F00",
    "quantile": "#56B4E9",
    "barron": "#332288",
    "bce": "#0072B2",
    "bce_weighted": "#E69F00",
    "focal": "#009E73",
    "hinge": "#CC79A7",
    "cce": "#0072B2",
    "sparse_cce": "#E69F00",
    "kl": "#009E73",
}


@pytest.mark.parametrize("loss_id", sorted(COLOURS_BEFORE_ISSUE_27))
def test_todays_losses_keep_their_colours(loss_id):
    assert charts.colour_for(loss_id) == COLOURS_BEFORE_ISSUE_27[loss_id]


@pytest.mark.parametrize("task", losses.TASKS)
def test_the_palette_cannot_run_out(task):
    colours = [charts.palette_colour(task, index).upper() for index in range(60)]
    assert len(set(colours)) == len(colours)
    assert all(len(colour) == 7 and colour.startswith("#") for colour in colours)


def test_every_registered_loss_has_its_own_colour():
    for loss_id in losses.REGISTRY:
        assert charts.colour_for(loss_id) != charts.FALLBACK_COLOUR, loss_id


def _distinct_within(task):
    ids = [loss.id for loss in losses.by_task(task)]
    ids.extend(charts.PAGE_VARIANTS.get(task, ()))  # weighted BCE beside plain BCE
    colours = [charts.colour_for(i).upper() for i in ids]
    assert len(set(colours)) == len(colours), dict(zip(ids, colours, strict=True))


@pytest.mark.parametrize("task", losses.TASKS)
def test_colours_are_distinct_within_each_task(task):
    _distinct_within(task)


@pytest.mark.parametrize("task", losses.TASKS)
def test_a_new_loss_takes_a_colour_of_its_own(task):
    first = losses.by_task(task)[0]
    extra = dataclasses.replace(first, id=f"extra_{task}", name=f"Extra {task} loss")
    with losses.registry.registered(extra):
        assert charts.colour_for(extra.id) != charts.FALLBACK_COLOUR
        _distinct_within(task)


def test_unknown_loss_gets_the_fallback_grey():
    assert charts.colour_for("no_such_loss") == charts.FALLBACK_COLOUR


def test_class_colours_are_ten_distinct_starting_with_okabe_ito():
    assert len(charts.CLASS_COLOURS) == 10
    assert len({c.upper() for c in charts.CLASS_COLOURS}) == 10
    published = set(PUBLISHED_OKABE_ITO.values())
    assert all(c.upper() in published for c in charts.CLASS_COLOURS[:7])


# ---------------------------------------------------------------- drawing helpers


def test_few_points_are_all_drawn():
    np.testing.assert_array_equal(charts.drawing_indices(5, limit=10), np.arange(5))
    np.testing.assert_array_equal(charts.drawing_indices(10, limit=10), np.arange(10))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 4000),
    limit=st.integers(1, 400),
    keep_share=st.floats(0.0, 1.0),
    seed=st.integers(0, 10),
)
def test_drawing_indices_keep_every_kept_point_within_the_limit(n, limit, keep_share, seed):
    rng = np.random.default_rng(seed)
    keep = rng.random(n) < keep_share
    chosen = charts.drawing_indices(n, limit=limit, keep=keep, seed=seed)
    assert chosen.size == min(n, limit)
    assert np.all(np.diff(chosen) > 0)  # sorted, no repeats
    assert chosen.size == 0 or (chosen[0] >= 0 and chosen[-1] < n)
    if keep.sum() <= limit:
        assert set(np.flatnonzero(keep)) <= set(chosen.tolist())


def test_drawing_indices_with_more_kept_than_the_limit_stay_within_it():
    keep = np.ones(5000, dtype=bool)
    chosen = charts.drawing_indices(5000, limit=100, keep=keep)
    assert chosen.size == 100 and set(chosen.tolist()) <= set(range(5000))


def test_drawing_indices_default_limit_is_3000_and_repeatable():
    first = charts.drawing_indices(10_000)
    assert first.size == charts.MAX_POINTS_DRAWN == 3000
    np.testing.assert_array_equal(first, charts.drawing_indices(10_000))


def test_as_drawn_is_float32_with_the_values_rounded_once():
    values = [0.1, 1.0 / 3.0, 1e6 + 0.5]
    drawn = charts.as_drawn(values)
    assert drawn.dtype == np.float32
    # float32 keeps 24 significant bits: relative error at most 2**-24 (IEEE 754).
    np.testing.assert_allclose(drawn, values, rtol=2.0**-24)


# ---------------------------------------------------------------- loss and gradient figure


def _loss_and_gradient(axis, curves, **options):
    """The loss/gradient figure the compare page builds (`charts.loss_and_gradient_spec`)."""
    return charts.figure(*charts.loss_and_gradient_spec(axis, curves, **options))


@pytest.fixture
def two_curves():
    axis = np.linspace(-3.0, 3.0, 7)
    curves = [
        charts.Curve("mse", "MSE", axis**2, 2 * axis),  # hand-derived: d(r²)/dr = 2r
        charts.Curve("mae", "MAE", np.abs(axis), np.sign(axis), dash="dash"),
    ]
    return axis, curves


def test_figure_has_a_loss_row_and_a_gradient_row_on_one_x_axis(two_curves):
    axis, curves = two_curves
    fig = _loss_and_gradient(axis, curves, x_title="residual r = ŷ − y")
    assert len(fig.data) == 2 * len(curves)
    rows = {(trace.xaxis, trace.yaxis) for trace in fig.data}
    assert rows == {("x", "y"), ("x2", "y2")}
    # shared x: the top axis follows the bottom one, so zoom and hover move together
    assert fig.layout.xaxis.matches == "x2"
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]  # loss above gradient


def test_figure_axis_titles(two_curves):
    axis, curves = two_curves
    fig = _loss_and_gradient(axis, curves, x_title="p", value_title="ℓ", grad_title="∂ℓ/∂p")
    assert fig.layout.xaxis2.title.text == "p"
    assert fig.layout.yaxis.title.text == "ℓ"
    assert fig.layout.yaxis2.title.text == "∂ℓ/∂p"


def test_one_legend_entry_per_curve_in_its_colour(two_curves):
    axis, curves = two_curves
    fig = _loss_and_gradient(axis, curves, x_title="r")
    shown = [trace.name for trace in fig.data if trace.showlegend is not False]
    assert shown == ["MSE", "MAE"]
    for curve in curves:
        traces = [t for t in fig.data if t.name == curve.name]
        assert len(traces) == 2
        assert {t.line.color for t in traces} == {charts.colour_for(curve.loss_id)}
        assert {t.line.dash for t in traces} == {curve.dash}
        assert len({t.legendgroup for t in traces}) == 1  # clicking the entry hides both


def test_figure_draws_the_curves_values(two_curves):
    axis, curves = two_curves
    fig = _loss_and_gradient(axis, curves, x_title="r")
    loss_trace, grad_trace = (t for t in fig.data if t.name == "MSE")
    assert loss_trace.yaxis == "y" and grad_trace.yaxis == "y2"
    np.testing.assert_array_equal(loss_trace.x, axis.astype(np.float32))
    np.testing.assert_array_equal(loss_trace.y, (axis**2).astype(np.float32))
    np.testing.assert_array_equal(grad_trace.y, (2 * axis).astype(np.float32))
    assert "%{y" in loss_trace.hovertemplate and "%{x" in loss_trace.hovertemplate


def test_marks_are_dotted_lines_in_both_rows_with_one_label(two_curves):
    axis, curves = two_curves
    marks = [(-1.0, "−δ"), (1.0, "+δ")]
    fig = _loss_and_gradient(axis, curves, x_title="r", marks=marks)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 2 * len(marks)
    assert sorted((s.x0, s.yref.split(" ")[0]) for s in lines) == [
        (-1.0, "y"),
        (-1.0, "y2"),
        (1.0, "y"),
        (1.0, "y2"),
    ]
    assert all(s.line.dash == "dot" for s in lines)
    assert sorted((a.x, a.text) for a in fig.layout.annotations) == [(-1.0, "−δ"), (1.0, "+δ")]


def test_figure_without_marks_has_no_lines(two_curves):
    axis, curves = two_curves
    fig = _loss_and_gradient(axis, curves, x_title="r")
    assert len(fig.layout.shapes) == 0 and len(fig.layout.annotations) == 0


# ---------------------------------------------------------------- figures built from one spec


def test_merged_merges_nested_dicts_and_leaves_its_inputs_alone():
    base = {"xaxis": {"title": {"text": "x"}, "range": [0, 1]}, "height": 420}
    update = {"xaxis": {"range": [-1, 1]}, "bargap": 0.35}
    assert charts.merged(base, update) == {
        "xaxis": {"title": {"text": "x"}, "range": [-1, 1]},
        "height": 420,
        "bargap": 0.35,
    }
    assert base == {"xaxis": {"title": {"text": "x"}, "range": [0, 1]}, "height": 420}


def test_subplot_layout_is_a_fresh_copy_each_time():
    first = charts.subplot_layout(2, 1, shared_xaxes=True, vertical_spacing=0.08)
    first["xaxis"]["matches"] = "changed"
    second = charts.subplot_layout(2, 1, shared_xaxes=True, vertical_spacing=0.08)
    assert second["xaxis"]["matches"] == "x2"  # the cached grid was not altered
