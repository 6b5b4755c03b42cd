"""The live chart's Python half: frames that rebuild each step's figure exactly, and its
payloads."""

from __future__ import annotations

import base64
import hashlib
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from lessons.huber_lab import delta_sweep
from losses.data import make_regression
from ui import charts, frames
from ui.regression_cache import delta_steps, huber_specs


def _decoded(tree):
    """JSON figure data with packed arrays decoded to float lists: two encodings of the
    same figure (plotly.io.to_json, the live chart's own packing) compare equal."""
    if isinstance(tree, dict):
        if "bdata" in tree:
            values = np.frombuffer(base64.b64decode(tree["bdata"]), dtype=np.dtype(tree["dtype"]))
            return values.astype(float).tolist()
        return {name: _decoded(value) for name, value in tree.items()}
    if isinstance(tree, list):
        return [_decoded(value) for value in tree]
    if isinstance(tree, bool):
        return tree
    if isinstance(tree, int | float):
        return float(tree)
    return tree


def _comparable(figure: dict) -> dict:
    """``figure`` decoded, without empty layout lists: plotly.io.to_json leaves out an empty
    ``annotations`` or ``shapes`` list, which plotly.js draws as none, as it does a missing one."""
    figure = _decoded(figure)
    figure["layout"] = {name: value for name, value in figure["layout"].items() if value != []}
    return figure


def _as_plotly_sends(figure: go.Figure) -> dict:
    return _comparable(json.loads(pio.to_json(figure, validate=False)))


def _payload(animated: frames.Animated, step: int) -> dict:
    return {
        "figure": json.loads(animated.figure_json),
        "frames": json.loads(animated.frames_json),
        "active": step,
    }


def test_each_frame_rebuilds_its_figure_including_deleted_and_shared_values():
    x = np.linspace(0, 1, 100)
    steps = [
        go.Figure(
            [go.Scatter(x=x, y=x * a, name=f"a = {a}"), go.Scatter(x=x, y=x)],
            layout={"title": {"text": "t"} if a == 1 else None, "height": 300},
        )
        for a in (1, 2, 3)
    ]
    animated = frames.animate(steps)
    sent = json.loads(animated.frames_json)
    assert sent["pool"], "x recurs under every trace of every step: it travels once"
    for index, figure in enumerate(steps):
        shown = frames.shown_figure(_payload(animated, index))
        assert _comparable(shown) == _as_plotly_sends(figure)  # the figure itself is the reference


def test_frames_must_keep_the_traces():
    one = go.Figure([go.Scatter(y=[1, 2])])
    two = go.Figure([go.Scatter(y=[1, 2]), go.Scatter(y=[3, 4])])
    with pytest.raises(ValueError, match="same traces"):
        frames.animate([one, two])


def test_huber_lab_frames_equal_the_figures_built_at_each_delta():
    """The three charts a student scrubs through are, at every δ, the figures the builders
    give for that δ (validated by plotly as go.Figure): nothing is lost in the frames."""
    frame = make_regression(60, outlier_fraction=0.2, seed=4)
    sweep = delta_sweep(frame["x"].to_numpy(), frame["y"].to_numpy(), delta_steps())
    every_step = [huber_specs(frame, sweep, step) for step in range(len(sweep.deltas))]
    for chart, specs in enumerate(zip(*every_step, strict=True)):
        animated = frames.animate(specs)
        for index in (0, 7, 20, 33, 40):
            shown = frames.shown_figure(_payload(animated, index))
            assert _comparable(shown) == _as_plotly_sends(charts.figure(*specs[index])), (
                chart,
                index,
            )


def test_packing_matches_plotly_for_the_types_the_figures_use():
    values = {
        "f8": np.linspace(-1, 1, 70),
        "f4": np.linspace(-1, 1, 70, dtype=np.float32),
        "i8": np.arange(70, dtype=np.int64),  # plotly.js has no int64: sent as int32
        "u1": np.arange(70, dtype=np.uint8),
    }
    for name, array in values.items():
        packed = frames._plain({"y": array})["y"]
        assert packed["dtype"] != "i8", name
        reference = json.loads(pio.to_json(go.Figure(go.Scatter(y=array)), validate=False))
        assert _decoded(packed) == _decoded(reference["data"][0]["y"]), name
    assert frames._plain({"flags": np.array([True, False])}) == {"flags": [True, False]}


def test_a_figure_is_serialised_once_while_it_lives():
    import gc

    figure = go.Figure(go.Scatter(y=[1, 2]), layout={"height": 300})
    body, height, revision = frames.serialised(figure)
    assert json.loads(body)["data"][0]["y"] == [1, 2] and height == 300
    assert frames.serialised(figure) is frames.serialised(figure)  # written once, then kept
    assert revision == hashlib.sha256(body.encode()).hexdigest()[:16]
    key = id(figure)
    del figure
    gc.collect()
    assert key not in frames._serialised  # the entry went with its figure
