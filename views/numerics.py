"""Why from_logits: where the naive formulas for BCE and softmax break, beside the stable ones."""

import streamlit as st

from lessons import alt_text, numerics
from ui import controls, numerics_cache, presentation
from ui.live_chart import live_chart

show = presentation.shows
if show("intro"):
    st.title("Why from_logits")
    st.markdown(
        "A classifier's last layer outputs a raw score z, the **logit**. Turning it into a "
        "probability p = σ(z) and then taking −log p looks harmless, but a float has only so "
        "many digits: for a confident model σ(z) rounds to exactly 1 and log(1 − p) to −∞. "
        "That is why PyTorch's `BCEWithLogitsLoss` and Keras' `from_logits=True` take the "
        "logit itself and use log σ(z) = −softplus(−z), which never rounds away."
    )


# Each section is a fragment: moving its control reruns that section alone, not the app's
# frame (navigation, tour) and the other two sections.
@st.fragment
def bce_section() -> None:
    label = st.radio(
        "true label y",
        (0.0, 1.0),
        index=0,
        horizontal=True,
        key="num_label",
        bind=controls.URL,
        format_func=lambda value: f"y = {value:g}",
    )
    loss_chart, grad_chart, table, failures, grad_failures = numerics_cache.bce_view(label)
    loss_column, grad_column = presentation.columns("loss", "gradient")
    if loss_column:
        with loss_column:
            st.subheader("The loss")
            live_chart(
                loss_chart, key="num_loss_chart", alt=alt_text.bce_ways(label, "loss", failures)
            )
    if grad_column:
        with grad_column:
            st.subheader("Its gradient")
            live_chart(
                grad_chart,
                key="num_grad_chart",
                alt=alt_text.bce_ways(label, "gradient", grad_failures),
            )
    st.write(numerics.failure_sentence(label, failures))
    if show("table"):
        st.dataframe(table, hide_index=True, key="num_table")
        st.caption(
            "Naive: p = 1/(1 + e^(−z)), then −[y log p + (1 − y) log(1 − p)], gradient by the "
            "chain rule (−y/p + (1 − y)/(1 − p))·p(1 − p). Stable: the core's BCE with from_logits "
            "(softplus), gradient σ(z) − y. These naive versions live in lessons/numerics.py, "
            "named as the wrong way."
        )


@st.fragment
def clip_section() -> None:
    eps = st.select_slider(
        "ε (the clip)",
        options=controls.log_steps(1e-12, 1e-2),
        value=1e-7,
        format_func=controls.format_number,
        key="num_eps",
        bind=controls.URL,
        help="Keras clips probability inputs to [ε, 1 − ε] (its default ε is 1e-7); "
        "PyTorch's BCELoss does not clip them.",
    )
    clip_loss, clip_grad = numerics_cache.clip_view(eps)
    loss_column, grad_column = presentation.columns("clip loss", "clip gradient")
    if loss_column:
        with loss_column:
            live_chart(clip_loss, key="num_clip_loss_chart", alt=alt_text.clip("loss", eps))
    if grad_column:
        with grad_column:
            live_chart(clip_grad, key="num_clip_grad_chart", alt=alt_text.clip("gradient", eps))
    st.write(numerics.clip_sentence(eps))


@st.fragment
def softmax_section() -> None:
    scale = st.select_slider(
        "largest logit",
        options=numerics_cache.SOFTMAX_SCALES,
        value=10.0,
        format_func=controls.format_number,
        key="num_softmax_scale",
        bind=controls.URL,
        help="The logits are (s, s/2, 0, −s).",
    )
    st.table(numerics_cache.softmax_table(scale))
    st.write(
        "e^z overflows past z ≈ 88 in float32 and z ≈ 709 in float64: inf / inf is NaN. "
        "Subtracting the row's largest logit first changes nothing in exact arithmetic "
        "(the e^max cancels) and makes the largest exponent e⁰ = 1, so nothing can overflow."
    )


st.header("1 · Binary cross-entropy from a logit, three ways")
bce_section()
st.header("2 · The ε clip on probabilities")
clip_section()
st.header("3 · Softmax with and without the row maximum")
softmax_section()
