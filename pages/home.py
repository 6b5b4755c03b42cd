"""Placeholder home page until the explorer's pages land: lists the registered losses."""

import streamlit as st

import losses

st.title("Loss Explorer")
st.write(
    "An interactive explorer of deep-learning loss functions. "
    "The pages are on their way; these are the losses the core already knows:"
)
for loss in losses.REGISTRY.values():
    st.subheader(loss.name)
    st.latex(loss.latex)
    st.write(loss.summary)
