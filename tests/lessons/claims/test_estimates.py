"""Claims of the "What each loss estimates" tab (`lessons.estimates`) hold on the values on
screen, over the page's whole range of data and settings: where each best constant lies
against the mean and the median, and how far the outliers moved each.

Sources: the mean and median are numpy's (np.mean, np.median); the best constants are
`losses.fit.constant.best_constant`, which tests/losses/test_constant.py checks against
scipy.optimize; the one worked example below is checked against scipy.optimize here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.optimize
import scipy.special
from hypothesis import given, settings

from lessons import estimates
from tests.lessons.claims.regression_settings import file_values, generated_frame, picked_loss

SETTINGS = settings(max_examples=60, deadline=None)
PLACE = re.compile(
    r"(at the (mean and the median|mean|median) \(to the 4 digits shown\)"
    r"|between the median and the mean|(above|below) both the mean and the median)$"
)


def shown(value: float) -> str:
    """As the sentences print a number: 4 significant digits, a true minus sign."""
    return format(value, "z.4g").replace("-", "−")


def place_holds(claim: str, value: float, mean: float, median: float) -> bool:
    """Whether ``claim`` (one of `estimates.place`'s phrases) is true of the three numbers."""
    match = PLACE.fullmatch(claim)
    assert match, claim
    if match[2]:
        at = {"mean and the median": (mean, median), "mean": (mean,), "median": (median,)}
        return all(shown(value) == shown(other) for other in at[match[2]])
    if claim.startswith("between"):
        return min(mean, median) <= value <= max(mean, median)
    return value > max(mean, median) if match[3] == "above" else value < min(mean, median)


def check_every_claim(values, is_outlier, loss, params, uploaded):
    found = estimates.estimates(values, loss.id, params)
    mean, median = float(np.mean(values)), float(np.median(values))  # numpy
    for estimate in found:
        if estimate.loss_id in ("mse", "mae"):
            continue
        claim = estimate.what.split("here ")[-1]
        assert place_holds(claim, estimate.value, mean, median), (estimate, mean, median)
    text = estimates.estimates_text(found, values, is_outlier, loss.id, uploaded=uploaded)
    assert f"is {shown(mean)}, the median (MAE's) {shown(median)}" in text
    side = "above" if mean >= median else "below"
    assert f"the mean sits {abs(mean - median):.3g} {side} the median" in text
    n_outliers = int(np.sum(is_outlier))
    if n_outliers:
        ordinary = values[~is_outlier]
        without = f"would be {shown(np.mean(ordinary))} and {shown(np.median(ordinary))}"
        moved_mean = format(mean - np.mean(ordinary), "+z.3g").replace("-", "−")
        moved_median = format(median - np.median(ordinary), "+z.3g").replace("-", "−")
        moved = f"the outliers moved the mean by {moved_mean} and the median by {moved_median}."
        assert f"{without}: {moved}" in text
    elif uploaded:
        assert "Your file marks no point as an outlier." in text
    else:
        assert "No point is pushed off the line here (no ×)." in text
    assert ("outlier sliders" in text) is not uploaded
    picked = next(estimate for estimate in found if estimate.loss_id == loss.id)
    if loss.id in ("mse", "mae"):
        assert "The best constant of" not in text
    else:
        # One judgement: the sentence and the chart's hover say the same place.
        claim = picked.what.split("here ")[-1]
        assert f"The best constant of {loss.name}, {shown(picked.value)}, lies {claim}." in text


@SETTINGS
@given(frame=generated_frame(), picked=picked_loss())
def test_on_generated_data_every_claim_matches_the_numbers(frame, picked):
    values, _ = estimates.location_values(frame)
    check_every_claim(values, frame["is_outlier"].to_numpy(), *picked, uploaded=False)


@SETTINGS
@given(values=file_values(), picked=picked_loss())
def test_on_a_skewed_shifted_file_every_claim_matches_the_numbers(values, picked):
    check_every_claim(values, np.zeros(values.size, dtype=bool), *picked, uploaded=True)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_an_m_estimate_can_lie_beyond_the_median_and_says_so(sign):
    # A right-skewed bulk and one far point on the left: the mean (0.0375) is pulled below
    # the median (0.3), the M-estimates lie above both. scipy.optimize.minimize_scalar on the
    # mean of scipy.special.pseudo_huber(1, v − c) and of log(cosh(v − c)): 0.45072, 0.46905.
    values = sign * np.array([0.0, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, -6.0])
    by_id = {e.loss_id: e for e in estimates.estimates(values, "mse", {})}
    costs = {
        "pseudo_huber": lambda d: scipy.special.pseudo_huber(1.0, d),
        "log_cosh": lambda d: np.log(np.cosh(d)),
    }
    side = "above" if sign > 0 else "below"
    for loss_id, cost in costs.items():
        reference = scipy.optimize.minimize_scalar(
            lambda c, cost=cost: np.mean(cost(values - c)),
            bounds=(-6.0, 6.0),
            method="bounded",
            options={"xatol": 1e-10},
        ).x
        assert by_id[loss_id].value == pytest.approx(reference, abs=1e-7)
        assert by_id[loss_id].what.endswith(f"here {side} both the mean and the median")
    text = estimates.estimates_text(
        list(by_id.values()), values, np.zeros(8, dtype=bool), "log_cosh", uploaded=True
    )
    assert text.endswith(f"lies {side} both the mean and the median.")
    assert "Your file marks no point as an outlier." in text
