"""What the "Train a network" page says about its two trainings, computed from their numbers.

One judgement per question (conventions: "Sentences are claims"): the page's sentences, the
scenes' answers and the charts' alt text call these functions. Each comparison is printed
only when the numbers it states make it true: two scores within `SAME_POINTS` (percentage
points) or two distances within `SAME_SHARE` of each other are "about the same".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lessons.network_lab import Problem, Run
from lessons.predictions import Answer

IMBALANCED = 0.8  # a class under this share of an even split (½, ⅓) is "the rare class"
SAME_POINTS = 2.0  # percentage points: closer scores are about the same
SAME_SHARE = 0.2  # distances from the truth within this share of each other: the same
SMALL_DISTANCE = 0.05  # y units: a curve this close to the truth has not moved toward anything
RISE = 0.1  # a validation cost 10 % above its lowest has risen
ALIKE = 1e-9  # two runs whose weights agree this closely at every snapshot trained alike
# A question's options: an `Answer`'s index is 0 for loss A, 1 for loss B, 2 for neither.
OPTIONS = ("Loss A's", "Loss B's", "About the same")


def percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def final(run: Run, name: str) -> float:
    """The last snapshot's value of validation score ``name``."""
    return float(run.scores[name][-1])


def distance_to_truth(data: Problem, run: Run) -> np.ndarray:
    """Mean |ŷ − truth| over the curve's x grid, per snapshot (S,); inf where the curve
    overflows."""
    with np.errstate(all="ignore"):
        return np.mean(np.abs(run.picture - data.truth), axis=1)


def _settings_apart(runs: Sequence[Run], index: int) -> list[str]:
    """When both runs train the same loss: this run's parameters that differ from the
    other's, as "w = 20" (the parameter's label up to its gloss)."""
    if len(runs) < 2 or runs[0].loss.id != runs[1].loss.id:
        return []
    other = runs[1 - index].params
    return [
        f"{(spec.label or spec.name).split(' (')[0]} = {runs[index].params[spec.name]:g}"
        for spec in runs[index].loss.params
        if spec.kind == "float" and runs[index].params[spec.name] != other[spec.name]
    ]


def title(runs: Sequence[Run], index: int) -> str:
    """A panel's title: "A: BCE, w = 20" (the loss's short name, and the settings that tell
    two runs of one loss apart)."""
    said = [runs[index].loss.short, *_settings_apart(runs, index)]
    return f"{'AB'[index]}: {', '.join(said)}"


def _tag(runs: Sequence[Run], index: int) -> str:
    """ "A (MSE)": the letter, with the loss's short name where it has one (a full name such
    as "Categorical cross-entropy (CCE)" reads badly in parentheses; the panels name it),
    and the settings that tell two runs of one loss apart ("B (BCE, w = 20)")."""
    loss = runs[index].loss
    said = ([loss.short_name] if loss.short_name else []) + _settings_apart(runs, index)
    return f"{'AB'[index]} ({', '.join(said)})" if said else "AB"[index]


def _stopped(runs: Sequence[Run]) -> Answer | None:
    stopped = [index for index, run in enumerate(runs) if run.stopped_at is not None]
    if not stopped:
        return None
    names = " and ".join(_tag(runs, index) for index in stopped)
    return Answer(
        2,
        f"{names} stopped early (its outputs overflowed), so the two trainings cannot be "
        "compared; lower the learning rate η.",
    )


def compare_scores(runs: Sequence[Run], name: str, what: str) -> Answer:
    """Which run ends with the higher validation score ``name`` (``what`` says it in words):
    A, B or about the same (within `SAME_POINTS`)."""
    stopped = _stopped(runs)
    if stopped is not None:
        return stopped
    first, second = (final(run, name) for run in runs)
    if math.isnan(first) or math.isnan(second):
        return Answer(2, f"No {what}: the validation points hold none of that class.")
    scores = f"{_tag(runs, 0)} {percent(first)}, {_tag(runs, 1)} {percent(second)}"
    numbers = f"{what[0].upper()}{what[1:]}: {scores}"
    if abs(first - second) * 100 < SAME_POINTS:
        return Answer(2, f"{numbers}, within {SAME_POINTS:g} percentage points of each other.")
    better = 0 if first > second else 1
    return Answer(better, f"{numbers}: {_tag(runs, better)} ends higher.")


def boundary_answer(runs: Sequence[Run]) -> Answer:
    """Whose boundary stays closer to the clean labels: the higher accuracy on the validation
    points' labels before flipping."""
    return compare_scores(runs, "clean accuracy", "accuracy on the true (unflipped) labels")


def rare_answer(runs: Sequence[Run]) -> Answer:
    """Which run finds more of the rare class: its recall on the validation points."""
    return compare_scores(runs, "rare recall", "recall of the rare class")


def curve_answer(data: Problem, runs: Sequence[Run]) -> Answer:
    """Whose curve strays further from the true curve (toward the outliers): the larger mean
    distance at the end; about the same within `SAME_SHARE`; neither under `SMALL_DISTANCE`."""
    stopped = _stopped(runs)
    if stopped is not None:
        return stopped
    first, second = (float(distance_to_truth(data, run)[-1]) for run in runs)
    if not (math.isfinite(first) and math.isfinite(second)):
        return Answer(
            2,
            "A curve overflows between its training points, so the two cannot be compared; "
            "lower the learning rate η.",
        )
    numbers = (
        f"On average {_tag(runs, 0)}'s curve ends {first:.3f} from the true curve and "
        f"{_tag(runs, 1)}'s {second:.3f}"
    )
    if max(first, second) < SMALL_DISTANCE:
        return Answer(2, f"{numbers}: both under {SMALL_DISTANCE:g}, so neither strays.")
    if abs(first - second) <= SAME_SHARE * max(first, second):
        return Answer(2, f"{numbers}: within {100 * SAME_SHARE:.0f} % of each other.")
    further = 0 if first > second else 1
    return Answer(further, f"{numbers}: {_tag(runs, further)}'s strays further.")


def overfitting(run: Run, epochs: int, name: str) -> str | None:
    """A sentence when the validation cost rose more than `RISE` above its lowest while the
    training cost fell: the network began to fit its training points' noise."""
    validation = run.training.validation_cost
    training = run.training.train_cost
    if run.stopped_at is not None or not np.isfinite(validation).all():
        return None
    best = int(np.argmin(validation))
    lowest, last = float(validation[best]), float(validation[-1])
    if best == epochs or last <= (1 + RISE) * lowest or training[-1] >= training[best]:
        return None
    # A cost can reach 0 exactly (hinge, or a saturated logit): then no share is higher.
    rise = f", {100 * (last / lowest - 1):.0f} % higher" if lowest > 0 else ""
    return (
        f"{name}'s validation cost was lowest at epoch {best} ({lowest:.4g}) and "
        f"ends at {last:.4g}{rise}, while its training cost kept falling: it has begun to "
        "fit the noise of its training points."
    )


def alike(runs: Sequence[Run]) -> str | None:
    """A sentence when two different losses trained the network alike, every snapshot's
    weights equal to within `ALIKE` (KL and CCE on one-hot labels; Barron's loss at α = 1
    and pseudo-Huber): two pictures that look the same are the same."""
    if len(runs) < 2 or runs[0].loss.id == runs[1].loss.id:
        return None
    first, second = (run.training for run in runs)
    if not np.allclose(first.snapshots, second.snapshots, rtol=ALIKE, atol=ALIKE):
        return None
    return (
        f"{_tag(runs, 0)} and {_tag(runs, 1)} trained the network alike: every snapshot's "
        f"weights agree to within {ALIKE:g} (relative), so on these points and labels the "
        "two losses give the network the same gradients, up to rounding."
    )


def sentences(data: Problem, runs: Sequence[Run], epochs: int) -> tuple[str, ...]:
    """The page's sentences about the trainings on screen."""
    said = [sentence] if (sentence := alike(runs)) else []
    for index, run in enumerate(runs):
        if run.stopped_at is not None:
            said.append(
                f"{_tag(runs, index)} stopped at epoch {run.stopped_at}: its outputs "
                "overflowed, so this learning rate η is too large for it. Lower η."
            )
    if data.task == "regression":
        for index, run in enumerate(runs):
            if run.stopped_at is None and data.truth is not None:
                distance = float(distance_to_truth(data, run)[-1])
                said.append(
                    f"{_tag(runs, index)}'s curve ends on average {distance:.3f} from the "
                    "true curve."
                    if math.isfinite(distance)
                    else f"{_tag(runs, index)}'s curve overflows between its training points: "
                    "its weights have grown too large to draw it. Lower the learning rate η."
                )
        if len(runs) == 2 and data.truth is not None:
            said.append(curve_answer(data, runs).why)
    else:
        for index, run in enumerate(runs):
            if run.stopped_at is None:
                said.append(
                    f"After {epochs} epochs {_tag(runs, index)} classifies "
                    f"{percent(final(run, 'accuracy'))} of the validation points right "
                    f"(balanced accuracy {percent(final(run, 'balanced accuracy'))})."
                )
        if len(runs) == 2:
            if data.flipped:
                said.append(boundary_answer(runs).why)
            if data.rare_share < IMBALANCED / data.k:
                said.append(rare_answer(runs).why)
    for index, run in enumerate(runs):
        if (sentence := overfitting(run, epochs, _tag(runs, index))) is not None:
            said.append(sentence)
    return tuple(dict.fromkeys(said))
