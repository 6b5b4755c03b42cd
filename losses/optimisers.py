"""The optimisers a network trains with: SGD, SGD with momentum, Adam, on one flat vector.

Each is a small state machine: ``step(parameters, gradient)`` updates ``parameters`` (a
float64 vector, in place) from the gradient of the cost at them. The update rules are
PyTorch's (``torch.optim.SGD`` with dampening 0, ``torch.optim.Adam``), so a PyTorch script
that starts from the same weights takes the same steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

KINDS = ("sgd", "momentum", "adam")
NAMES = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}


@dataclass(frozen=True)
class Settings:
    """An optimiser and its hyperparameters: ``kind`` one of `KINDS`, η, and μ (momentum),
    β₁, β₂, ε (Adam) at PyTorch's defaults."""

    kind: str = "adam"
    learning_rate: float = 0.01
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"the optimiser must be one of {', '.join(KINDS)}; got {self.kind!r}.")
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"the learning rate η must be positive; got {self.learning_rate!r}.")
        if not 0 <= self.momentum < 1:
            raise ValueError(f"the momentum μ must be in [0, 1); got {self.momentum!r}.")


class Optimiser:
    """The state of one optimiser over a parameter vector of ``size`` entries.

    SGD:       θ ← θ − η·g
    momentum:  v ← μ·v + g,  θ ← θ − η·v              (v₀ = 0; PyTorch's heavy ball)
    Adam:      m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
               θ ← θ − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)
               (Kingma & Ba 2015, Algorithm 1, in PyTorch's arrangement of the same terms)
    """

    def __init__(self, settings: Settings, size: int) -> None:
        self.settings = settings
        self.steps = 0
        self.velocity = np.zeros(size)
        self.second = np.zeros(size) if settings.kind == "adam" else None
        self._scratch = np.empty(size)

    def step(self, parameters: np.ndarray, gradient: np.ndarray) -> None:
        s = self.settings
        self.steps += 1
        if s.kind == "sgd":
            parameters -= s.learning_rate * gradient
            return
        if s.kind == "momentum":
            self.velocity *= s.momentum
            self.velocity += gradient
            parameters -= s.learning_rate * self.velocity
            return
        first, second, scratch = self.velocity, self.second, self._scratch
        first *= s.beta1
        first += (1.0 - s.beta1) * gradient
        second *= s.beta2
        np.multiply(gradient, gradient, out=scratch)
        scratch *= 1.0 - s.beta2
        second += scratch
        bias_first = 1.0 - s.beta1**self.steps
        bias_second = 1.0 - s.beta2**self.steps
        np.sqrt(second, out=scratch)
        scratch /= math.sqrt(bias_second)
        scratch += s.eps
        np.divide(first, scratch, out=scratch)
        scratch *= s.learning_rate / bias_first
        parameters -= scratch
