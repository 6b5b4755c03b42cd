"""A binary loss defined only in the tests, that takes probabilities only: (p − y)².

No ``from_logits`` parameter and not a margin loss, so `losses.training.head` feeds it σ of
the network's output and its gradient goes back through σ: the network tests cover that
link whatever the registry holds.
"""

from __future__ import annotations

from losses import checks
from losses.spec import Loss


def squared_error_on_probability(y_true, y_pred):
    return (y_pred - y_true) ** 2


def squared_error_on_probability_grad(y_true, y_pred):
    """2(p − y), the exact derivative in p."""
    return 2.0 * (y_pred - y_true)


def _probability_inputs(y_true, y_pred):
    return checks.binary_pair(y_true, y_pred, from_logits=False, labels="soft")


PROBABILITY_ONLY = Loss(
    id="probability_squared_error",
    name="squared error on p",
    task="binary",
    latex=r"(p - y)^2",
    params=(),
    summary="",
    advantages="",
    disadvantages="",
    use_when="",
    value_fn=squared_error_on_probability,
    grad_fn=squared_error_on_probability_grad,
    prepare=_probability_inputs,
)
