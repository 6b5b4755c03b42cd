"""Claims of the Regression page's "When y changes scale" tab (lessons/y_scale.py): each cost
ratio it prints is the cost of a line fitted directly to s·y, over the s control's range, the
page's data settings, Huber's δ slider and data shifted and skewed like an uploaded file."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import losses
from lessons import y_scale
from losses.data import make_regression
from losses.fit import fit_line

# The s control's stops and Huber's δ slider (R10 log steps; ui.controls.log_steps, written out
# here because tests of lessons import no ui).
R10 = (1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0)
SCALES = tuple(float(f"{m * 10.0**d:.6g}") for d in (-1, 0, 1) for m in R10) + (100.0,)
DELTAS = tuple(float(f"{m * 10.0**d:.6g}") for d in (-2, -1, 0, 1) for m in R10) + (100.0,)
FAST = settings(max_examples=50, deadline=None)


@st.composite
def page_data(draw):
    """(x, y) as the page draws them: the generator's whole range, or a file's kind of data
    (x far from 0, y shifted and in other units, or skewed)."""
    frame = make_regression(
        draw(st.integers(10, 400)), noise=draw(st.floats(0.0, 5.0)),
        outlier_fraction=draw(st.floats(0.0, 0.5)), outlier_magnitude=draw(st.floats(0.0, 50.0)),
        two_sided=draw(st.booleans()), seed=draw(st.integers(0, 9999)),
    )  # fmt: skip
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    shape = draw(st.sampled_from(["generated", "shifted", "skewed"]))
    if shape == "shifted":
        x = x + 1e4
        y = 250.0 * y + 1e5
    elif shape == "skewed":
        y = np.exp(0.3 * y)
    return x, y


def direct_costs(x, y, s: float, delta: float) -> dict[str, float]:
    """Each loss's cost at its line fitted straight to s·y (no identity used)."""
    scaled = s * y
    costs = {}
    for curve, loss_id, params in (("mse", "mse", {}), ("mae", "mae", {}),
                                   ("huber", "huber", {"delta": delta}),
                                   ("huber_scaled", "huber", {"delta": delta * s})):  # fmt: skip
        line = fit_line(x, scaled, loss_id, **params).params
        predicted = line["intercept"] + line["slope"] * x
        costs[curve] = losses.get(loss_id).cost(scaled, predicted, **params)
    return costs


OTHER_RATIO = {"MSE": "mae", "MAE": "mse"}  # the ratio the other of the two names


def number(text: str, pattern: str) -> float:
    found = re.search(pattern, text)
    assert found, (pattern, text)
    return float(found.group(1).replace(",", ""))


@FAST
@given(st.floats(-1e3, 1e3), st.sampled_from(SCALES), st.sampled_from(DELTAS))
def test_huber_of_a_scaled_residual_is_s_squared_huber_at_delta_over_s(residual, s, delta):
    huber = losses.get("huber")
    r = np.array([residual])
    # hand-derived: ½(sr)² = s²·½r² where |r| ≤ δ/s; δ(s|r| − ½δ) = s²·(δ/s)(|r| − ½δ/s) beyond.
    left = huber.value(np.zeros(1), s * r, delta=delta)
    right = s * s * huber.value(np.zeros(1), r, delta=delta / s)
    np.testing.assert_allclose(left, right, rtol=1e-12, atol=1e-300)


@FAST
@given(page_data(), st.sampled_from(SCALES), st.sampled_from(DELTAS))
def test_each_cost_is_the_cost_of_a_line_fitted_to_scaled_y(data, s, delta):
    x, y = data
    sweep = y_scale.scale_sweep(x, y, SCALES, delta=delta)
    i = sweep.index(s)
    direct = direct_costs(x, y, s, delta)
    # Fits stop at a tolerance; costs near 0 (noise-free data) are rounding, hence atol.
    floor = 1e-9 * (s * float(np.max(np.abs(y)))) ** 2 + 1e-12
    for curve in y_scale.CURVES:
        assert sweep.costs[curve][i] == pytest.approx(direct[curve], rel=1e-6, abs=floor), curve


@FAST
@given(page_data(), st.sampled_from(SCALES), st.sampled_from(DELTAS))
def test_the_ratios_are_the_powers_of_s_and_huber_lies_between(data, s, delta):
    x, y = data
    sweep = y_scale.scale_sweep(x, y, SCALES, delta=delta)
    if sweep.on_the_line:
        assert all(np.all(np.isnan(sweep.ratio(curve))) for curve in y_scale.CURVES)
        return
    i = sweep.index(s)
    # hand-derived: residuals of the MSE and MAE lines scale by s; the δ·s Huber is s²·J(δ).
    assert sweep.ratio("mse")[i] == pytest.approx(s * s, rel=1e-9)
    if sweep.reference["mae"] > 0:
        assert sweep.ratio("mae")[i] == pytest.approx(s, rel=1e-9)
    assert sweep.ratio("huber_scaled")[i] == pytest.approx(s * s, rel=1e-9)
    assert sweep.scaled_linear_count[i] == sweep.reference_linear_count
    # hand-derived: Huber is convex with Huber(0) = 0, so Huber(s·r) lies between s·Huber(r)
    # and s²·Huber(r) (s·Huber_δ(r) ≤ Huber_δ(s·r) ≤ s²·Huber_δ(r) for s ≥ 1, reversed below 1),
    # and so does the minimum over lines.
    low, high = sorted((s, s * s))
    assert low * (1 - 1e-6) <= sweep.ratio("huber")[i] <= high * (1 + 1e-6)


@FAST
@given(page_data(), st.sampled_from(SCALES), st.sampled_from(DELTAS))
def test_the_sentence_prints_the_numbers_it_describes(data, s, delta):
    x, y = data
    sweep = y_scale.scale_sweep(x, y, SCALES, delta=delta)
    text = y_scale.scale_sentence(sweep, s)
    if sweep.on_the_line:
        assert "every cost is 0" in text
        return
    i = sweep.index(s)
    direct = direct_costs(x, y, s, delta)
    huber_line = fit_line(x, s * y, "huber", delta=delta).params
    linear = int(np.sum(np.abs(huber_line["intercept"] + huber_line["slope"] * x - s * y) > delta))
    if s == 1.0:
        assert f"treats {linear} of the {y.size} points" in text
        return
    shown = {name: number(text, pattern) for name, pattern in (
        ("mse", r"The MSE cost is ([\d.,e+-]+)×"), ("mae", r"MAE's ([\d.,e+-]+)×"),
        ("huber", r"Huber's \(δ = [\d.]+\) ([\d.,e+-]+)×"),
        ("huber_scaled", r"Huber's cost is ([\d.,e+-]+)×"))}  # fmt: skip
    for curve, value in shown.items():
        expected = direct[curve] / sweep.reference[curve] if sweep.reference[curve] else math.nan
        if math.isfinite(expected):
            assert value == pytest.approx(expected, rel=6e-3), curve  # 3 significant digits
    assert f"treats {linear} of the {y.size} points" in text
    before = sweep.reference_linear_count
    assert ("acts more like MAE" in text) == (linear > before)
    assert ("acts more like ½·MSE" in text) == (linear < before)
    huber, mse, mae = (sweep.ratio(curve)[i] for curve in ("huber", "mse", "mae"))
    if "between the two" in text:
        assert min(mae, mse) < huber < max(mae, mse)
        assert shown["huber"] not in (shown["mae"], shown["mse"])  # as printed, too
    for name in ("MSE", "MAE"):
        # "the same as MSE's to the digits shown": the two ratios print alike.
        same = f"the same as {name}'s to the digits shown" in text
        assert same == (shown["huber"] == shown[name.lower()] != shown[OTHER_RATIO[name]])


def test_the_default_page_reads_as_the_brief_says():
    # The page's defaults: n 200, noise 1, 10 % outliers of magnitude 10, seed 0; Huber δ = 1.
    frame = make_regression(200, noise=1.0, outlier_fraction=0.1, outlier_magnitude=10.0, seed=0)
    sweep = y_scale.scale_sweep(frame["x"], frame["y"], SCALES, delta=1.0)
    text = y_scale.scale_sentence(sweep, 10.0)
    # hand-derived: s² = 100, s = 10; at s = 10 most residuals exceed δ = 1 (MAE-like).
    assert "The MSE cost is 100× its value at s = 1 (s² = 100), MAE's 10× (s = 10)" in text
    assert "acts more like MAE" in text and "keeps its shape" in text
    assert "acts more like ½·MSE" in y_scale.scale_sentence(sweep, 0.1)
    assert "At s = 1 the data are as drawn above" in y_scale.scale_sentence(sweep, 1.0)


def test_noise_free_data_say_that_every_cost_is_zero():
    frame = make_regression(50, noise=0.0, outlier_fraction=0.0, seed=3)
    sweep = y_scale.scale_sweep(frame["x"], frame["y"], SCALES, delta=1.0)
    assert sweep.on_the_line
    assert "every cost is 0" in y_scale.scale_sentence(sweep, 10.0)
    assert "nan" not in y_scale.alt(sweep, 10.0) and "every cost is 0" in y_scale.alt(sweep, 10.0)


def test_a_file_on_a_line_in_large_units_says_so_too():
    # hypothesis's find: y = 250·(1 + 2x) + 1e5 with x near 1e4 leaves rounding residuals
    # up to 1.004e-9 (past an absolute 1e-9 test, at |y| ≈ 1e5): no cost to scale.
    frame = make_regression(10, noise=0.0, outlier_fraction=0.0, seed=0)
    x, y = frame["x"].to_numpy() + 1e4, 250.0 * frame["y"].to_numpy() + 1e5
    sweep = y_scale.scale_sweep(x, y, SCALES, delta=0.01)
    assert sweep.on_the_line
    assert "every cost is 0" in y_scale.scale_sentence(sweep, 0.1)


def test_a_scale_off_the_sweep_is_refused():
    frame = make_regression(20, seed=1)
    sweep = y_scale.scale_sweep(frame["x"], frame["y"], SCALES, delta=1.0)
    with pytest.raises(ValueError, match="not one of the sweep's scales"):
        sweep.index(3.0)
