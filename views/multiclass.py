"""Multi-class: CCE vs sparse CCE — one cost, two label formats; one sample's softmax."""

import functools

import streamlit as st

import losses
from lessons import alt_text, label_memory, two_hot
from lessons import multiclass_fit as views
from ui import (
    cache,
    multiclass_cache,
    multiclass_panels,
    own_data,
    presentation,
    reproduce_panel,
    scenes,
    site,
)
from ui.controls import URL, multiclass_data_controls, param_controls
from ui.live_chart import live_chart

CCE, SPARSE = losses.get("cce"), losses.get("sparse_cce")
DEFAULT_EPS = next(spec.default for spec in CCE.params if spec.name == "eps")

show = presentation.shows
if show("intro"):
    st.title("Multi-class: CCE vs sparse CCE")
    st.markdown(
        "A model for **k classes** outputs k scores (*logits*) per sample; the softmax turns them "
        "into probabilities that sum to 1, and the loss is −log of the true class's probability. "
        "**Categorical cross-entropy (CCE)** reads the true class from a one-hot row like "
        "`[0, 0, 1, 0]`, **sparse CCE** from its index `2`: the same number, from k numbers or one."
    )
if show("explain"):
    multiclass_panels.loss_cards((CCE, SPARSE))

with presentation.sidebar():
    st.header("Data")
    data_args = multiclass_data_controls(key_prefix="mc_data")
    data_args = own_data.override(data_args, "multiclass", key_prefix="mc")
    st.header("Loss settings (both losses)")
    # The switch first: with logits ε is unused, so its slider is not offered.
    params = param_controls(CCE, key_prefix="mc", skip=("label_smoothing", "eps"))
    from_logits = params["from_logits"]
    hidden = ("from_logits", "eps") if from_logits else ("from_logits",)
    params |= param_controls(CCE, key_prefix="mc", skip=hidden)
    if from_logits:
        st.caption(
            "ε is not used with logits: log-softmax is exact. Switch the inputs to "
            "probabilities to clip them at ε."
        )
        params["eps"] = DEFAULT_EPS  # only for the "ℓ from the probabilities" comparison
k = data_args["k"]
scenes.record_data(site.MULTICLASS, data_args)

if show("costs") or show("labels"):
    st.header("1 · Same data, two label formats, one cost")
try:
    frame = cache.multiclass_data(**data_args)
    fit_params = cache.key_of({"label_smoothing": params["label_smoothing"]})
    fitted = cache.multiclass_fit(cache.key_of(data_args), "cce", fit_params)
    features = frame[["x1", "x2"]].to_numpy()
    logits = views.softmax_logits(fitted.params, features)
    costs = views.cost_pair(frame["label"], logits, **params)
    one_hot_form, index_form = label_memory.label_forms(frame["label"], k)
except ValueError as error:
    st.warning(f"These settings give no data or fit to show: {error}")
    frame = None
else:
    if show("costs"):
        multiclass_panels.cost_pair_readout(frame, fitted, costs, from_logits=params["from_logits"])
        if show("reproduce"):
            reproduce_panel.panel(
                functools.partial(
                    multiclass_cache.sparse_number,
                    cache.key_of(data_args),
                    fit_params,
                    cache.key_of(params),
                ),
                key="mc",
                csv_name="multiclass_fit.csv",
                note="The softmax model of the Multi-class page, scored by sparse CCE.",
            )
    if show("labels"):
        multiclass_panels.label_forms_readout(frame["label"], (one_hot_form, index_form), k)

if show("sample"):
    st.header("2 · One sample: logits → softmax → loss → gradient")
    st.markdown(
        "Each slider is one logit $z_j$ of a single sample. The softmax turns them into "
        r"probabilities $p_j = e^{z_j} / \sum_i e^{z_i}$; the loss is $-\log p$ of the true class."
    )


# A fragment: moving a logit reruns this section only, not the fit, tables and regions
# above and below it (a classroom of students dragging logits costs the server far less).
@st.fragment
def one_sample_section(k: int, params: dict) -> None:
    true_class, sample_logits = multiclass_panels.sample_controls(k)
    try:
        sample, figure = multiclass_cache.sample_and_figure(
            tuple(sample_logits), true_class, cache.key_of(params)
        )
    except ValueError as error:
        st.warning(f"This sample cannot be shown: {error}")
    else:
        used = sample.loss_from_logits if params["from_logits"] else sample.loss_from_probabilities
        live_chart(
            figure,
            key="mc_sample_chart",
            alt=alt_text.softmax_sample(sample.probability, true_class, used),
        )
        multiclass_panels.sample_readout(
            sample, eps=params["eps"], from_logits=params["from_logits"]
        )


if show("sample"):
    one_sample_section(k, params)

if show("two_hot"):
    st.header("3 · One true class per sample: what CCE assumes")
    st.markdown(
        r"CCE, $\ell = -\sum_j t_j \log p_j$ with softmax probabilities $p$, is made for a target "
        "with exactly one 1. A sample with two true classes (a photo of a cat *and* a dog: "
        "multi-label) has a two-hot target. Below, one sample of 3 classes: each class the "
        "target marks gets the logit $z$, the others $-z$, so $z = 0$ is a model that knows "
        "nothing and a growing $z$ one ever surer of the marked classes."
    )


@st.fragment
def two_hot_section() -> None:
    name = st.radio(
        "target of the sample",
        list(two_hot.TARGETS),
        format_func=two_hot.target_label,
        index=list(two_hot.TARGETS).index(two_hot.DEFAULT_TARGET),
        horizontal=True,
        key="mc_two_hot_target",
        bind=URL,
    )
    view, figure = multiclass_cache.two_hot_and_figure(name)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        live_chart(figure, key="mc_two_hot_chart", alt=two_hot.alt(view))
    with right:
        for sentence in two_hot.sentences(view):
            st.write(sentence)
        if refusal := two_hot.refusal_sentence(view):
            st.info(refusal)
    st.caption(
        "Softmax + CCE: the registry's CCE kernel on the logits. Sigmoid + BCE: the "
        "registry's BCE kernel on each class's logit, the three losses added (as CCE adds "
        "its terms). The dotted lines: the lowest CCE the target allows, at p = t / Σt."
    )


if show("two_hot"):
    two_hot_section()

if frame is not None and show("regions"):
    st.header("4 · The softmax model's decision regions")
    left, right = st.columns([3, 2])
    figure = multiclass_cache.regions_figure(cache.key_of(data_args), fit_params)
    with left:
        live_chart(figure, key="mc_regions_chart", alt=alt_text.regions(k, len(frame)))
    with right:
        summary = views.class_summary(frame["label"], logits)
        multiclass_panels.class_summary_readout(summary, fitted)
