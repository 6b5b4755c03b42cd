"""The network page's probability picture: each class's region in its own colour, white where
the network is no surer than a guess."""

import numpy as np
import pytest

from ui import network_charts
from ui.charts import CLASS_COLOURS


def _colour_at(scale: list, byte: int) -> str:
    """The colour a heatmap with zmin 0, zmax 255 draws ``byte`` in: the stop at its
    place (every byte `picture_bytes` makes sits on a stop or between a ramp's ends)."""
    place = byte / 255
    for position, colour in scale:
        if abs(position - place) < 1e-9:
            return colour
    return ""


@pytest.mark.parametrize("k", [3, 4, 5])
def test_each_class_is_drawn_in_its_colour_and_white_at_even_odds(k):
    scale = network_charts._colourscale(k)
    # Lessons' picture: class c with probability p as c + p, p capped below 1 (network_lab).
    certain = np.arange(k) + (1.0 - 1e-6)
    guess = np.arange(k) + 1.0 / k
    sure_bytes = network_charts.picture_bytes(certain, k)
    unsure_bytes = network_charts.picture_bytes(guess, k)
    for cls, (sure, unsure) in enumerate(zip(sure_bytes, unsure_bytes, strict=True)):
        assert _colour_at(scale, int(sure)) == network_charts.pale(CLASS_COLOURS[cls])
        assert _colour_at(scale, int(unsure)) == "#FFFFFF"


def test_a_surer_cell_is_drawn_further_from_white():
    # Hand-derived: class 1 of 3 at p = 0.5, 0.75, 1 lies ¼, ⅝ and all the way up its band.
    drawn = network_charts.picture_bytes(np.array([1.5, 1.75, 1.999999]), 3)
    width = network_charts.band(3)
    assert list(drawn) == [width + round(0.25 * (width - 1)), width + 52, 2 * width - 1]
