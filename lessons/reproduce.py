"""Reproduce this number: short NumPy, PyTorch and Keras scripts a student can paste.

For a registered loss, its parameters and the data a page passes to ``loss.value``,
`snippets` writes three self-contained scripts that compute the same per-sample losses
(variable ``per_sample``) and their mean, the cost (variable ``cost``), and print both.
Up to `INLINE_ROWS` rows the data are written into the script with ``repr(float)``, so
they round-trip exactly; larger data are read from a CSV file laid out as `data_table`
builds it. Each loss's computation per framework is its registry entry's `Snippet`
(losses/snippets/); this module writes the framing every script shares. A framework the
entry has no snippet for gets no script (None) and `missing` says so in a sentence.
NumPy and pandas only.

    from lessons import reproduce
    code = reproduce.snippets("huber", {"delta": 1.5}, y, fitted, note="the Huber line")
    code["PyTorch"]  # a script ending in print(...) of the cost
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

import losses
from losses.snippets import Problem
from losses.spec import Loss

INLINE_ROWS = 30
LINE_WIDTH = 88


@dataclass(frozen=True)
class Framework:
    """What every script of one framework shares around a loss's snippet: its imports,
    the lines that turn the data into the framework's arrays (``convert``), and the lines
    that reduce ``per_sample`` to ``cost`` and print both. ``field``: the `Snippet`'s."""

    field: str
    imports: tuple[str, ...]
    result: tuple[str, ...]
    convert: Callable[[Problem], list[str]] = lambda task: []


def _torch_tensors(task: Problem) -> list[str]:
    labels = "torch.long" if task.sparse else "torch.float64"
    return [
        f"y_true = torch.tensor(y_true, dtype={labels})",
        "y_pred = torch.tensor(y_pred, dtype=torch.float64)",
    ]


PRINT = ('print("per-sample losses:", per_sample)', 'print("cost (their mean):", cost)')
# The tab names, in the panel's order.
FRAMEWORKS = {
    "NumPy": Framework(
        "numpy", ("import numpy as np",), ("cost = float(per_sample.mean())", *PRINT)
    ),
    "PyTorch": Framework(
        "torch",
        ("import numpy as np", "import torch", "import torch.nn.functional as F"),
        ("cost = per_sample.mean().item()", *PRINT),
        _torch_tensors,
    ),
    "Keras": Framework(
        "keras",
        ("import keras", "import numpy as np"),
        (
            "# Keras may compute in float32 even when float64 is asked (keras.backend.result_type;",
            "# JAX throughout, unless JAX_ENABLE_X64 is set): on PyTorch expect the page's cost to",
            "# 1 part in a million.",
            "per_sample = keras.ops.convert_to_numpy(per_sample)",
            "cost = float(per_sample.mean())",
            *PRINT,
        ),
    ),
}


def problem(loss_id: str, params: dict, y_true, y_pred) -> Problem:
    """The checked `Problem`: unknown ids, parameters and malformed data raise ValueError."""
    loss = losses.get(loss_id)
    resolved = loss.resolve_params(params)
    y_true, y_pred = loss.prepare(y_true, y_pred, **resolved)
    return Problem(loss, resolved, y_true, y_pred)


def data_table(loss_id: str, params: dict, y_true, y_pred) -> pd.DataFrame:
    """The CSV table a snippet reads when the data have more than `INLINE_ROWS` rows.

    Regression and binary: columns ``y_true``, ``y_pred``. Multiclass: ``label`` (the class
    index) and ``p0`` … ``p{k-1}`` (probabilities, or logits with from_logits). CCE and KL
    target rows must then be one-hot, since the table keeps one label per row.
    """
    return _table(problem(loss_id, params, y_true, y_pred))


def snippets(
    loss_id: str, params: dict, y_true, y_pred, *, csv_name: str = "data.csv", note: str = ""
) -> dict[str, str | None]:
    """{"NumPy": code, "PyTorch": code, "Keras": code}: scripts that reproduce the numbers.

    ``params`` as for ``loss.value`` (missing ones take their defaults); ``y_true`` and
    ``y_pred`` exactly what the page passes to ``loss.value``. With more than `INLINE_ROWS`
    rows the scripts read ``csv_name`` (laid out as `data_table`). ``note`` becomes a comment
    at the top. Each script leaves ``per_sample`` (n values) and ``cost`` (their mean).
    A framework the loss's entry has no snippet for maps to None (`missing` says why).
    """
    task = problem(loss_id, params, y_true, y_pred)
    inline = task.y_pred.shape[0] <= INLINE_ROWS
    if not inline:
        _table(task)  # refuses soft target rows before any script is written
    data = _inline_data(task) if inline else _csv_data(task, csv_name)
    header = _header(task, note)
    scripts: dict[str, str | None] = {}
    for name, framework in FRAMEWORKS.items():
        computation = _computation(task.loss, framework)
        if computation is None:
            scripts[name] = None
            continue
        imports = list(framework.imports) + ([] if inline else ["import pandas as pd"])
        lines = [
            *header,
            *sorted(imports),
            "",
            *data,
            "",
            *framework.convert(task),
            *computation(task),
            "",
            *framework.result,
        ]
        scripts[name] = "\n".join(lines) + "\n"
    return scripts


def _computation(loss: Loss, framework: Framework) -> Callable[[Problem], list[str]] | None:
    return None if loss.snippet is None else getattr(loss.snippet, framework.field)


def missing(loss_id: str, framework: str) -> str:
    """The sentence a tab shows in place of ``framework``'s script when ``loss_id``'s entry
    has none: where its kernel is, and which tabs do compute the number."""
    loss = losses.get(loss_id)
    module = getattr(loss.value_fn, "__module__", None)
    name = getattr(loss.value_fn, "__qualname__", None)
    if module and name:
        where = f"its kernel is {name} in {module.replace('.', '/')}.py"
    else:  # a callable object or partial: no module of its own to point to
        where = "its kernel is the value_fn of its registry entry"
    others = [
        other
        for other, each in FRAMEWORKS.items()
        if other != framework and _computation(loss, each) is not None
    ]
    if others:
        tabs = f"the {' and '.join(others)} tab"
        then = (f"{tabs}s compute" if len(others) > 1 else f"{tabs} computes") + " the same number."
    else:
        then = "no framework has a script for it yet (a Snippet on its registry entry adds them)."
    return f"No {framework} script for {loss.name} yet: {where}; {then}"


def _header(task: Problem, note: str) -> list[str]:
    settings = ", ".join(f"{name}={value!r}" for name, value in task.params.items())
    title = f"# Loss Explorer: {task.loss.name}" + (f" ({settings})" if settings else "")
    lines = [title, "# per-sample losses (per_sample) and their mean, the cost (cost)."]
    lines += [f"# {line}" for line in note.splitlines() if line.strip()]
    return lines


def _table(task: Problem) -> pd.DataFrame:
    if task.y_pred.ndim == 1:
        return pd.DataFrame({"y_true": task.y_true, "y_pred": task.y_pred})
    k = task.y_pred.shape[1]
    if task.sparse:
        labels = task.y_true
    else:
        labels = np.argmax(task.y_true, axis=1)
        if not np.array_equal(task.y_true, np.eye(k)[labels]):
            raise ValueError(
                f"y_true has soft (not one-hot) rows, which a CSV of one label per row cannot "
                f"hold; pass at most {INLINE_ROWS} rows to write them into the script."
            )
    table = pd.DataFrame({"label": labels})
    for column in range(k):
        table[f"p{column}"] = task.y_pred[:, column]
    return table


def _prediction_comment(task: Problem) -> str:
    if task.loss.snippet is not None and task.loss.snippet.y_pred_holds:
        return task.loss.snippet.y_pred_holds
    if task.loss.task == "regression":
        return "predictions"
    return "logits" if task.from_logits else "probabilities"


def _inline_data(task: Problem) -> list[str]:
    lines = [f"# y_pred holds {_prediction_comment(task)}."]
    if task.sparse:
        labels = [str(int(label)) for label in task.y_true]
        return lines + _array("y_true", labels) + _matrix("y_pred", task.y_pred)
    if task.y_pred.ndim == 2:
        return lines + _matrix("y_true", task.y_true) + _matrix("y_pred", task.y_pred)
    true_values = [repr(float(value)) for value in task.y_true]
    predicted = [repr(float(value)) for value in task.y_pred]
    return lines + _array("y_true", true_values) + _array("y_pred", predicted)


def _array(name: str, items: list[str]) -> list[str]:
    """``name = np.array([...])`` with the items wrapped at LINE_WIDTH, a trailing comma."""
    body = textwrap.wrap(
        ", ".join(items) + ",", width=LINE_WIDTH - 4, break_long_words=False, break_on_hyphens=False
    )
    return [f"{name} = np.array([", *(f"    {line}" for line in body), "])"]


def _matrix(name: str, rows: np.ndarray) -> list[str]:
    formatted = ["    [" + ", ".join(repr(float(value)) for value in row) + "]," for row in rows]
    return [f"{name} = np.array([", *formatted, "])"]


def _csv_data(task: Problem, csv_name: str) -> list[str]:
    what = _prediction_comment(task)
    if task.y_pred.ndim == 1:
        return [
            f"data = pd.read_csv({json.dumps(csv_name)})  # columns y_true, y_pred ({what})",
            'y_true = data["y_true"].to_numpy(dtype=float)',
            'y_pred = data["y_pred"].to_numpy(dtype=float)',
        ]
    k = task.y_pred.shape[1]
    lines = [
        f"data = pd.read_csv({json.dumps(csv_name)})  # columns label, p0 ... p{k - 1} ({what})",
        f'y_pred = data[[f"p{{j}}" for j in range({k})]].to_numpy(dtype=float)',
    ]
    if task.sparse:
        return lines + ['y_true = data["label"].to_numpy(dtype=int)  # class indices']
    return lines + [f'y_true = np.eye({k})[data["label"].to_numpy(dtype=int)]  # one-hot rows']


# ---------------------------------------------------------------- the pages' numbers


@dataclass(frozen=True)
class PageNumber:
    """A number a page shows, with what reproduces it: ``snippets(loss_id, params, y_true,
    y_pred)`` computes ``value`` (the cost: the mean of ``loss_id``'s per-sample losses)."""

    what: str
    value: float
    loss_id: str
    params: dict
    y_true: np.ndarray
    y_pred: np.ndarray


def page_number(what: str, loss_id: str, params: dict, y_true, y_pred) -> PageNumber:
    """The `PageNumber` whose value is ``loss_id``'s cost on these inputs, by the core."""
    task = problem(loss_id, params, y_true, y_pred)
    value = float(task.loss.cost(task.y_true, task.y_pred, **task.params))
    return PageNumber(what, value, loss_id, task.params, task.y_true, task.y_pred)


def line_inputs(frame: pd.DataFrame, line: dict) -> tuple[np.ndarray, np.ndarray]:
    """(y, ŷ) of a fitted line ``{"intercept", "slope"}`` on a regression frame (x, y)."""
    x = frame["x"].to_numpy(dtype=np.float64)
    return frame["y"].to_numpy(dtype=np.float64), line["intercept"] + line["slope"] * x
