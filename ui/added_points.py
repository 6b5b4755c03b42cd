"""Points a student places on a data chart: a click adds one, a click on one removes it.

They live in session state under the page's key (a page switch keeps them) and in the URL
under the same key as ``x,y;x,y`` (`losses.data.points_text`), so a lecturer's link carries
them. A link whose list is malformed or too long is ignored whole, with a sentence.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from losses import data
from ui import url_state

MAX_POINTS = data.MAX_ADDED_POINTS
DECIMALS = 2  # a click's coordinates, rounded: a short link, and a student cannot aim finer


def _note_key(key: str) -> str:
    return f"{key}__note"


def _points(text: str) -> tuple[tuple[float, float], ...]:
    """A link's ``x,y;x,y`` (`losses.data.parse_points`); ValueError with its sentence."""
    points, note = data.parse_points(text)
    if note:
        raise ValueError(note)
    return points


def added_points(key: str) -> tuple[tuple[float, float], ...]:
    """The points added on this page: from session state, or, on a first visit, the link's
    (a note is left for `take_note` when the link's list cannot be used). Keeps the URL in
    step with them."""
    points, note = url_state.read_once(key, _points, tuple)
    if note:
        st.session_state[_note_key(key)] = note
    url_state.mirror(key, points, (), data.points_text)
    return points


def take_note(key: str) -> str | None:
    """The sentence the last link or click left about the added points (shown once)."""
    return st.session_state.pop(_note_key(key), None)


def click_handler(chart_key: str, key: str, added_trace: int) -> Callable[[], None]:
    """The ``on_click`` of the data chart ``chart_key``: a click on marker i of trace
    ``added_trace`` removes the i-th added point, any other click in the plotting area adds
    one there (up to `MAX_POINTS`, then a sentence says so)."""

    def on_click() -> None:
        result = st.session_state.get(chart_key)
        click = result.get("click") if hasattr(result, "get") else None
        if not isinstance(click, dict) or click.get("xaxis") != "x" or click.get("yaxis") != "y":
            return
        points = list(st.session_state.get(key) or ())
        hit = click.get("point")
        if isinstance(hit, dict) and hit.get("curve") == added_trace:
            index = hit.get("index")
            if isinstance(index, int) and 0 <= index < len(points):
                del points[index]
                st.session_state[key] = tuple(points)
            return
        try:
            x, y = round(float(click["x"]), DECIMALS), round(float(click["y"]), DECIMALS)
        except (KeyError, TypeError, ValueError):
            return
        if len(points) >= MAX_POINTS:
            st.session_state[_note_key(key)] = (
                f"You have placed {MAX_POINTS} points, as many as a page keeps: click on one "
                "of your points (★) to remove it, or remove them all, before adding another."
            )
            return
        if abs(x) > data.ADDED_COORDINATE_LIMIT or abs(y) > data.ADDED_COORDINATE_LIMIT:
            return
        st.session_state[key] = (*points, (x, y))

    return on_click


def remove_button(key: str, *, container=st) -> None:
    """A "remove my points" button (with none placed, a click says how to place one)."""
    points = st.session_state.get(key) or ()

    def remove() -> None:
        if not st.session_state.get(key):
            st.session_state[_note_key(key)] = (
                "There are no points of yours to remove: click on the data chart to add one."
            )
        st.session_state[key] = ()

    container.button(
        f"remove my points ({len(points)})" if points else "remove my points",
        key=f"{key}_remove",
        on_click=remove,
        help="Click on the data chart to add a point (★); click on a ★ to remove it.",
    )


def _one_point(text: str) -> tuple[float, float]:
    """A link's ``a,b``: one point (`losses.data.parse_points`), else ValueError."""
    points, note = data.parse_points(text)
    if len(points) != 1:
        raise ValueError(note or f"The link holds {len(points)} points where one is read.")
    return points[0]


def clicked_point(key: str, default: tuple[float, float]) -> tuple[tuple[float, float], bool]:
    """One point a click chooses (the descent's start), kept in session state and in the URL
    as ``a,b`` (absent at ``default``). Returns the point and whether the link held one
    that could not be read (then the point is ``default``)."""
    point, note = url_state.read_once(key, _one_point, lambda: default)
    url_state.mirror(key, point, default, lambda point: data.points_text([point]))
    return point, note is not None


def point_click_handler(chart_key: str, key: str, decimals: int = 3) -> Callable[[], None]:
    """The ``on_click`` of chart ``chart_key`` that puts the point `clicked_point` keeps
    where the click landed in the plotting area."""

    def on_click() -> None:
        result = st.session_state.get(chart_key)
        click = result.get("click") if hasattr(result, "get") else None
        if not isinstance(click, dict) or click.get("xaxis") != "x" or click.get("yaxis") != "y":
            return
        try:
            point = (round(float(click["x"]), decimals), round(float(click["y"]), decimals))
        except (KeyError, TypeError, ValueError):
            return
        st.session_state[key] = point

    return on_click
