"""The live scrubber: a slider whose moves play a chart's precomputed frames in the browser
(no rerun while it moves), drawn by the live chart's component (`ui.live_chart`), its step
kept in the URL.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui import live_chart, presentation, url_state

RESTARTS = "_live_scrubber_restarts"  # session state: {key: (restart token, generation)}
SETTLE_MS = 500  # a scrubber reports its value this long after the student stops
FRAME_MS = 120  # one frame per step while a scrubber plays


def _index_of(labels: Sequence[str], shown: str) -> int:
    """The step a link's value names: its label, or a number equal to a label's."""
    if shown in labels:
        return labels.index(shown)
    with contextlib.suppress(ValueError):
        number = float(shown)
        for index, label in enumerate(labels):
            with contextlib.suppress(ValueError):
                if float(label) == number:
                    return index
    raise ValueError(f"{shown!r} is not a step of this scrubber.")


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
    mount, _ = live_chart.component(quiet=True)
    if mount is None:
        return default
    labels = [format_func(option) for option in options]
    readout = _readout(readouts, len(labels))
    default_index = list(options).index(default)
    mount_key = _restarted_key(key, restart)
    state = st.session_state.get(mount_key)
    if state is None or not isinstance(state.get("value"), int):
        # A step the scrubber does not have starts it at its default, without a sentence.
        from_url, _ = url_state.read(key, functools.partial(_index_of, labels))
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
    url_state.mirror(key, index, default_index, labels.__getitem__)
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
