"""Shared AppTest helpers: find the app's pages, open one, list its widgets, move them.

Pages are read from their records (ui/site.py, from which app.py builds its navigation) and
widgets at run time, so the generic sweeps work on whatever each page contains.

Widget values are handled in the form the browser and the URL use: option widgets
(selectbox, radio, select_slider, multiselect) by their *formatted* label, the string a
student sees and the URL holds; sliders and number inputs by number; toggles and
checkboxes by bool. Option widgets are moved by sending the label as the browser would
(a `WidgetState`), because a select_slider's raw option values are not recoverable from
its proto.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.NumberInput_pb2 import NumberInput as NumberInputProto
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Element, Widget

from ui import site
from ui.frames import shown_figure

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "app.py"
TIMEOUT = 60
# Streamlit's element ids look like "$$ID-<hash>-<user key>", "-None" without a key.
AUTO_ID_PREFIX = "$$ID-"
OPTION_TYPES = ("selectbox", "radio", "select_slider", "multiselect")
NUMBER_TYPES = ("slider", "number_input")
BOOL_TYPES = ("toggle", "checkbox")
TEXT_TYPES = ("text_input", "text_area")
# Elements whose content is not what the page shows (or is checked separately).
NOT_SHOWN = {"exception", "empty"}


# ---------------------------------------------------------------- pages


def page_paths() -> list[str]:
    """The page files app.py registers (their records in ui/site.py), in navigation order."""
    return [record.view for record in site.PAGES]


def default_page() -> str:
    """The page the root URL opens (its record has ``default=True``)."""
    return next(record.view for record in site.PAGES if record.default)


def page_id(page: str) -> str:
    return Path(page).stem


LIVE_CHART = "loss_explorer.live_chart"


class Tab(AppTest):
    """An AppTest that keeps, as a browser tab does, what each live chart was last sent in
    full (``drawn``: element id → that message's data). A rerun that leaves a chart's figure
    as it was sends the chart its revision only, and the tab draws the figure it kept."""

    def __init__(self, script_path: str | Path, *, default_timeout: float) -> None:
        super().__init__(script_path, default_timeout=default_timeout)
        self.drawn: dict[str, bytes] = {}

    def _run(self, widget_state=None, timeout=None) -> AppTest:
        ran = super()._run(widget_state, timeout)
        for element in self._tree.get("bidi_component"):
            data = element.proto.bytes
            # The figure follows the head the chart's payload starts with (ui.live_chart).
            if element.proto.component_name == LIVE_CHART and b',"figure":' in data:
                self.drawn[element.proto.id] = data
        return ran


def new_app(app_path: Path = APP_PATH) -> Tab:
    """The app, not run yet, in a `Tab` (what the harness reads figures from)."""
    return Tab(Path(app_path).resolve(), default_timeout=TIMEOUT)


def open_page(
    page: str, *, app_path: Path = APP_PATH, query_params: dict[str, Any] | None = None
) -> AppTest:
    """Run the app frame, switch to ``page`` (with ``query_params`` in the URL) and run it."""
    at = new_app(app_path)
    # Before the first run AppTest finds a page by its file name, which is the URL path
    # st.Page gives it: the first run is then the page itself, as a browser opening the
    # page's link would do (and the link's parameters reach widgets not yet created).
    at.switch_page(page)
    at.query_params.update(query_params or {})
    at.run()
    if at._finished_page_script_hash != at._page_hash:
        raise LookupError(f"AppTest did not open {page}")
    return at


# ---------------------------------------------------------------- widgets


def widgets(at: AppTest) -> list[Widget]:
    """Every widget on the page (main area and sidebar), in page order."""
    return [node for node in at._tree if isinstance(node, Widget)]


def name_of(widget: Widget) -> str:
    """The key if it has one, else the element id (unkeyed widgets are findings)."""
    return widget.key if widget.key is not None else widget.id


def find(at: AppTest, name: str) -> Widget | None:
    for widget in widgets(at):
        if name_of(widget) == name:
            return widget
    return None


def has_user_key(widget: Widget) -> bool:
    """A key the page chose: not None and not Streamlit's generated element id."""
    return widget.key is not None and not widget.key.startswith(AUTO_ID_PREFIX)


def bound_key(widget: Widget) -> str | None:
    """The URL parameter the widget is bound to (``bind="query-params"``), or None."""
    return getattr(widget.proto, "query_param_key", "") or None


def current(widget: Widget) -> Any:
    """The widget's value as a label (option widgets) or a number/bool/str."""
    kind = widget.type
    if kind in ("selectbox", "radio"):
        return None if widget.index is None else widget.options[widget.index]
    if kind == "select_slider":
        value = widget.value
        if isinstance(value, list | tuple):
            return [str(widget.format_func(v)) for v in value]
        return str(widget.format_func(value))
    if kind == "multiselect":
        return list(widget.values)
    return widget.value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _number(widget: Widget, value: float) -> int | float:
    is_int = (widget.type == "slider" and widget.proto.data_type == SliderProto.INT) or (
        widget.type == "number_input" and widget.proto.data_type == NumberInputProto.INT
    )
    return int(value) if is_int else float(value)


def extremes(widget: Widget) -> list[Any]:
    """The values the sweep sets, each from the defaults: the ends of a range, every
    option of a select box or radio, both states of a switch, none/all of a multiselect."""
    kind = widget.type
    if kind == "slider":
        low, high = _number(widget, widget.proto.min), _number(widget, widget.proto.max)
        if isinstance(widget.value, list | tuple):
            return [[low, low], [low, high], [high, high]]
        return [low, high]
    if kind == "number_input":
        low = widget.proto.min if widget.proto.has_min else -1e6
        high = widget.proto.max if widget.proto.has_max else 1e6
        return [_number(widget, low), _number(widget, high)]
    if kind == "select_slider":
        if isinstance(widget.value, list | tuple):
            first, last = widget.options[0], widget.options[-1]
            return [[first, first], [first, last], [last, last]]
        return [widget.options[0], widget.options[-1]]
    if kind in ("selectbox", "radio"):
        return list(widget.options)
    if kind in BOOL_TYPES:
        return [False, True]
    if kind == "multiselect":
        return [[], list(widget.options)]
    if kind in TEXT_TYPES:
        return ["", "0.5", "not a number"]
    if kind == "button":
        return ["click"]
    if kind == "download_button":
        return []  # on_click="ignore": a download changes nothing the page shows
    if kind == "file_uploader":
        return []  # files, good and bad, are sent to every page by tests/app/test_uploads.py
    raise NotImplementedError(f"the sweep cannot move a {kind} widget ({name_of(widget)})")


def non_default(widget: Widget) -> Any:
    """A valid value other than the default: the far end, the last option, the flip."""
    default = current(widget)
    candidates = [v for v in reversed(extremes(widget)) if not same(v, default)]
    if not candidates:
        raise ValueError(f"{name_of(widget)} has no value other than its default")
    return candidates[0]


def url_form(value: Any) -> str | list[str]:
    """How a value is written in the URL (what Streamlit itself writes)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return [url_form(v) for v in value] if value else ""
    return str(value)


def invalid_url_value(widget: Widget) -> str:
    if widget.type in NUMBER_TYPES:
        return "not-a-number"
    if widget.type in BOOL_TYPES:
        return "maybe"
    return "no-such-option"


def set_and_run(at: AppTest, name: str, value: Any) -> AppTest:
    """Set widget ``name`` to ``value`` as a browser would, and rerun."""
    widget = find(at, name)
    if widget is None:
        raise LookupError(f"widget {name} is not on the page")
    if widget.type == "button":
        widget.click()
        return at.run()
    if widget.type not in OPTION_TYPES:
        widget.set_value(value)
        return at.run()
    labels = value if isinstance(value, list | tuple) else [value]
    state = WidgetState(id=widget.id)
    if widget.type in ("selectbox", "radio"):
        state.string_value = labels[0]
    else:
        state.string_array_value.data[:] = list(labels)
    states = at._tree.get_widget_states()
    for entry in states.widgets:
        if entry.id == widget.id:
            entry.CopyFrom(state)
    return at._run(states)


def editors(at: AppTest) -> list[Element]:
    """The page's st.data_editor tables (not widgets to AppTest, but students edit them)."""
    return [e for e in at.get("data_editor") if e.key is not None]


def table_edits(editor: Element) -> list[tuple[str, dict]]:
    """Edits a student can make, each from the table as shown: one cell at a time blanked,
    made huge or made negative; every row deleted; an empty row added."""
    table = editor.value
    edits = []
    for column in table.columns:
        for shown, value in (("blank", None), ("-1e6", -1e6), ("1e6", 1e6)):
            edits.append((f"{column} in the first row = {shown}", {0: {str(column): value}}))
    deleted = {"edited_rows": {}, "added_rows": [], "deleted_rows": list(range(len(table)))}
    added = {"edited_rows": {}, "added_rows": [{}], "deleted_rows": []}
    return [
        *(
            (name, {"edited_rows": rows, "added_rows": [], "deleted_rows": []})
            for name, rows in edits
        ),
        ("every row deleted", deleted),
        ("an empty row added", added),
    ]


def edit_and_run(at: AppTest, key: str, edit: dict) -> AppTest:
    """Apply ``edit`` (data_editor's edit state) to the table ``key``, as typing would."""
    at.session_state[key] = edit
    return at.run()


# ---------------------------------------------------------------- what the page shows


def _live_payload(at: AppTest, element: Element) -> dict:
    """A live chart's payload with its figure, as the component receives it: from the
    element's data, or (when the chart was sent its revision only) from the message that last
    sent this chart in full, which must be of that revision (`Tab`)."""
    payload = json.loads(element.proto.bytes)
    if "figure" not in payload and payload.get("kind") == "chart":
        if not isinstance(at, Tab):
            raise TypeError(
                f"chart {payload['key']!r} was sent its revision only: open the app with "
                "harness.new_app(), which keeps what earlier runs sent, as a tab does."
            )
        earlier = at.drawn.get(element.proto.id)
        assert earlier is not None, f"chart {payload['key']!r} was never sent a figure"
        earlier = json.loads(earlier)
        assert earlier["rev"] == payload["rev"], (
            f"chart {payload['key']!r} was sent revision {payload['rev']} only, but its last "
            f"figure was {earlier['rev']}"
        )
        payload |= {name: earlier[name] for name in ("figure", "frames") if name in earlier}
    return payload


def live_charts(at: AppTest) -> list[Element]:
    """The page's live charts (not its scrubbers), in page order."""
    return [
        element
        for element in at.get("bidi_component")
        if element.proto.component_name == LIVE_CHART
        and json.loads(element.proto.bytes).get("kind") == "chart"
    ]


def chart_figure(at: AppTest, element: Element) -> dict:
    """The figure a live chart shows ({"data", "layout"}), its frame applied."""
    return shown_figure(_live_payload(at, element))


def scrubber(at: AppTest, key: str) -> dict:
    """The live scrubber ``key``'s payload: its ``labels`` and the step ``value`` shown."""
    for element in at.get("bidi_component"):
        if element.proto.component_name == LIVE_CHART:
            payload = json.loads(element.proto.bytes)
            if payload.get("kind") == "scrubber" and payload["key"] == key:
                return payload | {"id": element.proto.id}
    raise LookupError(f"no live scrubber {key} on the page")


def scrubber_keys(at: AppTest) -> list[str]:
    """The keys of the page's live scrubbers (controls that play frames in the browser)."""
    keys = []
    for element in at.get("bidi_component"):
        if element.proto.component_name == LIVE_CHART:
            payload = json.loads(element.proto.bytes)
            if payload.get("kind") == "scrubber":
                keys.append(payload["key"])
    return keys


def move_scrubber(at: AppTest, key: str, label: str) -> AppTest:
    """Stop the scrubber ``key`` at the step labelled ``label``, as the browser reports it
    (the component's state ``{"value": step}``), and rerun."""
    shown = scrubber(at, key)
    state = WidgetState(id=shown["id"])
    state.json_value = json.dumps({"value": shown["labels"].index(label)})
    states = at._tree.get_widget_states()
    kept = [entry for entry in states.widgets if entry.id != shown["id"]]
    del states.widgets[:]
    states.widgets.extend([*kept, state])
    return at._run(states)


def click_chart(at: AppTest, key: str, click: dict) -> AppTest:
    """Click the live chart ``key`` as the browser reports it (the trigger value ``click``:
    ``{x, y, xaxis, yaxis, point}``, sent through the component's event aggregator), and rerun."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    element = next(
        element for element in live_charts(at) if json.loads(element.proto.bytes)["key"] == key
    )
    state = WidgetState(id=_make_trigger_id(element.proto.id, "events"))
    state.json_trigger_value = json.dumps([{"event": "click", "value": click}])
    states = at._tree.get_widget_states()
    kept = [entry for entry in states.widgets if entry.id != state.id]
    del states.widgets[:]
    states.widgets.extend([*kept, state])
    return at._run(states)


def figures(at: AppTest) -> list[dict]:
    """Every live chart's figure as shown, in page order."""
    return [chart_figure(at, element) for element in live_charts(at)]


def _content(at: AppTest, element: Element) -> Any:
    if element.type == "bidi_component" and element.proto.component_name == LIVE_CHART:
        payload = _live_payload(at, element)
        if payload.get("kind") != "chart":
            return payload
        figure = shown_figure(payload)
        return {"data": figure.get("data"), "layout": figure.get("layout")}
    proto = element.proto
    if "arrow_data" in proto.DESCRIPTOR.fields_by_name:
        # The same table can serialise to different Arrow bytes (buffer padding), so
        # compare the decoded values and the rest of the proto instead.
        rest = type(proto)()
        rest.CopyFrom(proto)
        rest.ClearField("arrow_data")
        table = element.value.to_json(orient="split", double_precision=15, date_format="iso")
        return [table, rest.SerializeToString().hex()]
    return proto.SerializeToString().hex()


def fingerprint(at: AppTest) -> str:
    """A hash of everything the page shows except its widgets: every plotly figure's data
    and layout, tables, metrics, markdown, LaTeX and alerts."""
    shown = [
        (node.type, _content(at, node))
        for node in at._tree
        if not isinstance(node, Block | Widget) and node.type not in NOT_SHOWN
    ]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def problems(at: AppTest) -> list[str]:
    """Exceptions the page raised, each as one line."""
    return [" ".join(str(e.value).split())[:300] for e in at.exception]


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


# ---------------------------------------------------------------- the sweep


@dataclass
class Finding:
    page: str
    key: str
    value: Any
    problem: str

    def __str__(self) -> str:
        return f"{self.page} [{self.key} = {self.value!r}]: {self.problem}"


@dataclass
class Sweep:
    page: str
    findings: list[Finding] = field(default_factory=list)
    swept: list[str] = field(default_factory=list)
    runs: int = 0

    def add(self, key: str, value: Any, problem: str) -> None:
        self.findings.append(Finding(self.page, key, value, problem))


def sweep_widget(at: AppTest, name: str, sweep: Sweep, *, depth: int = 0, max_depth: int = 3):
    """Set ``name`` to each of its extremes in turn from the current state, rerun, and record
    exceptions, moves that change nothing shown, and values that do not stick. Widgets a
    move reveals (a "set α" toggle's slider, a loss's parameters) are swept the same way
    while revealed. The widget is put back to its starting value at the end."""
    widget = find(at, name)
    start, before, known = current(widget), fingerprint(at), {name_of(w) for w in widgets(at)}
    known_tables = {e.key for e in editors(at)}
    sweep.swept.append(name)
    for value in extremes(widget):
        try:
            set_and_run(at, name, value)
        except Exception as error:  # a timeout or a widget that vanished
            sweep.add(name, value, f"{type(error).__name__}: {error}")
            return
        sweep.runs += 1
        if problems(at):
            sweep.add(name, value, "exception: " + " | ".join(problems(at)))
        elif widget.type != "button":
            moved = find(at, name)
            if moved is None:
                sweep.add(name, value, "the widget disappeared")
                return
            if not same(current(moved), value):
                sweep.add(name, value, f"the widget shows {current(moved)!r} instead")
            elif not same(value, start) and fingerprint(at) == before:
                sweep.add(name, value, "nothing the page shows changed")
            for revealed in [w for w in widgets(at) if name_of(w) not in known]:
                if not has_user_key(revealed):
                    sweep.add(name, value, f"revealed widget {revealed.label!r} has no key")
                elif depth < max_depth:
                    sweep_widget(at, name_of(revealed), sweep, depth=depth + 1)
            for table in [e for e in editors(at) if e.key not in known_tables]:
                sweep_table(at, table.key, sweep)
    if widget.type not in ("button", "download_button", "file_uploader"):
        set_and_run(at, name, start)
        sweep.runs += 1


def sweep_table(at: AppTest, key: str, sweep: Sweep) -> None:
    """Each of `table_edits` on the data_editor ``key``, then the table as it was; record
    exceptions (a table a loss cannot score should get a sentence, not a traceback)."""
    editor = next(e for e in editors(at) if e.key == key)
    sweep.swept.append(key)
    for what, edit in table_edits(editor):
        try:
            edit_and_run(at, key, edit)
        except Exception as error:
            sweep.add(key, what, f"{type(error).__name__}: {error}")
            return
        sweep.runs += 1
        if problems(at):
            sweep.add(key, what, "exception: " + " | ".join(problems(at)))
    edit_and_run(at, key, {"edited_rows": {}, "added_rows": [], "deleted_rows": []})
    sweep.runs += 1


@functools.cache
def discover(page: str, app_path: Path = APP_PATH) -> tuple[tuple[str, str, bool], ...]:
    """(name, type, bound to the URL) of each widget on ``page`` at its defaults; raises
    when the page fails there (its widgets after the failure would go unswept unseen)."""
    at = _opened_cleanly(page, app_path)
    return tuple((name_of(w), w.type, bound_key(w) is not None) for w in widgets(at))


@functools.cache
def discover_tables(page: str, app_path: Path = APP_PATH) -> tuple[str, ...]:
    """Keys of the data_editor tables on ``page`` at its defaults (raises as `discover`)."""
    return tuple(e.key for e in editors(_opened_cleanly(page, app_path)))


def _opened_cleanly(page: str, app_path: Path) -> AppTest:
    at = open_page(page, app_path=app_path)
    if found := problems(at):
        raise AssertionError(f"{page} fails at its defaults: {found}")
    return at
