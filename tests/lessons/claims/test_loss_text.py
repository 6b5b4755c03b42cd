"""The registry's plain-language text against what the kernels do.

Each test reads a sentence of a loss's text (losses.registry) and checks its claim on the
kernel itself: the interval a clip ε acts on, and whether rows are divided by their sums.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import losses

WITH_EPS = [loss for loss in losses.REGISTRY.values() if any(p.name == "eps" for p in loss.params)]


def _eps_help(loss) -> str:
    return next(spec.help for spec in loss.params if spec.name == "eps")


def _probe(loss, low: float, high: float, eps: float, top: bool) -> tuple[float, float]:
    """The loss at two predictions ``low`` and ``high`` for the label that reads them: the
    prediction of class 1 (binary) or of the true class of a two-class row (k-class)."""
    values = []
    for p in (low, high):
        if loss.task == "binary":
            y_true, y_pred = np.array([0.0 if top else 1.0]), np.array([p])
        else:
            y_pred = np.array([[p, 1.0 - p]])
            y_true = np.array([0]) if loss.id == "sparse_cce" else np.array([[1.0, 0.0]])
        values.append(float(loss.value(y_true, y_pred, eps=eps)[0]))
    return values[0], values[1]


@pytest.mark.parametrize("loss", WITH_EPS, ids=lambda loss: loss.id)
@pytest.mark.parametrize("eps", [1e-7, 1e-3, 0.05])
def test_the_eps_help_names_the_interval_the_kernel_clips_to(loss, eps):
    text = _eps_help(loss)
    interval = re.search(r"clipped to (\[ε, 1(?: − ε)?\])", text).group(1)
    # Below ε the clip holds p at ε: two predictions under ε cost the same (hand-derived:
    # a flat loss there), above it they would differ by log 2.
    below = _probe(loss, eps / 4, eps / 2, eps, top=False)
    assert below[0] == below[1]
    # Above 1 − ε: flat where the kernel clips the top too, different where it does not.
    # The binary probe reads −log(1 − p) for y = 0; the k-class probe −log p of the true
    # class at p = 1 − ε/4 and 1 − ε/2 (their logs differ by about ε/4).
    above = _probe(loss, 1.0 - eps / 2, 1.0 - eps / 4, eps, top=True)
    assert (above[0] == above[1]) == (interval == "[ε, 1 − ε]"), (loss.id, interval, above)


MULTICLASS_WITH_EPS = [loss for loss in WITH_EPS if loss.task == "multiclass"]


@pytest.mark.parametrize("loss", MULTICLASS_WITH_EPS, ids=lambda loss: loss.id)
def test_the_eps_help_says_whether_rows_are_divided_by_their_sums(loss):
    text = _eps_help(loss)
    divides = "after each row is divided by its sum" in text
    assert divides != ("rows are not divided by their sums" in text)
    row, halved = np.array([[0.6, 0.4]]), np.array([[0.3, 0.2]])
    y_true = np.array([0]) if loss.id == "sparse_cce" else np.array([[1.0, 0.0]])
    # A kernel that divides by the row sum sees (0.6, 0.4) twice; one that does not reads
    # −log 0.3 against −log 0.6 (hand-derived).
    same = loss.value(y_true, row)[0] == pytest.approx(loss.value(y_true, halved)[0], rel=1e-12)
    assert same == divides
