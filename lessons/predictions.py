"""Predict-then-reveal: the right answer to a scene's question, computed from its data.

A scene asks before it shows ("Which line do the outliers drag further?"). The answer is
never typed into the scene: each function here fits, descends or counts on the data the
scene shows and returns the index of the right option with a sentence that gives the
numbers, so a scene whose data change gets the answer that goes with them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

import losses
from lessons import descent as descent_lesson
from lessons import metrics
from lessons.multiclass_fit import softmax_logits
from losses import fit, multiclass


class Answer(NamedTuple):
    """The right option (an index into the question's options) and why, with numbers."""

    index: int
    why: str


LINE_OPTIONS = (
    "The least-squares (MSE) line",
    "The MAE line",
    "Both, about as far as each other",
    "Neither: both stay put",
)
# The lines' gaps to the true line count as the same when within this share of each other,
# and both as staying put when under this absolute gap (y units: with noise 1 and 200 points
# a line fitted without outliers already wanders about 0.1–0.2 from the true one).
SAME_SHARE, SMALL_GAP = 0.2, 0.3


def line_gap(params: dict, true_intercept: float, true_slope: float, x) -> float:
    """Mean vertical distance between a fitted line and the true line over the data's x:
    mean |(a − a₀) + (b − b₀)·x|."""
    x = np.asarray(x, dtype=np.float64)
    gap = (params["intercept"] - true_intercept) + (params["slope"] - true_slope) * x
    return float(np.mean(np.abs(gap)))


def _gap_text(gap: float) -> str:
    """A gap with two decimals, more where two would read as `SMALL_GAP` (0.2996: "0.2996")."""
    places = 2
    while f"{gap:.{places}f}" == f"{SMALL_GAP:.{places}f}" and gap != SMALL_GAP and places < 9:
        places += 1
    return f"{gap:.{places}f}"


def which_line_moves(frame: pd.DataFrame) -> Answer:
    """Which of the MSE and MAE lines lies further from the true line on ``frame``
    (`losses.data.make_regression`'s columns and attrs): an index into `LINE_OPTIONS`.

    Both under `SMALL_GAP`: neither moved; within `SAME_SHARE` of each other: both about as
    far; else the further one. The cause (least squares' pull grows with the distance) is
    given only where some point was pushed off the line or placed by a student."""
    truth = frame.attrs["true_intercept"], frame.attrs["true_slope"]
    gaps = [
        line_gap(fit.fit_regression(frame, loss_id).params, *truth, frame["x"])
        for loss_id in ("mse", "mae")
    ]
    mse_gap, mae_gap = gaps
    numbers = (
        f"On average the MSE line sits {_gap_text(mse_gap)} from the true line and the MAE "
        f"line {_gap_text(mae_gap)}"
    )
    if max(gaps) < SMALL_GAP:
        return Answer(3, f"{numbers}: both under {SMALL_GAP:g}, so neither was dragged much.")
    if abs(mse_gap - mae_gap) <= SAME_SHARE * max(gaps):
        return Answer(
            2,
            f"{numbers}: within {100 * SAME_SHARE:.0f} % of each other, so neither moved "
            "much further than the other.",
        )
    if mae_gap > mse_gap:
        return Answer(1, f"{numbers}: here it is the MAE line that moved further.")
    if frame.attrs.get("n_outliers", 0) + frame.attrs.get("n_added", 0) > 0:
        return Answer(
            0,
            f"{numbers}. Least squares squares each residual, so the far points pull "
            "hardest; MAE gives every point the same pull, whatever its distance.",
        )
    return Answer(
        0,
        f"{numbers}: the MSE line is further, though no point was pushed off the "
        "line here: the scatter alone moved it.",
    )


DESCENT_OPTIONS = (
    "It settles at the bottom",
    "It keeps bouncing, never settling",
    "It is still short of the bottom when the epochs run out",
    "It blows up (diverges)",
)
_DESCENT_OPTION = {
    descent_lesson.CONVERGED: 0,
    descent_lesson.BOUNCING: 1,
    descent_lesson.ON_ITS_WAY: 2,
    descent_lesson.STALLED: 2,
    descent_lesson.DIVERGED: 3,
}


def descent_question(
    loss_name: str,
    *,
    learning_rate: float,
    epochs: int,
    momentum: float,
    batch_size: int | None,
    n: int,
) -> str:
    """ "What will gradient descent do?", naming the settings the descent runs with: a batch
    of at least all ``n`` points is full batch (`losses.fit.descent.gradient_descent`)."""
    settings = [f"η = {learning_rate:g}", f"{epochs} epochs"]
    full = batch_size is None or batch_size >= n
    settings.append("full batch" if full else f"mini-batches of {batch_size}")
    if momentum:
        settings.append(f"momentum μ = {momentum:g}")
    return f"{loss_name}, {', '.join(settings)}: what will gradient descent do on these data?"


def descent_answer(judgement: descent_lesson.Judgement) -> Answer:
    """The answer to "what will gradient descent do?" (an index into `DESCENT_OPTIONS`):
    the page's own judgement of the descent it drew (`lessons.descent.judge`), its
    sentences the why, so the quiz and the page cannot disagree."""
    return Answer(_DESCENT_OPTION[judgement.kind], " ".join(judgement.sentences))


RECALL_OPTIONS = ("Most of them (recall above 0.8)", "Some (0.2 to 0.8)", "Few (below 0.2)")


def rare_class_recall(frame: pd.DataFrame, loss_id: str = "bce", **loss_params) -> Answer:
    """How many positives a linear classifier fitted under ``loss_id`` finds at p = 0.5 on
    ``frame`` (`losses.data.make_binary`): an index into `RECALL_OPTIONS`."""
    result = fit.fit_binary(frame, loss_id, **loss_params)
    scores = metrics.classifier_metrics(
        result.params, frame["x1"].to_numpy(), frame["x2"].to_numpy(), frame["label"].to_numpy()
    )
    found, positives = scores.tp, scores.tp + scores.fn
    recall = found / positives if positives else 0.0
    index = 0 if recall > 0.8 else 1 if recall >= 0.2 else 2
    accuracy = 100 * (scores.tp + scores.tn) / len(frame)
    return Answer(
        index,
        f"It finds {found} of the {positives} positives (recall "
        f"{_unlike(recall, (0.0, 0.2, 0.8, 1.0), 2)}) while its accuracy is "
        f"{_unlike(accuracy, (0.0, 100.0), 1)}%.",
    )


def _unlike(value: float, marks: tuple[float, ...], places: int) -> str:
    """``value`` with ``places`` decimals, more where those would make it read as one of
    ``marks`` it is not (201 of 250 is 0.804, not "0.80" under "above 0.8"; 1999 of 2000
    right is 99.95%, not "100.0%")."""
    while places < 12 and any(float(f"{value:.{places}f}") == mark != value for mark in marks):
        places += 1
    return f"{value:.{places}f}"


SPARSE_OPTIONS = ("Sparse CCE is larger", "They are equal", "Sparse CCE is smaller")


def sparse_versus_dense(labels, probabilities, **loss_params) -> Answer:
    """CCE on one-hot rows against sparse CCE on the integer labels of the same predictions
    (an index into `SPARSE_OPTIONS`)."""
    labels = np.asarray(labels)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    one_hot = np.eye(probabilities.shape[1])[labels]
    dense = losses.get("cce").cost(one_hot, probabilities, **loss_params)
    sparse = losses.get("sparse_cce").cost(labels, probabilities, **loss_params)
    index = 1 if np.isclose(dense, sparse, rtol=1e-12, atol=0) else 0 if sparse > dense else 2
    numbers = (
        f"CCE on one-hot labels gives {dense:.6f}, sparse CCE on the class numbers {sparse:.6f}"
    )
    if index != 1:
        return Answer(index, f"{numbers}: they differ by {abs(sparse - dense):.3g}.")
    return Answer(
        index,
        f"{numbers}: the same sum, −log of the true class's probability, read from a label "
        "that takes one integer instead of k numbers.",
    )


def sparse_versus_dense_fit(frame: pd.DataFrame, k: int) -> Answer:
    """`sparse_versus_dense` on the predictions of the softmax model fitted under CCE to
    ``frame`` (`losses.data.make_multiclass`), as the multi-class page shows them."""
    result = fit.fit_multiclass(frame, "cce", k=k)
    logits = softmax_logits(result.params, frame[["x1", "x2"]].to_numpy())
    return sparse_versus_dense(frame["label"].to_numpy(), multiclass.softmax(logits))
