"""The gradient-descent page's sentences and windows (lessons.descent), from real paths."""

import numpy as np

from lessons import descent as lesson
from losses.data import make_regression
from losses.fit import descent
from losses.fit.line import fit_line

FRAME = make_regression(200, outlier_fraction=0.2, seed=4)
X, Y = FRAME["x"].to_numpy(), FRAME["y"].to_numpy()


def _outcome(loss_id, **settings):
    path = descent.gradient_descent(X, Y, loss_id, **settings)
    best = fit_line(X, Y, loss_id).params
    minimum = (best["intercept"], best["slope"])
    j_min = float(descent.costs_at(X, Y, loss_id, np.array(minimum[0]), np.array(minimum[1])))
    judgement = lesson.judge(
        path, x=X, minimum=minimum, minimum_cost=j_min, loss_id=loss_id, loss_name=loss_id
    )
    return path, judgement.sentences


def test_a_converged_descent_says_so():
    _, said = _outcome("mse", learning_rate=0.02, epochs=3000, momentum=0.9)
    assert said[0].startswith("Converged: after 3000 epochs")


def test_mae_at_a_fixed_step_is_bouncing_and_says_why():
    _, said = _outcome("mae", learning_rate=0.02, epochs=2000)
    assert said[0].startswith("Still bouncing") and "sign" in said[0]


def test_a_slow_descent_is_on_its_way():
    _, said = _outcome("mse", learning_rate=0.001, epochs=200)
    assert said[0].startswith("Still on its way: after 200 epochs")


def test_a_diverged_descent_names_the_epoch_and_the_limit():
    path, said = _outcome("mse", learning_rate=0.05, epochs=500)
    limit = descent.mse_step_limit(X)
    assert said[0].startswith(f"Diverged at epoch {path.diverged_at}:")
    assert f"2/L = {limit:.3g}" in said[0] and "Lower η below it" in said[0]


def test_momentum_raises_the_limit_it_quotes():
    # 0.045 is above 2/L = 0.0261 but below 2(1 + 0.9)/L (Polyak 1964): it settles.
    assert descent.mse_step_limit(X) < 0.045 < descent.mse_step_limit(X, 0.9)
    _, said = _outcome("mse", learning_rate=0.045, epochs=3000, momentum=0.9)
    assert said[0].startswith("Converged")


def test_a_mini_batch_divergence_quotes_no_full_batch_advice():
    # The case: the page's default data, batch size 1 at η = 0.02, below 2/L = 0.0257,
    # blows up; the text must not tell the student to lower η below a limit it is below.
    frame = make_regression(outlier_fraction=0.2)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    path = descent.gradient_descent(x, y, "mse", learning_rate=0.02, epochs=50, batch_size=1)
    best = fit_line(x, y, "mse").params
    minimum = (best["intercept"], best["slope"])
    said = lesson.judge(
        path, x=x, minimum=minimum, minimum_cost=1.0, loss_id="mse", loss_name="MSE"
    ).sentences
    assert path.stop == "diverged" and descent.mse_step_limit(x) > 0.02
    assert "no fixed η limit" in said[0] and "Lower η below it" not in said[0]


def test_the_update_cap_is_said():
    _, said = _outcome("huber", learning_rate=0.01, epochs=3000, batch_size=1)
    assert any("of the 3000 epochs ran" in sentence for sentence in said)


def test_the_window_holds_the_points_with_a_margin():
    window = lesson.window([0.0, 2.0], [0.0, 1.5], x=X, y=Y)
    assert window.a_low < 0.0 < 2.0 < window.a_high
    assert window.b_low < 0.0 < 1.5 < window.b_high


def test_snapshots_keep_every_early_epoch_and_the_last():
    steps = lesson.snapshots(3000)
    assert steps[0] == 0 and steps[-1] == 3000 and len(steps) <= lesson.MAX_SNAPSHOTS
    np.testing.assert_array_equal(steps[:41], np.arange(41))
    np.testing.assert_array_equal(lesson.snapshots(50), np.arange(51))


def test_log_colour_past_a_decade():
    assert lesson.log_colour(np.array([1.0, 11.0])) and not lesson.log_colour(np.array([1.0, 9.0]))


def test_a_view_holds_a_falling_path_whole_and_a_diverging_one_to_its_first_overshoot():
    falling = descent.gradient_descent(X, Y, "mse", learning_rate=0.02, epochs=300)
    assert lesson.held_epochs(falling) == falling.epochs + 1  # its cost never passes J(start)
    diverging = descent.gradient_descent(X, Y, "mse", learning_rate=0.0315, epochs=300)
    held = lesson.held_epochs(diverging)
    # The last point held is the first whose cost passes the start's (the core's costs).
    assert diverging.costs[held - 1] > diverging.costs[0]
    assert np.all(diverging.costs[1 : held - 1] <= diverging.costs[0])
    assert held < diverging.epochs + 1


def test_contains_counts_the_edges_in():
    window = lesson.Window(0.0, 1.0, -1.0, 1.0)
    assert lesson.contains(window, (0.0, 1.0)) and not lesson.contains(window, (1.5, 0.0))
