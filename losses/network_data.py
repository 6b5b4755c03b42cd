"""Seeded data for the "Train a network" page: a noisy curve, four 2-D shapes, a split, a grid.

As in `losses.data`: each generator draws from its seed alone (same seed and parameters, same
frame bit for bit), returns a DataFrame whose ``attrs`` hold the realised counts and
``"notes"`` (sentences about anything asked for that could not be honoured exactly), and draws
its random numbers per point in a fixed order whatever the parameters, so a slider changes only
what it controls: more ``noise`` rescales the same residuals, the curve's or the data's shape
moves the same points onto another truth, a larger ``outlier_fraction``, ``label_noise``,
``minority_fraction`` or validation ``share`` keeps every point a smaller one chose.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from losses.data import MAX_N, _largest_remainder, _number, _whole_number

MIN_POINTS, MAX_POINTS = 10, 5_000
X_RANGE = (-3.0, 3.0)  # the curve's inputs, uniform on this interval
CURVES = ("sine", "step")
SHAPES = ("moons", "circles", "xor", "spiral")
CLASSES = {"moons": 2, "circles": 2, "xor": 2, "spiral": 3}
MIN_CLASS_POINTS = 2  # so that a stratified split can put a point of each class on each side

# Each shape is drawn in its reference's own coordinates, then mapped by p ↦ (p − centre)·scale
# into roughly [−2, 2]². The jitter is a standard deviation in the reference's coordinates (the
# `noise` of sklearn's make_moons / make_circles; for the spiral, CS231n's angle noise in radians).
MOONS_CENTRE, MOONS_SCALE, MOONS_NOISE = (0.5, 0.25), 1.2, 0.1
CIRCLES_SCALE, CIRCLES_FACTOR, CIRCLES_NOISE = 1.6, 0.5, 0.08
SPIRAL_SCALE, SPIRAL_TURN, SPIRAL_ANGLE_NOISE = 1.9, 4.0, 0.2
XOR_MARGIN, XOR_HALF_WIDTH = 0.1, 1.9  # |x1|, |x2| uniform on [margin, half-width]

VALIDATION_SPLIT_SHARE = (0.05, 0.5)
# The split's random stream is seeded with (seed, this), so it is independent of the data drawn
# from the same seed: a split drawn from the data's own stream would favour some points.
SPLIT_STREAM = 0x5B117
MAX_GRID_SIZE = 500
BOX_PADDING = 0.1


def _choice(value, name: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(f'"{option}"' for option in options)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}.")
    return value


def _outlier_notes(outlier_fraction: float, n: int, n_chosen: int, n_outliers: int) -> list:
    if outlier_fraction > 0 and n_chosen == 0:
        return [
            f"{100 * outlier_fraction:g}% of {n} points rounds to 0 outliers; "
            "raise n or outlier_fraction to see any."
        ]
    if n_chosen > n_outliers:
        chosen = (
            "the 1 point chosen as an outlier is an ordinary point"
            if n_chosen == 1
            else f"the {n_chosen:,} points chosen as outliers are ordinary points"
        )
        return [
            f"The outlier magnitude is 0, so no point was pushed off the curve: {chosen} "
            f"({100 * outlier_fraction:g}% of {n:,}), and there are no outliers. Raise the "
            "outlier magnitude to make outliers."
        ]
    return []


def truth(shape: str, x: np.ndarray) -> np.ndarray:
    """The noiseless curve at ``x`` (any shape; float64 of the same shape).

    "sine": sin(π·x/3), one full period over X_RANGE = [−3, 3] (peaks ±1 at x = ∓1.5).
    "step": −1 for x < 0 and +1 for x ≥ 0 (a jump no smooth network can follow exactly).
    """
    shape = _choice(shape, "shape", CURVES)
    x = np.asarray(x, dtype=np.float64)
    if shape == "sine":
        return np.sin(np.pi * x / 3.0)
    return np.where(x < 0.0, -1.0, 1.0)


def make_curve(
    n: int = 200,
    *,
    shape: str = "sine",
    noise: float = 0.2,
    outlier_fraction: float = 0.0,
    outlier_magnitude: float = 3.0,
    two_sided: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """Points around a nonlinear curve, a chosen fraction pushed off it as outliers.

    Returns n rows: ``x`` (float64, uniform on X_RANGE), ``y`` (float64), ``is_outlier`` (bool):

        y = truth(shape, x) + ε,                ε ~ Normal(0, noise²)
        y += s·outlier_magnitude·u  (outliers), u ~ Uniform(0.5, 1.5)

    with s = +1, or ±1 with probability ½ each when ``two_sided``; exactly
    ``round(outlier_fraction·n)`` outliers (Python's round), none when the magnitude is 0 (with
    a note), as `losses.data.make_regression` makes them. ``attrs``: n_outliers, shape, notes.
    """
    n = _whole_number(n, "n", MIN_POINTS, MAX_POINTS)
    shape = _choice(shape, "shape", CURVES)
    noise = _number(noise, "noise", 0.0, why="it is a standard deviation")
    outlier_fraction = _number(outlier_fraction, "outlier_fraction", 0.0, 0.5)
    outlier_magnitude = _number(
        outlier_magnitude, "outlier_magnitude", 0.0, why="it is a distance from the curve"
    )
    if not isinstance(two_sided, bool | np.bool_):
        raise ValueError(f"two_sided must be True or False; got {two_sided!r}.")
    rng = np.random.default_rng(_whole_number(seed, "seed", 0))

    x = rng.uniform(*X_RANGE, size=n)
    standard_noise = rng.standard_normal(n)
    # The first n_outliers points of one fixed random order are the outliers, so a larger
    # fraction keeps every outlier of a smaller one; the sign is drawn even when one-sided, so
    # that two_sided flips signs and nothing else.
    outlier_order = rng.permutation(n)
    offset_scale = rng.uniform(0.5, 1.5, size=n)
    offset_sign = np.where(rng.random(n) < 0.5, -1.0, 1.0) if two_sided else np.ones(n)

    n_chosen = round(outlier_fraction * n)
    n_outliers = n_chosen if outlier_magnitude > 0 else 0
    is_outlier = np.zeros(n, dtype=bool)
    is_outlier[outlier_order[:n_outliers]] = True
    y = truth(shape, x) + noise * standard_noise
    y[is_outlier] += outlier_magnitude * (offset_sign * offset_scale)[is_outlier]

    frame = pd.DataFrame({"x": x, "y": y, "is_outlier": is_outlier})
    frame.attrs = {
        "n_outliers": n_outliers,
        "shape": shape,
        "notes": _outlier_notes(outlier_fraction, n, n_chosen, n_outliers),
    }
    return frame


def classes_of(shape: str) -> int:
    """How many classes ``shape`` has: 2 for moons, circles and xor, 3 for the spiral."""
    return CLASSES[_choice(shape, "shape", SHAPES)]


def _class_counts(shape: str, n: int, minority_fraction: float) -> tuple[np.ndarray, list]:
    """Points per clean class: the last class has share minority_fraction, the others equal
    shares of the rest; every class at least MIN_CLASS_POINTS, a note when that raised one."""
    k = CLASSES[shape]
    if k == 2:
        # Half of an odd n rounds down, so class 1 never outnumbers class 0.
        counts = np.array([0, min(round(minority_fraction * n), n // 2)], dtype=np.int64)
        counts[0] = n - counts[1]
    else:
        shares = np.append(np.full(k - 1, (1.0 - minority_fraction) / (k - 1)), minority_fraction)
        counts = _largest_remainder(shares, n)
    notes = []
    if counts[-1] < MIN_CLASS_POINTS:
        raised_from = int(counts[-1])
        # One point at a time from the largest class, so the others stay within 1 of equal;
        # n ≥ 10 and the others share at least half of it, so they can spare these.
        while counts[-1] < MIN_CLASS_POINTS:
            counts[int(np.argmax(counts))] -= 1
            counts[-1] += 1
        notes.append(
            f"{100 * minority_fraction:g}% of {n} points rounds to {raised_from} in class "
            f"{k - 1}; kept {MIN_CLASS_POINTS} so that both the training and the validation "
            "part can hold one."
        )
    return counts, notes


def _place(shape: str, label, u, v, sign, jitter) -> np.ndarray:
    """The (n, 2) points of ``shape`` for clean labels and per-point draws u, v ~ U(0, 1),
    sign = ±1 and standard normal jitter (n, 2)."""
    if shape == "moons":
        # sklearn.datasets.make_moons: the upper half circle (class 0) and the lower one
        # shifted by (1, −½) (class 1), angle π·u along each.
        angle = np.pi * u
        upper = np.column_stack([np.cos(angle), np.sin(angle)])
        lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
        reference = np.where((label == 1)[:, None], lower, upper) + MOONS_NOISE * jitter
        return (reference - MOONS_CENTRE) * MOONS_SCALE
    if shape == "circles":
        # sklearn.datasets.make_circles: the unit circle (class 0) around one of radius
        # CIRCLES_FACTOR (class 1), angle 2π·u.
        radius = np.where(label == 1, CIRCLES_FACTOR, 1.0)
        angle = 2.0 * np.pi * u
        reference = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
        return (reference + CIRCLES_NOISE * jitter) * CIRCLES_SCALE
    if shape == "xor":
        # The uniform square without a band of XOR_MARGIN along each axis, no jitter: the
        # quadrant alone is the class (x1·x2 > 0 is class 1), as in TensorFlow Playground.
        width = XOR_HALF_WIDTH - XOR_MARGIN
        magnitude = XOR_MARGIN + width * np.column_stack([u, v])
        quadrant = np.column_stack([sign, np.where(label == 1, sign, -sign)])
        return quadrant * magnitude
    # CS231n's spiral (cs231n.github.io/neural-networks-case-study): arm j at radius r ∈ [0, 1]
    # has angle 4j + 4r plus Normal(0, 0.2²) noise, the point r·(sin, cos) of it.
    radius = u
    angle = SPIRAL_TURN * (label + radius) + SPIRAL_ANGLE_NOISE * jitter[:, 0]
    return SPIRAL_SCALE * radius[:, None] * np.column_stack([np.sin(angle), np.cos(angle)])


def make_shapes(
    n: int = 400,
    *,
    shape: str = "moons",
    minority_fraction: float = 0.5,
    label_noise: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Two inputs, two or three classes in a shape no line separates, some labels flipped.

    Returns n rows: ``x1``, ``x2`` (float64, roughly within [−2, 2]²), ``label`` (int64, the
    observed label) and ``clean_label`` (int64, the label before flipping). Shapes:

    - "moons": sklearn.datasets.make_moons (noise 0.1), class 1 the lower moon;
    - "circles": sklearn.datasets.make_circles (factor 0.5, noise 0.08), class 1 inside;
    - "xor": uniform on the square [−1.9, 1.9]² less a 0.1 band along each axis, class 1 where
      x1·x2 > 0 (exactly, no jitter);
    - "spiral": CS231n's three interleaved arms, angle noise 0.2 rad.

    Each is then centred and scaled (constants above). Imbalance: the last class (class 1, or
    the spiral's class 2) holds round(minority_fraction·n) points (largest-remainder counts for
    the spiral, whose other classes split the rest equally, so that its last class is the
    largest above ⅓; at 0.5 a 2-class shape is balanced, half of an odd n rounding down), at
    least 2 (with a note). Label noise: exactly
    round(label_noise·n) points, the first of a fixed random order, get another class's label
    (for the spiral, one of the other two at random). ``attrs``: k, class_counts (per observed
    class), clean_counts, n_flipped, shape, notes.
    """
    n = _whole_number(n, "n", MIN_POINTS, MAX_POINTS)
    shape = _choice(shape, "shape", SHAPES)
    minority_fraction = _number(minority_fraction, "minority_fraction", 0.02, 0.5)
    label_noise = _number(label_noise, "label_noise", 0.0, 0.45)
    rng = np.random.default_rng(_whole_number(seed, "seed", 0))
    k = CLASSES[shape]

    u = rng.random(n)
    v = rng.random(n)
    sign = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    jitter = rng.standard_normal((n, 2))
    # A point's rank in one fixed random order decides its class: the lowest ranks are the
    # last class, so a larger minority_fraction keeps every minority point of a smaller one;
    # likewise the first points of another fixed order are the flipped ones.
    class_rank = rng.permutation(n)
    flip_order = rng.permutation(n)
    flip_step = np.where(rng.random(n) < 0.5, 1, 2)  # to class (c + step) mod k

    counts, notes = _class_counts(shape, n, minority_fraction)
    by_rank = np.repeat(np.arange(k, dtype=np.int64)[::-1], counts[::-1])
    clean_label = by_rank[class_rank]
    n_flipped = round(label_noise * n)
    label = clean_label.copy()
    flipped = flip_order[:n_flipped]
    label[flipped] = (clean_label[flipped] + (1 if k == 2 else flip_step[flipped])) % k

    if label_noise > 0 and n_flipped == 0:
        notes.append(
            f"{100 * label_noise:g}% label noise on {n} points rounds to 0 flipped labels; "
            "raise n or label_noise to flip any."
        )
    class_counts = np.bincount(label, minlength=k)
    for scarce in np.flatnonzero(class_counts < MIN_CLASS_POINTS):
        held = "no point" if class_counts[scarce] == 0 else "only 1 point"
        notes.append(
            f"After flipping, {held} carries class {scarce}'s label "
            f"({counts[scarce]} truly belong to it); a validation split cannot put it in "
            "both parts."
        )

    points = _place(shape, clean_label, u, v, sign, jitter)
    frame = pd.DataFrame(
        {"x1": points[:, 0], "x2": points[:, 1], "label": label, "clean_label": clean_label}
    )
    frame.attrs = {
        "k": k,
        "class_counts": [int(count) for count in class_counts],
        "clean_counts": [int(count) for count in counts],
        "n_flipped": n_flipped,
        "shape": shape,
        "notes": notes,
    }
    return frame


def validation_split(
    n: int, labels: np.ndarray | None = None, *, share: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation row indices (each sorted, int64) of n rows, stratified by label.

    ``labels``: n whole numbers, e.g. a frame's observed ``label``; None (regression) makes
    all rows one class. Each class of m ≥ 2 rows gives round(share·m) of them to validation,
    at least 1 and at most m − 1, so it appears in both parts; a class of 1 row stays in
    training. Within each class the validation rows are the
    first of one fixed random order, so a larger share keeps every validation row of a smaller
    one. The random order comes from (seed, SPLIT_STREAM), not from the data's own stream.
    """
    n = _whole_number(n, "n", 2, MAX_N)
    share = _number(share, "share", *VALIDATION_SPLIT_SHARE)
    seed = _whole_number(seed, "seed", 0)
    if labels is None:
        strata = np.zeros(n, dtype=np.int64)
    else:
        strata = np.asarray(labels)
        if strata.shape != (n,):
            raise ValueError(
                f"labels must hold one label per row, n={n}; got shape {strata.shape}."
            )
        if not (np.issubdtype(strata.dtype, np.integer) or strata.dtype == bool):
            raise ValueError(f"labels must be whole numbers (class indices); got {strata.dtype}.")
    order = np.random.default_rng([seed, SPLIT_STREAM]).permutation(n)
    is_validation = np.zeros(n, dtype=bool)
    for stratum in np.unique(strata):
        members = order[strata[order] == stratum]  # this class's rows, in the fixed order
        if len(members) >= 2:
            n_validation = min(max(round(share * len(members)), 1), len(members) - 1)
            is_validation[members[:n_validation]] = True
    return np.flatnonzero(~is_validation), np.flatnonzero(is_validation)


def _range(bounds, name: str) -> tuple[float, float]:
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high); got {bounds!r}.") from None
    low, high = _number(low, f"{name}'s low end"), _number(high, f"{name}'s high end")
    if not low < high:
        raise ValueError(f"{name} must have low < high; got ({low:g}, {high:g}).")
    return low, high


def grid(
    x1_range: tuple[float, float], x2_range: tuple[float, float], size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A size×size grid of the plane, for a probability heatmap.

    Returns xs1 (size,), evenly spaced over x1_range, ends included; xs2 (size,) likewise; and
    points (size², 2), row-major with x1 varying fastest: points[i·size + j] = (xs1[j], xs2[i]).
    So a model's outputs at points, reshaped to (size, size), are a Plotly heatmap's z for
    x=xs1, y=xs2: z[i, j] sits at (xs1[j], xs2[i]).
    """
    low1, high1 = _range(x1_range, "x1_range")
    low2, high2 = _range(x2_range, "x2_range")
    size = _whole_number(size, "size", 2, MAX_GRID_SIZE)
    xs1, xs2 = np.linspace(low1, high1, size), np.linspace(low2, high2, size)
    mesh1, mesh2 = np.meshgrid(xs1, xs2)  # "xy" indexing: mesh1[i, j] = xs1[j]
    return xs1, xs2, np.column_stack([mesh1.ravel(), mesh2.ravel()])


def plane_box(frame: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """((low, high) of x1, (low, high) of x2): the data's bounding box widened by BOX_PADDING
    of its width on each side (by 1 when the width is 0), for `grid`."""
    box = []
    for column in ("x1", "x2"):
        values = frame[column].to_numpy(dtype=np.float64)
        if len(values) == 0 or not np.all(np.isfinite(values)):
            raise ValueError(f"{column} must hold at least one point, all finite.")
        low, high = float(values.min()), float(values.max())
        pad = BOX_PADDING * (high - low) if high > low else 1.0
        box.append((low - pad, high + pad))
    return box[0], box[1]
