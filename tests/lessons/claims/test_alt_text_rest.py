"""The counts and numbers the charts' text alternatives (`lessons.alt_text`) state, against
the data they describe, over each page's whole range: the regression page's weights and
cost (`weights`, `fit_cost`), the Huber lab's zones (`huber_zones`), the binary page's
confusion counts (`confusion`), the descent's cost chart (`descent_cost`) and the label
memory chart (`label_memory`).

Sources: weights, losses and costs by hand (`regression_by_hand`); counts and medians by
numpy; confusion counts by sklearn.metrics.confusion_matrix on predictions made by hand
(score = intercept + w1·x1 + w2·x2 > 0); bytes by numpy.zeros(...).nbytes; the Huber line
against scipy.special.huber minimised by scipy.optimize (`tests/losses/line_references.py`).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix

from lessons import alt_text, huber_lab, label_memory, metrics, robustness
from lessons import descent as lesson
from losses import data
from losses.fit import descent, fit_binary, fit_regression
from tests.lessons.claims import regression_by_hand as by_hand
from tests.lessons.claims.regression_settings import page_frame, picked_loss
from tests.losses.line_references import huber_line_by_scipy
from ui import descent_charts, multiclass_charts
from ui.controls import log_steps

SETTINGS = settings(max_examples=50, deadline=None)


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def columns(frame):
    return frame["x"].to_numpy(), frame["y"].to_numpy()


# ---------------------------------------------------------------- the regression page


WEIGHTS = re.compile(
    r"The (?P<n>\d+) points coloured by their weight in the (?P<name>.+) fit: (?P<full>\d+) "
    r"pull fully \(w ≥ 0\.9\), (?P<hardly>\d+) hardly \(w < 0\.1\); the median weight is "
    r"(?P<median>\S+)\."
)
FIT_COST = re.compile(
    r"The (?P<name>.+) fit's cost over its (?P<steps>\d+) iteration(?P<plural>s?), from "
    r"J = (?P<start>\S+) "
    r"to J = (?P<final>\S+)\."
)


@SETTINGS
@given(picked=picked_loss(), frame=page_frame(max_n=150, max_added=2))
def test_the_weights_and_cost_texts_count_the_fit_s_points(picked, frame):
    loss, params = picked
    params = loss.resolve_params(params)
    fitted = fit_regression(frame, loss.id, **params)
    x, y = columns(frame)
    residual = robustness.residuals(x, y, fitted.params)
    weight = by_hand.effective_weight(loss.id, params, residual)
    np.testing.assert_allclose(fitted.effective_weight, weight, rtol=1e-9, atol=1e-12)

    claim = WEIGHTS.fullmatch(alt_text.weights(loss.name, fitted.effective_weight))
    assert claim and claim["name"] == loss.name
    assert int(claim["n"]) == len(frame)
    assert int(claim["full"]) == int(np.count_nonzero(weight >= 0.9))
    assert int(claim["hardly"]) == int(np.count_nonzero(weight < 0.1))
    assert number(claim["median"]) == pytest.approx(np.median(weight), rel=0.05, abs=5e-3)

    claim = FIT_COST.fullmatch(alt_text.fit_cost(loss.name, fitted.cost_history))
    assert claim and claim["name"] == loss.name
    assert int(claim["steps"]) == len(fitted.path) - 1
    assert claim["plural"] == ("" if len(fitted.path) == 2 else "s")  # MSE: "its 1 iteration"
    size = 1.0 + np.abs(y).max() + np.abs(x).max()
    noise = 10 * float(by_hand.value(loss.id, params, [1e-12 * size])[0])
    for printed, line in ((claim["start"], fitted.path[0]), (claim["final"], fitted.path[-1])):
        assert number(printed) == pytest.approx(
            by_hand.cost(loss.id, params, x, y, *line), rel=1e-3, abs=noise
        )


# ---------------------------------------------------------------- the Huber lab


ZONES = re.compile(
    r"Scatter plot of the (?P<n>\d+) points with the Huber line \(slope (?P<slope>\S+)\) and "
    r"its band ±δ = (?P<delta>\S+): (?P<inside>\d+) points inside \(quadratic zone\), "
    r"(?P<outside>\d+) outside \(linear zone\)\."
)
DELTAS = log_steps(0.01, 100.0)  # the lab's δ scrubber (ui.regression_cache.delta_steps)


@SETTINGS
@given(frame=page_frame(max_n=150, max_added=2), delta=st.sampled_from(DELTAS))
def test_the_zones_text_counts_the_points_in_the_band(frame, delta):
    # As the lab computes them (ui.regression_cache.huber_view): the fit at δ, its zone.
    fitted = fit_regression(frame, "huber", delta=delta)
    x, y = columns(frame)
    residual = robustness.residuals(x, y, fitted.params)
    n_quadratic = int(np.sum(huber_lab.quadratic_zone(residual, delta)))
    slope, intercept = fitted.params["slope"], fitted.params["intercept"]
    claim = ZONES.fullmatch(alt_text.huber_zones(n_quadratic, len(frame), delta, slope))
    assert claim
    # Counted by hand: |r| ≤ δ for the line drawn, whose cost is scipy's Huber minimum.
    inside = int(np.count_nonzero(np.abs(y - intercept - slope * x) <= delta))
    assert (int(claim["n"]), int(claim["inside"]), int(claim["outside"])) == (
        len(frame),
        inside,
        len(frame) - inside,
    )
    assert number(claim["delta"]) == delta
    assert claim["slope"] == f"{slope:.3g}"
    reference = huber_line_by_scipy(x, y, delta)
    ours = by_hand.cost("huber", {"delta": delta}, x, y, *fitted.path[-1])
    theirs = by_hand.cost("huber", {"delta": delta}, x, y, *reference)
    assert ours <= theirs * (1 + 1e-9) + 1e-12


# ---------------------------------------------------------------- the binary page


BINARY_SHARES = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005)  # ui.controls


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 20).map(lambda k: 50 * k),
    share=st.sampled_from(BINARY_SHARES),
    separation=st.integers(0, 60).map(lambda k: k / 10),
    label_noise=st.integers(0, 50).map(lambda k: k / 100),
    seed=st.integers(0, 9999),
    weight=st.none() | st.sampled_from(log_steps(0.1, 200.0)),
    gamma=st.sampled_from([0.0, 2.0, 5.0]) | st.floats(0.0, 5.0),
    alpha=st.none() | st.sampled_from([0.0, 0.25, 1.0]) | st.floats(0.0, 1.0),
    q=st.sampled_from([0.05, 0.7, 1.0]) | st.floats(0.05, 1.0),
)
def test_the_confusion_text_gives_each_classifier_s_finds(
    n, share, separation, label_noise, seed, weight, gamma, alpha, q
):
    frame = data.make_binary(
        n, positive_fraction=share, separation=separation, label_noise=label_noise, seed=seed
    )
    n_positive, n_negative = frame.attrs["n_positive"], frame.attrs["n_negative"]
    fits = {  # as ui.binary_cache.page_losses: w automatic (n_neg / n_pos) or on its slider
        "BCE": ("bce", {}),
        "Weighted BCE": ("bce", {"pos_weight": weight or n_negative / n_positive}),
        "Focal": ("focal", {"gamma": gamma, "alpha": alpha}),  # its sliders: γ 0-5, α or None
        "Hinge": ("hinge", {}),
        "Brier": ("brier", {}),
        "GCE": ("gce", {"q": q}),  # its slider: q 0.05-1
    }
    results = {
        name: fit_binary(frame, loss_id, **params) for name, (loss_id, params) in fits.items()
    }
    named = {
        name: metrics.classifier_metrics(result.params, frame["x1"], frame["x2"], frame["label"])
        for name, result in results.items()
    }
    table = metrics.metrics_table(named)
    text = alt_text.confusion(list(zip(table.index, table["positives found"], strict=True)))
    said = dict(
        re.findall(r"(BCE|Weighted BCE|Focal|Hinge|Brier|GCE) (\d+ of \d+)", text.split(": ", 1)[1])
    )
    labels = frame["label"].to_numpy()
    for name, result in results.items():
        params = result.params
        score = params["intercept"] + params["w1"] * frame["x1"] + params["w2"] * frame["x2"]
        _, _, fn, tp = confusion_matrix(labels, score.to_numpy() > 0, labels=[0, 1]).ravel()
        assert said[name] == f"{tp} of {tp + fn}"
        assert tp + fn == n_positive == int(labels.sum())


# ---------------------------------------------------------------- the descent's cost chart


DESCENT_COST = re.compile(
    r"The cost after each of (?P<epochs>\d+) epochs \(log scale\), from J = (?P<start>\S+) to "
    r"J = (?P<end>\S+), against the minimum J\* = (?P<best>\S+): (?P<outcome>.+)\."
)


@settings(max_examples=30, deadline=None)
@given(
    picked=picked_loss(),
    frame=page_frame(max_n=60, max_added=1),
    rate=st.sampled_from(log_steps(1e-4, 1.0)),
    epochs=st.sampled_from((10, 20, 50, 100, 200)),
    momentum=st.sampled_from((0.0, 0.5, 0.8, 0.9, 0.95, 0.99)),
    batch=st.sampled_from((None, 5, 10, 20, 50)),
    start=st.sampled_from([(0.0, 0.0), (5.0, -1.0)]),
)
def test_the_descent_cost_text_gives_the_path_s_costs(
    picked, frame, rate, epochs, momentum, batch, start
):
    loss, params = picked
    params = loss.resolve_params(params)
    x, y = columns(frame)
    path = descent.gradient_descent(
        x,
        y,
        loss.id,
        start=start,
        learning_rate=rate,
        epochs=epochs,
        momentum=momentum,
        batch_size=batch,
        **params,
    )
    best_line = fit_regression(frame, loss.id, **params).params
    minimum = (best_line["intercept"], best_line["slope"])
    minimum_cost = float(descent.costs_at(x, y, loss.id, *minimum, **params))
    judgement = lesson.judge(
        path, x=x, minimum=minimum, minimum_cost=minimum_cost, loss_id=loss.id, loss_name=loss.name
    )
    text = alt_text.descent_cost(
        float(path.costs[0]), float(path.costs[-1]), minimum_cost, path.epochs, judgement.summary
    )
    claim = DESCENT_COST.fullmatch(text)
    assert claim, text
    assert int(claim["epochs"]) == path.epochs == len(path.costs) - 1
    size = 1.0 + np.abs(y).max() + np.abs(x).max()
    noise = 10 * float(by_hand.value(loss.id, params, [1e-12 * size])[0])
    ends = ((claim["start"], 0), (claim["end"], -1))
    for printed, at in ends:
        line = (path.intercepts[at], path.slopes[at])
        assert number(printed) == pytest.approx(
            by_hand.cost(loss.id, params, x, y, *line), rel=1e-3, abs=noise
        )
    assert number(claim["best"]) == pytest.approx(
        by_hand.cost(loss.id, params, x, y, *minimum), rel=1e-3, abs=noise
    )
    assert claim["outcome"] == judgement.summary
    # "(log scale)": the chart's y-axis (ui.descent_charts.cost_epoch_figure).
    figure = descent_charts.cost_epoch_figure(
        path.costs, minimum_cost=minimum_cost, colour="#000000", name=loss.name, current=path.epochs
    )
    layout = figure.layout if hasattr(figure, "layout") else figure["layout"]
    assert layout["yaxis"]["type"] == "log"


# ---------------------------------------------------------------- the label memory chart


LABEL_MEMORY = re.compile(
    r"Bytes for (?P<n>[\d,]+) labels against the number of classes k \(log scales\): one-hot "
    r"rows grow with k, class indices stay flat; at k = (?P<k>\d+), (?P<one_hot>[\d,]+) "
    r"against (?P<indices>[\d,]+) bytes\."
)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(60, 5000), k=st.integers(2, 10))
def test_the_label_memory_text_gives_numpys_bytes(n, k):
    labels = np.arange(n) % k
    one_hot, indices = label_memory.label_forms(labels, k)
    claim = LABEL_MEMORY.fullmatch(alt_text.label_memory(n, k, one_hot.nbytes, indices.nbytes))
    assert claim
    assert (int(claim["n"].replace(",", "")), int(claim["k"])) == (n, k)
    assert int(claim["one_hot"].replace(",", "")) == np.zeros((n, k), np.float32).nbytes
    assert int(claim["indices"].replace(",", "")) == np.zeros(n, np.int64).nbytes
    # The chart's curves: one-hot bytes rise with k, index bytes do not change; log axes.
    ks, sizes = label_memory.memory_curve(n)
    assert np.all(np.diff(sizes["one-hot float32"]) > 0)
    assert np.all(sizes["index int64"] == np.zeros(n, np.int64).nbytes)
    figure = multiclass_charts.label_memory_figure(ks, sizes, n=n, current_k=k)
    layout = figure.layout if hasattr(figure, "layout") else figure["layout"]
    assert layout["xaxis"]["type"] == "log" and layout["yaxis"]["type"] == "log"
