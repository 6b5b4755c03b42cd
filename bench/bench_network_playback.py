"""The client-side scrubs in Chromium: the browser's work per scrubber step — the network
and gradient-descent playbacks, the Huber lab's δ and the compare page's point, at their
defaults and at n = 5,000. Run from the project root:

    python bench/bench_network_playback.py              # 50 steps per page, Markdown report
    python bench/bench_network_playback.py --steps 30

Headless Chromium at 1280×800. The epoch scrubber is focused and stepped with the keyboard
(ArrowRight, through Playwright), one step at a time: each is measured, then the next key
is pressed. Every chart following the scrubber moves: on /network at its defaults (two
moons, 400 points, 500 epochs, 51 snapshots) the two panels (48×48 picture, ½ line,
300 points' sizes each), the cost chart's epoch marker and the reliability diagram; the
spiral of 3 classes (no ½ line) and the sine curve with 10 % outliers (two curve panels and
the cost marker) are timed too. A chart whose frame ui/live_chart.js can draw without
Plotly (`quickMove`) is redrawn by Plotly once the scrubber rests: not part of a step.

Per step, measured inside the page: the live chart redraws in animation frames
(ui/live_chart.js `drawNext`, found by its name: heavy redraws one per frame). Each such
frame's work runs from the start of `drawNext` to the end of the frame's rendering (a
message posted after `drawNext`, delivered after paint); a step's **work** is the sum over
its frames, its **latency** runs from the key's event time to the last frame painted.
`Plotly.react` is wrapped to time each chart's call (synchronous part).

Reference, same run: the Gradient descent page at 200 epochs stepped the same way (the
path growing on its landscape; its charts move their marks without Plotly). Targets:
a step ≤ 16 ms of work (issues 28, 29); key press → last chart painted ≤ 33 ms median
(issue 29).

``--breakdown`` adds where panel A's catch-up redraw (once the scrubber rests) goes:
`Plotly.react` on it from one snapshot to the next, and with nothing changed; and its parts
(picture, ½ line, points, the axes, title and legend) replotted alone on a scratch chart of
the same size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.streamlit_browser import (  # noqa: E402
    launch_chromium,
    open_page,
    streamlit_server,
)

PAGES = (
    # (name, path, query, scrubber key)
    ("Gradient descent (reference)", "/gradient_descent", {"gd_epochs": 200}, "gd_epoch"),
    ("Train a network: two moons", "/network", {}, "net_epoch"),
    (
        "Train a network: spiral (3 classes)",
        "/network",
        {"net_data_set": "spiral (3 classes)"},
        "net_epoch",
    ),
    (
        "Train a network: sine, 10 % outliers",
        "/network",
        {"net_data_set": "sine curve (regression)", "net_data_outliers": 0.1},
        "net_epoch",
    ),
    ("Train a network: two moons, n = 5,000", "/network", {"net_data_n": 5000}, "net_epoch"),
    ("Gradient descent, n = 5,000", "/gradient_descent", {"gd_data_n": 5000}, "gd_epoch"),
    ("Huber δ lab: δ", "/huber", {}, "hub_huber_delta"),
    ("Huber δ lab: δ, n = 5,000", "/huber", {"hub_data_n": 5000}, "hub_huber_delta"),
    ("Compare: the point r", "/compare", {}, "cmp_r"),
)

QUIET_MS = 1_000

INSTRUMENT = """() => {
  const bench = window.__bench = {reacts: [], frames: [], pending: 0, requested: 0,
                                  step: null};
  const react = window.Plotly.react;
  window.Plotly.react = function (div, ...rest) {
    const began = performance.now();
    const result = react.call(this, div, ...rest);
    const box = div.closest('[class*="st-key-"]');
    const key = box ? [...box.classList].find((name) => name.startsWith('st-key-')) : '?';
    bench.reacts.push({key: key.slice(7), ms: performance.now() - began});
    bench.pending += 1;
    Promise.resolve(result).finally(() => { bench.pending -= 1; });
    return result;
  };
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => {
    if (callback.name !== 'drawNext') return request(callback);
    bench.requested += 1;
    return request((time) => {
      const began = performance.now();
      bench.requested -= 1;
      callback(time);
      const frame = {began, ran: performance.now() - began, painted: null};
      bench.frames.push(frame);
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { frame.painted = performance.now(); };
      channel.port2.postMessage(0);
    });
  };
  document.addEventListener('keydown', (event) => {
    bench.step = {key: event.timeStamp, firstFrame: bench.frames.length,
                  firstReact: bench.reacts.length};
  }, true);
}"""

# Resolves once the step's frames are drawn and painted and nothing more is requested
# (null when no frame came within `quiet` ms: a key that moved nothing).
STEP_DONE = """(quiet) => new Promise((resolve) => {
  const bench = window.__bench;
  const asked = performance.now();
  const check = () => {
    const frames = bench.frames.slice(bench.step.firstFrame);
    if (!frames.length && performance.now() - asked > quiet) return resolve(null);
    const settled = bench.requested === 0 && bench.pending === 0 && frames.length > 0
      && frames.every((frame) => frame.painted !== null);
    if (!settled) return setTimeout(check, 5);
    const reacts = bench.reacts.slice(bench.step.firstReact);
    resolve({
      frames: frames.length,
      work: frames.reduce((sum, frame) => sum + (frame.painted - frame.began), 0),
      script: frames.reduce((sum, frame) => sum + frame.ran, 0),
      latency: frames.at(-1).painted - bench.step.key,
      reacts,
    });
  };
  check();
})"""

# Panel A's redraw taken apart: what Plotly does once the scrubber rests (the quick path's
# catch-up, ui/live_chart.js). On the panel: Plotly.react from one snapshot's figure to the
# next's, and with nothing changed. On a scratch chart of the same size: the panel's parts
# alone (Plotly.react of a copy, which replots them in full, as a step does). The variants
# take turns, so a burst of load on the machine hits them alike; each redraw is timed
# inside one animation frame: its script, and start → end of paint.
BREAKDOWN = """async ([before, after, beforeLayout, afterLayout, repeats]) => {
  const plot = document.querySelector('.st-key-net_panel_a .live-chart');
  const react = window.Plotly.react;
  const scratch = document.createElement('div');
  scratch.style.width = `${plot.clientWidth}px`;
  scratch.style.height = `${plot.clientHeight}px`;
  document.body.prepend(scratch);
  const copies = (traces) => traces.map((trace) => ({...trace}));
  const layout = beforeLayout;
  const noImage = {...layout, images: []};
  const bare = {...noImage, showlegend: false, title: {text: ''}};
  const onPanel = [
    ['panel: a step (picture, ½ line, sizes)', before, after, afterLayout],
    ['panel: nothing changes', before, before, layout],
  ];
  const alone = [
    ['scratch: the whole panel', before, layout],
    ['scratch: the picture (layout image) alone', [], layout],
    ['scratch: the ½ line alone', before.slice(0, 1), noImage],
    ['scratch: the points alone', before.slice(1), noImage],
    ['scratch: the points, no legend', before.slice(1), {...noImage, showlegend: false}],
    ['scratch: axes, title and legend box, no traces', [], noImage],
    ['scratch: axes only', [], bare],
  ];
  const frame = (draw) => new Promise((resolve) => requestAnimationFrame(() => {
    const began = performance.now();
    draw();
    const ran = performance.now() - began;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve([ran, performance.now() - began]);
    channel.port2.postMessage(0);
  }));
  const names = [...onPanel, ...alone].map(([name]) => name);
  const results = Object.fromEntries(names.map((name) => [name, {script: [], frame: []}]));
  const note = (name, [ran, whole]) => {
    results[name].script.push(ran);
    results[name].frame.push(whole);
  };
  for (let k = 0; k < repeats; k++) {
    for (const [name, start, next, nextLayout] of onPanel) {
      await frame(() => react(plot, start, layout));  // untimed: back to the start
      note(name, await frame(() => react(plot, next, nextLayout)));
    }
    for (const [name, traces, shown] of alone) {
      window.Plotly.purge(scratch);
      await window.Plotly.newPlot(scratch, traces, shown);
      note(name, await frame(() => react(scratch, copies(traces), {...shown})));
    }
  }
  window.Plotly.purge(scratch);
  scratch.remove();
  await frame(() => react(plot, before, layout));
  return results;
}"""


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def step_through(tab, key: str, steps: int) -> list[dict]:
    """Step the scrubber ``key`` from its first step ``steps`` times with ArrowRight."""
    tab.evaluate(INSTRUMENT)
    scrubber = tab.locator(f".st-key-{key} input[type='range']")
    scrubber.focus()
    tab.keyboard.press("Home")
    tab.evaluate(STEP_DONE, QUIET_MS)
    measured = []
    for _ in range(steps):
        tab.keyboard.press("ArrowRight")
        step = tab.evaluate(STEP_DONE, QUIET_MS)
        if step is None:
            raise RuntimeError("a step drew no frame: has ui/live_chart.js renamed drawNext?")
        measured.append(step)
    return measured


def breakdown(tab, repeats: int) -> dict[str, list[float]]:
    """Panel A's `Plotly.react` with parts of two snapshots' traces (the frames' objects)."""
    scrubber = tab.locator(".st-key-net_epoch input[type='range']")
    scrubber.focus()
    tab.keyboard.press("Home")
    tab.evaluate(STEP_DONE, QUIET_MS)
    tab.wait_for_timeout(QUIET_MS)  # the quick path's catch-up redraw has run
    tab.evaluate(
        "() => { const plot = document.querySelector('.st-key-net_panel_a .live-chart');"
        " window.__before = [plot.data, {...plot.layout}]; }"
    )
    tab.keyboard.press("ArrowRight")
    tab.evaluate(STEP_DONE, QUIET_MS)
    tab.wait_for_timeout(QUIET_MS)
    return tab.evaluate(
        "(repeats) => { const plot = document.querySelector('.st-key-net_panel_a .live-chart');"
        " return (" + BREAKDOWN + ")([window.__before[0], plot.data, window.__before[1],"
        " {...plot.layout}, repeats]); }",
        repeats,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows, react_rows, parts = [], [], {}
    with streamlit_server("app.py") as (base_url, _), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for name, path, query, key in PAGES:
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            open_page(tab, f"{base_url}{path}?{urlencode(query, quote_via=quote)}")
            steps = step_through(tab, key, args.steps)
            work = _stats([step["work"] for step in steps])
            script = _stats([step["script"] for step in steps])
            latency = _stats([step["latency"] for step in steps])
            frames = statistics.median(step["frames"] for step in steps)
            rows.append(
                f"| {name} | {work[0]:.1f} / {work[1]:.1f} | {script[0]:.1f} / {script[1]:.1f} "
                f"| {latency[0]:.1f} / {latency[1]:.1f} | {frames:g} |"
            )
            by_chart: dict[str, list[float]] = {}
            for step in steps:
                for call in step["reacts"]:
                    by_chart.setdefault(call["key"], []).append(call["ms"])
            for chart, times in by_chart.items():
                median, p95 = _stats(times)
                react_rows.append(f"| {name} | {chart} | {len(times)} | {median:.1f} / {p95:.1f} |")
            if args.breakdown and key == "net_epoch" and not query:
                parts = breakdown(tab, args.repeats)
            tab.close()
        browser.close()
    report = [
        f"Chromium (headless, no GPU), 1280×800, {args.steps} ArrowRight steps per page; "
        "median / p95 ms:",
        "",
        "| page | work per step | of which drawNext's script | key → last chart painted "
        "| frames per step (median) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "`Plotly.react` per chart, synchronous part (calls in the steps above):",
        "",
        "| page | chart | calls | median / p95 ms |",
        "|---|---|---|---|",
        *react_rows,
    ]
    if parts:
        report += [
            "",
            f"Panel A (two moons) and its parts redrawn by `Plotly.react`, {args.repeats} "
            "times each (variants in turn), median / p95 ms:",
            "",
            "| what is redrawn | script | frame (start → painted) |",
            "|---|---|---|",
            *(
                f"| {name} | {_stats(times['script'])[0]:.1f} / {_stats(times['script'])[1]:.1f} "
                f"| {_stats(times['frame'])[0]:.1f} / {_stats(times['frame'])[1]:.1f} |"
                for name, times in parts.items()
            ),
        ]
    print("\n".join(report))


if __name__ == "__main__":
    main()
