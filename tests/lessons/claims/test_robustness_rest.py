"""Claims of the Regression & outliers page's other sentences (`lessons.robustness`): the
non-convex note, the curve's kink note, the cost chart's sentence, the weights' caption, the
effect of a student's last point, the data chart's caption and the table's caption, over the
page's whole range (`regression_settings`: the data sliders, a student's file, clicked points,
each loss's sliders).

Sources: every loss, pull and weight by hand (`regression_by_hand`, from the formulas);
least-squares lines by np.polyfit; MAE lines by sklearn's QuantileRegressor (HiGHS, no
penalty; `tests/losses/line_references.py`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import losses
from lessons import robustness
from losses.data import make_regression, with_added_points
from losses.fit import fit_regression
from tests.lessons.claims import regression_by_hand as by_hand
from tests.lessons.claims.regression_settings import (
    file_frame,
    generator_args,
    page_frame,
    picked_loss,
)
from tests.losses.line_references import quantile_line_by_sklearn

SETTINGS = settings(max_examples=60, deadline=None)
FEW = settings(max_examples=30, deadline=None)  # seven fits an example


def number(text: str) -> float:
    return float(text.replace("−", "-").replace("+", ""))


def columns(frame):
    return frame["x"].to_numpy(), frame["y"].to_numpy()


# ---------------------------------------------------------------- the non-convex note


@SETTINGS
@given(picked=picked_loss(), frame=page_frame(max_n=60, max_added=1))
def test_the_non_convex_note_is_printed_exactly_where_the_cost_can_bend_down(picked, frame):
    loss, params = picked
    params = loss.resolve_params(params)
    notes = robustness.loss_notes(loss, params)
    assert bool(notes) == by_hand.bends_down(loss.id, params)
    if not notes:
        return
    (note,) = notes
    assert note.startswith(f"With {robustness.settings_text(loss, params)} the cost is not convex")
    # "a far point's pull shrinks towards zero": ψ(r) ~ r^(α − 1) (α < 1) or e^(−u²/2) far
    # out, by hand; and the core's gradient falls over the last decades it can reach.
    # Past u = r/c where (α − 1)s < −1 (hand, from ℓ'' above; Welsch: u > 1), on 20× of it.
    if loss.id == "barron":
        alpha = params["alpha"]
        knee = 1.5 if params["alpha_minus_infinity"] else np.sqrt(2 * abs(alpha - 2) / (1 - alpha))
        far = params["scale"] * knee * np.geomspace(1.0, 20.0, 10)
        core = np.abs(loss.grad(np.zeros_like(far), far, **params))
        assert np.all(np.diff(core) < 0)
        np.testing.assert_allclose(
            core, by_hand.pull("barron", params, far), rtol=1e-9, atol=1e-300
        )
    else:  # a loss added since: its pull falls somewhere (bends_down read that off ψ)
        far = np.geomspace(1e-6, 1e12, 2000)
        assert np.any(np.diff(loss.grad(np.zeros_like(far), far, **params)) < 0)
    # "It starts from the MAE line": the fit's first line costs what sklearn's MAE line does.
    x, y = columns(frame)
    fitted = fit_regression(frame, loss.id, **params)
    start_intercept, start_slope = fitted.path[0]
    intercept, slope = quantile_line_by_sklearn(x, y, 0.5)
    start = by_hand.cost("mae", {}, x, y, start_intercept, start_slope)
    best = by_hand.cost("mae", {}, x, y, intercept, slope)
    assert start == pytest.approx(best, rel=1e-7, abs=1e-12 * (1.0 + np.abs(y).max()))


# ---------------------------------------------------------------- the curve's kink note


@SETTINGS
@given(picked=picked_loss())
def test_the_kink_note_states_the_gradient_the_chart_draws_at_zero(picked):
    loss, params = picked
    params = loss.resolve_params(params)
    note = robustness.curve_note(loss, params)
    at_zero = float(loss.grad(np.zeros(1), np.zeros(1), **params)[0])
    if loss.id == "quantile":
        claim = re.fullmatch(
            r"At r = 0 the gradient is taken as 0, inside the subgradient \[(\S+), (\S+)\]\. "
            r"The formula's d = y − ŷ is −r\.",
            note,
        )
        assert claim, note
        low, high = number(claim[1]), number(claim[2])
        tau = params["tau"]
        # Hand-derived: ψ = −τ for r < 0, 1 − τ for r > 0 (printed by :g, 6 digits).
        assert low == pytest.approx(-tau, rel=1e-5) and high == pytest.approx(1 - tau, rel=1e-5)
        assert at_zero == 0.0 and low <= at_zero <= high
        assert r"d = y - \hat y" in loss.latex  # the formula's d, as the note says
    elif loss.id == "mae":
        assert note == "At r = 0 the gradient is taken as 0 (the subgradient sign(0))."
        assert at_zero == 0.0 == np.sign(0.0)
    else:
        # No kink to speak of: ψ is continuous at 0, |ψ(r)| ≤ 2|r|·max(1, 1/c²) (hand: 2r,
        # clip(r, ±δ), r/√(1 + (r/δ)²), tanh r, (r/c²)·share with share ≤ 1).
        assert note == ""
        tiny = np.array([-1e-9, 1e-9])
        bound = 2 * 1e-9 * max(1.0, params.get("scale", 1.0) ** -2)
        assert np.all(np.abs(by_hand.pull(loss.id, params, tiny)) <= bound)
        assert np.all(np.abs(loss.grad(np.zeros(2), tiny, **params)) <= bound)


# ---------------------------------------------------------------- the cost chart's sentence


COST_TEXT = re.compile(
    r"The fit lowered the cost by (?P<share>\S+) % in (?P<steps>\d+) iterations?, "
    r"from J = (?P<start>\S+) at its start to J = (?P<final>\S+)\."
)
NO_DROP = re.compile(
    r"The fit did not lower the cost: its start was already the best line \(J = (\S+)\)\."
)


def rounding(loss_id: str, params: dict, x, y, cost: float) -> float:
    """How far a cost J can be off from rounding alone: the loss of a residual of 1e-12 of
    the data's scale (a line's r = a + b·x − y is formed from numbers that large), plus J's
    own float64 rounding, n·ε·J: a sum of n rounded terms is off by at most (n − 1)·u·Σ|ℓ|,
    u = ε/2 (Higham, Accuracy and Stability of Numerical Algorithms, §4.2), each term by a
    few u more. The second dominates where ℓ is flat near 0 and J is a sum of ℓ ≈ 1."""
    size = 1.0 + np.abs(y).max() + np.abs(x).max()
    residual = 10.0 * float(by_hand.value(loss_id, params, [1e-12 * size])[0])
    return residual + x.size * np.finfo(np.float64).eps * abs(cost)


@SETTINGS
@given(picked=picked_loss(), frame=page_frame(max_n=80, max_added=1))
# Barron at α = −10, c = 1 on 10 points on their line but one: the Newton step lowers J by
# 6e-13 of it, and the two costs read the same to 12 digits (the old limit).
@example(
    picked=(losses.get("barron"), {"alpha": -10.0, "scale": 1.0}),
    frame=with_added_points(make_regression(10, noise=0.0, seed=0), []),
)
# MSE on a line with noise 0.1: J falls from 36.42 to 0.01042, 99.97 % of it, not "100 %".
@example(
    picked=(losses.get("mse"), {}),
    frame=with_added_points(make_regression(200, noise=0.1, outlier_fraction=0.0), []),
)
# Welsch (Barron at α = −∞), c = 0.08, on 10 points with noise 1: 8 of them lie far
# beyond c, each costs ℓ ≈ 1, and the one step lowers J ≈ 0.8 by 2 of its ulps. The
# fit's J and the hand J (another formula) differ by an ulp, so the two shares by 50 %.
@example(
    picked=(losses.get("barron"), {"alpha": 1.0, "scale": 0.08, "alpha_minus_infinity": True}),
    frame=with_added_points(make_regression(10, noise=1.0, seed=52), []),
)
def test_the_cost_sentence_gives_the_fits_own_costs(picked, frame):
    loss, params = picked
    params = loss.resolve_params(params)
    fitted = fit_regression(frame, loss.id, **params)
    x, y = columns(frame)
    start = by_hand.cost(loss.id, params, x, y, *fitted.path[0])
    final = by_hand.cost(loss.id, params, x, y, *fitted.path[-1])
    noise = rounding(loss.id, params, x, y, max(start, final))
    text = robustness.cost_drop_text(robustness.cost_drop(fitted.cost_history))
    if claim := NO_DROP.fullmatch(text):
        # Nothing lowered: the start costs no more than the end, to rounding.
        assert final >= start - noise
        assert number(claim[1]) == pytest.approx(final, rel=1e-3, abs=noise)
        return
    claim = COST_TEXT.fullmatch(text)
    assert claim, text
    assert int(claim["steps"]) == len(fitted.path) - 1
    assert number(claim["start"]) == pytest.approx(start, rel=1e-3, abs=noise)
    assert number(claim["final"]) == pytest.approx(final, rel=1e-3, abs=noise)
    # Lowered "from J = A to J = B": A and B read differently, and A is the larger.
    assert claim["start"] != claim["final"]
    assert number(claim["start"]) > number(claim["final"])
    # The share, printed with 2 significant digits (`percent`), against the hand costs; all of
    # it ("100 %") only where the final cost is 0, to rounding.
    share = number(claim["share"]) / 100
    assert share == pytest.approx((start - final) / start, rel=0.05, abs=2 * noise / start)
    # And the share a student reads off the costs as printed, (A − B)/A exactly, is the
    # printed share to its last printed digit: half a unit of it either way, and a few ε of
    # 100 % for the sentence's own float arithmetic (a share just below 1 prints 16 digits).
    a, b = Fraction(claim["start"]), Fraction(claim["final"])
    printed = Fraction(claim["share"])
    half_unit = Fraction(1, 2) * Fraction(10) ** Decimal(claim["share"]).as_tuple().exponent
    assert abs(100 * (a - b) / a - printed) <= half_unit + 8 * np.finfo(np.float64).eps * 100
    if claim["share"] == "100":
        assert final <= noise


# ---------------------------------------------------------------- the weights' caption


@SETTINGS
@given(
    picked=picked_loss(("mse", "mae", "quantile")),
    frame=page_frame(max_n=120, max_added=2),
)
def test_the_weight_note_states_the_weights_the_fit_gives(picked, frame):
    loss, params = picked
    params = loss.resolve_params(params)
    fitted = fit_regression(frame, loss.id, **params)
    residual = robustness.residuals(*columns(frame), fitted.params)
    weight = by_hand.effective_weight(loss.id, params, residual)
    np.testing.assert_allclose(fitted.effective_weight, weight, rtol=1e-9, atol=1e-12)
    note = robustness.weight_note(loss, params)
    if loss.id == "mse":
        assert note.startswith("With MSE every point has weight 1")
        assert np.all(fitted.effective_weight == 1.0)
        return
    # Hand: MAE's |ψ| = |sign r| = 1 on both sides; pinball's ψ = −τ above the line (r < 0),
    # 1 − τ below.
    above, below = (1.0, 1.0) if loss.id == "mae" else (params["tau"], 1.0 - params["tau"])
    distance = np.abs(residual)
    spread = distance.max() or 1.0
    m = max(np.median(distance), 1e-3 * spread)
    on_fit = distance <= 1e-12 * spread
    if above == below:
        assert f"with the same force ({above:g}) at any distance" in note
        assert "Weight 1: a point within m of the line." in note
        within = distance <= m
    else:
        assert f"above the line (y > ŷ) with the force {above:g}" in note
        assert f"below it (y < ŷ) with {below:g}" in note
        strong, weak = ("above", "below") if above > below else ("below", "above")
        weaker = min(above, below) / max(above, below)
        ratio = f"{weaker:.3g}"
        assert (
            f"Weight 1: a point {strong} the line within m of it, or {weak} it within "
            f"{ratio}·m." in note
        )
        is_strong = (residual < 0) if strong == "above" else (residual > 0)
        within = np.where(is_strong, distance <= m, distance <= weaker * m)
    # "Weight 1" is exactly the points the note names (and those on the fit).
    assert np.array_equal(fitted.effective_weight >= 1.0 - 1e-12, within | on_fit)


# ---------------------------------------------------------------- a student's last point


EFFECT = re.compile(
    r"Your last point \(x = (?P<x>\S+), y = (?P<y>\S+)\) moved the MSE line by (?P<slope>\S+) "
    r"in slope and (?P<intercept>\S+) in intercept \((?P<height>\S+) in height at your point\)"
    r"(?P<rest>.*)"
)
PICKED_EFFECT = re.compile(
    r", and the (?P<name>.+?) line by (?P<slope>\S+) in slope and (?P<intercept>\S+) in "
    r"intercept \((?P<height>\S+) at your point\)"
    r"(?:\. At your point the (?P<farther>.+?) line moved (?P<ratio>\S+)× as far as the "
    r"(?P<nearer>.+?) line)?\.$"
)


def moved(before, after, x):
    slope, intercept = after[0] - before[0], after[1] - before[1]
    return slope, intercept, intercept + slope * x


def close(printed: str, value: float, scale: float) -> bool:
    """A number printed with 3 significant digits against the one it stands for."""
    return number(printed) == pytest.approx(value, rel=6e-3, abs=1e-9 * scale)


A_POINT_NEAR_THE_MSE_LINE = with_added_points(
    make_regression(10, outlier_fraction=0.0, seed=0), [(0.0, 0.0)]
)


@SETTINGS
@given(frame=page_frame(max_n=80, max_added=3, min_added=1), picked=picked_loss())
@example(frame=A_POINT_NEAR_THE_MSE_LINE, picked=(losses.get("mse"), {}))
def test_the_effect_of_the_last_point_is_what_it_did_to_the_lines(frame, picked):
    loss, params = picked
    params = loss.resolve_params(params)
    after = frame
    before = frame.iloc[:-1]  # the last row is the last point added (`with_added_points`)
    point = x, y = float(frame["x"].iloc[-1]), float(frame["y"].iloc[-1])
    mse = [np.polyfit(*columns(data), 1) for data in (before, after)]  # (slope, intercept)
    lines = [fit_regression(data, loss.id, **params).params for data in (before, after)]
    text = robustness.added_point_effect(
        point,
        mse=tuple({"intercept": b, "slope": a} for a, b in mse),
        picked=tuple(lines),
        picked_name=loss.name,
        picked_id=loss.id,
    )
    scale = 1.0 + np.abs(frame["y"]).max() + abs(y)
    claim = EFFECT.fullmatch(text)
    assert claim, text
    assert close(claim["x"], x, 1.0) and close(claim["y"], y, 1.0)
    mse_slope, mse_intercept, mse_height = moved(*mse, x)
    assert close(claim["slope"], mse_slope, scale)
    assert close(claim["intercept"], mse_intercept, scale)
    assert close(claim["height"], mse_height, scale)
    if loss.id == "mse":
        # No comparison with lines it does not draw: a robust line can move further (below).
        assert claim["rest"] == ". Pick MAE or Huber to compare how far a robust line moves."
        return
    rest = PICKED_EFFECT.fullmatch(claim["rest"])
    assert rest, claim["rest"]
    pairs = [(line["slope"], line["intercept"]) for line in lines]
    slope, intercept, height = moved(*pairs, x)
    assert rest["name"] == loss.name
    assert close(rest["slope"], slope, scale) and close(rest["intercept"], intercept, scale)
    assert close(rest["height"], height, scale)
    if rest["ratio"]:
        farther, nearer = (
            (abs(mse_height), abs(height))
            if rest["farther"] == "MSE"
            else (abs(height), abs(mse_height))
        )
        assert {rest["farther"], rest["nearer"]} == {"MSE", loss.name}
        assert farther >= nearer > 0
        assert number(rest["ratio"]) == pytest.approx(farther / nearer, rel=6e-3)


def test_a_robust_line_can_move_further_than_the_mse_line():
    # The old "Pick MAE or Huber to see how much less a robust loss moves" was false here:
    # (0, 0) lands near the least-squares line (np.polyfit), which moves 0.0089 there, while
    # the MAE line (sklearn's QuantileRegressor at τ = 0.5) moves 0.79.
    frame = A_POINT_NEAR_THE_MSE_LINE
    heights = {}
    for name, line in (
        ("mse", lambda x, y: np.polyfit(x, y, 1)[::-1]),
        ("mae", lambda x, y: quantile_line_by_sklearn(x, y, 0.5)),
    ):
        (a0, b0), (a1, b1) = (line(*columns(data)) for data in (frame.iloc[:-1], frame))
        heights[name] = abs(a1 - a0)  # Δŷ at x = 0
    assert heights["mse"] == pytest.approx(0.0089, abs=1e-4)
    assert heights["mae"] == pytest.approx(0.79, abs=1e-2)


# ---------------------------------------------------------------- the data chart's caption


@SETTINGS
@given(args=generator_args(max_n=300), clicks=st.integers(0, 3), uploaded=st.booleans())
def test_the_points_caption_counts_the_points_on_the_chart(args, clicks, uploaded):
    base = make_regression(**args)
    if uploaded:  # a student's file: the same numbers, no outlier known
        base = file_frame(base["x"], base["y"])
    frame = with_added_points(base, [(1.0 + i, 2.0 * i) for i in range(clicks)])
    caption = robustness.points_caption(
        len(frame),
        int(frame.attrs["n_outliers"]),
        int(frame.attrs["n_added"]),
        uploaded=frame.attrs.get("source") == "upload",
    )
    generated = int(np.sum(~frame["is_added"].to_numpy()))
    outliers = int(np.sum(frame["is_outlier"].to_numpy()))
    if uploaded:
        assert caption.startswith(f"The {generated} points of your file; none is marked")
        assert outliers == 0
    elif outliers:
        plural = "" if outliers == 1 else "s"
        assert caption.startswith(
            f"× marks the {outliers} outlier{plural} of {generated} generated points."
        )
        # Each × was pushed off the line: against the same seed without outliers, by 0.5–1.5
        # times the magnitude (`make_regression`'s docstring), and no other point moved.
        plain = make_regression(**(args | {"outlier_fraction": 0.0}))
        pushed = np.abs(base["y"].to_numpy() - plain["y"].to_numpy())
        is_outlier = base["is_outlier"].to_numpy()
        size = 1e-12 * (1.0 + np.abs(plain["y"]).max())
        assert np.all(pushed[~is_outlier] == 0.0)
        magnitude = args["outlier_magnitude"]
        assert np.all(pushed[is_outlier] >= 0.5 * magnitude - size)
        assert np.all(pushed[is_outlier] <= 1.5 * magnitude + size)
    else:
        assert caption.startswith(
            f"No point was pushed off the line: all {generated} generated points are ordinary"
        )
        plain = make_regression(**(args | {"outlier_fraction": 0.0}))
        assert np.array_equal(base["y"].to_numpy(), plain["y"].to_numpy())
    if clicks:
        plural = "" if clicks == 1 else "s"
        assert f"★ marks your {clicks} point{plural}, counted in every fit" in caption
        # Counted in every fit: the fit has a weight for each of them.
        assert fit_regression(frame, "mae").effective_weight.size == len(frame)
        assert int(np.sum(frame["is_added"])) == clicks
    else:
        assert caption.endswith(
            "Click anywhere on the chart to add a point of your own (★) and watch the lines."
        )


# ---------------------------------------------------------------- the table's caption


@FEW
@given(picked=picked_loss(), frame=page_frame(max_n=60, max_added=1))
def test_the_table_caption_says_what_the_table_shows(picked, frame):
    loss, params = picked
    params = loss.resolve_params(params)
    table = robustness.fit_table(frame, loss.id, params)
    has_true_line = "slope error" in table.columns
    caption = robustness.table_caption(loss.name, has_true_line=has_true_line)
    assert has_true_line == (frame.attrs.get("true_slope") is not None)
    assert caption.startswith(
        f"Each loss at its default setting, except {loss.name}, which uses yours."
    )
    x, y = columns(frame)
    rows = table[~table["loss"].str.startswith("true line")].reset_index(drop=True)
    # Each row at the registry's defaults but the picked loss: its line is that fit's.
    for row, other in zip(rows.itertuples(), losses.by_task("regression"), strict=True):
        used = params if other.id == loss.id else other.resolve_params({})
        line = fit_regression(frame, other.id, **used).params
        assert (row.slope, row.intercept) == (line["slope"], line["intercept"])
    if has_true_line:
        assert "Each error is fitted − true" in caption
        truth = frame.attrs["true_slope"], frame.attrs["true_intercept"]
        np.testing.assert_allclose(rows["slope error"], rows["slope"] - truth[0], rtol=1e-15)
        np.testing.assert_allclose(
            rows["intercept error"], rows["intercept"] - truth[1], rtol=1e-15
        )
        return
    assert (
        "where a robust line parts from the MSE line, that loss gives some points less "
        "pull per unit of residual than others" in caption
    )
    slope, intercept = np.polyfit(x, y, 1)
    size = 1.0 + np.abs(y).max()
    for other in losses.by_task("regression"):
        used = params if other.id == loss.id else other.resolve_params({})
        fitted = fit_regression(frame, other.id, **used)
        parts = (
            abs(
                fitted.params["intercept"] + fitted.params["slope"] * x - (intercept + slope * x)
            ).max()
            > 1e-6 * size
        )
        if parts and fitted.converged:
            residual = robustness.residuals(x, y, fitted.params)
            weight = by_hand.effective_weight(other.id, used, residual)
            assert np.ptp(weight) > 1e-9, other.id
