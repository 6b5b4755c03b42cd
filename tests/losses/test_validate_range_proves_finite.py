"""The input checks skip the finiteness pass when a range check already proves it.

Soft labels, binary probabilities and target rows in [0, 1], and class probabilities
with min ≥ 0 and max < inf, are finite; a NaN, an inf or a None anywhere must still get
the finiteness message (not a range or row-sum message), as before the fast path.
"""

from __future__ import annotations

import numpy as np
import pytest

import losses

N_CLASSES = 3


def valid_inputs(loss_id):
    rng = np.random.default_rng(0)
    if loss_id in ("bce", "focal"):
        return rng.integers(0, 2, 8).astype(float), rng.uniform(0.1, 0.9, 8)
    if loss_id == "hinge":
        return rng.integers(0, 2, 8).astype(float), rng.normal(0.0, 1.0, 8)
    rows = rng.dirichlet(np.ones(N_CLASSES), 8)
    if loss_id == "sparse_cce":
        return rng.integers(0, N_CLASSES, 8), rows
    return np.eye(N_CLASSES)[rng.integers(0, N_CLASSES, 8)], rows


@pytest.mark.parametrize("loss_id", ["bce", "focal", "hinge", "cce", "sparse_cce", "kl"])
@pytest.mark.parametrize("which", ["y_true", "y_pred"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, None])
def test_a_non_finite_entry_gets_the_finiteness_message(loss_id, which, bad):
    loss = losses.REGISTRY[loss_id]
    y_true, y_pred = valid_inputs(loss_id)
    loss.value(y_true, y_pred)  # valid as given
    target = y_true if which == "y_true" else y_pred
    target = target.astype(object)
    target.flat[5] = bad
    y_true, y_pred = (target, y_pred) if which == "y_true" else (y_true, target)
    expected = "missing value" if bad is None else "NaN or infinite"
    with pytest.raises(ValueError, match=expected):
        loss.value(y_true, y_pred)
