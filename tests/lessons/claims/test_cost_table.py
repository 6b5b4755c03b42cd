"""The Loss vs cost page's notes (lessons.cost_table) against the numbers they describe.

Hypothesis builds tables as a student types them (rows that do not sum to 1, zeros, a
confident mistake) for every loss with a clip, and checks each note's claim: who divided the
rows by their sums, how many probabilities were clipped, and what p = 0 then costs.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import rel_entr

import losses
from lessons import cost_table

MULTICLASS = [loss for loss in losses.by_task("multiclass")]
# The clip note is about ε: the losses with an ε to move (GCE's fixed clip has no slider).
MULTICLASS_WITH_EPS = [loss for loss in MULTICLASS if "eps" in loss.defaults]


def _with_eps(loss, eps: float) -> dict:
    """{"eps": eps} for a loss with that parameter, else no parameters."""
    return {"eps": eps} if "eps" in loss.defaults else {}


EPS = st.sampled_from([1e-12, 1e-9, 1e-7, 1e-4, 1e-2])
CELL = st.sampled_from([0.0, 1e-13, 1e-8, 0.05, 0.2, 0.5, 0.8, 1.0])


@st.composite
def class_tables(draw):
    k = draw(st.integers(2, 4))
    n = draw(st.integers(1, 5))
    rows = [[draw(CELL) for _ in range(k)] for _ in range(n)]
    for row in rows:
        if sum(row) == 0:
            row[draw(st.integers(0, k - 1))] = 0.5
    labels = [draw(st.integers(0, k - 1)) for _ in range(n)]
    table = pd.DataFrame(rows, columns=[f"p{j}" for j in range(k)])
    table.insert(0, "y", labels)
    return table


def _note(notes, words):
    found = [note for note in notes if words in note]
    return found[0] if found else None


@settings(max_examples=80, deadline=None)
@given(table=class_tables(), loss=st.sampled_from(MULTICLASS), eps=EPS)
def test_the_division_note_says_who_divided_the_rows(table, loss, eps):
    breakdown = cost_table.evaluate(loss, table, **_with_eps(loss, eps))
    raw = table[[c for c in table.columns if c != "y"]].to_numpy(dtype=float)
    sums = raw.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
    note = _note(breakdown.notes, "did not sum to 1")
    assert (note is not None) == (off.size > 0)
    if note is None:
        return
    # "N row(s) … (row r sums to s)": counted and summed here, by hand.
    assert note.startswith(f"{off.size} row(s)")
    assert f"(row {off[0]} sums to {sums[off[0]]:g})" in note
    labels = table["y"].to_numpy(dtype=int)
    one_hot = np.eye(raw.shape[1])[labels]
    if "as this loss does itself" in note:
        # The loss divides by the sum on its own: given the raw rows it gives the same
        # numbers (cce/sparse cce, Keras' categorical cross-entropy's p / Σp).
        target = labels if loss.id == "sparse_cce" else one_hot
        np.testing.assert_allclose(
            loss.value(target, raw, **_with_eps(loss, eps)),
            breakdown.per_sample,
            rtol=1e-12,
            atol=1e-14,
        )
    else:
        assert "before the loss saw it: the loss itself takes p as given" in note
        # KL as scipy.special.rel_entr summed over the classes, on p clipped to [ε, 1] and
        # NOT divided by its sum: what the loss does with rows it is given as they are.
        allowed = np.all(raw <= 1.0, axis=1)
        clipped = np.clip(raw[allowed], eps, 1.0)
        np.testing.assert_allclose(
            loss.value(one_hot[allowed], raw[allowed], eps=eps),
            rel_entr(one_hot[allowed], clipped).sum(axis=1),
            rtol=1e-12,
        )
    # Either way the loss was handed rows that sum to 1.
    np.testing.assert_allclose(breakdown.y_pred.sum(axis=1), 1.0, rtol=1e-12)


def _quoted_cost(note: str) -> str:
    return re.search(r"given p = 0 costs (?:−log ε = )?([0-9.e+-]+)", note).group(1)


@settings(max_examples=80, deadline=None)
@given(
    table=class_tables(),
    loss=st.sampled_from(MULTICLASS_WITH_EPS),
    eps=EPS,
    smoothing=st.sampled_from([0.0, 0.1, 0.5]),
)
def test_the_class_clip_note_counts_and_prices_the_clip(table, loss, eps, smoothing):
    params = {"eps": eps}
    if any(spec.name == "label_smoothing" for spec in loss.params):
        params["label_smoothing"] = smoothing
    breakdown = cost_table.evaluate(loss, table, **params)
    clipped = int(np.count_nonzero(breakdown.y_pred < eps))  # counted here
    note = _note(breakdown.notes, "clipped before the log")
    assert (note is not None) == (clipped > 0)
    if note is None:
        return
    assert note.startswith(f"{clipped} predicted probabilit")
    assert f"lie below ε with ε = {eps:g}" in note or f"lies below ε with ε = {eps:g}" in note
    # Hand-derived: the true class of a 2-class row predicted (0, 1) is clipped to (ε, 1 − ε);
    # with smoothing ls its target is (1 − ls/2, ls/2), so CCE costs
    # −(1 − ls/2)·log ε − (ls/2)·log(1 − ε); KL (no smoothing) y log(y/ε) = −log ε.
    ls = params.get("label_smoothing", 0.0)
    expected = -(1 - ls / 2) * math.log(eps) - (ls / 2) * math.log1p(-eps)
    assert _quoted_cost(note) == f"{expected:.3g}"
    assert ("−log ε = " in note.split("costs")[1][:12]) == (ls == 0.0)


@settings(max_examples=80, deadline=None)
@given(
    predictions=st.lists(
        st.sampled_from([0.0, 1e-13, 1e-8, 0.3, 0.7, 1 - 1e-8, 1.0]), min_size=1, max_size=6
    ),
    eps=EPS,
    weight=st.sampled_from([1.0, 0.5, 9.0]),
    smoothing=st.sampled_from([0.0, 0.2]),
)
def test_the_binary_clip_note_counts_both_ends_and_prices_a_positive(
    predictions, eps, weight, smoothing
):
    table = pd.DataFrame({"y": [1.0] * len(predictions), "ŷ": predictions})
    params = {"eps": eps, "pos_weight": weight, "label_smoothing": smoothing}
    breakdown = cost_table.evaluate(losses.get("bce"), table, **params)
    values = np.array(predictions)
    clipped = int(np.count_nonzero((values < eps) | (values > 1 - eps)))  # counted here
    note = _note(breakdown.notes, "clipped before the log")
    assert (note is not None) == (clipped > 0)
    if note is None:
        return
    assert note.startswith(f"{clipped} predicted probabilit")
    assert "outside [ε, 1 − ε]" in note
    # Hand-derived (Keras' clip and label smoothing): a positive's target is t = 1 − ls/2;
    # p = 0 is clipped to ε, so BCE is −[w·t·log ε + (1 − t)·log(1 − ε)].
    t = 1 - smoothing / 2
    expected = -(weight * t * math.log(eps) + (1 - t) * math.log1p(-eps))
    assert _quoted_cost(note) == f"{expected:.3g}"


@pytest.mark.parametrize("loss", MULTICLASS, ids=lambda loss: loss.id)
def test_divides_rows_reads_the_kernel(loss):
    # losses/multiclass.py: cce divides each row by its sum (Keras' categorical
    # cross-entropy does too); kl does not (scipy.special.rel_entr, Keras' KLDivergence).
    assert cost_table.divides_rows(loss) == (loss.id != "kl")
