"""Tests for losses.upload: a student's CSV file read, checked and turned into frames.

Unless a comment says otherwise, every expected value is hand-derived from the bytes written in
the test (or in tests/upload_files.py, whose rows are "i,1+2i" for the line y = 1 + 2x, and
"i,(3i mod 7),i mod 2 or 3" for the classes). Line numbers count the header as line 1.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from losses import fit
from losses.upload import (
    MAX_ROWS,
    MIN_ROWS,
    UploadError,
    binary_frame,
    multiclass_frame,
    numeric_columns,
    read_table,
    regression_frame,
)
from tests.upload_files import BAD_FILES, BUILDERS, GOOD_FILES, REGRESSION, load

PROPERTY = settings(max_examples=200, deadline=None)
TWELVE = np.arange(12.0)  # the x (and x1) column of the corpus files: 0, 1, …, 11


def good(name: str):
    return next(file for file in GOOD_FILES if file.name.startswith(name))


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- Good files ---------------------------------------------------------------------------


def test_the_table_holds_the_header_and_text_cells_indexed_by_line():
    table = read_table(REGRESSION)
    assert table.columns == ["x", "y"]
    assert table.cells.index.tolist() == list(range(2, 14))  # 12 rows below the header
    assert table.cells.loc[2].tolist() == ["0", "1"]
    assert table.cells.loc[13].tolist() == ["11", "23"]  # row 11: 1 + 2·11
    assert all(isinstance(cell, str) for cell in table.cells.to_numpy().ravel())


def test_a_regression_file_gives_the_numbers_written():
    frame = regression_frame(read_table(REGRESSION), "x", "y")
    assert list(frame.columns) == ["x", "y", "is_outlier"]
    assert frame.dtypes.astype(str).tolist() == ["float64", "float64", "bool"]
    np.testing.assert_array_equal(frame["x"], TWELVE)
    np.testing.assert_array_equal(frame["y"], 1.0 + 2.0 * TWELVE)
    assert not frame["is_outlier"].any()
    assert frame.index.equals(pd.RangeIndex(12))
    assert frame.attrs == {
        "n_outliers": 0,
        "true_slope": None,
        "true_intercept": None,
        "notes": [],
        "n_dropped": 0,
        "source": "upload",
    }


def test_bom_windows_endings_spaces_quotes_and_extra_columns_change_nothing():
    file = good("regression, BOM")
    table = read_table(file.raw)
    assert table.columns == ["id", "x", "note", "y"]  # the BOM is not part of "id"
    assert table.cells.loc[2, "note"] == "a, b"  # a quoted comma stays in its cell
    plain = regression_frame(read_table(REGRESSION), "x", "y")
    pd.testing.assert_frame_equal(regression_frame(table, "x", "y"), plain)


def test_fit_regression_on_an_uploaded_exact_line_finds_it():
    result = fit.fit_regression(regression_frame(read_table(REGRESSION), "x", "y"), "mse")
    # The rows lie exactly on y = 1 + 2x, so least squares returns that line (hand-derived).
    assert result.params["slope"] == pytest.approx(2.0, abs=1e-9)
    assert result.params["intercept"] == pytest.approx(1.0, abs=1e-9)


def test_blank_and_missing_cells_drop_their_rows_with_a_note():
    file = good("regression, blank and NA")
    frame = load(file)
    np.testing.assert_array_equal(frame["x"], TWELVE[:10])  # lines 12–15 dropped
    np.testing.assert_array_equal(frame["y"], 1.0 + 2.0 * TWELVE[:10])
    assert frame.attrs["n_dropped"] == 4
    assert frame.attrs["notes"] == list(file.notes)


def test_blanks_in_a_column_not_chosen_are_kept():
    table = read_table(csv_bytes("x,y,comment", *[f"{i},{1 + 2 * i}," for i in range(10)]))
    frame = regression_frame(table, "x", "y")
    assert len(frame) == 10 and frame.attrs["n_dropped"] == 0 and frame.attrs["notes"] == []


def test_a_binary_file_gives_the_numbers_and_counts_written():
    frame = load(good("binary"))
    assert frame.dtypes.astype(str).tolist() == ["float64", "float64", "int64"]
    np.testing.assert_array_equal(frame["x1"], TWELVE)
    np.testing.assert_array_equal(frame["x2"], [0, 3, 6, 2, 5, 1, 4, 0, 3, 6, 2, 5])  # 3i mod 7
    np.testing.assert_array_equal(frame["label"], np.arange(12) % 2)
    assert frame.attrs == {
        "n_positive": 6,
        "n_negative": 6,
        "n_mislabelled": 0,
        "notes": [],
        "n_dropped": 0,
        "source": "upload",
    }


def test_binary_labels_written_as_decimals_and_columns_in_any_order():
    frame = load(good("binary, labels written 0.0"))
    # The file's columns are label, b, a; a (3i mod 7) is chosen as x1 and b (i) as x2.
    np.testing.assert_array_equal(frame["x1"], [0, 3, 6, 2, 5, 1, 4, 0, 3, 6, 2, 5])
    np.testing.assert_array_equal(frame["x2"], TWELVE)
    np.testing.assert_array_equal(frame["label"], np.arange(12) % 2)
    assert frame["label"].dtype == np.int64


def test_a_multiclass_file_gives_labels_counts_and_k():
    frame = load(good("multiclass"))
    np.testing.assert_array_equal(frame["label"], np.arange(12) % 3)
    assert frame.attrs == {
        "class_counts": [4, 4, 4],
        "k": 3,
        "notes": [],
        "n_dropped": 0,
        "source": "upload",
    }


@pytest.mark.parametrize("file", GOOD_FILES, ids=lambda file: file.name)
def test_every_good_file_loads_and_fits_unchanged(file):
    frame = load(file)
    assert len(frame) == file.n_rows
    assert frame.attrs["notes"] == list(file.notes)
    if file.task == "regression":
        result = fit.fit_regression(frame, "huber")
    elif file.task == "binary":
        result = fit.fit_binary(frame, "bce")
    else:
        result = fit.fit_multiclass(frame, "cce", k=frame.attrs["k"])
    assert result.task == file.task
    assert np.all(np.isfinite(result.cost_history))


def test_numeric_columns_are_those_with_only_numbers_and_blanks():
    rows = [
        f"{i},name{i},{'' if i == 3 else i / 4},,{'inf' if i == 5 else i},{i}e2" for i in range(10)
    ]
    table = read_table(csv_bytes("id,name,value,empty,spiky,big", *rows))
    # name is text, empty holds no value, spiky holds "inf" on line 7.
    assert numeric_columns(table) == ["id", "value", "big"]


def test_exactly_min_rows_and_exactly_max_rows_are_enough():
    assert len(read_table(csv_bytes("x,y", *["1,2"] * MIN_ROWS)).cells) == MIN_ROWS
    assert len(read_table(b"x,y\n" + b"1,2\n" * MAX_ROWS).cells) == MAX_ROWS


def test_values_up_to_a_million_are_kept_and_beyond_refused():
    rows = [f"{i},{1 + 2 * i}" for i in range(9)]
    frame = regression_frame(read_table(csv_bytes("x,y", *rows, "-1e6,1000000")), "x", "y")
    assert frame["x"].min() == -1e6 and frame["y"].max() == 1e6
    with pytest.raises(UploadError, match=r'"y", line 11: 1000000.5 is beyond'):
        regression_frame(read_table(csv_bytes("x,y", *rows, "5,1000000.5")), "x", "y")


def test_line_numbers_count_blank_lines_and_lines_inside_quoted_cells():
    rows = [f"{i},{1 + 2 * i},ok" for i in range(10)]
    rows[2] = '2,5,"two\nlines"'  # the record on line 4 ends on line 5
    rows[5] = "\n5,11,ok"  # a blank line 8, then this row on line 9
    rows[8] = "8,oops,ok"  # so this row is on line 12 (lines 10 and 11 hold rows 6 and 7)
    with pytest.raises(UploadError, match='Column "y", line 12: "oops"'):
        regression_frame(read_table(csv_bytes("x,y,note", *rows)), "x", "y")


def test_an_empty_class_is_refused_because_the_softmax_fit_refuses_it():
    bad = next(file for file in BAD_FILES if file.name == "multiclass, a class with no rows")
    # The frame the file would make (labels 0 and 2 only), were it allowed: losses.fit refuses it.
    frame = pd.DataFrame({"x1": TWELVE, "x2": TWELVE % 4, "label": 2 * (np.arange(12) % 2)})
    with pytest.raises(ValueError, match=r"class\(es\) 1 have no points"):
        fit.fit_multiclass(frame, "cce")
    with pytest.raises(UploadError, match="without gaps"):
        load(bad)


# --- Bad files ----------------------------------------------------------------------------


def test_the_corpus_is_large_and_each_entry_named_once():
    assert len(BAD_FILES) >= 35 and len(GOOD_FILES) >= 5
    names = [file.name for file in BAD_FILES + GOOD_FILES]
    assert len(names) == len(set(names))
    assert all(file.task in BUILDERS for file in BAD_FILES + GOOD_FILES)


@pytest.mark.parametrize("file", BAD_FILES, ids=lambda file: file.name)
def test_every_bad_file_is_refused_with_a_sentence_naming_the_problem(file):
    with pytest.raises(UploadError) as caught:  # any other exception fails the test too
        load(file)
    assert type(caught.value) is UploadError, repr(caught.value)
    message = str(caught.value)
    assert file.phrase in message
    assert message.endswith(".") and len(message) <= 320 and "\n" not in message


# --- Properties ---------------------------------------------------------------------------

NUMBERS = st.integers(0, 3).map(str) | st.floats(-1e3, 1e3).map(repr)
PLAIN = st.characters(codec="utf-8", exclude_characters=',"\r\n')  # cannot change the row's shape
CELLS = st.one_of(
    st.sampled_from(["0", "1", "2", "-1", "0.5", "1.0", "3", "9", "10", "", " ", "NA", "nan"]),
    st.sampled_from(["inf", "abc", "=1+1", "1e400", "1e6", '"1,5"', "+2", ".5e-3", "1_0"]),
    st.integers(-3, 12).map(str),
    st.floats().map(repr),
    st.text(PLAIN, max_size=4),
)


@st.composite
def csv_like(draw) -> bytes:
    """A header and 8–16 rows of numbers, labels, blanks and text; a few with broken quoting,
    repeated or empty names, or a row of the wrong length."""
    width = draw(st.integers(1, 4))
    names = ["x", "y", "label", "a b", "é", "1"][: draw(st.integers(width, 6))]
    header = draw(st.permutations(names))[:width]
    # Each column holds fit-ready numbers (small whole numbers: labels too) or anything.
    kinds = draw(
        st.lists(st.sampled_from([NUMBERS, NUMBERS, CELLS]), min_size=width, max_size=width)
    )
    rows = draw(st.lists(st.tuples(*kinds).map(list), min_size=8, max_size=16))
    odd = st.sampled_from(['"', '"x"y', "\r", ",", ""]) | st.text(max_size=3)
    if draw(st.integers(0, 4)) == 0:  # one cell anywhere becomes something that may break
        cells = [header, *rows][draw(st.integers(0, len(rows)))]
        cells[draw(st.integers(0, width - 1))] = draw(odd)
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return eol.join(",".join(cells) for cells in [header, *rows]).encode("utf-8")


def loads_or_refuses(raw: bytes) -> None:
    """read_table and then each builder on the first columns: a frame or an UploadError."""
    try:
        table = read_table(raw)
    except UploadError:
        return
    first = table.columns[:3] + [table.columns[-1]] * (3 - len(table.columns))
    for build, columns in (
        (regression_frame, first[:2]),
        (binary_frame, first),
        (multiclass_frame, first),
    ):
        try:
            frame = build(table, *columns)
        except UploadError:
            continue
        assert len(frame) >= MIN_ROWS and np.all(np.isfinite(frame.to_numpy(dtype=float)))
    numeric_columns(table)


@PROPERTY
@given(st.binary(max_size=400))
def test_any_bytes_load_or_are_refused_with_an_upload_error(raw):
    loads_or_refuses(raw)


@PROPERTY
@given(st.text(max_size=400))
def test_any_text_loads_or_is_refused_with_an_upload_error(text):
    loads_or_refuses(text.encode("utf-8"))


@PROPERTY
@given(csv_like())
def test_any_csv_like_file_loads_or_is_refused_with_an_upload_error(raw):
    loads_or_refuses(raw)


# --- Column suggestions -------------------------------------------------------------------


def test_suggested_columns_take_named_columns_first():
    from losses.upload import suggested_columns

    table = read_table(csv_bytes("id,y,note,x", *[f"{i},{2 * i},n{i},{i}" for i in range(12)]))
    assert suggested_columns(table, ("x", "y")) == ("x", "y")
    table = read_table(csv_bytes("Class,f1,f2", *[f"{i % 2},{i},{i % 5}" for i in range(12)]))
    assert suggested_columns(table, ("x1", "x2", "label")) == ("f1", "f2", "Class")


def test_suggested_columns_prefer_numbers_and_the_last_numeric_column_as_label():
    from losses.upload import suggested_columns

    rows = [f"n{i},{i},{i % 4},{i % 2}" for i in range(12)]
    table = read_table(csv_bytes("name,a,b,c", *rows))
    assert suggested_columns(table, ("x", "y")) == ("a", "b")
    assert suggested_columns(table, ("x1", "x2", "label")) == ("a", "b", "c")


def test_suggested_columns_fall_back_to_text_columns_so_the_page_can_say_why():
    from losses.upload import suggested_columns

    table = read_table(csv_bytes("a,b", *[f"{i},n{i}" for i in range(12)]))
    # One numeric column for two roles: the text column is offered, and its frame says why.
    assert suggested_columns(table, ("x", "y")) == ("a", "b")
    with pytest.raises(UploadError, match='Column "b", line 2: "n0" is not a number'):
        regression_frame(table, *suggested_columns(table, ("x", "y")))


# --- Review findings: a spread too small to standardise, too many columns ------------------


@pytest.mark.parametrize(
    "x_values",
    [
        [1.0 + (i == 0) * 2.220446049250313e-16 for i in range(12)],  # 1 ulp apart, by hand
        [1e-200 * (i + 1) for i in range(12)],  # squares underflow: numpy std is 0
    ],
    ids=["one ulp", "1e-200"],
)
def test_a_column_that_barely_varies_is_refused_before_the_fit(x_values):
    raw = csv_bytes("x,y", *[f"{x!r},{i}" for i, x in enumerate(x_values)])
    with pytest.raises(UploadError, match='Column "x" varies too little to fit to'):
        regression_frame(read_table(raw), "x", "y")
    rows = [f"{x!r},{i % 3},{i % 2}" for i, x in enumerate(x_values)]
    with pytest.raises(UploadError, match='Column "x1" varies too little'):
        binary_frame(read_table(csv_bytes("x1,x2,label", *rows)), "x1", "x2", "label")


def test_a_small_but_ordinary_spread_is_kept_and_fits():
    # x in millionths: std ≈ 3.5e-6, far above 1e-9 × 1.1e-5; y = 1 + 2e6·x (hand-made), so
    # least squares gives slope 2e6 exactly up to rounding.
    x_values = [1e-6 * i for i in range(12)]
    raw = csv_bytes("x,y", *[f"{x!r},{1 + 2e6 * x!r}" for x in x_values])
    frame = regression_frame(read_table(raw), "x", "y")
    assert fit.fit_regression(frame, "mse").params["slope"] == pytest.approx(2e6, rel=1e-9)


def test_more_than_a_hundred_columns_are_refused():
    header = ",".join(f"c{i}" for i in range(101))
    raw = csv_bytes(header, *[",".join(["1"] * 101)] * 12)
    with pytest.raises(
        UploadError, match="The file has 101 columns; the explorer reads at most 100"
    ):
        read_table(raw)
    read_table(csv_bytes(",".join(f"c{i}" for i in range(100)), *[",".join(["1"] * 100)] * 12))
