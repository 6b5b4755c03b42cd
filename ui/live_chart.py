"""The live chart: Plotly figures drawn by a small Components v2 module that updates them
in place, and a scrubber that plays precomputed frames in the browser.

`st.plotly_chart` hashes the figure into its element id, so every new figure remounts the
chart (Plotly draws it from nothing, the chart blinks, a student's zoom is lost). A v2
component with a key keeps its DOM node; `ui/live_chart.js` redraws it with `Plotly.react`
only when the figure's revision changes, keeps zoom and legend choices (`uirevision`),
follows its column's width and reports clicks in data coordinates where a page asks.

What is sent: the figure's JSON once per revision. When this session last sent the same
revision for a key, the rerun sends only the revision (the tab keeps the figure); a tab
that lost it asks once (`missing`) and the next rerun sends it in full.

plotly.js (its cartesian bundle, vendored in ui/vendor/) is served from the app's static
folder (`server.enableStaticServing` in .streamlit/config.toml), copied there with this
module's JavaScript under names that carry a hash of their content: no CDN, nothing inlined.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import os
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ui import presentation, site, static_cache
from ui.frames import Animated, figure_json

STATIC = Path(__file__).resolve().parents[1] / "static"  # beside app.py: served at app/static/
MODULE_SOURCE = Path(__file__).with_name("live_chart.js")
# plotly.js's cartesian bundle, the version of the pinned plotly package's full bundle: a
# third of its size, and it holds every trace type the figures use (ui/vendor/README.md).
PLOTLY_SOURCE = Path(__file__).with_name("vendor") / "plotly-cartesian-4.1.1.min.js.gz"
# The trace types it registers: a figure may use only these (tests/app and tests/e2e check).
PLOTLY_TRACES = frozenset(
    [
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    ]
)
SENT = "_live_chart_sent"  # session state: {key: revision} last sent in full
RESTARTS = "_live_scrubber_restarts"  # session state: {key: (restart token, generation)}
STATIC_OFF = (
    "The charts cannot be drawn: they load plotly.js from the app's static folder, and this "
    "server runs with static serving off. Start it from the project folder (so that "
    ".streamlit/config.toml applies) or with `--server.enableStaticServing true`."
)
SETTLE_MS = 500  # a scrubber reports its value this long after the student stops
FRAME_MS = 120  # one frame per step while a scrubber plays


def _content(source: Path) -> bytes:
    """A source file's bytes; a gzipped one's unpacked."""
    data = source.read_bytes()
    return gzip.decompress(data) if source.suffix == ".gz" else data


def _hashed_name(source: Path, stem: str, suffix: str) -> str:
    digest = hashlib.sha256(_content(source)).hexdigest()[:12]
    return f"{stem}.{digest}{suffix}"


def publish_assets(static: Path = STATIC) -> tuple[str, str]:
    """Copy the chart's module and plotly.js into ``static`` (if not there already) under
    content-hashed names, remove older copies, and return the two file names.

    Written through a temporary file and renamed, so two server processes starting at
    once never serve half a file.
    """
    module = publish(MODULE_SOURCE, "live_chart", ".js", static)
    return module, publish(PLOTLY_SOURCE, "plotly", ".min.js", static)


def publish(source: Path, stem: str, suffix: str, static: Path = STATIC) -> str:
    """Copy ``source`` into ``static`` as ``<stem>.<hash><suffix>`` (if not there already),
    remove older copies, and return the file name (what `publish_assets` does per file)."""
    static.mkdir(exist_ok=True)
    name = _hashed_name(source, stem, suffix)
    target = static / name
    content = _content(source)
    if not target.is_file() or target.stat().st_size != len(content):
        with tempfile.NamedTemporaryFile(dir=static, delete=False, suffix=".part") as part:
            part.write(content)
        os.chmod(part.name, 0o644)  # a temporary file is private (0600); these are public
        os.replace(part.name, target)
    for old in static.glob(f"{stem}.*{suffix}"):
        if old.name != name:
            with contextlib.suppress(OSError):
                old.unlink()
    return name


def _static_folder() -> Path:
    """The static folder Streamlit serves for the script it runs (``static/`` beside it)."""
    from streamlit import file_util
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    main_script = getattr(ctx, "main_script_path", None)
    return Path(file_util.get_app_static_dir(main_script)) if main_script else STATIC


def _static_url(name: str) -> str:
    """The path at which the static file ``name`` is served (under a base path if set)."""
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"/{base}/app/static/{name}" if base else f"/app/static/{name}"


@functools.cache
def _component(static: Path):
    module, plotly_js = publish_assets(static)
    static_cache.keep_hashed_files(static)
    url = _static_url(module)
    # The loader is all that travels with each element; the module is fetched once per tab.
    loader = (
        f'const chart = import(new URL("{url}", location.origin).href);\n'
        "export default (args) => chart.then((module) => module.render(args));\n"
    )
    mount = st.components.v2.component("loss_explorer.live_chart", js=loader, isolate_styles=False)
    return mount, plotly_js


def _mount_or_none(*, quiet: bool = False):
    """The component's mount function and plotly.js's file name, or (None, None) after
    saying in the page why the charts cannot be drawn (once per rerun: ``quiet`` for the
    scrubbers, whose charts say it)."""
    if not st.get_option("server.enableStaticServing"):
        if not quiet:
            st.error(STATIC_OFF)
        return None, None
    static = _static_folder()
    try:
        return _component(static)
    except OSError as error:
        if not quiet:
            st.error(
                f"The charts cannot be drawn: plotly.js could not be copied into {static} "
                f"({error.strerror or error}). Let the user the app runs as write to that "
                "folder, then reload the page."
            )
        return None, None


EARLY_KEY = "plotly_early"


def load_plotly_early() -> None:
    """Start loading plotly.js while the page's script runs, not when the first chart
    mounts: the browser fetches and runs it while the server computes the page.

    A short script asks for plotly.js (`<link rel="preload">`), imports the chart's module
    (the URL the charts' loader imports: the same module instance) and calls its
    `loadPlotly`, whose `<script src>` takes the preloaded response and which the charts
    then share.
    The element holding the script is hidden, so the page's layout does not change. Call
    it early in the app, before the page.
    """
    mount, plotly_js = _mount_or_none(quiet=True)
    if mount is None:
        return  # the first chart says why it cannot be drawn
    module = json.dumps(_static_url(_hashed_name(MODULE_SOURCE, "live_chart", ".js")))
    plotly_url = json.dumps(_static_url(plotly_js))
    script = (
        # The fetch starts at once, in parallel with the module's (which then runs it).
        'document.head.appendChild(Object.assign(document.createElement("link"), '
        f'{{rel: "preload", as: "script", href: new URL({plotly_url}, location.origin).href}}));'
        f"import(new URL({module}, location.origin).href)"
        f".then((module) => module.loadPlotly({json.dumps(plotly_js)}))"
        '.catch((error) => console.error("live chart:", error));'
    )
    hide = f"[data-testid=stLayoutWrapper]:has(> .st-key-{EARLY_KEY}) {{ display: none; }}"
    with st.container(key=EARLY_KEY):
        st.html(f"<style>{hide}</style><script>{script}</script>", unsafe_allow_javascript=True)


# Cached figures are shared and never modified, so each is serialised once (by identity;
# an entry goes when its figure does: a figure is not hashable, so not a WeakKeyDictionary).
_serialised: dict[int, tuple[str, int, str]] = {}


def _serialise(figure: go.Figure) -> tuple[str, int, str]:
    known = _serialised.get(id(figure))
    if known is None:
        body = figure_json(figure)
        revision = hashlib.sha256(body.encode()).hexdigest()[:16]
        known = (body, int(figure.layout.height or 450), revision)
        _serialised[id(figure)] = known
        weakref.finalize(figure, _serialised.pop, id(figure), None)
    return known


# The mode bar's camera: a PNG for a slide, 1920 × 1080 at scale 2 (3840 × 2160 pixels),
# Plotly's own export (the figure redrawn at that size, not a screenshot of the page).
IMAGE_SIZE = {"width": 1920, "height": 1080, "scale": 2}


# Mode bar buttons left out: a selection (box, lasso) that nothing in the app reads, and
# "Share chart", which uploads the chart to Plotly Cloud. Fewer buttons also keep the bar on
# one row above a phone's chart (ui/live_chart.js keeps a strip for it).
MODE_BAR_LEFT_OUT = ["select2d", "lasso2d", "sendChartToCloud"]


def image_name(key: str) -> str:
    """The PNG's file name (without .png) for the chart ``key``: what the chart shows, as its
    page declares it (`ui.site`)."""
    return "loss-explorer_" + site.CHART_NAMES.get(key, key.replace("_", "-"))


# What each revision sent lately showed, for the tests (through `sent_body`): a session records
# only the revision it sent. Each session holding its own copy of every payload (up to ~1 MB
# for the Huber lab's frames) cost memory in proportion to the class. The cached figure a
# revision came from is held weakly (its JSON lives in the caches already); a restyled
# presentation body, which no cache holds, strongly, for the last few only.
SOURCES_KEPT = 256
STYLED_KEPT = 8
_sources: OrderedDict[str, weakref.ref] = OrderedDict()
_styled: OrderedDict[str, tuple[str, str | None]] = OrderedDict()
_sent_lock = threading.Lock()


def _remember(revision: str, source: go.Figure | Animated, styled: tuple | None) -> None:
    """Record what ``revision`` showed: ``styled`` (figure, frames JSON) when restyled for
    presentation, else a weak reference to the cached ``source``."""
    if styled:
        kept, limit, value = _styled, STYLED_KEPT, styled
    else:
        kept, limit, value = _sources, SOURCES_KEPT, weakref.ref(source)
    with _sent_lock:
        kept[revision] = value
        kept.move_to_end(revision)
        while len(kept) > limit:
            kept.popitem(last=False)


def sent_body(revision: str) -> tuple[str, str | None] | None:
    """(figure JSON, frames JSON or None) that ``revision`` sent, if it was sent lately and
    its figure is still cached, else None: what a tab that received it draws."""
    with _sent_lock:
        if revision in _styled:
            return _styled[revision]
        source = _sources[revision]() if revision in _sources else None
    if isinstance(source, Animated):
        return source.figure_json, source.frames_json
    return (_serialise(source)[0], None) if source is not None else None


def _forget(key: str) -> None:
    st.session_state.get(SENT, {}).pop(key, None)


def live_chart(
    figure: go.Figure | Animated,
    *,
    key: str,
    follows: str | None = None,
    active: int = 0,
    on_click: Callable[[], None] | None = None,
    alt: str,
) -> Any:
    """Draw ``figure`` in place of the chart ``key`` (kept across reruns), with ``alt``, what
    it shows and its key numbers in a sentence, as its accessible name (``aria-label`` on a
    ``role="img"`` box: what a screen reader says for the chart); return the
    component's result, whose ``click`` is ``{x, y, xaxis, yaxis, point}`` in the rerun a
    click on the plotting area caused (``point``: ``{curve, index}`` of a marker hit, or
    None), when ``on_click`` is given (double-click autoscale is off then).

    An `Animated` figure shows frame ``active``, and frame i whenever the scrubber
    ``follows`` moves to step i in the browser.
    """
    mount, plotly_js = _mount_or_none()
    if mount is None:
        return None
    if isinstance(figure, Animated):
        body, height, revision = figure.figure_json, figure.height, figure.revision
        frames = figure.frames_json
    else:
        (body, height, revision), frames = _serialise(figure), None
    presenting = presentation.is_on()
    if presenting:
        body, frames, height = presentation.styled(body, frames, height, revision)
        revision += "p"
    config = {
        "displaylogo": False,
        "doubleClick": False if on_click else "reset+autosize",
        "toImageButtonOptions": {"filename": image_name(key), **IMAGE_SIZE},
        "modeBarButtonsToRemove": MODE_BAR_LEFT_OUT,
    }
    if not alt.strip():
        raise ValueError(f"chart {key!r} needs a text alternative (alt) for screen readers.")
    head = {
        "kind": "chart",
        "key": key,
        "rev": revision,
        "height": height,
        "config": config,
        "plotly": plotly_js,
        "click": on_click is not None,
        "follows": follows,
        "active": active,
        "alt": alt,
        "presenting": presenting,
    }
    if presentation.in_scene():
        # A scene fills the screen's height, not below this. A whole page presented (no
        # scene) scrolls: fitted to one screen its charts were squeezed to their minimum.
        head["fit"] = presentation.MIN_HEIGHT
    sent = st.session_state.setdefault(SENT, {})
    brief = json.dumps(head, separators=(",", ":"))
    full = brief[:-1] + ',"figure":' + body + (',"frames":' + frames if frames else "") + "}"
    if sent.get(key) == revision:
        payload = brief
    else:
        payload = full
        sent[key] = revision
        _remember(revision, figure, (body, frames) if presenting else None)
    callbacks = {"on_missing_change": functools.partial(_forget, key)}
    if on_click is not None:
        callbacks["on_click_change"] = on_click
    return mount(key=key, data=payload.encode(), width="stretch", height="content", **callbacks)


def _index_in_url(key: str, labels: Sequence[str]) -> int | None:
    shown = st.query_params.get(key)
    if shown is None:
        return None
    if shown in labels:
        return labels.index(shown)
    with contextlib.suppress(ValueError):
        number = float(shown)
        for index, label in enumerate(labels):
            with contextlib.suppress(ValueError):
                if float(label) == number:
                    return index
    return None


def live_scrubber(
    label: str,
    options: Sequence,
    *,
    key: str,
    default: Any,
    format_func: Callable[[Any], str] = str,
    help: str | None = None,  # noqa: A002 - Streamlit's name for it
    play: bool = True,
    frame_ms: int = FRAME_MS,
    readouts: Sequence[Sequence[tuple[str, str]]] | None = None,
    restart: Any = None,
) -> Any:
    """A slider over ``options`` that moves the charts following ``key`` in the browser
    (no rerun while it moves) and reports its value once the student stops: returns the
    option chosen. Keyboard-operable (arrow keys, Home/End, Page Up/Down), with a play
    button that steps once every ``frame_ms``; its value is in the URL under ``key`` (as
    ``format_func`` shows it), and a value in a link that is not an option falls back to
    ``default``. When ``restart`` (any comparable value: the page's loss and data) differs
    from the last run's, the scrubber starts afresh at ``default``.

    ``readouts``, one per option, each ((label, value text), …) with the same labels: the
    page's numbers at that option, shown under the slider and switched with the charts on
    every move, so they never lag the charts."""
    mount, _ = _mount_or_none(quiet=True)
    if mount is None:
        return default
    labels = [format_func(option) for option in options]
    readout = _readout(readouts, len(labels))
    default_index = list(options).index(default)
    mount_key = _restarted_key(key, restart)
    state = st.session_state.get(mount_key)
    if state is None or not isinstance(state.get("value"), int):
        from_url = _index_in_url(key, labels)
        start = default_index if from_url is None else from_url
    else:
        start = state["value"]
    payload = {
        "kind": "scrubber",
        "key": key,
        "label": label,
        "labels": labels,
        "help": help,
        "value": start,
        "play": play,
        "settle_ms": SETTLE_MS,
        "frame_ms": frame_ms,
    }
    if readout:
        payload |= {"readout": readout, "presenting": presentation.is_on()}
    result = mount(
        key=mount_key,
        data=json.dumps(payload).encode(),
        default={"value": start},
        on_value_change=_nothing,
        width="stretch",
        height="content",
    )
    index = result.get("value") if hasattr(result, "get") else getattr(result, "value", None)
    if not isinstance(index, int) or not 0 <= index < len(labels):
        index = default_index
    if index == default_index:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != labels[index]:
        st.query_params[key] = labels[index]
    return options[index]


def _readout(readouts, steps: int) -> dict | None:
    """``readouts`` as the scrubber sends them: {"names": labels, "values": [texts per step]}."""
    if readouts is None:
        return None
    readouts = [list(readout) for readout in readouts]
    if len(readouts) != steps:
        raise ValueError(f"a scrubber of {steps} steps needs {steps} readouts: {len(readouts)}.")
    names = [name for name, _ in readouts[0]]
    if any([name for name, _ in readout] != names for readout in readouts):
        raise ValueError(f"every step's readout needs the same labels, {names}.")
    return {"names": names, "values": [[text for _, text in readout] for readout in readouts]}


def _restarted_key(key: str, restart: Any) -> str:
    """The component's key for the scrubber ``key``: a new one (and its value dropped from
    the link) when ``restart`` changed since the last run. The browser keeps a component's
    state while its key stays, and sends it with every rerun, so only a new key forgets it."""
    if restart is None:
        return key
    restarts = st.session_state.setdefault(RESTARTS, {})
    token, generation = restarts.get(key, (restart, 0))
    if token != restart:
        generation += 1
        st.query_params.pop(key, None)
    restarts[key] = (restart, generation)
    return key if generation == 0 else f"{key}_{generation}"


def _nothing() -> None:
    """The scrubber's value is read from the component's state; no callback is needed,
    but Streamlit only keeps state values that have one."""
