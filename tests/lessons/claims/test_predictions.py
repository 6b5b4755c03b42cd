"""Claims test: the tour's answers (`lessons.predictions`) say what their numbers show."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons import predictions


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(2, 10),
    n=st.integers(1, 40),
    seed=st.integers(0, 2**16),
    label_smoothing=st.sampled_from((0.0, 0.1, 0.5)),
    eps=st.sampled_from((1e-12, 1e-7, 1e-2)),
)
def test_sparse_versus_dense_says_equal_only_when_they_are(k, n, seed, label_smoothing, eps):
    rng = np.random.default_rng(seed)
    probabilities = rng.dirichlet(np.full(k, 0.3), size=n)
    labels = rng.integers(0, k, size=n)
    answer = predictions.sparse_versus_dense(
        labels, probabilities, label_smoothing=label_smoothing, eps=eps
    )
    # The two numbers the sentence prints, read back from it.
    dense, sparse = (float(part.split()[-1]) for part in answer.why.split(":")[0].split(", "))
    said_equal = "the same sum" in answer.why
    assert said_equal == (answer.index == 1)
    if said_equal:
        assert abs(dense - sparse) <= 1e-6 * max(abs(dense), 1e-12)  # as printed, 6 decimals
    else:
        assert f"differ by {abs(sparse - dense):.3g}" in answer.why
