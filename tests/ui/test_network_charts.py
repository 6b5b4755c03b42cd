"""The network panels' picture and ½ line, as ui/network_charts.py builds them for the
browser: a PNG the quick path swaps in, a polyline it redraws."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from ui import network_charts as charts


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
