"""What every fit returns (`FitResult`), and the input handling the fits share."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from losses import checks
from losses.registry import by_task, get
from losses.spec import Loss


@dataclass(frozen=True)
class FitResult:
    """Outcome of a fit.

    ``params``: regression {"intercept", "slope"}; binary {"intercept", "w1", "w2"}
    (decision score = intercept + w1·x1 + w2·x2); multiclass {"intercepts": (k,),
    "weights": (2, k)} (logits = intercepts + [x1, x2] @ weights).
    ``cost_history``: the cost (weighted mean loss) at each iterate, start first.
    ``objective_history``: what was minimised (cost plus any L2 penalty).
    ``path``: (iterations + 1, n_params) parameter vectors in ``param_names`` order.
    ``effective_weight``: (n,) how much each point pulls in the final fit, in [0, 1]
    (regression: ψ(r)/r relative to a point at the fit; classification:
    |∂loss/∂score|·sample weight relative to the strongest point).
    ``influence``: (n,) regression only, ψ(r) = ∂loss/∂prediction, signed.
    """

    loss_id: str
    task: str
    method: str
    params: dict
    param_names: tuple[str, ...]
    cost_history: np.ndarray
    objective_history: np.ndarray
    path: np.ndarray
    effective_weight: np.ndarray
    converged: bool
    influence: np.ndarray | None = field(default=None, repr=False)

    @property
    def iterations(self) -> int:
        return len(self.cost_history) - 1

    @property
    def cost(self) -> float:
        return float(self.cost_history[-1])


def loss_for(loss_id: str, task: str) -> Loss:
    """The registered loss, refusing one of another task with the ids that would fit."""
    loss = get(loss_id)
    if loss.task != task:
        valid = ", ".join(other.id for other in by_task(task))
        raise ValueError(f"{loss.name} is a {loss.task} loss; a {task} fit needs one of: {valid}.")
    return loss


def column(data: pd.DataFrame, name: str) -> np.ndarray:
    if name not in data.columns:
        raise ValueError(f"the data need a column {name!r}; got {list(data.columns)}.")
    return checks.as_float_array(data[name].to_numpy(), name)


def sample_weights_or_ones(sample_weight, n: int) -> np.ndarray:
    return np.ones(n) if sample_weight is None else checks.sample_weights(sample_weight, n)


def standardise(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, d) features → centred, unit-spread copies, with the centres and spreads."""
    centre = columns.mean(axis=0)
    spread = columns.std(axis=0)
    if np.any(spread == 0):
        raise ValueError("a feature has the same value for every point; nothing to fit a slope to.")
    return (columns - centre) / spread, centre, spread
