"""Uploaded files for `losses.upload`, good and bad, each saying what it should produce.

`BAD_FILES`: each `BadFile` holds the raw bytes, the task and columns a student would choose,
and a phrase the `UploadError` message must contain. `GOOD_FILES`: each `GoodFile` holds the raw
bytes, the task and columns, the rows kept and the notes expected. `load(file)` runs either
through `read_table` and the task's frame builder, as a page would.

Importing builds the bytes (about half a megabyte for the over-long file) and nothing else.
Line numbers in the phrases count the header as line 1; the data rows below are hand-written
(row i of `_rows` is on line i + 2).
"""

from __future__ import annotations

from dataclasses import dataclass

from losses.upload import (
    MAX_ROWS,
    binary_frame,
    multiclass_frame,
    read_table,
    regression_frame,
)

BUILDERS = {
    "regression": regression_frame,
    "binary": binary_frame,
    "multiclass": multiclass_frame,
}


@dataclass(frozen=True)
class BadFile:
    name: str
    raw: bytes
    task: str  # "regression", "binary" or "multiclass"
    columns: tuple[str, ...]  # the columns chosen, in the builder's order
    phrase: str  # the UploadError's message contains this


@dataclass(frozen=True)
class GoodFile:
    name: str
    raw: bytes
    task: str
    columns: tuple[str, ...]
    n_rows: int  # rows in the frame
    notes: tuple[str, ...] = ()  # the frame's attrs["notes"], exactly


def load(file: BadFile | GoodFile):
    """The frame a page would build from ``file``: `read_table`, then the task's builder."""
    return BUILDERS[file.task](read_table(file.raw), *file.columns)


def _csv(lines: list[str], eol: str = "\n") -> bytes:
    return (eol.join(lines) + eol).encode("utf-8")


def _rows(task: str, n: int = 12) -> list[str]:
    """n data rows, row i: regression "i,1+2i" (the line y = 1 + 2x); binary "i,(3i mod 7),i mod 2";
    multiclass "i,(3i mod 7),i mod 3"."""
    if task == "regression":
        return [f"{i},{1 + 2 * i}" for i in range(n)]
    classes = 2 if task == "binary" else 3
    return [f"{i},{3 * i % 7},{i % classes}" for i in range(n)]


HEADERS = {"regression": "x,y", "binary": "x1,x2,label", "multiclass": "x1,x2,label"}
COLUMNS = {
    "regression": ("x", "y"),
    "binary": ("x1", "x2", "label"),
    "multiclass": ("x1", "x2", "label"),
}


def _with_row(task: str, index: int, row: str, n: int = 12) -> bytes:
    """The task's standard file with data row ``index`` (on line index + 2) replaced."""
    rows = _rows(task, n)
    rows[index] = row
    return _csv([HEADERS[task], *rows])


def _bad(name: str, raw: bytes, phrase: str, task: str = "regression", columns=None) -> BadFile:
    return BadFile(name, raw, task, tuple(columns or COLUMNS[task]), phrase)


REGRESSION = _csv(["x,y", *_rows("regression")])

BAD_FILES = [
    # The file itself (read_table).
    _bad("zero bytes", b"", "The file is empty"),
    _bad("only whitespace", b"  \r\n\t\n  ", "The file is empty"),
    _bad("only a byte-order mark", b"\xef\xbb\xbf\r\n", "The file is empty"),
    _bad("only commas", b",,\n,,\n", "The file holds no values"),
    _bad("only a header", b"x,y\n", "a header but no data rows"),
    _bad("a header and 3 rows", _csv(["x,y", "0,1", "1,3", "2,5"]), "only 3 data rows"),
    _bad("UTF-16 with a byte-order mark", "x,y\n0,1\n".encode("utf-16"), "UTF-16"),
    _bad("UTF-16 without a byte-order mark", "x,y\n0,1\n".encode("utf-16-le"), "NUL bytes"),
    _bad("Latin-1 é", "x,poids (é)\n0,1\n".encode("latin-1"), "saved as UTF-8 CSV"),
    _bad("a PNG renamed .csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text CSV file"),
    _bad(
        "an XLSX renamed .csv",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml",
        "looks like an Excel (.xlsx) or zip file",
    ),
    _bad("an old XLS renamed .csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel (.xls)"),
    _bad("a NUL byte inside", REGRESSION.replace(b"3,7", b"3\x00,7"), "NUL bytes"),
    _bad("semicolon-separated", REGRESSION.replace(b",", b";"), "separated by commas"),
    _bad("tab-separated", REGRESSION.replace(b",", b"\t"), "It seems to use tabs"),
    _bad(
        "a row with an extra value",
        _with_row("regression", 3, "3,7,9"),
        "Line 5 has 3 values but the first row names 2 columns",
    ),
    _bad("a row with a missing value", _with_row("regression", 2, "2"), "Line 4 has 1 value "),
    _bad("a space after a closing quote", _with_row("regression", 1, '"1" ,3'), "Line 3 could not"),
    _bad("an unclosed quote", _with_row("regression", 10, '10,"21'), "Line 12 could not be read"),
    _bad(
        "a cell over the csv field limit",
        _with_row("regression", 0, '0,"' + "1" * 200_000 + '"'),
        "Line 2 could not be read as CSV",
    ),
    _bad("duplicate column names", _csv(["x,x", *_rows("regression")]), '"x" appears twice'),
    _bad("an empty column name", _csv(["x,", *_rows("regression")]), "Column 2 has no name"),
    _bad(
        "a numeric first row (no header)",
        _csv(_rows("regression")),
        "the first row must name the columns",
    ),
    _bad("MAX_ROWS + 1 rows", b"x,y\n" + b"1,3\n" * (MAX_ROWS + 1), "more than 100,000 data rows"),
    # Cells (the frame builders).
    _bad(
        "a word in y",
        _with_row("regression", 5, "5,abc"),
        'Column "y", line 7: "abc" is not a number.',
    ),
    _bad(
        "formula =cmd",
        _with_row("regression", 1, "1,=cmd|' /C calc'!A0"),
        """line 3: "=cmd|' /C calc'!A0" is not a number. A cell starting with =, +, - or @ is """
        "treated as text",
    ),
    _bad(
        "formula +1+1",
        _with_row("regression", 1, "+1+1,3"),
        'Column "x", line 3: "+1+1" is not a number. A cell starting',
    ),
    _bad("formula @SUM(A1)", _with_row("regression", 1, "1,@SUM(A1)"), "is treated as text"),
    _bad("formula -2+3", _with_row("regression", 1, "-2+3,3"), '"-2+3" is not a number. A cell'),
    _bad(
        "inf typed as text",
        _with_row("regression", 4, "4,inf"),
        '"inf" is not a number. Only finite numbers',
    ),
    _bad("-Infinity typed as text", _with_row("regression", 4, "-Infinity,9"), "Only finite"),
    _bad(
        "a decimal comma",
        _with_row("regression", 4, '4,"1,5"'),
        '"1,5" is not a number. Use a dot, not a comma',
    ),
    _bad("a thousands separator", _with_row("regression", 4, '"1,000",9'), '"1,000" is not a'),
    _bad(
        "a long cell, shown truncated",
        _with_row("regression", 4, "4," + "a" * 30),
        '"' + "a" * 20 + '…" is not a number.',
    ),
    _bad(
        "a number past float range",
        _with_row("regression", 4, "4,1e400"),
        "line 6: 1e400 is beyond ±1,000,000",
    ),
    _bad(
        "a number beyond a million",
        _with_row("regression", 4, "-2000000,9"),
        'Column "x", line 6: -2000000 is beyond ±1,000,000',
    ),
    _bad(
        "constant x",
        _csv(["x,y", *[f"3,{i}" for i in range(12)]]),
        "a line needs at least two different x values",
    ),
    _bad(
        "too few rows after dropping blanks",
        _csv(["x,y", *_rows("regression", 10)[:8], "8,", "NA,19"]),
        "Only 8 rows have a value in every chosen column (after dropping 2",
    ),
    _bad(
        "a chosen column missing",
        REGRESSION,
        'The y column "z" is not in the file',
        columns=("x", "z"),
    ),
    _bad("the same column twice", REGRESSION, 'Column "x" is chosen twice', columns=("x", "x")),
    # Labels.
    _bad(
        "binary label 2",
        _with_row("binary", 6, "6,4,2"),
        'line 8: "2" is not a label; binary labels must be 0 or 1',
        task="binary",
    ),
    _bad(
        "binary label -1",
        _with_row("binary", 0, "0,0,-1"),
        'line 2: "-1" is not a label',
        task="binary",
    ),
    _bad(
        "binary label 0.5",
        _with_row("binary", 3, "3,2,0.5"),
        'line 5: "0.5" is not a label',
        task="binary",
    ),
    _bad(
        "binary label yes",
        _with_row("binary", 9, "9,6,yes"),
        'line 11: "yes" is not a label',
        task="binary",
    ),
    _bad(
        "binary, one class",
        _csv(["x1,x2,label", *[f"{i},{i % 4},1" for i in range(12)]]),
        "needs at least two classes (both 0s and 1s)",
        task="binary",
    ),
    _bad(
        "binary, a constant feature",
        _csv(["x1,x2,label", *[f"{i},5,{i % 2}" for i in range(12)]]),
        'Every value of column "x2" is 5; a classifier needs each feature to vary',
        task="binary",
    ),
    _bad(
        "multiclass label 10",
        _with_row("multiclass", 4, "4,5,10"),
        'line 6: "10" is not a label; multiclass labels must be whole numbers 0 to 9',
        task="multiclass",
    ),
    _bad(
        "multiclass label 3.5",
        _with_row("multiclass", 7, "7,0,3.5"),
        'line 9: "3.5" is not',
        task="multiclass",
    ),
    _bad(
        "multiclass, one class",
        _csv(["x1,x2,label", *[f"{i},{i % 4},2" for i in range(12)]]),
        "Every row has label 2",
        task="multiclass",
    ),
    _bad(
        "multiclass, a class with no rows",
        _csv(["x1,x2,label", *[f"{i},{i % 4},{2 * (i % 2)}" for i in range(12)]]),
        "No row has label 1, yet the labels go up to 2",
        task="multiclass",
    ),
    _bad(
        "x one ulp apart (a spread too small to standardise)",
        _csv(["x,y", "1.0000000000000002,1", *[f"1.0,{i}" for i in range(1, 12)]]),
        'Column "x" varies too little to fit to',
    ),
    _bad(
        "binary, a feature of 1e-200s (its square underflows)",
        _csv(["x1,x2,label", *[f"{i + 1}e-200,{i % 4},{i % 2}" for i in range(12)]]),
        'Column "x1" varies too little to fit to',
        task="binary",
    ),
    _bad(
        "101 columns",
        _csv([",".join(f"c{i}" for i in range(101)), *[",".join("1" * 101)] * 12]),
        "The file has 101 columns; the explorer reads at most 100",
        columns=("c0", "c1"),
    ),
]

GOOD_FILES = [
    GoodFile("regression, the line y = 1 + 2x", REGRESSION, "regression", ("x", "y"), 12),
    GoodFile(
        "regression, BOM, Windows line endings, spaces after commas, quotes, extra columns",
        b"\xef\xbb\xbf"
        + _csv(
            ['id, "x",note, y', *[f'{i}, {i},"a, b", "{1 + 2 * i}"' for i in range(12)]],
            eol="\r\n",
        ),
        "regression",
        ("x", "y"),
        12,
    ),
    GoodFile(
        "regression, blank and NA cells dropped",
        _csv(["x,y", *_rows("regression")[:10], "10,", " ,23", "NaN,25", "13,n/a"]),
        "regression",
        ("x", "y"),
        10,
        (
            'Dropped 4 rows with a blank or missing (NA) cell in "x" or "y" (lines 12, 13, 14, '
            "15); 10 rows are used.",
        ),
    ),
    GoodFile(
        "binary", _csv(["x1,x2,label", *_rows("binary")]), "binary", ("x1", "x2", "label"), 12
    ),
    GoodFile(
        "binary, labels written 0.0 and 1.0, columns in another order",
        _csv(["label,b,a", *[f"{i % 2}.0,{i},{3 * i % 7}" for i in range(12)]]),
        "binary",
        ("a", "b", "label"),
        12,
    ),
    GoodFile(
        "multiclass",
        _csv(["x1,x2,label", *_rows("multiclass")]),
        "multiclass",
        ("x1", "x2", "label"),
        12,
    ),
]
