"""The bounded memo of the innermost caches (ui/memo.py)."""

import pytest

from ui import cache
from ui.memo import memo


def test_a_hit_is_the_same_object_and_the_oldest_entry_goes_first():
    calls = []

    @memo(2)
    def square(value):
        calls.append(value)
        return [value * value]

    first = square(3)
    assert square(3) is first and calls == [3]  # shared, not recomputed
    square(4)
    square(5)  # a third key: 3, the least recently used, goes
    assert len(calls) == 3
    square(3)
    assert calls == [3, 4, 5, 3]


def test_keywords_in_any_order_are_one_entry():
    calls = []

    @memo(4)
    def line(*, intercept, slope):
        calls.append((intercept, slope))
        return (intercept, slope)

    assert line(intercept=1, slope=2) is line(slope=2, intercept=1)
    assert calls == [(1, 2)]


def test_an_error_is_not_kept():
    calls = []

    @memo(4)
    def refuse(value):
        calls.append(value)
        raise ValueError("no")

    for _ in range(2):
        with pytest.raises(ValueError):
            refuse(1)
    assert calls == [1, 1]


def test_the_data_and_fit_caches_are_bounded_memos():
    # Their bounds, as the module says (DATA_ENTRIES, FIT_ENTRIES): never unbounded.
    for function in (cache.regression_data, cache.binary_data, cache.multiclass_data):
        assert function.cache_info().maxsize == cache.DATA_ENTRIES
    for function in (cache.regression_fit, cache.binary_fit, cache.multiclass_fit):
        assert function.cache_info().maxsize == cache.FIT_ENTRIES
