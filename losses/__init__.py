"""Loss Explorer's NumPy core: losses, gradients, data generators and fitting.

    import losses
    loss = losses.get("huber")
    loss.value(y_true, y_pred, delta=2.0)   # per-sample, shape (n,)
    loss.grad(y_true, y_pred, delta=2.0)    # d loss_i / d y_pred_i
    loss.cost(y_true, y_pred)               # mean of value (weighted with sample_weight)

Imports numpy, pandas and the standard library only.
"""

from losses.registry import REGISTRY, by_task, get
from losses.spec import TASKS, Loss, ParamSpec, weighted_mean

__all__ = ["REGISTRY", "TASKS", "Loss", "ParamSpec", "by_task", "get", "weighted_mean"]
