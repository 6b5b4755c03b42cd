"""Fixtures shared by every test folder.

PyTorch is an optional cross-check, not a requirement: `requirements-dev.txt` does not install it,
so a test that compares against it takes the `torch` fixture (or, for a whole module,
`pytest.importorskip`) and skips with one line when torch is absent. Each such claim keeps a
torch-free reference beside it (hand derivation, SciPy, scikit-learn). Keras 3 is the same kind
of cross-check, run on its PyTorch backend: the `keras` fixture. Tests that take either are
marked `torch`, so `pytest -m torch` (.ci/run's second step, which installs both) runs them.

Hypothesis runs under one of three profiles (`HYPOTHESIS_PROFILE` picks one by name):
- "ci", loaded whenever `CI` is set (`.ci/run` sets CI=true): the same examples on every run
  of the same code (derandomize), no example database, no deadline and no too-slow health
  check (both depend on the machine's load), and a failure's reproduce blob printed. So CI's
  verdict depends on the code only.
- "search", for before an issue is closed: fresh random examples, ten times each test's own
  number of them. `HYPOTHESIS_PROFILE=search pytest -m "not e2e" tests/losses tests/lessons`;
  each failure it finds becomes an explicit `@example` on its test.
- otherwise Hypothesis' default: random examples, and a failure found once is replayed from
  `.hypothesis/` until it passes.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings
from streamlit import config as streamlit_config

TORCH_MISSING = "PyTorch is an optional cross-check and is not installed (pip install torch)"
KERAS_MISSING = (
    "Keras is an optional cross-check, on the PyTorch backend, and is not installed "
    "(pip install torch -r requirements-keras.txt)"
)
KERAS_DEFAULT_EPSILON = 1e-7  # keras.config.epsilon() as Keras starts
# Keras 3.15.1's keras.ops.convert_to_numpy on torch calls np.array(tensor), which NumPy 2 warns
# about once per call; Keras', not the scripts' (nor a student's) to act on.
KERAS_TO_NUMPY_WARNING = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


@pytest.fixture
def torch():
    """The torch module, or a skip with one line when it is not installed."""
    return pytest.importorskip("torch", reason=TORCH_MISSING)


@pytest.fixture
def keras():
    """The keras module on its PyTorch backend, or a skip with one line when Keras (or torch)
    is not installed. Keras reads KERAS_BACKEND once, when first imported. A script may set
    keras.config.set_epsilon (the page's ε): it goes back to Keras' default afterwards, as a
    student's fresh process would have it."""
    os.environ["KERAS_BACKEND"] = "torch"
    module = pytest.importorskip("keras", reason=KERAS_MISSING)
    assert module.backend.backend() == "torch", "Keras was imported before with another backend"
    yield module
    module.config.set_epsilon(KERAS_DEFAULT_EPSILON)


# .streamlit/config.toml shows students a sentence instead of an uncaught exception
# (client.showErrorDetails = "none"), and AppTest reads that file too: a failing test should
# say what raised, where. tests/test_error_details.py checks both settings.
TESTS_SHOW_ERROR_DETAILS = "full"
streamlit_config.set_option("client.showErrorDetails", TESTS_SHOW_ERROR_DETAILS)

SEARCH_FACTOR = 10  # the search profile's examples per test, as a multiple of the test's own
WIDENED = set()  # the hypothesis tests widened so far (parametrised tests share one function)

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "search",
    derandomize=False,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "")
if HYPOTHESIS_PROFILE:
    settings.load_profile(HYPOTHESIS_PROFILE)


def widen_the_search(item) -> None:
    """Under the search profile, a hypothesis test runs SEARCH_FACTOR times its examples.

    A test's own `@settings(max_examples=…)` outranks any profile, so the search profile
    alone cannot widen it; the test's settings are replaced here by a child with the larger
    number (Hypothesis reads them from the wrapped test's `_hypothesis_internal_use_settings`
    when the test runs)."""
    test = getattr(item, "obj", None)
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    if own is None or not getattr(test, "is_hypothesis_test", False) or test in WIDENED:
        return  # not a hypothesis test, or one whose other parameter sets widened it already
    WIDENED.add(test)
    test._hypothesis_internal_use_settings = settings(
        own, max_examples=own.max_examples * SEARCH_FACTOR
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    # `pytest -m torch` selects every PyTorch and Keras cross-check (.ci/run's second step).
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if {"torch", "keras"} & fixtures:
            item.add_marker(pytest.mark.torch)
        if "keras" in fixtures:
            item.add_marker(KERAS_TO_NUMPY_WARNING)
        if settings.get_current_profile_name() == "search":
            widen_the_search(item)
