"""Presentation mode's chart look: fonts at least 20 px, lines thicker, height capped."""

from __future__ import annotations

import json

from ui import presentation


def test_styled_enlarges_fonts_thickens_lines_and_caps_the_height():
    figure = {
        "data": [{"type": "scatter", "line": {"width": 2}, "marker": {"size": 5}}],
        "layout": {"font": {"size": 14}, "height": 700, "legend": {"font": {"size": 12}},
                   "annotations": [{"text": "a", "font": {"size": 30}}]},
    }  # fmt: skip
    body, frames, height = presentation.styled(json.dumps(figure), None, 700, "test-rev-1")
    shown = json.loads(body)
    assert height == presentation.MAX_HEIGHT == shown["layout"]["height"]
    assert shown["layout"]["font"]["size"] == 20  # max(20, round(14 · 1.35) = 19)
    assert shown["layout"]["legend"]["font"]["size"] == 20
    assert shown["layout"]["annotations"][0]["font"]["size"] == 40  # round(30 · 1.35) = 40.5
    assert shown["data"][0]["line"]["width"] == 3.2  # 2 · 1.6
    assert shown["data"][0]["marker"] == {"size": 5}
    assert frames is None


def test_styled_frames_get_the_same_line_widths():
    frames = json.dumps({"pool": [], "steps": [[{"line": {"width": 1}}]]})
    figure = json.dumps({"data": [], "layout": {}})
    _, shown, height = presentation.styled(figure, frames, 300, "test-rev-2")
    assert height == 300
    assert json.loads(shown)["steps"][0][0]["line"]["width"] == 1.6
