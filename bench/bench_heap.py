"""The live chart's memory in the browser: the page's JS heap over many moves.

Target (issue "Charts that update in place"): no growth in the page's JS heap over 200
moves. Run from the project root (Playwright and Debian's Chromium, as the e2e tests):

    python bench/bench_heap.py                 # 200 moves of each kind, Markdown report
    python bench/bench_heap.py --moves 50

Per scenario, one headless Chromium tab at 1280×800: the heap (CDP Runtime.getHeapUsage,
after a forced garbage collection) after the page has loaded and a warm-up of 20 moves,
then after every 50 further moves. Moves: the Huber lab's δ scrubber (frames in the
browser, the value reported once per pause), and a server-driven slider on the
regression page (every chart redrawn in place). The moves go up and down the control's
range, so the same states recur.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.streamlit_browser import (  # noqa: E402
    IDLE,
    launch_chromium,
    open_page,
    slider_input,
    streamlit_server,
)

SCENARIOS = (
    # (name, page path, control key, presses per sweep, wait for the server after each)
    ("huber δ scrubber", "/huber", "hub_huber_delta", 40, False),
    ("regression outlier slider", "/regression", "reg_data_outliers", 10, True),
)
WARM_UP = 20
EVERY = 50


def _heap_mb(session) -> float:
    session.send("HeapProfiler.collectGarbage")
    return session.send("Runtime.getHeapUsage")["usedSize"] / 1e6


def measure(playwright, base_url: str, scenario, moves: int) -> list[tuple[int, float]]:
    name, path, key, sweep, server = scenario
    browser = launch_chromium(playwright)
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        open_page(page, f"{base_url}{path}")
        session = page.context.new_cdp_session(page)
        slider_input(page, key).focus()
        samples = []
        for move in range(WARM_UP + moves + 1):
            if move >= WARM_UP and (move - WARM_UP) % EVERY == 0:
                page.wait_for_timeout(800)  # a scrubber's settled value, and its rerun
                page.wait_for_selector(IDLE)
                samples.append((move - WARM_UP, _heap_mb(session)))
            direction = "ArrowRight" if (move // sweep) % 2 == 0 else "ArrowLeft"
            page.keyboard.press(direction)
            if server:
                page.wait_for_timeout(150)
                page.wait_for_selector(IDLE)
            else:
                page.wait_for_timeout(40)
        return samples
    finally:
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    lines = [
        f"JS heap over {args.moves} moves — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.platform()}, {os.cpu_count()} CPUs",
        "",
        f"Command: `python bench/bench_heap.py --moves {args.moves}`. Heap after a forced "
        f"GC, MB, after {WARM_UP} warm-up moves and then every {EVERY} moves.",
        "",
        "| scenario | "
        + " | ".join(f"after {m}" for m in range(0, args.moves + 1, EVERY))
        + " | growth |",
        "|---|" + "---|" * (len(range(0, args.moves + 1, EVERY)) + 1),
    ]
    with sync_playwright() as playwright, streamlit_server("app.py") as (base_url, _):
        for scenario in SCENARIOS:
            print(f"measuring {scenario[0]} …", file=sys.stderr, flush=True)
            samples = measure(playwright, base_url, scenario, args.moves)
            growth = samples[-1][1] - samples[0][1]
            lines.append(
                f"| {scenario[0]} | "
                + " | ".join(f"{mb:.1f}" for _, mb in samples)
                + f" | {growth:+.1f} MB |"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
