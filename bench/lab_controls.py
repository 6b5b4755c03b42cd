"""A page's controls as a student finds them in its runs' deltas, and how each one is moved.

A control is a URL-bound widget (``query_param_key`` set: every widget of this app is bound
with ``bind="query-params"``, its key is the parameter's name) of one of these kinds:

| kind | proto | value kept here | WidgetState sent | URL value |
|---|---|---|---|---|
| slider | Slider (SLIDER) | index i of min + i·step | double_array_value [v] | "2", "0.35" |
| select_slider | Slider (SELECT_SLIDER) | option index | string_array_value [label] | label |
| checkbox, toggle | Checkbox (DEFAULT, TOGGLE) | bool | bool_value | "true" / "false" |
| selectbox, radio | Selectbox, Radio | option index | string_value label | label |
| multiselect | MultiSelect | chosen option indices | string_array_value labels | labels |

A number in the URL is JavaScript's String(v) (no ".0"); several labels are repeated keys.
Read from streamlit 1.67: the serdes and ``value_type`` in elements/widgets/slider.py,
select_slider.py, checkbox.py, selectbox.py, radio.py, multiselect.py; the URL side in
runtime/state/query_params.py (parse_url_param) and the frontend bundle's widget manager
(convertToUrlValue, shouldClearUrlParam: a value equal to the widget's default is removed
from the URL; arrays are repeated keys; keys sorted). Not controls: buttons, file and
download buttons, text and number inputs, the data editor, custom components (the live
chart and scrubber), disabled widgets and ``on_change="ignore"`` ones (no rerun). Range
sliders (two values) are skipped: the app has none.

The frontend keeps a widget's value by its element id and takes the proto's value only
when ``set_value`` is true (the server resolved it: a URL seed, session state); a widget
with a new id starts at its default. A control set built from a run copies that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState

URLValue = str | list[str] | None  # None: the parameter is left out of the URL

# A page whose moves mostly start a training (hundreds of ms of server CPU, not tens) is
# explored at a lab's rhythm for it: set a control, watch the training play, move again.
RHYTHMS = {"network": (5.0, 15.0)}  # page stem → (shortest, longest) pause, s
DEFAULT_PAUSES = (1.0, 3.0)
# Its controls whose move only redraws; every other control's move trains (or finds the
# training it asks for cached, when another student asked first).
REDRAWS = {"network": frozenset({"net_reproduce_which"})}


def pauses(stem: str, args) -> tuple[float, float]:
    """The shortest and longest pause between one student's moves on page ``stem``: the
    options given, else the page's rhythm (`lab_controls.RHYTHMS`), else 1–3 s."""
    low, high = RHYTHMS.get(stem, DEFAULT_PAUSES)
    given = (args.min_interval, args.max_interval)
    return (given[0] if given[0] is not None else low, given[1] if given[1] is not None else high)


def trains(stem: str, key: str) -> bool | None:
    """Whether moving ``key`` on page ``stem`` asks for a training; None: the page trains
    nothing, all its moves are judged alike."""
    if stem not in REDRAWS:
        return None
    return key not in REDRAWS[stem]


@dataclass
class Control:
    """One movable widget: its key, element id, fragment, current and default value."""

    key: str
    widget_id: str
    kind: str
    fragment_id: str
    value: Any
    default: Any

    def pick(self, rng: random.Random) -> Any:
        """A random legal value other than the current one."""
        raise NotImplementedError

    def state(self) -> WidgetState:
        """The WidgetState the frontend sends for the current value."""
        raise NotImplementedError

    def url_text(self, value: Any) -> str | list[str]:
        raise NotImplementedError

    def url_value(self) -> URLValue:
        """What the frontend writes into the URL for the current value (None: removed)."""
        return None if self.value == self.default else self.url_text(self.value)

    def shown(self) -> str:
        """The current value, for reports."""
        text = self.url_text(self.value)
        return ",".join(text) if isinstance(text, list) else text


@dataclass
class NumericSlider(Control):
    low: float = 0.0
    step: float = 1.0
    count: int = 1
    integer: bool = False

    def number(self, index: int) -> float:
        return round(self.low + index * self.step, 10)

    def pick(self, rng: random.Random) -> int:
        return _other_index(rng, self.value, self.count)

    def state(self) -> WidgetState:
        state = WidgetState(id=self.widget_id)
        state.double_array_value.data.append(self.number(self.value))
        return state

    def url_text(self, value: int) -> str:
        number = self.number(value)
        # JavaScript's String(number): no ".0" on whole numbers.
        return str(int(number)) if self.integer or number == int(number) else repr(number)


@dataclass
class Switch(Control):
    def pick(self, rng: random.Random) -> bool:
        return not self.value

    def state(self) -> WidgetState:
        return WidgetState(id=self.widget_id, bool_value=self.value)

    def url_text(self, value: bool) -> str:
        return "true" if value else "false"


@dataclass
class Choice(Control):
    options: tuple[str, ...] = ()

    def pick(self, rng: random.Random) -> int:
        return _other_index(rng, self.value, len(self.options))

    def state(self) -> WidgetState:
        return WidgetState(id=self.widget_id, string_value=self.options[self.value])

    def url_text(self, value: int) -> str:
        return self.options[value]


@dataclass
class SelectSlider(Choice):
    """A select slider: chosen like a select box, sent as a one-label array."""

    def state(self) -> WidgetState:
        state = WidgetState(id=self.widget_id)
        state.string_array_value.data.append(self.options[self.value])
        return state


@dataclass
class MultiChoice(Control):
    options: tuple[str, ...] = ()

    def pick(self, rng: random.Random) -> tuple[int, ...]:
        """Add or remove one option, as one click does (an empty choice is legal)."""
        option = rng.randrange(len(self.options))
        if option in self.value:
            return tuple(index for index in self.value if index != option)
        return (*self.value, option)

    def state(self) -> WidgetState:
        state = WidgetState(id=self.widget_id)
        state.string_array_value.data.extend(self.options[index] for index in self.value)
        return state

    def url_text(self, value: tuple[int, ...]) -> list[str]:
        # An empty choice is "?key=": the frontend writes an empty array as "".
        return [self.options[index] for index in value] or [""]


def _other_index(rng: random.Random, current: int, count: int) -> int:
    index = rng.randrange(count - 1)
    return index + (index >= current)


def _index(labels: tuple[str, ...], label: str, fallback: int) -> int:
    return labels.index(label) if label in labels else fallback


def from_element(fragment_id: str, element) -> Control | None:
    """The control for one bound widget element, at the value its proto sets; None when the
    element is not a control (not a kind above, disabled, no rerun, a range slider)."""
    kind = element.WhichOneof("type")
    proto = getattr(element, kind)
    if getattr(proto, "disabled", True) or getattr(proto, "ignore_rerun", True):
        return None
    common = {"key": proto.query_param_key, "widget_id": proto.id, "fragment_id": fragment_id}
    if kind == "slider":
        return _slider(proto, common)
    if kind == "checkbox":
        name = "toggle" if proto.type == proto.TOGGLE else "checkbox"
        value = proto.value if proto.set_value else proto.default
        return Switch(kind=name, value=value, default=proto.default, **common)
    if kind in ("selectbox", "radio") and proto.HasField("default") and proto.options:
        options = tuple(proto.options)
        value = _index(options, proto.raw_value, proto.default) if proto.set_value else None
        return Choice(
            kind=kind,
            value=proto.default if value is None else value,
            default=proto.default,
            options=options,
            **common,
        )
    if kind == "multiselect" and proto.options:
        options, default = tuple(proto.options), tuple(proto.default)
        chosen = [_index(options, label, -1) for label in proto.raw_values]
        value = tuple(index for index in chosen if index >= 0) if proto.set_value else default
        return MultiChoice(kind=kind, value=value, default=default, options=options, **common)
    return None


def _slider(proto, common: dict) -> Control | None:
    if len(proto.default) != 1:
        return None  # a range slider: none in the app
    if proto.type == proto.SELECT_SLIDER:
        options = tuple(proto.options)
        default = int(proto.default[0])
        value = _index(options, proto.raw_value[0], default) if proto.set_value else default
        return SelectSlider(
            kind="select_slider", value=value, default=default, options=options, **common
        )
    count = round((proto.max - proto.min) / proto.step) + 1
    start = proto.value[0] if proto.set_value else proto.default[0]
    return NumericSlider(
        kind="slider",
        value=round((start - proto.min) / proto.step),
        default=round((proto.default[0] - proto.min) / proto.step),
        low=proto.min,
        step=proto.step,
        count=count,
        integer=proto.data_type == proto.INT,
        **common,
    )


class Controls:
    """A student's controls, by fragment: a fragment's rerun replaces that fragment's only."""

    def __init__(self) -> None:
        self.by_fragment: dict[str, dict[str, Control]] = {}

    def all(self) -> list[Control]:
        return [control for group in self.by_fragment.values() for control in group.values()]

    def update(self, run_widgets: list[tuple[str, Any]], fragment_id: str = "") -> None:
        """Rebuild from one finished run's bound widgets; ``fragment_id``: that run reran
        this fragment only. A control whose element id the student already had keeps the
        student's value unless the server set one (``set_value``), as the frontend does."""
        before = {control.widget_id: control for control in self.all()}
        groups: dict[str, dict[str, Control]] = {}
        for widget_fragment, element in run_widgets:
            control = from_element(widget_fragment, element)
            if control is None:
                continue
            kept = before.get(control.widget_id)
            if kept is not None and type(kept) is type(control) and not _sets_value(element):
                control = replace(control, value=_clamped(control, kept.value))
            groups.setdefault(widget_fragment, {})[control.key] = control
        if fragment_id:
            self.by_fragment[fragment_id] = groups.get(fragment_id, {})
        else:
            self.by_fragment = groups


def _sets_value(element) -> bool:
    return getattr(element, element.WhichOneof("type")).set_value


def _clamped(control: Control, value: Any) -> Any:
    """The student's value, still legal for the control as the server now draws it."""
    if isinstance(control, NumericSlider):
        return min(max(value, 0), control.count - 1)
    if isinstance(control, Choice):  # a SelectSlider too
        return min(max(value, 0), len(control.options) - 1)
    if isinstance(control, MultiChoice):
        return tuple(index for index in value if index < len(control.options))
    return value
