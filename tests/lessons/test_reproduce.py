"""The "reproduce this number" scripts give the numbers the page shows.

Every registered loss, at its defaults and at non-default settings, on data written into the
script (≤ INLINE_ROWS rows) and on data read back from a CSV file: the NumPy and PyTorch
scripts are run and their ``per_sample`` / ``cost`` compared with ``losses.get(id).value`` /
``.cost``. Source of every expected number: the core, which tests/losses checks against
PyTorch, SciPy, scikit-learn and hand derivations (test_torch_reference.py,
test_references.py). The Keras scripts run on Keras 3.15.1 itself, on its PyTorch backend
(the `keras` fixture: .ci/run's second step installs it); everywhere they are checked against
the Keras 3 documentation's constructor arguments by `ast`, and the ones whose Keras class
reaches a backend's cross-entropy also run against a NumPy transcription of the JAX backend's
(`JaxCrossEntropies`, below), a backend this machine does not install.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.special

import losses
from lessons import export, reproduce
from lessons.reproduce import INLINE_ROWS
from losses.snippets import Snippet
from tests.conftest import TORCH_MISSING

SMALL, LARGE = 12, 3 * INLINE_ROWS + 7
K = 4

# One non-default setting or more per loss with parameters, together covering every branch
# the scripts take (logits or probabilities, smoothing on or off, pos_weight 1 or not, ε).
NON_DEFAULT = {
    "huber": [{"delta": 0.7}],
    "pseudo_huber": [{"delta": 2.5}],
    "quantile": [{"tau": 0.9}],
    # Barron: each form the scripts take (general α; α = 2, 0 and −∞ by their limits).
    "barron": [
        {"alpha": -2.0, "scale": 0.5},
        {"alpha": 2.0},
        {"alpha": 0.0, "scale": 3.0},
        {"alpha_minus_infinity": True},
        {"alpha": 1.99999999},
    ],
    "bce": [
        {"from_logits": True, "pos_weight": 3.0, "label_smoothing": 0.1},
        {"from_logits": True},
        {"pos_weight": 0.5, "label_smoothing": 0.2, "eps": 1e-3},
        {"label_smoothing": 0.3, "eps": 1e-4},
    ],
    "focal": [{"gamma": 0.5, "alpha": 0.25, "from_logits": True}, {"gamma": 3.0, "alpha": 0.9}],
    "cce": [{"from_logits": True, "label_smoothing": 0.1}, {"label_smoothing": 0.2, "eps": 1e-4}],
    "sparse_cce": [
        {"from_logits": True, "label_smoothing": 0.1},
        {"from_logits": True},
        {"label_smoothing": 0.2, "eps": 1e-4},
    ],
    "kl": [{"eps": 1e-4}],
    "brier": [{"from_logits": True}],
    "gce": [{"q": 0.3, "from_logits": True}, {"q": 1.0}],
    "brier_multiclass": [{"from_logits": True}],
    "gce_multiclass": [{"q": 0.3, "from_logits": True}, {"q": 0.05}],
}


def scripted(loss) -> bool:
    """Whether the entry has a script in every framework (the others' tabs say there is
    none; tested below with an entry made for it)."""
    snippet = loss.snippet
    return snippet is not None and None not in (snippet.numpy, snippet.torch, snippet.keras)


SCRIPTED = [loss_id for loss_id, loss in losses.REGISTRY.items() if scripted(loss)]
CASES = [(loss_id, {}) for loss_id in SCRIPTED] + [
    (loss_id, params) for loss_id, settings in NON_DEFAULT.items() for params in settings
]


def case_id(loss_id: str, params: dict) -> str:
    return f"{loss_id}-{'-'.join(map(str, params.values())) or 'defaults'}"


CASE_IDS = [case_id(loss_id, params) for loss_id, params in CASES]
SIZES = [SMALL, LARGE]


def case_data(loss_id: str, params: dict, n: int, seed: int = 7):
    """y_true, y_pred as a page passes them to ``loss.value``. Small data include the edges
    (clipped probabilities, saturated logits, tiny residuals); CCE/KL target rows are soft
    when small and one-hot when large (the CSV holds one label per row)."""
    rng = np.random.default_rng(seed)
    task = losses.get(loss_id).task
    logits = params.get("from_logits", False)
    if task == "regression":
        y_true = rng.normal(0.0, 3.0, n)
        residual = rng.normal(0.0, 2.0, n)
        residual[:4] = [0.0, 1e-6, -40.0, 0.7] if n == SMALL else residual[:4]
        return y_true, y_true + residual
    if task == "binary":
        hard = loss_id == "hinge"
        y_true = rng.integers(0, 2, n).astype(float)
        if not hard:
            y_true[-3:] = rng.uniform(0.0, 1.0, 3)  # soft labels
        if hard or logits:
            y_pred = rng.normal(0.0, 3.0, n)
            if n == SMALL:
                y_pred[:4] = [30.0, -30.0, 0.0, 17.5]
            return y_true, np.clip(y_pred, -15.0, 15.0) if n == LARGE else y_pred
        y_pred = rng.uniform(0.01, 0.99, n)
        if n == SMALL:
            y_pred[:4] = [0.0, 1.0, 1e-9, 1.0 - 1e-12]
        return y_true, y_pred
    labels = rng.integers(0, K, n)
    if logits:
        y_pred = rng.normal(0.0, 3.0, (n, K))
        y_pred[0] = [40.0, -40.0, 0.0, 5.0]
    else:
        y_pred = rng.dirichlet(np.ones(K), n) * rng.uniform(0.5, 2.0, (n, 1))  # unnormalised
        y_pred[0] = [0.0, 0.3, 0.3, 0.4]  # a zero probability: clipped
    if loss_id == "kl":
        y_pred = y_pred / y_pred.sum(axis=1, keepdims=True)  # KL takes p as given, ≤ 1
    if loss_id == "sparse_cce":
        return labels, y_pred
    y_true = np.eye(K)[labels]
    if n == SMALL:  # soft rows, written inline (CCE keeps one one-hot row; KL none)
        first = 0 if loss_id == "kl" else 1
        y_true[first:] = rng.dirichlet(np.ones(K), n - first)
    return y_true, y_pred


def run(code: str, namespace_keys=("per_sample", "cost")):
    """Execute a generated script; its ``per_sample`` (as an array) and ``cost``."""
    namespace: dict = {}
    exec(compile(code, "snippet.py", "exec"), namespace)
    return np.asarray(namespace["per_sample"], dtype=float), namespace["cost"]


def scripts_and_expected(loss_id, params, n, tmp_path, monkeypatch, seed=7):
    """The three scripts for the case (CSV written to tmp_path and the cwd moved there when
    the data are large) and the core's per-sample values and cost for the same data."""
    y_true, y_pred = case_data(loss_id, params, n, seed)
    monkeypatch.chdir(tmp_path)
    if n > INLINE_ROWS:
        table = reproduce.data_table(loss_id, params, y_true, y_pred)
        (tmp_path / "page_data.csv").write_bytes(export.csv_bytes(table))
    code = reproduce.snippets(loss_id, params, y_true, y_pred, csv_name="page_data.csv")
    loss = losses.get(loss_id)
    return code, loss.value(y_true, y_pred, **params), loss.cost(y_true, y_pred, **params)


def assert_reproduces(code, expected_values, expected_cost, rtol):
    per_sample, cost = run(code)
    np.testing.assert_allclose(per_sample, expected_values, rtol=rtol, atol=0.0)
    assert cost == pytest.approx(expected_cost, rel=rtol, abs=0.0)


@pytest.mark.parametrize("loss_id", list(losses.REGISTRY))
def test_every_loss_has_each_script_or_says_why_not(loss_id):
    # The cases below run only the scripted losses; any other tab must carry the sentence.
    code = reproduce.snippets(loss_id, {}, *case_data(loss_id, {}, SMALL))
    for framework, script in code.items():
        if script is None:
            assert losses.get(loss_id).name in reproduce.missing(loss_id, framework)
        else:
            assert "per_sample" in script and "cost" in script
    assert (None not in code.values()) == (loss_id in SCRIPTED)


def test_every_loss_with_parameters_has_a_non_default_setting():
    with_params = {loss.id for loss in losses.REGISTRY.values() if loss.params and scripted(loss)}
    assert with_params == set(NON_DEFAULT)
    for loss_id, settings in NON_DEFAULT.items():
        defaults = losses.get(loss_id).defaults
        assert all(any(defaults[k] != v for k, v in s.items()) for s in settings), loss_id


@pytest.mark.parametrize("n", SIZES, ids=["inline", "csv"])
@pytest.mark.parametrize(("loss_id", "params"), CASES, ids=CASE_IDS)
def test_numpy_script_reproduces_the_core(loss_id, params, n, tmp_path, monkeypatch):
    code, values, cost = scripts_and_expected(loss_id, params, n, tmp_path, monkeypatch)
    assert ("read_csv" in code["NumPy"]) == (n > INLINE_ROWS)
    # Expected: losses.get(loss_id).value / .cost on the same data (the core).
    assert_reproduces(code["NumPy"], values, cost, rtol=1e-12)


# torch's binary_cross_entropy_with_logits evaluates log(1 + e^{−|z|}) without log1p and loses
# ~5e-11 relative where the loss is small (as in tests/losses/test_torch_reference.py).
TORCH_BCE_WITH_LOGITS_RTOL = 1e-9


@pytest.mark.torch
@pytest.mark.parametrize("n", SIZES, ids=["inline", "csv"])
@pytest.mark.parametrize(("loss_id", "params"), CASES, ids=CASE_IDS)
def test_torch_script_reproduces_the_core(loss_id, params, n, tmp_path, monkeypatch):
    pytest.importorskip("torch", reason=TORCH_MISSING)
    code, values, cost = scripts_and_expected(loss_id, params, n, tmp_path, monkeypatch)
    uses_bce_with_logits = "binary_cross_entropy_with_logits" in code["PyTorch"]
    assert uses_bce_with_logits == (loss_id == "bce" and params.get("from_logits", False))
    rtol = TORCH_BCE_WITH_LOGITS_RTOL if uses_bce_with_logits else 1e-12
    # Expected: the core (float64 throughout the script: torch.tensor(..., dtype=float64)).
    assert_reproduces(code["PyTorch"], values, cost, rtol=rtol)


# ---------------------------------------------------------------- Keras

REGRESSION_LOSSES = "https://keras.io/api/losses/regression_losses/"
PROBABILISTIC_LOSSES = "https://keras.io/api/losses/probabilistic_losses/"
HINGE_LOSSES = "https://keras.io/api/losses/hinge_losses/"
LOSS_TAIL = ("reduction", "name", "dtype")
# Keras 3 constructor arguments of each class the scripts may call, as its documentation
# lists them (checked against keras/src/losses/losses.py, Keras 3.x).
KERAS_LOSS_ARGUMENTS = {
    "MeanSquaredError": (REGRESSION_LOSSES + "#meansquarederror-class", LOSS_TAIL),
    "MeanAbsoluteError": (REGRESSION_LOSSES + "#meanabsoluteerror-class", LOSS_TAIL),
    "Huber": (REGRESSION_LOSSES + "#huber-class", ("delta", *LOSS_TAIL)),
    "LogCosh": (REGRESSION_LOSSES + "#logcosh-class", LOSS_TAIL),
    "BinaryCrossentropy": (
        PROBABILISTIC_LOSSES + "#binarycrossentropy-class",
        ("from_logits", "label_smoothing", "axis", *LOSS_TAIL),
    ),
    "BinaryFocalCrossentropy": (
        PROBABILISTIC_LOSSES + "#binaryfocalcrossentropy-class",
        (
            "apply_class_balancing",
            "alpha",
            "gamma",
            "from_logits",
            "label_smoothing",
            "axis",
            *LOSS_TAIL,
        ),
    ),
    "CategoricalCrossentropy": (
        PROBABILISTIC_LOSSES + "#categoricalcrossentropy-class",
        ("from_logits", "label_smoothing", "axis", *LOSS_TAIL),
    ),
    # No label_smoothing in Keras 3's SparseCategoricalCrossentropy (the scripts one-hot instead).
    "SparseCategoricalCrossentropy": (
        PROBABILISTIC_LOSSES + "#sparsecategoricalcrossentropy-class",
        ("from_logits", "ignore_class", *LOSS_TAIL),
    ),
    "KLDivergence": (PROBABILISTIC_LOSSES + "#kldivergence-class", LOSS_TAIL),
    "Hinge": (HINGE_LOSSES + "#hinge-class", LOSS_TAIL),
}
KERAS_OPS = {
    "convert_to_tensor": "https://keras.io/api/ops/core/#converttotensor-function",
    "convert_to_numpy": "https://keras.io/api/ops/core/#converttonumpy-function",
    "square": "https://keras.io/api/ops/numpy/#square-function",
    "sqrt": "https://keras.io/api/ops/numpy/#sqrt-function",
    "maximum": "https://keras.io/api/ops/numpy/#maximum-function",
    "log": "https://keras.io/api/ops/numpy/#log-function",
    "log1p": "https://keras.io/api/ops/numpy/#log1p-function",
    "expm1": "https://keras.io/api/ops/numpy/#expm1-function",
    "clip": "https://keras.io/api/ops/numpy/#clip-function",
    "where": "https://keras.io/api/ops/numpy/#where-function",
    "sum": "https://keras.io/api/ops/numpy/#sum-function",
    "softplus": "https://keras.io/api/ops/nn/#softplus-function",
    "sigmoid": "https://keras.io/api/ops/nn/#sigmoid-function",
    "log_sigmoid": "https://keras.io/api/ops/nn/#logsigmoid-function",
    "softmax": "https://keras.io/api/ops/nn/#softmax-function",
    "log_softmax": "https://keras.io/api/ops/nn/#logsoftmax-function",
}
KERAS_CONFIG = {
    # keras.config.set_epsilon (Keras 3.15 source keras/src/backend/config.py)
    "set_epsilon": "https://www.tensorflow.org/api_docs/python/tf/keras/backend/set_epsilon",
}


def keras_calls(code: str) -> list[tuple[str, str, ast.Call]]:
    """(namespace, name, call) for every call of keras.<namespace>.<name>(...) in ``code``."""
    calls = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        if (
            isinstance(owner, ast.Attribute)
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "keras"
        ):
            calls.append((owner.attr, node.func.attr, node))
    return calls


def keras_classes(code: str) -> list[str]:
    return [name for namespace, name, _ in keras_calls(code) if namespace == "losses"]


@pytest.mark.parametrize(("loss_id", "params"), CASES, ids=CASE_IDS)
def test_keras_script_calls_only_documented_names_and_arguments(loss_id, params):
    y_true, y_pred = case_data(loss_id, params, SMALL)
    code = reproduce.snippets(loss_id, params, y_true, y_pred)["Keras"]
    calls = keras_calls(code)
    assert calls, "a Keras script that calls nothing of Keras"
    for namespace, name, call in calls:
        if namespace == "losses":
            assert name in KERAS_LOSS_ARGUMENTS, f"keras.losses.{name} is not in the table"
            documented = KERAS_LOSS_ARGUMENTS[name][1]
            keywords = {keyword.arg: keyword.value for keyword in call.keywords}
            assert set(keywords) <= set(documented), (name, set(keywords) - set(documented))
            assert not call.args, "arguments by keyword only, as the documentation names them"
            # Per-sample values (reduction=None) computed in float64.
            assert isinstance(keywords.get("reduction"), ast.Constant)
            assert keywords["reduction"].value is None
            assert ast.literal_eval(keywords["dtype"]) == "float64"
        elif namespace == "ops":
            assert name in KERAS_OPS, f"keras.ops.{name} is not in the list"
        else:
            assert (namespace, name) == ("config", "set_epsilon"), f"keras.{namespace}.{name}"
    # Every keras.<x>.<y> the script names at all (not only calls) is one of those.
    for node in ast.walk(ast.parse(code)):
        names_keras = (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "keras"
        )
        if names_keras:
            table = {"losses": KERAS_LOSS_ARGUMENTS, "ops": KERAS_OPS, "config": KERAS_CONFIG}
            assert node.attr in table[node.value.attr]


@pytest.mark.parametrize(
    ("loss_id", "params", "n", "expected"),
    [
        ("mse", {}, SMALL, ["MeanSquaredError"]),
        ("mae", {}, SMALL, ["MeanAbsoluteError"]),
        ("huber", {"delta": 0.7}, SMALL, ["Huber"]),
        ("log_cosh", {}, SMALL, ["LogCosh"]),
        ("pseudo_huber", {}, SMALL, []),  # no Keras class: keras.ops
        ("quantile", {"tau": 0.9}, SMALL, []),  # no Keras class: keras.ops
        ("bce", {"from_logits": True}, SMALL, ["BinaryCrossentropy"]),
        ("bce", {"pos_weight": 3.0}, SMALL, []),  # no pos_weight in Keras: keras.ops
        ("focal", {}, LARGE, ["BinaryFocalCrossentropy"]),  # every p inside Keras' clip
        ("focal", {}, SMALL, []),  # p = 0 and 1: Keras' unclipped p_t differs
        ("focal", {"from_logits": True}, LARGE, ["BinaryFocalCrossentropy"]),  # |z| ≤ 15
        ("focal", {"from_logits": True}, SMALL, []),  # z = ±30 saturates σ
        ("hinge", {}, SMALL, ["Hinge"]),
        ("cce", {"label_smoothing": 0.2}, SMALL, ["CategoricalCrossentropy"]),
        ("sparse_cce", {}, SMALL, ["SparseCategoricalCrossentropy"]),
        ("sparse_cce", {"label_smoothing": 0.1}, SMALL, ["CategoricalCrossentropy"]),
        ("kl", {}, SMALL, ["KLDivergence"]),  # soft rows, every y ≥ ε
        ("kl", {}, LARGE, []),  # one-hot rows: Keras would clip the zeros of y
        ("brier", {}, SMALL, ["MeanSquaredError"]),  # (p − y)² on (n, 1) columns
        ("brier", {"from_logits": True}, SMALL, []),  # no Brier on logits: keras.ops
        ("brier_multiclass", {}, SMALL, []),  # MeanSquaredError divides by k: keras.ops
        ("gce", {}, SMALL, []),  # no GCE in Keras: keras.ops
        ("gce_multiclass", {"from_logits": True}, SMALL, []),
    ],
)
def test_keras_script_uses_the_keras_class_where_it_gives_our_number(loss_id, params, n, expected):
    y_true, y_pred = case_data(loss_id, params, n)
    code = reproduce.snippets(loss_id, params, y_true, y_pred)["Keras"]
    assert keras_classes(code) == expected
    if not expected:
        assert "written in keras.ops" in code  # and it says why


def test_keras_sets_epsilon_only_when_the_page_s_differs_from_keras_default():
    y_true, y_pred = case_data("bce", {}, SMALL)
    assert "set_epsilon" not in reproduce.snippets("bce", {}, y_true, y_pred)["Keras"]
    code = reproduce.snippets("bce", {"eps": 1e-4}, y_true, y_pred)["Keras"]
    assert "eps = 0.0001" in code and "keras.config.set_epsilon(eps)" in code


@pytest.mark.parametrize(("dtype", "stated"), [(np.float64, "1.5e-8"), (np.float32, "3.5e-4")])
def test_the_keras_log_cosh_comment_says_where_its_rounding_outgrows_the_loss(dtype, stated):
    # Keras 3's log_cosh (keras/src/losses/losses.py) is r + softplus(−2r) − log 2, softplus
    # as its NumPy backend's np.logaddexp(x, 0); the true value by the Taylor series
    # r²/2 − r⁴/12 (hand-derived; the next term, r⁶/45, is below 1e-13 of it for |r| < 1e-3).
    y_true, y_pred = case_data("log_cosh", {}, SMALL)
    assert f"below ~{stated}" in reproduce.snippets("log_cosh", {}, y_true, y_pred)["Keras"]
    threshold = float(stated)
    r = np.geomspace(threshold / 10, threshold * 10, 2001).astype(dtype)
    keras = r + np.logaddexp(dtype(-2) * r, dtype(0)) - dtype(np.log(2))
    exact = r.astype(np.float64) ** 2 / 2 - r.astype(np.float64) ** 4 / 12
    error_over_loss = np.abs(keras.astype(np.float64) - exact) / exact
    largest = float(r[error_over_loss >= 1].max())
    assert largest == pytest.approx(threshold, rel=0.1)


def test_the_keras_log_cosh_comment_says_where_the_torch_backend_s_log_2_matters(keras):
    # On the PyTorch backend log 2 is a float32 constant: off by |float32(log 2) − log 2|
    # = 1.9e-9 (NumPy, hand-checked), which equals the loss r²/2 at r = √(2·1.9e-9) ≈ 6.2e-5.
    offset = abs(float(np.float32(np.log(2))) - np.log(2))
    threshold = np.sqrt(2 * offset)
    y_true, y_pred = case_data("log_cosh", {}, SMALL)
    code = reproduce.snippets("log_cosh", {}, y_true, y_pred)["Keras"]
    assert f"off by {offset:.2g}".replace("e-09", "e-9") in code
    assert f"below ~{threshold:.2g}".replace("e-05", "e-5") in code
    # Real Keras 3 on torch: its error at r = threshold is about the loss itself.
    loss = keras.losses.LogCosh(reduction=None, dtype="float64")
    r = np.array([[threshold]])
    got = float(np.asarray(loss(np.zeros((1, 1)), r)).reshape(-1)[0])
    assert abs(got - np.log(np.cosh(threshold))) == pytest.approx(
        np.log(np.cosh(threshold)), rel=0.05
    )


# The Keras classes whose computation is a backend's own binary cross-entropy
# (keras/src/backend/<backend>/nn.py), which the PyTorch backend computes otherwise than the
# JAX backend: torch.nn.functional.binary_cross_entropy(_with_logits) there, log(1 − p) and
# jax.nn.log_sigmoid here. (The categorical ones are the same formula on both, Keras 3.15.1's
# sources: Keras on torch covers them.)
BACKEND_CROSS_ENTROPIES = {"BinaryCrossentropy", "BinaryFocalCrossentropy"}


class JaxCrossEntropies:
    """The Keras classes of BACKEND_CROSS_ENTROPIES as Keras 3 computes them on its JAX
    backend, transcribed into NumPy (JAX is not installed here): keras/src/losses/losses.py
    (a mean over the last axis; focal's p_t and weights) over keras/src/backend/jax/nn.py
    (clip to [ε, 1 − ε] with keras.config.epsilon(), log(1 − p) without log1p, log_sigmoid
    for logits), in float64 (JAX with x64 on). Constructors accept the documented arguments
    only (KERAS_LOSS_ARGUMENTS)."""

    def __init__(self):
        self.epsilon = 1e-7
        self.ops = SimpleNamespace(
            convert_to_tensor=lambda x, dtype=None: np.asarray(x, dtype),
            convert_to_numpy=np.asarray,
        )
        self.config = SimpleNamespace(set_epsilon=self._set_epsilon)
        functions = {
            "BinaryCrossentropy": self._binary_crossentropy,
            "BinaryFocalCrossentropy": self._binary_focal_crossentropy,
        }
        self.losses = SimpleNamespace(
            **{name: self._loss_class(name, function) for name, function in functions.items()}
        )

    def _set_epsilon(self, value):
        self.epsilon = value

    @staticmethod
    def _loss_class(name, function):
        def construct(reduction="sum_over_batch_size", dtype=None, **arguments):
            unknown = set(arguments) - set(KERAS_LOSS_ARGUMENTS[name][1])
            if unknown:
                raise TypeError(f"{name}() got unexpected keyword arguments {unknown}")
            arguments.pop("name", None)

            def call(y_true, y_pred):
                values = function(np.asarray(y_true, dtype), np.asarray(y_pred, dtype), **arguments)
                return values if reduction is None else np.mean(values)

            return call

        return construct

    def _backend_bce(self, target, output, from_logits):
        if from_logits:
            log_p, log_not_p = scipy.special.log_expit(output), scipy.special.log_expit(-output)
            return -1.0 * target * log_p - (1.0 - target) * log_not_p
        output = np.clip(output, self.epsilon, 1.0 - self.epsilon)
        return -(target * np.log(output) + (1.0 - target) * np.log(1.0 - output))

    def _binary_crossentropy(self, y_true, y_pred, from_logits=False, label_smoothing=0.0):
        if label_smoothing:
            y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
        return np.mean(self._backend_bce(y_true, y_pred, from_logits), axis=-1)

    def _binary_focal_crossentropy(
        self, y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False
    ):
        if from_logits:
            y_pred = scipy.special.expit(y_pred)
        bce = self._backend_bce(y_true, y_pred, from_logits=False)
        p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
        focal_bce = np.power(1.0 - p_t, gamma) * bce
        if apply_class_balancing:
            focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
        return np.mean(focal_bce, axis=-1)


def keras_script(loss_id: str, params: dict, n: int) -> str:
    return reproduce.snippets(loss_id, params, *case_data(loss_id, params, n))["Keras"]


# The cases whose Keras script calls a class of BACKEND_CROSS_ENTROPIES.
JAX_CASES = [
    (loss_id, params, n)
    for loss_id, params in CASES
    for n in SIZES
    if BACKEND_CROSS_ENTROPIES & set(keras_classes(keras_script(loss_id, params, n)))
]
JAX_CASE_IDS = [
    f"{case_id(loss_id, params)}-{'inline' if n <= INLINE_ROWS else 'csv'}"
    for loss_id, params, n in JAX_CASES
]


# Against the JAX backend's formulas: log(1 − p) without log1p loses ~1e-16/p relative where
# p → 0, down to 1e-9 at the clip p = 1e-7.
JAX_RTOL, JAX_ATOL = 1e-9, 1e-15


@pytest.mark.parametrize(("loss_id", "params", "n"), JAX_CASES, ids=JAX_CASE_IDS)
def test_keras_script_reproduces_the_core_on_the_jax_backend_s_cross_entropies(
    loss_id, params, n, tmp_path, monkeypatch
):
    code, values, cost = scripts_and_expected(loss_id, params, n, tmp_path, monkeypatch)
    monkeypatch.setitem(sys.modules, "keras", JaxCrossEntropies())
    per_sample, script_cost = run(code["Keras"])
    # Expected: the core (losses.get(loss_id).value / .cost).
    np.testing.assert_allclose(per_sample, values, rtol=JAX_RTOL, atol=JAX_ATOL)
    assert script_cost == pytest.approx(cost, rel=JAX_RTOL, abs=JAX_ATOL)


# On Keras itself (PyTorch backend), float64 asked: Keras' type promotion
# (keras.backend.result_type) still takes float64 to float32 in the last-axis mean of every
# averaging class and in keras.ops.maximum (~6e-8 of each value), and LogCosh subtracts a
# float32 log 2 (1.9e-9 off): per sample to 1e-6 relative or 1e-8 absolute, the cost (what a
# page shows) to 1e-6 relative.
KERAS_RTOL, KERAS_ATOL = 1e-6, 1e-8


@pytest.mark.parametrize("n", SIZES, ids=["inline", "csv"])
@pytest.mark.parametrize(("loss_id", "params"), CASES, ids=CASE_IDS)
def test_keras_script_reproduces_the_core_on_keras(
    loss_id, params, n, tmp_path, monkeypatch, keras
):
    code, values, cost = scripts_and_expected(loss_id, params, n, tmp_path, monkeypatch)
    per_sample, script_cost = run(code["Keras"])
    # Expected: the core (losses.get(loss_id).value / .cost).
    assert per_sample.shape == values.shape  # one number per sample, not their mean
    np.testing.assert_allclose(per_sample, values, rtol=KERAS_RTOL, atol=KERAS_ATOL)
    assert script_cost == pytest.approx(cost, rel=KERAS_RTOL, abs=0.0)


def test_keras_averages_a_one_dimensional_input_into_one_number(keras):
    # Why the scripts pass (n, 1) columns: Keras' losses average over the last axis.
    huber = keras.losses.Huber(delta=1.0, reduction=None, dtype="float64")
    residual = np.array([0.5, 2.0, -1.0])
    assert tuple(huber(np.zeros(3), residual).shape) == ()
    per_sample = keras.ops.convert_to_numpy(huber(np.zeros((3, 1)), residual[:, None]))
    # hand-derived: ½·0.25, 1·2 − ½, ½·1 per sample
    np.testing.assert_allclose(per_sample, [0.125, 1.5, 0.5], rtol=1e-15)


# ---------------------------------------------------------------- the data in the script


@pytest.mark.parametrize(("loss_id", "params"), CASES, ids=CASE_IDS)
def test_inline_numbers_round_trip_exactly(loss_id, params):
    y_true, y_pred = case_data(loss_id, params, SMALL)
    namespace: dict = {}
    exec(reproduce.snippets(loss_id, params, y_true, y_pred)["NumPy"], namespace)
    np.testing.assert_array_equal(namespace["y_true"], y_true)
    np.testing.assert_array_equal(namespace["y_pred"], y_pred)


@pytest.mark.parametrize("framework", ["NumPy", "PyTorch"])
@pytest.mark.parametrize("loss_id", ["huber", "focal", "sparse_cce"])
def test_changing_one_value_in_the_script_s_data_changes_that_sample_only(framework, loss_id):
    if framework == "PyTorch":
        pytest.importorskip("torch", reason=TORCH_MISSING)
    y_true, y_pred = case_data(loss_id, {}, SMALL)
    before, _ = run(reproduce.snippets(loss_id, {}, y_true, y_pred)[framework])
    y_true, y_pred = y_true.copy(), y_pred.copy()
    if loss_id == "huber":
        y_true[5] += 1.0  # a target
    elif y_pred.ndim == 1:
        y_pred[5] = 0.5 * y_pred[5] + 0.1  # a probability, still in [0, 1]
    else:
        y_pred[5, 0] *= 0.5  # one class's probability (the row is renormalised)
    after, cost = run(reproduce.snippets(loss_id, {}, y_true, y_pred)[framework])
    changed = np.flatnonzero(before != after)
    assert changed.tolist() == [5]
    # Expected: the core on the changed data.
    np.testing.assert_allclose(after, losses.get(loss_id).value(y_true, y_pred), rtol=1e-12)
    assert cost == pytest.approx(losses.get(loss_id).cost(y_true, y_pred), rel=1e-12)


@pytest.mark.parametrize("loss_id", ["mse", "bce", "cce", "sparse_cce"])
def test_the_csv_script_reads_the_file_it_names(loss_id, tmp_path, monkeypatch):
    y_true, y_pred = case_data(loss_id, {}, LARGE)
    monkeypatch.chdir(tmp_path)
    code = reproduce.snippets(loss_id, {}, y_true, y_pred, csv_name="mine.csv")["NumPy"]
    table = reproduce.data_table(loss_id, {}, y_true, y_pred)
    (tmp_path / "mine.csv").write_bytes(export.csv_bytes(table))
    before, _ = run(code)
    # The same script, another file: row 9's prediction changed there, and only there.
    first = table.columns[1]
    table.loc[9, first] = table.loc[9, first] * 0.5
    (tmp_path / "mine.csv").write_bytes(export.csv_bytes(table))
    after, _ = run(code)
    assert np.flatnonzero(before != after).tolist() == [9]
    changed = y_pred.copy()
    changed[9] = table.loc[9, first] if changed.ndim == 1 else table.iloc[9, 1:].to_numpy()
    # Expected: the core on the changed data.
    np.testing.assert_allclose(after, losses.get(loss_id).value(y_true, changed), rtol=1e-12)


@pytest.mark.parametrize(
    ("loss_id", "columns"),
    [
        ("mse", ["y_true", "y_pred"]),
        ("hinge", ["y_true", "y_pred"]),
        ("cce", ["label", "p0", "p1", "p2", "p3"]),
        ("sparse_cce", ["label", "p0", "p1", "p2", "p3"]),
    ],
)
def test_the_csv_columns_are_the_ones_the_page_writes(loss_id, columns):
    y_true, y_pred = case_data(loss_id, {}, LARGE)
    table = reproduce.data_table(loss_id, {}, y_true, y_pred)
    assert list(table.columns) == columns and len(table) == LARGE
    if loss_id == "cce":  # hand-derived: the label is the one-hot row's 1
        np.testing.assert_array_equal(table["label"], np.argmax(y_true, axis=1))


def test_soft_rows_cannot_go_through_a_csv_and_say_so():
    y_true, y_pred = case_data("cce", {}, LARGE)
    y_true[3] = [0.25, 0.25, 0.25, 0.25]
    with pytest.raises(ValueError, match="soft"):
        reproduce.snippets("cce", {}, y_true, y_pred)


def test_bad_inputs_raise_the_core_s_messages():
    with pytest.raises(ValueError, match="unknown loss"):
        reproduce.snippets("nope", {}, [1.0], [1.0])
    with pytest.raises(ValueError, match="delta"):
        reproduce.snippets("huber", {"delta": -1.0}, [1.0], [1.0])
    with pytest.raises(ValueError, match="from_logits"):
        reproduce.snippets("bce", {}, [1.0], [2.0])  # a logit given as a probability


def test_the_note_and_the_settings_head_every_script():
    note = "y_pred is the Huber line 1.02 + 1.97·x fitted on the page"
    code = reproduce.snippets(
        "focal", {"alpha": None, "from_logits": True}, [1.0], [0.3], note=note
    )
    for script in code.values():
        lines = script.splitlines()
        assert lines[0] == "# Loss Explorer: Focal loss (gamma=2.0, alpha=None, from_logits=True)"
        assert f"# {note}" in lines[:3]
        assert "alpha = None" in script  # None is said, not dropped
    assert set(code) == {"NumPy", "PyTorch", "Keras"}


@pytest.mark.parametrize(
    ("loss_id", "params", "what"),
    [
        ("mse", {}, "predictions"),
        ("hinge", {}, "raw scores"),
        ("bce", {}, "probabilities"),
        ("bce", {"from_logits": True}, "logits"),
        ("cce", {"from_logits": True}, "logits"),
    ],
)
@pytest.mark.parametrize("n", SIZES, ids=["inline", "csv"])
def test_the_script_says_what_y_pred_holds(loss_id, params, what, n):
    y_true, y_pred = case_data(loss_id, params, n)
    code = reproduce.snippets(loss_id, params, y_true, y_pred, csv_name="page.csv")["NumPy"]
    assert f"({what})" in code if n > INLINE_ROWS else f"# y_pred holds {what}." in code
    assert ('pd.read_csv("page.csv")' in code) == (n > INLINE_ROWS)


# ---------------------------------------------------------------- an entry without snippets


@pytest.mark.parametrize(
    ("snippet", "scripts"),
    [
        (None, set()),
        (Snippet(numpy=losses.get("huber").snippet.numpy), {"NumPy"}),
    ],
    ids=["none", "numpy-only"],
)
def test_a_framework_without_a_snippet_gets_no_script_and_a_sentence(snippet, scripts, monkeypatch):
    huber = losses.get("huber")
    monkeypatch.setitem(
        losses.REGISTRY, "test_only", dataclasses.replace(huber, id="test_only", snippet=snippet)
    )
    y_true, y_pred = case_data("huber", {}, SMALL)
    code = reproduce.snippets("test_only", {}, y_true, y_pred)
    assert {name for name, script in code.items() if script is not None} == scripts
    others = "the NumPy tab computes the same number." if scripts else "no framework has a"
    for framework in set(code) - scripts:
        sentence = reproduce.missing("test_only", framework)
        # Its kernel is Huber's: losses.regression.huber (the entry copied above).
        assert sentence.startswith(
            f"No {framework} script for Huber yet: its kernel is huber in losses/regression.py; "
        )
        assert others in sentence
    if scripts:  # the script it has still computes the core's number
        assert_reproduces(code["NumPy"], *expected_of(huber, y_true, y_pred), rtol=1e-12)


def expected_of(loss, y_true, y_pred):
    return loss.value(y_true, y_pred), loss.cost(y_true, y_pred)
