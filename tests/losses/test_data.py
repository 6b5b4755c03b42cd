"""Tests for the seeded synthetic data generators in losses.data.

Unless a comment says otherwise, expected counts come from the issue's spec
(round(fraction·n), at least one point per class, largest-remainder rounding),
worked by hand for the numbers used.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from losses.data import (
    make_binary,
    make_multiclass,
    make_regression,
    parse_points,
    points_text,
    with_added_points,
)

PROPERTY = settings(max_examples=50, deadline=None)

# Column names and dtypes are the contract with the pages and losses/fit/.
SCHEMAS = [
    (make_regression, {"x": "float64", "y": "float64", "is_outlier": "bool"}),
    (make_binary, {"x1": "float64", "x2": "float64", "label": "int64"}),
    (make_multiclass, {"x1": "float64", "x2": "float64", "label": "int64"}),
]


def true_line(frame: pd.DataFrame) -> np.ndarray:
    return frame.attrs["true_intercept"] + frame.attrs["true_slope"] * frame["x"].to_numpy()


@pytest.mark.parametrize(("generate", "schema"), SCHEMAS)
def test_columns_dtypes_and_length(generate, schema):
    frame = generate(n=37)
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == schema
    assert len(frame) == 37


@pytest.mark.parametrize(("generate", "schema"), SCHEMAS)
def test_largest_n_is_accepted_and_one_more_is_refused(generate, schema):
    assert len(generate(n=1_000_000)) == 1_000_000
    with pytest.raises(ValueError, match="n must be between"):
        generate(n=1_000_001)


@pytest.mark.parametrize(("generate", "schema"), SCHEMAS)
def test_same_seed_same_frame_and_different_seed_different_frame(generate, schema):
    first, again, other = generate(seed=7), generate(seed=7), generate(seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs == again.attrs
    assert not first.equals(other)


@pytest.mark.parametrize(("generate", "schema"), SCHEMAS)
def test_defaults_need_no_notes(generate, schema):
    assert generate().attrs["notes"] == []


# ---- make_regression -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "outlier_fraction", "expected"),
    [
        (200, 0.1, 20),
        (1000, 0.5, 500),
        (5, 0.5, 2),  # round(2.5) = 2: Python's round is half to even, as documented
        (7, 0.5, 4),  # round(3.5) = 4
        (200, 0.0, 0),
    ],
)
def test_outlier_count_is_exactly_rounded_fraction(n, outlier_fraction, expected):
    frame = make_regression(n=n, outlier_fraction=outlier_fraction)
    assert frame["is_outlier"].sum() == expected
    assert frame.attrs["n_outliers"] == expected


def test_one_sided_outliers_sit_above_the_line_by_half_to_one_and_a_half_magnitudes():
    # noise=0 puts every inlier exactly on the line, so the offsets are read off exactly.
    frame = make_regression(n=2000, noise=0.0, outlier_fraction=0.3, outlier_magnitude=8.0)
    offset = frame["y"].to_numpy() - true_line(frame)
    outlier = frame["is_outlier"].to_numpy()
    np.testing.assert_allclose(offset[~outlier], 0.0, atol=1e-12)
    assert np.all(offset[outlier] >= 0.5 * 8.0 - 1e-12)
    assert np.all(offset[outlier] <= 1.5 * 8.0 + 1e-12)


def test_two_sided_outliers_go_both_ways_about_equally_often():
    frame = make_regression(n=10_000, noise=0.0, outlier_fraction=0.5, two_sided=True)
    offset = (frame["y"].to_numpy() - true_line(frame))[frame["is_outlier"].to_numpy()]
    assert np.all((np.abs(offset) >= 5.0 - 1e-12) & (np.abs(offset) <= 15.0 + 1e-12))
    # 5000 fair signs: the upward share has sd √(¼/5000) ≈ 0.0071, so ±0.03 is > 4 sd.
    assert abs(np.mean(offset > 0) - 0.5) < 0.03


def test_least_squares_on_the_inliers_recovers_the_true_line():
    frame = make_regression(n=100_000, slope=-1.5, intercept=4.0, noise=1.0, outlier_fraction=0.1)
    inliers = frame[~frame["is_outlier"]]
    fitted_slope, fitted_intercept = np.polyfit(inliers["x"], inliers["y"], deg=1)
    # OLS standard errors with 90,000 inliers, x ~ U(0, 10) (var 100/12), noise sd 1:
    # slope sd = 1/√(90000·100/12) ≈ 0.0012, intercept sd = √(1/90000 + 25/(90000·100/12))
    # ≈ 0.0067; the tolerances are about 8 and 6 of those.
    assert fitted_slope == pytest.approx(-1.5, abs=0.01)
    assert fitted_intercept == pytest.approx(4.0, abs=0.04)


def test_a_larger_fraction_keeps_the_outliers_of_a_smaller_one_and_noise_only_rescales():
    # The module docstring promises that a slider changes only what it controls.
    few = make_regression(n=500, outlier_fraction=0.1)
    more = make_regression(n=500, outlier_fraction=0.3)
    assert np.all(more["is_outlier"][few["is_outlier"]])
    quiet, loud = make_regression(noise=1.0), make_regression(noise=3.0)
    inlier = ~quiet["is_outlier"].to_numpy()
    np.testing.assert_allclose(
        (loud["y"].to_numpy() - true_line(loud))[inlier],
        3.0 * (quiet["y"].to_numpy() - true_line(quiet))[inlier],
        rtol=1e-9,
        atol=1e-12,
    )


def test_regression_notes_say_when_outliers_round_away_or_one_point_cannot_fix_a_line():
    assert make_regression(n=4, outlier_fraction=0.1).attrs["notes"] == [
        "10% of 4 points rounds to 0 outliers; raise n or outlier_fraction to see any."
    ]
    (note,) = make_regression(n=1, outlier_fraction=0.0).attrs["notes"]
    assert "single point" in note


def test_outlier_magnitude_zero_leaves_ordinary_points_and_says_so():
    # Pushed by 0, the chosen points are ordinary: the same frame as with no outliers at all.
    unpushed = make_regression(n=10, outlier_fraction=0.5, outlier_magnitude=0.0)
    pd.testing.assert_frame_equal(unpushed, make_regression(n=10, outlier_fraction=0.0))
    assert not unpushed["is_outlier"].any() and unpushed.attrs["n_outliers"] == 0
    # round(0.5 · 10) = 5 points chosen, hand-counted.
    assert unpushed.attrs["notes"] == [
        "The outlier magnitude is 0, so no point was pushed off the line: the 5 points "
        "chosen as outliers are ordinary points (50% of 10), and there are no outliers. "
        "Raise the outlier magnitude to make outliers."
    ]
    (one,) = make_regression(n=10, outlier_magnitude=0.0).attrs["notes"]  # round(0.1 · 10) = 1
    assert "the 1 point chosen as an outlier is an ordinary point (10% of 10)" in one


# ---- make_binary ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "positive_fraction", "expected_positive"),
    # Hand-derived: round(n · fraction), half to even (5 · 0.5 = 2.5 → 2); 200 · 0.005 = 1.
    [(500, 0.5, 250), (1000, 0.1, 100), (200, 0.005, 1), (5, 0.5, 2), (2, 0.5, 1)],
)
def test_binary_class_counts_are_exact(n, positive_fraction, expected_positive):
    frame = make_binary(n=n, positive_fraction=positive_fraction)
    assert frame["label"].sum() == expected_positive == frame.attrs["n_positive"]
    assert frame.attrs["n_negative"] == n - expected_positive
    assert frame.attrs["notes"] == []


def test_a_class_that_rounds_to_empty_keeps_one_point_and_says_so():
    frame = make_binary(n=50, positive_fraction=0.005)
    assert frame["label"].sum() == 1
    assert frame.attrs["n_positive"] == 1
    assert frame.attrs["n_negative"] == 49
    # The sentence is the issue's own example.
    assert frame.attrs["notes"] == [
        "0.5% of 50 points rounds to 0 positives; kept 1 positive so both classes exist."
    ]


def test_label_noise_moves_points_to_the_other_blob_and_keeps_the_proportions():
    # Blob centres ±50 along the diagonal are 50 sd from the boundary, so the side of the
    # boundary a point falls on tells which blob it was drawn from, without error.
    frame = make_binary(n=1000, positive_fraction=0.2, separation=100.0, label_noise=0.1)
    in_positive_blob = (frame["x1"] + frame["x2"]).to_numpy() > 0
    label = frame["label"].to_numpy()
    assert label.sum() == 200
    assert np.sum((label == 1) & ~in_positive_blob) == 20  # round(0.1·200)
    assert np.sum((label == 0) & in_positive_blob) == 80  # round(0.1·800)
    assert frame.attrs["n_mislabelled"] == 100


def test_label_noise_that_rounds_to_zero_says_no_point_was_moved():
    # Hand-derived: 10% of 50 is 5 positives and 45 negatives; 5% noise moves round(0.25) = 0
    # positives and round(2.25) = 2 negatives into the other blob, labels kept.
    frame = make_binary(n=50, positive_fraction=0.1, label_noise=0.05)
    assert frame.attrs["n_mislabelled"] == 2
    # The control moves points and keeps their labels, so the note speaks of moving.
    assert frame.attrs["notes"] == [
        "5% label noise on 5 positives rounds to 0 points: "
        "no positive was moved into the negative blob."
    ]


def test_binary_blob_centres_sit_half_the_separation_out_along_the_diagonal():
    frame = make_binary(n=100_000, separation=3.0)
    centre = 1.5 / math.sqrt(2.0)  # hand-derived: (3/2)·(1, 1)/√2
    # 50,000 points a class, unit variance: each mean has sd 1/√50000 ≈ 0.0045; 0.03 ≈ 6.7 sd.
    means = frame.groupby("label")[["x1", "x2"]].mean()
    np.testing.assert_allclose(means.loc[1], [centre, centre], atol=0.03)
    np.testing.assert_allclose(means.loc[0], [-centre, -centre], atol=0.03)


@pytest.mark.parametrize("generate", [make_binary, make_multiclass])
def test_rows_are_shuffled_not_sorted_by_label(generate):
    label = generate(n=600)["label"].to_numpy()
    assert np.any(np.diff(label) > 0) and np.any(np.diff(label) < 0)


# ---- make_multiclass -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "proportions", "expected"),
    [
        # quotas 3⅓ each: floors 3,3,3, the spare point goes to the tie's lowest index
        (10, 3, None, [4, 3, 3]),
        # quotas 3.5, 2.1, 1.4: floors 3,2,1, the spare point to the largest remainder 0.5
        (7, 3, [0.5, 0.3, 0.2], [4, 2, 1]),
        # unnormalised weights: quotas 2.5, 7.5: floors 2,7, spare point to class 0 (tie)
        (10, 2, [1, 3], [3, 7]),
        (600, 3, None, [200, 200, 200]),
    ],
)
def test_multiclass_counts_follow_largest_remainder(n, k, proportions, expected):
    frame = make_multiclass(n=n, k=k, proportions=proportions)
    assert frame.attrs["class_counts"] == expected
    assert np.bincount(frame["label"], minlength=k).tolist() == expected
    assert frame.attrs["notes"] == []


def test_tiny_classes_get_one_point_from_the_largest_class_with_a_note():
    # quotas 99.8, 0.1, 0.1 → largest remainder 100, 0, 0 → class 0 gives one point to each.
    frame = make_multiclass(n=100, proportions=[0.998, 0.001, 0.001])
    assert frame.attrs["class_counts"] == [98, 1, 1]
    assert np.bincount(frame["label"]).tolist() == [98, 1, 1]
    notes = frame.attrs["notes"]
    assert len(notes) == 2
    assert all("taken from class 0" in note for note in notes)
    assert "Class 1" in notes[0] and "Class 2" in notes[1]


def test_multiclass_blob_centres_are_evenly_spaced_on_the_circle():
    frame = make_multiclass(n=40_000, k=4, separation=2.0)
    # hand-derived: 2·(cos, sin) of 0, 90, 180, 270 degrees
    expected = [[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]]
    # 10,000 points a class: each mean has sd 0.01; 0.05 is 5 sd.
    means = frame.groupby("label")[["x1", "x2"]].mean().to_numpy()
    np.testing.assert_allclose(means, expected, atol=0.05)


# ---- argument checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("generate", "kwargs", "message"),
    [
        # the example message, word for word
        (
            make_regression,
            {"outlier_fraction": 0.7},
            "outlier_fraction must be between 0 and 0.5; got 0.7.",
        ),
        (make_regression, {"outlier_fraction": -0.1}, "outlier_fraction must be between 0 and 0.5"),
        (make_regression, {"noise": -1.0}, "noise must be at least 0 (it is a standard deviation)"),
        (make_regression, {"outlier_magnitude": -2}, "outlier_magnitude must be at least 0"),
        (make_regression, {"slope": math.nan}, "slope must be a finite number"),
        (make_regression, {"n": 0}, "n must be between 1 and 1,000,000; got 0."),
        (make_regression, {"n": 2.5}, "n must be a whole number; got 2.5."),
        (make_regression, {"n": True}, "n must be a whole number"),
        (make_regression, {"two_sided": "yes"}, "two_sided must be True or False"),
        (make_regression, {"seed": -1}, "seed must be at least 0; got -1."),
        (make_binary, {"n": 1}, "n must be between 2 and 1,000,000; got 1."),
        (
            make_binary,
            {"positive_fraction": 0.6},
            "positive_fraction must be between 0.005 and 0.5",
        ),
        (make_binary, {"positive_fraction": 0.001}, "positive_fraction must be between 0.005"),
        (make_binary, {"label_noise": 0.51}, "label_noise must be between 0 and 0.5; got 0.51."),
        (make_binary, {"separation": -1.0}, "separation must be at least 0"),
        (make_multiclass, {"k": 1}, "k must be between 2 and 10; got 1."),
        (make_multiclass, {"k": 11}, "k must be between 2 and 10; got 11."),
        (make_multiclass, {"n": 2, "k": 3}, "n must be between 3 and 1,000,000 (at least one"),
        (make_multiclass, {"proportions": [1, 2]}, "proportions must hold k=3 numbers"),
        (make_multiclass, {"proportions": [[1, 2, 3]]}, "got shape (1, 3)"),
        (make_multiclass, {"proportions": [1, -1, 1]}, "non-negative; class 1 has -1."),
        (make_multiclass, {"proportions": [0, 0, 0]}, "proportions sum to 0"),
        (make_multiclass, {"proportions": ["a", "b", "c"]}, "k=3 numbers, one per class; got ['a'"),
    ],
)
def test_bad_arguments_raise_value_errors_a_student_can_act_on(generate, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        generate(**kwargs)


def test_whole_number_floats_are_accepted():
    pd.testing.assert_frame_equal(make_regression(n=1e3), make_regression(n=1000))


# ---- properties over the whole parameter ranges --------------------------------------

fractions = st.floats(0.0, 0.5)


@PROPERTY
@given(
    n=st.integers(1, 300),
    slope=st.floats(-10, 10),
    intercept=st.floats(-10, 10),
    outlier_fraction=fractions,
    outlier_magnitude=st.floats(0, 100),
    two_sided=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_regression_properties(n, slope, intercept, outlier_fraction, outlier_magnitude, **rest):
    # noise=0 so every inlier lies on the line and every outlier offset is read off exactly.
    kwargs = dict(
        n=n,
        slope=slope,
        intercept=intercept,
        noise=0.0,
        outlier_fraction=outlier_fraction,
        outlier_magnitude=outlier_magnitude,
        **rest,
    )
    frame = make_regression(**kwargs)
    pd.testing.assert_frame_equal(frame, make_regression(**kwargs))
    assert len(frame) == n and list(frame.columns) == ["x", "y", "is_outlier"]
    pushed = round(outlier_fraction * n) if outlier_magnitude > 0 else 0
    assert frame["is_outlier"].sum() == frame.attrs["n_outliers"] == pushed
    assert np.all((frame["x"] >= 0) & (frame["x"] <= 10))
    offset = frame["y"].to_numpy() - true_line(frame)
    outlier = frame["is_outlier"].to_numpy()
    # Rounding in y = line + offset is a few ulps of |line| ≤ 110 plus the offset ≤ 150.
    assert np.all(np.abs(offset[~outlier]) <= 1e-12)
    assert np.all(np.abs(offset[outlier]) >= 0.5 * outlier_magnitude - 1e-12)
    assert np.all(np.abs(offset[outlier]) <= 1.5 * outlier_magnitude + 1e-12)
    if not rest["two_sided"]:
        assert np.all(offset[outlier] >= -1e-12)


@PROPERTY
@given(
    n=st.integers(2, 300),
    positive_fraction=st.floats(0.005, 0.5),
    separation=st.floats(0, 10),
    label_noise=fractions,
    seed=st.integers(0, 2**32),
)
def test_binary_properties(n, positive_fraction, separation, label_noise, seed):
    kwargs = dict(
        n=n,
        positive_fraction=positive_fraction,
        separation=separation,
        label_noise=label_noise,
        seed=seed,
    )
    frame = make_binary(**kwargs)
    pd.testing.assert_frame_equal(frame, make_binary(**kwargs))
    assert len(frame) == n and list(frame.columns) == ["x1", "x2", "label"]
    rounded = round(positive_fraction * n)
    n_positive = max(rounded, 1)
    assert frame["label"].sum() == frame.attrs["n_positive"] == n_positive
    assert frame.attrs["n_negative"] == n - n_positive >= 1
    assert set(frame["label"].unique()) == {0, 1}
    expected_mislabelled = round(label_noise * n_positive) + round(label_noise * (n - n_positive))
    assert frame.attrs["n_mislabelled"] == expected_mislabelled
    assert any("kept 1 positive" in note for note in frame.attrs["notes"]) == (rounded == 0)


@st.composite
def multiclass_arguments(draw):
    k = draw(st.integers(2, 10))
    n = draw(st.integers(k, 300))
    weights = st.lists(st.floats(0, 100), min_size=k, max_size=k).filter(lambda w: sum(w) > 0)
    proportions = draw(st.none() | weights)
    return dict(n=n, k=k, proportions=proportions, seed=draw(st.integers(0, 2**32)))


@PROPERTY
@given(kwargs=multiclass_arguments(), separation=st.floats(0, 10))
def test_multiclass_properties(kwargs, separation):
    frame = make_multiclass(separation=separation, **kwargs)
    pd.testing.assert_frame_equal(frame, make_multiclass(separation=separation, **kwargs))
    n, k, proportions = kwargs["n"], kwargs["k"], kwargs["proportions"]
    assert len(frame) == n and list(frame.columns) == ["x1", "x2", "label"]
    counts = np.array(frame.attrs["class_counts"])
    assert np.bincount(frame["label"], minlength=k).tolist() == counts.tolist()
    assert counts.sum() == n and counts.min() >= 1 and len(counts) == k
    weights = np.ones(k) if proportions is None else np.asarray(proportions, dtype=float)
    quotas = n * weights / weights.sum()
    if frame.attrs["notes"]:
        # A class can round to 0 only if its quota is below 1.
        assert quotas.min() < 1
    else:
        assert np.all(np.abs(counts - quotas) < 1)


# ---------------------------------------------------------------- a student's points


def test_added_points_are_appended_in_order_and_marked():
    frame = make_regression(20, seed=3)
    added = with_added_points(frame, [(1.5, 30.0), (9.0, -4.0)])
    assert len(added) == 22 and added.attrs["n_added"] == 2
    # The generated rows are unchanged and first; the placed ones follow, as placed.
    pd.testing.assert_frame_equal(added.iloc[:20][["x", "y", "is_outlier"]], frame)
    np.testing.assert_array_equal(added["x"].to_numpy()[20:], [1.5, 9.0])
    np.testing.assert_array_equal(added["y"].to_numpy()[20:], [30.0, -4.0])
    np.testing.assert_array_equal(added["is_added"].to_numpy(), [False] * 20 + [True] * 2)
    assert not added["is_outlier"].to_numpy()[20:].any()
    assert added.attrs["true_slope"] == frame.attrs["true_slope"]
    assert with_added_points(frame, []).attrs["n_added"] == 0


@pytest.mark.parametrize(
    "points", [[(float("nan"), 1.0)], [(1.0, 2e4)], [(1.0, 1.0)] * 51, [("a", 1.0)]]
)
def test_added_points_out_of_bounds_are_refused(points):
    with pytest.raises(ValueError, match="added point|at most 50"):
        with_added_points(make_regression(10), points)


def test_points_round_trip_through_their_link_text():
    points = ((0.1, -2.25), (3.0, 1e-3), (-9999.5, 10000.0))
    assert parse_points(points_text(points)) == (points, None)
    assert parse_points(None) == ((), None) and parse_points("") == ((), None)


@pytest.mark.parametrize(
    "text",
    ["1,2;3", "1,2,3", "x,1", "1,nan", "1,inf", "1,20000", "1;2", ";", "1,2;", "<script>,1"],
)
def test_a_malformed_point_list_is_ignored_whole_with_a_sentence(text):
    points, note = parse_points(text)
    assert points == ()
    assert "could not be read" in note and "Click on the data chart" in note


def test_an_oversized_point_list_is_ignored_with_a_sentence():
    points, note = parse_points(";".join(["1,2"] * 51))
    assert points == () and "51 added points, more than the 50" in note
    assert len(parse_points(";".join(["1,2"] * 50))[0]) == 50
