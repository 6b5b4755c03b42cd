"""Placeholder until this page lands."""

import streamlit as st

st.title("loss_vs_cost")
st.info("This page is being built.")
