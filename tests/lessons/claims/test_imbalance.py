"""The imbalance lesson (lessons.imbalance.recall_lesson) against the counts it describes.

Over any confusion counts (a student's file may make positives the majority) and over the
binary page's whole range of settings (n, positive share, separation, label noise, seed,
focal γ and α, the weight w), each claim of the lesson is recomputed here: the chance of a
random pick by scipy.stats.hypergeom, balanced accuracy by hand from the counts.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom
from sklearn.metrics import accuracy_score, balanced_accuracy_score

from lessons import imbalance, metrics
from lessons.display_numbers import percent_text
from lessons.metrics import BinaryMetrics
from losses import data, fit

BASELINE = "BCE"
PAGE_SHARES = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005)  # ui.controls.POSITIVE_FRACTIONS


def _balanced(m: BinaryMetrics) -> float:
    return (m.tp / (m.tp + m.fn) + m.tn / (m.tn + m.fp)) / 2  # hand-derived definition


def _real(m: BinaryMetrics, base: BinaryMetrics) -> bool:
    """The lesson's bar, recomputed: a random pick of as many points finds as many positives
    less than 1% of the time (scipy.stats.hypergeom.sf), and balanced accuracy 0.05 above
    both the baseline's and 0.5."""
    n = m.tp + m.fn + m.tn + m.fp
    chance = hypergeom.sf(m.tp - 1, n, m.tp + m.fn, m.tp + m.fp)
    return chance < 0.01 and _balanced(m) >= max(_balanced(base), 0.5) + 0.05 - 1e-12


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
