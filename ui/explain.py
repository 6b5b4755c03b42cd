"""A loss's formula and its plain-language text, the same block on every page."""

from __future__ import annotations

import streamlit as st

from losses.spec import Loss


def describe(loss: Loss, *, container=st, formula: bool = True) -> None:
    """The formula (LaTeX) and one-line summary, with the advantages, disadvantages and
    when to use it folded away, so the charts stay on a laptop's first screen."""
    if formula:
        container.latex(loss.latex)
    container.markdown(loss.summary)
    with container.expander("Advantages, disadvantages, when to use"):
        st.markdown(
            f"**Advantages.** {loss.advantages}\n\n"
            f"**Disadvantages.** {loss.disadvantages}\n\n**Use when.** {loss.use_when}"
        )
