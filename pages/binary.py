"""Binary classification & imbalance: which loss still finds the rare class?"""

import streamlit as st

import losses
from losses import metrics
from losses.curves import PROBABILITY, SCORE
from ui import binary_cache, binary_charts, cache, controls

st.title("Binary classification & imbalance")
st.markdown(
    "When positives are rare (fraud, a disease), a classifier can reach 99% accuracy by "
    "answering *negative* every time. Make the positive class rarer in the sidebar and watch "
    "which loss still finds it: plain **BCE**, **weighted BCE** (every positive counts w "
    "times), **focal** loss (easy points count less) or the **hinge**. A point is predicted "
    "positive when its probability p is above 0.5, i.e. its score s is above 0."
)

sidebar = st.sidebar
sidebar.header("Data")
data_args = controls.binary_data_controls(key_prefix="bin_data", container=sidebar)
frame = cache.binary_data(**data_args)
data_key = cache.key_of(data_args)
n_positive, n_negative = frame.attrs["n_positive"], frame.attrs["n_negative"]

sidebar.header("Weighted BCE")
balanced_weight = metrics.balancing_weight(n_positive, n_negative)
if sidebar.toggle("balance automatically: w = n_neg / n_pos", value=True, key="bin_auto_w",
                  bind=controls.URL):  # fmt: skip
    pos_weight = balanced_weight
    sidebar.caption(f"w = {n_negative} / {n_positive} = {balanced_weight:.4g}")
else:
    pos_weight = controls.param_controls(
        losses.get("bce"), key_prefix="bin", skip=("from_logits", "label_smoothing", "eps"),
        overrides={"pos_weight": balanced_weight}, container=sidebar,
    )["pos_weight"]  # fmt: skip
sidebar.header("Focal loss")
focal_params = controls.param_controls(
    losses.get("focal"), key_prefix="bin", skip=("from_logits",), container=sidebar
)
page_losses = binary_cache.page_losses(pos_weight, focal_params)
by_id = {item.id: item for item in page_losses}

chosen = by_id[
    st.selectbox(
        "The chosen loss (compared with plain BCE below)",
        binary_cache.PAGE_LOSS_IDS,
        index=1,
        format_func=binary_cache.SHORT_NAMES.get,
        key="bin_loss",
        bind=controls.URL,
    )  # fmt: skip
]
st.latex(chosen.loss.latex)
if chosen.id == "bce_weighted":
    st.caption(f"Weighted BCE is BCE with w = {pos_weight:.4g}; plain BCE has w = 1.")
st.markdown(
    f"{chosen.loss.summary}\n\n**Advantages.** {chosen.loss.advantages}\n\n"
    f"**Disadvantages.** {chosen.loss.disadvantages}\n\n**Use when.** {chosen.loss.use_when}"
)

for note in frame.attrs["notes"] + metrics.few_points_notes(n_positive, n_negative):
    st.info(note)

st.subheader("Loss and gradient for one point")
axis = st.radio(
    "x axis", (PROBABILITY, SCORE), horizontal=True, key="bin_axis", bind=controls.URL,
    format_func={PROBABILITY: "predicted probability p", SCORE: "score s (logit)"}.get,
)  # fmt: skip
if axis == PROBABILITY:
    st.caption("Hinge is defined on the raw score s, not on a probability: pick the score axis.")
for column, label in zip(st.columns(2), (1, 0), strict=True):
    figure = binary_charts.curves_figure(page_losses, label, axis, chosen.id)
    column.plotly_chart(figure, key=f"bin_curve_{label}", width="stretch")

fits = {item.id: binary_cache.fit(data_key, item) for item in page_losses}
for item in page_losses:
    if isinstance(fits[item.id], str):
        st.warning(f"{item.name} could not be fitted: {fits[item.id]}")
fitted = [item for item in page_losses if not isinstance(fits[item.id], str)]

st.subheader("Decision boundary: the chosen loss against plain BCE")
box = metrics.plot_box(frame["x1"], frame["x2"])
lines = [by_id[i] for i in dict.fromkeys((chosen.id, "bce")) if i in {f.id for f in fitted}]
boundaries = [
    (item.id, item.name, metrics.decision_boundary(fits[item.id].params, box),
     fits[item.id].params)
    for item in lines
]  # fmt: skip
st.plotly_chart(
    binary_charts.boundary_figure(frame["x1"], frame["x2"], frame["label"], box, boundaries),
    key="bin_boundary", width="stretch",
)  # fmt: skip
for _, name, boundary, _ in boundaries:
    if boundary.note:
        st.info(f"{name}: {boundary.note}")

st.subheader("Who finds the rare class? All four losses at p = 0.5")
results = {
    item.name: binary_cache.classifier_metrics(data_key, cache.key_of(fits[item.id].params))
    for item in fitted
}
if fitted:
    entries = [(item.id, item.name, results[item.name]) for item in fitted]
    st.plotly_chart(binary_charts.confusion_figure(entries), key="bin_confusion", width="stretch")
    st.table(metrics.metrics_table(results))
    st.caption(
        "Precision: of the points predicted positive, the share that are positive. Recall: "
        "the share of positives found. F1 combines both. Balanced accuracy averages the "
        "share found of each class, so 'always negative' scores 0.5, not 99%."
    )
    lesson = metrics.recall_lesson(results, "BCE") if "BCE" in results else None
    if lesson:
        st.success(lesson)
