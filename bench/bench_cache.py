"""What one cache hit costs, per caching mechanism the app uses (the policy: `ui.cache`).

Run from the project root:

    python bench/bench_cache.py               # a Markdown table
    python bench/bench_cache.py --rounds 81   # more rounds, a steadier p95
    python bench/bench_cache.py --pages       # and the memo's hits per rerun of each page

Every mechanism answers the same hit: a regression fit's key (the data's generator arguments
as sorted pairs, the loss id, its parameters: what `ui.cache.regression_fit` is asked) and its
`FitResult`, or the data set asked by keywords (`ui.cache.regression_data`). Timed per hit,
in bursts of about ``--burst-ms`` each; the mechanisms take turns burst by burst (in a
shuffled order each round), so the machine's drift falls on all alike. Reference: one
look-up in a plain dict by the same key. Per mechanism: the median and p95 over rounds of µs
per hit, and the median and p95 of its ratio to the dict's burst in the same round.

Mechanisms: the project's memo (`ui.memo.memo`: `functools.lru_cache` behind a keyword
sort), `functools.lru_cache` alone, a hand-written LRU (an `OrderedDict` and a lock, as
`losses/fit/line.py` and `ui/uploads.py` have), `st.cache_resource` and `st.cache_data`
(outside a script run, as a test calls them: the same hashing and storage path); and the
presentation restyle's cache (`ui.presentation.styled`) against the `OrderedDict` it had
before, on a real figure's JSON.

With ``--pages``: each page run in AppTest at its defaults, twice; the data and fit memos'
hits and misses in each run (the first builds the page's views: what a miss asks them; the
second is a rerun the view caches answer).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import cache, presentation  # noqa: E402
from ui.live_chart import _serialise  # noqa: E402

DATA_ARGS = {
    "n": 200,
    "slope": 2.0,
    "intercept": 1.0,
    "noise": 1.0,
    "outlier_fraction": 0.1,
    "outlier_magnitude": 10.0,
    "seed": 0,
    "added": (),
}


class HandLru:
    """The hand-written LRU the memo replaces: an OrderedDict behind a lock."""

    def __init__(self, function, entries: int):
        self.function, self.entries = function, entries
        self.kept: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, *args):
        with self.lock:
            if args in self.kept:
                self.kept.move_to_end(args)
                return self.kept[args]
        value = self.function(*args)
        with self.lock:
            self.kept[args] = value
            while len(self.kept) > self.entries:
                self.kept.popitem(last=False)
        return value


_old_styled: OrderedDict = OrderedDict()


def old_styled(body, frames, height, revision):
    """`ui.presentation.styled`'s memo before this change (an OrderedDict keyed by revision)."""
    known = _old_styled.get(revision)
    if known is None:
        known = presentation.styled(body, frames, height, revision)
        _old_styled[revision] = known
        while len(_old_styled) > 64:
            _old_styled.popitem(last=False)
    _old_styled.move_to_end(revision)
    return known


def cases():
    """(name, zero-argument callable making one hit), the dict first."""
    data_key = cache.key_of(DATA_ARGS)
    fit_key = (data_key, "huber", (("delta", 1.35),))
    result = cache.regression_fit(*fit_key)
    frame = cache.regression_data(**DATA_ARGS)

    def compute(*args):
        return result

    plain = {fit_key: result}
    lru = functools.lru_cache(maxsize=cache.FIT_ENTRIES)(compute)
    hand = HandLru(compute, cache.FIT_ENTRIES)
    resource = st.cache_resource(max_entries=cache.FIT_ENTRIES, show_spinner=False)(compute)
    copied = st.cache_data(max_entries=cache.FIT_ENTRIES, show_spinner=False)(compute)

    def data_compute(**args):
        return frame

    data_resource = st.cache_resource(max_entries=cache.DATA_ENTRIES, show_spinner=False)(
        data_compute
    )
    data_copied = st.cache_data(max_entries=cache.DATA_ENTRIES, show_spinner=False)(data_compute)
    body, height, revision = _serialise(
        cache.cost_figure((1.0, 2.0), 1.5, "mse", "MSE", ("a", "b"), ("", ""))
    )

    @st.cache_resource(max_entries=64, show_spinner=False)
    def styled_resource(_body, _frames, height, revision):
        return presentation.styled(_body, _frames, height, revision)

    listed = [
        ("dict look-up (reference)", lambda: plain[fit_key]),
        ("fit: memo (ui.memo)", lambda: cache.regression_fit(*fit_key)),
        ("fit: functools.lru_cache", lambda: lru(*fit_key)),
        ("fit: OrderedDict + lock", lambda: hand(*fit_key)),
        ("fit: st.cache_resource", lambda: resource(*fit_key)),
        ("fit: st.cache_data (a copy)", lambda: copied(*fit_key)),
        ("data by keywords: memo", lambda: cache.regression_data(**DATA_ARGS)),
        ("data by keywords: st.cache_resource", lambda: data_resource(**DATA_ARGS)),
        ("data by keywords: st.cache_data (a copy)", lambda: data_copied(**DATA_ARGS)),
        (
            "restyle: OrderedDict, no lock (before)",
            lambda: old_styled(body, None, height, revision),
        ),
        (
            "restyle: ui.presentation.styled",
            lambda: presentation.styled(body, None, height, revision),
        ),
        (
            "restyle: st.cache_resource, the JSON unhashed",
            lambda: styled_resource(body, None, height, revision),
        ),
    ]
    for _, hit in listed:
        hit()  # the first call fills the cache: every timed call is a hit
    return listed


def calls_for(hit, seconds: float) -> int:
    """How many hits fill about ``seconds`` (at least 20)."""
    start = time.perf_counter()
    for _ in range(20):
        hit()
    return max(20, round(seconds * 20 / (time.perf_counter() - start)))


def burst(hit, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        hit()
    return (time.perf_counter() - start) / calls


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def page_hits() -> list[tuple[str, int, int, int, int]]:
    """(page, memo hits, misses in its first run, hits, misses in its second) at its defaults."""
    from streamlit.testing.v1 import AppTest

    memos = [
        cache.regression_data,
        cache.binary_data,
        cache.multiclass_data,
        cache.regression_fit,
        cache.binary_fit,
        cache.multiclass_fit,
    ]

    def counts() -> tuple[int, int]:
        infos = [function.cache_info() for function in memos]
        return sum(info.hits for info in infos), sum(info.misses for info in infos)

    rows = []
    for page in sorted((ROOT / "views").glob("*.py")):
        if page.stem.startswith("_"):
            continue
        app = AppTest.from_file(str(page), default_timeout=120)
        start = counts()
        app.run()
        first = counts()
        app.run()
        second = counts()
        rows.append(
            (
                page.stem,
                first[0] - start[0],
                first[1] - start[1],
                second[0] - first[0],
                second[1] - first[1],
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--burst-ms", type=float, default=10.0, help="one burst's length")
    parser.add_argument("--pages", action="store_true")
    args = parser.parse_args()
    listed = cases()
    times: dict[str, list[float]] = {name: [] for name, _ in listed}
    ratios: dict[str, list[float]] = {name: [] for name, _ in listed}
    calls = {name: calls_for(hit, args.burst_ms / 1000) for name, hit in listed}
    order = list(listed)
    shuffle = random.Random(27)
    for _ in range(args.rounds):
        shuffle.shuffle(order)
        seconds = {name: burst(hit, calls[name]) for name, hit in order}
        for name, _ in listed:
            times[name].append(seconds[name])
            ratios[name].append(seconds[name] / seconds[listed[0][0]])
    print(
        f"# cache hit benchmark — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Streamlit {st.__version__}, {time.strftime('%Y-%m-%d')}\n"
    )
    print(f"{args.rounds} rounds of one burst (~{args.burst_ms:g} ms) per mechanism.\n")
    print("| mechanism | µs per hit, median | p95 | × dict, median | p95 |")
    print("|---|---|---|---|---|")
    for name, _ in listed:
        print(
            f"| {name} | {statistics.median(times[name]) * 1e6:.2f} | "
            f"{p95(times[name]) * 1e6:.2f} | {statistics.median(ratios[name]):.1f} | "
            f"{p95(ratios[name]):.1f} |"
        )
    if args.pages:
        print("\n| page | memo hits, first run | misses | hits, rerun | misses |")
        print("|---|---|---|---|---|")
        for page, *numbers in page_hits():
            print(f"| {page} | " + " | ".join(map(str, numbers)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
