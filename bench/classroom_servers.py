"""Start and stop the servers the classroom benchmark measures: K Streamlit processes and,
in front of more than one, Debian's nginx rendered from deploy/nginx.conf.

Every process starts in its own process group (``start_new_session``) and is stopped by
group, so the server's children go too. Memory and CPU come from /proc.

``root`` (default: this checkout) is the checkout whose app.py and deploy/nginx.conf are
served, so the same harness can measure an older commit's app from a git worktree.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# The environment a lecture deployment gives each process (deploy/README.md § 1), so the
# benchmarks measure what the hall gets: glibc's mmap threshold kept at 128 kB, or large
# freed arrays stay in the process's heap arenas (the network page: +88 MB over 24 trainings).
DEPLOYED_ENV = {"MALLOC_MMAP_THRESHOLD_": "131072"}

ROOT = Path(__file__).resolve().parent.parent
NGINX_SITE = Path("deploy") / "nginx.conf"  # inside the served checkout
TIMED_LAUNCHER = Path(__file__).with_name("timed_streamlit.py")
HEALTH = "/_stcore/health"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

sys.path.insert(0, str(ROOT))
from tests.e2e.streamlit_browser import free_port as free_port  # noqa: E402 (re-exported; the e2e tests' own)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def start_streamlit(
    port: int,
    log_dir: Path,
    options: tuple[str, ...] = (),
    *,
    root: Path = ROOT,
    runs_log: Path | None = None,
) -> Process:
    """The command from the issue, on ``port``, bound to loopback; .streamlit/config.toml applies.

    ``options``: extra ``section.name=value`` settings (e.g. ``server.fileWatcherType=none``).
    ``runs_log``: start it through bench/timed_streamlit.py instead, which appends one line
    per script run (time, CPU, what changed) to that file."""
    log = log_dir / f"streamlit-{port}.log"
    launcher = ["-m", "streamlit"] if runs_log is None else [str(TIMED_LAUNCHER)]
    command = [
        sys.executable,
        *launcher,
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    for option in options:
        name, value = option.split("=", 1)
        command += [f"--{name}", value]
    env = (
        os.environ | DEPLOYED_ENV | ({"SCRIPT_RUNS": str(runs_log)} if runs_log is not None else {})
    )
    with log.open("wb") as out:
        popen = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(f"streamlit :{port}", popen, log)


def render_nginx(
    listen_port: int, backend_ports: list[int], prefix: Path, root: Path = ROOT
) -> str:
    """deploy/nginx.conf with this run's ports, wrapped in a main context whose pid, logs and
    temp files live in ``prefix`` (``daemon off``: nginx stays our child). Adds a response
    header naming the upstream, so each student can tell which process it reached."""
    site = (root / NGINX_SITE).read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in backend_ports)
    site, upstreams = re.subn(r"(?m)^\s*server 127\.0\.0\.1:\d+;\n", "", site)
    # The balancing line opens the upstream block: `hash …;` now, `ip_hash;` in older checkouts.
    site, anchors = re.subn(
        r"(?m)^(\s*(?:ip_hash|hash\s[^;]+);\n)", lambda m: m.group(1) + servers, site
    )
    site, listens = re.subn(r"(?m)^(\s*)listen 80;", rf"\1listen 127.0.0.1:{listen_port};", site)
    site, headers = re.subn(
        r"(?m)^(\s*)proxy_pass (.*);",
        r"\1proxy_pass \2;\n\1add_header X-Loss-Explorer-Upstream $upstream_addr always;",
        site,
    )
    if not (upstreams >= 1 and anchors == listens == headers == 1):
        raise RuntimeError(f"{root / NGINX_SITE} no longer has the lines this benchmark rewrites")
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log off;\n{temp}\n{site}\n}}\n"
    )


def start_nginx(
    listen_port: int, backend_ports: list[int], prefix: Path, root: Path = ROOT
) -> Process:
    binary = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if binary is None:
        raise RuntimeError(
            "nginx is not installed: the multi-process case needs Debian's nginx "
            "(apt-get install -y nginx); run with --processes 1 to skip it"
        )
    conf = prefix / "nginx.conf"
    conf.write_text(render_nginx(listen_port, backend_ports, prefix, root))
    log = prefix / "nginx.out"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(f"nginx :{listen_port}", popen, log)


def wait_healthy(port: int, process: Process, timeout: float = 90.0) -> None:
    """Poll /_stcore/health on ``port`` until it answers "ok"; fail early if ``process`` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(
                f"{process.name} exited ({process.popen.returncode}):\n{process.tail()}"
            )
        url = f"http://127.0.0.1:{port}{HEALTH}"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as reply:
            if reply.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{process.name}: no healthy answer on :{port} in {timeout:g} s")


def stop(processes: list[Process]) -> None:
    """SIGTERM each process group, SIGKILL whatever is left after 10 s."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGKILL)
            process.popen.wait(timeout=10)


def rss_bytes(pid: int) -> int:
    """Resident set size from /proc/<pid>/statm (pages × page size)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


def cpu_seconds(pid: int, with_children: bool = False) -> float:
    """User + system CPU time of ``pid`` (and of its direct children, for nginx's worker)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    if with_children:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        for child in children.read_text().split() if children.exists() else ():
            with contextlib.suppress(OSError):
                total += cpu_seconds(int(child))
    return total
