"""Cached data, trainings and figures for the "Train a network" page, keyed by tuples.

Which cache holds what, and why: the caching policy in `ui.cache`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st
from threadpoolctl import ThreadpoolController

import losses
from lessons import alt_text, network_reproduce
from lessons import network_lab as lab
from lessons import network_verdicts as verdicts
from losses import network_data
from losses.network import initial_weights
from losses.optimisers import Settings
from losses.training import head
from ui import uploads
from ui.charts import OKABE_ITO, colour_for
from ui.frames import Animated
from ui.memo import memo
from ui.network_charts import (
    cost_figure,
    cost_frames,
    curve_panel,
    panel_frames,
    plane_panel,
    reliability_figure,
    reliability_frames,
)

DATA_ENTRIES = 16
VIEW_ENTRIES = 16
TAGS = ("A", "B")
TASKS = {"sine": "regression", "step": "regression", "spiral": "multiclass"}


def task_of(dataset: str) -> str:
    """The registry task a data set is trained under: "regression", "binary", "multiclass"."""
    return TASKS.get(dataset, "binary")


# Cache policy (ui.cache): shared data.
@memo(DATA_ENTRIES)
def frame(*, dataset: str, upload: tuple | None = None, **generator_args):
    """The page's data: `network_data.make_curve` (a curve), `make_shapes` (a shape), or a
    student's file when ``upload`` is given (`ui.uploads.frame`)."""
    if upload:
        return uploads.frame(task_of(dataset), upload)
    if dataset in network_data.CURVES:
        return network_data.make_curve(shape=dataset, **generator_args)
    return network_data.make_shapes(shape=dataset, **generator_args)


@dataclass(frozen=True)
class NetworkView:
    """What the page shows for one set of settings: a panel per loss, the costs, the
    snapshot epochs (the scrubber's steps), per-step readouts, sentences, and the
    answers the tour's questions read (`lessons.network_verdicts`)."""

    panels: tuple[Animated, ...]
    cost: Animated
    reliability: Animated | None
    epochs: tuple[int, ...]
    readouts: tuple[tuple[tuple[str, str], ...], ...]
    sentences: tuple[str, ...]
    answers: dict = field(default_factory=dict)
    alt: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    final_costs: tuple[float | None, ...] = ()  # each training's last cost; None: it stopped


def colours(loss_ids: tuple[str, ...]) -> tuple[str, ...]:
    """Each loss's own colour; B in vermillion (or blue) when it is A's loss again."""
    shown = [colour_for(loss_id) for loss_id in loss_ids]
    if len(shown) == 2 and shown[0] == shown[1]:
        other = OKABE_ITO["vermillion"]
        shown[1] = other if shown[0] != other else OKABE_ITO["blue"]
    return tuple(shown)


def _readouts(data: lab.Problem, runs: list[lab.Run], step: int) -> tuple[tuple[str, str], ...]:
    """The scrubber's numbers at ``step``: each run's training cost (and accuracy), or
    "stopped" from the epoch its training stopped at."""
    shown = []
    for tag, run in zip(TAGS, runs, strict=False):
        epoch = int(run.training.snapshot_epochs[step])
        stopped = run.stopped_at is not None and epoch >= run.stopped_at
        cost = float(run.training.train_cost[epoch])
        shown.append((f"{tag} cost", "stopped" if stopped else f"{cost:.4g}"))
        if data.task != "regression":
            name = "clean accuracy" if "clean accuracy" in run.scores else "accuracy"
            score = verdicts.percent(float(run.scores[name][step]))
            shown.append((f"{tag} {name}", "stopped" if stopped else score))
    return tuple(shown)


def _shape(arguments: dict) -> str:
    """The generator's curve, whose truth the page draws; none for a student's file, whose
    points have no known true curve."""
    return "" if arguments.get("upload") else arguments["dataset"]


def _problem(data_args: tuple, split_seed: int) -> lab.Problem:
    arguments = dict(data_args)
    dataset = arguments["dataset"]
    data_frame = frame(**arguments)
    task = task_of(dataset)
    k = {"regression": 1, "binary": 2}.get(task) or int(data_frame.attrs["k"])
    return lab.problem(data_frame, task=task, k=k, seed=split_seed, shape=_shape(arguments))


def _settings(network: tuple) -> lab.NetworkSettings:
    settings = dict(network)
    settings["optimiser"] = Settings(**dict(settings["optimiser"]))
    return lab.NetworkSettings(**settings)


# A training's matrix products are small (at most a few thousand rows by 64): OpenBLAS
# runs the larger ones on 2 threads, whose second waits for a core another session or
# process holds, and the backward pass at n = 5,000 took 40 times as long. One thread gives
# the same numbers (each output entry is summed by one thread either way). The limit is
# the process's, so it holds while any session trains and is lifted when the last ends. The
# BLAS libraries are looked up as a training starts: one loaded since (SciPy's, by a fit on
# another page) is limited too.
_training_lock = threading.Lock()
_training = {"sessions": 0, "limit": None}


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    with _training_lock:
        if not _training["sessions"]:
            _training["limit"] = ThreadpoolController().limit(limits=1, user_api="blas")
        _training["sessions"] += 1
    try:
        yield
    finally:
        with _training_lock:
            _training["sessions"] -= 1
            if not _training["sessions"]:
                _training["limit"].restore_original_limits()


# Cache policy (ui.cache): figures.
@st.cache_resource(max_entries=VIEW_ENTRIES, show_spinner="Training the networks…")
def network_view(data_args: tuple, choices: tuple, network: tuple, split_seed: int) -> NetworkView:
    """Both trainings and their figures. ``choices``: (loss id, params as pairs) per loss;
    ``network``: `lab.NetworkSettings`' fields as pairs, the optimiser's as a nested tuple."""
    with _one_blas_thread():
        return _network_view(data_args, choices, network, split_seed)


def _network_view(data_args: tuple, choices: tuple, network: tuple, split_seed: int):
    data = _problem(data_args, split_seed)
    task = data.task
    network_settings, budget_note = lab.within_budget(data, _settings(network))
    chosen = [(losses.get(loss_id), dict(params)) for loss_id, params in choices]
    runs = lab.train_pair(data, chosen, network_settings)
    shades = colours(tuple(loss.id for loss, _ in chosen))
    panels = []
    for index, (run, colour) in enumerate(zip(runs, shades, strict=True)):
        title = verdicts.title(runs, index)
        if task == "regression":
            panel = curve_panel(data, run, title, colour)
        else:
            panel = plane_panel(data, run, title)
        panels.append(panel_frames(data, run, panel))
    epochs = tuple(int(epoch) for epoch in runs[0].training.snapshot_epochs)
    tags = TAGS[: len(runs)]
    cost = cost_frames(cost_figure(runs, tags, shades), epochs)
    reliability = None
    if task != "regression":
        reliability = reliability_frames(reliability_figure(runs, tags, shades), runs, tags, shades)
    answers = {}
    if len(runs) == 2:
        if task == "regression":
            if data.truth is not None:
                answers["curve"] = verdicts.curve_answer(data, runs)
        else:
            answers["rare"] = verdicts.rare_answer(runs)
            if data.flipped:
                answers["boundary"] = verdicts.boundary_answer(runs)
    alt = {
        "cost": alt_text.network_costs(
            [
                (run.loss.short, run.training.train_cost, run.training.validation_cost)
                for run in runs
            ]
        ),
        "reliability": alt_text.network_reliability(
            [
                (
                    run.loss.short,
                    float(run.reliability.ece[-1]) if run.reliability is not None else None,
                )
                for run in runs
            ]
        ),
        "panels": tuple(
            alt_text.network_panel(task, run.loss.short, len(data.y_train), epochs[-1])
            for run in runs
        ),
    }
    return NetworkView(
        tuple(panels),
        cost,
        reliability,
        epochs,
        tuple(_readouts(data, runs, step) for step in range(len(epochs))),
        verdicts.sentences(data, runs, network_settings.epochs),
        answers,
        alt,
        data.notes + ((budget_note,) if budget_note else ()),
        tuple(run.loss.short for run in runs),
        tuple(
            None if run.stopped_at is not None else float(run.training.train_cost[-1])
            for run in runs
        ),
    )


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=VIEW_ENTRIES, show_spinner=False)
def scripts(
    data_args: tuple, choice: tuple, network: tuple, split_seed: int, expected: float
) -> tuple[dict[str, str | None], bytes | None]:
    """The PyTorch and NumPy scripts that train one of the page's networks (``choice``:
    (loss id, params as pairs)) as the page did and print its last training cost
    (``expected``, the page's), and the CSV they read when the points are too many to
    write into them (None otherwise)."""
    data = _problem(data_args, split_seed)
    settings, _ = lab.within_budget(data, _settings(network))
    architecture = lab.architecture(data, settings)
    loss_id, params = choice
    run_head = head(losses.get(loss_id), dict(params), data.k)
    arguments = {
        "settings": settings.optimiser,
        "epochs": settings.epochs,
        "batch_size": settings.batch_size,
        "seed": settings.batch_seed,
        "l2": settings.l2,
        "expected": expected,
    }
    start = initial_weights(architecture, settings.init_seed)
    code = {
        framework: build(architecture, start, run_head, data.x_train, data.y_train, **arguments)
        for framework, build in (
            ("PyTorch", network_reproduce.torch_script),
            ("NumPy", network_reproduce.numpy_script),
        )
    }
    csv = None
    if network_reproduce.reads_csv(data.x_train):
        csv = network_reproduce.training_csv(run_head, data.x_train, data.y_train)
    return code, csv
