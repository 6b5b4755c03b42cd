"""Claims of the multi-class page's label-memory sentence (`lessons.label_memory.memory_sentence`)
against the bytes NumPy allocates, over the page's whole range: k = 2..10 classes (the slider
and a student's file), any n, any imbalance; and over other dtypes the docstring promises to
word right (float16/float64 rows, int32 indices).

Sources: ``numpy.zeros(shape, dtype).nbytes`` for each form's bytes (n·k·itemsize one-hot,
n·itemsize indices); the growth with k by hand from those.
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons import label_memory
from lessons.label_memory import LabelForm
from losses.data import make_multiclass

SETTINGS = settings(max_examples=60, deadline=None)

TIE = re.compile(
    r"At k = (?P<k>\d+) the one-hot labels take exactly as many bytes as the (?P<dtype>\w+) "
    r"class indices \((?P<row>\d+) bytes a label each\); every further class adds "
    r"(?P<step>\d+) bytes to each one-hot row, so from k = (?P<next>\d+) on one-hot is the "
    r"larger\."
)
RATIO = re.compile(
    r"At k = (?P<k>\d+) the one-hot labels take (?P<ratio>\S+)× the bytes of the "
    r"(?P<dtype>\w+) class indices \((?P<one_hot>\d+) against (?P<index>\d+) bytes a label\)"
    r"(?P<rest>.*)"
)


@st.composite
def page_labels(draw):
    """Labels as the page has them: `make_multiclass` with the sidebar's k, n and imbalance
    (geometric proportions, largest ÷ smallest from 1 to 100)."""
    k = draw(st.integers(2, 10))
    imbalance = draw(st.sampled_from([1.0, 10.0, 100.0]) | st.floats(1.0, 100.0))
    proportions = [imbalance ** (-j / (k - 1)) for j in range(k)]
    n = draw(st.integers(max(k, 60), 600))
    frame = make_multiclass(n, k=k, proportions=proportions, seed=draw(st.integers(0, 9999)))
    return frame["label"].to_numpy(), k


def check_sentence(sentence: str, n: int, k: int, one_hot_dtype, index_dtype) -> None:
    one_hot = np.zeros((n, k), dtype=one_hot_dtype).nbytes  # numpy's own count
    indices = np.zeros(n, dtype=index_dtype).nbytes
    per_row, per_label = one_hot // n, indices // n
    if claim := TIE.fullmatch(sentence):
        assert one_hot == indices
        assert int(claim["k"]) == k and claim["dtype"] == np.dtype(index_dtype).name
        assert int(claim["row"]) == per_label
        # One more class: one more element of the row's dtype, and then more bytes than the
        # indices (hand: (k + 1)·itemsize > k·itemsize = index bytes).
        step = np.dtype(one_hot_dtype).itemsize
        assert int(claim["step"]) == step
        assert int(claim["next"]) == k + 1
        assert np.zeros((n, k + 1), dtype=one_hot_dtype).nbytes > indices
        return
    claim = RATIO.fullmatch(sentence)
    assert claim, sentence
    assert int(claim["k"]) == k and claim["dtype"] == np.dtype(index_dtype).name
    assert int(claim["one_hot"]) == per_row and int(claim["index"]) == per_label
    assert claim["ratio"] == f"{one_hot / indices:.3g}"
    more = np.zeros((n, k + 1), dtype=one_hot_dtype).nbytes - indices
    if claim["rest"] == ", and the gap grows with k.":
        assert one_hot > indices and more > one_hot - indices
    else:
        assert claim["rest"] == ": fewer, but one-hot rows grow with k and indices do not."
        assert one_hot < indices and more > one_hot - indices


@SETTINGS
@given(labels_and_k=page_labels())
def test_the_memory_sentence_gives_numpys_bytes_on_the_page(labels_and_k):
    labels, k = labels_and_k
    forms = label_memory.label_forms(labels, k)
    check_sentence(label_memory.memory_sentence(*forms), labels.size, k, np.float32, np.int64)


@SETTINGS
@given(
    labels_and_k=page_labels(),
    one_hot_dtype=st.sampled_from([np.float16, np.float32, np.float64]),
    index_dtype=st.sampled_from([np.int32, np.int64]),
)
def test_the_memory_sentence_words_other_dtypes_right(labels_and_k, one_hot_dtype, index_dtype):
    labels, k = labels_and_k
    one_hot = np.eye(k, dtype=one_hot_dtype)[labels]
    indices = labels.astype(index_dtype)
    forms = (
        LabelForm("one-hot", one_hot.shape, str(one_hot.dtype), int(one_hot.nbytes)),
        LabelForm("indices", indices.shape, str(indices.dtype), int(indices.nbytes)),
    )
    sentence = label_memory.memory_sentence(*forms)
    check_sentence(sentence, labels.size, k, one_hot_dtype, index_dtype)
