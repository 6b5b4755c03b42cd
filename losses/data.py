"""Seeded synthetic data sets for the lessons: a line with outliers, two blobs, k blobs.

Each generator draws from ``np.random.default_rng(seed)`` (same seed and parameters, same
frame bit for bit) and returns a DataFrame whose ``attrs`` hold the realised counts and
``"notes"``: sentences about anything asked for that could not be honoured exactly.
Random numbers are drawn per point in a fixed order whatever the parameters, so a slider
changes only what it controls: more ``noise`` rescales the same residuals, a larger
``outlier_fraction`` or ``label_noise`` adds points without reshuffling the others.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

MAX_N = 1_000_000
MAX_CLASSES = 10
# The positive-class direction of the binary blobs: the diagonal, so both features matter.
DIAGONAL = np.array([1.0, 1.0]) / math.sqrt(2.0)


def _show(value) -> str:
    # 1,000,000 and 0 rather than 1e+06 and 0.0; fractions as 0.005.
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _number(value, name: str, low=-math.inf, high=math.inf, why: str = "") -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value}.")
    if not low <= value <= high:
        bounds = f"between {_show(low)} and {_show(high)}" if high < math.inf else ""
        reason = f" ({why})" if why else ""
        raise ValueError(
            f"{name} must be {bounds or 'at least ' + _show(low)}{reason}; got {_show(value)}."
        )
    return float(value)


def _whole_number(value, name: str, low: int, high=math.inf, why: str = "") -> int:
    # Accepts 1e6 typed as a float, refuses 200.5 and True (a bool is an int to Python).
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())
    ):
        raise ValueError(f"{name} must be a whole number; got {value!r}.")
    _number(value, name, low, high, why)
    return int(value)


def make_regression(
    n: int = 200,
    *,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 1.0,
    outlier_fraction: float = 0.1,
    outlier_magnitude: float = 10.0,
    two_sided: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """Points around a straight line, a chosen fraction of them pushed off it as outliers.

    Returns n rows: ``x`` (float64, uniform on [0, 10]), ``y`` (float64), ``is_outlier`` (bool):

        y = intercept + slope·x + ε,            ε ~ Normal(0, noise²)
        y += s·outlier_magnitude·u  (outliers), u ~ Uniform(0.5, 1.5)

    where s = +1 (one-sided) or ±1 with probability ½ each (``two_sided``).
    Exactly ``round(outlier_fraction·n)`` points (Python's round, half to even)
    are outliers, chosen at random; none when ``outlier_magnitude`` is 0 (the chosen
    points stay on the line as ordinary points, and a note says so). ``attrs``:
    n_outliers, true_slope, true_intercept, notes.

    Reference: sklearn.datasets.make_regression (a line plus Gaussian noise);
    the outliers are the contamination Huber (1964) designed his loss against.
    """
    n = _whole_number(n, "n", 1, MAX_N)
    slope = _number(slope, "slope")
    intercept = _number(intercept, "intercept")
    noise = _number(noise, "noise", 0.0, why="it is a standard deviation")
    outlier_fraction = _number(outlier_fraction, "outlier_fraction", 0.0, 0.5)
    outlier_magnitude = _number(
        outlier_magnitude, "outlier_magnitude", 0.0, why="it is a distance from the line"
    )
    if not isinstance(two_sided, bool | np.bool_):
        raise ValueError(f"two_sided must be True or False; got {two_sided!r}.")
    rng = np.random.default_rng(_whole_number(seed, "seed", 0))

    x = rng.uniform(0.0, 10.0, size=n)
    standard_noise = rng.standard_normal(n)
    # The first n_outliers points of one fixed random order are the outliers, so a larger
    # fraction keeps every outlier of a smaller one.
    outlier_order = rng.permutation(n)
    offset_scale = rng.uniform(0.5, 1.5, size=n)
    offset_sign = np.where(rng.random(n) < 0.5, -1.0, 1.0) if two_sided else np.ones(n)

    n_chosen = round(outlier_fraction * n)
    # A point pushed by 0 is an ordinary point: marking it an outlier would mislead.
    n_outliers = n_chosen if outlier_magnitude > 0 else 0
    is_outlier = np.zeros(n, dtype=bool)
    is_outlier[outlier_order[:n_outliers]] = True
    y = intercept + slope * x + noise * standard_noise
    y[is_outlier] += outlier_magnitude * (offset_sign * offset_scale)[is_outlier]

    notes = []
    if n == 1:
        notes.append("A single point cannot pin down a line; use n of at least 2 to fit one.")
    if outlier_fraction > 0 and n_chosen == 0:
        notes.append(
            f"{100 * outlier_fraction:g}% of {n} points rounds to 0 outliers; "
            "raise n or outlier_fraction to see any."
        )
    elif n_chosen > n_outliers:
        chosen = (
            "the 1 point chosen as an outlier is an ordinary point"
            if n_chosen == 1
            else f"the {n_chosen:,} points chosen as outliers are ordinary points"
        )
        notes.append(
            f"The outlier magnitude is 0, so no point was pushed off the line: {chosen} "
            f"({100 * outlier_fraction:g}% of {n:,}), and there are no outliers. Raise the "
            "outlier magnitude to make outliers."
        )
    frame = pd.DataFrame({"x": x, "y": y, "is_outlier": is_outlier})
    frame.attrs = {
        "n_outliers": n_outliers,
        "true_slope": slope,
        "true_intercept": intercept,
        "notes": notes,
    }
    return frame


MAX_ADDED_POINTS = 50
# A student's point lives on the chart they clicked; a link's coordinates beyond this are
# not a point anyone placed (and would swamp every fit's numbers).
ADDED_COORDINATE_LIMIT = 1e4


def with_added_points(frame: pd.DataFrame, points: Sequence[tuple[float, float]]) -> pd.DataFrame:
    """``frame`` (`make_regression`) with the points (x, y) a student placed appended, in
    order, as rows marked ``is_added`` (never outliers); ``attrs`` gain ``n_added``.

    Every fit, weight and table then counts them like any generated point.
    """
    checked = [
        (
            _number(x, "an added point's x", -ADDED_COORDINATE_LIMIT, ADDED_COORDINATE_LIMIT),
            _number(y, "an added point's y", -ADDED_COORDINATE_LIMIT, ADDED_COORDINATE_LIMIT),
        )
        for x, y in points
    ]
    if len(checked) > MAX_ADDED_POINTS:
        raise ValueError(f"at most {MAX_ADDED_POINTS} added points; got {len(checked)}.")
    added = pd.DataFrame(
        {
            "x": np.array([x for x, _ in checked], dtype=np.float64),
            "y": np.array([y for _, y in checked], dtype=np.float64),
            "is_outlier": np.zeros(len(checked), dtype=bool),
            "is_added": np.ones(len(checked), dtype=bool),
        }
    )
    base = frame.assign(is_added=np.zeros(len(frame), dtype=bool))
    combined = pd.concat([base, added], ignore_index=True) if checked else base
    combined.attrs = dict(frame.attrs) | {"n_added": len(checked)}
    return combined


def points_text(points: Sequence[tuple[float, float]]) -> str:
    """Points as the link carries them: ``"x,y;x,y"`` (shortest round-trip reprs)."""
    return ";".join(f"{float(x)!r},{float(y)!r}" for x, y in points)


def parse_points(text: str | None) -> tuple[tuple[tuple[float, float], ...], str | None]:
    """The points in a link's ``"x,y;x,y"``, and a sentence when it could not be used.

    A malformed list (not pairs of finite numbers within ±1e4) or an oversized one (more
    than `MAX_ADDED_POINTS`) is ignored whole: ``((), sentence)``. Empty or None: ``((), None)``.
    """
    if not text:
        return (), None
    pairs = text.split(";")
    if len(pairs) > MAX_ADDED_POINTS:
        return (), (
            f"The link carries {len(pairs)} added points, more than the {MAX_ADDED_POINTS} "
            "a page keeps, so none of them were added; the generated data are shown."
        )
    points = []
    for pair in pairs:
        try:
            x_text, y_text = pair.split(",")
            x, y = float(x_text), float(y_text)
            _number(x, "x", -ADDED_COORDINATE_LIMIT, ADDED_COORDINATE_LIMIT)
            _number(y, "y", -ADDED_COORDINATE_LIMIT, ADDED_COORDINATE_LIMIT)
        except ValueError:
            shown = pair if len(pair) <= 40 else pair[:40] + "…"
            return (), (
                f"The link's added points could not be read ({shown!r} is not a pair x,y of "
                f"numbers between −{ADDED_COORDINATE_LIMIT:,.0f} and "
                f"{ADDED_COORDINATE_LIMIT:,.0f}), so none were added; the generated data "
                "are shown. Click on the data chart to add points."
            )
        points.append((x, y))
    return tuple(points), None


def make_binary(
    n: int = 500,
    *,
    positive_fraction: float = 0.5,
    separation: float = 2.0,
    label_noise: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Two Gaussian blobs in the plane, positives (label 1) the rarer class.

    Returns n shuffled rows: ``x1``, ``x2`` (float64) and ``label`` (int64, 0 or 1).
    Each point is c + z with z ~ Normal(0, I₂) and blob centre
    c = ±(separation/2)·(1, 1)/√2 (+ for the positive blob), so the centres
    are ``separation`` apart along the diagonal.

    n_positive = round(positive_fraction·n), raised to 1 (with a note) when it
    rounds to 0; n_negative = n − n_positive ≥ 1 because positive_fraction ≤ ½.

    Label noise: round(label_noise·count) points of each class get features from the OTHER
    class's blob while keeping their label. Flipping labels instead (as the ``flip_y`` of
    sklearn.datasets.make_classification does) would change the class proportions, and the
    prevalence is exactly what the imbalance lesson controls.
    ``attrs``: n_positive, n_negative, n_mislabelled (the points moved), notes.
    """
    n = _whole_number(n, "n", 2, MAX_N)
    positive_fraction = _number(
        positive_fraction, "positive_fraction", 0.005, 0.5, "positives are the rarer class"
    )
    separation = _number(separation, "separation", 0.0, why="it is a distance")
    label_noise = _number(label_noise, "label_noise", 0.0, 0.5)
    rng = np.random.default_rng(_whole_number(seed, "seed", 0))

    notes = []
    n_positive = round(positive_fraction * n)
    if n_positive == 0:
        n_positive = 1
        notes.append(
            f"{100 * positive_fraction:g}% of {n} points rounds to 0 positives; "
            "kept 1 positive so both classes exist."
        )
    n_negative = n - n_positive
    mislabelled_positive = round(label_noise * n_positive)
    mislabelled_negative = round(label_noise * n_negative)
    for class_name, other, count, mislabelled in [
        ("positive", "negative", n_positive, mislabelled_positive),
        ("negative", "positive", n_negative, mislabelled_negative),
    ]:
        if label_noise > 0 and mislabelled == 0:
            # The noise moves points into the other blob and keeps their labels: say that.
            points = f"{count} {class_name}" + ("" if count == 1 else "s")
            notes.append(
                f"{100 * label_noise:g}% label noise on {points} rounds to 0 points: "
                f"no {class_name} was moved into the {other} blob."
            )

    standard_noise = rng.standard_normal((n, 2))
    shuffle = rng.permutation(n)
    # Before shuffling: positives first, and within each class the first few sit in the
    # other blob; the shuffle then scatters both choices at random.
    label = np.zeros(n, dtype=np.int64)
    label[:n_positive] = 1
    blob_sign = np.where(label == 1, 1.0, -1.0)
    blob_sign[:mislabelled_positive] = -1.0
    blob_sign[n_positive : n_positive + mislabelled_negative] = 1.0
    centres = (0.5 * separation * blob_sign)[:, None] * DIAGONAL
    features = centres[shuffle] + standard_noise

    frame = pd.DataFrame({"x1": features[:, 0], "x2": features[:, 1], "label": label[shuffle]})
    frame.attrs = {
        "n_positive": n_positive,
        "n_negative": n_negative,
        "n_mislabelled": mislabelled_positive + mislabelled_negative,
        "notes": notes,
    }
    return frame


def _largest_remainder(shares: np.ndarray, n: int) -> np.ndarray:
    """Whole counts summing to n, each within 1 of n·share (Hamilton's method)."""
    quotas = shares * n
    counts = np.floor(quotas).astype(np.int64)
    # A stable sort hands ties to the lower class index, so the result is reproducible.
    by_remainder = np.argsort(-(quotas - counts), kind="stable")
    counts[by_remainder[: n - counts.sum()]] += 1
    return counts


def make_multiclass(
    n: int = 600,
    *,
    k: int = 3,
    proportions: Sequence[float] | None = None,
    separation: float = 3.0,
    seed: int = 0,
) -> pd.DataFrame:
    """k Gaussian blobs with centres evenly spaced on a circle, in chosen proportions.

    Returns n shuffled rows: ``x1``, ``x2`` (float64) and ``label`` (int64 in 0..k−1).
    A point of class j is c_j + z with z ~ Normal(0, I₂) and
    c_j = separation·(cos 2πj/k, sin 2πj/k).

    ``proportions`` (k non-negative numbers, normalised here; None means equal)
    become counts by largest-remainder rounding, so they sum to n and each is
    within 1 of n·share. A class that rounds to 0 gets 1 point, taken from the
    largest class, and a note says so. ``attrs``: class_counts (list[int]), notes.

    Reference: sklearn.datasets.make_blobs (isotropic Gaussian blobs).
    """
    k = _whole_number(k, "k", 2, MAX_CLASSES)
    n = _whole_number(n, "n", k, MAX_N, why=f"at least one point for each of the k={k} classes")
    separation = _number(separation, "separation", 0.0, why="it is the circle's radius")
    if proportions is None:
        shares = np.full(k, 1.0 / k)
    else:
        try:
            weights = np.asarray(proportions, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"proportions must hold k={k} numbers, one per class; got {proportions!r}."
            ) from None
        if weights.shape != (k,):
            got = weights.size if weights.ndim == 1 else f"shape {weights.shape}"
            raise ValueError(f"proportions must hold k={k} numbers, one per class; got {got}.")
        bad = ~np.isfinite(weights) | (weights < 0)
        if np.any(bad):
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"proportions must be finite and non-negative; class {first} has "
                f"{weights[first]:g}."
            )
        if weights.sum() <= 0:
            raise ValueError("proportions sum to 0; give at least one class a positive share.")
        shares = weights / weights.sum()
    rng = np.random.default_rng(_whole_number(seed, "seed", 0))

    counts = _largest_remainder(shares, n)
    notes = []
    for empty_class in np.flatnonzero(counts == 0):
        # n ≥ k, so while a class is empty another holds at least 2 and can spare one.
        donor = int(np.argmax(counts))
        counts[donor] -= 1
        counts[empty_class] = 1
        notes.append(
            f"Class {empty_class}'s share ({100 * shares[empty_class]:.3g}%) of {n} points "
            f"rounds to 0; gave it 1 point taken from class {donor} so every class exists."
        )

    standard_noise = rng.standard_normal((n, 2))
    shuffle = rng.permutation(n)
    label = np.repeat(np.arange(k, dtype=np.int64), counts)[shuffle]
    angles = 2.0 * np.pi * np.arange(k) / k
    centres = separation * np.column_stack([np.cos(angles), np.sin(angles)])
    features = centres[label] + standard_noise

    frame = pd.DataFrame({"x1": features[:, 0], "x2": features[:, 1], "label": label})
    frame.attrs = {"class_counts": [int(count) for count in counts], "notes": notes}
    return frame
