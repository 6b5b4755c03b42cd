"""Classroom load test: N students, each with its own session, moving a slider about once a
second on the heaviest page; one Streamlit process against K behind nginx (sticky by cookie).

Targets (issue 4): 40 students, zero errors, p99 ≤ 300 ms, memory growth under 100 MB.
Run from the project root (the servers are started and stopped by the script):

    python bench/bench_classroom.py                      # 40 students, 60 s, 1 and 2 processes
    python bench/bench_classroom.py --students 40 --seconds 60 --processes 1,2

Prints a Markdown report: a survey of every page's rerun time on an idle server (which
page is heaviest), then for each configuration reruns, reruns/s, latency (send of
rerun_script → script_finished) median/p95/p99/max, errors by kind, sessions per backend,
server RSS at start/end/peak and CPU. Exits non-zero when a configuration misses a target.
The clients share the machine's cores with the servers (one asyncio process).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import classroom_servers as servers
import numpy
import streamlit
import websockets
from classroom_student import Plan, Session, Tab, slider_state, source_address, student

MB = 1e6
TARGETS = {"p99_seconds": 0.300, "growth_bytes": 100 * MB}
SURVEY_RERUNS = 15
SURVEY_PAUSE = 0.3


def app_pages(root: Path = servers.ROOT) -> list[tuple[str, str]]:
    """(page file stem, URL path) for every page of ``root``'s app; the default page is at "/".

    Read from ``root``'s page records (ui/site.py) in a child process run there, so another
    checkout's pages are its own; a checkout from before the records lists its pages as
    st.Page calls in app.py."""
    source = (root / "app.py").read_text()
    calls = list(re.finditer(r'st\.Page\(\s*"views/(\w+)\.py"([^)]*)\)', source))
    if calls:
        return [
            (call.group(1), "" if "default=True" in call.group(2) else call.group(1))
            for call in calls
        ]
    listing = (
        "from pathlib import Path\nfrom ui import site\n"
        "for page in site.PAGES:\n    print(Path(page.view).stem, page.link.removeprefix('/'))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", listing], cwd=root, check=True, capture_output=True, text=True
    ).stdout
    return [tuple(line.split(" ", 1)) for line in shown.splitlines()]  # "stem url_path"


def quantile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank quantile: the smallest value with at least ``fraction`` of values ≤ it."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


@dataclass
class Outcome:
    """One configuration's run."""

    label: str
    tabs: list[Tab]
    seconds: float
    memory: dict[str, dict[str, int]] = field(default_factory=dict)  # process → start/end/peak
    cpu: dict[str, float] = field(default_factory=dict)  # process → share of one core
    backends: dict[str, str] = field(default_factory=dict)  # upstream address → process

    @property
    def latencies(self) -> list[float]:
        return sorted(value for tab in self.tabs for value in tab.latencies)

    @property
    def scheduled_latencies(self) -> list[float]:
        return sorted(value for tab in self.tabs for value in tab.scheduled_latencies)

    @property
    def errors(self) -> Counter:
        return sum((tab.errors for tab in self.tabs), Counter())

    @property
    def growth(self) -> int:
        """RSS growth of the servers from start to the larger of end and peak."""
        return sum(
            max(m["end"], m["peak"]) - m["start"]
            for name, m in self.memory.items()
            if "streamlit" in name
        )


async def survey(port: int, pages: list[tuple[str, str]]) -> list[tuple[str, str, float, list]]:
    """Each page on an idle server: first load, then SURVEY_RERUNS reruns with no change."""
    rows = []
    for stem, path in pages:
        tab = Tab()
        session = Session(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            path,
            local_host="127.0.0.1",
            timeout=30,
            tab=tab,
        )
        await session.open()
        first = await session.rerun()
        reruns = []
        for _ in range(SURVEY_RERUNS):
            # Spaced like a person's moves: a rerun sent within ~50 ms of the last one's
            # end waits ~40 ms more on the server (measured; not what a class does).
            await asyncio.sleep(SURVEY_PAUSE)
            reruns.append(await session.rerun())
        reruns.sort()
        await session.close()
        if tab.errors:
            raise RuntimeError(f"page {stem} fails on an idle server: {dict(tab.errors)}")
        rows.append((stem, path, first, reruns))
    return rows


def run_survey() -> list:
    """`survey` on a server of its own, so its caches do not warm the load test's."""
    started: list[servers.Process] = []
    with tempfile.TemporaryDirectory(prefix="classroom-survey-") as temp:
        try:
            port = servers.free_port()
            started.append(servers.start_streamlit(port, Path(temp)))
            servers.wait_healthy(port, started[0])
            return asyncio.run(survey(port, app_pages()))
        finally:
            servers.stop(started)


async def warm_up(port: int, plan: Plan) -> None:
    """One session loads the page and moves the slider once (imports, caches, first figures)."""
    tab = Tab()
    session = Session(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        plan.page_name,
        local_host="127.0.0.1",
        timeout=60,
        tab=tab,
    )
    await session.open()
    await session.rerun()
    slider = session.sliders.get(plan.slider_key)
    if slider is None:
        raise RuntimeError(f"no slider with key {plan.slider_key!r} on page {plan.page_name!r}")
    await session.rerun(
        [slider_state(slider, slider.walk(random.Random(0), 1))], slider.fragment_id
    )
    await session.close()
    if tab.errors:
        raise RuntimeError(f"the warm-up session saw errors: {dict(tab.errors)}")


async def classroom(plan: Plan, args, pids: dict[str, int]) -> tuple[list[Tab], float, dict, dict]:
    """Connect every student (spread over --ramp s), then let them all move for --seconds."""
    loop = asyncio.get_running_loop()
    memory = {name: {"start": servers.rss_bytes(pid)} for name, pid in pids.items()}
    peaks = {name: m["start"] for name, m in memory.items()}

    async def sample_memory():
        while True:
            for name, pid in pids.items():
                peaks[name] = max(peaks[name], servers.rss_bytes(pid))
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample_memory())
    start, deadline = asyncio.Event(), []
    readies = [loop.create_future() for _ in range(args.students)]

    async def one(index):
        await asyncio.sleep(random.Random(index).uniform(0, args.ramp))
        rng = random.Random(args.seed * 100_003 + index)
        return await student(index, plan, rng, readies[index], start, lambda: deadline[0])

    tasks = [asyncio.create_task(one(index)) for index in range(args.students)]
    await asyncio.gather(*readies)
    cpu_start = {name: servers.cpu_seconds(pid, True) for name, pid in pids.items()}
    client_start, began = time.process_time(), time.perf_counter()
    deadline.append(began + args.seconds)
    start.set()
    tabs = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - began
    cpu = {
        name: (servers.cpu_seconds(pid, True) - cpu_start[name]) / seconds
        for name, pid in pids.items()
    }
    cpu["client (this script)"] = (time.process_time() - client_start) / seconds
    sampler.cancel()
    for name, pid in pids.items():
        memory[name]["end"] = servers.rss_bytes(pid)
        memory[name]["peak"] = max(peaks[name], memory[name]["end"])
    return tabs, seconds, memory, cpu


def run_configuration(count: int, args) -> Outcome:
    """Start ``count`` Streamlit processes (behind nginx when more than one), load them,
    stop them whatever happens."""
    started: list[servers.Process] = []
    with tempfile.TemporaryDirectory(prefix="classroom-") as temp:
        try:
            ports = [servers.free_port() for _ in range(count)]
            for port in ports:
                started.append(servers.start_streamlit(port, Path(temp), args.option))
            for port, process in zip(ports, started, strict=True):
                servers.wait_healthy(port, process)
            front = ports[0]
            if count > 1 or args.nginx_always:
                front = servers.free_port()
                started.append(servers.start_nginx(front, ports, Path(temp)))
                servers.wait_healthy(front, started[-1])
            plan = Plan(
                f"ws://127.0.0.1:{front}/_stcore/stream",
                args.page,
                args.slider,
                args.interval,
                args.timeout,
                args.max_steps,
            )
            for port in ports:
                asyncio.run(warm_up(port, plan))
            time.sleep(1.0)
            pids = {process.name: process.popen.pid for process in started}
            tabs, seconds, memory, cpu = asyncio.run(classroom(plan, args, pids))
        finally:
            servers.stop(started)
    label = f"{count} process{'es' if count > 1 else ''}" + (
        " behind nginx" if count > 1 or args.nginx_always else " (direct)"
    )
    backends = {f"127.0.0.1:{port}": f"streamlit :{port}" for port in ports}
    return Outcome(label, tabs, seconds, memory, cpu, backends)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}"


def report_survey(rows, chosen: str) -> None:
    print(
        f"## Heaviest page: one session on an idle server, {SURVEY_RERUNS} reruns at defaults "
        f"{SURVEY_PAUSE:g} s apart\n"
    )
    print("| page | URL | first load ms | rerun median ms | rerun max ms |")
    print("|---|---|---|---|---|")
    for stem, path, first, reruns in rows:
        print(
            f"| {stem} | /{path} | {ms(first)} | {ms(statistics.median(reruns))} | "
            f"{ms(reruns[-1])} |"
        )
    heaviest = max(rows, key=lambda row: statistics.median(row[3]))
    same = "the page measured below" if heaviest[1] == chosen else f"NOT --page {chosen}"
    print(
        f"\nHeaviest by median rerun: **{heaviest[0]}** ({same}). Rerun time here is the "
        "client-seen time from rerun_script to script_finished on loopback: script run "
        "plus serialising and sending the ForwardMsgs.\n"
    )


def report_outcomes(outcomes: list[Outcome], args) -> int:
    print(
        f"## Load: {args.students} students × {args.seconds:g} s on /{args.page}, "
        f"slider `{args.slider}`\n"
    )
    print(
        f"Offered load ≈ {args.students / args.interval:.0f} reruns/s (each student moves "
        f"every {0.8 * args.interval:g}–{1.2 * args.interval:g} s, starting at a random "
        f"phase, by 1–{args.max_steps} slider steps). A move waits for the student's previous "
        "rerun to finish; one that is then overdue goes at once. Latency: send → "
        "script_finished; from due: the moment the move was due → script_finished, so the "
        "time a late move waited counts too (no coordinated omission).\n"
    )
    print(
        "| configuration | students loaded | sessions per backend | reruns | reruns/s | "
        "median ms | p95 ms | p99 ms | max ms | p99 from due ms | late moves | "
        "errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for outcome in outcomes:
        latencies = outcome.latencies or [float("nan")]
        loaded = sum(tab.load_seconds is not None for tab in outcome.tabs)
        per_backend = Counter(tab.backend for tab in outcome.tabs if tab.load_seconds is not None)
        shown_backends = ", ".join(
            f"{address.rsplit(':', 1)[1]}: {n}" for address, n in sorted(per_backend.items())
        )
        errors = outcome.errors
        shown_errors = ", ".join(f"{kind}: {n}" for kind, n in errors.items()) or "0"
        shown_errors = shown_errors.replace("|", "\\|").replace("\n", " ")
        print(
            f"| {outcome.label} | {loaded}/{len(outcome.tabs)} | {shown_backends} | "
            f"{len(outcome.latencies)} | {len(outcome.latencies) / outcome.seconds:.1f} | "
            f"{ms(quantile(latencies, 0.5))} | {ms(quantile(latencies, 0.95))} | "
            f"{ms(quantile(latencies, 0.99))} | {ms(latencies[-1])} | "
            f"{ms(quantile(outcome.scheduled_latencies or [float('nan')], 0.99))} | "
            f"{sum(tab.late_ticks for tab in outcome.tabs)} | {shown_errors} |"
        )
    print(
        "\nPage load at connect (all students within the first "
        f"{args.ramp:g} s, not in the rerun figures):\n"
    )
    for outcome in outcomes:
        loads = sorted(tab.load_seconds for tab in outcome.tabs if tab.load_seconds is not None)
        if loads:
            print(
                f"- {outcome.label}: median {ms(statistics.median(loads))} ms, "
                f"max {ms(loads[-1])} ms"
            )
    print("\n### Server processes: memory (RSS) and CPU during the moving phase\n")
    print(
        "| configuration | process | RSS start MB | RSS end MB | RSS peak MB | growth MB | "
        "CPU (share of one core) |"
    )
    print("|---|---|---|---|---|---|---|")
    for outcome in outcomes:
        for name, cpu in outcome.cpu.items():
            memory = outcome.memory.get(name)
            cells = (
                " | ".join(f"{memory[k] / MB:.0f}" for k in ("start", "end", "peak"))
                + f" | {(memory['end'] - memory['start']) / MB:+.0f}"
                if memory
                else "– | – | – | –"
            )
            print(f"| {outcome.label} | {name} | {cells} | {100 * cpu:.0f}% |")
    for outcome in outcomes:
        values = [value for tab in outcome.tabs for value in tab.values]
        print(
            f"\n{outcome.label}: {len(values)} moves visited {len(set(values))} distinct "
            f"values of `{args.slider}`; Streamlit's caches are process-wide, so a value "
            "another student (on the same process) already visited is a cache hit."
        )
    for outcome in outcomes:
        tracebacks = Counter(trace for tab in outcome.tabs for trace in tab.tracebacks)
        for trace, count in tracebacks.items():
            print(f"\n{outcome.label}: exception element ×{count}, server traceback:\n")
            print("```\n" + trace + "\n```")
    return report_targets(outcomes, args)


def report_targets(outcomes: list[Outcome], args) -> int:
    print("\n### Targets (issue 4)\n")
    print("| target | " + " | ".join(o.label for o in outcomes) + " |")
    print("|---|" + "---|" * len(outcomes))
    rows = {
        f"{args.students} students, all loaded": [],
        "zero errors": [],
        f"p99 ≤ {ms(TARGETS['p99_seconds'])} ms (from due)": [],
        "memory growth < 100 MB (start → max of end, peak; all processes)": [],
    }
    misses = 0
    for outcome in outcomes:
        # Judged from when each move was due: the stricter of the two latencies.
        due = outcome.scheduled_latencies
        p99 = quantile(due, 0.99) if due else float("inf")
        loaded = sum(tab.load_seconds is not None for tab in outcome.tabs)
        errors = sum(outcome.errors.values())
        checks = (
            (loaded == args.students, f"{loaded}/{args.students}"),
            (errors == 0, f"{errors} errors"),
            (
                p99 <= TARGETS["p99_seconds"],
                f"{ms(p99)} ms ({ms(p99 - TARGETS['p99_seconds'])} ms vs target)",
            ),
            (outcome.growth < TARGETS["growth_bytes"], f"{outcome.growth / MB:+.0f} MB"),
        )
        for row, (ok, shown) in zip(rows.values(), checks, strict=True):
            row.append(f"{'met' if ok else 'MISSED'} ({shown})")
            misses += not ok
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")
    return misses


def header(args) -> None:
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True, check=False)
    nginx_version = nginx.stderr.strip().split("/")[-1] if nginx.returncode == 0 else "absent"
    cpu = platform.processor() or platform.machine()
    print(
        f"# Classroom load test — {platform.platform()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, streamlit "
        f"{streamlit.__version__}, websockets {websockets.__version__}, nginx {nginx_version}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}\n"
    )
    print(f"Command: `python {shlex.join(sys.argv)}`\n")
    print(
        "Servers: `python -m streamlit run app.py --server.port <free port> --server.headless "
        "true --server.address 127.0.0.1` (the repo's .streamlit/config.toml applies)"
        + "".join(f" `--{o.replace('=', ' ', 1)}`" for o in args.option)
        + "; "
        "more than one process sits behind nginx rendered from deploy/nginx.conf (sticky by "
        "its cookie: each student sends the cookie nginx would have set on its page load, "
        "student-<i>, from its own loopback address 127.x.y.1 for an older ip_hash checkout). "
        f"The {args.students} clients run in this one asyncio process on the same "
        f"{os.cpu_count()} cores as the servers.\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the moving phase")
    parser.add_argument("--processes", default="1,2", help="configurations, e.g. 1,2 or 1,2,3")
    parser.add_argument("--page", default="multiclass", help="URL path of the page (heaviest)")
    parser.add_argument("--slider", default="mc_logit_0", help="key of the slider students move")
    parser.add_argument("--interval", type=float, default=1.0, help="mean seconds between moves")
    parser.add_argument("--max-steps", type=int, default=3, help="largest move, in slider steps")
    parser.add_argument("--timeout", type=float, default=5.0, help="a slower rerun is an error")
    parser.add_argument("--ramp", type=float, default=2.0, help="students connect over this")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nginx-always", action="store_true", help="nginx in front of 1 too")
    parser.add_argument("--no-survey", action="store_true", help="skip the page survey")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="SECTION.NAME=VALUE",
        help="extra streamlit setting for the load test's servers (repeatable)",
    )
    args = parser.parse_args()
    counts = [int(count) for count in args.processes.split(",")]
    if args.students > 250 * 250:
        parser.error("at most 62,500 students (one loopback /24 each)")
    header(args)
    if not args.no_survey:
        report_survey(run_survey(), args.page)
    outcomes = []
    for count in counts:
        print(f"running {count} process(es)…", file=sys.stderr, flush=True)
        outcomes.append(run_configuration(count, args))
    misses = report_outcomes(outcomes, args)
    print(f"\n{misses} target(s) missed.\n")
    print(
        "Not included: the browser's work (parsing, React rendering, Plotly drawing — "
        "seconds on a slow laptop for this page's charts), the network (all traffic is "
        "loopback: no latency, no bandwidth limit, no Wi-Fi), and the HTTP requests a real "
        "tab also makes (static files, the health check). A rerun sends only the moved "
        f"slider's state. Student addresses: {source_address(0)} … "
        f"{source_address(args.students - 1)}."
    )
    return 1 if misses else 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except RuntimeError as error:  # a server that would not start, nginx missing: say so
        sys.exit(f"bench_classroom: {error}")
