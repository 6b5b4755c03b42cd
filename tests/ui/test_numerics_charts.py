"""The numerics page's figures: every way of computing BCE stays visible where they agree."""

from __future__ import annotations

import pytest

from ui import numerics_cache
from ui.numerics_charts import WAYS


def charts() -> list:
    loss, grad, *_ = numerics_cache.bce_view(0.0)
    return [loss, grad, *numerics_cache.clip_view(1e-7)]


@pytest.mark.parametrize("chart", range(4))
def test_each_way_is_drawn_narrower_than_the_ways_under_it(chart):
    # Where the ways agree their lines coincide: each one drawn later (on top) must be at
    # least 2 px narrower than every line under it, leaving ≥ 1 px of that line on each side.
    widths = [trace.line.width for trace in charts()[chart].data]
    assert len(widths) == 3
    assert all(top <= under - 2 for i, under in enumerate(widths) for top in widths[i + 1 :])


def test_the_failure_box_names_each_failure_in_its_colour():
    # One box names every failure numerics_cache found, nearest z = 0 first, each in the
    # colour of its curve and its dotted line.
    loss, _, _, failures, _ = numerics_cache.bce_view(0.0)
    (box,) = loss.layout.annotations
    assert box.text.index("float32 fails") < box.text.index("float64 fails")
    for way, where in failures.items():
        assert f"<span style='color:{WAYS[way][1]}'>" in box.text
        assert f"at z ≈ {where:.3g}" in box.text
