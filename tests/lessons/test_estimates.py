"""lessons.estimates: each regression loss's best constant on a page's data, and the
sentence about the mean and the median. Expected values: numpy's mean and median."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from lessons import estimates
from losses import data


def frame_with(magnitude: float):
    return data.make_regression(
        n=200, noise=1.0, outlier_fraction=0.1, outlier_magnitude=magnitude, two_sided=False, seed=0
    )


def test_one_estimate_per_regression_loss_the_picked_one_with_its_setting():
    y = frame_with(10.0)["y"].to_numpy()
    found = estimates.estimates(y, "huber", {"delta": 0.5})
    assert [e.loss_id for e in found] == [loss.id for loss in losses.by_task("regression")]
    by_id = {e.loss_id: e for e in found}
    assert by_id["mse"].value == pytest.approx(np.mean(y), rel=1e-14)  # numpy mean
    assert by_id["mae"].value == pytest.approx(np.median(y), rel=1e-14)  # numpy median
    assert by_id["huber"].setting == "δ = 0.5"
    assert by_id["pseudo_huber"].setting == "δ = 1"


def test_the_mean_runs_with_the_outliers_and_the_median_stays():
    # Once every outlier sits above the median (magnitude 20 here), pushing them farther
    # moves the mean by 10% of the push (20 of 200 points, hand-derived: 0.1 × 10 = 1 per
    # step) and the median not at all.
    means, medians = [], []
    for magnitude in (20.0, 30.0, 40.0):
        by_id = {
            e.loss_id: e.value
            for e in estimates.estimates(frame_with(magnitude)["y"].to_numpy(), "mse", {})
        }
        means.append(by_id["mse"])
        medians.append(by_id["mae"])
    assert np.diff(means) == pytest.approx([0.1 * 10.0, 0.1 * 10.0], rel=0.1)
    assert medians[0] == medians[1] == medians[2]


def test_the_sentence_names_the_mean_and_the_median_and_what_the_outliers_moved():
    frame = frame_with(10.0)
    y, is_outlier = frame["y"].to_numpy(), frame["is_outlier"].to_numpy()
    found = estimates.estimates(y, "huber", {})
    text = estimates.estimates_text(found, y, is_outlier, "huber")
    assert f"{np.mean(y):.4g}" in text and f"{np.median(y):.4g}" in text  # numpy
    # numpy's mean and median of the 180 points that are not outliers.
    ordinary = y[~is_outlier]
    assert (
        f"Without the 20 outliers (×) the mean and the median would be "
        f"{np.mean(ordinary):.4g} and {np.median(ordinary):.4g}"
    ) in text
    assert "The best constant of Huber" in text


def test_generated_values_are_offsets_from_the_true_line_and_a_files_are_its_y():
    from losses.upload import read_table, regression_frame
    from tests.upload_files import REGRESSION

    frame = frame_with(10.0)
    values, title = estimates.location_values(frame)
    # make_regression's true line is y = 1 + 2x (its defaults): hand-derived offsets.
    expected = frame["y"].to_numpy() - (1.0 + 2.0 * frame["x"].to_numpy())
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-12)
    assert "true line" in title
    uploaded = regression_frame(read_table(REGRESSION), "x", "y")
    values, title = estimates.location_values(uploaded)
    assert values.tolist() == uploaded["y"].tolist() and title.startswith("y")
