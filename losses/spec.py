"""The shape of a registered loss: its parameter specs and the `Loss` record.

A `Loss` bundles the per-sample `value` and `grad` functions with everything a
page needs to present it (name, formula, parameter ranges, plain-language text).
Inputs and parameters are checked here, once, at the boundary: each loss has one
`prepare` function (from `losses.checks`) that gives both the verdict and the message.
The per-sample kernels then run block by block (`blockwise`); the reduction to a cost
happens here too, in one place (`Loss.cost`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from losses import checks
from losses.snippets import Snippet

TASKS = ("regression", "binary", "multiclass")

# `Loss.value` / `Loss.grad` evaluate a loss on blocks of about this many elements (whole
# rows) so that a kernel's temporaries stay in the 2 MB L2 cache instead of each making a
# pass through memory (block sizes compared: bench/history/, "blockwise").
BLOCK_ELEMENTS = 32_768


@dataclass(frozen=True)
class ParamSpec:
    """One hyperparameter: its default, valid range, slider range and help text.

    ``kind`` is "float", "bool" or "optional_float" (a float or None). ``named``: values
    that are known losses of their own, (value, name) pairs.
    ``min``/``max`` bound the valid values (open ends where ``*_inclusive`` is
    False); ``ui_min``/``ui_max`` bound the slider, ``log_scale`` asks for a
    logarithmic slider.
    """

    name: str
    default: Any
    min: float | None = None
    max: float | None = None
    help: str = ""
    kind: str = "float"
    min_inclusive: bool = True
    max_inclusive: bool = True
    ui_min: float | None = None
    ui_max: float | None = None
    log_scale: bool = False
    label: str = ""
    # Values with a name of their own (Barron's α = 0 is Cauchy): the slider stops on each
    # exactly, and the curve labels them.
    named: tuple[tuple[float, str], ...] = ()

    def range_text(self) -> str:
        low = "[" if self.min_inclusive and self.min is not None else "("
        high = "]" if self.max_inclusive and self.max is not None else ")"
        lo = "-inf" if self.min is None else f"{self.min:g}"
        hi = "inf" if self.max is None else f"{self.max:g}"
        return f"{low}{lo}, {hi}{high}"

    def check(self, value: Any, loss_id: str) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ValueError."""
        where = f"{loss_id}: {self.name}"
        if self.kind == "bool":
            if not isinstance(value, bool | np.bool_):
                raise ValueError(f"{where} must be True or False; got {value!r}.")
            return bool(value)
        if self.kind == "optional_float" and value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"{where} must be a number; got {value!r}.")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{where} must be finite; got {number}.")
        too_low = self.min is not None and (
            number < self.min or (number == self.min and not self.min_inclusive)
        )
        too_high = self.max is not None and (
            number > self.max or (number == self.max and not self.max_inclusive)
        )
        if too_low or too_high:
            raise ValueError(f"{where} must be in {self.range_text()}; got {number:g}.")
        return number


@dataclass(frozen=True)
class LineFit:
    """How `losses.fit.line` fits a line under a regression loss, and what the pages say of it.

    ``kind``: "least_squares" (closed-form weighted least squares), "pinball" (exact pivot
    descent of a piecewise-linear loss, the pinball loss at ``tau(params)``: same minimiser),
    "huber" (exact Newton steps on Huber's quadratic zone) or "newton" (the generic Newton
    method with an IRLS fallback, from the exact MAE line: any smooth loss).
    ``method``: the fit's method as `FitResult.method` states it.
    ``course``: how the cost falls during the fit, one clause per kind with ``{names}`` for
    the losses fitted so (singular, plural), for the page's caption.
    """

    kind: str
    method: str
    course: tuple[str, str]
    tau: Callable[[dict[str, Any]], float] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        kinds = ("least_squares", "pinball", "huber", "newton")
        if self.kind not in kinds:
            raise ValueError(f"a line fit's kind must be one of {kinds}; got {self.kind!r}.")
        if (self.kind == "pinball") != (self.tau is not None):
            raise ValueError("a pinball line fit needs its tau(params), and only it has one.")


LEAST_SQUARES = LineFit(
    "least_squares",
    "weighted least squares (exact)",
    (
        "{names} is solved exactly in one step (from a flat line at the median of y), so its "
        "curve has two points",
        "{names} are solved exactly in one step (from a flat line at the median of y), so "
        "their curves have two points",
    ),
)
_FROM_THE_MAE_LINE = (
    "{names} starts at the exact MAE line and needs only a few Newton steps",
    "{names} start at the exact MAE line and need only a few Newton steps",
)
HUBER_NEWTON = LineFit(
    "huber",
    "exact Newton steps on Huber's quadratic zone, backtracking line search",
    _FROM_THE_MAE_LINE,
)
NEWTON = LineFit(
    "newton", "Newton with backtracking line search, IRLS fallback", _FROM_THE_MAE_LINE
)


def pinball_fit(tau: Callable[[dict[str, Any]], float]) -> LineFit:
    """The line fit of a piecewise-linear loss: the pinball loss at ``tau(params)``."""
    return LineFit(
        "pinball",
        "exact pivot descent for the pinball/L1 linear programme (Wesolowsky 1981)",
        (
            "{names} steps exactly from one data point to the next",
            "{names} step exactly from one data point to the next",
        ),
        tau=tau,
    )


@dataclass(frozen=True)
class Loss:
    """A registered loss: metadata for the pages plus validated value, grad and cost.

    ``value(y_true, y_pred, **params)`` gives the per-sample loss, shape (n,).
    ``grad(y_true, y_pred, **params)`` gives d loss_i / d y_pred_i, shaped like y_pred.
    ``cost(y_true, y_pred, sample_weight=None, **params)`` is the (weighted) mean of value.
    """

    id: str
    name: str
    task: str
    latex: str
    params: tuple[ParamSpec, ...]
    summary: str
    advantages: str
    disadvantages: str
    use_when: str
    value_fn: Callable[..., np.ndarray] = field(repr=False)
    grad_fn: Callable[..., np.ndarray] = field(repr=False)
    prepare: Callable[..., tuple[np.ndarray, np.ndarray]] = field(repr=False)
    kink_note: str = ""
    # Whether value is convex in the prediction at these (resolved) parameters; None: always.
    convex_fn: Callable[[dict[str, Any]], bool] | None = field(default=None, repr=False)
    # A short name for tight places (a legend, a picker, a sentence listing losses).
    short_name: str = ""
    # Regression: the parameter whose ±value marks where the loss changes character on its
    # curve (Huber's δ, Barron's c); () for none.
    curve_marks: tuple[str, ...] = ()
    # Regression: how a line is fitted (`LineFit`); every smooth loss can take the generic
    # Newton fit, so an entry may leave it out.
    line_fit: LineFit = NEWTON
    # Regression: the best constant c of ``values`` (n,) in closed form, as
    # ``best_constant(values, params)``; None: the generic 1-D minimisation in
    # `losses.fit.constant` finds it.
    best_constant: Callable[[np.ndarray, dict[str, Any]], float] | None = field(
        default=None, repr=False
    )
    # Regression: what that best constant is called ("the median"); "" if it has no name.
    location_name: str = ""
    # Regression: the loss is exactly r² (MSE), so the cost of a line is a quadratic in
    # (intercept, slope): its landscape comes from the data's moments and its largest stable
    # learning rate in closed form (`losses.fit.descent`).
    squared_error: bool = False
    # Binary: ``value_fn`` and ``grad_fn`` in one pass, ``(value, grad)``, the same numbers
    # bit for bit, sharing their common terms: a fit evaluates both at every step. None: a
    # fit calls the two.
    value_and_grad_fn: Callable[..., tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False
    )
    # Regression: the value as a piecewise quadratic in the residual d = ŷ − y, given the
    # (resolved) parameters: ``pieces(params)`` = (knots k₁ < … < k_m, one (c0, c1, c2) per
    # interval from below k₁ to above k_m), value c0 + c1·d + c2·d² there; continuous at the
    # knots. A line's cost over a grid then comes from sorted residuals and their prefix sums
    # (`losses.fit.descent.cost_landscape`); None: the value is not of that form.
    pieces: Callable[[dict[str, Any]], tuple[tuple, tuple]] | None = field(default=None, repr=False)
    # Binary: fitted by BFGS ("bfgs"), or for a loss with a corner at the margin by BFGS on
    # ever less smoothed versions of it ("smoothed_hinge": continuation).
    classifier_fit: str = "bfgs"
    # Multiclass: the labels it takes, "one_hot" rows (n, k) or class "index" (n,).
    label_form: str = "one_hot"
    # Binary: y_pred are raw scores (a margin loss such as hinge), never probabilities, so
    # a network feeds its output to it as it is.
    scores: bool = False
    # Its "reproduce this number" lines per framework (losses/snippets/); None, or None for
    # one framework: the reproduce panel says there is no script yet.
    snippet: Snippet | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"{self.id}: task must be one of {TASKS}; got {self.task!r}.")
        if self.label_form not in ("one_hot", "index"):
            raise ValueError(f"{self.id}: label_form must be 'one_hot' or 'index'.")
        if self.classifier_fit not in ("bfgs", "smoothed_hinge"):
            raise ValueError(f"{self.id}: classifier_fit must be 'bfgs' or 'smoothed_hinge'.")

    @property
    def short(self) -> str:
        """`short_name`, or the full name where the entry gives none."""
        return self.short_name or self.name

    def is_convex(self, params: dict[str, Any]) -> bool:
        """Whether the loss is convex in the prediction with ``params`` (defaults filled in):
        a fit then reaches the one minimum; otherwise it may stop in a local one."""
        return self.convex_fn is None or self.convex_fn(self.resolve_params(params))

    @property
    def defaults(self) -> dict[str, Any]:
        return {spec.name: spec.default for spec in self.params}

    def resolve_params(self, params: dict[str, Any]) -> dict[str, Any]:
        """Defaults overridden by ``params``, each checked against its spec."""
        specs = {spec.name: spec for spec in self.params}
        unknown = sorted(set(params) - set(specs))
        if unknown:
            valid = ", ".join(specs) or "none"
            raise ValueError(
                f"{self.id} has no parameter {', '.join(unknown)}; its parameters are: {valid}."
            )
        resolved = self.defaults
        for name, value in params.items():
            resolved[name] = specs[name].check(value, self.id)
        return resolved

    def _evaluate(self, kernel, y_true, y_pred, params: dict[str, Any]) -> np.ndarray:
        resolved = self.resolve_params(params)
        y_true, y_pred = self.prepare(y_true, y_pred, **resolved)
        return blockwise(kernel, y_true, y_pred, resolved)

    def value(self, y_true, y_pred, **params) -> np.ndarray:
        return self._evaluate(self.value_fn, y_true, y_pred, params)

    def grad(self, y_true, y_pred, **params) -> np.ndarray:
        return self._evaluate(self.grad_fn, y_true, y_pred, params)

    def cost(self, y_true, y_pred, sample_weight=None, **params) -> float:
        per_sample = self.value(y_true, y_pred, **params)
        return weighted_mean(per_sample, sample_weight)


def blockwise(kernel, y_true, y_pred, params):
    """``kernel(y_true, y_pred, **params)`` evaluated on blocks of rows, stacked.

    y_true and y_pred are validated arrays with n rows; the result has n rows, shaped
    as the kernel's. Every kernel is row-wise (row i of the result depends on row i of
    the inputs only), so the blocks give the numbers the whole arrays would, bit for bit
    (tests/losses/test_blockwise.py checks every loss), while each block's temporaries stay
    in cache instead of each making a full pass through memory.
    """
    n = y_pred.shape[0]
    rows = max(1, BLOCK_ELEMENTS // max(1, y_pred[0].size))
    if n <= rows:
        return kernel(y_true, y_pred, **params)
    first = kernel(y_true[:rows], y_pred[:rows], **params)
    result = np.empty((n, *first.shape[1:]), dtype=first.dtype)
    result[:rows] = first
    for start in range(rows, n, rows):
        stop = start + rows
        result[start:stop] = kernel(y_true[start:stop], y_pred[start:stop], **params)
    return result


def weighted_mean(per_sample: np.ndarray, sample_weight=None) -> float:
    """The cost: mean of per-sample losses, or Σ wᵢ·lossᵢ / Σ wᵢ with weights."""
    if sample_weight is None:
        return float(np.mean(per_sample))
    weights = checks.sample_weights(sample_weight, per_sample.shape[0])
    return float(np.dot(weights, per_sample) / weights.sum())
