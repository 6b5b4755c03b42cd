"""Claims of the multi-class page's per-class table and its note on small classes
(`lessons.multiclass_fit.class_summary`, `few_points_notes`) against the fitted model's
predictions, over the page's whole range: k = 2..10, n, imbalance 1..100, separation, seed,
label smoothing, and a student's file (any class sizes, shifted and scaled features).

Sources: counts by numpy.bincount; recall by sklearn.metrics.recall_score (average=None);
how far one point moves a class's share, 100/count percentage points, by hand.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import recall_score

from lessons import multiclass_fit
from losses.data import make_multiclass
from losses.fit import fit_multiclass
from losses.upload import multiclass_frame, read_table

SETTINGS = settings(max_examples=50, deadline=None)
NOTE = re.compile(
    r"(?:Class (?P<one>\d+)|Classes (?P<many>[\d–, and]+?)) (?:has|have) "
    r"(?:no points|only (?P<count>\d+) points?(?: each)?): (?P<coarse>.+)\."
)


@st.composite
def page_frame(draw):
    """The page's data: the sidebar's `make_multiclass` arguments, or a student's file with
    any class sizes (each class present, as `losses.upload` requires)."""
    seed = draw(st.integers(0, 9999))
    k = draw(st.integers(2, 10))
    if draw(st.booleans()):
        imbalance = draw(st.sampled_from([1.0, 10.0, 100.0]) | st.floats(1.0, 100.0))
        proportions = [imbalance ** (-j / (k - 1)) for j in range(k)]
        n = draw(st.integers(60, 300))
        separation = draw(st.sampled_from([0.0, 3.0, 6.0]) | st.floats(0.0, 6.0))
        return make_multiclass(n, k=k, proportions=proportions, separation=separation, seed=seed)
    counts = draw(st.lists(st.integers(1, 30), min_size=k, max_size=k))
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.repeat(np.arange(k), counts))
    angle = 2 * np.pi * labels / k
    spread = draw(st.floats(0.1, 3.0))
    x1 = np.cos(angle) + spread * rng.standard_normal(labels.size)
    x2 = np.sin(angle) + spread * rng.standard_normal(labels.size)
    shift, scale = draw(st.floats(-1e3, 1e3)), draw(st.floats(1e-2, 1e2))
    rows = [
        f"{float(shift + scale * a)!r},{float(b)!r},{c}"
        for a, b, c in zip(x1, x2, labels, strict=True)
    ]
    # A file needs at least 10 rows: pad with points of class 0 at its centre.
    rows += [f"{shift + scale!r},0.0,0"] * max(0, 10 - len(rows))
    return multiclass_frame(
        read_table("\n".join(["x1,x2,label", *rows]).encode()), "x1", "x2", "label"
    )


def listed(text: str) -> list[int]:
    """ "6–9" → [6, 7, 8, 9]; "2, 5 and 7" → [2, 5, 7]."""
    if "–" in text:
        first, last = (int(part) for part in text.split("–"))
        return list(range(first, last + 1))
    return [int(part) for part in re.split(r", | and ", text)]


@SETTINGS
@given(frame=page_frame(), label_smoothing=st.sampled_from([0.0, 0.1, 0.5]) | st.floats(0, 0.5))
def test_the_class_table_and_its_note_match_the_predictions(frame, label_smoothing):
    k = int(frame["label"].max()) + 1 if "k" not in frame.attrs else frame.attrs["k"]
    fitted = fit_multiclass(frame, "cce", k=k, label_smoothing=label_smoothing)
    logits = multiclass_fit.softmax_logits(fitted.params, frame[["x1", "x2"]].to_numpy())
    summary = multiclass_fit.class_summary(frame["label"], logits)
    labels = frame["label"].to_numpy()
    predicted = np.argmax(logits, axis=1)
    counts = np.bincount(labels, minlength=k)
    assert summary["points"].tolist() == counts.tolist()
    np.testing.assert_allclose(summary["share"], counts / labels.size, rtol=1e-15)
    recall = recall_score(labels, predicted, labels=list(range(k)), average=None)
    np.testing.assert_allclose(summary["predicted right"], recall, rtol=1e-15)

    notes = multiclass_fit.few_points_notes(summary["points"])
    named = {}
    for note in notes:
        claim = NOTE.fullmatch(note)
        assert claim, note
        classes = [int(claim["one"])] if claim["one"] else listed(claim["many"])
        count = int(claim["count"]) if claim["count"] else 0
        assert all(counts[j] == count for j in classes)
        named |= {j: count for j in classes}
        pronoun = "its" if len(classes) == 1 else "their"
        if count == 1:
            assert claim["coarse"] == f"{pronoun} 'predicted right' can only be 0% or 100%"
            assert set(recall[classes]) <= {0.0, 1.0}
        else:
            step = 100 / count  # hand: one point of count is 100/count percentage points
            assert claim["coarse"] == (
                f"one point moves {pronoun} 'predicted right' by {step:.0f} percentage points"
            )
            # Each share is a whole number of points over the class's count.
            hits = recall[classes] * count
            np.testing.assert_allclose(hits, np.round(hits), atol=1e-9)
    # Every class under 10 points is named once, with its count; no other class is.
    assert named == {j: int(counts[j]) for j in range(k) if counts[j] < 10}
    assert sum(
        len(listed(c["many"])) if c["many"] else 1 for c in map(NOTE.fullmatch, notes)
    ) == len(named)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=2, max_size=10))
def test_the_small_class_note_names_each_small_class_once_whatever_the_counts(counts):
    notes = multiclass_fit.few_points_notes(counts)
    named = []
    for note in notes:
        claim = NOTE.fullmatch(note)
        assert claim, note
        classes = [int(claim["one"])] if claim["one"] else listed(claim["many"])
        count = int(claim["count"]) if claim["count"] else 0
        assert all(counts[j] == count for j in classes)
        if count == 0:
            assert note.endswith("'predicted right' is undefined.")
        named += classes
    assert sorted(named) == [j for j, count in enumerate(counts) if count < 10]
    assert len(named) == len(set(named))


def test_a_run_of_classes_is_written_as_a_range():
    # Hand-derived: classes 2, 3, 4 have 3 points each, class 7 has 1.
    notes = multiclass_fit.few_points_notes([20, 20, 3, 3, 3, 20, 20, 1])
    assert notes == [
        "Class 7 has only 1 point: its 'predicted right' can only be 0% or 100%.",
        "Classes 2–4 have only 3 points each: one point moves their 'predicted right' by 33 "
        "percentage points.",
    ]
    assert pytest.approx(100 / 3, abs=0.5) == 33
