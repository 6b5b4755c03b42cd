"""ui/binary_charts.py: loss curves per label, the data with decision lines, confusion matrices.

Expected curve values come from the registered losses through lessons.curves (the core
the figure must show, checked against references in tests/losses); counts and shares
in the confusion matrices are hand-derived."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from lessons import metrics
from lessons.curves import PROBABILITY, SCORE, binary_curve
from losses import data
from ui import binary_charts
from ui.binary_cache import page_losses
from ui.charts import MAX_POINTS_DRAWN, POINT_COLOUR, colour_for

FOCAL = {"gamma": 2.0, "alpha": 0.25}
PAGE_LOSSES = page_losses(9.0, {"focal": FOCAL})
# Every page loss by name (BCE, weighted BCE, focal, hinge, Brier, GCE): the hinge has
# no probability axis.
NAMES = {item.name for item in PAGE_LOSSES}
PROBABILITY_NAMES = NAMES - {"Hinge"}


def _lines(figure, row: int):
    axis = "y" if row == 1 else "y2"
    return {trace.name: trace for trace in figure.data if trace.yaxis == axis}


def test_probability_axis_curves_leave_hinge_out_and_use_the_loss_colours():
    figure = binary_charts.curves_figure(PAGE_LOSSES, 1, PROBABILITY, chosen="focal")
    losses_row = _lines(figure, 1)
    assert set(losses_row) == PROBABILITY_NAMES
    assert losses_row["BCE"].line.color == colour_for("bce")
    assert losses_row["Weighted BCE"].line.color == colour_for("bce_weighted")
    assert losses_row["Focal"].line.color == colour_for("focal")
    assert losses_row["Focal"].line.dash == "solid" and losses_row["BCE"].line.dash == "dash"
    p = binary_charts.PROBABILITY_AXIS
    weighted_value, weighted_grad = binary_curve(losses.get("bce"), p, 1, pos_weight=9.0)
    np.testing.assert_allclose(losses_row["Weighted BCE"].y, weighted_value, rtol=1e-6)
    np.testing.assert_allclose(_lines(figure, 2)["Weighted BCE"].y, weighted_grad, rtol=1e-6)
    focal_value, _ = binary_curve(losses.get("focal"), p, 1, **FOCAL)
    np.testing.assert_allclose(losses_row["Focal"].y, focal_value, rtol=1e-6)
    # Hand-derived: weighted BCE at y = 1 is 9·(−log p), nine times plain BCE.
    np.testing.assert_allclose(losses_row["Weighted BCE"].y, 9 * losses_row["BCE"].y, rtol=1e-6)
    assert figure.layout.xaxis2.title.text == "predicted probability p"
    assert figure.layout.yaxis.title.text == "loss ℓ"
    assert figure.layout.yaxis2.title.text == "gradient ∂ℓ/∂p"
    assert "y = 1" in figure.layout.title.text


@pytest.mark.parametrize(
    ("axis", "values"),
    [(PROBABILITY, binary_charts.PROBABILITY_AXIS), (SCORE, binary_charts.SCORE_AXIS)],
)
def test_curves_are_drawn_at_the_axis_values_given_by_start_and_step(axis, values):
    # Plotly draws point i of a trace without x at x0 + i·dx (plotly.js, scatter's x0/dx):
    # the evenly spaced axis, sent as two numbers instead of one array per curve.
    figure = binary_charts.curves_figure(PAGE_LOSSES, 1, axis, chosen="focal")
    for trace in figure.data:
        assert trace.x is None
        drawn = trace.x0 + trace.dx * np.arange(len(trace.y))
        np.testing.assert_allclose(drawn, values, rtol=0, atol=1e-12)


@pytest.mark.parametrize("label", [1, 0])
def test_a_chosen_loss_without_a_probability_curve_leaves_every_curve_solid(label):
    # Hinge is defined on scores only: with it chosen, no probability curve is highlighted,
    # so none is dashed against a solid line that is not there.
    figure = binary_charts.curves_figure(PAGE_LOSSES, label, PROBABILITY, chosen="hinge")
    for row in (1, 2):
        lines = _lines(figure, row)
        assert set(lines) == PROBABILITY_NAMES
        assert {line.line.dash for line in lines.values()} == {"solid"}


@pytest.mark.parametrize(("label", "margin"), [(1, 1.0), (0, -1.0)])
def test_score_axis_adds_hinge_and_marks_its_margin(label, margin):
    figure = binary_charts.curves_figure(PAGE_LOSSES, label, SCORE, chosen="hinge")
    losses_row = _lines(figure, 1)
    assert set(losses_row) == NAMES
    hinge = losses_row["Hinge"]
    assert hinge.line.color == colour_for("hinge") and hinge.line.dash == "solid"
    s = binary_charts.SCORE_AXIS
    # Hand-derived: hinge = max(0, 1 − t·s) with t = 2y − 1.
    np.testing.assert_allclose(hinge.y, np.maximum(0, 1 - (2 * label - 1) * s), atol=1e-6)
    marks = sorted(shape.x0 for shape in figure.layout.shapes)
    assert marks == sorted([0.0, margin] * 2)  # s = 0 and the margin t·s = 1, in both rows
    # The margin's label with a true minus sign (U+2212), as Plotly's own ticks.
    margin_label = "margin s = +1" if margin > 0 else "margin s = \u22121"
    assert margin_label in {annotation.text for annotation in figure.layout.annotations}
    # The two labels one unit apart are set off to either side, the margin's outward.
    anchors = {annotation.x: annotation.xanchor for annotation in figure.layout.annotations}
    assert anchors == {
        margin: "left" if margin > 0 else "right",
        0.0: "right" if margin > 0 else "left",
    }
    assert figure.layout.xaxis2.title.text == "score s (logit)"
    assert figure.layout.yaxis2.title.text == "gradient ∂ℓ/∂s"


def test_boundary_figure_keeps_every_positive_and_caps_the_points_drawn():
    frame = data.make_binary(5000, positive_fraction=0.01, seed=1)
    box = metrics.plot_box(frame["x1"], frame["x2"])
    inside = {"intercept": -1.0, "w1": 1.0, "w2": 1.0}
    outside = {"intercept": -1.0, "w1": 1e-10, "w2": 1e-10}
    boundaries = [
        ("bce_weighted", "Weighted BCE", metrics.decision_boundary(inside, box), inside),
        ("bce", "BCE", metrics.decision_boundary(outside, box), outside),
    ]
    figure = binary_charts.boundary_figure(
        frame["x1"], frame["x2"], frame["label"], box, boundaries
    )
    negatives, positives, weighted, plain = figure.data
    assert len(positives.x) == 50  # hand-derived: 1% of 5000, every one drawn
    assert len(positives.x) + len(negatives.x) <= MAX_POINTS_DRAWN
    assert negatives.marker.color == POINT_COLOUR
    assert positives.marker.symbol == "diamond"
    assert weighted.line.color == colour_for("bce_weighted") and weighted.line.dash == "solid"
    x0, x1 = weighted.x
    y0, y1 = weighted.y
    # Hand-derived: both ends lie on −1 + x₁ + x₂ = 0.
    assert x0 + y0 == pytest.approx(1.0) and x1 + y1 == pytest.approx(1.0)
    assert plain.line.color == colour_for("bce") and plain.line.dash == "dash"
    assert "outside the plot" in plain.name and plain.x == (None,)
    assert figure.layout.xaxis.title.text == "feature x₁"
    assert figure.layout.yaxis.title.text == "feature x₂"
    assert tuple(figure.layout.xaxis.range) == pytest.approx(box[0])
    assert tuple(figure.layout.yaxis.range) == pytest.approx(box[1])
    # No equal-aspect lock: with one, Plotly widens x to fill a wide column (at 1920 px
    # the reviewer saw −8..6 for data in −3..1.3) and the cloud fills a third of the plot.
    assert figure.layout.yaxis.scaleanchor is None and figure.layout.xaxis.scaleanchor is None
    assert figure.layout.xaxis.autorange is False and figure.layout.yaxis.autorange is False


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of a '#RRGGBB' colour against white (W3C's formula)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_contrast_helper_matches_known_values():
    # W3C: black on white is 21:1; #E69F00 (Okabe-Ito orange) is about 2.2:1 (WebAIM checker).
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#E69F00") == pytest.approx(2.2, abs=0.1)


def test_confusion_figure_counts_shares_and_colours():
    entries = [
        ("bce", "BCE", metrics.BinaryMetrics(tn=90, fp=0, fn=8, tp=2)),
        ("hinge", "Hinge", metrics.BinaryMetrics(tn=80, fp=10, fn=5, tp=5)),
    ]
    figure = binary_charts.confusion_figure(entries)
    bce, hinge = figure.data
    assert list(bce.y) == ["y = 0", "y = 1"] and list(bce.x) == ["ŷ = 0", "ŷ = 1"]
    np.testing.assert_array_equal(bce.customdata, [[90, 0], [8, 2]])
    # Hand-derived row shares: 90/90, 0/90; 8/10, 2/10.
    np.testing.assert_allclose(bce.z, [[1.0, 0.0], [0.8, 0.2]])
    assert bce.text[1][1] == "2<br>(20%)"
    assert bce.colorscale[-1][1] == colour_for("bce")
    assert hinge.colorscale[-1][1] == colour_for("hinge")
    # Titles in dark text at 18 px (orange on white was faint on a projector); a square in
    # the loss colour still ties each panel to its loss.
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles == [
        f"<span style='color:{colour_for('bce')}'>■</span> BCE",
        f"<span style='color:{colour_for('hinge')}'>■</span> Hinge",
    ]
    for annotation in figure.layout.annotations:
        assert annotation.font.size >= 18
        assert annotation.font.color == binary_charts.TITLE_COLOUR
    # WCAG contrast of the title colour on white, hand-computed rule: at least 7:1 (AAA).
    assert contrast_on_white(binary_charts.TITLE_COLOUR) >= 7.0
    assert figure.layout.xaxis.title.text == "predicted label ŷ"
    assert figure.layout.yaxis.title.text == "true label y"


def test_confusion_matrices_in_a_row_or_two_to_a_row_below_a_width():
    matrix = metrics.BinaryMetrics(tn=9, fp=1, fn=1, tp=1)
    entries = [(loss_id, loss_id, matrix) for loss_id in ("bce", "bce_weighted", "focal", "hinge")]
    layout = binary_charts.confusion_figure(entries).layout
    responsive = layout.meta["responsive"]
    assert responsive["below"] == binary_charts.CONFUSION_GRID_BELOW_PX
    grid = responsive["layout"]
    # Wide: one row (every panel spans the whole height); narrow: panels 1-2 above 3-4,
    # on the same axes the traces name, each row with its own y title.
    assert {tuple(layout[f"yaxis{n}"].domain) for n in ("", 2, 3, 4)} == {(0.0, 1.0)}
    top, bottom = (grid[f"yaxis{n}"]["domain"] for n in ("", 3))
    assert bottom[1] < top[0]
    assert grid["yaxis2"]["domain"] == top and grid["yaxis4"]["domain"] == bottom
    assert grid["xaxis"]["domain"][1] < grid["xaxis2"]["domain"][0]
    y_titles = [grid[f"yaxis{n}"]["title"]["text"] for n in ("", 2, 3, 4)]
    assert y_titles == ["true label y", "", "true label y", ""]
    # The x titles under the bottom row only: above, they ran into the next row's titles.
    x_titles = [grid[f"xaxis{n}"]["title"]["text"] for n in ("", 2, 3, 4)]
    assert x_titles == ["", "", "predicted ŷ", "predicted ŷ"]
    # An axis with labels has its title (tests/e2e/test_layout.py): the upper row has neither.
    labelled = [grid[f"xaxis{n}"].get("showticklabels", True) for n in ("", 2, 3, 4)]
    assert labelled == [False, False, True, True]
    assert [a["text"] for a in grid["annotations"]] == [a.text for a in layout.annotations]
    # Two rows of CONFUSION_ROW_HEIGHT.
    assert grid["height"] == 2 * binary_charts.CONFUSION_ROW_HEIGHT


def test_confusion_shares_never_round_a_nonzero_share_to_0_or_100_percent():
    figure = binary_charts.confusion_figure(
        [("focal", "Focal", metrics.BinaryMetrics(tn=4948, fp=2, fn=0, tp=0))]
    )
    (focal,) = figure.data
    # Hand-derived: 4948/4950 = 99.96% and 2/4950 = 0.04%; no positives, so no share.
    assert list(focal.text[0]) == ["4948<br>(>99%)", "2<br>(<1%)"]
    assert list(focal.text[1]) == ["0", "0"]


@pytest.mark.parametrize(
    ("params", "equation"),
    [
        # The reviewer's hover, ?bin_data_separation=0&bin_data_label_noise=0.5.
        (
            {"intercept": -0.03251, "w1": -0.1281, "w2": -0.1906},
            "\u22120.03251 \u2212 0.1281·x₁ \u2212 0.1906·x₂ = 0",
        ),
        ({"intercept": 0.291, "w1": 1.468, "w2": 1.251}, "0.291 + 1.468·x₁ + 1.251·x₂ = 0"),
        # −0.0 and a value that rounds to 0 read "0"; tiny and huge ones as ×10ⁿ.
        ({"intercept": -0.0, "w1": -1e-10, "w2": 2.5e12}, "0 \u2212 1×10⁻¹⁰·x₁ + 2.5×10¹²·x₂ = 0"),
    ],
)
def test_boundary_equation_writes_signs_as_operators(params, equation):
    assert binary_charts.boundary_equation(params) == equation


def test_boundary_hover_has_no_hyphen_minus_and_no_minus_zero():
    frame = data.make_binary(200, seed=3)
    box = metrics.plot_box(frame["x1"], frame["x2"])
    params = {"intercept": -0.03251, "w1": -0.1281, "w2": -0.0}
    figure = binary_charts.boundary_figure(
        frame["x1"],
        frame["x2"],
        frame["label"],
        box,
        [("bce", "BCE", metrics.decision_boundary(params, box), params)],
    )
    hover = figure.data[2].hovertemplate
    assert hover == "BCE: \u22120.03251 \u2212 0.1281·x₁ + 0·x₂ = 0<extra></extra>"
    assert "-" not in hover and "+ \u2212" not in hover


def test_more_than_four_confusion_matrices_sit_three_to_a_row_when_wide():
    # Six (the page's losses since Brier and GCE): two rows of three, each of
    # CONFUSION_ROW_HEIGHT; narrow, three rows of two, as for four.
    matrix = metrics.BinaryMetrics(tn=9, fp=1, fn=1, tp=1)
    ids = ("bce", "bce_weighted", "focal", "hinge", "brier", "gce")
    layout = binary_charts.confusion_figure([(i, i, matrix) for i in ids]).layout
    top, bottom = layout.yaxis.domain, layout.yaxis4.domain
    assert bottom[1] < top[0]
    assert layout.yaxis2.domain == top and layout.yaxis3.domain == top
    assert layout.yaxis5.domain == bottom and layout.yaxis6.domain == bottom
    assert layout.xaxis.domain[1] < layout.xaxis2.domain[0] < layout.xaxis3.domain[0]
    assert layout.height == 2 * binary_charts.CONFUSION_ROW_HEIGHT
    # "predicted label ŷ" would run together; under the bottom row only (panels 4 to 6).
    assert [layout[f"xaxis{n}"].title.text for n in ("", 2, 3, 4, 5, 6)] == [""] * 3 + [
        "predicted ŷ"
    ] * 3
    grid = layout.meta["responsive"]["layout"]
    assert grid["height"] == 3 * binary_charts.CONFUSION_ROW_HEIGHT
    assert grid["yaxis5"]["domain"][1] < grid["yaxis3"]["domain"][0]
