"""Focal loss's two knobs on the imbalance page: γ, whose factor (1 − p_t)^γ turns easy
points down when γ > 0, and α, the class weight, set against the reference settings of Lin
et al.

Reference settings (γ = 2, α = 0.25): Lin et al. 2017, "Focal Loss for Dense Object
Detection", Table 1b (with γ = 2, α = 0.25 worked best; for plain cross-entropy, γ = 0,
α = 0.75); the defaults of torchvision.ops.sigmoid_focal_loss; Keras'
BinaryFocalCrossentropy has alpha=0.25, gamma=2.0 but applies α only with
apply_class_balancing=True (default False). In all three, as in this core
(losses.binary.focal), α weights each positive and 1 − α each negative. NumPy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import losses
from lessons.metrics import BinaryMetrics

REFERENCE_GAMMA, REFERENCE_ALPHA = 2.0, 0.25  # Lin et al. 2017; torchvision's defaults
KERAS_DEFAULT = {"gamma": 2.0, "alpha": None}  # BinaryFocalCrossentropy(): no class balancing
SHOWN_GAMMAS = (0.0, 1.0, 2.0, 5.0)  # the chart's curves, as Lin et al.'s figure 1 (and 0.5)
P_TRUE = np.linspace(0.0, 0.99, 100)  # the chart's axis; p_t = 1 is the clip's business
EASY_P_TRUE, HARD_P_TRUE = 0.9, 0.1  # the caption's easy and hard point
# The section's title: each knob's effect with its condition (at γ = 0 the factor is 1, at
# α = 0.5 or without α both classes weigh the same).
SECTION_TITLE = "Focal loss's two knobs: γ > 0 turns easy points down, α ≠ 0.5 weights the classes"


def modulating_factor(p_true, gamma: float) -> np.ndarray:
    """(1 − p_t)^γ at each p_t (shape as ``p_true``), read off the core: focal without α
    divided by BCE, for a positive predicted p = p_t (the same for a negative at 1 − p_t)."""
    p_true = np.asarray(p_true, dtype=np.float64)
    labels = np.ones_like(p_true)
    focal = losses.get("focal").value(labels, p_true, gamma=gamma, alpha=None)
    bce = losses.get("bce").value(labels, p_true)
    # At p_t = 0 both are −log ε (the clip): the ratio is (1 − ε)^γ, 1 to 7 digits.
    return focal / bce


def factor_curves(page_gamma: float) -> list[tuple[float, np.ndarray, bool]]:
    """(γ, (1 − p_t)^γ along `P_TRUE`, is the page's γ) for the shown γs and the page's."""
    gammas = sorted(set(SHOWN_GAMMAS) | {float(page_gamma)})
    return [(gamma, modulating_factor(P_TRUE, gamma), gamma == page_gamma) for gamma in gammas]


def _factor_text(factor: float) -> str:
    """A factor in (0, 1) to 3 significant digits without an exponent: "0.00316", "0.81"."""
    return np.format_float_positional(factor, precision=3, fractional=False, trim="-")


def factor_caption(gamma: float, alpha: float | None) -> str:
    """What the factor (1 − p_t)^γ is at the page's γ, read off the core
    (`modulating_factor`) at an easy point (p_t = 0.9: 0.1^γ) and a hard one (p_t = 0.1:
    0.9^γ); at γ = 0 it is 1 everywhere. With α, the class weight α_t too."""
    weights = (
        ""
        if alpha is None
        else f" times α_t ({alpha:g} for a positive, {1 - alpha:g} for a negative)"
    )
    text = f"A point's focal loss is its cross-entropy times (1 − p_t)^γ{weights}. "
    if gamma == 0:
        return text + (
            "At γ = 0 that factor is 1 at every p_t: an easy point counts as much as a hard "
            f"one{'' if alpha in (None, 0.5) else ' of its class'}, as in cross-entropy. Raise γ "
            "to turn the easy points down."
        )
    easy, hard = modulating_factor(np.array([EASY_P_TRUE, HARD_P_TRUE]), gamma)
    return text + (
        f"At γ = {gamma:g} that factor is {_factor_text(easy)} ({1 - EASY_P_TRUE:g}^γ) for a "
        f"point the model already gets right with p_t = {EASY_P_TRUE:g} and "
        f"{_factor_text(hard)} ({1 - HARD_P_TRUE:g}^γ) for one it gets wrong with p_t = "
        f"{HARD_P_TRUE:g}, whichever its class."
    )


def class_weights(alpha: float | None) -> tuple[float, float]:
    """(weight of each positive, weight of each negative): α_t = α·y + (1 − α)(1 − y), or
    1 for both without α (losses.binary._alpha_t)."""
    return (1.0, 1.0) if alpha is None else (alpha, 1.0 - alpha)


def alpha_sentence(alpha: float | None) -> str:
    """What α does to the classes at the page's setting, and how to weight the positives."""
    positive, negative = class_weights(alpha)
    if positive == negative:
        how = "without α" if alpha is None else f"with α = {alpha:g}"
        sentence = (
            f"Focal {how} weights positives and negatives alike. Set α above 0.5 (e.g. 0.9) "
            "to weight each positive more than each negative."
        )
    else:
        more, less = ("positive", "negative") if positive > negative else ("negative", "positive")
        if min(positive, negative) == 0:
            share = f"only the {more}s count"
        else:
            ratio = max(positive, negative) / min(positive, negative)
            share = f"each {more} counts {ratio:.3g} times as much as each {less}"
        sentence = (
            f"Focal with α = {alpha:g} gives each positive the weight {positive:g} and each "
            f"negative {negative:g}: {share}."
        )
        if positive < negative:
            sentence += " Set α above 0.5 (e.g. 0.9) to weight the positives up."
    return sentence + " γ weights no class: above 0 it turns down easy points of either class."


def _settings_text(gamma: float, alpha: float | None) -> str:
    return f"γ = {gamma:g}, " + ("no α" if alpha is None else f"α = {alpha:g}")


def reference_sentence(gamma: float, alpha: float | None) -> str:
    """The page's focal settings against Lin et al.'s and the libraries' defaults, and what
    the reference α does to each class here."""
    keras = (gamma, alpha) == (KERAS_DEFAULT["gamma"], KERAS_DEFAULT["alpha"])
    positive, negative = class_weights(REFERENCE_ALPHA)
    direction = "down, not up" if positive < negative else "up"
    text = (
        f"Focal loss here: {_settings_text(gamma, alpha)}. Lin et al. (2017): "
        f"{_settings_text(REFERENCE_GAMMA, REFERENCE_ALPHA)}, the defaults of torchvision's "
        "sigmoid_focal_loss. Keras' BinaryFocalCrossentropy applies its α = "
        f"{REFERENCE_ALPHA:g} only with apply_class_balancing=True"
    )
    if keras:
        text += (
            ", so its default is this page's: the page starts without α, so that γ's effect "
            "is seen alone"
        )
    return text + (
        f". There, as here, α weights each positive and 1 − α each negative: α = "
        f"{REFERENCE_ALPHA:g} gives positives {positive:g} and negatives {negative:g}, "
        f"weighting the positives {direction}. Lin et al. found it best with γ = 2, once γ has "
        "turned the flood of easy negatives down (for plain cross-entropy, γ = 0, they found "
        "α = 0.75 best)."
    )


def found_sentence(
    page: BinaryMetrics | None, reference: BinaryMetrics | None, gamma: float, alpha: float | None
) -> str | None:
    """On the data on screen: how many positives focal finds at the page's settings and at
    Lin et al.'s; None when the settings are the same or a fit is missing."""
    if page is None or reference is None or (gamma, alpha) == (REFERENCE_GAMMA, REFERENCE_ALPHA):
        return None
    if reference.tp < page.tp:
        compared = "fewer than"
    elif reference.tp > page.tp:
        compared = "more than"
    else:
        compared = "as many as"
    return (
        f"On these data, focal at Lin et al.'s settings finds {reference.tp} of the "
        f"{reference.n_positive} positives at p = 0.5, {compared} the {page.tp} it finds at "
        f"this page's ({_settings_text(gamma, alpha)})."
    )


def factor_alt(curves: Sequence[tuple[float, np.ndarray, bool]]) -> str:
    """The chart's text alternative: each γ's factor at p_t = 0.9, an easy point."""
    at = int(np.argmin(np.abs(P_TRUE - 0.9)))
    values = "; ".join(
        f"γ = {gamma:g}{' (this page)' if mine else ''}: {factor[at]:.3g}"
        for gamma, factor, mine in curves
    )
    return (
        "Focal loss's factor (1 − p_t)^γ against p_t, the probability given to the true "
        f"class, for γ = {', '.join(f'{gamma:g}' for gamma, _, _ in curves)}; at p_t = 0.9 "
        f"(an easy point) the factor is {values}."
    )
