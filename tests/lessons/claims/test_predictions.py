"""Claims test: the tour's answers (`lessons.predictions`) say what their numbers show, over
the range of the data their scenes can show (the pages' sliders, clicked points).

Sources: least-squares lines by np.polyfit, MAE lines checked against sklearn's
QuantileRegressor (τ = 0.5); confusion counts, recall and accuracy by sklearn.metrics on the
predictions made by hand (score = intercept + w1·x1 + w2·x2 > 0, p > 0.5)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, recall_score

from lessons import predictions
from losses import data, fit
from tests.lessons.claims.regression_settings import generator_args
from tests.losses.line_references import quantile_line_by_sklearn


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(2, 10),
    n=st.integers(1, 40),
    seed=st.integers(0, 2**16),
    label_smoothing=st.sampled_from((0.0, 0.1, 0.5)),
    eps=st.sampled_from((1e-12, 1e-7, 1e-2)),
)
def test_sparse_versus_dense_says_equal_only_when_they_are(k, n, seed, label_smoothing, eps):
    rng = np.random.default_rng(seed)
    probabilities = rng.dirichlet(np.full(k, 0.3), size=n)
    labels = rng.integers(0, k, size=n)
    answer = predictions.sparse_versus_dense(
        labels, probabilities, label_smoothing=label_smoothing, eps=eps
    )
    # The two numbers the sentence prints, read back from it.
    dense, sparse = (float(part.split()[-1]) for part in answer.why.split(":")[0].split(", "))
    said_equal = "the same sum" in answer.why
    assert said_equal == (answer.index == 1)
    if said_equal:
        assert abs(dense - sparse) <= 1e-6 * max(abs(dense), 1e-12)  # as printed, 6 decimals
    else:
        assert f"differ by {abs(sparse - dense):.3g}" in answer.why


# ---------------------------------------------------------------- which line moves


WHY_LINES = re.compile(
    r"On average the MSE line sits (?P<mse>[\d.]+) from the true line and the MAE line "
    r"(?P<mae>\d+\.\d+\d)(?P<rest>.*)"
)


def gaps_by_hand(frame) -> tuple[float, float]:
    """Each line's mean vertical distance from the true line, mean |Δa + Δb·x| (hand), for
    the least-squares line (np.polyfit) and the MAE line the page fits, checked to be a
    least-absolute-deviations line: its mean |r| no more than sklearn QuantileRegressor's."""
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    a0, b0 = frame.attrs["true_intercept"], frame.attrs["true_slope"]
    slope, intercept = np.polyfit(x, y, 1)
    mae = fit.fit_regression(frame, "mae").params
    reference = quantile_line_by_sklearn(x, y, 0.5)
    cost = np.mean(np.abs(mae["intercept"] + mae["slope"] * x - y))
    best = np.mean(np.abs(reference[0] + reference[1] * x - y))
    assert cost <= best * (1 + 1e-7) + 1e-12  # as low as HiGHS' (which is lower by < 1e-7)
    return (
        float(np.mean(np.abs(intercept - a0 + (slope - b0) * x))),
        float(np.mean(np.abs(mae["intercept"] - a0 + (mae["slope"] - b0) * x))),
    )


@settings(max_examples=60, deadline=None)
@given(
    args=generator_args(max_n=400),
    clicks=st.lists(st.tuples(st.floats(0, 10), st.floats(-20, 80)), max_size=2),
)
# Half the points pushed up by 25-75: both lines about 26 from the true one, once "about the
# same, so neither was dragged much".
@example(
    args={
        "n": 10,
        "noise": 0.0,
        "outlier_fraction": 0.5,
        "outlier_magnitude": 50.0,
        "two_sided": False,
        "seed": 0,
    },
    clicks=[],
)
# Points on their line and a click at (0, 0): MSE 0.12 from it, MAE 0, once "about the same".
@example(
    args={
        "n": 10,
        "noise": 0.0,
        "outlier_fraction": 0.0,
        "outlier_magnitude": 0.0,
        "two_sided": False,
        "seed": 0,
    },
    clicks=[(0.0, 0.0)],
)
def test_which_line_moves_says_what_the_gaps_show(args, clicks):
    # The scene's data: the regression page's sliders (the scene sets outliers to 0.2, a
    # link or the sidebar anything else) and any points a student clicked.
    frame = data.with_added_points(data.make_regression(**args), clicks)
    answer = predictions.which_line_moves(frame)
    mse_gap, mae_gap = gaps_by_hand(frame)
    claim = WHY_LINES.fullmatch(answer.why)
    assert claim, answer.why
    shown = float(claim["mse"]), float(claim["mae"])
    assert shown[0] == pytest.approx(mse_gap, abs=0.006)
    assert shown[1] == pytest.approx(mae_gap, abs=0.006)
    larger, smaller = max(mse_gap, mae_gap), min(mse_gap, mae_gap)
    option = predictions.LINE_OPTIONS[answer.index]
    if option == "Neither: both stay put":
        assert claim["rest"] == ": both under 0.3, so neither was dragged much."
        assert larger < 0.3 and max(shown) < 0.3  # measured, and as printed
        return
    assert larger >= 0.3
    if option == "Both, about as far as each other":
        assert claim["rest"] == (
            ": within 20 % of each other, so neither moved much further than the other."
        )
        assert larger - smaller <= 0.2 * larger
        return
    # One line further: by more than a fifth of the larger gap.
    assert larger - smaller > 0.2 * larger
    if option == "The MAE line":
        assert mae_gap > mse_gap
        assert claim["rest"] == ": here it is the MAE line that moved further."
        return
    assert option == "The least-squares (MSE) line" and mse_gap > mae_gap
    pushed = frame.attrs["n_outliers"] + frame.attrs["n_added"]
    assert ("the far points pull hardest" in claim["rest"]) == (pushed > 0)
    if pushed == 0:
        # "the scatter alone moved it": the points are the line plus Gaussian noise, as the
        # same seed with no outlier asked for gives them.
        plain = data.make_regression(**(args | {"outlier_fraction": 0.0}))
        np.testing.assert_array_equal(frame["y"], plain["y"])
        assert "the scatter alone moved it" in claim["rest"]


# ---------------------------------------------------------------- how many positives


WHY_RECALL = re.compile(
    r"It finds (?P<found>\d+) of the (?P<positives>\d+) positives \(recall (?P<recall>[\d.]+)\) "
    r"while its accuracy is (?P<accuracy>[\d.]+)%\."
)
BINARY_SHARES = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005)  # ui.controls


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(1, 40).map(lambda k: 50 * k),
    share=st.sampled_from(BINARY_SHARES),
    separation=st.integers(0, 60).map(lambda k: k / 10),
    label_noise=st.integers(0, 50).map(lambda k: k / 100),
    seed=st.integers(0, 9999),
)
# 201 of 250 found: recall 0.804, once printed "0.80" under "Most of them (recall above 0.8)".
@example(n=500, share=0.5, separation=1.8, label_noise=0.0, seed=2)
# 1999 of 2000 right: accuracy 99.95 %, once printed "100.0%".
@example(n=2000, share=0.5, separation=6.0, label_noise=0.0, seed=5)
def test_rare_class_recall_gives_the_counts_and_the_bracket_they_fall_in(
    n, share, separation, label_noise, seed
):
    frame = data.make_binary(
        n, positive_fraction=share, separation=separation, label_noise=label_noise, seed=seed
    )
    answer = predictions.rare_class_recall(frame, "bce")
    # The classifier's predictions by hand (p > 0.5: score > 0), counted by sklearn.
    params = fit.fit_binary(frame, "bce").params
    score = params["intercept"] + params["w1"] * frame["x1"] + params["w2"] * frame["x2"]
    labels, predicted = frame["label"].to_numpy(), (score.to_numpy() > 0).astype(int)
    recall = recall_score(labels, predicted)
    accuracy = accuracy_score(labels, predicted)
    claim = WHY_RECALL.fullmatch(answer.why)
    assert claim, answer.why
    assert int(claim["positives"]) == int(labels.sum())
    assert int(claim["found"]) == int(np.sum((labels == 1) & (predicted == 1)))
    shown_recall, shown_accuracy = float(claim["recall"]), float(claim["accuracy"]) / 100
    assert shown_recall == pytest.approx(recall, abs=0.005 + 1e-12)
    assert shown_accuracy == pytest.approx(accuracy, abs=0.0005 + 1e-12)
    # The bracket, measured and as printed: above 0.8, 0.2 to 0.8, below 0.2.
    bracket = 0 if recall > 0.8 else 1 if recall >= 0.2 else 2
    assert answer.index == bracket
    assert (0 if shown_recall > 0.8 else 1 if shown_recall >= 0.2 else 2) == bracket
    # A share below 1 never reads 100 % (display_numbers' rule).
    assert (shown_accuracy == 1.0) == (accuracy == 1.0)
