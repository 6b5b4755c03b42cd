"""The Binary & imbalance page through streamlit's AppTest.

Reference numbers are computed independently of the page: the data from
losses.data.make_binary, the fits from losses.fit.fit_binary, the predictions by hand
(s = intercept + w1·x1 + w2·x2 > 0) and the metrics by scikit-learn 1.9
(confusion_matrix, precision/recall/f1 with zero_division=NaN, balanced_accuracy_score).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

import losses
from lessons.curves import binary_curve
from losses import data, fit
from tests.app.page_reading import array, figures, open_page
from ui.binary_charts import PROBABILITY_AXIS

DEFAULT_DATA = {
    "n": 500,
    "positive_fraction": 0.1,
    "separation": 2.0,
    "label_noise": 0.0,
    "seed": 0,
}
DEFAULT_FOCAL = {"gamma": 2.0, "alpha": None}
# The page's classifiers: BCE, weighted BCE, focal, hinge and every other binary loss of the
# registry (Brier, GCE), by their short names.
PAGE_NAMES = {"Weighted BCE"} | {loss.short for loss in losses.by_task("binary")}


def reference_metrics(data_args=None, pos_weight=None, focal=None) -> dict[str, dict]:
    """{loss name: {metric: unrounded value}} from an independent fit and sklearn's metrics."""
    frame = data.make_binary(**{**DEFAULT_DATA, **(data_args or {})})
    labels = frame["label"].to_numpy()
    if pos_weight is None:  # the page's automatic balance: n_neg / n_pos, counted here
        pos_weight = np.sum(labels == 0) / np.sum(labels == 1)
    fits = {
        "BCE": ("bce", {}),
        "Weighted BCE": ("bce", {"pos_weight": pos_weight}),
        "Focal": ("focal", focal or DEFAULT_FOCAL),
        "Hinge": ("hinge", {}),
    }
    # Every other binary loss of the registry (Brier, GCE) at its defaults: its sidebar
    # section starts there.
    for loss in losses.by_task("binary"):
        fits.setdefault(loss.short, (loss.id, {}))
    rows = {}
    for name, (loss_id, params) in fits.items():
        p = fit.fit_binary(frame, loss_id, **params).params
        predicted = (p["intercept"] + p["w1"] * frame["x1"] + p["w2"] * frame["x2"] > 0).astype(int)
        (tn, fp), (fn, tp) = confusion_matrix(labels, predicted, labels=[0, 1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows[name] = {
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "tn": tn,
                "precision": precision_score(labels, predicted, zero_division=np.nan),
                "recall": recall_score(labels, predicted, zero_division=np.nan),
                "F1": f1_score(labels, predicted, zero_division=np.nan),
                "balanced accuracy": balanced_accuracy_score(labels, predicted),
            }
    return rows


def expected_table(data_args=None, pos_weight=None, focal=None) -> dict[str, dict[str, str]]:
    """{loss name: {column: text}}: reference_metrics to 3 decimals (none here lies within
    0.0005 of 0 or 1 without being exactly it; see test_near_perfect_metrics_…)."""
    rows = {}
    for name, m in reference_metrics(data_args, pos_weight, focal).items():
        rows[name] = {
            "predicted positive": str(m["tp"] + m["fp"]),
            "positives found": f"{m['tp']} of {m['tp'] + m['fn']}",
            "precision": "undefined (no positive predictions)"
            if np.isnan(m["precision"])
            else f"{m['precision']:.3f}",
            "recall": f"{m['recall']:.3f}",
            "F1": f"{m['F1']:.3f}",
            "balanced accuracy": f"{m['balanced accuracy']:.3f}",
        }
    return rows


def shown_table(app) -> dict[str, dict[str, str]]:
    table = app.table[0].value
    return {
        name: {column: str(value) for column, value in row.items()}
        for name, row in table.iterrows()
    }


def traces(figure: dict) -> dict[str, dict]:
    """Loss-row traces of a curves figure by name (the gradient row repeats the names)."""
    return {trace["name"]: trace for trace in figure["data"] if trace.get("yaxis", "y") == "y"}


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def test_defaults_show_the_cores_numbers():
    app = open_page("binary")
    assert not app.exception
    assert texts(app.warning) == []
    assert shown_table(app) == expected_table()
    assert app.selectbox(key="bin_loss").value == "bce_weighted"
    assert app.radio(key="bin_axis").value == "probability"
    # Hand-counted: 10% of 500 is 50 positives and 450 negatives, w = 9.
    assert "w = 450 / 50 = 9" in texts(app.sidebar.caption)
    shown = figures(app)
    # curves y = 1, curves y = 0, boundary, confusion matrices, focal's factor
    assert len(shown) == 5
    assert set(traces(shown[0])) == PAGE_NAMES - {"Hinge"}  # hinge has scores only
    boundary_names = [trace["name"] for trace in shown[2]["data"]]
    assert boundary_names[2:] == ["Weighted BCE boundary", "BCE boundary"]
    # The lesson, with the numbers of the table above, and its price in false alarms.
    (lesson,) = texts(app.success)
    # The counts from the reference fit and sklearn's confusion_matrix, not from the page.
    reference = reference_metrics()
    bce, weighted = reference["BCE"], reference["Weighted BCE"]
    assert bce["tp"] + bce["fn"] == 50  # hand-counted: 10% of 500
    assert bce["tp"] < weighted["tp"]  # the lesson's premise: weighting finds more
    assert f"BCE finds only {bce['tp']} of 50 positives (recall {bce['recall']:.0%})" in lesson
    assert (
        f"Weighted BCE finds {weighted['tp']} ({weighted['recall']:.0%}) at the price of "
        f"{weighted['fp']} false alarms (precision {weighted['precision']:.3f}, "
        "against 0.100 for flagging at random)"
    ) in lesson  # 0.100: 50 positives of 500 points, hand-counted


def test_one_positive_point_is_noted_and_undefined_metrics_are_spelled_out():
    query = {"bin_data_n": "50", "bin_data_positive": "0.5%"}
    app = open_page("binary", query)
    assert not app.exception
    notes = texts(app.info)
    assert any("rounds to 0 positives" in note for note in notes)  # the data's own note
    assert "Only 1 positive point: recall can only be 0% or 100%." in notes
    expected = expected_table({"n": 50, "positive_fraction": 0.005})
    assert shown_table(app) == expected
    # Plain BCE predicts no positive at all here, so its precision is undefined.
    assert expected["BCE"]["precision"] == "undefined (no positive predictions)"


def test_url_opens_the_view_and_bad_values_fall_back():
    query = {
        "bin_loss": "Hinge",
        "bin_axis": "score s (logit)",
        "bin_data_positive": "1%",
        "bin_focal_gamma": "0.5",
    }
    app = open_page("binary", query)
    assert not app.exception
    assert app.selectbox(key="bin_loss").value == "hinge"
    assert app.radio(key="bin_axis").value == "score"
    assert app.slider(key="bin_focal_gamma").value == 0.5
    assert set(traces(figures(app)[0])) == PAGE_NAMES
    expected = expected_table({"positive_fraction": 0.01}, focal={"gamma": 0.5, "alpha": None})
    assert shown_table(app) == expected

    bad = {"bin_loss": "Nonsense", "bin_axis": "sideways", "bin_data_positive": "7%"}
    app = open_page("binary", bad)
    assert not app.exception
    assert app.selectbox(key="bin_loss").value == "bce_weighted"
    assert app.radio(key="bin_axis").value == "probability"
    assert shown_table(app) == expected_table()


def test_manual_positive_weight_feeds_the_curves_and_the_fit():
    app = open_page("binary", {"bin_auto_w": "false", "bin_bce_pos_weight": "200"})
    assert not app.exception
    assert app.select_slider(key="bin_bce_pos_weight").value == 200.0
    weighted, plain = traces(figures(app)[0])["Weighted BCE"], traces(figures(app)[0])["BCE"]
    # Hand-derived: at y = 1 weighted BCE is w·(−log p), 200 times plain BCE.
    np.testing.assert_allclose(array(weighted["y"]), 200 * array(plain["y"]), rtol=1e-5)
    assert shown_table(app) == expected_table(pos_weight=200.0)


@pytest.mark.parametrize(
    ("query", "focal"),
    [
        ({"bin_focal_gamma": "0"}, {"gamma": 0.0, "alpha": None}),
        ({"bin_focal_gamma": "5"}, {"gamma": 5.0, "alpha": None}),
        ({"bin_focal_alpha_on": "true", "bin_focal_alpha": "0"}, {"gamma": 2.0, "alpha": 0.0}),
        ({"bin_focal_alpha_on": "true", "bin_focal_alpha": "1"}, {"gamma": 2.0, "alpha": 1.0}),
    ],
)
def test_focal_settings_reach_the_fit(query, focal):
    app = open_page("binary", query)
    assert not app.exception
    assert shown_table(app)["Focal"] == expected_table(focal=focal)["Focal"]
    # The drawn focal curve for y = 1 is the registered loss's with these settings.
    value, _ = binary_curve(losses.get("focal"), PROBABILITY_AXIS, 1, **focal)
    np.testing.assert_allclose(array(traces(figures(app)[0])["Focal"]["y"]), value, rtol=1e-5)


@pytest.mark.parametrize(
    "query",
    [
        {"bin_data_separation": "0"},
        {"bin_data_label_noise": "0.5"},
        {"bin_auto_w": "false", "bin_bce_pos_weight": "0.1"},
        {"bin_data_n": "5000", "bin_data_positive": "0.5%", "bin_loss": "Focal"},
    ],
)
def test_edge_inputs_run_and_match_the_core(query):
    app = open_page("binary", query)
    assert not app.exception
    data_args = {
        "separation": float(query.get("bin_data_separation", 2.0)),
        "label_noise": float(query.get("bin_data_label_noise", 0.0)),
        "n": int(query.get("bin_data_n", 500)),
        "positive_fraction": 0.005 if query.get("bin_data_positive") == "0.5%" else 0.1,
    }
    pos_weight = float(query["bin_bce_pos_weight"]) if "bin_bce_pos_weight" in query else None
    assert shown_table(app) == expected_table(data_args, pos_weight=pos_weight)


def test_a_line_outside_the_plot_is_explained():
    # A hinge fit at 1% positives and n = 5000 ends with w ≈ 1e-10: no line in view.
    app = open_page(
        "binary", {"bin_loss": "Hinge", "bin_data_positive": "1%", "bin_data_n": "5000"}
    )
    assert not app.exception
    assert any(
        note.startswith("Hinge: The decision line lies outside the plotted area")
        for note in texts(app.info)
    )
    boundary = figures(app)[2]
    assert boundary["data"][2]["name"] == "Hinge boundary (outside the plot)"


def test_page_controls_change_the_charts():
    app = open_page("binary")
    before = figures(app)
    app.radio(key="bin_axis").set_value("score").run()
    after = figures(app)
    assert after[0]["layout"]["xaxis2"]["title"]["text"] == "score s (logit)"
    assert before[0]["layout"]["xaxis2"]["title"]["text"] == "predicted probability p"

    app.selectbox(key="bin_loss").set_value("focal").run()
    names = [trace["name"] for trace in figures(app)[2]["data"]]
    assert names[2:] == ["Focal boundary", "BCE boundary"]

    focal_before = array(traces(figures(app)[0])["Focal"]["y"])
    app.slider(key="bin_focal_gamma").set_value(4.0).run()
    focal_after = array(traces(figures(app)[0])["Focal"]["y"])
    assert not np.allclose(focal_before, focal_after)

    app.toggle(key="bin_focal_alpha_on").set_value(True).run()
    assert not np.allclose(array(traces(figures(app)[0])["Focal"]["y"]), focal_after)

    app.toggle(key="bin_auto_w").set_value(False).run()
    assert app.select_slider(key="bin_bce_pos_weight") is not None
    assert any("Balanced would be w = 450 / 50 = 9" in c for c in texts(app.sidebar.caption))
    assert not app.exception


def test_near_perfect_metrics_are_not_rounded_to_1():
    query = {"bin_data_positive": "0.5%", "bin_data_n": "5000", "bin_data_separation": "6"}
    app = open_page("binary", query)
    assert not app.exception
    shown = shown_table(app)
    reference = reference_metrics({"n": 5000, "positive_fraction": 0.005, "separation": 6.0})
    weighted = reference["Weighted BCE"]
    # The reviewer's case: all 25 positives found and 1 of 4975 negatives flagged, so
    # balanced accuracy (1 + 4974/4975)/2 = 0.99990 (hand-derived), not 1.
    assert (weighted["tp"], weighted["fn"], weighted["fp"]) == (25, 0, 1)
    assert shown["Weighted BCE"]["balanced accuracy"] == "0.9999"
    # Every metric cell reads 0 or 1 only where sklearn's value is exactly that, and lies
    # within half a unit of its last digit of sklearn's value.
    for name, row in shown.items():
        for column in ("precision", "recall", "F1", "balanced accuracy"):
            text, value = row[column], reference[name][column]
            decimals = len(text.split(".")[1])
            assert abs(float(text) - value) <= 0.5 * 10.0**-decimals + 1e-12, (name, column)
            assert (float(text) in (0.0, 1.0)) == (value in (0.0, 1.0)), (name, column, text)


def test_a_chance_level_model_gets_no_success_box():
    # Identical blobs: weighted BCE finds about half the positives by flagging about half
    # of all points. The box must say so, with the price, and not celebrate.
    app = open_page("binary", {"bin_data_separation": "0", "bin_data_label_noise": "0.5"})
    assert not app.exception
    assert texts(app.success) == []
    (warning,) = texts(app.warning)
    weighted = reference_metrics({"separation": 0.0, "label_noise": 0.5})["Weighted BCE"]
    assert (weighted["tp"], weighted["fp"]) == (27, 194)  # the reviewer's counts
    assert "Weighted BCE flags 221 points and finds 27 (54%), but with 194 false alarms" in (
        warning
    )
    assert f"(precision {weighted['precision']:.3f}, against 0.100 for flagging" in warning
    assert "None of these finds clears the bar for a real one" in warning
    assert "traded misses for false alarms" in warning  # 194 false alarms against BCE's 0


def test_one_lucky_positive_gets_no_success_box():
    query = {"bin_data_positive": "0.5%", "bin_data_n": "50", "bin_data_separation": "0"}
    app = open_page("binary", query)
    assert not app.exception
    assert texts(app.success) == []
    (warning,) = texts(app.warning)
    weighted = reference_metrics({"n": 50, "positive_fraction": 0.005, "separation": 0.0})
    assert (weighted["Weighted BCE"]["tp"], weighted["Weighted BCE"]["fp"]) == (1, 20)
    # Hand-derived: 21 random picks of 50 points include the single positive 21/50 = 42%.
    assert "flagging 21 points at random finds at least 1 positive 42% of the time" in warning


def hinge_is_drawn_solid_on_the_score(app) -> None:
    """Both curve figures are on the score axis and hold Hinge, solid, the others dashed."""
    for figure in figures(app)[:2]:
        assert figure["layout"]["xaxis2"]["title"]["text"] == "score s (logit)"
        dashes = {name: trace["line"]["dash"] for name, trace in traces(figure).items()}
        assert dashes == {name: "solid" if name == "Hinge" else "dash" for name in PAGE_NAMES}


@pytest.mark.parametrize(
    "query",
    [
        # The reviewer's link: choosing Hinge must show Hinge, not a chart without it.
        {"bin_loss": "Hinge"},
        {"bin_loss": "Hinge", "bin_axis": "score s (logit)"},
        {"bin_loss": "Hinge", "bin_axis": "nonsense"},  # falls back to Hinge's own axis
    ],
)
def test_a_link_choosing_hinge_opens_on_the_score_axis(query):
    app = open_page("binary", query)
    assert not app.exception
    assert app.radio(key="bin_axis").value == "score"
    hinge_is_drawn_solid_on_the_score(app)
    app.run()  # a rerun keeps the axis
    assert app.radio(key="bin_axis").value == "score"


def test_choosing_hinge_moves_the_axis_to_the_score_and_the_student_can_move_it_back():
    app = open_page("binary")
    assert app.radio(key="bin_axis").value == "probability"
    app.selectbox(key="bin_loss").set_value("hinge").run()
    assert not app.exception
    assert app.radio(key="bin_axis").value == "score"
    hinge_is_drawn_solid_on_the_score(app)
    # An explicit choice of p with Hinge chosen stands (the caption says Hinge is absent).
    app.radio(key="bin_axis").set_value("probability").run()
    assert app.radio(key="bin_axis").value == "probability"
    assert figures(app)[0]["layout"]["xaxis2"]["title"]["text"] == "predicted probability p"
    # Other losses have a probability curve: choosing one leaves the axis alone.
    app.selectbox(key="bin_loss").set_value("focal").run()
    assert app.radio(key="bin_axis").value == "probability"
    app.radio(key="bin_axis").set_value("score").run()
    app.selectbox(key="bin_loss").set_value("bce").run()
    assert app.radio(key="bin_axis").value == "score"
    assert not app.exception


def test_hinge_chosen_on_the_probability_axis_is_not_called_solid():
    # A link naming the probability axis is honoured; the chart says Hinge has no curve.
    app = open_page("binary", {"bin_loss": "Hinge", "bin_axis": "predicted probability p"})
    assert app.radio(key="bin_axis").value == "probability"
    assert not app.exception
    captions = texts(app.caption)
    assert not any("Solid: Hinge" in caption for caption in captions)
    assert any(
        caption.startswith("Hinge, the chosen loss, has no curve here") for caption in captions
    )
    for figure in figures(app)[:2]:
        assert {trace["line"]["dash"] for trace in figure["data"]} == {"solid"}


def test_boundary_hover_writes_the_fitted_line_with_true_minus_signs():
    app = open_page("binary", {"bin_data_separation": "0", "bin_data_label_noise": "0.5"})
    frame = data.make_binary(**{**DEFAULT_DATA, "separation": 0.0, "label_noise": 0.5})
    # Reference: sklearn LogisticRegression with class_weight {1: 9} (w = 450/50, hand-counted)
    # on standardised features, C = 1/(n·l2) with the core's l2 = 1e-4 (the mapping of
    # tests/losses/test_fit.py), mapped back to raw x: the reviewer's line
    # −0.03251 − 0.1281·x₁ − 0.1906·x₂.
    features, labels = frame[["x1", "x2"]].to_numpy(), frame["label"].to_numpy()
    centre, spread = features.mean(axis=0), features.std(axis=0)
    model = LogisticRegression(
        C=1 / (len(labels) * 1e-4), class_weight={0: 1.0, 1: 9.0}, tol=1e-12, max_iter=10_000
    ).fit((features - centre) / spread, labels)
    w1, w2 = model.coef_[0] / spread
    intercept = model.intercept_[0] - np.sum(model.coef_[0] * centre / spread)
    assert [f"{value:.4g}" for value in (intercept, w1, w2)] == [
        "-0.03251",
        "-0.1281",
        "-0.1906",
    ]
    hover = figures(app)[2]["data"][2]["hovertemplate"]
    assert hover.startswith("Weighted BCE: \u22120.03251 \u2212 0.1281·x₁ \u2212 0.1906·x₂ = 0")
    for trace in figures(app)[2]["data"][2:]:
        assert "-" not in trace["hovertemplate"]


def test_focal_s_knobs_are_drawn_against_lin_et_al_s_settings():
    app = open_page("binary")
    assert not app.exception
    factor = figures(app)[4]
    lines = {trace["name"]: trace for trace in factor["data"]}
    assert set(lines) == {"γ = 0 = BCE", "γ = 1", "γ = 2 (this page)", "γ = 5"}
    # Hand-derived: focal / BCE = (1 − p_t)^γ (Lin et al. 2017, eq. 4), float32 on the wire.
    mine = lines["γ = 2 (this page)"]
    p_true = array(mine["x"]).astype(float)
    np.testing.assert_allclose(array(mine["y"]), (1 - p_true) ** 2, rtol=1e-5, atol=1e-6)
    text = " ".join(block.value for block in app.markdown)
    # Lin et al. 2017 and torchvision.ops.sigmoid_focal_loss: γ = 2, α = 0.25, α for each
    # positive, so positives 0.25 and negatives 0.75 (hand-derived: 1 − 0.25).
    assert "Lin et al. (2017): γ = 2, α = 0.25" in text
    assert "gives positives 0.25 and negatives 0.75, weighting the positives down" in text
    assert "so its default is this page's" in text  # keras BinaryFocalCrossentropy()
    # On the data on screen: positives found at each setting (sklearn, an independent fit).
    page = reference_metrics()["Focal"]
    lin = reference_metrics(focal={"gamma": 2.0, "alpha": 0.25})["Focal"]
    compared = (
        "fewer than"
        if lin["tp"] < page["tp"]
        else "more than"
        if (lin["tp"] > page["tp"])
        else "as many as"
    )
    assert (
        f"focal at Lin et al.'s settings finds {lin['tp']} of the 50 positives at p = 0.5, "
        f"{compared} the {page['tp']} it finds at this page's (γ = 2, no α)"
    ) in text
    assert "Focal without α weights positives and negatives alike" in " ".join(texts(app.caption))


def test_the_focal_chart_follows_the_page_s_gamma_and_alpha():
    app = open_page(
        "binary",
        {"bin_focal_gamma": "0.5", "bin_focal_alpha_on": "true", "bin_focal_alpha": "0.25"},
    )
    assert not app.exception
    names = [trace["name"] for trace in figures(app)[4]["data"]]
    assert names == ["γ = 0 = BCE", "γ = 0.5 (this page)", "γ = 1", "γ = 2", "γ = 5"]
    captions = " ".join(texts(app.caption))
    # Hand-derived: 0.75 / 0.25 = 3.
    assert "each negative counts 3 times as much as each positive" in captions


def test_the_positive_share_slider_rises_to_the_right_and_old_links_still_open():
    app = open_page("binary", {"bin_data_positive": "0.5%"})  # a link made before the reversal
    slider = app.select_slider(key="bin_data_positive")
    shares = [float(option.rstrip("%")) for option in slider.options]
    assert shares == sorted(shares)  # → means more positives
    assert shares[0] == 0.5 and shares[-1] == 50  # the same range as before, in percent
    assert slider.value == 0.005
