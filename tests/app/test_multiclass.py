"""AppTest of the multi-class page: it runs, its numbers are the core's, the URL sets its
controls, every control moves the charts, and the edge settings show no traceback."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import scipy.special
from streamlit.testing.v1 import AppTest

import losses
from losses import data, fit
from tests.app import harness
from tests.app.harness import figures as harness_figures
from tests.softmax_references import central_difference_gradient, probability_route_loss

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
CHARTS = ("memory", "sample", "two_hot", "regions")  # the page's plotly charts, top to bottom
# Logits 10 / −10 (k = 2, true class 1): both probabilities are clipped at the default ε.
SATURATED = {"mc_data_k": "2", "mc_logit_0": "10", "mc_logit_1": "-10", "mc_true_class": "class 1"}


def open_page(**query) -> AppTest:
    """The page through the app's frame, as its link opens it (a page run as the main
    script would also get a static/ folder of its own beside it)."""
    return harness.open_page("views/multiclass.py", query_params=query)


def figures(at: AppTest) -> dict[str, dict]:
    specs = harness_figures(at)
    assert len(specs) == len(CHARTS)
    return dict(zip(CHARTS, specs, strict=True))


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def metric_starting(at: AppTest, start: str) -> str:
    (value,) = [value for label, value in metrics(at).items() if label.startswith(start)]
    return value


def no_exception(at: AppTest) -> None:
    assert not at.exception, [error.message for error in at.exception]


def test_page_runs_at_defaults_with_four_charts():
    at = open_page()
    no_exception(at)
    assert at.title[0].value == "Multi-class: CCE vs sparse CCE"
    assert set(figures(at)) == set(CHARTS)
    assert not at.warning


def test_page_opens_from_the_app_navigation_with_url_values():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["mc_data_k"] = "5"
    at.run()
    at.switch_page("views/multiclass.py").run()
    no_exception(at)
    assert at.slider(key="mc_data_k").value == 5


# ---------------------------------------------------------------- numbers equal the core's


def _default_fit_logits():
    # The page's defaults: n 600, k 3, balanced, separation 3, seed 0; CCE fit without smoothing.
    frame = data.make_multiclass(600, k=3, proportions=(1.0, 1.0, 1.0), separation=3.0, seed=0)
    result = fit.fit_multiclass(frame, "cce", k=3, label_smoothing=0.0)
    features = frame[["x1", "x2"]].to_numpy()
    logits = result.params["intercepts"] + features @ result.params["weights"]
    return frame["label"].to_numpy(), logits


@pytest.mark.parametrize("from_logits", [False, True])
def test_costs_shown_equal_the_registry_on_one_hot_and_index_labels(from_logits):
    at = open_page(mc_cce_from_logits=str(from_logits).lower())
    labels, logits = _default_fit_logits()
    predictions = logits if from_logits else scipy.special.softmax(logits, axis=1)
    one_hot = np.eye(3)[labels]  # built here, not by the page's module
    expected_cce = losses.get("cce").cost(one_hot, predictions, from_logits=from_logits)
    expected_sparse = losses.get("sparse_cce").cost(labels, predictions, from_logits=from_logits)
    assert metric_starting(at, "CCE cost") == f"{expected_cce:.10f}"
    assert metric_starting(at, "sparse CCE cost") == f"{expected_sparse:.10f}"
    assert metric_starting(at, "|difference|") == "0"


def test_label_memory_table_shows_real_bytes():
    at = open_page()
    table = at.dataframe[0].value
    # hand-derived: 600 labels × 3 classes × 4 bytes; 600 × 8 bytes for int64 indices.
    assert list(table["bytes"]) == ["7,200", "4,800"]
    assert list(table["dtype"]) == ["float32", "int64"]
    memory = figures(at)["memory"]
    one_hot = next(trace for trace in memory["data"] if trace["name"].startswith("one-hot"))
    # the marker at the current k: 600 × 3 × 4 bytes.
    marker = next(
        trace
        for trace in memory["data"]
        if trace["mode"] == "markers" and trace["marker"]["color"] == one_hot["line"]["color"]
    )
    assert marker["x"] == [3] and marker["y"] == [7200]


def test_sample_loss_at_defaults_is_minus_log_softmax():
    at = open_page()
    # reference: −scipy.special.log_softmax([2, 1, 0.1])[0] (the page's default logits).
    expected = -scipy.special.log_softmax([2.0, 1.0, 0.1])[0]
    assert metric_starting(at, "ℓ from the logits") == f"{expected:.6g}"
    assert metric_starting(at, "ℓ from the probabilities") == f"{expected:.6g}"


def test_probability_route_is_capped_where_the_logit_route_is_exact():
    at = open_page(mc_data_k="2", mc_logit_0="10", mc_logit_1="-10", mc_true_class="class 1")
    no_exception(at)
    # hand-derived: from logits 20 + log(1 + e^−20); from probabilities −log 1e-7 = 7 ln 10.
    assert metric_starting(at, "ℓ from the logits") == f"{20 + math.log1p(math.exp(-20)):.6g}"
    assert metric_starting(at, "ℓ from the probabilities") == f"{7 * math.log(10):.6g}"
    loss_bars = figures(at)["sample"]["data"][2]
    assert loss_bars["name"] == "loss if this class were true"
    assert at.info  # "a probability is clipped"


def test_sample_gradient_is_p_minus_smoothed_y():
    at = open_page(mc_cce_label_smoothing="0.3", mc_true_class="class 1")
    traces = {trace["name"]: trace for trace in figures(at)["sample"]["data"]}
    probability = scipy.special.softmax([2.0, 1.0, 0.1])
    # hand-derived: y = onehot(1)·(1 − 0.3) + 0.3/3.
    target = np.array([0.1, 0.8, 0.1])
    np.testing.assert_allclose(_values(traces["target y"]), target, rtol=1e-6)
    np.testing.assert_allclose(_values(traces["gradient ∂ℓ/∂z"]), probability - target, atol=1e-7)


def _clipped_gradient(torch, z, true_class, *, label_smoothing, eps):
    """torch autograd of −Σ y_s log clamp(softmax z, ε, 1 − ε): the probability route."""
    logits = torch.tensor([z], dtype=torch.float64, requires_grad=True)
    k = len(z)
    target = torch.full((1, k), label_smoothing / k, dtype=torch.float64)
    target[0, true_class] += 1 - label_smoothing
    probability = torch.clamp(torch.softmax(logits, dim=1), eps, 1 - eps)
    (-(target * torch.log(probability)).sum()).backward()
    return logits.grad.numpy()[0]


CLIPPED_CASES = pytest.mark.parametrize(
    ("query", "z", "true_class", "label_smoothing", "eps"),
    [
        # the review's example: every probability clipped.
        (
            {
                "mc_cce_eps": "0.01",
                "mc_cce_label_smoothing": "0.3",
                "mc_logit_0": "10",
                "mc_logit_2": "-10",
                "mc_true_class": "class 2",
            },
            [10.0, 1.0, -10.0],
            2,
            0.3,
            0.01,
        ),
        # the page caption's example, k = 2, logits ±10.
        (SATURATED, [10.0, -10.0], 1, 0.0, 1e-7),
        # one probability clipped (p₂ ≈ 0.0039 < 0.01), the others not; smoothing gives
        # the clipped class a share of y, which it can no longer pass back.
        (
            {
                "mc_cce_eps": "0.01",
                "mc_cce_label_smoothing": "0.3",
                "mc_logit_0": "3",
                "mc_logit_1": "0",
                "mc_logit_2": "-2.5",
                "mc_true_class": "class 0",
            },
            [3.0, 0.0, -2.5],
            0,
            0.3,
            0.01,
        ),
    ],
)


@CLIPPED_CASES
def test_gradient_bars_are_the_gradient_of_the_loss_shown(
    query, z, true_class, label_smoothing, eps
):
    at = open_page(**query)
    no_exception(at)
    traces = {trace["name"]: trace for trace in figures(at)["sample"]["data"]}
    # reference: 4th-order central differences of the probability-route loss the bars use
    # (switch off), written out with scipy in tests/softmax_references.py.
    expected = central_difference_gradient(
        lambda shifted: probability_route_loss(
            shifted, true_class, label_smoothing=label_smoothing, eps=eps
        ),
        z,
    )
    np.testing.assert_allclose(_values(traces["gradient ∂ℓ/∂z"]), expected, atol=1e-6)
    # the outline keeps p − y (scipy softmax, hand-smoothed y) to compare against.
    target = np.full(len(z), label_smoothing / len(z))
    target[true_class] += 1 - label_smoothing
    p_minus_y = scipy.special.softmax(z) - target
    np.testing.assert_allclose(_values(traces["p − y"]), p_minus_y, atol=1e-6)
    assert not np.allclose(expected, p_minus_y, atol=1e-3)  # the case shows the difference
    assert any("its part of the gradient is 0" in info.value for info in at.info)


@CLIPPED_CASES
def test_gradient_bars_match_torch_autograd(query, z, true_class, label_smoothing, eps, torch):
    at = open_page(**query)
    traces = {trace["name"]: trace for trace in figures(at)["sample"]["data"]}
    # reference: torch autograd of the probability-route loss the bars use (switch off).
    expected = _clipped_gradient(torch, z, true_class, label_smoothing=label_smoothing, eps=eps)
    np.testing.assert_allclose(_values(traces["gradient ∂ℓ/∂z"]), expected, atol=1e-6)


def test_gradient_bars_with_logits_are_p_minus_y_even_past_the_clip():
    at = open_page(mc_cce_from_logits="true", **SATURATED)
    traces = {trace["name"]: trace for trace in figures(at)["sample"]["data"]}
    # hand-derived: softmax(10, −10) = (1 − e^−20, e^−20)/(1 + …); p − onehot(1) ≈ (1, −1).
    np.testing.assert_allclose(_values(traces["gradient ∂ℓ/∂z"]), [1.0, -1.0], atol=1e-6)


def test_sample_loss_with_label_smoothing_is_the_smoothed_cross_entropy():
    at = open_page(mc_cce_label_smoothing="0.3", mc_true_class="class 1")
    # hand-derived: ℓ = −Σ y_j log p_j, y = (0.1, 0.8, 0.1), log p from scipy.special.log_softmax.
    expected = -np.dot([0.1, 0.8, 0.1], scipy.special.log_softmax([2.0, 1.0, 0.1]))
    assert metric_starting(at, "ℓ from the logits") == f"{expected:.6g}"
    assert metric_starting(at, "ℓ from the probabilities") == f"{expected:.6g}"


def _values(trace) -> np.ndarray:
    """A trace's y values, whether sent as a list or as plotly's typed-array dict."""
    y = trace["y"]
    if isinstance(y, dict):  # {"dtype": "f4", "bdata": base64}
        import base64

        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"]))
    return np.asarray(y, dtype=float)


# ---------------------------------------------------------------- the URL


def test_url_values_set_the_controls():
    at = open_page(
        mc_data_k="5",
        mc_data_imbalance="10",
        mc_data_n="1000",
        mc_logit_3="-4.5",
        mc_true_class="class 4",
        mc_cce_label_smoothing="0.3",
        mc_cce_eps="0.001",
    )
    no_exception(at)
    assert at.slider(key="mc_data_k").value == 5
    assert at.select_slider(key="mc_data_imbalance").value == 10.0
    assert at.slider(key="mc_data_n").value == 1000
    assert at.slider(key="mc_logit_3").value == -4.5
    assert at.selectbox(key="mc_true_class").value == 4
    assert at.toggle(key="mc_cce_from_logits").value is False
    assert at.slider(key="mc_cce_label_smoothing").value == 0.3
    assert at.select_slider(key="mc_cce_eps").value == 0.001


def test_with_logits_the_unused_eps_is_not_offered():
    at = open_page(mc_cce_from_logits="true", mc_cce_label_smoothing="0.3", **SATURATED)
    no_exception(at)
    assert at.toggle(key="mc_cce_from_logits").value is True
    assert at.slider(key="mc_cce_label_smoothing").value == 0.3
    assert "mc_cce_eps" not in [widget.key for widget in at.select_slider]
    assert any("ε is not used with logits" in caption.value for caption in at.caption)
    # the probability route stays on screen as a comparison, with the ε it uses.
    assert metric_starting(at, "ℓ from the probabilities (ε = 1e-07), for comparison")
    at.toggle(key="mc_cce_from_logits").set_value(False).run()
    assert "mc_cce_eps" in [widget.key for widget in at.select_slider]


def test_invalid_url_values_fall_back_to_the_defaults():
    at = open_page(
        mc_data_k="99",
        mc_logit_0="abc",
        mc_true_class="class 42",
        mc_cce_eps="0.5",
        mc_cce_label_smoothing="-1",
    )
    no_exception(at)
    assert at.slider(key="mc_data_k").value == 3
    assert at.slider(key="mc_logit_0").value == 2.0
    assert at.selectbox(key="mc_true_class").value == 0
    assert at.select_slider(key="mc_cce_eps").value == 1e-7
    assert at.slider(key="mc_cce_label_smoothing").value == 0.0


# ---------------------------------------------------------------- every control moves the charts

# SATURATED (logits 10 / −10, k = 2, true class 1): a probability is clipped, so ε and
# the from_logits switch change the loss bars.


@pytest.mark.parametrize(
    ("kind", "key", "value", "chart", "start"),
    [
        ("slider", "mc_data_k", 6, "regions", {}),
        ("select_slider", "mc_data_imbalance", 20.0, "regions", {}),
        ("slider", "mc_data_n", 1000, "memory", {}),
        ("slider", "mc_data_separation", 0.0, "regions", {}),
        ("number_input", "mc_data_seed", 7, "regions", {}),
        ("slider", "mc_cce_label_smoothing", 0.4, "sample", {}),
        ("slider", "mc_cce_label_smoothing", 0.4, "regions", {}),
        ("toggle", "mc_cce_from_logits", True, "sample", SATURATED),
        ("select_slider", "mc_cce_eps", 0.01, "sample", SATURATED),
        ("selectbox", "mc_true_class", 2, "sample", {}),
        ("slider", "mc_logit_0", -3.0, "sample", {}),
        ("slider", "mc_logit_2", 5.0, "sample", {}),
        ("radio", "mc_two_hot_target", "one class", "two_hot", {}),
        ("radio", "mc_two_hot_target", "two halves", "two_hot", {}),
    ],
)
def test_each_control_changes_its_chart(kind, key, value, chart, start):
    at = open_page(**start)
    before = figures(at)[chart]
    getattr(at, kind)(key=key).set_value(value).run()
    no_exception(at)
    assert figures(at)[chart] != before


def test_the_cost_metrics_follow_the_loss_settings():
    at = open_page()
    before = metrics(at)
    at.slider(key="mc_cce_label_smoothing").set_value(0.2).run()
    assert metric_starting(at, "CCE cost") != before["CCE cost (one-hot labels)"]


def test_fewer_classes_than_the_chosen_true_class_falls_back_to_class_0():
    at = open_page(mc_data_k="10", mc_true_class="class 9")
    assert at.selectbox(key="mc_true_class").value == 9
    at.slider(key="mc_data_k").set_value(3).run()
    no_exception(at)
    assert at.selectbox(key="mc_true_class").value == 0
    assert len(at.slider) == 3 + 3 + 1  # data: k, n, separation; 3 logits; label smoothing


# ---------------------------------------------------------------- ranges and edge cases


def _every_widget(at: AppTest):
    for kind in ("slider", "select_slider", "selectbox", "toggle", "number_input"):
        for widget in getattr(at, kind):
            yield kind, widget.key


def _ends(widget, kind):
    if kind == "toggle":
        return [True, False]
    if kind in ("select_slider", "selectbox"):
        return [widget.options[0], widget.options[-1]]
    return [widget.min, widget.max]


def test_every_control_survives_its_minimum_and_maximum():
    at = open_page(mc_data_k="10")
    controls = list(_every_widget(at))
    # Not a vacuous sweep: the controls this file moves one by one are among those swept.
    swept = {key for _, key in controls}
    assert {"mc_data_k", "mc_cce_label_smoothing", "mc_cce_eps", "mc_true_class"} <= swept
    for kind, key in controls:
        widget = getattr(at, kind)(key=key)
        for end in _ends(widget, kind):
            if kind in ("select_slider", "selectbox"):
                widget.set_value(_option_value(widget, end))
            else:
                widget.set_value(end)
            at.run()
            no_exception(at)
            widget = getattr(at, kind)(key=key)


def _option_value(widget, label):
    """The value behind a formatted option label (select widgets list formatted labels)."""
    if widget.key == "mc_true_class":
        return int(label.split()[-1])
    return float(label)


EDGES = {
    "tiny classes": {"mc_data_k": "10", "mc_data_imbalance": "100", "mc_data_n": "60"},
    "overlapping": {"mc_data_separation": "0"},
    "overlapping k=10": {"mc_data_separation": "0", "mc_data_k": "10", "mc_data_n": "5000"},
    "smoothing 0.5": {"mc_cce_label_smoothing": "0.5"},
    "eps smallest": {"mc_cce_eps": "1e-12", **SATURATED},
    "eps largest": {"mc_cce_eps": "0.01", **SATURATED},
    "equal logits": {"mc_logit_0": "0", "mc_logit_1": "0", "mc_logit_2": "0"},
    "logits ±10, k=10": {
        "mc_data_k": "10",
        "mc_true_class": "class 9",
        **{f"mc_logit_{j}": "10" if j % 2 else "-10" for j in range(10)},
    },
}


@pytest.mark.parametrize("query", EDGES.values(), ids=EDGES.keys())
def test_edge_settings_show_no_traceback(query):
    at = open_page(**query)
    no_exception(at)
    assert not at.warning
    assert set(figures(at)) == set(CHARTS)


def test_tiny_classes_say_that_a_class_was_given_a_point():
    at = open_page(**EDGES["tiny classes"])
    assert any("rounds to 0" in info.value for info in at.info)


def test_tiny_classes_warn_that_their_predicted_right_is_coarse():
    at = open_page(**EDGES["tiny classes"])
    summary = at.dataframe[-1].value
    single = [
        int(name.split()[-1])
        for name, points in zip(summary["class"], summary["points"], strict=True)
        if points == 1
    ]
    assert single == [6, 7, 8, 9]  # the review's case: the table says so
    assert any(
        "Classes 6–9 have only 1 point each" in info.value and "0% or 100%" in info.value
        for info in at.info
    )


@pytest.mark.parametrize("k", [2, 3, 10])
def test_memory_caption_is_true_at_every_k(k):
    at = open_page(mc_data_k=str(k))
    (caption,) = [c.value for c in at.caption if c.value.startswith(f"At k = {k} the one-hot")]
    # hand-derived: float32 one-hot 4k bytes a label, int64 indices 8: a tie at k = 2.
    if k == 2:
        assert "exactly as many bytes" in caption and "gap" not in caption
    else:
        assert f"{k / 2:g}× the bytes" in caption and f"{4 * k} against 8 bytes" in caption


def test_equal_logits_give_log_k():
    at = open_page(mc_data_k="4", **{f"mc_logit_{j}": "1.5" for j in range(4)})
    # hand-derived: softmax of equal logits is 1/k, so ℓ = log 4.
    assert metric_starting(at, "ℓ from the logits") == f"{math.log(4):.6g}"


# ---------------------------------------------------------------- one true class per sample


def _two_hot_traces(at: AppTest) -> dict[tuple[str, str], dict]:
    """The two-hot chart's traces by (name, y axis)."""
    return {
        (trace["name"], trace.get("yaxis", "y")): trace for trace in figures(at)["two_hot"]["data"]
    }


def test_two_hot_chart_is_the_hand_derived_losses_and_moves_with_the_target():
    at = open_page()
    no_exception(at)
    assert at.radio(key="mc_two_hot_target").value == "two classes"
    traces = _two_hot_traces(at)
    z = np.linspace(0.0, 6.0, 121)
    # hand-derived: target [1, 1, 0], logits (z, z, −z): p₀ = p₁ = e^z/(2e^z + e^−z), so
    # CCE = 2·log(2 + e^(−2z)), never below 2·log 2; each class's BCE is softplus(−z).
    np.testing.assert_allclose(
        _values(traces[("softmax + CCE", "y")]), 2 * np.log(2 + np.exp(-2 * z)), rtol=1e-6
    )
    np.testing.assert_allclose(
        _values(traces[("sigmoid + BCE per class", "y")]), 3 * np.logaddexp(0, -z), rtol=1e-6
    )
    floor = traces[("lowest CCE [1, 1, 0] allows: 1.386", "y")]
    np.testing.assert_allclose(_values(floor), [2 * math.log(2)] * 2, rtol=1e-6)
    texts = " ".join(element.value for element in at.markdown)
    assert "the lowest CCE this target allows is 1.386 (= 2·log 2)" in texts
    assert any("row 0 sums to 2" in info.value for info in at.info)

    at.radio(key="mc_two_hot_target").set_value("one class").run()
    no_exception(at)
    traces = _two_hot_traces(at)
    # hand-derived: target [1, 0, 0], logits (z, −z, −z): CCE = log(1 + 2e^(−2z)) → 0.
    np.testing.assert_allclose(
        _values(traces[("softmax + CCE", "y")]), np.log1p(2 * np.exp(-2 * z)), rtol=1e-6, atol=1e-9
    )
    texts = " ".join(element.value for element in at.markdown)
    assert "CCE can come down to 0" in texts and "never 0" not in texts
    assert not any("row 0 sums to" in info.value for info in at.info)


def test_the_url_sets_the_two_hot_target():
    at = open_page(mc_two_hot_target="two halves [0.5, 0.5, 0]")
    no_exception(at)
    assert at.radio(key="mc_two_hot_target").value == "two halves"
    texts = " ".join(element.value for element in at.markdown)
    assert "CCE comes down to 0.6931 (= log 2)" in texts  # hand-derived: H(½, ½) = log 2
