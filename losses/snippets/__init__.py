"""A loss's "reproduce this number" scripts: the `Snippet` on its registry entry.

Each `Loss` entry may carry a `Snippet`: for NumPy, PyTorch and Keras, a function of the
`Problem` (the loss, its resolved parameters and the checked data) that gives the lines
turning ``y_true`` and ``y_pred`` into ``per_sample``, the per-sample losses. A framework
without a function (None) has no script for that loss yet; the reproduce panel says so in a
sentence. The framing every script shares (imports, the data, the cost and the print) is
written by `lessons.reproduce`.

The snippets live here, one module per family of losses (`regression`, `barron`, `binary`,
`focal`, `multiclass`), each loss's three frameworks side by side, so that the registry in
`losses.registry` can set them on the entries: `losses` may not import `lessons`. They are
text only: numpy is the one library imported, and only to look at the data.

What each function may assume when its lines run:

- numpy: ``np`` imported; ``y_true``, ``y_pred`` NumPy arrays shaped as in `Problem`.
- torch: ``np``, ``torch`` and ``F`` (torch.nn.functional) imported; ``y_true`` and
  ``y_pred`` float64 tensors (``y_true`` a long tensor of class indices when sparse).
- keras: ``keras`` and ``np`` imported; ``y_true``, ``y_pred`` NumPy arrays (the `TENSORS`
  lines make them float64 tensors where the snippet computes in ``keras.ops``).

NumPy writes each formula with the stable identities the core uses, to match `losses` to
~1e-12. PyTorch and Keras call the framework's own loss where its definition is ours (Keras:
``reduction=None`` for per-sample values, ``dtype="float64"``) and write the formula in tensor
ops, with a comment saying why, where the framework has no such loss or defines it otherwise
for the data at hand. A clip a Keras script writes itself takes its bounds as float64
tensors: keras.ops.clip turns a Python float into a float32 tensor, which moves 1 − 1e-7 to
1 − 1.19e-7. Keras' type promotion (keras.backend.result_type) still computes some steps in
float32 on the PyTorch backend, so there a script gives the page's cost to within 1e-6
(tests/lessons/test_reproduce.py runs each script on Keras with torch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from losses.spec import Loss


@dataclass(frozen=True)
class Problem:
    """One loss evaluation to reproduce: the loss, its resolved parameters and the data.

    ``y_true`` / ``y_pred`` are the arrays after the loss's own input checks: (n,) floats
    for regression and binary, (n, k) rows for CCE and KL, (n,) integer labels and an (n, k)
    matrix for sparse CCE.
    """

    loss: Loss
    params: dict[str, Any]
    y_true: np.ndarray
    y_pred: np.ndarray

    @property
    def from_logits(self) -> bool:
        return bool(self.params.get("from_logits", False))

    @property
    def sparse(self) -> bool:
        return self.y_true.ndim == 1 and self.y_pred.ndim == 2


Lines = Callable[[Problem], list[str]]


@dataclass(frozen=True)
class Snippet:
    """A loss's per-sample computation in each framework; None where a framework has none.

    ``y_pred_holds`` names what ``y_pred`` holds in the scripts' comment when it is not the
    task's own word (regression: predictions; otherwise probabilities, or logits with
    from_logits): the hinge's raw scores.
    """

    numpy: Lines | None = None
    torch: Lines | None = None
    keras: Lines | None = None
    y_pred_holds: str = ""


# ---------------------------------------------------------------- shared by the snippets


def assign(task: Problem, *names: str) -> list[str]:
    """``name = value`` for each named parameter of ``task``, values written with repr."""
    return [f"{name} = {task.params[name]!r}" for name in names]


FLOAT64 = "dtype=torch.float64"
MAX_LINE = 88
KERAS_EPSILON = 1e-7  # keras.config.epsilon()'s default
TENSORS = (
    'y_true = keras.ops.convert_to_tensor(y_true, dtype="float64")',
    'y_pred = keras.ops.convert_to_tensor(y_pred, dtype="float64")',
)


def keras_call(class_name: str, arguments: str = "", *, per_row: bool) -> list[str]:
    """The Keras loss object and its per-sample call; 1-D data go in as (n, 1) columns."""
    settings = f"{arguments}, " if arguments else ""
    call = f'keras.losses.{class_name}({settings}reduction=None, dtype="float64")'
    lines = [f"loss_fn = {call}"]
    if len(lines[0]) > MAX_LINE:
        inside = f'{settings}reduction=None, dtype="float64"'
        lines = [f"loss_fn = keras.losses.{class_name}(", f"    {inside}", ")"]
    if per_row:
        return lines + ["per_sample = loss_fn(y_true, y_pred)"]
    return lines + [
        "# As (n, 1) columns: Keras averages over the last axis, so each row is one sample.",
        "per_sample = loss_fn(y_true[:, None], y_pred[:, None])",
    ]


def keras_epsilon(task: Problem) -> list[str]:
    """Keras' clip of probabilities, set to the page's ε when it differs from Keras' own."""
    if task.params["eps"] == KERAS_EPSILON:
        return ["# Keras clips probabilities to [ε, 1 − ε] with ε = keras.config.epsilon(): 1e-7."]
    return assign(task, "eps") + [
        "# Keras clips probabilities to [ε, 1 − ε] with ε = keras.config.epsilon() (1e-7).",
        "keras.config.set_epsilon(eps)",
    ]
