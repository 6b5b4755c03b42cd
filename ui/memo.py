"""The memo of the caching policy's "shared data" row (`ui.cache`, which says why): a
bounded `functools.lru_cache` whose keyword arguments are one key in any order.
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
