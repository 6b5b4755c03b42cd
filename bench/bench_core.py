"""Time value + grad of every registered loss at n = 200 … 10⁷ against a memory-bound floor.

First the sizes the pages use (n = 200, 1,000 and 5,000: every fit calls value and grad
many times at these sizes, so they matter most), in µs per value + grad. Then issue 4's
throughput view ("Core throughput"): each loss's time relative to a single NumPy pass over
the same arrays, with any loss more than 10× that floor at n = 10⁶ flagged.
To compare the small sizes with another checkout in one process, see bench/compare_core.py.
Run from the project root:

    python bench/bench_core.py              # prints a Markdown report
    python bench/bench_core.py --max-n 1e6  # a quicker run without n = 10⁷

What is timed: ``loss.value(y_true, y_pred)`` followed by ``loss.grad(y_true, y_pred)``
at the loss's default parameters, through the public `Loss` API (so the input
checks at the boundary are included, twice, as a page pays them). Input
generation is outside the timed region. Each figure is the median of adaptive
repeats: as many as fit in a time budget, at least 3 and at most 500.

The floor is one ``np.subtract(y_true, y_pred, out=buffer)`` over arrays shaped
like the ones the loss reads (n elements; n·k for the multi-class losses, k = 10),
into a preallocated buffer: it reads two float64 arrays and writes one, the least
memory traffic any loss of two arrays can have. Without ``out=`` the floor would
include allocating (and at large n page-faulting) a fresh result, which every
loss also pays, and would flatter the ratios; the preallocated pass is the
stricter, honest memory-bound floor. Sparse CCE reads (n,) labels and an (n, k)
prediction; it is compared with the same (n, k) floor as CCE.

A second reference, ``np.exp(y_pred, out=buffer)`` over the same elements, is the
cost of one transcendental per element: losses that need logs or exps per
element are bounded below by a small multiple of it, not by the subtraction.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import losses  # noqa: E402

PAGE_SIZES = (200, 1_000, 5_000)  # what the pages send (up to 5,000 points)
SIZES = (*PAGE_SIZES, 10_000, 100_000, 1_000_000, 10_000_000)
N_CLASSES = 10
LIMIT_RATIO = 10.0  # the threshold at n = 10⁶
CHECKED_N = 1_000_000
OUTLIER_FRACTION = 0.05
POSITIVE_FRACTION = 0.3


# ---------------------------------------------------------------- inputs


def regression_inputs(n, rng):
    """Targets and predictions with unit Gaussian residuals and 5% outliers (|r| in 5..50)."""
    y_true = rng.normal(0.0, 3.0, n)
    residual = rng.normal(0.0, 1.0, n)
    outliers = rng.random(n) < OUTLIER_FRACTION
    count = int(outliers.sum())
    residual[outliers] = rng.choice([-1.0, 1.0], count) * rng.uniform(5, 50, count)
    return y_true, y_true + residual


def binary_scores(n, rng):
    """0/1 labels (30% positive) and logits that mostly, not always, point the right way."""
    y_true = (rng.random(n) < POSITIVE_FRACTION).astype(np.float64)
    logits = 2.0 * (2.0 * y_true - 1.0) + rng.normal(0.0, 2.0, n)
    return y_true, logits


def multiclass_logits(n, rng):
    """Integer labels in 0..k-1 and (n, k) logits leaning towards the true class."""
    labels = rng.integers(0, N_CLASSES, n)
    logits = rng.normal(0.0, 1.5, (n, N_CLASSES))
    logits[np.arange(n), labels] += 2.0
    return labels, logits


def softmax_rows(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


def inputs_for(loss, n, rng):
    """(y_true, y_pred) for ``loss`` at its default parameters, and a description."""
    defaults = loss.defaults
    if loss.task == "regression":
        return regression_inputs(n, rng)
    if loss.task == "binary":
        y_true, logits = binary_scores(n, rng)
        if loss.id == "hinge" or defaults.get("from_logits"):
            return y_true, logits
        return y_true, 1.0 / (1.0 + np.exp(-logits))  # probabilities in (0, 1)
    labels, logits = multiclass_logits(n, rng)
    y_pred = logits if defaults.get("from_logits") else softmax_rows(logits)
    if loss.id == "sparse_cce":
        return labels, y_pred
    if loss.id == "kl":
        # Soft targets (what KL compares): a softened version of another draw of logits.
        _, teacher = multiclass_logits(n, rng)
        return softmax_rows(0.5 * teacher), y_pred
    one_hot = np.zeros((n, N_CLASSES))
    one_hot[np.arange(n), labels] = 1.0
    return one_hot, y_pred


INPUT_NOTES = {
    "regression": "y_true ~ N(0, 3²), residual ~ N(0, 1) with 5% outliers of |r| in [5, 50]",
    "binary": "labels 30% positive; logits 2·(2y − 1) + N(0, 2²); probability losses get σ(logit), "
    "hinge the raw logit",
    "multiclass": f"k = {N_CLASSES}; logits N(0, 1.5²) + 2 on the true class; probability "
    "losses get softmax rows; CCE one-hot rows, sparse CCE integer labels, KL soft targets "
    "(softmax of another draw of logits / 2)",
}


# ---------------------------------------------------------------- timing


def median_seconds(call, budget):
    """Median wall time of ``call()``: 3 to 500 repeats, as many as fit in ``budget`` seconds."""
    start = time.perf_counter()
    call()  # warm-up: first-touch page faults, caches
    first = time.perf_counter() - start
    repeats = int(min(500, max(3, budget / max(first, 1e-9))))
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), repeats


def references(elements, budget):
    """Median seconds of the subtract floor and of the exp reference over ``elements`` float64s."""
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=elements), rng.normal(size=elements)
    buffer = np.empty(elements)
    floor, _ = median_seconds(lambda: np.subtract(a, b, out=buffer), budget)
    exp, _ = median_seconds(lambda: np.exp(a, out=buffer), budget)
    return floor, exp  # the arrays are freed on return


def time_loss(loss, n, budget):
    rng = np.random.default_rng(n)
    y_true, y_pred = inputs_for(loss, n, rng)
    elements = y_pred.size

    def value_and_grad():
        loss.value(y_true, y_pred)
        loss.grad(y_true, y_pred)

    seconds, repeats = median_seconds(value_and_grad, budget)
    gc.collect()
    return seconds, repeats, elements


# ---------------------------------------------------------------- report


def machine_lines(command):
    import streamlit

    return [
        f"- machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, "
        f"Streamlit {streamlit.__version__}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- command: `{command}`",
    ]


def fmt_ratio(ratio):
    return f"{ratio:.1f}" if ratio < 100 else f"{ratio:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=float, default=SIZES[-1], help="largest n (default 1e7)")
    parser.add_argument(
        "--budget", type=float, default=0.3, help="seconds of repeats per case (default 0.3)"
    )
    parser.add_argument("--only", nargs="*", default=None, help="loss ids to time (default all)")
    args = parser.parse_args()
    sizes = [n for n in SIZES if n <= args.max_n]
    chosen = [loss for loss in losses.REGISTRY.values() if not args.only or loss.id in args.only]
    command = "python bench/bench_core.py" + "".join(f" {arg}" for arg in sys.argv[1:])

    floor, exp = {}, {}
    for n in sizes:
        for elements in {n, n * N_CLASSES}:
            floor[elements], exp[elements] = references(elements, args.budget)

    results = {}
    for loss in chosen:
        for n in sizes:
            results[loss.id, n] = time_loss(loss, n, args.budget)
            print(f"  {loss.id} n={n:,}: {results[loss.id, n][0] * 1e3:.3f} ms", file=sys.stderr)

    print("# Core throughput: value + grad of every loss vs one np.subtract pass\n")
    print("\n".join(machine_lines(command)))
    print(
        f"- timed: `loss.value(y_true, y_pred)` + `loss.grad(y_true, y_pred)` at default "
        f"parameters, through the public API (input checks included); median of adaptive "
        f"repeats (≥ 3, ≤ 500, ~{args.budget:g} s per case)"
    )
    print(
        "- floor: one `np.subtract(a, b, out=buffer)` over float64 arrays of the same element "
        f"count the loss reads (n; n·k with k = {N_CLASSES} for multi-class), preallocated "
        "output; exp reference: `np.exp(a, out=buffer)` over the same elements"
    )
    for task, note in INPUT_NOTES.items():
        print(f"- {task} inputs: {note}")

    page_sizes = [n for n in PAGE_SIZES if n in sizes]
    if page_sizes:
        print("\n## value + grad at the pages' sizes (µs, median)\n")
        print("| loss | task | " + " | ".join(f"n = {n:,}" for n in page_sizes) + " |")
        print("|---|---|" + "---|" * len(page_sizes))
        for loss in chosen:
            cells = [f"{results[loss.id, n][0] * 1e6:.1f}" for n in page_sizes]
            print(f"| {loss.id} | {loss.task} | " + " | ".join(cells) + " |")

    print("\n## Reference passes (median)\n")
    print("| n | elements | subtract floor | ns/element | np.exp | ns/element |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        for elements in sorted({n, n * N_CLASSES}):
            print(
                f"| {n:,} | {elements:,} | {floor[elements] * 1e3:.4f} ms | "
                f"{floor[elements] / elements * 1e9:.2f} | {exp[elements] * 1e3:.4f} ms | "
                f"{exp[elements] / elements * 1e9:.2f} |"
            )

    checked = CHECKED_N in sizes
    header = " | ".join(f"n = {n:.0e}".replace("e+0", "e") for n in sizes)
    extra = " | ms at 1e6 | ns/element at 1e6 | ÷ np.exp at 1e6 | ≤ 10× floor at 1e6"
    extra = extra if checked else ""
    print("\n## value + grad, ratio to the subtract floor\n")
    print(f"| loss | task | {header}{extra} |")
    print("|---|---|" + "---|" * len(sizes) + ("---|---|---|---|" if checked else ""))
    over = []
    for loss in chosen:
        cells = []
        for n in sizes:
            seconds, _, elements = results[loss.id, n]
            cells.append(fmt_ratio(seconds / floor[elements]))
        line = f"| {loss.id} | {loss.task} | " + " | ".join(cells)
        if checked:
            seconds, _, elements = results[loss.id, CHECKED_N]
            ratio = seconds / floor[elements]
            ok = ratio <= LIMIT_RATIO
            if not ok:
                over.append(loss.id)
            line += (
                f" | {seconds * 1e3:.2f} | {seconds / elements * 1e9:.1f} | "
                f"{seconds / exp[elements]:.1f} | {'yes' if ok else '**NO**'}"
            )
        print(line + " |")

    print(
        f"\nRepeats per case: {min(r[1] for r in results.values())}–"
        f"{max(r[1] for r in results.values())}. Peak resident memory of the run: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB."
    )
    if checked:
        verdict = ", ".join(over) if over else "none"
        print(f"\nLosses above {LIMIT_RATIO:g}× the floor at n = 10⁶: {verdict}.")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
