"""Label forms and their memory: one-hot rows (CCE) against class indices (sparse CCE).

The same labels stored both ways, with their real shapes, dtypes and ``nbytes``, the
bytes of n labels as k grows, and a sentence comparing the two that is true at every k.
NumPy and pandas only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from losses import checks, multiclass

# What the frameworks store: Keras' to_categorical gives float32 one-hot rows;
# torch.nn.functional.cross_entropy wants int64 class indices, Keras accepts int32.
ONE_HOT_DTYPE = np.dtype(np.float32)
INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))


@dataclass(frozen=True)
class LabelForm:
    """One way of storing the labels: its shape, dtype and bytes (``array.nbytes``)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    nbytes: int


def class_labels(labels, k: int) -> np.ndarray:
    """Validated class indices (n,) as int64: whole numbers in 0..k−1 (sparse CCE's checks)."""
    if int(k) < 2:
        raise ValueError(f"need at least 2 classes; got k={k}.")
    return checks.integer_labels(labels, int(k)).astype(np.int64)


def label_arrays(labels, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The same labels twice: one-hot rows (n, k) float32 and class indices (n,) int64."""
    indices = class_labels(labels, k)
    return multiclass.one_hot(indices, int(k)).astype(ONE_HOT_DTYPE), indices


def label_forms(labels, k: int) -> tuple[LabelForm, LabelForm]:
    """Shape, dtype and real ``nbytes`` of the one-hot (float32) and integer (int64) labels."""
    one_hot, indices = label_arrays(labels, k)
    return (
        LabelForm("one-hot (CCE)", one_hot.shape, str(one_hot.dtype), int(one_hot.nbytes)),
        LabelForm("indices (sparse)", indices.shape, str(indices.dtype), int(indices.nbytes)),
    )


def label_forms_table(forms) -> pd.DataFrame:
    """One row per `LabelForm`: its name, shape, dtype and bytes (with thousands separators)."""
    return pd.DataFrame(
        {
            "labels": [form.name for form in forms],
            "shape": [str(form.shape) for form in forms],
            "dtype": [form.dtype for form in forms],
            "bytes": [f"{form.nbytes:,}" for form in forms],
        }
    )


def memory_ratio(one_hot: LabelForm, indices: LabelForm) -> float:
    """How many times the one-hot labels' bytes the index labels' bytes are (k·4 / 8 = k/2)."""
    return one_hot.nbytes / indices.nbytes


def memory_sentence(one_hot: LabelForm, indices: LabelForm) -> str:
    """The two forms' bytes per label compared in words, true at every k (k = 2: a tie).

    float32 one-hot rows take 4k bytes, int64 indices 8: equal at k = 2, k/2 times as
    many above. Worded from the real ``nbytes``, so another dtype gives the right words.
    """
    rows = indices.shape[0]
    if rows < 1:
        raise ValueError("need at least one label to compare the two forms.")
    k = one_hot.shape[1]
    one_hot_row, index_row = one_hot.nbytes // rows, indices.nbytes // rows
    ratio = memory_ratio(one_hot, indices)
    if ratio == 1.0:
        return (
            f"At k = {k} the one-hot labels take exactly as many bytes as the "
            f"{indices.dtype} class indices ({index_row} bytes a label each); every further "
            f"class adds {one_hot_row // k} bytes to each one-hot row, so from k = {k + 1} on "
            "one-hot is the larger."
        )
    compared = f"{one_hot_row} against {index_row} bytes a label"
    if ratio > 1.0:
        return (
            f"At k = {k} the one-hot labels take {ratio:.3g}× the bytes of the "
            f"{indices.dtype} class indices ({compared}), and the gap grows with k."
        )
    return (
        f"At k = {k} the one-hot labels take {ratio:.3g}× the bytes of the {indices.dtype} "
        f"class indices ({compared}): fewer, but one-hot rows grow with k and indices do not."
    )


def label_bytes(n: int, ks) -> dict[str, np.ndarray]:
    """Bytes of n labels for each class count in ``ks``: one-hot n·k·4, indices n·8 and n·4.

    Keys: "one-hot float32", "index int64", "index int32"; values shaped like ``ks``.
    """
    ks = np.asarray(ks, dtype=np.int64)
    if n < 1 or np.any(ks < 2):
        raise ValueError(f"need n ≥ 1 and every k ≥ 2; got n={n}, k from {ks.min()}.")
    sizes = {"one-hot float32": n * ks * ONE_HOT_DTYPE.itemsize}
    for dtype in INDEX_DTYPES:
        sizes[f"index {dtype}"] = np.full(ks.shape, n * dtype.itemsize, dtype=np.int64)
    return sizes


def memory_curve(n: int, *, k_max: int = 1000, points: int = 120):
    """Class counts 2 … k_max (every integer up to ~20, then log-spaced) and `label_bytes`."""
    ks = np.unique(np.geomspace(2, k_max, points).round().astype(np.int64))
    return ks, label_bytes(n, ks)


def label_preview(labels, k: int, rows: int = 6) -> pd.DataFrame:
    """The first ``rows`` labels in both forms, as text: "[0, 0, 1, 0]" beside "2"."""
    one_hot, indices = label_arrays(labels, k)
    shown = slice(0, min(rows, indices.shape[0]))
    return pd.DataFrame(
        {
            "one-hot row (CCE)": [
                "[" + ", ".join(str(int(v)) for v in row) + "]" for row in one_hot[shown]
            ],
            "class index (sparse CCE)": indices[shown],
        }
    )
