"""Serve a Streamlit script and drive Debian's Chromium: shared by tests/e2e and bench/.

Playwright cannot download its own browsers on our machines, so Chromium is Debian's
(`apt-get install chromium`), found at `$CHROMIUM_PATH` (default /usr/bin/chromium) and
started with flags that keep it off the closed network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Set on the page after every rerun; Streamlit's own e2e tests wait on the same attribute.
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

ENABLE_HINT = (
    "install Debian's Chromium (`apt-get install chromium`) or point $CHROMIUM_PATH at a "
    "Chromium binary, and `pip install -r requirements-dev.txt` for Playwright"
)


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    path = chromium_path()
    if not (Path(path).is_file() or shutil.which(path)):
        return f"no Chromium at {path}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_server(
    script: str | Path = "app.py",
    *,
    port: int | None = None,
    timeout: float = 60.0,
    launcher: tuple[str, ...] = (sys.executable, "-m", "streamlit"),
    env: dict[str, str] | None = None,
    cwd: str | Path = PROJECT_ROOT,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `streamlit run <script>` on a free localhost port; yield (base URL, process).

    The project's .streamlit/config.toml applies (the server runs in the project root).
    `launcher` replaces `python -m streamlit` (a benchmark's timing wrapper); `env` adds
    environment variables; `cwd` runs another checkout (a benchmark's "before"). The server
    and anything it started are stopped on exit.
    """
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        *launcher,
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(base_url):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(
                    f"streamlit did not answer {base_url}/_stcore/health "
                    f"(exit code {server.poll()}): {command}\n{tail}"
                )
            time.sleep(0.1)
        yield base_url, server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def launch_chromium(playwright):
    """Debian's Chromium, headless, with the flags our machines need."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=list(CHROMIUM_FLAGS)
    )


def open_page(page, url: str, *, timeout: float = 60_000) -> None:
    """Go to `url`; wait until the script has finished, no part of the page is still
    loading (no skeleton) and its Plotly charts are drawn.

    Every page of the app (and the benchmark's bare page) shows at least one chart, so
    "no chart yet" means "not rendered yet".
    """
    page.goto(url)
    page.wait_for_function(
        f'() => document.querySelector("{IDLE}") !== null && ({CHARTS_DRAWN})() > 0'
        f" && document.querySelector({SKELETON!r}) === null",
        timeout=timeout,
    )


# While a lazily loaded part of Streamlit's frontend (the data grid, the slider) is still
# loading, it shows skeletons, and the block around it (charts included) waits unmounted.
SKELETON = "[data-testid='stSkeleton']"

# The live charts' component boxes (ui/live_chart.py): Streamlit draws the box, then the
# module puts a chart (`.live-chart`, the Plotly graph div) or a scrubber in it. And
# st.plotly_chart's boxes, for the benchmark's bare page and the app before the live chart.
CHART_BOXES = (
    "[data-testid='stBidiComponentRegular']:not(:has(.live-scrubber)), "
    "[data-testid='stPlotlyChart']"
)
# The number of chart boxes on the page when every one of them holds a drawn Plotly chart
# (its SVG and its data), else 0: a box whose chart is still being drawn does not count.
CHARTS_DRAWN = f"""
() => {{
  const boxes = [...document.querySelectorAll("{CHART_BOXES}")];
  const drawn = boxes.every((box) => {{
    const plot = box.querySelector('.js-plotly-plot');
    return plot && plot.querySelector('.main-svg') && plot.data && plot.data.length > 0;
  }});
  return drawn ? boxes.length : 0;
}}
"""


def charts_drawn(page) -> int:
    return page.evaluate(CHARTS_DRAWN)


def widget(page, key: str):
    """The element of the widget with this key (Streamlit 1.67 marks it `st-key-<key>`)."""
    return page.locator(f".st-key-{key}")


# Every drawn Plotly chart's data, as plain numbers, and its marks (shapes, annotations):
# what a test compares before and after.
CHART_DATA = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((plot) => [
  JSON.stringify([(plot.layout || {}).shapes, (plot.layout || {}).annotations]),
  ...(plot.data || []).map((trace) => {
    // Figures send float32 arrays packed as {dtype, bdata}: compare those as text.
    const numbers = (values) => values == null ? null
      : values.bdata !== undefined ? `${values.dtype}:${values.bdata}`
      : Array.from(values, (v) => (typeof v === 'number' ? v : String(v)));
    return {type: trace.type, x: numbers(trace.x), y: numbers(trace.y), z: trace.z == null
      ? null : JSON.stringify(trace.z, (k, v) => ArrayBuffer.isView(v) ? Array.from(v) : v)};
  })])
"""


def chart_data(page) -> list:
    return page.evaluate(CHART_DATA)


def remember_charts(page) -> None:
    """Note the charts now (how many, their data), for `wait_for_charts_to_change`."""
    page.evaluate(
        f"""() => {{ window.__chartsBefore = JSON.stringify(({CHART_DATA})());
                     window.__chartCount = ({CHARTS_DRAWN})(); }}"""
    )


def wait_for_charts_to_change(page, *, timeout: float = 30_000) -> None:
    """Wait until the app is idle, as many charts as before are all drawn, and their data
    or marks differ from those at `remember_charts`.

    A rerun that finishes quickly may never show the "running" state in the page
    (its updates are rendered together), so the change itself is waited for; a chart
    still being remounted does not count as a change.
    """
    page.wait_for_function(
        f"""() => document.querySelector("{IDLE}") !== null
          && ({CHARTS_DRAWN})() === window.__chartCount
          && JSON.stringify(({CHART_DATA})()) !== window.__chartsBefore""",
        timeout=timeout,
    )


def wait_for_same_charts(page, expected: list, *, timeout: float = 30_000) -> None:
    """Wait until this tab, idle, shows exactly the charts `expected` (from `chart_data`)."""
    page.wait_for_function(
        f"""(expected) => document.querySelector("{IDLE}") !== null
          && JSON.stringify(({CHART_DATA})()) === JSON.stringify(expected)""",
        arg=expected,
        timeout=timeout,
    )


def slider_input(page, key: str):
    """The keyboard-focusable range input of the slider (or select-slider) with this key."""
    return widget(page, key).locator("input[type='range']")


def count_websocket_frames(page) -> list:
    """A list that grows by one for every websocket frame the tab sends (what a client-side
    playback must not do)."""
    sent = []
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.on("Network.webSocketFrameSent", lambda event: sent.append(event))
    return sent
