"""Per screen size and scene of the lecture tour (questions revealed): the main area's
vertical overflow, the top row's state and the smallest type of each kind a student
reads, as tests/e2e/test_presentation_fit.py measures them; plus the charts' heights.

    python bench/presentation_fit.py [--shots DIR] [HEIGHT_OR_WIDTH ...]

e.g. `python bench/presentation_fit.py 768` for the 768 px high sizes only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.streamlit_browser import launch_chromium, streamlit_server  # noqa: E402
from tests.e2e.test_presentation_fit import MEASURE, SIZES, _open_scene  # noqa: E402
from ui import scenes  # noqa: E402

CHART_HEIGHTS = "() => [...document.querySelectorAll('.live-chart')].map((c) => c.offsetHeight)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("only", nargs="*", type=int, help="widths or heights to measure")
    parser.add_argument("--shots", type=Path, help="a folder for one screenshot per scene")
    args = parser.parse_args()
    sizes = [size for size in SIZES if not args.only or {size[0], size[1]} & set(args.only)]
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, streamlit_server("app.py") as (app_url, _):
        browser = launch_chromium(playwright)
        for width, height, scale in sizes:
            context = browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=scale
            )
            context.set_default_timeout(60_000)
            tab = context.new_page()
            print(f"== {width}x{height}@{scale}", flush=True)
            for number in range(1, len(scenes.SCENES) + 1):
                _open_scene(tab, app_url, number)
                seen = tab.evaluate(MEASURE) | {"charts": tab.evaluate(CHART_HEIGHTS)}
                print(number, json.dumps(seen, ensure_ascii=False), flush=True)
                if args.shots:
                    tab.screenshot(path=args.shots / f"{width}x{height}@{scale}_{number:02d}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
