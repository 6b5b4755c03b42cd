"""Huber's exact Newton steps, every δ of a sweep at once (losses/fit/huber.py)."""

import numpy as np
import pytest
from scipy import optimize

from losses import fit
from losses.fit import huber as huber_fit
from losses.fit.line import fit_lines
from tests.losses.test_fit import line_data

DELTAS = [0.01, 0.1, 0.5, 1.0, 2.0, 7.0, 100.0]


def huber_gradient(x, y, intercept, slope, delta):
    """∂J/∂(a, b) of J = mean hδ(a + b·x − y), hand-derived: mean ψδ(r)·(1, x), ψδ = clip."""
    psi = np.clip(intercept + slope * x - y, -delta, delta)
    return np.array([psi.mean(), (psi * x).mean()])


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("two_sided", [False, True])
def test_each_delta_ends_at_the_minimum(seed, two_sided):
    frame = line_data(n=400, outlier_fraction=0.2, two_sided=two_sided, seed=seed)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    for delta, result in zip(
        DELTAS, fit_lines(x, y, "huber", [{"delta": d} for d in DELTAS]), strict=True
    ):
        assert result.method.startswith("exact Newton"), delta
        line = result.params
        # The gradient at the end, against its size at the flat line y = mean(y).
        scale = np.abs(huber_gradient(x, y, y.mean(), 0.0, delta)).max()
        assert np.abs(huber_gradient(x, y, line["intercept"], line["slope"], delta)).max() <= (
            1e-12 * scale
        )

        # scipy.optimize.minimize (Nelder-Mead) on the same cost, from the least-squares line:
        # ours is no higher (the gradient test above is the sharp one).
        def cost(theta, delta=delta):
            r = np.abs(theta[0] + theta[1] * x - y)
            return np.mean(np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta)))

        start = np.polyfit(x, y, 1)[::-1]
        reference = optimize.minimize(
            cost,
            start,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000},
        )
        assert cost([line["intercept"], line["slope"]]) <= reference.fun + 1e-12


def test_every_step_goes_downhill_and_the_trace_is_the_cost_history():
    frame = line_data(n=300, two_sided=True, seed=2)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    result = fit.fit_line(x, y, "huber", delta=0.5)
    assert result.method.startswith("exact Newton")
    assert np.all(np.diff(result.cost_history) < 0)
    assert result.converged


def test_a_delta_the_exact_steps_cannot_finish_is_left_to_the_generic_descent(monkeypatch):
    frame = line_data(n=300, outlier_fraction=0.3, two_sided=True, seed=4)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    exact = fit_lines(x, y, "huber", [{"delta": d} for d in DELTAS])
    monkeypatch.setattr(huber_fit, "NEWTON_STEPS", 1)  # one step: most δ are not done
    handed_on = fit_lines(x, y, "huber", [{"delta": d} for d in DELTAS])
    generic = [r for r in handed_on if r.method.startswith("Newton with backtracking")]
    assert generic, "no δ was handed on"
    for ours, theirs in zip(exact, handed_on, strict=True):
        # Both are minimisers of the same convex cost (the generic one stops sooner).
        assert ours.params["slope"] == pytest.approx(theirs.params["slope"], rel=1e-7)
        assert ours.params["intercept"] == pytest.approx(theirs.params["intercept"], rel=1e-7)
