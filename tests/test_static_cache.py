"""How long a browser may keep plotly.js and the live chart's module (issue 26).

Their names carry a hash of their content (`ui.chart_assets.publish_assets`), so they may be
kept for good: `Cache-Control: public, max-age=31536000, immutable`, from the app itself
(`ui.static_cache`: Streamlit 1.67 sends none for app/static and answers no conditional
request) and, where the app did not send it, from deploy/nginx.conf; for nothing else.
tests/e2e/test_first_chart.py checks the app's header on a running app.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.streamlit_browser import PROJECT_ROOT, free_port, streamlit_server
from ui import chart_assets, static_cache

NGINX_SITE = PROJECT_ROOT / "deploy" / "nginx.conf"
IMMUTABLE = "public, max-age=31536000, immutable"


def _get(url: str, headers: dict[str, str] | None = None):
    """(status, headers) of a GET, a 304 included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def _cache_pattern() -> re.Pattern:
    """The regular expression of nginx.conf's map that picks the hashed static files (it
    reads "<uri>|<the app's own Cache-Control>")."""
    line = r'"~(\^/app/static/[^"]+)"\s+"' + re.escape(IMMUTABLE) + '"'
    match = re.search(line, NGINX_SITE.read_text())
    assert match, "deploy/nginx.conf has no map line giving the hashed files IMMUTABLE"
    return re.compile(match.group(1))


def test_nginx_picks_the_hashed_static_files_and_nothing_else(tmp_path: Path):
    names = chart_assets.publish_assets(tmp_path)
    pattern = _cache_pattern()
    for name in names:
        assert pattern.search(f"/app/static/{name}|"), name
        # The app sent the header already: nginx does not add a second one.
        assert not pattern.search(f"/app/static/{name}|{IMMUTABLE}"), name
    others = ["/", "/regression", "/_stcore/health", "/app/static/plotly.min.js"]
    for path in [*others, "/app/static/notes.txt", f"/app/static/{names[0]}.map"]:
        assert not pattern.search(f"{path}|"), path


def _headers_of(path: Path) -> dict[str, str]:
    response = static_cache.FileResponse(path)  # Starlette's, which the app serves files with
    response.set_stat_headers(os.stat(path))
    return dict(response.headers)


def test_the_app_marks_its_hashed_files_immutable(tmp_path: Path):
    static, elsewhere = tmp_path / "static", tmp_path / "elsewhere"
    static.mkdir()
    elsewhere.mkdir()
    module, plotly_js = chart_assets.publish_assets(static)
    for folder, name in ((static, "notes.txt"), (elsewhere, plotly_js)):
        (folder / name).write_text("x")
    static_cache.keep_hashed_files(static)
    static_cache.keep_hashed_files(static)  # once more (a second page's first run): no-op
    for name in (module, plotly_js):
        assert _headers_of(static / name)["cache-control"] == IMMUTABLE
    assert "cache-control" not in _headers_of(static / "notes.txt")
    assert "cache-control" not in _headers_of(elsewhere / plotly_js)


@contextlib.contextmanager
def _nginx(backend_port: int, prefix: Path):
    """deploy/nginx.conf in front of one Streamlit process, on a free port; yields its URL."""
    binary = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if binary is None:
        pytest.skip("nginx is not installed (apt-get install nginx): deploy/nginx.conf unchecked")
    port = free_port()
    site = re.sub(r"(?m)^\s*server 127\.0\.0\.1:\d+;\n", "", NGINX_SITE.read_text())
    site = re.sub(
        r"(?m)^(\s*hash\s[^;]+;\n)", rf"\1    server 127.0.0.1:{backend_port};\n", site, count=1
    )
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"    {kind}_temp_path {prefix}/{kind};\n" for kind in kinds)
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temp}{site}\n}}\n"
    )
    nginx = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _get_or_none(f"http://127.0.0.1:{port}/_stcore/health") != 200:
            assert nginx.poll() is None, (prefix / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)


def _get_or_none(url: str) -> int | None:
    with contextlib.suppress(OSError):
        return _get(url)[0]
    return None


def test_nginx_sends_the_header_once_for_the_hashed_files(tmp_path: Path):
    """In front of a Streamlit process that has run no page yet (so sent no header)."""
    module, plotly_js = chart_assets.publish_assets()  # what the app's first run does
    with streamlit_server("app.py") as (base_url, _):
        port = int(base_url.rsplit(":", 1)[1])
        with _nginx(port, tmp_path) as front:
            for name in (module, plotly_js):
                status, headers = _get(f"{front}/app/static/{name}")
                assert (status, headers.get_all("Cache-Control")) == (200, [IMMUTABLE]), name
            status, headers = _get(f"{front}/_stcore/health")
            assert status == 200 and IMMUTABLE not in (headers.get_all("Cache-Control") or [])
