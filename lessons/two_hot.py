"""One true class per sample: what categorical cross-entropy assumes, and what a target with
two 1s (a multi-label sample) does to it, beside one sigmoid + BCE per class.

One sample of k = 3 classes. Its logits sweep along one line: each class the target marks
(t_j > 0) gets the logit +z, every other class −z, so z = 0 is a model that knows nothing
(all logits equal) and a growing z is a model ever surer of the marked classes. Along it:

- softmax + CCE, ℓ = −Σⱼ tⱼ log pⱼ with p = softmax(z): the registry's ``cce`` kernel;
- one sigmoid + BCE per class, Σⱼ BCE(tⱼ, σ(zⱼ)) (the classes' losses added, as CCE adds its
  terms): the registry's ``bce`` kernel on each class.

Over the softmax's simplex −Σ tⱼ log pⱼ is smallest at p = t / Σt (Gibbs' inequality: for
q = t/T, T = Σt, ℓ(p) − ℓ(q) = T·KL(q ‖ p) ≥ 0), where it equals T·H(t/T), the target's own
entropy times its sum: 0 for one class, 2·log 2 for [1, 1, 0]. NumPy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lessons.display_numbers import ratio_text
from losses import binary, multiclass
from losses.registry import get

# name → target row over k = 3 classes; the first is the case CCE is made for.
TARGETS = {
    "one class": (1.0, 0.0, 0.0),
    "two classes": (1.0, 1.0, 0.0),
    "two halves": (0.5, 0.5, 0.0),
}
DEFAULT_TARGET = "two classes"
Z_MAX = 6.0
Z_AXIS = np.linspace(0.0, Z_MAX, 121)  # steps of 0.05: z = 0 and Z_MAX on the grid
CCE_SETTINGS = {"label_smoothing": 0.0, "eps": 1e-7}
BCE_SETTINGS = {"pos_weight": 1.0, "label_smoothing": 0.0, "eps": 1e-7}


def target_text(target) -> str:
    """ "[1, 1, 0]", "[0.5, 0.5, 0]"."""
    return "[" + ", ".join(f"{float(value):g}" for value in target) + "]"


def target_label(name: str) -> str:
    """How the control names a target: "two classes [1, 1, 0]"."""
    return f"{name} {target_text(TARGETS[name])}"


def sweep_logits(target, z) -> np.ndarray:
    """(m, k) logits: +z for each class the target marks (tⱼ > 0), −z for the others."""
    marked = np.asarray(target, dtype=np.float64) > 0
    return np.where(marked, 1.0, -1.0) * np.asarray(z, dtype=np.float64)[:, None]


def softmax_cce(target, logits) -> np.ndarray:
    """(m,) CCE of the target row against each row of logits: the registry's ``cce`` kernel,
    from logits. Called as the kernel (``value_fn``), not through ``value``: the core's
    check refuses a row that does not sum to 1 (`registry_refusal`), the very assumption
    this lesson breaks; the kernel computes −Σ tⱼ log pⱼ for any row, as Keras and PyTorch do."""
    logits = np.asarray(logits, dtype=np.float64)
    rows = np.broadcast_to(np.asarray(target, dtype=np.float64), logits.shape)
    return get("cce").value_fn(rows, logits, from_logits=True, **CCE_SETTINGS)


def registry_refusal(target) -> str | None:
    """The core's message when its CCE is given this target row (None when it accepts it)."""
    target = np.asarray(target, dtype=np.float64)[None]
    try:
        get("cce").value(target, np.zeros_like(target), from_logits=True, **CCE_SETTINGS)
    except ValueError as error:
        return str(error)
    return None


def sigmoid_bce(target, logits) -> np.ndarray:
    """(m,) Σⱼ BCE(tⱼ, σ(zⱼ)): one sigmoid and one BCE per class (registry, from logits)."""
    logits = np.asarray(logits, dtype=np.float64)
    rows = np.broadcast_to(np.asarray(target, dtype=np.float64), logits.shape)
    per_class = get("bce").value(rows.ravel(), logits.ravel(), from_logits=True, **BCE_SETTINGS)
    return per_class.reshape(logits.shape).sum(axis=1)


def best_probabilities(target) -> np.ndarray:
    """(k,) where CCE is lowest over the simplex: p = t / Σt."""
    target = np.asarray(target, dtype=np.float64)
    return target / target.sum()


# Logits for a probability of exactly 0: e^(−1e4 − max) underflows to 0 in float64, so the
# softmax puts no mass there and log p stays finite (−1e4 − log Σ), times tⱼ = 0.
ZERO_PROBABILITY_LOGIT = -1e4


def lowest_cce(target) -> float:
    """The lowest CCE the target allows: the registry's CCE kernel at p = t / Σt, given as
    logits log(t/Σt) (`ZERO_PROBABILITY_LOGIT` where tⱼ = 0; the probability route would clip
    p = 1 to 1 − ε and read ε instead of 0)."""
    best = best_probabilities(target)
    positive = best > 0
    logits = np.where(positive, np.log(np.where(positive, best, 1.0)), ZERO_PROBABILITY_LOGIT)
    return float(softmax_cce(target, logits[None])[0])


def lowest_cce_formula(target) -> str | None:
    """T·H(t/T) written out when the marked classes share one value v (m of them, T = m·v):
    "0", "log 2", "2·log 2"; None for other targets."""
    target = np.asarray(target, dtype=np.float64)
    marked = target[target > 0]
    if not np.all(marked == marked[0]):
        return None
    count, total = marked.size, float(marked.sum())
    if count == 1:
        return "0"
    factor = "" if total == 1 else f"{total:g}·"
    return f"{factor}log {count}"


@dataclass(frozen=True)
class TwoHotView:
    """One target along the logit sweep.

    ``z`` (m,); ``cce``, ``bce`` (m,) the two losses; ``softmax``, ``sigmoid`` (m, k) the
    probabilities each model gives; ``lowest`` the lowest CCE the target allows, at
    ``best`` = t / Σt (k,).
    """

    name: str
    target: np.ndarray
    z: np.ndarray
    cce: np.ndarray
    bce: np.ndarray
    softmax: np.ndarray
    sigmoid: np.ndarray
    lowest: float
    best: np.ndarray

    @property
    def marked(self) -> int:
        """The first class the target marks (whose probabilities the chart follows)."""
        return int(np.flatnonzero(self.target > 0)[0])


def two_hot_view(name: str, z=Z_AXIS) -> TwoHotView:
    """The losses and probabilities of target ``name`` (`TARGETS`) along the sweep."""
    if name not in TARGETS:
        raise ValueError(f"no target {name!r}; the targets are: {', '.join(TARGETS)}.")
    return target_view(TARGETS[name], z, name=name)


def target_view(target, z=Z_AXIS, *, name: str = "") -> TwoHotView:
    """The losses and probabilities of any target row (k,) with entries in [0, 1], at least
    one of them > 0, along the sweep ``z`` (m,)."""
    target = np.asarray(target, dtype=np.float64)
    if target.ndim != 1 or np.any((target < 0) | (target > 1)) or not np.any(target > 0):
        raise ValueError("a target is a row of values in [0, 1], at least one of them > 0.")
    z = np.asarray(z, dtype=np.float64)
    logits = sweep_logits(target, z)
    return TwoHotView(
        name=name,
        target=target,
        z=z,
        cce=softmax_cce(target, logits),
        bce=sigmoid_bce(target, logits),
        softmax=multiclass.softmax(logits),
        sigmoid=binary.sigmoid(logits),
        lowest=lowest_cce(target),
        best=best_probabilities(target),
    )


def _vector(values, digits: int = 3) -> str:
    """Probabilities as "(0.500, 0.500, 0.000006)": none rounded to an end it is not."""
    return "(" + ", ".join(ratio_text(float(value), digits) for value in values) + ")"


def _short(values) -> str:
    return "(" + ", ".join(f"{float(value):.3g}" for value in values) + ")"


def _classes(indices) -> str:
    names = [f"class {int(j)}" for j in indices]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def cce_sentence(view: TwoHotView) -> str:
    """What softmax + CCE can reach on this target, and where the sweep's end has it."""
    target, total = target_text(view.target), float(view.target.sum())
    marked = np.flatnonzero(view.target > 0)
    formula = lowest_cce_formula(view.target)
    written = f" (= {formula})" if formula not in (None, "0") else ""
    at_end = (
        f"at z = {view.z[-1]:g} the softmax gives p = {_vector(view.softmax[-1])} and CCE "
        f"is {view.cce[-1]:.4g}"
    )
    if view.lowest == 0.0:
        return (
            f"With one true class, {target}, CCE can come down to 0 as p approaches "
            f"{_short(view.best)}: {at_end}."
        )
    if total > 1:
        return (
            f"{target} asks for {total:g} units of probability, and the softmax has 1 to "
            f"share among the {marked.size} classes it marks, so the lowest CCE this target "
            f"allows is {view.lowest:.4g}{written}, as p approaches {_short(view.best)}: "
            f"never 0, however large z grows ({at_end})."
        )
    if total == 1:
        return (
            f"{target} sums to 1 and the softmax can approach it: CCE comes down to "
            f"{view.lowest:.4g}{written}, the target's own entropy, as p approaches "
            f"{_short(view.best)} ({at_end}). Matched, yet not 0, and that p says "
            f"“{_classes(marked)}, even odds”, not “both”."
        )
    return (
        f"The lowest CCE {target} allows is {view.lowest:.4g}{written}, as p approaches "
        f"{_short(view.best)} ({at_end})."
    )


def bce_limit(target) -> float:
    """The limit of Σⱼ BCE along the sweep as z → ∞: 0 when every marked tⱼ is 1 (each
    σ(±z) reaches its target), else ∞ (a marked tⱼ < 1 pays (1 − tⱼ)·softplus(z))."""
    target = np.asarray(target, dtype=np.float64)
    return 0.0 if np.all(target[target > 0] == 1.0) else math.inf


def bce_sentence(view: TwoHotView) -> str:
    """Where one sigmoid + BCE per class is on this target: still falling at the sweep's end
    towards 0, or lowest inside the sweep."""
    at_end = (
        f"at z = {view.z[-1]:g} the sigmoids give q = {_vector(view.sigmoid[-1])} and their "
        f"BCEs add up to {view.bce[-1]:.4g}"
    )
    falling = view.bce[-1] < view.bce[-2]
    if falling and bce_limit(view.target) == 0.0:
        return (
            "One sigmoid + BCE per class gives each class a probability of its own, and each "
            f"can approach its target: {at_end}, still falling towards 0."
        )
    lowest = int(np.argmin(view.bce))
    if lowest < view.z.size - 1:
        return (
            "One sigmoid + BCE per class reads each tⱼ as the chance that class j is present: "
            f"{target_text(view.target)} asks for q = {_short(view.target)}, so along this "
            f"sweep BCE is lowest, {view.bce[lowest]:.4g}, at z = {view.z[lowest]:.3g} and "
            f"then rises ({at_end})."
        )
    return f"One sigmoid + BCE per class: {at_end}, its lowest along this sweep."


def exclusivity_sentence(view: TwoHotView) -> str:
    """Why per-class sigmoids are not ideal when each sample has exactly one class: at the
    sweep's start (z = 0) they need not sum to 1."""
    total = float(view.sigmoid[0].sum())
    softmax_total = float(view.softmax[0].sum())
    k = view.target.size
    where = f"At z = {view.z[0]:g} the {k} sigmoids are {_vector(view.sigmoid[0], 2)}"
    if math.isclose(total, 1.0, rel_tol=1e-9):
        return f"{where} and sum to 1, as the softmax's do."
    return (
        "With exactly one true class per sample, per-class sigmoids are not ideal: nothing "
        f"ties them together. {where} and sum to {total:.3g}, not 1: no distribution over "
        f"exclusive classes (the softmax's sum to {softmax_total:.3g}). For one class per "
        "sample use softmax + CCE; for several (multi-label), one sigmoid + BCE per class."
    )


def refusal_sentence(view: TwoHotView) -> str | None:
    """What the core says to this target (None when it accepts it)."""
    refusal = registry_refusal(view.target)
    if refusal is None:
        return None
    return (
        f"Loss Explorer's own CCE refuses {target_text(view.target)}: “{refusal}” PyTorch's "
        "cross_entropy computes it without a warning, so the chart calls the CCE kernel itself."
    )


def sentences(view: TwoHotView) -> list[str]:
    """The section's sentences, in order."""
    return [cce_sentence(view), bce_sentence(view), exclusivity_sentence(view)]


def alt(view: TwoHotView) -> str:
    """The chart's text alternative: the two curves' ends and CCE's floor."""
    j = view.marked
    return (
        f"Two panels against z from {view.z[0]:g} to {view.z[-1]:g}, target "
        f"{target_text(view.target)}. Loss: softmax + CCE {view.cce[0]:.3g} at z = "
        f"{view.z[0]:g}, {view.cce[-1]:.3g} at z = {view.z[-1]:g}, its lowest possible "
        f"value {view.lowest:.3g} drawn as a line; sigmoid + BCE {view.bce[0]:.3g}, then "
        f"{view.bce[-1]:.3g}. Probability of class {j}: softmax {view.softmax[0, j]:.3g}, "
        f"then {view.softmax[-1, j]:.3g}; sigmoid {view.sigmoid[0, j]:.3g}, then "
        f"{view.sigmoid[-1, j]:.3g}."
    )
