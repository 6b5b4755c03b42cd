"""Cached figures and tables of the numerics page (bounded), keyed by plain values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from lessons import numerics
from ui.numerics_charts import ways_figure

ENTRIES = 16
Z = np.linspace(-100.0, 100.0, 2001)  # 0.1 apart: every failure point within 0.1
SOFTMAX_SCALES = (1.0, 10.0, 80.0, 90.0, 700.0, 710.0, 1000.0, 10000.0)


def _shown(value: float) -> str:
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "inf" if value > 0 else "−inf"
    return "0" if value == 0 else f"{value:.6g}"


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def bce_view(label: float):
    """(loss figure, gradient figure, table, failures of the loss, of the gradient) for true
    label ``label``; a failure is the z nearest 0 where a naive form gives inf or NaN."""
    l32, g32 = numerics.naive_bce_from_logit(Z, label, np.float32)
    l64, g64 = numerics.naive_bce_from_logit(Z, label, np.float64)
    stable, grad = numerics.stable_bce_from_logit(Z, label)
    failures = {
        "naive32": numerics.first_failure(Z, l32),
        "naive64": numerics.first_failure(Z, l64),
    }
    loss_chart = ways_figure(
        Z,
        {"stable": stable, "naive64": l64, "naive32": l32},
        y_title=f"loss ℓ(y = {label:g}, z), log scale",
        log=True,
        failures=failures,
    )
    grad_failures = {
        "naive32": numerics.first_failure(Z, g32),
        "naive64": numerics.first_failure(Z, g64),
    }
    grad_chart = ways_figure(
        Z,
        {"stable": grad, "naive64": g64, "naive32": g32},
        y_title="gradient ∂ℓ/∂z",
        log=False,
        failures=grad_failures,
    )
    rows = numerics.bce_rows(label)
    table = pd.DataFrame(
        {
            "z": [f"{row.z:g}" for row in rows],
            "loss, naive float32": [_shown(row.naive32) for row in rows],
            "loss, naive float64": [_shown(row.naive64) for row in rows],
            "loss, stable": [_shown(row.stable) for row in rows],
            "gradient, naive float32": [_shown(row.grad_naive32) for row in rows],
            "gradient, naive float64": [_shown(row.grad_naive64) for row in rows],
            "gradient, stable": [_shown(row.grad_stable) for row in rows],
        }
    )
    return loss_chart, grad_chart, table, failures, grad_failures


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=ENTRIES, show_spinner=False)
def clip_view(eps: float):
    """(loss figure, gradient figure) for y = 1: from the logit, on probabilities clipped at
    ε (Keras), and through PyTorch's BCELoss on σ(z), which does not clip."""
    stable, grad = numerics.stable_bce_from_logit(Z, 1.0)
    clipped, clipped_grad = numerics.clipped_bce_from_logit(Z, 1.0, eps)
    torch_loss, torch_grad = numerics.torch_bce_from_logit(Z, 1.0)
    loss_chart = ways_figure(
        Z,
        {"stable": stable, "torch": torch_loss, "clipped": clipped},
        y_title="loss ℓ(y = 1, z)",
        log=False,
    )
    grad_chart = ways_figure(
        Z,
        {"stable": grad, "torch": torch_grad, "clipped": clipped_grad},
        y_title="gradient ∂ℓ/∂z",
        log=False,
    )
    return loss_chart, grad_chart


def softmax_table(scale: float) -> pd.DataFrame:
    """Logits (scale, scale/2, 0, −scale): softmax the naive way in float32 and float64, and
    the core's way."""
    logits = np.array([scale, scale / 2, 0.0, -scale])
    rows = {
        "naive e^z / Σe^z, float32": numerics.naive_softmax(logits, np.float32),
        "naive e^z / Σe^z, float64": numerics.naive_softmax(logits, np.float64),
        "stable: z − max(z) first (the core)": numerics.stable_softmax(logits),
    }
    table = pd.DataFrame(
        {name: [_shown(value) for value in values] for name, values in rows.items()},
        index=[f"p{j} (z = {value:g})" for j, value in enumerate(logits)],
    ).T
    return table
