"""The imbalance page's sentences (lessons.imbalance) against scipy 1.x and hand
derivations. No expected number here was taken from the output of lessons.imbalance."""

from __future__ import annotations

import pytest
from scipy.stats import hypergeom

from lessons import imbalance
from lessons.metrics import BinaryMetrics


def test_few_points_notes():
    # Hand-derived: one of 3 positives is 100/3 ≈ 33 percentage points of recall.
    assert imbalance.few_points_notes(3, 500) == [
        "Only 3 positive points: one point moves recall by 33 percentage points."
    ]
    assert imbalance.few_points_notes(1, 49) == [
        "Only 1 positive point: recall can only be 0% or 100%."
    ]
    assert imbalance.few_points_notes(10, 490) == []  # 10 is not "a handful"
    assert "specificity" in imbalance.few_points_notes(20, 4)[0]


def test_recall_lesson_only_when_the_baseline_misses_positives():
    missing = BinaryMetrics(tn=990, fp=0, fn=9, tp=1)
    finding = BinaryMetrics(tn=950, fp=40, fn=1, tp=9)
    lesson = imbalance.recall_lesson({"BCE": missing, "Weighted BCE": finding}, "BCE")
    assert lesson.success
    # Hand-derived: 1 of 10 is 10%, 9 of 10 is 90%.
    assert "BCE finds only 1 of 10 positives (recall 10%)" in lesson.text
    # The price, hand-derived: 40 false alarms, precision 9/49 = 0.1837, a random flag is
    # positive 10/1000 = 0.010 of the time; balanced accuracy (9/10 + 950/990)/2 = 0.9298
    # against (1/10 + 1)/2 = 0.55.
    assert (
        "Weighted BCE finds 9 (90%) at the price of 40 false alarms (precision 0.184, "
        "against 0.010 for flagging at random); balanced accuracy 0.930 against BCE's 0.550."
    ) in lesson.text
    assert imbalance.recall_lesson({"BCE": finding, "Weighted BCE": missing}, "BCE") is None


def test_recall_lesson_does_not_praise_a_chance_level_guess():
    # The counts of ?bin_data_separation=0&bin_data_label_noise=0.5: identical blobs, BCE
    # flags nothing, weighted BCE flags 221 of 500 and finds 27 of the 50 positives.
    bce = BinaryMetrics(tn=450, fp=0, fn=50, tp=0)
    weighted = BinaryMetrics(tn=256, fp=194, fn=23, tp=27)
    lesson = imbalance.recall_lesson({"BCE": bce, "Weighted BCE": weighted}, "BCE")
    assert not lesson.success
    # Hand-derived: precision 27/221 = 0.1222; balanced accuracy (27/50 + 256/450)/2 = 0.5544;
    # scipy.stats.hypergeom.sf(26, 500, 50, 221) = 0.094, shown as 9%.
    assert "Weighted BCE flags 221 points and finds 27 (54%), but with 194 false alarms" in (
        lesson.text
    )
    assert "(precision 0.122, against 0.100 for flagging at random)" in lesson.text
    assert "balanced accuracy 0.554 may be luck" in lesson.text
    assert "finds at least 27 positives 9% of the time" in lesson.text
    # No finder clears the bar; weighted BCE's 194 false alarms are more than BCE's 0.
    assert "None of these finds clears the bar for a real one" in lesson.text
    assert "more false alarms than BCE's 0" in lesson.text
    assert "traded misses for false alarms" in lesson.text
    assert "at the price of" not in lesson.text  # the success sentence


def test_recall_lesson_one_positive_found_among_many_flags_is_luck():
    # ?bin_data_positive=0.5%&bin_data_n=50&bin_data_separation=0: 1 positive, 49 negatives.
    bce = BinaryMetrics(tn=49, fp=0, fn=1, tp=0)
    weighted = BinaryMetrics(tn=29, fp=20, fn=0, tp=1)
    lesson = imbalance.recall_lesson({"BCE": bce, "Weighted BCE": weighted}, "BCE")
    assert not lesson.success
    assert "BCE finds only 0 of 1 positive (recall 0%)" in lesson.text
    # Hand-derived: 21 random picks of 50 include the one positive with chance 21/50 = 42%.
    assert "flagging 21 points at random finds at least 1 positive 42% of the time" in (lesson.text)
    assert "20 false alarms (precision 0.048" in lesson.text  # hand-derived: 1/21


def test_recall_lesson_beyond_chance_but_hardly_better_is_no_success():
    # Weighted BCE at n = 5000, 10% positives, separation 0, seed 0: 271 of 500 positives
    # among 2418 flagged. scipy.stats.hypergeom.sf(270, 5000, 500, 2418) = 0.0034 < 1%, but
    # balanced accuracy (271/500 + 2353/4500)/2 = 0.5324 (hand-derived) is within
    # CLEAR_GAIN of BCE's 0.5.
    bce = BinaryMetrics(tn=4500, fp=0, fn=500, tp=0)
    weighted = BinaryMetrics(tn=2353, fp=2147, fn=229, tp=271)
    lesson = imbalance.recall_lesson({"BCE": bce, "Weighted BCE": weighted}, "BCE")
    assert not lesson.success
    assert "its balanced accuracy 0.532 is hardly above BCE's 0.500" in lesson.text


@pytest.mark.parametrize(
    ("n_points", "n_positive", "n_flagged", "found"),
    [
        (500, 50, 221, 27),
        (50, 1, 21, 1),
        (5000, 500, 2418, 271),
        (500, 50, 120, 40),
        (500, 50, 0, 0),
        (10, 5, 8, 3),
        (5000, 25, 26, 25),
    ],
)
def test_chance_of_finding_is_the_hypergeometric_tail(n_points, n_positive, n_flagged, found):
    reference = hypergeom.sf(found - 1, n_points, n_positive, n_flagged)  # scipy 1.x
    ours = imbalance.chance_of_finding(n_points, n_positive, n_flagged, found)
    assert ours == pytest.approx(reference, rel=1e-9, abs=1e-300)


def test_chance_of_finding_hand_derived_ends():
    chance = imbalance.chance_of_finding
    assert chance(50, 1, 21, 1) == pytest.approx(21 / 50)  # hand-derived
    assert chance(50, 1, 21, 0) == pytest.approx(1.0)  # at least 0: sure
    assert chance(50, 1, 21, 2) == 0.0  # only 1 positive exists
    # 10 points, 5 positive, 8 flagged: at least 3 positives is sure (only 5 negatives).
    assert chance(10, 5, 8, 3) == pytest.approx(1.0)
