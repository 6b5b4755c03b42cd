"""Claims of the Huber δ lab's notes and captions (`lessons.huber_lab.zone_notes`,
`sweep_ends_text`) hold on the numbers on screen, over δ on its slider, the data sliders
and skewed, shifted files.

Sources: the lines are `losses.fit.fit_line`'s (tests/losses checks Huber's against scipy's
Huber minimiser, MAE's against sklearn's QuantileRegressor); the least-squares line here is
np.polyfit's; the zone counts are |r| ≤ δ counted with numpy.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import losses
from lessons import huber_lab, robustness
from losses.data import make_regression
from losses.fit import fit_line
from tests.lessons.claims.regression_settings import file_xy, generator_args, slider_values
from ui.controls import log_steps

SETTINGS = settings(max_examples=40, deadline=None)
DELTA = next(spec for spec in losses.get("huber").params if spec.name == "delta")
STEPS = log_steps(DELTA.ui_min, DELTA.ui_max)  # the lab's sweep (ui.regression_cache)


def data_on_screen():
    generated = generator_args(max_n=200).map(lambda args: make_regression(**args))
    return generated.map(lambda f: (f["x"].to_numpy(), f["y"].to_numpy())) | file_xy(max_n=200)


def shown(value: float) -> str:
    return format(value, "z.4g").replace("-", "−")


def check_zone_notes(x, y, delta, mae, mse):
    line = fit_line(x, y, "huber", delta=delta).params
    residual = robustness.residuals(x, y, line)
    notes = huber_lab.zone_notes(residual, delta, line, mae, mse)
    within = int(np.sum(np.abs(residual) <= delta))
    if within == y.size:
        (note,) = notes
        assert "exactly the least-squares (MSE) line" in note
        slope, intercept = np.polyfit(x, y, 1)
        scale = 1.0 + np.max(np.abs(y))
        assert line["slope"] == pytest.approx(slope, abs=1e-6 * scale / (1 + np.ptp(x)))
        assert line["intercept"] == pytest.approx(intercept, abs=1e-6 * scale)
        return "all"
    if within > huber_lab.FEW_QUADRATIC * y.size:
        assert notes == []
        return "none"
    (note,) = notes
    assert note.startswith(f"Only {within} of {y.size} residuals are within ±δ")
    nearer = {k: abs(line[k] - mae[k]) < abs(line[k] - mse[k]) for k in ("slope", "intercept")}
    for key in ("slope", "intercept"):
        assert f"{key} {shown(line[key])} (MAE's {shown(mae[key])}, least squares' " in note
    event(note.split(". ")[-1][:30])
    if "nearer the MAE line than the least-squares line:" in note:
        assert not note.startswith("Even so") and all(nearer.values())
    elif "nearer the MAE line in" in note:
        near, far = re.search(r"in (\w+) only, not in (\w+)", note).groups()
        assert nearer[near] and not nearer[far]
    else:
        assert "is not nearer the MAE line" in note and not any(nearer.values())
    return "few"


@SETTINGS
@given(xy=data_on_screen(), delta=slider_values(DELTA) | st.sampled_from(STEPS[:8]))
def test_the_zone_notes_match_the_fit(xy, delta):
    x, y = xy
    mae, mse = fit_line(x, y, "mae").params, fit_line(x, y, "mse").params
    event(check_zone_notes(x, y, delta, mae, mse))


@SETTINGS
@given(xy=data_on_screen())
def test_the_sweep_caption_counts_each_end_on_the_data(xy):
    x, y = xy
    sweep = huber_lab.delta_sweep(x, y, STEPS)
    text = huber_lab.sweep_ends_text(x, y, sweep)
    for step, zone, name, reference in (
        (0, "linear", "MAE's", sweep.mae),
        (-1, "quadratic", "least squares'", sweep.mse),
    ):
        residual = sweep.intercepts[step] + sweep.slopes[step] * x - y
        within = int(np.sum(np.abs(residual) <= sweep.deltas[step]))
        count = y.size - within if zone == "linear" else within
        assert f"{count} of {y.size} " in text
        assert (
            f"are in the {zone} zone and the slope is {shown(sweep.slopes[step])} "
            f"({name} {shown(reference['slope'])})"
        ) in text
    if text.endswith("so that line is the least-squares line."):
        event("the largest δ holds every point")
        assert within == y.size
        slope, _ = np.polyfit(x, y, 1)
        assert sweep.slopes[-1] == pytest.approx(slope, rel=1e-6, abs=1e-9)
    else:
        assert within < y.size


def test_with_no_noise_the_smallest_delta_does_not_put_nearly_every_point_in_the_linear_zone():
    # make_regression with noise 0: the 180 ordinary points sit on the true line, so the
    # MAE-like fit at δ = 0.01 has them within δ (the old caption said "nearly every point is
    # in the linear zone"); only the 20 outliers are outside (hand count: round(0.1 · 200)).
    frame = make_regression(200, noise=0.0)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    text = huber_lab.sweep_ends_text(x, y, huber_lab.delta_sweep(x, y, STEPS))
    assert text.startswith("At δ = 0.01, 20 of 200 points are in the linear zone")


@pytest.mark.parametrize(
    ("line", "verdict"),
    [
        # Hand-derived distances to MAE's (slope 2, intercept 1) and least squares' (3, 5).
        ({"slope": 2.1, "intercept": 1.5}, "nearer the MAE line than the least-squares line:"),
        ({"slope": 2.1, "intercept": 4.5}, "nearer the MAE line in slope only, not in intercept"),
        ({"slope": 2.9, "intercept": 1.5}, "nearer the MAE line in intercept only, not in slope"),
        ({"slope": 2.9, "intercept": 4.5}, "Even so, Huber's line is not nearer the MAE line"),
    ],
)
def test_nearer_says_in_which_of_slope_and_intercept(line, verdict):
    text = huber_lab.nearer_text(
        line, {"slope": 2.0, "intercept": 1.0}, {"slope": 3.0, "intercept": 5.0}
    )
    assert verdict in text


@SETTINGS
@given(xy=data_on_screen())
def test_the_scrubbers_numbers_at_every_step_are_what_the_rerun_prints(xy):
    # The scrubber shows huber_lab.sweep_readouts while δ moves; the rerun at that δ prints
    # huber_lab.delta_readout of its own fit_line (ui.regression_cache.huber_view). Every
    # step, on every data set a student can make, the two texts are the same.
    x, y = xy
    readouts = huber_lab.sweep_readouts(x, y, huber_lab.delta_sweep(x, y, STEPS))
    mse, mae = fit_line(x, y, "mse").params, fit_line(x, y, "mae").params
    for delta, readout in zip(STEPS, readouts, strict=True):
        line = fit_line(x, y, "huber", delta=delta).params
        residual = robustness.residuals(x, y, line)
        rerun = huber_lab.delta_readout(residual, delta, line["slope"], mse["slope"], mae["slope"])
        assert readout == rerun, delta
        # The count is numpy's |r| ≤ δ on the fit's residuals, out of every point.
        assert readout[0][1] == f"{int(np.sum(np.abs(residual) <= delta))} of {y.size}"
