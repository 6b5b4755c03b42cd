"""Bring your own data, at the pages (AppTest): a good file changes the fit, each bad file
gets its sentence while the charts keep what they showed, and a link never carries a file.

The files are `tests.upload_files` (50 malformed, 6 good), the same the loader's own tests
use; here each goes through the upload widget and the column pickers as a student's would.
"""

from __future__ import annotations

import pytest

from tests.app.harness import errors, figures, open_page, problems
from tests.upload_files import BAD_FILES, GOOD_FILES, REGRESSION, BadFile, GoodFile
from ui.own_data import LINK_NOTE

TIMEOUT = 120
PAGES = {
    "regression": ("views/regression.py", "views/huber.py", "views/gradient_descent.py"),
    "binary": ("views/binary.py",),
    "multiclass": ("views/multiclass.py",),
}
ROLES = {
    "regression": ("x", "y"),
    "binary": ("x1", "x2", "label"),
    "multiclass": ("x1", "x2", "label"),
}


def upload(at, name: str, raw: bytes):
    at.file_uploader[0].set_value((name, raw, "text/csv")).run(timeout=TIMEOUT)
    return at


def pick_columns(at, task: str, columns: tuple[str, ...]):
    """Set the column pickers to ``columns`` (one per role), as a student would."""
    for role, name in zip(ROLES[task], columns, strict=True):
        picker = next(box for box in at.selectbox if box.label == f"{role} column")
        if picker.value != name:
            picker.set_value(name).run(timeout=TIMEOUT)
    return at


def usable_at_the_page(file: BadFile) -> bool:
    """Whether a student could make the file's column choice: the file reads (else the
    pickers never appear) and every chosen column is in it, once."""
    from losses.upload import UploadError, read_table

    try:
        table = read_table(file.raw)
    except UploadError:
        return True  # refused before any choice: the page shows read_table's sentence
    return set(file.columns) <= set(table.columns) and len(set(file.columns)) == len(file.columns)


def test_a_good_regression_file_changes_the_fit():
    # The file is the exact line y = 1 + 2x (tests.upload_files._rows), so every loss's fit
    # is slope 2, intercept 1 (hand-derived: all residuals 0 is each loss's minimum).
    at = open_page("views/regression.py")
    generated = at.dataframe[0].value
    assert "true line (generated the data)" in set(generated["loss"])
    upload(at, "line.csv", REGRESSION)
    assert not problems(at) and not errors(at)
    table = at.dataframe[0].value
    assert list(table.columns) == ["loss", "setting", "slope", "intercept"]
    assert table["slope"].to_numpy() == pytest.approx(2.0, abs=1e-6)
    assert table["intercept"].to_numpy() == pytest.approx(1.0, abs=1e-6)
    assert generated["intercept"].iloc[1:].tolist() != table["intercept"].tolist()
    assert any("Using 12 rows of line.csv" in box.value for box in at.success)
    # Removing the file brings the generated data back, settings untouched.
    at.file_uploader[0].set_value(None).run(timeout=TIMEOUT)
    assert at.dataframe[0].value.equals(generated)


@pytest.mark.parametrize("file", GOOD_FILES, ids=lambda file: file.name)
def test_every_good_file_reaches_its_pages(file: GoodFile):
    for page in PAGES[file.task]:
        at = open_page(page)
        before = figures(at)
        pick_columns(upload(at, "mine.csv", file.raw), file.task, file.columns)
        assert not problems(at), (page, problems(at))
        assert not errors(at), (page, errors(at))
        assert any(f"Using {file.n_rows} rows of mine.csv" in box.value for box in at.success)
        infos = " ".join(box.value for box in at.info)
        for note in file.notes:
            assert note in infos, (page, note)
        assert figures(at) != before, f"{page}: the charts did not change with the file"


@pytest.mark.parametrize(
    "file", [file for file in BAD_FILES if usable_at_the_page(file)], ids=lambda file: file.name
)
def test_every_bad_file_gets_its_sentence_and_the_page_keeps_its_charts(file: BadFile):
    page = PAGES[file.task][0]
    at = open_page(page)
    before = figures(at)
    upload(at, "bad.csv", file.raw)
    if any(box.label == f"{ROLES[file.task][0]} column" for box in at.selectbox):
        pick_columns(at, file.task, file.columns)
    assert not problems(at), problems(at)
    shown = " ".join(errors(at))
    assert "bad.csv cannot be used" in shown
    # The sentence is Markdown-escaped on the page (`ui.own_data.plain`); compare its text.
    assert file.phrase.replace("\\", "") in shown.replace("\\", ""), shown
    assert figures(at) == before, "a bad file changed what the page showed"


@pytest.mark.parametrize("page", ["views/huber.py", "views/gradient_descent.py"])
def test_the_other_regression_pages_refuse_bad_files_too(page: str):
    for file in [file for file in BAD_FILES if file.task == "regression"][::6]:
        at = open_page(page)
        before = figures(at)
        upload(at, "bad.csv", file.raw)
        assert not problems(at), (file.name, problems(at))
        assert "bad.csv cannot be used" in " ".join(errors(at)), file.name
        assert figures(at) == before, file.name


def test_the_page_says_a_link_cannot_carry_a_file_and_the_url_keeps_the_settings():
    at = open_page("views/regression.py", query_params={"reg_data_n": "300"})
    assert any(LINK_NOTE in caption.value for caption in at.caption)
    upload(at, "line.csv", REGRESSION)
    assert at.query_params["reg_data_n"] == ["300"] or at.query_params["reg_data_n"] == "300"
    assert not any("upload" in key for key in at.query_params)


def test_a_scene_fixes_its_data_so_no_upload_is_offered():
    at = open_page("views/regression.py", query_params={"present": "1", "scene": "2"})
    assert not problems(at)
    assert len(at.file_uploader) == 0


def test_a_bad_file_after_a_good_one_keeps_the_good_ones_view():
    at = open_page("views/regression.py")
    upload(at, "line.csv", REGRESSION)
    shown = figures(at)
    formula = next(file for file in BAD_FILES if "formula" in file.name)
    upload(at, "bad.csv", formula.raw)
    assert not problems(at)
    assert "The page goes on with line.csv (x = x, y = y)." in " ".join(errors(at))
    assert figures(at) == shown
    at.file_uploader[0].set_value(None).run(timeout=TIMEOUT)
    assert figures(at) != shown  # removed: the generated data again


def test_a_bad_column_choice_keeps_the_last_good_one():
    # Binary file with columns a, b, label: choosing the label as x1 is refused
    # (losses.upload: a column chosen twice), and the page keeps a, b, label.
    good = next(file for file in GOOD_FILES if file.name.startswith("binary, labels written"))
    at = open_page("views/binary.py")
    pick_columns(upload(at, "mine.csv", good.raw), "binary", good.columns)
    shown = figures(at)
    pick_columns(at, "binary", ("label", "b", "label"))
    assert not problems(at)
    message = " ".join(errors(at))
    assert 'Column "label" is chosen twice' in message
    assert "The page goes on with mine.csv (x1 = a, x2 = b, label = label)." in message
    assert figures(at) == shown
