"""What a robust regression loss does to a line fit: curves, marks, weights, fit tables.

Everything the "Regression & outliers" page shows as a number is
computed here, through the registered losses and `losses.fit.fit_line`, so a page
cannot disagree with the core. Residual r = ŷ − y throughout (as `lessons.curves`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lessons.curves import regression_curve
from lessons.display_numbers import percent, signed
from losses.fit import fit_regression
from losses.fit.line import pinball_lines
from losses.fit.result import column
from losses.registry import by_task
from losses.spec import Loss

# Below this the data sit on their line: a residual axis needs another scale.
ON_THE_LINE = 1e-9


def symbol(loss: Loss, name: str) -> str:
    """A parameter's symbol from its label: "δ (delta)" → "δ"; the name if it has no label."""
    spec = next(spec for spec in loss.params if spec.name == name)
    return (spec.label or spec.name).split(" (")[0]


def settings_text(loss: Loss, params: dict) -> str:
    """The parameters as text, "δ = 2.5, …"; "—" for a loss without any. A named value says
    its name ("α = 0 (Cauchy)"); Barron's α = −∞ switch stands in for α ("α = −∞ (Welsch)")."""
    specs = {spec.name: spec for spec in loss.params}
    shown = []
    for name, value in params.items():
        if specs[name].kind == "bool":
            continue
        if name == "alpha" and params.get("alpha_minus_infinity"):
            shown.append("α = −∞ (Welsch)")
            continue
        named = dict(specs[name].named).get(value)
        shown.append(f"{symbol(loss, name)} = {value:g}" + (f" ({named})" if named else ""))
    return ", ".join(shown) or "—"


def loss_notes(loss: Loss, params: dict) -> list[str]:
    """What a student should know about this fit because of the loss itself: a loss that is
    not convex at these settings (Barron's with α < 1 or −∞) may leave a local minimum."""
    if not loss.is_convex(params):
        return [
            f"With {settings_text(loss, params)} the cost is not convex: a far point's pull "
            "shrinks towards zero, so the cost can have several valleys and this fit may be a "
            "local minimum. It starts from the MAE line, which is usually in the right valley "
            "when most points are ordinary."
        ]
    return []


def curve_marks(loss: Loss, params: dict) -> list[tuple[float, str]]:
    """Where a loss changes character, as (residual, label) pairs for vertical marks.

    The entry's ``curve_marks`` parameter p: r = ±p, labelled with its symbol and the other
    settings (Huber and pseudo-Huber: ±δ, the switch from quadratic to linear; Barron: ±c,
    where the quadratic bowl ends, with the case, α = 0 (Cauchy), …). Quantile: the kink at
    r = 0, labelled with the slopes either side, read from the loss's own gradient at r = ∓1
    (−τ for under-prediction, 1 − τ for over-prediction).
    """
    for name in loss.curve_marks:
        value, shown = params[name], symbol(loss, name)
        others = settings_text(loss, {k: v for k, v in params.items() if k != name})
        right = f"{shown} = {signed(value)}" + ("" if others == "—" else f", {others}")
        return [(-value, f"−{shown} = {signed(-value)}"), (value, right)]
    if "tau" in params:
        _, slopes = regression_curve(loss, np.array([-1.0, 1.0]), **params)
        return [(0.0, f"slope {signed(slopes[0])} for r < 0, {signed(slopes[1])} for r > 0")]
    return []


def curve_note(loss: Loss, params: dict) -> str:
    """What the loss-and-gradient chart does at its kink, in the chart's residual r = ŷ − y.

    Quantile: the registry's formula and note use d = y − ŷ = −r; the chart's gradient
    ∂ℓ/∂ŷ has the subgradient [−τ, 1 − τ] at r = 0 (its slopes either side, read from
    the loss's own gradient at r = ∓1, as `curve_marks`). Other losses: their kink note.
    """
    if "tau" in params:
        _, slopes = regression_curve(loss, np.array([-1.0, 1.0]), **params)
        return (
            f"At r = 0 the gradient is taken as 0, inside the subgradient "
            f"[{signed(slopes[0])}, {signed(slopes[1])}]. The formula's d = y − ŷ is −r."
        )
    return loss.kink_note


@dataclass(frozen=True)
class CostDrop:
    """How much a fit lowered its cost J from the start, for an honest cost chart.

    ``cost``: J at each iterate, shape (m,). ``excess``: (J_k − J_final)/J_0, shape (m,),
    the share of the starting cost still to be removed (0 at the end; all 0 when J_0 = 0).
    ``drop``: (J_0 − J_final)/J_0 = excess[0]. ``iterations``: m − 1.
    """

    cost: np.ndarray
    excess: np.ndarray
    drop: float
    iterations: int

    @property
    def start(self) -> float:
        return float(self.cost[0])

    @property
    def final(self) -> float:
        return float(self.cost[-1])


def cost_drop(cost_history) -> CostDrop:
    """`CostDrop` of a fit's cost history (`FitResult.cost_history`, shape (m,), m ≥ 1)."""
    cost = np.asarray(cost_history, dtype=np.float64)
    start = float(cost[0])
    excess = (cost - cost[-1]) / start if start > 0 else np.zeros_like(cost)
    return CostDrop(cost=cost, excess=excess, drop=float(excess[0]), iterations=cost.size - 1)


def names_text(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def fit_course_text() -> str:
    """How each regression loss's cost falls during its fit, one clause per way of fitting,
    from the entries (`Loss.line_fit`): what the cost-per-iteration chart shows for each."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for loss in by_task("regression"):
        grouped.setdefault(loss.line_fit.course, []).append(loss.short)
    clauses = [
        (one if len(names) == 1 else several).format(names=names_text(names))
        for (one, several), names in grouped.items()
    ]
    return "; ".join(clauses) + "."


def cost_drop_text(drop: CostDrop) -> str:
    """One sentence giving the cost chart's scale: the relative drop, its iterations, J's values."""
    if drop.iterations == 0 or drop.drop <= 0:
        return (
            f"The fit did not lower the cost: its start was already the best line "
            f"(J = {drop.final:.4g})."
        )
    steps = f"{drop.iterations} iteration{'' if drop.iterations == 1 else 's'}"
    share = percent(drop.drop)
    # At least 4 significant digits, and enough that a student's (A − B)/A of the costs as
    # printed gives the share as printed (then A and B read differently): at 17 a float64
    # round-trips, and (A − B)/A is the drop itself.
    for digits in range(4, 18):
        start, final = (f"{cost:.{digits}g}" for cost in (drop.start, drop.final))
        if percent((float(start) - float(final)) / float(start)) == share:
            break
    return (
        f"The fit lowered the cost by {share} in {steps}, "
        f"from J = {start} at its start to J = {final}."
    )


def residual_span(residual, marks: Sequence[tuple[float, str]] = ()) -> float:
    """Half-width of a residual axis that shows every residual (with 10% room).

    When every residual is 0 (data exactly on the line) there is no data scale:
    three times the largest mark, or 3.
    """
    largest = float(np.max(np.abs(residual))) if np.size(residual) else 0.0
    if largest > ON_THE_LINE:
        return 1.1 * largest
    furthest_mark = max((abs(position) for position, _ in marks), default=0.0)
    return 3.0 * furthest_mark if furthest_mark > 0 else 3.0


# The half-widths a loss curve's axis takes: these times a power of ten (each at most
# 1.5 times the one before it).
ROUND_SPANS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)


def curve_span(residual, marks: Sequence[tuple[float, str]] = ()) -> float:
    """`residual_span` rounded up to a round number (`ROUND_SPANS` times a power of ten):
    a loss curve drawn over it shows every residual, and stays the same curve for every
    data set whose residuals it covers (a data move need not redraw it).

    ``residual`` (n,), ``marks`` as `residual_span`. E.g. residual_span 3.3 → 4, 12.1 → 15.
    """
    span = residual_span(residual, marks)
    exponent = math.floor(math.log10(span))
    for power in (exponent, exponent + 1):
        for step in ROUND_SPANS:
            # From its decimal text: 1.2e-3 is the float nearest 0.0012, not 1.2 · 10⁻³.
            rounded = float(f"{step}e{power}")
            if span <= rounded < math.inf:
                return rounded
    return span  # beyond the largest round float (span near 1.8e308): the span itself


def residual_grid(span: float, kinks: Sequence[float] = (), points: int = 801) -> np.ndarray:
    """Residuals from −span to span, shape (≥ points,), with 0 and each kink inside included
    exactly, so a drawn curve has its corners where the loss has them."""
    grid = np.linspace(-span, span, points)
    inside = [kink for kink in (0.0, *kinks) if -span <= kink <= span]
    return np.union1d(grid, inside)


# Within this share of a quadratic's pull, a point "pulls nearly as under least squares".
NEARLY_QUADRATIC = 0.05


def quadratic_share(loss: Loss, params: dict, residual, scale: float) -> np.ndarray:
    """ψ(r)/r over its limit at r → 0, shape (n,): the share of the pull a point at residual
    r would have under the quadratic that matches the loss near 0 (Huber within ±δ: 1;
    pseudo-Huber: 1/√(1 + (r/δ)²); Barron: ((r/c)²/|α − 2| + 1)^(α/2 − 1), e.g. 0.62 at
    r = c for α = −10). The limit is read at r = 1e-8·``scale`` (the loss's own δ or c),
    where these differ from it by < 1e-15."""
    residual = np.abs(np.asarray(residual, dtype=np.float64))
    probe = 1e-8 * scale
    _, grad = regression_curve(loss, np.concatenate([[probe], residual]), **params)
    on_zero = residual == 0.0  # the limit itself
    share = grad[1:] / np.where(on_zero, 1.0, residual) / (grad[0] / probe)
    return np.where(on_zero, 1.0, share)


def _beyond_note(loss: Loss, params: dict, residual, marks, span: float) -> str:
    """The note for ``marks`` (±δ, ±c) beyond every residual: how far from quadratic the
    loss is inside them, at the mark and at the farthest residual."""
    what = " and ".join(label for _, label in marks)
    verb, pronoun = ("lie", "they are") if len(marks) > 1 else ("lies", "it is")
    where = (
        f"{what} {verb} beyond every residual (|r| < {span:.3g}), so {pronoun} off the curve plot."
    )
    mark = max(abs(position) for position, _ in marks)
    farthest = float(np.max(np.abs(residual)))
    at_mark, at_farthest = quadratic_share(loss, params, [mark, farthest], mark)
    if at_mark >= 1.0 - 1e-12:
        return (
            f"{where} Every residual is inside them, where {loss.name} is exactly quadratic: "
            "its fit is the least-squares line."
        )
    # The shortfalls as printed (two significant digits), so the verdict agrees with them.
    less_at_mark = float(f"{max(0.0, 1.0 - at_mark):.2g}")
    less_at_farthest = float(f"{max(0.0, 1.0 - at_farthest):.2g}")
    note = (
        f"{where} Inside them {loss.name} is not exactly quadratic: at r = {mark:.3g} a point "
        f"pulls {percent(less_at_mark)} less than under the quadratic that matches the loss "
        f"near r = 0, and the farthest point (|r| = {farthest:.3g}) "
        f"{percent(less_at_farthest)} less"
    )
    tolerance = percent(NEARLY_QUADRATIC)
    if less_at_farthest <= NEARLY_QUADRATIC:
        return f"{note}: within {tolerance}, so every point pulls nearly as under least squares."
    return f"{note}, more than {tolerance}: the fit can differ from the least-squares line."


def fit_notes(
    data: pd.DataFrame,
    residual,
    marks: Sequence[tuple[float, str]],
    span: float,
    *,
    loss: Loss | None = None,
    params: dict | None = None,
) -> list[str]:
    """Plain-language notes on a fit a student might otherwise misread.

    All residuals 0 (data on the line); at least half the points outliers; a mark
    (±δ, ±c) beyond every residual, so not drawn on a residual axis of half-width ``span``:
    then how near quadratic ``loss`` at ``params`` is inside the marks (`_beyond_note`).
    """
    notes = []
    n = len(data)
    if float(np.max(np.abs(residual))) <= ON_THE_LINE and data.attrs.get("source") == "upload":
        notes.append(
            "Every point of your file sits exactly on the fitted line (all residuals are 0): "
            "every loss finds this same line, and every weight is 1."
        )
    elif float(np.max(np.abs(residual))) <= ON_THE_LINE:
        notes.append(
            "Every point sits exactly on the fitted line (all residuals are 0): with no "
            "noise and no point pushed off the line, every loss finds the true line and "
            "every weight is 1."
        )
    if n and data.attrs.get("n_outliers", 0) >= 0.5 * n:
        notes.append(
            f"{data.attrs['n_outliers']} of {n} points are outliers: the outliers are no "
            "longer a minority, so even a robust loss cannot tell which points are 'the line' "
            "and may follow the outliers."
        )
    beyond = [(position, label) for position, label in marks if abs(position) > span]
    if beyond:
        if loss is None:
            raise ValueError("fit_notes needs the loss and its params to describe marks.")
        notes.append(_beyond_note(loss, params or {}, residual, beyond, span))
    return notes


@dataclass(frozen=True)
class PinballPull:
    """The constant force with which MAE or a quantile loss pulls a point, on each side.

    ``above``: a point above the line (y > ŷ, r < 0); ``below``: a point below it
    (y < ŷ, r > 0); read from the loss's own gradient at r = ∓1 (quantile: τ and 1 − τ;
    MAE: 1 and 1). ``weaker``: the smaller force over the larger, in (0, 1].
    """

    above: float
    below: float

    @property
    def weaker(self) -> float:
        return min(self.above, self.below) / max(self.above, self.below)


def pinball_pull(loss: Loss, params: dict) -> PinballPull:
    """`PinballPull` of MAE or a quantile loss at ``params`` (see `losses.fit.line`)."""
    _, slopes = regression_curve(loss, np.array([-1.0, 1.0]), **params)
    return PinballPull(above=abs(float(slopes[0])), below=abs(float(slopes[1])))


def weight_note(loss: Loss, params: dict) -> str:
    """What 'weight 1' means for this loss's effective weights (see `FitResult`).

    MAE and quantile: ψ(r)/r, scaled so that 1 is a point on the stronger side at the
    reference distance m (`losses.fit.line._regression_weights`): on the stronger side
    w = min(1, m/|r|), on the weaker side w = min(1, weaker·m/|r|).
    """
    if loss.squared_error:
        return (
            "With MSE every point has weight 1: an outlier pulls as hard as any point per "
            "unit of residual, so the farther it is, the harder it drags the line."
        )
    if loss.line_fit.kind != "pinball":
        return ""
    pull = pinball_pull(loss, params)
    name = f"{loss.name} with {settings_text(loss, params)}" if params else loss.name
    reference = (
        "m, the median distance of the points from the line (at least 1/1000 of the largest)"
    )
    if pull.above == pull.below:
        return (
            f"{name} pulls every point, above or below the line, with the same force "
            f"({pull.above:g}) at any distance, so its weight falls like 1/|r|: "
            f"w = min(1, m/|r|), with {reference}. Weight 1: a point within m of the line."
        )
    strong, weak = ("above", "below") if pull.above > pull.below else ("below", "above")
    ratio = signed(pull.weaker, ".3g")
    return (
        f"{name} pulls each point above the line (y > ŷ) with the force {pull.above:g} and "
        f"each point below it (y < ŷ) with {pull.below:g}, at any distance, so its weight "
        f"is that force over |r|, scaled to 1 at {reference}, on the stronger side: "
        f"w = min(1, m/|r|) {strong} the line, w = min(1, {ratio}·m/|r|) {weak} it. "
        f"Weight 1: a point {strong} the line within m of it, or {weak} it within {ratio}·m."
    )


def residuals(x, y, params: dict) -> np.ndarray:
    """r = ŷ − y for the line ŷ = intercept + slope·x, shape (n,)."""
    x = np.asarray(x, dtype=np.float64)
    return params["intercept"] + params["slope"] * x - np.asarray(y, dtype=np.float64)


TABLE_COLUMNS = ("loss", "setting", "slope", "intercept", "slope error", "intercept error")


def fit_table(
    data: pd.DataFrame,
    picked_id: str,
    picked_params: dict,
    line: Callable[[str, dict], dict] | None = None,
) -> pd.DataFrame:
    """One row per regression loss: its fitted slope and intercept, and error vs the truth.

    Every loss at its defaults except ``picked_id``, fitted with ``picked_params``: by
    ``line(loss_id, params)`` ({"intercept", "slope"}) when given — a page passes its cached
    fits, so a new setting of one loss refits that loss alone — else `fit_regression`, every
    fit sharing one exact pinball line (`pinball_lines`).
    The first row is the true line (``data.attrs`` true_slope, true_intercept);
    errors are fitted − true (0 for the true line). Columns: `TABLE_COLUMNS`. A student's
    file has no known true line (true_slope None): no such row, and no error columns.
    """
    rows = []
    pinball = pinball_lines(column(data, "x"), column(data, "y")) if line is None else None
    for loss in by_task("regression"):
        params = loss.resolve_params(picked_params if loss.id == picked_id else {})
        fitted = (
            fit_regression(data, loss.id, pinball=pinball, **params).params
            if line is None
            else line(loss.id, params)
        )
        name = f"{loss.name} ← your pick" if loss.id == picked_id else loss.name
        rows.append((name, settings_text(loss, params), fitted["slope"], fitted["intercept"]))
    if data.attrs.get("true_slope") is None:
        return pd.DataFrame(rows, columns=list(TABLE_COLUMNS[:4]))
    true_slope = float(data.attrs["true_slope"])
    true_intercept = float(data.attrs["true_intercept"])
    rows.insert(0, ("true line (generated the data)", "—", true_slope, true_intercept))
    names, settings, slopes, intercepts = zip(*rows, strict=True)
    slopes, intercepts = np.array(slopes), np.array(intercepts)
    # One frame from its columns (not a frame, two new columns and a concat: pandas's
    # overhead, on every data move); the truth's own errors are t − t = 0 exactly.
    errors = (slopes - true_slope, intercepts - true_intercept)
    columns = (list(names), list(settings), slopes, intercepts, *errors)
    return pd.DataFrame(dict(zip(TABLE_COLUMNS, columns, strict=True)))


def table_caption(picked_name: str, *, has_true_line: bool) -> str:
    """The caption of `fit_table`: what its error columns mean, or, for a file with no true
    line, what a robust line parting from the MSE line says (each robust fit is a weighted
    least-squares fit with weights ψ(r)/r, so equal weights would give the MSE line)."""
    settings = f"Each loss at its default setting, except {picked_name}, which uses yours. "
    if has_true_line:
        return settings + (
            "Each error is fitted − true: the closer to 0, the nearer that loss's line is to "
            "the true line that generated the data."
        )
    return settings + (
        "Your file has no known true line, so compare the lines with each other: where a "
        "robust line parts from the MSE line, that loss gives some points less pull per unit "
        "of residual than others."
    )


def _moved(before: dict, after: dict, x: float) -> tuple[float, float, float]:
    """(Δslope, Δintercept, Δŷ at x) from line ``before`` to line ``after``."""
    slope = after["slope"] - before["slope"]
    intercept = after["intercept"] - before["intercept"]
    return slope, intercept, intercept + slope * x


def added_point_effect(
    point: tuple[float, float],
    *,
    mse: tuple[dict, dict],
    picked: tuple[dict, dict],
    picked_name: str,
    picked_id: str,
) -> str:
    """What a student's last added ``point`` did: how far it moved the MSE line and the
    picked loss's line (each a (before, after) pair of fitted ``{"intercept", "slope"}``),
    in slope, intercept and height at the point's x."""
    x, y = point
    mse_slope, mse_intercept, mse_height = _moved(*mse, x)
    where = f"Your last point (x = {signed(x, '.3g')}, y = {signed(y, '.3g')})"
    mse_text = (
        f"moved the MSE line by {signed(mse_slope, '+.3g')} in slope and "
        f"{signed(mse_intercept, '+.3g')} in intercept ({signed(mse_height, '+.3g')} in height "
        "at your point)"
    )
    if picked_id == "mse":
        # Not "how much less": a point near the MSE line hardly moves it (on it, its residual
        # is 0 and the normal equations still hold) while a robust line can jump.
        return f"{where} {mse_text}. Pick MAE or Huber to compare how far a robust line moves."
    slope, intercept, height = _moved(*picked, x)
    if abs(height) < 1e-12 or abs(mse_height) < 1e-12:
        ratio = ""
    elif abs(mse_height) >= abs(height):
        ratio = (
            f". At your point the MSE line moved {abs(mse_height) / abs(height):.3g}× as "
            f"far as the {picked_name} line"
        )
    else:
        ratio = (
            f". At your point the {picked_name} line moved "
            f"{abs(height) / abs(mse_height):.3g}× as far as the MSE line"
        )
    return (
        f"{where} {mse_text}, and the {picked_name} line by {signed(slope, '+.3g')} in slope and "
        f"{signed(intercept, '+.3g')} in intercept ({signed(height, '+.3g')} at your point)"
        f"{ratio}."
    )


def points_caption(n: int, n_outliers: int, n_added: int, *, uploaded: bool = False) -> str:
    """The data chart's caption: what × and ★ mark, and how to add or remove a point
    (``uploaded``: the points come from a student's file, where no outlier is marked)."""
    generated = n - n_added
    if uploaded:
        marks = (
            f"The {generated} points of your file; none is marked as an outlier (×): only "
            "the generator knows which points it pushed off the line."
        )
    elif n_outliers:
        marks = (
            f"× marks the {n_outliers} outlier{'' if n_outliers == 1 else 's'} of "
            f"{generated} generated points."
        )
    else:
        marks = (
            f"No point was pushed off the line: all {generated} generated points are "
            "ordinary (no ×)."
        )
    if n_added:
        yours = (
            f" ★ marks your {n_added} point{'' if n_added == 1 else 's'}, counted in every "
            "fit, weight and table; click on a ★ to remove it."
        )
    else:
        yours = " Click anywhere on the chart to add a point of your own (★) and watch the lines."
    return marks + yours
