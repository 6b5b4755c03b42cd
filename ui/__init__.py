"""Figures and widgets for the pages: `ui.charts` (Plotly figures, no Streamlit) and
`ui.controls` (reusable Streamlit widget groups) arrive with the explorer's pages."""
