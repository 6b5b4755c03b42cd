"""The gradient-descent page (issue 12): building its frames on the server, and playing an
epoch step in Chromium. Run from the project root:

    python bench/bench_descent.py            # both parts, a Markdown report
    python bench/bench_descent.py --server   # the server part only (no browser)

Server: for n = 5,000 points and 2,000 full-batch epochs, the time to run the descent and
build the page's three figures and their frames (`lessons.descent.snapshots` steps, the
path, `ui.descent_charts`), as the page's cache does on a miss — the landscape's grid
(cached apart, and the same for every η, epoch count, momentum and batch) timed on its
own. Reference in the same run: one NumPy pass over the data (``np.subtract`` of two
n-arrays into a buffer), so the ratio travels between machines. Target: under 300 ms.

Browser: the page at n = 5,000 and 2,000 epochs; the scrubber is stepped (an ``input``
event, as a drag or the play button makes) 200 times, one step per animation frame. Per
step, the frame's time: from the frame's start (the rAF timestamp) to the end of its
rendering (a message posted from the frame's last rAF callback, delivered after paint),
with the three charts redrawn in it. Reference: the same measurement on a frame in which
nothing changes. Target: the step fits one frame, ≤ 17 ms median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lessons import descent as lesson  # noqa: E402
from losses.data import make_regression  # noqa: E402
from losses.fit import descent  # noqa: E402
from losses.fit.line import fit_line  # noqa: E402
from ui.charts import TRUTH_COLOUR, colour_for  # noqa: E402
from ui.descent_charts import (  # noqa: E402
    cost_epoch_figure,
    data_figure,
    descent_frames,
    landscape_figure,
)
from ui.regression_charts import Line  # noqa: E402

N, EPOCHS, REPEATS = 5_000, 2_000, 9


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def build(x, y, is_outlier, is_added, loss_id, grid):
    path = descent.gradient_descent(x, y, loss_id, learning_rate=0.02, epochs=EPOCHS)
    best = fit_line(x, y, loss_id).params
    minimum = (best["intercept"], best["slope"])
    a_values, b_values, costs = grid
    colour = colour_for(loss_id)
    end = (float(path.intercepts[-1]), float(path.slopes[-1]))
    land = landscape_figure(
        a_values,
        b_values,
        costs,
        log=lesson.log_colour(costs),
        colour=colour,
        start=(0.0, 0.0),
        minimum=minimum,
        current=end,
        path=(path.intercepts, path.slopes),
    )
    truth = Line("true line", 1.0, 2.0, TRUTH_COLOUR, dash="dot")
    data, line = data_figure(
        x,
        y,
        is_outlier,
        is_added,
        truth=truth,
        minimum=Line("minimum", *minimum, colour, dash="dash"),
        current=Line("descent's line", *end, colour),
    )
    cost = cost_epoch_figure(
        path.costs,
        minimum_cost=float(path.costs.min()),
        colour=colour,
        name=loss_id,
        current=path.epochs,
    )
    return descent_frames(
        land,
        data,
        line,
        cost,
        epochs=lesson.snapshots(path.epochs),
        intercepts=path.intercepts,
        slopes=path.slopes,
        costs=path.costs,
        x_range=(float(x.min()), float(x.max())),
        spans=(float(np.ptp(a_values)), float(np.ptp(b_values))),
    )


def server_part() -> list[str]:
    frame = make_regression(N, outlier_fraction=0.2)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    is_outlier = frame["is_outlier"].to_numpy()
    is_added = np.zeros(N, dtype=bool)
    buffer = np.empty(N)
    floor = []
    for _ in range(200):
        started = time.perf_counter()
        np.subtract(y, x, out=buffer)
        floor.append(time.perf_counter() - started)
    floor_ms = statistics.median(floor) * 1e3
    lines = [
        f"n = {N:,}, {EPOCHS:,} full-batch epochs, η = 0.02, {REPEATS} repeats; one NumPy "
        f"pass (reference) = {floor_ms * 1e3:.1f} µs.",
        "",
        "| loss | descent + figures + frames, median / p95 ms | ratio to one pass | "
        "landscape 71×71, median ms | frames JSON kB |",
        "|---|---|---|---|---|",
    ]
    for loss_id in ("mse", "huber", "mae", "log_cosh"):
        window = lesson.window([0.0, 1.0], [0.0, 2.0], x=x, y=y)
        a_values = np.linspace(window.a_low, window.a_high, 71)
        b_values = np.linspace(window.b_low, window.b_high, 71)
        grid_times = []
        for _ in range(3):
            started = time.perf_counter()
            costs = descent.cost_landscape(x, y, loss_id, a_values, b_values)
            grid_times.append(time.perf_counter() - started)
        grid = (a_values, b_values, costs)
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            frames = build(x, y, is_outlier, is_added, loss_id, grid)
            times.append(time.perf_counter() - started)
        median, p95 = _stats([t * 1e3 for t in times])
        size = sum(len(f.frames_json) for f in frames) / 1e3
        lines.append(
            f"| {loss_id} | {median:.0f} / {p95:.0f} | {median / floor_ms:,.0f}× | "
            f"{statistics.median(grid_times) * 1e3:.0f} | {size:.0f} |"
        )
    return lines


STEP_FRAMES = """async ([steps, idle]) => {
  const input = document.querySelector('.st-key-gd_epoch input');
  const last = Number(input.max);
  const frame = (move) => new Promise((resolve) => {
    requestAnimationFrame(() => {
      if (move) move();
      // drawNext (requested by the move) runs in the next frame, before this callback.
      requestAnimationFrame((start) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - start);
        channel.port2.postMessage(0);
      });
    });
  });
  const times = [];
  for (let k = 0; k < steps; k++) {
    times.push(await frame(idle ? null : () => {
      input.value = String((k % last) + 1);
      input.dispatchEvent(new Event('input', {bubbles: true}));
    }));
  }
  return times;
}"""


def browser_part() -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.streamlit_browser import launch_chromium, open_page, streamlit_server

    rows = []
    with streamlit_server("app.py") as (base_url, _), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for n in (200, 5000):
            tab = browser.new_page(viewport={"width": 1280, "height": 1400})
            open_page(tab, f"{base_url}/gradient_descent?gd_data_n={n}&gd_epochs=2000")
            tab.wait_for_timeout(1500)
            idle = _stats(tab.evaluate(STEP_FRAMES, [200, True]))
            steps = _stats(tab.evaluate(STEP_FRAMES, [200, False]))
            rows.append(
                f"| n = {n:,}: nothing changes (reference) | {idle[0]:.1f} | {idle[1]:.1f} |"
            )
            rows.append(
                f"| n = {n:,}: one epoch step, three charts moved | {steps[0]:.1f} | "
                f"{steps[1]:.1f} |"
            )
            tab.close()
        browser.close()
    return [
        "Chromium (headless, no GPU), 1280×1400, 2,000 epochs, 200 steps of the scrubber:",
        "",
        "| frame | median ms | p95 ms |",
        "|---|---|---|",
        *rows,
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", action="store_true", help="the server part only")
    args = parser.parse_args()
    report = ["### Building the frames (server)", "", *server_part()]
    if not args.server:
        report += ["", "### Playing an epoch step (browser)", "", *browser_part()]
    print("\n".join(report))


if __name__ == "__main__":
    main()
