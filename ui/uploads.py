"""The uploaded files the cached data functions read: a small store shared by the sessions
of one server, keyed by each file's digest.

A page puts a student's file in with `remember` (every rerun, so it is there when the page
asks for it) and passes only the digest and the chosen column names down to the caches:
hashing a 5 MB file once per rerun is cheap, hashing it for every cached call is not.
The store is kept by hand (the caching policy's "stores" row in `ui.cache` says why).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import pandas as pd
import streamlit as st

from losses import upload

STORE_FILES = 16  # files held at once; each at most server.maxUploadSize
KINDS = {
    "regression": (("x", "y"), upload.regression_frame),
    "binary": (("x1", "x2", "label"), upload.binary_frame),
    "multiclass": (("x1", "x2", "label"), upload.multiclass_frame),
}
_LOCK = threading.Lock()


# Cache policy (ui.cache): stores (one store per server, emptied with the other caches).
@st.cache_resource(max_entries=1, show_spinner=False)
def _store() -> OrderedDict:
    return OrderedDict()


def remember(raw: bytes) -> str:
    """Hold ``raw`` (the oldest file beyond `STORE_FILES` is let go); its digest."""
    digest = hashlib.sha256(raw).hexdigest()
    store = _store()
    with _LOCK:
        store[digest] = bytes(raw)
        store.move_to_end(digest)
        while len(store) > STORE_FILES:
            store.popitem(last=False)
    return digest


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=STORE_FILES, show_spinner="Reading your file…")
def table(digest: str) -> upload.Table:
    """`losses.upload.read_table` of the held file (kept, not copied: a Table is never
    modified). Raises `UploadError` for a bad file, or for one the store no longer holds."""
    with _LOCK:
        raw = _store().get(digest)
    if raw is None:
        raise upload.UploadError("The server no longer holds your file; please upload it again.")
    return upload.read_table(raw)


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=STORE_FILES, show_spinner=False)
def suggestions(digest: str, roles: tuple[str, ...]) -> tuple[str, ...]:
    """`losses.upload.suggested_columns` of the held file, once per file (it checks every
    cell of every column)."""
    return upload.suggested_columns(table(digest), roles)


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=2 * STORE_FILES, show_spinner=False)
def frame(kind: str, source: tuple) -> pd.DataFrame:
    """The ``kind`` frame ("regression", "binary", "multiclass") built from ``source``:
    (digest, column name per role of `KINDS`). Raises `UploadError` with the sentence.
    Its notes name the file's columns, so they are made `plain` for the pages' Markdown."""
    digest, *names = source
    built = KINDS[kind][1](table(digest), *names)
    built.attrs["notes"] = [plain(note) for note in built.attrs["notes"]]
    return built


# Markdown's signs, and ":" (Streamlit turns :name: into an emoji), as literal characters.
MARKDOWN = str.maketrans(
    {sign: "\\" + sign for sign in "\\`*_[]<>#|~$:"} | {"\n": " ", "\r": " ", "\t": " "}
)


def plain(text: str) -> str:
    """``text`` as literal characters in Streamlit's Markdown: a file's name, its column names
    and cells may hold *, _, [, $ or :, which would otherwise format, link, start LaTeX or
    make an emoji, and a quoted header cell may hold a line break."""
    return str(text).translate(MARKDOWN)
