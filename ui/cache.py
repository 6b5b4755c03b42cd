"""The caching policy (one place for the whole app), and the shared data and fit caches.

Which value goes in which cache, and why. Every cache is bounded. Each cache site names its
row in a comment, ``# Cache policy (ui.cache): <row>`` (tests/ui/test_cache_policy.py).

| row | what goes there | mechanism |
|---|---|---|
| shared data | data sets and fits (`FitResult`): this module | `ui.memo.memo(n)` |
| figures | figures, views, frames, a read file | `st.cache_resource(max_entries=n)` |
| results | numbers, tables, sweeps, runs, bytes | `st.cache_data(max_entries=n)` |
| constants | one value per argument of a closed set | `functools.cache` |
| by figure | a cached figure's JSON: `ui.frames.serialised` | a dict by `id`, `weakref.finalize` |
| stores | uploads, presentation restyles | `OrderedDict` + lock, bounded |
| session | one student's own state | `st.session_state` |
| local | a memo inside a value a call returns | `functools.lru_cache(maxsize=n)` |

Why, row by row:
- shared data: asked many times while the views are built (each view asks for its data and
  its fits; the fit table for seven fits, each for its data), from inside the other caches.
  The arguments are plain tuples of numbers and strings, which Python hashes directly; the
  values are never modified, so they are shared, not copied. A hit costs a few dict look-ups
  (`functools.lru_cache` behind a keyword sort); Streamlit's caches hash every argument with
  their own hasher, tens to hundreds of times that (bench/bench_cache.py). Fits are cached here, in
  `ui/`, never in `losses/` or `lessons/`: the core stays pure and stateless.
- figures: costly to build and to copy, and never modified: the live chart only reads and
  serialises them. Asked once per chart per rerun, so
  Streamlit's hash is paid a few times a rerun. `st.cache_data` would pickle and re-validate a
  figure on every hit. A view (a frozen dataclass or tuple of figures and sentences) goes here
  with its figures; so does a student's file once read (`ui.uploads.table`), large and
  never modified.
- results: plain values a few calls per rerun ask for (sweeps, descent runs, landscapes,
  metrics, numbers and CSV to reproduce, an upload's frame): `st.cache_data` hands each caller
  its own copy, so no caller can change what another session reads; the copy of a small
  value costs little beside Streamlit's hash. A value asked dozens of times a rerun goes
  to shared data instead; a figure, to figures.
- constants: a function of a closed set of arguments (the Plotly template, a subplot grid, a
  component per static folder, a task's example table): computed once per process, bounded by
  its arguments' set, so no `maxsize` is needed.
- by figure: a cached figure serialised once. A figure is not hashable (no `lru_cache`, no
  `WeakKeyDictionary`), so its JSON is kept by `id` and let go with the figure
  (`weakref.finalize`): bounded by the figures row's bounds.
- stores: kept by hand only where no cache above can hold the value, each an `OrderedDict`
  with a lock (sessions run in threads) and a bound:
  `ui.uploads` holds the students' files by digest: a value put in by a page, not computed
  from its key, so no cache decorator can hold it (a cache can only compute a missing value);
  the caches then key on the digest, never on the file's bytes.
  `ui.presentation.styled` keeps a figure's presentation JSON by revision alone (a hash of the
  JSON it restyles): `functools.lru_cache` would hold the source JSON as part of its key
  (up to a megabyte for a lab's frames), and a Streamlit cache's hash costs hundreds of
  dict look-ups per chart per rerun.
- local: a memo created inside a call and returned with its value, never at module level:
  `losses.fit.line.pinball_lines` gives τ → the exact pinball line of one data set, each
  computed once, so the fits that share it run one pivot descent. The core holds no state of
  its own: the memo lives exactly as long as its caller keeps the value (a page keeps it in
  the shared data row, `regression_pinball_lines`; a lesson for one call).
- session: what belongs to one student (widget values, added points, the chart revisions a
  tab holds) lives in `st.session_state`, never in a cache shared by the server's sessions.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from losses import data, fit
from ui import uploads
from ui.cost_charts import cost_bars_figure
from ui.memo import memo

DATA_ENTRIES = 32
FIT_ENTRIES = 128
FIGURE_ENTRIES = 64
# The regression data and fits a lab of 40 students keeps asking for: between two moves of
# one student the others make a few dozen data moves, each a data set and its seven fits
# (the page's table), so the student's own data and fits must outlast that many, or a
# move of the loss or its setting refits every line of unchanged data. A fit holds two
# arrays of n floats; at n = 5,000, 512 fits hold about 40 MB.
REGRESSION_DATA_ENTRIES = 128
REGRESSION_FIT_ENTRIES = 512


# Cache policy (ui.cache): shared data.
@memo(REGRESSION_DATA_ENTRIES)
def regression_data(*, added: tuple = (), upload: tuple | None = None, **generator_args):
    """`data.make_regression`, or a student's file when ``upload`` is (digest, x, y)
    (`ui.uploads.frame`), with the points a student ``added`` ((x, y) pairs) appended
    (`data.with_added_points`): passed with the generator's arguments, they are part of
    every cache key that holds those, so every fit, view and table counts them."""
    base = uploads.frame("regression", upload) if upload else data.make_regression(**generator_args)
    return data.with_added_points(base, added)


# Cache policy (ui.cache): shared data.
@memo(DATA_ENTRIES)
def binary_data(*, upload: tuple | None = None, **generator_args):
    """`data.make_binary`, or a student's file when ``upload`` is (digest, x1, x2, label)."""
    return uploads.frame("binary", upload) if upload else data.make_binary(**generator_args)


# Cache policy (ui.cache): shared data.
@memo(DATA_ENTRIES)
def multiclass_data(*, upload: tuple | None = None, **generator_args):
    """`data.make_multiclass`, or a student's file when ``upload`` is (digest, x1, x2, label)
    (then ``k`` in the arguments is the file's class count, already in the frame)."""
    if upload:
        return uploads.frame("multiclass", upload)
    return data.make_multiclass(**generator_args)


# Cache policy (ui.cache): shared data.
@memo(REGRESSION_DATA_ENTRIES)
def regression_pinball_lines(generator_args: tuple):
    """`fit.line.pinball_lines` of `regression_data(**dict(generator_args))`: the exact
    pinball lines (MAE's, each quantile's, the Newton fits' start) that every fit of one
    data set shares, so a page fitting every loss runs each pivot descent once."""
    frame = regression_data(**dict(generator_args))
    return fit.line.pinball_lines(frame["x"].to_numpy(), frame["y"].to_numpy())


# Cache policy (ui.cache): shared data.
@memo(REGRESSION_FIT_ENTRIES)
def regression_fit(generator_args: tuple, loss_id: str, loss_params: tuple) -> fit.FitResult:
    """`fit.fit_regression` on `regression_data(**dict(generator_args))`."""
    frame = regression_data(**dict(generator_args))
    pinball = regression_pinball_lines(generator_args)
    return fit.fit_regression(frame, loss_id, pinball=pinball, **dict(loss_params))


# Cache policy (ui.cache): shared data.
@memo(FIT_ENTRIES)
def binary_fit(generator_args: tuple, loss_id: str, loss_params: tuple) -> fit.FitResult:
    """`fit.fit_binary` on `binary_data(**dict(generator_args))`."""
    frame = binary_data(**dict(generator_args))
    return fit.fit_binary(frame, loss_id, **dict(loss_params))


# Cache policy (ui.cache): shared data.
@memo(FIT_ENTRIES)
def multiclass_fit(generator_args: tuple, loss_id: str, loss_params: tuple) -> fit.FitResult:
    """`fit.fit_multiclass` on `multiclass_data(**dict(generator_args))`."""
    args = dict(generator_args)
    frame = multiclass_data(**args)
    return fit.fit_multiclass(frame, loss_id, k=args.get("k"), **dict(loss_params))


def key_of(mapping: dict) -> tuple:
    """A dict as a sorted tuple of pairs: a hashable, order-free cache key."""
    return tuple(sorted(mapping.items()))


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=FIGURE_ENTRIES, show_spinner=False)
def cost_figure(
    per_sample: tuple[float, ...],
    cost: float,
    loss_id: str,
    loss_name: str,
    sample_labels: tuple[str, ...],
    hover_details: tuple[str, ...],
):
    """`ui.cost_charts.cost_bars_figure`, built once per input (the figure is never modified)."""
    return cost_bars_figure(
        np.array(per_sample),
        cost,
        loss_id=loss_id,
        loss_name=loss_name,
        sample_labels=sample_labels,
        hover_details=hover_details,
    )
