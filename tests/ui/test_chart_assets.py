"""The live chart's files: the vendored cartesian plotly.js (the pinned plotly package's
version) and the chart's module, published into the static folder, and a sentence, not a
traceback, when they cannot be."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import plotly

from ui import chart_assets

# ui/vendor/README.md: sha256sum of plotly-cartesian.min.js in the npm package
# plotly.js-cartesian-dist-min 4.1.1.
CARTESIAN_SHA256 = "79542150855a52c567260e3137095dbe2b744e6d702a5cabe67da246942fba7a"


def _plotly_version(bundle: bytes) -> str:
    """The version in a plotly.js bundle's header comment ("plotly.js (…) v4.1.1")."""
    match = re.search(rb"plotly\.js[^\n]* v(\d+\.\d+\.\d+)", bundle[:300])
    assert match, bundle[:300]
    return match.group(1).decode()


def test_the_vendored_plotly_js_is_the_pinned_packages_version():
    """The figures are written by the pinned plotly package for its own plotly.js: the
    vendored cartesian bundle must be that same version (update it with the pin)."""
    vendored = gzip.decompress(chart_assets.PLOTLY_SOURCE.read_bytes())
    installed = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    assert _plotly_version(vendored) == _plotly_version(installed)
    assert hashlib.sha256(vendored).hexdigest() == CARTESIAN_SHA256


def test_the_assets_are_the_module_and_the_vendored_plotly_js(tmp_path: Path):
    module, plotly_js = chart_assets.publish_assets(tmp_path)
    vendored = gzip.decompress(chart_assets.PLOTLY_SOURCE.read_bytes())
    assert (tmp_path / plotly_js).read_bytes() == vendored
    assert (tmp_path / module).read_bytes() == chart_assets.MODULE_SOURCE.read_bytes()
    # A stale copy of an older version goes; publishing again leaves the same two files.
    (tmp_path / "plotly.0123456789ab.min.js").write_text("old")
    assert chart_assets.publish_assets(tmp_path) == (module, plotly_js)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([module, plotly_js])


def test_a_folder_it_cannot_write_gets_a_sentence_not_a_traceback(tmp_path: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "page.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(chart_assets.__file__).resolve().parents[1])!r})\n"
        "import plotly.graph_objects as go\n"
        "import streamlit as st\n"
        "from ui.live_chart import live_chart\n"
        "live_chart(go.Figure(go.Scatter(y=[1, 2])), key='chart',\n"
        "           alt='A line through two points, y = 1 then 2.')\n"
        "st.write('after the chart')\n"
    )
    (tmp_path / "static").write_text("a file where the folder should be")  # mkdir fails
    monkeypatch.setattr(chart_assets, "_published", chart_assets._published.__wrapped__)
    at = AppTest.from_file(str(script), default_timeout=60)
    at.run()
    assert not at.exception
    assert "plotly.js could not be copied" in at.error[0].value
    assert at.markdown[0].value == "after the chart"  # the rest of the page still runs
