"""What each loss estimates: the constant prediction that minimises its cost on the data's
values (mean for MSE, median for MAE, τ-quantile for quantile, Huber's M-estimate, …).

`estimates(values, picked_id, picked_params)` gives one `Estimate` per regression loss, each
at its defaults except the picked loss (as `lessons.robustness.fit_table`); `estimates_text`
says how far the outliers moved the mean against the median.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lessons.robustness import settings_text
from losses.fit.constant import best_constant
from losses.registry import by_task

# The statistic each loss's best constant is, in words ("" where it has no common name).
WHAT = {
    "mse": "the mean",
    "mae": "the median",
    "quantile": "the τ-quantile",
    "huber": "Huber's M-estimate of location",
    "pseudo_huber": "a smooth M-estimate between mean and median",
    "log_cosh": "an M-estimate between mean and median",
    "barron": "Barron's M-estimate (α = 2: the mean)",
}


def location_values(frame) -> tuple[np.ndarray, str]:
    """The one-dimensional values whose location the losses estimate, and their axis title.

    Generated data: each point's offset from the true line, y − (a + b·x) (its noise plus
    any outlier push), so the x trend does not spread the strip and an outlier's push is
    seen whole. A file (no true line): its y.
    """
    y = frame["y"].to_numpy(dtype=np.float64)
    if frame.attrs.get("true_slope") is None:
        return y, "y (each point's target)"
    line = frame.attrs["true_intercept"] + frame.attrs["true_slope"] * frame["x"].to_numpy()
    return y - line, "offset from the true line, y − (a + b·x)"


@dataclass(frozen=True)
class Estimate:
    loss_id: str
    name: str
    setting: str  # "δ = 1", "—"
    what: str
    value: float


def estimates(
    values,
    picked_id: str,
    picked_params: dict,
    constant: Callable[[str, dict], float] | None = None,
) -> list[Estimate]:
    """Each regression loss's best constant on ``values`` ((n,) floats), in registry order:
    by ``constant(loss_id, params)`` when given (a page's cache of them, so a new setting of
    the picked loss recomputes that one alone), else `best_constant`."""
    values = np.asarray(values, dtype=np.float64)
    if constant is None:

        def constant(loss_id: str, params: dict) -> float:
            return best_constant(values, loss_id, **params)

    found = []
    for loss in by_task("regression"):
        params = loss.resolve_params(picked_params if loss.id == picked_id else {})
        found.append(
            Estimate(
                loss.id,
                loss.name,
                settings_text(loss, params),
                WHAT.get(loss.id, ""),
                constant(loss.id, params),
            )  # fmt: skip
        )
    return found


def estimates_text(found: list[Estimate], n_outliers: int) -> str:
    """The mean against the median, and the picked loss's place between them."""
    by_id = {estimate.loss_id: estimate for estimate in found}
    mean, median = by_id["mse"].value, by_id["mae"].value
    gap = mean - median
    if n_outliers:
        cause = f"the {n_outliers} outlier{'s' * (n_outliers != 1)} pull the mean"
    else:
        cause = "with no outliers the two nearly agree: the mean sits"
    return (
        f"The mean (MSE's best constant) is {mean:.4g}, the median (MAE's) {median:.4g}: "
        f"{cause} {abs(gap):.3g} {'above' if gap >= 0 else 'below'} the median. Move the "
        "outlier sliders: the mean runs with them, the median hardly moves."
    )
