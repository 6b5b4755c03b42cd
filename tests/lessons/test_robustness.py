"""lessons.robustness against hand derivations, numpy/scipy/sklearn references and identities."""

import numpy as np
import pytest

import losses
from lessons import robustness
from losses.data import make_regression
from losses.fit import fit_regression
from tests.losses.line_references import huber_line_by_scipy, quantile_line_by_sklearn

# ---------------------------------------------------------------- marks and axes


@pytest.mark.parametrize("loss_id", ["huber", "pseudo_huber"])
def test_delta_losses_are_marked_at_plus_minus_delta(loss_id):
    marks = robustness.curve_marks(losses.get(loss_id), {"delta": 2.5})
    # Hand-derived: Huber switches from quadratic to linear at |r| = δ.
    assert [position for position, _ in marks] == [-2.5, 2.5]
    assert marks[1][1] == "δ = 2.5" and marks[0][1] == "−δ = −2.5"


def test_quantile_mark_names_the_slopes_either_side_of_the_kink():
    (position, label), *rest = robustness.curve_marks(losses.get("quantile"), {"tau": 0.2})
    # Hand-derived from the pinball loss with d = y − ŷ = −r: for r < 0 the loss is τ·(−r),
    # slope −τ = −0.2; for r > 0 it is (1 − τ)·r, slope 0.8.
    assert position == 0.0 and rest == []
    assert label == "slope −0.2 for r < 0, 0.8 for r > 0"


def test_quantile_curve_note_speaks_of_the_charts_r_and_relates_d_to_it():
    note = robustness.curve_note(losses.get("quantile"), {"tau": 0.9})
    # The chart's x-axis is r = ŷ − y; hand-derived subgradient of ∂ℓ/∂ŷ at r = 0: [−τ, 1 − τ].
    assert "At r = 0" in note and "[−0.9, 0.1]" in note
    assert "d = 0" not in note and "d = y − ŷ is −r" in note
    assert robustness.curve_note(losses.get("mae"), {}) == losses.get("mae").kink_note


# ---------------------------------------------------------------- cost per iteration


def test_cost_drop_is_the_excess_over_the_final_cost_in_shares_of_the_start():
    drop = robustness.cost_drop(np.array([1.2924, 1.28895, 1.28895]))
    # Hand-derived: (J_k − J_final)/J_0 = (0.00345/1.2924, 0, 0); drop = 0.2669 %.
    np.testing.assert_allclose(drop.excess, [0.00345 / 1.2924, 0.0, 0.0], atol=1e-15)
    # Hand-derived: (J_0 − J_final)/J_0 = (1.2924 − 1.28895)/1.2924.
    assert drop.drop == pytest.approx(0.00345 / 1.2924)
    assert (drop.iterations, drop.start, drop.final) == (2, 1.2924, 1.28895)
    text = robustness.cost_drop_text(drop)
    assert text.startswith("The fit lowered the cost by 0.27 % in 2 iterations")
    # Hand-derived: the costs to 4 digits, 1.292 and 1.289, give (A − B)/A = 0.23 %; to 5,
    # 1.2924 and 1.289 (1.28895 is stored a hair above, and rounds up), 0.26 %; to 6 they are
    # the costs themselves, and give the 0.27 % printed.
    assert "J = 1.2924 at its start to J = 1.28895." in text


def test_cost_drop_text_gives_enough_digits_to_tell_start_from_final():
    # Hand-derived: 4.9389 and 4.93885 agree to 4 significant digits, differ at 6.
    text = robustness.cost_drop_text(robustness.cost_drop(np.array([4.9389, 4.93885])))
    assert "by 0.001 % in 1 iteration," in text
    assert "J = 4.9389 at its start to J = 4.93885" in text


def test_cost_drop_of_a_fit_that_started_at_its_minimum_or_at_zero_cost():
    single = robustness.cost_drop(np.array([3.0]))
    assert single.iterations == 0 and single.drop == 0.0
    assert "did not lower the cost" in robustness.cost_drop_text(single)
    zero = robustness.cost_drop(np.array([0.0, 0.0]))  # data on the line: J_0 = 0
    np.testing.assert_array_equal(zero.excess, [0.0, 0.0])
    # Hand-derived: from 5 to 0 is 100 %, written without an exponent.
    assert "by 100 % in 1 iteration" in robustness.cost_drop_text(
        robustness.cost_drop(np.array([5.0, 0.0]))
    )


@pytest.mark.parametrize("loss_id", ["mse", "mae", "log_cosh"])
def test_losses_without_delta_or_tau_have_no_marks(loss_id):
    assert robustness.curve_marks(losses.get(loss_id), {}) == []


def test_residual_span_covers_the_largest_residual_with_room():
    # Hand-derived: 1.1 × max |r| = 1.1 × 3.
    assert robustness.residual_span(np.array([1.0, -3.0])) == pytest.approx(3.3)


def test_residual_span_without_residuals_uses_the_marks_or_three():
    zeros = np.zeros(5)
    # Hand-derived: no data scale, so 3 × the furthest mark (2), or 3.
    assert robustness.residual_span(zeros, [(-2.0, ""), (2.0, "")]) == 6.0
    assert robustness.residual_span(zeros) == 3.0


def test_curve_span_rounds_the_residual_span_up_to_a_round_number():
    # Hand-derived: 1.1 × 3 = 3.3 → 4; 1.1 × 11 = 12.1 → 15; 1.1 × 0.0009 → 0.001;
    # no residuals and no marks: 3 (already round).
    assert robustness.curve_span(np.array([1.0, -3.0])) == 4.0
    assert robustness.curve_span(np.array([11.0])) == 15.0
    assert robustness.curve_span(np.array([0.0009])) == 0.001
    assert robustness.curve_span(np.zeros(3)) == 3.0


@pytest.mark.parametrize("seed", range(20))
def test_curve_span_covers_every_residual_and_is_shared_by_nearby_data(seed):
    rng = np.random.default_rng(seed)
    residual = rng.normal(0.0, 10.0 ** rng.uniform(-6, 6), size=50)
    span = robustness.curve_span(residual)
    # At least the residual span (every residual with 10 % room), at most 1.5 times it.
    assert robustness.residual_span(residual) <= span <= 1.5 * robustness.residual_span(residual)
    mantissa = span / 10.0 ** np.floor(np.log10(span))
    assert any(np.isclose(mantissa, step) for step in robustness.ROUND_SPANS)
    # Residuals a little smaller (none of these spans is itself round) share the span: the
    # same curve, not redrawn.
    assert robustness.curve_span(residual * (1.0 - 1e-6)) == span


def test_residual_grid_holds_the_kinks_exactly():
    grid = robustness.residual_grid(4.0, (-1.3, 1.3, 9.0))
    assert grid[0] == -4.0 and grid[-1] == 4.0
    assert np.all(np.diff(grid) > 0)
    # 0 and ±1.3 are on the grid exactly (a linspace of 801 points misses ±1.3); 9 is outside.
    assert {0.0, -1.3, 1.3} <= set(grid.tolist()) and 9.0 not in grid


def test_residuals_are_prediction_minus_target():
    # Hand-derived: ŷ = 1 + 2x at x = (0, 1) is (1, 3); r = ŷ − y = (1 − 0, 3 − 5).
    r = robustness.residuals([0.0, 1.0], [0.0, 5.0], {"intercept": 1.0, "slope": 2.0})
    np.testing.assert_array_equal(r, [1.0, -2.0])


# ---------------------------------------------------------------- Huber's zones and limits


def test_fit_notes_on_exact_lines_half_outliers_and_far_marks():
    flat = make_regression(10, noise=0.0, outlier_magnitude=0.0)
    notes = robustness.fit_notes(flat, np.zeros(10), [], 3.0)
    assert len(notes) == 1 and "exactly on the fitted line" in notes[0]
    # make_regression: round(0.5 · 10) = 5 outliers of 10.
    half = make_regression(10, outlier_fraction=0.5)
    marks = [(-100.0, "−δ"), (100.0, "δ")]
    huber = losses.get("huber")
    notes = robustness.fit_notes(half, np.ones(10), marks, 11.0, loss=huber, params={"delta": 100})
    assert "5 of 10 points are outliers" in notes[0]
    assert notes[1].startswith("−δ and δ lie beyond every residual")
    # Without the loss the note cannot say how near quadratic it is inside the marks.
    with pytest.raises(ValueError, match="needs the loss"):
        robustness.fit_notes(half, np.ones(10), marks, 11.0)
    assert robustness.fit_notes(make_regression(10), np.ones(10), [(1.0, "δ")], 5.0) == []


def test_half_the_points_chosen_but_not_pushed_are_no_outlier_majority():
    unpushed = make_regression(10, outlier_fraction=0.5, outlier_magnitude=0.0)
    assert robustness.fit_notes(unpushed, np.ones(10), [], 5.0) == []


def test_weight_note_explains_mse_and_says_nothing_for_smooth_losses():
    assert "weight 1" in robustness.weight_note(losses.get("mse"), {})
    assert robustness.weight_note(losses.get("huber"), {"delta": 1.0}) == ""


@pytest.mark.parametrize(
    ("loss_id", "params", "above", "below"),
    [
        # Hand-derived from ℓ = τ·d for d = y − ŷ ≥ 0, (τ − 1)·d below: |∂ℓ/∂ŷ| = τ above
        # the line, 1 − τ below; MAE |d|: 1 on both sides.
        ("quantile", {"tau": 0.9}, 0.9, 0.1),
        ("quantile", {"tau": 0.1}, 0.1, 0.9),
        ("quantile", {"tau": 0.5}, 0.5, 0.5),
        ("mae", {}, 1.0, 1.0),
    ],
)
def test_pinball_pull_is_tau_above_the_line_and_one_minus_tau_below(loss_id, params, above, below):
    pull = robustness.pinball_pull(losses.get(loss_id), params)
    assert (pull.above, pull.below) == pytest.approx((above, below), rel=1e-15)


@pytest.mark.parametrize(
    ("loss_id", "params"),
    [
        ("mae", {}),
        ("quantile", {"tau": 0.5}),
        ("quantile", {"tau": 0.9}),
        ("quantile", {"tau": 0.1}),
        ("quantile", {"tau": 0.99}),
    ],
)
def test_weight_note_states_the_weights_the_fit_gives(loss_id, params):
    loss = losses.get(loss_id)
    data = make_regression(200)
    fit = losses.fit.fit_regression(data, loss_id, **params)
    residual = robustness.residuals(data["x"], data["y"], fit.params)
    distance = np.abs(residual)
    # The reference distance m, as losses.fit.line._regression_weights documents it.
    m = max(np.median(distance), 1e-3 * distance.max())
    pull = robustness.pinball_pull(loss, params)
    strongest = max(pull.above, pull.below)
    force = np.where(residual < 0, pull.above, pull.below)  # r = ŷ − y < 0: above the line
    # min(1, c·m/0) = 1 for the points the fit passes through (MAE/quantile fits interpolate).
    safe = np.where(distance > 0, distance, 1.0)
    stated = np.where(distance > 0, np.minimum(1.0, force / strongest * m / safe), 1.0)
    np.testing.assert_allclose(fit.effective_weight, stated, rtol=1e-9)
    note = robustness.weight_note(loss, params)
    if pull.above == pull.below:
        assert "same force" in note and "Weight 1: a point within m of the line." in note
        return
    strong, weak = ("above", "below") if pull.above > pull.below else ("below", "above")
    assert "same force" not in note
    assert f"above the line (y > ŷ) with the force {pull.above:g}" in note
    assert f"below it (y < ŷ) with {pull.below:g}" in note
    ratio = f"{pull.weaker:.3g}"
    assert f"w = min(1, m/|r|) {strong} the line, w = min(1, {ratio}·m/|r|) {weak} it" in note
    # The old note's claim, "weight 1 is a point at the median distance or closer", is
    # false on the weaker side: some points there within m weigh less than 1.
    weaker_side = (residual < 0) if weak == "above" else (residual > 0)
    assert np.any(fit.effective_weight[weaker_side & (distance <= m)] < 1.0)


# ---------------------------------------------------------------- the fit table


@pytest.fixture(scope="module")
def data():
    return make_regression(120, outlier_fraction=0.2, seed=3)


def test_fit_table_has_the_truth_then_one_row_per_regression_loss(data):
    table = robustness.fit_table(data, "quantile", {"tau": 0.9})
    names = [loss.name for loss in losses.by_task("regression")]
    assert list(table.columns) == list(robustness.TABLE_COLUMNS)
    assert table["loss"].iloc[0].startswith("true line")
    assert list(table["loss"].iloc[1:]) == [
        f"{name} ← your pick" if name == "Quantile (pinball)" else name for name in names
    ]
    # make_regression's defaults: slope 2, intercept 1; the truth's errors are 0.
    assert table.iloc[0][["slope", "intercept", "slope error", "intercept error"]].tolist() == [
        2.0,
        1.0,
        0.0,
        0.0,
    ]


def test_fit_table_numbers_match_independent_fits(data):
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    table = robustness.fit_table(data, "quantile", {"tau": 0.9}).set_index("loss")
    slope, intercept = np.polyfit(x, y, 1)  # numpy least squares
    mse = table.loc["Mean squared error (MSE)"]
    assert mse["slope"] == pytest.approx(slope, rel=1e-10)
    assert mse["slope error"] == pytest.approx(slope - 2.0, rel=1e-9)
    assert mse["intercept error"] == pytest.approx(intercept - 1.0, rel=1e-9)
    picked = table.loc["Quantile (pinball) ← your pick"]
    q_intercept, q_slope = quantile_line_by_sklearn(x, y, 0.9)
    assert picked["setting"] == "τ = 0.9"
    assert picked["slope"] == pytest.approx(q_slope, rel=1e-6)
    assert picked["intercept"] == pytest.approx(q_intercept, rel=1e-6)
    # Not picked: Huber at its default δ = 1 (the registry's default), checked with scipy.
    huber = table.loc["Huber"]
    h_intercept, h_slope = huber_line_by_scipy(x, y, 1.0)
    assert huber["setting"] == "δ = 1"
    assert huber["slope"] == pytest.approx(h_slope, abs=1e-5)
    assert huber["intercept"] == pytest.approx(h_intercept, abs=1e-5)
    assert table.loc["Log-cosh", "setting"] == "—"


def test_settings_text_uses_the_parameter_symbols():
    assert robustness.settings_text(losses.get("huber"), {"delta": 0.25}) == "δ = 0.25"
    assert robustness.settings_text(losses.get("mse"), {}) == "—"


def test_added_point_effect_compares_how_far_each_line_moved():
    # Hand-derived: at x = 5, MSE moves 0.5 + 0.1·5 = 1.0 and Huber 0.05 + 0.01·5 = 0.1.
    text = robustness.added_point_effect(
        (5.0, 40.0),
        mse=({"intercept": 1.0, "slope": 2.0}, {"intercept": 1.5, "slope": 2.1}),
        picked=({"intercept": 1.0, "slope": 2.0}, {"intercept": 1.05, "slope": 2.01}),
        picked_name="Huber",
        picked_id="huber",
    )
    assert text.startswith("Your last point (x = 5, y = 40) moved the MSE line by +0.1 in slope")
    assert "+0.5 in intercept (+1 in height at your point)" in text
    assert "the Huber line by +0.01 in slope and +0.05 in intercept (+0.1 at your point)" in text
    assert text.endswith("the MSE line moved 10× as far as the Huber line.")


def test_added_point_effect_with_mse_picked_points_to_a_robust_loss():
    line = {"intercept": 0.0, "slope": 1.0}
    moved = {"intercept": -0.25, "slope": 1.0}
    text = robustness.added_point_effect(
        (2.0, -3.0), mse=(line, moved), picked=(line, moved), picked_name="MSE", picked_id="mse"
    )
    # Hand-derived: Δŷ = −0.25 everywhere; a true minus sign.
    assert "(x = 2, y = −3)" in text and "−0.25 in height" in text and "Pick MAE or Huber" in text


def test_points_caption_says_how_to_add_and_remove():
    assert "Click anywhere on the chart to add a point" in robustness.points_caption(200, 20, 0)
    caption = robustness.points_caption(202, 20, 2)
    assert "× marks the 20 outliers of 200 generated points" in caption
    assert "★ marks your 2 points" in caption and "click on a ★ to remove it" in caption


def test_fit_table_of_a_students_file_has_no_truth_row_and_no_error_columns():
    from losses.upload import read_table, regression_frame
    from tests.upload_files import REGRESSION

    # The file is the exact line y = 1 + 2x: every loss fits slope 2, intercept 1
    # (hand-derived: zero residuals minimise each loss), and no true line is known.
    table = robustness.fit_table(regression_frame(read_table(REGRESSION), "x", "y"), "mse", {})
    assert list(table.columns) == list(robustness.TABLE_COLUMNS[:4])
    assert len(table) == len(losses.by_task("regression"))
    assert not table["loss"].str.startswith("true line").any()
    assert table["slope"].to_numpy() == pytest.approx(2.0, abs=1e-6)
    assert table["intercept"].to_numpy() == pytest.approx(1.0, abs=1e-6)


def test_points_caption_of_a_file_marks_no_outlier():
    caption = robustness.points_caption(40, 0, 0, uploaded=True)
    assert caption.startswith("The 40 points of your file")
    assert "generated" not in caption.split(";")[0]


def test_a_file_on_its_line_is_not_said_to_have_a_true_line():
    from losses.upload import read_table, regression_frame
    from tests.upload_files import REGRESSION

    frame = regression_frame(read_table(REGRESSION), "x", "y")  # exactly y = 1 + 2x
    notes = robustness.fit_notes(frame, np.zeros(len(frame)), [], 1.0)
    assert notes == [
        "Every point of your file sits exactly on the fitted line (all residuals are 0): "
        "every loss finds this same line, and every weight is 1."
    ]


def test_the_table_caption_claims_no_cause_it_does_not_measure():
    generated = robustness.table_caption("Huber", has_true_line=True)
    assert "fitted − true" in generated and "outliers moved" not in generated
    uploaded = robustness.table_caption("Huber", has_true_line=False)
    assert "a few far points" not in uploaded and "less pull per unit of residual" in uploaded


def test_equal_weights_would_give_the_mse_line():
    # The file caption's reason: a robust fit solves Σ w_i r_i (1, x_i) = 0 with w = ψ(r)/r,
    # so where every point of the fit has the same weight it is the least-squares line
    # (np.polyfit). Huber at δ beyond every residual: all weights 1 (hand-derived).
    frame = make_regression(50, outlier_fraction=0.0)
    fit = fit_regression(frame, "huber", delta=100.0)
    assert np.all(fit.effective_weight == 1.0)
    slope, intercept = np.polyfit(frame["x"], frame["y"], 1)
    assert fit.params["slope"] == pytest.approx(slope, rel=1e-9)
