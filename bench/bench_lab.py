"""A lab of random explorers: on every page, N students each move a random control to a random
legal value every 1–3 s (the network page: every 5–15 s, `lab_controls.RHYTHMS`); one
Streamlit process against K behind nginx (sticky by cookie).

Targets (issue 15), per page, judged on the two-process configuration: zero errors, p99
≤ 1 s and no student's longest wait over 2 s (both from when the move was due), memory
growth under 150 MB per process. Run from the project root (servers are started and
stopped by the script, fresh for every page and configuration, so caches start cold):

    python bench/bench_lab.py                                  # 8 pages × (1, 2) processes
    python bench/bench_lab.py --pages multiclass --students 40 --seconds 60
    python bench/bench_lab.py --root /tmp/old-checkout         # an older commit's app
    python bench/bench_lab.py --pages network --processes 2 --seconds 120

The network page's moves train two networks: its targets are p99 from due ≤ 2 s for a move
that trains and ≤ 1 s for one that does not (`lab_controls.trains`), zero errors and the
same growth limit.

Each server runs through bench/timed_streamlit.py, which logs every script run's wall time,
script-thread CPU and the URL keys it changed. Prints a Markdown report (load, latency,
server CPU per rerun, memory, errors, the page's own warnings, the cost of each control,
targets) and exits non-zero when the two-process configuration misses a target.
The clients run in this one asyncio process, on the same cores as the servers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import classroom_servers as servers
from bench_classroom import app_pages
from classroom_student import Session, Tab
from lab_controls import pauses
from lab_report import report
from lab_student import LabPlan, LabTab, explorer

PHASE_END_GRACE = 0.5  # s: a run's log line is written just after its script_finished


@dataclass
class PageRun:
    """One page under one configuration."""

    stem: str
    path: str
    processes: int
    tabs: list[LabTab]
    seconds: float
    runs: list[dict]  # the servers' log lines for runs that began in the moving phase
    runs_by_process: dict[str, int]
    memory: dict[str, dict[str, int]]  # process → start/end/peak RSS
    cpu_seconds: dict[str, float]  # process → CPU seconds in the moving phase
    client_cpu_seconds: float
    warm_up_errors: dict[str, int] = field(default_factory=dict)
    # With --rounds > 1: each round's memory record (the last round's is ``memory``).
    memory_rounds: list[dict[str, dict[str, int]]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "1 process" if self.processes == 1 else f"{self.processes} processes + nginx"


class Meter:
    """RSS (start, end, a peak sampled every second) and CPU time of the server processes."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.memory = {name: {"start": servers.rss_bytes(pid)} for name, pid in pids.items()}
        self.peaks = {name: memory["start"] for name, memory in self.memory.items()}
        self._cpu_start: dict[str, float] = {}

    async def sample_peaks(self) -> None:
        while True:
            for name, pid in self.pids.items():
                self.peaks[name] = max(self.peaks[name], servers.rss_bytes(pid))
            await asyncio.sleep(1.0)

    def start_cpu(self) -> None:
        self._cpu_start = {name: servers.cpu_seconds(pid, True) for name, pid in self.pids.items()}

    def stop(self) -> dict[str, float]:
        """CPU seconds since start_cpu; the memory record gets its end and peak."""
        for name, pid in self.pids.items():
            self.memory[name]["end"] = servers.rss_bytes(pid)
            self.memory[name]["peak"] = max(self.peaks[name], self.memory[name]["end"])
        return {
            name: servers.cpu_seconds(pid, True) - self._cpu_start[name]
            for name, pid in self.pids.items()
        }


async def warm_up(port: int, path: str) -> dict[str, int]:
    """One session loads the page once (imports, first figures); the errors it saw."""
    tab = Tab()
    session = Session(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        path,
        local_host="127.0.0.1",
        timeout=60,
        tab=tab,
        warnings_are_errors=False,
    )
    await session.open()
    await session.rerun()
    await session.close()
    return dict(tab.errors)


async def lab(plan: LabPlan, args, pids: dict[str, int]):
    """Connect every student (spread over --ramp s), then let them all explore --seconds."""
    loop = asyncio.get_running_loop()
    meter = Meter(pids)
    sampler = asyncio.create_task(meter.sample_peaks())
    start, deadline = asyncio.Event(), []
    readies = [loop.create_future() for _ in range(args.students)]

    async def one(index):
        await asyncio.sleep(random.Random(index).uniform(0, args.ramp))
        rng = random.Random(args.seed * 100_003 + index)
        return await explorer(index, plan, rng, readies[index], start, lambda: deadline[0])

    tasks = [asyncio.create_task(one(index)) for index in range(args.students)]
    await asyncio.gather(*readies)
    meter.start_cpu()
    client_start, began, wall_began = time.process_time(), time.perf_counter(), time.time()
    deadline.append(began + args.seconds)
    start.set()
    tabs = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - began
    cpu = meter.stop()
    client_cpu = time.process_time() - client_start
    sampler.cancel()
    return tabs, seconds, (wall_began, wall_began + seconds), meter.memory, cpu, client_cpu


def read_runs(log: Path, window: tuple[float, float]) -> list[dict]:
    """The logged runs that began inside ``window`` (time.time() seconds)."""
    if not log.exists():
        return []
    runs = [json.loads(line) for line in log.read_text().splitlines() if line]
    return [run for run in runs if window[0] <= run["start"] <= window[1]]


def run_page(stem: str, path: str, count: int, args) -> PageRun:
    """Fresh servers for one page: ``count`` Streamlit processes (behind nginx when more
    than one), warmed by one load each, then the lab; stopped whatever happens."""
    started: list[servers.Process] = []
    with tempfile.TemporaryDirectory(prefix="lab-") as temp:
        logs = {}
        try:
            ports = [servers.free_port() for _ in range(count)]
            for port in ports:
                logs[f"streamlit :{port}"] = Path(temp) / f"runs-{port}.jsonl"
                started.append(
                    servers.start_streamlit(
                        port,
                        Path(temp),
                        args.option,
                        root=args.root,
                        runs_log=logs[f"streamlit :{port}"],
                    )
                )
            for port, process in zip(ports, started, strict=True):
                servers.wait_healthy(port, process)
            front = ports[0]
            if count > 1:
                front = servers.free_port()
                started.append(servers.start_nginx(front, ports, Path(temp), nginx_root(args)))
                servers.wait_healthy(front, started[-1])
            warm_up_errors: dict[str, int] = {}
            for port in ports:
                warm_up_errors |= asyncio.run(warm_up(port, path))
            time.sleep(1.0)
            plan = LabPlan(
                f"ws://127.0.0.1:{front}/_stcore/stream", path, *pauses(stem, args), args.timeout
            )
            pids = {process.name: process.popen.pid for process in started}
            memory_rounds = []
            for _ in range(args.rounds):  # the same students, moves and seeds each round
                tabs, seconds, window, memory, cpu, client_cpu = asyncio.run(lab(plan, args, pids))
                memory_rounds.append(memory)
                time.sleep(PHASE_END_GRACE)
        finally:
            servers.stop(started)
        runs_by_process = {name: read_runs(log, window) for name, log in logs.items()}
    return PageRun(
        stem,
        path,
        count,
        tabs,
        seconds,
        [run for runs in runs_by_process.values() for run in runs],
        {name: len(runs) for name, runs in runs_by_process.items()},
        memory,
        cpu,
        client_cpu,
        warm_up_errors,
        memory_rounds if args.rounds > 1 else [],
    )


def nginx_root(args) -> Path:
    """The checkout whose deploy/nginx.conf fronts the servers: --root's, if it has one."""
    return args.root if (args.root / servers.NGINX_SITE).exists() else servers.ROOT


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="comma list of page stems (default: all)")
    parser.add_argument("--processes", default="1,2", help="configurations, e.g. 1,2")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the moving phase")
    parser.add_argument(
        "--min-interval", type=float, help="shortest pause, s (default 1; a page's rhythm)"
    )
    parser.add_argument(
        "--max-interval", type=float, help="longest pause, s (default 3; a page's rhythm)"
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="a slower rerun is an error")
    parser.add_argument("--ramp", type=float, default=10.0, help="students connect over this")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the lab this many times on the same servers (memory: no growth after the "
        "first); the figures are the last round's",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=servers.ROOT,
        help="the checkout whose app.py is served (default: this one)",
    )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="SECTION.NAME=VALUE",
        help="extra streamlit setting for the servers (repeatable)",
    )
    args = parser.parse_args()
    args.root = args.root.resolve()
    if not (args.root / "app.py").exists():
        parser.error(f"--root {args.root} has no app.py")
    args.counts = [int(count) for count in args.processes.split(",")]
    pages = app_pages(args.root)
    wanted = [stem for stem in args.pages.split(",") if stem]
    unknown = sorted(set(wanted) - {stem for stem, _ in pages})
    if unknown:
        parser.error(
            f"no such page(s): {', '.join(unknown)}; the app has "
            f"{', '.join(stem for stem, _ in pages)}"
        )
    args.page_list = [(stem, path) for stem, path in pages if not wanted or stem in wanted]
    for stem, _ in args.page_list:
        low, high = pauses(stem, args)
        if not 0 < low <= high:
            parser.error(f"{stem}: need 0 < --min-interval ≤ --max-interval")
    if args.students > 250 * 250:
        parser.error("at most 62,500 students (one loopback /24 each)")
    return args


def main() -> int:
    args = parse_args()
    results = []
    for stem, path in args.page_list:
        for count in args.counts:
            print(f"{stem}: {count} process(es)…", file=sys.stderr, flush=True)
            results.append(run_page(stem, path, count, args))
    misses = report(results, args)
    return 1 if misses else 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except RuntimeError as error:  # a server that would not start, nginx missing: say so
        sys.exit(f"bench_lab: {error}")
