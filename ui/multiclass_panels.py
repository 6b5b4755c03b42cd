"""The multi-class page's panels: the two loss cards, the sample's controls, and the
readouts under each section.

Layout and text only: every number comes from `losses` (passed in, or asked for here);
the page reads the sidebar and decides what is computed. Widget keys are the page's
(``mc_…``), so its URLs and tests keep working.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lessons import alt_text, label_memory, one_sample
from lessons import multiclass_fit as views
from losses.spec import Loss
from ui import multiclass_cache, presentation
from ui import multiclass_charts as charts
from ui.controls import URL, format_number
from ui.live_chart import live_chart

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
LOGIT_RANGE = {"min_value": -10.0, "max_value": 10.0, "step": 0.1, "bind": URL}
DEFAULT_LOGITS = (2.0, 1.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
PERCENT = st.column_config.NumberColumn(format="percent")


def loss_cards(shown: Sequence[Loss]) -> None:
    """One column per loss: name and summary, formula, and its text in an expander."""
    for column, loss in zip(st.columns(len(shown)), shown, strict=True):
        with column:
            st.markdown(f"**{loss.name}** — {loss.summary}")
            st.latex(loss.latex)
            with st.expander("advantages, disadvantages, when to use"):
                st.markdown(
                    f"**Advantages.** {loss.advantages}\n\n**Disadvantages.** {loss.disadvantages}"
                    f"\n\n**Use when.** {loss.use_when}"
                )


def cost_pair_readout(frame, fitted, costs: views.CostPair, *, from_logits: bool) -> None:
    """The data's notes, whether the fit converged, and the two costs side by side."""
    for note in frame.attrs["notes"]:
        st.info(note)
    if not fitted.converged:
        st.info(f"The fit stopped after {fitted.iterations} steps without fully converging.")
    fed = "logits" if from_logits else "softmax probabilities"
    st.caption(
        f"A softmax model fitted to the data; both losses get its {fed} on all "
        f"{len(frame):,} points, with the same settings."
    )
    left, middle, right = st.columns(3)
    left.metric("CCE cost (one-hot labels)", f"{costs.cce:.10f}")
    middle.metric("sparse CCE cost (class indices)", f"{costs.sparse_cce:.10f}")
    right.metric("|difference|", f"{costs.difference:.3g}")


def label_forms_readout(labels, forms: tuple, k: int) -> None:
    """Both label forms' bytes, the sentence comparing them and their first rows, beside
    the chart of bytes against k. ``forms``: (one-hot, indices) `label_memory.LabelForm`s."""
    # On a projector, HTML tables: their type scales with the screen (the grid's canvas
    # keeps 14 px), and three preview rows leave the chart its room.
    presenting = presentation.is_on()
    show_table = st.table if presenting else st.dataframe
    preview = label_memory.label_preview(labels, k, rows=3 if presenting else 6)
    left, right = st.columns([1, 1])
    with left:
        show_table(label_memory.label_forms_table(forms), hide_index=True)
        memory_words = label_memory.memory_sentence(*forms)
        st.caption(f"{memory_words} The first rows of both (k = {k}):")
        show_table(preview, hide_index=True)
    with right:
        one_hot, indices = forms
        live_chart(
            multiclass_cache.memory_figure(len(labels), k),
            key="mc_memory_chart",
            alt=alt_text.label_memory(len(labels), k, one_hot.nbytes, indices.nbytes),
        )


def sample_controls(k: int) -> tuple[int, list[float]]:
    """The true-class picker and one slider per logit, five to a row (k = 10: two rows)."""
    true_class = st.columns([1, 2])[0].selectbox(
        "true class", list(range(k)), format_func=charts.class_name, key="mc_true_class", bind=URL
    )
    slots = st.columns(5)
    logits = [
        slots[j % 5].slider(
            f"logit z{SUBSCRIPTS[j]}", value=DEFAULT_LOGITS[j], key=f"mc_logit_{j}", **LOGIT_RANGE
        )
        for j in range(k)
    ]
    return true_class, logits


def sample_readout(sample: one_sample.SampleView, *, eps: float, from_logits: bool) -> None:
    """The sample's loss by both routes, which one the bars use, and what the clip at ε does."""
    used = "logits" if from_logits else "probabilities"
    left, right = st.columns(2)
    mark = {used: " — used in the bars"}
    left.metric(f"ℓ from the logits{mark.get('logits', '')}", f"{sample.loss_from_logits:.6g}")
    right.metric(
        f"ℓ from the probabilities{mark.get('probabilities', '')}"
        + (f" (ε = {format_number(eps)}), for comparison" if from_logits else ""),
        f"{sample.loss_from_probabilities:.6g}",
    )
    cap = one_sample.clip_cap(eps)
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


def class_summary_readout(summary, fitted) -> None:
    """The per-class table (`views.class_summary`), how the regions are drawn, and one note
    for the classes too small for their 'predicted right' to say much."""
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
