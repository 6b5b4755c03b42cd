"""One random explorer: a student who keeps moving a random control of a page to a random
legal value (bench/lab_controls.py), as a tab on the websocket (bench/classroom_student.py).

What a rerun carries, as a browser's does: the page's query string with every moved
control's value (a value back at its default is removed), and the state of every control
the student has. Streamlit 1.67 re-reads the URL on every same-page rerun
(ScriptRunContext.reset → set_initial_query_params) and seeds a bound widget whose state
is not in the rerun from its URL value (SessionState._handle_query_param_binding); widget
states win where both are sent. So the two never disagree here, and a control that comes
back (a loss chosen again) is seeded from the URL with the value the student left it at,
as in a browser. A page_info_changed from the server replaces the query string
(Session does that).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from classroom_student import (
    STALL_SECONDS,
    DroppedError,
    Session,
    Tab,
    load,
    source_address,
    sticky_cookie,
)
from lab_controls import Controls, URLValue


@dataclass
class Move:
    """One move: which control, how long from send and from due, what the run showed."""

    key: str
    kind: str
    seconds: float
    from_due: float
    errors: int  # errors counted in the run this move caused
    fragment: bool
    # Its reply, rerun_script sent → script_finished: the ForwardMsgs as serialised, and the
    # bytes read from the socket (compressed frames when permessage-deflate is on).
    payload_bytes: int = 0
    wire_bytes: int = 0


@dataclass
class LabTab(Tab):
    """A Tab that also keeps every move, the controls seen, and any move not sent."""

    moves: list[Move] = field(default_factory=list)
    asked: int = 0  # moves sent (answered or not)
    controls_seen: dict[str, str] = field(default_factory=dict)  # key → kind
    widgets_by_reference: int = 0


@dataclass
class LabPlan:
    """What every explorer does: where, how often, for how long."""

    url: str
    page_name: str
    min_interval: float
    max_interval: float
    timeout: float


def with_param(query_string: str, key: str, value: URLValue) -> str:
    """``query_string`` with ``key`` set to ``value`` (repeated for a list; removed for
    None), keys sorted as the frontend's query-string library writes them."""
    params = [
        (name, text)
        for name, text in parse_qsl(query_string, keep_blank_values=True)
        if name != key
    ]
    if value is not None:
        params += [(key, text) for text in ([value] if isinstance(value, str) else value)]
    return urlencode(sorted(params, key=lambda param: param[0]))


async def explorer(index: int, plan: LabPlan, rng: random.Random, ready, start, stop_at) -> LabTab:
    """Open the page, wait for the lab, then move random controls until ``stop_at()``.

    ``ready`` gets this tab's load outcome; ``start`` opens the moving phase; no move due
    after ``stop_at()`` (perf_counter) is sent, those due before are, late or not.
    """
    tab = LabTab()
    session = Session(
        plan.url,
        plan.page_name,
        local_host=source_address(index),
        timeout=plan.timeout,
        tab=tab,
        warnings_are_errors=False,
        sticky=sticky_cookie(index),
    )
    controls = Controls()
    try:
        if await load(session, tab):
            _update(controls, session, tab)
            if not controls.all():
                tab.errors["no controls found on the page"] += 1
    finally:
        ready.set_result(bool(controls.all()))
    await start.wait()
    if controls.all():
        await _explore(session, controls, plan, rng, tab, stop_at())
    tab.widgets_by_reference = session.widgets_by_reference
    await session.close()
    return tab


async def _explore(session: Session, controls: Controls, plan: LabPlan, rng, tab, stop_at):
    tick = time.perf_counter() + rng.uniform(0, plan.max_interval)  # a random phase
    while tick < stop_at and controls.all():
        await asyncio.sleep(max(0.0, tick - time.perf_counter()))
        control = rng.choice(controls.all())
        control.value = control.pick(rng)
        # The frontend writes a bound widget's value into the URL before it sends the rerun.
        session.query_string = with_param(session.query_string, control.key, control.url_value())
        errors_before = sum(tab.errors.values())
        tab.asked += 1
        try:
            sent = await session.rerun(_states(controls), control.fragment_id)
        except DroppedError:
            tab.errors["websocket dropped"] += 1
            return
        except TimeoutError:
            tab.errors[f"stalled (> {STALL_SECONDS:g} s)"] += 1
            return
        errors = sum(tab.errors.values()) - errors_before
        from_due = time.perf_counter() - tick
        tab.moves.append(
            Move(
                control.key,
                control.kind,
                sent,
                from_due,
                errors,
                bool(control.fragment_id),
                session.last_payload_bytes,
                session.last_wire_bytes,
            )
        )
        tab.latencies.append(sent)
        tab.scheduled_latencies.append(from_due)
        _update(controls, session, tab, control.fragment_id)
        # The schedule does not wait for the server: a move already due when the last
        # rerun ends goes at once, timed from when it was due.
        tick += rng.uniform(plan.min_interval, plan.max_interval)
        if tick < time.perf_counter():
            tab.late_ticks += 1


def _update(controls: Controls, session: Session, tab: LabTab, fragment_id: str = "") -> None:
    """The controls as the run just finished drew them."""
    controls.update(session.run_widgets, fragment_id)
    tab.controls_seen.update((control.key, control.kind) for control in controls.all())


def _states(controls: Controls) -> list:
    """Every control's state, as the browser sends every widget's on each rerun."""
    return [control.state() for control in controls.all()]
