"""Binary classification & imbalance: which loss still finds the rare class?"""

import functools

import streamlit as st

import losses
from lessons import alt_text, export, focal, imbalance, metrics
from lessons.curves import PROBABILITY, SCORE
from ui import (
    binary_cache,
    binary_charts,
    cache,
    controls,
    explain,
    own_data,
    presentation,
    reproduce_panel,
    scenes,
    site,
)
from ui.live_chart import live_chart

show = presentation.shows
if show("intro"):
    st.title("Binary classification & imbalance")
    st.markdown(
        "When positives are rare (fraud, a disease), a classifier that answers *negative* every "
        "time is right on every negative: 99% accuracy when 1% of the points are positive. Make "
        "the positive class rarer in the sidebar and watch which loss still finds it: plain "
        "**BCE**, **weighted BCE** (every positive counts w "
        "times), **focal** loss (easy points count less) or the **hinge**. A point is predicted "
        "positive when its probability p is above 0.5, i.e. its score s is above 0."
    )

sidebar = presentation.sidebar()
sidebar.header("Data")
data_args = controls.binary_data_controls(key_prefix="bin_data", container=sidebar)
with sidebar:
    data_args = own_data.override(data_args, "binary", key_prefix="bin")
frame = cache.binary_data(**data_args)
data_key = cache.key_of(data_args)
scenes.record_data(site.BINARY, data_args)
n_positive, n_negative = frame.attrs["n_positive"], frame.attrs["n_negative"]

sidebar.header("Weighted BCE")
balanced_weight = metrics.balancing_weight(n_positive, n_negative)
if sidebar.toggle(
    "balance automatically: w = n_neg / n_pos", value=True, key="bin_auto_w", bind=controls.URL
):
    pos_weight = balanced_weight
    sidebar.caption(f"w = {n_negative} / {n_positive} = {balanced_weight:.4g}")
else:
    pos_weight = controls.param_controls(
        losses.get("bce"),
        key_prefix="bin",
        skip=("from_logits", "label_smoothing", "eps"),
        overrides={"pos_weight": balanced_weight},
        container=sidebar,
    )["pos_weight"]
    sidebar.caption(f"Balanced would be w = {n_negative} / {n_positive} = {balanced_weight:.4g}.")
sidebar.header("Focal loss")
focal_params = controls.param_controls(
    losses.get("focal"), key_prefix="bin", skip=("from_logits",), container=sidebar
)
settings = {"focal": focal_params}
for loss in binary_cache.losses_with_settings():
    sidebar.header(loss.short)
    settings[loss.id] = controls.param_controls(
        loss, key_prefix="bin", skip=binary_cache.FIXED_PARAMS, container=sidebar
    )
settings_key = binary_cache.settings_key(settings)
page_losses = binary_cache.page_losses(pos_weight, settings)
by_id = {item.id: item for item in page_losses}

chosen = by_id[
    st.selectbox(
        "The chosen loss (compared with plain BCE below)",
        binary_cache.PAGE_LOSS_IDS,
        index=binary_cache.PAGE_LOSS_IDS.index("bce_weighted"),
        format_func=binary_cache.SHORT_NAMES.get,
        key="bin_loss",
        bind=controls.URL,
        on_change=binary_cache.follow_the_chosen_loss,
        args=("bin_loss", "bin_axis"),
    )
]
if show("explain"):
    st.latex(chosen.loss.latex)
    if chosen.note:
        st.caption(chosen.note)
    explain.describe(chosen.loss, formula=False)

for note in frame.attrs["notes"] + imbalance.few_points_notes(n_positive, n_negative):
    st.info(note)

focal_key = cache.key_of(focal_params)


# A fragment: the x-axis radio changes these two charts only, so moving it reruns this
# section alone, not the fits, matrices and sidebar around it.
@st.fragment
def curves_section(
    pos_weight: float, settings_key: tuple, chosen: binary_cache.PageLoss, page_losses: list
) -> None:
    st.subheader("Loss and gradient for one point")
    binary_cache.open_the_axis_for(chosen.id, "bin_axis")
    axis = st.radio(
        "x axis",
        (PROBABILITY, SCORE),
        horizontal=True,
        key="bin_axis",
        bind=controls.URL,
        format_func=binary_charts.AXIS_TITLES.get,
    )
    if axis == PROBABILITY:
        st.caption(
            "Hinge is defined on the raw score s, not on a probability, so it has no curve "
            "here: pick the score axis to see it."
        )
    for column, label in zip(st.columns(2), (1, 0), strict=True):
        figure = binary_cache.curves_figure(pos_weight, settings_key, label, axis, chosen.id)
        with column:
            names = [item.name for item in binary_charts.drawable(page_losses, axis)]
            axis_title = binary_charts.AXIS_TITLES[axis]
            live_chart(
                figure,
                key=f"bin_curve_{label}",
                alt=alt_text.binary_curves(label, axis_title, names),
            )
    if chosen in binary_charts.drawable(page_losses, axis):
        styling = f"Solid: {chosen.name}; dashed: the others."
    else:
        styling = f"{chosen.name}, the chosen loss, has no curve here, so every curve is solid."
    st.caption(
        f"{styling} For y = 0 weighted BCE is plain BCE (w only multiplies the positives' "
        "loss), so the two curves lie on top of each other."
    )


if show("curves"):
    curves_section(pos_weight, settings_key, chosen, page_losses)

for item in page_losses:
    result = binary_cache.fit(data_key, item)
    if isinstance(result, str):
        st.warning(f"{item.name} could not be fitted: {result}")
    elif not result.converged:
        st.info(f"{item.name}: the fit stopped before converging; its line is approximate.")

if show("boundary"):
    st.subheader("Decision boundary: the chosen loss against plain BCE")
    drawn = binary_cache.boundary_lines(chosen, page_losses)
    figure, notes = binary_cache.boundary_view(data_key, drawn)
    live_chart(
        figure, key="bin_boundary", alt=alt_text.boundary(chosen.name, n_positive, n_negative)
    )
    for name, note in notes:
        st.info(f"{name}: {note}")

figure, table, lesson = binary_cache.metrics_view(data_key, pos_weight, settings_key)
if show("metrics"):
    st.subheader("Who finds the rare class? Every loss at p = 0.5")
    # Here, not in the introduction: there its line pushed the first chart below a laptop's
    # fold (tests/e2e/test_layout.py).
    if others := binary_cache.others_sentence():
        st.caption(others.strip())
    if figure is not None:
        found = list(zip(table.index, table["positives found"], strict=True))
        live_chart(figure, key="bin_confusion", alt=alt_text.confusion(found))
        # With every binary loss of the registry (six), matrices and table together overflow
        # a slide: while presenting the matrices alone say who finds the rare class.
        if not presentation.is_on():
            st.table(table)
        if show("download"):
            st.download_button(
                "Download the metrics table (CSV)",
                functools.partial(export.csv_bytes, table),
                file_name="binary_metrics.csv",
                mime="text/csv",
                key="bin_download_metrics",
                on_click="ignore",
            )
        st.caption(imbalance.metrics_caption(n_positive, n_negative))
        st.caption(focal.alpha_sentence(focal_params["alpha"]))

if lesson is not None and show("lesson"):
    (st.success if lesson.success else st.warning)(lesson.text)

if show("focal"):
    st.subheader(focal.SECTION_TITLE)
    figure, alt, reference, found = binary_cache.focal_view(data_key, focal_key)
    live_chart(figure, key="bin_focal_factor", alt=alt)
    st.caption(focal.factor_caption(focal_params["gamma"], focal_params["alpha"]))
    st.markdown(reference + (f" {found}" if found else ""))

number = binary_cache.fit_number(data_key, chosen)
if number is not None and show("reproduce"):
    reproduce_panel.panel(
        number,
        key="bin",
        csv_name=f"binary_fit_{chosen.id}.csv",
        note=f"The {chosen.name} classifier of the Binary classification & imbalance page.",
    )
