"""The "Train a network" page's server side: both trainings, and the whole view, against
another checkout, interleaved.

Per case (a data set and its two default losses), `lessons.network_lab.train_pair` and the
uncached `ui.network_cache.network_view` are timed in CPU time of the process (every thread:
what the server pays) and wall time; the other checkout runs the same cases in a child process,
the two alternating ``--rounds`` times. Also the bytes a new training puts on the wire: the
figures' and frames' JSON of every chart (`ui.live_chart` sends each once per revision;
Streamlit's websocket is not compressed unless ``server.enableWebsocketCompression``).

    python bench/bench_network.py --other /tmp/bench-base          # /tmp/bench-base: git archive
    python bench/bench_network.py --other /tmp/bench-base --large  # n = 5,000, 2,000 epochs

Reports, per case and measure, the median and p95 in ms per checkout and the median of the
per-round ratios this / other.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time

DEFAULT = {"n": 400, "epochs": 500}
LARGE = {"n": 5000, "epochs": 2000}
CASES = {
    "moons": ("bce", ("gce", "focal")),
    "spiral": ("cce", ("sparse_cce",)),
    "sine": ("mse", ("huber",)),
}


def _arguments(dataset: str, n: int, epochs: int):
    from ui.cache import key_of
    from ui.network_cache import task_of

    data = {"dataset": dataset, "n": n, "seed": 0}
    if task_of(dataset) == "regression":
        data |= {"noise": 0.1, "outlier_fraction": 0.0, "outlier_magnitude": 3.0}
        data["two_sided"] = False
    else:
        data |= {"minority_fraction": 0.5, "label_noise": 0.0}
    network = {
        "hidden": (16, 16),
        "activation": "tanh",
        "init_seed": 0,
        "optimiser": key_of({"kind": "adam", "learning_rate": 0.01}),
        "epochs": epochs,
        "batch_size": None,
        "batch_seed": 0,
        "l2": 0.0,
    }
    return key_of(data), key_of(network)


def _timed(call, *arguments) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    call(*arguments)
    return 1000 * (time.process_time() - cpu), 1000 * (time.perf_counter() - wall)


def measure(size: dict, repeats: int) -> dict:
    """{case: {measure: [ms, …]}, "bytes": {case: JSON bytes of a new training's charts}}."""
    sys.path.insert(0, os.getcwd())
    import losses
    from lessons import network_lab
    from ui import network_cache

    result: dict = {"bytes": {}}
    for dataset, (first, seconds) in CASES.items():
        second = next(loss_id for loss_id in seconds if _known(loss_id))
        data_args, network = _arguments(dataset, size["n"], size["epochs"])
        choices = ((first, ()), (second, ()))
        data = network_cache._problem(data_args, 0)
        settings = network_cache._settings(network)
        chosen = [(losses.get(loss_id), {}) for loss_id, _ in choices]
        view = network_cache.network_view.__wrapped__
        shown = view(data_args, choices, network, 0)  # warm: imports, first calls
        charts = [*shown.panels, shown.cost, shown.reliability]
        result["bytes"][dataset] = sum(
            len(chart.figure_json.encode()) + len(chart.frames_json.encode())
            for chart in charts
            if chart is not None
        )
        times = {"train_pair cpu": [], "train_pair wall": [], "view cpu": [], "view wall": []}
        # As network_view runs it (with one BLAS thread, where the checkout limits that).
        limit = getattr(network_cache, "_one_blas_thread", contextlib.nullcontext)
        for _ in range(repeats):
            with limit():
                cpu, wall = _timed(network_lab.train_pair, data, chosen, settings)
            times["train_pair cpu"].append(cpu)
            times["train_pair wall"].append(wall)
            cpu, wall = _timed(view, data_args, choices, network, 0)
            times["view cpu"].append(cpu)
            times["view wall"].append(wall)
        result[f"{dataset} ({first}, {second})"] = times
    return result


def _known(loss_id: str) -> bool:
    import losses

    try:
        losses.get(loss_id)
    except ValueError:
        return False
    return True


def _child(checkout: str, size: str, repeats: int) -> dict:
    command = [sys.executable, os.path.abspath(__file__), "--worker", size, str(repeats)]
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        size = LARGE if sys.argv[2] == "large" else DEFAULT
        print(json.dumps(measure(size, int(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--other", help="another checkout to compare with (a directory)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="calls per case per round")
    parser.add_argument("--large", action="store_true", help="n = 5,000 and 2,000 epochs")
    options = parser.parse_args()
    size = "large" if options.large else "default"
    sides = {"this": os.getcwd()} | ({"other": options.other} if options.other else {})
    runs = {side: [] for side in sides}
    for _ in range(options.rounds):
        for side, checkout in sides.items():
            runs[side].append(_child(checkout, size, options.repeats))
    shape = LARGE if options.large else DEFAULT
    print(f"n = {shape['n']:,}, {shape['epochs']:,} epochs; {options.rounds} rounds × ", end="")
    print(f"{options.repeats} calls; load average {os.getloadavg()[0]:.1f}")
    for case in (key for key in runs["this"][0] if key != "bytes"):
        for measure_name in runs["this"][0][case]:
            line = f"{case:28} {measure_name:16}"
            for side in sides:
                values = [value for run in runs[side] for value in run[case][measure_name]]
                line += f" {side} median {statistics.median(values):7.1f} p95 {_p95(values):7.1f}"
            if "other" in sides:
                ratios = [
                    statistics.median(mine[case][measure_name])
                    / statistics.median(theirs[case][measure_name])
                    for mine, theirs in zip(runs["this"], runs["other"], strict=True)
                ]
                line += f"  ratio {statistics.median(ratios):.2f}"
            print(line)
    for side in sides:
        sizes = runs[side][0]["bytes"]
        print(f"{side}: JSON bytes of a new training's charts: {sizes}")


if __name__ == "__main__":
    main()
