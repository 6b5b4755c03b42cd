"""Tests for the "Train a network" page's data: losses.network_data.

Unless a comment says otherwise, expected counts come from the module's contract (issue 28's
data brief: round(fraction·n), at least 2 points a class, largest-remainder rounding), worked by
hand for the numbers used.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from losses.network_data import (
    CURVES,
    SHAPES,
    classes_of,
    grid,
    make_curve,
    make_shapes,
    plane_box,
    truth,
    validation_split,
)

PROPERTY = settings(max_examples=100, deadline=None)
seeds = st.integers(0, 2**32)

# Column names and dtypes are the contract with the network page and losses/network.py.
CURVE_SCHEMA = {"x": "float64", "y": "float64", "is_outlier": "bool"}
SHAPES_SCHEMA = {"x1": "float64", "x2": "float64", "label": "int64", "clean_label": "int64"}
GENERATORS = [make_curve] + [
    lambda shape=shape, **kw: make_shapes(shape=shape, **kw) for shape in SHAPES
]
GENERATOR_IDS = ["curve", *SHAPES]


def residual(frame: pd.DataFrame) -> np.ndarray:
    return frame["y"].to_numpy() - truth(frame.attrs["shape"], frame["x"].to_numpy())


def flipped(frame: pd.DataFrame) -> np.ndarray:
    return (frame["label"] != frame["clean_label"]).to_numpy()


# ---- every generator -----------------------------------------------------------------


@pytest.mark.parametrize("generate", GENERATORS, ids=GENERATOR_IDS)
def test_columns_dtypes_and_length(generate):
    frame = generate(n=37)
    schema = CURVE_SCHEMA if "x" in frame else SHAPES_SCHEMA
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == schema
    assert len(frame) == 37


@pytest.mark.parametrize("generate", GENERATORS, ids=GENERATOR_IDS)
def test_same_seed_same_frame_and_different_seed_different_frame(generate):
    first, again, other = generate(seed=7), generate(seed=7), generate(seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs == again.attrs
    assert not first.equals(other)


@pytest.mark.parametrize("generate", GENERATORS, ids=GENERATOR_IDS)
def test_defaults_need_no_notes_and_the_range_ends_are_accepted(generate):
    assert generate().attrs["notes"] == []
    assert len(generate(n=10)) == 10 and len(generate(n=5000)) == 5000  # the brief's range


def test_classes_of_each_shape():
    # the brief: moons, circles, xor have 2 classes, the spiral 3
    assert [classes_of(shape) for shape in SHAPES] == [2, 2, 2, 3]
    assert [make_shapes(shape=shape).attrs["k"] for shape in SHAPES] == [2, 2, 2, 3]


# ---- make_curve ----------------------------------------------------------------------


def test_truth_is_one_sine_period_over_the_inputs_and_a_unit_step():
    # hand-derived: sin(π·x/3) at x = −3, −1.5, 0, 1.5, 3
    np.testing.assert_allclose(
        truth("sine", np.array([-3.0, -1.5, 0.0, 1.5, 3.0])), [0, -1, 0, 1, 0], atol=1e-15
    )
    # the documented step: −1 below 0, +1 from 0 on
    np.testing.assert_array_equal(
        truth("step", np.array([-2.0, -1e-300, 0.0, 2.0])), [-1, -1, 1, 1]
    )


@pytest.mark.parametrize(
    ("n", "outlier_fraction", "expected"),
    # round(n·fraction), Python's half to even: 25·0.5 = 12.5 → 12, 15·0.5 = 7.5 → 8
    [(200, 0.1, 20), (5000, 0.5, 2500), (25, 0.5, 12), (15, 0.5, 8), (200, 0.0, 0)],
)
def test_outlier_count_is_exactly_the_rounded_fraction(n, outlier_fraction, expected):
    frame = make_curve(n=n, outlier_fraction=outlier_fraction)
    assert frame["is_outlier"].sum() == frame.attrs["n_outliers"] == expected


def test_outliers_are_pushed_as_make_regression_pushes_them():
    # losses.data.make_regression's rule: offset s·magnitude·u, u ~ U(0.5, 1.5); noise=0 puts
    # every inlier on the curve, so the offsets are read off exactly.
    one_sided = make_curve(n=2000, noise=0.0, outlier_fraction=0.3, outlier_magnitude=4.0)
    offset, outlier = residual(one_sided), one_sided["is_outlier"].to_numpy()
    np.testing.assert_allclose(offset[~outlier], 0.0, atol=1e-12)
    assert np.all((offset[outlier] >= 2.0 - 1e-12) & (offset[outlier] <= 6.0 + 1e-12))
    two_sided = make_curve(n=5000, noise=0.0, outlier_fraction=0.5, two_sided=True)
    offset = residual(two_sided)[two_sided["is_outlier"].to_numpy()]
    assert np.all((np.abs(offset) >= 1.5 - 1e-12) & (np.abs(offset) <= 4.5 + 1e-12))
    # 2500 fair signs: the upward share has sd √(¼/2500) = 0.01, so ±0.04 is 4 sd.
    assert abs(np.mean(offset > 0) - 0.5) < 0.04
    # Two-sided only flips signs: the same points, pushed as far.
    one = make_curve(n=5000, noise=0.0, outlier_fraction=0.5)
    np.testing.assert_array_equal(one["is_outlier"], two_sided["is_outlier"])
    np.testing.assert_allclose(np.abs(residual(one)), np.abs(residual(two_sided)), atol=1e-12)


def test_each_curve_slider_changes_only_what_it_controls():
    # The module docstring's promise.
    few = make_curve(n=500, outlier_fraction=0.1, seed=3)
    more = make_curve(n=500, outlier_fraction=0.3, seed=3)
    assert few["is_outlier"].sum() == 50 and more["is_outlier"].sum() == 150
    assert np.all(more["is_outlier"][few["is_outlier"]])  # a superset
    quiet, loud = make_curve(noise=0.2), make_curve(noise=0.6)
    np.testing.assert_allclose(residual(loud), 3.0 * residual(quiet), rtol=1e-9, atol=1e-12)
    sine, step = make_curve(shape="sine"), make_curve(shape="step")
    np.testing.assert_array_equal(sine["x"], step["x"])
    np.testing.assert_allclose(residual(sine), residual(step), atol=1e-12)
    assert step.attrs["shape"] == "step"


def test_curve_inputs_are_uniform_on_minus_three_to_three():
    x = make_curve(n=5000)["x"].to_numpy()
    assert x.min() >= -3.0 and x.max() <= 3.0
    # U(−3, 3) has mean 0 and sd √3; the mean of 5000 has sd √3/√5000 ≈ 0.024, so 0.1 is 4 sd.
    assert abs(x.mean()) < 0.1 and abs(x.std() - math.sqrt(3.0)) < 0.05


def test_curve_notes_say_when_outliers_round_away_or_are_not_pushed():
    # 4% of 10 is 0.4, which rounds to 0
    assert make_curve(n=10, outlier_fraction=0.04).attrs["notes"] == [
        "4% of 10 points rounds to 0 outliers; raise n or outlier_fraction to see any."
    ]
    unpushed = make_curve(n=10, outlier_fraction=0.5, outlier_magnitude=0.0)
    pd.testing.assert_frame_equal(unpushed, make_curve(n=10))
    # round(0.5·10) = 5 chosen, none pushed
    assert unpushed.attrs["notes"] == [
        "The outlier magnitude is 0, so no point was pushed off the curve: the 5 points "
        "chosen as outliers are ordinary points (50% of 10), and there are no outliers. "
        "Raise the outlier magnitude to make outliers."
    ]
    (one,) = make_curve(n=10, outlier_fraction=0.1, outlier_magnitude=0.0).attrs["notes"]
    assert "the 1 point chosen as an outlier is an ordinary point (10% of 10)" in one


# ---- make_shapes: counts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "n", "minority_fraction", "expected", "noted"),
    [
        ("moons", 400, 0.5, [200, 200], False),
        ("circles", 100, 0.05, [95, 5], False),
        ("xor", 11, 0.5, [6, 5], False),  # half of 11 rounds down: the minority stays smaller
        ("moons", 10, 0.02, [8, 2], True),  # round(0.2) = 0, raised to 2
        ("spiral", 400, 0.2, [160, 160, 80], False),  # quotas 160, 160, 80
        ("spiral", 11, 0.5, [3, 3, 5], False),  # quotas 2.75, 2.75, 5.5: floors 2, 2, 5 + 2
        ("spiral", 10, 0.02, [4, 4, 2], True),  # quotas 4.9, 4.9, 0.2 → 5, 5, 0 → 4, 4, 2
        ("spiral", 300, 1 / 3, [100, 100, 100], False),
    ],
)
def test_class_counts_are_exact(shape, n, minority_fraction, expected, noted):
    frame = make_shapes(n, shape=shape, minority_fraction=minority_fraction)
    assert np.bincount(frame["clean_label"]).tolist() == expected
    assert frame.attrs["clean_counts"] == frame.attrs["class_counts"] == expected
    notes = frame.attrs["notes"]
    assert notes == (
        [
            f"2% of 10 points rounds to 0 in class {len(expected) - 1}; kept 2 so that both "
            "the training and the validation part can hold one."
        ]
        if noted
        else []
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_exactly_the_rounded_share_of_labels_is_flipped_to_another_class(shape):
    frame = make_shapes(1000, shape=shape, minority_fraction=0.3, label_noise=0.15)
    is_flipped = flipped(frame)
    assert is_flipped.sum() == frame.attrs["n_flipped"] == 150  # round(0.15·1000)
    assert frame.attrs["class_counts"] == np.bincount(frame["label"]).tolist()
    assert frame.attrs["clean_counts"] == np.bincount(frame["clean_label"]).tolist()


def test_two_class_flips_go_to_the_other_class_and_spiral_flips_to_either_other():
    moons = make_shapes(500, label_noise=0.4)
    is_flipped = flipped(moons)
    np.testing.assert_array_equal(moons["label"][is_flipped], 1 - moons["clean_label"][is_flipped])
    spiral = make_shapes(5000, shape="spiral", label_noise=0.45)
    is_flipped = flipped(spiral)
    step = (spiral["label"] - spiral["clean_label"]).to_numpy()[is_flipped] % 3
    assert set(step) == {1, 2}
    # 2250 flips (round(0.45·5000)), each to either other class with chance ½: the share of
    # step 1 has sd √(¼/2250) ≈ 0.011, so ±0.045 is 4 sd.
    assert abs(np.mean(step == 1) - 0.5) < 0.045


def test_more_label_noise_flips_a_superset_and_moves_no_point():
    few = make_shapes(400, shape="spiral", label_noise=0.1, seed=5)
    more = make_shapes(400, shape="spiral", label_noise=0.3, seed=5)
    assert flipped(few).sum() == 40 and flipped(more).sum() == 120
    assert np.all(flipped(more)[flipped(few)])
    # a point flipped at both levels gets the same wrong label
    both = flipped(few)
    np.testing.assert_array_equal(few["label"][both], more["label"][both])
    pd.testing.assert_frame_equal(few.drop(columns="label"), more.drop(columns="label"))


@pytest.mark.parametrize("shape", SHAPES)
def test_a_larger_minority_keeps_every_minority_point_of_a_smaller_one(shape):
    last = classes_of(shape) - 1
    small = make_shapes(400, shape=shape, minority_fraction=0.1)["clean_label"].to_numpy() == last
    large = make_shapes(400, shape=shape, minority_fraction=0.3)["clean_label"].to_numpy() == last
    assert small.sum() == 40 and large.sum() == 120  # round(0.1·400), round(0.3·400)
    assert np.all(large[small])


def test_shapes_notes_say_when_flips_round_away_or_empty_a_class():
    # 4% of 10 is 0.4 flips, which rounds to 0
    assert make_shapes(10, label_noise=0.04).attrs["notes"] == [
        "4% label noise on 10 points rounds to 0 flipped labels; raise n or label_noise to "
        "flip any."
    ]
    # Seeds found by search: the premise (which points were flipped) is asserted first.
    frame = make_shapes(10, minority_fraction=0.02, label_noise=0.1, seed=6)
    assert frame.attrs["clean_counts"] == [8, 2] and frame.attrs["class_counts"] == [9, 1]
    assert frame.attrs["notes"][1] == (
        "After flipping, only 1 point carries class 1's label (2 truly belong to it); a "
        "validation split cannot put it in both parts."
    )
    frame = make_shapes(10, minority_fraction=0.02, label_noise=0.2, seed=70)
    assert frame.attrs["class_counts"] == [10, 0]
    assert frame.attrs["notes"][1].startswith("After flipping, no point carries class 1's label")


# ---- make_shapes: geometry -------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_sits_roughly_in_the_square_of_side_four(shape):
    frame = make_shapes(5000, shape=shape)
    points = frame[["x1", "x2"]].to_numpy()
    # The brief's "roughly [−2, 2]²": the jitter's tails may stray a little beyond it.
    assert np.all(np.abs(points) < 2.6)
    assert np.mean(np.all(np.abs(points) <= 2.0, axis=1)) > 0.99


def pooled(shape: str) -> pd.DataFrame:
    # 40,000 points from 8 seeds: make_shapes caps n at 5,000
    return pd.concat([make_shapes(5000, shape=shape, seed=seed) for seed in range(8)])


def test_moons_match_sklearn_make_moons():
    from sklearn.datasets import make_moons

    frame = pooled("moons")
    # mapped back into sklearn's coordinates by the module's documented centre and scale
    points = frame[["x1", "x2"]].to_numpy() / 1.2 + [0.5, 0.25]
    reference, reference_label = make_moons(40_000, noise=0.1, random_state=0)
    for label in (0, 1):
        ours = points[frame["clean_label"].to_numpy() == label]
        theirs = reference[reference_label == label]
        # 20,000 points a class, coordinate variance ≤ 0.5: each mean has sd ≤ 0.005 on each
        # side, so 0.03 is > 4 sd of the difference; the covariances' sd is ≈ 0.003.
        np.testing.assert_allclose(ours.mean(axis=0), theirs.mean(axis=0), atol=0.03)
        np.testing.assert_allclose(np.cov(ours.T), np.cov(theirs.T), atol=0.02)


def test_circles_match_sklearn_make_circles():
    from sklearn.datasets import make_circles

    frame = pooled("circles")
    radius = np.hypot(frame["x1"], frame["x2"]).to_numpy() / 1.6  # the documented scale
    reference, reference_label = make_circles(40_000, factor=0.5, noise=0.08, random_state=0)
    reference_radius = np.hypot(reference[:, 0], reference[:, 1])
    for label in (0, 1):
        ours = radius[frame["clean_label"].to_numpy() == label]
        theirs = reference_radius[reference_label == label]
        # radius sd ≈ 0.08 over 20,000 points: the means' sd ≈ 0.0006, so 0.005 is > 5 sd of
        # the difference; the sds' own sd ≈ 0.0004.
        assert ours.mean() == pytest.approx(theirs.mean(), abs=0.005)
        assert ours.std() == pytest.approx(theirs.std(), abs=0.004)


def test_xor_label_is_the_sign_of_the_product_off_a_band_along_the_axes():
    frame = make_shapes(5000, shape="xor", minority_fraction=0.3)
    x1, x2 = frame["x1"].to_numpy(), frame["x2"].to_numpy()
    # the documented square: |x1|, |x2| in [0.1, 1.9], class 1 where x1·x2 > 0
    assert np.all((np.abs(x1) >= 0.1) & (np.abs(x1) <= 1.9))
    assert np.all((np.abs(x2) >= 0.1) & (np.abs(x2) <= 1.9))
    np.testing.assert_array_equal(frame["clean_label"], (x1 * x2 > 0).astype(np.int64))
    # both quadrants of each class are used
    assert len({(a, b) for a, b in zip(np.sign(x1), np.sign(x2), strict=True)}) == 4


def test_spiral_arms_follow_cs231n():
    # CS231n (cs231n.github.io/neural-networks-case-study): arm j at radius r has angle
    # 4j + 4r + Normal(0, 0.2²), at the point r·(sin, cos) of it; here r is scaled by 1.9.
    frame = make_shapes(5000, shape="spiral", minority_fraction=1 / 3)
    x1, x2 = frame["x1"].to_numpy(), frame["x2"].to_numpy()
    radius = np.hypot(x1, x2) / 1.9
    assert radius.max() <= 1.0
    expected_angle = 4.0 * (frame["clean_label"].to_numpy() + radius)
    angle_noise = np.angle(np.exp(1j * (np.arctan2(x1, x2) - expected_angle)))
    # 5000 draws of sd 0.2: the mean's sd ≈ 0.003 and the sd's ≈ 0.002
    assert abs(angle_noise.mean()) < 0.015 and angle_noise.std() == pytest.approx(0.2, abs=0.01)


# ---- validation_split ------------------------------------------------------------------


def test_regression_split_takes_the_rounded_share_at_random():
    train, validation = validation_split(200, share=0.25, seed=1)
    assert len(validation) == 50 and len(train) == 150  # round(0.25·200)
    for part in (train, validation):
        assert part.dtype == np.int64 and np.all(np.diff(part) > 0)
    np.testing.assert_array_equal(np.sort(np.concatenate([train, validation])), np.arange(200))
    assert validation.tolist() != list(range(150, 200))
    # one stratum with labels or without: the same split
    same = validation_split(200, np.zeros(200, dtype=np.int64), share=0.25, seed=1)
    np.testing.assert_array_equal(same[1], validation)


def test_split_is_stratified_so_every_class_of_two_is_on_both_sides():
    # classes of 97, 2, 1 points (hand-made): round(0.25·97) = 24; round(0.5) = 0, raised to
    # 1; the single point stays in training
    labels = np.array([0] * 97 + [1, 1] + [2])
    train, validation = validation_split(100, labels, share=0.25)
    assert np.bincount(labels[validation], minlength=3).tolist() == [24, 1, 0]
    assert np.bincount(labels[train], minlength=3).tolist() == [73, 1, 1]
    # two points with a share of 0.5 in a class of 2: 1 each side, never 2
    train, validation = validation_split(4, np.array([0, 0, 1, 1]), share=0.5)
    assert sorted(np.array([0, 0, 1, 1])[validation].tolist()) == [0, 1]


def test_a_larger_share_keeps_every_validation_row_and_the_split_ignores_the_data_stream():
    labels = make_shapes(400, minority_fraction=0.2)["label"].to_numpy()
    _, small = validation_split(400, labels, share=0.1, seed=3)
    _, large = validation_split(400, labels, share=0.4, seed=3)
    assert len(small) == 40 and len(large) == 160  # round(0.1·80) + round(0.1·320), likewise
    assert set(small) <= set(large)
    _, other_seed = validation_split(400, labels, share=0.1, seed=4)
    assert set(other_seed) != set(small)


# ---- grid and plane_box ----------------------------------------------------------------


def test_grid_is_row_major_with_x1_fastest_as_a_heatmap_reads_it():
    xs1, xs2, points = grid((0.0, 1.0), (10.0, 12.0), 3)
    np.testing.assert_array_equal(xs1, [0.0, 0.5, 1.0])  # ends included, hand-derived
    np.testing.assert_array_equal(xs2, [10.0, 11.0, 12.0])
    assert points.shape == (9, 2) and points.dtype == np.float64
    # a heatmap's z[i, j] sits at (x[j], y[i]) (Plotly's heatmap trace, z rows along y)
    z_x1 = points[:, 0].reshape(3, 3)
    z_x2 = points[:, 1].reshape(3, 3)
    for i in range(3):
        for j in range(3):
            assert (z_x1[i, j], z_x2[i, j]) == (xs1[j], xs2[i])


def test_plane_box_pads_the_bounding_box_by_a_tenth_of_its_width():
    frame = pd.DataFrame({"x1": [0.0, 10.0, 4.0], "x2": [-1.0, 1.0, 0.0]})
    # hand-derived: widths 10 and 2, padded 1 and 0.2 on each side
    assert plane_box(frame) == ((-1.0, 11.0), (-1.2, 1.2))
    # no width: padded by 1
    assert plane_box(pd.DataFrame({"x1": [3.0], "x2": [3.0]})) == ((2.0, 4.0), (2.0, 4.0))
    low, high = plane_box(make_shapes())[0]
    assert low < -1.5 and high > 1.5  # moons reach ±1.8 in x1 before padding


# ---- argument checks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "kwargs", "message"),
    [
        (make_curve, {"n": 9}, "n must be between 10 and 5,000; got 9."),
        (make_curve, {"n": 5001}, "n must be between 10 and 5,000; got 5,001."),
        (make_curve, {"n": 20.5}, "n must be a whole number; got 20.5."),
        (make_curve, {"shape": "cosine"}, 'shape must be one of "sine", "step"; got \'cosine\'.'),
        (make_curve, {"noise": -0.1}, "noise must be at least 0 (it is a standard deviation)"),
        (make_curve, {"noise": math.inf}, "noise must be a finite number; got inf."),
        (make_curve, {"outlier_fraction": 0.6}, "outlier_fraction must be between 0 and 0.5"),
        (make_curve, {"outlier_magnitude": -1}, "outlier_magnitude must be at least 0 (it is a"),
        (make_curve, {"two_sided": 1}, "two_sided must be True or False; got 1."),
        (make_curve, {"seed": -1}, "seed must be at least 0; got -1."),
        (make_shapes, {"n": 9}, "n must be between 10 and 5,000; got 9."),
        (make_shapes, {"shape": "spirals"}, 'shape must be one of "moons", "circles", "xor", "spi'),
        (make_shapes, {"shape": ["moons"]}, "shape must be one of"),
        (
            make_shapes,
            {"minority_fraction": 0.01},
            "minority_fraction must be between 0.02 and 0.5",
        ),
        (make_shapes, {"minority_fraction": 0.51}, "minority_fraction must be between 0.02"),
        (make_shapes, {"label_noise": 0.46}, "label_noise must be between 0 and 0.45; got 0.46."),
        (make_shapes, {"label_noise": "0.1"}, "label_noise must be a number; got '0.1'."),
        (make_shapes, {"seed": 1.5}, "seed must be a whole number; got 1.5."),
        (classes_of, {"shape": "sine"}, "shape must be one of"),
        (truth, {"shape": "moons", "x": np.zeros(2)}, 'shape must be one of "sine", "step"'),
    ],
)
def test_bad_generator_arguments_raise_value_errors_a_student_can_act_on(call, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call(**kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1,), {}, "n must be between 2 and 1,000,000; got 1."),
        ((10,), {"share": 0.6}, "share must be between 0.05 and 0.5; got 0.6."),
        ((10,), {"share": 0.01}, "share must be between 0.05 and 0.5; got 0.01."),
        ((10,), {"seed": -2}, "seed must be at least 0; got -2."),
        (
            (10, np.zeros(9, dtype=int)),
            {},
            "labels must hold one label per row, n=10; got shape (9",
        ),
        ((2, np.zeros((2, 1), dtype=int)), {}, "n=2; got shape (2, 1)."),
        (
            (3, np.array([0.0, 1.0, 0.5])),
            {},
            "labels must be whole numbers (class indices); got fl",
        ),
    ],
)
def test_bad_split_arguments_raise_value_errors(args, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        validation_split(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (((0, 1), (0, 1), 1), "size must be between 2 and 500; got 1."),
        (((0, 1), (0, 1), 501), "size must be between 2 and 500; got 501."),
        (((0, 1), (0, 1), 2.5), "size must be a whole number; got 2.5."),
        (((1, 1), (0, 1), 10), "x1_range must have low < high; got (1, 1)."),
        (((0, 1), (2, 1), 10), "x2_range must have low < high; got (2, 1)."),
        (((0, 1, 2), (0, 1), 10), "x1_range must be a pair (low, high); got (0, 1, 2)."),
        ((None, (0, 1), 10), "x1_range must be a pair (low, high); got None."),
        (((0, math.nan), (0, 1), 10), "x1_range's high end must be a finite number; got nan."),
    ],
)
def test_bad_grid_arguments_raise_value_errors(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        grid(*args)


@pytest.mark.parametrize(
    "frame",
    [pd.DataFrame({"x1": [], "x2": []}), pd.DataFrame({"x1": [0.0, math.nan], "x2": [0.0, 1.0]})],
)
def test_plane_box_refuses_no_points_or_non_finite_ones(frame):
    with pytest.raises(ValueError, match=re.escape("x1 must hold at least one point, all finite.")):
        plane_box(frame)


# ---- properties over the whole parameter ranges ----------------------------------------

fractions = st.floats(0.0, 0.5)


@PROPERTY
@given(
    n=st.integers(10, 5000),
    shape=st.sampled_from(CURVES),
    noise=st.floats(0, 5),
    outlier_fraction=fractions,
    outlier_magnitude=st.floats(0, 100),
    two_sided=st.booleans(),
    seed=seeds,
)
def test_curve_properties(n, shape, noise, outlier_fraction, outlier_magnitude, two_sided, seed):
    kwargs = dict(
        n=n,
        shape=shape,
        noise=noise,
        outlier_fraction=outlier_fraction,
        outlier_magnitude=outlier_magnitude,
        two_sided=two_sided,
        seed=seed,
    )
    frame = make_curve(**kwargs)
    pd.testing.assert_frame_equal(frame, make_curve(**kwargs))
    assert len(frame) == n and list(frame.columns) == list(CURVE_SCHEMA)
    pushed = round(outlier_fraction * n) if outlier_magnitude > 0 else 0
    assert frame["is_outlier"].sum() == frame.attrs["n_outliers"] == pushed
    assert np.all(np.abs(frame["x"]) <= 3.0) and np.all(np.isfinite(frame["y"]))
    # The same points without noise: the offsets read off exactly.
    clean = make_curve(**(kwargs | {"noise": 0.0}))
    offset, outlier = np.abs(residual(clean)), clean["is_outlier"].to_numpy()
    assert np.all(offset[~outlier] <= 1e-12)
    assert np.all(offset[outlier] >= 0.5 * outlier_magnitude - 1e-12)
    assert np.all(offset[outlier] <= 1.5 * outlier_magnitude + 1e-12)
    rounds_away = outlier_fraction > 0 and round(outlier_fraction * n) == 0
    assert (len(frame.attrs["notes"]) > 0) == (rounds_away or pushed < round(outlier_fraction * n))


@PROPERTY
@given(
    n=st.integers(10, 5000),
    shape=st.sampled_from(SHAPES),
    minority_fraction=st.floats(0.02, 0.5),
    label_noise=st.floats(0.0, 0.45),
    seed=seeds,
)
def test_shapes_properties(n, shape, minority_fraction, label_noise, seed):
    kwargs = dict(
        n=n, shape=shape, minority_fraction=minority_fraction, label_noise=label_noise, seed=seed
    )
    frame = make_shapes(**kwargs)
    pd.testing.assert_frame_equal(frame, make_shapes(**kwargs))
    k = classes_of(shape)
    assert len(frame) == n and list(frame.columns) == list(SHAPES_SCHEMA)
    assert np.all(np.isfinite(frame[["x1", "x2"]].to_numpy()))
    clean = np.bincount(frame["clean_label"], minlength=k)
    observed = np.bincount(frame["label"], minlength=k)
    assert frame.attrs["clean_counts"] == clean.tolist() and len(clean) == k
    assert frame.attrs["class_counts"] == observed.tolist() and len(observed) == k
    assert clean.min() >= 2
    quota = minority_fraction * n
    raised = any("kept 2" in note for note in frame.attrs["notes"])
    if k == 2:
        # round(quota), at most half of n, or raised to 2 when that is below 2
        assert raised == (quota < 1.5)
        assert clean[1] == (2 if raised else min(round(quota), n // 2)) <= clean[0]
    else:
        # largest remainder: within 1 of the quota, or raised to 2 (only a quota below 2 can be)
        assert raised <= (quota < 2) and (quota < 1) <= raised
        assert clean[2] == 2 if raised else abs(clean[2] - quota) < 1
        assert abs(clean[0] - clean[1]) <= 1
    n_flipped = round(label_noise * n)
    assert flipped(frame).sum() == frame.attrs["n_flipped"] == n_flipped
    scarce = any("After flipping" in note for note in frame.attrs["notes"])
    assert scarce == (observed.min() < 2)


@PROPERTY
@given(
    labels=st.lists(st.integers(0, 4), min_size=2, max_size=300) | st.integers(2, 300),
    share=st.floats(0.05, 0.5),
    seed=seeds,
)
def test_split_properties(labels, share, seed):
    if isinstance(labels, int):
        n, labels = labels, None
    else:
        n, labels = len(labels), np.array(labels)
    train, validation = validation_split(n, labels, share=share, seed=seed)
    again = validation_split(n, labels, share=share, seed=seed)
    np.testing.assert_array_equal(train, again[0])
    np.testing.assert_array_equal(validation, again[1])
    np.testing.assert_array_equal(np.sort(np.concatenate([train, validation])), np.arange(n))
    assert train.dtype == validation.dtype == np.int64
    assert np.all(np.diff(train) > 0) and np.all(np.diff(validation) > 0)
    strata = np.zeros(n, dtype=np.int64) if labels is None else labels
    for stratum in np.unique(strata):
        m = int(np.sum(strata == stratum))
        in_validation = int(np.sum(strata[validation] == stratum))
        expected = 0 if m < 2 else min(max(round(share * m), 1), m - 1)  # the docstring's rule
        assert in_validation == expected


@PROPERTY
@given(
    low1=st.floats(-100, 100),
    width1=st.floats(0.01, 100),
    low2=st.floats(-100, 100),
    width2=st.floats(0.01, 100),
    size=st.integers(2, 60),
)
def test_grid_properties(low1, width1, low2, width2, size):
    xs1, xs2, points = grid((low1, low1 + width1), (low2, low2 + width2), size)
    assert xs1.shape == xs2.shape == (size,) and points.shape == (size * size, 2)
    assert xs1[0] == low1 and xs2[0] == low2 and np.all(np.diff(xs1) > 0)
    np.testing.assert_array_equal(points[:, 0].reshape(size, size), np.tile(xs1, (size, 1)))
    np.testing.assert_array_equal(
        points[:, 1].reshape(size, size), np.repeat(xs2, size).reshape(size, size)
    )
