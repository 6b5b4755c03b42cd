"""Loss versus cost on a small table a student edits: per-sample losses and their mean.

A table has a true-value column "y" and predictions: "ŷ" for regression and binary
losses, one probability column per class ("p0", "p1", …) for multi-class ones.
Rows with a missing cell are left out (and said so); class probabilities that do not
sum to 1 are divided by their sum here, so every multi-class loss sees a distribution. CCE
and sparse CCE divide by the sum themselves (as Keras' do); KL does not (nor does Keras'
KLDivergence), so for KL the division is this page's, and the note says which.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from losses import multiclass
from losses.spec import Loss, weighted_mean

TRUE = "y"
PREDICTED = "ŷ"
MAX_ROWS = 50
MAX_CLASSES = 10

# Regression: sklearn's mean_squared_error docstring example, plus one far-off prediction.
EXAMPLES = {
    "regression": {TRUE: [3.0, -0.5, 2.0, 7.0, 4.0], PREDICTED: [2.5, 0.0, 2.0, 8.0, 9.0]},
    # The last row of each classification table is a confident mistake (p = 0 for the true
    # class): its log is −∞, so it shows what the clip ε does and how one such row dominates.
    "binary": {TRUE: [1.0, 0.0, 1.0, 0.0, 1.0], PREDICTED: [0.9, 0.2, 0.6, 0.7, 0.0]},
    "multiclass": {
        TRUE: [0, 1, 2, 2],
        "p0": [0.7, 0.2, 0.1, 0.6],
        "p1": [0.2, 0.7, 0.3, 0.4],
        "p2": [0.1, 0.1, 0.6, 0.0],
    },
}


def example(task: str) -> pd.DataFrame:
    """The starting table for ``task``."""
    return pd.DataFrame(EXAMPLES[task])


def probability_columns(table: pd.DataFrame) -> list[str]:
    return [name for name in table.columns if name != TRUE]


@dataclass(frozen=True)
class CostBreakdown:
    """Per-sample losses of the complete rows, their mean (the cost), and notes."""

    per_sample: np.ndarray
    cost: float
    rows: np.ndarray  # indices of the table rows that were used
    notes: list[str] = field(default_factory=list)
    y_true: np.ndarray | None = None  # what the loss was given, for "reproduce this number"
    y_pred: np.ndarray | None = None


def evaluate(loss: Loss, table: pd.DataFrame, **params) -> CostBreakdown:
    """Per-sample ``loss`` on each complete row of ``table`` and the cost (their mean).

    Raises ValueError (with the core's message) for values the loss does not accept.
    """
    notes = []
    numbers = table.apply(pd.to_numeric, errors="coerce")
    complete = numbers.notna().all(axis=1).to_numpy()
    rows = np.flatnonzero(complete)
    left_out = int((~complete).sum())
    if left_out:
        notes.append(f"{left_out} row(s) with an empty or non-numeric cell are left out.")
    if rows.size == 0:
        raise ValueError("the table has no complete row; fill in a true and a predicted value.")
    used = numbers.iloc[rows]
    y_true = used[TRUE].to_numpy(dtype=np.float64)
    if loss.task == "multiclass":
        y_true, y_pred = _class_inputs(loss, y_true, used, notes)
    else:
        y_pred = used[PREDICTED].to_numpy(dtype=np.float64)
    per_sample = loss.value(y_true, y_pred, **params)
    notes.extend(_clip_notes(loss, y_pred, params))
    return CostBreakdown(per_sample, weighted_mean(per_sample), rows, notes, y_true, y_pred)


def row_texts(table: pd.DataFrame, rows) -> list[str]:
    """Each used row's cells as text for a hover label: "y = 3, ŷ = 2.5"."""
    columns = [(name, table[name].to_numpy()) for name in table.columns]
    return [", ".join(f"{name} = {cells[row]:g}" for name, cells in columns) for row in rows]


def mean_written_out(breakdown: CostBreakdown, shown: int = 8) -> str:
    """The cost as LaTeX, its first ``shown`` terms written out: J = 1/n (ℓ₀ + ℓ₁ + …) = J."""
    terms = " + ".join(f"{value:.3g}" for value in breakdown.per_sample[:shown])
    more = " + …" if breakdown.per_sample.size > shown else ""
    n = breakdown.per_sample.size
    return rf"J = \frac{{1}}{{{n}}}\left({terms}{more}\right) = {breakdown.cost:.4g}"


def _class_inputs(loss: Loss, labels: np.ndarray, used: pd.DataFrame, notes: list[str]):
    probabilities = used[probability_columns(used)].to_numpy(dtype=np.float64)
    k = probabilities.shape[1]
    if np.any(probabilities < 0):
        raise ValueError("class probabilities cannot be negative.")
    sums = probabilities.sum(axis=1)
    if np.any(sums <= 0):
        raise ValueError("a row's class probabilities are all 0; give one class a positive value.")
    off = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
    if off.size:
        notes.append(
            f"{off.size} row(s) of probabilities did not sum to 1 (row {int(used.index[off[0]])} "
            f"sums to {sums[off[0]]:g}); {_division_text(loss)}"
        )
        probabilities = probabilities / sums[:, None]
    if np.any((labels != np.round(labels)) | (labels < 0) | (labels >= k)):
        bad = labels[(labels != np.round(labels)) | (labels < 0) | (labels >= k)][0]
        raise ValueError(f"the true class y must be a whole number 0..{k - 1}; got {bad:g}.")
    return _class_target(loss, labels.astype(np.int64), k), probabilities


def _class_target(loss: Loss, labels: np.ndarray, k: int) -> np.ndarray:
    """The labels as ``loss`` takes them: class indices (sparse CCE) or one-hot rows."""
    return labels if loss.label_form == "index" else multiclass.one_hot(labels, k)


def divides_rows(loss: Loss) -> bool:
    """Whether ``loss``'s kernel divides each probability row by its sum itself: a row and
    half of it cost the same (CCE, sparse CCE) or not (KL, which takes p as given)."""
    row = np.array([[0.6, 0.4]])
    target = _class_target(loss, np.array([0]), 2)
    return bool(loss.value(target, row)[0] == loss.value(target, row / 2.0)[0])


def _division_text(loss: Loss) -> str:
    """What dividing the rows by their sums was, for this loss: its own step or the page's."""
    if divides_rows(loss):
        return (
            "each was divided by its sum, as this loss does itself (Keras' categorical "
            "cross-entropies do the same)."
        )
    return (
        "each was divided by its sum here, before the loss saw it: the loss itself takes p as "
        "given (as do Keras' KLDivergence and scipy.special.rel_entr)."
    )


def worst_case(loss: Loss, params: dict) -> float:
    """The loss of a true class (binary: a positive) predicted with probability 0, as the
    kernel computes it with ``params`` (the clip, a positive weight, label smoothing)."""
    if loss.task == "multiclass":
        target = _class_target(loss, np.array([0]), 2)
        return float(loss.value(target, np.array([[0.0, 1.0]]), **params)[0])
    return float(loss.value(np.array([1.0]), np.array([0.0]), **params)[0])


def _clip_notes(loss: Loss, y_pred: np.ndarray, params: dict) -> list[str]:
    """Say so when probabilities sit where the loss clips them, and what p = 0 now costs."""
    resolved = loss.resolve_params(params)
    if "eps" not in resolved or resolved.get("from_logits", False):
        return []
    eps = resolved["eps"]
    # Binary losses take log(1 − p) too, so both ends count; in a class row a probability
    # near 1 leaves the others near 0, so its low end is where a true class is capped.
    if loss.task == "multiclass":
        outside, where = y_pred < eps, "below ε"
    else:
        outside, where = (y_pred < eps) | (y_pred > 1.0 - eps), "outside [ε, 1 − ε]"
    clipped = int(np.count_nonzero(outside))
    if not clipped:
        return []
    true_class = "a true class" if loss.task == "multiclass" else "a positive"
    cap, log_eps = worst_case(loss, params), -np.log(eps)
    if np.isclose(cap, log_eps, rtol=1e-9, atol=0.0):
        costs = f"costs −log ε = {log_eps:.3g} instead of infinity"
    else:
        costs = (
            f"costs {cap:.3g} instead of infinity (−log ε = {log_eps:.3g}, scaled by the "
            "loss's other settings)"
        )
    return [
        f"{clipped} predicted probabilit{'y lies' if clipped == 1 else 'ies lie'} {where} "
        f"with ε = {eps:g} and {'was' if clipped == 1 else 'were'} clipped before the log: "
        f"{true_class} given p = 0 {costs}. Move ε to see the cap move."
    ]


def encode(table: pd.DataFrame) -> str:
    """The table's cells as text for a link: rows split by ";", cells by ","."""
    return ";".join(
        ",".join("" if pd.isna(cell) else f"{float(cell):.10g}" for cell in row)
        for row in table.to_numpy(dtype=object)
    )


# Cache policy (ui.cache): constants.
@functools.cache
def encoded_example(task: str) -> str:
    """`encode` of `example` (asked on every rerun of the page: is the table still it?)."""
    return encode(example(task))


def decode(text: str, task: str) -> pd.DataFrame | None:
    """A table from `encode`'s text, shaped for ``task``; None if it cannot be read."""
    try:
        rows = [[_cell(cell) for cell in row.split(",")] for row in text.split(";") if row]
    except ValueError:
        return None
    widths = {len(row) for row in rows}
    if not rows or len(rows) > MAX_ROWS or len(widths) != 1:
        return None
    width = widths.pop()
    if task == "multiclass":
        if not 3 <= width <= MAX_CLASSES + 1:
            return None
        columns = [TRUE] + [f"p{j}" for j in range(width - 1)]
    elif width == 2:
        columns = [TRUE, PREDICTED]
    else:
        return None
    return pd.DataFrame(rows, columns=columns, dtype=np.float64)


def _cell(text: str) -> float:
    if text.strip() == "":
        return math.nan
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value
