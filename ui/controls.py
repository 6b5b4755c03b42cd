"""Reusable widget groups: the loss picker, sliders built from a loss's parameter specs,
and the data-generator controls.

Every widget has a key and is bound to the URL (``bind="query-params"``), so a link
opens exactly the view it was copied from; a value in the URL that is not valid
falls back to the default (Streamlit drops it). Pages never name a loss's parameters:
they call `param_controls(loss, …)`, which builds one widget per `ParamSpec`.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

import losses
from losses.spec import Loss, ParamSpec

URL = "query-params"
# Renard's R10 series: ten steps per decade that read as round numbers.
R10 = (1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0)


def log_steps(low: float, high: float) -> list[float]:
    """R10 values from ``low`` to ``high`` inclusive (both must be powers-of-ten multiples
    of an R10 value), for a log-scale `st.select_slider`."""
    steps = []
    for decade in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for mantissa in R10:
            value = float(f"{mantissa * 10.0**decade:.6g}")
            if low * (1 - 1e-9) <= value <= high * (1 + 1e-9):
                steps.append(value)
    return steps


def even_steps(low: float, high: float, step: float) -> list[float]:
    """``low``, ``low + step``, …, ``high`` (inclusive), each rounded to the step's decimals,
    for a scrubber over the values a slider with this step would offer."""
    decimals = max(0, -math.floor(math.log10(step)))
    count = round((high - low) / step)
    return [round(low + index * step, decimals) + 0.0 for index in range(count + 1)]


def nearest(options: list[float], value: float) -> float:
    """The option closest to ``value`` on a log scale (for defaults off the grid)."""
    return min(options, key=lambda option: abs(math.log(option / value)))


def nearest_step(options: list[float], value: float) -> float:
    """The option closest to ``value`` on a linear scale."""
    return min(options, key=lambda option: abs(option - value))


def format_number(value: float) -> str:
    return f"{value:g}"


def _step(spec: ParamSpec) -> float:
    span = spec.ui_max - spec.ui_min
    return 10.0 ** math.floor(math.log10(span / 50.0))


def slider_options(spec: ParamSpec) -> list[float] | None:
    """The stops of a parameter's select slider: R10 steps for a log scale; even steps that
    hold each named value exactly (0.0, not 1e-16) when it has named values; None for a
    plain slider."""
    if spec.log_scale:
        return log_steps(spec.ui_min, spec.ui_max)
    if spec.named:
        steps = even_steps(spec.ui_min, spec.ui_max, _step(spec))
        return sorted(set(steps) | {value for value, _ in spec.named})
    return None


def option_label(spec: ParamSpec):
    """How a select slider shows a stop: the number, and a named value's name."""
    names = dict(spec.named)
    return lambda value: f"{value:g} ({names[value]})" if value in names else f"{value:g}"


def _float_widget(spec: ParamSpec, key: str, default: float, container) -> float:
    label = spec.label or spec.name
    options = slider_options(spec)
    if options is not None:
        start = nearest(options, default) if spec.log_scale else nearest_step(options, default)
        return container.select_slider(
            label,
            options=options,
            value=start,
            format_func=option_label(spec),
            key=key,
            bind=URL,
            help=spec.help,
        )
    step = _step(spec)
    return container.slider(
        label,
        min_value=float(spec.ui_min),
        max_value=float(spec.ui_max),
        value=float(default),
        step=step,
        key=key,
        bind=URL,
        help=spec.help,
    )


def param_controls(
    loss: Loss,
    *,
    key_prefix: str,
    skip: tuple[str, ...] = (),
    overrides: dict[str, Any] | None = None,
    container=st,
) -> dict[str, Any]:
    """One widget per parameter of ``loss`` (except ``skip``); returns {name: value}.

    ``overrides`` replaces a spec's default (e.g. pos_weight = n_neg/n_pos).
    Keys are ``{key_prefix}_{loss.id}_{name}``, so each loss keeps its own settings.
    """
    overrides = overrides or {}
    chosen: dict[str, Any] = {}
    for spec in loss.params:
        if spec.name in skip:
            continue
        key = f"{key_prefix}_{loss.id}_{spec.name}"
        default = overrides.get(spec.name, spec.default)
        label = spec.label or spec.name
        if spec.kind == "bool":
            chosen[spec.name] = container.toggle(
                label, value=bool(default), key=key, bind=URL, help=spec.help
            )
        elif spec.kind == "optional_float":
            enabled = container.toggle(
                f"set {label}",
                value=default is not None,
                key=f"{key}_on",
                bind=URL,
                help=spec.help,
            )
            start = default if default is not None else (spec.ui_min + spec.ui_max) / 2
            value = _float_widget(spec, key, start, container) if enabled else None
            chosen[spec.name] = value
        else:
            chosen[spec.name] = _float_widget(spec, key, default, container)
    return chosen


def loss_picker(
    task: str,
    *,
    key: str,
    label: str = "Loss",
    default: str | None = None,
    exclude: tuple[str, ...] = (),
    container=st,
) -> Loss:
    """A select box over the registered losses of ``task``; the URL holds the loss's id."""
    ids = [loss.id for loss in losses.by_task(task) if loss.id not in exclude]
    index = ids.index(default) if default in ids else 0
    loss_id = container.selectbox(
        label, ids, index=index, format_func=lambda i: losses.get(i).name, key=key, bind=URL
    )
    return losses.get(loss_id)


def losses_multiselect(
    task: str, *, key: str, default: tuple[str, ...], label: str = "Losses", container=st
) -> list[Loss]:
    """Any subset of the registered losses of ``task``, in registry order."""
    ids = [loss.id for loss in losses.by_task(task)]
    picked = container.multiselect(
        label,
        ids,
        default=[i for i in default if i in ids],
        format_func=lambda i: losses.get(i).name,
        key=key,
        bind=URL,
    )
    return [losses.get(i) for i in ids if i in picked]


def seed_control(*, key: str, container=st) -> int:
    return int(
        container.number_input(
            "random seed",
            min_value=0,
            max_value=9999,
            value=0,
            step=1,
            key=key,
            bind=URL,
            help="Same seed, same data: change it to draw a new sample.",
        )
    )


def regression_data_controls(*, key_prefix: str, container=st) -> dict[str, Any]:
    """Widgets for `losses.data.make_regression`; returns its keyword arguments."""
    k = key_prefix
    return {
        "n": container.slider("number of points n", 10, 5000, 200, step=10, key=f"{k}_n", bind=URL),
        "noise": container.slider(
            "noise (standard deviation)",
            0.0,
            5.0,
            1.0,
            step=0.1,
            key=f"{k}_noise",
            bind=URL,
            help="Scatter of the ordinary points around the true line.",
        ),
        "outlier_fraction": container.slider(
            "outlier fraction",
            0.0,
            0.5,
            0.1,
            step=0.01,
            key=f"{k}_outliers",
            bind=URL,
            help="Share of the points pushed off the line.",
        ),
        "outlier_magnitude": container.slider(
            "outlier magnitude",
            0.0,
            50.0,
            10.0,
            step=0.5,
            key=f"{k}_magnitude",
            bind=URL,
            help="How far the outliers are pushed (each by 0.5–1.5 times this).",
        ),
        "two_sided": container.toggle(
            "outliers on both sides",
            value=False,
            key=f"{k}_two_sided",
            bind=URL,
            help="Off: every outlier is pushed up. On: up or down at random.",
        ),
        "seed": seed_control(key=f"{k}_seed", container=container),
    }


# Rising, so dragging right gives more positives; the URL keeps the formatted share ("0.5%").
POSITIVE_FRACTIONS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)


def binary_data_controls(
    *, key_prefix: str, default_positive_fraction: float = 0.1, container=st
) -> dict[str, Any]:
    """Widgets for `losses.data.make_binary`; returns its keyword arguments."""
    k = key_prefix
    return {
        "n": container.slider("number of points n", 50, 5000, 500, step=50, key=f"{k}_n", bind=URL),
        "positive_fraction": container.select_slider(
            "positive (rare) class share",
            options=POSITIVE_FRACTIONS,
            value=default_positive_fraction,
            format_func=lambda f: f"{100 * f:g}%",
            key=f"{k}_positive",
            bind=URL,
            help="From 0.5% positives up to balanced (50%).",
        ),
        "separation": container.slider(
            "class separation",
            0.0,
            6.0,
            2.0,
            step=0.1,
            key=f"{k}_separation",
            bind=URL,
            help="Distance between the two blobs' centres, in standard deviations.",
        ),
        "label_noise": container.slider(
            "label noise",
            0.0,
            0.5,
            0.0,
            step=0.01,
            key=f"{k}_label_noise",
            bind=URL,
            help="Share of points placed in the other class's blob (their label kept).",
        ),
        "seed": seed_control(key=f"{k}_seed", container=container),
    }


def multiclass_data_controls(*, key_prefix: str, container=st) -> dict[str, Any]:
    """Widgets for `losses.data.make_multiclass` (class count, imbalance, spread, seed).

    Returns its keyword arguments; ``proportions`` are geometric, the largest class
    ``imbalance`` times the smallest.
    """
    k = key_prefix
    classes = container.slider("classes k", 2, 10, 3, key=f"{k}_k", bind=URL)
    imbalance = container.select_slider(
        "largest class ÷ smallest class",
        options=log_steps(1.0, 100.0),
        value=1.0,
        format_func=format_number,
        key=f"{k}_imbalance",
        bind=URL,
        help="1 means balanced classes; 100 means the first class has 100× the last.",
    )
    proportions = [imbalance ** (-j / (classes - 1)) for j in range(classes)]
    return {
        "n": container.slider("number of points n", 60, 5000, 600, step=20, key=f"{k}_n", bind=URL),
        "k": classes,
        "proportions": tuple(proportions),
        "separation": container.slider(
            "class separation",
            0.0,
            6.0,
            3.0,
            step=0.1,
            key=f"{k}_separation",
            bind=URL,
            help="Radius of the circle the class centres sit on, in standard deviations.",
        ),
        "seed": seed_control(key=f"{k}_seed", container=container),
    }
