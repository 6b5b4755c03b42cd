"""A loss defined only in a test (tests/leclerc_loss.py): its reference values, and that one
registered entry is all the core needs to fit it, find its best constant and list it."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import losses
from lessons import estimates, robustness
from losses import data
from losses.fit import descent, fit_line
from losses.fit.constant import best_constant
from losses.spec import LineFit
from tests.leclerc_loss import LECLERC
from tests.losses.loss_inputs import central_difference

E = math.exp(-1.0)


def test_leclerc_hand_derived():
    y_true = np.array([0.0, 0.0, 1.0, 0.0])
    y_pred = np.array([0.0, 1.0, 3.0, -2.0])  # r = 0, 1, 2, −2
    # hand-derived: c²/2·(1 − exp(−(r/c)²)) and r·exp(−(r/c)²), with c = 2 for the last two
    value_c1 = LECLERC.value(y_true[:2], y_pred[:2], c=1.0)
    np.testing.assert_allclose(value_c1, [0.0, 0.5 * (1 - E)], rtol=1e-15)
    value_c2 = LECLERC.value(y_true[2:], y_pred[2:], c=2.0)
    np.testing.assert_allclose(value_c2, [2.0 * (1 - E)] * 2, rtol=1e-15)
    np.testing.assert_allclose(LECLERC.grad(y_true[:2], y_pred[:2], c=1.0), [0.0, E], rtol=1e-15)
    np.testing.assert_allclose(
        LECLERC.grad(y_true[2:], y_pred[2:], c=2.0), [2 * E, -2 * E], rtol=1e-15
    )


@pytest.mark.parametrize("c", [0.3, 1.0, 4.0])
def test_leclerc_gradient_matches_fourth_order_finite_differences(c):
    y_true = np.zeros(9)
    y_pred = np.linspace(-6.0, 6.0, 9) + 0.13
    numeric = central_difference(lambda p: LECLERC.value(y_true, p, c=c), y_pred)
    np.testing.assert_allclose(LECLERC.grad(y_true, y_pred, c=c), numeric, rtol=1e-7, atol=1e-9)


def test_registered_is_last_of_its_task_and_gone_after():
    before = [loss.id for loss in losses.by_task("regression")]
    with losses.registry.registered(LECLERC):
        assert [loss.id for loss in losses.by_task("regression")] == [*before, "leclerc"]
        assert losses.get("leclerc") is LECLERC
        again = losses.registry.registered(LECLERC)
        with pytest.raises(ValueError, match="already registered"):
            again.__enter__()
    assert [loss.id for loss in losses.by_task("regression")] == before
    with pytest.raises(ValueError, match="unknown loss"):
        losses.get("leclerc")


@pytest.fixture
def registered():
    with losses.registry.registered(LECLERC):
        yield LECLERC


def test_a_new_loss_is_fitted_and_estimated_with_no_other_code(registered):
    frame = data.make_regression(seed=3)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    line = fit_line(x, y, "leclerc", c=2.0)
    assert line.method == "Newton with backtracking line search, IRLS fallback"  # the default
    # At the fit the cost's gradient in (a, b), mean ψ·(1, x), is 0 (first-order condition;
    # each term is of order 1 here, so 1e-6 is 6 digits).
    assert line.converged
    psi = LECLERC.grad(y, line.params["intercept"] + line.params["slope"] * x, c=2.0)
    assert abs(np.mean(psi)) < 1e-6 and abs(np.mean(psi * x)) < 1e-6
    values = y - 2.0 * x
    constant = best_constant(values, "leclerc", c=2.0)
    # The generic 1-D search finds the lowest cost: no grid point does better.
    grid = np.linspace(values.min(), values.max(), 2001)
    costs = [LECLERC.cost(values, np.full_like(values, g), c=2.0) for g in grid]
    assert LECLERC.cost(values, np.full_like(values, constant), c=2.0) <= min(costs) + 1e-12
    landscape = descent.cost_landscape(x, y, "leclerc", [0.0, 1.0], [2.0])
    assert np.isfinite(landscape).all()


def test_a_new_loss_is_in_the_fit_table_the_estimates_and_the_method_caption(registered):
    frame = data.make_regression(seed=1)
    table = robustness.fit_table(frame, "leclerc", {"c": 3.0})
    assert "Leclerc (test loss) ← your pick" in list(table["loss"])
    found = estimates.estimates(frame["y"].to_numpy(), "leclerc", {"c": 3.0})
    assert [item.loss_id for item in found][-1] == "leclerc"
    assert "Leclerc (test loss)" in robustness.fit_course_text()


def _names(clause: str) -> list[str]:
    """The losses a clause of `fit_course_text` opens with: "A, B and C start …" → [A, B, C]."""
    verbs = (" is ", " are ", " steps ", " step ", " starts ", " start ")
    head = clause.strip()
    head = head[: min(head.find(verb) for verb in verbs if verb in head)]
    return head.replace(" and ", ", ").split(", ")


def test_the_method_caption_names_every_regression_loss_once():
    text = robustness.fit_course_text()
    listed = [name.strip() for clause in text.split(";") for name in _names(clause)]
    assert sorted(listed) == sorted(loss.short for loss in losses.by_task("regression"))
    # Before issue 27 the caption was written by hand and left Barron out.
    assert "Barron's loss" in text


def test_an_entry_with_an_unknown_way_of_fitting_is_refused_when_declared():
    with pytest.raises(ValueError, match="kind must be one of"):
        LineFit("simplex", "a method", ("{names} is", "{names} are"))
    with pytest.raises(ValueError, match="needs its tau"):
        LineFit("pinball", "a method", ("{names} is", "{names} are"))
    with pytest.raises(ValueError, match="label_form"):
        dataclasses.replace(LECLERC, label_form="rows")


def test_its_curve_is_marked_where_its_entry_says():
    # hand-derived: ±c, labelled with the symbol of its label "c (width)" and nothing else
    assert robustness.curve_marks(LECLERC, {"c": 2.0}) == [(-2.0, "−c = −2"), (2.0, "c = 2")]
