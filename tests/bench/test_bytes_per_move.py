"""The lab's bytes per move (bench/classroom_student.py Session): what a rerun's reply weighed
as the app serialised it and on the wire, with and without permessage-deflate.

A small websockets server stands in for Streamlit: on each rerun_script it sends a few
ForwardMsgs (a large repetitive delta, then script_finished), as the real server does.
"""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.server import serve
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_wire import deflate  # noqa: E402
from classroom_student import Session, Tab  # noqa: E402


def reply() -> list[bytes]:
    """A run's messages: a delta of 42 kB, a 6 kB block of random digits seven times (a
    repeat lies farther back than a 4 kB deflate window reaches), then script_finished."""
    digits = random.Random(29)
    block = ", ".join(f"{digits.random():.6f}" for _ in range(6000 // 10))
    element = ForwardMsg()
    element.delta.new_element.markdown.body = block * 7
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return [element.SerializeToString(), finished.SerializeToString()]


def frame_header(size: int) -> int:
    """Bytes of an unmasked server frame's header for a ``size``-byte payload (RFC 6455
    §5.2: 2 bytes, plus a 2-byte length from 126 bytes, an 8-byte one from 65,536)."""
    return 2 + (2 if 126 <= size < 65536 else 8 if size >= 65536 else 0)


async def one_rerun(compression: str | None, extensions=None) -> tuple[Session, Tab]:
    async def streamlit(socket):
        async for _ in socket:
            for payload in reply():
                await socket.send(payload)

    async with serve(
        streamlit, "127.0.0.1", 0, compression=compression, extensions=extensions
    ) as server:
        port = server.sockets[0].getsockname()[1]
        tab = Tab()
        session = Session(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            "page",
            local_host="127.0.0.1",
            timeout=10,
            tab=tab,
        )
        await session.open()
        await session.rerun()
        await session.rerun()  # the second reply is counted from its own rerun_script
        await session.close()
    return session, tab


def test_without_compression_the_wire_is_the_payload_plus_frame_headers():
    session, tab = asyncio.run(one_rerun(None))
    sizes = [len(payload) for payload in reply()]
    assert not tab.compressed
    assert session.last_payload_bytes == sum(sizes)  # the messages the server sent
    assert session.last_wire_bytes == sum(size + frame_header(size) for size in sizes)
    assert tab.bytes_received == 2 * sum(sizes)


def test_with_compression_the_wire_is_the_deflated_frames():
    session, tab = asyncio.run(one_rerun("deflate"))
    sizes = [len(payload) for payload in reply()]
    assert tab.compressed
    assert session.last_payload_bytes == sum(sizes)
    # Digits and ", " deflate to under half (zlib's Huffman coding of 12 symbols), whatever
    # the window.
    assert 0 < session.last_wire_bytes < sum(sizes) / 2


def test_bench_wire_deflates_as_uvicorn_does():
    # uvicorn's websockets-sansio protocol with ws_per_message_deflate (what
    # server.enableWebsocketCompression turns on): uvicorn/protocols/websockets/
    # websockets_sansio_impl.py.
    uvicorn = ServerPerMessageDeflateFactory(
        server_max_window_bits=12, client_max_window_bits=12, compress_settings={"memLevel": 5}
    )
    session, tab = asyncio.run(one_rerun(None, [uvicorn]))
    assert tab.compressed
    # Two replies on one socket share one deflate context, as bench_wire's moves do.
    sizes, _ = deflate([reply(), reply()])
    headers = session.last_wire_bytes - sizes[1]
    # Frame headers only: 2 bytes, or 4 from 126 bytes of payload (RFC 6455 §5.2), per frame.
    assert 2 * len(reply()) <= headers <= 4 * len(reply())
