"""Frames for the live chart: one figure per step of a scrubber, sent as a base figure and
patches of it, and the figure a frame shows.

No Streamlit here: `animate` builds them once per data set, `shown_figure` applies one as
`ui/live_chart.js` does in the browser (the tests read figures through it), and
`serialised` writes a cached figure's JSON once, for as long as the figure lives.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import re
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly
import plotly.graph_objects as go
import plotly.io as pio
from plotly.basedatatypes import BasePlotlyType


@dataclass(frozen=True)
class Animated:
    """A figure with frames (patches of it, one per step of a scrubber), serialised once.

    ``figure_json``: the base figure; ``frames_json``: ``{"pool", "steps"}``, the steps a
    list of patches, each ``{"data": {trace index: {property: value}}, "layout": {key:
    value}}`` (null deletes), and ``pool`` the packed arrays they share (`animate`).
    """

    figure_json: str
    frames_json: str
    height: int
    revision: str


@dataclass(frozen=True)
class Subset:
    """In a frame: the entries of ``values`` where ``mask`` is set. Sent as ``{"of": values,
    "mask": the mask's bits}``, so ``values`` (the data, the same in every step) travels once,
    pooled, and each step only its mask, an eighth of a byte per point."""

    values: np.ndarray
    mask: np.ndarray


@dataclass(frozen=True)
class Scaled:
    """In a frame: ``values`` times ``factor`` plus ``add`` (δ·|r| for each δ from one |r|).
    Sent as ``{"of": values, "scale": factor, "add": add}``; the browser computes it in
    double precision."""

    values: np.ndarray
    factor: float
    add: float = 0.0


@dataclass(frozen=True)
class Prefix:
    """In a frame: the first ``count`` entries of ``values``, then ``tail`` (a few values):
    a growing path, whose points so far every step shares, and its current end. Sent as
    ``{"of": values, "upto": count, "tail": [...]}``."""

    values: np.ndarray
    count: int
    tail: Any = ()


@dataclass(frozen=True)
class Where:
    """In a frame: ``then`` where ``mask`` is set, else ``otherwise`` (arrays, `Scaled`, of
    one length): a curve made of two pieces each step shares (Huber: ½r² within ±δ, δ|r| −
    ½δ² beyond). Sent as ``{"where": the mask's bits, "then": …, "else": …}``."""

    mask: np.ndarray
    then: Any
    otherwise: Any


def evaluated(value: Any) -> np.ndarray:
    """The numbers a frame's value stands for (a `Scaled` or `Where` computed as the
    browser does, in double precision)."""
    if isinstance(value, Prefix):
        head = np.asarray(value.values)[: value.count]
        return np.concatenate([head, np.asarray(value.tail, dtype=head.dtype)])
    if isinstance(value, Where):
        mask = np.asarray(value.mask, dtype=bool)
        return np.where(mask, evaluated(value.then), evaluated(value.otherwise))
    if isinstance(value, Scaled):
        return np.asarray(value.values, dtype=np.float64) * value.factor + value.add
    return np.asarray(value, dtype=np.float64)


def checked(exact: np.ndarray, short: Scaled | Where, *, rtol: float = 1e-6) -> Any:
    """``short`` if it stands for ``exact`` (the core's numbers) to within ``rtol`` of each
    value (float32, as charts draw, is 6e-8), else ``exact`` as drawn (float32): a shorter
    form of an array is sent only where it is right, whatever the core computes."""
    exact = np.asarray(exact, dtype=np.float64)
    shown = evaluated(short)
    if shown.shape == exact.shape and np.all(np.abs(shown - exact) <= rtol * np.abs(exact)):
        return short
    return exact.astype(np.float32)


def _bits(mask) -> np.ndarray:
    """A mask as bytes of bits (little-endian: bit j of byte k is entry 8k + j), sent packed
    like any array: the same mask twice in a frame (a zone's x and y) travels once."""
    return np.packbits(np.asarray(mask, dtype=bool), bitorder="little")


def _op(value: Subset | Scaled | Where | Prefix) -> dict:
    """A frame's derived array as JSON data, its arrays left as they are (packed by the
    caller: `_dumps` packs an array met again once)."""
    if isinstance(value, Prefix):
        tail = [float(number) for number in np.asarray(value.tail, dtype=np.float64)]
        return {"of": value.values, "upto": int(value.count), "tail": tail}
    if isinstance(value, Subset):
        return {"of": value.values, "mask": _bits(value.mask)}
    if isinstance(value, Where):
        return {"where": _bits(value.mask), "then": value.then, "else": value.otherwise}
    return {"of": value.values, "scale": float(value.factor), "add": float(value.add)}


# Plotly.js reads these typed arrays; int64 it does not, so those go as int32 (or floats).
_PACKED = ("f8", "f4", "i4", "i2", "i1", "u4", "u2", "u1")


def _packed(values: np.ndarray) -> Any:
    """A numeric array as Plotly's {"dtype", "bdata"} (what `plotly.io.to_json` sends)."""
    if values.dtype.kind not in "fiu":
        return values.tolist()
    if values.dtype.str[1:] not in _PACKED:
        info = np.iinfo(np.int32) if values.dtype.kind in "iu" else None
        fits = info is not None and (
            not values.size or (values.min() >= info.min and values.max() <= info.max)
        )
        values = values.astype(np.int32 if fits else np.float64)
    packed = {
        "dtype": values.dtype.str[1:],
        "bdata": base64.b64encode(np.ascontiguousarray(values)).decode(),
    }
    if values.ndim > 1:
        packed["shape"] = ",".join(str(size) for size in values.shape)
    return packed


def _plain(tree: Any) -> Any:
    """A figure spec as JSON-ready values: arrays packed, NumPy scalars as numbers, a NaN
    or infinite number as null (strict JSON, as `plotly.io.to_json` writes it)."""
    if isinstance(tree, dict):
        return {str(name): _plain(value) for name, value in tree.items()}
    if isinstance(tree, BasePlotlyType):  # a trace a helper built as a graph object
        return _plain(tree.to_plotly_json())
    if isinstance(tree, list | tuple):
        return [_plain(value) for value in tree]
    if isinstance(tree, np.ndarray):
        return _packed(tree)
    if isinstance(tree, Subset | Scaled | Where | Prefix):
        return _plain(_op(tree))
    if isinstance(tree, np.generic):
        tree = tree.item()
    if isinstance(tree, float) and not math.isfinite(tree):
        return None
    return tree


def _json_default(value: Any) -> Any:
    """What `json.dumps` cannot write itself, as `_plain` writes it."""
    if isinstance(value, np.ndarray):
        return _packed(value)
    if isinstance(value, Subset | Scaled | Where | Prefix):
        return _op(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, BasePlotlyType):
        return value.to_plotly_json()
    if hasattr(value, "to_numpy"):  # a pandas Series or Index, as Plotly accepts them
        return _packed(np.asarray(value.to_numpy()))
    raise TypeError(f"cannot send a {type(value).__name__} to plotly.js")


POOLED_AT = 64  # packed arrays longer than this, met more than once, are sent once


class _Pool:
    """The arrays frames share, each packed once: an array met again, as the same object or
    with the same values, is the same entry (`_dumps` writes it as ``{"pool": i}``)."""

    def __init__(self) -> None:
        self.arrays: list[Any] = []
        self._by_id: dict[int, tuple[np.ndarray, int]] = {}
        self._by_value: dict[tuple, int] = {}

    def index(self, values: np.ndarray) -> int:
        known = self._by_id.get(id(values))
        if known is not None and known[0] is values:
            return known[1]
        key = (values.dtype.str, values.shape, values.tobytes())
        index = self._by_value.get(key)
        if index is None:
            index = self._by_value[key] = len(self.arrays)
            self.arrays.append(_packed(values))
        self._by_id[id(values)] = (values, index)
        return index


POOLED_BYTES = 3 * POOLED_AT // 4  # an array this large or larger packs to over POOLED_AT


def _dumps(tree: Any, pool: _Pool | None = None) -> str:
    """``json.dumps(_plain(tree))``, compact, walked in C: the json module's encoder calls
    back only for arrays and NumPy scalars (not `_plain`'s slower Python walk over a
    figure's dicts); an array met again (the same object, shared by frames) is packed once,
    and with a ``pool``, every array above `POOLED_BYTES` goes there, written as
    ``{"pool": i}``. A NaN or infinite number outside an array, which strict JSON has no
    word for, sends the tree through `_plain` instead, which writes it as null (and leaves
    its arrays in place)."""
    packed: dict[int, tuple[np.ndarray, dict]] = {}

    def default(value: Any) -> Any:
        if not isinstance(value, np.ndarray):
            return _json_default(value)
        if pool is not None and value.nbytes > POOLED_BYTES:
            return {"pool": pool.index(value)}
        known = packed.get(id(value))
        if known is None or known[0] is not value:
            known = packed[id(value)] = (value, _packed(value))
        return known[1]

    try:
        return json.dumps(tree, default=default, allow_nan=False, separators=(",", ":"))
    except ValueError:
        return json.dumps(_plain(tree), separators=(",", ":"))


# Cache policy (ui.cache): constants.
@functools.cache
def _template() -> dict:
    template = pio.templates[pio.templates.default].to_plotly_json()
    return json.loads(json.dumps(template, cls=plotly.utils.PlotlyJSONEncoder))


def figure_json(figure: go.Figure) -> str:
    """``figure`` as the JSON plotly.js reads. One built by `ui.charts.figure` (unvalidated:
    its dicts hold NumPy arrays and short lists) is written from its own dicts, read in place by
    `_dumps` (`to_plotly_json` would deep-copy them and walk them for arrays first). Any other
    figure by `plotly.io.to_json`."""
    if getattr(figure, "_validate", True):
        return pio.to_json(figure, validate=False)
    return _dumps({"data": figure._data, "layout": figure._layout})


# Cache policy (ui.cache): by figure.
# Cached figures are shared and never modified, so each is serialised once (by identity;
# an entry goes when its figure does: a figure is not hashable, so not a WeakKeyDictionary).
_serialised: dict[int, tuple[str, int, str]] = {}


def serialised(figure: go.Figure) -> tuple[str, int, str]:
    """``figure`` as the live chart sends it: (`figure_json`, height, revision), written once
    per figure (a cached figure, never modified: memoised by identity while it lives)."""
    known = _serialised.get(id(figure))
    if known is None:
        body = figure_json(figure)
        revision = hashlib.sha256(body.encode()).hexdigest()[:16]
        known = (body, int(figure.layout.height or 450), revision)
        _serialised[id(figure)] = known
        weakref.finalize(figure, _serialised.pop, id(figure), None)
    return known


def _shared_plain(tree: Any, converted: dict[int, Any]) -> Any:
    """`_plain`, each dict or list met before (the same object: a part of the layout the
    steps share) converted once, by identity (``converted``: id → (tree, JSON data))."""
    if isinstance(tree, dict | list):
        known = converted.get(id(tree))
        if known is not None and known[0] is tree:
            return known[1]
        if isinstance(tree, dict):
            plain = {str(name): _shared_plain(value, converted) for name, value in tree.items()}
        else:
            plain = [_shared_plain(value, converted) for value in tree]
        converted[id(tree)] = (tree, plain)
        return plain
    return _plain(tree)


def _figure_dict(figure: go.Figure | tuple[list, dict], converted: dict[int, Any]) -> dict:
    """A figure, or a (traces, layout) spec built for one (same template), as JSON data.

    ``converted``: the dicts and lists already converted, by identity (steps that share one
    list of traces, or parts of a layout, convert them once; the tree is kept beside its
    conversion, so an id is never mistaken for another object's)."""
    if isinstance(figure, go.Figure):
        return _plain(figure.to_plotly_json())
    data, layout = figure
    plain_layout = _shared_plain(layout, converted) | {"template": _template()}
    return {"data": _shared_plain(data, converted), "layout": plain_layout}


def _patch(base: dict, shown: dict) -> dict:
    changed = {name: value for name, value in shown.items() if base.get(name) != value}
    changed.update({name: None for name in base if name not in shown})
    return changed


def _nested_patch(base: Any, shown: Any, path: str = "") -> dict:
    """What turns ``base`` into ``shown`` by dotted path (`set_path`): only the values that
    differ, inside dicts and inside lists of dicts of one length (an axis's range, one
    shape's x0), not a whole axis or list of shapes."""
    if isinstance(base, dict) and isinstance(shown, dict):
        changed = {}
        for name, value in shown.items():
            if name not in base:
                changed[path + name] = value
            elif base[name] != value:
                changed |= _nested_patch(base[name], value, f"{path}{name}.")
        changed |= {path + name: None for name in base if name not in shown}
        return changed
    if (
        isinstance(base, list)
        and isinstance(shown, list)
        and len(base) == len(shown)
        and all(isinstance(item, dict) for item in (*base, *shown))
    ):
        changed = {}
        for index, (one, other) in enumerate(zip(base, shown, strict=True)):
            if one != other:
                changed |= _nested_patch(one, other, f"{path}{index}.")
        return changed
    return {path[:-1]: shown}


# A packed array as `_packed` writes it, in JSON text. A quote cannot occur unescaped inside
# a JSON string, so this never matches inside a text such as a hover template.
_PACKED_JSON = re.compile(r'\{"dtype":"([^"]*)","bdata":"([^"]*)"(?:,"shape":"([^"]*)")?\}')


def _pool_arrays(texts: Sequence[str], start: int = 0) -> tuple[list[str], list[dict]]:
    """The JSON ``texts`` with each packed array longer than `POOLED_AT` that occurs more
    than once in them replaced by ``{"pool": i}`` (i in order of first occurrence, from
    ``start``: after the arrays a `_Pool` holds already), and the pool. Found in the text
    by a regular expression: the same result as walking the trees in Python, in a fraction
    of the time."""
    counts = Counter(
        match.groups()
        for text in texts
        for match in _PACKED_JSON.finditer(text)
        if len(match.group(2)) > POOLED_AT
    )
    pool: dict[tuple, int] = {}

    def pooled(match: re.Match) -> str:
        identity = match.groups()
        if len(identity[1]) <= POOLED_AT or counts[identity] < 2:
            return match.group(0)
        return f'{{"pool":{start + pool.setdefault(identity, len(pool))}}}'

    replaced = [_PACKED_JSON.sub(pooled, text) for text in texts]
    arrays = [
        {"dtype": dtype, "bdata": bdata} | ({"shape": shape} if shape else {})
        for dtype, bdata, shape in pool
    ]
    return replaced, arrays


def animate(figures: Sequence[go.Figure | tuple[list, dict]]) -> Animated:
    """One `Animated` from a figure per step (same traces in each): the first is the base,
    every step a patch of the trace properties and layout keys that differ from it.

    A packed array that recurs (the same x under six curves, a curve that does not change
    for a while) travels once, in ``pool``, and is referred to as ``{"pool": i}``.
    """
    converted: dict[int, Any] = {}
    shown = [_figure_dict(figure, converted) for figure in figures]
    base = shown[0]
    frames = []
    for step in shown:
        if len(step["data"]) != len(base["data"]):
            raise ValueError("every frame must have the same traces as the first")
        traces = {}
        for index, (first, trace) in enumerate(zip(base["data"], step["data"], strict=True)):
            if changed := _patch(first, trace):
                traces[str(index)] = changed
        frames.append({"data": traces, "layout": _nested_patch(base["layout"], step["layout"])})
    texts = [json.dumps(tree, separators=(",", ":")) for tree in (base, frames)]
    (figure_json, steps_json), pooled = _pool_arrays(texts)
    pool_json = json.dumps(pooled, separators=(",", ":"))
    frames_json = f'{{"pool":{pool_json},"steps":{steps_json}}}'
    revision = hashlib.sha256((figure_json + frames_json).encode()).hexdigest()[:16]
    height = int(base["layout"].get("height") or 450)
    return Animated(figure_json, frames_json, height, revision)


def _unpacked(packed: dict) -> np.ndarray:
    values = np.frombuffer(base64.b64decode(packed["bdata"]), dtype=np.dtype(packed["dtype"]))
    return (
        values.reshape([int(size) for size in packed["shape"].split(",")])
        if "shape" in packed
        else values
    )


def _mask(bits: dict, size: int) -> np.ndarray:
    return np.unpackbits(_unpacked(bits), count=size, bitorder="little").astype(bool)


def _resolved(tree: dict) -> dict:
    """A `Subset`, `Scaled` or `Where` as the browser resolves it (ui/live_chart.js
    ``resolved``), its parts resolved already."""
    if "where" in tree:
        then, otherwise = _unpacked(tree["then"]), _unpacked(tree["else"])
        return _packed(np.where(_mask(tree["where"], then.size), then, otherwise))
    values = _unpacked(tree["of"])
    if "upto" in tree:
        tail = np.asarray(tree["tail"], dtype=values.dtype)
        return _packed(np.concatenate([values[: tree["upto"]], tail]))
    if "mask" in tree:
        return _packed(values[_mask(tree["mask"], values.size)])
    return _packed(values.astype(np.float64) * tree["scale"] + tree["add"])


def _unpooled(tree: Any, pool: list) -> Any:
    if isinstance(tree, dict):
        if set(tree) == {"pool"}:
            return pool[tree["pool"]]
        tree = {name: _unpooled(value, pool) for name, value in tree.items()}
        derived = "where" in tree or ("of" in tree and set(tree) & {"mask", "scale", "upto"})
        return _resolved(tree) if derived else tree
    if isinstance(tree, list):
        return [_unpooled(value, pool) for value in tree]
    return tree


def set_path(tree: dict, path: str, value: Any) -> dict:
    """``tree`` with the value at ``path`` replaced (None deletes it), copied along the path.

    A frame's layout key ``"yaxis.range"`` or ``"shapes.2.x0"`` reaches inside a layout
    value (a number names a list's item) instead of replacing the whole of it."""
    head, _, rest = path.partition(".")
    result: Any = list(tree) if isinstance(tree, list) else dict(tree)
    place = int(head) if isinstance(result, list) else head
    if rest:
        inner = result[place] if isinstance(result, list) else result.get(place, {})
        result[place] = set_path(inner, rest, value)
    elif value is None and isinstance(result, dict):
        result.pop(place, None)
    else:
        result[place] = value
    return result


def shown_figure(payload: dict) -> dict:
    """The figure a payload draws: its base with frame ``active`` applied (as the JS does)."""
    figure = payload["figure"]
    frames = payload.get("frames")
    if not frames:
        return figure
    pool = frames["pool"]
    figure = _unpooled(figure, pool)
    frame = _unpooled(frames["steps"][payload.get("active") or 0], pool)

    def patched(base: dict, changes: dict) -> dict:
        result = dict(base)
        for name, value in changes.items():
            result = set_path(result, name, value)
        return result

    data = [
        patched(trace, frame["data"].get(str(index), {}))
        for index, trace in enumerate(figure["data"])
    ]
    return {"data": data, "layout": patched(figure["layout"], frame["layout"])}


def patched_frames(
    figure: go.Figure | tuple[list, dict],
    steps: Sequence[dict[int, dict]],
    layouts: Sequence[dict] | None = None,
) -> Animated:
    """One `Animated` from a figure (or its (traces, layout) spec, as for `ui.charts.figure`)
    and, per step, the few trace properties that move (``{trace index: {property: value}}``:
    a marker's x and y, a line's two ends), and the layout keys that do (``layouts``, one
    dict per step: a picture's image; a dotted key, ``"yaxis.range"``, reaches inside one).

    For frames that touch a handful of small traces (a descent's current point over a
    contour it leaves alone), this skips `animate`'s figure per step: the figure is
    serialised once and each step is its patch alone. A packed array that recurs (a path
    that has stopped growing) travels once, in ``pool``, as in `animate`.
    """
    frames = [
        {
            "data": {str(index): props for index, props in step.items()},
            "layout": layouts[number] if layouts else {},
        }
        for number, step in enumerate(steps)
    ]
    shared = _Pool()
    if isinstance(figure, go.Figure):
        body, height = figure_json(figure), figure.layout.height
    else:
        data, layout = figure
        # A trace property every step sets need not travel in the base as well.
        keys = [
            {(index, name) for index, props in step.items() for name in props} for step in steps
        ]
        always = set.intersection(*keys) if keys else set()
        data = [
            {name: value for name, value in trace.items() if (index, name) not in always}
            for index, trace in enumerate(data)
        ]
        body = _dumps({"data": data, "layout": layout | {"template": _template()}}, shared)
        height = layout.get("height")
    steps_text = _dumps(frames, shared)
    (base_json, steps_json), pooled = _pool_arrays([body, steps_text], len(shared.arrays))
    pool_json = json.dumps(shared.arrays + pooled, separators=(",", ":"))
    frames_json = f'{{"pool":{pool_json},"steps":{steps_json}}}'
    revision = hashlib.sha256((base_json + frames_json).encode()).hexdigest()[:16]
    return Animated(base_json, frames_json, int(height or 450), revision)
