"""The app's pages as the browser reaches them: URL paths derived from app.py."""

from __future__ import annotations

from pathlib import Path

from tests.app.harness import default_page, page_id, page_paths

PAGE_FILES = page_paths()


def url_path(page_file: str) -> str:
    """The path st.Page serves a page file at: "" for the default page, else its stem."""
    return "" if page_file == default_page() else Path(page_file).stem


# One slider per page that a lecturer would drag, with the settings that show it
# (the home page's default loss, MSE, has no parameter, so Huber is chosen there).
SLIDERS = {
    "loss_vs_cost": ("cost_huber_delta", "cost_loss_regression=Huber"),
    "regression": ("reg_data_outliers", ""),
    "huber": ("hub_huber_delta", ""),
    "gradient_descent": ("gd_data_outliers", ""),
    "binary": ("bin_data_separation", ""),
    "multiclass": ("mc_logit_0", ""),
    "compare": ("cmp_r", ""),
    "numerics": ("num_eps", ""),
}

__all__ = ["PAGE_FILES", "SLIDERS", "page_id", "url_path"]
