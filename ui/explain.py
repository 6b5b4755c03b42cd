"""A loss's formula and its plain-language text, the same block on every page."""

from __future__ import annotations

import streamlit as st

from losses.spec import Loss


def describe(loss: Loss, *, container=st, formula: bool = True) -> None:
    """The formula (LaTeX), one-line summary, advantages, disadvantages and when to use it."""
    if formula:
        container.latex(loss.latex)
    container.markdown(
        f"{loss.summary}\n\n**Advantages.** {loss.advantages}\n\n"
        f"**Disadvantages.** {loss.disadvantages}\n\n**Use when.** {loss.use_when}"
    )
