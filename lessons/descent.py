"""The gradient-descent page's numbers and sentences: where the landscape is drawn, which
epochs the scrubber visits, and what happened to the descent (converged, still on its way,
bouncing around the minimum, diverged), said from the path itself, not typed per case."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

import losses
from lessons.display_numbers import signed
from losses.fit import descent
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


def contains(window: Window, point: tuple[float, float]) -> bool:
    """Whether ``point`` (a, b) lies inside ``window`` (its edges included)."""
    a, b = point
    return window.a_low <= a <= window.a_high and window.b_low <= b <= window.b_high


def held_epochs(path: DescentPath) -> int:
    """How many of the path's first points a view of it must hold: every one up to and
    including the first whose cost passes the start's (its first overshoot that lands
    higher than it began: a diverging run's next points only grow), all of them when none
    does (a descent that only falls, or bounces below where it started)."""
    higher = np.flatnonzero(path.costs[1:] > path.costs[0])
    return int(higher[0]) + 2 if higher.size else int(path.costs.size)


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


DIVERGED, BOUNCING, CONVERGED = "diverged", "bouncing", "converged"
ON_ITS_WAY, STALLED = "on its way", "stalled"
# A valley this many times steeper across than along is called long and narrow.
NARROW_VALLEY = 10.0


class Judgement(NamedTuple):
    """What a descent did: ``kind`` (one of `DIVERGED`, `BOUNCING`, `CONVERGED`,
    `ON_ITS_WAY`, `STALLED`), the page's sentences, and a few words for the cost chart's text."""

    kind: str
    sentences: tuple[str, ...]
    summary: str


def _limit_text(limit: float, momentum: float) -> str:
    """ "2/L = 0.0257", or with momentum "2(1 + μ)/L = 0.0488 (μ = 0.9)"."""
    if momentum == 0:
        return f"2/L = {limit:.3g}"
    return f"2(1 + μ)/L = {limit:.3g} (μ = {momentum:g})"


def _points(count: int) -> str:
    return f"{count} point" if count == 1 else f"{count} points"


def _why_diverged(path: DescentPath, x: np.ndarray, loss_name: str, quadratic: bool) -> str:
    """Why the run blew up, from its η, μ and batch: for MSE (``quadratic``) against the
    stable limit of its settings, which mini-batches do not have."""
    rate, momentum, batch = path.learning_rate, path.momentum, path.batch_size
    if not quadratic:
        batches = f" in mini-batches of {batch}" if batch is not None else ""
        return (
            f"η = {rate:g} is too large for {loss_name} on these data{batches}: each step "
            "jumps past the minimum to a steeper place, so the next one jumps further. Lower η."
        )
    limit = descent.mse_step_limit(x, momentum)
    named = _limit_text(limit, momentum)
    high = descent.mse_curvatures(x)[1]
    curvature = f"L = {high:.3g}, the cost's largest curvature, is set by x alone, not y"
    if batch is not None:
        text = (
            f"With mini-batches of {_points(batch)} there is no fixed η limit: each step "
            "follows one batch's cost, and the steepest batches curve at least as much as "
            f"the whole cost, so its full-batch limit {named} does not hold "
            f"(yours is {rate / limit:.3g}× it)."
        )
        if batch == 1 and momentum == 0:
            far = float(x[np.argmax(np.abs(x))])
            text += (
                f" A step on the point at x = {far:.3g} alone leaves its residual larger "
                f"than before once η > 1/(1 + x²) = {1 / (1 + far * far):.3g}."
            )
        return text + " Lower η, or take larger batches."
    if rate > limit:
        return (
            f"For MSE in full batches every step overshoots along the steepest direction by "
            f"more than it corrects once η is above {named} ({curvature}); "
            f"yours is {rate:g}, {rate / limit:.3g}× that. Lower η below it."
        )
    return (
        f"η = {rate:g} is below the full-batch limit {named}, under which the "
        "descent settles in the end, but the cost passed the bound on the way. Lower η."
    )


def _why_slow(x: np.ndarray, quadratic: bool) -> str:
    """For MSE, what the curvature says about a slow descent; '' when it says nothing."""
    if not quadratic:
        return ""
    low, high = descent.mse_curvatures(x)
    if low <= 0 or high / low < NARROW_VALLEY:
        return ""
    centre, spread = float(np.mean(x)), float(np.std(x))
    off_centre = (
        f" (x sits around {centre:.3g}, far from 0 for its spread ±{spread:.3g}, so intercept "
        "and slope trade off)"
        if abs(centre) > spread
        else ""
    )
    return (
        f" The valley is long and narrow: J curves {high / low:.3g}× more steeply across it "
        f"than along it{off_centre}, so steps small enough for the steep direction crawl "
        "along its floor."
    )


def judge(
    path: DescentPath,
    *,
    x,
    minimum: tuple[float, float],
    minimum_cost: float,
    loss_id: str,
    loss_name: str,
) -> Judgement:
    """What the descent did, from its recorded path: diverged, still bouncing, converged
    (J within `AT_MINIMUM` of J*), still on its way (J falling over the last epochs) or
    stalled (not falling), with one or two sentences.

    The page's outcome, the scene's answer (`lessons.predictions.descent_answer`) and the
    cost chart's text all read this. ``x``: (n,) the data's x; ``minimum``: the exact
    minimiser (a*, b*) from the fit, ``minimum_cost`` J* there.
    """
    x = np.asarray(x, dtype=np.float64)
    loss = losses.get(loss_id)
    quadratic = loss.squared_error
    a_end, b_end, cost_end = path.intercepts[-1], path.slopes[-1], path.costs[-1]
    if path.stop == "diverged":
        return Judgement(
            DIVERGED,
            (
                f"Diverged at epoch {path.diverged_at}: the cost passed {path.bound:.3g} (it "
                f"was {path.costs[0]:.4g} at the start), so the descent stopped there and "
                f"nothing past epoch {path.epochs} is drawn. "
                + _why_diverged(path, x, loss_name, quadratic),
            ),
            f"it diverged at epoch {path.diverged_at}",
        )
    excess = cost_end - minimum_cost
    scale = max(abs(minimum_cost), 1e-12)
    tail = _tail(path)
    a_tail, b_tail = path.intercepts[tail], path.slopes[tail]
    distance = (
        f"a = {_number(a_end)} and b = {_number(b_end)} against the minimum's "
        f"a* = {_number(minimum[0])}, b* = {_number(minimum[1])}"
    )
    if bounces(path, minimum_cost):  # checked before "converged"
        swing_a = 0.5 * float(np.ptp(a_tail))
        swing_b = 0.5 * float(np.ptp(b_tail))
        why = (
            "the mini-batch gradient changes from batch to batch, so each step aims "
            "off; a smaller η or a larger batch calms it"
            if path.batch_size is not None
            else "the gradient of MAE (and quantile) is a sign: it keeps its full size right "
            "up to the minimum, so a fixed η keeps stepping over it. A smaller η bounces "
            "less; only a shrinking η lands"
            if loss.line_fit.kind == "pinball"
            else "each step overshoots the bottom of the valley and comes back"
        )
        kind, summary = BOUNCING, "still bouncing"
        first = (
            f"Still bouncing: over the last {a_tail.size} epochs the intercept swings by "
            f"±{swing_a:.3g} and the slope by ±{swing_b:.3g}, and J stays {excess:.3g} above "
            f"J* = {minimum_cost:.4g}: {why}."
        )
    elif excess <= AT_MINIMUM * scale:
        kind, summary = CONVERGED, "converged to the minimum"
        first = (
            f"Converged: after {path.epochs} epochs the line is at the bottom, J = "
            f"{cost_end:.6g} against J* = {minimum_cost:.6g} ({distance})."
        )
    elif tail_costs(path)[-1] >= tail_costs(path)[0]:
        kind, summary = STALLED, "stalled above the minimum"
        first = (
            f"Stalled: after {path.epochs} epochs J is {excess:.3g} above the minimum "
            f"J* = {minimum_cost:.4g} and has not fallen over the last {a_tail.size} epochs "
            f"({distance}): the steps no longer lower it."
        )
    else:
        kind, summary = ON_ITS_WAY, "still on its way down"
        first = (
            f"Still on its way: after {path.epochs} epochs J is {excess:.3g} above the "
            f"minimum J* = {minimum_cost:.4g} and still falling ({distance}), so more epochs "
            f"take it further.{_why_slow(x, quadratic)}"
        )
    sentences = [first]
    if path.stop == "update cap":
        sentences.append(
            f"Only {path.epochs} of the {path.requested} epochs ran: at this batch size they "
            f"would take more than {path.updates:,} steps, the most one page computes. A "
            "larger batch runs them all."
        )
    return Judgement(kind, tuple(sentences), summary)


def stability(x, *, momentum: float, batch_size: int | None) -> str:
    """For MSE: the η its full-batch descent is stable below, what sets it, and (mini-batches
    of fewer than n points) that no such limit holds for the steps the page takes. x: (n,)."""
    x = np.asarray(x, dtype=np.float64)
    limit = descent.mse_step_limit(x, momentum)
    named = _limit_text(limit, momentum)
    text = (
        f"For MSE on these data a full-batch step is stable for η below {named}. L, the "
        "cost's largest curvature, is set by x alone (through mean(x) and mean(x²): shifting "
        "x moves it), not by y: outliers move the minimum, not L."
    )
    if batch_size is not None and batch_size < x.size:
        text += (
            f" With mini-batches of {_points(batch_size)} there is no fixed limit: each step "
            "follows one batch's cost, so the steps are noisy and can blow up below it."
        )
    return text


def explore_text(
    start: tuple[float, float],
    cost: float,
    *,
    minimum: tuple[float, float] | None,
    minimum_cost: float | None,
    convex: bool = True,
) -> str:
    """ "Find the bottom yourself": the clicked line's cost, and (revealed) how far from
    the fit's minimum it is. ``convex``: whether the loss is convex at its settings
    (`Loss.is_convex`); if not, the fit's minimum (from the MAE line) is the bottom of one
    valley, and a click can find a lower one."""
    a, b = start
    text = (
        f"Your line ŷ = {_number(a)} + {_number(b)}·x costs J = {cost:.6g}. Click elsewhere "
        "on the landscape to try another line: the darker, the lower."
    )
    if minimum is None or minimum_cost is None:
        return text + " Turn on “show the fit’s minimum” when you think you have found it."
    above = cost - minimum_cost
    where = f"a* = {_number(minimum[0])}, b* = {_number(minimum[1])}, where J* = {minimum_cost:.6g}"
    if convex:
        # A share of J* only where J* is not 0 (data on their line): of 0 it is no number.
        share = f" ({100 * above / minimum_cost:.3g} % more)" if minimum_cost > 0 else ""
        return text + f" The bottom is at {where}: yours is {above:.3g} above it{share}."
    text += (
        f" The fit's minimum, reached from the MAE line, is at {where}. This cost is not "
        "convex, so that is the bottom of one valley, not surely the lowest"
    )
    if above >= 0:
        return text + f": yours is {above:.3g} above it."
    return text + f", and yours is {-above:.3g} below it: you found a lower valley."
