"""Text alternatives for the charts: what each shows and its key numbers, in one sentence a
screen reader can say (the live chart puts it in ``aria-label``). Built from the same numbers
the chart is drawn from; numpy only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from lessons.display_numbers import signed
from lessons.huber_lab import slope_place
from lessons.numerics import torch_fade_logit
from lessons.one_sample import clip_cap


def listed(values: Iterable[float], digits: int = 3, most: int = 8) -> str:
    """ "0.25, 0.25, 0, 1, 25" (the first ``most``, then "…")."""
    values = list(values)
    shown = ", ".join(f"{float(value):.{digits}g}" for value in values[:most])
    return shown + (", …" if len(values) > most else "")


def _named(items: Iterable[tuple[str, float]], digits: int = 3) -> str:
    return "; ".join(f"{name} {float(value):.{digits}g}" for name, value in items)


def cost_bars(loss_name: str, per_sample: Sequence[float], cost: float) -> str:
    return (
        f"Bar chart: the {loss_name} loss of each of the {len(per_sample)} rows "
        f"({listed(per_sample)}) and their mean, the cost J = {cost:.4g}, as a line."
    )


def loss_curve(loss_name: str, settings: str, fit_slope: float, mse_slope: float) -> str:
    where = f", {settings}" if settings and settings != "—" else ""
    return (
        f"{loss_name} loss and its gradient against the residual r = ŷ − y{where}; the "
        f"fit's slope {fit_slope:.3g} against least squares' {mse_slope:.3g}."
    )


def fit_lines(n: int, n_outliers: int, lines: Sequence[tuple[str, float, float]]) -> str:
    """``lines``: (name, intercept, slope) of each line drawn."""
    drawn = "; ".join(f"{name} ŷ = {a:.3g} + {b:.3g}·x" for name, a, b in lines)
    marked = f", {n_outliers} of them outliers" if n_outliers else ""
    return f"Scatter plot of the {n} points{marked}, with the lines: {drawn}."


def weights(loss_name: str, effective_weight: Sequence[float]) -> str:
    w = np.asarray(effective_weight, dtype=np.float64)
    return (
        f"The {w.size} points coloured by their weight in the {loss_name} fit: "
        f"{int(np.sum(w >= 0.9))} pull fully (w ≥ 0.9), {int(np.sum(w < 0.1))} hardly "
        f"(w < 0.1); the median weight is {float(np.median(w)):.2g}."
    )


def fit_cost(loss_name: str, costs: Sequence[float]) -> str:
    costs = np.asarray(costs, dtype=np.float64)
    steps = costs.size - 1
    return (
        f"The {loss_name} fit's cost over its {steps} iteration{'' if steps == 1 else 's'}, "
        f"from J = {costs[0]:.4g} to J = {costs[-1]:.4g}."
    )


def estimates(found) -> str:
    """``found``: `lessons.estimates.Estimate`s."""
    best = _named((estimate.name, estimate.value) for estimate in found)
    return f"Strip of the points' values with each loss's best constant marked: {best}."


def huber_curves(delta: float) -> str:
    """The lab's curve chart: Huber beside the two dashed curves it draws, ½r² and δ|r|
    (`ui.huber_charts.huber_limits_spec`), and how Huber meets each."""
    return (
        f"Huber's loss at δ = {delta:g} (top) and its gradient (bottom) against the residual "
        f"r = ŷ − y, with ½r² and δ|r| dashed: within ±δ Huber is ½r² (gradient r); beyond, "
        f"it has δ|r|'s gradient ±δ and runs ½δ² = {0.5 * delta * delta:.3g} below δ|r|. "
        "It is never above either dashed curve."
    )


def huber_zones(n_quadratic: int, n: int, delta: float, slope: float) -> str:
    return (
        f"Scatter plot of the {n} points with the Huber line (slope {slope:.3g}) and its "
        f"band ±δ = {delta:g}: {n_quadratic} points inside (quadratic zone), "
        f"{n - n_quadratic} outside (linear zone)."
    )


def huber_sweep(delta: float, slope: float, mse_slope: float, mae_slope: float) -> str:
    """Where the slope lies against MAE's and least squares' is `huber_lab.slope_place`'s."""
    return (
        f"The Huber line's slope and intercept as δ sweeps from 0.01 to 100; at δ = "
        f"{delta:g} the slope is {signed(slope, '.4g')}, "
        f"{slope_place(slope, mae_slope, mse_slope)}."
    )


def binary_curves(label: int, axis_title: str, names: Sequence[str]) -> str:
    return (
        f"Loss (top) and gradient (bottom) for one point with label y = {label}, against "
        f"the {axis_title}: {', '.join(names)}."
    )


def boundary(chosen: str, n_positive: int, n_negative: int) -> str:
    return (
        f"Scatter plot of the {n_positive + n_negative} points ({n_positive} positive, "
        f"{n_negative} negative) with the decision boundaries of {chosen} and of plain BCE."
    )


def confusion(found: Sequence[tuple[str, str]]) -> str:
    """``found``: (loss, "positives found" text such as "12 of 50")."""
    return (
        "Confusion counts of each classifier at p = 0.5; positives found: "
        + "; ".join(f"{name} {text}" for name, text in found)
        + "."
    )


def softmax_sample(probabilities: Sequence[float], true_class: int, loss: float) -> str:
    return (
        f"Bars of one sample's softmax probabilities ({listed(probabilities)}), true class "
        f"{true_class}: its loss {loss:.4g}, and each class's loss and gradient below."
    )


def regions(k: int, n: int) -> str:
    return (
        f"The softmax model's decision regions for {k} classes over the two features, "
        f"with the {n} points coloured by class."
    )


def label_memory(n: int, k: int, one_hot_bytes: int, index_bytes: int) -> str:
    return (
        f"Bytes for {n} labels against the number of classes k (log scales): one-hot rows "
        f"grow with k, class indices stay flat; at k = {k}, {one_hot_bytes:,} against "
        f"{index_bytes:,} bytes."
    )


def landscape(
    loss_name: str, minimum, minimum_cost: float, start, end, *, convex: bool = True
) -> str:
    """``minimum`` None: the chart hides it (the student is to find it), so the text does.
    ``convex`` False (`Loss.is_convex`): the fit's minimum is one valley's, not surely the
    lowest J on the map (as `lessons.descent.explore_text` says)."""
    if end is not None:
        walked = (
            f"; the descent from a = {start[0]:.3g}, b = {start[1]:.3g} ends at "
            f"a = {end[0]:.3g}, b = {end[1]:.3g}"
        )
    else:
        walked = f"; your start a = {start[0]:.3g}, b = {start[1]:.3g}"
    which = "lowest J*" if convex else "the fit's minimum (a valley's: the cost is not convex) J*"
    lowest = (
        f", {which} = {minimum_cost:.4g} at a = {minimum[0]:.3g}, b = {minimum[1]:.3g}"
        if minimum is not None
        else ""
    )
    return f"Heat map of the {loss_name} cost J over intercept a and slope b{lowest}{walked}."


def descent_line(n: int, line, minimum) -> str:
    also = (
        f" and the minimum's ŷ = {minimum[0]:.3g} + {minimum[1]:.3g}·x"
        if minimum is not None
        else ""
    )
    return (
        f"Scatter plot of the {n} points with the line ŷ = {line[0]:.3g} + {line[1]:.3g}·x{also}."
    )


def descent_cost(
    start_cost: float, end_cost: float, minimum_cost: float, epochs: int, outcome: str
) -> str:
    """``outcome``: the page's judgement in a few words (`lessons.descent.Judgement.summary`)."""
    return (
        f"The cost after each of {epochs} epochs (log scale), from J = {start_cost:.4g} to "
        f"J = {end_cost:.4g}, against the minimum J* = {minimum_cost:.4g}: {outcome}."
    )


def compare(curves, x_title: str, point: float) -> str:
    """``curves``: `lessons.curves.task_curves` at the one point: (loss, value, grad)."""
    names = [loss.name for loss, _, _ in curves]
    at = _named(((loss.name, value[0]) for loss, value, _ in curves), digits=4)
    return (
        f"Loss (top) and gradient (bottom) of {', '.join(names)} against the {x_title}; "
        f"at {point:g}: {at}."
    )


def bce_ways(label: float, what: str, failures: dict) -> str:
    broken = "; ".join(
        f"the naive {way.replace('naive', 'float')} form fails at z ≈ {where:.3g}"
        for way, where in failures.items()
        if where is not None
    )
    return (
        f"BCE's {what} for y = {label:g} against the logit z from −100 to 100, three ways: "
        f"{broken or 'no form fails'}; the stable form is finite everywhere."
    )


def clip(what: str, eps: float) -> str:
    return (
        f"BCE's {what} for y = 1 against the logit z three ways: from the logit; on "
        f"probabilities clipped at ε = {eps:g} as Keras does, whose loss stops at −log ε = "
        f"{clip_cap(eps):.3g} with gradient 0 there; and through PyTorch's BCELoss, whose "
        f"gradient fades below z ≈ {signed(torch_fade_logit(), '.3g')}. From the logit the "
        "gradient stays near −1 for a wrong answer."
    )


def network_costs(runs: Sequence[tuple[str, np.ndarray, np.ndarray]]) -> str:
    """The cost chart of the network page: per loss, its training and validation cost at the
    start and at the last finite epoch."""
    parts = []
    for name, training, validation in runs:
        finite = np.flatnonzero(np.isfinite(training))
        last = int(finite[-1]) if finite.size else 0
        parts.append(
            f"{name}: training cost {float(training[0]):.3g} at epoch 0 and "
            f"{float(training[last]):.3g} at epoch {last}, validation cost "
            f"{float(validation[last]):.3g} then"
        )
    return "Line chart, cost per epoch on a log scale. " + "; ".join(parts) + "."


def network_panel(task: str, name: str, n: int, epochs: int) -> str:
    """One panel of the network page: what it draws (the values are in the page's text)."""
    if task == "regression":
        shown = "the network's curve against the dashed true curve"
    else:
        shown = "the network's class probabilities as colour over the plane, its boundary"
    return (
        f"The network trained with {name}, epochs 0 to {epochs}: {shown}, and the {n} "
        "training points, each sized by how hard it pulls on the training (|∂ℓ/∂output|)."
    )


def network_reliability(eces: Sequence[tuple[str, float | None]]) -> str:
    """The reliability chart of the network page: each loss's ECE at the last epoch."""
    parts = [
        f"{name}: ECE {ece:.3f}" if ece is not None else f"{name}: scores, not probabilities"
        for name, ece in eces
    ]
    return (
        "Reliability diagram of the validation points, confidence against accuracy per bin, "
        "at the last epoch; " + "; ".join(parts) + "."
    )
