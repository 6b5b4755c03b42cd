"""The gradient-descent page's numbers and sentences: where the landscape is drawn, which
epochs the scrubber visits, and what happened to the descent (converged, still on its way,
bouncing around the minimum, diverged), said from the path itself, not typed per case."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lessons.display_numbers import signed
from losses.fit.descent import DescentPath

# J within this share of J* counts as at the minimum (the cost is flat there: a line 1e-3
# from the minimiser in a and b is ~1e-6 above it in J for MSE on the default data).
AT_MINIMUM = 1e-5
MAX_SNAPSHOTS = 201  # frames the scrubber plays: every early epoch, then log-spaced
EVERY_EARLY = 40


class Window(NamedTuple):
    """The (a, b) rectangle the landscape covers: intercept a across, slope b up."""

    a_low: float
    a_high: float
    b_low: float
    b_high: float


def window(points_a, points_b, *, x, y) -> Window:
    """A rectangle holding every (a, b) given (the start, the minimiser, a path's finite
    points), with a margin of a fifth of its size and at least a span set by the data
    (intercept: a tenth of y's range; slope: that over x's range), so a start on the
    minimum still shows the valley around it."""
    a = np.asarray(points_a, dtype=np.float64)
    b = np.asarray(points_b, dtype=np.float64)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    y_range = float(np.ptp(y)) if np.size(y) else 1.0
    x_range = float(np.ptp(x)) if np.size(x) else 1.0
    floor_a = max(0.5, 0.1 * y_range)
    floor_b = max(0.1, 0.1 * y_range / max(x_range, 1e-9))

    def side(values, floor):
        low, high = float(values.min()), float(values.max())
        margin = max(0.2 * (high - low), floor)
        return low - margin, high + margin

    a_low, a_high = side(a, floor_a)
    b_low, b_high = side(b, floor_b)
    return Window(a_low, a_high, b_low, b_high)


def snapshots(epochs: int) -> np.ndarray:
    """The epochs the scrubber plays (int, ascending, 0 and ``epochs`` included): every one
    of the first `EVERY_EARLY` (where a descent moves most), then log-spaced, at most
    `MAX_SNAPSHOTS` in all."""
    if epochs + 1 <= MAX_SNAPSHOTS:
        return np.arange(epochs + 1)
    early = np.arange(EVERY_EARLY + 1)
    late = np.geomspace(EVERY_EARLY + 1, epochs, MAX_SNAPSHOTS - early.size)
    return np.unique(np.concatenate([early, np.round(late).astype(np.int64), [epochs]]))


def log_colour(costs: np.ndarray) -> bool:
    """Whether the landscape's colour should follow log₁₀ J: when J spans over a decade
    across the window (the rim dwarfs the valley and a linear scale paints the whole valley
    floor one colour)."""
    finite = costs[np.isfinite(costs)]
    low = float(finite.min()) if finite.size else 0.0
    return low > 0 and float(finite.max()) / low > 10.0


def _number(value: float) -> str:
    return signed(value, ".4g")


def _tail(path: DescentPath) -> slice:
    length = max(20, path.epochs // 10)
    return slice(max(0, path.epochs + 1 - length), path.epochs + 1)


def tail_costs(path: DescentPath) -> np.ndarray:
    """The cost over the path's last epochs (a tenth of them, at least 20): where a bounce
    shows."""
    return path.costs[_tail(path)]


def bounces(path: DescentPath, minimum_cost: float) -> bool:
    """Whether the cost rises again over the last epochs (`tail_costs`). A cost that rises
    late is bouncing, however close to J* (MAE lands within 1e-5 of J* and still swings)."""
    scale = max(abs(minimum_cost), 1e-12)
    return bool(np.any(np.diff(tail_costs(path)) > 1e-12 * scale))


def outcome(
    path: DescentPath,
    *,
    minimum: tuple[float, float],
    minimum_cost: float,
    loss_id: str,
    loss_name: str,
    learning_rate: float,
    step_limit: float | None,
) -> list[str]:
    """One or two sentences on what the descent did, from its recorded path.

    ``minimum``: the exact minimiser (a*, b*) from the fit, ``minimum_cost`` J* there;
    ``step_limit``: 2/L for MSE (`losses.fit.descent.mse_step_limit`), else None.
    """
    a_end, b_end, cost_end = path.intercepts[-1], path.slopes[-1], path.costs[-1]
    sentences = []
    if path.stop == "diverged":
        why = (
            f"For MSE every step overshoots the minimum by more than it corrects once η is "
            f"above 2/L = {step_limit:.3g} (L is the cost's curvature, twice the largest "
            "eigenvalue of mean([[1, x], [x, x²]]): it grows with the spread of x, not with "
            "the outliers); yours is "
            f"{learning_rate:g}, {learning_rate / step_limit:.3g}× that. Lower η below it."
            if step_limit is not None
            else f"η = {learning_rate:g} is too large for {loss_name} on these data: each step "
            "jumps past the minimum to a steeper place, so the next one jumps further. "
            "Lower η."
        )
        sentences.append(
            f"Diverged at epoch {path.diverged_at}: the cost passed {path.bound:.3g} (it was "
            f"{path.costs[0]:.4g} at the start), so the descent stopped there and nothing "
            f"past epoch {path.epochs} is drawn. {why}"
        )
        return sentences
    excess = cost_end - minimum_cost
    scale = max(abs(minimum_cost), 1e-12)
    tail = _tail(path)
    a_tail, b_tail = path.intercepts[tail], path.slopes[tail]
    climbs = bounces(path, minimum_cost)  # checked before "converged"
    distance = (
        f"a = {_number(a_end)} and b = {_number(b_end)} against the minimum's "
        f"a* = {_number(minimum[0])}, b* = {_number(minimum[1])}"
    )
    if climbs:
        swing_a = 0.5 * float(np.ptp(a_tail))
        swing_b = 0.5 * float(np.ptp(b_tail))
        why = (
            "the mini-batch gradient changes from batch to batch, so each step aims a little "
            "off; a smaller η or a larger batch calms it"
            if path.batch_size is not None
            else "the gradient of MAE (and quantile) is a sign: it keeps its full size right "
            "up to the minimum, so a fixed η keeps stepping over it. A smaller η bounces "
            "less; only a shrinking η lands"
            if loss_id in ("mae", "quantile")
            else "each step overshoots the bottom of the valley and comes back"
        )
        sentences.append(
            f"Still bouncing: over the last {a_tail.size} epochs the intercept swings by "
            f"±{swing_a:.3g} and the slope by ±{swing_b:.3g} around the minimum, and J stays "
            f"{excess:.3g} above J* = {minimum_cost:.4g}: {why}."
        )
    elif excess <= AT_MINIMUM * scale:
        sentences.append(
            f"Converged: after {path.epochs} epochs the line is at the bottom, J = "
            f"{cost_end:.6g} against J* = {minimum_cost:.6g} ({distance})."
        )
    else:
        sentences.append(
            f"Still on its way: after {path.epochs} epochs J is {excess:.3g} above the "
            f"minimum J* = {minimum_cost:.4g} and still falling ({distance}). The valley is "
            "long and narrow (intercept and slope trade off, since x is far from 0), so "
            "plain steps crawl along its floor: more epochs, a larger η or momentum gets there."
        )
    if path.stop == "update cap":
        sentences.append(
            f"Only {path.epochs} of the {path.requested} epochs ran: at this batch size they "
            f"would take more than {path.updates:,} steps, the most one page computes. A "
            "larger batch runs them all."
        )
    return sentences


def explore_text(
    start: tuple[float, float],
    cost: float,
    *,
    minimum: tuple[float, float] | None,
    minimum_cost: float | None,
) -> str:
    """ "Find the bottom yourself": the clicked line's cost, and (revealed) how far from
    the bottom it is."""
    a, b = start
    text = (
        f"Your line ŷ = {_number(a)} + {_number(b)}·x costs J = {cost:.6g}. Click elsewhere "
        "on the landscape to try another line: the darker, the lower."
    )
    if minimum is None or minimum_cost is None:
        return text + " Turn on “show the true minimum” when you think you have found it."
    above = cost - minimum_cost
    share = above / max(abs(minimum_cost), 1e-12)
    return text + (
        f" The bottom is at a* = {_number(minimum[0])}, b* = {_number(minimum[1])}, where "
        f"J* = {minimum_cost:.6g}: yours is {above:.3g} above it ({100 * share:.3g} % more)."
    )
