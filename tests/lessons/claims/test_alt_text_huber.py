"""Claims of the Huber δ lab's text alternatives (`lessons.alt_text.huber_sweep`) hold on
the numbers drawn, over the lab's whole range: δ on its slider, the data sliders, and
skewed, shifted files.

Sources: the slopes are `losses.fit.fit_line`'s (tests/losses checks Huber's against
scipy.optimize on scipy.special.huber, MAE's against sklearn's QuantileRegressor, MSE's
against np.polyfit); the scene's numbers below are checked against those references here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings

import losses
from lessons import alt_text
from losses.data import make_regression
from losses.fit import fit_line
from tests.lessons.claims.regression_settings import file_xy, generator_args, slider_values
from tests.losses.line_references import huber_line_by_scipy, quantile_line_by_sklearn

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
