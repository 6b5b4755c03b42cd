"""Numbers as the pages show them: ratios and shares never rounded to an end they are
not, signed numbers with a true minus, how coarse a share from few points is, and where a
number lies against two others as the three are printed (`place_against`).

A share that is not exactly 0 or 1 must not read "0.000", "1.000", "0%" or "100%": at
0.5% positives one false alarm among 4975 negatives is still a false alarm.
"""

from __future__ import annotations

from collections.abc import Callable


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


def signed(number: float, spec: str = "g") -> str:
    """A number as text with a true minus sign (U+2212), which reads better than a hyphen.

    ``spec`` is a format spec ``[+][.precision][type]`` ("g", "+.4f"). A number that
    rounds to zero in it has no minus sign ("0.0000", "+0.0000", never "−0.0000"):
    format's "z" option (PEP 682), so a fit error of −1e-12 does not read as negative.
    """
    sign, rest = (spec[0], spec[1:]) if spec[:1] in ("+", " ", "-") else ("", spec)
    return format(number, f"{sign}z{rest}").replace("-", "−")


def percent(share: float) -> str:
    """A share in [0, 1] as a percentage with two significant digits: "0.27 %", "84 %"; a
    share below 1 with the decimals it needs not to read "100 %" (0.9997: "99.97 %")."""
    value = 100 * share
    if value < 10:
        return f"{value:.2g} %"
    places = 0
    while share < 1 and float(f"{value:.{places}f}") >= 100:
        places += 1
    return f"{value:.{places}f} %"


# Fewer points than this in a class and each one moves its shares visibly.
FEW_POINTS = 10


def coarse_share(count: int, share_name: str) -> str | None:
    """How coarse a share over ``count`` points is, or None when there are enough.

    "recall is undefined" (0 points), "… can only be 0% or 100%" (1), "one point moves
    … by 33 percentage points" (2 to FEW_POINTS − 1; 100/count, hand-derived).
    """
    if count >= FEW_POINTS:
        return None
    if count == 0:
        return f"{share_name} is undefined"
    if count == 1:
        return f"{share_name} can only be 0% or 100%"
    return f"one point moves {share_name} by {100 / count:.0f} percentage points"


# Significant digits the sentences print a fitted number with (a slope, an intercept, a best
# constant): `shown`.
SHOWN_DIGITS = 4


def shown(value: float, digits: int = SHOWN_DIGITS) -> str:
    """A fitted number as the sentences print it: ``digits`` significant digits, a true minus."""
    return signed(value, f".{digits}g")


def place_against(
    value: float, first: float, second: float, text: Callable[[float], str] = shown
) -> str:
    """Where ``value`` lies against ``first`` and ``second``, as ``text`` prints the three.

    "first", "second" or "both" where it prints as that number (as both), so a sentence never
    says "between" or "above" of numbers that read the same; else "between" (min ≤ value ≤
    max), "above" or "below" (both).
    """
    printed = text(value)
    same = [text(first) == printed, text(second) == printed]
    if all(same):
        return "both"
    if any(same):
        return "first" if same[0] else "second"
    if min(first, second) <= value <= max(first, second):
        return "between"
    return "above" if value > max(first, second) else "below"
