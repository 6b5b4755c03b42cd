"""The network panels' picture: each class's region in its own colour, white where the network
is no surer than a guess; the PNG the quick path swaps in and the ½ line it redraws."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from ui import network_charts
from ui import network_charts as charts
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


def _decoded(url: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"))


def test_the_picture_png_shows_each_cell_in_the_heatmaps_colour():
    # A ramp over 3 rows × 4 columns, rows along x₂ upward (`picture_bytes`' grid, as
    # `lessons.network_lab` evaluates it): the PNG shows the top row first, each pixel the
    # colourscale's colour at its byte (`_palette`, the heatmap's zmin 0 … zmax 255).
    picture = np.linspace(0.0, 1.0, 12)
    rgb = _decoded(charts.picture_png(picture, 2, (3, 4)))
    expected = charts._palette(2)[charts.picture_bytes(picture, 2).reshape(3, 4)[::-1]]
    assert rgb.shape == (3, 4, 3)
    assert np.array_equal(rgb, expected)


def test_the_palette_runs_from_class_0_through_white_to_class_1():
    # `_colourscale` for two classes: the pale class colours at 0 and 1, white at ½.
    palette = charts._palette(2)
    assert "#{:02X}{:02X}{:02X}".format(*palette[0]) == charts.pale(charts.CLASS_COLOURS[0])
    assert "#{:02X}{:02X}{:02X}".format(*palette[255]) == charts.pale(charts.CLASS_COLOURS[1])
    assert palette[127].min() >= 253  # 127/255 is within 0.002 of ½: white, nearly


def test_the_half_line_of_a_ramp_is_where_it_crosses_a_half():
    # P = x₁ + 0.5 on a grid from -1 to 1: P = ½ on the line x₁ = 0, one polyline across.
    axis = np.linspace(-1.0, 1.0, 9)
    grid1, _ = np.meshgrid(axis, axis)
    xs, ys = charts.half_line((grid1 + 0.5).ravel(), axis, axis)
    assert not np.isnan(xs).any()  # one piece
    assert np.allclose(xs, 0.0)
    assert np.allclose(np.sort(ys), axis)  # a point on each row of the grid


def test_the_half_line_breaks_between_two_pieces():
    # Two bands where P ≥ ½ (columns 1 and 5 of 7): four vertical lines, NaN between them.
    axis = np.linspace(0.0, 6.0, 7)
    row = np.array([0, 1, 0, 0, 0, 1, 0], float)
    picture = np.tile(row, (7, 1)).ravel()
    xs, _ = charts.half_line(picture, axis, axis)
    pieces = np.split(xs, np.flatnonzero(np.isnan(xs)))
    assert len(pieces) == 4
    assert sorted(round(float(np.nanmean(piece)), 6) for piece in pieces) == [0.5, 1.5, 4.5, 5.5]
