"""Reading what an AppTest page shows: open a page, decode its Plotly figures."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.app import harness

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Run app.py with ``query`` in the URL, then switch to ``views/<page>.py``."""
    app = harness.new_app()
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    if page != "loss_vs_cost":
        app.switch_page(f"views/{page}.py").run()
    return app


figures = harness.figures


def array(values) -> np.ndarray:
    """A trace's x or y: a plain list, or Plotly's typed-array {"dtype", "bdata"} encoding."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.asarray(values)
