"""value + grad of every loss at the pages' sizes, this checkout against another, in one process.

For a change to the core that must not slow the pages down (issue 10: within 10 % at
n = 200, 1,000 and 5,000). This machine's speed drifts by tens of percent from one second
to the next, so the two cores are timed side by side in one process: the other checkout's
`losses` package is copied to a temporary folder as `losses_other` (its own imports renamed
to match), and for each loss and n the two alternate in short bursts (value + grad, 20 calls
a burst at the pages' sizes, 41 bursts each), on the same arrays (`bench_core.inputs_for`).
Reported per case: the median burst time per call of each, and the ratio this / other with
its spread over bursts (the 10th-90th percentile of the burst-by-burst ratios).
Run from the project root:

    git worktree add /tmp/before <commit>
    python bench/compare_core.py /tmp/before
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(1, str(HERE))

from bench_core import inputs_for  # noqa: E402

import losses  # noqa: E402

SIZES = (200, 1_000, 5_000)
CALLS_PER_BURST = 20  # at the pages' sizes; fewer above n = 5,000 (one at 10⁵ and more)
IMPORT = re.compile(r"^(\s*)(from|import) losses\b", flags=re.M)


def load_other(tree: Path, into: Path):
    """The other checkout's `losses` package, imported as `losses_other`."""
    target = into / "losses_other"
    shutil.copytree(tree / "losses", target, ignore=shutil.ignore_patterns("__pycache__"))
    for module in target.rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        source = IMPORT.sub(r"\1\2 losses_other", source)
        module.write_text(source.replace("from losses.", "from losses_other."), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("losses_other")


def burst(loss, y_true, y_pred) -> float:
    """Seconds per value + grad over one burst of calls."""
    calls = max(1, min(CALLS_PER_BURST, 100_000 // len(y_true)))
    start = time.perf_counter()
    for _ in range(calls):
        loss.value(y_true, y_pred)
        loss.grad(y_true, y_pred)
    return (time.perf_counter() - start) / calls


def compare(this_loss, other_loss, n: int, bursts: int) -> tuple[float, float, float, float]:
    """(this, other) median seconds per value + grad, and the 10th/90th percentile ratios."""
    y_true, y_pred = inputs_for(this_loss, n, np.random.default_rng(n))
    for loss in (this_loss, other_loss):
        burst(loss, y_true, y_pred)  # warm-up
    this_times, other_times = [], []
    for index in range(bursts):
        pair = [(this_times, this_loss), (other_times, other_loss)]
        for times, loss in pair if index % 2 == 0 else pair[::-1]:
            times.append(burst(loss, y_true, y_pred))
    ratios = sorted(a / b for a, b in zip(this_times, other_times, strict=True))
    low, high = ratios[len(ratios) // 10], ratios[(len(ratios) * 9) // 10]
    return statistics.median(this_times), statistics.median(other_times), low, high


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="the other checkout's root")
    parser.add_argument("--bursts", type=int, default=41)
    parser.add_argument(
        "--sizes",
        type=float,
        nargs="*",
        default=SIZES,
        help="values of n (default: the pages' 200, 1,000 and 5,000)",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes]
    with tempfile.TemporaryDirectory() as folder:
        other = load_other(Path(args.other).resolve(), Path(folder))
        print(
            f"# value + grad: {HERE.parent} (this) against {Path(args.other).resolve()} (other)\n"
        )
        print("- command: `python bench/compare_core.py " + " ".join(sys.argv[1:]) + "`")
        print(
            f"- {args.bursts} alternating bursts of {CALLS_PER_BURST} calls per case, one "
            "process; µs per value + grad (median burst); ratio this / other [p10, p90]\n"
        )
        print("| loss | " + " | ".join(f"n = {n:,}" for n in sizes) + " |")
        print("|---|" + "---|" * len(sizes))
        ratios = []
        for loss in losses.REGISTRY.values():
            cells = []
            for n in sizes:
                this, before, low, high = compare(loss, other.get(loss.id), n, args.bursts)
                ratios.append(this / before)
                cells.append(
                    f"{this * 1e6:.1f} / {before * 1e6:.1f} = {this / before:.2f} "
                    f"[{low:.2f}, {high:.2f}]"
                )
            print(f"| {loss.id} | " + " | ".join(cells) + " |", flush=True)
        print(
            f"\nratio this / other over all cases: median {statistics.median(ratios):.3f}, "
            f"max {max(ratios):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
