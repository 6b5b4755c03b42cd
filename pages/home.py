"""Placeholder home page until the explorer's pages land: the losses the core knows, by task."""

import streamlit as st

import losses

st.title("Loss Explorer")
st.write(
    "An interactive explorer of deep-learning loss functions. The interactive pages are on "
    "their way; here are the losses the core already computes, grouped by task."
)
task_titles = {"regression": "Regression", "binary": "Binary classification",
               "multiclass": "Multi-class classification"}  # fmt: skip
for tab, task in zip(st.tabs(list(task_titles.values())), task_titles, strict=True):
    with tab:
        for loss in losses.by_task(task):
            with st.expander(loss.name, expanded=False):
                st.latex(loss.latex)
                st.write(loss.summary)
                st.markdown(
                    f"**Advantages.** {loss.advantages}\n\n"
                    f"**Disadvantages.** {loss.disadvantages}\n\n"
                    f"**Use when.** {loss.use_when}"
                )
