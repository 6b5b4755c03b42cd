"""The layers import in one direction only (../shared/CONVENTIONS.md):

    views/ ──► ui/ ──► lessons/ ──► losses/

`losses` (the core, with `losses.fit`) imports numpy, pandas, the standard library and itself;
`lessons` adds `losses` and nothing else; `ui` never imports `views`. Read from the source with
`ast`, so an import inside a function or behind a condition counts as much as one at the top.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.imports import imported_top_level_names

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = {"numpy", "pandas"} | set(sys.stdlib_module_names) | {"__future__"}
PROJECT = {"losses", "lessons", "ui", "views", "app", "tests", "bench"}

# layer → the top-level names its modules may import
ALLOWED = {
    "losses": NUMERIC | {"losses"},
    "lessons": NUMERIC | {"losses", "lessons"},
    "ui": {"losses", "lessons", "ui"},  # of the project; any third-party package besides
}


def foreign_imports(source: str, layer: str) -> set[str]:
    """What a module of ``layer`` imports that its layer may not."""
    imported = imported_top_level_names(source, layer)
    if layer == "ui":
        return (imported & PROJECT) - ALLOWED["ui"]
    return imported - ALLOWED[layer]


def modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["losses", "lessons", "ui"])
def test_every_layer_has_modules(layer):
    assert (ROOT / layer / "__init__.py").is_file()
    assert len(modules(layer)) >= 3


@pytest.mark.parametrize(
    "module",
    [path for layer in ("losses", "lessons", "ui") for path in modules(layer)],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_module_imports_only_from_its_own_layer_and_below(module):
    layer = module.relative_to(ROOT).parts[0]
    foreign = foreign_imports(module.read_text(encoding="utf-8"), layer)
    assert not foreign, (
        f"{module.relative_to(ROOT)} imports {sorted(foreign)}; the {layer} layer may import "
        f"only {', '.join(sorted(ALLOWED[layer] & PROJECT))} of the project"
        + ("" if layer == "ui" else ", numpy, pandas and the standard library")
    )


@pytest.mark.parametrize(
    ("source", "layer", "expected"),
    [
        ("import numpy as np\nfrom losses import checks", "losses", set()),
        ("from lessons import metrics", "losses", {"lessons"}),
        ("def f():\n    from lessons.curves import SCORE", "losses", {"lessons"}),
        ("from scipy.special import expit", "losses", {"scipy"}),
        ("import streamlit as st", "lessons", {"streamlit"}),
        ("import plotly.graph_objects as go", "lessons", {"plotly"}),
        ("from . import curves\nfrom losses.fit import fit_line", "lessons", set()),
        ("from ui import views", "ui", set()),
        ("import plotly.graph_objects as go\nfrom lessons import curves", "ui", set()),
        ("from views import binary", "ui", {"views"}),
    ],
)
def test_the_reader_sees_every_kind_of_import(source, layer, expected):
    assert foreign_imports(source, layer) == expected
