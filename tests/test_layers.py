"""The layers import in one direction only (../shared/CONVENTIONS.md):

    views/ ──► ui/ ──► lessons/ ──► losses/

`losses` (the core, with `losses.fit`) imports numpy, pandas, the standard library and itself;
`lessons` adds `losses` and nothing else; `ui` never imports `views`. Read from the source with
`ast`, so an import inside a function or behind a condition counts as much as one at the top.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.imports import imported_top_level_names
from ui import site

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


def test_every_view_is_declared_by_exactly_one_page_record():
    # views/ holds pages only: each is one PageRecord (ui/site.py), from which app.py builds
    # its navigation; a view no record declares is a page no one can open.
    views = Counter(str(path.relative_to(ROOT)) for path in (ROOT / "views").glob("*.py"))
    declared = Counter(record.view for record in site.PAGES)
    assert declared - views == Counter(), "declared, with no file in views/"
    assert views - declared == Counter(), "in views/, declared by no PageRecord"
    assert [view for view, count in declared.items() if count > 1] == []


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
