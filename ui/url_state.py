"""State a link carries that is not a widget's (points placed by clicks, a table's cells, a
scrubber's step): read from the URL once, mirrored back while it changes, and removed from
the URL at its default, so a link holds only what differs from the page as it opens.

Widgets bind to the URL themselves (``bind="query-params"``). A link is anyone's to write:
a value that cannot be used is never a traceback. ``parse`` raises ValueError with a
sentence saying why; the page starts from its default and shows the sentence (or, for a
scrubber's step, quietly starts at its default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def read(key: str, parse: Callable[[str], T]) -> tuple[T | None, str | None]:
    """The link's value under ``key`` through ``parse``: (value, None); (None, None) when the
    link has none (or an empty one); (None, sentence) when ``parse`` rejects it."""
    text = st.query_params.get(key)
    if not text:
        return None, None
    try:
        return parse(text), None
    except ValueError as error:
        return None, str(error)


def read_once(
    key: str, parse: Callable[[str], T], default: Callable[[], T], *, state_key: str | None = None
) -> tuple[T, str | None]:
    """The value kept in session state under ``state_key`` (``key`` if not given), taken from
    the link on the session's first read (or ``default()`` without one), and, on that read
    only, the sentence saying why the link's value could not be used."""
    state_key = key if state_key is None else state_key
    note = None
    if st.session_state.get(state_key) is None:
        value, note = read(key, parse)
        st.session_state[state_key] = default() if value is None else value
    return st.session_state[state_key], note


def mirror(key: str, value: T, default: T, show: Callable[[T], str] = str) -> None:
    """Keep the link in step with ``value``: ``show(value)`` under ``key``, or no ``key`` at
    all at ``default``. The URL is written only when it changes."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != (shown := show(value)):
        st.query_params[key] = shown
