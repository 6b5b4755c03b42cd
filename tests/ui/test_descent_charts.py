"""The gradient-descent page's figure helpers: a growing path's points and the cost axis."""

import base64
import json

import numpy as np

from lessons import descent as lesson
from losses.data import make_regression
from losses.fit import descent
from ui import descent_charts, frames
from ui.descent_charts import cost_axis, growing


def test_a_growing_trace_ends_at_each_epoch_and_drops_only_points_near_one_kept():
    # MAE at η = 0.02 bounces around its minimum (lessons.descent.judge says "Still
    # bouncing" on these data): a zigzag the thinning must keep wherever it is visible.
    frame = make_regression(200, outlier_fraction=0.2)
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mae", learning_rate=0.02, epochs=1000
    )
    a, b = path.intercepts / 5.0, path.slopes / 3.0  # in units of a 5 × 3 view
    ends = np.array([0, 1, 7, 40, 500, 1000])
    drawn = growing([a, b], ends)
    tolerance = descent_charts.DRAWN_TOLERANCE
    for end, indices in zip(ends, drawn, strict=True):
        assert indices[0] == 0 and indices[-1] <= end and np.all(np.diff(indices) > 0)
        # It ends at the end, or within the tolerance of it (a path that has stopped).
        last = indices[-1]
        assert last == end or max(abs(a[end] - a[last]), abs(b[end] - b[last])) <= tolerance
        # A point left out lies within the tolerance of the last kept point before it.
        for index in range(end + 1):
            before = indices[indices <= index][-1]
            gap = max(abs(a[index] - a[before]), abs(b[index] - b[before]))
            assert gap <= tolerance + 1e-12
    assert drawn[-1].size < 1001  # the thinning saves points on the way down


def test_growing_stays_within_its_budget(monkeypatch):
    monkeypatch.setattr(descent_charts, "MAX_DRAWN", 500)
    zigzag = np.tile([0.0, 1.0], 500)  # every step crosses the whole view
    ends = np.arange(0, 1000, 5)
    drawn = growing([zigzag, zigzag], ends)
    assert sum(indices.size for indices in drawn) <= 500 + ends.size


def test_the_cost_axis_keeps_its_labels_apart():
    near = cost_axis(1.0, 50.0)  # under two decades: 1-2-5 labels in plain numbers
    assert near["dtick"] == "D2" and near["tickformat"] == "~g"
    # A diverging run's costs: 241 at the start to the bound 2.41e8 (six decades, the
    # scene's η = 0.0315 run, lessons.descent.judge): powers of ten, at most five labels.
    far = cost_axis(241.2, 2.41e8)
    assert far["exponentformat"] == "power" and "tickformat" not in far
    decades = far["range"][1] - far["range"][0]
    assert isinstance(far["dtick"], int) and decades / far["dtick"] <= 6


def test_a_path_that_has_stopped_travels_once():
    # MSE at η = 0.02 converges on these data (lessons.descent.judge: "Converged"): its
    # late frames draw the same points, which the frames send once, in their pool.
    frame = make_regression(200)
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mse", learning_rate=0.02, epochs=1000
    )
    grid = np.ones((5, 5))
    landscape = descent_charts.landscape_figure(
        np.linspace(-3, 5, 5),
        np.linspace(-1, 4, 5),
        grid,
        log=False,
        colour="red",
        start=(0.0, 0.0),
        minimum=None,
        current=(0.0, 0.0),
    )
    animated = descent_charts.descent_frames(
        landscape,
        landscape,
        4,
        landscape,
        epochs=lesson.snapshots(1000),
        intercepts=path.intercepts,
        slopes=path.slopes,
        costs=path.costs,
        x_range=(0.0, 10.0),
        spans=(8.0, 5.0),
    )
    frames = json.loads(animated[0].frames_json)
    assert frames["pool"], "the stopped path's points recur in every late frame"
    # Every step's path is a share of the last one's points, which travel once, pooled.
    paths = [step["data"][str(descent_charts.LANDSCAPE_PATH)] for step in frames["steps"]]
    assert {json.dumps(path["x"]["of"]) for path in paths} == {json.dumps(paths[-1]["x"]["of"])}
    assert set(paths[-1]["x"]["of"]) == {"pool"}
    assert all(len(path["x"]["tail"]) <= 1 for path in paths)  # at most its own end


def test_each_frame_draws_the_points_growing_keeps_to_its_epoch():
    # The frames send each step's path as a share of the last one's (`Prefix`): shown,
    # it is `growing`'s points for that epoch, drawn as float32.
    frame = make_regression(200, outlier_fraction=0.2, seed=3)
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mae", learning_rate=0.05, epochs=400
    )
    landscape = descent_charts.landscape_figure(
        np.linspace(-3, 5, 5),
        np.linspace(-1, 4, 5),
        np.ones((5, 5)),
        log=False,
        colour="red",
        start=(0.0, 0.0),
        minimum=None,
        current=(0.0, 0.0),
    )
    epochs = lesson.snapshots(400)
    animated = descent_charts.landscape_frames(
        landscape, epochs=epochs, intercepts=path.intercepts, slopes=path.slopes, spans=(8.0, 5.0)
    )
    kept = descent_charts.growing([path.intercepts / 8.0, path.slopes / 5.0], epochs)
    payload = {
        "figure": json.loads(animated.figure_json),
        "frames": json.loads(animated.frames_json),
    }
    for step, indices in enumerate(kept):
        shown = frames.shown_figure(payload | {"active": step})["data"][
            descent_charts.LANDSCAPE_PATH
        ]
        for axis, values in (("x", path.intercepts), ("y", path.slopes)):
            decoded = np.frombuffer(
                base64.b64decode(shown[axis]["bdata"]), dtype=shown[axis]["dtype"]
            )
            assert decoded.tolist() == values[indices].astype(np.float32).tolist(), (step, axis)
