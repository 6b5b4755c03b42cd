"""Placeholder until this page lands."""

import streamlit as st

st.title("multiclass")
st.info("This page is being built.")
