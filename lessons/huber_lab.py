"""The Huber δ lab's numbers: Huber's quadratic zone, its two limits, and the δ sweep.

Computed through the registered losses and `losses.fit.fit_line`, so the lab cannot
disagree with the core. Residual r = ŷ − y throughout (as `lessons.curves`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lessons.curves import regression_curve
from lessons.display_numbers import SHOWN_DIGITS, place_against, shown
from losses.fit import fit_line
from losses.fit.line import fit_lines, pinball_lines
from losses.registry import get

# Huber's line is "MAE-like" when at most this share of points is in the quadratic zone.
FEW_QUADRATIC = 0.05


def quadratic_zone(residual, delta: float) -> np.ndarray:
    """Boolean (n,): True where Huber is quadratic, |r| ≤ δ (its branch test)."""
    return np.abs(np.asarray(residual, dtype=np.float64)) <= delta


@dataclass(frozen=True)
class HuberLimits:
    """Huber beside its two limits on one residual axis, each (value, gradient), shape (n,).

    ``half_mse`` = ½·MSE = ½r², the δ → ∞ limit; ``delta_mae`` = δ·MAE = δ|r|, whose
    gradient δ·sign(r) is Huber's for |r| > δ (the δ → 0 shape).
    """

    huber: tuple[np.ndarray, np.ndarray]
    half_mse: tuple[np.ndarray, np.ndarray]
    delta_mae: tuple[np.ndarray, np.ndarray]


def huber_limits(residual, delta: float) -> HuberLimits:
    """Huber at δ, ½·MSE and δ·MAE along ``residual``, all through the registry."""
    return huber_limits_each(residual, [delta])[0]


def huber_limits_each(residual, deltas: Sequence[float]) -> list[HuberLimits]:
    """`huber_limits` at each of ``deltas`` along one ``residual`` axis (½·MSE and MAE
    evaluated once for them all)."""
    mse_value, mse_grad = regression_curve(get("mse"), residual)
    mae_value, mae_grad = regression_curve(get("mae"), residual)
    return [
        HuberLimits(
            huber=regression_curve(get("huber"), residual, delta=delta),
            half_mse=(0.5 * mse_value, 0.5 * mse_grad),
            delta_mae=(delta * mae_value, delta * mae_grad),
        )
        for delta in deltas
    ]


def zone_notes(residual, delta: float, line: dict, mae: dict, mse: dict) -> list[str]:
    """Plain-language notes on where the Huber fit's residuals sit relative to ±δ.

    ``line``, ``mae``, ``mse``: {"intercept", "slope"} of the Huber fit at δ (whose
    ``residual`` these are) and of the MAE and least-squares fits on the same data.
    """
    inside = quadratic_zone(residual, delta)
    n, k = inside.size, int(inside.sum())
    largest = float(np.max(np.abs(residual))) if n else 0.0
    if k == n:
        return [
            f"Every residual is within ±δ (largest |r| = {largest:.3g} ≤ δ = {delta:g}): "
            "Huber is ½·MSE on all these points, so its line is exactly the least-squares "
            "(MSE) line."
        ]
    if k <= FEW_QUADRATIC * n:
        return [
            f"Only {k} of {n} residuals are within ±δ = ±{delta:g}; every other point pulls "
            f"with the constant force δ, as in δ·MAE. {nearer_text(line, mae, mse)}"
        ]
    return []


KEYS = ("slope", "intercept")


def nearer_text(line: dict, mae: dict, mse: dict) -> str:
    """Whether Huber's ``line`` is nearer the MAE line than the least-squares line, in slope
    and in intercept ({"intercept", "slope"} each), with the numbers."""
    nearer = {key: abs(line[key] - mae[key]) < abs(line[key] - mse[key]) for key in KEYS}
    numbers = "; ".join(
        f"{key} {shown(line[key])} (MAE's {shown(mae[key])}, least squares' {shown(mse[key])})"
        for key in KEYS
    )
    if all(nearer.values()):
        verdict = "Huber's line is nearer the MAE line than the least-squares line"
    elif any(nearer.values()):
        near, far = sorted(KEYS, key=lambda key: not nearer[key])
        verdict = f"Huber's line is nearer the MAE line in {near} only, not in {far}"
    else:
        verdict = "Even so, Huber's line is not nearer the MAE line than the least-squares line"
    return f"{verdict}: {numbers}."


def sweep_ends_text(x, y, sweep: DeltaSweep) -> str:
    """What the sweep's two ends show, counted on the data: at its smallest δ how many points
    are in the linear zone and the slope against MAE's; at its largest how many are in the
    quadratic zone and the slope against least squares' (that line itself when all are)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def end(step: int) -> tuple[float, float, int]:
        """(δ, slope, points within δ) at the sweep's step ``step``."""
        residual = sweep.intercepts[step] + sweep.slopes[step] * x - y
        delta = float(sweep.deltas[step])
        return delta, float(sweep.slopes[step]), int(np.sum(quadratic_zone(residual, delta)))

    (small, small_slope, small_inside), (large, large_slope, large_inside) = end(0), end(-1)
    text = (
        f"At δ = {small:g}, {y.size - small_inside} of {y.size} points are in the linear zone "
        f"and the slope is {shown(small_slope)} (MAE's {shown(sweep.mae['slope'])}); at "
        f"δ = {large:g}, {large_inside} of {y.size} are in the quadratic zone and the slope is "
        f"{shown(large_slope)} (least squares' {shown(sweep.mse['slope'])})"
    )
    if large_inside == y.size:
        return f"{text}: every point is within δ there, so that line is the least-squares line."
    return f"{text}."


def slope_place(slope: float, mae_slope: float, mse_slope: float) -> str:
    """Where Huber's ``slope`` lies against MAE's and least squares', as printed
    (`place_against`), with both numbers: "between MAE's 1.96 and least squares' 1.97",
    "outside MAE's … and least squares' …: below both", or "the same as MAE's … to the 4
    digits shown (least squares' …)". Huber's line need not lie between the two: on skewed
    residuals its slope can leave the interval for a range of δ."""
    mae, mse = shown(mae_slope), shown(mse_slope)
    digits = f"to the {SHOWN_DIGITS} digits shown"
    where = place_against(slope, mae_slope, mse_slope)
    if where == "both":
        return f"the same as MAE's and least squares' {digits}"
    if where == "first":
        return f"the same as MAE's {mae} {digits} (least squares' {mse})"
    if where == "second":
        return f"the same as least squares' {mse} {digits} (MAE's {mae})"
    both = f"MAE's {mae} and least squares' {mse}"
    if where == "between":
        return f"between {both}"
    return f"outside {both}: {where} both"


@dataclass(frozen=True)
class DeltaSweep:
    """Huber's fitted line at each δ, with the two limits' lines.

    ``deltas``, ``slopes``, ``intercepts``: shape (m,). ``mse`` and ``mae``:
    {"intercept", "slope"} of the MSE and MAE fits on the same data.
    """

    deltas: np.ndarray
    slopes: np.ndarray
    intercepts: np.ndarray
    mse: dict
    mae: dict


def delta_sweep(x, y, deltas: Sequence[float], *, pinball=None) -> DeltaSweep:
    """Fit a Huber line at every δ in ``deltas`` (shape (m,)), plus the MSE and MAE lines;
    ``pinball``: the data's `pinball_lines`, if the caller keeps one."""
    # One exact MAE line: the MAE fit and every Huber start.
    pinball = pinball or pinball_lines(x, y)
    sweep = [{"delta": float(d)} for d in deltas]
    fits = [fit.params for fit in fit_lines(x, y, "huber", sweep, pinball=pinball)]
    return DeltaSweep(
        deltas=np.asarray(deltas, dtype=np.float64),
        slopes=np.array([params["slope"] for params in fits]),
        intercepts=np.array([params["intercept"] for params in fits]),
        mse=fit_line(x, y, "mse").params,
        mae=fit_line(x, y, "mae", pinball=pinball).params,
    )


# What the lab prints under its δ scrubber, in this order.
READOUT_LABELS = (
    "points with |r| ≤ δ (quadratic)",
    "Huber slope",
    "MSE slope (δ → ∞)",
    "MAE slope (δ → 0)",
)


def delta_readout(
    residual, delta: float, slope: float, mse_slope: float, mae_slope: float
) -> tuple[tuple[str, str], ...]:
    """The lab's numbers at δ as printed, ((label, text), …) in `READOUT_LABELS` order: how
    many of the Huber fit's ``residual`` (shape (n,)) are within ±δ, and the slopes of the
    Huber line, the least-squares line and the MAE line, to four decimals."""
    inside = int(np.sum(quadratic_zone(residual, delta)))
    texts = (
        f"{inside} of {np.size(residual)}",
        f"{slope:.4f}",
        f"{mse_slope:.4f}",
        f"{mae_slope:.4f}",
    )
    return tuple(zip(READOUT_LABELS, texts, strict=True))


def sweep_readouts(x, y, sweep: DeltaSweep) -> tuple[tuple[tuple[str, str], ...], ...]:
    """`delta_readout` at every δ of ``sweep``, each for the sweep's line there: what the
    scrubber shows at each step before the page reruns."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return tuple(
        delta_readout(
            sweep.intercepts[step] + sweep.slopes[step] * x - y,  # r = ŷ − y
            float(sweep.deltas[step]),
            float(sweep.slopes[step]),
            sweep.mse["slope"],
            sweep.mae["slope"],
        )
        for step in range(len(sweep.deltas))
    )
