"""ui/controls.py: the R10 log steps, nearest-on-a-log-scale, and one widget per ParamSpec
for every registered loss, each spanning the spec's slider range and returning values the
loss accepts."""

from __future__ import annotations

import math
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

import losses
from ui import controls

# Renard's R10 preferred numbers (ISO 3), rounded as printed: 1, 1.25, 1.6, 2, 2.5, 3.15,
# 4, 5, 6.3, 8, then the next decade.
R10_ONE_DECADE = [1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0]


# ---------------------------------------------------------------- log_steps, nearest


def test_log_steps_over_one_decade_are_the_r10_series():
    assert controls.log_steps(1.0, 10.0) == R10_ONE_DECADE


def test_log_steps_scale_by_powers_of_ten():
    # R10 shifted by 10⁻²: 0.01 … 0.08, then 0.1; hand-written from the series above.
    expected = [0.01, 0.0125, 0.016, 0.02, 0.025, 0.0315, 0.04, 0.05, 0.063, 0.08, 0.1]
    assert controls.log_steps(0.01, 0.1) == expected


def test_log_steps_across_decades_end_on_the_bounds():
    steps = controls.log_steps(0.1, 200.0)
    # 0.1 … 80 is three decades of ten steps, then 100, 125, 160, 200.
    assert len(steps) == 34
    assert steps[0] == 0.1 and steps[-4:] == [100.0, 125.0, 160.0, 200.0]
    assert steps == sorted(set(steps))


def test_log_steps_for_tiny_values():
    steps = controls.log_steps(1e-12, 1e-2)
    assert len(steps) == 101  # ten decades of ten, plus the top
    assert steps[0] == 1e-12 and steps[-1] == 1e-2 and 1e-7 in steps


def test_nearest_is_measured_on_a_log_scale():
    # 0.4 is nearer 0.1 on a line (0.3 vs 0.6) but nearer 1 in ratio (2.5× vs 4×).
    assert controls.nearest([0.1, 1.0], 0.4) == 1.0
    # 3 lies 1.5× above 2 and 5/3× below 5.
    assert controls.nearest([1.0, 2.0, 5.0, 10.0], 3.0) == 2.0
    # 9 is 9/8 = 1.125× above 8 but only 10/9 ≈ 1.111× below 10.
    assert controls.nearest(R10_ONE_DECADE, 9.0) == 10.0
    assert controls.nearest(controls.log_steps(1e-12, 1e-2), 1e-7) == 1e-7


def test_format_number_drops_trailing_zeros():
    assert [controls.format_number(v) for v in (1.0, 0.0125, 1e-7, 200.0)] == [
        "1",
        "0.0125",
        "1e-07",
        "200",
    ]


# ---------------------------------------------------------------- param_controls in AppTest

SCRIPT = """
import streamlit as st

import losses
from ui import controls

loss = losses.get(st.session_state["loss_id"])
st.session_state["chosen"] = controls.param_controls(
    loss,
    key_prefix="t",
    skip=tuple(st.session_state.get("skip", ())),
    overrides=st.session_state.get("overrides"),
)
"""


@pytest.fixture(scope="module")
def script_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("controls") / "param_controls_page.py"
    path.write_text(textwrap.dedent(SCRIPT))
    return path


def run_controls(script_path, loss_id, **state) -> AppTest:
    at = AppTest.from_file(str(script_path), default_timeout=30)
    at.session_state["loss_id"] = loss_id
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widgets_of(at: AppTest):
    kinds = ("slider", "select_slider", "toggle", "checkbox", "number_input", "selectbox")
    return {w.key: w for kind in kinds for w in at.get(kind)}


def check_widget(widget, spec, loss_id):
    label = spec.label or spec.name
    if spec.kind == "bool":
        assert widget.type == "toggle" and widget.label == label
        assert widget.value is spec.default
    elif spec.kind == "optional_float":
        assert widget.type == "toggle" and widget.label == f"set {label}"
        assert widget.value is (spec.default is not None)
    elif spec.log_scale:
        assert widget.type == "select_slider" and widget.label == label
        options = controls.log_steps(spec.ui_min, spec.ui_max)
        assert widget.options == [f"{v:g}" for v in options]
        assert float(widget.options[0]) == spec.ui_min and float(widget.options[-1]) == spec.ui_max
        assert widget.value == controls.nearest(options, spec.default)
    elif spec.named:
        assert widget.type == "select_slider" and widget.label == label
        options = controls.slider_options(spec)
        assert options[0] == spec.ui_min and options[-1] == spec.ui_max
        for value, name in spec.named:  # each named value is a stop, shown with its name
            assert f"{value:g} ({name})" in widget.options
        assert widget.value == spec.default
    else:
        assert widget.type == "slider" and widget.label == label
        assert (widget.min, widget.max) == (spec.ui_min, spec.ui_max)
        assert widget.value == spec.default
    assert widget.help == spec.help
    # bound to the URL under its own key
    assert widget.proto.query_param_key == widget.key


@pytest.mark.parametrize("loss_id", list(losses.REGISTRY))
def test_one_widget_per_param_spec_with_its_range(script_path, loss_id):
    loss = losses.get(loss_id)
    at = run_controls(script_path, loss_id)
    found = widgets_of(at)
    expected = {
        (f"t_{loss_id}_{s.name}_on" if s.kind == "optional_float" else f"t_{loss_id}_{s.name}")
        for s in loss.params
    }
    assert set(found) == expected
    for spec in loss.params:
        key = f"t_{loss_id}_{spec.name}" + ("_on" if spec.kind == "optional_float" else "")
        check_widget(found[key], spec, loss_id)
    chosen = at.session_state["chosen"]
    assert set(chosen) == {spec.name for spec in loss.params}
    assert loss.resolve_params(chosen) == pytest.approx(chosen)


@pytest.mark.parametrize(
    "loss_id", [i for i, loss in losses.REGISTRY.items() if loss.params], ids=str
)
@pytest.mark.parametrize("end", ["low", "high"])
def test_every_widget_at_either_end_gives_values_the_loss_accepts(script_path, loss_id, end):
    loss = losses.get(loss_id)
    at = run_controls(script_path, loss_id)
    for widget in widgets_of(at).values():  # reveal the optional sliders first
        if widget.type == "toggle" and widget.key.endswith("_on"):
            widget.set_value(True)
    at.run()
    found = widgets_of(at)
    assert len(found) == len(loss.params) + sum(s.kind == "optional_float" for s in loss.params)
    for widget in found.values():
        if widget.type == "slider":
            widget.set_value(widget.min if end == "low" else widget.max)
        elif widget.type == "select_slider":
            options = controls.slider_options(_spec_of(loss, widget.key))
            widget.set_value(options[0] if end == "low" else options[-1])
        elif not widget.key.endswith("_on"):
            widget.set_value(end == "high")
    at.run()
    assert not at.exception
    chosen = at.session_state["chosen"]
    resolved = loss.resolve_params(chosen)  # raises ValueError if a value is out of range
    for spec in loss.params:
        if spec.kind in ("float", "optional_float"):
            expected = spec.ui_min if end == "low" else spec.ui_max
            assert math.isclose(resolved[spec.name], expected), spec.name


def _spec_of(loss, key):
    return next(s for s in loss.params if key == f"t_{loss.id}_{s.name}")


def test_optional_float_toggle_reveals_its_slider(script_path):
    at = run_controls(script_path, "focal")
    assert at.session_state["chosen"]["alpha"] is None
    assert "t_focal_alpha" not in widgets_of(at)
    at.toggle(key="t_focal_alpha_on").set_value(True).run()
    alpha = at.slider(key="t_focal_alpha")
    # started half-way along the slider: (ui_min + ui_max) / 2 = (0 + 1) / 2
    assert alpha.value == 0.5 and at.session_state["chosen"]["alpha"] == 0.5


def test_skip_and_overrides(script_path):
    at = run_controls(script_path, "bce", skip=("from_logits",), overrides={"pos_weight": 9.0})
    found = widgets_of(at)
    assert "t_bce_from_logits" not in found
    assert "from_logits" not in at.session_state["chosen"]
    # 9 is not an R10 step: the nearest on a log scale is 10 (10/9 < 9/8).
    assert found["t_bce_pos_weight"].value == 10.0


def test_keys_differ_between_losses_so_each_keeps_its_settings(script_path):
    huber = widgets_of(run_controls(script_path, "huber"))
    pseudo = widgets_of(run_controls(script_path, "pseudo_huber"))
    assert set(huber).isdisjoint(pseudo)
