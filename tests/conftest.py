"""Fixtures shared by every test folder.

PyTorch is an optional cross-check, not a requirement: `requirements-dev.txt` does not install it,
so a test that compares against it takes the `torch` fixture (or, for a whole module,
`pytest.importorskip`) and skips with one line when torch is absent. Each such claim keeps a
torch-free reference beside it (hand derivation, SciPy, scikit-learn).
"""

from __future__ import annotations

import pytest

TORCH_MISSING = "PyTorch is an optional cross-check and is not installed (pip install torch)"


@pytest.fixture
def torch():
    """The torch module, or a skip with one line when it is not installed."""
    return pytest.importorskip("torch", reason=TORCH_MISSING)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    # `pytest -m torch` selects every PyTorch cross-check (.ci/run's second step).
    for item in items:
        if "torch" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.torch)
