"""Claims of the regression page's note on marks beyond every residual
(`lessons.robustness.fit_notes`) hold on the numbers on screen: whether the loss is exactly
quadratic inside ±δ or ±c, how far below a quadratic's pull a point is at the mark and at
the farthest residual, and the stated 5 % tolerance for "nearly as under least squares".

Sources: each loss's share of a quadratic's pull, ψ(r)/r over its limit at 0, hand-derived
from the registry's formulas: Huber min(1, δ/|r|); pseudo-Huber 1/√(1 + (r/δ)²); Barron
((r/c)²/|α − 2| + 1)^(α/2 − 1) (Barron 2019, eq. 1), 1 at α = 2, exp(−½(r/c)²) at α = −∞;
the least-squares line is np.polyfit's.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import losses
from lessons import robustness
from losses.data import make_regression
from losses.fit import fit_regression
from tests.lessons.claims.regression_settings import generator_args, loss_params
from ui.controls import slider_options

SETTINGS = settings(max_examples=60, deadline=None)
MARKED = ("huber", "pseudo_huber", "barron")
SHORTFALL = re.compile(
    r"at r = (?P<mark>\S+) a point pulls (?P<at_mark>\S+) % less than under the quadratic "
    r"that matches the loss near r = 0, and the farthest point \(\|r\| = (?P<far>\S+)\) "
    r"(?P<at_far>\S+) % less(?P<verdict>: within 5 %, so every point pulls nearly as under "
    r"least squares\.|, more than 5 %: the fit can differ from the least-squares line\.)$"
)


def share_by_hand(loss_id: str, params: dict, r: float) -> float:
    """ψ(r)/r over its limit at r → 0 (hand-derived; see the module docstring)."""
    if loss_id == "huber":
        return min(1.0, params["delta"] / abs(r))
    if loss_id == "pseudo_huber":
        return 1.0 / np.sqrt(1.0 + (r / params["delta"]) ** 2)
    u2 = (r / params["scale"]) ** 2
    if params["alpha_minus_infinity"]:
        return float(np.exp(-0.5 * u2))
    if params["alpha"] == 2.0:
        return 1.0
    alpha = params["alpha"]
    return (u2 / abs(alpha - 2.0) + 1.0) ** (alpha / 2.0 - 1.0)


def printed(share_less: float) -> float:
    """A shortfall as `display_numbers.percent` prints it, back as a share (2 digits)."""
    return float(f"{max(0.0, share_less):.2g}")


def check_beyond_note(loss, params, x, y, fitted, note):
    mark = max(abs(position) for position, _ in robustness.curve_marks(loss, params))
    farthest = float(np.max(np.abs(robustness.residuals(x, y, fitted))))
    assert farthest < mark
    if "is exactly quadratic" in note:
        # Every residual is inside the marks, where the loss is its quadratic: each point
        # pulls fully, and the fit is the least-squares line (np.polyfit).
        assert share_by_hand(loss.id, params, mark) == 1.0
        slope, intercept = np.polyfit(x, y, 1)
        scale = 1.0 + np.max(np.abs(y))
        assert fitted["slope"] == pytest.approx(slope, abs=1e-6 * scale)
        assert fitted["intercept"] == pytest.approx(intercept, abs=1e-6 * scale)
        return
    claim = SHORTFALL.search(note)
    assert claim, note
    at_mark = 1.0 - share_by_hand(loss.id, params, mark)
    at_far = 1.0 - share_by_hand(loss.id, params, farthest)
    assert at_mark > 0.0  # not exactly quadratic at the mark
    # The printed shares (two digits) against the hand-derived ones, to printing's rounding.
    assert float(claim["at_mark"]) / 100 == pytest.approx(printed(at_mark), abs=1e-12)
    assert float(claim["at_far"]) / 100 == pytest.approx(printed(at_far), abs=1e-12)
    if claim["verdict"].startswith(": within"):
        assert printed(at_far) <= 0.05
    else:
        assert printed(at_far) > 0.05


@st.composite
def near_quadratic_settings(draw):
    """A marked loss whose δ or c is often beyond every residual: small noise and outliers,
    and δ or c drawn from the slider's steps 12.5-50 half the time."""
    loss = draw(st.sampled_from([losses.get(loss_id) for loss_id in MARKED]))
    params = draw(loss_params(loss))
    name = "delta" if "delta" in params else "scale"
    spec = next(spec for spec in loss.params if spec.name == name)
    upper = [value for value in slider_options(spec) if 12.5 <= value <= 50.0]
    params[name] = draw(st.just(params[name]) | st.sampled_from(upper))
    args = draw(generator_args(max_n=200))
    args["noise"] = min(args["noise"], 2.0)
    args["outlier_magnitude"] = min(args["outlier_magnitude"], 10.0)
    return loss, params, args


@SETTINGS
@given(settings_drawn=near_quadratic_settings())
def test_the_note_on_marks_beyond_every_residual_matches_the_numbers(settings_drawn):
    loss, params, args = settings_drawn
    frame = make_regression(**args)
    fit = fit_regression(frame, loss.id, **params)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    residual = robustness.residuals(x, y, fit.params)
    marks = robustness.curve_marks(loss, params)
    span = robustness.residual_span(residual, marks)
    notes = robustness.fit_notes(frame, residual, marks, span, loss=loss, params=params)
    beyond = [note for note in notes if "beyond every residual" in note]
    assert bool(beyond) == (max(abs(position) for position, _ in marks) > span)
    for note in beyond:
        event("exact" if "is exactly quadratic" in note else note.split("% less")[-1][:12])
        check_beyond_note(loss, params, x, y, fit.params, note)


@pytest.mark.parametrize(
    ("loss_id", "params", "at_mark"),
    [
        # Hand-derived shortfalls at r = c (or δ): 1 − (13/12)^(−6) = 0.38 for α = −10;
        # 1 − 1/√2 = 0.29 for pseudo-Huber and α = 1; 1 − e^(−½) = 0.39 for Welsch.
        ("barron", {"alpha": -10.0, "scale": 100.0}, "38"),
        ("barron", {"alpha": 1.0, "scale": 100.0}, "29"),
        ("barron", {"alpha": 0.0, "scale": 100.0, "alpha_minus_infinity": True}, "39"),
        ("pseudo_huber", {"delta": 100.0}, "29"),
    ],
)
def test_at_the_mark_the_pull_is_well_below_the_quadratic_s(loss_id, params, at_mark):
    loss = losses.get(loss_id)
    params = loss.resolve_params(params)
    frame = make_regression(200)  # the page's default data: every residual below 20
    fit = fit_regression(frame, loss_id, **params)
    residual = robustness.residuals(frame["x"], frame["y"], fit.params)
    marks = robustness.curve_marks(loss, params)
    span = robustness.residual_span(residual, marks)
    (note,) = robustness.fit_notes(frame, residual, marks, span, loss=loss, params=params)
    assert f"a point pulls {at_mark} % less than under the quadratic" in note
    assert "(nearly) quadratic" not in note


def test_huber_inside_delta_is_exactly_least_squares():
    frame = make_regression(200)
    loss = losses.get("huber")
    fit = fit_regression(frame, "huber", delta=100.0)
    residual = robustness.residuals(frame["x"], frame["y"], fit.params)
    marks = robustness.curve_marks(loss, {"delta": 100.0})
    span = robustness.residual_span(residual, marks)
    (note,) = robustness.fit_notes(frame, residual, marks, span, loss=loss, params={"delta": 100.0})
    assert note.endswith("where Huber is exactly quadratic: its fit is the least-squares line.")
    slope, _ = np.polyfit(frame["x"], frame["y"], 1)  # numpy least squares
    assert fit.params["slope"] == pytest.approx(slope, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(params=loss_params(losses.get("barron")))
def test_the_scale_s_help_gives_the_pull_at_c_for_every_alpha_on_the_slider(params):
    # The c slider's help (losses/registry.py): "at c its pull is already 29–39 % weaker for
    # α ≤ 1 (and α = −∞)". Shortfalls by hand: 1 − 1/√2 = 0.293 at α = 1, 1 − e^(−½) = 0.393
    # at α = −∞, and (13/12)^(−6) → 0.382 at α = −10, the slider's end.
    spec = next(spec for spec in losses.get("barron").params if spec.name == "scale")
    assert "at c its pull is already 29–39 % weaker for α ≤ 1 (and α = −∞)" in spec.help
    loss = losses.get("barron")
    params = loss.resolve_params(params)
    if params["alpha"] > 1.0 and not params["alpha_minus_infinity"]:
        return
    shortfall = 1.0 - share_by_hand("barron", params, params["scale"])
    assert 0.29 <= round(shortfall, 2) <= 0.39
    computed = robustness.quadratic_share(loss, params, [params["scale"]], params["scale"])[0]
    assert computed == pytest.approx(1.0 - shortfall, rel=1e-9)
