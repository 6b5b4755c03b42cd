"""A loss defined only in the tests: Leclerc's (Welsch's) redescending loss.

ρ(r) = c²/2·(1 − exp(−(r/c)²)), r = ŷ − y, with ψ(r) = ρ'(r) = r·exp(−(r/c)²) (Leclerc 1989,
"Constructing simple stable descriptions for image partitioning"; Dennis & Welsch 1978): about
r²/2 near 0, levelling off at c²/2, so a far point's pull dies away. Registered with
`losses.registry.registered`, it proves a new loss needs its kernels, one entry and its
reference test, nothing else.
"""

from __future__ import annotations

import numpy as np

from losses import checks
from losses.spec import Loss, ParamSpec


def leclerc(y_true, y_pred, *, c):
    """Per-sample ρ(r) = c²/2·(1 − exp(−(r/c)²)); −expm1 keeps the digits of a small r."""
    u = (y_pred - y_true) / c
    return -0.5 * c * c * np.expm1(-u * u)


def leclerc_grad(y_true, y_pred, *, c):
    """ψ(r) = r·exp(−(r/c)²), the exact derivative of `leclerc` in ŷ."""
    residual = y_pred - y_true
    u = residual / c
    return residual * np.exp(-u * u)


def _inputs(y_true, y_pred, **_params):
    return checks.regression_pair(y_true, y_pred)


LECLERC = Loss(
    id="leclerc",
    name="Leclerc (test loss)",
    task="regression",
    latex=r"\rho(r) = \tfrac{c^2}{2}\left(1 - e^{-(r/c)^2}\right)",
    params=(
        ParamSpec(
            "c",
            1.0,
            min=0.0,
            min_inclusive=False,
            ui_min=0.1,
            ui_max=10.0,
            log_scale=True,
            label="c (width)",
            help="The residual size past which a point's pull dies away.",
        ),
    ),
    summary="Quadratic near zero, flat far away: a far point costs at most c²/2.",
    advantages="Ignores gross outliers outright.",
    disadvantages="Not convex: a fit can stop in a local minimum.",
    use_when="A test needs a loss that no page knows by name.",
    value_fn=leclerc,
    grad_fn=leclerc_grad,
    prepare=_inputs,
    convex_fn=lambda params: False,
    curve_marks=("c",),
)
