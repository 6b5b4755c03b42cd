"""Ratios and shares as the pages show them: never rounded to an end they are not.

A share that is not exactly 0 or 1 must not read "0.000", "1.000", "0%" or "100%": at
0.5% positives one false alarm among 4975 negatives is still a false alarm.
"""

from __future__ import annotations


def ratio_text(value: float, digits: int = 3) -> str:
    """A ratio in [0, 1] with ``digits`` decimals, more where those would round it to 0 or 1.

    A share that is not exactly 0 or 1 never reads "0.000" or "1.000": 4974.5/4975 shows
    as 0.9999. Past 9 decimals it reads "< 0.000000001" or "> 0.999999999".
    """
    if value in (0.0, 1.0):
        return f"{value:.{digits}f}"
    for places in range(digits, 10):
        text = f"{value:.{places}f}"
        if float(text) not in (0.0, 1.0):
            return text
    return "< 0.000000001" if value < 0.5 else "> 0.999999999"


def percent_text(share: float) -> str:
    """A share as a whole percentage, never rounding a nonzero share to 0% or a share
    below 1 to 100% ("<1%", ">99%")."""
    if 0 < share < 0.01:
        return "<1%"
    if 0.99 < share < 1:
        return ">99%"
    return f"{100 * share:.0f}%"
