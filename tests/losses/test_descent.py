"""Gradient descent on a line (`losses.fit.descent`): its gradient, costs, landscape and paths.

Sources of the expected numbers: 4th-order central finite differences of J (the gradient);
the mean of the checked `Loss.value` (the costs); `fit_line`'s exact minimiser (tested in
test_fit.py against numpy.linalg.lstsq and scipy.optimize); a plain per-batch loop written
here from the update rule, on the checked `Loss.grad` (the paths); hand derivations (the
step limit, the MAE bound); numpy.linalg.eigvalsh; PyTorch autograd (skipped without torch).
"""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

import losses
from losses.data import make_regression
from losses.fit import descent
from losses.fit.line import fit_line

REGRESSION_IDS = [loss.id for loss in losses.registry.by_task("regression")]
# Every regression loss at its defaults, and the parametrised ones away from them too.
LOSS_CASES = [(loss_id, {}) for loss_id in REGRESSION_IDS] + [
    ("huber", {"delta": 0.5}),
    ("pseudo_huber", {"delta": 2.0}),
    ("quantile", {"tau": 0.3}),
]
CASE_IDS = [f"{loss_id}{params or ''}" for loss_id, params in LOSS_CASES]


def seeded_line(seed: int, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    data = make_regression(n=n, outlier_fraction=0.2, seed=seed)
    return data["x"].to_numpy(), data["y"].to_numpy()


def direct_cost(loss_id, x, y, a, b, **params) -> float:
    """J(a, b) as the mean of the checked per-sample loss."""
    return float(np.mean(losses.get(loss_id).value(y, a + b * x, **params)))


def minimiser(loss_id, x, y, **params) -> np.ndarray:
    fit = fit_line(x, y, loss_id, **params).params
    return np.array([fit["intercept"], fit["slope"]])


# ---------------------------------------------------------------- the gradient

# Residuals r = ŷ − y at (A0, B0) whose sizes keep clear of every kink of the cases above
# (r = 0 for mae/quantile, |r| = δ ∈ {0.5, 1} for Huber; 2 is pseudo-Huber's δ, kept clear too).
FD_STEP = 1e-4
KINKS = np.array([0.0, 0.5, 1.0, 2.0])
A0, B0 = 1.0, 2.0
_rng = np.random.default_rng(11)
FD_X = _rng.permutation(np.linspace(0.5, 9.5, 40))
_sizes = np.concatenate(
    [_rng.uniform(lo, hi, 10) for lo, hi in [(0.1, 0.4), (0.6, 0.9), (1.1, 1.9), (2.1, 5.0)]]
)
FD_RESIDUALS = _rng.permutation(_sizes * _rng.choice([-1.0, 1.0], 40))
FD_Y = A0 + B0 * FD_X - FD_RESIDUALS


def fd_derivative(costs_of_steps, h) -> float:
    """4th-order central difference from J at −2h, −h, +h, +2h."""
    minus2, minus1, plus1, plus2 = costs_of_steps
    return (minus2 - 8.0 * minus1 + 8.0 * plus1 - plus2) / (12.0 * h)


@pytest.mark.parametrize(("loss_id", "params"), LOSS_CASES, ids=CASE_IDS)
def test_gradient_matches_finite_differences(loss_id, params):
    # Precondition: the farthest FD probe (±2h in a, ±2h·x in b) crosses no kink, so every
    # piecewise loss is smooth over the stencil.
    residual = A0 + B0 * FD_X - FD_Y
    reach = 2.0 * FD_STEP * np.maximum(1.0, np.abs(FD_X))
    assert np.all(np.abs(np.abs(residual)[:, None] - KINKS).min(axis=1) > 2 * reach)

    steps = FD_STEP * np.array([-2.0, -1.0, 1.0, 2.0])
    along_a = descent.costs_at(FD_X, FD_Y, loss_id, A0 + steps, np.full(4, B0), **params)
    along_b = descent.costs_at(FD_X, FD_Y, loss_id, np.full(4, A0), B0 + steps, **params)
    expected = (fd_derivative(along_a, FD_STEP), fd_derivative(along_b, FD_STEP))  # FD of J
    got = descent.descent_gradient(FD_X, FD_Y, loss_id, A0, B0, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("loss_id", ["mse", "huber", "mae"])
def test_gradient_against_torch_autograd(torch, loss_id):
    F = torch.nn.functional
    x, y = seeded_line(seed=5, n=60)
    a, b = 0.4, 1.7
    formulas = {
        "mse": lambda prediction, target: F.mse_loss(prediction, target),
        # torch's huber_loss is ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond: the core's Huber.
        "huber": lambda prediction, target: F.huber_loss(prediction, target, delta=0.7),
        "mae": lambda prediction, target: F.l1_loss(prediction, target),
    }
    params = {"delta": 0.7} if loss_id == "huber" else {}
    intercept = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    slope = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    prediction = intercept + slope * torch.tensor(x, dtype=torch.float64)
    formulas[loss_id](prediction, torch.tensor(y, dtype=torch.float64)).backward()
    expected = (intercept.grad.item(), slope.grad.item())  # torch autograd of the mean loss
    got = descent.descent_gradient(x, y, loss_id, a, b, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- costs and the landscape


@pytest.mark.parametrize(("loss_id", "params"), LOSS_CASES, ids=CASE_IDS)
def test_costs_at_is_the_mean_loss_in_any_shape_and_across_blocks(loss_id, params):
    x, y = seeded_line(seed=2)
    intercepts = np.array([[0.0, 1.0, -2.5], [3.0, 0.5, 10.0]])
    slopes = np.array([[2.0, 1.5, 0.0], [-1.0, 2.2, 4.0]])
    got = descent.costs_at(x, y, loss_id, intercepts, slopes, **params)
    assert got.shape == (2, 3)
    expected = [
        [direct_cost(loss_id, x, y, a, b, **params) for a, b in zip(ra, rb, strict=True)]
        for ra, rb in zip(intercepts, slopes, strict=True)
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12)

    # n = 5,000: a few pairs a block, so 20 pairs make several blocks, the last one partial.
    rng = np.random.default_rng(4)
    x_big = rng.uniform(0.0, 10.0, 5_000)
    y_big = 1.0 + 2.0 * x_big + rng.normal(0.0, 1.0, 5_000)
    a_many, b_many = rng.normal(1.0, 2.0, 20), rng.normal(2.0, 1.0, 20)
    got = descent.costs_at(x_big, y_big, loss_id, a_many, b_many, **params)
    expected = [
        direct_cost(loss_id, x_big, y_big, a, b, **params)
        for a, b in zip(a_many, b_many, strict=True)
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_costs_at_memory_stays_bounded():
    # 2,000 pairs × 5,000 points = 10⁷ per-sample values (80 MB at once, unblocked);
    # blockwise, the peak stays far below that.
    rng = np.random.default_rng(6)
    x = rng.uniform(0.0, 10.0, 5_000)
    y = 1.0 + 2.0 * x + rng.normal(0.0, 1.0, 5_000)
    a, b = rng.normal(size=2_000), rng.normal(size=2_000)
    tracemalloc.start()
    try:
        descent.costs_at(x, y, "huber", a, b)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 4_000_000  # bytes: under 4M float64 values


@pytest.mark.parametrize(("loss_id", "params"), LOSS_CASES, ids=CASE_IDS)
def test_landscape_orientation(loss_id, params):
    x, y = seeded_line(seed=3)
    a_values = np.array([-1.0, 0.5, 2.0])
    b_values = np.array([0.0, 1.0, 2.0, 3.5])
    grid = descent.cost_landscape(x, y, loss_id, a_values, b_values, **params)
    assert grid.shape == (4, 3)  # rows follow b (the y axis), columns a (the x axis)
    for i, b in enumerate(b_values):
        for j, a in enumerate(a_values):
            assert grid[i, j] == pytest.approx(
                direct_cost(loss_id, x, y, a, b, **params), rel=1e-10
            )


def test_mse_landscape_from_moments_matches_the_direct_sum():
    # Far from the origin (x near 1,000, y near 5,000): the centred moments keep their digits.
    rng = np.random.default_rng(8)
    x = rng.uniform(1_000.0, 1_010.0, 300)
    y = 3_000.0 + 2.0 * x + rng.normal(0.0, 1.0, 300)
    fit = minimiser("mse", x, y)
    a_values = fit[0] + np.linspace(-30.0, 30.0, 13)
    b_values = fit[1] + np.linspace(-0.03, 0.03, 11)
    grid = descent.cost_landscape(x, y, "mse", a_values, b_values)
    a_grid, b_grid = np.meshgrid(a_values, b_values)
    direct = descent.costs_at(x, y, "mse", a_grid, b_grid)  # the per-point mean
    np.testing.assert_allclose(grid, direct, rtol=1e-9)

    # Noise-free data: at the true line J is 0 point by point; the moments must not dip below.
    x = np.linspace(0.0, 10.0, 50)
    exact = descent.cost_landscape(x, 1.0 + 2.0 * x, "mse", [1.0], [2.0])
    assert 0.0 <= exact[0, 0] < 1e-25


PIECEWISE_CASES = [
    (loss_id, params) for loss_id, params in LOSS_CASES if losses.get(loss_id).pieces is not None
]


@pytest.mark.parametrize(("loss_id", "params"), PIECEWISE_CASES, ids=str)
def test_declared_pieces_are_the_loss(loss_id, params):
    # The pieces (Loss.pieces) against the loss's own value, in every piece and at the knots.
    loss = losses.get(loss_id)
    knots, pieces = loss.pieces(loss.resolve_params(params))
    assert len(pieces) == len(knots) + 1 and list(knots) == sorted(knots)
    edges = [min(knots) - 7.0, *knots, max(knots) + 7.0]
    d = np.concatenate(
        [np.linspace(low, high, 9) for low, high in zip(edges[:-1], edges[1:], strict=True)]
    )
    piece = np.searchsorted(np.asarray(knots), d, side="left")  # a knot in the piece below
    c0, c1, c2 = np.asarray(pieces).T
    polynomial = c0[piece] + c1[piece] * d + c2[piece] * d * d
    expected = loss.value(np.zeros_like(d), d, **params)  # the checked Loss.value at ŷ − y = d
    np.testing.assert_allclose(polynomial, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("loss_id", "params"), PIECEWISE_CASES, ids=str)
@pytest.mark.parametrize("shift", [0.0, 1_000.0])
def test_piecewise_landscape_matches_the_direct_sum(loss_id, params, shift):
    # From sorted residuals and prefix sums (cost_landscape) against the per-point mean
    # (costs_at), with outliers, and with the data far from the origin (x near 1,000).
    data = make_regression(n=3_000, outlier_fraction=0.2, outlier_magnitude=50.0, seed=5)
    x, y = data["x"].to_numpy() + shift, data["y"].to_numpy() + 3.0 * shift
    best = minimiser(loss_id, x, y, **params)
    a_values = best[0] + np.linspace(-40.0, 40.0, 17)
    b_values = best[1] + np.linspace(-3.0, 3.0, 13) / (1.0 + shift)
    grid = descent.cost_landscape(x, y, loss_id, a_values, b_values, **params)
    a_grid, b_grid = np.meshgrid(a_values, b_values)
    direct = descent.costs_at(x, y, loss_id, a_grid, b_grid, **params)  # the per-point mean
    np.testing.assert_allclose(grid, direct, rtol=1e-12)


@pytest.mark.parametrize("loss_id", ["mse", "huber", "mae"])
@pytest.mark.parametrize("seed", [1, 2])
def test_landscape_minimum_is_within_a_grid_step_of_the_fit(loss_id, seed):
    x, y = seeded_line(seed)
    best = minimiser(loss_id, x, y)  # fit_line: the exact minimiser
    # Off-centre grids that do not contain the minimiser itself.
    a_values = np.linspace(best[0] - 2.31, best[0] + 1.73, 81)
    b_values = np.linspace(best[1] - 0.333, best[1] + 0.271, 61)
    grid = descent.cost_landscape(x, y, loss_id, a_values, b_values)
    row, column = np.unravel_index(np.argmin(grid), grid.shape)
    assert abs(a_values[column] - best[0]) <= a_values[1] - a_values[0]
    assert abs(b_values[row] - best[1]) <= b_values[1] - b_values[0]


# ---------------------------------------------------------------- the step limit


def test_mse_step_limit_hand_derived_and_from_eigvalsh():
    # x = [0, 1]: mean [[1, x], [x, x²]] = [[1, ½], [½, ½]], trace 3/2, determinant 1/4,
    # λmax = (3/2 + √(9/4 − 1))/2 = (1.5 + √1.25)/2; L = 2λmax, limit 2/L (hand-derived).
    assert descent.mse_step_limit([0.0, 1.0]) == pytest.approx(2.0 / (1.5 + math.sqrt(1.25)))
    x, _ = seeded_line(seed=4)
    hessian = 2.0 * np.array([[1.0, x.mean()], [x.mean(), np.mean(x * x)]])  # of mean r²
    expected = 2.0 / np.linalg.eigvalsh(hessian).max()  # numpy.linalg.eigvalsh
    assert descent.mse_step_limit(x) == pytest.approx(expected, rel=1e-12)


def test_mse_step_limit_is_sharp():
    # Just below 2/L full-batch MSE descent settles; just above it, it blows up.
    x, y = seeded_line(seed=4)
    limit = descent.mse_step_limit(x)
    below = descent.gradient_descent(x, y, "mse", learning_rate=0.98 * limit, epochs=4_000)
    above = descent.gradient_descent(x, y, "mse", learning_rate=1.05 * limit, epochs=4_000)
    assert below.stop == "done"
    np.testing.assert_allclose(
        [below.intercepts[-1], below.slopes[-1]], minimiser("mse", x, y), atol=1e-6
    )
    assert above.stop == "diverged"


# ---------------------------------------------------------------- convergence


@pytest.mark.parametrize(
    ("loss_id", "epochs", "momentum"),
    [("mse", 3_000, 0.0), ("huber", 5_000, 0.0), ("mse", 1_500, 0.9), ("huber", 1_500, 0.9)],
)
def test_full_batch_descent_reaches_the_fit(loss_id, epochs, momentum):
    x, y = seeded_line(seed=3)
    # Huber's curvature is at most half of MSE's (ψ' ≤ 1 against 2), so MSE's 2/L is a safe
    # step for both; the slow direction (x is far from 0) needs thousands of plain steps.
    rate = (0.9 if momentum == 0 else 0.5) * descent.mse_step_limit(x)
    path = descent.gradient_descent(
        x, y, loss_id, learning_rate=rate, epochs=epochs, momentum=momentum
    )
    assert path.stop == "done" and path.epochs == epochs and path.updates == epochs
    end = np.array([path.intercepts[-1], path.slopes[-1]])
    np.testing.assert_allclose(end, minimiser(loss_id, x, y), atol=1e-3)
    assert path.costs[-1] <= path.costs[0]


def test_momentum_changes_the_path():
    x, y = seeded_line(seed=3)
    rate = 0.5 * descent.mse_step_limit(x)
    plain = descent.gradient_descent(x, y, "mse", learning_rate=rate, epochs=50)
    heavy = descent.gradient_descent(x, y, "mse", learning_rate=rate, epochs=50, momentum=0.9)
    assert plain.intercepts[1] == heavy.intercepts[1]  # v starts at 0: the first step agrees
    assert not np.allclose(plain.intercepts, heavy.intercepts)


def test_mae_with_a_fixed_step_bounces_near_the_minimum():
    x, y = seeded_line(seed=3)
    rate, tail = 0.01, 100
    path = descent.gradient_descent(x, y, "mae", learning_rate=rate, epochs=3_000)
    best = minimiser("mae", x, y)
    best_cost = direct_cost("mae", x, y, *best)
    # Subgradient method with a fixed step η (hand-derived): with g the chosen subgradient,
    # ‖θₖ₊₁ − θ*‖² = ‖θₖ − θ*‖² − 2η g·(θₖ − θ*) + η²‖g‖² and g·(θₖ − θ*) ≥ J(θₖ) − J*
    # (convexity), so over K epochs from s: mean(J − J*) ≤ ‖θₛ − θ*‖²/(2Kη) + ηG²/2, where
    # ‖g‖² = mean(sign r)² + mean(sign r · x)² ≤ 1 + mean|x|² = G².
    g_squared = 1.0 + np.mean(np.abs(x)) ** 2
    first = path.epochs - tail
    distance_squared = (path.intercepts[first] - best[0]) ** 2 + (path.slopes[first] - best[1]) ** 2
    bound = distance_squared / (2 * tail * rate) + rate * g_squared / 2
    excess = path.costs[first : first + tail] - best_cost
    assert np.all(excess >= -1e-12)  # J* is the minimum
    assert excess.mean() <= bound
    # …but it never arrives: the sign gradient keeps its full size, so the line keeps moving.
    tail_a, tail_b = path.intercepts[-tail:], path.slopes[-tail:]
    assert np.ptp(tail_a) > 0 and np.ptp(tail_b) > 0
    assert np.hypot(tail_a - best[0], tail_b - best[1]).min() > 1e-6
    assert np.any(np.diff(path.costs[-tail:]) > 0)  # the cost goes up as well as down


# ---------------------------------------------------------------- divergence


def test_too_large_a_step_diverges_and_records_only_finite_epochs():
    x, y = seeded_line(seed=1)
    limit = descent.mse_step_limit(x)
    path = descent.gradient_descent(x, y, "mse", learning_rate=1.5 * limit, epochs=500)
    assert path.stop == "diverged"
    assert isinstance(path.diverged_at, int) and path.diverged_at == path.epochs + 1
    assert path.requested == 500 and path.updates == path.diverged_at
    start_cost = direct_cost("mse", x, y, 0.0, 0.0)
    assert path.bound == pytest.approx(1e6 * max(start_cost, 1.0))  # the documented default
    for recorded in (path.intercepts, path.slopes, path.costs):
        assert recorded.shape == (path.epochs + 1,) and np.all(np.isfinite(recorded))
    assert np.all(path.costs <= path.bound) and path.costs[-1] > path.costs[0]
    # The epoch it stopped at is the first past the bound: run again with a bound far away.
    longer = descent.gradient_descent(
        x, y, "mse", learning_rate=1.5 * limit, epochs=path.diverged_at, bound=1e300
    )
    np.testing.assert_array_equal(longer.costs[: path.epochs + 1], path.costs)
    assert longer.costs[path.diverged_at] > path.bound

    settled = descent.gradient_descent(x, y, "mse", learning_rate=0.9 * limit, epochs=3_000)
    assert settled.stop == "done" and settled.diverged_at is None
    assert np.all(np.diff(settled.costs) <= 1e-12 * settled.costs[0])


def test_explicit_bound_and_runaway_parameters():
    x, y = seeded_line(seed=1)
    limit = descent.mse_step_limit(x)
    start_cost = direct_cost("mse", x, y, 0.0, 0.0)
    tight = descent.gradient_descent(
        x, y, "mse", learning_rate=1.5 * limit, epochs=500, bound=2.0 * start_cost
    )
    assert tight.stop == "diverged" and tight.bound == 2.0 * start_cost
    assert np.all(tight.costs <= tight.bound)
    # Huge steps overflow the parameters within an epoch (full and mini-batch) and within a
    # batch loop: stopped with nothing non-finite recorded (and no overflow warning, which
    # pytest turns into an error here).
    for batch_size in (None, 10, 1):
        path = descent.gradient_descent(
            x, y, "mse", learning_rate=1e200, epochs=50, batch_size=batch_size
        )
        assert path.stop == "diverged" and path.diverged_at == 1 and path.epochs == 0
        # The first update already moves a by η·|mean g| ≈ 1e200·2·mean(y) > 1e150: it stops
        # there, not at the end of the epoch (hand-derived).
        assert path.updates == 1
        np.testing.assert_array_equal(path.intercepts, [0.0])
        np.testing.assert_array_equal(path.costs, [start_cost])


# ---------------------------------------------------------------- mini-batches and the cap


def reference_path(x, y, loss_id, *, start, rate, epochs, momentum, batch_size, seed, **params):
    """The update rule written out plainly: one rng for the run, a fresh permutation per
    epoch (mini-batch only), consecutive batches, heavy-ball v ← μv − ηg, θ ← θ + v; the
    checked Loss.grad and Loss.cost."""
    loss = losses.get(loss_id)
    rng = np.random.default_rng(seed)
    theta, velocity = np.array(start, dtype=float), np.zeros(2)
    path = [[*theta, loss.cost(y, theta[0] + theta[1] * x, **params)]]
    for _ in range(epochs):
        order = np.arange(x.size) if batch_size is None else rng.permutation(x.size)
        size = x.size if batch_size is None else batch_size
        for first in range(0, x.size, size):
            batch = order[first : first + size]
            g = loss.grad(y[batch], theta[0] + theta[1] * x[batch], **params)
            velocity = momentum * velocity - rate * np.array([g.mean(), (g * x[batch]).mean()])
            theta = theta + velocity
        path.append([*theta, loss.cost(y, theta[0] + theta[1] * x, **params)])
    return np.array(path)


@pytest.mark.parametrize(("loss_id", "params"), LOSS_CASES, ids=CASE_IDS)
@pytest.mark.parametrize(("batch_size", "momentum"), [(None, 0.0), (None, 0.6), (5, 0.0), (5, 0.6)])
def test_path_follows_the_update_rule(loss_id, params, batch_size, momentum):
    x, y = seeded_line(seed=7, n=23)  # batches of 5: four of 5 and a last one of 3
    settings = {
        "start": (0.5, -0.3),
        "epochs": 6,
        "momentum": momentum,
        "batch_size": batch_size,
        "seed": 9,
    }
    path = descent.gradient_descent(x, y, loss_id, learning_rate=0.02, **settings, **params)
    expected = reference_path(x, y, loss_id, rate=0.02, **settings, **params)  # plain loop
    got = np.column_stack([path.intercepts, path.slopes, path.costs])
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-13)
    assert path.updates == 6 * (1 if batch_size is None else 5)
    assert path.batch_size == batch_size


def test_seeded_mini_batches_repeat_and_full_batches_ignore_the_seed():
    x, y = seeded_line(seed=2)
    run = {"learning_rate": 0.005, "epochs": 30, "batch_size": 16, "momentum": 0.5}
    first = descent.gradient_descent(x, y, "huber", seed=3, **run)
    again = descent.gradient_descent(x, y, "huber", seed=3, **run)
    other = descent.gradient_descent(x, y, "huber", seed=4, **run)
    np.testing.assert_array_equal(first.intercepts, again.intercepts)
    np.testing.assert_array_equal(first.costs, again.costs)
    assert not np.array_equal(first.intercepts, other.intercepts)

    full = descent.gradient_descent(x, y, "huber", learning_rate=0.005, epochs=30, seed=3)
    for size in (x.size, x.size + 5):
        as_batch = descent.gradient_descent(
            x, y, "huber", learning_rate=0.005, epochs=30, batch_size=size, seed=4
        )
        assert as_batch.batch_size is None and as_batch.updates == 30
        np.testing.assert_array_equal(as_batch.intercepts, full.intercepts)
        np.testing.assert_array_equal(as_batch.costs, full.costs)


def test_mini_batch_momentum_still_converges_for_mse():
    x, y = seeded_line(seed=3)
    best = minimiser("mse", x, y)
    best_cost = direct_cost("mse", x, y, *best)
    path = descent.gradient_descent(
        x, y, "mse", learning_rate=5e-4, epochs=300, batch_size=20, momentum=0.9
    )
    # From 12.6·J* at the start. Mini-batch noise keeps it moving a little: near the
    # minimiser, not on it (the tolerances are ~2× the spread over seeds 0-3).
    end = np.array([path.intercepts[-1], path.slopes[-1]])
    np.testing.assert_allclose(end, best, atol=0.05)
    assert path.costs[0] > 10 * best_cost and path.costs[-1] < 1.01 * best_cost


def test_update_cap():
    x, y = seeded_line(seed=1, n=1_000)
    path = descent.gradient_descent(
        x, y, "mse", learning_rate=1e-4, epochs=1_000, batch_size=1, max_updates=20_000
    )
    # 1,000 batches an epoch: 20,000 updates are 20 whole epochs (hand-derived).
    assert path.stop == "update cap" and path.epochs == 20 and path.requested == 1_000
    assert path.updates == 20_000 and path.costs.shape == (21,)
    # Batches of 300 from 1,000 points: 4 an epoch (the last of 100), so 5 epochs fit in 20,
    # exactly, and run to the end; a cap below one epoch still runs one.
    exact = descent.gradient_descent(
        x, y, "mse", learning_rate=1e-4, epochs=5, batch_size=300, max_updates=20
    )
    assert exact.stop == "done" and exact.updates == 20
    one_more = descent.gradient_descent(
        x, y, "mse", learning_rate=1e-4, epochs=6, batch_size=300, max_updates=20
    )
    assert one_more.stop == "update cap" and one_more.epochs == 5 and one_more.updates == 20
    tiny = descent.gradient_descent(
        x, y, "mse", learning_rate=1e-4, epochs=5, batch_size=300, max_updates=3
    )
    assert tiny.stop == "update cap" and tiny.epochs == 1 and tiny.updates == 4


# ---------------------------------------------------------------- validation

X_OK, Y_OK = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"learning_rate": 0.0}, "learning rate must be above 0"),
        ({"learning_rate": -0.1}, "learning rate must be above 0"),
        ({"learning_rate": math.nan}, "learning rate must be a finite number"),
        ({"learning_rate": math.inf}, "learning rate must be a finite number"),
        ({"learning_rate": "0.1"}, "learning rate must be a finite number"),
        ({"learning_rate": True}, "learning rate must be a finite number"),
        ({"epochs": 0}, "epochs must be between 1 and 100,000"),
        ({"epochs": 100_001}, "epochs must be between 1 and 100,000"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"epochs": "10"}, "epochs must be a whole number"),
        ({"momentum": -0.1}, "momentum must be at least 0 and below 1"),
        ({"momentum": 1.0}, "momentum must be at least 0 and below 1"),
        ({"momentum": math.nan}, "momentum must be a finite number"),
        ({"batch_size": 0}, "batch size must be between 1"),
        ({"batch_size": 2.5}, "batch size must be a whole number"),
        ({"start": (math.nan, 0.0)}, "start's intercept must be a finite number"),
        ({"start": (0.0, math.inf)}, "start's slope must be a finite number"),
        ({"start": (0.0,)}, "start must be two numbers"),
        ({"start": 1.0}, "start must be two numbers"),
        ({"seed": -1}, "seed must be between 0"),
        ({"bound": 0.0}, "divergence bound must be above 0"),
        ({"bound": math.nan}, "divergence bound must be a finite number"),
        ({"max_updates": 0}, "max_updates must be between 1"),
        ({"delta": 1.0}, "mse has no parameter delta"),
    ],
)
def test_gradient_descent_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        descent.gradient_descent(X_OK, Y_OK, "mse", **kwargs)


@pytest.mark.parametrize(
    ("x", "y", "loss_id", "params", "message"),
    [
        (X_OK, Y_OK, "huber", {"delta": -1.0}, r"huber: delta must be in \(0"),
        (X_OK, Y_OK, "bce", {}, "a regression fit needs one of: mse"),
        (X_OK, Y_OK, "nope", {}, "unknown loss 'nope'"),
        ([0.0, math.nan, 2.0], Y_OK, "mse", {}, "x contains 1 NaN"),
        (X_OK, [1.0, None, 5.0], "mse", {}, "y has a missing value"),
        (X_OK, Y_OK[:2], "mse", {}, "x and y need one number per point"),
        ([], [], "mse", {}, "x is empty"),
        (np.ones((3, 2)), np.ones((3, 2)), "mse", {}, r"x must have shape \(n,\)"),
    ],
)
def test_every_entry_point_refuses_bad_data_and_losses(x, y, loss_id, params, message):
    calls = [
        lambda: descent.gradient_descent(x, y, loss_id, **params),
        lambda: descent.descent_gradient(x, y, loss_id, 0.0, 1.0, **params),
        lambda: descent.costs_at(x, y, loss_id, [0.0], [1.0], **params),
        lambda: descent.cost_landscape(x, y, loss_id, [0.0], [1.0], **params),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=message):
            call()


def test_pairs_and_points_refused_with_a_reason():
    with pytest.raises(ValueError, match="intercepts and slopes must have one shape"):
        descent.costs_at(X_OK, Y_OK, "mse", [0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="slopes contains 1 NaN"):
        descent.costs_at(X_OK, Y_OK, "mse", [0.0], [math.nan])
    with pytest.raises(ValueError, match="the intercept must be a finite number"):
        descent.descent_gradient(X_OK, Y_OK, "mse", math.inf, 1.0)
    with pytest.raises(ValueError, match="x is empty"):
        descent.mse_step_limit([])
    # A start whose cost overflows float64 cannot be descended from.
    with pytest.raises(ValueError, match="cost at the start overflows"):
        descent.gradient_descent([0.0, 1.0], [1e200, -1e200], "mse")
