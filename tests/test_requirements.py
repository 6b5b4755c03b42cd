"""Every test module imports only what the README's test command installs.

`pip install -r requirements-dev.txt && pytest` is the contract with a newcomer's fresh machine.
A test that imports a package outside `requirements-dev.txt` (and the files it includes with
`-r`) breaks collection there, even when this machine happens to have the package. An optional
package is reached through `pytest.importorskip`, which is a call, not an import statement, so
the reader below does not count it.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.imports import imported_top_level_names

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
REQUIREMENTS = ROOT / "requirements-dev.txt"


def required_distributions(path: Path) -> set[str]:
    """Normalised distribution names a requirements file asks for, following `-r other.txt`."""
    names = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        included = re.match(r"^(?:-r|--requirement)\s*(\S+)$", line)
        if included:
            names |= required_distributions(path.parent / included.group(1))
        elif not line.startswith("-"):
            # PEP 508: the name ends at the first extra, version, marker or URL character.
            name = re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*", line).group(0)
            names.add(normalise(name))
    return names


def normalise(distribution: str) -> str:
    """PEP 503 name normalisation: scikit_learn, Scikit.Learn → scikit-learn."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def project_names() -> set[str]:
    """Top-level names the project itself provides (its packages and modules at the root,
    and the benchmarks' modules, which their tests import from bench/)."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    modules = {path.stem for path in ROOT.glob("*.py")}
    benchmarks = {path.stem for path in (ROOT / "bench").glob("*.py")}
    return packages | modules | benchmarks


def provided_names(distributions: set[str]) -> set[str]:
    """Import names the given distributions install, read from the installed metadata."""
    return {
        name
        for name, owners in metadata.packages_distributions().items()
        if any(normalise(owner) in distributions for owner in owners)
    }


def unprovided_imports(source: str, provided: set[str]) -> set[str]:
    """Imported top-level names that neither the standard library, the project nor the
    requirements provide."""
    allowed = provided | project_names() | set(sys.stdlib_module_names) | {"__future__"}
    return imported_top_level_names(source) - allowed


PROVIDED = provided_names(required_distributions(REQUIREMENTS))
TEST_MODULES = sorted(TESTS.rglob("*.py"))


@pytest.mark.parametrize("module", TEST_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_module_imports_only_what_requirements_dev_installs(module):
    foreign = unprovided_imports(module.read_text(encoding="utf-8"), PROVIDED)
    assert not foreign, (
        f"{module.relative_to(ROOT)} imports {sorted(foreign)}, which requirements-dev.txt does "
        "not install: add it there, or reach it with pytest.importorskip (see tests/conftest.py)"
    )


def test_the_requirements_are_read_through_their_includes():
    # hand-derived from the two files: -r requirements.txt brings streamlit, numpy, pandas, plotly.
    distributions = required_distributions(REQUIREMENTS)
    assert {"streamlit", "numpy", "pandas", "plotly"} <= distributions
    assert {"pytest", "scikit-learn", "scipy", "hypothesis", "playwright"} <= distributions
    assert "torch" not in distributions
    # the import name differs from the distribution's: scikit-learn installs sklearn.
    assert {"sklearn", "numpy", "streamlit", "pytest"} <= PROVIDED


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import torch", {"torch"}),
        ("def test_x():\n    import torch\n    return torch", {"torch"}),
        ("from torch.nn import functional", {"torch"}),
        ("import numpy as np\nimport json", set()),
        ("from sklearn.metrics import log_loss", set()),
        ("from losses import data\nfrom tests.softmax_references import smoothed_target", set()),
        ("from . import pages", set()),
        ('torch = pytest.importorskip("torch")', set()),
    ],
)
def test_the_reader_flags_an_unguarded_import_and_passes_importorskip(source, expected):
    assert unprovided_imports(source, PROVIDED) == expected
