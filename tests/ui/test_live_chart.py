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

from lessons.huber_lab import delta_sweep, huber_limits_each
from losses.data import make_regression
from ui import charts, frames
from ui.huber_charts import shared_tops
from ui.regression_cache import delta_steps, huber_animated, huber_axis, huber_specs


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


def _close(shown, reference, path=""):
    """``shown`` equals ``reference`` (decoded figures), numbers within float32's precision:
    a frame may send an array as a shorter form (`frames.Scaled`, `frames.Where`) that the
    browser computes in double precision from float32 parts, while the reference is the
    core's numbers rounded to float32 once."""
    if isinstance(reference, dict):
        assert isinstance(shown, dict) and set(shown) == set(reference), (path, shown, reference)
        for name in reference:
            _close(shown[name], reference[name], f"{path}.{name}")
    elif isinstance(reference, list) and reference and all(type(v) is float for v in reference):
        assert np.allclose(shown, reference, rtol=1e-6, atol=0), path
    elif isinstance(reference, list):
        assert isinstance(shown, list) and len(shown) == len(reference), path
        for index, (one, other) in enumerate(zip(shown, reference, strict=True)):
            _close(one, other, f"{path}[{index}]")
    else:
        assert shown == reference, (path, shown, reference)


@pytest.mark.parametrize(
    ("n", "outliers", "seed", "two_sided"), [(60, 0.2, 4, False), (300, 0.45, 1, True)]
)
def test_huber_lab_frames_equal_the_figures_built_at_each_delta(n, outliers, seed, two_sided):
    """The three charts a student scrubs through are, at every δ, the figures the builders
    give for that δ (validated by plotly as go.Figure): nothing is lost in the frames, which
    send each δ as a patch of the first (`huber_animated`)."""
    frame = make_regression(n, outlier_fraction=outliers, two_sided=two_sided, seed=seed)
    sweep = delta_sweep(frame["x"].to_numpy(), frame["y"].to_numpy(), delta_steps())
    axis = huber_axis(frame, sweep)
    animated = huber_animated(frame, sweep)
    tops = shared_tops(huber_limits_each(axis, sweep.deltas))
    for index in range(len(sweep.deltas)):
        specs = huber_specs(frame, sweep, index, axis, tops[index])
        for chart, (spec, chart_frames) in enumerate(zip(specs, animated, strict=True)):
            shown = frames.shown_figure(_payload(chart_frames, index))
            reference = _as_plotly_sends(charts.figure(*spec))
            _close(_comparable(shown), reference, f"chart {chart} at δ number {index}")


def test_the_huber_lab_sends_each_delta_as_a_short_patch():
    """A new data set costs the wire its three charts' frames: δ·|r| and Huber travel as
    shares of |r| and ½r² (sent once), the zones as masks of the data, so all 41 steps
    together stay under 150 kB (they were 432 kB as a full figure per step)."""
    frame = make_regression(200, outlier_fraction=0.1, seed=0)
    sweep = delta_sweep(frame["x"].to_numpy(), frame["y"].to_numpy(), delta_steps())
    sent = sum(
        len(chart.figure_json) + len(chart.frames_json) for chart in huber_animated(frame, sweep)
    )
    assert sent < 150_000


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


def test_a_frame_sends_derived_arrays_that_the_shown_figure_resolves():
    """`Subset`, `Scaled` and `Where` stand for arrays computed by hand here; the arrays
    they share travel once, in the pool; a dotted layout key reaches inside a value."""
    x = np.linspace(-2, 2, 80)
    trace = {"type": "scatter", "x": x, "y": x}
    figure = ([trace, trace], {"height": 300})  # a spec, as `ui.charts.figure` takes
    steps, layouts = [], []
    for factor in (0.5, 2.0):
        inside = np.abs(x) <= factor
        steps.append(
            {
                0: {"y": frames.Where(inside, x * x, frames.Scaled(np.abs(x), factor, -1.0))},
                1: {"x": frames.Subset(x, inside), "y": frames.Subset(x * 3, inside)},
            }
        )
        layouts.append({"xaxis.range": [-factor, factor], "yaxis.title.text": f"{factor}"})
    animated = frames.patched_frames(figure, steps, layouts)
    sent = json.loads(animated.frames_json)
    assert len(sent["pool"]) == 4  # x, x², |x| and 3x: each sent once
    for index, factor in enumerate((0.5, 2.0)):
        shown = _decoded(frames.shown_figure(_payload(animated, index)))
        inside = np.abs(x) <= factor
        # By hand: x² within ±factor, factor·|x| − 1 beyond; the points within ±factor.
        expected = np.where(inside, x * x, factor * np.abs(x) - 1.0)
        assert np.allclose(shown["data"][0]["y"], expected, rtol=1e-15, atol=0)
        assert shown["data"][1]["x"] == x[inside].tolist()
        assert shown["data"][1]["y"] == (x * 3)[inside].tolist()
        assert shown["layout"]["xaxis"]["range"] == [-factor, factor]
        assert shown["layout"]["yaxis"] == {"title": {"text": f"{factor}"}}
        assert shown["layout"]["height"] == 300.0  # keys not named stay as they were


def test_a_short_form_is_sent_only_where_it_equals_the_exact_numbers():
    exact = np.array([1.0, 4.0, 9.0])
    short = frames.Scaled(np.array([1.0, 4.0, 9.0], dtype=np.float32), 1.0)
    assert frames.checked(exact, short) is short
    wrong = frames.Scaled(np.array([1.0, 4.0, 9.0], dtype=np.float32), 1.001)
    sent = frames.checked(exact, wrong)  # 0.1 % off: the exact numbers go instead
    assert isinstance(sent, np.ndarray) and sent.dtype == np.float32
    assert sent.tolist() == [1.0, 4.0, 9.0]


def test_a_frame_patches_only_the_layout_leaves_that_change():
    """Two steps that differ in one axis's range and one shape's x0 patch those two leaves,
    by dotted path, and each step's figure is rebuilt (shown_figure) as it was built."""
    shapes = [{"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": 1}, {"type": "line", "x0": 2}]
    steps = [
        (
            [{"type": "scatter", "x": [0, 1], "y": [0, 1]}],
            {
                "xaxis": {"range": [0, r], "title": {"text": "x"}},
                "shapes": [{**shapes[0], "x0": r}, shapes[1]],
            },
        )
        for r in (1, 2)
    ]
    animated = frames.animate(steps)
    sent = json.loads(animated.frames_json)
    assert sent["steps"][1]["layout"] == {"xaxis.range": [0, 2], "shapes.0.x0": 2}
    for index, (data, layout) in enumerate(steps):
        shown = frames.shown_figure(_payload(animated, index))
        assert _comparable(shown) == _as_plotly_sends(charts.figure(data, layout))
