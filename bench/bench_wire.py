"""What permessage-deflate would save and cost on each page: one student's random moves,
their replies deflated as the server would deflate them.

`server.enableWebsocketCompression` (Streamlit 1.67, default false) makes uvicorn's
websockets-sansio protocol offer permessage-deflate with server_max_window_bits=12,
client_max_window_bits=12 and zlib memLevel 5 (uvicorn/protocols/websockets/
websockets_sansio_impl.py); a browser, like bench/classroom_student.py, always offers it. The
server then deflates every ForwardMsg on its event-loop thread, with one zlib context per
websocket kept across messages (no context takeover flag is asked for).

This script starts one Streamlit process per page (compression off: the payloads are the
same either way), opens one session, makes --moves random moves (bench/lab_controls.py, as
in bench/bench_lab.py, one after the other without pauses), keeps each reply's ForwardMsgs,
then deflates them in order with websockets' own PerMessageDeflate at those settings,
--repeats times with a fresh context, and reports per page: payload and deflated kB per
move (median, p95) and the deflating CPU per move (the fastest repeat of each move; median,
p95). The deflated size plus frame headers is what the lab measures on the wire with
compression on (bench/bench_lab.py --option server.enableWebsocketCompression=true), which
checks this reconstruction. Run from the project root:

    python bench/bench_wire.py                       # every page, 60 moves each
    python bench/bench_wire.py --pages huber --moves 100
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import classroom_servers as servers
from bench_classroom import app_pages, quantile
from classroom_student import Session, load
from lab_controls import Controls
from lab_student import LabTab, _states, _update, with_param
from websockets.extensions.permessage_deflate import PerMessageDeflate
from websockets.frames import Frame, Opcode

KB = 1e3
# uvicorn's ServerPerMessageDeflateFactory arguments when the option is on.
WINDOW_BITS = 12
COMPRESS_SETTINGS = {"memLevel": 5}


async def replies(url: str, page: str, moves: int, seed: int) -> list[list[bytes]]:
    """Each move's ForwardMsg payloads, in order, for ``moves`` random moves of one student."""
    tab = LabTab()
    session = Session(
        url, page, local_host="127.0.0.1", timeout=60, tab=tab, warnings_are_errors=False
    )
    controls, rng, kept = Controls(), random.Random(seed), []
    if not await load(session, tab):
        raise RuntimeError(f"{page}: the page did not load: {dict(tab.errors)}")
    _update(controls, session, tab)
    for _ in range(moves):
        control = rng.choice(controls.all())
        control.value = control.pick(rng)
        session.query_string = with_param(session.query_string, control.key, control.url_value())
        session.payloads = []
        await session.rerun(_states(controls), control.fragment_id)
        kept.append(session.payloads)
        _update(controls, session, tab, control.fragment_id)
    await session.close()
    if tab.errors:
        raise RuntimeError(f"{page}: errors while moving: {dict(tab.errors)}")
    return kept


def deflate(moves: list[list[bytes]]) -> tuple[list[int], list[float]]:
    """Deflated bytes and deflating CPU seconds of each move, one context for the session."""
    extension = PerMessageDeflate(False, False, WINDOW_BITS, WINDOW_BITS, dict(COMPRESS_SETTINGS))
    sizes, seconds = [], []
    for payloads in moves:
        began, size = time.process_time(), 0
        for payload in payloads:
            size += len(extension.encode(Frame(Opcode.BINARY, payload)).data)
        seconds.append(time.process_time() - began)
        sizes.append(size)
    return sizes, seconds


def row(stem: str, moves: list[list[bytes]], repeats: int) -> str:
    payload = sorted(sum(map(len, payloads)) for payloads in moves)
    runs = [deflate(moves) for _ in range(repeats)]
    deflated = sorted(runs[0][0])
    cpu = sorted(min(run[1][index] for run in runs) for index in range(len(moves)))
    messages = statistics.median(len(payloads) for payloads in moves)

    def pair(values, scale, digits):
        return " / ".join(
            f"{quantile(values, fraction) * scale:.{digits}f}" for fraction in (0.5, 0.95)
        )

    return (
        f"| {stem} | {len(moves)} | {messages:g} | {pair(payload, 1 / KB, 1)} | "
        f"{pair(deflated, 1 / KB, 1)} | {sum(deflated) / sum(payload):.2f} | "
        f"{pair(cpu, 1e3, 2)} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="comma list of page stems (default: all)")
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5, help="deflate runs per page")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    wanted = [stem for stem in args.pages.split(",") if stem]
    pages = [(stem, path) for stem, path in app_pages() if not wanted or stem in wanted]
    print(
        "| page | moves | messages per move | payload median / p95 kB | deflated median / p95 "
        "kB | deflated ÷ payload | deflate CPU median / p95 ms |\n|---|---|---|---|---|---|---|"
    )
    for stem, path in pages:
        print(f"{stem}…", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="wire-") as temp:
            port = servers.free_port()
            process = servers.start_streamlit(port, Path(temp))
            try:
                servers.wait_healthy(port, process)
                url = f"ws://127.0.0.1:{port}/_stcore/stream"
                moves = asyncio.run(replies(url, path, args.moves, args.seed))
            finally:
                servers.stop([process])
        print(row(stem, moves, args.repeats), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
