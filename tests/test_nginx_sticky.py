"""deploy/nginx.conf keeps each browser on one Streamlit process, by a cookie it sets, and
spreads a lecture hall whose students share one address (issue 29).

nginx (Debian's, as deployed) runs the file as bench/classroom_servers.py renders it for the
lab benchmark (its ports, and a header naming the upstream each answer came from) in front
of two small HTTP servers standing in for two Streamlit processes. Every request comes from
127.0.0.1: the hall behind one NAT address that ip_hash would send to one process.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.streamlit_browser import PROJECT_ROOT, free_port

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from classroom_servers import render_nginx  # noqa: E402
from classroom_student import STICKY_COOKIE, UPSTREAM_HEADER, sticky_cookie  # noqa: E402

NGINX = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
pytestmark = pytest.mark.skipif(
    NGINX is None,
    reason="nginx is not installed (apt-get install nginx): deploy/nginx.conf unchecked",
)
STUDENTS = 40  # a lab's class (bench/bench_lab.py)


class Answer(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def backends(count: int):
    """``count`` HTTP servers on loopback; yields their ports."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Answer) for _ in range(count)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield [server.server_address[1] for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@contextlib.contextmanager
def nginx(backend_ports: list[int], prefix: Path):
    """deploy/nginx.conf, rendered as the lab renders it, checked by `nginx -t`, running."""
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx(port, backend_ports, prefix))
    command = [NGINX, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while get(f"http://127.0.0.1:{port}/") is None:
            assert process.poll() is None, (prefix / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, cookie: str = ""):
    """The answer's headers, or None when nothing answered."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with (
        contextlib.suppress(urllib.error.URLError, ConnectionError),
        urllib.request.urlopen(request, timeout=10) as answer,
    ):
        answer.read()
        return answer.headers
    return None


def test_a_new_browser_gets_a_cookie_and_keeps_its_process(tmp_path):
    with backends(2) as ports, nginx(ports, tmp_path) as front:
        first = get(f"{front}/")
        set_cookie = first["Set-Cookie"]
        # deploy/nginx.conf's map: the request's id ($request_id, 32 hex digits) as the cookie.
        assert re.fullmatch(
            rf"{STICKY_COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax", set_cookie
        )
        cookie = set_cookie.split(";", 1)[0]
        later = [get(f"{front}/_stcore/health", cookie) for _ in range(10)]
        assert {answer[UPSTREAM_HEADER] for answer in later} == {first[UPSTREAM_HEADER]}
        assert all(answer["Set-Cookie"] is None for answer in later)


def test_a_hall_behind_one_address_is_spread_over_the_processes(tmp_path):
    with backends(2) as ports, nginx(ports, tmp_path) as front:
        reached = {}
        for index in range(STUDENTS):
            cookie = f"{STICKY_COOKIE}={sticky_cookie(index)}"  # the lab's students' cookies
            upstreams = {get(f"{front}/", cookie)[UPSTREAM_HEADER] for _ in range(3)}
            assert len(upstreams) == 1, (cookie, upstreams)
            reached[index] = upstreams.pop()
    counts = sorted(list(reached.values()).count(f"127.0.0.1:{port}") for port in ports)
    # Consistent hashing of 40 keys over two servers; ip_hash would give [0, 40] here.
    assert counts[0] >= STUDENTS // 4, counts
