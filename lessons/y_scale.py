"""The scale of y: multiply every y by s and each loss's fitted cost changes by its own power
of s, while Huber with a fixed δ changes its shape (Regression & outliers page).

Hand derivations (residual r = ŷ − y; each tested against direct fits on s·y):

- MSE and MAE: the best line on s·y is s times the best line on y (least squares is linear
  in y; the L1 programme's optimum scales with it), so every residual is s·r and the cost
  is s²·J (MSE) and s·J (MAE).
- Huber: Huber_δ(s·r) = s²·Huber_{δ/s}(r) (both branches: ½s²r² when |r| ≤ δ/s, else
  δ(s|r| − ½δ) = s²·(δ/s)(|r| − ½δ/s)). So on s·y with δ fixed, the best line is s times the
  Huber line on y at δ/s: scaling y up is shrinking δ (for a fixed line, more points linear,
  as MAE), scaling it down is growing δ (more quadratic, as ½·MSE); the refit can move some
  points back (`zone_change`). With δ scaled too (δ·s), the best
  line is s times the line at δ, the same points are linear, and the cost is s²·J.

NumPy only; fits through `losses.fit`, costs through the registry's kernels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lessons.display_numbers import percent_text, place_against
from lessons.robustness import ON_THE_LINE
from losses.fit import fit_line
from losses.fit.line import fit_lines, pinball_lines
from losses.registry import get

CURVES = ("mse", "mae", "huber", "huber_scaled")  # huber: δ fixed; huber_scaled: δ·s

# The tab's introduction. Its claim about δ holds for a fixed line (|s·r| > δ can only gain
# points as s grows); each line is refitted at every s, and the refit can move a few points
# across δ the other way, so that is said, and `scale_sentence` counts them.
INTRO = (
    "Measure y in other units (centimetres instead of metres, cents instead of euros) and "
    "every y is multiplied by a scale s. MSE squares each residual, so its cost grows as "
    "s²; MAE's grows as s. Huber's δ is in the units of y: since "
    r"$\text{Huber}_\delta(s\,r) = s^2\,\text{Huber}_{\delta/s}(r)$, multiplying y by s "
    "with δ fixed acts like dividing δ by s. For a fixed line, a larger s can only push "
    "residuals past δ (MAE-like) and a smaller s only pull them inside (like ½·MSE); but each "
    "line is refitted at every s, and the refitted line can move points across δ the "
    "other way. The sentence below counts them."
)


@dataclass(frozen=True)
class ScaleSweep:
    """Each loss's fitted cost on s·y at every s, and Huber's linear zone.

    ``scales`` (m,); ``costs``: {curve: (m,)} the cost of that loss's best line on s·y
    (`CURVES`: MSE, MAE, Huber with δ fixed, Huber with δ·s); ``reference``: {curve: cost at
    s = 1}; ``linear_count`` / ``scaled_linear_count`` (m,): how many of the n points have
    |r| > δ (Huber's linear zone) in the Huber fit with δ fixed / with δ·s, and
    ``reference_linear_count`` at s = 1. ``on_the_line``: every residual at s = 1 is 0 (up
    to `ON_THE_LINE` times the largest |y|), so every cost is 0 at every s.
    """

    scales: np.ndarray
    delta: float
    costs: dict[str, np.ndarray]
    reference: dict[str, float]
    linear_count: np.ndarray
    scaled_linear_count: np.ndarray
    reference_linear_count: int
    n: int
    on_the_line: bool

    def index(self, scale: float) -> int:
        """The position of ``scale`` in ``scales`` (ValueError when it is not there)."""
        near = np.flatnonzero(np.isclose(self.scales, scale, rtol=1e-9, atol=0.0))
        if near.size == 0:
            raise ValueError(f"s = {scale:g} is not one of the sweep's scales.")
        return int(near[0])

    def linear_share(self, scaled: bool = False) -> np.ndarray:
        """(m,) the share of points in Huber's linear zone, δ fixed (or δ·s)."""
        counts = self.scaled_linear_count if scaled else self.linear_count
        return counts / self.n

    def ratio(self, curve: str) -> np.ndarray:
        """(m,) the cost at each s over the cost at s = 1 (NaN where that is 0, or rounding
        only: `on_the_line`)."""
        reference = self.reference[curve]
        if reference == 0.0 or self.on_the_line:
            return np.full(self.scales.shape, np.nan)
        return self.costs[curve] / reference


def _residual(x, y, line: dict) -> np.ndarray:
    return line["intercept"] + line["slope"] * x - y


def scale_sweep(x, y, scales: Sequence[float], *, delta: float, pinball=None) -> ScaleSweep:
    """Fit MSE, MAE and Huber (δ fixed, and δ·s) to s·y at every s in ``scales`` (shape (m,),
    each > 0) and take each fit's cost with the registry's kernel.

    The lines on s·y come from fits on y (module docstring): MSE's and MAE's once, Huber's
    at every δ/s in one sweep (`fit_lines`); each residual on s·y is s times the residual
    on y, computed so (s·ŷ − s·y would lose the digits of a residual far below |y|).
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    every = np.append(np.asarray(scales, dtype=np.float64), 1.0)  # the last: s = 1
    if np.any(every <= 0) or not np.all(np.isfinite(every)):
        raise ValueError("every scale s must be a positive number.")
    # One exact MAE line (``pinball``, the data's `pinball_lines` if the caller keeps one):
    # the MAE fit and every Huber start.
    pinball = pinball or pinball_lines(x, y)
    residual = {
        loss_id: _residual(x, y, fit_line(x, y, loss_id, pinball=pinball).params)
        for loss_id in ("mse", "mae")
    }
    huber_lines = fit_lines(x, y, "huber", [{"delta": delta / s} for s in every], pinball=pinball)
    huber_at = {
        float(s): _residual(x, y, fit.params) for s, fit in zip(every, huber_lines, strict=True)
    }
    residual_at_delta = huber_at[1.0]
    costs = {curve: np.empty(every.size) for curve in CURVES}
    linear = np.empty(every.size, dtype=np.int64)
    scaled_linear = np.empty(every.size, dtype=np.int64)
    zero = np.zeros_like(y)
    for i, s in enumerate(every):
        # The kernels see ŷ − y only: y = 0 and ŷ = s·r give the same loss as s·ŷ and s·y.
        costs["mse"][i] = get("mse").cost(zero, s * residual["mse"])
        costs["mae"][i] = get("mae").cost(zero, s * residual["mae"])
        fixed = s * huber_at[float(s)]
        costs["huber"][i] = get("huber").cost(zero, fixed, delta=delta)
        scaled = s * residual_at_delta
        costs["huber_scaled"][i] = get("huber").cost(zero, scaled, delta=delta * s)
        linear[i] = np.count_nonzero(np.abs(fixed) > delta)
        scaled_linear[i] = np.count_nonzero(np.abs(scaled) > delta * s)
    largest = max(float(np.max(np.abs(r), initial=0.0)) for r in residual.values())
    # Relative to |y|: a file's y in large units on a line leaves rounding residuals of
    # ~1e-16·|y|, whose "costs" would scale as exactly as real ones.
    size = max(1.0, float(np.max(np.abs(y), initial=0.0)))
    return ScaleSweep(
        scales=every[:-1],
        delta=float(delta),
        costs={curve: values[:-1] for curve, values in costs.items()},
        reference={curve: float(values[-1]) for curve, values in costs.items()},
        linear_count=linear[:-1],
        scaled_linear_count=scaled_linear[:-1],
        reference_linear_count=int(linear[-1]),
        n=int(y.size),
        on_the_line=largest <= ON_THE_LINE * size,
    )


def number(value: float) -> str:
    """A ratio or power of s as the page writes it: "0.01", "12.7", "130", "10,000"."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def times(value: float) -> str:
    """A cost ratio: "100×", "0.01×", "12.7×", "10,000×"."""
    return f"{number(value)}×"


def points(count: int, n: int) -> str:
    """ "182 of the 200 points (91%)"."""
    return f"{count} of the {n} points ({percent_text(count / n)})"


# Huber "acts more like MAE" (or ½·MSE) only where more than this many percentage points of
# the points changed zone since s = 1; fewer, and the counts barely moved.
CLEAR_SHIFT = 5


def nearer(huber: float, mae: float, mse: float) -> str | None:
    """ "MAE" or "MSE": whose cost ratio Huber's is nearer on the chart's log axes, as `times`
    prints the three (None when midway, or when a ratio is not a number)."""
    printed = [float(number(value).replace(",", "")) for value in (huber, mae, mse)]
    if not all(math.isfinite(value) and value > 0 for value in printed):
        return None
    to_mae, to_mse = (abs(math.log(printed[0] / other)) for other in printed[1:])
    if to_mae == to_mse:
        return None
    return "MAE" if to_mae < to_mse else "MSE"


def zone_change(count: int, before: int, n: int, s: float, nearer_ratio: str | None) -> str:
    """How Huber's linear-zone count at s (``count`` of ``n``) compares with ``before`` at
    s = 1, and a verdict only when it is clear: more than `CLEAR_SHIFT` percentage points of
    the points changed zone and Huber's cost ratio is nearer the matching loss's
    (``nearer_ratio``, `nearer`). For a fixed line a larger s only pushes residuals past δ
    (|s·r| > δ grows with s); a count that moved the other way was moved by the refit."""
    if count == before:
        return "as many as at s = 1"
    more = count > before
    text = f"{'more' if more else 'fewer'} than the {before} at s = 1"
    shift = 100 * abs(count - before) / n
    like, zone, loss_id = ("MAE", "linear", "MAE") if more else ("½·MSE", "quadratic", "MSE")
    if 100 * abs(count - before) <= CLEAR_SHIFT * n:
        text += f" by only {shift:.2g} percentage points: the counts barely moved"
    elif nearer_ratio == loss_id:
        text += f": it acts more like {like}"
    else:
        text += f" (more of them {zone}, as in {like})"
        if nearer_ratio is not None:  # then the other loss's: Huber's ratio is not midway
            text += (
                f", though on the chart's log axes its cost ratio is nearer {nearer_ratio}'s "
                f"than {loss_id}'s"
            )
    if more != (s > 1):
        text += (
            f"; for a fixed line a {'larger' if s > 1 else 'smaller'} s could only "
            f"{'push residuals past δ' if s > 1 else 'pull residuals inside δ'}, so the "
            f"refitted line moved some {'back inside' if s > 1 else 'back past it'}"
        )
    return text


def scale_sentence(sweep: ScaleSweep, scale: float) -> str:
    """What multiplying y by ``scale`` did to each cost and to Huber's zones."""
    i, delta, n = sweep.index(scale), sweep.delta, sweep.n
    s = float(sweep.scales[i])
    count, before = int(sweep.linear_count[i]), sweep.reference_linear_count
    if sweep.on_the_line:
        return (
            "Every point sits on the fitted lines (all residuals are 0), so every cost is 0 at "
            "every scale and s changes nothing: add noise or outliers to see it act."
        )
    if s == 1.0:
        return (
            f"At s = 1 the data are as drawn above: Huber with δ = {delta:g} treats "
            f"{points(count, n)} as linear (|r| > δ: each pulls with the constant force δ, as "
            "in MAE) and the others as quadratic (as ½·MSE). Move s to multiply every y by it."
        )
    mse, mae = float(sweep.ratio("mse")[i]), float(sweep.ratio("mae")[i])
    huber, kept = float(sweep.ratio("huber")[i]), float(sweep.ratio("huber_scaled")[i])
    # Where Huber's ratio lies against MAE's and MSE's, as `times` prints the three. Outside
    # both only by the fits' tolerance (Huber is convex with Huber(0) = 0, so Huber(s·r) lies
    # between s·Huber(r) and s²·Huber(r)), so that goes unsaid.
    where = {
        "first": ", the same as MAE's to the digits shown",
        "second": ", the same as MSE's to the digits shown",
        "both": ", the same as both to the digits shown",
        "between": ", between the two",
    }.get(place_against(huber, mae, mse, times), "")
    change = zone_change(count, before, n, s, nearer(huber, mae, mse))
    kept_count = int(sweep.scaled_linear_count[i])
    if kept_count == before:
        kept_text = "as at s = 1: scale δ with y and Huber keeps its shape"
    else:
        kept_text = f"against {before} at s = 1"
    return (
        f"At s = {s:g} every y is {s:g}× as large, and so is every residual of the MSE and "
        f"MAE lines (each is {s:g}× its line at s = 1). The MSE cost is {times(mse)} its "
        f"value at s = 1 (s² = {number(s * s)}), MAE's {times(mae)} (s = {s:g}), and "
        f"Huber's (δ = {delta:g}) {times(huber)}{where}: it now treats "
        f"{points(count, n)} as linear, {change}. With δ scaled too (δ = {number(delta * s)}), "
        f"Huber's cost is {times(kept)} and {kept_count} points are linear, {kept_text}."
    )


def alt(sweep: ScaleSweep, scale: float) -> str:
    """The chart's text alternative: each cost ratio and Huber's linear share at ``scale``."""
    i = sweep.index(scale)
    s = float(sweep.scales[i])
    axis = (
        f"Two panels against the scale s of y from {sweep.scales[0]:g} to "
        f"{sweep.scales[-1]:g} (log axis), s = {s:g} marked."
    )
    if sweep.on_the_line:
        return (
            f"{axis} Every point sits on the fitted lines: every cost is 0, so no cost ratio "
            f"is drawn, and {int(sweep.linear_count[i])} points are in Huber's linear zone."
        )
    ratios = "; ".join(
        f"{name} {times(float(sweep.ratio(curve)[i]))}"
        for curve, name in zip(CURVES, curve_names(sweep.delta), strict=True)
    )
    return (
        f"{axis} Each loss's cost over its cost at s = 1: {ratios}. Points in Huber's "
        "linear zone: "
        f"{points(int(sweep.linear_count[i]), sweep.n)} with δ fixed, "
        f"{int(sweep.scaled_linear_count[i])} with δ scaled."
    )


def curve_names(delta: float) -> tuple[str, ...]:
    """The names of `CURVES` as the chart and the text write them."""
    return ("MSE", "MAE", f"Huber, δ = {delta:g} fixed", f"Huber, δ = {delta:g}·s")


def delta_source(delta: float, *, picked: bool) -> str:
    """Where the tab's δ comes from, for its caption."""
    if picked:
        return f"δ = {delta:g} is your Huber setting above."
    return f"δ = {delta:g} is Huber's default: pick Huber above to set it."
