"""The multi-class page's figures: traces, values, axis titles and colours."""

from __future__ import annotations

import numpy as np
import pytest

from lessons import label_memory, one_sample
from lessons import multiclass_fit as views
from losses import data
from ui import multiclass_charts as charts
from ui.charts import CLASS_COLOURS, MAX_POINTS_DRAWN, colour_for


def _lines(fig):
    return [trace for trace in fig.data if trace.mode == "lines"]


# ---------------------------------------------------------------- label memory


def test_memory_figure_draws_each_label_form_in_its_loss_colour_on_log_axes():
    ks, sizes = label_memory.memory_curve(600)
    fig = charts.label_memory_figure(ks, sizes, n=600, current_k=4)
    lines = {trace.name: trace for trace in _lines(fig)}
    one_hot = lines["one-hot rows, float32 (CCE)"]
    int64 = lines["class indices, int64 (sparse CCE)"]
    int32 = lines["class indices, int32 (sparse CCE)"]
    assert one_hot.line.color == colour_for("cce")
    assert int64.line.color == int32.line.color == colour_for("sparse_cce")
    assert int32.line.dash == "dash" and int64.line.dash == "solid"
    # hand-derived: 600 labels, k = 1000 → 2,400,000 bytes one-hot, 4,800 int64, 2,400 int32.
    assert one_hot.y[-1] == 2_400_000 and int64.y[-1] == 4_800 and int32.y[-1] == 2_400
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "number of classes k"
    assert "bytes" in fig.layout.yaxis.title.text


def test_memory_figure_marks_the_current_k():
    ks, sizes = label_memory.memory_curve(100)
    fig = charts.label_memory_figure(ks, sizes, n=100, current_k=7)
    markers = [trace for trace in fig.data if trace.mode == "markers"]
    assert len(markers) == 3
    assert all(list(trace.x) == [7] for trace in markers)
    # hand-derived: 100 × 7 × 4 bytes.
    assert 2800 in [trace.y[0] for trace in markers]
    assert fig.layout.shapes[0].x0 == 7


# ---------------------------------------------------------------- one sample


@pytest.fixture
def sample():
    return one_sample.sample_view(
        [2.0, 1.0, 0.1, -0.5], 2, from_logits=True, label_smoothing=0.1, eps=1e-7
    )


def test_sample_figure_shows_the_core_numbers(sample):
    fig = charts.sample_figure(sample, true_class=2)
    by_name = {trace.name: trace for trace in fig.data}
    # float32 for the browser: compare at float32 precision.
    np.testing.assert_allclose(by_name["softmax probability p"].y, sample.probability, rtol=1e-6)
    np.testing.assert_allclose(by_name["target y"].y, sample.target, rtol=1e-6)
    np.testing.assert_allclose(
        by_name["loss if this class were true"].y, sample.loss_if_true, rtol=1e-6
    )
    np.testing.assert_allclose(by_name["gradient ∂ℓ/∂z"].y, sample.gradient, rtol=1e-6)
    np.testing.assert_allclose(by_name["p − y"].y, sample.logit_route_gradient, rtol=1e-6)


def test_sample_figure_titles_every_axis_and_marks_the_true_class(sample):
    fig = charts.sample_figure(sample, true_class=2)
    assert fig.layout.yaxis.title.text and fig.layout.yaxis2.title.text
    assert "∂ℓ/∂z" in fig.layout.yaxis3.title.text
    assert fig.layout.xaxis3.title.text == "class j"
    assert "true" in fig.layout.xaxis3.ticktext[2]
    assert all("true" not in text for i, text in enumerate(fig.layout.xaxis3.ticktext) if i != 2)


def test_sample_figure_colours(sample):
    fig = charts.sample_figure(sample, true_class=2)
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name["softmax probability p"].marker.color) == list(CLASS_COLOURS[:4])
    loss_colours = list(by_name["loss if this class were true"].marker.color)
    assert loss_colours[2] == colour_for("cce")
    assert all(colour != colour_for("cce") for i, colour in enumerate(loss_colours) if i != 2)
    assert by_name["gradient ∂ℓ/∂z"].marker.color == colour_for("cce")


def test_clipped_sample_draws_zero_gradient_bars_inside_the_p_minus_y_outline():
    # k = 2, logits ±10, true class 1, probabilities clipped at ε = 1e-7 (the page's example).
    clipped = one_sample.sample_view(
        [10.0, -10.0], 1, from_logits=False, label_smoothing=0.0, eps=1e-7
    )
    fig = charts.sample_figure(clipped, true_class=1)
    by_name = {trace.name: trace for trace in fig.data}
    # hand-derived: both probabilities clipped → ∂ℓ/∂z = 0; p − y = (1, −1) to float32.
    np.testing.assert_array_equal(by_name["gradient ∂ℓ/∂z"].y, [0.0, 0.0])
    np.testing.assert_allclose(by_name["p − y"].y, [1.0, -1.0], atol=1e-7)
    outline = by_name["p − y"]
    assert outline.yaxis == "y3" and outline.marker.line.width > 0
    titles = [annotation.text for annotation in fig.layout.annotations]
    assert "gradient ∂ℓ/∂z of that loss" in titles[2] and "p − y" in titles[2]


# ---------------------------------------------------------------- decision regions


def _points(fig):
    return [trace for trace in fig.data if trace.name.startswith("class ")]


def _regions(n=600, k=4):
    frame = data.make_multiclass(n, k=k, seed=2)
    features = frame[["x1", "x2"]].to_numpy()
    params = {
        "intercepts": np.zeros(k),
        "weights": np.array([[1.0, -1.0, 0.0, 0.5][:k], [0.0, 0.5, 1.0, -1.0][:k]]),
    }
    x1_axis, x2_axis = views.grid_axes(features, size=30)
    regions = views.decision_regions(params, x1_axis, x2_axis)
    return frame, features, x1_axis, x2_axis, regions


def test_regions_figure_heatmap_is_the_grid_and_points_are_coloured_by_class():
    frame, features, x1_axis, x2_axis, regions = _regions()
    fig = charts.decision_region_figure(
        x1_axis, x2_axis, regions, features, frame["label"].to_numpy(), k=4
    )
    heatmap = fig.data[0]
    assert heatmap.type == "heatmap"
    np.testing.assert_array_equal(np.asarray(heatmap.z), regions)
    points = _points(fig)
    assert [trace.name for trace in points] == ["class 0", "class 1", "class 2", "class 3"]
    assert [trace.marker.color for trace in points] == list(CLASS_COLOURS[:4])
    # each class's points are exactly the data of that class (n ≤ 3000: all drawn).
    for j, trace in enumerate(points):
        np.testing.assert_allclose(trace.x, features[frame["label"].to_numpy() == j, 0], rtol=1e-6)
    assert fig.layout.xaxis.title.text == "x₁" and fig.layout.yaxis.title.text == "x₂"


def test_regions_figure_colour_scale_gives_each_class_its_colour():
    frame, features, x1_axis, x2_axis, regions = _regions(k=3)
    fig = charts.decision_region_figure(
        x1_axis, x2_axis, regions, features, frame["label"].to_numpy(), k=3
    )
    heatmap = fig.data[0]
    assert (heatmap.zmin, heatmap.zmax) == (-0.5, 2.5)
    # z = j maps to (j + 0.5)/3 of the scale; plotly interpolates between the nearest stops
    # below and above it, so both must carry class j's colour.
    stops = [(float(stop), colour) for stop, colour in heatmap.colorscale]
    for j in range(3):
        position = (j + 0.5) / 3
        below = [colour for stop, colour in stops if stop <= position][-1]
        above = [colour for stop, colour in stops if stop >= position][0]
        assert below == above == CLASS_COLOURS[j]


def test_regions_figure_draws_at_most_the_point_limit():
    frame, features, x1_axis, x2_axis, regions = _regions(n=5000)
    fig = charts.decision_region_figure(
        x1_axis, x2_axis, regions, features, frame["label"].to_numpy(), k=4
    )
    drawn = sum(len(trace.x) for trace in _points(fig))
    assert drawn == MAX_POINTS_DRAWN


def test_region_boundaries_are_the_cell_edges_between_classes():
    # Hand-derived on a 2 × 3 grid, cells 1 wide centred on x = 0, 1, 2 and y = 0, 1:
    # class 0 | 1 | 1 in the bottom row, 0 | 0 | 1 on top. Vertical edges at x = 0.5 (y from
    # −0.5 to 0.5) and x = 1.5 (0.5 to 1.5); a horizontal edge at y = 0.5 over the middle cell.
    regions = np.array([[0, 1, 1], [0, 0, 1]])
    x, y = charts.region_boundaries(np.arange(3.0), np.arange(2.0), regions)
    segments = {
        tuple(np.round(pair, 9).ravel())
        for pair in np.column_stack([x, y]).reshape(-1, 3, 2)[:, :2]
    }
    assert segments == {(0.5, -0.5, 0.5, 0.5), (1.5, 0.5, 1.5, 1.5), (0.5, 0.5, 1.5, 0.5)}
    assert np.isnan(x[2::3]).all() and np.isnan(y[2::3]).all()


def test_ten_regions_are_told_apart_by_boundaries_labels_and_symbols():
    # The reviewer's case: at k = 10, class 0 (blue) and class 4 (sky blue), 2 and 9, 3 and 7
    # filled their regions in nearly the same colour.
    k = 10
    frame = data.make_multiclass(400, k=k, seed=3)
    features = frame[["x1", "x2"]].to_numpy()
    angles = 2 * np.pi * np.arange(k) / k
    params = {"intercepts": np.zeros(k), "weights": np.vstack([np.cos(angles), np.sin(angles)])}
    x1_axis, x2_axis = views.grid_axes(features, size=40)
    regions = views.decision_regions(params, x1_axis, x2_axis)
    fig = charts.decision_region_figure(
        x1_axis, x2_axis, regions, features, frame["label"].to_numpy(), k=k
    )
    (boundary,) = [trace for trace in fig.data if trace.name == charts.BOUNDARY_NAME]
    assert boundary.mode == "lines" and len(boundary.x) > 0 and not boundary.showlegend
    # Each predicted class's region carries its number, framed in its colour.
    shown = sorted(np.unique(regions).tolist())
    labels = {int(a.text): a for a in fig.layout.annotations}
    assert sorted(labels) == shown
    assert all(labels[j].bordercolor == CLASS_COLOURS[j] for j in shown)
    symbols = [trace.marker.symbol for trace in _points(fig)]
    assert len(set(symbols)) == k  # one shape per class
    assert fig.layout.legend.font.size >= 15 and fig.layout.legend.itemsizing == "constant"
    assert fig.data[0].opacity >= 0.4


def test_sample_figure_narrow_layout_wraps_the_panel_titles():
    sample = one_sample.sample_view(
        (1.0, 0.5, -0.5), 0, from_logits=False, label_smoothing=0.0, eps=1e-7
    )
    layout = charts.sample_figure(sample, true_class=0).layout
    responsive = layout.meta["responsive"]
    narrow = responsive["layout"]
    assert responsive["below"] == charts.SAMPLE_TWO_LINE_TITLES_BELOW_PX
    # The same titles' words, two lines each, from the chart's left edge.
    titles = [note["text"] for note in narrow["annotations"]]
    assert [title.replace("<br>", " ") for title in titles] == list(charts.SAMPLE_PANEL_TITLES)
    assert all(title.count("<br>") == 1 for title in titles)
    assert all(note["xshift"] < 0 for note in narrow["annotations"])
    # Panels keep their axes' settings, further apart, in a taller chart; x axes untouched.
    assert narrow["yaxis"]["range"] == [0, 1.05] and narrow["yaxis2"]["rangemode"] == "tozero"
    gap = narrow["yaxis"]["domain"][0] - narrow["yaxis2"]["domain"][1]
    assert gap > layout.yaxis.domain[0] - layout.yaxis2.domain[1]
    assert narrow["height"] > layout.height
    assert not any(name.startswith("xaxis") for name in narrow)
