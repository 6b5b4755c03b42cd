"""Multi-class: CCE vs sparse CCE — one cost, two label formats; one sample's softmax."""

import streamlit as st

import losses
from losses import label_memory, one_sample
from losses import multiclass_views as views
from ui import cache, multiclass_cache
from ui import multiclass_charts as charts
from ui.controls import URL, format_number, multiclass_data_controls, param_controls

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
LOGIT_RANGE = {"min_value": -10.0, "max_value": 10.0, "step": 0.1, "bind": URL}
DEFAULT_LOGITS = (2.0, 1.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
PERCENT = st.column_config.NumberColumn(format="percent")
CCE, SPARSE = losses.get("cce"), losses.get("sparse_cce")
DEFAULT_EPS = next(spec.default for spec in CCE.params if spec.name == "eps")

st.title("Multi-class: CCE vs sparse CCE")
st.markdown(
    "A model for **k classes** outputs k scores (*logits*) per sample; the softmax turns them "
    "into probabilities that sum to 1. The loss is minus the log of the probability given to "
    "the true class. **Categorical cross-entropy (CCE)** reads the true class from a one-hot "
    "row like `[0, 0, 1, 0]`; **sparse CCE** reads it from the index `2`. Same number, "
    "different memory."
)
for column, loss in zip(st.columns(2), (CCE, SPARSE), strict=True):
    with column:
        st.markdown(f"**{loss.name}** — {loss.summary}")
        st.latex(loss.latex)
        with st.expander("advantages, disadvantages, when to use"):
            st.markdown(
                f"**Advantages.** {loss.advantages}\n\n**Disadvantages.** {loss.disadvantages}"
                f"\n\n**Use when.** {loss.use_when}"
            )

with st.sidebar:
    st.header("Data")
    data_args = multiclass_data_controls(key_prefix="mc_data")
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
    for note in frame.attrs["notes"]:
        st.info(note)
    if not fitted.converged:
        st.info(f"The fit stopped after {fitted.iterations} steps without fully converging.")
    fed = "logits" if params["from_logits"] else "softmax probabilities"
    st.caption(
        f"A softmax model fitted to the data; both losses get its {fed} on all "
        f"{len(frame):,} points, with the same settings."
    )
    left, middle, right = st.columns(3)
    left.metric("CCE cost (one-hot labels)", f"{costs.cce:.10f}")
    middle.metric("sparse CCE cost (class indices)", f"{costs.sparse_cce:.10f}")
    right.metric("|difference|", f"{costs.difference:.3g}")
    left, right = st.columns([1, 1])
    with left:
        st.dataframe(label_memory.label_forms_table((one_hot_form, index_form)), hide_index=True)
        memory_words = label_memory.memory_sentence(one_hot_form, index_form)
        st.caption(f"{memory_words} The first rows of both (k = {k}):")
        st.dataframe(label_memory.label_preview(frame["label"], k), hide_index=True)
    right.plotly_chart(
        multiclass_cache.memory_figure(len(frame), k), key="mc_memory_chart", width="stretch"
    )

st.header("2 · One sample: logits → softmax → loss → gradient")
st.markdown(
    "Each slider is one logit $z_j$ of a single sample. The softmax turns them into "
    r"probabilities $p_j = e^{z_j} / \sum_i e^{z_i}$; the loss is $-\log p$ of the true class."
)
true_class = st.columns([1, 2])[0].selectbox(
    "true class", list(range(k)), format_func=charts.class_name, key="mc_true_class", bind=URL
)
slots = st.columns(5)  # five logits per row: k = 10 takes two rows
sample_logits = [
    slots[j % 5].slider(
        f"logit z{SUBSCRIPTS[j]}", value=DEFAULT_LOGITS[j], key=f"mc_logit_{j}", **LOGIT_RANGE
    )
    for j in range(k)
]
try:
    sample, figure = multiclass_cache.sample_and_figure(
        tuple(sample_logits), true_class, cache.key_of(params)
    )
except ValueError as error:
    st.warning(f"This sample cannot be shown: {error}")
else:
    st.plotly_chart(figure, key="mc_sample_chart", width="stretch")
    used = "logits" if from_logits else "probabilities"
    left, right = st.columns(2)
    mark = {used: " — used in the bars"}
    left.metric(f"ℓ from the logits{mark.get('logits', '')}", f"{sample.loss_from_logits:.6g}")
    right.metric(
        f"ℓ from the probabilities{mark.get('probabilities', '')}"
        + (f" (ε = {format_number(params['eps'])}), for comparison" if from_logits else ""),
        f"{sample.loss_from_probabilities:.6g}",
    )
    cap = one_sample.clip_cap(params["eps"])
    st.caption(
        f"The bars use the loss computed from the **{used}** (the “inputs are logits” switch). "
        "The two agree until a probability reaches the clip [ε, 1 − ε]; then the probability "
        f"route is capped at −log ε = {cap:.4g} while the logit route "
        "stays exact. Try k = 2, logits 10 and −10, true class 1: 20.0 from the logits, 16.1 "
        "from the probabilities (ε = 1e-7); logits ±20 would give 40 against the same 16.1."
    )
    st.caption(
        "The bottom bars are ∂ℓ/∂z, the gradient of the loss shown with respect to the "
        "logits. From the logits it is p − y, with y the label row after label smoothing, "
        "y(1 − ls) + ls/k (black outlines in the top panel). From the probabilities it is "
        "the same p − y (black outlines in the bottom panel) until a probability hits the "
        "clip: a clipped probability passes no gradient back, and with every probability "
        "clipped the gradient is 0 — the example above gets bars [0, 0] instead of [1, −1]. "
        "A clipped probability stops learning, however wrong it is."
    )
    if sample.probability_clipped and not from_logits:
        st.info(
            "A probability of this sample is clipped at ε or 1 − ε right now: its part of "
            "the gradient is 0."
        )

st.header("3 · The softmax model's decision regions")
if frame is not None:
    left, right = st.columns([3, 2])
    figure = multiclass_cache.regions_figure(cache.key_of(data_args), fit_params)
    left.plotly_chart(figure, key="mc_regions_chart", width="stretch")
    with right:
        summary = views.class_summary(frame["label"], logits)
        st.dataframe(
            summary,
            hide_index=True,
            column_config={"share": PERCENT, "predicted right": PERCENT},
        )
        st.caption(
            "Each background colour is the class with the largest logit there; the "
            "boundaries are straight because the logits are linear in x₁ and x₂. "
            f"Fit: {fitted.method}, {fitted.iterations} iterations."
        )
        small_classes = views.few_points_notes(summary["points"])
        if small_classes:  # one box: with k = 10 there can be several sentences
            st.info(" ".join(small_classes))
