"""Reference line fits for the regression-page tests: scipy's Huber and sklearn's quantile."""

import numpy as np
import scipy.optimize
import scipy.special
from sklearn.linear_model import QuantileRegressor


def huber_line_by_scipy(x, y, delta):
    """Reference Huber line: scipy.special.huber(δ, r) = Huber's loss, minimised by
    Nelder–Mead from the least-squares line (np.polyfit)."""
    slope, intercept = np.polyfit(x, y, 1)

    def cost(point):
        return np.mean(scipy.special.huber(delta, point[0] + point[1] * x - y))

    result = scipy.optimize.minimize(
        cost,
        [intercept, slope],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000},
    )
    return result.x  # intercept, slope


def quantile_line_by_sklearn(x, y, tau):
    """sklearn.linear_model.QuantileRegressor (HiGHS LP, no penalty) as the reference."""
    model = QuantileRegressor(quantile=tau, alpha=0.0, solver="highs").fit(x[:, None], y)
    return model.intercept_, model.coef_[0]
