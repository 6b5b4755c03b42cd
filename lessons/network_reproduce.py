"""Reproduce a network's training: a PyTorch script and a NumPy one a student can run.

For the "Train a network" page: from what the page trained with (the `Architecture`, the
start weights, the `Head`, the training points, the optimiser's `Settings`, epochs, batch
size, seed and L2 strength), `torch_script` writes a PyTorch script that builds the same
network (``nn.Sequential`` of ``Linear`` and ``Tanh``/``ReLU`` in float64), loads the same
initial weights, draws the same batches and trains with the same loss and optimiser, then
prints the training cost after the last epoch: the number ``Training.train_cost[epochs]`` of
`losses.training.train`. `numpy_script` writes the same training in NumPy, the network, its
backpropagation and the optimiser written out.

The loss's value in both is its registry entry's reproduce lines (`losses.snippets`, the same
lines as the reproduce panel of the other pages), wrapped in a function of (y_true, y_pred).
PyTorch differentiates them itself. The snippets give values only, so the NumPy script takes
the loss's gradient ∂ℓ/∂ŷ from the project's core (``losses.get(id).grad``) and runs from the
project's root folder; it says so in its first lines.

Up to `INLINE_ROWS` training points are written into the scripts (``repr`` of each float:
they round-trip); more are read from the CSV file `training_csv` makes (columns x1 … xd and
y, 17 significant digits), which the panel offers for download.

    from lessons import network_reproduce as nr
    code = nr.torch_script(arch, start, head, x, y, settings=s, epochs=200, batch_size=32)
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lessons.export import csv_bytes
from losses.network import Architecture
from losses.optimisers import Settings
from losses.snippets import Problem
from losses.training import MAX_EPOCHS, Head, targets

INLINE_ROWS = 400
CSV_NAME = "training.csv"
LINE_WIDTH = 88

# What the network's outputs become before the loss takes them, per `Head.link`: torch, NumPy.
PREDICTION = {
    "value": ("output[:, 0]", "output[:, 0]"),
    "logit": ("output[:, 0]", "output[:, 0]"),
    "sigmoid": (
        "torch.sigmoid(output[:, 0])",
        "np.exp(-np.logaddexp(0.0, -output[:, 0]))  # σ(z) = exp(−softplus(−z)): no overflow",
    ),
    "logits": ("output", "output"),
    "softmax": ("torch.softmax(output, dim=1)", None),  # NumPy: `_NUMPY_SOFTMAX`
}
_NUMPY_SOFTMAX = [
    "# softmax with the row max subtracted: no exp of anything above 0.",
    "shifted = output - output.max(axis=1, keepdims=True)",
    "return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))",
]


@dataclass(frozen=True, eq=False)
class _Run:
    """One training as the page ran it, checked; what both scripts are written from."""

    architecture: Architecture
    start: np.ndarray
    head: Head
    x: np.ndarray
    y: np.ndarray  # regression values (float) or class labels (int)
    settings: Settings
    epochs: int
    batch_size: int | None  # None: full batch (also for a batch size ≥ n)
    seed: int
    l2: float

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def inline(self) -> bool:
        return self.n <= INLINE_ROWS

    @property
    def problem(self) -> Problem:
        """What a loss's snippet functions read: its parameters, and data shaped as the loss
        takes them (the targets, and predictions of the head's shape)."""
        sample = self.head.prediction(np.zeros((self.n, self.head.outputs)))
        return Problem(self.head.loss, self.head.params, targets(self.head, self.y), sample)


def _run(architecture, start, head, x, y, settings, epochs, batch_size, seed, l2) -> _Run:
    start = np.asarray(start, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if start.shape != (architecture.size,):
        raise ValueError(
            f"the start weights must be {architecture.size} numbers for this network; "
            f"got shape {start.shape}."
        )
    if x.ndim != 2 or x.shape[1] != architecture.inputs:
        raise ValueError(f"x must have {architecture.inputs} columns; got shape {x.shape}.")
    if head.outputs != architecture.outputs:
        raise ValueError(
            f"the loss reads {head.outputs} outputs; the network has {architecture.outputs}."
        )
    if not 1 <= int(epochs) <= MAX_EPOCHS:
        raise ValueError(f"epochs must be from 1 to {MAX_EPOCHS:,}; got {epochs}.")
    targets(head, y)  # the loss's own checks of the labels or values
    y = np.asarray(y)
    if head.loss.task == "regression":
        y = y.astype(np.float64)
    else:
        labels = y.astype(np.int64)
        if not np.array_equal(labels, y):
            raise ValueError("the scripts take whole class labels (0, 1, …), not soft ones.")
        y = labels
    if y.shape != (x.shape[0],):
        raise ValueError(f"y must have one value per row of x ({x.shape[0]}); got {y.shape}.")
    if batch_size is not None and batch_size >= x.shape[0]:
        batch_size = None  # as losses.training.batches: one batch of every point
    return _Run(
        architecture, start, head, x, y, settings, int(epochs), batch_size, int(seed), float(l2)
    )


def training_table(head: Head, x, y) -> pd.DataFrame:
    """The training points as the scripts read them: columns x1 … xd and y (the value, or
    the class label as a whole number)."""
    x = np.asarray(x, dtype=np.float64)
    table = pd.DataFrame({f"x{column + 1}": x[:, column] for column in range(x.shape[1])})
    regression = head.loss.task == "regression"
    table["y"] = np.asarray(y, dtype=np.float64 if regression else np.int64)
    return table


def training_csv(head: Head, x, y) -> bytes:
    """`training_table` as the CSV file a script reads when there are more than
    `INLINE_ROWS` points (floats with 17 significant digits: they round-trip)."""
    return csv_bytes(training_table(head, x, y))


def reads_csv(x) -> bool:
    """Whether the scripts for these training points read `CSV_NAME` (more than
    `INLINE_ROWS` rows) instead of holding the points themselves."""
    return np.shape(x)[0] > INLINE_ROWS


def torch_script(
    architecture: Architecture,
    start,
    head: Head,
    x,
    y,
    *,
    settings: Settings,
    epochs: int,
    batch_size: int | None = None,
    seed: int = 0,
    l2: float = 0.0,
    expected: float | None = None,
    csv_name: str = CSV_NAME,
) -> str | None:
    """A PyTorch script that trains the same network from ``start`` (P,) on ``x`` (n, d) and
    ``y`` (values, or class labels) as `losses.training.train` does with these arguments
    (``y`` raw: `losses.training.targets` of it is what train takes), and prints its training
    cost after ``epochs`` epochs. ``expected`` (the page's number) goes into a comment. None
    when the loss's entry has no PyTorch snippet (`lessons.reproduce.missing` says so)."""
    run = _run(architecture, start, head, x, y, settings, epochs, batch_size, seed, l2)
    snippet = head.loss.snippet
    if snippet is None or snippet.torch is None:
        return None
    arch = run.architecture
    activation = "nn.Tanh()" if arch.activation == "tanh" else "nn.ReLU()"
    layers = [
        f"    nn.Linear({fan_in}, {fan_out}),"
        + (f" {activation}," if number < len(arch.layout) - 1 else "")
        for number, (_, (fan_in, fan_out), _) in enumerate(arch.layout)
    ]
    pairs = ", ".join(f"(W{number}, b{number})" for number in range(1, len(arch.layout) + 1))
    lines = [
        *_header(run, "PyTorch", expected),
        "import numpy as np",
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
        "",
        *_constants(run),
        "",
        *_data(run, csv_name),
        f"x = torch.tensor(data[:, :{arch.inputs}])",
        *_torch_targets(run),
        "",
        *_weights(run),
        "network = nn.Sequential(",
        *layers,
        ").to(torch.float64)",
        "linears = [layer for layer in network if isinstance(layer, nn.Linear)]",
        "with torch.no_grad():",
        f"    for layer, (W, b) in zip(linears, [{pairs}]):",
        "        layer.weight.copy_(torch.tensor(W, dtype=torch.float64).T)  # Linear keeps Wᵀ",
        "        layer.bias.copy_(torch.tensor(b, dtype=torch.float64))",
        "",
        "",
        *_prediction(run, torch=True),
        "",
        "",
        *_loss_function(run, snippet.torch),
        "",
        "",
        *_torch_optimiser(run),
        *_torch_loop(run),
        "",
        "with torch.no_grad():",
        "    cost = loss_per_sample(y_true, prediction(network(x))).mean().item()",
        'print(f"training cost after {EPOCHS} epochs: {cost!r}")',
    ]
    return "\n".join(lines) + "\n"


def numpy_script(
    architecture: Architecture,
    start,
    head: Head,
    x,
    y,
    *,
    settings: Settings,
    epochs: int,
    batch_size: int | None = None,
    seed: int = 0,
    l2: float = 0.0,
    expected: float | None = None,
    csv_name: str = CSV_NAME,
) -> str | None:
    """The same training as `torch_script` in NumPy: forward pass, backpropagation and the
    optimiser written out; the loss's value from its NumPy snippet and its gradient ∂ℓ/∂ŷ from
    the project's core (the script runs from the project's root folder). None when the loss's
    entry has no NumPy snippet."""
    run = _run(architecture, start, head, x, y, settings, epochs, batch_size, seed, l2)
    snippet = head.loss.snippet
    if snippet is None or snippet.numpy is None:
        return None
    arch = run.architecture
    pairs = ", ".join(f"(W{number}, b{number})" for number in range(1, len(arch.layout) + 1))
    if arch.activation == "tanh":
        activate, derivative = "np.tanh(hidden[-1] @ W + b)", "1.0 - hidden[index] ** 2"
        why = "tanh′ = 1 − h²"
    else:
        activate, derivative = "np.maximum(hidden[-1] @ W + b, 0.0)", "hidden[index] > 0.0"
        why = "ReLU′ = [h > 0]: 0 at the kink, as PyTorch takes it"
    lines = [
        *_header(run, "NumPy", expected),
        *_comment(
            "Run it from the project's root folder: the loss's gradient ∂ℓ/∂ŷ comes from the "
            f"project's core, losses.get({json.dumps(head.loss.id)}).grad; the loss's value, "
            "the network, its backpropagation and the optimiser are written out below."
        ),
        "import numpy as np",
        "",
        "import losses",
        "",
        *_constants(run),
        f"LOSS = losses.get({json.dumps(head.loss.id)})",
        f"PARAMS = {_dict(head.params)}",
        "",
        *_data(run, csv_name),
        f"x = data[:, :{arch.inputs}]",
        *_numpy_targets(run),
        "",
        *_weights(run),
        f"layers = [(np.array(W), np.array(b)) for W, b in [{pairs}]]",
        "parameters = [array for layer in layers for array in layer]  # W1, b1, W2, …, updated",
        "",
        "",
        "def forward(inputs):",
        '    """The network\'s outputs, and the layers\' outputs [x, h1, …] backward needs."""',
        "    hidden = [inputs]",
        "    for W, b in layers[:-1]:",
        f"        hidden.append({activate})",
        "    W, b = layers[-1]",
        "    return hidden[-1] @ W + b, hidden",
        "",
        "",
        "def backward(hidden, delta):",
        '    """∂cost/∂W and ∂cost/∂b of each layer (in the order of `parameters`), from',
        '    delta = ∂cost/∂outputs: exact backpropagation."""',
        "    gradients = []",
        "    for index in reversed(range(len(layers))):",
        "        W, _ = layers[index]",
        "        gradients[:0] = [hidden[index].T @ delta, delta.sum(axis=0)]",
        "        if index:",
        f"            # {why}",
        f"            delta = (delta @ W.T) * ({derivative})",
        "    return gradients",
        "",
        "",
        *_prediction(run, torch=False),
        "",
        "",
        *_loss_function(run, snippet.numpy),
        "",
        "",
        *_numpy_output_gradient(run),
        "",
        "",
        *_numpy_optimiser_state(run),
        *_numpy_loop(run),
        "",
        "output, _ = forward(x)",
        "cost = float(loss_per_sample(y_true, prediction(output)).mean())",
        'print(f"training cost after {EPOCHS} epochs: {cost!r}")',
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- shared by both scripts


def _describe(run: _Run) -> str:
    """The training in words, for the header."""
    arch, s = run.architecture, run.settings
    sizes = " → ".join(str(width) for width in arch.sizes)
    if s.kind == "sgd":
        optimiser = f"SGD (learning rate {s.learning_rate!r})"
    elif s.kind == "momentum":
        optimiser = f"SGD with momentum {s.momentum!r} (learning rate {s.learning_rate!r})"
    else:
        optimiser = (
            f"Adam (learning rate {s.learning_rate!r}, betas ({s.beta1!r}, {s.beta2!r}), "
            f"eps {s.eps!r})"
        )
    if run.batch_size is None:
        batches = "full batch (one step per epoch on all points)"
    else:
        batches = f"mini-batches of {run.batch_size} drawn with seed {run.seed}"
    l2 = f"L2 λ = {run.l2!r} on the weight matrices" if run.l2 else "no L2 penalty"
    settings = ", ".join(f"{name}={value!r}" for name, value in run.head.params.items())
    loss = run.head.loss.name + (f" with {settings}" if settings else "")
    text = (
        f"{loss}; a network {sizes} with {arch.activation} after each hidden layer; "
        f"{optimiser}; {run.epochs} epochs of {batches}; {l2}; {run.n} training points."
    )
    return text


def _comment(text: str) -> list[str]:
    """``text`` as comment lines wrapped at LINE_WIDTH."""
    wrapped = textwrap.wrap(text, width=LINE_WIDTH - 2, break_on_hyphens=False)
    return [f"# {line}" for line in wrapped]


def _header(run: _Run, framework: str, expected: float | None) -> list[str]:
    lines = [f'# Loss Explorer, "Train a network", in {framework}:']
    lines += _comment(_describe(run))
    lines += [
        "# Prints the training cost after the last epoch: the mean loss on the training points",
        "# (without the L2 term).",
    ]
    if expected is not None:
        lines.append(f"# The page's training cost after {run.epochs} epochs: {float(expected)!r}.")
        if framework == "PyTorch":
            lines.append(
                "# (PyTorch may add up in another order than NumPy: expect 6 digits or more.)"
            )
    return lines


def _constants(run: _Run) -> list[str]:
    s = run.settings
    lines = [f"EPOCHS = {run.epochs}"]
    if run.batch_size is not None:
        lines += [f"BATCH_SIZE = {run.batch_size}", f"SEED = {run.seed}  # of the batches' order"]
    lines.append(f"LEARNING_RATE = {s.learning_rate!r}")
    if s.kind == "momentum":
        lines.append(f"MOMENTUM = {s.momentum!r}")
    elif s.kind == "adam":
        lines += [f"BETA1, BETA2 = {s.beta1!r}, {s.beta2!r}", f"EPS = {s.eps!r}"]
    if run.l2:
        lines.append(f"L2 = {run.l2!r}  # λ: the cost adds (λ/2)·Σ‖W‖² (weight matrices only)")
    return lines


def _y_words(run: _Run) -> str:
    task = run.head.loss.task
    if task == "regression":
        return "the target value y"
    if task == "binary":
        return "the class label y (0 or 1)"
    return f"the class label y (0 to {run.head.outputs - 1})"


def _data(run: _Run, csv_name: str) -> list[str]:
    d = run.architecture.inputs
    columns = ", ".join(f"x{column + 1}" for column in range(d))
    what = f"column{'s' if d > 1 else ''} {columns} and {_y_words(run)}"
    if not run.inline:
        return [
            f"# The {run.n} training points, one per row of {csv_name} (the panel's download):",
            f"# {what}.",
            f'data = np.loadtxt({json.dumps(csv_name)}, delimiter=",", skiprows=1, ndmin=2)',
        ]
    regression = run.head.loss.task == "regression"
    rows = []
    for features, label in zip(run.x, run.y, strict=True):
        values = [repr(float(value)) for value in features]
        values.append(repr(float(label)) if regression else str(int(label)))
        rows.append(values)
    return [f"# The {run.n} training points, one per row: {what}.", *_nested("data", rows, True)]


def _dict(params: dict) -> str:
    """``params`` as a dict literal, its keys in double quotes (the project's style)."""
    return "{" + ", ".join(f"{json.dumps(name)}: {value!r}" for name, value in params.items()) + "}"


def _nested(name: str, rows: list[list[str]], array: bool) -> list[str]:
    """``name = [[…], …]`` (``np.array([...])`` if ``array``), a row per line, long rows
    wrapped at LINE_WIDTH."""
    opening, closing = ("np.array([", "])") if array else ("[", "]")
    lines = [f"{name} = {opening}"]
    for row in rows:
        text = "[" + ", ".join(row) + "],"
        if len(text) + 4 <= LINE_WIDTH:
            lines.append(f"    {text}")
            continue
        wrapped = textwrap.wrap(
            text, width=LINE_WIDTH - 5, break_long_words=False, break_on_hyphens=False
        )
        lines.append(f"    {wrapped[0]}")
        lines += [f"     {line}" for line in wrapped[1:]]
    return [*lines, closing]


def _flat(name: str, values: np.ndarray) -> list[str]:
    if values.size > 1 and np.all(values == 0.0) and not np.signbit(values).any():
        return [f"{name} = [0.0] * {values.size}"]
    text = ", ".join(repr(float(value)) for value in values)
    if len(name) + len(text) + 5 <= LINE_WIDTH:
        return [f"{name} = [{text}]"]
    wrapped = textwrap.wrap(
        text + ",", width=LINE_WIDTH - 4, break_long_words=False, break_on_hyphens=False
    )
    return [f"{name} = [", *(f"    {line}" for line in wrapped), "]"]


def _weights(run: _Run) -> list[str]:
    lines = [
        "# The page's initial weights, layer by layer: W (inputs × units: h = act(h_prev @ W + b))",
        "# and the bias b.",
    ]
    for number, (matrix, bias) in enumerate(run.architecture.layers(run.start), start=1):
        rows = [[repr(float(value)) for value in row] for row in matrix]
        lines += _nested(f"W{number}", rows, False) + _flat(f"b{number}", bias)
    return lines


def _link_comment(run: _Run) -> str:
    head = run.head
    link = head.link
    if link == "value":
        return "The network's one output is the prediction ŷ."
    if link == "logit" and head.loss.scores:
        return f"The network's one output is the score {head.loss.name} takes as it is."
    if link == "logit":
        return "The network's one output is a logit z; the loss takes logits (from_logits=True)."
    if link == "logits":
        return "The network's k outputs are logits; the loss takes logits (from_logits=True)."
    if link == "sigmoid":
        return f"{head.loss.name} takes probabilities: p = σ(z) of the network's logit z."
    return f"{head.loss.name} takes probabilities: softmax of the network's k logits."


def _prediction(run: _Run, *, torch: bool) -> list[str]:
    link = run.head.link
    lines = ["def prediction(output):", f'    """{_link_comment(run)}"""']
    if not torch and link == "softmax":
        return lines + [f"    {line}" for line in _NUMPY_SOFTMAX]
    expression = PREDICTION[link][0 if torch else 1]
    return lines + [f"    return {expression}"]


def _loss_function(run: _Run, snippet) -> list[str]:
    """The loss's reproduce lines as a function of (y_true, y_pred) → per_sample."""
    body = snippet(run.problem)
    return [
        "def loss_per_sample(y_true, y_pred):",
        f'    """{run.head.loss.short}: the per-sample losses, in the reproduce panel\'s lines."""',
        *(f"    {line}" if line else "" for line in body),
        "    return per_sample",
    ]


# ---------------------------------------------------------------- PyTorch


def _torch_targets(run: _Run) -> list[str]:
    head, d = run.head, run.architecture.inputs
    if head.loss.task != "multiclass":
        return [f"y_true = torch.tensor(data[:, {d}])"]
    labels = f"torch.tensor(data[:, {d}].astype(np.int64))"
    if head.loss.label_form == "index":
        return [f"y_true = {labels}  # class indices"]
    return [f"y_true = F.one_hot({labels}, {head.outputs}).to(torch.float64)  # one-hot rows"]


def _torch_optimiser(run: _Run) -> list[str]:
    s = run.settings
    if s.kind == "sgd":
        call = "torch.optim.SGD(network.parameters(), lr=LEARNING_RATE)"
    elif s.kind == "momentum":
        call = "torch.optim.SGD(network.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)"
    else:
        call = (
            "torch.optim.Adam(network.parameters(), lr=LEARNING_RATE, betas=(BETA1, BETA2), "
            "eps=EPS)"
        )
    lines = [f"optimiser = {call}"]
    if len(lines[0]) > LINE_WIDTH:
        inside = call[call.index("(") + 1 : -1]
        lines = [f"optimiser = {call[: call.index('(') + 1]}", f"    {inside}", ")"]
    return lines


def _torch_step(run: _Run, rows: str, indent: str) -> list[str]:
    if rows:
        cost = f"cost = loss_per_sample(y_true[{rows}], prediction(network(x[{rows}]))).mean()"
    else:
        cost = "cost = loss_per_sample(y_true, prediction(network(x))).mean()"
    lines = ["optimiser.zero_grad()", cost]
    if run.l2:
        lines += [
            "# Weight decay on the matrices only (the optimiser's weight_decay would decay the",
            "# biases too).",
            "cost = cost + L2 / 2 * sum((layer.weight**2).sum() for layer in linears)",
        ]
    lines += ["cost.backward()", "optimiser.step()"]
    return [f"{indent}{line}" for line in lines]


def _torch_loop(run: _Run) -> list[str]:
    if run.batch_size is None:
        return [
            "for epoch in range(EPOCHS):  # full batch: one step per epoch",
            *_torch_step(run, "", "    "),
        ]
    return [
        "# Each epoch a fresh permutation of the points from one NumPy generator, cut into",
        "# batches of BATCH_SIZE (the last one shorter), as the page draws them.",
        "rng = np.random.default_rng(SEED)",
        "for epoch in range(EPOCHS):",
        "    order = rng.permutation(len(x))",
        "    for start in range(0, len(x), BATCH_SIZE):",
        "        rows = torch.from_numpy(order[start : start + BATCH_SIZE])",
        *_torch_step(run, "rows", "        "),
    ]


# ---------------------------------------------------------------- NumPy


def _numpy_targets(run: _Run) -> list[str]:
    head, d = run.head, run.architecture.inputs
    if head.loss.task != "multiclass":
        return [f"y_true = data[:, {d}]"]
    labels = f"data[:, {d}].astype(np.int64)"
    if head.loss.label_form == "index":
        return [f"y_true = {labels}  # class indices"]
    return [f"y_true = np.eye({head.outputs})[{labels}]  # one-hot rows"]


def _numpy_output_gradient(run: _Run) -> list[str]:
    link = run.head.link
    lines = [
        "def output_gradient(y_true, output):",
        '    """∂(mean loss)/∂outputs of a batch: the core\'s ∂ℓ/∂ŷ, through the link."""',
        "    y_pred = prediction(output)",
        "    gradient = LOSS.grad(y_true, y_pred, **PARAMS)",
    ]
    if link == "sigmoid":
        lines.append("    gradient = gradient * y_pred * (1.0 - y_pred)  # dσ/dz = σ(1 − σ)")
    elif link == "softmax":
        lines += [
            "    # Through softmax: ∂ℓ/∂z = p ⊙ (g − Σ_k g_k p_k).",
            "    inner = np.sum(gradient * y_pred, axis=1, keepdims=True)",
            "    gradient = y_pred * (gradient - inner)",
        ]
    return lines + ["    return gradient.reshape(len(output), -1) / len(output)"]


def _numpy_optimiser_state(run: _Run) -> list[str]:
    kind = run.settings.kind
    if kind == "sgd":
        return []
    if kind == "momentum":
        return ["velocity = [np.zeros_like(array) for array in parameters]"]
    return [
        "adam_m = [np.zeros_like(array) for array in parameters]  # first moments",
        "adam_v = [np.zeros_like(array) for array in parameters]  # second moments",
        "steps = 0",
    ]


def _numpy_step(run: _Run, rows: str, indent: str) -> list[str]:
    if rows:
        lines = [
            f"output, hidden = forward(x[{rows}])",
            f"gradients = backward(hidden, output_gradient(y_true[{rows}], output))",
        ]
    else:
        lines = [
            "output, hidden = forward(x)",
            "gradients = backward(hidden, output_gradient(y_true, output))",
        ]
    if run.l2:
        lines += [
            "for index in range(0, len(parameters), 2):  # + λW: the matrices, not the biases",
            "    gradients[index] = gradients[index] + L2 * parameters[index]",
        ]
    kind = run.settings.kind
    if kind == "sgd":
        lines += [
            "for parameter, gradient in zip(parameters, gradients):",
            "    parameter -= LEARNING_RATE * gradient",
        ]
    elif kind == "momentum":
        lines += [
            "# PyTorch's momentum: v ← μv + g, θ ← θ − ηv.",
            "for parameter, v, gradient in zip(parameters, velocity, gradients):",
            "    v *= MOMENTUM",
            "    v += gradient",
            "    parameter -= LEARNING_RATE * v",
        ]
    else:
        lines += [
            "# Adam (Kingma & Ba 2015), arranged as PyTorch computes it.",
            "steps += 1",
            "for parameter, m, v, gradient in zip(parameters, adam_m, adam_v, gradients):",
            "    m *= BETA1",
            "    m += (1.0 - BETA1) * gradient",
            "    v *= BETA2",
            "    v += (1.0 - BETA2) * gradient**2",
            "    denominator = np.sqrt(v) / np.sqrt(1.0 - BETA2**steps) + EPS",
            "    parameter -= m / denominator * (LEARNING_RATE / (1.0 - BETA1**steps))",
        ]
    return [f"{indent}{line}" for line in lines]


def _numpy_loop(run: _Run) -> list[str]:
    if run.batch_size is None:
        return [
            "for epoch in range(EPOCHS):  # full batch: one step per epoch",
            *_numpy_step(run, "", "    "),
        ]
    return [
        "# Each epoch a fresh permutation of the points from one NumPy generator, cut into",
        "# batches of BATCH_SIZE (the last one shorter), as the page draws them.",
        "rng = np.random.default_rng(SEED)",
        "for epoch in range(EPOCHS):",
        "    order = rng.permutation(len(x))",
        "    for start in range(0, len(x), BATCH_SIZE):",
        "        rows = order[start : start + BATCH_SIZE]",
        *_numpy_step(run, "rows", "        "),
    ]
