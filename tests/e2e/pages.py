"""The app's pages as the browser reaches them: URL paths from their records (ui/site.py)."""

from __future__ import annotations

from tests.app.harness import page_id, page_paths
from ui import site

PAGE_FILES = page_paths()


def url_path(page_file: str) -> str:
    """The path st.Page serves a page file at: "" for the default page, else its url_path."""
    return site.page(page_file).link.removeprefix("/")


# One slider per page that a lecturer would drag, with the settings that show it
# (the home page's default loss, MSE, has no parameter, so Huber is chosen there).
# A page left out is tested with its first slider (tests/e2e/test_controls.py).
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
