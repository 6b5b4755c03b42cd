"""A student's uploaded CSV file, checked and turned into the frames the pages consume.

    table = read_table(uploaded.getvalue())        # the file as text: header and cells
    numeric_columns(table)                          # the choices for the column pickers
    frame = regression_frame(table, "hours", "score")

`read_table` checks the file (text, UTF-8, comma-separated, a header, 10..100,000 rows);
the frame builders check the chosen columns and return frames shaped like
`losses.data.make_regression` / `make_binary` / `make_multiclass`, which the fits in
`losses.fit` take unchanged. Every refusal is an `UploadError` whose message says what to change.

Decisions a student may meet:
- Numbers are plain decimals (ASCII digits, sign, point, exponent: ``-1.5e3``). Refused as text:
  thousands separators, a decimal comma, ``inf``, and any cell starting with =, +, - or @ that is
  not such a number (a spreadsheet formula is never evaluated).
- Blank cells are empty, whitespace, or a missing-value marker ``NA``, ``N/A``, ``NaN`` (any case,
  as spreadsheets, R and pandas write them). A row with a blank in a chosen column is dropped and a
  note says how many and where. Rows with no value at all (blank lines, ``,,,``) are skipped.
- Values beyond ±1e6 are refused, not rescaled: the student should see their own numbers, and the
  charts and fits are scaled for ordinary ones.
- Labels are numbers, so ``1.0`` is 1. Binary: 0 or 1, both present. Multiclass: whole numbers
  0..k−1, k ≤ 10, at least two classes, and no class in 0..k−1 without rows (`fit_multiclass`
  refuses an empty class, so the frame would be unusable).
- A feature with one value on every row is refused: the fits standardise each feature and
  cannot (`losses.fit.result.standardise`); so is one whose standard deviation is at most
  `MIN_SPREAD` of its largest |value| (1 and 1 + 1e-16; or 1e-200s, whose square underflows).
- At most `MAX_COLUMNS` columns: the column pickers list them all, and a student needs three.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_ROWS = 100_000
MIN_ROWS = 10
MAX_CLASSES = 10
MAX_MAGNITUDE = 1e6
MIN_SPREAD = 1e-9  # a feature's standard deviation, relative to its largest |value|
MAX_COLUMNS = 100
MISSING = frozenset({"", "na", "n/a", "nan"})  # compared with the stripped, lower-cased cell
# Matched whole; [0-9], not \d, which in Python's re also matches other scripts' digits.
NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(NUMBER)
EXPORT = "In your spreadsheet, save or download the sheet as CSV (UTF-8) and upload that file."
SEPARATORS = ((";", "semicolons"), ("\t", "tabs"))
# The first bytes of files students rename to .csv (the magic numbers file(1) knows them by).
SIGNATURES = {
    (b"PK\x03\x04", b"PK\x05\x06"): "an Excel (.xlsx) or zip file",
    (b"\xd0\xcf\x11\xe0",): "an old Excel (.xls) file",
    (b"\x89PNG", b"\xff\xd8\xff", b"GIF8"): "an image (PNG, JPEG or GIF)",
    (b"%PDF", b"\x1f\x8b"): "a PDF or compressed file",
}


class UploadError(ValueError):
    """An uploaded file or column choice that cannot be used; the message says what to change."""


@dataclass(frozen=True, eq=False)
class Table:
    """An uploaded CSV as text, nothing parsed as a number yet.

    ``cells``: a DataFrame of str, one column per header name (in file order), indexed by each
    row's line number in the file (the header is line 1), so messages can name the line.
    """

    cells: pd.DataFrame

    @property
    def columns(self) -> list[str]:
        return list(self.cells.columns)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + "s" * (n != 1)


def _shown(cell: str) -> str:
    # At most 20 characters, control characters (a newline in a quoted cell) escaped.
    short = cell if len(cell) <= 20 else cell[:20] + "…"
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in short)


EMPTY = f"The file is empty; upload a CSV with a header row and {MIN_ROWS} or more rows of data."


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise UploadError(EMPTY)
    for signature, kind in SIGNATURES.items():
        if raw.startswith(signature):
            raise UploadError(f"This is not a text CSV file: it looks like {kind}. {EXPORT}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadError(f"The file is UTF-16 text; it must be saved as UTF-8 CSV. {EXPORT}")
    if b"\x00" in raw:
        raise UploadError(f"The file holds NUL bytes, so it is not a text CSV file. {EXPORT}")
    try:
        text = raw.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UploadError(
            f"The file is not UTF-8 text (line {line} holds the byte 0x{raw[error.start]:02x}, "
            f"e.g. an é saved as Latin-1); it must be saved as UTF-8 CSV. {EXPORT}"
        ) from None
    if not text.strip():
        raise UploadError(EMPTY)
    return text


def _header(row: list[str]) -> list[str]:
    names = [cell.strip() for cell in row]
    if len(names) < 2:
        used = next(
            (f" It seems to use {name}." for sign, name in SEPARATORS if sign in row[0]), ""
        )
        raise UploadError(
            f"The file has only one column; a CSV needs at least two columns separated by "
            f"commas.{used}"
        )
    if len(names) > MAX_COLUMNS:
        raise UploadError(
            f"The file has {len(names):,} columns; the explorer reads at most {MAX_COLUMNS}. "
            "Save only the columns you need (two for a line, three for a classifier)."
        )
    if all(_NUMBER.fullmatch(name) for name in names):
        raise UploadError(
            "The first row holds only numbers, but the first row must name the columns "
            "(for example x,y); add a header row above the data."
        )
    if "" in names:
        position = names.index("") + 1
        raise UploadError(f"Column {position} has no name; the first row must name every column.")
    repeated = next((name for name, count in Counter(names).items() if count > 1), "")
    if repeated:
        raise UploadError(
            f'The column name "{_shown(repeated)}" appears twice; name each column once.'
        )
    return names


def read_table(raw: bytes) -> Table:
    """The header and text cells of an uploaded CSV file (bytes, as the upload widget gives them).

    Refuses: an empty or binary file (NUL bytes, an Excel, zip or image signature), text not in
    UTF-8 (a byte-order mark is fine), broken quoting, rows of the wrong length, fewer than two
    columns, a first row of numbers, empty or repeated names, fewer than `MIN_ROWS` or more than
    `MAX_ROWS` data rows (reading stops at row MAX_ROWS + 1, so a huge file costs no more).
    """
    text = _decode(bytes(raw))
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    header, body, lines, line = None, [], [], 0
    try:
        for row in reader:
            start, line = line + 1, reader.line_num  # a quoted cell may span several lines
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = _header(row)
            elif len(row) != len(header):
                raise UploadError(
                    f"Line {start} has {_count(len(row), 'value')} but the first row "
                    f"names {len(header)} columns; every row needs one value per column (look for "
                    "a missing or extra comma, or a decimal comma in an unquoted number)."
                )
            elif len(body) == MAX_ROWS:
                raise UploadError(
                    f"The file has more than {MAX_ROWS:,} data rows, the most the "
                    "explorer takes; upload a sample of the rows."
                )
            else:
                body.append(row)
                lines.append(start)
    except csv.Error as error:
        message = f"Line {line + 1} could not be read as CSV ({error}); check its quotes."
        raise UploadError(message) from None
    if header is None:
        raise UploadError("The file holds no values; upload a CSV with a header row and data.")
    if len(body) < MIN_ROWS:
        held = f"only {_count(len(body), 'data row')}" if body else "a header but no data rows"
        raise UploadError(f"The file has {held}; upload at least {MIN_ROWS} rows of data.")
    cells = pd.DataFrame(body, columns=header, index=pd.Index(lines, name="line"), dtype=str)
    return Table(cells)


def _blank(cells: pd.Series) -> pd.Series:
    return cells.str.strip().str.lower().isin(MISSING)


def _is_number(cells: pd.Series) -> np.ndarray:
    return cells.str.strip().str.fullmatch(NUMBER).to_numpy(dtype=bool)


def _floats(cells: pd.Series) -> np.ndarray:
    # Cells that matched NUMBER, correctly rounded like Python's float ("1e400" becomes inf).
    return cells.astype(np.float64).to_numpy()


def numeric_columns(table: Table) -> list[str]:
    """The columns, in file order, with at least one value and every non-blank cell a finite
    number: the choices for a page's column pickers."""
    names = []
    for name in table.columns:
        cells = table.cells[name].str.strip()
        filled = cells[~_blank(cells)]
        if len(filled) and _is_number(filled).all() and np.isfinite(_floats(filled)).all():
            names.append(name)
    return names


def _not_a_number(name: str, line: int, cell: str) -> UploadError:
    if cell.lower().lstrip("+-") in {"inf", "infinity"}:
        why = " Only finite numbers can be fitted."
    elif cell[:1] in "=+-@":
        why = " A cell starting with =, +, - or @ is treated as text; formulas are not evaluated."
    elif re.fullmatch(r"[+-]?\d+,\d+", cell):
        why = " Use a dot, not a comma, as the decimal point."
    else:
        why = ""
    return UploadError(f'Column "{name}", line {line}: "{_shown(cell)}" is not a number.{why}')


def _numbers(cells: pd.Series, name: str) -> np.ndarray:
    """The float64 values of stripped, non-blank cells, each a number within ±MAX_MAGNITUDE."""
    is_number = _is_number(cells)
    if not is_number.all():
        line = cells.index[~is_number][0]
        raise _not_a_number(_shown(name), line, cells.loc[line])
    values = _floats(cells)
    too_large = np.abs(values) > MAX_MAGNITUDE  # and inf, from "1e400"
    if too_large.any():
        line = cells.index[too_large][0]
        raise UploadError(
            f'Column "{_shown(name)}", line {line}: {_shown(cells.loc[line])} is beyond '
            f"±{MAX_MAGNITUDE:,.0f}; the charts and fits are scaled for ordinary numbers, so "
            "rescale the column first (for example into thousands)."
        )
    return values


def _labels(cells: pd.Series, name: str, k_max: int, rule: str) -> np.ndarray:
    """Class labels: whole numbers 0..k_max−1, written "1" or "1.0"."""
    is_number = _is_number(cells)
    values = _floats(cells.where(is_number, "nan"))
    valid = is_number & (values >= 0) & (values < k_max) & (values == np.floor(values))
    if not valid.all():
        line = cells.index[~valid][0]
        cell = _shown(cells.loc[line])
        raise UploadError(f'Column "{_shown(name)}", line {line}: "{cell}" is not a label; {rule}.')
    return values.astype(np.int64)


def _chosen(table: Table, roles: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    """The stripped cells of the chosen columns (role → column name), rows with a blank cell
    dropped, and the attrs every uploaded frame carries: notes, n_dropped, source."""
    for role, name in roles.items():
        if name not in table.cells.columns:
            listed = ", ".join(f'"{_shown(str(column))}"' for column in table.columns[:12])
            raise UploadError(
                f'The {role} column "{_shown(str(name))}" is not in the file; its columns are '
                f"{listed}{', …' if len(table.columns) > 12 else ''}."
            )
    names = list(roles.values())
    for position, name in enumerate(names):
        if name in names[:position]:
            raise UploadError(
                f'Column "{_shown(name)}" is chosen twice; choose a different column for each '
                f"of {', '.join(roles)}."
            )
    cells = pd.DataFrame({name: table.cells[name].str.strip() for name in names})
    blank = cells.apply(_blank).any(axis=1).to_numpy()
    n_dropped, kept = int(blank.sum()), cells[~blank]
    notes = []
    if n_dropped:
        lines = ", ".join(map(str, cells.index[blank][:5])) + (", …" if n_dropped > 5 else "")
        chosen = " or ".join(f'"{_shown(name)}"' for name in names)
        notes.append(
            f"Dropped {_count(n_dropped, 'row')} with a blank or missing (NA) cell in {chosen} "
            f"(line{'s' * (n_dropped > 1)} {lines}); "
            f"{len(kept)} rows are used."
        )
    if len(kept) < MIN_ROWS:
        raise UploadError(
            f"Only {len(kept)} rows have a value in every chosen column (after dropping "
            f"{n_dropped} with blank cells); at least {MIN_ROWS} are needed."
        )
    return kept, {"notes": notes, "n_dropped": n_dropped, "source": "upload"}


def _varying(values: np.ndarray, name: str, why: str) -> np.ndarray:
    if values.min() == values.max():
        raise UploadError(f'Every value of column "{_shown(name)}" is {values[0]:g}; {why}.')
    # The fits divide by the standard deviation (`losses.fit.result.standardise`): one a
    # billionth of the values' size or less (x = 1 and 1 + 1e-16) makes a slope of noise,
    # and below ~1e-154 its square underflows to 0.
    if not np.std(values) > MIN_SPREAD * np.max(np.abs(values)):
        raise UploadError(
            f'Column "{_shown(name)}" varies too little to fit to (its values run from '
            f"{values.min():.17g} to {values.max():.17g}); subtract a common offset or rescale "
            "it (into thousandths, say), or choose another column."
        )
    return values


def _framed(columns: dict[str, np.ndarray], attrs: dict) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame.attrs = attrs
    return frame


def regression_frame(table: Table, x: str, y: str) -> pd.DataFrame:
    """A frame like `losses.data.make_regression`'s from two chosen columns of ``table``.

    Columns ``x``, ``y`` (float64), ``is_outlier`` (all False: none is known to be one);
    ``attrs``: n_outliers=0, true_slope=None, true_intercept=None (no true line is known),
    notes, n_dropped (rows with a blank cell), source="upload".
    """
    cells, attrs = _chosen(table, {"x": x, "y": y})
    x_values = _varying(_numbers(cells[x], x), x, "a line needs at least two different x values")
    y_values = _numbers(cells[y], y)
    columns = {"x": x_values, "y": y_values, "is_outlier": np.zeros(len(cells), dtype=bool)}
    truth = {"n_outliers": 0, "true_slope": None, "true_intercept": None}
    return _framed(columns, truth | attrs)


def _classes(table: Table, x1: str, x2: str, label: str, k_max: int, rule: str):
    cells, attrs = _chosen(table, {"x1": x1, "x2": x2, "label": label})
    why = "a classifier needs each feature to vary, so choose another column"
    features = {
        role: _varying(_numbers(cells[name], name), name, why)
        for role, name in (("x1", x1), ("x2", x2))
    }
    labels = _labels(cells[label], label, k_max, rule)
    if labels.min() == labels.max():
        raise UploadError(
            f'Every row has label {labels[0]} in column "{_shown(label)}"; a classifier needs '
            f"at least two classes{' (both 0s and 1s)' if k_max == 2 else ''}."
        )
    return features | {"label": labels}, attrs


def binary_frame(table: Table, x1: str, x2: str, label: str) -> pd.DataFrame:
    """A frame like `losses.data.make_binary`'s from three chosen columns of ``table``.

    Columns ``x1``, ``x2`` (float64), ``label`` (int64, 0 or 1, both present); ``attrs``:
    n_positive, n_negative, n_mislabelled=0 (not known), notes, n_dropped, source="upload".
    """
    columns, attrs = _classes(table, x1, x2, label, 2, "binary labels must be 0 or 1")
    n_positive = int(columns["label"].sum())
    counts = {"n_positive": n_positive, "n_negative": len(columns["label"]) - n_positive}
    return _framed(columns, counts | {"n_mislabelled": 0} | attrs)


def multiclass_frame(table: Table, x1: str, x2: str, label: str) -> pd.DataFrame:
    """A frame like `losses.data.make_multiclass`'s from three chosen columns of ``table``.

    Columns ``x1``, ``x2`` (float64), ``label`` (int64 in 0..k−1, k = largest label + 1 ≤
    `MAX_CLASSES`, every class with a row); ``attrs``: class_counts (k ints), notes, n_dropped,
    k, source="upload". Fit with ``fit_multiclass(frame, loss_id, k=frame.attrs["k"])``.
    """
    rule = f"multiclass labels must be whole numbers 0 to {MAX_CLASSES - 1}"
    columns, attrs = _classes(table, x1, x2, label, MAX_CLASSES, rule)
    counts = np.bincount(columns["label"])
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        raise UploadError(
            f"No row has label {', '.join(map(str, empty))}, yet the labels go up to "
            f"{len(counts) - 1}; number the classes 0 to k−1 without gaps, since the softmax fit "
            "needs a point of every class."
        )
    classes = {"class_counts": [int(count) for count in counts], "k": len(counts)}
    return _framed(columns, classes | attrs)


# Names a student's file may give its label column, compared case-insensitively.
LABEL_NAMES = ("label", "class", "target", "y")


def suggested_columns(table: Table, roles: tuple[str, ...]) -> tuple[str, ...]:
    """A column per role for the pickers to start at: a column named like the role
    ("x", "y"; "label" or `LABEL_NAMES` for a label) if there is one, else the numeric columns
    in file order, then the others (so a wrong choice says which cell is not a number).
    Roles get different columns while the file has enough of them."""
    numeric = numeric_columns(table)
    pool = numeric + [name for name in table.columns if name not in numeric]
    by_name = {name.strip().lower(): name for name in table.columns}
    chosen: dict[str, str] = {}
    for role in roles:
        wanted = LABEL_NAMES if role == "label" else (role,)
        named = next((by_name[name] for name in wanted if name in by_name), None)
        if named is not None and named not in chosen.values():
            chosen[role] = named
    for role in roles:
        if role not in chosen:
            free = [name for name in pool if name not in chosen.values()]
            if role == "label":  # the last numeric column left, as in x1,x2,label files
                free = [name for name in numeric[::-1] if name not in chosen.values()] or free
            chosen[role] = free[0] if free else pool[0]
    return tuple(chosen[role] for role in roles)
