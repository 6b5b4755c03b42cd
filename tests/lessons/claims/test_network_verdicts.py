"""Claims of the "Train a network" page's sentences (`lessons.network_verdicts.sentences`)
and of the tour's answers, over the page's whole range of settings (views/network.py: every
data set and its sliders, every loss of the task at any setting of its sliders, or B
"none", the network's and the optimiser's controls), with small data and few epochs since
each example trains two networks.

Every number a sentence prints is recomputed here from the trainings' weights
(`losses.network.forward` on the last snapshot): the scores with sklearn.metrics, the
distance to the true curve from `losses.network_data.truth`; each comparison the sentence
makes is then checked on those numbers, and the `Answer` index against the sentence. The
cost per epoch is the training's own record (`Training.validation_cost`, checked against
`Loss.cost` at every snapshot in tests/lessons/test_network_lab.py).
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.special import expit
from sklearn.metrics import accuracy_score, balanced_accuracy_score, recall_score

import losses
from lessons import network_lab as lab
from lessons import network_verdicts as verdicts
from losses import network_data
from losses.network import forward
from losses.optimisers import KINDS, Settings
from tests.lessons.claims.regression_settings import slider_values
from ui.controls import log_steps

SETTINGS = settings(max_examples=30, deadline=None)
# The page's options (views/network.py), the points and epochs kept small.
DATASETS = (*network_data.CURVES, *network_data.SHAPES)
WIDTHS = (2, 4, 8, 16, 32)
L2 = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
MINORITY = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
BATCHES = (None, 8, 16, 32, 64, 128)
LEARNING_RATES = log_steps(1e-4, 1.0)
SKIPPED = ("from_logits", "eps")  # not on the page for classification: logits, default ε

TAG = r"[AB](?: \([^)]*\))?"
STOPPED = re.compile(rf"(?P<tag>{TAG}) stopped at epoch (?P<epoch>\d+): its outputs overflowed")
CANNOT = re.compile(rf"(?P<tags>{TAG}(?: and {TAG})?) stopped early .* cannot be compared")
DISTANCE = re.compile(
    rf"(?P<tag>{TAG})'s curve ends on average (?P<d>[0-9.]+) from the true curve\.$"
)
CURVES = re.compile(
    rf"On average (?P<a_tag>{TAG})'s curve ends (?P<a>[0-9.]+) from the true curve and "
    rf"(?P<b_tag>{TAG})'s (?P<b>[0-9.]+): (?P<verdict>.*)$"
)
CLASSIFIES = re.compile(
    rf"After (?P<epochs>\d+) epochs (?P<tag>{TAG}) classifies (?P<acc>[0-9.]+) % of the "
    r"validation points right \(balanced accuracy (?P<bal>[0-9.]+) %\)\.$"
)
SCORES = re.compile(
    rf"(?P<what>[A-Z][^:]*): (?P<a_tag>{TAG}) (?P<a>[0-9.]+) %, (?P<b_tag>{TAG}) "
    r"(?P<b>[0-9.]+) %(?P<verdict>.*)$"
)
NO_SCORE = re.compile(r"No (?P<what>.*): the validation points hold none of that class\.$")
OVERFITTING = re.compile(
    rf"(?P<tag>{TAG})'s validation cost was lowest at epoch (?P<best>\d+) \((?P<low>\S+)\) and "
    r"ends at (?P<last>[^,]+)(?:, (?P<rise>\d+) % higher)?, while its training cost kept "
    r"falling: "
)


def _values(spec):
    """A parameter anywhere its control offers: focal's α is off (None) or on its slider."""
    if spec.kind == "optional_float":
        return st.none() | st.floats(spec.ui_min, spec.ui_max)
    return slider_values(spec)


@st.composite
def page_settings(draw):
    """A data set with its sliders, losses A and B (or none), the network and optimiser."""
    dataset = draw(st.sampled_from(DATASETS))
    n = draw(st.integers(50, 200))
    seed = draw(st.integers(0, 9999))
    if dataset in network_data.CURVES:
        task = "regression"
        frame = network_data.make_curve(
            n,
            shape=dataset,
            noise=draw(st.sampled_from([0.0, 0.1, 1.0]) | st.floats(0.0, 1.0)),
            outlier_fraction=draw(st.sampled_from([0.0, 0.1, 0.5]) | st.floats(0.0, 0.5)),
            outlier_magnitude=draw(st.sampled_from([0.0, 3.0, 10.0]) | st.floats(0.0, 10.0)),
            two_sided=draw(st.booleans()),
            seed=seed,
        )
    else:
        task = "multiclass" if dataset == "spiral" else "binary"
        frame = network_data.make_shapes(
            n,
            shape=dataset,
            minority_fraction=draw(st.sampled_from(MINORITY)),
            label_noise=draw(st.sampled_from([0.0, 0.3, 0.45]) | st.floats(0.0, 0.45)),
            seed=seed,
        )
    k = 1 if task == "regression" else int(frame.attrs["k"])
    data = lab.problem(frame, task=task, k=k, seed=seed, shape=dataset)
    skip = SKIPPED if task != "regression" else ()

    def picked():
        loss = draw(st.sampled_from(losses.by_task(task)))
        specs = [spec for spec in loss.params if spec.name not in skip]
        return loss, draw(st.fixed_dictionaries({s.name: _values(s) for s in specs}))

    choices = [picked()]
    if draw(st.integers(0, 5)):  # B "none" now and then
        choices.append(picked())
    layers = draw(st.integers(1, 3))
    network = lab.NetworkSettings(
        hidden=(draw(st.sampled_from(WIDTHS)),) * layers,
        activation=draw(st.sampled_from(("tanh", "relu"))),
        init_seed=draw(st.integers(0, 9999)),
        optimiser=Settings(draw(st.sampled_from(KINDS)), draw(st.sampled_from(LEARNING_RATES))),
        epochs=draw(st.sampled_from((10, 20, 50, 100))),
        batch_size=draw(st.sampled_from(BATCHES)),
        batch_seed=seed,
        l2=draw(st.sampled_from(L2)),
    )
    return dataset, data, choices, network


def _last_outputs(data, network, run, x):
    with np.errstate(over="ignore", invalid="ignore"):  # a near-diverged curve may overflow
        return forward(lab.architecture(data, network), run.training.snapshots[-1], x)[0]


def _scores(data, network, run) -> dict[str, float]:
    """The last snapshot's validation scores by sklearn.metrics."""
    output = _last_outputs(data, network, run, data.x_validation)
    if data.task == "binary":
        predicted = (expit(output[:, 0]) > 0.5).astype(int)  # a tie (½) is class 0
    else:
        predicted = output.argmax(axis=1)
    labels = data.y_validation
    counts = np.bincount(data.y_train, minlength=data.k)
    rare = max(c for c in range(data.k) if counts[c] == counts[counts > 0].min())
    scores = {
        "accuracy": accuracy_score(labels, predicted),
        "balanced accuracy": balanced_accuracy_score(labels, predicted),
        "rare recall": (
            recall_score(labels, predicted, labels=[rare], average=None)[0]
            if np.any(labels == rare)
            else math.nan
        ),
    }
    if data.flipped:
        scores["clean accuracy"] = accuracy_score(data.clean_validation, predicted)
    return scores


def _distance(dataset, data, network, run) -> float:
    """Mean |ŷ − truth| over the curve's x grid, the truth from `network_data.truth`."""
    curve = _last_outputs(data, network, run, data.probe)[:, 0]
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean(np.abs(curve - network_data.truth(dataset, data.probe[:, 0]))))


def _tag_index(tag: str) -> int:
    return "AB".index(tag[0])


def _check_comparison(verdict: str, answer, first: float, second: float, unit: str) -> None:
    """One comparison: its words, its answer index, and the exact numbers under them."""
    if unit == "points":
        gap = abs(first - second) * 100
        if "within" in verdict:
            assert verdict == f", within {verdicts.SAME_POINTS:g} percentage points of each other."
            assert gap < verdicts.SAME_POINTS and answer.index == 2
            return
        higher = re.fullmatch(rf": (?P<tag>{TAG}) ends higher\.", verdict)
        assert higher, verdict
        index = _tag_index(higher["tag"])
        assert answer.index == index
        assert (first, second)[index] > (first, second)[1 - index]
        assert gap >= verdicts.SAME_POINTS
        return
    larger = max(first, second)
    if "neither strays" in verdict:
        assert larger < verdicts.SMALL_DISTANCE and answer.index == 2
        return
    if "within" in verdict:
        assert verdict == f"within {100 * verdicts.SAME_SHARE:.0f} % of each other."
        assert abs(first - second) <= verdicts.SAME_SHARE * larger + 1e-6 and answer.index == 2
        return
    further = re.fullmatch(rf"(?P<tag>{TAG})'s strays further\.", verdict)
    assert further, verdict
    index = _tag_index(further["tag"])
    assert answer.index == index
    # Larger by more than SAME_SHARE of the larger (float32 pictures: a margin of 1e-6).
    assert (first, second)[index] - (first, second)[1 - index] > (
        verdicts.SAME_SHARE * larger - 1e-6
    )
    assert larger >= verdicts.SMALL_DISTANCE - 1e-6


def _check_printed(text: str, value: float, decimals: int, scale: float = 1.0) -> None:
    assert float(text) == pytest.approx(scale * value, abs=0.5 * 10**-decimals + 1e-5)


def _check_overfitting(runs, said: list[str], epochs: int) -> None:
    """The overfitting sentence exactly when the validation cost rose more than RISE above
    its lowest and the training cost ended below its value at that epoch."""
    for index, run in enumerate(runs):
        validation, training = run.training.validation_cost, run.training.train_cost
        found = [
            match
            for sentence in said
            if (match := OVERFITTING.match(sentence)) and _tag_index(match["tag"]) == index
        ]
        rose = False
        if run.stopped_at is None and np.isfinite(validation).all():
            best = int(np.argmin(validation))
            lowest, last = validation[best], validation[-1]
            rose = best < epochs and last > (1 + verdicts.RISE) * lowest
            rose = rose and training[-1] < training[best]
        assert len(found) == int(rose)
        if found:
            match = found[0]
            assert int(match["best"]) == best
            assert float(match["low"]) == pytest.approx(lowest, rel=1e-3)
            assert float(match["last"]) == pytest.approx(last, rel=1e-3)
            if lowest > 0:
                assert int(match["rise"]) == round(100 * (last / lowest - 1))
            else:
                assert match["rise"] is None  # no share of 0


def check_sentences(dataset, data, choices, network) -> None:
    runs = lab.train_pair(data, choices, network)
    said = list(verdicts.sentences(data, runs, network.epochs))
    stopped = [run.stopped_at for run in runs]
    accounted = set()
    for sentence in said:
        if match := STOPPED.match(sentence):
            assert int(match["epoch"]) == stopped[_tag_index(match["tag"])]
            assert np.isnan(runs[_tag_index(match["tag"])].training.train_cost[-1])
            accounted.add(sentence)
        elif match := CANNOT.match(sentence):
            tags = re.findall(TAG, match["tags"])
            assert sorted(_tag_index(tag) for tag in tags) == [
                i for i, at in enumerate(stopped) if at is not None
            ]
            accounted.add(sentence)
    assert len([s for s in said if STOPPED.match(s)]) == sum(at is not None for at in stopped)
    if data.task == "regression":
        # A stopped run's last weights may overflow between its points: it has no distance.
        distances = [
            _distance(dataset, data, network, run) if at is None else math.nan
            for run, at in zip(runs, stopped, strict=True)
        ]
        overflowing = [
            at is None and not math.isfinite(distance)
            for distance, at in zip(distances, stopped, strict=True)
        ]
        overflow_sentences = [s for s in said if "curve overflows between its training" in s]
        assert len(overflow_sentences) == sum(overflowing)
        accounted.update(overflow_sentences)
        for sentence in said:
            if match := DISTANCE.match(sentence):
                index = _tag_index(match["tag"])
                assert stopped[index] is None
                _check_printed(match["d"], distances[index], 3)
                accounted.add(sentence)
            elif match := CURVES.match(sentence):
                answer = verdicts.curve_answer(data, runs)
                assert answer.why == sentence and all(at is None for at in stopped)
                _check_printed(match["a"], distances[0], 3)
                _check_printed(match["b"], distances[1], 3)
                _check_comparison(match["verdict"], answer, *distances, "distance")
                accounted.add(sentence)
        if len(runs) == 2:
            # The scenes' answer is the sentence the page prints (one judgement).
            assert verdicts.curve_answer(data, runs).why in said
    else:
        scores = [_scores(data, network, run) for run in runs]
        expected_questions = []
        if len(runs) == 2 and data.flipped:
            expected_questions.append(("clean accuracy", verdicts.boundary_answer(runs)))
        if len(runs) == 2 and data.rare_share < verdicts.IMBALANCED / data.k:
            expected_questions.append(("rare recall", verdicts.rare_answer(runs)))
        for _, answer in expected_questions:
            assert answer.why in said  # the scenes' answer is the page's sentence
        for sentence in said:
            if match := CLASSIFIES.match(sentence):
                index = _tag_index(match["tag"])
                assert int(match["epochs"]) == network.epochs and stopped[index] is None
                _check_printed(match["acc"], scores[index]["accuracy"], 1, 100)
                _check_printed(match["bal"], scores[index]["balanced accuracy"], 1, 100)
                accounted.add(sentence)
                continue
            question = [(n, a) for n, a in expected_questions if a.why == sentence]
            if not question or sentence in accounted:
                continue
            name, answer = question[0]
            if match := NO_SCORE.match(sentence):
                assert math.isnan(scores[0][name]) and answer.index == 2
            else:
                match = SCORES.match(sentence)
                assert match, sentence
                first, second = scores[0][name], scores[1][name]
                _check_printed(match["a"], first, 1, 100)
                _check_printed(match["b"], second, 1, 100)
                _check_comparison(match["verdict"], answer, first, second, "points")
            accounted.add(sentence)
    _check_overfitting(runs, said, network.epochs)
    accounted |= {s for s in said if OVERFITTING.match(s)}
    # "Trained alike": printed exactly when two different losses' weights agree at every
    # snapshot within the tolerance (the gap recomputed here: |a − b| / (1 + |b|)).
    alike = [s for s in said if "trained the network alike" in s]
    if len(runs) == 2 and runs[0].loss.id != runs[1].loss.id:
        first, second = (run.training.snapshots for run in runs)
        gap = np.max(np.abs(first - second) / (1.0 + np.abs(second)))
        assert bool(alike) == (gap <= verdicts.ALIKE), gap
    else:
        assert not alike
    accounted.update(alike)
    # Every sentence the page prints is one of those checked here.
    assert set(said) == accounted, set(said) - accounted


@SETTINGS
@given(page_settings())
@example(
    (
        "sine",
        lab.problem(
            network_data.make_curve(
                200, shape="sine", outlier_fraction=0.5, outlier_magnitude=10.0, seed=0
            ),
            task="regression",
            k=1,
            seed=0,
            shape="sine",
        ),
        [(losses.get("mse"), {}), (losses.get("huber"), {})],
        lab.NetworkSettings(activation="relu", optimiser=Settings("sgd", 1.0), epochs=50),
    )
)
def test_every_sentence_is_true_of_the_numbers_it_prints(case):
    check_sentences(*case)


def _moons(**args):
    frame = network_data.make_shapes(**{"n": 200, "shape": "moons", "seed": 0, **args})
    return lab.problem(frame, task="binary", k=2, seed=0)


@pytest.mark.parametrize(
    ("data", "choices"),
    [
        # Flipped labels, scene-like: BCE against focal (a bounded-gradient loss here).
        (_moons(label_noise=0.3), [("bce", {}), ("focal", {"gamma": 5.0})]),
        # A rare class: BCE against weighted BCE (the rare-class scene's w = 20).
        (_moons(minority_fraction=0.05), [("bce", {}), ("bce", {"pos_weight": 20.0})]),
    ],
)
def test_the_scene_questions_sentences_hold(data, choices):
    network = lab.NetworkSettings(hidden=(16, 16), epochs=100)
    check_sentences("moons", data, [(losses.get(i), p) for i, p in choices], network)


def _runs_ending_with(data, network, values: dict) -> list[lab.Run]:
    """Two real trainings whose last scores or curves are replaced by ``values`` (per run:
    a score name → value, or "picture" → the curve), to put the comparisons at their edges."""
    runs = lab.train_pair(data, [(losses.get("mse"), {}), (losses.get("huber"), {})], network)
    shaped = []
    for run, replaced in zip(runs, values, strict=True):
        picture = run.picture.copy()
        picture[-1] = replaced.get("picture", picture[-1])
        scores = {name: np.array([value]) for name, value in replaced.items() if name != "picture"}
        shaped.append(
            lab.Run(run.loss, run.params, run.head, run.training, picture, run.pull, None, scores)
        )
    return shaped


CURVE_DATA = lab.problem(
    network_data.make_curve(50, seed=0), task="regression", k=1, seed=0, shape="sine"
)
TINY = lab.NetworkSettings(hidden=(2,), epochs=10)
SCORE_VALUES = st.integers(0, 400).map(lambda count: count / 400)


@settings(max_examples=60, deadline=None)
@given(SCORE_VALUES, SCORE_VALUES)
@example(0.5, 0.52)  # exactly SAME_POINTS apart: "ends higher"
@example(0.5, 0.515)  # 1.5 points: within
def test_a_score_comparison_is_true_at_its_edges(first, second):
    runs = _runs_ending_with(CURVE_DATA, TINY, [{"accuracy": first}, {"accuracy": second}])
    answer = verdicts.compare_scores(runs, "accuracy", "accuracy")
    match = SCORES.match(answer.why)
    assert match, answer.why
    _check_printed(match["a"], first, 1, 100)
    _check_printed(match["b"], second, 1, 100)
    _check_comparison(match["verdict"], answer, first, second, "points")


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 2.0), st.floats(0.0, 2.0))
@example(0.1, 0.085)  # 15 % apart: within SAME_SHARE
@example(0.1, 0.075)  # 25 % apart: B's strays less
@example(0.04, 0.01)  # both under SMALL_DISTANCE
def test_a_curve_comparison_is_true_at_its_edges(first, second):
    """A curve off the truth by a constant: its mean distance is that constant."""
    truth = CURVE_DATA.truth
    runs = _runs_ending_with(
        CURVE_DATA, TINY, [{"picture": truth + first}, {"picture": truth - second}]
    )
    answer = verdicts.curve_answer(CURVE_DATA, runs)
    match = CURVES.match(answer.why)
    assert match, answer.why
    _check_printed(match["a"], first, 3)
    _check_printed(match["b"], second, 3)
    _check_comparison(match["verdict"], answer, first, second, "distance")


def test_the_overfitting_sentence_when_the_lowest_validation_cost_is_zero():
    """A hinge loss's cost reaches 0 exactly once every margin is past 1; a validation cost
    rising from 0 while the training cost falls is still said, with no share of 0 (the
    sentence divided by it: ZeroDivisionError on the page, test_every_chart_validates)."""
    (run,) = lab.train_pair(CURVE_DATA, [(losses.get("mse"), {})], TINY)
    validation = np.linspace(0.5, 0.0, TINY.epochs + 1)
    validation[-3:] = (0.0, 0.05, 0.1)  # lowest (0) at epoch 8, then up to 0.1
    training = dataclasses.replace(run.training, validation_cost=validation)
    assert training.train_cost[-1] < training.train_cost[8]  # MSE still falling there
    risen = dataclasses.replace(run, training=training)
    said = verdicts.overfitting(risen, TINY.epochs, "A (MSE)")
    assert said is not None and OVERFITTING.match(said), said
    _check_overfitting([risen], [said], TINY.epochs)


@pytest.mark.parametrize(
    ("dataset", "pair", "alike"),
    [
        ("spiral", ("cce", "kl"), True),  # KL(y‖p) = CCE − H(y), and H(one-hot) = 0
        ("spiral", ("cce", "sparse_cce"), True),  # the same loss on index labels
        ("spiral", ("cce", "gce_multiclass"), False),
        ("sine", ("pseudo_huber", "barron"), True),  # Barron at α = 1, c = 1 is pseudo-Huber δ = 1
        ("sine", ("mse", "huber"), False),
    ],
)
def test_the_alike_sentence_is_printed_exactly_when_every_snapshot_agrees(dataset, pair, alike):
    frame = (
        network_data.make_curve(120, shape=dataset, outlier_fraction=0.1)
        if dataset in network_data.CURVES
        else network_data.make_shapes(120, shape=dataset, minority_fraction=1 / 3)
    )
    task = "regression" if dataset in network_data.CURVES else "multiclass"
    data = lab.problem(frame, task=task, k=frame.attrs.get("k", 1), seed=0, shape=dataset)
    network = lab.NetworkSettings(epochs=40)
    runs = lab.train_pair(data, [(losses.get(loss_id), {}) for loss_id in pair], network)
    # Recomputed here: the largest relative gap between the two runs' weights at any snapshot.
    first, second = (run.training.snapshots for run in runs)
    gap = np.max(np.abs(first - second) / (1.0 + np.abs(second)))
    assert (gap <= verdicts.ALIKE) == alike
    said = verdicts.sentences(data, runs, network.epochs)
    assert any("trained the network alike" in sentence for sentence in said) == alike
