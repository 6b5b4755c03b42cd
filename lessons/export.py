"""Take it home: the data a page shows, with each point's numbers, as a CSV table."""

from __future__ import annotations

import numpy as np
import pandas as pd

import losses
from losses.fit import FitResult

# The residual column's header says which way it is taken (ASCII, for any spreadsheet).
RESIDUAL = "residual r = prediction - y"


def regression_points(frame: pd.DataFrame, loss_id: str, params: dict, result: FitResult):
    """One row per point of ``frame`` (x, y, is_outlier, is_added) with the fitted line's
    prediction ŷ = a + b·x, the residual r = ŷ − y (`RESIDUAL`: the sign every chart and
    lesson uses, and the one the gradient column's sign follows: for MSE ∂ℓ/∂ŷ = 2r), the
    point's loss ℓ(y, ŷ), its gradient ∂ℓ/∂ŷ and its effective weight in the fit (``result``
    of `losses.fit.fit_regression` under ``loss_id`` with ``params``). The loss column's
    mean is the fit's cost."""
    loss = losses.get(loss_id)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    prediction = result.params["intercept"] + result.params["slope"] * x
    table = pd.DataFrame({"x": x, "y": y, "is_outlier": frame["is_outlier"].to_numpy()})
    table["is_added"] = (
        frame["is_added"].to_numpy() if "is_added" in frame else np.zeros(len(x), dtype=bool)
    )
    table["prediction"] = prediction
    table[RESIDUAL] = prediction - y
    table["loss"] = loss.value(y, prediction, **params)
    table["gradient"] = loss.grad(y, prediction, **params)
    table["weight"] = result.effective_weight
    return table


def csv_bytes(table: pd.DataFrame) -> bytes:
    """``table`` as UTF-8 CSV, floats written with 17 significant digits (they round-trip)."""
    return table.to_csv(index=False, float_format="%.17g").encode("utf-8")
