"""Claims of the Huber δ lab's text alternatives (`lessons.alt_text.huber_sweep`,
`huber_curves`) hold on the numbers drawn, over the lab's whole range: δ on its slider,
the data sliders, and skewed, shifted files.

Sources: the slopes are `losses.fit.fit_line`'s (tests/losses checks Huber's against
scipy.optimize on scipy.special.huber, MAE's against sklearn's QuantileRegressor, MSE's
against np.polyfit); the scene's numbers below are checked against those references here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import losses
from lessons import alt_text, huber_lab, robustness
from losses.data import make_regression
from losses.fit import fit_line
from tests.lessons.claims.regression_settings import file_xy, generator_args, slider_values
from tests.losses.line_references import huber_line_by_scipy, quantile_line_by_sklearn
from ui import huber_charts

SETTINGS = settings(max_examples=50, deadline=None)
DELTA = next(spec for spec in losses.get("huber").params if spec.name == "delta")
PLACE = re.compile(
    r"the slope is (?P<slope>\S+), (?:"
    r"between MAE's (?P<between_mae>\S+) and least squares' (?P<between_mse>\S+)"
    r"|outside MAE's (?P<out_mae>\S+) and least squares' (?P<out_mse>\S+): "
    r"(?P<side>above|below) both"
    r"|the same as (?P<same>MAE's and least squares'|MAE's|least squares') .*"
    r")\.$"
)


def shown(value: float) -> str:
    """As the lab prints a slope: 4 significant digits, a true minus sign."""
    return format(value, "z.4g").replace("-", "−")


def check_sweep_claim(x, y, delta):
    huber = fit_line(x, y, "huber", delta=delta).params["slope"]
    mse, mae = fit_line(x, y, "mse").params["slope"], fit_line(x, y, "mae").params["slope"]
    text = alt_text.huber_sweep(delta, huber, mse, mae)
    claim = PLACE.search(text)
    assert claim, text
    assert claim["slope"] == shown(huber)
    low, high = min(mse, mae), max(mse, mae)
    if claim["between_mae"]:
        assert (claim["between_mae"], claim["between_mse"]) == (shown(mae), shown(mse))
        assert low <= huber <= high
    elif claim["out_mae"]:
        assert (claim["out_mae"], claim["out_mse"]) == (shown(mae), shown(mse))
        assert huber > high if claim["side"] == "above" else huber < low
    else:
        same = {"MAE's": [mae], "least squares'": [mse], "MAE's and least squares'": [mae, mse]}
        assert all(shown(huber) == shown(other) for other in same[claim["same"]])
    return claim


@SETTINGS
@given(args=generator_args(max_n=300), delta=slider_values(DELTA))
def test_the_sweep_s_alt_text_places_the_slope_right_on_generated_data(args, delta):
    frame = make_regression(**args)
    check_sweep_claim(frame["x"].to_numpy(), frame["y"].to_numpy(), delta)


@SETTINGS
@given(xy=file_xy(), delta=slider_values(DELTA))
def test_the_sweep_s_alt_text_places_the_slope_right_on_a_skewed_file(xy, delta):
    check_sweep_claim(*xy, delta)


@pytest.mark.parametrize(
    ("delta", "where"), [(0.25, "below"), (1.6, "below"), (1.0, "between"), (100.0, "same")]
)
def test_on_the_what_delta_does_scene_the_slope_leaves_the_interval(delta, where):
    # The scene "What δ does" (ui/scenes.py): the lab's default data with outlier share 0.2.
    # Slopes by scipy's Huber line (Nelder–Mead on scipy.special.huber), sklearn's median
    # line and numpy's least squares: at δ = 0.25 and 1.6 Huber's slope (1.9563, 1.9554)
    # lies below both MAE's (1.9601) and least squares' (1.9698); at δ = 1 (1.9606) between.
    scene = {"noise": 1.0, "outlier_fraction": 0.2, "outlier_magnitude": 10.0, "seed": 0}
    frame = make_regression(200, two_sided=False, **scene)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    reference = {
        "huber": huber_line_by_scipy(x, y, delta)[1],
        "mae": quantile_line_by_sklearn(x, y, 0.5)[1],
        "mse": np.polyfit(x, y, 1)[0],
    }
    claim = check_sweep_claim(x, y, delta)
    low, high = sorted((reference["mae"], reference["mse"]))
    if where == "below":
        assert claim["side"] == "below" and reference["huber"] < low
    elif where == "between":
        assert claim["between_mae"] and low <= reference["huber"] <= high
    else:  # every residual is within δ = 100: Huber's line is least squares'
        assert claim["same"] == "least squares'"
        assert reference["huber"] == pytest.approx(reference["mse"], abs=1e-6)


@SETTINGS
@given(delta=slider_values(DELTA), span=st.floats(1e-3, 1e3))
def test_the_curve_s_alt_text_names_the_curves_drawn_and_how_huber_meets_them(delta, span):
    axis = robustness.residual_grid(span, (-delta, delta))
    limits = huber_lab.huber_limits(axis, delta)
    traces, _ = huber_charts.huber_limits_spec(axis, limits, delta)
    drawn = [trace["name"] for trace in traces if trace.get("line", {}).get("dash") == "dash"]
    text = alt_text.huber_curves(delta)
    # Each dashed curve's formula (the part after "=" in its legend) is named, and no other.
    # (each is drawn twice: loss on top, gradient below)
    formulas = list(dict.fromkeys(name.split("= ")[-1].split(" (")[0] for name in drawn))
    assert formulas == ["½r²", "δ|r|"]
    assert f"with {' and '.join(formulas)} dashed" in text
    assert "δ(|r| − ½δ)" not in text and "limit" not in text and "between" not in text
    # The claims, checked on the arrays the chart is drawn from (hand-derived identities):
    value, gradient = limits.huber
    inside = np.abs(axis) <= delta
    np.testing.assert_allclose(value[inside], limits.half_mse[0][inside], rtol=1e-12)
    np.testing.assert_allclose(gradient[inside], axis[inside], rtol=1e-12)
    assert "within ±δ Huber is ½r² (gradient r)" in text
    np.testing.assert_array_equal(gradient[~inside], limits.delta_mae[1][~inside])
    gap = limits.delta_mae[0][~inside] - value[~inside]
    np.testing.assert_allclose(gap, 0.5 * delta**2, rtol=1e-9, atol=1e-12 * span * delta)
    assert f"runs ½δ² = {0.5 * delta * delta:.3g} below δ|r|" in text
    tolerance = 1e-12 * np.maximum(limits.half_mse[0], limits.delta_mae[0])
    assert np.all(value <= limits.half_mse[0] + tolerance)
    assert np.all(value <= limits.delta_mae[0] + tolerance)
    assert "never above either dashed curve" in text
