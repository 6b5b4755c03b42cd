"""Multi-class: CCE vs sparse CCE — one cost, two label formats; one sample's softmax."""

import streamlit as st

import losses
from losses import multiclass_views as views
from ui import cache, multiclass_cache
from ui import multiclass_charts as charts
from ui.controls import URL, multiclass_data_controls, param_controls

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
LOGIT_RANGE = {"min_value": -10.0, "max_value": 10.0, "step": 0.1, "bind": URL}
DEFAULT_LOGITS = (2.0, 1.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
PERCENT = st.column_config.NumberColumn(format="percent")
CCE, SPARSE = losses.get("cce"), losses.get("sparse_cce")

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
    params = param_controls(CCE, key_prefix="mc")
k = data_args["k"]

st.header("1 · Same data, two label formats, one cost")
try:
    frame = cache.multiclass_data(**data_args)
    fit_params = cache.key_of({"label_smoothing": params["label_smoothing"]})
    fitted = cache.multiclass_fit(cache.key_of(data_args), "cce", fit_params)
    features = frame[["x1", "x2"]].to_numpy()
    logits = views.softmax_logits(fitted.params, features)
    costs = views.cost_pair(frame["label"], logits, **params)
    one_hot_form, index_form = views.label_forms(frame["label"], k)
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
        st.dataframe(views.label_forms_table((one_hot_form, index_form)), hide_index=True)
        ratio = views.memory_ratio(one_hot_form, index_form)
        st.caption(
            f"At k = {k} the one-hot labels take {ratio:.3g}× the bytes of the class "
            f"indices, and the gap grows with k. The first rows of both (k = {k}):"
        )
        st.dataframe(views.label_preview(frame["label"], k), hide_index=True)
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
    used = "logits" if params["from_logits"] else "probabilities"
    left, right = st.columns(2)
    mark = {used: " — used in the bars"}
    left.metric(f"ℓ from the logits{mark.get('logits', '')}", f"{sample.loss_from_logits:.6g}")
    right.metric(
        f"ℓ from the probabilities{mark.get('probabilities', '')}",
        f"{sample.loss_from_probabilities:.6g}",
    )
    st.caption(
        f"The bars use the loss computed from the **{used}** (the “inputs are logits” switch). "
        "The two agree until a probability reaches the clip [ε, 1 − ε]; then the probability "
        f"route is capped at −log ε = {views.clip_cap(params['eps']):.4g} while the logit route "
        "stays exact. Try k = 2, logits 10 and −10, true class 1: 20.0 from the logits, 16.1 "
        "from the probabilities (ε = 1e-7); logits ±20 would give 40 against the same 16.1. "
        "The gradient is with respect to the logits: p − y, "
        "with y the label row after label smoothing, y(1 − ls) + ls/k (black outlines above)."
    )
    if sample.probability_clipped and not params["from_logits"]:
        st.info("A probability of this sample is clipped at ε or 1 − ε right now.")

st.header("3 · The softmax model's decision regions")
if frame is not None:
    left, right = st.columns([3, 2])
    figure = multiclass_cache.regions_figure(cache.key_of(data_args), fit_params)
    left.plotly_chart(figure, key="mc_regions_chart", width="stretch")
    with right:
        st.dataframe(
            views.class_summary(frame["label"], logits),
            hide_index=True,
            column_config={"share": PERCENT, "predicted right": PERCENT},
        )
        st.caption(
            "Each background colour is the class with the largest logit there; the "
            "boundaries are straight because the logits are linear in x₁ and x₂. "
            f"Fit: {fitted.method}, {fitted.iterations} iterations."
        )
