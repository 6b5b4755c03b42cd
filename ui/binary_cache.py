"""The classifiers of the imbalance page, their cached fits and their metrics.

The page compares every binary loss of the registry (plain BCE, focal loss, hinge, …) and
BCE with a positive-class weight. Weighted BCE is the registry's bce with ``pos_weight``
set, a page variant: it needs an id of its own (its colour key, "bce_weighted",
`ui.charts.PAGE_VARIANTS`) beside the registry id it is fitted with, a name and the
sentence that says what it is. The sidebar sets weighted BCE's w and focal loss's knobs in
sections of their own (`OWN_SECTIONS`); any other loss with parameters gets a section
built from its specs (`losses_with_settings`).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import losses
from lessons import focal, imbalance, metrics, reproduce
from lessons.curves import PROBABILITY, SCORE, binary_axes
from lessons.robustness import names_text
from losses.fit import FitResult
from ui import binary_charts, cache
from ui.memo import memo

# The page's variants of registry losses: {variant id: (registry id, name)}, each listed
# right after its registry loss.
VARIANTS = {"bce_weighted": ("bce", "Weighted BCE")}
# Registry losses whose settings have a sidebar section of the page's own (w; γ and α).
OWN_SECTIONS = ("bce", "focal")
# Parameters the sidebar never offers: the fits run on logits (`losses.fit.fit_binary`), and
# the page shows each loss without label smoothing or a changed clip.
FIXED_PARAMS = ("from_logits", "label_smoothing", "eps")


def _page_loss_ids() -> tuple[str, ...]:
    ids = []
    for loss in losses.by_task("binary"):
        ids.append(loss.id)
        ids.extend(page_id for page_id, (base, _) in VARIANTS.items() if base == loss.id)
    return tuple(ids)


# Every binary loss of the registry, in its order, each variant right after its loss.
PAGE_LOSS_IDS = _page_loss_ids()
# The registry id each page loss is fitted with: itself, but for the page's variants.
REGISTRY_IDS = {page_id: VARIANTS.get(page_id, (page_id,))[0] for page_id in PAGE_LOSS_IDS}
# Each page loss's name: the variant's own, else its registry entry's short name.
SHORT_NAMES = {
    page_id: VARIANTS[page_id][1] if page_id in VARIANTS else losses.get(page_id).short
    for page_id in PAGE_LOSS_IDS
}
METRIC_ENTRIES = 64


@dataclass(frozen=True)
class PageLoss:
    """One classifier on the page: colour/id key, short name, registry loss and its params,
    and the sentence that says what it is when it is not a registry loss as it stands."""

    id: str
    name: str
    loss_id: str
    params: tuple  # sorted (name, value) pairs: hashable, a cache key
    note: str = ""

    @property
    def loss(self) -> losses.Loss:
        return losses.get(self.loss_id)


# The page losses its introduction describes one by one.
INTRODUCED = ("bce", "bce_weighted", "focal", "hinge")


def others_sentence() -> str:
    """The introduction's sentence naming the page losses it does not describe, or ""."""
    others = [SHORT_NAMES[page_id] for page_id in PAGE_LOSS_IDS if page_id not in INTRODUCED]
    if not others:
        return ""
    names = names_text([f"**{name}**" for name in others])
    return f" The other binary losses of the app, {names}, are fitted and compared too."


def losses_with_settings() -> list[losses.Loss]:
    """The page's registry losses whose parameters the sidebar sets from their specs: those
    with a parameter beyond `FIXED_PARAMS` and no section of the page's own."""
    return [
        loss
        for loss in losses.by_task("binary")
        if loss.id not in OWN_SECTIONS and any(s.name not in FIXED_PARAMS for s in loss.params)
    ]


def page_losses(pos_weight: float, settings: dict) -> list[PageLoss]:
    """The classifiers, in PAGE_LOSS_IDS order, with the chosen parameters.

    ``settings``: {registry id: params} set in the sidebar (focal's, and those of
    `losses_with_settings`); a loss not in it takes its defaults.
    """
    unknown = sorted(set(settings) - set(REGISTRY_IDS.values()))
    if unknown:
        raise ValueError(f"settings for losses not on the page: {', '.join(unknown)}.")
    params = {**settings, "bce": {}, "bce_weighted": {"pos_weight": pos_weight}}
    notes = {"bce_weighted": f"Weighted BCE is BCE with w = {pos_weight:.4g}; plain BCE has w = 1."}
    return [
        PageLoss(
            page_id,
            SHORT_NAMES[page_id],
            REGISTRY_IDS[page_id],
            cache.key_of(params.get(page_id, {})),
            notes.get(page_id, ""),
        )
        for page_id in PAGE_LOSS_IDS
    ]


def _has_probability_curve(page_id: str) -> bool:
    return PROBABILITY in binary_axes(losses.get(REGISTRY_IDS[page_id]))


def follow_the_chosen_loss(loss_key: str, axis_key: str) -> None:
    """on_change of the loss picker: a loss drawn only on the score (hinge) moves the
    x-axis radio to the score, so choosing it shows it."""
    if not _has_probability_curve(st.session_state[loss_key]):
        st.session_state[axis_key] = SCORE


def open_the_axis_for(chosen_id: str, axis_key: str) -> None:
    """Before the x-axis radio: a page opened with a loss drawn only on the score (a link
    ``?bin_loss=Hinge``) opens the radio on the score too, unless the link names an axis
    (by its label, binary_charts.AXIS_TITLES) or the radio already has a value this session."""
    if (
        axis_key not in st.session_state
        and st.query_params.get(axis_key) not in binary_charts.AXIS_TITLES.values()
        and not _has_probability_curve(chosen_id)
    ):
        st.session_state[axis_key] = SCORE


def fit(data_key: tuple, page_loss: PageLoss) -> FitResult | str:
    """The cached fit, or the fit's error message (a sentence for the student)."""
    try:
        return cache.binary_fit(data_key, page_loss.loss_id, page_loss.params)
    except ValueError as error:
        return str(error)


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=METRIC_ENTRIES, show_spinner=False)
def fit_number(data_key: tuple, page_loss: PageLoss) -> reproduce.PageNumber | None:
    """The cost J of ``page_loss`` at its fitted line, on the scores s = intercept + w·x it
    was fitted on (logits for BCE and focal, raw scores for hinge); None if it has no fit."""
    result = fit(data_key, page_loss)
    if isinstance(result, str):
        return None
    frame = cache.binary_data(**dict(data_key))
    scores = metrics.linear_score(result.params, frame["x1"], frame["x2"])
    params = dict(page_loss.params)
    # A loss that reads probabilities is fitted on logits; one that reads scores (hinge) on
    # the raw scores.
    if any(spec.name == "from_logits" for spec in page_loss.loss.params):
        params["from_logits"] = True
        what = f"{page_loss.name}'s cost J at its fitted line (on the scores, as logits)"
    else:
        what = f"{page_loss.name}'s cost J at its fitted line (on the raw scores)"
    labels = frame["label"].to_numpy(dtype=float)
    return reproduce.page_number(what, page_loss.loss_id, params, labels, scores)


# Asked for every fit from inside the views (the matrices, focal's comparison), and an
# immutable value (four counts), so shared: Streamlit's hash of its key cost more than it.
# Cache policy (ui.cache): shared data.
@memo(METRIC_ENTRIES)
def classifier_metrics(data_key: tuple, fitted: tuple) -> metrics.BinaryMetrics:
    """Metrics at p = 0.5 on every point of the data; ``fitted``: key_of(fit params)."""
    frame = cache.binary_data(**dict(data_key))
    return metrics.classifier_metrics(dict(fitted), frame["x1"], frame["x2"], frame["label"])


# Building a Plotly figure is costly; the same inputs give the same
# figure, so each is built once and shared (read-only: the live chart only reads it).
FIGURE_ENTRIES = 32


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def curves_figure(pos_weight: float, settings_key: tuple, label: int, axis: str, chosen: str):
    """`binary_charts.curves_figure` for the page's losses; ``settings_key``: `settings_key`."""
    return binary_charts.curves_figure(
        page_losses(pos_weight, settings_of(settings_key)), label, axis, chosen
    )


def settings_key(settings: dict) -> tuple:
    """``settings`` ({registry id: params}) as a hashable cache key."""
    return cache.key_of({loss_id: cache.key_of(params) for loss_id, params in settings.items()})


def settings_of(key: tuple) -> dict:
    """The settings a `settings_key` was made from."""
    return {loss_id: dict(params) for loss_id, params in key}


def fits(data_key: tuple, pos_weight: float, settings_key: tuple) -> dict:
    """{page id: FitResult, or the fit's error message} for the page's losses."""
    return {
        item.id: fit(data_key, item) for item in page_losses(pos_weight, settings_of(settings_key))
    }


def boundary_lines(chosen: PageLoss, page_losses: list[PageLoss]) -> tuple[PageLoss, ...]:
    """The page losses whose decision lines the boundary plot draws: the chosen one and
    plain BCE (once, when BCE is the chosen one)."""
    by_id = {item.id: item for item in page_losses}
    return tuple(by_id[page_id] for page_id in dict.fromkeys((chosen.id, "bce")))


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def boundary_view(data_key: tuple, drawn: tuple[PageLoss, ...]) -> tuple:
    """The data with the decision lines of ``drawn`` (`boundary_lines`) that fitted: keyed
    by those losses alone, so a setting of another loss leaves the plot as it was.

    Returns (figure, ((name, note), …)): a note for each line not drawn in the plot.
    """
    frame = cache.binary_data(**dict(data_key))
    box = metrics.plot_box(frame["x1"], frame["x2"])
    results = {item.id: fit(data_key, item) for item in drawn}
    boundaries = [
        (
            item.id,
            item.name,
            metrics.decision_boundary(results[item.id].params, box),
            results[item.id].params,
        )
        for item in drawn
        if not isinstance(results[item.id], str)
    ]
    figure = binary_charts.boundary_figure(
        frame["x1"], frame["x2"], frame["label"], box, boundaries
    )
    notes = tuple((name, boundary.note) for _, name, boundary, _ in boundaries if boundary.note)
    return figure, notes


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def metrics_view(data_key: tuple, pos_weight: float, settings_key: tuple) -> tuple:
    """Confusion matrices, metrics table and the recall lesson for the losses that fitted.

    Returns (figure, table, imbalance.Lesson or None); (None, None, None) when no
    loss fitted. Built by `counts_view` from the confusion counts, so a setting that moves
    a line without changing any count gives back the same figure and table.
    """
    results = fits(data_key, pos_weight, settings_key)
    counted = tuple(
        (page_id, SHORT_NAMES[page_id], classifier_metrics(data_key, cache.key_of(result.params)))
        for page_id, result in results.items()
        if not isinstance(result, str)
    )
    if not counted:
        return None, None, None
    return counts_view(counted)


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def counts_view(counted: tuple[tuple[str, str, metrics.BinaryMetrics], ...]) -> tuple:
    """(confusion figure, metrics table, imbalance.Lesson or None) of ``counted``, one
    (page id, name, metrics) per loss that fitted, in the page's order."""
    named = {name: found for _, name, found in counted}
    figure = binary_charts.confusion_figure(list(counted))
    baseline = SHORT_NAMES["bce"]
    lesson = imbalance.recall_lesson(named, baseline) if baseline in named else None
    return figure, metrics.metrics_table(named), lesson


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def focal_view(data_key: tuple, focal_key: tuple) -> tuple:
    """Focal loss's knobs against Lin et al.'s settings on the data on screen.

    Returns (figure of (1 − p_t)^γ, its alt text, the reference sentence, the sentence
    comparing the positives found at the page's and the reference settings, or None).
    """
    params = dict(focal_key)
    gamma, alpha = params["gamma"], params["alpha"]
    curves = focal.factor_curves(gamma)
    figure = binary_charts.focal_factor_figure(curves, focal.P_TRUE)
    found = {}
    for name, settings in (
        ("page", params),
        ("reference", {"gamma": focal.REFERENCE_GAMMA, "alpha": focal.REFERENCE_ALPHA}),
    ):
        result = fit(
            data_key, PageLoss("focal", SHORT_NAMES["focal"], "focal", cache.key_of(settings))
        )
        found[name] = (
            None
            if isinstance(result, str)
            else classifier_metrics(data_key, cache.key_of(result.params))
        )
    return (
        figure,
        focal.factor_alt(curves),
        focal.reference_sentence(gamma, alpha),
        focal.found_sentence(found["page"], found["reference"], gamma, alpha),
    )
