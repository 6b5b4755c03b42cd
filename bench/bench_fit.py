"""Time every fit at n = 2,000 and n = 100,000 on generated data.

Targets (issue "NumPy loss core"): n ≤ 2,000 under 50 ms, n = 100,000 under 2 s.
Run from the project root:

    python bench/bench_fit.py            # prints a Markdown table
    python bench/bench_fit.py --repeat 7

Reports the median and the worst of the repeats, the iterations and whether the
fit converged. Data generation is outside the timed region.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import losses  # noqa: E402
from losses import data, fit  # noqa: E402

TARGET_SECONDS = {2_000: 0.050, 100_000: 2.0}

CASES = [
    *[("regression", loss.id, {}) for loss in losses.by_task("regression")],
    ("regression", "huber", {"delta": 0.01}),
    *[("binary", loss.id, {}) for loss in losses.by_task("binary")],
    ("binary", "bce", {"pos_weight": 19.0}),
    *[("multiclass", loss.id, {}) for loss in losses.by_task("multiclass")],
]


def make(task: str, n: int):
    if task == "regression":
        return data.make_regression(n, outlier_fraction=0.1, seed=1)
    if task == "binary":
        return data.make_binary(n, positive_fraction=0.05, label_noise=0.05, seed=1)
    return data.make_multiclass(n, k=10, seed=1)


def run_case(task, loss_id, params, frame, repeat):
    fitter = {
        "regression": fit.fit_regression,
        "binary": fit.fit_binary,
        "multiclass": fit.fit_multiclass,
    }[task]
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fitter(frame, loss_id, **params)
        seconds.append(time.perf_counter() - start)
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"# fit benchmark — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    print("| n | task | loss | params | iterations | converged | median ms | max ms | target |")
    print("|---|---|---|---|---|---|---|---|---|")
    misses = 0
    for n, target in TARGET_SECONDS.items():
        frames = {task: make(task, n) for task in ("regression", "binary", "multiclass")}
        for task, loss_id, params in CASES:
            result, seconds = run_case(task, loss_id, params, frames[task], args.repeat)
            median = statistics.median(seconds)
            ok = median <= target
            misses += not ok
            shown = ", ".join(f"{key}={value}" for key, value in params.items()) or "defaults"
            print(
                f"| {n:,} | {task} | {loss_id} | {shown} | {result.iterations} | "
                f"{result.converged} | {median * 1e3:.1f} | {max(seconds) * 1e3:.1f} | "
                f"{'met' if ok else 'MISSED'} (≤ {target * 1e3:.0f} ms) |"
            )
    print(f"\n{misses} case(s) missed their target.")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
