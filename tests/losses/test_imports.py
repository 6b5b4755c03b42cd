"""The core imports numpy, pandas, the standard library and itself only (CONVENTIONS.md).

Read from the source with `ast`, so an import inside a function or behind a condition counts
as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "losses"
ALLOWED = {"numpy", "pandas", "losses"} | set(sys.stdlib_module_names)


def imported_top_level_names(source: str) -> set[str]:
    """Top-level package of every absolute import in the source; relative imports are the core's."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_has_modules():
    assert (CORE / "__init__.py").is_file()
    assert len(list(CORE.glob("*.py"))) >= 5


@pytest.mark.parametrize("module", sorted(CORE.glob("*.py")), ids=lambda path: path.name)
def test_core_module_imports_only_numpy_pandas_stdlib_and_itself(module):
    foreign = imported_top_level_names(module.read_text(encoding="utf-8")) - ALLOWED
    assert not foreign, f"{module.name} imports {sorted(foreign)}; the core may not"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import numpy as np", {"numpy"}),
        ("from scipy.special import expit", {"scipy"}),
        ("def f():\n    import streamlit as st", {"streamlit"}),
        ("import os.path, plotly.graph_objects", {"os", "plotly"}),
        ("from . import spec\nfrom .registry import get", set()),
    ],
)
def test_the_import_reader_sees_every_kind_of_import(source, expected):
    assert imported_top_level_names(source) == expected
