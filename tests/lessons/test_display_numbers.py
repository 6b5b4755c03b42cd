"""Shown ratios and percentages (lessons.display_numbers): hand-derived expectations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons import display_numbers


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


@pytest.mark.parametrize(
    ("share", "text"),
    # Hand-derived: two significant digits, more decimals only where 100 would be false.
    [(0.0027, "0.27 %"), (0.84, "84 %"), (1.0, "100 %"), (0.9997, "99.97 %"), (0.995, "99.5 %")],
)
def test_percent_reads_100_only_for_all(share, text):
    assert display_numbers.percent(share) == text


@given(st.floats(0.0, 1.0))
@settings(max_examples=100, deadline=None)
def test_percent_of_a_share_below_1_reads_below_100(share):
    shown = float(display_numbers.percent(share).removesuffix(" %"))
    assert (shown == 100.0) == (share == 1.0)


@pytest.mark.parametrize(
    ("number", "spec", "text"),
    [
        (-1e-12, "+.4f", "+0.0000"),  # hand-derived: rounds to zero, so no minus sign
        (-1e-12, ".4f", "0.0000"),
        (-0.0, "g", "0"),
        (-0.00006, "+.4f", "−0.0001"),  # rounds away from zero: keeps its (true) minus
        (0.03125, "+.4f", "+0.0312"),  # half to even, as format
        (-2.5, "g", "−2.5"),
    ],
)
def test_signed_never_shows_a_negative_zero(number, spec, text):
    assert display_numbers.signed(number, spec) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "recall is undefined"),  # hand-derived: no points, no share
        (1, "recall can only be 0% or 100%"),
        (3, "one point moves recall by 33 percentage points"),  # 100/3 = 33.3
        (9, "one point moves recall by 11 percentage points"),  # 100/9 = 11.1
        (10, None),  # FEW_POINTS = 10 points is enough
    ],
)
def test_coarse_share_says_how_much_one_point_moves_a_share(count, text):
    assert display_numbers.coarse_share(count, "recall") == text


@pytest.mark.parametrize(
    ("value", "first", "second", "where"),
    [
        (1.5, 1.0, 2.0, "between"),
        (2.5, 1.0, 2.0, "above"),
        (-3.0, 1.0, 2.0, "below"),
        (2.0, 1.0, 2.0, "second"),  # an end of the interval prints as that end
        (1.00001, 1.0, 2.0, "first"),  # hand-derived: "1" to 4 significant digits
        (1.0, 1.0, 1.00001, "both"),
        (-0.00001, 0.0, 1.0, "below"),  # "−1e−05" does not print as "0"
        (1.000004, 1.000001, 1.0, "both"),
    ],
)
def test_place_against_compares_the_numbers_as_printed(value, first, second, where):
    assert display_numbers.place_against(value, first, second) == where


def test_place_against_prints_with_the_given_text():
    # 1.24 and 1.21 differ at 3 digits, not at 2: both "1.2" (hand-derived).
    assert display_numbers.place_against(1.24, 1.21, 1.56, lambda v: f"{v:.3g}") == "between"
    assert display_numbers.place_against(1.24, 1.21, 1.56, lambda v: f"{v:.2g}") == "first"
