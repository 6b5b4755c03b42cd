"""The imbalance lesson (lessons.imbalance.recall_lesson) against the counts it describes.

Over any confusion counts (a student's file may make positives the majority) and over the
binary page's whole range of settings (n, positive share, separation, label noise, seed,
focal γ and α, the weight w), each claim of the lesson is recomputed here: the chance of a
random pick by scipy.stats.hypergeom, balanced accuracy by hand from the counts.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom
from sklearn.metrics import accuracy_score, balanced_accuracy_score, recall_score

from lessons import imbalance, metrics
from lessons.display_numbers import percent_text, ratio_text
from lessons.metrics import BinaryMetrics
from losses import data, fit
from losses.upload import binary_frame, read_table

BASELINE = "BCE"
PAGE_SHARES = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005)  # ui.controls.POSITIVE_FRACTIONS


def _balanced(m: BinaryMetrics) -> float:
    return (m.tp / (m.tp + m.fn) + m.tn / (m.tn + m.fp)) / 2  # hand-derived definition


def _chance(m: BinaryMetrics) -> float:
    """How often a random pick of as many points finds as many positives (scipy hypergeom.sf)."""
    return hypergeom.sf(m.tp - 1, m.tp + m.fn + m.tn + m.fp, m.tp + m.fn, m.tp + m.fp)


def _real(m: BinaryMetrics, base: BinaryMetrics) -> bool:
    """The lesson's bar, recomputed: a random pick of as many points finds as many positives
    less than 1% of the time, and balanced accuracy 0.05 above both the baseline's and 0.5."""
    return _chance(m) < 0.01 and _balanced(m) >= max(_balanced(base), 0.5) + 0.05 - 1e-12


def check_lesson(named: dict[str, BinaryMetrics]) -> None:
    base = named[BASELINE]
    lesson = imbalance.recall_lesson(named, BASELINE)
    if lesson is None:
        return
    text = lesson.text
    assert "no straight line" not in text
    finders = {
        name: m
        for name, m in named.items()
        if name != BASELINE and m.tp / (m.tp + m.fn) >= base.tp / (base.tp + base.fn) + 0.2
    }
    assert finders and base.tp <= 0.5 * (base.tp + base.fn)
    # The cause is given only where negatives are the majority, with their share.
    n = base.tp + base.fn + base.tn + base.fp
    cause = "predicting 'negative' is cheap in the mean loss"
    assert (cause in text) == (base.tn + base.fp > base.tp + base.fn)
    if cause in text:
        assert f"with {percent_text((base.tn + base.fp) / n)} of the points negative" in text
    # A success exactly when some finder clears the bar.
    assert lesson.success == any(_real(m, base) for m in finders.values())
    bar = "None of these finds clears the bar for a real one"
    assert (bar in text) == (not lesson.success)
    # "traded misses for false alarms": every finder found more positives (fewer misses) and
    # raised more false alarms than the baseline.
    traded = "traded misses for false alarms" in text
    assert traded == (not lesson.success and all(m.fp > base.fp for m in finders.values()))
    if traded:
        assert all(m.tp > base.tp for m in finders.values())
        assert f"than {BASELINE}'s {base.fp}:" in text
    check_short_of_bar(text, finders, base)


SHORT_OF_BAR = re.compile(
    r"(?P<name>[\w ]+) flags [^;]*; its balanced accuracy (?P<value>[0-9.]+) is "
    r"(?:(?P<word>below|level with|hardly above) BCE's (?P<base>[0-9.]+)\."
    r"|above BCE's (?P<lower>[0-9.]+) but (?P<half_word>below|level with|hardly above) 0\.5,)"
)
COMPARE = {"below": float.__lt__, "level with": float.__eq__, "hardly above": float.__gt__}


def check_short_of_bar(text: str, finders: dict[str, BinaryMetrics], base: BinaryMetrics) -> None:
    """Each finder that beats chance but misses the bar: "below", "level with" or "hardly
    above" the baseline's balanced accuracy (or 0.5 where the baseline is under it) is what the
    two numbers, as printed, say; "hardly" means by less than the bar's 0.05."""
    matches = list(SHORT_OF_BAR.finditer(text))
    expected = [name for name, m in finders.items() if _chance(m) < 0.01 and not _real(m, base)]
    assert sorted(match["name"].strip() for match in matches) == sorted(expected)
    for match in matches:
        m = finders[match["name"].strip()]
        value = float(match["value"])
        assert value == float(ratio_text(_balanced(m)))
        if match["word"]:
            against, true_against, word = float(match["base"]), _balanced(base), match["word"]
            assert against == float(ratio_text(true_against))
        else:
            # Above the baseline's, which is under 0.5: the bar is 0.5 + 0.05.
            assert value > float(match["lower"]) and _balanced(base) < 0.5
            against, true_against, word = 0.5, 0.5, match["half_word"]
        assert COMPARE[word](value, against), (word, value, against)
        if word == "hardly above":
            assert _balanced(m) - true_against < 0.05


@st.composite
def confusions(draw, n_positive, n_negative):
    tp = draw(st.integers(0, n_positive))
    tn = draw(st.integers(0, n_negative))
    return BinaryMetrics(tn=tn, fp=n_negative - tn, fn=n_positive - tp, tp=tp)


@st.composite
def named_counts(draw):
    n_positive = draw(st.integers(1, 300))
    n_negative = draw(st.integers(1, 3000))
    named = {BASELINE: draw(confusions(n_positive, n_negative))}
    for name in ("Weighted BCE", "Focal", "Hinge")[: draw(st.integers(1, 3))]:
        named[name] = draw(confusions(n_positive, n_negative))
    return named


@settings(max_examples=300, deadline=None)
@given(named=named_counts())
# The reviewer's counts: focal's 0.625 is below BCE's 0.650, once printed "hardly above" it.
@example(named={BASELINE: BinaryMetrics(900, 0, 70, 30), "Focal": BinaryMetrics(675, 225, 50, 50)})
# BCE's 0.450 is under 0.5, so the bar is 0.55: focal's 0.545 is above BCE's, hardly above 0.5.
@example(
    named={
        BASELINE: BinaryMetrics(2400, 600, 270, 30),
        "Focal": BinaryMetrics(1770, 1230, 150, 150),
    }
)
def test_every_claim_matches_the_counts(named):
    check_lesson(named)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 100).map(lambda k: 50 * k),
    share=st.sampled_from(PAGE_SHARES),
    separation=st.integers(0, 60).map(lambda k: k / 10),
    label_noise=st.integers(0, 50).map(lambda k: k / 100),
    seed=st.integers(0, 9999),
    gamma=st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0]),
    alpha=st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 0.75, 0.9, 1.0])),
    weight=st.one_of(st.none(), st.sampled_from([0.1, 1.0, 10.0, 200.0])),
)
# The reviewer's page: Weighted BCE's 0.550 is below BCE's 0.576, once printed "hardly above".
@example(
    n=500, share=0.1, separation=1.5, label_noise=0.0, seed=0, gamma=2.0, alpha=0.9, weight=200.0
)
def test_every_claim_matches_the_page_s_fits(
    n, share, separation, label_noise, seed, gamma, alpha, weight
):
    frame = data.make_binary(
        n, positive_fraction=share, separation=separation, label_noise=label_noise, seed=seed
    )
    n_positive, n_negative = frame.attrs["n_positive"], frame.attrs["n_negative"]
    pos_weight = weight if weight is not None else n_negative / n_positive  # the page's auto w
    fits = {
        "BCE": ("bce", {}),
        "Weighted BCE": ("bce", {"pos_weight": pos_weight}),
        "Focal": ("focal", {"gamma": gamma, "alpha": alpha}),
        "Hinge": ("hinge", {}),
    }
    named = {}
    for name, (loss_id, params) in fits.items():
        result = fit.fit_binary(frame, loss_id, **params)
        named[name] = metrics.classifier_metrics(
            result.params, frame["x1"], frame["x2"], frame["label"]
        )
    check_lesson(named)


@settings(max_examples=200, deadline=None)
@given(n_positive=st.integers(1, 2500), n_negative=st.integers(1, 4999))
def test_the_metrics_caption_quotes_always_negative_s_accuracy(n_positive, n_negative):
    caption = imbalance.metrics_caption(n_positive, n_negative)
    labels = [1] * n_positive + [0] * n_negative
    always_negative = [0] * len(labels)
    # sklearn.metrics: balanced accuracy 0.5, accuracy the share of negatives.
    assert balanced_accuracy_score(labels, always_negative) == 0.5
    assert "'always negative' scores 0.5 on it" in caption
    shown = float(re.search(r"not its accuracy of ([0-9.]+)%", caption).group(1))
    accuracy = 100 * accuracy_score(labels, always_negative)
    assert shown == pytest.approx(accuracy, rel=5e-3)
    assert shown != 100.0  # there is a positive, so not every answer is right


FEW_POINTS = re.compile(
    r"(?:There are no (?P<none>positive|negative) points|Only (?P<count>\d+) "
    r"(?P<name>positive|negative) points?): (?P<coarse>.+)\."
)


@st.composite
def binary_page_frame(draw):
    """The binary page's data: its sliders (`ui.controls.binary_data_controls`), or a student's
    file with any number of each class (both present, as `losses.upload` requires)."""
    seed = draw(st.integers(0, 9999))
    if draw(st.booleans()):
        return data.make_binary(
            draw(st.integers(1, 100).map(lambda k: 50 * k)),
            positive_fraction=draw(st.sampled_from(PAGE_SHARES)),
            separation=draw(st.integers(0, 60).map(lambda k: k / 10)),
            label_noise=draw(st.integers(0, 50).map(lambda k: k / 100)),
            seed=seed,
        )
    rng = np.random.default_rng(seed)
    counts = draw(st.tuples(st.integers(1, 40), st.integers(1, 40)).filter(lambda c: sum(c) >= 10))
    labels = rng.permutation(np.repeat([0, 1], counts))
    rows = [
        f"{float(x1)!r},{float(x2)!r},{label}"
        for x1, x2, label in zip(
            labels + rng.standard_normal(labels.size),
            rng.standard_normal(labels.size),
            labels,
            strict=True,
        )
    ]
    return binary_frame(read_table("\n".join(["x1,x2,label", *rows]).encode()), "x1", "x2", "label")


@settings(max_examples=50, deadline=None)
@given(frame=binary_page_frame(), loss_id=st.sampled_from(["bce", "focal", "hinge"]))
def test_the_few_points_notes_say_how_coarse_the_page_s_shares_are(frame, loss_id):
    labels = frame["label"].to_numpy()
    n_positive, n_negative = int(np.sum(labels == 1)), int(np.sum(labels == 0))  # numpy
    assert (frame.attrs["n_positive"], frame.attrs["n_negative"]) == (n_positive, n_negative)
    notes = imbalance.few_points_notes(n_positive, n_negative)
    result = fit.fit_binary(frame, loss_id)
    m = metrics.classifier_metrics(result.params, frame["x1"], frame["x2"], frame["label"])
    predicted = page_predictions(result, frame)
    # sklearn.metrics.recall_score: recall is the positives' share found, specificity the
    # negatives' (recall of label 0).
    shares = {
        "positive": ("recall", recall_score(labels, predicted, pos_label=1)),
        "negative": ("specificity", recall_score(labels, predicted, pos_label=0)),
    }
    assert shares["positive"][1] == pytest.approx(m.tp / n_positive, rel=1e-12)
    named = set()
    for note in notes:
        claim = FEW_POINTS.fullmatch(note)
        assert claim, note
        name = claim["none"] or claim["name"]
        count = {"positive": n_positive, "negative": n_negative}[name]
        metric, share = shares[name]
        named.add(name)
        assert int(claim["count"] or 0) == count < 10
        if count == 1:
            assert claim["coarse"] == f"{metric} can only be 0% or 100%"
            assert share in (0.0, 1.0)
        else:
            # Hand: one point of `count` moves the share by 100/count percentage points.
            assert claim["coarse"] == (
                f"one point moves {metric} by {100 / count:.0f} percentage points"
            )
            assert share * count == pytest.approx(round(share * count), abs=1e-9)
    counts = {"positive": n_positive, "negative": n_negative}
    assert named == {name for name, count in counts.items() if count < 10}


def page_predictions(result, frame) -> np.ndarray:
    """The page's predictions, by hand: positive where intercept + w1·x1 + w2·x2 > 0 (p > 0.5)."""
    params = result.params
    score = params["intercept"] + params["w1"] * frame["x1"] + params["w2"] * frame["x2"]
    return (score.to_numpy() > 0).astype(int)


@settings(max_examples=60, deadline=None)
@given(n_positive=st.integers(0, 12), n_negative=st.integers(0, 12))
def test_the_few_points_notes_name_each_small_class_whatever_the_counts(n_positive, n_negative):
    notes = imbalance.few_points_notes(n_positive, n_negative)
    said = {}
    for note in notes:
        claim = FEW_POINTS.fullmatch(note)
        assert claim, note
        said[claim["none"] or claim["name"]] = int(claim["count"] or 0)
        if claim["none"]:
            assert claim["coarse"].endswith("is undefined")
    counts = {"positive": n_positive, "negative": n_negative}
    assert said == {name: count for name, count in counts.items() if count < 10}
