"""One simulated student: a browser tab speaking Streamlit's websocket protocol.

What the browser does (read from streamlit 1.67's frontend bundle and
web/server/starlette/starlette_websocket.py), and what this client copies:

- opens ``ws://host/_stcore/stream`` with subprotocols ``["streamlit", <xsrf token or
  "PLACEHOLDER_AUTH_TOKEN">]`` (the server selects the first; the token only matters for
  auth cookies), offering permessage-deflate, sending no pings of its own;
- sends a BackMsg ``rerun_script`` (ClientState): on first load ``page_name`` is the URL
  path (``multiclass``) and ``page_script_hash`` is empty; later reruns carry the page's
  hash from the ``navigation`` ForwardMsg, the URL's query string (the frontend writes a
  bound widget's value there; the server may set it with ``page_info_changed``), the
  changed widget's state, the context info and ``cached_message_hashes``: the hashes of the
  cacheable ForwardMsgs it holds, so the server sends a ``ref_hash`` instead of a message
  the tab already has (kept for ``max_cached_message_age`` runs, as the frontend's cache);
- reads ForwardMsgs until ``script_finished``.

Differences from a browser, on purpose: a classroom rerun sends only the moved slider's
state (the browser sends every widget's; the server keeps the others' values either way;
bench/lab_student.py sends every control's), and nothing is rendered.

Every run's URL-bound widgets (elements with a ``query_param_key``) are kept in
``run_widgets``, for a client that finds its controls at run time. A widget's message is
far below ``global.minCachedMessageSize`` (10 kB in 1.67, forward_msg_cache.py), so it
arrives as a ``new_element`` on every run; one that came as a ``ref_hash`` (a larger
setting, or a widget with many options) is read from the copy kept by its hash.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection

SUBPROTOCOLS = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"]
CONTEXT = {
    "timezone": "Europe/Berlin",
    "timezone_offset": -60,
    "locale": "en-US",
    "is_embedded": False,
    "color_scheme": "light",
}
# A rerun still running after this long is given up: the tab is closed and counted stalled.
STALL_SECONDS = 60.0
UPSTREAM_HEADER = "X-Loss-Explorer-Upstream"
# deploy/nginx.conf routes a browser by this cookie, which it sets on the browser's first
# request (the page's HTML); a student's websocket carries it, as a browser's would.
STICKY_COOKIE = "loss_explorer"


class DroppedError(Exception):
    """The websocket closed while a rerun was awaited."""


class CountingConnection(ClientConnection):
    """A client connection that counts the bytes read from its socket: what crossed the
    wire (frame headers and payloads, compressed when permessage-deflate was negotiated),
    before the websockets library decodes frames and inflates messages."""

    wire_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        super().data_received(data)


@dataclass
class Slider:
    """A numeric `st.slider` found in a delta: its id and its legal values min + i·step."""

    widget_id: str
    low: float
    step: float
    count: int
    index: int
    fragment_id: str = ""  # set when the slider lives in an st.fragment

    @classmethod
    def from_proto(cls, proto, fragment_id: str = "") -> Slider:
        count = round((proto.max - proto.min) / proto.step) + 1
        start = proto.value[0] if proto.set_value else proto.default[0]
        index = round((start - proto.min) / proto.step)
        return cls(proto.id, proto.min, proto.step, count, index, fragment_id)

    def value(self) -> float:
        return round(self.low + self.index * self.step, 10)

    def walk(self, rng: random.Random, max_steps: int) -> float:
        """Move 1..max_steps steps left or right, reflected at the ends; the new value."""
        index = self.index + rng.choice((-1, 1)) * rng.randint(1, max_steps)
        if index < 0:
            index = -index
        if index > self.count - 1:
            index = 2 * (self.count - 1) - index
        self.index = min(max(index, 0), self.count - 1)
        return self.value()


@dataclass
class Tab:
    """Everything one student measured."""

    backend: str = ""
    load_seconds: float | None = None
    latencies: list[float] = field(default_factory=list)
    # From the moment the move was due (a student late because the last rerun was slow
    # moves at once): the wait counts, so a slow server cannot hide its queue.
    scheduled_latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    values: list[float] = field(default_factory=list)
    late_ticks: int = 0
    bytes_received: int = 0  # ForwardMsg payloads as the app serialised them (inflated)
    compressed: bool = False  # permessage-deflate negotiated on this tab's websocket
    tracebacks: list[str] = field(default_factory=list)
    # st.warning boxes, when the session is told they are the page's own (not errors).
    page_warnings: Counter = field(default_factory=Counter)


class Session:
    """One websocket session on the app: send reruns, read ForwardMsgs, time each rerun."""

    def __init__(
        self,
        url: str,
        page_name: str,
        *,
        local_host: str,
        timeout: float,
        tab: Tab,
        warnings_are_errors: bool = True,
        sticky: str = "",
    ):
        self.url, self.page_name, self.local_host = url, page_name, local_host
        self.sticky = sticky  # the value of STICKY_COOKIE this tab sends, if any
        self.timeout, self.tab = timeout, tab
        self.warnings_are_errors = warnings_are_errors
        self.page_script_hash = ""
        self.query_string = ""
        self.max_message_age = 2
        self.run_count = 0
        self.cached: dict[str, int] = {}  # message hash → run in which it was last used
        self.sliders: dict[str, Slider] = {}  # query-param key → slider
        # (fragment id, Element) of each URL-bound widget the current run has sent so far.
        self.run_widgets: list[tuple[str, object]] = []
        self.widgets_by_reference = 0  # bound widgets that arrived as a ref_hash
        self._widget_messages: dict[str, ForwardMsg] = {}  # hash → cacheable widget message
        # What the last answered rerun brought (rerun_script sent → its script_finished):
        # the ForwardMsg payloads as serialised, and the bytes read from the socket.
        self.last_payload_bytes = 0
        self.last_wire_bytes = 0
        self._payload_at_send = 0
        self._wire_at_send = 0
        # Set to a list to keep every ForwardMsg payload read (bench/bench_wire.py).
        self.payloads: list[bytes] | None = None
        self._finished: asyncio.Future | None = None
        self._socket: CountingConnection | None = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        host = self.url.split("//", 1)[1].split("/", 1)[0]
        cookie = {"Cookie": f"{STICKY_COOKIE}={self.sticky}"} if self.sticky else None
        self._socket = await websockets.connect(
            self.url,
            subprotocols=SUBPROTOCOLS,
            origin=f"http://{host}",
            ping_interval=None,
            max_size=None,
            open_timeout=self.timeout,
            local_addr=(self.local_host, 0),
            create_connection=CountingConnection,
            additional_headers=cookie,
        )
        self.tab.compressed = any(
            extension.name == "permessage-deflate" for extension in self._socket.protocol.extensions
        )
        self.tab.backend = self._socket.response.headers.get(UPSTREAM_HEADER, host)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def rerun(self, widget_states: list[WidgetState] = (), fragment_id: str = "") -> float:
        """Send one rerun_script; seconds until its script_finished (timeouts counted).

        A widget inside an st.fragment reruns that fragment only: the frontend then sends
        the fragment's id, and so does this student.
        """
        message = BackMsg()
        state = message.rerun_script
        state.fragment_id = fragment_id
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            state.page_name = self.page_name
        state.widget_states.widgets.extend(widget_states)
        state.cached_message_hashes.extend(self.cached)
        for name, value in CONTEXT.items():
            setattr(state.context_info, name, value)
        state.context_info.url = f"{self.url.split('/_stcore', 1)[0]}/{self.page_name}"
        self._finished = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        self._payload_at_send = self.tab.bytes_received
        self._wire_at_send = self._socket.wire_bytes
        try:
            await self._socket.send(message.SerializeToString())
        except websockets.ConnectionClosed as closed:
            raise DroppedError() from closed
        try:
            await asyncio.wait_for(asyncio.shield(self._finished), self.timeout)
        except TimeoutError:
            self.tab.errors[f"timeout (> {self.timeout:g} s)"] += 1
            await asyncio.wait_for(self._finished, STALL_SECONDS - self.timeout)
        return time.perf_counter() - started

    async def _read(self) -> None:
        try:
            async for payload in self._socket:
                self.tab.bytes_received += len(payload)
                if self.payloads is not None:
                    self.payloads.append(payload)
                self._handle(ForwardMsg.FromString(payload))
        except websockets.ConnectionClosed:
            pass
        finally:
            if self._finished is not None and not self._finished.done():
                self._finished.set_exception(DroppedError())

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if message.metadata.cacheable and message.hash:
            self.cached[message.hash] = self.run_count
        if kind == "delta":
            if self._handle_delta(message.delta) and message.metadata.cacheable:
                self._widget_messages[message.hash] = message
        elif kind == "ref_hash":
            self.cached[message.ref_hash] = self.run_count
            kept = self._widget_messages.get(message.ref_hash)
            if kept is not None:
                self.widgets_by_reference += 1
                self._handle_delta(kept.delta)
        elif kind == "new_session":
            # Sent as each run starts (a fragment's too): that run's widgets follow.
            self.max_message_age = message.new_session.config.max_cached_message_age or 2
            self.run_widgets = []
        elif kind == "navigation":
            self._navigated(message.navigation)
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "page_not_found":
            self.tab.errors["page not found"] += 1
        elif kind == "script_finished":
            self._script_finished(message.script_finished)

    def _navigated(self, navigation) -> None:
        # st.navigation names the page that ran; new_session's hash is app.py's own.
        self.page_script_hash = navigation.page_script_hash
        for page in navigation.app_pages:
            ran = page.page_script_hash == navigation.page_script_hash
            if ran and page.url_pathname != self.page_name:
                self.tab.errors[f"ran /{page.url_pathname}, not /{self.page_name}"] += 1

    def _handle_delta(self, delta) -> bool:
        """Count errors, note sliders and bound widgets; True when it was a bound widget."""
        if delta.WhichOneof("type") != "new_element":
            return False
        element = delta.new_element
        kind = element.WhichOneof("type")
        bound = bool(getattr(getattr(element, kind), "query_param_key", ""))
        if bound:
            self.run_widgets.append((delta.fragment_id, element))
        page_warning = not self.warnings_are_errors
        if kind == "exception":
            exception = element.exception
            self.tab.errors[f"exception element ({exception.type}: {exception.message[:120]})"] += 1
            self.tab.tracebacks.append("\n".join(exception.stack_trace))
        elif kind == "alert" and element.alert.format == Alert.WARNING and page_warning:
            self.tab.page_warnings[element.alert.body[:200]] += 1
        elif kind == "alert" and element.alert.format in (Alert.ERROR, Alert.WARNING):
            # The app reports a failure it caught as st.error / st.warning.
            shown = element.alert.body[:120]
            self.tab.errors[f"{Alert.Format.Name(element.alert.format).lower()} box ({shown})"] += 1
        elif kind == "slider" and element.slider.query_param_key:
            key = element.slider.query_param_key
            if key not in self.sliders and element.slider.type != element.slider.SELECT_SLIDER:
                self.sliders[key] = Slider.from_proto(element.slider, delta.fragment_id)
        return bound

    def _script_finished(self, status) -> None:
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return  # a newer run follows; its script_finished ends the wait
        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            self.tab.errors["script error status"] += 1
        self.run_count += 1
        # Read when its frame is handled: bytes of a later frame that came in the same read
        # would count here, but the server sends nothing after script_finished until the
        # next rerun_script (a ping every websocketPingInterval, a few bytes, aside).
        self.last_payload_bytes = self.tab.bytes_received - self._payload_at_send
        self.last_wire_bytes = self._socket.wire_bytes - self._wire_at_send
        self.cached = {
            digest: run
            for digest, run in self.cached.items()
            if self.run_count - run <= self.max_message_age
        }
        self._widget_messages = {
            digest: message
            for digest, message in self._widget_messages.items()
            if digest in self.cached
        }
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(status)


def slider_state(slider: Slider, value: float) -> WidgetState:
    state = WidgetState(id=slider.widget_id)
    state.double_array_value.data.append(value)
    return state


def source_address(index: int) -> str:
    """A loopback address per student whose first three octets differ (what ip_hash keyed on
    before deploy/nginx.conf keyed on a cookie; kept for an older checkout's --root)."""
    return f"127.{index // 250}.{index % 250 + 1}.1"


def sticky_cookie(index: int) -> str:
    """Student ``index``'s routing cookie, as nginx would have set it on the page load."""
    return f"student-{index}"


@dataclass
class Plan:
    """What every student does: where, which slider, how often, for how long."""

    url: str
    page_name: str
    slider_key: str
    interval: float
    timeout: float
    max_steps: int


async def load(session: Session, tab: Tab) -> bool:
    """Open ``session`` and load its page (timed in ``tab.load_seconds``); False, with the
    failure counted in ``tab.errors``, when the tab could not load it."""
    try:
        began = time.perf_counter()
        await session.open()
        await session.rerun()
    except (OSError, websockets.InvalidHandshake, TimeoutError) as error:
        tab.errors[f"connect failed ({type(error).__name__})"] += 1
    except DroppedError:
        tab.errors["websocket dropped"] += 1
    except websockets.ConnectionClosed:
        tab.errors["websocket closed while loading"] += 1
    else:
        tab.load_seconds = time.perf_counter() - began
        return True
    return False


async def student(index: int, plan: Plan, rng: random.Random, ready, start, stop_at) -> Tab:
    """Open the page, wait for the class, then move the slider about once per interval.

    ``ready`` is awaited (with this tab's load outcome) by the conductor; ``start`` is the
    event that opens the moving phase; ``stop_at`` (perf_counter) ends it: no move is
    sent after it, a rerun in flight is finished and counted.
    """
    tab = Tab()
    session = Session(
        plan.url,
        plan.page_name,
        local_host=source_address(index),
        timeout=plan.timeout,
        tab=tab,
        sticky=sticky_cookie(index),
    )
    slider = None
    try:
        if await load(session, tab):
            slider = session.sliders.get(plan.slider_key)
            if slider is None:
                tab.errors[f"slider {plan.slider_key} not on the page"] += 1
    finally:
        ready.set_result(slider is not None)
    await start.wait()
    if slider is not None:
        await _move(session, slider, plan, rng, tab, stop_at())
    await session.close()
    return tab


async def _move(session: Session, slider: Slider, plan: Plan, rng, tab: Tab, stop_at) -> None:
    tick = time.perf_counter() + rng.uniform(0, plan.interval)
    while tick < stop_at:
        await asyncio.sleep(max(0.0, tick - time.perf_counter()))
        value = slider.walk(rng, plan.max_steps)
        tab.values.append(value)
        # The frontend writes a bound widget's value into the URL before it sends the rerun.
        session.query_string = urlencode({plan.slider_key: f"{value:g}"})
        try:
            moved = [slider_state(slider, value)]
            tab.latencies.append(await session.rerun(moved, slider.fragment_id))
            tab.scheduled_latencies.append(time.perf_counter() - tick)
        except DroppedError:
            tab.errors["websocket dropped"] += 1
            return
        except TimeoutError:
            tab.errors[f"stalled (> {STALL_SECONDS:g} s)"] += 1
            return
        # The schedule does not wait for the server: a move that is already due (the last
        # rerun outlasted the pause) is sent at once, and timed from when it was due.
        tick += plan.interval * rng.uniform(0.8, 1.2)
        if tick < time.perf_counter():
            tab.late_ticks += 1
