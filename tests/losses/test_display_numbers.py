"""Shown ratios and percentages (losses.display_numbers): hand-derived expectations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from losses import display_numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ((1 + 4974 / 4975) / 2, "0.9999"),  # hand-derived: 0.999899…, the reviewer's case
        (1 - 1e-5, "0.99999"),
        (2 / 5000, "0.0004"),
        (1 / 3, "0.333"),
        (1.0, "1.000"),
        (0.0, "0.000"),
        (0.9994, "0.999"),
        (1 - 1e-12, "> 0.999999999"),
        (1e-12, "< 0.000000001"),
    ],
)
def test_ratio_text_never_rounds_to_an_end_it_is_not(value, text):
    assert display_numbers.ratio_text(value) == text


@given(
    st.integers(1, 20_000).flatmap(lambda whole: st.tuples(st.integers(0, whole), st.just(whole)))
)
@settings(max_examples=300, deadline=None)
def test_ratio_text_reads_0_or_1_only_when_exact(part_and_whole):
    part, whole = part_and_whole
    shown = float(display_numbers.ratio_text(part / whole))
    assert (shown == 0.0) == (part == 0)
    assert (shown == 1.0) == (part == whole)


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.004, "<1%"), (0.996, ">99%"), (1.0, "100%"), (0.0, "0%"), (0.5, "50%"), (0.094, "9%")],
)
def test_percent_text_never_rounds_to_0_or_100_percent(share, text):
    assert display_numbers.percent_text(share) == text
