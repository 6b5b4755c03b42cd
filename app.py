"""Loss Explorer: the frame. Pages live in pages/; every number comes from losses/."""

import streamlit as st

st.set_page_config(page_title="Loss Explorer", page_icon="📉", layout="wide")

navigation = st.navigation([st.Page("pages/home.py", title="Loss Explorer", default=True)])
navigation.run()
