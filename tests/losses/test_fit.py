"""Fitting reaches the true minimum: checked against numpy.linalg.lstsq, scipy.optimize
(linprog's HiGHS for the piecewise-linear losses, BFGS + Nelder-Mead otherwise) and
scikit-learn's LogisticRegression."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from sklearn.linear_model import LogisticRegression

import losses
from losses import fit


def line_data(n=300, outlier_fraction=0.1, two_sided=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    y = 1.0 + 2.0 * x + rng.normal(0, 1, n)
    outliers = rng.choice(n, int(round(outlier_fraction * n)), replace=False)
    push = 10.0 * rng.uniform(0.5, 1.5, outliers.size)
    if two_sided:
        push *= rng.choice([-1.0, 1.0], outliers.size)
    y[outliers] += push
    return pd.DataFrame({"x": x, "y": y})


DATASETS = {
    "clean": line_data(outlier_fraction=0.0),
    "outliers_up": line_data(outlier_fraction=0.1),
    "half_outliers_both_ways": line_data(outlier_fraction=0.5, two_sided=True, seed=3),
    "five_points": line_data(n=5, outlier_fraction=0.2, seed=7),
}


def mean_cost(loss_id, x, y, point, weights=None, **params):
    return losses.get(loss_id).cost(y, point[0] + point[1] * x, sample_weight=weights, **params)


def pinball_reference(x, y, tau, weights=None):
    """Exact weighted pinball regression as an LP (scipy.optimize.linprog, HiGHS):
    min Σ wᵢ(τuᵢ + (1 − τ)vᵢ) s.t. a + b·xᵢ + uᵢ − vᵢ = yᵢ, u, v ≥ 0."""
    n = x.size
    weights = np.ones(n) if weights is None else weights
    objective = np.concatenate([[0.0, 0.0], tau * weights, (1 - tau) * weights])
    constraints = np.hstack([np.ones((n, 1)), x[:, None], np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * 2 + [(0, None)] * (2 * n)
    result = optimize.linprog(objective, A_eq=constraints, b_eq=y, bounds=bounds, method="highs")
    assert result.success
    return result.x[:2]


def smooth_reference(loss_id, x, y, **params):
    """scipy.optimize.minimize: BFGS with the core's exact gradient, polished by Nelder-Mead."""
    loss = losses.get(loss_id)

    def cost(point):
        return loss.cost(y, point[0] + point[1] * x, **params)

    def gradient(point):
        pull = loss.grad(y, point[0] + point[1] * x, **params)
        return np.array([pull.mean(), (pull * x).mean()])

    start = [np.median(y), 0.0]
    first = optimize.minimize(cost, start, jac=gradient, method="BFGS", options={"gtol": 1e-12})
    tight = {"xatol": 1e-12, "fatol": 1e-16, "maxiter": 20000}
    polished = optimize.minimize(cost, first.x, method="Nelder-Mead", options=tight)
    return polished.x if polished.fun <= first.fun else first.x


@pytest.mark.parametrize("name", DATASETS)
def test_mse_equals_ordinary_least_squares(name):
    data = DATASETS[name]
    result = fit.fit_regression(data, "mse")
    design = np.column_stack([np.ones(len(data)), data["x"]])
    expected, *_ = np.linalg.lstsq(design, data["y"].to_numpy(), rcond=None)  # numpy.linalg.lstsq
    np.testing.assert_allclose(
        [result.params["intercept"], result.params["slope"]], expected, rtol=1e-6
    )


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize(
    ("loss_id", "params"), [("mae", {}), ("quantile", {"tau": 0.9}), ("quantile", {"tau": 0.1})]
)
def test_piecewise_linear_fits_reach_the_linear_programme_optimum(name, loss_id, params):
    data = DATASETS[name]
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    result = fit.fit_regression(data, loss_id, **params)
    reference = pinball_reference(x, y, params.get("tau", 0.5))  # scipy linprog (HiGHS)
    ours = (result.params["intercept"], result.params["slope"])
    best = mean_cost(loss_id, x, y, reference, **params)
    assert mean_cost(loss_id, x, y, ours, **params) <= best * (1 + 1e-6)
    if name != "five_points":  # with 5 points several lines can tie; continuous data: unique
        np.testing.assert_allclose(ours, reference, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize(
    ("loss_id", "params"),
    [
        ("huber", {}),
        ("huber", {"delta": 0.01}),
        ("huber", {"delta": 30.0}),
        ("pseudo_huber", {}),
        ("pseudo_huber", {"delta": 0.1}),
        ("log_cosh", {}),
    ],
)
def test_smooth_robust_fits_reach_the_scipy_minimum(name, loss_id, params):
    data = DATASETS[name]
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    result = fit.fit_regression(data, loss_id, **params)
    assert result.converged
    reference = smooth_reference(loss_id, x, y, **params)  # scipy.optimize.minimize
    ours = (result.params["intercept"], result.params["slope"])
    best = mean_cost(loss_id, x, y, reference, **params)
    assert mean_cost(loss_id, x, y, ours, **params) <= best * (1 + 1e-6)
    np.testing.assert_allclose(ours, reference, rtol=1e-3, atol=1e-3)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(3, 40),
    tau=st.sampled_from([0.5, 0.05, 0.25, 0.75, 0.95]),
    weighted=st.booleans(),
)
def test_pinball_descent_matches_linprog_on_random_data(seed, n, tau, weighted):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n) * rng.choice([0.1, 1, 100])
    y = 3 * x + rng.standard_cauchy(n)
    if np.ptp(x) == 0:
        return
    weights = rng.uniform(0.1, 3.0, n) if weighted else None
    result = fit.fit_line(x, y, "quantile", tau=tau, sample_weight=weights)
    reference = pinball_reference(x, y, tau, weights)  # scipy linprog (HiGHS)
    ours = (result.params["intercept"], result.params["slope"])
    best = mean_cost("quantile", x, y, reference, weights, tau=tau)
    assert mean_cost("quantile", x, y, ours, weights, tau=tau) <= best * (1 + 1e-6) + 1e-12


def tied_data(layout, seed):
    """Ties, repeated x and many points exactly on one line: what a student gets from
    rounded data or noise = 0, where the optimum is a degenerate LP vertex."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    if layout == "integer_grid":
        return rng.integers(0, 4, n).astype(float), rng.integers(0, 4, n).astype(float)
    if layout == "repeated_x":
        x = rng.choice([0.0, 1.0, 2.5], n)
        return x, np.round(x + rng.normal(size=n), 1)
    x = rng.uniform(0, 10, n)
    y = 1 + 2 * x
    y[rng.random(n) < 0.3] += 10 * rng.choice([-1.0, 1.0])
    return x, y


@pytest.mark.parametrize("layout", ["integer_grid", "repeated_x", "exact_line_with_outliers"])
def test_pinball_descent_matches_linprog_with_ties_and_collinear_points(layout):
    # A sweep, not a sample: about 1 case in 10 of these trapped a descent that
    # checked only its last pivot, so every seed is run.
    for seed in range(40):
        x, y = tied_data(layout, seed)
        if np.ptp(x) == 0:
            continue
        for tau in (0.5, 0.1, 0.9):
            result = fit.fit_line(x, y, "quantile", tau=tau)
            assert result.converged
            reference = pinball_reference(x, y, tau)  # scipy linprog (HiGHS)
            ours = (result.params["intercept"], result.params["slope"])
            best = mean_cost("quantile", x, y, reference, tau=tau)
            assert mean_cost("quantile", x, y, ours, tau=tau) <= best * (1 + 1e-9) + 1e-12, (
                f"seed {seed}, tau {tau}"
            )


def test_mae_through_a_tie_reaches_the_best_line():
    # Hand-derived: points (1, 3), (0, 3), (2, 2). The line through (0, 3) and (2, 2)
    # misses only (1, 3), by 0.5: mean |r| = 0.5/3. The flat line y = 3 misses (2, 2)
    # by 1: mean 1/3, where a descent that checks only one pivot stops.
    result = fit.fit_line([1.0, 0.0, 2.0], [3.0, 3.0, 2.0], "mae")
    assert result.cost == pytest.approx(0.5 / 3, rel=1e-12)
    assert result.params == pytest.approx({"intercept": 3.0, "slope": -0.5}, rel=1e-12)


def test_sample_weights_equal_repeated_rows():
    # Identity (hand-derived): weight 2 on a row is the same cost as that row twice.
    data = DATASETS["outliers_up"].iloc[:60]
    weights = np.tile([1.0, 2.0, 3.0], 20)
    repeated = data.loc[data.index.repeat(weights.astype(int))]
    for loss_id in ("mse", "mae", "huber"):
        weighted = fit.fit_regression(data, loss_id, sample_weight=weights)
        expanded = fit.fit_regression(repeated, loss_id)
        np.testing.assert_allclose(
            list(weighted.params.values()), list(expanded.params.values()), rtol=1e-7, atol=1e-9
        )


@pytest.mark.parametrize("loss_id", [loss.id for loss in losses.by_task("regression")])
def test_regression_histories_and_path(loss_id):
    data = DATASETS["outliers_up"]
    result = fit.fit_regression(data, loss_id)
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    assert result.path.shape == (result.iterations + 1, 2)
    np.testing.assert_allclose(result.path[-1], list(result.params.values()))
    # Every method is a descent method: the cost never goes up.
    assert np.all(np.diff(result.cost_history) <= 1e-12 * result.cost_history[0])
    # The last recorded cost is the core's cost at the final parameters.
    np.testing.assert_allclose(result.cost, mean_cost(loss_id, x, y, result.path[-1]), rtol=1e-10)
    assert result.effective_weight.shape == (len(data),)
    assert np.all((result.effective_weight >= 0) & (result.effective_weight <= 1))


def residuals_of(result, data):
    return (result.params["intercept"] + result.params["slope"] * data["x"] - data["y"]).to_numpy()


def test_effective_weights_show_who_pulls():
    data = DATASETS["outliers_up"]
    mse = fit.fit_regression(data, "mse")
    np.testing.assert_allclose(mse.effective_weight, 1.0)  # ψ(r)/r = 2 for every point
    huber = fit.fit_regression(data, "huber", delta=1.0)
    # Hand-derived: Huber's ψ(r)/r is 1 inside |r| ≤ δ and δ/|r| outside.
    expected = np.minimum(1.0, 1.0 / np.abs(residuals_of(huber, data)))
    np.testing.assert_allclose(huber.effective_weight, expected, rtol=1e-9)
    pseudo = fit.fit_regression(data, "pseudo_huber", delta=2.0)
    # Hand-derived: ψ(r)/r = 1/√(1 + (r/δ)²), which is 1 at r = 0.
    expected = 1 / np.sqrt(1 + (residuals_of(pseudo, data) / 2.0) ** 2)
    np.testing.assert_allclose(pseudo.effective_weight, expected, rtol=1e-7)


def test_mae_weights_are_relative_to_the_median_residual():
    # Hand-derived: MAE's ψ(r)/r = 1/|r| is unbounded at the fit, so the reference is a
    # point at the median |r| = m: weight min(1, m/|r|); points on the line get 1.
    data = DATASETS["outliers_up"]
    mae = fit.fit_regression(data, "mae")
    residual = np.abs(residuals_of(mae, data))
    median = np.median(residual)
    nearer = np.minimum(1.0, median / np.maximum(residual, 1e-300))
    expected = np.where(residual < 1e-9, 1.0, nearer)
    np.testing.assert_allclose(mae.effective_weight, expected, rtol=1e-9)
    assert np.sum(mae.effective_weight == 1.0) >= len(data) // 2  # the nearer half


def test_mae_weights_on_noise_free_data_single_out_the_outliers():
    # With noise 0 the MAE line is the true line (most points on it, median |r| = 0):
    # those points get 1 and the outliers, 5 to 15 away, get 1e-3·max|r|/|r|.
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 10, 50)
    y = 1 + 2 * x
    outliers = np.arange(50) < 5
    y[outliers] += rng.uniform(5, 15, 5)
    mae = fit.fit_regression(pd.DataFrame({"x": x, "y": y}), "mae")
    np.testing.assert_allclose([mae.params["intercept"], mae.params["slope"]], [1, 2], atol=1e-9)
    assert np.all(mae.effective_weight[~outliers] == 1.0)
    # hand-derived: weight = 1e-3·max|r| / |r| ≤ 1e-3·15/5 = 3e-3 for every outlier
    assert np.all(mae.effective_weight[outliers] <= 3e-3)


def test_fits_do_not_depend_on_the_units_of_y():
    # Hand-derived homogeneity: huber(s·r; s·δ) = s²·huber(r; δ) and likewise pseudo-Huber,
    # so scaling y and δ by s scales the fitted line by s. Tiny units once stopped early.
    data = DATASETS["half_outliers_both_ways"]
    for loss_id in ("huber", "pseudo_huber"):
        base = fit.fit_regression(data, loss_id, delta=0.5)
        for scale in (1e-8, 1e8):
            rescaled = data.assign(y=data["y"] * scale)
            scaled = fit.fit_regression(rescaled, loss_id, delta=0.5 * scale)
            assert scaled.converged
            np.testing.assert_allclose(
                [scaled.params["intercept"], scaled.params["slope"]],
                [base.params["intercept"] * scale, base.params["slope"] * scale],
                rtol=1e-6,
            )


def test_mae_is_less_pulled_by_outliers_than_mse():
    data = DATASETS["outliers_up"]  # true slope 2, intercept 1; outliers pushed up by ~10
    mse, mae = fit.fit_regression(data, "mse"), fit.fit_regression(data, "mae")
    assert abs(mae.params["intercept"] - 1.0) < abs(mse.params["intercept"] - 1.0)


def test_regression_errors_are_explained():
    data = DATASETS["clean"]
    with pytest.raises(ValueError, match="binary loss"):
        fit.fit_regression(data, "bce")
    with pytest.raises(ValueError, match="column 'y'"):
        fit.fit_regression(data.drop(columns="y"), "mse")
    with pytest.raises(ValueError, match="same value for every point"):
        fit.fit_regression(data.assign(x=1.0), "huber")
    with pytest.raises(ValueError, match="delta"):
        fit.fit_regression(data, "huber", delta=-1.0)


# ---------------------------------------------------------------- classification


def binary_data(n=600, positive_fraction=0.2, shift=1.0, seed=1):
    rng = np.random.default_rng(seed)
    label = (rng.random(n) < positive_fraction).astype(int)
    centre = np.where(label[:, None] == 1, shift, -0.5 * shift)
    points = rng.normal(size=(n, 2)) * [1.0, 2.0] + centre + [3.0, -1.0]
    return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": label})


def multiclass_data(n=800, k=4, seed=2):
    rng = np.random.default_rng(seed)
    label = rng.integers(0, k, n)
    angle = 2 * np.pi * label / k
    points = rng.normal(size=(n, 2)) + 1.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": label})


def test_unpenalised_bce_equals_sklearn_logistic_regression():
    data = binary_data()
    result = fit.fit_binary(data, "bce", l2=0.0)
    # sklearn 1.9: C=np.inf is the unpenalised fit (penalty=None is deprecated there).
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(
        data[["x1", "x2"]], data["label"]
    )
    expected = [reference.intercept_[0], *reference.coef_[0]]
    ours = [result.params["intercept"], result.params["w1"], result.params["w2"]]
    np.testing.assert_allclose(ours, expected, rtol=1e-3, atol=1e-4)


def test_penalised_bce_equals_sklearn_with_matching_c():
    # sklearn minimises ½‖w‖² + C Σ loss on the raw features; ours penalises standardised
    # weights, so compare on features with mean 0 and spread 1, where the two agree:
    # mean loss + (l2/2)‖w‖²  ⇔  C = 1/(n·l2).
    data = binary_data()
    features = data[["x1", "x2"]]
    data[["x1", "x2"]] = (features - features.mean()) / features.std(ddof=0)
    l2 = 0.01
    result = fit.fit_binary(data, "bce", l2=l2)
    reference = LogisticRegression(C=1 / (len(data) * l2), tol=1e-12, max_iter=10_000).fit(
        data[["x1", "x2"]], data["label"]
    )
    expected = [reference.intercept_[0], *reference.coef_[0]]
    ours = [result.params["intercept"], result.params["w1"], result.params["w2"]]
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-6)


def test_pos_weight_equals_weighting_the_positive_samples():
    # Identity (hand-derived): −[w·y·log p + (1−y)·log(1−p)] = sample weight w on positives.
    # The two costs differ by the constant factor Σ weights / n, so without a penalty
    # (whose relative strength that factor would change) the minimisers coincide.
    data = binary_data()
    by_loss = fit.fit_binary(data, "bce", pos_weight=5.0, l2=0.0)
    weights = np.where(data["label"] == 1, 5.0, 1.0)
    by_weight = fit.fit_binary(data, "bce", sample_weight=weights, l2=0.0)
    np.testing.assert_allclose(
        list(by_loss.params.values()), list(by_weight.params.values()), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("loss_id", "params"),
    [("focal", {}), ("focal", {"alpha": 0.25}), ("bce", {"label_smoothing": 0.1})],
)
def test_smooth_binary_fits_reach_the_scipy_minimum(loss_id, params):
    data = binary_data()
    result = fit.fit_binary(data, loss_id, l2=0.0, **params)
    loss = losses.get(loss_id)
    features, label = data[["x1", "x2"]].to_numpy(), data["label"].to_numpy()

    def cost(theta):
        return loss.cost(label, theta[0] + features @ theta[1:], from_logits=True, **params)

    reference = optimize.minimize(cost, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    ours = np.array([result.params["intercept"], result.params["w1"], result.params["w2"]])
    assert cost(ours) <= reference.fun * (1 + 1e-6)


def test_hinge_fit_reaches_the_linear_programme_optimum():
    # Unpenalised hinge is an LP: min Σ ξᵢ s.t. ξᵢ ≥ 1 − tᵢ(b + w·xᵢ), ξ ≥ 0 (scipy linprog).
    data = binary_data(n=200, positive_fraction=0.4)
    features, label = data[["x1", "x2"]].to_numpy(), data["label"].to_numpy()
    sign = 2.0 * label - 1.0
    n = len(data)
    objective = np.concatenate([np.zeros(3), np.ones(n) / n])
    margin_rows = -sign[:, None] * np.column_stack([np.ones(n), features])
    upper = np.hstack([margin_rows, -np.eye(n)])
    reference = optimize.linprog(
        objective,
        A_ub=upper,
        b_ub=-np.ones(n),
        bounds=[(None, None)] * 3 + [(0, None)] * n,
        method="highs",
    )
    result = fit.fit_binary(data, "hinge", l2=0.0)
    # Non-smooth: BFGS stops near, not exactly at, the LP vertex; 1e-3 is plenty for a plot.
    assert result.cost <= reference.fun * (1 + 1e-3)


def test_separable_data_give_a_finite_boundary_with_the_default_penalty():
    rng = np.random.default_rng(4)
    points = np.vstack([rng.normal(size=(40, 2)) - 4, rng.normal(size=(40, 2)) + 4])
    data = pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": [0] * 40 + [1] * 40})
    for loss_id in ("bce", "focal", "hinge"):
        result = fit.fit_binary(data, loss_id)
        coefficients = np.array(list(result.params.values()))
        assert result.converged and np.all(np.isfinite(coefficients))
        assert np.abs(coefficients).max() < 1e3
        scores = result.params["intercept"] + points @ [result.params["w1"], result.params["w2"]]
        assert np.all((scores > 0) == (data["label"] == 1))


def hinge_qp_reference(data, l2):
    """min (1/n)Σξ + (l2/2)‖w‖² s.t. ξᵢ ≥ 1 − tᵢ(b + w·zᵢ), ξ ≥ 0, on standardised
    features z (where our penalty applies), solved by scipy.optimize.minimize (SLSQP)."""
    features = data[["x1", "x2"]].to_numpy()
    scaled = (features - features.mean(axis=0)) / features.std(axis=0)
    sign = 2.0 * data["label"].to_numpy() - 1.0
    n = len(data)

    def objective(v):
        return v[3:].sum() / n + 0.5 * l2 * (v[1] ** 2 + v[2] ** 2)

    def jacobian(v):
        return np.concatenate([[0.0, l2 * v[1], l2 * v[2]], np.full(n, 1.0 / n)])

    margins = sign[:, None] * np.column_stack([np.ones(n), scaled])
    constraint_matrix = np.hstack([margins, np.eye(n)])
    constraints = {
        "type": "ineq",
        "fun": lambda v: constraint_matrix @ v - 1.0,
        "jac": lambda v: constraint_matrix,
    }
    start = np.concatenate([[0.0, 0.0, 0.0], np.ones(n)])
    bounds = [(None, None)] * 3 + [(0, None)] * n
    result = optimize.minimize(
        objective,
        start,
        jac=jacobian,
        constraints=[constraints],
        bounds=bounds,
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    assert result.success
    return result.fun


@pytest.mark.parametrize("shift", [1.0, 6.0])
def test_hinge_fit_reaches_the_quadratic_programme_optimum(shift):
    # shift 6 makes the classes separable: the minimum is then almost all penalty,
    # which BFGS on the raw hinge missed by up to 40%.
    data = binary_data(n=120, positive_fraction=0.4, shift=shift, seed=3)
    result = fit.fit_binary(data, "hinge", l2=1e-2)
    best = hinge_qp_reference(data, 1e-2)  # scipy SLSQP on the QP
    assert result.converged
    assert result.objective_history[-1] <= best * (1 + 1e-6) + 1e-12


def test_default_penalty_barely_moves_a_non_separable_fit():
    # DEFAULT_L2 is documented as leaving non-separable fits unchanged to ~3 digits.
    data = binary_data()
    penalised, free = fit.fit_binary(data, "bce"), fit.fit_binary(data, "bce", l2=0.0)
    np.testing.assert_allclose(
        list(penalised.params.values()), list(free.params.values()), rtol=2e-3
    )


def test_classification_weights_include_sample_weights():
    # Hand-derived: pull = |σ(z) − y|·sample weight, scaled so the largest is 1.
    data = binary_data()
    weights = np.where(data["label"] == 1, 4.0, 1.0)
    result = fit.fit_binary(data, "bce", sample_weight=weights)
    logits = result.params["intercept"] + data[["x1", "x2"]].to_numpy() @ [
        result.params["w1"],
        result.params["w2"],
    ]
    pull = np.abs(losses.binary.sigmoid(logits) - data["label"].to_numpy()) * weights
    np.testing.assert_allclose(result.effective_weight, pull / pull.max(), rtol=1e-9)


def test_missing_classes_are_refused():
    with pytest.raises(ValueError, match="every point has label 1"):
        fit.fit_binary(binary_data().assign(label=1), "bce")
    data = multiclass_data(k=4)
    with pytest.raises(ValueError, match="class\\(es\\) 2 have no points"):
        fit.fit_multiclass(data[data["label"] != 2], "cce")


@pytest.mark.parametrize("loss_id", ["cce", "sparse_cce", "kl"])
def test_unpenalised_softmax_equals_sklearn_multinomial(loss_id):
    data = multiclass_data()
    result = fit.fit_multiclass(data, loss_id, l2=0.0)
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(
        data[["x1", "x2"]], data["label"]
    )
    # Softmax parameters are unique only up to a shared shift, so compare probabilities.
    logits = result.params["intercepts"] + data[["x1", "x2"]].to_numpy() @ result.params["weights"]
    ours = losses.multiclass.softmax(logits)
    expected = reference.predict_proba(data[["x1", "x2"]])  # sklearn LogisticRegression
    np.testing.assert_allclose(ours, expected, atol=1e-5)


def test_classification_histories_and_weights():
    data = binary_data()
    result = fit.fit_binary(data, "bce")
    assert result.path.shape == (result.iterations + 1, 3)
    assert np.all(np.diff(result.objective_history) <= 0)
    label = data["label"].to_numpy()
    logits = result.params["intercept"] + data[["x1", "x2"]].to_numpy() @ [
        result.params["w1"],
        result.params["w2"],
    ]
    expected_cost = losses.get("bce").cost(label, logits, from_logits=True)
    np.testing.assert_allclose(result.cost, expected_cost, rtol=1e-9)
    # Hand-derived: bce's pull on a point is |σ(z) − y|; scaled so the largest is 1.
    pull = np.abs(losses.binary.sigmoid(logits) - label)
    np.testing.assert_allclose(result.effective_weight, pull / pull.max(), rtol=1e-9)

    multi = fit.fit_multiclass(multiclass_data(), "cce")
    assert multi.params["weights"].shape == (2, 4) and multi.params["intercepts"].shape == (4,)
    assert multi.path.shape == (multi.iterations + 1, 12)
    assert np.all(np.diff(multi.objective_history) <= 0)


def test_classification_errors_are_explained():
    with pytest.raises(ValueError, match="regression loss"):
        fit.fit_binary(binary_data(), "mse")
    with pytest.raises(ValueError, match="0 or 1"):
        fit.fit_binary(binary_data().assign(label=2), "hinge")
    with pytest.raises(ValueError, match="labels must be 0..2"):
        fit.fit_multiclass(multiclass_data(k=4), "cce", k=3)
    with pytest.raises(ValueError, match="l2"):
        fit.fit_binary(binary_data(), "bce", l2=-1.0)


def test_a_steep_line_with_small_delta_converges_to_the_minimum():
    # y spans ~1e7 while residuals are of order δ = 1: curvature must be probed on the
    # residuals' scale. This once crawled for 500 iterations without converging.
    data = DATASETS["clean"].assign(y=lambda frame: frame["y"] + 1e6 * frame["x"])
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    result = fit.fit_regression(data, "huber")
    assert result.converged and result.iterations < 50
    reference = smooth_reference("huber", x, y)  # scipy.optimize.minimize
    ours = (result.params["intercept"], result.params["slope"])
    assert mean_cost("huber", x, y, ours) <= mean_cost("huber", x, y, reference) * (1 + 1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_small_delta_fits_converge_to_the_scipy_minimum(seed):
    # δ = 0.01 against noise 1 is nearly MAE; from a flat start some of these stopped at
    # 500 iterations short of the minimum, so they now start from the exact MAE line.
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, 50)
    y = 1 + 2 * x + rng.normal(0, 1, 50)
    result = fit.fit_line(x, y, "huber", delta=0.01)
    assert result.converged
    reference = smooth_reference("huber", x, y, delta=0.01)  # scipy.optimize.minimize
    ours = (result.params["intercept"], result.params["slope"])
    best = mean_cost("huber", x, y, reference, delta=0.01)
    assert mean_cost("huber", x, y, ours, delta=0.01) <= best * (1 + 1e-6)


@pytest.mark.parametrize("loss_id", ["huber", "pseudo_huber", "mae", "quantile", "mse"])
def test_a_sweep_of_one_loss_is_each_single_fit_bit_for_bit(loss_id):
    """`fit_lines` shares the checks and the MAE start between the fits of a sweep (the
    Huber lab's 41 δ); by its contract each fit is exactly `fit_line`'s (reference: fit_line)."""
    frame = line_data(two_sided=True)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    loss = losses.get(loss_id)
    name = loss.params[0].name if loss.params else None
    values = [0.01, 0.3, 1.0, 7.0, 100.0] if name == "delta" else [0.1, 0.5, 0.9]
    sets = [{name: value} for value in values] if name else [{}]
    swept = fit.line.fit_lines(x, y, loss_id, sets)
    for params, result in zip(sets, swept, strict=True):
        single = fit.fit_line(x, y, loss_id, **params)
        assert result.params == single.params
        np.testing.assert_array_equal(result.cost_history, single.cost_history)
        np.testing.assert_array_equal(result.effective_weight, single.effective_weight)


def test_one_pinball_lines_shares_the_descents_own_line_between_fits(monkeypatch):
    """`pinball_lines` runs the exact pinball descent (MAE's fit, quantile's, the Newton fits'
    start) once per τ for the fits it is passed to, and each fit gets bit for bit what a fresh
    descent gives (reference: `pinball.pinball_line` run here directly); the core keeps no
    state of its own: without it, each fit runs its own descent."""
    from losses.fit import line as line_module
    from losses.fit import pinball

    runs = []

    def counted(*args, **kwargs):
        runs.append(1)
        return pinball.pinball_line(*args, **kwargs)

    monkeypatch.setattr(line_module, "pinball_line", counted)
    frame = line_data(two_sided=True, seed=11)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    shared = fit.line.pinball_lines(x, y)
    names = ("mae", "huber", "pseudo_huber", "log_cosh", "barron")
    fits = {loss_id: fit.fit_line(x, y, loss_id, pinball=shared) for loss_id in names}
    assert len(runs) == 1  # one descent for MAE and the four Newton starts
    scaled = (x - x.mean()) / x.std()
    fresh = pinball.pinball_line(scaled, y, np.ones_like(x), 0.5)
    slope = fresh.points[-1][1] / x.std()
    assert fits["mae"].params["slope"] == slope
    assert fits["mae"].params["intercept"] == fresh.points[-1][0] - slope * x.mean()
    for loss_id in names:  # alone, a fit runs its own descent and lands on the same line
        alone = fit.fit_line(x, y, loss_id)
        assert alone.params == fits[loss_id].params
    assert len(runs) == 1 + len(names)
