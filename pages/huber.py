"""Placeholder until this page lands."""

import streamlit as st

st.title("huber")
st.info("This page is being built.")
