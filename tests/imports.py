"""Read a module's imports from its source, for the tests that guard what may import what."""

from __future__ import annotations

import ast


def imported_top_level_names(source: str, package: str | None = None) -> set[str]:
    """Top-level package of every import statement, wherever it sits in the module (inside a
    function or behind a condition as much as at the top). A relative import counts as
    ``package``'s, or is left out without one. `pytest.importorskip("x")` is a call, not an
    import statement, so it is not counted."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module.split(".")[0])
            elif package is not None:
                names.add(package)
    return names
