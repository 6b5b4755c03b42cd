"""A page's rerun on new data, in AppTest, this checkout against another, interleaved.

Per page, the data seed is moved to seven new values one rerun at a time (each rerun builds
new data, fits and figures: no cache hit) and each rerun is timed (the network page reruns
seven times unchanged: a rerun that does not train, as when its playback settles); the
other checkout runs the same seeds in a child process, the two alternating ``--rounds``
times. Reports each
page's median ms per checkout and the ratio this / other per round, and their median.

    python bench/bench_reruns.py /tmp/bench-base            # the base: git archive <commit>
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PAGES = {
    "views/regression.py": "reg_data_seed",
    "views/huber.py": "hub_data_seed",
    "views/gradient_descent.py": "gd_data_seed",
    "views/binary.py": "bin_data_seed",
    # A new seed would train two networks (bench/bench_network.py times that): here the
    # page reruns unchanged, as when its playback settles, with its training cached.
    "views/network.py": None,
}
SEEDS = 7


def measure(offset: int) -> dict[str, float]:
    """{page: median ms of its reruns} for this working directory's app."""
    from streamlit.testing.v1 import AppTest

    medians = {}
    for page, key in PAGES.items():
        app = AppTest.from_file(os.path.join(os.getcwd(), "app.py"), default_timeout=120)
        app.run()
        app.switch_page(page)
        app.run()
        times = []
        for seed in range(1, SEEDS + 1):
            if key is not None:
                widgets = [w for w in list(app.number_input) + list(app.slider) if w.key == key]
                widgets[0].set_value(offset * 100 + seed)
            start = time.perf_counter()
            app.run()
            times.append((time.perf_counter() - start) * 1000)
            assert not app.exception, app.exception
        medians[page] = statistics.median(times)
    return medians


def run_in(root: Path, offset: int) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(offset)]
    done = subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"PYTHONPATH": str(root)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", nargs="?", type=Path, help="the other checkout's root")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(measure(args.measure)))
        return 0
    this = Path(__file__).resolve().parents[1]
    ratios: dict[str, list[float]] = {page: [] for page in PAGES}
    print("| round | page | this ms | other ms | this / other |\n|---|---|---|---|---|")
    for round_number in range(1, args.rounds + 1):
        ours, theirs = run_in(this, round_number), run_in(args.other, round_number)
        for page in PAGES:
            ratio = ours[page] / theirs[page]
            ratios[page].append(ratio)
            print(
                f"| {round_number} | {page} | {ours[page]:.1f} | {theirs[page]:.1f} | {ratio:.2f} |"
            )
    for page, values in ratios.items():
        print(f"{page}: median ratio {statistics.median(values):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
