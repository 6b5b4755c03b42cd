"""First chart of a first visit, and page to page: where the wait goes.

Targets (issue 26): on a cold first visit, the first chart on screen ≤ 1.5× the time to the
page's first text (both from navigation start, same run); page to page ≤ 300 ms to the new
page's first chart. Run from the project root (Playwright and Debian's Chromium, as the e2e
tests):

    python bench/bench_first_chart.py                  # prints a Markdown report
    python bench/bench_first_chart.py --loads 20 --before /tmp/landed   # and another checkout

Each app is served by its own `streamlit run`; every load is a new browser context (an
empty cache, a new session: what a student's first visit meets), the apps taken in turn
within each round so that the machine's load falls on all alike. Per load, in the page
(performance.now(), from navigation start, times of the animation frame that shows them):
- text: the first non-empty `stMarkdown` on screen;
- plotly.js requested / received: its resource timing (startTime, responseEnd);
- plotly.js run: its script's load event (after it has executed);
- first chart: the first Plotly chart's SVG on screen; all charts: every chart box drawn and
  the script idle.
Then, in the same tab, the sidebar's links through every page: click → the new page's first
chart, and → all its charts. The reference is a bare page (bench/bare_first_chart_app.py:
one line of text and one `st.plotly_chart`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests.e2e.streamlit_browser import (  # noqa: E402
    CHART_BOXES,
    CHARTS_DRAWN,
    IDLE,
    PROJECT_ROOT,
    launch_chromium,
    streamlit_server,
)

TARGET_FIRST_CHART_RATIO = 1.5
TARGET_PAGE_TO_PAGE_MS = 300
BARE_SCRIPT = "bench/bare_first_chart_app.py"

# The sidebar's links, from the first page through every other and back.
TOUR = (
    "Regression & outliers",
    "Huber δ lab",
    "Gradient descent",
    "Binary & imbalance",
    "Multi-class: CCE vs sparse",
    "Compare losses",
    "Why from_logits",
    "Loss vs cost",
)

# Checked once per animation frame: a change found in a frame's callback is painted in
# that frame. A click on a sidebar link starts a new round of marks, and the chart boxes
# then on screen are marked old, so that only the new page's count (a text's node may be
# reused by the next page: its text is not timed there).
RECORDER = f"""
(() => {{
  const t = (window.__fc = {{ marks: {{}}, start: 0 }});
  const mark = (name, at) => {{
    if (!(name in t.marks)) t.marks[name] = (at ?? performance.now()) - t.start;
  }};
  const drawn = {CHARTS_DRAWN};
  const check = () => {{
    const texts = document.querySelectorAll('[data-testid="stMarkdown"]:not([data-fc-old])');
    for (const node of texts) {{
      if (node.textContent.trim() && node.getClientRects().length) {{ mark("text"); break; }}
    }}
    const svg = [...document.querySelectorAll(".js-plotly-plot .main-svg")];
    if (svg.some((node) => !node.closest("[data-fc-old]"))) mark("chart");
    const old = document.querySelector("[data-fc-old]");
    if (document.querySelector("{IDLE}") && !old && drawn() > 0) mark("all");
    for (const entry of t.start ? [] : performance.getEntriesByType("resource")) {{
      if (/\\/plotly\\.[0-9a-f]+\\.min\\.js/.test(entry.name)) {{
        mark("plotly_requested", entry.startTime);
        if (entry.responseEnd) mark("plotly_received", entry.responseEnd);
      }}
    }}
    requestAnimationFrame(check);
  }};
  requestAnimationFrame(check);
  document.addEventListener("load", (event) => {{
    if (/\\/plotly\\.[0-9a-f]+\\.min\\.js/.test(event.target.src || "")) mark("plotly_run");
  }}, true);
  document.addEventListener("click", (event) => {{
    if (!event.target.closest('[data-testid="stSidebarNavLink"]')) return;
    document.querySelectorAll({json.dumps(CHART_BOXES)})
      .forEach((node) => node.setAttribute("data-fc-old", ""));
    t.marks = {{}};
    t.start = event.timeStamp;
  }}, true);
}})();
"""

FIRST_VISIT = ("text", "plotly_requested", "plotly_received", "plotly_run", "chart", "all")


@dataclass
class Target:
    name: str
    script: str
    root: Path
    tour: bool  # follow the sidebar through every page after the first load
    loads: list[dict] = field(default_factory=list)
    pages: dict[str, list[dict]] = field(default_factory=dict)
    timeouts: int = 0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _wait_for(page, mark: str, timeout: float = 180_000) -> dict:
    page.wait_for_function(f"() => window.__fc.marks.{mark} !== undefined", timeout=timeout)
    return page.evaluate("window.__fc.marks")


def one_load(browser, target: Target, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.add_init_script(RECORDER)
        page = context.new_page()
        page.goto(base_url + "/")
        target.loads.append(_wait_for(page, "all"))
        if not target.tour:
            return
        for title in TOUR:
            page.locator("[data-testid='stSidebarNavLink']", has_text=title).click()
            try:
                target.pages.setdefault(title, []).append(_wait_for(page, "all"))
            except PlaywrightTimeout:
                marks = page.evaluate("window.__fc.marks")
                print(f"{target.name}, {title}: not drawn in time {marks}", file=sys.stderr)
                target.timeouts += 1
                return
    finally:
        context.close()


def _cell(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.0f} / {percentile(values, 95):.0f}"


def _ratio_cell(numerators: list[float], denominators: list[float]) -> str:
    ratios = [n / d for n, d in zip(numerators, denominators, strict=True) if d > 0]
    if not ratios:
        return "–"
    return f"{statistics.median(ratios):.2f} / {percentile(ratios, 95):.2f}"


def report(targets: list[Target], command: str) -> str:
    lines = [
        f"Command: `{command}`; {len(targets[0].loads)} cold loads per app, 1280×800.",
        "",
        "Cold first visit, ms from navigation start, median / p95 (ratio: first chart ÷ first "
        "text of the same load):",
        "",
        "| app | first text | plotly.js requested | plotly.js received | plotly.js run "
        "| first chart | all charts | first chart ÷ first text | verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for target in targets:
        column = {mark: [load.get(mark) for load in target.loads] for mark in FIRST_VISIT}
        cells = [_cell([v for v in column[mark] if v is not None]) for mark in FIRST_VISIT]
        ratio = _ratio_cell(column["chart"], column["text"])
        verdict = "reference"
        if target.tour:
            pairs = zip(column["chart"], column["text"], strict=True)
            median = statistics.median(chart / text for chart, text in pairs)
            verdict = "met" if median <= TARGET_FIRST_CHART_RATIO else "missed"
        lines.append(f"| {target.name} | {' | '.join(cells)} | {ratio} | {verdict} |")
    lines += [
        "",
        "Page to page through the sidebar, ms from the click, median / p95:",
        "",
        "| app | page | first chart | all charts | verdict |",
        "|---|---|---|---|---|",
    ]
    for target in targets:
        if not target.tour:
            continue
        every = []
        for title, marks in target.pages.items():
            first = [m["chart"] for m in marks]
            every += first
            verdict = "met" if statistics.median(first) <= TARGET_PAGE_TO_PAGE_MS else "missed"
            lines.append(
                f"| {target.name} | {title} | {_cell(first)} "
                f"| {_cell([m['all'] for m in marks])} | {verdict} |"
            )
        lines.append(f"| {target.name} | **every page** | {_cell(every)} | | |")
        if target.timeouts:
            lines.append(
                f"| {target.name} | tours cut short (a page not drawn in 3 min) "
                f"| {target.timeouts} | | |"
            )
    lines += [
        "",
        f"Targets: first chart ≤ {TARGET_FIRST_CHART_RATIO}× the first text (median of the "
        f"per-load ratios); page to page ≤ {TARGET_PAGE_TO_PAGE_MS} ms to the first chart "
        "(median per page).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10, help="cold loads per app")
    parser.add_argument("--before", type=Path, help="another checkout, measured in the same run")
    parser.add_argument("--no-bare", action="store_true", help="leave out the bare reference")
    args = parser.parse_args()
    targets = [Target("this", "app.py", PROJECT_ROOT, tour=True)]
    if args.before:
        targets.append(Target("before", "app.py", args.before.resolve(), tour=True))
    if not args.no_bare:
        targets.append(Target("bare", BARE_SCRIPT, PROJECT_ROOT, tour=False))

    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(streamlit_server(t.script, cwd=t.root))[0] for t in targets]
        playwright = stack.enter_context(sync_playwright())
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        # One load of each first, not counted: the servers import and cache what they need.
        for target, url in zip(targets, urls, strict=True):
            one_load(browser, Target(target.name, target.script, target.root, target.tour), url)
        for round_number in range(args.loads):
            print(f"round {round_number + 1}/{args.loads} …", file=sys.stderr, flush=True)
            for target, url in zip(targets, urls, strict=True):
                one_load(browser, target, url)
    command = "python bench/bench_first_chart.py" + "".join(f" {a}" for a in sys.argv[1:])
    print(report(targets, command))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
