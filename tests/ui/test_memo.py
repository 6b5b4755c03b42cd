"""The bounded memo of the innermost caches (ui/memo.py)."""

import pandas as pd
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


def test_the_data_cache_shares_a_hit_and_lets_the_oldest_go_past_its_bound():
    # ui.cache's policy, row "shared data": a hit is the very object kept (not a copy), and
    # after REGRESSION_DATA_ENTRIES newer data sets the first is computed again (bounded,
    # oldest first).
    first = cache.regression_data(n=20, seed=2_700)
    assert cache.regression_data(seed=2_700, n=20) is first
    for seed in range(2_701, 2_701 + cache.REGRESSION_DATA_ENTRIES):
        cache.regression_data(n=20, seed=seed)
    again = cache.regression_data(n=20, seed=2_700)
    assert again is not first
    pd.testing.assert_frame_equal(again, first)  # the same data, recomputed


def test_the_fit_cache_shares_a_hit_and_lets_the_oldest_go_past_its_bound():
    # Row "shared data" again, for fits: REGRESSION_FIT_ENTRIES newer fits push the first out.
    def data_key(seed):
        return cache.key_of({"n": 20, "seed": seed})

    first = cache.regression_fit(data_key(2_800), "mse", ())
    assert cache.regression_fit(data_key(2_800), "mse", ()) is first
    for seed in range(2_801, 2_801 + cache.REGRESSION_FIT_ENTRIES):
        cache.regression_fit(data_key(seed), "mse", ())
    again = cache.regression_fit(data_key(2_800), "mse", ())
    assert again is not first
    assert again.params == first.params
