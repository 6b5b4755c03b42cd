"""Label forms and their memory (lessons.label_memory) against scikit-learn 1.9 and
hand derivations."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import OneHotEncoder

from lessons import label_memory

LABELS = np.array([2, 0, 1, 3, 3, 0, 2, 1, 0])


def test_one_hot_rows_match_sklearn_one_hot_encoder():
    one_hot, indices = label_memory.label_arrays(LABELS, 4)
    # sklearn.preprocessing.OneHotEncoder with the categories 0..3 fixed.
    expected = (
        OneHotEncoder(categories=[list(range(4))], sparse_output=False)
        .fit_transform(LABELS.reshape(-1, 1))
        .astype(np.float32)
    )
    np.testing.assert_array_equal(one_hot, expected)
    assert one_hot.dtype == np.float32
    np.testing.assert_array_equal(indices, LABELS)
    assert indices.dtype == np.int64


def test_label_forms_report_real_bytes():
    one_hot, indices = label_memory.label_forms(LABELS, 4)
    # hand-derived: 9 rows × 4 classes × 4 bytes (float32); 9 × 8 bytes (int64).
    assert (one_hot.shape, one_hot.dtype, one_hot.nbytes) == ((9, 4), "float32", 144)
    assert (indices.shape, indices.dtype, indices.nbytes) == ((9,), "int64", 72)
    # hand-derived: 144 / 72 = k/2 = 2.
    assert label_memory.memory_ratio(one_hot, indices) == 2.0
    table = label_memory.label_forms_table((one_hot, indices))
    assert list(table["bytes"]) == ["144", "72"]
    assert list(table["shape"]) == ["(9, 4)", "(9,)"]


@pytest.mark.parametrize("k", [2, 3, 10, 57, 1000])
def test_label_bytes_formula_equals_numpy_nbytes(k):
    n = 600
    sizes = label_memory.label_bytes(n, [k])
    # reference: numpy's own .nbytes of arrays of those shapes and dtypes.
    assert sizes["one-hot float32"][0] == np.zeros((n, k), np.float32).nbytes
    assert sizes["index int64"][0] == np.zeros(n, np.int64).nbytes
    assert sizes["index int32"][0] == np.zeros(n, np.int32).nbytes


def test_memory_curve_covers_every_small_k_and_ends_at_k_max():
    ks, sizes = label_memory.memory_curve(100, k_max=1000)
    assert set(range(2, 11)) <= set(ks.tolist())  # every k the page's slider offers
    assert ks[0] == 2 and ks[-1] == 1000 and np.all(np.diff(ks) > 0)
    assert set(sizes) == {"one-hot float32", "index int64", "index int32"}
    assert all(values.shape == ks.shape for values in sizes.values())


def test_label_preview_shows_both_forms_as_text():
    preview = label_memory.label_preview(LABELS, 4, rows=3)
    # hand-derived from LABELS[:3] = 2, 0, 1 with k = 4.
    assert list(preview["one-hot row (CCE)"]) == ["[0, 0, 1, 0]", "[1, 0, 0, 0]", "[0, 1, 0, 0]"]
    assert list(preview["class index (sparse CCE)"]) == [2, 0, 1]


@pytest.mark.parametrize(
    ("labels", "k", "message"),
    [([0, 5], 3, "0..2"), ([0, 1.5], 3, "whole numbers"), ([0, 1], 1, "at least 2")],
)
def test_bad_labels_are_refused_with_a_sentence(labels, k, message):
    with pytest.raises(ValueError, match=message):
        label_memory.label_arrays(labels, k)


@pytest.mark.parametrize(("k", "words"), [(2, "exactly as many bytes"), (3, "1.5×"), (10, "5×")])
def test_memory_sentence_is_true_at_every_k(k, words):
    labels = np.arange(40) % k
    sentence = label_memory.memory_sentence(*label_memory.label_forms(labels, k))
    assert words in sentence
    # hand-derived: float32 one-hot 4k bytes a row, int64 indices 8; equal at k = 2 only.
    if k == 2:
        assert "gap" not in sentence and "8 bytes a label each" in sentence
        assert "from k = 3 on one-hot is the larger" in sentence
    else:
        assert f"{4 * k} against 8 bytes a label" in sentence and "gap grows" in sentence


def test_label_bytes_refuses_k_below_two():
    with pytest.raises(ValueError, match="k ≥ 2"):
        label_memory.label_bytes(10, [1, 2])
