"""A bounded memo for the innermost caches: data sets and fits, asked for many times a rerun.

`st.cache_data` hashes its arguments with Streamlit's own hasher and unpickles a copy of the value
on every hit, and the Regression page makes dozens of such calls a rerun (its table asks for seven
fits, each fit for the data). Their arguments here are plain tuples of numbers and strings, which
Python hashes in microseconds, and their values (data frames, `FitResult`s) are never modified by
the pages, so they can be shared instead of copied.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def memo(max_entries: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """`functools.lru_cache` bounded at ``max_entries``: the least recently used goes first.

    Thread-safe (two sessions asking for the same new key may both compute it, and one
    result is kept); an exception is not cached; keyword arguments are one key in any
    order. The value is shared between callers, so it must be treated as read-only, as
    every `ui.cache` value is."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        @functools.lru_cache(maxsize=max_entries)
        def keyed(args: tuple, keywords: tuple) -> Result:
            return function(*args, **dict(keywords))

        # Keyword arguments in any order are one key (a scene passes the generator's
        # arguments in its own order; a page in `key_of`'s sorted one).
        @functools.wraps(function)
        def call(*args, **kwargs) -> Result:
            return keyed(args, tuple(sorted(kwargs.items())))

        call.cache_info = keyed.cache_info
        call.cache_clear = keyed.cache_clear
        return call

    return decorate
