"""Presentation mode's chart look: fonts at least 20 px, lines thicker, height capped."""

from __future__ import annotations

import json

from ui import presentation


def test_styled_enlarges_fonts_thickens_lines_and_caps_the_height():
    figure = {
        "data": [{"type": "scatter", "line": {"width": 2}, "marker": {"size": 5}}],
        "layout": {
            "font": {"size": 14},
            "height": 700,
            "legend": {"font": {"size": 12}},
            "annotations": [{"text": "a", "font": {"size": 30}}],
        },
    }
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


def test_styled_enlarges_every_font_a_chart_draws_and_lengthens_legend_symbols():
    figure = {
        "data": [
            # A confusion matrix's counts, a per-point size list left as the figure has it.
            {"type": "heatmap", "texttemplate": "%{text}", "textfont": {"size": 15}},
            {"type": "scatter", "mode": "text", "textfont": {"size": [8, 9]}},
        ],
        "layout": {
            "xaxis": {"type": "log", "tickfont": {"size": 12}},
            "yaxis": {"type": "log", "dtick": 1},
        },
    }
    body, _, _ = presentation.styled(json.dumps(figure), None, 400, "test-rev-3")
    shown = json.loads(body)
    assert shown["data"][0]["textfont"]["size"] == 20  # max(20, round(15 · 1.35) = 20)
    assert shown["data"][1]["textfont"]["size"] == [8, 9]
    assert shown["layout"]["xaxis"]["tickfont"]["size"] == 20  # max(20, round(12 · 1.35))
    # Plotly draws a log axis's 2s and 5s at 3/4 of the tick font: not while presenting.
    assert shown["layout"]["xaxis"]["minorloglabels"] == "none"
    assert "minorloglabels" not in shown["layout"]["yaxis"]  # its own dtick: powers of ten
    assert shown["layout"]["legend"]["itemwidth"] == presentation.LEGEND_ITEM
