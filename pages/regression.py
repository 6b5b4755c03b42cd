"""Placeholder until this page lands."""

import streamlit as st

st.title("regression")
st.info("This page is being built.")
