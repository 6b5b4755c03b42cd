""" "Reproduce this number" at the pages: the scripts a page offers, run as a student would
run them (the NumPy one always, the PyTorch and Keras ones where torch and Keras are
installed), print the page's number: to 1e-12, Keras' to 1e-6 (on the PyTorch backend Keras
takes float64 to float32 in its type promotion, keras.backend.result_type).

Each page's number is read from its panel (all digits) and, where the page shows it
elsewhere too, checked against that display; the regression fit's number also against an
independent fit of the same data. The CSV a long script reads is the page's own download.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from losses import data, fit
from tests.app.harness import open_page, problems

TIMEOUT = 120
PAGES = (
    "views/loss_vs_cost.py",
    "views/regression.py",
    "views/huber.py",
    "views/gradient_descent.py",
    "views/binary.py",
    "views/multiclass.py",
)


@contextlib.contextmanager
def downloads():
    """Every file the app hands to a download button, by media file id ({id: bytes})."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            files[file_id] = path_or_data
        return file_id

    with mock.patch.object(MemoryMediaFileStorage, "load_and_get_id", recording):
        yield files


def panel(at):
    """(the panel's number, {framework: script}, {csv name: bytes}) of the page's panel."""
    (expander,) = [box for box in at.expander if box.label.startswith("Reproduce this number")]
    shown = re.search(r"`([^`]+)`", expander.markdown[0].value).group(1)
    scripts = dict(
        zip(("NumPy", "PyTorch", "Keras"), (code.value for code in expander.code), strict=True)
    )
    return float(shown), scripts, [button for button in expander.get("download_button")]


def run_script(script: str, folder: Path, files: dict[str, bytes], buttons) -> dict:
    """Execute ``script`` in ``folder`` with the panel's CSV saved there, as a student
    would after downloading it; its variables."""
    for button in buttons:
        name = button.label.removeprefix("Download ")
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        (folder / name).write_bytes(files[file_id])
    here = os.getcwd()
    os.chdir(folder)
    try:
        variables: dict = {}
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            exec(compile(script, "snippet.py", "exec"), variables)  # noqa: S102
    finally:
        os.chdir(here)
    assert "cost (their mean):" in printed.getvalue()
    return variables


# The panel's key on each page (its content runs only while it is open).
PANEL_KEYS = {
    "loss_vs_cost": "cost",
    "regression": "reg",
    "huber": "hub",
    "gradient_descent": "gd",
    "binary": "bin",
    "multiclass": "mc",
}


def open_with_downloads(page: str, **query):
    """The page with its Reproduce panel opened, as a student's click would, and the files
    its download buttons hold."""
    with downloads() as files:
        at = open_page(page, query_params=query or None)
        (closed,) = [box for box in at.expander if box.label.startswith("Reproduce this number")]
        assert not closed.children, "the closed panel should not have run its content"
        at.session_state[f"{PANEL_KEYS[Path(page).stem]}_reproduce"] = True
        at.run()
    assert not problems(at), problems(at)
    return at, files


@pytest.mark.parametrize("page", PAGES)
def test_the_numpy_script_prints_the_pages_number(page: str, tmp_path: Path):
    at, files = open_with_downloads(page)
    number, scripts, buttons = panel(at)
    variables = run_script(scripts["NumPy"], tmp_path, files, buttons)
    assert math.isclose(variables["cost"], number, rel_tol=1e-12, abs_tol=1e-12)
    assert np.isfinite(variables["per_sample"]).all()


@pytest.mark.torch
@pytest.mark.parametrize("page", PAGES)
def test_the_pytorch_script_prints_the_pages_number(page: str, tmp_path: Path):
    pytest.importorskip("torch")
    at, files = open_with_downloads(page)
    number, scripts, buttons = panel(at)
    variables = run_script(scripts["PyTorch"], tmp_path, files, buttons)
    assert math.isclose(variables["cost"], number, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("page", PAGES)
def test_the_keras_script_prints_the_pages_number(page: str, tmp_path: Path, keras):
    at, files = open_with_downloads(page)
    number, scripts, buttons = panel(at)
    variables = run_script(scripts["Keras"], tmp_path, files, buttons)
    assert math.isclose(variables["cost"], number, rel_tol=1e-6)
    assert np.isfinite(variables["per_sample"]).all()


def test_the_regression_panel_is_the_fits_cost():
    # An independent fit of the page's default data (losses.data.make_regression with the
    # sliders' defaults: n 200, noise 1, 10% outliers of magnitude 10, one-sided, seed 0).
    at, _ = open_with_downloads("views/regression.py")
    number, _, buttons = panel(at)
    frame = data.make_regression(
        n=200, noise=1.0, outlier_fraction=0.1, outlier_magnitude=10.0, two_sided=False, seed=0
    )
    expected = fit.fit_regression(frame, "huber", delta=1.0).cost_history[-1]
    assert math.isclose(number, expected, rel_tol=1e-12)
    assert [button.label for button in buttons] == ["Download regression_fit_huber.csv"]


def test_the_descent_panel_is_the_cost_after_the_last_epoch():
    # An independent descent on the page's default data and settings (MSE, η 0.02,
    # 1000 epochs, full batch, from a = b = 0): its last recorded cost.
    from losses.fit import descent

    at, _ = open_with_downloads("views/gradient_descent.py")
    number, _, _ = panel(at)
    frame = data.make_regression(
        n=200, noise=1.0, outlier_fraction=0.1, outlier_magnitude=10.0, two_sided=False, seed=0
    )
    path = descent.gradient_descent(
        frame["x"].to_numpy(), frame["y"].to_numpy(), "mse", learning_rate=0.02, epochs=1000, seed=0
    )
    assert math.isclose(number, path.costs[-1], rel_tol=1e-12)


def test_the_multiclass_panel_is_the_sparse_cost_the_page_shows():
    at, _ = open_with_downloads("views/multiclass.py")
    number, _, _ = panel(at)
    shown = next(metric for metric in at.metric if metric.label.startswith("sparse CCE cost"))
    assert f"{number:.10f}" == shown.value


def test_a_small_table_is_written_into_the_script(tmp_path: Path):
    # The Loss vs cost example table (lessons.cost_table.EXAMPLES, regression), MSE:
    # y = (3, −0.5, 2, 7, 4), ŷ = (2.5, 0, 2, 8, 9): (0.25 + 0.25 + 0 + 1 + 25) / 5 = 5.3,
    # by hand.
    at, files = open_with_downloads("views/loss_vs_cost.py")
    number, scripts, buttons = panel(at)
    assert number == pytest.approx(5.3, rel=1e-15)
    assert buttons == []
    assert "read_csv" not in scripts["NumPy"]
    assert "y_true = np.array([" in scripts["NumPy"]
    variables = run_script(scripts["NumPy"], tmp_path, files, buttons)
    assert variables["per_sample"].tolist() == pytest.approx([0.25, 0.25, 0.0, 1.0, 25.0])
