"""The four classifiers of the imbalance page, their cached fits and their metrics.

The page compares plain BCE, BCE with a positive-class weight, focal loss and hinge.
Weighted BCE is the registry's bce with ``pos_weight`` set, so it needs an id of its
own (its colour key, "bce_weighted") beside the registry id it is fitted with.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import losses
from losses import metrics
from losses.fit import FitResult
from ui import cache

PAGE_LOSS_IDS = ("bce", "bce_weighted", "focal", "hinge")
SHORT_NAMES = {"bce": "BCE", "bce_weighted": "Weighted BCE", "focal": "Focal", "hinge": "Hinge"}
METRIC_ENTRIES = 64


@dataclass(frozen=True)
class PageLoss:
    """One classifier on the page: colour/id key, short name, registry loss and its params."""

    id: str
    name: str
    loss_id: str
    params: tuple  # sorted (name, value) pairs: hashable, a cache key

    @property
    def loss(self) -> losses.Loss:
        return losses.get(self.loss_id)


def page_losses(pos_weight: float, focal_params: dict) -> list[PageLoss]:
    """The four classifiers, in PAGE_LOSS_IDS order, with the chosen parameters."""
    registry_id = {"bce": "bce", "bce_weighted": "bce", "focal": "focal", "hinge": "hinge"}
    params = {"bce": {}, "bce_weighted": {"pos_weight": pos_weight}, "focal": focal_params}
    return [
        PageLoss(
            page_id,
            SHORT_NAMES[page_id],
            registry_id[page_id],
            cache.key_of(params.get(page_id, {})),
        )  # fmt: skip
        for page_id in PAGE_LOSS_IDS
    ]


def fit(data_key: tuple, page_loss: PageLoss) -> FitResult | str:
    """The cached fit, or the fit's error message (a sentence for the student)."""
    try:
        return cache.binary_fit(data_key, page_loss.loss_id, page_loss.params)
    except ValueError as error:
        return str(error)


@st.cache_data(max_entries=METRIC_ENTRIES, show_spinner=False)
def classifier_metrics(data_key: tuple, fitted: tuple) -> metrics.BinaryMetrics:
    """Metrics at p = 0.5 on every point of the data; ``fitted``: key_of(fit params)."""
    frame = cache.binary_data(**dict(data_key))
    return metrics.classifier_metrics(dict(fitted), frame["x1"], frame["x2"], frame["label"])
