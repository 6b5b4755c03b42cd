"""What the imbalance page tells a student, in sentences built from the metrics.

``few_points_notes`` warns when a class is too small for its metric to say much;
``recall_lesson`` says whether a loss that favours the rare class found it for real or
bought its finds with false alarms, judged against chance (``chance_of_finding``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from lessons.display_numbers import coarse_share, percent_text, ratio_text
from lessons.metrics import BinaryMetrics


def few_points_notes(n_positive: int, n_negative: int) -> list[str]:
    """A sentence for each class with fewer than FEW_POINTS points: how coarse its metrics are."""
    notes = []
    for count, name, metric in (
        (n_positive, "positive", "recall"),
        (n_negative, "negative", "specificity"),
    ):
        coarse = coarse_share(count, metric)
        if coarse is None:
            continue
        what = (
            f"There are no {name} points"
            if count == 0
            else (f"Only {count} {name} point{'s' if count > 1 else ''}")
        )
        notes.append(f"{what}: {coarse}.")
    return notes


def metrics_caption(n_positive: int, n_negative: int) -> str:
    """What the metrics table's columns mean, with the accuracy of answering 'negative' for
    every point on these data (its share of negatives) against its balanced accuracy, 0.5."""
    text = (
        "Precision: of the points predicted positive, the share that are positive. Recall: the "
        "share of positives found. F1 combines both. Balanced accuracy averages the share "
        "found of each class"
    )
    if n_positive == 0 or n_negative == 0:
        return text + "."
    accuracy = 100 * n_negative / (n_positive + n_negative)
    digits = 3
    while float(f"{accuracy:.{digits}g}") == 100:  # 4999 of 5000 is not 100%
        digits += 1
    return (
        text + f", so 'always negative' scores 0.5 on it, not its accuracy of "
        f"{accuracy:.{digits}g}%."
    )


def chance_of_finding(n_points: int, n_positive: int, n_flagged: int, found: int) -> float:
    """P(at least ``found`` positives among ``n_flagged`` points picked at random from
    ``n_points``, ``n_positive`` of them positive): the hypergeometric upper tail.

    How often a guess that flags as many points would do as well; small means the
    classifier has found something real. scipy.stats.hypergeom.sf(found − 1, n_points,
    n_positive, n_flagged) gives the same number.
    """
    top = min(n_flagged, n_positive)
    lowest = max(found, n_flagged - (n_points - n_positive), 0)
    if lowest > top:
        return 0.0
    log_total = _log_comb(n_points, n_flagged)
    log_terms = [
        _log_comb(n_positive, hits) + _log_comb(n_points - n_positive, n_flagged - hits) - log_total
        for hits in range(lowest, top + 1)
    ]
    # log-sum-exp with the largest term taken out: no term overflows or underflows alone.
    largest = max(log_terms)
    return min(1.0, math.exp(largest) * math.fsum(math.exp(t - largest) for t in log_terms))


def _log_comb(n: int, k: int) -> float:
    """log C(n, k) through log Γ: C(n, k) itself has thousands of digits at n = 5000."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


# A gain must beat chance at this level, i.e. a random pick of as many points would do as
# well less than 1 time in 100 …
CHANCE_LEVEL = 0.01
# … and raise balanced accuracy this much above the baseline's (and above 0.5).
CLEAR_GAIN = 0.05


@dataclass(frozen=True)
class Lesson:
    """The imbalance lesson in numbers: ``success`` when a loss found the rare class for real."""

    success: bool
    text: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def recall_lesson(named: Mapping[str, BinaryMetrics], baseline: str) -> Lesson | None:
    """The imbalance lesson, when the data show one: the baseline finds few positives
    (recall ≤ 50%) and another classifier finds at least 20 percentage points more.

    It is a success only when that classifier also beats chance (``chance_of_finding`` <
    CHANCE_LEVEL) and its balanced accuracy clears both the baseline's and 0.5 by
    CLEAR_GAIN; either way the text gives the price, false alarms and precision. Otherwise
    it says that no find cleared that bar and, where every finder raised more false alarms
    than the baseline, that it traded misses for false alarms.
    """
    base = named[baseline]
    if base.recall is None or base.recall > 0.5 or base.balanced_accuracy is None:
        return None
    finders = {
        name: metrics
        for name, metrics in named.items()
        if name != baseline and metrics.recall is not None and metrics.recall >= base.recall + 0.2
    }
    if not finders:
        return None
    n_points = base.n_positive + base.n_negative
    prevalence = base.n_positive / n_points
    bar = max(base.balanced_accuracy, 0.5) + CLEAR_GAIN
    real, bought = [], []
    for name, metrics in finders.items():
        chance = chance_of_finding(
            n_points, metrics.n_positive, metrics.n_predicted_positive, metrics.tp
        )
        # Flagging at random, a flagged point is positive with the prevalence's chance.
        price = (
            f"{_plural(metrics.fp, 'false alarm')} (precision {ratio_text(metrics.precision)}, "
            f"against {ratio_text(prevalence)} for flagging at random)"
        )
        balanced = ratio_text(metrics.balanced_accuracy)
        if chance < CHANCE_LEVEL and metrics.balanced_accuracy >= bar:
            real.append(
                f"{name} finds {metrics.tp} ({percent_text(metrics.recall)}) at the price of "
                f"{price}; balanced accuracy {balanced} against {baseline}'s "
                f"{ratio_text(base.balanced_accuracy)}."
            )
            continue
        flagged = _plural(metrics.n_predicted_positive, "point")
        if chance >= CHANCE_LEVEL:
            why = (
                f"its balanced accuracy {balanced} may be luck: flagging {flagged} at "
                f"random finds at least {_plural(metrics.tp, 'positive')} "
                f"{percent_text(chance)} of the time"
            )
        else:
            why = f"its balanced accuracy {balanced} {_short_of_bar(metrics, base, baseline)}"
        bought.append(
            f"{name} flags {flagged} and finds {metrics.tp} ({percent_text(metrics.recall)}), "
            f"but with {price}; {why}."
        )
    missed = (
        f"{baseline} finds only {base.tp} of {_plural(base.n_positive, 'positive')} "
        f"(recall {percent_text(base.recall)})"
    )
    if base.n_negative > base.n_positive:
        # Only where negatives are the majority do their terms make up most of the mean loss.
        missed += (
            f": with {percent_text(1.0 - prevalence)} of the points negative, predicting "
            "'negative' is cheap in the mean loss"
        )
    if real:
        return Lesson(True, f"{missed}. " + " ".join(real + bought))
    return Lesson(False, f"{missed}. " + " ".join(bought) + _no_real_find(finders, base, baseline))


def _against(value: float, other: float) -> str:
    """Where ``value`` lies against ``other`` as both are printed (`ratio_text`): "below",
    "level with" or "hardly above" (the caller knows it is less than CLEAR_GAIN above)."""
    shown, other_shown = float(ratio_text(value)), float(ratio_text(other))
    if shown < other_shown:
        return "below"
    return "level with" if shown == other_shown else "hardly above"


def _short_of_bar(metrics: BinaryMetrics, base: BinaryMetrics, baseline: str) -> str:
    """Why a finder that beats chance misses the bar: its balanced accuracy against the
    baseline's, or, where that is below 0.5 and the finder's above it, against 0.5."""
    balanced, base_balanced = metrics.balanced_accuracy, base.balanced_accuracy
    against_base = _against(balanced, base_balanced)
    base_text = f"{baseline}'s {ratio_text(base_balanced)}"
    if base_balanced >= 0.5 or against_base != "hardly above":
        return f"is {against_base} {base_text}"
    # The bar is 0.5 + CLEAR_GAIN here: above the baseline's is not yet above a random guess's.
    return f"is above {base_text} but {_against(balanced, 0.5)} 0.5, what a random guess scores"


def _no_real_find(finders: Mapping[str, BinaryMetrics], base: BinaryMetrics, baseline: str) -> str:
    """The closing sentence when no finder cleared the bar: the bar, and the trade of misses
    for false alarms only where every finder raised more false alarms than the baseline."""
    text = (
        " None of these finds clears the bar for a real one: beating a random pick of as many "
        f"points (doing as well less than 1 time in {round(1 / CHANCE_LEVEL)}) with a balanced "
        f"accuracy at least {CLEAR_GAIN:g} above both {baseline}'s and 0.5."
    )
    if all(metrics.fp > base.fp for metrics in finders.values()):
        who = "Each" if len(finders) > 1 else next(iter(finders))
        text += (
            f" {who} bought its extra finds with more false alarms than {baseline}'s "
            f"{base.fp}: on these data, favouring the rare class traded misses for false alarms."
        )
    return text
