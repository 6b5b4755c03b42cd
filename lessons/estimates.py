"""What each loss estimates: the constant prediction that minimises its cost on the data's
values (mean for MSE, median for MAE, τ-quantile for quantile, Huber's M-estimate, …).

`estimates(values, picked_id, picked_params)` gives one `Estimate` per regression loss, each
at its defaults except the picked loss (as `lessons.robustness.fit_table`), each saying where
it lies against the mean and the median on these values (`place`: an M-estimate such as
pseudo-Huber's or log-cosh's need not lie between them); `estimates_text` says how far the
outliers moved the mean and the median, and where the picked loss's estimate lies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lessons.display_numbers import SHOWN_DIGITS, place_against, shown, signed
from lessons.robustness import settings_text
from losses.fit.constant import best_constant
from losses.registry import by_task


def place(value: float, mean: float, median: float) -> str:
    """Where ``value`` lies against ``mean`` and ``median``, as printed (`place_against`).

    "at the mean" / "at the median" (or both) when it prints as that number, else "between
    the median and the mean" when min ≤ value ≤ max, else "above both the mean and the
    median" or "below both …".
    """
    where = place_against(value, mean, median)
    at = {"first": "the mean", "second": "the median", "both": "the mean and the median"}
    if where in at:
        return f"at {at[where]} (to the {SHOWN_DIGITS} digits shown)"
    if where == "between":
        return "between the median and the mean"
    return f"{where} both the mean and the median"


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

    settings, value = {}, {}
    for loss in by_task("regression"):
        params = loss.resolve_params(picked_params if loss.id == picked_id else {})
        settings[loss.id] = settings_text(loss, params)
        value[loss.id] = constant(loss.id, params)
    found = []
    for loss in by_task("regression"):
        # The statistic's name is on the entry (`Loss.location_name`); where an M-estimate
        # lies against the mean and the median depends on the data (it can lie outside both
        # on skewed values), so that is said by `place`.
        what = loss.location_name
        if loss.id not in ("mse", "mae"):
            here = f"here {place(value[loss.id], value['mse'], value['mae'])}"
            what = f"{what}; {here}" if what else here
        found.append(Estimate(loss.id, loss.name, settings[loss.id], what, value[loss.id]))
    return found


def estimates_text(
    found: list[Estimate],
    values,
    is_outlier,
    picked_id: str,
    *,
    uploaded: bool = False,
) -> str:
    """The mean against the median, how far the outliers (``is_outlier``, bool (n,)) moved
    each of them (against the same ``values`` without them), and where the picked loss's
    estimate lies (`place`). ``uploaded``: a student's file, whose outliers nobody marked."""
    by_id = {estimate.loss_id: estimate for estimate in found}
    mean, median = by_id["mse"].value, by_id["mae"].value
    gap = mean - median
    sentences = [
        f"The mean (MSE's best constant) is {shown(mean)}, the median (MAE's) "
        f"{shown(median)}: the mean sits {abs(gap):.3g} {'above' if gap >= 0 else 'below'} "
        "the median."
    ]
    values = np.asarray(values, dtype=np.float64)
    is_outlier = np.asarray(is_outlier, dtype=bool)
    n_outliers = int(is_outlier.sum())
    if n_outliers and n_outliers < values.size:
        ordinary = values[~is_outlier]
        moved_mean = mean - float(np.mean(ordinary))
        moved_median = median - float(np.median(ordinary))
        sentences.append(
            f"Without the {n_outliers} outlier{'s' * (n_outliers != 1)} (×) the mean and the "
            "median would be "
            f"{shown(float(np.mean(ordinary)))} and {shown(float(np.median(ordinary)))}: "
            f"the outliers moved the mean by {signed(moved_mean, '+.3g')} and the median by "
            f"{signed(moved_median, '+.3g')}."
        )
    elif uploaded:
        sentences.append("Your file marks no point as an outlier.")
    else:
        sentences.append("No point is pushed off the line here (no ×).")
    if not uploaded:
        sentences.append("Move the outlier sliders and watch both numbers.")
    if picked_id not in ("mse", "mae"):
        picked = by_id[picked_id]
        sentences.append(
            f"The best constant of {picked.name}, {shown(picked.value)}, lies "
            f"{place(picked.value, mean, median)}."
        )
    return " ".join(sentences)
