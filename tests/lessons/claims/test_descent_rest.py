"""Claims of the gradient-descent page's "find the bottom yourself" text
(`lessons.descent.explore_text`) and its landscape's text alternative (`lessons.alt_text.
landscape`) over the page's whole range: every regression loss at any
setting of its sliders, generated data, a student's file and clicked points, a start clicked
anywhere on the landscape (or the default a = 0, b = 0, or the minimum itself), the minimum
hidden or shown.

Sources: every cost J(a, b) = mean ℓ(a + b·x − y) by hand (`regression_by_hand`); "the
bottom" against those costs on the landscape the page draws (its window, `lessons.descent.
window`, on a grid) and next to the minimum; "the darker, the lower" against Plotly's Viridis
scale (its colours' luminance, by the sRGB formula).
"""

from __future__ import annotations

import re

import numpy as np
import plotly.colors
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import losses
from lessons import alt_text
from lessons import descent as lesson
from lessons.display_numbers import signed
from losses.data import make_regression
from losses.fit import fit_regression
from tests.lessons.claims import regression_by_hand as by_hand
from tests.lessons.claims.regression_settings import page_frame, picked_loss
from ui import descent_charts

SETTINGS = settings(max_examples=60, deadline=None)
TEXT = re.compile(
    r"Your line ŷ = (?P<a>\S+) \+ (?P<b>\S+)·x costs J = (?P<cost>\S+)\. Click elsewhere on "
    r"the landscape to try another line: the darker, the lower\.(?P<rest>.*)"
)
REVEALED = re.compile(
    r" The bottom is at a\* = (?P<a>\S+), b\* = (?P<b>\S+), where J\* = (?P<best>\S+): "
    r"(?P<verdict>.*)"
)
VALLEY = re.compile(
    r" The fit's minimum, reached from the MAE line, is at a\* = (?P<a>\S+), b\* = (?P<b>\S+), "
    r"where J\* = (?P<best>\S+)\. This cost is not convex, so that is the bottom of one valley, "
    r"not surely the lowest(?P<verdict>.*)"
)


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def costs(loss_id, params, x, y, intercepts, slopes) -> np.ndarray:
    """J at each (a, b) by hand."""
    residual = intercepts[..., None] + slopes[..., None] * x - y
    return np.mean(by_hand.value(loss_id, params, residual), axis=-1)


@st.composite
def explore_settings(draw):
    loss, params = draw(picked_loss())
    params = loss.resolve_params(params)
    frame = draw(page_frame(max_n=80, max_added=1))
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    minimum = fit_regression(frame, loss.id, **params).params  # the page's (descent_cache)
    centre = (minimum["intercept"], minimum["slope"])
    # A click anywhere on a landscape around the minimum (the window's own floors on the
    # spans, `lesson.window`), or the default start, or the minimum itself.
    span_a = max(0.5, 0.1 * np.ptp(y))
    span_b = max(0.1, 0.1 * np.ptp(y) / max(np.ptp(x), 1e-9))
    offset = st.tuples(st.floats(-5.0, 5.0), st.floats(-5.0, 5.0))
    start = draw(
        st.sampled_from([(0.0, 0.0), centre])
        | offset.map(lambda u: (centre[0] + u[0] * span_a, centre[1] + u[1] * span_b))
    )
    return loss, params, x, y, centre, start, draw(st.booleans())


ON_THEIR_LINE = make_regression(20, noise=0.0, outlier_fraction=0.0)


HALF_OUTLIERS = make_regression(200, outlier_fraction=0.5, outlier_magnitude=50.0, seed=0)
CAUCHY = losses.get("barron").resolve_params({"alpha": 0.0, "scale": 1.0})
CAUCHY_FIT = fit_regression(HALF_OUTLIERS, "barron", **CAUCHY).params


@SETTINGS
@given(drawn=explore_settings())
# Cauchy on half outliers: the fit (from the MAE line) stops at a* = −2.26, b* = 5.56 with
# J* = 4.99, while a click near the true line (1.25, 1.89) costs 3.71; the old text called
# the fit's point "the bottom" and said "yours is −1.29 above it (−26 % more)".
@example(
    drawn=(
        losses.get("barron"),
        CAUCHY,
        HALF_OUTLIERS["x"].to_numpy(),
        HALF_OUTLIERS["y"].to_numpy(),
        (CAUCHY_FIT["intercept"], CAUCHY_FIT["slope"]),
        (1.25, 1.89),
        True,
    )
)
# Points on their line: J* = 0 (MSE's to rounding, 5e-31), once "(1.85e+14 % more)".
@example(
    drawn=(
        losses.get("mse"),
        {},
        ON_THEIR_LINE["x"].to_numpy(),
        ON_THEIR_LINE["y"].to_numpy(),
        (1.0, 2.0),
        (0.0, 0.0),
        True,
    )
)
def test_the_explore_text_gives_the_costs_on_the_landscape(drawn):
    loss, params, x, y, minimum, start, reveal = drawn
    start_cost = float(costs(loss.id, params, x, y, np.array(start[0]), np.array(start[1])))
    best = float(costs(loss.id, params, x, y, np.array(minimum[0]), np.array(minimum[1])))
    size = 1.0 + np.abs(y).max() + np.abs(x).max() * (abs(start[1]) + abs(minimum[1]))
    noise = 10 * float(by_hand.value(loss.id, params, [1e-12 * size])[0])
    text = lesson.explore_text(
        start,
        start_cost,
        minimum=minimum if reveal else None,
        minimum_cost=best if reveal else None,
        convex=loss.is_convex(params),
    )
    claim = TEXT.fullmatch(text)
    assert claim, text
    assert (claim["a"], claim["b"]) == (signed(start[0], ".4g"), signed(start[1], ".4g"))
    assert number(claim["cost"]) == pytest.approx(start_cost, rel=1e-5, abs=noise)
    if not reveal:
        turn_on = " Turn on “show the fit’s minimum” when you think you have found it."
        assert claim["rest"] == turn_on
        return
    shown = REVEALED.fullmatch(claim["rest"]) or VALLEY.fullmatch(claim["rest"])
    assert shown, claim["rest"]
    assert (shown["a"], shown["b"]) == (signed(minimum[0], ".4g"), signed(minimum[1], ".4g"))
    assert number(shown["best"]) == pytest.approx(best, rel=1e-5, abs=noise)
    above = start_cost - best
    if by_hand.bends_down(loss.id, params):
        # Not "the bottom": a valley's (nothing right next to it is lower), and a start
        # below it is said to be below it.
        assert shown.re is VALLEY
        check_the_bottom(loss, params, x, y, minimum, None, best, noise)
        below = shown["verdict"].startswith(", and yours is")
        assert below == (above < 0)
        said = re.fullmatch(r"(?::|, and) yours is (\S+) (above|below) it[.:].*", shown["verdict"])
        assert number(said[1]) == pytest.approx(abs(above), rel=5e-3, abs=2 * noise)
        return
    assert shown.re is REVEALED
    check_the_bottom(loss, params, x, y, minimum, start, best, noise)
    verdict = re.fullmatch(
        r"yours is (?P<above>\S+) above it(?: \((?P<share>\S+) % more\))?\.", shown["verdict"]
    )
    assert verdict, shown["verdict"]
    assert number(verdict["above"]) == pytest.approx(above, rel=5e-3, abs=2 * noise)
    # A share of J* where J* is a number above 0 (the page's own, as printed); none of 0.
    printed_best = number(shown["best"])
    assert (verdict["share"] is not None) == (printed_best > 0)
    if verdict["share"] is not None:
        share = (number(claim["cost"]) - printed_best) / printed_best
        assert number(verdict["share"]) / 100 == pytest.approx(share, rel=5e-3, abs=1e-5)


def check_the_bottom(loss, params, x, y, minimum, start, best, noise):
    """ "The bottom": nothing on the landscape the page draws (its window over the start and
    the minimum, on a grid), nor right next to the minimum, is lower. ``start`` None: only
    next to it (the bottom of its valley)."""
    step = 1e-4 * (1.0 + np.abs(np.array(minimum)))
    around = np.array([[1, 0], [-1, 0], [0, 1], [0, -1]]) * step + np.array(minimum)
    lowest = costs(loss.id, params, x, y, around[:, 0], around[:, 1]).min()
    if start is not None:
        window = lesson.window([start[0], minimum[0]], [start[1], minimum[1]], x=x, y=y)
        a_grid, b_grid = np.meshgrid(
            np.linspace(window.a_low, window.a_high, 41),
            np.linspace(window.b_low, window.b_high, 41),
        )
        lowest = min(lowest, costs(loss.id, params, x, y, a_grid, b_grid).min())
    assert lowest >= best - noise - 1e-9 * best, "a line on the landscape is lower"


def test_darker_is_lower_on_the_landscape_s_scale():
    # The landscape (ui.descent_charts.landscape_figure) colours J, or log₁₀ J, from the low
    # end of its scale up: each colour is lighter than the one below it (relative luminance,
    # the sRGB weights).
    axis = np.array([0.0, 1.0, 2.0])
    figure = descent_charts.landscape_figure(
        axis,
        axis,
        np.add.outer(axis, axis) + 1.0,
        log=False,
        colour="#000000",
        start=(0.0, 0.0),
        minimum=None,
        current=(0.0, 0.0),
    )
    contour = figure.data[0]
    assert not contour.reversescale

    def luminance(colour: str) -> float:
        (rgb,), _ = plotly.colors.convert_colors_to_same_type(colour, colortype="rgb")
        red, green, blue = plotly.colors.unlabel_rgb(rgb)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    scale = plotly.colors.get_colorscale(contour.colorscale)  # "Viridis" → its stops
    lightness = [luminance(colour) for _, colour in scale]
    assert len(lightness) > 2 and lightness == sorted(lightness)


LANDSCAPE = re.compile(
    r"Heat map of the (?P<name>.+) cost J over intercept a and slope b"
    r"(?:, (?P<which>lowest J\*|the fit's minimum \(a valley's: the cost is not convex\) J\*) = "
    r"(?P<best>\S+) at a = (?P<a>\S+), b = (?P<b>\S+))?; your start a = (?P<start_a>\S+), "
    r"b = (?P<start_b>\S+)\."
)


@SETTINGS
@given(drawn=explore_settings())
@example(
    drawn=(
        losses.get("barron"),
        CAUCHY,
        HALF_OUTLIERS["x"].to_numpy(),
        HALF_OUTLIERS["y"].to_numpy(),
        (CAUCHY_FIT["intercept"], CAUCHY_FIT["slope"]),
        (1.25, 1.89),
        True,
    )
)
def test_the_landscape_s_text_calls_lowest_only_the_lowest(drawn):
    # alt_text.landscape, as the page calls it (ui.descent_cache.descent_view) before a run.
    loss, params, x, y, minimum, start, reveal = drawn
    best = float(costs(loss.id, params, x, y, np.array(minimum[0]), np.array(minimum[1])))
    text = alt_text.landscape(
        loss.name, minimum if reveal else None, best, start, None, convex=loss.is_convex(params)
    )
    claim = LANDSCAPE.fullmatch(text)
    assert claim, text
    assert (claim["start_a"], claim["start_b"]) == (f"{start[0]:.3g}", f"{start[1]:.3g}")
    if not reveal:  # hidden: the student is to find it
        assert claim["which"] is None
        return
    size = 1.0 + np.abs(y).max() + np.abs(x).max() * (abs(start[1]) + abs(minimum[1]))
    noise = 10 * float(by_hand.value(loss.id, params, [1e-12 * size])[0])
    assert number(claim["best"]) == pytest.approx(best, rel=1e-3, abs=noise)
    assert (claim["a"], claim["b"]) == (f"{minimum[0]:.3g}", f"{minimum[1]:.3g}")
    assert (claim["which"] == "lowest J*") == (not by_hand.bends_down(loss.id, params))
    if claim["which"] == "lowest J*":
        check_the_bottom(loss, params, x, y, minimum, start, best, noise)
