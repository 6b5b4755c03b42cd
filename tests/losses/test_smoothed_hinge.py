"""The smoothed hinge used to fit the hinge: close to it, and its gradient is exact."""

import numpy as np
import pytest

from losses import binary

SCORES = np.linspace(-3, 3, 601)


@pytest.mark.parametrize("smoothing", [1.0, 1e-3, 1e-6])
@pytest.mark.parametrize("label", [0.0, 1.0])
def test_smoothed_hinge_lies_within_half_the_corner_width_below_the_hinge(smoothing, label):
    # Hand-derived: u − μ/2 ≤ huberised(u) ≤ u for u ≥ 0, so 0 ≤ hinge − smoothed ≤ μ/2.
    labels = np.full_like(SCORES, label)
    gap = binary.hinge(labels, SCORES) - binary.smoothed_hinge(labels, SCORES, smoothing=smoothing)
    assert np.all(gap >= 0) and np.all(gap <= smoothing / 2 + 1e-15)


@pytest.mark.parametrize("smoothing", [1.0, 0.1])
@pytest.mark.parametrize("label", [0.0, 1.0])
def test_smoothed_hinge_gradient_matches_central_differences(smoothing, label):
    labels = np.full_like(SCORES, label)
    step = 1e-6

    def value(scores):
        return binary.smoothed_hinge(labels, scores, smoothing=smoothing)

    numeric = (value(SCORES + step) - value(SCORES - step)) / (2 * step)
    exact = binary.smoothed_hinge_grad(labels, SCORES, smoothing=smoothing)
    # Away from the two joins (u = 0 and u = μ), where the second derivative jumps.
    shortfall = 1 - (2 * label - 1) * SCORES
    away = (np.abs(shortfall) > 1e-3) & (np.abs(shortfall - smoothing) > 1e-3)
    np.testing.assert_allclose(exact[away], numeric[away], atol=1e-8)
