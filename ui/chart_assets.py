"""The live chart's files in the browser: its JavaScript module and plotly.js, published into
the app's static folder, and a page's early start on loading plotly.js.

plotly.js (its cartesian bundle, vendored in ui/vendor/) is served from the app's static
folder (`server.enableStaticServing` in .streamlit/config.toml), copied there with the
chart's module under names that carry a hash of their content: no CDN, nothing inlined.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path

import streamlit as st

from ui import static_cache

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
STATIC_OFF = (
    "The charts cannot be drawn: they load plotly.js from the app's static folder, and this "
    "server runs with static serving off. Start it from the project folder (so that "
    ".streamlit/config.toml applies) or with `--server.enableStaticServing true`."
)
EARLY_KEY = "plotly_early"


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


def static_folder() -> Path:
    """The static folder Streamlit serves for the script it runs (``static/`` beside it)."""
    from streamlit import file_util
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    main_script = getattr(ctx, "main_script_path", None)
    return Path(file_util.get_app_static_dir(main_script)) if main_script else STATIC


def static_url(name: str) -> str:
    """The path at which the static file ``name`` is served (under a base path if set)."""
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"/{base}/app/static/{name}" if base else f"/app/static/{name}"


# Cache policy (ui.cache): constants.
@functools.cache
def _published(static: Path) -> tuple[str, str]:
    names = publish_assets(static)
    static_cache.keep_hashed_files(static)
    return names


def published(*, quiet: bool = False) -> tuple[str, str] | None:
    """The file names of the chart's module and plotly.js in the static folder (published
    there once per process), or None after saying in the page why the charts cannot be
    drawn (once per rerun: ``quiet`` for the scrubbers, whose charts say it)."""
    if not st.get_option("server.enableStaticServing"):
        if not quiet:
            st.error(STATIC_OFF)
        return None
    static = static_folder()
    try:
        return _published(static)
    except OSError as error:
        if not quiet:
            st.error(
                f"The charts cannot be drawn: plotly.js could not be copied into {static} "
                f"({error.strerror or error}). Let the user the app runs as write to that "
                "folder, then reload the page."
            )
        return None


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
    names = published(quiet=True)
    if names is None:
        return  # the first chart says why it cannot be drawn
    module_js, plotly_js = names
    module = json.dumps(static_url(module_js))
    plotly_url = json.dumps(static_url(plotly_js))
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
