"""Bring your own data: a CSV upload under a page's data settings, and its column pickers.

    data_args = own_data.override(data_args, "regression", key_prefix="reg")

returns the page's generator arguments unchanged until a usable file and columns are picked,
then ``{"upload": (digest, *column names)}`` (plus ``k`` for multi-class), which the data
functions of `ui.cache` build the frame from. A bad file or column gets its sentence from
`losses.upload` and the page goes on with the generated data it showed. A scene fixes its own
data, so no upload is offered while one is shown.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from losses import upload
from ui import scenes, uploads
from ui.uploads import plain

LINK_NOTE = (
    "A link cannot carry an uploaded file: a shared link opens with the generated data, "
    "and the URL keeps the generator settings above."
)
HELP = {
    "regression": "A CSV file (UTF-8, comma-separated) with a header row and 10 to 100,000 "
    "rows; pick the x and y columns after uploading.",
    "binary": "A CSV file (UTF-8, comma-separated) with a header row and 10 to 100,000 rows: "
    "two numeric features and a 0/1 label column.",
    "multiclass": "A CSV file (UTF-8, comma-separated) with a header row and 10 to 100,000 "
    "rows: two numeric features and a label column of classes 0 to k−1 (k ≤ 10).",
}


def override(data_args: dict[str, Any], kind: str, *, key_prefix: str) -> dict[str, Any]:
    """The uploader (and, with a file, its column pickers) in the current container; the data
    arguments to use: the upload's once it makes a usable frame; after a bad file or column
    choice, the last good upload's (what the page showed), else ``data_args``."""
    if isinstance(scenes.current_number(), int):
        return data_args
    kept_key = f"{key_prefix}_upload_kept"  # the last good upload: (file name, used, args)
    st.subheader("Your own data")
    file = st.file_uploader(
        "Upload a CSV file", type=["csv"], key=f"{key_prefix}_upload", help=HELP[kind]
    )
    st.caption(LINK_NOTE)
    if file is None:
        st.session_state.pop(kept_key, None)
        return data_args
    digest = uploads.remember(file.getvalue())
    try:
        table = uploads.table(digest)
    except upload.UploadError as error:
        return _refused(file.name, error, kind, kept_key, data_args)
    roles = uploads.KINDS[kind][0]
    suggested = uploads.suggestions(digest, roles)
    names = tuple(
        st.selectbox(
            f"{role} column",
            table.columns,
            index=table.columns.index(start),
            key=f"{key_prefix}_upload_{role}_{digest[:12]}",
        )
        for role, start in zip(roles, suggested, strict=True)
    )
    try:
        frame = uploads.frame(kind, (digest, *names))
    except upload.UploadError as error:
        return _refused(file.name, error, kind, kept_key, data_args)
    used = ", ".join(f"{role} = {plain(name)}" for role, name in zip(roles, names, strict=True))
    st.success(
        f"Using {len(frame):,} rows of {plain(file.name)} ({used}; the charts keep the names "
        f"{', '.join(roles)}). The generator settings above wait until you remove the file "
        "(× beside its name)."
    )
    chosen = {"upload": (digest, *names)}
    chosen |= {"k": frame.attrs["k"]} if kind == "multiclass" else {}
    st.session_state[kept_key] = (plain(file.name), used, chosen)
    return chosen


def _refused(name: str, error, kind: str, kept_key: str, data_args: dict) -> dict:
    """The sentence for a bad file or column choice; the arguments of what the page showed
    before it: the last good upload while the server still holds it, else the generated data."""
    kept = st.session_state.get(kept_key)
    if kept is not None:
        try:
            uploads.frame(kind, kept[2]["upload"])
        except upload.UploadError:
            kept = None
    goes_on = (
        f"The page goes on with {kept[0]} ({kept[1]})."
        if kept
        else "The page goes on with the generated data."
    )
    st.error(f"{plain(name)} cannot be used: {plain(error)} {goes_on}")
    if kept is None:
        st.session_state.pop(kept_key, None)
        return data_args
    return kept[2]
