"""Placeholder until this page lands."""

import streamlit as st

st.title("binary")
st.info("This page is being built.")
