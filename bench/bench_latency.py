"""Latency of a slider move, per page: server script time and key press → chart redrawn.

Targets (issue "Real-browser tests, a latency budget…"): server ≤ 30 ms median per rerun;
in the browser ≤ 150 ms median and ≤ 300 ms p95 from a slider key press to the redrawn chart.
Run from the project root (needs Playwright and Debian's Chromium, as the e2e tests do):

    python bench/bench_latency.py              # prints a Markdown report
    python bench/bench_latency.py --moves 30 --pages regression,bare
    python bench/bench_latency.py --before ../landed   # the same run on another checkout

Each page is served by a fresh `streamlit run` (caches cold), wrapped by
bench/timed_streamlit.py so that every script run's time is logged by the server itself.
Per page, in one headless Chromium tab at 1280×800:
- "at defaults": the page reloaded `--reruns` times (a new session's run at the page's
  defaults, caches warm: the app's hotkey for a plain rerun is off in a minimal toolbar);
- "cold": the page's main slider moved `--moves` key presses in one direction, every value
  new to the server, so everything it depends on is recomputed;
- "warm": the same presses back, every value seen before (the caches answer).
A move's browser time runs from the keydown event to the animation frame in which the last
Plotly chart mutation of that rerun is painted (measured in the page with performance.now()).
The bare page (bench/bare_slider_app.py: one slider, one 1,000-point line) is the floor.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests.e2e.streamlit_browser import (  # noqa: E402
    IDLE,
    PROJECT_ROOT,
    launch_chromium,
    open_page,
    slider_input,
    streamlit_server,
)

TARGET_SERVER_MEDIAN_MS = 30
TARGET_BROWSER_MEDIAN_MS = 150
TARGET_BROWSER_P95_MS = 300
# Issue "Charts that update in place": against the bare page measured in the same run.
TARGET_RATIO_MEDIAN = 1.5
TARGET_RATIO_P95 = 2.0
TARGET_CLIENT_MS = 50


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str  # URL path of the page
    slider: str  # key of the slider moved
    direction: str  # "ArrowRight" or "ArrowLeft": the way with enough new values
    query: str = ""  # settings that differ from the page's defaults
    script: str = "app.py"
    why: str = ""
    client: bool = False  # the control plays frames in the browser (ui.scrubber)
    root: Path = PROJECT_ROOT  # the checkout served ("before": the landed app)


SCENARIOS = (
    Scenario(
        "bare",
        "/",
        "frequency",
        "ArrowRight",
        script="bench/bare_slider_app.py",
        why="floor: one slider, one 1,000-point line",
    ),
    # Down from δ = 1: above δ ≈ 5 every residual of the example table is inside ±δ, so the
    # bars stop changing and an upward move has nothing to redraw (no chart change to time).
    Scenario(
        "home",
        "/",
        "cost_huber_delta",
        "ArrowLeft",
        query="cost_loss_regression=Huber",
        why="Huber's δ, down from 1 to 0.01 (MSE, the default loss, has no parameter)",
    ),
    Scenario(
        "regression",
        "/regression",
        "reg_data_outliers",
        "ArrowRight",
        why="outlier fraction: new data, every loss refitted",
    ),
    Scenario(
        "huber",
        "/huber",
        "hub_data_outliers",
        "ArrowRight",
        why="outlier fraction: new data, 41 Huber fits and the δ frames",
    ),
    Scenario(
        "huber δ",
        "/huber",
        "hub_huber_delta",
        "ArrowRight",
        why="δ: the Huber fit and its zones at the new δ",
        client=True,
    ),
    Scenario(
        "binary",
        "/binary",
        "bin_data_separation",
        "ArrowRight",
        why="class separation: new data, four classifiers refitted",
    ),
    Scenario(
        "multiclass",
        "/multiclass",
        "mc_data_separation",
        "ArrowRight",
        why="class separation: new data, softmax refitted",
    ),
    Scenario(
        "compare",
        "/compare",
        "cmp_r",
        "ArrowRight",
        why="the point compared: values and gradients there",
    ),
)

# Times, in the page: the last keydown (the event's own time stamp), and the moment after
# each frame that painted a change inside a Plotly chart since then.
TIME_REDRAWS = """
window.__move = {key: 0, painted: []};
document.addEventListener('keydown', (event) => {
  window.__move = {key: event.timeStamp, painted: []};
}, true);
// A message posted from an animation frame callback is delivered after that frame's
// style, layout and paint: its time is when the change is on screen.
const afterPaint = (record) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = record;
  channel.port2.postMessage(null);
});
new MutationObserver((changes) => {
  const inChart = (node) => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    // st.plotly_chart's box (the app before the live chart) or a live chart.
    return element && element.closest('[data-testid="stPlotlyChart"], .live-chart');
  };
  if (changes.some((change) => inChart(change.target))) {
    const move = window.__move;
    afterPaint(() => move.painted.push(performance.now()));
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

# After the rerun has finished: wait until charts have been quiet for this long, so a
# redraw that lands after the "notRunning" flag is still counted.
QUIET_MS = 250


@dataclass
class Result:
    scenario: Scenario
    server_defaults: list[float] = field(default_factory=list)
    server_cold: list[float] = field(default_factory=list)
    server_warm: list[float] = field(default_factory=list)
    browser_cold: list[float] = field(default_factory=list)
    browser_warm: list[float] = field(default_factory=list)
    no_redraw: int = 0
    bytes_per_move: list[int] = field(default_factory=list)  # websocket bytes received
    first_load_ws: int = 0  # websocket bytes received while the page opens (the app's data)
    first_load_http: int = 0  # HTTP bodies (Streamlit's frontend, the module), not plotly.js
    sent_during_scrub: int = 0  # websocket frames sent before a client control settles


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _script_times(log: Path) -> list[float]:
    return [float(line) for line in log.read_text().split()] if log.exists() else []


def _first_paint(page, key: str) -> float | None:
    """Press `key` on a client-side control; return key press → first chart paint in ms,
    read before the control reports its value (no rerun is involved)."""
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__move.painted.length > 0", timeout=5_000)
    except PlaywrightTimeout:
        return None
    move = page.evaluate("window.__move")
    return min(move["painted"]) - move["key"]


def _move(page, key: str) -> float | None:
    """Press `key` on the focused slider; return key press → last chart paint in ms.

    Done when a chart has been repainted, the app is idle, and the charts have been quiet
    for QUIET_MS; None when no chart changed within 10 s.
    """
    page.keyboard.press(key)
    try:
        page.wait_for_function(
            f"""() => {{
              const move = window.__move;
              const last = Math.max(move.key, ...move.painted);
              return move.painted.length > 0 && document.querySelector("{IDLE}") !== null
                && performance.now() - last > {QUIET_MS};
            }}""",
            timeout=10_000,
        )
    except PlaywrightTimeout:
        return None
    move = page.evaluate("window.__move")
    return max(move["painted"]) - move["key"]


def measure(playwright, scenario: Scenario, *, moves: int, rerun_count: int) -> Result:
    result = Result(scenario)
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "script_times.txt"
        launcher = (sys.executable, str(Path(__file__).with_name("timed_streamlit.py")))
        with streamlit_server(
            scenario.script,
            launcher=launcher,
            env={"SCRIPT_TIMES": str(log)},
            cwd=scenario.root,
        ) as (
            base_url,
            _,
        ):
            browser = launch_chromium(playwright)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_init_script(TIME_REDRAWS)
                page = context.new_page()
                traffic = _Traffic(page)
                query = f"?{scenario.query}" if scenario.query else ""
                open_page(page, f"{base_url}{scenario.path}{query}")
                time.sleep(0.5)  # let the first paint's layout settle
                result.first_load_ws = traffic.received
                result.first_load_http = traffic.http_bytes
                if scenario.client:
                    _measure_client(page, scenario, result, traffic, moves)
                    return result

                def timed_phase(action, count: int, store: list[float] | None) -> list[float]:
                    first = len(_script_times(log))
                    for _ in range(count):
                        elapsed = action()
                        if store is not None:
                            if elapsed is None:
                                result.no_redraw += 1
                            else:
                                store.append(elapsed)
                    # Each action ran the script at least once; the server appends a run's
                    # time as it ends, which can trail the page's last paint a little.
                    deadline = time.monotonic() + 5
                    while len(_script_times(log)) < first + count and time.monotonic() < deadline:
                        time.sleep(0.05)
                    return _script_times(log)[first:]

                def reload_at_defaults():
                    open_page(page, page.url)

                result.server_defaults = timed_phase(reload_at_defaults, rerun_count, None)
                slider = slider_input(page, scenario.slider)
                slider.focus()
                back = "ArrowLeft" if scenario.direction == "ArrowRight" else "ArrowRight"

                def cold_move():
                    before = traffic.received
                    elapsed = _move(page, scenario.direction)
                    result.bytes_per_move.append(traffic.received - before)
                    return elapsed

                result.server_cold = timed_phase(cold_move, moves, result.browser_cold)
                result.server_warm = timed_phase(
                    lambda: _move(page, back), moves, result.browser_warm
                )
            finally:
                browser.close()
    return result


class _Traffic:
    """Bytes a tab receives: websocket messages, and HTTP bodies other than plotly.js."""

    def __init__(self, page) -> None:
        self.received = 0
        self.sent = 0
        self.http_bytes = 0
        self._urls: dict[str, str] = {}
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.webSocketFrameReceived", self._on_frame)
        session.on("Network.webSocketFrameSent", self._on_sent)
        session.on("Network.responseReceived", self._on_response)
        session.on("Network.loadingFinished", self._on_loaded)

    def _on_frame(self, event) -> None:
        data = event["response"]["payloadData"]
        binary = event["response"]["opcode"] == 2  # base64 text of the binary message
        self.received += len(data) * 3 // 4 if binary else len(data.encode())

    def _on_sent(self, _event) -> None:
        self.sent += 1

    def _on_response(self, event) -> None:
        self._urls[event["requestId"]] = event["response"]["url"]

    def _on_loaded(self, event) -> None:
        url = self._urls.get(event["requestId"], "")
        if "plotly" not in url.rsplit("/", 1)[-1]:
            self.http_bytes += int(event["encodedDataLength"])


def _measure_client(page, scenario: Scenario, result: Result, traffic: _Traffic, moves: int):
    """Key press → first chart paint on a client-side control, and the websocket frames
    sent between a key press and its paint (the paint must not wait on the server)."""
    slider = slider_input(page, scenario.slider)
    slider.focus()
    back = "ArrowLeft" if scenario.direction == "ArrowRight" else "ArrowRight"
    for direction, store in (
        (scenario.direction, result.browser_cold),
        (back, result.browser_warm),
    ):
        for _ in range(moves):
            sent = traffic.sent
            elapsed = _first_paint(page, direction)
            result.sent_during_scrub += traffic.sent - sent  # between key press and paint
            if elapsed is None:
                result.no_redraw += 1
            else:
                store.append(elapsed)
        page.wait_for_timeout(1000)  # the settled value goes to the server once
        page.wait_for_selector(IDLE)


def _stats(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.0f} / {percentile(values, 95):.0f}"


def _ratio(result: Result, bare: Result | None) -> str:
    if bare is None or not result.browser_cold or not bare.browser_cold:
        return "–"
    median = statistics.median(result.browser_cold) / statistics.median(bare.browser_cold)
    p95 = percentile(result.browser_cold, 95) / percentile(bare.browser_cold, 95)
    return f"{median:.2f} / {p95:.2f}"


def _verdict(result: Result, bare: Result | None = None) -> str:
    """Each target against its figure: the server's at defaults (the issue's wording) and on
    the cold moves (every value new), the browser's on the cold moves, against the bare
    page's (ratio targets) and, for a client-side control, in absolute time."""
    if result.scenario.name == "bare":
        return "floor"
    if result.scenario.client:
        browser = result.browser_cold
        misses = []
        if browser and statistics.median(browser) > TARGET_CLIENT_MS:
            misses.append(f"median +{statistics.median(browser) - TARGET_CLIENT_MS:.0f} ms")
        if result.sent_during_scrub:
            misses.append(f"{result.sent_during_scrub} websocket frames during the scrub")
        return "met" if not misses else "missed: " + "; ".join(misses)
    misses = []
    if bare is not None and result.browser_cold and bare.browser_cold:
        median = statistics.median(result.browser_cold) / statistics.median(bare.browser_cold)
        p95 = percentile(result.browser_cold, 95) / percentile(bare.browser_cold, 95)
        if median > TARGET_RATIO_MEDIAN or p95 > TARGET_RATIO_P95:
            misses.append(f"ratio {median:.2f}× / {p95:.2f}× the bare page")
    for label, times in (
        ("server at defaults", result.server_defaults),
        ("server cold", result.server_cold),
    ):
        if times and statistics.median(times) > TARGET_SERVER_MEDIAN_MS:
            misses.append(f"{label} +{statistics.median(times) - TARGET_SERVER_MEDIAN_MS:.0f}")
    browser = result.browser_cold
    if browser:
        over_median = statistics.median(browser) - TARGET_BROWSER_MEDIAN_MS
        over_p95 = percentile(browser, 95) - TARGET_BROWSER_P95_MS
        if over_median > 0 or over_p95 > 0:
            misses.append(f"browser +{max(over_median, 0):.0f} / +{max(over_p95, 0):.0f}")
    if result.no_redraw:
        misses.append(f"{result.no_redraw} moves without a redraw")
    return "met" if not misses else "missed: " + "; ".join(misses) + " ms"


def report(results: list[Result], command: str) -> str:
    chromium = subprocess.run(
        [os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "--version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    import streamlit

    lines = [
        f"Latency of a slider move — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Streamlit {streamlit.__version__}, {chromium}.",
        f"Command: `{command}`. Median / p95 in ms. Server: each script run's time in the server. "
        "Browser: slider key press → last chart change painted. Cold: each value new to the "
        "server; warm: the same values again.",
        "",
        "| page | checkout | slider moved | server at defaults | server cold | server warm "
        "| browser cold | browser warm | ÷ bare (median / p95) | kB per move (median) "
        "| first load kB: websocket + HTTP | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    bare = next((r for r in results if r.scenario.name == "bare"), None)
    for result in results:
        s = result.scenario
        per_move = (
            f"{statistics.median(result.bytes_per_move) / 1000:.1f}"
            if result.bytes_per_move
            else "–"
        )
        checkout = "this" if s.root == PROJECT_ROOT else "before"
        lines.append(
            f"| {s.name} | {checkout} | `{s.slider}` ({s.why}) | {_stats(result.server_defaults)} "
            f"| {_stats(result.server_cold)} | {_stats(result.server_warm)} "
            f"| {_stats(result.browser_cold)} | {_stats(result.browser_warm)} "
            f"| {_ratio(result, bare)} | {per_move} "
            f"| {result.first_load_ws / 1000:.0f} + {result.first_load_http / 1000:.0f} "
            f"| {_verdict(result, bare)} |"
        )
    lines += [
        "",
        f"Targets: server ≤ {TARGET_SERVER_MEDIAN_MS} ms median; browser ≤ "
        f"{TARGET_BROWSER_MEDIAN_MS} ms median and ≤ {TARGET_BROWSER_P95_MS} ms p95 "
        "(checked on the cold moves, the harder case). A miss says by how much (median / p95). "
        f"And against the bare page of the same run: ≤ {TARGET_RATIO_MEDIAN}× its median, "
        f"≤ {TARGET_RATIO_P95}× its p95; a client-side control (frames in the browser): key "
        f"press → first chart paint ≤ {TARGET_CLIENT_MS} ms median with no websocket frame "
        "sent before it (its browser times are first paints, not last). kB per move: "
        "websocket bytes received per cold move; first load: the websocket bytes of opening "
        "the page (its figures, frames and text) + the HTTP bytes (Streamlit's own frontend, "
        "cached by the browser after the first page, and the live chart's module), plotly.js "
        "(1.4 MB gzipped, once per browser) left out.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="key presses each way (≥ 20)")
    parser.add_argument("--reruns", type=int, default=20, help="unchanged reruns per page")
    parser.add_argument(
        "--pages", default=",".join(s.name for s in SCENARIOS), help="comma-separated names"
    )
    parser.add_argument(
        "--before", type=Path, help="another checkout (the landed app) to measure in the same run"
    )
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if s.name in args.pages.split(",")]
    if args.before:
        # Before, every control was a Streamlit widget: δ too is timed as a server round trip.
        before = [
            dataclasses.replace(s, root=args.before.resolve(), client=False)
            for s in chosen
            if s.name != "bare"
        ]
        chosen += before

    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        for scenario in chosen:
            print(f"measuring {scenario.name} …", file=sys.stderr, flush=True)
            results.append(measure(playwright, scenario, moves=args.moves, rerun_count=args.reruns))
    command = "python bench/bench_latency.py" + "".join(f" {a}" for a in sys.argv[1:])
    print(report(results, command))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
